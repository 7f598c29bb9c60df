"""The record cannot be erased or shortened unnoticed: TRUNCATE is refused, and the chain
is checked against an anchor kept outside the database (等保2.0 GB/T 22239-2019
8.1.4.3 c 安全审计: 审计记录的保护, 避免受到未预期的删除、修改或覆盖; 8.1.4.7 数据完整性)."""

import datetime
import importlib
import io
import json
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import translation

from tests.factories import UserFactory
from yangguang.core.management.commands.worker import Command as Worker
from yangguang.records.anchor import AnchorError, anchor_latest, anchor_loads, anchor_read
from yangguang.records.models import DailyDigest, RecordEntry
from yangguang.records.registry import Target
from yangguang.records.services import anchor_update, digests_close, record_append
from yangguang.records.verify import chain_verify

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DAY_ONE = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
TARGET = Target("tests.thing", "1", "测试对象", None)
RECORD_TABLES = [
    "records_recordentry",
    "records_dailydigest",
    "records_evidencelink",
    "records_evidence",
]
# The statement of the outside probe (issue 10 §3).
PROBE = (
    "TRUNCATE records_recordentry, records_dailydigest, records_evidencelink, "
    "records_evidence CASCADE"
)


def append(n: int) -> None:
    for _ in range(n):
        record_append(action="config.update", target=TARGET, actor=None, changes={"n": [0, 1]})


@pytest.fixture
def anchored(db, time_machine, tmp_path, settings):
    """An account (its creation recorded: entry 1) and entries over three days: 1–3 on
    the first, 4–5 on the second, 6–7 on the third; the first two days closed and the
    second anchored in a file, as the worker leaves it on the third morning."""
    settings.RECORD_ANCHOR_KEY = "a-key-kept-off-the-database-server"
    time_machine.move_to(DAY_ONE, tick=False)
    UserFactory(username="shouli", name="受理员")
    append(2)
    time_machine.move_to(DAY_ONE + datetime.timedelta(days=1), tick=False)
    append(2)
    time_machine.move_to(DAY_ONE + datetime.timedelta(days=2, hours=-1), tick=False)
    digests_close()
    path = tmp_path / "anchors" / "anchor.json"
    path.parent.mkdir()
    anchor_update(path=path)
    append(2)
    return path


def as_superuser(*statements: str) -> None:
    """Run ``statements`` as a database superuser would: on PostgreSQL, first dropping
    the record tables' triggers (inside the test's transaction, so they come back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks
            for table in RECORD_TABLES:
                cursor.execute(f"DROP TRIGGER {table}_append_only ON {table}")
                cursor.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        for statement in statements:
            cursor.execute(statement)


def erase_record() -> None:
    """The probe's TRUNCATE on PostgreSQL; SQLite has none, so DELETE without WHERE."""
    if connection.vendor == "postgresql":
        as_superuser(PROBE)
    else:
        as_superuser(*(f"DELETE FROM {table}" for table in RECORD_TABLES[::-1]))  # noqa: S608


def kinds(report) -> list[str]:
    return [problem.kind for problem in report.problems]


def messages(report) -> str:
    return "\n".join(problem.message for problem in report.problems)


# --- TRUNCATE refused ---------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        PROBE,
        *(f"TRUNCATE {table} CASCADE" for table in RECORD_TABLES),
        "TRUNCATE org_user CASCADE",
    ],
)
def test_truncate_of_the_record_is_refused_on_postgresql(anchored, statement):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: audit records protected from unexpected
    deletion — TRUNCATE fires no row trigger, so a statement trigger on every record
    table refuses it, also when reached through CASCADE from another table."""
    if connection.vendor != "postgresql":
        pytest.skip("the TRUNCATE trigger exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks to block it
    with (
        pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert RecordEntry.objects.count() == 7


@pytest.mark.postgres
def test_truncate_trigger_migration_reverses(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: the trigger comes and goes with its migration
    (records 0003), and is back once migrated forward again."""
    if connection.vendor != "postgresql":
        pytest.skip("the TRUNCATE trigger exists on PostgreSQL only")
    migration = importlib.import_module("yangguang.records.migrations.0003_refuse_truncate")

    def triggers() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(%s)",
                [[f"{table}_no_truncate" for table in RECORD_TABLES]],
            )
            return cursor.fetchone()[0]

    with connection.schema_editor() as editor:
        migration.drop_triggers(None, editor)
    assert triggers() == 0
    with connection.schema_editor() as editor:
        migration.create_triggers(None, editor)
    assert triggers() == 4


