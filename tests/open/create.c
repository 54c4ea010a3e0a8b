// SPDX-License-Identifier: GPL-2.0-only
/*
 * create: making files with open(): mode, owner and group (OPEN-02), O_EXCL and
 * its atomicity (OPEN-03), a dangling symlink followed (OPEN-04), and the umask
 * (OPEN-11), and creat() (OPEN-21). Man pages: open(2), umask(2).
 */
#include <sys/fsuid.h>
#include "open.h"

/* OPEN-02 open(2): O_CREAT makes a regular file with mode (mode & ~umask): 0666 under umask 022 gives 0644. */
TEST_F(dir, create_makes_regular_file_with_mode_minus_umask)
{
	struct stat st;
	int fd;

	umask(022);
	fd = SC_OK(open("f", O_WRONLY | O_CREAT | O_CLOEXEC, 0666));
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode)) {
		TH_LOG("the new file has type 0%o", st.st_mode & S_IFMT);
	}
	EXPECT_EQ(0644, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_size);
	close(fd);
}

/* OPEN-02 open(2): a new file's st_uid and st_gid are the caller's fsuid and fsgid (in a directory that is not set-group-ID). */
TEST_F(dir, create_gives_caller_fsuid_and_fsgid)
{
	struct stat st;
	int fd;

	open_dir_mode(_metadata, 0700);	/* not set-group-ID */
	fd = SC_OK(open("f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(geteuid(), st.st_uid);
	EXPECT_EQ(getegid(), st.st_gid);
	close(fd);
}

/* What the child of create_with_fsuid() saw: the new file's stat, or setfsuid()'s ENOSYS. */
struct fsuid_create {
	struct stat st;
	int missing;
};

/* A child that becomes fsuid/fsgid 65534 (its euid stays 0) and creates "f". */
static int create_with_fsuid(void *data)
{
	struct fsuid_create *r = data;
	int fd;

	errno = 0;
	if (setfsgid(65534) == -1 && errno == ENOSYS) {
		r->missing = ENOSYS;
		return SC_CHILD_OK;
	}
	setfsuid(65534);
	if ((uid_t)setfsuid(-1) != 65534 || (gid_t)setfsgid(-1) != 65534)
		return sc_child_error("setfsuid/setfsgid(65534) did not take");
	fd = open("f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return sc_child_fail("open(f, O_CREAT) with fsuid 65534 -> %s", sc_errname(errno));
	if (fstat(fd, &r->st))
		return sc_child_fail("fstat() -> %s", sc_errname(errno));
	close(fd);
	return SC_CHILD_OK;
}

/* OPEN-02 open(2): the owner of a new file is the caller's fsuid/fsgid, not its euid: root with fsuid/fsgid 65534 makes a file owned by 65534:65534. */
TEST_F(dir, create_owner_follows_fsuid_not_euid)
{
	struct fsuid_create r = { .missing = 0 };
	struct sc_child c;

	if (!open_root())
		SKIP(return, "needs root (setfsuid() to another uid)");
	open_dir_mode(_metadata, 0777);
	sc_child_run(&c, "the creator", create_with_fsuid, &r, sizeof(r));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_CHILD_SUCCEEDED(&c);
	if (r.missing)	/* without setfsuid() the fsuid is the euid: nothing to tell apart */
		SKIP(return, "needs setfsuid() to tell the fsuid from the euid: %s", sc_errname(r.missing));
	EXPECT_EQ(65534, r.st.st_uid);
	EXPECT_EQ(65534, r.st.st_gid);
}

/* A group of the caller's other than its egid, or (gid_t)-1 (root may take any: 65534). */
static gid_t other_group(void)
{
	gid_t groups[64];
	int n = getgroups(64, groups);

	if (open_root())
		return getegid() == 65534 ? 65533 : 65534;
	for (int i = 0; i < n; i++)
		if (groups[i] != getegid())
			return groups[i];
	return (gid_t)-1;
}

/* OPEN-02 open(2): in a set-group-ID directory a new file takes the directory's gid, not the caller's fsgid. */
TEST_F(dir, create_in_setgid_directory_takes_directory_gid)
{
	gid_t g = other_group();
	struct stat st;
	int fd;

	if (g == (gid_t)-1)
		SKIP(return, "needs root (or a supplementary group: a directory of another gid)");
	SC_SETUP(mkdir("g", 0700));
	SC_SETUP(chown("g", -1, g));
	SC_SETUP(chmod("g", 02770));
	SC_SETUP(stat("g", &st));
	if (!(st.st_mode & S_ISGID) || st.st_gid != g)
		SC_ERROR("the directory is %o, gid %u: chmod g+s did not take", st.st_mode, st.st_gid);
	fd = SC_OK(open("g/f", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(g, st.st_gid) {
		TH_LOG("a new file in a set-group-ID directory of gid %u has gid %u (the caller's: %u)",
		       g, st.st_gid, getegid());
	}
	close(fd);
}

/* OPEN-02 open(2): O_CREAT without O_EXCL on an existing file opens it: the mode argument is ignored and the data stays. */
TEST_F(dir, create_on_existing_file_keeps_mode_and_data)
{
	char buf[16];
	struct stat st;
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(chmod("f", 0640));
	fd = SC_OK(open("f", O_RDWR | O_CREAT | O_CLOEXEC, 0606));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0640, st.st_mode & 07777);
	EXPECT_STREQ("abc", open_content(fd, buf, sizeof(buf)));
	close(fd);
}

/* OPEN-03 open(2): O_CREAT|O_EXCL on an existing file fails with EEXIST and leaves it alone. */
TEST_F(dir, create_excl_on_existing_file_fails_eexist)
{
	char buf[16];

	SC_SETUP(sc_write_file("f", "abc", 3));
	EXPECT_SYSCALL_FAILS(EEXIST, open("f", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EEXIST, open("f", O_RDWR | O_CREAT | O_EXCL | O_TRUNC | O_CLOEXEC, 0600));
	EXPECT_STREQ("abc", open_content_at(AT_FDCWD, "f", buf, sizeof(buf)));
}

/* OPEN-03 open(2): O_CREAT|O_EXCL on a symlink fails with EEXIST, dangling or not, and the link is not followed (its target is not created). */
TEST_F(dir, create_excl_on_symlink_fails_eexist_without_following)
{
	struct stat st;

	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(symlink("f", "to_file"));
	SC_SETUP(symlink("missing", "dangling"));
	EXPECT_SYSCALL_FAILS(EEXIST, open("to_file", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(EEXIST, open("dangling", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_FAILS(ENOENT, lstat("missing", &st));
}

struct racer {
	int err;		/* the report: errno of the open, 0 when it created */
	const struct sc_pipe *go;
	const char *name;
};

static int race_to_create(void *data)
{
	struct racer *r = data;
	int fd;

	if (sc_hold(r->go, SC_WAIT_MS))
		return sc_child_error("no start signal");
	fd = open(r->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	r->err = fd < 0 ? errno : 0;
	return SC_CHILD_OK;
}

/* OPEN-03 open(2): O_CREAT|O_EXCL is atomic: of 8 processes that race to create one name, exactly one succeeds and the others get EEXIST (12 rounds). */
TEST_F(dir, create_excl_race_has_exactly_one_winner)
{
	enum { RACERS = 8, ROUNDS = 12 };
	struct racer r[RACERS];
	struct sc_child c[RACERS];
	struct sc_pipe go;
	char name[16];

	for (int round = 0; round < ROUNDS; round++) {
		int won = 0, lost = 0;

		snprintf(name, sizeof(name), "race%d", round);
		sc_pipe_setup(_metadata, &go, O_CLOEXEC);
		for (int i = 0; i < RACERS; i++) {
			r[i] = (struct racer){ .err = -1, .go = &go, .name = name };
			SC_CHILD_START(&c[i], "a racer", race_to_create, &r[i], sizeof(r[i].err));
		}
		SC_SETUP(sc_release(&go));
		for (int i = 0; i < RACERS; i++) {
			ASSERT_CHILD_REPORTED(&c[i]);
			EXPECT_CHILD_SUCCEEDED(&c[i]);
			won += r[i].err == 0;
			lost += r[i].err == EEXIST;
			if (r[i].err && r[i].err != EEXIST)
				TH_LOG("round %d: a racer's open(O_CREAT|O_EXCL) -> %s", round, sc_errname(r[i].err));
		}
		sc_pipe_teardown(&go);
		ASSERT_EQ(1, won) {
			TH_LOG("round %d: %d of %d racers created the file, %d got EEXIST", round, won, RACERS, lost);
		}
		ASSERT_EQ(RACERS - 1, lost);
	}
}

/* OPEN-04 open(2): O_CREAT without O_EXCL follows a dangling symlink in the last component and creates the file it points to. */
TEST_F(dir, create_follows_dangling_symlink)
{
	char buf[16];
	struct stat st;
	int fd;

	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(symlink("d/target", "link"));
	fd = SC_OK(open("link", O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
	EXPECT_SYSCALL_RETURNS(3, write(fd, "abc", 3));
	close(fd);
	SC_OK(lstat("d/target", &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_STREQ("abc", open_content_at(AT_FDCWD, "d/target", buf, sizeof(buf)));
	SC_OK(lstat("link", &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode)) {
		TH_LOG("the link was replaced: type 0%o", st.st_mode & S_IFMT);
	}
}

/* OPEN-21 open(2): creat() on an existing file truncates it to 0 and returns a write-only descriptor. */
TEST_F(dir, creat_truncates_and_opens_write_only)
{
	char buf[16];
	struct stat st;
	int fd, fl;

	SC_SETUP(sc_write_file("f", "0123456789", 10));
	fd = SC_OK(creat("f", 0600));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	fl = SC_OK(fcntl(fd, F_GETFL));
	EXPECT_EQ(O_WRONLY, fl & O_ACCMODE) {
		TH_LOG("creat() gave access mode %d (O_WRONLY: %d)", fl & O_ACCMODE, O_WRONLY);
	}
	EXPECT_SYSCALL_FAILS(EBADF, read(fd, buf, sizeof(buf)));
	EXPECT_SYSCALL_RETURNS(3, write(fd, "abc", 3));
	EXPECT_STREQ("abc", open_content_at(AT_FDCWD, "f", buf, sizeof(buf)));
	close(fd);
}

/* OPEN-21 open(2): creat() on a missing name makes a regular file with mode (mode & ~umask). */
TEST_F(dir, creat_makes_file_with_mode_minus_umask)
{
	struct stat st;
	int fd;

	umask(022);
	fd = SC_OK(creat("f", 0666));
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(0644, st.st_mode & 07777);
	close(fd);
}

/* OPEN-11 umask(2): umask() sets the mask and returns the previous one. */
TEST(umask_returns_previous_mask)
{
	umask(0);
	EXPECT_EQ(0, umask(027));
	EXPECT_EQ(027, umask(0755));
	EXPECT_EQ(0755, umask(022));
	EXPECT_EQ(022, umask(022));
}

/* OPEN-11 umask(2): the mask clears bits from files made by open, creat, mkdir, mknod and mkfifo: 0777 under umask 027 gives 0750. */
TEST_F(dir, umask_clears_bits_of_new_files)
{
	static const char *const names[] = { "open", "creat", "mkdir", "mknod", "mkfifo" };
	struct stat st;
	int fd;

	umask(027);
	fd = SC_OK(open("open", O_WRONLY | O_CREAT | O_CLOEXEC, 0777));
	close(fd);
	fd = SC_OK(creat("creat", 0777));
	close(fd);
	SC_OK(mkdir("mkdir", 0777));
	SC_OK(mknod("mknod", S_IFREG | 0777, 0));
	SC_OK(mkfifo("mkfifo", 0777));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		SC_OK(lstat(names[i], &st));
		EXPECT_EQ(0750, st.st_mode & 07777) {
			TH_LOG("%s(0777) under umask 027 made mode 0%o", names[i], st.st_mode & 07777);
		}
	}
}

/* OPEN-11 umask(2): chmod() is not subject to the umask. */
TEST_F(dir, umask_not_applied_by_chmod)
{
	struct stat st;

	umask(077);
	SC_SETUP(sc_write_file("f", "", 0));
	EXPECT_SYSCALL_RETURNS(0, chmod("f", 0777));
	SC_OK(stat("f", &st));
	EXPECT_EQ(0777, st.st_mode & 07777);
}

static int report_umask(void *data)
{
	*(mode_t *)data = umask(0);
	return SC_CHILD_OK;
}

/* OPEN-11 umask(2): a fork() child inherits the umask. */
TEST(umask_inherited_across_fork)
{
	mode_t seen = 0777;
	struct sc_child c;

	umask(053);
	sc_child_run(&c, "the child", report_umask, &seen, sizeof(seen));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(053, seen);
	EXPECT_CHILD_SUCCEEDED(&c);
}

/* Before the exec: a umask of its own, 0033 (the test's is 0027). */
static int umask_before_exec(void *data)
{
	(void)data;
	umask(033);
	return SC_CHILD_OK;
}

/* The "Umask:" of /proc/PID/status (since Linux 4.7), or -1. */
static int proc_umask(pid_t pid)
{
	char path[64], line[256];
	unsigned int m;
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			found = m;
	if (f)
		fclose(f);
	return found;
}

/* OPEN-11 umask(2): the umask is kept across execve(): the new program has the umask set before the exec (its /proc/PID/status says). */
TEST(umask_kept_across_execve)
{
	const char *const args[] = { "--wait", "0", NULL };
	struct sc_pipe in;
	struct sc_child c;
	int out, r, seen;

	umask(027);
	sc_pipe_setup(_metadata, &in, O_CLOEXEC);
	if (sc_spawn_helper(&c, args, in.rd, &out, umask_before_exec, NULL))
		SC_ERROR("%s", c.text);
	r = sc_wait_ready(out);	/* the helper has run: the exec is done */
	close(out);
	if (r != 0) {
		sc_child_end(&c);
		SC_ERROR("the exec helper printed nothing: %s", c.text);
	}
	seen = proc_umask(c.pid);
	sc_pipe_teardown(&in);
	EXPECT_CHILD_SUCCEEDED(&c);
	if (seen == -1 && proc_umask(getpid()) == -1)
		SKIP(return, "needs the Umask line of /proc/PID/status (Linux 4.7)");
	EXPECT_EQ(033, seen) {
		TH_LOG("after execve() the umask is 0%o; set before it: 0033", seen);
	}
}

TEST_HARNESS_MAIN
