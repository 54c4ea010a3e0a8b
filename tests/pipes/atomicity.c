// SPDX-License-Identifier: GPL-2.0-only
/*
 * PIPE_BUF and write atomicity: the C library's PIPE_BUF, concurrent writers of records
 * of at most PIPE_BUF bytes that must never interleave, and blocking writes larger
 * than PIPE_BUF that return only when complete.
 * Man pages: pipe(7), fpathconf(3), write(2).
 */
#include <pthread.h>

#include "sysconform.h"

#define EVENT_MS 1000	/* bound for each read of data that is being written */
#define WRITERS 8
#define STREAM (2 << 20)	/* bytes through the pipe: 8 writers x 64 records of 4096 */
#define LARGE (192 * 1024)	/* a blocking write of three pipe capacities */

FIXTURE(writers) {
	struct sc_pipe p, go;	/* the pipe under test; go lets the writers start (sc_release()) */
	struct sc_child kids[WRITERS];
	int nkids;
	pthread_t threads[WRITERS];
	int nthreads;
};

FIXTURE_VARIANT(writers) {
	size_t record;	/* bytes per write() */
	bool threads;	/* writers are threads of the test process, not children */
};

/* Records of PIPE_BUF bytes from forked writer processes. */
FIXTURE_VARIANT_ADD(writers, pipe_buf) {
	.record = PIPE_BUF,
	.threads = false,
};

/* Records of 512 bytes, the POSIX minimum of PIPE_BUF. */
FIXTURE_VARIANT_ADD(writers, small) {
	.record = 512,
	.threads = false,
};

/* Records of PIPE_BUF bytes from threads sharing one descriptor. */
FIXTURE_VARIANT_ADD(writers, threads) {
	.record = PIPE_BUF,
	.threads = true,
};

FIXTURE_SETUP(writers)
{
	signal(SIGPIPE, SIG_IGN);	/* a writer left alone gets EPIPE, not killed */
	sc_pipe_setup(_metadata, &self->p, 0);
	sc_pipe_setup(_metadata, &self->go, O_CLOEXEC);
}

FIXTURE_TEARDOWN(writers)
{
	sc_pipe_teardown(&self->p);
	sc_pipe_teardown(&self->go);
	for (int i = 0; i < self->nkids; i++)
		sc_child_end(&self->kids[i]);
	for (int i = 0; i < self->nthreads; i++)
		pthread_join(self->threads[i], NULL);
}

struct writer {
	const struct sc_pipe *p, *go;
	int value, records;
	size_t len;
	int result;	/* a thread's write_records() */
};

/* Once go lets go, write w->records records of LEN bytes of VALUE (a child closes the read end first). */
static int write_records(void *data)
{
	struct writer *w = data;
	unsigned char buf[PIPE_BUF];

	memset(buf, w->value, w->len);
	if (sc_hold(w->go, EVENT_MS))
		return sc_child_fail("writer %d: no go in %d ms", w->value, EVENT_MS);
	for (int i = 0; i < w->records; i++) {
		if (write(w->p->wr, buf, w->len) != (ssize_t)w->len)
			return sc_child_fail("writer %d: record %d: short or failed write() (%s)",
					     w->value, i, sc_errname(errno));
	}
	return SC_CHILD_OK;
}

static int writer_child(void *data)
{
	struct writer *w = data;

	close(w->p->rd);
	return write_records(w);
}

static void *writer_thread(void *arg)
{
	struct writer *w = arg;

	w->result = write_records(w);
	return NULL;
}

/*
 * Check the stream in records of LEN bytes: count records that hold more than one
 * value, and count whole records per value (values 1..WRITERS).
 */
static void check_records(const unsigned char *s, size_t total, size_t len,
			  int *mixed, int *first_mixed, int counts[WRITERS + 1])
{
	*mixed = 0;
	*first_mixed = -1;
	for (size_t r = 0; r < total / len; r++) {
		const unsigned char *rec = s + r * len;
		bool bad = rec[0] < 1 || rec[0] > WRITERS;

		for (size_t i = 1; i < len && !bad; i++)
			bad = rec[i] != rec[0];
		if (bad) {
			if (*first_mixed < 0)
				*first_mixed = (int)r;
			(*mixed)++;
		} else {
			counts[rec[0]]++;
		}
	}
}

