/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysconform.h: what every test program includes. It pulls in the kernel's
 * kselftest_harness.h and adds, all static (the harness cannot be linked twice):
 *   - errno names and check macros that log the call and errno names;
 *   - skip helpers that print docs/DESIGN.md's reason forms, and SC_ERROR for setup errors;
 *   - the feature registry (features.h);
 *   - a private temporary directory;
 *   - bounded fork/wait helpers, readiness handshakes and wait-until-blocked;
 *   - a helper that enters fresh namespaces, through a user namespace when unprivileged.
 * Only the 6.1 subset of the harness is used (STYLE.md 1.5).
 */
#ifndef SYSCONFORM_H
#define SYSCONFORM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "errnames.h"
#include "features.h"

/* ---- checks ------------------------------------------------------------ */

/*
 * SC_OK(call): run a call that must succeed; yields its value. On -1 the test
 * stops with "call -> -1 ERRNO".
 */
#define SC_OK(call) ({							\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	ASSERT_NE(-1, _sc_ret) {					\
		TH_LOG("%s -> -1 %s", #call, sc_errname(_sc_err));	\
	}								\
	_sc_ret;							\
})

/*
 * The call must return WANT (a count, 0, a descriptor number...): otherwise the
 * case fails (EXPECT_) or stops (ASSERT_) with "call -> -1 EBADF, expected 0" or
 * "call -> 3, expected 4". Use these, not EXPECT_EQ(0, call()), for every call that
 * reports an error through errno (make check rejects the raw form: harness/lint.pl).
 */
#define __SC_RETURNS(want, call, text, CHECK) do {				\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	long expected_return = (long)(want);				\
	CHECK(expected_return, _sc_ret) {				\
		if (_sc_ret == -1)					\
			TH_LOG("%s -> -1 %s, expected %ld", text,	\
			       sc_errname(_sc_err), expected_return);	\
		else							\
			TH_LOG("%s -> %ld, expected %ld", text,	\
			       _sc_ret, expected_return);		\
	}								\
} while (0)
#define EXPECT_SYSCALL_RETURNS(want, call) __SC_RETURNS(want, call, #call, EXPECT_EQ)
#define ASSERT_SYSCALL_RETURNS(want, call) __SC_RETURNS(want, call, #call, ASSERT_EQ)

/* The call must succeed (return anything but -1): "call -> -1 EPERM" otherwise. */
#define __SC_SUCCEEDS(call, text, CHECK) do {					\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	CHECK(-1, _sc_ret) {						\
		TH_LOG("%s -> -1 %s", text, sc_errname(_sc_err));	\
	}								\
} while (0)
#define EXPECT_SYSCALL_OK(call) __SC_SUCCEEDS(call, #call, EXPECT_NE)
#define ASSERT_SYSCALL_OK(call) __SC_SUCCEEDS(call, #call, ASSERT_NE)

/* The call must fail with errno ERR: "call: expected EBADF, got EINVAL" otherwise. */
#define __SC_FAILS(err, call, text, CHECK) do {				\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno, expected_errno = (err);			\
	int seen_errno = _sc_ret == -1 ? _sc_err : 0;			\
	CHECK(expected_errno, seen_errno) {				\
		if (_sc_ret != -1)					\
			TH_LOG("%s: expected %s, succeeded (%ld)", text,\
			       sc_errname(expected_errno), _sc_ret);	\
		else							\
			TH_LOG("%s: expected %s, got %s", text,	\
			       sc_errname(expected_errno), sc_errname(_sc_err));\
	}								\
} while (0)
#define EXPECT_SYSCALL_FAILS(err, call) __SC_FAILS(err, call, #call, EXPECT_EQ)
#define ASSERT_SYSCALL_FAILS(err, call) __SC_FAILS(err, call, #call, ASSERT_EQ)

/* Where POSIX allows either of two errnos: logs which one was seen. */
#define EXPECT_SYSCALL_FAILS_ONE_OF(call, err1, err2) do {		\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = _sc_ret == -1 ? errno : 0;			\
	bool _sc_ok = _sc_err == (err1) || _sc_err == (err2);		\
	EXPECT_TRUE(_sc_ok) {						\
		TH_LOG("%s: expected %s or %s, got %s (ret %ld)", #call,\
		       sc_errname(err1), sc_errname(err2),		\
		       _sc_err ? sc_errname(_sc_err) : "success", _sc_ret);\
	}								\
} while (0)

