// SPDX-License-Identifier: GPL-2.0-only
/*
 * File names: any byte but '/' and NUL (spaces, newlines, bytes that are not UTF-8)
 * makes a name that readdir() and getdents64() return byte for byte, and case
 * matters: "foo" and "Foo" are two files (DIR-08).
 * Man pages: path_resolution(7), readdir(3), getdents(2).
 */
#include <sys/ioctl.h>
#include "dirs.h"

#ifndef FS_IOC_GETFLAGS
#define FS_IOC_GETFLAGS _IOR('f', 1, long)
#endif
#ifndef FS_CASEFOLD_FL
#define FS_CASEFOLD_FL 0x40000000
#endif

static const char *const odd_names[] = {
	"with space", " leading", "trailing ", "new\nline", "tab\there", "\xff\xfe",
	"caf\xc3\xa9", "\x80", "\001ctl", "back\\slash", "*?[", "-dash", "\x7f", ".\xff",
};
#define ODD_N (int)(sizeof(odd_names) / sizeof(odd_names[0]))

/* Each odd name once in L, and no other name but "." and "..". */
static void check_listed(struct __test_metadata *_metadata, const struct dirs_list *l,
			 const char *how)
{
	char q[64];

	for (int i = 0; i < ODD_N; i++) {
		EXPECT_EQ(1, dirs_count(l, odd_names[i])) {
			TH_LOG("%s gives \"%s\" %d times", how,
			       dirs_quote(odd_names[i], q, sizeof(q)), dirs_count(l, odd_names[i]));
		}
	}
	EXPECT_EQ(ODD_N, l->n - dirs_count(l, ".") - dirs_count(l, "..")) {
		for (int i = 0; i < l->n; i++)
			TH_LOG("%s gives \"%s\"", how, dirs_quote(l->e[i].name, q, sizeof(q)));
	}
}

/* DIR-08 path_resolution(7): files named with spaces, a newline, control bytes and bytes that are not valid text (0xff, 0x80) are created, and readdir() returns each name byte for byte, once. */
TEST_F(dir, odd_file_names_listed_by_readdir_byte_for_byte)
{
	struct dirs_list l;
	char q[64];

	SC_SETUP(mkdir("d", 0700));
	SC_OK(chdir("d"));
	for (int i = 0; i < ODD_N; i++) {
		int fd = open(odd_names[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

		ASSERT_LE(0, fd) {
			TH_LOG("open(\"%s\", O_CREAT|O_EXCL) -> %s",
			       dirs_quote(odd_names[i], q, sizeof(q)), sc_errname(errno));
		}
		EXPECT_SYSCALL_RETURNS(1, write(fd, &(char){ 'a' + i }, 1));
		close(fd);
	}
	ASSERT_SYSCALL_RETURNS(0, dirs_readdir(".", &l));
	check_listed(_metadata, &l, "readdir()");
}

/* DIR-08 path_resolution(7): each odd name opens the file it was given to (names that differ by one byte are different files). */
TEST_F(dir, odd_file_names_open_their_own_file)
{
	char q[64], c;

	for (int i = 0; i < ODD_N; i++)
		SC_SETUP(sc_write_file(odd_names[i], &(char){ 'a' + i }, 1));
	for (int i = 0; i < ODD_N; i++) {
		int fd = open(odd_names[i], O_RDONLY | O_CLOEXEC);

		ASSERT_LE(0, fd) {
			TH_LOG("open(\"%s\") -> %s", dirs_quote(odd_names[i], q, sizeof(q)),
			       sc_errname(errno));
		}
		EXPECT_SYSCALL_RETURNS(1, read(fd, &c, 1));
		EXPECT_EQ('a' + i, c) {
			TH_LOG("\"%s\" holds '%c', not its own '%c'",
			       dirs_quote(odd_names[i], q, sizeof(q)), c, 'a' + i);
		}
		close(fd);
	}
}

/* DIR-08 getdents(2): directories, symlinks and renamed files with odd names come back from getdents64() byte for byte. */
TEST_F(dir, odd_names_of_every_kind_listed_by_getdents64)
{
	struct dirs_list l;
	int fd;

	SC_SETUP(mkdir("d", 0700));
	SC_OK(chdir("d"));
	for (int i = 0; i < ODD_N; i++) {
		if (i % 3 == 0) {
			EXPECT_SYSCALL_RETURNS(0, mkdir(odd_names[i], 0700));
		} else if (i % 3 == 1) {
			EXPECT_SYSCALL_RETURNS(0, symlink("nowhere", odd_names[i]));
		} else {
			SC_SETUP(sc_write_file("tmp", "", 0));
			EXPECT_SYSCALL_RETURNS(0, rename("tmp", odd_names[i]));
		}
	}
	fd = SC_OK(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	ASSERT_SYSCALL_RETURNS(0, dirs_getdents(fd, 4096, &l));
	close(fd);
	check_listed(_metadata, &l, "getdents64()");
}

/* Whether the test directory folds case by a documented property: a casefold directory (ext4, f2fs), or a case-insensitive filesystem. */
static bool dir_folds_case(void)
{
	static const char *const ci_fs[] = { "vfat", "ntfs", "cifs", "smb2", "9p" };
	int fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long flags = 0;
	bool folds = fd >= 0 && ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && (flags & FS_CASEFOLD_FL);

	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i < sizeof(ci_fs) / sizeof(ci_fs[0]); i++)
		folds |= !strcmp(sc_test_fs(), ci_fs[i]);
	return folds;
}

/* DIR-08 path_resolution(7): "foo" and "Foo" are two different files (on ext4 and tmpfs; a case-insensitive directory is a property of the filesystem). */
TEST_F(dir, names_differing_in_case_are_two_files)
{
	struct stat lower, upper;
	struct dirs_list l;
	int fd;

	SC_SETUP(sc_write_file("foo", "lower", 5));
	fd = open("Foo", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && dir_folds_case())
		SC_SKIP_FS("names are case-insensitive here (\"Foo\" exists once \"foo\" does)");
	ASSERT_LE(0, fd) {
		TH_LOG("open(\"Foo\", O_CREAT|O_EXCL) with \"foo\" there -> %s", sc_errname(errno));
	}
	EXPECT_SYSCALL_RETURNS(5, write(fd, "upper", 5));
	close(fd);
	SC_OK(stat("foo", &lower));
	SC_OK(stat("Foo", &upper));
	EXPECT_NE(lower.st_ino, upper.st_ino);
	EXPECT_EQ(5, lower.st_size);
	EXPECT_SYSCALL_FAILS(ENOENT, access("FOO", F_OK));
	ASSERT_SYSCALL_RETURNS(0, dirs_readdir(".", &l));
	EXPECT_EQ(1, dirs_count(&l, "foo"));
	EXPECT_EQ(1, dirs_count(&l, "Foo"));
	EXPECT_SYSCALL_RETURNS(0, unlink("Foo"));
	EXPECT_SYSCALL_RETURNS(0, access("foo", F_OK));
}

TEST_HARNESS_MAIN
