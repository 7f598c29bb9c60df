"""Open311 GeoReport v2 at /open311/v2/ (peers.md §2): services are our categories,
service requests our problem reports. Each view parses its arguments, calls a selector
or ``report_submit`` and renders XML or JSON; errors are Open311 ``errors`` documents
with the HTTP status the spec gives (400, 403, 404; 429 for a client over its limit)."""

import datetime
import functools
import math
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    ProhibitNullCharactersValidator,
    validate_email,
)
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from yangguang.api.models import ClientKind
from yangguang.api.open311.formats import CONTENT_TYPES, Open311Error, render, render_error
from yangguang.api.open311.presenters import request_data, service_data
from yangguang.api.open311.selectors import (
    MAX_REQUESTS,
    open311_request_find,
    open311_requests_search,
    service_find,
    services_list,
)
from yangguang.api.services import api_client_for_key, api_client_over_limit
from yangguang.org.selectors import bureau_root
from yangguang.reports.enums import Channel, ReportKind
from yangguang.reports.services import NewReport, report_submit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's documents last changed shape (discovery's sortable changeset).
CHANGESET = "2026-11-22T00:00:00+08:00"
# The spec's default window, and the longest a start_date..end_date range may span.
WINDOW = datetime.timedelta(days=90)
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
STATUSES = {"open", "closed"}
# Our intake's field names, as an Open311 client knows them.
OPEN311_FIELDS = {
    "description": "description",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "category": "service_code",
    "reporter_name": "first_name/last_name",
    "reporter_phone": "phone",
    "reporter_email": "email",
}

View = Callable[..., HttpResponse]


def jurisdiction_id() -> str:
    """We serve one jurisdiction, named by the host of the public site."""
    return (urlsplit(settings.PUBLIC_BASE_URL).hostname or "").lower()


def _check_jurisdiction(request: HttpRequest) -> None:
    """Optional, as the spec allows for a single jurisdiction; a wrong one is unknown."""
    given = request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or ""
    given = given.strip()
    if given and given.lower() != jurisdiction_id():
        raise Open311Error(404, _("Unknown jurisdiction “%(id)s”.") % {"id": given[:64]})


def _check_text(request: HttpRequest, path_arguments: dict[str, str]) -> None:
    """No NUL characters anywhere: PostgreSQL cannot store or even compare them."""
    given = [*path_arguments.items(), *request.GET.items(), *request.POST.items()]
    for name, value in given:
        try:
            ProhibitNullCharactersValidator()(value)
        except ValidationError as exc:
            raise Open311Error(400, *(f"{name}: {m}" for m in exc.messages)) from exc


def endpoint(*methods: str) -> Callable[[View], View]:
    """The format suffix, the method, the jurisdiction and errors, for every view."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def handle(request: HttpRequest, fmt: str, **kwargs) -> HttpResponse:
            if fmt not in CONTENT_TYPES:
                # The spec's required format, since the asked-for one is unknown.
                message = _("Unknown format “%(format)s”; use xml or json.") % {"format": fmt}
                return render_error(Open311Error(404, message[:100]), fmt="xml")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            try:
                _check_text(request, kwargs)
                _check_jurisdiction(request)
                return view(request, fmt, **kwargs)
            except Open311Error as error:
                return render_error(error, fmt=fmt)

        return handle

    return decorate


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    bureau = bureau_root()
    own_url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    document = {
        "changeset": CHANGESET,
        "contact": f"{bureau.name} {bureau.phone}".strip() if bureau else "",
        "key_service": _("Ask the bureau's information office for an API key."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": own_url.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(document, root="discovery", fmt=fmt)


@endpoint("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render([service_data(c) for c in services_list()], root="services", fmt=fmt)


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, service_code: str) -> HttpResponse:
    if service_find(service_code) is None:
        raise Open311Error(404, _("Unknown service_code “%(code)s”.") % {"code": service_code[:20]})
    definition = {"service_code": service_code, "attributes": []}
    return render(definition, root="service_definition", fmt=fmt)


@csrf_exempt  # API clients authenticate each POST with their api_key, not a session.
@endpoint("GET", "POST")
def service_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    found = open311_requests_search(**_search_arguments(request.GET))
    bureau = bureau_root()
    bureau_name = bureau.name if bureau else ""
    data = [request_data(report, bureau_name=bureau_name) for report in found]
    return render(data, root="service_requests", fmt=fmt)


@endpoint("GET")
def service_request(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    report = open311_request_find(request_id)
    if report is None:
        raise Open311Error(404, _("Unknown service_request_id “%(id)s”.") % {"id": request_id[:20]})
    bureau = bureau_root()
    data = [request_data(report, bureau_name=bureau.name if bureau else "")]
    return render(data, root="service_requests", fmt=fmt)


@endpoint("GET")
def token_lookup(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    """Our requests are numbered when they are posted, so the token is the tracking
    number itself; the endpoint exists for clients that always ask."""
    report = open311_request_find(token)
    if report is None:
        raise Open311Error(404, _("Unknown token “%(token)s”.") % {"token": token[:20]})
    data = [{"service_request_id": report.tracking_number, "token": token}]
    return render(data, root="service_requests", fmt=fmt)


def _comma_list(value: str) -> list[str]:
    return list(dict.fromkeys(item.strip() for item in value.split(",") if item.strip()))


def _datetime(query: QueryDict, name: str) -> datetime.datetime | None:
    # A W3C datetime has no spaces: one here is an offset's "+" that was not URL-encoded.
    raw = query.get(name, "").strip().replace(" ", "+")
    if not raw:
        return None
    try:
        if not W3C_DATETIME.match(raw):
            raise ValueError(raw)
        return datetime.datetime.fromisoformat(raw)
    except ValueError:
        raise Open311Error(
            400,
            _("%(field)s: give a W3C date and time with its time zone, e.g. %(example)s.")
            % {"field": name, "example": "2026-11-22T10:00:00+08:00"},
        ) from None


# The deepest page a client may ask for: far beyond any real listing, and small enough
# that its offset stays an ordinary number for the database.
MAX_PAGE = 100_000
ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


def _positive(query: QueryDict, name: str, default: int, *, maximum: int) -> int:
    """A whole number from 1 to ``maximum`` in ASCII digits: ``str.isdigit`` would also
    take ¹ or ٣, which ``int`` refuses or reads as another number."""
    raw = query.get(name, "").strip()
    if not raw:
        return default
    if not ASCII_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise Open311Error(
            400,
            _("%(field)s: give a whole number from 1 to %(max)s.")
            % {"field": name, "max": maximum},
        )
    return int(raw)


def _search_arguments(query: QueryDict) -> dict:
    """GET requests' filters. ``service_request_id`` overrides the others; without
    dates, the last 90 days; ``page`` and ``page_size`` are the common extension."""
    page_size = _positive(query, "page_size", MAX_REQUESTS, maximum=MAX_REQUESTS)
    page = _positive(query, "page", 1, maximum=MAX_PAGE)
    paging = {"offset": (page - 1) * page_size, "limit": page_size}
    ids = _comma_list(query.get("service_request_id", ""))
    if ids:
        return {"ids": ids[:MAX_REQUESTS], **paging}
    statuses = _comma_list(query.get("status", ""))
    if not set(statuses) <= STATUSES:
        raise Open311Error(400, _("status: give open, closed or both, comma-separated."))
    start, end = _datetime(query, "start_date"), _datetime(query, "end_date")
    if start and end and start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    if start and end and end - start > WINDOW:
        raise Open311Error(400, _("start_date to end_date may span at most 90 days."))
    if start is None and end is None:
        start = timezone.now() - WINDOW
    elif start is None:
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    return {
        "service_codes": _comma_list(query.get("service_code", "")),
        "statuses": statuses,
        "start": start,
        "end": end,
        **paging,
    }


def _position(query: QueryDict) -> list[float | None]:
    """lat and long as numbers (WGS84 decimal degrees); their pairing and range are
    intake's to check."""
    position: list[float | None] = []
    for name in ("lat", "long"):
        raw = query.get(name, "").strip()
        try:
            number = float(raw) if raw else None
        except ValueError:
            number = math.nan
        if number is not None and not math.isfinite(number):
            raise Open311Error(400, _("%(field)s: give decimal degrees.") % {"field": name})
        position.append(number)
    return position


