// SPDX-License-Identifier: GPL-2.0-only
/*
 * seals: F_ADD_SEALS/F_GET_SEALS on memfds: what each seal forbids, how seals
 * add up, that they belong to the file, and where there are none (MEMFD-04 ..
 * MEMFD-10).
 */
#include <sys/socket.h>
#include "memfd.h"

/* MEMFD-04 fcntl(2): F_ADD_SEALS(F_SEAL_WRITE) fails with EBUSY while a writable shared mapping exists, and succeeds after munmap(). */
TEST_F(memfd, seal_write_busy_while_writably_mapped)
{
	char *p;
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("w", "abcd", 4));
	p = mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", sc_errname(errno));
	EXPECT_SYSCALL_FAILS(EBUSY, fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_GET_SEALS));
	SC_OK(munmap(p, memfd_page()));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	EXPECT_SYSCALL_RETURNS(F_SEAL_WRITE, fcntl(fd, F_GET_SEALS));
	close(fd);
}

/* MEMFD-04 fcntl(2): after F_SEAL_WRITE, write(), pwrite() and mmap(MAP_SHARED, PROT_WRITE) fail with EPERM; the contents stay. */
TEST_F(memfd, seal_write_refuses_writes)
{
	char buf[8];
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("w", "abcd", 4));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	EXPECT_SYSCALL_FAILS(EPERM, write(fd, "x", 1));
	EXPECT_SYSCALL_FAILS(EPERM, pwrite(fd, "x", 1, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno) TH_LOG("mmap(MAP_SHARED, PROT_WRITE): %s", sc_errname(errno));
	EXPECT_SYSCALL_RETURNS(4, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "abcd", 4));
	close(fd);
}

/* MEMFD-04 fcntl(2): after F_SEAL_WRITE, a read-only shared mapping and a writable private mapping still work, and so does ftruncate(). */
TEST_F(memfd, seal_write_allows_read_and_private_maps)
{
	char *ro, *priv;
	char buf[8];
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("w", "abcd", 4));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	ro = mmap(NULL, memfd_page(), PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, ro) TH_LOG("mmap(MAP_SHARED, PROT_READ): %s", sc_errname(errno));
	EXPECT_EQ(0, memcmp(ro, "abcd", 4));
	priv = mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, priv) TH_LOG("mmap(MAP_PRIVATE, PROT_WRITE): %s", sc_errname(errno));
	priv[0] = 'Z';
	EXPECT_EQ('a', ro[0]);
	EXPECT_SYSCALL_RETURNS(1, pread(fd, buf, 1, 0));
	EXPECT_EQ('a', buf[0]);
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 2 * memfd_page()));
	munmap(ro, memfd_page());
	munmap(priv, memfd_page());
	close(fd);
}

/* MEMFD-05 fcntl(2): F_SEAL_SHRINK makes ftruncate() to a smaller size fail with EPERM; growing still works. */
TEST_F(memfd, seal_shrink_refuses_smaller_size)
{
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("s", "abcdefgh", 8));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_SYSCALL_FAILS(EPERM, ftruncate(fd, 4));
	EXPECT_SYSCALL_FAILS(EPERM, ftruncate(fd, 0));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 16));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(16, st.st_size);
	close(fd);
}

/* MEMFD-05 fcntl(2): F_SEAL_GROW makes ftruncate() larger, write() past end of file and fallocate() past it fail with EPERM; writes inside the file still work. */
TEST_F(memfd, seal_grow_refuses_larger_size)
{
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("g", "abcdefgh", 8));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_SYSCALL_FAILS(EPERM, ftruncate(fd, 16));
	EXPECT_SYSCALL_FAILS(EPERM, pwrite(fd, "x", 1, 8));
	SC_OK(lseek(fd, 0, SEEK_END));
	EXPECT_SYSCALL_FAILS(EPERM, write(fd, "x", 1));
	EXPECT_SYSCALL_FAILS(EPERM, fallocate(fd, 0, 0, 4096));
	EXPECT_SYSCALL_RETURNS(2, pwrite(fd, "XY", 2, 2));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, 4));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(4, st.st_size);
	close(fd);
}

