#!/usr/bin/perl
# The readers of what the runner is fed, each on one input file, in this process: the
# input fails when its reader dies, warns, takes more than 5 s or gives a summary that
# breaks the contract. Used by harness/fuzz.sh (on inputs zzuf mutated) and by
# harness/t/garbage.t (on the inputs that once failed, harness/t/garbage/).
#   harness/fuzz.pl FILE...    prints "FAIL FILE: why" for each that fails; exit 1 if any
# By the file's name:
#   *.tap     a program's output: Sysconform::Runner's reader, Sysconform::Tap, the
#             cases of a program that declares "a" and "b", a summary (validated)
#   *.json    a summary.json: ./run.sh compare (it against harness/t/garbage/seed.json)
#             and ./run.sh grade, in this process; exit 0 or 1, or 2 with one line
#   *.expect  an expectation file (--expect): parsed, applied to the seed's cases
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use File::Temp qw(tempdir);
use Sysconform::Compare;
use Sysconform::Expect;
use Sysconform::Grade;
use Sysconform::Runner;
use Sysconform::Summary;
use Sysconform::Tap;

my $SEED = "$FindBin::Bin/t/garbage/seed.json";
my $tmp = tempdir('sysconform-fuzz.XXXXXX', TMPDIR => 1, CLEANUP => 1);

sub tap {
	my ($file) = @_;
	open my $fh, '<', $file or die "cannot read $file: $!\n";
	my $tap = Sysconform::Tap->new;
	my $next = Sysconform::Runner::line_reader($fh);
	my $t = 0;
	while (defined(my $l = $next->())) { $tap->line(Sysconform::Summary::text($l), $t += 0.001) }
	my $p = { id => 'fuzz/prog', topic => 'fuzz', file => 'prog', cases => [ map { { name => $_, rules => ['FUZZ-01'] } } qw(a b) ] };
	my @res = $tap->finish(exit => 1, expected => [qw(a b)], end => $t);
	die "no result for a declared case\n" unless grep({ $_->{name} eq 'a' } @res) && grep { $_->{name} eq 'b' } @res;
	my $s = Sysconform::Summary::build(
		run => { id => 'fuzz', label => 'fuzz', started => 0, duration_s => $t, jobs => 1, wrap => '', preload => '',
			 notes => { 'fuzz/prog' => [ $tap->sc_run_notes ] } },
		system => {}, features => [], programs => [$p], cases => [ map { Sysconform::Summary::case($p, $_) } @res ]);
	my @bad = grep { !/skip reason/ } Sysconform::Summary::validate($s);	# the program's own words
	die "the summary breaks the contract: $bad[0]\n" if @bad;
	Sysconform::Summary::save("$tmp/summary.json", $s);
	die "the raw output is not kept\n" if length $tap->raw > 17 * 1024 * 1024;
}

# An entry point in this process: (exit code, stdout, stderr).
sub call {
	my ($sub, @args) = @_;
	my ($out, $err) = ('', '');
	open my $o, '>', \$out or die;
	open my $e, '>', \$err or die;
	my $rc = do { local *STDOUT = $o; local *STDERR = $e; $sub->(@args) };
	return ($rc, $out, $err);
}

sub json {
	my ($file) = @_;
	mkdir "$tmp/run";
	system('cp', $file, "$tmp/run/summary.json") == 0 or die "cannot copy $file\n";
	for my $cmd ([ \&Sysconform::Compare::main, '--out', "$tmp/out", "$tmp/run", $SEED ],
		     [ \&Sysconform::Grade::main, '--out', "$tmp/out", "$tmp/run" ]) {
		my ($rc, $out, $err) = call(@$cmd);
		die "exit $rc\n" unless defined $rc && $rc =~ /^[012]$/;
		die "exit 2 without one line of error: $err\n" if $rc == 2 && $err !~ /\Asysconform: [^\n]+\n\z/;
		die "exit 2 with a Perl message: $err\n" if $err =~ / at \S+ line \d+/;
		die "a terminal escape in the output\n" if "$out$err" =~ /\e/;
		die "output that is not UTF-8\n" unless utf8::decode(my $copy = "$out$err");
	}
}

sub expect {
	my ($file) = @_;
	my ($e, $err) = Sysconform::Expect::parse($file);
	die "neither entries nor an error\n" unless $e || $err;
	die "an error of more than one line: $err\n" if $err && $err =~ /\n/;
	return unless $e;
	my $s = Sysconform::Summary::load($SEED);
	Sysconform::Expect::apply($e, $s->{cases}, $s->{features}, []);
}

my %reader = (tap => \&tap, json => \&json, expect => \&expect);
my $failed = 0;
for my $file (@ARGV) {
	my ($kind) = $file =~ /\.(tap|json|expect)$/ or die "$file: not a .tap, .json or .expect file\n";
	my @warn;
	local $SIG{__WARN__} = sub { push @warn, $_[0] };
	local $SIG{ALRM} = sub { die "more than 5 s\n" };
	alarm 5;
	my $ok = eval { $reader{$kind}->($file); 1 };
	alarm 0;
	my $why = $ok ? $warn[0] && "warning: $warn[0]" : "died: $@";
	next unless $why;
	$failed++;
	print "FAIL $file: ", $why =~ s/\n.*//sr, "\n";
}
exit($failed ? 1 : 0);
