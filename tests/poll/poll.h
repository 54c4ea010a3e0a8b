/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * poll.h: what the poll programs share: a pipe fixture, a helper that polls one
 * descriptor, the lower-bound timing check, and a handler that counts signals.
 */
#ifndef SYSCONFORM_POLL_H
#define SYSCONFORM_POLL_H

#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/time.h>
#include "sysconform.h"

/* The fixture NAME: a pipe p (O_CLOEXEC), closed at teardown. */
#define POLL_PIPE_FIXTURE(name)						\
FIXTURE(name) { struct sc_pipe p; };					\
FIXTURE_SETUP(name) { sc_pipe_setup(_metadata, &self->p, O_CLOEXEC); }	\
FIXTURE_TEARDOWN(name) { sc_pipe_teardown(&self->p); }

/* poll() FD for EVENTS waiting at most MS: its revents, or -1 with errno. */
static inline int poll_revents(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r = poll(&p, 1, ms);

	return r < 0 ? -1 : p.revents;
}

/* CALL, with a descriptor ready, returns WANT well before its (5 s) timeout. */
#define EXPECT_RETURNS_BEFORE_TIMEOUT(want, call) do {			\
	int64_t _sc_t0 = sc_now_ns(), waited_ns;			\
									\
	EXPECT_SYSCALL_RETURNS(want, call);				\
	waited_ns = sc_now_ns() - _sc_t0;				\
	EXPECT_GT(SC_WAIT_MS * 1000000LL / 2, waited_ns) {		\
		TH_LOG("returned after %lld us", (long long)waited_ns / 1000);	\
	}								\
} while (0)

static volatile sig_atomic_t poll_handled;

static inline void poll_count_signal(int sig)
{
	(void)sig;
	poll_handled++;
}

#endif /* SYSCONFORM_POLL_H */
