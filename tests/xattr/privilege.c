// SPDX-License-Identifier: GPL-2.0-only
/*
 * privilege: who may read and write which namespace. user.* follows the file's
 * permission bits (XATTR-06), and on a sticky directory only its owner may write it
 * (XATTR-10); trusted.* needs CAP_SYS_ADMIN and is invisible
 * without it (XATTR-07); security.capability needs CAP_SETFCAP, and a file
 * without an extended ACL has no system.posix_acl_access (XATTR-08).
 * "Another user" is a child that drops to uid 65534 (when the test runs as root)
 * and works on files root made in the case's directory (where root cannot become
 * uid 65534, an unprivileged process is root without capabilities). trusted.* is
 * checked against the initial user namespace (capable()): its privileged clauses
 * need root there and skip elsewhere. CAP_SETFCAP counts in the user namespace
 * that maps the file's owner: without root, a new user namespace gives it.
 * Man pages: xattr(7), capabilities(7), acl(5).
 */
#include <endian.h>
#include "xattr.h"

/* What a child saw: the result of each call, as its return value or -errno. */
struct seen {
	long r[8];
	int drop;	/* BECOME_65534(): its errno, when it could not */
};

static long result(long ret)
{
	return ret == -1 ? -errno : ret;
}

/* A result() in words: "EACCES", or the value returned ("1"), in BUF. */
static const char *result_str(long r, char buf[24])
{
	if (r < 0)
		return sc_errname(-r);
	snprintf(buf, 24, "%ld", r);
	return buf;
}

/* In a test: call I of the child returned WANT (a count, 0, or -ERRNO); WHAT names it. */
#define EXPECT_SEEN(want, s, i, what) do {				\
	long _want = (want), _got = (s)->r[i];				\
	char _b1[24], _b2[24];						\
	EXPECT_EQ(_want, _got) {					\
		TH_LOG("%s -> %s, expected %s", what, result_str(_got, _b1), \
		       result_str(_want, _b2));				\
	}								\
} while (0)

/* In a test: "needs root" unless the test runs as root (the kernel's euid). */
#define REQUIRE_ROOT() do {						\
	if (syscall(SYS_geteuid) != 0)					\
		SKIP(return, "needs root (files of another user)");	\
} while (0)

/* In a test: skip unless root has CAP in the initial user namespace (capable()). */
#define REQUIRE_INITIAL_CAP(cap) do {					\
	if (!xattr_root_with(cap))					\
		SKIP(return, "needs root with " #cap " in the initial user namespace"); \
} while (0)

/*
 * In a child: become an unprivileged process: uid 65534 when root; where root cannot
 * become it (a user namespace that maps only uid 0), uid 0 without capabilities,
 * which the same checks refuse (capabilities(7)).
 */
#define UNPRIVILEGED() do {						\
	struct __user_cap_header_struct _h = { _LINUX_CAPABILITY_VERSION_3, 0 }; \
	struct __user_cap_data_struct _none[2] = { { 0, 0, 0 }, { 0, 0, 0 } }; \
	if (sc_drop_privilege() && syscall(SYS_capset, &_h, _none))	\
		return sc_child_error("cannot become uid 65534 nor drop capabilities: %s", \
				      sc_errname(errno));		\
} while (0)

/* In a child: become uid 65534 (another user than root), or say why not in S->drop. */
#define BECOME_65534(s) do {						\
	if (sc_drop_privilege()) {					\
		(s)->drop = errno;					\
		return SC_CHILD_OK;					\
	}								\
} while (0)

/* In a test: skip when the child could not become uid 65534. */
#define SKIP_IF_NOT_65534(s) do {					\
	if ((s)->drop)							\
		SKIP(return, "needs root that can become uid 65534 (setresuid/setgroups: %s)", \
		     sc_errname((s)->drop));				\
} while (0)

/*
 * In a test: CALL, a setxattr() in a namespace (WHAT) that not every filesystem has,
 * must return 0; EOPNOTSUPP is that filesystem's property (ramfs has none).
 */
#define SET_OR_SKIP_FS(what, call) do {					\
	errno = 0;							\
	long _r = (call);						\
	int _e = errno;							\
	if (_r == -1 && _e == EOPNOTSUPP)				\
		SC_SKIP_FS("no %s attributes (setxattr -> EOPNOTSUPP)", what); \
	ASSERT_EQ(0, _r) {						\
		TH_LOG("%s -> %ld %s", #call, _r, sc_errname(_e));	\
	}								\
} while (0)

/* ---- user.*: the permission bits (XATTR-06) ---------------------------------------- */

