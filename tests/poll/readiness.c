// SPDX-License-Identifier: GPL-2.0-only
/*
 * poll() readiness: POLLHUP at end of file, POLLNVAL for a descriptor that is not
 * open, negative descriptors ignored, POLLOUT on a pipe's write end until it is
 * full, regular files always ready, descriptors above FD_SETSIZE.
 * Man pages: poll(2), select(2), pipe(7).
 */
#include "poll.h"

POLL_PIPE_FIXTURE(pipe_pair)
SC_TMPDIR_FIXTURE(file)

FIXTURE(unix_stream) { struct sc_sockpair s; };
FIXTURE_SETUP(unix_stream) { sc_sockpair_setup(_metadata, &self->s, SOCK_STREAM | SOCK_CLOEXEC); }
FIXTURE_TEARDOWN(unix_stream) { sc_sockpair_teardown(&self->s); }

/* POLL-04 poll(2): an empty pipe whose writers are all closed reports POLLHUP on the read end, and read() returns 0. */
TEST_F(pipe_pair, widowed_read_end_reports_pollhup_then_eof)
{
	char c;
	int rev;

	/* Control: with the writer open, nothing is reported. */
	EXPECT_EQ(0, poll_revents(self->p.rd, POLLIN, 0));
	sc_close(&self->p.wr);
	rev = poll_revents(self->p.rd, POLLIN, 0);
	EXPECT_EQ(POLLHUP, rev & (POLLHUP | POLLIN | POLLNVAL | POLLERR)) {
		TH_LOG("revents 0x%x after the last writer closed, expected POLLHUP", rev);
	}
	EXPECT_SYSCALL_RETURNS(0, read(self->p.rd, &c, 1));
}

/* POLL-04 poll(2): POLLHUP of a widowed pipe is reported even when the entry's events are 0. */
TEST_F(pipe_pair, pollhup_reported_without_being_requested)
{
	int rev;

	sc_close(&self->p.wr);
	rev = poll_revents(self->p.rd, 0, 0);
	EXPECT_EQ(POLLHUP, rev) {
		TH_LOG("revents 0x%x with events 0, expected POLLHUP", rev);
	}
}

/* POLL-05 poll(2): an entry whose descriptor is not open gets POLLNVAL and is counted; poll() does not fail. */
TEST_F(pipe_pair, unopened_fd_gets_pollnval_and_is_counted)
{
	int closed = SC_OK(dup(self->p.rd));
	struct pollfd fds[2];

	SC_OK(close(closed));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	fds[0] = (struct pollfd){ .fd = self->p.rd, .events = POLLIN, .revents = 0x7fff };
	fds[1] = (struct pollfd){ .fd = closed, .events = POLLIN, .revents = 0x7fff };
	EXPECT_SYSCALL_RETURNS(2, poll(fds, 2, 0));
	EXPECT_EQ(POLLIN, fds[0].revents);
	EXPECT_EQ(POLLNVAL, fds[1].revents) {
		TH_LOG("revents 0x%x for descriptor %d (not open)", fds[1].revents, closed);
	}
}

/* POLL-05 poll(2): an entry with a negative fd is ignored: revents 0, not counted, even among ready entries. */
TEST_F(pipe_pair, negative_fd_ignored_with_revents_zero)
{
	struct pollfd fds[3] = {
		{ .fd = -1, .events = POLLIN | POLLOUT, .revents = 0x7fff },
		{ .fd = self->p.wr, .events = POLLOUT, .revents = 0x7fff },
		{ .fd = -self->p.wr, .events = POLLOUT, .revents = 0x7fff },
	};

	EXPECT_SYSCALL_RETURNS(1, poll(fds, 3, 0));
	EXPECT_EQ(0, fds[0].revents) {
		TH_LOG("revents 0x%x for fd -1", fds[0].revents);
	}
	EXPECT_EQ(POLLOUT, fds[1].revents);
	EXPECT_EQ(0, fds[2].revents) {
		TH_LOG("revents 0x%x for fd %d", fds[2].revents, -self->p.wr);
	}
}

/* POLL-05 poll(2): an open descriptor with nothing ready gets revents 0 (poll clears what the caller left there). */
TEST_F(pipe_pair, not_ready_entry_gets_revents_zero)
{
	struct pollfd fds[2] = {
		{ .fd = self->p.rd, .events = POLLIN, .revents = 0x7fff },
		{ .fd = self->p.wr, .events = POLLOUT, .revents = 0x7fff },
	};

	EXPECT_SYSCALL_RETURNS(1, poll(fds, 2, 0));
	EXPECT_EQ(0, fds[0].revents) {
		TH_LOG("revents 0x%x for the empty read end", fds[0].revents);
	}
	EXPECT_EQ(POLLOUT, fds[1].revents);
}

