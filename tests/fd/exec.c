// SPDX-License-Identifier: GPL-2.0-only
/*
 * What survives execve(): FD_CLOEXEC descriptors are closed, the others stay at
 * their numbers on the same open file description; shell-style redirection built
 * from open/dup2/close before exec. The exec'd program is build/harness/sc-exec-helper,
 * which prints "FD closed" or "FD open cloexec=C flags=0xF offset=N" per argument.
 * Man pages: execve(2), fcntl(2), dup(2), kcmp(2).
 */
#include <linux/kcmp.h>
#include "sysconform.h"
#include "compat.h"

extern char **environ;

/* A 50-byte file "f" in a private temp dir. */
FIXTURE(file) {
	struct sc_tmpdir tmp;
	int fd;
	char out[1024];
};

FIXTURE_SETUP(file)
{
	char buf[50];

	self->fd = -1;
	sc_tmpdir_setup(_metadata, &self->tmp);
	memset(buf, 'e', sizeof(buf));
	SC_SETUP(sc_write_file("f", buf, sizeof(buf)));
	self->fd = SC_SETUP(open("f", O_RDWR | O_CLOEXEC));
}

FIXTURE_TEARDOWN(file)
{
	if (self->fd >= 0)
		close(self->fd);
	sc_tmpdir_teardown(&self->tmp);
}

/*
 * Read FD into BUF (NUL-terminated) until end of file, or until LINES newlines
 * came (LINES > 0), for at most SC_WAIT_MS in all. Returns the length, or -1.
 */
