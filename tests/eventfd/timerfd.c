// SPDX-License-Identifier: GPL-2.0-only
/*
 * timerfd_create(2): one-shot and periodic timers on CLOCK_MONOTONIC, expiration
 * counts, TFD_TIMER_ABSTIME, timerfd_gettime() and the errors. Timers are short
 * (1-40 ms) and checked by lower bounds only (a timer never fires early); every
 * "has not fired" check is paired with a timer that does fire, every wait bounded.
 * Man page: timerfd_create(2).
 */
#include "eventfd.h"

ONE_FD_FIXTURE(tfd)

/* Arm FD relative to now: VALUE_NS, then every INTERVAL_NS (0: one-shot). */
static int arm(int fd, int64_t value_ns, int64_t interval_ns)
{
	struct itimerspec its = its_ns(value_ns, interval_ns);

	return timerfd_settime(fd, 0, &its, NULL);
}

/* The case fails unless the expiration came no earlier than MS ms after T0 (ns). */
#define EXPECT_NOT_BEFORE_MS(ms, t0) do {				\
	int64_t waited_ns = sc_now_ns() - (t0);				\
	EXPECT_LE(MS(ms), waited_ns) {					\
		TH_LOG("a timer of %d ms fired after %lld us", ms,	\
		       (long long)waited_ns / 1000);			\
	}								\
} while (0)

/* EVFD-10 timerfd_create(2): before a one-shot timer expires read() fails with EAGAIN; after it, read() returns 1 once, then EAGAIN. */
TEST_F(tfd, one_shot_reads_one_expiration_then_eagain)
{
	uint64_t v;
	int64_t t0;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(30000), 0));
	EXPECT_NOTHING_TO_READ(self->fd, "30 s before the expiry");
	t0 = sc_now_ns();
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(20), 0));
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	EXPECT_NOT_BEFORE_MS(20, t0);
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
	EXPECT_NOTHING_TO_READ(self->fd, "after the one expiration was read");
}

/* EVFD-10 timerfd_create(2): a blocking read() of a one-shot timer of 30 ms waits for the expiry and returns 1. */
TEST_F(tfd, blocking_read_waits_for_expiry)
{
	uint64_t v;
	int64_t t0;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	t0 = sc_now_ns();
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(30), 0));
	sc_interrupt_after(EVENT_MS);
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	sc_interrupt_off();
	EXPECT_NOT_BEFORE_MS(30, t0);
	EXPECT_EQ(1, v);
}

/* Sleep until T (CLOCK_MONOTONIC ns): the measured window of a periodic timer. */
static void sleep_until(int64_t t)
{
	struct timespec ts = ns_to_ts(t);

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* EVFD-11 timerfd_create(2): a periodic timer of 1 ms read after 20 ms returns at least 10 expirations, and no more than the ms elapsed; the next read() counts only those since. */
TEST_F(tfd, periodic_read_returns_expirations_since_last_read)
{
	int64_t t0, before_read, t1, t2;
	uint64_t v;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	t0 = sc_now_ns();
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(1), MS(1)));
	sleep_until(t0 + MS(20));
	before_read = sc_now_ns();
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	t1 = sc_now_ns();
	EXPECT_LE(10, v);
	EXPECT_GE((t1 - t0) / MS(1), (int64_t)v) {
		TH_LOG("%llu expirations of 1 ms in %lld us", (unsigned long long)v,
		       (long long)(t1 - t0) / 1000);
	}
	sleep_until(t1 + MS(10));
	t0 = before_read;	/* the first read() reset the count no earlier than this */
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	t2 = sc_now_ns();
	EXPECT_LE(5, v);
	EXPECT_GE((t2 - t0) / MS(1) + 1, (int64_t)v) {
		TH_LOG("the second read() gave %llu expirations in %lld us since the first",
		       (unsigned long long)v, (long long)(t2 - t0) / 1000);
	}
}

