// SPDX-License-Identifier: GPL-2.0-only
/*
 * epoll_wait() while another thread acts: an EPOLL_CTL_ADD or a write by a second
 * thread wakes the waiter; timeout -1 and epoll_pwait2(NULL) wait for the event;
 * an empty interest list waits for the timeout; a signal handler (even with
 * SA_RESTART) makes epoll_wait() fail with EINTR.
 * The helper thread acts only once the waiter sleeps in the kernel
 * (sc_wait_blocked_tid); waits without timeout are bounded by a SIGALRM watchdog
 * (handler without SA_RESTART: a lost wakeup ends in EINTR, not in a hang).
 * Man pages: epoll_wait(2), signal(7).
 */
#include <pthread.h>
#include "epoll.h"

#define WATCHDOG_S 3	/* bound of the waits without timeout */

enum act { ACT_WRITE, ACT_ADD, ACT_SIGNAL };

struct actor {
	pthread_t thread, waiter;
	pid_t waiter_tid;	/* the thread that waits, for sc_wait_blocked_tid */
	enum act act;
	int ep, fd;		/* ACT_ADD: fd added to ep; ACT_WRITE: fd written */
	int blocked;		/* sc_wait_blocked_tid() result */
	int err;		/* errno of the action, 0 if it worked */
	bool started;		/* the thread runs (until stop_actor()) */
};

static void *actor_main(void *arg)
{
	struct actor *a = arg;
	sigset_t all;
	int r = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	a->blocked = sc_wait_blocked_tid(getpid(), a->waiter_tid);
	switch (a->act) {
	case ACT_WRITE:
		r = write(a->fd, "w", 1) == 1 ? 0 : errno;
		break;
	case ACT_ADD:
		r = epoll_ctl(a->ep, EPOLL_CTL_ADD, a->fd,
			      &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 33 }) ? errno : 0;
		break;
	case ACT_SIGNAL:
		r = pthread_kill(a->waiter, SIGUSR1);
		break;
	}
	a->err = r;
	return NULL;
}

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		handled++;
}

/* Start the helper thread A that does ACT (on EP, FD) once the calling thread blocks: 0, or an errno. */
static int start_actor(struct actor *a, enum act act, int ep, int fd)
{
	int err;

	*a = (struct actor){ .waiter = pthread_self(), .waiter_tid = gettid(),
			     .act = act, .ep = ep, .fd = fd };
	err = pthread_create(&a->thread, NULL, actor_main, a);
	a->started = err == 0;
	return err;
}

/* Join the helper thread A if it runs (teardown too). */
static void stop_actor(struct actor *a)
{
	if (a->started)
		pthread_join(a->thread, NULL);
	a->started = false;
}

FIXTURE(waiter_thread) {
	int ep;
	struct sc_pipe p;
	struct actor actor;
};

FIXTURE_SETUP(waiter_thread)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */

	if (!epoll_and_pipe(_metadata, &self->ep, &self->p))
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	SC_SETUP(sigaction(SIGALRM, &sa, NULL));
	alarm(WATCHDOG_S);
}

FIXTURE_TEARDOWN(waiter_thread)
{
	alarm(0);
	stop_actor(&self->actor);
	epoll_and_pipe_teardown(&self->ep, &self->p);
}

/* Join the helper; its action must have worked. */
#define JOIN_ACTOR() do {						\
	stop_actor(&self->actor);					\
	EXPECT_EQ(0, self->actor.err) {					\
		TH_LOG("helper action failed: %s", sc_errname(self->actor.err));\
	}								\
} while (0)

/* EPOLL-15 epoll_wait(2): a ready fd added by another thread during epoll_wait() wakes the waiter with its event. */
TEST_F(waiter_thread, add_from_other_thread_wakes_waiter)
{
	struct epoll_event ev = { 0 };
	int n;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_EQ(0, start_actor(&self->actor, ACT_ADD, self->ep, self->p.rd));
	n = epoll_wait(self->ep, &ev, 1, SC_WAIT_MS);
	JOIN_ACTOR();
	EXPECT_EQ(1, n) {
		TH_LOG("epoll_wait -> %d %s (helper saw waiter blocked: %d)", n,
		       n < 0 ? sc_errname(errno) : "", self->actor.blocked);
	}
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(33, ev.data.u64);
}

