# Sysconform::Expect: parsing expectation files and turning fails into xfail,
# passes into xpass, and noting stale lines.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use Test::More;
use Sysconform::Expect;

my $dir = tempdir(CLEANUP => 1);
sub put { open my $fh, '>', "$dir/$_[0]" or die; print $fh $_[1]; close $fh; "$dir/$_[0]" }

my $file = put('env.expect', <<'EXP');
# known divergences
fd/close_range:*uint_max*   rejects last above INT_MAX   https://example.org/bug/1
pipes/fifo                  keeps FIFO data
nothing/here:*              stale line
feature kcmp                kcmp: ENOSYS
feature epoll               listed but supported
feature no_such_feature     typo
EXP
my ($e, $err) = Sysconform::Expect::parse($file);
ok($e, 'parses') or diag $err;
is(scalar @$e, 6, 'six entries, comments skipped');
is($e->[0]{link}, 'https://example.org/bug/1', 'a trailing URL is the link');
is($e->[0]{reason}, 'rejects last above INT_MAX', '... not part of the reason');

my @cases = (
	{ id => 'fd/close_range:fd_set.last_uint_max_x', topic => 'fd', file => 'close_range', status => 'fail' },
	{ id => 'fd/close_range:fd_set.cloexec_uint_max_y', topic => 'fd', file => 'close_range', status => 'pass' },
	{ id => 'pipes/fifo:fifo.z', topic => 'pipes', file => 'fifo', status => 'timeout' },
	{ id => 'fd/dup:other', topic => 'fd', file => 'dup', status => 'fail' },
);
my @feat = ({ name => 'kcmp', status => 'missing' }, { name => 'epoll', status => 'supported' });
my @notes = Sysconform::Expect::apply($e, \@cases, \@feat);
is_deeply([ map { $_->{status} } @cases ], [qw(xfail xpass xfail fail)], 'fail -> xfail, pass -> xpass, unlisted unchanged');
like($cases[0]{expected}, qr/INT_MAX https:/, 'the reason (and link) is kept on the case');
is($feat[0]{expected}, 'kcmp: ENOSYS', 'a listed missing feature is expected');
is(scalar @notes, 3, 'three notes');
like($notes[0], qr/line 4 .*matches no case/, 'stale case line');
like($notes[1], qr/feature epoll is supported here/, 'stale feature line');
like($notes[2], qr/no feature 'no_such_feature'/, 'unknown feature');

my ($some) = Sysconform::Expect::parse(put('some.expect', "fd/dup:*  sometimes: a race of the environment's own\n"));
my @sc = ({ id => 'fd/dup:a', topic => 'fd', file => 'dup', status => 'pass' },
	  { id => 'fd/dup:b', topic => 'fd', file => 'dup', status => 'fail' });
Sysconform::Expect::apply($some, \@sc, []);
is_deeply([ map { $_->{status} } @sc ], [qw(pass xfail)], '"sometimes:": a pass stays a pass, a fail is xfail');

# a line for cases the run's filters left out is no note; one that matches nothing known is
my @none = Sysconform::Expect::apply($e, [], [], [ 'fd/close_range:fd_set.last_uint_max_x', 'pipes/fifo:fifo.z' ]);
is_deeply([ grep { /matches no case/ } @none ], [ grep { /line 4 / } @none ], 'filtered out: no note; the stale line still noted');

my ($bad, $why) = Sysconform::Expect::parse(put('bad.expect', "fd/dup:*\n"));
ok(!$bad, 'a line without a reason is refused');
like($why, qr/bad.expect:1: expected/, '... with file and line');
done_testing;
