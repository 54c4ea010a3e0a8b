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

struct kill_result { int ret1, err1, ret2, err2; };

/* kill(PID1, SIG1) then kill(PID2, SIG2), the results to FD. */
static int kill_twice(int fd, pid_t pid1, int sig1, pid_t pid2, int sig2)
{
	struct kill_result k;

	errno = 0;
	k.ret1 = kill(pid1, sig1);
	k.err1 = errno;
	errno = 0;
	k.ret2 = kill(pid2, sig2);
	k.err2 = errno;
	return write(fd, &k, sizeof(k)) == sizeof(k) ? 0 : 1;
}

/* The checks on a kill_twice() report (when it came): both kill() calls returned 0. */
#define EXPECT_KILLS_RETURNED_0(k, what1, what2) do {				\
	if ((k).ret1 == -2)							\
		break;								\
	EXPECT_EQ(0, (k).ret1) {						\
		TH_LOG("%s -> %s", what1, sc_errname((k).err1));		\
	}									\
	EXPECT_EQ(0, (k).ret2) {						\
		TH_LOG("%s -> %s", what2, sc_errname((k).err2));		\
	}									\
} while (0)

/* PIDNS-08 pid_namespaces(7): kill(1,SIGTERM) and kill(1,SIGKILL) from a (privileged) member return 0 and the init, without handlers, keeps running. */
TEST(member_sigterm_and_sigkill_to_init_are_ignored)
{
	struct kill_result k = { -2, 0, -2, 0 };
	int rep[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		pid_t m;

		default_signals();
		if (!inside_new_pidns(true))
			_exit(NOT_INSIDE);
		m = sc_fork();
		if (m == 0)
			_exit(kill_twice(rep[1], 1, SIGTERM, 1, SIGKILL));
		if (m < 0)
			_exit(2);
		/* Killed here if either signal got through. */
		_exit(sc_wait(m) == 0 ? 0 : 3);
	}
	close(rep[1]);
	r = sc_read_full_ms(rep[0], &k, sizeof(k), ANSWER_MS);
	EXPECT_EQ(0, r) {
		TH_LOG("reading the member's kill() results: %s", sc_read_str(r));
	}
	EXPECT_KILLS_RETURNED_0(k, "kill(1, SIGTERM)", "kill(1, SIGKILL)");
	st = sc_wait_ms(init, ANSWER_MS);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close(rep[0]);
}

/* PIDNS-08 pid_namespaces(7): the init's own kill(1,SIGTERM) and kill(getpid(),SIGKILL) return 0 and it keeps running. */
TEST(init_sigterm_and_sigkill_to_itself_are_ignored)
{
	struct kill_result k = { -2, 0, -2, 0 };
	int rep[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		default_signals();
		if (!inside_new_pidns(true))
			_exit(NOT_INSIDE);
		_exit(kill_twice(rep[1], 1, SIGTERM, getpid(), SIGKILL));
	}
	close(rep[1]);
	r = sc_read_full_ms(rep[0], &k, sizeof(k), ANSWER_MS);
	EXPECT_EQ(0, r) {
		TH_LOG("reading the init's kill() results: %s", sc_read_str(r));
	}
	EXPECT_KILLS_RETURNED_0(k, "kill(1, SIGTERM)", "kill(getpid(), SIGKILL)");
	st = sc_wait_ms(init, ANSWER_MS);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close(rep[0]);
}

