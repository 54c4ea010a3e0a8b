// SPDX-License-Identifier: GPL-2.0-only
/*
 * FIFOs (named pipes) made with mkfifo() in a private temp dir: blocking and
 * O_NONBLOCK opens, O_RDWR opens, SIGPIPE/EPIPE, and no data in the filesystem.
 * Blocking opens run in children bounded by alarm(); each test process is
 * bounded by alarm() too, so a call that blocks where it must not ends the test.
 * Man pages: fifo(7), mkfifo(3), pipe(7), open(2).
 */
#include "sysconform.h"

#define CHILD_S 2	/* alarm() of a child that opens the FIFO */
#define TEST_S 4	/* alarm() of the test process */

FIXTURE(fifo) {
	struct sc_tmpdir tmp;
	int rd, wr;
	int sync[2];
	const char *unavailable;
};

FIXTURE_SETUP(fifo)
{
	self->rd = self->wr = self->sync[0] = self->sync[1] = -1;
	self->unavailable = NULL;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(mkfifo("fifo", 0600));
	SC_SETUP(sc_sync_pair(self->sync));
	alarm(TEST_S);
}

FIXTURE_TEARDOWN(fifo)
{
	alarm(0);
	if (self->rd >= 0)
		close(self->rd);
	if (self->wr >= 0)
		close(self->wr);
	for (int i = 0; i < 2; i++) {
		if (self->sync[i] >= 0)
			close(self->sync[i]);
	}
	sc_tmpdir_teardown(&self->tmp);
}

/* Child: reports ready (if SYNC >= 0), then open("fifo", FLAGS): 0, or the errno. */
static int open_fifo(int sync, int flags)
{
	alarm(CHILD_S);
	if (sync >= 0 && sc_signal_ready(sync))
		return 99;
	return open("fifo", flags) >= 0 ? 0 : errno;
}

/*
 * Start a child that blocks in open("fifo", FLAGS), check that it really sleeps
 * there, then let a second child open the other end with PARTNER_FLAGS: both opens
 * must then return.
 */
static void check_open_waits_for_partner(struct __test_metadata *_metadata,
					 FIXTURE_DATA(fifo) *self, int flags, int partner_flags)
{
	pid_t first, second;
	int st;

	first = sc_fork();
	ASSERT_LE(0, first);
	if (first == 0)
		_exit(open_fifo(self->sync[1], flags));
	ASSERT_EQ(0, sc_wait_ready(self->sync[0]));
	st = sc_wait_blocked(first);
	EXPECT_EQ(0, st) {
		TH_LOG("open(0%o) did not block without a partner: %s", flags, sc_errname(-st));
	}
	EXPECT_EQ(0, waitpid(first, &st, WNOHANG)) {
		TH_LOG("open(0%o) returned without a partner", flags);
	}
	second = sc_fork();
	ASSERT_LE(0, second);
	if (second == 0)
		_exit(open_fifo(-1, partner_flags));
	st = sc_wait(first);
	EXPECT_EQ(0, st) {
		TH_LOG("blocked open(0%o): %s (killed by SIGALRM: never woken)", flags,
		       sc_status_str(st));
	}
	st = sc_wait(second);
	EXPECT_EQ(0, st) {
		TH_LOG("partner open(0%o): %s", partner_flags, sc_status_str(st));
	}
}

/* PIPE-18 fifo(7): open(fifo, O_RDONLY) blocks while no writer exists and returns once another process opens it O_WRONLY. */
TEST_F(fifo, rdonly_open_blocks_until_writer_opens)
{
	check_open_waits_for_partner(_metadata, self, O_RDONLY, O_WRONLY);
}

/* PIPE-18 fifo(7): open(fifo, O_WRONLY) blocks while no reader exists and returns once another process opens it O_RDONLY. */
TEST_F(fifo, wronly_open_blocks_until_reader_opens)
{
	check_open_waits_for_partner(_metadata, self, O_WRONLY, O_RDONLY);
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

	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	EXPECT_EQ(0, read(self->rd, &c, 1)) {
		TH_LOG("read: %s", sc_errname(errno));
	}
}

