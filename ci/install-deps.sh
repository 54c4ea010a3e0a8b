#!/bin/sh
# Installs what sysconform needs to build and run, with the system's own package
# manager: apt-get (Debian, Ubuntu), apk (Alpine), dnf (Fedora). Run as root (CI jobs
# in a container are). Used by the CI templates of ci/; usable on any such machine.
#   ci/install-deps.sh [EXTRA...]
# EXTRA: clang, musl (musl-gcc; Debian/Ubuntu and Fedora: Alpine's own gcc is musl's),
# kernel (--kernel/--kernel-package: qemu, busybox, mkfs.ext4; Debian/Ubuntu only),
# gvisor (runsc; Debian only: elsewhere install gVisor from its own releases).
# Names checked against each distribution's package index (README "CI").
set -eu
if command -v apt-get >/dev/null 2>&1; then
	pm=apt
	pkgs="gcc make pkg-config perl liburing-dev libcap-dev ca-certificates"
elif command -v apk >/dev/null 2>&1; then
	pm=apk
	# perl: TAP::Harness and JSON::PP are in Alpine's perl (only prove is in perl-utils);
	# linux-headers: <linux/*.h>; setpriv: for the unprivileged run (util-linux's own package)
	pkgs="build-base perl pkgconf liburing-dev libcap-dev linux-headers setpriv"
elif command -v dnf >/dev/null 2>&1; then
	pm=dnf
	# perl, not perl-interpreter: Fedora's "perl" pulls in every core module
	# (TAP::Harness is perl-Test-Harness, JSON::PP perl-JSON-PP)
	pkgs="gcc make pkgconf-pkg-config perl liburing-devel libcap-devel util-linux"
else
	echo "install-deps: no apt-get, apk or dnf here; install a C compiler, make, pkg-config," \
		"perl (TAP::Harness, JSON::PP), liburing and libcap headers by hand" >&2
	exit 1
fi
for extra in "$@"; do
	case "$pm:$extra" in
	*:clang) pkgs="$pkgs clang" ;;
	apt:musl) pkgs="$pkgs musl-tools" ;;
	dnf:musl) pkgs="$pkgs musl-gcc" ;;
	apk:musl) ;;	# Alpine's gcc is musl's
	apt:kernel) pkgs="$pkgs qemu-system-x86 busybox-static e2fsprogs" ;;
	apt:gvisor) pkgs="$pkgs runsc" ;;
	*) echo "install-deps: '$extra' is not available through $pm here (see the header)" >&2; exit 1 ;;
	esac
done
echo "install-deps ($pm): $pkgs"
case $pm in
apt)
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# shellcheck disable=SC2086 # a list of package names
	apt-get install -y -q --no-install-recommends $pkgs ;;
apk)
	# shellcheck disable=SC2086
	apk add --no-cache $pkgs ;;
dnf)
	# shellcheck disable=SC2086
	dnf install -y -q $pkgs ;;
esac
