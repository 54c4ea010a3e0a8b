// SPDX-License-Identifier: GPL-2.0-only
/*
 * POSIX record locks (fcntl F_SETLK, F_GETLK) between two processes: conflicts,
 * open-mode checks, ranges (l_len 0, negative, past end of file, split by a
 * partial unlock), what F_GETLK reports, and that the locks are only advisory.
 * A holder child takes locks on its own open() of the file; the test checks them.
 * Man pages: fcntl(2) "Advisory record locking".
 */
#include "locks.h"

#define FILE_SIZE 100

/* F_SETLK that must succeed, then F_UNLCK of the same range; -1 as F_SETLK failed. */
static int lock_and_unlock(int fd, short type, off_t start, off_t len)
{
	int r = lock_range(fd, F_SETLK, type, start, len);

	if (r == 0)
		lock_range(fd, F_SETLK, F_UNLCK, start, len);
	return r;
}

FIXTURE(locked_file) {
	struct sc_file f;	/* "f", O_RDWR */
	struct lock_holder h;	/* h.c.pid holds locks on its own open() of "f" */
};

FIXTURE_SETUP(locked_file)
{
	sc_file_setup(_metadata, &self->f, "f", NULL, FILE_SIZE, O_RDWR);
}

FIXTURE_TEARDOWN(locked_file)
{
	stop_lock_holder(&self->h);
	sc_file_teardown(&self->f);
}

#define HOLD(...) START_LOCK_HOLDER(&self->h, __VA_ARGS__)

/* LOCK-01 fcntl(2): F_SETLK F_WRLCK on a range another process write-locked fails with EAGAIN. */
TEST_F(locked_file, write_lock_on_range_locked_elsewhere_fails_eagain)
{
	HOLD({ F_WRLCK, 0, 10 });
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 5, 10));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 9, 1));
}

/* LOCK-02 fcntl(2): read locks of two processes on overlapping ranges are both granted. */
TEST_F(locked_file, read_locks_of_two_processes_coexist)
{
	HOLD({ F_RDLCK, 0, 50 });
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_RDLCK, 25, 50));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_RDLCK, 0, 0));
}

/* LOCK-02 fcntl(2): F_WRLCK fails with EAGAIN on a range another process read-locked. */
TEST_F(locked_file, write_lock_conflicts_with_read_lock_elsewhere)
{
	HOLD({ F_RDLCK, 10, 20 });
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 29, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 0));
	EXPECT_EQ(0, lock_and_unlock(self->f.fd, F_RDLCK, 10, 20));
}

/* LOCK-02 fcntl(2): F_RDLCK fails with EAGAIN on a range another process write-locked. */
TEST_F(locked_file, read_lock_conflicts_with_write_lock_elsewhere)
{
	HOLD({ F_WRLCK, 10, 20 });
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_RDLCK, 10, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_RDLCK, 5, 10));
}

/* LOCK-02 fcntl(2): write locks of two processes on adjacent, non-overlapping ranges are both granted. */
TEST_F(locked_file, write_locks_on_adjacent_ranges_coexist)
{
	HOLD({ F_WRLCK, 10, 10 });
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 20, 10));
}

/* LOCK-03 fcntl(2): F_RDLCK on a descriptor opened O_WRONLY fails with EBADF; F_WRLCK on it works. */
TEST_F(locked_file, read_lock_on_write_only_fd_fails_ebadf)
{
	int fd = SC_SETUP(open("f", O_WRONLY | O_CLOEXEC));

	EXPECT_SYSCALL_FAILS(EBADF, lock_range(fd, F_SETLK, F_RDLCK, 0, 10));
	EXPECT_SYSCALL_RETURNS(0, lock_range(fd, F_SETLK, F_WRLCK, 0, 10));
	close(fd);
}

/* LOCK-03 fcntl(2): F_WRLCK on a descriptor opened O_RDONLY fails with EBADF; F_RDLCK on it works. */
TEST_F(locked_file, write_lock_on_read_only_fd_fails_ebadf)
{
	int fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));

	EXPECT_SYSCALL_FAILS(EBADF, lock_range(fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT_SYSCALL_RETURNS(0, lock_range(fd, F_SETLK, F_RDLCK, 0, 10));
	close(fd);
}

/* LOCK-04 fcntl(2): a lock with l_len 0 covers every byte from l_start on, including bytes written later. */
TEST_F(locked_file, zero_length_lock_covers_bytes_appended_later)
{
	HOLD({ F_WRLCK, 50, 0 });
	ASSERT_SYSCALL_RETURNS(1, pwrite(self->f.fd, "z", 1, 1 << 20));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 1 << 20, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, (off_t)1 << 40, 1));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 50));
}

/* LOCK-04 fcntl(2): a range wholly past end of file can be locked, and the lock conflicts there. */
TEST_F(locked_file, lock_past_end_of_file_is_granted_and_conflicts)
{
	HOLD({ F_WRLCK, 1000, 10 });
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 1005, 1));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 1010, 1));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 990, 10));
}

