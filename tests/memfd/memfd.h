/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memfd.h: what the memfd programs share: the fixture (a private temporary
 * directory, the current directory during each case, for the few cases that
 * need a file that is not a memfd), the flag and seal values that older headers
 * lack, and small helpers: a page, a sealable memfd of one page.
 */
#ifndef SYSCONFORM_MEMFD_H
#define SYSCONFORM_MEMFD_H

#include <sys/mman.h>
#include <sys/syscall.h>
#include "sysconform.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif
#ifndef SYS_memfd_secret
#define SYS_memfd_secret 447
#endif

SC_TMPDIR_FIXTURE(memfd)

static inline long memfd_page(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* A memfd with MFD_ALLOW_SEALING holding LEN bytes of DATA; -1 with errno. */
static inline int memfd_with(const char *name, const char *data, size_t len)
{
	int fd = memfd_create(name, MFD_ALLOW_SEALING | MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return fd;
}

#endif /* SYSCONFORM_MEMFD_H */
