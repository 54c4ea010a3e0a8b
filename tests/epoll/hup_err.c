// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events reported without being asked for (EPOLLHUP, EPOLLERR) and EPOLLRDHUP
 * of a stream socket whose peer shuts down writing or closes.
 * Man pages: epoll_ctl(2), epoll(7).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "epoll.h"

EPOLL_PIPE_FIXTURE(pipe_ends);

/* EPOLL-08 epoll_ctl(2): a pipe read end registered with events = 0 reports EPOLLHUP once the writer closes. */
TEST_F(pipe_ends, read_end_reports_unrequested_hup)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = 0, .data.u64 = 1 }));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("unrequested EPOLLIN was reported");
	}
	ASSERT_SYSCALL_RETURNS(0, close(self->p.wr));
	self->p.wr = -1;
	ASSERT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("no EPOLLHUP after the writer closed");
	}
	EXPECT_EQ(EPOLLHUP, ev.events);
	EXPECT_EQ(1, ev.data.u64);
}

/* EPOLL-08 epoll_ctl(2): a pipe write end registered with events = 0 reports EPOLLERR once the reader closes. */
TEST_F(pipe_ends, write_end_reports_unrequested_err)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.wr,
			       &(struct epoll_event){ .events = 0, .data.u64 = 2 }));
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("unrequested EPOLLOUT was reported");
	}
	ASSERT_SYSCALL_RETURNS(0, close(self->p.rd));
	self->p.rd = -1;
	ASSERT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("no EPOLLERR after the reader closed");
	}
	EXPECT_EQ(EPOLLERR, ev.events & EPOLLERR);
	EXPECT_EQ(0, ev.events & (EPOLLIN | EPOLLOUT));
	EXPECT_EQ(2, ev.data.u64);
}

/* EPOLL-08 epoll_ctl(2): EPOLLHUP reaches a read end registered for EPOLLIN too, together with EPOLLIN for data left. */
TEST_F(pipe_ends, read_end_reports_hup_with_pending_data)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 3 }));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	ASSERT_SYSCALL_RETURNS(0, close(self->p.wr));
	self->p.wr = -1;
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN | EPOLLHUP, ev.events);
}

/* A connected stream pair: AF_UNIX socketpair or TCP over 127.0.0.1. */
FIXTURE(stream_pair) {
	int ep;
	struct sc_sockpair s;	/* fd[0], fd[1]: TCP, the client and the accepted end */
};

FIXTURE_VARIANT(stream_pair) {
	int domain;
};

FIXTURE_VARIANT_ADD(stream_pair, unix) { .domain = AF_UNIX };
FIXTURE_VARIANT_ADD(stream_pair, tcp) { .domain = AF_INET };

/* Wait (at most SC_WAIT_MS) until poll() says FD is readable: 0, or -1. */
static int wait_readable(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, SC_WAIT_MS) == 1 ? 0 : -1;
}

FIXTURE_SETUP(stream_pair)
{
	self->ep = self->s.fd[0] = self->s.fd[1] = -1;
	if (sc_feature(epoll)->status != SC_SUPPORTED)
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	self->ep = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	sc_stream_pair_setup(_metadata, &self->s, variant->domain, SOCK_CLOEXEC);
}

FIXTURE_TEARDOWN(stream_pair)
{
	sc_close(&self->ep);
	sc_sockpair_teardown(&self->s);
}

/* EPOLL-08 epoll_ctl(2): a stream socket reports EPOLLRDHUP (with EPOLLIN) after the peer's shutdown(SHUT_WR). */
TEST_F(stream_pair, rdhup_after_peer_shutdown_wr)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->s.fd[0],
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLRDHUP, .data.u64 = 4 }));
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, shutdown(self->s.fd[1], SHUT_WR));
	/* Control: end of file has arrived (TCP: the FIN crossed loopback). */
	ASSERT_EQ(0, wait_readable(self->s.fd[0]));
	ASSERT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("no event after the peer's shutdown(SHUT_WR)");
	}
	EXPECT_EQ(EPOLLIN | EPOLLRDHUP, ev.events);
	EXPECT_EQ(4, ev.data.u64);
}

/* EPOLL-08 epoll_ctl(2): a stream socket reports EPOLLRDHUP after the peer closes. */
TEST_F(stream_pair, rdhup_after_peer_close)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->s.fd[0],
			       &(struct epoll_event){ .events = EPOLLRDHUP, .data.u64 = 5 }));
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, close(self->s.fd[1]));
	self->s.fd[1] = -1;
	ASSERT_EQ(0, wait_readable(self->s.fd[0]));
	ASSERT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("readable at end of file, but no EPOLLRDHUP event");
	}
	EXPECT_EQ(EPOLLRDHUP, ev.events & EPOLLRDHUP);
	EXPECT_EQ(5, ev.data.u64);
}

/* EPOLL-08 epoll_ctl(2): EPOLLRDHUP is not reported when not requested (peer shut down, only EPOLLIN asked). */
TEST_F(stream_pair, rdhup_not_reported_unless_requested)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->s.fd[0],
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 6 }));
	ASSERT_SYSCALL_RETURNS(0, shutdown(self->s.fd[1], SHUT_WR));
	ASSERT_EQ(0, wait_readable(self->s.fd[0]));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
}

TEST_HARNESS_MAIN
