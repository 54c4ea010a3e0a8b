// SPDX-License-Identifier: GPL-2.0-only
/*
 * Blocking reads and end of file on pipes: a read returns what is there, blocks
 * on an empty pipe, and sees EOF only once every write end in every process
 * (duplicates and inherited copies too) is closed.
 * Man pages: pipe(7), read(2), fork(2).
 */
#include <sys/time.h>

#include "pipes.h"

#define WINDOW_MS 100	/* window of a "read still blocks" check */
#define WRITERS 3

/* read() of at most N bytes, interrupted after MS: its result, errno in *err. */
static ssize_t read_within(int fd, void *buf, size_t n, int ms, int *err)
{
	ssize_t r;

	sc_interrupt_after(ms);
	errno = 0;
	r = read(fd, buf, n);
	*err = errno;
	sc_interrupt_off();
	return r;
}

/* PIPE-03 read(2): with 3 bytes in the pipe and its writer open, a 100-byte read() returns 3 at once. */
TEST_F(pipe_pair, read_returns_available_bytes_without_filling_buffer)
{
	char buf[100];
	int err = 0;

	ASSERT_EQ(3, SC_OK(write(self->fds[1], "abc", 3)));
	EXPECT_EQ(3, read_within(self->fds[0], buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read: %s", sc_errname(err));
	}
	EXPECT_EQ(0, memcmp("abc", buf, 3));
}

/* Reader child: closes its write end, reports ready, then blocks in read(). */
static int read_four_bytes(FIXTURE_DATA(pipe_pair) *self)
{
	char buf[100];
	ssize_t n;

	alarm(EVENT_MS / 1000 * 2);	/* a read that never returns kills us */
	close(self->fds[1]);
	if (sc_signal_ready(self->sync[1]))
		return 1;
	n = read(self->fds[0], buf, sizeof(buf));
	if (n < 0)
		return 2;
	return n == 4 && !memcmp("late", buf, 4) ? 0 : 3;
}

/* PIPE-03 pipe(7): read() on an empty pipe with an open writer blocks, and returns the 4 bytes written later. */
TEST_F(pipe_pair, read_on_empty_pipe_blocks_until_data_arrives)
{
	pid_t pid = sc_fork();
	int st;

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(read_four_bytes(self));
	ASSERT_EQ(0, sc_wait_ready(self->sync[0]));
	st = sc_wait_blocked(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("reader did not block in read(): %s", sc_errname(-st));
	}
	ASSERT_EQ(4, SC_OK(write(self->fds[1], "late", 4)));
	EXPECT_CHILD_OK(pid);
}

/* PIPE-04 pipe(7): after the only write end is closed, read() returns the 3 buffered bytes, then 0, and 0 again. */
TEST_F(pipe_pair, read_after_last_writer_closes_returns_data_then_eof)
{
	char buf[100];
	int err = 0;

	ASSERT_EQ(3, SC_OK(write(self->fds[1], "xyz", 3)));
	close_end(self, 1);
	EXPECT_EQ(3, read_within(self->fds[0], buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read: %s", sc_errname(err));
	}
	EXPECT_EQ(0, memcmp("xyz", buf, 3));
	EXPECT_EQ(0, read_within(self->fds[0], buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read: %s (no end of file)", sc_errname(err));
	}
	EXPECT_EQ(0, read_within(self->fds[0], buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("second read: %s", sc_errname(err));
	}
}

/* PIPE-04 pipe(7): with fds[1] closed but a dup() of it open, read() blocks (interrupted after 100 ms); once the dup is closed it returns 0. */
TEST_F(pipe_pair, eof_waits_for_every_duplicated_write_end)
{
	int copy = SC_OK(dup(self->fds[1]));
	char c;
	int err = 0;
	ssize_t n;

	close_end(self, 1);
	n = read_within(self->fds[0], &c, 1, WINDOW_MS, &err);
	EXPECT_EQ(-1, n) {
		TH_LOG("read with a dup of the write end open returned %zd", n);
	}
	EXPECT_EQ(EINTR, err);
	close(copy);
	EXPECT_EQ(0, read_within(self->fds[0], &c, 1, EVENT_MS, &err)) {
		TH_LOG("read after the last close: %s (no end of file)", sc_errname(err));
	}
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * Child that keeps its inherited write end: reports ready and waits for the byte on
 * CLOSED (the parent has closed its own write end), then reads with O_NONBLOCK,
 * which must fail with EAGAIN, reports ready again and blocks in read() until
 * SIGUSR1 (no SA_RESTART) interrupts it. 0 = EAGAIN, then interrupted; 1 = the
 * O_NONBLOCK read returned end of file; 2 = the blocking one did.
 */
static int read_holding_write_end(FIXTURE_DATA(pipe_pair) *self, int closed)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	int fl, err;
	char c;
	ssize_t n;

	alarm(EVENT_MS / 1000 * 2);
	if (sigaction(SIGUSR1, &sa, NULL) || (fl = fcntl(self->fds[0], F_GETFL)) < 0)
		return 10;
	if (sc_signal_ready(self->sync[1]) || sc_wait_ready(closed))
		return 11;
	if (fcntl(self->fds[0], F_SETFL, fl | O_NONBLOCK))
		return 12;
	n = read(self->fds[0], &c, 1);
	err = errno;
	if (fcntl(self->fds[0], F_SETFL, fl))
		return 12;
	if (n == 0)
		return 1;
	if (n > 0 || err != EAGAIN)
		return 3;
	if (sc_signal_ready(self->sync[1]))
		return 11;
	n = read(self->fds[0], &c, 1);
	if (n == 0)
		return 2;
	if (n > 0)
		return 4;
	return errno == EINTR ? 0 : 5;
}

/* PIPE-05 pipe(7): after the parent closes its fds[1], a child that keeps its inherited fds[1] gets EAGAIN from an O_NONBLOCK read() on fds[0], and blocks in read(). */
TEST_F(pipe_pair, child_holding_inherited_write_end_blocks_in_read)
{
	int closed[2], st;
	pid_t pid;

	SC_SETUP(sc_sync_pair(closed));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(closed[1]);
		_exit(read_holding_write_end(self, closed[0]));
	}
	ASSERT_EQ(0, sc_wait_ready(self->sync[0]));
	close_end(self, 1);
	ASSERT_EQ(0, sc_signal_ready(closed[1]));
	st = sc_wait_ready(self->sync[0]);
	if (st == 0) {
		st = sc_wait_blocked(pid);
		EXPECT_EQ(0, st) {
			TH_LOG("reader is not blocked: %s", sc_errname(-st));
		}
		kill(pid, SIGUSR1);
	}
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("reader %s (1: O_NONBLOCK read returned end of file, 2: blocking read did)",
		       sc_status_str(st));
	}
	close(closed[0]);
	close(closed[1]);
}

/* Writer child: waits for the go byte, writes its letter, exits (closing its write end). */
static int write_letter_on_go(FIXTURE_DATA(pipe_pair) *self, char letter)
{
	char c;

	alarm(EVENT_MS / 1000 * 2);
	close(self->fds[0]);
	if (read(self->sync[0], &c, 1) != 1)
		return 1;
	return write(self->fds[1], &letter, 1) == 1 ? 0 : 2;
}

/* PIPE-04 PIPE-05 pipe(7): while forked children hold inherited write ends read() blocks; after they write and exit it returns their bytes, then 0. */
TEST_F(pipe_pair, eof_arrives_only_after_every_forked_writer_exits)
{
	pid_t pids[WRITERS];
	char buf[16];
	size_t have = 0;
	int err = 0;
	ssize_t n;

	for (int i = 0; i < WRITERS; i++) {
		pids[i] = sc_fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(write_letter_on_go(self, 'a' + i));
	}
	close_end(self, 1);
	n = read_within(self->fds[0], buf, 1, WINDOW_MS, &err);
	EXPECT_EQ(-1, n) {
		TH_LOG("read while children hold write ends returned %zd", n);
	}
	EXPECT_EQ(EINTR, err);
	ASSERT_EQ(WRITERS, SC_OK(write(self->sync[1], "ggg", WRITERS)));
	while (have < WRITERS) {
		n = read_within(self->fds[0], buf + have, sizeof(buf) - have, EVENT_MS, &err);
		ASSERT_LT(0, n) {
			TH_LOG("read after %zu bytes: %zd %s", have, n, sc_errname(err));
		}
		have += n;
	}
	EXPECT_EQ(WRITERS, have);
	for (int i = 0; i < WRITERS; i++)
		EXPECT_CHILD_OK(pids[i]);
	EXPECT_EQ(0, read_within(self->fds[0], buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read after all writers exited: %s (no end of file)", sc_errname(err));
	}
}

/* Reader child: closes its write end, reports ready, blocks in read(); 0 = EOF. */
static int read_expecting_eof(FIXTURE_DATA(pipe_pair) *self)
{
	char c;
	ssize_t n;

	alarm(EVENT_MS / 1000 * 2);
	close(self->fds[1]);
	if (sc_signal_ready(self->sync[1]))
		return 1;
	n = read(self->fds[0], &c, 1);
	return n == 0 ? 0 : n > 0 ? 2 : 3;
}

/* PIPE-04 pipe(7): a reader blocked in read() on an empty pipe wakes with 0 when the last write end is closed. */
TEST_F(pipe_pair, blocked_reader_wakes_with_eof_when_last_writer_closes)
{
	pid_t pid = sc_fork();
	int st;

	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(read_expecting_eof(self));
	ASSERT_EQ(0, sc_wait_ready(self->sync[0]));
	st = sc_wait_blocked(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("reader did not block in read(): %s", sc_errname(-st));
	}
	close_end(self, 1);
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("reader %s (killed by SIGALRM: no end of file)", sc_status_str(st));
	}
}

TEST_HARNESS_MAIN
