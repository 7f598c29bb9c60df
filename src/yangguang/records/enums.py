from django.db import models
from django.utils.translation import gettext_lazy as _


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    DOCUMENT = "document", _("Document")


class RecordingScene(models.TextChoices):
    """Kinds of audio-visual record in the local 音像记录事项清单 (reference.md §3)."""

    SCENE = "scene", _("On-site scene (场景类)")
    INTERVIEW = "interview", _("Interview (约谈类)")
    CONFIRMATION = "confirmation", _("Confirmation (确认类)")


class PersonalKind(models.TextChoices):
    """How a personal-data value is masked for viewers without the right to see it."""

    NAME = "name", _("person's name")
    PHONE = "phone", _("phone number")
    ID_NUMBER = "id_number", _("ID number")
    OTHER = "other", _("other personal data")


class VerificationStatus(models.TextChoices):
    """A check of the chain started from the web, run by the worker."""

    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Running")
    PASSED = "passed", _("Chain intact")
    FAILED = "failed", _("Chain broken")
