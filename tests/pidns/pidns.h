/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pidns.h: what the pidns programs share: the identity of a PID namespace (the
 * text of its /proc/PID/ns/pid link), a child's check that it really is in a new
 * namespace before it signals PID 1 or writes a namespace's files, and a namespace
 * kept alive by a helper.
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
 * In a child function: go on only in a PID namespace other than the caller's
 * (note_outer_ns()), and as its init (PID 1) when INIT; else fail.
 */
#define REQUIRE_INSIDE_NEW_PIDNS(init) do {				\
	char _ns[SC_NS_LEN];						\
									\
	sc_ns_link("/proc/self/ns/pid", _ns);				\
	if (!_ns[0] || !outer_ns()[0] || !strcmp(_ns, outer_ns()) ||	\
	    ((init) && getpid() != 1))					\
		return sc_child_fail("not %s a new PID namespace: %s, PID %d", \
				     (init) ? "the init of" : "in", _ns, getpid()); \
} while (0)

/* A child that reports its getpid(). */
static inline int report_getpid(void *data)
{
	*(pid_t *)data = getpid();
	return SC_CHILD_OK;
}

/* A PID namespace kept by a helper: its init's PID (the report), its hold. */
struct pidns_holder {
	pid_t init;
	struct sc_pipe hold;
};

/*
 * The helper: unshare(CLONE_NEWPID), start the namespace's init, which lives until
 * the hold lets go, report its PID, end after it.
 */
static inline int make_pidns(void *data)
{
	struct pidns_holder *h = data;
	struct sc_child init;

	if (unshare(CLONE_NEWPID))
		return sc_child_error("unshare(CLONE_NEWPID) -> %s", sc_errname(errno));
	if (sc_child_start(&init, "its init", sc_child_hold, &h->hold, 0))
		return sc_child_error("%s", init.text);
	h->init = init.pid;
	sc_child_send();
	return sc_child_end(&init);
}

/*
 * Make a PID namespace through the child HELPER (make_pidns()); H->init is its
 * init's PID seen from outside, and sc_release(&H->hold) ends the init, then the
 * helper. A failure is a setup error.
 */
static inline void start_pidns_holder(struct __test_metadata *_metadata, struct sc_child *helper,
				      struct pidns_holder *h)
{
	sc_pipe_setup(_metadata, &h->hold, O_CLOEXEC);
	SC_CHILD_START(helper, "the helper", make_pidns, h, sizeof(h->init));
	SC_CHILD_READY(helper);
}

#endif /* SYSCONFORM_PIDNS_H */
