"""Staff pages of merchant credit: the legal office's 信用修复 queue and decisions, and
the scoring schemes with their versions, readable, for the system administrator to save
a new version or activate one. The rules live in ``credit.repair`` and
``credit.scoring``; their refusals are shown on the page."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yangguang.backoffice.credit_forms import RepairDecideForm, RepairFilterForm, SchemeSaveForm
from yangguang.backoffice.form_errors import errors_onto
from yangguang.cases.enums import Grade
from yangguang.credit.enums import Dishonesty, EventKind, RepairStatus
from yangguang.credit.models import CreditScheme, RepairApplication
from yangguang.credit.repair import repair_decide, repair_opens_on
from yangguang.credit.repair_selectors import (
    get_repair_for_user,
    get_scheme_for_user,
    merchant_score,
    repairs_for,
    schemes_for,
)
from yangguang.credit.scheme import Rules, rules_from
from yangguang.credit.scoring import active_scheme, scheme_activate, scheme_save
from yangguang.org.rules import Action, allowed, permission_name
from yangguang.records.registry import registration

VIEW_WORK = permission_name(Action.VIEW_WORK)
CREDIT_DECIDE = permission_name(Action.CREDIT_DECIDE)
VIEW_ORGANISATION = permission_name(Action.VIEW_ORGANISATION)
CONFIGURE_SYSTEM = permission_name(Action.CONFIGURE_SYSTEM)


# --- 信用修复 ---------------------------------------------------------------------------


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def repair_list(request: HttpRequest) -> HttpResponse:
    form = RepairFilterForm(request.GET or {"status": RepairStatus.SUBMITTED})
    status = form.cleaned_data["status"] if form.is_valid() else RepairStatus.SUBMITTED
    page = Paginator(repairs_for(user=request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "backoffice/credit/repairs.html", {"form": form, "page": page})


def _source_url(event) -> str:
    if registration(event.source_type) is None:
        return ""
    return reverse("backoffice:timeline", args=[event.source_type, event.source_id])


def _render_repair(
    request: HttpRequest, application: RepairApplication, *, form=None, status: int = 200
) -> HttpResponse:
    event = application.event
    try:
        rules = rules_from(active_scheme().rules)
        points = rules.points_for(event.kind, event.severity)
    except (CreditScheme.DoesNotExist, ValidationError):
        points = None
    context = {
        "application": application,
        "event": event,
        "points": points,
        "source_url": _source_url(event),
        "opens_on": _opens_on(event),
        "score": merchant_score(event.merchant_id),
        "may_decide": allowed(request.user, Action.CREDIT_DECIDE)
        and application.status == RepairStatus.SUBMITTED,
        "form": form or RepairDecideForm(),
    }
    return render(request, "backoffice/credit/repair.html", context, status=status)


def _opens_on(event):
    try:
        return repair_opens_on(event)
    except (CreditScheme.DoesNotExist, ValidationError):
        return None


@login_required
@permission_required(VIEW_WORK, raise_exception=True)
@require_GET
def repair_detail(request: HttpRequest, application_id: str) -> HttpResponse:
    return _render_repair(
        request, get_repair_for_user(user=request.user, application_id=application_id)
    )


@login_required
@permission_required(CREDIT_DECIDE, raise_exception=True)
@require_POST
def repair_decision(request: HttpRequest, application_id: str) -> HttpResponse:
    """Approve (the event stops counting, the merchant is rescored) or refuse with the
    reason the merchant reads."""
    application = get_repair_for_user(user=request.user, application_id=application_id)
    form = RepairDecideForm(request.POST)
    if not form.is_valid():
        return _render_repair(request, application, form=form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        repair_decide(
            application=application,
            approve=approve,
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as exc:
        errors_onto(form, exc)
        application = get_repair_for_user(user=request.user, application_id=application.pk)
        return _render_repair(request, application, form=form, status=400)
    messages.success(
        request,
        _("The repair is approved: the event no longer counts.")
        if approve
        else _("The repair is refused."),
    )
    return redirect("backoffice:credit_repair", application_id=application.pk)


# --- Schemes ----------------------------------------------------------------------------


def _severity_label(severity: str) -> str:
    try:
        return str(Grade(severity).label)
    except ValueError:
        return severity


def _kind_label(kind: str) -> str:
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return kind


def _level_label(level: str) -> str:
    try:
        return str(Dishonesty(level).label)
    except ValueError:
        return level


def rules_readable(rules: Rules) -> dict:
    """The rules as a reader takes them in: bands, points and levels per event kind
    (by severity for penalties), repair periods and the list criteria."""
    points = [
        (_kind_label(kind), [(_severity_label(s), p) for s, p in value.items()])
        if isinstance(value, dict)
        else (_kind_label(kind), [("", value)])
        for kind, value in rules.points.items()
    ]
    levels = [
        (_kind_label(kind), [(_severity_label(s), _level_label(v)) for s, v in value.items()])
        if isinstance(value, dict)
        else (_kind_label(kind), [("", _level_label(value))])
        for kind, value in rules.dishonesty.items()
    ]
    return {
        "base_points": rules.base_points,
        "bands": rules.bands,
        "points": points,
        "levels": levels,
        "repair_general": rules.repair_months.get("general"),
        "repair_serious": rules.repair_months.get("serious"),
        "red_grades": sorted(rules.red_list_grades),
        "black_events": rules.black_list_serious_events,
        "black_months": rules.black_list_months,
        "self_correction_exempt": rules.self_correction_exempt,
        "report_categories": rules.report_categories,
    }


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "backoffice/credit/schemes.html",
        {
            "schemes": schemes_for(user=request.user),
            "may_configure": allowed(request.user, Action.CONFIGURE_SYSTEM),
        },
    )


def _render_scheme(
    request: HttpRequest, scheme: CreditScheme, *, form=None, status: int = 200
) -> HttpResponse:
    try:
        readable, problem = rules_readable(rules_from(scheme.rules)), ""
    except ValidationError as exc:
        readable, problem = None, " ".join(exc.messages)
    latest = schemes_for(user=request.user).filter(code=scheme.code).first()
    context = {
        "scheme": scheme,
        "rules": readable,
        "problem": problem,
        "rules_json": json.dumps(scheme.rules, ensure_ascii=False, indent=2),
        "latest": latest,
        "may_configure": allowed(request.user, Action.CONFIGURE_SYSTEM),
        "form": form
        or SchemeSaveForm(
            initial={
                "name": scheme.name,
                "rules": json.dumps(scheme.rules, ensure_ascii=False, indent=2),
            }
        ),
    }
    return render(request, "backoffice/credit/scheme.html", context, status=status)


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
@require_GET
def scheme_detail(request: HttpRequest, scheme_id: str) -> HttpResponse:
    return _render_scheme(request, get_scheme_for_user(user=request.user, scheme_id=scheme_id))


@login_required
@permission_required(CONFIGURE_SYSTEM, raise_exception=True)
@require_POST
def scheme_new_version(request: HttpRequest, scheme_id: str) -> HttpResponse:
    """Save the next version of the scheme; if the latest was active the new one is, and
    every merchant is rescored."""
    scheme = get_scheme_for_user(user=request.user, scheme_id=scheme_id)
    form = SchemeSaveForm(request.POST)
    if not form.is_valid():
        return _render_scheme(request, scheme, form=form, status=400)
    try:
        saved = scheme_save(
            code=scheme.code,
            name=form.cleaned_data["name"],
            rules=form.cleaned_data["rules"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except ValidationError as exc:
        errors_onto(form, exc, default="rules")
        return _render_scheme(request, scheme, form=form, status=400)
    messages.success(
        request,
        _("Version %(version)d of %(name)s saved.")
        % {"version": saved.version, "name": saved.name},
    )
    return redirect("backoffice:credit_scheme", scheme_id=saved.pk)


@login_required
@permission_required(CONFIGURE_SYSTEM, raise_exception=True)
@require_POST
def scheme_make_active(request: HttpRequest, scheme_id: str) -> HttpResponse:
    """Make this version the active scheme; every merchant is rescored under it."""
    scheme = get_scheme_for_user(user=request.user, scheme_id=scheme_id)
    try:
        scheme_activate(scheme=scheme, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _render_scheme(request, scheme, status=400)
    messages.success(
        request,
        _("%(scheme)s is now the active scheme; every merchant is rescored.")
        % {"scheme": str(scheme)},
    )
    return redirect("backoffice:credit_scheme", scheme_id=scheme.pk)
