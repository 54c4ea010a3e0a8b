// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIFOs (named pipes) made with mkfifo() in a private temp dir: blocking and
 * O_NONBLOCK opens, O_RDWR opens, SIGPIPE/EPIPE, and no data in the filesystem.
 * Blocking opens run in children the kit kills after CHILD_MS; each test process is
 * bounded by alarm(), so a call that blocks where it must not ends the test.
 * Man pages: fifo(7), mkfifo(3), pipe(7), open(2).
 */
#include "sysconform.h"

#define CHILD_MS 2000	/* bound of a child that opens the FIFO */
#define TEST_S 4	/* alarm() of the test process */

FIXTURE(fifo) {
	struct sc_tmpdir tmp;
	struct sc_pipe ends;	/* the FIFO opened for reading, for writing */
};

FIXTURE_SETUP(fifo)
{
	self->ends.rd = self->ends.wr = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(mkfifo("fifo", 0600));
	alarm(TEST_S);
}

FIXTURE_TEARDOWN(fifo)
{
	alarm(0);
	sc_pipe_teardown(&self->ends);
	sc_tmpdir_teardown(&self->tmp);
}

/* A child that opens "fifo" with the flags *DATA; ready (if asked) before it opens. */
static int open_fifo(void *data)
{
	int flags = *(int *)data;

	sc_child_send();
	if (open("fifo", flags) < 0)
		return sc_child_fail("open(fifo, 0%o) -> %s", flags, sc_errname(errno));
	return SC_CHILD_OK;
}

/*
 * Start a child that blocks in open("fifo", FLAGS), check that it really sleeps
 * there, then let a second child open the other end with PARTNER_FLAGS: both opens
 * must then return.
 */
static void check_open_waits_for_partner(struct __test_metadata *_metadata, int flags,
					 int partner_flags)
{
	struct sc_child a, b;
	int st;

	SC_CHILD_START(&a, "the blocked opener", open_fifo, &flags, SC_READY_ONLY);
	a.ms = CHILD_MS;
	EXPECT_CHILD_BLOCKED(&a, "open() without a partner");
	EXPECT_EQ(0, waitpid(a.pid, &st, WNOHANG)) {
		TH_LOG("open(0%o) returned without a partner", flags);
	}
	SC_CHILD_START(&b, "the partner", open_fifo, &partner_flags, 0);
	b.ms = CHILD_MS;
	EXPECT_CHILD_SUCCEEDED(&a);
	EXPECT_CHILD_SUCCEEDED(&b);
}

/* PIPE-18 fifo(7): open(fifo, O_RDONLY) blocks while no writer exists and returns once another process opens it O_WRONLY. */
TEST_F(fifo, rdonly_open_blocks_until_writer_opens)
{
	check_open_waits_for_partner(_metadata, O_RDONLY, O_WRONLY);
}

/* PIPE-18 fifo(7): open(fifo, O_WRONLY) blocks while no reader exists and returns once another process opens it O_RDONLY. */
TEST_F(fifo, wronly_open_blocks_until_reader_opens)
{
	check_open_waits_for_partner(_metadata, O_WRONLY, O_RDONLY);
}

