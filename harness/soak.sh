#!/bin/sh
# make soak, make flakes: the whole suite N times in a row (default 50) with both CPUs
# loaded by stress-ng, measuring each run, then a table and a one-line verdict.
#   N=50 harness/soak.sh [FILTER...]        (make flakes: N=20)
# It fails (exit 1) when a case's outcome was not the same in every run (each such case
# is listed), when a run left something behind (an entry in its TMPDIR or a
# sysconform-* one in /tmp, a process of this checkout's build/, a mount of it), or when
# the runner's peak of open descriptors or of memory (max RSS) grows: the last quarter
# of the runs above the first quarter by more than 2 descriptors or 20 %. Descriptors and
# VmHWM are sampled from /proc/PID of the runner every 0.1 s. Exit 2: no stress-ng.
set -eu
cd "$(dirname "$0")/.."
n=${N:-50}
out=build/soak
rm -rf "$out"
mkdir -p "$out/tmp" "$out/slash-tmp"
# Each run in a mount namespace of its own whose /tmp is build/soak/slash-tmp (as root):
# what the tests leave in /tmp is then theirs alone, not another job's on this machine.
private=
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
	private=$(pwd)/$out/slash-tmp
else
	echo "soak: not root: leftovers in /tmp are not looked for" >&2
fi
# CMD... as itself (exec: the runner's PID is the one started), in that namespace
in_ns() {
	[ -n "$private" ] || exec "$@"
	exec unshare -m sh -c 'mount --bind "$0" /tmp && exec "$@"' "$private" "$@"
}
command -v stress-ng >/dev/null 2>&1 || { echo "soak: stress-ng is not installed (apt-get install stress-ng)" >&2; exit 2; }
stress-ng --cpu "$(nproc)" --timeout 3600s --quiet &
load=$!
trap 'kill $load 2>/dev/null; wait $load 2>/dev/null' EXIT
build=$(pwd)/build
mounts() { grep -c -e "$build" -e sysconform-run /proc/self/mountinfo || true; }
m0=$(mounts)
i=1
while [ "$i" -le "$n" ]; do
	TMPDIR=$(pwd)/$out/tmp in_ns perl harness/sysconform run --out "$out/run$i" --label "soak$i" "$@" >"$out/run$i.log" 2>&1 &
	pid=$!
	fds=0 hwm=0
	while [ -d /proc/$pid ] && ! grep -q '^State:.*Z' /proc/$pid/status 2>/dev/null; do
		f=$(find /proc/$pid/fd -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
		h=$(sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' /proc/$pid/status 2>/dev/null) || h=
		[ "$f" -gt "$fds" ] && fds=$f
		[ -n "$h" ] && [ "$h" -gt "$hwm" ] && hwm=$h
		sleep 0.1
	done
	rc=0; wait $pid || rc=$?
	find "$out/tmp" "$out/slash-tmp" -mindepth 1 -maxdepth 1 > "$out/left$i"
	tmp=$(wc -l < "$out/left$i")
	rm -rf "${out:?}"/tmp/* "${out:?}"/tmp/.[!.]* "${out:?}"/slash-tmp/* "${out:?}"/slash-tmp/.[!.]* 2>/dev/null || true
	procs=$(pgrep -f "$build/" | wc -l)
	echo "$i $rc $fds $hwm $tmp $procs $(( $(mounts) - m0 ))" >> "$out/measures"
	i=$((i + 1))
done
kill $load 2>/dev/null; wait $load 2>/dev/null || true
trap - EXIT
perl -Iharness/lib -MSysconform::Summary -e '
	my ($measures, $n, @sums) = @ARGV;
	my (%st, @rows, %bad);
	open my $m, "<", $measures or die "soak: no measures\n";
	while (<$m>) {
		my ($i, $rc, $fds, $hwm, $tmp, $procs, $mounts) = split;
		my $s = eval { Sysconform::Summary::load("build/soak/run$i/summary.json") };
		my %t;
		if ($s) { $t{ $_->{status} }++, $st{ $_->{id} }{ $_->{status} }++ for @{ $s->{cases} } }
		push @rows, { i => $i, rc => $rc, fds => $fds, mb => $hwm / 1024, tmp => $tmp, procs => $procs, mounts => $mounts,
			      s => $s ? sprintf("%.1f", $s->{run}{duration_s}) : "-", t => $s ? join(" ", map { "$t{$_} $_" } sort keys %t) : "no summary.json" };
		$bad{"run $i: no summary.json"}++ unless $s;
		$bad{"run $i left " . join(", ", ($tmp ? "$tmp temporary files (build/soak/left$i)" : ()), ($procs ? "$procs processes" : ()), ($mounts ? "$mounts mounts" : ()))}++
			if $tmp || $procs || $mounts;
	}
	printf "%4s %4s %6s %5s %7s %5s %5s %6s  %s\n", qw(run exit time_s fds rss_MB tmp procs mounts outcomes);
	printf "%4d %4d %6s %5d %7.1f %5d %5d %6d  %s\n", @$_{qw(i rc s fds mb tmp procs mounts t)} for @rows;
	my @flaky = grep { keys %{ $st{$_} } > 1 } sort keys %st;
	for my $id (@flaky) { print "  unstable $id: ", join(", ", map { "$st{$id}{$_} $_" } sort keys %{ $st{$id} }), "\n" }
	my $q = int(@rows / 4) || 1;	# growth: the last quarter of the runs against the first
	my $avg = sub { my ($k, @r) = @_; my $t = 0; $t += $_->{$k} for @r; $t / @r };
	my ($f0, $f1) = map { $avg->("fds", @$_) } [ @rows[0 .. $q - 1] ], [ @rows[-$q .. -1] ];
	my ($m0, $m1) = map { $avg->("mb", @$_) } [ @rows[0 .. $q - 1] ], [ @rows[-$q .. -1] ];
	$bad{sprintf "descriptors grew from %.1f to %.1f", $f0, $f1}++ if $f1 > $f0 + 2;
	$bad{sprintf "max RSS grew from %.1f to %.1f MB", $m0, $m1}++ if $m1 > $m0 * 1.2;
	my ($fmin, $fmax) = (sort { $a <=> $b } map { $_->{fds} } @rows)[0, -1];
	my ($mmin, $mmax) = (sort { $a <=> $b } map { $_->{mb} } @rows)[0, -1];
	my @d = sort { $a <=> $b } grep { $_ ne "-" } map { $_->{s} } @rows;
	my @why = ((@flaky ? scalar(@flaky) . " unstable cases" : ()), sort keys %bad);
	printf "soak: %d runs under load, %d cases, %s..%s s, runner fds %d..%d, max RSS %.0f..%.0f MB: %s\n",
		scalar @rows, scalar keys %st, $d[0] // "-", $d[-1] // "-", $fmin, $fmax, $mmin, $mmax,
		@why ? "FAILED (" . join("; ", @why) . ")" : "stable, nothing left behind, no growth";
	exit(@why ? 1 : 0);
' "$out/measures" "$n"
