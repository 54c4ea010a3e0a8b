package Sysconform::Runner;
# Runs the test programs through TAP::Harness, in parallel, each under sc-run
# (timeout that kills every descendant, stderr merged, LD_PRELOAD for the program
# only, the --wrap prefix), and turns their TAP into case results.
use strict;
use warnings;
use File::Path qw(make_path);
use Time::HiRes qw(time);
use TAP::Harness;
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
		} elsif (@f == 5) {
			push @feat, { name => $f[0], since => $f[1], status => $f[2],
				      errno => $f[3], api => $f[4] };
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

# Run PROGRAMS (catalogue entries with a {bin}); ON_DONE->($program, \@cases, $seconds,
# \@notes) as each one ends. Returns nothing; the TAP of each goes to tapdir.
sub run {
	my ($self, $programs, $on_done) = @_;
	my %prog = map { $_->{bin} => $_ } @$programs;
	my %state;
	make_path($self->{tapdir});
	local $ENV{TMPDIR} = $self->{tmpdir};
	my $h = TAP::Harness->new({
		jobs => $self->{jobs}, merge => 1, verbosity => -3,
		exec => sub { my (undef, $file) = @_; $self->command($file) },
	});
	$h->callback(made_parser => sub {
		my ($parser, $job) = @_;
		my $tap = Sysconform::Tap->new(start => time);
		$state{ $job->[0] } = { tap => $tap, start => time };
		$parser->callback(ALL => sub { $tap->line($_[0]->raw, time) });
	});
	$h->callback(after_test => sub {
		my ($job, $parser) = @_;
		my $bin = $job->[0];
		my $p = $prog{$bin};
		my $st = $state{$bin};
		my $end = time;
		my $exit = $parser->exit // 0;
		my @all = map { $_->{name} } @{ $p->{all_cases} || $p->{cases} };
		my @res = $st->{tap}->finish(exit => $exit, expected => \@all, end => $end);
		my %want = map { $_->{name} => 1 } @{ $p->{cases} };
		@res = grep { $want{ $_->{name} } || $_->{unknown} } @res;
		if (open my $out, '>', "$self->{tapdir}/$p->{topic}-$p->{file}.tap") {
			print $out $st->{tap}->raw;
			print $out "# exit status: $exit\n";
			close $out;
		}
		# A wrapper (runsc, qemu) may leave its own helpers behind: not the program's doing.
		my @notes = grep { !(@{ $self->{wrap} || [] } && /left behind/) } $st->{tap}->sc_run_notes;
		$on_done->($p, \@res, $end - $st->{start}, \@notes, $exit);
	});
	$h->runtests(map { $_->{bin} } @$programs);
}

1;
