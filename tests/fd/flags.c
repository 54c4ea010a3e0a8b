// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where flags live: status flags (F_GETFL/F_SETFL) on the open file description,
 * shared by dups and fork children; FD_CLOEXEC (F_GETFD/F_SETFD) on the descriptor
 * slot; the *_CLOEXEC creation flags; what F_SETFL ignores.
 * Man pages: fcntl(2), dup(2), fork(2), open(2).
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>
#include "sysconform.h"

/* A pipe; the test closes what it does not need. */
FIXTURE(pipe_pair) {
	struct sc_pipe p;
};

FIXTURE_SETUP(pipe_pair)
{
	sc_pipe_setup(_metadata, &self->p, O_CLOEXEC);
}

FIXTURE_TEARDOWN(pipe_pair)
{
	sc_pipe_teardown(&self->p);
}

/* A 100-byte file "f" in a private temp dir, open read-only as fd. */
FIXTURE(file) {
	struct sc_file f;
};

FIXTURE_SETUP(file)
{
	char buf[100];

	memset(buf, 'a', sizeof(buf));
	sc_file_setup(_metadata, &self->f, "f", buf, sizeof(buf), O_RDONLY);
}

FIXTURE_TEARDOWN(file)
{
	sc_file_teardown(&self->f);
}

/* FD-03 fcntl(2): F_SETFL O_NONBLOCK on fd shows in a dup's F_GETFL; clearing it via the dup clears it for fd. */
TEST_F(pipe_pair, nonblock_is_shared_with_dup_both_ways)
{
	int d = SC_OK(dup(self->p.rd));

	SC_OK(fcntl(self->p.rd, F_SETFL, fcntl(self->p.rd, F_GETFL) | O_NONBLOCK));
	EXPECT_EQ(O_NONBLOCK, fcntl(d, F_GETFL) & O_NONBLOCK);
	SC_OK(fcntl(d, F_SETFL, fcntl(d, F_GETFL) & ~O_NONBLOCK));
	EXPECT_EQ(0, fcntl(self->p.rd, F_GETFL) & O_NONBLOCK);
	close(d);
}

/* FD-03 fcntl(2): F_SETFL O_APPEND on a dup makes writes through the original fd append. */
TEST_F(file, append_set_on_dup_applies_to_original)
{
	char buf[3] = { 0 };
	int fd, d;

	fd = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	d = SC_OK(dup(fd));
	SC_OK(fcntl(d, F_SETFL, fcntl(d, F_GETFL) | O_APPEND));
	EXPECT_EQ(O_APPEND, fcntl(fd, F_GETFL) & O_APPEND);
	ASSERT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_CUR));
	ASSERT_SYSCALL_RETURNS(2, write(fd, "XY", 2));
	EXPECT_SYSCALL_RETURNS(102, lseek(fd, 0, SEEK_CUR));
	ASSERT_SYSCALL_RETURNS(2, pread(fd, buf, 2, 100));
	EXPECT_STREQ("XY", buf);
	close(d);
	close(fd);
}

/* FD-06 FD-03 fcntl(2): after dup2(fd,newfd) onto an open newfd, O_APPEND|O_NONBLOCK set on fd show on newfd; cleared via newfd, on fd. */
TEST_F(file, dup2_copy_over_open_fd_shares_status_flags_both_ways)
{
	const int both = O_APPEND | O_NONBLOCK;
	int fd, slot;

	fd = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	slot = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(slot, dup2(fd, slot));
	SC_OK(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | both));
	EXPECT_EQ(both, fcntl(slot, F_GETFL) & both);
	SC_OK(fcntl(slot, F_SETFL, fcntl(slot, F_GETFL) & ~both));
	EXPECT_EQ(0, fcntl(fd, F_GETFL) & both);
	close(slot);
	close(fd);
}

/* FD-04 fcntl(2): F_SETFD FD_CLOEXEC on fd leaves F_GETFD of an existing dup at 0. */
TEST_F(pipe_pair, cloexec_set_on_fd_leaves_existing_dup_clear)
{
	int d;

	SC_OK(fcntl(self->p.rd, F_SETFD, 0));
	d = SC_OK(dup(self->p.rd));
	SC_OK(fcntl(self->p.rd, F_SETFD, FD_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->p.rd, F_GETFD));
	EXPECT_SYSCALL_RETURNS(0, fcntl(d, F_GETFD));
	SC_OK(fcntl(d, F_SETFD, FD_CLOEXEC));
	SC_OK(fcntl(self->p.rd, F_SETFD, 0));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(d, F_GETFD));
	close(d);
}

