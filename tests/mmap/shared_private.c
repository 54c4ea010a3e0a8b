// SPDX-License-Identifier: GPL-2.0-only
/*
 * File mappings seen through read()/write(): MAP_SHARED shares the page cache with
 * the file, MAP_PRIVATE is copy-on-write, and msync() makes stores durable and
 * updates the file times. mmap(2), msync(2).
 */
#include "mmap.h"

#define FILE_PAGES 2

FIXTURE(mapped_file) {
	struct sc_file f;	/* "data", FILE_PAGES pages of 'o', O_RDWR */
	long pg;
};

FIXTURE_SETUP(mapped_file)
{
	self->pg = sysconf(_SC_PAGESIZE);
	filled_file_setup(_metadata, &self->f, "data", FILE_PAGES * self->pg, 'o', O_RDWR);
}

FIXTURE_TEARDOWN(mapped_file)
{
	sc_file_teardown(&self->f);
}

/* MMAP-01 mmap(2): a store into a MAP_SHARED file mapping is seen at once by read() without msync(). */
TEST_F(mapped_file, shared_store_is_seen_by_read_without_msync)
{
	char buf[8] = { 0 };
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	memcpy(p + 10, "shared", 6);
	ASSERT_SYSCALL_RETURNS(6, pread(self->f.fd, buf, 6, 10));
	EXPECT_STREQ("shared", buf);
	munmap(p, self->pg);
}

/* MMAP-01 mmap(2): a write() to the file is seen at once through a MAP_SHARED mapping of it. */
TEST_F(mapped_file, file_write_is_seen_through_shared_mapping)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	ASSERT_EQ('o', p[20]);	/* the page is faulted in before the write */
	ASSERT_SYSCALL_RETURNS(7, pwrite(self->f.fd, "written", 7, 20));
	EXPECT_EQ(0, memcmp(p + 20, "written", 7)) {
		TH_LOG("mapping shows \"%.7s\"", p + 20);
	}
	munmap(p, self->pg);
}

/* MMAP-02 msync(2): MAP_SHARED stores survive munmap() and close(): msync(MS_SYNC) returns 0 and a new open() reads them. */
TEST_F(mapped_file, shared_stores_persist_after_munmap_and_close)
{
	char buf[8] = { 0 };
	char *p = mmap(NULL, FILE_PAGES * self->pg, PROT_READ | PROT_WRITE, MAP_SHARED,
		       self->f.fd, 0);
	int fd;

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	memcpy(p + 5, "first", 5);
	memcpy(p + self->pg + 5, "second", 6);
	EXPECT_EQ(0, msync(p, FILE_PAGES * self->pg, MS_SYNC)) {
		TH_LOG("msync: %s", sc_errname(errno));
	}
	ASSERT_SYSCALL_RETURNS(0, munmap(p, FILE_PAGES * self->pg));
	ASSERT_SYSCALL_RETURNS(0, close(self->f.fd));
	self->f.fd = -1;
	fd = SC_OK(open("data", O_RDONLY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(5, pread(fd, buf, 5, 5));
	EXPECT_STREQ("first", buf);
	ASSERT_SYSCALL_RETURNS(6, pread(fd, buf, 6, self->pg + 5));
	EXPECT_STREQ("second", buf);
	close(fd);
}

/* MMAP-03 mmap(2): a store into a MAP_PRIVATE mapping changes neither the file nor another mapping of it. */
TEST_F(mapped_file, private_store_changes_neither_file_nor_other_mapping)
{
	char buf[8] = { 0 };
	char *priv = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->f.fd, 0);
	char *other = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE, self->f.fd, 0);
	char *shared = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, priv);
	ASSERT_NE(MAP_FAILED, other);
	ASSERT_NE(MAP_FAILED, shared);
	ASSERT_EQ('o', other[30]);
	ASSERT_EQ('o', shared[30]);
	memcpy(priv + 30, "cowcow", 6);
	EXPECT_EQ(0, memcmp(priv + 30, "cowcow", 6));
	ASSERT_SYSCALL_RETURNS(6, pread(self->f.fd, buf, 6, 30));
	EXPECT_STREQ("oooooo", buf);
	EXPECT_EQ(0, memcmp(other + 30, "oooooo", 6)) {
		TH_LOG("other private mapping shows \"%.6s\"", other + 30);
	}
	EXPECT_EQ(0, memcmp(shared + 30, "oooooo", 6)) {
		TH_LOG("shared mapping shows \"%.6s\"", shared + 30);
	}
	munmap(priv, self->pg);
	munmap(other, self->pg);
	munmap(shared, self->pg);
}

