// SPDX-License-Identifier: GPL-2.0-only
/*
 * access: what an open description may do: its access mode (OPEN-01), truncation
 * at open time (OPEN-05) and O_NOATIME's owner check (OPEN-10).
 * Man pages: open(2), read(2), write(2).
 */
#include <pty.h>
#include "open.h"

/* OPEN-01 write(2): write() on an O_RDONLY descriptor fails with EBADF and writes nothing. */
TEST_F(dir, write_on_rdonly_descriptor_fails_ebadf)
{
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EBADF, write(fd, "xyz", 3));
	EXPECT_SYSCALL_FAILS(EBADF, pwrite(fd, "xyz", 3, 0));
	SC_OK(stat("f", &st));
	EXPECT_EQ(3, st.st_size);
	close(fd);
}

/* OPEN-01 read(2): read() on an O_WRONLY descriptor fails with EBADF. */
TEST_F(dir, read_on_wronly_descriptor_fails_ebadf)
{
	char buf[8];
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(open("f", O_WRONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EBADF, read(fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_FAILS(EBADF, pread(fd, buf, sizeof(buf), 0));
	close(fd);
}

/* OPEN-01 open(2): an O_RDWR descriptor allows both read() and write(). */
TEST_F(dir, rdwr_descriptor_allows_read_and_write)
{
	char buf[8] = "";
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(3, read(fd, buf, sizeof(buf)));
	EXPECT_STREQ("abc", buf);
	EXPECT_SYSCALL_RETURNS(2, write(fd, "de", 2));
	EXPECT_STREQ("abcde", open_content(fd, buf, sizeof(buf)));
	close(fd);
}

/* OPEN-05 open(2): O_WRONLY|O_TRUNC truncates an existing regular file to 0 at open time. */
TEST_F(dir, trunc_empties_existing_file)
{
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "0123456789", 10));
	fd = SC_OK(open("f", O_WRONLY | O_TRUNC | O_CLOEXEC));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/* OPEN-05 open(2): on Linux O_RDONLY|O_TRUNC also truncates a regular file the caller may write to 0. */
TEST_F(dir, rdonly_trunc_empties_existing_file)
{
	char buf[16];
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "0123456789", 10));
	fd = SC_OK(open("f", O_RDONLY | O_TRUNC | O_CLOEXEC));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size) {
		TH_LOG("after open(O_RDONLY|O_TRUNC) the file holds \"%s\"", open_content(fd, buf, sizeof(buf)));
	}
	close(fd);
}

/* OPEN-05 open(2): O_TRUNC needs write permission: a caller that may not write the file gets EACCES, and the file keeps its data. */
TEST_F(dir, trunc_without_write_permission_fails_eacces)
{
	struct open_as o = { .path = "f", .flags = O_RDONLY | O_TRUNC };
	struct sc_child c;
	struct stat st;

	if (geteuid() == 0 && !open_root())	/* fakeroot: root to the program, not to the kernel */
		SKIP(return, "needs root or an unprivileged identity (the libc says euid 0, the kernel %ld)",
		     syscall(SYS_geteuid));
	SC_SETUP(sc_write_file("f", "0123456789", 10));
	SC_SETUP(chmod("f", 0444));
	open_dir_mode(_metadata, 0755);
	sc_child_run(&c, "the opener", open_as_stranger, &o, OPEN_AS_REPORT);
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EACCES, o.err) {
		TH_LOG("open(O_RDONLY|O_TRUNC) of a 0444 file as %s -> %s", open_stranger_name(),
		       o.err ? sc_errname(o.err) : "success");
	}
	SC_OK(stat("f", &st));
	EXPECT_EQ(10, st.st_size);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* OPEN-05 open(2): O_TRUNC is ignored for a FIFO: the open succeeds and the data in the pipe stays. */
