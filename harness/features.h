/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * features.h: the feature registry. One row per kernel feature of RULES.md's
 * "features" section (FEAT-NN): its name (the key of reports, skip reasons and
 * expectation lists), API, the Linux version that added it, and a probe.
 *
 * A probe makes one harmless call of the feature's defining API through the libc
 * wrapper where there is one (so that an LD_PRELOAD implementation is probed too),
 * by the most privileged route the process has, and returns 0 when the feature
 * works, the errno it saw otherwise, or SC_IGNORED when an unknown flag was
 * silently accepted (old kernels). sc_classify_errno() turns that into
 * supported / missing (refused as unknown: ENOSYS, EINVAL or EOPNOTSUPP for an
 * unknown flag or command, ...) / blocked (EPERM, EACCES: a sandbox, seccomp, a
 * policy, or a privilege this identity lacks). A probe may say in words what it
 * saw (sc_observed()): the route it took, or a divergence that leaves the feature
 * supported (its defining call works, a part of it does not: that part is a fail
 * of its rule, never "missing"); a divergence note names that rule's ID, and the
 * console shows it. docs/DESIGN.md "Outcomes" has the whole rule.
 * Tests ask SC_REQUIRE_FEATURE(name) or sc_feature(name), name a bare word checked
 * at compile time (probed once per process); build/harness/features
 * prints the whole table for the runner. The probes and the table are in
 * harness/probes.c, compiled once and linked into every program.
 */
#ifndef SYSCONFORM_FEATURES_H
#define SYSCONFORM_FEATURES_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/sendfile.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <sys/fanotify.h>

#include "compat.h"
#include "errnames.h"

enum sc_status { SC_UNPROBED, SC_SUPPORTED, SC_MISSING, SC_BLOCKED };
#define SC_IGNORED (-1)	/* probe result: the new flag was silently ignored */

struct sc_feature {
	const char *name, *api, *since;
	int (*probe)(void);
	enum sc_status status;
	int err;		/* what the probe saw: errno, or SC_IGNORED */
	char observed[200];	/* in words, when there is more to say than the errno */
};

static inline const char *sc_status_name(int st)
{
	return st == SC_SUPPORTED ? "supported" : st == SC_MISSING ? "missing" :
	       st == SC_BLOCKED ? "blocked" : "unprobed";
}

/* errno of a failed feature call: missing, or blocked (EPERM/EACCES). */
static inline enum sc_status sc_classify_errno(int err)
{
	switch (err) {
	case EPERM: case EACCES:
		return SC_BLOCKED;
	case ENOSYS: case EOPNOTSUPP: case EINVAL: case ENOPROTOOPT:
	case EAFNOSUPPORT: case EPROTONOSUPPORT: case ENOTTY: case ENODEV:
	case EISDIR: case ENOENT: case SC_IGNORED:
		return SC_MISSING;
	default:
		return SC_SUPPORTED;
	}
}

/* "ignored" for SC_IGNORED, else the errno name. */
static inline const char *sc_probe_errname(int err)
{
	return err == SC_IGNORED ? "flag ignored" : sc_errname(err);
}


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

static inline void sc_close_all(int n, const int *fds)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* The CLONE_NEW* names of FLAGS, "|"-joined, in a static buffer. */
static inline const char *sc_clone_flags_str(int flags)
{
	static const struct { int flag; const char *name; } names[] = {
		{ CLONE_NEWUSER, "CLONE_NEWUSER" }, { CLONE_NEWNS, "CLONE_NEWNS" },
		{ CLONE_NEWPID, "CLONE_NEWPID" }, { CLONE_NEWUTS, "CLONE_NEWUTS" },
		{ CLONE_NEWIPC, "CLONE_NEWIPC" }, { CLONE_NEWNET, "CLONE_NEWNET" },
	};
	static char buf[128];
	size_t len = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? "|" : "", names[i].name);
	return buf;
}

/* The kernel has namespaces of TYPE ("user", "mnt"...): /proc/self/ns/TYPE exists. */
static inline bool sc_ns_type_exists(const char *type)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", type);
	return lstat(path, &st) == 0;
}

