// SPDX-License-Identifier: GPL-2.0-only
/*
 * at: opening relative to a directory descriptor (OPEN-12), which stays anchored
 * to the directory when it is renamed (OPEN-13), and by file handle (OPEN-19).
 * Man pages: open(2), open_by_handle_at(2).
 */
#include "open.h"

/* A directory d holding f ("in d"), and f ("in cwd") beside it; d open as DFD. */
static void make_d_and_f(struct __test_metadata *_metadata, int *dfd)
{
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/f", "in d", 4));
	SC_SETUP(sc_write_file("f", "in cwd", 6));
	*dfd = SC_SETUP(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

/* OPEN-12 open(2): openat(dirfd, "rel") resolves relative to dirfd, and AT_FDCWD means the current directory. */
TEST_F(dir, openat_relative_resolves_from_dirfd)
{
	int dfd, fd;
	char buf[16];

	make_d_and_f(_metadata, &dfd);
	fd = SC_OK(openat(dfd, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_STREQ("in d", open_content(fd, buf, sizeof(buf)));
	close(fd);
	fd = SC_OK(openat(AT_FDCWD, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_STREQ("in cwd", open_content(fd, buf, sizeof(buf)));
	close(fd);
	fd = SC_OK(openat(dfd, "new", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	close(fd);
	EXPECT_SYSCALL_RETURNS(0, access("d/new", F_OK));
	close(dfd);
}

/* OPEN-12 open(2): an absolute path ignores dirfd, be it another directory or not an open descriptor at all. */
TEST_F(dir, openat_absolute_path_ignores_dirfd)
{
	int dfd, closed, fd;
	char abs[PATH_MAX + 8], buf[16];

	make_d_and_f(_metadata, &dfd);
	snprintf(abs, sizeof(abs), "%s/f", self->t.path);
	fd = SC_OK(openat(dfd, abs, O_RDONLY | O_CLOEXEC));
	EXPECT_STREQ("in cwd", open_content(fd, buf, sizeof(buf)));
	close(fd);
	closed = SC_SETUP(dup(dfd));
	close(closed);
	fd = SC_OK(openat(closed, abs, O_RDONLY | O_CLOEXEC));
	EXPECT_STREQ("in cwd", open_content(fd, buf, sizeof(buf)));
	close(fd);
	close(dfd);
}

/* OPEN-12 open(2): a relative path with a dirfd that is not a directory fails with ENOTDIR, and with a dirfd that is not open with EBADF. */
TEST_F(dir, openat_bad_dirfd_fails_enotdir_or_ebadf)
{
	int dfd, file, closed;

	make_d_and_f(_metadata, &dfd);
	file = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOTDIR, openat(file, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOTDIR, openat(file, "new", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	closed = SC_SETUP(dup(dfd));
	close(closed);
	EXPECT_SYSCALL_FAILS(EBADF, openat(closed, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EBADF, openat(-5, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOENT, access("new", F_OK));
	close(file);
	close(dfd);
}

/* OPEN-13 open(2): after rename("d", "d2") and a new "d" made in its place, openat(dirfd of the old d, "f") opens d2/f. */
TEST_F(dir, dirfd_follows_renamed_directory)
{
	int dfd, fd;
	struct stat seen, want;
	char buf[16];

	make_d_and_f(_metadata, &dfd);
	SC_SETUP(rename("d", "d2"));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/f", "new d", 5));
	fd = SC_OK(openat(dfd, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_STREQ("in d", open_content(fd, buf, sizeof(buf)));
	SC_OK(fstat(fd, &seen));
	SC_OK(stat("d2/f", &want));
	EXPECT_EQ(want.st_ino, seen.st_ino);
	close(fd);
	fd = SC_OK(openat(dfd, "g", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	close(fd);
	EXPECT_SYSCALL_RETURNS(0, access("d2/g", F_OK));
	close(dfd);
}

/* OPEN-13 open(2): after a rename of an ancestor (a to a2), openat(dirfd of a/b, "f") still opens a2/b/f. */
TEST_F(dir, dirfd_follows_renamed_ancestor)
{
	char buf[16];
	int dfd, fd;

	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("a/b", 0700));
	SC_SETUP(sc_write_file("a/b/f", "in a/b", 6));
	dfd = SC_SETUP(open("a/b", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	SC_SETUP(rename("a", "a2"));
	fd = SC_OK(openat(dfd, "f", O_RDONLY | O_CLOEXEC));
	EXPECT_STREQ("in a/b", open_content(fd, buf, sizeof(buf)));
	close(fd);
	close(dfd);
}

struct handle {
	struct file_handle h;
	unsigned char bytes[MAX_HANDLE_SZ];
};

/* OPEN-19 open_by_handle_at(2): name_to_handle_at() with handle_bytes 0 fails with EOVERFLOW and sets handle_bytes to the size needed; with that size it succeeds. */
TEST_F(dir, name_to_handle_at_reports_size_needed)
{
	struct handle fh = { .h.handle_bytes = 0 };
	unsigned int need;
	int mnt = -1;

	SC_REQUIRE_FEATURE(name_to_handle_at);
	SC_SETUP(sc_write_file("f", "abc", 3));
	EXPECT_SYSCALL_FAILS(EOVERFLOW, name_to_handle_at(AT_FDCWD, "f", &fh.h, &mnt, 0));
	need = fh.h.handle_bytes;
	ASSERT_NE(0, need) {
		TH_LOG("after EOVERFLOW handle_bytes is still 0 (it must say the size needed)");
	}
	ASSERT_GE(MAX_HANDLE_SZ, need);
	fh.h.handle_bytes = need;
	EXPECT_SYSCALL_RETURNS(0, name_to_handle_at(AT_FDCWD, "f", &fh.h, &mnt, 0));
	EXPECT_EQ(need, fh.h.handle_bytes);
	EXPECT_NE(-1, mnt);
}

/* The handle of NAME in *FH; 0 or -1 with errno. */
static int handle_of(const char *name, struct handle *fh)
{
	int mnt;

	fh->h.handle_bytes = MAX_HANDLE_SZ;
	return name_to_handle_at(AT_FDCWD, name, &fh->h, &mnt, 0);
}

/* OPEN-19 open_by_handle_at(2): open_by_handle_at(mount_fd, h) opens the same file (same st_ino, same data) after it was renamed; needs CAP_DAC_READ_SEARCH. */
TEST_F(dir, open_by_handle_opens_renamed_file)
{
	struct handle fh;
	struct stat before, after;
	char buf[16];
	int mfd, fd;

	SC_REQUIRE_FEATURE(name_to_handle_at);
	if (!open_root() || !sc_in_initial_userns())
		SKIP(return, "needs root (CAP_DAC_READ_SEARCH in the initial user namespace)");
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(stat("f", &before));
	SC_OK(handle_of("f", &fh));
	SC_SETUP(rename("f", "g"));
	mfd = SC_SETUP(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	fd = SC_OK(open_by_handle_at(mfd, &fh.h, O_RDONLY | O_CLOEXEC));
	SC_OK(fstat(fd, &after));
	EXPECT_EQ(before.st_ino, after.st_ino);
	EXPECT_EQ(before.st_dev, after.st_dev);
	EXPECT_STREQ("abc", open_content(fd, buf, sizeof(buf)));
	close(fd);
	close(mfd);
}

struct by_handle {
	int err;		/* the report */
	struct handle fh;
	int mfd;
};

static int open_handle_unprivileged(void *data)
{
	struct by_handle *b = data;
	int fd;

	if (sc_drop_privilege())
		return sc_child_error("could not drop to uid 65534: %s", sc_errname(errno));
	fd = open_by_handle_at(b->mfd, &b->fh.h, O_RDONLY | O_CLOEXEC);
	b->err = fd < 0 ? errno : 0;
	return SC_CHILD_OK;
}

/* OPEN-19 open_by_handle_at(2): without CAP_DAC_READ_SEARCH open_by_handle_at() fails with EPERM (uid 65534, or the unprivileged caller itself). */
TEST_F(dir, open_by_handle_without_capability_fails_eperm)
{
	struct by_handle b = { .err = -1 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(name_to_handle_at);
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(chmod("f", 0644));
	open_dir_mode(_metadata, 0755);
	SC_OK(handle_of("f", &b.fh));
	b.mfd = SC_SETUP(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	sc_child_run(&c, "the opener", open_handle_unprivileged, &b, sizeof(b.err));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EPERM, b.err) {
		TH_LOG("open_by_handle_at() as %s -> %s", open_stranger_name(),
		       b.err ? sc_errname(b.err) : "success");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
	close(b.mfd);
}

TEST_HARNESS_MAIN
