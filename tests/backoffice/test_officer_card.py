"""The 执法公示卡 download on the staff page: the security administrator's, for a
certificate valid today."""

import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from pypdf import PdfReader

from yangguang.org.enums import CertificateStatus, PostCode
from yangguang.org.services import certificate_update

NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def card(certified, time_machine):
    time_machine.move_to(NOW, tick=False)
    certificate = certified[PostCode.OFFICER].certificates.get()
    return certificate, reverse("backoffice:officer_card", args=[certificate.pk])


def test_the_security_administrator_downloads_the_card_from_the_staff_page(client, certified, card):
    certificate, url = card
    client.force_login(certified[PostCode.SECURITY_ADMIN])

    staff = client.get(reverse("backoffice:staff")).content.decode()
    a4 = client.get(url)
    small = client.get(url, {"layout": "card"})

    assert url in staff
    assert a4.status_code == 200
    assert a4["Content-Type"] == "application/pdf"
    assert certificate.number in PdfReader(io.BytesIO(a4.content)).pages[0].extract_text()
    assert len(PdfReader(io.BytesIO(small.content)).pages) == 2


@pytest.mark.parametrize("post", [PostCode.OFFICER, PostCode.SQUAD_LEADER, PostCode.SYSTEM_ADMIN])
def test_other_posts_get_no_card(client, certified, card, post):
    _certificate, url = card
    client.force_login(certified[post])
    assert url not in client.get(reverse("backoffice:staff")).content.decode()
    assert client.get(url).status_code == 403


def test_a_certificate_not_valid_today_gets_no_card_but_a_message(client, certified, card):
    certificate, url = card
    certificate_update(
        certificate=certificate,
        number=certificate.number,
        issuing_authority=certificate.issuing_authority,
        valid_from=certificate.valid_from,
        valid_to=certificate.valid_to,
        status=CertificateStatus.SUSPENDED,
    )
    client.force_login(certified[PostCode.SECURITY_ADMIN])

    response = client.get(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse("backoffice:staff")
    assert "只为今日有效的执法证打印公示卡" in response.content.decode()
    assert client.get(reverse("backoffice:officer_card", args=[999999])).status_code == 404
    assert client.get(url, {"layout": "poster"}, follow=True).status_code == 200
