// SPDX-License-Identifier: GPL-2.0-only
/*
 * perms: the kernel's permission checks: one class only (owner, group, other),
 * O_RDWR needing both bits, root and the x bit, directories' r and x, what creating,
 * unlinking and path search need (META-10 .. META-13). The unprivileged side runs in
 * a kit child as uid/gid 65534 (or the caller, when not root), on files the child
 * makes itself in the case's directory, opened up to it; the group class needs root
 * to make a user of the file's group.
 * Man pages: path_resolution(7), execve(2), unlink(2).
 */
#include <dirent.h>
#include "meta.h"

/* Open NAME with FLAGS and close it: 0, or -1 with errno. */
static int try_open(const char *name, int flags)
{
	int fd = open(name, flags | O_CLOEXEC);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Execute PATH in a plain child: 0 when it ran (and exited 0), else the errno of execve(). */
static int try_exec(const char *path)
{
	char *const argv[] = { (char *)path, NULL };
	pid_t pid = sc_fork();
	int status;

	if (pid == 0) {
		execve(path, argv, environ);
		_exit(128 + (errno & 0x7f));
	}
	if (pid < 0)
		return -1;
	status = sc_wait_ms(pid, SC_WAIT_MS);
	return status == 0 ? 0 : sc_exit_code(status) > 128 ? sc_exit_code(status) - 128 : -1;
}

static const char script[] = "#!/bin/sh\nexit 0\n";

struct owner_seen {
	int mode0077, access0077, mode0400;
};

static int owner_class_child(void *data)
{
	struct owner_seen *s = data;

	META_DROP();
	if (sc_write_file("mine", "x", 1) || chmod("mine", 0077))
		return sc_child_error("make its own file: %s", sc_errname(errno));
	s->mode0077 = META_ERR(try_open("mine", O_RDONLY));
	s->access0077 = META_ERR(access("mine", R_OK));
	SC_CHILD_CALL(chmod("mine", 0400));
	s->mode0400 = META_ERR(try_open("mine", O_RDONLY));
	return SC_CHILD_OK;
}

/* META-10 path_resolution(7): for the file's owner only the owner bits count: its own mode 0077 file is unreadable to it (open and access EACCES), its mode 0400 file readable. */
TEST_F(meta, owner_class_alone_counts_for_owner)
{
	struct owner_seen s = { -1, -1, -1 };

	SC_SETUP(chmod(".", 0777));
	META_RUN(owner_class_child, &s, sizeof(s));
	EXPECT_ERRNO(EACCES, s.mode0077, "open(O_RDONLY) of its own mode 0077 file");
	EXPECT_ERRNO(EACCES, s.access0077, "access(R_OK) of its own mode 0077 file");
	EXPECT_ERRNO(0, s.mode0400, "open(O_RDONLY) of its own mode 0400 file");
}

struct group_seen {
	gid_t gid, group;	/* in: the child's gid and supplementary group */
	int mode0604, mode0640;
};

static int group_class_child(void *data)
{
	struct group_seen *s = data;

	if (meta_become(META_OTHER, s->gid, s->group))
		return sc_child_error("become uid %d gid %d: %s", META_OTHER, (int)s->gid, sc_errname(errno));
	s->mode0604 = META_ERR(try_open("g0604", O_RDONLY));
	s->mode0640 = META_ERR(try_open("g0640", O_RDONLY));
	return SC_CHILD_OK;
}

/* META-10 path_resolution(7): for a member of the file's group (by its gid or a supplementary group) only the group bits count: root's mode 0604 file of that group is unreadable (EACCES) although "other" may read it, its mode 0640 file readable. */
TEST_F(meta, group_class_alone_counts_for_group_member)
{
	static const gid_t how[][2] = { { META_NOBODY, (gid_t)-1 }, { META_OTHER, META_NOBODY } };

	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(chmod(".", 0755));
	SC_SETUP(sc_write_file("g0604", "x", 1));
	SC_SETUP(chown("g0604", 0, META_NOBODY));
	SC_SETUP(chmod("g0604", 0604));
	SC_SETUP(sc_write_file("g0640", "x", 1));
	SC_SETUP(chown("g0640", 0, META_NOBODY));
	SC_SETUP(chmod("g0640", 0640));
	for (int i = 0; i < 2; i++) {
		struct group_seen s = { how[i][0], how[i][1], -1, -1 };

		TH_LOG("a child of gid %d%s", (int)s.gid, s.group == (gid_t)-1 ? "" : ", in the group as a supplementary one");
		META_RUN(group_class_child, &s, sizeof(s));
		EXPECT_ERRNO(EACCES, s.mode0604, "open(O_RDONLY) of a mode 0604 file of its group");
		EXPECT_ERRNO(0, s.mode0640, "open(O_RDONLY) of a mode 0640 file of its group");
	}
}

struct rdwr_seen {
	int rdwr0400, rd0400, rdwr0200, wr0200, rdwr0600;
};

static int rdwr_child(void *data)
{
	struct rdwr_seen *s = data;

	META_DROP();
	if (sc_write_file("r", "x", 1) || chmod("r", 0400) || sc_write_file("w", "x", 1) ||
	    chmod("w", 0200) || sc_write_file("rw", "x", 1))
		return sc_child_error("make its own files: %s", sc_errname(errno));
	s->rdwr0400 = META_ERR(try_open("r", O_RDWR));
	s->rd0400 = META_ERR(try_open("r", O_RDONLY));
	s->rdwr0200 = META_ERR(try_open("w", O_RDWR));
	s->wr0200 = META_ERR(try_open("w", O_WRONLY));
	s->rdwr0600 = META_ERR(try_open("rw", O_RDWR));
	return SC_CHILD_OK;
}

/* META-10 path_resolution(7): open(O_RDWR) needs both r and w in the caller's class: EACCES on its own mode 0400 and 0200 files, which open read-only and write-only. */
TEST_F(meta, o_rdwr_needs_read_and_write)
{
	struct rdwr_seen s = { -1, -1, -1, -1, -1 };

	SC_SETUP(chmod(".", 0777));
	META_RUN(rdwr_child, &s, sizeof(s));
	EXPECT_ERRNO(EACCES, s.rdwr0400, "open(O_RDWR) of its mode 0400 file");
	EXPECT_ERRNO(0, s.rd0400, "open(O_RDONLY) of its mode 0400 file");
	EXPECT_ERRNO(EACCES, s.rdwr0200, "open(O_RDWR) of its mode 0200 file");
	EXPECT_ERRNO(0, s.wr0200, "open(O_WRONLY) of its mode 0200 file");
	EXPECT_ERRNO(0, s.rdwr0600, "open(O_RDWR) of its mode 0600 file");
}

/* META-11 path_resolution(7): root (CAP_DAC_OVERRIDE; when not root, uid 0 of a user namespace on its own file) reads and writes a mode 0000 file. */
TEST_F(meta, root_reads_and_writes_mode_0000_file)
{
	char buf[4] = "";
	int fd;

	META_ROOT_OR_USERNS();
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(chmod("f", 0));
	fd = SC_OK(open("f", O_RDWR | O_CLOEXEC));
	EXPECT_SYSCALL_RETURNS(3, read(fd, buf, 3));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));
	EXPECT_SYSCALL_RETURNS(3, write(fd, "def", 3));
	close(fd);
}

