package Sysconform::Report::Markdown;
# report.md: the run, the topic x outcome table, every divergence with its rules and
# diagnostic, known divergences, version claims, the feature table, the skips by reason.
use strict;
use warnings;
use Sysconform::Report;
use Sysconform::Vocabulary qw(@STATUSES);

sub render {
	my ($s, $rules) = @_;
	my $r = $s->{run};
	my $sys = $s->{system};
	my @o;
	push @o, "# sysconform report: $r->{label}", '';
	push @o, "Suite: sysconform `$r->{suite_version}`.", '' if $r->{suite_version};
	push @o, "Run `$r->{id}`, started $r->{started}, $r->{duration_s} s, $r->{jobs} jobs"
		. ($r->{wrap} ? ", wrap `$r->{wrap}`" : '') . ($r->{preload} ? ", preload `$r->{preload}`" : '') . '.', '';
	push @o, "System: kernel $sys->{kernel_release} ($sys->{machine}), $sys->{os}, $sys->{libc}, uid $sys->{uid}, container: $sys->{container}.", '';
	push @o, 'Guest: ' . Sysconform::Report::guest_text($sys) . '.', '' if $sys->{qemu_accel};
	push @o, '**' . Sysconform::Report::totals_text($s->{totals}) . '**', '';
	push @o, '**' . Sysconform::Report::interrupted_text($r) . '**', '' if $r->{interrupted};
	push @o, '## Topics', '', '| topic | ' . join(' | ', @STATUSES) . ' |', '|---' x (1 + @STATUSES) . '|';
	push @o, '| ' . join(' | ', @$_) . ' |' for Sysconform::Report::topic_rows($s);
	if (my ($fs, @rows) = Sysconform::Report::fs_rows($s)) {
		push @o, '', 'Per filesystem (pass/fail/skip):', '', '| topic | ' . join(' | ', @$fs) . ' |', '|---' x (1 + @$fs) . '|';
		push @o, '| ' . join(' | ', @$_) . ' |' for @rows;
	}
	push @o, '', '## Divergences', '';
	my @div = Sysconform::Report::divergent($s);
	push @o, 'None.' unless @div;
	for my $c (@div) {
		push @o, "### $c->{status}: `$c->{id}`", '';
		my @rl = Sysconform::Report::rule_lines($c, $rules);
		push @o, 'Rule: ' . join('; ', @rl), '' if @rl;
		push @o, "Reason: $c->{reason}", '' if $c->{reason};
		push @o, '```', $c->{diagnostic}, '```', '' if length($c->{diagnostic} // '');
	}
	for my $k (@Sysconform::Report::EXPECTED) {
		my @c = grep { $_->{status} eq $k->[0] } @{ $s->{cases} };
		next unless @c;
		push @o, "## $k->[1]", '';
		push @o, "- `$_->{id}`: $_->{expected}" for @c;
		push @o, '';
	}
	if (@{ $s->{version_claims} }) {
		push @o, '## Version claims', '', "Missing although kernel $sys->{kernel_release} claims them:", '';
		push @o, "- `$_->{feature}` (since $_->{since})" . ($_->{expected} ? " (expected: $_->{expected})" : '') for @{ $s->{version_claims} };
		push @o, '';
	}
	push @o, '## Features', '', '| feature | since | status | errno | observed |', '|---|---|---|---|---|';
	push @o, "| $_->{name} | $_->{since} | $_->{status} | $_->{errno} | " . ($_->{observed} // '') . ' |' for @{ $s->{features} };
	push @o, '', '## Skips', '';
	my %why;
	push @{ $why{ $_->{reason} || '?' } }, $_->{id} for grep { $_->{status} eq 'skip' } @{ $s->{cases} };
	push @o, 'None.' unless %why;
	push @o, "- $_ (" . scalar(@{ $why{$_} }) . "): " . join(', ', map { "`$_`" } @{ $why{$_} }) for sort keys %why;
	return join("\n", @o) . "\n";
}

1;
