package Sysconform::Fixture;
# The header of a fixture library (fixtures/mutants, fixtures/env, fixtures/student):
# lines of the file's first comment that say what it breaks and what a run with it
# must show (fixtures/mutants/mutant.h explains them). make check (harness/check.pl),
# ./run.sh coverage and harness/grade-students.pl read them here.
#   Breaks: RULE-ID...      (mutants) the rules it breaks
#   Expect: KIND WHAT ...   what a run with it shows; the words after WHAT are a comment
#       mutants: fail TOPIC[/FILE[:CASE-GLOB]], pass CASE-GLOB,
#                missing FEATURE, blocked FEATURE, supported FEATURE
#       env:     pass CASE-GLOB, skip CASE-GLOB
#   With: MUTANT            (env) a library of fixtures/mutants preloaded with it
#   Topics: TOPIC...        (student) the topics it is graded on
use strict;
use warnings;
use File::Basename qw(basename dirname);

my %KINDS = (mutants => [qw(fail pass missing blocked supported)], env => [qw(pass skip)], student => []);

# (\%header, undef) or (undef, why). The header: { name, breaks => [RULE-ID...],
# expect => [[KIND, WHAT]...], with => [MUTANT...], topics => [TOPIC...] }.
sub header {
	my ($path) = @_;
	open my $fh, '<', $path or return (undef, "cannot read $path: $!");
	my $dir = basename(dirname($path));
	my %kind = map { $_ => 1 } @{ $KINDS{$dir} || [] };
	my %h = (name => basename($path, '.c'), breaks => [], expect => [], with => [], topics => []);
	my $in;
	while (my $line = <$fh>) {
		$in ||= $line =~ m{^\s*/\*};
		next unless $in;
		if ($line =~ /^\s*\*?\s*(Breaks|Expect|With|Topics):\s*(.*?)\s*$/) {
			my ($key, $value) = ($1, $2);
			if ($key eq 'Breaks') {
				push @{ $h{breaks} }, $value =~ /\b([A-Z]+-\d+)\b/g;
			} elsif ($key eq 'Expect') {
				my ($k, $what) = split ' ', $value;
				return (undef, "$path:$.: 'Expect: $value': expected 'Expect: KIND WHAT' with KIND one of "
					. (join(', ', sort keys %kind) || 'none here')) unless defined $what && $kind{$k};
				push @{ $h{expect} }, [ $k, $what ];
			} else {
				push @{ $h{ lc $key } }, split ' ', $value;
			}
		}
		last if $line =~ m{\*/};
	}
	return (\%h, undef);
}

1;
