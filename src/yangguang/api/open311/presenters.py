"""Our categories and reports in GeoReport v2's words. Nothing personal leaves here:
reporters are never listed; a request's ``description`` is the public summary approved
at registration (受理) and its ``address`` the street-level location — never the
reporter's own words, which name third persons and flats (``reports.public``;
个人信息保护法 art 6 and art 28; 等保2.0 GB/T 22239-2019 8.1.4.10). Before registration
the description is empty: the category, status and location are all there is. The
position is rounded to about a hundred metres (a street, not a door), and no photo is
published. In the staff's reply (``status_notes``) phone numbers, e-mail addresses, ID
numbers and the reporters' names are masked all the same."""

import datetime
import re

from django.utils import timezone

from yangguang.api.open311.selectors import CLOSED, service_code
from yangguang.categories.models import Category
from yangguang.core.privacy import mask_id_number, mask_name, mask_phone
from yangguang.reports.models import Report
from yangguang.reports.public import public_location

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9+])(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；]+")
# Three decimals of a degree: about 110 m of latitude, 90 m of longitude here.
POSITION_DECIMALS = 3


def w3c(moment: datetime.datetime | None) -> str | None:
    """ISO 8601 with the offset of Asia/Shanghai: 2026-11-22T10:00:00+08:00."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def redact(text: str, report: Report) -> str:
    text = ID_NUMBER.sub(lambda match: mask_id_number(match.group()), text)
    text = PHONE.sub(lambda match: mask_phone(match.group()), text)
    text = EMAIL.sub(lambda match: "***@" + match.group(1), text)
    for reporter in report.reporters.all():
        name, phone, email = reporter.name.strip(), reporter.phone.strip(), reporter.email.strip()
        if len(name) > 1:
            text = text.replace(name, mask_name(name))
        if phone:
            text = text.replace(phone, mask_phone(phone))
        if email:
            text = text.replace(email, "***@" + email.rpartition("@")[2])
    return text


def service_data(category: Category) -> dict:
    keywords = [word for word in KEYWORD_SEPARATORS.split(category.keywords) if word]
    return {
        "service_code": service_code(category),
        "service_name": category.name,
        "description": f"{category.major_name} · {category.name}",
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(keywords),
        "group": category.major_name,
    }


def _coarse(degrees: float | None) -> float | None:
    return None if degrees is None else round(degrees, POSITION_DECIMALS)


def request_data(report: Report, *, bureau_name: str) -> dict:
    closed = report.status in CLOSED
    updated = report.closed_at if closed and report.closed_at else report.updated_at
    return {
        "service_request_id": report.tracking_number,
        "status": "closed" if closed else "open",
        "status_notes": redact(report.public_reply, report) if closed else "",
        "service_name": report.category.name if report.category else None,
        "service_code": service_code(report.category) if report.category else None,
        "description": report.public_summary or None,
        "agency_responsible": report.unit.name if report.unit else bureau_name,
        "service_notice": None,
        "requested_datetime": w3c(report.created_at),
        "updated_datetime": w3c(updated),
        "expected_datetime": w3c(report.deadline),
        "address": public_location(report) or None,
        "address_id": None,
        "zipcode": None,
        "lat": _coarse(report.latitude),
        "long": _coarse(report.longitude),
        # Photos are evidence for the staff: none is approved for publication.
        "media_url": None,
    }
