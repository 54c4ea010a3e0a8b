# Sysconform::Grade: weights files, scoring on small hand-written summaries, and
# `./run.sh grade` end to end (grade.json, Gradescope results.json, exit 2 cases).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use Sysconform::Grade;

my $root = "$FindBin::Bin/../..";
my $dir = tempdir(CLEANUP => 1);
sub put { my ($f, $text) = @_; open my $fh, '>', "$dir/$f" or die "$f: $!"; print $fh $text; close $fh; "$dir/$f" }
sub slurp { open my $fh, '<', $_[0] or return undef; local $/; my $s = <$fh>; $s }
sub weights { my ($w, $err) = Sysconform::Grade::parse_weights(put('w.weights', $_[0])); die $err unless $w; $w }
sub grade { my ($cases, $w) = @_; Sysconform::Grade::grade({ schema => 'sysconform-summary/1', run => { id => 'r' }, cases => $cases }, $w) }
sub topic { my ($g, $t) = @_; (grep { $_->{topic} eq $t } @{ $g->{topics} })[0] }
sub c { my ($id, $status, %o) = @_; my ($t, $f, $n) = $id =~ m{^([^/]+)/([^:]+):(.+)$}; { id => $id, topic => $t, file => $f, name => $n, status => $status, rules => ['X-01'], reason => '', diagnostic => '', %o } }
sub cli { my $cmd = join ' ', map { "'$_'" } @_; my $out = `perl '$root/harness/sysconform' grade $cmd 2>&1`; ($? >> 8, $out) }

# --- the weights file ---
my ($w, $err) = Sysconform::Grade::parse_weights("$root/fixtures/grading/default.weights");
ok($w, 'the default weights file parses') or diag $err;
is(Sysconform::Grade::topic_weight($w, $_), 1, "default weight of $_ is 1") for qw(fd pipes epoll);
$w = weights("# comment\n\ntopic fd 2   # trailing comment\ntopic * 0.5\ntopic pipes 3\ncase fd/dup:*cloexec* 0.5\ncase fd/exec 4\nrequire feature ofd_locks\nrequire case locks/ofd:*\n");
is(Sysconform::Grade::topic_weight($w, 'pipes'), 3, 'topic weight');
is(Sysconform::Grade::topic_weight($w, 'fd'), 0.5, 'the last matching line wins (topic * after topic fd)');
is(Sysconform::Grade::case_weight($w, c('fd/dup:pipe_pair.dup3_cloexec_x', 'pass')), 0.5, 'case glob weight');
is(Sysconform::Grade::case_weight($w, c('fd/exec:file.y', 'pass')), 4, 'a program as a case filter');
is(Sysconform::Grade::case_weight($w, c('fd/dup:other', 'pass')), 1, 'unmatched case: weight 1');
for my $bad (["topic fd\n", 1, qr/expected "topic NAME WEIGHT"/], ["# ok\ntopic fd two\n", 2, qr/not a number/],
	     ["case a 1\ncase fd/*\n", 2, qr/expected "case GLOB WEIGHT"/], ["\n\nrequire ofd_locks\n", 3, qr/require feature NAME/],
	     ["weight fd 1\n", 1, qr/unknown keyword 'weight'/], ["topic fd -1\n", 1, qr/not a number >= 0/]) {
	my ($w2, $e) = Sysconform::Grade::parse_weights(put('bad.weights', $bad->[0]));
	ok(!$w2, "bad weights line rejected: $bad->[0]" =~ s/\n/ /gr);
	like($e, qr/bad\.weights:$bad->[1]: /, '... with its line number');
	like($e, $bad->[2], '... and why');
}

# --- scoring ---
my $def = weights('');
my $g = grade([ c('fd/a:x', 'pass'), c('fd/a:y', 'fail'), c('fd/a:z', 'skip', reason => 'feature kcmp missing: ENOSYS'),
		c('fd/a:n', 'skip', reason => 'needs root'), c('pipes/b:x', 'pass'), c('pipes/b:e', 'error'),
		c('pipes/b:t', 'timeout'), c('pipes/b:p', 'pass'), c('io/c:xf', 'xfail'), c('io/c:xp', 'xpass') ], $def);
