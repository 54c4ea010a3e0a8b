/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sc_kit.h: the fixture and child kit, what tests would otherwise write again in
 * every topic. Part of sysconform.h (include that, not this file).
 *
 * Fixtures. A topic keeps its fixture's name (case ids carry it) and embeds one of
 * these structs; setup and teardown are one call each, a failed setup is a setup
 * error and cleans up after itself, teardown closes what is still open:
 *
 *	FIXTURE(file) { struct sc_file f; };
 *	FIXTURE_SETUP(file) { sc_file_setup(_metadata, &self->f, "f", "data", 4, O_RDWR); }
 *	FIXTURE_TEARDOWN(file) { sc_file_teardown(&self->f); }
 *
 *   struct sc_file { tmp, fd }	a file in a private temporary directory, open;
 *   struct sc_pipe { rd, wr }	a pipe (also what holds a child: sc_hold(), sc_release());
 *   struct sc_sockpair { fd[2] }	a Unix socket pair, or a connected stream pair of
 *				AF_UNIX or AF_INET (TCP over 127.0.0.1): sc_stream_pair_setup().
 * sc_close(&fd) closes a descriptor that is still open and marks it -1. In a case's
 * directory, fd = SC_FILE_AT("f", "abc", 3, O_RDWR) writes a file and opens it
 * (sc_file_at(): the same, -1 with errno).
 *
 * Children. A child runs FN(DATA), which fills the first LEN bytes of DATA (its
 * report; the rest of DATA can hold its inputs) and returns a named result:
 * SC_CHILD_OK, or sc_child_fail("what it saw") / sc_child_error("what broke") with
 * its own words (and then no report). The report comes back over a pipe into the
 * parent's DATA. The parent waits for it and for the child's end at most c->ms
 * (SC_WAIT_MS) each and kills a child that has not ended by then (the watchdog);
 * c->text tells the story in one line: "the init sent no report (end of file),
 * killed by SIGKILL", "the child exited 1: unshare(CLONE_NEWPID) -> -1 EINVAL",
 * "the init did not end in 1000 ms (killed)". No harness macro runs in a child; a
 * child that runs children passes their results on (sc_child_end() returns one).
 *
 *	static int report_pid(void *data)
 *	{
 *		*(pid_t *)data = getpid();
 *		return SC_CHILD_OK;
 *	}
 *	...
 *	struct sc_child c;
 *	pid_t seen = -1;
 *
 *	sc_child_run(&c, "the child", report_pid, &seen, sizeof(seen));
 *	ASSERT_CHILD_REPORTED(&c);	// "the child sent no report ..." otherwise
 *	EXPECT_EQ(1, seen);
 *	EXPECT_CHILD_SUCCEEDED(&c);	// "the child exited 1: ..." otherwise
 *
 * A child that lives on after its report sends it early (sc_child_send()) and the
 * parent reads it with sc_child_report(); SC_CHILD_START starts a child the test
 * then talks to, sc_child_end() ends it (also one never started: a zeroed struct).
 * A child that could not be forked, lost its parent (SC_CHILD_SKIP) or ended with
 * SC_CHILD_ERROR makes the case a setup error. ASSERT_CHILD_SUCCEEDED stops the case
 * where EXPECT_CHILD_SUCCEEDED goes on.
 *
 * A child that only says when it is ready gets LEN SC_READY_ONLY (no report struct):
 * it calls sc_child_send() right before the call that should block, and the test
 * waits with SC_CHILD_READY(&c), or EXPECT_CHILD_BLOCKED(&c, "read()") to also see
 * it asleep in the kernel. A child that reports twice (a waiter: "about to block",
 * then the result) sends the first with sc_child_send_first(), the second as usual;
 * the parent reads the second with sc_child_report_next() (then
 * ASSERT_CHILD_REPORTED). A child meant to die of a signal starts with
 * sc_child_start_nocore() / sc_child_run_nocore() (no core dump), checked by
 * EXPECT_CHILD_KILLED_BY. The child's words (sc_child_fail()) are per thread.
 *
 * Also: sc_spawn_helper() runs build/harness/sc-exec-helper in a child (its stdout a
 * kit pipe; sc_spawn_helper_io() makes its stdin one too, for "--wait": raw system
 * calls, so that a preloaded pipe2() or close() cannot leak or break them), and
 * sc_read_lines() reads its output; sc_orphan() makes an orphan whose new parent is
 * the caller's business; sc_sigwait_ms() and sc_sigwait_set_ms() wait for blocked
 * signals.
 */
#ifndef SYSCONFORM_KIT_H
#define SYSCONFORM_KIT_H

#include <stdarg.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

