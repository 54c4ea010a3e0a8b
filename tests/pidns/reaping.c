// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, the end of processes: orphans go to the namespace's init (or a
 * nearer subreaper inside), the init's end kills every member with SIGKILL, and a
 * namespace whose init has gone takes no new process (fork() fails with ENOMEM,
 * also after setns() into it).
 * Man pages: pid_namespaces(7), prctl(2) PR_SET_CHILD_SUBREAPER, setns(2), fork(2).
 */
#include "pidns.h"

/* What a would-be reaper reports: its getpid(), and the getppid() of its orphan. */
struct adoption {
	pid_t reaper, orphan_ppid;
};

/* The would-be reaper: make an orphan (sc_orphan()) and reap it: proof that it is its child. */
static int adopt_orphan(void *data)
{
	struct adoption *a = data;
	pid_t orphan;
	int st;

	a->reaper = getpid();
	orphan = sc_orphan(&a->orphan_ppid);
	if (orphan < 0)
		return SC_CHILD_FAILED;
	st = sc_wait(orphan);
	return st == 0 ? SC_CHILD_OK : sc_child_fail("the orphan %s", sc_status_str(st));
}

/* PIDNS-07 pid_namespaces(7): an orphan inside a PID namespace is re-parented to its init: getppid() becomes 1 and the init reaps it. */
TEST(orphan_is_reparented_to_namespace_init)
{
	struct adoption seen = { -1, -1 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", adopt_orphan, &seen, sizeof(seen));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_EQ(1, seen.reaper);
	EXPECT_EQ(1, seen.orphan_ppid) {
		TH_LOG("the orphan's getppid() is %d", seen.orphan_ppid);
	}
	/* Exit 0: the init could wait for the orphan, its child now. */
	EXPECT_CHILD_SUCCEEDED(&init);
}

static int subreaper_adopts_orphan(void *data)
{
	SC_CHILD_CALL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
	return adopt_orphan(data);
}

static int init_runs_subreaper(void *data)
{
	struct sc_child subreaper;

	return sc_child_run(&subreaper, "the subreaper", subreaper_adopts_orphan, data,
			    sizeof(struct adoption));
}

/* PIDNS-07 prctl(2): with a child subreaper inside the namespace, an orphan below it goes to the subreaper, not to the init. */
TEST(orphan_goes_to_nearer_subreaper_inside_namespace)
{
	struct adoption seen = { -1, -1 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(subreaper);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_runs_subreaper, &seen, sizeof(seen));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_EQ(2, seen.reaper);
	EXPECT_EQ(seen.reaper, seen.orphan_ppid) {
		TH_LOG("the orphan's getppid() is %d, the subreaper is %d", seen.orphan_ppid,
		       seen.reaper);
	}
	EXPECT_CHILD_SUCCEEDED(&init);
}

#define DEATH_MS 2000	/* bound for the kernel to kill a member (at once, really) */

/* A member that ignores SIGTERM, SIGHUP and SIGINT and holds the write end of W. */
struct member {
	bool ready;
	struct sc_pipe w, hold;
};

static int member_ignoring_sigterm(void *data)
{
	struct member *m = data;

	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	close(m->w.rd);
	m->ready = true;
	sc_child_send();
	/* Longer than the caller waits: a survivor cannot look dead. */
	sc_hold(&m->hold, 3 * SC_WAIT_MS);
	return SC_CHILD_OK;
}

/*
 * The init and a member, both children of the caller. The init ends (it exits on
 * the command, or the caller kills it with SIGKILL when KILL_INIT), then the member
 * must die of SIGKILL and its pipe end must close.
 */
static void members_die_with_init(struct __test_metadata *_metadata, bool kill_init)
{
	struct member m = { .ready = false };
	struct sc_child init, member;
	struct sc_pipe cmd;
	struct pollfd p;
	char c;
	int r;

	sc_pipe_setup(_metadata, &cmd, O_CLOEXEC);
	sc_pipe_setup(_metadata, &m.w, O_CLOEXEC);
	sc_pipe_setup(_metadata, &m.hold, O_CLOEXEC);
	SC_CHILD_START(&init, "the init", sc_child_hold, &cmd, 0);
	SC_CHILD_START(&member, "the member", member_ignoring_sigterm, &m, sizeof(m.ready));
	sc_close(&m.w.wr);
	SC_CHILD_READY(&member);
	p = (struct pollfd){ .fd = m.w.rd, .events = POLLIN };
	EXPECT_EQ(0, poll(&p, 1, 0)) {
		TH_LOG("the member's pipe is readable before the init ended (revents 0x%x)",
		       p.revents);
	}
	if (kill_init) {
		EXPECT_SYSCALL_RETURNS(0, kill(init.pid, SIGKILL));
	} else {
		EXPECT_SYSCALL_RETURNS(0, sc_release(&cmd));
	}
	r = sc_read_full_ms(m.w.rd, &c, 1, DEATH_MS);
	EXPECT_EQ(-EPIPE, r) {
		TH_LOG("the member's pipe after the init ended: %s", sc_read_str(r));
	}
	/* The member first: the init's exit lasts until the member, our zombie, is reaped. */
	sc_release(&m.hold);
	EXPECT_CHILD_KILLED_BY(SIGKILL, &member);
	if (kill_init) {
		EXPECT_CHILD_KILLED_BY(SIGKILL, &init);
	} else {
		EXPECT_CHILD_SUCCEEDED(&init);
	}
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
	struct sc_child init;
	pid_t inner = -1;
	int err;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", report_getpid, &inner, sizeof(inner));
	ASSERT_CHILD_REPORTED(&init);
	ASSERT_EQ(1, inner);
	err = fork_errno();
	EXPECT_EQ(ENOMEM, err) {
		TH_LOG("fork() after the init's exit: expected ENOMEM, got %s",
		       err ? sc_errname(err) : "a child");
	}
}

/* PIDNS-12 setns(2): after setns() into a PID namespace whose init has exited (held by a descriptor), fork() fails with ENOMEM. */
TEST(fork_after_setns_into_dead_pidns_fails_enomem)
{
	char path[64], link[SC_NS_LEN];
	struct pidns_holder h;
	struct sc_child helper;
	int nsfd, err, ended;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(setns);
	/* CAP_SYS_ADMIN over the namespace: root's own, or a user namespace's. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	start_pidns_holder(_metadata, &helper, &h);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", h.init);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	sc_ns_link(path, link);
	sc_release(&h.hold);
	ended = sc_child_end(&helper);
	/* NS-02: the link opens as the namespace (proot follows its text as a path). */
	ASSERT_LE(0, nsfd) {
		TH_LOG("open(%s) -> %s, where readlink() gives \"%s\"", path, sc_errname(err), link);
	}
	if (ended != SC_CHILD_OK)
		SC_ERROR("%s", helper.text);
	/* The init has exited and been reaped; nsfd keeps the namespace. */
	ASSERT_SYSCALL_RETURNS(0, setns(nsfd, CLONE_NEWPID));
	err = fork_errno();
	EXPECT_EQ(ENOMEM, err) {
		TH_LOG("fork() after setns(): expected ENOMEM, got %s",
		       err ? sc_errname(err) : "a child");
	}
	close(nsfd);
}

TEST_HARNESS_MAIN
