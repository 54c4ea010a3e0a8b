// SPDX-License-Identifier: GPL-2.0-only
/*
 * sparse: files with holes: a write far past end of file, SEEK_DATA/SEEK_HOLE,
 * fallocate() and hole punching (IO-11 .. IO-15).
 */
#include <linux/falloc.h>
#include "io.h"

#define MIB (1024 * 1024)

/* A new file "sparse": one byte 'x' at offset 1 MiB, nothing before it. */
static int make_sparse(struct __test_metadata *_metadata)
{
	int fd = SC_SETUP(open("sparse", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));

	if (pwrite(fd, "x", 1, MIB) != 1)
		SC_ERROR("pwrite at 1 MiB: %s", sc_errname(errno));
	return fd;
}

/* IO-11 lseek(2): 1 byte written at 1 MiB of an empty file gives st_size 1 MiB + 1, zeros before it, and (on a filesystem that tracks holes: ext4, xfs, btrfs, tmpfs, f2fs) st_blocks*512 far below st_size. */
TEST_F(file, write_past_end_makes_sparse_file)
{
	static char buf[MIB + 16];
	static const char zeros[MIB];
	struct io_fs fs;
	struct stat st;
	ssize_t n;
	int fd;

	fd = make_sparse(_metadata);
	io_fs_of(fd, &fs);
	SC_OK(fstat(fd, &st));
	n = pread(fd, buf, sizeof(buf), 0);
	if (!fs.holes && st.st_size == MIB + 1 && n == MIB + 1 && !memcmp(buf, zeros, MIB) &&
	    buf[MIB] == 'x') {
		close(fd);
		SC_SKIP_FS("not known to track holes (st_blocks %ld for st_size %ld)",
			   (long)st.st_blocks, (long)st.st_size);
	}
	EXPECT_EQ(MIB + 1, st.st_size);
	EXPECT_EQ(MIB + 1, n);
	EXPECT_EQ(0, memcmp(buf, zeros, MIB));
	EXPECT_EQ('x', buf[MIB]);
	EXPECT_GT(st.st_size / 8, (off_t)st.st_blocks * 512) {
		TH_LOG("%s: st_blocks %ld for st_size %ld: not sparse",
		       fs.name, (long)st.st_blocks, (long)st.st_size);
	}
	close(fd);
}

/* IO-12 lseek(2): on a file with data only at 1 MiB, SEEK_DATA from 0 gives 1 MiB and SEEK_HOLE from 0 gives 0 where the filesystem tracks holes (ext4, xfs, btrfs, tmpfs, f2fs); elsewhere 0 and st_size are allowed too. */
TEST_F(file, seek_data_skips_leading_hole)
{
	struct io_fs fs;
	off_t data, hole;
	int fd;

	SC_REQUIRE_FEATURE(seek_data);
	fd = make_sparse(_metadata);
	io_fs_of(fd, &fs);
	data = lseek(fd, 0, SEEK_DATA);
	hole = lseek(fd, 0, SEEK_HOLE);
	if (data == 0 && hole == MIB + 1 && !fs.holes) {
		TH_LOG("%s, not known to track holes, answers as if the file had none", fs.name);
	} else {
		EXPECT_EQ(MIB, data) {
			TH_LOG("%s: SEEK_DATA from 0 -> %ld %s", fs.name, (long)data,
			       data == -1 ? sc_errname(errno) : "");
		}
		EXPECT_EQ(0, hole) {
			TH_LOG("%s: SEEK_HOLE from 0 -> %ld", fs.name, (long)hole);
		}
	}
	close(fd);
}

