#!/usr/bin/env python3
"""Runs search queries in headless Chromium, each as a first visit (the browser's cache
off), and prints for each the bytes the server sent for it (page, styles, script, index
parts: everything, read from gzip_server.py's LOG) and the time from navigation to the
first result shown (the search page's `gazette-search-results` mark, or for --pagefind
the test page's).

    bench_search.py SITE_URL LOG [--page search/] QUERY...

QUERY is the page's query string (`q=minister`, `q=talks&topic=diplomacy`).
"""
import argparse
import time

import chromium

parser = argparse.ArgumentParser()
parser.add_argument("site")
parser.add_argument("log")
parser.add_argument("--page", default="search/")
parser.add_argument("--label", default="gazette")
parser.add_argument("queries", nargs="+")
args = parser.parse_args()
driver, profile = chromium.start()
driver.execute_cdp_cmd("Network.enable", {})
driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})


def log_size():
    with open(args.log) as f:
        return len(f.readlines())


try:
    worst = 0
    for query in args.queries:
        driver.get("about:blank")
        time.sleep(0.2)
        start = log_size()
        driver.get(f"{args.site}{args.page}?{query}")
        deadline = time.time() + 30
        shown = None
        while time.time() < deadline:
            shown = driver.execute_script(
                "const m = performance.getEntriesByName('gazette-search-results')[0]; return m ? m.startTime : null")
            if shown is not None:
                break
            time.sleep(0.02)
        time.sleep(0.5)  # anything the page still fetches counts too
        with open(args.log) as f:
            lines = f.readlines()[start:]
        sent = sum(int(line.split("\t")[1]) for line in lines)
        worst = max(worst, sent)
        status = driver.execute_script(
            "const s = document.querySelector('[data-search-status]'); return s ? s.textContent : document.title")
        when = f"{shown:7.0f} ms" if shown is not None else "  no result"
        print(f"{args.label:8} {query:32} {len(lines):3d} requests {sent / 1000:8.1f} KB  first result {when}  ({status[:60]})")
    print(f"{args.label:8} most transferred for a first query: {worst / 1000:.1f} KB")
finally:
    chromium.stop(driver, profile)
