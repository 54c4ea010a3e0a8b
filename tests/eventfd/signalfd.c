// SPDX-License-Identifier: GPL-2.0-only
/*
 * signalfd(2): blocked signals read as struct signalfd_siginfo, the mask and its
 * replacement, the errors, and the descriptor across fork(). Every case blocks
 * SIGUSR1 and SIGUSR2 first (each case runs in its own process) and sends them
 * with kill() to itself or from a child.
 * Man pages: signalfd(2), sigpending(2).
 */
#include <sys/epoll.h>

#include "eventfd.h"

#define SIGINFO_SIZE ((ssize_t)sizeof(struct signalfd_siginfo))

FIXTURE(sigfd) {
	int fd;
	sigset_t usr1, usr2, both;
};

FIXTURE_SETUP(sigfd)
{
	self->fd = -1;
	sigemptyset(&self->usr1);
	sigaddset(&self->usr1, SIGUSR1);
	sigemptyset(&self->usr2);
	sigaddset(&self->usr2, SIGUSR2);
	sigemptyset(&self->both);
	sigaddset(&self->both, SIGUSR1);
	sigaddset(&self->both, SIGUSR2);
	SC_SETUP(sigprocmask(SIG_BLOCK, &self->both, NULL));
}

FIXTURE_TEARDOWN(sigfd)
{
	sc_close(&self->fd);
}

/* Whether SIG is pending for this process (sigpending()): 1, 0, or -1 with errno. */
static int is_pending(int sig)
{
	sigset_t set;

	if (sigpending(&set))
		return -1;
	return sigismember(&set, sig);
}

/* One read() of a signalfd into SI (zeroed first): read()'s result. */
static ssize_t read_siginfo(int fd, struct signalfd_siginfo *si)
{
	memset(si, 0, sizeof(*si));
	return read(fd, si, sizeof(*si));
}

/* EVFD-06 signalfd(2): a blocked SIGUSR1 sent by kill() to itself makes the signalfd readable; read() returns 128 bytes with ssi_signo SIGUSR1, ssi_pid the sender, ssi_code SI_USER. */
TEST_F(sigfd, read_returns_siginfo_of_pending_signal)
{
	struct signalfd_siginfo si[2];

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, 0));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	memset(si, 0, sizeof(si));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read(self->fd, si, sizeof(si)));
	EXPECT_EQ(128, SIGINFO_SIZE);
	EXPECT_EQ(SIGUSR1, si[0].ssi_signo);
	EXPECT_EQ(getpid(), (pid_t)si[0].ssi_pid);
	EXPECT_EQ(syscall(SYS_getuid), si[0].ssi_uid);	/* the kernel's: fakeroot's getuid() says 0 */
	EXPECT_EQ(SI_USER, si[0].ssi_code);
}

/* EVFD-06 signalfd(2): a signal stays pending while the signalfd is only polled, and read() removes it from sigpending(). */
TEST_F(sigfd, read_removes_signal_from_pending_set)
{
	struct signalfd_siginfo si;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, 0));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	EXPECT_EQ(1, is_pending(SIGUSR1)) {
		TH_LOG("SIGUSR1 left the pending set before any read()");
	}
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_EQ(0, is_pending(SIGUSR1)) {
		TH_LOG("SIGUSR1 still pending after the signalfd read it");
	}
	EXPECT_EQ(0, poll_revents(self->fd, POLLIN, 0));
}

