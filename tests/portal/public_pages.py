"""The public site as a visitor without an account sees it: every GET address of the
portal, Open311 and the public API, found from the URLconf (so a page added later is
covered without touching the tests), each with sample arguments taken from the
database it runs against (the demo city).

Used by tests/portal/test_accessibility.py (the HTML pages, in Chromium with axe-core)
and tests/portal/test_no_personal_data.py (every answer, scanned for personal data).
An address whose arguments cannot be filled from the data is returned as *unfilled*,
so a test can insist that every public address was tried.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Namespaces whose every GET address is public.
PUBLIC_NAMESPACES = ("portal", "open311")
# The API is staff-only except under this prefix.
PUBLIC_API_PREFIX = "/api/v1/public/"

# Not a page one can GET (or only in the middle of something): not even tried.
NOT_TRIED = {
    "portal:rate": "POST only (the tracking page's rating form)",
    "portal:party_document": "only after the party's code is verified",
    "portal:photo": "a public photo's JPEG copy, reached from the tracking page",
    "open311:token": "an Open311 client's token lookup (tested in tests/api)",
    "portal:merchant_letter_sign": "POST only (the merchant's page, signed in)",
    "portal:merchant_rectification": "POST only (the merchant's page, signed in)",
    "portal:merchant_repair": "POST only (the merchant's page, signed in)",
    "portal:merchant_sign_out": "POST only",
}


@dataclass(frozen=True)
class PublicUrl:
    name: str  # the URL pattern's name, with its namespace
    url: str


def _walk(
    patterns=None, namespace: str = "", route: str = ""
) -> Iterator[tuple[str, list[str], str]]:
    """(namespaced name, argument names, route) of every named pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, inner, here)
        elif isinstance(pattern, URLPattern) and pattern.name:
            params = list(pattern.pattern.regex.groupindex)
            yield namespace + pattern.name, params, here


def _is_public(name: str, route: str) -> bool:
    if name.split(":", maxsplit=1)[0] in PUBLIC_NAMESPACES:
        return True
    return name.startswith("api:") and "v1/public/" in route.replace("^", "")


# --- Sample arguments from the database -------------------------------------------------


def _publication_tokens() -> list[str]:
    """Published decisions, and a withdrawn one (its page shows the notice)."""
    from yangguang.disclosure.enums import PublicationStatus
    from yangguang.disclosure.models import Publication

    tokens = []
    for status in (PublicationStatus.PUBLISHED, PublicationStatus.WITHDRAWN):
        tokens += (
            Publication.objects.filter(status=status)
            .order_by("pk")
            .values_list("verify_token", flat=True)[:3]
        )
    return list(tokens)


def _document_tokens() -> list[str]:
    """Two case documents' check pages and a published decision's (the same address
    checks both)."""
    from yangguang.cases.models import CaseDocument

    documents = CaseDocument.objects.order_by("pk").values_list("verify_token", flat=True)[:2]
    return [*documents, *_publication_tokens()[:1]]


def tracking_tokens() -> list[str]:
    """Known tracking tokens for some reporters (a token is shown once, then only its
    hash is kept): each of the first reporters gets ``public-<pk>``."""
    from yangguang.reports.models import Reporter
    from yangguang.reports.services import token_hash

    tokens = []
    for pk in Reporter.objects.order_by("pk").values_list("pk", flat=True)[:4]:
        token = f"public-{pk}"
        Reporter.objects.filter(pk=pk).update(token_hash=token_hash(token))
        tokens.append(token)
    return tokens


def _party_tokens() -> list[str]:
    from yangguang.cases.models import Case
    from yangguang.cases.party import party_access_issue
    from yangguang.org.models import User

    case = Case.objects.exclude(party_phone="").order_by("pk").first()
    if case is None:
        return []
    leader = User.objects.get(username="zhongduizhang")
    return [party_access_issue(case_id=case.pk, actor=leader).token]


def _card_tokens() -> list[str]:
    """Certificates of every status (valid, expired, suspended …), one each, and a
    second valid one."""
    from yangguang.org.models import Certificate

    tokens, seen = [], set()
    for token, status in Certificate.objects.order_by("status", "valid_to", "pk").values_list(
        "card_token", "status"
    ):
        if status not in seen or len(tokens) < 2:
            tokens.append(token)
            seen.add(status)
    return tokens


def _years() -> list[str]:
    """The latest year the demo decided cases in (the running year's report), and the one
    before (a final report) — from the data, not the clock."""
    from yangguang.cases.models import Case

    latest = Case.objects.filter(decided_at__isnull=False).dates("decided_at", "year").last()
    return [str(latest.year), str(latest.year - 1)]


def _open311_ids() -> list[str]:
    from yangguang.reports.models import Report

    return list(Report.objects.order_by("pk").values_list("tracking_number", flat=True)[:3])


