# sc_kit.h: the promises of the fixture and child kit (ready-only and two-report
# children, nocore starts, a zeroed struct ended, per-thread words, SC_CHILD_START's
# single evaluation, the helper on the kit's pipes), by harness/t/kit-selftest.c,
# built like a test program next to a copy of sc-exec-helper.
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use Test::More;

my $root = "$FindBin::Bin/../..";
my $ksft = "$root/build/ksft";
my $helper = "$root/build/harness/sc-exec-helper";
plan skip_all => 'not built (make)' unless -f "$ksft/kselftest_harness.h" && -x $helper;
my $cc = $ENV{CC} || 'cc';
my $dir = tempdir('sc-kit-t.XXXXXX', TMPDIR => 1, CLEANUP => 1);
mkdir "$dir/$_" for qw(harness tests tests/kit);
system('cp', $helper, "$dir/harness/") == 0 or BAIL_OUT('cannot copy sc-exec-helper');
my $out = `$cc -O2 -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -iquote '$root/harness' -isystem '$ksft' -o '$dir/tests/kit/selftest' '$FindBin::Bin/kit-selftest.c' -lpthread 2>&1`;
is($?, 0, 'kit-selftest.c builds warning-free') or diag($out);
$out = `'$dir/tests/kit/selftest' 2>&1`;
is($? >> 8, 0, 'every kit case passes') or diag($out);
my @ok = $out =~ /^ok \d+ (\S+)/mg;
my ($plan) = $out =~ /^1\.\.(\d+)/m;
ok($plan && @ok == $plan, "all $plan cases ran") or diag($out);
done_testing;
