package Sysconform::Expect;
# Expectation files: the divergences known for an environment (--expect FILE).
#
#   # comment
#   CASE-ID-GLOB   REASON [LINK]         a case known to diverge there (on every
#                                        filesystem of the run, unless the glob names
#                                        one: open/flags:*@tmpfs)
#   feature NAME   REASON [LINK]         a feature known to be missing or blocked there
#
# Fields are separated by runs of white space; REASON is the rest of the line, and a
# last word that looks like a URL is its LINK. A listed case that fails (times out,
# or errs: the environment breaks its set-up) becomes xfail; one that passes becomes xpass: the list is stale there. A
# REASON that starts with "sometimes:" is a divergence the environment shows on some
# runs only (its own timing): a pass then stays a pass, not a stale xpass.
use strict;
use warnings;
use Sysconform::Catalog;

# (\@entries, $error): entries { kind => case|feature, pattern, reason, link, line }.
sub parse {
	my ($path) = @_;
	open my $fh, '<', $path or return (undef, "cannot read $path: $!");
	my @e;
	while (my $line = <$fh>) {
		chomp $line;
		return (undef, "$path:$.: not a line of text (control characters, or bytes that are not UTF-8)")
			if $line =~ /[\x00-\x08\x0b-\x1f\x7f]/ || !utf8::decode(my $copy = $line);
		next if $line =~ /^\s*(#|$)/;
		my ($kind, $pattern, $rest);
		if ($line =~ /^\s*feature\s+(\w+)\s+(.*\S)\s*$/) {
			($kind, $pattern, $rest) = ('feature', $1, $2);
		} elsif ($line =~ /^\s*(\S+)\s+(.*\S)\s*$/) {
			($kind, $pattern, $rest) = ('case', $1, $2);
		} else {
			return (undef, "$path:$.: expected 'CASE-GLOB REASON' or 'feature NAME REASON'");
		}
		my ($reason, $link) = reason_link($rest);
		push @e, { kind => $kind, pattern => $pattern, reason => $reason, link => $link, line => $. };
	}
	return (\@e);
}

# (REASON, LINK) of "REASON [LINK]": an expectation's line, or what apply() gives a
# case or feature as its "expected".
sub reason_link {
	my ($text) = @_;
	return $text =~ m{^(.*?)\s+(https?://\S+)$} ? ($1, $2) : ($text // '', '');
}

# Apply ENTRIES to a run's CASES and FEATURES (in place). Returns notes: entries that
# matched nothing, and listed features that turned out to be supported. With NOT_RUN
# (the catalogue's ids the run's filters left out), an entry for one of those is no note.
sub apply {
	my ($entries, $cases, $features, $not_run) = @_;
	my @notes;
	for my $e (grep { $_->{kind} eq 'case' } @$entries) {
		my $re = Sysconform::Catalog::glob_re($e->{pattern});
		# a pattern without "@FS" holds on every filesystem of --fs/--tmpdir
		my $id = $e->{pattern} =~ /\@/ ? sub { $_[0]{id} } : sub { $_[0]{id} =~ s/\@[^:\/]+$//r };
		my @hit = grep { $id->($_) =~ $re || Sysconform::Catalog::case_matches($_, $e->{pattern}) } @$cases;
		push @notes, "expectation line $e->{line} ($e->{pattern}) matches no case of this run"
			unless @hit || grep { my ($t, $f) = m{^([^/]+)/([^:]+):};
					      $id->({ id => $_ }) =~ $re
					      || Sysconform::Catalog::case_matches({ id => $_, topic => $t, file => $f }, $e->{pattern}) }
				       @{ $not_run || [] };
		for my $c (@hit) {
			$c->{expected} = $e->{reason} . ($e->{link} ? " $e->{link}" : '');
			if ($c->{status} =~ /^(fail|timeout|error)$/) {	# an error: its setup broke there
				$c->{status} = 'xfail';
			} elsif ($c->{status} eq 'pass' && $e->{reason} !~ /^sometimes:/) {
				$c->{status} = 'xpass';
			}
		}
	}
	my %feat = map { $_->{name} => $_ } @$features;
	for my $e (grep { $_->{kind} eq 'feature' } @$entries) {
		my $f = $feat{ $e->{pattern} };
		if (!$f) {
			push @notes, "expectation line $e->{line}: no feature '$e->{pattern}' in the registry";
		} elsif ($f->{status} eq 'supported') {
			push @notes, "expectation line $e->{line}: feature $e->{pattern} is supported here (stale)";
		} else {
			$f->{expected} = $e->{reason} . ($e->{link} ? " $e->{link}" : '');
		}
	}
	return @notes;
}

1;
