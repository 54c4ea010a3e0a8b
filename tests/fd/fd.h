/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fd.h: what the fd programs share: finding a descriptor number that is not open.
 */
#ifndef SYSCONFORM_FD_H
#define SYSCONFORM_FD_H

#include "sysconform.h"

/* The lowest descriptor number at or above FROM (and below 1024) that is not open, or -1. */
static inline int free_fd(int from)
{
	for (int fd = from; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF)
			return fd;
	return -1;
}

#endif /* SYSCONFORM_FD_H */
