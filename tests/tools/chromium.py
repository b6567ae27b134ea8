"""Debian's headless Chromium under selenium, started as the project's browser tests start
it: the agreed flags, a fresh profile (removed by `stop`), and the console log kept."""
import shutil
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def start():
    """A driver for a new headless Chromium, and its profile folder."""
    profile = tempfile.mkdtemp(prefix="gazette-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS + ["--user-data-dir=" + profile]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options), profile


def stop(driver, profile):
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)
