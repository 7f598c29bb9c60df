"""Administrative-penalty cases (行政处罚案件): the violation catalogue, the local rules,
the case with its party and officers, and the deadlines of its procedure.

Every change goes through ``cases.services`` and, for the procedure, the one transition
function in ``cases.procedure``.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from yangguang.cases.enums import (
    DeadlineKind,
    DeadlineState,
    FineBasis,
    Grade,
    GradeParty,
    Outcome,
    PartyKind,
    Procedure,
    RemedyResult,
    ServiceMethod,
    Source,
    Status,
    penalty_kind_labels,
)
from yangguang.core.onetime import OneTimeCodeFields

MONEY = {"max_digits": 14, "decimal_places": 2}


class CaseRules(models.Model):
    """The numbers a jurisdiction sets. One row (pk 1); defaults are the national rule
    or, where the law leaves the figure to local rules, the most protective published
    one (reference.md §2–3), so a bureau that configures nothing errs for the party."""

    bureau_abbreviation = models.CharField(
        _("bureau abbreviation for document numbers"),
        max_length=20,
        default="城管",
        help_text=_("Used in numbers such as 城管罚决字〔2026〕第12号."),
    )
    # 行政处罚法 第六十三条 较大数额 — Beijing's scheme (京建法〔2023〕2号) by default.
    hearing_fine_individual = models.DecimalField(
        _("hearing: fine on an individual from (yuan)"), default=Decimal(3000), **MONEY
    )
    hearing_fine_organisation = models.DecimalField(
        _("hearing: fine on an organisation from (yuan)"), default=Decimal(50000), **MONEY
    )
    hearing_confiscation_value = models.DecimalField(
        _("hearing: confiscated income or property worth from (yuan)"),
        default=Decimal(10000),
        **MONEY,
    )
    # 第五十八条 重大执法决定 — local lists; a common scheme by default.
    major_fine_individual = models.DecimalField(
        _("legal review: fine on an individual from (yuan)"), default=Decimal(10000), **MONEY
    )
    major_fine_organisation = models.DecimalField(
        _("legal review: fine on an organisation from (yuan)"), default=Decimal(100000), **MONEY
    )
    # 第五十七条 集体讨论 for 情节复杂或者重大 — by default the same thresholds.
    collective_fine_individual = models.DecimalField(
        _("collective discussion: fine on an individual from (yuan)"),
        default=Decimal(10000),
        **MONEY,
    )
    collective_fine_organisation = models.DecimalField(
        _("collective discussion: fine on an organisation from (yuan)"),
        default=Decimal(100000),
        **MONEY,
    )
    statement_working_days = models.PositiveSmallIntegerField(
        _("working days for the party's statement and defence"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("The law sets no figure (第四十五条); 5 matches the hearing request period."),
    )
    decision_extension_days = models.PositiveSmallIntegerField(
        _("days a decision may be extended by"),
        default=0,
        help_text=_(
            "第六十条: 90 days unless a law, regulation or rule provides otherwise. "
            "0 means no extension is available."
        ),
    )
    filing_record_working_days = models.PositiveSmallIntegerField(
        _("working days to file a summary decision with the bureau (备案)"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    legal_review_working_days = models.PositiveSmallIntegerField(
        _("working days for the legal review"), default=7, validators=[MinValueValidator(1)]
    )
    document_number_pattern = models.CharField(
        _("document number pattern"),
        max_length=60,
        default="{abbreviation}{code}字〔{year}〕第{n}号",
        help_text=_(
            "{abbreviation} the bureau's abbreviation, {code} the document's code (罚决, 罚告 …), "
            "{year} the year, {n} the sequence number."
        ),
    )
    reconsideration_body = models.CharField(
        _("reconsideration authority (行政复议机关)"),
        max_length=100,
        default="本机关所属的人民政府",
        help_text=_("Named in decisions as where the party may apply for reconsideration."),
    )
    payment_instructions = models.TextField(
        _("how fines are paid"),
        default="持本决定书到代收罚款的银行缴纳，或者通过非税收入电子缴款平台缴纳。",
    )

    class Meta:
        verbose_name = _("local case rules")
        verbose_name_plural = _("local case rules")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="cases_rules_single_row")]

    def __str__(self) -> str:
        return str(_("Local case rules"))


class Violation(models.Model):
    """An item of the violation catalogue (违法行为库), versioned: a change makes a new
    version and cases keep the version they were decided under."""

    code = models.CharField(_("code"), max_length=20)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(_("domain"), max_length=50, blank=True)
    violated_law = models.CharField(_("law violated"), max_length=100)
    violated_article = models.CharField(_("article violated"), max_length=50)
    violated_text = models.TextField(_("text of the duty"), blank=True)
    penalty_law = models.CharField(_("penalty law"), max_length=100, blank=True)
    penalty_article = models.CharField(_("penalty article"), max_length=50, blank=True)
    penalty_text = models.TextField(_("text of the penalty clause"), blank=True)
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list)
    measures = models.JSONField(_("measures"), default=list, blank=True)
    local_basis_required = models.BooleanField(
        _("a local regulation supplies the penalty"),
        default=False,
        help_text=_("The national law sets no amount: the bureau must enter its local basis."),
    )
    first_offence_exemption = models.BooleanField(
        _("on the first-offence exemption list (首违不罚)"), default=False
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("violation")
        verbose_name_plural = _("violation catalogue")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="cases_violation_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="cases_violation_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def basis(self) -> str:
        return f"《{self.violated_law}》{self.violated_article}"

    @property
    def penalty_basis(self) -> str:
        return f"《{self.penalty_law}》{self.penalty_article}" if self.penalty_law else ""


class DiscretionGrade(models.Model):
    """One grade of a violation's discretion standard (裁量基准, 行政处罚法 第三十四条)."""

    violation = models.ForeignKey(
        Violation, on_delete=models.CASCADE, related_name="grades", verbose_name=_("violation")
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    party = models.CharField(
        _("applies to"), max_length=12, choices=GradeParty.choices, default=GradeParty.ANY
    )
    conditions = models.TextField(_("conditions"))
    fine_min = models.DecimalField(_("fine from"), default=Decimal(0), **MONEY)
    fine_max = models.DecimalField(_("fine up to"), default=Decimal(0), **MONEY)
    fine_basis = models.CharField(
        _("fine basis"), max_length=20, choices=FineBasis.choices, default=FineBasis.FIXED
    )
    quantity_up_to = models.DecimalField(
        _("applies up to this quantity"),
        null=True,
        blank=True,
        max_digits=14,
        decimal_places=2,
        help_text=_("Area in m², days or cost the grade covers; empty for no limit."),
    )
    no_penalty_possible = models.BooleanField(_("no penalty possible (第三十三条)"), default=False)

    class Meta:
        ordering = ["violation", "party", "fine_max"]
        verbose_name = _("discretion grade")
        verbose_name_plural = _("discretion grades")
        constraints = [
            models.UniqueConstraint(
                fields=["violation", "grade", "party"], name="cases_grade_once"
            ),
            models.CheckConstraint(
                condition=Q(fine_max__gte=F("fine_min")), name="cases_grade_range_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.violation.code} {self.get_grade_display()}"


class CaseCounter(models.Model):
    """The last case number given out in a year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year} {self.last}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    procedure = models.CharField(_("procedure"), max_length=10, choices=Procedure.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    source = models.CharField(_("case source"), max_length=12, choices=Source.choices)
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("originating report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cases"
    )
    title = models.CharField(_("cause (案由)"), max_length=200)
    facts = models.TextField(_("facts"), blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    act_started_on = models.DateField(_("act began on"))
    act_ended_on = models.DateField(
        _("act ended on"), null=True, blank=True, help_text=_("Empty while it continues.")
    )
    discovered_on = models.DateField(_("discovered on"))
    harmed_safety = models.BooleanField(
        _("harmed life, health or financial safety"),
        default=False,
        help_text=_("第三十六条: the limitation is then 5 years instead of 2."),
    )
    complex_case = models.BooleanField(
        _("difficult or complex (疑难复杂)"),
        default=False,
        help_text=_("第五十八条第三项 and 第五十七条: forces legal review and discussion."),
    )
    # The party (当事人)
    party_kind = models.CharField(
        _("party kind"), max_length=12, choices=PartyKind.choices, default=PartyKind.INDIVIDUAL
    )
    party_name = models.CharField(_("party name"), max_length=100, blank=True)
    party_id_number = models.CharField(_("identity number"), max_length=18, blank=True)
    party_credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    party_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    party_phone = models.CharField(_("party phone"), max_length=20, blank=True)
    party_address = models.CharField(_("party address"), max_length=255, blank=True)
    # What was done, and the penalty proposed, notified and decided
    violation = models.ForeignKey(
        Violation,
        verbose_name=_("violation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    circumstances = models.JSONField(_("circumstances"), default=dict, blank=True)
    quantity = models.DecimalField(
        _("quantity (m², days, cost)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    proposal = models.JSONField(_("discretion proposal"), default=dict, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), default=Decimal(0), **MONEY)
    confiscation_value = models.DecimalField(
        _("confiscated income or property worth (yuan)"), default=Decimal(0), **MONEY
    )
    departure_reason = models.TextField(_("reason for leaving the proposed range"), blank=True)
    # Requirements fixed at review (第五十七、五十八、六十三条)
    legal_review_required = models.BooleanField(_("legal review required"), default=False)
    discussion_required = models.BooleanField(_("collective discussion required"), default=False)
    hearing_offered = models.BooleanField(_("hearing offered"), default=False)
    # Milestones
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    legal_reviewed_at = models.DateTimeField(_("legal review done"), null=True, blank=True)
    legal_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("legal reviewer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_opinion = models.TextField(_("legal review opinion"), blank=True)
    discussed_at = models.DateTimeField(_("discussed"), null=True, blank=True)
    discussion_minutes = models.TextField(_("discussion minutes"), blank=True)
    notified_at = models.DateTimeField(_("prior notice served"), null=True, blank=True)
    notified_kinds = models.JSONField(_("notified penalty kinds"), default=list, blank=True)
    notified_fine = models.DecimalField(_("notified fine"), null=True, blank=True, **MONEY)
    statement_received = models.BooleanField(_("statement received"), default=False)
    rights_waived = models.BooleanField(
        _("party waived statement and hearing (第六十二条)"), default=False
    )
    hearing_requested_at = models.DateTimeField(_("hearing requested"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("hearing time"), null=True, blank=True)
    hearing_presider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hearing presider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    heard_at = models.DateTimeField(_("hearing held"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("decision extended by days"), default=0)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    education_note = models.TextField(_("education given (第三十三条)"), blank=True)
    served_at = models.DateTimeField(_("decision served"), null=True, blank=True)
    service_method = models.CharField(
        _("service method"), max_length=12, choices=ServiceMethod.choices, blank=True
    )
    electronic_consent = models.BooleanField(_("consented to electronic service"), default=False)
    payment_due = models.DateField(_("pay by"), null=True, blank=True)
    collected_on_the_spot = models.BooleanField(_("collected on the spot"), default=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid"), null=True, blank=True, **MONEY)
    bank_receipt = models.CharField(_("bank receipt number"), max_length=50, blank=True)
    filing_recorded_at = models.DateTimeField(
        _("filed with the bureau (备案)"), null=True, blank=True
    )
    remedy_started_on = models.DateField(
        _("reconsideration or lawsuit filed on"), null=True, blank=True
    )
    remedy_ended_on = models.DateField(
        _("reconsideration or lawsuit ended on"), null=True, blank=True
    )
    remedy_result = models.CharField(
        _("result of the reconsideration or lawsuit"),
        max_length=20,
        choices=RemedyResult.choices,
        blank=True,
    )
    remedy_result_on = models.DateField(_("result given on"), null=True, blank=True)
    remedy_body = models.CharField(_("reconsideration body or court"), max_length=100, blank=True)
    remedy_reference = models.CharField(_("its document number"), max_length=60, blank=True)
    reminded_at = models.DateTimeField(_("reminder served (催告)"), null=True, blank=True)
    court_applied_at = models.DateTimeField(_("applied to the court"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    end_reason = models.TextField(_("reason (not filed, withdrawn, transferred)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "created_at"], name="cases_status_created"),
            models.Index(fields=["unit", "created_at"], name="cases_unit_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(fine__gte=0), name="cases_fine_not_negative"),
            models.CheckConstraint(
                condition=Q(act_ended_on__isnull=True) | Q(act_ended_on__gte=F("act_started_on")),
                name="cases_act_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_individual(self) -> bool:
        return self.party_kind == PartyKind.INDIVIDUAL

    @property
    def penalty_kind_labels(self) -> list[str]:
        """The penalty kinds decided, by their names (``penalty_kinds`` holds the codes)."""
        return penalty_kind_labels(self.penalty_kinds)


class CaseOfficer(models.Model):
    """An officer handling the case, with the certificate shown (第四十二条、第五十五条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="officers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_roles"
    )
    certificate_number = models.CharField(_("certificate number"), max_length=32)
    is_lead = models.BooleanField(_("lead officer"), default=False)

    class Meta:
        ordering = ["-is_lead", "id"]
        verbose_name = _("case officer")
        verbose_name_plural = _("case officers")
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="cases_officer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.certificate_number})"


class Preservation(models.Model):
    """先行登记保存 (第五十六条): evidence preserved on approval, decided on within 7
    working days."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="preservations")
    items = models.TextField(_("items preserved"))
    preserved_at = models.DateTimeField(_("preserved"))
    decide_by = models.DateTimeField(_("decide by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.TextField(_("decision on the items"), blank=True)

    class Meta:
        ordering = ["preserved_at"]
        verbose_name = _("preserved evidence")
        verbose_name_plural = _("preserved evidence")

    def __str__(self) -> str:
        return self.items[:50]


class Statement(models.Model):
    """The party's statement and defence (陈述、申辩, 第四十五条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statements")
    text = models.TextField(_("statement"))
    received_at = models.DateTimeField(_("received"))
    by_party_link = models.BooleanField(_("sent by the party online"), default=False)
    accepted = models.BooleanField(_("accepted"), null=True, blank=True)
    response = models.TextField(_("bureau's response"), blank=True)

    class Meta:
        ordering = ["received_at"]
        verbose_name = _("statement and defence")
        verbose_name_plural = _("statements and defences")

    def __str__(self) -> str:
        return self.text[:50]


class CaseDeadline(models.Model):
    """A time limit of the procedure, from the article that sets it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=20, choices=DeadlineKind.choices)
    article = models.CharField(_("article"), max_length=60)
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    state = models.CharField(
        _("state"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("reported overdue"), null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("case deadline")
        verbose_name_plural = _("case deadlines")
        indexes = [models.Index(fields=["state", "due_at"], name="cases_deadline_open_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(state="open"),
                name="cases_deadline_one_open_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()}"


class DocumentCounter(models.Model):
    """The last number given to a kind of document in a year."""

    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="cases_document_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.last}"


class CaseDocument(models.Model):
    """A document (文书) issued in a case: an immutable snapshot of its text, numbered
    where the kind is numbered, with a hash and a token for the public check page."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=60)
    issued_at = models.DateTimeField(_("issued"))
    sections = models.JSONField(_("content"))
    sha256 = models.CharField(_("content hash"), max_length=64)
    verify_token = models.CharField(max_length=32, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="cases_document_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()


class PartyAccess(OneTimeCodeFields):
    """A party's secret link to their case (only its hash is kept) and the one-time
    code last sent to their phone (core.onetime)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="party_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("party link")
        verbose_name_plural = _("party links")

    def __str__(self) -> str:
        return f"{self.case.number} {self.created_at:%Y-%m-%d}"


class CaseViolation(models.Model):
    """One of the violations of a case, assessed on its own (分别裁量); the case's penalty
    is their sum (合并执行). The first is the case's main violation (its 案由); another
    act is another row — one act is never fined twice (行政处罚法 第二十九条)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="violations")
    violation = models.ForeignKey(
        Violation, verbose_name=_("violation"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    circumstances = models.JSONField(_("circumstances"), default=dict, blank=True)
    quantity = models.DecimalField(
        _("quantity (m², days, cost)"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    proposal = models.JSONField(_("discretion proposal"), default=dict, blank=True)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, blank=True)
    penalty_kinds = models.JSONField(_("penalty kinds"), default=list, blank=True)
    fine = models.DecimalField(_("fine (yuan)"), default=Decimal(0), **MONEY)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("violation of a case")
        verbose_name_plural = _("violations of cases")
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="cases_violation_position"),
            models.UniqueConstraint(fields=["case", "violation"], name="cases_violation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} {self.violation.code}"


class Instalment(models.Model):
    """One payment of a fine whose payment was deferred or split on the party's
    application and the bureau head's approval (行政处罚法 第六十六条第二款). A deferral
    is a plan of one instalment. Each is paid, and surcharged when late, on its own."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="instalments")
    position = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    due_on = models.DateField(_("pay by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid"), null=True, blank=True, **MONEY)
    bank_receipt = models.CharField(_("bank receipt number"), max_length=50, blank=True)

    class Meta:
        ordering = ["case", "position"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [
            models.UniqueConstraint(fields=["case", "position"], name="cases_instalment_position"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="cases_instalment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.case.number} #{self.position} {self.amount} {self.due_on}"
