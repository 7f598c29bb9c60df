"""What the public sees of a report: its public summary and a street-level location.

A citizen's own words name third persons, flats and phone numbers; they are the staff's
to read, never the public's. Every public surface — Open311 GeoReport v2, the tracking
page and its public timeline — shows instead:

- the **public summary**, approved by the intake operator (受理员) when the report is
  registered (受理) and changed afterwards only by a recorded edit of a 受理员 or 值班长.
  The proposal is the category and the street-level location ("占道经营 · 东街道一社区").
  Before registration a report has no summary, and the public sees only its category,
  status and location;
- the **location** of the 街道 and 社区 the report was located in — never the address
  the reporter wrote, which holds house and flat numbers.

This is the minimum the purpose needs (个人信息保护法 art 6: 最小必要; art 28: an identity
number and a person's whereabouts are sensitive personal information) and no more than the
business requires leaves the system (GB/T 22239-2019 等保2.0 8.1.4.10 个人信息保护).
``validate_public_summary`` is the one rule for the text, used by the service, the
page's form and the API's serializer alike.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yangguang.categories.models import Category
from yangguang.core.privacy import ID_NUMBER, MOBILE_NUMBER, comparable
from yangguang.reports.models import PUBLIC_SUMMARY_MAX, Report

SEPARATOR = " · "


def validate_public_summary(value: str) -> None:
    """Refuse a public summary the public must not read: too long, a NUL character, an
    11-digit mobile number or an 18-character identity number (个人信息保护法 art 6 and
    art 28; 等保2.0 8.1.4.10). A Django validator: forms and serializers use it as is."""
    if "\x00" in value:
        raise ValidationError(
            _("The text contains a NUL character, which cannot be stored."), code="null"
        )
    if len(value.strip()) > PUBLIC_SUMMARY_MAX:
        raise ValidationError(
            _("The public summary is longer than %(n)d characters.") % {"n": PUBLIC_SUMMARY_MAX},
            code="too_long",
        )
    flat = comparable(value)
    if MOBILE_NUMBER.search(flat):
        raise ValidationError(
            _("The public summary contains a mobile phone number; remove it (it is published)."),
            code="mobile_number",
        )
    if ID_NUMBER.search(flat):
        raise ValidationError(
            _("The public summary contains an identity number; remove it (it is published)."),
            code="id_number",
        )


def public_summary_clean(*, report: Report, text: str) -> str:
    """The summary as stored, or ``ValidationError`` on the field ``public_summary``:
    empty, refused by ``validate_public_summary``, or naming one of the report's
    reporters (their name or phone number as they gave it)."""
    text = " ".join(text.split())
    try:
        if not text:
            raise ValidationError(_("Write the public summary."), code="required")
        validate_public_summary(text)
        for reporter in report.reporters.all():
            name, phone = reporter.name.strip(), reporter.phone.strip()
            if (len(name) > 1 and name in text) or (phone and phone in comparable(text)):
                raise ValidationError(
                    _("The public summary names a reporter; remove it (it is published)."),
                    code="reporter",
                )
    except ValidationError as error:
        raise ValidationError({"public_summary": error.error_list}) from error
    return text


def public_location(report: Report) -> str:
    """The 街道 and 社区 the report lies in ("东街道一社区"); empty if it was not located
    on a grid. Never the address the reporter wrote."""
    street = report.street.name if report.street_id else ""
    community = report.community.name if report.community_id else ""
    return street + community


def public_summary_default(report: Report, *, category: Category | None = None) -> str:
    """The proposal shown to the intake operator: category and location, e.g.
    "占道经营 · 东街道一社区". ``category`` is the one chosen at registration, if it
    differs from the report's."""
    category = category or report.category
    parts = [category.name if category else "", public_location(report)]
    return SEPARATOR.join(part for part in parts if part)[:PUBLIC_SUMMARY_MAX]


def public_what(report: Report) -> str:
    """What the public reads of the report: the approved summary, or before
    registration only the category (or the kind of report, if it has none)."""
    if report.public_summary:
        return report.public_summary
    return report.category.name if report.category_id else str(report.get_kind_display())
