"""Secrets in text messages (等保2.0 GB/T 22239-2019 8.1.4.8 数据保密性, 8.1.4.10 个人信息
保护; 个人信息保护法 第五十一条): one-time codes and link tokens reach the phone, but the
outbox stores them masked and keeps the full text only until the message is sent, fails
or expires; the logging gateway writes no full phone number, code or token; the party's
code is kept as a keyed hash, checked in constant time."""

import datetime
import hashlib
import importlib
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.cases.conftest import reviewed_case
from tests.cases.helpers import P, at, go, load_catalogue
from tests.notify.conftest import NOW
from tests.notify.helpers import worker_round
from yangguang.cases.models import PartyAccess
from yangguang.cases.party import party_access_issue, party_code_check, party_code_send
from yangguang.notify.models import MASK, Message, MessageStatus
from yangguang.notify.services import message_enqueue, message_retry, messages_send

pytestmark = pytest.mark.django_db

PHONE = "13800000001"
CODE = "493817"
TOKEN = "Zq8xK2mN4pR7sT1vW3yB5dF6gH9jL0cE"
TEXT = f"Your code is {CODE}. Follow it at http://127.0.0.1:8000/track/{TOKEN}/"


def queue_secret(**kwargs) -> Message:
    return message_enqueue(
        phone=PHONE, body=TEXT, purpose="receipt", secrets=[CODE, TOKEN], now=NOW, **kwargs
    )


def test_the_outbox_stores_codes_and_tokens_masked_and_the_full_text_only_until_sent():
    message = queue_secret()
    assert message.body == f"Your code is {MASK}. Follow it at http://127.0.0.1:8000/track/{MASK}/"
    assert message.secret_body == TEXT
    [sms] = worker_round(now=NOW)
    assert (sms.text, sms.masked_text) == (TEXT, message.body)
    message.refresh_from_db()
    assert (message.status, message.secret_body) == (MessageStatus.SENT, "")
    stored = " ".join(str(value) for value in Message.objects.values().get().values())
    assert CODE not in stored
    assert TOKEN not in stored


def test_a_code_not_sent_before_it_expires_is_failed_and_its_secret_cleared():
    message = queue_secret(secret_expires_at=NOW + datetime.timedelta(minutes=10))
    assert worker_round(now=NOW + datetime.timedelta(minutes=10)) == []
    message.refresh_from_db()
    assert (message.status, message.secret_body, message.last_error) == (
        MessageStatus.FAILED,
        "",
        "expired before it could be sent",
    )


def test_a_secret_must_be_in_the_text_it_is_masked_in():
    with pytest.raises(ValueError, match="not in the text"):
        message_enqueue(phone=PHONE, body="no code here", purpose="t", secrets=[CODE], now=NOW)


def test_the_logging_gateway_writes_no_phone_number_code_or_link_token(caplog, settings):
    """The default gateway (no SMS contract) logs the message masked: 138****0001, ***."""
    settings.SMS_GATEWAY = "logging"
    queue_secret()
    with caplog.at_level(logging.INFO, logger="yangguang"):
        assert messages_send(now=NOW) == 1
    assert "SMS to 138****0001" in caplog.text
    assert f"Your code is {MASK}." in caplog.text
    for secret in (PHONE, CODE, TOKEN):
        assert secret not in caplog.text


def test_a_failure_for_good_is_logged_with_the_number_masked(caplog, settings):
    settings.SMS_GATEWAY = "tests.notify.test_worker.FailingGateway"
    settings.SMS_MAX_ATTEMPTS = 1
    queue_secret()
    with caplog.at_level(logging.INFO, logger="yangguang"):
        messages_send(now=NOW)
    assert "failed for good" in caplog.text
    assert "138****0001" in caplog.text
    for secret in (PHONE, CODE, TOKEN):
        assert secret not in caplog.text


