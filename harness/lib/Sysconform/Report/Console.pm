package Sysconform::Report::Console;
# What the console shows: after a run, the feature table in short, the topic table,
# every divergence with its rule text and diagnostic, known divergences, version
# claims, the totals and where the files are; and the whole feature table
# (./run.sh features). Texts to print; the runner prints them.
use strict;
use warnings;
use Sysconform::Report;
use Sysconform::Summary;
use Sysconform::Vocabulary qw(@STATUSES @BAD @FEATURE_STATUSES);

# A feature's status in two letters, where columns are narrow (compare uses it too).
our %FEATURE_MARK = (supported => 'ok', missing => '--', blocked => 'EP');
our $FEATURE_LEGEND = '(ok supported, -- missing, EP blocked)';

# Colour, on a terminal only, and never when NO_COLOR is set and not empty
# (https://no-color.org) or TERM is dumb: colour(FH) says whether; paint(ON, STATUS,
# TEXT) paints TEXT in the colour of an outcome (green pass, red fail error timeout,
# yellow xfail, magenta xpass).
my %COLOUR = (pass => 32, fail => 31, error => 31, timeout => 31, xfail => 33, xpass => 35);
sub colour {
	my ($fh) = @_;
	return -t $fh && !(defined $ENV{NO_COLOR} && $ENV{NO_COLOR} ne '') && ($ENV{TERM} // '') ne 'dumb' ? 1 : 0;
}
sub paint {
	my ($on, $status, $text) = @_;
	return $on && $COLOUR{$status} ? "\e[$COLOUR{$status}m$text\e[0m" : $text;
}

sub claim_line {
	my ($v) = @_;
	return "Version claim: $v->{feature} (since $v->{since}) is missing although the kernel says $v->{kernel_release}"
		. ($v->{expected} ? " (expected: $v->{expected})" : '') . "\n";
}

# The whole feature table, then the version claims.
sub features_table {
	my ($sys, $feat) = @_;
	my $o = sprintf "%-20s %-8s %-10s %-14s %s\n", qw(feature since status errno API);
	for (@$feat) {
		$o .= sprintf "%-20s %-8s %-10s %-14s %s\n", @$_{qw(name since status errno api)};
		$o .= sprintf "%-20s observed: %s\n", '', $_->{observed} if $_->{observed};
	}
	$o .= claim_line($_) for Sysconform::Summary::version_claims($sys->{kernel_release}, @$feat);
	return $o;
}

# After a run: S is its summary, RULES the catalogue's rules, DIR where its files are,
# COLOUR whether to paint the outcomes.
sub render {
	my ($s, %a) = @_;
	my $sys = $s->{system};
	my @f = @{ $s->{features} };
	my %n;
	$n{ $_->{status} }++ for @f;
	my $o = '';
	$o .= "\nGuest: " . Sysconform::Report::guest_text($sys) . "\n" if $sys->{qemu_accel};
	$o .= "\nFeatures ($sys->{kernel_release}, $sys->{machine}, container: $sys->{container}): "
		. join(', ', map { ($n{$_} // 0) . " $_" } @FEATURE_STATUSES) . "\n";
	my @cells = map { sprintf '%-3s %s', $FEATURE_MARK{ $_->{status} } // '?', $_->{name}
			 . ($_->{status} ne 'supported' && $_->{errno} ? " ($_->{errno})" : '') } @f;
	my $w = 34;
	for (my $i = 0; $i < @cells; $i += 3) {
		$o .= '  ' . join('', map { sprintf "%-${w}s", $_ } grep { defined } @cells[$i .. $i + 2]) . "\n";
	}
	$o .= "  $FEATURE_LEGEND\n";
	# What the probes saw beyond the errno: why a feature is not supported, or the
	# divergence of a supported one (such a note names the rule it breaks).
	$o .= "  $_->{name}: $_->{observed}\n"
		for grep { $_->{observed} && ($_->{status} ne 'supported' || $_->{observed} =~ /\b[A-Z]+-\d\d\b/) } @f;
	$o .= sprintf "\n%-10s%s\n", 'topic', join('', map { sprintf '%8s', $_ } @STATUSES);
	$o .= sprintf "%-10s%s\n", $_->[0], join('', map { sprintf '%8d', $_ } @$_[1 .. $#$_]) for Sysconform::Report::topic_rows($s);
	my $t = $s->{totals};
	$o .= sprintf "%-10s%s\n", 'total', join('', map { sprintf '%8d', $t->{$_} } @STATUSES);
	if (my ($fs, @rows) = Sysconform::Report::fs_rows($s)) {
		$o .= sprintf "\n%-10s%s   (pass/fail/skip per filesystem)\n", 'topic', join('', map { sprintf '%14s', $_ } @$fs);
		$o .= sprintf "%-10s%s\n", $_->[0], join('', map { sprintf '%14s', $_ } @$_[1 .. $#$_]) for @rows;
	}
	my @div = Sysconform::Report::divergent($s);
	$o .= "\nDivergences and problems:\n" if @div;
	for my $c (@div) {
		$o .= '  ' . paint($a{colour}, $c->{status}, uc $c->{status}) . " $c->{id}\n";
		$o .= "    rule: $_\n" for Sysconform::Report::rule_lines($c, $a{rules});
		$o .= "    reason: $c->{reason}\n" if $c->{reason};
		$o .= join '', map { "    | $_\n" } split /\n/, $c->{diagnostic} // '';
	}
	for my $k (@Sysconform::Report::EXPECTED) {
		my @c = grep { $_->{status} eq $k->[0] } @{ $s->{cases} };
		$o .= "\n$k->[1]: " . scalar(@c) . "\n" if @c;
		$o .= '  ' . paint($a{colour}, $k->[0], $k->[0]) . " $_->{id}: $_->{expected}\n" for @c;
	}
	$o .= claim_line($_) for @{ $s->{version_claims} };
	$o .= "\n" . paint($a{colour}, (grep { $t->{$_} } @BAD) ? 'fail' : 'pass', Sysconform::Report::totals_text($t))
		. " in $s->{run}{duration_s} s"
		. ($s->{run}{suite_version} ? " (sysconform $s->{run}{suite_version})" : '') . "\n";
	$o .= Sysconform::Report::interrupted_text($s->{run}) . "\n" if $s->{run}{interrupted};
	$o .= "Results: $a{dir}/ (summary.json, junit.xml, report.md, report.html, tap/)\n" if $a{dir};
	return $o;
}

1;
