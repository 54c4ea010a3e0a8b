/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * meta.h: what the meta programs share: the fixture (a private temporary directory,
 * the current one during the test), acting as another user in a kit child, and
 * timestamps: making a file's times old and waiting for the timestamp clock's tick.
 */
#ifndef SYSCONFORM_META_H
#define SYSCONFORM_META_H

#include <linux/capability.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include "sysconform.h"

SC_TMPDIR_FIXTURE(meta)

#define META_NOBODY 65534
#define META_OTHER 1000		/* a uid and gid nobody else in a case uses */

/* Whether the kernel says we are root (a preloaded library's word does not count). */
static inline bool meta_root(void)
{
	return syscall(SYS_geteuid) == 0;
}

/*
 * Whether ids 0 .. 65534 all have a mapping in the id map at PATH ("/proc/self/uid_map"):
 * always in the initial user namespace; in a container's it depends on its map.
 */
static inline bool meta_ids_mapped(const char *path)
{
	unsigned long inner, outer, count, next = 0;
	char line[128];
	FILE *f = fopen(path, "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "%lu %lu %lu", &inner, &outer, &count) == 3 &&
		    inner <= next && inner + count > next)
			next = inner + count;
	if (f)
		fclose(f);
	return next > 65534;
}

/*
 * For the clauses that need root: to become another user (uid/gid 65534, 1000) or to
 * give a file any ids, which a user namespace that maps fewer ids cannot.
 */
#define META_NEED_ROOT() do {						\
	if (!meta_root())						\
		SKIP(return, "needs root");				\
	if (!meta_all_ids_mapped())					\
		SKIP(return, "needs root with uids and gids 0-65534 mapped (this user namespace maps fewer)"); \
} while (0)

/* Whether capability CAP is in the caller's effective set (CapEff of /proc/self/status). */
static inline bool meta_has_cap(int cap)
{
	unsigned long long eff = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "re");
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "CapEff: %llx", &eff) == 1;
	if (f)
		fclose(f);
	return found ? (eff >> cap) & 1 : meta_root();
}

/* Root with the capability CAP, or skip (a container may drop it from root). */
#define __META_NEED_CAP(cap, name) do {					\
	META_NEED_ROOT();						\
	if (!meta_has_cap(cap))						\
		SKIP(return, "needs %s", name);				\
} while (0)
#define META_NEED_CAP(cap) __META_NEED_CAP(cap, #cap)

/* Root with CAP in the initial user namespace, where the kernel asks for it with capable(). */
#define META_NEED_INITIAL_CAP(cap) do {					\
	__META_NEED_CAP(cap, #cap);					\
	if (!sc_in_initial_userns())					\
		SKIP(return, "needs %s in the initial user namespace", #cap); \
} while (0)

/*
 * In a child, when root: become UID/GID with the one supplementary group GROUP
 * ((gid_t)-1: none); when not root, stay who we are. 0 or -1.
 */
static inline int meta_become(uid_t uid, gid_t gid, gid_t group)
{
	if (!meta_root())
		return 0;
	if (group == (gid_t)-1 ? setgroups(0, NULL) : setgroups(1, &group))
		return -1;
	return setresgid(gid, gid, gid) || setresuid(uid, uid, uid) ? -1 : 0;
}

/* Drop every capability (effective, permitted, inheritable) and stay who we are; 0 or -1. */
static inline int meta_drop_caps(void)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

/* Whether ids 0 .. 65534 are all mapped in our user namespace (65534 can be become). */
static inline bool meta_all_ids_mapped(void)
{
	return meta_ids_mapped("/proc/self/uid_map") && meta_ids_mapped("/proc/self/gid_map");
}

/*
 * In a child: become uid/gid 65534 (no groups) when root, by the kernel's ids and, where
 * a preloaded library claims root for a caller the kernel does not (fakeroot), by
 * that library's too, so that the child claims no privilege either. Root of a user
 * namespace that does not map 65534 stays uid 0 and drops every capability instead:
 * an unprivileged owner of the case's files all the same. 0 or -1.
 */
static inline int meta_drop(void)
{
	if (meta_root() && !meta_all_ids_mapped())
		return meta_drop_caps();
	if (sc_drop_privilege())
		return -1;
	if (geteuid() != 0)
		return 0;
	return setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	       setresuid(65534, 65534, 65534) ? -1 : 0;
}

/*
 * For a root clause on the case's own files: go on as root, or, when not root, as uid
 * 0 of a new user namespace, whose capabilities cover the caller's own files; else skip.
 */
#define META_ROOT_OR_USERNS() do {					\
	if (meta_root())						\
		break;							\
	SC_REQUIRE_FEATURE(userns);					\
	SC_UNSHARE_OR_SKIP(CLONE_NEWUSER);	/* mapped as its root */	\
} while (0)