/* ---- descriptors and fixtures ------------------------------------------------ */

static inline void sc_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

struct sc_pipe {
	int rd, wr;
};

/* pipe2(FLAGS) into P: 0, or -1 with errno (both ends -1). */
static inline int sc_pipe_open(struct sc_pipe *p, int flags)
{
	int fds[2];

	p->rd = p->wr = -1;
	if (pipe2(fds, flags))
		return -1;
	p->rd = fds[0];
	p->wr = fds[1];
	return 0;
}

static inline void sc_pipe_setup(struct __test_metadata *_metadata, struct sc_pipe *p, int flags)
{
	if (sc_pipe_open(p, flags))
		SC_ERROR("pipe2() -> %s", sc_errname(errno));
}

static inline void sc_pipe_teardown(struct sc_pipe *p)
{
	sc_close(&p->rd);
	sc_close(&p->wr);
}

struct sc_sockpair {
	int fd[2];
};

/* socketpair(AF_UNIX, TYPE) into S; TYPE may carry SOCK_CLOEXEC, SOCK_NONBLOCK. */
static inline void sc_sockpair_setup(struct __test_metadata *_metadata, struct sc_sockpair *s,
				     int type)
{
	s->fd[0] = s->fd[1] = -1;
	if (socketpair(AF_UNIX, type, 0, s->fd))
		SC_ERROR("socketpair(AF_UNIX) -> %s", sc_errname(errno));
}

/*
 * A connected stream pair into S: of DOMAIN AF_UNIX a socketpair(SOCK_STREAM), of
 * AF_INET a TCP connection over 127.0.0.1 (fd[0] the client, fd[1] the accepted
 * end; its listener is gone). FLAGS: SOCK_CLOEXEC, SOCK_NONBLOCK (set once connected).
 * 0, or -1 with errno (both -1).
 */
static inline int sc_stream_pair_open(struct sc_sockpair *s, int domain, int flags)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	int l = -1, err = 0;

	s->fd[0] = s->fd[1] = -1;
	if (domain != AF_INET)
		return socketpair(domain, SOCK_STREAM | flags, 0, s->fd) ? -1 : 0;
	if ((l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&sin, sizeof(sin)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sin, &len) ||
	    (s->fd[0] = socket(AF_INET, SOCK_STREAM | (flags & SOCK_CLOEXEC), 0)) < 0 ||
	    connect(s->fd[0], (struct sockaddr *)&sin, sizeof(sin)) ||
	    (s->fd[1] = accept4(l, NULL, NULL, flags)) < 0 ||
	    ((flags & SOCK_NONBLOCK) &&
	     fcntl(s->fd[0], F_SETFL, fcntl(s->fd[0], F_GETFL) | O_NONBLOCK)))
		err = errno;
	if (l >= 0)
		close(l);
	if (err) {
		sc_close(&s->fd[0]);
		sc_close(&s->fd[1]);
		errno = err;
		return -1;
	}
	return 0;
}

/* The same in a fixture's setup: a setup error when it cannot be made. */
static inline void sc_stream_pair_setup(struct __test_metadata *_metadata, struct sc_sockpair *s,
					int domain, int flags)
{
	if (sc_stream_pair_open(s, domain, flags))
		SC_ERROR("a connected %s stream pair: %s", domain == AF_INET ? "TCP (127.0.0.1)" :
			 "AF_UNIX", sc_errname(errno));
}

static inline void sc_sockpair_teardown(struct sc_sockpair *s)
{
	sc_close(&s->fd[0]);
	sc_close(&s->fd[1]);
}

struct sc_file {
	struct sc_tmpdir tmp;
	int fd;
};

static inline void sc_file_teardown(struct sc_file *f)
{
	sc_close(&f->fd);
	sc_tmpdir_teardown(&f->tmp);
}

/*
 * A private temporary directory (made the current one) holding the file NAME: LEN
 * bytes of DATA, or LEN zero bytes when DATA is NULL; open with FLAGS | O_CLOEXEC.
 */
static inline void sc_file_setup(struct __test_metadata *_metadata, struct sc_file *f,
				 const char *name, const void *data, size_t len, int flags)
{
	int err = 0;

	f->fd = -1;
	sc_tmpdir_setup(_metadata, &f->tmp);
	if (data ? sc_write_file(name, data, len) : sc_write_file(name, "", 0) || truncate(name, len))
		err = errno;
	else if ((f->fd = open(name, flags | O_CLOEXEC)) < 0)
		err = errno;
	if (err) {
		sc_file_teardown(f);
		SC_ERROR("the file %s: %s", name, sc_errname(err));
	}
}

