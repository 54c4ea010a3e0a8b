/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmap.h: what the mmap programs share: the memory and the files their fixtures
 * map, a check whether a range is mapped, and the child that makes accesses, the
 * last of which may fault.
 */
#ifndef SYSCONFORM_MMAP_H
#define SYSCONFORM_MMAP_H

#include <sys/resource.h>
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
 * The fixture NAME (case ids carry it): p, PAGES pages of pg bytes of
 * map_anon_filled() memory, each FILL.
 */
#define ANON_FIXTURE(name, pages, fill)					\
FIXTURE(name) {								\
	long pg;							\
	char *p;							\
};									\
FIXTURE_SETUP(name)							\
{									\
	self->pg = sysconf(_SC_PAGESIZE);				\
	self->p = map_anon_filled(_metadata, (pages) * self->pg, fill);	\
}									\
FIXTURE_TEARDOWN(name)							\
{									\
	if (self->p && self->p != MAP_FAILED)				\
		munmap(self->p, (pages) * self->pg);			\
}

/*
 * The fixture file: a private temporary directory holding NAME, LEN bytes, each C,
 * open with FLAGS (sc_file_setup()); a failure is a setup error.
 */
static inline void filled_file_setup(struct __test_metadata *_metadata, struct sc_file *f,
				     const char *name, size_t len, char c, int flags)
{
	char *buf = malloc(len);

	if (!buf)
		SC_ERROR("malloc");
	memset(buf, c, len);
	sc_file_setup(_metadata, f, name, buf, len, flags);
	free(buf);
}

/* 0 if [P, P+LEN) is mapped, else the errno of msync() (ENOMEM: not mapped). */
static inline int mapped(void *p, size_t len)
{
	return msync(p, len, MS_ASYNC) == 0 ? 0 : errno;
}

/* A one-byte access: a read that must see WANT, or (STORE) a store of WANT that a read sees. */
struct mem_access {
	volatile char *at;
	char want;
	bool store;
};

/* Accesses: a read of ADDR that sees C, a store of C there, a read of whatever is there. */
#define READS(addr, c)	{ .at = (addr), .want = (c) }
#define STORES(addr, c)	{ .at = (addr), .want = (c), .store = true }
#define TOUCHES(addr)	{ .at = (addr) }

/*
 * Accesses run in a child. Those that must succeed come first, in order; a faulting
 * access comes last and must raise its signal, after a control access that the rule
 * says succeeds: a control that faulted the same way would prove nothing, so
 * EXPECT_FAULT_AFTER_CONTROL() asks for both. The child writes no core dump.
 */
struct accesses {			/* the child is ready once the ok accesses succeeded */
	struct mem_access ok[4];	/* up to the first with .at NULL */
	struct mem_access fault;	/* none when .at is NULL */
};

static inline int make_accesses(void *data)
{
	struct accesses *a = data;

	for (size_t i = 0; i < sizeof(a->ok) / sizeof(a->ok[0]) && a->ok[i].at; i++) {
		struct mem_access *m = &a->ok[i];

		if (m->store)
			*m->at = m->want;
		if (*m->at != m->want)
			return sc_child_fail("%s at %p: read 0x%02x, expected 0x%02x", m->store ?
					     "a store" : "a read", (void *)m->at, *m->at, m->want);
	}
	if (a->fault.at) {
		sc_child_send();
		if (a->fault.store)
			*a->fault.at = a->fault.want;
		else
			(void)*a->fault.at;
	}
	return SC_CHILD_OK;
}

/* Run the accesses A in the child C; a child that could not start is a setup error. */
#define RUN_ACCESSES(c, a) do {						\
	if (sc_child_run_nocore(c, "the child", make_accesses, a, SC_READY_ONLY) == SC_CHILD_ERROR) \
		SC_ERROR("%s", (c)->text);				\
} while (0)

/* A child's accesses A all succeed. */
#define EXPECT_ACCESSES_SUCCEED(a) do {					\
	struct sc_child _c;						\
									\
	RUN_ACCESSES(&_c, a);						\
	EXPECT_CHILD_SUCCEEDED(&_c);					\
} while (0)

/* A child's control accesses (A's ok) succeed, then its faulting access kills it with SIG. */
#define EXPECT_FAULT_AFTER_CONTROL(sig, a) do {				\
	struct sc_child _c;						\
	bool control_succeeded;						\
									\
	RUN_ACCESSES(&_c, a);						\
	control_succeeded = _c.read == 0;				\
	EXPECT_TRUE(control_succeeded) {				\
		TH_LOG("the control access failed: %s", _c.text);	\
	}								\
	if (control_succeeded) {					\
		EXPECT_CHILD_KILLED_BY(sig, &_c);			\
	}								\
} while (0)

#endif /* SYSCONFORM_MMAP_H */
