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
static inline bool epoll_and_pipe(struct __test_metadata *_metadata, int *ep, int p[2])
{
	*ep = p[0] = p[1] = -1;
	if (sc_feature(epoll)->status != SC_SUPPORTED)
		return false;
	*ep = SC_SETUP(epoll_create1(EPOLL_CLOEXEC));
	SC_SETUP(pipe2(p, O_CLOEXEC | O_NONBLOCK));
	return true;
}

#endif /* SYSCONFORM_EPOLL_H */
