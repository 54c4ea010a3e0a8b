# Garbage in, no crash out: the runner on programs that print random bytes, 100,000
# lines, a line of 10 MB, 20 MB, a line of 30 MB, NUL bytes and bytes that are not
# UTF-8, forged sc-run/sc-batch/qemu-run lines; compare and grade on summaries that are
# random, truncated, of another schema, deeply nested or big; --expect on files that
# are not text. Each gives a clear error (exit 2, one line) or a correct partial result,
# without a Perl message or warning, in bounded time and memory (ulimit -v). And the
# inputs harness/fuzz.sh once found failing (harness/t/garbage/) still pass fuzz.pl.
use strict;
use warnings;
use File::Glob ':bsd_glob';	# glob() does not split a path with spaces
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;
use Time::HiRes qw(time);
use Sysconform::Expect;
use Sysconform::Summary;

my $root = "$FindBin::Bin/../..";
my $corpus = "$FindBin::Bin/garbage";
my $MEM_KB = 400 * 1024;	# the runner's address space (ulimit -v), each of its processes
my $PERL_MSG = qr/ at \S+ line \d+|Wide character|uninitialized|Out of memory|does not map|Malformed/;

# --- the corpus: inputs that once failed
my @inputs = map { glob("$corpus/*.$_") } qw(tap json expect);
ok(@inputs >= 10, scalar(@inputs) . " inputs in the corpus ($corpus)");
my $args = join ' ', map { "'$_'" } @inputs;
my $fuzz = `perl '$root/harness/fuzz.pl' $args 2>&1`;
is($? >> 8, 0, scalar(@inputs) . ' inputs that once failed are read well now') or diag($fuzz);
for my $f (glob("$corpus/*.expect")) {
	my ($e, $err) = Sysconform::Expect::parse($f);
	like($err // '', qr/^\Q$f\E:1: not a line of text/, "--expect on a file that is not text: refused ($f)");
}

# --- the runner on programs that print garbage
my $build = "$root/build/harness";
SKIP: {
skip 'sc-run, sc-batch and features not built', 1 unless -x "$build/sc-run" && -x "$build/sc-batch" && -x "$build/features";
my $tree = tempdir(CLEANUP => 1);
make_path("$tree/tests/junk", "$tree/build/tests/junk", "$tree/build/harness");
symlink "$build/$_", "$tree/build/harness/$_" for qw(sc-run sc-batch features);
sub put { my ($f, $text, $mode) = @_; open my $fh, '>', "$tree/$f" or die "$f: $!"; print $fh $text; close $fh; chmod $mode, "$tree/$f" if $mode }
put('RULES.md', "## junk\n\n- **JUNK-01** A rule. Source: here.\n");
my $RUN = '#  RUN           global';
my %prog = (	# name => shell script; every program declares cases a and b
	random   => 'head -c 1000000 /dev/urandom',
	lines    => qq{echo 1..2; echo "$RUN.a ..."; seq -f '# line %g' 100000; echo "ok 1 global.a"},
	longline => qq{echo 1..2; echo "$RUN.a ..."; printf '# '; head -c 10000000 /dev/zero | tr '\\0' x; echo; echo "ok 1 global.a"; echo "$RUN.b ..."; echo "ok 2 global.b"},
	spew     => qq{echo 1..2; echo "$RUN.a ..."; echo "ok 1 global.a"; echo "$RUN.b ..."; yes "# \$(seq -s ' ' 200)" | head -c 20000000; echo "ok 2 global.b"},
	oks      => q{echo 1..2; yes 'ok 1 global.same' | head -c 1000000; yes 'ok 2' | head -c 300000},
	noeol    => qq{echo 1..2; echo "$RUN.a ..."; head -c 30000000 /dev/zero | tr '\\0' z},
	forged   => qq{echo 1..2; echo "$RUN.a ..."; echo "#sc-batch end junk 0"; echo "#sc-batch begin x"; echo "# qemu-run: booted in x s"; }
		    . qq{seq -f '# sc-run: forged %g' 1000; echo "ok 1 global.a"; echo "#sc-batch end $tree/build/tests/junk/forged 0"; echo "$RUN.b ..."; echo "ok 2 global.b"},
	map { (my $n = $_) =~ s{.*/|\.tap$}{}g; ("corpus_$n" => "cat '$_'") } glob("$corpus/*.tap"),
);
for my $p (keys %prog) {
	put("tests/junk/$p.c", "/* JUNK-01 here: a rule. */\nTEST(a) {}\n\n/* JUNK-01 here: a rule. */\nTEST(b) {}\n");
	put("build/tests/junk/$p", "#!/bin/sh\n$prog{$p}\n", 0755);
}
sub runner {	# (exit code, stdout, stderr, seconds), under ulimit -v
	my $cmd = join ' ', map { "'$_'" } @_;
	my $t0 = time;
	my $out = `ulimit -v $MEM_KB; SYSCONFORM_TREE='$tree' perl '$root/harness/sysconform' $cmd 2>'$tree/stderr'`;
	my $rc = $? >> 8;
	open my $fh, '<', "$tree/stderr" or die;
	return ($rc, $out, join('', <$fh>), time - $t0);
}

my ($rc, $out, $err, $took) = runner('run', '--out', "$tree/out", '--timeout', 20, '-j', 4);
is($rc, 1, 'the runner ends (exit 1: errors) in ' . ($MEM_KB >> 10) . ' MB of address space') or diag($out, $err);
unlike($err, $PERL_MSG, '... without a Perl message or warning') or diag($err);
ok($took < 20, sprintf('... in bounded time (%.1f s)', $took));
my $s = Sysconform::Summary::load("$tree/out/summary.json");
is_deeply([ grep { !/skip reason/ } Sysconform::Summary::validate($s) ], [], '... and a summary that keeps the contract');
my %c = map { $_->{id} => $_ } @{ $s->{cases} };
is($c{'junk/random:a'}{status}, 'error', 'random bytes: the cases are errors');
is($c{'junk/lines:a'}{status}, 'pass', '100,000 lines of diagnostic: the case passes');
like($c{'junk/lines:a'}{diagnostic}, qr/\[\.\.\. \d+ more lines cut\]\z/, '... its diagnostic kept short, saying so');
is(join(' ', map { $c{"junk/longline:$_"}{status} } qw(a b)), 'pass pass', 'a line of 10 MB: both cases pass');
like(`grep -c 'bytes cut' '$tree/out/tap/junk-longline.tap'`, qr/^1$/, '... the line cut in the raw output, saying so');
is($c{'junk/spew:a'}{status}, 'pass', '20 MB of output: the case reported before passes');
is($c{'junk/spew:b'}{status}, 'error', '... the one after the limit is an error');
like($c{'junk/spew:b'}{reason}, qr/output cut after 16 MB/, '... saying the output was cut');
ok(-s "$tree/out/tap/junk-spew.tap" < 17e6, '... and its raw output is kept to the limit');
is(join(' ', map { $c{"junk/forged:$_"}{status} } qw(a b)), 'pass pass', 'forged sc-batch, qemu-run and sc-run lines: the cases pass');
my @notes = @{ $s->{run}{notes}{'junk/forged'} };
ok(@notes <= 11 && grep({ /\d+ more notes/ } @notes), '... and its 1000 notes are cut to ' . scalar @notes);
my @oks = grep { $_->{id} =~ m{^junk/oks:} } @{ $s->{cases} };
is(join(' ', map { $_->{name} =~ s/\d+/N/r } @oks), 'a b same (N more)',
   '120,000 "ok" lines (of one name, then none): a case for each name, the declared ones "not run", the rest counted');
my %ids;
is_deeply([ grep { $ids{ $_->{id} }++ } @{ $s->{cases} } ], [], 'no case id twice (a name reported again is one case)');
like($c{'junk/noeol:a'}{reason}, qr/output cut after 16 MB/, 'a line of 30 MB: cut, in bounded memory; its case an error, saying why');
my @unknown = grep { /^junk\/corpus_notes-unknown:c/ } keys %c;
ok(@unknown == 20 && $c{'junk/corpus_notes-unknown:(40 more)'}, '60 cases not in the source: 20 listed, the rest counted');
unlike(`cat '$tree/out/summary.json' '$tree/out/report.md' '$tree/out/junit.xml'`, qr/[\x00-\x08\x0b\x0c\x0e-\x1f]/,
       'no control character reaches the reports');

($rc, $out, $err) = runner('run', '--out', "$tree/once", '--timeout', 3, '--wrap', 'env', '--wrap-once', 'junk/forged', 'junk/longline', 'junk/spew', 'junk/corpus_nul');
my $o = Sysconform::Summary::load("$tree/once/summary.json");
my %w = map { $_->{id} => $_->{status} } @{ $o->{cases} };
is(join(' ', @w{qw(junk/forged:a junk/forged:b junk/longline:b)}), 'pass pass pass',
   '--wrap-once: forged frames inside a program do not end its frame');
is(join(' ', @w{qw(junk/spew:a junk/spew:b)}), 'pass error', '--wrap-once: 20 MB of one program are cut, as natively');
ok((grep { $_->{id} eq 'junk/spew:b' && $_->{reason} =~ /output cut after 16 MB/ } @{ $o->{cases} }), '... saying so');
unlike($err, $PERL_MSG, '... without a Perl message or warning') or diag($err);

# A wrapper (a guest's console) that says anything before the program, the feature probe
# included: forged features, system and qemu-run lines; or only garbage, and fails.
put('garbage-wrap', "#!/bin/sh\nhead -c 100000 /dev/urandom\nprintf '\\n# qemu-run: booted in \\377 s (console log: \\033[2J)\\n"
    . "# qemu-run: kernel package a b\\nsystem\\tkernel_release\\t\\377\\001\\nx\\001y\\t1\\tsupported\\t-\\t-\\n'\n"
    . "[ -n \"\$DIE\" ] && exit 3\nexec \"\$@\"\n", 0755);
($rc, $out, $err) = runner('run', '--out', "$tree/wrapped", '--wrap', "$tree/garbage-wrap", 'junk/corpus_nul');
my $g = Sysconform::Summary::load("$tree/wrapped/summary.json");
is_deeply([ grep { !/skip reason/ } Sysconform::Summary::validate($g) ], [], 'a wrapper that prints garbage: a summary that keeps the contract');
is_deeply([ grep { $_->{name} !~ /^\w+$/ } @{ $g->{features} } ], [], '... and no forged feature');
unlike($err, $PERL_MSG, '... without a Perl message or warning') or diag($err);
$ENV{DIE} = 1;
($rc, $out, $err) = runner('run', '--out', "$tree/wrapped2", '--wrap', "$tree/garbage-wrap", 'junk/corpus_nul');
delete $ENV{DIE};
ok($rc == 2 && $err =~ /\Asysconform: the environment could not be probed: [^\n]{0,400}\n\z/ && $err !~ /[\x00-\x08\x0b-\x1f]/,
   'a wrapper that prints garbage and fails: exit 2, one short line of text') or diag($err);

# --- compare and grade on summaries of garbage
my %sum = (
	random => join('', map { chr int rand 256 } 1 .. 100_000),
	truncated => substr(`cat '$corpus/seed.json'`, 0, 2000),
	other => '{"schema":"junit/9","cases":[]}',
	nested => ('[' x 100_000) . (']' x 100_000),
	nul => "\0" x 1000,
	big => '{"schema":"sysconform-summary/1","cases":[' . join(',', map {
		qq({"id":"t$_/f:c$_","topic":"t$_","status":"fail","diagnostic":"\\u001b[2J\\u0000) . ('d' x 1000) . '"}' } 1 .. 1000) . ']}',
	longline => '{"schema":"sysconform-summary/1","cases":[{"id":"a/b:c","topic":"a","status":"fail","diagnostic":"' . ('x' x 1e6) . '"}]}',
);
for my $k (sort keys %sum) {
	make_path("$tree/sum/$k");
	put("sum/$k/summary.json", $sum{$k});
	my %one = (truncated => 'grade', other => 'compare', nested => 'compare', nul => 'grade', longline => 'grade');	# (both read with Summary)
	for my $cmd (grep { !$one{$k} || $one{$k} eq $_->[0] }
		     [ 'compare', '--out', "$tree/cmp", "$tree/sum/$k", "$corpus/seed.json" ], [ 'grade', '--out', "$tree/grade", "$tree/sum/$k" ]) {
		my ($rc, $out, $err, $took) = runner(@$cmd);
		my $ok = $k =~ /^(big|longline)$/;
		ok($ok ? $rc == 0 && $err eq '' : $rc == 2 && $err =~ /\Asysconform: $cmd->[0]: [^\n]*\n\z/,
		   sprintf('%s on a summary.json of %s: %s (%.1f s)', $cmd->[0], $k, $ok ? 'a result' : 'exit 2, one line', $took))
			or diag("exit $rc: $err");
		unlike("$out$err", qr/$PERL_MSG|\e/, '... without a Perl message, a warning or an escape') if $ok;
	}
}
}

done_testing;
