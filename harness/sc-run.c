// SPDX-License-Identifier: GPL-2.0-only
/*
 * sc-run: run one test program for the runner, bounded and without leftovers.
 *
 *   sc-run [-t SECONDS] [-p PRELOAD.so] [-d TMPDIR [-m]] [-w WRAP-ARG]... -- PROGRAM
 *
 * -d DIR sets TMPDIR=DIR for the program (where its cases make their directories);
 * with -m, DIR is first covered by a fresh tmpfs in a mount namespace of sc-run's own
 * (needs CAP_SYS_ADMIN; the namespace, proven new by /proc/self/ns/mnt, ends with
 * sc-run, and nothing is mounted anywhere else): --fs tmpfs of the runner.
 *
 * It becomes a child subreaper, starts [WRAP-ARGS...] PROGRAM in a new process
 * group with stderr on stdout, and sets LD_PRELOAD only in the program's own
 * environment (never in sc-run's or the runner's). When the program ends or
 * the time is up, every process still left below sc-run (the harness puts each
 * test in a process group of its own, so one group kill is not enough) is
 * killed and reaped, so no descendant keeps the runner's pipe open.
 * SIGINT, SIGTERM or SIGHUP to sc-run (the runner interrupted), or its parent's death
 * (PR_SET_PDEATHSIG: the runner was killed, even by SIGKILL), ends the program the
 * same way: SIGTERM to its process group, up to 2 s for it to end (a wrapper such as
 * qemu-run removes its files), then SIGKILL to all that is left below sc-run (at
 * once when the program's group is killed: a second Ctrl-C to the runner).
 * Exit status: the program's, 128+N when a signal N killed it, 124 on timeout,
 * 127 when it could not be started, 128+N when sc-run was interrupted by signal N.
 * A line "# sc-run: ..." says what happened when it was not a plain exit.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "errnames.h"

static volatile sig_atomic_t timed_out, interrupted;
static volatile pid_t child;

static void on_alarm(int sig) { (void)sig; timed_out = 1; }

/* Interrupted: SIGTERM to the program, 2 s until SIGKILL (async-signal-safe). */
static void end_child(void)
{
	if (child > 0) {
		kill(-child, SIGTERM);
		kill(child, SIGTERM);
		alarm(2);
	}
}

static void on_term(int sig)
{
	if (!interrupted) {
		interrupted = sig;
		end_child();
	}
}

/* SIGKILL every process whose parent is us, with its process group; note new ones. */
static void kill_children(pid_t *seen, int *nseen)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t self = getpid();

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[64], buf[512], *p;
		FILE *f;
		int pid = atoi(e->d_name), ppid, pgrp, i;

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		fclose(f);
		if (!p || sscanf(p + 2, "%*c %d %d", &ppid, &pgrp) != 2 || ppid != self)
			continue;
		if (pgrp != self && pgrp > 1)
			kill(-pgrp, SIGKILL);
		kill(pid, SIGKILL);
		for (i = 0; i < *nseen && seen[i] != pid; i++)
			;
		if (i == *nseen && *nseen < 1024)
			seen[(*nseen)++] = pid;
	}
	closedir(d);
}

/*
 * Kill and reap all that is left below us (orphans are re-parented to us, the
 * subreaper, as their parents die); return how many processes outlived the program.
 */
static int reap_all(int grace_ms)
{
	static pid_t seen[1024];
	int nseen = 0, st;
	struct timespec pause = { 0, 2000000 };

	/*
	 * A wrapper's helpers may still be writing the program's last output (runsc's
	 * sandbox process outlives runsc): let what is left end by itself for a moment.
	 */
	for (int waited = 0; waited < grace_ms; waited += 2) {
		pid_t r;

		while ((r = waitpid(-1, &st, WNOHANG)) > 0)
			;
		if (r < 0 && errno == ECHILD)
			return 0;
		nanosleep(&pause, NULL);
	}
	for (int round = 0; round < 2500; round++) {
		pid_t r;

		kill_children(seen, &nseen);
		while ((r = waitpid(-1, &st, WNOHANG)) > 0)
			;
		if (r < 0 && errno == ECHILD)
			break;
		nanosleep(&pause, NULL);
	}
	return nseen;
}

/* The identity of our mount namespace (st_ino of /proc/self/ns/mnt), 0 if unknown. */
static ino_t mntns_id(void)
{
	struct stat st;

	return stat("/proc/self/ns/mnt", &st) ? 0 : st.st_ino;
}

