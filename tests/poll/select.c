// SPDX-License-Identifier: GPL-2.0-only
/*
 * select(): the returned count and the sets it leaves, nfds bounding what is
 * examined, EBADF and EINVAL, end of file on a pipe.
 * Man page: select(2).
 */
#include "poll.h"

FIXTURE(two_pipes) {
	struct sc_pipe a, b;	/* a has a byte to read, b is empty */
};

FIXTURE_SETUP(two_pipes)
{
	sc_pipe_setup(_metadata, &self->a, O_CLOEXEC);
	sc_pipe_setup(_metadata, &self->b, O_CLOEXEC);
	SC_SETUP(write(self->a.wr, "x", 1));
}

FIXTURE_TEARDOWN(two_pipes)
{
	sc_pipe_teardown(&self->a);
	sc_pipe_teardown(&self->b);
}

static int max_fd(int x, int y)
{
	return x > y ? x : y;
}

/* POLL-02 select(2): with two read ends watched and one readable, select() returns 1 and leaves only that one set. */
TEST_F(two_pipes, returns_ready_count_and_clears_the_rest)
{
	struct timeval tv = { 0, 0 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->a.rd, &r);
	FD_SET(self->b.rd, &r);
	EXPECT_SYSCALL_RETURNS(1, select(max_fd(self->a.rd, self->b.rd) + 1, &r, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(self->a.rd, &r));
	EXPECT_FALSE(FD_ISSET(self->b.rd, &r)) {
		TH_LOG("the empty pipe's read end was left set");
	}
}

/* POLL-02 select(2): each ready descriptor of each set counts: a readable read end and two writable write ends make 3. */
TEST_F(two_pipes, counts_every_ready_descriptor_of_every_set)
{
	struct timeval tv = { 0, 0 };
	int n = max_fd(max_fd(self->a.rd, self->b.rd), max_fd(self->a.wr, self->b.wr)) + 1;
	fd_set r, w;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(self->a.rd, &r);
	FD_SET(self->b.rd, &r);
	FD_SET(self->a.wr, &w);
	FD_SET(self->b.wr, &w);
	EXPECT_SYSCALL_RETURNS(3, select(n, &r, &w, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(self->a.rd, &r));
	EXPECT_FALSE(FD_ISSET(self->b.rd, &r));
	EXPECT_TRUE(FD_ISSET(self->a.wr, &w));
	EXPECT_TRUE(FD_ISSET(self->b.wr, &w));
}

/* POLL-02 select(2): a descriptor at or above nfds is not examined: a closed one there gives no EBADF, and with nfds past it select() fails EBADF. */
TEST_F(two_pipes, fds_at_or_above_nfds_not_examined)
{
	struct timeval tv = { 0, 0 };
	int closed = SC_OK(dup(self->a.rd));
	fd_set r;

	ASSERT_LT(self->a.rd, closed);
	SC_OK(close(closed));
	FD_ZERO(&r);
	FD_SET(self->a.rd, &r);
	FD_SET(closed, &r);
	EXPECT_SYSCALL_RETURNS(1, select(self->a.rd + 1, &r, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(self->a.rd, &r));
	FD_ZERO(&r);
	FD_SET(self->a.rd, &r);
	FD_SET(closed, &r);
	EXPECT_SYSCALL_FAILS(EBADF, select(closed + 1, &r, NULL, NULL, &tv));
}

/* POLL-02 select(2): nfds -1 fails with EINVAL. */
TEST_F(two_pipes, negative_nfds_fails_einval)
{
	volatile int minus_one = -1;
	struct timeval tv = { 0, 0 };
	fd_set r;

	FD_ZERO(&r);
	EXPECT_SYSCALL_FAILS(EINVAL, select(minus_one, &r, NULL, NULL, &tv));
	/* Control: nfds 0 is fine. */
	EXPECT_SYSCALL_RETURNS(0, select(0, &r, NULL, NULL, &tv));
}

/* POLL-04 select(2): an empty pipe whose writers are all closed selects readable, and read() then returns 0. */
TEST_F(two_pipes, widowed_pipe_selects_readable_then_eof)
{
	struct timeval tv = { 0, 0 };
	char c;
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->b.rd, &r);
	/* Control: with the writer open, the empty pipe is not readable. */
	EXPECT_SYSCALL_RETURNS(0, select(self->b.rd + 1, &r, NULL, NULL, &tv));
	sc_close(&self->b.wr);
	FD_SET(self->b.rd, &r);
	EXPECT_SYSCALL_RETURNS(1, select(self->b.rd + 1, &r, NULL, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(self->b.rd, &r));
	EXPECT_SYSCALL_RETURNS(0, read(self->b.rd, &c, 1));
}

TEST_HARNESS_MAIN
