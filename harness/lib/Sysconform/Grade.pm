package Sysconform::Grade;
# ./run.sh grade [--weights FILE] [--out DIR] [--per-case] RUN_DIR (docs/DESIGN.md "Grading").
# Scores a finished run (its summary.json) per topic:
#   topic score = sum of the weights of its passed cases / sum of the weights of its
#                 checked cases x the topic's weight; the total is the sum over topics.
# checked: pass, xpass (passed); fail, error, timeout, xfail (failed; an xfail is a
# divergence that an expectation list excuses for an environment, not for a
# submission). A skip is not checked, unless the weights file requires its feature
# (`require feature NAME`) or the case (`require case GLOB`): then it is failed.
# Writes grade.json and a Gradescope results.json; prints a table. Exit 0 when graded,
# 2 (one line on stderr) for a bad weights file, a missing or broken summary.json, or
# an unwritable --out. It never dies with a stack trace: everything runs in an eval.
use strict;
use warnings;
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Path qw(make_path);
use Getopt::Long qw(GetOptionsFromArray :config no_ignore_case bundling);
use Encode ();
use JSON::PP;
use Sysconform::Catalog;
use Sysconform::Summary;
use Sysconform::Vocabulary qw(@BAD skip_reason);

my $ROOT = abs_path(dirname(__FILE__) . '/../../..');
our $DEFAULT_WEIGHTS = "$ROOT/fixtures/grading/default.weights";

my %PASSED = (pass => 1, xpass => 1);
my %FAILED = map { $_ => 1 } @BAD, 'xfail';

sub _num { my ($s) = @_; defined $s && $s =~ /^(?:\d+(?:\.\d*)?|\.\d+)$/ }

# Parse a weights file: (\%weights, undef) or (undef, "FILE:LINE: why").
#   topic NAME|GLOB WEIGHT     a topic's weight (default 1; 0: the topic is not graded)
#   case GLOB WEIGHT           weight of the cases matching GLOB within their topic (default 1)
#   require feature NAME|GLOB  a skip for that feature (missing or blocked) is a fail
#   require case GLOB          a skip of a matching case (any reason) is a fail
# The last matching line wins. '#' starts a comment.
sub parse_weights {
	my ($path) = @_;
	my $fh;
	open $fh, '<', $path or return (undef, "$path: cannot read the weights file: $!");
	my %w = (file => $path, topics => [], cases => [], require_features => [], require_cases => []);
	my $n = 0;
	while (my $line = <$fh>) {
		$n++;
		$line =~ s/#.*//;
		$line =~ s/^\s+|\s+$//g;
		next unless length $line;
		my @f = split /\s+/, $line;
		my $bad = sub { return (undef, clean("$path:$n: $_[0]", 200) . ": '" . clean($line, 80) . "'") };
		if ($f[0] eq 'topic') {
			return $bad->('expected "topic NAME WEIGHT"') unless @f == 3;
			return $bad->("weight '$f[2]' is not a number >= 0") unless _num($f[2]);
			return $bad->("'$f[1]' is not a topic name or glob") unless $f[1] =~ /^[\w*?.-]+$/;
			push @{ $w{topics} }, [ $f[1], 0 + $f[2] ];
		} elsif ($f[0] eq 'case') {
			return $bad->('expected "case GLOB WEIGHT"') unless @f == 3;
			return $bad->("weight '$f[2]' is not a number >= 0") unless _num($f[2]);
			push @{ $w{cases} }, [ $f[1], 0 + $f[2] ];
		} elsif ($f[0] eq 'require') {
			return $bad->('expected "require feature NAME" or "require case GLOB"')
				unless @f == 3 && ($f[1] eq 'feature' || $f[1] eq 'case');
			push @{ $w{ $f[1] eq 'feature' ? 'require_features' : 'require_cases' } }, $f[2];
		} else {
			return $bad->("unknown keyword '$f[0]' (topic, case, require)");
		}
	}
	close $fh;
	return (\%w, undef);
}

sub topic_weight {
	my ($w, $topic) = @_;
	my $r = 1;
	for my $t (@{ $w->{topics} }) { $r = $t->[1] if $topic =~ Sysconform::Catalog::glob_re($t->[0]) }
	return $r;
}

