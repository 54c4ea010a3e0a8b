// SPDX-License-Identifier: GPL-2.0-only
/*
 * times: atime under the mount's options and O_NOATIME, mtime and ctime after write,
 * truncate, metadata changes and directory changes, utimensat() and who may call it,
 * and on a symlink itself (META-03 .. META-08, META-25). No case sleeps: it sets old
 * times with utimensat() first and checks that a field moved forward from them, or
 * stayed; where only st_ctime (which cannot be set) tells, it waits by spinning until
 * the clock is past the old ctime.
 * Man pages: inode(7), mount(2), open(2), truncate(2), utimensat(2).
 */
#include <sys/xattr.h>
#include "meta.h"

/* Read one byte of NAME (through an open with FLAGS); 1, or -1 with errno. */
static int read_one(const char *name, int flags)
{
	char c;
	int fd = open(name, O_RDONLY | O_CLOEXEC | flags);
	int n;

	if (fd < 0)
		return -1;
	n = read(fd, &c, 1);
	close(fd);
	return n;
}

/* META-03 inode(7): unless mounted noatime, the first read() after a modification (atime older than mtime) makes st_atime >= st_mtime. */
TEST_F(meta, read_after_modification_updates_atime)
{
	struct stat before, after;

	if (meta_mount_flags() & ST_NOATIME)
		SC_SKIP_FS("mounted noatime");
	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 500));
	SC_OK(stat("f", &before));
	EXPECT_SYSCALL_RETURNS(1, read_one("f", 0));
	SC_OK(stat("f", &after));
	EXPECT_GT(after.st_atime, before.st_atime);
	EXPECT_GE(meta_ns(after.st_atim), meta_ns(after.st_mtim));
	EXPECT_EQ(meta_ns(before.st_mtim), meta_ns(after.st_mtim));
}

/* META-03 mount(2): under relatime a second read() leaves alone the atime that the first one set (newer than mtime and ctime, and recent); once mtime is newer again, a read updates it. */
TEST_F(meta, relatime_second_read_keeps_atime)
{
	struct stat first, after;

	if (!(meta_mount_flags() & ST_RELATIME))
		SC_SKIP_FS("not mounted relatime");
	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 500));
	/* The read stamps atime from the coarse clock: past ctime only after its tick. */
	SC_SETUP(meta_after_ctime("f"));
	EXPECT_SYSCALL_RETURNS(1, read_one("f", 0));
	SC_OK(stat("f", &first));
	SC_SETUP(meta_after(first.st_atim));
	EXPECT_SYSCALL_RETURNS(1, read_one("f", 0));
	SC_OK(stat("f", &after));
	EXPECT_EQ(meta_ns(first.st_atim), meta_ns(after.st_atim)) {
		TH_LOG("the second read moved atime from %ld to %ld under relatime",
		       (long)first.st_atime, (long)after.st_atime);
	}
	/* The control: with mtime newer than atime the same read updates it. */
	SC_SETUP(meta_age("f", 1000, 500));
	EXPECT_SYSCALL_RETURNS(1, read_one("f", 0));
	SC_OK(stat("f", &after));
	EXPECT_GE(meta_ns(after.st_atim), meta_ns(first.st_atim));
	EXPECT_GE(meta_ns(after.st_atim), meta_ns(after.st_mtim));
}

/* META-03 mount(2): under noatime a read() never changes st_atime, even when it is older than mtime. */
TEST_F(meta, noatime_mount_read_keeps_atime)
{
	struct stat before, after;

	if (!(meta_mount_flags() & ST_NOATIME))
		SC_SKIP_FS("not mounted noatime");
	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 500));
	SC_OK(stat("f", &before));
	EXPECT_SYSCALL_RETURNS(1, read_one("f", 0));
	SC_OK(stat("f", &after));
	EXPECT_EQ(meta_ns(before.st_atim), meta_ns(after.st_atim));
}

