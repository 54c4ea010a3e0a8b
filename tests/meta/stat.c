// SPDX-License-Identifier: GPL-2.0-only
/*
 * stat: what stat(), fstat(), lstat() and statx() report: the file type in st_mode
 * whatever the name, st_size and st_blocks, identity by st_dev and st_ino, statx()
 * agreeing with stat() and a birth time that stays (META-01, META-02, META-09).
 * Man pages: inode(7), stat(2), statx(2).
 */
#include <sys/socket.h>
#include <sys/un.h>
#include "meta.h"

/* META-01 inode(7): stat() gives the type by the inode, not the name: a regular file named "d.dir" is S_ISREG, a directory "f.txt" S_ISDIR, a FIFO S_ISFIFO, a bound AF_UNIX socket S_ISSOCK, /dev/null S_ISCHR, and lstat() of a symlink S_ISLNK. */
TEST_F(meta, stat_reports_type_by_inode_not_name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "s.txt" };
	static const struct { const char *name; mode_t type; } want[] = {
		{ "d.dir", S_IFREG }, { "f.txt", S_IFDIR }, { "p.txt", S_IFIFO },
		{ "s.txt", S_IFSOCK }, { "/dev/null", S_IFCHR }, { "l.txt", S_IFLNK },
	};
	struct stat st;
	int sock;

	SC_SETUP(sc_write_file("d.dir", "x", 1));
	SC_SETUP(mkdir("f.txt", 0700));
	SC_SETUP(mkfifo("p.txt", 0600));
	sock = SC_SETUP(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	SC_SETUP(bind(sock, (struct sockaddr *)&sa, sizeof(sa)));
	SC_SETUP(symlink("d.dir", "l.txt"));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		SC_OK(lstat(want[i].name, &st));
		EXPECT_EQ(want[i].type, st.st_mode & S_IFMT) {
			TH_LOG("lstat(%s): type 0%o, expected 0%o", want[i].name,
			       st.st_mode & S_IFMT, want[i].type);
		}
	}
	SC_OK(stat("l.txt", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode)) {
		TH_LOG("stat() through the symlink: type 0%o, expected a regular file", st.st_mode & S_IFMT);
	}
	close(sock);
}

/* META-01 inode(7): fstat() of an open regular file, directory and FIFO reports the same type as stat() of its name. */
TEST_F(meta, fstat_reports_type_of_open_file)
{
	static const struct { const char *name; mode_t type; } want[] = {
		{ "f", S_IFREG }, { "d", S_IFDIR }, { "p", S_IFIFO },
	};
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "x", 1));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(mkfifo("p", 0600));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		fd = SC_OK(open(want[i].name, O_RDONLY | O_NONBLOCK | O_CLOEXEC));
		SC_OK(fstat(fd, &st));
		EXPECT_EQ(want[i].type, st.st_mode & S_IFMT) {
			TH_LOG("fstat(%s): type 0%o, expected 0%o", want[i].name,
			       st.st_mode & S_IFMT, want[i].type);
		}
		close(fd);
	}
}

/* META-01 inode(7): st_size of a regular file is its length in bytes; lstat() of a symlink gives the length of its target without a NUL. */
TEST_F(meta, st_size_is_file_length_and_symlink_target_length)
{
	static const char target[] = "some/where/else";
	struct stat st;

	SC_SETUP(sc_write_file("f", "0123456789abc", 13));
	SC_SETUP(symlink(target, "l"));
	SC_OK(stat("f", &st));
	EXPECT_EQ(13, st.st_size);
	SC_OK(lstat("l", &st));
	EXPECT_EQ(strlen(target), (size_t)st.st_size);
}

/* META-01 inode(7): st_blocks counts 512-byte units: a file of 64 KiB of data, synced, has st_blocks * 512 >= 65536 (and not bytes or 4 KiB units). */
TEST_F(meta, st_blocks_counts_512_byte_units)
{
	static char buf[65536];
	struct stat st;
	int fd;

	memset(buf, 'x', sizeof(buf));
	SC_SETUP(sc_write_file("f", buf, sizeof(buf)));
	fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	SC_SETUP(fsync(fd));
	SC_OK(fstat(fd, &st));
	EXPECT_GE((long long)st.st_blocks * 512, 65536) {
		TH_LOG("st_blocks %lld for 65536 bytes of data: fewer than 128 512-byte units",
		       (long long)st.st_blocks);
	}
	EXPECT_LE((long long)st.st_blocks, 65536 / 512 * 64) {
		TH_LOG("st_blocks %lld for 65536 bytes of data: not 512-byte units", (long long)st.st_blocks);
	}
	close(fd);
}

