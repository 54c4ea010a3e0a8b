package Sysconform::Compare;
# ./run.sh compare RUN RUN [RUN...]: N runs side by side (docs/DESIGN.md "Runner").
# A RUN is a run directory or its summary.json (schema sysconform-summary/1).
# Cases are matched by id and features by name, never by path, so runs from
# different machines compare. Prints the comparison and writes compare.md and a
# self-contained compare.html (environments as columns, topics as rows).
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname basename);
use File::Path qw(make_path);
use Getopt::Long qw(GetOptionsFromArray);
use POSIX qw(strftime);
use Sysconform::Report;
use Sysconform::Report::Console;
use Sysconform::Report::Html qw(html_escape css);
use Sysconform::Summary;
use Sysconform::Vocabulary qw(@STATUSES @BAD);

# Outcomes set in bold in compare.md: divergences, problems, stale expectations.
my $LOUD = join '|', @BAD, 'xpass';
# The outcome that colours a topic cell: the worst one among its cases.
my @WORST = qw(fail timeout error xpass skip xfail pass);
my %SHORT = (pass => 'p', fail => 'f', skip => 's', error => 'e', timeout => 't', xfail => 'xf', xpass => 'xp', absent => 'a');
my $WIDTH = 100;	# the console table fits in this many columns

sub usage_line { 'usage: ./run.sh compare [--out DIR] [-v] [--absent] RUN RUN [RUN...]  (RUN: a run directory or its summary.json)' }

sub bad { print STDERR "sysconform: compare: $_[0]\n"; return 2 }

