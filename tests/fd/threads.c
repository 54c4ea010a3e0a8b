// SPDX-License-Identifier: GPL-2.0-only
/*
 * The threads of a process share one descriptor table (CLONE_FILES): what one
 * thread opens, closes, dups or marks close-on-exec is seen at once by the others.
 * Each case runs one step in a second thread, which then waits (bounded) while
 * the main thread looks at the table.
 * Man pages: clone(2) (CLONE_FILES), pthreads(7).
 */
#include <pthread.h>
#include "sysconform.h"

/*
 * A worker thread: it runs step(arg), reports "done" and then waits for "go"
 * before it returns, so the main thread checks the table while the worker lives.
 */
struct worker {
	pthread_t th;
	bool started;
	struct sc_pipe done, go;
	int (*step)(struct worker *w);
	int fd, fd2, result;
};

FIXTURE(worker) {
	struct worker w;
};

FIXTURE_SETUP(worker)
{
	self->w.fd = self->w.fd2 = -1;
	sc_pipe_setup(_metadata, &self->w.done, O_CLOEXEC);
	sc_pipe_setup(_metadata, &self->w.go, O_CLOEXEC);
}

/* Let the worker go and join it, at most SC_WAIT_MS. */
static int finish_worker(struct worker *w)
{
	struct timespec deadline;

	if (!w->started)
		return 0;
	w->started = false;
	sc_release(&w->go);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += SC_WAIT_MS / 1000;
	return pthread_timedjoin_np(w->th, NULL, &deadline);
}

FIXTURE_TEARDOWN(worker)
{
	finish_worker(&self->w);
	sc_pipe_teardown(&self->w.done);
	sc_pipe_teardown(&self->w.go);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	w->result = w->step(w);
	sc_signal_ready(w->done.wr);
	sc_hold(&w->go, SC_WAIT_MS);
	return NULL;
}

/* Start the worker on STEP and wait until the step is done: 0, or an error. */
static int run_step(struct worker *w, int (*step)(struct worker *w))
{
	w->step = step;
	if (pthread_create(&w->th, NULL, worker_main, w))
		return -1;
	w->started = true;
	return sc_wait_ready(w->done.rd);
}

static int step_open_pipe(struct worker *w)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return errno;
	w->fd = p[0];
	w->fd2 = p[1];
	return write(p[1], "t", 1) == 1 ? 0 : errno;
}

/* FD-16 pthreads(7): a pipe made in one thread is usable in another while the first still runs. */
TEST_F(worker, fd_opened_in_thread_is_usable_in_main)
{
	char c = 0;

	ASSERT_EQ(0, run_step(&self->w, step_open_pipe));
	ASSERT_EQ(0, self->w.result);
	EXPECT_SYSCALL_RETURNS(1, read(self->w.fd, &c, 1));
	EXPECT_EQ('t', c);
	EXPECT_SYSCALL_RETURNS(1, write(self->w.fd2, "u", 1));
	EXPECT_EQ(0, finish_worker(&self->w));
	close(self->w.fd);
	close(self->w.fd2);
}

static int step_close(struct worker *w)
{
	return close(w->fd) == 0 ? 0 : errno;
}

/* FD-16 pthreads(7): close() in one thread closes the descriptor for all threads (EBADF in main). */
TEST_F(worker, close_in_thread_closes_fd_for_main)
{
	self->w.fd = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_EQ(0, run_step(&self->w, step_close));
	ASSERT_EQ(0, self->w.result);
	EXPECT_SYSCALL_FAILS(EBADF, fcntl(self->w.fd, F_GETFD));
	EXPECT_SYSCALL_FAILS(EBADF, read(self->w.fd, &(char){ 0 }, 1));
	EXPECT_EQ(0, finish_worker(&self->w));
}

static int step_dup2(struct worker *w)
{
	return dup2(w->fd, w->fd2) == w->fd2 ? 0 : errno;
}

/* FD-16 pthreads(7): dup2() in one thread makes newfd refer to oldfd's object for the main thread too. */
TEST_F(worker, dup2_in_thread_retargets_fd_for_main)
{
	int p[2];
	char c = 0;

	SC_OK(pipe2(p, O_CLOEXEC | O_NONBLOCK));	/* no read can hang */
	self->w.fd = p[1];
	self->w.fd2 = SC_OK(open("/dev/null", O_WRONLY | O_CLOEXEC));
	ASSERT_EQ(0, run_step(&self->w, step_dup2));
	ASSERT_EQ(0, self->w.result);
	EXPECT_SYSCALL_RETURNS(1, write(self->w.fd2, "d", 1));
	EXPECT_SYSCALL_RETURNS(1, read(p[0], &c, 1));
	EXPECT_EQ('d', c);
	EXPECT_EQ(0, finish_worker(&self->w));
	close(self->w.fd2);
	close(p[0]);
	close(p[1]);
}

static int step_set_cloexec(struct worker *w)
{
	return fcntl(w->fd, F_SETFD, FD_CLOEXEC) == 0 ? 0 : errno;
}

/* FD-16 clone(2): F_SETFD FD_CLOEXEC in one thread is seen by F_GETFD in another (one shared slot). */
TEST_F(worker, cloexec_set_in_thread_is_seen_by_main)
{
	self->w.fd = SC_OK(open("/dev/null", O_RDONLY));
	ASSERT_SYSCALL_RETURNS(0, fcntl(self->w.fd, F_GETFD));
	ASSERT_EQ(0, run_step(&self->w, step_set_cloexec));
	ASSERT_EQ(0, self->w.result);
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->w.fd, F_GETFD));
	EXPECT_EQ(0, finish_worker(&self->w));
	close(self->w.fd);
}

static int step_open_null(struct worker *w)
{
	w->fd2 = open("/dev/null", O_RDONLY | O_CLOEXEC);
	return w->fd2 >= 0 ? 0 : errno;
}

/* FD-01 FD-16 open(2): a slot freed by close() in the main thread is the one open() in another thread gets. */
TEST_F(worker, slot_freed_in_main_is_reused_by_thread)
{
	int keep;

	self->w.fd = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	keep = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	SC_OK(close(self->w.fd));
	ASSERT_EQ(0, run_step(&self->w, step_open_null));
	ASSERT_EQ(0, self->w.result);
	EXPECT_EQ(self->w.fd, self->w.fd2);
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->w.fd2, F_GETFD));
	EXPECT_EQ(0, finish_worker(&self->w));
	close(self->w.fd2);
	close(keep);
}

TEST_HARNESS_MAIN
