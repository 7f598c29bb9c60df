"""Officers' public identity (事中公示): the list of officers on duty (执法人员清单),
an officer's identity page (the 执法公示卡's QR code leads there), the lookup by
certificate number and the officer's photo.

Every page is computed per request and not cached, so a suspension or the end of a
certificate's validity shows at once. They show what the card shows — name, photo,
certificate number, unit, rank, 执法类别/区域 and validity — and nothing else about
the officer."""

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yangguang.org.identity import (
    PublicStatus,
    card_tokens_by_number,
    certificate_by_card,
    certificate_by_number,
    officer_units,
    officers_on_duty,
    public_status,
    verifier_url,
)
from yangguang.org.models import Certificate, OfficerPhoto
from yangguang.portal.officer_forms import OfficerFilterForm, OfficerLookupForm

PER_PAGE = 24
# The keys we issue (secrets.token_urlsafe(18)): anything else is not looked up.
CARD_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,32}")


def _status_text(status: PublicStatus, certificate: Certificate) -> str:
    """The standing in a sentence, for someone standing in front of the officer."""
    dates = {
        "start": date_format(certificate.valid_from),
        "end": date_format(certificate.valid_to),
    }
    not_usable = _("Its holder may not carry out enforcement with it.")
    texts = {
        PublicStatus.VALID: _("This certificate is valid today, until %(end)s."),
        PublicStatus.EXPIRED: _("This certificate expired on %(end)s.") + " " + not_usable,
        PublicStatus.SUSPENDED: _("This certificate is suspended.") + " " + not_usable,
        PublicStatus.REVOKED: _("This certificate has been revoked or cancelled.")
        + " "
        + not_usable,
        PublicStatus.NOT_YET_VALID: _("This certificate is valid only from %(start)s.")
        + " "
        + not_usable,
    }
    return texts[status] % dates


def _identity(certificate: Certificate) -> dict:
    """What the identity page and the lookup show of ``certificate``."""
    status = public_status(certificate, timezone.localdate())
    return {
        "certificate": certificate,
        "holder": certificate.holder,
        "status": status,
        "status_text": _status_text(status, certificate),
        "is_valid": status == PublicStatus.VALID,
        "verifier_url": verifier_url(certificate),
    }


@never_cache
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    day = timezone.localdate()
    form = OfficerFilterForm(request.GET or None, units=list(officer_units(day=day)))
    unit = form.chosen_unit()
    officers = officers_on_duty(day=day, unit=unit)
    page = Paginator(officers, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/officers/list.html",
        {"form": form, "unit": unit, "page": page, "today": day},
        status=400 if form.errors else 200,
    )


def _by_card(card_token: str) -> Certificate:
    if not CARD_TOKEN.fullmatch(card_token):
        raise Http404
    certificate = certificate_by_card(card_token)
    if certificate is None:
        raise Http404
    return certificate


@never_cache
@require_GET
def officer(request: HttpRequest, card_token: str) -> HttpResponse:
    certificate = _by_card(card_token)
    return render(request, "portal/officers/identity.html", _identity(certificate))


@never_cache
@require_GET
def officer_lookup(request: HttpRequest) -> HttpResponse:
    form = OfficerLookupForm(request.GET if "number" in request.GET else None)
    context: dict = {"form": form}
    status = 200
    if form.is_bound:
        if not form.is_valid():
            status = 400
        elif (found := certificate_by_number(form.cleaned_data["number"])) is None:
            context["not_found"] = form.cleaned_data["number"]
            status = 404
        else:
            context.update(_identity(found))
    return render(request, "portal/officers/lookup.html", context, status=status)


@require_GET
def officer_photo(request: HttpRequest, card_token: str) -> HttpResponse:
    certificate = _by_card(card_token)
    photo = OfficerPhoto.objects.filter(user=certificate.holder).only("image").first()
    if photo is None:
        raise Http404
    response = HttpResponse(bytes(photo.image), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=600"
    return response


def case_officer_links(document) -> list[tuple[str, str]]:
    """The certificate numbers of a case document's officers, each with the key of its
    identity page ("" for a number not on record), for the document check page."""
    from yangguang.cases.models import CaseOfficer

    numbers = list(
        CaseOfficer.objects.filter(case_id=document.case_id).values_list(
            "certificate_number", flat=True
        )
    )
    tokens = card_tokens_by_number(numbers)
    return [(number, tokens.get(number, "")) for number in numbers if number]
