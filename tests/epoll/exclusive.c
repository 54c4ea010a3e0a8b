// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPOLLEXCLUSIVE: where it is accepted (EPOLL_CTL_ADD only, not with
 * EPOLLONESHOT, not on an epoll target), and its wakeups: N processes, each
 * waiting in its own epoll instance on one listening socket (TCP on 127.0.0.1 or
 * a unix socket), and one incoming connection.
 * Man pages: epoll_ctl(2).
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "epoll.h"

FIXTURE(excl_pipe) {
	int ep, p[2];
};

FIXTURE_SETUP(excl_pipe)
{
	if (!epoll_and_pipe(_metadata, &self->ep, self->p))
		return;	/* each test skips in SC_REQUIRE_FEATURE */
}

FIXTURE_TEARDOWN(excl_pipe)
{
	sc_close_all(3, (int[]){ self->ep, self->p[0], self->p[1] });
}

/* EPOLL-16 epoll_ctl(2): EPOLL_CTL_ADD with EPOLLIN|EPOLLEXCLUSIVE succeeds and the fd reports EPOLLIN. */
TEST_F(excl_pipe, ctl_add_with_exclusive_is_accepted)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE("epoll");
	SC_REQUIRE_FEATURE("epollexclusive");
	ASSERT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p[0],
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE,
						      .data.u64 = 1 }));
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_EQ(1, write(self->p[1], "x", 1));
	ASSERT_EQ(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(1, ev.data.u64);
}

/* EPOLL-16 epoll_ctl(2): EPOLL_CTL_MOD with EPOLLEXCLUSIVE of a plain registration fails with EINVAL. */
TEST_F(excl_pipe, ctl_mod_adding_exclusive_fails_einval)
{
	SC_REQUIRE_FEATURE("epoll");
	SC_REQUIRE_FEATURE("epollexclusive");
	ASSERT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p[0],
			       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p[0],
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
}

/* EPOLL-16 epoll_ctl(2): any EPOLL_CTL_MOD of a registration made with EPOLLEXCLUSIVE fails with EINVAL; DEL works. */
TEST_F(excl_pipe, ctl_mod_of_exclusive_registration_fails_einval)
{
	SC_REQUIRE_FEATURE("epoll");
	SC_REQUIRE_FEATURE("epollexclusive");
	ASSERT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p[0],
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p[0],
					       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p[0],
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
	EXPECT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p[0], &(struct epoll_event){ 0 }));
}

/* EPOLL-16 epoll_ctl(2): EPOLLEXCLUSIVE together with EPOLLONESHOT fails with EINVAL (and adds nothing). */
TEST_F(excl_pipe, exclusive_with_oneshot_fails_einval)
{
	SC_REQUIRE_FEATURE("epoll");
	SC_REQUIRE_FEATURE("epollexclusive");
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p[0],
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT }));
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p[0],
					       &(struct epoll_event){ 0 }));
}

/* EPOLL-16 epoll_ctl(2): EPOLLEXCLUSIVE on an epoll instance as the target fails with EINVAL. */
TEST_F(excl_pipe, exclusive_on_epoll_target_fails_einval)
{
	int inner;

	SC_REQUIRE_FEATURE("epoll");
	SC_REQUIRE_FEATURE("epollexclusive");
	inner = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_ADD, inner,
			&(struct epoll_event){ .events = EPOLLIN | EPOLLEXCLUSIVE }));
	/* Control: without the flag the same target is accepted. */
	EXPECT_EQ(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, inner,
			       &(struct epoll_event){ .events = EPOLLIN }));
	close(inner);
}

#define NWAITERS 4

/* N processes blocked in epoll_wait() on one listening socket. */
FIXTURE(listener) {
	struct sc_tmpdir tmp;
	int lfd, report[2];	/* each waiter writes one byte to report[1] */
	struct sockaddr_storage addr;
	socklen_t addrlen;
	pid_t pid[NWAITERS];
};

FIXTURE_VARIANT(listener) {
	int domain;
};

FIXTURE_VARIANT_ADD(listener, tcp) { .domain = AF_INET };
FIXTURE_VARIANT_ADD(listener, unix) { .domain = AF_UNIX };

FIXTURE_SETUP(listener)
{
	self->lfd = self->report[0] = self->report[1] = -1;
	for (int i = 0; i < NWAITERS; i++)
		self->pid[i] = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(pipe2(self->report, O_CLOEXEC));
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
	for (int i = 0; i < NWAITERS; i++) {
		if (self->pid[i] > 0) {
			kill(self->pid[i], SIGKILL);
			sc_wait(self->pid[i]);
		}
	}
	if (self->lfd >= 0)
		close(self->lfd);
	if (self->report[0] >= 0)
		close(self->report[0]);
	if (self->report[1] >= 0)
		close(self->report[1]);
	sc_tmpdir_teardown(&self->tmp);
}

