# Sysconform::Vocabulary: the outcomes and the bad set, the skip-reason grammar, and the
# line protocols, checked on the lines the C side really prints where it is built.
use strict;
use warnings;
use File::Glob qw(:bsd_glob);	# a checkout path may hold spaces
use FindBin;
use lib "$FindBin::Bin/../lib";
use Test::More;
use Sysconform::Vocabulary qw(@STATUSES @BAD is_bad @FEATURE_STATUSES skip_reason features_line qemu_run_line
			      $SC_RUN_NOTE $LEFT_BEHIND $SC_BATCH_BEGIN $SC_BATCH_END $SC_BATCH_LINE $WRAPPER_NOTE $SETUP_ERROR);

my $root = "$FindBin::Bin/../..";

# --- outcomes
is_deeply(\@STATUSES, [qw(pass fail skip error timeout xfail xpass)], 'the outcomes, in report order');
is_deeply([ grep { is_bad($_) } @STATUSES ], [qw(fail error timeout)], 'bad: fail, error, timeout');
is_deeply([ sort @BAD ], [qw(error fail timeout)], '... and @BAD says the same');
ok(!is_bad($_), "$_ is not bad") for qw(pass skip xfail xpass), '', undef;
is_deeply(\@FEATURE_STATUSES, [qw(supported missing blocked)], 'feature statuses');

# --- skip reasons (docs/DESIGN.md's forms)
is_deeply(skip_reason('feature ofd_locks missing: EINVAL'), { kind => 'missing', feature => 'ofd_locks', errno => 'EINVAL' }, 'feature missing');
is_deeply(skip_reason('feature fanotify blocked: EPERM'), { kind => 'blocked', feature => 'fanotify', errno => 'EPERM' }, 'feature blocked');
is_deeply(skip_reason('feature epollexclusive missing: flag ignored'), { kind => 'missing', feature => 'epollexclusive', errno => 'flag ignored' },
	  'feature missing, with what the probe saw in words');
is_deeply(skip_reason('feature user_xattr missing on tmpfs: EOPNOTSUPP'),
	  { kind => 'missing', feature => 'user_xattr', errno => 'EOPNOTSUPP', fs => 'tmpfs' }, 'feature missing on a filesystem');
is_deeply(skip_reason('filesystem btrfs: directories report st_nlink 1'),
	  { kind => 'filesystem', fs => 'btrfs', what => 'directories report st_nlink 1' }, 'filesystem');
