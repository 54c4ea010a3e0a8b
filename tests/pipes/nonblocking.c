// SPDX-License-Identifier: GPL-2.0-only
/*
 * O_NONBLOCK pipes, set by pipe2() or by fcntl(F_SETFL): EAGAIN on an empty read,
 * the PIPE_BUF rules for writes that do not fit, and the default capacity seen by
 * non-blocking writes. Every call that could block is interrupted after 500 ms.
 * Man pages: pipe(7), pipe(2), fcntl(2).
 */
#include <sys/ioctl.h>
#include <sys/time.h>

#include "sysconform.h"

#define GUARD_MS 500	/* a call that blocks although it must not is interrupted */
#define CAPACITY 65536	/* PIPE-12 */

FIXTURE(nonblocking_pipe) {
	struct sc_pipe p;
	char buf[5 * PIPE_BUF];
	char why[96];
	const char *unavailable;
};

FIXTURE_VARIANT(nonblocking_pipe) {
	bool setfl;	/* O_NONBLOCK from fcntl(F_SETFL) instead of pipe2() */
};

FIXTURE_VARIANT_ADD(nonblocking_pipe, pipe2) {
	.setfl = false,
};

FIXTURE_VARIANT_ADD(nonblocking_pipe, setfl) {
	.setfl = true,
};

FIXTURE_SETUP(nonblocking_pipe)
{
	self->p.rd = self->p.wr = -1;
	self->unavailable = NULL;
	memset(self->buf, 'x', sizeof(self->buf));
	if (!variant->setfl) {
		const struct sc_feature *f = sc_feature(flags_2627);

		if (f->status != SC_SUPPORTED) {
			snprintf(self->why, sizeof(self->why), "feature %s %s: %s", f->name,
				 sc_status_name(f->status), sc_probe_errname(f->err));
			self->unavailable = self->why;
			return;
		}
		sc_pipe_setup(_metadata, &self->p, O_NONBLOCK);
	} else {
		sc_pipe_setup(_metadata, &self->p, 0);
		SC_SETUP(fcntl(self->p.rd, F_SETFL, SC_SETUP(fcntl(self->p.rd, F_GETFL)) | O_NONBLOCK));
		SC_SETUP(fcntl(self->p.wr, F_SETFL, SC_SETUP(fcntl(self->p.wr, F_GETFL)) | O_NONBLOCK));
	}
	sc_interrupt_after(GUARD_MS);
}

FIXTURE_TEARDOWN(nonblocking_pipe)
{
	sc_interrupt_off();
	sc_pipe_teardown(&self->p);
}

/* Write PIPE_BUF-byte chunks until EAGAIN: the total written, or -errno of another failure. */
static long fill(FIXTURE_DATA(nonblocking_pipe) *self)
{
	long total = 0;

	for (;;) {
		ssize_t n = write(self->p.wr, self->buf, PIPE_BUF);

		if (n < 0)
			return errno == EAGAIN ? total : -errno;
		total += n;
		if (total > 64 * CAPACITY)
			return -EFBIG;	/* no end in sight */
	}
}

#define ASSERT_FILLED(self, want) do {					\
	long _n = fill(self);						\
	ASSERT_EQ((long)(want), _n) {					\
		TH_LOG("filling the pipe: %s",				\
		       _n < 0 ? sc_errname((int)-_n) : "other capacity");\
	}								\
} while (0)

static int unread(int fd)
{
	int n = -1;

	return ioctl(fd, FIONREAD, &n) == 0 ? n : -1;
}

/* PIPE-03 pipe(7): with O_NONBLOCK, read() on an empty pipe whose write end is open fails with EAGAIN. */
TEST_F(nonblocking_pipe, read_on_empty_pipe_fails_eagain)
{
	char c;

	SC_SKIP_IF_UNAVAILABLE();
	EXPECT_SYSCALL_FAILS(EAGAIN, read(self->p.rd, &c, 1));
}

/* PIPE-03 read(2): with O_NONBLOCK and 3 bytes queued, a 100-byte read() returns 3, and the next one fails with EAGAIN. */
TEST_F(nonblocking_pipe, read_returns_available_bytes_then_eagain)
{
	char buf[100];

	SC_SKIP_IF_UNAVAILABLE();
	ASSERT_EQ(3, SC_OK(write(self->p.wr, "abc", 3)));
	EXPECT_EQ(3, read(self->p.rd, buf, sizeof(buf))) {
		TH_LOG("read: %s", sc_errname(errno));
	}
	EXPECT_SYSCALL_FAILS(EAGAIN, read(self->p.rd, buf, sizeof(buf)));
}

/* PIPE-12 pipe(7): O_NONBLOCK writes of PIPE_BUF bytes to a new pipe stop with EAGAIN after exactly 65536 bytes. */
TEST_F(nonblocking_pipe, nonblocking_writes_stop_after_65536_bytes)
{
	SC_SKIP_IF_UNAVAILABLE();
	ASSERT_FILLED(self, CAPACITY);
	EXPECT_EQ(CAPACITY, unread(self->p.rd));
}

