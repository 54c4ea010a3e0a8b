package Sysconform::Runner;
# Runs the test programs through TAP::Harness, in parallel, each under sc-run
# (timeout that kills every descendant, stderr merged, LD_PRELOAD for the program
# only, the --wrap prefix), and turns their TAP into case results.
use strict;
use warnings;
use File::Path qw(make_path);
use Encode ();
use Time::HiRes qw(time);
use TAP::Harness;
use TAP::Parser::Iterator::Process;
use Sysconform::Tap;

sub new {
	my ($class, %a) = @_;
	return bless { %a }, $class;	# root build jobs timeout wrap preload tmpdir tapdir
}

# The command line sc-run gets for PROGRAM ARGS...
sub command {
	my ($self, @prog) = @_;
	return [ "$self->{build}/harness/sc-run", '-t', $self->{timeout},
		 (map { ('-w', $_) } @{ $self->{wrap} || [] }),
		 ($self->{preload} ? ('-p', $self->{preload}) : ()), '--', @prog ];
}

# Probe the environment under test: (\%system, \@features, $error).
sub probe {
	my ($self) = @_;
	local $ENV{TMPDIR} = $self->{tmpdir};
	my $cmd = $self->command("$self->{build}/harness/features");
	open my $fh, '-|', @$cmd or return ({}, [], "cannot run $cmd->[0]: $!");
	my (%sys, @feat, @other);
	while (my $line = <$fh>) {
		chomp $line;
		my @f = split /\t/, $line, -1;
		if ($f[0] eq 'system' && @f == 3) {
			$sys{ $f[1] } = $f[2];
		} elsif ($line =~ /^# qemu-run: (.*)/) {	# what harness/qemu-run says of the guest
			my $q = $1;
			if ($q =~ /^kernel package (\S+) (\S+)$/) { @sys{qw(kernel_package kernel_package_version)} = ($1, $2) }
			elsif ($q =~ /^kernel image (.+)$/) { $sys{kernel_image} = $1 }
			elsif ($q =~ /^accel (\w+)/) { $sys{qemu_accel} = $1 }
			elsif ($q =~ /^scratch filesystem (\w+)/) { $sys{scratch_fs} = $1 }
			elsif ($q =~ /^booted in ([\d.]+) s \(console log: (.+)\)$/) { @sys{qw(boot_s console_log)} = ($1, $2) }
			elsif ($q !~ /^kernel release /) { push @other, $line }	# a failure, said once
		} elsif (@f == 5 || @f == 6) {	# 5: before the probes said what they observed
			push @feat, { name => $f[0], since => $f[1], status => $f[2],
				      errno => $f[3], api => $f[4], observed => $f[5] // '' };
		} else {
			push @other, $line;
		}
	}
	close $fh;
	my $rc = $? >> 8;
	my $err = @feat ? undef : "the feature probe printed nothing (exit $rc)"
		. (@other ? ": $other[0]" : '');
	return (\%sys, \@feat, $err);
}

# One line of a program's output as valid text: bytes that are not UTF-8 become
# U+FFFD, control characters other than tab become '?'.
sub text {
	my ($s) = @_;
	return '' unless defined $s;
	utf8::encode($s) if utf8::is_utf8($s);
	$s = Encode::decode('UTF-8', $s, Encode::FB_DEFAULT());
	$s =~ s/[\x00-\x08\x0a-\x1f\x7f]/?/g;
	return $s;
}

# Run PROGRAMS (catalogue entries with a {bin}); ON_DONE->($program, \@cases, $seconds,
# \@notes) as each one ends. Returns nothing; the TAP of each goes to tapdir.
sub run {
	my ($self, $programs, $on_done) = @_;
	my %prog = map { $_->{bin} => $_ } @$programs;
	my %state;
	make_path($self->{tapdir});
	local $ENV{TMPDIR} = $self->{tmpdir};
	# A program (or an LD_PRELOAD submission) may print bytes that are not UTF-8. On
	# "TAP version 13" TAP::Parser would decode its stream as UTF-8 and die on them,
	# losing the program's results; keep the stream as bytes, decode each line here.
	no warnings 'redefine';
	local *TAP::Parser::Iterator::Process::handle_unicode = sub { };
	use warnings 'redefine';
	my $h = TAP::Harness->new({
		jobs => $self->{jobs}, merge => 1, verbosity => -3,
		exec => sub { my (undef, $file) = @_; $self->command($file) },
	});
	$h->callback(made_parser => sub {
		my ($parser, $job) = @_;
		my $tap = Sysconform::Tap->new(start => time);
		$state{ $job->[0] } = { tap => $tap, start => time };
		$parser->callback(ALL => sub { $tap->line(text($_[0]->raw), time) });
	});
	$h->callback(after_test => sub {
		my ($job, $parser) = @_;
		$self->_done($prog{ $job->[0] }, $state{ $job->[0] }, $parser->exit // 0, $on_done);
	});
	$h->runtests(map { $_->{bin} } @$programs);
}

# A program ended with EXIT: its case results, its TAP file, and ON_DONE.
sub _done {
	my ($self, $p, $st, $exit, $on_done) = @_;
	my $end = $st->{end} // time;
	my @all = map { $_->{name} } @{ $p->{all_cases} || $p->{cases} };
	my @res = $st->{tap}->finish(exit => $exit, expected => \@all, end => $end);
	my %want = map { $_->{name} => 1 } @{ $p->{cases} };
	@res = grep { $want{ $_->{name} } || $_->{unknown} } @res;
	if (open my $out, '>:encoding(UTF-8)', "$self->{tapdir}/$p->{topic}-$p->{file}.tap") {
		print $out $st->{tap}->raw;
		print $out "# exit status: $exit\n";
		close $out;
	}
	# A wrapper (runsc, qemu) may leave its own helpers behind: not the program's doing.
	my @notes = grep { !(@{ $self->{wrap} || [] } && /left behind/) } $st->{tap}->sc_run_notes;
	$on_done->($p, \@res, $end - $st->{start}, \@notes, $exit);
}

# --wrap-once: all programs in ONE wrapped environment, through sc-batch, whose
# framed output is split back into one TAP stream per program. The batch as a
# whole is bounded too: the per-program limit times the rounds, plus a minute.
sub run_batch {
	my ($self, $programs, $on_done, $retried) = @_;
	my %prog = map { $_->{bin} => $_ } @$programs;
	make_path($self->{tapdir});
	local $ENV{TMPDIR} = $self->{tmpdir};
	my $rounds = int((@$programs + $self->{jobs} - 1) / $self->{jobs});
	my @cmd = ("$self->{build}/harness/sc-run", '-t', $self->{timeout} * $rounds + 60,
		   (map { ('-w', $_) } @{ $self->{wrap} || [] }), '--',
		   "$self->{build}/harness/sc-batch", '-j', $self->{jobs}, '-t', $self->{timeout},
		   ($self->{preload} ? ('-p', $self->{preload}) : ()), '--', map { $_->{bin} } @$programs);
	my (%state, $cur, @outside);
	my $t0 = time;
	open my $fh, '-|', @cmd or die "cannot run $cmd[0]: $!\n";
	while (my $line = <$fh>) {
		chomp $line;
		if ($line =~ /^#sc-batch begin (.+)$/ && $prog{$1}) {
			$cur = $1;
			$state{$cur} = { tap => Sysconform::Tap->new(start => $t0), start => $t0 };
		} elsif ($line =~ /^#sc-batch end (.+) (\d+)$/ && $cur && $1 eq $cur) {
			$self->_done($prog{$cur}, $state{$cur}, $2, $on_done);
			delete $prog{$cur};
			$cur = undef;
		} elsif ($cur) {	# "MS<TAB>LINE": when the line came, inside the environment
			my ($ms, $text) = $line =~ /^(\d+)\t(.*)$/ ? ($1, $2) : (undef, $line);
			my $t = defined $ms ? $t0 + $ms / 1000 : time;
			$state{$cur}{start} = $t unless $state{$cur}{seen}++;
			$state{$cur}{end} = $t;
			$state{$cur}{tap}->line(text($text), $t);
		} else {
			push @outside, text($line);
		}
	}
	close $fh;
	if (@outside && open my $log, '>:encoding(UTF-8)', "$self->{tapdir}/batch.log") {
		print $log map { "$_\n" } @outside;	# what the environment said outside the frames
		close $log;
	}
	# Programs the batch never reported (gVisor sometimes drops the batch's last
	# frame; a guest may die): once more in one environment, then one environment each.
	my @again = map { $prog{$_} } sort keys %prog;
	return unless @again;
	my ($why) = grep { /^# (?:sc-run|qemu-run): / } @outside;
	print STDERR "sysconform: the batch ended before ", scalar @again, " programs reported",
		($why ? ": $why" : ''), "; running them again\n";
	return $self->run_batch(\@again, $on_done, 1) unless $retried;
	$self->run(\@again, $on_done);
}

1;
