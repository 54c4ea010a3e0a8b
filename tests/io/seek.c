// SPDX-License-Identifier: GPL-2.0-only
/*
 * seek: lseek() results for SEEK_SET/SEEK_CUR/SEEK_END, seeking past end of
 * file, and its errors (IO-10).
 */
#include <sys/socket.h>
#include "io.h"

/* IO-10 lseek(2): lseek() returns the resulting offset for SEEK_SET, SEEK_CUR and SEEK_END, and read() starts there. */
TEST_F(file, lseek_returns_resulting_offset)
{
	char c = 0;
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	EXPECT_SYSCALL_RETURNS(4, lseek(fd, 4, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(7, lseek(fd, 3, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(5, lseek(fd, -2, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(5, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(1, read(fd, &c, 1));
	EXPECT_EQ('5', c);
	EXPECT_SYSCALL_RETURNS(10, lseek(fd, 0, SEEK_END));
	EXPECT_SYSCALL_RETURNS(7, lseek(fd, -3, SEEK_END));
	EXPECT_SYSCALL_RETURNS(1, read(fd, &c, 1));
	EXPECT_EQ('7', c);
	close(fd);
}

/* IO-10 lseek(2): seeking beyond end of file succeeds and leaves st_size alone until data is written there. */
TEST_F(file, lseek_past_end_keeps_size_until_write)
{
	char buf[8];
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR);
	EXPECT_SYSCALL_RETURNS(1000, lseek(fd, 1000, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(1010, lseek(fd, 10, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(2010, lseek(fd, 2000, SEEK_END));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(10, st.st_size);
	/* A read there sees end of file and changes nothing. */
	EXPECT_SYSCALL_RETURNS(0, read(fd, buf, sizeof(buf)));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(10, st.st_size);
	EXPECT_SYSCALL_RETURNS(1, write(fd, "x", 1));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(2011, st.st_size);
	close(fd);
}

/* IO-10 lseek(2): lseek() to a negative resulting offset fails with EINVAL and the offset stays where it was. */
TEST_F(file, lseek_negative_result_fails_einval)
{
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	ASSERT_SYSCALL_RETURNS(3, lseek(fd, 3, SEEK_SET));
	EXPECT_SYSCALL_FAILS(EINVAL, lseek(fd, -1, SEEK_SET));
	EXPECT_SYSCALL_FAILS(EINVAL, lseek(fd, -4, SEEK_CUR));
	EXPECT_SYSCALL_FAILS(EINVAL, lseek(fd, -11, SEEK_END));
	EXPECT_SYSCALL_RETURNS(3, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-10 lseek(2): lseek() with an unknown whence fails with EINVAL. */
TEST_F(file, lseek_unknown_whence_fails_einval)
{
	int fd;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDONLY);
	/* 0..4 are SEEK_SET..SEEK_HOLE; 5 and larger are unknown. */
	EXPECT_SYSCALL_FAILS(EINVAL, lseek(fd, 0, 5));
	EXPECT_SYSCALL_FAILS(EINVAL, lseek(fd, 0, 42));
	EXPECT_SYSCALL_FAILS(EINVAL, lseek(fd, 0, -1));
	close(fd);
}

/* IO-10 lseek(2): lseek() on a pipe, a FIFO or a socket fails with ESPIPE. */
TEST_F(file, lseek_on_pipe_fifo_socket_fails_espipe)
{
	int p[2], sv[2], fifo;

	SC_SETUP(pipe2(p, O_CLOEXEC));
	SC_SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	SC_SETUP(mkfifo("fifo", 0600));
	fifo = SC_SETUP(open("fifo", O_RDWR | O_NONBLOCK | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(p[0], 0, SEEK_CUR));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(p[1], 0, SEEK_SET));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(fifo, 0, SEEK_CUR));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(sv[0], 0, SEEK_CUR));
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
	close(fifo);
}

/* IO-10 lseek(2): on Linux lseek() on a terminal (both sides of a pseudoterminal) fails with ESPIPE. */
TEST_F(file, lseek_on_terminal_fails_espipe)
{
	const char *name = NULL;
	int master, slave = -1, err;

	/* No pseudoterminal (no /dev/ptmx, no devpts) is a property of the environment. */
	errno = 0;
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		SKIP(return, "needs a pty: posix_openpt(/dev/ptmx) %s", sc_errname(errno));
	if (grantpt(master) == 0 && unlockpt(master) == 0 && (name = ptsname(master)))
		slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0) {
		err = errno;
		close(master);
		SKIP(return, "needs a pty: %s %s", name ? name : "grantpt/unlockpt/ptsname",
		     sc_errname(err));
	}
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(slave, 0, SEEK_CUR));
	EXPECT_SYSCALL_FAILS(ESPIPE, lseek(master, 0, SEEK_CUR));
	close(slave);
	close(master);
}

TEST_HARNESS_MAIN
