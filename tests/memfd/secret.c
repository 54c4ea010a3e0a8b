// SPDX-License-Identifier: GPL-2.0-only
/*
 * secret: memfd_secret() (5.14) makes a file whose memory is mapped only by the
 * processes that map it (MEMFD-12, MEMFD-13). Often disabled: with
 * CONFIG_SECRETMEM off, secretmem.enable=0 or no direct-map support the call is
 * ENOSYS (mm/secretmem.c), which the feature probe reads as "missing".
 * glibc has no wrapper: syscall(2).
 */
#include <sys/resource.h>
#include "memfd.h"

static int secret(unsigned int flags)
{
	return syscall(SYS_memfd_secret, flags);
}

/* mmap of a secretmem file is charged to RLIMIT_MEMLOCK: a limit below a page is a skip. */
#define SECRET_MAP_OR_SKIP(p, fd, prot) do {				\
	struct rlimit _rl;						\
	p = mmap(NULL, memfd_page(), prot, MAP_SHARED, fd, 0);		\
	if (p == MAP_FAILED && errno == EAGAIN &&			\
	    getrlimit(RLIMIT_MEMLOCK, &_rl) == 0 &&			\
	    _rl.rlim_cur < (rlim_t)memfd_page())			\
		SKIP(return, "needs RLIMIT_MEMLOCK of a page (mmap of memfd_secret: EAGAIN)"); \
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap(MAP_SHARED) of memfd_secret: %s", sc_errname(errno)); \
} while (0)

/* MEMFD-12 memfd_secret(2): memfd_secret(0) returns a descriptor of an empty file without FD_CLOEXEC that ftruncate() sizes and mmap(MAP_SHARED) maps; a store through one mapping shows through a second one. */
TEST(secret_file_maps_shared)
{
	char *p, *q;
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(memfd_secret);
	fd = SC_OK(secret(0));
	EXPECT_SYSCALL_RETURNS(0, fcntl(fd, F_GETFD));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, memfd_page()));
	SECRET_MAP_OR_SKIP(p, fd, PROT_READ | PROT_WRITE);
	SECRET_MAP_OR_SKIP(q, fd, PROT_READ);
	EXPECT_EQ(0, q[0]);
	strcpy(p, "secret");
	EXPECT_STREQ("secret", q);
	munmap(q, memfd_page());
	munmap(p, memfd_page());
	close(fd);
}

/* MEMFD-12 memfd_secret(2): O_CLOEXEC gives the descriptor FD_CLOEXEC; an unknown flag fails with EINVAL. */
TEST(secret_flags)
{
	int fd;

	SC_REQUIRE_FEATURE(memfd_secret);
	fd = SC_OK(secret(O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(fd, F_GETFD));
	close(fd);
	EXPECT_SYSCALL_FAILS(EINVAL, secret(0x1));
	EXPECT_SYSCALL_FAILS(EINVAL, secret(O_NONBLOCK));
}

/* MEMFD-13 memfd_secret(2): a memfd_secret file cannot be mapped privately: mmap(MAP_PRIVATE) fails with EINVAL, while MAP_SHARED works. */
TEST(secret_private_map_fails_einval)
{
	char *p;
	int fd;

	SC_REQUIRE_FEATURE(memfd_secret);
	fd = SC_OK(secret(O_CLOEXEC));
	SC_OK(ftruncate(fd, memfd_page()));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, memfd_page(), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("mmap(MAP_PRIVATE) of memfd_secret: %s", sc_errname(errno));
	SECRET_MAP_OR_SKIP(p, fd, PROT_READ);
	munmap(p, memfd_page());
	close(fd);
}

/* MEMFD-13 memfd_secret(2): the memory of a memfd_secret file is reached through mappings only: read() and write() on its descriptor fail with EINVAL. */
TEST(secret_read_write_fail)
{
	char c, *p;
	int fd;

	SC_REQUIRE_FEATURE(memfd_secret);
	fd = SC_OK(secret(O_CLOEXEC));
	SC_OK(ftruncate(fd, memfd_page()));
	SECRET_MAP_OR_SKIP(p, fd, PROT_READ | PROT_WRITE);
	p[0] = 'k';
	EXPECT_SYSCALL_FAILS(EINVAL, read(fd, &c, 1));
	EXPECT_SYSCALL_FAILS(EINVAL, write(fd, "x", 1));
	EXPECT_EQ('k', p[0]);
	munmap(p, memfd_page());
	close(fd);
}

TEST_HARNESS_MAIN
