// SPDX-License-Identifier: GPL-2.0-only
/*
 * How long POSIX record locks live: they are not inherited by fork(), kept
 * across execve() on descriptors without FD_CLOEXEC, released at process exit,
 * and released when the process closes ANY descriptor of the file.
 * Man pages: fcntl(2) "Advisory record locking", execve(2), fork(2).
 */
#include "locks.h"

FIXTURE(lock_file) {
	struct sc_file f;	/* "f", O_RDWR */
};

FIXTURE_SETUP(lock_file)
{
	sc_file_setup(_metadata, &self->f, "f", LOCKS_DATA, 20, O_RDWR);
}

FIXTURE_TEARDOWN(lock_file)
{
	sc_file_teardown(&self->f);
}

/* LOCK-07 fcntl(2): a fork child does not inherit the parent's POSIX lock: its F_SETLK on the inherited fd fails with EAGAIN. */
TEST_F(lock_file, fork_child_does_not_inherit_posix_locks)
{
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT_CHILD_SETLK(EAGAIN, self->f.fd, F_WRLCK, 0, 10);
	EXPECT_CHILD_SETLK(EAGAIN, self->f.fd, F_RDLCK, 9, 1);
	EXPECT_CHILD_SETLK(0, self->f.fd, F_WRLCK, 10, 10);
}

/* What F_GETLK (F_RDLCK on the whole file) through FD shows a fork child, and its getppid(). */
struct getlk_seen {
	struct flock fl;	/* with parent, the report */
	pid_t parent;
	int fd;
};

static int getlk_in_child(void *data)
{
	struct getlk_seen *g = data;

	g->fl = (struct flock){ .l_type = F_RDLCK, .l_whence = SEEK_SET };
	g->parent = getppid();
	SC_CHILD_CALL(fcntl(g->fd, F_GETLK, &g->fl));
	return SC_CHILD_OK;
}

/* LOCK-06 LOCK-07 fcntl(2): F_GETLK in a fork child reports the parent's lock with l_pid = the parent's PID. */
TEST_F(lock_file, fork_child_getlk_reports_parent_as_holder)
{
	struct getlk_seen got = { .fd = self->f.fd };
	struct sc_child c;

	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 2, 5));
	sc_child_run(&c, "the child", getlk_in_child, &got, offsetof(struct getlk_seen, fd));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(F_WRLCK, got.fl.l_type);
	EXPECT_EQ(2, got.fl.l_start);
	EXPECT_EQ(5, got.fl.l_len);
	EXPECT_EQ(got.parent, got.fl.l_pid);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* A fork child: F_UNLCK the whole file through its copy of the descriptor *DATA, then close it. */
static int unlock_and_close(void *data)
{
	int fd = *(int *)data;

	SC_CHILD_CALL(lock_range(fd, F_SETLK, F_UNLCK, 0, 0));
	SC_CHILD_CALL(close(fd));
	return SC_CHILD_OK;
}

/* LOCK-07 fcntl(2): a fork child's F_UNLCK, close() and exit leave the parent's POSIX lock in place. */
TEST_F(lock_file, child_unlock_and_exit_keep_parent_posix_locks)
{
	struct sc_child c;

	ASSERT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 10));
	ASSERT_EQ(SC_CHILD_OK, sc_child_run(&c, "the child", unlock_and_close, &self->f.fd, 0)) {
		TH_LOG("%s", c.text);
	}
	EXPECT_CHILD_SETLK(EAGAIN, self->f.fd, F_WRLCK, 0, 10);
}

/* LOCK-07 fcntl(2): a POSIX lock is released when the process holding it exits. */
TEST_F(lock_file, posix_locks_released_when_holder_exits)
{
	struct lock_holder h = { 0 };

	START_LOCK_HOLDER(&h, { F_WRLCK, 0, 0 });
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 1));
	ASSERT_EQ(SC_CHILD_OK, stop_lock_holder(&h)) {
		TH_LOG("%s", h.c.text);
	}
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 0));
}

/*
 * The exec holder: a child that opens "f" (with O_CLOEXEC when CLOEXEC), write-locks
 * [0,10) and execs sc-exec-helper --wait on that descriptor, which lives until its
 * stdin reaches end of file. The child first closes INHERITED, the test's own
 * FD_CLOEXEC descriptor of "f": the exec would close it, and that alone releases
 * the locks (LOCK-08).
 */
struct exec_holder {
	int inherited;
	bool cloexec;
	char arg[16];		/* the locking descriptor, the helper's argument */
	int in;			/* the write end of the helper's stdin */
	struct sc_child c;
};

static int lock_before_exec(void *data)
{
	struct exec_holder *h = data;
	int fd;

	close(h->inherited);
	fd = open("f", O_RDWR | (h->cloexec ? O_CLOEXEC : 0));
	if (fd < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	if (lock_range(fd, F_SETLK, F_WRLCK, 0, 10))
		return sc_child_fail("F_SETLK on a fresh open() of an unlocked file -> %s",
				     sc_errname(errno));
	snprintf(h->arg, sizeof(h->arg), "%d", fd);
	return SC_CHILD_OK;
}

/* Start the exec holder H; the case ends unless the helper runs (it has printed). */
static void start_exec_holder(struct __test_metadata *_metadata, struct exec_holder *h)
{
	const char *const args[] = { "--wait", h->arg, NULL };
	int out, r;

	if (sc_spawn_helper_io(&h->c, args, &h->in, &out, lock_before_exec, h))
		SC_ERROR("%s", h->c.text);
	r = sc_wait_ready(out);
	sc_kit_close(out);
	if (r != 0) {		/* the helper printed nothing */
		sc_kit_close(h->in);
		ASSERT_NE(SC_CHILD_FAILED, sc_child_end(&h->c)) {
			TH_LOG("%s", h->c.text);
		}
		SC_ERROR("the exec helper printed nothing: %s", h->c.text);
	}
}

/* LOCK-07 fcntl(2): a POSIX lock on a descriptor without FD_CLOEXEC is kept across execve() and still reports the same PID. */
TEST_F(lock_file, posix_locks_kept_across_execve_without_cloexec)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	struct exec_holder h = { .inherited = self->f.fd, .cloexec = false };

	start_exec_holder(_metadata, &h);
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 5, 1));
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &fl));
	EXPECT_EQ(F_WRLCK, fl.l_type);
	EXPECT_EQ(h.c.pid, fl.l_pid);
	sc_kit_close(h.in);	/* stdin's end of file ends the helper */
	EXPECT_CHILD_SUCCEEDED(&h.c);
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 5, 1));
}