is(topic($g, 'fd')->{checked}, 2, 'skips are not checked');
is(topic($g, 'fd')->{skipped}, 2, '... but counted as skipped');
is(topic($g, 'fd')->{score}, 0.5, 'fd: 1 passed / 2 checked x weight 1');
is(topic($g, 'pipes')->{score}, 0.5, 'error and timeout count as failed');
is(topic($g, 'io')->{score}, 0.5, 'xfail counts as failed, xpass as passed');
is($g->{score}, 1.5, 'total = sum of the topics');
is($g->{max_score}, 3, 'max = sum of the topic weights');
is($g->{percent}, 50, 'percent');

$g = grade([ c('locks/ofd:a', 'pass'), c('locks/ofd:b', 'skip', reason => 'feature ofd_locks missing: EINVAL'),
	     c('locks/ofd:c', 'skip', reason => 'feature ofd_locks blocked: EPERM'), c('locks/posix:d', 'skip', reason => 'feature other missing: ENOSYS') ],
	   weights("require feature ofd_locks\n"));
is(topic($g, 'locks')->{checked}, 3, 'a skip of a required feature (missing or blocked) is checked');
is(topic($g, 'locks')->{score}, _r(1 / 3), '... and failed');
my ($b) = grep { $_->{id} eq 'locks/ofd:b' } @{ $g->{cases} };
is($b->{counted}, 'failed', 'grade.json says the required skip counted as failed');
like($b->{why}, qr/required feature ofd_locks/, '... and why');
$g = grade([ c('locks/ofd:a', 'pass'), c('locks/ofd:b', 'skip', reason => 'needs root') ], weights("require case locks/ofd:*\n"));
is(topic($g, 'locks')->{score}, 0.5, 'require case: a skip of a matching case is failed, whatever the reason');
$g = grade([ c('locks/ofd:a', 'pass'), c('locks/ofd:b', 'skip', reason => 'feature ofd_*x missing: E') ], weights("require feature ofd_*\n"));
is(topic($g, 'locks')->{score}, 0.5, 'require feature takes a glob');

$g = grade([ c('fd/dup:a_cloexec', 'fail'), c('fd/dup:b', 'pass'), c('fd/dup:c', 'pass'), c('pipes/x:y', 'fail'), c('mmap/m:z', 'fail') ],
	   weights("topic fd 4\ntopic mmap 0\ncase fd/dup:*cloexec* 2\ncase fd/dup:c 0\n"));
is(topic($g, 'fd')->{score}, _r(4 * 1 / 3), 'case weights: (1) / (2 + 1), case weight 0 not counted, x topic weight 4') or diag explain topic($g, 'fd');
is(topic($g, 'fd')->{checked}, 2, 'a weight-0 case is not checked');
ok(!topic($g, 'mmap')->{graded}, 'topic weight 0: not graded');
is($g->{max_score}, 5, '... and not in the maximum');
is($g->{score}, _r(4 / 3), 'total');
$g = grade([ c('pidns/a:x', 'skip', reason => 'needs user namespaces: EPERM'), c('fd/a:x', 'pass') ], $def);
ok(!topic($g, 'pidns')->{graded}, 'a topic that checked nothing is not graded');
is($g->{max_score}, 1, '... its maximum is 0');
$g = grade([ c('fd/a:x', 'weird') ], $def);
is(topic($g, 'fd')->{score}, 0, 'an unknown status counts as failed');

sub _r { 0 + sprintf '%.4f', $_[0] }

# --- ./run.sh grade end to end ---
my $run = "$dir/run";
mkdir $run;
my $summary = { schema => 'sysconform-summary/1', run => { id => 'R1', label => 'student', preload => '/x/s.so', wrap => '' },
	cases => [ c('fd/dup:ok1', 'pass'), c('fd/dup:bad', 'fail', diagnostic => "tests/fd/dup.c:1:bad:Expected 3 == 4\nmore \x01\xfe\xff garbage"),
		   c('fd/dup:crash', 'error', reason => 'killed by SIGSEGV'), c('fd/dup:skipped', 'skip', reason => 'feature kcmp missing: ENOSYS'),
		   c('pipes/eof:hang', 'timeout', reason => 'timeout: killed after 10 s'), c('pipes/eof:ok', 'pass') ] };
