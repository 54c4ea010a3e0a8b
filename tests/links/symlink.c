// SPDX-License-Identifier: GPL-2.0-only
/*
 * Symbolic links: dangling links, where a relative target is resolved from, loops
 * and the limit of 40, readlink(), which calls follow the last component and which
 * act on the link, links across filesystems and their mode, their st_size (LINK-04
 * to LINK-10, LINK-21).
 * Man pages: symlink(2), symlink(7), readlink(2), lstat(2), path_resolution(7).
 */
#include "links.h"

/* LINK-04 symlink(2): symlink() to a missing target succeeds; stat() and open() through the dangling link fail with ENOENT while lstat() reports a symlink. */
TEST_F(dir, dangling_symlink_stat_fails_enoent_lstat_works)
{
	struct stat st;

	EXPECT_SYSCALL_RETURNS(0, symlink("missing", "s"));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("s", &st));
	EXPECT_SYSCALL_FAILS(ENOENT, open("s", O_RDONLY | O_CLOEXEC));
	SC_OK(lstat("s", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
}

/* LINK-04 symlink(7): removing the target of a working link, or renaming it away, makes the link dangle (ENOENT); a new file under the name makes it work again. */
TEST_F(dir, removing_or_renaming_target_makes_link_dangle)
{
	struct stat st;

	SC_SETUP(sc_write_file("t", "x", 1));
	SC_SETUP(symlink("t", "s"));
	SC_OK(stat("s", &st));
	EXPECT_SYSCALL_RETURNS(0, unlink("t"));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("s", &st));
	SC_SETUP(sc_write_file("t", "again", 5));
	EXPECT_SYSCALL_RETURNS(0, stat("s", &st));
	EXPECT_EQ(5, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, rename("t", "u"));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("s", &st));
	EXPECT_SYSCALL_FAILS(ENOENT, open("s", O_RDONLY | O_CLOEXEC));
}

/* LINK-05 symlink(7): a relative target is resolved from the directory that holds the link (d/s -> t opens d/t), not from the caller's cwd (which holds another t). */
TEST_F(dir, relative_target_resolves_from_link_directory)
{
	char buf[32];
	struct stat st, inner;

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(sc_write_file("t", "cwd", 3));
	SC_SETUP(sc_write_file("d/t", "link-dir", 8));
	SC_SETUP(symlink("t", "d/s"));
	EXPECT_SYSCALL_RETURNS(8, links_read("d/s", buf, sizeof(buf)));
	EXPECT_STREQ("link-dir", buf);
	SC_OK(stat("d/s", &st));
	SC_OK(stat("d/t", &inner));
	EXPECT_EQ(inner.st_ino, st.st_ino);
	/* Without d/t the link dangles, although the cwd has a t. */
	SC_SETUP(unlink("d/t"));
	EXPECT_SYSCALL_FAILS(ENOENT, open("d/s", O_RDONLY | O_CLOEXEC));
}

