"""One error body for the whole REST API:

    {"error": {"code": "...", "message": "...", "fields": {"name": ["...", ...]}}}

``code`` is stable and machine-readable, ``message`` is for people (in the request's
language), ``fields`` holds the messages by input field (empty unless the input was
invalid). The status says the kind of error:

400 invalid input (DRF or Django validation), 401 not authenticated or bad credentials,
403 not allowed, 404 not found or outside the user's scope, 405/406/415 the HTTP verb or
media type, 409 a move the report loop refuses (``code`` is the refusal's code), 413 a
body too large, 429 over the request limit.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from yangguang.cases.context import ProcedureRefused
from yangguang.disclosure.services import PublicationRefused
from yangguang.reports.workflow import TransitionRefused

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is too large.")
    default_code = "too_large"


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: object, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field": [...], "category.code": [...]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            # A nested object's own (non-field) errors belong to the object's field.
            name = prefix if key == NON_FIELD and prefix else f"{prefix}.{key}".lstrip(".")
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD: [str(item) for item in items]}


def _invalid(fields: dict[str, list[str]]) -> dict:
    general = fields.pop(NON_FIELD, None) or fields.pop("__all__", None)
    message = " ".join(general) if general else _("Check the fields marked.")
    return error_body("invalid", message, fields)


def _from_django_validation(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return _invalid({key: list(value) for key, value in exc.message_dict.items()})
    return _invalid({NON_FIELD: list(exc.messages)})


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's EXCEPTION_HANDLER. Anything not listed stays unhandled: a server error,
    logged by Django, never dressed up as a client error."""
    headers: dict[str, str] = {}
    if isinstance(exc, TransitionRefused | ProcedureRefused | PublicationRefused):
        return Response(error_body(exc.code, exc.reason), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return Response(_from_django_validation(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None
    if isinstance(exc, exceptions.ValidationError):
        return Response(_invalid(_flatten(exc.detail)), status=status.HTTP_400_BAD_REQUEST)
    status_code = exc.status_code
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        # DRF answers 403 when the first authenticator (the session) names no scheme;
        # an API client needs to know that credentials are what is missing.
        status_code = status.HTTP_401_UNAUTHORIZED
        headers["WWW-Authenticate"] = getattr(exc, "auth_header", None) or 'Token realm="api"'
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(int(exc.wait))
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    return Response(error_body(code, str(exc.detail)), status=status_code, headers=headers)


@csrf_exempt  # a POST to an unknown path is 404, not a CSRF page: nothing is written
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not an HTML page."""
    return JsonResponse(error_body("not_found", _("No such API endpoint.")), status=404)
