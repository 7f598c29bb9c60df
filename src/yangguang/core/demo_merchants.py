"""The demo's street of shops (issue 13): about forty shop fronts along 阳光路 in the
demo's first sub-district, each with its 门前三包 zone, duties and 责任书, patrolled and
scored — all through the same services as real work, so every grade comes from its
sources: verified 店外经营 reports in a shop's zone (the report loop end to end), 整改
requests from failed inspections left overdue (``rectifications_expire``), corrected on
time, and a decided penalty against one company's credit code (black list).

The credit grades cover every band of the default scheme (A/B/C/D); most shops are A
on the red list. One 信用修复 application from long ago is approved, one waits for the
legal office. Most letters are signed electronically, one on paper, a few newly issued
wait for their signature; one shop has closed. Last quarter's 文明商家 selection on the
road is finished and published (merchants.campaigns): five titles. Everything is dated back from the
moment of loading, so the street looks the same whatever day the demo runs (in the
first weeks of January the year's scores have just reset, as the scheme says).

Every merchant, operator and phone number is fictional. ``DEMO_MERCHANT_PHONE`` is the
merchant whose sign-in codes the demo's console shows (core.demo.DemoSmsGateway).
"""

import datetime
import math
from dataclasses import dataclass

import shapely
from django.core.files.base import ContentFile
from django.utils import timezone

from yangguang.cases.enums import PartyKind
from yangguang.cases.identity import generate_credit_code
from yangguang.cases.services import Party
from yangguang.core.demo_geometry import STREETS
from yangguang.core.demo_photos import after_photo
from yangguang.core.demo_reports import STANDARD, working_morning
from yangguang.grids.geometry import METRES_PER_DEGREE, geometry_from_geojson
from yangguang.grids.models import Grid
from yangguang.merchants.enums import ShopStatus
from yangguang.merchants.inspections import (
    Finding,
    inspection_record,
    rectification_check,
    rectification_submit,
    rectifications_expire,
)
from yangguang.merchants.models import Duty, Merchant, Rectification, Shop
from yangguang.merchants.services import (
    ShopFields,
    letter_issue,
    letter_sign_electronic,
    letter_sign_paper,
    merchant_save,
    shop_close,
    shop_register,
)
from yangguang.notify.services import messages_settle_for_demo
from yangguang.org.models import User

ROAD = "阳光路"
SUB_DISTRICT = STREETS[0][0]  # 阳光街道: the first squadron's area, as the demo's reports
DIVISION = "370899"  # the demo county's code (core.demo.COUNTY_CODE)
PITCH_M = 14.0  # door to door along the road
SETBACK_M = 11.0  # from the road's centre line to the shop fronts
REGISTERED_DAYS_BACK = 200

# The merchant whose sign-in the demo shows: its codes are printed in the console.
DEMO_MERCHANT_PHONE = "13705370003"


@dataclass(frozen=True)
class DemoShop:
    trade_name: str
    business_type: str
    company: str = ""  # the registered name of a company; "" for a 个体工商户
    story: str = ""  # what happens to the shop in the demo (see _STORIES)
    frontage_m: str = "8.0"


