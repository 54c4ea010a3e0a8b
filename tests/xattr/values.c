// SPDX-License-Identifier: GPL-2.0-only
/*
 * values: what getxattr() gives back is exactly what setxattr() stored (binary
 * bytes, the empty value), by path, by descriptor and on a directory; asking with
 * size 0 for the size needed, and ERANGE for a buffer too small (XATTR-01, XATTR-02).
 * Man pages: setxattr(2), getxattr(2), listxattr(2).
 */
#include "xattr.h"

static const char binary[] = { 'a', 0, 'b', 0, 0, (char)0xff, 'c', 0 };

/* XATTR-01 getxattr(2): setxattr() of a binary value with NUL bytes, then getxattr() returns exactly its n bytes. */
TEST_F(file, get_returns_exact_binary_value)
{
	char buf[64];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	memset(buf, 'x', sizeof(buf));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", binary, sizeof(binary), 0));
	EXPECT_SYSCALL_RETURNS(sizeof(binary), getxattr("f", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, binary, sizeof(binary)));
	EXPECT_EQ('x', buf[sizeof(binary)]);
}

/* XATTR-01 setxattr(2): a zero-length value is allowed, and getxattr() returns 0 for it. */
TEST_F(file, zero_length_value_reads_back_as_zero_bytes)
{
	char buf[16] = "untouched";

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.empty", "", 0, 0));
	EXPECT_SYSCALL_RETURNS(0, getxattr("f", "user.empty", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(0, getxattr("f", "user.empty", NULL, 0));
	EXPECT_STREQ("untouched", buf);
	/* The control: an absent name is not the same as an empty value. */
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.other", buf, sizeof(buf)));
}

/* XATTR-01 setxattr(2): fsetxattr() and fgetxattr() on a descriptor store and return the same bytes as the path calls. */
TEST_F(file, fd_and_path_calls_see_same_value)
{
	char buf[64];
	int fd;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, fsetxattr(fd, "user.byfd", binary, sizeof(binary), 0));
	EXPECT_SYSCALL_RETURNS(sizeof(binary), getxattr("f", "user.byfd", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, binary, sizeof(binary)));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.bypath", "\0\1\2", 3, 0));
	EXPECT_SYSCALL_RETURNS(3, fgetxattr(fd, "user.bypath", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "\0\1\2", 3));
	close(fd);
}

/* XATTR-01 xattr(7): a directory holds user.* values like a file: getxattr() returns the n bytes stored. */
TEST_F(file, directory_value_reads_back_exactly)
{
	char buf[64];

	SC_REQUIRE_FEATURE(user_xattr);
	SC_SETUP(mkdir("d", 0755));
	ASSERT_SYSCALL_RETURNS(0, setxattr("d", "user.k", binary, sizeof(binary), 0));
	EXPECT_SYSCALL_RETURNS(sizeof(binary), getxattr("d", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, binary, sizeof(binary)));
}

/* XATTR-01 setxattr(2): a value of 4000 bytes, every byte value in it, reads back whole. */
TEST_F(file, large_value_reads_back_whole)
{
	static char value[4000], buf[4100];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	for (size_t i = 0; i < sizeof(value); i++)
		value[i] = (char)(i * 7);
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.big", value, sizeof(value), 0));
	EXPECT_SYSCALL_RETURNS(sizeof(value), getxattr("f", "user.big", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, value, sizeof(value)));
}

/* XATTR-02 getxattr(2): getxattr() with size 0 returns the value's size and copies nothing. */
TEST_F(file, get_size_zero_returns_size_needed)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", binary, sizeof(binary), 0));
	memset(buf, 'x', sizeof(buf));
	EXPECT_SYSCALL_RETURNS(sizeof(binary), getxattr("f", "user.k", buf, 0));
	EXPECT_EQ('x', buf[0]);
	EXPECT_SYSCALL_RETURNS(sizeof(binary), getxattr("f", "user.k", NULL, 0));
}

/* XATTR-02 getxattr(2): getxattr() into a non-zero buffer smaller than the value fails with ERANGE; one of the exact size works. */
TEST_F(file, get_buffer_too_small_fails_erange)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", binary, sizeof(binary), 0));
	EXPECT_SYSCALL_FAILS(ERANGE, getxattr("f", "user.k", buf, 1));
	EXPECT_SYSCALL_FAILS(ERANGE, getxattr("f", "user.k", buf, sizeof(binary) - 1));
	EXPECT_SYSCALL_RETURNS(sizeof(binary), getxattr("f", "user.k", buf, sizeof(binary)));
	EXPECT_EQ(0, memcmp(buf, binary, sizeof(binary)));
}

/* XATTR-02 listxattr(2): listxattr() with size 0 returns the size of the whole list, the same as a large enough call returns. */
TEST_F(file, list_size_zero_returns_size_needed)
{
	char list[1024];
	ssize_t need;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.first", "1", 1, 0));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.second", "2", 1, 0));
	memset(list, 'x', sizeof(list));
	need = SC_OK(listxattr("f", list, 0));
	EXPECT_EQ('x', list[0]);
	/* At least the two names, NUL-terminated (an LSM may add its own). */
	EXPECT_LE((ssize_t)(sizeof("user.first") + sizeof("user.second")), need);
	EXPECT_SYSCALL_RETURNS(need, listxattr("f", list, sizeof(list)));
	EXPECT_SYSCALL_RETURNS(need, listxattr("f", NULL, 0));
}

/* XATTR-02 listxattr(2): listxattr() into a non-zero buffer smaller than the list fails with ERANGE. */
TEST_F(file, list_buffer_too_small_fails_erange)
{
	char list[1024];
	ssize_t need;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.first", "1", 1, 0));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.second", "2", 1, 0));
	need = SC_OK(listxattr("f", NULL, 0));
	ASSERT_LT(0, need);
	EXPECT_SYSCALL_FAILS(ERANGE, listxattr("f", list, 1));
	EXPECT_SYSCALL_FAILS(ERANGE, listxattr("f", list, need - 1));
	EXPECT_SYSCALL_RETURNS(need, listxattr("f", list, need));
}

/* XATTR-02 getxattr(2): fgetxattr() and flistxattr() on a descriptor also answer size 0 with the size and a short buffer with ERANGE. */
TEST_F(file, fd_calls_report_size_and_erange)
{
	char buf[8];
	ssize_t need;
	int fd;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, fsetxattr(fd, "user.k", binary, sizeof(binary), 0));
	EXPECT_SYSCALL_RETURNS(sizeof(binary), fgetxattr(fd, "user.k", NULL, 0));
	EXPECT_SYSCALL_FAILS(ERANGE, fgetxattr(fd, "user.k", buf, 2));
	need = SC_OK(flistxattr(fd, NULL, 0));
	EXPECT_LE((ssize_t)sizeof("user.k"), need);
	EXPECT_SYSCALL_FAILS(ERANGE, flistxattr(fd, buf, 2));
	close(fd);
}

TEST_HARNESS_MAIN
