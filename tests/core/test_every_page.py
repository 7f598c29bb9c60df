"""Every page, rendered in Chinese as the posts that use it, speaks Chinese.

The demo city is loaded once for the module (inside a transaction rolled back at the
end, the clock pinned), and every GET page of the URLconf — the back office, the public
site and the Django admin's change lists and forms of every registered model — is
rendered in zh-Hans for every demo login that may open it. A page fails when its
visible text (outside <script>, <style>, <code> and <pre>) holds

* an English msgid of the catalogue, or the English label of a choice or a model's
  verbose name: a string that was never marked for translation, or one that was
  marked but shown through a path that bypasses it; or
* a raw choice value (``fine``, ``receipt``, ``squadron``): a value shown where its
  label belongs.

The API speaks JSON only (no browsable renderer); its texts are tested in tests/api.
"""

import datetime
import json
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import polib
import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.signals import request_finished
from django.db import close_old_connections, models, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.core.test_translations import CATALOGUE
from yangguang.core.demo import demo_city_load, demo_logins
from yangguang.org.enums import PostCode
from yangguang.org.models import User

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)  # a Monday

# English that is right on a Chinese page: names of standards, formats and products.
ALLOWED_ENGLISH = frozenset(
    {
        "PDF",
        "Word",
        "Excel",
        "PowerPoint",
        "JPEG",
        "PNG",
        "GeoJSON",
        "Open311",
        "GeoReport",
        "API",
        "TOTP",
        "SMS",
        "QR",
        "ID",
        "OK",
        "SHA-256",
    }
)
# Pages that are not HTML, or only answer POST, are skipped by their content type or
# status when rendered; these are not even tried.
SKIPPED = {
    "backoffice:login_enrol": "only in the middle of a sign-in",
    "backoffice:login_verify": "only in the middle of a sign-in",
    "backoffice:login_password": "only in the middle of a sign-in",
    "backoffice:logout": "POST only",
    "backoffice:token_revoke": "POST only",
    "backoffice:reset_decide": "POST only",
    "backoffice:case_violation_remove": "POST only",
    "backoffice:case_act": "POST only",
    "backoffice:publication_act": "POST only",
    "backoffice:report_act": "POST only",
    "backoffice:report_photo_public": "POST only",
    "backoffice:supervision_reply": "POST only",
    "backoffice:case_document": "PDF and .docx downloads",
    "backoffice:queue_export": "CSV and .xlsx downloads",
    "backoffice:case_file": "PDF download",
    "backoffice:timeline_pdf": "PDF download",
    "backoffice:violations_xlsx": ".xlsx download",
    "backoffice:evidence_file": "file download",
    "backoffice:grids_geojson": "GeoJSON",
    "portal:area": "GeoJSON",
    "portal:officer_photo": "JPEG",
    "backoffice:officer_card": "PDF download",
    "backoffice:board_shop": "PDF download",
    "backoffice:board_street": "PDF download",
    "backoffice:merchant_import_template": ".xlsx download",
    "backoffice:rectification_check": "POST only",
    "backoffice:credit_repair_decide": "POST only",
    "backoffice:credit_scheme_save": "POST only",
    "backoffice:credit_scheme_activate": "POST only",
    "backoffice:shop_close": "POST only",
    "backoffice:campaign_step": "POST only",
    "portal:merchant_letter_sign": "POST only",
    "portal:merchant_rectification": "POST only",
    "portal:merchant_repair": "POST only",
    "portal:merchant_sign_out": "POST only",
    "backoffice:duty_start": "POST only",
    "backoffice:duty_end": "POST only",
    "backoffice:duty_positions": "POST only (JSON)",
    "backoffice:leader_report_download": "PDF and .xlsx downloads",
}


# --- The demo city ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    evidence = tmp_path_factory.mktemp("evidence")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(evidence), "base_url": None},
        },
    }
    with (
        django_db_blocker.unblock(),
        time_machine.travel(NOW, tick=False),
        override_settings(STORAGES=storages),
        transaction.atomic(),
    ):
        demo_city_load()
        yield {**_arguments(), "storage": storages["evidence"]}
        transaction.set_rollback(True)