/* MEMFD-06 fcntl(2): F_GET_SEALS returns the union of all seals added one by one. */
TEST_F(memfd, get_seals_returns_union)
{
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("u", "ab", 2));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_SYSCALL_RETURNS(F_SEAL_SHRINK | F_SEAL_GROW, fcntl(fd, F_GET_SEALS));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_SYSCALL_RETURNS(F_SEAL_SHRINK | F_SEAL_GROW, fcntl(fd, F_GET_SEALS));
	close(fd);
}

/* MEMFD-06 fcntl(2): after F_SEAL_SEAL every F_ADD_SEALS fails with EPERM, even of a seal already set, and the seals stay as they were. */
TEST_F(memfd, seal_seal_refuses_more_seals)
{
	static const int more[] = { F_SEAL_WRITE, F_SEAL_GROW, F_SEAL_SHRINK, F_SEAL_SEAL };
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("ss", "ab", 2));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL));
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		TH_LOG("F_ADD_SEALS 0x%x after F_SEAL_SEAL", more[i]);
		EXPECT_SYSCALL_FAILS(EPERM, fcntl(fd, F_ADD_SEALS, more[i]));
	}
	EXPECT_SYSCALL_RETURNS(F_SEAL_SHRINK | F_SEAL_SEAL, fcntl(fd, F_GET_SEALS));
	EXPECT_SYSCALL_RETURNS(1, pwrite(fd, "x", 1, 2));
	close(fd);
}

/* MEMFD-07 fcntl(2): seals belong to the inode: seals added through one descriptor show through a /proc/self/fd reopen, and hold there. */
TEST_F(memfd, seals_shared_by_reopened_descriptor)
{
	char path[64];
	int fd, fd2;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("r", "ab", 2));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = SC_SETUP(open(path, O_RDWR | O_CLOEXEC));
	SC_OK(fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_SYSCALL_RETURNS(F_SEAL_GROW, fcntl(fd2, F_GET_SEALS));
	EXPECT_SYSCALL_FAILS(EPERM, ftruncate(fd2, 100));
	SC_OK(fcntl(fd2, F_ADD_SEALS, F_SEAL_SHRINK));
	EXPECT_SYSCALL_RETURNS(F_SEAL_GROW | F_SEAL_SHRINK, fcntl(fd, F_GET_SEALS));
	close(fd2);
	close(fd);
}

/* MEMFD-07 fcntl(2): F_ADD_SEALS through a descriptor not open for writing fails with EPERM; F_GET_SEALS works there. */
TEST_F(memfd, add_seals_on_read_only_descriptor_fails_eperm)
{
	char path[64];
	int fd, ro;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("ro", "ab", 2));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ro = SC_SETUP(open(path, O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EPERM, fcntl(ro, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_SYSCALL_RETURNS(0, fcntl(ro, F_GET_SEALS));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_ADD_SEALS, F_SEAL_GROW));
	EXPECT_SYSCALL_RETURNS(F_SEAL_GROW, fcntl(ro, F_GET_SEALS));
	close(ro);
	close(fd);
}