static ssize_t read_bounded(int fd, char *buf, size_t size, int lines)
{
	int64_t deadline = sc_now_ns() + (int64_t)SC_WAIT_MS * 1000000;
	size_t len = 0;

	buf[0] = 0;
	while (len + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int left = (int)((deadline - sc_now_ns()) / 1000000), r;
		ssize_t n;

		if (left <= 0)
			return -1;
		r = poll(&p, 1, left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		buf[len] = 0;
		if (lines > 0) {
			int seen = 0;

			for (char *c = buf; *c; c++)
				seen += *c == '\n';
			if (seen >= lines)
				break;
		}
	}
	return len;
}

#define EXEC_FAILED 92	/* spawn_helper's child: execve() failed (90, 91: dup2) */

/*
 * Fork a child that puts the write end of a pipe on its stdout (and IN, if >= 0, on
 * its stdin) and execs sc-exec-helper with ARGS ("--wait", fd numbers...). Returns
 * the pid; *out_rd is the read end of its stdout.
 */
static pid_t spawn_helper(int *out_rd, int in, const char *const *args)
{
	char *argv[16];
	int p[2], n = 0;
	pid_t pid;

	if (sc_sync_pair(p))
		return -1;
	argv[n++] = (char *)sc_helper_path("sc-exec-helper");
	for (; *args && n < 15; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	pid = sc_fork();
	if (pid == 0) {
		if (dup2(p[1], 1) != 1)
			_exit(90);
		if (in >= 0 && dup2(in, 0) != 0)
			_exit(91);
		execve(argv[0], argv, environ);
		_exit(EXEC_FAILED);
	}
	close(p[1]);
	if (pid < 0)
		close(p[0]);
	else
		*out_rd = p[0];
	return pid;
}

/* The helper's line for FD ("FD closed" / "FD open ..."), up to its newline; "" if none. */
static const char *helper_line(const char *out, int fd)
{
	static char line[256];
	char head[16];
	const char *p = out;

	snprintf(head, sizeof(head), "%d ", fd);
	line[0] = 0;
	while (p && *p) {
		if (!strncmp(p, head, strlen(head))) {
			size_t n = strcspn(p, "\n");

			snprintf(line, sizeof(line), "%.*s", (int)n, p);
			break;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return line;
}

/* A child that could not execve() PATH is a setup error, not a divergence. */
static void exec_failed_is_error(struct __test_metadata *_metadata, int st, const char *path)
{
	if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == EXEC_FAILED)
		SC_ERROR("execve(%s) failed", path);
}

/* Exec the helper on ARGS and leave its whole output in OUT; the wait status. */
static int run_helper(struct __test_metadata *_metadata, char *out, size_t size,
		      const char *const *args)
{
	int rd = -1, st;
	pid_t pid = SC_SETUP(spawn_helper(&rd, -1, args));

	read_bounded(rd, out, size, 0);
	close(rd);
	st = sc_wait(pid);
	exec_failed_is_error(_metadata, st, sc_helper_path("sc-exec-helper"));
	return st;
}

/* FD as a decimal string (four rotating buffers, for argument lists). */
static const char *num(int fd)
{
	static char s[4][12];
	static int i;
	char *p = s[i++ % 4];

	snprintf(p, 12, "%d", fd);
	return p;
}

/* FD-12 execve(2): a descriptor with FD_CLOEXEC is closed by a successful execve(). */
TEST_F(file, exec_closes_cloexec_descriptor)
{
	char want[64];
	int st;

	ASSERT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->fd, F_GETFD));
	st = run_helper(_metadata, self->out, sizeof(self->out), (const char *[]){ num(self->fd), NULL });
	ASSERT_EQ(0, st) {
		TH_LOG("helper %s", sc_status_str(st));
	}
	snprintf(want, sizeof(want), "%d closed", self->fd);
	EXPECT_STREQ(want, helper_line(self->out, self->fd));
}

/* FD-12 execve(2): a descriptor without FD_CLOEXEC stays open at its number with its offset and status flags. */
TEST_F(file, exec_keeps_plain_descriptor_offset_and_flags)
{
	unsigned int flags = 0;
	int cloexec = -1, st;
	long long off = -1;
	const char *line;

	SC_OK(fcntl(self->fd, F_SETFD, 0));
	SC_OK(fcntl(self->fd, F_SETFL, O_APPEND));
	SC_OK(lseek(self->fd, 7, SEEK_SET));
	st = run_helper(_metadata, self->out, sizeof(self->out), (const char *[]){ num(self->fd), NULL });
	ASSERT_EQ(0, st) {
		TH_LOG("helper %s", sc_status_str(st));
	}
	line = helper_line(self->out, self->fd);
	ASSERT_EQ(3, sscanf(line + strlen(num(self->fd)), " open cloexec=%d flags=%x offset=%lld",
			    &cloexec, &flags, &off)) {
		TH_LOG("helper said: %s", self->out);
	}
	EXPECT_EQ(0, cloexec);
	EXPECT_EQ(O_RDWR, flags & O_ACCMODE);
	EXPECT_EQ(O_APPEND, flags & O_APPEND);
	EXPECT_EQ(7, off);
}

/* FD-04 FD-12 execve(2): of an FD_CLOEXEC fd and its dup, exec closes only the original. */
TEST_F(file, exec_keeps_dup_of_cloexec_descriptor)
{
	char want[64];
	int d, st;

	SC_OK(lseek(self->fd, 3, SEEK_SET));
	d = SC_OK(dup(self->fd));
	st = run_helper(_metadata, self->out, sizeof(self->out),
			(const char *[]){ num(self->fd), num(d), NULL });
	ASSERT_EQ(0, st) {
		TH_LOG("helper %s", sc_status_str(st));
	}
	snprintf(want, sizeof(want), "%d closed", self->fd);
	EXPECT_STREQ(want, helper_line(self->out, self->fd));
	snprintf(want, sizeof(want), "%d open cloexec=0 ", d);
	EXPECT_EQ(0, strncmp(want, helper_line(self->out, d), strlen(want))) {
		TH_LOG("helper said: %s", self->out);
	}
	EXPECT_NE(NULL, strstr(helper_line(self->out, d), " offset=3")) {
		TH_LOG("helper said: %s", self->out);
	}
	close(d);
}

/* FD-08 FD-09 FD-12 execve(2): descriptors made by dup3(O_CLOEXEC) and F_DUPFD_CLOEXEC are closed by exec. */
TEST_F(file, exec_closes_dup3_and_f_dupfd_cloexec_results)
{
	char want[64];
	int plain, a, b, st;

	SC_REQUIRE_FEATURE(flags_2627);
	SC_REQUIRE_FEATURE(f_dupfd_cloexec);
	plain = SC_OK(dup(self->fd));
	a = SC_OK(fcntl(plain, F_DUPFD_CLOEXEC, 60));
	b = SC_OK(dup3(plain, 70, O_CLOEXEC));
	st = run_helper(_metadata, self->out, sizeof(self->out),
			(const char *[]){ num(plain), num(a), num(b), NULL });
	ASSERT_EQ(0, st) {
		TH_LOG("helper %s", sc_status_str(st));
	}
	snprintf(want, sizeof(want), "%d closed", a);
	EXPECT_STREQ(want, helper_line(self->out, a));
	snprintf(want, sizeof(want), "%d closed", b);
	EXPECT_STREQ(want, helper_line(self->out, b));
	snprintf(want, sizeof(want), "%d open cloexec=0 ", plain);
	EXPECT_EQ(0, strncmp(want, helper_line(self->out, plain), strlen(want))) {
		TH_LOG("helper said: %s", self->out);
	}
	close(a);
	close(b);
	close(plain);
}

/* FD-12 FD-19 execve(2) kcmp(2): the fd kept across exec is on the parent's open file description (KCMP_FILE 0). */
TEST_F(file, exec_keeps_same_open_file_description)
{
	int in[2], rd = -1, st;
	long r;
	pid_t pid;

	SC_REQUIRE_FEATURE(kcmp);
	SC_OK(fcntl(self->fd, F_SETFD, 0));
	SC_SETUP(sc_sync_pair(in));
	pid = SC_SETUP(spawn_helper(&rd, in[0], (const char *[]){ "--wait", num(self->fd), NULL }));
	close(in[0]);
	/* The helper has exec'd once it printed its line; it then waits for EOF on stdin. */
	if (read_bounded(rd, self->out, sizeof(self->out), 1) <= 0) {
		close(in[1]);
		st = sc_wait(pid);
		exec_failed_is_error(_metadata, st, sc_helper_path("sc-exec-helper"));
		ASSERT_EQ(0, st) {
			TH_LOG("helper printed nothing and %s", sc_status_str(st));
		}
	}
	r = sc_kcmp(getpid(), pid, KCMP_FILE, self->fd, self->fd);
	EXPECT_EQ(0, r) {
		TH_LOG("kcmp -> %ld %s; helper said: %s", r, r < 0 ? sc_errname(errno) : "",
		       self->out);
	}
	close(in[1]);
	close(rd);
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("helper %s", sc_status_str(st));
	}
}

