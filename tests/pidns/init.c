// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, the first process: PID 1 after unshare(CLONE_NEWPID) and after
 * clone(CLONE_NEWPID), getppid() 0 in that init, the caller that stays outside
 * (unshare and setns move only later children), pid_for_children, unshare() only
 * once, later PIDs 2, 3 and /proc/PID/status NSpid.
 * Man pages: pid_namespaces(7), namespaces(7), unshare(2), setns(2), clone(2), proc(5).
 *
 * Each test runs in a process of its own, so it unshares there; the init and the
 * other members are children of the kit (sc_kit.h) that report what they see.
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

/* Children that report what they see. */
static int report_getppid(void *data)
{
	*(pid_t *)data = getppid();
	return SC_CHILD_OK;
}

static int report_pid_ns(void *data)
{
	if (!sc_ns_link("/proc/self/ns/pid", data)[0])
		return sc_child_fail("readlink(/proc/self/ns/pid) -> %s", sc_errname(errno));
	return SC_CHILD_OK;
}

/* PIDNS-01 pid_namespaces(7): the first child forked after unshare(CLONE_NEWPID) sees getpid() == 1, while fork() returned another PID to the caller. */
TEST(first_child_after_unshare_gets_pid_1)
{
	struct sc_child c;
	pid_t seen = -1;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&c, "the child", report_getpid, &seen, sizeof(seen));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(1, seen);
	EXPECT_NE(1, c.pid);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* PIDNS-01 clone(2): a child created by clone(CLONE_NEWPID) sees getpid() == 1. */
