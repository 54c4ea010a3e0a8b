/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pipes.h: the fixture pipe_pair that several pipes programs share: a pipe p
 * (sc_pipe: p.rd, p.wr) and a second pipe sync for readiness handshakes with
 * children (sc_signal_ready(sync.wr), sc_wait_ready(sync.rd)). It defines the
 * fixture, so include it only in a program whose tests use pipe_pair.
 */
#ifndef SYSCONFORM_PIPES_H
#define SYSCONFORM_PIPES_H

#include "sysconform.h"

#define EVENT_MS 1000	/* bound for something that should happen at once */

FIXTURE(pipe_pair) {
	struct sc_pipe p, sync;
};

FIXTURE_SETUP(pipe_pair)
{
	sc_pipe_setup(_metadata, &self->p, 0);
	sc_pipe_setup(_metadata, &self->sync, O_CLOEXEC);
}

FIXTURE_TEARDOWN(pipe_pair)
{
	sc_pipe_teardown(&self->p);
	sc_pipe_teardown(&self->sync);
}

#endif /* SYSCONFORM_PIPES_H */
