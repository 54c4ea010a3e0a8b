package Sysconform::Report::Junit;
# junit.xml: a testsuite per program, a testcase per case, for CI systems. A fail is a
# failure, an error or a timeout an error; skip and xfail are skipped; an xpass passed
# (only the expectation list is stale, which its system-out says).
use strict;
use warnings;
use Sysconform::Summary;

sub _xml { my $s = shift // ''; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g;
	   $s =~ s/"/&quot;/g; $s =~ s/[\x00-\x08\x0b\x0c\x0e-\x1f]//g; $s }

sub render {
	my ($s) = @_;
	my %suites;
	push @{ $suites{"$_->{topic}/$_->{file}"} }, $_ for @{ $s->{cases} };
	my $t = $s->{totals};
	my $o = sprintf qq{<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sysconform %s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">\n},
		_xml($s->{run}{label}), scalar @{ $s->{cases} }, $t->{fail},
		$t->{error} + $t->{timeout}, $t->{skip} + $t->{xfail}, $s->{run}{duration_s};
	for my $name (sort keys %suites) {
		my @c = @{ $suites{$name} };
		my %n = %{ Sysconform::Summary::totals(@c) };
		my $time = 0;
		$time += $_->{duration_ms} / 1000 for @c;
		$o .= sprintf qq{  <testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">\n},
			_xml($name), scalar @c, $n{fail}, $n{error} + $n{timeout},
			$n{skip} + $n{xfail}, $time;
		for my $c (@c) {
			$o .= sprintf qq{    <testcase classname="%s" name="%s" time="%.3f"},
				_xml("sysconform.$c->{topic}.$c->{file}"), _xml($c->{name}), $c->{duration_ms} / 1000;
			my $body = '';
			my $msg = _xml(join ' ', @{ $c->{rules} }, $c->{reason} // '');
			my $diag = _xml($c->{diagnostic});
			if ($c->{status} eq 'fail') {
				$body = qq{<failure message="$msg" type="fail">$diag</failure>};
			} elsif ($c->{status} eq 'xpass') {
				$body = '<system-out>' . _xml("xpass: listed as a known divergence ($c->{expected}), but passed") . '</system-out>';
			} elsif ($c->{status} eq 'error' || $c->{status} eq 'timeout') {
				$body = qq{<error message="$msg" type="$c->{status}">$diag</error>};
			} elsif ($c->{status} eq 'skip' || $c->{status} eq 'xfail') {
				$body = qq{<skipped message="} . _xml("$c->{status}: " . ($c->{reason} // '')) . qq{"/>};
			}
			$o .= length $body ? ">$body</testcase>\n" : "/>\n";
		}
		$o .= "  </testsuite>\n";
	}
	return $o . "</testsuites>\n";
}

1;
