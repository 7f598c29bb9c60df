"""The headless Chromium the browser tests drive.

Chromium and ChromeDriver come from Debian's packages (chromium, chromium-driver);
.ci/run installs them. Without them a browser test is skipped, unless
YANGGUANG_REQUIRE_BROWSER is set (CI), when it fails instead.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
PHONE = (390, 844)  # an everyday phone's viewport, in CSS pixels


@pytest.fixture
def browser():
    """A phone-sized Chromium speaking Chinese; its performance log holds the network
    responses (status and type of every page and file it loaded)."""
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("YANGGUANG_REQUIRE_BROWSER"):
            pytest.fail(
                "Chromium and ChromeDriver are required (apt-get install chromium chromium-driver)"
            )
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
        f"--window-size={PHONE[0]},{PHONE[1]}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "mobileEmulation",
        {"deviceMetrics": {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 3}},
    )
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