is_deeply(skip_reason('needs user namespaces: EPERM'), { kind => 'needs', what => 'user namespaces: EPERM' }, 'needs');
is_deeply(skip_reason('not built: liburing missing'), { kind => 'not built', lib => 'liburing' }, 'not built');
for my $bad ('feature ofd_locks gone: EINVAL', 'feature ofd_locks missing', 'feature ofd_locks missing: ', 'needs',
	     'not built: liburing', 'kernel lacks ofd_locks', 'skipped', '', undef) {
	is(skip_reason($bad), undef, 'not a skip reason: ' . ($bad // 'undef'));
}

# --- the features program
is_deeply([ features_line("system\tkernel_release\t6.1.0") ], [ 'system', 'kernel_release', '6.1.0' ], 'a system line');
is_deeply([ features_line("kcmp\t3.5\tmissing\tENOSYS\tkcmp(2)") ],
	  [ 'feature', { name => 'kcmp', since => '3.5', status => 'missing', errno => 'ENOSYS', api => 'kcmp(2)', observed => '' } ],
	  'a feature line of 5 columns (before OBSERVED)');
is_deeply([ features_line("pidns\t3.8\tsupported\t\tunshare\tthrough a new user namespace") ],
	  [ 'feature', { name => 'pidns', since => '3.8', status => 'supported', errno => '', api => 'unshare', observed => 'through a new user namespace' } ],
	  'a feature line of 6 columns');
is_deeply([ features_line($_) ], [], "not a features line: '$_'") for "a\tb\tc\td", '', 'oops', "system\tuid";
SKIP: {
	skip 'features not built', 2 unless -x "$root/build/harness/features";
	my @out = `'$root/build/harness/features'`;
	chomp @out;
	is_deeply([ grep { !(() = features_line($_)) } @out ], [], 'every line the features program prints is a system or feature line');
	my @st = map { my ($k, $f) = features_line($_); $k eq 'feature' ? $f->{status} : () } @out;
	is_deeply([ grep { my $s = $_; !grep { $s eq $_ } @FEATURE_STATUSES } @st ], [], '... and every status is a feature status');
}

# --- qemu-run
is_deeply([ qemu_run_line('# qemu-run: kernel package linux-image-6.1.0-18-amd64 6.1.76-1') ],
	  [ { kernel_package => 'linux-image-6.1.0-18-amd64', kernel_package_version => '6.1.76-1' } ], 'qemu-run: the package');
is_deeply([ qemu_run_line('# qemu-run: kernel image /boot/vmlinuz-6.1') ], [ { kernel_image => '/boot/vmlinuz-6.1' } ], 'qemu-run: the image');
is_deeply([ qemu_run_line('# qemu-run: accel kvm (/dev/kvm)') ], [ { qemu_accel => 'kvm' } ], 'qemu-run: the accelerator');
is_deeply([ qemu_run_line('# qemu-run: scratch filesystem ext4 (TMPDIR /scratch)') ], [ { scratch_fs => 'ext4' } ], 'qemu-run: the scratch filesystem');
is_deeply([ qemu_run_line('# qemu-run: booted in 3.2 s (console log: /tmp/q.log)') ], [ { boot_s => '3.2', console_log => '/tmp/q.log' } ], 'qemu-run: the boot');
is_deeply([ qemu_run_line('# qemu-run: kernel release 6.1.0') ], [ {} ], 'qemu-run: the release (the features program says it)');
is_deeply([ qemu_run_line('# qemu-run: the guest did not boot (console log: /tmp/q.log)') ], [ undef ], 'qemu-run: a failure');
is_deeply([ qemu_run_line('# sc-run: killed by SIGSEGV') ], [], 'not a qemu-run line');

# --- sc-run, sc-batch, setup errors
ok('# sc-run: killed by SIGSEGV' =~ $SC_RUN_NOTE && $1 eq 'killed by SIGSEGV', 'an sc-run note, and what it says');
ok('# sc-run: killed 2 processes left behind by the program' =~ $LEFT_BEHIND, '... the one of processes left behind');
ok('#  sc-run: x' !~ $SC_RUN_NOTE, '... only at the start of the line');
ok('#sc-batch begin /b/tests/fd/dup' =~ $SC_BATCH_BEGIN && $1 eq '/b/tests/fd/dup', 'sc-batch: the begin frame');
ok('#sc-batch end /b/tests/fd/dup 124' =~ $SC_BATCH_END && $1 eq '/b/tests/fd/dup' && $2 eq '124', 'sc-batch: the end frame and its exit');
ok("1503\tok 1 global.x" =~ $SC_BATCH_LINE && $1 eq '1503' && $2 eq 'ok 1 global.x', 'sc-batch: a line and when it came');
ok($_ =~ $WRAPPER_NOTE, "a wrapper's note: $_") for '# sc-run: cannot execute x: ENOENT', '# qemu-run: no kvm';
ok('tests/fd/dup.c:12:x:setup error: pipe: EMFILE' =~ $SETUP_ERROR && $1 eq 'pipe: EMFILE', 'setup error, and its reason');
my @marker = grep { open my $h, '<', $_ or die "$_: $!"; grep { /TH_LOG\("setup error: "/ } <$h> } glob("$root/harness/*.h");
ok(@marker, "the helper headers print the setup error marker the runner reads (@marker)");
is_deeply([ qemu_run_line('# qemu-run: filesystem xfs at /tmp/r/fs-xfs (/dev/vdc)') ], [ { fs => 'xfs' } ], 'qemu-run: a filesystem of --fs');
is_deeply([ qemu_run_line('# qemu-run: no filesystem btrfs: no mkfs.btrfs on the host') ],
	  [ { fs => 'btrfs', fs_missing => 'no mkfs.btrfs on the host' } ], 'qemu-run: a filesystem of --fs it could not make');
done_testing;
