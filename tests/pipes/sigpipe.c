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

/* Writer child with SIGPIPE at its default action: write() should kill it. */
static int write_with_default_sigpipe(FIXTURE_DATA(pipe_pair) *self)
{
	sigset_t set;

	signal(SIGPIPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	if (write(self->p.wr, "x", 1) == 1)
		return 1;	/* the write succeeded */
	return errno == EPIPE ? 2 : 3;	/* it failed but SIGPIPE did not kill us */
}

/* PIPE-06 pipe(7): write() to a pipe whose read end is closed kills a writer with default SIGPIPE action (WTERMSIG == SIGPIPE). */
TEST_F(pipe_pair, write_without_readers_kills_writer_with_sigpipe)
{
	pid_t pid;
	int st;

	sc_close(&self->p.rd);
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(write_with_default_sigpipe(self));
	st = sc_wait(pid);
	EXPECT_TRUE(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE) {
		TH_LOG("writer %s, expected killed by SIGPIPE (2: write failed EPIPE)",
		       sc_status_str(st));
	}
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
 * Writer child: SIGPIPE ignored, reports ready, then writes more than the pipe
 * holds, so it blocks once the pipe is full. After the reader goes, the write
 * returns a partial count (or fails with EPIPE), and the next write fails with EPIPE.
 */
static int write_until_reader_goes(FIXTURE_DATA(pipe_pair) *self)
{
	static char buf[BIG];
	ssize_t n;

	alarm(2);	/* a write that is never woken kills us */
	signal(SIGPIPE, SIG_IGN);
	close(self->p.rd);
	if (sc_signal_ready(self->sync.wr))
		return 1;
	n = write(self->p.wr, buf, sizeof(buf));
	if (n == (ssize_t)sizeof(buf) || n == 0)
		return 2;	/* no reader drained all that: it cannot be complete */
	if (n < 0 && errno != EPIPE)
		return 3;
	if (write(self->p.wr, "x", 1) != -1)
		return 4;
	return errno == EPIPE ? 0 : 5;
}

/* PIPE-06 pipe(7): a writer blocked on a full pipe is woken when the last reader closes, and its next write() fails with EPIPE. */
TEST_F(pipe_pair, blocked_writer_is_woken_with_epipe_when_reader_closes)
{
	pid_t pid = sc_fork();
	int st;

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(write_until_reader_goes(self));
	ASSERT_EQ(0, sc_wait_ready(self->sync.rd));
	st = sc_wait_blocked(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("writer did not block on the full pipe: %s", sc_errname(-st));
	}
	sc_close(&self->p.rd);
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("writer %s (killed by SIGALRM: not woken; 4: second write succeeded)",
		       sc_status_str(st));
	}
}

TEST_HARNESS_MAIN
