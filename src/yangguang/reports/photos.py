"""Field photos of the loop: the handling unit's after-photos (处置后照片) and the
inspector's verification photos (核查照片), several per step, kept in the evidence store.

The steps themselves take them (``workflow.report_transition`` with ``photos=``), so a
refused step or a refused photo leaves nothing: no status change, no evidence row. A
photo becomes public only when staff approve it (faces, number plates); the public then
gets a re-encoded copy without EXIF (GPS position, device), never the original file.
"""

import datetime
import io
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from yangguang.org.models import User
from yangguang.records.enums import EvidenceKind
from yangguang.records.evidence import evidence_add
from yangguang.records.files import HEAD_BYTES, sniff
from yangguang.records.registry import target_for
from yangguang.records.services import record_append
from yangguang.reports.enums import PhotoStage
from yangguang.reports.models import Report, ReportPhoto

# Nine: a phone's photo picker grid, and more than a before/after pair ever needs.
PHOTOS_MAX = 9
# The verbs that take photos, and the step the photos belong to.
PHOTO_VERBS = {
    "handle": PhotoStage.HANDLING,
    "verify_pass": PhotoStage.VERIFICATION,
    "verify_fail": PhotoStage.VERIFICATION,
}
# The public copy: enough for a phone screen, small enough to hide the fine print.
PUBLIC_SIDE = 1600
PUBLIC_QUALITY = 85


def photos_check(photos: Sequence[File]) -> None:
    """Refuse, before anything is written, more than ``PHOTOS_MAX`` photos, a file that
    is not a photo (typed by its content, as the evidence store does) or one larger
    than the evidence store takes. Raises ValidationError on ``photos``."""
    if len(photos) > PHOTOS_MAX:
        raise ValidationError(
            {"photos": _("Attach at most %(n)d photos to one step.") % {"n": PHOTOS_MAX}},
            code="too_many_photos",
        )
    limit = settings.EVIDENCE_MAX_BYTES[EvidenceKind.PHOTO]
    for photo in photos:
        name = photo.name or _("photo")
        photo.seek(0)
        head = photo.read(HEAD_BYTES)
        photo.seek(0)
        try:
            kind = sniff(head, name=name).kind
        except ValidationError:
            kind = None
        if kind != EvidenceKind.PHOTO:
            raise ValidationError(
                {
                    "photos": _(
                        "“%(name)s” is not a photo: attach pictures only (JPEG, PNG, WebP, HEIC)."
                    )
                    % {"name": name}
                },
                code="not_a_photo",
            )
        if photo.size is not None and photo.size > limit:
            raise ValidationError(
                {
                    "photos": _("“%(name)s” is %(size)s; a photo may be at most %(limit)s.")
                    % {
                        "name": name,
                        "size": filesizeformat(photo.size),
                        "limit": filesizeformat(limit),
                    }
                },
                code="photo_too_large",
            )


def photos_attach(
    *,
    report: Report,
    photos: Sequence[File],
    stage: str,
    verb: str,
    rework_round: int,
    actor: User,
    now: datetime.datetime,
) -> list[ReportPhoto]:
    """Store ``photos`` as evidence of ``report`` and file them under the step. Call it
    inside the step's transaction (``report_transition``) after ``photos_check``.
    Side effects: ``evidence.store`` and ``evidence.attach`` entries (hashes)."""
    added: list[ReportPhoto] = []
    seen: set[int] = set()
    for photo in photos:
        evidence = evidence_add(
            upload=photo,
            name=photo.name or f"{stage}.jpg",
            target=target_for(report),
            actor=actor,
            note=str(PhotoStage(stage).label),
        )
        if evidence.pk in seen:  # the same picture chosen twice
            continue
        seen.add(evidence.pk)
        added.append(
            ReportPhoto.objects.create(
                report=report,
                evidence=evidence,
                stage=stage,
                verb=verb,
                round=rework_round,
                added_by=actor,
                added_at=now,
            )
        )
    return added


def photo_public_copy(photo: ReportPhoto) -> bytes:
    """The photo as the public sees it: turned upright, at most ``PUBLIC_SIDE`` pixels,
    re-encoded as JPEG without EXIF or any other metadata (no GPS, no device).
    Raises ValidationError when the format cannot be re-encoded (e.g. HEIC)."""
    try:
        with (
            storages["evidence"].open(photo.evidence.storage_name, "rb") as file,
            Image.open(file) as image,
        ):
            image.draft("RGB", (PUBLIC_SIDE, PUBLIC_SIDE))  # JPEG: decode at size
            upright = ImageOps.exif_transpose(image).convert("RGB")
            upright.thumbnail((PUBLIC_SIDE, PUBLIC_SIDE))
            clean = Image.new("RGB", upright.size)
            clean.paste(upright)  # pixels only: no info, EXIF, ICC or XMP carried
        output = io.BytesIO()
        clean.save(output, "JPEG", quality=PUBLIC_QUALITY, optimize=True)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("A public copy cannot be made of this photo's format; it stays internal."),
            code="no_public_copy",
        ) from exc
    return output.getvalue()


def photo_public_set(
    *, photo: ReportPhoto, public: bool, actor: User, now: datetime.datetime
) -> ReportPhoto:
    """Approve ``photo`` (locked by the caller) for the tracking page, or withdraw it.
    Approval issues a new random key for the public copy's address; withdrawal forgets
    it, so an old address stops working. Side effect: a ``report.photo_publish`` or
    ``report.photo_withdraw`` entry with the photo's hash."""
    before = photo.is_public
    if before == public:
        return photo
    if public:
        photo.public_key = secrets.token_urlsafe(24)
        photo.public_approved_by = actor
        photo.public_approved_at = now
    else:
        photo.public_key = ""
        photo.public_approved_by = None
        photo.public_approved_at = None
    photo.save(update_fields=["public_key", "public_approved_by", "public_approved_at"])
    record_append(
        action="report.photo_publish" if public else "report.photo_withdraw",
        target=photo.report,
        actor=actor,
        # "evidence" is a field name the timeline labels (records.presenters); the
        # action says which way it went.
        changes={
            "evidence": [None, f"{photo.evidence.original_name} ({photo.evidence.sha256[:12]})"]
        },
        evidence=[photo.evidence.sha256],
    )
    return photo