/*
 * Waiter process: its own epoll instance on the listening socket, "ready" on
 * READY, then one epoll_wait(); writes 'w' (woken by an event), 't' (timed out)
 * or 'e' (error) to REPORT. Exits 0, or 1..3 for a failing setup step.
 */
static int run_waiter(int lfd, uint32_t extra, int ready, int report)
{
	struct epoll_event ev;
	int ep = epoll_create1(EPOLL_CLOEXEC), n;

	if (ep < 0)
		return 1;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &(struct epoll_event){ .events = EPOLLIN | extra }))
		return 2;
	if (sc_signal_ready(ready))
		return 3;
	n = epoll_wait(ep, &ev, 1, SC_WAIT_MS);
	return write(report, n == 1 ? "w" : n == 0 ? "t" : "e", 1) == 1 ? 0 : 4;
}

/*
 * Start NWAITERS waiters (EPOLLIN|EXTRA), wait until all sleep in the kernel,
 * make one connection, and count the 'w' reports that come in the window: until
 * WANT of them came (at most SC_WAIT_MS), then LINGER_MS more for the log.
 * Returns the count, or -1 with *WHY set (a setup error).
 */
#define LINGER_MS 20
static int count_woken(FIXTURE_DATA(listener) *self, uint32_t extra, int want,
		       const char **why)
{
	struct pollfd pfd = { .fd = self->report[0], .events = POLLIN };
	int sync[2], c, woken = 0;
	int64_t deadline, linger = 0;

	for (int i = 0; i < NWAITERS; i++) {
		if (sc_sync_pair(sync)) {
			*why = "sync pipe";
			return -1;
		}
		self->pid[i] = sc_fork();
		if (self->pid[i] == 0) {
			close(sync[0]);
			_exit(run_waiter(self->lfd, extra, sync[1], self->report[1]));
		}
		close(sync[1]);
		c = self->pid[i] > 0 ? sc_wait_ready(sync[0]) : -1;
		close(sync[0]);
		if (c) {
			*why = "waiter did not get ready";
			return -1;
		}
	}
	for (int i = 0; i < NWAITERS; i++) {
		if (sc_wait_blocked(self->pid[i])) {
			*why = "waiter did not block";
			return -1;
		}
	}
	c = socket(self->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&self->addr, self->addrlen)) {
		*why = "connect";
		return -1;
	}
	deadline = sc_now_ns() + (int64_t)SC_WAIT_MS * 1000000;
	for (;;) {
		int64_t now = sc_now_ns(), end = linger ? linger : deadline;
		char r;

		if (now >= end)
			break;
		if (poll(&pfd, 1, (int)((end - now) / 1000000) + 1) != 1 ||
		    read(self->report[0], &r, 1) != 1)
			continue;
		if (r == 'w' && ++woken == want)
			linger = sc_now_ns() + LINGER_MS * 1000000LL;
	}
	close(c);
	return woken;
}

/* EPOLL-17 epoll_ctl(2): without EPOLLEXCLUSIVE one connection wakes all 4 processes waiting on the listener. */
TEST_F(listener, without_exclusive_connection_wakes_all_waiters)
{
	const char *why = NULL;
	int woken;

	SC_REQUIRE_FEATURE("epoll");
	woken = count_woken(self, 0, NWAITERS, &why);
	if (woken < 0)
		SC_ERROR("%s: %s", why, sc_errname(errno));
	EXPECT_EQ(NWAITERS, woken);
}

/* EPOLL-17 epoll_ctl(2): with EPOLLEXCLUSIVE one connection wakes at least one of 4 processes waiting on the listener. */
TEST_F(listener, exclusive_connection_wakes_at_least_one_waiter)
{
	const char *why = NULL;
	int woken;

	SC_REQUIRE_FEATURE("epollexclusive");
	woken = count_woken(self, EPOLLEXCLUSIVE, 1, &why);
	if (woken < 0)
		SC_ERROR("%s: %s", why, sc_errname(errno));
	EXPECT_LE(1, woken);
	TH_LOG("EPOLLEXCLUSIVE: %d of %d waiters woke within %d ms", woken, NWAITERS,
	       LINGER_MS);
}

TEST_HARNESS_MAIN
