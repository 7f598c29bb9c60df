"""重点巡查: the shops due for an inspection today, by their merchant's credit grade (the
active scheme says how often each grade is inspected)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yangguang.credit.selectors import active_rules
from yangguang.merchants.selectors import patrol_plan, street_names
from yangguang.org.rules import Action, allowed, permission_name


@login_required
@permission_required(permission_name(Action.VIEW_WORK), raise_exception=True)
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    streets = street_names()
    street = request.GET.get("street", "")
    if street not in streets:
        street = ""
    _scheme, rules = active_rules()
    today = timezone.localdate()
    return render(
        request,
        "backoffice/merchants/patrol_plan.html",
        {
            "due": patrol_plan(today=today, rules=rules, street=street),
            "rules": rules,
            "streets": streets,
            "street": street,
            "today": today,
            "may_inspect": allowed(request.user, Action.MERCHANT_MANAGE),
        },
    )