/* LOCK-07 LOCK-08 fcntl(2): execve() closing an FD_CLOEXEC descriptor releases the POSIX locks taken through it. */
TEST_F(lock_file, execve_closing_cloexec_fd_releases_posix_locks)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	struct exec_holder h = { .inherited = self->f.fd, .cloexec = true };

	start_exec_holder(_metadata, &h);
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_GETLK, &fl));
	EXPECT_EQ(F_UNLCK, fl.l_type);
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 5, 1));
	sc_kit_close(h.in);	/* stdin's end of file ends the helper */
	EXPECT_CHILD_SUCCEEDED(&h.c);
}

/* How the holder of close_releases gets the descriptor it closes. */
enum other_fd { OTHER_OPEN, OTHER_RDONLY, OTHER_DUP, OTHER_LOCKING };

FIXTURE(close_releases) {
	struct sc_file f;	/* "f", O_RDWR */
};

FIXTURE_VARIANT(close_releases) {
	enum other_fd other;
};

FIXTURE_VARIANT_ADD(close_releases, separate_open) { .other = OTHER_OPEN };
FIXTURE_VARIANT_ADD(close_releases, read_only_open) { .other = OTHER_RDONLY };
FIXTURE_VARIANT_ADD(close_releases, dup) { .other = OTHER_DUP };
FIXTURE_VARIANT_ADD(close_releases, locking_fd) { .other = OTHER_LOCKING };

FIXTURE_SETUP(close_releases)
{
	sc_file_setup(_metadata, &self->f, "f", LOCKS_DATA, 20, O_RDWR);
}

FIXTURE_TEARDOWN(close_releases)
{
	sc_file_teardown(&self->f);
}

/*
 * The close holder: it locks [0,5) and [10,15) through its own open() of "f", gets
 * the OTHER descriptor and reports; on go it closes that one, says so on closed,
 * and lives until go reaches end of file.
 */
struct close_holder {
	int held;		/* its report: 1 once it holds the locks and the other descriptor */
	enum other_fd other;
	struct sc_pipe go, closed;
};

static int hold_then_close(void *data)
{
	struct close_holder *h = data;
	int fd1 = open("f", O_RDWR | O_CLOEXEC), other = -1;
	char go;

	if (fd1 < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	SC_CHILD_CALL(lock_range(fd1, F_SETLK, F_WRLCK, 0, 5));
	SC_CHILD_CALL(lock_range(fd1, F_SETLK, F_WRLCK, 10, 5));
	switch (h->other) {
	case OTHER_OPEN: other = open("f", O_RDWR | O_CLOEXEC); break;
	case OTHER_RDONLY: other = open("f", O_RDONLY | O_CLOEXEC); break;
	case OTHER_DUP: other = dup(fd1); break;
	case OTHER_LOCKING: other = fd1; break;
	}
	if (other < 0)
		return sc_child_error("the other descriptor of f -> %s", sc_errname(errno));
	h->held = 1;
	sc_child_send();
	sc_close(&h->go.wr);	/* so that the test's close() is end of file */
	if (sc_read_full_ms(h->go.rd, &go, 1, SC_WAIT_MS))
		return sc_child_fail("the test did not say go");
	SC_CHILD_CALL(close(other));
	SC_CHILD_CALL(sc_release(&h->closed));
	if (sc_read_full_ms(h->go.rd, &go, 1, SC_WAIT_MS) != -EPIPE)
		return sc_child_fail("the test did not let go");
	return SC_CHILD_OK;
}

/* LOCK-08 fcntl(2): closing any descriptor of the file (another open(), O_RDONLY, a dup, the locking fd) releases all of the process's POSIX locks on it. */
TEST_F(close_releases, closing_any_fd_of_file_releases_all_posix_locks)
{
	struct close_holder h = { .other = variant->other };
	struct sc_child c;

	sc_pipe_setup(_metadata, &h.go, O_CLOEXEC);
	sc_pipe_setup(_metadata, &h.closed, O_CLOEXEC);
	SC_CHILD_START(&c, "the holder", hold_then_close, &h, sizeof(h.held));
	sc_close(&h.closed.wr);
	ASSERT_CHILD_REPORTED(&c);
	/* Control: both locks are held while the other descriptor is open. */
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 5));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->f.fd, F_SETLK, F_WRLCK, 10, 5));
	ASSERT_EQ(0, sc_release(&h.go));
	ASSERT_EQ(0, sc_wait_ready(h.closed.rd)) {
		TH_LOG("%s did not close the other descriptor", c.name);
	}
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 0, 5));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->f.fd, F_SETLK, F_WRLCK, 10, 5));
	sc_pipe_teardown(&h.go);
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&h.closed);
}

TEST_HARNESS_MAIN
