// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, entering and limits: setns() only downwards, at most 32 levels,
 * no CLONE_NEWPID for a thread, EPERM without privilege unless a user namespace
 * comes in the same call; ns_last_pid picks the next PID; SCM_CREDENTIALS PIDs
 * are translated for the receiver.
 * Man pages: pid_namespaces(7), setns(2), unshare(2), clone(2), user_namespaces(7), unix(7).
 */
#include <pthread.h>
#include <sys/socket.h>

#include "pidns.h"

/* PIDNS-16 setns(2): the init of a nested PID namespace cannot setns() into the namespace above it (its parent's): EINVAL. */
TEST(setns_into_ancestor_pidns_fails_einval)
{
	int rep[2], r, st, err = -1;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(setns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		/* In A: keep A, make B below it; B's init tries to go up to A. */
		int fd_a = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC), st;
		pid_t j;

		if (fd_a < 0 || unshare(CLONE_NEWPID))
			_exit(2);
		j = sc_fork();
		if (j == 0) {
			int e = setns(fd_a, CLONE_NEWPID) ? errno : 0;

			_exit(write(rep[1], &e, sizeof(e)) == sizeof(e) ? 0 : 3);
		}
		if (j < 0)
			_exit(4);
		st = sc_wait(j);
		_exit(st == 0 ? 0 : 5);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &err, sizeof(err));
	st = sc_wait(init);
	close(rep[0]);
	EXPECT_EQ(0, r) {
		TH_LOG("reading the nested init's setns() result: %s", sc_read_str(r));
	}
	EXPECT_EQ(EINVAL, err) {
		TH_LOG("setns(parent pid namespace): expected EINVAL, got %s",
		       err ? sc_errname(err) : "success");
	}
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s (2: open(/proc/self/ns/pid) or unshare() failed)", sc_status_str(st));
	}
}

#define MAX_TRY_LEVELS 40
struct nest_report { int levels, err; };

/*
 * Wait at most SC_WAIT_MS for the child PID, woken by SIGCHLD (blocked by the
 * caller before the fork) rather than polled, so that 32 nested waits end at
 * once: its wait status, or -1 after killing it.
 */
static int wait_child_sigchld(pid_t pid)
{
	struct timespec bound = { SC_WAIT_MS / 1000, 0 };
	sigset_t chld;
	int st;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return st;
		if (r < 0 && errno != EINTR)
			return -2;
		if (r == 0 && sigtimedwait(&chld, NULL, &bound) < 0 && errno == EAGAIN)
			break;
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return -1;
}

/*
 * Run in the init of each new level: unshare(CLONE_NEWPID), fork the next init
 * there, wait for it. The first process whose unshare() fails reports how many
 * levels below the caller's namespace exist (LEVEL) and the errno.
 */
static int nest(int rep, int level)
{
	struct nest_report r = { level, 0 };
	sigset_t chld;
	pid_t pid;
	int st;

	if (level >= MAX_TRY_LEVELS)
		return write(rep, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
	if (unshare(CLONE_NEWPID)) {
		r.err = errno;
		return write(rep, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
	}
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	pid = sc_fork();
	if (pid == 0)
		_exit(nest(rep, level + 1));
	if (pid < 0)
		return 2;
	st = wait_child_sigchld(pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
}

#define PROC_PID_INIT_INO 0xEFFFFFFCU	/* the initial PID namespace's inode */

/* PIDNS-17 pid_namespaces(7): PID namespaces nest at most 32 deep: unshare(CLONE_NEWPID) by an init at level 32 fails with ENOSPC. */
TEST(pidns_nesting_beyond_32_levels_fails_enospc)
{
	struct nest_report got = { -1, -1 };
	struct stat st;
	int rep[2], r, known, initial;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	/* From the initial namespace (level 0) exactly 32 levels fit; else fewer. */
	known = stat("/proc/self/ns/pid", &st) == 0;
	initial = known && st.st_ino == PROC_PID_INIT_INO;
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0)
		_exit(nest(rep[1], 1));
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the deepest init's report: %s", sc_read_str(r));
	}
	EXPECT_EQ(ENOSPC, got.err) {
		TH_LOG("unshare(CLONE_NEWPID) below level %d: expected ENOSPC, got %s",
		       got.levels, got.err ? sc_errname(got.err) : "success every time");
	}
	if (initial) {
		EXPECT_EQ(32, got.levels);
	} else {
		/* Below the initial namespace fewer fit; where /proc/self/ns is hidden
		 * (proot) the starting level is unknown, so up to 32. */
		EXPECT_LE(1, got.levels);
		EXPECT_GE(known ? 31 : 32, got.levels);
		TH_LOG("%s: %d more levels fit", known ? "not the initial namespace" :
		       "/proc/self/ns/pid unreadable, level unknown", got.levels);
	}
	EXPECT_CHILD_OK(init);
	close(rep[0]);
}

static int thread_child(void *arg)
{
	(void)arg;
	return 0;
}

static void *thread_fn(void *arg)
{
	return arg;
}

/* PIDNS-18 clone(2): clone(CLONE_NEWPID|CLONE_THREAD|CLONE_SIGHAND|CLONE_VM) fails with EINVAL, while the same thread without CLONE_NEWPID, and CLONE_NEWPID without CLONE_THREAD, work. */
TEST(clone_newpid_with_clone_thread_fails_einval)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	static char stack2[64 * 1024] __attribute__((aligned(16)));
	const int thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			   CLONE_SYSVSEM;
	pthread_t t;
	pid_t pid;
	int st;

	SC_REQUIRE_FEATURE(pidns);
	/* CAP_SYS_ADMIN, so that EPERM cannot be the answer (UTS is a by-product). */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	fflush(stdout);
	fflush(stderr);
	/* Should it succeed, the thread returns at once on its own stack. */
	EXPECT_SYSCALL_FAILS(EINVAL, clone(thread_child, stack + sizeof(stack),
					   thread | CLONE_NEWPID, NULL));
	st = pthread_create(&t, NULL, thread_fn, NULL);
	EXPECT_EQ(0, st) {
		TH_LOG("pthread_create() -> %s", sc_errname(st));
	}
	if (st == 0)
		pthread_join(t, NULL);
	/* And CLONE_NEWPID itself is allowed here (a process, with SIGCHLD). */
	pid = clone(thread_child, stack2 + sizeof(stack2), CLONE_NEWPID | SIGCHLD, NULL);
	EXPECT_NE(-1, pid) {
		TH_LOG("clone(CLONE_NEWPID|SIGCHLD) -> %s", sc_errname(errno));
	}
	if (pid > 0)
		EXPECT_CHILD_OK(pid);
}

