"""What the loop's figures count, defined once (reference.md §1.7; docs/command-centre.md).

A *measure* is a condition on a report's *facts*: its kind, channel, status, light,
721 mode, rating, category, units, the person who entered it, and six yes/no facts
derived from its dates and counters. The same condition selects

- the rows of the summaries (``reports.tally``), whose columns are those facts, and
- the reports themselves (``with_facts`` annotates the six derived facts),

so a figure and the list behind its link cannot disagree: the figure sums the
summary rows a measure selects, the link lists the reports it selects.

The 数字城管 evaluation's rates are ratios of two measures (``RATES``).
"""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yangguang.reports.enums import DeadlineState, DisposalMode, Rating, ReportKind, Status

# The derived facts, as database expressions on a report (for ``with_facts`` and the
# rebuild of the summaries) — and as Python, for one report (``tally.facts_of``).
DERIVED_FACTS = {
    "is_dispatched": Q(dispatched_at__isnull=False),
    "is_handled": Q(handled_at__isnull=False),
    "handled_on_time": Q(
        handled_at__isnull=False, deadline__isnull=False, handled_at__lte=F("deadline")
    ),
    "is_reworked": Q(rework_count__gt=0),
    "is_extended": Q(delay_count__gt=0),
    "is_answered": ~Q(public_reply=""),
}


def with_facts(reports: QuerySet) -> QuerySet:
    """``reports`` with the derived facts annotated, so that a measure's condition
    applies to them."""
    return reports.annotate(
        **{
            name: ExpressionWrapper(condition, output_field=BooleanField())
            for name, condition in DERIVED_FACTS.items()
        }
    )


NOT_REGISTERED = [Status.SUBMITTED, Status.REJECTED, Status.VOID, Status.MERGED]
TERMINAL = [Status.CLOSED, Status.REJECTED, Status.VOID, Status.MERGED]
PROBLEM = Q(kind=ReportKind.PROBLEM)
REGISTERED = PROBLEM & ~Q(status__in=NOT_REGISTERED)
OPEN = ~Q(status__in=TERMINAL)
OVERDUE = Q(deadline_state=DeadlineState.OVERDUE)
DISPATCHED = PROBLEM & Q(is_dispatched=True)
HANDLED = DISPATCHED & Q(is_handled=True)
FINISHED = Q(status__in=[Status.CLOSED, Status.REJECTED])


@dataclass(frozen=True)
class Measure:
    code: str
    label: Promise
    condition: Q


MEASURES: dict[str, Measure] = {
    measure.code: measure
    for measure in (
        Measure("received", _("Received (受理数)"), Q()),
        Measure("registered", _("Registered (立案数)"), REGISTERED),
        Measure("open", _("Open (not finished)"), OPEN),
        Measure("overdue", _("Overdue (open, red light)"), OPEN & OVERDUE),
        Measure(
            "light_normal", _("Open, green light"), OPEN & Q(deadline_state=DeadlineState.NORMAL)
        ),
        Measure(
            "light_warning",
            _("Open, yellow light"),
            OPEN & Q(deadline_state=DeadlineState.WARNING),
        ),
        Measure("dispatched", _("Dispatched (派遣数)"), DISPATCHED),
        Measure(
            "due_handling",
            _("Due for handling (应处置数)"),
            DISPATCHED & (Q(is_handled=True) | OVERDUE),
        ),
        Measure("handled", _("Handled (处置数)"), HANDLED),
        Measure(
            "handled_on_time",
            _("Handled on time (按期处置数)"),
            DISPATCHED & Q(handled_on_time=True),
        ),
        # Handled at least once: a report sent back for rework is not handled again yet.
        Measure(
            "handled_once",
            _("Handled at least once"),
            DISPATCHED & (Q(is_handled=True) | Q(is_reworked=True)),
        ),
        Measure("reworked", _("Sent back for rework (返工数)"), DISPATCHED & Q(is_reworked=True)),
        Measure("extended", _("Extended (延期数)"), DISPATCHED & Q(is_extended=True)),
        Measure(
            "due_closing",
            _("Due for closing (应结案数)"),
            REGISTERED & (Q(status=Status.CLOSED) | OVERDUE),
        ),
        Measure("closed", _("Closed (结案数)"), PROBLEM & Q(status=Status.CLOSED)),
        Measure(
            "closed_on_time",
            _("Closed, handled on time (按期结案数)"),
            PROBLEM & Q(status=Status.CLOSED, handled_on_time=True),
        ),
        Measure("finished", _("Finished (应反馈数)"), FINISHED),
        Measure("answered", _("Answered (反馈数)"), FINISHED & Q(is_answered=True)),
        Measure("rated", _("Rated by the reporter"), ~Q(rating="")),
        Measure(
            "satisfied",
            _("Satisfied or basically satisfied"),
            Q(rating__in=[Rating.SATISFIED, Rating.BASICALLY]),
        ),
        Measure("mode_set", _("Handled with a 721 mode"), ~Q(disposal_mode="")),
        *(
            Measure(f"mode_{mode.value}", mode.label, Q(disposal_mode=mode.value))
            for mode in DisposalMode
        ),
    )
}


@dataclass(frozen=True)
class Rate:
    """A percentage of two measures. ``lower_is_better`` rates (返工率) enter the
    综合指标值 as 100 − rate."""

    code: str
    label: Promise
    part: str
    whole: str
    lower_is_better: bool = False


RATES: dict[str, Rate] = {
    rate.code: rate
    for rate in (
        Rate(
            "handling_on_time_rate",
            _("On-time handling rate (按期处置率)"),
            "handled_on_time",
            "due_handling",
        ),
        Rate("handling_rate", _("Handling rate (处置率)"), "handled", "due_handling"),
        Rate(
            "rework_rate",
            _("Rework rate (返工率)"),
            "reworked",
            "handled_once",
            lower_is_better=True,
        ),
        Rate("closing_rate", _("Closing rate (结案率)"), "closed", "due_closing"),
        Rate(
            "closing_on_time_rate",
            _("On-time closing rate (按期结案率)"),
            "closed_on_time",
            "due_closing",
        ),
        Rate("satisfaction_rate", _("Satisfaction rate (满意率)"), "satisfied", "rated"),
        Rate("feedback_rate", _("Feedback rate (反馈率)"), "answered", "finished"),
    )
}


def measure_condition(code: str) -> Q:
    """The condition of measure ``code`` (KeyError for an unknown code)."""
    return MEASURES[code].condition


def reports_of_measure(reports: QuerySet, code: str) -> QuerySet:
    """The reports ``code`` counts, among ``reports``."""
    return with_facts(reports).filter(measure_condition(code))
