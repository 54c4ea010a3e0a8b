/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sc_ns.h: the kernel's version, dropping privilege, and entering fresh namespaces by the most privileged route (sc_unshare).
 * Part of sysconform.h (include that, not this file).
 */
#ifndef SYSCONFORM_NS_H
#define SYSCONFORM_NS_H

/* ---- the kernel's version -------------------------------------------------- */

#define SC_KV(major, minor, sub) ((major) * 1000000L + (minor) * 1000L + (sub))
/* An SC_KV() value as the two ints of "%d.%d" (major, minor). */
#define SC_KV_PRINT(kv) (int)((kv) / 1000000), (int)((kv) / 1000 % 1000)

/*
 * The version uname() reports, as SC_KV(major, minor, sub); 0 if it cannot be read.
 * For rules that say since when Linux behaves so (a case then names the version).
 */
static inline long sc_kernel(void)
{
	unsigned int major, minor, sub = 0;
	struct utsname u;

	if (uname(&u) != 0 || sscanf(u.release, "%u.%u.%u", &major, &minor, &sub) < 2)
		return 0;
	return SC_KV(major, minor, sub);
}

/* ---- namespaces ------------------------------------------------------------ */

static inline int sc_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * In a new mount namespace: make every mount private, so that nothing mounted here
 * reaches the parent namespace. gVisor rejects MS_REC (EINVAL) but has no shared
 * mounts: there, plain MS_PRIVATE, and mountinfo must then show no shared mount.
 */
