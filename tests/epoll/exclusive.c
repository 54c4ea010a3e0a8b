// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPOLLEXCLUSIVE: where it is accepted (EPOLL_CTL_ADD only, not with
 * EPOLLONESHOT, not on an epoll target), and its wakeups: N processes, each
 * blocked in epoll_wait() on its own epoll instance watching one listening socket
 * (TCP on 127.0.0.1 or a unix socket), and one incoming connection.
 * Man pages: epoll_ctl(2). Linux: fs/eventpoll.c ep_poll_callback(),
 * kernel/sched/wait.c __wake_up_common().
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "epoll.h"

EPOLL_PIPE_FIXTURE(excl_pipe);

/* EPOLL-16 epoll_ctl(2): EPOLL_CTL_ADD with EPOLLIN|EPOLLEXCLUSIVE succeeds and the fd reports EPOLLIN. */
TEST_F(excl_pipe, ctl_add_with_exclusive_is_accepted)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epollexclusive);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE,
						      .data.u64 = 1 }));
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(1, ev.data.u64);
}

/* EPOLL-16 epoll_ctl(2): EPOLL_CTL_MOD with EPOLLEXCLUSIVE of a plain registration fails with EINVAL. */
TEST_F(excl_pipe, ctl_mod_adding_exclusive_fails_einval)
{
	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epollexclusive);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
}

/* EPOLL-16 epoll_ctl(2): any EPOLL_CTL_MOD of a registration made with EPOLLEXCLUSIVE fails with EINVAL; DEL works. */
TEST_F(excl_pipe, ctl_mod_of_exclusive_registration_fails_einval)
{
	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epollexclusive);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
					       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
	EXPECT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd, &(struct epoll_event){ 0 }));
}

/* EPOLL-16 epoll_ctl(2): EPOLLEXCLUSIVE together with EPOLLONESHOT fails with EINVAL (and adds nothing). */
TEST_F(excl_pipe, exclusive_with_oneshot_fails_einval)
{
	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epollexclusive);
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT }));
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd,
					       &(struct epoll_event){ 0 }));
}

/* EPOLL-16 epoll_ctl(2): EPOLLEXCLUSIVE on an epoll instance as the target fails with EINVAL. */
TEST_F(excl_pipe, exclusive_on_epoll_target_fails_einval)
{
	int inner;

	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epollexclusive);
	inner = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_ADD, inner,
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
	/* Control: without the flag the same target is accepted. */
	EXPECT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, inner,
			       &(struct epoll_event){ .events = EPOLLIN }));
	close(inner);
}

#define NWAITERS 4

/* A waiter process (run_waiter()); it says when it is ready. */
struct waiter {
	int lfd;
	uint32_t extra;
	struct sc_pipe *release, *report;
};

/* N processes blocked in epoll_wait() on one listening socket. */
FIXTURE(listener) {
	struct sc_tmpdir tmp;
	int lfd;
	struct sc_pipe report;	/* each waiter writes one byte to it */
	struct sc_pipe release;	/* a byte in it ends every waiter's wait */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	struct waiter w[NWAITERS];
	struct sc_child kids[NWAITERS];
	int nkids;
};

FIXTURE_VARIANT(listener) {
	int domain;
};

FIXTURE_VARIANT_ADD(listener, tcp) { .domain = AF_INET };
FIXTURE_VARIANT_ADD(listener, unix) { .domain = AF_UNIX };

FIXTURE_SETUP(listener)
{
	self->lfd = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	sc_pipe_setup(_metadata, &self->report, O_CLOEXEC);
	sc_pipe_setup(_metadata, &self->release, O_CLOEXEC);
	self->lfd = SC_SETUP(socket(variant->domain, SOCK_STREAM | SOCK_CLOEXEC, 0));
	memset(&self->addr, 0, sizeof(self->addr));
	if (variant->domain == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&self->addr;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		self->addrlen = sizeof(*sin);
	} else {
		struct sockaddr_un *sun = (struct sockaddr_un *)&self->addr;

		sun->sun_family = AF_UNIX;
		strcpy(sun->sun_path, "listener.sock");	/* in the private temp dir */
		self->addrlen = sizeof(*sun);
	}
	SC_SETUP(bind(self->lfd, (struct sockaddr *)&self->addr, self->addrlen));
	SC_SETUP(listen(self->lfd, NWAITERS));
	SC_SETUP(getsockname(self->lfd, (struct sockaddr *)&self->addr, &self->addrlen));
}

FIXTURE_TEARDOWN(listener)
{
	for (int i = 0; i < self->nkids; i++) {
		if (!self->kids[i].ended && self->kids[i].pid > 0)
			kill(self->kids[i].pid, SIGKILL);
		sc_child_end(&self->kids[i]);
	}
	sc_close(&self->lfd);
	sc_pipe_teardown(&self->report);
	sc_pipe_teardown(&self->release);
	sc_tmpdir_teardown(&self->tmp);
}

/*
 * A waiter: its own epoll instance with the listening socket (EPOLLIN|EXTRA,
 * data 1) and the release pipe (EPOLLIN, data 2), says it is ready, then one
 * epoll_wait(). It writes to REPORT 'L' when the listener's event is among what
 * the wait returned (alone or with the release), 'R' for the release alone, 't'
 * for a timeout, 'e' for an error.
 */
