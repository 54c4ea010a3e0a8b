// SPDX-License-Identifier: GPL-2.0-only
/*
 * Waiting for POSIX record locks: F_SETLKW sleeps until the conflicting lock goes,
 * a caught signal interrupts it (EINTR, or a restart with SA_RESTART), deadlocks
 * between two processes are refused with EDEADLK, and the threads of a process
 * share its locks. Man pages: fcntl(2) "Advisory record locking", signal(7).
 */
#include <pthread.h>
#include <sys/time.h>
#include "locks.h"

static int handler_fd = -1;	/* the child's handler reports each signal here */

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	if (handler_fd >= 0)
		sc_signal_ready(handler_fd);
	errno = saved;
}

static void catch_signal(int sig, int flags)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = flags };

	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

FIXTURE(held_lock) {
	struct sc_file f;	/* the test's descriptor of "f", write-locking [0,10) */
};

FIXTURE_SETUP(held_lock)
{
	sc_file_setup(_metadata, &self->f, "f", LOCKS_DATA, 20, O_RDWR);
	SC_SETUP(lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 10));
}

FIXTURE_TEARDOWN(held_lock)
{
	sc_file_teardown(&self->f);
}

/*
 * The waiter: a child that opens "f", catches SIGUSR1 with SA_FLAGS, reports (about
 * to wait), then waits with F_SETLKW F_WRLCK on [0,10) and reports how that ended.
 */
struct waiter {
	int err;		/* its second report: F_SETLKW's errno, 0 when granted */
	int sa_flags;
	struct sc_pipe said;	/* a byte for each signal it catches */
};

static int wait_for_lock(void *data)
{
	struct waiter *w = data;
	int fd = open("f", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	handler_fd = w->said.wr;
	catch_signal(SIGUSR1, w->sa_flags);
	sc_child_send_first();
	w->err = lock_range(fd, F_SETLKW, F_WRLCK, 0, 10) ? errno : 0;
	return SC_CHILD_OK;
}

/* Start the waiter W as C; the case ends unless it is ready and then blocked. */
static void start_waiter(struct __test_metadata *_metadata, struct sc_child *c, struct waiter *w)
{
	sc_pipe_setup(_metadata, &w->said, O_CLOEXEC);
	SC_CHILD_START(c, "the waiter", wait_for_lock, w, sizeof(w->err));
	sc_close(&w->said.wr);
	ASSERT_CHILD_BLOCKED(c, "F_SETLKW");
}

/* The child C's second report: ERR, the errno its F_SETLKW ended with (0: granted); it ended. */
#define EXPECT_SETLKW_ENDED(err_, c, got) do {				\
	int expected_err = (err_);					\
									\
	sc_child_report_next(c);					\
	ASSERT_CHILD_REPORTED(c);					\
	EXPECT_EQ(expected_err, got) {					\
		TH_LOG("%s's F_SETLKW -> %s", (c)->name, sc_errname(got));	\
	}								\
	EXPECT_CHILD_SUCCEEDED(c);					\
} while (0)

/* LOCK-09 fcntl(2): F_SETLKW on a range another process locked sleeps until that lock is released, then succeeds. */
TEST_F(held_lock, setlkw_waits_until_lock_released_then_succeeds)
{
	struct waiter w = { .err = -1, .sa_flags = 0 };
	struct sc_child c;
	int st;

	start_waiter(_metadata, &c, &w);
	ASSERT_EQ(0, waitpid(c.pid, &st, WNOHANG)) {
		TH_LOG("F_SETLKW returned while the lock was held: %s", sc_status_str(st));
	}
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_UNLCK, 0, 10));
	EXPECT_SETLKW_ENDED(0, &c, w.err);
	sc_pipe_teardown(&w.said);
}

/* LOCK-09 fcntl(2) signal(7): a signal caught (handler without SA_RESTART) while F_SETLKW waits makes it fail with EINTR. */
TEST_F(held_lock, setlkw_interrupted_by_signal_fails_eintr)
{
	struct waiter w = { .err = -1, .sa_flags = 0 };
	struct sc_child c;

	start_waiter(_metadata, &c, &w);
	ASSERT_SYSCALL_RETURNS(0, kill(c.pid, SIGUSR1));
	EXPECT_SETLKW_ENDED(EINTR, &c, w.err);
	sc_pipe_teardown(&w.said);
}

