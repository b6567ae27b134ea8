# Sourced by the bench scripts: builds Gazette (release) and says where things are.
# Sets: here (the repository), gen (the corpus generator), work (BENCH_DIR, else a new
# temporary folder), gazette (the binary). Defines digest_site N DIR: the synthetic digest
# of N articles with Gazette's site.toml in DIR (made once), with the current theme; and
# median.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gen=${GEN_CORPUS:-$here/../shared/bench/gen-corpus.py}
work=${BENCH_DIR:-$(mktemp -d /tmp/gazette-bench.XXXXXX)}
mkdir -p "$work"

# GAZETTE_BIN=path times another build of Gazette (an older commit's, to compare).
if [ -n "${GAZETTE_BIN:-}" ]; then
  gazette=$GAZETTE_BIN
else
  (cd "$here" && cargo build --release --quiet)
  gazette=$here/target/release/gazette
fi

digest_site() {
  if [ ! -d "$2/content" ]; then
    python3 "$gen" "$1" "$2" --flavor digest >/dev/null
  fi
  # A GitHub Pages project site, as `gazette init` suggests: every internal link carries
  # the sub-path (BASE_URL=https://example.org/ measures a site at a domain's root).
  printf 'title = "Bench Digest"\nbase_url = "%s"\ntimezone = "Asia/Seoul"\n' \
    "${BASE_URL:-https://you.github.io/digest/}" > "$2/site.toml"
  rm -rf "$2/themes" && cp -r "$here/themes" "$2/"   # always the current theme
}

# The wall time in seconds that the command `"$@"` takes; its own output is dropped.
seconds() {
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