sub main {
	my (@args) = @_;
	my %o;
	my $warn = '';
	my $ok = do {
		local $SIG{__WARN__} = sub { $warn ||= $_[0] };
		Getopt::Long::Configure(qw(no_ignore_case bundling permute));
		GetOptionsFromArray(\@args, 'out=s' => \$o{out}, 'v|verbose' => \$o{verbose},
			'absent' => \$o{absent}, 'h|help' => \$o{help});
	};
	return bad(($warn =~ s/\n.*//sr) . '; ' . usage_line()) unless $ok;
	if ($o{help}) { print usage_line(), "\n"; return 0 }
	return bad('needs at least two runs; ' . usage_line()) if @args < 2;
	my @runs;
	for my $a (@args) {
		my ($run, $err) = load_run($a);
		return bad($err) unless $run;
		push @runs, $run;
	}
	name_runs(@runs);
	my $c = compare(@runs);
	my $dir = $o{out} // tree() . '/results/compare-' . strftime('%Y%m%dT%H%M%SZ', gmtime);
	eval { make_path($dir) };
	return bad("cannot write to --out $dir: " . ($@ || $!) =~ s/\n.*//sr) unless -d $dir && -w $dir;
	$dir = abs_path($dir);
	my $ok_w = eval {
		write_markdown("$dir/compare.md", $c, %o);
		write_html("$dir/compare.html", $c, %o);
		1;
	};
	return bad($@ =~ s/\n.*//sr) unless $ok_w;
	console($c, %o, fh => \*STDOUT);
	print "\nWritten: $dir/ (compare.md, compare.html)\n";
	return 0;
}

sub tree { $ENV{SYSCONFORM_TREE} ? abs_path($ENV{SYSCONFORM_TREE}) : abs_path(dirname(__FILE__) . '/../../..') }

# (run, undef) or (undef, one-line reason)
sub load_run {
	my ($arg) = @_;
	my $path = -d $arg ? "$arg/summary.json" : $arg;
	return (undef, -d $arg ? "$arg: no summary.json in this directory" : "$arg: no such run directory or file")
		unless -f $path;
	my $s = eval { Sysconform::Summary::load($path) };
	return (undef, "$path: not a sysconform summary (" . ($@ =~ /^cannot read/ ? $@ =~ s/\n.*//sr : 'not valid JSON') . ')') unless $s;
	my ($bad) = Sysconform::Summary::validate($s, readable => 1);
	return (undef, "$path: not a sysconform summary ($bad)") if defined $bad;
	Sysconform::Summary::normalize($s);
	my (%cases, @order);
	for my $c (@{ $s->{cases} }) {
		next if $cases{ $c->{id} };	# the first result of a case id counts
		$cases{ $c->{id} } = $c;
		push @order, $c->{id};
	}
	my %feat = map { $_->{name} => $_ } grep { ref $_ eq 'HASH' && defined $_->{name} } @{ $s->{features} };
	my $label = $s->{run}{label};
	$label = basename(dirname(abs_path($path))) unless defined $label && length $label;
	return ({ s => $s, path => $path, label => $label, cases => \%cases, order => \@order, feat => \%feat });
}

# Column names: the labels; runs that share one are told apart by an index
# (vm#1, vm#2: the order they were given in; the run ids head the columns).
sub name_runs {
	my (@runs) = @_;
	my (%n, %i);
	$n{ $_->{label} }++ for @runs;
	for my $r (@runs) {
		$r->{name} = $r->{label};
		$r->{name} .= '#' . ++$i{ $r->{label} } if $n{ $r->{label} } > 1;
	}
	my %seen;	# a label that already ends in #N
	for my $r (@runs) { $r->{name} .= '#' . scalar(keys %seen) while $seen{ $r->{name} }; $seen{ $r->{name} } = 1 }
}

sub worst {
	my ($n) = @_;
	for (@WORST) { return $_ if $n->{$_} }
	for (sort keys %$n) { return $_ if $n->{$_} && $_ ne 'absent' }
	return 'absent';
}

sub compare {
	my (@runs) = @_;
	my (@ids, %seen, %topic);
	for my $r (@runs) {
		for (@{ $r->{order} }) {
			next if $seen{$_}++;
			push @ids, $_;
			$topic{$_} = $r->{cases}{$_}{topic};
		}
	}
	my (@differ, @absent, %by_topic, %counts);
	for my $id (@ids) {
		my @st = map { $_->{cases}{$id} ? $_->{cases}{$id}{status} : undef } @runs;
		my %distinct = map { $_ => 1 } grep { defined } @st;
		my $row = { id => $id, topic => $topic{$id}, statuses => \@st, differs => keys %distinct > 1 ? 1 : 0,
			    cases => [ map { $_->{cases}{$id} } @runs ], absent => scalar grep { !defined } @st };
		if ($row->{differs}) { push @differ, $row }
		elsif ($row->{absent}) { push @absent, $row }
		push @{ $by_topic{ $topic{$id} } }, $row;
		for my $i (0 .. $#runs) { $counts{ $topic{$id} }[$i]{ $st[$i] // 'absent' }++ }
	}
	my (@fnames, %fseen);
	for my $r (@runs) { for (@{ $r->{s}{features} }) { push @fnames, $_->{name} if defined $_->{name} && !$fseen{ $_->{name} }++ } }
	my @fdiff;
	for my $f (@fnames) {
		my @fs = map { $_->{feat}{$f} } @runs;
		my %d = map { ($_ ? $_->{status} // '?' : 'absent') => 1 } @fs;
		next unless keys %d > 1;
		my ($any) = grep { $_ } @fs;
		push @fdiff, { name => $f, since => $any->{since} // '', api => $any->{api} // '', features => \@fs };
	}
	for my $r (@runs) {
		my %n = map { $_ => 0 } qw(supported missing blocked);
		$n{ $_->{status} // '?' }++ for @{ $r->{s}{features} };
		$r->{feature_counts} = \%n;
		my %t = map { $_ => 0 } @STATUSES;
		$t{ $r->{cases}{$_}{status} }++ for @{ $r->{order} };
		$r->{totals} = \%t;
		$r->{absent} = @ids - @{ $r->{order} };
	}
	return { runs => \@runs, ids => \@ids, differ => \@differ, absent => \@absent, fdiff => \@fdiff,
		 features => scalar @fnames, topics => [ sort keys %by_topic ], by_topic => \%by_topic, counts => \%counts };
}

# The cases of a topic listed as differences: outcome differs, and with --absent
# also the cases that some runs do not have.
sub listed {
	my ($c, $o, $topic) = @_;
	return grep { $_->{differs} || ($o->{absent} && $_->{absent}) } @{ $c->{by_topic}{$topic} };
}

sub all_listed { my ($c, $o) = @_; return map { listed($c, $o, $_) } @{ $c->{topics} } }

sub counts_text {	# "60 pass 2 fail 11 skip", or "60p 2f 11s" when short
	my ($n, $short) = @_;
	my @k = ((grep { $n->{$_} } @STATUSES), (grep { my $k = $_; $n->{$k} && !grep { $_ eq $k } @STATUSES, 'absent' } sort keys %$n),
		 ($n->{absent} ? 'absent' : ()));
	return 'absent' if @k == 1 && $k[0] eq 'absent';
	return join ' ', map { $short ? "$n->{$_}" . ($SHORT{$_} // $_) : "$n->{$_} $_" } @k;
}

sub feature_text {	# "missing ENOSYS", or "-- ENOSYS" when short
	my ($f, $short) = @_;
	return 'absent' unless $f;
	my $st = $f->{status} // '?';
	$st = $Sysconform::Report::Console::FEATURE_MARK{$st} // $st if $short;
	return $st eq 'supported' || !length($f->{errno} // '') ? $st : "$st $f->{errno}";
}

sub system_text {
	my ($r) = @_;
	my $y = $r->{s}{system};
	my $ru = $r->{s}{run};
	my @w = (($ru->{wrap} ? "wrap '$ru->{wrap}'" : ()), ($ru->{preload} ? "preload $ru->{preload}" : ()));
	return (sprintf('kernel %s %s, %s, uid %s, container: %s', map { $_ // '?' } @$y{qw(kernel_release machine libc uid container)}),
		join('; ', 'run ' . ($ru->{id} // '?'), @w));
}

# --- console -----------------------------------------------------------------

sub _fit {	# shorten to $w columns
	my ($s, $w) = @_;
	return length $s <= $w ? $s : substr($s, 0, $w - 1) . '~';
}

sub widths {	# the widest cell of each column
	my (@rows) = @_;
	return map { my $i = $_; my $m = 0; for (@rows) { my $l = length($_->[$i] // ''); $m = $l if $l > $m } $m } 0 .. $#{ $rows[0] };
}

# Rows of cells in 100 columns: the first column is wrapped onto its own line
# when it is too long; the others are shortened to fit.
sub table {
	my ($fh, $head, @rows) = @_;
	my $n = @$head - 1;
	my @w = widths($head, @rows);
	my $total = sub { my $t = $_[0]; $t += $w[$_] + 2 for 1 .. $n; $t };
	my $w0 = $w[0];
	if ($total->($w0) > $WIDTH) {	# wrap the first column first, then shorten the widest
		$w0 = $WIDTH - ($total->(0));
		$w0 = ($w[0] < 24 ? $w[0] : 24) if $w0 < 24;
	}
	while ($total->($w0) > $WIDTH) {
		my ($i) = sort { $w[$b] <=> $w[$a] } 1 .. $n;
		last if $w[$i] <= 6;
		$w[$i]--;
	}
	for my $row ($head, @rows) {
		my $first = $row->[0] // '';
		if (length $first > $w0) {
			print $fh "$first\n";
			$first = '';
		}
		my $line = sprintf "%-${w0}s", $first;
		$line .= sprintf "  %-$w[$_]s", _fit($row->[$_] // '', $w[$_]) for 1 .. $n;
		print $fh $line =~ s/\s+$//r, "\n";
	}
}

sub console {
	my ($c, %o) = @_;
	my $fh = $o{fh};
	my @runs = @{ $c->{runs} };
	my @names = map { $_->{name} } @runs;
	print $fh 'Comparing ', scalar @runs, ' runs (', scalar @{ $c->{ids} }, " case ids, $c->{features} features):\n";
	my $nw = 0;
	for (@names) { $nw = length if length > $nw }
	$nw = 24 if $nw > 24;
	for my $r (@runs) {
		my ($sys, $run) = system_text($r);
		my $t = $r->{totals};
		my $f = $r->{feature_counts};
		printf $fh "  %-${nw}s  %s\n", $r->{name}, $sys;
		printf $fh "  %-${nw}s  %s\n", '', $run;
		printf $fh "  %-${nw}s  %d cases: %s; features: %d supported, %d missing, %d blocked\n", '',
			scalar @{ $r->{order} }, Sysconform::Report::totals_text($t),
			@$f{qw(supported missing blocked)};
	}
	my @fd = @{ $c->{fdiff} };
	print $fh "\nFeatures that differ: ", (@fd ? scalar(@fd) . " of $c->{features}" : 'none'), "\n";
	if (@fd) {
		my $text = sub { my ($short) = @_; map { my $f = $_; [ "  $f->{name}", map { feature_text($_, $short) } @{ $f->{features} } ] } @fd };
		my $long = 0;
		$long += $_ + 2 for widths([ '  feature', @names ], $text->(0));
		my $short = $long - 2 > $WIDTH;
		table($fh, [ '  feature', @names ], $text->($short));
		print $fh "  $Sysconform::Report::Console::FEATURE_LEGEND\n" if $short;
	}
	print $fh "\nTopics (cases per outcome; 'differ': cases whose outcome differs):\n";
	my @rows;
	for my $t (@{ $c->{topics} }) {
		push @rows, [ "  $t", (map { $c->{counts}{$t}[$_] } 0 .. $#runs), scalar listed($c, \%o, $t) ];
	}
	my %tot;
	for my $t (@{ $c->{topics} }) { for my $i (0 .. $#runs) { $tot{$i}{$_} += $c->{counts}{$t}[$i]{$_} for keys %{ $c->{counts}{$t}[$i] } } }
	push @rows, [ '  total', (map { $tot{$_} } 0 .. $#runs), scalar all_listed($c, \%o) ];
	my $text = sub { my ($short) = @_; map { my $r = $_; [ $r->[0], (map { counts_text($r->[$_], $short) } 1 .. @runs), $r->[-1] ] } @rows };
	my $long = 0;
	$long += $_ + 2 for widths([ '  topic', @names, 'differ' ], $text->(0));
	my $short = $long - 2 > $WIDTH;
	table($fh, [ '  topic', @names, 'differ' ], $text->($short));
	print $fh "  (p pass, f fail, s skip, e error, t timeout, xf xfail, xp xpass, a absent)\n" if $short;
	my @l = all_listed($c, \%o);
	print $fh "\nCases whose outcome differs: ", (@{ $c->{differ} } ? scalar @{ $c->{differ} } : 'none'),
		($o{absent} && @{ $c->{absent} } ? ' (and ' . scalar(@{ $c->{absent} }) . ' absent from some runs, listed with them)' : ''), "\n";
	if (@l) {
		if ($o{verbose}) {
			for my $row (@l) {
				print $fh "  $row->{id}\n";
				for my $i (0 .. $#runs) {
					my $k = $row->{cases}[$i];
					printf $fh "    %-${nw}s %s%s\n", $runs[$i]{name}, $k ? $k->{status} : 'absent',
						$k && length($k->{reason} // '') ? " ($k->{reason})" : '';
					print $fh map { "      | $_\n" } split /\n/, $k->{diagnostic} // '' if $k && $k->{status} ne 'pass';
				}
			}
		} else {
			table($fh, [ '  case', @names ], map { my $r = $_; [ "  $r->{id}", map { $_ // 'absent' } @{ $r->{statuses} } ] } @l);
			print $fh "  (-v: with each side's reason and diagnostic)\n";
		}
	}
	if (@{ $c->{absent} }) {
		print $fh "\nCases absent from some runs (same outcome where present", ($o{absent} ? '' : '; not counted as differences'), '): ',
			scalar @{ $c->{absent} }, "\n";
		for my $i (0 .. $#runs) {
			my @a = grep { !defined $_->{statuses}[$i] } @{ $c->{absent} };
			next unless @a;
			my %t;
			$t{ $_->{topic} }++ for @a;
			printf $fh "  %-${nw}s lacks %d: %s\n", $runs[$i]{name}, scalar @a, join(', ', map { "$_ $t{$_}" } sort keys %t);
		}
	}
}

# --- Markdown ----------------------------------------------------------------

sub _md { my $s = shift // ''; $s =~ s/\|/\\|/g; $s =~ s/\n/ /g; $s }

sub write_markdown {
	my ($path, $c, %o) = @_;
	my @runs = @{ $c->{runs} };
	my @names = map { _md($_->{name}) } @runs;
	my @o = ('# sysconform comparison: ' . join(' vs ', map { $_->{name} } @runs), '');
	my $row = sub { '| ' . join(' | ', @_) . ' |' };
	push @o, $row->('', @names), '|---' x (1 + @runs) . '|';
	my %sys = (kernel => 'kernel_release', machine => 'machine', container => 'container', libc => 'libc', uid => 'uid', os => 'os');
	for my $k (qw(kernel machine container libc uid os)) {
		push @o, $row->("**$k**", map { _md($_->{s}{system}{ $sys{$k} } // '?') } @runs);
	}
	push @o, $row->('**run**', map { '`' . _md($_->{s}{run}{id} // '?') . '`' } @runs);
	push @o, $row->('**wrap**', map { _md($_->{s}{run}{wrap} ? "`$_->{s}{run}{wrap}`" : '') } @runs);
	push @o, $row->('**preload**', map { _md($_->{s}{run}{preload} ? "`$_->{s}{run}{preload}`" : '') } @runs) if grep { $_->{s}{run}{preload} } @runs;
	push @o, $row->('**cases**', map { my $t = $_->{totals}; scalar(@{ $_->{order} }) . ': ' . join(' ', map { "$t->{$_} $_" } grep { $t->{$_} } @STATUSES) } @runs);
	push @o, $row->('**features**', map { my $f = $_->{feature_counts}; "$f->{supported} supported, $f->{missing} missing, $f->{blocked} blocked" } @runs);
	push @o, '', '## Topics', '', 'Cases per outcome; **differ**: cases whose outcome differs between the runs.', '';
	push @o, $row->('topic', @names, 'differ'), '|---' x (2 + @runs) . '|';
	for my $t (@{ $c->{topics} }) {
		my $d = listed($c, \%o, $t);
		push @o, $row->(($d ? "[$t](#topic-$t)" : $t),
			(map { my $txt = counts_text($c->{counts}{$t}[$_]); $txt =~ s/(\d+ (?:$LOUD))/**$1**/g; $txt } 0 .. $#runs), $d);
	}
	push @o, $row->('**total**', (map { my $r = $_; my %n = %{ $r->{totals} }; $n{absent} = $r->{absent}; counts_text(\%n) } @runs),
		scalar all_listed($c, \%o));
	push @o, '', '## Features that differ', '';
	if (@{ $c->{fdiff} }) {
		push @o, $row->('feature', 'since', @names), '|---' x (2 + @runs) . '|';
		push @o, $row->("`$_->{name}`", _md($_->{since}), map { _md(feature_text($_)) } @{ $_->{features} }) for @{ $c->{fdiff} };
	} else {
		push @o, "None (all $c->{features} features have the same status)."
	}
	my @l = all_listed($c, \%o);
	push @o, '', '## Cases whose outcome differs', '';
	push @o, 'None.' unless @l;
	for my $t (@{ $c->{topics} }) {
		my @tl = listed($c, \%o, $t);
		next unless @tl;
		push @o, "<a id=\"topic-$t\"></a>", '', "### $t (" . scalar(@tl) . ')', '';
		push @o, $row->('case', @names), '|---' x (1 + @runs) . '|';
		push @o, $row->('`' . _md($_->{id}) . '`', map { $_ ? ($_ =~ /^(?:$LOUD)$/ ? "**$_**" : $_) : 'absent' } @{ $_->{statuses} }) for @tl;
		push @o, '';
		for my $r (@tl) {
			push @o, "#### `$r->{id}`", '';
			for my $i (0 .. $#runs) {
				my $k = $r->{cases}[$i];
				push @o, "- **$runs[$i]{name}**: " . ($k ? $k->{status} . (length($k->{reason} // '') ? " ($k->{reason})" : '') : 'absent');
				push @o, '', '  ```', (map { "  $_" } split /\n/, $k->{diagnostic}), '  ```', ''
					if $k && $k->{status} ne 'pass' && length($k->{diagnostic} // '');
			}
			push @o, '';
		}
	}
	if (@{ $c->{absent} }) {
		push @o, '', '## Cases absent from some runs', '',
			scalar(@{ $c->{absent} }) . ' cases are missing from some runs (filters, another version of the suite) and have the same outcome where present'
			. ($o{absent} ? '; they are listed above.' : '; they are not counted as differences (`--absent` lists them).'), '';
		for my $i (0 .. $#runs) {
			my @a = grep { !defined $_->{statuses}[$i] } @{ $c->{absent} };
			next unless @a;
			my %t;
			$t{ $_->{topic} }++ for @a;
			push @o, "- **$runs[$i]{name}** lacks " . scalar(@a) . ': ' . join(', ', map { "$_ ($t{$_})" } sort keys %t);
		}
	}
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh join("\n", @o), "\n";
	close $fh or die "cannot write $path: $!\n";
}

# --- HTML --------------------------------------------------------------------

sub _cls { my $s = shift // 'absent'; $s =~ /^[a-z]+$/ ? $s : 'error' }
sub _id { my $s = shift; $s =~ s/[^A-Za-z0-9_.-]/_/g; $s }

sub write_html {
	my ($path, $c, %o) = @_;
	my @runs = @{ $c->{runs} };
	my $h = \&html_escape;
	my $title = 'sysconform comparison: ' . join(' vs ', map { $_->{name} } @runs);
	my @o = ('<!DOCTYPE html><html><head><meta charset="utf-8">', '<title>' . $h->($title) . '</title><style>' . css() . local_css() . '</style></head><body>');
	push @o, '<h1>' . $h->($title) . '</h1>';
	push @o, '<p>' . scalar(@{ $c->{ids} }) . ' case ids, ' . scalar(@{ $c->{differ} }) . ' with an outcome that differs'
		. (@{ $c->{absent} } ? ', ' . scalar(@{ $c->{absent} }) . ' <a href="#absent">absent from some runs</a>' : '')
		. "; $c->{features} features, " . scalar(@{ $c->{fdiff} }) . ' <a href="#features">with a status that differs</a>.'
		. ' Click a topic or a cell for its differing cases.</p>';
	# The matrix: each run's system block heads its column, a row per topic.
	my $head = '<tr><th class="corner">topic</th>';
	for my $r (@runs) {
		my $y = $r->{s}{system};
		my $ru = $r->{s}{run};
		my $f = $r->{feature_counts};
		my $t = $r->{totals};
		$head .= '<th class="run"><div class="name">' . $h->($r->{name}) . '</div><div class="sys">'
			. join('<br>', map { $h->($_) }
				sprintf('kernel %s (%s)|%s, uid %s|container: %s', map { $_ // '?' } @$y{qw(kernel_release machine libc uid container)}) =~ /([^|]+)/g,
				($ru->{wrap} ? "wrap: $ru->{wrap}" : ()), ($ru->{preload} ? "preload: $ru->{preload}" : ()),
				'run ' . ($ru->{id} // '?'), "features: $f->{supported} ok, $f->{missing} missing, $f->{blocked} blocked")
			. '</div></th>';
	}
	$head .= '<th>differ</th></tr>';
	push @o, '<h2>Topics</h2><table class="matrix">', $head;
	my %tot;
	for my $t (@{ $c->{topics} }) {
		my @tl = listed($c, \%o, $t);
		my $a = '#topic-' . _id($t);
		my $cells = '';
		for my $i (0 .. $#runs) {
			my $n = $c->{counts}{$t}[$i];
			$tot{$i}{$_} += $n->{$_} for keys %$n;
			$cells .= '<td class="cell ' . _cls(worst($n)) . '"><a href="' . $a . '">' . $h->(counts_text($n)) . '</a></td>';
		}
		push @o, '<tr' . (@tl ? ' class="differs"' : '') . '><th class="topic"><a href="' . $a . '">' . $h->($t) . "</a></th>$cells"
			. '<td class="n' . (@tl ? ' hot' : '') . '"><a href="' . $a . '">' . scalar(@tl) . '</a></td></tr>';
	}
	push @o, '<tr class="total"><th class="topic">total</th>'
		. join('', map { '<td class="cell ' . _cls(worst($tot{$_})) . '">' . $h->(counts_text($tot{$_} // {})) . '</td>' } 0 .. $#runs)
		. '<td class="n">' . scalar(all_listed($c, \%o)) . '</td></tr></table>';
	push @o, '<p class="legend">' . join(' ', map { "<span class=\"$_\">$_</span>" } @STATUSES, 'absent')
		. ' &nbsp;a cell has the colour of the worst outcome among its cases</p>';
	push @o, '<h2 id="features">Features that differ</h2>';
	if (@{ $c->{fdiff} }) {
		push @o, '<table><tr><th>feature</th><th>since</th><th>API</th>' . join('', map { '<th>' . $h->($_->{name}) . '</th>' } @runs) . '</tr>';
		for my $f (@{ $c->{fdiff} }) {
			push @o, '<tr><td>' . $h->($f->{name}) . '</td><td>' . $h->($f->{since}) . '</td><td>' . $h->($f->{api}) . '</td>'
				. join('', map { '<td class="' . _cls($_ ? $_->{status} : 'absent') . '">' . $h->(feature_text($_)) . '</td>' } @{ $f->{features} }) . '</tr>';
		}
		push @o, '</table>';
	} else {
		push @o, "<p>None: all $c->{features} features have the same status.</p>";
	}
	push @o, '<h2>Cases whose outcome differs</h2>';
	for my $t (@{ $c->{topics} }) {
		my @tl = listed($c, \%o, $t);
		push @o, '<div class="topicsec" id="topic-' . _id($t) . '"><h3>' . $h->($t) . ' <small>(' . (@tl ? scalar(@tl) . ' differ' : 'no differences')
			. ' of ' . scalar(@{ $c->{by_topic}{$t} }) . ')</small></h3>';
		if (@tl) {
			push @o, '<table class="cases"><tr><th class="idh">case</th>' . join('', map { '<th>' . $h->($_->{name}) . '</th>' } @runs) . '</tr>';
			for my $r (@tl) {
				my ($any) = grep { $_ } @{ $r->{cases} };
				my $cells = '';
				for my $k (@{ $r->{cases} }) {
					my $st = $k ? $k->{status} : 'absent';
					$cells .= '<td class="side"><span class="st ' . _cls($st) . '">' . $h->($st) . '</span>'
						. ($k && length($k->{reason} // '') ? ' ' . $h->($k->{reason}) : '')
						. ($k && $st ne 'pass' && length($k->{diagnostic} // '') ? '<pre>' . $h->($k->{diagnostic}) . '</pre>' : '') . '</td>';
				}
				push @o, '<tr><td class="id">' . $h->($r->{id} =~ s{^\Q$t\E/}{}r)
					. (@{ $any->{rules} || [] } ? '<div class="rules">' . $h->(join ' ', @{ $any->{rules} }) . '</div>' : '') . "</td>$cells</tr>";
			}
			push @o, '</table>';
		}
		push @o, '</div>';
	}
	if (@{ $c->{absent} }) {
		push @o, '<h2 id="absent">Cases absent from some runs</h2><p>' . scalar(@{ $c->{absent} })
			. ' cases are missing from some runs (filters, another version of the suite) and have the same outcome where present'
			. ($o{absent} ? '; they are listed with the differences above.' : '; they are not counted as differences.') . '</p><ul>';
		for my $i (0 .. $#runs) {
			my @a = grep { !defined $_->{statuses}[$i] } @{ $c->{absent} };
			next unless @a;
			push @o, '<li><details><summary>' . $h->($runs[$i]{name}) . ' lacks ' . scalar(@a) . '</summary><pre>'
				. $h->(join "\n", map { $_->{id} } @a) . '</pre></details></li>';
		}
		push @o, '</ul>';
	}
	push @o, '</body></html>';
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh join("\n", @o), "\n";
	close $fh or die "cannot write $path: $!\n";
}

sub local_css { <<'EOF' }
.absent{background:#eee;color:#777}a{color:inherit}
.matrix th.run{vertical-align:top;min-width:13em}.matrix .name{font-size:15px}.matrix .sys{font-weight:normal;font-size:12px;color:#555}
.matrix td,.matrix th.topic{vertical-align:middle}.matrix td.cell{padding:0}.matrix td a,.matrix th.topic a{display:block;padding:.35em .6em;text-decoration:none}
.matrix th.topic{background:#fafafa}.matrix tr.differs th.topic{border-left:4px solid #d66}.matrix td.n{text-align:right}
.matrix td.hot{font-weight:bold;color:#b00}.matrix tr.total td,.matrix tr.total th{border-top:2px solid #999;padding:.35em .6em}
.legend span,.st{padding:.1em .5em;border-radius:.3em;margin-right:.2em}.legend{font-size:12px;color:#555}
body{max-width:110em}.cases{width:100%;table-layout:fixed}.cases th.idh{width:30%}.cases pre{overflow-wrap:anywhere}
.cases td.id{font-family:monospace;font-size:12px;overflow-wrap:anywhere}
.rules{color:#777;font-size:11px}.topicsec:target h3{background:#fff3b0}h3 small{font-weight:normal;color:#666}
EOF

1;