/* PIPE-19 fifo(7): open(fifo, O_WRONLY|O_NONBLOCK) with no reader fails with ENXIO. */
TEST_F(fifo, nonblocking_wronly_open_without_reader_fails_enxio)
{
	EXPECT_SYSCALL_FAILS(ENXIO, open("fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC));
}

/* PIPE-19 fifo(7): open(fifo, O_RDONLY|O_NONBLOCK) with no writer succeeds, and read() on it returns 0. */
TEST_F(fifo, nonblocking_rdonly_open_without_writer_reads_eof)
{
	char c;

	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	EXPECT_EQ(0, read(self->ends.rd, &c, 1)) {
		TH_LOG("read: %s", sc_errname(errno));
	}
}

/* PIPE-19 pipe(7): on an O_RDONLY|O_NONBLOCK FIFO end, read() fails with EAGAIN while a writer has it open with nothing buffered. */
TEST_F(fifo, nonblocking_read_with_idle_writer_fails_eagain)
{
	char c;

	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->ends.wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EAGAIN, read(self->ends.rd, &c, 1));
}

/* PIPE-20 fifo(7): open(fifo, O_RDWR) succeeds with no other opener, blocking and with O_NONBLOCK, and the descriptor reads back what it wrote. */
TEST_F(fifo, rdwr_open_succeeds_without_other_opener)
{
	int nb;
	char c = 0;

	self->ends.rd = SC_OK(open("fifo", O_RDWR | O_CLOEXEC));
	nb = SC_OK(open("fifo", O_RDWR | O_NONBLOCK | O_CLOEXEC));
	close(nb);
	ASSERT_EQ(1, SC_OK(write(self->ends.rd, "r", 1)));
	EXPECT_SYSCALL_RETURNS(1, read(self->ends.rd, &c, 1));
	EXPECT_EQ('r', c);
}

/* PIPE-21 fifo(7): once open a FIFO carries data like a pipe: 5 bytes written on the O_WRONLY end are read in order on the O_RDONLY end. */
TEST_F(fifo, open_fifo_carries_data_in_order)
{
	char buf[16] = "";

	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->ends.wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(5, SC_OK(write(self->ends.wr, "hello", 5)));
	EXPECT_SYSCALL_RETURNS(5, read(self->ends.rd, buf, sizeof(buf)));
	EXPECT_STREQ("hello", buf);
}

/* PIPE-21 fifo(7): with SIGPIPE ignored, write() on a FIFO whose readers have all closed fails with EPIPE. */
TEST_F(fifo, write_without_reader_fails_epipe)
{
	signal(SIGPIPE, SIG_IGN);
	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->ends.wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	sc_close(&self->ends.rd);
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->ends.wr, "x", 1));
}

/* A writer with SIGPIPE at its default action: write() should kill it. */
static int write_with_default_sigpipe(void *data)
{
	int *fd = data;

	signal(SIGPIPE, SIG_DFL);
	SC_CHILD_CALL(write(*fd, "x", 1));
	return sc_child_fail("write() succeeded");
}

/* PIPE-21 fifo(7): write() on a FIFO whose readers have all closed kills a writer with default SIGPIPE action. */
TEST_F(fifo, write_without_reader_raises_sigpipe)
{
	struct sc_child c;

	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->ends.wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	sc_close(&self->ends.rd);
	sc_child_run(&c, "the writer", write_with_default_sigpipe, &self->ends.wr, 0);
	EXPECT_CHILD_KILLED_BY(SIGPIPE, &c);
}

/* PIPE-21 fifo(7): data written to a FIFO is not stored in the file: with 1000 bytes buffered, stat() shows an S_ISFIFO node with st_size 0. */
TEST_F(fifo, buffered_data_leaves_st_size_zero)
{
	static char buf[1000];
	struct stat st;

	memset(buf, 'd', sizeof(buf));
	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->ends.wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(1000, SC_OK(write(self->ends.wr, buf, sizeof(buf))));
	SC_OK(stat("fifo", &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	EXPECT_EQ(0, st.st_size);
	SC_OK(fstat(self->ends.wr, &st));
	EXPECT_EQ(0, st.st_size);
}

/* PIPE-21 fifo(7) POSIX.1-2017 close(): data left in a FIFO is discarded when every end is closed: a reopened reader reads 0. */
TEST_F(fifo, unread_data_is_discarded_after_last_close)
{
	char c;
	ssize_t n;

	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->ends.wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(5, SC_OK(write(self->ends.wr, "stale", 5)));
	sc_pipe_teardown(&self->ends);
	self->ends.rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	n = read(self->ends.rd, &c, 1);
	EXPECT_EQ(0, n) {
		TH_LOG("read after reopening returned %zd (%s)", n,
		       n > 0 ? "the old data survived" : sc_errname(errno));
	}
}

TEST_HARNESS_MAIN
