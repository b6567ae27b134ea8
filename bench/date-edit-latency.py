#!/usr/bin/env python3
"""Time a dev server from moving an article to another day to its page at the new address.

    date-edit-latency.py SERVER-COMMAND... -- PORT FILE OLD_URLPATH NEW_URLPATH NEW_DATE

Starts the server and waits until OLD_URLPATH answers. Then five times: saves FILE with
its `date:` line set to NEW_DATE and polls NEW_URLPATH until it answers 200, then
restores FILE and polls OLD_URLPATH until it answers 200 again. Prints the median, min
and max of those ten waits. Standard library only (like ../shared/bench/reload-latency.py,
which times body edits).
"""
import os, re, signal, subprocess, sys, time, urllib.request

i = sys.argv.index("--")
cmd, (port, path, old_url, new_url, new_date) = sys.argv[1:i], sys.argv[i + 1:i + 6]
server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          preexec_fn=os.setsid)


def answers(url):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, url), timeout=5) as r:
            return r.status == 200
    except Exception:
        return False


def wait_for(url, limit):
    started = time.time()
    while not answers(url):
        if time.time() - started > limit:
            return None
        time.sleep(0.01)
    return time.time() - started


original = open(path).read()
moved = re.sub(r"(?m)^date:.*$", "date: " + new_date, original, count=1)
waits = []
try:
    if wait_for(old_url, 300) is None:
        sys.exit("the server never served " + old_url)
    for _ in range(5):
        for text, url in ((moved, new_url), (original, old_url)):
            time.sleep(1.5)
            with open(path, "w") as f:
                f.write(text)
            waits.append(wait_for(url, 60) or float("inf"))
finally:
    open(path, "w").write(original)
    os.killpg(server.pid, signal.SIGINT)
    time.sleep(1)
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
waits.sort()
print("date edit->new page: median %.3fs min %.3fs max %.3fs" % (
    (waits[4] + waits[5]) / 2, waits[0], waits[-1]))
