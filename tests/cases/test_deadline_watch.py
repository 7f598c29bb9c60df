"""The worker warns through the outbox before a case deadline and when it passes, once
each; the deadline board lists running deadlines in the viewer's scope."""

import datetime

import pytest
from django.urls import reverse

from tests.cases.helpers import P, at, go, new_case
from tests.factories import UserFactory
from yangguang.cases.deadlines import case_deadlines_check
from yangguang.notify.models import Message

pytestmark = pytest.mark.django_db


def test_the_worker_warns_before_and_reports_after_a_deadline_once_each(people):
    case = new_case(people)
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    go(case, "preserve", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 11), items="三轮车")
    # 7 working days from 9-1: due 9-10; a working day before is 9-9.
    assert case_deadlines_check(now=at(2026, 9, 8, 9)) == {"warned": 0, "overdue": 0}
    assert case_deadlines_check(now=at(2026, 9, 9, 9)) == {"warned": 1, "overdue": 0}
    assert case_deadlines_check(now=at(2026, 9, 9, 10)) == {"warned": 0, "overdue": 0}
    warnings = Message.objects.filter(purpose="case_deadline")
    assert {m.phone for m in warnings} == {
        people[P.OFFICER].phone,
        people[P.SQUAD_LEADER].phone,
    }
    assert case.number in warnings[0].body
    assert "第五十六条" in warnings[0].body
    assert case_deadlines_check(now=at(2026, 9, 11, 9)) == {"warned": 0, "overdue": 1}
    assert case_deadlines_check(now=at(2026, 9, 12, 9)) == {"warned": 0, "overdue": 0}
    overdue = Message.objects.filter(purpose="case_deadline", body__contains="overdue")
    assert {m.phone for m in overdue} == {people[P.OFFICER].phone, people[P.SQUAD_LEADER].phone}


def test_the_deadline_board_shows_the_running_deadlines_in_scope(client, people, org_tree):
    june = datetime.date(2026, 6, 1)
    case = new_case(
        people, now=at(2026, 6, 1, 9), act_started_on=june, act_ended_on=june, discovered_on=june
    )
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 6, 1, 10))
    client.force_login(people[P.SQUAD_LEADER])
    page = client.get(reverse("backoffice:case_deadlines")).content.decode()
    assert case.number in page
    assert "light-tag-overdue" in page  # 90 days from 2026-06-01 have passed
    outsider = UserFactory(unit=org_tree.squadron2, posts=[P.SQUAD_LEADER])
    client.force_login(outsider)
    assert case.number not in client.get(reverse("backoffice:case_deadlines")).content.decode()


def test_check_deadlines_watches_case_deadlines_too(people, time_machine):
    """Outside testing: ``check-deadlines`` (documented as what the worker does, for
    cron) checked only the reports. One command now does all of it: 第五十六条's 7
    working days of preserved evidence are reported once passed."""
    import io

    from django.core.management import call_command

    case = new_case(people)
    go(case, "file", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 10))
    go(case, "preserve", P.SQUAD_LEADER, people, now=at(2026, 9, 1, 11), items="三轮车")
    time_machine.move_to(at(2026, 9, 11, 9), tick=False)  # due 9-10
    out = io.StringIO()
    call_command("check_deadlines", stdout=out)
    assert "1 deadlines warned, 1 overdue" in out.getvalue()
    deadline = case.deadlines.get(kind="preservation")
    assert (deadline.warned_at, deadline.overdue_at) == (at(2026, 9, 11, 9), at(2026, 9, 11, 9))
