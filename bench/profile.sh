#!/usr/bin/env bash
# Where a cold build spends its time: perf (Debian's linux-perf) samples a cold build of
# the bench corpus, then this prints the functions with the most samples of their own,
# and the share of all samples spent inside each stage's main function.
#
#   bench/profile.sh [ARTICLES]        (default: 10000; BENCH_DIR reuses a corpus)
set -euo pipefail
N=${1:-10000}
source "$(dirname "$0")/corpus.sh"
out=${BENCH_OUT:-$work}/gazette-profile
rm -rf "$out" "$work/digest/.gazette-cache"
perf record -q -F 1000 --call-graph dwarf,16384 -o "$work/perf.data" \
  "$gazette" build --quiet --root "$work/digest" --output "$out" 2>/dev/null
echo "== functions by their own samples"
perf report -i "$work/perf.data" --no-children --sort symbol 2>/dev/null \
  | grep -E "^ +[0-9]" | tr -s " " | cut -c1-110 | head -20 || true
echo "== samples inside each stage (a sample can be inside several)"
perf script -i "$work/perf.data" 2>/dev/null | python3 -c '
import sys
stacks = sys.stdin.read().split("\n\n")
stages = ["load::read_article", "Digest::assemble", "Views::new", "feed::feed_specs",
          "Renderer::render", "Renderer::context", "markdown::render_inner",
          "markdown::highlight", "tera::tera::Tera::render", "ItemHtml", "Staging::write",
          "search::index", "search::Terms::add", "BuildCache::record", "mi_free"]
total = max(len(stacks), 1)
for s in stages:
    n = sum(1 for st in stacks if s in st)
    print("%6.1f%%  %s" % (100 * n / total, s))
'
