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
	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_SH | LOCK_NB));
}

/* A child's flock(LOCK_EX|LOCK_NB) on its own open() of "f": the errno is its report. */
static int flock_own_open(void *data)
{
	int *err = data, fd = open("f", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	*err = flock(fd, LOCK_EX | LOCK_NB) ? errno : 0;
	return SC_CHILD_OK;
}

/* LOCK-17 flock(2): LOCK_EX|LOCK_NB in another process fails with EWOULDBLOCK while this one holds LOCK_EX. */
TEST_F(two_opens, flock_conflicts_with_other_process_ewouldblock)
{
	struct sc_child c;
	int err = -1;

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	sc_child_run(&c, "the child", flock_own_open, &err, sizeof(err));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EWOULDBLOCK, err) {
		TH_LOG("the child's flock(LOCK_EX|LOCK_NB) -> %s", sc_errname(err));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* LOCK-17 flock(2): shared locks through two descriptions coexist, and LOCK_EX|LOCK_NB through a third fails with EWOULDBLOCK. */
TEST_F(two_opens, flock_shared_locks_coexist_and_block_exclusive)
{
	int fd3 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_SH));
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_SH | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(fd3, LOCK_EX | LOCK_NB));
	close(fd3);
}

/* LOCK-18 flock(2): a dup shares the description's lock: LOCK_EX|LOCK_NB via the dup succeeds and LOCK_UN via the dup releases it. */
TEST_F(two_opens, flock_shared_by_dup_and_released_through_it)
{
	int d = SC_SETUP(dup(self->f.fd));

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	EXPECT_SYSCALL_RETURNS(0, flock(d, LOCK_EX | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
	ASSERT_SYSCALL_RETURNS(0, flock(d, LOCK_UN));
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_EX | LOCK_NB));
	close(d);
}

/* LOCK-18 flock(2): closing one copy of the description keeps the lock; closing the last copy releases it. */
TEST_F(two_opens, flock_kept_until_last_copy_is_closed)
{
	int d = SC_SETUP(dup(self->f.fd));

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	ASSERT_SYSCALL_RETURNS(0, close(self->f.fd));
	self->f.fd = -1;
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
	ASSERT_SYSCALL_RETURNS(0, close(d));
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* A fork child: relock the flock() lock of its copy of the description *DATA, then LOCK_UN it. */
static int relock_and_unlock(void *data)
{
	int fd = *(int *)data;

	SC_CHILD_CALL(flock(fd, LOCK_EX | LOCK_NB));
	SC_CHILD_CALL(flock(fd, LOCK_UN));
	return SC_CHILD_OK;
}

/* LOCK-18 flock(2): a fork child shares the lock through the inherited description: its LOCK_EX|LOCK_NB succeeds and its LOCK_UN releases it. */
TEST_F(two_opens, flock_shared_with_fork_child_which_can_release)
{
	struct sc_child c;

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	sc_child_run(&c, "the child", relock_and_unlock, &self->f.fd, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(0, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* LOCK-18 flock(2): the exit of a fork child holding a copy of the description leaves the lock in place. */
TEST_F(two_opens, flock_kept_when_fork_child_exits)
{
	struct sc_child c;

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	sc_child_run(&c, "the child", close_copy, &self->f.fd, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
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
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->f.fd, LOCK_SH | LOCK_NB));
	ASSERT_SYSCALL_RETURNS(0, flock(rd, LOCK_UN));
	EXPECT_SYSCALL_RETURNS(0, flock(wr, LOCK_SH | LOCK_NB));
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->f.fd, LOCK_EX | LOCK_NB));
	close(rd);
	close(wr);
}

/*
 * Before the exec helper runs: flock(LOCK_EX|LOCK_NB) through an O_RDONLY open() of
 * "f", whose number goes into ARG (16 bytes), the helper's argument.
 */
static int flock_read_only(void *arg)
{
	int fd = open("f", O_RDONLY);

	if (fd < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	if (flock(fd, LOCK_EX | LOCK_NB))	/* a divergence (LOCK-19), not a setup error */
		return sc_child_fail("flock(LOCK_EX|LOCK_NB) on an O_RDONLY fd -> %s", sc_errname(errno));
	snprintf(arg, 16, "%d", fd);
	return SC_CHILD_OK;
}

/* LOCK-19 flock(2): a flock() lock taken (LOCK_EX on an O_RDONLY descriptor) before execve() is still held by the new program, and goes when it exits. */
TEST_F(two_opens, flock_kept_across_execve)
{
	char arg[16] = "";
	const char *const args[] = { "--wait", arg, NULL };
	struct sc_child c;
	int in, out, r;

	if (sc_spawn_helper_io(&c, args, &in, &out, flock_read_only, arg))
		SC_ERROR("%s", c.text);
	r = sc_wait_ready(out);
	sc_kit_close(out);
	if (r != 0) {		/* the helper printed nothing */
		sc_kit_close(in);
		r = sc_child_end(&c);
		if (r == SC_CHILD_FAILED && on_nfs(self->f.fd))
			SKIP(return, NFS_LOCK_EX_NEEDS_WRITE);
		ASSERT_NE(SC_CHILD_FAILED, r) {
			TH_LOG("%s", c.text);
		}
		SC_ERROR("the exec helper printed nothing: %s", c.text);
	}
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->f.fd, LOCK_EX | LOCK_NB));
	sc_kit_close(in);	/* stdin's end of file ends the helper */
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX | LOCK_NB));
}

