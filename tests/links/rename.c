// SPDX-License-Identifier: GPL-2.0-only
/*
 * rename(): an atomic replacement of the destination (a concurrent reader never
 * misses it nor sees half of it), what happens to the replaced file, hard links
 * of one inode, directories, filesystems, renameat2()'s flags, and the
 * write-fsync-rename way of publishing a file (LINK-13 to LINK-17, LINK-19).
 * Man pages: rename(2), fsync(2).
 */
#include <sys/inotify.h>
#include <sys/mman.h>

#include "links.h"

#define RACE_LEN 8192		/* each version: RACE_LEN bytes of 'A' or of 'B' */
#define RACE_MIN_MS 100		/* the writer renames at least this long, */
#define RACE_MAX_MS 700		/* and until the reader saw both versions 5 times, at most this long */

/* Shared with the reader (MAP_SHARED): its counts, and the writer's stop. */
struct race {
	int stop;
	long opens, enoent, partial, other, seen[2];
	int other_err;
	long short_len;		/* the length of the last partial read */
};

/*
 * Put the caller on the WHICH-th CPU it may use (0 or 1), when it may use two or more:
 * the reader and the writer on CPUs of their own overlap in time, rather than take
 * turns where the scheduler chooses (at the end of a system call, mostly). A hint:
 * where it fails, the race just runs less often in parallel.
 */
static void race_pin(int which)
{
	cpu_set_t allowed, one;
	int seen = 0;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) || CPU_COUNT(&allowed) < 2)
		return;
	for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!CPU_ISSET(cpu, &allowed) || seen++ != which)
			continue;
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
		return;
	}
}

/* The reader: open "dst", read it all, until told to stop (or RACE_MAX_MS * 2 passed). */
static int read_dst_until_stopped(void *data)
{
	struct race *r = data;
	static char buf[RACE_LEN + 1];
	long end = links_now_ms() + 2 * RACE_MAX_MS;
	unsigned int seed = getpid();

	race_pin(1);

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE) && links_now_ms() < end) {
		ssize_t n, got = 0;
		bool same = true;
		int fd;

		/* A random pause of up to some 30 us (about a rename): no falling into step with the writer. */
		for (volatile unsigned int spin = (seed = seed * 1103515245 + 12345) >> 18; spin; spin--)
			;
		fd = open("dst", O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT) {
				r->enoent++;
			} else {
				r->other++;
				r->other_err = errno;
			}
			continue;
		}
		while ((n = read(fd, buf + got, sizeof(buf) - got)) > 0)
			got += n;
		close(fd);
		for (ssize_t i = 1; i < got && same; i++)
			same = buf[i] == buf[0];
		if (got == RACE_LEN && same && (buf[0] == 'A' || buf[0] == 'B')) {
			r->seen[buf[0] == 'B']++;
		} else {
			r->partial++;
			r->short_len = got;
		}
		__atomic_add_fetch(&r->opens, 1, __ATOMIC_RELEASE);
	}
	return SC_CHILD_OK;
}

/* Whether the writer may stop: RACE_MIN_MS passed and the reader saw both versions, or RACE_MAX_MS passed. */
static bool race_done(struct race *r, long start)
{
	long now = links_now_ms();

	return now - start >= RACE_MAX_MS || (now - start >= RACE_MIN_MS &&
		__atomic_load_n(&r->seen[0], __ATOMIC_RELAXED) >= 5 &&
		__atomic_load_n(&r->seen[1], __ATOMIC_RELAXED) >= 5);
}