/* Fill the file NAME: LEN bytes of DATA, or LEN zero bytes when DATA is NULL; 0, or -1. */
static inline int sc_file_fill(const char *name, const void *data, size_t len)
{
	return data ? sc_write_file(name, data, len) : sc_write_file(name, "", 0) || truncate(name, len);
}

/*
 * The file NAME in the current directory (a case's private one): LEN bytes of DATA,
 * or LEN zero bytes when DATA is NULL, open with FLAGS | O_CLOEXEC. Its descriptor,
 * or -1 with errno.
 */
static inline int sc_file_at(const char *name, const void *data, size_t len, int flags)
{
	return sc_file_fill(name, data, len) ? -1 : open(name, flags | O_CLOEXEC);
}

/*
 * In a test: sc_file_at()'s descriptor, where a file that cannot be written is a
 * setup error and a failed open() stops the case as SC_OK(open(...)) would:
 *	fd = SC_FILE_AT("f", "abc", 3, O_RDWR | O_APPEND);
 */
#define SC_FILE_AT(name, data, len, flags) ({				\
	const char *_sc_name = (name);					\
	int _sc_fd, _sc_err;						\
									\
	if (sc_file_fill(_sc_name, data, len))				\
		SC_ERROR("the file %s: %s", _sc_name, sc_errname(errno));	\
	errno = 0;							\
	_sc_fd = open(_sc_name, (flags) | O_CLOEXEC);			\
	_sc_err = errno;						\
	ASSERT_NE(-1, _sc_fd) {						\
		TH_LOG("open(%s, %s | O_CLOEXEC) -> -1 %s", _sc_name, #flags,	\
		       sc_errname(_sc_err));				\
	}								\
	_sc_fd;								\
})

/*
 * A child's report pipe is the kit's own: made, read, written and closed by the system
 * calls themselves, so that a preloaded library under test (a mutant, a student's
 * pipes) cannot break the messenger and turn other rules' cases into fails.
 */
static inline void sc_kit_close(int fd)
{
	syscall(SYS_close, fd);
}

/* ---- children ------------------------------------------------------------------ */

/* A child's result, its exit code (SC_CHILD_SKIP, 125, is sc_fork()'s). */
#define SC_CHILD_OK	0	/* it saw what it should */
#define SC_CHILD_FAILED	1	/* it did not: a fail (sc_child_fail() says why) */
#define SC_CHILD_ERROR	126	/* its own setup broke: a setup error (sc_child_error()) */
#define SC_WHY_LEN	200

typedef int (*sc_child_fn)(void *data);

struct sc_child {
	const char *name;	/* who it is, for the text: "the init" */
	pid_t pid;		/* as fork() returned it; -1 when that failed */
	int ms;			/* bound of each wait: report, end (SC_WAIT_MS) */
	void *data;		/* the report lands in its first len bytes */
	size_t len;
	int rd;			/* the parent's end of the report pipe */
	int read;		/* the report: 0 came, 1 not read yet, or -EPIPE, -ETIMEDOUT */
	int status;		/* its wait status (sc_wait_ms()): -1 killed at the bound */
	bool ended;
	char ready;		/* where an SC_READY_ONLY child's report lands */
	char why[SC_WHY_LEN];	/* the child's own words */
	char text[SC_WHY_LEN + 128];	/* all of it in one line */
};

/* The calling child's own state: where its report goes, and its words. */
struct sc_child_self {
	int fd;
	bool sent;
	const void *data;
	size_t len;
	char why[SC_WHY_LEN];
};

static inline struct sc_child_self *sc_child_self(void)
{
	/* per thread: threads that run or end children do not share their words */
	static __thread struct sc_child_self self = { .fd = -1 };

	return &self;
}

/* In a child: the words for RESULT (see sc_child_fail()); returns RESULT. */
static inline __attribute__((format(printf, 2, 3)))
int sc_child_say(int result, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sc_child_self()->why, SC_WHY_LEN, fmt, ap);
	va_end(ap);
	return result;
}

/* In a child: return sc_child_fail("what it saw") or sc_child_error("what broke"). */
#define sc_child_fail(...) sc_child_say(SC_CHILD_FAILED, __VA_ARGS__)
#define sc_child_error(...) sc_child_say(SC_CHILD_ERROR, __VA_ARGS__)

/* In a child function: CALL must succeed, else the child fails with "call -> -1 ERRNO". */
#define SC_CHILD_CALL(call) ({						\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	if (_sc_ret == -1)						\
		return sc_child_fail("%s -> -1 %s", #call, sc_errname(errno)); \
	_sc_ret;							\
})

