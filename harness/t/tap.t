# Sysconform::Tap on recorded TAP: the 6.1 dialect, a newer one, and programs
# that end early (killed, timed out, empty plan).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Sysconform::Tap;

my $fixtures = "$FindBin::Bin/../../fixtures/tap";

sub parse_file {
	my ($file, %finish) = @_;
	my $tap = Sysconform::Tap->new;
	open my $fh, '<', "$fixtures/$file" or die "$file: $!";
	my $t = 0;
	while (my $l = <$fh>) { chomp $l; $tap->line($l, $t += 0.01) }
	return { map { $_->{name} => $_ } $tap->finish(%finish) };
}

my @names = qw(passes_fine fails_expect skips_missing setup_breaks slow.one.times_out
	       slow.one.kills_harness slow.one.never_runs);
my $r = parse_file('kselftest-6.1.tap', exit => 137, expected => \@names);
is($r->{passes_fine}{status}, 'pass', '6.1: pass');
is($r->{fails_expect}{status}, 'fail', '6.1: fail');
like($r->{fails_expect}{diagnostic}, qr/close\(2000\): expected EINVAL, got EBADF/, '6.1: the diagnostic is kept');
unlike($r->{fails_expect}{diagnostic}, qr/Test failed at step/, '6.1: harness noise dropped');
is($r->{skips_missing}{status}, 'skip', '6.1: a skip line without a name is the RUN case');
is($r->{skips_missing}{reason}, 'feature ofd_locks missing: EINVAL', '6.1: skip reason');
is($r->{setup_breaks}{status}, 'error', 'a setup error is an error, not a divergence');
is($r->{setup_breaks}{reason}, 'mkdtemp(/nope): ENOSPC', 'setup error reason');
is($r->{'slow.one.times_out'}{status}, 'timeout', "the harness's own timeout");
is($r->{'slow.one.kills_harness'}{status}, 'error', 'the case running when the program died: error');
like($r->{'slow.one.kills_harness'}{reason}, qr/killed by SIGKILL/, '... with what happened to it');
is($r->{'slow.one.never_runs'}{status}, 'error', 'a case never reached: error');
like($r->{'slow.one.never_runs'}{reason}, qr/^not run: killed by SIGKILL/, '... not run, and why');
ok($r->{passes_fine}{duration_ms} >= 0, 'durations are measured');

my $up = parse_file('kselftest-upstream.tap', exit => 1,
		    expected => [qw(passes_fine skips_missing known_bad pipe_pair.fifo.read_returns_eof)]);
is($up->{skips_missing}{status}, 'skip', 'upstream: named skip');
is($up->{skips_missing}{reason}, 'feature ofd_locks missing: EINVAL', 'upstream: skip reason');
is($up->{known_bad}{status}, 'xfail', 'upstream: XFAIL');
is($up->{'pipe_pair.fifo.read_returns_eof'}{status}, 'fail', 'upstream: variant case fails');

# A program that timed out under sc-run: the running case is a timeout, the rest error.
my $tap = Sysconform::Tap->new;
$tap->line($_) for ("TAP version 13", "1..2", "#  RUN           global.a ...",
		    "# sc-run: timeout: killed after 5 s");
my %to = map { $_->{name} => $_ } $tap->finish(exit => 124, expected => [qw(a b)]);
is($to{a}{status}, 'timeout', 'sc-run timeout: the running case');
is($to{b}{status}, 'error', 'sc-run timeout: later cases are errors');
like($to{b}{reason}, qr/timeout: killed after 5 s/, '... saying why');

# "ok" after a failed check (the 6.12 harness learns a verdict through MAP_SHARED memory,
# which a broken mmap() breaks): the log says fail; a passing case's log does not.
$tap = Sysconform::Tap->new;
$tap->line($_) for ("TAP version 13", "1..2", "#  RUN           global.a ...",
		    "# tests/m/x.c:38:a:Expected 'shared' == 'oooooo'.", "#            OK  global.a", "ok 1 global.a",
		    "#  RUN           global.b ...", "# mmap: a note", "ok 2 global.b");
