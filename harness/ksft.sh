#!/bin/sh
# The kernel's kselftest files, from one kernel source, never committed.
#   ksft.sh OUTDIR    copy kselftest_harness.h and kselftest.h into OUTDIR (the build)
#   ksft.sh --tools   print a directory holding the same source's tools/testing subset:
#                     selftests/run_kselftest.sh, selftests/kselftest/ (the runner that
#                     kselftest's `make install` installs) and kunit/ (kunit.py, the
#                     KTAP parser): for `make install` and its check
# Source, in order: $KSFT_DIR (a directory holding both headers; headers only), $KSRC
# (a kernel source tree), the cache of $KSFT_PACKAGE (default linux-source-6.12, whose
# harness names a skipped case: "ok 1 global.x # SKIP why"; linux-source-6.1 still
# works), that package's tarball in /usr/src, else the package fetched without root
# (apt-get download + dpkg-deb). Only the package named is used: the same inputs give
# the same header.
set -eu
rel=tools/testing/selftests
pkg=${KSFT_PACKAGE:-linux-source-6.12}
tools=
if [ "${1:-}" = --tools ]; then tools=1; out=; else out=${1:?usage: ksft.sh OUTDIR | ksft.sh --tools}; fi
cache=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/sysconform/ksft-$pkg
# No writable home (a system user): cache beside the build tree instead.
mkdir -p "$cache" 2>/dev/null || cache=$(pwd)/build/ksft-cache-$pkg

have() { [ -f "$1/kselftest_harness.h" ] && [ -f "$1/kselftest.h" ]; }
have_tools() { [ -f "$1/selftests/run_kselftest.sh" ] && [ -f "$1/kunit/kunit.py" ]; }
install_from() {
	mkdir -p "$out"
	cp "$1/kselftest_harness.h" "$1/kselftest.h" "$out/"
	echo "$2" > "$out/SOURCE"
	exit 0
}
done_from() {	# CACHE-OR-TREE SOURCE-TEXT: what was asked for, from there
	if [ -n "$tools" ]; then echo "$1/tools/testing"; exit 0; fi
	install_from "$1" "$2"
}
# One pass over TARBALL (xz: ~40 s): the headers, the runner and kunit into the cache, as
# tools/testing/... (kunit.py runs only from a path of that name).
from_tarball() {
	mkdir -p "$cache"
	tar -xf "$1" -C "$cache" --wildcards --strip-components=1 \
		"*/$rel/kselftest_harness.h" "*/$rel/kselftest.h" "*/$rel/run_kselftest.sh" \
		"*/$rel/kselftest/*" "*/tools/testing/kunit/*"
	cp "$cache/$rel/kselftest_harness.h" "$cache/$rel/kselftest.h" "$cache/"
}

if [ -n "${KSFT_DIR:-}" ] && [ -z "$tools" ]; then
	have "$KSFT_DIR" && install_from "$KSFT_DIR" "KSFT_DIR=$KSFT_DIR"
	echo "ksft.sh: KSFT_DIR=$KSFT_DIR has no kselftest_harness.h and kselftest.h" >&2; exit 1
fi
if [ -n "${KSRC:-}" ]; then
	[ -n "$tools" ] && have_tools "$KSRC/tools/testing" && { echo "$KSRC/tools/testing"; exit 0; }
	[ -z "$tools" ] && have "$KSRC/$rel" && install_from "$KSRC/$rel" "KSRC=$KSRC"
	echo "ksft.sh: KSRC=$KSRC is not a kernel tree with $rel/kselftest_harness.h and run_kselftest.sh" >&2; exit 1
fi
# A cache from before --tools holds the headers only: enough for the build.
if have "$cache" && { [ -z "$tools" ] || have_tools "$cache/tools/testing"; }; then
	done_from "$cache" "$(cat "$cache/SOURCE" 2>/dev/null || echo cache)"
fi
for t in "/usr/src/$pkg.tar.xz" "/usr/src/$pkg.tar.bz2"; do
	[ -f "$t" ] || continue
	echo "ksft.sh: extracting the kselftest files of $t (once; cached in $cache)" >&2
	from_tarball "$t" && echo "$t" > "$cache/SOURCE" && done_from "$cache" "$t"
done
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
	echo "ksft.sh: fetching $pkg for the kselftest files (about 150 MB, once; cached in $cache)" >&2
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if (cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1); then
		deb=$(ls "$tmp"/*.deb)
		dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards './usr/src/linux-source-*.tar.*' > "$tmp/src.tar"
		from_tarball "$tmp/src.tar"
		basename "$deb" > "$cache/SOURCE"
		done_from "$cache" "$(basename "$deb")"
	fi
	echo "ksft.sh: 'apt-get download $pkg' failed (run 'apt-get update' first?)" >&2
fi
cat >&2 <<MSG
ksft.sh: cannot find the kernel's kselftest files ($pkg).
  Give one:  make KSFT_DIR=/path/with/kselftest_harness.h   or   make KSRC=/path/to/linux
  or on Debian/Ubuntu:  apt-get install $pkg
MSG
exit 1
