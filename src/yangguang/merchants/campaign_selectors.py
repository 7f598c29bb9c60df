"""Reading campaigns (merchants.campaigns) for their pages: the back office's list and
entries, a scorer's sheet, the published results and the campaigns open to a vote."""

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from yangguang.merchants.enums import ShopStatus
from yangguang.merchants.models import (
    Campaign,
    CampaignEntry,
    CampaignScore,
    CampaignStatus,
    ScoreRole,
)
from yangguang.org.models import User

S = CampaignStatus


def campaigns_list() -> QuerySet[Campaign]:
    return Campaign.objects.annotate(entry_count=Count("entries")).order_by("-starts_on", "-pk")


def campaign_entries(campaign: Campaign) -> QuerySet[CampaignEntry]:
    """The entries with how many have scored them so far and the votes cast."""
    return (
        campaign.entries.select_related("shop", "shop__grid__community__parent")
        .annotate(
            inspector_sheets=Count(
                "scores__scorer", filter=Q(scores__role=ScoreRole.INSPECTOR), distinct=True
            ),
            street_sheets=Count(
                "scores__scorer", filter=Q(scores__role=ScoreRole.STREET), distinct=True
            ),
            live_votes=Count("public_votes", distinct=True),
        )
        .order_by("rank", "shop__street_name", "shop__trade_name", "pk")
    )


def score_sheet(entry: CampaignEntry, role: str, scorer: User) -> dict[int, int]:
    return dict(
        CampaignScore.objects.filter(entry=entry, role=role, scorer=scorer).values_list(
            "item", "points"
        )
    )


def published_campaigns() -> QuerySet[Campaign]:
    """Published campaigns, newest first, with their awarded entries and shops."""
    awarded = (
        CampaignEntry.objects.filter(awarded=True)
        .select_related("shop")
        .order_by("shop__street_name", "-stars", "rank", "shop__trade_name")
    )
    return (
        Campaign.objects.filter(status=S.PUBLISHED)
        .prefetch_related(Prefetch("entries", queryset=awarded, to_attr="awarded_entries"))
        .order_by("-published_at", "-pk")
    )


def voting_campaigns(now: datetime.datetime | None = None) -> QuerySet[Campaign]:
    today = timezone.localtime(now or timezone.now()).date()
    return Campaign.objects.filter(
        status=S.OPEN, weight_public__gt=0, starts_on__lte=today, ends_on__gte=today
    ).order_by("ends_on", "pk")


def voting_entries(campaign: Campaign) -> QuerySet[CampaignEntry]:
    return (
        campaign.entries.filter(shop__status=ShopStatus.OPEN)
        .select_related("shop")
        .order_by("shop__street_name", "shop__trade_name", "pk")
    )
