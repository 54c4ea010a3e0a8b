#!/bin/sh
# make bench: the numbers of DESIGN.md "Budgets", measured, not asserted.
#   clean build time (a fresh tree in build/bench-clean), full-run wall time
#   (median of RUNS, default 5), the five slowest cases and programs.
#   RUNS=N harness/bench.sh [FILTER...]
set -eu
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
out=build/bench
rm -rf "$out" build/bench-clean
mkdir -p "$out"

t0=$(date +%s.%N)
make -s -j"$(nproc)" B=build/bench-clean tools tests >/dev/null
t1=$(date +%s.%N)
echo "clean build: $(awk "BEGIN { printf \"%.1f\", $t1 - $t0 }") s (make -j$(nproc), $(ls tests/*/*.c | wc -l) programs)"

i=1
while [ "$i" -le "$runs" ]; do
	s=$(date +%s.%N)
	./run.sh --out "$out/run$i" --label bench "$@" >/dev/null || true
	e=$(date +%s.%N)
	awk "BEGIN { print $e - $s }" >> "$out/times"
	i=$((i + 1))
done
sort -n "$out/times" | awk -v n="$runs" '{ t[NR] = $1 } END {
	printf "full run: median %.2f s of %d (min %.2f, max %.2f)\n", t[int((n + 1) / 2)], n, t[1], t[n] }'
perl -Iharness/lib -MSysconform::Summary -e '
	my %ms; my %prog; my $n = 0;
	for my $f (@ARGV) {
		my $s = Sysconform::Summary::load($f); $n++;
		for my $c (@{ $s->{cases} }) {
			push @{ $ms{ $c->{id} } }, $c->{duration_ms};
			$prog{"$c->{topic}/$c->{file}"} += $c->{duration_ms};
		}
	}
	my %med = map { my @v = sort { $a <=> $b } @{ $ms{$_} }; ($_ => $v[$#v / 2]) } keys %ms;
	my @slow = (sort { $med{$b} <=> $med{$a} } keys %med)[0 .. 4];
	printf "%d cases; over 1 s: %d\n", scalar keys %med, scalar grep { $_ > 1000 } values %med;
	print "five slowest cases (median ms):\n";
	printf "  %6d  %s\n", $med{$_}, $_ for grep { defined } @slow;
	print "five slowest programs (mean ms per run):\n";
	printf "  %6d  %s\n", $prog{$_} / $n, $_ for (sort { $prog{$b} <=> $prog{$a} } keys %prog)[0 .. 4];
' "$out"/run*/summary.json
rm -rf build/bench-clean
