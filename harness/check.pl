#!/usr/bin/perl
# make check: the project's own tests (docs/DESIGN.md "The project's own tests").
#   1. the catalogue is sound (every case cites rule IDs that RULES.md has);
#   1b. harness/lint.pl: no raw compare of a syscall's result (it would lose the errno);
#   2. the build is warning-free under clang too (gcc already built it: make all);
#   3. unit tests of the runner and report writers (prove harness/t);
#   4. a full native run: no fail, error or timeout;
#   5. every mutant of fixtures/mutants is caught as its "Expect:" lines say;
#   5b. every environment of fixtures/env gives the passes and skips it says;
#   6. the sample submissions of fixtures/student get their expected grades;
#      (the runs of 5, 5b and 6 go on several at a time, their results in this order)
#   7. a kernel booted under qemu runs a few programs, from a copy of the checkout under
#      /tmp with a space in its path (skipped without qemu or a kernel);
#   8. each program of harness/check.d/ (its "# step:" line names what it shows).
# Ends with the line "check: N passed, N failed"; exit 1 when any step failed.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(basename dirname);
use File::Glob ':bsd_glob';	# glob() does not split a path with spaces
use File::Path qw(remove_tree make_path);
use Time::HiRes qw(time);

$| = 1;
my $ROOT = abs_path(dirname(__FILE__) . '/..');
chdir $ROOT or die "cd $ROOT: $!\n";
use lib 'harness/lib';
use Sysconform::Catalog;
use Sysconform::Fixture;
use Sysconform::Summary;
use Sysconform::Vocabulary qw(is_bad skip_reason);

my $OUT = "$ROOT/build/check";
$ENV{SC_JOBS} = (`getconf _NPROCESSORS_ONLN 2>/dev/null` =~ /(\d+)/)[0] || 2;
# Runs of steps 5, 5b and 6 at once: mostly they wait (for a child the mutant hangs,
# a timeout), so more than the CPUs.
my $PARALLEL = 3 * $ENV{SC_JOBS};
my ($passed, $failed) = (0, 0);

sub step {
	my ($name, $ok, @why) = @_;
	if ($ok) { $passed++; print "ok    $name\n" }
	else { $failed++; print "FAIL  $name\n", map { "      $_\n" } @why }
}

sub run_quiet {	# (exit code, output) of a command
	my (@cmd) = @_;
	my $pid = open my $fh, '-|';
	die "fork: $!\n" unless defined $pid;
	if (!$pid) { open STDERR, '>&', \*STDOUT; exec @cmd; exit 127 }
	local $/;
	my $out = <$fh> // '';
	close $fh;
	return ($? >> 8, $out);
}

# Run JOBS ({ cmd => [...], log => PATH, done => CODE }) at most $PARALLEL at a time, the
# output of each into its log; then DONE->(exit code, output) of each, in their order,
# as soon as it and all before it have ended. A job without a cmd is only DONE->().
sub run_parallel {
	my (@jobs) = @_;
	my (%running, @exit);
	my ($started, $reported) = (0, 0);
	while ($reported < @jobs) {
		while ($started < @jobs && keys %running < $PARALLEL) {
			my $j = $jobs[$started];
			if (!$j->{cmd}) { $exit[ $started++ ] = -1; next }
			my $pid = fork // die "fork: $!\n";
			if (!$pid) {
				open STDOUT, '>', $j->{log} or die "$j->{log}: $!\n";
				open STDERR, '>&', \*STDOUT;
				exec @{ $j->{cmd} } or do { print "cannot run $j->{cmd}[0]: $!\n"; exit 127 };
			}
			$running{$pid} = $started++;
		}
		if (%running) {
			my $pid = waitpid(-1, 0);
			$exit[ delete $running{$pid} ] = $? >> 8 if exists $running{$pid};
		}
		while ($reported < @jobs && defined $exit[$reported]) {
			my $j = $jobs[ $reported++ ];
			$j->{cmd} ? $j->{done}->($exit[ $reported - 1 ], slurp($j->{log})) : $j->{done}->();
		}
	}
}

