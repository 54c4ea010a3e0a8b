// SPDX-License-Identifier: GPL-2.0-only
/*
 * sc-batch: run many test programs inside ONE wrapped environment (one gVisor
 * sandbox, one qemu guest) instead of one environment per program.
 *
 *   sc-batch [-j N] [-t SECONDS] [-p PRELOAD.so] -- [--tmpdir=DIR [--tmpfs]] PROGRAM...
 *
 * Runs each PROGRAM under sc-run (next to sc-batch: same timeout, same cleanup of
 * leftovers, LD_PRELOAD for the program only), at most N at a time, and writes each
 * program's whole output to stdout in one frame, so frames never interleave:
 *   "#sc-batch begin PROGRAM"
 *   "MS<TAB>LINE" for each line of the program's stdout and stderr, as sc-run gives
 *       them, MS the milliseconds since sc-batch started when the line came
 *   "#sc-batch end PROGRAM EXIT"     (EXIT: sc-run's exit status)
 * A "--tmpdir=DIR" among the programs gives the programs after it TMPDIR=DIR (sc-run
 * -d DIR, and -m after "--tmpfs": a private tmpfs there), and their frames name them
 * "PROGRAM TMPDIR=DIR": the runner's per-filesystem passes (--fs, --tmpdir).
 * The runner (--wrap-once) starts "WRAP-CMD sc-batch ..." once and reads the frames.
 * sc-batch dies with its parent (PR_SET_PDEATHSIG); each sc-run then ends its program.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

struct job {
	const char *prog;
	const char *tmpdir;	/* its TMPDIR, or NULL: the environment's */
	int tmpfs;		/* a private tmpfs there */
	char name[4200];	/* its name in the frames */
	pid_t pid;
	int status;		/* its wait status, once reaped (reaped != 0) */
	int reaped;
	long long reaped_ms;	/* when (ms_since_start) */
	int fd;			/* read end of the program's output, -1 when done reading */
	char *buf;
	size_t len, cap;
	int at_line_start;
};

static struct timespec t0;

/* What is kept of one program's output, at most (its stamps included): beyond the
 * runner's own limit for one program (Sysconform::Runner, 16 MB), so that the runner
 * sees it was reached and says so. */
#define KEEP_MAX (32u << 20)

static long long ms_since_start(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0.tv_sec) * 1000LL + (now.tv_nsec - t0.tv_nsec) / 1000000;
}

static char scrun[4096];

static void start(struct job *j, const char *timeout, const char *preload)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC)) {
		perror("sc-batch: pipe");
		exit(2);
	}
	j->pid = fork();
	if (j->pid == 0) {
		const char *argv[12];
		int a = 0;

		argv[a++] = scrun;
		argv[a++] = "-t";
		argv[a++] = timeout;
		if (preload) {
			argv[a++] = "-p";
			argv[a++] = preload;
		}
		if (j->tmpdir) {
			argv[a++] = "-d";
			argv[a++] = j->tmpdir;
			if (j->tmpfs)
				argv[a++] = "-m";
		}
		argv[a++] = "--";
		argv[a++] = j->prog;
		argv[a] = NULL;
		dup2(p[1], 1);
		dup2(p[1], 2);
		execv(scrun, (char **)argv);
		dprintf(1, "# sc-run: cannot execute %s: %s\n", scrun, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	j->fd = p[0];
	j->at_line_start = 1;
}

/* Read what is there; 1 when the program's output reached end of file. */
static int drain(struct job *j)
{
	char tmp[65536];
	ssize_t n = read(j->fd, tmp, sizeof(tmp));

	if (n < 0 && errno == EINTR)
		return 0;
	if (n <= 0)
		return 1;
	if (j->len > KEEP_MAX)	/* read on, keep no more (the runner cuts at 16 MB) */
		return 0;
	if (j->len + 2 * n + 32 > j->cap) {	/* room for a stamp on every line */
		j->cap = (j->len + 2 * n + 32) * 2;
		j->buf = realloc(j->buf, j->cap);
		if (!j->buf)
			exit(2);
	}
	for (ssize_t i = 0; i < n; i++) {
		if (j->at_line_start) {
			if (j->len + 64 > j->cap && !(j->buf = realloc(j->buf, j->cap *= 2)))
				exit(2);
			j->len += sprintf(j->buf + j->len, "%lld\t", ms_since_start());
			j->at_line_start = 0;
		}
		j->buf[j->len++] = tmp[i];
		j->at_line_start = tmp[i] == '\n';
	}
	return 0;
}

/*
 * Reap every child that has ended: our programs' sc-runs, and orphans re-parented
 * to us (in a sandbox sc-batch is PID 1, and gVisor has no child subreaper for
 * sc-run to keep them), which would otherwise pile up as zombies.
 */
static void reap(struct job *job, int n, int block_for)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, block_for ? 0 : WNOHANG)) > 0) {
		for (int i = 0; i < n; i++)
			if (job[i].pid == pid) {
				job[i].status = st;
				job[i].reaped = 1;
				job[i].reaped_ms = ms_since_start();
			}
		if (pid == block_for)
			return;
	}
}

