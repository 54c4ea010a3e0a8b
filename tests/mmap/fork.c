// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory across fork() and execve(): private memory is copy-on-write, shared
 * mappings stay shared, protections are inherited, and execve() drops every
 * mapping. fork(2), mmap(2), execve(2).
 */
#include <sys/resource.h>
#include "mmap.h"

static int global_word = 1;

/* MMAP-05 fork(2): a child's stores into private memory (data, heap, stack, MAP_PRIVATE) are not seen by the parent. */
TEST(child_store_to_private_memory_is_not_seen_by_parent)
{
	long pg = sysconf(_SC_PAGESIZE);
	volatile int stack_word = 2;
	int *heap = malloc(sizeof(*heap));
	int *anon = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	ASSERT_NE(NULL, heap);
	ASSERT_NE(MAP_FAILED, anon);
	*heap = 3;
	*anon = 4;
	global_word = 1;
	pid = SC_OK(sc_fork());
	if (pid == 0) {
		global_word = 10;
		stack_word = 20;
		*heap = 30;
		*anon = 40;
		_exit(global_word + stack_word + *heap + *anon == 100 ? 0 : 1);
	}
	EXPECT_CHILD_OK(pid);
	EXPECT_EQ(1, global_word);
	EXPECT_EQ(2, stack_word);
	EXPECT_EQ(3, *heap);
	EXPECT_EQ(4, *anon);
	munmap(anon, pg);
	free(heap);
}

/* MMAP-05 fork(2): the parent's stores into private memory after fork() are not seen by the child. */
TEST(parent_store_after_fork_is_not_seen_by_child)
{
	long pg = sysconf(_SC_PAGESIZE);
	int *heap = malloc(sizeof(*heap));
	int *anon = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int go[2];
	pid_t pid;

	ASSERT_NE(NULL, heap);
	ASSERT_NE(MAP_FAILED, anon);
	ASSERT_EQ(0, sc_sync_pair(go));
	*heap = 3;
	*anon = 4;
	global_word = 1;
	pid = SC_OK(sc_fork());
	if (pid == 0) {
		close(go[1]);
		if (sc_wait_ready(go[0]) != 0)
			_exit(90);
		_exit(global_word != 1 ? 1 : *heap != 3 ? 2 : *anon != 4 ? 3 : 0);
	}
	close(go[0]);
	global_word = 10;
	*heap = 30;
	*anon = 40;
	ASSERT_EQ(0, sc_signal_ready(go[1]));
	EXPECT_CHILD_OK(pid);
	close(go[1]);
	munmap(anon, pg);
	free(heap);
}

/* MMAP-06 mmap(2): a MAP_SHARED|MAP_ANONYMOUS region made before fork() is shared: the child's store is seen by the parent. */
TEST(shared_anonymous_store_by_child_is_seen_by_parent)
{
	long pg = sysconf(_SC_PAGESIZE);
	int *shared = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	ASSERT_NE(MAP_FAILED, shared);
	shared[0] = 1;
	shared[pg / sizeof(int) - 1] = 2;
	pid = SC_OK(sc_fork());
	if (pid == 0) {
		shared[0] = 11;
		shared[pg / sizeof(int) - 1] = 12;
		_exit(0);
	}
	EXPECT_CHILD_OK(pid);
	EXPECT_EQ(11, shared[0]);
	EXPECT_EQ(12, shared[pg / sizeof(int) - 1]);
	munmap(shared, pg);
}

FIXTURE(tmpdir) {
	struct sc_tmpdir tmp;
	long pg;
};

FIXTURE_SETUP(tmpdir)
{
	self->pg = sysconf(_SC_PAGESIZE);
	sc_tmpdir_setup(_metadata, &self->tmp);
}

FIXTURE_TEARDOWN(tmpdir)
{
	sc_tmpdir_teardown(&self->tmp);
}

