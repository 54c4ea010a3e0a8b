// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing to a pipe that has no reader: SIGPIPE kills the writer by default;
 * with SIGPIPE ignored, blocked or caught the write fails with EPIPE.
 * Man pages: pipe(7), write(2), signal(7).
 */
#include "pipes.h"

#define BIG (256 * 1024)	/* more than any default pipe capacity */

static int sigpipe_caught;

static void on_sigpipe(int sig)
{
	(void)sig;
	sigpipe_caught++;
}

/* A writer with SIGPIPE at its default action: write() should kill it. */
static int write_with_default_sigpipe(void *data)
{
	FIXTURE_DATA(pipe_pair) *self = data;
	sigset_t set;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	SC_CHILD_CALL(write(self->p.wr, "x", 1));
	return sc_child_fail("write() succeeded");
}

/* PIPE-06 pipe(7): write() to a pipe whose read end is closed kills a writer with default SIGPIPE action (WTERMSIG == SIGPIPE). */
TEST_F(pipe_pair, write_without_readers_kills_writer_with_sigpipe)
{
	struct sc_child c;

	sc_close(&self->p.rd);
	sc_child_run(&c, "the writer", write_with_default_sigpipe, self, 0);
	EXPECT_CHILD_KILLED_BY(SIGPIPE, &c);
}

/* PIPE-06 pipe(7): with SIGPIPE ignored, write() to a pipe whose read end is closed fails with EPIPE. */
TEST_F(pipe_pair, write_without_readers_with_sigpipe_ignored_fails_epipe)
{
	signal(SIGPIPE, SIG_IGN);
	sc_close(&self->p.rd);
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->p.wr, "x", 1));
}

/* PIPE-06 pipe(7): with SIGPIPE blocked, write() without readers fails with EPIPE and leaves SIGPIPE pending. */
TEST_F(pipe_pair, write_without_readers_with_sigpipe_blocked_fails_epipe)
{
	struct timespec zero = { 0, 0 };
	sigset_t set, pending;

	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	SC_OK(sigprocmask(SIG_BLOCK, &set, NULL));
	sc_close(&self->p.rd);
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->p.wr, "x", 1));
	sigemptyset(&pending);
	SC_OK(sigpending(&pending));
	EXPECT_EQ(1, sigismember(&pending, SIGPIPE));
	sigtimedwait(&set, NULL, &zero);
}

/* PIPE-06 pipe(7): with a SIGPIPE handler, write() without readers runs the handler once and fails with EPIPE. */
TEST_F(pipe_pair, write_without_readers_with_handler_fails_epipe)
{
	struct sigaction sa = { .sa_handler = on_sigpipe };

	SC_OK(sigaction(SIGPIPE, &sa, NULL));
	sc_close(&self->p.rd);
	sigpipe_caught = 0;
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->p.wr, "x", 1));
	EXPECT_EQ(1, sigpipe_caught);
}

/* PIPE-06 pipe(7): data still buffered does not count as a reader: after the read end closes, write() fails with EPIPE. */
TEST_F(pipe_pair, write_after_reader_closes_with_data_buffered_fails_epipe)
{
	signal(SIGPIPE, SIG_IGN);
	ASSERT_EQ(3, SC_OK(write(self->p.wr, "abc", 3)));
	sc_close(&self->p.rd);
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->p.wr, "d", 1));
}

/*
 * A writer with SIGPIPE ignored: reports ready, then writes more than the pipe
 * holds, so it blocks once the pipe is full. After the reader goes, the write
 * returns a partial count (or fails with EPIPE), and the next write fails with EPIPE.
 */
static int write_until_reader_goes(void *data)
{
	struct sc_pipe *p = data;
	static char buf[BIG];
	ssize_t n;

	signal(SIGPIPE, SIG_IGN);
	close(p->rd);
	sc_child_send();
	n = write(p->wr, buf, sizeof(buf));
	if (n == (ssize_t)sizeof(buf) || n == 0)
		return sc_child_fail("the big write() -> %zd: no reader drained it", n);
	if (n < 0 && errno != EPIPE)
		return sc_child_fail("the big write() -> %s, expected a count or EPIPE", sc_errname(errno));
	n = write(p->wr, "x", 1);
	if (n != -1 || errno != EPIPE)
		return sc_child_fail("the next write() -> %zd %s, expected EPIPE", n, n < 0 ? sc_errname(errno) : "");
	return SC_CHILD_OK;
}

/* PIPE-06 pipe(7): a writer blocked on a full pipe is woken when the last reader closes, and its next write() fails with EPIPE. */
TEST_F(pipe_pair, blocked_writer_is_woken_with_epipe_when_reader_closes)
{
	struct sc_child c;

	SC_CHILD_START(&c, "the writer", write_until_reader_goes, &self->p, SC_READY_ONLY);
	EXPECT_CHILD_BLOCKED(&c, "write() on the full pipe");
	sc_close(&self->p.rd);
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
