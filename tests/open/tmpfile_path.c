// SPDX-License-Identifier: GPL-2.0-only
/*
 * tmpfile_path: descriptors without a name or without an open file: O_TMPFILE
 * (OPEN-07) and O_PATH (OPEN-09). Man pages: open(2), readlink(2), linkat(2).
 */
#include <dirent.h>
#include <sys/ioctl.h>
#include "open.h"

/* The entries of the current directory other than "." and "..": their count, the first in FIRST. */
static int count_entries(char *first, size_t len)
{
	DIR *d = opendir(".");
	struct dirent *e;
	int n = 0;

	first[0] = 0;
	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && n++ == 0)
			snprintf(first, len, "%s", e->d_name);
	closedir(d);
	return n;
}

/* "/proc/self/fd/FD" in BUF. */
static const char *fd_path(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}

/* OPEN-07 open(2): open(dir, O_TMPFILE|O_RDWR) makes an unnamed regular file: readdir() shows no entry and fstat() says st_nlink 0. */
TEST_F(dir, tmpfile_is_unnamed_regular_file)
{
	char first[NAME_MAX + 1];
	struct stat st;
	int fd, n;

	SC_REQUIRE_FEATURE(o_tmpfile);
	fd = SC_OK(open(".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode)) {
		TH_LOG("the O_TMPFILE file has type 0%o", st.st_mode & S_IFMT);
	}
	EXPECT_EQ(0, st.st_nlink);
	n = count_entries(first, sizeof(first));
	EXPECT_EQ(0, n) {
		TH_LOG("readdir() shows %d entries, the first \"%s\"", n, first);
	}
	EXPECT_SYSCALL_RETURNS(3, write(fd, "abc", 3));
	close(fd);
}

/* OPEN-07 open(2): linkat(AT_FDCWD, "/proc/self/fd/N", AT_FDCWD, name, AT_SYMLINK_FOLLOW) gives an O_TMPFILE file a name, with its data. */
TEST_F(dir, tmpfile_linked_into_directory_by_proc_fd)
{
	char path[64], buf[16];
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(o_tmpfile);
	fd = SC_OK(open(".", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS(3, write(fd, "abc", 3));
	EXPECT_SYSCALL_RETURNS(0, linkat(AT_FDCWD, fd_path(fd, path, sizeof(path)), AT_FDCWD, "named",
					 AT_SYMLINK_FOLLOW));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(1, st.st_nlink);
	EXPECT_STREQ("abc", open_content_at(AT_FDCWD, "named", buf, sizeof(buf)));
	close(fd);
}

/* OPEN-07 open(2): O_TMPFILE without O_WRONLY or O_RDWR fails with EINVAL. */
TEST_F(dir, tmpfile_without_write_access_fails_einval)
{
	char first[NAME_MAX + 1];

	SC_REQUIRE_FEATURE(o_tmpfile);
	EXPECT_SYSCALL_FAILS(EINVAL, open(".", O_TMPFILE | O_RDONLY | O_CLOEXEC, 0600));
	EXPECT_EQ(0, count_entries(first, sizeof(first)));
}

/* OPEN-07 open(2): an O_TMPFILE|O_EXCL file can never be linked: linkat() of its /proc/self/fd link fails with ENOENT. */
TEST_F(dir, tmpfile_excl_cannot_be_linked)
{
	char path[64];
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(o_tmpfile);
	fd = SC_OK(open(".", O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOENT, linkat(AT_FDCWD, fd_path(fd, path, sizeof(path)), AT_FDCWD, "named",
					    AT_SYMLINK_FOLLOW));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("named", &st));
	close(fd);
}

/* OPEN-09 open(2): an O_PATH descriptor supports fstat(), dup() and F_GETFL, which includes O_PATH. */
TEST_F(dir, opath_supports_fstat_dup_and_getfl)
{
	struct stat by_path, by_fd;
	int fd, fd2, fl;

	SC_REQUIRE_FEATURE(o_path);
	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(open("f", O_PATH | O_CLOEXEC));
	SC_OK(stat("f", &by_path));
	EXPECT_SYSCALL_RETURNS(0, fstat(fd, &by_fd));
	EXPECT_EQ(by_path.st_ino, by_fd.st_ino);
	EXPECT_EQ(3, by_fd.st_size);
	fl = SC_OK(fcntl(fd, F_GETFL));
	EXPECT_EQ(O_PATH, fl & O_PATH) {
		TH_LOG("F_GETFL of an O_PATH descriptor -> 0%o", fl);
	}
	fd2 = SC_OK(dup(fd));
	EXPECT_SYSCALL_RETURNS(0, fstat(fd2, &by_fd));
	EXPECT_EQ(by_path.st_ino, by_fd.st_ino);
	EXPECT_SYSCALL_RETURNS(0, close(fd2));
	EXPECT_SYSCALL_RETURNS(0, close(fd));
}

/* OPEN-09 open(2): an O_PATH descriptor of a directory serves as the dirfd of *at() calls and as fchdir()'s argument. */
TEST_F(dir, opath_directory_usable_as_dirfd_and_by_fchdir)
{
	char buf[16];
	struct stat st;
	int dfd;

	SC_REQUIRE_FEATURE(o_path);
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/f", "abc", 3));
	dfd = SC_OK(open("d", O_PATH | O_DIRECTORY | O_CLOEXEC));
	EXPECT_STREQ("abc", open_content_at(dfd, "f", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(0, fstatat(dfd, "f", &st, 0));
	EXPECT_SYSCALL_RETURNS(0, fchdir(dfd));
	EXPECT_STREQ("abc", open_content_at(AT_FDCWD, "f", buf, sizeof(buf)));
	close(dfd);
}

/*
 * fchmod() as the kernel answers it: glibc's is the system call; musl's retries an
 * EBADF as chmod("/proc/self/fd/N") by design (so that an O_PATH descriptor serves
 * fchmodat(AT_EMPTY_PATH)), which would hide the kernel's answer here.
 */
static int kernel_fchmod(int fd, mode_t mode)
{
#ifdef __GLIBC__
	return fchmod(fd, mode);
#else
	return syscall(SYS_fchmod, fd, mode);
#endif
}

/* OPEN-09 open(2): read(), write(), fchmod(), ioctl() and mmap() on an O_PATH descriptor fail with EBADF. */
TEST_F(dir, opath_io_calls_fail_ebadf)
{
	char buf[8];
	struct stat st;
	int fd, n;

	SC_REQUIRE_FEATURE(o_path);
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(chmod("f", 0600));
	fd = SC_OK(open("f", O_PATH | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EBADF, read(fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(EBADF, write(fd, "x", 1));
	EXPECT_SYSCALL_FAILS(EBADF, kernel_fchmod(fd, 0644));
	EXPECT_SYSCALL_FAILS(EBADF, ioctl(fd, FIONREAD, &n));
	EXPECT_SYSCALL_FAILS(EBADF, mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0));
	SC_OK(stat("f", &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(3, st.st_size);
	close(fd);
}

/* OPEN-09 open(2), readlink(2): O_PATH|O_NOFOLLOW on a symlink gives a descriptor of the link itself: fstat() says S_IFLNK and readlinkat(fd, "") returns the target. */
TEST_F(dir, opath_nofollow_on_symlink_gives_link_itself)
{
	char target[64] = "";
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(o_path);
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(symlink("f", "link"));
	fd = SC_OK(open("link", O_PATH | O_NOFOLLOW | O_CLOEXEC));
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode)) {
		TH_LOG("fstat() of the O_PATH|O_NOFOLLOW descriptor: type 0%o", st.st_mode & S_IFMT);
	}
	EXPECT_SYSCALL_RETURNS(1, readlinkat(fd, "", target, sizeof(target) - 1));
	EXPECT_STREQ("f", target);
	close(fd);
}

TEST_HARNESS_MAIN
