package Sysconform::Vocabulary;
# The runner's words, each defined here once: the outcomes of a case and the bad ones,
# the statuses of a feature, the grammar of skip reasons (docs/DESIGN.md "Tests"), and
# the line protocols by which the C side talks to the runner. Who writes each line:
#   features         harness/features.c: "system KEY VALUE" and feature lines (tabs)
#   "# sc-run: "     harness/sc-run.c: what happened to a program (killed by SIGSEGV,
#                    timeout: killed after S s, killed N processes left behind ...)
#   "#sc-batch "     harness/sc-batch.c: the frames of --wrap-once's one environment
#   "# qemu-run: "   harness/qemu-run and harness/sc-init.c: the guest of --kernel
#   "setup error: "  harness/sysconform.h (SC_ERROR): the test's own setup failed
# The kselftest harness's own dialect ("#  RUN", "ok N name # SKIP ...") is read by
# Sysconform::Tap.
use strict;
use warnings;
use Exporter 'import';
our @EXPORT_OK = qw(@STATUSES @BAD is_bad @FEATURE_STATUSES skip_reason features_line
		    qemu_run_line $SC_RUN_NOTE $LEFT_BEHIND $SC_BATCH_BEGIN $SC_BATCH_END
		    $SC_BATCH_LINE $WRAPPER_NOTE $SETUP_ERROR $SC_FS $KSFT_SKIP perl_message $SC_CANARY);

