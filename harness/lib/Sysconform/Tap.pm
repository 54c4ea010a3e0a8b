package Sysconform::Tap;
# Turns the merged stdout+stderr of one kselftest-harness program into case results.
# It reads the 6.1 dialect (a skip line carries no case name: the name comes from the
# preceding "#  RUN" line) and newer ones ("ok 2 global.foo # SKIP reason", XFAIL).
# Outcomes: pass, fail, skip, error (the test's setup failed: "setup error:" in its
# diagnostic, or the program died before reporting the case), timeout.
use strict;
use warnings;
use Sysconform::Vocabulary qw($SC_RUN_NOTE $LEFT_BEHIND $SETUP_ERROR $SC_FS);

sub new {
	my ($class, %a) = @_;
	return bless { cases => [], current => undef, diag => [], plan => undef,
		       plan_skip => undef, lines => [], sc_run => [], t0 => $a{start} // 0 }, $class;
}

sub _short { my $n = shift; $n =~ s/^global\.//; $n }

# Feed one line (without newline) that arrived at time T (seconds).
sub line {
	my ($self, $text, $t) = @_;
	$t //= 0;
	push @{ $self->{lines} }, $text;
	if ($text =~ /^#\s+RUN\s+(\S+) \.\.\.\s*$/) {
		$self->{current} = { name => _short($1), start => $t };
		$self->{diag} = [];
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
		push @{ $self->{sc_run} }, $1;
	} elsif ($text =~ /^TAP version|^# (Starting \d+ tests|PASSED:|FAILED:|Totals:)/) {
	} elsif ($self->{current}) {
		my $d = $text;
		$d =~ s/^#\s?//;
		push @{ $self->{diag} }, $d if length $d && $d !~ /: Test failed at step #\d+$/;
	}
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
	$name = _short($name) if length $name;
	$name = $cur->{name} if !length $name && $cur;
	$name = "case " . (scalar(@{ $self->{cases} }) + 1) unless length $name;
	my @diag = @{ $self->{diag} };
	my $status;
	if ($directive eq 'SKIP') { $status = 'skip' }
	elsif ($directive eq 'XFAIL') { $status = 'xfail' }
	elsif ($directive eq 'XPASS') { $status = 'xpass' }
	elsif ($ok) { $status = 'pass' }
	elsif (grep { /Test terminated by timeout/ } @diag) { $status = 'timeout' }
	elsif (grep { $_ =~ $SETUP_ERROR || /ERROR SPAWNING TEST CHILD/ } @diag) { $status = 'error' }
	else { $status = 'fail' }
	my ($setup) = map { $_ =~ $SETUP_ERROR ? $1 : /ERROR SPAWNING/ ? 'the harness could not fork the test' : () } @diag;
	$reason = $setup if $status eq 'error' && defined $setup;
	push @{ $self->{cases} }, {
		name => $name, status => $status, reason => $reason,
		diagnostic => join("\n", @diag),
		duration_ms => $cur ? int(1000 * ($t - $cur->{start}) + 0.5) : 0,
		$cur && $cur->{fs} ? (fs => $cur->{fs}) : (),
	};
	$self->{current} = undef;
	$self->{diag} = [];
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
			reason => $end, diagnostic => join("\n", @{ $self->{diag} }),
			duration_ms => $a{end} ? int(1000 * ($a{end} - $cur->{start}) + 0.5) : 0 };
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
	my %seen;
	push @out, map { { %{ $got{$_} }, unknown => 1 } } grep { $got{$_} && !$seen{$_}++ } map { $_->{name} } @{ $self->{cases} };
	return @out;
}

sub sc_run_notes { @{ $_[0]{sc_run} } }
sub raw { join("\n", @{ $_[0]{lines} }) . "\n" }

1;
