// SPDX-License-Identifier: GPL-2.0-only
/*
 * process_vm_readv()/process_vm_writev(): reading and writing another process's
 * memory, their errors, and partial transfers. process_vm_readv(2).
 * The target is a fork child: its region sits at the same address as the
 * parent's copy, which the parent overwrites so that a read of the wrong process
 * shows.
 */
#include <sys/uio.h>
#include "sysconform.h"

FIXTURE(target) {
	long pg;
	char *region;		/* child: page 0 'r', page 1 unmapped, page 2 's' */
	struct sc_child c;	/* the child */
	struct sc_pipe cmd, ack;	/* commands to the child, its answers */
};

/*
 * The child: unmaps page 1, reports, then obeys commands until end of file:
 * 'u' becomes non-dumpable and acknowledges; 'c' ends it, failed unless its
 * page 0 starts with "written!".
 */
static int target_main(void *data)
{
	FIXTURE_DATA(target) *self = data;
	char c;

	sc_close(&self->cmd.wr);	/* so that the test's close() is end of file */
	SC_CHILD_CALL(munmap(self->region + self->pg, self->pg));
	sc_child_send();	/* ready */
	while (read(self->cmd.rd, &c, 1) == 1) {
		if (c == 'c' && memcmp(self->region, "written!", 8))
			return sc_child_fail("its memory is unchanged: \"%.8s\"", self->region);
		if (c == 'c')
			return SC_CHILD_OK;
		if (c == 'u') {
			SC_CHILD_CALL(prctl(PR_SET_DUMPABLE, 0));
			SC_CHILD_CALL(sc_signal_ready(self->ack.wr));
		}
	}
	return SC_CHILD_OK;
}

FIXTURE_SETUP(target)
{
	self->pg = sysconf(_SC_PAGESIZE);
	self->region = mmap(NULL, 3 * self->pg, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (self->region == MAP_FAILED)
		SC_ERROR("mmap: %s", sc_errname(errno));
	memset(self->region, 'r', self->pg);
	memset(self->region + self->pg, 'x', self->pg);
	memset(self->region + 2 * self->pg, 's', self->pg);
	sc_pipe_setup(_metadata, &self->cmd, O_CLOEXEC);
	sc_pipe_setup(_metadata, &self->ack, O_CLOEXEC);
	SC_CHILD_START(&self->c, "the target", target_main, self, SC_READY_ONLY);
	sc_close(&self->cmd.rd);
	sc_close(&self->ack.wr);
	SC_CHILD_READY(&self->c);
	memset(self->region, 'P', 3 * self->pg);	/* the parent's copy differs */
}

FIXTURE_TEARDOWN(target)
{
	sc_pipe_teardown(&self->cmd);	/* end of file: the child exits */
	sc_child_end(&self->c);
	sc_pipe_teardown(&self->ack);
	munmap(self->region, 3 * self->pg);
}

/*
 * The errno ERR of a call on the fixture's child, in words. The feature probe read
 * a child's memory the same way, so an EPERM here is none that the probe's policy
 * (Yama's ptrace_scope, seccomp) explains: the case fails and says what it knows.
 */
static const char *vm_errname(int err)
{
	static char buf[160];
	char scope[8] = "absent";
	int fd;

	if (err != EPERM)
		return sc_errname(err);
	fd = open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, scope, sizeof(scope) - 1);

		scope[n > 0 ? n : 0] = 0;
		scope[strcspn(scope, "\n")] = 0;
		close(fd);
	}
	snprintf(buf, sizeof(buf), "EPERM on our own child, although the feature probe read "
		 "its child's memory (Yama ptrace_scope: %s)", scope);
	return buf;
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() reads the child's memory (gathering remote iovecs) and returns the byte count. */
TEST_F(target, readv_reads_child_memory_and_returns_count)
{
	char buf[24] = { 0 };
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote[2] = { { self->region, 8 }, { self->region + 2 * self->pg, 16 } };
	ssize_t n;
	int err;

	SC_REQUIRE_FEATURE(process_vm);
	n = process_vm_readv(self->c.pid, &local, 1, remote, 2, 0);
	err = errno;
	EXPECT_EQ(24, n) {
		TH_LOG("process_vm_readv: %s", n < 0 ? vm_errname(err) : "short count");
	}
	EXPECT_EQ(0, memcmp(buf, "rrrrrrrrssssssssssssssss", 24)) {
		TH_LOG("read \"%.24s\"", buf);
	}
}

