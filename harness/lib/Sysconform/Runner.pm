package Sysconform::Runner;
# Runs the test programs through TAP::Harness, in parallel, each under sc-run
# (timeout that kills every descendant, stderr merged, LD_PRELOAD for the program
# only, the --wrap prefix), and turns their TAP into case results.
use strict;
use warnings;
use File::Path qw(make_path);
use Time::HiRes qw(time);
use TAP::Harness;
use TAP::Parser::IteratorFactory;
use TAP::Parser::Iterator::Process;
use TAP::Parser::SourceHandler::Executable;
use Sysconform::Catalog;
use Sysconform::Summary;
use Sysconform::Tap;
use Sysconform::Vocabulary qw(features_line qemu_run_line $LEFT_BEHIND $SC_BATCH_BEGIN $SC_BATCH_END
			      $SC_BATCH_LINE $WRAPPER_NOTE);

sub new {
	my ($class, %a) = @_;
	return bless { %a }, $class;	# root build jobs timeout wrap preload tmpdir tapdir
}

# The command line sc-run gets for PROGRAM, in PASS (a filesystem of --fs/--tmpdir:
# { dir, tmpfs }) if given.
sub command {
	my ($self, $prog, $pass) = @_;
	return [ "$self->{build}/harness/sc-run", '-t', $self->{timeout},
		 (map { ('-w', $_) } @{ $self->{wrap} || [] }),
		 ($self->{preload} ? ('-p', $self->{preload}) : ()),
		 ($pass ? ('-d', $pass->{dir}, $pass->{tmpfs} ? '-m' : ()) : ()), '--', $prog ];
}

# A program's name for the harness and in sc-batch's frames: its path, and the TMPDIR
# of its pass.
sub key {
	my ($p) = @_;
	return $p->{bin} . ($p->{pass} ? " TMPDIR=$p->{pass}{dir}" : '');
}

