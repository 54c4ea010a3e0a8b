// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signal-driven I/O on a pipe read end: O_ASYNC plus F_SETOWN make data arrival
 * raise SIGIO; F_SETSIG picks another signal, which carries si_fd.
 * The signals are blocked and collected with a bounded sigtimedwait(), or made
 * pending first and then delivered to a handler by unblocking them.
 * Man page: fcntl(2) "Managing signals".
 */
#include "sysconform.h"

/* A pipe whose read end is owned by this process, with SIGIO and SIG_RT blocked. */
FIXTURE(async_pipe) {
	struct sc_pipe p;
	sigset_t set;
};

#define SIG_RT (SIGRTMIN + 2)

FIXTURE_SETUP(async_pipe)
{
	self->p.rd = self->p.wr = -1;
	sigemptyset(&self->set);
	sigaddset(&self->set, SIGIO);
	sigaddset(&self->set, SIG_RT);
	SC_SETUP(sigprocmask(SIG_BLOCK, &self->set, NULL));
	sc_pipe_setup(_metadata, &self->p, O_CLOEXEC | O_NONBLOCK);
	SC_SETUP(fcntl(self->p.rd, F_SETOWN, getpid()));
}

FIXTURE_TEARDOWN(async_pipe)
{
	sc_pipe_teardown(&self->p);
}

static int set_async(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, on ? fl | O_ASYNC : fl & ~O_ASYNC);
}

/* FD-21 fcntl(2): with F_SETOWN(getpid()) and O_ASYNC on a pipe read end, data arrival raises SIGIO. */
TEST_F(async_pipe, data_arrival_with_o_async_raises_sigio)
{
	siginfo_t si;

	EXPECT_SYSCALL_RETURNS(getpid(), fcntl(self->p.rd, F_GETOWN));
	ASSERT_EQ(0, set_async(self->p.rd, true));
	ASSERT_EQ(O_ASYNC, fcntl(self->p.rd, F_GETFL) & O_ASYNC);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "s", 1));
	EXPECT_EQ(SIGIO, sc_sigwait_set_ms(&self->set, &si, SC_WAIT_MS)) {
		TH_LOG("no SIGIO within %d ms", SC_WAIT_MS);
	}
}

/* FD-21 fcntl(2): F_GETSIG returns 0 by default and the signal set by F_SETSIG afterwards. */
TEST_F(async_pipe, f_getsig_returns_signal_set_by_f_setsig)
{
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_GETSIG));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_SETSIG, SIG_RT));
	EXPECT_SYSCALL_RETURNS(SIG_RT, fcntl(self->p.rd, F_GETSIG));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_SETSIG, SIGIO));
	EXPECT_SYSCALL_RETURNS(SIGIO, fcntl(self->p.rd, F_GETSIG));
}

/* FD-21 fcntl(2): after F_SETSIG(sig), data arrival raises sig (with si_fd = the fd) and no SIGIO. */
TEST_F(async_pipe, f_setsig_signal_replaces_sigio)
{
	siginfo_t si = { 0 };

	ASSERT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_SETSIG, SIG_RT));
	ASSERT_EQ(0, set_async(self->p.rd, true));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "s", 1));
	ASSERT_EQ(SIG_RT, sc_sigwait_set_ms(&self->set, &si, SC_WAIT_MS));
	EXPECT_EQ(self->p.rd, si.si_fd);
	EXPECT_EQ(-EAGAIN, sc_sigwait_set_ms(&self->set, NULL, 0));
}

static volatile sig_atomic_t caught_sig, caught_fd;

static void on_signal(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	caught_sig = sig;
	caught_fd = si->si_fd;
}

/* FD-21 fcntl(2): an SA_SIGINFO handler of the F_SETSIG signal sees si_fd equal to the descriptor. */
TEST_F(async_pipe, sa_siginfo_handler_sees_si_fd)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	int64_t deadline = sc_now_ns() + (int64_t)SC_WAIT_MS * 1000000;
	int delay = 1000;
	sigset_t pending;

	sigemptyset(&sa.sa_mask);
	SC_SETUP(sigaction(SIG_RT, &sa, NULL));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_SETSIG, SIG_RT));
	ASSERT_EQ(0, set_async(self->p.rd, true));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "s", 1));
	/* Wait (bounded) until the signal is pending, then unblock: the handler runs. */
	while (sigpending(&pending) == 0 && !sigismember(&pending, SIG_RT) && sc_now_ns() < deadline)
		sc_backoff(&delay);
	ASSERT_EQ(1, sigismember(&pending, SIG_RT));
	SC_SETUP(sigprocmask(SIG_UNBLOCK, &self->set, NULL));
	EXPECT_EQ(SIG_RT, caught_sig);
	EXPECT_EQ(self->p.rd, caught_fd);
}

/* FD-21 fcntl(2): with O_ASYNC clear, data arrival raises no signal; once set, the next write does. */
TEST_F(async_pipe, data_without_o_async_raises_no_signal)
{
	siginfo_t si = { 0 };
	char buf[4];

	ASSERT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_SETSIG, SIG_RT));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "a", 1));
	ASSERT_SYSCALL_RETURNS(1, read(self->p.rd, buf, sizeof(buf)));
	/* Positive control: the same pipe raises the signal once O_ASYNC is set. */
	ASSERT_EQ(0, set_async(self->p.rd, true));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "b", 1));
	ASSERT_EQ(SIG_RT, sc_sigwait_set_ms(&self->set, &si, SC_WAIT_MS));
	/* SIG_RT is queued: a signal from the first write would still be pending. */
	EXPECT_EQ(-EAGAIN, sc_sigwait_set_ms(&self->set, NULL, 0));
}

TEST_HARNESS_MAIN