/* MMAP-21 process_vm_readv(2): process_vm_writev() changes the child's memory, and the child then sees the bytes. */
TEST_F(target, writev_changes_memory_the_child_sees)
{
	struct iovec local = { "written!", 8 };
	struct iovec remote = { self->region, 8 };
	ssize_t n;
	int err;

	SC_REQUIRE_FEATURE(process_vm);
	n = process_vm_writev(self->c.pid, &local, 1, &remote, 1, 0);
	err = errno;
	EXPECT_EQ(8, n) {
		TH_LOG("process_vm_writev: %s", n < 0 ? vm_errname(err) : "short count");
	}
	ASSERT_SYSCALL_RETURNS(1, write(self->cmd.wr, "c", 1));
	EXPECT_CHILD_SUCCEEDED(&self->c);
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() and process_vm_writev() with flags != 0 fail with EINVAL. */
TEST_F(target, nonzero_flags_fail_einval)
{
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { self->region, sizeof(buf) };

	SC_REQUIRE_FEATURE(process_vm);
	EXPECT_SYSCALL_FAILS(EINVAL, process_vm_readv(self->c.pid, &local, 1, &remote, 1, 1));
	EXPECT_SYSCALL_FAILS(EINVAL, process_vm_writev(self->c.pid, &local, 1, &remote, 1, 1));
}

static int exit_at_once(void *data)
{
	(void)data;
	return SC_CHILD_OK;
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() on a PID that does not exist (a reaped child) fails with ESRCH. */
TEST_F(target, nonexistent_pid_fails_esrch)
{
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { self->region, sizeof(buf) };
	struct sc_child gone;

	SC_REQUIRE_FEATURE(process_vm);
	sc_child_run(&gone, "the child", exit_at_once, NULL, 0);
	EXPECT_CHILD_SUCCEEDED(&gone);
	EXPECT_SYSCALL_FAILS(ESRCH, process_vm_readv(gone.pid, &local, 1, &remote, 1, 0));
}

/*
 * A process_vm_readv() of 8 bytes at ADDR in PID from a process that may not
 * ptrace-attach to it: a child of the caller when not root; as root a child that
 * became uid/gid 65534 (no CAP_SYS_PTRACE). The errno it saw is its report.
 */
struct stranger_read {
	int err;		/* the report: 0 when it succeeded */
	pid_t pid;
	void *addr;
};

static int read_as_stranger(void *data)
{
	struct stranger_read *r = data;
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { r->addr, sizeof(buf) };

	if (geteuid() == 0 && sc_drop_privilege())
		return sc_child_error("it could not drop to uid 65534");
	r->err = process_vm_readv(r->pid, &local, 1, &remote, 1, 0) < 0 ? errno : 0;
	return SC_CHILD_OK;
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() on a target the caller may not ptrace-attach to (non-dumpable, or another uid) fails with EPERM. */
TEST_F(target, readv_of_target_not_attachable_fails_eperm)
{
	struct stranger_read r = { -1, self->c.pid, self->region };
	struct sc_child c;

	SC_REQUIRE_FEATURE(process_vm);
	ASSERT_SYSCALL_RETURNS(1, write(self->cmd.wr, "u", 1));
	ASSERT_EQ(0, sc_wait_ready(self->ack.rd));
	sc_child_run(&c, "the reader", read_as_stranger, &r, sizeof(r.err));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EPERM, r.err) {
		TH_LOG("process_vm_readv as %s: %s", geteuid() ? "same uid" : "uid 65534",
		       r.err ? sc_errname(r.err) : "succeeded");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* MMAP-22 process_vm_readv(2): with a remote iovec element that is unmapped, process_vm_readv() returns the count of the elements before it. */
TEST_F(target, readv_stops_at_unmapped_remote_element)
{
	char buf[48];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote[3] = {
		{ self->region, 16 },
		{ self->region + self->pg, 16 },	/* unmapped in the child */
		{ self->region + 2 * self->pg, 16 },
	};
	ssize_t n;
	int err;

	SC_REQUIRE_FEATURE(process_vm);
	memset(buf, 0, sizeof(buf));
	n = process_vm_readv(self->c.pid, &local, 1, remote, 3, 0);
	err = errno;
	EXPECT_EQ(16, n) {
		TH_LOG("process_vm_readv: %zd %s", n, n < 0 ? vm_errname(err) : "");
	}
	EXPECT_EQ(0, memcmp(buf, "rrrrrrrrrrrrrrrr", 16));
	EXPECT_EQ(0, buf[16]);
}

TEST_HARNESS_MAIN
