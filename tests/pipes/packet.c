// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet mode pipes, pipe2(O_DIRECT): each write is a packet, a read returns at
 * most one packet and drops what it did not take, writes over PIPE_BUF become
 * several packets. Each read waits at most 1 s for data (poll), so that a pipe
 * without packets, whose first read took everything, cannot block the next; and
 * alarm() ends a test whose write blocks (more packets than the pipe's slots).
 * Man pages: pipe(2) "O_DIRECT".
 */
#include "sysconform.h"

#define EVENT_MS 1000
#define TEST_S 2	/* alarm() of the test process */

/* read() after poll(POLLIN) of at most EVENT_MS: its result, or -1 with ETIMEDOUT. */
static ssize_t read_packet(int fd, void *buf, size_t n)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, EVENT_MS) == 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	return read(fd, buf, n);
}

FIXTURE(packet_pipe) {
	struct sc_pipe p;
	char buf[2 * PIPE_BUF];
};

FIXTURE_SETUP(packet_pipe)
{
	memset(self->buf, 0, sizeof(self->buf));
	/* the test starts with SC_REQUIRE_FEATURE(pipe_packet), which probes this */
	sc_pipe_open(&self->p, O_DIRECT);
	alarm(TEST_S);
}

FIXTURE_TEARDOWN(packet_pipe)
{
	alarm(0);
	sc_pipe_teardown(&self->p);
}

#define ASSERT_PACKET_PIPE() do {					\
	SC_REQUIRE_FEATURE(pipe_packet);				\
	if (self->p.rd < 0)						\
		SC_ERROR("pipe2(O_DIRECT) failed although the probe worked");\
} while (0)

/* PIPE-16 pipe(2): in packet mode writes "a", "bb", "ccc" come back from 100-byte reads as three packets of 1, 2 and 3 bytes. */
TEST_F(packet_pipe, each_write_is_read_back_as_one_packet)
{
	ASSERT_PACKET_PIPE();
	ASSERT_EQ(1, SC_OK(write(self->p.wr, "a", 1)));
	ASSERT_EQ(2, SC_OK(write(self->p.wr, "bb", 2)));
	ASSERT_EQ(3, SC_OK(write(self->p.wr, "ccc", 3)));
	EXPECT_EQ(1, read_packet(self->p.rd, self->buf, 100));
	EXPECT_EQ(2, read_packet(self->p.rd, self->buf, 100));
	EXPECT_EQ(3, read_packet(self->p.rd, self->buf, 100));
	EXPECT_EQ(0, memcmp("ccc", self->buf, 3));
}

/* PIPE-16 pipe(2): a 2-byte read of the packet "abcdef" returns "ab" and drops "cdef": the next read returns the next packet "gh". */
TEST_F(packet_pipe, short_read_discards_rest_of_packet)
{
	ASSERT_PACKET_PIPE();
	ASSERT_EQ(6, SC_OK(write(self->p.wr, "abcdef", 6)));
	ASSERT_EQ(2, SC_OK(write(self->p.wr, "gh", 2)));
	ASSERT_EQ(2, SC_OK(read_packet(self->p.rd, self->buf, 2)));
	EXPECT_EQ(0, memcmp("ab", self->buf, 2));
	EXPECT_EQ(2, read_packet(self->p.rd, self->buf, 100));
	EXPECT_EQ(0, memcmp("gh", self->buf, 2));
}

/* PIPE-16 pipe(2): a write of 6000 bytes (over PIPE_BUF) becomes packets of PIPE_BUF and 1904 bytes. */
TEST_F(packet_pipe, write_over_pipe_buf_is_split_into_packets)
{
	static char big[6000];

	ASSERT_PACKET_PIPE();
	memset(big, 's', sizeof(big));
	ASSERT_EQ(6000, SC_OK(write(self->p.wr, big, sizeof(big))));
	EXPECT_EQ(PIPE_BUF, read_packet(self->p.rd, self->buf, sizeof(self->buf)));
	EXPECT_EQ(6000 - PIPE_BUF, read_packet(self->p.rd, self->buf, sizeof(self->buf)));
}

/* PIPE-16 pipe(2): a packet of exactly PIPE_BUF bytes is one packet: reads of 2 * PIPE_BUF return PIPE_BUF, then the 1-byte packet behind it. */
TEST_F(packet_pipe, pipe_buf_write_is_a_single_packet)
{
	static char page[PIPE_BUF];

	ASSERT_PACKET_PIPE();
	memset(page, 'p', sizeof(page));
	ASSERT_EQ(PIPE_BUF, SC_OK(write(self->p.wr, page, sizeof(page))));
	ASSERT_EQ(1, SC_OK(write(self->p.wr, "z", 1)));
	EXPECT_EQ(PIPE_BUF, read_packet(self->p.rd, self->buf, sizeof(self->buf)));
	EXPECT_EQ(1, read_packet(self->p.rd, self->buf, sizeof(self->buf)));
	EXPECT_EQ('z', self->buf[0]);
}

/* PIPE-16 pipe(2): packet boundaries hold across partial reads: packets "12345" and "678", reads of 3 bytes return "123" then "678". */
TEST_F(packet_pipe, next_read_starts_at_next_packet_boundary)
{
	ASSERT_PACKET_PIPE();
	ASSERT_EQ(5, SC_OK(write(self->p.wr, "12345", 5)));
	ASSERT_EQ(3, SC_OK(write(self->p.wr, "678", 3)));
	ASSERT_EQ(3, SC_OK(read_packet(self->p.rd, self->buf, 3)));
	EXPECT_EQ(0, memcmp("123", self->buf, 3));
	ASSERT_EQ(3, SC_OK(read_packet(self->p.rd, self->buf, 3)));
	EXPECT_EQ(0, memcmp("678", self->buf, 3));
}

TEST_HARNESS_MAIN
