// SPDX-License-Identifier: GPL-2.0-only
/*
 * mremap(): growing in place or by moving, MREMAP_FIXED, and shrinking. mremap(2).
 * Tests build their own layout: a page under test followed by a "blocker" page
 * (a separate mapping) or by a hole.
 */
#include "mmap.h"

FIXTURE(layout) {
	long pg;
	char *p;		/* page 0: 'm' RW; pages 1..3: 'b' PROT_READ (the blocker) */
};

FIXTURE_SETUP(layout)
{
	self->pg = sysconf(_SC_PAGESIZE);
	self->p = map_anon_filled(_metadata, 4 * self->pg, 'b');
	memset(self->p, 'm', self->pg);
	/* A different protection makes pages 1..3 a mapping of their own. */
	SC_SETUP(mprotect(self->p + self->pg, 3 * self->pg, PROT_READ));
}

FIXTURE_TEARDOWN(layout)
{
	if (self->p != MAP_FAILED)
		munmap(self->p, 4 * self->pg);
}

/* MMAP-18 mremap(2): growing a mapping that cannot grow in place fails with ENOMEM without MREMAP_MAYMOVE, and changes nothing. */
TEST_F(layout, grow_blocked_without_maymove_fails_enomem)
{
	EXPECT_SYSCALL_FAILS(ENOMEM, mremap(self->p, self->pg, 2 * self->pg, 0));
	EXPECT_EQ('m', self->p[0]);
	EXPECT_EQ('b', self->p[self->pg]);
}

/* MMAP-18 mremap(2): without MREMAP_MAYMOVE a mapping followed by free space grows in place (the control of the ENOMEM case). */
TEST_F(layout, grow_into_free_space_keeps_address)
{
	char *q;

	ASSERT_SYSCALL_RETURNS(0, munmap(self->p + self->pg, self->pg));
	q = mremap(self->p, self->pg, 2 * self->pg, 0);
	EXPECT_EQ(self->p, q) {
		TH_LOG("mremap returned %p (%s)", q, q == MAP_FAILED ? sc_errname(errno) : "moved");
	}
	EXPECT_EQ(0, mapped(self->p, 2 * self->pg));
	if (q == self->p && mapped(self->p, 2 * self->pg) == 0) {
		EXPECT_EQ('m', q[0]);
		EXPECT_EQ(0, q[self->pg]);
	}
}

/* MMAP-18 mremap(2): with MREMAP_MAYMOVE a blocked mapping grows at a new address holding the old contents; the old range is freed. */
TEST_F(layout, grow_with_maymove_keeps_contents)
{
	char *q;

	self->p[self->pg - 1] = 'e';
	q = mremap(self->p, self->pg, 3 * self->pg, MREMAP_MAYMOVE);
	ASSERT_NE(MAP_FAILED, q) {
		TH_LOG("mremap: %s", sc_errname(errno));
	}
	EXPECT_NE(self->p, q);		/* page 1 is taken: it must move */
	ASSERT_EQ(0, mapped(q, 3 * self->pg));
	EXPECT_EQ('m', q[0]);
	EXPECT_EQ('e', q[self->pg - 1]);
	EXPECT_EQ(0, q[self->pg]);
	EXPECT_EQ(0, q[3 * self->pg - 1]);
	if (q != self->p) {
		EXPECT_EQ(ENOMEM, mapped(self->p, self->pg));
		munmap(q, 3 * self->pg);
	}
	EXPECT_EQ('b', self->p[self->pg]);
}

/* MMAP-18 mremap(2): MREMAP_FIXED without MREMAP_MAYMOVE fails with EINVAL. */
TEST_F(layout, fixed_without_maymove_fails_einval)
{
	char *target = self->p + 2 * self->pg;

	SC_REQUIRE_FEATURE(mremap_fixed);
	EXPECT_SYSCALL_FAILS(EINVAL, mremap(self->p, self->pg, self->pg, MREMAP_FIXED, target));
	EXPECT_EQ('m', self->p[0]);
	EXPECT_EQ('b', target[0]);
}

/* MMAP-18 mremap(2): MREMAP_MAYMOVE|MREMAP_FIXED moves the mapping with its contents to the given address, replacing what was there. */
TEST_F(layout, fixed_maymove_moves_to_given_address)
{
	char *target = self->p + 2 * self->pg;
	char *q;

	SC_REQUIRE_FEATURE(mremap_fixed);
	q = mremap(self->p, self->pg, self->pg, MREMAP_MAYMOVE | MREMAP_FIXED, target);
	ASSERT_EQ(target, q) {
		TH_LOG("mremap returned %p (%s)", q, q == MAP_FAILED ? sc_errname(errno) : "moved");
	}
	EXPECT_EQ('m', target[0]);
	EXPECT_EQ(ENOMEM, mapped(self->p, self->pg));
	EXPECT_EQ('b', self->p[self->pg]);
}

/* MMAP-19 mremap(2): shrinking a mapping keeps its start address and contents. */
TEST_F(layout, shrink_keeps_start_address)
{
	char *q;

	ASSERT_SYSCALL_RETURNS(0, mprotect(self->p, 4 * self->pg, PROT_READ | PROT_WRITE));
	q = mremap(self->p, 4 * self->pg, self->pg, 0);
	EXPECT_EQ(self->p, q) {
		TH_LOG("mremap returned %p (%s)", q, q == MAP_FAILED ? sc_errname(errno) : "moved");
	}
	EXPECT_EQ('m', self->p[0]);
	EXPECT_EQ(ENOMEM, mapped(self->p + self->pg, 3 * self->pg));
}

/* MMAP-19 mremap(2): after mremap() shrinks a mapping, an access to the released tail raises SIGSEGV. */
TEST_F(layout, shrunk_tail_access_raises_sigsegv)
{
	char *p = self->p;
	/* control: the kept page */
	struct accesses a = { .ok = { READS(p, 'm') }, .fault = TOUCHES(p + 2 * self->pg) };

	ASSERT_SYSCALL_RETURNS(0, mprotect(p, 4 * self->pg, PROT_READ | PROT_WRITE));
	ASSERT_SYSCALL_RETURNS(p, mremap(p, 4 * self->pg, self->pg, 0));
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
}

TEST_HARNESS_MAIN
