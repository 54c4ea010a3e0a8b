/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sc_files.h: the case's private temporary directory and small file helpers.
 * Part of sysconform.h (include that, not this file).
 */
#ifndef SYSCONFORM_FILES_H
#define SYSCONFORM_FILES_H

/* ---- the filesystem the case runs on (sc_test_fs(): features.h) ------------ */

/*
 * Skip because the test filesystem lacks what the rule needs (a property of that
 * filesystem, not a divergence): "filesystem btrfs: directories report st_nlink 1".
 */
#define SC_SKIP_FS(fmt, ...) \
	SKIP(return, "filesystem %s: " fmt, sc_test_fs(), ##__VA_ARGS__)

/* ---- private temporary directory --------------------------------------- */

struct sc_tmpdir {
	char path[PATH_MAX];
	int dfd;
};

/*
 * Make ${TMPDIR:-/tmp}/sysconform.XXXXXX and chdir into it; say which filesystem it is
 * on ("# sc-fs: NAME", for the runner: reports show it per case).
 */
static inline void sc_tmpdir_setup(struct __test_metadata *_metadata, struct sc_tmpdir *t)
{
	t->dfd = -1;
	snprintf(t->path, sizeof(t->path), "%s/sysconform.XXXXXX", sc_test_base());
	if (!mkdtemp(t->path))
		SC_ERROR("mkdtemp(%s): %s", t->path, sc_errname(errno));
	t->dfd = open(t->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t->dfd < 0 || chdir(t->path) != 0) {
		int err = errno;

		rmdir(t->path);
		SC_ERROR("open/chdir(%s): %s", t->path, sc_errname(err));
	}
	fprintf(stderr, "# sc-fs: %s\n", sc_fs_name("."));
}

static inline int sc_rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

static inline void sc_tmpdir_teardown(struct sc_tmpdir *t)
{
	if (!t->path[0] || t->path[0] != '/')
		return;
	if (chdir("/") == 0)
		nftw(t->path, sc_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (t->dfd >= 0)
		close(t->dfd);
	t->dfd = -1;
	t->path[0] = 0;
}

/*
 * SC_TMPDIR_FIXTURE(name): the fixture NAME of a topic whose cases work in a private
 * temporary directory (self->t, the current directory during each case).
 */
#define SC_TMPDIR_FIXTURE(name)						\
	FIXTURE(name) { struct sc_tmpdir t; };				\
	FIXTURE_SETUP(name) { sc_tmpdir_setup(_metadata, &self->t); }	\
	FIXTURE_TEARDOWN(name) { sc_tmpdir_teardown(&self->t); }

/* Write LEN bytes of BUF to a new file NAME (in the current directory); -1 on error. */
static inline int sc_write_file(const char *name, const void *buf, size_t len)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

#endif /* SYSCONFORM_FILES_H */
