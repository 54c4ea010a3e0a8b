// SPDX-License-Identifier: GPL-2.0-only
/*
 * probes.c: the probes of the feature registry (harness/features.h) and its table,
 * compiled once (build/harness/probes.o) and linked into every test program and the
 * features program. A probe makes one harmless call of its feature's defining API
 * (see features.h for how its result is classified); probes run on first use.
 */
#include "features.h"

/* What the running probe saw, in words (appended; copied into its row by sc_probe()). */
static char sc_probe_note[200];

static inline void __attribute__((format(printf, 1, 2))) sc_observed(const char *fmt, ...)
{
	size_t len = strlen(sc_probe_note);
	va_list ap;

	if (len && len < sizeof(sc_probe_note) - 2)
		len += snprintf(sc_probe_note + len, sizeof(sc_probe_note) - len, "; ");
	va_start(ap, fmt);
	vsnprintf(sc_probe_note + len, sizeof(sc_probe_note) - len, fmt, ap);
	va_end(ap);
}

#define SC_PROBE_CALL(call) ((call) < 0 ? errno : 0)


/* An unlinked temporary file in $TMPDIR, or -1. */
static inline int sc_probe_tmpfile(void)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/sysconform-probe.XXXXXX", sc_test_base());
	fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	return fd;
}

/* A fresh temporary directory name in PATH (which the caller removes), or NULL. */
static inline char *sc_probe_tmpdir(char path[4096])
{
	snprintf(path, 4096, "%s/sysconform-probe.XXXXXX", sc_test_base());
	return mkdtemp(path);
}

/*
 * Run FN(ARG) in a fork child (namespace probes change the caller for good) and
 * return what it returned: 0, an errno, or SC_IGNORED; what it said with
 * sc_observed() comes back through a pipe. ENOSPC/EUSERS (max_user_namespaces
 * is 0) are a policy, like EPERM.
 */
static inline int sc_probe_in_child(int (*fn)(int), int arg)
{
	int note[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe2(note, O_CLOEXEC))
		return errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		st = errno;
		sc_close_all(2, note);
		return st;
	}
	if (pid == 0) {
		st = fn(arg);
		n = write(note[1], sc_probe_note, strlen(sc_probe_note));
		_exit(st & 0xff);
	}
	close(note[1]);
	n = read(note[0], sc_probe_note, sizeof(sc_probe_note) - 1);
	sc_probe_note[n > 0 ? n : 0] = 0;
	close(note[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	if (!WIFEXITED(st))
		return ECHILD;
	st = WEXITSTATUS(st);
	return st == (SC_IGNORED & 0xff) ? SC_IGNORED : st == ENOSPC || st == EUSERS ? EPERM : st;
}

/* ---- probes (FEAT-NN order) ---------------------------------------------- */

static inline int probe_pread_pwrite(void)
{
	char c;
	int fd = sc_probe_tmpfile(), r;

	if (fd < 0)
		return errno;
	r = SC_PROBE_CALL(pread(fd, &c, 1, 0));
	close(fd);
	return r;
}

static inline int probe_sendfile(void)
{
	int sv[2], fd = sc_probe_tmpfile(), r;
	off_t off = 0;

	if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return errno;
	r = SC_PROBE_CALL(sendfile(sv[0], fd, &off, 1));
	close(fd);
	sc_close_all(2, sv);
	return r;
}

static inline int probe_epoll(void)
{
	int fd = epoll_create(1);	/* epoll_create1() is flags_2627's */

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_epollexclusive(void)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int p[2] = { -1, -1 }, ep = epoll_create1(0), r;

	if (ep < 0 || pipe(p))
		return errno;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)) {
		r = errno;
	} else {
		ev.events = EPOLLIN | EPOLLEXCLUSIVE;
		r = epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0 ? SC_IGNORED :
		    errno == EINVAL ? 0 : errno;
		if (r == SC_IGNORED)
			sc_observed("EPOLL_CTL_MOD with EPOLLEXCLUSIVE returned 0 (since 4.5: EINVAL)");
	}
	close(ep);
	sc_close_all(2, p);
	return r;
}

static inline int probe_epoll_pwait2(void)
{
	struct timespec zero = { 0, 0 };
	struct epoll_event ev;
	int ep = epoll_create1(0), r;

	if (ep < 0)
		return errno;
	r = SC_PROBE_CALL(epoll_pwait2(ep, &ev, 1, &zero, NULL));
	close(ep);
	return r;
}

