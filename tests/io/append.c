// SPDX-License-Identifier: GPL-2.0-only
/*
 * append: O_APPEND moves the offset to end of file before every write(), and
 * appends from several processes neither overlap nor tear (IO-08, IO-09).
 */
#include "io.h"

/* IO-08 open(2): with O_APPEND a write() right after lseek(fd,0,SEEK_SET) goes to end of file, and the offset then equals the new size. */
TEST_F(file, append_write_after_seek_to_start_goes_to_end)
{
	char buf[16] = "";
	struct stat st;
	int fd;

	fd = SC_FILE_AT("f", "abc", 3, O_RDWR | O_APPEND);
	ASSERT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_SET));
	EXPECT_SYSCALL_RETURNS(2, write(fd, "XY", 2));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(5, st.st_size);
	EXPECT_SYSCALL_RETURNS(st.st_size, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(5, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("abcXY", buf);
	close(fd);
}

/* IO-08 open(2): two O_APPEND descriptors of one file never overwrite each other: each write() lands at the end the other left. */
TEST_F(file, append_descriptors_always_write_at_current_end)
{
	char buf[16] = "";
	int a, b;

	a = SC_OK(open("f", O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
	b = SC_OK(open("f", O_RDWR | O_APPEND | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(2, write(a, "a1", 2));
	EXPECT_SYSCALL_RETURNS(2, write(b, "b1", 2));
	EXPECT_SYSCALL_RETURNS(4, lseek(b, 0, SEEK_CUR));
	/* a's offset is stale (2); O_APPEND must still write at 4. */
	EXPECT_SYSCALL_RETURNS(2, write(a, "a2", 2));
	EXPECT_SYSCALL_RETURNS(6, lseek(a, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(2, write(b, "b2", 2));
	EXPECT_SYSCALL_RETURNS(8, lseek(b, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(8, pread(a, buf, sizeof(buf), 0));
	EXPECT_STREQ("a1b1a2b2", buf);
	close(a);
	close(b);
}

/* IO-08 open(2): O_APPEND set later with F_SETFL also makes the next write() go to end of file. */
TEST_F(file, append_set_by_setfl_writes_at_end)
{
	char buf[16] = "";
	int fd;

	fd = SC_FILE_AT("f", "abcdef", 6, O_RDWR);
	ASSERT_SYSCALL_RETURNS(2, write(fd, "AB", 2));
	SC_OK(fcntl(fd, F_SETFL, O_APPEND));
	EXPECT_SYSCALL_RETURNS(2, write(fd, "XY", 2));
	EXPECT_SYSCALL_RETURNS(8, lseek(fd, 0, SEEK_CUR));
	EXPECT_SYSCALL_RETURNS(8, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("ABcdefXY", buf);
	close(fd);
}

/* IO-08 open(2): after another descriptor shrinks the file with ftruncate(), the next O_APPEND write() lands at the new end, not at the old offset. */
TEST_F(file, append_write_after_shrink_goes_to_new_end)
{
	char buf[16] = "";
	struct stat st;
	int fd, other;

	fd = SC_FILE_AT("f", "0123456789", 10, O_RDWR | O_APPEND);
	other = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(10, lseek(fd, 0, SEEK_END));
	SC_OK(ftruncate(other, 4));
	EXPECT_SYSCALL_RETURNS(2, write(fd, "XY", 2));
	EXPECT_SYSCALL_RETURNS(6, lseek(fd, 0, SEEK_CUR));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(6, st.st_size);
	EXPECT_SYSCALL_RETURNS(6, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("0123XY", buf);
	close(fd);
	close(other);
}

/*
 * IO-09's race. A broken append (the end of file looked up, then a plain write
 * there) loses a record only when another writer's write lands between the two
 * steps, which needs writers that really run at the same time: on a loaded
 * machine a writer can otherwise do all its work within one time slice. So the
 * writers go on until they have seen OVERLAPS writes of other writers complete
 * while one of their own was under way (counted in shared memory), with a cap
 * on records and on time; the writers are spread over the CPUs. With fewer than
 * MIN_OVERLAPS (one CPU) the race cannot tell, and the case says so. Records
 * are RECLEN bytes, which does not divide the page size: some straddle two
 * pages, and a non-atomic append can see the size half way through them.
 */
#define WRITERS 4
#define RECLEN 200
#define MAX_RECORDS 4096	/* per writer */
#define OVERLAPS 200
#define MIN_OVERLAPS 20
#define RACE_MS 500
#define LEAD 8		/* records a writer may be ahead of all others */

struct race {
	int done[WRITERS];	/* records written so far, by writer */
	int cpu[WRITERS];	/* the CPU it is pinned to, or -1 */
	int overlaps;		/* writes during which another writer's write completed */
	int stop;
};

/* Record R of writer W: "w<W> r<RRRR> " padded with 'A'+W, ending in '\n'. */
static void make_record(char *rec, int w, int r)
{
	int n = snprintf(rec, RECLEN, "w%d r%04d ", w, r);

	memset(rec + n, 'A' + w, RECLEN - 1 - n);
	rec[RECLEN - 1] = '\n';
}

/*
 * The records the other writers have written so far, in all; in *most the most
 * by one of those that can run at the same time as W (on another CPU).
 */
static int others_done(const struct race *race, int w, int *most)
{
	int sum = 0;

	*most = 0;
	for (int i = 0; i < WRITERS; i++) {
		int n = __atomic_load_n(&race->done[i], __ATOMIC_ACQUIRE);

		if (i == w)
			continue;
		sum += n;
		if ((race->cpu[w] < 0 || race->cpu[i] != race->cpu[w]) && n > *most)
			*most = n;
	}
	return sum;
}

/* Pin process PID, writer W, to the W-th CPU this process may use (round robin): -1 if it cannot. */
static int pin_writer(pid_t pid, int w)
{
	cpu_set_t all, one;
	int n;

	if (sched_getaffinity(0, sizeof(all), &all) != 0 || CPU_COUNT(&all) < 2)
		return -1;
	n = w % CPU_COUNT(&all);
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &all) && n-- == 0) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			return sched_setaffinity(pid, sizeof(one), &one) == 0 ? cpu : -1;
		}
	}
	return -1;
}

/*
 * A writer: it opens the file itself, waits for the start, and appends until the
 * race has run. A writer that gets LEAD records ahead of every writer that could
 * run beside it waits for one to catch up (spinning when pinned, so that they then
 * run together) rather than write on alone.
 */
struct writer {
	struct race *race;
	int w;
	struct sc_pipe *start;
};

static int append_writer(void *data)
{
	struct writer *me = data;
	struct race *race = me->race;
	int w = me->w;
	int64_t deadline;
	char rec[RECLEN];
	int fd = open("log", O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd < 0)
		return sc_child_error("open(log) -> %s", sc_errname(errno));
	if (sc_hold(me->start, SC_WAIT_MS))
		return sc_child_error("the start did not come");
	deadline = sc_now_ns() + RACE_MS * 1000000LL;
	for (int r = 0; r < MAX_RECORDS && !__atomic_load_n(&race->stop, __ATOMIC_RELAXED); r++) {
		int most, before = others_done(race, w, &most);
		ssize_t n;

		while (r > most + LEAD && !__atomic_load_n(&race->stop, __ATOMIC_RELAXED)) {
			if (sc_now_ns() > deadline)
				__atomic_store_n(&race->stop, 1, __ATOMIC_RELAXED);
			if (race->cpu[w] < 0)
				sched_yield();
			before = others_done(race, w, &most);
		}
		make_record(rec, w, r);
		if ((n = write(fd, rec, RECLEN)) != RECLEN)
			return sc_child_fail("write() of record %d -> %zd %s", r, n,
					     n < 0 ? sc_errname(errno) : "");
		__atomic_store_n(&race->done[w], r + 1, __ATOMIC_RELEASE);
		if ((others_done(race, w, &most) != before &&
		     __atomic_add_fetch(&race->overlaps, 1, __ATOMIC_RELAXED) >= OVERLAPS) ||
		    sc_now_ns() > deadline)
			__atomic_store_n(&race->stop, 1, __ATOMIC_RELAXED);
	}
	SC_CHILD_CALL(close(fd));
	return SC_CHILD_OK;
}

/* Start the writers as C[], pinned to CPUs; a writer that could not start is a setup error. */
static void start_writers(struct __test_metadata *_metadata, struct sc_child c[WRITERS],
			  struct writer wr[WRITERS])
{
	for (int w = 0; w < WRITERS; w++) {
		if (sc_child_start(&c[w], "the writer", append_writer, &wr[w], 0)) {
			sc_release(wr[w].start);
			for (int i = 0; i < w; i++)
				sc_child_end(&c[i]);
			SC_ERROR("%s", c[w].text);
		}
		wr[w].race->cpu[w] = pin_writer(c[w].pid, w);
	}
}

/* End the writers C of RACE, each expected to succeed: how many failed; *WRITTEN their records. */
static int end_writers(struct __test_metadata *_metadata, struct sc_child c[WRITERS],
		       const struct race *race, int *written)
{
	int bad = 0;

	*written = 0;
	for (int w = 0; w < WRITERS; w++) {
		int r = sc_child_end(&c[w]);

		EXPECT_EQ(SC_CHILD_OK, r) {
			TH_LOG("writer %d: %s", w, c[w].text);
		}
		bad += r != SC_CHILD_OK;
		*written += race->done[w];
	}
	return bad;
}

/* What the log holds: records torn, duplicated and missing. */
struct log_check {
	int torn, dup, missing;
};

/* Check the N bytes DATA of the log against the records the writers of RACE wrote. */
static struct log_check check_log(const char *data, ssize_t n, const struct race *race)
{
	static bool seen[WRITERS][MAX_RECORDS];
	struct log_check k = { 0, 0, 0 };

	for (ssize_t off = 0; off + RECLEN <= n; off += RECLEN) {
		char want[RECLEN], head[16];
		int w = -1, r = -1;

		memcpy(head, data + off, sizeof(head) - 1);
		head[sizeof(head) - 1] = 0;
		if (sscanf(head, "w%d r%d ", &w, &r) != 2 ||
		    w < 0 || w >= WRITERS || r < 0 || r >= race->done[w]) {
			k.torn++;
			continue;
		}
		make_record(want, w, r);
		if (memcmp(want, data + off, RECLEN)) {
			k.torn++;
			continue;
		}
		if (seen[w][r])
			k.dup++;
		seen[w][r] = true;
	}
	for (int w = 0; w < WRITERS; w++)
		for (int r = 0; r < race->done[w]; r++)
			k.missing += !seen[w][r];
	return k;
}

/* IO-09 open(2): 4 processes with their own O_APPEND open()s, appending 200-byte records while their writes overlap, leave a file of exactly the bytes written, every record intact. */
TEST_F(file, append_from_processes_is_atomic)
{
	static char data[2 * WRITERS * MAX_RECORDS * RECLEN];
	struct sc_child c[WRITERS];
	struct writer wr[WRITERS];
	struct log_check k;
	struct sc_pipe start;
	struct race *race;
	int fd, bad, written;
	ssize_t n;

	race = mmap(NULL, sizeof(*race), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (race == MAP_FAILED)
		SC_ERROR("mmap: %s", sc_errname(errno));
	fd = SC_SETUP(open("log", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	sc_pipe_setup(_metadata, &start, O_CLOEXEC);
	for (int w = 0; w < WRITERS; w++)
		wr[w] = (struct writer){ race, w, &start };
	start_writers(_metadata, c, wr);
	sc_release(&start);	/* all writers go */
	bad = end_writers(_metadata, c, race, &written);
	sc_pipe_teardown(&start);
	TH_LOG("%d records written; %d writes overlapped another writer's", written,
	       race->overlaps);

	n = pread(fd, data, sizeof(data), 0);
	EXPECT_EQ(written * RECLEN, n);
	k = check_log(data, n, race);
	if (!bad && n == written * RECLEN && !(k.torn + k.dup + k.missing) &&
	    race->overlaps < MIN_OVERLAPS) {
		int overlaps = race->overlaps;

		munmap(race, sizeof(*race));
		close(fd);
		SKIP(return, "needs writers that run at the same time: %d of %d writes overlapped another's",
		     overlaps, written);
	}
	EXPECT_EQ(0, k.torn + k.dup + k.missing) {
		TH_LOG("file %zd bytes: %d torn, %d duplicated, %d missing records",
		       n, k.torn, k.dup, k.missing);
	}
	munmap(race, sizeof(*race));
	close(fd);
}

TEST_HARNESS_MAIN