/* ---- outcomes other than pass/fail ------------------------------------- */

/*
 * Setup error: the test's own preparation failed (no space, fork failed). The
 * runner reports "error", apart from divergences, on the "setup error:" marker.
 */
#define SC_ERROR(fmt, ...) do {						\
	const bool setup_failed = true;					\
	TH_LOG("setup error: " fmt, ##__VA_ARGS__);			\
	ASSERT_FALSE(setup_failed);					\
} while (0)

/* SC_SETUP(call): like SC_OK, but a failure is a setup error, not a divergence. */
#define SC_SETUP(call) ({						\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	if (_sc_ret == -1)						\
		SC_ERROR("%s -> -1 %s", #call, sc_errname(_sc_err));	\
	_sc_ret;							\
})

/* Skip unless the registry says the feature is supported. Before any check. */
#define SC_REQUIRE_FEATURE(feat) do {					\
	const struct sc_feature *_sc_f = sc_feature(feat);		\
	if (_sc_f->status != SC_SUPPORTED)				\
		SKIP(return, "feature %s %s: %s", _sc_f->name,		\
		     sc_status_name(_sc_f->status),			\
		     sc_probe_errname(_sc_f->err));			\
} while (0)

/*
 * In-place probe on the call under test: a failure with ENOSYS or EOPNOTSUPP
 * means the feature is missing, EPERM/EACCES that a sandbox blocks it; any other
 * result goes on to the assertions (and fails there). For a known-good call plus
 * one new flag, SC_SKIP_IF_FLAG_UNSUPPORTED also takes EINVAL as "missing".
 */
static inline enum sc_status sc_classify_call(long ret, int err, bool einval_missing)
{
	if (ret != -1)
		return SC_SUPPORTED;
	if (err == ENOSYS || err == EOPNOTSUPP || (einval_missing && err == EINVAL))
		return SC_MISSING;
	if (err == EPERM || err == EACCES)
		return SC_BLOCKED;
	return SC_SUPPORTED;
}

#define __SC_SKIP_IF(ret, err, feat, einval) do {			\
	int _sc_e = (err);						\
	enum sc_status _sc_st = sc_classify_call(ret, _sc_e, einval);	\
	if (_sc_st != SC_SUPPORTED)					\
		SKIP(return, "feature %s %s: %s", feat,			\
		     sc_status_name(_sc_st), sc_errname(_sc_e));	\
} while (0)
#define SC_SKIP_IF_UNSUPPORTED(ret, err, feat) __SC_SKIP_IF(ret, err, feat, false)
#define SC_SKIP_IF_FLAG_UNSUPPORTED(ret, err, feat) __SC_SKIP_IF(ret, err, feat, true)

#define SC_REQUIRE_ROOT() do {						\
	if (geteuid() != 0)						\
		SKIP(return, "needs root");				\
} while (0)

/* For fixtures that set self->unavailable instead of skipping in setup. */
#define SC_SKIP_IF_UNAVAILABLE() do {					\
	if (self->unavailable)						\
		SKIP(return, "%s", self->unavailable);			\
} while (0)

/* ---- private temporary directory --------------------------------------- */

struct sc_tmpdir {
	char path[PATH_MAX];
	int dfd;
};

