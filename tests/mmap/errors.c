// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument errors of mmap(), munmap() and msync(), and what munmap() leaves behind.
 * mmap(2), munmap(2), msync(2).
 */
#include "mmap.h"

/* The errno of a failed mmap(), 0 if it succeeded (the mapping is removed). */
static int mmap_errno(size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

FIXTURE(file) {
	struct sc_file f;	/* "data", 2 pages of zeros, O_RDWR */
	long pg;
};

FIXTURE_SETUP(file)
{
	self->pg = sysconf(_SC_PAGESIZE);
	sc_file_setup(_metadata, &self->f, "data", NULL, 2 * self->pg, O_RDWR);
}

FIXTURE_TEARDOWN(file)
{
	sc_file_teardown(&self->f);
}

/* MMAP-14 mmap(2): mmap() with length 0 fails with EINVAL (file and anonymous). */
TEST_F(file, mmap_zero_length_fails_einval)
{
	int err = mmap_errno(0, PROT_READ, MAP_SHARED, self->f.fd, 0);

	EXPECT_EQ(EINVAL, err) {
		TH_LOG("file mapping: %s", err ? sc_errname(err) : "succeeded");
	}
	err = mmap_errno(0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(EINVAL, err) {
		TH_LOG("anonymous mapping: %s", err ? sc_errname(err) : "succeeded");
	}
}

/* MMAP-14 mmap(2): mmap() with flags holding neither MAP_SHARED nor MAP_PRIVATE fails with EINVAL. */
TEST_F(file, mmap_without_shared_or_private_fails_einval)
{
	int err = mmap_errno(self->pg, PROT_READ, 0, self->f.fd, 0);

	EXPECT_EQ(EINVAL, err) {
		TH_LOG("flags 0: %s", err ? sc_errname(err) : "succeeded");
	}
	err = mmap_errno(self->pg, PROT_READ, MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(EINVAL, err) {
		TH_LOG("flags MAP_ANONYMOUS: %s", err ? sc_errname(err) : "succeeded");
	}
}

/* MMAP-14 mmap(2): mmap() of a file at an offset that is not a multiple of the page size fails with EINVAL. */
TEST_F(file, mmap_unaligned_offset_fails_einval)
{
	int err = mmap_errno(self->pg, PROT_READ, MAP_SHARED, self->f.fd, 1);

	EXPECT_EQ(EINVAL, err) {
		TH_LOG("offset 1: %s", err ? sc_errname(err) : "succeeded");
	}
	err = mmap_errno(self->pg, PROT_READ, MAP_PRIVATE, self->f.fd, self->pg / 2);
	EXPECT_EQ(EINVAL, err) {
		TH_LOG("offset pagesize/2: %s", err ? sc_errname(err) : "succeeded");
	}
	EXPECT_EQ(0, mmap_errno(self->pg, PROT_READ, MAP_SHARED, self->f.fd, self->pg));
}

/* MMAP-14 mmap(2): mmap() of a pipe fails with ENODEV. */
TEST(mmap_of_pipe_fails_enodev)
{
	long pg = sysconf(_SC_PAGESIZE);
	int p[2], err;

	ASSERT_SYSCALL_RETURNS(0, pipe2(p, O_CLOEXEC));
	err = mmap_errno(pg, PROT_READ, MAP_PRIVATE, p[0], 0);
	EXPECT_EQ(ENODEV, err) {
		TH_LOG("read end: %s", err ? sc_errname(err) : "succeeded");
	}
	close(p[0]);
	close(p[1]);
}

/* MMAP-16 munmap(2): munmap() of a range that is not mapped succeeds. */
TEST(munmap_of_unmapped_range_succeeds)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_SYSCALL_RETURNS(0, munmap(p, 2 * pg));
	EXPECT_EQ(0, munmap(p, 2 * pg)) {
		TH_LOG("second munmap: %s", sc_errname(errno));
	}
}

/* MMAP-16 munmap(2): munmap() of an address that is not page-aligned fails with EINVAL. */
TEST(munmap_unaligned_address_fails_einval)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_SYSCALL_FAILS(EINVAL, munmap(p + 1, pg));
	EXPECT_SYSCALL_RETURNS(0, msync(p, pg, MS_ASYNC));	/* still mapped: no ENOMEM */
	munmap(p, 2 * pg);
}

/* MMAP-16 munmap(2): an access to a range after munmap() raises SIGSEGV. */
TEST(access_after_munmap_raises_sigsegv)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct accesses a = { .fault = TOUCHES(p) };

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'm';
	ASSERT_SYSCALL_RETURNS(0, munmap(p, pg));
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
}

/* MMAP-16 msync(2): msync() with both MS_SYNC and MS_ASYNC fails with EINVAL. */
TEST_F(file, msync_sync_and_async_together_fails_einval)
{
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_SYSCALL_FAILS(EINVAL, msync(p, self->pg, MS_SYNC | MS_ASYNC));
	EXPECT_SYSCALL_RETURNS(0, msync(p, self->pg, MS_ASYNC));	/* control */
	munmap(p, self->pg);
}

/* MMAP-16 msync(2): msync() of an address that is not page-aligned fails with EINVAL. */
TEST_F(file, msync_unaligned_address_fails_einval)
{
	char *p = mmap(NULL, 2 * self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_SYSCALL_FAILS(EINVAL, msync(p + 1, self->pg, MS_SYNC));
	munmap(p, 2 * self->pg);
}

/* MMAP-16 msync(2): msync() of a range that is not mapped fails with ENOMEM. */
TEST(msync_of_unmapped_range_fails_enomem)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_SYSCALL_RETURNS(0, munmap(p, pg));
	EXPECT_SYSCALL_FAILS(ENOMEM, msync(p, pg, MS_SYNC));
}

TEST_HARNESS_MAIN