put('run/summary.json', JSON::PP->new->encode($summary));
my ($rc, $out) = cli($run);
is($rc, 0, 'grade: exit 0') or diag $out;
like($out, qr/^fd\s+1\s+3\s+1\s+0\.33 \/ 1\.00$/m, 'the table: topic, passed, checked, skipped, score / max');
like($out, qr/^total\s+0\.83 \/ 2\.00\s+\(41\.7%\)$/m, '... and the total');
like($out, qr/ERROR fd\/dup:crash.*\n\s+reason: killed by SIGSEGV/, 'failed cases are listed with their reason');
my $gs = eval { decode_json(slurp("$run/results.json")) };
ok($gs, 'results.json is valid JSON (UTF-8), garbage and all');
is_deeply([ sort keys %$gs ], [qw(max_score output score tests)], 'Gradescope top-level keys');
is($gs->{score}, 0.8333, 'score');
is($gs->{max_score}, 2, 'max_score');
is(scalar @{ $gs->{tests} }, 2, 'one test per topic');
is_deeply([ sort keys %{ $gs->{tests}[0] } ], [qw(max_score name output score status)], 'each test: name, score, max_score, status, output');
is($gs->{tests}[0]{name}, 'fd', 'test name = topic');
is($gs->{tests}[0]{status}, 'failed', 'status failed when a case failed');
like($gs->{tests}[0]{output}, qr/1\/3 checked cases passed, 1 skipped/, 'output: counts');
like($gs->{tests}[0]{output}, qr/FAIL fd\/dup:bad \[X-01\]\n    \| tests\/fd\/dup\.c:1:bad:Expected 3 == 4/, 'output: the failing case with its diagnostic');
unlike($gs->{tests}[0]{output}, qr/[\x00-\x08\x{fe}\x{ff}]/, 'output: no control characters or raw bytes');
my $gj = eval { decode_json(slurp("$run/grade.json")) };
is($gj->{schema}, 'sysconform-grade/1', 'grade.json schema');
is(scalar @{ $gj->{cases} }, 6, 'grade.json: every case');
is($gj->{topics}[0]{weight}, 1, 'grade.json: the weights used');
is($gj->{tests_per}, 'topic', 'grade.json: says how results.json splits tests');

($rc, $out) = cli('--per-case', '--out', "$dir/pc", '--weights', put('pc.weights', "topic pipes 2\n"), $run);
is($rc, 0, '--per-case --out --weights: exit 0') or diag $out;
$gs = decode_json(slurp("$dir/pc/results.json"));
is(scalar @{ $gs->{tests} }, 5, 'per case: one test per counted case (the skip is not one)');
my ($hang) = grep { $_->{name} eq 'pipes/eof:hang' } @{ $gs->{tests} };
is($hang->{max_score}, 1, 'per case: max_score = topic weight x case weight / checked weight');
is($hang->{score}, 0, '... and a timeout scores 0');
is($gs->{score}, _r(1 / 3 + 1), 'per case: the same total as per topic');


# --- scores add up exactly (in units of 0.0001: each number has 4 decimals) ---
is_deeply([ Sysconform::Grade::apportion(10, 10 / 3, 10 / 3, 10 / 3) ], [ 4, 3, 3 ], 'apportion: largest remainder, ties to the first');
is_deeply([ Sysconform::Grade::apportion(3, 1.9, 0.6, 0.5) ], [ 2, 1, 0 ], 'apportion: the largest remainders get the units left');
is_deeply([ Sysconform::Grade::apportion(2, 1.2, 1.2) ], [ 1, 1 ], 'apportion: a total below the floors takes units back');
is_deeply([ Sysconform::Grade::apportion(0) ], [], 'apportion: nothing to share');
sub units { my $n = 0; $n += int($_ * 10000 + ($_ < 0 ? -0.5 : 0.5)) for @_; $n }
my @odd = ((map { c("fd/a:p$_", 'pass') } 1 .. 3), (map { c("fd/a:f$_", 'fail') } 1 .. 4),
	   c('pipes/b:p', 'pass'), c('pipes/b:f1', 'fail'), c('pipes/b:f2', 'error'),
	   (map { c("io/c:p$_", 'pass') } 1 .. 2), c('io/c:f', 'timeout'), c('io/c:w', 'pass'),
	   c('mmap/d:p', 'pass'), (map { c("mmap/d:f$_", 'fail') } 1 .. 5));