/* META-03 open(2): a read() through a descriptor opened with O_NOATIME by the file's owner leaves st_atime alone; the same read without it updates atime. */
TEST_F(meta, o_noatime_read_keeps_atime)
{
	struct stat before, after;

	if (meta_mount_flags() & ST_NOATIME)
		SC_SKIP_FS("mounted noatime");
	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 500));
	SC_OK(stat("f", &before));
	EXPECT_SYSCALL_RETURNS(1, read_one("f", O_NOATIME));
	SC_OK(stat("f", &after));
	EXPECT_EQ(meta_ns(before.st_atim), meta_ns(after.st_atim)) {
		TH_LOG("atime moved from %ld to %ld through O_NOATIME",
		       (long)before.st_atime, (long)after.st_atime);
	}
	EXPECT_SYSCALL_RETURNS(1, read_one("f", 0));
	SC_OK(stat("f", &after));
	EXPECT_GT(after.st_atime, before.st_atime);
}

/* META-04 inode(7): write() sets st_mtime and st_ctime to the same new time and leaves st_atime alone. */
TEST_F(meta, write_sets_mtime_and_ctime_keeps_atime)
{
	struct stat before, after;
	int fd;

	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 1000));
	fd = SC_OK(open("f", O_WRONLY | O_CLOEXEC));
	SC_OK(fstat(fd, &before));
	EXPECT_SYSCALL_RETURNS(2, write(fd, "xy", 2));
	SC_OK(fstat(fd, &after));
	close(fd);
	EXPECT_GT(after.st_mtime, before.st_mtime);
	EXPECT_EQ(meta_ns(after.st_mtim), meta_ns(after.st_ctim)) {
		TH_LOG("mtime %lld.%09lld, ctime %lld.%09lld after write()",
		       (long long)after.st_mtim.tv_sec, (long long)after.st_mtim.tv_nsec,
		       (long long)after.st_ctim.tv_sec, (long long)after.st_ctim.tv_nsec);
	}
	EXPECT_EQ(meta_ns(before.st_atim), meta_ns(after.st_atim));
}

/* META-04 truncate(2): ftruncate() and truncate() that change the size update st_mtime and st_ctime. */
TEST_F(meta, truncate_changing_size_updates_mtime_and_ctime)
{
	struct stat before, after;
	int fd;

	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 1000));
	fd = SC_OK(open("f", O_WRONLY | O_CLOEXEC));
	SC_OK(fstat(fd, &before));
	SC_SETUP(meta_after_ctime("f"));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 2));
	SC_OK(fstat(fd, &after));
	EXPECT_GT(after.st_mtime, before.st_mtime);
	EXPECT_GT(meta_ns(after.st_ctim), meta_ns(before.st_ctim));
	SC_SETUP(meta_age("f", 1000, 1000));
	SC_OK(fstat(fd, &before));
	SC_SETUP(meta_after_ctime("f"));
	EXPECT_SYSCALL_RETURNS(0, truncate("f", 100));
	SC_OK(fstat(fd, &after));
	EXPECT_GT(after.st_mtime, before.st_mtime);
	EXPECT_GT(meta_ns(after.st_ctim), meta_ns(before.st_ctim));
	close(fd);
}

enum meta_change { CHMOD, CHOWN, LINK, UNLINK_ONE, RENAME };

static int change(enum meta_change what)
{
	switch (what) {
	case CHMOD: return chmod("f", 0640);
	case CHOWN: return chown("f", geteuid(), getegid());
	case LINK: return link("f", "f2");
	case UNLINK_ONE: return link("f", "f3") || meta_after_ctime("f") ? -2 : unlink("f3");
	case RENAME: return rename("f", "g") || rename("g", "f") ? -1 : 0;
	}
	return -1;
}

/* META-05 inode(7): chmod(), chown() (to the same owner and group), link(), unlink() of one of two links and rename() change the inode's st_ctime but not its st_mtime. */
TEST_F(meta, metadata_changes_move_ctime_not_mtime)
{
	static const char *const names[] = { "chmod", "chown", "link", "unlink of a second link", "rename" };
	struct stat before, after;

	SC_SETUP(sc_write_file("f", "data", 4));
	for (int what = CHMOD; what <= RENAME; what++) {
		SC_SETUP(meta_age("f", 1000, 1000));
		SC_OK(stat("f", &before));
		SC_SETUP(meta_after_ctime("f"));
		EXPECT_SYSCALL_RETURNS(0, change(what));
		SC_OK(stat("f", &after));
		EXPECT_GT(meta_ns(after.st_ctim), meta_ns(before.st_ctim)) {
			TH_LOG("%s did not move ctime", names[what]);
		}
		EXPECT_EQ(meta_ns(before.st_mtim), meta_ns(after.st_mtim)) {
			TH_LOG("%s moved mtime from %ld to %ld", names[what],
			       (long)before.st_mtime, (long)after.st_mtime);
		}
	}
}