/*
 * A frame on the report pipe: TAG ('r' the report, 'w' the child's words), LEN bytes.
 * The kit's own plumbing goes to the kernel directly: a preloaded writev() (a mutant,
 * a student's library) is under test, not the messenger.
 */
static inline int sc_child_frame_out(int fd, char tag, const void *buf, size_t len)
{
	struct iovec iov[2] = { { &tag, 1 }, { (void *)buf, len } };

	return syscall(SYS_writev, fd, iov, 2) == (long)len + 1 ? 0 : -1;
}

/* In a child: send the report now (once), to go on living after it. */
static inline void sc_child_send(void)
{
	struct sc_child_self *s = sc_child_self();

	if (!s->sent && s->len && s->fd >= 0 && sc_child_frame_out(s->fd, 'r', s->data, s->len))
		s->fd = -1;	/* the parent reads no report */
	s->sent = true;
}

/*
 * In a child that reports twice (a waiter: "about to block", then the result): send
 * the report as it is now; the second goes as usual, when it returns SC_CHILD_OK (or
 * with sc_child_send()). The parent reads them with sc_child_report() and
 * sc_child_report_next().
 */
static inline void sc_child_send_first(void)
{
	struct sc_child_self *s = sc_child_self();

	sc_child_send();
	s->sent = false;
}

/* LEN of a child that reports nothing but that it is ready (sc_child_send()). */
#define SC_READY_ONLY ((size_t)-1)

static inline void __attribute__((noreturn))
__sc_child_main(int fd, sc_child_fn fn, void *data, const void *report, size_t len)
{
	struct sc_child_self *s = sc_child_self();
	int r;

	if (s->fd >= 0)
		sc_kit_close(s->fd);	/* our parent's report pipe, not ours */
	*s = (struct sc_child_self){ .fd = fd, .data = report, .len = len };
	r = fn(data);
	if (r == SC_CHILD_OK)
		sc_child_send();
	if (s->fd >= 0 && sc_child_frame_out(s->fd, 'w', s->why, sizeof(s->why)))
		r = r ? r : SC_CHILD_FAILED;
	_exit(r);
}

static inline void __attribute__((noreturn))
sc_child_main(int fd, sc_child_fn fn, void *data, size_t len)
{
	__sc_child_main(fd, fn, data, data, len);
}

static inline int sc_child_not_started(struct sc_child *c, const char *call, int err)
{
	snprintf(c->text, sizeof(c->text), "%s: %s -> %s", c->name, call, sc_errname(err));
	c->ended = true;
	errno = err;
	return -1;
}

struct sc_clone_start {
	int fds[2];
	sc_child_fn fn;
	void *data;
	size_t len;
	const void *report;	/* what the child sends: DATA, or the ready byte */
	bool nocore;
};

/* In a child meant to die of a signal: no core dump is written (see sc_fork_nocore()). */
static inline void sc_no_core_dump(void)
{
	struct rlimit none = { 0, 0 };

	prctl(PR_SET_DUMPABLE, 0);
	setrlimit(RLIMIT_CORE, &none);
}

static inline int sc_clone_main(void *arg)
{
	struct sc_clone_start *a = arg;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (a->nocore)
		sc_no_core_dump();
	sc_kit_close(a->fds[0]);
	__sc_child_main(a->fds[1], a->fn, a->data, a->report, a->len);
}

/*
 * Start a child C named NAME (for its text) that runs FN(DATA) and reports LEN bytes
 * of DATA; through clone(FLAGS | SIGCHLD) (for flags that only clone() takes) or,
 * when FLAGS is 0, sc_fork(). 0, or -1 with c->text.
 */
static inline int __sc_child_clone(struct sc_child *c, const char *name, int flags,
				   sc_child_fn fn, void *data, size_t len, bool nocore)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	struct sc_clone_start a = { { -1, -1 }, fn, data, len, data, nocore };
	int err;

	*c = (struct sc_child){ .name = name, .pid = -1, .ms = SC_WAIT_MS, .data = data,
				.len = len, .rd = -1, .read = 1, .status = -2 };
	if (len == SC_READY_ONLY) {	/* one byte, into c->ready */
		a.report = "r";
		a.len = c->len = 1;
		c->data = &c->ready;
	}
	if (syscall(SYS_pipe2, a.fds, O_CLOEXEC))
		return sc_child_not_started(c, "pipe2()", errno);
	if (flags) {
		fflush(stdout);
		fflush(stderr);
		c->pid = clone(sc_clone_main, stack + sizeof(stack), flags | SIGCHLD, &a);
	} else {
		c->pid = nocore ? sc_fork_nocore() : sc_fork();
		if (c->pid == 0) {
			sc_kit_close(a.fds[0]);
			__sc_child_main(a.fds[1], fn, data, a.report, a.len);
		}
	}
	err = errno;
	sc_kit_close(a.fds[1]);
	if (c->pid < 0) {
		char call[160] = "fork()";

		if (flags)
			snprintf(call, sizeof(call), "clone(%s|SIGCHLD)", sc_clone_flags_str(flags));
		sc_kit_close(a.fds[0]);
		return sc_child_not_started(c, call, err);
	}
	c->rd = a.fds[0];
	return 0;
}

