// SPDX-License-Identifier: GPL-2.0-only
/*
 * close_range(2): closing (or marking close-on-exec) every open descriptor of a
 * range. The tests work on descriptors placed at 100 and above, so the harness's
 * own descriptors are never in a range.
 * Man page: close_range(2).
 */
#include "sysconform.h"
#include "compat.h"

#define BASE 100	/* fds[i] = BASE + slot[i] */
static const int slot[] = { 0, 1, 2, 5, 9, 10, 20 };
#define NSLOTS ((int)(sizeof(slot) / sizeof(slot[0])))

/* Copies of /dev/null at BASE + slot[i], FD_CLOEXEC clear. */
FIXTURE(fd_set) {
	int fds[NSLOTS];
};

FIXTURE_SETUP(fd_set)
{
	int null;

	for (int i = 0; i < NSLOTS; i++)
		self->fds[i] = -1;
	null = SC_SETUP(open("/dev/null", O_RDONLY | O_CLOEXEC));
	for (int i = 0; i < NSLOTS; i++)
		self->fds[i] = SC_SETUP(dup2(null, BASE + slot[i]));
	close(null);
}

FIXTURE_TEARDOWN(fd_set)
{
	for (int i = 0; i < NSLOTS; i++)
		sc_close(&self->fds[i]);
}

/* Open: F_GETFD succeeds (0 or FD_CLOEXEC). */
#define EXPECT_OPEN(fd) EXPECT_LE(0, fcntl(fd, F_GETFD)) { TH_LOG("fd %d is not open", fd); }
#define EXPECT_CLOSED(fd) EXPECT_SYSCALL_FAILS(EBADF, fcntl(fd, F_GETFD))

/*
 * close_range(FIRST, LAST, 0), the call under test, as its own probe: the plain
 * call needs only the system call (Linux 5.9), not CLOSE_RANGE_CLOEXEC (5.11),
 * which the close_range feature probe asks for too. ENOSYS skips; any other
 * result goes on to the test's checks.
 */
#define PLAIN_CLOSE_RANGE(first, last) ({				\
	errno = 0;							\
	int _r = close_range(first, last, 0), _e = errno;		\
	SC_SKIP_IF_UNSUPPORTED(_r, _e, close_range);			\
	errno = _e;							\
	_r;								\
})

/* FD-17 close_range(2): close_range(first,last,0) closes every open descriptor in [first,last]. */
TEST_F(fd_set, closes_every_open_fd_in_range)
{
	ASSERT_EQ(0, PLAIN_CLOSE_RANGE(BASE + 1, BASE + 9));
	for (int i = 0; i < NSLOTS; i++) {
		if (slot[i] >= 1 && slot[i] <= 9) {
			EXPECT_CLOSED(self->fds[i]);
		}
	}
}

/* FD-17 close_range(2): close_range(first,last,0) leaves the descriptors outside [first,last] open. */
TEST_F(fd_set, leaves_fds_outside_range_open)
{
	ASSERT_EQ(0, PLAIN_CLOSE_RANGE(BASE + 1, BASE + 9));
	EXPECT_OPEN(BASE + 0);
	EXPECT_OPEN(BASE + 10);
	EXPECT_OPEN(BASE + 20);
}

/* FD-17 close_range(2): close_range(first,~0U,0) closes every open descriptor from first up. */
TEST_F(fd_set, last_uint_max_closes_everything_from_first)
{
	int high = SC_OK(fcntl(self->fds[0], F_DUPFD, 900));

	ASSERT_EQ(0, PLAIN_CLOSE_RANGE(BASE + 5, ~0U));
	EXPECT_CLOSED(BASE + 5);
	EXPECT_CLOSED(BASE + 20);
	EXPECT_CLOSED(high);
	EXPECT_OPEN(BASE + 2);
	close(high);
}

/* FD-17 close_range(2): first > last fails with EINVAL and closes nothing. */
TEST_F(fd_set, first_above_last_fails_einval)
{
	EXPECT_SYSCALL_FAILS(EINVAL, PLAIN_CLOSE_RANGE(BASE + 9, BASE + 1));
	for (int i = 0; i < NSLOTS; i++) {
		EXPECT_OPEN(self->fds[i]);
	}
}

/* FD-17 close_range(2): CLOSE_RANGE_CLOEXEC closes nothing and sets FD_CLOEXEC on each open fd in range. */
TEST_F(fd_set, cloexec_flag_marks_range_without_closing)
{
	SC_REQUIRE_FEATURE(close_range);
	ASSERT_SYSCALL_RETURNS(0, close_range(BASE + 2, BASE + 10, CLOSE_RANGE_CLOEXEC));
	for (int i = 0; i < NSLOTS; i++) {
		int want = slot[i] >= 2 && slot[i] <= 10 ? FD_CLOEXEC : 0;

		EXPECT_EQ(want, fcntl(self->fds[i], F_GETFD)) {
			TH_LOG("fd %d", self->fds[i]);
		}
	}
}

/* FD-17 close_range(2): close_range(first,~0U,CLOSE_RANGE_CLOEXEC) marks every fd from first up, closes none. */
TEST_F(fd_set, cloexec_to_uint_max_marks_all_from_first)
{
	int high;

	SC_REQUIRE_FEATURE(close_range);
	high = SC_OK(fcntl(self->fds[0], F_DUPFD, 900));
	ASSERT_SYSCALL_RETURNS(0, close_range(BASE + 9, ~0U, CLOSE_RANGE_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(high, F_GETFD));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(BASE + 20, F_GETFD));
	EXPECT_SYSCALL_RETURNS(0, fcntl(BASE + 5, F_GETFD));
	close(high);
}

TEST_HARNESS_MAIN
