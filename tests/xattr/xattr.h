/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xattr.h: what the xattr programs share: the fixture (a private temporary
 * directory, the current directory during the test, in which each case makes the
 * files it needs), reading a listxattr() list, the caller's capabilities, and a
 * child that acts as another user (uid 65534 when the test runs as root).
 * Man pages: xattr(7), setxattr(2), getxattr(2), listxattr(2), removexattr(2).
 */
#ifndef SYSCONFORM_XATTR_H
#define SYSCONFORM_XATTR_H

#include <linux/capability.h>
#include <sys/xattr.h>
#include "sysconform.h"

#ifndef ENOATTR
#define ENOATTR ENODATA
#endif

SC_TMPDIR_FIXTURE(file)

/* Whether the probe found user.* attributes on the test filesystem (for controls). */
#define HAVE_USER_XATTR() (sc_feature(user_xattr)->status == SC_SUPPORTED)

/*
 * A buffer for a value whose bytes the case does not look at: getxattr(path, name,
 * ANY_VALUE) returns its size without relying on the size-0 probe (XATTR-02's rule).
 */
static inline void *xattr_scratch(void)
{
	static char buf[65536];

	return buf;
}
#define ANY_VALUE xattr_scratch(), 65536

/* A file NAME (mode 0644 before the umask) holding "data". */
#define MAKE_FILE(name) SC_SETUP(sc_write_file(name, "data", 4))

/*
 * How often NAME appears in the listxattr() list LIST of LEN bytes (names back to
 * back, each NUL-terminated); -1 when the list is not of that form (not ending in a
 * NUL, an empty name).
 */
static inline int xattr_count(const char *list, ssize_t len, const char *name)
{
	int n = 0;

	if (len < 0 || (len > 0 && list[len - 1] != 0))
		return -1;
	for (const char *p = list; p < list + len; p += strlen(p) + 1) {
		if (!*p)
			return -1;
		n += !strcmp(p, name);
	}
	return n;
}

/* The list in one line, for a diagnostic: "user.a, user.b" (in a static buffer). */
static inline const char *xattr_list_str(const char *list, ssize_t len)
{
	static char out[512];
	size_t o = 0;

	out[0] = 0;
	for (ssize_t i = 0; i < len && o + 3 < sizeof(out); i++, o++)
		out[o] = list[i] ? list[i] : ',';
	out[o] = 0;
	return len < 0 ? "(no list)" : len == 0 ? "(empty)" : out;
}

/* Whether the caller's effective capability set holds CAP (capget(2): no libcap). */
static inline bool xattr_has_cap(int cap)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return false;
	return d[cap / 32].effective & (1U << (cap % 32));
}

/*
 * Whether the caller is root with CAP in the initial user namespace, where the
 * capability checks of trusted.* and security.capability look (capable(), not
 * ns_capable()); the kernel's euid, not a preloaded library's.
 */
static inline bool xattr_root_with(int cap)
{
	return syscall(SYS_geteuid) == 0 && sc_in_initial_userns() && xattr_has_cap(cap);
}

/*
 * In a test: let a child that drops privilege (uid 65534) reach the files of the
 * case's temporary directory (made 0700 by mkdtemp) and make its own there.
 */
#define OPEN_TMPDIR_TO_ALL() SC_SETUP(chmod(".", 0777))

#endif /* SYSCONFORM_XATTR_H */
