// SPDX-License-Identifier: GPL-2.0-only
/*
 * Asking the kernel whether two descriptors share one open file description:
 * fcntl(F_DUPFD_QUERY) within a process, kcmp(KCMP_FILE) across processes, and
 * kcmp(KCMP_FILES) whether two tasks share a descriptor table.
 * Man pages: fcntl(2) (F_DUPFD_QUERY, Linux 6.10), kcmp(2).
 */
#include <pthread.h>
#include <linux/kcmp.h>
#include <sys/socket.h>
#include "fd.h"
#include "compat.h"

/* A file "f" in a private temp dir, open as fd. */
FIXTURE(file) {
	struct sc_tmpdir tmp;
	int fd;
};

FIXTURE_SETUP(file)
{
	self->fd = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(sc_write_file("f", "identity", 8));
	self->fd = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
}

FIXTURE_TEARDOWN(file)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/* Send FD over a socketpair to ourselves with SCM_RIGHTS; the received fd, or -1. */
static int pass_fd_to_self(int fd)
{
	char c = 'f', cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int sv[2], got = -1;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	memset(cbuf, 0, sizeof(cbuf));
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sv[0], &m, 0) == 1) {
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC) == 1 && (cm = CMSG_FIRSTHDR(&m)) &&
		    cm->cmsg_type == SCM_RIGHTS)
			memcpy(&got, CMSG_DATA(cm), sizeof(int));
	}
	close(sv[0]);
	close(sv[1]);
	return got;
}

/* FD-18 fcntl(2): F_DUPFD_QUERY returns 1 for fd and its dup() and for fd and a dup2() copy. */
TEST_F(file, dupfd_query_is_1_for_dup_and_dup2)
{
	int d, d2;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	d = SC_OK(dup(self->fd));
	d2 = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(d2, dup2(self->fd, d2));
	EXPECT_SYSCALL_RETURNS(1, fcntl(self->fd, F_DUPFD_QUERY, d));
	EXPECT_SYSCALL_RETURNS(1, fcntl(d2, F_DUPFD_QUERY, self->fd));
	EXPECT_SYSCALL_RETURNS(1, fcntl(d, F_DUPFD_QUERY, d2));
	close(d);
	close(d2);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY returns 1 for fd and a copy of it received through SCM_RIGHTS. */
TEST_F(file, dupfd_query_is_1_for_scm_rights_copy)
{
	int got;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	got = SC_SETUP(pass_fd_to_self(self->fd));
	EXPECT_SYSCALL_RETURNS(1, fcntl(self->fd, F_DUPFD_QUERY, got));
	close(got);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY in a fork child returns 1 for an inherited fd and the child's dup of it. */
TEST_F(file, dupfd_query_is_1_for_fork_inherited_fds)
{
	int d, st;
	pid_t pid;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	d = SC_OK(dup(self->fd));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		int r = fcntl(d, F_DUPFD_QUERY, self->fd);

		_exit(r == 1 ? 0 : r == 0 ? 1 : 2);
	}
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("child %s (1: query said 0, 2: it failed)", sc_status_str(st));
	}
	close(d);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY returns 0 for two separate open()s of one file. */
TEST_F(file, dupfd_query_is_0_for_two_opens)
{
	int other;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	other = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->fd, F_DUPFD_QUERY, other));
	EXPECT_SYSCALL_RETURNS(0, fcntl(other, F_DUPFD_QUERY, self->fd));
	close(other);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY with an fd2 that is not open fails with EBADF. */
TEST_F(file, dupfd_query_with_closed_fd2_fails_ebadf)
{
	int bad;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	bad = free_fd(100);
	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, fcntl(self->fd, F_DUPFD_QUERY, bad));
}

/* FD-19 kcmp(2): KCMP_FILE returns 0 for an fd and its dup, and 1, 2 or 3 for two open()s of one file. */
TEST_F(file, kcmp_file_tells_dup_from_second_open)
{
	int d, other;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	d = SC_OK(dup(self->fd));
	other = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_EQ(0, sc_kcmp(getpid(), getpid(), KCMP_FILE, self->fd, d));
	r = sc_kcmp(getpid(), getpid(), KCMP_FILE, self->fd, other);
	EXPECT_LE(1, r) {
		TH_LOG("kcmp(fd, second open) -> %ld %s", r, r < 0 ? sc_errname(errno) : "");
	}
	EXPECT_GE(3, r);
	close(d);
	close(other);
}

