"""Officers' public identity (事中公示): reads for the public list of officers, their
identity pages (the 执法公示卡's QR code) and the lookup by certificate number.

What a certificate says to the public is decided here once (``public_status``), per
request from the certificate's row and the day: a suspension, a revocation or the end
of validity shows the moment it happens. Nothing here reaches an officer's phone,
identity number or login; the pages show what the card shows.
"""

import datetime
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from yangguang.core.sequences import public_url
from yangguang.org.enums import CertificateStatus
from yangguang.org.models import Certificate, OfficerPhoto, Unit

NUMBER_MAX_LENGTH = Certificate._meta.get_field("number").max_length


class PublicStatus(models.TextChoices):
    """A certificate's standing in plain words, as the identity page says it."""

    VALID = "valid", pgettext_lazy("certificate standing", "Valid")
    EXPIRED = "expired", pgettext_lazy("certificate standing", "Expired")
    SUSPENDED = "suspended", pgettext_lazy("certificate standing", "Suspended")
    REVOKED = "revoked", pgettext_lazy("certificate standing", "Revoked")
    NOT_YET_VALID = "not_yet_valid", pgettext_lazy("certificate standing", "Not yet valid")


def public_status(certificate: Certificate, day: datetime.date) -> PublicStatus:
    """What ``certificate`` says on ``day``: 有效, 已过期, 已暂停, 已注销 (revoked or
    cancelled) or 尚未生效. The province's status comes first (a suspended card is
    suspended whatever its dates). An officer whose account is deactivated no longer
    works for the bureau, so their card reads 已注销 too."""
    if certificate.status in {CertificateStatus.REVOKED, CertificateStatus.CANCELLED}:
        return PublicStatus.REVOKED
    if not certificate.holder.is_active:
        return PublicStatus.REVOKED
    if certificate.status == CertificateStatus.SUSPENDED:
        return PublicStatus.SUSPENDED
    if day > certificate.valid_to:
        return PublicStatus.EXPIRED
    if day < certificate.valid_from:
        return PublicStatus.NOT_YET_VALID
    return PublicStatus.VALID


def _public(certificates: QuerySet[Certificate]) -> QuerySet[Certificate]:
    has_photo = Exists(OfficerPhoto.objects.filter(user=OuterRef("holder")))
    return certificates.select_related("holder", "holder__unit", "holder__rank").annotate(
        has_photo=has_photo
    )


def _valid_on(day: datetime.date) -> Q:
    """The rows ``public_status`` calls valid on ``day``, as a query."""
    return Q(
        status=CertificateStatus.VALID,
        valid_from__lte=day,
        valid_to__gte=day,
        holder__is_active=True,
    )


def officers_on_duty(*, day: datetime.date, unit: Unit | None = None) -> QuerySet[Certificate]:
    """The certificates valid on ``day`` (one row per certificate), of ``unit``'s
    subtree when given, by unit and name: the public 执法人员清单."""
    certificates = Certificate.objects.filter(_valid_on(day))
    if unit is not None:
        certificates = certificates.filter(holder__unit__path__startswith=unit.path)
    return _public(certificates).order_by("holder__unit__path", "holder__name", "number")


def officer_units(*, day: datetime.date) -> QuerySet[Unit]:
    """The units with at least one officer on the list on ``day`` (the list's filter)."""
    holders = Certificate.objects.filter(_valid_on(day), holder__unit=OuterRef("pk"))
    return Unit.objects.filter(Exists(holders)).order_by("path")


def certificate_by_card(token: str) -> Certificate | None:
    return _public(Certificate.objects.filter(card_token=token)).first()


def number_clean(raw: str) -> str:
    """A certificate number as typed: full-width characters folded (NFKC), spaces
    dropped. The number itself is the province's opaque string."""
    return "".join(unicodedata.normalize("NFKC", raw).split())


def certificate_by_number(number: str) -> Certificate | None:
    return _public(Certificate.objects.filter(number=number)).first()


def card_tokens_by_number(numbers: list[str]) -> dict[str, str]:
    """The identity-page key of each certificate number known (the document check
    page links the case officers' numbers to their pages)."""
    return dict(Certificate.objects.filter(number__in=numbers).values_list("number", "card_token"))


def identity_url(certificate: Certificate) -> str:
    """The absolute address of the officer's identity page (the 执法公示卡's QR code),
    on the public site's address (YANGGUANG_PUBLIC_BASE_URL)."""
    return public_url(reverse("portal:officer", args=[certificate.card_token]))


def verifier_url(certificate: Certificate) -> str:
    """The province's own check of the certificate (YANGGUANG_CERTIFICATE_VERIFIER_URL
    with the number in place of ``{number}``), or "" when none is configured."""
    template = settings.CERTIFICATE_VERIFIER_URL
    if not template:
        return ""
    return template.replace("{number}", quote(certificate.number, safe=""))
