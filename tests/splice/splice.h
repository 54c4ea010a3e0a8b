/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * splice.h: what the splice programs share: the fixture xfer (a private temporary
 * directory, the current one during the case, and two pipes a and b), with every
 * call that could block interrupted after GUARD_MS (it then fails with EINTR
 * instead of hanging); and the file of digits most cases copy from.
 */
#ifndef SYSCONFORM_SPLICE_H
#define SYSCONFORM_SPLICE_H

#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include "sysconform.h"

#define GUARD_MS 500	/* a call that blocks although it must not is interrupted */
#define DIGITS "0123456789"

FIXTURE(xfer) {
	struct sc_tmpdir t;
	struct sc_pipe a, b;
};

FIXTURE_SETUP(xfer)
{
	self->a.rd = self->a.wr = self->b.rd = self->b.wr = -1;
	sc_tmpdir_setup(_metadata, &self->t);
	sc_pipe_setup(_metadata, &self->a, O_CLOEXEC);
	sc_pipe_setup(_metadata, &self->b, O_CLOEXEC);
	sc_interrupt_after(GUARD_MS);
}

FIXTURE_TEARDOWN(xfer)
{
	sc_interrupt_off();
	sc_pipe_teardown(&self->a);
	sc_pipe_teardown(&self->b);
	sc_tmpdir_teardown(&self->t);
}

/* The bytes queued in the pipe or socket FD (FIONREAD), or -1. */
static inline int queued(int fd)
{
	int n;

	return ioctl(fd, FIONREAD, &n) ? -1 : n;
}

#endif /* SYSCONFORM_SPLICE_H */