@pytest.fixture
def clock(time_machine, settings, demo_city):
    """The demo's clock, and its evidence files (the suite's own fixture moves the
    evidence store to each test's directory)."""
    time_machine.move_to(NOW, tick=False)
    settings.STORAGES = {**settings.STORAGES, "evidence": demo_city["storage"]}


def _arguments() -> dict[str, list[str]]:
    """Values for each URL argument, taken from the demo's data."""
    from yangguang.cases.models import Case, CaseDocument, Violation
    from yangguang.cases.party import party_access_issue
    from yangguang.core.demo_history import MARK
    from yangguang.disclosure.models import ListVersion, Publication
    from yangguang.grids.models import Grid
    from yangguang.org.models import Certificate
    from yangguang.patrol.models import DutyShift
    from yangguang.records.models import Evidence, RecordEntry
    from yangguang.records.verification import verification_request, verification_run_next
    from yangguang.reports.models import Report, Reporter
    from yangguang.reports.selectors import QUEUES
    from yangguang.reports.services import token_hash
    from yangguang.worktime.models import CalendarYear

    # The demo's scenarios and a few of its month of history (every page of every one
    # of those would add minutes, and nothing new).
    scenarios = Report.objects.exclude(description__endswith=MARK).order_by("pk")
    history = Report.objects.filter(description__endswith=MARK).order_by("pk")
    reports = list(scenarios.values_list("pk", flat=True)) + list(
        history.values_list("pk", flat=True)[:3]
    )
    cases = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    # The reporters' tracking tokens are shown once: give each a known one.
    tokens = []
    for reporter in Reporter.objects.order_by("pk"):
        token = f"tracking-{reporter.pk}"
        Reporter.objects.filter(pk=reporter.pk).update(token_hash=token_hash(token))
        tokens.append(token)
    leader = User.objects.get(username="zhongduizhang")
    party_tokens = [party_access_issue(case_id=pk, actor=leader).token for pk in cases[:1]]
    auditor = User.objects.get(username="shenji")
    verification_request(actor=auditor)
    finished = verification_run_next()
    queued = verification_request(actor=auditor)
    entries = RecordEntry.objects.order_by("sequence").values_list("sequence", flat=True)
    merchants = _merchant_arguments()
    return {
        **merchants,
        "report_id": [str(pk) for pk in reports],
        "case_id": [str(pk) for pk in cases],
        "publication_id": [
            str(pk) for pk in Publication.objects.order_by("pk").values_list("pk", flat=True)
        ],
        "code": [queue.code for queue in QUEUES],
        "year": [str(year) for year in CalendarYear.objects.values_list("year", flat=True)],
        "object": [f"reports.report/{pk}" for pk in reports] + [f"cases.case/{pk}" for pk in cases],
        "sequence": [str(entries.first()), str(entries.last())],
        "user_id": [str(leader.pk)],
        "run_id": [str(finished.pk), str(queued.pk)],
        "sha256": list(Evidence.objects.values_list("sha256", flat=True)[:3]),
        "token": tokens,
        "party_token": party_tokens,
        "verify_token": list(CaseDocument.objects.values_list("verify_token", flat=True)[:3]),
        "card_token": list(
            Certificate.objects.order_by("status", "valid_to").values_list("card_token", flat=True)
        ),
        "power_code": list(
            Violation.objects.filter(is_current=True)
            .order_by("code")
            .values_list("code", flat=True)
        )[:2],
        "version": [str(n) for n in ListVersion.objects.values_list("number", flat=True)],
        "shift_id": [
            str(pk) for pk in DutyShift.objects.order_by("pk").values_list("pk", flat=True)[:3]
        ],
        "grid_id": [str(pk) for pk in Grid.objects.order_by("pk").values_list("pk", flat=True)[:2]],
    }


