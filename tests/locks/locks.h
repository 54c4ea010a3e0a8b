/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * locks.h: what the locks programs share: fcntl record locks on a byte range,
 * a child that tries one and reports the errno it saw, a child that holds some,
 * the network filesystems that emulate flock(), and the fixture two_opens.
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

/* A lock request: TYPE on [START, START+LEN). */
struct lk {
	short type;
	off_t start, len;
};

static inline const char *lock_type_str(short type)
{
	return type == F_RDLCK ? "F_RDLCK" : type == F_WRLCK ? "F_WRLCK" :
	       type == F_UNLCK ? "F_UNLCK" : "an unknown l_type";
}

/*
 * A child's F_SETLK through FD, its copy of the test's descriptor, or its own
 * open() of "f" when FD is -1: the errno it saw.
 */
struct lock_try {
	int err;		/* its report: 0 when the lock was granted */
	int fd;
	struct lk req;
};

static inline int try_setlk(void *data)
{
	struct lock_try *t = data;

	if (t->fd < 0 && (t->fd = open("f", O_RDWR | O_CLOEXEC)) < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	t->err = lock_range(t->fd, F_SETLK, t->req.type, t->req.start, t->req.len) ? errno : 0;
	return SC_CHILD_OK;
}

/*
 * A fork child's F_SETLK TYPE_ on [START_, START_+LEN_) through its copy of FD_
 * fails with ERR_ (0: is granted).
 */
#define EXPECT_CHILD_SETLK(err_, fd_, type_, start_, len_) do {	\
	struct lock_try _t = { -1, (fd_), { (type_), (start_), (len_) } };	\
	struct sc_child _c;						\
	int expected_err = (err_);					\
									\
	sc_child_run(&_c, "the child", try_setlk, &_t, sizeof(_t.err));	\
	ASSERT_CHILD_REPORTED(&_c);					\
	EXPECT_EQ(expected_err, _t.err) {				\
		TH_LOG("the child's F_SETLK %s [%lld, +%lld) -> %s, expected %s", \
		       lock_type_str(_t.req.type), (long long)_t.req.start,	\
		       (long long)_t.req.len, _t.err ? sc_errname(_t.err) : "granted", \
		       expected_err ? sc_errname(expected_err) : "granted");	\
	}								\
	EXPECT_CHILD_SUCCEEDED(&_c);					\
} while (0)

/* A child that closes its copy of the descriptor *DATA and exits. */
static inline int close_copy(void *data)
{
	SC_CHILD_CALL(close(*(int *)data));
	return SC_CHILD_OK;
}

/*
 * The lock holder: a child that opens "f", takes its requests with F_SETLK, reports
 * and holds them until stop_lock_holder().
 */
struct lock_holder {
	int held;		/* its report: 1 once it holds them all */
	int n;
	struct lk req[2];
	struct sc_pipe go;	/* it lives until this lets go */
	struct sc_child c;	/* c.pid is the lock owner F_GETLK reports */
};

static inline int hold_locks(void *data)
{
	struct lock_holder *h = data;
	int fd = open("f", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return sc_child_error("open(f) -> %s", sc_errname(errno));
	for (int i = 0; i < h->n; i++) {
		const struct lk *r = &h->req[i];

		if (lock_range(fd, F_SETLK, r->type, r->start, r->len))
			return sc_child_fail("F_SETLK %s [%lld, +%lld) -> %s", lock_type_str(r->type),
					     (long long)r->start, (long long)r->len, sc_errname(errno));
	}
	h->held = 1;
	sc_child_send();
	return sc_child_hold(&h->go);
}

/* In a test: start the lock holder H with the requests (struct lk) that follow, or end the case. */
#define START_LOCK_HOLDER(h, ...) do {					\
	const struct lk _req[] = { __VA_ARGS__ };			\
									\
	_Static_assert(sizeof(_req) <= sizeof((h)->req), "too many requests"); \
	memcpy((h)->req, _req, sizeof(_req));				\
	(h)->n = sizeof(_req) / sizeof(_req[0]);			\
	sc_pipe_setup(_metadata, &(h)->go, O_CLOEXEC);			\
	SC_CHILD_START(&(h)->c, "the lock holder", hold_locks, (h), sizeof((h)->held)); \
	ASSERT_CHILD_REPORTED(&(h)->c);					\
} while (0)

/* Let the lock holder H (if started) go and end it: its result (sc_child_end()), c.text says it. */
static inline int stop_lock_holder(struct lock_holder *h)
{
	if (!h->c.name)
		return SC_CHILD_OK;
	sc_release(&h->go);
	sc_pipe_teardown(&h->go);
	return sc_child_end(&h->c);
}

/* The content of the file "f" of the locks fixtures. */
#define LOCKS_DATA "0123456789abcdefghij"

/*
 * The fixture two_opens: two separate open()s of a 20-byte file "f" in a private
 * temporary directory. A program that uses it defines LOCKS_TWO_OPENS before it
 * includes this header (the others would register an empty fixture).
 */
#ifdef LOCKS_TWO_OPENS
FIXTURE(two_opens) {
	struct sc_file f;	/* f.fd: the first open() of "f", O_RDWR */
	int fd2;		/* the second */
};

FIXTURE_SETUP(two_opens)
{
	sc_file_setup(_metadata, &self->f, "f", LOCKS_DATA, 20, O_RDWR);
	self->fd2 = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
}

FIXTURE_TEARDOWN(two_opens)
{
	sc_close(&self->fd2);
	sc_file_teardown(&self->f);
}
#endif /* LOCKS_TWO_OPENS */

#endif /* SYSCONFORM_LOCKS_H */
