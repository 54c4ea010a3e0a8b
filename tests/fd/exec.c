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
	struct sc_file f;
	char out[1024];
};

FIXTURE_SETUP(file)
{
	sc_file_setup(_metadata, &self->f, "f", (char[50]){ 0 }, 50, O_RDWR);
}

FIXTURE_TEARDOWN(file)
{
	sc_file_teardown(&self->f);
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

/* Exec the helper on ARGS and leave its whole output in self->out; the case stops unless it exits 0. */
static void run_helper(struct __test_metadata *_metadata, FIXTURE_DATA(file) *self,
		       const char *const *args)
{
	struct sc_child c;
	int rd;

	if (sc_spawn_helper(&c, args, -1, &rd, NULL, NULL))
		SC_ERROR("%s", c.text);
	sc_read_lines(rd, self->out, sizeof(self->out), 0);	/* to end of file */
	sc_kit_close(rd);
	ASSERT_CHILD_SUCCEEDED(&c);
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

	ASSERT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(self->f.fd, F_GETFD));
	run_helper(_metadata, self, (const char *[]){ num(self->f.fd), NULL });
	snprintf(want, sizeof(want), "%d closed", self->f.fd);
	EXPECT_STREQ(want, helper_line(self->out, self->f.fd));
}

/* FD-12 execve(2): a descriptor without FD_CLOEXEC stays open at its number with its offset and status flags. */
TEST_F(file, exec_keeps_plain_descriptor_offset_and_flags)
{
	unsigned int flags = 0;
	int cloexec = -1;
	long long off = -1;
	const char *line;

	SC_OK(fcntl(self->f.fd, F_SETFD, 0));
	SC_OK(fcntl(self->f.fd, F_SETFL, O_APPEND));
	SC_OK(lseek(self->f.fd, 7, SEEK_SET));
	run_helper(_metadata, self, (const char *[]){ num(self->f.fd), NULL });
	line = helper_line(self->out, self->f.fd);
	ASSERT_EQ(3, sscanf(line + strlen(num(self->f.fd)), " open cloexec=%d flags=%x offset=%lld",
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
	int d;

	SC_OK(lseek(self->f.fd, 3, SEEK_SET));
	d = SC_OK(dup(self->f.fd));
	run_helper(_metadata, self, (const char *[]){ num(self->f.fd), num(d), NULL });
	snprintf(want, sizeof(want), "%d closed", self->f.fd);
	EXPECT_STREQ(want, helper_line(self->out, self->f.fd));
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
	int plain, a, b;

	SC_REQUIRE_FEATURE(flags_2627);
	SC_REQUIRE_FEATURE(f_dupfd_cloexec);
	plain = SC_OK(dup(self->f.fd));
	a = SC_OK(fcntl(plain, F_DUPFD_CLOEXEC, 60));
	b = SC_OK(dup3(plain, 70, O_CLOEXEC));
	run_helper(_metadata, self, (const char *[]){ num(plain), num(a), num(b), NULL });
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
	const char *const args[] = { "--wait", num(self->f.fd), NULL };
	struct sc_child c;
	int in, rd, err;
	long r;

	SC_REQUIRE_FEATURE(kcmp);
	SC_OK(fcntl(self->f.fd, F_SETFD, 0));
	if (sc_spawn_helper_io(&c, args, &in, &rd, NULL, NULL))
		SC_ERROR("%s", c.text);
	/* The helper has exec'd once it printed its line; it then waits for end of file on stdin. */
	if (sc_read_lines(rd, self->out, sizeof(self->out), 1) <= 0) {
		sc_kit_close(in);
		sc_kit_close(rd);
		ASSERT_CHILD_SUCCEEDED(&c);
		ASSERT_NE(0, self->out[0]) {
			TH_LOG("the helper printed nothing");
		}
	}
	r = sc_kcmp(getpid(), c.pid, KCMP_FILE, self->f.fd, self->f.fd);
	err = errno;
	sc_kit_close(in);
	sc_kit_close(rd);
	EXPECT_EQ(0, r) {
		TH_LOG("kcmp -> %ld %s; helper said: %s", r, r < 0 ? sc_errname(err) : "",
		       self->out);
	}
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* A child of the redirection cases: its stdout is the new file "out" (open, dup2, close). */
struct redirect {
	int want_fd;		/* the number open() must give, or -1 */
	int out;
};

static int stdout_to_out(struct redirect *r)
{
	r->out = SC_CHILD_CALL(open("out", O_WRONLY | O_CREAT | O_TRUNC, 0600));
	if (r->want_fd >= 0 && r->out != r->want_fd)
		return sc_child_fail("open(out) -> %d, expected the lowest free %d", r->out, r->want_fd);
	if (dup2(r->out, 1) != 1)
		return sc_child_fail("dup2(%d, 1) -> %s", r->out, sc_errname(errno));
	SC_CHILD_CALL(close(r->out));
	return SC_CHILD_OK;
}

static int echo_hi_to_out(void *data)
{
	char *argv[] = { "echo", "hi", NULL };
	int r = stdout_to_out(data);

	if (r)
		return r;
	execve("/bin/echo", argv, environ);
	return sc_child_error("execve(/bin/echo) -> %s", sc_errname(errno));
}

/* FD-20 execve(2): open("out"), dup2(fd,1), close(fd), exec of /bin/echo hi leaves "hi\n" in out. */
TEST_F(file, redirected_stdout_of_echo_lands_in_file)
{
	struct redirect rd = { .want_fd = -1 };
	char buf[16] = { 0 };
	struct sc_child c;
	int fd;

	sc_child_run(&c, "the child", echo_hi_to_out, &rd, 0);
	ASSERT_CHILD_SUCCEEDED(&c);
	fd = SC_OK(open("out", O_RDONLY | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(3, read(fd, buf, sizeof(buf) - 1));
	EXPECT_STREQ("hi\n", buf);
	close(fd);
}

/* The helper on the redirected stdout, asked about the temporary fd and 1. */
static int helper_to_out(void *data)
{
	const char *path = sc_helper_path("sc-exec-helper");
	struct redirect *rd = data;
	char *argv[4] = { (char *)path, (char *)num(rd->want_fd), "1", NULL };
	int r = stdout_to_out(rd);

	if (r)
		return r;
	execve(path, argv, environ);
	return sc_child_error("execve(%s) -> %s", path, sc_errname(errno));
}

/* FD-20 execve(2): after open/dup2(fd,1)/close(fd), the temporary fd is not open in the exec'd program. */
TEST_F(file, redirection_temporary_fd_is_not_open_after_exec)
{
	char buf[512] = { 0 }, want[64];
	struct redirect rd;
	struct sc_child c;
	int fd;

	rd.want_fd = SC_OK(open("/dev/null", O_RDONLY));
	close(rd.want_fd);	/* the child's open() below gets this lowest free number */
	sc_child_run(&c, "the child", helper_to_out, &rd, 0);
	ASSERT_CHILD_SUCCEEDED(&c);
	fd = SC_OK(open("out", O_RDONLY | O_CLOEXEC));
	EXPECT_LT(0, read(fd, buf, sizeof(buf) - 1));
	close(fd);
	snprintf(want, sizeof(want), "%d closed", rd.want_fd);
	EXPECT_STREQ(want, helper_line(buf, rd.want_fd)) {
		TH_LOG("helper said: %s", buf);
	}
	EXPECT_EQ(0, strncmp("1 open cloexec=0 flags=0x", helper_line(buf, 1), 25)) {
		TH_LOG("helper said: %s", buf);
	}
}

/* "2>&1 >/dev/null": dup2(pipe,1), dup2(1,2), dup2(null,1); then 'O' to 1 and 'E' to 2. */
static int stderr_to_pipe(void *data)
{
	int *p = data, null = SC_CHILD_CALL(open("/dev/null", O_WRONLY | O_CLOEXEC));
	struct stat a, b;

	SC_CHILD_CALL(stat("/dev/null", &b));
	if (dup2(p[1], 1) != 1 || dup2(1, 2) != 2 || dup2(null, 1) != 1)
		return sc_child_fail("dup2(pipe, 1), dup2(1, 2), dup2(null, 1): %s", sc_errname(errno));
	close(p[1]);
	SC_CHILD_CALL(fstat(1, &a));
	if (a.st_rdev != b.st_rdev || !S_ISCHR(a.st_mode))
		return sc_child_fail("1 is not /dev/null");
	SC_CHILD_CALL(write(1, "O", 1));
	SC_CHILD_CALL(write(2, "E", 1));
	return SC_CHILD_OK;
}

/* FD-20 dup(2): "2>&1 >/dev/null" as dup2(pipe,1), dup2(1,2), dup2(null,1) leaves 2 on the pipe, 1 on /dev/null. */
TEST_F(file, redirection_order_sends_only_stderr_to_pipe)
{
	char buf[8] = { 0 };
	struct sc_child c;
	int p[2];

	SC_OK(pipe2(p, O_CLOEXEC));
	SC_CHILD_START(&c, "the child", stderr_to_pipe, p, 0);
	close(p[1]);
	EXPECT_EQ(1, sc_read_lines(p[0], buf, sizeof(buf), 0));
	EXPECT_STREQ("E", buf);
	close(p[0]);
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
