// SPDX-License-Identifier: GPL-2.0-only
/*
 * dnotify: fcntl(F_NOTIFY) on a directory signals the caller when a file is
 * created there: SIGIO, or the F_SETSIG signal with si_fd; once, or every time
 * with DN_MULTISHOT; F_NOTIFY on a non-directory fails with ENOTDIR (NOTIFY-15).
 * The signal is blocked and waited for with a bound; the kernel sends it before
 * the creating call returns, so "no signal" is checked without waiting, and each
 * such check is followed by a signal that does come.
 * Man pages: fcntl(2).
 */
#include <signal.h>
#include "notify.h"

FIXTURE(dnotify) {
	struct sc_tmpdir t;
	int dir;
};

FIXTURE_SETUP(dnotify)
{
	sigset_t set;

	self->dir = -1;
	sc_tmpdir_setup(_metadata, &self->t);
	sigemptyset(&set);
	sigaddset(&set, SIGIO);
	sigaddset(&set, SIGRTMIN + 1);
	SC_SETUP(sigprocmask(SIG_BLOCK, &set, NULL));
	self->dir = SC_SETUP(open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

FIXTURE_TEARDOWN(dnotify)
{
	sc_close(&self->dir);
	sc_tmpdir_teardown(&self->t);
}

/* NOTIFY-15 fcntl(2): F_NOTIFY DN_CREATE sends SIGIO on a creation in the directory, once: the next creation sends none until F_NOTIFY is set again. */
TEST_F(dnotify, dn_create_sends_sigio_once)
{
	siginfo_t si;

	SC_REQUIRE_FEATURE(dnotify);
	SC_OK(fcntl(self->dir, F_NOTIFY, DN_CREATE));
	SC_SETUP(sc_write_file("a", "", 0));
	EXPECT_EQ(SIGIO, sc_sigwait_ms(SIGIO, &si, SC_WAIT_MS)) {
		TH_LOG("no SIGIO after creating a file: %s", sc_errname(errno));
	}
	SC_SETUP(sc_write_file("b", "", 0));
	EXPECT_EQ(-1, sc_sigwait_ms(SIGIO, &si, 0)) {
		TH_LOG("a second SIGIO without DN_MULTISHOT");
	}
	SC_OK(fcntl(self->dir, F_NOTIFY, DN_CREATE));	/* the control: armed again */
	SC_SETUP(sc_write_file("c", "", 0));
	EXPECT_EQ(SIGIO, sc_sigwait_ms(SIGIO, &si, SC_WAIT_MS));
}

/* NOTIFY-15 fcntl(2): F_NOTIFY DN_CREATE|DN_MULTISHOT sends SIGIO on every creation in the directory. */
TEST_F(dnotify, dn_multishot_sends_sigio_every_time)
{
	siginfo_t si;

	SC_REQUIRE_FEATURE(dnotify);
	SC_OK(fcntl(self->dir, F_NOTIFY, DN_CREATE | DN_MULTISHOT));
	for (int i = 0; i < 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "f%d", i);
		SC_SETUP(sc_write_file(name, "", 0));
		EXPECT_EQ(SIGIO, sc_sigwait_ms(SIGIO, &si, SC_WAIT_MS)) {
			TH_LOG("no SIGIO after creation %d", i + 1);
		}
	}
}

/* NOTIFY-15 fcntl(2): after F_SETSIG the creation sends that signal instead of SIGIO, with si_fd the directory's descriptor. */
TEST_F(dnotify, f_setsig_signal_is_sent_with_si_fd)
{
	siginfo_t si = { 0 };

	SC_REQUIRE_FEATURE(dnotify);
	SC_OK(fcntl(self->dir, F_SETSIG, SIGRTMIN + 1));
	SC_OK(fcntl(self->dir, F_NOTIFY, DN_CREATE));
	SC_SETUP(sc_write_file("a", "", 0));
	ASSERT_EQ(SIGRTMIN + 1, sc_sigwait_ms(SIGRTMIN + 1, &si, SC_WAIT_MS)) {
		TH_LOG("no SIGRTMIN+1 after creating a file: %s", sc_errname(errno));
	}
	EXPECT_EQ(self->dir, si.si_fd);
	EXPECT_EQ(-1, sc_sigwait_ms(SIGIO, &si, 0)) {
		TH_LOG("SIGIO as well as the F_SETSIG signal");
	}
}

/* NOTIFY-15 fcntl(2): F_NOTIFY on a descriptor of a regular file fails with ENOTDIR. */
TEST_F(dnotify, f_notify_on_file_fails_enotdir)
{
	int fd;

	SC_REQUIRE_FEATURE(dnotify);
	fd = SC_SETUP(open("f", O_RDONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOTDIR, fcntl(fd, F_NOTIFY, DN_CREATE));
	SC_OK(fcntl(self->dir, F_NOTIFY, DN_CREATE));	/* the control */
	close(fd);
}

TEST_HARNESS_MAIN
