// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open file description locks (fcntl F_OFD_SETLK, F_OFD_GETLK): owned by the
 * description, so two open()s of a file conflict even in one process, dups and
 * fork children share them, they survive close() of other descriptors, and
 * they conflict with POSIX record locks. Man pages: fcntl(2) "Open file
 * description locks (non-POSIX)".
 */
#define LOCKS_TWO_OPENS
#include "locks.h"
#include "compat.h"

/* LOCK-12 fcntl(2): OFD write locks through two separate open()s in one process conflict: the second fails with EAGAIN. */
TEST_F(two_opens, ofd_write_lock_conflicts_across_two_open_calls)
{
	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 5, 10));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd2, F_OFD_SETLK, F_RDLCK, 0, 1));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 10, 10));
}

/* LOCK-12 fcntl(2): OFD read locks through two open()s coexist, and a write lock through a third open() conflicts with them. */
TEST_F(two_opens, ofd_read_locks_of_two_descriptions_coexist)
{
	int fd3;

	SC_REQUIRE_FEATURE(ofd_locks);
	fd3 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_RDLCK, 0, 10));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd2, F_OFD_SETLK, F_RDLCK, 5, 10));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(fd3, F_OFD_SETLK, F_WRLCK, 0, 1));
	close(fd3);
}

/* LOCK-12 fcntl(2): OFD locks through dups of one description are compatible: a write lock via the dup on the same range succeeds. */
TEST_F(two_opens, ofd_locks_through_dup_are_compatible)
{
	int d;

	SC_REQUIRE_FEATURE(ofd_locks);
	d = SC_SETUP(dup(self->f.fd));
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	EXPECT_SYSCALL_RETURNS(0, lock_range(d, F_OFD_SETLK, F_WRLCK, 0, 10));
	EXPECT_SYSCALL_RETURNS(0, lock_range(d, F_OFD_SETLK, F_RDLCK, 5, 10));
	/* Control: the lock is really there for another description. */
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 0, 1));
	close(d);
}

/* LOCK-13 fcntl(2): an OFD lock survives close() of another descriptor (separate open()) of the same file. */
TEST_F(two_opens, ofd_lock_survives_close_of_other_descriptor)
{
	int fd3;

	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	ASSERT_SYSCALL_RETURNS(0, close(self->fd2));
	self->fd2 = -1;
	fd3 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(fd3, F_OFD_SETLK, F_WRLCK, 0, 10));
	/* Control: closing the locking description does release it. */
	ASSERT_SYSCALL_RETURNS(0, close(self->f.fd));
	self->f.fd = -1;
	EXPECT_SYSCALL_RETURNS(0, lock_range(fd3, F_OFD_SETLK, F_WRLCK, 0, 10));
	close(fd3);
}

/* LOCK-13 fcntl(2): an OFD lock stays while a dup of its description is open and goes when the last one is closed. */
TEST_F(two_opens, ofd_lock_released_when_last_dup_closed)
{
	int d;

	SC_REQUIRE_FEATURE(ofd_locks);
	d = SC_SETUP(dup(self->f.fd));
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	ASSERT_SYSCALL_RETURNS(0, close(self->f.fd));
	self->f.fd = -1;
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 0, 10));
	ASSERT_SYSCALL_RETURNS(0, close(d));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 0, 10));
}

/* A fork child: relock the OFD lock of its copy of the description *DATA, then F_UNLCK it. */
static int relock_and_unlock(void *data)
{
	int fd = *(int *)data;

	SC_CHILD_CALL(lock_range(fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	SC_CHILD_CALL(lock_range(fd, F_OFD_SETLK, F_UNLCK, 0, 10));
	return SC_CHILD_OK;
}

/* LOCK-14 fcntl(2): a fork child shares the OFD lock: it may relock it on its copy and F_UNLCK there releases it for another description. */
TEST_F(two_opens, ofd_lock_shared_with_fork_child_which_can_release)
{
	struct sc_child c;

	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	sc_child_run(&c, "the child", relock_and_unlock, &self->f.fd, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 0, 10));
}

/* LOCK-13 LOCK-14 fcntl(2): the exit of a fork child holding a copy of the description does not release the OFD lock. */
TEST_F(two_opens, ofd_lock_kept_when_fork_child_exits)
{
	struct sc_child c;

	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	sc_child_run(&c, "the child", close_copy, &self->f.fd, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd2, F_OFD_SETLK, F_WRLCK, 0, 10));
}

/* LOCK-15 fcntl(2): F_OFD_SETLK and F_OFD_GETLK with l_pid != 0 fail with EINVAL. */
TEST_F(two_opens, ofd_request_with_nonzero_pid_fails_einval)
{
	struct flock set = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 10,
			     .l_pid = getpid() };
	struct flock get = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 10, .l_pid = 1 };

	SC_REQUIRE_FEATURE(ofd_locks);
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(self->f.fd, F_OFD_SETLK, &set));
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(self->f.fd, F_OFD_GETLK, &get));
	/* Control: the same request with l_pid 0 is fine. */
	set.l_pid = 0;
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_OFD_SETLK, &set));
}

/* LOCK-16 fcntl(2): a POSIX lock and an OFD lock on one descriptor of one process conflict (EAGAIN), in both orders. */
TEST_F(two_opens, ofd_and_posix_locks_on_one_fd_conflict)
{
	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 5, 10));
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 20, 10));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 25, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_RDLCK, 20, 1));
}

/* LOCK-06 fcntl(2): F_OFD_GETLK and F_GETLK report a conflicting OFD lock with its type and range and l_pid -1. */
TEST_F(two_opens, getlk_reports_ofd_lock_with_pid_minus_one)
{
	struct flock ofd = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	struct flock posix = ofd;

	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_RDLCK, 10, 5));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->fd2, F_OFD_GETLK, &ofd));
	EXPECT_EQ(F_RDLCK, ofd.l_type);
	EXPECT_EQ(10, ofd.l_start);
	EXPECT_EQ(5, ofd.l_len);
	EXPECT_EQ(-1, ofd.l_pid);
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->fd2, F_GETLK, &posix));
	EXPECT_EQ(F_RDLCK, posix.l_type);
	EXPECT_EQ(10, posix.l_start);
	EXPECT_EQ(-1, posix.l_pid);
}

/* LOCK-06 fcntl(2): F_OFD_GETLK through the locking description itself sees no conflict and returns F_UNLCK. */
TEST_F(two_opens, ofd_getlk_ignores_own_description_locks)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };

	SC_REQUIRE_FEATURE(ofd_locks);
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_OFD_SETLK, F_WRLCK, 0, 10));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_OFD_GETLK, &fl));
	EXPECT_EQ(F_UNLCK, fl.l_type);
	EXPECT_EQ(0, fl.l_start);
	EXPECT_EQ(10, fl.l_len);
}

TEST_HARNESS_MAIN
