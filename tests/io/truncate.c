// SPDX-License-Identifier: GPL-2.0-only
/*
 * truncate: ftruncate()/truncate() shrink and extend files without touching the
 * file offset, and their errors (IO-16, IO-17).
 */
#include "io.h"

/* IO-16 truncate(2): ftruncate() to a smaller size discards the data beyond it; growing again shows zeros there, not the old data. */
TEST_F(file, ftruncate_shrink_discards_tail)
{
	static const char zeros[6];
	char buf[16];
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 4));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(4, st.st_size);
	EXPECT_SYSCALL_RETURNS(4, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	EXPECT_SYSCALL_RETURNS(0, pread(fd, buf, sizeof(buf), 4));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 10));
	EXPECT_SYSCALL_RETURNS(10, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "0123", 4));
	EXPECT_EQ(0, memcmp(buf + 4, zeros, 6));
	close(fd);
}

/* IO-16 truncate(2): ftruncate() to a larger size adds bytes that read as zero. */
TEST_F(file, ftruncate_grow_adds_zero_bytes)
{
	static const char zeros[8192];
	static char buf[8192 + 16];
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "abc", 3, O_RDWR);
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 8195));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(8195, st.st_size);
	EXPECT_SYSCALL_RETURNS(8195, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(0, memcmp(buf + 3, zeros, 8192));
	close(fd);
}

/* IO-16 truncate(2): ftruncate() does not change the file offset, even when the offset ends up past the new end of file. */
TEST_F(file, ftruncate_leaves_file_offset_alone)
{
	char c;
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	ASSERT_SYSCALL_RETURNS(8, lseek(fd, 8, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 3));
	EXPECT_SYSCALL_RETURNS(8, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(0, read(fd, &c, 1));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 100));
	EXPECT_SYSCALL_RETURNS(8, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(1, read(fd, &c, 1));
	EXPECT_EQ(0, c);
	close(fd);
}

/* IO-16 truncate(2): truncate() by path shrinks and grows a file like ftruncate(). */
TEST_F(file, truncate_by_path_resizes_file)
{
	char buf[16];
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "0123456789", 10));
	EXPECT_SYSCALL_RETURNS(0, truncate("f", 2));
	SC_OK(stat("f", &st));
	EXPECT_EQ(2, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, truncate("f", 5));
	SC_OK(stat("f", &st));
	EXPECT_EQ(5, st.st_size);
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(5, read(fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "01\0\0\0", 5));
	close(fd);
}

/* IO-17 truncate(2): on Linux ftruncate() on a descriptor not open for writing fails with EINVAL (POSIX allows EBADF). */
TEST_F(file, ftruncate_read_only_fd_fails_einval)
{
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	EXPECT_SYSCALL_FAILS(EINVAL, ftruncate(fd, 2));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(10, st.st_size);
	close(fd);
}

/* IO-17 truncate(2): ftruncate() and truncate() with a negative length fail with EINVAL. */
TEST_F(file, truncate_negative_length_fails_einval)
{
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	EXPECT_SYSCALL_FAILS(EINVAL, ftruncate(fd, -1));
	EXPECT_SYSCALL_FAILS(EINVAL, truncate("f", -1));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(10, st.st_size);
	close(fd);
}

/* IO-17 truncate(2): truncate() of a directory fails with EISDIR. */
TEST_F(file, truncate_directory_fails_eisdir)
{
	SC_SETUP(mkdir("d", 0700));
	EXPECT_SYSCALL_FAILS(EISDIR, truncate("d", 0));
}

TEST_HARNESS_MAIN
