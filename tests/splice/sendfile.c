// SPDX-License-Identifier: GPL-2.0-only
/*
 * sendfile: copies from a regular file to a socket (a Unix stream pair, or TCP over
 * 127.0.0.1) or, since 2.6.33, to any file; with and without an offset pointer, and
 * its EINVAL cases (SPLICE-01, SPLICE-02, SPLICE-03). Man page: sendfile(2).
 */
#include "splice.h"

/* A case's directory and a connected stream pair: fd[0] is written, fd[1] read. */
FIXTURE(sock) {
	struct sc_tmpdir t;
	struct sc_sockpair s;
};

FIXTURE_VARIANT(sock) {
	int domain;
};

FIXTURE_VARIANT_ADD(sock, unix) {
	.domain = AF_UNIX,
};

FIXTURE_VARIANT_ADD(sock, tcp) {
	.domain = AF_INET,
};

FIXTURE_SETUP(sock)
{
	self->s.fd[0] = self->s.fd[1] = -1;
	sc_tmpdir_setup(_metadata, &self->t);
	sc_stream_pair_setup(_metadata, &self->s, variant->domain, SOCK_CLOEXEC);
	sc_interrupt_after(GUARD_MS);
}

FIXTURE_TEARDOWN(sock)
{
	sc_interrupt_off();
	sc_sockpair_teardown(&self->s);
	sc_tmpdir_teardown(&self->t);
}

/* Read exactly LEN bytes from the socket's other end into BUF (bounded), or stop the case. */
#define EXPECT_RECEIVED(self, want, len) do {				\
	char _got[64] = "";						\
	int _r = sc_read_full((self)->s.fd[1], _got, (len));		\
	EXPECT_EQ(0, _r) {						\
		TH_LOG("reading %d bytes from the peer: %s", (int)(len), sc_read_str(_r));\
	}								\
	EXPECT_EQ(0, memcmp(_got, (want), (len))) {			\
		TH_LOG("the peer received \"%.*s\", expected \"%.*s\"",	\
		       (int)(len), _got, (int)(len), (const char *)(want));\
	}								\
} while (0)

