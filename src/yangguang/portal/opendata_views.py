"""Published decisions in public (事后公开, open data): the search and browse page, one
decision's page (a withdrawn one shows only its withdrawal notice), the Atom feed, the
CSV download, the sitemap, and the check of a publication's hash behind ``/v/<token>/``.

Every page reads ``disclosure.opendata``; nothing but a publication's content columns
is shown. Bad input gets the search form back with the message, never a server error."""

import csv
import re

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yangguang.cases.documents import bureau_name
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication
from yangguang.disclosure.opendata import (
    CSV_HEADER,
    FIELDS,
    MAX_PAGE,
    csv_rows,
    decision_by_token,
    decision_choices,
    decision_filters_parse,
    decisions_count,
    decisions_for_feed,
    decisions_for_sitemap,
    decisions_page,
)
from yangguang.disclosure.services import content_digest

PER_PAGE = 20


def _publication_or_404(token: str) -> Publication:
    publication = decision_by_token(token)
    if publication is None:
        raise Http404
    return publication


def _page_number(raw: str | None) -> int:
    """ASCII digits from 1 to MAX_PAGE (Python's int() would take "٣" and "３")."""
    value = (raw or "1").strip()
    if not re.fullmatch(r"[0-9]{1,6}", value) or not 1 <= int(value) <= MAX_PAGE:
        raise ValidationError(
            {
                "page": [
                    _("Give a page number from 1 to %(max)s in ASCII digits.") % {"max": MAX_PAGE}
                ]
            }
        )
    return int(value)


# --- The search ---------------------------------------------------------------------------