/* ---- the registry ------------------------------------------------------------ */

/*
 * The registry, in FEAT-NN order: X(name, api, since) per feature. From it come the
 * ids (SC_FEAT_name: a misspelt name in a test does not compile) and the rows.
 */
#define SC_FEATURE_LIST(X) \
	X(pread_pwrite, "pread(2)/pwrite(2)", "2.1.69") \
	X(sendfile, "sendfile(2)", "2.2") \
	X(epoll, "epoll_create/epoll_ctl/epoll_wait", "2.5.44") \
	X(epollexclusive, "EPOLLEXCLUSIVE", "4.5") \
	X(epoll_pwait2, "epoll_pwait2(2)", "5.11") \
	X(o_cloexec, "O_CLOEXEC for open(2)", "2.6.23") \
	X(f_dupfd_cloexec, "fcntl F_DUPFD_CLOEXEC", "2.6.24") \
	X(flags_2627, "pipe2, dup3, epoll_create1, SOCK_CLOEXEC...", "2.6.27") \
	X(signalfd, "signalfd(2)", "2.6.22") \
	X(timerfd, "timerfd_create/settime/gettime", "2.6.25") \
	X(eventfd, "eventfd(2), EFD_SEMAPHORE", "2.6.22") \
	X(inotify, "inotify_init/add_watch/rm_watch", "2.6.13") \
	X(in_mask_create, "IN_MASK_CREATE", "4.18") \
	X(fanotify, "fanotify_init/fanotify_mark", "2.6.36") \
	X(dnotify, "fcntl F_NOTIFY", "2.4") \
	X(name_to_handle_at, "name_to_handle_at/open_by_handle_at", "2.6.39") \
	X(f_dupfd_query, "fcntl F_DUPFD_QUERY", "6.10") \
	X(futex, "futex(2)", "2.5.7") \
	X(prctl, "prctl(2)", "2.1.57") \
	X(kcmp, "kcmp(2)", "3.5") \
	X(getcpu, "getcpu(2)/sched_getcpu(3)", "2.6.19") \
	X(sched_affinity, "sched_setaffinity/sched_getaffinity", "2.5.8") \
	X(rusage_thread, "getrusage(RUSAGE_THREAD)", "2.6.26") \
	X(keepcaps, "prctl PR_SET_KEEPCAPS/PR_GET_KEEPCAPS", "2.2.18") \
	X(file_caps, "file capabilities (security.capability)", "2.6.24") \
	X(pdeathsig, "prctl PR_SET_PDEATHSIG", "2.1.57") \
	X(subreaper, "prctl PR_SET_CHILD_SUBREAPER", "3.4") \
	X(no_new_privs, "prctl PR_SET_NO_NEW_PRIVS", "3.5") \
	X(recvmmsg, "recvmmsg(2)", "2.6.33") \
	X(sendmmsg, "sendmmsg(2)", "3.0") \
	X(so_domain, "SO_DOMAIN/SO_PROTOCOL", "2.6.32") \
	X(so_rcvbufforce, "SO_RCVBUFFORCE/SO_SNDBUFFORCE", "2.6.14") \
	X(tcp_cork, "TCP_CORK", "2.2") \
	X(tcp_defer_accept, "TCP_DEFER_ACCEPT", "2.4") \
	X(mremap_fixed, "mremap(2) MREMAP_MAYMOVE|MREMAP_FIXED", "2.3.31") \
	X(remap_file_pages, "remap_file_pages(2)", "2.5.46") \
	X(madv_dontfork, "MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK", "2.6.16") \
	X(madv_wipeonfork, "MADV_WIPEONFORK/MADV_KEEPONFORK", "4.14") \
	X(process_vm, "process_vm_readv/process_vm_writev", "3.2") \
	X(listmount, "listmount(2)/statmount(2)", "6.8") \
	X(mntns, "mount namespaces (CLONE_NEWNS)", "2.4.19") \
	X(userns, "user namespaces (CLONE_NEWUSER)", "3.8") \
	X(pidns, "PID namespaces (CLONE_NEWPID)", "2.6.24") \
	X(utsns, "UTS namespaces (CLONE_NEWUTS)", "2.6.19") \
	X(ipcns, "IPC namespaces (CLONE_NEWIPC)", "2.6.19") \
	X(netns, "network namespaces (CLONE_NEWNET)", "2.6.24") \
	X(setns, "setns(2)", "3.0") \
	X(o_path, "O_PATH", "2.6.39") \
	X(o_tmpfile, "O_TMPFILE", "3.11") \
	X(openat2, "openat2(2), RESOLVE_*", "5.6") \
	X(close_range, "close_range(2), CLOSE_RANGE_CLOEXEC", "5.9") \
	X(pidfd, "pidfd_open, pidfd_send_signal, CLONE_PIDFD", "5.3") \
	X(memfd, "memfd_create(2), F_ADD_SEALS", "3.17") \
	X(copy_file_range, "copy_file_range(2)", "4.5") \
	X(fallocate, "fallocate(2)", "2.6.23") \
	X(seek_data, "lseek SEEK_DATA/SEEK_HOLE", "3.1") \
	X(ofd_locks, "F_OFD_SETLK/F_OFD_SETLKW/F_OFD_GETLK", "3.15") \
	X(pipe_size, "F_GETPIPE_SZ/F_SETPIPE_SZ", "2.6.35") \
	X(pipe_packet, "pipe2(O_DIRECT) packet mode", "3.4") \
	X(splice, "splice/tee/vmsplice", "2.6.17") \
	X(statx, "statx(2)", "4.11") \
	X(renameat2, "renameat2(2)", "3.15") \
	X(preadv2, "preadv2/pwritev2, RWF_*", "4.6") \
	X(io_uring, "io_uring_setup/enter/register", "5.1") \
	X(map_fixed_noreplace, "mmap MAP_FIXED_NOREPLACE", "4.17") \
	X(user_xattr, "user.* extended attributes on the test filesystem", "fs") \
	X(pid_for_children, "/proc/PID/ns/pid_for_children", "4.12") \
	X(ns_last_pid, "/proc/sys/kernel/ns_last_pid", "3.3") \
	X(memfd_secret, "memfd_secret(2) (5.14; on by default since 6.5)", "6.5") \
	X(posix_shm, "shm_open(3)/shm_unlink(3) on /dev/shm", "2.4") \
	X(sysv_shm, "shmget/shmat/shmdt/shmctl", "2.0") \
	X(memfd_noexec, "memfd_create MFD_NOEXEC_SEAL/MFD_EXEC, F_SEAL_EXEC", "6.3") \
	X(seal_future_write, "fcntl F_ADD_SEALS F_SEAL_FUTURE_WRITE", "5.1") \
	X(fanotify_unpriv, "fanotify_init(FAN_REPORT_FID) without CAP_SYS_ADMIN", "5.13") \
	X(sendfile_any_fd, "sendfile(2) to any file, not only a socket", "2.6.33")

enum sc_feature_id {
#define SC_FEATURE_ID(name, api, since) SC_FEAT_##name,
	SC_FEATURE_LIST(SC_FEATURE_ID)
#undef SC_FEATURE_ID
	SC_NFEATURES
};

/* The probed row of feature ID (SC_FEAT_name), probed on first use (harness/probes.c). */
const struct sc_feature *sc_feature_id(enum sc_feature_id id);
/* Its name, without probing it. */
const char *sc_feature_name(enum sc_feature_id id);

/*
 * Whether a feature is a property of the test filesystem as well as of the kernel (its
 * probe works on $TMPDIR): a skip for it names that filesystem.
 */
static inline bool sc_feature_on_fs(enum sc_feature_id id)
{
	return id == SC_FEAT_user_xattr || id == SC_FEAT_o_tmpfile || id == SC_FEAT_renameat2 ||
	       id == SC_FEAT_name_to_handle_at || id == SC_FEAT_fallocate ||
	       id == SC_FEAT_seek_data;
}

/* sc_feature(epoll): the probed row of a feature named in the source. */
#define sc_feature(name) sc_feature_id(SC_FEAT_##name)

#endif /* SYSCONFORM_FEATURES_H */