/* Start the WRITERS writers of RECORDS records each (threads or children); they wait for go. */
static void start_writers(struct __test_metadata *_metadata, FIXTURE_DATA(writers) *self,
			  const FIXTURE_VARIANT(writers) *variant, struct writer *w, int records)
{
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ .p = &self->p, .go = &self->go, .value = i + 1,
					.records = records, .len = variant->record };
		if (variant->threads) {
			ASSERT_EQ(0, pthread_create(&self->threads[i], NULL, writer_thread, &w[i]));
			self->nthreads++;
		} else {
			self->nkids++;
			SC_CHILD_START(&self->kids[i], "a writer", writer_child, &w[i], 0);
		}
	}
}

/* Every writer wrote all its records. */
static void end_writers(struct __test_metadata *_metadata, FIXTURE_DATA(writers) *self,
			const struct writer *w)
{
	for (int i = 0; i < self->nthreads; i++) {
		pthread_join(self->threads[i], NULL);
		EXPECT_EQ(SC_CHILD_OK, w[i].result) {
			TH_LOG("%s", sc_child_self()->why);
		}
	}
	self->nthreads = 0;
	for (int i = 0; i < self->nkids; i++)
		EXPECT_CHILD_SUCCEEDED(&self->kids[i]);
}

/* PIPE-08 pipe(7): 8 concurrent writers each write 256 KiB in records of one distinct byte; every record read back holds a single value. */
TEST_F(writers, concurrent_records_are_never_interleaved)
{
	const int records = STREAM / WRITERS / variant->record;	/* 64 of 4096, 512 of 512 */
	const size_t total = STREAM;
	struct writer w[WRITERS];
	int counts[WRITERS + 1] = { 0 }, mixed, first_mixed;
	unsigned char *stream = malloc(total);
	ssize_t n;
	int r;

	ASSERT_NE(NULL, stream);
	start_writers(_metadata, self, variant, w, records);
	ASSERT_SYSCALL_RETURNS(0, sc_release(&self->go));
	r = sc_read_full_ms(self->p.rd, stream, total, EVENT_MS);
	n = r == 0 ? (ssize_t)total : 0;
	sc_close(&self->p.rd);	/* writers still blocked now fail with EPIPE */
	EXPECT_EQ((ssize_t)total, n) {
		TH_LOG("read: %s", sc_read_str(r));
	}
	check_records(stream, n > 0 ? (size_t)n : 0, variant->record, &mixed, &first_mixed, counts);
	EXPECT_EQ(0, mixed) {
		TH_LOG("%d of %zu records hold bytes of several writers (first: record %d)",
		       mixed, total / variant->record, first_mixed);
	}
	for (int i = 1; i <= WRITERS; i++) {
		EXPECT_EQ(records, counts[i]) {
			TH_LOG("writer %d: %d whole records", i, counts[i]);
		}
	}
	end_writers(_metadata, self, w);
	free(stream);
}

FIXTURE(pipe_pair) {
	struct sc_pipe p, go;
	struct sc_child kids[2];
	int nkids;
};

FIXTURE_SETUP(pipe_pair)
{
	signal(SIGPIPE, SIG_IGN);
	sc_pipe_setup(_metadata, &self->p, 0);
	sc_pipe_setup(_metadata, &self->go, O_CLOEXEC);
}

FIXTURE_TEARDOWN(pipe_pair)
{
	sc_pipe_teardown(&self->p);
	sc_pipe_teardown(&self->go);
	for (int i = 0; i < self->nkids; i++)
		sc_child_end(&self->kids[i]);
}

/*
 * PIPE-07 pipe(7) fpathconf(3): the C library says PIPE_BUF is 4096: <limits.h> and fpathconf(_PC_PIPE_BUF) on either end of a pipe.
 * This checks the C library only: glibc answers fpathconf(_PC_PIPE_BUF) without a system call (the kernel's limit: pipes/nonblocking).
 */
