/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dirs.h: what the dirs programs share: the fixture (a private temporary directory,
 * the current directory during the test, in which each test makes what it needs),
 * and a directory's records as getdents64() or readdir() give them.
 */
#ifndef SYSCONFORM_DIRS_H
#define SYSCONFORM_DIRS_H

#include <dirent.h>
#include "sysconform.h"

SC_TMPDIR_FIXTURE(dir)

/* One record of a directory. */
struct dirs_entry {
	char name[256];
	ino_t ino;
	unsigned char type;
};

#define DIRS_MAX 32

/* A directory's records, in the order they came. */
struct dirs_list {
	int n;
	bool overflow;		/* more than DIRS_MAX records */
	struct dirs_entry e[DIRS_MAX];
};

static inline void dirs_add(struct dirs_list *l, const char *name, ino_t ino, unsigned char type)
{
	if (l->n == DIRS_MAX) {
		l->overflow = true;
		return;
	}
	snprintf(l->e[l->n].name, sizeof(l->e[l->n].name), "%s", name);
	l->e[l->n].ino = ino;
	l->e[l->n].type = type;
	l->n++;
}

/*
 * The records of the directory open on FD, by getdents64() with a buffer of LEN
 * bytes until it returns 0: 0, or -1 with errno (of the call that failed).
 */
static inline int dirs_getdents(int fd, size_t len, struct dirs_list *l)
{
	char buf[4096] __attribute__((aligned(8)));
	ssize_t n;

	memset(l, 0, sizeof(*l));
	if (len > sizeof(buf))
		len = sizeof(buf);
	while ((n = getdents64(fd, (void *)buf, len)) > 0) {
		for (ssize_t off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			if (d->d_reclen == 0)
				break;
			dirs_add(l, d->d_name, d->d_ino, d->d_type);
			off += d->d_reclen;
		}
	}
	return n < 0 ? -1 : 0;
}

/* The records of PATH by opendir()/readdir(): 0, or -1 with errno. */
static inline int dirs_readdir(const char *path, struct dirs_list *l)
{
	DIR *d = opendir(path);
	struct dirent *e;

	memset(l, 0, sizeof(*l));
	if (!d)
		return -1;
	while ((e = readdir(d)))
		dirs_add(l, e->d_name, e->d_ino, e->d_type);
	closedir(d);
	return 0;
}

/* The record NAME of L, or NULL. */
static inline const struct dirs_entry *dirs_find(const struct dirs_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->e[i].name, name))
			return &l->e[i];
	return NULL;
}

/* How many records of L are named NAME. */
static inline int dirs_count(const struct dirs_list *l, const char *name)
{
	int k = 0;

	for (int i = 0; i < l->n; i++)
		k += !strcmp(l->e[i].name, name);
	return k;
}

/* A name made printable for a diagnostic ("new\nline" as "new\\nline"), in BUF. */
static inline const char *dirs_quote(const char *name, char *buf, size_t len)
{
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)name; *p && o + 5 < len; p++)
		o += (*p >= 0x20 && *p < 0x7f) ? (size_t)snprintf(buf + o, len - o, "%c", *p)
					       : (size_t)snprintf(buf + o, len - o, "\\x%02x", *p);
	buf[o] = 0;
	return buf;
}

/* The d_type that lstat()'s MODE calls for. */
static inline unsigned char dirs_dtype_of(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return DT_DIR;
	case S_IFREG: return DT_REG;
	case S_IFLNK: return DT_LNK;
	case S_IFIFO: return DT_FIFO;
	case S_IFSOCK: return DT_SOCK;
	case S_IFCHR: return DT_CHR;
	case S_IFBLK: return DT_BLK;
	}
	return DT_UNKNOWN;
}

#endif /* SYSCONFORM_DIRS_H */