/* The checks on the reader: never ENOENT, never a part, and it saw both versions (the control: it ran during the renames). */
#define EXPECT_READER_SAW_ONLY_WHOLE_VERSIONS(r, renames) do {		\
	TH_LOG("%ld renames; the reader opened dst %ld times: %ld A, %ld B, %ld partial, %ld ENOENT", \
	       renames, (r)->opens, (r)->seen[0], (r)->seen[1], (r)->partial, (r)->enoent); \
	EXPECT_EQ(0, (r)->enoent) {					\
		TH_LOG("the reader's open() of the destination failed ENOENT %ld times", (r)->enoent); \
	}								\
	EXPECT_EQ(0, (r)->partial) {					\
		TH_LOG("the reader saw %ld partial versions (the last %ld bytes)", (r)->partial, (r)->short_len); \
	}								\
	EXPECT_EQ(0, (r)->other) {					\
		TH_LOG("the reader's open() failed %s", sc_errname((r)->other_err)); \
	}								\
	EXPECT_LT(0, (r)->seen[0]);					\
	EXPECT_LT(0, (r)->seen[1]);					\
} while (0)

static struct race *race_map(struct __test_metadata *_metadata)
{
	struct race *r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (r == MAP_FAILED)
		SC_ERROR("mmap(MAP_SHARED) -> %s", sc_errname(errno));
	return r;
}

/* LINK-13 rename(2): rename(tmp, dst) replaces dst atomically: a concurrent reader that keeps opening dst during 100-700 ms of renames of alternating 8 KiB versions (tmp: a new link to the file A or B) never gets ENOENT and always reads a whole version. */
TEST_F(dir, rename_replaces_destination_atomically)
{
	static char v[2][RACE_LEN];
	struct sc_child c;
	struct race *r;
	long start, renames = 0, failed = 0, left = 0;
	int err = 0;

	memset(v[0], 'A', RACE_LEN);
	memset(v[1], 'B', RACE_LEN);
	r = race_map(_metadata);
	SC_SETUP(sc_write_file("A", v[0], RACE_LEN));
	SC_SETUP(sc_write_file("B", v[1], RACE_LEN));
	SC_SETUP(link("A", "dst"));
	SC_CHILD_START(&c, "the reader", read_dst_until_stopped, r, 0);
	race_pin(0);
	start = links_now_ms();
	while (!race_done(r, start)) {
		const char *next = ++renames & 1 ? "B" : "A";

		/* tmp is still there only when the last rename failed or left it. */
		if (link(next, "tmp") && errno == EEXIST) {
			left += !failed;
			SC_SETUP(unlink("tmp"));
			SC_SETUP(link(next, "tmp"));
		}
		if (rename("tmp", "dst")) {
			failed++;
			err = errno;
		}
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(0, failed) {
		TH_LOG("rename(tmp, dst) failed %ld times: %s", failed, sc_errname(err));
	}
	EXPECT_EQ(0, left) {
		TH_LOG("rename(tmp, dst) returned 0 and left tmp in place %ld times", left);
	}
	EXPECT_READER_SAW_ONLY_WHOLE_VERSIONS(r, renames);
	munmap(r, sizeof(*r));
}

/* LINK-13 rename(2) inotify(7): rename(tmp, dst) over an existing dst never removes the name dst: a watch on the directory reports IN_MOVED_FROM tmp and IN_MOVED_TO dst, and no IN_DELETE or IN_CREATE of dst. */
TEST_F(dir, rename_over_destination_never_removes_the_name)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pf;
	int moved_from = 0, moved_to = 0, deleted = 0, created = 0;
	ssize_t n;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("dst", "old", 3));
	SC_SETUP(sc_write_file("tmp", "new", 3));
	pf.fd = SC_OK(inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
	pf.events = POLLIN;
	SC_OK(inotify_add_watch(pf.fd, ".", IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO));
	EXPECT_SYSCALL_RETURNS(0, rename("tmp", "dst"));
	/* The events are queued when rename() returns; the wait is only a bound. */
	ASSERT_SYSCALL_RETURNS(1, poll(&pf, 1, SC_WAIT_MS));
	n = SC_OK(read(pf.fd, buf, sizeof(buf)));
	for (char *p = buf; p < buf + n; p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len) {
		const struct inotify_event *e = (const struct inotify_event *)p;
		bool dst = e->len && !strcmp(e->name, "dst"), tmp = e->len && !strcmp(e->name, "tmp");

		TH_LOG("event 0x%x %s", e->mask, e->len ? e->name : "");
		moved_from += tmp && (e->mask & IN_MOVED_FROM);
		moved_to += dst && (e->mask & IN_MOVED_TO);
		deleted += dst && (e->mask & IN_DELETE);
		created += dst && (e->mask & IN_CREATE);
	}
	EXPECT_EQ(1, moved_from);
	EXPECT_EQ(1, moved_to);
	EXPECT_EQ(0, deleted) {
		TH_LOG("IN_DELETE of dst: the name was removed before the new file got it");
	}
	EXPECT_EQ(0, created);
	close(pf.fd);
}

