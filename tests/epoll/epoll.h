/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * epoll.h: what the epoll programs' fixtures share: an epoll instance and a
 * non-blocking pipe, made only where the feature epoll is there (otherwise each
 * test skips in SC_REQUIRE_FEATURE(epoll)).
 */
#ifndef SYSCONFORM_EPOLL_H
#define SYSCONFORM_EPOLL_H

#include <sys/epoll.h>
#include "sysconform.h"

/*
 * In a FIXTURE_SETUP: *EP = epoll_create1(EPOLL_CLOEXEC) and P = a pipe with
 * O_CLOEXEC|O_NONBLOCK (all -1 first). false, with nothing made, when the
 * feature epoll is missing; a failure is a setup error.
 */
static inline bool epoll_and_pipe(struct __test_metadata *_metadata, int *ep, struct sc_pipe *p)
{
	*ep = p->rd = p->wr = -1;
	if (sc_feature(epoll)->status != SC_SUPPORTED)
		return false;
	*ep = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	sc_pipe_setup(_metadata, p, O_CLOEXEC | O_NONBLOCK);
	return true;
}

/* In a FIXTURE_TEARDOWN: close what epoll_and_pipe() made and the test left open. */
static inline void epoll_and_pipe_teardown(int *ep, struct sc_pipe *p)
{
	sc_close(ep);
	sc_pipe_teardown(p);
}

/*
 * The fixture NAME (case ids carry it) that is only an epoll instance ep and a
 * pipe p from epoll_and_pipe(); its tests start with SC_REQUIRE_FEATURE(epoll).
 */
#define EPOLL_PIPE_FIXTURE(name)					\
FIXTURE(name) {								\
	int ep;								\
	struct sc_pipe p;						\
};									\
FIXTURE_SETUP(name)							\
{									\
	epoll_and_pipe(_metadata, &self->ep, &self->p);			\
}									\
FIXTURE_TEARDOWN(name)							\
{									\
	epoll_and_pipe_teardown(&self->ep, &self->p);			\
}

#endif /* SYSCONFORM_EPOLL_H */
