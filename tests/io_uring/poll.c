// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring multishot poll (IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI) on an
 * eventfd: one CQE per readiness event with IORING_CQE_F_MORE while armed, and a
 * final CQE without it after IORING_OP_POLL_REMOVE.
 * Man page: io_uring_enter(2).
 */
#include <poll.h>
#include <sys/eventfd.h>
#include "io_uring.h"

#define POLL_UD 1	/* the poll's user_data */
#define REMOVE_UD 2	/* the POLL_REMOVE's */

/*
 * Arm a multishot poll for POLLIN on EFD (empty) in RING; when a first CQE comes
 * at once with -EINVAL, the kernel lacks IORING_POLL_ADD_MULTI (5.13): skip.
 */
#define ARM_MULTISHOT_OR_SKIP(ring, efd) do {				\
	struct io_uring_sqe *_sqe = URING_SQE(ring);			\
	struct io_uring_cqe _c;						\
	io_uring_prep_poll_multishot(_sqe, efd, POLLIN);		\
	_sqe->user_data = POLL_UD;					\
	URING_SUBMIT(ring, 1);						\
	if (uring_next_cqe(ring, &_c, 50) == 0) {			\
		if (_c.res == -EINVAL)					\
			SKIP(return, "feature io_uring missing: IORING_OP_POLL_ADD with IORING_POLL_ADD_MULTI (CQE -EINVAL)");	\
		ASSERT_TRUE(false) TH_LOG("CQE before any event: user_data %llu res %d flags %#x",	\
					  (unsigned long long)_c.user_data, _c.res, _c.flags);	\
	}								\
} while (0)

/* Make EFD readable (write 1), then wait for the poll's CQE into C and drain EFD. */
#define EVENT_AND_CQE(ring, efd, c) do {				\
	uint64_t _one = 1;						\
	SC_SETUP(write(efd, &_one, sizeof(_one)));			\
	URING_NEXT_CQE(ring, c);					\
	SC_SETUP(read(efd, &_one, sizeof(_one)));			\
} while (0)

/* URING-10 io_uring_enter(2): a multishot poll on an eventfd posts one CQE per readiness event (none before the first), each with IORING_CQE_F_MORE. */
TEST_F(uring, multishot_poll_posts_cqe_per_event_with_f_more)
{
	struct io_uring_cqe c;
	int efd;

	SC_REQUIRE_FEATURE(io_uring);
	efd = SC_SETUP(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	ARM_MULTISHOT_OR_SKIP(&self->ring, efd);
	for (int i = 0; i < 3; i++) {
		EVENT_AND_CQE(&self->ring, efd, c);
		EXPECT_CQE(c, POLL_UD, POLLIN);
		EXPECT_TRUE(c.flags & IORING_CQE_F_MORE) TH_LOG("event %d: flags %#x", i, c.flags);
	}
	close(efd);
}

/* URING-10 io_uring_enter(2): after IORING_OP_POLL_REMOVE, the multishot poll's final CQE lacks IORING_CQE_F_MORE, and later events post nothing. */
TEST_F(uring, multishot_poll_final_cqe_after_remove_lacks_f_more)
{
	struct io_uring_cqe c[2];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe ev;
	uint64_t one = 1;
	int efd;

	SC_REQUIRE_FEATURE(io_uring);
	efd = SC_SETUP(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	ARM_MULTISHOT_OR_SKIP(&self->ring, efd);
	EVENT_AND_CQE(&self->ring, efd, ev);
	EXPECT_TRUE(ev.flags & IORING_CQE_F_MORE) TH_LOG("flags %#x", ev.flags);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_poll_remove(sqe, POLL_UD);
	sqe->user_data = REMOVE_UD;
	URING_SUBMIT(&self->ring, 1);
	URING_COLLECT(&self->ring, c, 2);
	EXPECT_CQE(c[1], REMOVE_UD, 0);
	EXPECT_EQ(-ECANCELED, c[0].res);
	EXPECT_FALSE(c[0].flags & IORING_CQE_F_MORE) TH_LOG("final CQE flags %#x", c[0].flags);
	SC_SETUP(write(efd, &one, sizeof(one)));
	EXPECT_SYSCALL_FAILS(ETIME, uring_next_cqe(&self->ring, &ev, 50));
	close(efd);
}

TEST_HARNESS_MAIN
