"""The back office's campaign pages (星级评定/文明商家): the list, a new campaign, one
campaign with its entries and its next step (open, close, approve, publish), and the
score sheet of one entry. The rules live in ``merchants.campaigns``; a step the
campaign's status refuses shows why (HTTP 409), bad input its problems (HTTP 400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.backoffice.campaign_forms import ApproveForm, CampaignForm, ScoreForm
from yangguang.backoffice.form_errors import errors_onto
from yangguang.merchants import campaign_selectors, campaigns
from yangguang.merchants.campaigns import CampaignRefused
from yangguang.merchants.models import Campaign, CampaignEntry, CampaignStatus, ScoreRole
from yangguang.org.rules import Action, allowed, permission_name
from yangguang.records.registry import pk_or_404

VIEW_WORK = permission_name(Action.VIEW_WORK)
S = CampaignStatus


def _campaign(campaign_id: str) -> Campaign:
    campaign = Campaign.objects.filter(pk=pk_or_404(campaign_id)).first()
    if campaign is None:
        raise Http404
    return campaign


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/campaigns/list.html",
        {
            "campaigns": campaign_selectors.campaigns_list(),
            "may_create": allowed(request.user, Action.MERCHANT_MANAGE),
        },
    )


@login_required
@permission_required(permission_name(Action.MERCHANT_MANAGE), raise_exception=True)
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                campaign = campaigns.campaign_create(
                    data=form.fields_for_service(), actor=request.user
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("The campaign is saved as a draft."))
                return redirect("backoffice:campaign", campaign_id=campaign.pk)
    return render(request, "backoffice/campaigns/new.html", {"form": form}, status=status)


def _render_detail(request, campaign, *, status=200, approve_form=None) -> HttpResponse:
    user = request.user
    entries = list(campaign_selectors.campaign_entries(campaign))
    is_open = campaign.status == S.OPEN
    for entry in entries:
        entry.campaign = campaign
        entry.may_score = [
            (role, label)
            for role, label in ScoreRole.choices
            if is_open and campaigns.may_score(user, entry, role)
        ]
    manage = allowed(user, Action.MERCHANT_MANAGE)
    leader = allowed(user, Action.CAMPAIGN_APPROVE)
    steps = {
        S.DRAFT: ("open", _("Open scoring and voting")) if manage else None,
        S.OPEN: ("close", _("Close scoring and compute the results")) if manage else None,
        S.APPROVED: ("publish", _("Publish the results")) if manage or leader else None,
    }
    context = {
        "campaign": campaign,
        "entries": entries,
        "step": steps.get(campaign.status),
        "approve_form": approve_form or (ApproveForm() if leader else None),
        "may_approve": leader and campaign.status == S.CLOSED,
        "results": campaign.status in (S.CLOSED, S.APPROVED, S.PUBLISHED),
    }
    return render(request, "backoffice/campaigns/detail.html", context, status=status)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def campaign_detail(request: HttpRequest, campaign_id: str) -> HttpResponse:
    return _render_detail(request, _campaign(campaign_id))


STEPS = {
    "open": campaigns.campaign_open,
    "close": campaigns.campaign_close,
    "publish": campaigns.campaign_publish,
}


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_POST
def campaign_step(request: HttpRequest, campaign_id: str, step: str) -> HttpResponse:
    campaign = _campaign(campaign_id)
    if step not in (*STEPS, "approve"):
        raise Http404
    if step == "approve" and not allowed(request.user, Action.CAMPAIGN_APPROVE):
        raise PermissionDenied
    form = ApproveForm(request.POST) if step == "approve" else None
    if form is not None and not form.is_valid():
        return _render_detail(request, campaign, status=400, approve_form=form)
    try:
        if form is not None:
            campaigns.campaign_approve(
                campaign=campaign, minutes=form.cleaned_data["minutes"], actor=request.user
            )
        else:
            STEPS[step](campaign=campaign, actor=request.user)
    except PermissionDenied:
        raise
    except ValidationError as error:
        form = form or ApproveForm()
        errors_onto(form, error)
        return _render_detail(request, _campaign(campaign_id), status=400, approve_form=form)
    except CampaignRefused as refusal:
        messages.error(request, refusal.reason)
        return _render_detail(request, _campaign(campaign_id), status=409)
    messages.success(request, _("%(name)s: done.") % {"name": campaign.name})
    return redirect("backoffice:campaign", campaign_id=campaign.pk)


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_http_methods(["GET", "POST"])
def entry_score(request: HttpRequest, campaign_id: str, entry_id: str, role: str) -> HttpResponse:
    campaign = _campaign(campaign_id)
    entry = (
        CampaignEntry.objects.filter(campaign=campaign, pk=pk_or_404(entry_id))
        .select_related("shop__grid__community__parent")
        .first()
    )
    if entry is None or role not in ScoreRole.values:
        raise Http404
    entry.campaign = campaign
    if not campaigns.may_score(request.user, entry, role):
        raise PermissionDenied
    form = ScoreForm(
        request.POST or None,
        criteria=campaign.criteria,
        initial_points=campaign_selectors.score_sheet(entry, role, request.user),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                campaigns.entry_score(
                    entry=entry, role=role, points=form.points(), actor=request.user
                )
            except ValidationError as error:
                errors_onto(form, error)
            except CampaignRefused as refusal:
                form.add_error(None, refusal.reason)
                status = 409
            else:
                messages.success(
                    request, _("%(shop)s: scores saved.") % {"shop": entry.shop.trade_name}
                )
                return redirect("backoffice:campaign", campaign_id=campaign.pk)
    return render(
        request,
        "backoffice/campaigns/score.html",
        {
            "campaign": campaign,
            "entry": entry,
            "form": form,
            "role_label": ScoreRole(role).label,
        },
        status=status,
    )
