#!/usr/bin/perl
# The house style that a compiler does not check, over tests/*/*.[ch]:
#   - a call that reports errors through errno is not compared raw:
#     EXPECT_EQ(0, fcntl(...)); prints "-1" and no errno, so write
#     EXPECT_SYSCALL_RETURNS(0, fcntl(...)) (or SC_OK, EXPECT_SYSCALL_FAILS),
#     whose diagnostic names the call and the errno (harness/sysconform.h).
#     A compare followed by its own { TH_LOG(...) } block says more itself and passes.
# Prints "file:line: ..." for each finding and exits 1 when there is one.
#   harness/lint.pl [FILE...]
use strict;
use warnings;
use File::Basename qw(dirname);

chdir dirname(__FILE__) . '/..' or die "cd: $!\n";
my @files = @ARGV ? @ARGV : sort glob('tests/*/*.c tests/*/*.h');

# Calls whose failure is -1 with errno (libc's system-call wrappers, and the tests'
# thin wrappers of one: lock_range() is fcntl()).
my %errno_call = map { $_ => 1 } qw(
	read write lseek fcntl ioctl open openat close dup dup2 dup3 pipe pipe2 socketpair
	socket bind listen connect accept accept4 send recv sendto recvfrom sendmsg recvmsg
	sendmmsg recvmmsg shutdown getsockopt setsockopt pread pwrite readv writev preadv
	pwritev preadv2 pwritev2 flock ftruncate truncate fallocate fsync fdatasync
	copy_file_range splice tee vmsplice sendfile close_range mmap munmap mprotect msync
	madvise mremap mlock munlock kill raise sigprocmask sigaction sigtimedwait
	setitimer waitpid poll ppoll select epoll_create epoll_create1 epoll_ctl epoll_wait
	epoll_pwait epoll_pwait2 fstat stat lstat statx readlink access faccessat chdir
	fchdir mkdir rmdir unlink unlinkat rename renameat renameat2 link symlink chmod
	fchmod chown fchown utimensat futimens setxattr getxattr fsetxattr fgetxattr
	unshare setns prctl mount umount umount2 setpgid setsid eventfd timerfd_settime
	signalfd inotify_add_watch lock_range
);

# The index of the ')' that closes the '(' at OPEN in TEXT.
sub close_paren {
	my ($text, $open) = @_;
	my $depth = 0;
	for my $i ($open .. length($text) - 1) {
		my $c = substr($text, $i, 1);
		$depth++ if $c eq '(';
		return $i if $c eq ')' && --$depth == 0;
	}
	return length $text;
}

my $bad = 0;
for my $f (@files) {
	open my $fh, '<', $f or die "$f: $!\n";
	my $text = do { local $/; <$fh> };
	close $fh;
	while ($text =~ /\b((?:EXPECT|ASSERT)_(?:EQ|NE))\(\s*(-?\d+)\s*,\s*([a-z_][a-z0-9_]*)\(/g) {
		my ($macro, $want, $call) = ($1, $2, $3);
		next unless $errno_call{$call};
		my ($at, $call_open) = ($-[0], $+[0] - 1);
		my $call_end = close_paren($text, $call_open);
		# The call must be the whole compared value (not "fcntl(fd, F_GETFD) & FD_CLOEXEC"),
		# and the compare have no block of its own (one that logs says more itself).
		my $after = substr($text, $call_end + 1);
		next unless $after =~ /^\s*\)\s*(.)/s && $1 ne '{';
		my $line = 1 + (substr($text, 0, $at) =~ tr/\n//);
		my $kind = $macro =~ /^ASSERT/ ? 'ASSERT' : 'EXPECT';
		my $use = $macro =~ /_NE$/ && $want eq '-1' ? "SC_OK($call(...)), or the value it must return with ${kind}_SYSCALL_RETURNS"
			: "${kind}_SYSCALL_RETURNS($want, $call(...))";
		print "$f:$line: $macro($want, $call(...)) loses the errno: use $use\n";
		$bad++;
	}
}
exit($bad ? 1 : 0);