/* FD-06 FD-19 kcmp(2): KCMP_FILE returns 0 for fd and its dup2() copy made over an open descriptor. */
TEST_F(file, kcmp_file_is_0_for_dup2_copy_over_open_fd)
{
	int slot;

	SC_REQUIRE_FEATURE(kcmp);
	slot = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(slot, dup2(self->fd, slot));
	EXPECT_EQ(0, sc_kcmp(getpid(), getpid(), KCMP_FILE, self->fd, slot));
	close(slot);
}

/*
 * A fork child that keeps running (waiting for EOF on a pipe) so the parent can
 * compare against it: returns its pid; *go is the pipe end to close to let it go.
 */
static pid_t spawn_waiting_child(int *go)
{
	int p[2], ready[2];
	pid_t pid;

	if (sc_sync_pair(p))
		return -1;
	if (sc_sync_pair(ready)) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	pid = sc_fork();
	if (pid == 0) {
		close(p[1]);
		close(ready[0]);
		sc_signal_ready(ready[1]);
		_exit(sc_wait_ready(p[0]) == -EPIPE ? 0 : 1);
	}
	close(p[0]);
	close(ready[1]);
	if (pid > 0 && sc_wait_ready(ready[0]) != 0) {
		kill(pid, SIGKILL);
		sc_wait(pid);
		pid = -1;
	}
	close(ready[0]);
	if (pid < 0)
		close(p[1]);
	else
		*go = p[1];
	return pid;
}

/* FD-19 kcmp(2): KCMP_FILE is 0 for one fd in parent and fork child, 1-3 against the child's copy of a 2nd open(). */
TEST_F(file, kcmp_file_parent_and_child_share_description)
{
	int go = -1, other, st;
	long r;
	pid_t pid;

	SC_REQUIRE_FEATURE(kcmp);
	other = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	pid = SC_SETUP(spawn_waiting_child(&go));
	EXPECT_EQ(0, sc_kcmp(getpid(), pid, KCMP_FILE, self->fd, self->fd));
	r = sc_kcmp(getpid(), pid, KCMP_FILE, self->fd, other);
	EXPECT_LE(1, r) {
		TH_LOG("kcmp(fd, child's second open) -> %ld %s", r, r < 0 ? sc_errname(errno) : "");
	}
	EXPECT_GE(3, r);
	close(go);
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("child %s", sc_status_str(st));
	}
	close(other);
}

/* FD-19 kcmp(2): KCMP_FILES is non-zero for a parent and its fork child (the table is a copy). */
TEST_F(file, kcmp_files_nonzero_for_fork_child)
{
	int go = -1, st;
	long r;
	pid_t pid;

	SC_REQUIRE_FEATURE(kcmp);
	pid = SC_SETUP(spawn_waiting_child(&go));
	r = sc_kcmp(getpid(), pid, KCMP_FILES, 0, 0);
	EXPECT_LE(1, r) {
		TH_LOG("kcmp(KCMP_FILES, child) -> %ld %s", r, r < 0 ? sc_errname(errno) : "");
	}
	EXPECT_GE(3, r);
	close(go);
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("child %s", sc_status_str(st));
	}
}

struct waiting_thread {
	int ready[2], go[2];
	pid_t tid;
};

static void *wait_for_go(void *arg)
{
	struct waiting_thread *t = arg;

	t->tid = gettid();
	sc_signal_ready(t->ready[1]);
	sc_wait_ready(t->go[0]);
	return NULL;
}

/* FD-19 kcmp(2): KCMP_FILES returns 0 for two threads of one process. */
TEST_F(file, kcmp_files_zero_for_two_threads)
{
	struct waiting_thread t = { .tid = -1 };
	pthread_t th;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	SC_SETUP(sc_sync_pair(t.ready));
	SC_SETUP(sc_sync_pair(t.go));
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_for_go, &t));
	ASSERT_EQ(0, sc_wait_ready(t.ready[0]));
	r = sc_kcmp(getpid(), t.tid, KCMP_FILES, 0, 0);
	EXPECT_EQ(0, r) {
		TH_LOG("kcmp(KCMP_FILES, thread %d) -> %ld %s", t.tid, r, r < 0 ? sc_errname(errno) : "");
	}
	SC_SETUP(sc_signal_ready(t.go[1]));
	pthread_join(th, NULL);
	for (int i = 0; i < 2; i++) {
		close(t.ready[i]);
		close(t.go[i]);
	}
}

/* FD-19 kcmp(2): KCMP_FILE with a descriptor that is not open fails with EBADF. */
TEST_F(file, kcmp_file_closed_fd_fails_ebadf)
{
	int bad;

	SC_REQUIRE_FEATURE(kcmp);
	bad = free_fd(100);
	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, sc_kcmp(getpid(), getpid(), KCMP_FILE, self->fd, bad));
}

TEST_HARNESS_MAIN
