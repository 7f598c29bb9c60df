"""Reads of reports, scoped to the reader, and the work queues of each post."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yangguang.grids.models import Grid
from yangguang.org.enums import UnitKind
from yangguang.org.models import Unit, User
from yangguang.org.rules import Action, permission_name
from yangguang.org.selectors import scope_filter, user_scope_roots
from yangguang.records.enums import EvidenceKind
from yangguang.records.registry import target_for
from yangguang.records.selectors import evidence_of
from yangguang.reports.enums import DeadlineState, PhotoStage, Status
from yangguang.reports.models import Report, Supervision


def reports_visible_to(user: User) -> QuerySet[Report]:
    """Reports whose handling unit, grid squadron, community or sub-district lies in
    the user's scope; bureau-wide posts see them all. The administrators see none
    (``view_work``: no business need, 等保2.0 GB/T 22239-2019 8.1.4.2 c)."""
    roots = user_scope_roots(user)
    if not roots or not user.has_perm(permission_name(Action.VIEW_WORK)):
        return Report.objects.none()
    related = ("category", "unit", "grid", "street", "community")
    if _whole_tree(user, roots):
        # Every report lies in the one tree or nowhere yet: no filter to evaluate.
        return Report.objects.select_related(*related)
    scope = (
        scope_filter(user=user, unit_field="unit")
        | scope_filter(user=user, unit_field="grid__squadron")
        | scope_filter(user=user, unit_field="community")
        | scope_filter(user=user, unit_field="street")
    )
    if roots[0].parent_id is None:
        # A whole bureau (of several trees): including reports not yet located anywhere.
        scope |= Q(unit__isnull=True, grid__isnull=True, street__isnull=True)
    return Report.objects.filter(scope).select_related(*related)


def _whole_tree(user: User, roots: list[Unit]) -> bool:
    """True when the scope is the root of the only unit tree: the whole installation.
    Kept on the user object for the request, as ``user_scope_roots`` keeps the roots."""
    cached = getattr(user, "_whole_tree", None)
    if cached is None:
        cached = (
            len(roots) == 1
            and roots[0].parent_id is None
            and not Unit.objects.filter(parent__isnull=True).exclude(pk=roots[0].pk).exists()
        )
        user._whole_tree = cached
    return cached


def get_report_for_user(*, user: User, report_id: int) -> Report:
    try:
        return reports_visible_to(user).get(pk=report_id)
    except Report.DoesNotExist as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class Queue:
    code: str
    label: Promise
    action: Action


QUEUES: tuple[Queue, ...] = (
    Queue("intake", _("Awaiting intake"), Action.REPORT_ACCEPT),
    Queue("dispatch", _("Awaiting dispatch"), Action.REPORT_DISPATCH),
    Queue("returned", _("Returned"), Action.REPORT_DISPATCH),
    Queue("handle", _("To handle"), Action.REPORT_HANDLE),
    Queue("verify", _("To verify"), Action.REPORT_VERIFY),
    Queue("approve", _("Extensions and shelving"), Action.REPORT_APPROVE_DELAY),
    Queue("close", _("Awaiting closing"), Action.REPORT_CLOSE),
    Queue("overdue", _("Overdue"), Action.REPORT_SUPERVISE),
    Queue("supervised", _("Under supervision"), Action.REPORT_SUPERVISE),
)
QUEUE_BY_CODE = {queue.code: queue for queue in QUEUES}


def queues_for(user: User) -> list[Queue]:
    return [q for q in QUEUES if user.has_perm(permission_name(q.action))]


def _handled_by(user: User) -> Q:
    return Q(unit__path__startswith=user.unit.path) if user.unit_id else Q(pk__in=[])


def _inspected_by(user: User) -> Q:
    # A subquery, not a join through the officers: one row per report, no DISTINCT.
    inspected = Q(grid__in=Grid.objects.filter(officers=user)) | Q(grid__isnull=True)
    if user.unit_id:
        inspected |= Q(grid__squadron__path__startswith=user.unit.path)
    return inspected


OPEN = ~Q(status__in=[Status.CLOSED, Status.REJECTED, Status.VOID, Status.MERGED])

# What each queue holds, given the user (for the queues that depend on who asks).
QUEUE_FILTERS = {
    "intake": lambda user: Q(status=Status.SUBMITTED),
    "dispatch": lambda user: Q(status=Status.REGISTERED),
    "returned": lambda user: Q(status=Status.RETURNED),
    "handle": lambda user: (
        _handled_by(user) & Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS])
    ),
    "verify": lambda user: _inspected_by(user) & Q(status=Status.HANDLED),
    "approve": lambda user: Q(status__in=[Status.DELAY_REQUESTED, Status.SHELVE_REQUESTED]),
    "close": lambda user: Q(status=Status.VERIFIED),
    "overdue": lambda user: Q(deadline_state=DeadlineState.OVERDUE) & OPEN,
    "supervised": lambda user: Q(
        pk__in=Supervision.objects.filter(replied_at__isnull=True).values("report")
    ),
}


def queue_reports(*, user: User, code: str) -> QuerySet[Report]:
    if code not in QUEUE_FILTERS:
        raise Http404
    return reports_visible_to(user).filter(QUEUE_FILTERS[code](user))


def queue_counts(user: User) -> dict[str, int]:
    return {
        queue.code: queue_reports(user=user, code=queue.code).count() for queue in queues_for(user)
    }


def supervisions_open(report: Report) -> QuerySet[Supervision]:
    return report.supervisions.filter(replied_at__isnull=True)


def supervision_overdue(order: Supervision) -> bool:
    return order.replied_at is None and order.deadline < timezone.now()


def status_counts(queryset: QuerySet[Report]) -> dict[str, int]:
    return dict(queryset.values_list("status").annotate(n=Count("id")).order_by())


DISPATCHABLE = [UnitKind.HANDLING, UnitKind.SQUADRON, UnitKind.STREET, UnitKind.COMMUNITY]


def dispatch_units() -> QuerySet[Unit]:
    """Units a report may be dispatched to: handling units, squadrons, sub-districts,
    communities."""
    return Unit.objects.filter(is_active=True, kind__in=DISPATCHABLE).order_by("path")


def report_photos_by_step(report: Report) -> list[tuple[str, list]]:
    """The report's photos by step, in the loop's order: the photos it came with (the
    "before"), then each handling and verification, oldest first, then photos staff
    added on the record page. Each item is (step label, photos); a photo is an
    EvidenceLink (before, record page) or a ReportPhoto."""
    field_photos = list(report.photos.select_related("evidence", "added_by"))
    taken = {photo.evidence_id for photo in field_photos}
    before, other = [], []
    for link in evidence_of(target=target_for(report)):
        if link.evidence.kind != EvidenceKind.PHOTO or link.evidence_id in taken:
            continue
        # The reporter's photos came with the report (by its author, or nobody's account
        # for the public); others were added on the record page later.
        (before if link.linked_by_id == report.created_by_id else other).append(link)
    steps: list[tuple[str, list]] = []
    if before:
        steps.append((str(_("Before (reported)")), before))
    groups: dict[tuple[int, str], list] = {}
    for photo in field_photos:
        groups.setdefault((photo.round, photo.stage), []).append(photo)
    for (_round, stage), photos in sorted(
        groups.items(), key=lambda item: (item[0][0], item[0][1] != PhotoStage.HANDLING)
    ):
        steps.append((str(PhotoStage(stage).label), photos))
    if other:
        steps.append((str(_("Added on the record page")), other))
    return steps


def report_public_photos(report: Report):
    """The field photos staff approved for the public, oldest first."""
    return report.photos.exclude(public_key="").order_by("added_at", "pk")
