// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pipe basics: which end is which, one-way ends, byte-stream reads, FIONREAD and
 * lseek, pipe2() flags, and inheritance across fork() and dup2() + execve().
 * Man pages: pipe(2), pipe(7), ioctl_tty(2) FIONREAD, lseek(2).
 */
#include <sys/ioctl.h>

#include "pipes.h"


/* PIPE-01 pipe(2): fds[0] is opened read-only and fds[1] write-only, and a byte written to fds[1] is read from fds[0]. */
TEST_F(pipe_pair, pipe_gives_read_end_first_and_write_end_second)
{
	int fl0 = SC_OK(fcntl(self->p.rd, F_GETFL));
	int fl1 = SC_OK(fcntl(self->p.wr, F_GETFL));
	char c = 0;

	EXPECT_EQ(O_RDONLY, fl0 & O_ACCMODE);
	EXPECT_EQ(O_WRONLY, fl1 & O_ACCMODE);
	ASSERT_EQ(1, SC_OK(write(self->p.wr, "x", 1)));
	ASSERT_EQ(1, SC_OK(read(self->p.rd, &c, 1)));
	EXPECT_EQ('x', c);
}

/* PIPE-01 pipe(7): 256 bytes written in one write() are read back in three reads in the order written. */
TEST_F(pipe_pair, bytes_are_read_in_the_order_written)
{
	unsigned char out[256], in[256];
	size_t have = 0;

	for (int i = 0; i < 256; i++)
		out[i] = (unsigned char)i;
	ASSERT_EQ(256, SC_OK(write(self->p.wr, out, sizeof(out))));
	while (have < sizeof(in)) {
		size_t want = sizeof(in) - have < 100 ? sizeof(in) - have : 100;
		ssize_t n = SC_OK(read(self->p.rd, in + have, want));

		ASSERT_LT(0, n);
		have += n;
	}
	EXPECT_EQ(0, memcmp(out, in, sizeof(in)));
}

/* PIPE-02 pipe(7): read() on the write end of a pipe fails with EBADF. */
TEST_F(pipe_pair, read_on_write_end_fails_ebadf)
{
	char c;

	ASSERT_EQ(1, SC_OK(write(self->p.wr, "x", 1)));
	EXPECT_SYSCALL_FAILS(EBADF, read(self->p.wr, &c, 1));
}

/* PIPE-02 pipe(7): write() on the read end of a pipe fails with EBADF and nothing is queued. */
TEST_F(pipe_pair, write_on_read_end_fails_ebadf)
{
	int queued = -1;

	EXPECT_SYSCALL_FAILS(EBADF, write(self->p.rd, "x", 1));
	SC_OK(ioctl(self->p.rd, FIONREAD, &queued));
	EXPECT_EQ(0, queued);
}

/* PIPE-14 pipe(7): ioctl(FIONREAD) on the read end and on the write end both return the number of unread bytes. */
TEST_F(pipe_pair, fionread_on_both_ends_counts_unread_bytes)
{
	int on_read = -1, on_write = -1;
	char buf[2];

	ASSERT_EQ(5, SC_OK(write(self->p.wr, "hello", 5)));
	ASSERT_EQ(2, SC_OK(read(self->p.rd, buf, 2)));
	SC_OK(ioctl(self->p.rd, FIONREAD, &on_read));
	SC_OK(ioctl(self->p.wr, FIONREAD, &on_write));
	EXPECT_EQ(3, on_read);
	EXPECT_EQ(3, on_write);
}

/* PIPE-14 lseek(2): lseek() on either end of a pipe fails with ESPIPE. */
TEST_F(pipe_pair, lseek_on_either_end_fails_espipe)
{
	ASSERT_EQ(3, SC_OK(write(self->p.wr, "abc", 3)));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(self->p.rd, 0, SEEK_CUR));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(self->p.rd, 1, SEEK_SET));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(self->p.wr, 0, SEEK_END));
}

