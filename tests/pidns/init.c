// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, the first process: PID 1 after unshare(CLONE_NEWPID) and after
 * clone(CLONE_NEWPID), getppid() 0 in that init, the caller that stays outside
 * (unshare and setns move only later children), pid_for_children, unshare() only
 * once, later PIDs 2, 3 and /proc/PID/status NSpid.
 * Man pages: pid_namespaces(7), namespaces(7), unshare(2), setns(2), clone(2), proc(5).
 *
 * Each test runs in a process of its own, so it unshares there; the init and the
 * other members report through pipes and exit codes.
 */
#include "pidns.h"

/* The last two numbers of the NSpid line of /proc/PID/status; the count, or -errno. */
static int nspid_tail(pid_t pid, long *outer, long *inner)
{
	char path[64], line[256];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + 6, *end;

		if (strncmp(line, "NSpid:", 6))
			continue;
		for (;;) {
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			*outer = *inner;
			*inner = v;
			n++;
			p = end;
		}
	}
	fclose(f);
	return n;
}

/* PIDNS-01 pid_namespaces(7): the first child forked after unshare(CLONE_NEWPID) sees getpid() == 1, while fork() returned another PID to the caller. */
TEST(first_child_after_unshare_gets_pid_1)
{
	pid_t pid, seen = 0;
	int rep[2], r;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		pid_t me = getpid();

		_exit(write(rep[1], &me, sizeof(me)) == sizeof(me) ? 0 : 1);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &seen, sizeof(seen));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the child's getpid(): %s", sc_read_str(r));
	}
	EXPECT_EQ(1, seen);
	EXPECT_NE(1, pid);
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

static int clone_child_reports_pid(void *arg)
{
	pid_t me = getpid();

	return write(*(int *)arg, &me, sizeof(me)) == sizeof(me) ? 0 : 1;
}

/* PIDNS-01 clone(2): a child created by clone(CLONE_NEWPID) sees getpid() == 1. */
TEST(clone_newpid_child_gets_pid_1)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t pid, seen = 0;
	int rep[2], r;

	SC_REQUIRE_FEATURE(pidns);
	/* CAP_SYS_ADMIN for CLONE_NEWPID: root's own, or a user namespace's (UTS is a by-product). */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	fflush(stdout);
	fflush(stderr);
	pid = clone(clone_child_reports_pid, stack + sizeof(stack), CLONE_NEWPID | SIGCHLD, &rep[1]);
	ASSERT_NE(-1, pid) {
		TH_LOG("clone(CLONE_NEWPID|SIGCHLD) -> -1 %s", sc_errname(errno));
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &seen, sizeof(seen));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the child's getpid(): %s", sc_read_str(r));
	}
	EXPECT_EQ(1, seen);
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

/* PIDNS-02 pid_namespaces(7): the namespace's init gets getppid() == 0 (its parent is outside), while its own child gets getppid() == 1. */
TEST(init_getppid_returns_zero)
{
	pid_t pid, seen[2] = { -1, -1 };
	int rep[2], r;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		pid_t pp = getppid(), child;
		int st;

		if (write(rep[1], &pp, sizeof(pp)) != sizeof(pp))
			_exit(1);
		child = sc_fork();
		if (child < 0)
			_exit(2);
		if (child == 0) {
			pp = getppid();
			_exit(write(rep[1], &pp, sizeof(pp)) == sizeof(pp) ? 0 : 1);
		}
		st = sc_wait(child);
		_exit(st == 0 ? 0 : 3);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], seen, sizeof(seen));
	EXPECT_EQ(0, r) {
		TH_LOG("reading getppid() of the init and of its child: %s", sc_read_str(r));
	}
	EXPECT_EQ(0, seen[0]) {
		TH_LOG("getppid() in the init: %d", seen[0]);
	}
	EXPECT_EQ(1, seen[1]) {
		TH_LOG("getppid() in the init's child: %d", seen[1]);
	}
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