static volatile sig_atomic_t got_usr1;
static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* PIDNS-08 pid_namespaces(7): a signal from a member for which the init has a handler is delivered: kill(1,SIGUSR1) runs the init's handler. */
TEST(member_signal_reaches_init_handler)
{
	struct kill_result k = { -2, 0, -2, 0 };
	int rep[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };
		pid_t m;

		default_signals();
		if (!inside_new_pidns(true))
			_exit(NOT_INSIDE);
		if (sigaction(SIGUSR1, &sa, NULL))
			_exit(2);
		m = sc_fork();
		if (m == 0) {
			signal(SIGUSR1, SIG_DFL);
			_exit(kill_twice(rep[1], 1, SIGUSR1, 1, 0));
		}
		if (m < 0 || sc_wait(m) != 0)
			_exit(3);
		/* The signal was queued before the member ended: the handler has run. */
		_exit(got_usr1 ? 0 : 4);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &k, sizeof(k));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the member's kill() results: %s", sc_read_str(r));
	}
	EXPECT_KILLS_RETURNED_0(k, "kill(1, SIGUSR1)", "kill(1, 0)");
	st = sc_wait(init);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s%s", sc_status_str(st),
		       st == 4 << 8 ? " (its SIGUSR1 handler did not run)" : "");
	}
	close(rep[0]);
}

/*
 * An init with default dispositions that says it is ready, then waits for one
 * command byte and answers it. Its wait status, via the caller's sc_wait().
 */
struct waiting_init {
	pid_t pid;
	int ready, cmd, reply;	/* the caller's ends */
};

static int start_waiting_init(struct waiting_init *w)
{
	int ready[2], cmd[2], reply[2];

	if (pipe2(ready, O_CLOEXEC) || pipe2(cmd, O_CLOEXEC) || pipe2(reply, O_CLOEXEC))
		return -1;
	w->pid = sc_fork();
	if (w->pid == 0) {
		char c;

		default_signals();
		close(cmd[1]);
		if (sc_signal_ready(ready[1]))
			_exit(2);
		if (sc_read_full(cmd[0], &c, 1))
			_exit(3);
		_exit(write(reply[1], "a", 1) == 1 ? 0 : 4);
	}
	close(ready[1]);
	close(cmd[0]);
	close(reply[1]);
	w->ready = ready[0];
	w->cmd = cmd[1];
	w->reply = reply[0];
	if (w->pid < 0 || sc_wait_ready(w->ready)) {
		close(w->cmd);
		if (w->pid > 0)
			sc_wait(w->pid);
		return -1;
	}
	return 0;
}

static void close_waiting_init(struct waiting_init *w)
{
	close(w->ready);
	close(w->cmd);
	close(w->reply);
}

/* PIDNS-09 pid_namespaces(7): SIGTERM from the parent namespace to an init without a handler returns 0 and is ignored: the init still answers and exits 0. */
TEST(sigterm_from_parent_namespace_is_ignored_by_init)
{
	struct waiting_init w;
	char c = 0;
	int r, st;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	if (start_waiting_init(&w))
		SC_ERROR("the init did not start: %s", sc_errname(errno));
	EXPECT_EQ(0, kill(w.pid, SIGTERM)) {
		TH_LOG("kill(init, SIGTERM) -> %s", sc_errname(errno));
	}
	EXPECT_SYSCALL_RETURNS(1, write(w.cmd, "x", 1));
	r = sc_read_full_ms(w.reply, &c, 1, ANSWER_MS);
	EXPECT_EQ(0, r) {
		TH_LOG("the init's answer after SIGTERM: %s", sc_read_str(r));
	}
	st = sc_wait_ms(w.pid, ANSWER_MS);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close_waiting_init(&w);
}

