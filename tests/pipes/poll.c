// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll() and epoll on pipe ends that lost their peers: POLLHUP on the read end
 * once every writer is gone (with POLLIN while data remains), POLLERR on the
 * write end once every reader is gone.
 * Man pages: poll(2), epoll_ctl(2), pipe(7).
 */
#include <sys/epoll.h>

#include "pipes.h"


/* poll() FD for EVENTS waiting at most MS: the revents, or -1 with errno. */
static int revents_of(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, ms);

	return r < 0 ? -1 : p.revents;
}

/* PIPE-22 poll(2): the read end of an empty pipe reports nothing while a writer is open, and POLLHUP without POLLIN once it closes. */
TEST_F(pipe_pair, read_end_reports_pollhup_after_last_writer_closes)
{
	int rev;

	EXPECT_EQ(0, revents_of(self->p.rd, POLLIN, 0));
	sc_close(&self->p.wr);
	rev = revents_of(self->p.rd, POLLIN, 0);
	EXPECT_EQ(POLLHUP, rev & (POLLHUP | POLLIN)) {
		TH_LOG("revents 0x%x after the last writer closed", rev);
	}
}

/* PIPE-22 poll(2): with 2 bytes left after the last writer closes the read end reports POLLIN|POLLHUP, and POLLHUP alone once they are read. */
TEST_F(pipe_pair, read_end_reports_pollin_and_pollhup_while_data_remains)
{
	char buf[2];
	int rev;

	ASSERT_EQ(2, SC_OK(write(self->p.wr, "ab", 2)));
	sc_close(&self->p.wr);
	rev = revents_of(self->p.rd, POLLIN, 0);
	EXPECT_EQ(POLLIN | POLLHUP, rev & (POLLHUP | POLLIN)) {
		TH_LOG("revents 0x%x with data left", rev);
	}
	ASSERT_EQ(2, SC_OK(read(self->p.rd, buf, sizeof(buf))));
	rev = revents_of(self->p.rd, POLLIN, 0);
	EXPECT_EQ(POLLHUP, rev & (POLLHUP | POLLIN)) {
		TH_LOG("revents 0x%x once drained", rev);
	}
}

/* PIPE-22 poll(2): with a dup() of the write end still open, closing fds[1] gives no POLLHUP; closing the dup does. */
TEST_F(pipe_pair, read_end_has_no_pollhup_while_a_writer_remains)
{
	int copy = SC_OK(dup(self->p.wr));
	int rev;

	sc_close(&self->p.wr);
	EXPECT_EQ(0, revents_of(self->p.rd, POLLIN, 0));
	close(copy);
	rev = revents_of(self->p.rd, POLLIN, 0);
	EXPECT_EQ(POLLHUP, rev & (POLLHUP | POLLIN)) {
		TH_LOG("revents 0x%x after the last writer closed", rev);
	}
}

/* PIPE-22 poll(2): the write end reports POLLOUT without POLLERR while a reader is open, and POLLERR once the last reader closes. */
TEST_F(pipe_pair, write_end_reports_pollerr_after_last_reader_closes)
{
	int rev = revents_of(self->p.wr, POLLOUT, 0);

	EXPECT_EQ(POLLOUT, rev & (POLLOUT | POLLERR));
	sc_close(&self->p.rd);
	rev = revents_of(self->p.wr, POLLOUT, 0);
	EXPECT_EQ(POLLERR, rev & POLLERR) {
		TH_LOG("revents 0x%x after the last reader closed", rev);
	}
}

/* A writer that holds its inherited write end until go lets go, then exits. */
static int hold_write_end(void *data)
{
	FIXTURE_DATA(pipe_pair) *self = data;

	close(self->p.rd);
	if (sc_hold(&self->sync, EVENT_MS))
		return sc_child_fail("no go in %d ms", EVENT_MS);
	return SC_CHILD_OK;
}

/* PIPE-22 poll(2): a poll() on the read end wakes with POLLHUP when a child holding the last write end exits. */
TEST_F(pipe_pair, poll_wakes_with_pollhup_when_writer_child_exits)
{
	struct sc_child c;
	int rev;

	SC_CHILD_START(&c, "the writer", hold_write_end, self, 0);
	sc_close(&self->p.wr);
	EXPECT_EQ(0, revents_of(self->p.rd, POLLIN, 0));
	ASSERT_SYSCALL_RETURNS(0, sc_release(&self->sync));
	rev = revents_of(self->p.rd, POLLIN, EVENT_MS);
	EXPECT_EQ(POLLHUP, rev & (POLLHUP | POLLIN)) {
		TH_LOG("revents 0x%x within %d ms of the writer's exit", rev, EVENT_MS);
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* PIPE-22 epoll_ctl(2): epoll reports EPOLLHUP for the read end after the last writer closes and EPOLLERR for the write end after the last reader closes. */
TEST_F(pipe_pair, epoll_reports_hup_and_err_on_widowed_ends)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[2];
	int other[2] = { -1, -1 };
	int ep, n;

	SC_REQUIRE_FEATURE(epoll);
	ep = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	SC_OK(pipe(other));
	ev.data.fd = self->p.rd;
	SC_OK(epoll_ctl(ep, EPOLL_CTL_ADD, self->p.rd, &ev));
	ev.events = EPOLLOUT;
	ev.data.fd = other[1];
	SC_OK(epoll_ctl(ep, EPOLL_CTL_ADD, other[1], &ev));
	close(other[0]);
	sc_close(&self->p.wr);
	n = epoll_wait(ep, out, 2, 0);
	EXPECT_EQ(2, n);
	for (int i = 0; i < n; i++) {
		if (out[i].data.fd == self->p.rd) {
			EXPECT_EQ(EPOLLHUP, out[i].events & (EPOLLHUP | EPOLLIN));
		} else {
			EXPECT_EQ(EPOLLERR, out[i].events & EPOLLERR);
		}
	}
	close(other[1]);
	close(ep);
}

TEST_HARNESS_MAIN