# Probe the environment under test: (\%system, \@features, $error); in PASS's
# directory if given (what the features of the test filesystem say there).
sub probe {
	my ($self, $pass) = @_;
	local $ENV{TMPDIR} = $pass ? $pass->{dir} : $self->{tmpdir};
	my $cmd = $self->command("$self->{build}/harness/features", $pass);
	open my $fh, '-|', @$cmd or return ({}, [], "cannot run $cmd->[0]: $!");
	my (%sys, @feat, @other);
	my $next = line_reader($fh);	# (a wrapper, a guest's console may say anything)
	while (defined(my $line = $next->())) {
		$line = Sysconform::Summary::text($line);
		my @f = features_line($line);
		my @q = qemu_run_line($line);	# what harness/qemu-run says of a guest
		if (@f && $f[0] eq 'system') {
			$sys{ $f[1] } = $f[2];
		} elsif (@q) {
			if ($q[0] && $q[0]{fs}) { $sys{guest_filesystems}{ $q[0]{fs} } = $q[0]{fs_missing} // '' }
			elsif ($q[0]) { %sys = (%sys, %{ $q[0] }) } else { push @other, $line }	# a failure, said once
		} elsif (@f) {
			push @feat, $f[1];
		} else {
			push @other, $line;
		}
	}
	close $fh;
	my $rc = $? >> 8;
	my $err = @feat ? undef : "the feature probe printed nothing (exit $rc)"
		. (@other ? ': ' . (length $other[0] > 200 ? substr($other[0], 0, 200) . '...' : $other[0]) : '');
	return (\%sys, \@feat, $err);
}

# A program's output is read in bounded memory, whatever it prints: a line longer than
# $MAX_LINE bytes keeps its head and says how much was cut; after $MAX_OUTPUT bytes one
# line (a note, as sc-run's are) says the output was cut, and the rest is read and
# dropped: the cases the program had not reported by then are errors, "not run".
# While it cuts or drops, the reader gives an empty line per chunk read (Sysconform::Tap
# ignores them), so that one program's garbage never holds up the others' output.
our $MAX_LINE = 64 * 1024;
our $MAX_OUTPUT = 16 * 1024 * 1024;
our $CUT_NOTE = '# sysconform: output cut after ' . ($MAX_OUTPUT >> 20) . ' MB: the rest was dropped';

# A reader of FH's lines (without newline, as bytes): a sub that returns the next line,
# or undef at the end of the stream. With WHOLE, no limit on the whole output (sc-batch's
# stream of many programs, each limited apart). With IDLE ({ secs => N }): the end also
# when nothing came for N seconds, and IDLE->{stalled} is then set.
sub line_reader {
	my ($fh, $whole, $idle) = @_;
	my ($buf, $total, $eof, $head, $cut) = ('', 0, 0, undef, 0);
	return sub {
		for (;;) {
			my $nl = index $buf, "\n";
			if (defined $head) {	# cutting an overlong line: drop bytes up to its end
				if ($nl < 0 && !$eof) {
					$cut += length $buf;
					$buf = '';
				} else {
					$cut += $nl >= 0 ? $nl : length $buf;
					substr($buf, 0, $nl >= 0 ? $nl + 1 : length $buf, '');
					my $line = "$head [... $cut bytes cut]";
					($head, $cut) = (undef, 0);
					return $line;
				}
			} elsif ($nl >= 0 && $nl <= $MAX_LINE) {
				my $line = substr($buf, 0, $nl + 1, '');
				chop $line;
				return $line;
			} elsif (length $buf > $MAX_LINE) {
				$head = substr($buf, 0, $MAX_LINE, '');
				next;
			} elsif ($eof) {
				return length $buf ? substr($buf, 0, length $buf, '') : undef;
			}
			if ($idle) {
				my $rin = '';
				vec($rin, fileno($fh), 1) = 1;
				my $n;
				do { $n = select(my $rout = $rin, undef, undef, $idle->{secs}) } until $n >= 0 || !$!{EINTR};
				if ($n == 0) { $idle->{stalled} = 1; $eof = 1; next }
			}
			my $got;
			do { $got = sysread $fh, $buf, 65536, length $buf } until defined $got || !$!{EINTR};
			if (!$got) { $eof = 1; next }
			if ($whole) {
			} elsif ($total > $MAX_OUTPUT) {	# after the limit: dropped
				$buf = '';
			} elsif (($total += $got) > $MAX_OUTPUT) {
				substr($buf, length($buf) - ($total - $MAX_OUTPUT)) = '';
				$buf .= "\n$CUT_NOTE\n";
				next;
			}
			return '' if defined $head || $total > $MAX_OUTPUT;
		}
	};
}

# The run is interrupted (by signal SIG, e.g. "SIGTERM"): SIG to every child of the
# runner (each sc-run then ends its program's whole tree and exits, saying "interrupted
# by SIG"), and no program is started any more. With NOW (a second interruption):
# SIGKILL to each program's process group instead, which sc-run then reaps with all
# that is left below it. Safe in a signal handler.
sub stop {
	my ($self, $sig, $now) = @_;
	$self->{stopped} //= $sig;
	my %children;
	for my $stat (glob('/proc/[0-9]*/stat')) {
		open my $fh, '<', $stat or next;
		my $line = <$fh> // next;
		my ($pid, $ppid) = $line =~ /^(\d+) .*\) \S+ (\d+) /s or next;
		push @{ $children{$ppid} }, $pid;
	}
	for my $pid (@{ $children{$$} || [] }) {
		if (!$now) { kill $sig =~ s/^SIG//r, $pid; next }
		kill 'KILL', -$_, $_ for @{ $children{$pid} || [] };
	}
}

# Run PROGRAMS (catalogue entries with a {bin}); ON_DONE->($program, \@cases, $seconds,
# \@notes) as each one ends. Returns nothing; the TAP of each goes to tapdir. Once
# stopped, the programs not started yet are not run (no ON_DONE for them); so after an
# error that ends the run ({error}).
sub run {
	my ($self, $programs, $on_done) = @_;
	my %prog = map { key($_) => $_ } @$programs;
	my (%state, %not_run);
	make_path($self->{tapdir});
	local $ENV{TMPDIR} = $self->{tmpdir};
	my $h = TAP::Harness->new({
		jobs => $self->{jobs}, merge => 1, verbosity => -3,
		exec => sub {
			my (undef, $key) = @_;
			return [ 'true' ] if $self->{stopped} && ++$not_run{$key};	# the harness still wants a process
			$self->command($prog{$key}{bin}, $prog{$key}{pass});
		},
		sources => { 'Sysconform::Runner::Bytes' => {} },
	});
	$h->callback(made_parser => sub {
		my ($parser, $job) = @_;
		my $tap = Sysconform::Tap->new(start => time);
		$state{ $job->[0] } = { tap => $tap, start => time };
		$parser->callback(ALL => sub { $tap->line(Sysconform::Summary::text(substr $_[0]->raw, 1), time) });
	});
	$h->callback(after_test => sub {
		my ($job, $parser) = @_;
		return if $not_run{ $job->[0] };
		$self->_done($prog{ $job->[0] }, $state{ $job->[0] }, $parser->exit // 0, $on_done);
	});
	# A program that cannot be started (fork fails: RLIMIT_NPROC) ends the run as an
	# interruption does: the others are ended, and the error said.
	return if eval { $h->runtests(map { key($_) } @$programs); 1 };
	$self->{error} = Sysconform::Vocabulary::perl_message($@);
	$self->stop('SIGTERM');
}

# A program ended with EXIT: its case results, its TAP file, and ON_DONE.
sub _done {
	my ($self, $p, $st, $exit, $on_done) = @_;
	my $end = $st->{end} // time;
	my @all = map { $_->{name} } @{ $p->{all_cases} || $p->{cases} };
	my @res = $st->{tap}->finish(exit => $exit, expected => \@all, end => $end);
	my %want = map { $_->{name} => 1 } @{ $p->{cases} };
	@res = grep { $want{ $_->{name} } || $_->{unknown} } @res;
	eval { Sysconform::Summary::write_atomic("$self->{tapdir}/" . Sysconform::Catalog::tap_file($p), $st->{tap}->raw . "# exit status: $exit\n") }
		or $self->{write_error} //= $@ =~ s/\n$//r;	# the run goes on; the runner says so at its end
	# A wrapper (runsc, qemu) may leave its own helpers behind: not the program's doing.
	my @notes = grep { !(@{ $self->{wrap} || [] } && $_ =~ $LEFT_BEHIND) } $st->{tap}->sc_run_notes;
	$on_done->($p, \@res, $end - $st->{start}, \@notes, $exit);
}

# --wrap-once: all programs in ONE wrapped environment, through sc-batch, whose
# framed output is split back into one TAP stream per program. The batch as a
# whole is bounded too: the per-program limit times the rounds, plus a minute.
sub run_batch {
	my ($self, $programs, $on_done, $retried) = @_;
	return if $self->{stopped};
	my %prog = map { key($_) => $_ } @$programs;
	make_path($self->{tapdir});
	local $ENV{TMPDIR} = $self->{tmpdir};
	# the programs of the run's own TMPDIR, then those of each pass after its --tmpdir=
	my (@args, $in);
	for my $p ((grep { !$_->{pass} } @$programs), (grep { $_->{pass} } @$programs)) {
		if (($p->{pass} // '') ne ($in // '')) {
			$in = $p->{pass};
			push @args, "--tmpdir=$in->{dir}", $in->{tmpfs} ? '--tmpfs' : ();
		}
		push @args, $p->{bin};
	}
	my $rounds = int((@$programs + $self->{jobs} - 1) / $self->{jobs});
	my @cmd = ("$self->{build}/harness/sc-run", '-t', $self->{timeout} * $rounds + 60,
		   (map { ('-w', $_) } @{ $self->{wrap} || [] }), '--',
		   "$self->{build}/harness/sc-batch", '-j', $self->{jobs}, '-t', $self->{timeout},
		   ($self->{preload} ? ('-p', $self->{preload}) : ()), '--', @args);
	my (%state, $cur, @outside);
	my $t0 = time;
	my $pid = open my $fh, '-|', @cmd or die "cannot run $cmd[0]: $!\n";
	# Silence past a program's limit (sc-batch ends each program by then): the environment
	# cannot end one (gVisor: a task spinning in an emulated call, the sandbox with it).
	my $idle = { secs => $self->{timeout} + 30 };
	my $next = line_reader($fh, 1, $idle);
	while (defined(my $line = $next->())) {
		if ($line =~ $SC_BATCH_BEGIN && $prog{$1}) {
			$cur = $1;
			$state{$cur} = { tap => Sysconform::Tap->new(start => $t0), start => $t0 };
		} elsif ($line =~ $SC_BATCH_END && $cur && $1 eq $cur) {
			$self->_done($prog{$cur}, $state{$cur}, $2, $on_done);
			delete $prog{$cur};
			$cur = undef;
		} elsif ($cur) {	# "MS<TAB>LINE": when the line came, inside the environment
			my ($ms, $text) = $line =~ $SC_BATCH_LINE ? ($1, $2) : (undef, $line);
			my $t = defined $ms ? $t0 + $ms / 1000 : time;
			my $st = $state{$cur};
			$st->{start} = $t unless $st->{seen}++;
			$st->{end} = $t;
			next if $st->{cut};	# the limit of line_reader, for each program apart
			$text = $CUT_NOTE if $st->{cut} = ($st->{bytes} += length($line) + 1) > $MAX_OUTPUT;
			$st->{tap}->line(Sysconform::Summary::text($text), $t);
		} else {
			push @outside, Sysconform::Summary::text($line);
		}
	}
	if ($idle->{stalled}) {
		kill 'TERM', $pid;	# sc-run ends the environment's whole tree (KILL after 2 s)
		unshift @outside, "# sc-run: timeout: no output for $idle->{secs} s: the environment was ended";
	}
	close $fh;
	if (@outside && open my $log, '>', "$self->{tapdir}/batch.log") {
		print $log map { "$_\n" } @outside;	# what the environment said outside the frames
		close $log;
	}
	return if $self->{stopped};	# the programs still running were ended: not run
	# Programs the batch never reported (a guest may die): once more in one environment,
	# then one environment each.
	my @again = map { $prog{$_} } sort keys %prog;
	return unless @again;
	my ($why) = grep { $_ =~ $WRAPPER_NOTE } @outside;
	print STDERR "sysconform: the batch ended before ", scalar @again, " programs reported",
		($why ? ": $why" : ''), "; running them again\n";
	# A batch that ran out of time has a program the environment cannot end (gVisor: a
	# task stuck in an emulated call): one environment each at once, each bounded.
	return $self->run_batch(\@again, $on_done, 1) unless $retried || ($why // '') =~ /timeout/;
	$self->run(\@again, $on_done);
}

# The programs' output is read as bytes, in bounded memory, and decoded line by line
# (Sysconform::Summary::text()): a program (or an LD_PRELOAD submission) may print
# anything, and TAP::Parser would decode the stream as UTF-8 after "TAP version 13" and
# die on bytes that are not, or keep an error for each "ok" line out of sequence. This
# source handler (TAP::Harness's "sources" plug-in) starts the programs as TAP::Parser's
# own does, with an iterator that hands TAP::Parser every line as a comment.
package Sysconform::Runner::Bytes;
use parent -norequire, 'TAP::Parser::SourceHandler::Executable';
use constant iterator_class => 'Sysconform::Runner::Bytes::Process';
TAP::Parser::IteratorFactory->register_handler(__PACKAGE__);

# A command to run, when the harness asks for this handler (above Executable's 0.9).
sub can_handle {
	my ($class, $src) = @_;
	return $src->config_for($class) && $src->meta->{is_hash} && $src->raw->{exec} ? 1 : 0;
}

package Sysconform::Runner::Bytes::Process;
use parent -norequire, 'TAP::Parser::Iterator::Process';

# Its lines through line_reader (bounded), then TAP::Parser's own ending (reap, exit).
# Each line goes to TAP::Parser as a comment ("#LINE"; the ALL callback takes the "#"
# off): Sysconform::Tap reads the TAP, and TAP::Parser keeps nothing per line (of
# "ok" lines out of sequence it would keep an error each: a program printing millions
# of them took it gigabytes).
sub _next {
	my ($self) = @_;
	return $self->SUPER::_next unless $self->{out};	# (stderr is merged: no {sel})
	my $next = Sysconform::Runner::line_reader($self->{out});
	return sub {
		my $line = $next->();
		return "#$line" if defined $line;
		$self->_finish;
		return;
	};
}

1;
