// SPDX-License-Identifier: GPL-2.0-only
/*
 * madvise() advice that changes what memory holds: MADV_DONTFORK/MADV_DOFORK and
 * MADV_WIPEONFORK across fork(), MADV_DONTNEED and MADV_REMOVE. madvise(2).
 */
#include <sys/resource.h>
#include "mmap.h"

FIXTURE(anon) {
	long pg;
	char *priv;		/* 2 pages, MAP_PRIVATE|MAP_ANONYMOUS, filled with 'p' */
};

FIXTURE_SETUP(anon)
{
	self->pg = sysconf(_SC_PAGESIZE);
	self->priv = map_anon_filled(_metadata, 2 * self->pg, 'p');
}

FIXTURE_TEARDOWN(anon)
{
	if (self->priv != MAP_FAILED)
		munmap(self->priv, 2 * self->pg);
}

/* MMAP-07 madvise(2): after MADV_DONTFORK a fork child's access to the range raises SIGSEGV, while the parent still uses it. */
TEST_F(anon, dontfork_range_is_absent_in_fork_child)
{
	char *p = self->priv;
	struct fault_child c;

	SC_REQUIRE_FEATURE(madv_dontfork);
	ASSERT_SYSCALL_RETURNS(0, madvise(p + self->pg, self->pg, MADV_DONTFORK));
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		if (*(volatile char *)p != 'p')	/* control: the other page is there */
			_exit(1);
		control_passed(&c);
		(void)*(volatile char *)(p + self->pg);
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, c);
	EXPECT_EQ('p', p[self->pg]);
	p[self->pg] = 'q';
	EXPECT_EQ('q', p[self->pg]);
}

/* MMAP-07 madvise(2): MADV_DOFORK after MADV_DONTFORK restores inheritance: the child reads the parent's data. */
TEST_F(anon, dofork_restores_inheritance_after_dontfork)
{
	char *p = self->priv;
	pid_t pid;

	SC_REQUIRE_FEATURE(madv_dontfork);
	ASSERT_SYSCALL_RETURNS(0, madvise(p, 2 * self->pg, MADV_DONTFORK));
	ASSERT_SYSCALL_RETURNS(0, madvise(p, 2 * self->pg, MADV_DOFORK));
	pid = SC_OK(sc_fork_nocore());
	if (pid == 0) {
		_exit(p[0] == 'p' && p[2 * self->pg - 1] == 'p' ? 0 : 1);
	}
	EXPECT_CHILD_OK(pid);
}

/* MMAP-08 madvise(2): after MADV_WIPEONFORK a fork child reads zeros in the range while the parent keeps its data. */
TEST_F(anon, wipeonfork_child_sees_zeros_parent_keeps_data)
{
	char *p = self->priv;
	pid_t pid;

	SC_REQUIRE_FEATURE(madv_wipeonfork);
	ASSERT_SYSCALL_RETURNS(0, madvise(p + self->pg, self->pg, MADV_WIPEONFORK));
	pid = SC_OK(sc_fork());
	if (pid == 0) {
		if (p[0] != 'p')		/* control: the other page is copied */
			_exit(1);
		for (long i = 0; i < self->pg; i++)
			if (p[self->pg + i] != 0)
				_exit(2);
		_exit(0);
	}
	EXPECT_CHILD_OK(pid);
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
	char *p = self->priv;

	SC_OK(madvise(p, self->pg, MADV_DONTNEED));
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(0, p[self->pg - 1]);
	EXPECT_EQ('p', p[self->pg]);	/* the page outside the range is kept */
}

FIXTURE(file) {
	struct sc_tmpdir tmp;
	long pg;
	int fd;
};

/* A file "data" of 2 pages of 'f', open O_RDWR. */
FIXTURE_SETUP(file)
{
	self->fd = -1;
	self->pg = sysconf(_SC_PAGESIZE);
	sc_tmpdir_setup(_metadata, &self->tmp);
	self->fd = open_filled_file(_metadata, "data", 2 * self->pg, 'f');
}

FIXTURE_TEARDOWN(file)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/* MMAP-08 madvise(2): MADV_WIPEONFORK on a (private) file mapping fails with EINVAL. */
TEST_F(file, wipeonfork_on_file_mapping_fails_einval)
{
	char *p;

	SC_REQUIRE_FEATURE(madv_wipeonfork);
	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_SYSCALL_FAILS(EINVAL, madvise(p, self->pg, MADV_WIPEONFORK));
	munmap(p, self->pg);
}

/* MMAP-09 madvise(2): after MADV_DONTNEED a MAP_SHARED file mapping still reads what was stored (nothing is lost). */
TEST_F(file, dontneed_shared_file_mapping_keeps_contents)
{
	char buf[7] = { 0 };
	char *p;

	p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	memcpy(p + 16, "stored", 6);
	SC_OK(madvise(p, self->pg, MADV_DONTNEED));
	EXPECT_EQ(0, memcmp(p + 16, "stored", 6)) {
		TH_LOG("mapping shows \"%.6s\"", p + 16);
	}
	EXPECT_EQ('f', p[0]);
	ASSERT_SYSCALL_RETURNS(6, pread(self->fd, buf, 6, 16));
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
