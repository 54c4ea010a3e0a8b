# The runner end to end on a small fake tree of misbehaving programs: one that
# crashes, prints garbage, stops short of its plan, never ends, leaves a child
# behind; bad options, filters and --out. Every program gets the right outcome,
# with a one-line reason, and no result of the others is lost.
use strict;
use warnings;
use File::Glob ':bsd_glob';	# glob() does not split a path with spaces
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;
use Time::HiRes qw(time);
use Sysconform::Summary;

my $root = "$FindBin::Bin/../..";
my $build = "$root/build/harness";
plan skip_all => 'sc-run, sc-batch and features not built' unless -x "$build/sc-run" && -x "$build/sc-batch" && -x "$build/features";

my $tree = tempdir(CLEANUP => 1);
make_path("$tree/tests/bad", "$tree/build/tests/bad", "$tree/build/harness");
symlink "$build/$_", "$tree/build/harness/$_" for qw(sc-run sc-batch features);
sub put { my ($f, $text, $mode) = @_; open my $fh, '>', "$tree/$f" or die "$f: $!"; print $fh $text; close $fh; chmod $mode, "$tree/$f" if $mode }
put('RULES.md', "## bad\n\n- **BAD-01** A rule. Source: here.\n");

my %programs = (	# name => [ declared cases, shell script printing TAP ]
	good    => [ [qw(passes)], 'echo "1..1"; echo "#  RUN           global.passes ..."; echo "ok 1 global.passes"' ],
	crash   => [ [qw(a b)], 'echo "1..2"; echo "#  RUN           global.a ..."; kill -SEGV $$' ],
	garbage => [ [qw(real_case)], 'printf "\001\002\377 junk\nok 1 bogus_name\n"' ],
	# TAP 13 makes TAP::Parser decode UTF-8: bytes that are not must not lose the stream.
	badutf8 => [ [qw(a b)], 'echo "TAP version 13"; echo "1..2"; echo "#  RUN           global.a ..."; printf "\376\033[31m\377 junk\n"; echo "ok 1 global.a"; echo "#  RUN           global.b ..."; printf "\377x\n"; echo "not ok 2 global.b"' ],
	short   => [ [qw(a b c)], 'echo "1..3"; echo "#  RUN           global.a ..."; echo "ok 1 global.a"' ],
	hang    => [ [qw(a b)], 'echo "1..2"; echo "#  RUN           global.a ..."; exec sleep 30' ],
	orphan  => [ [qw(leaves_child)], '(setsid sleep 61 >/dev/null 2>&1 &); echo "1..1"; echo "#  RUN           global.leaves_child ..."; echo "ok 1 global.leaves_child"' ],
	# Every entry of LD_PRELOAD (split at ':' and white space, as ld.so does) is a file.
	preload => [ [qw(sees_libs)], 'echo "1..1"; for l in $(echo "$LD_PRELOAD" | tr : " "); do [ -f "$l" ] || { echo "not ok 1 global.sees_libs # $l"; exit 0; }; done; echo "ok 1 global.sees_libs"' ],
);
for my $p (sort keys %programs) {
	my ($cases, $script) = @{ $programs{$p} };
	put("tests/bad/$p.c", join '', map { "/* BAD-01 here: a rule. */\nTEST($_) {}\n\n" } @$cases);
	put("build/tests/bad/$p", "#!/bin/sh\n$script\n", 0755);
}

sub runner {	# (exit code, output)
	my $cmd = join ' ', map { "'$_'" } @_;
	my $out = `SYSCONFORM_TREE='$tree' perl '$root/harness/sysconform' $cmd 2>&1`;
	return ($? >> 8, $out);
}