/* PIDNS-03 unshare(2): after unshare(CLONE_NEWPID) the caller keeps its getpid() and its /proc/self/ns/pid; only its child is in the new namespace. */
TEST(unshare_newpid_leaves_caller_in_its_namespace)
{
	char before[SC_NS_LEN], now[SC_NS_LEN], child_ns[SC_NS_LEN] = "";
	pid_t pid_before = getpid(), pid;
	int rep[2], r;

	sc_ns_link("/proc/self/ns/pid", before);
	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	EXPECT_EQ(pid_before, getpid());
	EXPECT_STREQ(before, sc_ns_link("/proc/self/ns/pid", now));
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		char ns[SC_NS_LEN];

		sc_ns_link("/proc/self/ns/pid", ns);
		_exit(write(rep[1], ns, sizeof(ns)) == sizeof(ns) ? 0 : 1);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], child_ns, sizeof(child_ns));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the child's namespace: %s", sc_read_str(r));
	}
	EXPECT_STRNE("", before);
	EXPECT_STRNE(before, child_ns);
	EXPECT_EQ(pid_before, getpid());
	EXPECT_STREQ(before, sc_ns_link("/proc/self/ns/pid", now));
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

/* PIDNS-03 PIDNS-16 setns(2): setns() into a child PID namespace succeeds, keeps the caller's getpid() and /proc/self/ns/pid, and puts only its next child there (with PID 2). */
TEST(setns_into_child_pidns_leaves_caller_outside)
{
	struct { pid_t pid; char ns[SC_NS_LEN]; } seen = { -1, "" };
	char before[SC_NS_LEN], target[SC_NS_LEN], now[SC_NS_LEN], path[64];
	int rep[2], hold[2], nsfd, r, err;
	pid_t pid_before, helper, init = -1, child;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(setns);
	/* CAP_SYS_ADMIN over both namespaces: root's own, or a user namespace's. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	pid_before = getpid();
	sc_ns_link("/proc/self/ns/pid", before);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	/* A helper makes the namespace: its init waits for the end of hold. */
	helper = fork_pidns_holder(_metadata, hold, &init);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	sc_ns_link(path, target);
	if (nsfd < 0) {
		close(hold[1]);
		sc_wait(helper);
	}
	/* NS-02: the link opens as the namespace (proot follows its text as a path). */
	ASSERT_LE(0, nsfd) {
		TH_LOG("open(%s) -> %s, where readlink() gives \"%s\"", path, sc_errname(err), target);
	}
	r = setns(nsfd, CLONE_NEWPID);
	err = errno;
	EXPECT_EQ(0, r) {
		TH_LOG("setns(child pid namespace) -> %s", sc_errname(err));
	}
	EXPECT_EQ(pid_before, getpid());
	EXPECT_STREQ(before, sc_ns_link("/proc/self/ns/pid", now));
	child = sc_fork();
	if (child == 0) {
		seen.pid = getpid();
		sc_ns_link("/proc/self/ns/pid", seen.ns);
		_exit(write(rep[1], &seen, sizeof(seen)) == sizeof(seen) ? 0 : 1);
	}
	if (child > 0) {
		r = sc_read_full(rep[0], &seen, sizeof(seen));
		EXPECT_EQ(0, r) {
			TH_LOG("reading the child's getpid(): %s", sc_read_str(r));
		}
		EXPECT_EQ(2, seen.pid);
		EXPECT_STREQ(target, seen.ns);
		EXPECT_CHILD_OK(child);
	} else {
		EXPECT_NE(-1, child) {
			TH_LOG("fork() after setns() -> %s", sc_errname(errno));
		}
	}
	close(hold[1]);
	EXPECT_CHILD_OK(helper);
	close(nsfd);
	close(rep[0]);
	close(rep[1]);
}

/* PIDNS-04 namespaces(7): after unshare(CLONE_NEWPID), readlink(/proc/self/ns/pid_for_children) fails with ENOENT until the first child exists, then names the child's namespace, not the caller's. */
TEST(pid_for_children_appears_with_the_first_child)
{
	char mine[64] = "", forkids[64] = "", childs[64] = "";
	int rep[2], hold[2], r;
	pid_t pid;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(pid_for_children);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	EXPECT_SYSCALL_FAILS(ENOENT, readlink("/proc/self/ns/pid_for_children", forkids,
					      sizeof(forkids) - 1));
	SC_OK(readlink("/proc/self/ns/pid", mine, sizeof(mine) - 1));
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		char link[64] = "";

		close(hold[1]);
		if (readlink("/proc/self/ns/pid", link, sizeof(link) - 1) < 0)
			_exit(2);
		if (write(rep[1], link, sizeof(link)) != sizeof(link))
			_exit(3);
		hold_until_eof(hold[0]);
	}
	close(hold[0]);
	close(rep[1]);
	r = sc_read_full(rep[0], childs, sizeof(childs));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the child's /proc/self/ns/pid: %s", sc_read_str(r));
	}
	memset(forkids, 0, sizeof(forkids));
	EXPECT_LT(0, readlink("/proc/self/ns/pid_for_children", forkids, sizeof(forkids) - 1)) {
		TH_LOG("readlink(pid_for_children) with a child: %s", sc_errname(errno));
	}
	EXPECT_STRNE(mine, forkids);
	EXPECT_STREQ(childs, forkids);
	close(hold[1]);
	EXPECT_CHILD_OK(pid);
	close(rep[0]);
}

