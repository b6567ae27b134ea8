#!/usr/bin/env bash
# Dev-server benchmark: from saving an article to the changed page being served, on the
# synthetic digest of bench/compare.sh (same BENCH_DIR reuses its corpus).
#
#   bench/serve.sh [ARTICLES]        (default: 10000 articles)
#
# A body edit (../shared/bench/reload-latency.py adds a line after the front matter), for
# `gazette serve` and `hugo server` in the same run, and the ratio; then a date edit for
# Gazette (the article moves to the next day: new URL, new day page, new neighbours),
# timed with bench/date-edit-latency.py. Targets: body edit under 0.1 s, date edit
# under 1 s. Machines are shared and noisy: compare within one run.
set -euo pipefail
N=${1:-10000}
source "$(dirname "$0")/corpus.sh"
latency=${RELOAD_LATENCY:-$here/../shared/bench/reload-latency.py}

# The article in the middle of the archive, and its page's address.
file=$(cd "$work/digest" && find content -name '*.md' | sort | sed -n "$((N / 2))p")
stem=$(basename "$file" .md)
[ -d "$work/digest/public" ] || "$gazette" build --quiet --root "$work/digest"
old_url=/$(cd "$work/digest/public" && find . -type d -name "$stem" | head -1 | sed 's|^\./||')/
day=$(echo "$old_url" | grep -o '[0-9]\{4\}/[0-9]\{2\}/[0-9]\{2\}' | tr / -)
next=$(date -d "$day + 1 day" +%F)
new_url=/$(echo "$next" | tr - /)/$stem/
# `gazette serve` answers under base_url's path (`/digest/` for the project site that
# setup.sh writes), as GitHub Pages will.
base_path=$(python3 -c 'import sys, tomllib, urllib.parse
print(urllib.parse.urlparse(tomllib.load(open(sys.argv[1], "rb"))["base_url"]).path.rstrip("/"))' "$work/digest/site.toml")
old_url=$base_path$old_url
new_url=$base_path$new_url
echo "article: $file ($old_url)"

port=$((20000 + RANDOM % 20000))
median_of() { sed -n 's/.*median \([0-9.]*\)s.*/\1/p'; }
g=$(python3 "$latency" "$gazette" serve --root "$work/digest" --port "$port" -- "$port" "$work/digest/$file" "$old_url" | tail -1)
echo "gazette  body edit: $g"
if [[ " ${tools[*]} " == *" hugo "* ]]; then
  hfile=$(cd "$work/hugo" && find content -name "$stem.md" | head -1)
  h=$(python3 "$latency" "$hugo" server --source "$work/hugo" --port "$((port + 1))" --bind 127.0.0.1 --disableLiveReload -- "$((port + 1))" "$work/hugo/$hfile" "/posts/$stem/" | tail -1)
  echo "hugo     body edit: $h"
  printf 'ratio gazette/hugo body edit %.3f (target: under 0.1 s)\n' \
    "$(echo "$(echo "$g" | median_of) / $(echo "$h" | median_of)" | bc -l)"
fi
d=$(python3 "$here/bench/date-edit-latency.py" "$gazette" serve --root "$work/digest" --port "$((port + 2))" -- "$((port + 2))" "$work/digest/$file" "$old_url" "$new_url" "${next}T12:00:00+09:00" | tail -1)
echo "gazette  $d (target: under 1 s)"
