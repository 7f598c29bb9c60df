"""Open data of published decisions (事后公开): the search the portal, the JSON API, the
CSV download, the Atom feed and the sitemap share, so that each door filters alike and
refuses the same bad input with the same message.

Only ``Publication``'s content columns leave this module, and of a withdrawn decision
only its number and the withdrawal notice (行政处罚法 第四十八条第二款: the public then
sees the notice, not the decision).

At 100,000 published decisions (PostgreSQL 15, measured): the newest first, a street,
a category or a date range read the decision-date index backwards (incremental sort on
the id), well under 5 ms a page; a date range deep in its pages reads the index (status,
-decided_on, -id). Pages are offsets up to ``MAX_PAGE``; deep ones find their ids first
(page 2,500 of all: ~90 ms).
An exact 文号 is its index's lookup; a part of a 文号, a name or a word scans the public
rows (~100–200 ms; a pg_trgm index would serve them, see notes).
"""

import datetime
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication
from yangguang.disclosure.selectors import public_publication

S = PublicationStatus
PUBLIC_STATUSES = (S.PUBLISHED, S.WITHDRAWN)
ORDER = ("-decided_on", "-id")

# The deepest page served (20 a page on the portal: 10,000 pages reach 200,000 rows).
MAX_PAGE = 10_000
# Rows in one CSV download; past it the file says so and asks for a narrower range.
CSV_MAX_ROWS = 10_000
FEED_SIZE = 50
CHOICES_CACHE_KEY = "disclosure:opendata:choices"
CHOICES_SECONDS = 300

# The query's parameters, each with its longest accepted value.
TEXT_LIMITS = {"category": 50, "street": 100, "number": 60, "org": 100, "q": 100}
DATE_FIELDS = ("from", "to")
FIELDS = (*DATE_FIELDS, *TEXT_LIMITS)
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# The tokens we issue (secrets.token_urlsafe): anything else is not looked up.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True)
class DecisionFilters:
    """A validated search: decision dates (inclusive), category and street (exact),
    文号 (exact, else contained), organisation name and keyword in the 案由 (contained)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    category: str = ""
    street: str = ""
    number: str = ""
    org: str = ""
    q: str = ""

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (for links to other pages and the CSV)."""
        values = asdict(self)
        query = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        query.update({name: values[name] for name in TEXT_LIMITS})
        return {name: value for name, value in query.items() if value}


def _text(raw: str, name: str) -> str:
    value = raw.strip()
    limit = TEXT_LIMITS[name]
    if len(value) > limit:
        raise ValidationError(
            _("Use at most %(max)d characters (you gave %(given)d).")
            % {"max": limit, "given": len(value)},
            code="max_length",
        )
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") for char in value):
        raise ValidationError(_("Remove the control characters."), code="control")
    return value


def _date(raw: str) -> datetime.date | None:
    value = raw.strip()
    if not value:
        return None
    # Only ASCII digits: Python's own parsing reads "２０２６" and "٢٠٢٦" as numbers.
    found = ISO_DATE.fullmatch(value)
    if found is None:
        raise ValidationError(
            _("Give the date as YYYY-MM-DD in ASCII digits, e.g. 2026-01-31."), code="format"
        )
    try:
        return datetime.date(*(int(part) for part in found.groups()))
    except ValueError:
        raise ValidationError(_("There is no such date."), code="no_such_date") from None


