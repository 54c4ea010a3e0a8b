// SPDX-License-Identifier: GPL-2.0-only
/*
 * The end of a mapped file: pages wholly beyond end of file raise SIGBUS, the tail
 * of the last page reads as zero and never reaches the file, and ftruncate() moves
 * the boundary under an existing mapping. mmap(2), truncate(2).
 * Faulting accesses run in a forked child that must die by the signal, after a
 * control access that must succeed where the rule has one.
 */
#include <sys/resource.h>
#include "mmap.h"

#define FILE_LEN 100		/* bytes of 'e': less than one page */

FIXTURE(short_file) {
	struct sc_tmpdir tmp;
	long pg;
	int fd;
};

FIXTURE_SETUP(short_file)
{
	self->fd = -1;
	self->pg = sysconf(_SC_PAGESIZE);
	sc_tmpdir_setup(_metadata, &self->tmp);
	self->fd = open_filled_file(_metadata, "data", FILE_LEN, 'e');
}

FIXTURE_TEARDOWN(short_file)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/* MMAP-10 mmap(2): reading a page of a MAP_SHARED mapping that lies wholly beyond end of file raises SIGBUS. */
TEST_F(short_file, read_of_page_beyond_eof_raises_sigbus)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ, MAP_SHARED, self->fd, 0);
	struct fault_child c;

	ASSERT_NE(MAP_FAILED, p);
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		if (*(volatile char *)p != 'e')		/* control: page 0 holds file data */
			_exit(1);
		control_passed(&c);
		(void)*(volatile char *)(p + self->pg);
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, c);
	munmap(p, 2 * self->pg);
}

/* MMAP-10 mmap(2): a store into a page of a MAP_PRIVATE mapping that lies wholly beyond end of file raises SIGBUS. */
TEST_F(short_file, private_store_beyond_eof_raises_sigbus)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	struct fault_child c;

	ASSERT_NE(MAP_FAILED, p);
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		*(volatile char *)(p + 1) = 'x';	/* control: page 0 holds file data */
		if (*(volatile char *)(p + 1) != 'x' || p[0] != 'e')
			_exit(1);
		control_passed(&c);
		*(volatile char *)(p + self->pg + 1) = 'x';
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, c);
	munmap(p, 2 * self->pg);
}

/* MMAP-10 mmap(2): the bytes past end of file in the last partial page of a mapping read as zero. */
TEST_F(short_file, tail_of_last_page_reads_zero)
{
	char *p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, 0);
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
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	struct stat st;
	ssize_t n;

	ASSERT_NE(MAP_FAILED, p);
	memset(p + FILE_LEN, 't', self->pg - FILE_LEN);
	ASSERT_SYSCALL_RETURNS(0, msync(p, self->pg, MS_SYNC));
	ASSERT_SYSCALL_RETURNS(0, munmap(p, self->pg));
	ASSERT_SYSCALL_RETURNS(0, fstat(self->fd, &st));
	EXPECT_EQ(FILE_LEN, st.st_size);
	n = pread(self->fd, buf, sizeof(buf), 0);
	EXPECT_EQ(FILE_LEN, n);
	EXPECT_EQ(NULL, memchr(buf, 't', n > 0 ? n : 0));
}

/* MMAP-10 mmap(2): every page of a mapping of an empty file lies beyond end of file, and touching it raises SIGBUS. */
TEST_F(short_file, access_to_mapping_of_empty_file_raises_sigbus)
{
	char *p;
	pid_t pid;

	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->fd, 0));
	p = mmap(NULL, self->pg, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	pid = SC_OK(sc_fork_nocore());
	if (pid == 0) {
		(void)*(volatile char *)p;
		_exit(0);
	}
	EXPECT_KILLED_BY(SIGBUS, sc_wait(pid));
	munmap(p, self->pg);
}

/* MMAP-10 truncate(2): after ftruncate() shrinks the file, a mapped page now wholly beyond end of file raises SIGBUS. */
TEST_F(short_file, shrinking_ftruncate_makes_mapped_page_raise_sigbus)
{
	char *p;
	struct fault_child c;

	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->fd, 2 * self->pg));
	p = mmap(NULL, 2 * self->pg, PROT_READ, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, p[self->pg]);	/* readable before the shrink */
	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->fd, FILE_LEN));
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		if (*(volatile char *)p != 'e')		/* control: page 0 is kept */
			_exit(1);
		control_passed(&c);
		(void)*(volatile char *)(p + self->pg);
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, c);
	munmap(p, 2 * self->pg);
}

/* MMAP-11 mmap(2), truncate(2): after ftruncate() extends the file, the page that raised SIGBUS is accessible through the same mapping and reads zero. */
TEST_F(short_file, extending_ftruncate_makes_sigbus_page_accessible)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	struct fault_child c;
	pid_t pid;
	int st;

	ASSERT_NE(MAP_FAILED, p);
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {		/* before the extension: SIGBUS */
		if (*(volatile char *)p != 'e')		/* control: page 0 holds file data */
			_exit(1);
		control_passed(&c);
		(void)*(volatile char *)(p + self->pg);
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGBUS, c);
	ASSERT_SYSCALL_RETURNS(0, ftruncate(self->fd, 2 * self->pg));
	pid = SC_OK(sc_fork_nocore());
	if (pid == 0) {
		if (p[self->pg] != 0 || p[2 * self->pg - 1] != 0 || p[FILE_LEN] != 0)
			_exit(1);
		p[self->pg] = 'n';
		_exit(0);
	}
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("child after ftruncate %s (1: not zero)", sc_status_str(st));
	}
	if (st == 0) {
		EXPECT_EQ('n', p[self->pg]);	/* the child's store is shared */
	}
	munmap(p, 2 * self->pg);
}

TEST_HARNESS_MAIN
