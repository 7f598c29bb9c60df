"""The demo city: a fictional district (阳光区) with its enforcement bureau, squadrons,
handling units, sub-districts, communities, ~250 unit grids, one login per post and the
working calendar. Everything is written through the same services as real data, so
the demo also exercises them. Loading twice changes nothing."""

import contextlib
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import (
    PBKDF2PasswordHasher,
    get_hashers,
    get_hashers_by_algorithm,
)
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

from yangguang.cases.catalogue import catalogue_save, items_from_json
from yangguang.cases.models import Case, Violation
from yangguang.core.demo_cases import DEMO_PARTY_PHONE, DemoCases, demo_cases_load
from yangguang.core.demo_geometry import demo_district
from yangguang.core.demo_history import demo_history_load
from yangguang.core.demo_merchants import DEMO_MERCHANT_PHONE, ROAD, demo_merchants_load
from yangguang.core.demo_patrol import create_demo_patrols
from yangguang.core.demo_reports import demo_reports_load
from yangguang.grids.geometry import to_geojson
from yangguang.grids.models import Grid
from yangguang.grids.services import grids_import
from yangguang.notify.gateways import LoggingGateway
from yangguang.org import services as org
from yangguang.org.enums import CertificateStatus, PostCode, UnitKind
from yangguang.org.models import HandlingUnitType, Post, Rank, Unit, User
from yangguang.patrol.models import DutyShift
from yangguang.records.evidence import evidence_add
from yangguang.records.registry import target_for
from yangguang.reports.models import Report
from yangguang.worktime.models import CalendarYear
from yangguang.worktime.services import calendar_load_shipped

DEMO_PASSWORD = "Yangguang-2026"  # noqa: S105 - printed for every demo login
COUNTY_CODE = "370899"  # fictional: 99 is not a county of any real prefecture
BUREAU_NAME = "阳光区综合行政执法局"
CERTIFICATE_AUTHORITY = "阳光市人民政府"


@dataclass(frozen=True)
class DemoLogin:
    post: PostCode
    username: str
    name: str
    unit: str
    # The administrators and the leader sign in with an authenticator app too (TOTP);
    # their first sign-in enrols it. The demo does not bypass it.
    second_factor: bool = False


# One login per post, printed by ``yangguang demo``. The unit is named by key below.
LOGINS: list[tuple[PostCode, str, str, str]] = [
    (PostCode.INTAKE, "shouli", "李晓梅", "command"),
    (PostCode.DISPATCHER, "paiqian", "王建国", "command"),
    (PostCode.SHIFT_LEAD, "zhibanzhang", "赵志强", "command"),
    (PostCode.INSPECTOR, "jianduyuan", "孙丽娜", "squadron1"),
    (PostCode.OFFICER, "zhifa1", "周明", "squadron1"),
    (PostCode.SQUAD_LEADER, "zhongduizhang", "吴海峰", "squadron1"),
    (PostCode.LEGAL_REVIEWER, "fazhi", "郑雅文", "legal"),
    (PostCode.LEADER, "juzhang", "陈立新", "bureau"),
    (PostCode.SYSTEM_ADMIN, "xitong", "何伟", "it"),
    (PostCode.SECURITY_ADMIN, "anquan", "许静", "it"),
    (PostCode.AUDIT_ADMIN, "shenji", "韩冰", "it"),
]

# Further officers: a second certified one (行政处罚法 art 42 needs two), one whose
# certificate has expired, to show the refusal, and one whose certificate the province
# has suspended (off the public list of officers; their identity page says 已暂停).
EXTRA_OFFICERS = [
    ("zhifa2", "郭磊", "squadron1", "valid"),
    ("zhifa3", "马晓东", "squadron2", "expired"),
    ("zhifa4", "林志远", "squadron2", "suspended"),
]
# What the certificates say the officers enforce, and where (执法类别/区域).
ENFORCEMENT_CATEGORY = "城市管理综合执法"
ENFORCEMENT_AREA = "阳光区"

