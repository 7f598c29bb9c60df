"""The outbox's worker: a request only writes the message row; the worker claims messages
in a short transaction, calls the SMS gateway outside any transaction, retries with
back-off and gives up after the configured attempts, where staff see it. Two workers
never send one message twice; a worker that dies mid-send leaves its messages to be
claimed again once its lease has lapsed."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from tests.notify.conftest import NOW
from tests.reports.helpers import INSIDE
from yangguang.notify.gateways import GatewayError, MemoryGateway
from yangguang.notify.models import Message, MessageStatus
from yangguang.notify.services import LEASE, message_enqueue, messages_send
from yangguang.org.enums import PostCode

SECOND = datetime.timedelta(seconds=1)
MINUTE = datetime.timedelta(minutes=1)


class FailingGateway:
    """The SMS platform answers 503 every time."""

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        raise GatewayError("HTTP 503")


class WorkerKilled(BaseException):
    """The worker process dies (SIGKILL, power) while the platform is being called."""


class DyingGateway:
    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        raise WorkerKilled


class SecondWorkerGateway(MemoryGateway):
    """While the first worker is in its first gateway call, a second worker runs a round."""

    second_round: list[int] = []

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        if not self.second_round:
            self.second_round.append(-1)
            self.second_round[0] = messages_send(now=NOW + SECOND)
        return super().send(phone=phone, text=text, masked_text=masked_text)


class SlowGateway(MemoryGateway):
    """Takes a while per message, and notes which worker thread sent it."""

    threads: list[str] = []

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        time.sleep(0.02)
        self.threads.append(threading.current_thread().name)
        return super().send(phone=phone, text=text, masked_text=masked_text)


def queue(n: int = 0, *, at: datetime.datetime = NOW) -> Message:
    return message_enqueue(phone=f"1390000{n:04d}", body=f"message {n}", purpose="test", now=at)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_gateway_is_called_by_the_worker_outside_any_transaction(sent):
    """Queued inside the change's transaction, nothing is sent at commit; the worker's
    round hands it over with no transaction open (no locks held over a network call)."""
    with transaction.atomic():
        queue(1)
    assert sent == []
    assert messages_send(now=NOW + SECOND) == 1
    assert [(sms.text, sms.in_transaction) for sms in sent] == [("message 1", False)]
    assert Message.objects.get().status == MessageStatus.SENT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizens_report_request_writes_the_message_and_never_calls_the_gateway(
    client, city, sent
):
    """The public report form answers without waiting for the SMS platform; the receipt
    with the tracking link leaves with the worker."""
    response = client.post(
        reverse("portal:report"),
        {
            "kind": "problem",
            "category": city.lamp.pk,
            "description": "路灯不亮",
            "address": "一社区门口",
            "name": "王小明",
            "phone": "13912345678",
            **INSIDE,
        },
    )
    assert response.status_code == 302
    assert sent == []
    assert Message.objects.get().status == MessageStatus.PENDING
    messages_send()
    assert [(sms.phone, sms.in_transaction) for sms in sent] == [("13912345678", False)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sending_inside_a_transaction_is_refused(sent):
    queue(1)
    with transaction.atomic(), pytest.raises(RuntimeError):
        messages_send(now=NOW + SECOND)
    assert sent == []


@pytest.mark.django_db
def test_a_second_worker_during_a_send_claims_nothing_the_first_holds(settings):
    """The claim is the lock: a round started while another is between claim and outcome
    takes only what that one did not claim (SQLite: the conditional UPDATE; PostgreSQL:
    SKIP LOCKED), and every message is sent exactly once."""
    settings.SMS_GATEWAY = "tests.notify.test_worker.SecondWorkerGateway"
    SecondWorkerGateway.second_round.clear()
    MemoryGateway.sent.clear()
    for n in range(3):
        queue(n)
    assert messages_send(limit=2, now=NOW + SECOND) == 2
    assert SecondWorkerGateway.second_round == [1]
    assert sorted(sms.text for sms in MemoryGateway.sent) == ["message 0", "message 1", "message 2"]
    assert set(Message.objects.values_list("status", "attempts")) == {(MessageStatus.SENT, 1)}
    MemoryGateway.sent.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_on_postgresql_send_each_message_exactly_once(settings):
    """SELECT … FOR UPDATE SKIP LOCKED: two workers running rounds side by side over 60
    messages both send, and no message goes out twice."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL claim (SKIP LOCKED); SQLite has one writer")
    settings.SMS_GATEWAY = "tests.notify.test_worker.SlowGateway"
    MemoryGateway.sent.clear()
    SlowGateway.threads.clear()
    for n in range(60):
        queue(n)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            while messages_send(limit=5, now=NOW + SECOND):
                pass
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, name=f"worker-{n}") for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    texts = [sms.text for sms in MemoryGateway.sent]
    assert sorted(texts) == sorted(f"message {n}" for n in range(60))
    assert set(SlowGateway.threads) == {"worker-0", "worker-1"}
    assert not any(sms.in_transaction for sms in MemoryGateway.sent)
    assert set(Message.objects.values_list("status", "attempts")) == {(MessageStatus.SENT, 1)}
    MemoryGateway.sent.clear()