static inline int probe_o_cloexec(void)
{
	int fd = open("/", O_RDONLY | O_CLOEXEC), fl;

	if (fd < 0)
		return errno;
	fl = fcntl(fd, F_GETFD);
	close(fd);
	if (fl >= 0 && !(fl & FD_CLOEXEC))
		sc_observed("open(O_CLOEXEC) left FD_CLOEXEC clear");
	return fl < 0 ? errno : (fl & FD_CLOEXEC) ? 0 : SC_IGNORED;
}

static inline int probe_f_dupfd_cloexec(void)
{
	int fd = fcntl(0 <= fcntl(2, F_GETFD) ? 2 : 0, F_DUPFD_CLOEXEC, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_flags_2627(void)
{
	int p[2], s;

	if (pipe2(p, O_CLOEXEC))
		return errno;
	sc_close_all(2, p);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	close(s);
	return 0;
}

static inline int probe_signalfd(void)
{
	sigset_t none;
	int fd;

	sigemptyset(&none);
	fd = signalfd(-1, &none, 0);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_timerfd(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_eventfd(void)
{
	int fd = eventfd(0, EFD_SEMAPHORE);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_inotify(void)
{
	int fd = inotify_init1(0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_in_mask_create(void)
{
	int fd = inotify_init1(IN_CLOEXEC), r;

	if (fd < 0)
		return errno;
	if (inotify_add_watch(fd, "/", IN_ACCESS | IN_MASK_CREATE) < 0)
		r = errno;
	else
		r = inotify_add_watch(fd, "/", IN_ACCESS | IN_MASK_CREATE) >= 0 ? SC_IGNORED :
		    errno == EEXIST ? 0 : errno;
	if (r == SC_IGNORED)
		sc_observed("a second watch with IN_MASK_CREATE succeeded (since 4.18: EEXIST)");
	close(fd);
	return r;
}

static inline int probe_fanotify(void)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_dnotify(void)
{
	char dir[4096];
	int fd, r;

	if (!sc_probe_tmpdir(dir))
		return errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY);
	r = fd < 0 ? errno : SC_PROBE_CALL(fcntl(fd, F_NOTIFY, DN_CREATE));
	if (fd >= 0)
		close(fd);
	rmdir(dir);
	return r;
}

static inline int probe_name_to_handle_at(void)
{
	struct { struct file_handle h; unsigned char buf[128]; } fh = { .h.handle_bytes = 128 };
	int mnt;

	return SC_PROBE_CALL(name_to_handle_at(AT_FDCWD, sc_test_base(), &fh.h, &mnt, 0));
}

static inline int probe_f_dupfd_query(void)
{
	int r = fcntl(2, F_DUPFD_QUERY, 2);

	if (r < 0 && errno == EBADF)
		r = fcntl(0, F_DUPFD_QUERY, 0);
	if (r >= 0 && r != 1)
		sc_observed("fcntl(fd, F_DUPFD_QUERY, fd) returned %d (since 6.10: 1)", r);
	return r == 1 ? 0 : r < 0 ? errno : SC_IGNORED;
}

static inline int probe_futex(void)
{
	uint32_t word = 0;

	return SC_PROBE_CALL(syscall(SYS_futex, &word, 1 /* FUTEX_WAKE */, 1, NULL, NULL, 0));
}

static inline int probe_prctl(void)
{
	return SC_PROBE_CALL(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
}

static inline int probe_kcmp(void)
{
	return SC_PROBE_CALL(sc_kcmp(getpid(), getpid(), KCMP_VM, 0, 0));
}

static inline int probe_getcpu(void)
{
	return SC_PROBE_CALL(sched_getcpu());
}

static inline int probe_sched_affinity(void)
{
	cpu_set_t set;

	return SC_PROBE_CALL(sched_getaffinity(0, sizeof(set), &set));
}

static inline int probe_rusage_thread(void)
{
	struct rusage ru;

	return SC_PROBE_CALL(getrusage(RUSAGE_THREAD, &ru));
}

static inline int probe_keepcaps(void)
{
	return SC_PROBE_CALL(prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0));
}

static inline int probe_file_caps(void)
{
	char buf[64];

	if (getxattr("/proc/self/exe", "security.capability", buf, sizeof(buf)) >= 0)
		return 0;
	return errno == ENODATA ? 0 : errno;
}

static inline int probe_pdeathsig(void)
{
	int sig;

	return SC_PROBE_CALL(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0));
}

/* PR_SET_CHILD_SUBREAPER in a child (the GET is PROC-08's to check). */
static inline int sc_become_subreaper(int unused)
{
	(void)unused;
	return SC_PROBE_CALL(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0));
}

static inline int probe_subreaper(void)
{
	int err = sc_probe_in_child(sc_become_subreaper, 0);

	/* gVisor accepts it only from PID 1, where it changes nothing (init reaps orphans). */
	if (err == EINVAL && getpid() == 1 && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
		sc_observed("PR_SET_CHILD_SUBREAPER fails EINVAL in any process but PID 1 (where it returns 0 and changes nothing)");
	return err;
}

static inline int probe_no_new_privs(void)
{
	return SC_PROBE_CALL(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

static inline int probe_recvmmsg(void)
{
	char c;
	struct iovec iov = { &c, 1 };
	struct mmsghdr m = { .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return errno;
	r = recvmmsg(sv[0], &m, 1, MSG_DONTWAIT, NULL) < 0 && errno != EAGAIN ? errno : 0;
	sc_close_all(2, sv);
	return r;
}

static inline int probe_sendmmsg(void)
{
	char c = 'p';
	struct iovec iov = { &c, 1 };
	struct mmsghdr m = { .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };
	int sv[2], r;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return errno;
	r = SC_PROBE_CALL(sendmmsg(sv[0], &m, 1, 0));
	sc_close_all(2, sv);
	return r;
}

/* getsockopt/setsockopt of an int option on a new socket. */
static inline int sc_probe_sockopt(int domain, int type, int level, int opt, int set)
{
	int s = socket(domain, type, 0), v = 1, r;
	socklen_t len = sizeof(v);

	if (s < 0)
		return errno;
	r = set ? SC_PROBE_CALL(setsockopt(s, level, opt, &v, sizeof(v)))
		: SC_PROBE_CALL(getsockopt(s, level, opt, &v, &len));
	close(s);
	return r;
}

static inline int probe_so_domain(void)
{
	return sc_probe_sockopt(AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_DOMAIN, 0);
}

static inline int probe_so_rcvbufforce(void)
{
	return sc_probe_sockopt(AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_RCVBUFFORCE, 1);
}

static inline int probe_tcp_cork(void)
{
	return sc_probe_sockopt(AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_CORK, 1);
}

static inline int probe_tcp_defer_accept(void)
{
	return sc_probe_sockopt(AF_INET, SOCK_STREAM, IPPROTO_TCP, TCP_DEFER_ACCEPT, 1);
}

static inline int probe_mremap_fixed(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *dst = mmap(NULL, 2 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *src = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *r;
	int err;

	if (dst == MAP_FAILED || src == MAP_FAILED)
		return errno;
	r = mremap(src, pg, pg, MREMAP_MAYMOVE | MREMAP_FIXED, dst + pg);
	err = r == MAP_FAILED ? errno : r == dst + pg ? 0 : SC_IGNORED;
	if (err == SC_IGNORED)
		sc_observed("mremap(MREMAP_FIXED) moved the mapping elsewhere than asked");
	if (r == MAP_FAILED)
		munmap(src, pg);
	munmap(dst, 2 * pg);
	return err;
}

static inline int probe_remap_file_pages(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	int fd = sc_probe_tmpfile(), r;
	void *p;

	if (fd < 0 || ftruncate(fd, pg))
		return errno;
	p = mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return errno;
	r = SC_PROBE_CALL(remap_file_pages(p, pg, 0, 0, 0));
	munmap(p, pg);
	return r;
}

static inline int sc_probe_madvise(int advice)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (p == MAP_FAILED)
		return errno;
	r = SC_PROBE_CALL(madvise(p, pg, advice));
	munmap(p, pg);
	return r;
}

static inline int probe_madv_dontfork(void)
{
	return sc_probe_madvise(MADV_DONTFORK);
}

static inline int probe_madv_wipeonfork(void)
{
	return sc_probe_madvise(MADV_WIPEONFORK);
}

/*
 * process_vm_readv() of a fork child's memory, the route the tests take: a
 * process may always read itself, even where Yama's ptrace_scope (3, or 2
 * without CAP_SYS_PTRACE) or another policy refuses every other target.
 */
static inline int probe_process_vm(void)
{
	static const char src = 'x';
	char dst = 0;
	struct iovec l = { &dst, 1 }, r = { (void *)&src, 1 };
	int hold[2], err;
	pid_t pid;

	if (pipe2(hold, O_CLOEXEC))
		return errno;
	pid = fork();
	if (pid == 0) {		/* the target: lives until the probe closes its end */
		close(hold[1]);
		_exit(read(hold[0], &dst, 1) < 0);
	}
	err = pid < 0 ? errno : SC_PROBE_CALL(process_vm_readv(pid, &l, 1, &r, 1, 0));
	sc_close_all(2, hold);
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return err;
}

static inline int probe_listmount(void)
{
	/* An empty request: a kernel with statmount says EFAULT or EINVAL. */
	int r = SC_PROBE_CALL(syscall(__NR_statmount, NULL, NULL, 0, 0));

	return r == EFAULT || r == EINVAL ? 0 : r;
}


/*
 * unshare(FLAGS) by the most privileged route the process has: directly (root,
 * CAP_SYS_ADMIN); when that is refused with EPERM, together with CLONE_NEWUSER, the
 * way in for the unprivileged. Returns 0 or the errno (EPERM when both routes are
 * refused: this identity cannot); says the route with sc_observed().
 */
static inline int sc_try_unshare(int flags)
{
	int err;

	if (unshare(flags) == 0) {
		sc_observed("unshare(%s) directly", sc_clone_flags_str(flags));
		return 0;
	}
	err = errno;
	if (err != EPERM || (flags & CLONE_NEWUSER))
		return err;
	if (unshare(CLONE_NEWUSER | flags) == 0) {
		sc_observed("through a new user namespace (unshare(%s) alone: EPERM)",
			    sc_clone_flags_str(flags));
		return 0;
	}
	err = errno;
	sc_observed("unshare(%s): EPERM, and with CLONE_NEWUSER: %s", sc_clone_flags_str(flags),
		    sc_errname(err));
	return EPERM;
}

static inline int sc_probe_unshare(int flags)
{
	return sc_probe_in_child(sc_try_unshare, flags);
}


/*
 * Mount namespaces: supported when unshare(CLONE_NEWNS) works. Mounting needs more:
 * /proc/self/ns/mnt must show the new namespace (see sc_unshare). Where the call
 * returns 0 and no new namespace can be seen, that is a divergence (MNTNS-01),
 * said here and failed by the cases that would mount.
 */
static inline int sc_new_mntns(int unused)
{
	char a[64] = "", b[64] = "";
	ssize_t n = readlink("/proc/self/ns/mnt", a, sizeof(a) - 1);
	int err;

	(void)unused;
	a[n > 0 ? n : 0] = 0;
	if ((err = sc_try_unshare(CLONE_NEWNS)))
		return err;
	n = readlink("/proc/self/ns/mnt", b, sizeof(b) - 1);
	b[n > 0 ? n : 0] = 0;
	if (!a[0] || !b[0])
		sc_observed("it returned 0, but /proc/self/ns/mnt is missing: no new mount namespace is proven (MNTNS-01), the suite mounts nothing");
	else if (!strcmp(a, b))
		sc_observed("it returned 0, but /proc/self/ns/mnt still names %s: no new mount namespace (MNTNS-01), the suite mounts nothing", a);
	return 0;
}

/*
 * User namespaces. Linux refuses unshare(CLONE_NEWUSER) with EINVAL only to a
 * multithreaded caller or a kernel without them; the probe's child is single-
 * threaded, so EINVAL where /proc/self/ns/user exists is a divergence (USERNS-01;
 * qemu-user's own threads cause it), not a missing feature.
 */
static inline int sc_new_userns(int unused)
{
	(void)unused;
	if (unshare(CLONE_NEWUSER) == 0)
		return 0;
	if (errno != EINVAL || !sc_ns_type_exists("user"))
		return errno;
	sc_observed("unshare(CLONE_NEWUSER) fails EINVAL in a single-threaded process although /proc/self/ns/user exists: a divergence (USERNS-01)");
	return 0;
}

static inline int probe_mntns(void) { return sc_probe_in_child(sc_new_mntns, 0); }
static inline int probe_userns(void) { return sc_probe_in_child(sc_new_userns, 0); }
static inline int probe_pidns(void) { return sc_probe_unshare(CLONE_NEWPID); }
static inline int probe_utsns(void) { return sc_probe_unshare(CLONE_NEWUTS); }
static inline int probe_ipcns(void) { return sc_probe_unshare(CLONE_NEWIPC); }
static inline int probe_netns(void) { return sc_probe_unshare(CLONE_NEWNET); }

/*
 * setns(2): a call with fd -1 tells an unknown call (ENOSYS, EOPNOTSUPP) from a known
 * one (EBADF); then a join of our own UTS namespace, directly, or without
 * CAP_SYS_ADMIN inside a new user namespace.
 */
static inline int sc_join_own_uts(int unused)
{
	int fd;

	(void)unused;
	if (setns(-1, 0) == 0 || errno != EBADF) {
		sc_observed("setns(-1, 0): %s", errno ? sc_errname(errno) : "success");
		return errno ? errno : SC_IGNORED;
	}
	fd = open("/proc/self/ns/uts", O_RDONLY);
	if (fd < 0) {
		char link[64] = "";
		int err = errno;

		if (readlink("/proc/self/ns/uts", link, sizeof(link) - 1) <= 0)
			return err;	/* no namespace files at all */
		/* proot: the link reads, but open() follows its text as a path. */
		sc_observed("setns(-1, 0) fails EBADF, but open(/proc/self/ns/uts) fails %s where readlink() gives %s: a divergence (NS-02)",
			    sc_errname(err), link);
		return 0;
	}
	if (setns(fd, 0) == 0) {
		sc_observed("setns() directly");
		return 0;
	}
	if (errno != EPERM)
		return errno;
	close(fd);
	if (unshare(CLONE_NEWUSER | CLONE_NEWUTS)) {
		sc_observed("setns(): EPERM, and unshare(CLONE_NEWUSER|CLONE_NEWUTS): %s", sc_errname(errno));
		return EPERM;
	}
	fd = open("/proc/self/ns/uts", O_RDONLY);
	if (fd < 0 || setns(fd, 0) != 0)
		return errno;
	sc_observed("setns() inside a new user namespace (directly: EPERM)");
	return 0;
}

static inline int probe_setns(void) { return sc_probe_in_child(sc_join_own_uts, 0); }

static inline int probe_pid_for_children(void)
{
	struct stat st;

	return SC_PROBE_CALL(lstat("/proc/self/ns/pid_for_children", &st));
}

static inline int probe_ns_last_pid(void)
{
	return SC_PROBE_CALL(access("/proc/sys/kernel/ns_last_pid", F_OK));
}

static inline int probe_o_path(void)
{
	char c;
	int fd = open("/proc/self/exe", O_PATH), r;

	if (fd < 0)
		return errno;
	r = read(fd, &c, 1) >= 0 ? SC_IGNORED : errno == EBADF ? 0 : errno;
	if (r == SC_IGNORED)
		sc_observed("read() of an O_PATH descriptor succeeded (since 2.6.39: EBADF)");
	close(fd);
	return r;
}

static inline int probe_o_tmpfile(void)
{
	int fd = open(sc_test_base(), O_TMPFILE | O_RDWR, 0600);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_openat2(void)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	int fd = syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/*
 * On a dup of stderr, not on ~0U: gVisor has close_range but rejects a last
 * above INT_MAX with EINVAL, a divergence the fd tests should report as such.
 */
static inline int probe_close_range(void)
{
	int fd = fcntl(2, F_DUPFD, 10), r;	/* plain F_DUPFD: no other feature */

	if (fd < 0)
		return errno;
	r = SC_PROBE_CALL(close_range(fd, fd, CLOSE_RANGE_CLOEXEC));
	if (r == 0 && close_range(fd, fd, 0) != 0)
		return errno;
	if (r != 0)
		close(fd);
	return r;
}

static inline int probe_pidfd(void)
{
	int fd = pidfd_open(getpid(), 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_memfd(void)
{
	int fd = memfd_create("p", MFD_ALLOW_SEALING | MFD_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_copy_file_range(void)
{
	int a = sc_probe_tmpfile(), b = sc_probe_tmpfile(), r;

	if (a < 0 || b < 0)
		return errno;
	r = SC_PROBE_CALL(copy_file_range(a, NULL, b, NULL, 0, 0));
	close(a);
	close(b);
	return r;
}

/* CALL on a new unlinked temporary file (fd). */
#define SC_PROBE_ON_TMPFILE(call) ({					\
	int fd = sc_probe_tmpfile(), _r;				\
	if (fd < 0)							\
		return errno;						\
	_r = SC_PROBE_CALL(call);					\
	close(fd);							\
	_r;								\
})

static inline int probe_fallocate(void)
{
	return SC_PROBE_ON_TMPFILE(fallocate(fd, 0, 0, 1));
}

static inline int probe_seek_data(void)
{
	return SC_PROBE_ON_TMPFILE(lseek(fd, 0, SEEK_HOLE));
}

static inline int probe_ofd_locks(void)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	return SC_PROBE_ON_TMPFILE(fcntl(fd, F_OFD_GETLK, &fl));
}

static inline int probe_pipe_size(void)
{
	int p[2], r;

	if (pipe(p))
		return errno;
	r = SC_PROBE_CALL(fcntl(p[0], F_GETPIPE_SZ));
	sc_close_all(2, p);
	return r;
}

static inline int probe_pipe_packet(void)
{
	int p[2];

	if (pipe2(p, O_DIRECT))
		return errno;
	sc_close_all(2, p);
	return 0;
}

static inline int probe_splice(void)
{
	int a[2] = { -1, -1 }, b[2] = { -1, -1 }, r;

	if (pipe(a) || pipe(b))
		r = errno;
	else
		r = tee(a[0], b[1], 1, SPLICE_F_NONBLOCK) < 0 && errno != EAGAIN ? errno : 0;
	sc_close_all(2, a);
	sc_close_all(2, b);
	return r;
}

static inline int probe_statx(void)
{
	struct statx sx;

	return SC_PROBE_CALL(statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &sx));
}

static inline int probe_renameat2(void)
{
	char dir[4096], a[4200], b[4200];
	int fd, r;

	if (!sc_probe_tmpdir(dir))
		return errno;
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	fd = open(a, O_CREAT | O_WRONLY, 0600);
	r = fd < 0 ? errno : SC_PROBE_CALL(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE));
	if (fd >= 0)
		close(fd);
	unlink(a);
	unlink(b);
	rmdir(dir);
	return r;
}

static inline int probe_preadv2(void)
{
	char c;
	struct iovec iov = { &c, 1 };

	return SC_PROBE_ON_TMPFILE(preadv2(fd, &iov, 1, 0, 0));
}

static inline int probe_io_uring(void)
{
	struct { uint32_t w[30]; } params;	/* struct io_uring_params is 120 bytes */
	int fd;

	memset(&params, 0, sizeof(params));
	fd = syscall(__NR_io_uring_setup, 1, &params);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static inline int probe_map_fixed_noreplace(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *q;
	int r;

	if (p == MAP_FAILED)
		return errno;
	q = mmap(p, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	/* Another address: the flag was taken as a hint (missing). The same address:
	 * the mapping was replaced, which is wrong, not missing: the tests say so. */
	r = q == MAP_FAILED ? (errno == EEXIST ? 0 : errno) : q == p ? 0 : SC_IGNORED;
	if (r == SC_IGNORED)
		sc_observed("MAP_FIXED_NOREPLACE over a mapping returned another address (a hint, as before 4.17)");
	else if (q == p)
		sc_observed("MAP_FIXED_NOREPLACE over a mapping replaced it (since 4.17: EEXIST): MMAP's cases say so");
	if (q != MAP_FAILED && q != p)
		munmap(q, pg);
	munmap(p, pg);
	return r;
}

static inline int probe_user_xattr(void)
{
	return SC_PROBE_ON_TMPFILE(fsetxattr(fd, "user.probe", "", 0, 0));
}

/* ---- memfd_secret, POSIX and System V shared memory, memfd seals (FEAT-69..73) ---- */
#include <sys/shm.h>
#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447	/* the same number in x86_64's and the generic table */
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

/* memfd_secret(2) has no glibc wrapper: ENOSYS also when secretmem is disabled. */
static inline int probe_memfd_secret(void)
{
	int fd = syscall(SYS_memfd_secret, O_CLOEXEC);

	if (fd < 0 && errno == ENOSYS)
		sc_observed("ENOSYS also where the kernel has it but it is off: CONFIG_SECRETMEM=n, secretmem.enable=0 (the default before 6.5), or no direct-map support (mm/secretmem.c)");
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A fresh object /sysconform-probe-PID-N, removed again (names are global). */
static inline int probe_posix_shm(void)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "/sysconform-probe-%ld-%ld", (long)getpid(), random());
	fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	close(fd);
	if (shm_unlink(name) < 0)
		sc_observed("shm_unlink(%s) after shm_open: %s", name, sc_errname(errno));
	return 0;
}

/* An IPC_PRIVATE segment of one page, removed at once (segments are global). */
static inline int probe_sysv_shm(void)
{
	int id = shmget(IPC_PRIVATE, sysconf(_SC_PAGESIZE), IPC_CREAT | 0600);

	if (id < 0)
		return errno;
	if (shmctl(id, IPC_RMID, NULL) < 0)
		sc_observed("shmctl(IPC_RMID) after shmget: %s", sc_errname(errno));
	return 0;
}

/* memfd_create(MFD_NOEXEC_SEAL): EINVAL before 6.3 (an unknown flag). */
static inline int probe_memfd_noexec(void)
{
	int fd = memfd_create("p", MFD_NOEXEC_SEAL | MFD_CLOEXEC);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* F_ADD_SEALS(F_SEAL_FUTURE_WRITE) on a sealable memfd: EINVAL before 5.1. */
static inline int probe_seal_future_write(void)
{
	int fd = memfd_create("p", MFD_ALLOW_SEALING | MFD_CLOEXEC), r;

	if (fd < 0)
		return errno;
	r = SC_PROBE_CALL(fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	if (r == EPERM && fcntl(fd, F_GET_SEALS) > 0) {	/* not a policy: a broken memfd */
		sc_observed("memfd_create(MFD_ALLOW_SEALING) gave a sealed file (seals 0x%x): a divergence (MEMFD-03)",
			    fcntl(fd, F_GET_SEALS));
		r = 0;
	}
	close(fd);
	return r;
}

/* sendfile() to a regular file (2.6.33); EINVAL there is the older socket-only sendfile. */
static inline int probe_sendfile_any_fd(void)
{
	int in = sc_probe_tmpfile(), out = sc_probe_tmpfile(), r;
	off_t off = 0;

	if (in < 0 || out < 0 || write(in, "x", 1) != 1)
		r = errno;
	else
		r = SC_PROBE_CALL(sendfile(out, in, &off, 1));
	if (r == EINVAL)
		sc_observed("sendfile to a regular file: EINVAL (only sockets before 2.6.33)");
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return r;
}

/*
 * An unprivileged fanotify group (5.13): fanotify_init(FAN_CLASS_NOTIF|FAN_REPORT_FID)
 * in a fork child that is uid 65534 when the caller is root. EPERM there is the
 * kernel before 5.13 refusing the unprivileged caller (or a policy).
 */
static inline int sc_probe_fanotify_unpriv_child(int unused)
{
	int fd;

	(void)unused;
	if (syscall(SYS_geteuid) == 0 &&
	    (syscall(SYS_setgroups, 0, NULL) || syscall(SYS_setresgid, 65534, 65534, 65534) ||
	     syscall(SYS_setresuid, 65534, 65534, 65534)))
		return ECHILD;
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == EPERM)
			sc_observed("fanotify_init(FAN_REPORT_FID) as an unprivileged user: EPERM (before 5.13, or a policy)");
		return errno;
	}
	close(fd);
	return 0;
}

static inline int probe_fanotify_unpriv(void)
{
	return sc_probe_in_child(sc_probe_fanotify_unpriv_child, 0);
}

#define SC_FEATURE_ROW(name, api, since) { #name, api, since, probe_##name, SC_UNPROBED, 0, "" },
static struct sc_feature sc_features[SC_NFEATURES] = { SC_FEATURE_LIST(SC_FEATURE_ROW) };
#undef SC_FEATURE_ROW


static struct sc_feature *sc_probe(struct sc_feature *f)
{
	if (f->status == SC_UNPROBED) {
		int saved = errno;

		sc_probe_note[0] = 0;
		f->err = f->probe();
		snprintf(f->observed, sizeof(f->observed), "%s", sc_probe_note);
		f->status = f->err == 0 ? SC_SUPPORTED : sc_classify_errno(f->err);
		if (f->status == SC_SUPPORTED)	/* an unexpected errno is not "missing" */
			f->err = 0;
		errno = saved;
	}
	return f;
}

/* The probed row of feature ID (SC_FEAT_name). */
const struct sc_feature *sc_feature_id(enum sc_feature_id id)
{
	return sc_probe(&sc_features[id]);
}

const char *sc_feature_name(enum sc_feature_id id)
{
	return sc_features[id].name;
}
