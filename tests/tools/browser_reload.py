#!/usr/bin/env python3
"""Drive headless Chromium against `gazette serve`: a save reloads the page with the new
text; a broken save shows the problem overlay over the last good page; fixing it clears it.
No errors may reach the browser console.

    browser_reload.py PAGE_URL ARTICLE_FILE
"""
import sys
import time

import chromium
from selenium.webdriver.common.by import By

url, article = sys.argv[1], sys.argv[2]
driver, profile = chromium.start()


def wait(what, condition, seconds=5.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return time.time()
        except Exception:  # noqa: BLE001 - the page may be mid-reload
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}; page text: {driver.find_element(By.TAG_NAME, 'body').text[:500]!r}")


def connected():
    return driver.execute_script("return document.documentElement.dataset.gazetteLive") == "connected"


try:
    driver.get(url)
    original = open(article, encoding="utf-8").read()
    assert "First version." in driver.find_element(By.TAG_NAME, "body").text, "the page shows the article"
    wait("the live-reload connection", connected)
    driver.execute_script("window.__notReloaded = true")

    saved = time.time()
    open(article, "w", encoding="utf-8").write(original.replace("First version.", "Second version."))
    done = wait("the reload", lambda: driver.execute_script("return window.__notReloaded") is None
                and "Second version." in driver.find_element(By.TAG_NAME, "body").text)
    print(f"reloaded with the new text {1000 * (done - saved):.0f} ms after the save")

    wait("the live-reload connection", connected)
    open(article, "w", encoding="utf-8").write("---\ntitle: Kim\ndate: whenever\n---\nBroken.\n")
    wait("the problem overlay", lambda: ":3: `date`" in driver.find_element(By.ID, "gazette-problem").text)
    assert "Second version." in driver.find_element(By.TAG_NAME, "body").text, "the last good page stays"
    print("broken save: overlay shown over the last good page")

    open(article, "w", encoding="utf-8").write(original.replace("First version.", "Fixed version."))
    wait("the fix", lambda: "Fixed version." in driver.find_element(By.TAG_NAME, "body").text
         and not driver.find_elements(By.ID, "gazette-problem"))
    print("fixed save: overlay gone, page reloaded")

    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        raise SystemExit(f"browser console errors: {errors}")
    print("no console errors")
finally:
    chromium.stop(driver, profile)
