#!/usr/bin/env python3
"""Crawl a site from START_URL and report every internal href/src that does not answer 200.

    crawl.py START_URL
"""
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def fetch(url):
    parts = urllib.parse.urlsplit(url)
    quoted = urllib.parse.urlunsplit(parts._replace(path=urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")))
    with urllib.request.urlopen(quoted, timeout=10) as answer:
        return answer.status, answer.headers.get_content_type(), answer.read()


start = sys.argv[1]
origin = urllib.parse.urlsplit(start)
prefix = start
seen, queue, broken, pages = set(), [start], [], 0
while queue:
    url = queue.pop()
    if url in seen:
        continue
    seen.add(url)
    try:
        status, ctype, body = fetch(url)
    except urllib.error.HTTPError as e:
        broken.append(f"{url}: HTTP {e.code}")
        continue
    except Exception as e:  # noqa: BLE001
        broken.append(f"{url}: {e}")
        continue
    if ctype != "text/html":
        continue
    pages += 1
    parser = Links()
    parser.feed(body.decode("utf-8"))
    for link in parser.links:
        target = urllib.parse.urljoin(url, link)
        parts = urllib.parse.urlsplit(target)
        if parts.scheme not in ("http", "https") or parts.netloc != origin.netloc:
            continue
        target = urllib.parse.urlunsplit(parts._replace(fragment=""))
        if not target.startswith(prefix):
            broken.append(f"{url}: links outside the site's path: {link}")
            continue
        if target not in seen:
            queue.append(target)

for b in sorted(set(broken)):
    print(b)
print(f"{pages} pages, {len(seen)} URLs crawled, {len(set(broken))} broken")
sys.exit(1 if broken or pages < 2 else 0)
