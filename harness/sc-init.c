// SPDX-License-Identifier: GPL-2.0-only
/*
 * sc-init: PID 1 of the qemu guest that harness/qemu-run boots (--kernel).
 *
 * It reads /etc/sc-init.conf (written by qemu-run into the initramfs: NUL-terminated
 * records "A:arg", "E:NAME=value", "M:module.ko", "L:RESOURCE:soft:hard", "S:ext4|tmpfs",
 * "T:TMPDIR", "C:working directory", "B:/sc/N=host path", "F:FS=DEVICE" or "F:tmpfs="),
 * and then:
 *   - mounts proc, sysfs, devtmpfs, devpts, /dev/shm, /tmp and /run (tmpfs), mqueue;
 *     brings the loopback interface up and sets the hostname (sysconform-guest);
 *   - says "ready" on the control port (ttyS2), then once a second "alive" while the
 *     command runs (qemu-run's watchdog: a guest that stops saying it has hung);
 *   - loads the listed modules (virtio for the scratch disk) with finit_module(2);
 *   - makes TMPDIR: a directory of the ext4 scratch disk /dev/vda (S:ext4) bind-mounted
 *     at the TMPDIR path, or a directory on the /tmp tmpfs; says which on the output;
 *   - mounts each filesystem of F: (qemu-run --fs: DEVICE made with mkfs.FS, or a
 *     tmpfs) at TMPDIR/fs-FS, and says "filesystem FS at DIR" or "no filesystem FS: WHY";
 *   - bind-mounts each program /sc/N of the initramfs on its host path (B:), after the
 *     mounts above, which would otherwise hide a checkout under /tmp, /run or TMPDIR;
 *   - runs the command as root with that environment and those limits, its stdin
 *     /dev/null, its stdout and stderr one pipe that sc-init relays to the output port
 *     (ttyS1, raw), so that the command sees a pipe as it does natively and no kernel
 *     message (those go to the console, ttyS0) mixes into its output;
 *   - when it has ended: "exit N" on the control port, kills what is left, syncs,
 *     unmounts the scratch disk and powers off.
 * Lines it writes to the output itself start with "# qemu-run: ".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#define MAXREC 4096

static char *args[MAXREC], *envs[MAXREC], *mods[64], *binds[MAXREC], *fss[8];
static int nargs, nenvs, nmods, nbinds, nfss;
static const char *scratch = "tmpfs", *tmpdir = "/tmp", *cwd = "/";
static int out_fd = -1, ctl_fd = -1;

/* To the console (the kernel log), for the console log qemu-run keeps. */
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "sc-init: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static void put(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len && fd >= 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= n;
	}
}

static void ctl(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put(ctl_fd, buf);
}

static void poweroff(void)
{
	if (out_fd >= 0)
		tcdrain(out_fd);
	if (ctl_fd >= 0)
		tcdrain(ctl_fd);
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void fail(const char *what)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "# qemu-run: guest init: %s: %s\n", what, strerror(errno));
	say("%s", buf + 13);
	put(out_fd, buf);
	ctl("exit 125\n");
	poweroff();
}

static void read_conf(void)
{
	static char buf[1 << 20];
	int fd = open("/etc/sc-init.conf", O_RDONLY | O_CLOEXEC);
	ssize_t len = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

	if (len < 0)
		fail("/etc/sc-init.conf");
	close(fd);
	buf[len] = 0;
	for (char *p = buf; p < buf + len; p += strlen(p) + 1) {
		char *v = p + 2;

		if (strlen(p) < 2 || p[1] != ':')
			continue;
		switch (p[0]) {
		case 'A': if (nargs < MAXREC - 1) args[nargs++] = v; break;
		case 'E': if (nenvs < MAXREC - 1) envs[nenvs++] = v; break;
		case 'M': if (nmods < 63) mods[nmods++] = v; break;
		case 'B': if (nbinds < MAXREC) binds[nbinds++] = v; break;
		case 'S': scratch = v; break;
		case 'F': if (nfss < 8) fss[nfss++] = v; break;
		case 'T': tmpdir = v; break;
		case 'C': cwd = v; break;
		case 'L': {
			static const struct { const char *name; int res; } lim[] = {
				{ "NOFILE", RLIMIT_NOFILE }, { "STACK", RLIMIT_STACK },
				{ "MEMLOCK", RLIMIT_MEMLOCK }, { "CORE", RLIMIT_CORE },
				{ "NPROC", RLIMIT_NPROC }, { "MSGQUEUE", RLIMIT_MSGQUEUE },
			};
			char name[32];
			unsigned long long soft, hard;

			if (sscanf(v, "%31[A-Z]:%llu:%llu", name, &soft, &hard) != 3)
				break;
			for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++)
				if (!strcmp(lim[i].name, name)) {
					struct rlimit r = { soft, hard };

					/* "unlimited" comes as ULLONG_MAX == RLIM_INFINITY */
					if (setrlimit(lim[i].res, &r))
						say("setrlimit %s %llu %llu: %s", name, soft, hard,
						    strerror(errno));
				}
			break;
		}
		}
	}
	args[nargs] = NULL;
	envs[nenvs] = NULL;
}

