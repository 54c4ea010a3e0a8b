package Sysconform::Report::Junit;
# junit.xml: a testsuite per program, a testcase per case, for CI systems; valid against
# the Jenkins xunit plugin's JUnit schema (junit-10.xsd; see harness/check.d/formats-junit). Each suite's
# <properties> describe the run and system (suite version, label, kernel, wrapper ...).
# A fail is a failure, an error or a timeout an error: the message is the diagnostic's
# first line (or the reason), the text the whole diagnostic and the rules it breaks.
# skip and xfail are skipped, their reason as message and as text (GitLab shows the
# text); an xfail's text is the expectation's reason and link. An xpass passed (only
# the expectation list is stale, which its system-out says).
use strict;
use warnings;
use Sysconform::Expect;
use Sysconform::Report;
use Sysconform::Summary;

sub _xml { my $s = shift // ''; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g;
	   $s =~ s/"/&quot;/g; $s =~ s/[\x00-\x08\x0b\x0c\x0e-\x1f]//g; $s }

# The run's and system's facts, as [name, value].
sub properties {
	my ($s) = @_;
	my ($r, $sys) = ($s->{run}, $s->{system});
	return (['suite_version', $r->{suite_version} // 'unknown'], ['label', $r->{label}], ['run_id', $r->{id}],
		['kernel', $sys->{kernel_release}], ['kernel_version', $sys->{kernel_version}], ['machine', $sys->{machine}],
		['os', $sys->{os}], ['libc', $sys->{libc}], ['uid', $sys->{uid}], ['container', $sys->{container}],
		['wrapper', $r->{wrap}], ['preload', $r->{preload}], ['expect', $r->{expect}],
		$sys->{qemu_accel} ? ['guest', Sysconform::Report::guest_text($sys)] : ());
}

# The first line of a case's diagnostic with something in it, else its reason.
sub first_line {
	my ($c) = @_;
	my ($l) = grep { /\S/ } split /\n/, $c->{diagnostic} // '';
	return $l // $c->{reason} // '';
}

sub render {
	my ($s, $rules) = @_;
	my %suites;
	push @{ $suites{"$_->{topic}/$_->{file}"} }, $_ for @{ $s->{cases} };
	my $t = $s->{totals};
	my $props = join '', map { sprintf qq{      <property name="%s" value="%s"/>\n}, $_->[0], _xml($_->[1]) } properties($s);
	my $o = sprintf qq{<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sysconform %s" tests="%d" failures="%d" errors="%d" time="%.3f">\n},
		_xml($s->{run}{label}), scalar @{ $s->{cases} }, $t->{fail}, $t->{error} + $t->{timeout}, $s->{run}{duration_s};
	for my $name (sort keys %suites) {
		my @c = @{ $suites{$name} };
		my %n = %{ Sysconform::Summary::totals(@c) };
		my $time = 0;
		$time += $_->{duration_ms} / 1000 for @c;
		$o .= sprintf qq{  <testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f" timestamp="%s">\n},
			_xml($name), scalar @c, $n{fail}, $n{error} + $n{timeout},
			$n{skip} + $n{xfail}, $time, _xml($s->{run}{started});
		$o .= "    <properties>\n$props    </properties>\n";
		for my $c (@c) {
			$o .= sprintf qq{    <testcase classname="%s" name="%s" time="%.3f"},
				_xml("sysconform.$c->{topic}.$c->{file}"), _xml($c->{name}), $c->{duration_ms} / 1000;
			my $st = $c->{status};
			my $rule_text = join '', map { "\nrule $_" } Sysconform::Report::rule_lines($c, $rules);
			$rule_text ||= "\nrules: @{ $c->{rules} }" if @{ $c->{rules} };
			my $body = '';
			if ($st eq 'fail' || $st eq 'error' || $st eq 'timeout') {
				my $text = join "\n", grep { length } ($st eq 'fail' ? '' : $c->{reason}), $c->{diagnostic};
				$body = sprintf qq{<%s message="%s" type="%s">%s</%1\$s>}, $st eq 'fail' ? 'failure' : 'error',
					_xml(first_line($c)), $st, _xml($text . $rule_text);
			} elsif ($st eq 'skip') {
				$body = sprintf qq{<skipped message="%s" type="skip">%1\$s</skipped>}, _xml($c->{reason});
			} elsif ($st eq 'xfail') {
				my ($why, $link) = Sysconform::Expect::reason_link($c->{expected} // '');
				$body = sprintf qq{<skipped message="%s" type="xfail">%s</skipped>}, _xml("known divergence: $why"),
					_xml("known divergence (--expect $s->{run}{expect}): $why" . ($link ? "\n$link" : '')
					     . (length $c->{diagnostic} ? "\n\n$c->{diagnostic}" : '') . $rule_text);
			} elsif ($st eq 'xpass') {
				$body = '<system-out>' . _xml("xpass: listed as a known divergence ($c->{expected}), but passed") . '</system-out>';
			}
			$o .= length $body ? ">$body</testcase>\n" : "/>\n";
		}
		$o .= "  </testsuite>\n";
	}
	return $o . "</testsuites>\n";
}

1;
