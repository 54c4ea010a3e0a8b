package Sysconform::Report::Html;
# report.html, self-contained (its style sheet inline): what report.md says, with
# coloured outcomes and every case in a table per topic. Its escaping and style
# sheet serve compare.html too (Sysconform::Compare).
use strict;
use warnings;
use Exporter 'import';
use Sysconform::Report;
use Sysconform::Vocabulary qw(@STATUSES);
our @EXPORT_OK = qw(html_escape css);

sub html_escape { my $s = shift // ''; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s =~ s/"/&quot;/g; $s }
sub _h { html_escape(@_) }

my $CSS;	# the style sheet below __DATA__, read once
sub css { $CSS //= join '', <DATA>; return $CSS }

sub render {
	my ($s, $rules) = @_;
	my $r = $s->{run};
	my $sys = $s->{system};
	my $t = $s->{totals};
	my @o = ('<!DOCTYPE html><html><head><meta charset="utf-8">',
		 '<title>sysconform: ' . _h($r->{label}) . '</title><style>' . css() . '</style></head><body>');
	push @o, '<h1>sysconform report: ' . _h($r->{label}) . '</h1>';
	push @o, '<p>' . _h("Run $r->{id}, started $r->{started}, $r->{duration_s} s, $r->{jobs} jobs"
		. ($r->{wrap} ? ", wrap '$r->{wrap}'" : '') . ($r->{preload} ? ", preload $r->{preload}" : '')) . '</p>';
	push @o, '<p>' . _h("Kernel $sys->{kernel_release} ($sys->{machine}), $sys->{os}, $sys->{libc}, uid $sys->{uid}, container: $sys->{container}") . '</p>';
	push @o, '<p class="totals">' . join(' ', map { "<span class=\"$_\">$t->{$_} $_</span>" } @STATUSES) . '</p>';
	push @o, '<p class="error">' . _h(Sysconform::Report::interrupted_text($r)) . '</p>' if $r->{interrupted};
	push @o, '<h2>Topics</h2><table><tr><th>topic</th>' . join('', map { "<th>$_</th>" } @STATUSES) . '</tr>';
	for my $row (Sysconform::Report::topic_rows($s)) {
		my ($topic, @n) = @$row;
		push @o, '<tr><td><a href="#topic-' . _h($topic) . '">' . _h($topic) . '</a></td>'
			. join('', map { my $k = $STATUSES[$_]; '<td class="' . ($n[$_] ? $k : 'zero') . "\">$n[$_]</td>" } 0 .. $#n) . '</tr>';
	}
	push @o, '</table>';
	if (my ($fs, @rows) = Sysconform::Report::fs_rows($s)) {
		push @o, '<h2>Per filesystem</h2><p>pass/fail/skip</p><table><tr><th>topic</th>' . join('', map { '<th>' . _h($_) . '</th>' } @$fs) . '</tr>';
		push @o, '<tr><td>' . _h($_->[0]) . '</td>' . join('', map { '<td>' . _h($_) . '</td>' } @$_[1 .. $#$_]) . '</tr>' for @rows;
		push @o, '</table>';
	}
	my @div = Sysconform::Report::divergent($s);
	push @o, '<h2>Divergences</h2>', @div ? '' : '<p>None.</p>';
	for my $c (@div) {
		push @o, '<div class="div"><h3><span class="' . $c->{status} . '">' . $c->{status} . '</span> ' . _h($c->{id}) . '</h3>';
		push @o, '<p>' . _h(join '; ', Sysconform::Report::rule_lines($c, $rules)) . '</p>';
		push @o, '<p>Reason: ' . _h($c->{reason}) . '</p>' if $c->{reason};
		push @o, '<pre>' . _h($c->{diagnostic}) . '</pre>' if length($c->{diagnostic} // '');
		push @o, '</div>';
	}
	for my $k (@Sysconform::Report::EXPECTED) {
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
	return join("\n", @o) . "\n";
}

1;
__DATA__
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}pre{white-space:pre-wrap;margin:.2em 0;font-size:12px;background:#f8f8f8;padding:.3em}
.pass,.supported{background:#d9f2d9}.fail,.xpass{background:#f8c9c9}.error,.timeout{background:#f7d9a8}
.skip,.missing{background:#e4e4f4}.xfail{background:#efe3f7}.blocked{background:#f3ecc0}.zero{color:#aaa}
.totals span{padding:.2em .6em;margin-right:.3em;border-radius:.3em}.div{border-left:4px solid #d66;padding-left:1em}
