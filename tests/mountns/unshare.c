// SPDX-License-Identifier: GPL-2.0-only
/*
 * Creating a mount namespace: it needs CAP_SYS_ADMIN (a user namespace gives it to
 * the unprivileged), and the new namespace shows in /proc/self/ns/mnt. An
 * unshare(CLONE_NEWNS) that returns 0 and makes no namespace (gVisor 20221219) is
 * a divergence; the suite then mounts nothing (sc_unshare()).
 * Man pages: mount_namespaces(7), unshare(2).
 */
#include "sysconform.h"

/* MNTNS-01 unshare(2): without CAP_SYS_ADMIN and without a new user namespace, unshare(CLONE_NEWNS) fails with EPERM. */
TEST(unprivileged_unshare_newns_fails_eperm)
{
	pid_t pid;
	int st;

	SC_REQUIRE_FEATURE(mntns);
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		if (sc_drop_privilege())
			_exit(2);
		if (unshare(CLONE_NEWNS) == 0)
			_exit(3);
		_exit(errno == EPERM ? 0 : 4);
	}
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("the unprivileged child %s (3: unshare(CLONE_NEWNS) succeeded, 4: another errno than EPERM)",
		       sc_status_str(st));
	}
}

/* MNTNS-01 mount_namespaces(7): after unshare(CLONE_NEWNS) (through a user namespace when unprivileged), /proc/self/ns/mnt names a new namespace. */
TEST(unshare_newns_gives_new_mount_namespace)
{
	char before[SC_NS_LEN], after[SC_NS_LEN];

	SC_REQUIRE_FEATURE(mntns);
	sc_ns_link("/proc/self/ns/mnt", before);
	/* Fails the case, with what was seen, when no new namespace shows. */
	SC_UNSHARE_OR_SKIP(CLONE_NEWNS);
	EXPECT_STRNE(before, sc_ns_link("/proc/self/ns/mnt", after));
}

TEST_HARNESS_MAIN
