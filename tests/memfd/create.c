// SPDX-License-Identifier: GPL-2.0-only
/*
 * create: memfd_create() makes an anonymous regular file; its name, flags and
 * initial seals (MEMFD-01, MEMFD-02, MEMFD-03, MEMFD-11).
 */
#include "memfd.h"

/* MEMFD-01 memfd_create(2): memfd_create("x", 0) returns an O_RDWR regular file of size 0 that can be ftruncate'd, written and mmap'ed, named "/memfd:x (deleted)" in /proc/self/fd. */
TEST_F(memfd, create_gives_empty_rdwr_regular_file)
{
	char path[64], link[64], buf[8];
	struct stat st;
	ssize_t n;
	char *p;
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_OK(memfd_create("x", 0));
	EXPECT_SYSCALL_RETURNS(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode)) TH_LOG("st_mode 0%o", st.st_mode);
	EXPECT_EQ(0, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, memfd_page()));
	EXPECT_SYSCALL_RETURNS(3, pwrite(fd, "abc", 3, 0));
	p = mmap(NULL, memfd_page(), PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", sc_errname(errno));
	EXPECT_EQ(0, memcmp(p, "abc", 3));
	EXPECT_SYSCALL_RETURNS(3, pread(fd, buf, 3, 0));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = SC_OK(readlink(path, link, sizeof(link) - 1));
	link[n] = 0;
	EXPECT_STREQ("/memfd:x (deleted)", link);
	munmap(p, memfd_page());
	close(fd);
}

/* MEMFD-01 memfd_create(2): two memfds of the same name are two files: a write to one is not seen in the other. */
TEST_F(memfd, same_name_gives_distinct_files)
{
	struct stat a, b;
	int fd1, fd2;

	SC_REQUIRE_FEATURE(memfd);
	fd1 = SC_OK(memfd_create("same", MFD_CLOEXEC));
	fd2 = SC_OK(memfd_create("same", MFD_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(4, write(fd1, "data", 4));
	SC_OK(fstat(fd1, &a));
	SC_OK(fstat(fd2, &b));
	EXPECT_NE(a.st_ino, b.st_ino);
	EXPECT_EQ(4, a.st_size);
	EXPECT_EQ(0, b.st_size);
	close(fd1);
	close(fd2);
}

/* MEMFD-02 memfd_create(2): a name of 249 bytes is accepted; one of 250 bytes fails with EINVAL. */
TEST_F(memfd, name_over_249_bytes_fails_einval)
{
	char name[251];
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	memset(name, 'n', 249);
	name[249] = 0;
	fd = SC_OK(memfd_create(name, MFD_CLOEXEC));
	close(fd);
	name[249] = 'n';
	name[250] = 0;
	EXPECT_SYSCALL_FAILS(EINVAL, memfd_create(name, MFD_CLOEXEC));
}

/* MEMFD-02 memfd_create(2): an unknown flag bit fails with EINVAL. */
TEST_F(memfd, unknown_flag_fails_einval)
{
	static const unsigned int bad[] = { 0x0100, 0x0800, 0x8000 };

	SC_REQUIRE_FEATURE(memfd);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TH_LOG("flag 0x%x", bad[i]);
		EXPECT_SYSCALL_FAILS(EINVAL, memfd_create("x", MFD_CLOEXEC | bad[i]));
	}
}

/* MEMFD-03 memfd_create(2), fcntl(2): without MFD_ALLOW_SEALING the file starts with F_SEAL_SEAL and F_ADD_SEALS fails with EPERM. */
TEST_F(memfd, without_allow_sealing_starts_sealed)
{
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_OK(memfd_create("x", MFD_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(F_SEAL_SEAL, fcntl(fd, F_GET_SEALS));
	EXPECT_SYSCALL_FAILS(EPERM, fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_SYSCALL_RETURNS(F_SEAL_SEAL, fcntl(fd, F_GET_SEALS));
	close(fd);
}

/* MEMFD-03 memfd_create(2), fcntl(2): with MFD_ALLOW_SEALING the file starts with no seals and F_ADD_SEALS works. */
TEST_F(memfd, allow_sealing_starts_unsealed)
{
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_OK(memfd_create("x", MFD_ALLOW_SEALING | MFD_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_GET_SEALS));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_SYSCALL_RETURNS(F_SEAL_SHRINK, fcntl(fd, F_GET_SEALS));
	close(fd);
}

/* MEMFD-11 memfd_create(2): MFD_NOEXEC_SEAL makes a file of mode 0666 with F_SEAL_EXEC (and sealing allowed), and fchmod() adding an x bit fails with EPERM. */
TEST_F(memfd, noexec_seal_forbids_exec_bits)
{
	struct stat st;
	int fd, seals;

	SC_REQUIRE_FEATURE(memfd_noexec);
	fd = SC_OK(memfd_create("x", MFD_NOEXEC_SEAL | MFD_CLOEXEC));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0666, st.st_mode & 07777) TH_LOG("mode 0%o", st.st_mode & 07777);
	seals = SC_OK(fcntl(fd, F_GET_SEALS));
	EXPECT_EQ(F_SEAL_EXEC, seals & (F_SEAL_EXEC | F_SEAL_SEAL)) TH_LOG("seals 0x%x", seals);
	EXPECT_SYSCALL_FAILS(EPERM, fchmod(fd, 0755));
	EXPECT_SYSCALL_FAILS(EPERM, fchmod(fd, 0766));
	EXPECT_SYSCALL_RETURNS(0, fchmod(fd, 0644));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	close(fd);
}

TEST_HARNESS_MAIN
