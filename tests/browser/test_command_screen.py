"""In a real browser: the shift leader keeps the 大屏 open at 1920×1080 while a report
comes in; today's intake goes up without the page reloading. The figures going stale
(the server out of reach) shows the warning, which clears when polling succeeds again.
And the command centre's ordinary page fits a phone without sideways scrolling.

The clock is the real one here (no time_machine): the browser keeps the session cookie
by its own clock, and the report and the figures both count "today" by the server's.
"""

import os
import time
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMEDRIVER, CHROMIUM, PHONE
from tests.reports.helpers import submit
from yangguang.org.enums import PostCode

SCREEN = (1920, 1080)
PASSWORD = "correct-horse-battery-9"  # tests.factories.UserFactory's


@pytest.fixture
def big_screen():
    """A desktop Chromium whose page is exactly 1920×1080 CSS pixels; its console log
    is kept (Content Security Policy violations and script errors land there)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("YANGGUANG_REQUIRE_BROWSER"):
            pytest.fail("Chromium and ChromeDriver are required")
        pytest.skip("Chromium and ChromeDriver are not installed")
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--lang=zh-CN",
        "--hide-scrollbars",
        f"--window-size={SCREEN[0]},{SCREEN[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": SCREEN[0], "height": SCREEN[1], "deviceScaleFactor": 1, "mobile": False},
    )
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def artefact(tmp_path: Path, name: str) -> Path:
    """Where a screenshot is kept: $YANGGUANG_ARTEFACTS (CI's artefacts) or the test's
    temporary directory."""
    directory = Path(os.environ.get("YANGGUANG_ARTEFACTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory / name


def sign_in(driver, live_server, user) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{live_server.url}/staff/login/")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button.primary").click()
    WebDriverWait(driver, 10).until(lambda d: "/login/" not in d.current_url)


def charts_drawn(driver) -> int:
    """How many charts ECharts set up, if each with something to show has drawn it on
    its canvas (an empty one says so on the 大屏, and hides on the page); else 0."""
    return driver.execute_script(
        """
        var nodes = Array.from(document.querySelectorAll('[data-chart]'));
        var ready = nodes.every(function (node) {
          var chart = window.echarts && window.echarts.getInstanceByDom(node);
          var canvas = node.querySelector('canvas');
          return chart && canvas && (node.classList.contains('cc-chart-empty') ||
                                     (canvas.width > 0 && canvas.height > 0));
        });
        return ready ? nodes.length : 0;
        """
    )


def intake_shown(driver) -> int:
    return int(
        driver.execute_script(
            "return document.querySelector('[data-figure=intake_today] .cc-num').textContent"
        )
    )


def live_polls(driver) -> int:
    return driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(function (entry) { return entry.name.indexOf('/live.json') >= 0; }).length"
    )


def console_problems(driver) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_big_screen_counts_a_new_report_without_reloading(
    big_screen, live_server, city, settings, tmp_path
):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    settings.SCREEN_REFRESH_SECONDS = 1
    submit(city)  # one report already in today
    sign_in(big_screen, live_server, city.people[PostCode.SHIFT_LEAD])
    big_screen.get(f"{live_server.url}/staff/command/screen/")
    WebDriverWait(big_screen, 10).until(lambda d: charts_drawn(d) == 5)
    assert big_screen.execute_script("return [window.innerWidth, window.innerHeight]") == [*SCREEN]
    # The whole 大屏 fits the screen: nothing to scroll.
    assert big_screen.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    ) == [*SCREEN]
    assert intake_shown(big_screen) == 1
    assert big_screen.find_element(By.CSS_SELECTOR, "[data-clock]").text
    big_screen.execute_script("window.ccLoadMarker = 'the page loaded once'")

    # A report comes in while the 大屏 is open.
    submit(city, description="井盖缺失，十分危险")
    WebDriverWait(big_screen, 20).until(lambda d: intake_shown(d) == 2)
    assert big_screen.execute_script("return window.ccLoadMarker") == "the page loaded once"
    big_screen.save_screenshot(str(artefact(tmp_path, "command-screen-1920x1080.png")))
    link = big_screen.find_element(By.CSS_SELECTOR, "[data-figure=intake_today]")
    assert link.get_attribute("href").startswith(live_server.url)
    assert charts_drawn(big_screen) == 5
    assert not big_screen.find_element(By.CSS_SELECTOR, "[data-stale]").is_displayed()

    # The server out of reach: the warning shows; back again: it goes.
    big_screen.execute_cdp_cmd("Network.enable", {})
    big_screen.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/command/live.json*"]})
    stale = big_screen.find_element(By.CSS_SELECTOR, "[data-stale]")
    WebDriverWait(big_screen, 10).until(lambda _d: stale.is_displayed())
    big_screen.save_screenshot(str(artefact(tmp_path, "command-screen-stale.png")))
    big_screen.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    WebDriverWait(big_screen, 10).until(lambda _d: not stale.is_displayed())
    assert big_screen.execute_script("return window.ccLoadMarker") == "the page loaded once"

    problems = [message for message in console_problems(big_screen) if "live.json" not in message]
    assert problems == []

    # Hidden (another tab in front): no polling; shown again: a poll at once.
    big_screen.execute_script(
        """
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => true});
        document.dispatchEvent(new Event('visibilitychange'));
        """
    )
    time.sleep(0.5)  # a poll already on its way lands
    before = live_polls(big_screen)
    time.sleep(3)  # three refresh intervals
    assert live_polls(big_screen) == before
    big_screen.execute_script(
        """
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => false});
        document.dispatchEvent(new Event('visibilitychange'));
        """
    )
    WebDriverWait(big_screen, 1).until(lambda d: live_polls(d) > before)

    # A chart's bar is a link too: clicking the top category opens its list.
    target = big_screen.execute_script(
        """
        var node = document.querySelector('[data-chart="top_categories"]');
        var chart = echarts.getInstanceByDom(node);
        var item = chart.getOption().series[0].data[0];
        var point = chart.convertToPixel({seriesIndex: 0}, [item.value / 2, 0]);
        var box = node.getBoundingClientRect();
        return {x: point[0] - box.width / 2, y: point[1] - box.height / 2, url: item.url};
        """
    )
    chart = big_screen.find_element(By.CSS_SELECTOR, '[data-chart="top_categories"]')
    ActionChains(big_screen).move_to_element_with_offset(
        chart, round(target["x"]), round(target["y"])
    ).click().perform()
    WebDriverWait(big_screen, 10).until(
        lambda d: d.current_url == f"{live_server.url}{target['url']}"
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_centre_fits_a_phone(browser, live_server, city, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    submit(city)
    sign_in(browser, live_server, city.people[PostCode.SHIFT_LEAD])
    browser.get(f"{live_server.url}/staff/command/")
    WebDriverWait(browser, 10).until(lambda d: charts_drawn(d) == 5)
    assert browser.execute_script("return window.innerWidth") == PHONE[0]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    assert intake_shown(browser) == 1
    # The lists under the charts carry the same figures, each a link.
    items = browser.find_elements(By.CSS_SELECTOR, "[data-list] a.cc-item")
    assert items
    assert all(item.get_attribute("href").startswith(live_server.url) for item in items)
    browser.save_screenshot(str(artefact(tmp_path, "command-centre-phone.png")))
