package Sysconform::Report::Html;
# report.html, self-contained (style sheet and script inline, no external asset): what
# report.md says, and every case in one table that filters by outcome and topic and
# searches as one types. Each case row is an anchor (id = the case id: report.html#fd/dup:b)
# with links to its rules' text (the Rules section at the end, so the report needs no
# checkout), their man pages (man7.org, from RULES.md's "Source: man open(2)") and the
# program's raw TAP (tap/<program>.tap beside the report). Colours: an outcome's colour
# only where its count is not 0; red only for the bad outcomes (fail; error and timeout
# orange). Its escaping and style sheet serve compare.html too (Sysconform::Compare).
use strict;
use warnings;
use Exporter 'import';
use Sysconform::Expect;
use Sysconform::Report;
use Sysconform::Vocabulary qw(@STATUSES);
our @EXPORT_OK = qw(html_escape css);

sub html_escape { my $s = shift // ''; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; $s =~ s/"/&quot;/g; $s }
sub _h { html_escape(@_) }

my ($CSS, $JS);	# the style sheet and script below __DATA__, read once
sub _data {
	return if defined $CSS;
	my $d = join '', <DATA>;
	($CSS, $JS) = split /^<script>\n/m, $d, 2;
}
sub css { _data(); return $CSS }

# The man7.org page of a reference "open(2)".
sub man_url {
	my ($ref) = @_;
	my ($name, $sec) = $ref =~ /^(.+)\((\d)(\w*)\)$/ or return undef;
	return "https://man7.org/linux/man-pages/man$sec/$name.$sec$3.html";
}

sub man_links {
	my (@refs) = @_;
	my %seen;
	return join ' ', map { '<a class="man" href="' . _h(man_url($_)) . '">' . _h($_) . '</a>' } grep { !$seen{$_}++ && man_url($_) } @refs;
}

# The man pages the rules of case C cite ("open(2)").
sub case_man {
	my ($c, $rules) = @_;
	return map { @{ $rules && $rules->{$_} ? $rules->{$_}{man} || [] : [] } } @{ $c->{rules} };
}

sub rule_link {
	my ($id, $rules) = @_;
	my $r = $rules && $rules->{$id};
	return _h($id) unless $r;
	return '<a class="rule" href="#rule-' . _h($id) . '">' . _h($id) . '</a>';
}

# A link to case C's row, saying TEXT (its id); long names may break after "." and "_".
sub case_link { '<a href="#' . _h($_[0]{id}) . '">' . (_h($_[1] // $_[0]{id}) =~ s/([._])(?=\w)/$1<wbr>/gr) . '</a>' }

# "a reason https://link" with the link as a link.
sub expected_html {
	my ($why, $link) = Sysconform::Expect::reason_link($_[0] // '');
	return _h($why) . ($link ? ' <a href="' . _h($link) . '">' . _h($link) . '</a>' : '');
}

sub count_span { my ($k, $n) = @_; '<span class="' . ($n ? $k : 'zero') . "\">$n $k</span>" }

sub render {
	my ($s, $rules) = @_;
	_data();
	my $r = $s->{run};
	my $sys = $s->{system};
	my $t = $s->{totals};
	my @cases = @{ $s->{cases} };
	my @o = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
		 '<title>sysconform: ' . _h($r->{label}) . '</title><style>' . $CSS . '</style></head><body>');
	push @o, '<h1>sysconform report: ' . _h($r->{label}) . '</h1>';
	push @o, '<p class="meta">' . _h("Run $r->{id}, started $r->{started}, $r->{duration_s} s, $r->{jobs} jobs"
		. ($r->{wrap} ? ", wrap '$r->{wrap}'" : '') . ($r->{preload} ? ", preload $r->{preload}" : '')
		. ($r->{expect} ? ", expect $r->{expect}" : '')) . '</p>';
	push @o, '<p class="meta">' . _h("Kernel $sys->{kernel_release} ($sys->{machine}), $sys->{os}, $sys->{libc}, uid $sys->{uid}, container: $sys->{container}") . '</p>';
	push @o, '<p class="meta">' . _h('Guest: ' . Sysconform::Report::guest_text($sys)) . '</p>' if $sys->{qemu_accel};
	push @o, '<p class="meta">Suite: sysconform <span class="version">' . _h($r->{suite_version} // 'unknown') . '</span></p>';
	push @o, '<p class="totals">' . join(' ', map { count_span($_, $t->{$_}) } @STATUSES) . '</p>';
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
		push @o, '<div class="div"><h3><span class="' . $c->{status} . '">' . $c->{status} . '</span> ' . case_link($c) . '</h3>';
		push @o, '<p>' . join('<br>', map { rule_link($_, $rules) . ' ' . _h($rules->{$_}{text}) } grep { $rules && $rules->{$_} } @{ $c->{rules} }) . '</p>';
		push @o, '<p>Reason: ' . _h($c->{reason}) . '</p>' if $c->{reason};
		push @o, '<pre>' . _h($c->{diagnostic}) . '</pre>' if length($c->{diagnostic} // '');
		my $man = man_links(case_man($c, $rules));
		push @o, '<p class="links">' . join(' &middot; ', ($man ? "man $man" : ()), ($c->{tap} ? '<a class="tap" href="' . _h($c->{tap}) . '">raw TAP</a>' : ())) . '</p>'
			if $man || $c->{tap};
		push @o, '</div>';
	}
	for my $k (@Sysconform::Report::EXPECTED) {
		my @c = grep { $_->{status} eq $k->[0] } @cases;
		next unless @c;
		push @o, "<h2>$k->[1]</h2><ul>", (map { '<li>' . case_link($_) . ': ' . expected_html($_->{expected}) . '</li>' } @c), '</ul>';
	}
	if (@{ $s->{version_claims} }) {
		push @o, '<h2>Version claims</h2><p>' . _h("Missing although kernel $sys->{kernel_release} claims them: ")
			. join(', ', map { _h("$_->{feature} (since $_->{since})") } @{ $s->{version_claims} }) . '</p>';
	}
	push @o, '<h2>Features</h2><table><tr><th>feature</th><th>since</th><th>status</th><th>errno</th><th>API</th><th>observed</th></tr>';
	push @o, '<tr><td>' . _h($_->{name}) . '</td><td>' . _h($_->{since}) . "</td><td class=\"$_->{status}\">$_->{status}</td><td>"
		. _h($_->{errno}) . '</td><td>' . _h($_->{api}) . '</td><td>' . _h($_->{observed}) . '</td></tr>' for @{ $s->{features} };
	push @o, '</table>';
	push @o, cases_html($s, $rules), rules_html($s, $rules);
	push @o, '<p class="meta">Written by sysconform ' . _h($r->{suite_version} // '(version unknown)') . '.</p>';
	push @o, "<script>\n$JS</script>", '</body></html>';
	return join("\n", @o) . "\n";
}

# The filters, and the cases in one table: a tbody per topic (id topic-NAME).
sub cases_html {
	my ($s, $rules) = @_;
	my @cases = @{ $s->{cases} };
	my $t = $s->{totals};
	my %seen;
	my @topics = grep { !$seen{$_}++ } map { $_->{topic} } @cases;
	my @o = ('<section class="cases"><h2 id="cases">Cases</h2>');	# the filter bar sticks within it
	push @o, '<form id="filters" class="filters" hidden onsubmit="return false">'
		. '<fieldset><legend>Outcome</legend>'
		. join('', map { '<label class="' . ($t->{$_} ? $_ : 'zero') . '"><input type="checkbox" name="status" value="' . $_ . '" checked> '
				 . "$_ ($t->{$_})</label>" } grep { $t->{$_} } @STATUSES) . '</fieldset>'
		. '<label>Topic <select id="topic"><option value="">all topics</option>'
		. join('', map { '<option value="' . _h($_) . '">' . _h($_) . '</option>' } @topics) . '</select></label>'
		. '<label>Search <input type="search" id="search" placeholder="case, rule, reason, diagnostic" size="32"></label>'
		. '<button type="button" id="reset">Show all</button>'
		. '<span id="shown">' . scalar(@cases) . ' of ' . scalar(@cases) . ' cases</span></form>';
	push @o, '<table id="case-table"><thead><tr><th>case</th><th>rules</th><th>status</th><th>ms</th><th>reason / diagnostic</th></tr></thead>';
	my $topic;
	for my $c (@cases) {
		if (!defined $topic || $c->{topic} ne $topic) {
			push @o, '</tbody>' if defined $topic;
			$topic = $c->{topic};
			push @o, '<tbody id="topic-' . _h($topic) . '" data-topic="' . _h($topic) . '"><tr class="topic"><th colspan="5">' . _h($topic) . '</th></tr>';
		}
		my $detail = _h($c->{reason} // '');
		$detail .= ($detail ? '<br>' : '') . 'expected: ' . expected_html($c->{expected}) if $c->{expected};
		$detail .= '<pre>' . _h($c->{diagnostic}) . '</pre>' if $c->{status} ne 'pass' && length($c->{diagnostic} // '');
		my @man = case_man($c, $rules);
		push @o, '<tr class="case" id="' . _h($c->{id}) . '" data-status="' . $c->{status} . '" data-topic="' . _h($c->{topic}) . '">'
			. '<td>' . case_link($c, "$c->{file}:$c->{name}" . ($c->{id} =~ /(\@[^:\/]+)$/ ? $1 : ''))
			. ($c->{tap} ? ' <a class="tap" href="' . _h($c->{tap}) . '">TAP</a>' : '') . '</td>'
			. '<td>' . join(' ', map { rule_link($_, $rules) } @{ $c->{rules} }) . (@man ? '<br>' . man_links(@man) : '') . '</td>'
			. "<td class=\"$c->{status}\">$c->{status}</td><td>$c->{duration_ms}</td><td>$detail</td></tr>";
	}
	push @o, '</tbody>' if defined $topic;
	push @o, '</table></section>';
	return @o;
}

# The text of every rule the cases cite, each an anchor (rule-ID), with its man pages.
sub rules_html {
	my ($s, $rules) = @_;
	my %cited = map { $_ => 1 } grep { $rules && $rules->{$_} } map { @{ $_->{rules} } } @{ $s->{cases} };
	return () unless %cited;
	my $p = qr/^(.*)-(\d+)$/;
	my @ids = sort { ($a =~ $p)[0] cmp ($b =~ $p)[0] || ($a =~ $p)[1] <=> ($b =~ $p)[1] } keys %cited;
	return ('<h2 id="rules">Rules</h2><p>The rules of RULES.md that these cases check.</p><dl class="rules">',
		(map { '<dt id="rule-' . _h($_) . "\">$_</dt><dd>" . _h($rules->{$_}{text})
		       . (@{ $rules->{$_}{man} || [] } ? ' <span class="mans">' . man_links(@{ $rules->{$_}{man} }) . '</span>' : '') . '</dd>' } @ids),
		'</dl>');
}

1;
__DATA__
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:80em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}pre{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2em 0;font-size:12px;background:#f8f8f8;padding:.3em}
#case-table{width:100%;table-layout:fixed}#case-table td{overflow-wrap:anywhere}#case-table th:nth-child(1){width:32%}
#case-table th:nth-child(2){width:8em}#case-table th:nth-child(3){width:4.5em}#case-table th:nth-child(4){width:3.5em}
a{color:#1a4f9c}.meta{margin:.2em 0;color:#444}
.pass,.supported{background:#d4efd4}.fail{background:#f4b4b4}.error,.timeout{background:#f6cf9c}
.skip,.missing{background:#e2e4f3}.xfail{background:#ece0f6}.xpass{background:#f3eaa6}.blocked{background:#f3ecc0}
.zero{color:#999;background:none}
.totals span{padding:.2em .6em;margin-right:.3em;border-radius:.3em}.div{border-left:4px solid #d66;padding-left:1em}
.filters{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid #ccc;padding:.4em 0;display:flex;flex-wrap:wrap;gap:.4em 1.2em;align-items:center}
.filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.3em}.filters legend{float:left;margin-right:.4em}
.filters label.pass,.filters label.fail,.filters label.skip,.filters label.error,.filters label.timeout,.filters label.xfail,.filters label.xpass{padding:.1em .4em;border-radius:.3em}
#shown{color:#444}tr.topic th{background:#e9edf3;font-size:15px}tr.case:target td{outline:2px solid #1a4f9c}
a.tap,a.man{font-size:12px}dl.rules dt{font-weight:bold;margin-top:.4em}dl.rules dt:target+dd,dl.rules dt:target{background:#fff6c8}
.hidden,.filters[hidden]{display:none}tr.case,tbody,dt{scroll-margin-top:6em}
<script>
// Filters of the cases: outcome (check boxes), topic, search (every word, in any order).
(function () {
	var form = document.getElementById('filters');
	if (!form) return;
	form.hidden = false;
	var boxes = form.querySelectorAll('input[name=status]');
	var topic = document.getElementById('topic'), search = document.getElementById('search');
	var bodies = document.querySelectorAll('#case-table tbody');
	var rows = document.querySelectorAll('#case-table tr.case');
	var shown = document.getElementById('shown');
	function apply() {
		var want = {}, n = 0;
		boxes.forEach(function (b) { want[b.value] = b.checked; });
		var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
		rows.forEach(function (r) {
			var text = r.textContent.toLowerCase() + ' ' + r.id.toLowerCase();
			var ok = want[r.dataset.status] && (!topic.value || r.dataset.topic === topic.value)
				&& words.every(function (w) { return text.indexOf(w) >= 0; });
			r.classList.toggle('hidden', !ok);
			if (ok) n++;
		});
		bodies.forEach(function (b) { b.classList.toggle('hidden', !b.querySelector('tr.case:not(.hidden)')); });
		shown.textContent = n + ' of ' + rows.length + ' cases';
	}
	function reset() {
		boxes.forEach(function (b) { b.checked = true; });
		topic.value = '';
		search.value = '';
		apply();
	}
	// A link to a case or topic the filters hide shows everything again, then goes there.
	function reveal() {
		var id = decodeURIComponent(location.hash.slice(1));
		var el = id && document.getElementById(id);
		if (el && el.closest('#case-table') && (el.classList.contains('hidden') || el.closest('tbody.hidden'))) {
			reset();
			el.scrollIntoView();
		}
	}
	form.addEventListener('input', apply);
	form.addEventListener('change', apply);
	document.getElementById('reset').addEventListener('click', reset);
	window.addEventListener('hashchange', reveal);
	apply();
})();
