// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory across fork() and execve(): private memory is copy-on-write, shared
 * mappings stay shared, protections are inherited, and execve() drops every
 * mapping. fork(2), mmap(2), execve(2).
 */
#include "mmap.h"

static int global_word = 1;

/* Private memory of the test: a global, a stack, a heap and a MAP_PRIVATE word. */
struct words {
	volatile int *global, *stack, *heap, *anon;
};

/* The child stores 10, 20, 30, 40 into the words DATA and reads them back. */
static int store_words(void *data)
{
	struct words *w = data;

	*w->global = 10;
	*w->stack = 20;
	*w->heap = 30;
	*w->anon = 40;
	if (*w->global + *w->stack + *w->heap + *w->anon != 100)
		return sc_child_fail("its stores read back as %d, %d, %d, %d", *w->global,
				     *w->stack, *w->heap, *w->anon);
	return SC_CHILD_OK;
}

/* MMAP-05 fork(2): a child's stores into private memory (data, heap, stack, MAP_PRIVATE) are not seen by the parent. */
TEST(child_store_to_private_memory_is_not_seen_by_parent)
{
	long pg = sysconf(_SC_PAGESIZE);
	volatile int stack_word = 2;
	int *heap = malloc(sizeof(*heap));
	int *anon = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct words w = { &global_word, &stack_word, heap, anon };
	struct sc_child c;

	ASSERT_NE(NULL, heap);
	ASSERT_NE(MAP_FAILED, anon);
	*heap = 3;
	*anon = 4;
	global_word = 1;
	sc_child_run(&c, "the child", store_words, &w, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(1, global_word);
	EXPECT_EQ(2, stack_word);
	EXPECT_EQ(3, *heap);
	EXPECT_EQ(4, *anon);
	munmap(anon, pg);
	free(heap);
}

/* What a child sees of the parent's private words once the parent lets it go. */
struct words_seen {
	int global, heap, anon;	/* the report */
	struct words w;
	struct sc_pipe go;
};

static int read_words_on_go(void *data)
{
	struct words_seen *s = data;

	if (sc_hold(&s->go, SC_WAIT_MS))
		return sc_child_error("the parent did not let it go");
	s->global = *s->w.global;
	s->heap = *s->w.heap;
	s->anon = *s->w.anon;
	return SC_CHILD_OK;
}

/* MMAP-05 fork(2): the parent's stores into private memory after fork() are not seen by the child. */
TEST(parent_store_after_fork_is_not_seen_by_child)
{
	long pg = sysconf(_SC_PAGESIZE);
	int *heap = malloc(sizeof(*heap));
	int *anon = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct words_seen seen = { -1, -1, -1, { &global_word, NULL, heap, anon }, { -1, -1 } };
	struct sc_child c;

	ASSERT_NE(NULL, heap);
	ASSERT_NE(MAP_FAILED, anon);
	sc_pipe_setup(_metadata, &seen.go, O_CLOEXEC);
	*heap = 3;
	*anon = 4;
	global_word = 1;
	SC_CHILD_START(&c, "the child", read_words_on_go, &seen, offsetof(struct words_seen, w));
	global_word = 10;
	*heap = 30;
	*anon = 40;
	ASSERT_EQ(0, sc_release(&seen.go));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(1, seen.global);
	EXPECT_EQ(3, seen.heap);
	EXPECT_EQ(4, seen.anon);
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&seen.go);
	munmap(anon, pg);
	free(heap);
}

/* The child stores 11 and 12 into the first and last int of the page DATA. */
static int store_first_last(void *data)
{
	int *page = data;

	page[0] = 11;
	page[sysconf(_SC_PAGESIZE) / sizeof(int) - 1] = 12;
	return SC_CHILD_OK;
}

