// SPDX-License-Identifier: GPL-2.0-only
/*
 * inotify: the descriptor's flags, the events of a watched directory and of a
 * watched file, non-recursive watches, coalescing, and no IN_MODIFY for a store
 * through a shared mapping (NOTIFY-01 to NOTIFY-04, NOTIFY-10, NOTIFY-12).
 * Every "no event" check is followed by an event the same watch does report.
 * Man pages: inotify_init(2), inotify_add_watch(2), inotify(7).
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include "notify.h"

/* NOTIFY-01 inotify_init(2): inotify_init1(IN_NONBLOCK|IN_CLOEXEC) gives a non-blocking close-on-exec descriptor whose read() with no event fails with EAGAIN. */
TEST_F(notify, init1_flags_give_nonblocking_cloexec_descriptor)
{
	char buf[sizeof(struct inotify_event) + NAME_MAX + 1];
	int plain;

	SC_REQUIRE_FEATURE(inotify);
	EXPECT_EQ(FD_CLOEXEC, SC_OK(fcntl(self->in, F_GETFD)) & FD_CLOEXEC);
	ASSERT_EQ(O_NONBLOCK, SC_OK(fcntl(self->in, F_GETFL)) & O_NONBLOCK);
	EXPECT_SYSCALL_FAILS(EAGAIN, read(self->in, buf, sizeof(buf)));
	plain = SC_OK(inotify_init1(0));
	EXPECT_EQ(0, SC_OK(fcntl(plain, F_GETFD)) & FD_CLOEXEC);
	EXPECT_EQ(0, SC_OK(fcntl(plain, F_GETFL)) & O_NONBLOCK);
	close(plain);
}

/* NOTIFY-01 inotify_init(2): inotify_init1() with a flag other than IN_NONBLOCK and IN_CLOEXEC fails with EINVAL. */
TEST_F(notify, init1_unknown_flag_fails_einval)
{
	static const int bad[] = { 1, O_APPEND, 0x40000000 };

	SC_REQUIRE_FEATURE(inotify);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		TH_LOG("flags 0x%x", bad[i]);
		EXPECT_SYSCALL_FAILS(EINVAL, inotify_init1(bad[i] | IN_CLOEXEC));
	}
}

/* NOTIFY-02 inotify(7): on a watched directory create, write, close and unlink of a file give IN_CREATE, IN_MODIFY, IN_CLOSE_WRITE, IN_DELETE with its name, in that order. */
TEST_F(notify, dir_watch_reports_create_modify_close_write_delete)
{
	struct notify_evs evs;
	int wd, fd, at;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE));
	fd = SC_OK(open("f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_RETURNS(1, write(fd, "x", 1));
	SC_OK(close(fd));
	SC_OK(unlink("f"));
	NOTIFY_COLLECT(&evs);
	at = EXPECT_EVENT(&evs, 0, wd, IN_CREATE, "f");
	at = EXPECT_EVENT(&evs, at + 1, wd, IN_MODIFY, "f");
	at = EXPECT_EVENT(&evs, at + 1, wd, IN_CLOSE_WRITE, "f");
	EXPECT_EVENT(&evs, at + 1, wd, IN_DELETE, "f");
	EXPECT_EQ(4, evs.n) {
		NOTIFY_LOG(&evs);
	}
}

/* NOTIFY-02 inotify(7): mkdir() in a watched directory gives IN_CREATE|IN_ISDIR with the new directory's name. */
TEST_F(notify, dir_watch_reports_mkdir_as_create_isdir)
{
	struct notify_evs evs;
	int wd, at;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	SC_OK(mkdir("sub", 0700));
	SC_SETUP(sc_write_file("f", "", 0));
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wd, IN_CREATE | IN_ISDIR, "sub");
	at = EXPECT_EVENT(&evs, 0, wd, IN_CREATE, "f");
	if (at >= 0)
		EXPECT_EQ(0, evs.ev[at].mask & IN_ISDIR);	/* a file: no IN_ISDIR */
}

/* NOTIFY-16 inotify(7): an event's name is NUL-terminated and padded (len) so that the next event is aligned. */
TEST_F(notify, event_names_are_padded_to_align_the_next_event)
{
	static const char *const names[] = { "a", "bc", "def", "ghij", "klmno" };
	struct notify_evs evs;
	int wd;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	for (int i = 0; i < 5; i++)
		SC_SETUP(sc_write_file(names[i], "", 0));
	NOTIFY_COLLECT(&evs);
	for (int i = 0; i < 5; i++) {
		int at = EXPECT_EVENT(&evs, 0, wd, IN_CREATE, names[i]);

		if (at >= 0)
			EXPECT_LE(strlen(names[i]) + 1, evs.ev[at].len);
	}
}

