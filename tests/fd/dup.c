// SPDX-License-Identifier: GPL-2.0-only
/*
 * Making and removing descriptors: dup2() over an open slot, dup2()/dup3() corner
 * cases, dup3(O_CLOEXEC), fcntl(F_DUPFD/F_DUPFD_CLOEXEC) slot choice, close().
 * Man pages: dup(2), fcntl(2), close(2).
 */
#include "fd.h"

/* A non-blocking pipe (both ends FD_CLOEXEC; no read can hang) and a spare fd on /dev/null. */
FIXTURE(pipe_pair) {
	struct sc_pipe p;
	int other;
};

FIXTURE_SETUP(pipe_pair)
{
	self->other = -1;
	sc_pipe_setup(_metadata, &self->p, O_CLOEXEC | O_NONBLOCK);
	self->other = SC_SETUP(open("/dev/null", O_RDONLY | O_CLOEXEC));
}

FIXTURE_TEARDOWN(pipe_pair)
{
	sc_pipe_teardown(&self->p);
	sc_close(&self->other);
}

/* FD-06 dup(2): dup2(oldfd,newfd) onto an open newfd returns newfd, which now reads from oldfd's pipe. */
TEST_F(pipe_pair, dup2_onto_open_fd_returns_it_reading_from_oldfd_pipe)
{
	char c = 0;

	ASSERT_SYSCALL_RETURNS(self->other, dup2(self->p.rd, self->other));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, read(self->other, &c, 1));
	EXPECT_EQ('x', c);
}

/* FD-06 dup(2): dup2() over the only read end of a pipe releases it: the writer gets EPIPE. */
TEST_F(pipe_pair, dup2_over_last_reader_releases_pipe_epipe)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	SC_SETUP(sigaction(SIGPIPE, &ign, &old));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "a", 1));
	ASSERT_SYSCALL_RETURNS(self->p.rd, dup2(self->other, self->p.rd));
	EXPECT_SYSCALL_FAILS(EPIPE, write(self->p.wr, "b", 1));
	sigaction(SIGPIPE, &old, NULL);
}

/* FD-07 dup(2): dup2(fd,fd) on an open fd returns fd and keeps its FD_CLOEXEC. */
TEST_F(pipe_pair, dup2_same_fd_returns_it_and_keeps_cloexec)
{
	EXPECT_SYSCALL_RETURNS(self->p.rd, dup2(self->p.rd, self->p.rd));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->p.rd, F_GETFD));
	EXPECT_EQ(O_RDONLY, fcntl(self->p.rd, F_GETFL) & O_ACCMODE);
}

/* FD-07 dup3(2): dup3(fd,fd,0) fails with EINVAL. */
TEST_F(pipe_pair, dup3_same_fd_fails_einval)
{
	SC_REQUIRE_FEATURE(flags_2627);
	EXPECT_SYSCALL_FAILS(EINVAL, dup3(self->p.rd, self->p.rd, 0));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->p.rd, F_GETFD));
}

/* FD-07 dup(2): dup2() from a descriptor that is not open fails with EBADF and leaves newfd open. */
TEST_F(pipe_pair, dup2_from_closed_fd_fails_ebadf_keeps_newfd)
{
	int bad = free_fd(100);

	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, dup2(bad, self->p.rd));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->p.rd, F_GETFD));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, read(self->p.rd, &(char){ 0 }, 1));
}

/* FD-07 dup3(2): dup3() from a descriptor that is not open fails with EBADF and leaves newfd open. */
TEST_F(pipe_pair, dup3_from_closed_fd_fails_ebadf_keeps_newfd)
{
	int bad;

	SC_REQUIRE_FEATURE(flags_2627);
	bad = free_fd(100);
	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, dup3(bad, self->p.rd, O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->p.rd, F_GETFD));
}

/* FD-08 dup3(2): dup3(oldfd,newfd,O_CLOEXEC) returns newfd with FD_CLOEXEC set. */
TEST_F(pipe_pair, dup3_with_o_cloexec_sets_fd_cloexec)
{
	int plain;

	SC_REQUIRE_FEATURE(flags_2627);
	plain = SC_OK(dup(self->p.wr));
	ASSERT_SYSCALL_RETURNS(0, fcntl(plain, F_GETFD));
	SC_OK(fcntl(self->other, F_SETFD, 0));
	EXPECT_SYSCALL_RETURNS(self->other, dup3(plain, self->other, O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->other, F_GETFD));
	EXPECT_SYSCALL_RETURNS(0, fcntl(plain, F_GETFD));
	close(plain);
}

