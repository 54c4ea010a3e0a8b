# Sysconform::Fixture: the headers of fixture libraries (Breaks, Expect, With, Topics),
# the kinds each directory allows, and every header of fixtures/ as check.pl reads it.
use strict;
use warnings;
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
