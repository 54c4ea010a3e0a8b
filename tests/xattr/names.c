// SPDX-License-Identifier: GPL-2.0-only
/*
 * names: XATTR_CREATE and XATTR_REPLACE, ENODATA for a missing name, removexattr(),
 * and the form of listxattr()'s list (XATTR-03).
 * Man pages: setxattr(2), getxattr(2), removexattr(2), listxattr(2).
 */
#include "xattr.h"

/* XATTR-03 setxattr(2): XATTR_CREATE on an existing name fails with EEXIST and leaves the value alone. */
TEST_F(file, create_flag_on_existing_name_fails_eexist)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "old", 3, XATTR_CREATE));
	EXPECT_SYSCALL_FAILS(EEXIST, setxattr("f", "user.k", "new!", 4, XATTR_CREATE));
	EXPECT_SYSCALL_RETURNS(3, getxattr("f", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "old", 3));
}

/* XATTR-03 setxattr(2): XATTR_REPLACE on a missing name fails with ENODATA and creates nothing. */
TEST_F(file, replace_flag_on_missing_name_fails_enodata)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	EXPECT_SYSCALL_FAILS(ENODATA, setxattr("f", "user.k", "v", 1, XATTR_REPLACE));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.k", buf, sizeof(buf)));
	/* The control: once the name exists, XATTR_REPLACE replaces it. */
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "v", 1, 0));
	EXPECT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "w2", 2, XATTR_REPLACE));
	EXPECT_SYSCALL_RETURNS(2, getxattr("f", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "w2", 2));
}

/* XATTR-03 setxattr(2): flags 0 creates a missing name and replaces an existing one (a shorter value leaves nothing of the longer one). */
TEST_F(file, flags_zero_creates_or_replaces)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "longer", 6, 0));
	EXPECT_SYSCALL_RETURNS(6, getxattr("f", "user.k", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "ab", 2, 0));
	EXPECT_SYSCALL_RETURNS(2, getxattr("f", "user.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "ab", 2));
}

/* XATTR-03 getxattr(2): getxattr() of a name the file does not have fails with ENODATA, also when another name exists. */
TEST_F(file, get_missing_name_fails_enodata)
{
	char buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.none", buf, sizeof(buf)));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.some", "v", 1, 0));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.none", buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.som", buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.none", ANY_VALUE));
}

/* XATTR-03 removexattr(2): removexattr() of a missing name fails with ENODATA. */
TEST_F(file, remove_missing_name_fails_enodata)
{
	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	EXPECT_SYSCALL_FAILS(ENODATA, removexattr("f", "user.none"));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "v", 1, 0));
	EXPECT_SYSCALL_RETURNS(0, removexattr("f", "user.k"));
	EXPECT_SYSCALL_FAILS(ENODATA, removexattr("f", "user.k"));
}

/* XATTR-03 removexattr(2): after removexattr() the name is gone: getxattr() fails with ENODATA and listxattr() no longer lists it; the others stay. */
TEST_F(file, removed_name_gone_from_list)
{
	char list[1024], buf[16];
	ssize_t len;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.stays", "s", 1, 0));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.goes", "g", 1, 0));
	ASSERT_SYSCALL_RETURNS(0, removexattr("f", "user.goes"));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.goes", buf, sizeof(buf)));
	len = SC_OK(listxattr("f", list, sizeof(list)));
	EXPECT_EQ(0, xattr_count(list, len, "user.goes")) {
		TH_LOG("listxattr() after removexattr(user.goes): %s", xattr_list_str(list, len));
	}
	EXPECT_EQ(1, xattr_count(list, len, "user.stays")) {
		TH_LOG("listxattr(): %s", xattr_list_str(list, len));
	}
}

/* XATTR-03 removexattr(2): fremovexattr() on a descriptor removes the name like removexattr(). */
TEST_F(file, fremovexattr_removes_name)
{
	char list[1024];
	ssize_t len;
	int fd;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, fsetxattr(fd, "user.k", "v", 1, 0));
	EXPECT_SYSCALL_RETURNS(0, fremovexattr(fd, "user.k"));
	EXPECT_SYSCALL_FAILS(ENODATA, fgetxattr(fd, "user.k", ANY_VALUE));
	len = SC_OK(flistxattr(fd, list, sizeof(list)));
	EXPECT_EQ(0, xattr_count(list, len, "user.k")) {
		TH_LOG("flistxattr() after fremovexattr(user.k): %s", xattr_list_str(list, len));
	}
	EXPECT_SYSCALL_FAILS(ENODATA, fremovexattr(fd, "user.k"));
	close(fd);
}

/* XATTR-03 listxattr(2): the list is the names back to back, each NUL-terminated, each once: its length is the sum of theirs. */
TEST_F(file, list_is_names_back_to_back_nul_terminated)
{
	static const char *const names[] = { "user.a", "user.second", "user.third.name" };
	char before[1024], list[1024];
	ssize_t base, len, want = 0;

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	/* What the file lists before (an LSM's security.* label, say) stays in the list. */
	base = SC_OK(listxattr("f", before, sizeof(before)));
	for (int i = 0; i < 3; i++) {
		ASSERT_SYSCALL_RETURNS(0, setxattr("f", names[i], "v", 1, 0));
		want += strlen(names[i]) + 1;
	}
	len = SC_OK(listxattr("f", list, sizeof(list)));
	EXPECT_EQ(base + want, len) {
		TH_LOG("listxattr(): %zd bytes: %s", len, xattr_list_str(list, len));
	}
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(1, xattr_count(list, len, names[i])) {
			TH_LOG("%s in the list: %s", names[i], xattr_list_str(list, len));
		}
	}
}

TEST_HARNESS_MAIN
