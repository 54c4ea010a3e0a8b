/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * shm.h: what the shm programs share. POSIX shared-memory names (/dev/shm) and
 * System V segments are global: each case makes a name of its own (its pid and a
 * random number) or an IPC_PRIVATE segment, and the fixtures remove them in
 * teardown (shm_unlink, IPC_RMID), whatever the case did.
 */
#ifndef SYSCONFORM_SHM_H
#define SYSCONFORM_SHM_H

#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <time.h>
#include "sysconform.h"

static inline long shm_page(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* The fixture of the POSIX cases: a fresh name, unlinked in teardown. */
FIXTURE(posix) { char name[96]; };
FIXTURE_SETUP(posix)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	srandom(ts.tv_nsec ^ getpid());
	snprintf(self->name, sizeof(self->name), "/sysconform-shm-%ld-%ld",
		 (long)getpid(), random());
}
FIXTURE_TEARDOWN(posix) { shm_unlink(self->name); }

/* The fixture of the System V cases: up to two IPC_PRIVATE segments, removed in teardown. */
FIXTURE(sysv) { int id[2]; };
FIXTURE_SETUP(sysv) { self->id[0] = self->id[1] = -1; }
FIXTURE_TEARDOWN(sysv)
{
	for (int i = 0; i < 2; i++)
		if (self->id[i] >= 0)
			shmctl(self->id[i], IPC_RMID, NULL);
}

#endif /* SYSCONFORM_SHM_H */
