/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sc_checks.h: check macros that log the call and the errno name, and the outcomes other than pass/fail: setup errors, feature skips.
 * Part of sysconform.h (include that, not this file).
 */
#ifndef SYSCONFORM_CHECKS_H
#define SYSCONFORM_CHECKS_H

/* ---- checks ------------------------------------------------------------ */

/*
 * SC_OK(call): run a call that must succeed; yields its value. On -1 the test
 * stops with "call -> -1 ERRNO".
 */
#define SC_OK(call) ({							\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	ASSERT_NE(-1, _sc_ret) {					\
		TH_LOG("%s -> -1 %s", #call, sc_errname(_sc_err));	\
	}								\
	_sc_ret;							\
})

/*
 * The call must return WANT (a count, 0, a descriptor number...): otherwise the
 * case fails (EXPECT_) or stops (ASSERT_) with "call -> -1 EBADF, expected 0" or
 * "call -> 3, expected 4". Use these, not EXPECT_EQ(0, call()), for every call that
 * reports an error through errno (make check rejects the raw form: harness/lint.pl).
 */
#define __SC_RETURNS(want, call, text, CHECK) do {				\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	long expected_return = (long)(want);				\
	CHECK(expected_return, _sc_ret) {				\
		if (_sc_ret == -1)					\
			TH_LOG("%s -> -1 %s, expected %ld", text,	\
			       sc_errname(_sc_err), expected_return);	\
		else							\
			TH_LOG("%s -> %ld, expected %ld", text,	\
			       _sc_ret, expected_return);		\
	}								\
} while (0)
#define EXPECT_SYSCALL_RETURNS(want, call) __SC_RETURNS(want, call, #call, EXPECT_EQ)
#define ASSERT_SYSCALL_RETURNS(want, call) __SC_RETURNS(want, call, #call, ASSERT_EQ)

/* The call must fail with errno ERR: "call: expected EBADF, got EINVAL" otherwise. */
#define __SC_FAILS(err, call, text, CHECK) do {				\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno, expected_errno = (err);			\
	int seen_errno = _sc_ret == -1 ? _sc_err : 0;			\
	CHECK(expected_errno, seen_errno) {				\
		if (_sc_ret != -1)					\
			TH_LOG("%s: expected %s, succeeded (%ld)", text,\
			       sc_errname(expected_errno), _sc_ret);	\
		else							\
			TH_LOG("%s: expected %s, got %s", text,	\
			       sc_errname(expected_errno), sc_errname(_sc_err));\
	}								\
} while (0)
#define EXPECT_SYSCALL_FAILS(err, call) __SC_FAILS(err, call, #call, EXPECT_EQ)


/* ---- outcomes other than pass/fail ------------------------------------- */

/*
 * Setup error: the test's own preparation failed (no space, fork failed). The
 * runner reports "error", apart from divergences, on the "setup error:" marker.
 */
#define SC_ERROR(fmt, ...) do {						\
	const bool setup_failed = true;					\
	TH_LOG("setup error: " fmt, ##__VA_ARGS__);			\
	ASSERT_FALSE(setup_failed);					\
} while (0)

/* SC_SETUP(call): like SC_OK, but a failure is a setup error, not a divergence. */
#define SC_SETUP(call) ({						\
	errno = 0;							\
	long _sc_ret = (long)(call);					\
	int _sc_err = errno;						\
	if (_sc_ret == -1)						\
		SC_ERROR("%s -> -1 %s", #call, sc_errname(_sc_err));	\
	_sc_ret;							\
})

/* Skip unless the registry says the feature is supported. Before any check. */
#define SC_REQUIRE_FEATURE(name) SC_REQUIRE_FEATURE_ID(SC_FEAT_##name)
/* The same for a feature id held in a variable (a fixture variant's SC_FEAT_name). */
#define SC_REQUIRE_FEATURE_ID(id) do {					\
	const struct sc_feature *_sc_f = sc_feature_id(id);		\
	if (_sc_f->status != SC_SUPPORTED)				\
		SKIP(return, "feature %s %s%s%s: %s", _sc_f->name,	\
		     sc_status_name(_sc_f->status),			\
		     sc_feature_on_fs(id) ? " on " : "",		\
		     sc_feature_on_fs(id) ? sc_test_fs() : "",		\
		     sc_probe_errname(_sc_f->err));			\
} while (0)

/*
 * In-place probe on the call under test: a failure with ENOSYS or EOPNOTSUPP
 * means the feature is missing, EPERM/EACCES that a sandbox blocks it; any other
 * result goes on to the assertions (and fails there). For a known-good call plus
 * one new flag, SC_SKIP_IF_FLAG_UNSUPPORTED also takes EINVAL as "missing".
 */
static inline enum sc_status sc_classify_call(long ret, int err, bool einval_missing)
{
	if (ret != -1)
		return SC_SUPPORTED;
	if (err == ENOSYS || err == EOPNOTSUPP || (einval_missing && err == EINVAL))
		return SC_MISSING;
	if (err == EPERM || err == EACCES)
		return SC_BLOCKED;
	return SC_SUPPORTED;
}

#define __SC_SKIP_IF(ret, err, feat, einval) do {			\
	int _sc_e = (err);						\
	enum sc_status _sc_st = sc_classify_call(ret, _sc_e, einval);	\
	(void)SC_FEAT_##feat;	/* a feature of the registry */		\
	if (_sc_st != SC_SUPPORTED)					\
		SKIP(return, "feature %s %s: %s", #feat,		\
		     sc_status_name(_sc_st), sc_errname(_sc_e));	\
} while (0)
#define SC_SKIP_IF_UNSUPPORTED(ret, err, feat) __SC_SKIP_IF(ret, err, feat, false)
#define SC_SKIP_IF_FLAG_UNSUPPORTED(ret, err, feat) __SC_SKIP_IF(ret, err, feat, true)

/* For fixtures that set self->unavailable instead of skipping in setup. */
#define SC_SKIP_IF_UNAVAILABLE() do {					\
	if (self->unavailable)						\
		SKIP(return, "%s", self->unavailable);			\
} while (0)

#endif /* SYSCONFORM_CHECKS_H */
