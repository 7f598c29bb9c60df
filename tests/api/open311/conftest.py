import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.api.open311.helpers import close, go
from tests.reports.helpers import submit
from yangguang.api.models import ClientKind
from yangguang.api.services import api_client_register
from yangguang.categories.models import Category
from yangguang.org.enums import PostCode
from yangguang.reports.enums import ReportKind
from yangguang.reports.models import Report

REPORTER = {"reporter_name": "王小明", "reporter_phone": "13912345678"}


@pytest.fixture(autouse=True)
def _fresh_request_counts():
    """API clients' hourly counts live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client() -> Client:
    """An Open311 client asking for English, so that errors can be compared with the
    spec's examples; without the header they are in Chinese (test_errors_default_to_chinese)."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def api_key(db) -> str:
    _client, key = api_client_register(name="随手拍应用", kind=ClientKind.OPEN311, actor=None)
    return key


@pytest.fixture
def published(city):
    """One report in each state the public may or may not see, all by 王小明."""
    stall = Category.objects.get(standard__code="GB/T 47678.5-2026", kind="event", code="09006")
    # Lists show reports once intake has registered them.
    lamp = go(city, submit(city, **REPORTER)[0], "accept", PostCode.INTAKE)
    stall_open = go(
        city,
        submit(city, category=stall, description="早市占道经营", **REPORTER)[0],
        "accept",
        PostCode.INTAKE,
    )
    closed, _ = submit(city, description="路灯不亮", **REPORTER)
    closed = close(city, closed, reply="路灯已修复，感谢您的反映。")
    rejected, _ = submit(city, description="不属于城管的问题", **REPORTER)
    rejected = go(city, rejected, "reject", PostCode.INTAKE, reason="请向供电公司反映。")
    void, _ = submit(city, description="测试，请作废", **REPORTER)
    go(city, void, "void", PostCode.INTAKE, reason="测试数据")
    merged, _ = submit(city, description="同一盏路灯", **REPORTER)
    go(city, merged, "merge", PostCode.INTAKE, into=lamp)
    old = go(
        city, submit(city, description="三个月前的路灯", **REPORTER)[0], "accept", PostCode.INTAKE
    )
    long_ago = timezone.now() - datetime.timedelta(days=100)
    Report.objects.filter(pk=old.pk).update(created_at=long_ago)
    question, _ = submit(city, kind=ReportKind.CONSULTATION, description="怎么办证？", **REPORTER)
    return SimpleNamespace(
        lamp=lamp,
        stall=stall_open,
        closed=closed,
        rejected=rejected,
        void=void,
        merged=merged,
        old=old,
        long_ago=long_ago,
        question=question,
    )