def _service_codes() -> list[str]:
    from yangguang.api.open311.selectors import service_code, services_list

    return [service_code(category) for category in list(services_list())[:2]]


def _power_codes() -> list[str]:
    """Two powers of the 权责清单 (the violation catalogue's current codes)."""
    from yangguang.disclosure.powers import powers

    return [power.code for power in powers()[:2]]


def _list_versions() -> list[str]:
    """Every published version of the 随机抽查事项清单 stays readable: the first and
    the latest."""
    from yangguang.disclosure.models import ListVersion

    numbers = list(ListVersion.objects.order_by("kind", "number").values_list("number", flat=True))
    return sorted({str(numbers[0]), str(numbers[-1])}) if numbers else []


def _board_tokens() -> list[str]:
    """Shops of every credit grade (the public shop page behind each board's QR)."""
    from yangguang.merchants.models import Shop

    tokens, seen = [], set()
    for token, grade in (
        Shop.objects.filter(status="open")
        .order_by("pk")
        .values_list("board_token", "merchant__score__grade")
    ):
        if grade not in seen:
            tokens.append(token)
            seen.add(grade)
    return tokens


def _merchant_link_tokens() -> list[str]:
    """A merchant's texted link (its page asks for the code)."""
    from yangguang.merchants.access import access_issue
    from yangguang.merchants.models import Merchant

    merchant = Merchant.objects.order_by("pk").first()
    return [access_issue(merchant=merchant).token] if merchant else []


def _campaign_ids() -> list[str]:
    """Campaigns the public may vote in (open), and a published one."""
    from yangguang.merchants.models import Campaign

    return [str(pk) for pk in Campaign.objects.order_by("pk").values_list("pk", flat=True)]


def _token_for(name: str) -> Callable[[], list[str]] | None:
    tokens = {
        "portal:shop": _board_tokens,
        "api:public-shop": _board_tokens,
        "portal:merchant_link": _merchant_link_tokens,
        "portal:track": tracking_tokens,
        "portal:party": _party_tokens,
        "portal:document": _document_tokens,
    }
    if name in tokens:
        return tokens[name]
    if re.search(r"decision|publication", name):
        return _publication_tokens
    return None


def _values_for(name: str, param: str) -> Callable[[], list[str]] | None:
    if param == "token" or (param.endswith("token") and re.search(r"decision|publication", name)):
        return _token_for(name)
    return {
        "card_token": _card_tokens,
        "year": _years,
        "fmt": lambda: ["json", "xml"],
        "request_id": _open311_ids,
        "service_code": _service_codes,
        "power_code": _power_codes,
        "version": _list_versions,
        "which": lambda: ["red", "black"],
        "campaign_id": _campaign_ids,
    }.get(param)


def _combinations(name: str, params: list[str]) -> list[dict[str, str]]:
    """Argument sets to render ``name`` with; empty when one cannot be filled."""
    combos: list[dict[str, str]] = [{}]
    for param in params:
        source = _values_for(name, param)
        values = source() if source else []
        if not values:
            return []
        combos = [{**combo, param: value} for combo in combos for value in values]
    return combos


def public_patterns() -> list[tuple[str, list[str], str]]:
    """(name, argument names, route) of every public GET address in the URLconf."""
    return [
        (name, params, route)
        for name, params, route in _walk()
        if _is_public(name, route) and name not in NOT_TRIED
    ]


def public_urls() -> tuple[list[PublicUrl], list[str]]:
    """Every public GET address with its sample arguments, and the names of those
    whose arguments the data could not fill. Tracking tokens and a party link are
    (re)issued as a side effect: call it inside the test's database."""
    urls, unfilled = [], []
    for name, params, _route in public_patterns():
        if "format" in params:  # the API's format suffixes of the same answers
            continue
        combinations = _combinations(name, params)
        if not combinations:
            unfilled.append(name)
        urls += [PublicUrl(name, reverse(name, kwargs=kwargs)) for kwargs in combinations]
    return urls, unfilled


def search_urls() -> list[PublicUrl]:
    """Pages with a query a visitor would type: the officer lookup by certificate
    number, and the decisions' search by 文号 when that page exists."""
    from django.urls import NoReverseMatch

    from yangguang.disclosure.models import Publication
    from yangguang.org.models import Certificate

    found = []
    certificate = Certificate.objects.order_by("pk").first()
    if certificate is not None:
        found.append(
            PublicUrl(
                "portal:officer_lookup",
                reverse("portal:officer_lookup") + f"?number={certificate.number}",
            )
        )
    publication = Publication.objects.order_by("pk").first()
    for name in ("portal:decisions", "portal:decision_list", "portal:decision_search"):
        try:
            path = reverse(name)
        except NoReverseMatch:
            continue
        if publication is not None:
            found.append(PublicUrl(name, f"{path}?q={publication.document_number}"))
        break
    return found