@pytest.mark.django_db
def test_a_message_claimed_by_a_worker_that_died_is_claimed_again_after_the_lease(settings, sent):
    """A crash between the claim and the outcome leaves the message claimed; no worker
    takes it while the lease runs, and the next worker after it takes it and sends it."""
    message = queue(1)
    settings.SMS_GATEWAY = "tests.notify.test_worker.DyingGateway"
    with pytest.raises(WorkerKilled):
        messages_send(now=NOW)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claimed_at) == (
        MessageStatus.PENDING,
        1,
        NOW,
    )
    settings.SMS_GATEWAY = "memory"
    assert messages_send(now=NOW + LEASE - SECOND) == 0
    assert messages_send(now=NOW + LEASE + SECOND) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.claim_token) == (MessageStatus.SENT, 2, "")
    assert [sms.text for sms in sent] == ["message 1"]


@pytest.mark.django_db
def test_failures_back_off_from_a_minute_doubling_to_an_hour_then_the_message_fails(settings):
    settings.SMS_GATEWAY = "tests.notify.test_worker.FailingGateway"
    settings.SMS_MAX_ATTEMPTS = 9
    message = queue(1)
    waits = []
    at = NOW
    for _ in range(8):
        assert messages_send(now=at) == 1
        message.refresh_from_db()
        waits.append(message.next_attempt_at - at)
        assert messages_send(now=message.next_attempt_at - SECOND) == 0  # not before its time
        at = message.next_attempt_at
    assert waits == [MINUTE * m for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert messages_send(now=at) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        MessageStatus.FAILED,
        9,
        "HTTP 503",
    )
    assert messages_send(now=at + LEASE * 100) == 0


@pytest.mark.django_db
def test_a_message_whose_last_attempt_died_with_its_worker_fails_after_the_lease(settings):
    settings.SMS_MAX_ATTEMPTS = 1
    settings.SMS_GATEWAY = "tests.notify.test_worker.DyingGateway"
    message = queue(1)
    with pytest.raises(WorkerKilled):
        messages_send(now=NOW)
    settings.SMS_GATEWAY = "memory"
    assert messages_send(now=NOW + LEASE + SECOND) == 0
    message.refresh_from_db()
    assert (message.status, message.claim_token) == (MessageStatus.FAILED, "")


@pytest.mark.django_db
def test_a_message_that_failed_for_good_is_listed_for_the_shift_leader_masked(
    client, city, settings
):
    """Staff see what did not go out — the number masked, the code as *** — so they can
    call the reporter instead (个人信息保护法 第五十一条)."""
    settings.SMS_GATEWAY = "tests.notify.test_worker.FailingGateway"
    settings.SMS_MAX_ATTEMPTS = 1
    message_enqueue(
        phone="13800000001",
        body="Your code is 493817.",
        purpose="party_code",
        secrets=["493817"],
        now=NOW,
    )
    messages_send(now=NOW)
    client.force_login(city.people[PostCode.SHIFT_LEAD])
    page = client.get(reverse("backoffice:outbox")).content.decode()
    assert "138****0001" in page
    assert "Your code is ***." in page
    assert "13800000001" not in page
    assert "493817" not in page
    assert 'name="message"' not in page  # the code is gone: no retry, a new code instead
