"""The 门前三包 duties are configuration: the system administrator adds a local duty
(门前五包/六包) with its checklist; a duty in use is retired, never deleted; each change
is recorded."""

import json

import pytest
from django.urls import reverse

from yangguang.merchants.models import Duty
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry

pytestmark = pytest.mark.django_db


def test_the_system_administrator_adds_a_local_duty_with_its_checklist(client, personas):
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    url = reverse("admin:merchants_duty_add")
    form = {
        "code": "order",
        "name": "秩序良好",
        "description": "责任区内无乱停放、无占道",
        "position": "4",
        "active": "on",
    }
    refused = client.post(url, {**form, "checklist": json.dumps("无乱停放")})
    assert refused.status_code == 200
    assert not Duty.objects.filter(code="order").exists()
    response = client.post(url, {**form, "checklist": json.dumps(["无乱停放", " 无 占道 "])})
    assert response.status_code == 302
    duty = Duty.objects.get(code="order")
    assert duty.checklist == ["无乱停放", "无 占道"]
    assert RecordEntry.objects.filter(object_type="merchants.duty", object_id=str(duty.pk)).exists()


def test_a_duty_is_retired_not_deleted_and_others_cannot_configure(client, personas):
    duty = Duty.objects.get(code="appearance")
    client.force_login(personas[PostCode.SYSTEM_ADMIN])
    assert client.get(reverse("admin:merchants_duty_delete", args=[duty.pk])).status_code == 403
    client.force_login(personas[PostCode.INSPECTOR])
    assert client.get(reverse("admin:merchants_duty_changelist")).status_code in (302, 403)
