"""The party's own steps go through the procedure's one transition function, and the
party's link cannot be guessed open: wrong codes lock it until the bureau sends a new one."""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

import yangguang.cases
from tests.cases.conftest import reviewed_case
from tests.cases.helpers import P, at, go
from yangguang.cases.enums import Status
from yangguang.cases.models import Case
from yangguang.cases.party import (
    CODE_ATTEMPTS,
    LINK_ATTEMPTS,
    party_access_issue,
    party_code_check,
    party_code_send,
    party_hearing_request,
)
from yangguang.cases.procedure import ProcedureRefused, case_transition
from yangguang.core.saving import field_values, save_changed
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db

NOTIFIED_AT = at(2026, 11, 2, 15)


@pytest.fixture
def notified(people):
    """A 6,000-yuan fine for an individual: a hearing is offered (第六十三条)."""
    case = reviewed_case(people, fine="6000", day=(2026, 11, 2))
    return go(case, "notify", P.OFFICER, people, now=NOTIFIED_AT)


@pytest.fixture
def access(notified, people):
    return party_access_issue(case_id=notified.pk, actor=people[P.OFFICER])


def test_art64_the_partys_hearing_request_is_the_procedures_own_step(access):
    """One writer per status: the party's request goes through case_transition, is
    recorded as the move itself and names no member of staff."""
    case = party_hearing_request(access=access, now=NOTIFIED_AT + datetime.timedelta(days=1))
    assert Case.objects.get(pk=case.pk).status == Status.HEARING_REQUESTED
    entry = RecordEntry.objects.filter(action="case.request_hearing").get()
    assert entry.actor_id is None
    assert entry.changes["status"] == [Status.NOTIFIED, Status.HEARING_REQUESTED]
    assert entry.reason == "Sent by the party through their link"


def test_art64_a_late_hearing_request_by_the_party_is_refused_by_the_same_guard(access):
    late = at(2026, 11, 20, 10)  # more than 5 working days after 11-02
    with pytest.raises(ProcedureRefused, match="第六十四条"):
        party_hearing_request(access=access, now=late)
    assert Case.objects.get(pk=access.case_id).status == Status.NOTIFIED


def test_the_party_cannot_take_a_step_of_the_bureau(access):
    with pytest.raises(ProcedureRefused, match="Only the bureau"):
        case_transition(case_id=access.case_id, verb="decide", party=access)
    assert Case.objects.get(pk=access.case_id).status == Status.NOTIFIED


def test_a_partys_link_opens_only_its_own_case(access, people):
    other = reviewed_case(people, fine="6000", day=(2026, 11, 2))
    with pytest.raises(ValueError, match="does not open this case"):
        case_transition(case_id=other.pk, verb="request_hearing", party=access)


def test_only_the_transition_function_writes_a_case_status():
    """One writer per status (style rule 3): no other module of the cases app assigns
    ``.status``, and the services' saves refuse a changed status."""
    pattern = re.compile(r"\bcase\.status\s*=[^=]")
    writers = sorted(
        path.name
        for path in Path(yangguang.cases.__file__).parent.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    )
    assert writers == ["procedure.py"]


def test_a_service_save_that_would_change_the_status_is_refused(notified):
    before = field_values(notified)
    notified.status = Status.DECIDED
    with pytest.raises(RuntimeError, match="status"):
        save_changed(notified, before, guarded=frozenset({"status"}))
    assert Case.objects.get(pk=notified.pk).status == Status.NOTIFIED


def guess_wrong(access, *, codes: int, start: datetime.datetime) -> None:
    """Send ``codes`` codes a minute apart and spend every try of each on a wrong code."""
    for n in range(codes):
        now = start + datetime.timedelta(minutes=2 * n)
        party_code_send(access=access, now=now)
        for _ in range(CODE_ATTEMPTS):
            assert not party_code_check(access=access, code="not-it", now=now)


def test_the_party_link_locks_after_ten_wrong_codes_until_a_new_link_is_sent(access, people):
    """Outside testing: 5 tries a minute but no cap across codes (≈7,200 guesses a day).
    Now the link's 10th wrong code locks it; the lock is recorded; a new link works."""
    start = at(2026, 11, 3, 9)
    guess_wrong(access, codes=LINK_ATTEMPTS // CODE_ATTEMPTS, start=start)
    access.refresh_from_db()
    assert access.locked_at is not None
    later = start + datetime.timedelta(hours=1)
    with pytest.raises(ProcedureRefused, match="locked"):
        party_code_send(access=access, now=later)
    with pytest.raises(ProcedureRefused, match="locked"):
        party_code_check(access=access, code="123456", now=later)
    entry = RecordEntry.objects.get(action="case.party_link_locked")
    assert entry.changes == {"failed_attempts": [None, LINK_ATTEMPTS]}
    fresh = party_access_issue(case_id=access.case_id, actor=people[P.OFFICER])
    party_code_send(access=fresh, now=later)  # the new link takes codes again
    assert fresh.locked_at is None


def test_a_locked_link_says_so_on_the_partys_page_and_on_the_case_page(
    client, access, people, time_machine
):
    time_machine.move_to(at(2026, 11, 3, 9), tick=False)
    guess_wrong(access, codes=LINK_ATTEMPTS // CODE_ATTEMPTS, start=at(2026, 11, 3, 8))
    url = reverse("portal:party", args=[access.token])
    client.cookies["django_language"] = "en"
    page = client.get(url)
    assert "too many wrong codes" in page.content.decode()
    refused = client.post(url, {"step": "verify", "code": "123456"})
    assert refused.status_code == 409
    client.force_login(people[P.OFFICER])
    case_page = client.get(reverse("backoffice:case", args=[access.case_id])).content.decode()
    assert "too many wrong codes" in case_page
