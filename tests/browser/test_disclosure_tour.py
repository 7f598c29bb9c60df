"""阳光公示 in a real browser, on a phone (issue 12, "Headless-browser test").

A citizen stopped by an officer scans the QR code of the officer's 执法公示卡: the
address the card's PDF encodes (``org.identity.identity_url``, on the public site's
address) opens the officer's identity page, which says 有效. Then a journalist finds a
published decision by its 文号 through the search form of /decisions/ and opens it, and
downloads the open data as CSV: the file arrives in the browser's download folder,
UTF-8 with a BOM (so that Excel reads the Chinese), and holds the decision.

Every wait is explicit (WebDriverWait on the page or the download folder); no date in
an assertion is read from the wall clock — the demo's clock is pinned.
"""

import csv
import io

import pytest

from tests.browser.test_tour import NOW, demo  # noqa: F401 (fixture: the demo city, served)
from yangguang.disclosure.enums import PublicationStatus
from yangguang.disclosure.models import Publication
from yangguang.org.identity import PublicStatus, identity_url, public_status
from yangguang.org.models import Certificate

BOM = b"\xef\xbb\xbf"


def _ready(driver) -> bool:
    return driver.execute_script("return document.readyState") == "complete"


def _valid_certificate(today) -> Certificate:
    """A demo officer whose certificate is valid today (the demo has expired and
    suspended ones too)."""
    for certificate in Certificate.objects.select_related("holder").order_by("pk"):
        if public_status(certificate, today) == PublicStatus.VALID:
            return certificate
    raise AssertionError("the demo has no officer with a valid certificate")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizen_checks_an_officer_finds_a_decision_and_downloads_the_data(
    browser,
    live_server,
    demo,  # noqa: F811 (the fixture imported above)
    settings,
    tmp_path,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 30)
    settings.PUBLIC_BASE_URL = live_server.url  # the address the cards are printed with

    # The officer's card: its QR code holds the identity page's absolute address.
    certificate = _valid_certificate(NOW.date())  # the demo's pinned day
    scanned = identity_url(certificate)
    assert scanned.startswith(live_server.url + "/officers/")
    browser.get(scanned)
    wait.until(_ready)
    status = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".officer-status")))
    assert "有效" in status.text
    assert "officer-valid" in status.get_attribute("class")
    name = browser.find_element(By.CSS_SELECTOR, ".officer-name").text
    assert name == certificate.holder.name
    assert certificate.number in browser.find_element(By.CSS_SELECTOR, ".officer-number").text

    # A decision, found by its 文号 through the search form.
    publication = (
        Publication.objects.filter(status=PublicationStatus.PUBLISHED)
        .order_by("-decided_on", "pk")
        .first()
    )
    assert publication is not None, "the demo publishes decisions"
    browser.get(live_server.url + "/decisions/")
    wait.until(_ready)
    form = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "main form")))
    box = form.find_element(By.NAME, "number")
    box.clear()
    box.send_keys(publication.document_number)
    button = form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    wait.until(lambda driver: "number=" in driver.current_url and _ready(driver))
    link = wait.until(
        ec.element_to_be_clickable(
            (By.CSS_SELECTOR, f"main a[href*='/decisions/{publication.verify_token}/']")
        )
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    wait.until(
        lambda driver: (
            driver.current_url.endswith(f"/decisions/{publication.verify_token}/")
            and _ready(driver)
        )
    )
    page = browser.find_element(By.TAG_NAME, "main").text
    assert publication.document_number in page
    assert publication.party in page

    # The open data: the CSV link of the decisions page, downloaded by the browser.
    browser.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(tmp_path), "eventsEnabled": True},
    )
    browser.get(live_server.url + "/decisions/")
    wait.until(_ready)
    csv_link = wait.until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "main a[href*='decisions.csv']"))
    )
    href = csv_link.get_attribute("href")
    content_type = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then((r) => done(r.headers.get('Content-Type')))
          .catch((e) => done(String(e)));""",
        href,
    )
    assert content_type.startswith("text/csv")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", csv_link)
    csv_link.click()

    def arrived(_driver):
        files = [f for f in tmp_path.iterdir() if f.suffix == ".csv"]
        partial = [f for f in tmp_path.iterdir() if f.suffix == ".crdownload"]
        return files[0] if files and not partial else False

    downloaded = WebDriverWait(browser, 30).until(arrived)
    content = downloaded.read_bytes()
    assert content.startswith(BOM)
    rows = list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8"))))
    assert len(rows) >= 2
    assert publication.document_number in {cell for row in rows[1:] for cell in row}
