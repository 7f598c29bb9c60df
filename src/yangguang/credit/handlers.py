"""What credit does when other domains announce something (core.events; subscribed in
CreditConfig.ready, run in the announcer's transaction). Every event names its source;
nothing here is typed in by hand."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from yangguang.core import events


def _rules():
    from yangguang.credit.scheme import rules_from
    from yangguang.credit.scoring import active_scheme

    return rules_from(active_scheme().rules)


def on_report_verified(*, report, actor, now: datetime.datetime) -> None:
    """A verified (核查) report of a street-order category the scheme counts (店外经营,
    占道经营 by default), placed in exactly one shop's zone, counts against that shop's
    merchant. A report in two overlapping zones counts against neither: credit is not
    charged on a guess."""
    from yangguang.credit.enums import EventKind
    from yangguang.merchants.selectors import shops_at

    category = report.category
    if category is None or report.longitude is None or report.latitude is None:
        return
    if category.code not in _rules().report_categories:
        return
    shops = shops_at(lon=report.longitude, lat=report.latitude)
    if len(shops) != 1:
        return
    shop = shops[0]
    _for_shop(
        shop,
        EventKind.REPORT_VERIFIED,
        source=report,
        reason=_("%(category)s at %(shop)s, verified on site")
        % {"category": category.name, "shop": shop.trade_name},
        occurred_at=report.created_at,
        actor=actor,
        now=now,
    )


def on_case_decided(*, case, now: datetime.datetime) -> None:
    """A penalty decided against a merchant on file (matched by credit code) counts with
    the severity of the decision's discretion grade; a decision not to penalise does not."""
    from yangguang.cases.enums import Outcome
    from yangguang.credit.enums import EventKind
    from yangguang.credit.events import event_record
    from yangguang.merchants.models import Merchant

    if case.outcome != Outcome.PENALTY or not case.party_credit_code:
        return
    merchant = Merchant.objects.filter(credit_code=case.party_credit_code).first()
    if merchant is None:
        return
    event_record(
        merchant=merchant,
        kind=EventKind.PENALTY_DECIDED,
        severity=case.grade or "general",
        source=case,
        reason=_("Penalty decided in case %(number)s: %(title)s")
        % {"number": case.number, "title": case.title},
        occurred_at=case.decided_at or now,
        now=now,
    )


def _for_shop(shop, kind: str, *, source, reason: str, occurred_at, now, actor=None) -> None:
    """An event of ``kind`` against ``shop``'s merchant, with ``source`` as its origin."""
    from yangguang.credit.events import event_record

    event_record(
        merchant=shop.merchant,
        shop=shop,
        kind=kind,
        source=source,
        reason=reason,
        occurred_at=occurred_at,
        actor=actor,
        now=now,
    )


def on_rectification_opened(*, rectification, now: datetime.datetime) -> None:
    """Where the scheme does not spare self-correction (自行整改不扣分), the failed item
    counts at once."""
    from yangguang.credit.enums import EventKind

    if _rules().self_correction_exempt:
        return
    _for_shop(
        rectification.shop,
        EventKind.INSPECTION_FAILED,
        source=rectification,
        reason=rectification.requirement,
        occurred_at=rectification.opened_at,
        now=now,
    )


def on_rectification_overdue(*, rectification, now: datetime.datetime) -> None:
    from yangguang.credit.enums import EventKind

    _for_shop(
        rectification.shop,
        EventKind.RECTIFICATION_OVERDUE,
        source=rectification,
        reason=_("Not corrected by the deadline: %(what)s") % {"what": rectification.requirement},
        occurred_at=rectification.due_at,
        now=now,
    )


def on_rectification_corrected(
    *, rectification, on_time: bool, actor, now: datetime.datetime
) -> None:
    from yangguang.credit.enums import EventKind

    if not on_time:
        return
    _for_shop(
        rectification.shop,
        EventKind.CORRECTED_ON_TIME,
        source=rectification,
        reason=_("Corrected on time: %(what)s") % {"what": rectification.requirement},
        occurred_at=rectification.submitted_at,
        actor=actor,
        now=now,
    )


def on_title_awarded(*, entry, now: datetime.datetime) -> None:
    """A 文明商家 (or star-rating) title published by a campaign counts for the shop's
    merchant, once per campaign entry."""
    from yangguang.credit.enums import EventKind

    _for_shop(
        entry.shop,
        EventKind.CIVILISED_TITLE,
        source=entry,
        reason=_("Title awarded: %(title)s") % {"title": entry.campaign.title},
        occurred_at=entry.campaign.published_at or now,
        now=now,
    )


def on_commendation_recorded(*, commendation, actor, now: datetime.datetime) -> None:
    """A 表彰 counts for the merchant, dated the day it was awarded."""
    from yangguang.credit.enums import EventKind
    from yangguang.credit.events import event_record

    event_record(
        merchant=commendation.merchant,
        shop=commendation.shop,
        kind=EventKind.COMMENDATION,
        source=commendation,
        reason=_("Commended: %(title)s (%(by)s)")
        % {"title": commendation.title, "by": commendation.awarded_by},
        occurred_at=timezone.make_aware(
            datetime.datetime.combine(commendation.awarded_on, datetime.time(12))
        ),
        actor=actor,
        now=now,
    )


def on_merchant_added(*, merchant, now: datetime.datetime) -> None:
    """A new merchant starts the year with the base points."""
    from yangguang.credit.scoring import merchant_rescore

    merchant_rescore(merchant_id=merchant.pk, now=now)


def register() -> None:
    events.subscribe(events.MERCHANT_ADDED, on_merchant_added)
    events.subscribe(events.COMMENDATION_RECORDED, on_commendation_recorded)
    events.subscribe(events.REPORT_VERIFIED, on_report_verified)
    events.subscribe(events.CASE_DECIDED, on_case_decided)
    events.subscribe(events.RECTIFICATION_OPENED, on_rectification_opened)
    events.subscribe(events.RECTIFICATION_OVERDUE, on_rectification_overdue)
    events.subscribe(events.RECTIFICATION_CORRECTED, on_rectification_corrected)
    events.subscribe(events.TITLE_AWARDED, on_title_awarded)
