// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timeouts of poll() and select(): lower bounds only, each paired with a ready
 * descriptor that ends the wait at once; select()'s updated timeout (Linux) and
 * pselect()'s untouched one; nfds above RLIMIT_NOFILE.
 * Man pages: poll(2), select(2).
 */
#include "poll.h"

POLL_PIPE_FIXTURE(pipe_pair)

/*
 * select() as the kernel answers it: glibc's is the system call; musl's passes the
 * kernel a copy of the timeout by design (it converts it for the time64 ABI), so
 * the Linux write-back never reaches the caller there.
 */
static int kernel_select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
#ifdef __GLIBC__
	return select(nfds, r, w, e, tv);
#else
	return syscall(SYS_select, nfds, r, w, e, tv);
#endif
}

/* POLL-06 poll(2): timeout 0 with nothing ready returns 0 at once; with the pipe readable it returns 1. */
TEST_F(pipe_pair, timeout_zero_returns_at_once)
{
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };

	EXPECT_SYSCALL_RETURNS(0, poll(&p, 1, 0));
	EXPECT_EQ(0, p.revents);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, poll(&p, 1, 0));
	EXPECT_EQ(POLLIN, p.revents);
}

/* POLL-06 poll(2): timeout 50 with nothing ready returns 0 after at least 50 ms; a ready pipe ends a 5 s wait at once. */
TEST_F(pipe_pair, timeout_n_returns_zero_after_at_least_n_ms)
{
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };

	EXPECT_RETURNS_0_AFTER_MS(50, poll(&p, 1, 50));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_RETURNS_BEFORE_TIMEOUT(1, poll(&p, 1, SC_WAIT_MS));
}

/* POLL-06 poll(2): poll(NULL, 0, 50) sleeps at least 50 ms and returns 0. */
TEST(poll_no_fds_sleeps_for_timeout)
{
	EXPECT_RETURNS_0_AFTER_MS(50, poll(NULL, 0, 50));
	/* Control: with timeout 0 it returns at once. */
	EXPECT_RETURNS_BEFORE_TIMEOUT(0, poll(NULL, 0, 0));
}

/* POLL-06 poll(2): nfds above the RLIMIT_NOFILE soft limit (64) fails with EINVAL; nfds 64 is accepted. */
TEST_F(pipe_pair, nfds_above_rlimit_nofile_fails_einval)
{
	struct rlimit rl;
	struct pollfd fds[65];

	for (int i = 0; i < 65; i++)
		fds[i] = (struct pollfd){ .fd = self->p.rd, .events = POLLIN };
	SC_SETUP(getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = 64;
	SC_SETUP(setrlimit(RLIMIT_NOFILE, &rl));
	EXPECT_SYSCALL_FAILS(EINVAL, poll(fds, 65, 0));
	/* Control: 64 entries (the empty pipe's read end) are accepted. */
	EXPECT_SYSCALL_RETURNS(0, poll(fds, 64, 0));
}

/* POLL-03 select(2): select() that times out (30 ms) returns 0 after at least 30 ms and sets its timeout to zero. */
TEST_F(pipe_pair, select_timeout_zeroed_after_timeout)
{
	struct timeval tv = { 0, 30000 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	EXPECT_RETURNS_0_AFTER_MS(30, kernel_select(self->p.rd + 1, &r, NULL, NULL, &tv));
	EXPECT_EQ(0, tv.tv_sec);
	EXPECT_EQ(0, tv.tv_usec) {
		TH_LOG("timeout left {%ld, %ld} after the wait timed out",
		       (long)tv.tv_sec, (long)tv.tv_usec);
	}
}

/* POLL-03 select(2): select() woken at once by a ready pipe leaves the time not slept (more than 9 of 10 s) in its timeout. */
TEST_F(pipe_pair, select_timeout_updated_to_time_left)
{
	struct timeval tv = { 10, 0 };
	fd_set r;

	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	EXPECT_RETURNS_BEFORE_TIMEOUT(1, kernel_select(self->p.rd + 1, &r, NULL, NULL, &tv));
	EXPECT_LE(9, tv.tv_sec);
	EXPECT_TRUE(tv.tv_sec < 10 || (tv.tv_sec == 10 && tv.tv_usec == 0)) {
		TH_LOG("timeout {%ld, %ld} grew", (long)tv.tv_sec, (long)tv.tv_usec);
	}
	EXPECT_TRUE(FD_ISSET(self->p.rd, &r));
}

/* POLL-03 select(2): glibc's pselect() leaves its timeout unchanged, after a timeout (30 ms) and after a ready wake-up. */
TEST_F(pipe_pair, pselect_timeout_unchanged)
{
	struct timespec ts = { 0, 30 * 1000000 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	EXPECT_RETURNS_0_AFTER_MS(30, pselect(self->p.rd + 1, &r, NULL, NULL, &ts, NULL));
	EXPECT_EQ(0, ts.tv_sec);
	EXPECT_EQ(30 * 1000000, ts.tv_nsec);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ts = (struct timespec){ 10, 0 };
	FD_SET(self->p.rd, &r);
	EXPECT_RETURNS_BEFORE_TIMEOUT(1, pselect(self->p.rd + 1, &r, NULL, NULL, &ts, NULL));
	EXPECT_EQ(10, ts.tv_sec);
	EXPECT_EQ(0, ts.tv_nsec);
}

/* POLL-12 poll(2): ppoll() with tv_nsec 1000000000, -1, or tv_sec -1 fails with EINVAL, even with the pipe readable. */
TEST_F(pipe_pair, ppoll_invalid_timespec_fails_einval)
{
	static const struct timespec bad[] = { { 0, 1000000000 }, { 0, -1 }, { -1, 0 } };
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };
	struct timespec ts;
	int n, err;

	/* Readable: a call that wrongly accepts the timeout returns 1 at once. */
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ts = bad[i];
		errno = 0;
		n = ppoll(&p, 1, &ts, NULL);
		err = n == -1 ? errno : 0;
		EXPECT_EQ(EINVAL, err) {
			TH_LOG("ppoll() with timeout {%ld, %ld} -> %d %s, expected EINVAL",
			       (long)bad[i].tv_sec, (long)bad[i].tv_nsec, n, n == -1 ? sc_errname(err) : "");
		}
	}
	/* Control: {0, 999999999} is valid. */
	ts = (struct timespec){ 0, 999999999 };
	EXPECT_SYSCALL_RETURNS(1, ppoll(&p, 1, &ts, NULL));
}

/* POLL-12 select(2): select() with tv_sec -1 or tv_usec -1 fails with EINVAL, even with the pipe readable. */
TEST_F(pipe_pair, select_negative_timeval_fails_einval)
{
	static const struct timeval bad[] = { { -1, 0 }, { 0, -1 } };
	struct timeval tv;
	fd_set r;
	int n, err;

	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FD_ZERO(&r);
		FD_SET(self->p.rd, &r);
		tv = bad[i];
		errno = 0;
		n = select(self->p.rd + 1, &r, NULL, NULL, &tv);
		err = n == -1 ? errno : 0;
		EXPECT_EQ(EINVAL, err) {
			TH_LOG("select() with timeout {%ld, %ld} -> %d %s, expected EINVAL",
			       (long)bad[i].tv_sec, (long)bad[i].tv_usec, n, n == -1 ? sc_errname(err) : "");
		}
	}
	/* Control: {0, 999999} is valid. */
	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	tv = (struct timeval){ 0, 999999 };
	EXPECT_SYSCALL_RETURNS(1, select(self->p.rd + 1, &r, NULL, NULL, &tv));
}

TEST_HARNESS_MAIN
