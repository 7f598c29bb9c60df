"""The merchant's own page (非接触式执法, issue 13): signed in by a one-time code sent to
the mobile on file — reached by the link texted to them, or by typing their credit code
and mobile — they see their credit score, grade and events, their shops' zones, duties
and 责任书 (signed here), answer 整改 requests with an after-photo and apply for credit
repair. Everything they do goes through the merchants and credit services; every id is
looked up within the signed-in merchant's own file (another's is a 404).

The sign-in by credit code says the same whether or not the pair is on file, and does
not tell a locked sign-in from a wrong code (either would tell a stranger that the pair
matches); the texted link, held only by the merchant, says when it is locked or a code
was just sent.
"""

import contextlib
import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yangguang.merchants.access import (
    SESSION_LIFETIME,
    CodeRefused,
    access_for_sign_in,
    access_for_token,
    merchant_code_check,
    merchant_code_send,
)
from yangguang.merchants.inspections import rectification_submit
from yangguang.merchants.models import MerchantAccess
from yangguang.merchants.own_page import (
    OPEN_RECTIFICATION,
    access_by_id,
    access_signed_in,
    merchant_credit,
    merchant_event,
    merchant_letter,
    merchant_rectification,
    merchant_rectifications,
    merchant_shops,
)
from yangguang.merchants.services import letter_sign_electronic
from yangguang.portal.merchant_forms import (
    MerchantCodeForm,
    MerchantSignInForm,
    RectificationPhotoForm,
    RepairApplicationForm,
)
from yangguang.portal.views import _too_many

SESSION_KEY = "merchant:session"  # {"merchant": id, "access": id, "until": timestamp}
PENDING_KEY = "merchant:pending"  # the sign-in by credit code awaiting its code
PENDING_LIFETIME = datetime.timedelta(minutes=15)
# Sign-in steps (asking for a code, typing one) one address may take in an hour: each
# sign-in row locks after ten wrong codes, this bounds the rows one address can try.
SIGN_IN_PER_HOUR = 30
# A link's token: secrets.token_urlsafe(24) (32 characters); anything else is not ours.
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
ID_MAX = 2**31 - 1


def _object_id(value: object) -> int:
    """An id from the path or a form: a positive integer in the column's range, or 404."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < number <= ID_MAX:
        raise Http404
    return number


def _now_ts() -> float:
    return timezone.now().timestamp()


# --- Sign-in -------------------------------------------------------------------------


def _signed_in(request: HttpRequest) -> MerchantAccess | None:
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    until = data.get("until")
    if not isinstance(until, int | float) or _now_ts() >= until:
        request.session.pop(SESSION_KEY, None)
        return None
    access = access_signed_in(access_id=data.get("access"), merchant_id=data.get("merchant"))
    if access is None:
        request.session.pop(SESSION_KEY, None)
    return access


def _sign_in(request: HttpRequest, access: MerchantAccess) -> None:
    request.session.cycle_key()  # a new session id once signed in (no fixation)
    request.session.pop(PENDING_KEY, None)
    request.session[SESSION_KEY] = {
        "merchant": access.merchant_id,
        "access": access.pk,
        "until": (timezone.now() + SESSION_LIFETIME).timestamp(),
    }


def _rate_limited(request: HttpRequest) -> bool:
    if _too_many(request, "merchant_sign_in", SIGN_IN_PER_HOUR):
        messages.error(request, _("Too many attempts; please try again later."))
        return True
    return False


def _pending(request: HttpRequest) -> dict | None:
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    until = data.get("until")
    if not isinstance(until, int | float) or _now_ts() >= until:
        request.session.pop(PENDING_KEY, None)
        return None
    return data


def _send_quietly(access: MerchantAccess | None) -> None:
    """Send a code if the pair matched; a refusal (locked, too soon) is not told apart
    from a pair that did not match."""
    if access is None:
        return
    with contextlib.suppress(CodeRefused):
        merchant_code_send(access=access)


def _sent_whether_or_not() -> str:
    return _(
        "If the credit code and mobile number match our file, a code has been sent to "
        "that mobile by text message. Enter it below."
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign-in by credit code and mobile, then the code texted to that mobile."""
    if request.method == "GET" and _signed_in(request) is not None:
        return redirect("portal:merchant_home")
    identify = MerchantSignInForm(request.POST if _step(request) == "identify" else None)
    code = MerchantCodeForm(request.POST if _step(request) == "verify" else None)
    status = 200
    if request.method == "POST":
        handlers = {"identify": _identify, "verify": _verify_pending, "resend": _resend}
        handler = handlers.get(_step(request))
        if handler is None:
            return HttpResponse(status=400)
        if _rate_limited(request):
            status = 429
        else:
            outcome = handler(request, identify=identify, code=code)
            if isinstance(outcome, HttpResponse):
                return outcome
            status = outcome
    context = {"identify": identify, "code": code, "pending": _pending(request) is not None}
    return render(request, "portal/merchant/sign_in.html", context, status=status)


