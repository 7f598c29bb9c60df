"""Reports registered before public summaries existed get the default one: category and
street-level location ("占道经营 · 东街道一社区"), as ``reports.public.public_summary_default``
proposes — never the reporter's words (个人信息保护法 art 6; 等保2.0 8.1.4.10). The reverse
empties them again.

The rule is copied here, not imported: a migration must keep doing what it did when it
was written, whatever the application code becomes."""

from django.db import migrations

# Problems that went through registration (受理). Merged reports are never public, and
# a problem is closed only after registration (answer refuses problems).
REGISTERED = [
    "registered",
    "returned",
    "dispatched",
    "in_progress",
    "delay_requested",
    "shelve_requested",
    "shelved",
    "handled",
    "verified",
    "closed",
]
BATCH = 2000
MAX_LENGTH = 200


def _default(report) -> str:
    location = (report.street.name if report.street_id else "") + (
        report.community.name if report.community_id else ""
    )
    parts = [report.category.name if report.category_id else "", location]
    return " · ".join(part for part in parts if part)[:MAX_LENGTH]


def set_default_summaries(apps, schema_editor):
    """In pages by primary key (SQLite does not isolate an open cursor from the updates
    made beside it)."""
    Report = apps.get_model("reports", "Report")
    pending = (
        Report.objects.filter(kind="problem", status__in=REGISTERED, public_summary="")
        .select_related("category", "street", "community")
        .only("category__name", "street__name", "community__name")
        .order_by("pk")
    )
    last = 0
    while batch := list(pending.filter(pk__gt=last)[:BATCH]):
        for report in batch:
            report.public_summary = _default(report)
        Report.objects.bulk_update(batch, ["public_summary"])
        last = batch[-1].pk


def clear_summaries(apps, schema_editor):
    apps.get_model("reports", "Report").objects.exclude(public_summary="").update(public_summary="")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_report_public_summary"),
    ]

    operations = [migrations.RunPython(set_default_summaries, clear_summaries)]
