// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_uring reads and writes: CQE res as a byte count or -errno, explicit offsets
 * against the file offset, registered files (IOSQE_FIXED_FILE) and registered
 * buffers (IORING_OP_READ_FIXED).
 * Man pages: io_uring_enter(2), io_uring_register(2), io_uring_setup(2).
 */
#include "io_uring.h"

/* Prepare on RING a read of LEN bytes at OFF of FD into BUF, with user_data UD. */
static void prep_read(struct io_uring_sqe *sqe, int fd, void *buf, unsigned len, __u64 off, __u64 ud)
{
	io_uring_prep_read(sqe, fd, buf, len, off);
	sqe->user_data = ud;
}

/* URING-03 io_uring_enter(2): IORING_OP_READ and IORING_OP_WRITE complete with res = the bytes transferred. */
TEST_F(uring, read_and_write_complete_with_bytes_transferred)
{
	char buf[64] = "";
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	URING_REQUIRE_OP(&self->ring, IORING_OP_WRITE);
	fd = SC_FILE_AT("f", "hello world", 11, O_RDWR);
	prep_read(URING_SQE(&self->ring), fd, buf, sizeof(buf), 0, 1);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 1, 11);
	EXPECT_STREQ("hello world", buf);
	io_uring_prep_write(URING_SQE(&self->ring), fd, "HELLO", 5, 0);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 0, 5);
	EXPECT_SYSCALL_RETURNS(11, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(0, memcmp(buf, "HELLO world", 11));
	close(fd);
}

/* URING-03 io_uring_enter(2): a read of a descriptor that is not open completes with res -EBADF; io_uring_enter() itself succeeds. */
TEST_F(uring, read_of_closed_fd_completes_ebadf_in_cqe)
{
	char buf[8];
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	SC_SETUP(close(fd));
	prep_read(URING_SQE(&self->ring), fd, buf, sizeof(buf), 0, 7);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 7, -EBADF);
}

/* URING-03 io_uring_enter(2): a write to a descriptor open read-only completes with res -EBADF; the submit succeeds. */
TEST_F(uring, write_to_readonly_fd_completes_ebadf_in_cqe)
{
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_WRITE);
	fd = SC_FILE_AT("f", "abc", 3, O_RDONLY);
	io_uring_prep_write(URING_SQE(&self->ring), fd, "xyz", 3, 0);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 0, -EBADF);
	close(fd);
}

/* URING-04 io_uring_enter(2): a read SQE with an explicit offset reads there and leaves the file offset unchanged. */
TEST_F(uring, read_at_explicit_offset_leaves_file_offset)
{
	char buf[4] = "";
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	fd = SC_FILE_AT("f", "hello world", 11, O_RDONLY);
	SC_SETUP(lseek(fd, 2, SEEK_SET));
	prep_read(URING_SQE(&self->ring), fd, buf, 3, 6, 1);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 1, 3);
	EXPECT_STREQ("wor", buf);
	EXPECT_SYSCALL_RETURNS(2, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* URING-04 io_uring_setup(2): with IORING_FEAT_RW_CUR_POS, a read at offset -1 reads at the current file offset and advances it. */
TEST_F(uring, read_at_offset_minus_1_uses_and_advances_file_offset)
{
	char buf[4] = "";
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_FEAT(&self->ring, IORING_FEAT_RW_CUR_POS);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	fd = SC_FILE_AT("f", "hello world", 11, O_RDONLY);
	SC_SETUP(lseek(fd, 2, SEEK_SET));
	prep_read(URING_SQE(&self->ring), fd, buf, 3, (__u64)-1, 1);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 1, 3);
	EXPECT_STREQ("llo", buf);
	EXPECT_SYSCALL_RETURNS(5, lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/* Open "a" (aaaa) and "b" (bbbb) into FDS and register them as the table [a, b]. */
#define REGISTER_TWO_FILES(ring, fds) do {				\
	(fds)[0] = SC_FILE_AT("a", "aaaa", 4, O_RDONLY);		\
	(fds)[1] = SC_FILE_AT("b", "bbbb", 4, O_RDONLY);		\
	URING_REGISTER_OR_SKIP("IORING_REGISTER_FILES", io_uring_register_files(ring, fds, 2));	\
} while (0)

/* URING-08 io_uring_register(2): with IOSQE_FIXED_FILE, the SQE's fd is an index into the registered table (index 1 reads the second file). */
TEST_F(uring, fixed_file_fd_is_index_into_registered_table)
{
	char buf[8] = "";
	struct io_uring_cqe c;
	int fds[2];
	struct io_uring_sqe *sqe;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	REGISTER_TWO_FILES(&self->ring, fds);
	sqe = URING_SQE(&self->ring);
	prep_read(sqe, 1, buf, sizeof(buf), 0, 1);
	sqe->flags |= IOSQE_FIXED_FILE;
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 1, 4);
	EXPECT_STREQ("bbbb", buf);
	close(fds[0]);
	close(fds[1]);
}

