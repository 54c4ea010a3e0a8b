/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * io_uring.h: what the io_uring programs share: liburing's calls as libc-style calls
 * (liburing returns -errno), a bounded wait for the next CQE, opcode probes that skip
 * "missing" by the classification rule, and the fixture uring: a private temporary
 * directory and a ring of 8 entries (made only where the feature io_uring is there;
 * otherwise each test skips in SC_REQUIRE_FEATURE(io_uring)).
 */
#ifndef SYSCONFORM_IO_URING_H
#define SYSCONFORM_IO_URING_H

#include <liburing.h>
#include "sysconform.h"

/* A liburing call's -errno as a libc call's -1 with errno, for the check macros. */
static inline long uring_call(long ret)
{
	if (ret < 0) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/*
 * Wait at most MS ms for the next CQE of RING, copy it to *OUT and mark it seen.
 * 0, or -1 with errno (ETIME: none came in time).
 */
static inline int uring_next_cqe(struct io_uring *ring, struct io_uring_cqe *out, int ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
	struct io_uring_cqe *cqe = NULL;
	int r = io_uring_wait_cqe_timeout(ring, &cqe, &ts);

	if (r < 0)
		return (int)uring_call(r);
	if (!cqe) {	/* liburing 2.3 without IORING_FEAT_EXT_ARG (gVisor): r > 0, no CQE */
		errno = EAGAIN;
		return -1;
	}
	*out = *cqe;
	io_uring_cqe_seen(ring, cqe);
	return 0;
}

/* The next CQE within SC_WAIT_MS into C (a struct io_uring_cqe), or the case stops. */
#define URING_NEXT_CQE(ring, c) ASSERT_SYSCALL_RETURNS(0, uring_next_cqe(ring, &(c), SC_WAIT_MS))

/*
 * The next N CQEs of RING (each within SC_WAIT_MS), each put at CQES[user_data - 1]:
 * the SQEs of a case carry user_data 1..N. The case stops on a wait that times out
 * or a user_data out of range.
 */
#define URING_COLLECT(ring, cqes, n) do {				\
	for (int _u_i = 0; _u_i < (n); _u_i++) {			\
		struct io_uring_cqe _u_c;				\
		URING_NEXT_CQE(ring, _u_c);				\
		ASSERT_TRUE(_u_c.user_data >= 1 && _u_c.user_data <= (__u64)(n)) {	\
			TH_LOG("CQE with user_data %llu, res %d",	\
			       (unsigned long long)_u_c.user_data, _u_c.res);	\
		}							\
		(cqes)[_u_c.user_data - 1] = _u_c;			\
	}								\
} while (0)

/* Submit the prepared SQEs of RING: io_uring_submit() must return N. */
#define URING_SUBMIT(ring, n) ASSERT_SYSCALL_RETURNS(n, uring_call(io_uring_submit(ring)))

/* The CQE C has user_data UD and res RES (an errno as -E...). */
#define EXPECT_CQE(c, ud, want_res) do {				\
	EXPECT_EQ((__u64)(ud), (c).user_data);				\
	EXPECT_EQ((__s32)(want_res), (c).res) {				\
		TH_LOG("CQE user_data %llu: res %d (%s), expected %d",	\
		       (unsigned long long)(c).user_data, (c).res,	\
		       (c).res < 0 ? sc_errname(-(c).res) : "ok", (int)(want_res));	\
	}								\
} while (0)

/* An SQE of RING (the SQ ring of 8 has room in every case), or the case stops. */
#define URING_SQE(ring) ({						\
	struct io_uring_sqe *_u_sqe = io_uring_get_sqe(ring);		\
	ASSERT_NE(NULL, _u_sqe) TH_LOG("io_uring_get_sqe(): SQ ring full");	\
	_u_sqe;								\
})

/* The kernel's opcode probe of RING (IORING_REGISTER_PROBE), to free(); NULL with errno. */
static inline struct io_uring_probe *uring_probe(struct io_uring *ring)
{
	struct io_uring_probe *p = calloc(1, sizeof(*p) + 256 * sizeof(struct io_uring_probe_op));
	int e;

	if (!p)
		return NULL;
	e = (int)-io_uring_register_probe(ring, p, 256);
	if (e > 0) {
		free(p);
		errno = e;
		return NULL;
	}
	return p;
}

/* After uring_probe() failed: skip "missing" (EINVAL: before 5.6; ENOSYS) or "blocked", else a setup error. */
#define URING_PROBE_FAILED_SKIP() do {					\
	int _u_pe = errno;						\
	enum sc_status _u_st = sc_classify_call(-1, _u_pe, true);	\
	if (_u_st != SC_SUPPORTED)					\
		SKIP(return, "feature io_uring %s: IORING_REGISTER_PROBE (%s)",	\
		     sc_status_name(_u_st), sc_errname(_u_pe));		\
	SC_ERROR("IORING_REGISTER_PROBE -> %s", sc_errname(_u_pe));	\
} while (0)

/*
 * Skip unless the kernel's opcode probe (5.6) lists OP as supported: a kernel
 * without the probe (EINVAL) or without the opcode is "missing", EPERM "blocked".
 */
#define URING_REQUIRE_OP(ring, op) do {					\
	struct io_uring_probe *_u_pr = uring_probe(ring);		\
	bool _u_ok;							\
	if (!_u_pr)							\
		URING_PROBE_FAILED_SKIP();				\
	_u_ok = io_uring_opcode_supported(_u_pr, op);			\
	free(_u_pr);							\
	if (!_u_ok)							\
		SKIP(return, "feature io_uring missing: opcode %s (probe)", #op);	\
} while (0)

/*
 * Run CALL, a liburing registration (IORING_REGISTER_WHAT): ENOSYS, EOPNOTSUPP or
 * EINVAL (an opcode the kernel does not know) skip "missing", EPERM "blocked";
 * another error is a setup error.
 */
#define URING_REGISTER_OR_SKIP(what, call) do {				\
	long _u_r = uring_call(call);					\
	int _u_e = errno;						\
	if (_u_r < 0 && sc_classify_call(_u_r, _u_e, true) != SC_SUPPORTED)	\
		SKIP(return, "feature io_uring %s: %s (%s)",		\
		     sc_status_name(sc_classify_call(_u_r, _u_e, true)), what, sc_errname(_u_e));	\
	if (_u_r < 0)							\
		SC_ERROR("%s -> -1 %s", #call, sc_errname(_u_e));	\
} while (0)

/* Skip unless io_uring_params.features of RING has BIT (IORING_FEAT_...). */
#define URING_REQUIRE_FEAT(ring, bit) do {				\
	if (!((ring)->features & (bit)))				\
		SKIP(return, "feature io_uring missing: %s (io_uring_params.features)", #bit);	\
} while (0)

FIXTURE(uring) {
	struct sc_tmpdir t;
	struct io_uring ring;
	bool up;
};

FIXTURE_SETUP(uring)
{
	self->up = false;
	sc_tmpdir_setup(_metadata, &self->t);
	if (sc_feature(io_uring)->status != SC_SUPPORTED)
		return;	/* each test skips in SC_REQUIRE_FEATURE */
	SC_SETUP(uring_call(io_uring_queue_init(8, &self->ring, 0)));
	self->up = true;
}

FIXTURE_TEARDOWN(uring)
{
	if (self->up)
		io_uring_queue_exit(&self->ring);
	sc_tmpdir_teardown(&self->t);
}

#endif /* SYSCONFORM_IO_URING_H */
