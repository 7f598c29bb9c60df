"""The SMS platform's delivery-status callback (状态报告回执): ``POST /sms/receipts/``
with ``Authorization: Bearer <YANGGUANG_SMS_RECEIPT_TOKEN>`` and a JSON receipt or a
list of them, each ``{"reference": "<the id the platform answered>", "status":
"delivered" | "failed", "error": "<optional reason>"}``. Idempotent: the platform may
send a receipt again. Answered with ``{"updated", "unchanged", "unknown"}`` counts; an
unknown reference is counted, not refused (the platform must not retry it forever).
Without a configured token the endpoint does not exist (404)."""

import hmac
import json

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yangguang.notify.services import RECEIPT_STATES, message_delivery_receipt

MAX_RECEIPTS = 1000


def _error(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _authorised(request: HttpRequest) -> bool:
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), settings.SMS_RECEIPT_TOKEN.encode()
    )


def _parse(request: HttpRequest) -> list[dict] | JsonResponse:
    try:
        payload = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "invalid", _("The body is not JSON."))
    receipts = payload if isinstance(payload, list) else [payload]
    if not receipts or len(receipts) > MAX_RECEIPTS:
        return _error(
            400, "invalid", _("Send 1 to %(n)d receipts at a time.") % {"n": MAX_RECEIPTS}
        )
    fields: dict[str, list[str]] = {}
    for index, receipt in enumerate(receipts):
        if not isinstance(receipt, dict):
            fields[str(index)] = [_("A receipt is a JSON object.")]
            continue
        reference, state, error = (
            receipt.get("reference"),
            receipt.get("status"),
            receipt.get("error", ""),
        )
        if not isinstance(reference, str) or not reference.strip() or len(reference) > 100:
            fields[f"{index}.reference"] = [_("The message reference is missing or too long.")]
        if state not in RECEIPT_STATES:
            fields[f"{index}.status"] = [_("The status must be “delivered” or “failed”.")]
        if not isinstance(error, str):
            fields[f"{index}.error"] = [_("The error must be text.")]
    if fields:
        return _error(400, "invalid", _("Some receipts are not valid; none was recorded."), fields)
    return receipts


@csrf_exempt
@require_POST
def delivery_receipts(request: HttpRequest) -> JsonResponse:
    if not settings.SMS_RECEIPT_TOKEN:
        raise Http404
    if not _authorised(request):
        return _error(401, "not_authenticated", _("The receipt token is missing or wrong."))
    receipts = _parse(request)
    if isinstance(receipts, JsonResponse):
        return receipts
    counts = {"updated": 0, "unchanged": 0, "unknown": 0}
    for receipt in receipts:
        result = message_delivery_receipt(
            reference=receipt["reference"].strip(),
            delivered=RECEIPT_STATES[receipt["status"]],
            error=receipt.get("error", ""),
        )
        counts[result] += 1
    return JsonResponse(counts)
