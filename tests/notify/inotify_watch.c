// SPDX-License-Identifier: GPL-2.0-only
/*
 * inotify watches: rename cookies and IN_MOVE_SELF, the end of a watch
 * (IN_DELETE_SELF, IN_IGNORED), one watch per inode and its mask (IN_MASK_ADD,
 * IN_MASK_CREATE), IN_ONLYDIR, IN_DONT_FOLLOW, IN_ONESHOT (NOTIFY-05 to NOTIFY-08).
 * Man pages: inotify(7), inotify_add_watch(2), inotify_rm_watch(2).
 */
#include <sys/stat.h>
#include "notify.h"

/* NOTIFY-05 inotify(7): rename() between watched directories gives IN_MOVED_FROM and IN_MOVED_TO with the same non-zero cookie, and IN_MOVE_SELF on the file's own watch. */
TEST_F(notify, rename_gives_moved_from_to_with_one_cookie_and_move_self)
{
	struct notify_evs evs;
	int wa, wb, wf, from, to, self_at;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(mkdir("a", 0700));
	SC_SETUP(mkdir("b", 0700));
	SC_SETUP(sc_write_file("a/f", "x", 1));
	wa = SC_OK(inotify_add_watch(self->in, "a", IN_MOVED_FROM | IN_MOVED_TO));
	wb = SC_OK(inotify_add_watch(self->in, "b", IN_MOVED_FROM | IN_MOVED_TO));
	wf = SC_OK(inotify_add_watch(self->in, "a/f", IN_MOVE_SELF));
	SC_OK(rename("a/f", "b/g"));
	NOTIFY_COLLECT(&evs);
	from = EXPECT_EVENT(&evs, 0, wa, IN_MOVED_FROM, "f");
	to = EXPECT_EVENT(&evs, 0, wb, IN_MOVED_TO, "g");
	self_at = EXPECT_EVENT(&evs, 0, wf, IN_MOVE_SELF, NULL);
	if (from >= 0 && to >= 0) {
		EXPECT_NE(0, evs.ev[from].cookie);
		EXPECT_EQ(evs.ev[from].cookie, evs.ev[to].cookie) {
			NOTIFY_LOG(&evs);
		}
	}
	if (self_at >= 0)
		EXPECT_EQ(0, evs.ev[self_at].len);
}

/* NOTIFY-05 inotify(7): two renames give two different cookies, each shared by its IN_MOVED_FROM and IN_MOVED_TO. */
TEST_F(notify, each_rename_has_its_own_cookie)
{
	struct notify_evs evs;
	int wd, f1, t1, f2, t2;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("p", "", 0));
	SC_SETUP(sc_write_file("q", "", 0));
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_MOVED_FROM | IN_MOVED_TO));
	SC_OK(rename("p", "p2"));
	SC_OK(rename("q", "q2"));
	NOTIFY_COLLECT(&evs);
	f1 = EXPECT_EVENT(&evs, 0, wd, IN_MOVED_FROM, "p");
	t1 = EXPECT_EVENT(&evs, 0, wd, IN_MOVED_TO, "p2");
	f2 = EXPECT_EVENT(&evs, 0, wd, IN_MOVED_FROM, "q");
	t2 = EXPECT_EVENT(&evs, 0, wd, IN_MOVED_TO, "q2");
	ASSERT_TRUE(f1 >= 0 && t1 >= 0 && f2 >= 0 && t2 >= 0);
	EXPECT_NE(0, evs.ev[f1].cookie);
	EXPECT_EQ(evs.ev[f1].cookie, evs.ev[t1].cookie);
	EXPECT_EQ(evs.ev[f2].cookie, evs.ev[t2].cookie);
	EXPECT_NE(evs.ev[f1].cookie, evs.ev[f2].cookie) {
		NOTIFY_LOG(&evs);
	}
}

/* NOTIFY-06 inotify(7): unlink() of the last link of a watched, closed file gives IN_ATTRIB, IN_DELETE_SELF, IN_IGNORED in order; inotify_rm_watch() of its wd then fails with EINVAL. */
TEST_F(notify, unlink_gives_attrib_delete_self_then_ignored)
{
	struct notify_evs evs;
	int wd, at;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "x", 1));
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_ATTRIB | IN_DELETE_SELF));
	SC_OK(unlink("f"));
	NOTIFY_COLLECT(&evs);
	at = EXPECT_EVENT(&evs, 0, wd, IN_ATTRIB, NULL);
	at = EXPECT_EVENT(&evs, at + 1, wd, IN_DELETE_SELF, NULL);
	EXPECT_EVENT(&evs, at + 1, wd, IN_IGNORED, NULL);
	EXPECT_EQ(3, evs.n) {
		NOTIFY_LOG(&evs);
	}
	EXPECT_SYSCALL_FAILS(EINVAL, inotify_rm_watch(self->in, wd));
}

/* NOTIFY-06 inotify_rm_watch(2): inotify_rm_watch() returns 0 and queues IN_IGNORED for the wd; a second inotify_rm_watch() of it fails with EINVAL. */
TEST_F(notify, rm_watch_queues_ignored_then_wd_is_invalid)
{
	struct notify_evs evs;
	int wd;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	EXPECT_SYSCALL_RETURNS(0, inotify_rm_watch(self->in, wd));
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wd, IN_IGNORED, NULL);
	EXPECT_SYSCALL_FAILS(EINVAL, inotify_rm_watch(self->in, wd));
}