/* PIPE-19 pipe(7): on an O_RDONLY|O_NONBLOCK FIFO end, read() fails with EAGAIN while a writer has it open with nothing buffered. */
TEST_F(fifo, nonblocking_read_with_idle_writer_fails_eagain)
{
	char c;

	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EAGAIN, read(self->rd, &c, 1));
}

/* PIPE-20 fifo(7): open(fifo, O_RDWR) succeeds with no other opener, blocking and with O_NONBLOCK, and the descriptor reads back what it wrote. */
TEST_F(fifo, rdwr_open_succeeds_without_other_opener)
{
	int nb;
	char c = 0;

	self->rd = SC_OK(open("fifo", O_RDWR | O_CLOEXEC));
	nb = SC_OK(open("fifo", O_RDWR | O_NONBLOCK | O_CLOEXEC));
	close(nb);
	ASSERT_EQ(1, SC_OK(write(self->rd, "r", 1)));
	EXPECT_SYSCALL_RETURNS(1, read(self->rd, &c, 1));
	EXPECT_EQ('r', c);
}

/* PIPE-21 fifo(7): once open a FIFO carries data like a pipe: 5 bytes written on the O_WRONLY end are read in order on the O_RDONLY end. */
TEST_F(fifo, open_fifo_carries_data_in_order)
{
	char buf[16] = "";

	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(5, SC_OK(write(self->wr, "hello", 5)));
	EXPECT_SYSCALL_RETURNS(5, read(self->rd, buf, sizeof(buf)));
	EXPECT_STREQ("hello", buf);
}

/* PIPE-21 fifo(7): with SIGPIPE ignored, write() on a FIFO whose readers have all closed fails with EPIPE. */
TEST_F(fifo, write_without_reader_fails_epipe)
{
	signal(SIGPIPE, SIG_IGN);
	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	close(self->rd);
	self->rd = -1;
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->wr, "x", 1));
}

/* PIPE-21 fifo(7): write() on a FIFO whose readers have all closed kills a writer with default SIGPIPE action. */
TEST_F(fifo, write_without_reader_raises_sigpipe)
{
	pid_t pid;
	int st;

	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	close(self->rd);
	self->rd = -1;
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		alarm(CHILD_S);
		_exit(write(self->wr, "x", 1) == 1 ? 1 : 2);
	}
	st = sc_wait(pid);
	EXPECT_TRUE(st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE) {
		TH_LOG("writer %s, expected killed by SIGPIPE (2: write failed)", sc_status_str(st));
	}
}

/* PIPE-21 fifo(7): data written to a FIFO is not stored in the file: with 1000 bytes buffered, stat() shows an S_ISFIFO node with st_size 0. */
TEST_F(fifo, buffered_data_leaves_st_size_zero)
{
	static char buf[1000];
	struct stat st;

	memset(buf, 'd', sizeof(buf));
	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(1000, SC_OK(write(self->wr, buf, sizeof(buf))));
	SC_OK(stat("fifo", &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode));
	EXPECT_EQ(0, st.st_size);
	SC_OK(fstat(self->wr, &st));
	EXPECT_EQ(0, st.st_size);
}

/* PIPE-21 fifo(7) POSIX.1-2017 close(): data left in a FIFO is discarded when every end is closed: a reopened reader reads 0. */
TEST_F(fifo, unread_data_is_discarded_after_last_close)
{
	char c;
	ssize_t n;

	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	self->wr = SC_OK(open("fifo", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(5, SC_OK(write(self->wr, "stale", 5)));
	close(self->rd);
	close(self->wr);
	self->rd = self->wr = -1;
	self->rd = SC_OK(open("fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC));
	n = read(self->rd, &c, 1);
	EXPECT_EQ(0, n) {
		TH_LOG("read after reopening returned %zd (%s)", n,
		       n > 0 ? "the old data survived" : sc_errname(errno));
	}
}

TEST_HARNESS_MAIN
