"""``yangguang demo``: its progress, what it prints (never a person's data), the address
its links name, and the open work it loads whatever the day (issue 11)."""

import datetime
import io
import logging
import re
import zoneinfo

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from yangguang.cases.deadlines import deadlines_running_for, light
from yangguang.cases.enums import DeadlineKind, Procedure
from yangguang.cases.enums import Status as CaseStatus
from yangguang.cases.models import Case, CaseDocument
from yangguang.cases.render import verify_url
from yangguang.core.demo import (
    DEMO_PASSWORD,
    DEMO_STEPS,
    HANDLERS,
    DemoSmsGateway,
    demo_city_load,
    demo_logins,
)
from yangguang.core.demo_cases import DEMO_PARTY_PHONE
from yangguang.core.demo_history import MARK as HISTORY_MARK
from yangguang.core.management.commands import demo as demo_command
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode, UnitKind
from yangguang.org.models import Unit, User
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import DeadlineState
from yangguang.reports.enums import Status as ReportStatus
from yangguang.reports.models import Report, Supervision

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
# A whole mobile number, not eleven digits inside a hexadecimal message id.
PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
RUNNING = [
    ReportStatus.DISPATCHED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.DELAY_REQUESTED,
]
# Every deadline of the procedure except the court's (three months after the payment
# period), open somewhere in the demo.
DEMO_DEADLINES = set(DeadlineKind) - {DeadlineKind.COURT}

pytestmark = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the demo runs on SQLite",
)


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    return tmp_path