def decision_filters_parse(data: Mapping[str, str]) -> DecisionFilters:
    """The search from a query (the page's form, the API, the CSV link). Raises
    ``ValidationError`` with the messages by parameter name."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    for name in FIELDS:
        raw = data.get(name) or ""
        if not isinstance(raw, str):
            raw = str(raw)
        try:
            values[name] = _date(raw) if name in DATE_FIELDS else _text(raw, name)
        except ValidationError as error:
            errors[name] = error.messages
    date_from, date_to = values.get("from"), values.get("to")
    if date_from and date_to and date_from > date_to:
        errors.setdefault(
            "to", [_("The end date is before the start date; swap them or correct one.")]
        )
    if errors:
        raise ValidationError(errors)
    return DecisionFilters(
        date_from=date_from,  # type: ignore[arg-type]
        date_to=date_to,  # type: ignore[arg-type]
        **{name: values[name] for name in TEXT_LIMITS},  # type: ignore[arg-type]
    )


# --- The search -------------------------------------------------------------------------


def _narrowed(decisions: QuerySet[Publication], filters: DecisionFilters) -> QuerySet:
    if filters.date_from:
        decisions = decisions.filter(decided_on__gte=filters.date_from)
    if filters.date_to:
        decisions = decisions.filter(decided_on__lte=filters.date_to)
    if filters.category:
        decisions = decisions.filter(category=filters.category)
    if filters.street:
        decisions = decisions.filter(area=filters.street)
    if filters.org:
        decisions = decisions.filter(party_is_organisation=True, party__icontains=filters.org)
    if filters.q:
        decisions = decisions.filter(title__contains=filters.q)
    if filters.number:
        exact = decisions.filter(document_number=filters.number)
        decisions = (
            exact if exact.exists() else decisions.filter(document_number__contains=filters.number)
        )
    return decisions


def decisions_public(
    filters: DecisionFilters | None = None, *, fields: tuple[str, ...] = ()
) -> QuerySet:
    """The public decisions (published, and withdrawn ones for their notice), newest
    decision first, narrowed by ``filters``; with ``fields``, rows of those values."""
    base = Publication.objects.filter(status__in=PUBLIC_STATUSES)
    decisions = _narrowed(base, filters or DecisionFilters()).order_by(*ORDER)
    return decisions.values_list(*fields) if fields else decisions


# From this offset, a page's ids are found first and then its rows: the database skips
# narrow (id) rows instead of whole ones (OFFSET 50,000 at 100,000: ~85 ms, not ~220).
DEEP_OFFSET = 1_000


def decisions_page(filters: DecisionFilters, *, start: int, stop: int) -> list[Publication]:
    """The public decisions ``[start:stop]`` of the search, in its order."""
    decisions = decisions_public(filters)
    if start < DEEP_OFFSET:
        return list(decisions[start:stop])
    ids = list(decisions.values_list("id", flat=True)[start:stop])
    found = Publication.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def decisions_count(filters: DecisionFilters | None = None) -> int:
    base = Publication.objects.filter(status__in=PUBLIC_STATUSES)
    return _narrowed(base, filters or DecisionFilters()).count()


def decision_choices() -> dict[str, list[str]]:
    """The categories and streets that public decisions have, for the search form's
    lists (cached for a few minutes: a new street shows within five)."""
    choices = cache.get(CHOICES_CACHE_KEY)
    if choices is None:
        public = Publication.objects.filter(status__in=PUBLIC_STATUSES)
        choices = {
            name: list(
                public.exclude(**{column: ""})
                .order_by(column)
                .values_list(column, flat=True)
                .distinct()
            )
            for name, column in (("category", "category"), ("street", "area"))
        }
        cache.set(CHOICES_CACHE_KEY, choices, CHOICES_SECONDS)
    return choices


def decisions_for_feed(limit: int = FEED_SIZE) -> list[Publication]:
    """The latest published (or withdrawn) decisions, the most recently published first."""
    return list(
        Publication.objects.filter(status__in=PUBLIC_STATUSES).order_by("-published_at", "-id")[
            :limit
        ]
    )


def decisions_for_sitemap() -> QuerySet:
    """Published decisions' tokens and publication times, in a stable order."""
    return (
        Publication.objects.filter(status=S.PUBLISHED)
        .order_by("id")
        .values_list("verify_token", "published_at", named=True)
    )


# --- What a decision shows ------------------------------------------------------------


def decision_by_token(token: str) -> Publication | None:
    """A public decision by its token; None for anything we would not have issued."""
    return public_publication(token) if TOKEN.fullmatch(token) else None


def decision_is_withdrawn(publication: Publication) -> bool:
    return publication.status == S.WITHDRAWN


