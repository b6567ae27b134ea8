#!/usr/bin/env bash
# Side-by-side build benchmark: Gazette against Hugo 0.168 and Zola 0.22 (installed by
# corpus.sh where missing) on the same synthetic digest from ../shared/bench/gen-corpus.py,
# with the Markdown floor: pulldown-cmark's own command-line tool (`-T -F -S`) turning
# every article's body into HTML (installed with `cargo install` into the tools folder).
#
#   bench/compare.sh [ARTICLES] [RUNS]        (defaults: 10000 articles, 3 runs)
#
# A warm-up round, then RUNS rounds, the tools interleaved in each, every cold build into a
# folder no build used before (caches removed). Prints each tool's median (min–max) wall
# time and peak memory, the ratios against Gazette's goals (<= 0.10x Hugo, <= 0.07x Zola,
# <= 5x the floor), Gazette's no-change rebuild (<= 10% of cold, nothing rewritten) and its
# output's bytes per article. Machines are shared and noisy: compare the ratios of one
# run, not absolute times.
set -euo pipefail
N=${1:-10000}
RUNS=${2:-3}
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
cold() { # tool run -> "wall-seconds peak-KiB" of one cold build
  local dest=$runs/$1-$2 measure=(/usr/bin/time -f '%M' -o "$work/rss")
  local took
  case $1 in
    gazette) rm -rf "$work/digest/.gazette-cache"; sync
             took=$(seconds "${measure[@]}" "$gazette" build --quiet --root "$work/digest" --output "$dest") ;;
    hugo)    rm -rf "$work/hugo/resources"; sync
             took=$(seconds "${measure[@]}" "$hugo" --quiet --source "$work/hugo" --destination "$dest") ;;
    zola)    sync
             took=$(cd "$work/zola" && seconds "${measure[@]}" "$zola" build --output-dir "$dest" --force) ;;
  esac
  echo "$took $(tail -1 "$work/rss")"
}

# The floor's input: every article's body (front matter left out), in path order.
find "$work/digest/content" -name '*.md' -print0 | sort -z | xargs -0 python3 -c '
import sys
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        text = text[end + 5:] if end >= 0 else text
    sys.stdout.write(text + "\n")' > "$work/bodies.md"
pcm=$(command -v pulldown-cmark || true)
if [ -z "$pcm" ]; then
  [ -x "$tooldir/cargo/bin/pulldown-cmark" ] ||
    cargo install --quiet --root "$tooldir/cargo" pulldown-cmark >&2 || true
  [ -x "$tooldir/cargo/bin/pulldown-cmark" ] && pcm=$tooldir/cargo/bin/pulldown-cmark
fi
floor() { echo "$(seconds "$pcm" -T -F -S < "$work/bodies.md") 0"; }
[ -n "$pcm" ] && tools+=(floor)

rm -f "$work"/times-*
for run in $(seq 0 "$RUNS"); do   # round 0 warms the caches up and is not counted
  for tool in "${tools[@]}"; do   # interleaved, so load changes hit every tool alike
    case $tool in
      floor) line=$(floor) ;;
      *) line=$(cold "$tool" "$run") ;;
    esac
    [ "$run" -gt 0 ] && echo "$line" >> "$work/times-$tool"
  done
done
declare -A med
for tool in "${tools[@]}"; do
  med[$tool]=$(cut -d' ' -f1 "$work/times-$tool" | median)
  lo=$(cut -d' ' -f1 "$work/times-$tool" | sort -g | head -1)
  hi=$(cut -d' ' -f1 "$work/times-$tool" | sort -g | tail -1)
  mem=$(cut -d' ' -f2 "$work/times-$tool" | median)
  printf '%-8s median of %s: %7.3f s (%.3f–%.3f), peak memory %5.0f MiB\n' \
    "$tool" "$RUNS" "${med[$tool]}" "$lo" "$hi" "$(echo "$mem / 1024" | bc -l)"
done
goal() { # name ratio target
  printf 'gazette / %-6s %6.3f  (goal <= %s: %s)\n' "$1" "$2" "$3" \
    "$([ "$(echo "$2 <= $3" | bc -l)" = 1 ] && echo met || echo MISSED)"
}
for tool in hugo zola floor; do
  [ -n "${med[$tool]:-}" ] || continue
  ratio=$(echo "${med[gazette]} / ${med[$tool]}" | bc -l)
  case $tool in hugo) goal hugo "$ratio" 0.10 ;; zola) goal zola "$ratio" 0.07 ;; floor) goal floor "$ratio" 5 ;; esac
done

# What the goals leave room for: the least time the parts every build of this site must do
# take on this machine, all cores kept busy — the templates' evaluation (threads' time, from
# one more cold build with GAZETTE_TIMINGS), writing the output (`cp -r` of Gazette's last
# cold build into a new folder: files and folders made, bytes written), reading the
# articles (`cat` of every file) and the Markdown floor — against the goals' times.
copy=$(seconds cp -r "$runs/gazette-$RUNS" "$runs/copy-probe")
read_articles() { find "$work/digest/content" -name '*.md' -print0 | xargs -0 cat; }
read=$(seconds read_articles)
rm -rf "$work/digest/.gazette-cache"
templates=$(GAZETTE_TIMINGS=1 "$gazette" build --root "$work/digest" --output "$runs/timed" 2>&1 |
  sed -n 's/.*pages (.*templates \([0-9.]*\)\(s\|ms\|µs\).*/\1 \2/p' |
  awk '{print ($2 == "ms") ? $1 / 1000 : ($2 == "µs") ? $1 / 1e6 : $1}')
cores=$(nproc)
printf 'parts    templates %.3f s (threads'"'"' time), cp -r of the output %.3f s, cat of the articles %.3f s\n' \
  "${templates:-0}" "$copy" "$read"
least=$(echo "(${templates:-0} + $copy + $read + ${med[floor]:-0}) / $cores" | bc -l)
printf 'least    those parts with the floor on %s cores: %.3f s; the goals allow %.3f s (0.10 x hugo), %.3f s (0.07 x zola), %.3f s (5 x floor)\n' \
  "$cores" "$least" "$(echo "${med[hugo]:-0} * 0.10" | bc -l)" "$(echo "${med[zola]:-0} * 0.07" | bc -l)" \
  "$(echo "${med[floor]:-0} * 5" | bc -l)"
bytes=$(find "$runs/gazette-$RUNS" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')
printf 'gazette  output: %s files, %s bytes, %s bytes an article\n' \
  "$(find "$runs/gazette-$RUNS" -type f | wc -l)" "$bytes" "$((bytes / N))"
rm -rf "${runs:?}"/*

# No-change rebuild: time, and no file rewritten (in the site's own public/).
rm -rf "$work/digest/public" "$work/digest/.gazette-cache"
"$gazette" build --quiet --root "$work/digest" 2>/dev/null
find "$work/digest/public" -type f -printf '%P %T@\n' | sort > "$work/mtimes-before"
for run in $(seq "$RUNS"); do
  seconds "$gazette" build --quiet --root "$work/digest"
done | median > "$work/warm"
find "$work/digest/public" -type f -printf '%P %T@\n' | sort > "$work/mtimes-after"
rewritten=$(comm -3 "$work/mtimes-before" "$work/mtimes-after" | wc -l)
printf 'gazette  no-change rebuild median: %7.3f s = %.1f%% of cold (goal <= 10%%); files rewritten: %s\n' \
  "$(cat "$work/warm")" "$(echo "100 * $(cat "$work/warm") / ${med[gazette]}" | bc -l)" "$rewritten"