/* FD-04 dup(2): dup(), dup2() and F_DUPFD of an FD_CLOEXEC descriptor start with FD_CLOEXEC clear. */
TEST_F(pipe_pair, dups_of_cloexec_fd_start_without_cloexec)
{
	int a, b, c;

	ASSERT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->p.wr, F_GETFD));
	a = SC_OK(dup(self->p.wr));
	EXPECT_SYSCALL_RETURNS(0, fcntl(a, F_GETFD));
	b = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(b, dup2(self->p.wr, b));
	EXPECT_SYSCALL_RETURNS(0, fcntl(b, F_GETFD));
	c = SC_OK(fcntl(self->p.wr, F_DUPFD, 0));
	EXPECT_SYSCALL_RETURNS(0, fcntl(c, F_GETFD));
	close(a);
	close(b);
	close(c);
}

/* The fork children: each changes the fixture's read end (a struct sc_pipe). */
static int set_nonblock(void *data)
{
	SC_CHILD_CALL(fcntl(((struct sc_pipe *)data)->rd, F_SETFL, O_NONBLOCK));
	return SC_CHILD_OK;
}

static int set_cloexec(void *data)
{
	int rd = ((struct sc_pipe *)data)->rd, fl;

	SC_CHILD_CALL(fcntl(rd, F_SETFD, FD_CLOEXEC));
	fl = SC_CHILD_CALL(fcntl(rd, F_GETFD));
	return fl == FD_CLOEXEC ? SC_CHILD_OK : sc_child_fail("F_GETFD -> %d after F_SETFD FD_CLOEXEC", fl);
}

static int close_both(void *data)
{
	struct sc_pipe *p = data;

	SC_CHILD_CALL(close(p->rd));
	SC_CHILD_CALL(close(p->wr));
	return SC_CHILD_OK;
}

/* FD-11 fork(2): F_SETFL O_NONBLOCK in the child is seen by F_GETFL in the parent. */
TEST_F(pipe_pair, child_nonblock_after_fork_is_seen_by_parent)
{
	struct sc_child c;

	ASSERT_EQ(0, fcntl(self->p.rd, F_GETFL) & O_NONBLOCK);
	sc_child_run(&c, "the child", set_nonblock, &self->p, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(O_NONBLOCK, fcntl(self->p.rd, F_GETFL) & O_NONBLOCK);
}

/* FD-11 fork(2): F_SETFD FD_CLOEXEC in the child leaves the parent's F_GETFD at 0. */
TEST_F(pipe_pair, child_cloexec_after_fork_leaves_parent_clear)
{
	struct sc_child c;

	SC_OK(fcntl(self->p.rd, F_SETFD, 0));
	sc_child_run(&c, "the child", set_cloexec, &self->p, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->p.rd, F_GETFD));
}

/* FD-11 fork(2): close() in the child leaves the parent's descriptor open and usable. */
TEST_F(pipe_pair, child_close_after_fork_leaves_parent_open)
{
	struct sc_child c;
	char ch = 0;

	sc_child_run(&c, "the child", close_both, &self->p, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	ASSERT_SYSCALL_RETURNS(1, write(self->p.wr, "k", 1));
	EXPECT_SYSCALL_RETURNS(1, read(self->p.rd, &ch, 1));
	EXPECT_EQ('k', ch);
}

/* FD-15 fcntl(2): F_SETFL ignores access-mode bits: O_WRONLY or O_RDWR on an O_RDONLY fd changes nothing. */
TEST_F(file, f_setfl_ignores_access_mode_bits)
{
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_SETFL, O_WRONLY));
	EXPECT_EQ(O_RDONLY, fcntl(self->f.fd, F_GETFL) & O_ACCMODE);
	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_SETFL, O_RDWR));
	EXPECT_EQ(O_RDONLY, fcntl(self->f.fd, F_GETFL) & O_ACCMODE);
	EXPECT_SYSCALL_FAILS(EBADF, write(self->f.fd, "x", 1));
	EXPECT_SYSCALL_RETURNS(1, read(self->f.fd, &(char){ 0 }, 1));
}

