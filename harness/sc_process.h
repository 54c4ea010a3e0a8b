/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sc_process.h: bounded fork/wait, wait statuses in words, readiness handshakes, bounded reads, wait-until-blocked, the path of a harness helper program.
 * Part of sysconform.h (include that, not this file).
 */
#ifndef SYSCONFORM_PROCESS_H
#define SYSCONFORM_PROCESS_H

/* ---- time ---------------------------------------------------------------- */

static inline int64_t sc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* CALL, a wait with nothing to report (poll, epoll_wait, select...), returns 0 after at
 * least MS ms. */
#define EXPECT_RETURNS_0_AFTER_MS(ms, call) do {			\
	int64_t _sc_t0 = sc_now_ns(), waited_ns;			\
									\
	EXPECT_SYSCALL_RETURNS(0, call);				\
	waited_ns = sc_now_ns() - _sc_t0;				\
	EXPECT_LE((ms) * 1000000LL, waited_ns) {			\
		TH_LOG("returned after %lld us", (long long)waited_ns / 1000);	\
	}								\
} while (0)

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
 * test says so. The kit's children (sc_kit.h) return named results instead.
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
	pid_t parent = syscall(SYS_getpid);	/* the kernel's, not a preloaded library's */
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		pid_t pp = syscall(SYS_getppid);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		/*
		 * 0: the parent is outside our PID namespace (first child after unshare);
		 * a namespace's init cannot tell its parent's death from getppid() at all.
		 */
		if (pp != parent && pp != 0 && syscall(SYS_getpid) != 1)
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
	if (sc_exit_code(_sc_st) == SC_CHILD_SKIP)			\
		SC_ERROR("child %s (it lost its parent)", sc_status_str(_sc_st)); \
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
static inline int __sc_read_full_ms(int fd, void *buf, size_t len, int ms, bool raw)
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
		n = raw ? syscall(SYS_read, fd, (char *)buf + have, len - have) :
			  read(fd, (char *)buf + have, len - have);
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

static inline int sc_read_full_ms(int fd, void *buf, size_t len, int ms)
{
	return __sc_read_full_ms(fd, buf, len, ms, false);
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
 * The path of a helper program (e.g. "sc-exec-helper"), found from the running test
 * (/proc/self/exe), so a tree can move: beside it (an installed kselftest tree, where
 * the helpers sit next to the programs), else in the build tree's harness/
 * (build/tests/<topic>/<facet> -> build/harness/NAME).
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
	if ((slash = strrchr(exe, '/'))) {
		*slash = 0;	/* strip <facet> */
		if (snprintf(path, sizeof(path), "%s/%s", exe, name) < (int)sizeof(path) &&
		    access(path, X_OK) == 0)
			return path;
	}
	for (int up = 0; up < 2 && (slash = strrchr(exe, '/')); up++)
		*slash = 0;	/* strip <topic>, tests */
	if (snprintf(path, sizeof(path), "%s/harness/%s", exe, name) >= (int)sizeof(path))
		return name;
	return path;
}

#endif /* SYSCONFORM_PROCESS_H */
