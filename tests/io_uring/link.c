// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring chains: IOSQE_IO_LINK runs members in order and cancels the rest of
 * the chain after a failure (a short read counts as one); IOSQE_IO_HARDLINK keeps
 * the chain going.
 * Man page: io_uring_enter(2).
 */
#include "io_uring.h"

/* A NOP with user_data UD and the SQE flags FLAGS. */
static void prep_nop(struct io_uring_sqe *sqe, __u64 ud, unsigned flags)
{
	io_uring_prep_nop(sqe);
	sqe->user_data = ud;
	sqe->flags |= flags;
}

/* A write of "xyz" to FD (read-only: it fails -EBADF), user_data 1, SQE flags FLAGS. */
static void prep_failing_write(struct io_uring_sqe *sqe, int fd, unsigned flags)
{
	io_uring_prep_write(sqe, fd, "xyz", 3, 0);
	sqe->user_data = 1;
	sqe->flags |= flags;
}

/* URING-05 io_uring_enter(2): a write linked (IOSQE_IO_LINK) to a read of the same range runs first: the read returns the written data. */
TEST_F(uring, linked_write_then_read_returns_written_data)
{
	char buf[8] = "";
	struct io_uring_cqe c[2];
	struct io_uring_sqe *sqe;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_WRITE);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	fd = SC_FILE_AT("f", "", 0, O_RDWR);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_write(sqe, fd, "abcd", 4, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	sqe = URING_SQE(&self->ring);
	io_uring_prep_read(sqe, fd, buf, 4, 0);
	sqe->user_data = 2;
	URING_SUBMIT(&self->ring, 2);
	URING_COLLECT(&self->ring, c, 2);
	EXPECT_CQE(c[0], 1, 4);
	EXPECT_CQE(c[1], 2, 4);
	EXPECT_STREQ("abcd", buf);
	close(fd);
}

/* URING-05 io_uring_enter(2): when a member of an IOSQE_IO_LINK chain fails, every later member completes with -ECANCELED. */
TEST_F(uring, failed_link_member_cancels_every_later_member)
{
	struct io_uring_cqe c[3];
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_WRITE);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	prep_failing_write(URING_SQE(&self->ring), fd, IOSQE_IO_LINK);
	prep_nop(URING_SQE(&self->ring), 2, IOSQE_IO_LINK);
	prep_nop(URING_SQE(&self->ring), 3, 0);
	URING_SUBMIT(&self->ring, 3);
	URING_COLLECT(&self->ring, c, 3);
	EXPECT_CQE(c[0], 1, -EBADF);
	EXPECT_CQE(c[1], 2, -ECANCELED);
	EXPECT_CQE(c[2], 3, -ECANCELED);
	close(fd);
}

/* URING-05 io_uring_enter(2): the same NOPs without IOSQE_IO_LINK after the failing write complete with res 0 (the control). */
TEST_F(uring, unlinked_sqes_after_failure_complete_normally)
{
	struct io_uring_cqe c[3];
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_WRITE);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	prep_failing_write(URING_SQE(&self->ring), fd, 0);
	prep_nop(URING_SQE(&self->ring), 2, 0);
	prep_nop(URING_SQE(&self->ring), 3, 0);
	URING_SUBMIT(&self->ring, 3);
	URING_COLLECT(&self->ring, c, 3);
	EXPECT_CQE(c[0], 1, -EBADF);
	EXPECT_CQE(c[1], 2, 0);
	EXPECT_CQE(c[2], 3, 0);
	close(fd);
}

/* URING-06 io_uring_enter(2): a linked 16-byte read of a 3-byte file completes with res 3 and breaks the chain: the next member gets -ECANCELED. */
TEST_F(uring, short_read_breaks_link_chain)
{
	char buf[16] = "";
	struct io_uring_cqe c[2];
	struct io_uring_sqe *sqe;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_read(sqe, fd, buf, sizeof(buf), 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	prep_nop(URING_SQE(&self->ring), 2, 0);
	URING_SUBMIT(&self->ring, 2);
	URING_COLLECT(&self->ring, c, 2);
	EXPECT_CQE(c[0], 1, 3);
	EXPECT_CQE(c[1], 2, -ECANCELED);
	close(fd);
}

/* URING-06 io_uring_enter(2): a linked read that gets all it asked for (3 of 3 bytes) keeps the chain going (the control). */
TEST_F(uring, full_read_keeps_link_chain)
{
	char buf[4] = "";
	struct io_uring_cqe c[2];
	struct io_uring_sqe *sqe;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_read(sqe, fd, buf, 3, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	prep_nop(URING_SQE(&self->ring), 2, 0);
	URING_SUBMIT(&self->ring, 2);
	URING_COLLECT(&self->ring, c, 2);
	EXPECT_CQE(c[0], 1, 3);
	EXPECT_CQE(c[1], 2, 0);
	close(fd);
}

/* URING-07 io_uring_enter(2): after a failed member with IOSQE_IO_HARDLINK, the next member runs and completes normally. */
TEST_F(uring, hardlink_chain_continues_after_failure)
{
	struct io_uring_cqe c[3];
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_WRITE);	/* 5.6: IOSQE_IO_HARDLINK is 5.5 */
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	prep_failing_write(URING_SQE(&self->ring), fd, IOSQE_IO_HARDLINK);
	prep_nop(URING_SQE(&self->ring), 2, IOSQE_IO_HARDLINK);
	prep_nop(URING_SQE(&self->ring), 3, 0);
	URING_SUBMIT(&self->ring, 3);
	URING_COLLECT(&self->ring, c, 3);
	EXPECT_CQE(c[0], 1, -EBADF);
	EXPECT_CQE(c[1], 2, 0);
	EXPECT_CQE(c[2], 3, 0);
	close(fd);
}

TEST_HARNESS_MAIN
