#!/bin/sh
# sysconform's Gradescope set-up (the bundle of `make gradescope`): Gradescope runs it
# once, as root, in /autograder/source of its Ubuntu/Debian base image. Installs what the
# build needs (harness/setup.sh: gcc, make, pkg-config, perl, liburing-dev, libcap-dev
# with apt-get; setpriv from util-linux) and builds the tools and the programs of the
# topics the bundle's weights grade, with the kselftest headers the bundle carries.
set -eu
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
sysconform/harness/setup.sh
command -v setpriv >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q util-linux; } >/dev/null
cd sysconform
topics=$(perl -Iharness/lib -MSysconform::Grade -e \
	'my ($w, $e) = Sysconform::Grade::parse_weights(shift); die "$e\n" unless $w; print join " ", Sysconform::Grade::graded_topics($w, ".")' ../weights)
progs=
for t in $topics; do
	for c in tests/$t/*.c; do progs="$progs build/${c%.c}"; done
done
echo "setup.sh: building the tools and the programs of: $topics"
KSFT_DIR=$PWD/ksft make -s -j"$(nproc 2>/dev/null || echo 2)" tools $progs
chmod -R go-w ..
