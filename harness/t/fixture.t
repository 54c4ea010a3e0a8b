# Sysconform::Fixture: the headers of fixture libraries (Breaks, Expect, With, Topics),
# the kinds each directory allows, and every header of fixtures/ as check.pl reads it.
use strict;
use warnings;
use File::Glob qw(:bsd_glob);	# a checkout path may hold spaces
use FindBin;
use lib "$FindBin::Bin/../lib";
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use Test::More;
use Sysconform::Fixture;

my $root = "$FindBin::Bin/../..";
my $tmp = tempdir(CLEANUP => 1);
make_path("$tmp/mutants", "$tmp/env", "$tmp/student");
sub put { my ($f, $text) = @_; open my $fh, '>', "$tmp/$f" or die "$f: $!"; print $fh $text; close $fh; "$tmp/$f" }

my ($h, $err) = Sysconform::Fixture::header(put('mutants/m.c', <<'EOF2'));
// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mutant: something.
 * Breaks: EPOLL-04 EPOLL-05
 * Expect: fail epoll/edge_triggered:et_*
 * Expect: missing ofd_locks   (a comment)
 */
int x;
/*
 * Expect: fail pipes (another comment, not the header)
 */
EOF2
is($err, undef, 'a mutant header parses');
is($h->{name}, 'm', 'its name');
is_deeply($h->{breaks}, [qw(EPOLL-04 EPOLL-05)], 'Breaks: the rule IDs');
is_deeply($h->{expect}, [ [ fail => 'epoll/edge_triggered:et_*' ], [ missing => 'ofd_locks' ] ], 'Expect: kind and what, the rest a comment; the header only');
($h) = Sysconform::Fixture::header(put('env/e.c', "/*\n * Expect: skip locks/flock:*x\n * Expect: pass locks (every other case)\n * With: io_copy\n */\n"));
is_deeply([ $h->{expect}, $h->{with} ], [ [ [ skip => 'locks/flock:*x' ], [ pass => 'locks' ] ], ['io_copy'] ], 'an environment: Expect and With');
($h) = Sysconform::Fixture::header(put('student/s.c', "/*\n * Sample.\n * Topics: pipes fd\n */\n"));
is_deeply($h->{topics}, [qw(pipes fd)], 'a student: Topics');
for my $bad ([ 'mutants/bad.c', " * Expect: skip fd\n", qr/bad\.c:2: 'Expect: skip fd': expected 'Expect: KIND WHAT' with KIND one of blocked, fail, missing, pass, supported/ ],
	     [ 'env/bad.c', " * Expect: fail fd\n", qr/one of pass, skip/ ],
	     [ 'mutants/short.c', " * Expect: fail\n", qr/short\.c:2: 'Expect: fail'/ ]) {
	my ($path, $line, $re) = @$bad;
	my ($h2, $e) = Sysconform::Fixture::header(put($path, "/*\n$line */\n"));
	ok(!$h2, "rejected: $line" =~ s/\n//r);
	like($e, $re, '... saying where and why');
}
is((Sysconform::Fixture::header("$tmp/none.c"))[1] =~ /^cannot read/ ? 1 : 0, 1, 'a file that is not there');

# ./run.sh coverage counts the rules that a mutant expected to fail cases breaks.
make_path("$tmp/tree/tests/fd", "$tmp/tree/fixtures/mutants");
sub tput { my ($f, $text) = @_; open my $fh, '>', "$tmp/tree/$f" or die "$f: $!"; print $fh $text; close $fh }
tput('RULES.md', "## fd\n\n- **FD-01** One. Source: x.\n- **FD-02** Two. Source: x.\n- **FD-03** Three. Source: x.\n");
tput('tests/fd/a.c', "/* FD-01 FD-02 FD-03 x: y. */\nTEST(one_two_three) {}\n");
tput('fixtures/mutants/breaks.c', "/*\n * Breaks: FD-01 FD-02\n * Expect: fail fd\n */\n");
tput('fixtures/mutants/missing.c', "/*\n * Breaks: FD-03\n * Expect: missing some_feature\n */\n");
my $cov = `SYSCONFORM_TREE='$tmp/tree' perl '$root/harness/sysconform' coverage --strict 2>&1`;
is($? >> 8, 0, 'coverage: exit 0') or diag $cov;
like($cov, qr/^\s+2\/3\s+covered IDs broken by a mutant; not yet: FD-03$/m, '... FD-03 is not broken: its mutant expects no fail');
like($cov, qr/^total\s+3\/3\s+rule IDs covered by 1 cases; 2 of them broken by a mutant/m, '... and the total says so');

# The fixtures of the tree: each mutant and environment says what to expect, each student its topics.
for my $dir (qw(mutants env student)) {
	my @bad;
	for my $src (glob("$root/fixtures/$dir/*.c")) {
		my ($x, $e) = Sysconform::Fixture::header($src);
		push @bad, $e // ($dir eq 'student' ? (@{ $x->{topics} } ? () : "$src: no Topics") : (@{ $x->{expect} } ? () : "$src: no Expect"));
	}
	is_deeply(\@bad, [], "fixtures/$dir: every header parses");
}
done_testing;
