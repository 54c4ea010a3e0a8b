// SPDX-License-Identifier: GPL-2.0-only
/*
 * nodes: mknod() of each type and who may make device nodes, the device numbers a
 * node keeps, and a FIFO's st_size (META-21, META-22).
 * Man pages: mknod(2), fifo(7).
 */
#include "meta.h"

/* mknod() of NAME with MODE and DEV: 0, or the errno. */
static int try_mknod(const char *name, mode_t mode, dev_t dev)
{
	return mknod(name, mode, dev) ? errno : 0;
}

/* META-21 mknod(2): root (CAP_MKNOD) makes a character device makedev(1, 3) and a block device makedev(7, 0) whose st_rdev read back those numbers. */
TEST_F(meta, root_mknod_device_keeps_numbers)
{
	struct stat st;

	META_NEED_INITIAL_CAP(CAP_MKNOD);
	EXPECT_SYSCALL_RETURNS(0, mknod("c", S_IFCHR | 0600, makedev(1, 3)));
	EXPECT_SYSCALL_RETURNS(0, mknod("b", S_IFBLK | 0600, makedev(7, 0)));
	ASSERT_SYSCALL_RETURNS(0, lstat("c", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(1, major(st.st_rdev));
	EXPECT_EQ(3, minor(st.st_rdev));
	ASSERT_SYSCALL_RETURNS(0, lstat("b", &st));
	EXPECT_TRUE(S_ISBLK(st.st_mode));
	EXPECT_EQ(7, major(st.st_rdev));
	EXPECT_EQ(0, minor(st.st_rdev));
}

struct mknod_seen {
	int chr, blk, fifo, reg, sock, dir;
	mode_t types[3];
};

static int mknod_child(void *data)
{
	static const char *const names[3] = { "p", "r", "s" };
	struct mknod_seen *s = data;
	struct stat st;

	META_DROP();
	s->chr = try_mknod("c", S_IFCHR | 0600, makedev(1, 3));
	s->blk = try_mknod("b", S_IFBLK | 0600, makedev(7, 0));
	s->fifo = try_mknod("p", S_IFIFO | 0600, 0);
	s->reg = try_mknod("r", S_IFREG | 0600, 0);
	s->sock = try_mknod("s", S_IFSOCK | 0600, 0);
	s->dir = try_mknod("d", S_IFDIR | 0700, 0);
	for (int i = 0; i < 3; i++)
		s->types[i] = lstat(names[i], &st) ? 0 : st.st_mode & S_IFMT;
	return SC_CHILD_OK;
}

/* META-21 mknod(2): without CAP_MKNOD mknod() of S_IFCHR or S_IFBLK fails with EPERM, while S_IFIFO, S_IFREG and S_IFSOCK nodes are made, of that type; S_IFDIR fails with EPERM. */
TEST_F(meta, unprivileged_mknod_only_fifo_file_socket)
{
	struct mknod_seen s;

	memset(&s, 0xff, sizeof(s));
	SC_SETUP(chmod(".", 0777));
	META_RUN(mknod_child, &s, sizeof(s));
	EXPECT_ERRNO(EPERM, s.chr, "mknod(S_IFCHR) without CAP_MKNOD");
	EXPECT_ERRNO(EPERM, s.blk, "mknod(S_IFBLK) without CAP_MKNOD");
	EXPECT_ERRNO(0, s.fifo, "mknod(S_IFIFO)");
	EXPECT_ERRNO(0, s.reg, "mknod(S_IFREG)");
	EXPECT_ERRNO(0, s.sock, "mknod(S_IFSOCK)");
	EXPECT_ERRNO(EPERM, s.dir, "mknod(S_IFDIR)");
	EXPECT_EQ(S_IFIFO, s.types[0]);
	EXPECT_EQ(S_IFREG, s.types[1]);
	EXPECT_EQ(S_IFSOCK, s.types[2]);
}

/* META-21 mknod(2): mknod(S_IFDIR) fails with EPERM even for root. */
TEST_F(meta, root_mknod_directory_fails_eperm)
{
	META_NEED_ROOT();
	EXPECT_SYSCALL_FAILS(EPERM, mknod("d", S_IFDIR | 0700, 0));
}

struct userns_mknod_seen {
	int ns, chr, fifo, new_ns;	/* ns: enum sc_ns_result */
	uid_t uid;
	char why[256];
};

static int userns_mknod_child(void *data)
{
	struct userns_mknod_seen *s = data;
	char before[SC_NS_LEN], after[SC_NS_LEN];

	sc_ns_link("/proc/self/ns/user", before);
	s->ns = sc_unshare(CLONE_NEWUSER, s->why, sizeof(s->why));	/* also as root */
	if (s->ns != SC_NS_OK)
		return SC_CHILD_OK;
	s->new_ns = strcmp(before, sc_ns_link("/proc/self/ns/user", after)) != 0;
	s->uid = geteuid();
	s->chr = try_mknod("c", S_IFCHR | 0600, makedev(1, 3));
	s->fifo = try_mknod("p", S_IFIFO | 0600, 0);
	return SC_CHILD_OK;
}

/* META-21 mknod(2): uid 0 of a user namespace (CAP_MKNOD there, not in the initial namespace) gets EPERM for S_IFCHR, while it makes a FIFO. */
TEST_F(meta, userns_root_mknod_device_fails_eperm)
{
	struct userns_mknod_seen s;

	memset(&s, 0xff, sizeof(s));
	SC_REQUIRE_FEATURE(userns);
	META_RUN(userns_mknod_child, &s, sizeof(s));
	SC_NS_ENTERED_OR_SKIP(s.ns, s.why);	/* an EINVAL here: USERNS-01 (Linux refuses only a multithreaded one) */
	ASSERT_EQ(1, s.new_ns) {
		TH_LOG("unshare(CLONE_NEWUSER) returned 0, but /proc/self/ns/user names the old namespace (USERNS-01)");
	}
	EXPECT_EQ(0, s.uid);
	EXPECT_ERRNO(EPERM, s.chr, "mknod(S_IFCHR) as uid 0 of a user namespace");
	EXPECT_ERRNO(0, s.fifo, "mknod(S_IFIFO) as uid 0 of a user namespace");
}

/* META-22 fifo(7): mkfifo() makes an S_IFIFO node whose st_size is 0, and stays 0 (by stat and fstat) while 10 bytes wait in it. */
TEST_F(meta, mkfifo_size_stays_zero_with_data)
{
	char buf[10];
	struct stat st;
	int fd;

	EXPECT_SYSCALL_RETURNS(0, mkfifo("p", 0600));
	ASSERT_SYSCALL_RETURNS(0, lstat("p", &st));
	EXPECT_TRUE(S_ISFIFO(st.st_mode)) {
		TH_LOG("mkfifo() made a node of type 0%o", st.st_mode & S_IFMT);
	}
	EXPECT_EQ(0, st.st_size);
	fd = SC_OK(open("p", O_RDWR | O_NONBLOCK | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(10, write(fd, "0123456789", 10));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	SC_OK(stat("p", &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_SYSCALL_RETURNS(10, read(fd, buf, sizeof(buf)));
	close(fd);
}

TEST_HARNESS_MAIN
