// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll(), ppoll(), select() and pselect() and signals: never restarted after a
 * handler (EINTR, even with SA_RESTART); ppoll() and pselect() install their mask
 * atomically for the wait only.
 * Man pages: signal(7), poll(2), select(2).
 */
#include "poll.h"

/*
 * An empty pipe p to wait on, and SIGALRM handled by poll_count_signal() with the
 * variant's flags; arm_ticks() starts a 10 ms repeating ITIMER_REAL right before
 * the wait, so that a tick lands while the call sleeps (a tick that comes before
 * it is counted too, and the next one interrupts the wait); teardown stops it.
 */
FIXTURE(interrupted) {
	struct sc_pipe p;
};

FIXTURE_VARIANT(interrupted) {
	int sa_flags;
};

FIXTURE_VARIANT_ADD(interrupted, sa_restart) { .sa_flags = SA_RESTART };
FIXTURE_VARIANT_ADD(interrupted, no_restart) { .sa_flags = 0 };

FIXTURE_SETUP(interrupted)
{
	struct sigaction sa = { .sa_handler = poll_count_signal, .sa_flags = variant->sa_flags };

	sc_pipe_setup(_metadata, &self->p, O_CLOEXEC);
	SC_SETUP(sigaction(SIGALRM, &sa, NULL));
}

FIXTURE_TEARDOWN(interrupted)
{
	setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, NULL);
	sc_pipe_teardown(&self->p);
}

static int arm_ticks(void)
{
	struct itimerval it = { { 0, 10000 }, { 0, 10000 } };

	return setitimer(ITIMER_REAL, &it, NULL);
}

/* The wait CALL (500 ms timeout) fails with EINTR after a handled tick. */
#define EXPECT_INTERRUPTED(call) do {					\
	int64_t _t0;							\
									\
	SC_SETUP(arm_ticks());						\
	_t0 = sc_now_ns();						\
	EXPECT_SYSCALL_FAILS(EINTR, call);				\
	SC_SETUP(setitimer(ITIMER_REAL, &(struct itimerval){ 0 }, NULL));\
	EXPECT_LE(1, poll_handled) {					\
		TH_LOG("no tick handled in %lld ms",			\
		       (long long)(sc_now_ns() - _t0) / 1000000);	\
	}								\
} while (0)

/* POLL-07 signal(7): a handled signal makes a blocked poll() fail with EINTR, even with SA_RESTART. */
TEST_F(interrupted, poll_fails_eintr)
{
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };

	EXPECT_INTERRUPTED(poll(&p, 1, 500));
}

/* POLL-07 signal(7): a handled signal makes a blocked ppoll() fail with EINTR, even with SA_RESTART. */
TEST_F(interrupted, ppoll_fails_eintr)
{
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };
	struct timespec ts = { 0, 500 * 1000000 };

	EXPECT_INTERRUPTED(ppoll(&p, 1, &ts, NULL));
}

