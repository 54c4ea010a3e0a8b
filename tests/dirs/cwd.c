// SPDX-License-Identifier: GPL-2.0-only
/*
 * The current directory: once it is removed, getcwd() and creating a file in it
 * fail with ENOENT (DIR-07); ".." is resolved physically, through a symlink as on
 * the directory it leads to, and getcwd() gives the physical path (DIR-09).
 * Man pages: getcwd(3), rmdir(2), path_resolution(7).
 */
#include "dirs.h"

/* Whether getcwd() gives a path that ends in SUFFIX, in BUF; the path or its errno in a log line. */
static bool cwd_ends_in(struct __test_metadata *_metadata, const char *suffix, char *buf,
			size_t len)
{
	size_t n, s = strlen(suffix);

	if (!getcwd(buf, len)) {
		TH_LOG("getcwd() -> NULL %s", sc_errname(errno));
		return false;
	}
	n = strlen(buf);
	if (n < s || strcmp(buf + n - s, suffix)) {
		TH_LOG("getcwd() gives \"%s\", not a path ending in \"%s\"", buf, suffix);
		return false;
	}
	return true;
}

/* DIR-07 getcwd(3): after the current directory is removed (rmdir("../d") from inside it), getcwd() fails with ENOENT. */
TEST_F(dir, getcwd_of_removed_directory_fails_enoent)
{
	char buf[PATH_MAX], *p;

	SC_SETUP(mkdir("d", 0700));
	SC_OK(chdir("d"));
	/* Control: before, getcwd() works. */
	EXPECT_TRUE(cwd_ends_in(_metadata, "/d", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(0, rmdir("../d"));
	errno = 0;
	p = getcwd(buf, sizeof(buf));
	EXPECT_TRUE(p == NULL && errno == ENOENT) {
		TH_LOG("getcwd() in a removed directory: expected ENOENT, got %s",
		       p ? p : sc_errname(errno));
	}
	SC_OK(chdir(self->t.path));
}

/* DIR-07 rmdir(2): in a removed current directory, creating a file or a directory in "." fails with ENOENT. */
TEST_F(dir, create_in_removed_cwd_fails_enoent)
{
	struct stat st;

	SC_SETUP(mkdir("d", 0700));
	SC_OK(chdir("d"));
	/* Control: before, creating works. */
	EXPECT_SYSCALL_RETURNS(0, sc_write_file("before", "", 0));
	EXPECT_SYSCALL_RETURNS(0, unlink("before"));
	EXPECT_SYSCALL_RETURNS(0, rmdir("../d"));
	EXPECT_SYSCALL_FAILS(ENOENT, open("x", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOENT, open("./x", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOENT, mkdir("y", 0700));
	SC_OK(chdir(self->t.path));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("d", &st));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("x", &st));
}

/* DIR-09 path_resolution(7): for a symlink l -> a/b, stat("l/..") is a (st_ino, st_dev), not the directory holding l. */
TEST_F(dir, symlink_dotdot_is_physical_parent)
{
	struct stat a, here, up;

	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("a/b", 0700));
	SC_SETUP(symlink("a/b", "l"));
	SC_OK(stat("a", &a));
	SC_OK(stat(".", &here));
	SC_OK(stat("l/..", &up));
	EXPECT_TRUE(up.st_ino == a.st_ino && up.st_dev == a.st_dev) {
		TH_LOG("stat(\"l/..\") has st_ino %lu: a has %lu, \".\" (l's parent) %lu",
		       (unsigned long)up.st_ino, (unsigned long)a.st_ino,
		       (unsigned long)here.st_ino);
	}
}

/* DIR-09 path_resolution(7): for a symlink l -> a/b, open("l/../x") opens a/x, not the x beside l. */
TEST_F(dir, symlink_dotdot_opens_physical_sibling)
{
	char buf[16] = "";
	int fd;

	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("a/b", 0700));
	SC_SETUP(symlink("a/b", "l"));
	SC_SETUP(sc_write_file("a/x", "physical", 8));
	SC_SETUP(sc_write_file("x", "logical", 7));
	fd = SC_OK(open("l/../x", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(8, read(fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ("physical", buf);
	close(fd);
}

/* DIR-09 getcwd(3): after chdir("l") with l -> a/b, getcwd() gives the physical path, ending in "/a/b", and chdir("..") leads to a. */
TEST_F(dir, getcwd_after_chdir_through_symlink_is_physical)
{
	char buf[PATH_MAX];
	struct stat a, here;

	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("a/b", 0700));
	SC_SETUP(symlink("a/b", "l"));
	SC_OK(stat("a", &a));
	SC_OK(chdir("l"));
	EXPECT_TRUE(cwd_ends_in(_metadata, "/a/b", buf, sizeof(buf)));
	SC_OK(chdir(".."));
	SC_OK(stat(".", &here));
	EXPECT_TRUE(here.st_ino == a.st_ino && here.st_dev == a.st_dev) {
		TH_LOG("after chdir(\"l\"), chdir(\"..\"): st_ino %lu, a has %lu",
		       (unsigned long)here.st_ino, (unsigned long)a.st_ino);
	}
	EXPECT_TRUE(cwd_ends_in(_metadata, "/a", buf, sizeof(buf)));
	SC_OK(chdir(self->t.path));
}

TEST_HARNESS_MAIN