sub case_weight {
	my ($w, $c) = @_;
	my $r = 1;
	for my $e (@{ $w->{cases} }) { $r = $e->[1] if Sysconform::Catalog::case_matches($c, $e->[0]) }
	return $r;
}

# The feature a skip reason names ("feature NAME missing: ERRNO", "... blocked: ...").
sub skip_feature { my $r = skip_reason($_[0]); $r && $r->{feature} }

sub required_skip {
	my ($w, $c) = @_;
	if (defined(my $f = skip_feature($c->{reason}))) {
		return "required feature $f" if grep { $f =~ Sysconform::Catalog::glob_re($_) } @{ $w->{require_features} };
	}
	return 'required case' if grep { Sysconform::Catalog::case_matches($c, $_) } @{ $w->{require_cases} };
	return undef;
}

# Scores are given to 4 decimals, in integer units of 0.0001 underneath, apportioned so
# that the parts add up exactly to the whole: the topics to the total, and (--per-case)
# the cases to their topic.
my $UNIT = 10000;
sub _units { int($_[0] * $UNIT + 0.5) }
sub _score { 0 + sprintf '%.4f', $_[0] / $UNIT }

# Largest remainder: whole units, each within one unit of its RAW amount (in units),
# that add up to TOTAL.
sub apportion {
	my ($total, @raw) = @_;
	my @u = map { int($_ + 1e-9) } @raw;
	my $left = $total;
	$left -= $_ for @u;
	my @by = sort { ($raw[$b] - $u[$b]) <=> ($raw[$a] - $u[$a]) || $a <=> $b } 0 .. $#raw;
	for (my $i = 0; $left != 0 && @by; $i = ($i + 1) % @by) {
		my $k = $left > 0 ? $by[$i] : $by[-1 - $i];
		next if $left < 0 && $u[$k] == 0;
		$u[$k] += $left > 0 ? 1 : -1;
		$left += $left > 0 ? -1 : 1;
	}
	return @u;
}