static void mnt(const char *src, const char *dst, const char *type, unsigned long flags,
		const char *data)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, flags, data) && errno != EBUSY)
		say("mount %s on %s: %s", type, dst, strerror(errno));
}

static int open_port(const char *path)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	struct termios t;

	if (fd < 0)
		return -1;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		t.c_cflag &= ~CRTSCTS;
		t.c_cflag |= CLOCAL;
		cfsetspeed(&t, B115200);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void mkdirs(const char *path)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s", path);
	for (char *s = p + 1; *s; s++)
		if (*s == '/') {
			*s = 0;
			mkdir(p, 0755);
			*s = '/';
		}
	mkdir(p, 0755);
}

static void load_modules(void)
{
	for (int i = 0; i < nmods; i++) {
		int fd = open(mods[i], O_RDONLY | O_CLOEXEC);

		size_t len = strlen(mods[i]);
		/* .ko.xz, .ko.zst, .ko.gz: the kernel decompresses (CONFIG_MODULE_DECOMPRESS) */
		int flags = len > 3 && strcmp(mods[i] + len - 3, ".ko") ? 4 /* MODULE_INIT_COMPRESSED_FILE */ : 0;

		if (fd < 0 || (syscall(SYS_finit_module, fd, "", flags) && errno != EEXIST))
			say("module %s: %s", mods[i], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

/* The loopback interface up (127.0.0.1, ::1), as on any booted system; and a hostname. */
static void net_lo(void)
{
	struct ifreq ifr = { 0 };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) ||
	    (ifr.ifr_flags |= IFF_UP | IFF_RUNNING, ioctl(s, SIOCSIFFLAGS, &ifr)))
		say("loopback up: %s", strerror(errno));
	if (s >= 0)
		close(s);
	if (sethostname("sysconform-guest", 16))
		say("sethostname: %s", strerror(errno));
}

/* TMPDIR on the ext4 scratch disk when there is one; else on the /tmp tmpfs. */
static void make_tmpdir(void)
{
	char line[4600], dir[4200];
	const char *fs = "tmpfs";

	mkdirs(tmpdir);
	if (!strcmp(scratch, "ext4")) {
		struct timespec pause = { 0, 20000000 };
		int i;

		for (i = 0; i < 250 && access("/dev/vda", F_OK); i++)	/* up to 5 s */
			nanosleep(&pause, NULL);
		mkdir("/mnt", 0755);
		mkdir("/mnt/scratch", 0755);
		snprintf(dir, sizeof(dir), "/mnt/scratch/tmpdir");
		if (access("/dev/vda", F_OK))
			say("no /dev/vda: TMPDIR on tmpfs");
		else if (mount("/dev/vda", "/mnt/scratch", "ext4", 0, NULL))
			say("mount /dev/vda (ext4): %s: TMPDIR on tmpfs", strerror(errno));
		else if (mkdir(dir, 01777) && errno != EEXIST)
			say("mkdir %s: %s", dir, strerror(errno));
		else if (chmod(dir, 01777), mount(dir, tmpdir, NULL, MS_BIND, NULL))
			say("bind %s on %s: %s", dir, tmpdir, strerror(errno));
		else
			fs = "ext4";
	}
	chmod(tmpdir, 0755);
	snprintf(line, sizeof(line), "# qemu-run: scratch filesystem %s (TMPDIR %s%s)\n", fs,
		 tmpdir, !strcmp(fs, "ext4") ? " on /dev/vda" :
		 !strcmp(scratch, "ext4") ? ", the ext4 disk could not be used" : "");
	put(out_fd, line);
	say("%.*s", (int)strlen(line + 12) - 1, line + 12);
}

/* Wait up to 5 s for the device node PATH (a virtio disk the kernel is still probing). */
static int wait_for_device(const char *path)
{
	struct timespec pause = { 0, 20000000 };

	for (int i = 0; i < 250 && access(path, F_OK); i++)
		nanosleep(&pause, NULL);
	return access(path, F_OK);
}

/* The filesystems of --fs at TMPDIR/fs-NAME (F:NAME=DEVICE; tmpfs: no device). */
static void mount_filesystems(void)
{
	for (int i = 0; i < nfss; i++) {
		char *dev = strchr(fss[i], '='), dir[4200], line[9000], why[4400] = "";

		if (!dev)
			continue;
		*dev++ = 0;
		snprintf(dir, sizeof(dir), "%s/fs-%s", tmpdir, fss[i]);
		if (mkdir(dir, 0755) && errno != EEXIST)
			snprintf(why, sizeof(why), "mkdir %s: %s", dir, strerror(errno));
		else if (!strcmp(fss[i], "tmpfs") ? mount("tmpfs", dir, "tmpfs", 0, "mode=0755") :
			 wait_for_device(dev) ? (errno = ENOENT, -1) :
			 mount(dev, dir, fss[i], 0, NULL))
			snprintf(why, sizeof(why), "mount %s on %s: %s", *dev ? dev : "tmpfs", dir,
				 strerror(errno));
		else
			chmod(dir, 0755);
		if (why[0]) {
			rmdir(dir);	/* no directory: the cases say so, nothing runs on the wrong fs */
			snprintf(line, sizeof(line), "# qemu-run: no filesystem %s: %s\n", fss[i], why);
		} else {
			snprintf(line, sizeof(line), "# qemu-run: filesystem %s at %s (%s)\n", fss[i], dir,
				 *dev ? dev : "tmpfs");
		}
		put(out_fd, line);
		say("%.*s", (int)strlen(line + 12) - 1, line + 12);
	}
}

/* Each program at its host path: /sc/N bind-mounted on a file made there (B:/sc/N=PATH). */
static void bind_programs(void)
{
	for (int i = 0; i < nbinds; i++) {
		char *path = strchr(binds[i], '='), *slash, what[512];
		int fd;

		if (!path)
			continue;
		*path++ = 0;
		slash = strrchr(path, '/');
		if (slash && slash != path) {
			*slash = 0;
			mkdirs(path);
			*slash = '/';
		}
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
		if (fd >= 0)
			close(fd);
		if (fd < 0 || mount(binds[i], path, NULL, MS_BIND, NULL)) {
			snprintf(what, sizeof(what), "bind %s on %s", binds[i], path);
			fail(what);
		}
	}
}

int main(void)
{
	int p[2], status = 0, code = 0, reading = 1, ended = 0;
	pid_t pid;
	time_t last = 0;

	if (getpid() != 1) {
		fprintf(stderr, "sc-init: only for PID 1 of a qemu-run guest\n");
		return 2;
	}
	mnt("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mnt("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	mnt("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	/* the console: stdin, stdout and stderr of sc-init (kernel log: ttyS0) */
	{
		int fd = open("/dev/console", O_RDWR | O_NOCTTY);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	out_fd = open_port("/dev/ttyS1");
	ctl_fd = open_port("/dev/ttyS2");
	if (out_fd < 0 || ctl_fd < 0) {
		say("cannot open the output/control ports ttyS1/ttyS2: %s", strerror(errno));
		poweroff();
	}
	ctl("ready\n");
	say("ready");
	mnt("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=666");
	mnt("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	mnt("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
	mnt("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
	mnt("mqueue", "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	read_conf();
	net_lo();
	load_modules();
	make_tmpdir();
	mount_filesystems();
	bind_programs();
	if (!nargs) {		/* a probe boot (qemu-run's KVM check): nothing to run */
		ctl("exit 0\n");
		poweroff();
	}
	if (pipe2(p, O_CLOEXEC))
		fail("pipe");
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		setsid();
		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		if (chdir(cwd) && chdir("/"))
			_exit(127);
		execve(args[0], args, envs);
		dprintf(1, "# qemu-run: guest init: cannot execute %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
	close(p[1]);
	/* Relay the command's output; reap every child (orphans come to PID 1). */
	while (reading || !ended) {
		struct pollfd pf = { .fd = p[0], .events = POLLIN };
		time_t now = time(NULL);
		pid_t r;

		if (now != last) {
			ctl("alive\n");
			last = now;
		}
		if (reading && poll(&pf, 1, ended ? 2000 : 1000) > 0) {
			char buf[65536];
			ssize_t n = read(p[0], buf, sizeof(buf));

			if (n > 0) {
				for (char *s = buf; s < buf + n;) {
					ssize_t w = write(out_fd, s, buf + n - s);

					if (w < 0 && errno == EINTR)
						continue;
					if (w <= 0)
						break;
					s += w;
				}
			} else if (n == 0 || errno != EINTR) {
				reading = 0;
			}
		} else if (reading && ended) {
			reading = 0;	/* a leftover holds the pipe open: 2 s of silence, done */
		} else if (!reading) {
			struct timespec pause = { 0, 100000000 };

			nanosleep(&pause, NULL);
		}
		while ((r = waitpid(-1, &status, WNOHANG)) > 0)
			if (r == pid) {
				ended = 1;
				code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			}
	}
	tcdrain(out_fd);
	ctl("exit %d\n", code);
	say("the command exited with status %d", code);
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0)
		;
	sync();
	umount2(tmpdir, MNT_DETACH);
	umount("/mnt/scratch");
	poweroff();
	return 0;
}