static inline int sc_child_clone(struct sc_child *c, const char *name, int flags,
				 sc_child_fn fn, void *data, size_t len)
{
	return __sc_child_clone(c, name, flags, fn, data, len, false);
}

static inline int sc_child_start(struct sc_child *c, const char *name, sc_child_fn fn,
				 void *data, size_t len)
{
	return sc_child_clone(c, name, 0, fn, data, len);
}

/* sc_child_start() for a child meant to die of a signal: it writes no core dump. */
static inline int sc_child_start_nocore(struct sc_child *c, const char *name, sc_child_fn fn,
					void *data, size_t len)
{
	return __sc_child_clone(c, name, 0, fn, data, len, true);
}

/* Read a frame: the report into c->data, or the child's words: its tag, or -EPIPE... */
static inline int sc_child_frame_in(struct sc_child *c)
{
	char tag = 0;
	int r = __sc_read_full_ms(c->rd, &tag, 1, c->ms, true);

	if (!r)
		r = tag == 'r' ? __sc_read_full_ms(c->rd, c->data, c->len, c->ms, true) :
			__sc_read_full_ms(c->rd, c->why, sizeof(c->why), c->ms, true);
	return r ? r : tag;
}

/*
 * Wait (at most c->ms) for the child's report: 0 once it has come, -ENODATA when the
 * child failed instead (its words came), -EPIPE, -ETIMEDOUT.
 */
static inline int sc_child_report(struct sc_child *c)
{
	if (c->pid == 0 && !c->ended)	/* a zeroed struct: never started */
		c->read = -ECHILD;
	if (c->read == 1) {
		int r = c->len == 0 ? 'r' : c->rd < 0 ? -ECHILD : sc_child_frame_in(c);

		c->read = r == 'r' ? 0 : r == 'w' ? -ENODATA : r;
	}
	return c->read;
}

/*
 * Wait for the next report of a child that reports twice (sc_child_send_first()),
 * once the first has been read: as sc_child_report(), which (and
 * ASSERT_CHILD_REPORTED) then gives this one. The report lands in c->data again.
 */
static inline int sc_child_report_next(struct sc_child *c)
{
	if (c->read == 0 && !c->ended)
		c->read = 1;
	return sc_child_report(c);
}

static inline void sc_child_describe(struct sc_child *c)
{
	bool hung = c->status == -1;
	char report[64] = "", end[64];

	if (c->read == -ETIMEDOUT)
		snprintf(report, sizeof(report), " sent no report in %d ms%s", c->ms, hung ? "" : ",");
	else if (c->read == -ENODATA)
		snprintf(report, sizeof(report), " sent no report,");
	else if (c->read)
		snprintf(report, sizeof(report), " sent no report (%s),",
			 c->read == -EPIPE ? "end of file" : sc_errname(-c->read));
	if (hung && c->read == -ETIMEDOUT)
		snprintf(end, sizeof(end), "and was killed");
	else if (hung)
		snprintf(end, sizeof(end), "did not end in %d ms (killed)", c->ms);
	else
		snprintf(end, sizeof(end), "%s", sc_status_str(c->status));
	snprintf(c->text, sizeof(c->text), "%s%s %s%s%s%s", c->name, report, end,
		 sc_exit_code(c->status) == SC_CHILD_SKIP ? " (it lost its parent)" : "",
		 c->why[0] ? ": " : "", c->why);
}

/*
 * End the child: its report if not read yet, then its end, each waited for at most
 * c->ms; a child that has not ended by then is killed. Fills c->text; idempotent.
 * SC_CHILD_OK when the report came and the child exited 0, else SC_CHILD_FAILED, or
 * SC_CHILD_ERROR when it could not start or set itself up, with c->text as the
 * caller's words, should the caller be a child itself.
 */
