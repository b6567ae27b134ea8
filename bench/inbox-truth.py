#!/usr/bin/env python3
"""Pairwise precision and recall of the inbox's clusters on the benchmark's synthetic
stories: SITE's `.gazette-cache/inbox/` (items and clusters, as the last fetch left
them) against TRUTH (bench/inbox_feeds.py's story of each address).

    inbox-truth.py SITE TRUTH
"""
import json
import sys
from collections import Counter

site, truth_file = sys.argv[1], sys.argv[2]
truth = dict(reversed(line.split("\t")) for line in open(truth_file, encoding="utf-8").read().split("\n") if line)
items = json.load(open(f"{site}/.gazette-cache/inbox/items.json", encoding="utf-8"))
ordered = [items[key] for key in sorted(items)]  # the order Gazette clusters them in
_, clusters = json.load(open(f"{site}/.gazette-cache/inbox/clusters.json", encoding="utf-8"))
found = {}
for n, members in enumerate(clusters):
    for i in members:
        found[i] = n
labels = [truth[item["url"]] for item in ordered]
pairs = lambda counts: sum(c * (c - 1) // 2 for c in counts.values())
both = pairs(Counter((found[i], labels[i]) for i in range(len(ordered))))
predicted = pairs(Counter(found[i] for i in range(len(ordered))))
actual = pairs(Counter(labels))
print(f"synthetic stories: {len(set(labels))} told, {len(clusters)} found; "
      f"pairwise precision {both / max(predicted, 1):.3f}, recall {both / max(actual, 1):.3f}")