static void finish(struct job *j, struct job *job, int n)
{
	int code;

	close(j->fd);
	j->fd = -1;
	if (!j->reaped)
		reap(job, n, j->pid);
	code = WIFEXITED(j->status) ? WEXITSTATUS(j->status) : 128 + WTERMSIG(j->status);
	printf("#sc-batch begin %s\n", j->name);
	fwrite(j->buf, 1, j->len, stdout);
	if (j->len && j->buf[j->len - 1] != '\n')
		putchar('\n');
	printf("#sc-batch end %s %d\n", j->name, code);
	fflush(stdout);
	free(j->buf);
	j->buf = NULL;
}

int main(int argc, char **argv)
{
	const char *timeout = "30", *preload = NULL, *tmpdir = NULL;
	int jobs = 2, opt, next, running = 0, n = 0, tmpfs = 0;
	struct job *job;
	char *slash;
	pid_t parent = getppid();

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() != parent)
		return 2;	/* the parent died before the prctl */
	while ((opt = getopt(argc, argv, "+j:t:p:")) != -1) {
		switch (opt) {
		case 'j': jobs = atoi(optarg) > 0 ? atoi(optarg) : 1; break;
		case 't': timeout = optarg; break;
		case 'p': preload = optarg; break;
		default:
			fprintf(stderr, "usage: sc-batch [-j N] [-t S] [-p LIB] -- [--tmpdir=DIR [--tmpfs]] PROGRAM...\n");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (readlink("/proc/self/exe", scrun, sizeof(scrun) - 16) <= 0 || !(slash = strrchr(scrun, '/'))) {
		fprintf(stderr, "sc-batch: cannot find sc-run next to itself\n");
		return 2;
	}
	strcpy(slash + 1, "sc-run");
	job = calloc(argc - optind + 1, sizeof(*job));
	if (!job)
		return 2;
	for (int i = optind; i < argc; i++) {
		if (!strncmp(argv[i], "--tmpdir=", 9)) {
			tmpdir = argv[i] + 9;
			tmpfs = 0;
		} else if (!strcmp(argv[i], "--tmpfs")) {
			tmpfs = 1;
		} else {
			job[n].prog = argv[i];
			job[n].tmpdir = tmpdir;
			job[n].tmpfs = tmpfs;
			snprintf(job[n].name, sizeof(job[n].name), "%s%s%s", argv[i],
				 tmpdir ? " TMPDIR=" : "", tmpdir ? tmpdir : "");
			job[n++].fd = -1;
		}
	}
	for (next = 0; next < n || running;) {
		struct pollfd pf[64];
		int idx[64], np = 0;

		while (running < jobs && running < 64 && next < n) {
			start(&job[next++], timeout, preload);
			running++;
		}
		for (int i = 0; i < next; i++)
			if (job[i].fd >= 0) {
				pf[np] = (struct pollfd){ .fd = job[i].fd, .events = POLLIN };
				idx[np++] = i;
			}
		/* Each program's sc-run ends it and its descendants in time: no wait is unbounded. */
		if (poll(pf, np, 1000) < 0 && errno != EINTR)
			return 2;
		for (int k = 0; k < np; k++)
			if (pf[k].revents && drain(&job[idx[k]])) {
				finish(&job[idx[k]], job, n);
				running--;
			}
		reap(job, n, 0);
		/*
		 * A program's sc-run has ended but its output has not: a process sc-run could
		 * not kill (a task stuck in an emulated call: gVisor) holds the pipe. Its frame
		 * ends after 2 s more, so the batch never waits on it.
		 */
		for (int i = 0; i < next; i++)
			if (job[i].fd >= 0 && job[i].reaped && ms_since_start() - job[i].reaped_ms > 2000) {
				finish(&job[i], job, n);
				running--;
			}
	}
	free(job);
	return 0;
}
