"""One-time party codes are kept as an HMAC keyed by the server's secret instead of a
plain SHA-256 (which a copy of the table reverses in a second: there are 10⁶ codes).
Codes hashed the old way are dropped; they lived ten minutes anyway, and the party asks
for a new one."""

from django.db import migrations, models


def drop_unkeyed_codes(apps, schema_editor):
    PartyAccess = apps.get_model("cases", "PartyAccess")
    PartyAccess.objects.exclude(code_hash="").update(code_hash="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_several_violations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partyaccess",
            name="code_hash",
            field=models.CharField(
                blank=True,
                help_text="HMAC-SHA256 of the last code sent, keyed by SECRET_KEY; never the code",
                max_length=64,
            ),
        ),
        # Reverse: nothing to restore (an expired code is not brought back).
        migrations.RunPython(drop_unkeyed_codes, migrations.RunPython.noop),
    ]
