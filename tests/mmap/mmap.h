/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmap.h: what the mmap programs share: the memory and the files their fixtures
 * map, a check whether a range is mapped, and the child that makes a faulting access.
 */
#ifndef SYSCONFORM_MMAP_H
#define SYSCONFORM_MMAP_H

#include "sysconform.h"

/* LEN bytes of MAP_PRIVATE|MAP_ANONYMOUS read-write memory, each C; a failure is a setup error. */
static inline char *map_anon_filled(struct __test_metadata *_metadata, size_t len, char c)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		SC_ERROR("mmap: %s", sc_errname(errno));
	memset(p, c, len);
	return p;
}

/*
 * A new file NAME in the current directory (the fixture's sc_tmpdir) of LEN
 * bytes, each C, open O_RDWR: its descriptor; a failure is a setup error.
 */
static inline int open_filled_file(struct __test_metadata *_metadata, const char *name,
				   size_t len, char c)
{
	char *buf = malloc(len);
	int r, err;

	if (!buf)
		SC_ERROR("malloc");
	memset(buf, c, len);
	r = sc_write_file(name, buf, len);
	err = errno;
	free(buf);
	if (r != 0)
		SC_ERROR("write %s: %s", name, sc_errname(err));
	return SC_SETUP(open(name, O_RDWR | O_CLOEXEC));
}

/* 0 if [P, P+LEN) is mapped, else the errno of msync() (ENOMEM: not mapped). */
static inline int mapped(void *p, size_t len)
{
	return msync(p, len, MS_ASYNC) == 0 ? 0 : errno;
}

/*
 * A faulting access runs in a forked child (no core dump). The child first makes
 * a control access that the rule says succeeds and calls control_passed(), then
 * the access that must raise the signal: a control that faulted the same way
 * would prove nothing, so EXPECT_FAULT_AFTER_CONTROL() asks for both.
 */
struct fault_child {
	pid_t pid;		/* 0 in the child */
	int ctl[2];		/* the child writes one byte once its control succeeded */
};

static inline struct fault_child fork_fault_child(struct __test_metadata *_metadata)
{
	struct fault_child c;

	SC_SETUP(sc_sync_pair(c.ctl));
	c.pid = SC_OK(sc_fork_nocore());
	close(c.ctl[c.pid == 0 ? 0 : 1]);
	return c;
}

/* In the child: the control access succeeded. */
static inline void control_passed(const struct fault_child *c)
{
	if (sc_signal_ready(c->ctl[1]) != 0)
		_exit(90);
}

/* In the parent: the child's control access succeeded, then the child was killed by SIG. */
#define EXPECT_FAULT_AFTER_CONTROL(sig, c) do {				\
	int _sc_fst = sc_wait((c).pid);					\
	bool control_succeeded = sc_wait_ready_ms((c).ctl[0], 0) == 0;	\
	close((c).ctl[0]);						\
	EXPECT_TRUE(control_succeeded) {				\
		TH_LOG("the control access failed: child %s before it",\
		       sc_status_str(_sc_fst));				\
	}								\
	if (control_succeeded) {					\
		EXPECT_KILLED_BY(sig, _sc_fst);				\
	}								\
} while (0)

#endif /* SYSCONFORM_MMAP_H */
