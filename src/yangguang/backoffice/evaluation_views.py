"""The evaluation pages of the command centre: rankings of areas, units and posts for
a period with their change since the last, the bureau's weights, and the list of the
steps a person's figure counts."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yangguang.analytics.evaluation import (
    POST_KINDS,
    evaluate,
    evaluate_posts,
    totals,
    weights_for,
    weights_set,
)
from yangguang.analytics.models import Subject
from yangguang.analytics.periods import (
    PeriodCodeError,
    PeriodKind,
    period_containing,
    period_from_code,
)
from yangguang.backoffice.evaluation_forms import RankingForm, StepFilterForm, WeightsForm
from yangguang.backoffice.form_errors import errors_onto
from yangguang.org.models import User
from yangguang.org.rules import Action, permission_name
from yangguang.records.actions import action_label
from yangguang.records.models import RecordEntry
from yangguang.reports.measures import MEASURES, RATES

COMMAND = permission_name(Action.VIEW_COMMAND_CENTRE)

# The figures a ranking of areas or units shows, beside the rates.
SHOWN_MEASURES = ["received", "registered", "due_handling", "handled", "due_closing", "closed"]
POST_FIGURES = {
    "inspector": [
        ("received", _("Filed (上报数)")),
        ("registered", _("Valid (有效上报数)")),
        ("verified", _("Verified (核查数)")),
    ],
    "intake": [("taken_in", _("Taken in (受理数)")), ("received", _("Hotline calls entered"))],
    "dispatcher": [("dispatched", _("Dispatched (派遣数)"))],
}


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


@login_required
@permission_required(COMMAND, raise_exception=True)
@require_GET
def rankings(request: HttpRequest) -> HttpResponse:
    form = RankingForm(request.GET or None)
    subject = Subject.STREET.value
    period = period_containing(PeriodKind.MONTH, timezone.localdate())
    if form.is_valid():
        subject = form.cleaned_data["subject"] or subject
        if form.cleaned_data["period"]:
            try:
                period = period_from_code(form.cleaned_data["period"])
            except PeriodCodeError:
                form.add_error(
                    "period", _("Write a month (2026-11), a quarter (2026-Q4) or a year.")
                )
    context = {
        "form": form,
        "subject": subject,
        "period": period,
        "previous": period.previous(),
        "following": period.next(),
        "subjects": [(code, label) for code, label in form.fields["subject"].choices],
    }
    if subject in POST_KINDS:
        context.update(
            posts=True,
            rows=evaluate_posts(subject, period),
            columns=[(code, str(label)) for code, label in POST_FIGURES[subject]],
            rate_label=_("Valid rate (有效上报率)") if subject == "inspector" else "",
        )
    else:
        context.update(
            posts=False,
            rows=evaluate(subject, period),
            total=totals(period),
            columns=[(code, MEASURES[code].label) for code in SHOWN_MEASURES],
            rates=[(code, rate.label) for code, rate in RATES.items()],
            weights=weights_for(subject),
            may_configure=request.user.has_perm(permission_name(Action.CONFIGURE_EVALUATION)),
        )
    for row in context["rows"] + ([context["total"]] if "total" in context else []):
        row.cells = [row.figures.get(code) for code, _label in context["columns"]]
        row.rate_cells = [row.rates.get(code) for code, _label in context.get("rates", [])]
        row.valid_rate = row.rates.get("valid_rate")
    return render(request, "backoffice/command/rankings.html", context)


@login_required
@permission_required(permission_name(Action.CONFIGURE_EVALUATION), raise_exception=True)
@require_http_methods(["GET", "POST"])
def weights(request: HttpRequest) -> HttpResponse:
    subject = request.POST.get("subject") or request.GET.get("subject") or Subject.STREET
    if subject not in Subject.values:
        subject = Subject.STREET.value
    current = weights_for(subject)
    form = WeightsForm(request.POST or None, initial={"subject": subject}, initial_weights=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            weights_set(
                subject=data["subject"],
                weights={code: data[code] for code in RATES},
                actor=request.user,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, _("The weights are saved; rankings use them now."))
            return redirect(f"{request.path}?subject={data['subject']}")
    return render(
        request,
        "backoffice/command/weights.html",
        {"form": form, "subject": subject, "subjects": Subject.choices},
    )


@login_required
@permission_required(COMMAND, raise_exception=True)
@require_GET
def steps(request: HttpRequest) -> HttpResponse:
    """The steps of the loop one person took in a period: what a post's figure counts,
    one row per step (the record entries themselves)."""
    form = StepFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "backoffice/command/steps.html", {"form": form}, status=400)
    data = form.cleaned_data
    start = timezone.make_aware(datetime.datetime.combine(data["since"], datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(data["until"] + datetime.timedelta(days=1), datetime.time.min)
    )
    entries = RecordEntry.objects.filter(
        actor_id=data["user"],
        action__in=data["action"],
        recorded_at__gte=start,
        recorded_at__lt=end,
    ).order_by("recorded_at", "sequence")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    for entry in page:
        entry.label = action_label(entry.action)
    return render(
        request,
        "backoffice/command/steps.html",
        {
            "form": form,
            "page": page,
            "person": User.objects.filter(pk=data["user"]).first(),
            "since": data["since"],
            "until": data["until"],
            "actions": [action_label(action) for action in data["action"]],
        },
    )
