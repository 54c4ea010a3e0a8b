package Sysconform::Report;
# Everything a run writes and prints: summary.json (schema sysconform-summary/1,
# docs/DESIGN.md), junit.xml, report.md, a self-contained report.html, and the console
# report. All of it is made from the summary hash alone, so a recorded summary
# gives the same reports.
use strict;
use warnings;
use JSON::PP;
use Exporter 'import';
our @EXPORT_OK = qw(read_json write_json html_escape css totals by_topic);

our @STATUSES = qw(pass fail skip error timeout xfail xpass);
our @BAD = qw(fail error timeout);	# unexpected outcomes: exit status 1

sub version_cmp {	# "6.1.0-18-amd64" vs "4.5": <0, 0, >0
	my @a = ($_[0] =~ /^(\d+(?:\.\d+)*)/ ? split /\./, $1 : (0));
	my @b = ($_[1] =~ /^(\d+(?:\.\d+)*)/ ? split /\./, $1 : (0));
	while (@a || @b) {
		my $c = (shift(@a) // 0) <=> (shift(@b) // 0);
		return $c if $c;
	}
	return 0;
}

# Features missing although the kernel release is at or past the version that added them.
sub version_claims {
	my ($release, @features) = @_;
	return () unless defined $release && $release =~ /^\d/;
	return map { { feature => $_->{name}, since => $_->{since}, kernel_release => $release } }
		grep { $_->{status} eq 'missing' && $_->{since} =~ /^\d/
		       && version_cmp($release, $_->{since}) >= 0 } @features;
}

sub totals {
	my (@cases) = @_;
	my %t = map { $_ => 0 } @STATUSES;
	$t{ $_->{status} }++ for @cases;
	return \%t;
}

sub by_topic {
	my (@cases) = @_;
	my %t;
	for my $c (@cases) { $t{ $c->{topic} }{ $c->{status} }++ }
	return \%t;
}

sub write_json {
	my ($path, $data) = @_;
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh JSON::PP->new->canonical->pretty->encode($data);
	close $fh or die "cannot write $path: $!\n";
}

sub read_json {
	my ($path) = @_;
	open my $fh, '<', $path or die "cannot read $path: $!\n";
	local $/;
	return JSON::PP->new->decode(<$fh>);
}

sub _xml { my $s = shift // ''; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g;
	   $s =~ s/"/&quot;/g; $s =~ s/[\x00-\x08\x0b\x0c\x0e-\x1f]//g; $s }

sub write_junit {
	my ($path, $s) = @_;
	my %suites;
	push @{ $suites{"$_->{topic}/$_->{file}"} }, $_ for @{ $s->{cases} };
	my $t = $s->{totals};
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	printf $fh qq{<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sysconform %s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">\n},
		_xml($s->{run}{label}), scalar @{ $s->{cases} }, $t->{fail},
		$t->{error} + $t->{timeout}, $t->{skip} + $t->{xfail}, $s->{run}{duration_s};
	for my $name (sort keys %suites) {
		my @c = @{ $suites{$name} };
		my %n = %{ totals(@c) };
		my $time = 0;
		$time += $_->{duration_ms} / 1000 for @c;
		printf $fh qq{  <testsuite name="%s" tests="%d" failures="%d" errors="%d" skipped="%d" time="%.3f">\n},
			_xml($name), scalar @c, $n{fail}, $n{error} + $n{timeout},
			$n{skip} + $n{xfail}, $time;
		for my $c (@c) {
			printf $fh qq{    <testcase classname="%s" name="%s" time="%.3f"},
				_xml("sysconform.$c->{topic}.$c->{file}"), _xml($c->{name}), $c->{duration_ms} / 1000;
			my $body = '';
			my $msg = _xml(join ' ', @{ $c->{rules} }, $c->{reason} // '');
			my $diag = _xml($c->{diagnostic});
			if ($c->{status} eq 'fail') {
				$body = qq{<failure message="$msg" type="fail">$diag</failure>};
			} elsif ($c->{status} eq 'xpass') {	# passed: only the expectation list is stale
				$body = '<system-out>' . _xml("xpass: listed as a known divergence ($c->{expected}), but passed") . '</system-out>';
			} elsif ($c->{status} eq 'error' || $c->{status} eq 'timeout') {
				$body = qq{<error message="$msg" type="$c->{status}">$diag</error>};
			} elsif ($c->{status} eq 'skip' || $c->{status} eq 'xfail') {
				$body = qq{<skipped message="} . _xml("$c->{status}: " . ($c->{reason} // '')) . qq{"/>};
			}
			print $fh length $body ? ">$body</testcase>\n" : "/>\n";
		}
		print $fh "  </testsuite>\n";
	}
	print $fh "</testsuites>\n";
	close $fh;
}

# All cases as one TAP stream, for prove-based CI: `prove --exec cat sysconform.tap`.
# Known divergences are TODO tests (xfail: not ok # TODO, xpass: ok # TODO).
sub write_tap {
	my ($path, $s) = @_;
	my @c = @{ $s->{cases} };
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh "TAP version 13\n1..", scalar @c, "\n";
	my $n = 0;
	for my $c (@c) {
		my $why = ($c->{reason} || $c->{expected} || '') =~ s/[#\n]/ /gr;
		my $st = $c->{status};
		my $line = ($st =~ /^(pass|skip|xpass)$/ ? 'ok' : 'not ok') . ' ' . ++$n . " - $c->{id}";
		$line .= " # SKIP $why" if $st eq 'skip';
		$line .= ' # TODO ' . (($c->{expected} // '') =~ s/[#\n]/ /gr) if $st eq 'xfail' || $st eq 'xpass';
		print $fh "$line\n";
		if ($st =~ /^(fail|error|timeout)$/) {
			print $fh "# $st" . ($c->{reason} ? ": $c->{reason}" : '') . "\n";
			print $fh map { "# $_\n" } split /\n/, $c->{diagnostic} // '';
		}
	}
	close $fh;
}

sub _divergent { grep { $_->{status} =~ /^(fail|error|timeout)$/ } @{ $_[0]{cases} } }

sub _topic_rows {
	my ($s) = @_;
	my $bt = by_topic(@{ $s->{cases} });
	return map { my $t = $_; [ $t, map { $bt->{$t}{$_} // 0 } @STATUSES ] } sort keys %$bt;
}

sub write_markdown {
	my ($path, $s) = @_;
	my $r = $s->{run};
	my $sys = $s->{system};
	my @o;
	push @o, "# sysconform report: $r->{label}", '';
	push @o, "Run `$r->{id}`, started $r->{started}, $r->{duration_s} s, $r->{jobs} jobs"
		. ($r->{wrap} ? ", wrap `$r->{wrap}`" : '') . ($r->{preload} ? ", preload `$r->{preload}`" : '') . '.', '';
	push @o, "System: kernel $sys->{kernel_release} ($sys->{machine}), $sys->{os}, $sys->{libc}, uid $sys->{uid}, container: $sys->{container}.", '';
	push @o, "Guest: " . join(', ', map { "$_ $sys->{$_}" } grep { defined $sys->{$_} }
		qw(kernel_package kernel_package_version kernel_image qemu_accel scratch_fs boot_s)) . '.', '' if $sys->{qemu_accel};
	my $t = $s->{totals};
	push @o, '**' . join(', ', map { "$t->{$_} $_" } grep { $t->{$_} || /^(pass|fail|skip)$/ } @STATUSES) . '**', '';
	push @o, '## Topics', '', '| topic | ' . join(' | ', @STATUSES) . ' |', '|---' x (1 + @STATUSES) . '|';
	push @o, '| ' . join(' | ', @$_) . ' |' for _topic_rows($s);
	push @o, '', '## Divergences', '';
	my @div = _divergent($s);
	push @o, 'None.' unless @div;
	for my $c (@div) {
		push @o, "### $c->{status}: `$c->{id}`", '';
		push @o, "Rule: " . join('; ', map { "$_->{id} $_->{text}" } @{ $c->{rule_text} || [] }), '' if $c->{rule_text} && @{ $c->{rule_text} };
		push @o, "Reason: $c->{reason}", '' if $c->{reason};
		push @o, '```', $c->{diagnostic}, '```', '' if length($c->{diagnostic} // '');
	}
	for my $k (['xfail', 'Known divergences (xfail)'], ['xpass', 'Stale expectations (xpass: listed, but passed)']) {
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
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh join("\n", @o), "\n";
	close $fh;
}

# Shared with the other HTML writers (Sysconform::Compare).
sub html_escape { my $s = shift // ''; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s =~ s/"/&quot;/g; $s }
sub _h { html_escape(@_) }

my $CSS;	# the style sheet below __DATA__, read once
sub css { $CSS //= join '', <DATA>; return $CSS }

sub write_html {
	my ($path, $s) = @_;
	my $r = $s->{run};
	my $sys = $s->{system};
	my $t = $s->{totals};
	my $css = css();
	my @o = ('<!DOCTYPE html><html><head><meta charset="utf-8">',
		 '<title>sysconform: ' . _h($r->{label}) . '</title><style>' . $css . '</style></head><body>');
	push @o, '<h1>sysconform report: ' . _h($r->{label}) . '</h1>';
	push @o, '<p>' . _h("Run $r->{id}, started $r->{started}, $r->{duration_s} s, $r->{jobs} jobs"
		. ($r->{wrap} ? ", wrap '$r->{wrap}'" : '') . ($r->{preload} ? ", preload $r->{preload}" : '')) . '</p>';
	push @o, '<p>' . _h("Kernel $sys->{kernel_release} ($sys->{machine}), $sys->{os}, $sys->{libc}, uid $sys->{uid}, container: $sys->{container}") . '</p>';
	push @o, '<p class="totals">' . join(' ', map { "<span class=\"$_\">$t->{$_} $_</span>" } @STATUSES) . '</p>';
	push @o, '<h2>Topics</h2><table><tr><th>topic</th>' . join('', map { "<th>$_</th>" } @STATUSES) . '</tr>';
	for my $row (_topic_rows($s)) {
		my ($topic, @n) = @$row;
		push @o, '<tr><td><a href="#topic-' . _h($topic) . '">' . _h($topic) . '</a></td>'
			. join('', map { my $k = $STATUSES[$_]; '<td class="' . ($n[$_] ? $k : 'zero') . "\">$n[$_]</td>" } 0 .. $#n) . '</tr>';
	}
	push @o, '</table>';
	my @div = _divergent($s);
	push @o, '<h2>Divergences</h2>', @div ? '' : '<p>None.</p>';
	for my $c (@div) {
		push @o, '<div class="div"><h3><span class="' . $c->{status} . '">' . $c->{status} . '</span> ' . _h($c->{id}) . '</h3>';
		push @o, '<p>' . _h(join '; ', map { "$_->{id} $_->{text}" } @{ $c->{rule_text} || [] }) . '</p>';
		push @o, '<p>Reason: ' . _h($c->{reason}) . '</p>' if $c->{reason};
		push @o, '<pre>' . _h($c->{diagnostic}) . '</pre>' if length($c->{diagnostic} // '');
		push @o, '</div>';
	}
	for my $k (['xfail', 'Known divergences (xfail)'], ['xpass', 'Stale expectations (xpass: listed, but passed)']) {
		my @c = grep { $_->{status} eq $k->[0] } @{ $s->{cases} };
		next unless @c;
		push @o, "<h2>$k->[1]</h2><ul>", (map { '<li>' . _h("$_->{id}: $_->{expected}") . '</li>' } @c), '</ul>';
	}
	if (@{ $s->{version_claims} }) {
		push @o, '<h2>Version claims</h2><p>' . _h("Missing although kernel $sys->{kernel_release} claims them: ")
			. join(', ', map { _h("$_->{feature} (since $_->{since})") } @{ $s->{version_claims} }) . '</p>';
	}
	push @o, '<h2>Features</h2><table><tr><th>feature</th><th>since</th><th>status</th><th>errno</th><th>API</th><th>observed</th></tr>';
	push @o, '<tr><td>' . _h($_->{name}) . '</td><td>' . _h($_->{since}) . "</td><td class=\"$_->{status}\">$_->{status}</td><td>"
		. _h($_->{errno}) . '</td><td>' . _h($_->{api}) . '</td><td>' . _h($_->{observed}) . '</td></tr>' for @{ $s->{features} };
	push @o, '</table><h2>Cases</h2>';
	my $topic = '';
	for my $c (@{ $s->{cases} }) {
		if ($c->{topic} ne $topic) {
			push @o, '</table>' if $topic;
			$topic = $c->{topic};
			push @o, '<h3 id="topic-' . _h($topic) . '">' . _h($topic) . '</h3><table><tr><th>case</th><th>rules</th><th>status</th><th>ms</th><th>reason / diagnostic</th></tr>';
		}
		my $detail = _h($c->{reason} // '');
		$detail .= '<pre>' . _h($c->{diagnostic}) . '</pre>' if $c->{status} ne 'pass' && length($c->{diagnostic} // '');
		push @o, '<tr><td>' . _h("$c->{file}:$c->{name}") . '</td><td>' . _h(join ' ', @{ $c->{rules} })
			. "</td><td class=\"$c->{status}\">$c->{status}</td><td>$c->{duration_ms}</td><td>$detail</td></tr>";
	}
	push @o, '</table>' if $topic;
	push @o, '</body></html>';
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh join("\n", @o), "\n";
	close $fh;
}

# The console report after a run.
sub console {
	my ($s, %a) = @_;
	my $out = $a{fh} // \*STDOUT;
	my $sys = $s->{system};
	my @f = @{ $s->{features} };
	my %n;
	$n{ $_->{status} }++ for @f;
	print $out "\nGuest: ", join(', ', map { "$_ $sys->{$_}" } grep { defined $sys->{$_} }
		qw(kernel_package kernel_package_version kernel_image qemu_accel scratch_fs boot_s)), "\n" if $sys->{qemu_accel};
	print $out "\nFeatures ($sys->{kernel_release}, $sys->{machine}, container: $sys->{container}): ",
		join(', ', map { ($n{$_} // 0) . " $_" } qw(supported missing blocked)), "\n";
	my @cells = map { sprintf '%-3s %s', { supported => 'ok', missing => '--', blocked => 'EP' }->{ $_->{status} } // '?', $_->{name}
			 . ($_->{status} ne 'supported' && $_->{errno} ? " ($_->{errno})" : '') } @f;
	my $w = 34;
	for (my $i = 0; $i < @cells; $i += 3) {
		print $out '  ', join('', map { sprintf "%-${w}s", $_ } grep { defined } @cells[$i .. $i + 2]), "\n";
	}
	print $out "  (ok supported, -- missing, EP blocked)\n";
	# What the probes saw beyond the errno: why a feature is not supported, or the
	# divergence of a supported one (such a note names the rule it breaks).
	print $out "  $_->{name}: $_->{observed}\n"
		for grep { $_->{observed} && ($_->{status} ne 'supported' || $_->{observed} =~ /\b[A-Z]+-\d\d\b/) } @f;
	printf $out "\n%-10s%s\n", 'topic', join('', map { sprintf '%8s', $_ } @STATUSES);
	printf $out "%-10s%s\n", $_->[0], join('', map { sprintf '%8d', $_ } @$_[1 .. $#$_]) for _topic_rows($s);
	my $t = $s->{totals};
	printf $out "%-10s%s\n", 'total', join('', map { sprintf '%8d', $t->{$_} } @STATUSES);
	my @div = _divergent($s);
	print $out "\nDivergences and problems:\n" if @div;
	for my $c (@div) {
		print $out "  \U$c->{status}\E $c->{id}\n";
		print $out "    rule: $_->{id} $_->{text}\n" for @{ $c->{rule_text} || [] };
		print $out "    reason: $c->{reason}\n" if $c->{reason};
		print $out map { "    | $_\n" } split /\n/, $c->{diagnostic} // '';
	}
	for my $k (['xfail', 'Known divergences (xfail)'], ['xpass', 'Stale expectations (xpass: listed, but passed)']) {
		my @c = grep { $_->{status} eq $k->[0] } @{ $s->{cases} };
		print $out "\n$k->[1]: ", scalar @c, "\n" if @c;
		print $out "  $k->[0] $_->{id}: $_->{expected}\n" for @c;
	}
	for my $v (@{ $s->{version_claims} }) {
		print $out "Version claim: $v->{feature} (since $v->{since}) is missing although the kernel says $v->{kernel_release}",
			($v->{expected} ? " (expected: $v->{expected})" : ''), "\n";
	}
	print $out "\n", join(', ', map { "$t->{$_} $_" } grep { $t->{$_} || /^(pass|fail|skip)$/ } @STATUSES),
		" in $s->{run}{duration_s} s\n";
	print $out "Results: $a{dir}/ (summary.json, junit.xml, report.md, report.html, tap/)\n" if $a{dir};
}

1;
__DATA__
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}pre{white-space:pre-wrap;margin:.2em 0;font-size:12px;background:#f8f8f8;padding:.3em}
.pass,.supported{background:#d9f2d9}.fail,.xpass{background:#f8c9c9}.error,.timeout{background:#f7d9a8}
.skip,.missing{background:#e4e4f4}.xfail{background:#efe3f7}.blocked{background:#f3ecc0}.zero{color:#aaa}
.totals span{padding:.2em .6em;margin-right:.3em;border-radius:.3em}.div{border-left:4px solid #d66;padding-left:1em}
