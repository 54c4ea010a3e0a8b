#!/bin/sh
# Find the kernel's kselftest_harness.h and kselftest.h and copy them into DIR.
# Order: $KSFT_DIR (a directory holding both headers), $KSRC (a kernel source tree),
# a cached copy, an installed linux-source tarball, then Debian's linux-source-6.1
# package ($KSFT_PACKAGE) fetched without root (apt-get download + dpkg-deb). Never
# committed.
set -eu
out=${1:?usage: ksft.sh OUTDIR}
rel=tools/testing/selftests
pkg=${KSFT_PACKAGE:-linux-source-6.1}
cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/sysconform/ksft-$pkg
# No writable home (a system user): cache beside the build tree instead.
mkdir -p "$cache" 2>/dev/null || cache=$(dirname "$out")/ksft-cache-$pkg

have() { [ -f "$1/kselftest_harness.h" ] && [ -f "$1/kselftest.h" ]; }
install_from() {
	mkdir -p "$out"
	cp "$1/kselftest_harness.h" "$1/kselftest.h" "$out/"
	echo "$2" > "$out/SOURCE"
	exit 0
}
from_tarball() {  # TARBALL DEST
	mkdir -p "$2"
	tar -xf "$1" -C "$2" --wildcards --strip-components=4 \
		"*/$rel/kselftest_harness.h" "*/$rel/kselftest.h"
}

if [ -n "${KSFT_DIR:-}" ]; then
	have "$KSFT_DIR" && install_from "$KSFT_DIR" "KSFT_DIR=$KSFT_DIR"
	echo "ksft.sh: KSFT_DIR=$KSFT_DIR has no kselftest_harness.h and kselftest.h" >&2; exit 1
fi
if [ -n "${KSRC:-}" ]; then
	have "$KSRC/$rel" && install_from "$KSRC/$rel" "KSRC=$KSRC"
	echo "ksft.sh: KSRC=$KSRC is not a kernel tree with $rel/kselftest_harness.h" >&2; exit 1
fi
have "$cache" && install_from "$cache" "$(cat "$cache/SOURCE" 2>/dev/null || echo cache)"
for t in /usr/src/linux-source-*.tar.xz /usr/src/linux-source-*.tar.bz2; do
	[ -f "$t" ] || continue
	from_tarball "$t" "$cache" && echo "$t" > "$cache/SOURCE" && install_from "$cache" "$t"
done
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
	echo "ksft.sh: fetching $pkg for kselftest_harness.h (about 140 MB, once; cached in $cache)" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1); then
		deb=$(ls "$tmp"/*.deb)
		dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.*' > "$tmp/src.tar"
		from_tarball "$tmp/src.tar" "$cache"
		echo "$(basename "$deb")" > "$cache/SOURCE"
		install_from "$cache" "$(basename "$deb")"
	fi
	echo "ksft.sh: 'apt-get download $pkg' failed (run 'apt-get update' first?)" >&2
fi
cat >&2 <<MSG
ksft.sh: cannot find the kernel's kselftest_harness.h.
  Give one:  make KSFT_DIR=/path/with/kselftest_harness.h   or   make KSRC=/path/to/linux
  or on Debian/Ubuntu:  apt-get install $pkg
MSG
exit 1
