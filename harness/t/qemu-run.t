# qemu-run (--kernel): a kernel that cannot boot ends at once in ONE line and exit 125,
# never a stall. Only the fast failures here (under a second each); harness/kernel-smoke.sh
# boots a real guest for make check.
use strict;
use warnings;
use FindBin;
use File::Glob ':bsd_glob';	# glob() does not split a path with spaces
use File::Temp qw(tempdir);
use Test::More;
use Time::HiRes qw(time);

my $root = "$FindBin::Bin/../..";
my $qr = "'$root/harness/qemu-run'";	# for the shell
plan skip_all => 'no qemu-system-x86_64' unless grep { -x "$_/qemu-system-x86_64" } split /:/, $ENV{PATH};
plan skip_all => 'no static busybox (busybox-static)' unless -x '/bin/busybox';

my $tmp = tempdir(CLEANUP => 1);
local $ENV{TMPDIR} = $tmp;
sub run { my $t0 = time; my $out = `$_[0] 2>&1`; return ($? >> 8, $out, time - $t0) }

my ($rc, $out, $secs) = run("$qr /bin/true");
is($rc, 2, 'no --kernel: usage, exit 2');

open my $fh, '>', "$tmp/random.img" or die;
print $fh map { chr int rand 256 } 1 .. 200_000;
close $fh;
($rc, $out, $secs) = run("$qr --kernel '$tmp/random.img' --accel tcg /bin/echo hi");
is($rc, 125, 'random bytes: exit 125');
like($out, qr/\A# qemu-run: [^\n]*not a Linux x86 kernel image[^\n]*\n\z/, '... one line that says why');
ok($secs < 5, '... at once');

my ($image) = glob(($ENV{SYSCONFORM_QEMU_DIR} || "$root/build/qemu") . "/kernels/linux-image-*/boot/vmlinuz-*");
SKIP: {
	skip 'no kernel fetched into build/qemu/kernels or $SYSCONFORM_QEMU_DIR yet (harness/kernel-smoke.sh fetches one)', 4 unless $image;
	open my $in, '<:raw', $image or die;
	local $/;
	my $k = <$in>;
	open my $outf, '>:raw', "$tmp/vmlinuz-truncated" or die;
	print $outf substr($k, 0, length($k) / 2);
	close $outf;
	($rc, $out, $secs) = run("$qr --kernel '$tmp/vmlinuz-truncated' --accel tcg --scratch tmpfs /bin/echo hi");
	is($rc, 125, 'a truncated kernel: exit 125');
	like($out, qr/\A# qemu-run: the kernel did not boot[^\n]*\(console log: [^\n]+\)\n\z/, '... one line, with the console log');
	my ($log) = $out =~ /console log: ([^\n]+)\)$/m;
	ok($log && -f $log, '... which is kept');
	ok($secs < 30, "... quickly (${\ sprintf '%.1f', $secs} s)");
}

done_testing;
