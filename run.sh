#!/bin/sh
# sysconform: ./run.sh [run|list|features|coverage] [OPTIONS] [FILTER...]; ./run.sh help
# Builds what is missing (quietly), then hands over to the runner, harness/sysconform.
cd "$(dirname "$0")" || exit 2
case "${1:-}" in
list|coverage|compare|grade|help|-h|--help) exec perl harness/sysconform "$@" ;;
esac
harness/setup.sh || exit 2
mkdir -p build
if ! make -s -j"$(nproc 2>/dev/null || echo 2)" all >build/make.log 2>&1; then
	echo "sysconform: the build failed; the last lines of build/make.log:" >&2
	tail -n 15 build/make.log >&2
	exit 2
fi
grep -h 'not built:' build/make.log >&2
exec perl harness/sysconform "$@"
