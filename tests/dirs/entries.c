// SPDX-License-Identifier: GPL-2.0-only
/*
 * Directory entries: "." and ".." name the directory and its parent (DIR-01);
 * getdents64() returns every record, then 0, and its errors (DIR-02); each record's
 * d_ino and d_type agree with lstat(), and readdir(3) gives the same names (DIR-03).
 * Man pages: getdents(2), readdir(3), path_resolution(7).
 */
#include <sys/socket.h>
#include <sys/un.h>
#include "dirs.h"

/* Filesystems whose readdir always fills d_type (DT_UNKNOWN there is a divergence). */
static bool fs_fills_dtype(const char *fs)
{
	return !strcmp(fs, "tmpfs") || !strcmp(fs, "btrfs") || !strcmp(fs, "ramfs");
}

/* A directory "d" holding a file, a directory, a symlink, a FIFO and a socket. */
static int make_tree(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "d/sock" };
	int s;

	if (mkdir("d", 0700) || sc_write_file("d/file", "x", 1) || mkdir("d/sub", 0700) ||
	    symlink("file", "d/link") || mkfifo("d/fifo", 0600))
		return -1;
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return close(s);
}

static const char *const tree_names[] = { ".", "..", "file", "sub", "link", "fifo", "sock" };
#define TREE_N (int)(sizeof(tree_names) / sizeof(tree_names[0]))

/* Whether L holds the entries of the tree but "." and ".." (DIR-02's part), each once. */
static bool has_tree(const struct dirs_list *l)
{
	for (int i = 2; i < TREE_N; i++)
		if (dirs_count(l, tree_names[i]) != 1)
			return false;
	return true;
}

/* DIR-01 path_resolution(7): "d/." has d's own st_ino and st_dev. */
TEST_F(dir, dot_is_the_directory_itself)
{
	struct stat d, dot;

	SC_SETUP(mkdir("d", 0700));
	SC_OK(stat("d", &d));
	SC_OK(stat("d/.", &dot));
	EXPECT_EQ(d.st_ino, dot.st_ino);
	EXPECT_EQ(d.st_dev, dot.st_dev);
	SC_OK(stat(".", &dot));
	EXPECT_NE(d.st_ino, dot.st_ino);
}

/* DIR-01 path_resolution(7): "a/b/.." has a's st_ino, and "a/.." that of the directory holding a. */
TEST_F(dir, dotdot_is_the_parent)
{
	struct stat a, here, up;

	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("a/b", 0700));
	SC_OK(stat("a", &a));
	SC_OK(stat(".", &here));
	SC_OK(stat("a/b/..", &up));
	EXPECT_EQ(a.st_ino, up.st_ino);
	EXPECT_EQ(a.st_dev, up.st_dev);
	SC_OK(stat("a/..", &up));
	EXPECT_EQ(here.st_ino, up.st_ino);
	SC_OK(stat("a/b/../..", &up));
	EXPECT_EQ(here.st_ino, up.st_ino);
}

/* DIR-01 path_resolution(7): ".." of "/" is "/": "/..", "/../.." and "/." have the root's st_ino and st_dev. */
TEST(root_dotdot_is_root)
{
	static const char *const paths[] = { "/..", "/../..", "/.", "/../." };
	struct stat root, st;

	SC_OK(stat("/", &root));
	for (int i = 0; i < 4; i++) {
		SC_OK(stat(paths[i], &st));
		EXPECT_TRUE(st.st_ino == root.st_ino && st.st_dev == root.st_dev) {
			TH_LOG("stat(\"%s\"): st_ino %lu st_dev %lu, \"/\" has %lu %lu", paths[i],
			       (unsigned long)st.st_ino, (unsigned long)st.st_dev,
			       (unsigned long)root.st_ino, (unsigned long)root.st_dev);
		}
	}
}

/* DIR-02 getdents(2): getdents64() returns a record for every entry including "." and "..", each once, then 0, and 0 again. */
TEST_F(dir, getdents64_lists_every_entry_then_zero)
{
	struct dirs_list l;
	char buf[512];
	int fd;

	SC_SETUP(make_tree());
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, sizeof(buf), &l));
	for (int i = 0; i < TREE_N; i++) {
		EXPECT_EQ(1, dirs_count(&l, tree_names[i])) {
			TH_LOG("getdents64() gave \"%s\" %d times", tree_names[i],
			       dirs_count(&l, tree_names[i]));
		}
	}
	EXPECT_EQ(TREE_N, l.n);
	EXPECT_SYSCALL_RETURNS(0, getdents64(fd, (void *)buf, sizeof(buf)));
	close(fd);
}

/* DIR-02 getdents(2): with a buffer that holds about one record per call, getdents64() still returns every entry once. */
TEST_F(dir, getdents64_small_buffer_returns_every_entry)
{
	struct dirs_list l;
	int fd;

	SC_SETUP(make_tree());
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	/* A record here is at most 19 + 5 bytes, rounded up to 8: 32. */
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 32, &l));
	for (int i = 0; i < TREE_N; i++) {
		EXPECT_EQ(1, dirs_count(&l, tree_names[i])) {
			TH_LOG("getdents64() gave \"%s\" %d times", tree_names[i],
			       dirs_count(&l, tree_names[i]));
		}
	}
	EXPECT_EQ(TREE_N, l.n);
	close(fd);
}

