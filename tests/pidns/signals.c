// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, signals to the init: from inside (a member or the init itself)
 * only signals with a handler arrive, even SIGKILL is ignored; from the parent
 * namespace SIGTERM without a handler is ignored too but SIGKILL and SIGSTOP are
 * forced; a signal from the parent namespace shows si_pid 0.
 * Man pages: pid_namespaces(7), kill(2), sigaction(2).
 *
 * Every child that signals PID 1 first checks that it is in a new PID namespace
 * (against the caller's /proc/self/ns/pid), so that a broken unshare() cannot
 * turn these tests on the real init.
 */
#include "pidns.h"

/*
 * How long an init that survives a signal has to answer or end: it does so at once
 * on Linux; one that hangs instead (qemu-user) is not waited for the full SC_WAIT_MS.
 */
#define ANSWER_MS 1000

/* Default dispositions and an empty mask for SIGTERM, SIGINT, SIGUSR1. */
static void default_signals(void)
{
	sigset_t none;

	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* What a process reports after kill(pid1, sig1) and kill(pid2, sig2). */
struct kills {
	int ret1, err1, ret2, err2;	/* the report */
	pid_t pid1, pid2;
	int sig1, sig2;
};

static int kill_twice(void *data)
{
	struct kills *k = data;

	errno = 0;
	k->ret1 = kill(k->pid1, k->sig1);
	k->err1 = errno;
	errno = 0;
	k->ret2 = kill(k->pid2, k->sig2);
	k->err2 = errno;
	return SC_CHILD_OK;
}

#define KILLS_REPORT offsetof(struct kills, pid1)

/* Both kill() calls of a kill_twice() report returned 0. */
#define EXPECT_KILLS_RETURNED_0(k, what1, what2) do {				\
	EXPECT_EQ(0, (k).ret1) {						\
		TH_LOG("%s -> %s", what1, sc_errname((k).err1));		\
	}									\
	EXPECT_EQ(0, (k).ret2) {						\
		TH_LOG("%s -> %s", what2, sc_errname((k).err2));		\
	}									\
} while (0)

/* The init, with default signals: a member's kill_twice() (a signal that gets through kills it). */
static int init_runs_member_kills(void *data)
{
	struct sc_child member;

	default_signals();
	REQUIRE_INSIDE_NEW_PIDNS(true);
	return sc_child_run(&member, "the member", kill_twice, data, KILLS_REPORT);
}

/* The init: default signals, then kill_twice() itself, the second kill() to getpid(). */
static int init_kills_itself(void *data)
{
	struct kills *k = data;

	default_signals();
	REQUIRE_INSIDE_NEW_PIDNS(true);
	k->pid2 = getpid();
	return kill_twice(k);
}

/* Run FN in the namespace's init, which must survive and report within ANSWER_MS. */
static void run_surviving_init(struct __test_metadata *_metadata, sc_child_fn fn, struct kills *k,
			       const char *what1, const char *what2)
{
	struct sc_child init;

	SC_CHILD_START(&init, "the init", fn, k, KILLS_REPORT);
	init.ms = ANSWER_MS;
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_KILLS_RETURNED_0(*k, what1, what2);
	EXPECT_CHILD_SUCCEEDED(&init);
}

/* PIDNS-08 pid_namespaces(7): kill(1,SIGTERM) and kill(1,SIGKILL) from a (privileged) member return 0 and the init, without handlers, keeps running. */
TEST(member_sigterm_and_sigkill_to_init_are_ignored)
{
	struct kills k = { .pid1 = 1, .sig1 = SIGTERM, .pid2 = 1, .sig2 = SIGKILL };

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	run_surviving_init(_metadata, init_runs_member_kills, &k, "kill(1, SIGTERM)", "kill(1, SIGKILL)");
}

/* PIDNS-08 pid_namespaces(7): the init's own kill(1,SIGTERM) and kill(getpid(),SIGKILL) return 0 and it keeps running. */
TEST(init_sigterm_and_sigkill_to_itself_are_ignored)
{
	struct kills k = { .pid1 = 1, .sig1 = SIGTERM, .sig2 = SIGKILL };

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	run_surviving_init(_metadata, init_kills_itself, &k, "kill(1, SIGTERM)",
			   "kill(getpid(), SIGKILL)");
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* A member that sends kill(1, SIGUSR1) with SIGUSR1's default disposition. */
static int member_sends_usr1(void *data)
{
	signal(SIGUSR1, SIG_DFL);
	return kill_twice(data);
}

/* The init: a SIGUSR1 handler, then the member's kill_twice(); the handler must have run. */
static int init_with_usr1_handler(void *data)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct kills *k = data;
	struct sc_child member;
	int r;

	default_signals();
	REQUIRE_INSIDE_NEW_PIDNS(true);
	if (sigaction(SIGUSR1, &sa, NULL))
		return sc_child_error("sigaction(SIGUSR1) -> %s", sc_errname(errno));
	r = sc_child_run(&member, "the member", member_sends_usr1, k, KILLS_REPORT);
	/* The signal was queued before the member ended: the handler has run. */
	if (r == SC_CHILD_OK && !got_usr1)
		r = sc_child_fail("its SIGUSR1 handler did not run; the member's kill(1, SIGUSR1) -> %s",
				  k->ret1 ? sc_errname(k->err1) : "0");
	return r;
}

/* PIDNS-08 pid_namespaces(7): a signal from a member for which the init has a handler is delivered: kill(1,SIGUSR1) runs the init's handler. */
TEST(member_signal_reaches_init_handler)
{
	struct kills k = { .pid1 = 1, .sig1 = SIGUSR1, .pid2 = 1, .sig2 = 0 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_with_usr1_handler, &k, KILLS_REPORT);
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_KILLS_RETURNED_0(k, "kill(1, SIGUSR1)", "kill(1, 0)");
	EXPECT_CHILD_SUCCEEDED(&init);
}

/* An init with default dispositions that says it is ready, then waits for a command and exits. */
struct waiting_init {
	bool ready;
	struct sc_pipe cmd;
};

static int wait_for_command(void *data)
{
	struct waiting_init *w = data;

	default_signals();
	w->ready = true;
	sc_child_send();
	return sc_hold(&w->cmd, SC_WAIT_MS) ? sc_child_fail("no command") : SC_CHILD_OK;
}

static void start_waiting_init(struct __test_metadata *_metadata, struct sc_child *init,
			       struct waiting_init *w)
{
	w->ready = false;
	sc_pipe_setup(_metadata, &w->cmd, O_CLOEXEC);
	SC_CHILD_START(init, "the init", wait_for_command, w, sizeof(w->ready));
	SC_CHILD_READY(init);
}

/* PIDNS-09 pid_namespaces(7): SIGTERM from the parent namespace to an init without a handler returns 0 and is ignored: the init still answers and exits 0. */
TEST(sigterm_from_parent_namespace_is_ignored_by_init)
{
	struct waiting_init w;
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	start_waiting_init(_metadata, &init, &w);
	EXPECT_SYSCALL_RETURNS(0, kill(init.pid, SIGTERM));
	EXPECT_SYSCALL_RETURNS(0, sc_release(&w.cmd));
	init.ms = ANSWER_MS;
	EXPECT_CHILD_SUCCEEDED(&init);
}

/* PIDNS-09 pid_namespaces(7): SIGKILL from the parent namespace is forced: it kills the init (no handler can be set for it). */
TEST(sigkill_from_parent_namespace_kills_init)
{
	struct waiting_init w;
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	start_waiting_init(_metadata, &init, &w);
	EXPECT_SYSCALL_RETURNS(0, kill(init.pid, SIGKILL));
	EXPECT_CHILD_KILLED_BY(SIGKILL, &init);
}

/* Wait at most SC_WAIT_MS until PID stops: its wait status, or -1. */
static int wait_stopped(pid_t pid)
{
	int64_t deadline = sc_now_ns() + (int64_t)SC_WAIT_MS * 1000000;
	int delay = 1000, st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG | WUNTRACED);

		if (r == pid)
			return st;
		if ((r < 0 && errno != EINTR) || sc_now_ns() > deadline)
			return -1;
		sc_backoff(&delay);
	}
}

