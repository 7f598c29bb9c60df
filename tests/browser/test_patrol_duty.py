"""On a phone, in a real browser: an inspector goes on patrol duty from the patrol-finding
page, the phone's GPS (faked through the DevTools protocol) gives a fix and the server
stores it in the inspector's shift with its grid; the inspector ends duty and no
position is sent any more, even when the phone moves on.

The clock is the real one here (no time_machine): a fix carries the browser's own time
(``position.timestamp``), which the server checks against its clock and the shift.
"""

import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import PHONE
from tests.patrol.helpers import inside
from yangguang.org.enums import PostCode
from yangguang.patrol.models import DutyShift, Position


def set_gps(browser, col: int) -> None:
    lon, lat = inside(col)
    browser.execute_cdp_cmd(
        "Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lon, "accuracy": 8}
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_inspector_starts_duty_shares_position_and_ends_duty(browser, live_server, city):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    settings.POSITION_MIN_INTERVAL_SECONDS = 1
    inspector = city.people[PostCode.INSPECTOR]
    browser.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": live_server.url, "permissions": ["geolocation"]}
    )
    set_gps(browser, 0)

    # Signed in as the inspector (the session made by Django's client).
    browser.get(live_server.url + reverse("backoffice:login"))
    client = Client()
    client.force_login(inspector)
    browser.delete_all_cookies()
    browser.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
    browser.get(live_server.url + reverse("backoffice:patrol"))
    start = browser.find_element(By.CSS_SELECTOR, "#duty-start-form button[type=submit]")
    assert browser.find_element(By.ID, "duty-state").get_attribute("data-on-duty") == "0"
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    time.sleep(1.5)
    assert not Position.objects.exists()  # off duty, nothing is sent

    # 开始值守: the bar turns to duty and the phone's fix arrives.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", start)
    start.click()
    WebDriverWait(browser, 15).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, "#duty-end-form")
    )
    shift = DutyShift.objects.get(user=inspector, ended_at__isnull=True)
    WebDriverWait(browser, 20).until(lambda _driver: Position.objects.filter(shift=shift).exists())
    position = Position.objects.filter(shift=shift).first()
    assert position.grid.code == "370899001001001"
    assert abs(position.lon - inside(0)[0]) < 1e-6
    assert abs(position.lat - inside(0)[1]) < 1e-6
    WebDriverWait(browser, 10).until(
        lambda driver: (
            driver.find_element(By.ID, "duty-status").text.strip()
            and "GPS" not in driver.find_element(By.ID, "duty-status").text
        )
    )
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]

    # 结束值守: the shift ends where the phone was; moving on sends nothing.
    end = browser.find_element(By.CSS_SELECTOR, "#duty-end-form button[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", end)
    end.click()
    WebDriverWait(browser, 15).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, "#duty-start-form")
    )
    shift.refresh_from_db()
    assert shift.ended_at is not None
    assert shift.end_lon is not None
    stored = Position.objects.count()
    set_gps(browser, 1)
    time.sleep(3)
    assert Position.objects.count() == stored
    assert not DutyShift.objects.filter(ended_at__isnull=True).exists()