static inline int sc_child_end(struct sc_child *c)
{
	int code;

	if (!c->ended && c->pid == 0) {	/* a zeroed struct: never started, nothing to wait for */
		if (!c->name)
			c->name = "the child";
		c->pid = -1;
		c->rd = -1;
		c->read = -ECHILD;
		c->status = -2;
		c->ended = true;
		snprintf(c->text, sizeof(c->text), "%s was never started", c->name);
	}
	if (!c->ended) {
		int r = sc_child_report(c);

		while (r == 0 || r == 'r')	/* a report not asked for, then the words */
			r = sc_child_frame_in(c);	/* (end of file after an execve()) */
		c->why[r == 'w' || r == -ENODATA ? sizeof(c->why) - 1 : 0] = 0;
		sc_kit_close(c->rd);
		c->rd = -1;
		c->status = sc_wait_ms(c->pid, r == -ETIMEDOUT ? 0 : c->ms);
		c->ended = true;
		sc_child_describe(c);
	}
	code = sc_exit_code(c->status);
	if (c->pid < 0 || code == SC_CHILD_SKIP || code == SC_CHILD_ERROR)
		return sc_child_error("%s", c->text);
	return c->read == 0 && c->status == 0 ? SC_CHILD_OK : sc_child_fail("%s", c->text);
}

/* Start and end: a child that does its work and reports. */
static inline int sc_child_run(struct sc_child *c, const char *name, sc_child_fn fn,
			       void *data, size_t len)
{
	sc_child_start(c, name, fn, data, len);
	return sc_child_end(c);
}

/* sc_child_run() for a child meant to die of a signal: it writes no core dump. */
static inline int sc_child_run_nocore(struct sc_child *c, const char *name, sc_child_fn fn,
				      void *data, size_t len)
{
	sc_child_start_nocore(c, name, fn, data, len);
	return sc_child_end(c);
}

/* In a test: start a child, or end the case with a setup error. */
#define SC_CHILD_START(c, name, fn, data, len) do {			\
	struct sc_child *_sc_cs = (c);					\
	if (sc_child_start(_sc_cs, name, fn, data, len))		\
		SC_ERROR("%s", _sc_cs->text);				\
} while (0)

/* The child's report came; else the case stops (a setup error if the child could not start). */
#define ASSERT_CHILD_REPORTED(c) do {					\
	struct sc_child *_sc_c = (c);					\
	int child_report = sc_child_report(_sc_c);			\
	if (child_report && sc_child_end(_sc_c) == SC_CHILD_ERROR)	\
		SC_ERROR("%s", _sc_c->text);				\
	ASSERT_EQ(0, child_report) {					\
		TH_LOG("%s", _sc_c->text);				\
	}								\
} while (0)

/* In a test: the report of a child that sets something up; without it, a setup error. */
#define SC_CHILD_READY(c) do {						\
	struct sc_child *_sc_c = (c);					\
	if (sc_child_report(_sc_c)) {					\
		sc_child_end(_sc_c);					\
		SC_ERROR("%s", _sc_c->text);				\
	}								\
} while (0)

/*
 * In a test: the child C says it is ready (as SC_CHILD_READY: else a setup error)
 * right before CALL, a call that should block, and then sleeps in the kernel
 * (sc_wait_blocked()); else "the reader did not block in read(): ETIMEDOUT".
 */
#define __SC_CHILD_BLOCKED(c, call, CHECK) do {				\
	struct sc_child *_sc_cb = (c);					\
	int child_blocked;						\
									\
	SC_CHILD_READY(_sc_cb);						\
	child_blocked = sc_wait_blocked(_sc_cb->pid);			\
	CHECK(0, child_blocked) {					\
		TH_LOG("%s did not block in %s: %s", _sc_cb->name, call,	\
		       sc_errname(-child_blocked));			\
	}								\
} while (0)
#define EXPECT_CHILD_BLOCKED(c, call) __SC_CHILD_BLOCKED(c, call, EXPECT_EQ)
#define ASSERT_CHILD_BLOCKED(c, call) __SC_CHILD_BLOCKED(c, call, ASSERT_EQ)

/* End the child (if not ended yet): it reported and exited SC_CHILD_OK. */
#define __SC_CHILD_SUCCEEDED(c, CHECK) do {				\
	struct sc_child *_sc_c = (c);					\
	int child_result = sc_child_end(_sc_c);				\
	if (child_result == SC_CHILD_ERROR)				\
		SC_ERROR("%s", _sc_c->text);				\
	CHECK(SC_CHILD_OK, child_result) {				\
		TH_LOG("%s", _sc_c->text);				\
	}								\
} while (0)
#define EXPECT_CHILD_SUCCEEDED(c) __SC_CHILD_SUCCEEDED(c, EXPECT_EQ)
/* The same, and the case stops there unless it did. */
#define ASSERT_CHILD_SUCCEEDED(c) __SC_CHILD_SUCCEEDED(c, ASSERT_EQ)