/* META-05 inode(7): setxattr() changes st_ctime but not st_mtime. */
TEST_F(meta, setxattr_moves_ctime_not_mtime)
{
	struct stat before, after;

	SC_REQUIRE_FEATURE(user_xattr);
	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 1000));
	SC_OK(stat("f", &before));
	SC_SETUP(meta_after_ctime("f"));
	EXPECT_SYSCALL_RETURNS(0, setxattr("f", "user.sc", "v", 1, 0));
	SC_OK(stat("f", &after));
	EXPECT_GT(meta_ns(after.st_ctim), meta_ns(before.st_ctim));
	EXPECT_EQ(meta_ns(before.st_mtim), meta_ns(after.st_mtim));
}

static int dir_change(int what)
{
	switch (what) {
	case 0: return sc_write_file("d/new", "", 0);
	case 1: return mkdir("d/sub", 0700);
	case 2: return unlink("d/new");
	case 3: return rename("d/x", "d/y");
	case 4: return rename("d/y", "e");
	case 5: return rename("e", "d/z");
	}
	return -1;
}

/* META-06 inode(7): creating a file or a directory in a directory, removing an entry, renaming inside it, out of it and into it update that directory's st_mtime and st_ctime. */
TEST_F(meta, entry_changes_update_directory_mtime_and_ctime)
{
	static const char *const names[] = { "create", "mkdir", "unlink", "rename inside",
					     "rename out of", "rename into" };
	struct stat before, after;

	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/x", "", 0));
	for (int what = 0; what < 6; what++) {
		SC_SETUP(meta_age("d", 1000, 1000));
		SC_OK(stat("d", &before));
		SC_SETUP(meta_after_ctime("d"));
		EXPECT_SYSCALL_RETURNS(0, dir_change(what));
		SC_OK(stat("d", &after));
		EXPECT_GT(after.st_mtime, before.st_mtime) {
			TH_LOG("%s did not move the directory's mtime", names[what]);
		}
		EXPECT_GT(meta_ns(after.st_ctim), meta_ns(before.st_ctim)) {
			TH_LOG("%s did not move the directory's ctime", names[what]);
		}
	}
}

/* META-07 utimensat(2): utimensat() sets atime and mtime to the given times (nanoseconds kept to the half second), and sets st_ctime to the current time, not to a given one. */
TEST_F(meta, utimensat_sets_given_times_and_ctime_now)
{
	struct timespec t[2] = { { 1000000000, 500000000 }, { 1100000000, 250000000 } }, now;
	struct stat before, after;

	SC_SETUP(sc_write_file("f", "data", 4));
	SC_OK(stat("f", &before));
	SC_SETUP(meta_after_ctime("f"));
	EXPECT_SYSCALL_RETURNS(0, utimensat(AT_FDCWD, "f", t, 0));
	clock_gettime(CLOCK_REALTIME, &now);
	SC_OK(stat("f", &after));
	EXPECT_EQ(1000000000, after.st_atim.tv_sec);
	EXPECT_EQ(500000000, after.st_atim.tv_nsec);
	EXPECT_EQ(1100000000, after.st_mtim.tv_sec);
	EXPECT_EQ(250000000, after.st_mtim.tv_nsec);
	EXPECT_GT(meta_ns(after.st_ctim), meta_ns(before.st_ctim));
	EXPECT_LE(after.st_ctime, now.tv_sec + 1);
}

