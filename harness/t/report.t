# The files a run writes, from a summary (Sysconform::Report and its writers), and
# the version claims of Sysconform::Summary.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use Test::More;
use Sysconform::Report;
use Sysconform::Report::Console;
use Sysconform::Report::Tap;
use Sysconform::Summary;

ok(Sysconform::Summary::version_cmp('6.1.0-18-amd64', '6.1') == 0, '6.1.0-18 is 6.1');
ok(Sysconform::Summary::version_cmp('4.4.0', '4.5') < 0, '4.4 < 4.5');
ok(Sysconform::Summary::version_cmp('6.18.44-fc', '6.10') > 0, '6.18 > 6.10, numerically');
my @f = ({ name => 'ofd_locks', since => '3.15', status => 'missing', errno => 'EINVAL', api => 'F_OFD_*' },
	 { name => 'epollexclusive', since => '4.5', status => 'missing', errno => 'flag ignored', api => 'EPOLLEXCLUSIVE' },
	 { name => 'epoll', since => '2.5.44', status => 'supported', errno => '', api => 'epoll' },
	 { name => 'user_xattr', since => 'fs', status => 'missing', errno => 'EOPNOTSUPP', api => 'user.*' });
my @claims = Sysconform::Summary::version_claims('4.4.0', @f);
is_deeply([ map { $_->{feature} } @claims ], ['ofd_locks'], 'only missing features older than the release are claims');

my $s = {
	schema => 'sysconform-summary/1',
	run => { id => 'x', label => 'test <env>', suite_version => '0.9.9+gabc', started => '2026-01-01T00:00:00Z', duration_s => 1.5, jobs => 2, wrap => '', preload => '' },
	system => { kernel_release => '4.4.0', machine => 'x86_64', os => 'Debian', libc => 'glibc 2.36', uid => 0, container => 'none' },
	features => \@f,
	cases => [
		{ id => 'fd/dup:a', topic => 'fd', file => 'dup', name => 'a', status => 'pass', rules => ['FD-02'], reason => '', duration_ms => 3, diagnostic => '' },
		{ id => 'fd/dup:b', topic => 'fd', file => 'dup', name => 'b', status => 'fail', rules => ['FD-06'], reason => '', duration_ms => 4, diagnostic => "Expected 3 == n (0) & <x>", tap => 'tap/fd-dup.tap' },
		{ id => 'pipes/eof:c', topic => 'pipes', file => 'eof', name => 'c', status => 'skip', rules => ['PIPE-12'], reason => 'feature pipe_size missing: EINVAL', duration_ms => 0, diagnostic => '' },
	],
	version_claims => \@claims,
};
$s->{totals} = Sysconform::Summary::totals(@{ $s->{cases} });
is_deeply($s->{totals}, { pass => 1, fail => 1, skip => 1, error => 0, timeout => 0, xfail => 0, xpass => 0 }, 'totals');
my $dir = tempdir(CLEANUP => 1);
my $rules = { 'FD-06' => { text => 'dup2() closes newfd first.', man => ['dup(2)'] } };
Sysconform::Report::write_files($dir, $s, $rules);
sub slurp { local (@ARGV, $/) = @_; <> }
is_deeply(Sysconform::Summary::load("$dir/summary.json"), $s, 'summary.json round trip');
my $x = slurp("$dir/junit.xml");
like($x, qr/<testsuite name="fd\/dup" tests="2" failures="1" errors="0" skipped="0"/, 'junit: a suite per program');
like($x, qr/<failure message="Expected 3 == n \(0\) &amp; &lt;x&gt;" type="fail">Expected 3 == n \(0\) &amp; &lt;x&gt;\nrule FD-06 dup2\(\) closes newfd first\.<\/failure>/,
     'junit: the diagnostic, escaped, as message and text, with the rule');