/* FD-08 dup3(2): dup3() with a flag other than O_CLOEXEC (O_NONBLOCK, O_APPEND) fails with EINVAL. */
TEST_F(pipe_pair, dup3_with_other_flag_fails_einval)
{
	int target;

	SC_REQUIRE_FEATURE(flags_2627);
	target = free_fd(100);
	ASSERT_LE(100, target);
	EXPECT_SYSCALL_FAILS(EINVAL, dup3(self->p.rd, target, O_NONBLOCK));
	EXPECT_SYSCALL_FAILS(EINVAL, dup3(self->p.rd, target, O_CLOEXEC | O_APPEND));
	EXPECT_SYSCALL_FAILS(EBADF, fcntl(target, F_GETFD));
}

/* FD-09 fcntl(2): F_DUPFD with a taken n returns the lowest free descriptor above n. */
TEST_F(pipe_pair, f_dupfd_returns_lowest_free_at_or_above_n)
{
	int a = free_fd(100), b;

	ASSERT_LE(100, a);
	ASSERT_SYSCALL_RETURNS(a, dup2(self->p.rd, a));
	b = free_fd(a + 1);
	EXPECT_SYSCALL_RETURNS(b, fcntl(self->p.wr, F_DUPFD, a));
	close(a);
	close(b);
}

/* FD-09 fcntl(2): F_DUPFD returns n itself when n is free, above lower free slots. */
TEST_F(pipe_pair, f_dupfd_returns_n_itself_when_free)
{
	int n = free_fd(200), d;

	ASSERT_LE(200, n);
	d = fcntl(self->p.wr, F_DUPFD, n);
	EXPECT_EQ(n, d);
	EXPECT_SYSCALL_RETURNS(0, fcntl(n, F_GETFD));
	close(d);
}

/* FD-09 fcntl(2): F_DUPFD_CLOEXEC returns the lowest free descriptor >= n, with FD_CLOEXEC set. */
TEST_F(pipe_pair, f_dupfd_cloexec_picks_slot_and_sets_cloexec)
{
	int plain, n, d;

	SC_REQUIRE_FEATURE(f_dupfd_cloexec);
	plain = SC_OK(dup(self->p.wr));
	n = free_fd(150);
	ASSERT_LE(150, n);
	d = SC_OK(fcntl(plain, F_DUPFD_CLOEXEC, n));
	EXPECT_EQ(n, d);
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(d, F_GETFD));
	EXPECT_SYSCALL_RETURNS(0, fcntl(plain, F_GETFD));
	close(d);
	close(plain);
}

/* FD-14 close(2): close() of a descriptor that is not open fails with EBADF. */
TEST_F(pipe_pair, close_of_unopened_fd_fails_ebadf)
{
	int bad = free_fd(100);

	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, close(bad));
	EXPECT_SYSCALL_FAILS(EBADF, close(-1));
}

/* FD-14 close(2): a second close() of the same descriptor fails with EBADF. */
TEST_F(pipe_pair, second_close_of_same_fd_fails_ebadf)
{
	int fd = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));

	EXPECT_SYSCALL_RETURNS(0, close(fd));
	EXPECT_SYSCALL_FAILS(EBADF, close(fd));
}

/* FD-14 close(2): closing one of two dups of a pipe's write end leaves the other usable. */
TEST_F(pipe_pair, closing_one_dup_leaves_other_usable)
{
	char c = 0;
	int d = SC_OK(dup(self->p.wr));

	SC_OK(close(self->p.wr));
	self->p.wr = -1;
	EXPECT_SYSCALL_RETURNS(1, write(d, "z", 1));
	EXPECT_SYSCALL_RETURNS(1, read(self->p.rd, &c, 1));
	EXPECT_EQ('z', c);
	close(d);
}

TEST_HARNESS_MAIN