# Odd numbers on the north side, even on the south, in order along the road.
SHOPS = [
    DemoShop("老街坊面馆", "餐饮", story="corrected"),
    DemoShop("便民超市", "零售", company="阳光区便民商贸有限公司", frontage_m="12.0"),
    DemoShop("鲜果时光水果店", "零售", story="demo_merchant"),
    DemoShop("恒基建材", "建材五金", company="阳光区恒基建材有限公司", story="penalty"),
    DemoShop("聚友烧烤", "餐饮", story="grade_d"),
    DemoShop("川味小炒", "餐饮", story="grade_c"),
    DemoShop("顺发五金店", "建材五金", story="grade_b"),
    DemoShop("好邻居便利店", "零售", story="one_report"),
    DemoShop("丽人美发", "生活服务", story="corrected"),
    DemoShop("康宁大药房", "零售", company="阳光区康宁医药有限公司", frontage_m="10.0"),
    DemoShop("晨光文具店", "零售", story="repair_approved"),
    DemoShop("老字号包子铺", "餐饮", story="repair_waiting"),
    DemoShop("四季鲜花店", "零售", story="open"),
    DemoShop("百味卤味", "餐饮", story="submitted"),
    DemoShop("诚信家电维修", "生活服务"),
    DemoShop("阳光眼镜店", "零售"),
    DemoShop("福满楼饺子馆", "餐饮", story="corrected"),
    DemoShop("天天洗衣店", "生活服务"),
    DemoShop("兴隆粮油店", "零售"),
    DemoShop("小小书屋", "零售"),
    DemoShop("好味道快餐", "餐饮", story="unsigned"),
    DemoShop("顺心手机维修", "生活服务", story="paper"),
    DemoShop("绿源蔬菜店", "零售"),
    DemoShop("金顺烟酒店", "零售"),
    DemoShop("家家乐母婴店", "零售", company="阳光区家家乐商贸有限公司"),
    DemoShop("老王修鞋铺", "生活服务", frontage_m="4.0"),
    DemoShop("一品茶庄", "零售"),
    DemoShop("美丽花园服装店", "零售"),
    DemoShop("喜洋洋童装", "零售"),
    DemoShop("阳光宠物店", "生活服务", story="open"),
    DemoShop("东北饺子王", "餐饮"),
    DemoShop("快乐蛋糕坊", "餐饮", company="阳光区快乐食品有限公司"),
    DemoShop("平安保险代理点", "生活服务"),
    DemoShop("惠民药店", "零售"),
    DemoShop("新华书店阳光路店", "零售", company="阳光区新华图书有限公司", frontage_m="12.0"),
    DemoShop("雅致家居", "零售", story="unsigned"),
    DemoShop("百姓大药房", "零售"),
    DemoShop("幸福理发店", "生活服务", story="unsigned"),
    DemoShop("阿强烧饼", "餐饮", story="closed", frontage_m="4.0"),
    DemoShop("便民超市二店", "零售", company="阳光区便民商贸有限公司"),
]

SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林高罗"
GIVEN = ["建华", "秀英", "志刚", "丽华", "海燕", "国强", "玉兰", "红梅", "俊杰", "春生", "德明"]

REPAIR_COMMITMENT = (
    "本人承诺今后严格遵守门前三包责任书，不超出门窗店外经营，自觉维护门前市容环境卫生。"
)
REPAIR_CORRECTION = "已将店外桌椅全部收回店内，门前责任区已清理整洁（见照片）。"


@dataclass
class _Cast:
    officer: User  # the squadron's officer who claims and handles the reports
    inspector: User  # 监督员: verifies
    intake: User
    dispatcher: User
    shift_lead: User
    reviewer: User  # 法制审核员: decides the repairs


def demo_merchants_load(*, now: datetime.datetime | None = None) -> int:
    """Load the street once (skipped when it is there or the demo's staff is not).
    Returns the number of open shops on it."""
    if Shop.objects.filter(street_name=ROAD).exists():
        return Shop.objects.filter(street_name=ROAD, status=ShopStatus.OPEN).count()
    now = now or timezone.now()
    names = ["zhifa1", "jianduyuan", "shouli", "paiqian", "zhibanzhang", "fazhi"]
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    grids = list(Grid.objects.filter(community__parent__name=SUB_DISTRICT))
    if len(users) < len(names) or not grids:
        return 0
    cast = _Cast(*(users[name] for name in names))
    street = _Street(grids)
    registered = now - datetime.timedelta(days=REGISTERED_DAYS_BACK)
    shops: dict[str, Shop] = {}
    merchants: dict[str, Merchant] = {}
    for number, demo in enumerate(SHOPS):
        key = demo.company or demo.trade_name
        if key not in merchants:
            merchants[key] = merchant_save(
                fields=_merchant_fields(demo, len(merchants), number, timezone.localdate(now)),
                actor=street.officer_at(number),
                now=registered,
            )
        shops[demo.trade_name] = _register(street, number, demo, merchants[key], registered)
    _letters(shops, street, now)
    stories = _Stories(cast=cast, shops=shops, now=now)
    stories.tell()
    messages_settle_for_demo()
    from yangguang.credit.scoring import scores_recompute

    # The year's scores as the worker keeps them (the merchants were added last year
    # when the demo runs early in the year: their scores turn with it).
    scores_recompute(now=now)
    return Shop.objects.filter(street_name=ROAD, status=ShopStatus.OPEN).count()


