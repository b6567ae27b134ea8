#!/usr/bin/env bash
# Two builds of Gazette side by side (an older commit's binary and this one), on the same
# synthetic digest: for refactors that must be no slower. Interleaved cold builds, each
# into a folder no build used before, a warm-up round then RUNS rounds; prints each
# binary's median wall time, peak memory and the ratio B/A, and whether the outputs are
# byte-identical.
#
#   bench/ab.sh OLD_BINARY [ARTICLES] [RUNS]     (defaults: 10000 articles, 3 runs)
#
# The new binary is this checkout's release build (GAZETTE_BIN overrides it). Machines
# are shared and noisy: compare the ratio, not absolute times.
set -euo pipefail
a=${1:?usage: bench/ab.sh OLD_BINARY [ARTICLES] [RUNS]}
N=${2:-10000}
RUNS=${3:-3}
source "$(dirname "$0")/setup.sh"
b=$gazette
digest_site "$N" "$work/digest"
runs=$work/ab-runs
rm -rf "$runs"; mkdir -p "$runs"; sync; sleep 2
cold() { # binary tag round -> "seconds peak_kib"
  local dest=$runs/$2-$3
  rm -rf "$work/digest/.gazette-cache"; sync
  /usr/bin/time -o "$work/ab-time" -f "%e %M" "$1" build --quiet --root "$work/digest" --output "$dest" >/dev/null 2>&1
  tail -1 "$work/ab-time"
}
: > "$work/ab-a"; : > "$work/ab-b"
for round in $(seq 0 "$RUNS"); do
  ra=$(cold "$a" a "$round"); rb=$(cold "$b" b "$round")
  if [ "$round" -gt 0 ]; then echo "$ra" >> "$work/ab-a"; echo "$rb" >> "$work/ab-b"; fi
done
ta=$(cut -d' ' -f1 "$work/ab-a" | median); tb=$(cut -d' ' -f1 "$work/ab-b" | median)
ma=$(cut -d' ' -f2 "$work/ab-a" | median); mb=$(cut -d' ' -f2 "$work/ab-b" | median)
echo "A (old): ${ta} s, peak ${ma} KiB   [$(tr '\n' ' ' < "$work/ab-a")]"
echo "B (new): ${tb} s, peak ${mb} KiB   [$(tr '\n' ' ' < "$work/ab-b")]"
echo "ratio B/A: $(echo "$tb / $ta" | bc -l | cut -c1-5)"
if diff -r -q "$runs/a-1" "$runs/b-1" >/dev/null; then
  echo "outputs: byte-identical"
else
  echo "outputs: DIFFER ($(diff -r -q "$runs/a-1" "$runs/b-1" | wc -l) files)"
fi
