// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mapping at a given address: MAP_FIXED replaces what is there, MAP_FIXED_NOREPLACE
 * refuses to. mmap(2). Each test works inside a 3-page region it mapped itself,
 * so the addresses used are known to be this test's.
 */
#include "mmap.h"

/* p: 3 pages, MAP_PRIVATE|MAP_ANONYMOUS, filled with 'a' */
ANON_FIXTURE(region, 3, 'a');

/* MMAP-15 mmap(2): MAP_FIXED over an existing mapping replaces that range (fresh zeros) and leaves its neighbours. */
TEST_F(region, map_fixed_replaces_existing_mapping)
{
	char *mid = self->p + self->pg;
	char *q = mmap(mid, self->pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	ASSERT_EQ(mid, q) {
		TH_LOG("mmap(MAP_FIXED) returned %p (%s), wanted %p", q,
		       q == MAP_FAILED ? sc_errname(errno) : "moved", mid);
	}
	EXPECT_EQ(0, mid[0]);
	EXPECT_EQ(0, mid[self->pg - 1]);
	EXPECT_EQ('a', self->p[self->pg - 1]);
	EXPECT_EQ('a', self->p[2 * self->pg]);
}

/* MMAP-15 mmap(2): MAP_FIXED_NOREPLACE over an existing mapping fails with EEXIST and keeps the mapping's data. */
TEST_F(region, map_fixed_noreplace_over_mapping_fails_eexist)
{
	char *mid = self->p + self->pg;
	char *q;
	int err;

	SC_REQUIRE_FEATURE(map_fixed_noreplace);
	q = mmap(mid, self->pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	err = q == MAP_FAILED ? errno : 0;
	EXPECT_EQ(EEXIST, err) {
		TH_LOG("mmap(MAP_FIXED_NOREPLACE) returned %p", q);
	}
	EXPECT_EQ('a', mid[0]);
	if (q != MAP_FAILED && q != mid)
		munmap(q, self->pg);
}

/* MMAP-15 mmap(2): MAP_FIXED_NOREPLACE over a range that is only partly mapped (its first page free) fails with EEXIST. */
TEST_F(region, map_fixed_noreplace_over_partial_overlap_fails_eexist)
{
	char *q;
	int err;

	SC_REQUIRE_FEATURE(map_fixed_noreplace);
	ASSERT_SYSCALL_RETURNS(0, munmap(self->p, self->pg));
	q = mmap(self->p, 2 * self->pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	err = q == MAP_FAILED ? errno : 0;
	EXPECT_EQ(EEXIST, err) {
		TH_LOG("mmap(MAP_FIXED_NOREPLACE) returned %p", q);
	}
	EXPECT_EQ(ENOMEM, mapped(self->p, self->pg));	/* still a hole */
	EXPECT_EQ('a', self->p[self->pg]);
	if (q != MAP_FAILED && q != self->p)
		munmap(q, 2 * self->pg);
}

/* MMAP-15 mmap(2): MAP_FIXED_NOREPLACE on a free range maps exactly at the given address. */
TEST_F(region, map_fixed_noreplace_on_free_range_maps_there)
{
	char *mid = self->p + self->pg;
	char *q;

	SC_REQUIRE_FEATURE(map_fixed_noreplace);
	ASSERT_SYSCALL_RETURNS(0, munmap(mid, self->pg));
	q = mmap(mid, self->pg, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	EXPECT_EQ(mid, q) {
		TH_LOG("mmap(MAP_FIXED_NOREPLACE) returned %p (%s), wanted %p", q,
		       q == MAP_FAILED ? sc_errname(errno) : "moved", mid);
	}
	if (q == mid) {
		EXPECT_EQ(0, mid[0]);
	} else if (q != MAP_FAILED) {
		munmap(q, self->pg);
	}
}

/* MMAP-15 mmap(2): MAP_FIXED of a file over part of an anonymous mapping shows the file's data there. */
TEST_F(region, map_fixed_file_over_anonymous_shows_file_data)
{
	struct sc_tmpdir tmp;
	char *mid = self->p + self->pg;
	char *q;
	int fd;

	sc_tmpdir_setup(_metadata, &tmp);
	fd = open("data", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, self->pg) || pwrite(fd, "file", 4, 0) != 4) {
		sc_tmpdir_teardown(&tmp);
		SC_ERROR("make data: %s", sc_errname(errno));
	}
	q = mmap(mid, self->pg, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	close(fd);
	sc_tmpdir_teardown(&tmp);
	ASSERT_EQ(mid, q) {
		TH_LOG("mmap(MAP_FIXED) returned %p, wanted %p", q, mid);
	}
	EXPECT_EQ(0, memcmp(mid, "file", 4));
	EXPECT_EQ('a', self->p[0]);
	EXPECT_EQ('a', self->p[2 * self->pg]);
}

TEST_HARNESS_MAIN
