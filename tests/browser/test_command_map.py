"""The command map in a real browser at 1366×900, with no tile server: the offline base
layer draws the demo district's streets and names, the reports show as clusters and
points, a click on a point opens its popup with a link to the report, and the heat and
grid layers switch on and off — with no request leaving the site and no script error.
"""

import datetime
import json
import os
import zoneinfo
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import CHROMEDRIVER, CHROMIUM
from tests.reports.helpers import INSIDE, submit
from yangguang.org.enums import PostCode

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 23, 10, 30, tzinfo=SHANGHAI)
DESKTOP = (1366, 900)
# ≈ 450 m apart: separate points at the zoom that fits the district.
SPREAD_LON = 0.005


@pytest.fixture
def desktop():
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
        "--no-first-run",
        "--lang=zh-CN",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def sign_in(browser, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    browser.get(base_url + "/static/yangguang/favicon.svg")
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def requested_urls(browser) -> list[str]:
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_map_without_a_tile_server(desktop, live_server, city):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser = desktop
    with time_machine.travel(NOW, tick=False):
        crowd = [submit(city)[0] for _ in range(3)]  # one place: a cluster
        alone = [
            submit(city, longitude=INSIDE["longitude"] + SPREAD_LON * step)[0] for step in (-2, 2)
        ]
    assert crowd
    sign_in(browser, live_server.url, city.people[PostCode.SHIFT_LEAD])
    browser.get(live_server.url + reverse("backoffice:command_map") + "?state=open")
    WebDriverWait(browser, 30).until(
        lambda driver: (
            driver.execute_script("return document.getElementById('command-map').dataset.ready")
            == "true"
        )
    )
    assert browser.execute_script("return window.innerWidth") == DESKTOP[0]
    assert browser.find_element(By.ID, "command-map").get_attribute("data-points") == "5"

    # The base layer, drawn without a tile server: street names, no tiles.
    labels = {element.text for element in browser.find_elements(By.CSS_SELECTOR, ".cm-label-road")}
    assert "阳光路" in labels
    assert {"和平路", "建设路"} & labels
    assert not browser.find_elements(By.CSS_SELECTOR, ".leaflet-tile")
    assert browser.find_elements(By.CSS_SELECTOR, "path.leaflet-interactive")  # the grids

    # Clusters and single points.
    cluster = browser.find_element(By.CSS_SELECTOR, ".cm-cluster")
    assert cluster.text == "3"
    points = browser.find_elements(By.CSS_SELECTOR, ".cm-point")
    assert len(points) == len(alone)

    # A click opens the popup, with the report's number and a link to its page.
    points[0].click()
    link = WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, ".leaflet-popup a.cm-report-link")
    )
    popup = browser.find_element(By.CSS_SELECTOR, ".leaflet-popup-content").text
    (shown,) = [report for report in alone if report.tracking_number in popup]
    assert link.get_attribute("href").endswith(reverse("backoffice:report", args=[shown.pk]))

    # The heat layer on, the grids off.
    browser.find_element(By.CSS_SELECTOR, "input[name=layer][value=heat]").click()
    assert browser.find_elements(By.CSS_SELECTOR, "canvas.leaflet-heatmap-layer")
    browser.find_element(By.CSS_SELECTOR, "input[name=layer][value=grids]").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "path.leaflet-interactive")

    # A filter that selects nothing empties the map.
    browser.execute_script(
        "const f = document.getElementById('command-map-filters');"
        "f.elements.state.value = 'void'; f.requestSubmit();"
    )
    WebDriverWait(browser, 10).until(
        lambda driver: driver.find_element(By.ID, "command-map").get_attribute("data-points") == "0"
    )

    # Every request stayed on the site; the scripts logged no error.
    outside = [url for url in requested_urls(browser) if not url.startswith(live_server.url)]
    assert [url for url in outside if not url.startswith("data:")] == []
    errors = [
        entry
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]
    ]
    assert errors == []
