"""On PostgreSQL, refuse TRUNCATE on the record log, its digests and the evidence tables.

Migration 0002's row triggers refuse UPDATE and DELETE, but TRUNCATE fires no row
trigger: ``TRUNCATE records_recordentry, records_dailydigest, records_evidencelink,
records_evidence CASCADE`` by any role with table rights emptied the record without a
trace. A statement trigger on each table refuses it (also when reached through CASCADE
from another table). A superuser can still switch triggers off; ``verify-records``
then finds the emptied or shortened chain against its anchor (records/anchor.py).

Test teardown truncates every table: tests/conftest.py switches triggers off for that
(``session_replication_role = replica``, superuser only) after transactional tests.
"""

from django.db import migrations

TABLES = [
    "records_recordentry",
    "records_dailydigest",
    "records_evidence",
    "records_evidencelink",
]


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        # records_refuse_change() comes from 0002: it raises naming the table and TG_OP.
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION records_refuse_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


class Migration(migrations.Migration):
    dependencies = [("records", "0002_append_only_triggers")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
