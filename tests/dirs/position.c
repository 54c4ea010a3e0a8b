// SPDX-License-Identifier: GPL-2.0-only
/*
 * A directory's read position: lseek(fd, 0, SEEK_SET), rewinddir() and
 * seekdir(telldir()) move it back (DIR-11); removing or adding entries between
 * reads (as rm -r does) makes no other entry be skipped or returned twice (DIR-12).
 * Man pages: lseek(2), getdents(2), readdir(3), rewinddir(3), seekdir(3), telldir(3).
 */
#include "dirs.h"

#define MANY 150

/* N files d/NNN_xxx... with names LEN bytes long (at least 4). */
static int make_many(int n, int len)
{
	char name[300];

	if (mkdir("d", 0700))
		return -1;
	for (int i = 0; i < n; i++) {
		int k = snprintf(name, sizeof(name), "d/%03d_", i);

		memset(name + k, 'x', len - (k - 2));
		name[len + 2] = 0;
		if (sc_write_file(name, "", 0))
			return -1;
	}
	return 0;
}

/* The index of a name made by make_many() (digits, then '_'), or -1 for another. */
static int index_of(const char *name)
{
	char *end;
	long i = strtol(name, &end, 10);

	return end == name + 3 && *end == '_' && i >= 0 && i < MANY ? (int)i : -1;
}

/* DIR-11 lseek(2): lseek(fd, 0, SEEK_SET) on a directory read to its end makes getdents64() return every record again. */
TEST_F(dir, lseek_zero_restarts_getdents64)
{
	struct dirs_list first, again;
	int fd;

	SC_SETUP(make_many(10, 8));
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 4096, &first));
	ASSERT_EQ(12, first.n);
	EXPECT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_SET));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 4096, &again));
	EXPECT_EQ(first.n, again.n);
	for (int i = 0; i < first.n; i++) {
		EXPECT_EQ(1, dirs_count(&again, first.e[i].name)) {
			TH_LOG("after lseek(0), \"%s\" came %d times", first.e[i].name,
			       dirs_count(&again, first.e[i].name));
		}
	}
	close(fd);
}

/* Read the rest of D into L (added to what L holds). */
static void read_rest(DIR *d, struct dirs_list *l)
{
	struct dirent *e;

	while ((e = readdir(d)))
		dirs_add(l, e->d_name, e->d_ino, e->d_type);
}

/* DIR-11 rewinddir(3): after readdir() reached the end, rewinddir() makes readdir() return every entry again. */
TEST_F(dir, rewinddir_restarts_readdir)
{
	struct dirs_list first = { 0 }, again = { 0 };
	DIR *d;

	SC_SETUP(make_many(10, 8));
	d = opendir("d");
	ASSERT_NE(NULL, d);
	read_rest(d, &first);
	ASSERT_EQ(12, first.n);
	rewinddir(d);
	read_rest(d, &again);
	EXPECT_EQ(first.n, again.n);
	for (int i = 0; i < first.n; i++) {
		EXPECT_EQ(1, dirs_count(&again, first.e[i].name)) {
			TH_LOG("after rewinddir(), \"%s\" came %d times", first.e[i].name,
			       dirs_count(&again, first.e[i].name));
		}
	}
	closedir(d);
}

/* DIR-11 seekdir(3): seekdir(telldir()) taken before an entry, after more reads, makes readdir() return that entry again. */
TEST_F(dir, seekdir_returns_to_telldir_position)
{
	char want[256];
	struct dirent *e;
	long pos;
	DIR *d;

	SC_SETUP(make_many(10, 8));
	d = opendir("d");
	ASSERT_NE(NULL, d);
	for (int i = 0; i < 3; i++)
		ASSERT_NE(NULL, readdir(d));
	pos = SC_OK(telldir(d));
	e = readdir(d);
	ASSERT_NE(NULL, e);
	snprintf(want, sizeof(want), "%s", e->d_name);
	for (int i = 0; i < 4; i++)
		ASSERT_NE(NULL, readdir(d));
	seekdir(d, pos);
	e = readdir(d);
	ASSERT_NE(NULL, e);
	EXPECT_STREQ(want, e->d_name);
	closedir(d);
}

