// SPDX-License-Identifier: GPL-2.0-only
/*
 * Creating a mount namespace: it needs CAP_SYS_ADMIN (a user namespace gives it to
 * the unprivileged), and the new namespace shows in /proc/self/ns/mnt. An
 * unshare(CLONE_NEWNS) that returns 0 and makes no namespace (gVisor 20221219) is
 * a divergence; the suite then mounts nothing (sc_unshare()).
 * Man pages: mount_namespaces(7), unshare(2).
 */
#include "sysconform.h"

/* Child: unprivileged unshare(CLONE_NEWNS); its errno, 0 if it worked. */
static int unshare_mnt_unprivileged(void *data)
{
	if (sc_drop_privilege())
		return sc_child_error("could not drop privileges: %s", sc_errname(errno));
	*(int *)data = unshare(CLONE_NEWNS) ? errno : 0;
	return SC_CHILD_OK;
}

/* MNTNS-01 unshare(2): without CAP_SYS_ADMIN and without a new user namespace, unshare(CLONE_NEWNS) fails with EPERM. */
TEST(unprivileged_unshare_newns_fails_eperm)
{
	struct sc_child c;
	int err = -1;

	SC_REQUIRE_FEATURE(mntns);
	sc_child_run(&c, "the unprivileged child", unshare_mnt_unprivileged, &err, sizeof(err));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EPERM, err) {
		TH_LOG("unprivileged unshare(CLONE_NEWNS): expected EPERM, got %s",
		       err ? sc_errname(err) : "success");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
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
