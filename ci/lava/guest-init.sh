#!/bin/sh
# /init of the LAVA guest (harness/lava-run.sh puts it in the initramfs, with busybox
# and the static build of sysconform under /sysconform/build/static). As /init it mounts
# what the tests need (TMPDIR on a tmpfs) and then, for the job with a monitor action
# (ci/lava/sysconform-qemu.yaml), runs every case between "sysconform: start" and
# "sysconform: end" and powers the guest off; with "sysconform.shell" on the kernel
# command line (ci/lava/sysconform-qemu-shell.yaml) it starts a shell on the console
# instead, for LAVA's test shell, whose test definition runs "/init cases".
# "/init cases" runs every test program under sc-run (its timeout, no leftovers) and
# prints one line per case,
#   sysconform: pass|fail|skip TOPIC/FILE:CASE
# (the kselftest harness's raw TAP has no program name, and with the 6.1 header a skip
# has no case name: the case is taken from the "#  RUN  NAME ..." line; a TEST()
# without a fixture is "global.NAME" there, NAME in the runner's case ids). A program
# that reports fewer cases than its plan gives "fail TOPIC/FILE:incomplete".
export PATH=/bin:/sbin TMPDIR=/tmp HOME=/root
B=/sysconform/build/static
cases() {
	for p in "$B"/tests/*/*; do
		id=${p#"$B"/tests/}
		(cd /tmp && $B/harness/sc-run -t 60 -- "$p" </dev/null 2>&1) | awk -v id="$id" '
			/^1\.\.[0-9]+$/ { plan = substr($0, 4) + 0 }
			/^#  RUN  / { name = $3 }
			/^(not )?ok [0-9]+/ {
				n++; r = /^not ok/ ? "fail" : / # SKIP/ ? "skip" : "pass"
				c = $0; sub(/^(not )?ok [0-9]+ ?/, "", c); sub(/ *#.*/, "", c)
				if (c == "") c = name
				sub(/^global\./, "", c)
				if (c == "sc_harness.verdicts") {	# the harness'"'"'s own check, no case
					if (r != "skip") printf "sysconform: fail %s:the-harness-lost-its-verdicts\n", id
					next
				}
				printf "sysconform: %s %s:%s\n", r, id, c
			}
			END { if (n < plan || plan == "") printf "sysconform: fail %s:incomplete\n", id }'
	done
}
[ "${1:-}" = cases ] && { cases; exit 0; }

mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue; mount -t devpts devpts /dev/pts
mount -t tmpfs shm /dev/shm; mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run
ip link set lo up; hostname sysconform-lava
dmesg -n 1	# no kernel message among the case lines (the shell job boots without "quiet":
		# LAVA waits for the kernel's "Linux version" line)
echo "sysconform: kernel $(uname -r), $(find $B/tests -type f | wc -l) programs"
if grep -qw sysconform.shell /proc/cmdline; then
	export PS1='sysconform-lava# '
	exec setsid cttyhack sh
fi
echo "sysconform: start"
cases
echo "sysconform: end"
sync; poweroff -f
