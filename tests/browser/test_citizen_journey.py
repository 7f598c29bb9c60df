"""In a real browser on a phone-sized screen: a citizen files a report with a photo,
staff handle it, and the citizen reads the reply on the tracking page and rates it.

The browser is tests/browser/conftest.py's.
"""

import pytest
from django.core.files.base import ContentFile

from tests.browser.conftest import PHONE
from tests.records import samples
from tests.reports.helpers import photo
from yangguang.notify.services import messages_send
from yangguang.org.enums import PostCode
from yangguang.reports.enums import DisposalMode, Status
from yangguang.reports.models import Report
from yangguang.reports.services import report_reply
from yangguang.reports.workflow import report_transition


def handle_as_staff(report: Report, city) -> None:
    """The bureau's side of the loop, through the same services as the staff pages."""
    people = city.people
    report_transition(report=report, verb="accept", actor=people[PostCode.INTAKE])
    report_transition(
        report=report, verb="dispatch", actor=people[PostCode.DISPATCHER], unit=city.org.municipal
    )
    report_transition(report=report, verb="claim", actor=people[PostCode.HANDLER])
    report_transition(
        report=report,
        verb="handle",
        actor=people[PostCode.HANDLER],
        result="已更换灯具",
        disposal_mode=DisposalMode.SERVICE,
        photos=[photo()],
    )
    report_transition(report=report, verb="verify_pass", actor=people[PostCode.INSPECTOR])
    report_reply(
        report=report, text="您反映的路灯已修好，感谢您的支持！", actor=people[PostCode.SHIFT_LEAD]
    )
    messages_send()  # the worker's round: the reply is sent, so the report may close
    report_transition(report=report, verb="close", actor=people[PostCode.SHIFT_LEAD])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_citizen_reports_with_a_photo_and_reads_the_reply(browser, live_server, city, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    photo = tmp_path / "现场.jpg"
    photo.write_bytes(ContentFile(samples.jpeg_with_exif()).read())

    browser.get(f"{live_server.url}/report/")
    assert browser.execute_script("return window.innerWidth") == PHONE[0]
    Select(browser.find_element(By.ID, "id_category")).select_by_value(str(city.lamp.pk))
    browser.find_element(By.ID, "id_description").send_keys("路灯不亮，晚上很黑")
    browser.find_element(By.ID, "id_photos").send_keys(str(photo))
    # Tap the map where the problem is: the page's script fills in the position.
    WebDriverWait(browser, 10).until(
        lambda driver: (
            driver.execute_script("return document.querySelectorAll('#report-map path').length") > 0
        )
    )
    map_element = browser.find_element(By.ID, "report-map")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", map_element)
    map_element.click()
    WebDriverWait(browser, 5).until(
        lambda driver: driver.find_element(By.ID, "id_latitude").get_attribute("value")
    )
    browser.find_element(By.ID, "id_address").send_keys("一社区门口")
    browser.find_element(By.ID, "id_phone").send_keys("13912345678")
    browser.find_element(By.CSS_SELECTOR, "form.report-form button[type=submit]").click()

    WebDriverWait(browser, 10).until(lambda driver: "/track/" in driver.current_url)
    report = Report.objects.get()
    assert report.tracking_number in browser.page_source
    assert report.grid is not None  # the tapped place lies in a unit grid
    assert report.channel == "web"
    tracking_url = browser.current_url.split("?")[0]

    handle_as_staff(report, city)
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED

    browser.get(tracking_url)
    page = browser.page_source
    assert "您反映的路灯已修好，感谢您的支持！" in page
    assert "市政处" in page
    browser.find_element(By.CSS_SELECTOR, "input[name=rating][value=satisfied]").click()
    browser.find_element(By.CSS_SELECTOR, "form[action$='/rate/'] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda _driver: Report.objects.get(pk=report.pk).rating)
    assert Report.objects.get(pk=report.pk).rating == "satisfied"
    WebDriverWait(browser, 10).until(
        lambda driver: not driver.find_elements(By.CSS_SELECTOR, "input[name=rating]")
    )
