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
mkdir -p build
# (static programs take no LD_PRELOAD: the mutants are not built for them)
targets=all
[ -n "$static" ] && targets="STATIC=1 tools tests"
if ! make -s -j"$(nproc 2>/dev/null || echo 2)" $targets >build/make.log 2>&1; then
	echo "sysconform: the build failed; the last lines of build/make.log:" >&2
	tail -n 15 build/make.log >&2
	exit 2
fi
grep -h 'not built:' build/make.log >&2
exec perl harness/sysconform "$@"
