#!/usr/bin/perl
# Grades the sample submissions of fixtures/student/ and compares with their expected
# scores (DESIGN.md "Grading"; make check calls it).
#   harness/grade-students.pl [--update] [--repeat N] [NAME...]
# For each fixtures/student/NAME.c (its header has a line "Topics: TOPIC..."):
#   ./run.sh --preload build/student/NAME.so --out build/check/student-NAME --timeout 10 TOPIC...
#   ./run.sh grade build/check/student-NAME
# then compares grade.json with fixtures/student/NAME.expected:
#   total SCORE / MAX              the total (2 decimals)
#   topic NAME PASSED/CHECKED SCORE   a topic's counts and score (2 decimals)
# One line per student; exit 1 on any mismatch, 2 when something could not run.
# --update rewrites the .expected files from what was measured; --repeat N runs each
# student N times and also fails when two runs differ (determinism).
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname basename);
use Getopt::Long;
use JSON::PP;
use lib dirname(abs_path(__FILE__)) . '/lib';
use Sysconform::Fixture;

my $ROOT = abs_path(dirname(__FILE__) . '/..');
chdir $ROOT or die "cannot cd to $ROOT: $!\n";
my ($update, $repeat) = (0, 1);
GetOptions('update' => \$update, 'repeat=i' => \$repeat)
	or die "usage: harness/grade-students.pl [--update] [--repeat N] [NAME...]\n";
my %only = map { $_ => 1 } @ARGV;

sub slurp { open my $fh, '<', $_[0] or return undef; local $/; my $s = <$fh>; close $fh; $s }

sub run_quiet {
	my (@cmd) = @_;
	my $pid = open my $fh, '-|' // die "cannot fork: $!\n";
	if (!$pid) {
		open STDERR, '>&', \*STDOUT;
		exec @cmd or do { print "cannot run $cmd[0]: $!\n"; exit 127 };
	}
	my $out = do { local $/; <$fh> } // '';
	close $fh;
	return ($? >> 8, $out);
}

sub last_line { my @l = grep { /\S/ } split /\n/, $_[0] // ''; $l[-1] // '' }

# What a graded run gives, as the lines of an .expected file.
sub measure {
	my ($name, @topics) = @_;
	my $dir = "build/check/student-$name";
	my ($rc, $out) = run_quiet('./run.sh', '--preload', "build/student/$name.so", '--out', $dir,
				   '--label', "student-$name", '--timeout', 10, @topics);
	return (undef, "run exited $rc: " . last_line($out)) if $rc > 1;
	($rc, $out) = run_quiet('./run.sh', 'grade', $dir);
	return (undef, "grade exited $rc: " . last_line($out)) if $rc;
	my $g = eval { JSON::PP->new->decode(slurp("$dir/grade.json") // '') };
	return (undef, "$dir/grade.json is not readable JSON") unless ref $g eq 'HASH';
	my @l = (sprintf 'total %.2f / %.2f', $g->{score}, $g->{max_score});
	push @l, sprintf('topic %s %d/%d %.2f', $_->{topic}, $_->{passed}, $_->{checked}, $_->{score})
		for @{ $g->{topics} };
	return (\@l, undef);
}

sub expected_lines {
	my ($text) = @_;
	return [ map { s/^\s+|\s+$//gr =~ s/\s+/ /gr } grep { /\S/ && !/^\s*#/ } split /\n/, $text ];
}

my ($bad, $broken) = (0, 0);
my @students = sort glob('fixtures/student/*.c');
print STDERR "grade-students: no fixtures/student/*.c\n" and exit 2 unless @students;
for my $src (@students) {
	my $name = basename($src, '.c');
	next if %only && !$only{$name};
	my ($h, $herr) = Sysconform::Fixture::header($src);
	my @topics = $h ? @{ $h->{topics} } : ();
	unless (@topics) {
		print "student $name: FAILED: ", $herr // "no 'Topics:' line in $src", "\n";
		$broken++;
		next;
	}
	unless (-f "build/student/$name.so") {
		print "student $name: FAILED: build/student/$name.so is not built (run make)\n";
		$broken++;
		next;
	}
	my ($got, $err, @runs);
	for my $i (1 .. $repeat) {
		($got, $err) = measure($name, @topics);
		last unless $got;
		push @runs, join "\n", @$got;
	}
	unless ($got) {
		print "student $name: FAILED: $err\n";
		$broken++;
		next;
	}
	my $exp_file = "fixtures/student/$name.expected";
	if ($update) {
		open my $fh, '>', $exp_file or die "cannot write $exp_file: $!\n";
		print $fh "# Expected grade of fixtures/student/$name.c (topics: @topics) with the default\n",
			"# weights; checked by harness/grade-students.pl, rewritten by its --update.\n",
			map { "$_\n" } @$got;
		close $fh;
		print "student $name: $got->[0] (written to $exp_file)\n";
		next;
	}
	my @why;
	my %distinct = map { $_ => 1 } @runs;
	push @why, "the $repeat runs differ: " . join(' | ', map { (split /\n/)[0] } @runs)
		if keys %distinct > 1;
	my $text = slurp($exp_file);
	if (!defined $text) {
		push @why, "no $exp_file (harness/grade-students.pl --update $name writes it)";
	} else {
		my $want = expected_lines($text);
		my %have = map { $_ => 1 } @$got;
		push @why, "expected '$_'" for grep { !$have{$_} } @$want;
		my %w = map { $_ => 1 } @$want;
		push @why, "got '$_'" for grep { !$w{$_} } @$got;
	}
	if (@why) {
		print "student $name: MISMATCH: ", join('; ', @why), "\n";
		$bad++;
	} else {
		print "student $name: ok, $got->[0]", (@$got > 2 ? ' (' . join(', ', map { s/^topic //r } @$got[1 .. $#$got]) . ')' : ''),
			($repeat > 1 ? ", same in $repeat runs" : ''), "\n";
	}
}
exit($broken ? 2 : $bad ? 1 : 0);
