#!/bin/sh
# make check, "another kernel": boot a Debian 6.1 cloud kernel under qemu (harness/qemu-run)
# and run a few programs inside it through the runner, as ./run.sh --kernel-package does,
# from a copy of this checkout at "/tmp/sysconform-smoke.XXXXXX/sysconform check": under
# /tmp, where the guest mounts a tmpfs of its own, and with a space in the path. The copy
# (the files of the checkout, without build/, results/ and .git) builds only the programs
# it runs (STATIC=1), and shares this checkout's build/qemu (SYSCONFORM_QEMU_DIR: the
# kernel is fetched once, the KVM verdict is reused) and kselftest headers.
#   harness/kernel-smoke.sh
# Exit 0 when the guest ran them (every case passes and the run describes the guest's
# kernel, not the host's), 1 when it did not, 77 (skip) with the reason on the last line
# when qemu or a kernel cannot be had here.
# The kernel: $SYSCONFORM_SMOKE_KERNEL (an image) or $SYSCONFORM_SMOKE_PACKAGE (a package
# name), else a linux-image-6.1.0-N-cloud-amd64 already fetched into build/qemu/kernels
# (or $SYSCONFORM_QEMU_DIR/kernels), else the newest one apt-cache knows.
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
SYSCONFORM_QEMU_DIR=${SYSCONFORM_QEMU_DIR:-$root/build/qemu}
export SYSCONFORM_QEMU_DIR
skip() { echo "kernel-smoke: skipped: $*"; exit 77; }

if ! command -v qemu-system-x86_64 >/dev/null 2>&1 || ! [ -x /bin/busybox ]; then
	# as root with apt-get, qemu-run installs them itself (the project's set-up rule)
	if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
		skip "no qemu-system-x86_64 or busybox-static (install: sudo apt-get install --no-install-recommends qemu-system-x86 busybox-static)"
	fi
fi
if [ -n "${SYSCONFORM_SMOKE_KERNEL:-}" ]; then
	[ -f "$SYSCONFORM_SMOKE_KERNEL" ] || skip "SYSCONFORM_SMOKE_KERNEL=$SYSCONFORM_SMOKE_KERNEL: no such file"
	set -- --kernel "$(cd "$(dirname "$SYSCONFORM_SMOKE_KERNEL")" && pwd)/$(basename "$SYSCONFORM_SMOKE_KERNEL")"
	want_release=
else
	pkg=${SYSCONFORM_SMOKE_PACKAGE:-}
	if [ -z "$pkg" ]; then
		pkg=$(ls -d "$SYSCONFORM_QEMU_DIR"/kernels/linux-image-6.1.0-*-cloud-amd64/.ok 2>/dev/null |
			sed 's|.*/kernels/||; s|/\.ok$||' | sort -t- -k4,4n | tail -n 1)
	fi
	if [ -z "$pkg" ]; then
		command -v apt-cache >/dev/null 2>&1 || skip "no kernel: no apt-cache to find a Debian kernel package (set SYSCONFORM_SMOKE_KERNEL=IMAGE)"
		pkg=$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' 2>/dev/null |
			awk '{print $1}' | sort -t- -k4,4n | tail -n 1)
		[ -n "$pkg" ] || skip "no kernel: apt-cache knows no linux-image-6.1.0-N-cloud-amd64 (apt-get update? or set SYSCONFORM_SMOKE_KERNEL=IMAGE)"
	fi
	set -- --kernel-package "$pkg"
	want_release=$(echo "$pkg" | sed 's/^linux-image-//')
fi

# qemu, busybox-static and the kernel: a failure to get them is a skip, not a failure.
prep=$(harness/qemu-run "$@" --prepare 2>&1)
rc=$?
if [ $rc = 2 ]; then
	skip "$(echo "$prep" | tail -n 1 | sed 's/^# qemu-run: //')"
elif [ $rc != 0 ]; then
	echo "$prep"
	echo "kernel-smoke: qemu-run --prepare failed (exit $rc)"
	exit 1
fi
echo "$prep"

tmp=$(mktemp -d /tmp/sysconform-smoke.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
copy="$tmp/sysconform check"
mkdir "$copy" &&
	tar -C "$root" --exclude=./build --exclude=./results --exclude=./.git -cf - . | tar -C "$copy" -xf - ||
	{ echo "kernel-smoke: cannot copy the checkout to $copy"; exit 1; }
echo "kernel-smoke: running from $copy"

# What ./run.sh --kernel does, for three programs (fd/exec runs sc-exec-helper, found
# from /proc/self/exe): the static build of the tools and of them, then the runner.
progs="fd/dup fd/exec pipes/eof io/seek"
# io/seek (a file topic) once on each filesystem the guest can make (qemu-run --fs)
fs=ext4,xfs,btrfs,tmpfs
out=$root/build/check/kernel
log=$root/build/check-kernel-make.log
rm -rf "$out"
[ -f build/ksft/kselftest_harness.h ] && export KSFT_DIR="$root/build/ksft"
if ! (cd "$copy" && make -s -j2 STATIC=1 tools $(for p in $progs; do echo "build/static/tests/$p"; done)) >"$log" 2>&1; then
	tail -n 5 "$log"
	echo "kernel-smoke: make STATIC=1 in $copy failed ($log)"
	exit 1
fi
(cd "$copy" && SYSCONFORM_BUILD=build/static perl harness/sysconform run "$@" --fs $fs --out "$out" --label kernel-smoke -j 2 $progs)
rc=$?
[ -f "$out/summary.json" ] || { echo "kernel-smoke: no $out/summary.json (run.sh exit $rc)"; exit 1; }
perl -MJSON::PP -e '
	my ($file, $want, $rc, $fs) = @ARGV;
	open my $fh, "<", $file or die "$file: $!\n";
	my $s = JSON::PP->new->decode(do { local $/; <$fh> });
	my $rel = $s->{system}{kernel_release} // "";
	my $host = `uname -r`; chomp $host;
	my @bad = grep { $_->{status} ne "pass" } @{ $s->{cases} };
	my @why;
	push @why, "run.sh exited $rc" if $rc;
	push @why, "no cases ran" unless @{ $s->{cases} };
	push @why, scalar(@bad) . " cases did not pass: " . join(", ", map { "$_->{id} $_->{status}" } @bad[0 .. ($#bad < 4 ? $#bad : 4)]) if @bad;
	push @why, "kernel_release is $rel, not $want" if $want ne "" && $rel ne $want;
	push @why, "kernel_release is the host'\''s ($host)" if $want eq "" && $rel eq $host;
	for my $f (split /,/, $fs) {	# each filesystem ran io/seek, and its cases say they ran there
		my @on = grep { $_->{id} =~ /^io\/seek:.*\@\Q$f\E$/ } @{ $s->{cases} };
		push @why, "no io/seek case ran on $f" . (($s->{system}{guest_filesystems} // {})->{$f} ? " ($s->{system}{guest_filesystems}{$f})" : "")
			unless @on;
		push @why, "io/seek on $f: a case says it ran on " . join(",", map { $_->{fs} // "nothing" } grep { ($_->{fs} // "") ne $f } @on)
			if grep { ($_->{fs} // "") ne $f } @on;
	}
	if (@why) { print "kernel-smoke: FAILED: $_\n" for @why; exit 1 }
	printf "kernel-smoke: ok: %d cases passed in the guest (kernel %s; io/seek on %s)\n", scalar @{ $s->{cases} }, $rel, $fs;
' "$out/summary.json" "$want_release" "$rc" "$fs"