TEST_F(pipe_pair, c_library_pipe_buf_and_fpathconf_say_4096)
{
	EXPECT_EQ(4096, PIPE_BUF);
	EXPECT_EQ(4096, fpathconf(self->p.rd, _PC_PIPE_BUF));
	EXPECT_EQ(4096, fpathconf(self->p.wr, _PC_PIPE_BUF));
}

/* The reader: reads exactly LARGE bytes and checks the pattern (i % 251). */
static int drain_pattern(void *data)
{
	struct sc_pipe *p = data;
	unsigned char *buf = malloc(LARGE);
	int r;

	close(p->wr);
	if (!buf)
		return sc_child_error("malloc(%d) failed", LARGE);
	r = sc_read_full_ms(p->rd, buf, LARGE, EVENT_MS);
	if (r)
		return sc_child_fail("read: %s", sc_read_str(r));
	for (size_t i = 0; i < LARGE; i++) {
		if (buf[i] != i % 251)
			return sc_child_fail("byte %zu is %d, not %zu", i, buf[i], i % 251);
	}
	return SC_CHILD_OK;
}

/* PIPE-11 pipe(7): a blocking write() of 192 KiB (more than PIPE_BUF and the capacity) returns 192 KiB once a reader has drained it. */
TEST_F(pipe_pair, large_blocking_write_returns_full_count)
{
	unsigned char *buf = malloc(LARGE);

	ASSERT_NE(NULL, buf);
	for (size_t i = 0; i < LARGE; i++)
		buf[i] = i % 251;
	self->nkids = 1;
	SC_CHILD_START(&self->kids[0], "the reader", drain_pattern, &self->p, 0);
	sc_close(&self->p.rd);
	EXPECT_SYSCALL_RETURNS(LARGE, write(self->p.wr, buf, LARGE));
	EXPECT_CHILD_SUCCEEDED(&self->kids[0]);
	free(buf);
}

/* A writer of LARGE bytes of VALUE, once go lets go. */
struct large_writer {
	struct sc_pipe *p, *go;
	int value;
};

static int write_large(void *data)
{
	struct large_writer *w = data;
	unsigned char *buf = malloc(LARGE);
	ssize_t n;

	close(w->p->rd);
	if (!buf)
		return sc_child_error("malloc(%d) failed", LARGE);
	if (sc_hold(w->go, EVENT_MS))
		return sc_child_fail("writer %d: no go in %d ms", w->value, EVENT_MS);
	memset(buf, w->value, LARGE);
	n = write(w->p->wr, buf, LARGE);
	if (n != LARGE)
		return sc_child_fail("writer %d: write() -> %zd %s", w->value, n, n < 0 ? sc_errname(errno) : "");
	return SC_CHILD_OK;
}

/* PIPE-11 pipe(7): two concurrent blocking writes of 192 KiB each both return 192 KiB, and the reader gets all bytes of each writer. */
TEST_F(pipe_pair, concurrent_large_writes_both_complete)
{
	size_t total = 2 * (size_t)LARGE, per[3] = { 0 };
	unsigned char *stream = malloc(total);
	struct large_writer w[2];
	ssize_t n;
	int r;

	ASSERT_NE(NULL, stream);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct large_writer){ &self->p, &self->go, i + 1 };
		self->nkids++;
		SC_CHILD_START(&self->kids[i], "a writer", write_large, &w[i], 0);
	}
	ASSERT_SYSCALL_RETURNS(0, sc_release(&self->go));
	r = sc_read_full_ms(self->p.rd, stream, total, EVENT_MS);
	n = r == 0 ? (ssize_t)total : 0;
	sc_close(&self->p.rd);
	EXPECT_EQ((ssize_t)total, n) {
		TH_LOG("read: %s", sc_read_str(r));
	}
	for (ssize_t i = 0; i < n; i++)
		per[stream[i] <= 2 ? stream[i] : 0]++;
	EXPECT_EQ(LARGE, per[1]);
	EXPECT_EQ(LARGE, per[2]);
	for (int i = 0; i < 2; i++)
		EXPECT_CHILD_SUCCEEDED(&self->kids[i]);
	free(stream);
}

TEST_HARNESS_MAIN