/* PIPE-14 pipe(7): a pipe is a byte stream: writes "ab" and "cd" come back from one 100-byte read as "abcd". */
TEST_F(pipe_pair, two_writes_come_back_as_one_byte_stream)
{
	char buf[100] = "";

	ASSERT_EQ(2, SC_OK(write(self->p.wr, "ab", 2)));
	ASSERT_EQ(2, SC_OK(write(self->p.wr, "cd", 2)));
	ASSERT_EQ(4, SC_OK(read(self->p.rd, buf, sizeof(buf))));
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
	EXPECT_EQ(0, fcntl(self->p.rd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(self->p.wr, F_GETFD) & FD_CLOEXEC);
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
	EXPECT_EQ(0, fcntl(self->p.rd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(self->p.wr, F_GETFL) & O_NONBLOCK);
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

/* The child of forked_child_reads_parent_writes_to_eof: read its inherited fds[0] to end of file. */
static int read_inherited_to_eof(void *data)
{
	struct sc_pipe *p = data;
	char buf[10] = "", c;
	int r;

	close(p->wr);
	r = sc_read_full_ms(p->rd, buf, 9, EVENT_MS);
	if (r)
		return sc_child_fail("reading 9 bytes: %s (got \"%s\")", sc_read_str(r), buf);
	if (strcmp("from dad\n", buf))
		return sc_child_fail("read \"%s\", not \"from dad\\n\"", buf);
	r = sc_read_full_ms(p->rd, &c, 1, EVENT_MS);
	return r == -EPIPE ? SC_CHILD_OK : sc_child_fail("no end of file after the 9 bytes: %s", sc_read_str(r));
}

/* PIPE-17 fork(2): a child reads on its inherited fds[0] what the parent writes to fds[1], then EOF once the parent closes it. */
TEST_F(pipe_pair, forked_child_reads_parent_writes_to_eof)
{
	struct sc_child c;

	SC_CHILD_START(&c, "the reader", read_inherited_to_eof, &self->p, 0);
	sc_close(&self->p.rd);
	ASSERT_SYSCALL_RETURNS(9, write(self->p.wr, "from dad\n", 9));
	sc_close(&self->p.wr);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* In the exec helper's child: the fixture's write end becomes stdout. */
static int stdout_to_pipe(void *data)
{
	struct sc_pipe *p = data;

	SC_CHILD_CALL(dup2(p->wr, 1));
	close(p->rd);
	close(p->wr);
	return SC_CHILD_OK;
}

/* PIPE-17 execve(2): after dup2(fds[1], 1) and execve() the program's stdout is the pipe's write end (O_WRONLY, no offset): its output is read from fds[0], then EOF. */
TEST_F(pipe_pair, dup2_and_execve_send_program_stdout_into_pipe)
{
	const char *const args[] = { "1", NULL };
	char out[256] = "";
	unsigned int flags = 0;
	long long offset = 0;
	struct sc_child c;
	int unused, r;

	if (sc_spawn_helper(&c, args, -1, &unused, stdout_to_pipe, &self->p))
		SC_ERROR("%s", c.text);
	close(unused);
	sc_close(&self->p.wr);
	r = sc_read_full_ms(self->p.rd, out, sizeof(out) - 1, EVENT_MS);
	EXPECT_CHILD_SUCCEEDED(&c);
	ASSERT_EQ(-EPIPE, r) {
		TH_LOG("reading the program's stdout: %s", r ? sc_read_str(r) : "no end of file");
	}
	ASSERT_EQ(2, sscanf(out, "1 open cloexec=0 flags=0x%x offset=%lld", &flags, &offset)) {
		TH_LOG("the program printed \"%s\"", out);
	}
	EXPECT_EQ(O_WRONLY, (int)(flags & O_ACCMODE));
	EXPECT_EQ(-1, offset);
}

TEST_HARNESS_MAIN