def _reporter_name(first: str, last: str) -> str:
    """Chinese order (family name first, no space); Latin names as written."""
    if (first + last).isascii():
        return " ".join(part for part in (first, last) if part)
    return last + first


def _reporter_phone(phone: str) -> str:
    phone = re.sub(r"[\s-]", "", phone)
    return re.sub(r"^(\+|00)86", "", phone)


def _reporter_email(email: str) -> str:
    try:
        if email:
            MaxLengthValidator(254)(email)
            validate_email(email)
    except ValidationError as exc:
        raise Open311Error(400, *(f"email: {message}" for message in exc.messages)) from exc
    return email


def _retry_after() -> str:
    """Seconds until the client's hourly window turns over."""
    now = timezone.localtime()
    return str(3600 - now.minute * 60 - now.second)


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST a service request. media_url, device_id, account_id and attributes are
    accepted and not kept: a citizen's photos are evidence and must come as files."""
    form = request.POST
    client = api_client_for_key(form.get("api_key", "").strip(), kind=ClientKind.OPEN311)
    if client is None:
        raise Open311Error(403, _("Give a valid api_key to post service requests."))
    if api_client_over_limit(client):
        response = render_error(
            Open311Error(429, _("This api_key has made too many requests this hour.")), fmt=fmt
        )
        response["Retry-After"] = _retry_after()
        return response
    code = form.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = service_find(code)
    if category is None:
        raise Open311Error(404, _("Unknown service_code “%(code)s”.") % {"code": code[:20]})
    latitude, longitude = _position(form)
    data = NewReport(
        kind=ReportKind.PROBLEM,
        channel=Channel.OPEN311,
        # Optional in Open311, required by our intake: the chosen service says what it is.
        description=form.get("description", "").strip() or category.name,
        category=category,
        address=(form.get("address_string") or form.get("address_id") or "").strip(),
        latitude=latitude,
        longitude=longitude,
        reporter_name=_reporter_name(
            form.get("first_name", "").strip(), form.get("last_name", "").strip()
        ),
        reporter_phone=_reporter_phone(form.get("phone", "")),
        reporter_email=_reporter_email(form.get("email", "").strip()),
        source_reference=client.name,
    )
    try:
        report, _secret = report_submit(data=data, actor=None)
    except ValidationError as exc:
        raise Open311Error(400, *_error_descriptions(exc)) from exc
    receipt = {
        "service_request_id": report.tracking_number,
        "service_notice": _("Received as %(number)s; it is registered and dispatched next.")
        % {"number": report.tracking_number},
        "account_id": None,
    }
    return render([receipt], root="service_requests", fmt=fmt)


def _error_descriptions(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [
        f"{OPEN311_FIELDS.get(field, field)}: {message}"
        for field, messages in exc.message_dict.items()
        for message in messages
    ]