/* DIR-02 getdents(2): getdents64() with a buffer too small for one record fails with EINVAL. */
TEST_F(dir, getdents64_buffer_below_one_record_fails_einval)
{
	char buf[64] __attribute__((aligned(8)));
	int fd;

	SC_SETUP(mkdir("d", 0700));
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	/* The smallest record, ".", takes 24 bytes. */
	EXPECT_SYSCALL_FAILS(EINVAL, getdents64(fd, (void *)buf, 16));
	EXPECT_SYSCALL_FAILS(EINVAL, getdents64(fd, (void *)buf, 1));
	/* Control: the same descriptor with room for records. */
	EXPECT_LT(0, SC_OK(getdents64(fd, (void *)buf, sizeof(buf))));
	close(fd);
}

/* DIR-02 getdents(2): getdents64() on a descriptor of a regular file fails with ENOTDIR. */
TEST_F(dir, getdents64_on_file_fails_enotdir)
{
	char buf[512] __attribute__((aligned(8)));
	int fd;

	SC_SETUP(sc_write_file("f", "data", 4));
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ENOTDIR, getdents64(fd, (void *)buf, sizeof(buf)));
	close(fd);
}

/* DIR-03 getdents(2): each record's d_ino equals lstat().st_ino of its entry, "." and ".." included. */
TEST_F(dir, getdents64_d_ino_matches_lstat)
{
	struct dirs_list l;
	struct stat st;
	char path[300];
	int fd;

	SC_SETUP(make_tree());
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 4096, &l));
	close(fd);
	ASSERT_TRUE(has_tree(&l));
	for (int i = 0; i < l.n; i++) {
		snprintf(path, sizeof(path), "d/%s", l.e[i].name);
		SC_OK(lstat(path, &st));
		EXPECT_EQ(st.st_ino, l.e[i].ino) {
			TH_LOG("\"%s\": d_ino %lu, lstat() st_ino %lu", path,
			       (unsigned long)l.e[i].ino, (unsigned long)st.st_ino);
		}
	}
}

/*
 * Check the d_type of the records of L, of the directory "d", against lstat(): a
 * type other than DT_UNKNOWN must be the entry's. How many records are DT_UNKNOWN.
 */
static int check_dtypes(struct __test_metadata *_metadata, const struct dirs_list *l,
			const char *how)
{
	int unknown = 0;
	struct stat st;
	char path[300];

	for (int i = 0; i < l->n; i++) {
		snprintf(path, sizeof(path), "d/%s", l->e[i].name);
		SC_OK(lstat(path, &st));
		if (l->e[i].type == DT_UNKNOWN) {
			unknown++;
			continue;
		}
		EXPECT_EQ(dirs_dtype_of(st.st_mode), l->e[i].type) {
			TH_LOG("%s: \"%s\" has d_type %d, lstat() says %d (mode 0%o)", how, path,
			       l->e[i].type, dirs_dtype_of(st.st_mode), st.st_mode);
		}
	}
	return unknown;
}

/* DIR-03 getdents(2): each record's d_type is the entry's type by lstat() (DT_DIR, DT_REG, DT_LNK, DT_FIFO, DT_SOCK), or DT_UNKNOWN on a filesystem that does not fill it. */
TEST_F(dir, getdents64_d_type_matches_lstat)
{
	struct dirs_list l;
	int fd, unknown;

	SC_SETUP(make_tree());
	fd = SC_OK(open("d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 4096, &l));
	close(fd);
	ASSERT_TRUE(has_tree(&l));
	unknown = check_dtypes(_metadata, &l, "getdents64()");
	if (unknown == l.n && !fs_fills_dtype(sc_test_fs()))
		SC_SKIP_FS("getdents64() gives d_type DT_UNKNOWN for every entry (d_type not filled)");
	EXPECT_EQ(0, unknown) {
		TH_LOG("%d records of %d are DT_UNKNOWN on %s, which fills d_type", unknown, l.n,
		       sc_test_fs());
	}
}

/* DIR-03 readdir(3): readdir() gives every name once, "." and ".." included, with d_ino equal to lstat().st_ino and d_type that agrees with lstat() (or DT_UNKNOWN where the filesystem does not fill it). */
TEST_F(dir, readdir_gives_every_name_with_its_inode_and_type)
{
	struct dirs_list r;
	struct stat st;
	char path[300];

	SC_SETUP(make_tree());
	ASSERT_SYSCALL_RETURNS(0, dirs_readdir("d", &r));
	for (int i = 0; i < TREE_N; i++) {
		EXPECT_EQ(1, dirs_count(&r, tree_names[i])) {
			TH_LOG("readdir() gave \"%s\" %d times", tree_names[i],
			       dirs_count(&r, tree_names[i]));
		}
	}
	EXPECT_EQ(TREE_N, r.n);
	for (int i = 0; i < r.n; i++) {
		snprintf(path, sizeof(path), "d/%s", r.e[i].name);
		SC_OK(lstat(path, &st));
		EXPECT_EQ(st.st_ino, r.e[i].ino) {
			TH_LOG("\"%s\": readdir() d_ino %lu, lstat() st_ino %lu", path,
			       (unsigned long)r.e[i].ino, (unsigned long)st.st_ino);
		}
	}
	if (check_dtypes(_metadata, &r, "readdir()") && fs_fills_dtype(sc_test_fs())) {
		EXPECT_TRUE(false) {
			TH_LOG("readdir() gives DT_UNKNOWN on %s, which fills d_type", sc_test_fs());
		}
	}
}

TEST_HARNESS_MAIN
