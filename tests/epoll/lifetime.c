// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a registration is tied to: the open file description, not the fd number
 * (close of one dup, two numbers of one description), several epoll instances
 * on one descriptor, epoll descriptors watched by poll() and by other epoll
 * instances, and the ELOOP refusal of a cycle.
 * Man pages: epoll(7) "Questions and answers", epoll_ctl(2).
 */
#include <sys/socket.h>
#include "epoll.h"

FIXTURE(ready_pipe) {
	int ep;
	struct sc_pipe p;	/* p.wr has written one byte: p.rd is readable */
};

FIXTURE_SETUP(ready_pipe)
{
	if (!epoll_and_pipe(_metadata, &self->ep, &self->p))
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	if (write(self->p.wr, "x", 1) != 1)
		SC_ERROR("write to a new pipe: %s", sc_errname(errno));
}

FIXTURE_TEARDOWN(ready_pipe)
{
	epoll_and_pipe_teardown(&self->ep, &self->p);
}

/* Register p.rd (EPOLLIN, data 77), dup it, close p.rd: the dup, the description's last fd. */
static int register_then_keep_a_dup(struct __test_metadata *_metadata, FIXTURE_DATA(ready_pipe) *self)
{
	int dupfd;

	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 77 }));
	dupfd = SC_OK(dup(self->p.rd));
	ASSERT_SYSCALL_RETURNS(0, close(self->p.rd));
	self->p.rd = -1;
	return dupfd;
}

/* EPOLL-12 epoll(7): closing a registered fd while a dup of it is open keeps the registration; events carry the old data. */
TEST_F(ready_pipe, close_with_dup_open_keeps_registration)
{
	struct epoll_event ev;
	int dupfd;

	SC_REQUIRE_FEATURE(epoll);
	dupfd = register_then_keep_a_dup(_metadata, self);
	ASSERT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("close() of one of two fds removed the registration");
	}
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(77, ev.data.u64);
	close(dupfd);
}

/* EPOLL-12 epoll(7): after that close, EPOLL_CTL_DEL by the closed number fails EBADF and by the dup's number ENOENT. */
TEST_F(ready_pipe, ctl_del_after_close_ebadf_and_dup_enoent)
{
	struct epoll_event ev;
	int dupfd, closed;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 77 }));
	dupfd = SC_OK(dup(self->p.rd));
	closed = self->p.rd;
	ASSERT_SYSCALL_RETURNS(0, close(self->p.rd));
	self->p.rd = -1;
	EXPECT_SYSCALL_FAILS(EBADF, epoll_ctl(self->ep, EPOLL_CTL_DEL, closed,
					      &(struct epoll_event){ 0 }));
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_DEL, dupfd,
					       &(struct epoll_event){ 0 }));
	/* The registration is still there (and reachable by nobody). */
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	close(dupfd);
}

/* EPOLL-12 epoll(7): when the last fd of the description closes, the registration is gone and nothing is reported. */
TEST_F(ready_pipe, close_of_last_dup_removes_registration)
{
	struct epoll_event ev;
	int dupfd;

	SC_REQUIRE_FEATURE(epoll);
	dupfd = register_then_keep_a_dup(_metadata, self);
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, close(dupfd));
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("a closed description is still reported (data %llu)",
		       (unsigned long long)ev.data.u64);
	}
}