/* EVFD-06 signalfd(2): with SIGUSR1 and SIGUSR2 pending, one read() of room for three returns two structs, one per signal. */
TEST_F(sigfd, read_returns_one_struct_per_signal)
{
	struct signalfd_siginfo si[3];

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->both, SFD_NONBLOCK));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR2));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	memset(si, 0, sizeof(si));
	EXPECT_SYSCALL_RETURNS(2 * SIGINFO_SIZE, read(self->fd, si, sizeof(si)));
	EXPECT_EQ(SIGUSR1 + SIGUSR2, si[0].ssi_signo + si[1].ssi_signo) {
		TH_LOG("read ssi_signo %u and %u, expected SIGUSR1 and SIGUSR2",
		       si[0].ssi_signo, si[1].ssi_signo);
	}
	EXPECT_NE(si[0].ssi_signo, si[1].ssi_signo);
	EXPECT_EQ(0, is_pending(SIGUSR1));
	EXPECT_EQ(0, is_pending(SIGUSR2));
}

/* A child that sends SIGUSR1 to its parent. */
static int send_usr1_to_parent(void *data)
{
	(void)data;
	SC_CHILD_CALL(kill(getppid(), SIGUSR1));
	return SC_CHILD_OK;
}

/* EVFD-06 signalfd(2): for a SIGUSR1 sent by a child, ssi_pid is the child's PID and ssi_signo SIGUSR1. */
TEST_F(sigfd, siginfo_names_sending_child)
{
	struct signalfd_siginfo si;
	struct sc_child c;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK));
	sc_child_run(&c, "the sender", send_usr1_to_parent, NULL, 0);
	ASSERT_CHILD_SUCCEEDED(&c);
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_EQ(c.pid, (pid_t)si.ssi_pid) {
		TH_LOG("ssi_pid %u, expected the sender %d (the reader is %d)",
		       si.ssi_pid, c.pid, getpid());
	}
}

/* EVFD-06 signalfd(2): a blocked SIGUSR2 outside the mask does not make the signalfd readable and stays pending; SIGUSR1 in it does. */
TEST_F(sigfd, signal_outside_mask_stays_pending)
{
	struct signalfd_siginfo si;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR2));
	EXPECT_EQ(0, poll_revents(self->fd, POLLIN, 0));
	EXPECT_SYSCALL_FAILS(EAGAIN, read_siginfo(self->fd, &si));
	EXPECT_EQ(1, is_pending(SIGUSR2));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_EQ(1, is_pending(SIGUSR2));
}

/* EVFD-07 signalfd(2): read() with a buffer of 127 bytes fails with EINVAL and leaves the signal pending; 128 bytes read it. */
TEST_F(sigfd, short_buffer_read_fails_einval)
{
	struct signalfd_siginfo si;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	EXPECT_SYSCALL_FAILS(EINVAL, read(self->fd, &si, SIGINFO_SIZE - 1));
	EXPECT_EQ(1, is_pending(SIGUSR1));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
}

/* EVFD-07 signalfd(2): with SFD_NONBLOCK and nothing pending read() fails with EAGAIN; once SIGUSR1 is pending it reads it. */
TEST_F(sigfd, nonblock_read_with_nothing_pending_fails_eagain)
{
	struct signalfd_siginfo si;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK | SFD_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EAGAIN, read_siginfo(self->fd, &si));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
}

/* A child that reads the signalfd *DATA (SIGUSR1 with SIGKILL or SIGSTOP): ready right before it blocks. */
static int read_signalfd(void *data)
{
	struct signalfd_siginfo si;
	ssize_t n;

	sc_child_send();
	n = read_siginfo(*(int *)data, &si);
	return sc_child_fail("read() -> %zd %s, ssi_signo %u: the signal did not act",
			     n, n < 0 ? sc_errname(errno) : "", si.ssi_signo);
}

/* EVFD-07 signalfd(2): SIGKILL and SIGSTOP in the mask are silently ignored: signalfd() succeeds and SIGUSR1 reads as usual. */
TEST_F(sigfd, sigkill_sigstop_in_mask_accepted)
{
	struct signalfd_siginfo si;
	sigset_t mask = self->usr1;

	SC_REQUIRE_FEATURE(signalfd);
	sigaddset(&mask, SIGKILL);
	sigaddset(&mask, SIGSTOP);
	self->fd = SC_OK(signalfd(-1, &mask, SFD_NONBLOCK));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
}