/* In a child function: meta_drop(), or end the child. */
#define META_DROP() do {						\
	if (meta_drop())						\
		return sc_child_error("could not drop privileges: %s", sc_errname(errno)); \
} while (0)

/* Run FN(DATA) in a kit child and check it reported; LEN bytes of DATA come back. */
#define META_RUN(fn, data, len) do {					\
	struct sc_child _meta_c;					\
	sc_child_run(&_meta_c, "the child", fn, data, len);		\
	ASSERT_CHILD_REPORTED(&_meta_c);				\
	EXPECT_CHILD_SUCCEEDED(&_meta_c);				\
} while (0)

/* An errno as a report value: 0 when CALL succeeded. */
#define META_ERR(call) ((call) == -1 ? errno : 0)

/* Check a child's reported errno against the expected one, naming the call. */
#define __META_ERRNO(want, seen, what, CHECK) do {			\
	int expected_errno = (want), seen_errno = (seen);		\
	CHECK(expected_errno, seen_errno) {				\
		TH_LOG("%s: expected %s, got %s", what,			\
		       expected_errno ? sc_errname(expected_errno) : "success", \
		       seen_errno ? sc_errname(seen_errno) : "success"); \
	}								\
} while (0)
#define EXPECT_ERRNO(want, seen, what) __META_ERRNO(want, seen, what, EXPECT_EQ)
#define ASSERT_ERRNO(want, seen, what) __META_ERRNO(want, seen, what, ASSERT_EQ)

/* ---- timestamps -------------------------------------------------------------- */

static inline long long meta_ns(struct timespec ts)
{
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Set NAME's atime and mtime to ATIME_AGO and MTIME_AGO seconds before now. */
static inline int meta_age(const char *name, int atime_ago, int mtime_ago)
{
	struct timespec now, t[2];

	clock_gettime(CLOCK_REALTIME, &now);
	t[0] = (struct timespec){ now.tv_sec - atime_ago, 0 };
	t[1] = (struct timespec){ now.tv_sec - mtime_ago, 0 };
	return utimensat(AT_FDCWD, name, t, AT_SYMLINK_NOFOLLOW);
}

/*
 * Wait until the clocks the kernel stamps files with are past T, so that a change
 * made now gets a later time even on a filesystem with coarse timestamps: usually a
 * tick (4 ms at most at HZ=250). The coarse clock moves only with the timer tick,
 * which a starved virtual machine may deliver late: the wait polls (yielding the CPU
 * in 250 us to 32 ms steps) for at most 1 s. 0, or -1 (ETIMEDOUT).
 */
static inline int meta_after(struct timespec t)
{
	struct timespec coarse, fine;
	int64_t end = sc_now_ns() + 1000000000;
	int delay_us = 250;

	for (;;) {
		clock_gettime(CLOCK_REALTIME_COARSE, &coarse);
		clock_gettime(CLOCK_REALTIME, &fine);
		if (meta_ns(coarse) > meta_ns(t) && meta_ns(fine) > meta_ns(t))
			return 0;
		if (sc_now_ns() >= end)
			break;
		sc_backoff(&delay_us);
	}
	errno = ETIMEDOUT;
	return -1;
}

/* The same, past NAME's st_ctime (which utimensat() cannot set back). */
static inline int meta_after_ctime(const char *name)
{
	struct stat st;

	return lstat(name, &st) ? -1 : meta_after(st.st_ctim);
}

/* The mount flags (statvfs f_flag) of the current directory; 0 if unknown. */
static inline unsigned long meta_mount_flags(void)
{
	struct statvfs sv;

	return statvfs(".", &sv) ? 0 : sv.f_flag;
}

#endif /* SYSCONFORM_META_H */