/* PIDNS-09 pid_namespaces(7): SIGKILL from the parent namespace is forced: it kills the init (no handler can be set for it). */
TEST(sigkill_from_parent_namespace_kills_init)
{
	struct waiting_init w;
	int st;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	if (start_waiting_init(&w))
		SC_ERROR("the init did not start: %s", sc_errname(errno));
	EXPECT_EQ(0, kill(w.pid, SIGKILL)) {
		TH_LOG("kill(init, SIGKILL) -> %s", sc_errname(errno));
	}
	st = sc_wait(w.pid);
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close_waiting_init(&w);
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
	int st;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	if (start_waiting_init(&w))
		SC_ERROR("the init did not start: %s", sc_errname(errno));
	EXPECT_EQ(0, kill(w.pid, SIGSTOP)) {
		TH_LOG("kill(init, SIGSTOP) -> %s", sc_errname(errno));
	}
	st = wait_stopped(w.pid);
	EXPECT_TRUE(st != -1 && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP) {
		TH_LOG("the init: %s", st == -1 ? "not stopped" : sc_status_str(st));
	}
	kill(w.pid, SIGKILL);
	sc_wait(w.pid);
	close_waiting_init(&w);
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

/* PIDNS-10 pid_namespaces(7): a kill() from the parent namespace reaches the init's SA_SIGINFO handler with si_pid 0 (SI_USER); one from a member shows the member's PID (2). */
TEST(signal_from_parent_namespace_has_si_pid_0)
{
	struct { int seen[2], pid[2], code[2], member_st; pid_t member; } got;
	int rep[2], ready[2], cmd[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	memset(&got, 0xff, sizeof(got));
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	SC_SETUP(pipe2(ready, O_CLOEXEC));
	SC_SETUP(pipe2(cmd, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		struct sigaction sa = { .sa_sigaction = on_siginfo, .sa_flags = SA_SIGINFO };
		sigset_t both;
		char c;

		default_signals();
		close(cmd[1]);
		if (!inside_new_pidns(true))
			_exit(NOT_INSIDE);
		sigemptyset(&both);
		sigaddset(&both, SIGUSR1);
		sigaddset(&both, SIGUSR2);
		if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
		    sigprocmask(SIG_BLOCK, &both, NULL))
			_exit(2);
		got.member = sc_fork();
		if (got.member == 0)
			_exit(kill(1, SIGUSR2) ? 2 : 0);
		if (got.member < 0)
			_exit(3);
		got.member_st = sc_wait(got.member);
		/* SIGUSR2 from the member is pending; now SIGUSR1 from outside. */
		if (sc_signal_ready(ready[1]) || sc_read_full(cmd[0], &c, 1))
			_exit(4);
		sigprocmask(SIG_UNBLOCK, &both, NULL);
		for (int i = 0; i < 2; i++) {
			got.seen[i] = seen_sig[i];
			got.pid[i] = seen_pid[i];
			got.code[i] = seen_code[i];
		}
		_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 5);
	}
	close(rep[1]);
	close(ready[1]);
	close(cmd[0]);
	if (sc_wait_ready(ready[0])) {
		close(cmd[1]);
		st = sc_wait(init);
		ASSERT_NE(NOT_INSIDE << 8, st) {
			TH_LOG("the init is not in a new PID namespace");
		}
		SC_ERROR("the init did not get ready: %s", sc_status_str(st));
	}
	EXPECT_EQ(0, kill(init, SIGUSR1)) {
		TH_LOG("kill(init, SIGUSR1) -> %s", sc_errname(errno));
	}
	EXPECT_SYSCALL_RETURNS(1, write(cmd[1], "x", 1));
	r = sc_read_full(rep[0], &got, sizeof(got));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the init's siginfo: %s", sc_read_str(r));
	}
	EXPECT_EQ(1, got.seen[0]);
	EXPECT_EQ(0, got.pid[0]) {
		TH_LOG("si_pid of the signal from the parent namespace: %d", got.pid[0]);
	}
	EXPECT_EQ(SI_USER, got.code[0]);
	EXPECT_EQ(0, got.member_st) {
		TH_LOG("the member's kill(1, SIGUSR2): %s", sc_status_str(got.member_st));
	}
	EXPECT_EQ(1, got.seen[1]);
	EXPECT_EQ(2, got.member);
	EXPECT_EQ(got.member, got.pid[1]) {
		TH_LOG("si_pid of the member's signal: %d", got.pid[1]);
	}
	EXPECT_EQ(SI_USER, got.code[1]);
	st = sc_wait(init);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close(rep[0]);
	close(ready[0]);
	close(cmd[1]);
}

TEST_HARNESS_MAIN