/* MMAP-06 mmap(2): a MAP_SHARED|MAP_ANONYMOUS region made before fork() is shared: the child's store is seen by the parent. */
TEST(shared_anonymous_store_by_child_is_seen_by_parent)
{
	long pg = sysconf(_SC_PAGESIZE);
	int *shared = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sc_child c;

	ASSERT_NE(MAP_FAILED, shared);
	shared[0] = 1;
	shared[pg / sizeof(int) - 1] = 2;
	sc_child_run(&c, "the child", store_first_last, shared, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(11, shared[0]);
	EXPECT_EQ(12, shared[pg / sizeof(int) - 1]);
	munmap(shared, pg);
}

/* The file "mapped-file", one page of 'f', for the tests of file mappings. */
FIXTURE(tmpdir) {
	struct sc_file f;
	long pg;
};

FIXTURE_SETUP(tmpdir)
{
	self->pg = sysconf(_SC_PAGESIZE);
	filled_file_setup(_metadata, &self->f, "mapped-file", self->pg, 'f', O_RDWR);
}

FIXTURE_TEARDOWN(tmpdir)
{
	sc_file_teardown(&self->f);
}

/* The child stores "child" at byte 8 of the mapping DATA. */
static int store_child(void *data)
{
	memcpy((char *)data + 8, "child", 5);
	return SC_CHILD_OK;
}

/* MMAP-20 mmap(2): a MAP_SHARED file mapping stays shared in a fork child: its store is seen by the parent and by read(). */
TEST_F(tmpdir, fork_child_shares_shared_file_mapping)
{
	char buf[6] = { 0 };
	char *p = mmap(NULL, self->pg, PROT_READ | PROT_WRITE, MAP_SHARED, self->f.fd, 0);
	struct sc_child c;

	ASSERT_NE(MAP_FAILED, p);
	sc_child_run(&c, "the child", store_child, p, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(0, memcmp(p + 8, "child", 5)) {
		TH_LOG("parent mapping shows \"%.5s\"", p + 8);
	}
	ASSERT_SYSCALL_RETURNS(5, pread(self->f.fd, buf, 5, 8));
	EXPECT_STREQ("child", buf);
	munmap(p, self->pg);
}

/* MMAP-20 mmap(2): a fork child keeps a PROT_READ mapping's protection: it reads the data, and its store raises SIGSEGV. */
TEST(fork_child_keeps_read_only_protection)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* control: the child has the data */
	struct accesses a = { .ok = { READS(p, 'r') }, .fault = STORES(p, 'w') };

	ASSERT_NE(MAP_FAILED, p);
	p[0] = 'r';
	ASSERT_SYSCALL_RETURNS(0, mprotect(p, pg, PROT_READ));
	EXPECT_FAULT_AFTER_CONTROL(SIGSEGV, &a);
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

/*
 * Before the exec helper runs: map the file, say so on stdout, and wait for the
 * test's go on stdin; the helper then prints and waits for stdin's end of file.
 */
static int map_before_exec(void *pg)
{
	int fd = open("mapped-file", O_RDWR | O_CLOEXEC);

	if (fd < 0 || mmap(NULL, *(long *)pg, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED)
		return sc_child_error("mapping the file -> %s", sc_errname(errno));
	close(fd);
	if (sc_signal_ready(1) != 0 || sc_wait_ready(0) != 0)
		return sc_child_error("the test did not say go");
	return SC_CHILD_OK;
}

/* MMAP-20 execve(2): no mapping survives execve(): a file mapped before it is gone from /proc/PID/maps after it. */
TEST_F(tmpdir, no_mapping_survives_execve)
{
	const char *const args[] = { "--wait", "0", NULL };
	struct sc_child c;
	int in, out;

	if (sc_spawn_helper_io(&c, args, &in, &out, map_before_exec, &self->pg))
		SC_ERROR("%s", c.text);
	if (sc_wait_ready(out) != 0) {	/* it has mapped the file */
		sc_kit_close(in);
		sc_child_end(&c);
		SC_ERROR("%s", c.text);
	}
	EXPECT_EQ(1, maps_mention(c.pid, "/mapped-file"));	/* control */
	ASSERT_EQ(0, sc_signal_ready(in));
	ASSERT_EQ(0, sc_wait_ready(out)) {	/* the helper runs and has printed */
		sc_child_end(&c);
		TH_LOG("the exec helper did not report: %s", c.text);
	}
	EXPECT_EQ(0, maps_mention(c.pid, "/mapped-file"));
	sc_kit_close(in);	/* stdin's end of file ends the helper */
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_kit_close(out);
}

TEST_HARNESS_MAIN
