// SPDX-License-Identifier: GPL-2.0-only
/*
 * Child subreapers: a process marked with PR_SET_CHILD_SUBREAPER adopts its orphaned
 * descendants (waitpid() and SIGCHLD work for them), PR_GET_CHILD_SUBREAPER reads
 * the mark, fork() children do not inherit it and execve() keeps it. Each case marks
 * a child of the test, never the test process.
 * Man pages: prctl(2) PR_SET_CHILD_SUBREAPER, wait(2).
 */
#include "sysconform.h"

struct subreaper_mark {
	int set, get_err, before, after;	/* PR_SET's, PR_GET's errno; PR_GET's values */
};

static int mark_subreaper(void *data)
{
	struct subreaper_mark *m = data;

	m->get_err = prctl(PR_GET_CHILD_SUBREAPER, &m->before, 0, 0, 0) ? errno : 0;
	m->set = prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) ? errno : 0;
	if (!m->get_err && prctl(PR_GET_CHILD_SUBREAPER, &m->after, 0, 0, 0))
		m->get_err = errno;
	return SC_CHILD_OK;
}

/* PROC-08 prctl(2): PR_GET_CHILD_SUBREAPER reads 0 before PR_SET_CHILD_SUBREAPER(1) and 1 after. */
TEST(get_child_subreaper_reads_the_mark)
{
	struct subreaper_mark got = { -1, -1, -1, -1 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(subreaper);
	sc_child_run(&c, "the child", mark_subreaper, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(0, got.set) {
		TH_LOG("PR_SET_CHILD_SUBREAPER -> %s", sc_errname(got.set));
	}
	ASSERT_EQ(0, got.get_err) {
		TH_LOG("PR_GET_CHILD_SUBREAPER -> %s (PR_SET_CHILD_SUBREAPER worked)", sc_errname(got.get_err));
	}
	EXPECT_EQ(0, got.before);
	EXPECT_EQ(1, got.after);
	EXPECT_CHILD_SUCCEEDED(&c);
}

struct adoption {
	pid_t reaper, seen_ppid, grandchild;	/* the orphan's getppid(), waitpid(-1)'s value */
	int sigchld, waited;
};

/* The subreaper: make an orphan (sc_orphan()), then take its SIGCHLD and reap it. */
static int subreaper_reaps_orphan(void *data)
{
	struct adoption *got = data;
	sigset_t chld;
	int st;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	SC_CHILD_CALL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	SC_CHILD_CALL(sigprocmask(SIG_BLOCK, &chld, NULL));
	got->reaper = getpid();
	if (sc_orphan(&got->seen_ppid) < 0)
		return SC_CHILD_FAILED;
	got->sigchld = sc_sigwait_ms(SIGCHLD, NULL, SC_WAIT_MS) == SIGCHLD;
	got->grandchild = waitpid(-1, &st, 0);
	got->waited = got->grandchild > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	return SC_CHILD_OK;
}

/* PROC-08 prctl(2): an orphaned grandchild is re-parented to the subreaper (getppid()), which gets SIGCHLD for it and reaps it with waitpid(). */
TEST(orphan_goes_to_subreaper_which_reaps_it)
{
	struct adoption got = { -1, -1, -1, 0, 0 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(subreaper);
	sc_child_run(&c, "the subreaper", subreaper_reaps_orphan, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(got.reaper, got.seen_ppid) {
		TH_LOG("the orphan's getppid() is %d, the subreaper is %d", got.seen_ppid, got.reaper);
	}
	EXPECT_TRUE(got.sigchld) {
		TH_LOG("no SIGCHLD at the subreaper when the orphan exited");
	}
	EXPECT_TRUE(got.waited) {
		TH_LOG("waitpid(-1) at the subreaper -> %d, not the orphan exiting 0", got.grandchild);
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* PR_GET_CHILD_SUBREAPER in a child of a subreaper. */
static int read_mark(void *data)
{
	struct subreaper_mark *m = data;

	m->get_err = prctl(PR_GET_CHILD_SUBREAPER, &m->after, 0, 0, 0) ? errno : 0;
	return SC_CHILD_OK;
}

static int subreaper_forks(void *data)
{
	struct sc_child c;

	SC_CHILD_CALL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	return sc_child_run(&c, "its child", read_mark, data, sizeof(struct subreaper_mark));
}

/* PROC-08 prctl(2): a fork() child of a subreaper is not one: its PR_GET_CHILD_SUBREAPER reads 0. */
TEST(fork_child_does_not_inherit_subreaper)
{
	struct subreaper_mark got = { -1, -1, -1, -1 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(subreaper);
	sc_child_run(&c, "the subreaper", subreaper_forks, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(0, got.get_err) {
		TH_LOG("PR_GET_CHILD_SUBREAPER in the child -> %s", sc_errname(got.get_err));
	}
	EXPECT_EQ(0, got.after) {
		TH_LOG("PR_GET_CHILD_SUBREAPER in the subreaper's child reads %d", got.after);
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

static int become_subreaper(void *data)
{
	(void)data;
	SC_CHILD_CALL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	return SC_CHILD_OK;
}

/* PROC-08 prctl(2): execve() keeps the subreaper mark: the new program's PR_GET_CHILD_SUBREAPER reads 1. */
TEST(execve_keeps_subreaper)
{
	const char *const args[] = { "--subreaper", NULL };
	struct sc_child c;
	char out[64] = "";
	int rd;

	SC_REQUIRE_FEATURE(subreaper);
	if (sc_spawn_helper(&c, args, -1, &rd, become_subreaper, NULL))
		SC_ERROR("%s", c.text);
	sc_read_full(rd, out, sizeof(out) - 1);
	close(rd);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_STREQ("subreaper 1\n", out);
}

TEST_HARNESS_MAIN