/* POLL-07 signal(7): a handled signal makes a blocked select() fail with EINTR, even with SA_RESTART. */
TEST_F(interrupted, select_fails_eintr)
{
	struct timeval tv = { 0, 500000 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	EXPECT_INTERRUPTED(select(self->p.rd + 1, &r, NULL, NULL, &tv));
}

/* POLL-07 signal(7): a handled signal makes a blocked pselect() fail with EINTR, even with SA_RESTART. */
TEST_F(interrupted, pselect_fails_eintr)
{
	struct timespec ts = { 0, 500 * 1000000 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	EXPECT_INTERRUPTED(pselect(self->p.rd + 1, &r, NULL, NULL, &ts, NULL));
}

/*
 * SIGUSR1 handled by poll_count_signal(), blocked, and pending (raised); an empty
 * pipe p to wait on. usr1 is {SIGUSR1}, none the empty set.
 */
FIXTURE(pending) {
	struct sc_pipe p;
	sigset_t usr1, none;
};

FIXTURE_SETUP(pending)
{
	struct sigaction sa = { .sa_handler = poll_count_signal };

	sc_pipe_setup(_metadata, &self->p, O_CLOEXEC);
	sigemptyset(&self->none);
	sigemptyset(&self->usr1);
	sigaddset(&self->usr1, SIGUSR1);
	SC_SETUP(sigaction(SIGUSR1, &sa, NULL));
	SC_SETUP(sigprocmask(SIG_BLOCK, &self->usr1, NULL));
	SC_SETUP(raise(SIGUSR1));
}

FIXTURE_TEARDOWN(pending)
{
	sc_pipe_teardown(&self->p);
}

/* The normal mask still blocks SIGUSR1 (the call's temporary mask is gone). */
#define EXPECT_MASK_RESTORED() do {					\
	sigset_t _now;							\
									\
	SC_OK(sigprocmask(SIG_BLOCK, NULL, &_now));			\
	EXPECT_EQ(1, sigismember(&_now, SIGUSR1)) {			\
		TH_LOG("the temporary mask is still in force");	\
	}								\
} while (0)

/* POLL-08 poll(2): ppoll() whose mask unblocks a pending SIGUSR1 runs the handler during the call, fails EINTR, and restores the mask. */
TEST_F(pending, ppoll_mask_delivers_pending_signal_eintr)
{
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };
	struct timespec zero = { 0, 0 }, ts = { 1, 0 };

	/* Control: blocked, the signal stays pending and does not disturb a wait. */
	ASSERT_SYSCALL_RETURNS(0, ppoll(&p, 1, &zero, NULL));
	ASSERT_EQ(0, poll_handled);
	EXPECT_SYSCALL_FAILS(EINTR, ppoll(&p, 1, &ts, &self->none));
	EXPECT_EQ(1, poll_handled);
	EXPECT_MASK_RESTORED();
}

/* POLL-08 poll(2): ppoll() whose mask keeps the pending SIGUSR1 blocked times out (10 ms) without running the handler. */
TEST_F(pending, ppoll_mask_keeps_signal_blocked)
{
	struct pollfd p = { .fd = self->p.rd, .events = POLLIN };
	struct timespec ts = { 0, 10 * 1000000 };

	EXPECT_SYSCALL_RETURNS(0, ppoll(&p, 1, &ts, &self->usr1));
	EXPECT_EQ(0, poll_handled);
	/* Control: unblocking it now runs the handler. */
	SC_OK(sigprocmask(SIG_UNBLOCK, &self->usr1, NULL));
	EXPECT_EQ(1, poll_handled);
}

/* POLL-08 select(2): pselect() whose mask unblocks a pending SIGUSR1 runs the handler during the call, fails EINTR, and restores the mask. */
TEST_F(pending, pselect_mask_delivers_pending_signal_eintr)
{
	struct timespec zero = { 0, 0 }, ts = { 1, 0 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	/* Control: blocked, the signal stays pending and does not disturb a wait. */
	ASSERT_SYSCALL_RETURNS(0, pselect(self->p.rd + 1, &r, NULL, NULL, &zero, NULL));
	ASSERT_EQ(0, poll_handled);
	FD_SET(self->p.rd, &r);
	EXPECT_SYSCALL_FAILS(EINTR, pselect(self->p.rd + 1, &r, NULL, NULL, &ts, &self->none));
	EXPECT_EQ(1, poll_handled);
	EXPECT_MASK_RESTORED();
}

/* POLL-08 select(2): pselect() whose mask keeps the pending SIGUSR1 blocked times out (10 ms) without running the handler. */
TEST_F(pending, pselect_mask_keeps_signal_blocked)
{
	struct timespec ts = { 0, 10 * 1000000 };
	fd_set r;

	FD_ZERO(&r);
	FD_SET(self->p.rd, &r);
	EXPECT_SYSCALL_RETURNS(0, pselect(self->p.rd + 1, &r, NULL, NULL, &ts, &self->usr1));
	EXPECT_EQ(0, poll_handled);
	SC_OK(sigprocmask(SIG_UNBLOCK, &self->usr1, NULL));
	EXPECT_EQ(1, poll_handled);
}

TEST_HARNESS_MAIN