sub slurp { open my $fh, '<', $_[0] or return ''; local $/; my $s = <$fh>; $s // '' }

sub tail { my ($s, $n) = @_; my @l = split /\n/, $s; join "\n", @l[ ($#l - $n + 1 < 0 ? 0 : $#l - $n + 1) .. $#l ] }

remove_tree($OUT);
make_path($OUT);
my $t0 = time;

# 1. catalogue
{
	my ($rc, $out) = run_quiet('./run.sh', 'coverage', '--strict');
	step('catalogue: every case cites known rule IDs', $rc == 0, grep { /sysconform:/ } split /\n/, $out);
	print map { "      $_\n" } grep { /^total/ } split /\n/, $out;
}

# 1b. house style a compiler does not check (harness/lint.pl)
{
	my ($rc, $out) = run_quiet('harness/lint.pl');
	step('lint: success checks keep the errno (no raw compare of a syscall result)', $rc == 0, tail($out, 10));
}

# 2. other compilers: clang, and musl (docs/DESIGN.md: must also build with musl-gcc)
for my $cc (qw(clang musl-gcc)) {
	if (system("command -v $cc >/dev/null 2>&1") != 0) {
		print "skip  build with $cc: not installed\n";
		next;
	}
	(my $b = "build/$cc") =~ s/-gcc$//;
	my ($rc, $out) = run_quiet('make', '-s', "-j$ENV{SC_JOBS}", "B=$b", "CC=$cc", 'tools', 'tests');
	step("build with $cc -Wall -Wextra -Werror", $rc == 0, tail($out, 10));
}

# 3. unit tests
{
	my ($rc, $out) = run_quiet('prove', '-Q', 'harness/t');
	step('unit tests of the runner (prove harness/t)', $rc == 0, tail($out, 15));
}

my %tmp_before = map { $_ => 1 } map { glob((($ENV{TMPDIR} && -d $ENV{TMPDIR}) ? $ENV{TMPDIR} : '/tmp') . "/$_.*") }
	qw(sysconform sysconform-run sysconform-probe);

# 4. the native run
my $native = "$OUT/native";
{
	my ($rc, $out) = run_quiet('./run.sh', '--out', $native, '--label', 'check-native');
	my $s = -f "$native/summary.json" ? Sysconform::Summary::load("$native/summary.json") : undef;
	my @bad = $s ? grep { is_bad($_->{status}) } @{ $s->{cases} } : ();
	my @invalid = $s ? Sysconform::Summary::validate($s) : ();
	step('native run: no fail, error or timeout; summary.json keeps its contract', $rc == 0 && $s && !@bad && !@invalid,
	     $s ? ((map { "$_->{status} $_->{id}: $_->{reason}" } @bad), map { "summary.json: $_" } @invalid) : tail($out, 10));
	if ($s) {
		my $t = $s->{totals};
		printf "      %d cases: %d pass, %d skip, in %.1f s\n", scalar @{ $s->{cases} }, $t->{pass}, $t->{skip}, $s->{run}{duration_s};
	}
}

# 4b. nothing of the run is left: processes, mounts, temporary files
{
	my $tmp = $ENV{TMPDIR} && -d $ENV{TMPDIR} ? $ENV{TMPDIR} : '/tmp';
	my @procs = grep { /\Q$ROOT\E\/build\/(tests|harness)\// } `ps -eo args 2>/dev/null`;
	my @mounts = grep { /sysconform/ } `cat /proc/self/mountinfo`;
	# Only what this run made: another run on the machine (a concurrent check, a user's
	# ./run.sh) has its own temporary directories in /tmp meanwhile.
	my @files = grep { !$tmp_before{$_} } map { glob("$tmp/$_.*") } qw(sysconform sysconform-run sysconform-probe);
	my $s = -f "$native/summary.json" ? Sysconform::Summary::load("$native/summary.json") : {};
	my @tmpleft = @{ $s->{run}{tmp_leftovers} || [] };
	step('no leftovers: processes, mounts, temporary files', !@procs && !@mounts && !@files && !@tmpleft,
	     map { "left: $_" } @procs, @mounts, @files, map { "left in TMPDIR: $_" } @tmpleft);
}

# 5, 5b, 6: runs of the suite with a fixture library preloaded. The build is done
# (make check: all; step 4 went through run.sh), so the runner is called directly.
my $cat = Sysconform::Catalog->new(root => $ROOT);
my @jobs;
my $t5 = time;

sub summary_of {	# the summary.json of a run in DIR, or undef
	my ($dir) = @_;
	return -f "$dir/summary.json" ? Sysconform::Summary::load("$dir/summary.json") : undef;
}

# 5. mutants
for my $src (sort glob('fixtures/mutants/*.c')) {
	my $name = basename($src, '.c');
	my ($h, $err) = Sysconform::Fixture::header($src);
	my @expect = $h ? @{ $h->{expect} } : ();
	unless (@expect) {
		push @jobs, { done => sub { step("mutant $name", 0, $err // 'no "Expect:" line in its header') } };
		next;
	}
	my @filters = map { $_->[0] =~ /^(fail|pass)$/ ? ($_->[1] =~ m{^([^/:]+)})[0] : () } @expect;
	my %features = map { $_->[1] => 1 } grep { $_->[0] =~ /^(missing|blocked)$/ } @expect;
	if (%features) {	# the topics whose cases need the feature
		push @filters, map { $_->{topic} } grep { my $c = $_; grep { $features{$_} } case_features($c) } $cat->cases;
	}
	my %seen;
	@filters = grep { !$seen{$_}++ } @filters;
	my $dir = "$OUT/mutant-$name";
	push @jobs, { log => "$dir.log", done => sub { check_mutant($name, \@expect, $dir, @_) },
		      cmd => [ 'perl', 'harness/sysconform', '--out', $dir, '--label', "mutant-$name", '-j', 1,
			       '--preload', "build/mutants/$name.so", '--timeout', 20, @filters ] };
}

sub check_mutant {
	my ($name, $expect, $dir, $rc, $out) = @_;
	my $s = summary_of($dir);
	return step("mutant $name", 0, "no summary.json (exit $rc)", tail($out, 5)) unless $s;
	my @why;
	for my $e (@$expect) {
		my ($kind, $what) = @$e;
		if ($kind eq 'fail') {	# caught: a divergence (or a hang), not an error of the test
			my @hit = grep { $_->{status} =~ /^(fail|timeout)$/ && Sysconform::Catalog::case_matches($_, $what) } @{ $s->{cases} };
			push @why, "no case of $what failed" unless @hit;
			print "      $name: caught by ", join(', ', map { $_->{id} } @hit[0 .. ($#hit < 2 ? $#hit : 2)]),
				(@hit > 3 ? sprintf(' (+%d more)', @hit - 3) : ''), "\n" if @hit;
		} elsif ($kind eq 'pass') {	# the cases ran and passed: nothing skipped or failed
			my @c = grep { Sysconform::Catalog::case_matches($_, $what) } @{ $s->{cases} };
			push @why, "no case of $what ran" unless @c;
			push @why, map { "$_->{status} $_->{id}: expected pass" . ($_->{reason} ? " ($_->{reason})" : '') }
				grep { $_->{status} ne 'pass' } @c;
			print "      $name: ", scalar @c, " cases of $what pass\n" if @c && !@why;
		} elsif ($kind eq 'supported') {
			my ($f) = grep { $_->{name} eq $what } @{ $s->{features} };
			push @why, "feature $what is " . ($f ? "$f->{status} $f->{errno}" : 'not in the table') . ", not supported"
				unless $f && $f->{status} eq 'supported';
		} else {
			my ($f) = grep { $_->{name} eq $what } @{ $s->{features} };
			push @why, "feature $what is " . ($f ? $f->{status} : 'not in the table') . ", not $kind"
				unless $f && $f->{status} eq $kind;
			my @bad = grep { is_bad($_->{status}) } @{ $s->{cases} };
			push @why, map { "$_->{status} $_->{id}: a $kind feature must give skips" } @bad;
			my @skips = grep { my $r = $_->{status} eq 'skip' && skip_reason($_->{reason});
					   $r && ($r->{feature} // '') eq $what && $r->{kind} eq $kind } @{ $s->{cases} };
			push @why, "no case skipped with 'feature $what $kind'" unless @skips;
			print "      $name: feature $what $kind, ", scalar @skips, " cases skipped\n" unless @why;
		}
	}
	step("mutant $name", !@why, @why);
}

sub case_features {	# the [feature X] names of a case's rules
	my ($c) = @_;
	return map { @{ $cat->rules->{$_} ? $cat->rules->{$_}{needs} : [] } } @{ $c->{rules} };
}

# 5b. environment fixtures: another kernel version or filesystem, as Linux behaves
# there (fixtures/env/README); the cases must know it: pass or skip as said, never fail.
for my $src (sort glob('fixtures/env/*.c')) {
	my $name = basename($src, '.c');
	my ($h, $err) = Sysconform::Fixture::header($src);
	my @expect = $h ? @{ $h->{expect} } : ();
	unless (@expect) {
		push @jobs, { done => sub { step("environment $name", 0, $err // 'no "Expect:" line in its header') } };
		next;
	}
	my @with = map { "build/mutants/$_.so" } @{ $h->{with} };
	my %seen;
	my @filters = grep { !$seen{$_}++ } map { ($_->[1] =~ m{^([^/:]+)})[0] } @expect;
	my $dir = "$OUT/env-$name";
	push @jobs, { log => "$dir.log", done => sub { check_env($name, \@expect, \@with, $dir, @_) },
		      cmd => [ 'perl', 'harness/sysconform', '--out', $dir, '--label', "env-$name", '-j', 1,
			       '--preload', join(':', "build/env/$name.so", @with), '--timeout', 20, @filters ] };
}

sub check_env {
	my ($name, $expect, $with, $dir, $rc, $out) = @_;
	my $s = summary_of($dir);
	return step("environment $name", 0, "no summary.json (exit $rc)", tail($out, 5)) unless $s;
	my @skipglobs = map { $_->[1] } grep { $_->[0] eq 'skip' } @$expect;
	my @why = map { "$_->{status} $_->{id}: an environment Linux itself gives must not fail" }
		grep { is_bad($_->{status}) } @{ $s->{cases} };
	for my $e (@$expect) {
		my ($kind, $what) = @$e;
		my @c = grep { Sysconform::Catalog::case_matches($_, $what) } @{ $s->{cases} };
		@c = grep { my $c = $_; !grep { Sysconform::Catalog::case_matches($c, $_) } @skipglobs } @c if $kind eq 'pass';
		push @why, "no case of $what ran" unless @c;
		push @why, map { "$_->{status} $_->{id}: expected $kind" } grep { $_->{status} ne $kind } @c;
	}
	print "      $name: ", join(', ', map { "$_->[0] $_->[1]" } @$expect), "\n" unless @why;
	step("environment $name" . (@$with ? " (with @$with)" : ''), !@why, @why);
}

# 6. grading: each sample submission by harness/grade-students.pl, one step for all
{
	my @students = map { basename($_, '.c') } sort glob('fixtures/student/*.c');
	my $ok = @students > 0;
	for my $i (0 .. $#students) {
		push @jobs, { log => "$OUT/student-$students[$i].log", cmd => [ 'harness/grade-students.pl', $students[$i] ], done => sub {
			my ($rc, $out) = @_;
			print map { "      $_\n" } grep { /\S/ } split /\n/, $out;
			$ok &&= $rc == 0;
			step('sample submissions get their expected grades (harness/grade-students.pl)', $ok) if $i == $#students;
		} };
	}
	push @jobs, { done => sub { step('sample submissions get their expected grades: there are none in fixtures/student', 0) } } unless @students;
}

run_parallel(@jobs);
printf "      (%d runs of mutants, environments and submissions, %d at a time: %.0f s)\n", scalar(grep { $_->{cmd} } @jobs), $PARALLEL, time - $t5;

# 7. another kernel (harness/kernel-smoke.sh says why when it cannot run here)
if (-x 'harness/kernel-smoke.sh') {
	my ($rc, $out) = run_quiet('harness/kernel-smoke.sh');
	if ($rc == 77) {
		print "skip  kernel under qemu: ", (split /\n/, $out)[-1] // '', "\n";
	} else {
		step('kernel under qemu: a few programs run in the guest, from a copy under /tmp', $rc == 0, tail($out, 8));
	}
}

# 8. the checks of harness/check.d/: one program each (any language), named by its
# "# step: WHAT IT SHOWS" line; exit 0 passed, 77 skipped (its last line says why),
# anything else failed (its last lines shown). Each ends within its own bound.
for my $c (sort grep { -f && -x } glob('harness/check.d/*')) {
	my ($name) = slurp($c) =~ /^# step: (.+)$/m;
	$name //= basename($c);
	my $t = time;
	my ($rc, $out) = run_quiet($c);
	if ($rc == 77) { print "skip  $name: ", (split /\n/, $out)[-1] // '', "\n"; next }
	step(sprintf('%s (%.0f s)', $name, time - $t), $rc == 0, tail($out, 12));
}

printf "check: %d passed, %d failed (%.0f s)\n", $passed, $failed, time - $t0;
exit($failed ? 1 : 0);
