/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h: constants newer than some uapi headers, and wrappers for calls that a
 * libc may lack (musl, old glibc). A missing __NR_x is -1, so the call fails with
 * ENOSYS at run time instead of breaking the build (kselftest pidfd.h pattern).
 * Where the libc has the wrapper, tests and probes use the libc's.
 */
#ifndef SYSCONFORM_COMPAT_H
#define SYSCONFORM_COMPAT_H

#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/types.h>

#ifndef F_DUPFD_QUERY
#define F_DUPFD_QUERY 1027	/* Linux 6.10 */
#endif
#ifndef F_OFD_GETLK
#define F_OFD_GETLK 36
#define F_OFD_SETLK 37
#define F_OFD_SETLKW 38
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef IN_MASK_CREATE
#define IN_MASK_CREATE 0x10000000
#endif
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef EPOLLEXCLUSIVE
#define EPOLLEXCLUSIVE (1U << 28)
#endif

#ifndef __NR_statmount
#define __NR_statmount 457	/* the same number on every architecture since 6.8 */
#endif
#ifndef __NR_io_uring_setup
#define __NR_io_uring_setup -1
#endif
#ifndef __NR_kcmp
#define __NR_kcmp -1
#endif

/* kcmp(2) has no libc wrapper. */
static inline long sc_kcmp(pid_t p1, pid_t p2, int type, unsigned long i1, unsigned long i2)
{
	return syscall(__NR_kcmp, p1, p2, type, i1, i2);
}

#if !defined(__GLIBC__)
/* musl 1.2 lacks these wrappers. */
#ifndef __NR_close_range
#define __NR_close_range -1
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open -1
#endif
#ifndef __NR_pidfd_send_signal
#define __NR_pidfd_send_signal -1
#endif
#ifndef __NR_epoll_pwait2
#define __NR_epoll_pwait2 -1
#endif
static inline int close_range(unsigned int first, unsigned int last, int flags)
{
	return syscall(__NR_close_range, first, last, flags);
}
static inline int pidfd_open(pid_t pid, unsigned int flags)
{
	return syscall(__NR_pidfd_open, pid, flags);
}
static inline int pidfd_send_signal(int pidfd, int sig, siginfo_t *info, unsigned int flags)
{
	return syscall(__NR_pidfd_send_signal, pidfd, sig, info, flags);
}
static inline int epoll_pwait2(int ep, struct epoll_event *ev, int n,
			       const struct timespec *t, const sigset_t *mask)
{
	return syscall(__NR_epoll_pwait2, ep, ev, n, t, mask, mask ? _NSIG / 8 : 0);
}
#include <linux/stat.h>
static inline int statx(int dfd, const char *path, int flags, unsigned int mask,
			struct statx *sx)
{
	return syscall(__NR_statx, dfd, path, flags, mask, sx);
}
#include <sys/uio.h>
/* The kernel takes the offset as two longs: low, then high (0 on 64-bit). */
#define SC_POS_HI(off) ((long)((unsigned long long)(off) >> (sizeof(long) * 4) >> (sizeof(long) * 4)))
static inline ssize_t preadv2(int fd, const struct iovec *iov, int n, off_t off, int flags)
{
	return syscall(__NR_preadv2, fd, iov, n, (long)off, SC_POS_HI(off), flags);
}
static inline ssize_t pwritev2(int fd, const struct iovec *iov, int n, off_t off, int flags)
{
	return syscall(__NR_pwritev2, fd, iov, n, (long)off, SC_POS_HI(off), flags);
}
static inline int renameat2(int ofd, const char *old, int nfd, const char *new, unsigned int flags)
{
	return syscall(__NR_renameat2, ofd, old, nfd, new, flags);
}
#else
#include <sys/pidfd.h>
#endif

#endif /* SYSCONFORM_COMPAT_H */
