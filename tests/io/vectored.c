// SPDX-License-Identifier: GPL-2.0-only
/*
 * vectored: readv()/writev() move their buffers in array order as one range,
 * return the total, and check iovcnt against IOV_MAX (IO-06).
 */
#include <sys/uio.h>
#include "io.h"

/* IO-06 readv(2): writev() of {"ab","cd"} stores "abcd" as one contiguous range and returns the total 4. */
TEST_F(file, writev_stores_buffers_in_order_returns_total)
{
	struct iovec iov[2] = { { "ab", 2 }, { "cd", 2 } };
	char buf[16] = "";
	struct stat st;
	int fd;

	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS(1, write(fd, "<", 1));
	EXPECT_SYSCALL_RETURNS(4, writev(fd, iov, 2));
	EXPECT_SYSCALL_RETURNS(5, lseek(fd, 0, SEEK_CUR));
	ASSERT_SYSCALL_RETURNS(1, write(fd, ">", 1));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(6, st.st_size);
	EXPECT_SYSCALL_RETURNS(6, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("<abcd>", buf);
	close(fd);
}

/* IO-06 readv(2): writev() of many unequal buffers returns their total length and stores them back to back. */
TEST_F(file, writev_many_buffers_returns_sum_of_lengths)
{
	static char data[64 * 1024], back[sizeof(data)];
	struct iovec iov[64];
	size_t off = 0;
	int fd;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 13 + i / 251);
	for (int i = 0; i < 64; i++) {
		size_t len = (size_t)(i % 7) * 300 + 1;

		iov[i].iov_base = data + off;
		iov[i].iov_len = len;
		off += len;
	}
	ASSERT_GT(sizeof(data), off);
	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_RETURNS((ssize_t)off, writev(fd, iov, 64));
	EXPECT_SYSCALL_RETURNS((ssize_t)off, pread(fd, back, sizeof(back), 0));
	EXPECT_EQ(0, memcmp(data, back, off));
	close(fd);
}

/* IO-06 readv(2): readv() fills iov[0] completely before iov[1]: 8 bytes into {3,10} give "abc" and "defgh", returning 8. */
TEST_F(file, readv_fills_first_buffer_before_second)
{
	char a[3], b[10];
	struct iovec iov[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	int fd;

	memset(b, '-', sizeof(b));
	fd = SC_FILE_AT("f", "abcdefgh", 8, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(8, readv(fd, iov, 2));
	EXPECT_EQ(0, memcmp(a, "abc", 3));
	EXPECT_EQ(0, memcmp(b, "defgh-----", 10));
	EXPECT_SYSCALL_RETURNS(8, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-06 readv(2): readv() and writev() with iovcnt IOV_MAX + 1 fail with EINVAL; IOV_MAX itself is accepted. */
TEST_F(file, iovcnt_above_iov_max_fails_einval)
{
	static struct iovec iov[IOV_MAX + 1];
	static char byte[IOV_MAX + 1];
	struct stat st;
	int fd;

	for (int i = 0; i <= IOV_MAX; i++) {
		iov[i].iov_base = &byte[i];
		iov[i].iov_len = 1;
	}
	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EINVAL, writev(fd, iov, IOV_MAX + 1));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_SYSCALL_RETURNS(IOV_MAX, writev(fd, iov, IOV_MAX));
	ASSERT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_SET));
	EXPECT_SYSCALL_FAILS(EINVAL, readv(fd, iov, IOV_MAX + 1));
	EXPECT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-06 readv(2): readv() and writev() with iovcnt 0 return 0 and transfer nothing. */
TEST_F(file, iovcnt_zero_returns_zero)
{
	char c = 'q';
	struct iovec iov = { &c, 1 };
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "xyz", 3, O_RDWR);
	EXPECT_SYSCALL_RETURNS(0, readv(fd, &iov, 0));
	EXPECT_EQ('q', c);
	EXPECT_SYSCALL_RETURNS(0, writev(fd, &iov, 0));
	EXPECT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_CUR));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(3, st.st_size);
	close(fd);
}

TEST_HARNESS_MAIN
