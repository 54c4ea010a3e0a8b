// SPDX-License-Identifier: GPL-2.0-only
/*
 * epoll instance creation and the errors of epoll_ctl(): bad sizes and flags,
 * close-on-exec, targets that cannot be watched, duplicate and missing
 * registrations, and EPOLLWAKEUP without CAP_BLOCK_SUSPEND.
 * Man pages: epoll_create(2), epoll_ctl(2).
 */
#include <sys/epoll.h>
#include <linux/capability.h>
#include "sysconform.h"

#define CAP_BLOCK_SUSPEND_BIT 36	/* CAP_BLOCK_SUSPEND, linux/capability.h */

FIXTURE(epoll_target) {
	struct sc_file f;	/* an empty file */
	int ep, dir;
	struct sc_pipe p;
};

FIXTURE_SETUP(epoll_target)
{
	self->ep = self->dir = self->p.rd = self->p.wr = -1;
	sc_file_setup(_metadata, &self->f, "f", NULL, 0, O_RDWR);
	if (sc_feature(epoll)->status != SC_SUPPORTED)
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	self->ep = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	self->dir = SC_SETUP(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	sc_pipe_setup(_metadata, &self->p, O_CLOEXEC);
}

FIXTURE_TEARDOWN(epoll_target)
{
	sc_close(&self->ep);
	sc_close(&self->dir);
	sc_pipe_teardown(&self->p);
	sc_file_teardown(&self->f);
}

/* EPOLL-01 epoll_create(2): epoll_create(size) with size 0 or -1 fails with EINVAL. */
TEST_F(epoll_target, epoll_create_nonpositive_size_fails_einval)
{
	SC_REQUIRE_FEATURE(epoll);
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_create(0));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_create(-1));
}

/* EPOLL-01 epoll_create(2): epoll_create(1) succeeds; the size is only a hint > 0. */
TEST_F(epoll_target, epoll_create_positive_size_succeeds)
{
	int ep;

	SC_REQUIRE_FEATURE(epoll);
	ep = SC_OK(epoll_create(1));
	EXPECT_SYSCALL_RETURNS(0, close(ep));
}

/* EPOLL-01 epoll_create(2): epoll_create1() with a flag other than EPOLL_CLOEXEC fails with EINVAL. */
TEST_F(epoll_target, epoll_create1_unknown_flag_fails_einval)
{
	SC_REQUIRE_FEATURE(epoll);
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_create1(1));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_create1(O_NONBLOCK));
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_create1(EPOLL_CLOEXEC | 1));
}

/* EPOLL-01 epoll_create(2): epoll_create1(EPOLL_CLOEXEC) sets FD_CLOEXEC; epoll_create1(0) does not. */
TEST_F(epoll_target, epoll_create1_cloexec_sets_fd_cloexec)
{
	int ep, plain;

	SC_REQUIRE_FEATURE(epoll);
	ep = SC_OK(epoll_create1(EPOLL_CLOEXEC));
	plain = SC_OK(epoll_create1(0));
	EXPECT_EQ(FD_CLOEXEC, fcntl(ep, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(plain, F_GETFD) & FD_CLOEXEC);
	close(ep);
	close(plain);
}

/* EPOLL-02 epoll_ctl(2): EPOLL_CTL_ADD of a regular file or of a directory fails with EPERM. */
TEST_F(epoll_target, ctl_add_regular_file_or_directory_fails_eperm)
{
	SC_REQUIRE_FEATURE(epoll);
	EXPECT_SYSCALL_FAILS(EPERM, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->f.fd,
					      &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(EPERM, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->dir,
					      &(struct epoll_event){ .events = EPOLLIN }));
}

/* EPOLL-02 epoll_ctl(2): EPOLL_CTL_ADD of the epoll descriptor to itself fails with EINVAL. */
TEST_F(epoll_target, ctl_add_epoll_fd_to_itself_fails_einval)
{
	SC_REQUIRE_FEATURE(epoll);
	EXPECT_SYSCALL_FAILS(EINVAL, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->ep,
					       &(struct epoll_event){ .events = EPOLLIN }));
}