/* MEMFD-08 fcntl(2): F_SEAL_FUTURE_WRITE makes write() and new writable shared mappings fail with EPERM, while stores through an earlier writable shared mapping still change the contents. */
TEST_F(memfd, future_write_keeps_existing_mapping_writable)
{
	char *p, buf[4];
	int fd;

	SC_REQUIRE_FEATURE(seal_future_write);
	fd = SC_SETUP(memfd_with("fw", "abcd", 4));
	p = mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", sc_errname(errno));
	ASSERT_SYSCALL_RETURNS(0, fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
	EXPECT_SYSCALL_RETURNS(F_SEAL_FUTURE_WRITE, fcntl(fd, F_GET_SEALS));
	EXPECT_SYSCALL_FAILS(EPERM, write(fd, "x", 1));
	EXPECT_SYSCALL_FAILS(EPERM, pwrite(fd, "x", 1, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	EXPECT_EQ(EPERM, errno) TH_LOG("new mmap(MAP_SHARED, PROT_WRITE): %s", sc_errname(errno));
	p[1] = 'B';
	EXPECT_SYSCALL_RETURNS(4, pread(fd, buf, 4, 0));
	EXPECT_EQ(0, memcmp(buf, "aBcd", 4));
	munmap(p, memfd_page());
	close(fd);
}

/* MEMFD-09 fcntl(2): F_ADD_SEALS and F_GET_SEALS on a regular file of a filesystem without sealing fail with EINVAL. */
TEST_F(memfd, seals_on_plain_file_fail_einval)
{
	int fd;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(open("f", O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	if (!strcmp(sc_test_fs(), "tmpfs") || !strcmp(sc_test_fs(), "hugetlbfs")) {
		close(fd);
		SC_SKIP_FS("its regular files take seals (they are shmem files, like memfds)");
	}
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(fd, F_GET_SEALS));
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
	close(fd);
}

/* MEMFD-09 fcntl(2): F_ADD_SEALS and F_GET_SEALS on a pipe fail with EINVAL. */
TEST(seals_on_pipe_fail_einval)
{
	int p[2];

	SC_REQUIRE_FEATURE(memfd);
	SC_SETUP(pipe2(p, O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(p[1], F_GET_SEALS));
	EXPECT_SYSCALL_FAILS(EINVAL, fcntl(p[1], F_ADD_SEALS, F_SEAL_WRITE));
	sc_close_all(2, p);
}

/* A descriptor over a Unix socket pair with SCM_RIGHTS; the received one, or -1. */
static int pass_fd(int sv[2], int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, c = 'x';
	struct iovec iov = { &c, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int got = -1;

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sv[0], &m, 0) != 1)
		return -1;
	memset(cbuf, 0, sizeof(cbuf));
	m.msg_controllen = sizeof(cbuf);
	if (recvmsg(sv[1], &m, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&got, CMSG_DATA(cm), sizeof(int));
	return got;
}

/* MEMFD-10 fcntl(2), unix(7): a sealed memfd passed with SCM_RIGHTS shows the sender's bytes and seals: mmap(PROT_READ) shows the data, mmap(MAP_SHARED, PROT_WRITE) and write() fail with EPERM. */
TEST_F(memfd, scm_rights_copy_keeps_seals)
{
	const int seals = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
	int sv[2], fd, got;
	char *p;

	SC_REQUIRE_FEATURE(memfd);
	fd = SC_SETUP(memfd_with("scm", "sealed", 6));
	SC_OK(fcntl(fd, F_ADD_SEALS, seals));
	SC_SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	got = pass_fd(sv, fd);
	ASSERT_LE(0, got) TH_LOG("SCM_RIGHTS pass: %s", sc_errname(errno));
	EXPECT_SYSCALL_RETURNS(seals, fcntl(got, F_GET_SEALS));
	p = mmap(NULL, memfd_page(), PROT_READ, MAP_SHARED, got, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap(PROT_READ): %s", sc_errname(errno));
	EXPECT_EQ(0, memcmp(p, "sealed", 6));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_SHARED, got, 0));
	EXPECT_EQ(EPERM, errno) TH_LOG("mmap(MAP_SHARED, PROT_WRITE): %s", sc_errname(errno));
	EXPECT_SYSCALL_FAILS(EPERM, write(got, "x", 1));
	munmap(p, memfd_page());
	sc_close_all(2, sv);
	close(got);
	close(fd);
}

TEST_HARNESS_MAIN
