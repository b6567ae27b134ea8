# Sourced by the bench scripts: makes the synthetic corpus of $N articles for each tool in
# $work unless it is there. Sets (besides setup.sh's): tools (gazette, then hugo and zola
# where installed).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
echo "corpus: $N articles in $work"
digest_site "$N" "$work/digest"
tools=(gazette)
if command -v hugo >/dev/null; then
  [ -d "$work/hugo" ] || python3 "$gen" "$N" "$work/hugo" --flavor hugo >/dev/null
  tools+=(hugo)
fi
if command -v zola >/dev/null; then
  [ -d "$work/zola" ] || python3 "$gen" "$N" "$work/zola" --flavor zola >/dev/null
  tools+=(zola)
fi