/* SPLICE-01 sendfile(2): sendfile(sock,in,NULL,n) sends n bytes from in's file offset, returns n and advances in's file offset by n. */
TEST_F(sock, sendfile_null_offset_sends_and_advances_file_offset)
{
	int in;

	SC_REQUIRE_FEATURE(sendfile);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(2, lseek(in, 2, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(5, sendfile(self->s.fd[0], in, NULL, 5));
	EXPECT_SYSCALL_RETURNS(7, lseek(in, 0, SEEK_CUR));
	EXPECT_RECEIVED(self, "23456", 5);
	EXPECT_SYSCALL_RETURNS(3, sendfile(self->s.fd[0], in, NULL, 3));
	EXPECT_SYSCALL_RETURNS(10, lseek(in, 0, SEEK_CUR));
	EXPECT_RECEIVED(self, "789", 3);
	close(in);
}

/* SPLICE-01 sendfile(2): since 2.6.33 out_fd may be a regular file: sendfile(file,in,NULL,n) writes at out's file offset and advances both offsets by n. */
TEST_F(xfer, sendfile_to_regular_file_writes_at_its_offset)
{
	char buf[16] = "";
	int in, out;

	SC_REQUIRE_FEATURE(sendfile_any_fd);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	out = SC_FILE_AT("out", "abc", 3, O_RDWR);
	ASSERT_SYSCALL_RETURNS(4, lseek(in, 4, SEEK_SET));
	ASSERT_SYSCALL_RETURNS(1, lseek(out, 1, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(4, sendfile(out, in, NULL, 4));
	EXPECT_SYSCALL_RETURNS(8, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(5, lseek(out, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(5, pread(out, buf, sizeof(buf), 0));
	EXPECT_STREQ("a4567", buf);
	close(in);
	close(out);
}

/* SPLICE-02 sendfile(2): with an offset pointer sendfile() reads at *offset, advances *offset by the count and leaves in's file offset unchanged. */
TEST_F(sock, sendfile_offset_pointer_advances_it_not_file_offset)
{
	off_t off = 2;
	int in;

	SC_REQUIRE_FEATURE(sendfile);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(7, lseek(in, 7, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(4, sendfile(self->s.fd[0], in, &off, 4));
	EXPECT_EQ(6, off);
	EXPECT_SYSCALL_RETURNS(7, lseek(in, 0, SEEK_CUR));
	EXPECT_RECEIVED(self, "2345", 4);
	EXPECT_SYSCALL_RETURNS(2, sendfile(self->s.fd[0], in, &off, 2));
	EXPECT_EQ(8, off);
	EXPECT_SYSCALL_RETURNS(7, lseek(in, 0, SEEK_CUR));
	EXPECT_RECEIVED(self, "67", 2);
	close(in);
}

/* SPLICE-02 sendfile(2): with an offset pointer near the end of file sendfile() returns the bytes left, then 0 at end of file; *offset stops at the end. */
TEST_F(sock, sendfile_offset_near_end_returns_bytes_left_then_zero)
{
	off_t off = 7;
	int in;

	SC_REQUIRE_FEATURE(sendfile);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(3, sendfile(self->s.fd[0], in, &off, 8));
	EXPECT_EQ(10, off);
	EXPECT_RECEIVED(self, "789", 3);
	EXPECT_SYSCALL_RETURNS(0, sendfile(self->s.fd[0], in, &off, 8));
	EXPECT_EQ(10, off);
	EXPECT_SYSCALL_RETURNS(0, lseek(in, 0, SEEK_CUR));
	EXPECT_EQ(0, queued(self->s.fd[1]));
	close(in);
}

/* SPLICE-03 sendfile(2): sendfile() from a socket (which cannot be mmap'ed) fails with EINVAL, and the data stays queued in it. */
TEST_F(sock, sendfile_from_socket_fails_einval)
{
	struct sc_sockpair in;

	SC_REQUIRE_FEATURE(sendfile);
	SC_SETUP(sc_stream_pair_open(&in, AF_UNIX, SOCK_CLOEXEC));
	SC_SETUP(write(in.fd[1], "abc", 3));
	EXPECT_SYSCALL_FAILS(EINVAL, sendfile(self->s.fd[0], in.fd[0], NULL, 3));
	EXPECT_EQ(3, queued(in.fd[0]));
	EXPECT_EQ(0, queued(self->s.fd[1]));
	sc_sockpair_teardown(&in);
}

/* SPLICE-03 sendfile(2): sendfile() from a pipe to a socket (out_fd not a pipe) fails with EINVAL, and the data stays in the pipe. */
TEST_F(sock, sendfile_from_pipe_to_socket_fails_einval)
{
	struct sc_pipe p;

	SC_REQUIRE_FEATURE(sendfile);
	SC_SETUP(sc_pipe_open(&p, O_CLOEXEC));
	SC_SETUP(write(p.wr, "abc", 3));
	EXPECT_SYSCALL_FAILS(EINVAL, sendfile(self->s.fd[0], p.rd, NULL, 3));
	EXPECT_EQ(3, queued(p.rd));
	EXPECT_EQ(0, queued(self->s.fd[1]));
	sc_pipe_teardown(&p);
}

/* SPLICE-03 sendfile(2): sendfile() to a file open with O_APPEND fails with EINVAL and writes nothing; in's file offset stays. */
TEST_F(xfer, sendfile_to_append_file_fails_einval)
{
	struct stat st;
	int in, out;

	SC_REQUIRE_FEATURE(sendfile);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	out = SC_FILE_AT("out", "abc", 3, O_WRONLY | O_APPEND);
	EXPECT_SYSCALL_FAILS(EINVAL, sendfile(out, in, NULL, 4));
	SC_OK(fstat(out, &st));
	EXPECT_EQ(3, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, lseek(in, 0, SEEK_CUR));
	close(in);
	close(out);
}

TEST_HARNESS_MAIN
