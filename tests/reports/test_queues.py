"""Work queues hold each report once, whatever the joins behind them (the queues no
longer use DISTINCT, which made a queue of thousands cost a sort of them all)."""

import datetime

from django.utils import timezone

from tests.factories import UserFactory
from tests.reports.helpers import go, photo, submit
from yangguang.grids.models import Grid
from yangguang.org.enums import PostCode
from yangguang.reports.enums import DisposalMode
from yangguang.reports.selectors import queue_counts, queue_reports
from yangguang.reports.services import supervision_issue


def handled(city):
    report, _ = submit(city)
    go(report, "accept", PostCode.INTAKE, city)
    go(report, "dispatch", PostCode.DISPATCHER, city, unit=city.org.municipal)
    go(report, "claim", PostCode.HANDLER, city)
    return go(
        report,
        "handle",
        PostCode.HANDLER,
        city,
        result="已修复",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo()],
    )


def test_verify_queue_lists_a_grid_with_two_officers_once(city):
    grid = Grid.objects.get(code="370899001001001")
    grid.officers.add(UserFactory(unit=city.org.squadron1, posts=[PostCode.INSPECTOR]))
    report = handled(city)
    inspector = city.people[PostCode.INSPECTOR]
    assert list(queue_reports(user=inspector, code="verify")) == [report]
    assert queue_counts(inspector)["verify"] == 1


def test_supervised_queue_lists_a_report_with_two_open_orders_once(city):
    report = handled(city)
    for instruction in ("请今日内完成核查", "请说明延误原因"):
        supervision_issue(
            report=report,
            instruction=instruction,
            deadline=timezone.now() + datetime.timedelta(days=1),
            actor=city.people[PostCode.SHIFT_LEAD],
        )
    leader = city.people[PostCode.SHIFT_LEAD]
    assert list(queue_reports(user=leader, code="supervised")) == [report]
    assert queue_counts(leader)["supervised"] == 1
