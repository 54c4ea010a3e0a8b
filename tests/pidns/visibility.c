// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID namespaces, what a member can see: processes outside are invisible (kill()
 * fails with ESRCH, kill(-1) reaches only members), /proc keeps the view of the
 * namespace it was mounted in until proc is mounted again in a new mount namespace.
 * Man pages: pid_namespaces(7), kill(2), proc(5).
 */
#include <dirent.h>

#include "pidns.h"

/* PIDNS-13 pid_namespaces(7) kill(2): from inside, kill(P, 0) fails with ESRCH for live processes outside: the caller, its parent and a sibling. */
TEST(kill_of_outside_pid_from_inside_fails_esrch)
{
	struct { int n; pid_t pid[3]; int err[3]; } got = { -1, { 0 }, { 0 } };
	pid_t outside[3], init, sibling;
	int rep[2], hold[2], r;

	SC_REQUIRE_FEATURE(pidns);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	/* A sibling outside: forked before unshare(), alive until hold ends. */
	sibling = SC_SETUP(sc_fork());
	if (sibling == 0) {
		close(hold[1]);
		hold_until_eof(hold[0]);
	}
	outside[0] = getpid();
	outside[1] = getppid();
	outside[2] = sibling;
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		got.n = 0;
		for (int i = 0; i < 3; i++) {
			/* PID 1 is this init in here: "hits an unrelated member". */
			if (outside[i] == 1)
				continue;
			errno = 0;
			got.pid[got.n] = outside[i];
			got.err[got.n++] = kill(outside[i], 0) ? errno : 0;
		}
		_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the init's kill() results: %s", sc_read_str(r));
	}
	EXPECT_LE(2, got.n);
	for (int i = 0; i < got.n && i < 3; i++) {
		EXPECT_EQ(ESRCH, got.err[i]) {
			TH_LOG("kill(%d, 0) from inside: expected ESRCH, got %s", got.pid[i],
			       got.err[i] ? sc_errname(got.err[i]) : "success");
		}
	}
	/* They were alive: seen from outside, kill(P, 0) works. */
	EXPECT_SYSCALL_RETURNS(0, kill(sibling, 0));
	EXPECT_SYSCALL_RETURNS(0, kill(outside[1], 0));
	EXPECT_CHILD_OK(init);
	close(hold[1]);
	EXPECT_CHILD_OK(sibling);
	close(rep[0]);
}

/* PIDNS-13 pid_namespaces(7) kill(2): kill(-1,SIGURG) from a member returns 0 and reaches another member, but not the caller outside (same credentials, SIGURG blocked: not pending). */
TEST(kill_minus_one_inside_spares_outside_processes)
{
	struct { pid_t sender; int ret, err; } sent = { -1, -2, 0 };
	struct { int got; pid_t from; } recv = { -1, -1 };
	sigset_t urg, pending;
	int rep_s[2], rep_r[2], ready[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	note_outer_ns();
	/* SIGURG: ignored by default, so a stray one harms nobody; blocked, so it shows. */
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	SC_SETUP(sigprocmask(SIG_BLOCK, &urg, NULL));
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep_s, O_CLOEXEC));
	SC_SETUP(pipe2(rep_r, O_CLOEXEC));
	SC_SETUP(pipe2(ready, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		pid_t receiver, sender;

		if (!inside_new_pidns(false))
			_exit(NOT_INSIDE);
		receiver = sc_fork();
		if (receiver == 0) {
			struct timespec bound = { SC_WAIT_MS / 1000, 0 };
			siginfo_t si;

			if (sc_signal_ready(ready[1]))
				_exit(2);
			recv.got = sigtimedwait(&urg, &si, &bound);
			recv.from = recv.got == SIGURG ? si.si_pid : -1;
			_exit(write(rep_r[1], &recv, sizeof(recv)) == sizeof(recv) ? 0 : 3);
		}
		if (receiver < 0 || sc_wait_ready(ready[0]))
			_exit(4);
		sender = sc_fork();
		if (sender == 0) {
			sent.sender = getpid();
			errno = 0;
			sent.ret = kill(-1, SIGURG);
			sent.err = errno;
			_exit(write(rep_s[1], &sent, sizeof(sent)) == sizeof(sent) ? 0 : 5);
		}
		if (sender < 0 || sc_wait(sender) != 0)
			_exit(6);
		_exit(sc_wait(receiver) == 0 ? 0 : 7);
	}
	close(rep_s[1]);
	close(rep_r[1]);
	r = sc_read_full(rep_s[0], &sent, sizeof(sent));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the sender's report: %s", sc_read_str(r));
	}
	EXPECT_EQ(0, sent.ret) {
		TH_LOG("kill(-1, SIGURG) inside -> %s", sc_errname(sent.err));
	}
	/* The sender's kill() has returned: a signal for us would be pending by now. */
	SC_OK(sigpending(&pending));
	EXPECT_FALSE(sigismember(&pending, SIGURG)) {
		TH_LOG("kill(-1) inside reached the caller outside");
	}
	r = sc_read_full(rep_r[0], &recv, sizeof(recv));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the receiver's report: %s", sc_read_str(r));
	}
	EXPECT_EQ(SIGURG, recv.got) {
		TH_LOG("the member did not get kill(-1)'s SIGURG");
	}
	EXPECT_EQ(sent.sender, recv.from);
	st = sc_wait(init);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close(rep_s[0]);
	close(rep_r[0]);
	close(ready[0]);
	close(ready[1]);
}

