// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stands in for a test program whose library was missing at build time
 * (Makefile: NEEDS.<topic>). It prints an empty plan with the skip reason;
 * the runner reports each of the file's cases as "not built: LIB missing". It exits
 * KSFT_SKIP (4), as a kselftest program that skips everything does.
 */
#include <stdio.h>

int main(void)
{
	printf("TAP version 13\n1..0 # SKIP not built: %s missing\n", SC_NOT_BUILT);
	return 4;	/* KSFT_SKIP */
}