TEST_F(dir, trunc_ignored_for_fifo)
{
	char buf[8] = "";
	int w, r;

	SC_SETUP(mkfifo("p", 0600));
	w = SC_OK(open("p", O_RDWR | O_NONBLOCK | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(3, write(w, "abc", 3));
	r = SC_OK(open("p", O_RDWR | O_TRUNC | O_NONBLOCK | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(3, read(r, buf, sizeof(buf)));
	EXPECT_STREQ("abc", buf);
	close(r);
	close(w);
}

/* OPEN-05 open(2): O_TRUNC is ignored for a terminal: opening a pseudo-terminal with O_TRUNC succeeds and keeps its pending input. */
TEST_F(dir, trunc_ignored_for_terminal)
{
	char buf[8] = "", name[64];
	int m, s;

	m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		SKIP(return, "needs pseudo-terminals (posix_openpt: %s)", sc_errname(errno));
	SC_SETUP(grantpt(m));
	SC_SETUP(unlockpt(m));
	SC_SETUP(ptsname_r(m, name, sizeof(name)) ? -1 : 0);
	s = SC_OK(open(name, O_RDWR | O_NOCTTY | O_TRUNC | O_NONBLOCK | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(4, write(m, "abc\n", 4));
	EXPECT_SYSCALL_RETURNS(1, poll(&(struct pollfd){ .fd = s, .events = POLLIN }, 1, SC_WAIT_MS));
	EXPECT_SYSCALL_RETURNS(4, read(s, buf, sizeof(buf) - 1));
	EXPECT_STREQ("abc\n", buf);
	close(s);
	close(m);
}

/* OPEN-10 open(2): O_NOATIME on a file the caller does not own, without CAP_FOWNER, fails with EPERM, where the same open without it succeeds. */
TEST_F(dir, noatime_on_file_of_other_owner_fails_eperm)
{
	struct open_as plain = { .path = "f", .flags = O_RDONLY };
	struct open_as noatime = { .path = "f", .flags = O_RDONLY | O_NOATIME };
	struct sc_child c;

	if (!open_root())
		SKIP(return, "needs root (a file of another owner in the private directory)");
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(chmod("f", 0644));
	open_dir_mode(_metadata, 0755);
	sc_child_run(&c, "the control", open_as_stranger, &plain, OPEN_AS_REPORT);
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_CHILD_SUCCEEDED(&c);
	ASSERT_EQ(0, plain.err) {
		TH_LOG("uid 65534 cannot open a 0644 file of root's: %s", sc_errname(plain.err));
	}
	sc_child_run(&c, "the opener", open_as_stranger, &noatime, OPEN_AS_REPORT);
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EPERM, noatime.err) {
		TH_LOG("open(O_RDONLY|O_NOATIME) of root's file as uid 65534 -> %s",
		       noatime.err ? sc_errname(noatime.err) : "success");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* OPEN-10 open(2): O_NOATIME is allowed to the file's owner, and to a caller with CAP_FOWNER (root) on a file of another owner. */
TEST_F(dir, noatime_allowed_to_owner_and_cap_fowner)
{
	struct open_as made = { .path = "f", .flags = O_WRONLY | O_CREAT, .mode = 0644 };
	struct open_as own = { .path = "f", .flags = O_RDONLY | O_NOATIME };
	struct sc_child c;
	int fd;

	open_dir_mode(_metadata, 0777);
	sc_child_run(&c, "the creator", open_as_stranger, &made, OPEN_AS_REPORT);
	SC_CHILD_READY(&c);
	sc_child_end(&c);
	if (made.err)
		SC_ERROR("open(f, O_CREAT) as %s -> %s", open_stranger_name(), sc_errname(made.err));
	sc_child_run(&c, "the owner", open_as_stranger, &own, OPEN_AS_REPORT);
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(0, own.err) {
		TH_LOG("open(O_RDONLY|O_NOATIME) by the file's owner -> %s", sc_errname(own.err));
	}
	EXPECT_CHILD_SUCCEEDED(&c);
	if (!open_root())
		return;
	fd = open("f", O_RDONLY | O_NOATIME | O_CLOEXEC);
	EXPECT_NE(-1, fd) {
		TH_LOG("open(O_RDONLY|O_NOATIME) by root of uid 65534's file -> %s", sc_errname(errno));
	}
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