/* EVFD-07 signalfd(2): a process blocked in read() of a signalfd whose mask has SIGKILL and SIGSTOP is stopped by SIGSTOP and killed by SIGKILL. */
TEST_F(sigfd, sigkill_sigstop_in_mask_still_act)
{
	int64_t deadline = sc_now_ns() + MS(SC_WAIT_MS);
	sigset_t mask = self->usr1;
	struct sc_child c;
	int delay = 0;
	char state;

	SC_REQUIRE_FEATURE(signalfd);
	sigaddset(&mask, SIGKILL);
	sigaddset(&mask, SIGSTOP);
	self->fd = SC_OK(signalfd(-1, &mask, 0));
	SC_CHILD_START(&c, "the reader", read_signalfd, &self->fd, SC_READY_ONLY);
	ASSERT_CHILD_BLOCKED(&c, "read()");
	ASSERT_SYSCALL_RETURNS(0, kill(c.pid, SIGSTOP));
	while ((state = sc_task_state(c.pid, c.pid)) != 'T' && sc_now_ns() < deadline)
		sc_backoff(&delay);
	EXPECT_EQ('T', state) {
		TH_LOG("the reader's state is '%c' after SIGSTOP, expected 'T' (stopped)", state);
	}
	ASSERT_SYSCALL_RETURNS(0, kill(c.pid, SIGKILL));
	EXPECT_CHILD_KILLED_BY(SIGKILL, &c);
}

/* EVFD-08 signalfd(2): signalfd(fd, {SIGUSR2}) on a signalfd of {SIGUSR1} returns fd and replaces the mask: SIGUSR1 is no longer read, SIGUSR2 is. */
TEST_F(sigfd, signalfd_on_existing_fd_replaces_mask)
{
	struct signalfd_siginfo si;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK));
	EXPECT_SYSCALL_RETURNS(self->fd, signalfd(self->fd, &self->usr2, 0));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	EXPECT_SYSCALL_FAILS(EAGAIN, read_siginfo(self->fd, &si));
	EXPECT_EQ(1, is_pending(SIGUSR1));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR2));
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR2, si.ssi_signo);
}

/* EVFD-08 signalfd(2): signalfd() on a descriptor that is not a signalfd (a pipe end, a socket) fails with EINVAL. */
TEST_F(sigfd, signalfd_on_other_descriptor_fails_einval)
{
	struct sc_sockpair s;
	struct sc_pipe p;

	SC_REQUIRE_FEATURE(signalfd);
	sc_pipe_setup(_metadata, &p, O_CLOEXEC);
	sc_sockpair_setup(_metadata, &s, SOCK_STREAM | SOCK_CLOEXEC);
	EXPECT_SYSCALL_FAILS(EINVAL, signalfd(p.rd, &self->usr1, 0));
	EXPECT_SYSCALL_FAILS(EINVAL, signalfd(s.fd[0], &self->usr1, 0));
	sc_pipe_teardown(&p);
	sc_sockpair_teardown(&s);
}

struct fork_read {
	int fd;
	int first_errno;	/* of the read() before the child's own signal */
	uint32_t signo, pid;	/* of the read() after it */
	pid_t self;
};

/* A child that reads the inherited signalfd (SFD_NONBLOCK), sends itself SIGUSR1, reads again. */
static int read_own_signals(void *data)
{
	struct fork_read *r = data;
	struct signalfd_siginfo si;

	r->self = getpid();
	errno = 0;
	r->first_errno = read_siginfo(r->fd, &si) == -1 ? errno : 0;
	SC_CHILD_CALL(kill(getpid(), SIGUSR1));
	SC_CHILD_CALL(read_siginfo(r->fd, &si));
	r->signo = si.ssi_signo;
	r->pid = si.ssi_pid;
	return SC_CHILD_OK;
}

