// SPDX-License-Identifier: GPL-2.0-only
/*
 * Creating a user namespace: an unprivileged, single-threaded caller may; a
 * multithreaded one may not (EINVAL). qemu-user refuses every caller with EINVAL
 * because of its own threads, which the guest program cannot see: a divergence.
 * Man pages: user_namespaces(7), unshare(2).
 */
#include <pthread.h>
#include "sysconform.h"

struct new_userns {
	int err, changed;	/* unshare()'s errno; whether ns/user changed */
};

/* Child: unshare(CLONE_NEWUSER) unprivileged. */
static int unshare_user_report(void *data)
{
	struct new_userns *got = data;
	char before[SC_NS_LEN], after[SC_NS_LEN];

	if (sc_drop_privilege())
		return sc_child_error("could not drop privileges: %s", sc_errname(errno));
	sc_ns_link("/proc/self/ns/user", before);
	got->err = unshare(CLONE_NEWUSER) ? errno : 0;
	got->changed = strcmp(before, sc_ns_link("/proc/self/ns/user", after)) != 0;
	return SC_CHILD_OK;
}

/* USERNS-01 user_namespaces(7): an unprivileged single-threaded unshare(CLONE_NEWUSER) succeeds where policy allows, and /proc/self/ns/user then names a new namespace. */
TEST(unprivileged_unshare_newuser_gives_new_user_namespace)
{
	struct new_userns got = { -1, 0 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(userns);
	sc_child_run(&c, "the child", unshare_user_report, &got, sizeof(got));
	ASSERT_CHILD_REPORTED(&c);
	if (got.err == EPERM || got.err == EACCES || got.err == ENOSPC)
		/* The probe's route had privilege; a policy keeps uid 65534 out (a sysctl, an LSM). */
		SKIP(return, "needs unprivileged user namespaces: %s (refused to uid 65534 by a policy)",
		     sc_errname(got.err));
	EXPECT_EQ(0, got.err) {
		TH_LOG("unshare(CLONE_NEWUSER) in a single-threaded process -> %s%s", sc_errname(got.err),
		       got.err == EINVAL ? " (Linux refuses only a multithreaded caller)" : "");
	}
	if (got.err == 0) {
		EXPECT_TRUE(got.changed) {
			TH_LOG("/proc/self/ns/user names the old namespace after unshare()");
		}
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

static void *park(void *fd)
{
	char c;

	sc_read_full(*(int *)fd, &c, 1);
	return NULL;
}

/* USERNS-01 unshare(2): a multithreaded process cannot create a user namespace: unshare(CLONE_NEWUSER) fails with EINVAL. */
TEST(multithreaded_unshare_newuser_fails_einval)
{
	int hold[2], err;
	pthread_t t;

	SC_REQUIRE_FEATURE(userns);
	SC_SETUP(pipe2(hold, O_CLOEXEC));
	ASSERT_EQ(0, pthread_create(&t, NULL, park, &hold[0]));
	err = unshare(CLONE_NEWUSER) ? errno : 0;
	close(hold[1]);
	pthread_join(t, NULL);
	close(hold[0]);
	EXPECT_EQ(EINVAL, err) {
		TH_LOG("unshare(CLONE_NEWUSER) with two threads -> %s", err ? sc_errname(err) : "success");
	}
}

TEST_HARNESS_MAIN
