// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pipe basics: which end is which, one-way ends, byte-stream reads, FIONREAD and
 * lseek, pipe2() flags, and inheritance across fork() and dup2() + execve().
 * Man pages: pipe(2), pipe(7), ioctl_tty(2) FIONREAD, lseek(2).
 */
#include <sys/ioctl.h>

#include "pipes.h"


/*
 * Read from FD into BUF until LEN bytes or end of file, each read guarded by a
 * poll() of at most EVENT_MS: the count read, or -ETIMEDOUT / -errno.
 */
static ssize_t read_to_eof(int fd, char *buf, size_t len)
{
	size_t have = 0;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, EVENT_MS);
		ssize_t n;

		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0)
			return -errno;
		n = read(fd, buf + have, len - have);
		if (n < 0)
			return -errno;
		if (n == 0 || (have += n) == len)
			return have;
	}
}

/* PIPE-01 pipe(2): fds[0] is opened read-only and fds[1] write-only, and a byte written to fds[1] is read from fds[0]. */
TEST_F(pipe_pair, pipe_gives_read_end_first_and_write_end_second)
{
	int fl0 = SC_OK(fcntl(self->fds[0], F_GETFL));
	int fl1 = SC_OK(fcntl(self->fds[1], F_GETFL));
	char c = 0;

	EXPECT_EQ(O_RDONLY, fl0 & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fl1 & O_ACCMODE);
	ASSERT_EQ(1, SC_OK(write(self->fds[1], "x", 1)));
	ASSERT_EQ(1, SC_OK(read(self->fds[0], &c, 1)));
	EXPECT_EQ('x', c);
}

/* PIPE-01 pipe(7): 256 bytes written in one write() are read back in three reads in the order written. */
TEST_F(pipe_pair, bytes_are_read_in_the_order_written)
{
	unsigned char out[256], in[256];
	size_t have = 0;

	for (int i = 0; i < 256; i++)
		out[i] = (unsigned char)i;
	ASSERT_EQ(256, SC_OK(write(self->fds[1], out, sizeof(out))));
	while (have < sizeof(in)) {
		size_t want = sizeof(in) - have < 100 ? sizeof(in) - have : 100;
		ssize_t n = SC_OK(read(self->fds[0], in + have, want));

		ASSERT_LT(0, n);
		have += n;
	}
	EXPECT_EQ(0, memcmp(out, in, sizeof(in)));
}

/* PIPE-02 pipe(7): read() on the write end of a pipe fails with EBADF. */
TEST_F(pipe_pair, read_on_write_end_fails_ebadf)
{
	char c;

	ASSERT_EQ(1, SC_OK(write(self->fds[1], "x", 1)));
	EXPECT_SYSCALL_FAILS(EBADF, read(self->fds[1], &c, 1));
}

/* PIPE-02 pipe(7): write() on the read end of a pipe fails with EBADF and nothing is queued. */
TEST_F(pipe_pair, write_on_read_end_fails_ebadf)
{
	int queued = -1;

	EXPECT_SYSCALL_FAILS(EBADF, write(self->fds[0], "x", 1));
	SC_OK(ioctl(self->fds[0], FIONREAD, &queued));
	EXPECT_EQ(0, queued);
}

/* PIPE-14 pipe(7): ioctl(FIONREAD) on the read end and on the write end both return the number of unread bytes. */
TEST_F(pipe_pair, fionread_on_both_ends_counts_unread_bytes)
{
	int on_read = -1, on_write = -1;
	char buf[2];

	ASSERT_EQ(5, SC_OK(write(self->fds[1], "hello", 5)));
	ASSERT_EQ(2, SC_OK(read(self->fds[0], buf, 2)));
	SC_OK(ioctl(self->fds[0], FIONREAD, &on_read));
	SC_OK(ioctl(self->fds[1], FIONREAD, &on_write));
	EXPECT_EQ(3, on_read);
	EXPECT_EQ(3, on_write);
}

/* PIPE-14 lseek(2): lseek() on either end of a pipe fails with ESPIPE. */
TEST_F(pipe_pair, lseek_on_either_end_fails_espipe)
{
	ASSERT_EQ(3, SC_OK(write(self->fds[1], "abc", 3)));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(self->fds[0], 0, SEEK_CUR));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(self->fds[0], 1, SEEK_SET));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(self->fds[1], 0, SEEK_END));
}

/* PIPE-14 pipe(7): a pipe is a byte stream: writes "ab" and "cd" come back from one 100-byte read as "abcd". */
TEST_F(pipe_pair, two_writes_come_back_as_one_byte_stream)
{
	char buf[100] = "";

	ASSERT_EQ(2, SC_OK(write(self->fds[1], "ab", 2)));
	ASSERT_EQ(2, SC_OK(write(self->fds[1], "cd", 2)));
	ASSERT_EQ(4, SC_OK(read(self->fds[0], buf, sizeof(buf))));
	EXPECT_EQ(0, memcmp("abcd", buf, 4));
}