/* META-02 inode(7): a hard link shares st_dev and st_ino with the original; a distinct file on the same filesystem has the same st_dev and another st_ino. */
TEST_F(meta, hard_links_share_ino_distinct_files_do_not)
{
	struct stat a, b, c;

	SC_SETUP(sc_write_file("a", "x", 1));
	SC_SETUP(sc_write_file("c", "x", 1));
	SC_OK(link("a", "b"));
	SC_OK(stat("a", &a));
	SC_OK(stat("b", &b));
	SC_OK(stat("c", &c));
	EXPECT_EQ(a.st_dev, b.st_dev);
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(2, b.st_nlink);
	EXPECT_EQ(a.st_dev, c.st_dev);
	EXPECT_NE(a.st_ino, c.st_ino);
}

/* META-02 inode(7): a file seen through a bind mount of its directory has the same st_dev and st_ino as through the original path. */
TEST_F(meta, bind_mounted_view_shares_dev_and_ino)
{
	struct stat a, b;

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(mkdir("v", 0755));
	SC_SETUP(sc_write_file("d/f", "x", 1));
	SC_REQUIRE_FEATURE(mntns);
	SC_UNSHARE_OR_SKIP(CLONE_NEWNS);
	ASSERT_SYSCALL_RETURNS(0, mount("d", "v", NULL, MS_BIND, NULL));
	EXPECT_SYSCALL_RETURNS(0, stat("d/f", &a));
	EXPECT_SYSCALL_RETURNS(0, stat("v/f", &b));
	umount2("v", MNT_DETACH);
	EXPECT_EQ(a.st_dev, b.st_dev);
	EXPECT_EQ(a.st_ino, b.st_ino);
}

/* META-09 statx(2): statx(STATX_BASIC_STATS|STATX_BTIME) gives the same ino, size, mode, nlink and uid as stat(), and says so in stx_mask. */
TEST_F(meta, statx_agrees_with_stat)
{
	struct statx sx;
	struct stat st;

	SC_REQUIRE_FEATURE(statx);
	SC_SETUP(sc_write_file("f", "0123456", 7));
	SC_SETUP(chmod("f", 0640));
	SC_OK(stat("f", &st));
	ASSERT_SYSCALL_RETURNS(0, statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS | STATX_BTIME, &sx));
	EXPECT_EQ(STATX_BASIC_STATS, sx.stx_mask & STATX_BASIC_STATS) {
		TH_LOG("stx_mask 0x%x lacks basic stats", sx.stx_mask);
	}
	EXPECT_EQ(st.st_ino, sx.stx_ino);
	EXPECT_EQ(st.st_size, (off_t)sx.stx_size);
	EXPECT_EQ(st.st_mode, sx.stx_mode);
	EXPECT_EQ(st.st_nlink, sx.stx_nlink);
	EXPECT_EQ(st.st_uid, sx.stx_uid);
	EXPECT_EQ(major(st.st_dev), sx.stx_dev_major);
	EXPECT_EQ(minor(st.st_dev), sx.stx_dev_minor);
}

/* META-09 statx(2): where the filesystem records birth time (STATX_BTIME in stx_mask), stx_btime stays the same after a write, a chmod and a rename, while stx_mtime moves. */
TEST_F(meta, statx_btime_survives_write_chmod_rename)
{
	struct statx before, after;
	int fd;

	SC_REQUIRE_FEATURE(statx);
	SC_SETUP(sc_write_file("f", "x", 1));
	SC_SETUP(meta_age("f", 1000, 1000));
	ASSERT_SYSCALL_RETURNS(0, statx(AT_FDCWD, "f", 0, STATX_BASIC_STATS | STATX_BTIME, &before));
	if (!(before.stx_mask & STATX_BTIME))
		SC_SKIP_FS("no birth time (stx_mask 0x%x)", before.stx_mask);
	SC_SETUP(meta_after_ctime("f"));
	fd = SC_OK(open("f", O_WRONLY | O_APPEND | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(1, write(fd, "y", 1));
	close(fd);
	EXPECT_SYSCALL_RETURNS(0, chmod("f", 0604));
	EXPECT_SYSCALL_RETURNS(0, rename("f", "g"));
	ASSERT_SYSCALL_RETURNS(0, statx(AT_FDCWD, "g", 0, STATX_BASIC_STATS | STATX_BTIME, &after));
	EXPECT_TRUE(after.stx_mask & STATX_BTIME);
	EXPECT_EQ(before.stx_btime.tv_sec, after.stx_btime.tv_sec);
	EXPECT_EQ(before.stx_btime.tv_nsec, after.stx_btime.tv_nsec);
	EXPECT_GT(after.stx_mtime.tv_sec, before.stx_mtime.tv_sec);
}

TEST_HARNESS_MAIN
