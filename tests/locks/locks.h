/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * locks.h: what the locks programs share: fcntl record locks on a byte range,
 * and a fork child that tries one and reports the errno it saw.
 */
#ifndef SYSCONFORM_LOCKS_H
#define SYSCONFORM_LOCKS_H

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

#endif /* SYSCONFORM_LOCKS_H */
