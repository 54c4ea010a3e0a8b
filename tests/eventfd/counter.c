// SPDX-License-Identifier: GPL-2.0-only
/*
 * eventfd(2): the 8-byte counter, its reads and writes, blocking at 0 and at the
 * maximum, EFD_SEMAPHORE, poll() readiness and sharing across fork().
 * Man page: eventfd(2).
 */
#include "eventfd.h"

ONE_FD_FIXTURE(evfd)

/* EVFD-01 eventfd(2): read() returns the initial value as 8 bytes and resets the counter to 0. */
TEST_F(evfd, read_returns_counter_and_resets_it)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(5, EFD_NONBLOCK | EFD_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(5, v);
	EXPECT_NOTHING_TO_READ(self->fd, "after the read of 5 (not reset to 0)");
}

/* EVFD-01 eventfd(2): write()s add to the counter: writing 3 and then 4 makes the next read() return 7. */
TEST_F(evfd, writes_add_to_counter)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 3));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 4));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(7, v);
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 2));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(2, v) {
		TH_LOG("the read of 7 did not reset the counter");
	}
}

/* A child that reads the eventfd *DATA: ready right before the read() that should block. */
static int read_expecting_two(void *data)
{
	uint64_t v;

	sc_child_send();
	SC_CHILD_CALL(read_u64(*(int *)data, &v));
	return v == 2 ? SC_CHILD_OK : sc_child_fail("read() gave %llu, expected 2", (unsigned long long)v);
}

/* EVFD-02 eventfd(2): read() of a zero counter blocks until a write() of 2, then returns 2. */
TEST_F(evfd, read_of_zero_counter_blocks_until_write)
{
	struct sc_child c;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_CLOEXEC));
	SC_CHILD_START(&c, "the reader", read_expecting_two, &self->fd, SC_READY_ONLY);
	EXPECT_CHILD_BLOCKED(&c, "read()");
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 2));
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* EVFD-02 eventfd(2): under EFD_NONBLOCK read() of a zero counter fails with EAGAIN; after a write() of 1 it returns 1. */
TEST_F(evfd, nonblock_read_of_zero_counter_fails_eagain)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EAGAIN, read_u64(self->fd, &v));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 1));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
}

/* EVFD-02 eventfd(2): read() and write() with a buffer under 8 bytes (4, 7) fail with EINVAL and leave the counter as it was. */
TEST_F(evfd, short_buffer_read_and_write_fail_einval)
{
	static const size_t sizes[] = { 4, 7 };
	uint64_t v = 9;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t len = sizes[i];

		EXPECT_SYSCALL_FAILS(EINVAL, read(self->fd, &v, len));
		EXPECT_SYSCALL_FAILS(EINVAL, write(self->fd, &v, len));
	}
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(3, v);
}

/* EVFD-02 eventfd(2): writing 0xffffffffffffffff fails with EINVAL and adds nothing; a write of 1 then succeeds. */
TEST_F(evfd, write_of_all_ones_fails_einval)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EINVAL, write_u64(self->fd, UINT64_MAX));
	EXPECT_NOTHING_TO_READ(self->fd, "after the refused write");
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 1));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
}

/* EVFD-02 eventfd(2): the counter holds 0xfffffffffffffffe; under EFD_NONBLOCK a write of 1 more fails with EAGAIN. */
TEST_F(evfd, write_beyond_maximum_nonblock_fails_eagain)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, EVFD_MAX - 1));
	EXPECT_SYSCALL_RETURNS(8, write_u64(self->fd, 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, write_u64(self->fd, 1));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(EVFD_MAX, v);
}

/* A child that writes 1 to the eventfd *DATA: ready right before the write() that should block. */
static int write_one(void *data)
{
	sc_child_send();
	SC_CHILD_CALL(write_u64(*(int *)data, 1));
	return SC_CHILD_OK;
}

/* EVFD-02 eventfd(2): at 0xfffffffffffffffe a write() of 1 blocks until a read() empties the counter; then the 1 is there. */
TEST_F(evfd, write_beyond_maximum_blocks_until_read)
{
	struct sc_child c;
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, EVFD_MAX));
	SC_CHILD_START(&c, "the writer", write_one, &self->fd, SC_READY_ONLY);
	EXPECT_CHILD_BLOCKED(&c, "write()");
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(EVFD_MAX, v);
	EXPECT_CHILD_SUCCEEDED(&c);
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
}

