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
	struct sc_tmpdir tmp;
	int fd;			/* the test's descriptor of "f", write-locking [0,10) */
	const char *unavailable;
};

FIXTURE_SETUP(held_lock)
{
	self->fd = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(sc_write_file("f", "0123456789abcdefghij", 20));
	self->fd = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
	SC_SETUP(lock_range(self->fd, F_SETLK, F_WRLCK, 0, 10));
}

FIXTURE_TEARDOWN(held_lock)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/*
 * Fork a waiter: it opens "f", catches SIGUSR1 with FLAGS (reporting each one on
 * the ready pipe), reports ready, then F_SETLKW F_WRLCK on [0,10) and exits with 0
 * or the errno it saw. Returns its pid with *ready the read end, after the
 * first byte came; -1 when it did not start.
 */
static pid_t spawn_waiter(int sa_flags, int *ready)
{
	int p[2];
	pid_t pid;

	*ready = -1;
	if (sc_sync_pair(p))
		return -1;
	pid = sc_fork();
	if (pid == 0) {
		int fd = open("f", O_RDWR | O_CLOEXEC);

		close(p[0]);
		if (fd < 0)
			_exit(99);
		handler_fd = p[1];
		catch_signal(SIGUSR1, sa_flags);
		sc_signal_ready(p[1]);
		_exit(lock_range(fd, F_SETLKW, F_WRLCK, 0, 10) == 0 ? 0 : errno);
	}
	close(p[1]);
	if (pid < 0 || sc_wait_ready(p[0]) != 0) {
		close(p[0]);
		if (pid > 0)
			sc_wait(pid);
		return -1;
	}
	*ready = p[0];
	return pid;
}

/* LOCK-09 fcntl(2): F_SETLKW on a range another process locked sleeps until that lock is released, then succeeds. */
TEST_F(held_lock, setlkw_waits_until_lock_released_then_succeeds)
{
	int ready, st;
	pid_t pid = spawn_waiter(0, &ready);

	ASSERT_LT(0, pid) {
		TH_LOG("setup error: waiter child did not start");
	}
	ASSERT_EQ(0, sc_wait_blocked(pid));
	ASSERT_EQ(0, waitpid(pid, &st, WNOHANG)) {
		TH_LOG("F_SETLKW returned while the lock was held: %s", sc_status_str(st));
	}
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_UNLCK, 0, 10));
	EXPECT_CHILD_EXIT(0, sc_wait(pid));
	close(ready);
}

/* LOCK-09 fcntl(2) signal(7): a signal caught (handler without SA_RESTART) while F_SETLKW waits makes it fail with EINTR. */
TEST_F(held_lock, setlkw_interrupted_by_signal_fails_eintr)
{
	int ready;
	pid_t pid = spawn_waiter(0, &ready);

	ASSERT_LT(0, pid) {
		TH_LOG("setup error: waiter child did not start");
	}
	ASSERT_EQ(0, sc_wait_blocked(pid));
	ASSERT_SYSCALL_RETURNS(0, kill(pid, SIGUSR1));
	EXPECT_CHILD_EXIT(EINTR, sc_wait(pid));
	close(ready);
}

/* LOCK-09 signal(7): with SA_RESTART, F_SETLKW resumes waiting after the handler and succeeds once the lock is released. */
TEST_F(held_lock, setlkw_with_sa_restart_resumes_after_signal)
{
	int ready, st;
	pid_t pid = spawn_waiter(SA_RESTART, &ready);

	ASSERT_LT(0, pid) {
		TH_LOG("setup error: waiter child did not start");
	}
	ASSERT_EQ(0, sc_wait_blocked(pid));
	ASSERT_SYSCALL_RETURNS(0, kill(pid, SIGUSR1));
	ASSERT_EQ(0, sc_wait_ready(ready)) {
		TH_LOG("the waiter's handler did not run");
	}
	ASSERT_EQ(0, sc_wait_blocked(pid));
	ASSERT_EQ(0, waitpid(pid, &st, WNOHANG)) {
		TH_LOG("F_SETLKW returned after the signal: %s (%s)", sc_status_str(st),
		       sc_errname(sc_exit_code(st)));
	}
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_UNLCK, 0, 10));
	EXPECT_CHILD_EXIT(0, sc_wait(pid));
	close(ready);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* LOCK-10 fcntl(2): A holds byte 100 and waits for byte 200 held by B; B's F_SETLKW for byte 100 (or A's wait) fails with EDEADLK. */
TEST_F(held_lock, setlkw_closing_a_wait_cycle_fails_edeadlk)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval bound = { .it_value = { 1, 0 } }, off = { { 0, 0 }, { 0, 0 } };
	int p[2], ret, err, st;
	pid_t a;

	/* B is this process: it holds byte 200. */
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 200, 1));
	ASSERT_EQ(0, sc_sync_pair(p));
	a = sc_fork();
	ASSERT_LE(0, a);
	if (a == 0) {
		int fd = open("f", O_RDWR | O_CLOEXEC);

		close(p[0]);
		if (fd < 0 || lock_range(fd, F_SETLK, F_WRLCK, 100, 1))
			_exit(99);
		sc_signal_ready(p[1]);
		_exit(lock_range(fd, F_SETLKW, F_WRLCK, 200, 1) == 0 ? 0 : errno);
	}
	close(p[1]);
	ASSERT_EQ(0, sc_wait_ready(p[0]));
	close(p[0]);
	ASSERT_EQ(0, sc_wait_blocked(a));
	/* Bound B's wait (1 s) in case no deadlock is detected. */
	sigemptyset(&sa.sa_mask);
	ASSERT_SYSCALL_RETURNS(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_SYSCALL_RETURNS(0, setitimer(ITIMER_REAL, &bound, NULL));
	ret = lock_range(self->fd, F_SETLKW, F_WRLCK, 100, 1);
	err = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	if (ret == 0) {
		/* A's wait was refused instead; A exited and released byte 100. */
		EXPECT_CHILD_EXIT(EDEADLK, sc_wait(a));
	} else {
		EXPECT_EQ(EDEADLK, err) {
			TH_LOG("B's F_SETLKW: expected EDEADLK, got %s%s", sc_errname(err),
			       err == EINTR ? " (no deadlock detected within 1 s)" : "");
		}
		ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_UNLCK, 200, 1));
		st = sc_wait(a);
		EXPECT_CHILD_EXIT(0, st);
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
	struct thread_arg t = { .fd = self->fd, .err_same = -1, .err_other = -1, .err_new = -1 };
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
	EXPECT_CHILD_EXIT(EAGAIN, child_setlk(self->fd, F_WRLCK, 35, 1));
}

TEST_HARNESS_MAIN
