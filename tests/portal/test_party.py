"""Party access (非接触式执法): a secret link by text message, a one-time code, then the
documents served, the statement with attachments, the hearing request, the consent to
electronic service and the payment instructions — all recorded."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.cases.conftest import reviewed_case
from tests.cases.helpers import P, at, go
from tests.notify.helpers import worker_round
from yangguang.cases.models import Statement
from yangguang.cases.party import party_access_issue
from yangguang.notify.models import Message
from yangguang.records.models import EvidenceLink, RecordEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(people, time_machine):
    """A case of an individual (fine 6,000: a hearing is offered, no legal review or
    discussion needed), notified just now — "now" pinned to a working Tuesday, the
    clock ticking from there (codes last minutes, hearings are asked within days)."""
    time_machine.move_to(at(2026, 11, 3, 10))
    case = reviewed_case(people, fine="6000", day=(2026, 11, 2))
    return go(case, "notify", P.OFFICER, people, now=timezone.now())


@pytest.fixture
def people(certified):
    from tests.cases.helpers import load_catalogue

    load_catalogue()
    return certified


def link_of(case, people) -> str:
    access = party_access_issue(case_id=case.pk, actor=people[P.OFFICER])
    return reverse("portal:party", args=[access.token])


def last_code() -> str:
    """The code as the party's phone receives it (the outbox keeps it as ***): the
    worker's round hands it to the SMS gateway."""
    secret = [sms.text for sms in worker_round() if sms.text != sms.masked_text][-1]
    return re.search(r"(?<![\d-])(\d{6})(?!\d)", secret)[1]


def verified_client(client, url):
    client.post(url, {"step": "send_code"})
    client.post(url, {"step": "verify", "code": last_code()})
    return client


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue(), content_type="image/png")


def test_the_link_goes_by_sms_and_a_new_link_replaces_the_old(client, notified, people):
    first = link_of(notified, people)
    message = Message.objects.get(purpose="party_link")
    assert first not in message.body  # masked at rest (等保2.0 GB/T 22239-2019 8.1.4.8)
    assert any(first in sms.text for sms in worker_round())
    assert message.phone == notified.party_phone
    second = link_of(notified, people)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_without_the_code_nothing_of_the_case_is_shown(client, notified, people):
    page = client.get(link_of(notified, people)).content.decode()
    assert notified.number in page
    assert notified.party_name not in page
    assert "行政处罚事先告知书" not in page


def test_a_wrong_code_is_refused_and_the_right_one_opens_the_case(client, notified, people):
    url = link_of(notified, people)
    client.post(url, {"step": "send_code"})
    assert client.post(url, {"step": "verify", "code": "000000x"}).status_code == 400
    client.post(url, {"step": "verify", "code": last_code()})
    page = client.get(url).content.decode()
    assert "行政处罚事先告知书" in page
    notice = notified.documents.get(kind="prior_notice")
    pdf = client.get(reverse("portal:party_document", args=[url.split("/")[2], notice.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_codes_are_sent_at_most_once_a_minute(client, notified, people):
    url = link_of(notified, people)
    client.post(url, {"step": "send_code"})
    assert client.post(url, {"step": "send_code"}).status_code == 409
    assert Message.objects.filter(purpose="party_code").count() == 1


def test_the_party_states_their_case_with_an_attachment_and_it_is_recorded(
    client, notified, people
):
    url = link_of(notified, people)
    verified_client(client, url)
    response = client.post(url, {"step": "statement", "text": "我已整改完毕", "files": [png()]})
    assert response.status_code == 302
    statement = Statement.objects.get(case=notified)
    assert statement.by_party_link
    assert EvidenceLink.objects.filter(
        object_type="cases.case", object_id=str(notified.pk)
    ).exists()
    # The procedure's own step, taken by the party (one writer: case_transition).
    entry = RecordEntry.objects.get(action="case.record_statement")
    assert entry.actor_id is None
    assert entry.reason == "当事人通过办案链接提交"  # the page speaks Chinese
    assert entry.evidence
    assert notified.documents.filter(kind="statement_record").exists()


def test_an_executable_attachment_is_refused_and_nothing_is_written(client, notified, people):
    url = link_of(notified, people)
    verified_client(client, url)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(url, {"step": "statement", "text": "见附件", "files": [fake]})
    assert response.status_code == 400
    assert not Statement.objects.exists()
    assert not RecordEntry.objects.filter(action="case.record_statement").exists()


def test_the_party_requests_a_hearing_within_5_working_days(client, notified, people):
    url = link_of(notified, people)
    verified_client(client, url)
    assert client.post(url, {"step": "hearing"}).status_code == 302
    notified.refresh_from_db()
    assert notified.status == "hearing_requested"


def test_steps_need_the_code_first(client, notified, people):
    url = link_of(notified, people)
    assert client.post(url, {"step": "consent"}).status_code == 403
    notified.refresh_from_db()
    assert not notified.electronic_consent


def test_consent_allows_electronic_service_of_the_decision(client, notified, people):
    url = link_of(notified, people)
    verified_client(client, url)
    client.post(url, {"step": "consent"})
    notified.refresh_from_db()
    assert notified.electronic_consent
    assert RecordEntry.objects.filter(action="case.electronic_consent").count() == 1


def test_after_5_working_days_the_hearing_request_is_refused_citing_article_64(notified, people):
    from yangguang.cases.context import ProcedureRefused
    from yangguang.cases.party import party_hearing_request

    access = party_access_issue(case_id=notified.pk, actor=people[P.OFFICER])
    late = notified.notified_at + datetime.timedelta(days=12)
    with pytest.raises(ProcedureRefused, match="第六十四条"):
        party_hearing_request(access=access, now=late)


def test_more_attachments_than_the_bound_are_refused_and_nothing_is_written(
    client, notified, people
):
    """Every list input is bounded (OWASP ASVS 4.0 V5.1.4, issue 10 §5): eleven files are
    refused before any is typed, hashed and stored."""
    url = link_of(notified, people)
    verified_client(client, url)

    response = client.post(
        url, {"step": "statement", "text": "见附件", "files": [png() for _ in range(11)]}
    )

    assert response.status_code == 400
    assert "最多附加 10 个文件" in response.content.decode()
    assert not Statement.objects.exists()
    assert not EvidenceLink.objects.exists()
