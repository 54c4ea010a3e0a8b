/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * open.h: what the open programs share: the fixture (a private temporary
 * directory, the current directory during the test, in which each case makes the
 * files it needs), reading a descriptor's content, and a child that opens a file
 * as another user (uid 65534 when the test runs as root).
 */
#ifndef SYSCONFORM_OPEN_H
#define SYSCONFORM_OPEN_H

#include <stddef.h>
#include "sysconform.h"

SC_TMPDIR_FIXTURE(dir)

/*
 * Set-up: give the private directory MODE (0755 so that uid 65534 reaches root's
 * files in it, 0777 so that it creates its own), checked by stat(): a chmod()
 * that did something else is a setup error, not the case's divergence.
 */
static inline void open_dir_mode(struct __test_metadata *_metadata, mode_t mode)
{
	struct stat st;

	SC_SETUP(chmod(".", mode));
	SC_SETUP(stat(".", &st));
	if ((st.st_mode & 07777) != mode)
		SC_ERROR("chmod(\".\", 0%o) left mode 0%o", mode, st.st_mode & 07777);
}

/* The content of FD from offset 0 (up to LEN - 1 bytes) in BUF as a string; "" on error. */
static inline const char *open_content(int fd, char *buf, size_t len)
{
	ssize_t n = pread(fd, buf, len - 1, 0);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/* The content of the file NAME (at DFD) as open_content() gives it; "" when it cannot be opened. */
static inline const char *open_content_at(int dfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);

	buf[0] = 0;
	if (fd < 0)
		return buf;
	open_content(fd, buf, len);
	close(fd);
	return buf;
}

/*
 * Whether the caller is root by the kernel's euid (not a preloaded library's:
 * fakeroot says 0 and grants nothing), as sc_drop_privilege() decides it.
 */
static inline bool open_root(void)
{
	return syscall(SYS_geteuid) == 0;
}

/*
 * A child that opens PATH with FLAGS (and MODE) as another user: uid/gid 65534 when
 * the test runs as root, else the caller itself. Its report: the errno (0 when it
 * opened) and fstat() of the new descriptor.
 */
struct open_as {
	int err;
	struct stat st;
	/* inputs */
	const char *path;
	int flags;
	mode_t mode;
};
#define OPEN_AS_REPORT offsetof(struct open_as, path)

static inline int open_as_stranger(void *data)
{
	struct open_as *o = data;
	int fd;

	if (sc_drop_privilege())
		return sc_child_error("could not drop to uid 65534: %s", sc_errname(errno));
	errno = 0;
	fd = open(o->path, o->flags | O_CLOEXEC, o->mode);
	o->err = fd < 0 ? errno : 0;
	if (fd >= 0) {
		if (fstat(fd, &o->st))
			return sc_child_fail("fstat() of the new descriptor -> %s", sc_errname(errno));
		close(fd);
	}
	return SC_CHILD_OK;
}

/* Who the child of open_as_stranger() is, for diagnostics. */
static inline const char *open_stranger_name(void)
{
	return open_root() ? "uid 65534" : "the caller";
}

#endif /* SYSCONFORM_OPEN_H */