struct unpriv_report {
	int step;		/* 0, or where the child stopped */
	int plain_err;		/* unshare(CLONE_NEWPID): its errno, 0 if it worked */
	int userns_err;		/* unshare(CLONE_NEWUSER|CLONE_NEWPID) */
	pid_t init_pid;		/* getpid() of the first child after it */
};

/* CapEff of /proc/self/status, or ~0 when it cannot be read. */
static unsigned long long cap_eff(void)
{
	unsigned long long v = ~0ULL;
	char line[128];
	FILE *f = fopen("/proc/self/status", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* Child: become unprivileged (uid/gid 65534 when root), then try both unshare() calls. */
static int unpriv_unshare(int rep)
{
	struct unpriv_report r = { 0, -1, -1, -1 };
	pid_t pid;
	int p[2];

	if (sc_drop_privilege())
		r.step = 1;
	else if (cap_eff() != 0)
		r.step = 2;	/* still privileged: the check would prove nothing */
	if (r.step)
		goto out;
	r.plain_err = unshare(CLONE_NEWPID) ? errno : 0;
	if (r.plain_err == 0)
		goto out;
	r.userns_err = unshare(CLONE_NEWUSER | CLONE_NEWPID) ? errno : 0;
	if (r.userns_err || pipe2(p, O_CLOEXEC))
		goto out;
	pid = sc_fork();
	if (pid == 0) {
		pid_t me = getpid();

		_exit(write(p[1], &me, sizeof(me)) == sizeof(me) ? 0 : 1);
	}
	if (pid < 0 || sc_read_full(p[0], &r.init_pid, sizeof(r.init_pid)) || sc_wait(pid))
		r.step = 3;
out:
	return write(rep, &r, sizeof(r)) == sizeof(r) ? 0 : 4;
}

/* PIDNS-19 user_namespaces(7): without CAP_SYS_ADMIN (uid 65534, CapEff 0) unshare(CLONE_NEWPID) fails with EPERM; unshare(CLONE_NEWUSER|CLONE_NEWPID) succeeds and its first child is PID 1. */
TEST(unprivileged_unshare_newpid_needs_a_user_namespace)
{
	struct unpriv_report got = { -1, -1, -1, -1 };
	int rep[2], r, st;
	pid_t pid;

	SC_REQUIRE_FEATURE(pidns);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0)
		_exit(unpriv_unshare(rep[1]));
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	st = sc_wait(pid);
	close(rep[0]);
	if (r)
		SC_ERROR("no report from the child: %s (child %s)", sc_read_str(r), sc_status_str(st));
	if (got.step == 1 || got.step == 2)
		SC_ERROR("could not drop privileges (step %d)", got.step);
	if (got.plain_err == EPERM && (got.userns_err == EPERM || got.userns_err == EACCES ||
				       got.userns_err == ENOSPC || got.userns_err == EUSERS))
		SKIP(return, "needs user namespaces: %s", sc_errname(got.userns_err));
	EXPECT_EQ(EPERM, got.plain_err) {
		TH_LOG("unprivileged unshare(CLONE_NEWPID): expected EPERM, got %s",
		       got.plain_err ? sc_errname(got.plain_err) : "success");
	}
	EXPECT_EQ(0, got.userns_err) {
		TH_LOG("unprivileged unshare(CLONE_NEWUSER|CLONE_NEWPID) -> %s",
		       got.userns_err == -1 ? "not tried" : sc_errname(got.userns_err));
	}
	EXPECT_EQ(0, got.step);
	EXPECT_EQ(1, got.init_pid);
	EXPECT_EQ(0, st) {
		TH_LOG("the child %s", sc_status_str(st));
	}
}

/* Write TEXT to /proc/sys/kernel/ns_last_pid: 0 or an errno. */
static int set_ns_last_pid(const char *text)
{
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = errno ? errno : EIO;
	close(fd);
	return err;
}

/* Fork a child that exits at once: its PID as fork() returned it, or -errno. */
static pid_t fork_and_reap(void)
{
	pid_t pid = sc_fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -errno;
	sc_wait(pid);
	return pid;
}

/* PIDNS-20 pid_namespaces(7): the init writes 41 to ns_last_pid and its next child gets PID 42; after "1" the next gets 3, since 2 is taken. */
TEST(ns_last_pid_sets_the_next_pid)
{
	struct { int err1, err2; pid_t two, after41, after1; } got = { -1, -1, -1, -1, -1 };
	int rep[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(ns_last_pid);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		int hold[2];
		pid_t two;

		/* Never the caller's namespace's (the host's) PID cursor. */
		if (!inside_new_pidns(true))
			_exit(NOT_INSIDE);
		if (pipe2(hold, O_CLOEXEC))
			_exit(2);
		two = sc_fork();
		if (two == 0) {
			close(hold[1]);
			hold_until_eof(hold[0]);
		}
		got.two = two;
		if (two == 2) {
			got.err1 = set_ns_last_pid("41");
			got.after41 = got.err1 ? -1 : fork_and_reap();
			got.err2 = set_ns_last_pid("1");
			got.after1 = got.err2 ? -1 : fork_and_reap();
		}
		close(hold[1]);
		st = sc_wait(two);
		if (write(rep[1], &got, sizeof(got)) != sizeof(got))
			_exit(4);
		_exit(st == 0 ? 0 : 5);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	EXPECT_CHILD_OK(init);
	close(rep[0]);
	EXPECT_EQ(0, r) {
		TH_LOG("reading the init's report: %s", sc_read_str(r));
	}
	ASSERT_EQ(2, got.two) {
		TH_LOG("the init's first child has PID %d, not 2", got.two);
	}
	EXPECT_EQ(0, got.err1) {
		TH_LOG("writing 41 to /proc/sys/kernel/ns_last_pid: %s", sc_errname(got.err1));
	}
	EXPECT_EQ(42, got.after41);
	EXPECT_EQ(0, got.err2) {
		TH_LOG("writing 1 to /proc/sys/kernel/ns_last_pid: %s", sc_errname(got.err2));
	}
	EXPECT_EQ(3, got.after1);
}

/* PIDNS-21 unix(7): SCM_CREDENTIALS with pid 1 sent by the init of a child namespace arrives at the receiver outside with the init's outer PID (fork()'s value). */
TEST(scm_credentials_pid_is_translated_for_the_receiver)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
	struct ucred *uc = NULL;
	struct msghdr msg;
	struct iovec iov;
	struct pollfd p;
	int sv[2], one = 1, r, st;
	char c = 0;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	/* SEQPACKET: the init's end of the pair closing shows at once (POLLHUP). */
	SC_SETUP(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv));
	SC_SETUP(setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		struct ucred me = { .pid = getpid(), .uid = getuid(), .gid = getgid() };

		close(sv[0]);
		memset(&msg, 0, sizeof(msg));
		memset(&ctl, 0, sizeof(ctl));
		iov = (struct iovec){ .iov_base = "c", .iov_len = 1 };
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_CREDENTIALS;
		CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(me));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &me, sizeof(me));
		if (me.pid != 1 || sendmsg(sv[1], &msg, 0) != 1)
			_exit(2);
		/* Alive while the caller receives: wait for its end to close. */
		hold_until_eof(sv[1]);
	}
	close(sv[1]);
	p = (struct pollfd){ .fd = sv[0], .events = POLLIN };
	r = poll(&p, 1, SC_WAIT_MS);
	memset(&msg, 0, sizeof(msg));
	iov = (struct iovec){ .iov_base = &c, .iov_len = 1 };
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	r = r == 1 && (p.revents & POLLIN) ? recvmsg(sv[0], &msg, MSG_DONTWAIT) : -1;
	close(sv[0]);
	st = sc_wait(init);
	EXPECT_EQ(1, r) {
		TH_LOG("no message from the init (init %s)", sc_status_str(st));
	}
	if (r == 1) {
		for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h))
			if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS)
				uc = (struct ucred *)CMSG_DATA(h);
		ASSERT_NE(NULL, uc) {
			TH_LOG("no SCM_CREDENTIALS in the message");
		}
		EXPECT_EQ(init, uc->pid);
		EXPECT_EQ(getuid(), uc->uid);
		EXPECT_EQ(getgid(), uc->gid);
	}
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
}

TEST_HARNESS_MAIN