/* LOCK-09 signal(7): with SA_RESTART, F_SETLKW resumes waiting after the handler and succeeds once the lock is released. */
TEST_F(held_lock, setlkw_with_sa_restart_resumes_after_signal)
{
	struct waiter w = { .err = -1, .sa_flags = SA_RESTART };
	struct sc_child c;
	int st;

	start_waiter(_metadata, &c, &w);
	ASSERT_SYSCALL_RETURNS(0, kill(c.pid, SIGUSR1));
	ASSERT_EQ(0, sc_wait_ready(w.said.rd)) {
		TH_LOG("the waiter's handler did not run");
	}
	ASSERT_EQ(0, sc_wait_blocked(c.pid));
	ASSERT_EQ(0, waitpid(c.pid, &st, WNOHANG)) {
		TH_LOG("F_SETLKW returned after the signal: %s", sc_status_str(st));
	}
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_UNLCK, 0, 10));
	EXPECT_SETLKW_ENDED(0, &c, w.err);
	sc_pipe_teardown(&w.said);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * A: it holds byte 100, reports (*DATA, -1), then waits with F_SETLKW for byte 200
 * and reports how it ended: *DATA, its errno, 0 when granted.
 */
static int lock_100_wait_200(void *data)
{
	int *err = data, fd = open("f", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	SC_CHILD_CALL(lock_range(fd, F_SETLK, F_WRLCK, 100, 1));
	sc_child_send_first();
	*err = lock_range(fd, F_SETLKW, F_WRLCK, 200, 1) ? errno : 0;
	return SC_CHILD_OK;
}

/* LOCK-10 fcntl(2): A holds byte 100 and waits for byte 200 held by B; B's F_SETLKW for byte 100 (or A's wait) fails with EDEADLK. */
TEST_F(held_lock, setlkw_closing_a_wait_cycle_fails_edeadlk)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval bound = { .it_value = { 1, 0 } }, off = { { 0, 0 }, { 0, 0 } };
	struct sc_child c;
	int ret, err, a_err = -1;

	/* B is this process: it holds byte 200. */
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 200, 1));
	SC_CHILD_START(&c, "A", lock_100_wait_200, &a_err, sizeof(a_err));
	ASSERT_CHILD_REPORTED(&c);	/* A holds byte 100 */
	ASSERT_EQ(0, sc_wait_blocked(c.pid));
	/* Bound B's wait (1 s) in case no deadlock is detected. */
	sigemptyset(&sa.sa_mask);
	ASSERT_SYSCALL_RETURNS(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_SYSCALL_RETURNS(0, setitimer(ITIMER_REAL, &bound, NULL));
	ret = lock_range(self->f.fd, F_SETLKW, F_WRLCK, 100, 1);
	err = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	if (ret == 0) {
		/* A's wait was refused instead; A exited and released byte 100. */
		EXPECT_SETLKW_ENDED(EDEADLK, &c, a_err);
	} else {
		EXPECT_EQ(EDEADLK, err) {
			TH_LOG("B's F_SETLKW: expected EDEADLK, got %s%s", sc_errname(err),
			       err == EINTR ? " (no deadlock detected within 1 s)" : "");
		}
		ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_UNLCK, 200, 1));
		EXPECT_SETLKW_ENDED(0, &c, a_err);
	}
}

struct thread_arg {
	int fd;
	int err_same, err_other, err_new;
};

/* A second thread: lock the main thread's range through its fd and a new open(). */
static void *thread_locks(void *p)
{
	struct thread_arg *t = p;
	int fd2 = open("f", O_RDWR | O_CLOEXEC);

	t->err_same = lock_range(t->fd, F_SETLK, F_WRLCK, 0, 10) ? errno : 0;
	t->err_other = fd2 < 0 ? -1 : lock_range(fd2, F_SETLK, F_WRLCK, 5, 10) ? errno : 0;
	t->err_new = fd2 < 0 ? -1 : lock_range(fd2, F_SETLK, F_WRLCK, 30, 10) ? errno : 0;
	/* fd2 stays open: closing it would release the process's locks (LOCK-08). */
	return NULL;
}

/* LOCK-11 fcntl(2): a second thread's F_SETLK on the first thread's locked range (same fd or a new open()) succeeds; its locks belong to the process. */
TEST_F(held_lock, threads_of_a_process_share_posix_locks)
{
	struct thread_arg t = { .fd = self->f.fd, .err_same = -1, .err_other = -1, .err_new = -1 };
	pthread_t th;

	ASSERT_EQ(0, pthread_create(&th, NULL, thread_locks, &t));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, t.err_same) {
		TH_LOG("thread F_SETLK on the same fd: %s", sc_errname(t.err_same));
	}
	EXPECT_EQ(0, t.err_other) {
		TH_LOG("thread F_SETLK on its own open(): %s", sc_errname(t.err_other));
	}
	ASSERT_EQ(0, t.err_new);
	/* The lock the thread took outlives it and conflicts with another process. */
	EXPECT_CHILD_SETLK(EAGAIN, self->f.fd, F_WRLCK, 35, 1);
}

TEST_HARNESS_MAIN