/* End the child (if not ended yet): it was killed by signal SIG. */
#define EXPECT_CHILD_KILLED_BY(sig, c) do {				\
	struct sc_child *_sc_c = (c);					\
	int expected_signal = (sig), seen_signal;			\
									\
	sc_child_end(_sc_c);						\
	seen_signal = _sc_c->status >= 0 && WIFSIGNALED(_sc_c->status) ?	\
		      WTERMSIG(_sc_c->status) : 0;			\
	EXPECT_EQ(expected_signal, seen_signal) {			\
		TH_LOG("%s, expected killed by %s", _sc_c->text,	\
		       sc_signame(expected_signal));			\
	}								\
} while (0)

/*
 * In a child: wait at most MS until the parent lets go of the pipe P (sc_release(),
 * or its write ends are all closed): 0, or -ETIMEDOUT. The byte stays in the pipe,
 * so one sc_release() lets every holder go, and copies of the write end that other
 * children inherited do not matter.
 */
static inline int sc_hold(const struct sc_pipe *p, int ms)
{
	struct pollfd pf = { .fd = p->rd, .events = POLLIN };
	int r;

	do {
		r = poll(&pf, 1, ms);
	} while (r < 0 && errno == EINTR);
	return r == 1 ? 0 : r == 0 ? -ETIMEDOUT : -errno;
}

/* In the parent: let every sc_hold() on P return. */
static inline int sc_release(struct sc_pipe *p)
{
	return write(p->wr, "g", 1) == 1 ? 0 : -1;
}

/* A child function: live until the struct sc_pipe PIPE lets go (sc_hold()). */
static inline int sc_child_hold(void *pipe)
{
	sc_hold(pipe, SC_WAIT_MS);
	return SC_CHILD_OK;
}

/* Wait at most MS for the signal SIG, which the caller blocks: SIG (with *SI), or -1. */
static inline int sc_sigwait_ms(int sig, siginfo_t *si, int ms)
{
	struct timespec bound = { ms / 1000, ms % 1000 * 1000000L };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, sig);
	return sigtimedwait(&set, si, &bound);
}

/*
 * Wait at most MS (0: only a pending one) for a signal of SET, which the caller
 * blocks; an interrupted wait goes on. Its number (with *SI), or -errno: -EAGAIN
 * when none came.
 */
static inline int sc_sigwait_set_ms(const sigset_t *set, siginfo_t *si, int ms)
{
	int64_t deadline = sc_now_ns() + (int64_t)ms * 1000000;
	int r;

	for (;;) {
		int64_t left = deadline - sc_now_ns();
		struct timespec t = { left > 0 ? left / 1000000000 : 0, left > 0 ? left % 1000000000 : 0 };

		r = sigtimedwait(set, si, &t);
		if (r >= 0 || errno != EINTR)
			break;
	}
	return r < 0 ? -errno : r;
}

/* ---- sc-exec-helper -------------------------------------------------------------- */

struct sc_exec {
	const char *const *args;
	int in, out;
	sc_child_fn prep;
	void *data;
};

static inline int sc_exec_child(void *data)
{
	const struct sc_exec *x = data;
	const char *path = sc_helper_path("sc-exec-helper");
	char *argv[16] = { (char *)path };
	int r;

	if (x->in >= 0 && (r = dup2(x->in, 0)) != 0)
		return sc_child_error("dup2(%d, 0) -> %d %s", x->in, r, r < 0 ? sc_errname(errno) : "");
	if ((r = dup2(x->out, 1)) != 1)
		return sc_child_error("dup2(%d, 1) -> %d %s", x->out, r, r < 0 ? sc_errname(errno) : "");
	if (x->prep && (r = x->prep(x->data)))
		return r;
	for (int i = 0; i < 14 && x->args[i]; i++)
		argv[i + 1] = (char *)x->args[i];
	execve(path, argv, environ);
	return sc_child_error("execve(%s) -> %s", path, sc_errname(errno));
}

/*
 * Run sc-exec-helper with ARGS (NULL-terminated) in the child C: its stdin is IN
 * (when >= 0), its stdout a new pipe whose read end *OUT gets. PREP(DATA), when not
 * NULL, runs first in the child, after the dup2()s; a result other than SC_CHILD_OK
 * ends the child instead. 0, or -1 with c->text. The helper's exit code is the
 * child's; a failed execve() is SC_CHILD_ERROR.
 */