/* PIDNS-09 pid_namespaces(7): SIGSTOP from the parent namespace is forced: the init stops (waitpid(WUNTRACED) reports SIGSTOP). */
TEST(sigstop_from_parent_namespace_stops_init)
{
	struct waiting_init w;
	struct sc_child init;
	int st;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	start_waiting_init(_metadata, &init, &w);
	EXPECT_SYSCALL_RETURNS(0, kill(init.pid, SIGSTOP));
	st = wait_stopped(init.pid);
	EXPECT_TRUE(st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP) {
		TH_LOG("the init: %s", st == -1 ? "not stopped" : sc_status_str(st));
	}
	kill(init.pid, SIGKILL);
	sc_child_end(&init);
}

static volatile sig_atomic_t seen_sig[2], seen_pid[2], seen_code[2];
static void on_siginfo(int sig, siginfo_t *si, void *ctx)
{
	int i = sig == SIGUSR1 ? 0 : 1;

	(void)ctx;
	seen_sig[i] = 1;
	seen_pid[i] = si->si_pid;
	seen_code[i] = si->si_code;
}

/* What the init saw of SIGUSR1 (from outside) and SIGUSR2 (from the member). */
struct siginfo_report {
	int seen[2], pid[2], code[2];
	pid_t member;
	struct sc_pipe ready, cmd;
};

