// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, what a member can see: processes outside are invisible (kill()
 * fails with ESRCH, kill(-1) reaches only members), /proc keeps the view of the
 * namespace it was mounted in until proc is mounted again in a new mount namespace.
 * Man pages: pid_namespaces(7), kill(2), proc(5).
 */
#include <dirent.h>

#include "pidns.h"

/* What the init saw of kill(P, 0) for the PIDs outside. */
struct outside_kills {
	int n;
	pid_t pid[3];
	int err[3];
};

static int init_kills_outside(void *data)
{
	struct outside_kills *k = data;
	pid_t outside[3];

	memcpy(outside, k->pid, sizeof(outside));
	k->n = 0;
	for (int i = 0; i < 3; i++) {
		/* PID 1 is this init in here: "hits an unrelated member". */
		if (outside[i] == 1)
			continue;
		errno = 0;
		k->pid[k->n] = outside[i];
		k->err[k->n++] = kill(outside[i], 0) ? errno : 0;
	}
	return SC_CHILD_OK;
}

/* PIDNS-13 pid_namespaces(7) kill(2): from inside, kill(P, 0) fails with ESRCH for live processes outside: the caller, its parent and a sibling. */
TEST(kill_of_outside_pid_from_inside_fails_esrch)
{
	struct outside_kills got = { -1, { 0 }, { 0 } };
	struct sc_child sibling, init;
	struct sc_pipe hold;

	SC_REQUIRE_FEATURE(pidns);
	sc_pipe_setup(_metadata, &hold, O_CLOEXEC);
	/* A sibling outside: forked before unshare(), alive until hold lets go. */
	SC_CHILD_START(&sibling, "the sibling", sc_child_hold, &hold, 0);
	got.pid[0] = getpid();
	got.pid[1] = getppid();
	got.pid[2] = sibling.pid;
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_kills_outside, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_LE(2, got.n);
	for (int i = 0; i < got.n && i < 3; i++) {
		EXPECT_EQ(ESRCH, got.err[i]) {
			TH_LOG("kill(%d, 0) from inside: expected ESRCH, got %s", got.pid[i],
			       got.err[i] ? sc_errname(got.err[i]) : "success");
		}
	}
	/* They were alive: seen from outside, kill(P, 0) works. */
	EXPECT_SYSCALL_RETURNS(0, kill(sibling.pid, 0));
	EXPECT_SYSCALL_RETURNS(0, kill(getppid(), 0));
	EXPECT_CHILD_SUCCEEDED(&init);
	sc_release(&hold);
	EXPECT_CHILD_SUCCEEDED(&sibling);
}

/* What the sender and the receiver of kill(-1, SIGURG) inside report. */
struct urg_sent {
	pid_t sender;
	int ret, err;
};

struct urg_received {
	int got;	/* sigtimedwait()'s result */
	pid_t from;	/* its si_pid */
};

static int send_urg_to_all(void *data)
{
	struct urg_sent *s = data;

	s->sender = getpid();
	errno = 0;
	s->ret = kill(-1, SIGURG);
	s->err = errno;
	return SC_CHILD_OK;
}

/* SIGURG is blocked (the test's mask, inherited): one sent before the wait stays pending. */
static int receive_urg(void *data)
{
	struct urg_received *r = data;
	siginfo_t si;

	r->got = sc_sigwait_ms(SIGURG, &si, SC_WAIT_MS);
	r->from = r->got == SIGURG ? si.si_pid : -1;
	return SC_CHILD_OK;
}

struct urg {
	struct urg_sent sent;
	struct urg_received received;
};

/* The init: a receiver, then a sender of kill(-1, SIGURG), both members. */
static int init_runs_kill_minus_one(void *data)
{
	struct sc_child receiver, sender;
	struct urg *u = data;
	int sent, received;

	REQUIRE_INSIDE_NEW_PIDNS(false);
	sc_child_start(&receiver, "the receiver", receive_urg, &u->received, sizeof(u->received));
	sent = sc_child_run(&sender, "the sender", send_urg_to_all, &u->sent, sizeof(u->sent));
	received = sc_child_end(&receiver);
	return sent ? sent : received;
}

