// SPDX-License-Identifier: GPL-2.0-only
/*
 * Child subreapers: a process marked with PR_SET_CHILD_SUBREAPER adopts its orphaned
 * descendants (waitpid() and SIGCHLD work for them), PR_GET_CHILD_SUBREAPER reads
 * the mark, fork() children do not inherit it and execve() keeps it. Each case marks
 * a child of the test, never the test process.
 * Man pages: prctl(2) PR_SET_CHILD_SUBREAPER, wait(2).
 */
#include "sysconform.h"

extern char **environ;

/* PROC-08 prctl(2): PR_GET_CHILD_SUBREAPER reads 0 before PR_SET_CHILD_SUBREAPER(1) and 1 after. */
TEST(get_child_subreaper_reads_the_mark)
{
	struct { int set, get_err, before, after; } got = { -1, -1, -1, -1 };
	int rep[2], r;
	pid_t pid;

	SC_REQUIRE_FEATURE(subreaper);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		got.get_err = prctl(PR_GET_CHILD_SUBREAPER, &got.before, 0, 0, 0) ? errno : 0;
		got.set = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) ? errno : 0;
		if (!got.get_err && prctl(PR_GET_CHILD_SUBREAPER, &got.after, 0, 0, 0))
			got.get_err = errno;
		_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	close(rep[0]);
	EXPECT_CHILD_OK(pid);
	ASSERT_EQ(0, r) {
		TH_LOG("reading the child's report: %s", sc_read_str(r));
	}
	EXPECT_EQ(0, got.set) {
		TH_LOG("PR_SET_CHILD_SUBREAPER -> %s", sc_errname(got.set));
	}
	ASSERT_EQ(0, got.get_err) {
		TH_LOG("PR_GET_CHILD_SUBREAPER -> %s (PR_SET_CHILD_SUBREAPER worked)", sc_errname(got.get_err));
	}
	EXPECT_EQ(0, got.before);
	EXPECT_EQ(1, got.after);
}

/* PROC-08 prctl(2): an orphaned grandchild is re-parented to the subreaper (getppid()), which gets SIGCHLD for it and reaps it with waitpid(). */
TEST(orphan_goes_to_subreaper_which_reaps_it)
{
	struct { pid_t reaper, seen_ppid, grandchild; int sigchld, waited; } got = { -1, -1, -1, 0, 0 };
	int rep[2], r;
	pid_t pid;

	SC_REQUIRE_FEATURE(subreaper);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		struct timespec bound = { SC_WAIT_MS / 1000, 0 };
		int go[2], back[2], st;
		sigset_t chld;
		pid_t mid;

		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) || pipe2(go, O_CLOEXEC) || pipe2(back, O_CLOEXEC) ||
		    sigprocmask(SIG_BLOCK, &chld, NULL))
			_exit(2);
		got.reaper = getpid();
		mid = sc_fork();
		if (mid == 0) {
			/* fork(), not sc_fork(): the orphan must outlive its parent. */
			pid_t g = fork();

			if (g == 0) {
				char c;

				/* Wait until the middle process is gone, then report the new parent. */
				sc_read_full(go[0], &c, 1);
				got.seen_ppid = getppid();
				_exit(write(back[1], &got.seen_ppid, sizeof(pid_t)) == sizeof(pid_t) ? 0 : 1);
			}
			_exit(g > 0 ? 0 : 3);
		}
		if (mid < 0 || sc_wait(mid) != 0)
			_exit(4);
		/* The middle process is reaped: the grandchild is an orphan now. */
		while (sigtimedwait(&chld, NULL, &(struct timespec){ 0, 0 }) > 0)
			;	/* the middle process's SIGCHLD */
		if (write(go[1], "g", 1) != 1 || sc_read_full(back[0], &got.seen_ppid, sizeof(pid_t)))
			_exit(5);
		got.sigchld = sigtimedwait(&chld, NULL, &bound) == SIGCHLD;
		got.grandchild = waitpid(-1, &st, 0);
		got.waited = got.grandchild > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
		_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 6);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	close(rep[0]);
	EXPECT_CHILD_OK(pid);
	ASSERT_EQ(0, r) {
		TH_LOG("reading the subreaper's report: %s", sc_read_str(r));
	}
	EXPECT_EQ(got.reaper, got.seen_ppid) {
		TH_LOG("the orphan's getppid() is %d, the subreaper is %d", got.seen_ppid, got.reaper);
	}
	EXPECT_TRUE(got.sigchld) {
		TH_LOG("no SIGCHLD at the subreaper when the orphan exited");
	}
	EXPECT_TRUE(got.waited) {
		TH_LOG("waitpid(-1) at the subreaper -> %d, not the orphan exiting 0", got.grandchild);
	}
}

/* PROC-08 prctl(2): a fork() child of a subreaper is not one: its PR_GET_CHILD_SUBREAPER reads 0. */
TEST(fork_child_does_not_inherit_subreaper)
{
	pid_t pid;
	int st;

	SC_REQUIRE_FEATURE(subreaper);
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		pid_t c;

		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
			_exit(2);
		c = sc_fork();
		if (c == 0) {
			int v = -1;

			_exit(prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) ? 3 : v == 0 ? 0 : 4);
		}
		_exit(c > 0 ? sc_exit_code(sc_wait(c)) : 5);
	}
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("the subreaper's child %s (3: PR_GET_CHILD_SUBREAPER failed, 4: it reads non-zero)",
		       sc_status_str(st));
	}
}

/* PROC-08 prctl(2): execve() keeps the subreaper mark: the new program's PR_GET_CHILD_SUBREAPER reads 1. */
TEST(execve_keeps_subreaper)
{
	const char *helper = sc_helper_path("sc-exec-helper");
	char out[64] = "";
	int o[2];
	pid_t pid;

	SC_REQUIRE_FEATURE(subreaper);
	SC_SETUP(pipe2(o, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		char *argv[] = { (char *)helper, "--subreaper", NULL };

		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) || dup2(o[1], 1) != 1)
			_exit(2);
		execve(helper, argv, environ);
		_exit(3);
	}
	close(o[1]);
	sc_read_full(o[0], out, sizeof(out) - 1);
	close(o[0]);
	EXPECT_CHILD_OK(pid);
	EXPECT_STREQ("subreaper 1\n", out);
}

TEST_HARNESS_MAIN