my $t0 = time;
my ($rc, $out) = runner('run', '--out', "$tree/out", '--timeout', 2, '-j', 3);
my $took = time - $t0;
is($rc, 1, 'exit 1: there are errors and timeouts');
ok($took < 10, sprintf('the hanging program costs its timeout only (%.1f s)', $took));
my $s = Sysconform::Summary::load("$tree/out/summary.json");
my %c = map { $_->{id} => $_ } @{ $s->{cases} };
is($c{'bad/good:passes'}{status}, 'pass', 'the good program keeps its result');
is($c{'bad/crash:a'}{status}, 'error', 'crash: the running case is an error');
like($c{'bad/crash:a'}{reason}, qr/killed by SIGSEGV/, '... saying the program was killed by SIGSEGV');
is($c{'bad/crash:b'}{status}, 'error', 'crash: the case never reached is an error');
like($c{'bad/crash:b'}{reason}, qr/^not run: killed by SIGSEGV/, '... not run, and why');
is($c{'bad/garbage:real_case'}{status}, 'error', 'garbage: the declared case is an error');
is($c{'bad/garbage:bogus_name'}{status}, 'error', 'garbage: a case the source does not declare is an error');
like($c{'bad/garbage:bogus_name'}{reason}, qr/not in the source/, '... saying so');
is($c{'bad/short:a'}{status}, 'pass', 'short plan: what ran is kept');
is($c{'bad/short:c'}{status}, 'error', 'short plan: the missing cases are errors');
is($c{'bad/hang:a'}{status}, 'timeout', 'hang: the running case timed out');
like($c{'bad/hang:b'}{reason}, qr/timeout: killed after 2 s/, '... and the rest say so');
is($c{'bad/orphan:leaves_child'}{status}, 'pass', 'orphan: the case passes');
like(join(' ', @{ $s->{run}{notes}{'bad/orphan'} || [] }), qr/killed 1 process left behind/, '... and the leftover is noted');
is(`pgrep -f 'sleep 6[1]' | wc -l` + 0, 0, '... and killed');
ok(-s "$tree/out/tap/bad-crash.tap", 'the raw output of every program is kept');
is($c{'bad/crash:a'}{tap}, 'tap/bad-crash.tap', '... and each case names its file');
like($s->{run}{suite_version}, qr/^\d+\.\d+/, 'the summary has the suite version');
ok(!-e "$tree/results/latest" && !-l "$tree/results/latest", 'a run into --out outside results/ leaves results/latest alone');
is($c{'bad/badutf8:a'}{status}, 'pass', 'not UTF-8 after TAP version 13: the case still passes');
is($c{'bad/badutf8:b'}{status}, 'fail', '... and the next one still fails');
is($c{'bad/badutf8:b'}{diagnostic}, "\xef\xbf\xbdx", '... with the bad bytes replaced (U+FFFD, as UTF-8) in its diagnostic');
unlike($out, qr/does not map to Unicode|Malformed UTF-8/, '... and TAP::Parser never decoded the stream (no warning of the bad bytes)');
is($s->{totals}{pass}, 5, 'totals');
my %f = map { $_->{name} => $_ } @{ $s->{features} };
ok(exists $f{pidns}{observed}, 'a feature says what its probe observed');
like($f{pidns}{observed}, qr/^(unshare\(CLONE_NEWPID\) directly|through a new user namespace|unshare\(CLONE_NEWPID\): EPERM)/,
     '... for a namespace, the route it took');

# A library under a path with a space: LD_PRELOAD would split it; the runner links it.
make_path("$tree/a b");
system('cp', (glob('/lib/*-linux-gnu/libm.so.6'), glob('/usr/lib/libm.so.6'))[0], "$tree/a b/libm.so") == 0 or die "cp libm";
($rc, $out) = runner('run', '--out', "$tree/outp", '--preload', "$tree/a b/libm.so", 'bad/preload');
my $sp = Sysconform::Summary::load("$tree/outp/summary.json");
is($sp->{cases}[0]{status}, 'pass', '--preload from a path with a space reaches the program whole');
is($sp->{run}{preload}, "$tree/a b/libm.so", '... and the summary names the library, not the link');