/* FD-15 fcntl(2): F_SETFL ignores O_CREAT, O_EXCL and O_TRUNC: they do not show and truncate nothing. */
TEST_F(file, f_setfl_ignores_creation_bits)
{
	struct stat st;
	int fl;

	EXPECT_SYSCALL_RETURNS(0, fcntl(self->f.fd, F_SETFL, O_CREAT | O_EXCL | O_TRUNC | O_NONBLOCK));
	fl = SC_OK(fcntl(self->f.fd, F_GETFL));
	EXPECT_EQ(0, fl & (O_CREAT | O_EXCL | O_TRUNC));
	EXPECT_EQ(O_NONBLOCK, fl & O_NONBLOCK);
	SC_OK(fstat(self->f.fd, &st));
	EXPECT_EQ(100, st.st_size);
}

/* ---- FD-13: the *_CLOEXEC creation flags ---------------------------------- */

/* Makes fds[0] with the call's CLOEXEC flag; fds[1..2] are helpers (or -1). -1 + errno on failure. */
typedef int (*cloexec_maker)(int fds[3]);

static int make_open(int fds[3])
{
	return fds[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
}

static int make_pipe2(int fds[3])
{
	int p[2], r = pipe2(p, O_CLOEXEC);

	if (r == 0) {
		fds[0] = p[0];
		fds[1] = p[1];
	}
	return r;
}

static int make_socket(int fds[3])
{
	return fds[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

/* A listener on an abstract AF_UNIX address named after our pid, a client, and accept4(). */
static int make_accept4(int fds[3])
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;

	len = offsetof(struct sockaddr_un, sun_path) + 1 +
	      snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "sysconform-fd-13-%d", getpid());
	fds[1] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fds[1] < 0 || bind(fds[1], (struct sockaddr *)&sa, len) || listen(fds[1], 1))
		return -1;
	fds[2] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fds[2] < 0 || connect(fds[2], (struct sockaddr *)&sa, len))
		return -1;
	return fds[0] = accept4(fds[1], NULL, NULL, SOCK_CLOEXEC);
}

static int make_epoll_create1(int fds[3])
{
	return fds[0] = epoll_create1(EPOLL_CLOEXEC);
}

static int make_eventfd(int fds[3])
{
	return fds[0] = eventfd(0, EFD_CLOEXEC);
}

static int make_memfd_create(int fds[3])
{
	return fds[0] = memfd_create("fd-13", MFD_CLOEXEC);
}

FIXTURE(cloexec_flag) {
	int fds[3];
};

FIXTURE_VARIANT(cloexec_flag) {
	enum sc_feature_id feature;	/* of the call and its flag, and only that */
	cloexec_maker make;
};

FIXTURE_VARIANT_ADD(cloexec_flag, open) { SC_FEAT_o_cloexec, make_open };
FIXTURE_VARIANT_ADD(cloexec_flag, pipe2) { SC_FEAT_flags_2627, make_pipe2 };
FIXTURE_VARIANT_ADD(cloexec_flag, socket) { SC_FEAT_flags_2627, make_socket };
FIXTURE_VARIANT_ADD(cloexec_flag, accept4) { SC_FEAT_flags_2627, make_accept4 };
FIXTURE_VARIANT_ADD(cloexec_flag, epoll_create1) { SC_FEAT_flags_2627, make_epoll_create1 };
FIXTURE_VARIANT_ADD(cloexec_flag, eventfd) { SC_FEAT_eventfd, make_eventfd };
FIXTURE_VARIANT_ADD(cloexec_flag, memfd_create) { SC_FEAT_memfd, make_memfd_create };

FIXTURE_SETUP(cloexec_flag)
{
	self->fds[0] = self->fds[1] = self->fds[2] = -1;
}

FIXTURE_TEARDOWN(cloexec_flag)
{
	for (int i = 0; i < 3; i++)
		if (self->fds[i] >= 0)
			close(self->fds[i]);
}

/* FD-13 open(2): a descriptor made with its call's CLOEXEC flag has FD_CLOEXEC in F_GETFD, not in F_GETFL. */
TEST_F(cloexec_flag, creation_flag_sets_fd_cloexec_not_status_flag)
{
	int fl;

	SC_REQUIRE_FEATURE_ID(variant->feature);
	SC_SETUP(variant->make(self->fds));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->fds[0], F_GETFD));
	fl = SC_OK(fcntl(self->fds[0], F_GETFL));
	EXPECT_EQ(0, fl & O_CLOEXEC) {
		TH_LOG("F_GETFL = 0x%x", fl);
	}
}

TEST_HARNESS_MAIN