static int member_sends_usr2(void *data)
{
	(void)data;
	return kill(1, SIGUSR2) ? sc_child_fail("kill(1, SIGUSR2) -> %s", sc_errname(errno)) : SC_CHILD_OK;
}

/*
 * The init: both signals blocked and handled; the member's SIGUSR2 pending, it says
 * it is ready, waits for the command (SIGUSR1 from outside came), then unblocks.
 */
static int init_sees_siginfo(void *data)
{
	struct sigaction sa = { .sa_sigaction = on_siginfo, .sa_flags = SA_SIGINFO };
	struct siginfo_report *got = data;
	struct sc_child member;
	sigset_t both;
	int r;

	default_signals();
	REQUIRE_INSIDE_NEW_PIDNS(true);
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGUSR2);
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
	    sigprocmask(SIG_BLOCK, &both, NULL))
		return sc_child_error("sigaction/sigprocmask -> %s", sc_errname(errno));
	r = sc_child_run(&member, "the member", member_sends_usr2, NULL, 0);
	got->member = member.pid;
	if (r)
		return r;
	/* SIGUSR2 from the member is pending; now SIGUSR1 from outside. */
	if (sc_signal_ready(got->ready.wr) || sc_hold(&got->cmd, SC_WAIT_MS))
		return sc_child_error("no command from the test");
	sigprocmask(SIG_UNBLOCK, &both, NULL);
	for (int i = 0; i < 2; i++) {
		got->seen[i] = seen_sig[i];
		got->pid[i] = seen_pid[i];
		got->code[i] = seen_code[i];
	}
	return SC_CHILD_OK;
}

/* PIDNS-10 pid_namespaces(7): a kill() from the parent namespace reaches the init's SA_SIGINFO handler with si_pid 0 (SI_USER); one from a member shows the member's PID (2). */
TEST(signal_from_parent_namespace_has_si_pid_0)
{
	struct siginfo_report got;
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	memset(&got, 0xff, sizeof(got));
	sc_pipe_setup(_metadata, &got.ready, O_CLOEXEC);
	sc_pipe_setup(_metadata, &got.cmd, O_CLOEXEC);
	SC_CHILD_START(&init, "the init", init_sees_siginfo, &got,
		       offsetof(struct siginfo_report, ready));
	sc_close(&got.ready.wr);
	if (sc_wait_ready(got.ready.rd)) {
		int r = sc_child_end(&init);

		/* A setup error, unless the init failed (not in a new PID namespace). */
		ASSERT_NE(SC_CHILD_FAILED, r) {
			TH_LOG("%s", init.text);
		}
		SC_ERROR("the init did not get ready: %s", init.text);
	}
	EXPECT_SYSCALL_RETURNS(0, kill(init.pid, SIGUSR1));
	EXPECT_SYSCALL_RETURNS(0, sc_release(&got.cmd));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_EQ(1, got.seen[0]);
	EXPECT_EQ(0, got.pid[0]) {
		TH_LOG("si_pid of the signal from the parent namespace: %d", got.pid[0]);
	}
	EXPECT_EQ(SI_USER, got.code[0]);
	EXPECT_EQ(1, got.seen[1]);
	EXPECT_EQ(2, got.member);
	EXPECT_EQ(got.member, got.pid[1]) {
		TH_LOG("si_pid of the member's signal: %d", got.pid[1]);
	}
	EXPECT_EQ(SI_USER, got.code[1]);
	EXPECT_CHILD_SUCCEEDED(&init);
}

TEST_HARNESS_MAIN