/* META-07 utimensat(2): UTIME_NOW sets that field to the current time and UTIME_OMIT leaves it alone, each for atime and mtime. */
TEST_F(meta, utimensat_utime_now_and_omit)
{
	struct timespec omit_now[2] = { { 0, UTIME_OMIT }, { 0, UTIME_NOW } };
	struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
	struct stat aged, st;
	struct timespec now;

	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(meta_age("f", 1000, 2000));
	SC_OK(stat("f", &aged));
	EXPECT_SYSCALL_RETURNS(0, utimensat(AT_FDCWD, "f", omit_now, 0));
	clock_gettime(CLOCK_REALTIME, &now);
	SC_OK(stat("f", &st));
	EXPECT_EQ(meta_ns(aged.st_atim), meta_ns(st.st_atim));
	EXPECT_LE(now.tv_sec - 5, st.st_mtime);
	EXPECT_GE(now.tv_sec + 1, st.st_mtime);
	SC_SETUP(meta_age("f", 1000, 2000));
	SC_OK(stat("f", &aged));
	EXPECT_SYSCALL_RETURNS(0, utimensat(AT_FDCWD, "f", now_omit, 0));
	SC_OK(stat("f", &st));
	EXPECT_LE(now.tv_sec - 5, st.st_atime);
	EXPECT_GE(now.tv_sec + 1, st.st_atime);
	EXPECT_EQ(meta_ns(aged.st_mtim), meta_ns(st.st_mtim));
}

/* META-25 utimensat(2): utimensat(AT_SYMLINK_NOFOLLOW) on a symlink sets the link's own atime and mtime and leaves its target's alone. */
TEST_F(meta, utimensat_nofollow_sets_symlink_own_times)
{
	struct timespec t[2] = { { 1000000000, 0 }, { 1100000000, 0 } };
	struct stat target_before, target, link;

	SC_SETUP(sc_write_file("f", "data", 4));
	SC_SETUP(symlink("f", "l"));
	SC_SETUP(meta_age("f", 1000, 2000));
	SC_OK(stat("f", &target_before));
	EXPECT_SYSCALL_RETURNS(0, utimensat(AT_FDCWD, "l", t, AT_SYMLINK_NOFOLLOW));
	SC_OK(lstat("l", &link));
	SC_OK(stat("f", &target));
	EXPECT_EQ(1000000000, link.st_atime);
	EXPECT_EQ(1100000000, link.st_mtime);
	EXPECT_EQ(meta_ns(target_before.st_atim), meta_ns(target.st_atim));
	EXPECT_EQ(meta_ns(target_before.st_mtim), meta_ns(target.st_mtim));
}

struct utimes_seen {
	int own_explicit, explicit_times, null_times, both_now, null_unwritable;
};

/* Child: utimensat() as uid 65534 on its own file and on root's files. */
static int utimes_as_nobody(void *data)
{
	struct timespec t[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	struct timespec now2[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct utimes_seen *s = data;

	META_DROP();
	if (sc_write_file("mine", "", 0))
		return sc_child_error("create a file as uid 65534: %s", sc_errname(errno));
	s->own_explicit = META_ERR(utimensat(AT_FDCWD, "mine", t, 0));
	s->explicit_times = META_ERR(utimensat(AT_FDCWD, "rw", t, 0));
	s->null_times = META_ERR(utimensat(AT_FDCWD, "rw", NULL, 0));
	s->both_now = META_ERR(utimensat(AT_FDCWD, "rw", now2, 0));
	s->null_unwritable = META_ERR(utimensat(AT_FDCWD, "ro", NULL, 0));
	return SC_CHILD_OK;
}

/* META-08 utimensat(2): on a file it does not own, an unprivileged caller gets EPERM for explicit times, but may set the current time (times NULL or both UTIME_NOW) with write permission, and gets EACCES without it; on its own file explicit times work. */
TEST_F(meta, utimensat_needs_owner_for_explicit_times)
{
	struct utimes_seen s = { -1, -1, -1, -1, -1 };

	META_NEED_ROOT();
	SC_SETUP(chmod(".", 0777));
	SC_SETUP(sc_write_file("rw", "", 0));
	SC_SETUP(chmod("rw", 0666));
	SC_SETUP(sc_write_file("ro", "", 0));
	SC_SETUP(chmod("ro", 0644));
	META_RUN(utimes_as_nobody, &s, sizeof(s));
	EXPECT_ERRNO(0, s.own_explicit, "explicit times on its own file");
	EXPECT_ERRNO(EPERM, s.explicit_times, "explicit times on root's mode 0666 file");
	EXPECT_ERRNO(0, s.null_times, "times NULL on root's mode 0666 file");
	EXPECT_ERRNO(0, s.both_now, "both UTIME_NOW on root's mode 0666 file");
	EXPECT_ERRNO(EACCES, s.null_unwritable, "times NULL on root's mode 0644 file");
}

TEST_HARNESS_MAIN