/* EVFD-12 timerfd_create(2): with TFD_TIMER_ABSTIME an it_value 1 ms in the past expires at once: read() returns 1. */
TEST_F(tfd, abstime_in_past_expires_at_once)
{
	struct itimerspec its;
	uint64_t v;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	its = its_ns(sc_now_ns() - MS(1), 0);
	ASSERT_SYSCALL_RETURNS(0, timerfd_settime(self->fd, TFD_TIMER_ABSTIME, &its, NULL));
	EXPECT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS)) {
		TH_LOG("an absolute expiry in the past did not fire in %d ms", EVENT_MS);
	}
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
}

/* EVFD-13 timerfd_create(2): timerfd_gettime() of a timer armed with TFD_TIMER_ABSTIME at now + 100 s gives the time left, 99-100 s. */
TEST_F(tfd, gettime_of_abstime_timer_is_relative)
{
	struct itimerspec its, cur;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	its = its_ns(sc_now_ns() + MS(100000), 0);
	ASSERT_SYSCALL_RETURNS(0, timerfd_settime(self->fd, TFD_TIMER_ABSTIME, &its, NULL));
	ASSERT_SYSCALL_RETURNS(0, timerfd_gettime(self->fd, &cur));
	EXPECT_LE(MS(99000), ts_to_ns(cur.it_value));
	EXPECT_GE(MS(100000), ts_to_ns(cur.it_value)) {
		TH_LOG("it_value %lld.%09ld s, expected the 100 s left",
		       (long long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	}
	EXPECT_EQ(0, ts_to_ns(cur.it_interval));
}

/* EVFD-13 timerfd_create(2): timerfd_gettime() of a timer never armed gives zeros. */
TEST_F(tfd, gettime_of_disarmed_timer_is_zero)
{
	struct itimerspec cur;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	memset(&cur, 0x55, sizeof(cur));
	ASSERT_SYSCALL_RETURNS(0, timerfd_gettime(self->fd, &cur));
	EXPECT_EQ(0, ts_to_ns(cur.it_value));
	EXPECT_EQ(0, ts_to_ns(cur.it_interval));
}

/* EVFD-13 timerfd_create(2): it_value {0,0} disarms a timer of 20 ms (gettime gives zeros); it has not fired when a control timer of 40 ms has. */
TEST_F(tfd, zero_it_value_disarms)
{
	struct itimerspec zero = { 0 }, old, cur;
	int ctl;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	ctl = SC_SETUP(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(20), 0));
	ASSERT_SYSCALL_RETURNS(0, arm(ctl, MS(40), 0));
	ASSERT_SYSCALL_RETURNS(0, timerfd_settime(self->fd, 0, &zero, &old));
	EXPECT_LT(0, ts_to_ns(old.it_value));
	ASSERT_SYSCALL_RETURNS(0, timerfd_gettime(self->fd, &cur));
	EXPECT_EQ(0, ts_to_ns(cur.it_value));
	EXPECT_EQ(POLLIN, poll_revents(ctl, POLLIN, EVENT_MS));
	EXPECT_EQ(0, poll_revents(self->fd, POLLIN, 0)) {
		TH_LOG("the disarmed timer fired");
	}
	close(ctl);
}

/* EVFD-13 timerfd_create(2): timerfd_settime()'s old_value returns the previous setting (9-10 s left, interval 1 s). */
TEST_F(tfd, settime_old_value_returns_previous_setting)
{
	struct itimerspec its = its_ns(MS(20000), 0), old, cur;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(10000), MS(1000)));
	memset(&old, 0x55, sizeof(old));
	ASSERT_SYSCALL_RETURNS(0, timerfd_settime(self->fd, 0, &its, &old));
	EXPECT_LT(MS(9000), ts_to_ns(old.it_value));
	EXPECT_GE(MS(10000), ts_to_ns(old.it_value));
	EXPECT_EQ(MS(1000), ts_to_ns(old.it_interval));
	ASSERT_SYSCALL_RETURNS(0, timerfd_gettime(self->fd, &cur));
	EXPECT_LT(MS(19000), ts_to_ns(cur.it_value));
	EXPECT_GE(MS(20000), ts_to_ns(cur.it_value));
	EXPECT_EQ(0, ts_to_ns(cur.it_interval));
}

