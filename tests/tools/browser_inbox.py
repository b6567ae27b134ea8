#!/usr/bin/env python3
"""Triage `gazette serve`'s inbox in headless Chromium by keyboard: j/k move, x skips the
selected story, d opens the topic picker (the story's suggested topic ticked) and Enter
drafts it and opens its preview. Then a page of another site POSTs to the inbox, which
must refuse it. No errors may reach the browser console.

    browser_inbox.py INBOX_URL OTHER_SITE_URL
"""
import sys
import time

import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

inbox, other = sys.argv[1], sys.argv[2]
driver, profile = chromium.start()


def wait(what, condition, seconds=10.0):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - the page may be changing
            pass
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}; page: {driver.page_source[:1500]!r}")


def press(key):
    ActionChains(driver).send_keys(key).perform()


def selected():
    return driver.execute_script("const s = document.querySelector('li.sel'); return s ? s.querySelector('a').textContent : null")


def titles():
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#stories li:not([hidden]) a")]


try:
    started = time.time()
    driver.get(inbox)
    wait("the inbox", lambda: driver.execute_script("return document.documentElement.dataset.inbox") == "ready")
    print(f"inbox ready in {1000 * (time.time() - started):.0f} ms")
    shown = titles()
    assert shown == ["Central bank raises rates again", "Opera house reopens after fire",
                     "Glacier collapse blocks valley road"], shown
    assert selected() == shown[0], selected()
    press("j")
    assert selected() == shown[1], selected()
    press("j")
    press("k")
    assert selected() == shown[1], selected()
    press("x")
    wait("the skipped story to leave", lambda: "Opera house reopens after fire" not in titles())
    assert driver.find_element(By.ID, "count").text == "2"
    press("k")
    assert selected() == "Central bank raises rates again", selected()
    # The search box filters; Escape leaves it.
    search = driver.find_element(By.ID, "q")
    search.send_keys("glacier")
    wait("the search", lambda: titles() == ["Glacier collapse blocks valley road"])
    search.send_keys(Keys.ESCAPE)
    driver.execute_script("const q = document.getElementById('q'); q.value=''; q.dispatchEvent(new Event('input'))")
    # The date filter: every story is from the last hours; "last 24 hours" keeps them all.
    driver.execute_script("const s = document.getElementById('since'); s.value='86400'; s.dispatchEvent(new Event('input'))")
    assert len(titles()) == 2, titles()
    # The subscription filter: imported links only (there are none).
    driver.execute_script("const f = document.getElementById('feed'); f.value=''; f.dispatchEvent(new Event('input'))")
    wait("the subscription filter", lambda: titles() == [] and driver.find_element(By.ID, "empty").is_displayed())
    driver.execute_script("const f = document.getElementById('feed'); f.value=f.options[2].value; f.dispatchEvent(new Event('input'))")
    wait("the feed's stories", lambda: len(titles()) == 2)
    driver.execute_script("const q = document.getElementById('q'); q.value=''; q.dispatchEvent(new Event('input')); return true")
    driver.execute_script("document.querySelector('#stories li').click()")
    assert selected() == "Central bank raises rates again", selected()
    press("d")
    wait("the topic picker", lambda: driver.find_element(By.ID, "picker").get_attribute("open") is not None)
    ticked = [i.get_attribute("value") for i in driver.find_elements(By.CSS_SELECTOR, "#topics input") if i.is_selected()]
    assert ticked == ["Economy"], ticked
    press(Keys.ENTER)
    wait("the draft's preview", lambda: "/__gazette/" not in driver.current_url and "Central bank raises rates again" in driver.find_element(By.TAG_NAME, "body").text)
    print("drafted; the preview shows", driver.current_url)

    # Another site's page posts to the inbox, token and all: nothing may change.
    driver.get(inbox)
    wait("the inbox again", lambda: driver.execute_script("return document.documentElement.dataset.inbox") == "ready")
    assert titles() == ["Glacier collapse blocks valley road"], titles()
    token = driver.execute_script("return TOKEN")
    story = driver.find_element(By.CSS_SELECTOR, "#stories li").get_attribute("data-id")
    logs_before = driver.get_log("browser")
    driver.get(other)
    driver.execute_script(
        "fetch(arguments[0], {method: 'POST', mode: 'no-cors', body: new URLSearchParams({token: arguments[1], action: 'skip', story: arguments[2]})})"
        ".then(() => { document.title = 'sent'; }, () => { document.title = 'failed'; });", inbox, token, story)
    wait("the cross-site POST", lambda: driver.title in ("sent", "failed"))
    driver.get(inbox)
    wait("the inbox a third time", lambda: driver.execute_script("return document.documentElement.dataset.inbox") == "ready")
    assert titles() == ["Glacier collapse blocks valley road"], "a cross-site POST changed nothing"
    after = driver.get_log("browser")
    refused = [e for e in after if "__gazette/inbox" in e["message"] and "403" in e["message"]]
    assert refused, f"the server refused the cross-site POST: {after}"
    other_site = other.split("/attack")[0]
    errors = [e for e in logs_before + after
              if e["level"] == "SEVERE" and e not in refused and other_site not in e["message"]]
    assert not errors, errors
    print("no console errors")
finally:
    chromium.stop(driver, profile)
