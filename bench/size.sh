#!/usr/bin/env bash
# Output size: bytes per article of the whole site (every file, as a Pages artifact holds
# them) for 10,000 and 100,000 articles of ../shared/bench/gen-corpus.py with the default
# theme, against Hugo's and Zola's output of the same corpus (see corpus.sh) built in the
# same run, for a GitHub Pages project site (`base_url` with a sub-path, as `gazette init`
# suggests; BASE_URL=https://example.org/ measures a site at a domain's root). GitHub Pages publishes sites of at most 1 GB.
#
#   bench/size.sh [SMALL] [LARGE]          (defaults: 10000 and 100000 articles)
#
# Prints, for each size and tool: files, bytes, bytes per article, the biggest parts of
# Gazette's site; and whether Gazette meets the goals: at most 10,240 bytes an article
# at SMALL, under 1 GB (10^9 bytes) in all at LARGE. Sizes do not depend on the machine's
# load, so one build of each is enough.
set -euo pipefail
SMALL=${1:-10000}
LARGE=${2:-100000}
bench=$(cd "$(dirname "$0")" && pwd)   # (setup.sh sets $here to the repository)

bytes() { find "$1" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}'; }
files() { find "$1" -type f | wc -l; }
parts() { # the biggest top-level parts of a site, as "name bytes"
  (cd "$1" && for p in * .[!.]*; do [ -e "$p" ] && printf '%s %s\n' "$p" "$(find "$p" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')"; done) |
    sort -k2 -n -r | head -n 5 | awk '{printf "  %-22s %12d bytes\n", $1, $2}'
}

declare -A per total
for N in "$SMALL" "$LARGE"; do
  export N BENCH_DIR=${BENCH_ROOT:-/tmp}/gazette-size-$N BENCH_TOOLS=${BENCH_TOOLS:-${BENCH_ROOT:-/tmp}/gazette-bench-tools}
  source "$bench/corpus.sh"
  out=$work/out-$(date +%s%N)   # a folder no build used before
  rm -rf "$work/digest/.gazette-cache"
  "$gazette" build --quiet --root "$work/digest" --output "$out/gazette"
  for tool in "${tools[@]}"; do
    case $tool in
      hugo) "$hugo" --quiet --source "$work/hugo" --destination "$out/hugo" >/dev/null ;;
      zola) (cd "$work/zola" && "$zola" build --output-dir "$out/zola" --force >/dev/null 2>&1) ;;
    esac
    b=$(bytes "$out/$tool")
    per[$tool-$N]=$(( b / N ))
    printf '%-8s %6d articles: %7d files, %12d bytes, %6d bytes an article\n' \
      "$tool" "$N" "$(files "$out/$tool")" "$b" "${per[$tool-$N]}"
    [ "$tool" = gazette ] && parts "$out/gazette" && total[$N]=$b
  done
  for tool in "${tools[@]}"; do
    [ "$tool" = gazette ] && continue
    printf 'ratio gazette/%-5s at %d: %.3f\n' "$tool" "$N" "$(echo "${per[gazette-$N]} / ${per[$tool-$N]}" | bc -l)"
  done
  rm -rf "$out"
done
printf 'goal at %d: at most 10240 bytes an article: %d (%s)\n' "$SMALL" "${per[gazette-$SMALL]}" \
  "$([ "${per[gazette-$SMALL]}" -le 10240 ] && echo met || echo MISSED)"
printf 'goal at %d: under 1 GB: %d bytes (%s)\n' "$LARGE" "${total[$LARGE]}" \
  "$([ "${total[$LARGE]}" -lt 1000000000 ] && echo met || echo MISSED)"
