// SPDX-License-Identifier: GPL-2.0-only
/*
 * lookup: how open() resolves the last component: O_DIRECTORY and directories
 * (OPEN-06), O_NOFOLLOW (OPEN-08), over-long and empty names (OPEN-18), and the
 * errors of a path that does not lead to a file (OPEN-20).
 * Man pages: open(2), path_resolution(7).
 */
#include "open.h"

/* OPEN-06 open(2): O_DIRECTORY on an existing regular file fails with ENOTDIR; on a directory it opens it. */
TEST_F(dir, directory_flag_on_regular_file_fails_enotdir)
{
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(mkdir("d", 0700));
	EXPECT_SYSCALL_FAILS(ENOTDIR, open("f", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	close(fd);
}

/* OPEN-06 open(2): O_CREAT|O_DIRECTORY on a missing name fails with EINVAL and creates nothing since Linux 6.4; older kernels created a regular file, unless they have the change from a stable update (6.1.y has it). */
TEST_F(dir, create_with_directory_flag_fails_einval)
{
	long kv = sc_kernel();
	bool new_rule = kv == 0 || kv >= SC_KV(6, 4, 0);
	bool einval, regular;
	struct stat st;
	int fd, err, made;

	errno = 0;
	fd = open("d", O_RDONLY | O_CREAT | O_DIRECTORY | O_CLOEXEC, 0600);
	err = fd < 0 ? errno : 0;
	made = lstat("d", &st) == 0;
	if (fd >= 0)
		close(fd);
	einval = err == EINVAL && !made;
	regular = made && S_ISREG(st.st_mode);
	if (new_rule) {
		EXPECT_TRUE(einval) {
			TH_LOG("open(d, O_CREAT|O_DIRECTORY) on a missing name -> %s, %s; since Linux 6.4 (this kernel says %d.%d): EINVAL, nothing created",
			       err ? sc_errname(err) : "success", made ? "d was made" : "nothing made", SC_KV_PRINT(kv));
		}
	} else {
		EXPECT_TRUE(einval || regular) {
			TH_LOG("open(d, O_CREAT|O_DIRECTORY) on a missing name -> %s, %s; this kernel says %d.%d: before 6.4 a regular file is made (or, with the stable update, EINVAL and nothing)",
			       err ? sc_errname(err) : "success", made ? "d is not a regular file" : "nothing made",
			       SC_KV_PRINT(kv));
		}
	}
}

/* OPEN-06 open(2): opening a directory with O_WRONLY or O_RDWR fails with EISDIR. */
TEST_F(dir, directory_opened_for_writing_fails_eisdir)
{
	SC_SETUP(mkdir("d", 0700));
	EXPECT_SYSCALL_FAILS(EISDIR, open("d", O_WRONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EISDIR, open("d", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EISDIR, open(".", O_RDWR | O_CLOEXEC));
}

/* OPEN-06 path_resolution(7): a pathname with a trailing slash whose last component is a regular file fails with ENOTDIR. */
TEST_F(dir, trailing_slash_on_regular_file_fails_enotdir)
{
	SC_SETUP(sc_write_file("f", "abc", 3));
	EXPECT_SYSCALL_FAILS(ENOTDIR, open("f/", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOTDIR, open("f/.", O_RDONLY | O_CLOEXEC));
}

/* OPEN-08 open(2): O_NOFOLLOW fails with ELOOP when the last component is a symlink (to a file or to a directory). */
TEST_F(dir, nofollow_on_symlink_fails_eloop)
{
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(symlink("f", "lf"));
	SC_SETUP(symlink("d", "ld"));
	EXPECT_SYSCALL_FAILS(ELOOP, open("lf", O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ELOOP, open("ld", O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	fd = SC_OK(open("lf", O_RDONLY | O_CLOEXEC));	/* the control: followed without it */
	close(fd);
}

/* OPEN-08 open(2): with O_NOFOLLOW, symlinks in earlier components are still followed. */
TEST_F(dir, nofollow_follows_symlinks_before_last_component)
{
	char buf[16];
	int fd;

	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/f", "abc", 3));
	SC_SETUP(symlink("d", "ld"));
	fd = SC_OK(open("ld/f", O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
	EXPECT_STREQ("abc", open_content(fd, buf, sizeof(buf)));
	close(fd);
}

/* OPEN-18 open(2): a pathname component longer than NAME_MAX (255 bytes) fails with ENAMETOOLONG, to open and to create; 255 bytes are fine. */
TEST_F(dir, component_over_name_max_fails_enametoolong)
{
	char name[NAME_MAX + 2], path[NAME_MAX + 8];
	int fd;

	memset(name, 'a', NAME_MAX);
	name[NAME_MAX] = 0;
	errno = 0;
	fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENAMETOOLONG)
		SC_SKIP_FS("names are limited below 255 bytes (a %d-byte name: ENAMETOOLONG)", NAME_MAX);
	ASSERT_NE(-1, fd) {
		TH_LOG("open() of a %d-byte name -> %s", NAME_MAX, sc_errname(errno));
	}
	close(fd);
	strcat(name, "a");
	EXPECT_SYSCALL_FAILS(ENAMETOOLONG, open(name, O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENAMETOOLONG, open(name, O_RDONLY | O_CLOEXEC));
	snprintf(path, sizeof(path), "%s/f", name);	/* not the last component */
	EXPECT_SYSCALL_FAILS(ENAMETOOLONG, open(path, O_RDONLY | O_CLOEXEC));
}

/* OPEN-18 path_resolution(7): an empty pathname fails with ENOENT, for open() and for openat() with a directory descriptor. */
TEST_F(dir, empty_pathname_fails_enoent)
{
	int dfd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	dfd = SC_SETUP(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOENT, open("", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOENT, open("", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOENT, openat(dfd, "", O_RDONLY | O_CLOEXEC));
	close(dfd);
}

/* OPEN-20 open(2): a missing last component without O_CREAT fails with ENOENT, and a missing directory earlier in the path fails with ENOENT also with O_CREAT (nothing is created). */
TEST_F(dir, missing_component_fails_enoent)
{
	struct stat st;

	EXPECT_SYSCALL_FAILS(ENOENT, open("missing", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOENT, open("missing", O_WRONLY | O_TRUNC | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOENT, open("nodir/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("missing", &st));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("nodir", &st));
}

/* OPEN-20 path_resolution(7): a regular file used as a directory in the path ("f/x") fails with ENOTDIR, with or without O_CREAT. */
TEST_F(dir, file_as_directory_in_path_fails_enotdir)
{
	SC_SETUP(sc_write_file("f", "abc", 3));
	EXPECT_SYSCALL_FAILS(ENOTDIR, open("f/x", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOTDIR, open("f/x", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOTDIR, open("f/x/y", O_RDONLY | O_CLOEXEC));
}

/* OPEN-20 open(2): O_CREAT on an existing directory fails with EISDIR. */
TEST_F(dir, create_on_existing_directory_fails_eisdir)
{
	SC_SETUP(mkdir("d", 0700));
	EXPECT_SYSCALL_FAILS(EISDIR, open("d", O_RDONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EISDIR, open("d", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
}

TEST_HARNESS_MAIN
