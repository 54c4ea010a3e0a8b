// SPDX-License-Identifier: GPL-2.0-only
/*
 * read_write: read() and write() counts: on regular files short counts only at
 * end of file, zero counts, read() on a directory (IO-01, IO-02), and the null
 * devices /dev/null and /dev/zero (IO-22).
 */
#include "io.h"

/* IO-01 read(2): a 10-byte file read with count 100 returns 10, the next read returns 0, the offset stays 10. */
TEST_F(file, read_past_end_returns_rest_then_zero)
{
	char buf[100];
	int fd;

	fd = SC_FILE_AT("ten", "0123456789", 10, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(10, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	EXPECT_SYSCALL_RETURNS(0, read(fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(10, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(0, read(fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(10, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-01 read(2): before end of file read() returns the full count: 4 of 10 bytes give 4, then 6 from offset 4 ends the file. */
TEST_F(file, read_before_end_returns_full_count)
{
	char buf[100];
	int fd;

	fd = SC_FILE_AT("ten", "0123456789", 10, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(4, read(fd, buf, 4));
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	EXPECT_SYSCALL_RETURNS(4, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(6, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "456789", 6));
	EXPECT_SYSCALL_RETURNS(10, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-01 read(2): a read that starts inside the file and crosses end of file returns the bytes up to end of file only. */
TEST_F(file, read_crossing_end_stops_at_end_of_file)
{
	char buf[64];
	int fd;

	fd = SC_FILE_AT("ten", "0123456789", 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(7, lseek(fd, 7, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(3, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "789", 3));
	EXPECT_SYSCALL_RETURNS(10, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-02 read(2): read() with count 0 returns 0 and leaves the offset unchanged. */
TEST_F(file, read_count_zero_returns_zero_keeps_offset)
{
	char buf[4];
	int fd;

	fd = SC_FILE_AT("ten", "0123456789", 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(3, lseek(fd, 3, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(0, read(fd, buf, 0));
	EXPECT_SYSCALL_RETURNS(3, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-02 write(2): write() with count 0 to a regular file returns 0 and changes neither the offset nor the size. */
TEST_F(file, write_count_zero_changes_nothing)
{
	struct stat st;
	int fd;

	fd = SC_FILE_AT("ten", "0123456789", 10, O_WRONLY);
	ASSERT_SYSCALL_RETURNS(12, lseek(fd, 12, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(0, write(fd, "x", 0));
	EXPECT_SYSCALL_RETURNS(12, lseek(fd, 0, SEEK_CUR));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(10, st.st_size);
	close(fd);
}

/* IO-02 read(2): read() on a directory descriptor fails with EISDIR. */
TEST_F(file, read_on_directory_fails_eisdir)
{
	char buf[16];
	int fd;

	SC_SETUP(mkdir("d", 0700));
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EISDIR, read(fd, buf, sizeof(buf)));
	close(fd);
}

/* IO-22 null(4): write() to /dev/null returns the full count, for small and large writes. */
TEST_F(file, dev_null_write_returns_full_count)
{
	static char big[1024 * 1024];
	int fd;

	fd = SC_SETUP(open("/dev/null", O_WRONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(1, write(fd, "x", 1));
	EXPECT_SYSCALL_RETURNS((ssize_t)sizeof(big), write(fd, big, sizeof(big)));
	EXPECT_SYSCALL_RETURNS(0, write(fd, big, 0));
	close(fd);
}

/* IO-22 null(4): read() from /dev/null returns 0 (end of file) and leaves the buffer untouched. */
TEST_F(file, dev_null_read_returns_end_of_file)
{
	char buf[64];
	int fd;

	memset(buf, 'q', sizeof(buf));
	fd = SC_SETUP(open("/dev/null", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, read(fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(5, write(fd, "hello", 5));
	EXPECT_SYSCALL_RETURNS(0, read(fd, buf, sizeof(buf)));
	EXPECT_EQ('q', buf[0]);
	EXPECT_EQ('q', buf[sizeof(buf) - 1]);
	close(fd);
}

/* IO-22 null(4): read() from /dev/zero returns the full count, all zero bytes, for small and large reads. */
TEST_F(file, dev_zero_read_returns_full_count_of_zeros)
{
	static char buf[1024 * 1024];
	static const char zeros[sizeof(buf)];
	char small[7];
	int fd;

	memset(buf, 'q', sizeof(buf));
	memset(small, 'q', sizeof(small));
	fd = SC_SETUP(open("/dev/zero", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS((ssize_t)sizeof(small), read(fd, small, sizeof(small)));
	EXPECT_EQ(0, memcmp(small, zeros, sizeof(small)));
	EXPECT_SYSCALL_RETURNS((ssize_t)sizeof(buf), read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, zeros, sizeof(buf)));
	close(fd);
}

TEST_HARNESS_MAIN
