// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hard links: link() adds a name for the same inode, unlink() removes one; links
 * across filesystems, to directories, onto existing names and of symlinks
 * (LINK-01, LINK-02, LINK-03, LINK-18), and fs.protected_hardlinks (LINK-22).
 * Man pages: link(2), unlink(2), symlink(2), proc(5).
 */
#include "links.h"

/* LINK-01 link(2): link(old,new) gives a name of the same inode: same st_dev and st_ino, st_nlink 2 on both, data written through one name is read through the other. */
TEST_F(dir, link_names_share_inode_and_data)
{
	struct stat a, b;
	char buf[32];
	int fd;

	SC_SETUP(sc_write_file("f", "first", 5));
	EXPECT_SYSCALL_RETURNS(0, link("f", "g"));
	SC_OK(stat("f", &a));
	SC_OK(stat("g", &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(a.st_dev, b.st_dev);
	EXPECT_EQ(2, a.st_nlink);
	EXPECT_EQ(2, b.st_nlink);
	fd = SC_OK(open("g", O_WRONLY | O_TRUNC | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(6, write(fd, "second", 6));
	close(fd);
	EXPECT_SYSCALL_RETURNS(6, links_read("f", buf, sizeof(buf)));
	EXPECT_STREQ("second", buf);
}

/* LINK-01 unlink(2): unlink() of either of two names (the first or the added one) lowers st_nlink to 1 and the data stays reachable through the other name. */
TEST_F(dir, unlink_either_name_keeps_data_through_other)
{
	static const char *const names[2][2] = { { "f", "g" }, { "g", "f" } };
	char buf[32];
	struct stat st;

	for (int i = 0; i < 2; i++) {
		const char *gone = names[i][0], *kept = names[i][1];

		SC_SETUP(sc_write_file("f", "data", 4));
		SC_OK(link("f", "g"));
		EXPECT_SYSCALL_RETURNS(0, unlink(gone));
		EXPECT_SYSCALL_FAILS(ENOENT, lstat(gone, &st));
		SC_OK(stat(kept, &st));
		EXPECT_EQ(1, st.st_nlink) {
			TH_LOG("after unlink(%s): st_nlink of %s is %lu, expected 1", gone, kept,
			       (unsigned long)st.st_nlink);
		}
		EXPECT_SYSCALL_RETURNS(4, links_read(kept, buf, sizeof(buf)));
		EXPECT_STREQ("data", buf);
		SC_SETUP(unlink(kept));
	}
}

/* LINK-01 link(2): each link() raises st_nlink by 1 and each unlink() lowers it by 1 (1, 2, 3, 2, 1), seen through an open descriptor. */
TEST_F(dir, nlink_counts_each_link_and_unlink)
{
	static const nlink_t want[] = { 1, 2, 3, 2, 1 };
	struct stat st;
	int fd, i = 0;

	SC_SETUP(sc_write_file("f", "x", 1));
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(want[i], st.st_nlink);
	EXPECT_SYSCALL_RETURNS(0, link("f", "g"));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(want[++i], st.st_nlink);
	EXPECT_SYSCALL_RETURNS(0, link("g", "h"));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(want[++i], st.st_nlink);
	EXPECT_SYSCALL_RETURNS(0, unlink("f"));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(want[++i], st.st_nlink);
	EXPECT_SYSCALL_RETURNS(0, unlink("h"));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(want[++i], st.st_nlink);
	close(fd);
}

/* In the private tmpfs: link() from the test filesystem to it, from it to the test filesystem, and (the control) within it. */
static void link_across(struct links_tmpfs *r)
{
	struct stat st;

	r->err[0] = LINKS_ERR(sc_write_file("f", "outside", 7));
	r->err[1] = LINKS_ERR(sc_write_file("mnt/g", "inside", 6));
	r->err[2] = LINKS_ERR(link("f", "mnt/f"));
	r->err[3] = LINKS_ERR(link("mnt/g", "g"));
	r->err[4] = LINKS_ERR(link("mnt/g", "mnt/h"));
	r->err[5] = LINKS_ERR(lstat("mnt/f", &st));
	r->err[6] = LINKS_ERR(lstat("g", &st));
}

/* LINK-02 link(2): link() between the test filesystem and a separate tmpfs fails with EXDEV both ways and makes no name (a link within the tmpfs works). */
TEST_F(dir, link_across_filesystems_fails_exdev)
{
	struct links_tmpfs r = { .ns = -1 };

	LINKS_IN_TMPFS(&r, link_across);
	if (r.err[0] || r.err[1])
		SC_ERROR("writing the files: %s, %s", links_errstr(r.err[0]), links_errstr(r.err[1]));
	EXPECT_EQ(EXDEV, r.err[2]) {
		TH_LOG("link(f, mnt/f) into the tmpfs: expected EXDEV, got %s", links_errstr(r.err[2]));
	}
	EXPECT_EQ(EXDEV, r.err[3]) {
		TH_LOG("link(mnt/g, g) out of the tmpfs: expected EXDEV, got %s", links_errstr(r.err[3]));
	}
	EXPECT_EQ(0, r.err[4]) {
		TH_LOG("link(mnt/g, mnt/h) within the tmpfs: %s", links_errstr(r.err[4]));
	}
	EXPECT_EQ(ENOENT, r.err[5]) {
		TH_LOG("after the failed link, lstat(mnt/f): %s, expected ENOENT", links_errstr(r.err[5]));
	}
	EXPECT_EQ(ENOENT, r.err[6]) {
		TH_LOG("after the failed link, lstat(g): %s, expected ENOENT", links_errstr(r.err[6]));
	}
}

/* LINK-02 link(2): link() to a directory fails with EPERM on Linux (as root too: the case logs the caller's uid) and makes no name. */
TEST_F(dir, link_to_directory_fails_eperm)
{
	struct stat st;

	SC_SETUP(mkdir("d", 0755));
	TH_LOG("as uid %ld", (long)geteuid());
	EXPECT_SYSCALL_FAILS(EPERM, link("d", "e"));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("e", &st));
	SC_OK(stat("d", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
}

/* LINK-03 link(2) symlink(2): link() and symlink() onto an existing newpath (a file, a directory, a dangling symlink) fail with EEXIST and leave it as it was. */
TEST_F(dir, link_and_symlink_onto_existing_name_fail_eexist)
{
	static const char *const taken[] = { "file", "dir", "dangling" };
	char buf[32];
	struct stat st;

	SC_SETUP(sc_write_file("f", "source", 6));
	SC_SETUP(sc_write_file("file", "old", 3));
	SC_SETUP(mkdir("dir", 0755));
	SC_SETUP(symlink("nowhere", "dangling"));
	for (size_t i = 0; i < sizeof(taken) / sizeof(taken[0]); i++) {
		EXPECT_SYSCALL_FAILS(EEXIST, link("f", taken[i]));
		EXPECT_SYSCALL_FAILS(EEXIST, symlink("f", taken[i]));
	}
	EXPECT_SYSCALL_RETURNS(3, links_read("file", buf, sizeof(buf)));
	EXPECT_STREQ("old", buf);
	EXPECT_SYSCALL_RETURNS(7, readlink("dangling", buf, sizeof(buf)));
	SC_OK(stat("f", &st));
	EXPECT_EQ(1, st.st_nlink);
}

/* LINK-03 link(2): link() whose oldpath is a symlink links the symlink itself (Linux does not follow it): lstat(newpath) is S_IFLNK with the symlink's st_ino, also for a dangling one. */
TEST_F(dir, link_of_symlink_links_the_symlink)
{
	struct stat s, h, f;

	SC_SETUP(sc_write_file("f", "target", 6));
	SC_SETUP(symlink("f", "s"));
	SC_SETUP(symlink("nowhere", "dangling"));
	EXPECT_SYSCALL_RETURNS(0, link("s", "h"));
	SC_OK(lstat("s", &s));
	SC_OK(lstat("h", &h));
	SC_OK(stat("f", &f));
	EXPECT_TRUE(S_ISLNK(h.st_mode)) {
		TH_LOG("lstat(h) mode 0%o: the link followed the symlink", h.st_mode);
	}
	EXPECT_EQ(s.st_ino, h.st_ino);
	EXPECT_NE(f.st_ino, h.st_ino);
	EXPECT_EQ(1, f.st_nlink);
	EXPECT_SYSCALL_RETURNS(0, link("dangling", "h2"));
	SC_OK(lstat("h2", &h));
	EXPECT_TRUE(S_ISLNK(h.st_mode));
}

/* LINK-18 unlink(2): unlink() of a directory fails with EISDIR on Linux (POSIX says EPERM), also of an empty one, and the directory stays. */
TEST_F(dir, unlink_directory_fails_eisdir)
{
	struct stat st;

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(mkdir("full", 0755));
	SC_SETUP(sc_write_file("full/f", "x", 1));
	EXPECT_SYSCALL_FAILS(EISDIR, unlink("d"));
	EXPECT_SYSCALL_FAILS(EISDIR, unlink("full"));
	SC_OK(stat("d", &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_SYSCALL_RETURNS(0, rmdir("d"));
}

/* LINK-18 unlink(2): unlink() of a missing name fails with ENOENT, also in a missing directory; unlink() of an existing file (the control) works. */
TEST_F(dir, unlink_missing_name_fails_enoent)
{
	SC_SETUP(sc_write_file("f", "x", 1));
	EXPECT_SYSCALL_FAILS(ENOENT, unlink("missing"));
	EXPECT_SYSCALL_FAILS(ENOENT, unlink("nodir/missing"));
	EXPECT_SYSCALL_RETURNS(0, unlink("f"));
	EXPECT_SYSCALL_FAILS(ENOENT, unlink("f"));
}

/* What the unprivileged child got from link() of root's 0600 file, of root's 0666 file, and of its own file. */
static int link_as_other_user(void *data)
{
	int *err = data;

	if (sc_drop_privilege())
		return sc_child_error("could not drop privileges: %s", sc_errname(errno));
	err[0] = LINKS_ERR(link("private", "private2"));
	err[1] = LINKS_ERR(link("shared", "shared2"));
	err[2] = LINKS_ERR(sc_write_file("mine", "m", 1));
	err[3] = err[2] ? err[2] : LINKS_ERR(link("mine", "mine2"));
	return SC_CHILD_OK;
}

/* LINK-22 proc(5) link(2): with fs.protected_hardlinks = 1, uid 65534 cannot link() root's 0600 file (EPERM) but can link root's 0666 file (it may read and write it) and its own file. */
TEST_F(dir, protected_hardlinks_refuse_link_to_unwritable_file)
{
	char setting[8] = "";
	struct sc_child c;
	int err[4] = { -1, -1, -1, -1 }, fd;
	struct stat st;

	/* Without the knob (gVisor has none), the policy in force is not known. */
	fd = open("/proc/sys/fs/protected_hardlinks", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "needs fs.protected_hardlinks = 1 (/proc/sys/fs/protected_hardlinks: %s)",
		     sc_errname(errno));
	if (read(fd, setting, sizeof(setting) - 1) < 1)
		SC_ERROR("read /proc/sys/fs/protected_hardlinks: %s", sc_errname(errno));
	close(fd);
	if (setting[0] != '1')
		SKIP(return, "needs fs.protected_hardlinks = 1 (it is %c)", setting[0]);
	/* The kernel's uid: the files must really be root's (fakeroot's geteuid() says 0). */
	if (syscall(SYS_geteuid) != 0)
		SKIP(return, "needs root");
	SC_SETUP(chmod(".", 0777));
	SC_SETUP(sc_write_file("private", "p", 1));
	SC_SETUP(sc_write_file("shared", "s", 1));
	SC_SETUP(chmod("shared", 0666));
	sc_child_run(&c, "the unprivileged child", link_as_other_user, err, sizeof(err));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EPERM, err[0]) {
		TH_LOG("uid 65534: link() of root's 0600 file: %s, expected EPERM", links_errstr(err[0]));
	}
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("private2", &st));
	EXPECT_EQ(0, err[1]) {
		TH_LOG("uid 65534: link() of root's 0666 file: %s", links_errstr(err[1]));
	}
	EXPECT_EQ(0, err[3]) {
		TH_LOG("uid 65534: link() of its own file: %s", links_errstr(err[3]));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