/* PIDNS-05 unshare(2): a second unshare(CLONE_NEWPID) fails with EINVAL, before the first child is created and after. */
TEST(second_unshare_newpid_fails_einval)
{
	int hold[2];
	pid_t pid;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	EXPECT_SYSCALL_FAILS(EINVAL, unshare(CLONE_NEWPID));
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		close(hold[1]);
		hold_until_eof(hold[0]);
	}
	close(hold[0]);
	EXPECT_SYSCALL_FAILS(EINVAL, unshare(CLONE_NEWPID));
	close(hold[1]);
	EXPECT_CHILD_OK(pid);
}

/*
 * Fork the init and two more children of the caller into the caller's new PID
 * namespace, one after the other; each reports its getpid() into INNER and waits
 * for the end of HOLD_INIT (the init) or HOLD, two new pipes whose write ends the
 * caller keeps. PIDS gets fork()'s return values. A failed fork is a setup error.
 */
static void fork_three(pid_t pids[3], pid_t inner[3], int hold_init[2], int hold[2],
		       struct __test_metadata *_metadata)
{
	int rep[2], r;

	SC_SETUP(pipe2(hold_init, O_CLOEXEC));
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	for (int i = 0; i < 3; i++) {
		pids[i] = sc_fork();
		if (pids[i] == 0) {
			pid_t me = getpid();

			close(hold_init[1]);
			close(hold[1]);
			if (write(rep[1], &me, sizeof(me)) != sizeof(me))
				_exit(2);
			hold_until_eof(i == 0 ? hold_init[0] : hold[0]);
		}
		if (pids[i] < 0) {
			int err = errno;

			close(hold[1]);
			close(hold_init[1]);
			SC_ERROR("fork(): %s", sc_errname(err));
		}
		/* One at a time: the init is there before the second child is forked. */
		r = sc_read_full(rep[0], &inner[i], sizeof(inner[i]));
		EXPECT_EQ(0, r) {
			TH_LOG("reading child %d's getpid(): %s", i, sc_read_str(r));
		}
	}
	close(rep[0]);
	close(rep[1]);
}

/* End the two children of fork_three(), then the init. */
static void end_three(pid_t pids[3], int hold_init[2], int hold[2],
		      struct __test_metadata *_metadata)
{
	close(hold[1]);
	EXPECT_CHILD_OK(pids[1]);
	EXPECT_CHILD_OK(pids[2]);
	close(hold_init[1]);
	EXPECT_CHILD_OK(pids[0]);
	close(hold[0]);
	close(hold_init[0]);
}

/* PIDNS-06 pid_namespaces(7): after the init (1), the caller's next children get PIDs 2 and 3 inside, and fork() returns other PIDs to the caller outside. */
TEST(later_children_get_pids_2_and_3)
{
	pid_t pids[3], inner[3] = { -1, -1, -1 };
	int hold_init[2], hold[2];

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	fork_three(pids, inner, hold_init, hold, _metadata);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(i + 1, inner[i]);
		EXPECT_NE(inner[i], pids[i]);
	}
	end_three(pids, hold_init, hold, _metadata);
}

/* PIDNS-06 proc(5): /proc/PID/status NSpid of the init and of two later children ends with "outer inner": fork()'s value, then 1, 2, 3. */
TEST(nspid_lists_outer_then_inner_pid)
{
	pid_t pids[3], inner[3] = { -1, -1, -1 };
	int hold_init[2], hold[2];

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	fork_three(pids, inner, hold_init, hold, _metadata);
	for (int i = 0; i < 3; i++) {
		long outer = -1, in = -1;
		int n = nspid_tail(pids[i], &outer, &in);

		EXPECT_LE(2, n) {
			TH_LOG("/proc/%d/status NSpid: %d fields%s", pids[i], n,
			       n < 0 ? sc_errname(-n) : n == 0 ? " (no NSpid line)" : "");
		}
		EXPECT_EQ(pids[i], outer);
		EXPECT_EQ(i + 1, in);
	}
	end_three(pids, hold_init, hold, _metadata);
}

TEST_HARNESS_MAIN
