// SPDX-License-Identifier: GPL-2.0-only
/*
 * EPOLLONESHOT: one event, then the registration is disabled (not removed)
 * until EPOLL_CTL_MOD re-arms it. Each "no event" check is paired with a
 * level-triggered control instance on the same pipe that reports it.
 * Man pages: epoll_ctl(2), epoll(7).
 */
#include "epoll.h"

FIXTURE(oneshot_pipe) {
	int ep, lt;	/* ep: EPOLLIN|EPOLLONESHOT on p.rd; lt: control */
	struct sc_pipe p;
};

FIXTURE_VARIANT(oneshot_pipe) {
	uint32_t extra;		/* added to EPOLLIN|EPOLLONESHOT */
};

FIXTURE_VARIANT_ADD(oneshot_pipe, level) { .extra = 0 };
FIXTURE_VARIANT_ADD(oneshot_pipe, edge) { .extra = EPOLLET };

FIXTURE_SETUP(oneshot_pipe)
{
	self->lt = -1;
	if (!epoll_and_pipe(_metadata, &self->ep, &self->p))
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	self->lt = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	SC_SETUP(epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			   &(struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT | variant->extra,
						  .data.u64 = 1 }));
	SC_SETUP(epoll_ctl(self->lt, EPOLL_CTL_ADD, self->p.rd,
			   &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 2 }));
}

FIXTURE_TEARDOWN(oneshot_pipe)
{
	sc_close(&self->lt);
	epoll_and_pipe_teardown(&self->ep, &self->p);
}

/* EPOLL-07 epoll_ctl(2): after one EPOLLONESHOT event a still readable pipe is not reported again. */
TEST_F(oneshot_pipe, oneshot_reports_once_while_still_ready)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(1, ev.data.u64);
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("EPOLLONESHOT registration reported a second time");
	}
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->lt, &ev, 1, 0));
}

/* EPOLL-07 epoll_ctl(2): new data does not re-arm a disabled EPOLLONESHOT registration. */
TEST_F(oneshot_pipe, oneshot_new_data_does_not_rearm)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "y", 1));
	EXPECT_EQ(0, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("a write re-armed a disabled EPOLLONESHOT registration");
	}
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->lt, &ev, 1, 0));
}

/* EPOLL-07 epoll_ctl(2): EPOLL_CTL_MOD re-arms a disabled EPOLLONESHOT registration, again for one event. */
TEST_F(oneshot_pipe, oneshot_ctl_mod_rearms_for_one_event)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLONESHOT | variant->extra,
						      .data.u64 = 5 }));
	EXPECT_EQ(1, epoll_wait(self->ep, &ev, 1, 0)) {
		TH_LOG("EPOLL_CTL_MOD did not re-arm the registration");
	}
	EXPECT_EQ(5, ev.data.u64);
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
}

/* EPOLL-07 epoll_ctl(2): a disabled EPOLLONESHOT descriptor stays registered: ADD fails with EEXIST, DEL succeeds. */
TEST_F(oneshot_pipe, oneshot_disabled_fd_stays_registered)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->ep, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, epoll_wait(self->ep, &ev, 1, 0));
	EXPECT_SYSCALL_FAILS(EEXIST, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
					       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd, &(struct epoll_event){ 0 }));
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd,
					       &(struct epoll_event){ 0 }));
}

TEST_HARNESS_MAIN
