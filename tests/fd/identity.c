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
	struct sc_file f;
};

FIXTURE_SETUP(file)
{
	sc_file_setup(_metadata, &self->f, "f", "identity", 8, O_RDWR);
}

FIXTURE_TEARDOWN(file)
{
	sc_file_teardown(&self->f);
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
	d = SC_OK(dup(self->f.fd));
	d2 = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(d2, dup2(self->f.fd, d2));
	EXPECT_SYSCALL_RETURNS(1, fcntl(self->f.fd, F_DUPFD_QUERY, d));
	EXPECT_SYSCALL_RETURNS(1, fcntl(d2, F_DUPFD_QUERY, self->f.fd));
	EXPECT_SYSCALL_RETURNS(1, fcntl(d, F_DUPFD_QUERY, d2));
	close(d);
	close(d2);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY returns 1 for fd and a copy of it received through SCM_RIGHTS. */
TEST_F(file, dupfd_query_is_1_for_scm_rights_copy)
{
	int got;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	got = SC_SETUP(pass_fd_to_self(self->f.fd));
	EXPECT_SYSCALL_RETURNS(1, fcntl(self->f.fd, F_DUPFD_QUERY, got));
	close(got);
}

struct query {
	int r, fd, d;	/* F_DUPFD_QUERY's result (the report), on fd and d */
};

static int query_in_child(void *data)
{
	struct query *q = data;

	q->r = SC_CHILD_CALL(fcntl(q->d, F_DUPFD_QUERY, q->fd));
	return SC_CHILD_OK;
}

/* FD-18 fcntl(2): F_DUPFD_QUERY in a fork child returns 1 for an inherited fd and the child's dup of it. */
TEST_F(file, dupfd_query_is_1_for_fork_inherited_fds)
{
	struct query q = { .r = -1, .fd = self->f.fd };
	struct sc_child c;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	q.d = SC_OK(dup(self->f.fd));
	sc_child_run(&c, "the child", query_in_child, &q, sizeof(q.r));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(1, q.r);
	EXPECT_CHILD_SUCCEEDED(&c);
	close(q.d);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY returns 0 for two separate open()s of one file. */
TEST_F(file, dupfd_query_is_0_for_two_opens)
{
	int other;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	other = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_DUPFD_QUERY, other));
	EXPECT_SYSCALL_RETURNS(0, fcntl(other, F_DUPFD_QUERY, self->f.fd));
	close(other);
}

/* FD-18 fcntl(2): F_DUPFD_QUERY with an fd2 that is not open fails with EBADF. */
TEST_F(file, dupfd_query_with_closed_fd2_fails_ebadf)
{
	int bad;

	SC_REQUIRE_FEATURE(f_dupfd_query);
	bad = free_fd(100);
	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, fcntl(self->f.fd, F_DUPFD_QUERY, bad));
}

/* FD-19 kcmp(2): KCMP_FILE returns 0 for an fd and its dup, and 1, 2 or 3 for two open()s of one file. */
TEST_F(file, kcmp_file_tells_dup_from_second_open)
{
	int d, other;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	d = SC_OK(dup(self->f.fd));
	other = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_EQ(0, sc_kcmp(getpid(), getpid(), KCMP_FILE, self->f.fd, d));
	r = sc_kcmp(getpid(), getpid(), KCMP_FILE, self->f.fd, other);
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
	ASSERT_SYSCALL_RETURNS(slot, dup2(self->f.fd, slot));
	EXPECT_EQ(0, sc_kcmp(getpid(), getpid(), KCMP_FILE, self->f.fd, slot));
	close(slot);
}

/* A child that reports once it runs (what fork() does to its table is done), then lives until go lets go. */
static int report_then_hold(void *go)
{
	sc_child_send();
	sc_hold(go, SC_WAIT_MS);
	return SC_CHILD_OK;
}

/* FD-19 kcmp(2): KCMP_FILE is 0 for one fd in parent and fork child, 1-3 against the child's copy of a 2nd open(). */
TEST_F(file, kcmp_file_parent_and_child_share_description)
{
	struct sc_child c;
	struct sc_pipe go;
	int other;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	other = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	sc_pipe_setup(_metadata, &go, O_CLOEXEC);
	SC_CHILD_START(&c, "the child", report_then_hold, &go, SC_READY_ONLY);
	SC_CHILD_READY(&c);
	EXPECT_EQ(0, sc_kcmp(getpid(), c.pid, KCMP_FILE, self->f.fd, self->f.fd));
	r = sc_kcmp(getpid(), c.pid, KCMP_FILE, self->f.fd, other);
	EXPECT_LE(1, r) {
		TH_LOG("kcmp(fd, child's second open) -> %ld %s", r, r < 0 ? sc_errname(errno) : "");
	}
	EXPECT_GE(3, r);
	sc_release(&go);
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&go);
	close(other);
}

/* FD-19 kcmp(2): KCMP_FILES is non-zero for a parent and its fork child (the table is a copy). */
TEST_F(file, kcmp_files_nonzero_for_fork_child)
{
	struct sc_child c;
	struct sc_pipe go;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	sc_pipe_setup(_metadata, &go, O_CLOEXEC);
	SC_CHILD_START(&c, "the child", report_then_hold, &go, SC_READY_ONLY);
	SC_CHILD_READY(&c);
	r = sc_kcmp(getpid(), c.pid, KCMP_FILES, 0, 0);
	EXPECT_LE(1, r) {
		TH_LOG("kcmp(KCMP_FILES, child) -> %ld %s", r, r < 0 ? sc_errname(errno) : "");
	}
	EXPECT_GE(3, r);
	sc_release(&go);
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&go);
}

struct waiting_thread {
	struct sc_pipe ready, go;
	pid_t tid;
};

static void *wait_for_go(void *arg)
{
	struct waiting_thread *t = arg;

	t->tid = gettid();
	sc_signal_ready(t->ready.wr);
	sc_hold(&t->go, SC_WAIT_MS);
	return NULL;
}

/* FD-19 kcmp(2): KCMP_FILES returns 0 for two threads of one process. */
TEST_F(file, kcmp_files_zero_for_two_threads)
{
	struct waiting_thread t = { .tid = -1 };
	pthread_t th;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	sc_pipe_setup(_metadata, &t.ready, O_CLOEXEC);
	sc_pipe_setup(_metadata, &t.go, O_CLOEXEC);
	ASSERT_EQ(0, pthread_create(&th, NULL, wait_for_go, &t));
	ASSERT_EQ(0, sc_wait_ready(t.ready.rd));
	r = sc_kcmp(getpid(), t.tid, KCMP_FILES, 0, 0);
	EXPECT_EQ(0, r) {
		TH_LOG("kcmp(KCMP_FILES, thread %d) -> %ld %s", t.tid, r, r < 0 ? sc_errname(errno) : "");
	}
	SC_SETUP(sc_release(&t.go));
	pthread_join(th, NULL);
	sc_pipe_teardown(&t.ready);
	sc_pipe_teardown(&t.go);
}

/* FD-19 kcmp(2): KCMP_FILE with a descriptor that is not open fails with EBADF. */
TEST_F(file, kcmp_file_closed_fd_fails_ebadf)
{
	int bad;

	SC_REQUIRE_FEATURE(kcmp);
	bad = free_fd(100);
	ASSERT_LE(100, bad);
	EXPECT_SYSCALL_FAILS(EBADF, sc_kcmp(getpid(), getpid(), KCMP_FILE, self->f.fd, bad));
}

TEST_HARNESS_MAIN