/* MMAP-04 mmap(2): on Linux a MAP_PRIVATE page the process has only read still shows a later write() to the file. */
TEST_F(mapped_file, private_unwritten_page_shows_later_file_write)
{
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	ASSERT_EQ('o', p[40]);	/* read fault: the page is mapped, not copied */
	ASSERT_SYSCALL_RETURNS(5, pwrite(self->f.fd, "later", 5, 40));
	EXPECT_EQ(0, memcmp(p + 40, "later", 5)) {
		TH_LOG("private mapping shows \"%.5s\"", p + 40);
	}
	munmap(p, self->pg);
}

/* MMAP-04 mmap(2): after a store into a MAP_PRIVATE page, later write()s to the file no longer show in that page (other pages still do). */
TEST_F(mapped_file, private_page_after_store_ignores_later_file_write)
{
	char *p = mmap(NULL, FILE_PAGES * self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		       self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	p[100] = 'S';		/* page 0 becomes a private copy */
	ASSERT_EQ('o', p[self->pg]);	/* page 1 is only read */
	ASSERT_SYSCALL_RETURNS(5, pwrite(self->f.fd, "later", 5, 0));
	ASSERT_SYSCALL_RETURNS(5, pwrite(self->f.fd, "later", 5, self->pg));
	EXPECT_EQ(0, memcmp(p, "ooooo", 5)) {
		TH_LOG("stored-into page shows \"%.5s\"", p);
	}
	EXPECT_EQ('S', p[100]);
	EXPECT_EQ(0, memcmp(p + self->pg, "later", 5)) {
		TH_LOG("untouched page shows \"%.5s\"", p + self->pg);
	}
	munmap(p, FILE_PAGES * self->pg);
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/*
 * Wait (bounded, 1.1 s) until CLOCK_REALTIME_COARSE, the clock of file times, is
 * GRAN ns past T: then a file time set from now, which the filesystem truncates
 * to a multiple of GRAN, differs from T.
 */
static int wait_clock_past(const struct timespec *t, int64_t gran)
{
	int64_t deadline = sc_now_ns() + 1100000000, left;
	struct timespec now, nap;

	for (;;) {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		left = ts_ns(t) + gran - ts_ns(&now);
		if (left <= 0)
			return 0;
		if (sc_now_ns() > deadline)
			return -1;
		left = left < 1000000 ? 1000000 : left;	/* the coarse clock moves once a tick */
		nap = (struct timespec){ left / 1000000000, left % 1000000000 };
		nanosleep(&nap, NULL);
	}
}

/* MMAP-17 mmap(2): stores into a MAP_SHARED PROT_WRITE mapping update st_mtime and st_ctime by the next msync(MS_SYNC). */
TEST_F(mapped_file, shared_store_updates_mtime_and_ctime_by_msync)
{
	/*
	 * The times must be seen to move on any filesystem: st_mtime is set to the last
	 * nanosecond of a second long past (what the filesystem keeps of it tells its
	 * granularity), and where it keeps whole seconds (ext4 with 128-byte inodes) the
	 * store waits for the second of st_ctime, which futimens() set to now, to pass.
	 */
	const struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000000, 999999999 } };
	struct stat before, after;
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);
	int64_t gran;

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	SC_SETUP(futimens(self->f.fd, times));
	ASSERT_SYSCALL_RETURNS(0, fstat(self->f.fd, &before));
	if (before.st_mtim.tv_sec != times[1].tv_sec)
		SC_ERROR("futimens() did not set st_mtime (it shows %lld)", (long long)before.st_mtim.tv_sec);
	gran = 1000000000 - before.st_mtim.tv_nsec;
	if (wait_clock_past(&before.st_ctim, gran))
		SC_ERROR("CLOCK_REALTIME_COARSE did not pass st_ctime by %lld ns within 1.1 s", (long long)gran);
	memcpy(p + 50, "touch", 5);
	ASSERT_SYSCALL_RETURNS(0, msync(p, self->pg, MS_SYNC));
	ASSERT_SYSCALL_RETURNS(0, fstat(self->f.fd, &after));
	EXPECT_GT(ts_ns(&after.st_mtim), ts_ns(&before.st_mtim)) {
		TH_LOG("st_mtime stayed %lld.%09ld (set into the past)", (long long)after.st_mtim.tv_sec,
		       after.st_mtim.tv_nsec);
	}
	EXPECT_GT(ts_ns(&after.st_ctim), ts_ns(&before.st_ctim)) {
		TH_LOG("st_ctime stayed %lld.%09ld (timestamp granularity %lld ns)",
		       (long long)after.st_ctim.tv_sec, after.st_ctim.tv_nsec, (long long)gran);
	}
	munmap(p, self->pg);
}

TEST_HARNESS_MAIN