/* EPOLL-13 epoll(7): fd and dup(fd) can both be registered, each with its own events and data. */
TEST_F(ready_pipe, two_numbers_of_one_description_have_own_events)
{
	struct epoll_event ev[4];
	uint64_t got = 0;
	struct sc_sockpair sv;
	int d;
	int n;

	SC_REQUIRE_FEATURE(epoll);
	sc_sockpair_setup(_metadata, &sv, SOCK_STREAM | SOCK_CLOEXEC);
	d = SC_OK(dup(sv.fd[0]));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, sv.fd[0],
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 1 }));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, d,
			       &(struct epoll_event){ .events = EPOLLOUT, .data.u64 = 2 }));
	/* Writable only: the EPOLLOUT registration alone. */
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, ev, 4, 0));
	EXPECT_EQ(2, ev[0].data.u64);
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	ASSERT_SYSCALL_RETURNS(1, write(sv.fd[1], "x", 1));
	n = epoll_wait(self->ep, ev, 4, 0);
	ASSERT_EQ(2, n);
	for (int i = 0; i < n; i++) {
		EXPECT_EQ(ev[i].data.u64 == 1 ? EPOLLIN : EPOLLOUT, ev[i].events);
		got |= 1U << ev[i].data.u64;
	}
	EXPECT_EQ(6, got);
	close(d);
	sc_sockpair_teardown(&sv);
}

/* EPOLL-13 epoll(7): two epoll instances watching one pipe (edge-triggered) both receive its event. */
TEST_F(ready_pipe, two_instances_both_receive_event)
{
	struct epoll_event ev;
	int ep2;
	char c;

	SC_REQUIRE_FEATURE(epoll);
	ep2 = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 1 }));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(ep2, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 2 }));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(1, ev.data.u64);
	EXPECT_EQ(1, epoll_wait(ep2, &ev, 1, 0)) {
		TH_LOG("the first instance consumed the second one's edge");
	}
	EXPECT_EQ(2, ev.data.u64);
	/*
	 * A write to the drained pipe: a new edge for each of them (on every kernel;
	 * one to a pipe that still holds data is EPOLL-05's case, not this rule's).
	 */
	ASSERT_SYSCALL_RETURNS(1, read(self->p.rd, &c, 1));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "y", 1));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(ep2, &ev, 1, 0));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	close(ep2);
}

/* EPOLL-14 epoll(7): poll() on an epoll fd reports POLLIN exactly when it has events ready. */
TEST_F(ready_pipe, poll_on_epoll_fd_reports_pollin_when_ready)
{
	struct pollfd pfd = { .fd = self->ep, .events = POLLIN };
	char c;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN }));
	ASSERT_SYSCALL_RETURNS(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents);
	ASSERT_SYSCALL_RETURNS(1, read(self->p.rd, &c, 1));
	pfd.revents = 0;
	EXPECT_EQ(0, poll(&pfd, 1, 0)) {
		TH_LOG("epoll fd with nothing ready polled 0x%x", pfd.revents);
	}
}

/* EPOLL-14 epoll(7): an epoll fd watched by another epoll instance is reported with EPOLLIN when it has events. */
TEST_F(ready_pipe, nested_epoll_reports_inner_readiness)
{
	struct epoll_event ev;
	int outer;
	char c;

	SC_REQUIRE_FEATURE(epoll);
	outer = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(1, read(self->p.rd, &c, 1));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 1 }));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(outer, EPOLL_CTL_ADD, self->ep,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 100 }));
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(outer, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_EQ(1, epoll_wait(outer, &ev, 1, 0)) {
		TH_LOG("outer instance did not see the inner one's event");
	}
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(100, ev.data.u64);
	/* The inner event is still there to be collected. */
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(1, ev.data.u64);
	close(outer);
}

/* EPOLL-14 epoll_ctl(2): adding two epoll instances to each other fails with ELOOP. */
TEST_F(ready_pipe, epoll_instances_added_to_each_other_fail_eloop)
{
	int a, b, c;

	SC_REQUIRE_FEATURE(epoll);
	a = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	b = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	c = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(a, EPOLL_CTL_ADD, b, &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(ELOOP, epoll_ctl(b, EPOLL_CTL_ADD, a,
					      &(struct epoll_event){ .events = EPOLLIN }));
	/* A longer cycle a -> b -> c -> a is refused as well. */
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(b, EPOLL_CTL_ADD, c, &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(ELOOP, epoll_ctl(c, EPOLL_CTL_ADD, a,
					      &(struct epoll_event){ .events = EPOLLIN }));
	close(a);
	close(b);
	close(c);
}

TEST_HARNESS_MAIN
