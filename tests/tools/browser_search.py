#!/usr/bin/env python3
"""Drive headless Chromium against a built site's search page: type a query (or open the
page with it in the address), choose filters and the order, wait for the expected article
to be listed with its summary, outlet and a readable date, then follow its link. Fails on
console errors and on any request to another host.

    browser_search.py SEARCH_PAGE_URL QUERY EXPECTED_TITLE [ORDER] [options]

ORDER: the titles the results must start with, in order, separated by `|`.
Options: --topic NAME, --outlet NAME, --sort newest (chosen with the mouse, or with
--keyboard by Tab and arrow keys, the link then followed with Enter); --absent TITLE
(may repeat); --address (the query comes in `?q=`, nothing is typed); --summary TEXT and
--source NAME (what the expected result must show).
"""
import argparse
import time
from urllib.parse import quote, urlparse

import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

parser = argparse.ArgumentParser()
parser.add_argument("url")
parser.add_argument("query")
parser.add_argument("expected")
parser.add_argument("order", nargs="?")
parser.add_argument("--topic")
parser.add_argument("--outlet")
parser.add_argument("--sort")
parser.add_argument("--absent", action="append", default=[])
parser.add_argument("--address", action="store_true")
parser.add_argument("--keyboard", action="store_true")
parser.add_argument("--summary")
parser.add_argument("--source")
args = parser.parse_args()
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


def results():
    return driver.find_elements(By.CSS_SELECTOR, "[data-search-results] h2 a")


def titles():
    return [a.text for a in results()]


def choose(selector, label):
    """Chooses `label`'s option in the select: with the mouse, or by keyboard from the box."""
    select = driver.find_element(By.CSS_SELECTOR, selector)
    options = [o.get_attribute("value") for o in select.find_elements(By.TAG_NAME, "option")]
    if label not in options:
        raise SystemExit(f"{label!r} is not among {options}")
    if not args.keyboard:
        Select(select).select_by_value(label)
        return
    active = driver.switch_to.active_element
    for _ in range(10):
        if active == select:
            break
        active.send_keys(Keys.TAB)
        active = driver.switch_to.active_element
    else:
        raise SystemExit(f"Tab never reached {selector}")
    current = options.index(select.get_attribute("value") or "")
    for _ in range(options.index(label) - current):
        select.send_keys(Keys.ARROW_DOWN)
    wait(f"{label!r} chosen", lambda: select.get_attribute("value") == label)


try:
    url = args.url + (f"?q={quote(args.query)}" if args.address else "")
    driver.get(url)
    wait("the index", lambda: driver.execute_script("return document.querySelector('[data-search]').dataset.searchReady") == "true")
    box = driver.find_element(By.ID, "search-input")
    if args.address:
        assert box.get_attribute("value") == args.query, "the box shows the query from the address"
    else:
        if args.keyboard:
            body = driver.find_element(By.TAG_NAME, "body")
            body.send_keys(Keys.TAB)
            for _ in range(60):
                if driver.switch_to.active_element == box:
                    break
                driver.switch_to.active_element.send_keys(Keys.TAB)
            else:
                raise SystemExit("Tab never reached the search box")
            driver.switch_to.active_element.send_keys(args.query)
        else:
            box.send_keys(args.query)
    for selector, value in [("[data-search-topic]", args.topic), ("[data-search-outlet]", args.outlet), ("[data-search-sort]", args.sort)]:
        if value:
            choose(selector, value)
    wait(f"{args.expected!r} in the results", lambda: args.expected in titles())
    first = results()[0]
    print(f"{args.query!r}: {len(results())} results, first {first.text!r} -> {first.get_attribute('href')}")
    if args.order:
        want = args.order.split("|")
        wait(f"the order {want}", lambda: titles()[:len(want)] == want, 3)
        print("ranked as expected")
    for title in args.absent:
        if title in titles():
            raise SystemExit(f"{title!r} should not be listed: {titles()}")
    item = next(li for li in driver.find_elements(By.CSS_SELECTOR, "[data-search-results] > li")
                if li.find_element(By.CSS_SELECTOR, "h2 a").text == args.expected)
    when = item.find_element(By.TAG_NAME, "time")
    if when.text == when.get_attribute("datetime") or not any(c.isalpha() for c in when.text):
        raise SystemExit(f"the date is not readable: {when.text!r}")
    if args.summary and args.summary not in item.text:
        raise SystemExit(f"the summary {args.summary!r} is not shown: {item.text!r}")
    if args.source and args.source not in item.find_element(By.CLASS_NAME, "item__meta").text:
        raise SystemExit(f"the outlet {args.source!r} is not shown: {item.text!r}")
    print(f"shown with its date {when.text!r}")
    status = driver.find_element(By.CSS_SELECTOR, "[data-search-status]").text
    assert status and "{" not in status, status
    assert "q=" in driver.current_url, "the query is kept in the address"
    link = next(a for a in results() if a.text == args.expected)
    href = link.get_attribute("href")
    if args.keyboard:
        active = driver.switch_to.active_element
        for _ in range(80):
            if active.get_attribute("href") == href:
                break
            active.send_keys(Keys.TAB)
            active = driver.switch_to.active_element
        else:
            raise SystemExit("Tab never reached the result's link")
        active.send_keys(Keys.ENTER)
    else:
        link.click()
    wait("the article", lambda: driver.current_url == href and args.expected in driver.find_element(By.TAG_NAME, "h1").text)
    print("followed the link to the article")

    origin = urlparse(args.url).netloc
    requested = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    driver.back()
    wait("the search page again", lambda: driver.find_element(By.ID, "search-input") is not None)
    requested += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    outside = [r for r in requested if urlparse(r).netloc != origin]
    if outside:
        raise SystemExit(f"requests to other hosts: {outside}")
    if not any(r.endswith("search-index/manifest.json") for r in requested):
        raise SystemExit(f"the index was not requested: {requested}")
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if errors:
        raise SystemExit(f"browser console errors: {errors}")
    print("no console errors, no requests to other hosts")
finally:
    chromium.stop(driver, profile)