/* META-11 execve(2): even root (or uid 0 of a user namespace, on its own file) cannot execute a regular file without any x bit (execve and access(X_OK) EACCES), but one x bit in any class is enough. */
TEST_F(meta, root_needs_an_x_bit_to_execute)
{
	META_ROOT_OR_USERNS();
	if (meta_mount_flags() & ST_NOEXEC)
		SC_SKIP_FS("mounted noexec");
	SC_SETUP(sc_write_file("prog", script, strlen(script)));
	SC_SETUP(chmod("prog", 0644));
	EXPECT_SYSCALL_FAILS(EACCES, access("prog", X_OK));
	EXPECT_ERRNO(EACCES, try_exec("./prog"), "execve() of a mode 0644 file as root");
	SC_SETUP(chmod("prog", 0001));
	EXPECT_SYSCALL_RETURNS(0, access("prog", X_OK));
	EXPECT_ERRNO(0, try_exec("./prog"), "execve() of a mode 0001 file as root");
}

struct dir_rx_seen {
	int listed, stat_r, open_r, open_x, stat_x, opendir_x;
};

static int dir_rx_child(void *data)
{
	struct dir_rx_seen *s = data;
	struct dirent *e;
	struct stat st;
	DIR *d;

	META_DROP();
	if (mkdir("d", 0700) || sc_write_file("d/f", "x", 1) || chmod("d", 0400))
		return sc_child_error("make its own directory: %s", sc_errname(errno));
	d = opendir("d");
	while (d && (e = readdir(d)))
		s->listed |= !strcmp(e->d_name, "f");
	if (d)
		closedir(d);
	s->stat_r = META_ERR(stat("d/f", &st));
	s->open_r = META_ERR(try_open("d/f", O_RDONLY));
	SC_CHILD_CALL(chmod("d", 0100));
	s->open_x = META_ERR(try_open("d/f", O_RDONLY));
	s->stat_x = META_ERR(stat("d/f", &st));
	s->opendir_x = META_ERR(try_open("d", O_RDONLY | O_DIRECTORY));
	SC_CHILD_CALL(chmod("d", 0700));
	return SC_CHILD_OK;
}

