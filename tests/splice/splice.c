// SPDX-License-Identifier: GPL-2.0-only
/*
 * splice: moving data between a file and a pipe, with and without offsets; a pipe is
 * needed on one side; SPLICE_F_NONBLOCK and end of file on an empty pipe; a copy
 * file -> pipe -> file; NULL offsets and the file offset (SPLICE-04 .. SPLICE-07,
 * SPLICE-10). Man page: splice(2).
 */
#include "splice.h"

/* SPLICE-04 splice(2): splice() between two regular files (no pipe on either side) fails with EINVAL and writes nothing. */
TEST_F(xfer, splice_between_two_files_fails_einval)
{
	struct stat st;
	int in, out;

	SC_REQUIRE_FEATURE(splice);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	out = SC_FILE_AT("out", "", 0, O_WRONLY);
	EXPECT_SYSCALL_FAILS(EINVAL, splice(in, NULL, out, NULL, 4, SPLICE_F_NONBLOCK));
	SC_OK(fstat(out, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, lseek(in, 0, SEEK_CUR));
	close(in);
	close(out);
}

/* SPLICE-04 splice(2): splice() from a regular file to a socket (no pipe on either side) fails with EINVAL and sends nothing. */
TEST_F(xfer, splice_file_to_socket_fails_einval)
{
	struct sc_sockpair s;
	int in;

	SC_REQUIRE_FEATURE(splice);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	SC_SETUP(sc_stream_pair_open(&s, AF_UNIX, SOCK_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EINVAL, splice(in, NULL, s.fd[0], NULL, 4, SPLICE_F_NONBLOCK));
	EXPECT_EQ(0, queued(s.fd[1]));
	sc_sockpair_teardown(&s);
	close(in);
}

/* SPLICE-04 splice(2): splice() from a pipe into the same pipe fails with EINVAL, and the data stays in the pipe. */
TEST_F(xfer, splice_pipe_into_itself_fails_einval)
{
	char buf[8] = "";

	SC_REQUIRE_FEATURE(splice);
	SC_SETUP(write(self->a.wr, "abc", 3));
	EXPECT_SYSCALL_FAILS(EINVAL, splice(self->a.rd, NULL, self->a.wr, NULL, 3, SPLICE_F_NONBLOCK));
	EXPECT_SYSCALL_RETURNS(3, read(self->a.rd, buf, sizeof(buf)));
	EXPECT_STREQ("abc", buf);
}

/* SPLICE-04 splice(2): control: splice() from a pipe into another pipe is allowed and moves the bytes. */
TEST_F(xfer, splice_pipe_to_pipe_moves_bytes)
{
	char buf[8] = "";

	SC_REQUIRE_FEATURE(splice);
	SC_SETUP(write(self->a.wr, "abc", 3));
	EXPECT_SYSCALL_RETURNS(3, splice(self->a.rd, NULL, self->b.wr, NULL, 3, SPLICE_F_NONBLOCK));
	EXPECT_EQ(0, queued(self->a.rd));
	EXPECT_SYSCALL_RETURNS(3, read(self->b.rd, buf, sizeof(buf)));
	EXPECT_STREQ("abc", buf);
}

/* SPLICE-05 splice(2): splice(file,&off,pipe,NULL,n,0) reads at off, advances off by the count and leaves the file offset unchanged. */
TEST_F(xfer, splice_offset_pointer_advances_it_not_file_offset)
{
	char buf[8] = "";
	loff_t off = 3;
	int in;

	SC_REQUIRE_FEATURE(splice);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(8, lseek(in, 8, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(4, splice(in, &off, self->a.wr, NULL, 4, 0));
	EXPECT_EQ(7, off);
	EXPECT_SYSCALL_RETURNS(8, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(4, read(self->a.rd, buf, sizeof(buf)));
	EXPECT_STREQ("3456", buf);
	close(in);
}

/* SPLICE-05 splice(2): splice(file,&off,pipe,...) near the end of file returns the bytes left and off stops at the end; the file offset stays. */
TEST_F(xfer, splice_offset_pointer_near_end_returns_bytes_left)
{
	char buf[8] = "";
	loff_t off = 8;
	int in;

	SC_REQUIRE_FEATURE(splice);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(2, splice(in, &off, self->a.wr, NULL, 6, 0));
	EXPECT_EQ(10, off);
	EXPECT_SYSCALL_RETURNS(0, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(2, read(self->a.rd, buf, sizeof(buf)));
	EXPECT_STREQ("89", buf);
	close(in);
}

/* SPLICE-05 splice(2): a non-NULL offset for the pipe side fails with ESPIPE (off_out for a pipe out_fd, off_in for a pipe in_fd), and nothing moves. */
TEST_F(xfer, splice_offset_for_pipe_side_fails_espipe)
{
	loff_t off = 0;
	int f;

	SC_REQUIRE_FEATURE(splice);
	f = SC_FILE_AT("f", DIGITS, 10, O_RDWR);
	EXPECT_SYSCALL_FAILS(ESPIPE, splice(f, NULL, self->a.wr, &off, 4, SPLICE_F_NONBLOCK));
	EXPECT_EQ(0, queued(self->a.rd));
	EXPECT_SYSCALL_RETURNS(0, lseek(f, 0, SEEK_CUR));
	SC_SETUP(write(self->b.wr, "abc", 3));
	EXPECT_SYSCALL_FAILS(ESPIPE, splice(self->b.rd, &off, f, NULL, 3, SPLICE_F_NONBLOCK));
	EXPECT_EQ(3, queued(self->b.rd));
	EXPECT_EQ(0, off);
	close(f);
}

/* SPLICE-06 splice(2): splice() from an empty pipe with SPLICE_F_NONBLOCK fails with EAGAIN at once; control: once the pipe holds bytes the same call moves them. */
TEST_F(xfer, splice_empty_pipe_nonblock_fails_eagain)
{
	char buf[8] = "";
	int out;

	SC_REQUIRE_FEATURE(splice);
	out = SC_FILE_AT("out", "", 0, O_RDWR);
	EXPECT_SYSCALL_FAILS(EAGAIN, splice(self->a.rd, NULL, out, NULL, 8, SPLICE_F_NONBLOCK));
	EXPECT_SYSCALL_FAILS(EAGAIN, splice(self->a.rd, NULL, self->b.wr, NULL, 8, SPLICE_F_NONBLOCK));
	SC_SETUP(write(self->a.wr, "abc", 3));
	EXPECT_SYSCALL_RETURNS(3, splice(self->a.rd, NULL, out, NULL, 8, SPLICE_F_NONBLOCK));
	EXPECT_SYSCALL_RETURNS(3, pread(out, buf, sizeof(buf), 0));
	EXPECT_STREQ("abc", buf);
	close(out);
}

/* SPLICE-06 splice(2): splice() from an empty pipe that has no writers left returns 0 (end of file) at once, also without SPLICE_F_NONBLOCK. */
TEST_F(xfer, splice_pipe_without_writers_returns_zero)
{
	int out;

	SC_REQUIRE_FEATURE(splice);
	out = SC_FILE_AT("out", "", 0, O_RDWR);
	SC_SETUP(write(self->a.wr, "ab", 2));
	sc_close(&self->a.wr);
	EXPECT_SYSCALL_RETURNS(2, splice(self->a.rd, NULL, out, NULL, 8, 0));
	EXPECT_SYSCALL_RETURNS(0, splice(self->a.rd, NULL, out, NULL, 8, 0));
	EXPECT_SYSCALL_RETURNS(0, splice(self->a.rd, NULL, out, NULL, 8, SPLICE_F_NONBLOCK));
	close(out);
}

/* SPLICE-07 splice(2): 20000 bytes moved file -> pipe -> file by pairs of splice() calls (4096 at a time) arrive byte-identical, and the pipe is left empty. */
TEST_F(xfer, splice_file_to_pipe_to_file_copies_exactly)
{
	static char data[20000], got[20000 + 16];
	long total = 0;
	int in, out;

	SC_REQUIRE_FEATURE(splice);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = 'a' + (i * 7 + i / 251) % 26;
	in = SC_FILE_AT("in", data, sizeof(data), O_RDONLY);
	out = SC_FILE_AT("out", "", 0, O_RDWR);
	for (int i = 0; i < 100 && total < (long)sizeof(data); i++) {
		ssize_t n = splice(in, NULL, self->a.wr, NULL, 4096, 0), m;

		ASSERT_LT(0, n) {
			TH_LOG("splice(in -> pipe) at %ld -> %zd %s", total, n, sc_errname(errno));
		}
		m = splice(self->a.rd, NULL, out, NULL, n, 0);
		ASSERT_EQ(n, m) {
			TH_LOG("splice(pipe -> out) of %zd bytes at %ld -> %zd %s", n, total, m,
			       sc_errname(errno));
		}
		total += n;
	}
	EXPECT_EQ((long)sizeof(data), total);
	EXPECT_EQ(0, queued(self->a.rd));
	EXPECT_SYSCALL_RETURNS(sizeof(data), pread(out, got, sizeof(got), 0));
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)));
	EXPECT_SYSCALL_RETURNS(sizeof(data), lseek(out, 0, SEEK_CUR));
	close(in);
	close(out);
}

/* SPLICE-10 splice(2): with NULL offsets splice() reads from the file offset (file -> pipe) and writes at the file offset (pipe -> file), and advances each by the count. */
TEST_F(xfer, splice_null_offset_uses_and_moves_file_offset)
{
	char buf[16] = "";
	int in, out;

	SC_REQUIRE_FEATURE(splice);
	in = SC_FILE_AT("in", DIGITS, 10, O_RDONLY);
	out = SC_FILE_AT("out", "abcdef", 6, O_RDWR);
	ASSERT_SYSCALL_RETURNS(5, lseek(in, 5, SEEK_SET));
	ASSERT_SYSCALL_RETURNS(2, lseek(out, 2, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(3, splice(in, NULL, self->a.wr, NULL, 3, 0));
	EXPECT_SYSCALL_RETURNS(8, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(3, splice(self->a.rd, NULL, out, NULL, 3, 0));
	EXPECT_SYSCALL_RETURNS(5, lseek(out, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(6, pread(out, buf, sizeof(buf), 0));
	EXPECT_STREQ("ab567f", buf);
	close(in);
	close(out);
}

/* SPLICE-10 splice(2): splice(pipe,NULL,file,&off,n,0) writes at off, advances off by the count and leaves the file offset unchanged. */
TEST_F(xfer, splice_to_file_offset_pointer_writes_there_not_at_file_offset)
{
	char buf[16] = "";
	loff_t off = 4;
	int out;

	SC_REQUIRE_FEATURE(splice);
	out = SC_FILE_AT("out", "abcdef", 6, O_RDWR);
	ASSERT_SYSCALL_RETURNS(1, lseek(out, 1, SEEK_SET));
	SC_SETUP(write(self->a.wr, "XYZ", 3));
	EXPECT_SYSCALL_RETURNS(3, splice(self->a.rd, NULL, out, &off, 3, 0));
	EXPECT_EQ(7, off);
	EXPECT_SYSCALL_RETURNS(1, lseek(out, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(7, pread(out, buf, sizeof(buf), 0));
	EXPECT_STREQ("abcdXYZ", buf);
	close(out);
}

TEST_HARNESS_MAIN
