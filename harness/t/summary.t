# Sysconform::Summary: a summary built from the pieces of a run, and the validator of
# the contract sysconform-summary/1 (docs/DESIGN.md), which must find each kind of break.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use Sysconform::Summary;

# Two programs as the catalogue gives them, their results as Sysconform::Tap gives them.
my @programs = (
	{ id => 'fd/dup', topic => 'fd', file => 'dup', cases => [ { name => 'a', rules => ['FD-01'] }, { name => 'b', rules => ['FD-02'] } ] },
	{ id => 'pipes/eof', topic => 'pipes', file => 'eof', cases => [ { name => 'c', rules => ['PIPE-04'] } ] },
);
my @cases = (	# as the programs ended: pipes first, fd's cases out of order, one case the source lacks
	Sysconform::Summary::case($programs[1], { name => 'c', status => 'skip', reason => 'feature pipe_size missing: EINVAL', duration_ms => 0 }),
	Sysconform::Summary::case($programs[0], { name => 'stale', status => 'pass', duration_ms => 1, unknown => 1 }),
	Sysconform::Summary::case($programs[0], { name => 'b', status => 'fail', diagnostic => 'Expected 3', duration_ms => 2 }),
	Sysconform::Summary::case($programs[0], { name => 'a', status => 'pass', duration_ms => 3 }),
);
my @features = ({ name => 'ofd_locks', since => '3.15', status => 'missing', errno => 'EINVAL', api => 'F_OFD_*', observed => '', expected => 'gVisor' },
		{ name => 'epoll', since => '2.5.44', status => 'supported', errno => '', api => 'epoll' });
my $s = Sysconform::Summary::build(
	run => { id => 'r1', label => 'host', started => 0, duration_s => 1.234, jobs => 2, wrap => '', preload => '', static => 1 },
	system => { kernel_release => '4.4.0', machine => 'x86_64', os => 'Debian', libc => 'glibc 2.36', uid => '1000', container => 'none' },
	features => \@features, cases => \@cases, programs => \@programs);

is($s->{schema}, 'sysconform-summary/1', 'the schema');
is_deeply([ map { $_->{id} } @{ $s->{cases} } ], [qw(fd/dup:a fd/dup:b fd/dup:stale pipes/eof:c)],
	  'cases in catalogue order: programs, then declared cases, then undeclared ones');
is_deeply($s->{cases}[0], { id => 'fd/dup:a', topic => 'fd', file => 'dup', name => 'a', status => 'pass', rules => ['FD-01'],
			    reason => '', duration_ms => 3, diagnostic => '', tap => 'tap/fd-dup.tap' },
	  'a case has the fields of the contract, and its raw TAP file');
is_deeply([ @{ $s->{cases}[2] }{qw(status reason)} ], [ 'error', 'case not in the source: the program is stale (run make)' ],
	  'a case the source does not declare is an error');
is_deeply($s->{totals}, { pass => 1, fail => 1, skip => 1, error => 1, timeout => 0, xfail => 0, xpass => 0 }, 'totals');
is_deeply($s->{version_claims}, [ { feature => 'ofd_locks', since => '3.15', kernel_release => '4.4.0', expected => 'gVisor' } ],
	  'version claims, with what the expectation list says');