/* Child: on its own file "mine": set, chmod 0400, set and get, chmod 0200, get and set. */
static int owner_by_mode(void *data)
{
	struct seen *s = data;

	UNPRIVILEGED();
	if (sc_write_file("mine", "data", 4) || setxattr("mine", "user.k", "v", 1, 0))
		return sc_child_fail("its own file, user.k: %s", sc_errname(errno));
	if (chmod("mine", 0400))
		return sc_child_error("chmod(mine, 0400) -> %s", sc_errname(errno));
	s->r[0] = result(setxattr("mine", "user.k", "w", 1, 0));
	s->r[1] = result(getxattr("mine", "user.k", ANY_VALUE));
	if (chmod("mine", 0200))
		return sc_child_error("chmod(mine, 0200) -> %s", sc_errname(errno));
	s->r[2] = result(getxattr("mine", "user.k", ANY_VALUE));
	s->r[3] = result(setxattr("mine", "user.k", "w", 1, 0));
	return SC_CHILD_OK;
}

/* XATTR-06 xattr(7): the owner of a file without write permission (0400) gets EACCES from setxattr() of user.*, and without read permission (0200) from getxattr(); the permitted call works. */
TEST_F(file, owner_needs_mode_bits_for_user_attributes)
{
	struct seen s = { .r = { 1, 1, 1, 1 } };
	struct sc_child c;

	SC_REQUIRE_FEATURE(user_xattr);
	OPEN_TMPDIR_TO_ALL();
	sc_child_run(&c, "the owner", owner_by_mode, &s, sizeof(s));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_SEEN(-EACCES, &s, 0, "setxattr() on a 0400 file");
	EXPECT_SEEN(1, &s, 1, "getxattr() on a 0400 file");
	EXPECT_SEEN(-EACCES, &s, 2, "getxattr() on a 0200 file");
	EXPECT_SEEN(0, &s, 3, "setxattr() on a 0200 file");
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* Child, uid 65534: get and set user.k on root's files "shared" (0644), "private" (0600), "open" (0666). */
static int other_user(void *data)
{
	struct seen *s = data;

	BECOME_65534(s);
	s->r[0] = result(getxattr("shared", "user.k", ANY_VALUE));
	s->r[1] = result(setxattr("shared", "user.k", "w", 1, 0));
	s->r[2] = result(getxattr("private", "user.k", ANY_VALUE));
	s->r[3] = result(setxattr("private", "user.k", "w", 1, 0));
	s->r[4] = result(setxattr("open", "user.k", "w", 1, 0));
	return SC_CHILD_OK;
}

/* XATTR-06 xattr(7): another user may getxattr() user.* of a 0644 file but setxattr() fails with EACCES; on a 0600 file both fail with EACCES; on a 0666 file it may set. */
TEST_F(file, other_user_needs_read_and_write_permission)
{
	static const char *const files[] = { "shared", "private", "open" };
	static const mode_t modes[] = { 0644, 0600, 0666 };
	struct seen s = { .r = { 1, 1, 1, 1, 1 } };
	struct sc_child c;

	SC_REQUIRE_FEATURE(user_xattr);
	REQUIRE_ROOT();
	OPEN_TMPDIR_TO_ALL();
	for (int i = 0; i < 3; i++) {
		MAKE_FILE(files[i]);
		SC_SETUP(chmod(files[i], modes[i]));
		ASSERT_SYSCALL_RETURNS(0, setxattr(files[i], "user.k", "v", 1, 0));
	}
	sc_child_run(&c, "the other user", other_user, &s, sizeof(s));
	ASSERT_CHILD_REPORTED(&c);
	SKIP_IF_NOT_65534(&s);
	EXPECT_SEEN(1, &s, 0, "getxattr() on another user's 0644 file");
	EXPECT_SEEN(-EACCES, &s, 1, "setxattr() on another user's 0644 file");
	EXPECT_SEEN(-EACCES, &s, 2, "getxattr() on another user's 0600 file");
	EXPECT_SEEN(-EACCES, &s, 3, "setxattr() on another user's 0600 file");
	EXPECT_SEEN(0, &s, 4, "setxattr() on another user's 0666 file");
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* Child, uid 65534: set and remove user.k on root's directories "sticky" (01777) and "open" (0777). */
static int other_user_dirs(void *data)
{
	struct seen *s = data;

	BECOME_65534(s);
	s->r[0] = result(setxattr("sticky", "user.k", "w", 1, 0));
	s->r[1] = result(removexattr("sticky", "user.k"));
	s->r[2] = result(setxattr("open", "user.k", "w", 1, 0));
	s->r[3] = result(removexattr("open", "user.k"));
	return SC_CHILD_OK;
}

/* XATTR-10 xattr(7): on another user's sticky directory (01777) setxattr() and removexattr() of user.* fail with EPERM; on a 0777 one without the sticky bit they work. */
TEST_F(file, sticky_directory_user_attributes_only_for_owner)
{
	struct seen s = { .r = { 1, 1, 1, 1 } };
	struct sc_child c;

	SC_REQUIRE_FEATURE(user_xattr);
	REQUIRE_ROOT();
	OPEN_TMPDIR_TO_ALL();
	SC_SETUP(mkdir("sticky", 0700));
	SC_SETUP(chmod("sticky", 01777));
	SC_SETUP(mkdir("open", 0700));
	SC_SETUP(chmod("open", 0777));
	ASSERT_SYSCALL_RETURNS(0, setxattr("sticky", "user.k", "v", 1, 0));
	ASSERT_SYSCALL_RETURNS(0, setxattr("open", "user.k", "v", 1, 0));
	sc_child_run(&c, "the other user", other_user_dirs, &s, sizeof(s));
	ASSERT_CHILD_REPORTED(&c);
	SKIP_IF_NOT_65534(&s);
	EXPECT_SEEN(-EPERM, &s, 0, "setxattr() on another user's sticky directory");
	EXPECT_SEEN(-EPERM, &s, 1, "removexattr() on another user's sticky directory");
	EXPECT_SEEN(0, &s, 2, "setxattr() on another user's 0777 directory");
	EXPECT_SEEN(0, &s, 3, "removexattr() on another user's 0777 directory");
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* Child: on its own sticky directory "mine" (01777): set and remove user.k. */
static int owner_sticky_dir(void *data)
{
	struct seen *s = data;

	UNPRIVILEGED();
	if (mkdir("mine", 0700) || chmod("mine", 01777))
		return sc_child_error("its own directory: %s", sc_errname(errno));
	s->r[0] = result(setxattr("mine", "user.k", "v", 1, 0));
	s->r[1] = result(removexattr("mine", "user.k"));
	return SC_CHILD_OK;
}

/* XATTR-10 xattr(7): the owner of a sticky directory may set and remove user.* on it (without privilege). */
TEST_F(file, sticky_directory_owner_may_set_user_attributes)
{
	struct seen s = { .r = { 1, 1 } };
	struct sc_child c;

	SC_REQUIRE_FEATURE(user_xattr);
	OPEN_TMPDIR_TO_ALL();
	sc_child_run(&c, "the owner", owner_sticky_dir, &s, sizeof(s));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_SEEN(0, &s, 0, "setxattr() on its own sticky directory");
	EXPECT_SEEN(0, &s, 1, "removexattr() on its own sticky directory");
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* ---- trusted.* (XATTR-07) -------------------------------------------------------------- */

/* XATTR-07 xattr(7): with CAP_SYS_ADMIN, setxattr() of trusted.* works and getxattr() and listxattr() show it. */
TEST_F(file, trusted_attribute_works_with_cap_sys_admin)
{
	char buf[16], list[1024];
	ssize_t len;

	REQUIRE_INITIAL_CAP(CAP_SYS_ADMIN);
	MAKE_FILE("f");
	SET_OR_SKIP_FS("trusted.*", setxattr("f", "trusted.k", "tv", 2, 0));
	EXPECT_SYSCALL_RETURNS(2, getxattr("f", "trusted.k", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "tv", 2));
	len = SC_OK(listxattr("f", list, sizeof(list)));
	EXPECT_EQ(1, xattr_count(list, len, "trusted.k")) {
		TH_LOG("listxattr() as root: %s", xattr_list_str(list, len));
	}
}

/* Child, unprivileged: setxattr() and fsetxattr() of trusted.k on its own file. */
static int set_trusted(void *data)
{
	struct seen *s = data;
	int fd;

	UNPRIVILEGED();
	if (sc_write_file("mine", "data", 4) || (fd = open("mine", O_RDONLY | O_CLOEXEC)) < 0)
		return sc_child_error("its own file: %s", sc_errname(errno));
	s->r[0] = result(setxattr("mine", "trusted.k", "v", 1, 0));
	s->r[1] = result(fsetxattr(fd, "trusted.k", "v", 1, 0));
	s->r[2] = result(getxattr("mine", "trusted.k", ANY_VALUE));
	close(fd);
	return SC_CHILD_OK;
}

/* XATTR-07 xattr(7): without CAP_SYS_ADMIN, setxattr() and fsetxattr() of trusted.* fail with EPERM, even on the caller's own file. */
TEST_F(file, unprivileged_set_trusted_fails_eperm)
{
	struct seen s = { .r = { 1, 1, 1 } };
	struct sc_child c;

	OPEN_TMPDIR_TO_ALL();
	sc_child_run(&c, "the unprivileged child", set_trusted, &s, sizeof(s));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_SEEN(-EPERM, &s, 0, "setxattr(trusted.k) unprivileged");
	EXPECT_SEEN(-EPERM, &s, 1, "fsetxattr(trusted.k) unprivileged");
	EXPECT_SEEN(-ENODATA, &s, 2, "getxattr(trusted.k) afterwards");
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* Child, uid 65534: getxattr() of root's trusted.k on "f", and the list of "f". */
static int look_at_trusted(void *data)
{
	struct { struct seen s; char list[1024]; } *got = data;

	BECOME_65534(&got->s);
	got->s.r[0] = result(getxattr("f", "trusted.k", ANY_VALUE));
	got->s.r[1] = result(listxattr("f", got->list, sizeof(got->list)));
	return SC_CHILD_OK;
}

/* XATTR-07 xattr(7): a process without CAP_SYS_ADMIN gets ENODATA from getxattr() of an existing trusted.* name, and listxattr() omits it (a user.* name stays listed). */
TEST_F(file, trusted_attribute_hidden_without_cap_sys_admin)
{
	struct { struct seen s; char list[1024]; } got = { .s.r = { 1, -1 } };
	bool user = HAVE_USER_XATTR();
	struct sc_child c;
	ssize_t len;

	REQUIRE_INITIAL_CAP(CAP_SYS_ADMIN);
	OPEN_TMPDIR_TO_ALL();
	MAKE_FILE("f");
	SC_SETUP(chmod("f", 0644));
	SET_OR_SKIP_FS("trusted.*", setxattr("f", "trusted.k", "tv", 2, 0));
	ASSERT_SYSCALL_RETURNS(2, getxattr("f", "trusted.k", ANY_VALUE));
	if (user)
		ASSERT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "v", 1, 0));
	sc_child_run(&c, "the unprivileged child", look_at_trusted, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&c);
	SKIP_IF_NOT_65534(&got.s);
	EXPECT_SEEN(-ENODATA, &got.s, 0, "getxattr(trusted.k) unprivileged");
	len = got.s.r[1];
	ASSERT_LE(0, len) {
		TH_LOG("listxattr() unprivileged -> %s", sc_errname(-len));
	}
	if (got.s.r[0] == -ENODATA && xattr_count(got.list, len, "trusted.k") == 1 &&
	    !strcmp(sc_test_fs(), "btrfs"))	/* Linux's own: btrfs_listxattr() does not filter */
		SC_SKIP_FS("listxattr() shows trusted.* names to every user");
	EXPECT_EQ(0, xattr_count(got.list, len, "trusted.k")) {
		TH_LOG("listxattr() unprivileged: %s", xattr_list_str(got.list, len));
	}
	EXPECT_EQ(user, xattr_count(got.list, len, "user.k")) {
		TH_LOG("listxattr() unprivileged: %s", xattr_list_str(got.list, len));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* ---- security.capability, system.posix_acl_access (XATTR-08) ------------------------- */

/* A valid VFS_CAP_REVISION_2 value (capabilities(7)): CAP_NET_RAW permitted and effective. */
static void cap_v2(uint32_t v[5])
{
	v[0] = htole32(VFS_CAP_REVISION_2 | VFS_CAP_FLAGS_EFFECTIVE);
	v[1] = htole32(1U << CAP_NET_RAW);	/* permitted, low word */
	v[2] = 0;				/* inheritable */
	v[3] = v[4] = 0;			/* the high words */
}

/* Child, unprivileged: write a valid security.capability on its own file. */
static int set_filecap(void *data)
{
	struct seen *s = data;
	uint32_t v[5];

	UNPRIVILEGED();
	if (sc_write_file("mine", "data", 4))
		return sc_child_error("its own file: %s", sc_errname(errno));
	cap_v2(v);
	s->r[0] = result(setxattr("mine", "security.capability", v, sizeof(v), 0));
	s->r[1] = result(getxattr("mine", "security.capability", ANY_VALUE));
	return SC_CHILD_OK;
}

/* XATTR-08 capabilities(7): without CAP_SETFCAP, setxattr() of a valid security.capability fails with EPERM, even on the caller's own file, and stores nothing. */
TEST_F(file, unprivileged_set_file_capability_fails_eperm)
{
	struct seen s = { .r = { 1, 1 } };
	struct sc_child c;

	SC_REQUIRE_FEATURE(file_caps);
	OPEN_TMPDIR_TO_ALL();
	sc_child_run(&c, "the unprivileged child", set_filecap, &s, sizeof(s));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_SEEN(-EPERM, &s, 0, "setxattr(security.capability) unprivileged");
	if (s.r[1] != -EOPNOTSUPP)	/* a filesystem without security.* has none to show */
		EXPECT_SEEN(-ENODATA, &s, 1, "getxattr(security.capability) afterwards");
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* XATTR-08 capabilities(7): with CAP_SETFCAP, setxattr() of a valid security.capability works and getxattr() returns it. */
TEST_F(file, set_file_capability_works_with_cap_setfcap)
{
	uint32_t v[5], back[8];

	SC_REQUIRE_FEATURE(file_caps);
	if (syscall(SYS_geteuid) != 0 || !xattr_has_cap(CAP_SETFCAP)) {
		/* A user namespace gives CAP_SETFCAP over the files of its mapped owner. */
		SC_REQUIRE_FEATURE(userns);
		SC_UNSHARE_OR_SKIP(CLONE_NEWUSER);	/* the caller is mapped as its root */
	}
	MAKE_FILE("f");
	cap_v2(v);
	SET_OR_SKIP_FS("security.*", setxattr("f", "security.capability", v, sizeof(v), 0));
	EXPECT_SYSCALL_RETURNS(sizeof(v), getxattr("f", "security.capability", back, sizeof(back)));
	EXPECT_EQ(0, memcmp(v, back, sizeof(v)));
}

/* An access ACL (acl(5), the system.posix_acl_access form): version 2, then entries. */
struct acl_entry {
	uint16_t tag, perm;
	uint32_t id;
};
struct acl_value {
	uint32_t version;
	struct acl_entry e[5];
};

#define ACL_UNDEF 0xffffffffU

/* The ACL u::rw-, [u:UID:r--,] g::r--, [m::r--,] o::---, UID the caller's own (mapped); its size. */
static size_t make_acl(struct acl_value *a, bool extended)
{
	int n = 0;

	a->version = htole32(2);
	a->e[n++] = (struct acl_entry){ htole16(0x01), htole16(6), htole32(ACL_UNDEF) };
	if (extended)
		a->e[n++] = (struct acl_entry){ htole16(0x02), htole16(4), htole32((uint32_t)syscall(SYS_geteuid)) };
	a->e[n++] = (struct acl_entry){ htole16(0x04), htole16(4), htole32(ACL_UNDEF) };
	if (extended)
		a->e[n++] = (struct acl_entry){ htole16(0x10), htole16(4), htole32(ACL_UNDEF) };
	a->e[n++] = (struct acl_entry){ htole16(0x20), htole16(0), htole32(ACL_UNDEF) };
	return sizeof(a->version) + n * sizeof(a->e[0]);
}

/* In a test: no default ACL on the case's directory (it would give new files an ACL). */
#define NO_DEFAULT_ACL() do {						\
	if (removexattr(".", "system.posix_acl_default") && errno != ENODATA) { \
		if (errno == EOPNOTSUPP)				\
			SC_SKIP_FS("no POSIX ACLs (removexattr(system.posix_acl_default) -> EOPNOTSUPP)"); \
		SC_ERROR("removexattr(., system.posix_acl_default) -> %s", sc_errname(errno)); \
	}								\
} while (0)

/* XATTR-08 acl(5): a new file without an extended ACL has no system.posix_acl_access (getxattr() fails with ENODATA); once it has one, getxattr() returns it. */
TEST_F(file, file_without_extended_acl_has_no_acl_attribute)
{
	struct acl_value acl;
	size_t len;

	NO_DEFAULT_ACL();
	MAKE_FILE("f");
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "system.posix_acl_access", ANY_VALUE));
	len = make_acl(&acl, true);
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "system.posix_acl_access", &acl, len, 0));
	EXPECT_SYSCALL_RETURNS(len, getxattr("f", "system.posix_acl_access", ANY_VALUE));
}

/* XATTR-08 acl(5): setting an ACL equivalent to the mode bits (a minimal ACL) sets the mode and leaves no system.posix_acl_access (ENODATA). */
TEST_F(file, minimal_acl_leaves_no_acl_attribute)
{
	struct acl_value acl;
	struct stat st;

	NO_DEFAULT_ACL();
	MAKE_FILE("f");
	SC_SETUP(chmod("f", 0666));
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", "system.posix_acl_access", &acl, make_acl(&acl, false), 0));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "system.posix_acl_access", ANY_VALUE));
	SC_OK(stat("f", &st));
	EXPECT_EQ(0640, st.st_mode & 07777);
}

TEST_HARNESS_MAIN
