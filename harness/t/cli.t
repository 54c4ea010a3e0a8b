# The command line (docs/sysconform.1): run.sh on a small tree of its own (a fake
# Makefile, two shell-script "programs"), so that what it builds, and when, shows:
# bad options and filters refused before any build and within a second, the build's
# progress lines, --version, --help of every command, options in any order, list
# --json and --ids, --rerun-failed on a crafted summary, colour on a terminal only and
# never with NO_COLOR.
use strict;
use warnings;
use File::Glob ':bsd_glob';	# glob() does not split a path with spaces
use FindBin;
use lib "$FindBin::Bin/../lib";
use Cwd qw(abs_path);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use JSON::PP;
use Test::More;
use Time::HiRes qw(time);
use Sysconform::Summary;
use Sysconform::Report::Console;

my $root = abs_path("$FindBin::Bin/../..");
my $build = "$root/build/harness";
plan skip_all => 'sc-run and features not built' unless -x "$build/sc-run" && -x "$build/features";

# The tree: run.sh and the real harness/, build/harness/ linked to the real tools, a
# Makefile whose three targets are files under made/ (so a build is seen), RULES.md and
# tests/bad/{good,bad}.c with their programs.
my $tree = tempdir(CLEANUP => 1);
sub put { my ($f, $text, $mode) = @_; open my $fh, '>', "$tree/$f" or die "$f: $!"; print $fh $text; close $fh; chmod $mode, "$tree/$f" if $mode }
make_path("$tree/tests/bad", "$tree/build/tests/bad", "$tree/build/harness");
system('cp', "$root/run.sh", "$tree/run.sh") == 0 or die "cp run.sh";
symlink "$root/harness", "$tree/harness" or die "symlink: $!";
symlink "$build/features", "$tree/build/harness/features";
put('Makefile', "all: made/a made/b build/harness/sc-run\nmade/%:\n\t\@mkdir -p made; touch \$@\n"
		. "build/harness/sc-run:\n\t\@ln -s '$build/sc-run' \$@\n");
put('RULES.md', "## bad\n\n- **BAD-01** The first rule. Source: here.\n- **BAD-02** The second rule. Source: here.\n");
put('tests/bad/good.c', "/* BAD-01 here: a rule. */\nTEST(passes) {}\n\n/* BAD-02 here. */\nTEST(also_passes) {}\n");
put('tests/bad/bad.c', "/* BAD-02 here: a rule. */\nTEST(fails) {}\n");
put('build/tests/bad/good', "#!/bin/sh\necho 1..2; echo '#  RUN           global.passes ...'; echo ok 1 global.passes; echo '#  RUN           global.also_passes ...'; echo ok 2 global.also_passes\n", 0755);
put('build/tests/bad/bad', "#!/bin/sh\necho 1..1; echo '#  RUN           global.fails ...'; echo not ok 1 global.fails\n", 0755);
$ENV{SYSCONFORM_TREE} = $tree;
delete $ENV{NO_COLOR};

sub sh { my $out = `$_[0] 2>&1`; return ($? >> 8, $out) }
sub run_sh { my $cmd = join ' ', map { "'$_'" } @_; sh("cd '$tree' && ./run.sh $cmd") }
sub built { scalar(() = glob("$tree/made/*")) + (-l "$tree/build/harness/sc-run" ? 1 : 0) }
sub unbuild { unlink glob("$tree/made/*"), "$tree/build/harness/sc-run" }

# --- refused before any build, within a second ---
for my $bad ([ ['--bogus'], qr/^sysconform: unknown option --bogus \(see \.\/run\.sh run --help\)$/m ],
	     [ ['bad', '-j'], qr/^sysconform: Option j requires an argument/m ],
	     [ ['nosuch/topic'], qr/^sysconform: filter 'nosuch\/topic' matches no case/m ],
	     [ ['--timeout', '0', 'bad'], qr/--timeout must be at least 1 second/ ],
	     [ ['features', 'bad'], qr/features takes no FILTER/ ],
	     [ ['list', '--bogus'], qr/unknown option --bogus \(see \.\/run\.sh list --help\)/ ],
	     [ ['coverage', 'extra'], qr/coverage takes no arguments/ ]) {
	my $t0 = time;
	my ($rc, $out) = run_sh(@{ $bad->[0] });
	my $took = time - $t0;
	my $what = join ' ', @{ $bad->[0] };
	is($rc, 2, "./run.sh $what: exit 2");
	like($out, $bad->[1], '... saying why in one line') or diag $out;
	is(built(), 0, '... before any build');
	ok($took < 1, sprintf('... within a second (%.2f s)', $took));
}

