/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysconform.h: what every test program includes. It pulls in the kernel's
 * kselftest_harness.h and adds, all static (the harness cannot be linked twice),
 * one header per concern:
 *   errnames.h    errno names (sc_errname)
 *   features.h    the feature registry and its probes (SC_REQUIRE_FEATURE)
 *   sc_checks.h   check macros that log the call and the errno; setup errors and
 *                 skips in docs/DESIGN.md's reason forms
 *   sc_files.h    the case's private temporary directory, small file helpers
 *   sc_process.h  bounded fork/wait, statuses in words, handshakes, bounded reads,
 *                 wait-until-blocked, harness helper programs
 *   sc_ns.h       the kernel's version, dropping privilege, entering namespaces
 *   sc_kit.h      the fixture and child kit: temp file, pipe and socket pair fixtures,
 *                 children that report a struct and a named result, the exec helper
 * Only the 6.1 subset of the harness is used (STYLE.md 1.5).
 */
#ifndef SYSCONFORM_H
#define SYSCONFORM_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "errnames.h"
#include "features.h"
#include "sc_checks.h"
#include "sc_files.h"
#include "sc_process.h"
#include "sc_ns.h"
#include "sc_kit.h"

/*
 * The harness's own check of its verdicts, in every program: this case always skips.
 * The 6.9+ harness learns each case's verdict through memory it shares with the case's
 * process (MAP_SHARED|MAP_ANONYMOUS); where such memory is not shared (a preloaded
 * mmap() that maps it private) a skip reads "ok" and a failed check too. The runner
 * reads this case (Sysconform::Tap, $SC_CANARY) and then trusts no "ok" of the program.
 */
FIXTURE(sc_harness) {
	int unused;
};
FIXTURE_SETUP(sc_harness) {}
FIXTURE_TEARDOWN(sc_harness) {}
TEST_F(sc_harness, verdicts)	/* a fixture's case: its verdict travels as most do */
{
	SKIP(return, "the harness's own check of its verdicts");
}

/*
 * A program whose cases all skipped exits KSFT_SKIP (4), as kselftest defines it (the
 * kernel's runner then reports "ok N selftests: ... # SKIP"); the harness itself exits
 * 0 then. Run at exit(), in the harness's own process only: the counters of a test's
 * child never cover every case. stdio is flushed by hand (_exit does not).
 */
static pid_t sc_harness_pid;
static void __attribute__((constructor)) sc_note_harness_pid(void) { sc_harness_pid = getpid(); }
static void __attribute__((destructor)) sc_exit_skip_when_all_skipped(void)
{
	if (getpid() == sc_harness_pid && ksft_plan > 0 && ksft_get_xskip_cnt() == (int)ksft_plan) {
		fflush(stdout);
		fflush(stderr);
		_exit(KSFT_SKIP);
	}
}

#endif /* SYSCONFORM_H */
