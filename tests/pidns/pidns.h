/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pidns.h: what the pidns programs share: the identity of a PID namespace (the
 * text of its /proc/PID/ns/pid link), a child's check that it really is in a new
 * namespace before it signals PID 1 or writes a namespace's files, and a child
 * that stays alive until a pipe's end of file.
 */
#ifndef SYSCONFORM_PIDNS_H
#define SYSCONFORM_PIDNS_H

#include "sysconform.h"

/* The caller's /proc/self/ns/pid, as note_outer_ns() saw it before unshare. */
static inline char *outer_ns(void)
{
	static char ns[SC_NS_LEN];

	return ns;
}

/* Remember the caller's PID namespace; call before SC_UNSHARE_OR_SKIP(). */
static inline void note_outer_ns(void)
{
	sc_ns_link("/proc/self/ns/pid", outer_ns());
}

/*
 * In a child: is it in a PID namespace other than the caller's (note_outer_ns()),
 * and PID 1 there when INIT?
 */
static inline bool inside_new_pidns(bool init)
{
	char ns[SC_NS_LEN];

	if (!sc_ns_link("/proc/self/ns/pid", ns)[0] || !outer_ns()[0])
		return false;
	return strcmp(ns, outer_ns()) != 0 && (!init || getpid() == 1);
}

#define NOT_INSIDE 90	/* exit code: the child found itself outside a new namespace */

/* Child: wait (at most MS) until FD reaches end of file (or gives a byte), then exit 0. */
static inline void __attribute__((noreturn)) hold_until_eof_ms(int fd, int ms)
{
	char c;

	sc_read_full_ms(fd, &c, 1, ms);
	_exit(0);
}

/* Child: wait (bounded by SC_WAIT_MS) until FD reaches end of file, then exit 0. */
static inline void __attribute__((noreturn)) hold_until_eof(int fd)
{
	hold_until_eof_ms(fd, SC_WAIT_MS);
}

/*
 * Make a PID namespace through a helper child: the helper unshares and forks the
 * namespace's init, which lives until the end of file of HOLD[0]; the helper exits
 * 0 after its init. The caller keeps HOLD[1] (the end that ends the init) and
 * reaps the helper. Returns the helper's PID, with the init's PID (seen from
 * outside) in *INIT; a failure is a setup error.
 */
static inline pid_t fork_pidns_holder(struct __test_metadata *_metadata, int hold[2], pid_t *init)
{
	int rep[2], r;
	pid_t helper;

	SC_SETUP(pipe2(rep, O_CLOEXEC));
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	helper = SC_SETUP(sc_fork());
	if (helper == 0) {
		pid_t pid;

		close(hold[1]);
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid = sc_fork();
		if (pid < 0)
			_exit(3);
		if (pid == 0)
			hold_until_eof(hold[0]);
		if (write(rep[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(4);
		_exit(sc_wait(pid) == 0 ? 0 : 5);
	}
	close(hold[0]);
	close(rep[1]);
	r = sc_read_full(rep[0], init, sizeof(*init));
	close(rep[0]);
	if (r) {
		close(hold[1]);
		SC_ERROR("no namespace from the helper: %s, helper %s", sc_read_str(r),
			 sc_status_str(sc_wait(helper)));
	}
	return helper;
}

#endif /* SYSCONFORM_PIDNS_H */
