// SPDX-License-Identifier: GPL-2.0-only
/*
 * copy_file_range: in-kernel copies between regular files, how they move the
 * file offsets or the offset arguments, and their errors (IO-18, IO-19).
 */
#include "io.h"

/* A new file NAME holding "0123456789", open with FLAGS. */
static int digits_file(struct __test_metadata *_metadata, const char *name, int flags)
{
	return SC_SETUP(sc_file_at(name, "0123456789", 10, flags));
}

/* IO-18 copy_file_range(2): with NULL offsets copy_file_range() copies from and to the file offsets and advances both by the returned count. */
TEST_F(file, copy_null_offsets_advance_both_file_offsets)
{
	char buf[16] = "";
	ssize_t n;
	int in, out;

	SC_REQUIRE_FEATURE(copy_file_range);
	in = digits_file(_metadata, "in", O_RDONLY);
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS(2, lseek(in, 2, SEEK_SET));
	ASSERT_SYSCALL_RETURNS(3, write(out, "abc", 3));
	n = copy_file_range(in, NULL, out, NULL, 5, 0);
	ASSERT_LT(0, n) {
		TH_LOG("copy_file_range -> %zd %s", n, sc_errname(errno));
	}
	EXPECT_GE(5, n);
	EXPECT_SYSCALL_RETURNS(2 + n, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(3 + n, lseek(out, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(3 + n, pread(out, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "abc23456", 3 + n));
	close(in);
	close(out);
}

/* IO-18 copy_file_range(2): with non-NULL off_in/off_out it copies at *off_in and *off_out, advances both by the count and leaves both file offsets alone. */
TEST_F(file, copy_with_offsets_updates_them_not_file_offsets)
{
	char buf[16] = "";
	loff_t off_in = 4, off_out = 1;
	ssize_t n;
	int in, out;

	SC_REQUIRE_FEATURE(copy_file_range);
	in = digits_file(_metadata, "in", O_RDONLY);
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS(4, write(out, "wxyz", 4));
	ASSERT_SYSCALL_RETURNS(7, lseek(in, 7, SEEK_SET));
	n = copy_file_range(in, &off_in, out, &off_out, 3, 0);
	ASSERT_LT(0, n) {
		TH_LOG("copy_file_range -> %zd %s", n, sc_errname(errno));
	}
	EXPECT_GE(3, n);
	EXPECT_EQ(4 + n, off_in);
	EXPECT_EQ(1 + n, off_out);
	EXPECT_SYSCALL_RETURNS(7, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(4, lseek(out, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(4, pread(out, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "w456", 1 + n));

	/* Offsets that do not end where the file offsets are: still left alone. */
	off_in = 0;
	off_out = 6;
	n = copy_file_range(in, &off_in, out, &off_out, 2, 0);
	ASSERT_LT(0, n) {
		TH_LOG("second copy_file_range -> %zd %s", n, sc_errname(errno));
	}
	EXPECT_GE(2, n);
	EXPECT_EQ(n, off_in);
	EXPECT_EQ(6 + n, off_out);
	EXPECT_SYSCALL_RETURNS(7, lseek(in, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(4, lseek(out, 0, SEEK_CUR));
	close(in);
	close(out);
}

/* IO-18 copy_file_range(2): copy_file_range() returns 0 when the input offset is at or past end of file, and copies nothing. */
TEST_F(file, copy_from_end_of_file_returns_zero)
{
	loff_t off_in;
	struct stat st;
	int in, out;

	SC_REQUIRE_FEATURE(copy_file_range);
	in = digits_file(_metadata, "in", O_RDONLY);
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	off_in = 10;
	EXPECT_SYSCALL_RETURNS(0, copy_file_range(in, &off_in, out, NULL, 4, 0));
	EXPECT_EQ(10, off_in);
	off_in = 1000;
	EXPECT_SYSCALL_RETURNS(0, copy_file_range(in, &off_in, out, NULL, 4, 0));
	EXPECT_EQ(1000, off_in);
	ASSERT_SYSCALL_RETURNS(10, lseek(in, 10, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(0, copy_file_range(in, NULL, out, NULL, 4, 0));
	EXPECT_SYSCALL_RETURNS(10, lseek(in, 0, SEEK_CUR));
	SC_OK(fstat(out, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, lseek(out, 0, SEEK_CUR));
	close(in);
	close(out);
}

/* IO-19 copy_file_range(2): copy_file_range() with flags != 0 fails with EINVAL. */
TEST_F(file, copy_nonzero_flags_fails_einval)
{
	int in, out;

	SC_REQUIRE_FEATURE(copy_file_range);
	in = digits_file(_metadata, "in", O_RDONLY);
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EINVAL, copy_file_range(in, NULL, out, NULL, 4, 1));
	EXPECT_SYSCALL_FAILS(EINVAL, copy_file_range(in, NULL, out, NULL, 4, 1U << 31));
	close(in);
	close(out);
}

/* IO-19 copy_file_range(2): copy_file_range() between overlapping ranges of one file fails with EINVAL. */
TEST_F(file, copy_overlapping_range_same_file_fails_einval)
{
	loff_t off_in = 0, off_out = 2;
	char buf[16] = "";
	int fd;

	SC_REQUIRE_FEATURE(copy_file_range);
	fd = digits_file(_metadata, "f", O_RDWR);
	EXPECT_SYSCALL_FAILS(EINVAL, copy_file_range(fd, &off_in, fd, &off_out, 4, 0));
	EXPECT_SYSCALL_RETURNS(10, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("0123456789", buf);
	close(fd);
}

/* IO-19 copy_file_range(2): copy_file_range() fails with EBADF when fd_out has O_APPEND or fd_in is not open for reading. */
TEST_F(file, copy_append_out_or_unreadable_in_fails_ebadf)
{
	int in, wronly_in, out, append_out;

	SC_REQUIRE_FEATURE(copy_file_range);
	in = digits_file(_metadata, "in", O_RDONLY);
	wronly_in = SC_SETUP(open("in", O_WRONLY | O_CLOEXEC));
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	append_out = SC_OK(open("out", O_WRONLY | O_APPEND | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EBADF, copy_file_range(in, NULL, append_out, NULL, 4, 0));
	EXPECT_SYSCALL_FAILS(EBADF, copy_file_range(wronly_in, NULL, out, NULL, 4, 0));
	close(in);
	close(wronly_in);
	close(out);
	close(append_out);
}

/* IO-19 copy_file_range(2): copy_file_range() from a directory fails with EISDIR. */
TEST_F(file, copy_from_directory_fails_eisdir)
{
	int dir, out;

	SC_REQUIRE_FEATURE(copy_file_range);
	SC_SETUP(mkdir("d", 0700));
	dir = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EISDIR, copy_file_range(dir, NULL, out, NULL, 4, 0));
	close(dir);
	close(out);
}

/* IO-19 copy_file_range(2): copy_file_range() between filesystems of different types (proc to the temp dir) fails with EXDEV before 5.3 and since 5.19 (also in 5.10.160+ and 5.15.53+); 5.3 to 5.18 may copy instead. */
TEST_F(file, copy_across_filesystem_types_fails_exdev)
{
	struct statfs a, b;
	int in, out, err;
	long kv = sc_kernel();
	ssize_t n;

	SC_REQUIRE_FEATURE(copy_file_range);
	in = SC_SETUP(open("/proc/self/status", O_RDONLY | O_CLOEXEC));
	out = SC_OK(open("out", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	SC_SETUP(fstatfs(in, &a));
	SC_SETUP(fstatfs(out, &b));
	if ((unsigned long)a.f_type != PROC_SUPER_MAGIC || a.f_type == b.f_type)
		SC_ERROR("/proc (f_type 0x%lx) and the temp dir (0x%lx) are not proc and another type",
			 (unsigned long)a.f_type, (unsigned long)b.f_type);
	errno = 0;
	n = copy_file_range(in, NULL, out, NULL, 64, 0);
	err = errno;
	if (n >= 0 && kv >= SC_KV(5, 3, 0) && kv < SC_KV(5, 19, 0)) {
		TH_LOG("Linux %d.%d copies across filesystem types (5.3 to 5.18 before the stable fix): %zd bytes",
		       SC_KV_PRINT(kv), n);
	} else {
		EXPECT_EQ(EXDEV, n == -1 ? err : 0) {
			TH_LOG("copy_file_range(/proc/self/status -> temp dir) on Linux %d.%d: %zd %s, expected EXDEV",
			       SC_KV_PRINT(kv), n, n == -1 ? sc_errname(err) : "");
		}
	}
	close(in);
	close(out);
}

TEST_HARNESS_MAIN