@require_GET
def decisions(request: HttpRequest) -> HttpResponse:
    """Browse and search the published decisions."""
    given = {name: request.GET.get(name, "") for name in FIELDS}
    context = {"given": given, "choices": decision_choices(), "errors": {}}
    errors: dict[str, list[str]] = {}
    filters, number = None, 1
    try:
        filters = decision_filters_parse(request.GET)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        number = _page_number(request.GET.get("page"))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors or filters is None:
        context["errors"] = errors
        return render(request, "portal/opendata/list.html", context, status=400)
    total = decisions_count(filters)
    pages = max(1, -(-total // PER_PAGE))
    query = filters.as_query()
    context.update(
        total=total,
        number=number,
        pages=pages,
        beyond=number > pages,
        rows=[]
        if number > pages
        else decisions_page(filters, start=(number - 1) * PER_PAGE, stop=number * PER_PAGE),
        query=urlencode(query),
        previous_query=urlencode({**query, "page": number - 1}) if 1 < number <= pages else "",
        next_query=urlencode({**query, "page": number + 1}) if number < pages else "",
        csv_query=urlencode(query),
    )
    return render(request, "portal/opendata/list.html", context)


@require_GET
def decision(request: HttpRequest, token: str) -> HttpResponse:
    """One published decision, or the notice of its withdrawal."""
    publication = _publication_or_404(token)
    return render(
        request,
        "portal/opendata/decision.html",
        {
            "publication": publication,
            "withdrawn": publication.status == PublicationStatus.WITHDRAWN,
        },
    )


def publication_check(request: HttpRequest, token: str) -> HttpResponse:
    """The check page (/v/<token>/) for a published decision: its number, dates and
    whether its content still has the hash it was published with."""
    publication = _publication_or_404(token)
    recomputed = content_digest(publication)
    return render(
        request,
        "portal/opendata/check.html",
        {
            "publication": publication,
            "bureau": publication.authority or bureau_name(),
            "recomputed": recomputed,
            "matches": bool(publication.content_sha256)
            and recomputed == publication.content_sha256,
        },
    )


# --- The CSV download -------------------------------------------------------------------


class _Echo:
    """csv.writer's file: each row written is handed back as text."""

    def write(self, value: str) -> str:
        return value


@require_GET
def decisions_csv(request: HttpRequest) -> HttpResponse:
    """The search's decisions as CSV (UTF-8 with a BOM, so that Excel reads Chinese)."""
    try:
        filters = decision_filters_parse(request.GET)
    except ValidationError as error:
        context = {
            "given": {name: request.GET.get(name, "") for name in FIELDS},
            "choices": decision_choices(),
            "errors": error.message_dict,
        }
        return render(request, "portal/opendata/list.html", context, status=400)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(CSV_HEADER)
        for row in csv_rows(filters):
            yield writer.writerow(row)

    day = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="decisions-{day}.csv"'
    return response


# --- The Atom feed ------------------------------------------------------------------------


class DecisionsFeed(Feed):
    """The latest published decisions (and withdrawal notices), newest first."""

    feed_type = Atom1Feed

    def title(self) -> str:
        return _("Published enforcement decisions") + " · " + bureau_name()

    def subtitle(self) -> str:
        return _(
            "Administrative penalty decisions the bureau publishes, and the notices of "
            "those withdrawn."
        )

    def link(self) -> str:
        return reverse("portal:decisions")

    def author_name(self) -> str:
        return bureau_name() or _("Yangguang")

    def items(self) -> list[Publication]:
        return decisions_for_feed()

    def item_title(self, item: Publication) -> str:
        if item.status == PublicationStatus.WITHDRAWN:
            return _("Withdrawn: %(number)s") % {"number": item.document_number}
        return f"{item.document_number} {item.title}"

    def item_description(self, item: Publication) -> str:
        if item.status == PublicationStatus.WITHDRAWN:
            return _("Withdrawn on %(date)s (%(ground)s): %(reason)s") % {
                "date": timezone.localdate(item.withdrawn_at).isoformat()
                if item.withdrawn_at
                else "",
                "ground": item.get_withdrawal_ground_display(),
                "reason": item.withdrawal_reason,
            }
        return "；".join(
            [
                _("Party: %(party)s") % {"party": item.party},
                _("Penalty: %(result)s") % {"result": item.result},
                _("Decided on %(date)s") % {"date": item.decided_on.isoformat()},
                item.authority,
            ]
        )

    def item_link(self, item: Publication) -> str:
        return reverse("portal:decision", args=[item.verify_token])

    def item_pubdate(self, item: Publication):
        return item.published_at

    def item_updateddate(self, item: Publication):
        return item.withdrawn_at or item.published_at


decisions_feed = require_GET(DecisionsFeed())


# --- The sitemap ------------------------------------------------------------------------

# Not pages: files and data the pages use or offer for download.
FILE_ROUTE = re.compile(r"\.[A-Za-z0-9]+$")


def _portal_pages(patterns=None, route: str = "") -> list[str]:
    """Names of the portal's pages that take no argument (found from the URLconf, so a
    page added later is listed)."""
    if patterns is None:
        _prefix, resolver = get_resolver().namespace_dict["portal"]
        patterns = resolver.url_patterns
    names = []
    for pattern in patterns:
        here = route + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names += _portal_pages(pattern.url_patterns, here)
        elif (
            isinstance(pattern, URLPattern)
            and pattern.name
            and not pattern.pattern.regex.groupindex
            and not FILE_ROUTE.search(here.rstrip("$"))
        ):
            names.append(pattern.name)
    return names


class PagesSitemap(Sitemap):
    def items(self) -> list[str]:
        return sorted(set(_portal_pages()))

    def location(self, item: str) -> str:
        return reverse(f"portal:{item}")


class DecisionsSitemap(Sitemap):
    def items(self):
        return decisions_for_sitemap()

    def location(self, item) -> str:
        return reverse("portal:decision", args=[item.verify_token])

    def lastmod(self, item):
        return item.published_at


SITEMAPS = {"pages": PagesSitemap, "decisions": DecisionsSitemap}


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """/sitemap.xml: the sitemap of the pages and the decisions' sitemaps (at most
    50,000 addresses each, as the protocol allows)."""
    decisions_pages = DecisionsSitemap().paginator.num_pages or 1
    pages_url = request.build_absolute_uri(reverse("portal:sitemap_pages"))
    decisions_url = request.build_absolute_uri(reverse("portal:sitemap_decisions"))
    entries = [SitemapIndexItem(pages_url, None)] + [
        SitemapIndexItem(decisions_url + (f"?p={page}" if page > 1 else ""), None)
        for page in range(1, decisions_pages + 1)
    ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    return sitemap_view(request, sitemaps=SITEMAPS, section=section)
