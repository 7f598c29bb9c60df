"""On a phone, in a real browser: a passer-by scans a shop's 门前三包 board, reads the shop's
page and reports a problem from it; the merchant signs the 责任书 from the texted link and
reports an 整改 done with a photo.

The QR code is read from the printed board as a phone's camera would: the PDF rendered to
pixels (pypdfium2) and decoded (zxing-cpp).
"""

import re

import pytest

from tests.browser.conftest import PHONE
from tests.merchants.helpers import merchant, shop
from tests.printed import pdf_qr_texts
from tests.records import samples
from yangguang.categories.models import Category
from yangguang.merchants.enums import LetterStatus, RectificationStatus
from yangguang.merchants.inspections import Finding, inspection_record
from yangguang.merchants.services import letter_issue
from yangguang.notify.models import Message
from yangguang.org.enums import PostCode
from yangguang.reports.models import Report


def read_qr(pdf: bytes) -> str:
    codes = pdf_qr_texts(pdf)
    assert len(codes) == 1, codes
    return codes[0]


def no_sideways_scrolling(browser) -> None:
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]


def latest_secret(purpose: str) -> str:
    return Message.objects.filter(purpose=purpose).latest("pk").secret_body


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_scan_the_board_report_a_problem_and_the_merchant_signs_and_corrects(
    browser, live_server, city, settings, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    from yangguang.merchants.boards import board_pdf

    settings.PUBLIC_BASE_URL = live_server.url  # the address the board is printed with
    owner = merchant(city, operator_name="张三丰", phone="13912340001")
    front = shop(city, owner, trade_name="老张小吃")

    # A passer-by scans the board at the door.
    url = read_qr(board_pdf([front]))
    assert url == f"{live_server.url}/shops/{front.board_token}/"
    browser.get(url)
    assert "老张小吃" in browser.page_source
    assert "张三丰" not in browser.page_source
    assert "13912340001" not in browser.page_source
    no_sideways_scrolling(browser)

    # … and reports a problem here: the form comes with the shop's place.
    browser.find_element(By.CSS_SELECTOR, "a.shop-report").click()
    WebDriverWait(browser, 10).until(lambda driver: "/report/" in driver.current_url)
    assert browser.find_element(By.ID, "id_latitude").get_attribute("value")
    street_order = Category.objects.get(
        standard__code="GB/T 47678.5-2026", kind="event", code="09005"
    )
    Select(browser.find_element(By.ID, "id_category")).select_by_value(str(street_order.pk))
    description = browser.find_element(By.ID, "id_description")
    description.send_keys("门口摆满桌椅，行人无法通过")
    browser.find_element(By.ID, "id_phone").send_keys("13812345678")
    no_sideways_scrolling(browser)
    browser.find_element(By.CSS_SELECTOR, "form.report-form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda driver: "/track/" in driver.current_url)
    report = Report.objects.get()
    assert abs(report.longitude - front.longitude) < 1e-6
    assert abs(report.latitude - front.latitude) < 1e-6
    assert report.grid == front.grid
    assert "老张小吃" in report.description

    # The bureau issues the 责任书 and finds a problem at an inspection.
    inspector = city.people[PostCode.INSPECTOR]
    letter = letter_issue(shop=front, actor=inspector)
    photo = tmp_path / "门前.jpg"
    photo.write_bytes(samples.jpeg_with_exif())
    with photo.open("rb") as upload:
        from django.core.files import File

        inspection_record(
            shop=front,
            findings=[
                Finding("appearance", "无店外经营", False, "门前摆放桌椅", [File(upload)]),
                Finding("sanitation", "地面无垃圾", True),
                Finding("facilities", "设施完好", True),
            ],
            actor=inspector,
        )

    # The merchant opens the texted link on their phone and signs in with the code.
    link = re.search(r"https?://\S+/merchant/l/\S+/", latest_secret("merchant_link")).group(0)
    browser.get(link)
    browser.find_element(By.CSS_SELECTOR, "input[name=step][value=send_code] + button").click()
    WebDriverWait(browser, 10).until(
        lambda _driver: Message.objects.filter(purpose="merchant_code").exists()
    )
    code = re.search(r"\d{6}", latest_secret("merchant_code")).group(0)
    browser.find_element(By.CSS_SELECTOR, "input[name=code]").send_keys(code)
    browser.find_element(
        By.XPATH, "//input[@name='step' and @value='verify']/ancestor::form//button"
    ).click()
    WebDriverWait(browser, 10).until(lambda driver: "/merchant/home/" in driver.current_url)
    no_sideways_scrolling(browser)

    # … signs the letter …
    browser.find_element(
        By.CSS_SELECTOR, f"form[action$='/merchant/letters/{letter.pk}/sign/'] button"
    ).click()
    WebDriverWait(browser, 10).until(
        lambda _driver: letter.__class__.objects.get(pk=letter.pk).status == LetterStatus.SIGNED
    )

    # … and reports the 整改 done with a photo of the cleared pavement.
    rectification = front.rectifications.get()
    form = browser.find_element(
        By.CSS_SELECTOR, f"form[action$='/merchant/rectifications/{rectification.pk}/']"
    )
    after = tmp_path / "整改后.jpg"
    after.write_bytes(samples.image("JPEG", size=48))
    form.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(after))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, 10).until(
        lambda _driver: (
            rectification.__class__.objects.get(pk=rectification.pk).status
            == RectificationStatus.SUBMITTED
        )
    )
    assert len(rectification.__class__.objects.get(pk=rectification.pk).after_photos) == 1