/* FD-20 execve(2): open("out"), dup2(fd,1), close(fd), exec of /bin/echo hi leaves "hi\n" in out. */
TEST_F(file, redirected_stdout_of_echo_lands_in_file)
{
	char buf[16] = { 0 };
	int st, fd;
	pid_t pid;

	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		char *argv[] = { "echo", "hi", NULL };
		int out = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (out < 0)
			_exit(1);
		if (dup2(out, 1) != 1)
			_exit(2);
		if (close(out) != 0)
			_exit(3);
		execve("/bin/echo", argv, environ);
		_exit(EXEC_FAILED);
	}
	st = sc_wait(pid);
	exec_failed_is_error(_metadata, st, "/bin/echo");
	ASSERT_EQ(0, st) {
		TH_LOG("child %s", sc_status_str(st));
	}
	fd = SC_OK(open("out", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(3, read(fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ("hi\n", buf);
	close(fd);
}

/* FD-20 execve(2): after open/dup2(fd,1)/close(fd), the temporary fd is not open in the exec'd program. */
TEST_F(file, redirection_temporary_fd_is_not_open_after_exec)
{
	char buf[512] = { 0 }, want[64];
	int st, fd, tmpfd;
	pid_t pid;

	tmpfd = SC_OK(open("/dev/null", O_RDONLY));
	close(tmpfd);	/* the child's open() below gets this lowest free number */
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		char num[12], *argv[4] = { (char *)sc_helper_path("sc-exec-helper"), num, "1", NULL };
		int out = open("out", O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (out != tmpfd)
			_exit(1);
		snprintf(num, sizeof(num), "%d", out);
		if (dup2(out, 1) != 1 || close(out) != 0)
			_exit(2);
		execve(argv[0], argv, environ);
		_exit(EXEC_FAILED);
	}
	st = sc_wait(pid);
	exec_failed_is_error(_metadata, st, sc_helper_path("sc-exec-helper"));
	ASSERT_EQ(0, st) {
		TH_LOG("child %s", sc_status_str(st));
	}
	fd = SC_OK(open("out", O_RDONLY | O_CLOEXEC));
	EXPECT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	snprintf(want, sizeof(want), "%d closed", tmpfd);
	EXPECT_STREQ(want, helper_line(buf, tmpfd)) {
		TH_LOG("helper said: %s", buf);
	}
	EXPECT_EQ(0, strncmp("1 open cloexec=0 flags=0x", helper_line(buf, 1), 25)) {
		TH_LOG("helper said: %s", buf);
	}
}

/* FD-20 dup(2): "2>&1 >/dev/null" as dup2(pipe,1), dup2(1,2), dup2(null,1) leaves 2 on the pipe, 1 on /dev/null. */
TEST_F(file, redirection_order_sends_only_stderr_to_pipe)
{
	char buf[8] = { 0 };
	int p[2], st;
	pid_t pid;

	SC_OK(pipe2(p, O_CLOEXEC));
	pid = SC_SETUP(sc_fork());
	if (pid == 0) {
		struct stat a, b;
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (null < 0 || stat("/dev/null", &b) != 0)
			_exit(1);
		if (dup2(p[1], 1) != 1 || dup2(1, 2) != 2 || dup2(null, 1) != 1)
			_exit(2);
		close(p[1]);
		if (fstat(1, &a) != 0 || a.st_rdev != b.st_rdev || !S_ISCHR(a.st_mode))
			_exit(3);
		if (write(1, "O", 1) != 1 || write(2, "E", 1) != 1)
			_exit(4);
		_exit(0);
	}
	close(p[1]);
	EXPECT_EQ(1, read_bounded(p[0], buf, sizeof(buf), 0));
	EXPECT_STREQ("E", buf);
	close(p[0]);
	st = sc_wait(pid);
	EXPECT_EQ(0, st) {
		TH_LOG("child %s", sc_status_str(st));
	}
}

TEST_HARNESS_MAIN
