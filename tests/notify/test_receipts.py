"""Delivery receipts (状态报告): the SMS platform calls ``POST /sms/receipts/`` with the
shared token; a receipt marks the message delivered or failed (then staff see it),
once — a receipt sent again changes nothing — and a bad batch writes nothing."""

import json

import pytest
from django.urls import reverse

from tests.notify.conftest import NOW
from tests.notify.helpers import worker_round
from yangguang.notify.models import Message, MessageStatus
from yangguang.notify.services import message_enqueue

pytestmark = pytest.mark.django_db

TOKEN = "receipts-shared-token-0123456789"


@pytest.fixture
def receipts(settings, client):
    settings.SMS_RECEIPT_TOKEN = TOKEN

    def post(payload, *, token=TOKEN):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return client.post(
            reverse("sms_receipts"),
            data=json.dumps(payload),
            content_type="application/json",
            headers=headers,
        )

    return post


@pytest.fixture
def sent_message() -> tuple[Message, str]:
    message = message_enqueue(phone="13900000001", body="您的回复", purpose="reply", now=NOW)
    [sms] = worker_round(now=NOW)
    return message, sms.reference


def test_a_delivery_receipt_marks_the_message_delivered_and_a_repeat_changes_nothing(
    receipts, sent_message, now
):
    message, reference = sent_message
    receipt = {"reference": reference, "status": "delivered"}
    first = receipts(receipt)
    assert (first.status_code, first.json()) == (200, {"updated": 1, "unchanged": 0, "unknown": 0})
    message.refresh_from_db()
    assert (message.status, message.delivered_at) == (MessageStatus.DELIVERED, now)
    again = receipts([receipt, {**receipt, "status": "failed", "error": "late"}])
    assert again.json() == {"updated": 0, "unchanged": 2, "unknown": 0}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


def test_a_failure_receipt_fails_the_message_where_staff_see_it(receipts, sent_message):
    message, reference = sent_message
    assert receipts({"reference": reference, "status": "failed", "error": "空号"}).json() == {
        "updated": 1,
        "unchanged": 0,
        "unknown": 0,
    }
    message.refresh_from_db()
    assert (message.status, message.last_error) == (MessageStatus.FAILED, "空号")
    assert receipts({"reference": reference, "status": "failed", "error": "空号"}).json() == {
        "updated": 0,
        "unchanged": 1,
        "unknown": 0,
    }


def test_a_receipt_for_an_unknown_reference_is_counted_not_refused(receipts, sent_message):
    response = receipts({"reference": "no-such-reference", "status": "delivered"})
    assert (response.status_code, response.json()["unknown"]) == (200, 1)
    assert sent_message[0].__class__.objects.get().status == MessageStatus.SENT


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_receipts_need_the_shared_token(receipts, sent_message, token):
    message, reference = sent_message
    response = receipts({"reference": reference, "status": "delivered"}, token=token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_without_a_configured_token_there_is_no_receipt_endpoint(client, settings):
    settings.SMS_RECEIPT_TOKEN = ""
    response = client.post(
        reverse("sms_receipts"),
        data="{}",
        content_type="application/json",
        headers={"Authorization": "Bearer "},
    )
    assert response.status_code == 404


def test_a_bad_receipt_in_a_batch_is_named_and_nothing_is_recorded(receipts, sent_message):
    message, reference = sent_message
    response = receipts(
        [{"reference": reference, "status": "delivered"}, {"reference": "", "status": "read"}]
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], sorted(error["fields"])) == ("invalid", ["1.reference", "1.status"])
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


@pytest.mark.parametrize("body", [b"not json", b"[]", b"42"])
def test_a_body_that_is_not_receipts_is_refused(receipts, settings, client, body):
    response = client.post(
        reverse("sms_receipts"),
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
