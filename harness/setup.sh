#!/bin/sh
# What the build and the runner need, checked on every ./run.sh and make check.
# As root with apt-get, installs what is missing; otherwise prints the exact
# command and goes on with what is there (tests of a missing library are then
# reported "not built: LIB missing"). Quiet when all is there.
#   harness/setup.sh [--check-only]
set -u
# Needed for --kernel / --kernel-package only (harness/qemu-run checks them when it is
# used, and as root with apt-get installs them itself): qemu-system-x86 (qemu-system-x86_64),
# busybox-static (/bin/sh and /bin/echo in the guest), e2fsprogs (mkfs.ext4, the scratch disk).
#   harness/setup.sh --kernel   says what of these is missing, and the command to install it
if [ "${1:-}" = --kernel ]; then
	k=""
	command -v qemu-system-x86_64 >/dev/null 2>&1 || k="$k qemu-system-x86"
	dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || k="$k busybox-static"
	command -v mkfs.ext4 >/dev/null 2>&1 || [ -x /sbin/mkfs.ext4 ] || k="$k e2fsprogs"
	[ -z "$k" ] && exit 0
	echo "setup: --kernel needs$k; install with: sudo apt-get install --no-install-recommends$k" >&2
	exit 1
fi
need=""          # packages without which nothing builds or runs
want=""          # packages whose absence only turns some tests into skips
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need="$need gcc"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
perl -MTAP::Harness -MJSON::PP -e 1 >/dev/null 2>&1 || need="$need perl"
pkg-config --exists liburing 2>/dev/null || want="$want liburing-dev"
pkg-config --exists libcap 2>/dev/null || want="$want libcap-dev"
missing="$need$want"
[ -z "$missing" ] && exit 0

if [ "${1:-}" != --check-only ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "setup: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	if apt-get install -y -q $missing >/tmp/sysconform-setup.log 2>&1 ||
	   { apt-get update -q >>/tmp/sysconform-setup.log 2>&1 &&
	     apt-get install -y -q $missing >>/tmp/sysconform-setup.log 2>&1; }; then
		exit 0
	fi
	echo "setup: apt-get install$missing failed (log: /tmp/sysconform-setup.log)" >&2
elif command -v apt-get >/dev/null 2>&1; then
	echo "setup: missing$missing; install with: sudo apt-get install$missing" >&2
elif command -v apk >/dev/null 2>&1; then
	echo "setup: missing$missing; install with: apk add build-base perl pkgconf liburing-dev libcap-dev" >&2
elif command -v dnf >/dev/null 2>&1; then
	echo "setup: missing$missing; install with: dnf install gcc make perl pkgconf liburing-devel libcap-devel" >&2
else
	echo "setup: missing$missing (Debian names); install them with your package manager" >&2
fi
[ -z "$need" ]    # without a compiler, make or perl nothing can go on
