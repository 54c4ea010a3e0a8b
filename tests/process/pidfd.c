// SPDX-License-Identifier: GPL-2.0-only
/*
 * pidfd: a process descriptor polls readable when its process exits, signals go
 * through it, waitid(P_PIDFD) reaps through it, and a reaped process's descriptor
 * says ESRCH. Each case watches a child of its own, held on a pipe until released.
 * Man pages: pidfd_open(2), pidfd_send_signal(2), waitid(2).
 */
#include "sysconform.h"	/* pidfd_open, pidfd_send_signal: harness/compat.h under musl */

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

FIXTURE(held) {
	struct sc_pipe hold;	/* the child exits when the write end closes */
	pid_t pid;
	int pidfd;
};

FIXTURE_SETUP(held)
{
	char c;

	self->pid = -1;
	self->pidfd = -1;
	self->hold.rd = self->hold.wr = -1;
	if (sc_feature(pidfd)->status != SC_SUPPORTED)
		return;		/* each case skips with the reason */
	sc_pipe_setup(_metadata, &self->hold, O_CLOEXEC);
	self->pid = SC_SETUP(sc_fork());
	if (self->pid == 0) {
		close(self->hold.wr);
		_exit(read(self->hold.rd, &c, 1) == 0 ? 0 : 1);	/* until released */
	}
	self->pidfd = SC_SETUP(pidfd_open(self->pid, 0));
}

FIXTURE_TEARDOWN(held)
{
	sc_pipe_teardown(&self->hold);	/* releases the child */
	if (self->pid > 0)
		sc_wait_ms(self->pid, SC_WAIT_MS);	/* reaps it, or nothing when a case did */
	sc_close(&self->pidfd);
}

/* POLLIN on the pidfd within the bound, or 0 (none) / -1 (poll failed). */
static int pidfd_readable_ms(int pidfd, int ms)
{
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int r = poll(&p, 1, ms);

	return r > 0 ? (p.revents & POLLIN) != 0 : r;
}

/* PROC-14 pidfd_open(2): the pidfd does not poll readable while its process runs, and polls POLLIN once it exits; waitid(P_PIDFD) then reaps it with its exit status. */
TEST_F(held, pidfd_polls_pollin_when_process_exits)
{
	siginfo_t si = { 0 };

	SC_REQUIRE_FEATURE(pidfd);
	EXPECT_EQ(0, pidfd_readable_ms(self->pidfd, 0)) {
		TH_LOG("the pidfd of a running process polls readable");
	}
	sc_close(&self->hold.wr);	/* the child exits */
	ASSERT_EQ(1, pidfd_readable_ms(self->pidfd, SC_WAIT_MS)) {
		TH_LOG("no POLLIN on the pidfd within %d ms of the process's exit", SC_WAIT_MS);
	}
	ASSERT_SYSCALL_RETURNS(0, waitid(P_PIDFD, self->pidfd, &si, WEXITED));
	EXPECT_EQ(self->pid, si.si_pid);
	EXPECT_EQ(CLD_EXITED, si.si_code);
	EXPECT_EQ(0, si.si_status);
	self->pid = -1;		/* reaped */
}

/* PROC-14 pidfd_send_signal(2): a signal sent through the pidfd reaches the process (waitid(P_PIDFD) sees it killed by SIGTERM); once reaped, pidfd_send_signal() fails with ESRCH. */
TEST_F(held, pidfd_send_signal_delivers_then_esrch_after_reaping)
{
	siginfo_t si = { 0 };

	SC_REQUIRE_FEATURE(pidfd);
	EXPECT_SYSCALL_RETURNS(0, pidfd_send_signal(self->pidfd, 0, NULL, 0));
	ASSERT_SYSCALL_RETURNS(0, pidfd_send_signal(self->pidfd, SIGTERM, NULL, 0));
	ASSERT_SYSCALL_RETURNS(0, waitid(P_PIDFD, self->pidfd, &si, WEXITED));
	self->pid = -1;		/* reaped */
	EXPECT_EQ(CLD_KILLED, si.si_code);
	EXPECT_EQ(SIGTERM, si.si_status);
	EXPECT_SYSCALL_FAILS(ESRCH, pidfd_send_signal(self->pidfd, SIGTERM, NULL, 0));
}

/* PROC-14 pidfd_open(2): a PID that no process has fails with ESRCH; an unknown flag fails with EINVAL. */
TEST(pidfd_open_errors)
{
	SC_REQUIRE_FEATURE(pidfd);
	EXPECT_SYSCALL_FAILS(ESRCH, pidfd_open(INT_MAX, 0));	/* above any pid_max */
	EXPECT_SYSCALL_FAILS(EINVAL, pidfd_open(getpid(), 0x10000000));
}

TEST_HARNESS_MAIN