def _merchant_arguments() -> dict[str, list[str]]:
    """The demo street's merchants, shops of every grade, inspections, 整改 of every
    status, repair applications, schemes and campaigns with their entries."""
    from yangguang.credit.models import CreditScheme, RepairApplication
    from yangguang.merchants.access import access_issue
    from yangguang.merchants.models import (
        Campaign,
        CampaignEntry,
        Inspection,
        Merchant,
        Rectification,
        Shop,
    )

    def pks(queryset, limit=3) -> list[str]:
        return [str(pk) for pk in queryset.order_by("pk").values_list("pk", flat=True)[:limit]]

    shops = Shop.objects.filter(status="open")
    graded = {}
    for pk, token, grade in shops.order_by("pk").values_list(
        "pk", "board_token", "merchant__score__grade"
    ):
        graded.setdefault(grade, (str(pk), token))
    rectifications = [
        str(Rectification.objects.filter(status=status).order_by("pk").first().pk)
        for status in Rectification.objects.values_list("status", flat=True).distinct()
    ]
    entry = CampaignEntry.objects.order_by("pk").first()
    return {
        "merchant_id": pks(Merchant.objects.all()),
        "shop_id": [pk for pk, _token in graded.values()],
        "board_token": [token for _pk, token in graded.values()],
        "merchant_token": [access_issue(merchant=Merchant.objects.order_by("pk").first()).token],
        "inspection_id": pks(Inspection.objects.all(), 2),
        "rectification_id": rectifications,
        "application_id": pks(RepairApplication.objects.all()),
        "scheme_id": pks(CreditScheme.objects.all()),
        "campaign_id": pks(Campaign.objects.all()),
        "which": ["red", "black"],
        "campaign_score": [
            {"campaign_id": str(entry.campaign_id), "entry_id": str(entry.pk), "role": role}
            for role in ("inspector", "street")
        ]
        if entry
        else [],
    }


# --- Walking the URLconf ------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    url: str


def _patterns(patterns=None, namespace: str = "") -> Iterator[tuple[str, list[str]]]:
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, list(pattern.pattern.converters)


def _kwargs_for(name: str, params: list[str], values: dict[str, list[str]]) -> list[dict]:
    """Every argument combination worth rendering for a pattern (empty: cannot fill)."""
    if not params:
        return [{}]
    if params == ["object_type", "object_id"]:
        return [dict(zip(params, item.split("/"), strict=True)) for item in values["object"]]
    if params == ["campaign_id", "entry_id", "role"]:
        return values["campaign_score"]
    if params == ["token"]:
        key = {
            "portal:party": "party_token",
            "portal:document": "verify_token",
            "portal:shop": "board_token",
            "portal:merchant_link": "merchant_token",
        }
        return [{"token": token} for token in values[key.get(name, "token")]]
    if len(params) == 1 and params[0] in values:
        return [{params[0]: value} for value in values[params[0]]]
    return []


def _pages(values: dict[str, list[str]], prefix: str) -> tuple[list[Page], list[str]]:
    pages, unfilled = [], []
    for name, params in _patterns():
        if not name.startswith(prefix) or name in SKIPPED:
            continue
        combinations = _kwargs_for(name, params, values)
        if not combinations:
            unfilled.append(name)
        pages += [Page(name, reverse(name, kwargs=kwargs)) for kwargs in combinations]
    return pages, unfilled


# --- What a page must not show ------------------------------------------------------------