# --- --version, --help of every command ---
my ($rc, $out) = run_sh('--version');
open my $vf, '<', "$root/VERSION" or die "VERSION: $!";
my $version = <$vf> =~ s/\s+\z//r;
is($rc, 0, '--version: exit 0');
like($out, qr/^sysconform \Q$version\E(\+g[0-9a-f]+(-dirty)?)?\n/, '... the suite version (VERSION, then the commit)');
my ($help_rc, $overview) = run_sh('--help');
like($overview, qr/^usage: .*\n(.*\n)*\s+\.\/run\.sh list .*\n(.*\n)*options of run/, '--help: every command, then the options of run');
for my $cmd (qw(run list features coverage compare grade)) {
	for my $h ('--help', '-h') {
		($rc, $out) = run_sh($cmd, $h);
		is($rc, 0, "$cmd $h: exit 0");
		like($out, qr/^usage: \.\/run\.sh (\[run\]|\Q$cmd\E) /, '... its usage') or diag $out;
	}
	my ($rc2, $out2) = run_sh('help', $cmd);
	is($out2, $out, "help $cmd says the same");
}
($rc, $out) = run_sh('list', 'bad', '--help');
like($out, qr/^usage: \.\/run\.sh list/, 'list FILTER --help: help, not a filter');
is(built(), 0, 'no --help, --version or list built anything');

# --- a run: the build's progress (not a terminal: a line at each quarter), options
# after the filters ---
($rc, $out) = run_sh('bad/good', '--out', "$tree/r1", '--label', 'one', '-j', 1);
is($rc, 0, 'a run with its options after the filter: exit 0') or diag $out;
is(built(), 3, '... after the build');
like($out, qr/^sysconform: building \(first run, about a minute\)\.\.\.\n(sysconform: built \d\/3\n)*sysconform: built 3\/3\nsysconform: 1 programs/m,
     '... whose progress is a few lines, saying that a first build takes time');
unlink glob("$tree/made/*");
($rc, $out) = run_sh('bad/good', '--out', "$tree/r1b");
like($out, qr/^sysconform: building\.\.\.\nsysconform: built 1\/2\nsysconform: built 2\/2\nsysconform: 1 programs/m,
     'a later build: its progress only') or diag $out;
($rc, $out) = run_sh('bad', '--out', "$tree/r2", '-j', 1);
is($rc, 1, 'a run with a failing case: exit 1');
unlike($out, qr/building/, '... and nothing of the build, up to date');
my $s = Sysconform::Summary::load("$tree/r2/summary.json");
is_deeply({ map { $_->{id} => $_->{status} } @{ $s->{cases} } },
	  { 'bad/good:passes' => 'pass', 'bad/good:also_passes' => 'pass', 'bad/bad:fails' => 'fail' }, '... its outcomes');
