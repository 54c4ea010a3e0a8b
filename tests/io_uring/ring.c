// SPDX-License-Identifier: GPL-2.0-only
/*
 * The io_uring ring itself: io_uring_setup()'s sizes, an SQE placed by hand in
 * the mapped SQ ring and submitted with io_uring_enter(), the opcode probe, and
 * the SQ poll thread (IORING_SETUP_SQPOLL): submission by the SQ tail alone,
 * IORING_SQ_NEED_WAKEUP and IORING_ENTER_SQ_WAKEUP, and its privilege.
 * Man pages: io_uring_setup(2), io_uring_enter(2), io_uring_register(2).
 */
#include <sched.h>
#include "io_uring.h"

/* Place a NOP with user_data UD in the next slot of RING's mapped SQ ring and
 * publish it by a store-release of the SQ tail (no liburing submission). A ring
 * without an SQ index array (IORING_SETUP_NO_SQARRAY, Linux 6.6, which liburing
 * 2.6 and later ask for when the kernel has it: sq->array is NULL) takes the SQE
 * at the tail's own slot. */
static void publish_nop(struct io_uring *ring, __u64 ud)
{
	struct io_uring_sq *sq = &ring->sq;
	unsigned tail = *sq->ktail, idx = tail & *sq->kring_mask;
	struct io_uring_sqe *sqe = &sq->sqes[idx];

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_NOP;
	sqe->user_data = ud;
	if (sq->array)
		sq->array[idx] = idx;
	io_uring_smp_store_release(sq->ktail, tail + 1);
	sq->sqe_head = sq->sqe_tail = tail + 1;	/* liburing's own view follows */
}

/* Spin (no system call on the ring) up to MS ms until RING's CQ ring has a CQE; whether it has. */
static bool cqe_appears_within(struct io_uring *ring, int ms)
{
	int64_t end = sc_now_ns() + ms * 1000000LL;

	while (!io_uring_cq_ready(ring) && sc_now_ns() < end)
		sched_yield();
	return io_uring_cq_ready(ring) > 0;
}

/* The next CQE of RING by the mapped CQ ring alone (a spin of up to SC_WAIT_MS), copied to *OUT and consumed; 0, or -1 ETIME. */
static int raw_next_cqe(struct io_uring *ring, struct io_uring_cqe *out)
{
	struct io_uring_cqe *cqe = NULL;

	if (!cqe_appears_within(ring, SC_WAIT_MS) || io_uring_peek_cqe(ring, &cqe) || !cqe) {
		errno = ETIME;
		return -1;
	}
	*out = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* Spin up to MS ms until RING's SQ flags show IORING_SQ_NEED_WAKEUP; whether they do. */
static bool need_wakeup_within(struct io_uring *ring, int ms)
{
	int64_t end = sc_now_ns() + ms * 1000000LL;

	while (!(__atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_NEED_WAKEUP) &&
	       sc_now_ns() < end)
		sched_yield();
	return __atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_NEED_WAKEUP;
}

/* URING-01 io_uring_setup(2): sq_entries is entries rounded up to a power of two and cq_entries twice that (1, 5, 8, 100). */
TEST(setup_rounds_sq_entries_up_to_power_of_two)
{
	static const struct { unsigned entries, sq, cq; } t[] = {
		{ 1, 1, 2 }, { 5, 8, 16 }, { 8, 8, 16 }, { 100, 128, 256 },
	};

	SC_REQUIRE_FEATURE(io_uring);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct io_uring_params p;
		int fd;

		memset(&p, 0, sizeof(p));
		fd = SC_OK(uring_call(io_uring_setup(t[i].entries, &p)));
		EXPECT_EQ(t[i].sq, p.sq_entries) TH_LOG("entries %u: sq_entries %u", t[i].entries, p.sq_entries);
		EXPECT_EQ(t[i].cq, p.cq_entries) TH_LOG("entries %u: cq_entries %u", t[i].entries, p.cq_entries);
		close(fd);
	}
}

/* URING-01 io_uring_setup(2): io_uring_setup(0, &p) fails with EINVAL. */
TEST(setup_zero_entries_fails_einval)
{
	struct io_uring_params p;

	SC_REQUIRE_FEATURE(io_uring);
	memset(&p, 0, sizeof(p));
	EXPECT_SYSCALL_FAILS(EINVAL, uring_call(io_uring_setup(0, &p)));
}

