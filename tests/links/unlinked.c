// SPDX-License-Identifier: GPL-2.0-only
/*
 * A file unlinked while open: it lives on through its descriptors with st_nlink 0,
 * /proc shows it " (deleted)", its space comes back at the last close, and it can
 * never get a name again (LINK-11, LINK-12).
 * Man pages: unlink(2), linkat(2), open(2), proc(5).
 */
#include "links.h"

/* LINK-11 unlink(2): after unlink() of the only name, the open descriptor still reads and writes the data, fstat() reports st_nlink 0, and opening the name fails with ENOENT. */
TEST_F(dir, unlinked_open_file_still_reads_and_writes)
{
	char buf[16] = "";
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, unlink("f"));
	SC_OK(fstat(fd, &st));
	LINKS_SKIP_IF_NFS_SILLY_RENAME(st.st_nlink == 1);
	EXPECT_EQ(0, st.st_nlink);
	EXPECT_SYSCALL_RETURNS(3, pwrite(fd, "XYZ", 3, 3));
	EXPECT_SYSCALL_RETURNS(6, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("abcXYZ", buf);
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(6, st.st_size);
	EXPECT_SYSCALL_FAILS(ENOENT, open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("f", &st));
	close(fd);
}

/* LINK-11 proc(5) unlink(2): readlink("/proc/self/fd/N") gives the file's path, and after unlink() the same path followed by " (deleted)". */
TEST_F(dir, proc_fd_link_of_unlinked_file_ends_deleted)
{
	char link[64], cwd[PATH_MAX], want[PATH_MAX + 32], got[PATH_MAX + 32];
	ssize_t n;
	int fd;

	SC_SETUP(sc_write_file("f", "x", 1));
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (!getcwd(cwd, sizeof(cwd)))
		SC_ERROR("getcwd() -> %s", sc_errname(errno));
	n = SC_SETUP(readlink(link, got, sizeof(got) - 1));
	got[n] = 0;
	snprintf(want, sizeof(want), "%s/f", cwd);
	EXPECT_STREQ(want, got);
	EXPECT_SYSCALL_RETURNS(0, unlink("f"));
	n = SC_OK(readlink(link, got, sizeof(got) - 1));
	got[n] = 0;
	snprintf(want, sizeof(want), "%s/f (deleted)", cwd);
	LINKS_SKIP_IF_NFS_SILLY_RENAME(strstr(got, "/.nfs"));
	EXPECT_STREQ(want, got);
	close(fd);
}

/* In the private tmpfs (blocks nobody else uses): f_bfree before, with 1 MiB written, after unlink() with two descriptors open, after the first close(), after the last. */
static void free_at_last_close(struct links_tmpfs *r)
{
	static char block[4096];
	struct statfs sf;
	int fd1 = -1, fd2 = -1;

	memset(block, 'b', sizeof(block));
	r->err[0] = LINKS_ERR(statfs("mnt", &sf));
	r->val[0] = sf.f_bfree;
	r->val[5] = sf.f_bsize;
	fd1 = open("mnt/big", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	for (int i = 0; fd1 >= 0 && i < 256; i++)
		if (write(fd1, block, sizeof(block)) != sizeof(block))
			break;
	fd2 = open("mnt/big", O_RDONLY | O_CLOEXEC);
	r->err[1] = fd1 < 0 || fd2 < 0 ? errno : 0;
	statfs("mnt", &sf);
	r->val[1] = sf.f_bfree;
	r->err[2] = LINKS_ERR(unlink("mnt/big"));
	statfs("mnt", &sf);
	r->val[2] = sf.f_bfree;
	r->err[3] = LINKS_ERR(close(fd1));
	statfs("mnt", &sf);
	r->val[3] = sf.f_bfree;
	r->err[4] = LINKS_ERR(close(fd2));
	statfs("mnt", &sf);
	r->val[4] = sf.f_bfree;
}

/* LINK-11 unlink(2): the space of an unlinked file is freed at the last close, not before: in a private tmpfs, f_bfree stays down after unlink() and the first close() of two, and comes back after the second. */
TEST_F(dir, unlinked_file_space_freed_at_last_close)
{
	struct links_tmpfs r = { .ns = -1 };
	long used;

	LINKS_IN_TMPFS(&r, free_at_last_close);
	if (r.err[0] || r.err[1])
		SC_ERROR("statfs/writing 1 MiB in the tmpfs: %s, %s", links_errstr(r.err[0]), links_errstr(r.err[1]));
	used = 1048576 / (r.val[5] > 0 ? r.val[5] : 4096);
	TH_LOG("f_bfree: %ld, written %ld, unlinked %ld, one closed %ld, both closed %ld",
	       r.val[0], r.val[1], r.val[2], r.val[3], r.val[4]);
	EXPECT_EQ(0, r.err[2]);
	EXPECT_EQ(0, r.err[3]);
	EXPECT_EQ(0, r.err[4]);
	ASSERT_LE(r.val[1], r.val[0] - used) {
		TH_LOG("writing 1 MiB took no blocks: nothing to see freed");
	}
	EXPECT_EQ(r.val[1], r.val[2]) {
		TH_LOG("unlink() with the file open freed %ld blocks", r.val[2] - r.val[1]);
	}
	EXPECT_EQ(r.val[1], r.val[3]) {
		TH_LOG("close() of one of two descriptors freed %ld blocks", r.val[3] - r.val[1]);
	}
	EXPECT_EQ(r.val[0], r.val[4]) {
		TH_LOG("after the last close(): f_bfree %ld, expected %ld as before", r.val[4], r.val[0]);
	}
}

/* LINK-12 linkat(2): a file whose st_nlink reached 0 by unlink() cannot get a name again: linkat("/proc/self/fd/N", AT_SYMLINK_FOLLOW) fails with ENOENT; for a file that still has a name (the control) it adds one. */
TEST_F(dir, unlinked_file_cannot_be_linked_again)
{
	char link[64];
	struct stat a, b;
	int gone, kept;

	SC_SETUP(sc_write_file("f", "gone", 4));
	SC_SETUP(sc_write_file("g", "kept", 4));
	gone = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	kept = SC_OK(open("g", O_RDWR | O_CLOEXEC));
	SC_OK(unlink("f"));
	SC_OK(fstat(gone, &a));
	LINKS_SKIP_IF_NFS_SILLY_RENAME(a.st_nlink == 1);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", gone);
	EXPECT_SYSCALL_FAILS(ENOENT, linkat(AT_FDCWD, link, AT_FDCWD, "x", AT_SYMLINK_FOLLOW));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("x", &a));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", kept);
	EXPECT_SYSCALL_RETURNS(0, linkat(AT_FDCWD, link, AT_FDCWD, "y", AT_SYMLINK_FOLLOW));
	SC_OK(fstat(kept, &a));
	SC_OK(stat("y", &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(2, a.st_nlink);
	close(gone);
	close(kept);
}

TEST_HARNESS_MAIN
