#!/usr/bin/env bash
# How a cold build grows with the archive: 10,000 against 100,000 articles of the same
# synthetic digest (../shared/bench/gen-corpus.py), built alternately, RUNS times each.
# Prints each size's median wall time, their ratio (linear growth is 10) and the peak
# memory (max RSS) of the 100,000-article builds.
#
#   bench/scale.sh [RUNS]        (default: 3; BENCH_DIR reuses the corpora, made once)
#
# BENCH_OUT=/dev/shm/scale writes the outputs there (a RAM disk) instead of each site's
# public/. The articles are read once before timing, so every run finds them in the page
# cache. Machines are shared and noisy: read the ratio, not the times.
set -euo pipefail
RUNS=${1:-3}
source "$(dirname "$0")/setup.sh"
sizes=(10000 100000)
for n in "${sizes[@]}"; do
  site=$work/digest-$n
  [ -d "$site/content" ] || echo "making the $n-article corpus in $site"
  digest_site "$n" "$site"
  find "$site/content" -type f -print0 | xargs -0 cat > /dev/null
done
for n in "${sizes[@]}"; do : > "$work/scale-times-$n"; done
for run in $(seq "$RUNS"); do
  for n in "${sizes[@]}"; do
    site=$work/digest-$n
    out=${BENCH_OUT:+$BENCH_OUT/scale-$n}; out=${out:-$site/public}
    rm -rf "$out" "$site/.gazette-cache"
    /usr/bin/time -f '%e %M' -o "$work/scale-last" \
      "$gazette" build --quiet --root "$site" --output "$out"
    cat "$work/scale-last" >> "$work/scale-times-$n"
    printf 'run %s: %6s articles %6.2f s %5d MiB\n' "$run" "$n" \
      "$(cut -d' ' -f1 "$work/scale-last")" "$(( $(cut -d' ' -f2 "$work/scale-last") / 1024 ))"
  done
done
small=$(cut -d' ' -f1 "$work/scale-times-10000" | median)
large=$(cut -d' ' -f1 "$work/scale-times-100000" | median)
peak=$(cut -d' ' -f2 "$work/scale-times-100000" | sort -g | tail -1)
printf 'gazette  10,000 articles: median %.3f s;  100,000 articles: median %.3f s\n' "$small" "$large"
printf 'ratio 100k/10k %.2f  (linear: 10; target <= 10)\n' "$(echo "$large / $small" | bc -l)"
printf 'peak memory (max RSS) at 100,000 articles, highest of %s runs: %d MiB = %.2f GiB (target < 1 GiB)\n' \
  "$RUNS" "$((peak / 1024))" "$(echo "$peak / 1048576" | bc -l)"
