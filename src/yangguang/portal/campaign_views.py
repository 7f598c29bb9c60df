"""The public campaign pages (文明商家 / 星级评定): the published results, shop by shop
and street by street (each shop linked to its public page behind the board's QR code),
and the vote in an open campaign — a mobile number, a code by text message, the vote.
Nothing about operators or scorers is shown; voters' phones are kept only as an HMAC."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yangguang.merchants import campaign_selectors, campaign_votes
from yangguang.merchants.campaigns import CampaignRefused
from yangguang.merchants.models import Campaign, CampaignVoteCode
from yangguang.records.context import client_from_request
from yangguang.records.registry import pk_or_404

PHONE_MAX = 40
CODE_MAX = 20


def shop_url(token: str) -> str:
    """The shop's public page (the board's QR code)."""
    try:
        return reverse("portal:shop", args=[token])
    except NoReverseMatch:
        return f"/shops/{token}/"


def _by_street(entries) -> list[tuple[str, list]]:
    streets = defaultdict(list)
    for entry in entries:
        entry.shop_url = shop_url(entry.shop.board_token)
        entry.star_text = "★" * entry.stars
        streets[entry.shop.street_name or "—"].append(entry)
    return sorted(streets.items())


@require_GET
def civilised(request: HttpRequest) -> HttpResponse:
    published = list(campaign_selectors.published_campaigns())
    for campaign in published:
        campaign.streets_awarded = _by_street(campaign.awarded_entries)
    return render(
        request,
        "portal/campaigns/results.html",
        {"published": published, "voting": list(campaign_selectors.voting_campaigns())},
    )


def _session_key(campaign: Campaign) -> str:
    return f"campaign_vote:{campaign.pk}"


def _vote_code(request: HttpRequest, campaign: Campaign) -> CampaignVoteCode | None:
    row_id = request.session.get(_session_key(campaign))
    if not isinstance(row_id, int):
        return None
    return CampaignVoteCode.objects.filter(pk=row_id, campaign=campaign).first()


def _field(request: HttpRequest, name: str, limit: int) -> str:
    value = request.POST.get(name, "")
    return "" if len(value) > limit or "\x00" in value else value


def _send_code(request: HttpRequest, campaign: Campaign) -> None:
    phone = _field(request, "phone", PHONE_MAX)
    row = campaign_votes.vote_code_send(
        campaign=campaign, phone=phone, address=client_from_request(request).ip
    )
    request.session[_session_key(campaign)] = row.pk
    messages.success(request, _("A code has been sent to your phone."))


def _cast(request: HttpRequest, campaign: Campaign) -> None:
    row = _vote_code(request, campaign)
    if row is None:
        raise CampaignRefused(_("Ask for a code first."), code="no_code")
    entry_id = request.POST.get("entry", "")
    try:
        entry = campaign.entries.filter(pk=pk_or_404(entry_id)).select_related("shop").first()
    except Http404:
        entry = None
    if entry is None:
        raise CampaignRefused(_("Choose a shop of this campaign."), code="not_entered")
    campaign_votes.vote_cast(
        vote_code=row,
        code=_field(request, "code", CODE_MAX),
        entry=entry,
        address=client_from_request(request).ip,
    )
    request.session.pop(_session_key(campaign), None)
    messages.success(request, _("Thank you: your vote is counted."))


@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, campaign_id: str) -> HttpResponse:
    campaign = Campaign.objects.filter(pk=pk_or_404(campaign_id)).first()
    if campaign is None or not campaign_votes.voting_open(campaign, timezone.now()):
        raise Http404
    status = 200
    if request.method == "POST":
        steps = {"send_code": _send_code, "vote": _cast}
        step = steps.get(request.POST.get("step", ""))
        if step is None:
            status = 400
        else:
            try:
                step(request, campaign)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            except CampaignRefused as refusal:
                messages.error(request, refusal.reason)
                status = 429 if refusal.code == "rate_limited" else 409
            else:
                return redirect("portal:campaign_vote", campaign_id=campaign.pk)
    entries = list(campaign_selectors.voting_entries(campaign))
    for entry in entries:
        entry.shop_url = shop_url(entry.shop.board_token)
    return render(
        request,
        "portal/campaigns/vote.html",
        {
            "campaign": campaign,
            "entries": entries,
            "code_sent": _vote_code(request, campaign) is not None,
        },
        status=status,
    )
