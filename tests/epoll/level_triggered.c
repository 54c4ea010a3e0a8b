// SPDX-License-Identifier: GPL-2.0-only
/*
 * Level-triggered epoll (the default): a ready descriptor is reported by every
 * epoll_wait() until it is drained; the data value of each event is the one of
 * the latest EPOLL_CTL_ADD/MOD; several changes between two waits give one entry.
 * Man pages: epoll(7), epoll_wait(2), epoll_ctl(2).
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "epoll.h"

EPOLL_PIPE_FIXTURE(lt_pipe);

/* EPOLL-03 epoll(7): while a level-triggered pipe holds data every epoll_wait() reports EPOLLIN; drained, none. */
TEST_F(lt_pipe, lt_reports_epollin_until_pipe_drained)
{
	struct epoll_event ev;
	char buf[64];

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 5 }));
	ASSERT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(8, write(self->p.wr, "abcdefgh", 8));
	for (int i = 0; i < 3; i++) {
		ev.events = 0;
		EXPECT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
			TH_LOG("wait %d after the write reported nothing", i + 1);
		}
		EXPECT_EQ(EPOLLIN, ev.events);
	}
	/* Partly drained: still reported. */
	ASSERT_SYSCALL_RETURNS(4, read(self->p.rd, buf, 4));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(4, read(self->p.rd, buf, sizeof(buf)));
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("a drained pipe is still reported");
	}
}

/* EPOLL-09 epoll_wait(2): each event carries the data of the latest EPOLL_CTL_ADD or EPOLL_CTL_MOD. */
TEST_F(lt_pipe, event_data_is_latest_add_or_mod_value)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN,
						      .data.u64 = 0x1122334455667788ULL }));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(0x1122334455667788ULL, ev.data.u64);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 42 }));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(42, ev.data.u64);
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(42, ev.data.u64);
}

/* EPOLL-09 epoll(7): the data field is returned unchanged, whatever it holds (here the fd, then a pointer). */
TEST_F(lt_pipe, event_data_fd_and_pointer_round_trip)
{
	struct epoll_event ev;
	int marker;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.fd = self->p.rd }));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(self->p.rd, ev.data.fd);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.ptr = &marker }));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ((void *)&marker, ev.data.ptr);
}

/* EPOLL-09 epoll(7): several writes between two waits give one entry for the pipe, not one per write. */
TEST_F(lt_pipe, several_writes_merge_into_one_event)
{
	struct epoll_event ev[8];

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 3 }));
	for (int i = 0; i < 5; i++)
		ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, ev, 8, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(3, ev[0].data.u64);
}

/* EPOLL-09 epoll_wait(2): a socket both readable and writable gives one entry with EPOLLIN|EPOLLOUT. */
TEST_F(lt_pipe, readable_and_writable_combine_into_one_entry)
{
	struct epoll_event ev[4];
	struct sc_sockpair sv;

	SC_REQUIRE_FEATURE(epoll);
	sc_sockpair_setup(_metadata, &sv, SOCK_STREAM | SOCK_CLOEXEC);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, sv.fd[0],
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLOUT, .data.u64 = 9 }));
	/* Control: writable only. */
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, ev, 4, 0));
	EXPECT_EQ(EPOLLOUT, ev[0].events);
	ASSERT_SYSCALL_RETURNS(1, write(sv.fd[1], "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, ev, 4, 0));
	EXPECT_EQ(EPOLLIN | EPOLLOUT, ev[0].events);
	EXPECT_EQ(9, ev[0].data.u64);
	sc_sockpair_teardown(&sv);
}

/* EPOLL-08 epoll_ctl(2): only requested events (and EPOLLHUP/EPOLLERR) are reported: a pipe's EPOLLOUT only when asked for. */
TEST_F(lt_pipe, lt_reports_only_requested_events)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.wr,
			       &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 1 }));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLOUT, .data.u64 = 0 }));
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	/* Control: asking for EPOLLOUT on the write end reports it at once. */
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.wr,
			       &(struct epoll_event){ .events = EPOLLOUT, .data.u64 = 1 }));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLOUT, ev.events);
	EXPECT_EQ(1, ev.data.u64);
}

TEST_HARNESS_MAIN
