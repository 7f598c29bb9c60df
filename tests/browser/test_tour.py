"""The README's tour of the demo city, walked in a real browser (issue 11).

The demo city is loaded into the live server's database at a pinned Monday morning.
A citizen reports a problem with a photo on a phone and follows it on the tracking
page; each staff post then takes its step on the report's page in order — the handler's
处置 and the inspector's 核查 with photos through the forms' file inputs — the shift
lead approves the after-photo for the public, replies and closes, and the tracking page
shows the photo, as does a look-up by number and phone. The squadron leader opens the
demo case's 决定书 and 告知书 PDFs and its case file and the deadline board; the party
of the notified case sends their 陈述申辩 from the phone, with the one-time code the
demo texts them.

Every page the tour opens is checked at 390×844 (a phone) and at 1366×900: no response
of 500 or above (the browser's network log), no sideways scrolling, and no English or
raw choice value in its visible text (tests/core/test_every_page.py's checker).
One sign-in is typed; the other posts get their session cookie from Django's client.
"""

import datetime
import json
import re
import time
import zoneinfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.browser.conftest import PHONE
from tests.core.test_every_page import english_phrases, problems, raw_choice_values
from tests.records import samples
from yangguang.cases.models import Case
from yangguang.core.demo import DEMO_PASSWORD, demo_city_load
from yangguang.core.demo_cases import HEARING_CASE_TITLE
from yangguang.grids.models import Grid
from yangguang.grids.selectors import grid_at
from yangguang.notify.models import Message
from yangguang.notify.services import messages_send
from yangguang.org.enums import PostCode
from yangguang.org.models import User
from yangguang.reports.enums import Status
from yangguang.reports.models import Report, ReportPhoto

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)  # a Monday, office hours
DESKTOP = (1366, 900)