def _step(request: HttpRequest) -> str:
    return request.POST.get("step", "") if request.method == "POST" else ""


def _identify(request: HttpRequest, *, identify: MerchantSignInForm, code) -> HttpResponse | int:
    if not identify.is_valid():
        return 400
    access = access_for_sign_in(
        credit_code=identify.cleaned_data["credit_code"], phone=identify.cleaned_data["phone"]
    )
    _send_quietly(access)
    request.session[PENDING_KEY] = {
        "access": access.pk if access is not None else None,
        "until": (timezone.now() + PENDING_LIFETIME).timestamp(),
    }
    messages.info(request, _sent_whether_or_not())
    return redirect("portal:merchant_sign_in")


def _resend(request: HttpRequest, *, identify, code) -> HttpResponse | int:
    pending = _pending(request)
    if pending is None:
        messages.error(request, _("Enter your credit code and mobile number first."))
        return 400
    _send_quietly(access_by_id(pending.get("access")))
    messages.info(request, _sent_whether_or_not())
    return redirect("portal:merchant_sign_in")


def _verify_pending(
    request: HttpRequest, *, identify, code: MerchantCodeForm
) -> HttpResponse | int:
    pending = _pending(request)
    if pending is None:
        messages.error(request, _("Enter your credit code and mobile number first."))
        return 400
    if not code.is_valid():
        return 400
    access = access_by_id(pending.get("access"))
    good = False
    if access is not None:
        try:
            good = merchant_code_check(access=access, code=code.cleaned_data["code"])
        except CodeRefused:
            good = False  # locked: told as a wrong code here (see the module)
    if not good:
        messages.error(
            request,
            _(
                "The code is wrong or has expired. If your codes keep being refused, ask the "
                "bureau to send you a new link."
            ),
        )
        return 400
    _sign_in(request, access)
    return redirect("portal:merchant_home")


def _link_access(token: str) -> MerchantAccess:
    if not TOKEN.fullmatch(token):
        raise Http404
    access = access_for_token(token)
    if access is None:
        raise Http404
    return access