static inline int sc_make_private(char *why, size_t whylen)
{
	char line[1024];
	FILE *f;
	int shared = 0;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		return 0;
	if (errno != EINVAL || mount(NULL, "/", NULL, MS_PRIVATE, NULL) != 0) {
		snprintf(why, whylen, "make / private: %s", sc_errname(errno));
		return -1;
	}
	f = fopen("/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof(line), f))
		shared |= strstr(line, " shared:") != NULL;
	if (f)
		fclose(f);
	if (!f || shared) {
		snprintf(why, whylen, "a mount stays shared (MS_REC refused)");
		return -1;
	}
	return 0;
}

/*
 * The namespace that the link PATH names, as readlink() gives it ("pid:[4026531836]"),
 * in BUF (SC_NS_LEN bytes); "" when it cannot be read. namespaces(7) makes the link's
 * text (and the inode that stat() gives) the namespace's identity.
 */
#define SC_NS_LEN 64
static inline char *sc_ns_link(const char *path, char *buf)
{
	ssize_t n = readlink(path, buf, SC_NS_LEN - 1);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/*
 * In a child: become uid/gid 65534 with no groups when root (by the kernel's ids, not
 * a preloaded library's), so that what follows is an unprivileged call; 0 or -1.
 */
static inline int sc_drop_privilege(void)
{
	if (syscall(SYS_geteuid) != 0)
		return 0;
	return setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	       setresuid(65534, 65534, 65534) ? -1 : 0;
}

/* Whether the caller is in the initial user namespace (uid_map maps every id). */
static inline bool sc_in_initial_userns(void)
{
	char map[128] = "";
	unsigned long inner, outer, count;
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, map, sizeof(map) - 1) : -1;

	if (fd >= 0)
		close(fd);
	map[n > 0 ? n : 0] = 0;
	return sscanf(map, "%lu %lu %lu", &inner, &outer, &count) == 3 && inner == 0 &&
	       outer == 0 && count == 4294967295UL;
}

/* What sc_unshare() did: entered (SC_NS_OK), or the case's outcome otherwise. */
enum sc_ns_result { SC_NS_OK, SC_NS_SKIP, SC_NS_ERROR, SC_NS_FAIL };

/*
 * Enter fresh namespaces (CLONE_NEW* FLAGS) in the calling process, which must be
 * a test process or a child of one, by the most privileged route it has: directly
 * (root, CAP_SYS_ADMIN); only when that is refused with EPERM, through a new user
 * namespace in which the caller is mapped to uid/gid 0 (the way in for the
 * unprivileged, or for root in a container). A CLONE_NEWUSER of FLAGS maps the
 * caller to uid/gid 0 of its new namespace too. With CLONE_NEWNS the new mount
 * namespace must show in /proc/self/ns/mnt, and "/" is made recursively private,
 * so that no mount reaches the host. Probe the feature first
 * (SC_REQUIRE_FEATURE("pidns")): once it is supported, a refusal here is a fail.
 * *WHY gets the route taken, or the skip reason, setup error or divergence.
 */
static inline enum sc_ns_result sc_unshare(int flags, char *why, size_t whylen)
{
	/* The kernel's ids, not a preloaded library's (fakeroot says 0): they go in the maps. */
	uid_t uid = syscall(SYS_geteuid);
	gid_t gid = syscall(SYS_getegid);
	char map[64], mnt_before[64] = "", mnt_after[64] = "";
	ssize_t n;
	int err;

	if (flags & CLONE_NEWNS) {
		n = readlink("/proc/self/ns/mnt", mnt_before, sizeof(mnt_before) - 1);
		mnt_before[n > 0 ? n : 0] = 0;
	}
	if (unshare(flags) == 0) {
		snprintf(why, whylen, "unshare(%s) directly", sc_clone_flags_str(flags));
		if (flags & CLONE_NEWUSER)	/* a new user namespace: the caller is its root */
			goto map;
		goto entered;
	}
	err = errno;
	if (err == EACCES || err == ENOSPC || (err == EPERM && (flags & CLONE_NEWUSER))) {
		snprintf(why, whylen, "needs user namespaces: unshare(%s) -> %s",
			 sc_clone_flags_str(flags), sc_errname(err));	/* a policy, or a limit */
		return SC_NS_SKIP;
	}
	if (err != EPERM) {
		snprintf(why, whylen, "unshare(%s) -> %s, although the feature probe entered one",
			 sc_clone_flags_str(flags), sc_errname(err));
		return SC_NS_FAIL;
	}
	if (unshare(CLONE_NEWUSER | flags) != 0) {
		err = errno;
		if (err == EINVAL && sc_ns_type_exists("user"))	/* qemu-user: see probe_userns */
			snprintf(why, whylen, "needs root: unshare(%s) EPERM, and the user-namespace route fails EINVAL (USERNS-01)",
				 sc_clone_flags_str(flags));
		else
			snprintf(why, whylen, "needs user namespaces: %s", sc_errname(err));
		return SC_NS_SKIP;
	}
	snprintf(why, whylen, "through a new user namespace (unshare(%s) alone: EPERM)",
		 sc_clone_flags_str(flags));
map:
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (sc_write_text("/proc/self/uid_map", map) != 0)
		goto map_failed;
	if (sc_write_text("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
		goto map_failed;
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (sc_write_text("/proc/self/gid_map", map) != 0)
		goto map_failed;
entered:
	if (!(flags & CLONE_NEWNS))
		return SC_NS_OK;
	/*
	 * Mount only where a new mount namespace is proven: an implementation that
	 * accepts CLONE_NEWNS but shares its mounts (gVisor 20221219 does) would
	 * otherwise let a test's mount reach its parent, or the host. A call that
	 * returns 0 and makes no namespace is a divergence (MNTNS-01).
	 */
	n = readlink("/proc/self/ns/mnt", mnt_after, sizeof(mnt_after) - 1);
	mnt_after[n > 0 ? n : 0] = 0;
	if (!mnt_before[0] || !mnt_after[0] || !strcmp(mnt_before, mnt_after)) {
		snprintf(why, whylen, "unshare(CLONE_NEWNS) returned 0, but %s: no new mount namespace (MNTNS-01); nothing was mounted",
			 !mnt_after[0] ? "/proc/self/ns/mnt is missing" : "/proc/self/ns/mnt names the old one");
		return SC_NS_FAIL;
	}
	return sc_make_private(why, whylen) ? SC_NS_ERROR : SC_NS_OK;
map_failed:
	snprintf(why, whylen, "write id map: %s", sc_errname(errno));
	return SC_NS_ERROR;
}

/*
 * In a test body: enter the namespaces (the route taken goes to the case's log),
 * or end the case: a skip with its reason, a setup error, or a fail.
 */
#define SC_UNSHARE_OR_SKIP(flags) do {					\
	char _sc_why[256];						\
	enum sc_ns_result _sc_r = sc_unshare(flags, _sc_why, sizeof(_sc_why)); \
	SC_NS_ENTERED_OR_SKIP(_sc_r, _sc_why);				\
} while (0)

/*
 * The same for what sc_unshare() returned in a child (R and WHY, from its report):
 * go on when it entered, else end the case as a skip, a setup error or a fail.
 */
#define SC_NS_ENTERED_OR_SKIP(r, why) do {				\
	if ((r) == SC_NS_SKIP)						\
		SKIP(return, "%s", why);				\
	if ((r) == SC_NS_ERROR)						\
		SC_ERROR("%s", why);					\
	ASSERT_EQ(SC_NS_OK, r) {					\
		TH_LOG("%s", why);					\
	}								\
	TH_LOG("namespaces: %s", why);					\
} while (0)

#endif /* SYSCONFORM_NS_H */
