"""Merchant credit in public (诚信体系): how merchants are scored — the active scheme's
points, grades and what each grade means, the red and black list criteria, 信用修复 — and
the lists themselves. Shops are named by trade name and street only: a 个体工商户's
registered name is often the operator's own (个人信息保护法)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yangguang.credit.enums import CreditList
from yangguang.credit.selectors import active_rules, listed_shops, points_table

PAGE_SIZE = 50


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    scheme, rules = active_rules()
    return render(
        request,
        "portal/credit/overview.html",
        {
            "scheme": scheme,
            "rules": rules,
            "points": points_table(rules),
            "red_count": listed_shops(CreditList.RED).count(),
            "black_count": listed_shops(CreditList.BLACK).count(),
        },
    )


@require_GET
def listed(request: HttpRequest, which: str) -> HttpResponse:
    if which not in (CreditList.RED, CreditList.BLACK):
        raise Http404
    scheme, rules = active_rules()
    page = Paginator(listed_shops(which), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/credit/list.html",
        {"which": which, "page": page, "rules": rules, "scheme": scheme},
    )
