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
	int fds[2];
	int go[2];
	pid_t pids[WRITERS];
	pthread_t threads[WRITERS];
	int nthreads;
	const char *unavailable;
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
	self->fds[0] = self->fds[1] = self->go[0] = self->go[1] = -1;
	self->nthreads = 0;
	self->unavailable = NULL;
	for (int i = 0; i < WRITERS; i++)
		self->pids[i] = -1;
	signal(SIGPIPE, SIG_IGN);	/* a writer left alone gets EPIPE, not killed */
	SC_SETUP(pipe(self->fds));
	SC_SETUP(sc_sync_pair(self->go));
}

FIXTURE_TEARDOWN(writers)
{
	for (int i = 0; i < 2; i++) {
		if (self->fds[i] >= 0)
			close(self->fds[i]);
		if (self->go[i] >= 0)
			close(self->go[i]);
	}
	for (int i = 0; i < WRITERS; i++) {
		if (self->pids[i] > 0)
			sc_wait(self->pids[i]);
	}
	for (int i = 0; i < self->nthreads; i++)
		pthread_join(self->threads[i], NULL);
}

struct writer {
	int wfd, go, value, records;
	size_t len;
	int result;	/* 0 ok, 1 no go byte, 2 short or failed write */
};

/* Wait for one go byte, then write w->records records of LEN bytes of VALUE. */
static int write_records(struct writer *w)
{
	unsigned char buf[PIPE_BUF];
	char c;

	memset(buf, w->value, w->len);
	if (read(w->go, &c, 1) != 1)
		return 1;
	for (int i = 0; i < w->records; i++) {
		if (write(w->wfd, buf, w->len) != (ssize_t)w->len)
			return 2;
	}
	return 0;
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
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ .wfd = self->fds[1], .go = self->go[0], .value = i + 1,
					.records = records, .len = variant->record };
		if (variant->threads) {
			ASSERT_EQ(0, pthread_create(&self->threads[i], NULL, writer_thread, &w[i]));
			self->nthreads++;
			continue;
		}
		self->pids[i] = sc_fork();
		ASSERT_LE(0, self->pids[i]);
		if (self->pids[i] == 0) {
			close(self->fds[0]);
			_exit(write_records(&w[i]));
		}
	}
	ASSERT_EQ(WRITERS, SC_OK(write(self->go[1], "gggggggg", WRITERS)));
	r = sc_read_full_ms(self->fds[0], stream, total, EVENT_MS);
	n = r == 0 ? (ssize_t)total : 0;
	close(self->fds[0]);	/* writers still blocked now fail with EPIPE */
	self->fds[0] = -1;
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
	for (int i = 0; i < WRITERS; i++) {
		if (variant->threads) {
			pthread_join(self->threads[i], NULL);
			EXPECT_EQ(0, w[i].result);
		} else {
			EXPECT_CHILD_OK(self->pids[i]);
			self->pids[i] = -1;
		}
	}
	self->nthreads = 0;
	free(stream);
}

FIXTURE(pipe_pair) {
	int fds[2];
	int go[2];
	pid_t pids[2];
	const char *unavailable;
};

FIXTURE_SETUP(pipe_pair)
{
	self->fds[0] = self->fds[1] = self->go[0] = self->go[1] = -1;
	self->pids[0] = self->pids[1] = -1;
	self->unavailable = NULL;
	signal(SIGPIPE, SIG_IGN);
	SC_SETUP(pipe(self->fds));
	SC_SETUP(sc_sync_pair(self->go));
}

FIXTURE_TEARDOWN(pipe_pair)
{
	for (int i = 0; i < 2; i++) {
		if (self->fds[i] >= 0)
			close(self->fds[i]);
		if (self->go[i] >= 0)
			close(self->go[i]);
		if (self->pids[i] > 0)
			sc_wait(self->pids[i]);
	}
}

/*
 * PIPE-07 pipe(7) fpathconf(3): the C library says PIPE_BUF is 4096: <limits.h> and fpathconf(_PC_PIPE_BUF) on either end of a pipe.
 * This checks the C library only: glibc answers fpathconf(_PC_PIPE_BUF) without a system call (the kernel's limit: pipes/nonblocking).
 */
TEST_F(pipe_pair, c_library_pipe_buf_and_fpathconf_say_4096)
{
	EXPECT_EQ(4096, PIPE_BUF);
	EXPECT_EQ(4096, fpathconf(self->fds[0], _PC_PIPE_BUF));
	EXPECT_EQ(4096, fpathconf(self->fds[1], _PC_PIPE_BUF));
}

/* Reader child: reads exactly N bytes and checks the pattern (i % 251). */
static int drain_pattern(int rfd, size_t n)
{
	unsigned char *buf = malloc(n);

	if (!buf || sc_read_full_ms(rfd, buf, n, EVENT_MS) != 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != i % 251)
			return 2;
	}
	return 0;
}

/* PIPE-11 pipe(7): a blocking write() of 192 KiB (more than PIPE_BUF and the capacity) returns 192 KiB once a reader has drained it. */
TEST_F(pipe_pair, large_blocking_write_returns_full_count)
{
	unsigned char *buf = malloc(LARGE);
	pid_t pid;

	ASSERT_NE(NULL, buf);
	for (size_t i = 0; i < LARGE; i++)
		buf[i] = i % 251;
	pid = sc_fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->fds[1]);
		_exit(drain_pattern(self->fds[0], LARGE));
	}
	self->pids[0] = pid;
	close(self->fds[0]);
	self->fds[0] = -1;
	EXPECT_EQ(LARGE, write(self->fds[1], buf, LARGE)) {
		TH_LOG("write: %s", sc_errname(errno));
	}
	EXPECT_CHILD_OK(pid);
	self->pids[0] = -1;
	free(buf);
}

/* PIPE-11 pipe(7): two concurrent blocking writes of 192 KiB each both return 192 KiB, and the reader gets all bytes of each writer. */
TEST_F(pipe_pair, concurrent_large_writes_both_complete)
{
	size_t total = 2 * (size_t)LARGE, per[3] = { 0 };
	unsigned char *stream = malloc(total);
	ssize_t n;
	int r;

	ASSERT_NE(NULL, stream);
	for (int i = 0; i < 2; i++) {
		self->pids[i] = sc_fork();
		ASSERT_LE(0, self->pids[i]);
		if (self->pids[i] == 0) {
			unsigned char *buf = malloc(LARGE);
			char c;

			close(self->fds[0]);
			if (!buf || read(self->go[0], &c, 1) != 1)
				_exit(1);
			memset(buf, i + 1, LARGE);
			_exit(write(self->fds[1], buf, LARGE) == LARGE ? 0 : 2);
		}
	}
	ASSERT_EQ(2, SC_OK(write(self->go[1], "gg", 2)));
	r = sc_read_full_ms(self->fds[0], stream, total, EVENT_MS);
	n = r == 0 ? (ssize_t)total : 0;
	close(self->fds[0]);
	self->fds[0] = -1;
	EXPECT_EQ((ssize_t)total, n) {
		TH_LOG("read: %s", sc_read_str(r));
	}
	for (ssize_t i = 0; i < n; i++)
		per[stream[i] <= 2 ? stream[i] : 0]++;
	EXPECT_EQ(LARGE, per[1]);
	EXPECT_EQ(LARGE, per[2]);
	for (int i = 0; i < 2; i++) {
		EXPECT_CHILD_OK(self->pids[i]);
		self->pids[i] = -1;
	}
	free(stream);
}

TEST_HARNESS_MAIN