my $ow = weights("topic io 0.33333\ntopic mmap 1.00005\ncase io/c:w 2.5\n");
$g = grade(\@odd, $ow);
is(units(map { $_->{score} } @{ $g->{topics} }), units($g->{score}), 'the topic scores add up to the total')
	or diag explain [ map { $_->{score} } @{ $g->{topics} } ], $g->{score};
is(units(map { $_->{max_score} } @{ $g->{topics} }), units($g->{max_score}), 'the topic maxima add up to the maximum');
for my $per_case (0, 1) {
	my $r = Sysconform::Grade::gradescope($g, per_case => $per_case);
	my $what = $per_case ? 'per case' : 'per topic';
	is(units(map { $_->{score} } @{ $r->{tests} }), units($r->{score}), "results.json $what: tests[].score add up to score exactly")
		or diag explain $r->{tests};
	is(units(map { $_->{max_score} } @{ $r->{tests} }), units($r->{max_score}), "results.json $what: tests[].max_score add up to max_score exactly");
	is($r->{score}, $g->{score}, "results.json $what: the same total");
	ok(!grep({ $_->{score} > $_->{max_score} } @{ $r->{tests} }), "results.json $what: no test scores above its maximum");
	ok(!grep({ $_->{score} != sprintf('%.4f', $_->{score}) } @{ $r->{tests} }, $r), "results.json $what: 4 decimals at most");
}
my $pc = Sysconform::Grade::gradescope($g, per_case => 1);
my %pc = map { $_->{name} => $_ } @{ $pc->{tests} };
is($pc{'fd/a:p1'}{score} + $pc{'fd/a:p2'}{score} + $pc{'fd/a:p3'}{score}, topic($g, 'fd')->{score}, 'per case: the passed cases of a topic add up to its score');
is($pc{'io/c:w'}{max_score}, 0.1515, 'per case: a case weighs in proportion (2.5 of 5.5 of 0.3333)');

($rc, $out) = cli("$dir/nonexistent");
is($rc, 2, 'no run directory: exit 2');
like($out, qr/^sysconform: grade: \S+nonexistent: no such run directory$/, '... one line');
mkdir "$dir/empty";
($rc, $out) = cli("$dir/empty");
is($rc, 2, 'no summary.json: exit 2');
like($out, qr/summary\.json: no such file/, '... said');
for my $bad (['', 'not valid JSON'], ['{"schema":"sysconform-summary/1","cases":[', 'not valid JSON'],
	     ['[1,2]', 'not a JSON object'], ['{"schema":"other/2","cases":[]}', "schema is 'other/2'"],
	     ['{"schema":"sysconform-summary/1","cases":{}}', 'no "cases" list'],
	     ['{"schema":"sysconform-summary/1","cases":[{"id":"a"}]}', 'case 0 has no "topic"'],
	     ['{"schema":"sysconform-summary/1","cases":[]}', 'no cases']) {
	put('empty/summary.json', $bad->[0]);
	($rc, $out) = cli("$dir/empty");
	is($rc, 2, "broken summary.json ($bad->[1]): exit 2");
	like($out, qr/^sysconform: grade: .*\Q$bad->[1]\E/, '... with a clear message');
	unlike($out, qr/ line \d+\.$/m, '... and no Perl stack trace');
	is(scalar(() = $out =~ /\n/g), 1, '... on one line');
}
($rc, $out) = cli('--weights', put('bad2.weights', "topic fd 1\ntopic pipes x\n"), $run);
is($rc, 2, 'a bad weights file: exit 2');
like($out, qr/bad2\.weights:2: /, '... naming the line');
($rc, $out) = cli('--weights', "$dir/none.weights", $run);
is($rc, 2, 'a missing weights file: exit 2');
($rc, $out) = cli('--out', '/proc/version/x', $run);
is($rc, 2, 'an unwritable --out: exit 2');
($rc, $out) = cli();
is($rc, 2, 'no run directory given: exit 2 with the usage');
like($out, qr/\Asysconform: grade: which run\? .*\nusage: /, '... what is wrong, then the usage');
($rc, $out) = cli('--frobnicate', $run);
like($out, qr/\Asysconform: grade: unknown option: frobnicate\n/, 'an unknown option: named');
is($rc, 2, 'a bad option: exit 2');

done_testing;
