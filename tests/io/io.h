/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * io.h: what the io programs share: the fixture file, a private temporary
 * directory (the current directory during the test) in which each test makes
 * the files it needs; the kernel's version; and what the rules need to know
 * about the filesystem that directory is on.
 */
#ifndef SYSCONFORM_IO_H
#define SYSCONFORM_IO_H

#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include "sysconform.h"

#ifndef F2FS_SUPER_MAGIC
#define F2FS_SUPER_MAGIC 0xF2F52010
#endif

SC_TMPDIR_FIXTURE(file)

/* What the rules depend on about a filesystem, as far as it is known. */
struct io_fs {
	const char *name;	/* its name, or "f_type 0x..." for one not listed below */
	bool holes;		/* known to track holes: sparse st_blocks, SEEK_DATA/SEEK_HOLE */
	int direct;		/* open(O_DIRECT): 1 known to work, 0 known to fail EINVAL, -1 not known */
	char buf[32];
};

/*
 * Filesystems by statfs f_type: since which Linux they track holes (SEEK_DATA
 * and SEEK_HOLE, lseek(2)), and accept O_DIRECT (open(2); 0: never, -1: it
 * depends). ext4's magic is also ext2's and ext3's, which the ext4 driver
 * mounts; tmpfs serves O_DIRECT from the page cache since 6.6. overlayfs
 * passes both to its upper layer, whose type statfs does not give.
 */
static const struct {
	unsigned long type;
	const char *name;
	long holes_since, direct_since;
} io_known_fs[] = {
	{ EXT4_SUPER_MAGIC, "ext4", SC_KV(3, 8, 0), SC_KV(2, 6, 0) },
	{ XFS_SUPER_MAGIC, "xfs", SC_KV(3, 5, 0), SC_KV(2, 6, 0) },
	{ BTRFS_SUPER_MAGIC, "btrfs", SC_KV(3, 1, 0), SC_KV(2, 6, 0) },
	{ F2FS_SUPER_MAGIC, "f2fs", SC_KV(3, 8, 0), SC_KV(3, 8, 0) },
	{ TMPFS_MAGIC, "tmpfs", SC_KV(3, 8, 0), SC_KV(6, 6, 0) },
	{ RAMFS_MAGIC, "ramfs", 0, 0 },
	{ NFS_SUPER_MAGIC, "nfs", 0, SC_KV(2, 6, 0) },
	{ OVERLAYFS_SUPER_MAGIC, "overlayfs", 0, -1 },
};

/* The filesystem FD is on; a version-dependent answer is unknown where uname() is unreadable. */
static inline void io_fs_of(int fd, struct io_fs *fs)
{
	struct statfs sf;
	long kv = sc_kernel();

	memset(fs, 0, sizeof(*fs));
	fs->direct = -1;
	if (fstatfs(fd, &sf) != 0) {
		fs->name = "a filesystem fstatfs() cannot name";
		return;
	}
	for (size_t i = 0; i < sizeof(io_known_fs) / sizeof(io_known_fs[0]); i++) {
		int since = io_known_fs[i].direct_since;

		if (io_known_fs[i].type != (unsigned long)sf.f_type)
			continue;
		fs->name = io_known_fs[i].name;
		fs->holes = io_known_fs[i].holes_since && kv >= io_known_fs[i].holes_since;
		fs->direct = since <= 0 ? since : kv ? kv >= since : -1;
		return;
	}
	snprintf(fs->buf, sizeof(fs->buf), "f_type 0x%lx", (unsigned long)sf.f_type);
	fs->name = fs->buf;
}

#endif /* SYSCONFORM_IO_H */