/* PIPE-09 pipe(7): with 100 bytes free, an O_NONBLOCK write of 200 or PIPE_BUF bytes fails with EAGAIN and writes nothing. */
TEST_F(nonblocking_pipe, small_write_without_room_fails_eagain)
{
	char c[100];

	SC_SKIP_IF_UNAVAILABLE();
	ASSERT_FILLED(self, CAPACITY);
	ASSERT_EQ(100, SC_OK(read(self->p.rd, c, sizeof(c))));
	EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, self->buf, 200));
	EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, self->buf, PIPE_BUF));
	EXPECT_EQ(CAPACITY - 100, unread(self->p.rd));
}

/* PIPE-09 pipe(7): an O_NONBLOCK write of 1 or PIPE_BUF bytes to a full pipe fails with EAGAIN and writes nothing. */
TEST_F(nonblocking_pipe, small_write_to_full_pipe_fails_eagain)
{
	SC_SKIP_IF_UNAVAILABLE();
	ASSERT_FILLED(self, CAPACITY);
	EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, "x", 1));
	EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, self->buf, PIPE_BUF));
	EXPECT_EQ(CAPACITY, unread(self->p.rd));
}

/*
 * PIPE-07 PIPE-09 PIPE-10 pipe(7): with 1 to 4095 bytes of room, an O_NONBLOCK write of PIPE_BUF = 4096 bytes fails EAGAIN, one of 4097 writes part.
 * Linux: the room is the tail of the page that holds the last byte written; it takes a write's last (n % 4096) bytes.
 */
TEST_F(nonblocking_pipe, pipe_buf_of_4096_bytes_is_the_atomic_write_limit)
{
	char page[PIPE_BUF];
	long full;
	ssize_t n;

	SC_SKIP_IF_UNAVAILABLE();
	full = fill(self);
	ASSERT_LE(PIPE_BUF, full) {
		TH_LOG("filling the pipe: %s", full < 0 ? sc_errname((int)-full) : "too small");
	}
	ASSERT_EQ(PIPE_BUF, SC_OK(read(self->p.rd, page, PIPE_BUF)));
	ASSERT_EQ(1, SC_OK(write(self->p.wr, "y", 1)));
	EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, self->buf, PIPE_BUF));
	n = write(self->p.wr, self->buf, PIPE_BUF + 1);
	EXPECT_LE(1, n) {
		TH_LOG("write of PIPE_BUF + 1 bytes with room: %zd %s", n, n < 0 ? sc_errname(errno) : "");
	}
	EXPECT_GE(PIPE_BUF - 1, n);
	EXPECT_EQ(full - PIPE_BUF + 1 + (n > 0 ? n : 0), unread(self->p.rd));
}

/* PIPE-10 pipe(7): an O_NONBLOCK write of 2 * PIPE_BUF bytes to a full pipe fails with EAGAIN and writes nothing. */
TEST_F(nonblocking_pipe, large_write_to_full_pipe_fails_eagain)
{
	SC_SKIP_IF_UNAVAILABLE();
	ASSERT_FILLED(self, CAPACITY);
	EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, self->buf, 2 * PIPE_BUF));
	EXPECT_EQ(CAPACITY, unread(self->p.rd));
}

/* PIPE-10 pipe(7): with 3 * PIPE_BUF bytes free, an O_NONBLOCK write of 5 * PIPE_BUF bytes writes between 1 and 3 * PIPE_BUF bytes and returns that count. */
TEST_F(nonblocking_pipe, large_write_with_some_room_writes_partial_count)
{
	static char drain[3 * PIPE_BUF];
	ssize_t n;

	SC_SKIP_IF_UNAVAILABLE();
	ASSERT_FILLED(self, CAPACITY);
	ASSERT_EQ((ssize_t)sizeof(drain), SC_OK(read(self->p.rd, drain, sizeof(drain))));
	n = write(self->p.wr, self->buf, 5 * PIPE_BUF);
	ASSERT_LT(0, n) {
		TH_LOG("write: %s", sc_errname(errno));
	}
	EXPECT_GE(3 * PIPE_BUF, n);
	EXPECT_EQ(CAPACITY - 3 * PIPE_BUF + n, unread(self->p.rd));
}

/* PIPE-10 pipe(7): an O_NONBLOCK write of 100000 bytes to an empty pipe of 65536 returns a partial count from 1 to 65536, all queued; the next write fails with EAGAIN when full. */
TEST_F(nonblocking_pipe, large_write_to_empty_pipe_returns_partial_count)
{
	static char big[100000];
	ssize_t n;

	SC_SKIP_IF_UNAVAILABLE();
	n = write(self->p.wr, big, sizeof(big));
	ASSERT_LT(0, n) {
		TH_LOG("write: %s", sc_errname(errno));
	}
	EXPECT_GE(CAPACITY, n);
	EXPECT_EQ(n, unread(self->p.rd));
	if (n == CAPACITY) {
		EXPECT_SYSCALL_FAILS(EAGAIN, write(self->p.wr, big, sizeof(big)));
	}
}

TEST_HARNESS_MAIN
