// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, the end of processes: orphans go to the namespace's init (or a
 * nearer subreaper inside), the init's end kills every member with SIGKILL, and a
 * namespace whose init has gone takes no new process (fork() fails with ENOMEM,
 * also after setns() into it).
 * Man pages: pid_namespaces(7), prctl(2) PR_SET_CHILD_SUBREAPER, setns(2), fork(2).
 */
#include "pidns.h"

/* Wait at most SC_WAIT_MS for any child to end: its PID (status in *ST), or -1. */
static pid_t wait_any(int *st)
{
	int64_t deadline = sc_now_ns() + (int64_t)SC_WAIT_MS * 1000000;
	int delay = 1000;

	for (;;) {
		pid_t r = waitpid(-1, st, WNOHANG);

		if (r > 0)
			return r;
		if (r < 0 && errno != EINTR)
			return -1;
		if (sc_now_ns() > deadline)
			return -1;
		sc_backoff(&delay);
	}
}

/*
 * Run by the would-be reaper: report its getpid() to REP, fork M, which forks O
 * and exits at once; once M is reaped, let O report its getppid() to REP, then
 * reap O, which proves that O became our child. 0, or the failing step.
 */
static int orphan_and_reap(int rep)
{
	pid_t me = getpid(), m, o;
	int go[2], st;

	if (write(rep, &me, sizeof(me)) != sizeof(me) || pipe2(go, O_CLOEXEC))
		return 20;
	m = sc_fork();
	if (m < 0)
		return 21;
	if (m == 0) {
		/* Plain fork(): sc_fork()'s PR_SET_PDEATHSIG would kill O with M. */
		o = fork();
		if (o == 0) {
			pid_t pp;
			char c;

			close(go[1]);
			if (sc_read_full(go[0], &c, 1))
				_exit(2);
			pp = getppid();
			_exit(write(rep, &pp, sizeof(pp)) == sizeof(pp) ? 0 : 3);
		}
		_exit(o < 0 ? 4 : 0);
	}
	close(go[0]);
	st = sc_wait(m);
	if (st != 0)
		return 22;
	/* M has been reaped, so O has been re-parented already. */
	if (write(go[1], "g", 1) != 1)
		return 23;
	o = wait_any(&st);
	if (o < 0)
		return 24;
	return st == 0 ? 0 : 25;
}

/* PIDNS-07 pid_namespaces(7): an orphan inside a PID namespace is re-parented to its init: getppid() becomes 1 and the init reaps it. */
TEST(orphan_is_reparented_to_namespace_init)
{
	pid_t seen[2] = { -1, -1 }, pid;
	int rep[2], r;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0)
		_exit(orphan_and_reap(rep[1]));
	close(rep[1]);
	r = sc_read_full(rep[0], seen, sizeof(seen));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the orphan's getppid(): %s", sc_read_str(r));
	}
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[1]) {
		TH_LOG("the orphan's getppid() is %d", seen[1]);
	}
	/* Exit 0: the init could wait for the orphan, its child now. */
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

/* PIDNS-07 prctl(2): with a child subreaper inside the namespace, an orphan below it goes to the subreaper, not to the init. */
TEST(orphan_goes_to_nearer_subreaper_inside_namespace)
{
	pid_t seen[2] = { -1, -1 }, pid;
	int rep[2], r;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(subreaper);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		pid_t s = sc_fork();

		if (s == 0) {
			if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
				_exit(10);
			_exit(orphan_and_reap(rep[1]));
		}
		if (s < 0)
			_exit(11);
		r = sc_wait(s);
		_exit(WIFEXITED(r) ? WEXITSTATUS(r) : 12);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], seen, sizeof(seen));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the orphan's getppid(): %s", sc_read_str(r));
	}
	EXPECT_EQ(2, seen[0]);
	EXPECT_EQ(seen[0], seen[1]) {
		TH_LOG("the orphan's getppid() is %d, the subreaper is %d", seen[1], seen[0]);
	}
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

#define DEATH_MS 2000	/* bound for the kernel to kill a member (at once, really) */

/*
 * The init I and a member V, both children of the caller; V ignores SIGTERM,
 * SIGHUP and SIGINT and holds the write end of a pipe. I ends (exit, or SIGKILL
 * from the caller when KILL_INIT), then V must die of SIGKILL and its pipe end
 * must close.
 */