# --- outcomes ----------------------------------------------------------------------
# A case's outcome, in the order reports show them.
our @STATUSES = qw(pass fail skip error timeout xfail xpass);
# The unexpected outcomes: a divergence, or a problem of the test or the program.
# Any of them makes the run exit 1.
our @BAD = qw(fail error timeout);
my %BAD = map { $_ => 1 } @BAD;
sub is_bad { $BAD{ $_[0] // '' } ? 1 : 0 }

# A Perl error as one line for a user: without the "at FILE line N." that die() adds
# (FILE may have spaces: the checkout's path) nor what followed it.
sub perl_message {
	my ($e) = @_;
	$e =~ s{ at \S.*? line \d+(?:, <[^>]*> (?:line|chunk) \d+)?\.?[ \t]*$}{}mg;
	$e =~ s/\s*\n\s*/ /g;
	return $e =~ s/\s+\z//r;
}

# The case every program has (harness/sysconform.h), which always skips: the harness's
# own check that its verdicts reach it. Not a case of the catalogue: never reported.
our $SC_CANARY = 'sc_harness.verdicts';

# A feature's status in the registry (harness/features.h).
our @FEATURE_STATUSES = qw(supported missing blocked);

# --- skip reasons ------------------------------------------------------------------
# The forms of a skip's reason:
#   feature NAME missing: ERRNO     the environment refuses the API as unknown
#   feature NAME blocked: ERRNO     a policy refuses it (EPERM, EACCES)
#   feature NAME missing on FS: ERRNO   the same for a feature of the test filesystem
#   needs WHAT                      a privilege or a property this environment lacks
#   filesystem FS: WHAT             the test filesystem lacks what the rule needs
#   not built: LIB missing          the program was built without a library
# ERRNO is what the probe saw: an errno name, or words ("flag ignored").
# The parts of a reason as a hash (kind: missing, blocked, needs, filesystem, not built;
# fs when one is named), or undef.
sub skip_reason {
	my ($r) = @_;
	return undef unless defined $r;
	return { kind => $2, feature => $1, errno => $4, $3 ? (fs => $3) : () }
		if $r =~ /^feature (\S+) (missing|blocked)(?: on (\S+))?: (\S.*)$/;
	return { kind => 'filesystem', fs => $1, what => $2 } if $r =~ /^filesystem (\S+): (\S.*)$/;
	return { kind => 'needs', what => $1 } if $r =~ /^needs (\S.*)$/;
	return { kind => 'not built', lib => $1 } if $r =~ /^not built: (\S+) missing$/;
	return undef;
}

# --- the features program ----------------------------------------------------------
# One line of its output, tab-separated:
#   system KEY VALUE                          a fact of the system (kernel_release, uid ...)
#   NAME SINCE STATUS ERRNO API [OBSERVED]    a feature; OBSERVED came later (5 columns before)
# ('system', KEY, VALUE), ('feature', {name since status errno api observed}), or ().
sub features_line {
	my ($line) = @_;
	my @f = split /\t/, $line, -1;
	return () unless ($f[0] // "") =~ /^\w+$/;	# (not a line of the features program)
	return ('system', $f[1], $f[2]) if @f == 3 && $f[0] eq 'system' && $f[1] =~ /^\w+$/;
	return ('feature', { name => $f[0], since => $f[1], status => $f[2], errno => $f[3],
			     api => $f[4], observed => $f[5] // '' })
		if (@f == 5 || @f == 6) && grep { $_ eq $f[2] } @FEATURE_STATUSES;
	return ();
}

# --- sc-run, sc-batch --------------------------------------------------------------
# "# sc-run: WHAT": what happened to a program (its TAP stream carries the line);
# "# sysconform: WHAT" the same from the runner's reader (Sysconform::Runner: output cut).
our $SC_RUN_NOTE = qr/^# (?:sc-run|sysconform): (.*)/;
# sc-run's note that it killed processes the program left behind.
our $LEFT_BEHIND = qr/left behind/;
# sc-batch's frames: "#sc-batch begin PROGRAM", then "MS<TAB>LINE" for each line of its
# output (MS: milliseconds since sc-batch started), then "#sc-batch end PROGRAM EXIT".
our $SC_BATCH_BEGIN = qr/^#sc-batch begin (.+)$/;
our $SC_BATCH_END = qr/^#sc-batch end (.+) (\d+)$/;
our $SC_BATCH_LINE = qr/^(\d+)\t(.*)$/;
# A line in which a wrapper says why it failed.
our $WRAPPER_NOTE = qr/^# (?:sc-run|qemu-run): /;

# --- qemu-run ----------------------------------------------------------------------
# "# qemu-run: WHAT", what harness/qemu-run (and the guest's sc-init) say of the guest:
#   kernel package NAME VERSION | kernel image PATH | kernel release RELEASE |
#   accel tcg|kvm (WHY) | scratch filesystem ext4|tmpfs (...) |
#   filesystem FS at DIR (DEVICE) | no filesystem FS: WHY   (--fs) |
#   booted in S s (console log: PATH)
# and, when it fails, one other line saying what went wrong.
# For such a line: (\%system_fields) for a fact of the guest ({fs, fs_missing} for one of
# --fs), or (undef) for a failure;
# () for any other line.
sub qemu_run_line {
	my ($line) = @_;
	return () unless $line =~ /^# qemu-run: (.*)/;
	my $q = $1;
	return ({ kernel_package => $1, kernel_package_version => $2 }) if $q =~ /^kernel package (\S+) (\S+)$/;
	return ({ kernel_image => $1 }) if $q =~ /^kernel image (.+)$/;
	return ({ qemu_accel => $1 }) if $q =~ /^accel (\w+)/;
	return ({ scratch_fs => $1 }) if $q =~ /^scratch filesystem (\w+)/;
	return ({ fs => $1 }) if $q =~ /^filesystem (\w+) at /;
	return ({ fs => $1, fs_missing => $2 }) if $q =~ /^no filesystem (\w+): (.*)$/;
	return ({ boot_s => $1, console_log => $2 }) if $q =~ /^booted in ([\d.]+) s \(console log: (.+)\)$/;
	return ({}) if $q =~ /^kernel release /;	# the features program says it too
	return (undef);
}

# --- a program's exit status -------------------------------------------------------
# kselftest's KSFT_SKIP: the program skipped every case it ran (harness/sysconform.h,
# harness/not-built.c); an ending as good as 0.
our $KSFT_SKIP = 4;

# --- the tests' own markers ----------------------------------------------------------
# In a case's diagnostic: its setup failed (the outcome is error, the rest is the reason).
our $SETUP_ERROR = qr/setup error:\s*(.*)/;
# In a case's output: the filesystem its temporary directory is on (harness/sc_files.h).
our $SC_FS = qr/^# sc-fs: (\S+)$/;

1;
