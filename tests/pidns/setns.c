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

/* The init of A, and the init of B below it, which tries to setns() up to A. */
struct ancestor {
	int err;	/* the report: setns()'s errno, 0 when it worked */
	int fd_a;
};

static int setns_up(void *data)
{
	struct ancestor *a = data;

	a->err = setns(a->fd_a, CLONE_NEWPID) ? errno : 0;
	return SC_CHILD_OK;
}

static int init_makes_nested_pidns(void *data)
{
	struct ancestor *a = data;
	struct sc_child b;

	a->fd_a = SC_CHILD_CALL(open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
	SC_CHILD_CALL(unshare(CLONE_NEWPID));
	return sc_child_run(&b, "the nested init", setns_up, a, sizeof(a->err));
}

/* PIDNS-16 setns(2): the init of a nested PID namespace cannot setns() into the namespace above it (its parent's): EINVAL. */
TEST(setns_into_ancestor_pidns_fails_einval)
{
	struct ancestor got = { -1, -1 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(setns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_makes_nested_pidns, &got, sizeof(got.err));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_EQ(EINVAL, got.err) {
		TH_LOG("setns(parent pid namespace): expected EINVAL, got %s",
		       got.err ? sc_errname(got.err) : "success");
	}
	EXPECT_CHILD_SUCCEEDED(&init);
}

#define MAX_TRY_LEVELS 40
struct nest_report { int levels, err; };

/*
 * Run in the init of each new level: unshare(CLONE_NEWPID), run the next init
 * there. The first process whose unshare() fails reports how many levels below the
 * caller's namespace exist and the errno.
 */
static int nest(void *data)
{
	struct nest_report *r = data;
	struct sc_child next;

	if (r->levels >= MAX_TRY_LEVELS)
		return SC_CHILD_OK;
	if (unshare(CLONE_NEWPID)) {
		r->err = errno;
		return SC_CHILD_OK;
	}
	r->levels++;
	return sc_child_run(&next, "the next level's init", nest, r, sizeof(*r));
}

#define PROC_PID_INIT_INO 0xEFFFFFFCU	/* the initial PID namespace's inode */

/* PIDNS-17 pid_namespaces(7): PID namespaces nest at most 32 deep: unshare(CLONE_NEWPID) by an init at level 32 fails with ENOSPC. */
TEST(pidns_nesting_beyond_32_levels_fails_enospc)
{
	struct nest_report got = { 1, 0 };
	struct sc_child init;
	struct stat st;
	int known, initial;

	SC_REQUIRE_FEATURE(pidns);
	/* From the initial namespace (level 0) exactly 32 levels fit; else fewer. */
	known = stat("/proc/self/ns/pid", &st) == 0;
	initial = known && st.st_ino == PROC_PID_INIT_INO;
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", nest, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&init);
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
	EXPECT_CHILD_SUCCEEDED(&init);
}

static int do_nothing(void *data)
{
	(void)data;
	return SC_CHILD_OK;
}

static void *thread_fn(void *arg)
{
	return arg;
}

/* PIDNS-18 clone(2): clone(CLONE_NEWPID|CLONE_THREAD|CLONE_SIGHAND|CLONE_VM) fails with EINVAL, while the same thread without CLONE_NEWPID, and CLONE_NEWPID without CLONE_THREAD, work. */
TEST(clone_newpid_with_clone_thread_fails_einval)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	const int thread = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
			   CLONE_SYSVSEM;
	struct sc_child c;
	pthread_t t;
	int r;

	SC_REQUIRE_FEATURE(pidns);
	/* CAP_SYS_ADMIN, so that EPERM cannot be the answer (UTS is a by-product). */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	fflush(stdout);
	fflush(stderr);
	/* Should it succeed, the thread returns at once on its own stack. */
	EXPECT_SYSCALL_FAILS(EINVAL, clone(do_nothing, stack + sizeof(stack),
					   thread | CLONE_NEWPID, NULL));
	r = pthread_create(&t, NULL, thread_fn, NULL);
	EXPECT_EQ(0, r) {
		TH_LOG("pthread_create() -> %s", sc_errname(r));
	}
	if (r == 0)
		pthread_join(t, NULL);
	/* And CLONE_NEWPID itself is allowed here (a process, with SIGCHLD). */
	sc_child_clone(&c, "the child", CLONE_NEWPID, do_nothing, NULL, 0);
	EXPECT_NE(-1, c.pid) {
		TH_LOG("%s", c.text);
	}
	if (c.pid > 0)
		EXPECT_CHILD_SUCCEEDED(&c);
}

struct unpriv_report {
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
static int unpriv_unshare(void *data)
{
	struct unpriv_report *r = data;
	struct sc_child init;

	if (sc_drop_privilege())
		return sc_child_error("could not drop privileges: %s", sc_errname(errno));
	if (cap_eff() != 0)	/* still privileged: the check would prove nothing */
		return sc_child_error("still privileged: CapEff %llx", cap_eff());
	r->plain_err = unshare(CLONE_NEWPID) ? errno : 0;
	if (r->plain_err == 0)
		return SC_CHILD_OK;
	r->userns_err = unshare(CLONE_NEWUSER | CLONE_NEWPID) ? errno : 0;
	if (r->userns_err)
		return SC_CHILD_OK;
	return sc_child_run(&init, "its first child", report_getpid, &r->init_pid,
			    sizeof(r->init_pid));
}

/* PIDNS-19 user_namespaces(7): without CAP_SYS_ADMIN (uid 65534, CapEff 0) unshare(CLONE_NEWPID) fails with EPERM; unshare(CLONE_NEWUSER|CLONE_NEWPID) succeeds and its first child is PID 1. */
TEST(unprivileged_unshare_newpid_needs_a_user_namespace)
{
	struct unpriv_report got = { -1, -1, -1 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(pidns);
	sc_child_run(&c, "the unprivileged child", unpriv_unshare, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&c);
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
	EXPECT_EQ(1, got.init_pid);
	EXPECT_CHILD_SUCCEEDED(&c);
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

/* Run a child that exits at once: its PID as fork() returned it, or -1. */
static pid_t fork_and_reap(void)
{
	struct sc_child c;

	return sc_child_run(&c, "a child", do_nothing, NULL, 0) ? -1 : c.pid;
}

struct ns_last_pid_report {
	int err1, err2;		/* writing 41, then 1: 0 or the errno */
	pid_t two, after41, after1;
};

/* The init: its first child (2), then one after "41", one after "1". */
static int init_sets_ns_last_pid(void *data)
{
	struct ns_last_pid_report *got = data;
	struct sc_pipe hold;
	struct sc_child two;

	/* Never the caller's namespace's (the host's) PID cursor. */
	REQUIRE_INSIDE_NEW_PIDNS(true);
	if (sc_pipe_open(&hold, O_CLOEXEC))
		return sc_child_error("pipe2() -> %s", sc_errname(errno));
	sc_child_start(&two, "the init's first child", sc_child_hold, &hold, 0);
	got->two = two.pid;
	if (two.pid == 2) {
		got->err1 = set_ns_last_pid("41");
		got->after41 = got->err1 ? -1 : fork_and_reap();
		got->err2 = set_ns_last_pid("1");
		got->after1 = got->err2 ? -1 : fork_and_reap();
	}
	sc_release(&hold);
	return sc_child_end(&two);
}

/* PIDNS-20 pid_namespaces(7): the init writes 41 to ns_last_pid and its next child gets PID 42; after "1" the next gets 3, since 2 is taken. */
TEST(ns_last_pid_sets_the_next_pid)
{
	struct ns_last_pid_report got = { -1, -1, -1, -1, -1 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(ns_last_pid);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_sets_ns_last_pid, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&init);
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
	EXPECT_CHILD_SUCCEEDED(&init);
}

/* The init: send SCM_CREDENTIALS with its own PID (1), then live until the caller's end closes. */
static int init_sends_credentials(void *data)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
	struct ucred me = { .pid = getpid(), .uid = getuid(), .gid = getgid() };
	struct iovec iov = { .iov_base = "c", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
			      .msg_controllen = sizeof(ctl.buf) };
	struct sc_sockpair *sp = data;
	char c;

	close(sp->fd[0]);
	if (me.pid != 1)
		return sc_child_fail("getpid() is %d, not 1", me.pid);
	memset(&ctl, 0, sizeof(ctl));
	CMSG_FIRSTHDR(&msg)->cmsg_level = SOL_SOCKET;
	CMSG_FIRSTHDR(&msg)->cmsg_type = SCM_CREDENTIALS;
	CMSG_FIRSTHDR(&msg)->cmsg_len = CMSG_LEN(sizeof(me));
	memcpy(CMSG_DATA(CMSG_FIRSTHDR(&msg)), &me, sizeof(me));
	SC_CHILD_CALL(sendmsg(sp->fd[1], &msg, 0));
	/* Alive while the caller receives: wait for its end to close. */
	sc_read_full(sp->fd[1], &c, 1);
	return SC_CHILD_OK;
}

/* PIDNS-21 unix(7): SCM_CREDENTIALS with pid 1 sent by the init of a child namespace arrives at the receiver outside with the init's outer PID (fork()'s value). */
TEST(scm_credentials_pid_is_translated_for_the_receiver)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(struct ucred))]; } ctl;
	struct ucred *uc = NULL;
	struct sc_sockpair sp;
	struct sc_child init;
	struct msghdr msg;
	struct iovec iov;
	struct pollfd p;
	int one = 1, r;
	char c = 0;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	/* SEQPACKET: the init's end of the pair closing shows at once (POLLHUP). */
	sc_sockpair_setup(_metadata, &sp, SOCK_SEQPACKET | SOCK_CLOEXEC);
	SC_SETUP(setsockopt(sp.fd[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one)));
	SC_CHILD_START(&init, "the init", init_sends_credentials, &sp, 0);
	sc_close(&sp.fd[1]);
	p = (struct pollfd){ .fd = sp.fd[0], .events = POLLIN };
	r = poll(&p, 1, SC_WAIT_MS);
	memset(&msg, 0, sizeof(msg));
	iov = (struct iovec){ .iov_base = &c, .iov_len = 1 };
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = ctl.buf;
	msg.msg_controllen = sizeof(ctl.buf);
	r = r == 1 && (p.revents & POLLIN) ? recvmsg(sp.fd[0], &msg, MSG_DONTWAIT) : -1;
	sc_sockpair_teardown(&sp);
	sc_child_end(&init);
	EXPECT_EQ(1, r) {
		TH_LOG("no message from the init (%s)", init.text);
	}
	if (r == 1) {
		for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h))
			if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_CREDENTIALS)
				uc = (struct ucred *)CMSG_DATA(h);
		ASSERT_NE(NULL, uc) {
			TH_LOG("no SCM_CREDENTIALS in the message");
		}
		EXPECT_EQ(init.pid, uc->pid);
		EXPECT_EQ(getuid(), uc->uid);
		EXPECT_EQ(getgid(), uc->gid);
	}
	EXPECT_CHILD_SUCCEEDED(&init);
}

TEST_HARNESS_MAIN