@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, token: str) -> HttpResponse:
    """The link texted to the merchant: a code to the same mobile, then their page."""
    access = _link_access(token)
    code = MerchantCodeForm(request.POST if _step(request) == "verify" else None)
    status = 200
    if request.method == "POST":
        step = _step(request)
        if step not in {"send_code", "verify"}:
            return HttpResponse(status=400)
        if _rate_limited(request):
            status = 429
        else:
            try:
                if step == "send_code":
                    merchant_code_send(access=access)
                    messages.success(request, _("A code has been sent to your phone."))
                    return redirect("portal:merchant_link", token=token)
                if code.is_valid() and merchant_code_check(
                    access=access, code=code.cleaned_data["code"]
                ):
                    _sign_in(request, access)
                    return redirect("portal:merchant_home")
                if code.is_valid():
                    messages.error(request, _("The code is wrong or has expired."))
                status = 400
            except CodeRefused as refusal:
                messages.error(request, refusal.message)
                status = 409
            access.refresh_from_db(fields=["locked_at", "failed_attempts"])
    context = {"access": access, "code": code, "phone_end": access.phone[-4:]}
    return render(request, "portal/merchant/link.html", context, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    request.session.pop(PENDING_KEY, None)
    request.session.cycle_key()
    messages.success(request, _("You have signed out."))
    return redirect("portal:merchant_sign_in")


# --- The merchant's page -------------------------------------------------------------


def _required(request: HttpRequest) -> MerchantAccess | None:
    access = _signed_in(request)
    if access is None:
        messages.info(request, _("Sign in to see your page."))
    return access


def _home_context(
    request: HttpRequest,
    access: MerchantAccess,
    *,
    rectification_form: tuple[int, RectificationPhotoForm] | None = None,
    repair_form: tuple[int, RepairApplicationForm] | None = None,
) -> dict:
    merchant = access.merchant
    credit = merchant_credit(merchant=merchant, today=timezone.localdate())
    shops = merchant_shops(merchant=merchant)
    rectifications = [
        (
            rectification,
            rectification_form[1]
            if rectification_form and rectification_form[0] == rectification.pk
            else RectificationPhotoForm(prefix=f"r{rectification.pk}"),
        )
        for rectification in merchant_rectifications(merchant=merchant)
    ]
    events = [
        (
            line,
            repair_form[1]
            if repair_form and repair_form[0] == line.event.pk
            else RepairApplicationForm(prefix=f"e{line.event.pk}"),
        )
        for line in credit.events
    ]
    return {
        "merchant": merchant,
        "credit": credit,
        "events": events,
        "repairable": [pair for pair in events if pair[0].repairable or pair[0].applications],
        "shops": shops,
        "zones": {str(line.shop.pk): line.shop.zone for line in shops},
        "rectifications": rectifications,
        "open_statuses": [str(status) for status in OPEN_RECTIFICATION],
        "session_until": timezone.localtime(
            datetime.datetime.fromtimestamp(request.session[SESSION_KEY]["until"], tz=datetime.UTC)
        ),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _render_home(request: HttpRequest, access: MerchantAccess, status: int = 200, **forms):
    return render(
        request, "portal/merchant/home.html", _home_context(request, access, **forms), status=status
    )


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = _required(request)
    if access is None:
        return redirect("portal:merchant_sign_in")
    return _render_home(request, access)


def _refused(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@require_POST
def letter_sign(request: HttpRequest, letter_id: str) -> HttpResponse:
    access = _required(request)
    if access is None:
        return redirect("portal:merchant_sign_in")
    letter = merchant_letter(merchant=access.merchant, letter_id=_object_id(letter_id))
    if letter is None:
        raise Http404
    try:
        letter_sign_electronic(letter=letter, phone=access.phone)
    except ValidationError as error:
        _refused(request, error)
        return _render_home(request, access, status=400)
    messages.success(
        request, _("You have signed responsibility letter %(number)s.") % {"number": letter.number}
    )
    return redirect("portal:merchant_home")


@require_POST
def rectification(request: HttpRequest, rectification_id: str) -> HttpResponse:
    access = _required(request)
    if access is None:
        return redirect("portal:merchant_sign_in")
    found = merchant_rectification(
        merchant=access.merchant, rectification_id=_object_id(rectification_id)
    )
    if found is None:
        raise Http404
    form = RectificationPhotoForm(request.POST, request.FILES, prefix=f"r{found.pk}")
    if form.is_valid():
        try:
            rectification_submit(
                rectification=found,
                photos=form.cleaned_data["photos"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request, _("Thank you: the inspector will check the correction and tell you.")
            )
            return redirect("portal:merchant_home")
    return _render_home(request, access, status=400, rectification_form=(found.pk, form))


@require_POST
def repair(request: HttpRequest, event_id: str) -> HttpResponse:
    from yangguang.credit.repair import repair_apply

    access = _required(request)
    if access is None:
        return redirect("portal:merchant_sign_in")
    event = merchant_event(merchant=access.merchant, event_id=_object_id(event_id))
    if event is None:
        raise Http404
    form = RepairApplicationForm(request.POST, request.FILES, prefix=f"e{event.pk}")
    if form.is_valid():
        try:
            repair_apply(
                event=event,
                commitment=form.cleaned_data["commitment"],
                correction=form.cleaned_data["correction"],
                proof=form.cleaned_data["proof"],
            )
        except ValidationError as error:
            _refused(request, error)
        else:
            messages.success(
                request,
                _("Your application has been received; the legal office will decide on it."),
            )
            return redirect("portal:merchant_home")
    return _render_home(request, access, status=400, repair_form=(event.pk, form))