/* NOTIFY-03 inotify(7): chmod() of a watched file gives IN_ATTRIB on its own watch with len 0. */
TEST_F(notify, file_watch_chmod_gives_attrib_without_name)
{
	struct notify_evs evs;
	int wd, at;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "abc", 3));
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_ATTRIB));
	SC_OK(chmod("f", 0644));
	NOTIFY_COLLECT(&evs);
	at = EXPECT_EVENT(&evs, 0, wd, IN_ATTRIB, NULL);
	if (at >= 0)
		EXPECT_EQ(0, evs.ev[at].len);
}

/* NOTIFY-03 inotify(7): open() and read() of a watched file give IN_OPEN then IN_ACCESS on its own watch, each with len 0. */
TEST_F(notify, file_watch_open_read_give_open_access_without_name)
{
	struct notify_evs evs;
	char c[3];
	int wd, fd, at, at2;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "abc", 3));
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_OPEN | IN_ACCESS));
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(3, read(fd, c, 3));
	close(fd);
	NOTIFY_COLLECT(&evs);
	at = EXPECT_EVENT(&evs, 0, wd, IN_OPEN, NULL);
	at2 = EXPECT_EVENT(&evs, at + 1, wd, IN_ACCESS, NULL);
	if (at >= 0 && at2 >= 0) {
		EXPECT_EQ(0, evs.ev[at].len);
		EXPECT_EQ(0, evs.ev[at2].len);
	}
}

/* NOTIFY-04 inotify(7): a file created in a subdirectory gives no event on the parent's watch; the subdirectory's own watch reports it. */
TEST_F(notify, watch_is_not_recursive)
{
	struct notify_evs evs;
	int wd, wsub;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(mkdir("sub", 0700));
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE | IN_MODIFY | IN_ATTRIB));
	SC_SETUP(sc_write_file("sub/f", "", 0));
	SC_SETUP(sc_write_file("g", "", 0));	/* the control: after f, on the same watch */
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wd, IN_CREATE, "g");
	EXPECT_FALSE(notify_names(&evs, "f")) {
		TH_LOG("an event names sub/f, created below the watched directory");
		NOTIFY_LOG(&evs);
	}
	wsub = SC_OK(inotify_add_watch(self->in, "sub", IN_CREATE));
	SC_SETUP(sc_write_file("sub/h", "", 0));
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wsub, IN_CREATE, "h");
}

/* NOTIFY-10 inotify(7): two write()s to a watched file before any read() of the events give a single IN_MODIFY. */
TEST_F(notify, consecutive_identical_events_are_coalesced)
{
	struct notify_evs evs;
	int wd, fd;

	SC_REQUIRE_FEATURE(inotify);
	fd = SC_SETUP(open("f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_MODIFY));
	EXPECT_SYSCALL_RETURNS(1, write(fd, "a", 1));
	EXPECT_SYSCALL_RETURNS(1, write(fd, "b", 1));
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wd, IN_MODIFY, NULL);
	EXPECT_EQ(1, evs.n) {
		NOTIFY_LOG(&evs);
	}
	/* the control: a write after the read is a new event */
	EXPECT_SYSCALL_RETURNS(1, write(fd, "c", 1));
	NOTIFY_COLLECT(&evs);
	EXPECT_EVENT(&evs, 0, wd, IN_MODIFY, NULL);
	close(fd);
}

/* NOTIFY-12 inotify(7): a store through a MAP_SHARED mapping and msync() give no IN_MODIFY before the chmod() that follows; a write() after that does. */
TEST_F(notify, shared_mapping_store_and_msync_give_no_modify)
{
	struct notify_evs evs;
	char *m;
	int wd, fd;

	SC_REQUIRE_FEATURE(inotify);
	SC_SETUP(sc_write_file("f", "abcd", 4));
	fd = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, m);
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_MODIFY | IN_ATTRIB));
	m[0] = 'X';
	EXPECT_SYSCALL_RETURNS(0, msync(m, 4096, MS_SYNC));
	SC_OK(chmod("f", 0640));	/* an event between: an IN_MODIFY of msync() is not merged */
	EXPECT_SYSCALL_RETURNS(1, pwrite(fd, "Y", 1, 1));	/* the control */
	NOTIFY_COLLECT(&evs);
	EXPECT_EQ(0, notify_find(&evs, 0, wd, IN_ATTRIB, NULL));
	EXPECT_EVENT(&evs, 1, wd, IN_MODIFY, NULL);
	EXPECT_EQ(2, evs.n) {
		TH_LOG("the store and msync() gave an event of their own");
		NOTIFY_LOG(&evs);
	}
	munmap(m, 4096);
	close(fd);
}

TEST_HARNESS_MAIN
