// SPDX-License-Identifier: GPL-2.0-only
/*
 * tee and vmsplice: duplicating a pipe's bytes into another pipe without consuming
 * them, and moving user memory into a pipe; their EINVAL and EBADF cases
 * (SPLICE-08, SPLICE-09). Man pages: tee(2), vmsplice(2).
 */
#include "splice.h"

/* SPLICE-08 tee(2): tee(a,b,n,0) copies n bytes from pipe a to pipe b without consuming them: both pipes then read the same bytes. */
TEST_F(xfer, tee_duplicates_without_consuming)
{
	char buf[16] = "", buf2[16] = "";

	SC_REQUIRE_FEATURE(splice);
	SC_SETUP(write(self->a.wr, "hello", 5));
	EXPECT_SYSCALL_RETURNS(5, tee(self->a.rd, self->b.wr, 5, 0));
	EXPECT_EQ(5, queued(self->a.rd));
	EXPECT_EQ(5, queued(self->b.rd));
	EXPECT_SYSCALL_RETURNS(5, read(self->a.rd, buf, sizeof(buf)));
	EXPECT_STREQ("hello", buf);
	EXPECT_SYSCALL_RETURNS(5, read(self->b.rd, buf2, sizeof(buf2)));
	EXPECT_STREQ("hello", buf2);
}

/* SPLICE-08 tee(2): tee() copies at most n bytes, from the front of pipe a, and a second tee() copies the same bytes again. */
TEST_F(xfer, tee_copies_at_most_n_from_front_twice)
{
	char buf[16] = "";

	SC_REQUIRE_FEATURE(splice);
	SC_SETUP(write(self->a.wr, "abcdef", 6));
	EXPECT_SYSCALL_RETURNS(3, tee(self->a.rd, self->b.wr, 3, SPLICE_F_NONBLOCK));
	EXPECT_SYSCALL_RETURNS(3, tee(self->a.rd, self->b.wr, 3, SPLICE_F_NONBLOCK));
	EXPECT_EQ(6, queued(self->a.rd));
	EXPECT_SYSCALL_RETURNS(6, read(self->b.rd, buf, sizeof(buf)));
	EXPECT_STREQ("abcabc", buf);
}

/* SPLICE-08 tee(2): tee() with a non-pipe on either side, or the same pipe on both, fails with EINVAL and consumes nothing. */
TEST_F(xfer, tee_non_pipe_or_same_pipe_fails_einval)
{
	int f;

	SC_REQUIRE_FEATURE(splice);
	f = SC_FILE_AT("f", DIGITS, 10, O_RDWR);
	SC_SETUP(write(self->a.wr, "abc", 3));
	const struct { const char *what; int in, out; } row[] = {
		{ "file -> pipe", f, self->b.wr },
		{ "pipe -> file", self->a.rd, f },
		{ "pipe -> the same pipe", self->a.rd, self->a.wr },
	};
	for (size_t i = 0; i < sizeof(row) / sizeof(row[0]); i++) {
		errno = 0;
		ssize_t n = tee(row[i].in, row[i].out, 3, SPLICE_F_NONBLOCK);
		int err = errno;

		EXPECT_EQ(EINVAL, n == -1 ? err : 0) {
			TH_LOG("tee(%s) -> %zd %s, expected EINVAL", row[i].what, n,
			       n == -1 ? sc_errname(err) : "");
		}
	}
	EXPECT_EQ(3, queued(self->a.rd));
	EXPECT_EQ(0, queued(self->b.rd));
	EXPECT_SYSCALL_RETURNS(0, lseek(f, 0, SEEK_CUR));
	close(f);
}

/* SPLICE-09 vmsplice(2): vmsplice(pipe_wr,{"hello",5},1,0) returns 5 and a read from the pipe returns "hello". */
TEST_F(xfer, vmsplice_user_memory_into_pipe)
{
	static char msg[] = "hello";
	struct iovec iov = { .iov_base = msg, .iov_len = 5 };
	char buf[16] = "";

	SC_REQUIRE_FEATURE(splice);
	ASSERT_SYSCALL_RETURNS(5, vmsplice(self->a.wr, &iov, 1, 0));
	EXPECT_SYSCALL_RETURNS(5, read(self->a.rd, buf, sizeof(buf)));
	EXPECT_STREQ("hello", buf);
}

/* SPLICE-09 vmsplice(2): vmsplice() gathers several iovecs into the pipe, in order. */
TEST_F(xfer, vmsplice_gathers_iovecs_in_order)
{
	static char one[] = "ab", two[] = "cde";
	struct iovec iov[2] = { { one, 2 }, { two, 3 } };
	char buf[16] = "";

	SC_REQUIRE_FEATURE(splice);
	ASSERT_SYSCALL_RETURNS(5, vmsplice(self->a.wr, iov, 2, SPLICE_F_NONBLOCK));
	EXPECT_SYSCALL_RETURNS(5, read(self->a.rd, buf, sizeof(buf)));
	EXPECT_STREQ("abcde", buf);
}

/* SPLICE-09 vmsplice(2): vmsplice() on a descriptor that is not a pipe (a regular file, a socket) fails with EBADF and writes nothing. */
TEST_F(xfer, vmsplice_non_pipe_fails_ebadf)
{
	static char msg[] = "hello";
	struct iovec iov = { .iov_base = msg, .iov_len = 5 };
	struct sc_sockpair s;
	struct stat st;
	int f;

	SC_REQUIRE_FEATURE(splice);
	f = SC_FILE_AT("f", "", 0, O_RDWR);
	SC_SETUP(sc_stream_pair_open(&s, AF_UNIX, SOCK_CLOEXEC));
	EXPECT_SYSCALL_FAILS(EBADF, vmsplice(f, &iov, 1, SPLICE_F_NONBLOCK));
	EXPECT_SYSCALL_FAILS(EBADF, vmsplice(s.fd[0], &iov, 1, SPLICE_F_NONBLOCK));
	SC_OK(fstat(f, &st));
	EXPECT_EQ(0, st.st_size);
	EXPECT_EQ(0, queued(s.fd[1]));
	sc_sockpair_teardown(&s);
	close(f);
}

TEST_HARNESS_MAIN
