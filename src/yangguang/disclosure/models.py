"""阳光公示: what the bureau publishes before, during and after enforcement.

Before (事前公开): the bureau's profile and the versioned lists it publishes (the 权责清单
itself is generated from the violation catalogue, one source with the discretion engine).
After (事后公开): one ``Publication`` per decided case that the rules propose — its
generated, redacted content, the legal office's approval or refusal with its ground,
the withdrawal when the decision is set aside (行政处罚法 第四十八条) and the removal at the
end of its period. Every change goes through ``services`` and is recorded in the chain.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yangguang.disclosure.enums import (
    IndividualNameRule,
    ListKind,
    PublicationStatus,
    RefusalGround,
    SoleTraderRule,
    WithdrawalGround,
)


class BureauProfile(models.Model):
    """The enforcement authority as the public sees it (执法主体). One row (pk=1)."""

    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    nature = models.CharField(
        _("legal status"),
        max_length=50,
        blank=True,
        help_text=_("法定 / 授权 / 受委托 (and the entrusting authority)."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("public telephone"), max_length=50, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    duties = models.TextField(_("duties (职责)"), blank=True)
    court = models.CharField(
        _("court for administrative lawsuits"),
        max_length=100,
        blank=True,
        help_text=_("Named in the remedies of the 权责清单 and of published decisions."),
    )
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("bureau profile")
        verbose_name_plural = _("bureau profile")

    def __str__(self) -> str:
        return self.name


class DisclosureRules(models.Model):
    """Local publication rules (one row, pk=1). The defaults follow 国办发〔2018〕118号
    (行政处罚 decisions within 7 working days), 政府信息公开条例 第二十六条 (20 working
    days for other decisions) and 行政处罚法 第四十八条 (withdrawal within 3 days); the
    retention periods and name rules are local practice, so they are configuration."""

    propose_ordinary = models.BooleanField(
        _("propose every ordinary-procedure penalty decision"), default=True
    )
    propose_simple = models.BooleanField(
        _("propose summary-procedure decisions too"), default=False
    )
    propose_no_penalty = models.BooleanField(
        _("propose decisions not to penalise too"), default=False
    )
    penalty_working_days = models.PositiveSmallIntegerField(
        _("publish penalty decisions within (working days)"), default=7
    )
    other_working_days = models.PositiveSmallIntegerField(
        _("publish other decisions within (working days)"), default=20
    )
    withdrawal_working_days = models.PositiveSmallIntegerField(
        _("withdraw within (working days)"), default=3
    )
    years_individual = models.PositiveSmallIntegerField(
        _("years an individual's decision stays published"), default=2
    )
    years_organisation = models.PositiveSmallIntegerField(
        _("years an organisation's decision stays published"), default=5
    )
    individual_name_rule = models.CharField(
        _("how individuals are named"),
        max_length=20,
        choices=IndividualNameRule.choices,
        default=IndividualNameRule.SURNAME_MOU,
    )
    sole_trader_rule = models.CharField(
        _("how sole traders (个体工商户) are named"),
        max_length=20,
        choices=SoleTraderRule.choices,
        default=SoleTraderRule.TRADE_NAME,
    )

    class Meta:
        verbose_name = _("publication rules")
        verbose_name_plural = _("publication rules")

    def __str__(self) -> str:
        return str(_("publication rules"))


class Publication(models.Model):
    """A decision's publication (事后公开): content generated from the case and redacted,
    approved by the legal office, withdrawn if the decision is set aside, removed when its
    period ends. The content columns are what the public sees, nothing else."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="publication", verbose_name=_("case")
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PROPOSED,
        db_index=True,
    )
    proposed_at = models.DateTimeField(_("proposed"))
    due_at = models.DateTimeField(_("publish by"), null=True, blank=True)

    # The public content (redacted; edited by the legal office before approval).
    document_number = models.CharField(_("document number"), max_length=60, db_index=True)
    title = models.CharField(_("cause (案由)"), max_length=200)
    facts = models.TextField(_("facts (summary)"))
    basis = models.TextField(_("legal basis"))
    result = models.TextField(_("penalty"))
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list)
    fine = models.DecimalField(
        _("fine (yuan)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    confiscation_value = models.DecimalField(
        _("confiscated (yuan)"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    party = models.CharField(_("party (as published)"), max_length=100)
    party_is_organisation = models.BooleanField(_("the party is an organisation"), default=False)
    party_credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    authority = models.CharField(_("enforcement authority"), max_length=100)
    category = models.CharField(_("category"), max_length=50, blank=True, db_index=True)
    area = models.CharField(_("street"), max_length=100, blank=True, db_index=True)
    decided_on = models.DateField(_("decided on"), db_index=True)
    content_sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    verify_token = models.CharField(max_length=32, unique=True, editable=False)

    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    publish_until = models.DateTimeField(_("published until"), null=True, blank=True)

    refusal_ground = models.CharField(
        _("not published because"), max_length=20, choices=RefusalGround.choices, blank=True
    )
    refusal_reason = models.TextField(_("reason recorded"), blank=True)
    refused_at = models.DateTimeField(_("refused"), null=True, blank=True)

    withdrawal_ground = models.CharField(
        _("decision set aside as"), max_length=20, choices=WithdrawalGround.choices, blank=True
    )
    set_aside_on = models.DateField(_("set aside on"), null=True, blank=True)
    withdrawal_due_at = models.DateTimeField(_("withdraw by"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("public reason for the withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("published decision")
        verbose_name_plural = _("published decisions")
        indexes = [
            models.Index(fields=["status", "-decided_on", "-id"], name="disclosure_public_order"),
            models.Index(fields=["status", "publish_until"], name="disclosure_retention"),
            # The portal's listing, newest first, read in order however deep the page.
            models.Index(
                fields=["-decided_on", "-id"],
                name="disclosure_public_newest",
                condition=Q(status__in=["published", "withdrawn"]),
            ),
        ]

    def __str__(self) -> str:
        return self.document_number or f"#{self.pk}"

    @property
    def is_public(self) -> bool:
        """Shown on the portal: published, or withdrawn (then only the notice shows)."""
        return self.status in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN)


class ListVersion(models.Model):
    """One published version of a list the bureau keeps (e.g. 随机抽查事项清单, 双随机
    一公开). Versions are never edited: a change publishes a new version, and every
    version stays readable."""

    kind = models.CharField(_("list"), max_length=30, choices=ListKind.choices)
    number = models.PositiveIntegerField(_("version"))
    rows = models.JSONField(_("rows"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "-number"]
        verbose_name = _("published list version")
        verbose_name_plural = _("published list versions")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="disclosure_list_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"