static void members_die_with_init(struct __test_metadata *_metadata, bool kill_init)
{
	int w[2], ready[2], cmd[2], hold[2], r, st;
	struct pollfd p;
	pid_t init, v;
	char c;

	SC_SETUP(pipe2(w, O_CLOEXEC));
	SC_SETUP(pipe2(ready, O_CLOEXEC));
	SC_SETUP(pipe2(cmd, O_CLOEXEC));
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		close(cmd[1]);
		/* Exit 0 on the command (or after the bound). */
		hold_until_eof(cmd[0]);
	}
	v = sc_fork();
	if (v == 0) {
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		close(hold[1]);
		close(w[0]);
		if (sc_signal_ready(ready[1]))
			_exit(2);
		/* Longer than the caller waits: a survivor cannot look dead. */
		hold_until_eof_ms(hold[0], 3 * SC_WAIT_MS);
	}
	close(w[1]);
	close(ready[1]);
	close(cmd[0]);
	close(hold[0]);
	if (v < 0 || sc_wait_ready(ready[0]) != 0) {
		close(hold[1]);
		close(cmd[1]);
		if (v > 0)
			sc_wait(v);
		sc_wait(init);
		SC_ERROR("the member did not start");
	}
	p = (struct pollfd){ .fd = w[0], .events = POLLIN };
	EXPECT_EQ(0, poll(&p, 1, 0)) {
		TH_LOG("the member's pipe is readable before the init ended (revents 0x%x)",
		       p.revents);
	}
	if (kill_init) {
		EXPECT_SYSCALL_RETURNS(0, kill(init, SIGKILL));
	} else {
		EXPECT_SYSCALL_RETURNS(1, write(cmd[1], "x", 1));
	}
	r = sc_read_full_ms(w[0], &c, 1, DEATH_MS);
	EXPECT_EQ(-EPIPE, r) {
		TH_LOG("the member's pipe after the init ended: %s", sc_read_str(r));
	}
	/* V before I: I's exit lasts until V, a zombie of ours, is reaped. */
	close(hold[1]);
	st = sc_wait(v);
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
		TH_LOG("the member %s", sc_status_str(st));
	}
	st = sc_wait(init);
	if (kill_init) {
		EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
			TH_LOG("the init %s", sc_status_str(st));
		}
	} else {
		EXPECT_EQ(0, st) {
			TH_LOG("the init %s", sc_status_str(st));
		}
	}
	close(cmd[1]);
	close(w[0]);
	close(ready[0]);
}

/* PIDNS-11 pid_namespaces(7): when the init exits, a member that ignores SIGTERM is killed by SIGKILL and its pipe write end closes (the reader sees end of file). */
TEST(init_exit_kills_members_ignoring_sigterm)
{
	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	members_die_with_init(_metadata, false);
}

/* PIDNS-11 pid_namespaces(7): when the init is killed (SIGKILL from outside), a member that ignores SIGTERM is killed by SIGKILL and its pipe write end closes. */
TEST(init_killed_from_outside_takes_members_down)
{
	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	members_die_with_init(_metadata, true);
}

/* Fork a child that exits at once; fork()'s errno (0 when it worked). */
static int fork_errno(void)
{
	pid_t pid;
	int err;

	fflush(stdout);
	fflush(stderr);
	errno = 0;
	pid = fork();
	if (pid == 0)
		_exit(0);
	err = pid < 0 ? errno : 0;
	if (pid > 0)
		sc_wait(pid);
	return err;
}

/* PIDNS-12 pid_namespaces(7): after the namespace's init has exited, fork() by the process that called unshare(CLONE_NEWPID) fails with ENOMEM. */
TEST(fork_after_init_exit_fails_enomem)
{
	pid_t init;
	int st, err;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	init = SC_SETUP(sc_fork());
	if (init == 0)
		_exit(getpid() == 1 ? 0 : 1);
	st = sc_wait(init);
	ASSERT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	err = fork_errno();
	EXPECT_EQ(ENOMEM, err) {
		TH_LOG("fork() after the init's exit: expected ENOMEM, got %s",
		       err ? sc_errname(err) : "a child");
	}
}

/* PIDNS-12 setns(2): after setns() into a PID namespace whose init has exited (held by a descriptor), fork() fails with ENOMEM. */
TEST(fork_after_setns_into_dead_pidns_fails_enomem)
{
	int hold[2], nsfd, r, err;
	pid_t helper, init = -1;
	char path[64], link[SC_NS_LEN];

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(setns);
	/* CAP_SYS_ADMIN over the namespace: root's own, or a user namespace's. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	/* A helper makes the namespace; its init lives until hold ends. */
	helper = fork_pidns_holder(_metadata, hold, &init);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	sc_ns_link(path, link);
	close(hold[1]);
	r = sc_wait(helper);
	/* NS-02: the link opens as the namespace (proot follows its text as a path). */
	ASSERT_LE(0, nsfd) {
		TH_LOG("open(%s) -> %s, where readlink() gives \"%s\"", path, sc_errname(err), link);
	}
	if (r != 0)
		SC_ERROR("the helper or its init %s", sc_status_str(r));
	/* The init has exited and been reaped; nsfd keeps the namespace. */
	r = setns(nsfd, CLONE_NEWPID);
	err = errno;
	ASSERT_EQ(0, r) {
		TH_LOG("setns(dead pid namespace) -> %s", sc_errname(err));
	}
	err = fork_errno();
	EXPECT_EQ(ENOMEM, err) {
		TH_LOG("fork() after setns(): expected ENOMEM, got %s",
		       err ? sc_errname(err) : "a child");
	}
	close(nsfd);
}

TEST_HARNESS_MAIN
