#!/usr/bin/env python3
"""Parse Gazette's feeds with feedparser (Atom, RSS) and jsonfeed-util (JSON Feed) and compare them with what the build should hold.

    check_feeds.py PUBLIC_DIR EXPECTED_JSON

EXPECTED_JSON: {"feeds": [{"path": "atom.xml", "entries": [{"title", "link", "published", "source"}]}]}
Exits 1 and prints every mismatch when anything is wrong.
"""
import datetime as dt
import json
import os
import sys

import feedparser
import jsonfeed

public, expected_path = sys.argv[1], sys.argv[2]
expected = json.load(open(expected_path, encoding="utf-8"))
problems = []
checked = 0
for feed in expected["feeds"]:
    path = os.path.join(public, feed["path"])
    where = feed["path"]
    if path.endswith(".json"):
        try:
            parsed = jsonfeed.Feed.parse(json.load(open(path, encoding="utf-8")))
        except Exception as e:  # noqa: BLE001
            problems.append(f"{where}: JSON Feed error: {e!r}")
            continue
        if len(parsed.items) != len(feed["entries"]):
            problems.append(f"{where}: {len(parsed.items)} items, expected {len(feed['entries'])}")
            continue
        for got, exp in zip(parsed.items, feed["entries"]):
            checked += 1
            if (got.title, got.url) != (exp["title"], exp["link"]):
                problems.append(f"{where}: {got.title!r} {got.url} != {exp['title']!r} {exp['link']}")
            if dt.datetime.fromisoformat(got.date_published) != dt.datetime.fromisoformat(exp["published"]):
                problems.append(f"{where}: {got.title!r} published {got.date_published} != {exp['published']}")
            if got.external_url != exp.get("source"):
                problems.append(f"{where}: {got.title!r} external_url {got.external_url} != {exp.get('source')}")
            if not got.content_html or 'href="/' in got.content_html or 'src="/' in got.content_html:
                problems.append(f"{where}: {got.title!r} content_html missing or has root-relative URLs")
            if sorted(got.tags or []) != sorted(exp["topics"]):
                problems.append(f"{where}: {got.title!r} tags {got.tags} != {exp['topics']}")
        continue
    parsed = feedparser.parse(path)
    if parsed.bozo:
        problems.append(f"{where}: feedparser error: {parsed.bozo_exception}")
        continue
    want = feed["entries"]
    if len(parsed.entries) != len(want):
        problems.append(f"{where}: {len(parsed.entries)} entries, expected {len(want)}")
        continue
    version = parsed.version
    for got, exp in zip(parsed.entries, want):
        checked += 1
        if got.get("title") != exp["title"]:
            problems.append(f"{where}: title {got.get('title')!r} != {exp['title']!r}")
        if got.get("link") != exp["link"]:
            problems.append(f"{where}: link {got.get('link')!r} != {exp['link']!r}")
        published = got.get("published_parsed")
        want_time = dt.datetime.fromisoformat(exp["published"]).astimezone(dt.timezone.utc)
        if published is None or dt.datetime(*published[:6], tzinfo=dt.timezone.utc) != want_time:
            problems.append(f"{where}: {exp['title']!r} published {published} != {want_time}")
        content = (got.get("content") or [{}])[0].get("value", "")
        summary = got.get("summary", "")
        if feed["full"] and not content:
            problems.append(f"{where}: {exp['title']!r} has no full content")
        if not feed["full"] and (content or not summary):
            problems.append(f"{where}: {exp['title']!r} should carry its summary alone")
        for text in (content, summary):
            if 'href="/' in text or 'src="/' in text:
                problems.append(f"{where}: {exp['title']!r} has root-relative URLs")
        if exp.get("source"):
            if version.startswith("atom"):
                related = [l.get("href") for l in got.get("links", []) if l.get("rel") == "related"]
                if exp["source"] not in related:
                    problems.append(f"{where}: {exp['title']!r} lacks rel=related {exp['source']}")
            if feed["full"] and exp["source"] not in content:
                problems.append(f"{where}: {exp['title']!r} content does not link the source")
        tags = sorted(t.get("term") for t in got.get("tags", []))
        if tags != sorted(exp["topics"]):
            problems.append(f"{where}: {exp['title']!r} categories {tags} != {sorted(exp['topics'])}")

for problem in problems:
    print(problem)
print(f"{len(expected['feeds'])} feeds, {checked} entries checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