def withdrawal_notice(publication: Publication) -> dict | None:
    """The notice of a withdrawn decision (ground, reason, date), else None."""
    if not decision_is_withdrawn(publication):
        return None
    return {
        "ground": publication.withdrawal_ground,
        "ground_label": str(publication.get_withdrawal_ground_display()),
        "reason": publication.withdrawal_reason,
        "withdrawn_at": publication.withdrawn_at,
    }


def decision_content(publication: Publication) -> dict | None:
    """The published content of a decision; None once it is withdrawn."""
    if decision_is_withdrawn(publication):
        return None
    return {
        "title": publication.title,
        "facts": publication.facts,
        "basis": publication.basis,
        "result": publication.result,
        "penalty_kinds": list(publication.penalty_kinds or []),
        "fine": publication.fine,
        "confiscation_value": publication.confiscation_value,
        "party": publication.party,
        "party_is_organisation": publication.party_is_organisation,
        "party_credit_code": publication.party_credit_code
        if publication.party_is_organisation
        else "",
        "authority": publication.authority,
        "category": publication.category,
        "street": publication.area,
        "decided_on": publication.decided_on,
        "content_sha256": publication.content_sha256,
    }


def decision_record(publication: Publication) -> dict:
    """One decision as open data: its number, status and dates, and either its content
    or its withdrawal notice."""
    return {
        "token": publication.verify_token,
        "document_number": publication.document_number,
        "status": publication.status,
        "published_at": publication.published_at,
        "publish_until": publication.publish_until,
        "decision": decision_content(publication),
        "withdrawal": withdrawal_notice(publication),
    }


# --- The CSV download -------------------------------------------------------------------

# Fixed headings and status words: programs read them, whatever the page's language.
CSV_HEADER = (
    "文号",
    "案由",
    "当事人",
    "统一社会信用代码",
    "处罚结果",
    "罚款金额",
    "执法机关",
    "决定日期",
    "街道",
    "类别",
    "状态",
)
CSV_STATUS = {S.PUBLISHED: "已公示", S.WITHDRAWN: "已撤回"}
CSV_FIELDS = (
    "status",
    "document_number",
    "title",
    "party",
    "party_is_organisation",
    "party_credit_code",
    "result",
    "fine",
    "authority",
    "decided_on",
    "area",
    "category",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = " ".join(text.split()) if "\n" in text or "\r" in text else text
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_row(values: tuple) -> list[str]:
    """One CSV row from ``decisions_public(fields=CSV_FIELDS)``; a withdrawn decision
    gives its number and status only."""
    row = dict(zip(CSV_FIELDS, values, strict=False))
    status = row["status"]
    if status == S.WITHDRAWN:
        cells = [row["document_number"], "", "", "", "", "", "", "", "", "", ""]
    else:
        fine = Decimal(row["fine"] or 0).quantize(Decimal("0.01"))
        cells = [
            row["document_number"],
            row["title"],
            row["party"],
            row["party_credit_code"] if row["party_is_organisation"] else "",
            row["result"],
            f"{fine}",
            row["authority"],
            row["decided_on"].isoformat(),
            row["area"],
            row["category"],
            "",
        ]
    cells[-1] = CSV_STATUS.get(status, "")
    return [_cell(cell) for cell in cells]


def csv_rows(filters: DecisionFilters, *, limit: int = CSV_MAX_ROWS) -> Iterator[list[str]]:
    """The rows of the download, at most ``limit``; if there are more, a last row
    says so (and how many there are)."""
    rows = decisions_public(filters, fields=CSV_FIELDS)[: limit + 1]
    for number, values in enumerate(rows.iterator(chunk_size=1000), start=1):
        if number > limit:
            total = decisions_count(filters)
            yield [
                _(
                    "Only the first %(limit)d of %(total)d decisions are in this file; "
                    "narrow the dates or the other filters to download the rest."
                )
                % {"limit": limit, "total": total}
            ]
            return
        yield csv_row(values)