/* A fresh tmpfs on DIR in a new mount namespace of ours; NULL, or what went wrong. */
static const char *private_tmpfs(const char *dir)
{
	static char why[300];
	ino_t before = mntns_id();

	if (unshare(CLONE_NEWNS))
		snprintf(why, sizeof(why), "unshare(CLONE_NEWNS): %s", sc_errname(errno));
	else if (!before || mntns_id() == before)
		snprintf(why, sizeof(why), "unshare(CLONE_NEWNS) made no new mount namespace");
	else if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		snprintf(why, sizeof(why), "making / private: %s", sc_errname(errno));
	else if (mount("sysconform", dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"))
		snprintf(why, sizeof(why), "mount tmpfs on %s: %s", dir, sc_errname(errno));
	else
		return NULL;
	return why;
}

static void catch(int sig, void (*fn)(int))
{
	struct sigaction sa = { .sa_handler = fn };	/* no SA_RESTART: waitpid sees EINTR */

	sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv)
{
	const char *preload = NULL, *tmpdir = NULL;
	char **wrap = calloc(argc, sizeof(*wrap));	/* at most every argument */
	int nwrap = 0, timeout = 30, opt, status, tmpfs = 0;
	pid_t pid, parent = getppid();

	if (!wrap)
		return 127;
	while ((opt = getopt(argc, argv, "+t:p:d:mw:")) != -1) {
		switch (opt) {
		case 't': timeout = atoi(optarg); break;
		case 'p': preload = optarg; break;
		case 'd': tmpdir = optarg; break;
		case 'm': tmpfs = 1; break;
		case 'w':
			wrap[nwrap++] = optarg;
			break;
		default:
			fprintf(stderr, "usage: sc-run [-t S] [-p LIB] [-d DIR [-m]] [-w ARG]... -- PROGRAM\n");
			return 2;
		}
	}
	if (optind >= argc || (tmpfs && !tmpdir)) {
		fprintf(stderr, "usage: sc-run [-t S] [-p LIB] [-d DIR [-m]] [-w ARG]... -- PROGRAM\n");
		return 2;
	}
	if (tmpdir)
		setenv("TMPDIR", tmpdir, 1);
	if (tmpfs) {
		const char *why = private_tmpfs(tmpdir);

		if (why) {
			printf("# sc-run: cannot give the program a private tmpfs: %s\n", why);
			return 127;
		}
	}
	catch(SIGTERM, on_term);
	catch(SIGINT, on_term);
	catch(SIGHUP, on_term);
	/* our parent's death is an interruption; it may have died before the prctl */
	if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
		interrupted = SIGTERM;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	catch(SIGALRM, on_alarm);
	fflush(stdout);
	if (interrupted) {
		printf("# sc-run: interrupted by %s\n", sc_signame(interrupted));
		return 128 + interrupted;
	}
	pid = fork();
	if (pid < 0) {
		printf("# sc-run: fork: %s\n", sc_errname(errno));
		return 127;
	}
	if (pid == 0) {
		char **args = calloc(nwrap + argc + 1, sizeof(*args));	/* the whole command line */
		int n = 0;

		if (!args) {
			printf("# sc-run: cannot execute: out of memory\n");
			fflush(stdout);
			_exit(127);
		}
		setpgid(0, 0);
		dup2(1, 2);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		for (int i = 0; i < nwrap; i++)
			args[n++] = wrap[i];
		for (int i = optind; i < argc; i++)
			args[n++] = argv[i];
		args[n] = NULL;
		if (preload)
			setenv("LD_PRELOAD", preload, 1);
		execvp(args[0], args);
		printf("# sc-run: cannot execute %s: %s\n", args[0], sc_errname(errno));
		fflush(stdout);
		_exit(127);
	}
	child = pid;
	alarm(timeout);
	if (interrupted)	/* before child was set */
		end_child();
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return 127;
		if (timed_out) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
		}
	}
	alarm(0);
	int left = reap_all(timed_out || interrupted ? 0 : 1000);

	fflush(stdout);
	if (interrupted) {
		printf("# sc-run: interrupted by %s\n", sc_signame(interrupted));
		return 128 + interrupted;
	}
	if (timed_out) {
		printf("# sc-run: timeout: killed after %d s\n", timeout);
		return 124;
	}
	if (left)
		printf("# sc-run: killed %d process%s left behind by the program\n",
		       left, left == 1 ? "" : "es");
	if (WIFSIGNALED(status)) {
		printf("# sc-run: killed by %s\n", sc_signame(WTERMSIG(status)));
		return 128 + WTERMSIG(status);
	}
	return WEXITSTATUS(status);
}