/* URING-02 io_uring_enter(2): a NOP placed in the mapped SQ ring and submitted with io_uring_enter() gives exactly one CQE, res 0, the SQE's user_data. */
TEST_F(uring, nop_in_mapped_sq_ring_gives_one_cqe_with_user_data)
{
	struct io_uring_cqe c;

	SC_REQUIRE_FEATURE(io_uring);
	publish_nop(&self->ring, 0x1234567890abcdefULL);
	ASSERT_SYSCALL_RETURNS(1, uring_call(io_uring_enter(self->ring.ring_fd, 1, 0, 0, NULL)));
	ASSERT_TRUE(cqe_appears_within(&self->ring, SC_WAIT_MS));
	EXPECT_EQ(1, io_uring_cq_ready(&self->ring));
	ASSERT_SYSCALL_RETURNS(0, raw_next_cqe(&self->ring, &c));
	EXPECT_CQE(c, 0x1234567890abcdefULL, 0);
}

/* URING-02 io_uring_enter(2): io_uring_enter(fd, 3, ...) with three NOPs in the SQ ring returns 3, the SQEs consumed, and three CQEs follow. */
TEST_F(uring, enter_returns_number_of_sqes_consumed)
{
	struct io_uring_cqe c[3];

	SC_REQUIRE_FEATURE(io_uring);
	for (int i = 1; i <= 3; i++)
		publish_nop(&self->ring, i);
	ASSERT_SYSCALL_RETURNS(3, uring_call(io_uring_enter(self->ring.ring_fd, 3, 0, 0, NULL)));
	for (int i = 0; i < 3; i++) {
		ASSERT_SYSCALL_RETURNS(0, raw_next_cqe(&self->ring, &c[i]));
		EXPECT_CQE(c[i], i + 1, 0);
	}
}

/* URING-11 io_uring_register(2): IORING_REGISTER_PROBE marks IORING_OP_NOP and IORING_OP_READV as supported. */
TEST_F(uring, probe_marks_nop_and_readv_supported)
{
	struct io_uring_probe *p;

	SC_REQUIRE_FEATURE(io_uring);
	p = uring_probe(&self->ring);
	if (!p)
		URING_PROBE_FAILED_SKIP();
	EXPECT_TRUE(io_uring_opcode_supported(p, IORING_OP_NOP));
	EXPECT_TRUE(io_uring_opcode_supported(p, IORING_OP_READV));
	EXPECT_LE(IORING_OP_READV, p->last_op);
	free(p);
}

/* URING-11 io_uring_register(2): an SQE whose opcode is beyond the probe's last_op completes with res -EINVAL. */
TEST_F(uring, opcode_beyond_last_op_completes_einval)
{
	struct io_uring_probe *p;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe c;
	unsigned op;

	SC_REQUIRE_FEATURE(io_uring);
	p = uring_probe(&self->ring);
	if (!p)
		URING_PROBE_FAILED_SKIP();
	op = p->last_op + 1u;
	free(p);
	ASSERT_GT(256u, op);
	sqe = URING_SQE(&self->ring);
	io_uring_prep_nop(sqe);
	sqe->opcode = (__u8)op;
	sqe->user_data = 9;
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	TH_LOG("opcode %u (last_op + 1)", op);
	EXPECT_CQE(c, 9, -EINVAL);
}

/*
 * In a case: RING = a ring of 8 with IORING_SETUP_SQPOLL and sq_thread_idle IDLE
 * ms; NULL when made, else the skip's reason: EPERM is the privilege SQPOLL needs
 * before 5.11 (or a policy), EINVAL a kernel without it.
 */
static const char *sqpoll_ring(struct __test_metadata *_metadata, struct io_uring *ring, unsigned idle)
{
	struct io_uring_params p;
	int r;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = idle;
	r = io_uring_queue_init_params(8, ring, &p);
	if (r == -EPERM || r == -EACCES)
		return "needs CAP_SYS_ADMIN for SQPOLL before Linux 5.11, or a policy forbids it (EPERM)";
	if (r == -EINVAL)
		return "feature io_uring missing: IORING_SETUP_SQPOLL (EINVAL)";
	SC_SETUP(uring_call(r));
	return NULL;
}

/* RING = a ring with IORING_SETUP_SQPOLL and sq_thread_idle IDLE ms, or the case skips (the reason from sqpoll_ring()). */
#define SQPOLL_RING_OR_SKIP(ring, idle) do {				\
	const char *_why;						\
	SC_REQUIRE_FEATURE(io_uring);					\
	_why = sqpoll_ring(_metadata, ring, idle);			\
	if (_why)							\
		SKIP(return, "%s", _why);				\
} while (0)

/*
 * Make sure RING's poll thread is awake: publish a NOP (user_data UD), wake the
 * thread with IORING_ENTER_SQ_WAKEUP if the SQ flags say it sleeps (it may sleep
 * as soon as it starts), and consume the NOP's CQE. Having just worked, the
 * thread then stays awake for sq_thread_idle. Whether the CQE came.
 */
