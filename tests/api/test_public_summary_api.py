"""POST /api/v1/reports/<id>/accept/ with an optional public summary: the same rule as
the service and the page (reports.public.validate_public_summary), refusals as the one
error shape, nothing registered.

个人信息保护法 (PIPL) art 6 and art 28; 等保2.0 GB/T 22239-2019 8.1.4.10."""

import pytest
from django.urls import reverse

from tests.api.helpers import api_as, error_of
from tests.reports.helpers import submit
from yangguang.org.enums import PostCode
from yangguang.records.models import RecordEntry
from yangguang.reports.enums import Status
from yangguang.reports.models import Report

COMPLAINT = {
    "description": "阳光花园3号楼2单元501室的张建国长期在楼道堆放杂物",
    "address": "阳光花园3号楼2单元501室",
}


def accept(city, report, **body):
    url = reverse("api:report-accept", args=[report.pk])
    return api_as(city.people[PostCode.INTAKE]).post(url, body, format="json")


def test_accept_without_a_summary_approves_the_default(city):
    report, _ = submit(city, **COMPLAINT)
    response = accept(city, report)
    assert response.status_code == 200
    assert response.json()["public_summary"] == "路灯 · 东街道一社区"


def test_accept_with_a_summary_approves_it_and_records_it(city):
    """等保2.0 8.1.4.10: the approval is in the 受理 record entry."""
    report, _ = submit(city, **COMPLAINT)
    response = accept(city, report, public_summary="楼道堆放杂物 · 东街道一社区")
    assert (response.status_code, response.json()["public_summary"]) == (
        200,
        "楼道堆放杂物 · 东街道一社区",
    )
    entry = RecordEntry.objects.get(action="report.accept", object_id=str(report.pk))
    assert entry.changes["public_summary"] == ["", "楼道堆放杂物 · 东街道一社区"]


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        (
            "楼道堆放杂物，联系+86 138 0013 8000",
            "The public summary contains a mobile phone number; remove it (it is published).",
        ),
        (
            "当事人身份证11010519491231002X",
            "The public summary contains an identity number; remove it (it is published).",
        ),
        (
            "王小明反映楼道堆放杂物",
            "The public summary names a reporter; remove it (it is published).",
        ),
        ("路" * 201, "The public summary is longer than 200 characters."),
    ],
)
def test_accept_refuses_personal_data_in_the_summary_with_400(city, summary, message):
    """PIPL art 6, art 28: the field says why; the report stays awaiting intake."""
    report, _ = submit(city, **COMPLAINT)
    response = accept(city, report, public_summary=summary)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["fields"]) == ("invalid", {"public_summary": [message]})
    assert Report.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert not RecordEntry.objects.filter(action="report.accept").exists()


def test_accept_refusal_in_chinese_by_default(city):
    report, _ = submit(city, **COMPLAINT)
    client = api_as(city.people[PostCode.INTAKE])
    client.cookies.pop("django_language")
    response = client.post(
        reverse("api:report-accept", args=[report.pk]),
        {"public_summary": "电话13800138000"},
        format="json",
    )
    assert error_of(response)["fields"]["public_summary"] == [
        "公开摘要中含有手机号码，请删除后再提交（摘要将向社会公开）。"
    ]