/* PIPE-15 pipe(2): pipe2(O_CLOEXEC) sets FD_CLOEXEC on both descriptors, and pipe() sets it on neither. */
TEST_F(pipe_pair, pipe2_cloexec_sets_fd_cloexec_on_both_ends)
{
	int p[2] = { -1, -1 };

	SC_REQUIRE_FEATURE(flags_2627);
	SC_OK(pipe2(p, O_CLOEXEC));
	EXPECT_EQ(FD_CLOEXEC, fcntl(p[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(FD_CLOEXEC, fcntl(p[1], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(self->fds[0], F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(self->fds[1], F_GETFD) & FD_CLOEXEC);
	close(p[0]);
	close(p[1]);
}

/* PIPE-15 pipe(2): pipe2(O_NONBLOCK) sets O_NONBLOCK in F_GETFL of both ends, and pipe() sets it on neither. */
TEST_F(pipe_pair, pipe2_nonblock_sets_o_nonblock_on_both_ends)
{
	int p[2] = { -1, -1 };

	SC_REQUIRE_FEATURE(flags_2627);
	SC_OK(pipe2(p, O_NONBLOCK));
	EXPECT_EQ(O_NONBLOCK, fcntl(p[0], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_NONBLOCK, fcntl(p[1], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(self->fds[0], F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(self->fds[1], F_GETFL) & O_NONBLOCK);
	close(p[0]);
	close(p[1]);
}

/* PIPE-15 pipe(2): pipe2() with a flag other than O_CLOEXEC, O_NONBLOCK, O_DIRECT (O_APPEND, O_TRUNC) fails with EINVAL. */
TEST_F(pipe_pair, pipe2_with_unknown_flag_fails_einval)
{
	int p[2] = { -1, -1 };

	SC_REQUIRE_FEATURE(flags_2627);
	EXPECT_SYSCALL_FAILS(EINVAL, pipe2(p, O_APPEND));
	EXPECT_SYSCALL_FAILS(EINVAL, pipe2(p, O_CLOEXEC | O_TRUNC));
	EXPECT_EQ(-1, p[0]);
	EXPECT_EQ(-1, p[1]);
}

/* Child of forked_child_reads_parent_writes_to_eof: read its inherited fds[0] to EOF. */
static int read_inherited_to_eof(void *arg)
{
	int *fds = arg;
	char buf[64];
	ssize_t n;

	close(fds[1]);
	n = read_to_eof(fds[0], buf, sizeof(buf));
	if (n == -ETIMEDOUT)
		return 1;	/* no end of file */
	if (n != 9)
		return 2;
	return memcmp("from dad\n", buf, 9) ? 3 : 0;
}

/* PIPE-17 fork(2): a child reads on its inherited fds[0] what the parent writes to fds[1], then EOF once the parent closes it. */
TEST_F(pipe_pair, forked_child_reads_parent_writes_to_eof)
{
	pid_t pid = sc_spawn(read_inherited_to_eof, self->fds);

	ASSERT_LE(0, pid);
	close(self->fds[0]);
	self->fds[0] = -1;
	ASSERT_EQ(9, SC_OK(write(self->fds[1], "from dad\n", 9)));
	close(self->fds[1]);
	self->fds[1] = -1;
	EXPECT_CHILD_OK(pid);
}

/* PIPE-17 execve(2): after dup2(fds[1], 1) and execve() the program's stdout is the pipe's write end (O_WRONLY, no offset): its output is read from fds[0], then EOF. */
TEST_F(pipe_pair, dup2_and_execve_send_program_stdout_into_pipe)
{
	const char *helper = sc_helper_path("sc-exec-helper");
	char out[256] = "";
	unsigned int flags = 0;
	long long offset = 0;
	ssize_t n;
	pid_t pid;

	if (access(helper, X_OK) != 0)
		SC_ERROR("%s: %s", helper, sc_errname(errno));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->fds[0]);
		if (dup2(self->fds[1], 1) != 1)
			_exit(1);
		close(self->fds[1]);
		execl(helper, helper, "1", (char *)NULL);
		_exit(2);
	}
	close(self->fds[1]);
	self->fds[1] = -1;
	n = read_to_eof(self->fds[0], out, sizeof(out) - 1);
	EXPECT_CHILD_OK(pid);
	ASSERT_LT(0, n) {
		TH_LOG("reading the program's stdout: %s",
		       n == -ETIMEDOUT ? "no end of file" : n < 0 ? sc_errname((int)-n) : "empty");
	}
	out[n] = 0;
	ASSERT_EQ(2, sscanf(out, "1 open cloexec=0 flags=0x%x offset=%lld", &flags, &offset)) {
		TH_LOG("the program printed \"%s\"", out);
	}
	EXPECT_EQ(O_WRONLY, (int)(flags & O_ACCMODE));
	EXPECT_EQ(-1, offset);
}

TEST_HARNESS_MAIN
