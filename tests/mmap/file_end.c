// SPDX-License-Identifier: GPL-2.0-only
/*
 * The end of a mapped file: pages wholly beyond end of file raise SIGBUS, the tail
 * of the last page reads as zero and never reaches the file, and ftruncate() moves
 * the boundary under an existing mapping. mmap(2), truncate(2).
 * Faulting accesses run in a forked child that must die by the signal, after a
 * control access that must succeed where the rule has one.
 */
#include "mmap.h"

#define FILE_LEN 100		/* bytes of 'e': less than one page */

FIXTURE(short_file) {
	struct sc_file f;	/* "data" */
	long pg;
};

FIXTURE_SETUP(short_file)
{
	self->pg = sysconf(_SC_PAGESIZE);
	filled_file_setup(_metadata, &self->f, "data", FILE_LEN, 'e', O_RDWR);
}

FIXTURE_TEARDOWN(short_file)
{
	sc_file_teardown(&self->f);
}

/* MMAP-10 mmap(2): reading a page of a MAP_SHARED mapping that lies wholly beyond end of file raises SIGBUS. */
TEST_F(short_file, read_of_page_beyond_eof_raises_sigbus)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);
	/* control: page 0 holds file data */
	struct accesses a = { .ok = { READS(p, 'e') }, .fault = TOUCHES(p + self->pg) };

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, &a);
	munmap(p, 2 * self->pg);
}

/* MMAP-10 mmap(2): a store into a page of a MAP_PRIVATE mapping that lies wholly beyond end of file raises SIGBUS. */
TEST_F(short_file, private_store_beyond_eof_raises_sigbus)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->f.fd, 0);
	/* control: page 0 holds file data, and takes a store */
	struct accesses a = { .ok = { READS(p, 'e'), STORES(p + 1, 'x') },
			      .fault = STORES(p + self->pg + 1, 'x') };

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, &a);
	munmap(p, 2 * self->pg);
}

/* MMAP-10 mmap(2): the bytes past end of file in the last partial page of a mapping read as zero. */
TEST_F(short_file, tail_of_last_page_reads_zero)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);
	long nonzero = 0;

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ('e', p[FILE_LEN - 1]);
	for (long i = FILE_LEN; i < self->pg; i++)
		nonzero += p[i] != 0;
	EXPECT_EQ(0, nonzero);
	munmap(p, self->pg);
}

/* MMAP-10 mmap(2): stores into the tail past end of file of a MAP_SHARED mapping never reach the file: st_size and read() are unchanged. */
TEST_F(short_file, store_into_tail_does_not_reach_file)
{
	char buf[2 * FILE_LEN];
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);
	struct stat st;
	ssize_t n;

	ASSERT_NE(MAP_FAILED, p);
	memset(p + FILE_LEN, 't', self->pg - FILE_LEN);
	ASSERT_SYSCALL_RETURNS(0, msync(p, self->pg, MS_SYNC));
	ASSERT_SYSCALL_RETURNS(0, munmap(p, self->pg));
	ASSERT_SYSCALL_RETURNS(0, fstat(self->f.fd, &st));
	EXPECT_EQ(FILE_LEN, st.st_size);
	n = pread(self->f.fd, buf, sizeof(buf), 0);
	EXPECT_EQ(FILE_LEN, n);
	EXPECT_EQ(NULL, memchr(buf, 't', n > 0 ? n : 0));
}

/* MMAP-10 mmap(2): every page of a mapping of an empty file lies beyond end of file, and touching it raises SIGBUS. */
TEST_F(short_file, access_to_mapping_of_empty_file_raises_sigbus)
{
	struct accesses a;
	char *p;

	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->f.fd, 0));
	p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	a = (struct accesses){ .fault = TOUCHES(p) };	/* no control: no page of it is accessible */
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, &a);
	munmap(p, self->pg);
}

/* MMAP-10 truncate(2): after ftruncate() shrinks the file, a mapped page now wholly beyond end of file raises SIGBUS. */
TEST_F(short_file, shrinking_ftruncate_makes_mapped_page_raise_sigbus)
{
	struct accesses a;
	char *p;

	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->f.fd, 2 * self->pg));
	p = mmap(NULL, 2 * self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, p[self->pg]);	/* readable before the shrink */
	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->f.fd, FILE_LEN));
	/* control: page 0 is kept */
	a = (struct accesses){ .ok = { READS(p, 'e') }, .fault = TOUCHES(p + self->pg) };
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, &a);
	munmap(p, 2 * self->pg);
}

/* MMAP-11 mmap(2), truncate(2): after ftruncate() extends the file, the page that raised SIGBUS is accessible through the same mapping and reads zero. */
TEST_F(short_file, extending_ftruncate_makes_sigbus_page_accessible)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);
	/* before the extension: SIGBUS, after a control read of page 0 */
	struct accesses before = { .ok = { READS(p, 'e') }, .fault = TOUCHES(p + self->pg) };
	/* after it: the page reads zero, also past the old end, and takes a store */
	struct accesses after = { .ok = { READS(p + self->pg, 0), READS(p + 2 * self->pg - 1, 0),
					  READS(p + FILE_LEN, 0), STORES(p + self->pg, 'n') } };
	struct sc_child c;

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, &before);
	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->f.fd, 2 * self->pg));
	RUN_ACCESSES(&c, &after);
	EXPECT_CHILD_SUCCEEDED(&c);
	if (sc_child_end(&c) == SC_CHILD_OK) {
		EXPECT_EQ('n', p[self->pg]);	/* the child's store is shared */
	}
	munmap(p, 2 * self->pg);
}

TEST_HARNESS_MAIN