unbuild();
my $typescript = `cd '$tree' && script -qec "./run.sh bad/good --out '$tree/r3'" /dev/null 2>&1`;
SKIP: {
	skip 'script (util-linux) cannot run here', 4 unless $typescript =~ /passes|pass/;
	like($typescript, qr/^sysconform: building \(first run, about a minute\)\.\.\.\rsysconform: building \(first run, about a minute\)\.\.\. 1\/3\r.*3\/3\r?\n/m,
	     'on a terminal: one line, the count updating in place');
	like($typescript, qr/\e\[32m2 pass, 0 fail, 0 skip\e\[0m/, '... and the totals in colour');
	my $plain = `cd '$tree' && NO_COLOR=1 script -qec "./run.sh bad/good --out '$tree/r4'" /dev/null 2>&1`;
	unlike($plain, qr/\e\[3\dm/, 'NO_COLOR=1: no colour on a terminal');
	my $empty = `cd '$tree' && NO_COLOR= script -qec "./run.sh bad/good --out '$tree/r5'" /dev/null 2>&1`;
	like($empty, qr/\e\[32m2 pass/, 'NO_COLOR set but empty: colour');
}
unlike($out, qr/\e\[/, 'not a terminal: no colour');
is(Sysconform::Report::Console::paint(0, 'fail', 'x'), 'x', 'paint: nothing when colour is off');
is(Sysconform::Report::Console::paint(1, 'fail', 'x'), "\e[31mx\e[0m", 'paint: red for a failure');

# --- options in any order: grade RUN --out DIR ---
($rc, $out) = run_sh('grade', "$tree/r2", '--out', "$tree/g");
is($rc, 0, 'grade RUN --out DIR: exit 0') or diag $out;
ok(-s "$tree/g/results.json", '... results.json in DIR');

# --- list --json, --ids ---
($rc, $out) = run_sh('list', '--json', 'bad/good');
my $l = eval { decode_json($out) };
ok($l, 'list --json: valid JSON') or diag $out;
is($l->{suite_version}, ($out =~ /"suite_version" : "([^"]+)"/)[0], '... with the suite version');
is_deeply($l->{cases}[1], { id => 'bad/good:also_passes', topic => 'bad', file => 'good', name => 'also_passes',
			    rules => ['BAD-02'], rule_text => { 'BAD-02' => 'The second rule.' } }, '... each case with its rules and their text');
is(scalar @{ $l->{cases} }, 2, '... the cases the filter selects');
($rc, $out) = run_sh('list', '--ids');
is($out, "bad/bad:fails\nbad/good:passes\nbad/good:also_passes\n", 'list --ids: the ids, one a line');

# --- --rerun-failed: a crafted summary (what went wrong: a fail, an error with a
# filesystem suffix, an xpass, a case no longer in the suite; what did not: a pass) ---
my $crafted = Sysconform::Summary::load("$tree/r2/summary.json");
my %status = ('bad/good:passes' => 'pass', 'bad/good:also_passes@ext4' => 'error', 'bad/bad:fails' => 'xpass');
$crafted->{cases} = [ (map { +{ %{ $crafted->{cases}[0] }, id => $_, status => $status{$_} } } sort keys %status),
		      { %{ $crafted->{cases}[0] }, id => 'bad/gone:case', status => 'fail' } ];
@{ $crafted->{run} }{qw(label timeout_s)} = ('crafted', 7);
make_path("$tree/crafted");
put('crafted/summary.json', JSON::PP->new->encode($crafted));
($rc, $out) = run_sh('--rerun-failed', "$tree/crafted", '--out', "$tree/rr");
like($out, qr/^sysconform: re-running 2 cases that went wrong in \Q$tree\E\/crafted\/summary\.json, with its --label crafted --timeout 7$/m,
     '--rerun-failed: says what it re-runs, with which of the run\'s options') or diag $out;
like($out, qr/no longer in the suite: bad\/gone:case/, '... and which cases are gone');
my $rr = Sysconform::Summary::load("$tree/rr/summary.json");
is_deeply([ sort map { $_->{id} } @{ $rr->{cases} } ], [ 'bad/bad:fails', 'bad/good:also_passes' ],
	  '... only the cases that went wrong (fail, error, timeout, xpass), without the filesystem suffix');
is_deeply([ @{ $rr->{run} }{qw(label timeout_s)} ], [ 'crafted', 7 ], '... with the run\'s label and timeout');
is($rc, 1, '... exit 1: bad/bad:fails fails again');
($rc, $out) = run_sh('--rerun-failed', "$tree/crafted", '--out', "$tree/rr2", '--label', 'mine');
is(Sysconform::Summary::load("$tree/rr2/summary.json")->{run}{label}, 'mine', '... an option given again wins');
($rc, $out) = run_sh('--rerun-failed', "$tree/r1");
is($rc, 0, '--rerun-failed of a run where nothing went wrong: exit 0');
like($out, qr/nothing went wrong in .*: nothing to run/, '... said');
unbuild();
($rc, $out) = run_sh('--rerun-failed', "$tree/nonexistent");
is($rc, 2, '--rerun-failed of no run: exit 2');
like($out, qr/no summary\.json there/, '... said');
($rc, $out) = run_sh('--rerun-failed', "$tree/crafted", 'bad');
like($out, qr/--rerun-failed takes no FILTER/, '--rerun-failed with a FILTER: refused');
is(built(), 0, '... both before any build');
done_testing;