/*
 * Read d with getdents64() (a buffer of LEN bytes) and after each call unlink the
 * names it returned (UNLINK) or add 5 new files (else, MANY at most); count how
 * often each of the MANY first names came in SEEN. 0; -1 with errno; or -2 when
 * the end did not come in 1000 calls (a listing that never ends).
 */
static int read_while_changing(int len, bool unlink_them, int *seen)
{
	char buf[4096] __attribute__((aligned(8)));
	char path[300];
	int fd = open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC), added = 0, calls = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = getdents64(fd, (void *)buf, len)) > 0 && ++calls < 1000) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *r = (struct dirent64 *)(buf + off);
			int i = index_of(r->d_name);

			if (i >= 0)
				seen[i]++;
			snprintf(path, sizeof(path), "d/%s", r->d_name);
			if (unlink_them && i >= 0 && unlink(path))
				return -1;
			off += r->d_reclen;
		}
		for (int k = 0; !unlink_them && k < 5 && added < MANY; k++) {
			snprintf(path, sizeof(path), "d/new%04d", added++);
			if (sc_write_file(path, "", 0))
				return -1;
		}
	}
	close(fd);
	return n < 0 ? -1 : calls == 1000 ? -2 : 0;
}

/* Each of the MANY names came once in SEEN: the missing and repeated ones, a few by name. */
static void check_seen(struct __test_metadata *_metadata, const int *seen, const char *how)
{
	int missing = 0, twice = 0;

	for (int i = 0; i < MANY; i++) {
		missing += seen[i] == 0;
		twice += seen[i] > 1;
		if (seen[i] != 1 && missing + twice <= 3)
			TH_LOG("%s: name %03d came %d times", how, i, seen[i]);
	}
	EXPECT_EQ(0, missing) {
		TH_LOG("%s: %d of %d names never came", how, missing, MANY);
	}
	EXPECT_EQ(0, twice) {
		TH_LOG("%s: %d of %d names came more than once", how, twice, MANY);
	}
}

/* DIR-12 getdents(2): unlinking each name as getdents64() returns it (rm -r) makes no remaining entry be skipped or come twice: every one of 150 names comes once. */
TEST_F(dir, unlinking_while_reading_getdents64_skips_none)
{
	static int seen[MANY];
	struct dirs_list rest;
	int fd;

	SC_SETUP(make_many(MANY, 60));
	ASSERT_SYSCALL_RETURNS(0, read_while_changing(1024, true, seen));
	check_seen(_metadata, seen, "getdents64(), unlinking");
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 4096, &rest));
	close(fd);
	EXPECT_EQ(2, rest.n);
}

/* DIR-12 getdents(2): adding files between getdents64() calls makes none of the 150 entries that were there before be skipped or come twice. */
TEST_F(dir, adding_while_reading_getdents64_skips_none)
{
	static int seen[MANY];
	int r;

	SC_SETUP(make_many(MANY, 60));
	r = read_while_changing(1024, false, seen);
	ASSERT_NE(-2, r) {
		TH_LOG("getdents64() gave no end in 1000 calls of 1024 bytes with 150 names added");
	}
	ASSERT_SYSCALL_RETURNS(0, r);
	check_seen(_metadata, seen, "getdents64(), adding");
}

/* DIR-12 readdir(3): unlinking each name as readdir() returns it (rm -r, past libc's buffer: 150 names of 250 bytes) makes no remaining entry be skipped or come twice. */
TEST_F(dir, unlinking_while_reading_readdir_skips_none)
{
	static int seen[MANY];
	char path[300];
	struct dirent *e;
	DIR *d;

	SC_SETUP(make_many(MANY, 250));
	d = opendir("d");
	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		int i = index_of(e->d_name);

		if (i < 0)
			continue;
		seen[i]++;
		snprintf(path, sizeof(path), "d/%s", e->d_name);
		EXPECT_SYSCALL_RETURNS(0, unlink(path));
	}
	closedir(d);
	check_seen(_metadata, seen, "readdir(), unlinking");
	EXPECT_SYSCALL_RETURNS(0, rmdir("d"));
}

TEST_HARNESS_MAIN
