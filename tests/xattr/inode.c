// SPDX-License-Identifier: GPL-2.0-only
/*
 * inode: extended attributes belong to the inode, not to a name: every hard link
 * shows them, rename() keeps them, and setting one is a change of the inode
 * (st_ctime) but not of the data (st_mtime) (XATTR-09).
 * Man pages: xattr(7), stat(2).
 */
#include "xattr.h"

/* XATTR-09 xattr(7): an attribute set through one hard link is seen through the other; one set or removed there is seen or gone through the first. */
TEST_F(file, hard_links_share_attributes)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("a");
	SC_SETUP(link("a", "b"));
	ASSERT_SYSCALL_RETURNS(0, setxattr("a", "user.k", "va", 2, 0));
	EXPECT_SYSCALL_RETURNS(2, getxattr("b", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "va", 2));
	ASSERT_SYSCALL_RETURNS(0, setxattr("b", "user.k", "vbb", 3, 0));
	EXPECT_SYSCALL_RETURNS(3, getxattr("a", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "vbb", 3));
	ASSERT_SYSCALL_RETURNS(0, removexattr("b", "user.k"));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("a", "user.k", buf, sizeof(buf)));
}

/* XATTR-09 xattr(7): a hard link made after the attribute was set shows it, in getxattr() and listxattr(). */
TEST_F(file, link_made_later_lists_attribute)
{
	char list[1024];
	ssize_t len;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("a");
	ASSERT_SYSCALL_RETURNS(0, setxattr("a", "user.early", "e", 1, 0));
	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(link("a", "d/b"));
	EXPECT_SYSCALL_RETURNS(1, getxattr("d/b", "user.early", ANY_VALUE));
	len = SC_OK(listxattr("d/b", list, sizeof(list)));
	EXPECT_EQ(1, xattr_count(list, len, "user.early")) {
		TH_LOG("listxattr(d/b): %s", xattr_list_str(list, len));
	}
}

/* XATTR-09 xattr(7): rename() keeps a file's attributes, in the same directory and into another. */
TEST_F(file, rename_keeps_attributes)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	SC_SETUP(mkdir("d", 0755));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "kept", 4, 0));
	SC_OK(rename("f", "g"));
	EXPECT_SYSCALL_RETURNS(4, getxattr("g", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "kept", 4));
	SC_OK(rename("g", "d/h"));
	EXPECT_SYSCALL_RETURNS(4, getxattr("d/h", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "kept", 4));
}

/* XATTR-09 xattr(7): rename() of a directory keeps the directory's attributes. */
TEST_F(file, rename_keeps_directory_attributes)
{
	SC_REQUIRE_FEATURE(user_xattr);
	SC_SETUP(mkdir("d", 0755));
	ASSERT_SYSCALL_RETURNS(0, setxattr("d", "user.k", "dir", 3, 0));
	SC_OK(rename("d", "e"));
	EXPECT_SYSCALL_RETURNS(3, getxattr("e", "user.k", ANY_VALUE));
}

/* XATTR-09 xattr(7): a descriptor opened before a rename() sees the attributes set through the new name. */
TEST_F(file, open_descriptor_sees_attribute_set_after_rename)
{
	char buf[16];
	int fd;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	SC_OK(rename("f", "g"));
	ASSERT_SYSCALL_RETURNS(0, setxattr("g", "user.k", "new", 3, 0));
	EXPECT_SYSCALL_RETURNS(3, fgetxattr(fd, "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "new", 3));
	close(fd);
}

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* Wait (at most 200 ms, spinning) until the coarse clock that stamps inodes is past T. */
static bool clock_passes(const struct timespec *t)
{
	struct timespec now, start;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (ns_of(&now) > ns_of(t))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (ns_of(&now) - ns_of(&start) < 200000000LL);
	return false;
}

/* XATTR-09 xattr(7): setxattr() and removexattr() change st_ctime but leave st_mtime (set to an old time with utimensat() first) alone. */
TEST_F(file, set_changes_ctime_not_mtime)
{
	/* 2001-09-09 01:46:40.123456789 UTC: old, and with nanoseconds that show truncation. */
	const struct timespec old[2] = { { 1000000000, 123456789 }, { 1000000000, 123456789 } };
	struct stat before, after, removed;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	SC_SETUP(utimensat(AT_FDCWD, "f", old, 0));
	SC_SETUP(stat("f", &before));
	if (before.st_mtim.tv_nsec != old[1].tv_nsec)
		SC_SKIP_FS("timestamps of %ld ns are stored as %ld: too coarse to see st_ctime move",
			   old[1].tv_nsec, (long)before.st_mtim.tv_nsec);
	if (!clock_passes(&before.st_ctim))
		SC_ERROR("CLOCK_REALTIME_COARSE did not pass st_ctime %lld ns in 200 ms", ns_of(&before.st_ctim));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "v", 1, 0));
	SC_OK(stat("f", &after));
	EXPECT_LT(ns_of(&before.st_ctim), ns_of(&after.st_ctim)) {
		TH_LOG("st_ctime before setxattr() %lld ns, after %lld ns",
		       ns_of(&before.st_ctim), ns_of(&after.st_ctim));
	}
	EXPECT_EQ(ns_of(&old[1]), ns_of(&after.st_mtim)) {
		TH_LOG("st_mtime changed by setxattr(): %lld ns, was %lld", ns_of(&after.st_mtim), ns_of(&old[1]));
	}
	if (!clock_passes(&after.st_ctim))
		SC_ERROR("CLOCK_REALTIME_COARSE did not pass st_ctime %lld ns in 200 ms", ns_of(&after.st_ctim));
	ASSERT_SYSCALL_RETURNS(0, removexattr("f", "user.k"));
	SC_OK(stat("f", &removed));
	EXPECT_LT(ns_of(&after.st_ctim), ns_of(&removed.st_ctim));
	EXPECT_EQ(ns_of(&old[1]), ns_of(&removed.st_mtim));
}

TEST_HARNESS_MAIN
