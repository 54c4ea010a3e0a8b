# Sysconform::Compare (./run.sh compare) on small summaries written into a temp
# dir: three runs side by side, cases absent from a run, two runs with the same
# label, a feature that differs, and the bad arguments that exit 2.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;
use Sysconform::Summary;
use Sysconform::Compare;

my $root = "$FindBin::Bin/../..";
my $tmp = tempdir(CLEANUP => 1);

sub feature { my ($name, $status, $errno) = @_; { name => $name, since => '3.15', status => $status, errno => $errno // '', api => "api of $name" } }
sub case {
	my ($id, $status, %x) = @_;
	my ($topic, $file, $name) = $id =~ m{^([^/]+)/([^:]+):(.*)$} or die $id;
	return { id => $id, topic => $topic, file => $file, name => $name, status => $status, rules => ['FD-01'],
		 reason => $x{reason} // '', duration_ms => 1, diagnostic => $x{diagnostic} // '' };
}
sub summary {	# writes DIR/summary.json, returns DIR
	my ($dir, %a) = @_;
	make_path("$tmp/$dir");
	my $s = { schema => 'sysconform-summary/1',
		  run => { id => "$a{stamp}-$a{label}", label => $a{label}, started => '2026-01-01T00:00:00Z', duration_s => 1,
			   jobs => 2, wrap => $a{wrap} // '', preload => '' },
		  system => { kernel_release => $a{kernel}, machine => 'x86_64', os => 'Debian', libc => 'glibc 2.36',
			      uid => 1000, container => $a{container} // 'none' },
		  features => $a{features}, cases => $a{cases}, version_claims => [] };
	$s->{totals} = Sysconform::Summary::totals(@{ $a{cases} });
	Sysconform::Summary::save("$tmp/$dir/summary.json", $s);
	return "$tmp/$dir";
}

my @f = (feature('ofd_locks', 'supported'), feature('pidfd', 'supported'));
# Run a: the host. Run b: a sandbox (a fail, a skip, ofd_locks missing, no pipes topic).
# Run c: another machine with the same label as a, and a case the others lack.
my $a = summary('host-a', label => 'host', stamp => '20260101T000000Z', kernel => '6.1.0', features => [ @f ],
	cases => [ case('fd/dup:a', 'pass'), case('fd/dup:b', 'pass'), case('locks/ofd:c', 'pass'), case('pipes/eof:d', 'pass') ]);
my $b = summary('sandbox', label => 'sandbox', stamp => '20260101T000100Z', kernel => '4.4.0', container => 'gvisor (uname)',
	wrap => 'runsc do', features => [ feature('ofd_locks', 'missing', 'EINVAL'), feature('pidfd', 'supported') ],
	cases => [ case('fd/dup:a', 'pass'), case('fd/dup:b', 'fail', diagnostic => "Expected 3 == n (0) & <x>"),
		   case('locks/ofd:c', 'skip', reason => 'feature ofd_locks missing: EINVAL') ]);
my $c = summary('elsewhere/host', label => 'host', stamp => '20260102T000000Z', kernel => '6.12.0', features => [ @f ],
	cases => [ case('fd/dup:a', 'pass'), case('fd/dup:b', 'pass'), case('locks/ofd:c', 'pass'), case('pipes/eof:d', 'pass'),
		   case('pipes/eof:new', 'pass') ]);

sub compare {	# (exit code, stdout, stderr), in-process
	my (@args) = @_;
	my ($out, $err) = ('', '');
	open my $ofh, '>', \$out;
	open my $efh, '>', \$err;
	my $rc;
	{
		local *STDOUT = $ofh;
		local *STDERR = $efh;
		$rc = Sysconform::Compare::main(@args);
	}
	return ($rc, $out, $err);
}
sub slurp { my ($p) = @_; open my $fh, '<', $p or die "$p: $!"; local $/; <$fh> }

my ($rc, $out, $err) = compare('--out', "$tmp/out", $a, "$b/summary.json", $c);
is($rc, 0, 'three runs: exit 0, although they differ');
is($err, '', '... nothing on stderr');
like($out, qr/^\s+host#1\s+kernel 6\.1\.0 x86_64, glibc 2\.36, uid 1000, container: none$/m, 'label clash: host#1, with its system block');
like($out, qr/^\s+host#2\s+kernel 6\.12\.0 /m, '... and host#2');
like($out, qr/^\s+sandbox\s+kernel 4\.4\.0 x86_64.*container: gvisor \(uname\)$/m, 'the sandbox has its own system block');
like($out, qr/run 20260101T000100Z-sandbox; wrap 'runsc do'/, '... with its run id and wrapper');
like($out, qr/Features that differ: 1 of 2\n.*\n\s+ofd_locks\s+supported\s+missing EINVAL\s+supported\n/, 'feature difference, with the errno');
unlike($out, qr/^\s+pidfd /m, 'a feature with the same status everywhere is not listed');
like($out, qr/features: 1 supported, 1 missing, 0 blocked/, 'feature counts per run');
like($out, qr/^\s+fd\s+2 pass\s+1 pass 1 fail\s+2 pass\s+1$/m, 'topic row: counts per outcome per run, and how many differ');
like($out, qr/^\s+pipes\s+1 pass 1 absent\s+absent\s+2 pass\s+0$/m, 'a topic a run lacks is absent there, not a difference');
like($out, qr/Cases whose outcome differs: 2\n/, 'two cases differ');
like($out, qr/^\s+fd\/dup:b\s+pass\s+fail\s+pass$/m, 'a differing case: one status per run');
like($out, qr/^\s+locks\/ofd:c\s+pass\s+skip\s+pass$/m, '... a skip against a pass differs too');
unlike($out, qr/^\s+fd\/dup:a\s/m, 'an agreeing case is not listed');
unlike($out, qr/^\s+pipes\/eof:d\s/m, 'a case absent from one run is not a difference');
like($out, qr/Cases absent from some runs.*: 2\n\s+host#1\s+lacks 1: pipes 1\n\s+sandbox\s+lacks 2: pipes 2\n/, 'absent cases: counted per run and topic');
unlike($out, qr/Expected 3 == n/, 'no diagnostics without -v');
ok(!grep({ length > 100 } split /\n/, $out), 'the console fits in 100 columns');
like($out, qr/Written: \Q$tmp\E\/out\/ \(compare\.md, compare\.html\)/, 'says where the files are');

ok(-f "$tmp/out/compare.md" && -f "$tmp/out/compare.html", '--out receives compare.md and compare.html');
my $md = slurp("$tmp/out/compare.md");
like($md, qr/^# sysconform comparison: host#1 vs sandbox vs host#2$/m, 'markdown: title with the column names');
like($md, qr/^\| \*\*kernel\*\* \| 6\.1\.0 \| 4\.4\.0 \| 6\.12\.0 \|$/m, 'markdown: system block per column');
like($md, qr/^\| \[fd\]\(#topic-fd\) \| 2 pass \| 1 pass \*\*1 fail\*\* \| 2 pass \| 1 \|$/m, 'markdown: topic row');
like($md, qr/^\| `ofd_locks` \| 3\.15 \| supported \| missing EINVAL \| supported \|$/m, 'markdown: feature that differs');
like($md, qr/^\| `fd\/dup:b` \| pass \| \*\*fail\*\* \| pass \|$/m, 'markdown: differing case');
like($md, qr/- \*\*sandbox\*\*: fail\n\n  ```\n  Expected 3 == n \(0\) & <x>\n  ```/, 'markdown: each side\'s diagnostic');
like($md, qr/- \*\*sandbox\*\*: skip \(feature ofd_locks missing: EINVAL\)/, 'markdown: each side\'s reason');
like($md, qr/2 cases are missing from some runs/, 'markdown: absent cases, counted');

my $html = slurp("$tmp/out/compare.html");
unlike($html, qr/<(?:link|script|img)[^>]+(?:href|src)=/, 'html: self-contained');
like($html, qr/<style>body\{/, 'html: inline CSS, the report\'s style');
like($html, qr/<td class="cell fail"><a href="#topic-fd">1 pass 1 fail<\/a><\/td>/, 'html: a cell coloured by its worst outcome, linked to its cases');
like($html, qr/<th class="topic"><a href="#topic-fd">fd<\/a><\/th>/, 'html: the topic links to its cases');
like($html, qr/<div class="topicsec" id="topic-fd">/, '... which are there');
like($html, qr/<td class="cell absent"><a href="#topic-pipes">absent<\/a>/, 'html: absent topic');
like($html, qr/<pre>Expected 3 == n \(0\) &amp; &lt;x&gt;<\/pre>/, 'html: diagnostic escaped, in <pre>');
like($html, qr/<td class="missing">missing EINVAL<\/td>/, 'html: feature difference');
like($html, qr/kernel 4\.4\.0 \(x86_64\)<br>glibc 2\.36, uid 1000<br>container: gvisor \(uname\)/, 'html: system block heads the column');

($rc, $out) = compare('--out', "$tmp/out-v", '-v', $a, $b);
is($rc, 0, 'two runs, -v');
like($out, qr/^\s+fd\/dup:b\n\s+host\s+pass\n\s+sandbox\s+fail\n\s+\| Expected 3 == n \(0\) & <x>\n/m, '-v: each side\'s status and diagnostic');
like($out, qr/^\s+sandbox\s+skip \(feature ofd_locks missing: EINVAL\)$/m, '-v: each side\'s reason');
like($out, qr/^\s+host\s+kernel 6\.1\.0/m, 'labels that do not clash are kept');

($rc, $out) = compare('--out', "$tmp/out-abs", '--absent', $a, $b);
like($out, qr/^\s+pipes\/eof:d\s+pass\s+absent$/m, '--absent: cases absent from a run are listed with the differences');
like($out, qr/^\s+pipes\s+1 pass\s+absent\s+1$/m, '... and counted in the topic table');

# The same run twice (a copy from another machine, another path): no difference.
make_path("$tmp/copy");
Sysconform::Summary::save("$tmp/copy/summary.json", Sysconform::Summary::load("$a/summary.json"));
($rc, $out) = compare('--out', "$tmp/out-same", $a, "$tmp/copy");
is($rc, 0, 'the same run from two paths');
like($out, qr/Features that differ: none\n/, '... no feature differs');
like($out, qr/Cases whose outcome differs: none\n/, '... no case differs (matched by id, not by path)');
like($out, qr/^\s+host#1 .*\n.*\n.*\n\s+host#2 /m, '... the same run id twice: an index tells them apart');

# Bad arguments: a one-line reason on stderr, exit 2.
open my $fh, '>', "$tmp/other.json" or die; print $fh '{"schema":"something-else/2","cases":[]}'; close $fh;
open $fh, '>', "$tmp/broken.json" or die; print $fh '{"schema": '; close $fh;
make_path("$tmp/empty");
for my $t ([ [$a], qr/at least two runs/, 'one run' ],
	   [ [], qr/at least two runs/, 'no run' ],
	   [ [$a, "$tmp/empty"], qr/\Q$tmp\E\/empty: no summary\.json/, 'a directory without summary.json' ],
	   [ [$a, "$tmp/nothing"], qr/nothing: no such run directory or file/, 'a path that does not exist' ],
	   [ [$a, "$tmp/other.json"], qr/other\.json: not a sysconform summary \(schema is 'something-else\/2', not sysconform-summary\/1\)/, 'another schema' ],
	   [ [$a, "$tmp/broken.json"], qr/broken\.json: not a sysconform summary/, 'not JSON' ],
	   [ ['--bogus', $a, $b], qr/nknown option: bogus/, 'an unknown option' ]) {
	my ($args, $re, $name) = @$t;
	($rc, $out, $err) = compare('--out', "$tmp/out-bad", @$args);
	is($rc, 2, "$name: exit 2");
	like($err, qr/^sysconform: compare: .*$re.*\n\z/, "... one line on stderr");
	is($out, '', '... nothing on stdout');
}
ok(!-e "$tmp/out-bad", 'nothing is written after bad arguments');

# Through run.sh, as users type it.
my $cmd = "'$root/run.sh' compare --out '$tmp/out-sh' '$a' '$b' 2>&1";
$out = `$cmd`;
is($? >> 8, 0, 'run.sh compare: exit 0');
like($out, qr/Cases whose outcome differs: 2/, '... prints the comparison');
$out = `'$root/run.sh' compare '$a' 2>&1`;
is($? >> 8, 2, 'run.sh compare with one run: exit 2');
is(scalar(() = $out =~ /\n/g), 1, '... one line');

done_testing;
