"""Writes to the evidence store: files named by their SHA-256, typed by their content,
never overwritten, attached to any registered object, every hash entered in the chain."""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.org.models import User
from yangguang.records.diff import json_safe
from yangguang.records.enums import EvidenceKind, RecordingScene
from yangguang.records.exif import photo_metadata
from yangguang.records.files import HEAD_BYTES, Sniffed, sniff
from yangguang.records.models import Evidence, EvidenceLink
from yangguang.records.registry import Target, target_for
from yangguang.records.services import record_append

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Recording:
    """How an audio or video recording was made (音像记录, reference.md §3)."""

    device: str
    recorder: User | None
    started_at: datetime.datetime
    ended_at: datetime.datetime
    scene: str = RecordingScene.SCENE
    scene_note: str = ""


def recording_validate(recording: Recording) -> None:
    errors = {}
    if not recording.device.strip():
        errors["device"] = _("Name the recording device (执法记录仪 number).")
    if recording.ended_at <= recording.started_at:
        errors["recording_ended_at"] = _("The recording must end after it starts.")
    elif recording.started_at > timezone.now() + datetime.timedelta(minutes=5):
        errors["recording_started_at"] = _("The recording cannot start in the future.")
    if recording.scene not in RecordingScene.values:
        errors["scene"] = _("Choose the kind of scene.")
    if errors:
        raise ValidationError(errors)


def _check_size(*, name: str, size: int, kind: str) -> None:
    limit = settings.EVIDENCE_MAX_BYTES[kind]
    if size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; %(kind)s evidence may be at most %(limit)s.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "kind": EvidenceKind(kind).label,
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )


def _sniff_upload(upload: File, name: str) -> Sniffed:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return sniff(head, name=name)


def _hash(upload: File) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _store_file(upload: File, sha256: str, extension: str) -> str:
    """Save under the content's name unless that file is there already (never overwrite)."""
    storage = storages["evidence"]
    name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}{extension}"
    if not storage.exists(name):
        saved = storage.save(name, upload)
        if saved != name:
            # Another upload of the same content won the race; keep only its file.
            storage.delete(saved)
    return name


def _photo_fields(upload: File) -> dict:
    upload.seek(0)
    source = upload.temporary_file_path() if hasattr(upload, "temporary_file_path") else upload
    metadata = photo_metadata(source)
    upload.seek(0)
    return {
        "taken_at": metadata.taken_at,
        "latitude": metadata.latitude,
        "longitude": metadata.longitude,
        "camera": metadata.camera[:100],
    }


def evidence_add(
    *,
    upload: File,
    name: str,
    target: Target,
    actor: User | None,
    note: str = "",
    recording: Recording | None = None,
    require_recording: bool = False,
) -> Evidence:
    """Store a file as evidence and attach it to ``target``.

    The type comes from the content (an executable renamed .jpg is refused with
    RejectedFile); the size limit is per kind (settings.EVIDENCE_MAX_BYTES). The file is
    hashed and copied in chunks, so a large video never sits in memory. A file already
    stored (same SHA-256) is reused, never overwritten. With ``require_recording``
    (staff uploads), audio and video must come with their recording details.
    Side effects: an ``evidence.store`` entry for a new file and an ``evidence.attach``
    entry on the target, both carrying the hash.
    """
    sniffed = _sniff_upload(upload, name)
    if upload.size is not None:
        _check_size(name=name, size=upload.size, kind=sniffed.kind)
    is_recording = sniffed.kind in (EvidenceKind.AUDIO, EvidenceKind.VIDEO)
    if recording is None and is_recording and require_recording:
        raise ValidationError(
            _(
                "“%(name)s” is a recording: give the recording device, who recorded, and "
                "when the recording started and ended."
            )
            % {"name": name},
            code="recording_required",
        )
    if recording is not None:
        if not is_recording:
            raise ValidationError(_("Recording details belong to audio or video files only."))
        recording_validate(recording)
    sha256, size = _hash(upload)
    _check_size(name=name, size=size, kind=sniffed.kind)  # a stream may not know its size
    photo = _photo_fields(upload) if sniffed.kind == EvidenceKind.PHOTO else {}
    # The copy happens before the transaction: the chain lock must not wait on a disk.
    storage_name = _store_file(upload, sha256, sniffed.extension)
    with transaction.atomic():
        evidence = Evidence.objects.filter(sha256=sha256).first()
        if evidence is None:
            evidence = _create(
                sha256=sha256,
                size=size,
                sniffed=sniffed,
                name=name,
                storage_name=storage_name,
                actor=actor,
                photo=photo,
                recording=recording,
                target=target,
            )
        evidence_attach(evidence=evidence, target=target, actor=actor, note=note)
    return evidence


def _create(
    *,
    sha256: str,
    size: int,
    sniffed: Sniffed,
    name: str,
    storage_name: str,
    actor: User | None,
    photo: dict,
    recording: Recording | None,
    target: Target,
) -> Evidence:
    fields = {
        "sha256": sha256,
        "size": size,
        "mime_type": sniffed.mime_type,
        "kind": sniffed.kind,
        "original_name": name[:255],
        "storage_name": storage_name,
        "uploaded_by": actor,
        "uploaded_at": timezone.now(),
        **photo,
    }
    if recording is not None:
        fields.update(
            device=recording.device.strip(),
            recorder=recording.recorder,
            recording_started_at=recording.started_at,
            recording_ended_at=recording.ended_at,
            scene=recording.scene,
            scene_note=recording.scene_note.strip(),
        )
    evidence = Evidence.objects.create(**fields)
    recorded = {
        key: [None, json_safe(value)]
        for key, value in fields.items()
        if key not in {"storage_name", "uploaded_at"} and value not in (None, "")
    }
    record_append(
        action="evidence.store",
        target=target_for(evidence, unit=target.unit),
        actor=actor,
        changes=recorded,
        evidence=[sha256],
    )
    return evidence


@transaction.atomic
def evidence_attach(
    *, evidence: Evidence, target: Target, actor: User | None, note: str = ""
) -> EvidenceLink:
    """Attach stored evidence to an object (once); records ``evidence.attach``."""
    link, created = EvidenceLink.objects.get_or_create(
        evidence=evidence,
        object_type=target.object_type,
        object_id=target.object_id,
        defaults={"note": note.strip()[:200], "linked_by": actor, "linked_at": timezone.now()},
    )
    if created:
        record_append(
            action="evidence.attach",
            target=target,
            actor=actor,
            changes={
                "evidence": [
                    None,
                    f"{evidence.original_name} ({evidence.kind}, {evidence.sha256[:12]})",
                ],
                "note": [None, link.note],
            },
            evidence=[evidence.sha256],
        )
    return link
