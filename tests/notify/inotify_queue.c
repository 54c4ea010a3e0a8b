// SPDX-License-Identifier: GPL-2.0-only
/*
 * The inotify queue: read() buffer sizes, FIONREAD, overflow into one
 * IN_Q_OVERFLOW, and the per-user watch limit (NOTIFY-09, NOTIFY-11). The limits
 * are read from /proc/sys/fs/inotify, never changed: a limit too large to reach
 * within a case's time is a skip that says so.
 * Man pages: inotify(7), inotify_add_watch(2).
 */
#include <sys/stat.h>
#include "notify.h"

#define QUEUE_MAX 65536		/* the largest max_queued_events a case fills */
#define WATCHES_MAX 8192	/* the largest max_user_watches a case reaches */

/* The value of /proc/sys/fs/inotify/NAME, or -1. */
static long notify_limit(const char *name)
{
	char path[128], buf[32] = "";
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sys/fs/inotify/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

/* NOTIFY-09 inotify(7): read() with a buffer smaller than the next event (with its name) fails with EINVAL and consumes nothing. */
TEST_F(notify, read_buffer_too_small_fails_einval)
{
	char buf[sizeof(struct inotify_event) + NAME_MAX + 1]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pf = { .fd = self->in, .events = POLLIN };
	struct notify_evs evs;
	int wd;

	SC_REQUIRE_FEATURE(inotify);
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	SC_SETUP(sc_write_file("f", "", 0));
	ASSERT_SYSCALL_RETURNS(1, poll(&pf, 1, SC_WAIT_MS));
	EXPECT_SYSCALL_FAILS(EINVAL, read(self->in, buf, sizeof(struct inotify_event)));
	EXPECT_SYSCALL_FAILS(EINVAL, read(self->in, buf, 1));
	NOTIFY_COLLECT(&evs);	/* the event is still there */
	EXPECT_EVENT(&evs, 0, wd, IN_CREATE, "f");
}

/* NOTIFY-09 inotify(7): a buffer of sizeof(struct inotify_event)+NAME_MAX+1 holds the event of a NAME_MAX-byte name. */
TEST_F(notify, name_max_buffer_fits_one_event)
{
	char buf[sizeof(struct inotify_event) + NAME_MAX + 1]
		__attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pf = { .fd = self->in, .events = POLLIN };
	char name[NAME_MAX + 1];
	struct notify_evs evs = { 0 };
	ssize_t n;
	int wd;

	SC_REQUIRE_FEATURE(inotify);
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = 0;
	wd = SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	SC_SETUP(sc_write_file(name, "", 0));
	ASSERT_SYSCALL_RETURNS(1, poll(&pf, 1, SC_WAIT_MS));
	n = SC_OK(read(self->in, buf, sizeof(buf)));
	EXPECT_TRUE(notify_parse(buf, n, &evs));
	EXPECT_EVENT(&evs, 0, wd, IN_CREATE, name);
}

/* NOTIFY-09 inotify(7): ioctl(FIONREAD) gives the number of bytes queued, which read() then returns. */
TEST_F(notify, fionread_gives_bytes_queued)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pf = { .fd = self->in, .events = POLLIN };
	int queued = -1;

	SC_REQUIRE_FEATURE(inotify);
	SC_OK(ioctl(self->in, FIONREAD, &queued));
	EXPECT_EQ(0, queued);
	SC_OK(inotify_add_watch(self->in, ".", IN_CREATE));
	SC_SETUP(sc_write_file("f", "", 0));
	SC_SETUP(sc_write_file("longer_name", "", 0));
	ASSERT_SYSCALL_RETURNS(1, poll(&pf, 1, SC_WAIT_MS));
	SC_OK(ioctl(self->in, FIONREAD, &queued));
	EXPECT_LE((int)(2 * sizeof(struct inotify_event) + 14), queued);
	EXPECT_SYSCALL_RETURNS(queued, read(self->in, buf, sizeof(buf)));
}

/* NOTIFY-11 inotify(7): beyond max_queued_events unread events the excess is dropped and one IN_Q_OVERFLOW with wd -1 ends the queue. */
TEST_F(notify, queue_overflow_gives_one_q_overflow)
{
	static char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pf = { .fd = self->in, .events = POLLIN };
	long max = notify_limit("max_queued_events"), events = 0, overflows = 0, last_ovf = -1;
	int wd, fd;

	SC_REQUIRE_FEATURE(inotify);
	if (max < 0)
		SKIP(return, "needs /proc/sys/fs/inotify/max_queued_events: %s", sc_errname(errno));
	if (max > QUEUE_MAX)
		SKIP(return, "needs fs.inotify.max_queued_events at most %d (it is %ld; never changed here)",
		     QUEUE_MAX, max);
	SC_SETUP(sc_write_file("f", "", 0));
	wd = SC_OK(inotify_add_watch(self->in, "f", IN_OPEN | IN_CLOSE_NOWRITE));
	for (long i = 0; i < max / 2 + 8; i++) {	/* open, close: two events each */
		fd = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
		close(fd);
	}
	while (poll(&pf, 1, 0) == 1) {
		ssize_t n = read(self->in, buf, sizeof(buf));

		if (n < 0 && errno == EAGAIN)	/* ready, then nothing: read() ends the queue */
			break;
		ASSERT_LE(0, n) {
			TH_LOG("read() -> -1 %s", sc_errname(errno));
		}

		for (ssize_t off = 0; off + (ssize_t)sizeof(struct inotify_event) <= n;) {
			const struct inotify_event *e = (const void *)(buf + off);

			if (e->mask & IN_Q_OVERFLOW) {
				overflows++;
				last_ovf = events;
				EXPECT_EQ(-1, e->wd);
			} else {
				EXPECT_EQ(wd, e->wd);
			}
			events++;
			off += sizeof(*e) + e->len;
		}
	}
	EXPECT_EQ(1, overflows);
	EXPECT_EQ(max + 1, events) {
		TH_LOG("%ld events read, max_queued_events %ld", events, max);
	}
	EXPECT_EQ(events - 1, last_ovf) {
		TH_LOG("IN_Q_OVERFLOW at %ld of %ld events", last_ovf, events);
	}
}

/* NOTIFY-11 inotify_add_watch(2): adding watches beyond max_user_watches fails with ENOSPC. */
TEST_F(notify, add_watch_beyond_max_user_watches_fails_enospc)
{
	long max = notify_limit("max_user_watches"), added = 0;
	char name[32];
	int r = 0, err = 0;

	SC_REQUIRE_FEATURE(inotify);
	if (max < 0)
		SKIP(return, "needs /proc/sys/fs/inotify/max_user_watches: %s", sc_errname(errno));
	if (max > WATCHES_MAX)
		SKIP(return, "needs fs.inotify.max_user_watches at most %d (it is %ld; never changed here)",
		     WATCHES_MAX, max);
	/* the user's other watches count too: ENOSPC comes at max or before */
	for (long i = 0; i <= max && r >= 0; i++) {
		snprintf(name, sizeof(name), "w%ld", i);
		SC_SETUP(mkdir(name, 0700));
		r = inotify_add_watch(self->in, name, IN_CREATE);
		err = errno;
		added += r >= 0;
	}
	EXPECT_EQ(-1, r) {
		TH_LOG("%ld watches added, max_user_watches %ld", added, max);
	}
	EXPECT_EQ(ENOSPC, err) {
		TH_LOG("after %ld watches: %s", added, sc_errname(err));
	}
}

TEST_HARNESS_MAIN