/* PIDNS-14 pid_namespaces(7): without a new /proc, readlink("/proc/self") in the init gives its PID in the procfs mount's namespace (fork()'s value), not 1. */
TEST(proc_self_without_remount_shows_outer_pid)
{
	struct { pid_t pid; char self[32]; } got = { -1, "" };
	char want[32];
	int rep[2], r;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		ssize_t n;

		got.pid = getpid();
		n = readlink("/proc/self", got.self, sizeof(got.self) - 1);
		got.self[n > 0 ? n : 0] = 0;
		_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 1);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	EXPECT_EQ(0, r) {
		TH_LOG("reading the init's /proc/self: %s", sc_read_str(r));
	}
	snprintf(want, sizeof(want), "%d", init);
	EXPECT_EQ(1, got.pid);
	EXPECT_STREQ(want, got.self);
	EXPECT_STRNE("1", got.self);
	EXPECT_CHILD_OK(init);
	close(rep[0]);
}

static int cmp_pid(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

/* PIDNS-15 pid_namespaces(7): after mount("proc","/proc") by the init in a new mount namespace, /proc lists only the members (1 and 2) and /proc/self reads "1". */
TEST(private_proc_lists_only_members)
{
	struct { int err, n; pid_t pids[16]; char self[32]; } got = { -1, -1, { 0 }, "" };
	int rep[2], r, st;
	pid_t init;

	SC_REQUIRE_FEATURE(pidns);
	SC_REQUIRE_FEATURE(mntns);
	/* "/" is private in the new mount namespace: the mount stays in here. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWPID | CLONE_NEWNS);
	SC_SETUP(pipe2(rep, O_CLOEXEC));
	init = SC_SETUP(sc_fork());
	if (init == 0) {
		struct dirent *e;
		int hold[2];
		pid_t member;
		ssize_t n;
		DIR *d;

		got.err = mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)
			  ? errno : 0;
		if (got.err || pipe2(hold, O_CLOEXEC))
			_exit(write(rep[1], &got, sizeof(got)) == sizeof(got) ? 0 : 1);
		member = sc_fork();
		if (member == 0) {
			close(hold[1]);
			hold_until_eof(hold[0]);
		}
		d = opendir("/proc");
		got.n = 0;
		while (d && (e = readdir(d))) {
			char *end;
			long v = strtol(e->d_name, &end, 10);

			if (*end == 0 && v > 0 && got.n < 16)
				got.pids[got.n++] = v;
		}
		if (d)
			closedir(d);
		n = readlink("/proc/self", got.self, sizeof(got.self) - 1);
		got.self[n > 0 ? n : 0] = 0;
		close(hold[1]);
		st = member > 0 ? sc_wait(member) : -1;
		if (write(rep[1], &got, sizeof(got)) != sizeof(got))
			_exit(2);
		_exit(st == 0 ? 0 : 3);
	}
	close(rep[1]);
	r = sc_read_full(rep[0], &got, sizeof(got));
	st = sc_wait(init);
	if (r == 0 && got.err == EPERM && !sc_in_initial_userns()) {
		/* A /proc with covered parts (a container's): no user namespace may mount another. */
		SKIP(return, "needs root in the initial user namespace: mount(proc) from a user namespace -> EPERM");
	}
	EXPECT_EQ(0, r) {
		TH_LOG("reading the init's /proc listing: %s", sc_read_str(r));
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
	EXPECT_STREQ("1", got.self);
	EXPECT_EQ(0, st) {
		TH_LOG("the init %s", sc_status_str(st));
	}
	close(rep[0]);
}

TEST_HARNESS_MAIN
