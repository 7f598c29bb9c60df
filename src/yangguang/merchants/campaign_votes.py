"""Public votes in a campaign (merchants.campaigns): one per phone per campaign, the phone
proven by a code by text message (core.onetime) and kept only as an HMAC keyed by the
server's secret and the campaign; only while the campaign is open, within its period,
and when the public weighs in; a per-address hourly limit on codes and votes."""

import datetime

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yangguang.core.onetime import CodeRefused, code_check, code_send
from yangguang.merchants.campaigns import CampaignRefused
from yangguang.merchants.models import (
    Campaign,
    CampaignEntry,
    CampaignStatus,
    CampaignVote,
    CampaignVoteCode,
)
from yangguang.merchants.services import mobile
from yangguang.records.services import record_append

# Per client address and hour: codes asked for, and votes cast (a spam guard; the real
# guard is one vote per proven phone).
VOTE_CODES_PER_ADDRESS_HOUR = 10
VOTES_PER_ADDRESS_HOUR = 20
LOCKED_MESSAGE = gettext_lazy(
    "Too many wrong codes for this phone: it cannot vote in this campaign."
)


def _phone_hash(campaign: Campaign, phone: str) -> str:
    """Keyed by the server's secret and the campaign: not reversible from a copy of the
    table (11-digit numbers are few), and not linkable across campaigns."""
    return salted_hmac(
        "yangguang.merchants.campaign_voter", f"{campaign.pk}:{phone}", algorithm="sha256"
    ).hexdigest()


def voting_open(campaign: Campaign, now: datetime.datetime) -> bool:
    today = timezone.localtime(now).date()
    return (
        campaign.status == CampaignStatus.OPEN
        and campaign.weight_public > 0
        and campaign.starts_on <= today <= campaign.ends_on
    )


def _address_allows(purpose: str, address: str, limit: int, now: datetime.datetime) -> bool:
    """A per-address hourly counter (the cache); False once ``limit`` is reached."""
    key = f"campaigns:{purpose}:{address}:{timezone.localtime(now):%Y%m%d%H}"
    if cache.get_or_set(key, 0, timeout=3600) >= limit:
        return False
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
    return True


def _refuse_unless_voting(campaign: Campaign, now: datetime.datetime) -> None:
    if not voting_open(campaign, now):
        raise CampaignRefused(_("Voting is not open in this campaign."), code="not_open")


def vote_code_send(
    *, campaign: Campaign, phone: str, address: str, now: datetime.datetime | None = None
) -> CampaignVoteCode:
    """Text a code to the voter's phone; the row to vote with. CampaignRefused when voting
    is not open, the phone voted already, the address asked too often, the phone is
    locked or asked again within a minute; ValidationError for a bad number."""
    now = now or timezone.now()
    _refuse_unless_voting(campaign, now)
    number = mobile(phone)
    if number is None:
        raise ValidationError({"phone": _("Enter an 11-digit mobile number.")})
    if not _address_allows("code", address, VOTE_CODES_PER_ADDRESS_HOUR, now):
        raise CampaignRefused(
            _("Too many codes asked for from your address this hour; try again later."),
            code="rate_limited",
        )
    digest = _phone_hash(campaign, number)
    if CampaignVote.objects.filter(campaign=campaign, phone_hash=digest).exists():
        raise CampaignRefused(_("This phone has voted in this campaign already."), "voted")
    try:
        with transaction.atomic():
            row, _created = CampaignVoteCode.objects.get_or_create(
                campaign=campaign, phone_hash=digest, defaults={"phone": number, "created_at": now}
            )
    except IntegrityError:  # the same phone, at the same moment
        row = CampaignVoteCode.objects.get(campaign=campaign, phone_hash=digest)
    # The number is on the row only while its code is handed to the outbox.
    row.phone = number
    row.save(update_fields=["phone"])
    try:
        code_send(
            row=row,
            text=lambda code: (
                _("Your code to vote in %(name)s is %(code)s, valid for 10 minutes.")
                % {"name": campaign.name, "code": code}
            ),
            purpose="campaign_vote",
            locked_message=str(LOCKED_MESSAGE),
            now=now,
        )
    except CodeRefused as refusal:
        raise CampaignRefused(refusal.message, refusal.code) from refusal
    finally:
        CampaignVoteCode.objects.filter(pk=row.pk).update(phone="")
    row.phone = ""
    return row


def _record_lock(row: CampaignVoteCode) -> None:
    record_append(
        action="merchants.campaign_vote_locked",
        target=row.campaign,
        actor=None,
        changes={"failed_attempts": [None, row.failed_attempts]},
    )


def vote_cast(
    *,
    vote_code: CampaignVoteCode,
    code: str,
    entry: CampaignEntry,
    address: str,
    now: datetime.datetime | None = None,
) -> CampaignVote:
    """The vote, once the code proves the phone (kept only as its HMAC). CampaignRefused:
    voting not open, wrong code, voted already, too many votes from the address."""
    now = now or timezone.now()
    campaign = vote_code.campaign
    _refuse_unless_voting(campaign, now)
    if entry.campaign_id != campaign.pk:
        raise CampaignRefused(_("Choose a shop of this campaign."), code="not_entered")
    if CampaignVote.objects.filter(campaign=campaign, phone_hash=vote_code.phone_hash).exists():
        raise CampaignRefused(_("This phone has voted in this campaign already."), "voted")
    if not _address_allows("vote", address, VOTES_PER_ADDRESS_HOUR, now):
        raise CampaignRefused(
            _("Too many votes from your address this hour; try again later."),
            code="rate_limited",
        )
    try:
        good = code_check(
            row=vote_code,
            code=code,
            locked_message=str(LOCKED_MESSAGE),
            on_lock=_record_lock,
            now=now,
        )
    except CodeRefused as refusal:
        raise CampaignRefused(refusal.message, refusal.code) from refusal
    if not good:
        raise CampaignRefused(_("The code is wrong or has expired."), code="wrong_code")
    try:
        with transaction.atomic():
            vote = CampaignVote.objects.create(
                campaign=campaign, entry=entry, phone_hash=vote_code.phone_hash, cast_at=now
            )
            record_append(
                action="merchants.campaign_vote",
                target=campaign,
                actor=None,
                changes={"entry": [None, entry.shop.trade_name]},
            )
    except IntegrityError as error:
        raise CampaignRefused(
            _("This phone has voted in this campaign already."), "voted"
        ) from error
    return vote
