"""Reads of the disclosure domain: what the public may see, and the legal office's queue."""

import datetime

from django.db.models import QuerySet

from yangguang.cases.deadlines import light
from yangguang.cases.enums import DISCLOSURE_DEADLINES, DeadlineState
from yangguang.cases.models import CaseDeadline
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import BureauProfile, ListVersion, Publication
from yangguang.org.models import User
from yangguang.org.selectors import bureau_root, scope_filter

S = PublicationStatus
PUBLIC_STATUSES = (S.PUBLISHED, S.WITHDRAWN)


def public_publications() -> QuerySet[Publication]:
    """What the portal shows: published decisions, and the withdrawal notices of those
    withdrawn (their content is no longer shown). Removed items are gone."""
    return Publication.objects.filter(status__in=PUBLIC_STATUSES).order_by("-decided_on", "-id")


def public_publication(token: str) -> Publication | None:
    if not token or len(token) > 32:
        return None
    return public_publications().filter(verify_token=token).first()


def publications_for(user: User) -> QuerySet[Publication]:
    """Publications of the cases in the user's scope, the legal office's queue first."""
    return (
        Publication.objects.filter(scope_filter(user=user, unit_field="case__unit"))
        .select_related("case", "case__unit")
        .order_by("status", "due_at", "-id")
    )


def bureau_profile() -> BureauProfile:
    """The profile; before the system administrator fills it in, the bureau's name."""
    profile = BureauProfile.objects.filter(pk=1).first()
    if profile is None:
        root = bureau_root()
        profile = BureauProfile(pk=1, name=root.name if root else "")
    return profile


def list_versions(kind: str) -> QuerySet[ListVersion]:
    return ListVersion.objects.filter(kind=kind).select_related("published_by").order_by("-number")


def current_list(kind: str) -> ListVersion | None:
    return list_versions(kind).first()


def running_deadline(publication: Publication) -> CaseDeadline | None:
    """The publication's running deadline (to publish, or to withdraw), if any."""
    return (
        CaseDeadline.objects.filter(
            case_id=publication.case_id,
            kind__in=DISCLOSURE_DEADLINES,
            state=DeadlineState.OPEN,
        )
        .order_by("due_at")
        .first()
    )


def publication_light(publication: Publication, now: datetime.datetime) -> str:
    """The running deadline's light, as for every case deadline ("" when none runs)."""
    deadline = running_deadline(publication)
    return light(deadline, now) if deadline else ""


def publication_figures(user: User, now: datetime.datetime) -> dict[str, object]:
    """The indicators of disclosure in the user's scope: publications and withdrawals
    running and overdue now, and the share of publications made in time (of those
    decided: met ÷ (met + missed), the same deadlines the board shows)."""
    deadlines = CaseDeadline.objects.filter(
        scope_filter(user=user, unit_field="case__unit"), kind__in=DISCLOSURE_DEADLINES
    )
    counts = dict.fromkeys(("running", "overdue", "withdrawals", "met", "missed"), 0)
    rows = deadlines.values_list("kind", "state", "due_at")
    for kind, state, due_at in rows.iterator():
        if state == DeadlineState.OPEN:
            counts["running"] += 1
            counts["overdue"] += due_at < now
            counts["withdrawals"] += kind == "withdrawal"
        elif state in (DeadlineState.MET, DeadlineState.MISSED) and kind == "publication":
            counts[state] += 1
    decided = counts["met"] + counts["missed"]
    counts["on_time_rate"] = round(100 * counts["met"] / decided, 1) if decided else None
    return counts
