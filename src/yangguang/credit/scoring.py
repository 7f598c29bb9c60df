"""Schemes and scores: the one writer of ``CreditScheme`` and ``CreditScore``.

A merchant's score for a year is the scheme's base points plus the points of each of its
unrepaired events of that year (so the score resets when the year turns); its grade is
the band the points fall in; its list (red/black) follows the scheme's criteria. Scores
are kept, not computed on every page: an event or a repair rescores its merchant at
once, a scheme change or the new year rescores everyone (``scores_recompute``, in
batches, grouped in the database).
"""

import datetime
from collections import defaultdict
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.credit.models import CreditEvent, CreditScheme, CreditScore
from yangguang.credit.scheme import Rules, rules_from
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

BATCH = 2000


def active_scheme() -> CreditScheme:
    """The active scheme. A database without one (never the case after the migrations,
    which ship one active) gets the shipped default, so that verifying a report or
    deciding a case never fails for want of credit configuration."""
    scheme = CreditScheme.objects.filter(active=True).first()
    if scheme is None:
        from yangguang.credit.scheme import DEFAULT_RULES

        with transaction.atomic():
            latest = CreditScheme.objects.filter(code="abcd").order_by("-version").first()
            scheme = CreditScheme.objects.create(
                code="abcd",
                version=latest.version + 1 if latest else 1,
                name=_("Shop-front credit grades (A/B/C/D)"),
                rules=DEFAULT_RULES,
                active=True,
                note=_("The shipped default, restored because no scheme was active"),
                created_at=timezone.now(),
            )
    return scheme


def scoring_year(moment: datetime.datetime) -> int:
    """The year a moment counts in: the bureau's calendar year (Asia/Shanghai)."""
    return timezone.localtime(moment).year


def _pairs(rules: Rules, predicate) -> Q:
    """A filter matching events whose (kind, severity) satisfies ``predicate``."""
    from yangguang.credit.enums import EventKind
    from yangguang.credit.scheme import PENALTY_SEVERITIES

    q = Q(pk__in=[])
    for kind in EventKind.values:
        for severity in ("", *PENALTY_SEVERITIES):
            if predicate(kind, severity):
                q |= Q(kind=kind, severity=severity)
    return q


