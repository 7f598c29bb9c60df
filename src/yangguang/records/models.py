"""The whole-process record (全过程记录): an append-only, hash-chained log of every state
change and significant action, its daily digests, and the evidence store.

Rows here are never updated, deleted or truncated: on PostgreSQL triggers refuse it
(migrations 0002 and 0003), and ``yangguang verify-records`` detects it anywhere — a
chain emptied or cut short through its anchor outside the database (anchor.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yangguang.records.enums import EvidenceKind, RecordingScene, VerificationStatus


class RecordEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    recorded_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor's name"), max_length=50, blank=True)
    actor_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("actor's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit the record belongs to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Staff of this unit and the units above it may read the entry."),
    )
    object_type = models.CharField(_("object type"), max_length=64)
    object_id = models.CharField(_("object"), max_length=64)
    object_repr = models.CharField(_("object name"), max_length=200)
    action = models.CharField(_("action"), max_length=64)
    changes = models.JSONField(_("changes"), default=dict)
    personal = models.JSONField(
        _("personal data fields"),
        default=dict,
        help_text=_("Which changed fields hold personal data, and of what kind."),
    )
    reason = models.TextField(_("reason"), blank=True)
    client_ip = models.CharField(_("client address"), max_length=64, blank=True)
    client_device = models.CharField(_("client device"), max_length=300, blank=True)
    evidence = models.JSONField(_("evidence hashes"), default=list)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("record entry")
        verbose_name_plural = _("record entries")
        indexes = [
            models.Index(
                fields=["object_type", "object_id", "sequence"], name="records_object_idx"
            ),
            models.Index(fields=["unit", "sequence"], name="records_unit_idx"),
            models.Index(fields=["action", "sequence"], name="records_action_idx"),
            models.Index(fields=["recorded_at"], name="records_time_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class DailyDigest(models.Model):
    """The chain head at the end of a day (Asia/Shanghai), to compare with a printout or
    an external timestamping receipt."""

    day = models.DateField(_("day"), unique=True)
    last_sequence = models.PositiveBigIntegerField(_("last sequence"))
    head_hash = models.CharField(_("chain head"), max_length=64)
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")

    def __str__(self) -> str:
        return f"{self.day} {self.head_hash[:12]}"


class Evidence(models.Model):
    """A stored file, named by the SHA-256 of its content and never overwritten."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("file type"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    storage_name = models.CharField(max_length=255, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    # Photos: from EXIF.
    taken_at = models.DateTimeField(_("taken at (EXIF)"), null=True, blank=True)
    latitude = models.FloatField(_("latitude (EXIF)"), null=True, blank=True)
    longitude = models.FloatField(_("longitude (EXIF)"), null=True, blank=True)
    camera = models.CharField(_("camera (EXIF)"), max_length=100, blank=True)
    # Audio and video: the recording (执法记录仪) metadata, reference.md §3.
    device = models.CharField(_("recording device"), max_length=64, blank=True)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recording_started_at = models.DateTimeField(_("recording started"), null=True, blank=True)
    recording_ended_at = models.DateTimeField(_("recording ended"), null=True, blank=True)
    scene = models.CharField(
        _("scene type"), max_length=16, choices=RecordingScene.choices, blank=True
    )
    scene_note = models.CharField(_("scene"), max_length=200, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.sha256[:12]


class EvidenceLink(models.Model):
    """Evidence attached to an object (report, case, grid …) by type and id."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="links")
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    note = models.CharField(_("note"), max_length=200, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        ordering = ["linked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "object_type", "object_id"], name="records_evidence_link_once"
            )
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="records_link_obj_idx")]

    def __str__(self) -> str:
        return f"{self.evidence} → {self.object_type}:{self.object_id}"


class VerificationRun(models.Model):
    """A check of the whole chain (``records.verify.chain_verify``) that an auditor asked
    for on the web. The worker claims it and runs it, writing its progress here; its
    start and its result are themselves recorded in the chain. Unlike the record tables,
    these rows change: they are a job queue, not the record."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    evidence = models.BooleanField(_("re-hash the evidence files"), default=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=VerificationStatus.choices,
        default=VerificationStatus.QUEUED,
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The worker writes this as it goes; a run whose heartbeat stops was abandoned by a
    # worker that died, and another claims it.
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    entries_total = models.PositiveBigIntegerField(_("entries to check"), default=0)
    entries_checked = models.PositiveBigIntegerField(_("entries checked"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    head_hash = models.CharField(_("head (SHA-256)"), max_length=64, blank=True)
    digests = models.PositiveIntegerField(_("daily digests checked"), default=0)
    evidence_files = models.PositiveIntegerField(_("evidence files checked"), default=0)
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("chain verification")
        verbose_name_plural = _("chain verifications")
        indexes = [models.Index(fields=["status", "requested_at"], name="records_verify_due_idx")]

    def __str__(self) -> str:
        return _("Chain verification %(n)d") % {"n": self.pk}

    @property
    def finished(self) -> bool:
        return self.status in (VerificationStatus.PASSED, VerificationStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.entries_total:
            return 0
        return min(99, self.entries_checked * 100 // self.entries_total)
