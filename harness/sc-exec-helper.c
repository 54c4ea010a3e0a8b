// SPDX-License-Identifier: GPL-2.0-only
/*
 * sc-exec-helper: the program tests execve() into, to see what survives an exec.
 *
 *   sc-exec-helper [--wait] FD...
 *   sc-exec-helper --subreaper
 *
 * With --subreaper prints "subreaper N", what PR_GET_CHILD_SUBREAPER says (-1: an error).
 * For each FD prints one line to stdout: "FD closed", or
 * "FD open cloexec=0|1 flags=0xFLAGS offset=N" (offset -1 with ESPIPE).
 * With --wait it then blocks until its stdin reaches end of file (or 10 s pass),
 * so that a test can look at it (locks it holds) while it is alive.
 * Tests find it with sc_helper_path("sc-exec-helper").
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

int main(int argc, char **argv)
{
	int i = 1, wait = 0, v = -1;

	if (argc == 2 && !strcmp(argv[1], "--subreaper")) {
		printf("subreaper %d\n", prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) ? -1 : v);
		return 0;
	}

	if (i < argc && !strcmp(argv[i], "--wait")) {
		wait = 1;
		i++;
	}
	for (; i < argc; i++) {
		int fd = atoi(argv[i]);
		int fdfl = fcntl(fd, F_GETFD), fl = fcntl(fd, F_GETFL);

		if (fdfl < 0)
			printf("%d closed\n", fd);
		else
			printf("%d open cloexec=%d flags=0x%x offset=%lld\n", fd,
			       !!(fdfl & FD_CLOEXEC), fl, (long long)lseek(fd, 0, SEEK_CUR));
	}
	fflush(stdout);
	if (wait) {
		struct pollfd p = { .fd = 0, .events = POLLIN };
		char c;

		while (poll(&p, 1, 10000) == 1 && read(0, &c, 1) > 0)
			;
	}
	return 0;
}
