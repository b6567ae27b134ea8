#!/usr/bin/env python3
"""Drive headless Chromium against a built site's search page: type a query and wait for
the matching article to be listed, then follow its link. Fails on console errors and on
any request to another host.

    browser_search.py SEARCH_PAGE_URL QUERY EXPECTED_TITLE [ORDER]

ORDER: the titles the results must start with, in order, separated by `|`.
"""
import sys
import time
from urllib.parse import urlparse

import chromium
from selenium.webdriver.common.by import By

url, query, expected = sys.argv[1], sys.argv[2], sys.argv[3]
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
    raise SystemExit(f"timed out waiting for {what}; page text: {driver.find_element(By.TAG_NAME, 'body').text[:800]!r}")


try:
    driver.get(url)
    wait("the index", lambda: driver.execute_script("return document.querySelector('[data-search]').dataset.searchReady") == "true")
    box = driver.find_element(By.ID, "search-input")
    box.send_keys(query)
    results = lambda: driver.find_elements(By.CSS_SELECTOR, "[data-search-results] a")
    wait(f"{expected!r} in the results", lambda: any(a.text == expected for a in results()))
    first = results()[0]
    print(f"{query!r}: {len(results())} results, first {first.text!r} -> {first.get_attribute('href')}")
    if len(sys.argv) > 4:
        want = sys.argv[4].split("|")
        got = [a.text for a in results()][:len(want)]
        if got != want:
            raise SystemExit(f"results in the wrong order: {got} != {want}")
        print("ranked as expected")
    status = driver.find_element(By.CSS_SELECTOR, "[data-search-status]").text
    assert "match" in status, status
    assert "q=" in driver.current_url, "the query is kept in the address"
    link = next(a for a in results() if a.text == expected)
    href = link.get_attribute("href")
    link.click()
    wait("the article", lambda: driver.current_url == href and expected in driver.find_element(By.TAG_NAME, "h1").text)
    print("followed the link to the article")

    origin = urlparse(url).netloc
    requested = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    driver.back()
    wait("the search page again", lambda: driver.find_element(By.ID, "search-input") is not None)
    requested += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [r for r in requested if urlparse(r).netloc != origin]
    if outside:
        raise SystemExit(f"requests to other hosts: {outside}")
    if not any(r.endswith("search-index.json") for r in requested):
        raise SystemExit(f"the index was not requested: {requested}")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        raise SystemExit(f"browser console errors: {errors}")
    print("no console errors, no requests to other hosts")
finally:
    chromium.stop(driver, profile)