class Tour:
    """The browser and what every page it opens must satisfy; problems are collected
    so that one run names them all."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.english = english_phrases()
        self.raw_values = raw_choice_values()
        self.failures: list[str] = []
        self.pages: list[str] = []

    # --- Moving around --------------------------------------------------------------

    def open(self, path: str) -> None:
        self.browser.get(self.base_url + path)
        self.check()

    def sign_in(self, username: str) -> None:
        """Sign in as ``username`` by handing the browser a session made by Django's
        client (the typed sign-in is tried once, in the tour)."""
        client = Client()
        client.force_login(User.objects.get(username=username))
        self.browser.delete_all_cookies()
        self.browser.add_cookie(
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "path": "/",
            }
        )

    def sign_out(self) -> None:
        self.browser.delete_all_cookies()

    def submit(self, form_selector: str, **fields) -> None:
        """Fill in a form's fields (by name: text, a <select>'s option text, or a file
        path for a file input) and press its button; the page it leads to is checked."""
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import Select, WebDriverWait

        form = self.browser.find_element(By.CSS_SELECTOR, form_selector)
        details = self.browser.execute_script("return arguments[0].closest('details')", form)
        if details is not None and not details.get_attribute("open"):
            summary = details.find_element(By.TAG_NAME, "summary")
            self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
            summary.click()
        for name, value in fields.items():
            element = form.find_element(By.NAME, name)
            if element.tag_name == "select":
                Select(element).select_by_visible_text(value)
            elif element.get_attribute("type") == "file":
                element.send_keys(value)
            else:
                element.clear()
                element.send_keys(value)
        button = form.find_element(By.CSS_SELECTOR, "button[type=submit]")
        self.browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        self.browser.execute_script("window.tourLeaving = true")
        button.click()
        WebDriverWait(self.browser, 30).until(
            lambda driver: driver.execute_script("return window.tourLeaving === undefined")
        )
        self.check()

    def fetch(self, path: str) -> tuple[int, str, int]:
        """GET ``path`` from the page (with the browser's session): status, content
        type and length."""
        return tuple(
            self.browser.execute_async_script(
                """const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(async (response) => {
                  const body = await response.arrayBuffer();
                  done([response.status, response.headers.get('Content-Type'), body.byteLength]);
                }).catch((error) => done([0, String(error), 0]));""",
                path,
            )
        )

    # --- What every page must satisfy -----------------------------------------------

    def check(self) -> None:
        from selenium.webdriver.support.ui import WebDriverWait

        browser = self.browser
        WebDriverWait(browser, 30).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete"
        )
        where = browser.current_url.removeprefix(self.base_url)
        self.pages.append(where)
        for url, status in self._responses():
            if status >= 500:
                self.failures.append(f"{where}: {url} answered {status}")
        html = browser.page_source
        self.failures += [
            f"{where}: {problem}" for problem in problems(html, self.english, self.raw_values)
        ]
        for label, (width, height, mobile) in (
            ("390 px", (*PHONE, True)),
            ("1366 px", (*DESKTOP, False)),
        ):
            inner, scroll = self._laid_out(width, height, mobile=mobile)
            if scroll > inner or inner != width:
                self.failures.append(
                    f"{where}: scrolls sideways at {label} ({scroll} px): {self._widest(width)}"
                )
        self._viewport(*PHONE, mobile=True)

    def _laid_out(self, width: int, height: int, *, mobile: bool) -> tuple[int, int]:
        """The viewport's width and the page's, once the page is laid out for the
        viewport (a moment after it is set; set again while it is not). A phone page
        wider than the screen is zoomed out to fit, so its viewport stays wider."""
        for _attempt in range(20):
            self._viewport(width, height, mobile=mobile)
            inner, scroll = self.browser.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]"
            )
            if inner == width:
                break
            time.sleep(0.25)
        return inner, scroll

    def _widest(self, width: int) -> list[str]:
        """What sticks out of ``width``."""
        return self.browser.execute_script(
            """return [window.innerWidth, document.documentElement.scrollWidth,
              ...[...document.querySelectorAll('body *')]
              .filter((el) => el.getBoundingClientRect().right > arguments[0])
              .slice(-5).map((el) => el.tagName + '.' + el.className + ' '
                + Math.round(el.getBoundingClientRect().right))];""",
            width,
        )

    def _viewport(self, width: int, height: int, *, mobile: bool) -> None:
        self.browser.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": height,
                "deviceScaleFactor": 3 if mobile else 1,
                "mobile": mobile,
            },
        )

    def _responses(self) -> list[tuple[str, int]]:
        """The responses the browser received since the last look (pages, files,
        scripts, fetches)."""
        seen = []
        for entry in self.browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.responseReceived":
                response = message["params"]["response"]
                seen.append((response["url"], int(response["status"])))
        return seen

    def assert_clean(self) -> None:
        assert not self.failures, "\n".join(self.failures)


@pytest.fixture
def demo(live_server, time_machine):
    """The demo city in the live server's database, the clock pinned (ticking, so that
    steps taken one after another are ordered). Loaded in the site's language, as
    ``yangguang demo`` loads it (texts kept with the work, such as a discretion
    proposal's reasons, are written in the language active when it is done)."""
    time_machine.move_to(NOW, tick=True)
    with translation.override(settings.LANGUAGE_CODE):
        return demo_city_load(now=NOW)


def _map_settled(browser) -> None:
    """Leaflet animates the map to the district's bounds: a tap lands where it points
    only once the map has stopped moving."""
    last = None
    for _attempt in range(40):
        now = browser.execute_script(
            """const pane = document.querySelector('#report-map .leaflet-map-pane');
            const zooming = document.querySelector('#report-map .leaflet-zoom-anim');
            return (pane ? pane.style.transform : '') + (zooming ? ' zooming' : '')
              + document.querySelectorAll('#report-map path').length;"""
        )
        if now == last and "zooming" not in now:
            return
        last = now
        time.sleep(0.3)


def _tapped_grid(browser) -> Grid | None:
    """The grid holding the point the form will send (a tap may land between grids)."""
    from selenium.webdriver.common.by import By

    def value(field: str) -> float:
        return float(browser.find_element(By.ID, field).get_attribute("value"))

    return grid_at(lon=value("id_longitude"), lat=value("id_latitude"))


def _use_phone_location(browser, origin: str) -> None:
    """The other way the form takes a place: the phone's position (使用我的位置), here
    inside the first grid, so the report has a grid whatever the tap hit."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    grid = Grid.objects.order_by("code").first()
    lat, lon = (grid.min_lat + grid.max_lat) / 2, (grid.min_lon + grid.max_lon) / 2
    browser.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": origin, "permissions": ["geolocation"]}
    )
    browser.execute_cdp_cmd(
        "Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 5}
    )
    browser.find_element(By.ID, "use-location").click()
    WebDriverWait(browser, 10).until(lambda driver: _tapped_grid(driver) is not None)


def _photo(tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(samples.jpeg_with_exif())
    return str(path)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_readme_tour_of_the_demo_city(browser, live_server, demo, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    tour = Tour(browser, live_server.url)

    # The public site; a citizen reports a broken street lamp with a photo, on a phone.
    tour.open("/")
    tour.open("/report/")
    overflowing = browser.execute_script(
        """return [...document.querySelectorAll('input[type=radio], label.choice')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth)
          .map((el) => el.outerHTML.slice(0, 80));"""
    )
    assert overflowing == []
    lamp = browser.execute_script(
        """const option = [...document.querySelectorAll('#id_category option')]
          .find((o) => o.textContent.includes('路灯'));
        return option.textContent.trim();"""
    )
    browser.find_element(By.ID, "id_photos").send_keys(_photo(tmp_path, "现场.jpg"))
    WebDriverWait(browser, 20).until(
        lambda driver: (
            driver.execute_script("return document.querySelectorAll('#report-map path').length") > 0
        )
    )
    _map_settled(browser)
    map_element = browser.find_element(By.ID, "report-map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", map_element)
    map_element.click()
    WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element(By.ID, "id_latitude").get_attribute("value")
    )
    if _tapped_grid(browser) is None:
        _use_phone_location(browser, live_server.url)
    tour.submit(
        "form.report-form",
        category=lamp,
        description="路灯不亮，晚上很黑",
        address="滨河路口",
        phone="13912345678",
    )
    assert "/track/" in browser.current_url, tour.failures
    tracking_path = browser.current_url.removeprefix(live_server.url).split("?")[0]
    report = Report.objects.get(description="路灯不亮，晚上很黑")
    assert report.tracking_number in browser.page_source
    assert report.grid is not None  # the tap fell in the district

    # 受理员 signs in by typing, and accepts the report.
    tour.open("/staff/login/")
    browser.find_element(By.NAME, "username").send_keys("shouli")
    browser.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    tour.submit("main form")
    assert "/login/" not in browser.current_url
    tour.open("/staff/reports/")
    staff_page = f"/staff/reports/{report.pk}/"
    tour.open(staff_page)
    tour.submit("form[action$='/act/accept/']")
    assert Report.objects.get(pk=report.pk).status == Status.REGISTERED

    # 派遣员 sends it to the municipal works (市政处), whose 处置人员 claims and handles it
    # with an after-photo.
    tour.sign_in("paiqian")
    tour.open(staff_page)
    tour.submit("form[action$='/act/dispatch/']", unit="阳光区市政工程管理处")
    tour.sign_in("chuzhi")
    tour.open("/staff/reports/")
    tour.open(staff_page)
    tour.submit("form[action$='/act/claim/']")
    tour.submit(
        "form[action$='/act/handle/']",
        photos=_photo(tmp_path, "处置后.jpg"),
        result="已更换灯具，恢复照明",
        disposal_mode="服务（劝导/帮扶）",
    )
    assert Report.objects.get(pk=report.pk).status == Status.HANDLED, tour.failures

    # 监督员 verifies on site with a photo of their own: the one of the squadron whose
    # grid the tap fell in (jianduyuan for 第一中队).
    inspector = (
        User.objects.filter(posts__code=PostCode.INSPECTOR, unit=report.grid.squadron)
        .order_by("username")
        .first()
    )
    tour.sign_in(inspector.username)
    tour.open(staff_page)
    tour.submit("form[action$='/act/verify_pass/']", photos=_photo(tmp_path, "核查.jpg"))
    assert Report.objects.get(pk=report.pk).status == Status.VERIFIED, tour.failures

    # 值班长 shows the after-photo on the tracking page, replies and closes.
    tour.sign_in("zhibanzhang")
    tour.open(staff_page)
    after = ReportPhoto.objects.filter(report=report, stage="handling").get()
    tour.submit(f"form[action$='/photos/{after.pk}/public/']")
    assert ReportPhoto.objects.get(pk=after.pk).is_public
    tour.submit("form[action$='/reply/']", text="您反映的路灯已修好，感谢您的支持！")
    messages_send()  # the worker's round: the reply is sent, so the report may close
    tour.open(staff_page)
    tour.submit("form[action$='/act/close/']")
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED, tour.failures
    tour.open(f"/staff/records/reports.report/{report.pk}/")
    tour.open("/staff/messages/")

    # The citizen reads the reply and sees the after-photo.
    tour.sign_out()
    tour.open(tracking_path)
    assert "您反映的路灯已修好，感谢您的支持！" in browser.page_source
    photos_script = """const photos = [...document.querySelectorAll('img')]
          .filter((img) => img.src.includes('/track/photo/'));
        photos.forEach((img) => img.scrollIntoView({block: 'center'}));
        return photos.map((img) => img.complete && img.naturalWidth > 0);"""
    # The copy is made on request: wait for it to arrive rather than look at once.
    WebDriverWait(browser, 20).until(lambda driver: driver.execute_script(photos_script) == [True])
    tour.open("/track/")
    tour.submit("main form", number=report.tracking_number, phone_end="5678")
    assert "您反映的路灯已修好，感谢您的支持！" in browser.page_source

    # The yellow light at the water authority (水务局), as README's tour suggests.
    tour.sign_in("shuiwu")
    tour.open("/staff/reports/")

    # The ordinary case end to end: its documents and case file, as 中队长.
    tour.sign_in("zhongduizhang")
    tour.open("/staff/cases/")
    tour.open("/staff/cases/deadlines/")
    case = Case.objects.get(title=HEARING_CASE_TITLE)
    tour.open(f"/staff/cases/{case.pk}/")
    documents = browser.execute_script(
        """return [...document.querySelectorAll('tr')]
          .filter((row) => /决定书|告知书/.test(row.cells[0]?.textContent || ''))
          .map((row) => [row.cells[0].textContent.trim(),
                         row.querySelector('a[href$=".pdf"]').getAttribute('href')]);"""
    )
    titles = [title for title, _href in documents]
    assert any("决定书" in title for title in titles), titles
    assert any("告知书" in title for title in titles), titles
    case_file = browser.find_element(By.CSS_SELECTOR, "a[href$='case-file.pdf']")
    for title, href in [*documents, ("电子卷宗", case_file.get_attribute("href"))]:
        status, content_type, length = tour.fetch(href)
        assert (status, content_type) == (200, "application/pdf"), title
        assert length > 1000, title

    # The party of the notified case states their case from the phone.
    tour.sign_out()
    tour.open(demo.party_path)
    tour.submit("form:has(input[name=step][value=send_code])")
    texted = Message.objects.filter(purpose="party_code").latest("pk")
    code = re.findall(r"(?<!\d)\d{6}(?!\d)", texted.secret_body)[-1]  # after the case number
    tour.submit("form:has(input[name=step][value=verify])", code=code)
    tour.submit(
        "form:has(input[name=step][value=statement])",
        text="我已停止露天烧烤，请求从轻处罚。",
        files=_photo(tmp_path, "整改.jpg"),
    )
    assert "您的陈述申辩已收到" in browser.page_source

    tour.assert_clean()
    assert len(tour.pages) >= 25