/* PIDNS-13 pid_namespaces(7) kill(2): kill(-1,SIGURG) from a member returns 0 and reaches another member, but not the caller outside (same credentials, SIGURG blocked: not pending). */
TEST(kill_minus_one_inside_spares_outside_processes)
{
	struct urg u = { { -1, -2, 0 }, { -1, -1 } };
	struct sc_child init;
	sigset_t urg, pending;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	/* SIGURG: ignored by default, so a stray one harms nobody; blocked, so it shows. */
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	SC_SETUP(sigprocmask(SIG_BLOCK, &urg, NULL));
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_runs_kill_minus_one, &u, sizeof(u));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_EQ(0, u.sent.ret) {
		TH_LOG("kill(-1, SIGURG) inside -> %s", sc_errname(u.sent.err));
	}
	/* The sender's kill() has returned: a signal for us would be pending by now. */
	SC_OK(sigpending(&pending));
	EXPECT_FALSE(sigismember(&pending, SIGURG)) {
		TH_LOG("kill(-1) inside reached the caller outside");
	}
	EXPECT_EQ(SIGURG, u.received.got) {
		TH_LOG("the member did not get kill(-1)'s SIGURG");
	}
	EXPECT_EQ(u.sent.sender, u.received.from);
	EXPECT_CHILD_SUCCEEDED(&init);
}

struct proc_self {
	pid_t pid;
	char self[32];	/* readlink("/proc/self") */
};

static int report_proc_self(void *data)
{
	struct proc_self *r = data;
	ssize_t n;

	r->pid = getpid();
	n = readlink("/proc/self", r->self, sizeof(r->self) - 1);
	r->self[n > 0 ? n : 0] = 0;
	return SC_CHILD_OK;
}

/* PIDNS-14 pid_namespaces(7): without a new /proc, readlink("/proc/self") in the init gives its PID in the procfs mount's namespace (fork()'s value), not 1. */
TEST(proc_self_without_remount_shows_outer_pid)
{
	struct proc_self got = { -1, "" };
	struct sc_child init;
	char want[32];

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", report_proc_self, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&init);
	snprintf(want, sizeof(want), "%d", init.pid);
	EXPECT_EQ(1, got.pid);
	EXPECT_STREQ(want, got.self);
	EXPECT_STRNE("1", got.self);
	EXPECT_CHILD_SUCCEEDED(&init);
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

/* What the init with its own /proc sees, with one member. */
struct private_proc {
	int err, n;		/* mount(proc): 0 or the errno; how many PIDs /proc lists */
	pid_t pids[16];
	struct proc_self me;
};

static int init_mounts_proc(void *data)
{
	struct private_proc *got = data;
	struct sc_child member;
	struct sc_pipe hold;
	struct dirent *e;
	DIR *d;

	got->err = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) ? errno : 0;
	if (got->err)
		return SC_CHILD_OK;
	if (sc_pipe_open(&hold, O_CLOEXEC))
		return sc_child_error("pipe2() -> %s", sc_errname(errno));
	sc_child_start(&member, "the member", sc_child_hold, &hold, 0);
	d = opendir("/proc");
	got->n = 0;
	while (d && (e = readdir(d))) {
		char *end;
		long v = strtol(e->d_name, &end, 10);

		if (*end == 0 && v > 0 && got->n < 16)
			got->pids[got->n++] = v;
	}
	if (d)
		closedir(d);
	report_proc_self(&got->me);
	sc_release(&hold);
	return sc_child_end(&member);
}

/* PIDNS-15 pid_namespaces(7): after mount("proc","/proc") by the init in a new mount namespace, /proc lists only the members (1 and 2) and /proc/self reads "1". */
TEST(private_proc_lists_only_members)
{
	struct private_proc got = { .err = -1, .n = -1 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(mntns);
	/* "/" is private in the new mount namespace: the mount stays in here. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID | CLONE_NEWNS);
	sc_child_run(&init, "the init", init_mounts_proc, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&init);
	if (got.err == EPERM && !sc_in_initial_userns()) {
		/* A /proc with covered parts (a container's): no user namespace may mount another. */
		SKIP(return, "needs root in the initial user namespace: mount(proc) from a user namespace -> EPERM");
	}
	ASSERT_EQ(0, got.err) {
		TH_LOG("mount(proc) in the namespace -> %s", sc_errname(got.err));
	}
	if (got.n > 0)
		qsort(got.pids, got.n, sizeof(got.pids[0]), cmp_pid);
	EXPECT_EQ(2, got.n) {
		for (int i = 0; i < got.n; i++)
			TH_LOG("/proc lists %d", got.pids[i]);
	}
	EXPECT_EQ(1, got.pids[0]);
	EXPECT_EQ(2, got.pids[1]);
	EXPECT_STREQ("1", got.me.self);
	EXPECT_CHILD_SUCCEEDED(&init);
}

TEST_HARNESS_MAIN