/* EVFD-14 timerfd_create(2): timerfd_create() with a clock it does not take or an unknown flag fails with EINVAL. */
TEST(timerfd_create_unknown_clock_or_flag_fails_einval)
{
	static const struct { clockid_t clock; int flags; const char *what; } bad[] = {
		{ 12345, 0, "clockid 12345" },
		{ CLOCK_PROCESS_CPUTIME_ID, 0, "CLOCK_PROCESS_CPUTIME_ID" },
		{ CLOCK_MONOTONIC, TFD_TIMER_ABSTIME, "TFD_TIMER_ABSTIME (a timerfd_settime() flag)" },
		{ CLOCK_MONOTONIC, 0x10000000, "flag 0x10000000" },
	};
	int fd, seen_errno;

	SC_REQUIRE_FEATURE(timerfd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		errno = 0;
		fd = timerfd_create(bad[i].clock, bad[i].flags);
		seen_errno = fd == -1 ? errno : 0;
		EXPECT_EQ(EINVAL, seen_errno) {
			TH_LOG("timerfd_create() with %s: %s, expected EINVAL", bad[i].what,
			       fd == -1 ? sc_errname(seen_errno) : "succeeded");
		}
	}
	fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	close(fd);
}

/* EVFD-14 timerfd_create(2): timerfd_settime() with tv_nsec 1000000000 in it_value or it_interval fails with EINVAL and arms nothing. */
TEST_F(tfd, settime_nsec_out_of_range_fails_einval)
{
	struct itimerspec bad_value = { .it_value = { 1, 1000000000 } };
	struct itimerspec bad_interval = { .it_value = { 1, 0 }, .it_interval = { 0, 1000000000 } };
	struct itimerspec good = { .it_value = { 1, 999999999 } }, cur;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EINVAL, timerfd_settime(self->fd, 0, &bad_value, NULL));
	EXPECT_SYSCALL_FAILS(EINVAL, timerfd_settime(self->fd, 0, &bad_interval, NULL));
	ASSERT_SYSCALL_RETURNS(0, timerfd_gettime(self->fd, &cur));
	EXPECT_EQ(0, ts_to_ns(cur.it_value)) {
		TH_LOG("a refused timerfd_settime() armed the timer");
	}
	EXPECT_SYSCALL_RETURNS(0, timerfd_settime(self->fd, 0, &good, NULL));
}

/* EVFD-14 timerfd_create(2): read() of an expired timer with a buffer of 4 or 7 bytes fails with EINVAL; 8 bytes read the 1. */
TEST_F(tfd, short_buffer_read_fails_einval)
{
	uint64_t v = 0;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, 1, 0));
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	EXPECT_SYSCALL_FAILS(EINVAL, read(self->fd, &v, 4));
	EXPECT_SYSCALL_FAILS(EINVAL, read(self->fd, &v, 7));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v);
}

/* EVFD-15 timerfd_create(2): timerfd_settime() on an expired, unread timer discards its expiration: read() fails with EAGAIN, and after the next setting of 20 ms expires it returns 1. */
TEST_F(tfd, settime_discards_unread_expirations)
{
	uint64_t v;

	SC_REQUIRE_FEATURE(timerfd);
	self->fd = SC_OK(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, 1, 0));
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(30000), 0));
	EXPECT_NOTHING_TO_READ(self->fd, "after re-arming an expired timer for 30 s");
	ASSERT_SYSCALL_RETURNS(0, arm(self->fd, MS(20), 0));
	ASSERT_EQ(POLLIN, poll_revents(self->fd, POLLIN, EVENT_MS));
	EXPECT_SYSCALL_RETURNS(8, read_u64(self->fd, &v));
	EXPECT_EQ(1, v) {
		TH_LOG("%llu expirations: the one before timerfd_settime() was kept", (unsigned long long)v);
	}
}

TEST_HARNESS_MAIN