# One handler per handling unit, so that whatever the dispatcher routes can be claimed,
# handled and answered (a report sent to a unit without staff is stuck there).
HANDLERS: list[tuple[str, str, str]] = [
    # unit key, login, name
    ("municipal", "chuzhi", "冯国庆"),
    ("landscape", "yuanlin", "蒋文华"),
    ("sanitation", "huanwei", "沈玉洁"),
    ("traffic", "jiaotong", "韩立平"),
    ("water", "shuiwu", "杨清泉"),
    ("utility", "gongdian", "朱振宇"),
    ("construction", "zhujian", "秦建业"),
    ("illegal_building", "weijian", "尤正刚"),
    ("fume", "youyan", "许慧敏"),
]

HANDLING_UNITS = [
    # key, name, handling type, outside the bureau
    ("municipal", "阳光区市政工程管理处", "municipal", True),
    ("landscape", "阳光区园林绿化服务中心", "landscape", True),
    ("sanitation", "阳光区环境卫生服务中心", "sanitation", True),
    ("traffic", "阳光区交通运输局", "traffic", True),
    ("water", "阳光区水务局", "water", True),
    ("utility", "国网阳光区供电公司", "utility", True),
    ("construction", "阳光区住房和城乡建设局", "construction", True),
    ("illegal_building", "违法建设治理办公室", "illegal_building", False),
    ("fume", "餐饮油烟治理办公室", "fume", False),
]

SURNAMES = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何林高罗"
GIVEN = [
    "建华",
    "秀英",
    "志刚",
    "丽华",
    "海燕",
    "国强",
    "玉兰",
    "红梅",
    "俊杰",
    "春生",
    "晓燕",
    "德明",
    "桂芳",
]


UNIT_NAMES = {
    "command": "数字化城管指挥中心",
    "legal": "法制科",
    "it": "信息科",
    "bureau": BUREAU_NAME,
    "squadron1": "第一中队",
    **{key: name for key, name, _type, _external in HANDLING_UNITS},
}


def demo_logins() -> list[DemoLogin]:
    """Every login the demo prints: one per post, then one handler per handling unit."""
    from yangguang.org.signin import MFA_POSTS

    logins = [
        DemoLogin(post, username, name, UNIT_NAMES[unit], second_factor=post in MFA_POSTS)
        for post, username, name, unit in LOGINS
    ]
    handlers = [
        DemoLogin(PostCode.HANDLER, username, name, UNIT_NAMES[unit])
        for unit, username, name in HANDLERS
    ]
    # The handler joins the posts in the table's order (after the leader).
    at = next(i for i, login in enumerate(logins) if login.post == PostCode.SYSTEM_ADMIN)
    return logins[:at] + handlers + logins[at:]


class Progress:
    """Where the loader reports its steps; the command prints them, tests ignore them."""

    def start(self, label: str) -> None:
        """A step begins."""

    def done(self, summary: str) -> None:
        """The step that began ended; ``summary`` counts what is there."""


@dataclass(frozen=True)
class DemoLoad:
    created: bool
    # The path of the demo party's page when this load issued its link: its token is
    # shown only now (the database keeps a hash).
    party_path: str | None = None


DEMO_STEPS = 9


