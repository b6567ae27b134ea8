#!/usr/bin/env python3
"""Opens `gazette serve`'s inbox page in headless Chromium (the project's flags, a fresh
profile) ROUNDS times and prints, for each, the server's answer time, the first
contentful paint and the rows shown, then the medians.

    inbox-paint.py INBOX_URL [ROUNDS]
"""
import statistics
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/tests/tools")
import chromium  # noqa: E402

url, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
driver, profile = chromium.start()
answers, paints = [], []
try:
    for _ in range(rounds):
        driver.get("about:blank")
        driver.get(url)
        timing = driver.execute_script("""
            const n = performance.getEntriesByType('navigation')[0];
            const p = performance.getEntriesByName('first-contentful-paint')[0];
            return [n.responseStart - n.requestStart, p ? p.startTime : -1,
                    document.querySelectorAll('#stories li').length];""")
        answers.append(timing[0])
        paints.append(timing[1])
        print(f"answer {timing[0]:.0f} ms, first contentful paint {timing[1]:.0f} ms, {timing[2]} stories")
    print(f"median: answer {statistics.median(answers):.0f} ms, first contentful paint {statistics.median(paints):.0f} ms")
finally:
    chromium.stop(driver, profile)
