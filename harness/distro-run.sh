#!/bin/sh
# distro-run.sh: the suite built and run inside another Debian release's root, next to a
# run on this host, and the two compared (same kernel: what differs is the C library,
# the compiler and the distribution's defaults).
#   harness/distro-run.sh [SUITE]        (SUITE: a Debian codename, default trixie)
# The root is made once with mmdebstrap (variant apt, with gcc, make, pkg-config, perl,
# liburing-dev and libcap-dev of that release) and cached in build/distro/debian-SUITE;
# remove it to make it again. Inside it, through bubblewrap (a mount namespace of its
# own: the root bound on /, the checkout and /tmp (ext4, as for the host run) bound on
# their own paths, the host's /dev, a new /proc, root keeping its capabilities as on
# the host), make builds the programs with that release's gcc and glibc into
# build/distro/SUITE-build, and that release's perl runs the runner on them. The host
# run uses the host's build/. Both runs go to build/distro/ (results/latest is left as it was);
# then ./run.sh compare prints the differences, written to build/distro/compare/.
# Needs root (mmdebstrap's root mode, the capabilities the namespace tests use).
# Exit status: 0 when both runs had no fail, error or timeout; else 1 (2: cannot run).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SUITE=${1:-trixie}
D=$ROOT/build/distro
RFS=$D/debian-$SUITE
for t in mmdebstrap bwrap; do
	command -v $t >/dev/null || { echo "distro-run.sh: not installed: $t (apt-get install mmdebstrap bubblewrap)" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "distro-run.sh: needs root" >&2; exit 2; }
mkdir -p "$D"
if ! [ -x "$RFS/usr/bin/gcc" ]; then
	echo "distro-run.sh: making the Debian $SUITE root in $RFS (mmdebstrap, about 2 min)"
	rm -rf "$RFS.tmp"
	mmdebstrap --quiet --variant=apt \
		--include=gcc,libc6-dev,make,pkg-config,perl,liburing-dev,libcap-dev \
		"$SUITE" "$RFS.tmp" http://deb.debian.org/debian
	mv "$RFS.tmp" "$RFS"
fi

# The host: its build and a run. (A run repoints results/latest: put it back after.)
latest=$(readlink results/latest 2>/dev/null || true)
trap 'if [ -n "$latest" ]; then ln -sfn "$latest" results/latest; else rm -f results/latest; fi' EXIT
make -s -j2 all
SYSCONFORM_BUILD='' perl harness/sysconform --label "host-$(. /etc/os-release; echo "$ID-$VERSION_ID")" \
	--out "$D/run-host" >"$D/run-host.log" 2>&1 && host_rc=0 || host_rc=$?

# Inside the root: kselftest_harness.h as the host's build found it (KSFT_DIR), the
# release's compiler, its build tree, its perl. The root runs in whatever container the
# host is: /.dockerenv (how the runner tells a Docker container) is bound in when there.
in_root() {
	bwrap --bind "$RFS" / --bind "$ROOT" "$ROOT" --bind /tmp /tmp --dev-bind /dev /dev \
		--ro-bind-try /.dockerenv /.dockerenv \
		--proc /proc --ro-bind /sys /sys --cap-add ALL --chdir "$ROOT" \
		--setenv PATH /usr/sbin:/usr/bin:/sbin:/bin --setenv SYSCONFORM_BUILD "$D/$SUITE-build" "$@"
}
in_root sh -c 'echo "distro-run.sh: $(. /etc/os-release; echo "$PRETTY_NAME"), $(gcc --version | head -1), $(ldd --version | head -1)"'
in_root make -s -j2 B="$D/$SUITE-build" KSFT_DIR="$ROOT/build/ksft" tools tests
in_root perl harness/sysconform --label "debian-$SUITE" --out "$D/run-$SUITE" >"$D/run-$SUITE.log" 2>&1 && rc=0 || rc=$?
tail -n 3 "$D/run-host.log" "$D/run-$SUITE.log"
perl harness/sysconform compare -v --out "$D/compare" "$D/run-host" "$D/run-$SUITE"
[ "$host_rc" = 0 ] && [ "$rc" = 0 ]