TEST(clone_newpid_child_gets_pid_1)
{
	struct sc_child c;
	pid_t seen = -1;

	SC_REQUIRE_FEATURE(pidns);
	/* CAP_SYS_ADMIN for CLONE_NEWPID: root's own, or a user namespace's (UTS is a by-product). */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	sc_child_clone(&c, "the child", CLONE_NEWPID, report_getpid, &seen, sizeof(seen));
	ASSERT_NE(-1, c.pid) {
		TH_LOG("%s", c.text);
	}
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(1, seen);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* The init: its getppid(), then its child's. */
static int init_reports_ppids(void *data)
{
	pid_t *seen = data;
	struct sc_child child;

	seen[0] = getppid();
	return sc_child_run(&child, "the init's child", report_getppid, &seen[1], sizeof(seen[1]));
}

/* PIDNS-02 pid_namespaces(7): the namespace's init gets getppid() == 0 (its parent is outside), while its own child gets getppid() == 1. */
TEST(init_getppid_returns_zero)
{
	pid_t seen[2] = { -1, -1 };
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	sc_child_run(&init, "the init", init_reports_ppids, seen, sizeof(seen));
	ASSERT_CHILD_REPORTED(&init);
	EXPECT_EQ(0, seen[0]) {
		TH_LOG("getppid() in the init: %d", seen[0]);
	}
	EXPECT_EQ(1, seen[1]) {
		TH_LOG("getppid() in the init's child: %d", seen[1]);
	}
	EXPECT_CHILD_SUCCEEDED(&init);
}

/* PIDNS-03 unshare(2): after unshare(CLONE_NEWPID) the caller keeps its getpid() and its /proc/self/ns/pid; only its child is in the new namespace. */
TEST(unshare_newpid_leaves_caller_in_its_namespace)
{
	char before[SC_NS_LEN], now[SC_NS_LEN], child_ns[SC_NS_LEN] = "";
	pid_t pid_before = getpid();
	struct sc_child c;

	sc_ns_link("/proc/self/ns/pid", before);
	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	EXPECT_EQ(pid_before, getpid());
	EXPECT_STREQ(before, sc_ns_link("/proc/self/ns/pid", now));
	sc_child_run(&c, "the child", report_pid_ns, child_ns, sizeof(child_ns));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_STRNE("", before);
	EXPECT_STRNE(before, child_ns);
	EXPECT_EQ(pid_before, getpid());
	EXPECT_STREQ(before, sc_ns_link("/proc/self/ns/pid", now));
	EXPECT_CHILD_SUCCEEDED(&c);
}

struct pid_and_ns {
	pid_t pid;
	char ns[SC_NS_LEN];
};

static int report_pid_and_ns(void *data)
{
	struct pid_and_ns *r = data;

	r->pid = getpid();
	return report_pid_ns(r->ns);
}

/* PIDNS-03 PIDNS-16 setns(2): setns() into a child PID namespace succeeds, keeps the caller's getpid() and /proc/self/ns/pid, and puts only its next child there (with PID 2). */
TEST(setns_into_child_pidns_leaves_caller_outside)
{
	struct pid_and_ns seen = { -1, "" };
	char before[SC_NS_LEN], target[SC_NS_LEN], now[SC_NS_LEN], path[64];
	struct sc_child helper, c;
	struct pidns_holder h;
	pid_t pid_before;
	int nsfd, err;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(setns);
	/* CAP_SYS_ADMIN over both namespaces: root's own, or a user namespace's. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWUTS);
	pid_before = getpid();
	sc_ns_link("/proc/self/ns/pid", before);
	start_pidns_holder(_metadata, &helper, &h);
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", h.init);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	err = errno;
	sc_ns_link(path, target);
	/* NS-02: the link opens as the namespace (proot follows its text as a path). */
	ASSERT_LE(0, nsfd) {
		TH_LOG("open(%s) -> %s, where readlink() gives \"%s\"", path, sc_errname(err), target);
	}
	EXPECT_SYSCALL_RETURNS(0, setns(nsfd, CLONE_NEWPID));
	EXPECT_EQ(pid_before, getpid());
	EXPECT_STREQ(before, sc_ns_link("/proc/self/ns/pid", now));
	sc_child_run(&c, "the child after setns()", report_pid_and_ns, &seen, sizeof(seen));
	/* A fork() that fails here is a divergence, not a setup error. */
	ASSERT_NE(-1, c.pid) {
		TH_LOG("%s", c.text);
	}
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(2, seen.pid);
	EXPECT_STREQ(target, seen.ns);
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_release(&h.hold);
	EXPECT_CHILD_SUCCEEDED(&helper);
	close(nsfd);
}

/* A member: report its namespace, then live until the hold lets go. */
struct held_ns {
	char ns[SC_NS_LEN];
	struct sc_pipe hold;
};

static int report_pid_ns_and_hold(void *data)
{
	struct held_ns *r = data;
	int res = report_pid_ns(r->ns);

	sc_child_send();
	sc_hold(&r->hold, SC_WAIT_MS);
	return res;
}

/* PIDNS-04 namespaces(7): after unshare(CLONE_NEWPID), readlink(/proc/self/ns/pid_for_children) fails with ENOENT until the first child exists, then names the child's namespace, not the caller's. */
TEST(pid_for_children_appears_with_the_first_child)
{
	char mine[64] = "", forkids[64] = "";
	struct held_ns child = { .ns = "" };
	struct sc_child c;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(pid_for_children);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	EXPECT_SYSCALL_FAILS(ENOENT, readlink("/proc/self/ns/pid_for_children", forkids,
					      sizeof(forkids) - 1));
	SC_OK(readlink("/proc/self/ns/pid", mine, sizeof(mine) - 1));
	sc_pipe_setup(_metadata, &child.hold, O_CLOEXEC);
	SC_CHILD_START(&c, "the child", report_pid_ns_and_hold, &child, sizeof(child.ns));
	ASSERT_CHILD_REPORTED(&c);
	memset(forkids, 0, sizeof(forkids));
	EXPECT_LT(0, readlink("/proc/self/ns/pid_for_children", forkids, sizeof(forkids) - 1)) {
		TH_LOG("readlink(pid_for_children) with a child: %s", sc_errname(errno));
	}
	EXPECT_STRNE(mine, forkids);
	EXPECT_STREQ(child.ns, forkids);
	sc_release(&child.hold);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* PIDNS-05 unshare(2): a second unshare(CLONE_NEWPID) fails with EINVAL, before the first child is created and after. */
TEST(second_unshare_newpid_fails_einval)
{
	struct sc_pipe hold;
	struct sc_child init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	EXPECT_SYSCALL_FAILS(EINVAL, unshare(CLONE_NEWPID));
	sc_pipe_setup(_metadata, &hold, O_CLOEXEC);
	SC_CHILD_START(&init, "the init", sc_child_hold, &hold, 0);
	EXPECT_SYSCALL_FAILS(EINVAL, unshare(CLONE_NEWPID));
	sc_release(&hold);
	EXPECT_CHILD_SUCCEEDED(&init);
}

/* A member that reports its getpid() and lives until its hold lets go. */
struct member {
	pid_t pid;
	const struct sc_pipe *hold;
};

static int report_getpid_and_hold(void *data)
{
	struct member *m = data;

	m->pid = getpid();
	sc_child_send();
	sc_hold(m->hold, SC_WAIT_MS);
	return SC_CHILD_OK;
}

/*
 * The init and two more children of the caller in its new PID namespace, forked one
 * after the other; the init lives until hold_init lets go, the others until hold.
 */
struct three {
	struct sc_pipe hold_init, hold;
	struct member m[3];
	struct sc_child c[3];
};

static void start_three(struct __test_metadata *_metadata, struct three *t)
{
	static const char *const names[3] = { "the init", "the second child", "the third child" };

	sc_pipe_setup(_metadata, &t->hold_init, O_CLOEXEC);
	sc_pipe_setup(_metadata, &t->hold, O_CLOEXEC);
	for (int i = 0; i < 3; i++) {
		t->m[i] = (struct member){ -1, i ? &t->hold : &t->hold_init };
		SC_CHILD_START(&t->c[i], names[i], report_getpid_and_hold, &t->m[i], sizeof(pid_t));
		/* One at a time: the init is there before the second child is forked. */
		ASSERT_CHILD_REPORTED(&t->c[i]);
	}
}

/* End the two children of start_three(), then the init. */
static void end_three(struct __test_metadata *_metadata, struct three *t)
{
	sc_release(&t->hold);
	EXPECT_CHILD_SUCCEEDED(&t->c[1]);
	EXPECT_CHILD_SUCCEEDED(&t->c[2]);
	sc_release(&t->hold_init);
	EXPECT_CHILD_SUCCEEDED(&t->c[0]);
}

/* PIDNS-06 pid_namespaces(7): after the init (1), the caller's next children get PIDs 2 and 3 inside, and fork() returns other PIDs to the caller outside. */
TEST(later_children_get_pids_2_and_3)
{
	struct three t;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	start_three(_metadata, &t);
	for (int i = 0; i < 3; i++) {
		EXPECT_EQ(i + 1, t.m[i].pid);
		EXPECT_NE(t.m[i].pid, t.c[i].pid);
	}
	end_three(_metadata, &t);
}

/* PIDNS-06 proc(5): /proc/PID/status NSpid of the init and of two later children ends with "outer inner": fork()'s value, then 1, 2, 3. */
TEST(nspid_lists_outer_then_inner_pid)
{
	struct three t;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	start_three(_metadata, &t);
	for (int i = 0; i < 3; i++) {
		long outer = -1, in = -1;
		int n = nspid_tail(t.c[i].pid, &outer, &in);

		EXPECT_LE(2, n) {
			TH_LOG("/proc/%d/status NSpid: %d fields%s", t.c[i].pid, n,
			       n < 0 ? sc_errname(-n) : n == 0 ? " (no NSpid line)" : "");
		}
		EXPECT_EQ(t.c[i].pid, outer);
		EXPECT_EQ(i + 1, in);
	}
	end_three(_metadata, &t);
}

TEST_HARNESS_MAIN