static int run_waiter(void *data)
{
	struct waiter *w = data;
	struct epoll_event ev[2];
	int ep = epoll_create1(EPOLL_CLOEXEC), n;
	char r;

	if (ep < 0)
		return sc_child_error("epoll_create1() -> %s", sc_errname(errno));
	if (epoll_ctl(ep, EPOLL_CTL_ADD, w->lfd,
		      &(struct epoll_event){ .events = EPOLLIN | w->extra, .data.u64 = 1 }) ||
	    epoll_ctl(ep, EPOLL_CTL_ADD, w->release->rd,
		      &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 2 }))
		return sc_child_error("epoll_ctl(EPOLL_CTL_ADD) -> %s", sc_errname(errno));
	sc_child_send();
	n = epoll_wait(ep, ev, 2, SC_WAIT_MS);
	r = n > 0 ? 'R' : n == 0 ? 't' : 'e';
	for (int i = 0; i < n; i++) {
		if (ev[i].data.u64 == 1)
			r = 'L';
	}
	if (write(w->report->wr, &r, 1) != 1)
		return sc_child_error("write(report) -> %s", sc_errname(errno));
	return SC_CHILD_OK;
}

/* Start the NWAITERS waiters and wait until each sleeps in epoll_wait(); NULL, or what failed. */
static const char *start_waiters(FIXTURE_DATA(listener) *self, uint32_t extra)
{
	for (int i = 0; i < NWAITERS; i++) {
		struct sc_child *c = &self->kids[self->nkids++];

		self->w[i] = (struct waiter){ .lfd = self->lfd, .extra = extra,
					      .release = &self->release, .report = &self->report };
		if (sc_child_start(c, "a waiter", run_waiter, &self->w[i], SC_READY_ONLY) ||
		    sc_child_report(c)) {
			sc_child_end(c);
			return c->text;
		}
	}
	for (int i = 0; i < NWAITERS; i++) {
		if (sc_wait_blocked(self->kids[i].pid))
			return "a waiter did not block";
	}
	return NULL;
}

/*
 * How many of the NWAITERS waiters (EPOLLIN|EXTRA on the listener) got the event
 * of one connection. On Linux a wakeup of the listener calls the callbacks of the
 * instances in its wait queue in turn; with EPOLLEXCLUSIVE it queues the event on
 * each until one of them has a waiter blocked in epoll_wait(), and stops there:
 * with every waiter blocked, a wakeup reaches exactly one instance (one or more
 * for the connection, as epoll_ctl(2) says, but not all 4). Nothing is left to
 * timing:
 *  1. every waiter sleeps in epoll_wait() before the connection is made;
 *  2. one connection, then the first report (bounded wait), normally an 'L';
 *  3. registering the listener in a scratch epoll instance takes the wait-queue
 *     lock of the listener, which a wakeup holds while it calls the waiters'
 *     callbacks: once that returns, the connection's wakeup (for TCP it may run
 *     in softirq context after connect() returned) has queued the event on every
 *     instance it ever will;
 *  4. a byte on the release pipe wakes every waiter: an instance that got the
 *     connection's event reports 'L' (its ready list holds it), any other 'R'.
 * Returns the 'L' count, or -1 with *WHY set (a setup error).
 */
static int count_listener_events(FIXTURE_DATA(listener) *self, uint32_t extra,
				 const char **why)
{
	int c, scratch, reports = 0, events = 0;
	char r;

	*why = start_waiters(self, extra);
	if (*why)
		return -1;
	c = socket(self->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&self->addr, self->addrlen)) {
		*why = "connect";
		if (c >= 0)
			close(c);
		return -1;
	}
	if (sc_read_full(self->report.rd, &r, 1) == 0) {
		reports++;
		events += r == 'L';
	}
	scratch = epoll_create1(EPOLL_CLOEXEC);
	if (scratch < 0 || epoll_ctl(scratch, EPOLL_CTL_ADD, self->lfd,
				     &(struct epoll_event){ .events = EPOLLIN }))
		*why = "epoll_ctl on the listener";
	else if (sc_release(&self->release))
		*why = "release";
	while (!*why && reports < NWAITERS && sc_read_full(self->report.rd, &r, 1) == 0) {
		reports++;
		events += r == 'L';
	}
	if (!*why && reports < NWAITERS)
		*why = "a waiter did not report";
	for (int i = 0; !*why && i < NWAITERS; i++) {
		if (sc_child_end(&self->kids[i]) != SC_CHILD_OK)
			*why = self->kids[i].text;
	}
	close(scratch);
	close(c);
	return *why ? -1 : events;
}

/* EPOLL-17 epoll_ctl(2): without EPOLLEXCLUSIVE one connection reaches all 4 processes blocked on the listener. */
TEST_F(listener, without_exclusive_connection_wakes_all_waiters)
{
	const char *why = NULL;
	int woken;

	SC_REQUIRE_FEATURE(epoll);
	woken = count_listener_events(self, 0, &why);
	if (woken < 0)
		SC_ERROR("%s: %s", why, sc_errname(errno));
	EXPECT_EQ(NWAITERS, woken);
}

/* EPOLL-17 epoll_ctl(2): with EPOLLEXCLUSIVE one connection reaches one or more, not all, of 4 processes blocked on the listener. */
TEST_F(listener, exclusive_connection_wakes_one_or_more_but_not_all)
{
	const char *why = NULL;
	int woken;

	SC_REQUIRE_FEATURE(epoll);
	SC_REQUIRE_FEATURE(epollexclusive);
	woken = count_listener_events(self, EPOLLEXCLUSIVE, &why);
	if (woken < 0)
		SC_ERROR("%s: %s", why, sc_errname(errno));
	EXPECT_LE(1, woken);
	EXPECT_GT(NWAITERS, woken) {
		TH_LOG("EPOLLEXCLUSIVE: all %d blocked waiters got the event", NWAITERS);
	}
	TH_LOG("EPOLLEXCLUSIVE: %d of %d blocked waiters got the event", woken, NWAITERS);
}

TEST_HARNESS_MAIN