class _VisibleText(HTMLParser):
    """The text a reader sees, and the attributes read out to them. Code is not prose:
    <code>, <pre>, scripts and styles, form data being edited (<textarea>), and cells
    marked as codes (class "mono" in the back office, a "code" column in the admin) are
    left out. So is ``alt``: Django's admin writes "Search" and "None" there untranslated."""

    HIDDEN = frozenset({"script", "style", "code", "pre", "template", "textarea"})
    HIDDEN_CLASSES = frozenset({"mono", "field-code"})
    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link"})
    VOID |= {"meta", "source", "track", "wbr"}
    READ_OUT = frozenset({"title", "placeholder", "aria-label"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    @property
    def hidden(self) -> bool:
        return any(hides for _tag, hides in self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag not in self.VOID:
            self.stack.append((tag, tag in self.HIDDEN or bool(classes & self.HIDDEN_CLASSES)))
        if not self.hidden:
            self.texts += [
                value.strip() for name, value in attrs if name in self.READ_OUT and value
            ]

    def handle_endtag(self, tag):
        for at in range(len(self.stack) - 1, -1, -1):
            if self.stack[at][0] == tag:
                del self.stack[at:]
                break

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    return parser.texts


PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[a-zA-Z]|%[sd]|\{[^}]*\}")
# Technical tokens in prose: web addresses, dotted codes (record actions such as
# "report.submit"), media types ("image/jpeg") and {placeholders} explained in help texts.
TECHNICAL = re.compile(
    r"https?://\S+|\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\b|\b[a-z]+/[\w.+-]+|\{\w+\}"
)
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _enum_classes(base=models.Choices) -> Iterator[type[models.Choices]]:
    for enum in base.__subclasses__():
        yield enum
        yield from _enum_classes(enum)


def _choices() -> Iterator[tuple[object, str]]:
    for enum in _enum_classes():
        if enum.__module__.startswith("yangguang."):
            yield from ((member.value, str(member.label)) for member in enum)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or ():
                yield value, str(label)


@pytest.fixture(scope="module")
def english():
    return english_phrases()


def english_phrases() -> set[str]:
    """The English a Chinese page must not show: every msgid (placeholders split off),
    every choice label and every verbose name, each at least two words or one word of
    four letters or more, so that "No" or "OK" inside a product name does not count."""
    from django.utils import translation

    with translation.override("en"):
        sources = [entry.msgid for entry in polib.pofile(str(CATALOGUE / "django.po"))]
        sources += [label for _value, label in _choices()]
        for model in apps.get_models():
            sources += [str(model._meta.verbose_name), str(model._meta.verbose_name_plural)]
            sources += [
                str(field.verbose_name)
                for field in model._meta.get_fields()
                if hasattr(field, "verbose_name")
            ]
    phrases = set()
    for source in sources:
        for piece in PLACEHOLDER.split(source):
            part = piece.strip(" .,:;!?()“”\"'·—-/")
            words = WORD.findall(part)
            long_enough = len(words) >= 2 or (len(words) == 1 and len(part) >= 4)
            if long_enough and part not in ALLOWED_ENGLISH and part == " ".join(part.split()):
                phrases.add(part)
    return phrases


@pytest.fixture(scope="module")
def raw_values(demo_city):
    return raw_choice_values()


def raw_choice_values() -> set[str]:
    """Snake-case choice values and the outbox's purpose codes, which a page shows only
    by mistake."""
    from yangguang.notify.models import Message

    values = {value for value, _label in _choices() if isinstance(value, str)}
    values |= set(Message.objects.values_list("purpose", flat=True))
    return {value for value in values if re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", value)}


def problems(html: str, english: set[str], raw_values: set[str]) -> list[str]:
    found = []
    for text in (TECHNICAL.sub(" ", text) for text in visible_texts(html)):
        if not WORD.search(text) or _is_json(text):
            continue
        words = set(re.findall(r"(?<![\w./@:-])[a-z][a-z0-9_]*(?![\w/@:-])", text))
        found += [f"raw value {value!r} in {text!r}" for value in sorted(words & raw_values)]
        phrases = [p for p in english if p in text and _whole_words(p, text)]
        # Only the longest: "Case officers", not also "officers".
        found += [
            f"English {phrase!r} in {text!r}"
            for phrase in sorted(phrases)
            if not any(phrase != other and phrase in other for other in phrases)
        ]
    return found


def _is_json(text: str) -> bool:
    """Data shown as JSON (a grid's boundary in the admin) is not prose."""
    if not text.startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _whole_words(phrase: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", text) is not None


# --- The pages ----------------------------------------------------------------------------


def _logins() -> list[User]:
    usernames = [login.username for login in demo_logins()]
    return list(User.objects.filter(username__in=usernames).order_by("pk"))


def _close(response) -> None:
    """Close a response (a file download holds its file open until closed) without the
    request_finished signal closing the database connection: it would, on PostgreSQL,
    inside the module's transaction that holds the demo city (the test client keeps the
    signal away only during its own request)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def _render_all(pages: list[Page], users: list[User | None], english, raw_values) -> list:
    """Each page as each user who may open it; of the pages of one kind (a report's,
    a case's), each object once and two per user (enough to see each post's buttons)."""
    failures, rendered, seen_urls = [], set(), set()
    for user in users:
        client = Client()
        if user is not None:
            client.force_login(user)
        per_kind: dict[str, int] = {}
        for page in pages:
            if page.url in seen_urls and per_kind.get(page.name, 0) >= 2:
                continue
            response = client.get(page.url)
            _close(response)
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("text/html"):
                continue
            rendered.add(page.name)
            seen_urls.add(page.url)
            per_kind[page.name] = per_kind.get(page.name, 0) + 1
            who = user.username if user else "public"
            failures += [
                f"{page.url} as {who}: {problem}"
                for problem in problems(response.content.decode(), english, raw_values)
            ]
    return failures, rendered


@pytest.mark.slow
def test_every_back_office_page_speaks_chinese(db, clock, demo_city, english, raw_values):
    pages, unfilled = _pages(demo_city, "backoffice:")

    failures, rendered = _render_all(pages, _logins(), english, raw_values)

    assert not failures, "\n".join(sorted(set(failures)))
    assert unfilled == []
    assert {"backoffice:case", "backoffice:report", "backoffice:timeline"} <= rendered


@pytest.mark.slow
def test_every_public_page_speaks_chinese(db, clock, demo_city, english, raw_values):
    pages, unfilled = _pages(demo_city, "portal:")

    failures, rendered = _render_all(pages, [None], english, raw_values)

    assert not failures, "\n".join(sorted(set(failures)))
    assert sorted(unfilled) == ["portal:party_document", "portal:photo"]
    assert {"portal:home", "portal:report", "portal:track", "portal:party"} <= rendered


@pytest.mark.slow
def test_every_admin_page_speaks_chinese(db, clock, demo_city, english, raw_values):
    pages = [Page("admin:index", reverse("admin:index"))]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(Page("changelist", reverse("admin:{}_{}_changelist".format(*info))))
        pages.append(Page("add", reverse("admin:{}_{}_add".format(*info))))
        instance = model._default_manager.order_by("pk").first()
        if instance is not None:
            pages.append(
                Page("change", reverse("admin:{}_{}_change".format(*info), args=[instance.pk]))
            )
    users = [User.objects.get(username=username) for username in ("xitong", "anquan", "shenji")]

    failures, rendered = _render_all(pages, users, english, raw_values)

    assert not failures, "\n".join(sorted(set(failures)))
    assert {"admin:index", "changelist", "change"} <= rendered


# db: a test without it runs after the transactional ones, whose flush empties the
# tables the demo needs (pytest-django orders tests by their database use).
def test_raw_values_and_english_are_found(db, english, raw_values):
    html = (
        "<p>罚款</p><li>fine · 25000.00 元</li><span>Enforcement cases</span>"
        "<code>fine</code><script>var receipt = 1;</script><a href='/x/fine/'>链接</a>"
    )

    assert problems(html, english, raw_values) == [
        "raw value 'fine' in 'fine · 25000.00 元'",
        "English 'Enforcement cases' in 'Enforcement cases'",
    ]


def test_indicators_are_in_the_menu_of_the_posts_that_may_see_them(client, db, clock, demo_city):
    url = reverse("backoffice:indicators").encode()
    shown = {}
    for user in _logins():
        client.force_login(user)
        shown[user.posts.first().code] = url in client.get(reverse("backoffice:home")).content

    assert shown[PostCode.SHIFT_LEAD] is True
    assert shown[PostCode.LEADER] is True
    assert shown[PostCode.AUDIT_ADMIN] is False