/* NOTIFY-07 inotify(7): inotify_add_watch() of a watched inode returns the same wd and replaces the mask: IN_CREATE then IN_DELETE reports only the deletion. */
TEST_F(notify, second_add_watch_same_wd_replaces_mask)
{
	struct notify_evs evs;
	int wd;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	EXPECT_SYSCALL_RETURNS(wd, inotify_add_watch(self->in, ".", IN_DELETE));
	SC_SETUP(sc_write_file("f", "", 0));
	SC_SETUP(unlink("f"));
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wd, IN_DELETE, "f");	/* the control */
	EXPECT_EQ(-1, notify_find(&evs, 0, wd, IN_CREATE, NULL)) {
		TH_LOG("IN_CREATE reported after the mask was replaced by IN_DELETE");
		NOTIFY_LOG(&evs);
	}
}

/* NOTIFY-07 inotify(7): IN_MASK_ADD ORs into the mask of a watched inode (same wd): both IN_CREATE and IN_DELETE are reported. */
TEST_F(notify, mask_add_ors_into_existing_mask)
{
	struct notify_evs evs;
	int wd, at;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	EXPECT_SYSCALL_RETURNS(wd, inotify_add_watch(self->in, ".", IN_DELETE | IN_MASK_ADD));
	SC_SETUP(sc_write_file("f", "", 0));
	SC_SETUP(unlink("f"));
	NOTIFY_COLLECT(&evs);
	at = EXPECT_EVENT(&evs, 0, wd, IN_CREATE, "f");
	EXPECT_EVENT(&evs, at + 1, wd, IN_DELETE, "f");
}

/* NOTIFY-07 inotify(7): IN_MASK_CREATE watches a new inode, and fails with EEXIST on an already watched one. */
TEST_F(notify, mask_create_on_watched_inode_fails_eexist)
{
	SC_REQUIRE_FEATURE(inotify);
	SC_REQUIRE_FEATURE(in_mask_create);
	SC_OK(inotify_add_watch(self->in, ".", IN_CREATE | IN_MASK_CREATE));
	EXPECT_SYSCALL_FAILS(EEXIST, inotify_add_watch(self->in, ".", IN_DELETE | IN_MASK_CREATE));
}

/* NOTIFY-07 inotify(7): inotify_add_watch() with a mask of no event bits fails with EINVAL. */
TEST_F(notify, add_watch_without_event_bits_fails_einval)
{
	SC_REQUIRE_FEATURE(inotify);
	EXPECT_SYSCALL_FAILS(EINVAL, inotify_add_watch(self->in, ".", 0));
	SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));	/* the control */
}

/* NOTIFY-08 inotify(7): IN_ONLYDIR on a non-directory fails with ENOTDIR, on a directory it watches. */
TEST_F(notify, onlydir_on_file_fails_enotdir)
{
	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "", 0));
	EXPECT_SYSCALL_FAILS(ENOTDIR, inotify_add_watch(self->in, "f", IN_ATTRIB | IN_ONLYDIR));
	SC_OK(inotify_add_watch(self->in, ".", IN_ATTRIB | IN_ONLYDIR));
}

/* NOTIFY-08 inotify(7): IN_DONT_FOLLOW watches the symlink itself: its own wd, and IN_ATTRIB of the link, not of its target. */
TEST_F(notify, dont_follow_watches_the_symlink_itself)
{
	struct notify_evs evs;
	int wl, wf;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "", 0));
	SC_SETUP(symlink("f", "l"));
	wl = SC_OK(inotify_add_watch(self->in, "l", IN_ATTRIB | IN_DONT_FOLLOW));
	wf = SC_OK(inotify_add_watch(self->in, "f", IN_ATTRIB));
	EXPECT_NE(wl, wf) {
		TH_LOG("the watch of the symlink is the watch of its target");
	}
	SC_OK(utimensat(AT_FDCWD, "l", NULL, AT_SYMLINK_NOFOLLOW));
	SC_OK(chmod("f", 0640));
	NOTIFY_COLLECT(&evs);
	EXPECT_EQ(0, notify_find(&evs, 0, wl, IN_ATTRIB, NULL)) {
		NOTIFY_LOG(&evs);
	}
	EXPECT_EQ(1, notify_find(&evs, 0, wf, IN_ATTRIB, NULL)) {
		NOTIFY_LOG(&evs);
	}
}

/* NOTIFY-08 inotify(7): an IN_ONESHOT watch reports one event then IN_IGNORED, and no later event (a second instance's watch does). */
TEST_F(notify, oneshot_reports_once_then_ignored)
{
	struct notify_evs evs, ctl;
	int wd, control, wc;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "", 0));
	control = SC_OK(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_ATTRIB | IN_ONESHOT));
	SC_OK(chmod("f", 0640));
	NOTIFY_COLLECT(&evs);
	EXPECT_EQ(0, notify_find(&evs, 0, wd, IN_ATTRIB, NULL));
	EXPECT_EQ(1, notify_find(&evs, 1, wd, IN_IGNORED, NULL));
	EXPECT_EQ(2, evs.n) {
		NOTIFY_LOG(&evs);
	}
	wc = SC_OK(inotify_add_watch(control, "f", IN_ATTRIB));
	SC_OK(chmod("f", 0600));
	ASSERT_LE(0, notify_collect(control, SC_WAIT_MS, &ctl));
	EXPECT_EVENT(&ctl, 0, wc, IN_ATTRIB, NULL);
	ASSERT_LE(0, notify_collect(self->in, 0, &evs));
	EXPECT_EQ(0, evs.n) {
		TH_LOG("the IN_ONESHOT watch reported a second event");
		NOTIFY_LOG(&evs);
	}
	EXPECT_SYSCALL_FAILS(EINVAL, inotify_rm_watch(self->in, wd));
	close(control);
}

TEST_HARNESS_MAIN
