"""Certificates get 执法类别/区域 and a random key for their public identity page (each
existing certificate its own, drawn here); officers get an optional photo."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import yangguang.org.models


def draw_card_tokens(apps, schema_editor):
    certificate_model = apps.get_model("org", "Certificate")
    for certificate in certificate_model.objects.filter(card_token__isnull=True).only("pk"):
        certificate.card_token = yangguang.org.models.card_token_new()
        certificate.save(update_fields=["card_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_unit_electronic_seal"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="enforcement_category",
            field=models.CharField(
                blank=True,
                help_text="执法类别 as printed on the card, e.g. 城市管理综合执法.",
                max_length=50,
                verbose_name="enforcement category",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="enforcement_area",
            field=models.CharField(
                blank=True,
                help_text="执法区域, e.g. 阳光区 or the squadron's sub-districts.",
                max_length=100,
                verbose_name="enforcement area",
            ),
        ),
        # Null first, one random key per existing row, then unique and required: a
        # callable default on AddField would give every existing row the same value.
        migrations.AddField(
            model_name="certificate",
            name="card_token",
            field=models.CharField(editable=False, max_length=32, null=True),
        ),
        migrations.RunPython(draw_card_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="card_token",
            field=models.CharField(
                default=yangguang.org.models.card_token_new,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="identity page key",
            ),
        ),
        migrations.CreateModel(
            name="OfficerPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("image", models.BinaryField(editable=False, verbose_name="image")),
                ("sha256", models.CharField(editable=False, max_length=64, verbose_name="SHA-256")),
                ("width", models.PositiveIntegerField(editable=False, verbose_name="width (px)")),
                ("height", models.PositiveIntegerField(editable=False, verbose_name="height (px)")),
                ("updated_at", models.DateTimeField(editable=False, verbose_name="updated at")),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="officer_photo",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="officer",
                    ),
                ),
            ],
            options={
                "verbose_name": "officer's photo",
                "verbose_name_plural": "officers' photos",
            },
        ),
    ]
