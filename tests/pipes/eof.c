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

	ASSERT_EQ(3, SC_OK(write(self->p.wr, "abc", 3)));
	EXPECT_EQ(3, read_within(self->p.rd, buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read: %s", sc_errname(err));
	}
	EXPECT_EQ(0, memcmp("abc", buf, 3));
}

/* A child that reads the fixture's pipe *DATA: ready once it closed its write end. */
static int read_four_bytes(void *data)
{
	struct sc_pipe *p = data;
	char buf[100];
	ssize_t n;

	close(p->wr);
	sc_child_send();
	n = SC_CHILD_CALL(read(p->rd, buf, sizeof(buf)));
	if (n != 4 || memcmp("late", buf, 4))
		return sc_child_fail("read() -> %zd \"%.*s\", expected 4 \"late\"", n, (int)n, buf);
	return SC_CHILD_OK;
}

/* PIPE-03 pipe(7): read() on an empty pipe with an open writer blocks, and returns the 4 bytes written later. */
TEST_F(pipe_pair, read_on_empty_pipe_blocks_until_data_arrives)
{
	struct sc_child c;

	SC_CHILD_START(&c, "the reader", read_four_bytes, &self->p, SC_READY_ONLY);
	EXPECT_CHILD_BLOCKED(&c, "read()");
	ASSERT_SYSCALL_RETURNS(4, write(self->p.wr, "late", 4));
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* PIPE-04 pipe(7): after the only write end is closed, read() returns the 3 buffered bytes, then 0, and 0 again. */
TEST_F(pipe_pair, read_after_last_writer_closes_returns_data_then_eof)
{
	char buf[100];
	int err = 0;

	ASSERT_EQ(3, SC_OK(write(self->p.wr, "xyz", 3)));
	sc_close(&self->p.wr);
	EXPECT_EQ(3, read_within(self->p.rd, buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read: %s", sc_errname(err));
	}
	EXPECT_EQ(0, memcmp("xyz", buf, 3));
	EXPECT_EQ(0, read_within(self->p.rd, buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read: %s (no end of file)", sc_errname(err));
	}
	EXPECT_EQ(0, read_within(self->p.rd, buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("second read: %s", sc_errname(err));
	}
}

/* PIPE-04 pipe(7): with fds[1] closed but a dup() of it open, read() blocks (interrupted after 100 ms); once the dup is closed it returns 0. */
TEST_F(pipe_pair, eof_waits_for_every_duplicated_write_end)
{
	int copy = SC_OK(dup(self->p.wr));
	char c;
	int err = 0;
	ssize_t n;

	sc_close(&self->p.wr);
	n = read_within(self->p.rd, &c, 1, WINDOW_MS, &err);
	EXPECT_EQ(-1, n) {
		TH_LOG("read with a dup of the write end open returned %zd", n);
	}
	EXPECT_EQ(EINTR, err);
	close(copy);
	EXPECT_EQ(0, read_within(self->p.rd, &c, 1, EVENT_MS, &err)) {
		TH_LOG("read after the last close: %s (no end of file)", sc_errname(err));
	}
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* The child of child_holding_inherited_write_end_blocks_in_read: it keeps its inherited write end. */
struct holder {
	struct sc_pipe *p, *closed;
};

/*
 * Report ready, wait until CLOSED lets go (the parent has closed its own write end),
 * then read with O_NONBLOCK, which must fail with EAGAIN; report ready again and
 * block in read() until SIGUSR1 (no SA_RESTART) interrupts it.
 */
static int read_holding_write_end(void *data)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct holder *h = data;
	int fl, err;
	char c;
	ssize_t n;

	SC_CHILD_CALL(sigaction(SIGUSR1, &sa, NULL));
	fl = SC_CHILD_CALL(fcntl(h->p->rd, F_GETFL));
	sc_child_send_first();
	if (sc_hold(h->closed, EVENT_MS))
		return sc_child_error("the parent did not close its write end in %d ms", EVENT_MS);
	SC_CHILD_CALL(fcntl(h->p->rd, F_SETFL, fl | O_NONBLOCK));
	n = read(h->p->rd, &c, 1);
	err = errno;
	SC_CHILD_CALL(fcntl(h->p->rd, F_SETFL, fl));
	if (n != -1 || err != EAGAIN)
		return sc_child_fail("the O_NONBLOCK read() -> %zd %s, expected EAGAIN%s", n,
				     n < 0 ? sc_errname(err) : "", n == 0 ? " (end of file)" : "");
	sc_child_send();
	n = read(h->p->rd, &c, 1);
	if (n != -1 || errno != EINTR)
		return sc_child_fail("the blocking read() -> %zd %s, expected EINTR%s", n,
				     n < 0 ? sc_errname(errno) : "", n == 0 ? " (end of file)" : "");
	return SC_CHILD_OK;
}

/* PIPE-05 pipe(7): after the parent closes its fds[1], a child that keeps its inherited fds[1] gets EAGAIN from an O_NONBLOCK read() on fds[0], and blocks in read(). */
TEST_F(pipe_pair, child_holding_inherited_write_end_blocks_in_read)
{
	struct sc_pipe closed;
	struct holder h = { .p = &self->p, .closed = &closed };
	struct sc_child c;
	int st;

	sc_pipe_setup(_metadata, &closed, O_CLOEXEC);
	SC_CHILD_START(&c, "the reader", read_holding_write_end, &h, SC_READY_ONLY);
	SC_CHILD_READY(&c);
	sc_close(&self->p.wr);
	ASSERT_SYSCALL_RETURNS(0, sc_release(&closed));
	if (sc_child_report_next(&c) == 0) {
		st = sc_wait_blocked(c.pid);
		EXPECT_EQ(0, st) {
			TH_LOG("reader is not blocked: %s", sc_errname(-st));
		}
		kill(c.pid, SIGUSR1);
	}
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&closed);
}

/* A writer child: once go lets go, writes its letter and exits (closing its write end). */
struct letter_writer {
	struct sc_pipe *p, *go;
	char letter;
};

static int write_letter_on_go(void *data)
{
	struct letter_writer *w = data;

	close(w->p->rd);
	if (sc_hold(w->go, EVENT_MS))
		return sc_child_fail("writer %c: no go in %d ms", w->letter, EVENT_MS);
	SC_CHILD_CALL(write(w->p->wr, &w->letter, 1));
	return SC_CHILD_OK;
}

/* PIPE-04 PIPE-05 pipe(7): while forked children hold inherited write ends read() blocks; after they write and exit it returns their bytes, then 0. */
TEST_F(pipe_pair, eof_arrives_only_after_every_forked_writer_exits)
{
	struct letter_writer w[WRITERS];
	struct sc_child c[WRITERS];
	char buf[16];
	size_t have = 0;
	int err = 0;
	ssize_t n;

	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct letter_writer){ &self->p, &self->sync, 'a' + i };
		SC_CHILD_START(&c[i], "a writer", write_letter_on_go, &w[i], 0);
	}
	sc_close(&self->p.wr);
	n = read_within(self->p.rd, buf, 1, WINDOW_MS, &err);
	EXPECT_EQ(-1, n) {
		TH_LOG("read while children hold write ends returned %zd", n);
	}
	EXPECT_EQ(EINTR, err);
	ASSERT_SYSCALL_RETURNS(0, sc_release(&self->sync));
	while (have < WRITERS) {
		n = read_within(self->p.rd, buf + have, sizeof(buf) - have, EVENT_MS, &err);
		ASSERT_LT(0, n) {
			TH_LOG("read after %zu bytes: %zd %s", have, n, sc_errname(err));
		}
		have += n;
	}
	EXPECT_EQ(WRITERS, have);
	for (int i = 0; i < WRITERS; i++)
		EXPECT_CHILD_SUCCEEDED(&c[i]);
	EXPECT_EQ(0, read_within(self->p.rd, buf, sizeof(buf), EVENT_MS, &err)) {
		TH_LOG("read after all writers exited: %s (no end of file)", sc_errname(err));
	}
}

/* A reader that blocks in read() until end of file. */
static int read_expecting_eof(void *data)
{
	struct sc_pipe *p = data;
	char c;
	ssize_t n;

	close(p->wr);
	sc_child_send();
	n = SC_CHILD_CALL(read(p->rd, &c, 1));
	return n == 0 ? SC_CHILD_OK : sc_child_fail("read() -> %zd, expected 0 (end of file)", n);
}

/* PIPE-04 pipe(7): a reader blocked in read() on an empty pipe wakes with 0 when the last write end is closed. */
TEST_F(pipe_pair, blocked_reader_wakes_with_eof_when_last_writer_closes)
{
	struct sc_child c;

	SC_CHILD_START(&c, "the reader", read_expecting_eof, &self->p, SC_READY_ONLY);
	EXPECT_CHILD_BLOCKED(&c, "read()");
	sc_close(&self->p.wr);
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
