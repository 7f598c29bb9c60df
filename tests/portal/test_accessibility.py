"""Every public page passes axe-core's WCAG 2 A and AA rules without a serious or
critical violation, on a phone (390 px) and on a desktop (1366 px), and does not
scroll sideways on the phone (issue 12, "Quality bars").

The pages are the portal's, found from the URLconf with arguments from the demo city
(tests/portal/public_pages.py): home, report form, tracking look-up and page, the
document check page, the party's page, the disclosure pages (bureau, powers, officers
and their identity pages, decisions, statistics …) as they exist, and the search
results a visitor gets (an officer by certificate number, a decision by 文号).

axe-core is vendored (tests/vendor/axe-core, MPL-2.0, unmodified) and injected into
each page through WebDriver, so the test needs no network and the site no CDN. The
demo is served by the live server and driven in headless Chromium (tests/browser).
Sideways scrolling is measured on the document: content inside an element meant to
scroll (a table in .table-wrap, a chart) scrolls inside it and does not widen the page.

GB/T 37668-2019 (信息无障碍 — web content) builds its web-content requirements on WCAG
2.0 levels A and AA, the rules tagged here; what no automatic check can judge (whether an
alternative text says what the image shows, a sensible reading order) is left to review.
"""

import contextlib
import json
from pathlib import Path

import pytest
from django.test import Client

from tests.browser.conftest import PHONE, browser  # noqa: F401 (fixture)
from tests.browser.test_tour import demo  # noqa: F401 (fixture: the demo city, served)
from tests.portal.public_pages import PublicUrl, public_patterns, public_urls, search_urls

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"
TAGS = ["wcag2a", "wcag2aa"]
FAILING_IMPACTS = {"serious", "critical"}
DESKTOP = (1366, 900)
SAMPLES_PER_PAGE = 3  # of the pages of one kind (tracking pages, identity pages …)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then((results) => done(JSON.stringify(results.violations)))
  .catch((error) => done(JSON.stringify({error: String(error)})));
"""
# What sticks out of the viewport, leaving out what is inside an element that scrolls
# on its own (overflow auto/scroll) or is hidden.
WIDEST = """
const width = arguments[0];
const scrolls = (el) => {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const style = getComputedStyle(p);
    if (/(auto|scroll|hidden)/.test(style.overflowX) && p !== document.body
        && p !== document.documentElement) return true;
  }
  return false;
};
return [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
  .slice(0, 5)
  .map((el) => {
    const classes = typeof el.className === 'string' ? el.className.trim() : '';
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (classes ? '.' + classes.replace(/\\s+/g, '.') : '');
    return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
  });
"""


def public_html_pages() -> tuple[list[PublicUrl], list[str]]:
    """The portal's pages that answer a visitor with HTML, a few of each kind; and
    those that answer with a server error."""
    urls, _unfilled = public_urls()
    client, pages, per_name, errors = Client(raise_request_exception=False), [], {}, []
    for page in urls + search_urls():
        if not page.name.startswith("portal:") or per_name.get(page.name, 0) >= SAMPLES_PER_PAGE:
            continue
        response = client.get(page.url)
        if response.status_code >= 500:
            errors.append(f"{page.url}: {response.status_code}")
        elif response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(page)
            per_name[page.name] = per_name.get(page.name, 0) + 1
    return pages, errors


def _viewport(driver, width: int, height: int, *, mobile: bool) -> int:
    """Lay the page out for the viewport; its width once laid out. On a phone a page
    wider than the screen is zoomed out to fit, so its layout viewport stays wider."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": height,
            "deviceScaleFactor": 3 if mobile else 1,
            "mobile": mobile,
        },
    )
    with contextlib.suppress(TimeoutException):
        WebDriverWait(driver, 5).until(
            lambda d: d.execute_script("return window.innerWidth") == width
        )
    return driver.execute_script("return window.innerWidth")


def _open(driver, url: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return typeof axe") == "object")


def axe_violations(driver) -> list[dict]:
    """axe's violations of the page as shown, serious and critical ones only."""
    driver.set_script_timeout(60)
    found = json.loads(driver.execute_async_script(RUN_AXE, TAGS))
    if isinstance(found, dict):
        raise AssertionError(f"axe failed: {found['error']}")
    return [v for v in found if v.get("impact") in FAILING_IMPACTS]


def describe(where: str, violation: dict) -> str:
    nodes = violation["nodes"]
    lines = [
        f"{where}: [{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({len(nodes)} element{'s' if len(nodes) != 1 else ''})"
    ]
    for node in nodes[:3]:
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    {' '.join(map(str, node['target']))}: {node['html'][:120]}")
        lines.append(f"      {summary[:200]}")
    return "\n".join(lines)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_pass_axe_and_fit_a_phone(browser, live_server, demo):  # noqa: F811
    pages, failures = public_html_pages()
    assert AXE.read_text(encoding="utf-8").startswith(f"/*! axe v{AXE_VERSION}")

    checked = set()
    for page in pages:
        _open(browser, live_server.url + page.url)
        for label, (width, height), mobile in (
            ("390 px", PHONE, True),
            ("1366 px", DESKTOP, False),
        ):
            inner = _viewport(browser, width, height, mobile=mobile)
            where = f"{page.url} at {label}"
            failures += [describe(where, violation) for violation in axe_violations(browser)]
            if mobile:
                scroll = browser.execute_script("return document.documentElement.scrollWidth")
                if scroll > width + 1 or inner != width:
                    widest = browser.execute_script(WIDEST, width)
                    failures.append(
                        f"{where}: scrolls sideways ({max(scroll, inner)} px wide): {widest}"
                    )
        checked.add(page.name)
        _viewport(browser, *PHONE, mobile=True)

    expected = {"portal:home", "portal:report", "portal:lookup", "portal:track"}
    expected |= {"portal:document", "portal:officers", "portal:officer", "portal:statistics"}
    disclosure = {"portal:bureau", "portal:powers", "portal:power", "portal:procedure"}
    disclosure |= {"portal:inspections", "portal:decisions", "portal:decision"}
    disclosure |= {"portal:statistics_annual", "portal:officer_lookup"}
    expected |= disclosure & {name for name, _params, _route in public_patterns()}
    assert expected <= checked, sorted(expected - checked)
    assert failures == [], "\n".join(failures)
