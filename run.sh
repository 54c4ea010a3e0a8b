#!/bin/sh
# sysconform: ./run.sh [run|list|features|coverage|compare|grade] [OPTIONS] [FILTER...]; ./run.sh help
# Builds what is missing (quietly), then hands over to the runner, harness/sysconform.
cd "$(dirname "$0")" || exit 2
case "${1:-}" in
list|coverage|compare|grade|help|-h|--help) exec perl harness/sysconform "$@" ;;
esac
harness/setup.sh || exit 2
# --static (and --kernel): static test programs (build/static), for a guest or a foreign root.
static=
for a in "$@"; do
	case "$a" in --static|--kernel|--kernel=*|--kernel-package|--kernel-package=*) static=1 ;; esac
done
if [ -n "$static" ]; then
	export SYSCONFORM_BUILD=build/static
fi
mkdir -p build 2>/dev/null
# The build's log; in a checkout this user cannot write (root built it, another user
# runs it), a temporary file: an up-to-date build writes nothing else.
log=build/make.log
if ! [ -w build ]; then
	log=$(mktemp "${TMPDIR:-/tmp}/sysconform-make.XXXXXX") || exit 2
	trap 'rm -f "$log"' EXIT
fi
# (static programs take no LD_PRELOAD: the mutants are not built for them)
targets=all
[ -n "$static" ] && targets="STATIC=1 tools tests"
# One build at a time in a checkout (two runs at once, e.g. two CI jobs in one workspace):
# a lock on build/.lock while make runs and its log is read.
if [ -w build ] && command -v flock >/dev/null; then exec 9>build/.lock && flock 9; fi
if ! make -s -j"$(nproc 2>/dev/null || echo 2)" $targets >"$log" 2>&1; then
	echo "sysconform: the build failed; the last lines of $log:" >&2
	tail -n 15 "$log" >&2
	exit 2
fi
grep -h 'not built:' "$log" >&2
exec 9>&-
[ "$log" = build/make.log ] || rm -f "$log"
exec perl harness/sysconform "$@"