static bool sqpoll_awake(struct io_uring *ring, __u64 ud)
{
	struct io_uring_cqe *cqe = NULL;

	publish_nop(ring, ud);
	if (__atomic_load_n(ring->sq.kflags, __ATOMIC_ACQUIRE) & IORING_SQ_NEED_WAKEUP)
		io_uring_enter(ring->ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL);
	if (!cqe_appears_within(ring, SC_WAIT_MS) || io_uring_peek_cqe(ring, &cqe))
		return false;
	io_uring_cqe_seen(ring, cqe);
	return true;
}

/* URING-12 io_uring_setup(2): with IORING_SETUP_SQPOLL, a NOP published only by advancing the SQ tail completes without io_uring_enter() while the poll thread is awake. */
TEST(sqpoll_runs_sqe_published_by_tail_alone)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe = NULL;

	SQPOLL_RING_OR_SKIP(&ring, 500);
	ASSERT_TRUE(sqpoll_awake(&ring, 41)) {
		TH_LOG("no CQE for the first NOP; SQ flags %#x", *ring.sq.kflags);
	}
	publish_nop(&ring, 42);
	ASSERT_TRUE(cqe_appears_within(&ring, SC_WAIT_MS)) {
		TH_LOG("no CQE; SQ flags %#x", *ring.sq.kflags);
	}
	ASSERT_EQ(0, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(42, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

/* URING-12 io_uring_enter(2): once the SQ flags show IORING_SQ_NEED_WAKEUP, io_uring_enter(IORING_ENTER_SQ_WAKEUP) restarts the poll thread, which runs the published NOP. */
TEST(sqpoll_enter_sq_wakeup_restarts_sleeping_thread)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe = NULL;

	SQPOLL_RING_OR_SKIP(&ring, 1);
	ASSERT_TRUE(need_wakeup_within(&ring, SC_WAIT_MS)) {
		TH_LOG("sq_thread_idle 1 ms: no IORING_SQ_NEED_WAKEUP; SQ flags %#x", *ring.sq.kflags);
	}
	publish_nop(&ring, 43);
	ASSERT_SYSCALL_RETURNS(0, uring_call(io_uring_enter(ring.ring_fd, 0, 0, IORING_ENTER_SQ_WAKEUP, NULL)));
	ASSERT_TRUE(cqe_appears_within(&ring, SC_WAIT_MS)) {
		TH_LOG("no CQE after IORING_ENTER_SQ_WAKEUP; SQ flags %#x", *ring.sq.kflags);
	}
	ASSERT_EQ(0, io_uring_peek_cqe(&ring, &cqe));
	EXPECT_EQ(43, cqe->user_data);
	EXPECT_EQ(0, cqe->res);
	io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
}

struct sqpoll_seen { int err; };

/* The child: drop privilege (as root), then set up an SQPOLL ring; its errno (0: made). */
static int setup_sqpoll_unprivileged(void *data)
{
	struct sqpoll_seen *seen = data;
	struct io_uring_params p;
	int fd;

	if (sc_drop_privilege())
		return sc_child_error("dropping privilege: %s", sc_errname(errno));
	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 10;
	fd = io_uring_setup(8, &p);
	seen->err = fd < 0 ? -fd : 0;
	if (fd >= 0)
		close(fd);
	return SC_CHILD_OK;
}

/* URING-12 io_uring_setup(2): without privilege, IORING_SETUP_SQPOLL succeeds where the kernel has IORING_FEAT_SQPOLL_NONFIXED (5.11) and fails with EPERM before. */
TEST_F(uring, sqpoll_setup_without_privilege_by_kernel_version)
{
	struct sc_child c;
	struct sqpoll_seen seen = { -1 };
	int want;

	SC_REQUIRE_FEATURE(io_uring);
	want = self->ring.features & IORING_FEAT_SQPOLL_NONFIXED ? 0 : EPERM;
	sc_child_run(&c, "the unprivileged child", setup_sqpoll_unprivileged, &seen, sizeof(seen));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_CHILD_SUCCEEDED(&c);
	if (seen.err == EINVAL)
		SKIP(return, "feature io_uring missing: IORING_SETUP_SQPOLL (EINVAL)");
	EXPECT_EQ(want, seen.err) {
		TH_LOG("SQPOLL setup without privilege: %s, expected %s (IORING_FEAT_SQPOLL_NONFIXED %s)",
		       seen.err ? sc_errname(seen.err) : "made", want ? "EPERM" : "made",
		       want ? "absent" : "present");
	}
}

TEST_HARNESS_MAIN
