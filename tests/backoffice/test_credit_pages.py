"""The credit pages: the legal office decides 信用修复 applications (the score follows), the
scoring schemes read as rules, a new version saved from JSON (refused whole when wrong)
and a version activated (everyone rescored); and the command that recomputes scores."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.merchants.helpers import at, merchant, shop
from tests.reports.helpers import photo
from yangguang.credit.enums import EventKind, RepairStatus
from yangguang.credit.events import event_record
from yangguang.credit.models import CreditEvent, CreditScheme, CreditScore
from yangguang.credit.repair import repair_apply
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db

OCCURRED = at(2026, 3, 20, 10)
DECIDED = at(2026, 7, 2, 10)  # after the 3 months of general dishonesty


def as_(client, city, code):
    client.force_login(city.people[code])
    client.cookies["django_language"] = "en"  # assert on the English msgids
    return client


@pytest.fixture
def application(city):
    owner = merchant(city)
    front = shop(city, owner)
    event = event_record(
        merchant=owner,
        shop=front,
        kind=EventKind.RECTIFICATION_OVERDUE,
        source=front,
        reason="整改逾期未完成",
        occurred_at=OCCURRED,
        now=OCCURRED,
    )
    return repair_apply(
        event=event,
        commitment="本店承诺今后遵守门前三包责任。",
        correction="已清理店外桌椅。",
        proof=[photo("proof.jpg")],
        now=at(2026, 7, 1, 10),
    )


def _points(application) -> int:
    return CreditScore.objects.get(merchant_id=application.event.merchant_id).points


# --- 信用修复 -----------------------------------------------------------------------------


def test_the_legal_office_sees_the_waiting_application_with_its_event_and_proof(
    client, city, application, time_machine
):
    time_machine.move_to(DECIDED, tick=False)
    client = as_(client, city, PostCode.LEGAL_REVIEWER)
    queue = client.get(reverse("backoffice:credit_repairs"))
    assert [a.pk for a in queue.context["page"]] == [application.pk]
    response = client.get(reverse("backoffice:credit_repair", args=[application.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "整改逾期未完成" in body
    assert "本店承诺今后遵守门前三包责任。" in body
    assert "已清理店外桌椅。" in body
    assert reverse("backoffice:evidence_file", args=[application.proof[0]]) in body
    assert (
        reverse("backoffice:timeline", args=["merchants.shop", application.event.shop_id]) in body
    )
    assert reverse("backoffice:credit_repair_decide", args=[application.pk]) in body


def test_approval_by_the_legal_reviewer_gives_the_points_back(
    client, city, application, time_machine
):
    time_machine.move_to(DECIDED, tick=False)
    assert _points(application) == 1000 - 50
    response = as_(client, city, PostCode.LEGAL_REVIEWER).post(
        reverse("backoffice:credit_repair_decide", args=[application.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED
    assert application.decided_by == city.people[PostCode.LEGAL_REVIEWER]
    assert CreditEvent.objects.get().repaired_at == DECIDED
    assert _points(application) == 1000


def test_an_inspector_cannot_decide_a_repair(client, city, application, time_machine):
    time_machine.move_to(DECIDED, tick=False)
    client = as_(client, city, PostCode.INSPECTOR)
    page = client.get(reverse("backoffice:credit_repair", args=[application.pk]))
    assert page.status_code == 200
    assert reverse("backoffice:credit_repair_decide", args=[application.pk]) not in (
        page.content.decode()
    )
    response = client.post(
        reverse("backoffice:credit_repair_decide", args=[application.pk]),
        {"decision": "approve"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == RepairStatus.SUBMITTED
    assert _points(application) == 1000 - 50


def test_a_refusal_needs_its_reason(client, city, application, time_machine):
    time_machine.move_to(DECIDED, tick=False)
    client = as_(client, city, PostCode.LEGAL_REVIEWER)
    url = reverse("backoffice:credit_repair_decide", args=[application.pk])
    response = client.post(url, {"decision": "refuse"})
    assert response.status_code == 400
    assert "Give the reason for refusing." in response.content.decode()
    application.refresh_from_db()
    assert application.status == RepairStatus.SUBMITTED
    assert client.post(url, {"decision": "refuse", "reason": "证明材料不足"}).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == (
        RepairStatus.REFUSED,
        "证明材料不足",
    )
    assert _points(application) == 1000 - 50


def test_a_decided_application_cannot_be_decided_again(client, city, application, time_machine):
    time_machine.move_to(DECIDED, tick=False)
    client = as_(client, city, PostCode.LEGAL_REVIEWER)
    url = reverse("backoffice:credit_repair_decide", args=[application.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 302
    response = client.post(url, {"decision": "refuse", "reason": "再议"})
    assert response.status_code == 400
    assert "This application was decided already." in response.content.decode()
    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED


@pytest.mark.parametrize(
    "data",
    [{}, {"decision": "yes"}, {"decision": "refuse", "reason": "a\x00b"}, {"reason": "x" * 3000}],
)
def test_odd_decisions_are_a_400(client, city, application, data, time_machine):
    time_machine.move_to(DECIDED, tick=False)
    response = as_(client, city, PostCode.LEGAL_REVIEWER).post(
        reverse("backoffice:credit_repair_decide", args=[application.pk]), data
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.status == RepairStatus.SUBMITTED


def test_the_repair_queue_takes_the_same_queries_for_one_or_three_applications(
    client, city, application
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_(client, city, PostCode.LEGAL_REVIEWER)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("backoffice:credit_repairs")).status_code == 200
        return len(queries)

    one = count()
    for n in (2, 3):
        owner = merchant(city, n=n)
        event = event_record(
            merchant=owner,
            shop=shop(city, owner),
            kind=EventKind.RECTIFICATION_OVERDUE,
            source=owner,
            reason="整改逾期未完成",
            occurred_at=OCCURRED,
            now=OCCURRED,
        )
        repair_apply(event=event, commitment="承诺", correction="已整改", now=at(2026, 7, 1, 10))
    assert count() == one


@pytest.mark.parametrize("application_id", ["0", "٣", "99999999999999999999999", "abc"])
def test_a_bad_application_id_is_404(client, city, application_id):
    url = reverse("backoffice:credit_repair", args=[application_id])
    assert as_(client, city, PostCode.LEGAL_REVIEWER).get(url).status_code == 404


@pytest.mark.parametrize("query", [{"status": "nonsense"}, {"page": "x"}, {"status": "\x00"}])
def test_the_repair_queue_with_an_odd_filter_answers(client, city, query):
    response = as_(client, city, PostCode.LEGAL_REVIEWER).get(
        reverse("backoffice:credit_repairs"), query
    )
    assert response.status_code in (200, 400)  # a NUL byte is refused before the view


# --- Schemes -----------------------------------------------------------------------------


def _abcd() -> CreditScheme:
    return CreditScheme.objects.get(code="abcd", active=True)


def test_a_version_reads_as_bands_points_repair_and_lists(client, city):
    scheme = _abcd()
    response = as_(client, city, PostCode.SYSTEM_ADMIN).get(
        reverse("backoffice:credit_scheme", args=[scheme.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert [band.grade for band in response.context["rules"]["bands"]] == ["A", "B", "C", "D"]
    for text in ("A 诚信", "D 失信", "950", "重点督查，列入重点监管名单"):
        assert text in body
    assert "Every merchant starts the year with 1000 points." in body
    assert "3 months" in body
    assert "6 months" in body
    assert "Administrative penalty decided" in body
    # The form is prefilled with the version's own rules.
    assert json.loads(response.context["form"].initial["rules"]) == scheme.rules
    assert reverse("backoffice:credit_scheme_save", args=[scheme.pk]) in body


def test_the_scheme_list_marks_the_active_version(client, city):
    response = as_(client, city, PostCode.INSPECTOR).get(reverse("backoffice:credit_schemes"))
    assert response.status_code == 200
    assert [(s.code, s.active) for s in response.context["schemes"]] == [
        ("abcd", True),
        ("stars", False),
    ]
    assert response.content.decode().count('class="scheme-row active-scheme"') == 1


def test_only_the_system_administrator_gets_the_forms(client, city):
    scheme = _abcd()
    body = (
        as_(client, city, PostCode.INSPECTOR)
        .get(reverse("backoffice:credit_scheme", args=[scheme.pk]))
        .content.decode()
    )
    assert reverse("backoffice:credit_scheme_save", args=[scheme.pk]) not in body
    response = client.post(
        reverse("backoffice:credit_scheme_save", args=[scheme.pk]),
        {"name": "x", "rules": json.dumps(scheme.rules), "note": "x"},
    )
    assert response.status_code == 403
    stars = CreditScheme.objects.get(code="stars")
    response = client.post(reverse("backoffice:credit_scheme_activate", args=[stars.pk]))
    assert response.status_code == 403
    assert _abcd().pk == scheme.pk


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ('{"base_points": 1000,', "Not valid JSON: line 1"),
        ("[1, 2]", "The rules must be a JSON object."),
        ('{"base_points": NaN}', "Not valid JSON"),
        ('{"base_points": 100000000000000000000}', "Every number must lie between"),
        ("[" * 5000 + "]" * 5000, "Not valid JSON"),
    ],
)
def test_a_bad_version_shows_the_problem_and_writes_nothing(client, city, rules, message):
    scheme = _abcd()
    before = (CreditScheme.objects.count(), RecordEntry.objects.count())
    response = as_(client, city, PostCode.SYSTEM_ADMIN).post(
        reverse("backoffice:credit_scheme_save", args=[scheme.pk]),
        {"name": scheme.name, "rules": rules, "note": "试一试"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (CreditScheme.objects.count(), RecordEntry.objects.count()) == before


def test_rules_the_scheme_refuses_are_shown_with_the_reason(client, city):
    scheme = _abcd()
    rules = {**scheme.rules, "bands": scheme.rules["bands"][:1]}
    response = as_(client, city, PostCode.SYSTEM_ADMIN).post(
        reverse("backoffice:credit_scheme_save", args=[scheme.pk]),
        {"name": scheme.name, "rules": json.dumps(rules), "note": "只留一档"},
    )
    assert response.status_code == 400
    assert "Give between 2 and 10 grade bands, highest first." in response.content.decode()
    assert CreditScheme.objects.filter(code="abcd").count() == 1


def test_a_new_version_of_the_active_scheme_is_active_and_rescores(client, city, time_machine):
    time_machine.move_to(at(2026, 6, 1, 10), tick=False)
    owner = merchant(city)
    scheme = _abcd()
    rules = {**scheme.rules, "base_points": 900}
    response = as_(client, city, PostCode.SYSTEM_ADMIN).post(
        reverse("backoffice:credit_scheme_save", args=[scheme.pk]),
        {"name": scheme.name, "rules": json.dumps(rules), "note": "基础分改为900"},
    )
    saved = _abcd()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:credit_scheme", args=[saved.pk])
    assert (saved.version, saved.note, saved.rules["base_points"]) == (2, "基础分改为900", 900)
    score = CreditScore.objects.get(merchant=owner)
    assert (score.points, score.grade, score.scheme_id) == (900, "B", saved.pk)


def test_activating_a_version_rescores_every_merchant_under_it(client, city, time_machine):
    time_machine.move_to(at(2026, 6, 1, 10), tick=False)
    owner = merchant(city)
    assert CreditScore.objects.get(merchant=owner).grade == "A"
    stars = CreditScheme.objects.get(code="stars")
    response = as_(client, city, PostCode.SYSTEM_ADMIN).post(
        reverse("backoffice:credit_scheme_activate", args=[stars.pk])
    )
    assert response.status_code == 302
    assert CreditScheme.objects.get(active=True) == stars
    score = CreditScore.objects.get(merchant=owner)
    assert (score.grade, score.scheme_id) == ("5", stars.pk)


@pytest.mark.parametrize("scheme_id", ["0", "١", "99999999999999999999999"])
def test_a_bad_scheme_id_is_404(client, city, scheme_id):
    client = as_(client, city, PostCode.SYSTEM_ADMIN)
    assert client.get(reverse("backoffice:credit_scheme", args=[scheme_id])).status_code == 404
    url = reverse("backoffice:credit_scheme_activate", args=[scheme_id])
    assert client.post(url).status_code == 404


# --- The command ---------------------------------------------------------------------------


def test_recompute_credit_rescores_everyone_and_says_how_long_it_took(city, time_machine):
    time_machine.move_to(at(2026, 6, 1, 10), tick=False)
    first, second = merchant(city, n=1), merchant(city, n=2)
    CreditScore.objects.filter(merchant=first).update(points=1, grade="D")
    out = io.StringIO()
    call_command("recompute_credit", "--batch", "1", stdout=out)
    assert re.fullmatch(r"2 score\(s\) recomputed in \d+\.\d s\.", out.getvalue().strip())
    assert [
        (s.points, s.grade) for s in CreditScore.objects.filter(merchant__in=[first, second])
    ] == [(1000, "A"), (1000, "A")]
