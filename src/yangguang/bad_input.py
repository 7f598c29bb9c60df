"""Bad input gets a clear error in the format of the door it came through, never a 500.

Three doors: the REST API (``/api/``: ``{"error": {"code", "message", "fields"}}``),
Open311 (``/open311/``: its ``errors`` document, XML or JSON as the path's suffix asks)
and the pages (an HTML page in the reader's language).

``InputGuardMiddleware`` refuses, before any view runs, what no view can take:

- a NUL character in the path (404: no such page; Open311 answers 400 itself) or in a
  query or form parameter, name or value (400): PostgreSQL cannot store or even compare
  text holding one, and no field of ours has a use for it (forms and serializers refuse
  it in bodies with their own message);
- a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` that is not a file upload (413):
  Django refuses to read one, and Django REST framework would read a JSON body of any
  size without that check.

The ``handler400/403/404/500`` views answer Django's own refusals (a multipart body
whose text fields are too large, too many fields, a disallowed host) and errors raised
outside the API views in the door's format. OWASP ASVS 4.0 V5.1.3 (input validated on
the server, rejected when it does not conform) and V7.4.1 (a generic message, no
internals, when an unexpected error occurs).
"""

import re
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from yangguang.api.errors import error_body
from yangguang.api.open311.formats import Open311Error, render_error

API = "api"
OPEN311 = "open311"
PAGE = "page"
NUL = "\x00"
FORM = "application/x-www-form-urlencoded"
OPEN311_FORMAT = re.compile(r"\.(json|xml)$")


def door(request: HttpRequest) -> str:
    path = request.path_info
    if path.startswith("/api/"):
        return API
    if path.startswith("/open311/"):
        return OPEN311
    return PAGE


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: str,
    fields: dict[str, list[str]] | None = None,
) -> HttpResponse:
    """An error in the format of the request's door."""
    where = door(request)
    if where == API:
        return JsonResponse(error_body(code, message, fields), status=status)
    if where == OPEN311:
        found = OPEN311_FORMAT.search(request.path_info)
        descriptions = [message]
        for name, texts in (fields or {}).items():
            descriptions += [f"{name}: {text}" for text in texts]
        return render_error(
            Open311Error(status, *descriptions), fmt=found.group(1) if found else "xml"
        )
    context = {"status": status, "message": message, "fields": fields or {}}
    try:
        return render(request, "yangguang/error.html", context, status=status)
    except Exception:  # an error page must not fail in turn
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _too_large(request: HttpRequest) -> HttpResponse:
    limit_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return error_response(
        request,
        status=413,
        code="too_large",
        message=_(
            "The request body is larger than %(mb)s MB. Send files as uploads, or less at once."
        )
        % {"mb": limit_mb},
    )


def _with_nul(pairs: Iterable[tuple[str, list[str]]]) -> dict[str, list[str]]:
    message = _("Null characters are not allowed.")
    return {
        name.replace(NUL, "\\0"): [message]
        for name, values in pairs
        if NUL in name or any(NUL in value for value in values)
    }


def _body_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class InputGuardMiddleware:
    """Refuses NUL characters and oversized bodies for every view (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        # Open311 checks its path arguments itself (400, as its other bad arguments).
        if NUL in request.path and door(request) != OPEN311:
            return error_response(request, status=404, code="not_found", message=_("Not found."))
        # Uploads (multipart) are limited per kind of evidence by the views that take
        # them; Django checks their text fields itself (handler400 answers).
        is_form = request.content_type == FORM
        multipart = request.content_type.startswith("multipart/")
        if not multipart and _body_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return _too_large(request)
        fields = _with_nul(request.GET.lists())
        if is_form and request.method == "POST":
            try:
                fields |= _with_nul(request.POST.lists())
            except RequestDataTooBig:
                return _too_large(request)
            except (TooManyFieldsSent, TooManyFilesSent):
                return _too_many_fields(request)
        if fields:
            return error_response(
                request,
                status=400,
                code="invalid",
                message=_("Remove the null characters from the fields marked."),
                fields=fields,
            )
        return None


def _too_many_fields(request: HttpRequest) -> HttpResponse:
    return error_response(
        request,
        status=400,
        code="too_many_fields",
        message=_("The request has too many fields."),
    )


# --- Error views (ROOT_URLCONF's handler400, handler403, handler404, handler500) ----------


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _too_large(request)
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return _too_many_fields(request)
    return error_response(
        request, status=400, code="bad_request", message=_("The request is malformed.")
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if door(request) == PAGE:
        return defaults.permission_denied(request, exception)
    return error_response(
        request,
        status=403,
        code="permission_denied",
        message=_("You do not have permission to perform this action."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if door(request) == PAGE:
        return defaults.page_not_found(request, exception)
    return error_response(request, status=404, code="not_found", message=_("Not found."))


def server_error(request: HttpRequest) -> HttpResponse:
    if door(request) == PAGE:
        return defaults.server_error(request)
    return error_response(
        request,
        status=500,
        code="server_error",
        message=_("Something went wrong on our side; it has been logged. Try again later."),
    )
