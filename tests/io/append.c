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

	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(open("f", O_RDWR | O_APPEND | O_CLOEXEC));
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(2, write(fd, "XY", 2));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(5, st.st_size);
	EXPECT_EQ(st.st_size, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(5, pread(fd, buf, sizeof(buf), 0));
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
	EXPECT_EQ(2, write(a, "a1", 2));
	EXPECT_EQ(2, write(b, "b1", 2));
	EXPECT_EQ(4, lseek(b, 0, SEEK_CUR));
	/* a's offset is stale (2); O_APPEND must still write at 4. */
	EXPECT_EQ(2, write(a, "a2", 2));
	EXPECT_EQ(6, lseek(a, 0, SEEK_CUR));
	EXPECT_EQ(2, write(b, "b2", 2));
	EXPECT_EQ(8, lseek(b, 0, SEEK_CUR));
	EXPECT_EQ(8, pread(a, buf, sizeof(buf), 0));
	EXPECT_STREQ("a1b1a2b2", buf);
	close(a);
	close(b);
}

/* IO-08 open(2): O_APPEND set later with F_SETFL also makes the next write() go to end of file. */
TEST_F(file, append_set_by_setfl_writes_at_end)
{
	char buf[16] = "";
	int fd;

	SC_SETUP(sc_write_file("f", "abcdef", 6));
	fd = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	ASSERT_EQ(2, write(fd, "AB", 2));
	SC_OK(fcntl(fd, F_SETFL, O_APPEND));
	EXPECT_EQ(2, write(fd, "XY", 2));
	EXPECT_EQ(8, lseek(fd, 0, SEEK_CUR));
	EXPECT_EQ(8, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("ABcdefXY", buf);
	close(fd);
}

/* IO-08 open(2): after another descriptor shrinks the file with ftruncate(), the next O_APPEND write() lands at the new end, not at the old offset. */
TEST_F(file, append_write_after_shrink_goes_to_new_end)
{
	char buf[16] = "";
	struct stat st;
	int fd, other;

	SC_SETUP(sc_write_file("f", "0123456789", 10));
	fd = SC_OK(open("f", O_RDWR | O_APPEND | O_CLOEXEC));
	other = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	ASSERT_EQ(10, lseek(fd, 0, SEEK_END));
	SC_OK(ftruncate(other, 4));
	EXPECT_EQ(2, write(fd, "XY", 2));
	EXPECT_EQ(6, lseek(fd, 0, SEEK_CUR));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(6, st.st_size);
	EXPECT_EQ(6, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("0123XY", buf);
	close(fd);
	close(other);
}

#define WRITERS 4
#define RECORDS 200
#define RECLEN 128

/* Record R of writer W: "w<W> r<RRR> " padded with 'A'+W, ending in '\n'. */
static void make_record(char *rec, int w, int r)
{
	int n = snprintf(rec, RECLEN, "w%d r%03d ", w, r);

	memset(rec + n, 'A' + w, RECLEN - 1 - n);
	rec[RECLEN - 1] = '\n';
}

struct writer {
	int id;
	int barrier;	/* read end: EOF (POLLHUP) when the parent starts the race */
};

/* Child: open the file itself, wait for the start, append RECORDS records. */
static int append_writer(void *arg)
{
	const struct writer *wr = arg;
	struct pollfd p = { .fd = wr->barrier, .events = POLLIN };
	char rec[RECLEN];
	int fd = open("log", O_WRONLY | O_APPEND | O_CLOEXEC);

	if (fd < 0)
		return 1;
	if (poll(&p, 1, SC_WAIT_MS) != 1)
		return 2;
	for (int r = 0; r < RECORDS; r++) {
		make_record(rec, wr->id, r);
		if (write(fd, rec, RECLEN) != RECLEN)
			return 3;
	}
	return close(fd) ? 4 : 0;
}

/* IO-09 open(2): 4 processes with their own O_APPEND open()s, 200 records of 128 bytes each, leave exactly 4*200*128 bytes, every record intact. */
TEST_F(file, append_from_processes_is_atomic)
{
	static char data[2 * WRITERS * RECORDS * RECLEN];
	static bool seen[WRITERS][RECORDS];
	struct writer wr[WRITERS];
	pid_t pid[WRITERS];
	int start[2], fd, torn = 0, dup = 0, missing = 0;
	ssize_t n;

	fd = SC_SETUP(open("log", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	SC_SETUP(pipe(start));
	for (int w = 0; w < WRITERS; w++) {
		wr[w].id = w;
		wr[w].barrier = start[0];
		pid[w] = sc_fork();
		if (pid[w] == 0) {
			close(start[1]);
			_exit(append_writer(&wr[w]));
		}
		if (pid[w] < 0) {
			int err = errno;

			close(start[1]);
			for (int i = 0; i < w; i++)
				sc_wait(pid[i]);
			SC_ERROR("fork: %s", sc_errname(err));
		}
	}
	close(start[0]);
	close(start[1]);	/* all writers go */
	for (int w = 0; w < WRITERS; w++) {
		int st = sc_wait(pid[w]);

		EXPECT_EQ(0, st) {
			TH_LOG("writer %d %s", w, sc_status_str(st));
		}
	}

	n = pread(fd, data, sizeof(data), 0);
	EXPECT_EQ(WRITERS * RECORDS * RECLEN, n);
	for (ssize_t off = 0; off + RECLEN <= n; off += RECLEN) {
		char want[RECLEN];
		int w = -1, r = -1;

		if (sscanf(data + off, "w%d r%d ", &w, &r) != 2 ||
		    w < 0 || w >= WRITERS || r < 0 || r >= RECORDS) {
			torn++;
			continue;
		}
		make_record(want, w, r);
		if (memcmp(want, data + off, RECLEN)) {
			torn++;
			continue;
		}
		if (seen[w][r])
			dup++;
		seen[w][r] = true;
	}
	for (int w = 0; w < WRITERS; w++)
		for (int r = 0; r < RECORDS; r++)
			missing += !seen[w][r];
	EXPECT_EQ(0, torn + dup + missing) {
		TH_LOG("file %zd bytes: %d torn, %d duplicated, %d missing records",
		       n, torn, dup, missing);
	}
	close(fd);
}

TEST_HARNESS_MAIN