/* EPOLL-10 EPOLL-15 epoll_wait(2): epoll_wait() with timeout -1 returns when another thread writes the pipe. */
TEST_F(waiter_thread, timeout_minus_one_waits_until_event)
{
	struct epoll_event ev = { 0 };
	int n, err;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 8 }));
	ASSERT_EQ(0, start_actor(&self->actor, ACT_WRITE, self->ep, self->p.wr));
	n = epoll_wait(self->ep, &ev, 1, -1);
	err = errno;
	JOIN_ACTOR();
	EXPECT_EQ(1, n) {
		TH_LOG("epoll_wait(-1) -> %d %s", n, n < 0 ? sc_errname(err) : "");
	}
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(8, ev.data.u64);
}

/* EPOLL-19 epoll_wait(2): epoll_pwait2() with a NULL timeout waits until another thread makes the pipe readable. */
TEST_F(waiter_thread, epoll_pwait2_null_timeout_waits_until_event)
{
	struct epoll_event ev = { 0 };
	int n, err;

	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epoll_pwait2);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 9 }));
	ASSERT_EQ(0, start_actor(&self->actor, ACT_WRITE, self->ep, self->p.wr));
	n = epoll_pwait2(self->ep, &ev, 1, NULL, NULL);
	err = errno;
	JOIN_ACTOR();
	EXPECT_EQ(1, n) {
		TH_LOG("epoll_pwait2(NULL) -> %d %s", n, n < 0 ? sc_errname(err) : "");
	}
	EXPECT_EQ(9, ev.data.u64);
}

/* EPOLL-15 epoll_wait(2): epoll_wait() on an empty interest list returns 0 after at least its timeout (50 ms). */
TEST_F(waiter_thread, empty_interest_list_waits_for_timeout)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	EXPECT_RETURNS_0_AFTER_MS(50, epoll_wait(self->ep, &ev, 1, 50));
	/* Control: the same instance reports a ready fd once one is added. */
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
}

FIXTURE(interrupted_waiter) {
	int ep;
	struct actor actor;
};

FIXTURE_VARIANT(interrupted_waiter) {
	int sa_flags;
};

FIXTURE_VARIANT_ADD(interrupted_waiter, sa_restart) { .sa_flags = SA_RESTART };
FIXTURE_VARIANT_ADD(interrupted_waiter, no_restart) { .sa_flags = 0 };

FIXTURE_SETUP(interrupted_waiter)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = variant->sa_flags };

	self->ep = -1;
	if (sc_feature(epoll)->status != SC_SUPPORTED)
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	self->ep = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	SC_SETUP(sigaction(SIGUSR1, &sa, NULL));
}

FIXTURE_TEARDOWN(interrupted_waiter)
{
	stop_actor(&self->actor);
	sc_close(&self->ep);
}

/* EPOLL-20 signal(7): a handled signal makes a blocked epoll_wait() fail with EINTR, even with SA_RESTART. */
TEST_F(interrupted_waiter, epoll_wait_interrupted_by_handler_fails_eintr)
{
	struct epoll_event ev;
	int n, err;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_EQ(0, start_actor(&self->actor, ACT_SIGNAL, -1, -1));
	/* One signal and a 2 s timeout: a wrongly restarted wait returns 0, it does not hang. */
	n = epoll_wait(self->ep, &ev, 1, 2000);
	err = errno;
	stop_actor(&self->actor);
	ASSERT_EQ(0, self->actor.err);
	EXPECT_EQ(1, handled);
	EXPECT_EQ(-1, n);
	EXPECT_EQ(EINTR, n == -1 ? err : 0) {
		TH_LOG("epoll_wait -> %d %s (waiter blocked: %d)", n,
		       n < 0 ? sc_errname(err) : "", self->actor.blocked);
	}
}

TEST_HARNESS_MAIN