my %lost = map { $_->{name} => $_ } $tap->finish(exit => 0, expected => [qw(a b)]);
is($lost{a}{status}, 'fail', 'ok after a failed check: fail');
like($lost{a}{reason}, qr/harness lost the verdict/, '... saying why');
is($lost{b}{status}, 'pass', 'ok with a note only: pass');

# The harness's own check (sysconform.h): skipped, it is dropped; read "ok" (a skip lost:
# MAP_SHARED memory not shared), no "ok" of the program is trusted; fails stay fails.
for my $c (['# SKIP the harness', 'pass'], ['', 'error']) {
	$tap = Sysconform::Tap->new;
	$tap->line($_) for ("TAP version 13", "1..3", "#  RUN           sc_harness.verdicts ...",
			    "ok 1 sc_harness.verdicts $c->[0]", "#  RUN           global.a ...", "ok 2 global.a",
			    "#  RUN           global.b ...", "not ok 3 global.b");
	my @r = $tap->finish(exit => 1, expected => [qw(a b)]);
	is(join(' ', map { "$_->{name}=$_->{status}" } @r), "a=$c->[1] b=fail",
	   "the harness's own check " . ($c->[0] ? 'skipped: dropped' : 'read ok: no ok is trusted'));
}

# Whole-file skip (a stub for a missing library).
$tap = Sysconform::Tap->new;
$tap->line($_) for ("TAP version 13", "1..0 # SKIP not built: liburing missing");
my @sk = $tap->finish(exit => 4, expected => [qw(x y)]);	# KSFT_SKIP, as harness/not-built.c exits
is_deeply([ map { $_->{status} } @sk ], [qw(skip skip)], 'empty plan: every case skipped');
is($sk[0]{reason}, 'not built: liburing missing', '... with the plan reason');

# Every case skipped, exit KSFT_SKIP (the 6.12 header's named skip): skips, no error.
$tap = Sysconform::Tap->new;
$tap->line($_) for ("TAP version 13", "1..1", "#  RUN           global.s ...",
		    "#      SKIP      needs root", "ok 1 global.s # SKIP needs root");
is_deeply([ map { "$_->{status} $_->{reason}" } $tap->finish(exit => 4, expected => ['s']) ],
	  ['skip needs root'], 'exit 4 (KSFT_SKIP) after named skips: skips, not an error');

# Garbage and a case the source does not know.
$tap = Sysconform::Tap->new;
$tap->line($_) for ("\x01\x02 garbage", "ok 1 global.stale_case", "1..1");
my @g = $tap->finish(exit => 0, expected => [qw(real)]);
is($g[0]{status}, 'error', 'an expected case missing from the output is an error');
ok((grep { $_->{unknown} && $_->{name} eq 'stale_case' } @g), 'a case not in the source is flagged');

# A case reported twice (a preloaded library printing "ok" for a case that failed) is an error.
$tap = Sysconform::Tap->new;
$tap->line($_) for ('#  RUN           global.a ...', 'not ok 1 global.a', 'ok 1 global.a', 'ok 2 global.b', '1..2');
my %d = map { $_->{name} => $_ } $tap->finish(exit => 1, expected => [qw(a b)]);
is($d{a}{status}, 'error', 'a case reported twice is an error, whatever the last line said');
like($d{a}{reason}, qr/^reported 2 times: forged/, '... saying why');
is($d{b}{status}, 'pass', '... the others are as reported');

# "# sc-fs: NAME" names the case's filesystem and is not part of its diagnostic
{
	my $tap = Sysconform::Tap->new;
	$tap->line($_, 0) for '#  RUN           file.a ...', '# sc-fs: xfs', '# x.c:3:a:Expected 1 (1) == 2 (2)',
		'#     FAIL  file.a', 'not ok 1 file.a';
	my ($c) = $tap->finish(exit => 1, expected => ['file.a']);
	is($c->{fs}, 'xfs', 'sc-fs: the case\'s filesystem');
	is($c->{diagnostic}, 'x.c:3:a:Expected 1 (1) == 2 (2)', 'sc-fs: not in the diagnostic');
}
done_testing;
