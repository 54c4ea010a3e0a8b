// SPDX-License-Identifier: GPL-2.0-only
/*
 * positional: pread()/pwrite() and preadv2()/pwritev2() transfer at an explicit
 * offset without moving the file offset; errors on pipes, FIFOs and sockets and
 * for negative offsets; the Linux O_APPEND quirk of pwrite() (IO-03, IO-04, IO-05,
 * IO-07).
 */
#include <sys/socket.h>
#include <sys/uio.h>
#include "io.h"

/* IO-03 pread(2): pread() reads at the given offset and leaves the file offset where it was. */
TEST_F(file, pread_leaves_file_offset_unchanged)
{
	char buf[8] = "";
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(2, lseek(fd, 2, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(3, pread(fd, buf, 3, 6));
	EXPECT_EQ(0, memcmp(buf, "678", 3));
	EXPECT_SYSCALL_RETURNS(2, lseek(fd, 0, SEEK_CUR));
	/* The next read() still starts at the old offset. */
	EXPECT_SYSCALL_RETURNS(2, read(fd, buf, 2));
	EXPECT_EQ(0, memcmp(buf, "23", 2));
	close(fd);
}

/* IO-03 pwrite(2): pwrite() writes at the given offset and leaves the file offset where it was. */
TEST_F(file, pwrite_leaves_file_offset_unchanged)
{
	char buf[16] = "";
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	ASSERT_SYSCALL_RETURNS(1, lseek(fd, 1, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(2, pwrite(fd, "AB", 2, 5));
	EXPECT_SYSCALL_RETURNS(1, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(10, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "01234AB789", 10));
	close(fd);
}

/* IO-04 pread(2): pread() and pwrite() on a pipe, a FIFO and a socket fail with ESPIPE. */
TEST_F(file, pread_pwrite_on_unseekable_fail_espipe)
{
	int p[2], sv[2], fifo;
	char c = 'x';

	SC_SETUP(pipe2(p, O_CLOEXEC));
	SC_SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	SC_SETUP(mkfifo("fifo", 0600));
	/* O_RDWR on a FIFO does not block on Linux (fifo(7)). */
	fifo = SC_SETUP(open("fifo", O_RDWR | O_NONBLOCK | O_CLOEXEC));

	EXPECT_SYSCALL_FAILS(ESPIPE, pwrite(p[1], &c, 1, 0));
	EXPECT_SYSCALL_FAILS(ESPIPE, pread(p[0], &c, 1, 0));
	EXPECT_SYSCALL_FAILS(ESPIPE, pwrite(fifo, &c, 1, 0));
	EXPECT_SYSCALL_FAILS(ESPIPE, pread(fifo, &c, 1, 0));
	EXPECT_SYSCALL_FAILS(ESPIPE, pwrite(sv[0], &c, 1, 0));
	EXPECT_SYSCALL_FAILS(ESPIPE, pread(sv[1], &c, 1, 0));
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(fifo);
}

/* IO-04 pread(2): pread() and pwrite() with a negative offset fail with EINVAL. */
TEST_F(file, pread_pwrite_negative_offset_fail_einval)
{
	char c = 'x';
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	EXPECT_SYSCALL_FAILS(EINVAL, pread(fd, &c, 1, -1));
	EXPECT_SYSCALL_FAILS(EINVAL, pwrite(fd, &c, 1, -1));
	close(fd);
}

/* IO-04 pread(2): pread() at end of file or beyond it returns 0. */
TEST_F(file, pread_at_or_past_end_returns_zero)
{
	char buf[8];
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(0, pread(fd, buf, sizeof(buf), 10));
	EXPECT_SYSCALL_RETURNS(0, pread(fd, buf, sizeof(buf), 4096));
	EXPECT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-04 pwrite(2): pwrite() beyond end of file extends the file, and the gap reads back as zero bytes. */
TEST_F(file, pwrite_past_end_fills_gap_with_zeros)
{
	static const char zeros[100];
	char buf[128];
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "abc", 3, O_RDWR);
	EXPECT_SYSCALL_RETURNS(2, pwrite(fd, "XY", 2, 103));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(105, st.st_size);
	memset(buf, 'q', sizeof(buf));
	EXPECT_SYSCALL_RETURNS(105, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(0, memcmp(buf + 3, zeros, 100));
	EXPECT_EQ(0, memcmp(buf + 103, "XY", 2));
	close(fd);
}

/* IO-05 pwrite(2): on Linux pwrite() on an O_APPEND descriptor appends at end of file whatever the offset argument. */
TEST_F(file, pwrite_on_o_append_appends_at_end)
{
	char buf[16] = "";
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "abcdef", 6, O_RDWR | O_APPEND);
	EXPECT_SYSCALL_RETURNS(2, pwrite(fd, "XY", 2, 1));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(8, st.st_size);
	EXPECT_SYSCALL_RETURNS(8, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "abcdefXY", 8)) {
		TH_LOG("content \"%.8s\" (POSIX would give \"aXYdef\")", buf);
	}
	close(fd);
}

/* IO-07 readv(2): preadv2() with offset -1 reads at the file offset and advances it; with offset >= 0 it leaves it unchanged. */
TEST_F(file, preadv2_offset_minus_one_uses_file_offset)
{
	char buf[4] = "";
	struct iovec iov = { buf, 3 };
	int fd;

	SC_REQUIRE_FEATURE(preadv2);
	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(2, lseek(fd, 2, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(3, preadv2(fd, &iov, 1, -1, 0));
	EXPECT_EQ(0, memcmp(buf, "234", 3));
	EXPECT_SYSCALL_RETURNS(5, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(3, preadv2(fd, &iov, 1, 7, 0));
	EXPECT_EQ(0, memcmp(buf, "789", 3));
	EXPECT_SYSCALL_RETURNS(5, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-07 readv(2): pwritev2() with offset -1 writes at the file offset and advances it; with offset >= 0 it leaves it unchanged. */
TEST_F(file, pwritev2_offset_minus_one_uses_file_offset)
{
	char buf[16] = "";
	struct iovec iov = { "AB", 2 };
	int fd;

	SC_REQUIRE_FEATURE(preadv2);
	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	ASSERT_SYSCALL_RETURNS(1, lseek(fd, 1, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(2, pwritev2(fd, &iov, 1, -1, 0));
	EXPECT_SYSCALL_RETURNS(3, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(2, pwritev2(fd, &iov, 1, 6, 0));
	EXPECT_SYSCALL_RETURNS(3, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(10, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "0AB345AB89", 10));
	close(fd);
}

/* IO-07 readv(2): preadv2() and pwritev2() with an unknown RWF_* flag fail with EOPNOTSUPP. */
TEST_F(file, rwf_unknown_flag_fails_eopnotsupp)
{
	const int unknown = 1 << 30;	/* far above every RWF_* bit defined so far */
	char buf[4];
	struct iovec iov = { buf, sizeof(buf) };
	int fd;

	SC_REQUIRE_FEATURE(preadv2);
	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	EXPECT_SYSCALL_FAILS(EOPNOTSUPP, preadv2(fd, &iov, 1, 0, unknown));
	EXPECT_SYSCALL_FAILS(EOPNOTSUPP, pwritev2(fd, &iov, 1, 0, unknown));
	EXPECT_SYSCALL_FAILS(EOPNOTSUPP, preadv2(fd, &iov, 1, -1, unknown));
	close(fd);
}

TEST_HARNESS_MAIN