/* MMAP-20 mmap(2): a MAP_SHARED file mapping stays shared in a fork child: its store is seen by the parent and by read(). */
TEST_F(tmpdir, fork_child_shares_shared_file_mapping)
{
	char buf[6] = { 0 };
	int fd = open_filled_file(_metadata, "data", self->pg, 'f');
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pid_t pid;

	ASSERT_NE(MAP_FAILED, p);
	pid = SC_OK(sc_fork());
	if (pid == 0) {
		memcpy(p + 8, "child", 5);
		_exit(0);
	}
	EXPECT_CHILD_OK(pid);
	EXPECT_EQ(0, memcmp(p + 8, "child", 5)) {
		TH_LOG("parent mapping shows \"%.5s\"", p + 8);
	}
	ASSERT_SYSCALL_RETURNS(5, pread(fd, buf, 5, 8));
	EXPECT_STREQ("child", buf);
	munmap(p, self->pg);
	close(fd);
}

/* MMAP-20 mmap(2): a fork child keeps a PROT_READ mapping's protection: it reads the data, and its store raises SIGSEGV. */
TEST(fork_child_keeps_read_only_protection)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct fault_child c;

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'r';
	ASSERT_SYSCALL_RETURNS(0, mprotect(p, pg, PROT_READ));
	c = fork_fault_child(_metadata);
	if (c.pid == 0) {
		if (*(volatile char *)p != 'r')		/* control: the child has the data */
			_exit(1);
		control_passed(&c);
		*(volatile char *)p = 'w';
		_exit(0);
	}
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, c);
	munmap(p, pg);
}

/* 1 if /proc/PID/maps mentions NEEDLE, 0 if not, -1 if it cannot be read. */
static int maps_mention(pid_t pid, const char *needle)
{
	static char buf[1 << 16];
	char path[64];
	size_t len = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return strstr(buf, needle) ? 1 : 0;
}

/* MMAP-20 execve(2): no mapping survives execve(): a file mapped before it is gone from /proc/PID/maps after it. */
TEST_F(tmpdir, no_mapping_survives_execve)
{
	const char *helper = sc_helper_path("sc-exec-helper");
	int fd = open_filled_file(_metadata, "mapped-before-exec", self->pg, 'f');
	int go[2], out[2], ready[2];
	pid_t pid;

	close(fd);
	ASSERT_EQ(0, sc_sync_pair(go));
	ASSERT_EQ(0, sc_sync_pair(out));
	ASSERT_EQ(0, sc_sync_pair(ready));
	pid = SC_OK(sc_fork());
	if (pid == 0) {
		char *argv[] = { (char *)helper, "--wait", "0", NULL };
		int f = open("mapped-before-exec", O_RDWR | O_CLOEXEC);
		void *p = f < 0 ? MAP_FAILED : mmap(NULL, self->pg, PROT_READ, MAP_SHARED, f, 0);

		if (p == MAP_FAILED || dup2(go[0], 0) != 0 || dup2(out[1], 1) != 1)
			_exit(91);
		close(f);
		if (sc_signal_ready(ready[1]) != 0 || sc_wait_ready(0) != 0)
			_exit(92);
		execv(helper, argv);
		_exit(93);
	}
	close(go[0]);
	close(out[1]);
	close(ready[1]);
	ASSERT_EQ(0, sc_wait_ready(ready[0]));
	EXPECT_EQ(1, maps_mention(pid, "/mapped-before-exec"));	/* control */
	ASSERT_EQ(0, sc_signal_ready(go[1]));
	ASSERT_EQ(0, sc_wait_ready(out[0])) {	/* the helper runs and has printed */
		TH_LOG("exec helper %s did not report", helper);
	}
	EXPECT_EQ(0, maps_mention(pid, "/mapped-before-exec"));
	close(go[1]);		/* stdin EOF ends the helper */
	EXPECT_CHILD_OK(pid);
	close(out[0]);
	close(ready[0]);
}

TEST_HARNESS_MAIN
