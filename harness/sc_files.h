/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sc_files.h: the case's private temporary directory and small file helpers.
 * Part of sysconform.h (include that, not this file).
 */
#ifndef SYSCONFORM_FILES_H
#define SYSCONFORM_FILES_H

/* ---- the filesystem the case runs on -------------------------------------- */

/* Where cases make their temporary directories: $TMPDIR (the runner's --tmpdir), or /tmp. */
static inline const char *sc_test_base(void)
{
	const char *base = getenv("TMPDIR");

	return base && *base ? base : "/tmp";
}

/*
 * The name of the filesystem that holds PATH ("ext4", "tmpfs", "xfs", "btrfs",
 * "overlayfs", "9p", ...), by statfs()'s f_type; an unknown type as its number in
 * hex; "unknown" when statfs() fails. The ext4 driver also serves ext2 and ext3,
 * which share its magic.
 */
static inline const char *sc_fs_name(const char *path)
{
	static const struct { unsigned long magic; const char *name; } names[] = {
		{ 0xEF53, "ext4" }, { 0x01021994, "tmpfs" }, { 0x58465342, "xfs" },
		{ 0x9123683E, "btrfs" }, { 0x794c7630, "overlayfs" }, { 0x01021997, "9p" },
		{ 0x6969, "nfs" }, { 0x65735546, "fuse" }, { 0x858458f6, "ramfs" },
		{ 0xF2F52010, "f2fs" }, { 0x2fc12fc1, "zfs" }, { 0xca451a4e, "bcachefs" },
		{ 0x4d44, "vfat" }, { 0xFF534D42, "cifs" }, { 0xFE534D42, "smb2" },
		{ 0x73717368, "squashfs" }, { 0x5346544e, "ntfs" }, { 0x9fa0, "proc" },
	};
	static char other[24];
	struct statfs sf;

	if (statfs(path, &sf))
		return "unknown";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((unsigned long)sf.f_type == names[i].magic)
			return names[i].name;
	snprintf(other, sizeof(other), "0x%lx", (unsigned long)sf.f_type);
	return other;
}

/* The filesystem the case's files are on (that of sc_test_base()). */
static inline const char *sc_test_fs(void)
{
	return sc_fs_name(sc_test_base());
}

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
