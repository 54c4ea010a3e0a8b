#!/bin/sh
# sysconform: ./run.sh [run|list|features|coverage|compare|grade] [OPTIONS] [FILTER...];
# ./run.sh --help, ./run.sh COMMAND --help, ./run.sh --version (docs/sysconform.1).
# Checks the command line, builds what is missing (a progress line, else quiet), then
# hands over to the runner, harness/sysconform.
cd "$(dirname "$0")" || exit 2
case "${1:-}" in
list|coverage|compare|grade|help|-h|--help|--version) exec perl harness/sysconform "$@" ;;
esac
harness/setup.sh || exit 2
# The runner checks the whole command line first (no build for a bad option or filter)
# and says what to build: "build", "static" (--static, --kernel: build/static) or "none".
need=$(perl harness/sysconform --check-args "$@") || exit 2
[ "$need" = none ] && exec perl harness/sysconform "$@"
# (static programs take no LD_PRELOAD: the mutants are not built for them)
targets=all
if [ "$need" = static ]; then
	export SYSCONFORM_BUILD=build/static
	targets="STATIC=1 tools tests"
fi
mkdir -p build 2>/dev/null
# The build's log; in a checkout this user cannot write (root built it, another user
# runs it), a temporary file: an up-to-date build writes nothing else.
log=build/make.log
if ! [ -w build ]; then
	log=$(mktemp "${TMPDIR:-/tmp}/sysconform-make.XXXXXX") || exit 2
	trap 'rm -f "$log"' EXIT
fi
# One build at a time in a checkout (two runs at once, e.g. two CI jobs in one workspace):
# a lock on build/.lock while make runs and its log is read.
if [ -w build ] && command -v flock >/dev/null; then exec 9>build/.lock && flock 9; fi

# make, quiet, with a line on stdout for every target it makes ("Makefile:N: ... target
# 'T' ...", of --trace; the recipes it then prints are dropped) and its errors in the log.
run_make() {
	make -s --trace -j"$(nproc 2>/dev/null || echo 2)" "$@" 2>"$log"
}
# What is out of date (make -n), then the progress of the build on stderr: a counter
# updating in place on a terminal, else a line at each quarter. Nothing when up to date.
total=$(make -n --trace $targets 2>/dev/null | grep -c "^Makefile:[0-9]*: .*target '")
first=
[ -x "${SYSCONFORM_BUILD:-build}/harness/sc-run" ] || first="first run, about a minute"
tty=0
[ -t 2 ] && tty=1
progress() {
	awk -v total="$total" -v tty="$tty" -v what="${first:+ ($first)}" '
	BEGIN { if (total) printf "sysconform: building%s...%s", what, tty ? "" : "\n" > "/dev/stderr" }
	!total || !/^Makefile:[0-9]+: .*target \047/ { next }
	{ n++ }
	tty { printf "\rsysconform: building%s... %d/%d", what, n, total > "/dev/stderr"; fflush("/dev/stderr"); next }
	n * 4 >= total * (q + 1) { while (n * 4 >= total * (q + 1)) q++; printf "sysconform: built %d/%d\n", n, total > "/dev/stderr" }
	END { if (total && tty) printf "\n" > "/dev/stderr" }'
}
status=$( { { run_make $targets; echo $? >&3; } | progress; } 3>&1 )
if [ "$status" != 0 ]; then
	echo "sysconform: the build failed; the last lines of $log:" >&2
	tail -n 15 "$log" >&2
	exit 2
fi
grep -h 'not built:' "$log" >&2
exec 9>&-
[ "$log" = build/make.log ] || rm -f "$log"
exec perl harness/sysconform "$@"