/* LOCK-20 flock(2): on a local filesystem flock(LOCK_EX|LOCK_NB) succeeds on a file another process holds F_WRLCK on. */
TEST_F(two_opens, flock_ignores_fcntl_lock_of_other_process)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	const char *net = flock_emulated_by(self->f.fd);
	struct lock_holder h = { 0 };
	int r, err;

	START_LOCK_HOLDER(&h, { F_WRLCK, 0, 0 });
	errno = 0;
	r = flock(self->f.fd, LOCK_EX | LOCK_NB);
	err = errno;
	if (r == -1 && err == EWOULDBLOCK && net) {
		stop_lock_holder(&h);
		SKIP(return, LOCKS_INTERACT, net);
	}
	EXPECT_EQ(0, r) {
		TH_LOG("flock(LOCK_EX|LOCK_NB): %s", sc_errname(err));
	}
	/* Control: the holder's record lock is there. */
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->fd2, F_GETLK, &fl));
	EXPECT_EQ(h.c.pid, fl.l_pid);
	stop_lock_holder(&h);
	EXPECT_CHILD_SUCCEEDED(&h.c);
}

/* LOCK-20 flock(2): on a local filesystem another process's F_SETLK F_WRLCK succeeds on a file this process holds flock(LOCK_EX) on. */
TEST_F(two_opens, fcntl_lock_ignores_flock_of_other_process)
{
	struct lock_try t = { -1, -1, { F_WRLCK, 0, 0 } };
	const char *net = flock_emulated_by(self->f.fd);
	struct sc_child c;

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
	sc_child_run(&c, "the child", try_setlk, &t, sizeof(t.err));
	ASSERT_CHILD_REPORTED(&c);
	if (t.err == EAGAIN && net)
		SKIP(return, LOCKS_INTERACT, net);
	EXPECT_EQ(0, t.err) {
		TH_LOG("the child's F_SETLK F_WRLCK -> %s", sc_errname(t.err));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
	/* Control: the flock() lock is there. */
	EXPECT_SYSCALL_FAILS(EWOULDBLOCK, flock(self->fd2, LOCK_EX | LOCK_NB));
}

/* LOCK-21 flock(2): flock() locks are advisory (not on SMB since 5.5): read() and write() through another description succeed while LOCK_EX is held. */
TEST_F(two_opens, flock_does_not_block_read_or_write)
{
	const char *net = flock_emulated_by(self->f.fd);
	char buf[4] = "";
	ssize_t n;
	int err;

	ASSERT_SYSCALL_RETURNS(0, flock(self->f.fd, LOCK_EX));
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