/* EPOLL-02 epoll_ctl(2): a second EPOLL_CTL_ADD of an already registered descriptor fails with EEXIST. */
TEST_F(epoll_target, ctl_add_same_fd_twice_fails_eexist)
{
	SC_REQUIRE_FEATURE(epoll);
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(EEXIST, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
					       &(struct epoll_event){ .events = EPOLLIN }));
}

/* EPOLL-02 epoll_ctl(2): EPOLL_CTL_MOD and EPOLL_CTL_DEL of an unregistered descriptor fail with ENOENT. */
TEST_F(epoll_target, ctl_mod_or_del_unregistered_fails_enoent)
{
	SC_REQUIRE_FEATURE(epoll);
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
					       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd,
					       &(struct epoll_event){ 0 }));
	/* Control: once added, both succeed. */
	ASSERT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_ADD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLIN }));
	EXPECT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_MOD, self->p.rd,
			       &(struct epoll_event){ .events = EPOLLOUT }));
	EXPECT_SYSCALL_RETURNS(0, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd, &(struct epoll_event){ 0 }));
	EXPECT_SYSCALL_FAILS(ENOENT, epoll_ctl(self->ep, EPOLL_CTL_DEL, self->p.rd,
					       &(struct epoll_event){ 0 }));
}

/* The events word of the registration of TFD in /proc/self/fdinfo/EP, or -1. */
static long fdinfo_events(int ep, int tfd)
{
	char path[64], line[256];
	long events = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", ep);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		int t;
		unsigned int ev;

		if (sscanf(line, "tfd: %d events: %x", &t, &ev) == 2 && t == tfd)
			events = ev;
	}
	fclose(f);
	return events;
}

/*
 * Child: drop CAP_BLOCK_SUSPEND from the effective set, register a readable pipe
 * with EPOLLIN|EPOLLWAKEUP. Exits 0 = ok, 1 = epoll_ctl failed, 2 = no event,
 * 3 = fdinfo shows EPOLLWAKEUP kept, 90..92 = own setup failed.
 */
static int wakeup_child(void *arg)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	struct epoll_event ev;
	int p[2], ep;
	long events;

	(void)arg;
	if (syscall(SYS_capget, &hdr, data))
		return 90;
	data[CAP_BLOCK_SUSPEND_BIT / 32].effective &= ~(1U << (CAP_BLOCK_SUSPEND_BIT % 32));
	if (syscall(SYS_capset, &hdr, data))
		return 91;
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || pipe2(p, O_CLOEXEC) || write(p[1], "x", 1) != 1)
		return 92;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0],
		      &(struct epoll_event){ .events = EPOLLIN | EPOLLWAKEUP, .data.u64 = 7 }))
		return 1;
	if (epoll_wait(ep, &ev, 1, 0) != 1 || ev.events != EPOLLIN || ev.data.u64 != 7)
		return 2;
	/* Where fdinfo lists registrations (Linux), the ignored bit is gone. */
	events = fdinfo_events(ep, p[0]);
	if (events >= 0 && (events & EPOLLWAKEUP))
		return 3;
	return 0;
}

/* EPOLL-21 epoll_ctl(2): EPOLLWAKEUP from a caller without CAP_BLOCK_SUSPEND is ignored: ADD returns 0 and works. */
TEST_F(epoll_target, epollwakeup_without_cap_block_suspend_is_ignored)
{
	pid_t pid;
	int st;

	SC_REQUIRE_FEATURE(epoll);
	pid = SC_SETUP(sc_spawn(wakeup_child, NULL));
	st = sc_wait(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) >= 90 && WEXITSTATUS(st) < 100)
		SC_ERROR("child setup step %d failed", WEXITSTATUS(st));
	EXPECT_EQ(0, st) {
		TH_LOG("child %s (1: epoll_ctl failed, 2: no EPOLLIN event, "
		       "3: EPOLLWAKEUP kept in fdinfo)", sc_status_str(st));
	}
}

TEST_HARNESS_MAIN