def test_a_failed_message_that_carried_a_secret_cannot_be_sent_again(settings, sent):
    """Its code or link is gone; staff issue a new one. A plain message can be."""
    settings.SMS_MAX_ATTEMPTS = 1
    settings.SMS_GATEWAY = "tests.notify.test_worker.FailingGateway"
    secret = queue_secret()
    plain = message_enqueue(phone=PHONE, body="Your report is closed.", purpose="reply", now=NOW)
    messages_send(now=NOW)
    with pytest.raises(ValidationError):
        message_retry(message=secret, now=NOW)
    message_retry(message=plain, now=NOW)
    plain.refresh_from_db()
    assert (plain.status, plain.attempts) == (MessageStatus.PENDING, 0)
    assert sent == []  # queued again, sent by the worker


@pytest.fixture
def notified(certified, time_machine):
    """A case whose party (an individual with a mobile number) was just notified, "now"
    pinned to the working day after the case was reviewed."""
    time_machine.move_to(at(2026, 11, 3, 10))
    load_catalogue()
    case = reviewed_case(certified, fine="6000", day=(2026, 11, 2))
    return go(case, "notify", P.OFFICER, certified, now=timezone.now())


def test_the_party_code_is_kept_as_a_keyed_hash_and_masked_in_the_outbox(notified, certified):
    """A plain SHA-256 of a six-digit code is reversed by trying 10⁶ values; the kept
    hash is an HMAC under the server's secret, bound to the link."""
    access = party_access_issue(case_id=notified.pk, actor=certified[P.OFFICER])
    now = timezone.now()
    party_code_send(access=access, now=now)
    sms = [sms for sms in worker_round(now=now) if "code" in sms.text][-1]
    code = re.search(r"(?<![\d-])(\d{6})(?!\d)", sms.text)[1]
    kept = PartyAccess.objects.get(pk=access.pk)
    assert kept.code_hash
    assert kept.code_hash != hashlib.sha256(code.encode()).hexdigest()
    for message in Message.objects.filter(purpose__in=["party_code", "party_link"]):
        assert code not in message.body + message.secret_body
        assert access.token not in message.body + message.secret_body
        assert MASK in message.body
    assert party_code_check(access=kept, code=code, now=now) is True


def test_a_party_code_is_no_good_on_another_link_of_the_same_phone(notified, certified):
    first = party_access_issue(case_id=notified.pk, actor=certified[P.OFFICER])
    now = timezone.now()
    party_code_send(access=first, now=now)
    code = re.search(r"(?<![\d-])(\d{6})(?!\d)", worker_round(now=now)[-1].text)[1]
    other = PartyAccess.objects.create(
        case=notified,
        token_hash="0" * 64,
        phone=first.phone,
        created_by=certified[P.OFFICER],
        code_hash=PartyAccess.objects.get(pk=first.pk).code_hash,
        code_sent_at=now,
    )
    assert party_code_check(access=other, code=code, now=now) is False


def test_messages_stored_before_masking_are_masked_by_the_migration():
    """Rows written in plain text before 0002: sent ones lose their secrets for good,
    waiting ones keep the full text only until they are sent."""
    from django.apps import apps

    migration = importlib.import_module(
        "yangguang.notify.migrations.0002_claims_and_masked_secrets"
    )
    link = "http://127.0.0.1:8000/party/Zq8xK2mN4pR7sT1vW3yB5dF6gH9jL0cE/"
    old = {
        "code": ("party_code", "您查阅案件2026-00001的验证码为493817，10分钟内有效。"),
        "link": ("party_link", f"Case 2026-00001: state your case at {link}"),
        "reply": ("reply", "您反映的问题已处理完毕。"),
    }
    rows = {
        key: Message.objects.create(
            phone=PHONE,
            body=body,
            purpose=purpose,
            status=MessageStatus.PENDING if key == "link" else MessageStatus.SENT,
            next_attempt_at=NOW,
            created_at=NOW,
        )
        for key, (purpose, body) in old.items()
    }
    migration.mask_stored_secrets(apps, None)
    for row in rows.values():
        row.refresh_from_db()
    assert (rows["code"].body, rows["code"].secret_body) == (
        "您查阅案件2026-00001的验证码为***，10分钟内有效。",
        "",
    )
    assert (
        rows["link"].body == "Case 2026-00001: state your case at http://127.0.0.1:8000/party/***/"
    )
    assert (rows["link"].secret_body, rows["link"].has_secret) == (old["link"][1], True)
    assert (rows["reply"].body, rows["reply"].has_secret) == (old["reply"][1], False)
