// SPDX-License-Identifier: GPL-2.0-only
/*
 * sync_direct: O_DIRECT alignment rules, O_SYNC as reported by F_GETFL, and
 * fsync()/fdatasync() on files, pipes and sockets (IO-20, IO-21).
 */
#include <sys/socket.h>
#include "io.h"

#define BLK 4096	/* a multiple of every logical block size in use */

struct dio {
	int fd;			/* open("f", O_DIRECT), or -1 */
	bool reported;		/* STATX_DIOALIGN in stx_mask */
	unsigned int mem_align;	/* from STATX_DIOALIGN (0: no direct I/O for this file) */
	unsigned int off_align;
	struct io_fs fs;
	char skip[160];		/* why the case cannot tell, when it cannot */
};

/*
 * Make "f" and learn whether its filesystem does direct I/O: 1, 0, or -1 not
 * known. Known from the filesystem's type (io_fs_of), else from a non-zero
 * STATX_DIOALIGN alignment (Linux 6.1; a zero one may mean only that this
 * file's I/O falls back to the page cache, and O_DIRECT is still accepted).
 */
static int dio_support(struct __test_metadata *_metadata, struct dio *d)
{
	int fd = SC_SETUP(open("f", O_RDWR | O_CREAT | O_CLOEXEC, 0600));

	io_fs_of(fd, &d->fs);
#if defined(STATX_DIOALIGN) && defined(__GLIBC__)
	{
		struct statx sx;

		memset(&sx, 0, sizeof(sx));
		if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) == 0 &&
		    (sx.stx_mask & STATX_DIOALIGN)) {
			d->reported = true;
			d->mem_align = sx.stx_dio_mem_align;
			d->off_align = sx.stx_dio_offset_align;
		}
	}
#endif
	close(fd);
	return d->fs.direct >= 0 ? d->fs.direct : d->mem_align ? 1 : -1;
}

/*
 * open("f", O_RDWR|O_DIRECT), judged by what the filesystem is known to do:
 * where it does direct I/O the open must succeed, where it does not it must
 * fail with EINVAL (which is all IO-20 asks there), and where that is not
 * known, EINVAL leaves d->skip set. Returns whether the case goes on with d->fd.
 */
static bool dio_open(struct __test_metadata *_metadata, struct dio *d)
{
	bool refused_with_direct_io;
	int support, err;

	memset(d, 0, sizeof(*d));
	support = dio_support(_metadata, d);
	errno = 0;
	d->fd = open("f", O_RDWR | O_DIRECT | O_CLOEXEC);
	err = errno;
	TH_LOG("O_DIRECT on %s: STATX_DIOALIGN %s, mem %u offset %u; open(O_DIRECT) %s",
	       d->fs.name, d->reported ? "reported" : "not reported", d->mem_align,
	       d->off_align, d->fd < 0 ? sc_errname(err) : "succeeded");
	if (d->fd >= 0) {
		bool accepted_without_direct_io = support == 0;

		EXPECT_FALSE(accepted_without_direct_io) {
			TH_LOG("%s has no direct I/O on Linux %d.%d: open(O_DIRECT) should fail with EINVAL",
			       d->fs.name, SC_KV_PRINT(sc_kernel()));
		}
		if (!accepted_without_direct_io)
			return true;
		close(d->fd);
		return false;
	}
	EXPECT_EQ(EINVAL, err) {
		TH_LOG("open(O_DIRECT): expected success or EINVAL");
	}
	refused_with_direct_io = support == 1;
	EXPECT_FALSE(refused_with_direct_io) {
		TH_LOG("%s does direct I/O: open(O_DIRECT) should succeed", d->fs.name);
	}
	if (err == EINVAL && support < 0)
		snprintf(d->skip, sizeof(d->skip),
			 "needs a filesystem known to have or lack direct I/O: %s refused O_DIRECT with EINVAL",
			 d->fs.name);
	return false;
}

/* IO-20 open(2): O_DIRECT reads and writes with buffer, length and offset aligned to 4096 succeed and move the data; open(O_DIRECT) succeeds on a filesystem with direct I/O and fails with EINVAL on one without. */
TEST_F(file, direct_io_aligned_transfer_succeeds)
{
	struct dio d;
	char *buf, *back;

	if (!dio_open(_metadata, &d)) {
		if (d.skip[0])
			SKIP(return, "%s", d.skip);
		return;
	}
	buf = aligned_alloc(BLK, 2 * BLK);
	back = aligned_alloc(BLK, 2 * BLK);
	if (!buf || !back)
		SC_ERROR("aligned_alloc: %s", sc_errname(errno));
	for (int i = 0; i < 2 * BLK; i++)
		buf[i] = (char)(i % 251);
	memset(back, 0, 2 * BLK);
	EXPECT_SYSCALL_RETURNS(BLK, pwrite(d.fd, buf, BLK, 0));
	EXPECT_SYSCALL_RETURNS(BLK, pwrite(d.fd, buf + BLK, BLK, BLK));
	EXPECT_SYSCALL_RETURNS(2 * BLK, pread(d.fd, back, 2 * BLK, 0));
	EXPECT_EQ(0, memcmp(buf, back, 2 * BLK));
	close(d.fd);
	free(buf);
	free(back);
}

