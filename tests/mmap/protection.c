// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page protections: PROT_READ/PROT_NONE faults, mprotect() on whole pages, and the
 * EACCES rules that tie a file mapping's protection to the descriptor's open mode.
 * mmap(2), mprotect(2). Faulting accesses run in a forked child that must die by
 * SIGSEGV, after a control access that must succeed where the rule has one.
 */
#include "mmap.h"

/* p: 2 pages, MAP_PRIVATE|MAP_ANONYMOUS, PROT_READ|PROT_WRITE, 'a' */
ANON_FIXTURE(anon, 2, 'a');

/* MMAP-12 mmap(2): a store into a PROT_READ mapping raises SIGSEGV (a read of it works). */
TEST_F(anon, store_into_prot_read_mapping_raises_sigsegv)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* control: reading is allowed */
	struct accesses a = { .ok = { READS(p, 0) }, .fault = STORES(p, 's') };

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
	munmap(p, self->pg);
}

/* MMAP-12 mmap(2): a read of PROT_NONE memory raises SIGSEGV. */
TEST_F(anon, read_of_prot_none_memory_raises_sigsegv)
{
	char *p = mmap(NULL, self->pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct accesses a = { .fault = TOUCHES(p + 7) };	/* no control: nothing of it is accessible */

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
	munmap(p, self->pg);
}

/* MMAP-12 mprotect(2): after mprotect(PROT_READ) a store raises SIGSEGV while the data stays readable. */
TEST_F(anon, mprotect_read_only_makes_store_raise_sigsegv)
{
	char *p = self->p;
	/* control: still readable */
	struct accesses a = { .ok = { READS(p + self->pg, 'a') },
			      .fault = STORES(p + self->pg, 's') };

	ASSERT_SYSCALL_RETURNS(0, mprotect(p, 2 * self->pg, PROT_READ));
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
}

/* MMAP-12 mprotect(2): after mprotect(PROT_READ|PROT_WRITE) of a PROT_READ mapping a store succeeds. */
TEST_F(anon, mprotect_read_write_makes_store_succeed)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct accesses a = { .ok = { STORES(p + 3, 'w') } };

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_SYSCALL_RETURNS(0, mprotect(p, self->pg, PROT_READ | PROT_WRITE));
	EXPECT_ACCESSES_SUCCEED(&a);
	munmap(p, self->pg);
}

/* MMAP-12 mprotect(2): mprotect() of 1 byte changes its whole page: a store at the page's last byte raises SIGSEGV, the next page stays writable. */
TEST_F(anon, mprotect_changes_access_for_whole_pages)
{
	char *p = self->p;
	/* control: the next page is writable */
	struct accesses a = { .ok = { STORES(p + self->pg, 'n') },
			      .fault = STORES(p + self->pg - 1, 's') };

	ASSERT_SYSCALL_RETURNS(0, mprotect(p, 1, PROT_READ));
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
}

/* MMAP-12 mprotect(2): mprotect() of an address that is not page-aligned fails with EINVAL. */
TEST_F(anon, mprotect_unaligned_address_fails_einval)
{
	EXPECT_SYSCALL_FAILS(EINVAL, mprotect(self->p + 1, self->pg, PROT_READ));
}

FIXTURE(file) {
	struct sc_file f;	/* "data", a page of 'f': f.fd is open O_RDONLY */
	long pg;
	int wronly;		/* and this one O_WRONLY */
};

FIXTURE_SETUP(file)
{
	self->pg = sysconf(_SC_PAGESIZE);
	filled_file_setup(_metadata, &self->f, "data", self->pg, 'f', O_RDONLY);
	self->wronly = SC_SETUP(open("data", O_WRONLY | O_CLOEXEC));
}

FIXTURE_TEARDOWN(file)
{
	sc_close(&self->wronly);
	sc_file_teardown(&self->f);
}

/* MMAP-13 mmap(2): mmap(MAP_SHARED, PROT_WRITE) of a descriptor open O_RDONLY fails with EACCES. */
TEST_F(file, shared_writable_map_of_rdonly_fd_fails_eacces)
{
	void *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);
	int err = p == MAP_FAILED ? errno : 0;

	EXPECT_EQ(EACCES, err) {
		TH_LOG("mmap: %s", err ? sc_errname(err) : "succeeded");
	}
	if (p != MAP_FAILED)
		munmap(p, self->pg);
}

/* MMAP-13 mprotect(2): mprotect(PROT_WRITE) of a MAP_SHARED read-only mapping of an O_RDONLY descriptor fails with EACCES. */
TEST_F(file, mprotect_write_on_shared_map_of_rdonly_fd_fails_eacces)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap PROT_READ: %s", sc_errname(errno));
	}
	EXPECT_SYSCALL_FAILS(EACCES, mprotect(p, self->pg, PROT_READ | PROT_WRITE));
	munmap(p, self->pg);
}

/* MMAP-13 mmap(2): MAP_PRIVATE with PROT_WRITE of an O_RDONLY descriptor succeeds, and its stores do not reach the file. */
TEST_F(file, private_writable_map_of_rdonly_fd_succeeds)
{
	char c = 0;
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	p[0] = 'w';
	EXPECT_EQ('w', p[0]);
	ASSERT_SYSCALL_RETURNS(1, pread(self->f.fd, &c, 1, 0));
	EXPECT_EQ('f', c);
	munmap(p, self->pg);
}

/* MMAP-13 mmap(2): any file mapping of an O_WRONLY descriptor fails with EACCES (shared or private, read or write). */
TEST_F(file, any_map_of_wronly_fd_fails_eacces)
{
	static const struct { int prot, flags; const char *what; } cases[] = {
		{ PROT_READ, MAP_SHARED, "PROT_READ, MAP_SHARED" },
		{ PROT_READ | PROT_WRITE, MAP_SHARED, "PROT_READ|PROT_WRITE, MAP_SHARED" },
		{ PROT_WRITE, MAP_SHARED, "PROT_WRITE, MAP_SHARED" },
		{ PROT_READ, MAP_PRIVATE, "PROT_READ, MAP_PRIVATE" },
		{ PROT_READ | PROT_WRITE, MAP_PRIVATE, "PROT_READ|PROT_WRITE, MAP_PRIVATE" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		void *p = mmap(NULL, self->pg, cases[i].prot, cases[i].flags, self->wronly, 0);
		int err = p == MAP_FAILED ? errno : 0;

		EXPECT_EQ(EACCES, err) {
			TH_LOG("mmap(%s) of O_WRONLY fd: %s", cases[i].what,
			       err ? sc_errname(err) : "succeeded");
		}
		if (p != MAP_FAILED)
			munmap(p, self->pg);
	}
}

TEST_HARNESS_MAIN
