package Sysconform::Report::Tap;
# sysconform.tap: all cases as one KTAP (version 1) stream, which the kernel's own
# parser reads (tools/testing/kunit/kunit.py parse) and prove-based CI too
# (`prove --exec cat sysconform.tap`: TAP::Parser sees the programs' lines, the nested
# cases are unknown lines to it). One subtest per program ("topic/file", "@FS" for a
# pass of --fs/--tmpdir), its cases nested four spaces deep, as KTAP nests, each
# named by its id's part after "topic/file:" (NAME):
#   pass     ok N NAME
#   skip     ok N NAME # SKIP reason
#   xfail    ok N NAME # XFAIL expectation   (kselftest's own xfail line: KTAP's directive
#   xpass    ok N NAME # XPASS expectation    for an expected failure; a parser that does
#                                           not know it, kunit.py, counts it passed)
#   fail     not ok N NAME
#   error    not ok N NAME # ERROR reason
#   timeout  not ok N NAME # TIMEOUT reason
# The diagnostic of a bad case comes before its line ("# " lines, as kselftest prints
# them, so that kunit.py gives them to that case). A program is "not ok" when a case is
# fail, error or timeout, "ok ... # SKIP" when all its cases skipped, else "ok". A
# comment after the version line names the suite version and the run.
use strict;
use warnings;
use Sysconform::Vocabulary qw(is_bad);

my %DIRECTIVE = (skip => 'SKIP', xfail => 'XFAIL', xpass => 'XPASS', error => 'ERROR', timeout => 'TIMEOUT');

sub _clean { ($_[0] // '') =~ s/[#\n]/ /gr }

sub render {
	my ($s) = @_;
	my (@order, %cases);
	for my $c (@{ $s->{cases} }) {
		my $prog = "$c->{topic}/$c->{file}" . ($c->{id} =~ /(\@[^:\/]+)$/ ? $1 : '');
		push @order, $prog unless $cases{$prog};
		push @{ $cases{$prog} }, $c;
	}
	my $o = "KTAP version 1\n# sysconform " . ($s->{run}{suite_version} // "unknown") . ", run " . ($s->{run}{id} // "") . "\n1.." . scalar(@order) . "\n";
	my $p = 0;
	for my $prog (@order) {
		my @c = @{ $cases{$prog} };
		$o .= "    KTAP version 1\n    # Subtest: $prog\n    1.." . scalar(@c) . "\n";
		my $n = 0;
		for my $c (@c) {
			my $st = $c->{status};
			if (is_bad($st)) {
				$o .= "    # $st" . ($c->{reason} ? ": " . _clean($c->{reason}) : '') . "\n";
				$o .= join '', map { "    # $_\n" } split /\n/, $c->{diagnostic} // '';
			}
			my $why = _clean($st =~ /^x/ ? $c->{expected} : $c->{reason});
			$o .= '    ' . (is_bad($st) ? 'not ok' : 'ok') . ' ' . ++$n . ' ' . ($c->{id} =~ s/^[^:]*://r)
				. ($DIRECTIVE{$st} ? " # $DIRECTIVE{$st}" . (length $why ? " $why" : '') : '') . "\n";
		}
		my $bad = grep { is_bad($_->{status}) } @c;
		my $skipped = !grep { $_->{status} ne 'skip' } @c;
		$o .= ($bad ? 'not ok' : 'ok') . ' ' . ++$p . " $prog" . ($skipped && !$bad ? " # SKIP" : '') . "\n";
	}
	return $o;
}

1;
