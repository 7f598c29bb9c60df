"""In a real browser on a phone-sized screen: an officer in the field opens a case's
page, assesses the violation and sees the discretion proposal — no sideways scrolling."""

import pytest

from tests.browser.conftest import PHONE
from tests.cases.helpers import P, load_catalogue, new_case
from yangguang.cases.models import Case, Violation


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_officer_assesses_a_case_on_a_phone(browser, live_server, certified):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    load_catalogue()
    case = new_case(certified)
    browser.get(f"{live_server.url}/staff/login/")
    browser.find_element(By.NAME, "username").send_keys(certified[P.OFFICER].username)
    browser.find_element(By.NAME, "password").send_keys("correct-horse-battery-9")
    browser.find_element(By.CSS_SELECTOR, "form button.primary").click()
    WebDriverWait(browser, 10).until(lambda driver: "/login/" not in driver.current_url)

    browser.get(f"{live_server.url}/staff/cases/{case.pk}/")
    assert case.number in browser.page_source
    width = browser.execute_script("return window.innerWidth")
    assert width == PHONE[0]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width

    summary = browser.find_element(By.CSS_SELECTOR, "details.verb summary")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    oil = Violation.objects.get(code="DQ-001", is_current=True)
    Select(browser.find_element(By.ID, "id_violation")).select_by_value(str(oil.pk))
    browser.find_element(By.CSS_SELECTOR, "input[name=penalty_kinds][value=fine]").click()
    browser.find_element(By.ID, "id_fine").send_keys("6000")
    button = browser.find_element(By.CSS_SELECTOR, "form[action$='/assess/'] button")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    WebDriverWait(browser, 10).until(lambda _driver: Case.objects.get(pk=case.pk).fine > 0)
    assert "5000.00–20000.00" in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