def run_demo(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("demo", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_demo_command_shows_each_step_and_no_phone_number(data_dir, time_machine, caplog, capsys):
    time_machine.move_to(at(2026, 11, 23, 10, 30), tick=False)
    caplog.set_level(logging.DEBUG)
    out, err = run_demo("--no-serve", "--port", "8123")
    total = demo_command.PREPARING_STEPS + DEMO_STEPS
    steps = re.findall(rf"^\[(\d+)/{total}\] .+ \(?\d+\.\d", out, flags=re.MULTILINE)
    assert steps == [str(number) for number in range(1, total + 1)]
    captured = capsys.readouterr()
    for text in (out, err, caplog.text, captured.out, captured.err):
        assert PHONE.findall(text) == []
    for login in demo_logins():
        assert login.username in out


@pytest.mark.django_db
def test_links_written_while_loading_name_the_demo_port(data_dir, time_machine):
    time_machine.move_to(at(2026, 11, 23, 10, 30), tick=False)
    out, _err = run_demo("--no-serve", "--port", "8123")
    links = [body for body in Message.objects.values_list("body", flat=True) if "http" in body]
    assert len(links) > 10
    assert all("http://127.0.0.1:8123/" in body for body in links)
    assert not any(":8000" in body for body in links)
    party_page = re.search(r"http://127\.0\.0\.1:8123(/party/[\w-]+/)", out)
    assert party_page is not None
    assert Client().get(party_page[1]).status_code == 200
    # A later start on another port prints the same page at that port.
    again, _err = run_demo("--no-serve", "--port", "8124")
    assert f"http://127.0.0.1:8124{party_page[1]}" in again


@pytest.mark.django_db
def test_served_demo_gives_its_address_to_the_server_and_the_worker(
    data_dir, time_machine, monkeypatch
):
    """The document checks (QR codes) are drawn by the server, the texts sent by the
    worker: both name the port served."""
    time_machine.move_to(at(2026, 11, 23, 10, 30), tick=False)
    seen = {}

    def serve(application):
        document = CaseDocument.objects.first()
        seen["base"], seen["qr"] = django_settings.PUBLIC_BASE_URL, verify_url(document)

    class Worker:
        def __init__(self, command, env):
            seen["worker_env"] = env

        def terminate(self):
            pass

        def wait(self, timeout):
            pass

    monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", serve)
    monkeypatch.setattr(demo_command.subprocess, "Popen", Worker)
    run_demo("--port", "8123")
    assert seen["base"] == "http://127.0.0.1:8123"
    assert seen["qr"].startswith("http://127.0.0.1:8123/")
    assert seen["worker_env"]["YANGGUANG_PUBLIC_BASE_URL"] == "http://127.0.0.1:8123"
    assert seen["worker_env"]["YANGGUANG_DEMO_SMS"] == "1"
    assert django_settings.PUBLIC_BASE_URL == "http://127.0.0.1:8000"  # restored


@pytest.mark.django_db
def test_a_configured_public_address_is_kept(data_dir, time_machine, monkeypatch, settings):
    time_machine.move_to(at(2026, 11, 23, 10, 30), tick=False)
    monkeypatch.setenv("YANGGUANG_PUBLIC_BASE_URL", "https://zhifa.example.gov.cn")
    settings.PUBLIC_BASE_URL = "https://zhifa.example.gov.cn"
    run_demo("--no-serve", "--port", "8123")
    links = [body for body in Message.objects.values_list("body", flat=True) if "http" in body]
    assert links
    assert all("https://zhifa.example.gov.cn/" in body for body in links)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "now",
    [
        at(2026, 11, 23, 10, 30),  # a Monday morning
        at(2026, 9, 30, 16, 0),  # the last working day before the National Day holiday
        at(2026, 10, 4, 21, 0),  # a Sunday evening in the holiday
        at(2027, 12, 31, 9, 0),  # the year's last day; the next year's calendar provisional
    ],
    ids=["monday", "before-national-day", "in-the-holiday", "new-years-eve"],
)
def test_demo_has_open_work_in_every_state_whatever_the_day(now, time_machine):
    time_machine.move_to(now, tick=False)
    loaded = demo_city_load()
    running = Report.objects.filter(status__in=RUNNING)
    assert set(running.values_list("deadline_state", flat=True)) == {
        DeadlineState.NORMAL,
        DeadlineState.WARNING,
        DeadlineState.OVERDUE,
    }
    supervised = Supervision.objects.get(replied_at__isnull=True)
    assert supervised.report.deadline_state == DeadlineState.OVERDUE
    board = list(deadlines_running_for(User.objects.get(username="zhongduizhang")))
    assert {deadline.kind for deadline in board} == DEMO_DEADLINES
    assert {light(deadline, now) for deadline in board} == {"normal", "warning", "overdue"}
    assert {
        CaseStatus.INVESTIGATING,
        CaseStatus.NOTIFIED,
        CaseStatus.DECIDED,
        CaseStatus.SERVED,
        CaseStatus.ARCHIVED,
    } <= set(Case.objects.values_list("status", flat=True))
    assert Case.objects.filter(procedure=Procedure.SIMPLE, status=CaseStatus.SERVED).exists()
    notified = Case.objects.get(status=CaseStatus.NOTIFIED)
    assert notified.hearing_offered is True
    assert notified.party_links.filter(revoked_at__isnull=True).count() == 1
    assert loaded.party_path is not None
    assert Message.objects.exclude(status="sent").count() == 0


@pytest.mark.django_db
def test_every_handling_unit_has_a_handler_who_can_sign_in(time_machine):
    time_machine.move_to(at(2026, 11, 23, 10, 30), tick=False)
    demo_city_load()
    handlers = {login.username for login in demo_logins() if login.post == PostCode.HANDLER}
    assert handlers == {username for _unit, username, _name in HANDLERS}
    for unit in Unit.objects.filter(kind=UnitKind.HANDLING):
        assert unit.members.filter(posts__code=PostCode.HANDLER, is_active=True).exists(), unit
    # The demo's own scenario (the month of history sends others there too).
    water = Report.objects.exclude(description__endswith=HISTORY_MARK).get(
        unit__name="阳光区水务局"
    )
    assert water.status == ReportStatus.IN_PROGRESS
    shuiwu = User.objects.get(username="shuiwu")
    claims = RecordEntry.objects.filter(action="report.claim", actor_id=shuiwu.pk)
    assert claims.filter(object_id=str(water.pk)).count() == 1


def test_demo_gateway_shows_the_demo_partys_code_and_masks_everyone_else(caplog):
    caplog.set_level(logging.INFO, logger="yangguang.sms")
    gateway = DemoSmsGateway()
    gateway.send(phone=DEMO_PARTY_PHONE, text="验证码 123456", masked_text="验证码 ***")
    gateway.send(phone="13912345678", text="验证码 654321", masked_text="验证码 ***")
    assert "123456" in caplog.text
    assert "654321" not in caplog.text
    assert PHONE.findall(caplog.text) == []


@pytest.mark.django_db
def test_demo_passwords_hashed_quickly_are_hashed_in_full_at_first_sign_in(
    settings, time_machine, client
):
    """The demo hashes its one published password with few PBKDF2 iterations (loading
    took most of its time hashing); Django re-hashes it in full at the first sign-in."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    time_machine.move_to(at(2026, 11, 23, 10, 30), tick=False)
    demo_city_load()
    assert User.objects.get(username="shouli").password.startswith("pbkdf2_sha256$1000$")
    response = client.post(
        reverse("backoffice:login"), {"username": "shouli", "password": DEMO_PASSWORD}
    )
    assert (response.status_code, response.url) == (302, reverse("backoffice:home"))
    full = f"pbkdf2_sha256${PBKDF2PasswordHasher.iterations}$"
    assert User.objects.get(username="shouli").password.startswith(full)
    assert make_password("x").startswith(full)
