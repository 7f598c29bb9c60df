"""Workers claim messages (claimed_at, claim_token) before sending them outside any
transaction; one-time codes and link tokens are masked in the stored text, and the full
text is kept only while a message waits (secret_body). Messages written before this
migration had their secrets in plain text: they are masked here, and the full text is
kept (as secret_body) only for those still waiting to be sent."""

import re

from django.db import migrations, models

SECRET_PATTERNS = {
    # The one-time code of a party: "… is 123456." / "…验证码为123456，…"
    "party_code": re.compile(r"(?<=is )\d{6}(?!\d)|(?<=验证码为)\d{6}(?!\d)"),
    # Secret links: /party/<token>/ and /track/<token>/
    "party_link": re.compile(r"(?<=/party/)[^/\s]+(?=/)"),
    "receipt": re.compile(r"(?<=/track/)[^/\s]+(?=/)"),
}


def mask_stored_secrets(apps, schema_editor):
    Message = apps.get_model("notify", "Message")
    for purpose, pattern in SECRET_PATTERNS.items():
        for message in Message.objects.filter(purpose=purpose).iterator():
            masked = pattern.sub("***", message.body)
            if masked == message.body:
                continue
            message.secret_body = message.body if message.status == "pending" else ""
            message.body, message.has_secret = masked, True
            message.save(update_fields=["body", "secret_body", "has_secret"])


def unmask_waiting(apps, schema_editor):
    """Back to one text column: the waiting messages get their full text back (the
    others' secrets are gone for good, as they should be)."""
    Message = apps.get_model("notify", "Message")
    for message in Message.objects.exclude(secret_body="").iterator():
        message.body = message.secret_body
        message.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [
        ("notify", "0001_outbox_messages"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="claim_token",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="message",
            name="claimed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="message",
            name="has_secret",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="message",
            name="secret_body",
            field=models.CharField(blank=True, editable=False, max_length=500),
        ),
        migrations.AddField(
            model_name="message",
            name="secret_expires_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("status", "pending"), ("secret_body", ""), _connector="OR"),
                name="notify_secret_only_while_pending",
            ),
        ),
        migrations.AddConstraint(
            model_name="message",
            constraint=models.CheckConstraint(
                condition=models.Q(("has_secret", True), ("secret_body", ""), _connector="OR"),
                name="notify_secret_body_flagged",
            ),
        ),
        migrations.RunPython(mask_stored_secrets, unmask_waiting),
    ]
