"""Star-rating campaigns (星级评定) and 文明商家 selection: the one writer of campaigns,
their entries and scores. Public votes: ``merchants.campaign_votes``; the pages' reads:
``merchants.campaign_selectors``.

A campaign runs draft → open → closed (scoring closed) → approved → published, one
function per step (``campaign_open`` … ``campaign_publish``) through ``_move``, which
locks the row, checks ``TRANSITIONS``, saves with ``update_fields`` and records the step.

Who weighs in, each as a share of 100 the campaign sets (``weight_*``, summing to 100):

- inspectors (Action.MERCHANT_MANAGE) score each entry on every criterion;
- the shop's sub-district (街道/社区): holders of the handler post (Action.
  CAMPAIGN_STREET_SCORE) whose unit is the sub-district of the shop's grid or below it
  — sub-districts and communities are handling units of the report loop;
- the public, by vote (one per phone per campaign, the phone proven by a code by text
  message and kept only as an HMAC; a weight of 0 means no vote).

Each part is brought to 100 (a scorer's points over the criteria's maximum, averaged
over scorers; votes over the most votes any entry has) and the result is their weighted
sum, of 100. An entry with no score from a part counts 0 for it. 文明商家: the best
``titles`` entries by result win the title (entries tied with the last place too);
star rating: each entry gets the highest star level whose threshold its result reaches,
and every entry with stars is awarded. The bureau leader approves for the committee
(Action.CAMPAIGN_APPROVE) with the minutes; publishing announces TITLE_AWARDED for each
awarded entry (credit records the 文明商家 event).
"""

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import events
from yangguang.merchants.enums import ShopStatus
from yangguang.merchants.models import (
    Campaign,
    CampaignEntry,
    CampaignKind,
    CampaignScore,
    CampaignStatus,
    CampaignVote,
    ScoreRole,
    Shop,
)
from yangguang.org.enums import UnitKind
from yangguang.org.models import User
from yangguang.org.rules import Action, allowed
from yangguang.records.services import record_append

S = CampaignStatus

# The allowed moves, and nothing else (a campaign never goes back: a mistake after
# opening is a new campaign).
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (S.DRAFT, S.OPEN),
        (S.OPEN, S.CLOSED),
        (S.CLOSED, S.APPROVED),
        (S.APPROVED, S.PUBLISHED),
    }
)

CRITERIA_MAX = 20
CRITERION_POINTS_MAX = 1000
STARS_MAX = 5
TEXT_MAX = 5000
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class CampaignRefused(Exception):  # noqa: N818 - "refused" is the domain's word
    """The step is not possible now; ``reason`` says why (shown as is), ``code`` names it."""

    def __init__(self, reason: str, code: str = "refused") -> None:
        super().__init__(reason)
        self.reason, self.code = reason, code


# --- creating ------------------------------------------------------------------------


@dataclass
class CampaignFields:
    name: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    criteria: list[dict]
    weight_inspectors: int
    weight_streets: int
    weight_public: int
    title: str
    streets: list[str] = field(default_factory=list)
    shops: Sequence[Shop] = ()
    titles: int | None = None
    star_thresholds: list[dict] = field(default_factory=list)


