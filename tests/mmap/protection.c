// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page protections: PROT_READ/PROT_NONE faults, mprotect() on whole pages, and the
 * EACCES rules that tie a file mapping's protection to the descriptor's open mode.
 * mmap(2), mprotect(2). Faulting accesses run in a forked child that must die by
 * SIGSEGV, after a control access that must succeed where the rule has one.
 */
#include <sys/resource.h>
#include "mmap.h"

FIXTURE(anon) {
	long pg;
	char *p;		/* 2 pages, MAP_PRIVATE|MAP_ANONYMOUS, PROT_READ|PROT_WRITE, 'a' */
};

FIXTURE_SETUP(anon)
{
	self->pg = sysconf(_SC_PAGESIZE);
	self->p = map_anon_filled(_metadata, 2 * self->pg, 'a');
}

FIXTURE_TEARDOWN(anon)
{
	if (self->p != MAP_FAILED)
		munmap(self->p, 2 * self->pg);
}

/* MMAP-12 mmap(2): a store into a PROT_READ mapping raises SIGSEGV (a read of it works). */
TEST_F(anon, store_into_prot_read_mapping_raises_sigsegv)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct fault_child c;

	ASSERT_NE(MAP_FAILED, p);
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		if (*(volatile char *)p != 0)	/* control: reading is allowed */
			_exit(1);
		control_passed(&c);
		*(volatile char *)p = 's';
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, c);
	munmap(p, self->pg);
}

/* MMAP-12 mmap(2): a read of PROT_NONE memory raises SIGSEGV. */
TEST_F(anon, read_of_prot_none_memory_raises_sigsegv)
{
	char *p = mmap(NULL, self->pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	ASSERT_NE(MAP_FAILED, p);
	pid = SC_OK(sc_fork_nocore());
	if (pid == 0) {
		(void)*(volatile char *)(p + 7);
		_exit(0);
	}
	EXPECT_KILLED_BY(SIGSEGV, sc_wait(pid));
	munmap(p, self->pg);
}

/* MMAP-12 mprotect(2): after mprotect(PROT_READ) a store raises SIGSEGV while the data stays readable. */
TEST_F(anon, mprotect_read_only_makes_store_raise_sigsegv)
{
	char *p = self->p;
	struct fault_child c;

	ASSERT_SYSCALL_RETURNS(0, mprotect(p, 2 * self->pg, PROT_READ));
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		if (*(volatile char *)(p + self->pg) != 'a')	/* control: still readable */
			_exit(1);
		control_passed(&c);
		*(volatile char *)(p + self->pg) = 's';
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, c);
}

/* MMAP-12 mprotect(2): after mprotect(PROT_READ|PROT_WRITE) of a PROT_READ mapping a store succeeds. */
TEST_F(anon, mprotect_read_write_makes_store_succeed)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_SYSCALL_RETURNS(0, mprotect(p, self->pg, PROT_READ | PROT_WRITE));
	pid = SC_OK(sc_fork_nocore());
	if (pid == 0) {
		*(volatile char *)(p + 3) = 'w';
		_exit(p[3] == 'w' ? 0 : 1);
	}
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("child %s", sc_status_str(st));
	}
	munmap(p, self->pg);
}

/* MMAP-12 mprotect(2): mprotect() of 1 byte changes its whole page: a store at the page's last byte raises SIGSEGV, the next page stays writable. */
TEST_F(anon, mprotect_changes_access_for_whole_pages)
{
	char *p = self->p;
	struct fault_child c;

	ASSERT_SYSCALL_RETURNS(0, mprotect(p, 1, PROT_READ));
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		*(volatile char *)(p + self->pg) = 'n';	/* control: the next page is writable */
		if (*(volatile char *)(p + self->pg) != 'n')
			_exit(1);
		control_passed(&c);
		*(volatile char *)(p + self->pg - 1) = 's';
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, c);
}

/* MMAP-12 mprotect(2): mprotect() of an address that is not page-aligned fails with EINVAL. */
TEST_F(anon, mprotect_unaligned_address_fails_einval)
{
	EXPECT_SYSCALL_FAILS(EINVAL, mprotect(self->p + 1, self->pg, PROT_READ));
}

FIXTURE(file) {
	struct sc_tmpdir tmp;
	long pg;
	int rdonly, wronly;
};

/* A one-page file "data" of 'f', open once O_RDONLY and once O_WRONLY. */
FIXTURE_SETUP(file)
{
	char *buf;

	self->rdonly = self->wronly = -1;
	self->pg = sysconf(_SC_PAGESIZE);
	sc_tmpdir_setup(_metadata, &self->tmp);
	buf = malloc(self->pg);
	if (!buf)
		SC_ERROR("malloc");
	memset(buf, 'f', self->pg);
	if (sc_write_file("data", buf, self->pg) != 0)
		SC_ERROR("write data: %s", sc_errname(errno));
	free(buf);
	self->rdonly = SC_SETUP(open("data", O_RDONLY | O_CLOEXEC));
	self->wronly = SC_SETUP(open("data", O_WRONLY | O_CLOEXEC));
}

FIXTURE_TEARDOWN(file)
{
	if (self->rdonly >= 0)
		close(self->rdonly);
	if (self->wronly >= 0)
		close(self->wronly);
	sc_tmpdir_teardown(&self->tmp);
}

/* MMAP-13 mmap(2): mmap(MAP_SHARED, PROT_WRITE) of a descriptor open O_RDONLY fails with EACCES. */
TEST_F(file, shared_writable_map_of_rdonly_fd_fails_eacces)
{
	void *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->rdonly, 0);
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
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->rdonly, 0);

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
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->rdonly, 0);

	ASSERT_NE(MAP_FAILED, p) {
		TH_LOG("mmap: %s", sc_errname(errno));
	}
	p[0] = 'w';
	EXPECT_EQ('w', p[0]);
	ASSERT_SYSCALL_RETURNS(1, pread(self->rdonly, &c, 1, 0));
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