/* Make ${TMPDIR:-/tmp}/sysconform.XXXXXX and chdir into it. */
static inline void sc_tmpdir_setup(struct __test_metadata *_metadata, struct sc_tmpdir *t)
{
	const char *base = getenv("TMPDIR");

	t->dfd = -1;
	snprintf(t->path, sizeof(t->path), "%s/sysconform.XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(t->path))
		SC_ERROR("mkdtemp(%s): %s", t->path, sc_errname(errno));
	t->dfd = open(t->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->dfd < 0 || chdir(t->path) != 0) {
		int err = errno;

		rmdir(t->path);
		SC_ERROR("open/chdir(%s): %s", t->path, sc_errname(err));
	}
}

static inline int sc_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static inline void sc_tmpdir_teardown(struct sc_tmpdir *t)
{
	if (!t->path[0] || t->path[0] != '/')
		return;
	if (chdir("/") == 0)
		nftw(t->path, sc_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (t->dfd >= 0)
		close(t->dfd);
	t->dfd = -1;
	t->path[0] = 0;
}

/* Write LEN bytes of BUF to a new file NAME (in the current directory); -1 on error. */
static inline int sc_write_file(const char *name, const void *buf, size_t len)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* ---- time ---------------------------------------------------------------- */

static inline int64_t sc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleep for a poll interval (1 ms doubling to 32 ms) inside bounded loops only. */
static inline void sc_backoff(int *delay_us)
{
	struct timespec ts = { 0, *delay_us * 1000L };

	nanosleep(&ts, NULL);
	if (*delay_us < 32000)
		*delay_us *= 2;
}

/* ---- processes ------------------------------------------------------------ */

/*
 * Child convention: no harness macros in children. A child's exit status is
 * 0 = ok, 1..99 = the failing step, SC_CHILD_SKIP, or an observed errno where the
 * test says so.
 */
#define SC_CHILD_SKIP 125
#define SC_WAIT_MS 5000		/* bound of every helper wait */

/*
 * fork() with flushed stdio; the child dies with its parent (PR_SET_PDEATHSIG),
 * and exits SC_CHILD_SKIP at once if the parent already died. Works for the
 * first child after unshare(CLONE_NEWPID), whose getppid() is 0.
 */
static inline pid_t sc_fork(void)
{
	pid_t parent = getpid();
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		pid_t pp = getppid();

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/*
		 * 0: the parent is outside our PID namespace (first child after unshare);
		 * a namespace's init cannot tell its parent's death from getppid() at all.
		 */
		if (pp != parent && pp != 0 && getpid() != 1)
			_exit(SC_CHILD_SKIP);
	}
	return pid;
}

/* Fork a child that runs FN(ARG) and exits with its return value. */
static inline pid_t sc_spawn(int (*fn)(void *), void *arg)
{
	pid_t pid = sc_fork();

	if (pid == 0)
		_exit(fn(arg));
	return pid;
}

/*
 * Wait for PID at most MS milliseconds; returns the wait status, or -1 after
 * killing (SIGKILL) and reaping a child that did not end in time.
 */
static inline int sc_wait_ms(pid_t pid, int ms)
{
	int64_t deadline = sc_now_ns() + (int64_t)ms * 1000000;
	int delay = 1000, status;

	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -2;
		if (sc_now_ns() > deadline)
			break;
		sc_backoff(&delay);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

static inline int sc_wait(pid_t pid)
{
	return sc_wait_ms(pid, SC_WAIT_MS);
}

/* A wait status in words, as TLPI's printWaitStatus: "exited 3", "killed by SIGABRT". */
static inline const char *sc_status_str(int status)
{
	static char buf[64];

	if (status == -1)
		snprintf(buf, sizeof(buf), "did not end in time (killed)");
	else if (status == -2)
		snprintf(buf, sizeof(buf), "could not be waited for");
	else if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exited %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "killed by %s%s", sc_signame(WTERMSIG(status)),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, sizeof(buf), "status 0x%x", status);
	return buf;
}

/* A child that must exit 0; a skip-exit becomes a setup error (it lost its parent). */
#define EXPECT_CHILD_OK(pid) do {					\
	int _sc_st = sc_wait(pid);					\
	EXPECT_EQ(0, _sc_st) {						\
		TH_LOG("child %s", sc_status_str(_sc_st));		\
	}								\
} while (0)

/* sc_fork() for a child that is meant to die of a signal: no core dump is written. */
static inline pid_t sc_fork_nocore(void)
{
	pid_t pid = sc_fork();

	if (pid == 0) {
		struct rlimit none = { 0, 0 };

		prctl(PR_SET_DUMPABLE, 0);
		setrlimit(RLIMIT_CORE, &none);
	}
	return pid;
}

/* STATUS (from sc_wait) says the child was killed by signal SIG. */
#define EXPECT_KILLED_BY(sig, status) do {				\
	int _sc_st = (status), expected_signal = (sig);			\
	int seen_signal = _sc_st >= 0 && WIFSIGNALED(_sc_st) ? WTERMSIG(_sc_st) : 0; \
	EXPECT_EQ(expected_signal, seen_signal) {			\
		TH_LOG("child %s, expected killed by %s",		\
		       sc_status_str(_sc_st), sc_signame(expected_signal)); \
	}								\
} while (0)

