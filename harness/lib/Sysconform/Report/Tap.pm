package Sysconform::Report::Tap;
# sysconform.tap: all cases as one TAP stream, for prove-based CI
# (`prove --exec cat sysconform.tap`). Known divergences are TODO tests (xfail:
# not ok # TODO, xpass: ok # TODO); the diagnostic of a bad case follows its line. A
# comment after the version line names the suite version and the run.
use strict;
use warnings;
use Sysconform::Vocabulary qw(is_bad);

my %OK = map { $_ => 1 } qw(pass skip xpass);

sub render {
	my ($s) = @_;
	my @c = @{ $s->{cases} };
	my $o = "TAP version 13\n# sysconform " . ($s->{run}{suite_version} // 'unknown') . ", run $s->{run}{id}\n1.." . scalar(@c) . "\n";
	my $n = 0;
	for my $c (@c) {
		my $why = ($c->{reason} || $c->{expected} || '') =~ s/[#\n]/ /gr;
		my $st = $c->{status};
		my $line = ($OK{$st} ? 'ok' : 'not ok') . ' ' . ++$n . " - $c->{id}";
		$line .= " # SKIP $why" if $st eq 'skip';
		$line .= ' # TODO ' . (($c->{expected} // '') =~ s/[#\n]/ /gr) if $st eq 'xfail' || $st eq 'xpass';
		$o .= "$line\n";
		if (is_bad($st)) {
			$o .= "# $st" . ($c->{reason} ? ": $c->{reason}" : '') . "\n";
			$o .= join '', map { "# $_\n" } split /\n/, $c->{diagnostic} // '';
		}
	}
	return $o;
}

1;