static inline int sc_spawn_helper(struct sc_child *c, const char *const *args, int in, int *out,
				  sc_child_fn prep, void *data)
{
	struct sc_exec x = { args, in, -1, prep, data };
	int o[2];

	*out = -1;
	/* The helper's stdout is the kit's plumbing, like the report pipe: the system call. */
	if (syscall(SYS_pipe2, o, O_CLOEXEC)) {
		*c = (struct sc_child){ .name = "the exec helper", .pid = -1 };
		return sc_child_not_started(c, "pipe2()", errno);
	}
	x.out = o[1];
	if (sc_child_start(c, "the exec helper", sc_exec_child, &x, 0)) {
		sc_kit_close(o[0]);
		sc_kit_close(o[1]);
		return -1;
	}
	sc_kit_close(o[1]);
	*out = o[0];
	return 0;
}

/*
 * sc_spawn_helper() whose stdin is the kit's too: a new pipe whose write end *IN gets
 * (the helper's "--wait" ends at its end of file: sc_kit_close(*IN)). Both pipes are
 * made and closed by the system calls, close-on-exec, so that no other child (nor the
 * helper itself) holds a copy of the write end, whatever a preloaded pipe2() does.
 */
static inline int sc_spawn_helper_io(struct sc_child *c, const char *const *args, int *in,
				     int *out, sc_child_fn prep, void *data)
{
	int i[2];

	*in = *out = -1;
	if (syscall(SYS_pipe2, i, O_CLOEXEC)) {
		*c = (struct sc_child){ .name = "the exec helper", .pid = -1 };
		return sc_child_not_started(c, "pipe2()", errno);
	}
	if (sc_spawn_helper(c, args, i[0], out, prep, data)) {
		sc_kit_close(i[1]);
		i[1] = -1;
	}
	sc_kit_close(i[0]);
	*in = i[1];
	return *in < 0 ? -1 : 0;
}

/*
 * Read FD (a helper's stdout) to its end of file into BUF, NUL-terminated, each wait
 * bounded by SC_WAIT_MS, through the system call: its length, or -1 when it did not
 * come (-ETIMEDOUT...); LINES > 0 stops after that many newlines instead.
 */
static inline ssize_t sc_read_lines(int fd, char *buf, size_t size, int lines)
{
	size_t len = 0;

	buf[0] = 0;
	while (len + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, SC_WAIT_MS);
		ssize_t n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = syscall(SYS_read, fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
		if (lines > 0) {
			int seen = 0;

			for (char *s = buf; *s; s++)
				seen += *s == '\n';
			if (seen >= lines)
				break;
		}
	}
	return len;
}

/* ---- orphans ----------------------------------------------------------------------- */

struct sc_orphaning {
	pid_t orphan;
	struct sc_pipe go, back;
};

/* The orphan's parent: fork O with plain fork() (sc_fork()'s would die with us), report it. */
static inline int sc_orphan_parent(void *data)
{
	struct sc_orphaning *o = data;

	o->orphan = fork();
	if (o->orphan == 0) {
		pid_t pp;

		if (sc_hold(&o->go, SC_WAIT_MS))
			_exit(SC_CHILD_FAILED);
		pp = getppid();
		_exit(write(o->back.wr, &pp, sizeof(pp)) == sizeof(pp) ? SC_CHILD_OK : SC_CHILD_FAILED);
	}
	return o->orphan < 0 ? sc_child_fail("fork() -> %s", sc_errname(errno)) : SC_CHILD_OK;
}

/*
 * In a child that should adopt an orphan (a subreaper, a namespace's init): fork M,
 * which forks O and exits; once M is reaped (and its SIGCHLD, when the caller blocks
 * it, taken), O reports its getppid() in *PPID and exits SC_CHILD_OK, unreaped.
 * O's PID, or -1 with the child's words said (return SC_CHILD_FAILED then).
 */
static inline pid_t sc_orphan(pid_t *ppid)
{
	struct sc_orphaning o = { .orphan = -1 };
	struct sc_child m;
	int r;

	if (sc_pipe_open(&o.go, O_CLOEXEC) || sc_pipe_open(&o.back, O_CLOEXEC)) {
		sc_child_fail("pipe2() -> %s", sc_errname(errno));
		sc_pipe_teardown(&o.go);
		return -1;
	}
	r = sc_child_run(&m, "the orphan's parent", sc_orphan_parent, &o, sizeof(o.orphan));
	while (sc_sigwait_ms(SIGCHLD, NULL, 0) > 0)
		;
	/* M has been reaped, so O has been re-parented already. */
	if (r == SC_CHILD_OK) {
		r = sc_release(&o.go) ? -errno : sc_read_full(o.back.rd, ppid, sizeof(*ppid));
		if (r)
			sc_child_fail("the orphan's getppid(): %s", sc_read_str(r));
	}
	sc_pipe_teardown(&o.go);
	sc_pipe_teardown(&o.back);
	return r ? -1 : o.orphan;
}

#endif /* SYSCONFORM_KIT_H */
