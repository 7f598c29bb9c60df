from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Procedure(models.TextChoices):
    SIMPLE = "simple", _("Summary procedure (简易程序)")
    ORDINARY = "ordinary", _("Ordinary procedure (普通程序)")


class Source(models.TextChoices):
    """How the case came to the bureau (立案审批表 案件来源)."""

    PATROL = "patrol", _("Found on patrol")
    REPORT = "report", _("A report from the loop")
    COMPLAINT = "complaint", _("Complaint or tip-off")
    TRANSFER = "transfer", _("Transferred by another authority")
    ASSIGNMENT = "assignment", _("Assigned by a superior")
    CAMERA = "camera", _("Camera or sensor (非现场执法)")


class PartyKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", pgettext_lazy("party kind", "Organisation")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting filing approval")
    NOT_FILED = "not_filed", _("Not filed")
    INVESTIGATING = "investigating", _("Under investigation")
    INVESTIGATED = "investigated", _("Investigation ended")
    REVIEWED = "reviewed", _("Reviewed")
    LEGAL_REVIEWED = "legal_reviewed", _("Legal review done")
    DISCUSSED = "discussed", _("Collective discussion held")
    NOTIFIED = "notified", _("Prior notice served")
    HEARING_REQUESTED = "hearing_requested", _("Hearing requested")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    HEARD = "heard", _("Hearing held")
    DECIDED = "decided", _("Decided, awaiting service")
    SERVED = "served", _("Decision served")
    COURT_APPLIED = "court_applied", _("Enforcement applied for at court")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn (撤案)")
    TRANSFERRED = "transferred", _("Transferred to another authority")


class Outcome(models.TextChoices):
    """What the decision is (决定 / 不予处罚 / 撤案 / 移送)."""

    PENALTY = "penalty", _("Penalty")
    NO_PENALTY = "no_penalty", _("No penalty (不予行政处罚)")


class RemedyResult(models.TextChoices):
    """How a reconsideration (行政复议法) or a lawsuit (行政诉讼法) ended for the decision."""

    UPHELD = "upheld", _("Upheld (维持)")
    CHANGED = "changed", _("Changed (变更)")
    REVOKED = "revoked", _("Revoked (撤销)")
    CONFIRMED_UNLAWFUL = "confirmed_unlawful", _("Confirmed unlawful (确认违法)")
    VOID = "void", _("Confirmed void (确认无效)")


# 行政处罚法 第四十八条第二款: results that set the decision aside.
SET_ASIDE_RESULTS = frozenset(
    {
        RemedyResult.CHANGED,
        RemedyResult.REVOKED,
        RemedyResult.CONFIRMED_UNLAWFUL,
        RemedyResult.VOID,
    }
)


class Grade(models.TextChoices):
    """Discretion grades (裁量阶次), from lightest to heaviest."""

    MINOR = "minor", _("Minor (轻微)")
    GENERAL = "general", _("General (一般)")
    SERIOUS = "serious", _("Serious (较重)")
    GRAVE = "grave", _("Grave (严重)")


class GradeParty(models.TextChoices):
    """Whom a grade's range applies to: several laws fine individuals and
    organisations differently (e.g. 大气污染防治法 第一百一十九条)."""

    ANY = "any", _("Anyone")
    INDIVIDUAL = "individual", _("Individuals")
    ORGANISATION = "organisation", _("Organisations")


GRADE_ORDER = [Grade.MINOR, Grade.GENERAL, Grade.SERIOUS, Grade.GRAVE]


class FineBasis(models.TextChoices):
    """How a grade's range turns into yuan."""

    FIXED = "fixed", _("Yuan")
    PER_SQM = "per_sqm", _("Yuan per square metre")
    PERCENT_OF_COST = "percent_of_cost", _("Per cent of the construction cost")
    MULTIPLE_OF_INCOME = "multiple_of_income", _("Times the illegal income")


class PenaltyKind(models.TextChoices):
    """行政处罚法 第九条 — the kinds a 城管 bureau uses."""

    WARNING = "warning", _("Warning (警告)")
    CRITICISM = "criticism", _("Public criticism (通报批评)")
    FINE = "fine", _("Fine (罚款)")
    CONFISCATE_INCOME = "confiscate_income", _("Confiscation of illegal income")
    CONFISCATE_PROPERTY = "confiscate_property", _("Confiscation of illegal property")
    SUSPEND_LICENCE = "suspend_licence", _("Suspension of a licence")
    REVOKE_LICENCE = "revoke_licence", _("Revocation of a licence")
    RESTRICT_BUSINESS = "restrict_business", _("Restriction of business activity")
    STOP_BUSINESS = "stop_business", _("Order to stop production or business")
    CLOSE_DOWN = "close_down", _("Order to close down")


def penalty_kind_labels(kinds: list[str]) -> list[str]:
    """The names of penalty kinds stored as codes (a case's or a catalogue item's)."""
    return [str(PenaltyKind(kind).label) if kind in PenaltyKind.values else kind for kind in kinds]


class ServiceMethod(models.TextChoices):
    """行政处罚法 第六十一条 and 民事诉讼法: how a document reaches the party."""

    ON_THE_SPOT = "on_the_spot", _("Handed over on the spot")
    DIRECT = "direct", _("Delivered in person (直接送达)")
    LEFT = "left", _("Left at the residence (留置送达)")
    POST = "post", _("By post (邮寄送达)")
    NOTICE = "notice", _("By public notice (公告送达)")
    ELECTRONIC = "electronic", _("Electronically, with consent (电子送达)")


class DeadlineKind(models.TextChoices):
    FILING_RECORD = "filing_record", _("File the summary decision with the bureau (备案)")
    PRESERVATION = "preservation", _("Decide on preserved evidence (先行登记保存)")
    STATEMENT = "statement", _("Party's statement and defence (陈述申辩)")
    HEARING_REQUEST = "hearing_request", _("Party may request a hearing")
    DECISION = "decision", _("Decision (作出决定)")
    SERVICE = "service", _("Serve the decision (送达)")
    PAYMENT = "payment", _("Payment of the fine")
    COURT = "court", _("Apply to the court for enforcement")
    # Opened by the disclosure domain (阳光公示), watched and shown like the others.
    PUBLICATION = "publication", _("Publish the decision (事后公开)")
    WITHDRAWAL = "withdrawal", _("Withdraw the published decision (第四十八条)")


# Deadlines that outlive the case's own procedure: closing the case does not cancel them.
DISCLOSURE_DEADLINES = frozenset({DeadlineKind.PUBLICATION, DeadlineKind.WITHDRAWAL})


class DeadlineState(models.TextChoices):
    OPEN = "open", _("Running")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("No longer applies")


class ReviewPoint(models.TextChoices):
    """What the legal review (法制审核, 行政处罚法 第五十八条) checks, point by point
    (国办发〔2018〕118号 and the local lists implementing it, reference.md §3)."""

    SUBJECT = "subject", _("The authority is competent and the officers are qualified")
    FACTS = "facts", _("The facts are clear and the evidence conclusive and sufficient")
    BASIS = "basis", _("The legal basis is correctly applied")
    DISCRETION = "discretion", _("The discretion is appropriate (裁量基准)")
    PROCEDURE = "procedure", _("The procedure is lawful and the party's rights are protected")
    AUTHORITY = "authority", _("No power is exceeded or abused")
    DOCUMENTS = "documents", _("The documents are complete and in order")
    CRIME = "crime", _("Whether a suspected crime must be transferred has been checked")