/* META-12 path_resolution(7): a directory with r but not x lists its names, but stat() and open() of an entry fail with EACCES; with x but not r an entry opens and stats, but open(O_RDONLY) of the directory fails with EACCES. */
TEST_F(meta, directory_r_lists_x_searches)
{
	struct dir_rx_seen s = { 0, -1, -1, -1, -1, -1 };

	SC_SETUP(chmod(".", 0777));
	META_RUN(dir_rx_child, &s, sizeof(s));
	EXPECT_TRUE(s.listed) {
		TH_LOG("readdir() of a mode 0400 directory did not list its entry");
	}
	EXPECT_ERRNO(EACCES, s.stat_r, "stat() of an entry of a mode 0400 directory");
	EXPECT_ERRNO(EACCES, s.open_r, "open() of an entry of a mode 0400 directory");
	EXPECT_ERRNO(0, s.open_x, "open() of an entry of a mode 0100 directory");
	EXPECT_ERRNO(0, s.stat_x, "stat() of an entry of a mode 0100 directory");
	EXPECT_ERRNO(EACCES, s.opendir_x, "open(O_RDONLY|O_DIRECTORY) of a mode 0100 directory");
}

struct dir_wx_seen {
	int create[3], unlink[3], rename[3], unlink_0000;
};

static int dir_wx_child(void *data)
{
	static const mode_t modes[3] = { 0500, 0600, 0300 };
	struct dir_wx_seen *s = data;

	META_DROP();
	if (mkdir("d", 0700) || sc_write_file("d/a", "", 0) || sc_write_file("d/b", "", 0) ||
	    sc_write_file("d/c", "", 0) || chmod("d/c", 0))
		return sc_child_error("make its own directory: %s", sc_errname(errno));
	for (int i = 0; i < 3; i++) {
		SC_CHILD_CALL(chmod("d", modes[i]));
		s->create[i] = META_ERR(mknod("d/new", S_IFREG | 0600, 0));
		s->unlink[i] = META_ERR(unlink("d/a"));
		s->rename[i] = META_ERR(rename("d/b", "d/b2"));
	}
	SC_CHILD_CALL(chmod("d", 0700));
	s->unlink_0000 = META_ERR(unlink("d/c"));
	return SC_CHILD_OK;
}

/* META-13 unlink(2): creating, unlinking and renaming an entry need w and x on the directory: EACCES with mode 0500 or 0600, success with 0300; unlinking a mode 0000 file needs no permission on it. */
TEST_F(meta, entry_changes_need_w_and_x_on_directory)
{
	static const char *const modes[3] = { "0500", "0600", "0300" };
	struct dir_wx_seen s;
	char what[64];

	memset(&s, 0xff, sizeof(s));
	SC_SETUP(chmod(".", 0777));
	META_RUN(dir_wx_child, &s, sizeof(s));
	for (int i = 0; i < 3; i++) {
		int want = i < 2 ? EACCES : 0;

		snprintf(what, sizeof(what), "create in a mode %s directory", modes[i]);
		EXPECT_ERRNO(want, s.create[i], what);
		snprintf(what, sizeof(what), "unlink in a mode %s directory", modes[i]);
		EXPECT_ERRNO(want, s.unlink[i], what);
		snprintf(what, sizeof(what), "rename in a mode %s directory", modes[i]);
		EXPECT_ERRNO(want, s.rename[i], what);
	}
	EXPECT_ERRNO(0, s.unlink_0000, "unlink of a mode 0000 file in a mode 0700 directory");
}

