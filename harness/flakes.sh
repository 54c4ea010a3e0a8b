#!/bin/sh
# make flakes: run the whole suite N times (default 20) with both CPUs loaded by
# stress-ng, and list every case whose outcome was not the same in every run.
#   N=20 harness/flakes.sh [FILTER...]
set -eu
cd "$(dirname "$0")/.."
n=${N:-20}
out=build/flakes
rm -rf "$out"
mkdir -p "$out"
command -v stress-ng >/dev/null 2>&1 || { echo "flakes: stress-ng is not installed (apt-get install stress-ng)" >&2; exit 2; }
stress-ng --cpu "$(nproc)" --timeout 3600s --quiet &
load=$!
trap 'kill $load 2>/dev/null; wait $load 2>/dev/null' EXIT
i=1
while [ "$i" -le "$n" ]; do
	./run.sh --out "$out/run$i" --label "flakes$i" "$@" >/dev/null || true
	i=$((i + 1))
done
perl -Iharness/lib -MSysconform::Summary -e '
	my (%st, $runs, @dur);
	for my $f (@ARGV) {
		my $s = Sysconform::Summary::load($f); $runs++; push @dur, $s->{run}{duration_s};
		$st{ $_->{id} }{ $_->{status} }++ for @{ $s->{cases} };
	}
	my @flaky = grep { keys %{ $st{$_} } > 1 } sort keys %st;
	@dur = sort { $a <=> $b } @dur;
	printf "%d runs under load, %d cases, run time %.1f..%.1f s: %d flaky\n", $runs, scalar keys %st, $dur[0], $dur[-1], scalar @flaky;
	for my $id (@flaky) { print "  $id: ", join(", ", map { "$st{$id}{$_} $_" } sort keys %{ $st{$id} }), "\n" }
	exit(@flaky ? 1 : 0);
' "$out"/run*/summary.json