def demo_city_load(
    *, now: datetime.datetime | None = None, progress: Progress | None = None
) -> DemoLoad:
    """Load the demo city unless it is there, in ``DEMO_STEPS`` steps reported to
    ``progress``. Reports and cases are dated back from ``now`` (default: the clock), so
    the demo's work is current whenever it is loaded.

    The calendars of this year and next are ensured either way (official data when
    shipped, otherwise provisional statutory holidays).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    progress = progress or Progress()
    with transaction.atomic():
        progress.start(_("Working calendar"))
        for year in (today.year, today.year + 1):
            calendar_load_shipped(year=year)
        years = CalendarYear.objects.order_by("year").values_list("year", flat=True)
        progress.done(", ".join(str(year) for year in years))
        created = not Unit.objects.filter(kind=UnitKind.BUREAU, name=BUREAU_NAME).exists()
        if created:
            with _quick_password_hashing():
                _create_city(today, progress)
        else:
            _skip_city(progress)
        progress.start(_("Reports"))
        demo_reports_load(now=now)
        progress.done(_("%(count)d reports") % {"count": Report.objects.count()})
        progress.start(_("Enforcement cases"))
        cases: DemoCases = demo_cases_load(now=now)
        progress.done(_("%(count)d cases") % {"count": Case.objects.count()})
        progress.start(_("Merchants on %(street)s") % {"street": ROAD})
        shops = demo_merchants_load(now=now)
        progress.done(_("%(count)d open shops") % {"count": shops})
        progress.start(_("Patrols of the last 30 days"))
        create_demo_patrols(today, now=now)
        progress.done(_("%(count)d duty shifts") % {"count": DutyShift.objects.count()})
        progress.start(_("A month of reports through the loop"))
        demo_history_load(now=now)
        progress.done(_("%(count)d reports") % {"count": Report.objects.count()})
    return DemoLoad(created=created, party_path=cases.party_path)


def _skip_city(progress: Progress) -> None:
    """The city is there: its three steps report what it holds."""
    progress.start(_("Organisation and accounts"))
    progress.done(_organisation_summary())
    progress.start(_("Unit grids"))
    progress.done(_("%(count)d grids") % {"count": Grid.objects.count()})
    progress.start(_("Violation catalogue"))
    progress.done(_catalogue_summary())


def _organisation_summary() -> str:
    return _("%(units)d units, %(users)d accounts") % {
        "units": Unit.objects.count(),
        "users": User.objects.count(),
    }


def _catalogue_summary() -> str:
    return _("%(count)d violations") % {"count": Violation.objects.filter(is_current=True).count()}


def _create_city(today: datetime.date, progress: Progress) -> None:
    progress.start(_("Organisation and accounts"))
    types = {t.code: t for t in HandlingUnitType.objects.all()}
    units = _create_units(types)
    district = demo_district()
    squadrons = [units[f"squadron{i}"] for i in range(1, len(district.streets) + 1)]
    officers = _create_staff(units, today)
    features = []
    for street_number, street in enumerate(district.streets, start=1):
        street_code = f"{COUNTY_CODE}{street_number:03d}000"
        street_unit = org.unit_create(
            name=street.name,
            kind=UnitKind.STREET,
            parent=units["bureau"],
            code=street_code,
            handling_type=types["locality"],
            sort_order=20 + street_number,
        )
        squadron = squadrons[street_number - 1]
        for community_number, community in enumerate(street.communities, start=1):
            community_code = f"{street_code[:9]}{community_number:03d}"
            org.unit_create(
                name=community.name,
                kind=UnitKind.COMMUNITY,
                parent=street_unit,
                code=community_code,
                handling_type=types["locality"],
                sort_order=community_number,
            )
            grid_officer = officers.grid_officer(squadron, community.name)
            for sequence, polygon in enumerate(community.grids, start=1):
                features.append(
                    {
                        "type": "Feature",
                        "geometry": to_geojson(polygon),
                        "properties": {
                            "code": f"{community_code}{sequence:03d}",
                            "name": f"{community.name}{sequence}号网格",
                            "squadron": squadron.code,
                            "officers": [grid_officer.username],
                        },
                    }
                )
    progress.done(_organisation_summary())
    progress.start(_("Unit grids"))
    grids_import(collection={"type": "FeatureCollection", "features": features})
    _attach_demo_photo(officer=User.objects.get(username="zhifa1"), today=today)
    progress.done(_("%(count)d grids") % {"count": Grid.objects.count()})
    progress.start(_("Violation catalogue"))
    catalogue_save(items=items_from_json(), actor=None, source="starter")
    progress.done(_catalogue_summary())


def _attach_demo_photo(*, officer: User, today: datetime.date) -> None:
    """A patrol photo on the first grid, with EXIF time and position, so the demo shows
    how evidence is stored, hashed and read."""
    grid = Grid.objects.order_by("code").first()
    lon = (grid.min_lon + grid.max_lon) / 2
    lat = (grid.min_lat + grid.max_lat) / 2
    taken = datetime.datetime.combine(today - datetime.timedelta(days=1), datetime.time(9, 41, 7))
    content = demo_photo(taken=taken, latitude=lat, longitude=lon)
    evidence_add(
        upload=ContentFile(content, name="巡查照片.jpg"),
        name="巡查照片.jpg",
        target=target_for(grid),
        actor=officer,
        note="日常巡查",
    )


def demo_photo(*, taken: datetime.datetime, latitude: float, longitude: float) -> bytes:
    """A small JPEG (a street scene in flat shapes) carrying EXIF time and GPS."""
    image = Image.new("RGB", (640, 480), (186, 214, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 330, 640, 480), fill=(120, 120, 120))  # road
    draw.rectangle((40, 150, 260, 330), fill=(205, 170, 125))  # shop
    draw.rectangle((300, 250, 420, 330), fill=(200, 60, 50))  # stall on the pavement
    draw.polygon([(290, 250), (430, 250), (360, 205)], fill=(240, 200, 60))  # its awning
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "YANGGUANG", "DEMO-CAM"
    exif.get_ifd(0x8769)[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", _dms(latitude)
    gps[3], gps[4] = "E", _dms(longitude)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, exif=exif)
    return buffer.getvalue()


def _dms(degrees: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    whole = int(degrees)
    minutes_float = (degrees - whole) * 60
    minutes = int(minutes_float)
    seconds = round((minutes_float - minutes) * 60 * 10000)
    return IFDRational(whole, 1), IFDRational(minutes, 1), IFDRational(seconds, 10000)


def _create_units(types: dict[str, HandlingUnitType]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    bureau = org.unit_create(name=BUREAU_NAME, kind=UnitKind.BUREAU, phone="0537-12319")
    units["bureau"] = bureau
    for key, name, order in [
        ("command", "数字化城管指挥中心", 1),
        ("legal", "法制科", 2),
        ("it", "信息科", 3),
    ]:
        units[key] = org.unit_create(
            name=name, kind=UnitKind.OFFICE, parent=bureau, sort_order=order
        )
    brigade = org.unit_create(
        name="综合执法大队", kind=UnitKind.BRIGADE, parent=bureau, sort_order=4
    )
    for number, name in enumerate(["第一中队", "第二中队", "第三中队", "第四中队"], start=1):
        units[f"squadron{number}"] = org.unit_create(
            name=name,
            kind=UnitKind.SQUADRON,
            parent=brigade,
            code=f"ZD{number:02d}",
            handling_type=types["enforcement"],
            sort_order=number,
        )
    for order, (key, name, type_code, external) in enumerate(HANDLING_UNITS, start=10):
        units[key] = org.unit_create(
            name=name,
            kind=UnitKind.HANDLING,
            parent=bureau,
            handling_type=types[type_code],
            is_external=external,
            sort_order=order,
        )
    return units


class _Staff:
    """Creates the demo accounts and hands out one grid officer per community."""

    def __init__(self, units: dict[str, Unit], today: datetime.date) -> None:
        self.units = units
        self.today = today
        self.posts = {post.code: post for post in Post.objects.all()}
        self.ranks = list(Rank.objects.filter(category="行政执法类").order_by("sort_order"))
        self.serial = 0
        self.grid_officers: dict[str, User] = {}

    def create(self, *, username: str, name: str, unit: Unit, posts: list[str]) -> User:
        self.serial += 1
        return org.user_create(
            username=username,
            name=name,
            unit=unit,
            posts=[self.posts[code] for code in posts],
            password=DEMO_PASSWORD,
            phone=f"139{self.serial:08d}",
            rank=self._rank_for(posts),
        )

    def _rank_for(self, posts: list[str]) -> Rank | None:
        """Enforcement posts carry a 行政执法类 rank; the others none in the demo."""
        enforcement = {PostCode.OFFICER, PostCode.SQUAD_LEADER, PostCode.LEADER, PostCode.INSPECTOR}
        if not self.ranks or not enforcement.intersection(posts):
            return None
        return self.ranks[(self.serial + 2) % len(self.ranks)]

    def certify(self, officer: User, *, state: str = "valid") -> None:
        if state == "expired":
            valid_from, valid_to = (
                datetime.date(2021, 3, 1),
                self.today - datetime.timedelta(days=30),
            )
        else:
            valid_from = datetime.date(2024, 1, 1)
            valid_to = datetime.date(self.today.year + 3, 12, 31)
        org.certificate_add(
            holder=officer,
            number=f"{COUNTY_CODE}{officer.pk:06d}",
            issuing_authority=CERTIFICATE_AUTHORITY,
            valid_from=valid_from,
            valid_to=valid_to,
            status=CertificateStatus.SUSPENDED if state == "suspended" else CertificateStatus.VALID,
            enforcement_category=ENFORCEMENT_CATEGORY,
            enforcement_area=ENFORCEMENT_AREA,
        )

    def grid_officer(self, squadron: Unit, community_name: str) -> User:
        if community_name not in self.grid_officers:
            number = len(self.grid_officers) + 1
            name = SURNAMES[number % len(SURNAMES)] + GIVEN[number % len(GIVEN)]
            self.grid_officers[community_name] = self.create(
                username=f"wangge{number:02d}",
                name=name,
                unit=squadron,
                posts=[PostCode.INSPECTOR],
            )
        return self.grid_officers[community_name]


class _DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, for the demo's published password only: hashing it
    for 35 accounts at the full count took most of the demo's loading. Django re-hashes
    a password at the full count when it next checks it (``must_update``), that is at
    each account's first sign-in."""

    iterations = 1_000


