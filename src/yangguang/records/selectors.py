"""Reads of the record log and the evidence store, scoped to the reader.

Staff read the entries of their unit subtree; the audit administrator reads all. Sign-in,
account and personal-data-view entries are the audit administrator's alone.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from yangguang.org.models import User
from yangguang.org.rules import Action, permission_name
from yangguang.org.selectors import scope_filter
from yangguang.records.actions import AUDIT_ONLY_PREFIXES
from yangguang.records.models import DailyDigest, Evidence, EvidenceLink, RecordEntry
from yangguang.records.registry import Target, object_for_user, pk_or_404

AUDIT_ONLY = reduce(or_, (Q(action__startswith=prefix) for prefix in AUDIT_ONLY_PREFIXES))


def is_auditor(user: User) -> bool:
    return user.has_perm(permission_name(Action.READ_AUDIT_LOG))


def records_visible_to(user: User) -> QuerySet[RecordEntry]:
    entries = RecordEntry.objects.select_related("actor", "unit")
    if is_auditor(user):
        return entries
    if not user.has_perm(permission_name(Action.READ_RECORDS)):
        return entries.none()
    return entries.filter(scope_filter(user=user, unit_field="unit")).exclude(AUDIT_ONLY)


def records_of(*, user: User, target: Target) -> QuerySet[RecordEntry]:
    """The entries about one object that the user may read, oldest first.

    Seeing the object is enough to read its entries (except the audit-only ones):
    whoever may open a report may read how it was handled.
    """
    entries = RecordEntry.objects.select_related("actor", "unit").filter(
        object_type=target.object_type, object_id=target.object_id
    )
    if not is_auditor(user):
        if not user.has_perm(permission_name(Action.READ_RECORDS)):
            return entries.none()
        entries = entries.exclude(AUDIT_ONLY)
    return entries.order_by("sequence")


def get_entry_for_user(*, user: User, sequence: int) -> RecordEntry:
    try:
        return records_visible_to(user).get(sequence=sequence)
    except RecordEntry.DoesNotExist as exc:
        raise Http404 from exc


def evidence_of(*, target: Target) -> QuerySet[EvidenceLink]:
    return EvidenceLink.objects.select_related("evidence", "linked_by").filter(
        object_type=target.object_type, object_id=target.object_id
    )


def get_evidence_for_user(*, user: User, sha256: str) -> Evidence:
    """The evidence, if the user may see at least one object it is attached to."""
    evidence = (
        Evidence.objects.filter(sha256=sha256).select_related("uploaded_by", "recorder").first()
    )
    return _visible_evidence(user, evidence)


def get_evidence_by_pk_for_user(*, user: User, evidence_id: str) -> Evidence:
    evidence = Evidence.objects.filter(pk=pk_or_404(evidence_id)).first()
    return _visible_evidence(user, evidence)


def _visible_evidence(user: User, evidence: Evidence | None) -> Evidence:
    if evidence is None:
        raise Http404
    for link in evidence.links.all():
        try:
            object_for_user(user=user, object_type=link.object_type, object_id=link.object_id)
        except Http404:
            continue
        return evidence
    raise Http404


def digests() -> QuerySet[DailyDigest]:
    return DailyDigest.objects.order_by("-day")
