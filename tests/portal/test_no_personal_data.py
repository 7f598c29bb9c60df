"""No public page or public API answer shows personal data of an individual (issue 12,
"Quality bars"; 个人信息保护法, 政府信息公开条例 第十五条).

The demo city is loaded (with a published decision of an individual, 张某); then every
public GET address — the portal's pages, the disclosure pages, feeds, CSV and sitemap,
Open311 and the public API, found from the URLconf by tests/portal/public_pages.py — is
fetched without signing in, and each answer is scanned, as text a reader or a program
would get from it (JSON and XML unescaped, PDF text and .xlsx cells extracted), for

* the name of every individual party (Case.party_name), every reporter (Reporter.name)
  and every staff member (User.name) — except, on the officers' own public pages
  (执法人员清单, identity page, lookup), the names of officers holding a certificate,
  which are public by law;
* every phone number on record (Case.party_phone, Reporter.phone, User.phone);
* every identity number (Case.party_id_number); and
* every individual party's address (Case.party_address).
"""

import contextlib
import datetime
import html
import io
import json
import re
import urllib.parse
import zoneinfo
from dataclasses import dataclass, field

import pytest
import time_machine
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.test import Client, override_settings

from tests.portal.public_pages import NOT_TRIED, PublicUrl, public_urls, search_urls

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)  # a Monday, as the demo's
# Pages on which officers' names are public by law (执法人员清单 and identity pages).
OFFICER_PAGES = frozenset({"portal:officers", "portal:officer", "portal:officer_lookup"})
# Answers that hold no text to scan.
BINARY = ("image/",)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo city, once for the module, in a transaction rolled back at the end."""
    evidence = tmp_path_factory.mktemp("evidence")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(evidence), "base_url": None},
        },
    }
    from yangguang.core.demo import demo_city_load

    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(STORAGES=storages),
        transaction.atomic(),
    ):
        demo_city_load()
        _individual_published()
        yield storages["evidence"]
        transaction.set_rollback(True)


@pytest.fixture
def clock(time_machine, settings, demo_city):
    time_machine.move_to(NOW, tick=False)
    settings.STORAGES = {**settings.STORAGES, "evidence": demo_city}


def _individual_published() -> None:
    """The demo publishes an individual's decision (the hearing case); should it stop
    doing so, one is published here through the service, so the scan always sees one."""
    from yangguang.disclosure.enums import PublicationStatus
    from yangguang.disclosure.models import Publication
    from yangguang.disclosure.services import publication_approve
    from yangguang.org.enums import PostCode
    from yangguang.org.models import User

    individual = Publication.objects.filter(party_is_organisation=False)
    if individual.filter(status=PublicationStatus.PUBLISHED).exists():
        return
    proposed = individual.filter(status=PublicationStatus.PROPOSED).order_by("pk").first()
    assert proposed is not None, "the demo has no decision of an individual to publish"
    reviewer = User.objects.filter(posts__code=PostCode.LEGAL_REVIEWER).order_by("pk").first()
    publication_approve(publication_id=proposed.pk, actor=reviewer)


# --- What must not appear -----------------------------------------------------------------


@dataclass
class PersonalData:
    names: dict[str, str] = field(default_factory=dict)  # name → whose
    officer_names: set[str] = field(default_factory=set)  # public on officers' pages
    numbers: dict[str, str] = field(default_factory=dict)  # digits → whose
    addresses: dict[str, str] = field(default_factory=dict)

    def found_in(self, text: str, *, officers_public: bool) -> list[str]:
        found = [
            f"{whose} {value!r}"
            for value, whose in self.names.items()
            if value in text and not (officers_public and value in self.officer_names)
        ]
        found += [f"{whose} {value!r}" for value, whose in self.addresses.items() if value in text]
        digits = _digit_runs(text)
        found += [f"{whose} {value!r}" for value, whose in self.numbers.items() if value in digits]
        return found


def _digit_runs(text: str) -> set[str]:
    """Whole numbers in the text (an identity number may end in X), also when written
    with spaces or dashes between groups (139 1234 5678, 139-1234-5678); digits inside
    a word (a hexadecimal hash) are not numbers."""
    runs = set()
    for match in re.finditer(r"(?<![0-9A-Za-z])\d[\d -]{5,22}[\dXx](?![0-9A-Za-z])", text):
        joined = re.sub(r"[ -]", "", match.group()).upper()
        runs.add(joined)
        runs.update(re.findall(r"\d{6,}[\dX]?", match.group().upper()))
    return runs


def _personal_data() -> PersonalData:
    from yangguang.cases.enums import PartyKind
    from yangguang.cases.models import Case
    from yangguang.org.models import Certificate, User
    from yangguang.reports.models import Reporter

    data = PersonalData()
    for name, phone, id_number, address, kind in Case.objects.values_list(
        "party_name", "party_phone", "party_id_number", "party_address", "party_kind"
    ):
        if kind == PartyKind.INDIVIDUAL:
            data.names[name] = "party"
            data.addresses[address] = "party's address"
        data.numbers[_digits(phone)] = "party's phone"
        data.numbers[id_number.upper()] = "identity number"
    for name, phone in Reporter.objects.values_list("name", "phone"):
        data.names[name] = "reporter"
        data.numbers[_digits(phone)] = "reporter's phone"
    for name, phone in User.objects.values_list("name", "phone"):
        data.names.setdefault(name, "staff member")
        data.numbers[_digits(phone)] = "staff member's phone"
    data.officer_names = set(Certificate.objects.values_list("holder__name", flat=True).distinct())
    for mapping in (data.names, data.numbers, data.addresses):
        for empty in [key for key in mapping if len(key.strip()) < 2]:
            del mapping[empty]
    return data


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)


# --- Reading an answer as its reader would ------------------------------------------------


def readable_text(content: bytes, content_type: str) -> str:
    """The text of an answer: JSON with its escapes undone, markup's entities and
    percent-escapes undone, a PDF's text, a workbook's cells."""
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    text = content.decode("utf-8-sig", errors="replace")
    if "json" in content_type:
        with contextlib.suppress(ValueError):  # a JSON error page in another shape
            text = json.dumps(json.loads(text), ensure_ascii=False)
    text = html.unescape(text)
    return text + "\n" + urllib.parse.unquote(text)


def _close(response) -> None:
    """Close a streamed answer without request_finished closing the connection that
    holds the module's transaction (as tests/core/test_every_page.py does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# --- The test -------------------------------------------------------------------------------


