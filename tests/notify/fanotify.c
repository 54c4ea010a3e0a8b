// SPDX-License-Identifier: GPL-2.0-only
/*
 * fanotify: fanotify_init() needs CAP_SYS_ADMIN for a full group, permission
 * events make another process's open() wait for the listener's FAN_ALLOW or
 * FAN_DENY, and an event carries an open descriptor of the file and the pid of
 * the process that accessed it (NOTIFY-13, NOTIFY-14). Marks are inode marks on
 * the case's own files and directory only (never a mount or filesystem mark).
 * Man pages: fanotify(7), fanotify_init(2), fanotify_mark(2).
 */
#include <sys/fanotify.h>
#include <sys/stat.h>
#include "notify.h"

SC_TMPDIR_FIXTURE(fan);

/*
 * A fanotify group of FLAGS (event descriptors O_RDONLY|O_CLOEXEC) into FD, or the
 * case skips: the feature missing or blocked, or the caller is not root (fanotify
 * needs CAP_SYS_ADMIN for these groups).
 */
#define FAN_INIT_OR_SKIP(fd, flags) do {				\
	if (sc_feature(fanotify)->status == SC_BLOCKED && syscall(SYS_geteuid) != 0)	\
		SKIP(return, "needs CAP_SYS_ADMIN");			\
	SC_REQUIRE_FEATURE(fanotify);					\
	(fd) = SC_OK(fanotify_init((flags), O_RDONLY | O_CLOEXEC));	\
} while (0)

/* Read one fanotify event from FD into M, waiting at most SC_WAIT_MS: 0, or -1 with errno. */
static int fan_read_one(int fd, struct fanotify_event_metadata *m)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pf, 1, SC_WAIT_MS) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	n = read(fd, m, sizeof(*m));
	if (n < 0)
		return -1;
	if (n < (ssize_t)FAN_EVENT_METADATA_LEN || m->vers != FANOTIFY_METADATA_VERSION) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

struct fan_errs {
	int notif, content;	/* fanotify_init() errnos of the unprivileged child, 0 = it worked */
};

static int fan_init_unprivileged(void *data)
{
	struct fan_errs *e = data;
	int fd;

	if (sc_drop_privilege())
		return sc_child_error("could not drop to uid 65534: %s", sc_errname(errno));
	fd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY | O_CLOEXEC);
	e->notif = fd < 0 ? errno : 0;
	fd = fanotify_init(FAN_CLASS_CONTENT, O_RDONLY | O_CLOEXEC);
	e->content = fd < 0 ? errno : 0;
	return SC_CHILD_OK;
}

/* NOTIFY-13 fanotify_init(2): without CAP_SYS_ADMIN fanotify_init() of a group without FAN_REPORT_FID, or of permission class FAN_CLASS_CONTENT, fails with EPERM (uid 65534, or the unprivileged caller itself). */
TEST_F(fan, init_without_cap_sys_admin_fails_eperm)
{
	struct fan_errs e = { -1, -1 };
	struct sc_child c;

	if (sc_feature(fanotify)->status == SC_MISSING)
		SC_REQUIRE_FEATURE(fanotify);
	sc_child_run(&c, "the uid 65534 child", fan_init_unprivileged, &e, sizeof(e));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(EPERM, e.notif) {
		TH_LOG("fanotify_init(FAN_CLASS_NOTIF) unprivileged: %s, expected EPERM",
		       e.notif ? sc_errname(e.notif) : "succeeded");
	}
	EXPECT_EQ(EPERM, e.content) {
		TH_LOG("fanotify_init(FAN_CLASS_CONTENT) unprivileged: %s, expected EPERM",
		       e.content ? sc_errname(e.content) : "succeeded");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

struct fan_limited {
	int fid, unlimited, content, mark;	/* errnos of the unprivileged child, 0 = it worked */
};

static int fan_init_limited(void *data)
{
	struct fan_limited *l = data;
	int fd;

	if (sc_drop_privilege())
		return sc_child_error("could not drop to uid 65534: %s", sc_errname(errno));
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_UNLIMITED_QUEUE, O_RDONLY | O_CLOEXEC);
	l->unlimited = fd < 0 ? errno : 0;
	fd = fanotify_init(FAN_CLASS_CONTENT | FAN_REPORT_FID, O_RDONLY | O_CLOEXEC);
	l->content = fd < 0 ? errno : 0;
	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY | O_CLOEXEC);
	l->fid = fd < 0 ? errno : 0;
	l->mark = fd < 0 ? -1 : fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR, AT_FDCWD, ".") ? errno : 0;
	return SC_CHILD_OK;
}

