"""The record chain: append-only, hash-chained, verifiable (行政处罚法 art 47 全过程记录;
国办发〔2018〕118号 三项制度)."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from yangguang.org.enums import PostCode
from yangguang.records.chain import GENESIS_HASH
from yangguang.records.context import Client, client_context
from yangguang.records.models import DailyDigest, RecordEntry
from yangguang.records.registry import Target
from yangguang.records.services import digests_close, record_append
from yangguang.records.verify import chain_verify

TARGET = Target("tests.thing", "1", "测试对象", None)


@pytest.fixture
def chain(db):
    """Five entries, the third carrying personal data and a reason."""
    for n in range(1, 6):
        record_append(
            action="config.update",
            target=TARGET,
            actor=None,
            changes={"n": [n - 1, n], "phone": [None, "13912345678"]}
            if n == 3
            else {"n": [n - 1, n]},
            personal={"phone": "phone"} if n == 3 else None,
            reason="更正" if n == 3 else "",
        )
    return list(RecordEntry.objects.order_by("sequence"))


def raw(sql: str, params: list) -> None:
    """Tamper with the tables as a database superuser would. On PostgreSQL that means
    switching the append-only triggers off first; the chain must still catch it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_entries_form_one_gapless_chain(chain):
    assert [e.sequence for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in chain[1:]] == [e.entry_hash for e in chain[:-1]]
    report = chain_verify()
    assert (report.ok, report.entries, report.head) == (True, 5, chain[-1].entry_hash)


def test_entry_keeps_actor_unit_and_client(personas, org_tree):
    officer = personas[PostCode.OFFICER]
    with client_context(Client(ip="10.1.2.3", device="Mozilla/5.0 测试")):
        entry = record_append(action="org.unit.update", target=org_tree.squadron1, actor=officer)
    assert (entry.actor_name, entry.actor_unit, entry.unit) == (
        officer.name,
        org_tree.squadron1,
        org_tree.squadron1,
    )
    assert (entry.client_ip, entry.client_device) == ("10.1.2.3", "Mozilla/5.0 测试")
    assert chain_verify().ok


def test_unknown_action_is_a_programming_error(db):
    with pytest.raises(ValueError, match="Unknown record action"):
        record_append(action="report.teleport", target=TARGET, actor=None)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reason", "改过的理由"),
        ("actor_name", "冒名"),
        ("object_id", "2"),
        ("client_ip", "8.8.8.8"),
    ],
)
def test_altered_entry_is_reported_at_that_entry(chain, column, value):
    raw(f"UPDATE records_recordentry SET {column} = %s WHERE sequence = 3", [value])  # noqa: S608
    report = chain_verify()
    assert [(p.kind, p.sequence) for p in report.problems] == [("altered", 3)]


def test_altered_changes_are_reported(chain):
    raw("UPDATE records_recordentry SET changes = %s WHERE sequence = 2", ['{"n": [1, 99]}'])
    assert [(p.kind, p.sequence) for p in chain_verify().problems] == [("altered", 2)]


def test_altered_time_is_reported(chain):
    moved = chain[3].recorded_at - datetime.timedelta(hours=1)
    raw("UPDATE records_recordentry SET recorded_at = %s WHERE sequence = 4", [moved])
    assert [(p.kind, p.sequence) for p in chain_verify().problems] == [("altered", 4)]


def test_deleted_entry_is_reported(chain):
    raw("DELETE FROM records_recordentry WHERE sequence = 2", [])
    report = chain_verify()
    assert [(p.kind, p.sequence) for p in report.problems] == [("deleted", 2)]
    assert report.problems[0].message == "Entry 2 is missing: it was deleted."


def test_inserted_entry_is_reported(chain):
    """A forger re-hashes a replacement entry: its own hash is right, its link is not."""
    from yangguang.records.chain import EntryContent

    original = chain[2]
    forged = EntryContent(
        sequence=3,
        recorded_at=original.recorded_at,
        actor_id=None,
        actor_name="",
        actor_unit_id=None,
        unit_id=None,
        object_type=TARGET.object_type,
        object_id=TARGET.object_id,
        object_repr=TARGET.object_repr,
        action="config.update",
        changes={"n": [2, 3]},
        personal={},
        reason="",
        client_ip="",
        client_device="",
        evidence=[],
        prev_hash="f" * 64,
    )
    raw(
        "UPDATE records_recordentry SET reason = '', changes = %s, personal = %s, "
        "prev_hash = %s, entry_hash = %s WHERE sequence = 3",
        ['{"n": [2, 3]}', "{}", forged.prev_hash, forged.hash()],
    )
    assert [(p.kind, p.sequence) for p in chain_verify().problems] == [("inserted", 3)]


def test_verify_command_exits_non_zero_and_names_the_entry(chain, capsys):
    raw("UPDATE records_recordentry SET reason = 'x' WHERE sequence = 4", [])
    with pytest.raises(CommandError):
        call_command("verify_records")
    assert "Entry 4 was altered" in capsys.readouterr().err


def test_verify_command_reports_an_intact_chain(chain, capsys):
    call_command("verify_records")
    assert "Chain intact: 5 entries" in capsys.readouterr().out


def test_time_never_goes_backwards_along_the_chain(chain):
    times = [e.recorded_at for e in RecordEntry.objects.order_by("sequence")]
    assert times == sorted(times)


def test_record_rolls_back_with_the_change(db):
    from django.db import transaction

    def change_that_fails() -> None:
        with transaction.atomic():
            record_append(action="config.update", target=TARGET, actor=None)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert RecordEntry.objects.count() == 0
    assert record_append(action="config.update", target=TARGET, actor=None).sequence == 1


def test_daily_digests_close_each_finished_day(chain):
    """Days are the bureau's days (Asia/Shanghai), whatever the hour in UTC."""
    first_day = timezone.localtime(chain[0].recorded_at).date()
    today = first_day + datetime.timedelta(days=3)
    closed = digests_close(today=today)
    assert len(closed) >= 3
    assert closed[-1].head_hash == chain[-1].entry_hash
    assert digests_close(today=today) == []
    assert chain_verify().digests == len(closed)


def test_digest_catches_a_rewritten_history(chain):
    """Rewriting the whole chain from one entry on leaves it self-consistent; the daily
    digest (kept elsewhere too) no longer matches."""
    day = timezone.localtime(chain[0].recorded_at).date()
    digests_close(today=day + datetime.timedelta(days=2))
    raw("UPDATE records_dailydigest SET head_hash = %s", ["0" * 63 + "1"])
    report = chain_verify()
    assert [p.kind for p in report.problems] == ["digest"]


def test_digests_export_as_csv(chain, capsys):
    digests_close(
        today=timezone.localtime(chain[0].recorded_at).date() + datetime.timedelta(days=2)
    )
    call_command("export_digests")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "day,last_sequence,head_sha256"
    assert lines[1].endswith(DailyDigest.objects.order_by("day").first().head_hash)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement", ["UPDATE records_recordentry SET reason = 'x'", "DELETE FROM records_recordentry"]
)
def test_postgresql_refuses_update_and_delete(chain, statement):
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert RecordEntry.objects.count() == 5