/* LOCK-04 fcntl(2): a lock whose range starts before offset 0 (SEEK_SET, SEEK_CUR, SEEK_END, or via negative l_len) fails with EINVAL. */
TEST_F(locked_file, lock_starting_before_offset_zero_fails_einval)
{
	struct flock cur = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = -11, .l_len = 1 };
	struct flock end = { .l_type = F_WRLCK, .l_whence = SEEK_END, .l_start = -FILE_SIZE - 1,
			     .l_len = 1 };

	ASSERT_SYSCALL_RETURNS(10, lseek(self->f.fd, 10, SEEK_SET));
	EXPECT_SYSCALL_FAILS(EINVAL, lock_range(self->f.fd, F_SETLK, F_WRLCK, -1, 10));
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(self->f.fd, F_SETLK, &cur));
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(self->f.fd, F_SETLK, &end));
	EXPECT_SYSCALL_FAILS(EINVAL, lock_range(self->f.fd, F_SETLK, F_WRLCK, 5, -6));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 5, -5));
}

/* LOCK-04 fcntl(2): l_start 50 with l_len -10 locks bytes 40..49 and nothing else. */
TEST_F(locked_file, negative_length_locks_bytes_before_start)
{
	HOLD({ F_WRLCK, 50, -10 });
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 40, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 49, 1));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 39, 1));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 50, 1));
}

/* LOCK-05 fcntl(2): F_UNLCK of [40,60) inside a write lock of [0,100) frees [40,60) and keeps [0,40) and [60,100) locked. */
TEST_F(locked_file, unlocking_middle_splits_write_lock_in_two)
{
	HOLD({ F_WRLCK, 0, 100 }, { F_UNLCK, 40, 20 });
	EXPECT_EQ(0, lock_and_unlock(self->f.fd, F_WRLCK, 40, 20));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 40));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 39, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 60, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 99, 1));
}

/* LOCK-05 fcntl(2): F_RDLCK on [40,60) inside the process's write lock of [0,100) turns just those bytes into a read lock. */
TEST_F(locked_file, relocking_middle_as_read_converts_only_that_part)
{
	HOLD({ F_WRLCK, 0, 100 }, { F_RDLCK, 40, 20 });
	EXPECT_EQ(0, lock_and_unlock(self->f.fd, F_RDLCK, 40, 20));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 40, 20));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_RDLCK, 39, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_RDLCK, 60, 1));
}

/* LOCK-06 fcntl(2): F_GETLK on a free range sets l_type to F_UNLCK and leaves l_whence, l_start, l_len as given. */
TEST_F(locked_file, getlk_on_free_range_reports_unlck_keeping_fields)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 3, .l_len = 7 };

	HOLD({ F_WRLCK, 0, 10 });
	ASSERT_SYSCALL_RETURNS(20, lseek(self->f.fd, 20, SEEK_SET));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &fl));
	EXPECT_EQ(F_UNLCK, fl.l_type);
	EXPECT_EQ(SEEK_CUR, fl.l_whence);
	EXPECT_EQ(3, fl.l_start);
	EXPECT_EQ(7, fl.l_len);
}

/* LOCK-06 fcntl(2): F_GETLK on a conflicting range returns the holder's lock type, range (SEEK_SET) and PID. */
TEST_F(locked_file, getlk_reports_conflicting_type_range_and_pid)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100 };

	HOLD({ F_RDLCK, 10, 20 });
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &fl));
	EXPECT_EQ(F_RDLCK, fl.l_type);
	EXPECT_EQ(SEEK_SET, fl.l_whence);
	EXPECT_EQ(10, fl.l_start);
	EXPECT_EQ(20, fl.l_len);
	EXPECT_EQ(self->h.c.pid, fl.l_pid);
}

/* LOCK-04 LOCK-06 fcntl(2): F_GETLK reports a lock taken with l_len 0 as l_len 0 from its start. */
TEST_F(locked_file, getlk_reports_zero_length_lock_as_len_zero)
{
	struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 200, .l_len = 5 };

	HOLD({ F_WRLCK, 50, 0 });
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &fl));
	EXPECT_EQ(F_WRLCK, fl.l_type);
	EXPECT_EQ(50, fl.l_start);
	EXPECT_EQ(0, fl.l_len);
	EXPECT_EQ(self->h.c.pid, fl.l_pid);
}

/* LOCK-06 fcntl(2): F_GETLK never reports the caller's own POSIX locks, only other processes' ones. */
TEST_F(locked_file, getlk_ignores_callers_own_locks)
{
	struct flock own = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
	struct flock all = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 10));
	HOLD({ F_WRLCK, 50, 10 });
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &own));
	EXPECT_EQ(F_UNLCK, own.l_type);
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &all));
	EXPECT_EQ(F_WRLCK, all.l_type);
	EXPECT_EQ(50, all.l_start);
	EXPECT_EQ(10, all.l_len);
	EXPECT_EQ(self->h.c.pid, all.l_pid);
}

/* LOCK-21 fcntl(2): POSIX locks are advisory: read() and write() on a range another process write-locked succeed. */
TEST_F(locked_file, write_lock_does_not_block_read_or_write)
{
	char buf[4] = "";

	HOLD({ F_WRLCK, 0, 0 });
	ASSERT_SYSCALL_RETURNS(0, lseek(self->f.fd, 0, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(4, write(self->f.fd, "wxyz", 4));
	ASSERT_SYSCALL_RETURNS(0, lseek(self->f.fd, 0, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(4, read(self->f.fd, buf, 4));
	EXPECT_EQ(0, memcmp("wxyz", buf, 4));
	/* Control: the holder's lock is really there. */
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 1));
}

TEST_HARNESS_MAIN