/* EVFD-03 eventfd(2): with EFD_SEMAPHORE and initval 3, three read()s return 1 each and the fourth fails with EAGAIN. */
TEST_F(evfd, semaphore_read_returns_one_and_decrements)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
	for (int i = 1; i <= 3; i++) {
		EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
		EXPECT_EQ(1, v) {
			TH_LOG("read %d of a semaphore counter of 3 gave %llu", i, (unsigned long long)v);
		}
	}
	EXPECT_SYSCALL_FAILS(EAGAIN, read_u64(self->fd, &v));
}

/* EVFD-03 eventfd(2): with EFD_SEMAPHORE a write() of 2 allows exactly two read()s of 1. */
TEST_F(evfd, semaphore_write_adds_reads_of_one)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 2));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
	EXPECT_SYSCALL_FAILS(EAGAIN, read_u64(self->fd, &v));
}

/* EVFD-04 eventfd(2): poll() reports POLLIN exactly while the counter is > 0, and POLLOUT throughout. */
TEST_F(evfd, poll_reports_pollin_while_counter_positive)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	EXPECT_EQ(POLLOUT, poll_revents(self->fd, POLLIN | POLLOUT, 0));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 1));
	EXPECT_EQ(POLLIN | POLLOUT, poll_revents(self->fd, POLLIN | POLLOUT, 0));
	ASSERT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(POLLOUT, poll_revents(self->fd, POLLIN | POLLOUT, 0));
}

/* EVFD-04 eventfd(2): a write() of 0 succeeds without making the eventfd readable; a write() of 1 does. */
TEST_F(evfd, write_of_zero_does_not_make_readable)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(8, write_u64(self->fd, 0));
	EXPECT_EQ(0, poll_revents(self->fd, POLLIN, 0));
	EXPECT_SYSCALL_FAILS(EAGAIN, read_u64(self->fd, &v));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 1));
	EXPECT_EQ(POLLIN, poll_revents(self->fd, POLLIN, 0));
}

/* EVFD-04 eventfd(2): at 0xfffffffffffffffe poll() reports no POLLOUT (a write of 1 would block); after a read() it does. */
TEST_F(evfd, poll_drops_pollout_at_maximum)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, EVFD_MAX - 1));
	EXPECT_EQ(POLLIN | POLLOUT, poll_revents(self->fd, POLLIN | POLLOUT, 0));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 1));
	EXPECT_EQ(POLLIN, poll_revents(self->fd, POLLIN | POLLOUT, 0));
	ASSERT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(POLLOUT, poll_revents(self->fd, POLLIN | POLLOUT, 0));
}

struct evfd_child {
	int fd;
	uint64_t got;	/* what the child read */
};

/* A child that reads the inherited eventfd (at once: EFD_NONBLOCK), then writes 5 to it. */
static int read_then_write_five(void *data)
{
	struct evfd_child *r = data;

	SC_CHILD_CALL(read_u64(r->fd, &r->got));
	SC_CHILD_CALL(write_u64(r->fd, 5));
	return SC_CHILD_OK;
}

/* EVFD-05 eventfd(2): after fork() the child's read() takes the parent's 2, and the parent reads the child's write() of 5. */
TEST_F(evfd, fork_child_shares_counter)
{
	struct evfd_child r = { .got = 0 };
	struct sc_child c;
	uint64_t v;

	SC_REQUIRE_FEATURE(eventfd);
	self->fd = r.fd = SC_OK(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(8, write_u64(self->fd, 2));
	sc_child_run(&c, "the child", read_then_write_five, &r, sizeof(r));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(2, r.got);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(5, v) {
		TH_LOG("the parent read %llu, expected the child's 5", (unsigned long long)v);
	}
}

/* EVFD-16 eventfd(2): eventfd() with an unknown flag (0x2, 0x10000000) fails with EINVAL. */
TEST(eventfd_unknown_flag_fails_einval)
{
	SC_REQUIRE_FEATURE(eventfd);
	EXPECT_SYSCALL_FAILS(EINVAL, eventfd(0, 0x2));
	EXPECT_SYSCALL_FAILS(EINVAL, eventfd(0, 0x10000000));
	EXPECT_SYSCALL_FAILS(EINVAL, eventfd(0, EFD_SEMAPHORE | EFD_NONBLOCK | 0x10000000));
}

TEST_HARNESS_MAIN
