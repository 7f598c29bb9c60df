"""Organisation: the unit tree, staff accounts, posts, ranks and enforcement certificates.

Writes go through ``services.py``; reads, and above all the unit-subtree scoping every
later module uses, through ``selectors.py``.
"""

import datetime
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yangguang.org.enums import CertificateStatus, DataScope, PostCode, UnitKind


class HandlingUnitType(models.Model):
    """A kind of handling unit (市政, 园林, 环卫 …) that categories are routed to."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("handling-unit type")
        verbose_name_plural = _("handling-unit types")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A node of the organisation tree.

    ``path`` is a materialised path of primary keys ("1/4/17/"), so a unit's subtree is
    ``path__startswith=unit.path`` — one indexed query, whatever the depth.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(
        _("code"),
        max_length=32,
        blank=True,
        help_text=_("Sub-districts and communities: the 12-digit statistical division code."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    handling_type = models.ForeignKey(
        HandlingUnitType,
        verbose_name=_("handling-unit type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_external = models.BooleanField(
        _("outside the bureau"),
        default=False,
        help_text=_(
            "A handling unit of another department (市政, 园林 …) rather than the bureau's own."
        ),
    )
    phone = models.CharField(_("duty telephone"), max_length=30, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="org_unit_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["street", "community"], code__regex=r"^[0-9]{12}$")
                | ~Q(kind__in=["street", "community"]),
                name="org_unit_division_code_12_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "Unit") -> bool:
        """True when this unit is ``other`` or lies below it."""
        return self.path.startswith(other.path)


class Post(models.Model):
    """A post (岗位) is a role: it carries action rights (rules.py) and a data scope."""

    code = models.CharField(_("code"), max_length=32, unique=True, choices=PostCode.choices)
    data_scope = models.CharField(
        _("data scope"), max_length=16, choices=DataScope.choices, default=DataScope.OWN_UNIT
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return str(self.get_code_display())


class Rank(models.Model):
    """A rank (职级), e.g. 行政执法类 一级执法员. Configurable per bureau."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("rank")
        verbose_name_plural = _("ranks")

    def __str__(self) -> str:
        return self.name


class StaffManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("name", username)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A staff account. The public never logs in; merchants get token links later."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    name = models.CharField(_("full name"), max_length=50)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    posts = models.ManyToManyField(Post, verbose_name=_("posts"), blank=True, related_name="users")
    rank = models.ForeignKey(
        Rank, verbose_name=_("rank"), null=True, blank=True, on_delete=models.PROTECT
    )
    legal_qualification = models.CharField(
        _("legal professional qualification number"),
        max_length=32,
        blank=True,
        help_text=_(
            "法律职业资格证书编号: needed by first-time legal reviewers (行政处罚法第五十八条)."
        ),
    )
    legal_review_since = models.DateField(
        _("doing legal reviews since"),
        null=True,
        blank=True,
        help_text=_("Reviewers who started before 2021-07-15 need no qualification number."),
    )
    # The password policy (org/passwords.py): when the password was last set, and whether
    # it is a one-time password (set by someone else) to be replaced at the next sign-in.
    password_changed_at = models.DateTimeField(
        _("password changed at"), null=True, blank=True, editable=False
    )
    must_change_password = models.BooleanField(
        _("must change password at next sign-in"), default=False, editable=False
    )

    objects = StaffManager()
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["unit__path", "username"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


def card_token_new() -> str:
    """The random public key of an officer's identity page (the badge's QR code): not
    the certificate number, so the pages cannot be walked by counting."""
    return secrets.token_urlsafe(18)


class Certificate(models.Model):
    """An administrative-enforcement certificate (行政执法证). Art 42 行政处罚法 requires
    at least two officers holding one; art 55 requires showing it.

    The card and its number are the province's (the number is an opaque string, its
    own QR code the provincial verifier's); ``card_token`` addresses the bureau's public
    identity page, printed as the QR code of its 执法公示卡 (org/card.py)."""

    holder = models.ForeignKey(
        User, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    issuing_authority = models.CharField(_("issuing authority"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    enforcement_category = models.CharField(
        _("enforcement category"),
        max_length=50,
        blank=True,
        help_text=_("执法类别 as printed on the card, e.g. 城市管理综合执法."),
    )
    enforcement_area = models.CharField(
        _("enforcement area"),
        max_length=100,
        blank=True,
        help_text=_("执法区域, e.g. 阳光区 or the squadron's sub-districts."),
    )
    card_token = models.CharField(
        _("identity page key"),
        max_length=32,
        unique=True,
        default=card_token_new,
        editable=False,
    )

    class Meta:
        ordering = ["holder", "-valid_to"]
        verbose_name = _("enforcement certificate")
        verbose_name_plural = _("enforcement certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="org_certificate_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.status == CertificateStatus.VALID and self.valid_from <= day <= self.valid_to


class PasswordHistory(models.Model):
    """A password an account had (its hash only), so the last N cannot be chosen again
    (等保2.0 GB/T 22239-2019 8.1.4.1 a)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("former password")
        verbose_name_plural = _("former passwords")

    def __str__(self) -> str:
        return f"{self.user} {self.set_at:%Y-%m-%d}"


class ResetStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a second approval")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Withdrawn")


class AccountReset(models.Model):
    """A reset of an account's password (and, on request, its authenticator), asked for
    by the security administrator. It gives the owner a one-time password by SMS; for
    the administrators and the bureau leaders it waits for a second administrator's
    approval (org/resets.py)."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.PROTECT, related_name="resets"
    )
    reset_authenticator = models.BooleanField(_("also reset the authenticator"), default=False)
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ResetStatus.choices, default=ResetStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="resets_requested",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resets_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("account reset")
        verbose_name_plural = _("account resets")
        constraints = [
            # The requester never approves their own request, and nobody decides on a
            # reset of their own account.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("user"))),
                name="org_reset_decided_by_another",
            ),
            models.CheckConstraint(
                condition=~Q(requested_by=F("user")), name="org_reset_not_of_own_account"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="org_reset_one_pending_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"


class UnitSeal(models.Model):
    """A unit's electronic seal (电子印章): a PNG printed over the seal line of the
    documents it issues (cases/render.py uses the bureau's). Set by the system
    administrator through ``unit_seal_set``, which checks the file's content."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="seal"
    )
    image = models.BinaryField(_("image"), editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    width = models.PositiveIntegerField(_("width (px)"), editable=False)
    height = models.PositiveIntegerField(_("height (px)"), editable=False)
    updated_at = models.DateTimeField(_("updated at"), editable=False)

    class Meta:
        verbose_name = _("electronic seal")
        verbose_name_plural = _("electronic seals")

    def __str__(self) -> str:
        return str(self.unit)


class OfficerPhoto(models.Model):
    """An officer's photo for the public identity page and the 执法公示卡, uploaded by
    the security administrator through ``officer_photo_set``: checked like the seal
    (org/images.py), kept re-encoded as a small JPEG without metadata."""

    user = models.OneToOneField(
        User, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="officer_photo"
    )
    image = models.BinaryField(_("image"), editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    width = models.PositiveIntegerField(_("width (px)"), editable=False)
    height = models.PositiveIntegerField(_("height (px)"), editable=False)
    updated_at = models.DateTimeField(_("updated at"), editable=False)

    class Meta:
        verbose_name = _("officer's photo")
        verbose_name_plural = _("officers' photos")

    def __str__(self) -> str:
        return str(self.user)