def _merchant_fields(demo: DemoShop, serial: int, number: int, today: datetime.date) -> dict:
    company = bool(demo.company)
    body = f"MA3D{serial + 1:04d}"
    credit_code = generate_credit_code("9", "1" if company else "2", DIVISION, body)
    operator = SURNAMES[serial % len(SURNAMES)] + GIVEN[serial % len(GIVEN)]
    licences = [{"kind": "营业执照", "number": credit_code, "valid_until": ""}]
    if demo.business_type == "餐饮":
        licences.append(
            {
                "kind": "食品经营许可证",
                "number": f"JY2{DIVISION}{serial + 1:08d}",
                "valid_until": f"{today.year + 1 + serial % 4}-06-30",
            }
        )
    return {
        "credit_code": credit_code,
        "name": demo.company or f"阳光区{demo.trade_name}",
        "operator_name": operator,
        "phone": f"1370537{serial + 1:04d}",
        "address": f"{SUB_DISTRICT}{ROAD}{_door_number(number)}号",
        "business_type": demo.business_type,
        "licences": licences,
    }


def _door_number(number: int) -> int:
    """1, 3, 5 … on the north side; 2, 4, 6 … on the south (``_Street.door``)."""
    return number + 1


class _Street:
    """阳光路: a straight east–west road through the middle of the sub-district, shop
    fronts on both sides facing it, every door inside a demo grid."""

    def __init__(self, grids: list[Grid]) -> None:
        area = shapely.union_all([geometry_from_geojson(grid.geometry) for grid in grids])
        centre = area.centroid
        min_lon, _min_lat, max_lon, _max_lat = area.bounds
        line = shapely.LineString([(min_lon, centre.y), (max_lon, centre.y)])
        crossing = area.intersection(line)
        parts = list(getattr(crossing, "geoms", [crossing]))
        road = max(parts, key=lambda part: part.length)
        self.lat = centre.y
        (west, _y), (east, _y2) = sorted(road.coords)[0], sorted(road.coords)[-1]
        self.metres_lon = METRES_PER_DEGREE * math.cos(math.radians(self.lat))
        length_m = (east - west) * self.metres_lon
        span_m = PITCH_M * (len(SHOPS) // 2)
        self.start_lon = west + (length_m - span_m) / 2 / self.metres_lon
        self.grids = grids
        self.officers: dict[int, User] = {}

    def door(self, number: int) -> tuple[float, float, int]:
        """(lon, lat, facing) of the ``number``-th shop's door."""
        along = (number // 2 + 0.5) * PITCH_M
        north = number % 2 == 0
        lon = self.start_lon + along / self.metres_lon
        lat = self.lat + (SETBACK_M if north else -SETBACK_M) / METRES_PER_DEGREE
        return round(lon, 7), round(lat, 7), 180 if north else 0

    def officer_at(self, number: int) -> User:
        """The grid officer (网格员) of the grid the door is in."""
        from yangguang.grids.selectors import grid_at

        if number not in self.officers:
            lon, lat, _facing = self.door(number)
            grid = grid_at(lon=lon, lat=lat) or self.grids[0]
            self.officers[number] = grid.officers.order_by("pk").first()
        return self.officers[number]


def _register(
    street: _Street, number: int, demo: DemoShop, merchant: Merchant, now: datetime.datetime
) -> Shop:
    lon, lat, facing = street.door(number)
    return shop_register(
        merchant=merchant,
        data=ShopFields(
            trade_name=demo.trade_name,
            address=f"{ROAD}{_door_number(number)}号",
            street_name=ROAD,
            longitude=lon,
            latitude=lat,
            frontage_m=demo.frontage_m,
            depth_m="5.0",
            facing=facing,
        ),
        actor=street.officer_at(number),
        now=now + datetime.timedelta(minutes=10 * number),
    )


def _letters(shops: dict[str, Shop], street: _Street, now: datetime.datetime) -> None:
    """A 责任书 for every shop: signed electronically the day after, but one signed on
    paper (its scan uploaded) and three issued two days ago, not signed yet."""
    issued = now - datetime.timedelta(days=REGISTERED_DAYS_BACK - 1)
    for number, demo in enumerate(SHOPS):
        shop = shops[demo.trade_name]
        officer = street.officer_at(number)
        if demo.story == "unsigned":
            letter_issue(shop=shop, actor=officer, now=now - datetime.timedelta(days=2))
            continue
        at = issued + datetime.timedelta(minutes=10 * number)
        letter = letter_issue(shop=shop, actor=officer, now=at)
        if demo.story == "paper":
            from yangguang.core.demo import demo_photo  # the demo builds on this module

            scan = demo_photo(taken=at, latitude=shop.latitude, longitude=shop.longitude)
            letter_sign_paper(
                letter=letter,
                scan=ContentFile(scan, name="门前三包责任书扫描件.jpg"),
                actor=officer,
                now=at + datetime.timedelta(days=3),
            )
        else:
            letter_sign_electronic(
                letter=letter, phone=shop.merchant.phone, now=at + datetime.timedelta(hours=20)
            )


class _Stories:
    """What happens on the street, each story through the services that do it."""

    def __init__(self, *, cast: _Cast, shops: dict[str, Shop], now: datetime.datetime) -> None:
        self.cast, self.shops, self.now = cast, shops, now
        self.duties = list(Duty.objects.filter(active=True))
        # Recent events fall in this scoring year when there is room for them (and
        # never later than a few hours before now).
        self.year_start = min(
            datetime.datetime(
                timezone.localdate(now).year, 1, 1, 8, tzinfo=timezone.get_current_timezone()
            ),
            now - datetime.timedelta(hours=4),
        )
        self.photo_number = 0

    def tell(self) -> None:
        by_story: dict[str, list[Shop]] = {}
        for demo in SHOPS:
            by_story.setdefault(demo.story, []).append(self.shops[demo.trade_name])
        # Passed inspections over the last month, on the shops nothing else happens to.
        for number, shop in enumerate(by_story.get("", []) + by_story.get("paper", [])):
            self.inspect(shop, working_days_back=1 + number % 20, failed=[])
        for shop in by_story["corrected"]:
            self.corrected_on_time(shop)
        for shop in by_story["open"]:
            self.inspect(shop, working_days_back=1, failed=[("appearance", 0)])
        for shop in by_story["submitted"]:
            self.submitted(shop)
        # The low grades: verified reports in the zone, overdue 整改, a decided penalty.
        (grade_b,) = by_story["grade_b"]
        self.reports(grade_b, count=3)
        (one_report,) = by_story["one_report"]
        self.reports(one_report, count=1)
        (grade_c,) = by_story["grade_c"]
        self.reports(grade_c, count=4)
        self.inspect(grade_c, working_days_back=9, failed=[("appearance", 0), ("sanitation", 0)])
        (grade_d,) = by_story["grade_d"]
        self.reports(grade_d, count=6)
        self.inspect(
            grade_d,
            working_days_back=10,
            failed=[("appearance", 0), ("appearance", 1), ("sanitation", 0), ("sanitation", 2)],
        )
        (demo_merchant,) = by_story["demo_merchant"]
        self.demo_merchant(demo_merchant)
        (penalty,) = by_story["penalty"]
        self.penalty(penalty)
        (approved,) = by_story["repair_approved"]
        self.repair(approved, days_back=130, decide=True)
        (waiting,) = by_story["repair_waiting"]
        self.repair(waiting, days_back=110, decide=False)
        rectifications_expire(now=self.now)
        (closed,) = by_story["closed"]
        shop_close(
            shop=closed,
            actor=self.inspector_of(closed),
            reason="商户已停业搬离，门面待租。",
        )
        self.civilised_campaign()

    # --- Inspections and 整改 -------------------------------------------------------------

    def inspector_of(self, shop: Shop) -> User:
        return shop.grid.officers.order_by("pk").first()

    def photo(self, shop: Shop, at: datetime.datetime) -> ContentFile:
        from yangguang.core.demo import demo_photo  # the demo builds on this module

        self.photo_number += 1
        content = demo_photo(
            taken=timezone.localtime(at).replace(tzinfo=None),
            latitude=shop.latitude,
            longitude=shop.longitude,
        )
        return ContentFile(content, name=f"巡查-{self.photo_number}.jpg")

    def inspect(
        self, shop: Shop, *, working_days_back: int, failed: list[tuple[str, int]]
    ) -> list[Rectification]:
        """Every item of every duty checked; ``failed`` names (duty, item index) found
        wrong, each opening a 整改 request."""
        at = working_morning(self.now, working_days_back) + datetime.timedelta(minutes=30)
        findings = []
        for duty in self.duties:
            for index, item in enumerate(duty.checklist):
                wrong = (duty.code, index) in failed
                findings.append(
                    Finding(
                        duty=duty.code,
                        item=item,
                        passed=not wrong,
                        note=FINDINGS.get((duty.code, index), "发现问题") if wrong else "",
                        photos=[self.photo(shop, at)] if wrong else [],
                    )
                )
        inspection = inspection_record(
            shop=shop,
            findings=findings,
            actor=self.inspector_of(shop),
            note="日常巡查" if not failed else "日常巡查，已当场告知整改要求",
            now=at,
        )
        return list(Rectification.objects.filter(item__inspection=inspection).order_by("item__pk"))

    def corrected_on_time(self, shop: Shop) -> None:
        (rectification,) = self.inspect(shop, working_days_back=12, failed=[("sanitation", 0)])
        submitted = working_morning(self.now, 11) + datetime.timedelta(hours=5)
        rectification_submit(
            rectification=rectification,
            photos=[after_photo(rectification.pk)],
            note="已清扫干净",
            now=submitted,
        )
        rectification_check(
            rectification=rectification,
            accepted=True,
            actor=self.inspector_of(shop),
            now=working_morning(self.now, 10),
        )

    def submitted(self, shop: Shop) -> None:
        """Reported corrected yesterday afternoon: the inspector has it to check."""
        (rectification,) = self.inspect(shop, working_days_back=2, failed=[("appearance", 1)])
        rectification_submit(
            rectification=rectification,
            photos=[after_photo(rectification.pk)],
            note="堆放的纸箱已清走",
            now=working_morning(self.now, 1) + datetime.timedelta(hours=4),
        )

    # --- Verified reports in the zone -----------------------------------------------------

    def reports(self, shop: Shop, *, count: int, days_back: int = 0) -> None:
        """``count`` 店外经营 reports placed in the shop's zone, handled and verified on
        site (the verification counts against the merchant), answered and closed. Recent
        ones are spread over the last weeks of this year; ``days_back`` dates one that far
        back instead."""
        for index in range(count):
            if days_back:
                at = timezone.make_aware(
                    datetime.datetime.combine(
                        timezone.localdate(self.now) - datetime.timedelta(days=days_back),
                        datetime.time(9, 20),
                    )
                )
            else:
                at = working_morning(self.now, 3 + 4 * index) - datetime.timedelta(minutes=40)
                at = max(at, self.year_start)
            self.report(shop, at)

    def report(self, shop: Shop, at: datetime.datetime) -> None:
        from yangguang.categories.models import Category
        from yangguang.reports.enums import Channel, DisposalMode, Rating, ReportKind
        from yangguang.reports.services import NewReport, report_rate, report_reply, report_submit
        from yangguang.reports.workflow import report_transition

        cast, minutes = self.cast, datetime.timedelta(minutes=1)
        centre = geometry_from_geojson(shop.zone).centroid
        report, _token = report_submit(
            data=NewReport(
                kind=ReportKind.PROBLEM,
                channel=Channel.WEB,
                description=f"{shop.trade_name}把货架和桌椅摆到店外人行道上，行人只能绕行。",
                category=Category.objects.get(standard__code=STANDARD, kind="event", code="09005"),
                address=f"{ROAD}{shop.address.removeprefix(ROAD)}门前",
                longitude=centre.x,
                latitude=centre.y,
                reporter_phone=f"1390537{2000 + self.photo_number:04d}",
            ),
            actor=None,
            now=at,
        )
        self.photo_number += 1
        report_transition(report=report, verb="accept", actor=cast.intake, now=at + 10 * minutes)
        report_transition(
            report=report, verb="dispatch", actor=cast.dispatcher, now=at + 20 * minutes
        )
        report_transition(report=report, verb="claim", actor=cast.officer, now=at + 40 * minutes)
        report_transition(
            report=report,
            verb="handle",
            actor=cast.officer,
            result="已责令商户将店外物品收回店内，现场已恢复整洁。",
            disposal_mode=DisposalMode.MANAGEMENT,
            photos=[after_photo(report.pk)],
            now=at + 120 * minutes,
        )
        report_transition(
            report=report, verb="verify_pass", actor=cast.inspector, now=at + 180 * minutes
        )
        report_reply(
            report=report,
            text="经核查，该商户店外经营问题已责令整改，已记入商户信用记录。感谢您的监督。",
            actor=cast.shift_lead,
        )
        messages_settle_for_demo()
        report_transition(report=report, verb="close", actor=cast.shift_lead)
        report_rate(report=report, rating=Rating.SATISFIED)

    # --- The merchant the demo signs in as ------------------------------------------------

    def demo_merchant(self, shop: Shop) -> None:
        """B: a report from over three months ago (repairable now, not applied for),
        two this year, a 整改 left overdue and one opened yesterday (to answer with an
        after-photo on the merchant's page)."""
        self.reports(shop, count=1, days_back=100)
        self.reports(shop, count=2)
        self.inspect(shop, working_days_back=8, failed=[("appearance", 0)])
        self.inspect(shop, working_days_back=1, failed=[("sanitation", 1)])

    # --- 信用修复 ---------------------------------------------------------------------------

    def repair(self, shop: Shop, *, days_back: int, decide: bool) -> None:
        """A report long ago; the merchant applied once the three months had passed; the
        legal office approved it (``decide``) or has it still to decide."""
        from yangguang.credit.enums import EventKind
        from yangguang.credit.models import CreditEvent
        from yangguang.credit.repair import repair_apply, repair_decide

        self.reports(shop, count=1, days_back=days_back)
        event = CreditEvent.objects.get(merchant=shop.merchant, kind=EventKind.REPORT_VERIFIED)
        applied = self.now - datetime.timedelta(days=(days_back - 100) if decide else 2)
        application = repair_apply(
            event=event,
            commitment=REPAIR_COMMITMENT,
            correction=REPAIR_CORRECTION,
            proof=[after_photo(event.pk + 500)],
            now=applied,
        )
        if decide:
            repair_decide(
                application=application,
                approve=True,
                reason="已按期整改并作出信用承诺，符合信用修复条件，同意修复。",
                actor=self.cast.reviewer,
                now=applied + datetime.timedelta(days=4),
            )

    # --- A decided penalty against the company's credit code -------------------------------

    def penalty(self, shop: Shop) -> None:
        """The building-materials company piled its construction waste on the pavement
        and would not clear it: fined ¥20,000 (较重, serious), decided and served, the
        decision published. Serious dishonesty: the black list."""
        from yangguang.core.demo_cases import USERNAMES, Cast, _OpenCase
        from yangguang.disclosure.models import Publication
        from yangguang.disclosure.services import publication_approve

        users = {user.username: user for user in User.objects.filter(username__in=USERNAMES)}
        cast = Cast(
            officer=users["zhifa1"],
            partner=users["zhifa2"],
            approver=users["zhongduizhang"],
            reviewer=users["fazhi"],
            leader=users["juzhang"],
        )
        merchant = shop.merchant
        work = _OpenCase(cast=cast, now=self.now)
        work.open(
            days_back=22,
            title="在人行道上堆放建筑垃圾",
            facts=(
                f"当事人将店面装修及经营产生的建筑垃圾约十五立方米堆放在{ROAD}人行道上，"
                "经责令限期清理，逾期仍未清理。"
            ),
            place=f"{SUB_DISTRICT}{shop.address}",
            party=Party(
                kind=PartyKind.ORGANISATION,
                name=merchant.name,
                credit_code=merchant.credit_code,
                representative=merchant.operator_name,
                phone="05370000000",
                address=merchant.address,
            ),
        )
        work.assess("HW-004", fine=20000, circumstances={"harm": "serious"})
        work.to_notice(days_back=17)
        work.move("waive_rights", cast.officer, days_back=16)
        work.move("decide", cast.leader, days_back=14, fine="20000")
        work.move("serve", cast.officer, days_back=13, method="direct")
        publication_approve(
            publication_id=Publication.objects.get(case=work.case).pk,
            actor=cast.reviewer,
            now=work.at(12),
        )

    # --- 文明商家 -------------------------------------------------------------------------

    def civilised_campaign(self) -> None:
        """Last quarter's 文明商家 selection on the road, finished: opened two months
        ago, every open shop scored by the squadron's inspector, closed, approved by the
        bureau leader with the committee's minutes and published two weeks ago — five
        titles, each counting for its merchant's credit."""
        from yangguang.merchants.campaigns import (
            CampaignFields,
            campaign_approve,
            campaign_close,
            campaign_create,
            campaign_open,
            campaign_publish,
            entry_score,
        )
        from yangguang.merchants.models import CampaignKind, ScoreRole

        squad_leader = User.objects.get(username="zhongduizhang")
        leader = User.objects.get(username="juzhang")
        today = timezone.localdate(self.now)
        day = datetime.timedelta(days=1)
        campaign = campaign_create(
            data=CampaignFields(
                name=f"{ROAD}文明商家评选",
                kind=CampaignKind.CIVILISED,
                starts_on=today - 60 * day,
                ends_on=today - 20 * day,
                criteria=CAMPAIGN_CRITERIA,
                weight_inspectors=100,
                weight_streets=0,
                weight_public=0,
                title="文明商家",
                streets=[ROAD],
                titles=len(CIVILISED),
            ),
            actor=squad_leader,
            now=self.now - 62 * day,
        )
        campaign = campaign_open(campaign=campaign, actor=squad_leader, now=self.now - 60 * day)
        for number, entry in enumerate(campaign.entries.select_related("shop").order_by("pk")):
            if entry.shop.trade_name in CIVILISED:
                # The winners, in order, a point apart (no tie for the last title).
                behind = CIVILISED.index(entry.shop.trade_name)
                points = [c["max_points"] for c in CAMPAIGN_CRITERIA]
                points[-1] -= behind
            else:
                points = [c["max_points"] * 3 // 4 - number % 5 for c in CAMPAIGN_CRITERIA]
            entry_score(
                entry=entry,
                role=ScoreRole.INSPECTOR,
                points=points,
                actor=self.cast.inspector,
                now=self.now - (40 - number % 15) * day,
            )
        campaign = campaign_close(campaign=campaign, actor=squad_leader, now=self.now - 19 * day)
        campaign = campaign_approve(
            campaign=campaign,
            minutes="评审委员会审议通过：授予以下五家商户“文明商家”称号。",
            actor=leader,
            now=self.now - 15 * day,
        )
        campaign_publish(campaign=campaign, actor=leader, now=self.now - 14 * day)


CAMPAIGN_CRITERIA = [
    {"item": "门前三包责任落实", "max_points": 40},
    {"item": "店容店貌整洁", "max_points": 30},
    {"item": "诚信守法经营", "max_points": 30},
]
# The five shops the committee named 文明商家, best first.
CIVILISED = ["老街坊面馆", "康宁大药房", "新华书店阳光路店", "福满楼饺子馆", "晨光文具店"]

FINDINGS = {
    ("appearance", 0): "货架、桌椅摆放到店外人行道，占用约六平方米。",
    ("appearance", 1): "门前堆放纸箱、杂物。",
    ("sanitation", 0): "门前地面有垃圾和污水。",
    ("sanitation", 1): "垃圾桶未分类、桶身脏污。",
    ("sanitation", 2): "门前地面有油污。",
}
