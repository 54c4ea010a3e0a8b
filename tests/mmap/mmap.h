/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmap.h: what the mmap programs share: the memory and the files their fixtures
 * map, and a check whether a range is mapped.
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

#endif /* SYSCONFORM_MMAP_H */