is($s->{run}{started}, '1970-01-01T00:00:00Z', 'started: UTC, ISO 8601');
is($s->{run}{duration_s}, 1.23, 'duration: in seconds, 2 decimals');
ok($s->{run}{static} && JSON::PP::is_bool($s->{run}{static}) && !$s->{run}{wrap_once}, 'static, wrap_once: JSON booleans');
is($s->{system}{uid}, 1000, 'uid: a number');
is($s->{features}[1]{observed}, '', 'a feature without observed gets an empty one');
is_deeply([ Sysconform::Summary::validate($s) ], [], 'what build gives keeps the contract');
my $dir = tempdir(CLEANUP => 1);
Sysconform::Summary::save("$dir/summary.json", $s);
my $text = do { local (@ARGV, $/) = "$dir/summary.json"; <> };
my $back = Sysconform::Summary::load("$dir/summary.json");
is_deeply([ Sysconform::Summary::validate($back) ], [], '... and so does it read back from summary.json');
like($text, qr/\A\{\n   "cases" : \[/, 'summary.json: pretty, keys sorted');

# Each break of the contract, one at a time, on a copy of the good summary.
sub broken {	# (problems of a copy that EDIT changed, the same with readable => 1)
	my ($edit) = @_;
	my $c = JSON::PP->new->decode(JSON::PP->new->encode($s));
	$edit->($c);
	return ([ Sysconform::Summary::validate($c) ], [ Sysconform::Summary::validate($c, readable => 1) ]);
}
for my $t (
	# what leaves nothing to read (compare and grade refuse it)
	[ sub { $_[0]{schema} = 'something-else/2' }, qr/^schema is 'something-else\/2', not sysconform-summary\/1$/, 1 ],
	[ sub { delete $_[0]{schema} }, qr/^schema is 'none'/, 1 ],
	[ sub { $_[0]{cases} = {} }, qr/^it has no "cases" list$/, 1 ],
	[ sub { $_[0]{cases}[1] = 'x' }, qr/^case 1 is not an object$/, 1 ],
	[ sub { delete $_[0]{cases}[2]{topic} }, qr/^case 2 has no "topic"$/, 1 ],
	[ sub { $_[0]{cases}[0]{status} = ['pass'] }, qr/^case 0 has no "status"$/, 1 ],
	# the rest of the contract
	[ sub { delete $_[0]{run}{label} }, qr/^run has no "label"$/ ],
	[ sub { delete $_[0]{system} }, qr/^system is not an object$/ ],
	[ sub { delete $_[0]{system}{libc} }, qr/^system has no "libc"$/ ],
	[ sub { delete $_[0]{features} }, qr/^it has no "features" list$/ ],
	[ sub { delete $_[0]{features}[0]{errno} }, qr/^features 0 has no "errno"$/ ],
	[ sub { $_[0]{features}[1]{status} = 'partial' }, qr/^feature epoll: status 'partial' is not one of supported missing blocked$/ ],
	[ sub { $_[0]{cases}[0]{status} = 'weird'; $_[0]{totals}{pass} = 0 }, qr/^case fd\/dup:a: status 'weird' is not one of pass fail/ ],
	[ sub { delete $_[0]{cases}[0]{duration_ms} }, qr/^cases 0 has no "duration_ms"$/ ],
	[ sub { $_[0]{cases}[0]{rules} = 'FD-01' }, qr/^case fd\/dup:a: "rules" is not a list$/ ],
	[ sub { $_[0]{cases}[0]{name} = 'other' }, qr/^case fd\/dup:a: the id is not TOPIC\/FILE:NAME of its fields$/ ],
	[ sub { $_[0]{cases}[3]{reason} = 'kernel lacks pipe_size' }, qr/^case pipes\/eof:c: skip reason 'kernel lacks pipe_size' is none of/ ],
	[ sub { $_[0]{version_claims} = {} }, qr/^it has no "version_claims" list$/ ],
	[ sub { delete $_[0]{version_claims}[0]{since} }, qr/^version_claims 0 has no "since"$/ ],
	[ sub { $_[0]{totals}{fail} = 0 }, qr/^totals: fail is 0, the cases say 1$/ ],
	[ sub { delete $_[0]{totals}{xpass} }, qr/^totals: xpass is absent, the cases say 0$/ ],
	[ sub { delete $_[0]{totals} }, qr/^it has no "totals" object$/ ],
    ) {
	my ($edit, $re, $unreadable) = @$t;
	my ($all, $readable) = broken($edit);
	ok((grep { $_ =~ $re } @$all), "found: $re") or diag explain $all;
	is(scalar @$all, 1, '... and nothing else') or diag explain $all;
	is_deeply($readable, $unreadable ? $all : [], $unreadable ? '... which leaves nothing to read' : '... which a reader of cases can live with');
}
is_deeply([ Sysconform::Summary::validate([]) ], ['it is not a JSON object'], 'a list is not a summary');
done_testing;
