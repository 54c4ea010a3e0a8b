#!/bin/sh
# One CI run of sysconform, shared by the templates of ci/: builds as the calling user
# (root in the templates' jobs), runs as root or as uid 65534, and leaves the run in
# results/ci-LABEL/ (junit.xml, report.html, report.md, summary.json, sysconform.tap).
#   ci/run.sh LABEL [--unprivileged] [RUN OPTIONS...]   (RUN OPTIONS: those of ./run.sh)
# CC and B pick another compiler and its build tree (CC=clang B=build/clang): as in
# make check, that tree gets the tools and tests (the LD_PRELOAD fixtures are gcc's).
# SYSCONFORM_OUT_DIR puts results/ci-LABEL/ elsewhere (DIR/ci-LABEL/), e.g. in the
# project directory of a downstream that checks sysconform out in a subdirectory.
# Under GitHub Actions the report also becomes the job's summary.
# Exit status: that of the run (0 no unexpected divergence, 1 some, 2 infrastructure).
set -eu
cd "$(dirname "$0")/.."
label=${1:?usage: ci/run.sh LABEL [--unprivileged] [RUN OPTIONS...]}
shift
as=root
if [ "${1:-}" = --unprivileged ]; then
	as=65534
	shift
fi
out=${SYSCONFORM_OUT_DIR:-results}/ci-$label
if [ "${B:-build}" != build ]; then
	export SYSCONFORM_BUILD="$B"
	make -s -j"$(nproc)" tools tests
	set -- perl harness/sysconform run --out "$out" --label "$label" "$@"
else
	# run.sh builds what is missing; as nobody it could not write build/
	[ "$as" = root ] || make -s -j"$(nproc)"
	set -- ./run.sh --out "$out" --label "$label" "$@"
fi
rc=0
if [ "$as" = root ]; then
	"$@" || rc=$?
else
	mkdir -p results "${out%/*}"
	chown 65534:65534 results "${out%/*}"
	HOME=/tmp setpriv --reuid=65534 --regid=65534 --clear-groups "$@" || rc=$?
fi
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$out/report.md" ]; then
	# GitHub takes at most 1 MiB of summary per step.
	head -c 900000 "$out/report.md" >>"$GITHUB_STEP_SUMMARY"
fi
exit "$rc"
