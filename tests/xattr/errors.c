// SPDX-License-Identifier: GPL-2.0-only
/*
 * errors: names and sizes the kernel refuses before any filesystem sees them (an
 * unknown namespace, a name over 255 bytes, a value over 64 KiB: XATTR-04), and
 * user.* on what is neither a regular file nor a directory (XATTR-05). The VFS
 * decides these (xattr_permission(), setxattr_copy()), so a filesystem without
 * user.* attributes gives the same errno: these cases run there too, and check
 * the way back (the name works) only where the probe found user.* attributes.
 * Man pages: xattr(7), setxattr(2).
 */
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include "xattr.h"

#define XATTR_SIZE_LIMIT 65536	/* XATTR_SIZE_MAX of <linux/limits.h> */

/* The call on the name NAME (a row of a table) fails with ERR; the row says what it saw. */
#define EXPECT_ERRNO(err, call, name) do {				\
	errno = 0;							\
	long _r = (call);						\
	int _seen = _r == -1 ? errno : 0;				\
	EXPECT_EQ(err, _seen) {						\
		TH_LOG("%s with the name \"%s\" -> %ld %s, expected %s", #call, name, _r, \
		       _r == -1 ? sc_errname(_seen) : "(success)", sc_errname(err)); \
	}								\
} while (0)

/* A name of LEN bytes: "user." and then 'n's. */
static char *long_name(char *buf, size_t len)
{
	memset(buf, 'n', len);
	memcpy(buf, "user.", 5);
	buf[len] = 0;
	return buf;
}

/* XATTR-04 xattr(7): setxattr(), getxattr() and removexattr() of a name whose prefix is no namespace ("bogus.k", "nodot", "USER.k") fail with EOPNOTSUPP. */
TEST_F(file, unknown_namespace_fails_eopnotsupp)
{
	static const char *const names[] = { "bogus.k", "nodot", "USER.k", "user" };
	char buf[16];

	MAKE_FILE("f");
	for (int i = 0; i < 4; i++) {
		EXPECT_ERRNO(EOPNOTSUPP, setxattr("f", names[i], "v", 1, 0), names[i]);
		EXPECT_ERRNO(EOPNOTSUPP, getxattr("f", names[i], buf, sizeof(buf)), names[i]);
		EXPECT_ERRNO(EOPNOTSUPP, removexattr("f", names[i]), names[i]);
	}
	if (HAVE_USER_XATTR())	/* the control: a known namespace works */
		EXPECT_SYSCALL_RETURNS(0, setxattr("f", "user.k", "v", 1, 0));
}

/* XATTR-04 setxattr(2): a name longer than 255 bytes fails with ERANGE in setxattr(), getxattr() and removexattr(). */
TEST_F(file, name_over_255_bytes_fails_erange)
{
	char name[300], buf[16];

	MAKE_FILE("f");
	long_name(name, 256);
	EXPECT_SYSCALL_FAILS(ERANGE, setxattr("f", name, "v", 1, 0));
	EXPECT_SYSCALL_FAILS(ERANGE, getxattr("f", name, buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ERANGE, removexattr("f", name));
	EXPECT_SYSCALL_FAILS(ERANGE, setxattr("f", long_name(name, 299), "v", 1, 0));
}

/* XATTR-04 setxattr(2): a name of exactly 255 bytes is not too long: it is stored and read back under that name, not a shortened one. */
TEST_F(file, name_of_255_bytes_is_accepted)
{
	char name[300], buf[16];

	SC_REQUIRE_FEATURE(user_xattr);
	MAKE_FILE("f");
	ASSERT_SYSCALL_RETURNS(0, setxattr("f", long_name(name, 255), "v", 1, 0));
	EXPECT_SYSCALL_RETURNS(1, getxattr("f", name, buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", long_name(name, 254), buf, sizeof(buf)));
}

/* XATTR-04 setxattr(2): a value over 64 KiB fails with E2BIG (setxattr() and fsetxattr()), and nothing is stored. */
TEST_F(file, value_over_64k_fails_e2big)
{
	static char big[XATTR_SIZE_LIMIT + 4096];
	int fd;

	MAKE_FILE("f");
	memset(big, 'v', sizeof(big));
	EXPECT_SYSCALL_FAILS(E2BIG, setxattr("f", "user.big", big, XATTR_SIZE_LIMIT + 1, 0));
	EXPECT_SYSCALL_FAILS(E2BIG, setxattr("f", "user.big", big, sizeof(big), 0));
	fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(E2BIG, fsetxattr(fd, "user.big", big, XATTR_SIZE_LIMIT + 1, 0));
	close(fd);
	if (HAVE_USER_XATTR())
		EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.big", ANY_VALUE));
}

/* XATTR-05 xattr(7): lsetxattr() of user.* on a symbolic link fails with EPERM; the link's target gets nothing. */
TEST_F(file, lsetxattr_user_on_symlink_fails_eperm)
{
	MAKE_FILE("f");
	SC_SETUP(symlink("f", "l"));
	EXPECT_SYSCALL_FAILS(EPERM, lsetxattr("l", "user.k", "v", 1, 0));
	if (!HAVE_USER_XATTR())
		return;
	EXPECT_SYSCALL_FAILS(ENODATA, getxattr("f", "user.k", ANY_VALUE));
	/* The control: setxattr() follows the link, to a regular file. */
	EXPECT_SYSCALL_RETURNS(0, setxattr("l", "user.k", "v", 1, 0));
	EXPECT_SYSCALL_RETURNS(1, getxattr("f", "user.k", ANY_VALUE));
}

/* XATTR-05 xattr(7): setxattr() of user.* on a FIFO fails with EPERM. */
TEST_F(file, setxattr_user_on_fifo_fails_eperm)
{
	SC_SETUP(mkfifo("p", 0644));
	EXPECT_SYSCALL_FAILS(EPERM, setxattr("p", "user.k", "v", 1, 0));
	EXPECT_SYSCALL_FAILS(EPERM, setxattr("p", "user.k", "v", 1, XATTR_CREATE));
}

/* XATTR-05 xattr(7): setxattr() of user.* on a Unix socket's file fails with EPERM. */
TEST_F(file, setxattr_user_on_socket_fails_eperm)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "s" };
	int s = SC_SETUP(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));

	SC_SETUP(bind(s, (struct sockaddr *)&a, sizeof(a)));
	EXPECT_SYSCALL_FAILS(EPERM, setxattr("s", "user.k", "v", 1, 0));
	close(s);
}

/* XATTR-05 xattr(7): setxattr() of user.* on a device node fails with EPERM. */
TEST_F(file, setxattr_user_on_device_node_fails_eperm)
{
	const char *node = "null";
	int flags = 0;

	/*
	 * A node made here; without the privilege to make one, /dev/null with
	 * XATTR_REPLACE of a name it does not have: nothing can be written there.
	 */
	if (mknod(node, S_IFCHR | 0666, makedev(1, 3)) != 0) {
		if (errno != EPERM)
			SC_ERROR("mknod(null, S_IFCHR, 1:3) -> %s", sc_errname(errno));
		TH_LOG("mknod() -> EPERM: /dev/null with XATTR_REPLACE instead");
		node = "/dev/null";
		flags = XATTR_REPLACE;
	}
	EXPECT_SYSCALL_FAILS(EPERM, setxattr(node, "user.sysconform.absent", "v", 1, flags));
}

TEST_HARNESS_MAIN
