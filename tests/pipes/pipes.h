/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pipes.h: the fixture pipe_pair that several pipes programs share: a pipe
 * (fds[0] the read end, fds[1] the write end) and a sync pair (sc_sync_pair())
 * for readiness handshakes with children. It defines the fixture, so include it
 * only in a program whose tests use pipe_pair.
 */
#ifndef SYSCONFORM_PIPES_H
#define SYSCONFORM_PIPES_H

#include "sysconform.h"

#define EVENT_MS 1000	/* bound for something that should happen at once */

FIXTURE(pipe_pair) {
	int fds[2];
	int sync[2];
	const char *unavailable;
};

FIXTURE_SETUP(pipe_pair)
{
	self->fds[0] = self->fds[1] = self->sync[0] = self->sync[1] = -1;
	self->unavailable = NULL;
	SC_SETUP(pipe(self->fds));
	SC_SETUP(sc_sync_pair(self->sync));
}

FIXTURE_TEARDOWN(pipe_pair)
{
	for (int i = 0; i < 2; i++) {
		if (self->fds[i] >= 0)
			close(self->fds[i]);
		if (self->sync[i] >= 0)
			close(self->sync[i]);
	}
}

/* Close end END (0 read, 1 write) of the fixture's pipe; teardown then leaves it. */
static inline void close_end(FIXTURE_DATA(pipe_pair) *self, int end)
{
	close(self->fds[end]);
	self->fds[end] = -1;
}

#endif /* SYSCONFORM_PIPES_H */
