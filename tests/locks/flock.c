// SPDX-License-Identifier: GPL-2.0-only
/*
 * flock() whole-file locks: EWOULDBLOCK on conflict, owned by the open file
 * description (shared by dup and fork copies, released with the last copy),
 * independent of the open mode, kept across execve(), independent of fcntl()
 * record locks on local filesystems, and advisory. Where NFS or SMB emulate
 * flock() with byte-range locks, what the emulation explains is a skip that
 * says so. Man pages: flock(2).
 */
#include <sys/file.h>
#define LOCKS_TWO_OPENS
#include "locks.h"

#define EXIT_SETUP 100	/* a child's setup step failed (errnos stay below) */

/* Why the rules for local filesystems do not hold on a network filesystem that emulates flock(). */
#define NFS_LOCK_EX_NEEDS_WRITE \
	"needs a local filesystem: NFS emulates flock() with POSIX locks (since 2.6.12), " \
	"so LOCK_EX needs a descriptor open for writing"
#define LOCKS_INTERACT \
	"needs a local filesystem: %s emulates flock() with byte-range locks " \
	"(NFS since 2.6.12, SMB since 5.5), so flock() and fcntl() locks interact"

/* Whether FD is on NFS, whose flock() emulation refuses LOCK_EX on a read-only descriptor. */
static bool on_nfs(int fd)
{
	const char *net = flock_emulated_by(fd);

	return net && !strcmp(net, "NFS");
}

/* LOCK-17 flock(2): LOCK_EX|LOCK_NB and LOCK_SH|LOCK_NB through a second open() in the same process fail with EWOULDBLOCK while the first holds LOCK_EX. */
TEST_F(two_opens, flock_conflicts_across_two_open_calls_ewouldblock)
{
	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_SH | LOCK_NB));
}

/* LOCK-17 flock(2): LOCK_EX|LOCK_NB in another process fails with EWOULDBLOCK while this one holds LOCK_EX. */
TEST_F(two_opens, flock_conflicts_with_other_process_ewouldblock)
{
	pid_t pid;
	int st;

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open("f", O_RDWR | O_CLOEXEC);

		if (fd < 0)
			_exit(99);
		_exit(flock(fd, LOCK_EX | LOCK_NB) ? errno : 0);
	}
	st = sc_wait(pid);
	EXPECT_EQ(EWOULDBLOCK, st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1) {
		TH_LOG("child flock: %s", sc_status_str(st));
	}
}

/* LOCK-17 flock(2): shared locks through two descriptions coexist, and LOCK_EX|LOCK_NB through a third fails with EWOULDBLOCK. */
TEST_F(two_opens, flock_shared_locks_coexist_and_block_exclusive)
{
	int fd3 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_SH));
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_SH | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(fd3, LOCK_EX | LOCK_NB));
	close(fd3);
}

/* LOCK-18 flock(2): a dup shares the description's lock: LOCK_EX|LOCK_NB via the dup succeeds and LOCK_UN via the dup releases it. */
TEST_F(two_opens, flock_shared_by_dup_and_released_through_it)
{
	int d = SC_SETUP(dup(self->fd1));

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	EXPECT_SYSCALL_RETURNS(0, flock(d, LOCK_EX | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
	ASSERT_SYSCALL_RETURNS(0, flock(d, LOCK_UN));
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_EX | LOCK_NB));
	close(d);
}

/* LOCK-18 flock(2): closing one copy of the description keeps the lock; closing the last copy releases it. */
TEST_F(two_opens, flock_kept_until_last_copy_is_closed)
{
	int d = SC_SETUP(dup(self->fd1));

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	ASSERT_SYSCALL_RETURNS(0, close(self->fd1));
	self->fd1 = -1;
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
	ASSERT_SYSCALL_RETURNS(0, close(d));
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* LOCK-18 flock(2): a fork child shares the lock through the inherited description: its LOCK_EX|LOCK_NB succeeds and its LOCK_UN releases it. */
TEST_F(two_opens, flock_shared_with_fork_child_which_can_release)
{
	pid_t pid;

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (flock(self->fd1, LOCK_EX | LOCK_NB))
			_exit(1);
		_exit(flock(self->fd1, LOCK_UN) ? 2 : 0);
	}
	EXPECT_CHILD_OK(pid);
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* LOCK-18 flock(2): the exit of a fork child holding a copy of the description leaves the lock in place. */
TEST_F(two_opens, flock_kept_when_fork_child_exits)
{
	pid_t pid;

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(close(self->fd1) ? 1 : 0);
	EXPECT_CHILD_OK(pid);
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* LOCK-19 flock(2): LOCK_EX on an O_RDONLY descriptor and LOCK_SH on an O_WRONLY one succeed and hold the lock (not on NFS, which emulates flock() with POSIX locks). */
TEST_F(two_opens, flock_works_regardless_of_open_mode)
{
	int rd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	int wr = SC_SETUP(open("f", O_WRONLY | O_CLOEXEC));
	int r, err;

	errno = 0;
	r = flock(rd, LOCK_EX | LOCK_NB);
	err = errno;
	if (r == -1 && err == EBADF && on_nfs(rd)) {
		close(rd);
		close(wr);
		SKIP(return, NFS_LOCK_EX_NEEDS_WRITE);
	}
	EXPECT_EQ(0, r) {
		TH_LOG("flock(LOCK_EX|LOCK_NB) on an O_RDONLY fd: %s", sc_errname(err));
	}
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd1, LOCK_SH | LOCK_NB));
	ASSERT_SYSCALL_RETURNS(0, flock(rd, LOCK_UN));
	EXPECT_SYSCALL_RETURNS(0, flock(wr, LOCK_SH | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd1, LOCK_EX | LOCK_NB));
	close(rd);
	close(wr);
}

