// SPDX-License-Identifier: GPL-2.0-only
/*
 * Descriptor numbers and file offsets: which calls give the lowest free slot, and
 * which share one open file description (dup, fork) or make a new one (open).
 * Man pages: open(2), dup(2), fork(2), lseek(2).
 */
#include <sys/socket.h>
#include "fd.h"

#define FILE_LEN 200

/* A 200-byte file "f" ("0123456789" repeated) in a private temp dir. */
FIXTURE(file) {
	struct sc_file f;
};

FIXTURE_SETUP(file)
{
	char buf[FILE_LEN];

	for (int i = 0; i < FILE_LEN; i++)
		buf[i] = '0' + i % 10;
	sc_file_setup(_metadata, &self->f, "f", buf, sizeof(buf), O_RDWR);
}

FIXTURE_TEARDOWN(file)
{
	sc_file_teardown(&self->f);
}

/* FD-01 open(2): after close(fd) leaves fd the lowest free slot, the next open() returns fd. */
TEST_F(file, open_after_close_reuses_lowest_free_descriptor)
{
	int a, b, c;

	a = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	b = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	ASSERT_LT(a, b);
	SC_OK(close(a));
	ASSERT_EQ(a, free_fd(0));
	c = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	EXPECT_EQ(a, c);
	close(b);
	close(c);
}

/* FD-01 dup(2) pipe(2) socket(2): dup(), pipe() and socket() each fill the lowest free slot. */
TEST_F(file, dup_pipe_socket_return_lowest_free_descriptor)
{
	int hole, keep, d, p[2], s;

	hole = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	keep = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));
	SC_OK(close(hole));
	ASSERT_EQ(hole, free_fd(0));

	d = SC_OK(dup(keep));
	EXPECT_EQ(hole, d);
	SC_OK(close(d));

	SC_OK(pipe(p));
	EXPECT_EQ(hole, p[0]);
	close(p[0]);
	close(p[1]);
	ASSERT_EQ(hole, free_fd(0));

	s = SC_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	EXPECT_EQ(hole, s);
	close(s);
	close(keep);
}

/* FD-02 dup(2): after lseek(fd,100,SEEK_SET), lseek(dup(fd),0,SEEK_CUR) returns 100. */
TEST_F(file, dup_sees_offset_set_through_original)
{
	int d;

	SC_OK(lseek(self->f.fd, 100, SEEK_SET));
	d = SC_OK(dup(self->f.fd));
	EXPECT_SYSCALL_RETURNS(100, lseek(d, 0, SEEK_CUR));
	close(d);
}

/* FD-02 dup(2): a read of 10 bytes through the dup advances the original's offset by 10. */
TEST_F(file, read_through_dup_advances_original_offset)
{
	char buf[10];
	int d;

	d = SC_OK(dup(self->f.fd));
	SC_OK(lseek(self->f.fd, 30, SEEK_SET));
	ASSERT_SYSCALL_RETURNS(10, read(d, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "0123456789", 10));
	EXPECT_SYSCALL_RETURNS(40, lseek(self->f.fd, 0, SEEK_CUR));
	ASSERT_SYSCALL_RETURNS(10, read(self->f.fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(50, lseek(d, 0, SEEK_CUR));
	close(d);
}

/* FD-02 dup(2): writes through fd and its dup go one after the other at the shared offset. */
TEST_F(file, writes_through_dup_and_original_do_not_overlap)
{
	char buf[8] = { 0 };
	int d;

	d = SC_OK(dup(self->f.fd));
	ASSERT_SYSCALL_RETURNS(3, write(self->f.fd, "abc", 3));
	ASSERT_SYSCALL_RETURNS(3, write(d, "def", 3));
	EXPECT_SYSCALL_RETURNS(6, lseek(self->f.fd, 0, SEEK_CUR));
	ASSERT_SYSCALL_RETURNS(6, pread(self->f.fd, buf, 6, 0));
	EXPECT_STREQ("abcdef", buf);
	close(d);
}

/* FD-06 dup(2): after dup2(fd,newfd) onto an open newfd, lseek() through fd moves newfd's offset and a read through newfd moves fd's. */
TEST_F(file, dup2_copy_over_open_fd_shares_offset_both_ways)
{
	char buf[10];
	int slot = SC_OK(open("/dev/null", O_RDONLY | O_CLOEXEC));

	ASSERT_SYSCALL_RETURNS(slot, dup2(self->f.fd, slot));
	SC_OK(lseek(self->f.fd, 100, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(100, lseek(slot, 0, SEEK_CUR));
	ASSERT_SYSCALL_RETURNS(10, read(slot, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(110, lseek(self->f.fd, 0, SEEK_CUR));
	close(slot);
}

/* FD-05 open(2): reading 10 bytes through one of two open()s of a file leaves the other's offset at 0. */
TEST_F(file, two_opens_have_independent_offsets)
{
	char buf[10];
	int other;

	other = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(10, read(self->f.fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(10, lseek(self->f.fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(0, lseek(other, 0, SEEK_CUR));
	close(other);
}

/* FD-05 open(2): O_NONBLOCK set by F_SETFL on one of two open()s is not seen on the other. */
TEST_F(file, two_opens_have_independent_status_flags)
{
	int other, fl;

	other = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	fl = SC_OK(fcntl(self->f.fd, F_GETFL));
	SC_OK(fcntl(self->f.fd, F_SETFL, fl | O_NONBLOCK));
	ASSERT_EQ(O_NONBLOCK, fcntl(self->f.fd, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(other, F_GETFL) & O_NONBLOCK);
	close(other);
}

/* A child on the fixture's descriptor: what its read() or lseek(SEEK_CUR) returns (the report). */
struct on_fd {
	long seen;
	int fd;
	struct sc_pipe *go;	/* when not NULL, the child waits for it first */
};

static int read_ten(void *data)
{
	struct on_fd *c = data;
	char buf[10];

	c->seen = SC_CHILD_CALL(read(c->fd, buf, sizeof(buf)));
	return SC_CHILD_OK;
}

static int offset_on_go(void *data)
{
	struct on_fd *c = data;

	if (sc_hold(c->go, SC_WAIT_MS))
		return sc_child_error("no go from the parent");
	c->seen = SC_CHILD_CALL(lseek(c->fd, 0, SEEK_CUR));
	return SC_CHILD_OK;
}

/* FD-10 fork(2): a read() of 10 bytes in the child advances the parent's offset by 10. */
TEST_F(file, child_read_after_fork_moves_parent_offset)
{
	struct on_fd got = { -1, self->f.fd, NULL };
	struct sc_child c;

	SC_OK(lseek(self->f.fd, 20, SEEK_SET));
	sc_child_run(&c, "the child", read_ten, &got, sizeof(got.seen));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(10, got.seen);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(30, lseek(self->f.fd, 0, SEEK_CUR));
}

/* FD-10 fork(2): an lseek() in the parent after fork() is seen by the child's lseek(SEEK_CUR). */
TEST_F(file, parent_lseek_after_fork_is_seen_by_child)
{
	struct sc_pipe go;
	struct on_fd got = { -1, self->f.fd, &go };
	struct sc_child c;

	sc_pipe_setup(_metadata, &go, O_CLOEXEC);
	SC_CHILD_START(&c, "the child", offset_on_go, &got, sizeof(got.seen));
	SC_OK(lseek(self->f.fd, 42, SEEK_SET));
	SC_SETUP(sc_release(&go));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(42, got.seen) {
		TH_LOG("the child's lseek(SEEK_CUR) -> %ld after the parent's lseek(42)", got.seen);
	}
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&go);
}

TEST_HARNESS_MAIN