@pytest.mark.slow
def test_no_public_page_or_answer_shows_personal_data(db, clock, demo_city):
    from yangguang.disclosure.enums import PublicationStatus
    from yangguang.disclosure.models import Publication

    personal = _personal_data()
    urls, unfilled = public_urls()
    urls += search_urls()
    urls += [
        PublicUrl("open311:requests", "/open311/v2/requests.json?status=open,closed"),
        PublicUrl("open311:requests", "/open311/v2/requests.xml?status=open,closed"),
    ]
    client = Client(raise_request_exception=False)

    leaks, scanned, failed = [], set(), []
    for page in urls:
        response = client.get(page.url)
        content_type = response.get("Content-Type", "")
        body = _body(response)
        _close(response)
        if response.status_code >= 500:
            failed.append(f"{page.url}: {response.status_code}")
            continue
        if content_type.startswith(BINARY) or response.status_code in (301, 302, 404, 405):
            continue
        scanned.add(page.name)
        text = readable_text(body, content_type)
        leaks += [
            f"{page.url}: {found}"
            for found in personal.found_in(text, officers_public=page.name in OFFICER_PAGES)
        ]

    assert leaks == [], "personal data on public pages:\n" + "\n".join(sorted(set(leaks)))
    assert failed == []
    assert unfilled == [], f"public addresses without sample arguments: {unfilled} {NOT_TRIED}"
    # The scan saw what it is meant to see: an individual's published decision, the
    # tracking and document check pages, officers, Open311.
    assert Publication.objects.filter(
        status=PublicationStatus.PUBLISHED, party_is_organisation=False
    ).exists()
    assert {"portal:home", "portal:track", "portal:document", "open311:requests"} <= scanned
    disclosure = {"portal:decision", "portal:decisions_csv", "portal:decisions_feed"}
    disclosure |= {"portal:sitemap", "portal:officer", "portal:statistics_annual_pdf"}
    assert disclosure & {page.name for page in urls} <= scanned
    assert len(personal.names) > 10
    assert len(personal.numbers) > 10
    assert len(personal.addresses) > 1


def test_the_scan_finds_names_numbers_and_addresses_however_written(db):
    personal = PersonalData(
        names={"张三": "party", "李警官": "staff member"},
        officer_names={"李警官"},
        numbers={"13912345678": "phone", "37080119800101123X": "identity number"},
        addresses={"阳光区文化路12号": "party's address"},
    )
    page = readable_text(
        json.dumps({"party": "张三", "tel": "139 1234 5678", "id": "37080119800101123x"}).encode(),
        "application/json",
    )

    assert personal.found_in(page, officers_public=False) == [
        "party '张三'",
        "phone '13912345678'",
        "identity number '37080119800101123X'",
    ]
    assert personal.found_in("李警官的执法证有效", officers_public=True) == []
    assert personal.found_in(
        readable_text("阳光区文化路12号 李警官".encode(), "text/html"), officers_public=True
    ) == ["party's address '阳光区文化路12号'"]
    assert personal.found_in("sha a13912345678b 张某", officers_public=False) == []