/* POLL-09 poll(2): a pipe's write end reports POLLOUT until O_NONBLOCK writes fill it to EAGAIN, and again once it is drained. */
TEST_F(pipe_pair, write_end_pollout_stops_when_full)
{
	static char buf[4096];
	ssize_t n;
	int rev, i;

	EXPECT_EQ(POLLOUT, poll_revents(self->p.wr, POLLOUT, 0));
	SC_OK(fcntl(self->p.wr, F_SETFL, O_NONBLOCK));
	SC_OK(fcntl(self->p.rd, F_SETFL, O_NONBLOCK));
	for (i = 0; i < 1024 && (n = write(self->p.wr, buf, sizeof(buf))) > 0; i++)
		;
	ASSERT_GT(1024, i);
	ASSERT_EQ(EAGAIN, errno);
	rev = poll_revents(self->p.wr, POLLOUT, 0);
	EXPECT_EQ(0, rev) {
		TH_LOG("revents 0x%x on a full pipe (%d pages written)", rev, i);
	}
	while (read(self->p.rd, buf, sizeof(buf)) > 0)
		;
	EXPECT_EQ(POLLOUT, poll_revents(self->p.wr, POLLOUT, 0));
}

/* POLL-10 poll(2): a regular file opened O_RDWR polls POLLIN|POLLOUT at once, even empty. */
TEST_F(file, regular_file_always_ready)
{
	int fd = SC_FILE_AT("f", "", 0, O_RDWR);
	int rev;

	rev = poll_revents(fd, POLLIN | POLLOUT, 0);
	EXPECT_EQ(POLLIN | POLLOUT, rev) {
		TH_LOG("revents 0x%x for an empty regular file", rev);
	}
	rev = poll_revents(fd, POLLIN, SC_WAIT_MS);
	EXPECT_EQ(POLLIN, rev);
	close(fd);
}

/* POLL-10 select(2): select() reports a regular file readable and writable at once. */
TEST_F(file, regular_file_selects_ready)
{
	int fd = SC_FILE_AT("f", "abc", 3, O_RDWR);
	struct timeval tv = { 0, 0 };
	fd_set r, w;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	EXPECT_SYSCALL_RETURNS(2, select(fd + 1, &r, &w, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(fd, &r));
	EXPECT_TRUE(FD_ISSET(fd, &w));
	close(fd);
}

/* POLL-01 poll(2): poll() reports POLLIN normally for a pipe read end dup2()'d to descriptor 1500. */
TEST_F(pipe_pair, poll_watches_descriptor_above_fd_setsize)
{
	struct rlimit rl;
	int high = 1500, rev;

	SC_SETUP(getrlimit(RLIMIT_NOFILE, &rl));
	if (rl.rlim_cur <= (rlim_t)high) {
		rl.rlim_cur = high + 1;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;	/* allowed with CAP_SYS_RESOURCE */
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM)
			SKIP(return, "needs RLIMIT_NOFILE above %d (hard limit below, EPERM raising it)", high);
		SC_SETUP(getrlimit(RLIMIT_NOFILE, &rl));
		if (rl.rlim_cur <= (rlim_t)high)
			SC_ERROR("setrlimit(RLIMIT_NOFILE, %d) did not raise the soft limit", high + 1);
	}
	ASSERT_SYSCALL_RETURNS(high, dup2(self->p.rd, high));
	/* Control: nothing is ready yet. */
	EXPECT_EQ(0, poll_revents(high, POLLIN, 0));
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "x", 1));
	rev = poll_revents(high, POLLIN, SC_WAIT_MS);
	EXPECT_EQ(POLLIN, rev) {
		TH_LOG("revents 0x%x for descriptor %d", rev, high);
	}
	close(high);
}

/* POLL-01 select(2): FD_SETSIZE is 1024 and an fd_set holds exactly 1024 descriptors, so select() cannot watch 1024 or above. */
TEST(fd_setsize_is_1024)
{
	EXPECT_EQ(1024, FD_SETSIZE);
	EXPECT_EQ(1024, sizeof(fd_set) * 8);
}

/* POLL-11 poll(2): after the peer's shutdown(SHUT_WR) a Unix stream socket polls POLLIN|POLLRDHUP (not POLLHUP), and read() returns 0. */
TEST_F(unix_stream, peer_shutdown_wr_gives_pollrdhup)
{
	char c;
	int rev;

	/* Control: nothing before the shutdown. */
	EXPECT_EQ(0, poll_revents(self->s.fd[0], POLLIN | POLLRDHUP, 0));
	ASSERT_SYSCALL_RETURNS(0, shutdown(self->s.fd[1], SHUT_WR));
	rev = poll_revents(self->s.fd[0], POLLIN | POLLRDHUP, 0);
	EXPECT_EQ(POLLIN | POLLRDHUP, rev) {
		TH_LOG("revents 0x%x after the peer's shutdown(SHUT_WR)", rev);
	}
	EXPECT_SYSCALL_RETURNS(0, read(self->s.fd[0], &c, 1));
}

/* POLL-11 poll(2): once the peer has closed, a Unix stream socket polls POLLIN|POLLRDHUP|POLLHUP. */
TEST_F(unix_stream, peer_close_gives_pollhup)
{
	int rev;

	sc_close(&self->s.fd[1]);
	rev = poll_revents(self->s.fd[0], POLLIN | POLLRDHUP, 0);
	EXPECT_EQ(POLLIN | POLLRDHUP | POLLHUP, rev & (POLLIN | POLLRDHUP | POLLHUP)) {
		TH_LOG("revents 0x%x after the peer closed", rev);
	}
}

TEST_HARNESS_MAIN