/* LINK-06 path_resolution(7): with a -> b and b -> a, stat(), open() and chdir() fail with ELOOP while lstat() of either link succeeds. */
TEST_F(dir, symlink_loop_fails_eloop_lstat_works)
{
	struct stat st;

	SC_SETUP(symlink("b", "a"));
	SC_SETUP(symlink("a", "b"));
	EXPECT_SYSCALL_FAILS(ELOOP, stat("a", &st));
	EXPECT_SYSCALL_FAILS(ELOOP, open("a", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ELOOP, open("b", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ELOOP, chdir("b"));
	EXPECT_SYSCALL_FAILS(ELOOP, stat("a/x", &st));
	SC_OK(lstat("a", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	SC_OK(lstat("b", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
}

/* LINK-07 path_resolution(7): a chain of 40 symlinks (l40 -> l39 ... l1 -> f) resolves for stat() and open(); a chain of 41 fails with ELOOP. */
TEST_F(dir, forty_symlinks_resolve_forty_one_fail_eloop)
{
	char name[16], prev[16] = "f", buf[8];
	struct stat st, f;

	SC_SETUP(sc_write_file("f", "end", 3));
	for (int i = 1; i <= 41; i++) {
		snprintf(name, sizeof(name), "l%d", i);
		SC_SETUP(symlink(prev, name));
		memcpy(prev, name, sizeof(prev));
	}
	SC_OK(stat("f", &f));
	EXPECT_SYSCALL_RETURNS(0, stat("l40", &st));
	EXPECT_EQ(f.st_ino, st.st_ino);
	EXPECT_SYSCALL_RETURNS(3, links_read("l40", buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ELOOP, stat("l41", &st));
	EXPECT_SYSCALL_FAILS(ELOOP, open("l41", O_RDONLY | O_CLOEXEC));
}

/* LINK-08 readlink(2): readlink() returns the target's length and writes no terminating NUL (the byte after it is untouched). */
TEST_F(dir, readlink_returns_target_without_nul)
{
	char buf[32];

	SC_SETUP(symlink("some/target", "s"));
	memset(buf, 'X', sizeof(buf));
	EXPECT_SYSCALL_RETURNS(11, readlink("s", buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "some/target", 11));
	EXPECT_EQ('X', buf[11]) {
		TH_LOG("readlink() wrote 0x%02x after the target", (unsigned char)buf[11]);
	}
}

/* LINK-08 readlink(2): a buffer shorter than the target gets its first bufsiz bytes and readlink() returns bufsiz (no error, no NUL); a buffer of exactly the target's length too. */
TEST_F(dir, readlink_truncates_silently_to_bufsiz)
{
	char buf[32];

	SC_SETUP(symlink("some/target", "s"));
	memset(buf, 'X', sizeof(buf));
	EXPECT_SYSCALL_RETURNS(4, readlink("s", buf, 4));
	EXPECT_EQ(0, memcmp(buf, "some", 4));
	EXPECT_EQ('X', buf[4]);
	memset(buf, 'X', sizeof(buf));
	EXPECT_SYSCALL_RETURNS(11, readlink("s", buf, 11));
	EXPECT_EQ(0, memcmp(buf, "some/target", 11));
	EXPECT_EQ('X', buf[11]);
}

/* LINK-08 readlink(2): readlink() of a regular file or a directory (not a symlink) fails with EINVAL. */
TEST_F(dir, readlink_of_non_symlink_fails_einval)
{
	char buf[32];

	SC_SETUP(sc_write_file("f", "x", 1));
	SC_SETUP(mkdir("d", 0755));
	EXPECT_SYSCALL_FAILS(EINVAL, readlink("f", buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(EINVAL, readlink("d", buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ENOENT, readlink("missing", buf, sizeof(buf)));
}

/* LINK-09 symlink(7): stat(), open(), chmod() and chdir() follow a symlink in the last component: they reach the target file or directory, not the link. */
TEST_F(dir, stat_open_chmod_chdir_follow_last_symlink)
{
	struct stat st, t, l;
	char buf[16];

	SC_SETUP(sc_write_file("t", "target", 6));
	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(sc_write_file("d/inside", "", 0));
	SC_SETUP(symlink("t", "s"));
	SC_SETUP(symlink("d", "ds"));
	SC_OK(stat("s", &st));
	SC_OK(stat("t", &t));
	EXPECT_EQ(t.st_ino, st.st_ino);
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_SYSCALL_RETURNS(6, links_read("s", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(0, chmod("s", 0640));
	SC_OK(stat("t", &t));
	EXPECT_EQ(0640, t.st_mode & 07777);
	SC_OK(lstat("s", &l));
	EXPECT_TRUE(S_ISLNK(l.st_mode));
	EXPECT_SYSCALL_RETURNS(0, chdir("ds"));
	EXPECT_SYSCALL_RETURNS(0, stat("inside", &st));
	SC_OK(fchdir(self->t.dfd));
}

/* LINK-09 symlink(7): unlink(), rename(), readlink() and lchown() act on the link itself: the target stays after unlink(), rename() moves the link only, lchown() works on a dangling link. */
TEST_F(dir, unlink_rename_readlink_lchown_act_on_link)
{
	struct stat st;
	char buf[16];

	SC_SETUP(sc_write_file("t", "target", 6));
	SC_SETUP(symlink("t", "s"));
	EXPECT_SYSCALL_RETURNS(0, rename("s", "s2"));
	SC_OK(lstat("s2", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_SYSCALL_RETURNS(1, readlink("s2", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(6, links_read("t", buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("s", &st));
	EXPECT_SYSCALL_RETURNS(0, unlink("s2"));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("s2", &st));
	SC_OK(stat("t", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	SC_SETUP(symlink("missing", "dangling"));
	EXPECT_SYSCALL_FAILS(ENOENT, chown("dangling", -1, -1));
	EXPECT_SYSCALL_RETURNS(0, lchown("dangling", -1, -1));
}

/* LINK-09 lchown(2): as root, lchown() of a link to a file changes the link's owner, not the target's. */
TEST_F(dir, lchown_changes_link_not_target)
{
	struct stat l, t;

	if (geteuid() != 0)
		SKIP(return, "needs root");
	SC_SETUP(sc_write_file("t", "x", 1));
	SC_SETUP(symlink("t", "s"));
	EXPECT_SYSCALL_RETURNS(0, lchown("s", 1234, 1235));
	SC_OK(lstat("s", &l));
	SC_OK(stat("t", &t));
	EXPECT_EQ(1234, l.st_uid);
	EXPECT_EQ(1235, l.st_gid);
	EXPECT_EQ(0, t.st_uid);
	EXPECT_EQ(0, t.st_gid);
}

/* LINK-10 symlink(7): a symlink in the temp dir may point to a directory on another filesystem (/proc): stat() through it reports that directory (its st_dev), and a file under it opens. */
TEST_F(dir, symlink_to_directory_on_other_filesystem)
{
	struct stat here, via, proc;
	char buf[64];

	SC_SETUP(stat("/proc", &proc));
	SC_OK(stat(".", &here));
	if (proc.st_dev == here.st_dev)
		SC_ERROR("/proc is on the temp dir's device");
	EXPECT_SYSCALL_RETURNS(0, symlink("/proc", "p"));
	SC_OK(stat("p", &via));
	EXPECT_TRUE(S_ISDIR(via.st_mode));
	EXPECT_EQ(proc.st_dev, via.st_dev);
	EXPECT_EQ(proc.st_ino, via.st_ino);
	EXPECT_LT(0, links_read("p/self/stat", buf, sizeof(buf)));
}

static int write_through_link(void *data)
{
	int *err = data;

	if (sc_drop_privilege())
		return sc_child_error("could not drop privileges: %s", sc_errname(errno));
	err[0] = LINKS_ERR(sc_write_file("s", "x", 1));
	err[1] = open("s", O_RDONLY | O_CLOEXEC) < 0 ? errno : 0;
	return SC_CHILD_OK;
}

/* LINK-10 symlink(7): a symlink's own mode reads as 0777 on Linux, yet it grants nothing: an unprivileged caller cannot write a 0444 target through it (EACCES), reading works. */
TEST_F(dir, symlink_mode_0777_not_used_for_access)
{
	struct sc_child c;
	struct stat st;
	int err[2] = { -1, -1 }, fd;

	/* Made 0444 by open() itself: fakeroot's chmod() would keep it writable for the real user. */
	fd = SC_SETUP(open("t", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
	SC_SETUP(write(fd, "ro", 2));
	close(fd);
	SC_SETUP(chmod(".", 0755));
	EXPECT_SYSCALL_RETURNS(0, symlink("t", "s"));
	SC_OK(lstat("s", &st));
	EXPECT_EQ(0777, st.st_mode & 07777) {
		TH_LOG("the symlink's mode is 0%o", st.st_mode & 07777);
	}
	sc_child_run(&c, "the unprivileged child", write_through_link, err, sizeof(err));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EACCES, err[0]) {
		TH_LOG("writing the 0444 file through the 0777 link: %s, expected EACCES",
		       links_errstr(err[0]));
	}
	EXPECT_EQ(0, err[1]) {
		TH_LOG("reading the 0444 file through the link: %s", links_errstr(err[1]));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* LINK-21 lstat(2): lstat() of a symlink reports in st_size the length of its target without a NUL: the value readlink() returns. */
TEST_F(dir, symlink_st_size_is_target_length)
{
	static const char *const targets[] = { "t", "some/longer/target", "../up" };
	char buf[64], name[16];
	struct stat st;

	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		SC_SETUP(symlink(targets[i], name));
		SC_OK(lstat(name, &st));
		EXPECT_EQ((off_t)strlen(targets[i]), st.st_size) {
			TH_LOG("lstat(%s -> %s): st_size %lld", name, targets[i], (long long)st.st_size);
		}
		EXPECT_SYSCALL_RETURNS(strlen(targets[i]), readlink(name, buf, sizeof(buf)));
	}
}

/* LINK-21 symlink(2): symlink() with an empty target fails with ENOENT on Linux and makes no link. */
TEST_F(dir, symlink_empty_target_fails_enoent)
{
	struct stat st;

	EXPECT_SYSCALL_FAILS(ENOENT, symlink("", "s"));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("s", &st));
	EXPECT_SYSCALL_RETURNS(0, symlink("x", "s"));
}

TEST_HARNESS_MAIN