/* URING-08 io_uring_register(2): an IOSQE_FIXED_FILE index outside the registered table completes with res -EBADF. */
TEST_F(uring, fixed_file_index_outside_table_completes_ebadf)
{
	char buf[8];
	struct io_uring_cqe c;
	int fds[2];
	struct io_uring_sqe *sqe;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	REGISTER_TWO_FILES(&self->ring, fds);
	sqe = URING_SQE(&self->ring);
	prep_read(sqe, 2, buf, sizeof(buf), 0, 1);
	sqe->flags |= IOSQE_FIXED_FILE;
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 1, -EBADF);
	close(fds[0]);
	close(fds[1]);
}

/* URING-08 io_uring_register(2): a registered file stays usable through its index after close() of the original descriptor. */
TEST_F(uring, registered_file_usable_after_close_of_original_fd)
{
	char buf[8] = "";
	struct io_uring_cqe c;
	int fds[2];
	struct io_uring_sqe *sqe;

	SC_REQUIRE_FEATURE(io_uring);
	URING_REQUIRE_OP(&self->ring, IORING_OP_READ);
	REGISTER_TWO_FILES(&self->ring, fds);
	SC_SETUP(close(fds[0]));
	SC_SETUP(close(fds[1]));
	sqe = URING_SQE(&self->ring);
	prep_read(sqe, 0, buf, sizeof(buf), 0, 1);
	sqe->flags |= IOSQE_FIXED_FILE;
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 1, 4);
	EXPECT_STREQ("aaaa", buf);
}

/* Two pages; only the first is registered (buf_index 0) with RING. */
#define REGISTER_FIRST_PAGE(ring, mem) do {				\
	struct iovec _iov = { mem, 4096 };				\
	URING_REGISTER_OR_SKIP("IORING_REGISTER_BUFFERS", io_uring_register_buffers(ring, &_iov, 1));	\
} while (0)

/* URING-09 io_uring_register(2): IORING_OP_READ_FIXED with buf_index 0 reads into the buffer registered by IORING_REGISTER_BUFFERS. */
TEST_F(uring, read_fixed_reads_into_registered_buffer)
{
	static char mem[8192] __attribute__((aligned(4096)));
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	fd = SC_FILE_AT("f", "hello world", 11, O_RDONLY);
	REGISTER_FIRST_PAGE(&self->ring, mem);
	io_uring_prep_read_fixed(URING_SQE(&self->ring), fd, mem + 100, 11, 0, 0);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 0, 11);
	EXPECT_EQ(0, memcmp(mem + 100, "hello world", 11));
	close(fd);
}

/* URING-09 io_uring_register(2): IORING_OP_READ_FIXED into a range that runs past the registered buffer completes with res -EFAULT. */
TEST_F(uring, read_fixed_outside_registered_buffer_completes_efault)
{
	static char mem[8192] __attribute__((aligned(4096)));
	struct io_uring_cqe c;
	int fd;

	SC_REQUIRE_FEATURE(io_uring);
	fd = SC_FILE_AT("f", "hello world", 11, O_RDONLY);
	REGISTER_FIRST_PAGE(&self->ring, mem);
	io_uring_prep_read_fixed(URING_SQE(&self->ring), fd, mem + 4090, 11, 0, 0);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 0, -EFAULT);
	io_uring_prep_read_fixed(URING_SQE(&self->ring), fd, mem + 4096, 4, 0, 0);
	URING_SUBMIT(&self->ring, 1);
	URING_NEXT_CQE(&self->ring, c);
	EXPECT_CQE(c, 0, -EFAULT);
	close(fd);
}

TEST_HARNESS_MAIN
