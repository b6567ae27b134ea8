#!/usr/bin/env bash
# Side-by-side build benchmark: Gazette against Hugo (and Zola, when a `zola` binary is on
# the PATH) on the same synthetic digest from ../shared/bench/gen-corpus.py.
#
#   bench/compare.sh [ARTICLES] [RUNS]        (defaults: 10000 articles, 5 runs)
#
# Prints the median wall time of each tool's cold build, the ratios, Gazette's no-change
# rebuild (and whether it rewrote any file), peak memory, HTML bytes per article, and the
# floor: pulldown-cmark alone converting all the articles' Markdown (if the
# `pulldown-cmark` binary is installed: cargo install pulldown-cmark).
# Machines are shared and noisy: compare ratios from one run, not absolute times.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-5}
source "$(dirname "$0")/corpus.sh"

# Each cold build writes into a folder of its own that no build used before, under
# $work/runs (or BENCH_OUT=/dev/shm/bench, a RAM disk there); all are deleted only once
# the timing is over. Deleting a big output just before a timed build would charge that
# build for the file system's clean-up: on an ext4 without a journal (as on this project's
# VMs) the kernel then skips every inode freed in the last 30 s one by one
# (find_inode_bit -> recently_deleted in `perf`), which took Gazette's build from 1.6 s to
# 13 s of which 23 s CPU was the kernel's.
runs=${BENCH_OUT:-$work/runs}
if [ -d "$runs" ] && [ -n "$(ls -A "$runs")" ]; then
  echo "removing the outputs of an earlier run, then waiting 35 s for the file system"
  rm -rf "${runs:?}"/*; sync; sleep 35
fi
mkdir -p "$runs"
echo "cold builds write to $runs"
cold() { # tool run -> one cold build's wall seconds
  local start end dest=$runs/$1-$2
  case $1 in
    gazette) rm -rf "$work/digest/.gazette-cache"; sync
             start=$(date +%s.%N); "$gazette" build --quiet --root "$work/digest" --output "$dest"; end=$(date +%s.%N) ;;
    hugo)    rm -rf "$work/hugo/resources"; sync
             start=$(date +%s.%N); hugo --quiet --source "$work/hugo" --destination "$dest" >/dev/null; end=$(date +%s.%N) ;;
    zola)    sync
             start=$(date +%s.%N); (cd "$work/zola" && zola build --output-dir "$dest" --force >/dev/null 2>&1); end=$(date +%s.%N) ;;
  esac
  echo "$end - $start" | bc -l
}

declare -A med
for run in $(seq "$RUNS"); do
  for tool in "${tools[@]}"; do   # interleaved, so load changes hit every tool alike
    cold "$tool" "$run" >> "$work/times-$tool"
  done
done
for tool in "${tools[@]}"; do
  med[$tool]=$(tail -n "$RUNS" "$work/times-$tool" | median)
  printf '%-8s cold build median of %s: %7.3f s\n' "$tool" "$RUNS" "${med[$tool]}"
done
for tool in "${tools[@]}"; do
  [ "$tool" = gazette ] && continue
  printf 'ratio gazette/%-5s %.3f  (target <= 0.25)\n' "$tool" "$(echo "${med[gazette]} / ${med[$tool]}" | bc -l)"
done

# On a disk (no BENCH_OUT), how long the disk itself takes to take in Gazette's output:
# `cp -r` of its last cold build into a new folder.
if [ -z "${BENCH_OUT:-}" ]; then
  sync
  start=$(date +%s.%N); cp -r "$runs/gazette-$RUNS" "$runs/disk-probe"; end=$(date +%s.%N)
  printf 'disk     cp -r of gazette'"'"'s output (%s files): %.3f s\n' \
    "$(find "$runs/disk-probe" -type f | wc -l)" "$(echo "$end - $start" | bc -l)"
fi
rm -rf "${runs:?}"/*

# No-change rebuild: time, and no file rewritten (in the site's own public/).
rm -rf "$work/digest/public" "$work/digest/.gazette-cache"
"$gazette" build --quiet --root "$work/digest"
find "$work/digest/public" -type f -printf '%P %T@\n' | sort > "$work/mtimes-before"
for run in $(seq "$RUNS"); do
  start=$(date +%s.%N); "$gazette" build --quiet --root "$work/digest"; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
done | median > "$work/warm"
find "$work/digest/public" -type f -printf '%P %T@\n' | sort > "$work/mtimes-after"
rewritten=$(comm -3 "$work/mtimes-before" "$work/mtimes-after" | wc -l)
printf 'gazette  no-change rebuild median: %7.3f s = %.1f%% of cold (target <= 20%%); files rewritten: %s\n' \
  "$(cat "$work/warm")" "$(echo "100 * $(cat "$work/warm") / ${med[gazette]}" | bc -l)" "$rewritten"

rm -rf "$work/digest/public" "$work/digest/.gazette-cache"
rss=$( { /usr/bin/time -f '%M' "$gazette" build --quiet --root "$work/digest"; } 2>&1 | tail -1)
printf 'gazette  peak memory (max RSS), cold build: %s MiB\n' "$((rss / 1024))"
html=$(find "$work/digest/public" -name '*.html' -printf '%s\n' | awk '{s+=$1} END {print s}')
pages=$(find "$work/digest/public" -name '*.html' | wc -l)
printf 'gazette  HTML: %s pages, %s bytes, %s bytes per article\n' "$pages" "$html" "$((html / N))"

if command -v pulldown-cmark >/dev/null; then
  find "$work/digest/content" -name '*.md' -print0 | sort -z | xargs -0 cat > "$work/all.md"
  floor=$(for run in $(seq "$RUNS"); do
    start=$(date +%s.%N); pulldown-cmark < "$work/all.md" > /dev/null; end=$(date +%s.%N)
    echo "$end - $start" | bc -l
  done | median)
  printf 'floor    pulldown-cmark on all Markdown: %.3f s; gazette cold build = %.1f x floor (target <= 10)\n' \
    "$floor" "$(echo "${med[gazette]} / $floor" | bc -l)"
fi