like($x, qr/<skipped message="feature pipe_size missing: EINVAL" type="skip">feature pipe_size missing: EINVAL<\/skipped>/, 'junit: skip reason as message and text');
like($x, qr/<testsuites [^>]*tests="3" failures="1" errors="0" time="[\d.]+">/, 'junit: testsuites has no skipped attribute (the xunit schema)');
like($x, qr/<properties>\n(?:.*\n)*?\s+<property name="kernel" value="4.4.0"\/>/, 'junit: properties of the system');
like($x, qr/<property name="suite_version" value="0.9.9\+gabc"\/>/, 'junit: the suite version');
my $tap = slurp("$dir/sysconform.tap");
like($tap, qr/\AKTAP version 1\n# sysconform [^\n]*\n1\.\.2\n    KTAP version 1\n    # Subtest: fd\/dup\n    1\.\.2\n    ok 1 a\n/, 'tap: KTAP, a subtest per program');
like($tap, qr/^    # fail\n    # Expected 3 == n \(0\) & <x>\n    not ok 2 b\nnot ok 1 fd\/dup\n/m, 'tap: a fail, its diagnostic before it; its program not ok');
like($tap, qr/^    ok 1 c # SKIP feature pipe_size missing: EINVAL\nok 2 pipes\/eof # SKIP\n\z/m, 'tap: a skip and its reason; a program of skips is skipped');
{
	my @x = ({ %{ $s->{cases}[1] }, status => 'xfail', expected => 'known: #12' },
		 { %{ $s->{cases}[1] }, id => 'fd/dup:b@xfs', status => 'timeout', reason => 'timeout' });
	my $k = Sysconform::Report::Tap::render({ cases => \@x });
	like($k, qr/^    ok 1 b # XFAIL known:  12\n/m, 'tap: xfail is ok # XFAIL (not counted failed), with its expectation');
	like($k, qr/^    not ok 1 b\@xfs # TIMEOUT timeout\nnot ok 2 fd\/dup\@xfs$/m, 'tap: a pass of --fs is a program of its own');
}
my $md = slurp("$dir/report.md");
like($md, qr/### fail: `fd\/dup:b`\n\nRule: FD-06 dup2\(\) closes newfd first\./, 'markdown: divergence, with its rule text');
like($md, qr/`ofd_locks` \(since 3.15\)/, 'markdown: version claim');
my $html = slurp("$dir/report.html");
like($html, qr/test &lt;env&gt;/, 'html: escaped label');
unlike($html, qr/<(?:link|script)[^>]+(?:href|src)=/, 'html: self-contained');
like($html, qr/<tr class="case" id="fd\/dup:b" data-status="fail" data-topic="fd"><td><a href="#fd\/dup:b">dup:b<\/a> <a class="tap" href="tap\/fd-dup.tap">TAP<\/a>/,
     'html: a case row is its anchor, with a link to its raw TAP');
like($html, qr/<a class="rule" href="#rule-FD-06">FD-06<\/a><br><a class="man" href="https:\/\/man7.org\/linux\/man-pages\/man2\/dup.2.html">dup\(2\)<\/a>/,
     'html: links to the rule and its man page');
like($html, qr/<dt id="rule-FD-06">FD-06<\/dt><dd>dup2\(\) closes newfd first./, 'html: the rule text, in the report');
like($html, qr/<span class="zero">0 error<\/span>/, 'html: a zero count is not coloured');
like($html, qr/<span class="fail">1 fail<\/span>/, 'html: a bad count is');
like($html, qr/sysconform <span class="version">0.9.9\+gabc/, 'html: the suite version');
like(slurp("$dir/report.md"), qr/sysconform `0.9.9\+gabc`/, 'markdown: the suite version');
like($tap, qr/^KTAP version 1\n# sysconform 0.9.9\+gabc, run x\n1..\d+\n/, 'tap: the suite version after the version line');
my $con = Sysconform::Report::Console::render($s, rules => $rules);
like($con, qr/FAIL fd\/dup:b\n    rule: FD-06 dup2/, 'console: divergence');
like($con, qr/1 pass, 1 fail, 1 skip in 1.5 s \(sysconform 0.9.9\+gabc\)/, 'console: totals, and the suite version');
# the per-filesystem table: in --fs order, xfail counted as a fail, '' where a topic did not run
{
	my $r = { run => { filesystems => [ { fs => 'xfs' }, { fs => 'ext4' } ] }, cases => [
		{ topic => 'open', fs => 'ext4', status => 'pass' }, { topic => 'open', fs => 'xfs', status => 'xfail' },
		{ topic => 'open', fs => 'xfs', status => 'skip' }, { topic => 'dirs', fs => 'ext4', status => 'fail' },
		{ topic => 'fd', status => 'pass' } ] };
	my ($fs, @rows) = Sysconform::Report::fs_rows($r);
	is_deeply($fs, ['xfs', 'ext4'], 'filesystem columns in --fs order');
	is_deeply(\@rows, [ ['dirs', '', '0/1/0'], ['open', '0/1/1', '1/0/0'] ], 'pass/fail/skip per topic and filesystem');
	is_deeply([ Sysconform::Report::fs_rows({ cases => [ { topic => 'fd', status => 'pass' } ] }) ], [], 'no table without a filesystem');
}
done_testing;
