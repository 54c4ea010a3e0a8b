#!/bin/sh
# make gradescope: the Gradescope autograder bundle (README.md "Grading").
#   harness/gradescope/bundle.sh ZIP WEIGHTS PER_CASE TIMEOUT KSFT
# ZIP holds setup.sh and run_autograder (from harness/gradescope/), weights (a copy of
# WEIGHTS: the topics it grades are the ones built and run), config (PER_CASE: one
# Gradescope test per case instead of per topic; TIMEOUT: seconds per test program;
# BUILD_TIMEOUT: seconds for the submission's build), and
# sysconform/: the suite's sources, the kselftest headers of this build (ksft/) and a
# VERSION with the commit. Run from the top of the checkout; KSFT: the directory of
# this build's kselftest headers.
set -eu
zip=$1 weights=$2 per_case=$3 timeout=$4 ksft=$5
command -v zip >/dev/null 2>&1 || { echo "gradescope: not installed: zip (apt-get install zip)" >&2; exit 2; }
topics=$(perl -Iharness/lib -MSysconform::Grade -e \
	'my ($w, $e) = Sysconform::Grade::parse_weights(shift); die "gradescope: $e\n" unless $w; print join " ", Sysconform::Grade::graded_topics($w, ".")' "$weights")
[ -n "$topics" ] || { echo "gradescope: $weights grades no topic" >&2; exit 2; }
case $per_case$timeout in *[!0-9]*) echo "gradescope: PER_CASE and TIMEOUT are numbers" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
b=$tmp/bundle
mkdir -p "$b/sysconform/ksft" "$b/sysconform/fixtures"
cp harness/gradescope/setup.sh harness/gradescope/run_autograder "$b/"
cp "$weights" "$b/weights"
printf '# Read by run_autograder (make gradescope PER_CASE=%s TIMEOUT=%s); seconds for the\n# build of a submission: BUILD_TIMEOUT.\nPER_CASE=%s\nTIMEOUT=%s\nBUILD_TIMEOUT=120\n' \
	"$per_case" "$timeout" "$per_case" "$timeout" >"$b/config"
cp -R Makefile run.sh RULES.md harness tests "$b/sysconform/"
cp -R fixtures/grading "$b/sysconform/fixtures/"
cp "$ksft/kselftest_harness.h" "$ksft/kselftest.h" "$b/sysconform/ksft/"
perl -Iharness/lib -MSysconform::Version=suite_version -e 'print suite_version("."), "\n"' >"$b/sysconform/VERSION"
mkdir -p "$(dirname "$zip")"
out=$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")
rm -f "$out"
(cd "$b" && chmod -R go-w,a+rX . && zip -qr -X "$out" .)
echo "gradescope: $zip ($(du -k "$out" | cut -f1) KB), sysconform $(cat "$b/sysconform/VERSION"), weights $weights: $topics"
