/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * io.h: the fixture that every io program uses: file, a private temporary
 * directory (the current directory during the test) in which each test makes
 * the files it needs.
 */
#ifndef SYSCONFORM_IO_H
#define SYSCONFORM_IO_H

#include "sysconform.h"

FIXTURE(file) {
	struct sc_tmpdir t;
	const char *unavailable;
};

FIXTURE_SETUP(file)
{
	sc_tmpdir_setup(_metadata, &self->t);
}

FIXTURE_TEARDOWN(file)
{
	sc_tmpdir_teardown(&self->t);
}

#endif /* SYSCONFORM_IO_H */