/* IO-12 lseek(2): SEEK_HOLE from the data at 1 MiB returns st_size: there is always an implicit hole at end of file. */
TEST_F(file, seek_hole_finds_implicit_hole_at_end)
{
	int fd;

	SC_REQUIRE_FEATURE(seek_data);
	fd = make_sparse(_metadata);
	EXPECT_SYSCALL_RETURNS(MIB + 1, lseek(fd, MIB, SEEK_HOLE));
	EXPECT_SYSCALL_RETURNS(MIB + 1, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* IO-13 lseek(2): SEEK_DATA and SEEK_HOLE with an offset at or beyond end of file fail with ENXIO. */
TEST_F(file, seek_data_hole_at_or_past_end_fail_enxio)
{
	int fd;

	SC_REQUIRE_FEATURE(seek_data);
	fd = make_sparse(_metadata);
	EXPECT_SYSCALL_FAILS(ENXIO, lseek(fd, MIB + 1, SEEK_DATA));
	EXPECT_SYSCALL_FAILS(ENXIO, lseek(fd, MIB + 1, SEEK_HOLE));
	EXPECT_SYSCALL_FAILS(ENXIO, lseek(fd, 4 * MIB, SEEK_DATA));
	EXPECT_SYSCALL_FAILS(ENXIO, lseek(fd, 4 * MIB, SEEK_HOLE));
	close(fd);
}

/* IO-13 lseek(2): SEEK_DATA from inside a hole that reaches end of file ("abc" then ftruncate to 1 MiB) fails with ENXIO where the filesystem tracks holes; elsewhere it may return the offset itself. */
TEST_F(file, seek_data_in_trailing_hole_fails_enxio)
{
	struct io_fs fs;
	off_t ret;
	int fd, err;

	SC_REQUIRE_FEATURE(seek_data);
	fd = SC_SETUP(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	SC_SETUP(write(fd, "abc", 3));
	SC_SETUP(ftruncate(fd, MIB));
	io_fs_of(fd, &fs);
	errno = 0;
	ret = lseek(fd, MIB / 2, SEEK_DATA);
	err = errno;
	if (ret == MIB / 2 && !fs.holes) {
		TH_LOG("%s, not known to track holes, answers as if the file had none", fs.name);
	} else {
		EXPECT_EQ(ENXIO, ret == -1 ? err : 0) {
			TH_LOG("%s: SEEK_DATA from 512 KiB -> %ld %s, expected ENXIO",
			       fs.name, (long)ret, ret == -1 ? sc_errname(err) : "");
		}
	}
	EXPECT_SYSCALL_RETURNS(0, lseek(fd, 0, SEEK_DATA));
	close(fd);
}

/* IO-14 fallocate(2): fallocate(fd,0,off,len) with off+len past end of file raises st_size to off+len; old data stays and the new range reads as zeros. */
TEST_F(file, fallocate_past_end_extends_size_with_zeros)
{
	static const char zeros[3 * 4096];
	static char buf[sizeof(zeros) + 16];
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(fallocate);
	fd = SC_FILE_AT("f", "abc", 3, O_RDWR);
	EXPECT_SYSCALL_RETURNS(0, fallocate(fd, 0, 4096, 2 * 4096));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(3 * 4096, st.st_size);
	EXPECT_SYSCALL_RETURNS(3 * 4096, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_EQ(0, memcmp(buf + 3, zeros, 3 * 4096 - 3));
	close(fd);
}

/* IO-14 fallocate(2): with FALLOC_FL_KEEP_SIZE fallocate() allocates blocks (st_blocks grows by the range) but st_size is unchanged. */
TEST_F(file, fallocate_keep_size_allocates_without_resizing)
{
	struct stat before, after;
	int fd, ret;

	SC_REQUIRE_FEATURE(fallocate);
	fd = SC_FILE_AT("f", "abc", 3, O_RDWR);
	SC_OK(fstat(fd, &before));
	errno = 0;
	ret = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, MIB);
	SC_SKIP_IF_UNSUPPORTED(ret, errno, fallocate);
	EXPECT_EQ(0, ret);
	SC_OK(fstat(fd, &after));
	EXPECT_EQ(3, after.st_size);
	EXPECT_LE(before.st_blocks + (MIB - 4096) / 512, after.st_blocks) {
		TH_LOG("st_blocks %ld before, %ld after allocating 1 MiB",
		       (long)before.st_blocks, (long)after.st_blocks);
	}
	close(fd);
}

/* IO-14 fallocate(2): fallocate() on a pipe or a FIFO fails with ESPIPE. */
TEST_F(file, fallocate_on_pipe_or_fifo_fails_espipe)
{
	int p[2], fifo;

	SC_REQUIRE_FEATURE(fallocate);
	SC_SETUP(pipe2(p, O_CLOEXEC));
	SC_SETUP(mkfifo("fifo", 0600));
	fifo = SC_SETUP(open("fifo", O_RDWR | O_NONBLOCK | O_CLOEXEC));
	EXPECT_SYSCALL_FAILS(ESPIPE, fallocate(p[1], 0, 0, 4096));
	EXPECT_SYSCALL_FAILS(ESPIPE, fallocate(fifo, 0, 0, 4096));
	close(p[0]);
	close(p[1]);
	close(fifo);
}

/* IO-14 fallocate(2): fallocate() on a descriptor not open for writing fails with EBADF. */
TEST_F(file, fallocate_on_read_only_fd_fails_ebadf)
{
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(fallocate);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	EXPECT_SYSCALL_FAILS(EBADF, fallocate(fd, 0, 0, 4096));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(3, st.st_size);
	close(fd);
}

/* IO-14 fallocate(2): fallocate() with len 0, a negative len or a negative offset fails with EINVAL. */
TEST_F(file, fallocate_bad_range_fails_einval)
{
	int fd;

	SC_REQUIRE_FEATURE(fallocate);
	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EINVAL, fallocate(fd, 0, 0, 0));
	EXPECT_SYSCALL_FAILS(EINVAL, fallocate(fd, 0, 0, -4096));
	EXPECT_SYSCALL_FAILS(EINVAL, fallocate(fd, 0, -4096, 4096));
	close(fd);
}

/* IO-15 fallocate(2): FALLOC_FL_PUNCH_HOLE|FALLOC_FL_KEEP_SIZE makes the range read as zeros, keeps st_size and lowers st_blocks. */
TEST_F(file, punch_hole_zeros_range_and_frees_blocks)
{
	enum { CHUNK = 64 * 1024 };
	static char data[3 * CHUNK], back[3 * CHUNK];
	static const char zeros[CHUNK];
	struct stat before, after;
	int fd, ret;

	SC_REQUIRE_FEATURE(fallocate);
	memset(data, 'x', sizeof(data));
	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS((ssize_t)sizeof(data), write(fd, data, sizeof(data)));
	SC_OK(fstat(fd, &before));
	errno = 0;
	ret = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, CHUNK, CHUNK);
	SC_SKIP_IF_UNSUPPORTED(ret, errno, fallocate);
	EXPECT_EQ(0, ret);
	SC_OK(fstat(fd, &after));
	EXPECT_EQ(3 * CHUNK, after.st_size);
	EXPECT_GT(before.st_blocks, after.st_blocks) {
		TH_LOG("st_blocks %ld before, %ld after punching 64 KiB",
		       (long)before.st_blocks, (long)after.st_blocks);
	}
	EXPECT_SYSCALL_RETURNS(3 * CHUNK, pread(fd, back, sizeof(back), 0));
	EXPECT_EQ(0, memcmp(back, data, CHUNK));
	EXPECT_EQ(0, memcmp(back + CHUNK, zeros, CHUNK));
	EXPECT_EQ(0, memcmp(back + 2 * CHUNK, data, CHUNK));
	close(fd);
}

/* IO-15 fallocate(2): FALLOC_FL_PUNCH_HOLE without FALLOC_FL_KEEP_SIZE fails with EOPNOTSUPP. */
TEST_F(file, punch_hole_without_keep_size_fails_eopnotsupp)
{
	static char data[8192];
	struct stat st;
	int fd, ret;

	SC_REQUIRE_FEATURE(fallocate);
	memset(data, 'x', sizeof(data));
	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
	ASSERT_SYSCALL_RETURNS((ssize_t)sizeof(data), write(fd, data, sizeof(data)));
	/* The filesystem must support punching at all for this to mean anything. */
	errno = 0;
	ret = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096);
	SC_SKIP_IF_UNSUPPORTED(ret, errno, fallocate);
	EXPECT_SYSCALL_FAILS(EOPNOTSUPP, fallocate(fd, FALLOC_FL_PUNCH_HOLE, 4096, 4096));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(8192, st.st_size);
	close(fd);
}

TEST_HARNESS_MAIN
