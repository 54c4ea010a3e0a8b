// SPDX-License-Identifier: GPL-2.0-only
/*
 * How long POSIX record locks live: they are not inherited by fork(), kept
 * across execve() on descriptors without FD_CLOEXEC, released at process exit,
 * and released when the process closes ANY descriptor of the file.
 * Man pages: fcntl(2) "Advisory record locking", execve(2), fork(2).
 */
#include "locks.h"

FIXTURE(lock_file) {
	struct sc_tmpdir tmp;
	int fd;			/* O_RDWR descriptor of "f" */
	const char *unavailable;
};

FIXTURE_SETUP(lock_file)
{
	self->fd = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(sc_write_file("f", "0123456789abcdefghij", 20));
	self->fd = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
}

FIXTURE_TEARDOWN(lock_file)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/* LOCK-07 fcntl(2): a fork child does not inherit the parent's POSIX lock: its F_SETLK on the inherited fd fails with EAGAIN. */
TEST_F(lock_file, fork_child_does_not_inherit_posix_locks)
{
	ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 0, 10));
	EXPECT_CHILD_EXIT(EAGAIN, child_setlk(self->fd, F_WRLCK, 0, 10));
	EXPECT_CHILD_EXIT(EAGAIN, child_setlk(self->fd, F_RDLCK, 9, 1));
	EXPECT_CHILD_EXIT(0, child_setlk(self->fd, F_WRLCK, 10, 10));
}

/* LOCK-06 LOCK-07 fcntl(2): F_GETLK in a fork child reports the parent's lock with l_pid = the parent's PID. */
TEST_F(lock_file, fork_child_getlk_reports_parent_as_holder)
{
	pid_t pid;

	ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 2, 5));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET };

		if (fcntl(self->fd, F_GETLK, &fl))
			_exit(1);
		if (fl.l_type != F_WRLCK)
			_exit(2);
		if (fl.l_start != 2 || fl.l_len != 5)
			_exit(3);
		_exit(fl.l_pid == getppid() ? 0 : 4);
	}
	EXPECT_CHILD_OK(pid);
}

/* LOCK-07 fcntl(2): a fork child's F_UNLCK, close() and exit leave the parent's POSIX lock in place. */
TEST_F(lock_file, child_unlock_and_exit_keep_parent_posix_locks)
{
	pid_t pid;

	ASSERT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 0, 10));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (lock_range(self->fd, F_SETLK, F_UNLCK, 0, 0))
			_exit(1);
		_exit(close(self->fd) ? 2 : 0);
	}
	ASSERT_EQ(0, sc_exit_code(sc_wait(pid)));
	EXPECT_CHILD_EXIT(EAGAIN, child_setlk(self->fd, F_WRLCK, 0, 10));
}

/* LOCK-07 fcntl(2): a POSIX lock is released when the process holding it exits. */
TEST_F(lock_file, posix_locks_released_when_holder_exits)
{
	int release;
	pid_t pid = spawn_lock_holder(&release);

	ASSERT_LT(0, pid) {
		TH_LOG("setup error: fcntl lock holder did not start");
	}
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd, F_SETLK, F_WRLCK, 0, 1));
	close(release);
	ASSERT_EQ(0, sc_exit_code(sc_wait(pid)));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 0, 0));
}

/*
 * Fork a child that opens "f" (with O_CLOEXEC when CLOEXEC), write-locks [0,10)
 * and execs sc-exec-helper --wait on that fd; returns its pid once the helper
 * has printed (so the exec is done), with *stdin_w the pipe that keeps it alive;
 * else -1 and *why (a "setup error: ..." unless the F_SETLK itself failed).
 * The child first closes INHERITED, the test's own FD_CLOEXEC descriptor of "f":
 * the exec would close it, and that alone releases the locks (LOCK-08).
 */
static pid_t spawn_exec_holder(int inherited, bool cloexec, int *stdin_w, const char **why)
{
	const char *helper = sc_helper_path("sc-exec-helper");
	int in[2], out[2];
	pid_t pid;

	*stdin_w = -1;
	if (sc_sync_pair(in) || sc_sync_pair(out)) {
		*why = "pipe failed";
		return -1;
	}
	pid = sc_fork();
	if (pid == 0) {
		int fd = close(inherited) ? -1 : open("f", O_RDWR | (cloexec ? O_CLOEXEC : 0));
		char arg[16];

		if (fd < 0)
			_exit(1);
		if (lock_range(fd, F_SETLK, F_WRLCK, 0, 10))
			_exit(2);
		if (dup2(in[0], 0) != 0 || dup2(out[1], 1) != 1)
			_exit(3);
		snprintf(arg, sizeof(arg), "%d", fd);
		execl(helper, helper, "--wait", arg, (char *)NULL);
		_exit(4);
	}
	close(in[0]);
	close(out[1]);
	*stdin_w = in[1];
	if (pid < 0 || sc_wait_ready(out[0]) != 0) {
		int st = pid < 0 ? -2 : sc_wait(pid);

		*why = pid < 0 ? "setup error: fork failed" : sc_exit_code(st) == 2 ?
		       "F_SETLK on a fresh open() of an unlocked file failed" :
		       "setup error: the helper printed nothing (open, dup2 or exec failed)";
		close(out[0]);
		close(in[1]);
		*stdin_w = -1;
		return -1;
	}
	close(out[0]);
	return pid;
}

