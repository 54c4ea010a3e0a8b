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
	pid_t pid;
	int cmd, ack;		/* commands to the child, its answers */
};

/*
 * The child: unmaps page 1, says ready, then obeys commands until EOF:
 * 'u' becomes non-dumpable and acknowledges; 'c' exits 0 if its page 0 starts
 * with "written!", else 1.
 */
static int target_main(FIXTURE_DATA(target) *self, int cmd, int ack)
{
	char c;

	if (munmap(self->region + self->pg, self->pg) || sc_signal_ready(ack))
		return 90;
	while (read(cmd, &c, 1) == 1) {
		if (c == 'c')
			return memcmp(self->region, "written!", 8) ? 1 : 0;
		if (c == 'u' && (prctl(PR_SET_DUMPABLE, 0) || sc_signal_ready(ack)))
			return 91;
	}
	return 0;
}

FIXTURE_SETUP(target)
{
	int cmd[2], ack[2];

	self->pid = -1;
	self->cmd = self->ack = -1;
	self->pg = sysconf(_SC_PAGESIZE);
	self->region = mmap(NULL, 3 * self->pg, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (self->region == MAP_FAILED)
		SC_ERROR("mmap: %s", sc_errname(errno));
	memset(self->region, 'r', self->pg);
	memset(self->region + self->pg, 'x', self->pg);
	memset(self->region + 2 * self->pg, 's', self->pg);
	SC_SETUP(sc_sync_pair(cmd));
	SC_SETUP(sc_sync_pair(ack));
	self->pid = SC_SETUP(sc_fork());
	if (self->pid == 0) {
		close(cmd[1]);
		close(ack[0]);
		_exit(target_main(self, cmd[0], ack[1]));
	}
	close(cmd[0]);
	close(ack[1]);
	self->cmd = cmd[1];
	self->ack = ack[0];
	if (sc_wait_ready(self->ack) != 0)
		SC_ERROR("target child not ready");
	memset(self->region, 'P', 3 * self->pg);	/* the parent's copy differs */
}

FIXTURE_TEARDOWN(target)
{
	if (self->cmd >= 0)
		close(self->cmd);	/* EOF: the child exits */
	if (self->pid > 0)
		sc_wait(self->pid);
	if (self->ack >= 0)
		close(self->ack);
	if (self->region != MAP_FAILED)
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
	n = process_vm_readv(self->pid, &local, 1, remote, 2, 0);
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
	int st, err;

	SC_REQUIRE_FEATURE(process_vm);
	n = process_vm_writev(self->pid, &local, 1, &remote, 1, 0);
	err = errno;
	EXPECT_EQ(8, n) {
		TH_LOG("process_vm_writev: %s", n < 0 ? vm_errname(err) : "short count");
	}
	ASSERT_SYSCALL_RETURNS(1, write(self->cmd, "c", 1));
	st = sc_wait(self->pid);
	self->pid = -1;
	EXPECT_EQ(0, st) {
		TH_LOG("child %s (1: its memory is unchanged)", sc_status_str(st));
	}
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() and process_vm_writev() with flags != 0 fail with EINVAL. */
TEST_F(target, nonzero_flags_fail_einval)
{
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { self->region, sizeof(buf) };

	SC_REQUIRE_FEATURE(process_vm);
	EXPECT_SYSCALL_FAILS(EINVAL, process_vm_readv(self->pid, &local, 1, &remote, 1, 1));
	EXPECT_SYSCALL_FAILS(EINVAL, process_vm_writev(self->pid, &local, 1, &remote, 1, 1));
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() on a PID that does not exist (a reaped child) fails with ESRCH. */
TEST_F(target, nonexistent_pid_fails_esrch)
{
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { self->region, sizeof(buf) };
	pid_t gone;

	SC_REQUIRE_FEATURE(process_vm);
	gone = SC_OK(sc_fork());
	if (gone == 0)
		_exit(0);
	ASSERT_EQ(0, sc_wait(gone));
	EXPECT_SYSCALL_FAILS(ESRCH, process_vm_readv(gone, &local, 1, &remote, 1, 0));
}

/*
 * process_vm_readv() of PID's region from a process that may not ptrace-attach
 * to it: the caller itself when not root; as root a child that became uid/gid
 * 65534 (no CAP_SYS_PTRACE). Returns the errno seen, 0 on success.
 */
static int read_as_stranger(pid_t pid, void *remote_addr)
{
	char buf[8];
	struct iovec local = { buf, sizeof(buf) };
	struct iovec remote = { remote_addr, sizeof(buf) };
	pid_t child;
	int st;

	if (geteuid() != 0)
		return process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 ? errno : 0;
	child = sc_fork();
	if (child < 0)
		return -1;
	if (child == 0) {
		if (sc_drop_privilege())
			_exit(SC_CHILD_SKIP);
		_exit(process_vm_readv(pid, &local, 1, &remote, 1, 0) < 0 ? errno : 0);
	}
	st = sc_wait(child);
	return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* MMAP-21 process_vm_readv(2): process_vm_readv() on a target the caller may not ptrace-attach to (non-dumpable, or another uid) fails with EPERM. */
TEST_F(target, readv_of_target_not_attachable_fails_eperm)
{
	int err;

	SC_REQUIRE_FEATURE(process_vm);
	ASSERT_SYSCALL_RETURNS(1, write(self->cmd, "u", 1));
	ASSERT_EQ(0, sc_wait_ready(self->ack));
	err = read_as_stranger(self->pid, self->region);
	if (err == -1 || err == SC_CHILD_SKIP)
		SC_ERROR("reader child failed (could not drop to uid 65534)");
	EXPECT_EQ(EPERM, err) {
		TH_LOG("process_vm_readv as %s: %s", geteuid() ? "same uid" : "uid 65534",
		       err ? sc_errname(err) : "succeeded");
	}
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
	n = process_vm_readv(self->pid, &local, 1, remote, 3, 0);
	err = errno;
	EXPECT_EQ(16, n) {
		TH_LOG("process_vm_readv: %zd %s", n, n < 0 ? vm_errname(err) : "");
	}
	EXPECT_EQ(0, memcmp(buf, "rrrrrrrrrrrrrrrr", 16));
	EXPECT_EQ(0, buf[16]);
}

TEST_HARNESS_MAIN