struct search_seen {
	int no_x_a, no_x_b, x_only, no_r_f, cwd_no_x, exec_ok, exec_no_x_a, exec_no_x_prog;
};

static int search_child(void *data)
{
	struct search_seen *s = data;
	int top;

	META_DROP();
	if (mkdir("a", 0700) || mkdir("a/b", 0700) || sc_write_file("a/b/f", "x", 1) ||
	    sc_write_file("a/b/prog", script, strlen(script)) || chmod("a/b/prog", 0700))
		return sc_child_error("make its own directories: %s", sc_errname(errno));
	SC_CHILD_CALL(chmod("a", 0600));
	s->no_x_a = META_ERR(try_open("a/b/f", O_RDONLY));
	s->exec_no_x_a = try_exec("./a/b/prog");
	SC_CHILD_CALL(chmod("a", 0100));
	SC_CHILD_CALL(chmod("a/b", 0600));
	s->no_x_b = META_ERR(try_open("a/b/f", O_RDONLY));
	SC_CHILD_CALL(chmod("a/b", 0100));
	s->x_only = META_ERR(try_open("a/b/f", O_RDONLY));
	s->exec_ok = try_exec("./a/b/prog");
	SC_CHILD_CALL(chmod("a/b/prog", 0600));
	s->exec_no_x_prog = try_exec("./a/b/prog");
	SC_CHILD_CALL(chmod("a/b/f", 0200));
	s->no_r_f = META_ERR(try_open("a/b/f", O_RDONLY));
	top = SC_CHILD_CALL(open(".", O_PATH | O_DIRECTORY | O_CLOEXEC));
	SC_CHILD_CALL(chdir("a"));
	SC_CHILD_CALL(chmod(".", 0600));
	s->cwd_no_x = META_ERR(try_open("b/f", O_RDONLY));
	SC_CHILD_CALL(fchdir(top));
	SC_CHILD_CALL(chmod("a", 0700));
	SC_CHILD_CALL(chmod("a/b", 0700));
	return SC_CHILD_OK;
}

/* META-13 path_resolution(7): opening a/b/f needs x on the cwd, a and b (x alone is enough) and r on f, and executing a/b/prog x on a, b and prog; a missing permission anywhere gives EACCES. */
TEST_F(meta, path_search_needs_x_on_every_directory)
{
	struct search_seen s;

	memset(&s, 0xff, sizeof(s));
	if (meta_mount_flags() & ST_NOEXEC)
		SC_SKIP_FS("mounted noexec");
	SC_SETUP(chmod(".", 0777));
	META_RUN(search_child, &s, sizeof(s));
	EXPECT_ERRNO(EACCES, s.no_x_a, "open(a/b/f) with a mode 0600");
	EXPECT_ERRNO(EACCES, s.no_x_b, "open(a/b/f) with b mode 0600");
	EXPECT_ERRNO(0, s.x_only, "open(a/b/f) with a and b mode 0100");
	EXPECT_ERRNO(EACCES, s.no_r_f, "open(a/b/f, O_RDONLY) with f mode 0200");
	EXPECT_ERRNO(EACCES, s.cwd_no_x, "open(b/f) from the cwd a of mode 0600");
	EXPECT_ERRNO(0, s.exec_ok, "execve(a/b/prog) with a and b mode 0100, prog 0700");
	EXPECT_ERRNO(EACCES, s.exec_no_x_a, "execve(a/b/prog) with a mode 0600");
	EXPECT_ERRNO(EACCES, s.exec_no_x_prog, "execve(a/b/prog) with prog mode 0600");
}

TEST_HARNESS_MAIN