($rc, $out) = runner('run', '--out', "$tree/results/r1", 'bad/good');
is(readlink("$tree/results/latest"), 'r1', 'a run into results/ is results/latest');
($rc, $out) = runner('run', '--out', '/proc/version/x', 'bad/good');
is($rc, 2, 'an unwritable --out: exit 2');
like($out, qr/^sysconform: cannot write to --out \/proc\/version\/x/m, '... with a one-line reason');
($rc, $out) = runner('run', '--frobnicate');
is($rc, 2, 'a bad option: exit 2');
($rc, $out) = runner('run', 'nosuch/topic');
is($rc, 2, 'a filter that matches nothing: exit 2');
like($out, qr/filter 'nosuch\/topic' matches no case/, '... said');
($rc, $out) = runner('run', '--wrap', '/nonexistent/wrapper', 'bad/good');
is($rc, 2, 'a missing wrapper: exit 2');
like($out, qr/--wrap: '\/nonexistent\/wrapper' not found/, '... said');
($rc, $out) = runner('run', '--out', "$tree/out2", '--wrap', 'sh -c "exit 127"', 'bad/good');
is($rc, 2, 'a wrapper that exits 127: exit 2');
like($out, qr/could not be probed.*exit 127/, '... said once');
put('wrap-sys', "#!/bin/sh\ncase \"\$1\" in *features) exec \"\$1\";; esac\nkill -SYS \$\$\n", 0755);
($rc, $out) = runner('run', '--out', "$tree/out3", '--wrap', "$tree/wrap-sys", 'bad/good', 'bad/short');
is($rc, 2, 'every program broken the same way: exit 2');
like($out, qr/broke the test harness itself: every program ended with 'killed by SIGSYS'/, '... said once');
# --wrap-once: the same programs in one environment, through sc-batch.
($rc, $out) = runner('run', '--out', "$tree/once", '--timeout', 2, '--wrap', 'env', '--wrap-once');
is($rc, 1, 'wrap-once: exit 1 as before');
my $o = Sysconform::Summary::load("$tree/once/summary.json");
my %w = map { $_->{id} => $_->{status} } @{ $o->{cases} };
is_deeply([ @w{qw(bad/good:passes bad/crash:a bad/hang:a bad/short:c bad/garbage:bogus_name)} ],
	  [qw(pass error timeout error error)], 'wrap-once: the same outcomes');
is(scalar @{ $o->{cases} }, scalar @{ $s->{cases} }, 'wrap-once: the same cases');

# --tmpdir: a file topic once in each directory, its TMPDIR there, ids "@FS" when there
# are several; another topic once. (The program says where it ran, as sc_tmpdir_setup does.)
make_path("$tree/tests/io", "$tree/build/tests/io", "$tree/d1", "$tree/d2");
put('RULES.md', "## bad\n\n- **BAD-01** A rule. Source: here.\n\n## io\n\n- **IO-01** A rule. Source: here.\n");
put('tests/io/where.c', "/* IO-01 here: a rule. */\nTEST(runs) {}\n");
put('build/tests/io/where', "#!/bin/sh\necho 1..1; echo '#  RUN           global.runs ...'; echo \"# sc-fs: \$(basename \$(dirname \$TMPDIR))\"; echo ok 1 global.runs\n", 0755);
for my $once (0, 1) {
	($rc, $out) = runner('run', '--out', "$tree/fs$once", '--tmpdir', "$tree/d1,$tree/d2", $once ? ('--wrap', 'env', '--wrap-once') : (), 'io', 'bad/good');
	my $f = Sysconform::Summary::load("$tree/fs$once/summary.json");
	my %fs = map { $_->{id} => $_->{fs} // '' } @{ $f->{cases} };
	my ($l1, $l2) = map { $_->{label} } @{ $f->{run}{filesystems} };
	my $w = $once ? 'wrap-once' : 'run';
	is($rc, 0, "--tmpdir ($w): exit 0");
	is_deeply([ sort keys %fs ], [ 'bad/good:passes', "io/where:runs\@$l1", "io/where:runs\@$l2" ],
		  "--tmpdir ($w): the file topic once per directory, the other once") or diag $out;
	is_deeply([ @fs{ "io/where:runs\@$l1", "io/where:runs\@$l2" } ], [qw(d1 d2)], "--tmpdir ($w): each ran in its own directory");
	is_deeply([ (glob("$tree/d1/*"), glob("$tree/d2/*")) ], [], "--tmpdir ($w): the run's directories there are removed");
}
($rc, $out) = runner('run', '--tmpdir', "$tree/nonexistent", 'io');
like($out, qr/--tmpdir .*nonexistent: not a writable directory/, '--tmpdir: a missing directory is said');
done_testing;