/* LINK-19 rename(2) fsync(2): publishing by write(tmp), fsync(tmp), rename(tmp, final), fsync(dirfd): every call returns 0, final read right after the rename is the complete new version, and a concurrent reader never sees a part of one nor ENOENT. */
TEST_F(dir, publish_by_fsync_and_rename_never_shows_partial_file)
{
	static char v[2][RACE_LEN];
	struct sc_child c;
	struct race *r;
	char got[RACE_LEN + 1];
	long start, renames = 0, failed = 0, stale = 0;
	const char *what = "";
	int dirfd, err = 0;

	memset(v[0], 'A', RACE_LEN);
	memset(v[1], 'B', RACE_LEN);
	r = race_map(_metadata);
	dirfd = SC_OK(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	SC_SETUP(sc_write_file("dst", v[0], RACE_LEN));
	SC_CHILD_START(&c, "the reader", read_dst_until_stopped, r, 0);
	race_pin(0);
	start = links_now_ms();
	while (!race_done(r, start)) {
		const char *next = v[++renames & 1];
		int fd = open("tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		/* Two halves, so that a reader of tmp's inode could see one. */
		what = fd < 0 ? "open(tmp)" : write(fd, next, RACE_LEN / 2) != RACE_LEN / 2 ? "write()" :
		       write(fd, next + RACE_LEN / 2, RACE_LEN / 2) != RACE_LEN / 2 ? "write()" :
		       fsync(fd) ? "fsync(tmp)" : close(fd) ? "close(tmp)" :
		       rename("tmp", "dst") ? "rename(tmp, dst)" : fsync(dirfd) ? "fsync(dirfd)" : NULL;
		if (what) {
			err = errno;
			failed++;
			break;
		}
		if (links_read("dst", got, sizeof(got)) != RACE_LEN || memcmp(got, next, RACE_LEN))
			stale++;
	}
	__atomic_store_n(&r->stop, 1, __ATOMIC_RELEASE);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(0, failed) {
		TH_LOG("%s failed: %s (after %ld publications)", what, sc_errname(err), renames - 1);
	}
	EXPECT_EQ(0, stale) {
		TH_LOG("%ld times, dst read right after the rename was not the new version", stale);
	}
	if (!failed)
		EXPECT_READER_SAW_ONLY_WHOLE_VERSIONS(r, renames);
	close(dirfd);
	munmap(r, sizeof(*r));
}

/* LINK-14 rename(2): after rename(src, dst) over dst, a descriptor open on the old dst still reads the old content and fstat() gives it st_nlink 0; the name dst gives the new content. */
TEST_F(dir, open_fd_on_replaced_destination_keeps_old_content)
{
	char buf[16] = "";
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("dst", "old", 3));
	SC_SETUP(sc_write_file("src", "new!", 4));
	fd = SC_OK(open("dst", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, rename("src", "dst"));
	EXPECT_SYSCALL_RETURNS(3, pread(fd, buf, sizeof(buf), 0));
	EXPECT_STREQ("old", buf);
	SC_OK(fstat(fd, &st));
	LINKS_SKIP_IF_NFS_SILLY_RENAME(st.st_nlink == 1);
	EXPECT_EQ(0, st.st_nlink);
	EXPECT_SYSCALL_RETURNS(4, links_read("dst", buf, sizeof(buf)));
	EXPECT_STREQ("new!", buf);
	close(fd);
}

/* LINK-14 rename(2): when the replaced dst has another hard link, its st_nlink drops from 2 to 1 and the other name still holds the old content. */
TEST_F(dir, replaced_destination_with_other_link_keeps_it)
{
	char buf[16] = "";
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("dst", "old", 3));
	SC_SETUP(link("dst", "other"));
	SC_SETUP(sc_write_file("src", "new!", 4));
	fd = SC_OK(open("dst", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, rename("src", "dst"));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(1, st.st_nlink);
	EXPECT_SYSCALL_RETURNS(3, links_read("other", buf, sizeof(buf)));
	EXPECT_STREQ("old", buf);
	close(fd);
}

/* LINK-15 rename(2): rename(a, b) where a and b are hard links of one inode returns 0 and does nothing: both names still exist, st_nlink stays 2. */
TEST_F(dir, rename_between_links_of_same_inode_does_nothing)
{
	struct stat a, b;

	SC_SETUP(sc_write_file("a", "x", 1));
	SC_SETUP(link("a", "b"));
	EXPECT_SYSCALL_RETURNS(0, rename("a", "b"));
	EXPECT_SYSCALL_RETURNS(0, lstat("a", &a));
	EXPECT_SYSCALL_RETURNS(0, lstat("b", &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(2, b.st_nlink);
}

/* LINK-16 rename(2): rename() of a directory onto a non-empty directory fails with ENOTEMPTY (xfs gives EEXIST, which POSIX also allows: a skip there), and both stay as they were. */
TEST_F(dir, rename_directory_onto_nonempty_directory_fails_enotempty)
{
	struct stat st;
	int r, err;

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(mkdir("full", 0755));
	SC_SETUP(sc_write_file("full/f", "x", 1));
	errno = 0;
	r = rename("d", "full");
	err = errno;
	EXPECT_EQ(-1, r);
	EXPECT_SYSCALL_RETURNS(0, stat("d", &st));
	EXPECT_SYSCALL_RETURNS(0, stat("full/f", &st));
	if (r == -1 && err == EEXIST && !strcmp(sc_test_fs(), "xfs"))
		SC_SKIP_FS("rename() onto a non-empty directory fails with EEXIST (xfs_rename), not ENOTEMPTY");
	EXPECT_EQ(ENOTEMPTY, r == -1 ? err : 0) {
		TH_LOG("rename(d, full) onto a non-empty directory: expected ENOTEMPTY, got %s",
		       r == -1 ? sc_errname(err) : "success");
	}
}

/* LINK-16 rename(2): rename() of a directory onto an empty directory replaces it: the new name is the old directory (its st_ino, its files), the old name is gone. */
TEST_F(dir, rename_directory_onto_empty_directory_replaces_it)
{
	struct stat before, after;

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(sc_write_file("d/f", "x", 1));
	SC_SETUP(mkdir("empty", 0755));
	SC_OK(stat("d", &before));
	EXPECT_SYSCALL_RETURNS(0, rename("d", "empty"));
	SC_OK(stat("empty", &after));
	EXPECT_EQ(before.st_ino, after.st_ino);
	EXPECT_SYSCALL_RETURNS(0, stat("empty/f", &after));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("d", &after));
}

/* LINK-16 rename(2): rename() of a directory onto a non-directory fails with ENOTDIR, of a file onto a directory with EISDIR, of a directory into its own subtree with EINVAL. */
TEST_F(dir, rename_directory_file_mismatch_and_subtree_errors)
{
	struct stat st;

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(mkdir("d/sub", 0755));
	SC_SETUP(mkdir("e", 0755));
	SC_SETUP(sc_write_file("f", "x", 1));
	EXPECT_SYSCALL_FAILS(ENOTDIR, rename("d", "f"));
	EXPECT_SYSCALL_FAILS(EISDIR, rename("f", "e"));
	EXPECT_SYSCALL_FAILS(EINVAL, rename("d", "d/sub/x"));
	EXPECT_SYSCALL_FAILS(EINVAL, rename("d", "d/x"));
	EXPECT_SYSCALL_RETURNS(0, stat("d/sub", &st));
	EXPECT_SYSCALL_RETURNS(0, stat("f", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
}

/* In the private tmpfs: rename() of a file and of a directory from the test filesystem into it, and (the control) within it. */
static void rename_across(struct links_tmpfs *r)
{
	struct stat st;

	r->err[0] = LINKS_ERR(sc_write_file("f", "x", 1));
	r->err[1] = LINKS_ERR(mkdir("d", 0755));
	r->err[2] = LINKS_ERR(rename("f", "mnt/f"));
	r->err[3] = LINKS_ERR(rename("d", "mnt/d"));
	r->err[4] = LINKS_ERR(sc_write_file("mnt/g", "y", 1));
	r->err[5] = LINKS_ERR(rename("mnt/g", "mnt/h"));
	r->err[6] = LINKS_ERR(rename("mnt/h", "h"));
	r->err[7] = LINKS_ERR(stat("f", &st));
}

/* LINK-16 rename(2): rename() of a file or a directory between the test filesystem and a separate tmpfs fails with EXDEV (both ways) and moves nothing; within the tmpfs it works. */
TEST_F(dir, rename_across_filesystems_fails_exdev)
{
	struct links_tmpfs r = { .ns = -1 };
	static const char *const what[] = { "", "", "rename(f, mnt/f)", "rename(d, mnt/d)", "",
					    "", "rename(mnt/h, h)" };
	static const int exdev[] = { 2, 3, 6 };

	LINKS_IN_TMPFS(&r, rename_across);
	if (r.err[0] || r.err[1] || r.err[4])
		SC_ERROR("making the files: %s, %s, %s", links_errstr(r.err[0]), links_errstr(r.err[1]),
			 links_errstr(r.err[4]));
	for (int k = 0; k < 3; k++) {
		int i = exdev[k];

		EXPECT_EQ(EXDEV, r.err[i]) {
			TH_LOG("%s across filesystems: expected EXDEV, got %s", what[i], links_errstr(r.err[i]));
		}
	}
	EXPECT_EQ(0, r.err[5]) {
		TH_LOG("rename(mnt/g, mnt/h) within the tmpfs: %s", links_errstr(r.err[5]));
	}
	EXPECT_EQ(0, r.err[7]) {
		TH_LOG("after the failed rename, stat(f): %s", links_errstr(r.err[7]));
	}
}

/* LINK-17 rename(2): renameat2(RENAME_NOREPLACE) fails with EEXIST when newpath exists and changes nothing; to a free name it renames. */
TEST_F(dir, renameat2_noreplace_fails_eexist_on_existing)
{
	char buf[16];
	struct stat st;

	SC_REQUIRE_FEATURE(renameat2);
	SC_SETUP(sc_write_file("a", "aaa", 3));
	SC_SETUP(sc_write_file("b", "bb", 2));
	EXPECT_SYSCALL_FAILS(EEXIST, renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
	EXPECT_SYSCALL_RETURNS(2, links_read("b", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(3, links_read("a", buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(0, renameat2(AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("a", &st));
	EXPECT_SYSCALL_RETURNS(3, links_read("c", buf, sizeof(buf)));
}

/*
 * Skip when renameat2(RENAME_EXCHANGE) failed with EINVAL on a filesystem whose Linux
 * driver has no exchange (nfs, 9p, cifs; fuse where the server lacks it): a property
 * of that filesystem, where ext4, xfs, btrfs, tmpfs, f2fs and overlayfs have it.
 */
#define SKIP_IF_FS_HAS_NO_EXCHANGE(ret, err) do {			\
	static const char *const no_exchange[] = { "nfs", "9p", "cifs", "smb2", "fuse" }; \
	for (size_t _i = 0; (ret) == -1 && (err) == EINVAL && _i < 5; _i++)	\
		if (!strcmp(sc_test_fs(), no_exchange[_i]))		\
			SC_SKIP_FS("renameat2(RENAME_EXCHANGE) fails EINVAL (no exchange in its driver)"); \
} while (0)

/* LINK-17 rename(2): renameat2(RENAME_EXCHANGE) swaps two existing names (a file and a directory too): each name now has the other's inode. */
TEST_F(dir, renameat2_exchange_swaps_two_names)
{
	struct stat a0, b0, a1, b1;
	int r, err;

	SC_REQUIRE_FEATURE(renameat2);
	SC_SETUP(sc_write_file("a", "aaa", 3));
	SC_SETUP(mkdir("b", 0755));
	SC_OK(lstat("a", &a0));
	SC_OK(lstat("b", &b0));
	errno = 0;
	r = renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE);
	err = errno;
	SKIP_IF_FS_HAS_NO_EXCHANGE(r, err);
	EXPECT_EQ(0, r) {
		TH_LOG("renameat2(a, b, RENAME_EXCHANGE) -> %s", sc_errname(err));
	}
	SC_OK(lstat("a", &a1));
	SC_OK(lstat("b", &b1));
	EXPECT_EQ(b0.st_ino, a1.st_ino);
	EXPECT_EQ(a0.st_ino, b1.st_ino);
	EXPECT_TRUE(S_ISDIR(a1.st_mode));
	EXPECT_TRUE(S_ISREG(b1.st_mode));
}

/* LINK-17 rename(2): renameat2(RENAME_EXCHANGE) fails with ENOENT when either name is missing, and RENAME_NOREPLACE|RENAME_EXCHANGE fails with EINVAL; nothing moves. */
TEST_F(dir, renameat2_exchange_missing_enoent_both_flags_einval)
{
	struct stat st;
	int r, err;

	SC_REQUIRE_FEATURE(renameat2);
	SC_SETUP(sc_write_file("a", "aaa", 3));
	SC_SETUP(sc_write_file("b", "bb", 2));
	errno = 0;
	r = renameat2(AT_FDCWD, "a", AT_FDCWD, "missing", RENAME_EXCHANGE);
	err = errno;
	SKIP_IF_FS_HAS_NO_EXCHANGE(r, err);
	EXPECT_EQ(ENOENT, r == -1 ? err : 0) {
		TH_LOG("renameat2(a, missing, RENAME_EXCHANGE): expected ENOENT, got %s",
		       r == -1 ? sc_errname(err) : "success");
	}
	EXPECT_SYSCALL_FAILS(ENOENT, renameat2(AT_FDCWD, "missing", AT_FDCWD, "a", RENAME_EXCHANGE));
	EXPECT_SYSCALL_FAILS(EINVAL, renameat2(AT_FDCWD, "a", AT_FDCWD, "b",
					       RENAME_NOREPLACE | RENAME_EXCHANGE));
	EXPECT_SYSCALL_FAILS(EINVAL, renameat2(AT_FDCWD, "a", AT_FDCWD, "c",
					       RENAME_NOREPLACE | RENAME_EXCHANGE));
	SC_OK(stat("a", &st));
	EXPECT_EQ(3, st.st_size);
	SC_OK(stat("b", &st));
	EXPECT_EQ(2, st.st_size);
	EXPECT_SYSCALL_FAILS(ENOENT, stat("missing", &st));
	EXPECT_SYSCALL_FAILS(ENOENT, stat("c", &st));
}

TEST_HARNESS_MAIN
