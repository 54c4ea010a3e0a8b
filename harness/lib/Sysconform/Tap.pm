package Sysconform::Tap;
# Turns the merged stdout+stderr of one kselftest-harness program into case results.
# It reads the 6.1 dialect (a skip line carries no case name: the name comes from the
# preceding "#  RUN" line) and newer ones ("ok 2 global.foo # SKIP reason", XFAIL).
# Outcomes: pass, fail, skip, error (the test's setup failed: "setup error:" in its
# diagnostic, or the program died before reporting the case), timeout.
use strict;
use warnings;
use Sysconform::Vocabulary qw($SC_RUN_NOTE $LEFT_BEHIND $SETUP_ERROR $SC_FS $SC_CANARY);

sub new {
	my ($class, %a) = @_;
	my $self = bless { cases => [], current => undef, plan => undef,
			   plan_skip => undef, raw => '', sc_run => [], t0 => $a{start} // 0 }, $class;
	$self->_new_diag;
	return $self;
}

# What is kept of one case's diagnostic, at most: the first $MAX_DIAG characters, and
# a line that says how many more lines there were (what the outcome depends on, a
# timeout or a setup error, is looked for in every line). And of the cases the
# program reports that its source does not declare, the first $MAX_UNKNOWN (a program
# printing garbage may "report" thousands), then one that counts the rest.
our $MAX_DIAG = 64 * 1024;
our $MAX_UNKNOWN = 20;
our $MAX_CASES = 10_000;	# results kept at all (the rest are counted with the unknown)
our $MAX_NOTES = 10;	# and of its notes ("# sc-run: ..."), the last one always

sub _short { my $n = shift; $n =~ s/^global\.//; $n }

# Feed one line (without newline) that arrived at time T (seconds).
sub line {
	my ($self, $text, $t) = @_;
	$t //= 0;
	return unless length $text;	# (blank lines say nothing; the reader gives them while it cuts)
	$self->{raw} .= "$text\n";
	if ($text =~ /^#\s+RUN\s+(\S+) \.\.\.\s*$/) {
		$self->{current} = { name => _short($1), start => $t };
		$self->_new_diag;
	} elsif ($text =~ /^#\s+(OK|FAIL|SKIP|XFAIL|XPASS)\s+\S/ && $self->{current}) {
		# the harness's own verdict line, and (6.1) "#      SKIP      reason"
	} elsif ($text =~ /^(not )?ok (\d+)\s*(.*?)\s*$/) {
		$self->_result(!defined $1, $3, $t);
	} elsif ($text =~ /^1\.\.(\d+)(?:\s+#\s*SKIP\s*(.*))?/i) {
		$self->{plan} = $1;
		$self->{plan_skip} = $2 // 'skipped' if $1 == 0;
	} elsif ($text =~ $SC_FS && $self->{current}) {
		$self->{current}{fs} = $1;
	} elsif ($text =~ $SC_RUN_NOTE) {
		my $n = $self->{sc_run};	# past $MAX_NOTES, the last one (sc-run's own comes last)
		$self->{notes_cut}++ if @$n >= $MAX_NOTES;
		$n->[ @$n < $MAX_NOTES ? @$n : $#$n ] = $1;
	} elsif ($text =~ /^TAP version|^# (Starting \d+ tests|PASSED:|FAILED:|Totals:)/) {
	} elsif ($self->{current}) {
		my $d = $text;
		$d =~ s/^#\s?//;
		$self->_diag($d) if length $d && $d !~ /: Test failed at step #\d+$/;
	}
}

sub _new_diag { $_[0]{diag} = []; $_[0]{diag_len} = 0; $_[0]{diag_cut} = 0; $_[0]{diag_is} = {} }

sub _diag {
	my ($self, $d) = @_;
	my $is = $self->{diag_is};
	$is->{timeout} = 1 if $d =~ /Test terminated by timeout/;
	$is->{setup} //= $1 if $d =~ $SETUP_ERROR;
	$is->{setup} //= 'the harness could not fork the test' if $d =~ /ERROR SPAWNING TEST (GRAND)?CHILD/;
	$is->{check_failed} = 1 if $d =~ /^[^\s:]+:\d+:[^\s:]+:Expected /;	# an EXPECT_ or ASSERT_ that failed
	if (($self->{diag_len} += length $d) > $MAX_DIAG) { $self->{diag_cut}++ } else { push @{ $self->{diag} }, $d }
}

sub _diag_text {
	my ($self) = @_;
	return join "\n", @{ $self->{diag} }, $self->{diag_cut} ? "[... $self->{diag_cut} more lines cut]" : ();
}

sub _result {
	my ($self, $ok, $rest, $t) = @_;
	my ($name, $directive, $reason) = ('', '', '');
	if ($rest =~ /^(.*?)\s*#\s*(SKIP|TODO|XFAIL|XPASS)\b\s*(.*)$/i) {
		($name, $directive, $reason) = ($1, uc $2, $3);
	} else {
		$name = $rest;
	}
	my $cur = $self->{current};
	if (@{ $self->{cases} } >= $MAX_CASES) {
		$self->{cases_cut}++;
		$self->{current} = undef;
		return $self->_new_diag;
	}
	$name = _short($name) if length $name;
	$name = $cur->{name} if !length $name && $cur;
	$name = "case " . (scalar(@{ $self->{cases} }) + 1) unless length $name;
	my $is = $self->{diag_is} || {};
	my $status;
	if ($directive eq 'SKIP') { $status = 'skip' }
	elsif ($directive eq 'XFAIL') { $status = 'xfail' }
	elsif ($directive eq 'XPASS') { $status = 'xpass' }
	elsif ($ok && ($is->{check_failed} || defined $is->{setup})) {
		# The harness (6.9 and later) learns a case's failure through memory it shares with
		# the case's process (MAP_SHARED|MAP_ANONYMOUS): an environment or library that
		# breaks such mappings makes it say "ok" after a check failed. The log says fail.
		$status = defined $is->{setup} ? 'error' : 'fail';
		$reason = 'reported ok after a failed check: the harness lost the verdict (is MAP_SHARED memory shared?)';
	}
	elsif ($ok) { $status = 'pass' }
	elsif ($is->{timeout}) { $status = 'timeout' }
	elsif (defined $is->{setup}) { $status = 'error'; $reason = $is->{setup} }
	else { $status = 'fail' }
	push @{ $self->{cases} }, {
		name => $name, status => $status, reason => $reason,
		diagnostic => $self->_diag_text,
		duration_ms => $cur ? int(1000 * ($t - $cur->{start}) + 0.5) : 0,
		$cur && $cur->{fs} ? (fs => $cur->{fs}) : (),
	};
	$self->{current} = undef;
	$self->_new_diag;
}

# After the program ended with EXIT (its sc-run exit code): results for every
# expected case name, in the order given; cases never reported become error
# (or timeout), with what happened to the program as the reason; a case reported more
# than once becomes error.
sub finish {
	my ($self, %a) = @_;
	my $exit = $a{exit} // 0;
	my (%got, %times);
	for my $c (@{ $self->{cases} }) { $got{ $c->{name} } = $c; $times{ $c->{name} }++ }
	# A case reported more than once: lines forged by what runs inside the program (an
	# LD_PRELOAD submission printing "ok" for its failed cases), or garbled output.
	$got{$_} = { %{ $got{$_} }, status => 'error', reason => "reported $times{$_} times: forged or garbled output" }
		for grep { $times{$_} > 1 } keys %times;
	my $why = $exit == 124 ? 'timeout' : 'error';
	my ($note) = grep { $_ !~ $LEFT_BEHIND } @{ $self->{sc_run} };
	my $end = $note // ($exit == 0 ? 'program ended without reporting it' :
			     "program exited $exit before reporting it");
	if (my $cur = $self->{current}) {	# the case that was running when it ended
		$got{ $cur->{name} } //= { name => $cur->{name}, status => $why,
			reason => $end, diagnostic => $self->_diag_text,
			duration_ms => $a{end} ? int(1000 * ($a{end} - $cur->{start}) + 0.5) : 0 };
	}
	# The harness's own check (harness/sysconform.h): a skip that reads "ok" means the
	# harness cannot carry verdicts here, so no "ok" of this program is to be trusted.
	if (my $canary = delete $got{$SC_CANARY}) {
		if ($canary->{status} eq 'pass') {
			for my $c (grep { $_->{status} eq 'pass' } values %got) {
				$c->{status} = 'error';
				$c->{reason} = 'the harness cannot report verdicts here: its own skip read "ok" '
					. '(MAP_SHARED memory is not shared): this "ok" may be a skip or a failure';
			}
		}
	}
	my @out;
	for my $name (@{ $a{expected} || [] }) {
		if (my $c = delete $got{$name}) {
			push @out, $c;
		} elsif (defined $self->{plan_skip}) {
			push @out, { name => $name, status => 'skip', reason => $self->{plan_skip},
				     diagnostic => '', duration_ms => 0 };
		} else {
			push @out, { name => $name, status => 'error', reason => "not run: $end",
				     diagnostic => '', duration_ms => 0 };
		}
	}
	# Cases the program reported that its source does not declare (a stale build).
	my %seen;	# (each name once, with its last result)
	my @unknown = grep { $got{$_} && !$seen{$_}++ } grep { $_ ne $SC_CANARY } map { $_->{name} } @{ $self->{cases} };
	push @out, map { { %{ $got{$_} }, unknown => 1 } } splice @unknown, 0, $MAX_UNKNOWN;
	my $more = @unknown + ($self->{cases_cut} // 0);
	push @out, { name => "($more more)", status => 'error', unknown => 1, reason => '',
		     diagnostic => "and $more more results of cases not in the source", duration_ms => 0 } if $more;
	return @out;
}

sub sc_run_notes {
	my ($self) = @_;
	my @n = @{ $self->{sc_run} };
	splice @n, -1, 0, "($self->{notes_cut} more notes)" if $self->{notes_cut};
	return @n;
}
sub raw { $_[0]{raw} }

1;
