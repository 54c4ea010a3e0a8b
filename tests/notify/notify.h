/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * notify.h: what the notify programs share: a fixture with a private temporary
 * directory (the cwd) and an inotify descriptor (IN_NONBLOCK|IN_CLOEXEC, made only
 * where the feature inotify is there: otherwise each test skips in
 * SC_REQUIRE_FEATURE(inotify)), and a bounded reader of its events.
 */
#ifndef SYSCONFORM_NOTIFY_H
#define SYSCONFORM_NOTIFY_H

#include <limits.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include "sysconform.h"

#define NOTIFY_MAX 64

struct notify_ev {
	int wd;
	uint32_t mask, cookie, len;
	char name[NAME_MAX + 32];	/* len is at most NAME_MAX + 1 + 16 (checked) */
};

/* The events read, in order; bad: what was malformed in the stream ("" if nothing). */
struct notify_evs {
	int n;
	struct notify_ev ev[NOTIFY_MAX];
	char bad[128];
};

FIXTURE(notify) {
	struct sc_tmpdir t;
	int in;
};

FIXTURE_SETUP(notify)
{
	self->in = -1;
	sc_tmpdir_setup(_metadata, &self->t);
	if (sc_feature(inotify)->status == SC_SUPPORTED)
		self->in = SC_SETUP(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
}

FIXTURE_TEARDOWN(notify)
{
	sc_close(&self->in);
	sc_tmpdir_teardown(&self->t);
}

/*
 * Parse N bytes of inotify events from BUF into OUT (appending); false with
 * OUT->bad set when a record runs past the end or its name is not terminated or
 * padded to the alignment of struct inotify_event.
 */
static inline bool notify_parse(const char *buf, ssize_t n, struct notify_evs *out)
{
	const char *p = buf, *end = buf + n;

	while (p < end) {
		struct inotify_event e;
		struct notify_ev *o;

		if (end - p < (ssize_t)sizeof(e)) {
			snprintf(out->bad, sizeof(out->bad), "%zd bytes left, less than an event", end - p);
			return false;
		}
		memcpy(&e, p, sizeof(e));
		if (e.len > (uint32_t)(end - p) - sizeof(e) || e.len > NAME_MAX + 1 + 16) {
			snprintf(out->bad, sizeof(out->bad), "event len %u runs past the %zd bytes read", e.len, n);
			return false;
		}
		if (e.len && (e.len % __alignof__(struct inotify_event) ||
			      !memchr(p + sizeof(e), 0, e.len))) {
			snprintf(out->bad, sizeof(out->bad),
				 "event len %u: name not NUL-terminated or not padded to %zu", e.len,
				 __alignof__(struct inotify_event));
			return false;
		}
		if (out->n < NOTIFY_MAX) {
			o = &out->ev[out->n++];
			o->wd = e.wd;
			o->mask = e.mask;
			o->cookie = e.cookie;
			o->len = e.len;
			memcpy(o->name, p + sizeof(e), e.len);
			o->name[e.len] = 0;
		}
		p += sizeof(e) + e.len;
	}
	return true;
}

/*
 * Read the events queued on the inotify descriptor FD into OUT: wait at most MS for
 * the first (poll), then what is ready (poll 0 before each read: never a blocking
 * read). The number of events, or -1 with errno.
 */
static inline int notify_collect(int fd, int ms, struct notify_evs *out)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	out->n = 0;
	out->bad[0] = 0;
	for (int wait = ms; poll(&pf, 1, wait) == 1; wait = 0) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0)
			return errno == EAGAIN ? out->n : -1;
		if (n == 0) {	/* never from Linux: a bound on the loop */
			snprintf(out->bad, sizeof(out->bad), "read() returned 0 after poll() said readable");
			break;
		}
		if (!notify_parse(buf, n, out))
			break;
	}
	return out->n;
}

/* The index of the first event of OUT from FROM on with WD, all bits of MASK and NAME (NULL: any), or -1. */
static inline int notify_find(const struct notify_evs *out, int from, int wd, uint32_t mask,
			      const char *name)
{
	for (int i = from; i < out->n; i++)
		if (out->ev[i].wd == wd && (out->ev[i].mask & mask) == mask &&
		    (!name || !strcmp(out->ev[i].name, name)))
			return i;
	return -1;
}

/* Whether OUT has an event that names NAME, on any watch. */
static inline bool notify_names(const struct notify_evs *out, const char *name)
{
	for (int i = 0; i < out->n; i++)
		if (!strcmp(out->ev[i].name, name))
			return true;
	return false;
}

/* Log the events of OUT (a case's diagnostic when a check on them fails). */
#define NOTIFY_LOG(out) do {						\
	if ((out)->bad[0])						\
		TH_LOG("malformed event stream: %s", (out)->bad);	\
	for (int _i = 0; _i < (out)->n; _i++)				\
		TH_LOG("event %d: wd %d mask 0x%x cookie %u len %u name '%s'", _i,	\
		       (out)->ev[_i].wd, (out)->ev[_i].mask, (out)->ev[_i].cookie,	\
		       (out)->ev[_i].len, (out)->ev[_i].name);		\
	if (!(out)->n)							\
		TH_LOG("no event");					\
} while (0)

/* Read the events of self->in into EVS (waiting at most SC_WAIT_MS for the first). */
#define NOTIFY_COLLECT(evs) do {					\
	ASSERT_LE(0, notify_collect(self->in, SC_WAIT_MS, (evs))) {	\
		TH_LOG("reading the inotify descriptor: %s", sc_errname(errno));	\
	}								\
	EXPECT_STREQ("", (evs)->bad) {					\
		NOTIFY_LOG(evs);					\
	}								\
} while (0)

/* EVS has, at index >= FROM, an event WD MASK NAME: its index (the case goes on, -1 if not). */
#define EXPECT_EVENT(evs, from, wd, mask, name) ({			\
	const char *_nm = (name);					\
	int _at = notify_find((evs), (from), (wd), (mask), _nm);	\
	EXPECT_LE(0, _at) {						\
		TH_LOG("no event wd %d mask 0x%x name '%s' (from %d)",	\
		       (int)(wd), (unsigned)(mask), _nm ? _nm : "*", (int)(from));	\
		NOTIFY_LOG(evs);					\
	}								\
	_at;								\
})

#endif /* SYSCONFORM_NOTIFY_H */
