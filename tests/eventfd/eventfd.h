/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * eventfd.h: what the eventfd, signalfd and timerfd programs share: a fixture that
 * is one descriptor (closed in teardown), the 8-byte reads and writes of a
 * counter, and a bounded poll() of one descriptor. No case touches files.
 */
#ifndef SYSCONFORM_EVENTFD_H
#define SYSCONFORM_EVENTFD_H

#include <poll.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>

#include "sysconform.h"

#define EVENT_MS 1000	/* bound for something that should happen at once */
#define EVFD_MAX 0xfffffffffffffffeULL	/* the largest value of an eventfd counter */

/* The fixture NAME (case ids carry it): one descriptor fd, -1 until a test sets it. */
#define ONE_FD_FIXTURE(name)						\
FIXTURE(name) {								\
	int fd;								\
};									\
FIXTURE_SETUP(name)							\
{									\
	self->fd = -1;							\
}									\
FIXTURE_TEARDOWN(name)							\
{									\
	sc_close(&self->fd);						\
}

/* read() of one 8-byte value into *V (poisoned first): read()'s result. */
static inline ssize_t read_u64(int fd, uint64_t *v)
{
	*v = 0xdeadbeefdeadbeefULL;
	return read(fd, v, sizeof(*v));
}

/* write() of the 8-byte value V: write()'s result. */
static inline ssize_t write_u64(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v));
}

/*
 * A non-blocking read() of FD finds nothing: it fails with EAGAIN. Otherwise the
 * case fails with WHY and what was read: "after the read of 5: read() gave 5,
 * expected EAGAIN".
 */
#define EXPECT_NOTHING_TO_READ(fd, why) do {				\
	uint64_t _sc_v;							\
	ssize_t _sc_n;							\
	int _sc_e, read_errno;						\
									\
	errno = 0;							\
	_sc_n = read_u64(fd, &_sc_v);					\
	_sc_e = errno;							\
	read_errno = _sc_n == -1 ? _sc_e : 0;				\
	EXPECT_EQ(EAGAIN, read_errno) {					\
		if (_sc_n == 8)						\
			TH_LOG("%s: read() gave %llu, expected EAGAIN", why,	\
			       (unsigned long long)_sc_v);		\
		else							\
			TH_LOG("%s: read() -> %zd %s, expected EAGAIN", why,	\
			       _sc_n, _sc_n == -1 ? sc_errname(_sc_e) : "");	\
	}								\
} while (0)

/*
 * poll() FD for EVENTS at most MS ms (an interrupted poll goes on): its revents,
 * 0 when nothing came, -1 with errno when poll() failed.
 */
static inline int poll_revents(int fd, short events, int ms)
{
	struct pollfd pf = { .fd = fd, .events = events };
	int64_t deadline = sc_now_ns() + (int64_t)ms * 1000000;
	int r;

	for (;;) {
		int64_t left = deadline - sc_now_ns();

		r = poll(&pf, 1, left > 0 ? (int)(left / 1000000) : 0);
		if (r >= 0 || errno != EINTR)
			break;
	}
	return r < 0 ? -1 : r == 0 ? 0 : pf.revents;
}

static inline struct timespec ns_to_ts(int64_t ns)
{
	return (struct timespec){ ns / 1000000000, ns % 1000000000 };
}

static inline int64_t ts_to_ns(struct timespec ts)
{
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* An itimerspec of VALUE_NS and INTERVAL_NS. */
static inline struct itimerspec its_ns(int64_t value_ns, int64_t interval_ns)
{
	return (struct itimerspec){ .it_value = ns_to_ts(value_ns),
				    .it_interval = ns_to_ts(interval_ns) };
}

#define MS(n) ((int64_t)(n) * 1000000)

#endif /* SYSCONFORM_EVENTFD_H */