def _rescore(
    merchant_ids: Sequence[int], *, scheme: CreditScheme, rules: Rules, now: datetime.datetime
) -> int:
    year = scoring_year(now)
    counted = CreditEvent.objects.filter(
        merchant_id__in=merchant_ids, year=year, repaired_at__isnull=True
    )
    tallies: dict[int, list[tuple[str, str, int]]] = defaultdict(list)
    for merchant_id, kind, severity, count in (
        counted.values_list("merchant_id", "kind", "severity").annotate(n=Count("id")).order_by()
    ):
        tallies[merchant_id].append((kind, severity, count))
    since = now - datetime.timedelta(days=round(rules.black_list_months * 30.44))
    serious = dict(
        CreditEvent.objects.filter(
            _pairs(rules, lambda k, s: rules.dishonesty_of(k, s) == "serious"),
            merchant_id__in=merchant_ids,
            repaired_at__isnull=True,
            occurred_at__gte=since,
        )
        .values_list("merchant_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    scores = []
    for merchant_id in merchant_ids:
        events = tallies.get(merchant_id, [])
        points = rules.score(events)
        grade = rules.band_for(points).grade
        negative = sum(n for kind, severity, n in events if rules.points_for(kind, severity) < 0)
        scores.append(
            CreditScore(
                merchant_id=merchant_id,
                year=year,
                points=points,
                grade=grade,
                credit_list=rules.credit_list(
                    grade=grade,
                    negative_events=negative,
                    serious_recent=serious.get(merchant_id, 0),
                ),
                scheme=scheme,
                computed_at=now,
            )
        )
    CreditScore.objects.bulk_create(
        scores,
        update_conflicts=True,
        unique_fields=["merchant"],
        update_fields=["year", "points", "grade", "credit_list", "scheme", "computed_at"],
    )
    return len(scores)


def merchant_rescore(*, merchant_id: int, now: datetime.datetime | None = None) -> CreditScore:
    """Recompute one merchant's score under the active scheme (in the caller's transaction)."""
    now = now or timezone.now()
    scheme = active_scheme()
    _rescore([merchant_id], scheme=scheme, rules=rules_from(scheme.rules), now=now)
    return CreditScore.objects.get(merchant_id=merchant_id)


def scores_recompute(*, now: datetime.datetime | None = None, batch: int = BATCH) -> int:
    """Recompute every merchant's score under the active scheme, ``batch`` merchants per
    transaction (memory stays flat however many there are). Returns how many."""
    from yangguang.merchants.models import Merchant

    now = now or timezone.now()
    scheme = active_scheme()
    rules = rules_from(scheme.rules)
    done, last = 0, 0
    while True:
        ids = list(
            Merchant.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        with transaction.atomic():
            done += _rescore(ids, scheme=scheme, rules=rules, now=now)
        last = ids[-1]


def scores_new_year(*, now: datetime.datetime | None = None) -> int:
    """When the year has turned, rescore everyone (the score resets to the base points
    plus the new year's events); otherwise nothing. Run by the worker every round."""
    now = now or timezone.now()
    if not CreditScore.objects.filter(year__lt=scoring_year(now)).exists():
        return 0
    return scores_recompute(now=now)


def _require_configure(actor: User) -> None:
    if not allowed(actor, Action.CONFIGURE_SYSTEM):
        raise PermissionDenied(_("Only the system administrator configures credit schemes."))


def scheme_save(
    *,
    code: str,
    name: str,
    rules: object,
    note: str,
    actor: User | None,
    now: datetime.datetime | None = None,
) -> CreditScheme:
    """Save the next version of scheme ``code`` (checked first: ValidationError). If the
    version it follows is active, the new one becomes active and everyone is rescored."""
    if actor is not None:
        _require_configure(actor)
    rules_from(rules)  # refuse before anything is written
    name = name.strip()
    if not name or "\x00" in name or "\x00" in note:
        raise ValidationError(_("Give the scheme a name."))
    now = now or timezone.now()
    with transaction.atomic():
        previous = (
            CreditScheme.objects.select_for_update().filter(code=code).order_by("-version").first()
        )
        was_active = bool(previous and previous.active)
        if was_active:
            previous.active = False
            previous.save(update_fields=["active"])
        scheme = CreditScheme.objects.create(
            code=code,
            version=previous.version + 1 if previous else 1,
            name=name[:100],
            rules=rules,
            active=was_active,
            note=note.strip()[:300],
            created_at=now,
            created_by=actor,
        )
        record_append(
            action="credit.scheme_save",
            target=scheme,
            actor=actor,
            changes={"version": [previous.version if previous else None, scheme.version]},
            reason=scheme.note,
        )
    if was_active:
        scores_recompute(now=now)
    return scheme


def scheme_activate(
    *, scheme: CreditScheme, actor: User | None, now: datetime.datetime | None = None
) -> CreditScheme:
    """Make ``scheme`` the one active scheme and rescore everyone under it."""
    if actor is not None:
        _require_configure(actor)
    rules_from(scheme.rules)
    now = now or timezone.now()
    with transaction.atomic():
        before = CreditScheme.objects.select_for_update().filter(active=True).first()
        if before is not None and before.pk != scheme.pk:
            before.active = False
            before.save(update_fields=["active"])
        scheme.active = True
        scheme.save(update_fields=["active"])
        record_append(
            action="credit.scheme_activate",
            target=scheme,
            actor=actor,
            changes={"active": [str(before) if before else None, str(scheme)]},
        )
    scores_recompute(now=now)
    return scheme