@contextlib.contextmanager
def _quick_password_hashing() -> Iterator[None]:
    """New passwords are hashed by ``_DemoPasswordHasher`` while the demo's accounts
    are created (the grid officers with their grids), where PBKDF2 is the configured
    hasher (tests configure a faster one)."""
    configured = list(settings.PASSWORD_HASHERS)
    if not configured or configured[0] != "django.contrib.auth.hashers.PBKDF2PasswordHasher":
        yield
        return
    settings.PASSWORD_HASHERS = [f"{__name__}._DemoPasswordHasher", *configured]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    try:
        yield
    finally:
        settings.PASSWORD_HASHERS = configured
        get_hashers.cache_clear()
        get_hashers_by_algorithm.cache_clear()


def _create_staff(units: dict[str, Unit], today: datetime.date) -> _Staff:
    staff = _Staff(units, today)
    for post, username, name, unit_key in LOGINS:
        user = staff.create(username=username, name=name, unit=units[unit_key], posts=[post])
        if post in {PostCode.OFFICER, PostCode.SQUAD_LEADER, PostCode.LEADER}:
            staff.certify(user)
        if post == PostCode.LEGAL_REVIEWER:
            org.user_set_legal_qualification(
                user=user, qualification="A20183700000123", since=None, actor=None
            )
    for username, name, unit_key, state in EXTRA_OFFICERS:
        user = staff.create(
            username=username, name=name, unit=units[unit_key], posts=[PostCode.OFFICER]
        )
        staff.certify(user, state=state)
    for unit_key, username, name in HANDLERS:
        staff.create(username=username, name=name, unit=units[unit_key], posts=[PostCode.HANDLER])
    return staff


class DemoSmsGateway(LoggingGateway):
    """The served demo's text messages (``yangguang demo`` starts its worker with it):
    logged as by the logging gateway — the number masked, codes and link tokens as
    ``***`` — except those to the demo party's and the demo merchant's fictional
    numbers, logged in full, so that whoever tries the party's page or signs in as the
    merchant reads the one-time code in the console."""

    def send(self, *, phone: str, text: str, masked_text: str) -> str:
        shown = text if phone in {DEMO_PARTY_PHONE, DEMO_MERCHANT_PHONE} else masked_text
        return super().send(phone=phone, text=text, masked_text=shown)