/* The exit code of a child that ended normally, else -1. */
static inline int sc_exit_code(int status)
{
	return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * STATUS (from sc_wait) is a normal exit with code WANT; for children that exit
 * with the errno they saw (0 for success), the log names both as errnos.
 */
#define EXPECT_CHILD_EXIT(want, status) do {				\
	int _sc_st = (status), expected_exit = (want);			\
	int child_exit = sc_exit_code(_sc_st);				\
	EXPECT_EQ(expected_exit, child_exit) {				\
		TH_LOG("child: expected exit %s, %s (%s)",		\
		       sc_errname(expected_exit), sc_status_str(_sc_st),	\
		       sc_errname(child_exit));				\
	}								\
} while (0)

/* ---- synchronisation ------------------------------------------------------- */

static inline int sc_sync_pair(int fds[2])
{
	return pipe2(fds, O_CLOEXEC);
}

static inline int sc_signal_ready(int fd)
{
	return write(fd, "r", 1) == 1 ? 0 : -1;
}

/*
 * Wait at most MS for one byte on FD: 0 when it came, -ETIMEDOUT, or -EPIPE when the
 * peer closed (died) before it was ready.
 */
static inline int sc_wait_ready_ms(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;
	int r;

	do {
		r = poll(&p, 1, ms);
	} while (r < 0 && errno == EINTR);
	if (r == 0)
		return -ETIMEDOUT;
	if (r < 0)
		return -errno;
	r = read(fd, &c, 1);
	return r == 1 ? 0 : r == 0 ? -EPIPE : -errno;
}

static inline int sc_wait_ready(int fd)
{
	return sc_wait_ready_ms(fd, SC_WAIT_MS);
}

/*
 * Read exactly LEN bytes from FD, each wait bounded by MS: 0, -ETIMEDOUT, -EPIPE
 * (end of file first: the writer died or closed), or -errno.
 */
static inline int sc_read_full_ms(int fd, void *buf, size_t len, int ms)
{
	size_t have = 0;

	while (have < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, ms);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return -ETIMEDOUT;
		if (r < 0)
			return -errno;
		n = read(fd, (char *)buf + have, len - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		have += n;
	}
	return 0;
}

static inline int sc_read_full(int fd, void *buf, size_t len)
{
	return sc_read_full_ms(fd, buf, len, SC_WAIT_MS);
}

/* An sc_read_full() result in words. */
static inline const char *sc_read_str(int r)
{
	return r == 0 ? "ok" : r == -EPIPE ? "end of file (the writer died)" : sc_errname(-r);
}

static inline void sc_on_alarm(int sig)
{
	(void)sig;
}

/*
 * Interrupt blocking calls of this process (STYLE.md 3.7, 4): SIGALRM with a
 * handler installed without SA_RESTART, after MS and then every 10 ms, so that an
 * early signal cannot leave a call blocked. A call that blocks although it must
 * not then fails with EINTR instead of hanging. sc_interrupt_off() stops it.
 */
