"""Staff pages. Each view parses input, checks the post matrix, calls a selector or a
service, and renders. Objects come through the scoped selectors of each domain."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yangguang.backoffice.forms import DeadlineForm, StaffFilterForm
from yangguang.categories.enums import CategoryKind
from yangguang.categories.selectors import categories_search, major_classes
from yangguang.core.privacy import mask_phone
from yangguang.grids.selectors import grids_visible_to
from yangguang.org.models import Post
from yangguang.org.rules import Action, permission_name
from yangguang.org.selectors import (
    certificates_expiring,
    get_unit_for_user,
    staff_visible_to,
    units_visible_to,
)
from yangguang.records.models import RecordEntry
from yangguang.worktime.calendar import add_time_limit
from yangguang.worktime.selectors import calendar_years, days_of_year, work_calendar

VIEW_ORGANISATION = permission_name(Action.VIEW_ORGANISATION)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    context: dict = {"posts": user.posts.all()}
    if user.has_perm(VIEW_ORGANISATION):
        context.update(
            unit_count=units_visible_to(user).count(),
            staff_count=staff_visible_to(user).count(),
            grid_count=grids_visible_to(user).count(),
            expiring=certificates_expiring(user=user, today=today)[:10],
        )
    if user.has_perm(permission_name(Action.READ_AUDIT_LOG)):
        context["audit_count"] = RecordEntry.objects.count()
    if user.has_perm(permission_name(Action.CONFIGURE_SYSTEM)):
        context["calendar_warning"] = _calendar_warning(today)
    return render(request, "backoffice/home.html", context)


def _calendar_warning(today: datetime.date) -> dict | None:
    """Tell the system administrator when this or next year's calendar is missing or
    only provisional, since every deadline depends on it."""
    years = {year.year: year for year in calendar_years()}
    missing = [y for y in (today.year, today.year + 1) if y not in years]
    provisional = [
        y for y in (today.year, today.year + 1) if y in years and years[y].is_provisional
    ]
    if not missing and not provisional:
        return None
    return {"missing": missing, "provisional": provisional}


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
def units(request: HttpRequest) -> HttpResponse:
    visible = units_visible_to(request.user).annotate(
        member_count=Count("members", filter=Q(members__is_active=True), distinct=True),
        grid_count=Count("grids", distinct=True),
    )
    return render(request, "backoffice/units.html", {"units": visible})


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
def staff(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET or None)
    people = staff_visible_to(request.user)
    unit = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("unit"):
            unit = get_unit_for_user(user=request.user, unit_id=data["unit"])
            people = people.filter(unit__path__startswith=unit.path)
        if data.get("post"):
            people = people.filter(posts__code=data["post"])
        if data.get("q"):
            people = people.filter(Q(name__icontains=data["q"]) | Q(username__icontains=data["q"]))
    page = Paginator(people.distinct(), 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    can_see_contacts = request.user.has_perm(permission_name(Action.VIEW_STAFF_CONTACTS))
    rows = []
    for person in page:
        certificates = list(person.certificates.all())
        valid = next((c for c in certificates if c.is_valid_on(today)), None)
        rows.append(
            {
                "person": person,
                "posts": "、".join(str(p) for p in person.posts.all()),
                "phone": person.phone
                if can_see_contacts or person.pk == request.user.pk
                else mask_phone(person.phone),
                "certificate": valid or (certificates[0] if certificates else None),
                "certified": valid is not None,
            }
        )
    return render(
        request,
        "backoffice/staff.html",
        {"form": form, "rows": rows, "page": page, "unit": unit, "posts": Post.objects.all()},
    )


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
def grids(request: HttpRequest) -> HttpResponse:
    visible = grids_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        visible = visible.filter(
            Q(code__startswith=query)
            | Q(name__icontains=query)
            | Q(community__name__icontains=query)
        )
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/grids.html",
        {
            "page": page,
            "query": query,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
@require_GET
def grids_geojson(request: HttpRequest) -> JsonResponse:
    """The user's grids as a GeoJSON FeatureCollection for the map."""
    rows = grids_visible_to(request.user).values_list(
        "code", "name", "community__parent__name", "community__name", "squadron__name", "geometry"
    )
    features = [
        {
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "code": code,
                "name": name,
                "street": street,
                "community": community,
                "squadron": squadron or "",
            },
        }
        for code, name, street, community, squadron, geometry in rows
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
def categories(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    kind = request.GET.get("kind", "")
    kind = kind if kind in CategoryKind.values else ""
    major = request.GET.get("major", "")[:6]
    found = categories_search(query=query, kind=kind, major_code=major)
    page = Paginator(found, 60).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "kind": kind,
        "major": major,
        "kinds": CategoryKind.choices,
        "majors": major_classes(),
    }
    template = "backoffice/categories.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@permission_required(VIEW_ORGANISATION, raise_exception=True)
def calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    today = timezone.localdate()
    year = year or today.year
    if not 2000 <= year <= 2099:
        year = today.year
    configured = {item.year: item for item in calendar_years()}
    form = DeadlineForm(request.GET or None)
    deadline = None
    if form.is_valid():
        data = form.cleaned_data
        start = timezone.make_aware(
            datetime.datetime.combine(data["start_date"], data["start_time"])
        )
        deadline = add_time_limit(
            start, Decimal(data["amount"]), data["unit"], calendar=work_calendar()
        )
    context = {
        "year": year,
        "months": days_of_year(year),
        "info": configured.get(year),
        "years": sorted(configured),
        "form": form,
        "deadline": deadline,
    }
    return render(request, "backoffice/calendar.html", context)
