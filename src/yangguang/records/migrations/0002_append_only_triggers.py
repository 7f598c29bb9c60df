"""On PostgreSQL, refuse UPDATE and DELETE on the record log, its digests and the
evidence tables. (SQLite has no such guard; ``yangguang verify-records`` detects any
change there.) TRUNCATE stays possible for the database owner, e.g. test teardown."""

from django.db import migrations

TABLES = [
    "records_recordentry",
    "records_dailydigest",
    "records_evidence",
    "records_evidencelink",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION records_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION records_refuse_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS records_refuse_change()")


class Migration(migrations.Migration):
    dependencies = [("records", "0001_record_log_digests_evidence")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
