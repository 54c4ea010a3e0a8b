// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring timeouts (IORING_OP_TIMEOUT): a relative timeout that expires completes
 * with -ETIME, never early; one with a completion count completes with res 0 once
 * that many other CQEs were posted.
 * Man page: io_uring_enter(2).
 */
#include "io_uring.h"

/* URING-13 io_uring_enter(2): IORING_OP_TIMEOUT of 50 ms with count 0 completes with res -ETIME, not before 50 ms have passed. */
TEST_F(uring, timeout_completes_etime_not_before_its_time)
{
	struct __kernel_timespec ts = { .tv_sec = 0, .tv_nsec = 50 * 1000000L };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe c;
	int64_t t0, waited_ns;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_TIMEOUT);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_timeout(sqe, &ts, 0, 0);
	sqe->user_data = 1;
	t0 = sc_now_ns();
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	waited_ns = sc_now_ns() - t0;
	EXPECT_CQE(c, 1, -ETIME);
	EXPECT_LE(50 * 1000000LL, waited_ns) {
		TH_LOG("the 50 ms timeout completed after %lld us", (long long)waited_ns / 1000);
	}
}

/* URING-13 io_uring_enter(2): IORING_OP_TIMEOUT of 30 s with count 1 completes with res 0 once a NOP's CQE is posted (within the 5 s wait). */
TEST_F(uring, timeout_with_count_1_completes_after_one_cqe)
{
	struct __kernel_timespec ts = { .tv_sec = 30, .tv_nsec = 0 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe c[2];

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_TIMEOUT);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_timeout(sqe, &ts, 1, 0);
	sqe->user_data = 1;
	URING_SUBMIT(&self->ring, 1);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_nop(sqe);
	sqe->user_data = 2;
	URING_SUBMIT(&self->ring, 1);
	URING_COLLECT(&self->ring, c, 2);
	EXPECT_CQE(c[0], 1, 0);
	EXPECT_CQE(c[1], 2, 0);
}

TEST_HARNESS_MAIN