def _clean_text(value: object, key: str, errors: dict, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if "\x00" in text:
        errors[key] = _("Remove the control characters.")
    elif not text:
        errors[key] = _("Required.")
    elif len(text) > limit:
        errors[key] = _("At most %(max)d characters.") % {"max": limit}
    return text


def _small_int(value: object, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if low <= number <= high else None


def criteria_clean(value: object) -> list[dict]:
    """[{item, max_points}], 1 to CRITERIA_MAX of them; ValidationError on ``criteria``."""
    if not isinstance(value, list) or not value:
        raise ValidationError({"criteria": _("Give at least one criterion.")})
    if len(value) > CRITERIA_MAX:
        raise ValidationError({"criteria": _("At most %(max)d criteria.") % {"max": CRITERIA_MAX}})
    cleaned = []
    for number, row in enumerate(value, start=1):
        item = " ".join(str(row.get("item") or "").split()) if isinstance(row, dict) else ""
        points = _small_int(row.get("max_points"), 1, CRITERION_POINTS_MAX) if item else None
        if not item or "\x00" in item or len(item) > 100 or points is None:
            raise ValidationError(
                {
                    "criteria": _(
                        "Criterion %(n)d: give the item (at most 100 characters) and its "
                        "maximum points (1 to %(max)d)."
                    )
                    % {"n": number, "max": CRITERION_POINTS_MAX}
                }
            )
        cleaned.append({"item": item, "max_points": points})
    return cleaned


def thresholds_clean(value: object) -> list[dict]:
    """[{stars, min_result}], highest stars first; ValidationError on ``star_thresholds``."""
    message = _(
        "Give each star level as stars (1 to %(max)d, each once) and the least result it "
        "needs (0 to 100); more stars need a higher result."
    ) % {"max": STARS_MAX}
    if not isinstance(value, list) or not value:
        raise ValidationError({"star_thresholds": message})
    levels = []
    for row in value:
        if not isinstance(row, dict):
            raise ValidationError({"star_thresholds": message})
        stars = _small_int(row.get("stars"), 1, STARS_MAX)
        least = _small_int(row.get("min_result"), 0, 100)
        if stars is None or least is None:
            raise ValidationError({"star_thresholds": message})
        levels.append({"stars": stars, "min_result": least})
    levels.sort(key=lambda level: -level["stars"])
    stars = [level["stars"] for level in levels]
    results = [level["min_result"] for level in levels]
    if len(set(stars)) != len(stars) or any(a <= b for a, b in itertools.pairwise(results)):
        raise ValidationError({"star_thresholds": message})
    return levels


def _weights(data: CampaignFields, errors: dict) -> tuple[int, int, int]:
    values = []
    for key in ("weight_inspectors", "weight_streets", "weight_public"):
        number = _small_int(getattr(data, key), 0, 100)
        if number is None:
            errors[key] = _("A whole number from 0 to 100.")
        values.append(number or 0)
    if not errors and sum(values) != 100:
        errors["weight_inspectors"] = _("The three weights must add up to 100 (now %(sum)d).") % {
            "sum": sum(values)
        }
    return values[0], values[1], values[2]


def _awards(data: CampaignFields, errors: dict) -> tuple[int | None, list[dict]]:
    """How many titles (文明商家) or the star levels (star rating)."""
    titles, thresholds = None, []
    if data.kind == CampaignKind.CIVILISED:
        titles = _small_int(data.titles, 1, 10_000)
        if titles is None:
            errors["titles"] = _("How many titles: a whole number from 1 to 10,000.")
    elif data.kind == CampaignKind.STARS:
        try:
            thresholds = thresholds_clean(data.star_thresholds)
        except ValidationError as error:
            errors.update(error.message_dict)
    return titles, thresholds


def _entered(data: CampaignFields, errors: dict) -> tuple[list[str], dict[int, Shop]]:
    """The streets named and the open shops entered (those of the streets and those given)."""
    streets = sorted({" ".join(str(s).split()) for s in data.streets if str(s).strip()})
    shops = {shop.pk: shop for shop in data.shops if shop.status == ShopStatus.OPEN}
    if streets:
        for shop in Shop.objects.filter(street_name__in=streets, status=ShopStatus.OPEN):
            shops[shop.pk] = shop
    if not shops:
        errors["streets"] = _("No open shop is entered: choose a street with shops.")
    return streets, shops


def campaign_create(
    *, data: CampaignFields, actor: User, now: datetime.datetime | None = None
) -> Campaign:
    """A draft campaign with an entry for every open shop of the streets named and every
    shop given. ValidationError by field; PermissionDenied for other posts."""
    if not allowed(actor, Action.MERCHANT_MANAGE):
        raise PermissionDenied(_("Your posts do not allow this."))
    now = now or timezone.now()
    errors: dict = {}
    name = _clean_text(data.name, "name", errors, 100)
    title = _clean_text(data.title, "title", errors, 100)
    if data.kind not in CampaignKind.values:
        errors["kind"] = _("Choose the kind of campaign.")
    if not isinstance(data.starts_on, datetime.date) or not isinstance(data.ends_on, datetime.date):
        errors["starts_on"] = _("Give the period's first and last days.")
    elif data.ends_on < data.starts_on:
        errors["ends_on"] = _("The period ends before it starts.")
    weights = _weights(data, errors)
    criteria = None
    try:
        criteria = criteria_clean(data.criteria)
    except ValidationError as error:
        errors.update(error.message_dict)
    titles, thresholds = _awards(data, errors)
    streets, shops = _entered(data, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            kind=data.kind,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            criteria=criteria,
            weight_inspectors=weights[0],
            weight_streets=weights[1],
            weight_public=weights[2],
            streets=streets,
            title=title,
            titles=titles,
            star_thresholds=thresholds,
            created_at=now,
            created_by=actor,
        )
        CampaignEntry.objects.bulk_create(
            CampaignEntry(campaign=campaign, shop=shop) for shop in shops.values()
        )
        record_append(
            action="merchants.campaign_create",
            target=campaign,
            actor=actor,
            changes={
                "kind": [None, campaign.kind],
                "period": [None, f"{campaign.starts_on}—{campaign.ends_on}"],
                "weights": [None, list(weights)],
                "entries": [None, len(shops)],
            },
        )
    return campaign


# --- the steps -----------------------------------------------------------------------


def _refuse_unless_allowed(campaign: Campaign, to: str) -> None:
    if (campaign.status, to) not in TRANSITIONS:
        raise CampaignRefused(
            _("Not possible while the campaign is “%(status)s”.")
            % {"status": campaign.get_status_display()},
            code="wrong_status",
        )


def _move(
    campaign: Campaign,
    *,
    to: str,
    actor: User,
    action: str,
    now: datetime.datetime,
    values: dict | None = None,
    changes: dict | None = None,
    reason: str = "",
) -> Campaign:
    """Lock, check the table, save ``values`` and the status, record. In a transaction."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _refuse_unless_allowed(locked, to)
    before = locked.status
    locked.status = to
    for name, value in (values or {}).items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *(values or {})])
    record_append(
        action=action,
        target=locked,
        actor=actor,
        changes={"status": [before, to], **(changes or {})},
        reason=reason,
    )
    return locked


def _require(actor: User, *actions: Action) -> None:
    if not any(allowed(actor, action) for action in actions):
        raise PermissionDenied(_("Your posts do not allow this."))


def campaign_open(
    *, campaign: Campaign, actor: User, now: datetime.datetime | None = None
) -> Campaign:
    """Open scoring and (when the public weighs in) voting. Not after the period ends."""
    _require(actor, Action.MERCHANT_MANAGE)
    now = now or timezone.now()
    if timezone.localtime(now).date() > campaign.ends_on:
        raise CampaignRefused(_("The campaign's period has ended."), code="period_over")
    with transaction.atomic():
        return _move(
            campaign,
            to=S.OPEN,
            actor=actor,
            action="merchants.campaign_open",
            now=now,
            values={"opened_at": now},
        )


def _part(totals: Iterable[int], maximum: int) -> Decimal | None:
    """Scorers' totals brought to 100 and averaged; None when nobody scored."""
    totals = list(totals)
    if not totals or maximum <= 0:
        return None
    return (Decimal(sum(totals)) * HUNDRED / (Decimal(maximum) * len(totals))).quantize(
        CENT, ROUND_HALF_UP
    )


def _results(campaign: Campaign) -> list[CampaignEntry]:
    """Every entry's parts, result, rank, stars and award (not saved)."""
    entries = list(campaign.entries.select_related("shop").order_by("pk"))
    sheets: dict[tuple[int, str], list[int]] = defaultdict(list)
    for entry_id, role, total in (
        CampaignScore.objects.filter(entry__campaign=campaign)
        .values_list("entry_id", "role", "scorer_id")
        .annotate(total=Sum("points"))
        .values_list("entry_id", "role", "total")
        .order_by()
    ):
        sheets[(entry_id, role)].append(total)
    votes = dict(
        CampaignVote.objects.filter(campaign=campaign)
        .values_list("entry_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    most = max(votes.values(), default=0)
    maximum = campaign.max_points
    for entry in entries:
        entry.inspector_score = _part(sheets[(entry.pk, ScoreRole.INSPECTOR)], maximum)
        entry.street_score = _part(sheets[(entry.pk, ScoreRole.STREET)], maximum)
        entry.votes = votes.get(entry.pk, 0)
        entry.public_score = (
            (Decimal(entry.votes) * HUNDRED / most).quantize(CENT, ROUND_HALF_UP)
            if campaign.weight_public and most
            else None
        )
        weighted = (
            campaign.weight_inspectors * (entry.inspector_score or 0)
            + campaign.weight_streets * (entry.street_score or 0)
            + campaign.weight_public * (entry.public_score or 0)
        )
        entry.result = (Decimal(weighted) / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    ordered = sorted(entries, key=lambda e: (-e.result, e.pk))
    for position, entry in enumerate(ordered, start=1):  # equal results share a rank
        same = position > 1 and entry.result == ordered[position - 2].result
        entry.rank = ordered[position - 2].rank if same else position
        entry.stars, entry.awarded = 0, False
        if entry.result <= 0:
            continue
        if campaign.kind == CampaignKind.CIVILISED:
            entry.awarded = entry.rank <= (campaign.titles or 0)
        else:
            entry.stars = next(
                (t["stars"] for t in campaign.star_thresholds if entry.result >= t["min_result"]),
                0,
            )
            entry.awarded = entry.stars > 0
    return ordered


def campaign_close(
    *, campaign: Campaign, actor: User, now: datetime.datetime | None = None
) -> Campaign:
    """Close scoring and voting and compute every entry's result, rank and award, for
    the committee to approve."""
    _require(actor, Action.MERCHANT_MANAGE)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _refuse_unless_allowed(campaign, S.CLOSED)
        entries = _results(campaign)
        CampaignEntry.objects.bulk_update(
            entries,
            [
                "inspector_score",
                "street_score",
                "votes",
                "public_score",
                "result",
                "rank",
                "stars",
                "awarded",
            ],
        )
        return _move(
            campaign,
            to=S.CLOSED,
            actor=actor,
            action="merchants.campaign_close",
            now=now,
            values={"closed_at": now},
            changes={"awarded": [None, sum(e.awarded for e in entries)]},
        )


def campaign_approve(
    *, campaign: Campaign, minutes: str, actor: User, now: datetime.datetime | None = None
) -> Campaign:
    """The committee's approval, signed by the bureau leader, with its minutes."""
    if not allowed(actor, Action.CAMPAIGN_APPROVE):
        raise PermissionDenied(_("Only the bureau leader approves for the committee."))
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the committee's minutes or comment.")})
    if "\x00" in minutes or len(minutes) > TEXT_MAX:
        raise ValidationError(
            {
                "minutes": _("At most %(max)d characters, without control characters.")
                % {"max": TEXT_MAX}
            }
        )
    now = now or timezone.now()
    with transaction.atomic():
        return _move(
            campaign,
            to=S.APPROVED,
            actor=actor,
            action="merchants.campaign_approve",
            now=now,
            values={"approved_at": now, "approved_by": actor, "minutes": minutes},
            reason=minutes[:300],
        )


def campaign_publish(
    *, campaign: Campaign, actor: User, now: datetime.datetime | None = None
) -> Campaign:
    """Publish the approved results on the public site.

    Side effects: announces TITLE_AWARDED for each awarded entry (credit records a
    文明商家 event for its merchant, once per entry, and rescores it)."""
    _require(actor, Action.MERCHANT_MANAGE, Action.CAMPAIGN_APPROVE)
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _move(
            campaign,
            to=S.PUBLISHED,
            actor=actor,
            action="merchants.campaign_publish",
            now=now,
            values={"published_at": now},
        )
        awarded = campaign.entries.filter(awarded=True).select_related("shop__merchant")
        for entry in awarded:
            entry.campaign = campaign
            events.announce(events.TITLE_AWARDED, entry=entry, now=now)
    return campaign


# --- scoring -------------------------------------------------------------------------


def street_unit_of(shop: Shop):
    """The sub-district (街道) the shop's grid lies in, or None."""
    grid = shop.grid
    community = grid.community if grid is not None else None
    street = community.parent if community is not None else None
    return street if street is not None and street.kind == UnitKind.STREET else None


def may_score(user: User, entry: CampaignEntry, role: str) -> bool:
    if role == ScoreRole.INSPECTOR:
        return allowed(user, Action.MERCHANT_MANAGE)
    if role == ScoreRole.STREET and allowed(user, Action.CAMPAIGN_STREET_SCORE):
        street = street_unit_of(entry.shop)
        unit = user.unit
        return street is not None and unit is not None and unit.path.startswith(street.path)
    return False


def entry_score(
    *,
    entry: CampaignEntry,
    role: str,
    points: Sequence[object],
    actor: User,
    now: datetime.datetime | None = None,
) -> list[CampaignScore]:
    """The actor's points for each criterion of the entry (a new sheet replaces their
    earlier one). Only while the campaign is open; each point from 0 to its maximum."""
    if role not in ScoreRole.values or not may_score(actor, entry, role):
        raise PermissionDenied(_("Your posts do not allow this."))
    now = now or timezone.now()
    criteria = entry.campaign.criteria
    if len(points) != len(criteria):
        raise ValidationError({"points": _("Score every criterion.")})
    errors = {}
    values = []
    for index, (value, criterion) in enumerate(zip(points, criteria, strict=True)):
        number = _small_int(value, 0, criterion["max_points"])
        if number is None:
            errors[f"item_{index}"] = _("From 0 to %(max)d points.") % {
                "max": criterion["max_points"]
            }
        values.append(number)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=entry.campaign_id)
        if campaign.status != S.OPEN:
            raise CampaignRefused(_("Scores are taken only while the campaign is open."), "closed")
        CampaignScore.objects.filter(entry=entry, role=role, scorer=actor).delete()
        scores = CampaignScore.objects.bulk_create(
            CampaignScore(
                entry=entry, role=role, scorer=actor, item=index, points=value, scored_at=now
            )
            for index, value in enumerate(values)
        )
        record_append(
            action="merchants.campaign_score",
            target=campaign,
            actor=actor,
            changes={
                "entry": [None, entry.shop.trade_name],
                "role": [None, role],
                "points": [None, values],
            },
        )
    return scores