/* LOCK-19 flock(2): a flock() lock taken (LOCK_EX on an O_RDONLY descriptor) before execve() is still held by the new program, and goes when it exits. */
TEST_F(two_opens, flock_kept_across_execve)
{
	const char *helper = sc_helper_path("sc-exec-helper");
	int in[2], out[2];
	pid_t pid;

	ASSERT_EQ(0, sc_sync_pair(in));
	ASSERT_EQ(0, sc_sync_pair(out));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open("f", O_RDONLY);
		char arg[16];

		if (fd < 0)
			_exit(EXIT_SETUP);
		if (flock(fd, LOCK_EX | LOCK_NB))
			_exit(errno);	/* a divergence (LOCK-19), not a setup error */
		if (dup2(in[0], 0) != 0 || dup2(out[1], 1) != 1)
			_exit(EXIT_SETUP);
		snprintf(arg, sizeof(arg), "%d", fd);
		execl(helper, helper, "--wait", arg, (char *)NULL);
		_exit(EXIT_SETUP);
	}
	close(in[0]);
	close(out[1]);
	if (sc_wait_ready(out[0]) != 0) {
		int st = sc_wait(pid);

		close(out[0]);
		close(in[1]);
		if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == EBADF && on_nfs(self->fd1))
			SKIP(return, NFS_LOCK_EX_NEEDS_WRITE);
		if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) != EXIT_SETUP) {
			ASSERT_EQ(0, WEXITSTATUS(st)) {
				TH_LOG("flock(LOCK_EX|LOCK_NB) on an O_RDONLY fd failed: %s",
				       sc_errname(WEXITSTATUS(st)));
			}
		}
		SC_ERROR("%s printed nothing: %s", helper, sc_status_str(st));
	}
	close(out[0]);
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd1, LOCK_EX | LOCK_NB));
	close(in[1]);
	EXPECT_CHILD_OK(pid);
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX | LOCK_NB));
}

/* LOCK-20 flock(2): on a local filesystem flock(LOCK_EX|LOCK_NB) succeeds on a file another process holds F_WRLCK on. */
TEST_F(two_opens, flock_ignores_fcntl_lock_of_other_process)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	const char *net = flock_emulated_by(self->fd1);
	int release, r, err;
	pid_t pid = spawn_lock_holder(&release);

	ASSERT_LT(0, pid) {
		TH_LOG("setup error: fcntl lock holder did not start");
	}
	errno = 0;
	r = flock(self->fd1, LOCK_EX | LOCK_NB);
	err = errno;
	if (r == -1 && err == EWOULDBLOCK && net) {
		close(release);
		sc_wait(pid);
		SKIP(return, LOCKS_INTERACT, net);
	}
	EXPECT_EQ(0, r) {
		TH_LOG("flock(LOCK_EX|LOCK_NB): %s", sc_errname(err));
	}
	/* Control: the holder's record lock is there. */
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->fd2, F_GETLK, &fl));
	EXPECT_EQ(pid, fl.l_pid);
	close(release);
	EXPECT_CHILD_OK(pid);
}

/* LOCK-20 flock(2): on a local filesystem another process's F_SETLK F_WRLCK succeeds on a file this process holds flock(LOCK_EX) on. */
TEST_F(two_opens, fcntl_lock_ignores_flock_of_other_process)
{
	pid_t pid;
	int st;

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open("f", O_RDWR | O_CLOEXEC);

		if (fd < 0)
			_exit(99);
		_exit(lock_range(fd, F_SETLK, F_WRLCK, 0, 0) ? errno : 0);
	}
	st = sc_wait(pid);
	if (st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == EAGAIN && flock_emulated_by(self->fd1))
		SKIP(return, LOCKS_INTERACT, flock_emulated_by(self->fd1));
	EXPECT_EQ(0, st) {
		TH_LOG("child F_SETLK: %s (%s)", sc_status_str(st),
		       sc_errname(st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : 0));
	}
	/* Control: the flock() lock is there. */
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* LOCK-21 flock(2): flock() locks are advisory (not on SMB since 5.5): read() and write() through another description succeed while LOCK_EX is held. */
TEST_F(two_opens, flock_does_not_block_read_or_write)
{
	const char *net = flock_emulated_by(self->fd1);
	char buf[4] = "";
	ssize_t n;
	int err;

	ASSERT_SYSCALL_RETURNS(0, flock(self->fd1, LOCK_EX));
	errno = 0;
	n = write(self->fd2, "wxyz", 4);
	err = errno;
	if (n == -1 && err == EACCES && net && !strcmp(net, "SMB"))
		SKIP(return, "needs a local filesystem: SMB emulates flock() with mandatory byte-range locks (since 5.5)");
	EXPECT_EQ(4, n) {
		TH_LOG("write() through another description: %s", sc_errname(err));
	}
	EXPECT_SYSCALL_RETURNS(4, pread(self->fd2, buf, 4, 0));
	EXPECT_EQ(0, memcmp("wxyz", buf, 4));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
}

TEST_HARNESS_MAIN
