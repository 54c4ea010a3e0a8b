// SPDX-License-Identifier: GPL-2.0-only
/*
 * Making and removing directories: mkdir() of an existing name (even a dangling
 * symlink) fails with EEXIST, of a name in a missing directory with ENOENT, and takes
 * a trailing slash (DIR-04); st_nlink counts "." and each subdirectory's ".." (DIR-05);
 * rmdir()'s errors: ENOTEMPTY, EINVAL for ".", ENOTEMPTY for "..", ENOTDIR, EBUSY for
 * a mount point (DIR-06).
 * Man pages: mkdir(2), rmdir(2), stat(2).
 */
#include "dirs.h"

/* DIR-04 mkdir(2): mkdir() of an existing file, directory, symlink to either, or dangling symlink fails with EEXIST and changes nothing (the dangling symlink's target is not made). */
TEST_F(dir, mkdir_existing_name_fails_eexist)
{
	static const char *const names[] = { "f", "d", "link_to_d", "link_to_f", "dangling" };
	struct stat st;

	SC_SETUP(sc_write_file("f", "x", 1));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(symlink("d", "link_to_d"));
	SC_SETUP(symlink("f", "link_to_f"));
	SC_SETUP(symlink("missing", "dangling"));
	for (int i = 0; i < 5; i++) {
		errno = 0;
		int r = mkdir(names[i], 0700), err = errno;

		EXPECT_TRUE(r == -1 && err == EEXIST) {
			TH_LOG("mkdir(\"%s\") -> %d %s, expected EEXIST", names[i], r,
			       r ? sc_errname(err) : "");
		}
	}
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("missing", &st));
	SC_OK(lstat("dangling", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	SC_OK(lstat("f", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
}

/* DIR-04 mkdir(2): mkdir("a/b") with "a" missing fails with ENOENT and makes neither. */
TEST_F(dir, mkdir_in_missing_directory_fails_enoent)
{
	struct stat st;

	EXPECT_SYSCALL_FAILS(ENOENT, mkdir("a/b", 0700));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("a", &st));
	EXPECT_SYSCALL_FAILS(ENOENT, mkdir("a/b/c/", 0700));
	/* Control: with the parent there, the same call works. */
	SC_SETUP(mkdir("c", 0700));
	EXPECT_SYSCALL_RETURNS(0, mkdir("c/b", 0700));
}

/* DIR-04 mkdir(2): a trailing slash is accepted: mkdir("d/") and mkdir("e//") make directories d and e. */
TEST_F(dir, mkdir_trailing_slash_accepted)
{
	struct stat st;

	EXPECT_SYSCALL_RETURNS(0, mkdir("d/", 0700));
	SC_OK(stat("d", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_SYSCALL_RETURNS(0, mkdir("e//", 0700));
	SC_OK(stat("e", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_SYSCALL_FAILS(EEXIST, mkdir("d/", 0700));
}

/* DIR-05 stat(2): a new empty directory has st_nlink 2 ("d" and "d/.") on ext4, xfs and tmpfs; btrfs reports 1. */
TEST_F(dir, new_directory_has_nlink_2)
{
	struct stat st;

	EXPECT_SYSCALL_RETURNS(0, mkdir("d", 0700));
	SC_OK(stat("d", &st));
	if (st.st_nlink == 1)
		SC_SKIP_FS("directories report st_nlink 1");
	EXPECT_EQ(2, st.st_nlink);
}

/* DIR-05 stat(2): each new subdirectory raises its parent's st_nlink by 1 (its ".."), on ext4, xfs and tmpfs; btrfs reports 1. */
TEST_F(dir, subdirectory_raises_parent_nlink)
{
	char name[16];
	struct stat st;
	nlink_t before;

	SC_SETUP(mkdir("d", 0700));
	SC_OK(stat("d", &st));
	before = st.st_nlink;
	for (int i = 1; i <= 3; i++) {
		snprintf(name, sizeof(name), "d/s%d", i);
		EXPECT_SYSCALL_RETURNS(0, mkdir(name, 0700));
		SC_OK(stat("d", &st));
		if (before == 1 && st.st_nlink == 1)
			SC_SKIP_FS("directories report st_nlink 1");
		EXPECT_EQ((nlink_t)(2 + i), st.st_nlink) {
			TH_LOG("after %d subdirectories, st_nlink %lu (empty: %lu)", i,
			       (unsigned long)st.st_nlink, (unsigned long)before);
		}
	}
}

/* DIR-06 rmdir(2): rmdir() of a directory holding a file, or only a subdirectory, fails with ENOTEMPTY (POSIX also allows EEXIST) and removes nothing. */
TEST_F(dir, rmdir_nonempty_fails_enotempty)
{
	static const char *const dirs[] = { "with_file", "with_dir" };
	struct stat st;

	SC_SETUP(mkdir("with_file", 0700));
	SC_SETUP(sc_write_file("with_file/f", "x", 1));
	SC_SETUP(mkdir("with_dir", 0700));
	SC_SETUP(mkdir("with_dir/sub", 0700));
	for (int i = 0; i < 2; i++) {
		errno = 0;
		int r = rmdir(dirs[i]), err = errno;

		EXPECT_TRUE(r == -1 && (err == ENOTEMPTY || err == EEXIST)) {
			TH_LOG("rmdir(\"%s\") -> %d %s, expected ENOTEMPTY", dirs[i], r,
			       r ? sc_errname(err) : "");
		}
	}
	EXPECT_SYSCALL_RETURNS(0, stat("with_file/f", &st));
	EXPECT_SYSCALL_RETURNS(0, stat("with_dir/sub", &st));
}

/* DIR-06 rmdir(2): rmdir(".") and rmdir("d/.") fail with EINVAL, even on an empty directory, which stays. */
TEST_F(dir, rmdir_dot_fails_einval)
{
	struct stat st;

	SC_SETUP(mkdir("d", 0700));
	EXPECT_SYSCALL_FAILS(EINVAL, rmdir("d/."));
	EXPECT_SYSCALL_FAILS(EINVAL, rmdir("d/./"));
	SC_OK(chdir("d"));
	EXPECT_SYSCALL_FAILS(EINVAL, rmdir("."));
	SC_OK(chdir(self->t.path));
	EXPECT_SYSCALL_RETURNS(0, stat("d", &st));
	/* Control: by its name, the empty directory goes. */
	EXPECT_SYSCALL_RETURNS(0, rmdir("d"));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("d", &st));
}

/* DIR-06 rmdir(2): rmdir() of a path ending in ".." fails with ENOTEMPTY, also where that parent is empty but for the directory itself. */
TEST_F(dir, rmdir_dotdot_fails_enotempty)
{
	struct stat st;

	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("a/b", 0700));
	EXPECT_SYSCALL_FAILS(ENOTEMPTY, rmdir("a/b/.."));
	EXPECT_SYSCALL_FAILS(ENOTEMPTY, rmdir("a/.."));
	EXPECT_SYSCALL_RETURNS(0, stat("a/b", &st));
}

/* DIR-06 rmdir(2): rmdir() of a regular file, or of a symlink to a directory, fails with ENOTDIR; both stay, and so does the directory. */
TEST_F(dir, rmdir_non_directory_fails_enotdir)
{
	struct stat st;

	SC_SETUP(sc_write_file("f", "x", 1));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(symlink("d", "l"));
	EXPECT_SYSCALL_FAILS(ENOTDIR, rmdir("f"));
	EXPECT_SYSCALL_FAILS(ENOTDIR, rmdir("l"));
	EXPECT_SYSCALL_RETURNS(0, lstat("f", &st));
	EXPECT_SYSCALL_RETURNS(0, lstat("l", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_SYSCALL_RETURNS(0, stat("d", &st));
}

/* What the child in a new mount namespace saw, each call's errno (0: it worked). */
struct mount_point {
	enum sc_ns_result ns;
	char why[256];
	int mount_err, rmdir_err, umount_err, rmdir_after_err;
};

static int rmdir_mount_point(void *data)
{
	struct mount_point *m = data;

	m->ns = sc_unshare(CLONE_NEWNS, m->why, sizeof(m->why));
	if (m->ns != SC_NS_OK)
		return SC_CHILD_OK;
	m->mount_err = mount("none", "m", "tmpfs", 0, "size=64k") ? errno : 0;
	if (m->mount_err)
		return SC_CHILD_OK;
	m->rmdir_err = rmdir("m") ? errno : 0;
	m->umount_err = umount("m") ? errno : 0;
	m->rmdir_after_err = rmdir("m") ? errno : 0;
	return SC_CHILD_OK;
}

/* DIR-06 rmdir(2): rmdir() of a mount point (a tmpfs on a directory, in a new mount namespace) fails with EBUSY; once unmounted, it works. */
TEST_F(dir, rmdir_mount_point_fails_ebusy)
{
	struct mount_point m = { .ns = SC_NS_ERROR, .mount_err = -1 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(mntns);
	SC_SETUP(mkdir("m", 0755));
	sc_child_run(&c, "the child in a new mount namespace", rmdir_mount_point, &m, sizeof(m));
	ASSERT_CHILD_REPORTED(&c);
	SC_NS_ENTERED_OR_SKIP(m.ns, m.why);
	if (m.mount_err == EPERM || m.mount_err == EACCES)
		SKIP(return, "needs CAP_SYS_ADMIN over the mount: mount(tmpfs) -> %s",
		     sc_errname(m.mount_err));
	if (m.mount_err)
		SC_ERROR("mount(tmpfs on \"m\") -> %s", sc_errname(m.mount_err));
	EXPECT_EQ(EBUSY, m.rmdir_err) {
		TH_LOG("rmdir() of the mount point: expected EBUSY, got %s",
		       m.rmdir_err ? sc_errname(m.rmdir_err) : "success");
	}
	EXPECT_EQ(0, m.umount_err) {
		TH_LOG("umount(\"m\") -> %s", sc_errname(m.umount_err));
	}
	EXPECT_EQ(0, m.rmdir_after_err) {
		TH_LOG("rmdir(\"m\") once unmounted -> %s", sc_errname(m.rmdir_after_err));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