# Score a summary with weights: the grade hash (what grade.json holds).
sub grade {
	my ($s, $w) = @_;
	my (%t, @cases, @order);
	for my $c (@{ $s->{cases} }) {
		my %c = (%$c, file => $c->{file} // (($c->{id} =~ m{^[^/]*/([^:]*)})[0] // ''));
		my $topic = $c{topic};
		unless ($t{$topic}) {
			push @order, $topic;
			$t{$topic} = { topic => $topic, weight => topic_weight($w, $topic), passed => 0, checked => 0,
				       failed => 0, skipped => 0, passed_weight => 0, checked_weight => 0, failures => [] };
		}
		my $T = $t{$topic};
		my $cw = case_weight($w, \%c);
		my $st = $c{status};
		my ($counted, $why);
		if ($PASSED{$st}) {
			$counted = 'passed';
		} elsif ($FAILED{$st}) {
			$counted = 'failed';
		} elsif ($st eq 'skip') {
			$why = required_skip($w, \%c);
			$counted = $why ? 'failed' : 'not counted';
		} else {
			($counted, $why) = ('failed', "unknown status '$st'");
		}
		$counted = 'not counted' if $cw == 0 || $T->{weight} == 0;
		my $e = { id => $c{id}, topic => $topic, status => $st, weight => $cw, counted => $counted };
		$e->{why} = $why if $why;
		push @cases, $e;
		if ($counted eq 'passed') {
			$T->{passed}++; $T->{checked}++;
			$T->{passed_weight} += $cw; $T->{checked_weight} += $cw;
		} elsif ($counted eq 'failed') {
			$T->{failed}++; $T->{checked}++;
			$T->{checked_weight} += $cw;
			push @{ $T->{failures} }, { %c, why => $why };
		} elsif ($st eq 'skip') {
			$T->{skipped}++;
		}
	}
	my @topics = map { $t{$_} } sort @order;
	for my $T (@topics) {
		if ($T->{weight} == 0) {
			$T->{graded} = JSON::PP::false;
			$T->{note} = 'weight 0: not graded';
		} elsif ($T->{checked_weight} == 0) {
			$T->{graded} = JSON::PP::false;
			$T->{note} = 'nothing checked (every case skipped or weight 0): not graded';
		} else {
			$T->{graded} = JSON::PP::true;
		}
		# in units: the maximum is the weight; the score its passed share
		$T->{max_units} = $T->{graded} ? _units($T->{weight}) : 0;
		$T->{raw_units} = $T->{graded} ? $T->{max_units} * $T->{passed_weight} / $T->{checked_weight} : 0;
	}
	my ($score, $max) = (0, 0);
	$score += $_->{raw_units} for @topics;
	$score = int($score + 0.5);
	my @units = apportion($score, map { $_->{raw_units} } @topics);
	for my $i (0 .. $#topics) {
		my $T = $topics[$i];
		$T->{score_units} = $units[$i];
		$max += $T->{max_units};
		@$T{qw(score max_score)} = (_score($units[$i]), _score($T->{max_units}));
	}
	my $failures = { map { $_->{topic} => delete $_->{failures} } @topics };
	my $units = { map { $_->{topic} => { max => delete $_->{max_units}, score => delete $_->{score_units} } } @topics };
	delete $_->{raw_units} for @topics;
	return {
		schema => 'sysconform-grade/1',
		run => { map { $_ => $s->{run}{$_} // '' } qw(id label preload wrap started) },
		weights => $w,
		score => _score($score), max_score => _score($max),
		percent => $max ? 0 + sprintf('%.4f', 100 * $score / $max) : 0,
		topics => \@topics, cases => \@cases,
		_failures => $failures, _units => $units,
	};
}

# Printable, valid text of at most MAX characters (a submission may print garbage).
sub clean {
	my ($s, $max) = @_;
	$s //= '';
	if ($s !~ /[^\x00-\xff]/) {	# bytes (as read_json gives them): decode them as UTF-8
		my $d = eval { Encode::decode('UTF-8', $s, Encode::FB_DEFAULT()) };
		$s = $d if defined $d;
	}
	$s =~ s/\r\n?/\n/g;
	$s =~ s/[^\n\t\x20-\x7e\x{a0}-\x{d7ff}\x{e000}-\x{fffd}]/?/g;
	$s = substr($s, 0, $max - 3) . '...' if defined $max && length $s > $max;
	return $s;
}

# What a failed case says: its status, rules, reason and the first lines of its diagnostic.
sub failure_text {
	my ($c) = @_;
	my @l = (sprintf '%s %s%s', uc $c->{status}, clean($c->{id}),
		 ref $c->{rules} eq 'ARRAY' && @{ $c->{rules} } ? ' [' . join(' ', @{ $c->{rules} }) . ']' : '');
	$l[0] .= " ($c->{why})" if $c->{why};
	push @l, '    reason: ' . clean($c->{reason}, 200) if length($c->{reason} // '');
	my @d = grep { length } split /\n/, clean($c->{diagnostic}, 2000);
	push @l, map { '    | ' . clean($_, 200) } @d[0 .. ($#d < 5 ? $#d : 5)];
	push @l, '    | ... (' . (@d - 6) . ' more lines)' if @d > 6;
	return join "\n", @l;
}

sub _failures_output {
	my ($fails, $limit) = @_;
	my @f = @$fails;
	my @o = map { failure_text($_) } @f[0 .. ($#f < $limit - 1 ? $#f : $limit - 1)];
	push @o, '... and ' . (@f - $limit) . ' more failed cases (see grade.json)' if @f > $limit;
	return join "\n", @o;
}

sub _fmt { my $x = sprintf '%.2f', $_[0]; $x }

# Gradescope's results.json: one test per topic (or per case with PER_CASE).
sub gradescope {
	my ($g, %o) = @_;
	my $f = $g->{_failures};
	my @tests;
	if ($o{per_case}) {
		my %byid;
		for my $t (keys %$f) { $byid{ $_->{id} } = $_ for @{ $f->{$t} } }
		my %T = map { $_->{topic} => $_ } @{ $g->{topics} };
		# Per topic, its score goes to its passed cases and the rest of its maximum to
		# its failed ones, in proportion to their weights: the cases add up exactly.
		my (%cases, %share);
		for my $c (@{ $g->{cases} }) {
			push @{ $cases{ $c->{topic} }{ $c->{counted} } }, $c
				if $c->{counted} ne 'not counted' && $T{ $c->{topic} }{graded};
		}
		for my $topic (keys %cases) {
			my ($T, $u) = ($T{$topic}, $g->{_units}{$topic});
			for my $k ([ passed => $u->{score} ], [ failed => $u->{max} - $u->{score} ]) {
				my @c = @{ $cases{$topic}{ $k->[0] } || [] };
				my @s = apportion($k->[1], map { $u->{max} * $_->{weight} / $T->{checked_weight} } @c);
				$share{ $c[$_] } = $s[$_] for 0 .. $#c;	# by reference: ids may repeat
			}
		}
		for my $c (grep { defined $share{$_} } @{ $g->{cases} }) {
			my $ok = $c->{counted} eq 'passed';
			push @tests, { name => $c->{id}, score => $ok ? _score($share{$c}) : 0,
				       max_score => _score($share{$c}), status => $ok ? 'passed' : 'failed',
				       output => $ok ? '' : clean(failure_text($byid{ $c->{id} } // $c), 4000) };
		}
	} else {
		for my $T (@{ $g->{topics} }) {
			next unless $T->{graded};
			my $head = sprintf '%d/%d checked cases passed, %d skipped (not counted)%s',
				$T->{passed}, $T->{checked}, $T->{skipped},
				$T->{passed_weight} != $T->{passed} || $T->{checked_weight} != $T->{checked}
				? sprintf(', weighted %g/%g', $T->{passed_weight}, $T->{checked_weight}) : '';
			my $fl = $f->{ $T->{topic} };
			push @tests, { name => $T->{topic}, score => $T->{score}, max_score => $T->{max_score},
				       status => @$fl ? 'failed' : 'passed',
				       output => clean($head . (@$fl ? "\nFailed:\n" . _failures_output($fl, 20) : ''), 8000) };
		}
	}
	my @notes = map { "$_->{topic}: $_->{note}" } grep { !$_->{graded} } @{ $g->{topics} };
	return {
		score => $g->{score}, max_score => $g->{max_score},
		output => clean(sprintf('sysconform: %s/%s (%s%%)%s', _fmt($g->{score}), _fmt($g->{max_score}),
			sprintf('%.1f', $g->{percent}), join('', map { "\n$_" } @notes)), 4000),
		tests => \@tests,
	};
}

sub print_table {
	my ($g, $fh) = @_;
	printf $fh "%-12s %9s %7s %7s %15s\n", 'topic', 'passed', 'checked', 'skipped', 'score';
	for my $T (@{ $g->{topics} }) {
		printf $fh "%-12s %9d %7d %7d %15s%s\n", $T->{topic}, $T->{passed}, $T->{checked}, $T->{skipped},
			$T->{graded} ? _fmt($T->{score}) . ' / ' . _fmt($T->{max_score}) : '-',
			$T->{graded} ? '' : "  ($T->{note})";
	}
	printf $fh "%-12s %9s %7s %7s %15s  (%.1f%%)\n", 'total', '', '', '',
		_fmt($g->{score}) . ' / ' . _fmt($g->{max_score}), $g->{percent};
	my @f = map { @{ $g->{_failures}{ $_->{topic} } } } grep { $_->{graded} } @{ $g->{topics} };
	if (@f) {
		print $fh "\nFailed cases:\n";
		print $fh map { "  $_\n" } split /\n/, Encode::encode('UTF-8', _failures_output(\@f, 30));
	}
}

# The topics of TREE's tests/ that the weights W grade (weight > 0): what the
# Gradescope bundle builds and runs (harness/gradescope/).
sub graded_topics {
	my ($w, $tree) = @_;
	opendir my $dh, "$tree/tests" or die "cannot read $tree/tests: $!\n";
	my @t = sort grep { !/^\./ && -d "$tree/tests/$_" } readdir $dh;
	closedir $dh;
	return grep { topic_weight($w, $_) > 0 } @t;
}

# Gradescope's results.json when there is nothing to grade (the submission did not
# build, or the suite could not run with it): score 0, under the test NAME, with WHY
# and the last lines of the file LOG if given.
sub failure_results {
	my ($name, $why, $log) = @_;
	my $tail = '';
	if (defined $log && open my $fh, '<:raw', $log) {
		seek $fh, -16384, 2;	# a log may be huge: its end is what tells
		$tail = do { local $/; <$fh> } // '';
		close $fh;
		my @l = split /\n/, $tail;
		$tail = @l ? join("\n", '', '', @l[($#l > 29 ? $#l - 29 : 0) .. $#l]) : '';
	}
	my $text = clean($why . $tail, 8000);
	return { score => 0, max_score => 0, output => $text,
		 tests => [ { name => $name, score => 0, max_score => 0, status => 'failed', output => $text } ] };
}

# ASCII JSON (\uXXXX escapes), so that garbage from a submission cannot make it invalid.
sub write_json {
	my ($path, $data) = @_;
	open my $fh, '>', $path or die "cannot write $path: $!\n";
	print $fh JSON::PP->new->ascii->canonical->pretty->encode($data);
	close $fh or die "cannot write $path: $!\n";
}

sub _usage {	# WHY: what was wrong with the command line
	my ($why) = @_;
	print STDERR "sysconform: grade: $why\n" if $why;
	print STDERR "usage: ./run.sh grade [--weights FILE] [--out DIR] [--per-case] RUN_DIR\n";
	return 2;
}

sub main {
	my (@args) = @_;
	my $rc = eval { _main(@args) };
	return $rc if defined $rc;
	my $err = $@ || 'unknown error';
	$err = Sysconform::Vocabulary::perl_message($err =~ s/\n.*//sr);
	print STDERR "sysconform: grade: ", Encode::encode('UTF-8', $err), "\n";
	return 2;
}

sub _main {
	my (@args) = @_;
	my %o = (weights => $DEFAULT_WEIGHTS);
	my $bad;	# Getopt's own complaint ("Unknown option: bogus"), said with the usage
	local $SIG{__WARN__} = sub { $bad //= $_[0] =~ s/\s+\z//r };
	GetOptionsFromArray(\@args, 'weights=s' => \$o{weights}, 'out=s' => \$o{out},
		'per-case' => \$o{per_case}, 'h|help' => \$o{help}) or return _usage(lcfirst $bad);
	if ($o{help}) { print "usage: ./run.sh grade [--weights FILE] [--out DIR] [--per-case] RUN_DIR\n"; return 0 }
	return _usage(@args ? 'one run directory, not ' . scalar(@args) : 'which run? (a results directory)') unless @args == 1;
	my $dir = $args[0];
	my ($w, $err) = parse_weights($o{weights});
	die "$err\n" unless $w;
	die "$dir: no such run directory\n" unless -d $dir;
	my $path = "$dir/summary.json";
	die "$path: no such file (the run did not finish, or $dir is not a run directory)\n" unless -f $path;
	my $s = eval { Sysconform::Summary::load($path) };
	unless ($s) {
		my $e = ($@ || 'empty') =~ s/\n.*//sr;
		$e =~ s/, at character offset.*//;
		die "$path is not valid JSON ($e)\n";
	}
	if (defined(my $bad = (Sysconform::Summary::validate($s, readable => 1))[0])) { die "$path cannot be graded: $bad\n" }
	die "$path has no cases: nothing to grade\n" unless @{ $s->{cases} };
	Sysconform::Summary::normalize($s);
	my $g = grade($s, $w);
	my $out = $o{out} // $dir;
	eval { make_path($out) } unless -d $out;
	die "--out $out: not a writable directory\n" unless -d $out && -w $out;
	my $gs = gradescope($g, per_case => $o{per_case});
	my %json = %$g;
	delete @json{qw(_failures _units)};
	$json{summary} = abs_path($path);
	$json{tests_per} = $o{per_case} ? 'case' : 'topic';
	write_json("$out/grade.json", \%json);
	write_json("$out/results.json", $gs);
	print "sysconform grade: run $g->{run}{id}", ($g->{run}{label} ? " ($g->{run}{label})" : ''),
		($g->{run}{preload} ? ", preload $g->{run}{preload}" : ''), ($g->{run}{wrap} ? ", wrap '$g->{run}{wrap}'" : ''),
		"; weights $w->{file}\n\n";
	print_table($g, \*STDOUT);
	print "\nGrade: ", abs_path($out), "/ (grade.json, results.json)\n";
	return 0;
}

1;