# --- an emptied chain ---------------------------------------------------------------------


def test_erased_record_fails_against_its_anchor_and_as_empty(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c, 8.1.4.7: with the triggers dropped (a
    superuser), the probe's TRUNCATE (DELETE without WHERE on SQLite) empties chain and
    digests; verification fails against the anchor and because accounts exist."""
    erase_record()
    report = chain_verify(anchor_file=anchored)
    assert kinds(report) == ["empty", "anchor", "anchor"]
    assert report.problems[0].message == (
        "The record chain is empty, yet the database holds 1 accounts, 0 reports and 0 "
        "cases: the record was erased."
    )
    assert report.problems[1].message == (
        f"The chain holds 0 entries, fewer than the 5 of its anchor of 2026-12-01 "
        f"({anchored}): entries 1 to 5 were deleted."
    )
    assert report.problems[2].message == (
        f"The daily digest of 2026-12-01, which the anchor {anchored} holds, is missing "
        "from the database: it was deleted."
    )


def test_erased_record_fails_without_an_anchor(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: an empty chain while accounts, reports or cases
    exist fails on its own, with no anchor configured — the probe's "0 entries, intact"
    is gone."""
    erase_record()
    report = chain_verify()
    assert kinds(report) == ["empty"]


def test_empty_database_verifies(db):
    """等保2.0 GB/T 22239-2019 8.1.4.7: a new installation (nothing recorded, nothing to
    record) is intact; the empty-chain check does not cry wolf."""
    report = chain_verify()
    assert (report.ok, report.entries) == (True, 0)


def test_verify_command_names_the_erasure_in_chinese_and_exits_1(anchored, capsys):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: the operator reads what is wrong in the
    command's language (Chinese by default), and cron sees exit status 1."""
    erase_record()
    with translation.override("zh-hans"), pytest.raises(CommandError) as raised:
        call_command("verify_records", "--evidence", anchor=anchored)
    error = capsys.readouterr().err
    assert "记录链为空" in error
    assert "已被删除" in error
    assert "记录链已被破坏" in str(raised.value)


# --- a shortened chain --------------------------------------------------------------------


@pytest.mark.parametrize("deleted", [3, 5, 6])
def test_deleted_tail_with_its_digests_fails_against_the_anchor(anchored, deleted):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c, 8.1.4.7: deleting the last N entries and every
    digest that named them leaves a chain that is intact in itself; only the anchor
    outside the database shows what is missing."""
    keep = 7 - deleted
    as_superuser(
        f"DELETE FROM records_recordentry WHERE sequence > {keep}",  # noqa: S608
        f"DELETE FROM records_dailydigest WHERE last_sequence > {keep}",  # noqa: S608
    )
    assert chain_verify().ok  # without the anchor, nothing to see
    report = chain_verify(anchor_file=anchored)
    assert kinds(report) == ["anchor", "anchor"]
    assert report.problems[0].message == (
        f"The chain holds {keep} entries, fewer than the 5 of its anchor of 2026-12-01 "
        f"({anchored}): entries {keep + 1} to 5 were deleted."
    )


def test_deleted_tail_after_the_anchor_with_a_new_entry_fails_at_the_anchored_entry(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.7: entries 5–7 deleted and new ones appended in
    their place: the chain is as long as before but entry 5 no longer has the anchored
    hash."""
    as_superuser(
        "DELETE FROM records_recordentry WHERE sequence > 4",
        "DELETE FROM records_dailydigest WHERE last_sequence > 4",
    )
    append(3)
    report = chain_verify(anchor_file=anchored)
    assert report.problems[0].message == (
        f"Entry 5 does not have the hash anchored on 2026-12-01 ({anchored}): the record up "
        "to it was rewritten."
    )


def test_deleted_tail_with_its_digests_kept_fails_on_the_digests(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: the database's own digests still name the
    deleted entries."""
    as_superuser("DELETE FROM records_recordentry WHERE sequence > 2")
    report = chain_verify()
    assert kinds(report) == ["digest"]


def test_deleted_digest_in_the_series_is_reported(anchored, time_machine):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: close-digests leaves no day out, so a missing
    day in the series was deleted."""
    time_machine.move_to(DAY_ONE + datetime.timedelta(days=4), tick=False)
    digests_close()
    as_superuser("DELETE FROM records_dailydigest WHERE day = '2026-12-02'")
    report = chain_verify()
    assert messages(report) == (
        "The daily digests of 2026-12-02 to 2026-12-02 are missing: they were deleted."
    )


# --- the anchor itself --------------------------------------------------------------------


def test_untouched_chain_holds_its_anchor(anchored, capsys):
    """等保2.0 GB/T 22239-2019 8.1.4.7: the chain, its digests and its anchor agree."""
    call_command("verify_records", anchor=anchored)
    out = capsys.readouterr().out
    assert "Chain intact: 7 entries, 2 daily digests" in out
    head = DailyDigest.objects.get(day="2026-12-01").head_hash
    assert f"It holds its anchor {anchored}: 2026-12-01, entry 5, head {head}." in out


def test_altered_anchor_is_reported_as_forged(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: an anchor edited to fit a shortened chain no
    longer carries the signature."""
    data = json.loads(anchored.read_text())
    data["last_sequence"] = data["entries"] = 2
    anchored.write_text(json.dumps(data))
    report = chain_verify(anchor_file=anchored)
    assert messages(report) == (
        f"The anchor {anchored} does not carry a valid signature: it was altered or forged."
    )


def test_anchor_signed_with_another_key_is_reported(anchored, settings):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: an anchor made with another key (a forger's, or
    before the key changed) is told apart from an altered one."""
    settings.RECORD_ANCHOR_KEY = "a-forger-s-key"
    forged = anchored.with_name("forged.json")
    anchor_update(path=forged)
    settings.RECORD_ANCHOR_KEY = "a-key-kept-off-the-database-server"
    report = chain_verify(anchor_file=forged)
    assert kinds(report) == ["anchor"]
    assert "is signed with another key" in report.problems[0].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a record anchor written by export-anchor."),
        ('{"anchor": "yangguang-record-anchor", "version": 1}', "malformed field: day."),
    ],
)
def test_unreadable_anchor_is_reported(anchored, content, message):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: a damaged anchor is a failure, not a pass."""
    anchored.write_text(content)
    report = chain_verify(anchor_file=anchored)
    assert kinds(report) == ["anchor"]
    assert report.problems[0].message.endswith(message)


def test_missing_anchor_named_on_the_command_line_fails(anchored, capsys):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: a named anchor that is not there fails."""
    anchored.unlink()
    with pytest.raises(CommandError):
        call_command("verify_records", anchor=anchored)
    assert f"The anchor file {anchored} does not exist." in capsys.readouterr().err


def test_configured_anchor_is_read_by_default(anchored, settings, capsys):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: verify-records checks YANGGUANG_ANCHOR_FILE
    without being told; once a day is closed, its absence is a failure."""
    settings.RECORD_ANCHOR_FILE = anchored
    call_command("verify_records")
    assert f"It holds its anchor {anchored}" in capsys.readouterr().out
    anchored.unlink()
    with pytest.raises(CommandError):
        call_command("verify_records")
    assert "does not exist" in capsys.readouterr().err


def test_configured_anchor_not_yet_written_before_the_first_day_closes(
    db, settings, tmp_path, capsys
):
    """等保2.0 GB/T 22239-2019 8.1.4.7: a new installation verifies before its first
    anchor, and says so."""
    settings.RECORD_ANCHOR_FILE = tmp_path / "anchor.json"
    append(1)
    call_command("verify_records")
    assert "No anchor at" in capsys.readouterr().out


def test_anchor_command_output_round_trips(anchored, time_machine, tmp_path):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: what export-anchor prints is the signed anchor
    of the latest closed day; saved to a file it verifies the chain."""
    now = DAY_ONE + datetime.timedelta(days=2)
    time_machine.move_to(now, tick=False)
    out = io.StringIO()
    call_command("export_anchor", stdout=out)
    printed = anchor_loads(text=out.getvalue(), source="stdout")
    assert printed == anchor_latest(now=now)
    assert (printed.day, printed.last_sequence, printed.entries, printed.head_hash) == (
        datetime.date(2026, 12, 1),
        5,
        5,
        DailyDigest.objects.get(day="2026-12-01").head_hash,
    )
    copy = tmp_path / "copy-kept-elsewhere.json"
    copy.write_text(out.getvalue())
    assert chain_verify(anchor_file=copy).ok


def test_anchor_command_writes_a_file(anchored, tmp_path, capsys):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: export-anchor --output writes the file
    (again: nothing to do)."""
    path = tmp_path / "out.json"
    call_command("export_anchor", output=path)
    call_command("export_anchor", output=path)
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"Anchor of 2026-12-01 (entry 5) written to {path}.",
        f"{path} already holds the anchor of the latest closed day.",
    ]
    assert anchor_read(path=path).head_hash == anchor_read(path=anchored).head_hash


def test_anchor_command_before_any_closed_day_fails(db):
    """等保2.0 GB/T 22239-2019 8.1.4.7: no anchor before a day is closed, said plainly."""
    with pytest.raises(CommandError, match="No day has been closed yet"):
        call_command("export_anchor", stdout=io.StringIO())


# --- keeping the anchor current -----------------------------------------------------------


def test_close_digests_writes_the_configured_anchor(anchored, settings, time_machine, capsys):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: each closed day moves the anchor forward."""
    settings.RECORD_ANCHOR_FILE = anchored
    time_machine.move_to(DAY_ONE + datetime.timedelta(days=3), tick=False)
    call_command("close_digests")
    assert f"Anchor of 2026-12-02 (entry 7) written to {anchored}." in capsys.readouterr().out
    assert anchor_read(path=anchored).last_sequence == 7
    assert chain_verify(anchor_file=anchored).ok


def test_anchor_never_moves_back_over_a_shortened_chain(anchored, settings, time_machine):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: after a tail and its digests are deleted,
    closing the days again does not overwrite the anchor with the shortened chain's."""
    settings.RECORD_ANCHOR_FILE = anchored
    before = anchored.read_text()
    as_superuser(
        "DELETE FROM records_recordentry WHERE sequence > 2",
        "DELETE FROM records_dailydigest",
    )
    time_machine.move_to(DAY_ONE + datetime.timedelta(days=3), tick=False)
    with pytest.raises(CommandError, match="entries 3 to 5 were deleted"):
        call_command("close_digests")
    assert anchored.read_text() == before
    with pytest.raises(AnchorError):
        anchor_update(path=anchored)


def test_closing_days_after_the_record_was_erased_raises_the_alarm(anchored, settings):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: with chain and digests gone there is nothing
    to close, yet close-digests fails on the anchor the database lost."""
    settings.RECORD_ANCHOR_FILE = anchored
    erase_record()
    with pytest.raises(CommandError, match="entries 1 to 5 were deleted"):
        call_command("close_digests", stdout=io.StringIO())


def test_worker_writes_the_anchor_and_raises_the_alarm(anchored, settings, time_machine, caplog):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: the worker keeps the configured anchor current
    after closing a day, and logs an error when the chain lost what it anchored."""
    settings.RECORD_ANCHOR_FILE = anchored
    time_machine.move_to(DAY_ONE + datetime.timedelta(days=3), tick=False)
    digests_close()  # the round's step before (its other steps need no testing here)
    with caplog.at_level(logging.INFO, logger="yangguang.worker"):
        Worker().write_anchor()
    assert anchor_read(path=anchored).day == datetime.date(2026, 12, 2)
    assert "record anchor of 2026-12-02 written" in caplog.text
    as_superuser("DELETE FROM records_recordentry WHERE sequence > 6")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="yangguang.worker"):
        Worker().write_anchor()
    assert [r.levelname for r in caplog.records if "record anchor" in r.getMessage()] == ["ERROR"]


def test_anchor_file_written_atomically(anchored):
    """等保2.0 GB/T 22239-2019 8.1.4.3 c: no temporary file is left beside the anchor."""
    assert sorted(p.name for p in Path(anchored).parent.iterdir()) == ["anchor.json"]
