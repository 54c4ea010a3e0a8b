/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * links.h: what the links programs share: the fixture (a private temporary
 * directory, the current directory during the test, where every case makes its
 * files by relative names), small file helpers, and a child that works in a
 * private tmpfs mounted on "mnt" in a new mount namespace (a second filesystem for
 * the EXDEV clauses and for counting blocks nobody else uses).
 */
#ifndef SYSCONFORM_LINKS_H
#define SYSCONFORM_LINKS_H

#include <sys/mount.h>
#include <sys/statfs.h>
#include "sysconform.h"


SC_TMPDIR_FIXTURE(dir)

/* The whole content of NAME into BUF (LEN bytes at most, NUL-terminated): its length, or -1. */
static inline ssize_t links_read(const char *name, char *buf, size_t len)
{
	int fd = open(name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/* Milliseconds on the monotonic clock. */
static inline long links_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/*
 * A child in a new mount namespace with a private tmpfs on "mnt" (made by
 * links_in_tmpfs): ns/why say how the namespace went (sc_unshare()), mount_err the
 * mount's errno; then FN(R) runs there and fills the rest of R (its errnos).
 */
struct links_tmpfs {
	int ns;			/* enum sc_ns_result */
	char why[256];
	int mount_err;
	void (*fn)(struct links_tmpfs *r);
	int err[8];		/* FN's results: 0, or the errno */
	long val[8];		/* FN's numbers */
};

static inline int links_tmpfs_child(void *data)
{
	struct links_tmpfs *r = data;

	r->ns = sc_unshare(CLONE_NEWNS, r->why, sizeof(r->why));
	if (r->ns != SC_NS_OK)
		return SC_CHILD_OK;
	if (mount("none", "mnt", "tmpfs", 0, "size=4m,mode=0777")) {
		r->mount_err = errno;
		return SC_CHILD_OK;
	}
	r->fn(r);
	return SC_CHILD_OK;
}

/* The errno of CALL (0 when it succeeds), for FN's err[]. */
#define LINKS_ERR(call) ((call) == -1 ? errno : 0)

/*
 * In a test: run FN in a child with a private tmpfs on "mnt", or end the case: a skip
 * when no mount namespace can be had (the helper's reason), a fail when unshare()
 * returns 0 and makes none (MNTNS-01: nothing is mounted then).
 */
#define LINKS_IN_TMPFS(r, function) do {					\
	struct sc_child _l_c;							\
									\
	SC_REQUIRE_FEATURE(mntns);					\
	SC_SETUP(mkdir("mnt", 0755));					\
	(r)->fn = (function);						\
	sc_child_run(&_l_c, "the child with a private tmpfs", links_tmpfs_child, (r), sizeof(*(r))); \
	ASSERT_CHILD_REPORTED(&_l_c);					\
	SC_NS_ENTERED_OR_SKIP((r)->ns, (r)->why);			\
	if ((r)->mount_err)						\
		SC_ERROR("mount(tmpfs on mnt) in the new mount namespace -> %s", sc_errname((r)->mount_err)); \
	EXPECT_CHILD_SUCCEEDED(&_l_c);					\
} while (0)

/*
 * An NFS client keeps a file that is open when its last name goes (unlink(), or a
 * rename() over it) under a hidden ".nfsXXXX" name ("silly rename"): st_nlink stays
 * 1 and /proc does not say " (deleted)". A property of that filesystem: skip there
 * when the case saw it (SEEN), never a fail.
 */
#define LINKS_SKIP_IF_NFS_SILLY_RENAME(seen) do {			\
	if ((seen) && !strcmp(sc_test_fs(), "nfs"))			\
		SC_SKIP_FS("an open file that loses its last name is silly-renamed (.nfsXXXX), it keeps a name"); \
} while (0)

/* "success" or the errno's name, for diagnostics of err[]. */
static inline const char *links_errstr(int err)
{
	return err ? sc_errname(err) : "success";
}

#endif /* SYSCONFORM_LINKS_H */