/* LOCK-07 fcntl(2): a POSIX lock on a descriptor without FD_CLOEXEC is kept across execve() and still reports the same PID. */
TEST_F(lock_file, posix_locks_kept_across_execve_without_cloexec)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	const char *why = "";
	int keep;
	pid_t pid = spawn_exec_holder(self->fd, false, &keep, &why);

	ASSERT_LT(0, pid) {
		TH_LOG("exec holder: %s", why);
	}
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd, F_SETLK, F_WRLCK, 5, 1));
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->fd, F_GETLK, &fl));
	EXPECT_EQ(F_WRLCK, fl.l_type);
	EXPECT_EQ(pid, fl.l_pid);
	close(keep);
	EXPECT_CHILD_OK(pid);
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 5, 1));
}

/* LOCK-07 LOCK-08 fcntl(2): execve() closing an FD_CLOEXEC descriptor releases the POSIX locks taken through it. */
TEST_F(lock_file, execve_closing_cloexec_fd_releases_posix_locks)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	const char *why = "";
	int keep;
	pid_t pid = spawn_exec_holder(self->fd, true, &keep, &why);

	ASSERT_LT(0, pid) {
		TH_LOG("exec holder: %s", why);
	}
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->fd, F_GETLK, &fl));
	EXPECT_EQ(F_UNLCK, fl.l_type);
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 5, 1));
	close(keep);
	EXPECT_CHILD_OK(pid);
}

/* How the holder of close_releases gets the descriptor it closes. */
enum other_fd { OTHER_OPEN, OTHER_RDONLY, OTHER_DUP, OTHER_LOCKING };

FIXTURE(close_releases) {
	struct sc_tmpdir tmp;
	int fd;
	const char *unavailable;
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
	self->fd = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(sc_write_file("f", "0123456789abcdefghij", 20));
	self->fd = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
}

FIXTURE_TEARDOWN(close_releases)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/* Holder: lock [0,5) and [10,15) via fd1, get OTHER, ready; on "go": close(other), ready. */
static int close_holder(enum other_fd how, int ready, int cmd)
{
	int fd1 = open("f", O_RDWR | O_CLOEXEC), other = -1;

	if (fd1 < 0)
		return 1;
	if (lock_range(fd1, F_SETLK, F_WRLCK, 0, 5) || lock_range(fd1, F_SETLK, F_WRLCK, 10, 5))
		return 2;
	switch (how) {
	case OTHER_OPEN: other = open("f", O_RDWR | O_CLOEXEC); break;
	case OTHER_RDONLY: other = open("f", O_RDONLY | O_CLOEXEC); break;
	case OTHER_DUP: other = dup(fd1); break;
	case OTHER_LOCKING: other = fd1; break;
	}
	if (other < 0)
		return 3;
	sc_signal_ready(ready);
	if (sc_wait_ready(cmd) != 0)
		return 4;
	if (close(other))
		return 5;
	sc_signal_ready(ready);
	return sc_wait_ready(cmd) == -EPIPE ? 0 : 6;
}

/* LOCK-08 fcntl(2): closing any descriptor of the file (another open(), O_RDONLY, a dup, the locking fd) releases all of the process's POSIX locks on it. */
TEST_F(close_releases, closing_any_fd_of_file_releases_all_posix_locks)
{
	int ready[2], cmd[2];
	pid_t pid;

	ASSERT_EQ(0, sc_sync_pair(ready));
	ASSERT_EQ(0, sc_sync_pair(cmd));
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(cmd[1]);
		_exit(close_holder(variant->other, ready[1], cmd[0]));
	}
	close(ready[1]);
	close(cmd[0]);
	ASSERT_EQ(0, sc_wait_ready(ready[0]));
	/* Control: both locks are held while the other descriptor is open. */
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd, F_SETLK, F_WRLCK, 0, 5));
	EXPECT_SYSCALL_FAILS(EAGAIN, lock_range(self->fd, F_SETLK, F_WRLCK, 10, 5));
	ASSERT_EQ(0, sc_signal_ready(cmd[1]));
	ASSERT_EQ(0, sc_wait_ready(ready[0]));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 0, 5));
	EXPECT_SYSCALL_RETURNS(0, lock_range(self->fd, F_SETLK, F_WRLCK, 10, 5));
	close(cmd[1]);
	close(ready[0]);
	EXPECT_CHILD_OK(pid);
}

TEST_HARNESS_MAIN
