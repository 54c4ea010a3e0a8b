// SPDX-License-Identifier: GPL-2.0-only
/*
 * Edge-triggered epoll (EPOLLET): an event per change of state, not per
 * epoll_wait(); the stall on a half-drained descriptor; new data gives a new
 * event; drain to EAGAIN; EPOLL_CTL_MOD re-evaluates readiness.
 * Every "no event" check (epoll_wait(..., 0) == 0) is paired with a level-triggered
 * instance watching the same pipe, which must report it at that moment.
 * Man pages: epoll(7), epoll_ctl(2).
 */
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include "epoll.h"

FIXTURE(et_pipe) {
	int et, lt;	/* et: EPOLLET on p.rd; lt: the control, plain EPOLLIN */
	struct sc_pipe p;
};

FIXTURE_SETUP(et_pipe)
{
	self->lt = -1;
	if (!epoll_and_pipe(_metadata, &self->et, &self->p))
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	self->lt = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	SC_SETUP(epoll_ctl(self->et, EPOLL_CTL_ADD, self->p.rd,
			   &(struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 1 }));
	SC_SETUP(epoll_ctl(self->lt, EPOLL_CTL_ADD, self->p.rd,
			   &(struct epoll_event){ .events = EPOLLIN, .data.u64 = 2 }));
}

FIXTURE_TEARDOWN(et_pipe)
{
	sc_close(&self->lt);
	epoll_and_pipe_teardown(&self->et, &self->p);
}

static int readable_bytes(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

/* EPOLL-04 epoll(7): with EPOLLET one write is reported by one epoll_wait(), not by the next, while still readable. */
TEST_F(et_pipe, et_reports_one_write_only_once)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_wait(self->et, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->et, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(1, ev.data.u64);
	EXPECT_EQ(0, epoll_wait(self->et, &ev, 1, 0)) {
		TH_LOG("the same edge was reported twice");
	}
	/* Control: the pipe is still readable now. */
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->lt, &ev, 1, 0));
}

/* EPOLL-04 epoll(7): EPOLLET, 2 KiB written, 1 KiB read: the next epoll_wait(..,0) is 0 though 1 KiB is readable. */
TEST_F(et_pipe, et_half_drained_pipe_reports_no_new_event)
{
	static char buf[2048];
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	memset(buf, 'a', sizeof(buf));
	ASSERT_SYSCALL_RETURNS(2048, write(self->p.wr, buf, 2048));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->et, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	ASSERT_SYSCALL_RETURNS(1024, read(self->p.rd, buf, 1024));
	EXPECT_EQ(0, epoll_wait(self->et, &ev, 1, 0)) {
		TH_LOG("a half-drained edge-triggered pipe was reported again");
	}
	/* Controls: 1 KiB is still there, and level-triggered sees it. */
	EXPECT_EQ(1024, readable_bytes(self->p.rd));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->lt, &ev, 1, 0));
}

/*
 * Whether the kernel is a Linux whose pipe_write() woke
 * readers, EPOLLET waiters included, only when the pipe was empty: from 5.5
 * (commit 1b6b26ae7053 "pipe: fix and clarify pipe write wakeup logic") until
 * commit 3a34b13a88ca "pipe: make pipe writes always wake up readers" in 5.14,
 * backported to 5.13.8 and 5.10.56 (5.11 and 5.12 ended without it).
 */
static bool pipe_write_wakes_only_when_empty(void)
{
	long kv = sc_kernel();

	return kv >= SC_KV(5, 5, 0) && kv < SC_KV(5, 14, 0) &&
	       !(kv >= SC_KV(5, 10, 56) && kv < SC_KV(5, 11, 0)) && !(kv >= SC_KV(5, 13, 8));
}

/*
 * EPOLL-05 epoll(7): with EPOLLET a new write produces a new event although the earlier data was not read.
 * Since: always, except Linux 5.5 to 5.13 without commit 3a34b13a88ca (fixed in 5.14, 5.13.8, 5.10.56)
 */
TEST_F(et_pipe, et_new_write_gives_new_event_without_drain)
{
	struct epoll_event ev;
	struct utsname u;
	int n;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->et, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, epoll_wait(self->et, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "y", 1));
	n = epoll_wait(self->et, &ev, 1, 0);
	if (n == 0 && pipe_write_wakes_only_when_empty() && uname(&u) == 0)
		SKIP(return, "needs Linux 5.14, 5.13.8 or 5.10.56 (this is %s, where a write to a"
		     " non-empty pipe wakes no EPOLLET waiter: commit 3a34b13a88ca)", u.release);
	EXPECT_EQ(1, n) {
		TH_LOG("new data on a not drained pipe gave no new edge");
	}
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(2, readable_bytes(self->p.rd));
}

/* EPOLL-05 epoll(7): after a drain until EAGAIN, one further write produces exactly one event. */
TEST_F(et_pipe, et_drain_to_eagain_then_write_gives_one_event)
{
	static char buf[4096];
	struct epoll_event ev[4];
	ssize_t n;

	SC_REQUIRE_FEATURE(epoll);
	memset(buf, 'b', sizeof(buf));
	ASSERT_SYSCALL_RETURNS(3000, write(self->p.wr, buf, 3000));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->et, ev, 4, 0));
	do {
		n = read(self->p.rd, buf, 512);
	} while (n > 0);
	ASSERT_EQ(-1, n);
	ASSERT_EQ(EAGAIN, errno);
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->lt, ev, 4, 0));
	ASSERT_SYSCALL_RETURNS(5, write(self->p.wr, "hello", 5));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->et, ev, 4, 0));
	EXPECT_EQ(EPOLLIN, ev[0].events);
	EXPECT_EQ(0, epoll_wait(self->et, ev, 4, 0)) {
		TH_LOG("one write after the drain gave more than one event");
	}
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->lt, ev, 4, 0));
}

/* EPOLL-06 epoll(7): EPOLL_CTL_MOD with the same events re-reports a still readable ET pipe whose edge was consumed. */
TEST_F(et_pipe, ctl_mod_rearms_consumed_edge_of_ready_fd)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	ASSERT_SYSCALL_RETURNS(1, epoll_wait(self->et, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, epoll_wait(self->et, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->et, EPOLL_CTL_MOD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 3 }));
	EXPECT_EQ(1, epoll_wait(self->et, &ev, 1, 0)) {
		TH_LOG("EPOLL_CTL_MOD did not re-evaluate readiness");
	}
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(3, ev.data.u64);
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->et, &ev, 1, 0));
}

/* EPOLL-06 epoll(7): EPOLL_CTL_MOD of an ET pipe that is not readable reports nothing, until a write does. */
TEST_F(et_pipe, ctl_mod_of_unready_fd_reports_nothing)
{
	struct epoll_event ev;

	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->et, EPOLL_CTL_MOD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 4 }));
	EXPECT_SYSCALL_RETURNS(0, epoll_wait(self->et, &ev, 1, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(self->et, &ev, 1, 0));
	EXPECT_EQ(4, ev.data.u64);
}

TEST_HARNESS_MAIN
