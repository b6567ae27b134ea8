# Sourced by the bench scripts: builds Gazette (release) and makes the synthetic corpus
# for each tool in $work (BENCH_DIR, else a new temporary folder) unless it is there.
# Sets: here, gazette, work, tools (gazette, then hugo and zola where installed).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gen=${GEN_CORPUS:-$here/../shared/bench/gen-corpus.py}
work=${BENCH_DIR:-$(mktemp -d /tmp/gazette-bench.XXXXXX)}
mkdir -p "$work"

(cd "$here" && cargo build --release --quiet)
gazette=$here/target/release/gazette

echo "corpus: $N articles in $work"
if [ ! -d "$work/digest/content" ]; then
  python3 "$gen" "$N" "$work/digest" --flavor digest >/dev/null
  printf 'title = "Bench Digest"\nbase_url = "https://example.org/"\ntimezone = "Asia/Seoul"\n' > "$work/digest/site.toml"
fi
rm -rf "$work/digest/themes" && cp -r "$here/themes" "$work/digest/"   # always the current theme
tools=(gazette)
if command -v hugo >/dev/null; then
  [ -d "$work/hugo" ] || python3 "$gen" "$N" "$work/hugo" --flavor hugo >/dev/null
  tools+=(hugo)
fi
if command -v zola >/dev/null; then
  [ -d "$work/zola" ] || python3 "$gen" "$N" "$work/zola" --flavor zola >/dev/null
  tools+=(zola)
fi