/* NOTIFY-13 fanotify_init(2): since 5.13 an unprivileged caller may create a FAN_CLASS_NOTIF|FAN_REPORT_FID group and mark its own directory, but not with FAN_UNLIMITED_QUEUE nor of permission class FAN_CLASS_CONTENT (EPERM). */
TEST_F(fan, unprivileged_group_is_limited)
{
	struct fan_limited l = { -1, -1, -1, -1 };
	struct sc_child c;

	SC_REQUIRE_FEATURE(fanotify_unpriv);
	SC_SETUP(chmod(".", 0777));	/* uid 65534 marks the case's directory */
	sc_child_run(&c, "the uid 65534 child", fan_init_limited, &l, sizeof(l));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(0, l.fid) {
		TH_LOG("fanotify_init(FAN_CLASS_NOTIF|FAN_REPORT_FID) unprivileged: %s", sc_errname(l.fid));
	}
	EXPECT_EQ(0, l.mark) {
		TH_LOG("fanotify_mark(FAN_MARK_ADD, FAN_CREATE|FAN_ONDIR, \".\") unprivileged: %s", sc_errname(l.mark));
	}
	EXPECT_EQ(EPERM, l.unlimited) {
		TH_LOG("FAN_UNLIMITED_QUEUE unprivileged: %s, expected EPERM", l.unlimited ? sc_errname(l.unlimited) : "succeeded");
	}
	EXPECT_EQ(EPERM, l.content) {
		TH_LOG("FAN_CLASS_CONTENT unprivileged: %s, expected EPERM", l.content ? sc_errname(l.content) : "succeeded");
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

struct opener {
	int err;	/* open("f")'s errno, 0 when it succeeded, -1 before it returned */
};

static int open_f(void *data)
{
	struct opener *o = data;
	int fd;

	o->err = -1;
	sc_child_send_first();
	fd = open("f", O_RDONLY | O_CLOEXEC);
	o->err = fd < 0 ? errno : 0;
	if (fd >= 0)
		close(fd);
	return SC_CHILD_OK;
}

/*
 * A FAN_OPEN_PERM mark on f; a child opens it and waits; the listener reads the
 * event (from the child's pid) and writes RESPONSE; the child's open() errno is the result.
 */
static void fan_perm_open(struct __test_metadata *_metadata, uint32_t response, int want)
{
	struct fanotify_event_metadata m;
	struct opener o = { -1 };
	struct sc_child c;
	bool got_event;
	int fan;

	FAN_INIT_OR_SKIP(fan, FAN_CLASS_CONTENT);
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_OK(fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, "f"));
	SC_CHILD_START(&c, "the opener", open_f, &o, sizeof(o));
	EXPECT_CHILD_BLOCKED(&c, "open()");
	got_event = fan_read_one(fan, &m) == 0;
	if (!got_event) {
		TH_LOG("no FAN_OPEN_PERM event: %s", sc_errname(errno));
		close(fan);	/* lets the open go on */
		EXPECT_CHILD_SUCCEEDED(&c);
	}
	ASSERT_TRUE(got_event);
	EXPECT_EQ(FAN_OPEN_PERM, m.mask & FAN_OPEN_PERM);
	EXPECT_EQ(c.pid, m.pid);
	EXPECT_EQ(-1, o.err) {
		TH_LOG("open() returned before the listener answered");
	}
	EXPECT_SYSCALL_RETURNS(sizeof(struct fanotify_response),
			       write(fan, &(struct fanotify_response){ .fd = m.fd, .response = response },
				     sizeof(struct fanotify_response)));
	if (m.fd >= 0)
		close(m.fd);
	sc_child_report_next(&c);
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(want, o.err) {
		TH_LOG("the opener's open(): %s, expected %s", o.err ? sc_errname(o.err) : "success",
		       want ? sc_errname(want) : "success");
	}
	close(fan);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* NOTIFY-13 NOTIFY-14 fanotify(7): a FAN_OPEN_PERM mark makes another process's open() wait (the event carries its pid) until the listener writes FAN_ALLOW, then it succeeds. */
TEST_F(fan, open_perm_waits_and_allow_lets_open_succeed)
{
	fan_perm_open(_metadata, FAN_ALLOW, 0);
}

/* NOTIFY-13 NOTIFY-14 fanotify(7): a FAN_OPEN_PERM mark makes another process's open() wait (the event carries its pid) until the listener writes FAN_DENY, then it fails with EPERM. */
TEST_F(fan, open_perm_deny_makes_open_fail_eperm)
{
	fan_perm_open(_metadata, FAN_DENY, EPERM);
}

static int open_and_report_pid(void *data)
{
	const char *path = data;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return sc_child_fail("open(%s) -> %s", path, sc_errname(errno));
	close(fd);
	return SC_CHILD_OK;
}

/*
 * A FAN_OPEN mark of MASK (with FLAGS) on MARKED; a child opens OPENED; the event's
 * descriptor names the tmpdir's WANT ("" for the directory itself) and its pid is the child's.
 */
static void fan_open_event(struct __test_metadata *_metadata, struct sc_tmpdir *t, uint64_t mask,
			   const char *marked, const char *opened, const char *want)
{
	char link[64], seen[PATH_MAX] = "", expected[PATH_MAX + 8];
	struct fanotify_event_metadata m;
	char data[PATH_MAX];
	struct sc_child c;
	ssize_t n;
	int fan;

	FAN_INIT_OR_SKIP(fan, FAN_CLASS_NOTIF);
	SC_OK(fanotify_mark(fan, FAN_MARK_ADD, mask, AT_FDCWD, marked));
	snprintf(data, sizeof(data), "%s", opened);
	sc_child_run(&c, "the opener", open_and_report_pid, data, 0);
	EXPECT_CHILD_SUCCEEDED(&c);
	ASSERT_SYSCALL_RETURNS(0, fan_read_one(fan, &m));
	EXPECT_EQ(FAN_OPEN, m.mask & FAN_OPEN);
	EXPECT_EQ(c.pid, m.pid) {
		TH_LOG("event pid %d, the opener was %d", m.pid, c.pid);
	}
	ASSERT_LE(0, m.fd);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", m.fd);
	n = SC_OK(readlink(link, seen, sizeof(seen) - 1));
	seen[n] = 0;
	snprintf(expected, sizeof(expected), "%s%s%s", t->path, *want ? "/" : "", want);
	EXPECT_STREQ(expected, seen);
	close(m.fd);
	close(fan);
}

/* NOTIFY-14 fanotify(7): a FAN_OPEN event of a file in a marked directory carries an open descriptor of that file (/proc/self/fd/N names it) and the opener's pid. */
TEST_F(fan, event_carries_fd_of_file_and_opener_pid)
{
	SC_SETUP(sc_write_file("f", "abc", 3));
	fan_open_event(_metadata, &self->t, FAN_OPEN | FAN_EVENT_ON_CHILD, ".", "f", "f");
}

/* NOTIFY-14 fanotify(7) fanotify_mark(2): with FAN_ONDIR, opening the marked directory itself gives an event whose descriptor names the directory, with the opener's pid. */
TEST_F(fan, ondir_event_carries_fd_of_directory)
{
	fan_open_event(_metadata, &self->t, FAN_OPEN | FAN_ONDIR, ".", ".", "");
}

TEST_HARNESS_MAIN
