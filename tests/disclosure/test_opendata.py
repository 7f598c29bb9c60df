"""The decisions search (disclosure.opendata): its filters, its input rules, its order
and pages, the CSV rows — what the portal, the API, the CSV and the feed share."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.disclosure.opendata_helpers import (
    NOW,
    published_company,
    published_individual,
    rows,
    withdraw,
)
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication
from yangguang.disclosure.opendata import (
    CSV_FIELDS,
    CSV_HEADER,
    DecisionFilters,
    csv_row,
    csv_rows,
    decision_filters_parse,
    decision_record,
    decisions_count,
    decisions_public,
)
from yangguang.disclosure.services import publication_refuse

pytestmark = pytest.mark.django_db
S = PublicationStatus


@pytest.fixture(autouse=True)
def _pinned(time_machine):
    time_machine.move_to(NOW, tick=False)


def search(**query) -> list[str]:
    filters = decision_filters_parse(query)
    return [publication.document_number for publication in decisions_public(filters)]


def errors_of(**query) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        decision_filters_parse(query)
    return caught.value.message_dict


def test_the_search_by_document_number_finds_it_exactly_or_by_a_part(people):
    made = rows(people, 12)
    assert search(number=made[10].document_number) == [made[10].document_number]
    # "第000001号" is exact for none; contained in one (第000011号 ends otherwise).
    assert search(number="第000001号") == [made[0].document_number]
    assert sorted(search(number="〔2026〕第00001")) == sorted(
        p.document_number for p in made if "第00001" in p.document_number
    )


def test_the_filters_narrow_by_date_category_street_organisation_and_keyword(people):
    made = rows(people, 12)  # decided 09-30, 09-29 … 09-19
    assert len(search()) == 12
    assert search(**{"from": "2026-09-28", "to": "2026-09-29"}) == [
        made[1].document_number,
        made[2].document_number,
    ]
    kinds = decisions_public(decision_filters_parse({"category": "市容环境"}))
    assert {publication.category for publication in kinds} == {"市容环境"}
    assert len(search(category="市容环境")) == 6
    assert len(search(street="西街道")) == 6
    assert search(org="第4建材") == [made[4].document_number]
    assert search(org="张某") == []  # individuals are not searchable by name
    assert len(search(q="占道")) == 4  # indexes 0, 3, 6, 9
    assert search(category="市容环境", street="东街道", q="占道") == [made[9].document_number]
    assert search(street="没有的街道") == []


def test_newest_decision_first_and_withdrawn_ones_in_their_place(people):
    made = rows(people, 5)
    Publication.objects.filter(pk=made[2].pk).update(
        status=S.WITHDRAWN, withdrawal_ground="revoked", withdrawn_at=NOW
    )
    found = list(decisions_public())
    assert [p.pk for p in found] == [p.pk for p in made]
    assert [p.status for p in found][2] == S.WITHDRAWN
    assert decisions_count() == 5
    assert [p.pk for p in decisions_public()[2:4]] == [made[2].pk, made[3].pk]


def test_same_day_decisions_are_ordered_by_id_newest_first(people):
    made = rows(people, 3, decided_on=datetime.date(2026, 9, 1))
    assert [p.pk for p in decisions_public()] == sorted((p.pk for p in made), reverse=True)


def test_proposed_refused_and_removed_decisions_are_not_found(people):
    made = rows(people, 4)
    Publication.objects.filter(pk=made[0].pk).update(status=S.PROPOSED)
    Publication.objects.filter(pk=made[1].pk).update(status=S.REFUSED)
    Publication.objects.filter(pk=made[2].pk).update(status=S.REMOVED)
    assert search() == [made[3].document_number]
    assert search(number=made[0].document_number) == []
    assert decisions_count() == 1


def test_a_refused_decision_made_through_the_services_is_absent(people):
    from tests.cases.helpers import P
    from tests.cases.test_law import decided

    proposal = Publication.objects.get(case=decided(people))
    publication_refuse(
        publication_id=proposal.pk,
        actor=people[P.LEGAL_REVIEWER],
        ground="trade_secret",
        reason="涉及商业秘密",
    )
    assert search() == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "２０２６-01-01"}, "from", "Give the date as YYYY-MM-DD in ASCII digits"),
        ({"to": "٢٠٢٦-01-01"}, "to", "Give the date as YYYY-MM-DD in ASCII digits"),
        ({"from": "2026/01/01"}, "from", "Give the date as YYYY-MM-DD in ASCII digits"),
        ({"from": "2026-02-30"}, "from", "There is no such date."),
        ({"from": "0000-01-01"}, "from", "There is no such date."),
        ({"from": "2026-10-01", "to": "2026-09-01"}, "to", "The end date is before the start"),
        ({"q": "占" * 10_000}, "q", "Use at most 100 characters (you gave 10000)."),
        ({"number": "x" * 61}, "number", "Use at most 60 characters (you gave 61)."),
        ({"org": "公司\x00"}, "org", "Remove the control characters."),
        ({"category": "\x07"}, "category", "Remove the control characters."),
        ({"street": "a" * 101}, "street", "Use at most 100 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_by_field(query, field, message):
    errors = errors_of(**query)
    assert list(errors) == [field]
    assert errors[field][0].startswith(message)


def test_the_filters_round_trip_through_the_query():
    filters = decision_filters_parse(
        {"from": " 2026-01-01 ", "to": "2026-01-31", "number": "第1号", "q": "", "x": "y"}
    )
    assert filters == DecisionFilters(
        date_from=datetime.date(2026, 1, 1), date_to=datetime.date(2026, 1, 31), number="第1号"
    )
    assert filters.as_query() == {"from": "2026-01-01", "to": "2026-01-31", "number": "第1号"}
    assert decision_filters_parse(filters.as_query()) == filters


def test_a_withdrawn_decision_gives_its_notice_and_not_its_content(people):
    publication = withdraw(people, published_company(people))
    record = decision_record(publication)
    assert record["decision"] is None
    assert record["withdrawal"]["reason"] == "该决定已被行政复议决定撤销。"
    assert record["withdrawal"]["ground"] == "revoked"
    row = csv_row(Publication.objects.filter(pk=publication.pk).values_list(*CSV_FIELDS).get())
    assert row == [publication.document_number] + [""] * 9 + ["已撤回"]


def test_a_published_decision_gives_its_content_and_an_individual_no_credit_code(people):
    individual = published_individual(people)
    record = decision_record(individual)
    assert record["withdrawal"] is None
    assert record["decision"]["party"] == "张某"
    assert record["decision"]["party_credit_code"] == ""
    assert record["decision"]["content_sha256"] == individual.content_sha256


def test_the_csv_rows_have_the_columns_and_no_formula(people):
    made = rows(people, 2, title='=HYPERLINK("http://x")')
    found = list(csv_rows(DecisionFilters()))
    assert len(CSV_HEADER) == 11
    assert [len(row) for row in found] == [11, 11]
    first = found[0]
    assert first[0] == made[0].document_number
    assert first[1] == '\'=HYPERLINK("http://x")'
    assert first[2:] == [
        made[0].party,
        made[0].party_credit_code,
        "罚款1,000.00元",
        "1000.00",
        "测试局",
        "2026-09-30",
        "东街道",
        "建筑垃圾",
        "已公示",
    ]
    assert found[1][2:4] == ["张某", ""]


def test_the_csv_is_capped_and_says_so(people):
    rows(people, 5)
    found = list(csv_rows(DecisionFilters(), limit=3))
    assert len(found) == 4
    assert found[-1] == [
        "Only the first 3 of 5 decisions are in this file; narrow the dates or the other "
        "filters to download the rest."
    ]
    assert len(list(csv_rows(DecisionFilters(), limit=5))) == 5


def test_a_deep_page_finds_its_ids_first_and_keeps_the_order(people, monkeypatch):
    from yangguang.disclosure import opendata

    rows(people, 8)
    every = [publication.pk for publication in decisions_public()]
    monkeypatch.setattr(opendata, "DEEP_OFFSET", 2)
    deep = opendata.decisions_page(DecisionFilters(), start=3, stop=6)
    shallow = opendata.decisions_page(DecisionFilters(), start=0, stop=2)
    assert [publication.pk for publication in deep] == every[3:6]
    assert [publication.pk for publication in shallow] == every[0:2]
