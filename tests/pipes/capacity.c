// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pipe capacity through fcntl(F_GETPIPE_SZ/F_SETPIPE_SZ): the 65536 default,
 * rounding to a power-of-two number of pages, EBUSY below the buffered data,
 * EPERM above /proc/sys/fs/pipe-max-size without CAP_SYS_RESOURCE.
 * Man pages: fcntl(2) "Changing the capacity of a pipe", pipe(7).
 */
#include <linux/capability.h>
#include <sys/ioctl.h>

#include "pipes.h"

#define CAPACITY 65536	/* PIPE-12 */

#define PIPE_MAX_DEFAULT 1048576	/* pipe(7): the default of pipe-max-size */

/* /proc/sys/fs/pipe-max-size; PIPE_MAX_DEFAULT where the file does not exist; or -1. */
static long pipe_max_size(void)
{
	char buf[32] = "";
	int fd = open("/proc/sys/fs/pipe-max-size", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? PIPE_MAX_DEFAULT : -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* Drop CAP_SYS_RESOURCE from the effective and permitted sets of this process. */
static int drop_cap_sys_resource(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].effective &= ~CAP_TO_MASK(CAP_SYS_RESOURCE);
	data[CAP_TO_INDEX(CAP_SYS_RESOURCE)].permitted &= ~CAP_TO_MASK(CAP_SYS_RESOURCE);
	return syscall(SYS_capset, &hdr, data);
}

struct above_max {
	int fd;
	long max;
};

/* Without CAP_SYS_RESOURCE: F_SETPIPE_SZ to MAX must work, then to 2 * MAX must fail with EPERM. */
static int set_above_max(void *data)
{
	struct above_max *a = data;
	long twice = 2 * a->max;

	if (drop_cap_sys_resource())
		return sc_child_error("capset(drop CAP_SYS_RESOURCE) -> %s", sc_errname(errno));
	SC_CHILD_CALL(fcntl(a->fd, F_SETPIPE_SZ, (int)a->max));
	if (fcntl(a->fd, F_SETPIPE_SZ, (int)twice) >= 0)
		return sc_child_fail("F_SETPIPE_SZ(%ld) succeeded, expected EPERM", twice);
	if (errno != EPERM)
		return sc_child_fail("F_SETPIPE_SZ(%ld) -> %s, expected EPERM", twice, sc_errname(errno));
	return SC_CHILD_OK;
}

/* PIPE-12 pipe(7): F_GETPIPE_SZ on either end of a new pipe returns 65536. */
TEST_F(pipe_pair, default_capacity_is_65536)
{
	SC_REQUIRE_FEATURE(pipe_size);
	EXPECT_SYSCALL_RETURNS(CAPACITY, fcntl(self->p.rd, F_GETPIPE_SZ));
	EXPECT_SYSCALL_RETURNS(CAPACITY, fcntl(self->p.wr, F_GETPIPE_SZ));
}

/* PIPE-13 fcntl(2): F_SETPIPE_SZ rounds up to a power-of-two number of pages (1 -> 1 page, 3 pages -> 4, 65537 -> 131072), returns it, and F_GETPIPE_SZ agrees. */
TEST_F(pipe_pair, setpipe_sz_rounds_up_to_power_of_two_pages)
{
	long page = sysconf(_SC_PAGESIZE);
	const struct { long ask, want; } rows[] = {
		{ 1, page }, { page + 1, 2 * page }, { 3 * page, 4 * page },
		{ 65537, 131072 }, { 65536, 65536 },
	};

	SC_REQUIRE_FEATURE(pipe_size);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int got = fcntl(self->p.wr, F_SETPIPE_SZ, (int)rows[i].ask);

		EXPECT_EQ(rows[i].want, got) {
			TH_LOG("F_SETPIPE_SZ(%ld): %d %s", rows[i].ask, got,
			       got < 0 ? sc_errname(errno) : "");
		}
		EXPECT_SYSCALL_RETURNS(rows[i].want, fcntl(self->p.wr, F_GETPIPE_SZ));
	}
}

/* PIPE-13 fcntl(2): the capacity belongs to the pipe: F_SETPIPE_SZ on the write end is seen by F_GETPIPE_SZ on the read end. */
TEST_F(pipe_pair, setpipe_sz_on_one_end_changes_both)
{
	SC_REQUIRE_FEATURE(pipe_size);
	ASSERT_EQ(262144, SC_OK(fcntl(self->p.wr, F_SETPIPE_SZ, 262144)));
	EXPECT_SYSCALL_RETURNS(262144, fcntl(self->p.rd, F_GETPIPE_SZ));
}

/* PIPE-13 fcntl(2): F_SETPIPE_SZ below the 3 pages buffered fails with EBUSY and keeps capacity and data. */
TEST_F(pipe_pair, setpipe_sz_below_buffered_data_fails_ebusy)
{
	static char buf[3 * 4096];
	int queued = -1;

	SC_REQUIRE_FEATURE(pipe_size);
	memset(buf, 'b', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), SC_OK(write(self->p.wr, buf, sizeof(buf))));
	EXPECT_SYSCALL_FAILS(EBUSY, fcntl(self->p.wr, F_SETPIPE_SZ, 4096));
	EXPECT_SYSCALL_RETURNS(CAPACITY, fcntl(self->p.wr, F_GETPIPE_SZ));
	SC_OK(ioctl(self->p.rd, FIONREAD, &queued));
	EXPECT_EQ((int)sizeof(buf), queued);
}

/* PIPE-13 fcntl(2): without CAP_SYS_RESOURCE, F_SETPIPE_SZ up to pipe-max-size (1 MiB if /proc lacks it) works and twice that fails with EPERM (as root: in a child without the capability). */
TEST_F(pipe_pair, setpipe_sz_above_max_fails_eperm_unprivileged)
{
	struct above_max a = { self->p.wr, pipe_max_size() };
	struct sc_child c;

	SC_REQUIRE_FEATURE(pipe_size);
	if (a.max <= 0)
		SC_ERROR("read /proc/sys/fs/pipe-max-size: %s", sc_errname(errno));
	sc_child_run(&c, "the child without CAP_SYS_RESOURCE", set_above_max, &a, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
