# sc-run: the supervisor of one test program: exit codes, timeout, leftovers,
# LD_PRELOAD only for the program, a missing wrapper.
use strict;
use warnings;
use FindBin;
use Test::More;
use Time::HiRes qw(time);

my $sc = "$FindBin::Bin/../../build/harness/sc-run";
plan skip_all => "sc-run not built" unless -x $sc;
$sc = "'$sc'";	# for the shell (a checkout path may have spaces)

sub run { my $out = `$_[0] 2>&1`; return ($? >> 8, $out) }

my ($rc, $out) = run("$sc -t 5 -- sh -c 'echo hi; exit 3'");
is($rc, 3, "the program's exit status");
is($out, "hi\n", 'its output');

($rc, $out) = run("$sc -t 5 -- sh -c 'echo err >&2'");
is($out, "err\n", 'stderr merged into stdout');

($rc, $out) = run("$sc -t 5 -- sh -c 'kill -SEGV \$\$'");
is($rc, 128 + 11, 'killed by a signal: 128+N');
like($out, qr/# sc-run: killed by SIGSEGV/, '... and said so');

my $t0 = time;
($rc, $out) = run("$sc -t 1 -- sh -c 'setsid sleep 31 & sleep 31'");
is($rc, 124, 'timeout: 124');
like($out, qr/# sc-run: timeout: killed after 1 s/, '... said once');
ok(time - $t0 < 5, 'timeout kills the program and a descendant in another session at once');

($rc, $out) = run("$sc -t 5 -- sh -c '(setsid sleep 32 &) ; echo parent-done'");
is($rc, 0, 'a program that leaves a child behind still exits 0');
like($out, qr/killed 1 process left behind/, '... and the leftover is killed and reported');
is(`pgrep -f 'sleep 3[12]' | wc -l` + 0, 0, 'no sleep left running');

($rc, $out) = run("$sc -t 5 -p /tmp/x.so -- sh -c 'echo \"[\$LD_PRELOAD]\"' 2>/dev/null");
like($out, qr/\[\/tmp\/x.so\]/, 'LD_PRELOAD set for the program');
ok(!exists $ENV{LD_PRELOAD}, '... not for the caller');

($rc, $out) = run("$sc -t 5 -w /nonexistent/wrapper -- /bin/true");
is($rc, 127, 'a missing wrapper: 127');
like($out, qr/cannot execute \/nonexistent\/wrapper: ENOENT/, '... with the reason');

($rc, $out) = run("$sc -t 5 -w env -w SC_WRAPPED=1 -- sh -c 'echo \$SC_WRAPPED'");
is($out, "1\n", 'wrap arguments come before the program');

# the whole command line reaches the program, however long (a batch of 80 programs
# through a guest's qemu-run once lost all but the first 62 words)
my @words = map { "w$_" } 1 .. 300;
($rc, $out) = run("$sc -t 5 -w env " . join(' ', map { "-w V$_=$_" } 1 .. 40) . " -- sh -c 'echo \$# \$V40' x @words");
is($out, "300 40\n", 'every wrap argument and every program argument is passed on');

# -d DIR: the program's TMPDIR
($rc, $out) = run("$sc -t 5 -d /tmp/x -- sh -c 'echo \$TMPDIR'");
is($out, "/tmp/x\n", '-d DIR sets TMPDIR');
done_testing;
