/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * locks.h: what the locks programs share: fcntl record locks on a byte range,
 * a fork child that tries one and reports the errno it saw, a child that holds
 * one, the network filesystems that emulate flock(), and the fixture two_opens.
 */
#ifndef SYSCONFORM_LOCKS_H
#define SYSCONFORM_LOCKS_H

#include <linux/magic.h>
#include <sys/statfs.h>
#include "sysconform.h"

/* fcntl(FD, CMD, TYPE on [START, START+LEN)) with l_whence SEEK_SET. */
static inline int lock_range(int fd, int cmd, short type, off_t start, off_t len)
{
	struct flock fl = {
		.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len,
	};

	return fcntl(fd, cmd, &fl);
}

/*
 * The network filesystem FD is on if its client emulates flock() with
 * byte-range locks on the whole file (flock(2)): "NFS" (since 2.6.12: flock()
 * and fcntl() locks interact, and LOCK_EX needs a descriptor open for writing)
 * or "SMB" (since 5.5: they interact, and the locks are mandatory); else NULL.
 * With local_lock=flock an NFS mount keeps flock() local, so the cases go by
 * what they see and excuse only what the emulation explains.
 */
static inline const char *flock_emulated_by(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) != 0)
		return NULL;
	switch ((unsigned long)sf.f_type) {
	case NFS_SUPER_MAGIC:
		return "NFS";
	case CIFS_SUPER_MAGIC:
	case SMB2_SUPER_MAGIC:
		return "SMB";
	default:
		return NULL;
	}
}

/*
 * In a fork child: F_SETLK TYPE on [START, START+LEN) through FD (inherited);
 * returns the child's wait status, whose exit code is 0 or the errno it saw.
 */
static inline int child_setlk(int fd, short type, off_t start, off_t len)
{
	pid_t pid = sc_fork();

	if (pid < 0)
		return -2;
	if (pid == 0)
		_exit(lock_range(fd, F_SETLK, type, start, len) == 0 ? 0 : errno);
	return sc_wait(pid);
}

/*
 * Fork a child that takes F_WRLCK (F_SETLK) on the whole file "f" through its
 * own open(), reports ready and waits (bounded) for EOF on *release, then exits
 * 0. Returns its pid once it holds the lock, or -1.
 */
static inline pid_t spawn_lock_holder(int *release)
{
	int ready[2], rel[2];
	pid_t pid;

	*release = -1;
	if (sc_sync_pair(ready))
		return -1;
	if (sc_sync_pair(rel)) {
		close(ready[0]);
		close(ready[1]);
		return -1;
	}
	pid = sc_fork();
	if (pid == 0) {
		struct pollfd p = { .fd = rel[0], .events = POLLIN };
		int fd = open("f", O_RDWR | O_CLOEXEC);

		close(rel[1]);
		if (fd < 0 || lock_range(fd, F_SETLK, F_WRLCK, 0, 0))
			_exit(1);
		sc_signal_ready(ready[1]);
		poll(&p, 1, SC_WAIT_MS);
		_exit(0);
	}
	close(ready[1]);
	close(rel[0]);
	*release = rel[1];
	if (pid < 0 || sc_wait_ready(ready[0]) != 0) {
		close(ready[0]);
		close(rel[1]);
		*release = -1;
		if (pid > 0)
			sc_wait(pid);
		return -1;
	}
	close(ready[0]);
	return pid;
}

/*
 * The fixture two_opens: two separate open()s of a 20-byte file "f" in a private
 * temporary directory. A program that uses it defines LOCKS_TWO_OPENS before it
 * includes this header (the others would register an empty fixture).
 */
#ifdef LOCKS_TWO_OPENS
FIXTURE(two_opens) {
	struct sc_tmpdir tmp;
	int fd1, fd2;		/* two separate open()s of "f", O_RDWR */
	const char *unavailable;
};

FIXTURE_SETUP(two_opens)
{
	self->fd1 = self->fd2 = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	SC_SETUP(sc_write_file("f", "0123456789abcdefghij", 20));
	self->fd1 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
	self->fd2 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
}

FIXTURE_TEARDOWN(two_opens)
{
	if (self->fd1 >= 0)
		close(self->fd1);
	if (self->fd2 >= 0)
		close(self->fd2);
	sc_tmpdir_teardown(&self->tmp);
}
#endif /* LOCKS_TWO_OPENS */

#endif /* SYSCONFORM_LOCKS_H */