/* IO-20 open(2): where STATX_DIOALIGN reports an alignment, O_DIRECT I/O with a misaligned buffer, length or offset fails with EINVAL; open(O_DIRECT) succeeds on a filesystem with direct I/O and fails with EINVAL on one without. */
TEST_F(file, direct_io_misaligned_fails_einval)
{
	struct dio d;
	char *buf;

	if (!dio_open(_metadata, &d)) {
		if (d.skip[0])
			SKIP(return, "%s", d.skip);
		return;
	}
	if (!d.off_align || (d.off_align == 1 && d.mem_align == 1)) {
		/* tmpfs (6.6+): O_DIRECT served from the page cache, unaligned. */
		close(d.fd);
		SC_SKIP_FS("no direct-I/O alignment to break: STATX_DIOALIGN %s",
		     !d.reported ? "is not reported" :
		     d.off_align ? "is 1 (none)" : "is 0 (no direct I/O for this file)");
	}
	buf = aligned_alloc(BLK, 2 * BLK);
	if (!buf)
		SC_ERROR("aligned_alloc: %s", sc_errname(errno));
	memset(buf, 'd', 2 * BLK);
	ASSERT_SYSCALL_RETURNS(2 * BLK, pwrite(d.fd, buf, 2 * BLK, 0));
	if (d.mem_align != 1) {
		EXPECT_SYSCALL_FAILS(EINVAL, pwrite(d.fd, buf + 1, BLK, 0));
		EXPECT_SYSCALL_FAILS(EINVAL, pread(d.fd, buf + 1, BLK, 0));
	}
	if (d.off_align != 1) {
		EXPECT_SYSCALL_FAILS(EINVAL, pwrite(d.fd, buf, BLK - 1, 0));
		EXPECT_SYSCALL_FAILS(EINVAL, pread(d.fd, buf, BLK - 1, 0));
		EXPECT_SYSCALL_FAILS(EINVAL, pwrite(d.fd, buf, BLK, 1));
		EXPECT_SYSCALL_FAILS(EINVAL, pread(d.fd, buf, BLK, 1));
	}
	close(d.fd);
	free(buf);
}

/* IO-21 open(2): after open(O_SYNC) F_GETFL reports all O_SYNC bits, which on Linux include O_DSYNC. */
TEST_F(file, o_sync_reported_with_dsync_by_getfl)
{
	int fd, fl;

	fd = SC_OK(open("f", O_WRONLY | O_CREAT | O_SYNC | O_CLOEXEC, 0600));
	fl = SC_OK(fcntl(fd, F_GETFL));
	EXPECT_EQ(O_SYNC, fl & O_SYNC) {
		TH_LOG("F_GETFL 0x%x, O_SYNC 0x%x", fl, O_SYNC);
	}
	EXPECT_EQ(O_DSYNC, fl & O_DSYNC);
	EXPECT_SYSCALL_RETURNS(4, write(fd, "sync", 4));
	close(fd);
}

/* IO-21 fsync(2): fsync() and fdatasync() on a regular file (written, and open read-only) return 0. */
TEST_F(file, fsync_fdatasync_regular_file_return_zero)
{
	int fd, ro;

	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS(5, write(fd, "hello", 5));
	EXPECT_SYSCALL_RETURNS(0, fsync(fd));
	EXPECT_SYSCALL_RETURNS(0, fdatasync(fd));
	ro = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(0, fsync(ro));
	EXPECT_SYSCALL_RETURNS(0, fdatasync(ro));
	close(ro);
	close(fd);
}

/* IO-21 fsync(2): fsync() and fdatasync() on a pipe or a socket fail with EINVAL. */
TEST_F(file, fsync_fdatasync_pipe_socket_fail_einval)
{
	int p[2], sv[2];

	SC_SETUP(pipe2(p, O_CLOEXEC));
	SC_SETUP(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	EXPECT_SYSCALL_FAILS(EINVAL, fsync(p[1]));
	EXPECT_SYSCALL_FAILS(EINVAL, fdatasync(p[0]));
	EXPECT_SYSCALL_FAILS(EINVAL, fsync(sv[0]));
	EXPECT_SYSCALL_FAILS(EINVAL, fdatasync(sv[1]));
	close(p[0]);
	close(p[1]);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
