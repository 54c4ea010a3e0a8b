// SPDX-License-Identifier: GPL-2.0-only
/*
 * epoll_wait() and its variants without other threads: maxevents, timeouts
 * (lower bounds only), rotation among ready descriptors with maxevents = 1,
 * epoll_pwait()'s atomic signal mask, epoll_pwait2()'s struct timespec.
 * Man pages: epoll_wait(2), epoll(7).
 */
#include "epoll.h"

FIXTURE(waiter) {
	int ep;
	struct sc_pipe p;	/* p.rd registered for EPOLLIN, data 1 */
};

FIXTURE_SETUP(waiter)
{
	if (!epoll_and_pipe(_metadata, &self->ep, &self->p))
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	SC_SETUP(epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			   &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 1 }));
}

FIXTURE_TEARDOWN(waiter)
{
	epoll_and_pipe_teardown(&self->ep, &self->p);
}

/* EPOLL-10 epoll_wait(2): maxevents 0 or -1 fails with EINVAL, even with an event ready. */
TEST_F(waiter, maxevents_nonpositive_fails_einval)
{
	volatile int zero = 0, minus_one = -1;	/* hidden from the compiler's range checks */
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_wait(self->ep, &ev, zero, 0));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_wait(self->ep, &ev, minus_one, 0));
	/* Control: maxevents 1 reports the event. */
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
}

/* EPOLL-10 epoll_wait(2): timeout 0 returns 0 when nothing is ready, and the ready count once something is. */
TEST_F(waiter, timeout_zero_returns_zero_when_nothing_ready)
{
	struct epoll_event ev[2];

	SC_REQUIRE_FEATURE(epoll);
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->ep, ev, 2, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, ev, 2, 0));
	EXPECT_EQ(1, ev[0].data.u64);
}

/* EPOLL-10 epoll_wait(2): timeout 60 with nothing ready returns 0 after at least 60 ms. */
TEST_F(waiter, timeout_n_returns_zero_after_at_least_n_ms)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	EXPECT_RETURNS_0_AFTER_MS(60, epoll_wait(self->ep, &ev, 1, 60));
}

/* EPOLL-10 epoll_wait(2): with an event ready, epoll_wait() with a 5 s timeout returns it before the timeout. */
TEST_F(waiter, ready_event_returns_before_timeout)
{
	struct epoll_event ev;
	int64_t t0, elapsed;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	t0 = sc_now_ns();
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, SC_WAIT_MS));
	elapsed = sc_now_ns() - t0;
	EXPECT_GT(SC_WAIT_MS * 1000000LL, elapsed);
}

/* EPOLL-11 epoll_wait(2): three ready LT pipes polled with maxevents = 1 come out in three different calls. */
TEST_F(waiter, rotation_maxevents_one_reports_each_ready_fd)
{
	struct epoll_event ev;
	struct sc_pipe p[3];
	unsigned int seen = 0;

	SC_REQUIRE_FEATURE(epoll);
	for (int i = 0; i < 3; i++) {
		sc_pipe_setup(_metadata, &p[i], O_CLOEXEC);
		ASSERT_SYSCALL_RETURNS(1, write(p[i].wr, "x", 1));
		ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, p[i].rd,
				       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 10 + i }));
	}
	for (int call = 0; call < 3; call++) {
		ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
		ASSERT_LE(10, ev.data.u64);
		ASSERT_GT(13, ev.data.u64);
		EXPECT_EQ(0, seen & (1U << (ev.data.u64 - 10))) {
			TH_LOG("call %d reported pipe %llu again", call + 1,
			       (unsigned long long)ev.data.u64 - 10);
		}
		seen |= 1U << (ev.data.u64 - 10);
	}
	EXPECT_EQ(7, seen);
	for (int i = 0; i < 3; i++)
		sc_pipe_teardown(&p[i]);
}

static volatile sig_atomic_t usr1_count;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_count++;
}

/* EPOLL-18 epoll_wait(2): with SIGUSR1 blocked and pending, epoll_pwait() unblocking it runs the handler, fails EINTR, restores the mask. */
TEST_F(waiter, epoll_pwait_mask_delivers_pending_signal_eintr)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct epoll_event ev;
	sigset_t usr1, none, now;

	SC_REQUIRE_FEATURE(epoll);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&none);
	ASSERT_SYSCALL_RETURNS(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_SYSCALL_RETURNS(0, sigprocmask(SIG_BLOCK, &usr1, NULL));
	ASSERT_SYSCALL_RETURNS(0, raise(SIGUSR1));
	/* Control: blocked, the signal stays pending and does not disturb a wait. */
	ASSERT_SYSCALL_RETURNS(0, epoll_pwait(self->ep, &ev, 1, 0, NULL));
	ASSERT_EQ(0, usr1_count);
	EXPECT_SYSCALL_FAILS(EINTR, epoll_pwait(self->ep, &ev, 1, SC_WAIT_MS, &none));
	EXPECT_EQ(1, usr1_count);
	ASSERT_SYSCALL_RETURNS(0, sigprocmask(SIG_BLOCK, NULL, &now));
	EXPECT_EQ(1, sigismember(&now, SIGUSR1)) {
		TH_LOG("epoll_pwait() left its temporary mask in force");
	}
}

/* EPOLL-18 epoll_wait(2): epoll_pwait() whose mask keeps a pending signal blocked times out without running the handler. */
TEST_F(waiter, epoll_pwait_mask_keeps_signal_blocked)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct epoll_event ev;
	sigset_t usr1;

	SC_REQUIRE_FEATURE(epoll);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ASSERT_SYSCALL_RETURNS(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_SYSCALL_RETURNS(0, sigprocmask(SIG_BLOCK, &usr1, NULL));
	ASSERT_SYSCALL_RETURNS(0, raise(SIGUSR1));
	EXPECT_SYSCALL_RETURNS(0, epoll_pwait(self->ep, &ev, 1, 10, &usr1));
	EXPECT_EQ(0, usr1_count);
	/* Control: unblocking it now runs the handler. */
	ASSERT_SYSCALL_RETURNS(0, sigprocmask(SIG_UNBLOCK, &usr1, NULL));
	EXPECT_EQ(1, usr1_count);
}

/* EPOLL-19 epoll_wait(2): epoll_pwait2() with timeout {0, 0} returns 0 at once, or the ready count. */
TEST_F(waiter, epoll_pwait2_zero_timespec_returns_at_once)
{
	struct timespec zero = { 0, 0 };
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epoll_pwait2);
	EXPECT_SYSCALL_RETURNS(0, epoll_pwait2(self->ep, &ev, 1, &zero, NULL));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, epoll_pwait2(self->ep, &ev, 1, &zero, NULL));
	EXPECT_EQ(1, ev.data.u64);
}

/* EPOLL-19 epoll_wait(2): epoll_pwait2() with timeout {0, 30000000} returns 0 after at least 30 ms. */
TEST_F(waiter, epoll_pwait2_nanosecond_timeout_lower_bound)
{
	struct timespec ts = { 0, 30 * 1000000 };
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epoll_pwait2);
	EXPECT_RETURNS_0_AFTER_MS(30, epoll_pwait2(self->ep, &ev, 1, &ts, NULL));
}

TEST_HARNESS_MAIN