static inline void sc_interrupt_after(int ms)
{
	struct sigaction sa = { .sa_handler = sc_on_alarm };
	struct itimerval it = {
		.it_interval = { 0, 10000 },
		.it_value = { ms / 1000, (ms % 1000) * 1000 },
	};

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static inline void sc_interrupt_off(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* The state letter of /proc/PID/task/TID/stat (TID = PID for the main thread). */
static inline char sc_task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Wait until the task sleeps in the kernel (state S or D), at most SC_WAIT_MS:
 * 0, or -ETIMEDOUT, or -ESRCH when it is gone. Use it after a readiness
 * handshake, right before the event that should wake the task.
 */
static inline int sc_wait_blocked_tid(pid_t pid, pid_t tid)
{
	int64_t deadline = sc_now_ns() + (int64_t)SC_WAIT_MS * 1000000;
	int delay = 1000;

	for (;;) {
		char s = sc_task_state(pid, tid);

		if (s == 'S' || s == 'D')
			return 0;
		if (s == 0 || s == 'Z' || s == 'X')
			return -ESRCH;
		if (sc_now_ns() > deadline)
			return -ETIMEDOUT;
		sc_backoff(&delay);
	}
}

static inline int sc_wait_blocked(pid_t pid)
{
	return sc_wait_blocked_tid(pid, pid);
}

/*
 * The path of a helper program of build/harness/ (e.g. "sc-exec-helper"), found
 * next to the running test (build/tests/<topic>/<facet> -> build/harness/NAME).
 */
static inline const char *sc_helper_path(const char *name)
{
	static char path[PATH_MAX];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return name;
	exe[n] = 0;
	for (int up = 0; up < 3 && (slash = strrchr(exe, '/')); up++)
		*slash = 0;	/* strip <facet>, <topic>, tests */
	if (snprintf(path, sizeof(path), "%s/harness/%s", exe, name) >= (int)sizeof(path))
		return name;
	return path;
}

/* ---- the kernel's version -------------------------------------------------- */

#define SC_KV(major, minor, sub) ((major) * 1000000L + (minor) * 1000L + (sub))
/* An SC_KV() value as the two ints of "%d.%d" (major, minor). */
#define SC_KV_PRINT(kv) (int)((kv) / 1000000), (int)((kv) / 1000 % 1000)

/*
 * The version uname() reports, as SC_KV(major, minor, sub); 0 if it cannot be read.
 * For rules that say since when Linux behaves so (a case then names the version).
 */
static inline long sc_kernel(void)
{
	unsigned int major, minor, sub = 0;
	struct utsname u;

	if (uname(&u) != 0 || sscanf(u.release, "%u.%u.%u", &major, &minor, &sub) < 2)
		return 0;
	return SC_KV(major, minor, sub);
}

/* ---- namespaces ------------------------------------------------------------ */

static inline int sc_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/*
 * In a new mount namespace: make every mount private, so that nothing mounted here
 * reaches the parent namespace. gVisor rejects MS_REC (EINVAL) but has no shared
 * mounts: there, plain MS_PRIVATE, and mountinfo must then show no shared mount.
 */
static inline int sc_make_private(char *why, size_t whylen)
{
	char line[1024];
	FILE *f;
	int shared = 0;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		return 0;
	if (errno != EINVAL || mount(NULL, "/", NULL, MS_PRIVATE, NULL) != 0) {
		snprintf(why, whylen, "make / private: %s", sc_errname(errno));
		return -1;
	}
	f = fopen("/proc/self/mountinfo", "re");
	while (f && fgets(line, sizeof(line), f))
		shared |= strstr(line, " shared:") != NULL;
	if (f)
		fclose(f);
	if (!f || shared) {
		snprintf(why, whylen, "a mount stays shared (MS_REC refused)");
		return -1;
	}
	return 0;
}

/*
 * The namespace that the link PATH names, as readlink() gives it ("pid:[4026531836]"),
 * in BUF (SC_NS_LEN bytes); "" when it cannot be read. namespaces(7) makes the link's
 * text (and the inode that stat() gives) the namespace's identity.
 */
#define SC_NS_LEN 64
static inline char *sc_ns_link(const char *path, char *buf)
{
	ssize_t n = readlink(path, buf, SC_NS_LEN - 1);

	buf[n > 0 ? n : 0] = 0;
	return buf;
}

/*
 * In a child: become uid/gid 65534 with no groups when root (by the kernel's ids, not
 * a preloaded library's), so that what follows is an unprivileged call; 0 or -1.
 */
static inline int sc_drop_privilege(void)
{
	if (syscall(SYS_geteuid) != 0)
		return 0;
	return setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	       setresuid(65534, 65534, 65534) ? -1 : 0;
}

/* Whether the caller is in the initial user namespace (uid_map maps every id). */
static inline bool sc_in_initial_userns(void)
{
	char map[128] = "";
	unsigned long inner, outer, count;
	int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, map, sizeof(map) - 1) : -1;

	if (fd >= 0)
		close(fd);
	map[n > 0 ? n : 0] = 0;
	return sscanf(map, "%lu %lu %lu", &inner, &outer, &count) == 3 && inner == 0 &&
	       outer == 0 && count == 4294967295UL;
}

/* What sc_unshare() did: entered (SC_NS_OK), or the case's outcome otherwise. */
enum sc_ns_result { SC_NS_OK, SC_NS_SKIP, SC_NS_ERROR, SC_NS_FAIL };

/*
 * Enter fresh namespaces (CLONE_NEW* FLAGS) in the calling process, which must be
 * a test process or a child of one, by the most privileged route it has: directly
 * (root, CAP_SYS_ADMIN); only when that is refused with EPERM, through a new user
 * namespace in which the caller is mapped to uid/gid 0 (the way in for the
 * unprivileged, or for root in a container). With CLONE_NEWNS the new mount
 * namespace must show in /proc/self/ns/mnt, and "/" is made recursively private,
 * so that no mount reaches the host. Probe the feature first
 * (SC_REQUIRE_FEATURE("pidns")): once it is supported, a refusal here is a fail.
 * *WHY gets the route taken, or the skip reason, setup error or divergence.
 */
static inline enum sc_ns_result sc_unshare(int flags, char *why, size_t whylen)
{
	/* The kernel's ids, not a preloaded library's (fakeroot says 0): they go in the maps. */
	uid_t uid = syscall(SYS_geteuid);
	gid_t gid = syscall(SYS_getegid);
	char map[64], mnt_before[64] = "", mnt_after[64] = "";
	ssize_t n;
	int err;

	if (flags & CLONE_NEWNS) {
		n = readlink("/proc/self/ns/mnt", mnt_before, sizeof(mnt_before) - 1);
		mnt_before[n > 0 ? n : 0] = 0;
	}
	if (unshare(flags) == 0) {
		snprintf(why, whylen, "unshare(%s) directly", sc_clone_flags_str(flags));
		goto entered;
	}
	err = errno;
	if (err != EPERM || (flags & CLONE_NEWUSER)) {
		snprintf(why, whylen, "unshare(%s) -> %s, although the feature probe entered one",
			 sc_clone_flags_str(flags), sc_errname(err));
		return err == EPERM || err == EACCES || err == ENOSPC ? SC_NS_SKIP : SC_NS_FAIL;
	}
	if (unshare(CLONE_NEWUSER | flags) != 0) {
		err = errno;
		if (err == EINVAL && sc_ns_type_exists("user"))	/* qemu-user: see probe_userns */
			snprintf(why, whylen, "needs root: unshare(%s) EPERM, and the user-namespace route fails EINVAL (USERNS-01)",
				 sc_clone_flags_str(flags));
		else
			snprintf(why, whylen, "needs user namespaces: %s", sc_errname(err));
		return SC_NS_SKIP;
	}
	snprintf(map, sizeof(map), "0 %u 1", uid);
	if (sc_write_text("/proc/self/uid_map", map) != 0)
		goto map_failed;
	if (sc_write_text("/proc/self/setgroups", "deny") != 0 && errno != ENOENT)
		goto map_failed;
	snprintf(map, sizeof(map), "0 %u 1", gid);
	if (sc_write_text("/proc/self/gid_map", map) != 0)
		goto map_failed;
	snprintf(why, whylen, "through a new user namespace (unshare(%s) alone: EPERM)",
		 sc_clone_flags_str(flags));
entered:
	if (!(flags & CLONE_NEWNS))
		return SC_NS_OK;
	/*
	 * Mount only where a new mount namespace is proven: an implementation that
	 * accepts CLONE_NEWNS but shares its mounts (gVisor 20221219 does) would
	 * otherwise let a test's mount reach its parent, or the host. A call that
	 * returns 0 and makes no namespace is a divergence (MNTNS-01).
	 */
	n = readlink("/proc/self/ns/mnt", mnt_after, sizeof(mnt_after) - 1);
	mnt_after[n > 0 ? n : 0] = 0;
	if (!mnt_before[0] || !mnt_after[0] || !strcmp(mnt_before, mnt_after)) {
		snprintf(why, whylen, "unshare(CLONE_NEWNS) returned 0, but %s: no new mount namespace (MNTNS-01); nothing was mounted",
			 !mnt_after[0] ? "/proc/self/ns/mnt is missing" : "/proc/self/ns/mnt names the old one");
		return SC_NS_FAIL;
	}
	return sc_make_private(why, whylen) ? SC_NS_ERROR : SC_NS_OK;
map_failed:
	snprintf(why, whylen, "write id map: %s", sc_errname(errno));
	return SC_NS_ERROR;
}

/*
 * In a test body: enter the namespaces (the route taken goes to the case's log),
 * or end the case: a skip with its reason, a setup error, or a fail.
 */
#define SC_UNSHARE_OR_SKIP(flags) do {					\
	char _sc_why[256];						\
	enum sc_ns_result _sc_r = sc_unshare(flags, _sc_why, sizeof(_sc_why)); \
	if (_sc_r == SC_NS_SKIP)					\
		SKIP(return, "%s", _sc_why);				\
	if (_sc_r == SC_NS_ERROR)					\
		SC_ERROR("%s", _sc_why);				\
	ASSERT_EQ(SC_NS_OK, _sc_r) {					\
		TH_LOG("%s", _sc_why);					\
	}								\
	TH_LOG("namespaces: %s", _sc_why);				\
} while (0)

#endif /* SYSCONFORM_H */