/* EVFD-09 signalfd(2): after fork() the inherited signalfd reads the child's own pending SIGUSR1, not the parent's, which stays the parent's. */
TEST_F(sigfd, fork_child_reads_own_pending_signals)
{
	struct fork_read r = { .first_errno = -1 };
	struct signalfd_siginfo si;
	struct sc_child c;

	SC_REQUIRE_FEATURE(signalfd);
	self->fd = r.fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK));
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	sc_child_run(&c, "the child", read_own_signals, &r, sizeof(r));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EAGAIN, r.first_errno) {
		TH_LOG("the child's first read(): %s, expected EAGAIN (the parent's signal is not the child's)",
		       r.first_errno ? sc_errname(r.first_errno) : "a signal");
	}
	EXPECT_EQ(SIGUSR1, r.signo);
	EXPECT_EQ(r.self, (pid_t)r.pid);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(SIGINFO_SIZE, read_siginfo(self->fd, &si));
	EXPECT_EQ(SIGUSR1, si.ssi_signo);
	EXPECT_EQ(getpid(), (pid_t)si.ssi_pid);
}

struct fork_epoll {
	int fd, ep;
	int ready;	/* epoll_wait()'s result for the signalfd */
	int revents;	/* poll()'s, the control */
	uint32_t signo;
};

/* A child that sends itself SIGUSR1, then asks the inherited epoll instance, poll() and read(). */
static int epoll_own_signal(void *data)
{
	struct fork_epoll *r = data;
	struct signalfd_siginfo si;
	struct epoll_event ev;

	SC_CHILD_CALL(kill(getpid(), SIGUSR1));
	r->revents = poll_revents(r->fd, POLLIN, EVENT_MS);
	r->ready = SC_CHILD_CALL(epoll_wait(r->ep, &ev, 1, 0));
	SC_CHILD_CALL(read_siginfo(r->fd, &si));
	r->signo = si.ssi_signo;
	return SC_CHILD_OK;
}

/* EVFD-09 signalfd(2): in a child, an epoll instance that got the signalfd before fork() does not report it for the child's own SIGUSR1 (which poll() sees), but does for the parent's. */
TEST_F(sigfd, epoll_before_fork_not_ready_for_child_signals)
{
	struct fork_epoll r = { .ready = -1 };
	struct epoll_event ev = { .events = EPOLLIN };
	struct sc_child c;
	int ep;

	SC_REQUIRE_FEATURE(signalfd);
	SC_REQUIRE_FEATURE(epoll);
	self->fd = r.fd = SC_OK(signalfd(-1, &self->usr1, SFD_NONBLOCK));
	ep = r.ep = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ev));
	sc_child_run(&c, "the child", epoll_own_signal, &r, sizeof(r));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(POLLIN, r.revents);
	EXPECT_EQ(SIGUSR1, r.signo);
	EXPECT_EQ(0, r.ready) {
		TH_LOG("the child's epoll_wait() reported the signalfd for the child's own signal");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
	ASSERT_SYSCALL_RETURNS(0, kill(getpid(), SIGUSR1));
	EXPECT_SYSCALL_RETURNS(1, epoll_wait(ep, &ev, 1, EVENT_MS));
	close(ep);
}

/* EVFD-16 signalfd(2): signalfd() with an unknown flag (0x1, 0x10000000) fails with EINVAL. */
TEST_F(sigfd, signalfd_unknown_flag_fails_einval)
{
	SC_REQUIRE_FEATURE(signalfd);
	EXPECT_SYSCALL_FAILS(EINVAL, signalfd(-1, &self->usr1, 0x1));
	EXPECT_SYSCALL_FAILS(EINVAL, signalfd(-1, &self->usr1, 0x10000000));
	EXPECT_SYSCALL_FAILS(EINVAL, signalfd(-1, &self->usr1, SFD_NONBLOCK | 0x10000000));
}

TEST_HARNESS_MAIN
