// SPDX-License-Identifier: GPL-2.0-only
/*
 * madvise() advice that changes what memory holds: MADV_DONTFORK/MADV_DOFORK and
 * MADV_WIPEONFORK across fork(), MADV_DONTNEED and MADV_REMOVE. madvise(2).
 */
#include "mmap.h"

/* p: 2 pages, MAP_PRIVATE|MAP_ANONYMOUS, filled with 'p' */
ANON_FIXTURE(anon, 2, 'p');

/* MMAP-07 madvise(2): after MADV_DONTFORK a fork child's access to the range raises SIGSEGV, while the parent still uses it. */
TEST_F(anon, dontfork_range_is_absent_in_fork_child)
{
	char *p = self->p;
	/* control: the other page is there */
	struct accesses a = { .ok = { READS(p, 'p') }, .fault = TOUCHES(p + self->pg) };

	SC_REQUIRE_FEATURE(madv_dontfork);
	ASSERT_SYSCALL_RETURNS(0, madvise(p + self->pg, self->pg, MADV_DONTFORK));
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
	EXPECT_EQ('p', p[self->pg]);
	p[self->pg] = 'q';
	EXPECT_EQ('q', p[self->pg]);
}

/* MMAP-07 madvise(2): MADV_DOFORK after MADV_DONTFORK restores inheritance: the child reads the parent's data. */
TEST_F(anon, dofork_restores_inheritance_after_dontfork)
{
	char *p = self->p;
	struct accesses a = { .ok = { READS(p, 'p'), READS(p + 2 * self->pg - 1, 'p') } };

	SC_REQUIRE_FEATURE(madv_dontfork);
	ASSERT_SYSCALL_RETURNS(0, madvise(p, 2 * self->pg, MADV_DONTFORK));
	ASSERT_SYSCALL_RETURNS(0, madvise(p, 2 * self->pg, MADV_DOFORK));
	EXPECT_ACCESSES_SUCCEED(&a);
}

/* What a fork child sees of the fixture's 2 pages: page 0's first byte, page 1's nonzero bytes. */
struct wiped {
	char first;
	long nonzero;		/* with first, the report */
	const char *p;
	long pg;
};

static int look_at_pages(void *data)
{
	struct wiped *w = data;

	w->first = w->p[0];
	w->nonzero = 0;
	for (long i = 0; i < w->pg; i++)
		w->nonzero += w->p[w->pg + i] != 0;
	return SC_CHILD_OK;
}

/* MMAP-08 madvise(2): after MADV_WIPEONFORK a fork child reads zeros in the range while the parent keeps its data. */
TEST_F(anon, wipeonfork_child_sees_zeros_parent_keeps_data)
{
	char *p = self->p;
	struct wiped seen = { 0, -1, p, self->pg };
	struct sc_child c;

	SC_REQUIRE_FEATURE(madv_wipeonfork);
	ASSERT_SYSCALL_RETURNS(0, madvise(p + self->pg, self->pg, MADV_WIPEONFORK));
	sc_child_run(&c, "the child", look_at_pages, &seen, offsetof(struct wiped, p));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ('p', seen.first);	/* control: the other page is copied */
	EXPECT_EQ(0, seen.nonzero);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ('p', p[self->pg]);
	EXPECT_EQ('p', p[2 * self->pg - 1]);
}

/* MMAP-08 madvise(2): MADV_WIPEONFORK on a MAP_SHARED|MAP_ANONYMOUS mapping fails with EINVAL. */
TEST_F(anon, wipeonfork_on_shared_anonymous_fails_einval)
{
	char *s;

	SC_REQUIRE_FEATURE(madv_wipeonfork);
	s = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, s);
	EXPECT_SYSCALL_FAILS(EINVAL, madvise(s, self->pg, MADV_WIPEONFORK));
	munmap(s, self->pg);
}

/* MMAP-09 madvise(2): after MADV_DONTNEED private anonymous pages read back as zeros. */
TEST_F(anon, dontneed_private_anonymous_reads_zeros)
{
	char *p = self->p;

	SC_OK(madvise(p, self->pg, MADV_DONTNEED));
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(0, p[self->pg - 1]);
	EXPECT_EQ('p', p[self->pg]);	/* the page outside the range is kept */
}

FIXTURE(file) {
	struct sc_file f;	/* "data", 2 pages of 'f', O_RDWR */
	long pg;
};

FIXTURE_SETUP(file)
{
	self->pg = sysconf(_SC_PAGESIZE);
	filled_file_setup(_metadata, &self->f, "data", 2 * self->pg, 'f', O_RDWR);
}

FIXTURE_TEARDOWN(file)
{
	sc_file_teardown(&self->f);
}

/* MMAP-08 madvise(2): MADV_WIPEONFORK on a (private) file mapping fails with EINVAL. */
TEST_F(file, wipeonfork_on_file_mapping_fails_einval)
{
	char *p;

	SC_REQUIRE_FEATURE(madv_wipeonfork);
	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->f.fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_SYSCALL_FAILS(EINVAL, madvise(p, self->pg, MADV_WIPEONFORK));
	munmap(p, self->pg);
}

/* MMAP-09 madvise(2): after MADV_DONTNEED a MAP_SHARED file mapping still reads what was stored (nothing is lost). */
TEST_F(file, dontneed_shared_file_mapping_keeps_contents)
{
	char buf[7] = { 0 };
	char *p;

	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memcpy(p + 16, "stored", 6);
	SC_OK(madvise(p, self->pg, MADV_DONTNEED));
	EXPECT_EQ(0, memcmp(p + 16, "stored", 6)) {
		TH_LOG("mapping shows \"%.6s\"", p + 16);
	}
	EXPECT_EQ('f', p[0]);
	ASSERT_SYSCALL_RETURNS(6, pread(self->f.fd, buf, 6, 16));
	EXPECT_STREQ("stored", buf);
	munmap(p, self->pg);
}

/* MMAP-09 madvise(2): MADV_REMOVE on a MAP_SHARED memfd mapping frees the range: it reads as zeros through the mapping and read(). */
TEST(remove_on_shared_memfd_mapping_reads_zeros)
{
	long pg = sysconf(_SC_PAGESIZE);
	char buf[4] = { 1, 1, 1, 1 };
	char *p;
	int fd, r, err;

	SC_REQUIRE_FEATURE(madv_dontfork);
	SC_REQUIRE_FEATURE(memfd);
	fd = SC_OK(memfd_create("mmap-remove", MFD_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, ftruncate(fd, 2 * pg));
	p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memset(p, 'm', 2 * pg);
	/* The feature's probe (MADV_DONTFORK) worked and a memfd frees ranges: any error is a fail. */
	r = madvise(p, pg, MADV_REMOVE);
	err = errno;
	ASSERT_EQ(0, r) {
		TH_LOG("madvise(MADV_REMOVE) on a shared memfd mapping: %s", sc_errname(err));
	}
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(0, p[pg - 1]);
	ASSERT_SYSCALL_RETURNS(4, pread(fd, buf, 4, 0));
	EXPECT_EQ(0, memcmp(buf, "\0\0\0\0", 4));
	EXPECT_EQ('m', p[pg]);		/* the page outside the range is kept */
	ASSERT_SYSCALL_RETURNS(1, pread(fd, buf, 1, pg));
	EXPECT_EQ('m', buf[0]);
	munmap(p, 2 * pg);
	close(fd);
}

TEST_HARNESS_MAIN
