// SPDX-License-Identifier: GPL-2.0-only
/*
 * openat2: the resolve flags RESOLVE_BENEATH (OPEN-14), RESOLVE_IN_ROOT (OPEN-15),
 * RESOLVE_NO_SYMLINKS, RESOLVE_NO_MAGICLINKS and RESOLVE_NO_XDEV (OPEN-16), and
 * openat2()'s strict checking of its arguments (OPEN-17). glibc 2.36 has no
 * wrapper: the cases call syscall(SYS_openat2). Man page: openat2(2).
 */
#include "open.h"

/* openat2(DFD, PATH, {FLAGS, 0, RESOLVE}, sizeof): a descriptor, or -1 with errno. */
static long openat2_resolve(int dfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = { .flags = flags | O_CLOEXEC, .resolve = resolve };

	return syscall(SYS_openat2, dfd, path, &how, sizeof(how));
}

/* The result of opening, for a table row's diagnostic. */
struct outcome {
	long fd;
	int err;
	char data[16];
};

static struct outcome try_openat2(int dfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct outcome o = { 0 };

	errno = 0;
	o.fd = openat2_resolve(dfd, path, flags, resolve);
	o.err = o.fd < 0 ? errno : 0;
	if (o.fd >= 0) {
		open_content(o.fd, o.data, sizeof(o.data));
		close(o.fd);
	}
	return o;
}

/*
 * In the private directory: x ("outside"), and d holding x ("inside"), sub/ and
 * f; d open as *DFD.
 */
static void make_tree(struct __test_metadata *_metadata, int *dfd)
{
	SC_SETUP(sc_write_file("x", "outside", 7));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(mkdir("d/sub", 0700));
	SC_SETUP(sc_write_file("d/x", "inside", 6));
	SC_SETUP(sc_write_file("d/f", "f", 1));
	*dfd = SC_SETUP(open("d", O_PATH | O_DIRECTORY | O_CLOEXEC));
}

/* OPEN-14 openat2(2): RESOLVE_BENEATH fails with EXDEV for "../x", an absolute path, an absolute symlink and a relative symlink that leaves dirfd; "sub/../f" (staying inside) succeeds. */
TEST_F(dir, resolve_beneath_refuses_escapes_with_exdev)
{
	char abs_x[PATH_MAX + 8];
	struct { const char *path; int err; } rows[] = {
		{ "../x", EXDEV }, { abs_x, EXDEV }, { "abs_link", EXDEV },
		{ "up_link", EXDEV }, { "sub/../../x", EXDEV }, { "sub/../f", 0 }, { "f", 0 },
	};
	int dfd;

	SC_REQUIRE_FEATURE(openat2);
	make_tree(_metadata, &dfd);
	snprintf(abs_x, sizeof(abs_x), "%s/x", self->t.path);
	SC_SETUP(symlink(abs_x, "d/abs_link"));
	SC_SETUP(symlink("../x", "d/up_link"));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct outcome o = try_openat2(dfd, rows[i].path, O_RDONLY, RESOLVE_BENEATH);

		EXPECT_EQ(rows[i].err, o.err) {
			TH_LOG("openat2(d, \"%s\", RESOLVE_BENEATH) -> %s%s, expected %s", rows[i].path,
			       o.err ? sc_errname(o.err) : "success, read ", o.err ? "" : o.data,
			       rows[i].err ? sc_errname(rows[i].err) : "success");
		}
	}
	close(dfd);
}

/* OPEN-15 openat2(2): RESOLVE_IN_ROOT treats dirfd as "/": "../x", "/x", "sub/../../x" and a symlink to "/x" all open dirfd/x. */
TEST_F(dir, resolve_in_root_keeps_walk_inside_dirfd)
{
	static const char *const paths[] = { "../x", "/x", "sub/../../x", "root_link", "x" };
	int dfd;

	SC_REQUIRE_FEATURE(openat2);
	make_tree(_metadata, &dfd);
	SC_SETUP(symlink("/x", "d/root_link"));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct outcome o = try_openat2(dfd, paths[i], O_RDONLY, RESOLVE_IN_ROOT);

		EXPECT_STREQ("inside", o.err ? "" : o.data) {
			TH_LOG("openat2(d, \"%s\", RESOLVE_IN_ROOT) -> %s%s, expected d/x (\"inside\")",
			       paths[i], o.err ? sc_errname(o.err) : "success, read ", o.err ? "" : o.data);
		}
	}
	close(dfd);
}

/* OPEN-16 openat2(2): RESOLVE_NO_SYMLINKS fails with ELOOP when any component is a symlink, in the middle or last; the same path without symlinks opens. */
TEST_F(dir, resolve_no_symlinks_refuses_any_symlink_eloop)
{
	static const char *const paths[] = { "ld/f", "lf", "d/../lf" };
	int fd;

	SC_REQUIRE_FEATURE(openat2);
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/f", "abc", 3));
	SC_SETUP(symlink("d", "ld"));
	SC_SETUP(symlink("d/f", "lf"));
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct outcome o = try_openat2(AT_FDCWD, paths[i], O_RDONLY, RESOLVE_NO_SYMLINKS);

		EXPECT_EQ(ELOOP, o.err) {
			TH_LOG("openat2(\"%s\", RESOLVE_NO_SYMLINKS) -> %s%s, expected ELOOP", paths[i],
			       o.err ? sc_errname(o.err) : "success, read ", o.err ? "" : o.data);
		}
	}
	fd = SC_OK(openat2_resolve(AT_FDCWD, "d/f", O_RDONLY, RESOLVE_NO_SYMLINKS));
	close(fd);
}

/* OPEN-16 openat2(2): with O_PATH|O_NOFOLLOW, RESOLVE_NO_SYMLINKS gives a descriptor for a trailing symlink itself. */
TEST_F(dir, resolve_no_symlinks_opath_nofollow_gives_link)
{
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(openat2);
	SC_SETUP(sc_write_file("f", "abc", 3));
	SC_SETUP(symlink("f", "lf"));
	fd = SC_OK(openat2_resolve(AT_FDCWD, "lf", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS));
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode)) {
		TH_LOG("the descriptor is of type 0%o, not a symlink", st.st_mode & S_IFMT);
	}
	close(fd);
}

/* OPEN-16 openat2(2): RESOLVE_NO_MAGICLINKS fails with ELOOP on /proc/self/exe and /proc/self/fd/N, which open without it. */
TEST_F(dir, resolve_no_magiclinks_refuses_proc_links_eloop)
{
	char path[64];
	int f, fd;

	SC_REQUIRE_FEATURE(openat2);
	SC_SETUP(sc_write_file("f", "abc", 3));
	f = SC_SETUP(open("f", O_RDONLY | O_CLOEXEC));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", f);
	fd = SC_SETUP(openat2_resolve(AT_FDCWD, path, O_RDONLY, 0));	/* the controls */
	close(fd);
	fd = SC_SETUP(openat2_resolve(AT_FDCWD, "/proc/self/exe", O_RDONLY, 0));
	close(fd);
	EXPECT_SYSCALL_FAILS(ELOOP, openat2_resolve(AT_FDCWD, path, O_RDONLY, RESOLVE_NO_MAGICLINKS));
	EXPECT_SYSCALL_FAILS(ELOOP, openat2_resolve(AT_FDCWD, "/proc/self/exe", O_RDONLY,
						    RESOLVE_NO_MAGICLINKS));
	fd = SC_OK(openat2_resolve(AT_FDCWD, "f", O_RDONLY, RESOLVE_NO_MAGICLINKS));
	close(fd);
	close(f);
}

/* OPEN-16 openat2(2): RESOLVE_NO_XDEV fails with EXDEV when the walk crosses a mount point: "proc/self/status" from a dirfd on "/"; a walk within one mount opens. */
TEST_F(dir, resolve_no_xdev_refuses_mount_crossing_exdev)
{
	struct stat root, proc;
	int rfd, fd;

	SC_REQUIRE_FEATURE(openat2);
	SC_SETUP(stat("/", &root));
	if (stat("/proc/self", &proc) || root.st_dev == proc.st_dev)
		SKIP(return, "needs /proc mounted on its own (the mount point this case crosses)");
	rfd = SC_SETUP(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
	fd = SC_SETUP(openat2_resolve(rfd, "proc/self/status", O_RDONLY, 0));	/* the control */
	close(fd);
	EXPECT_SYSCALL_FAILS(EXDEV, openat2_resolve(rfd, "proc/self/status", O_RDONLY, RESOLVE_NO_XDEV));
	SC_SETUP(mkdir("d", 0700));
	SC_SETUP(sc_write_file("d/f", "abc", 3));
	fd = SC_OK(openat2_resolve(AT_FDCWD, "d/../d/f", O_RDONLY, RESOLVE_NO_XDEV));
	close(fd);
	close(rfd);
}

/* OPEN-17 openat2(2): unknown flags bits, unknown resolve bits, a mode without O_CREAT/O_TMPFILE, or a size below 24 fail with EINVAL; a larger size with non-zero trailing bytes fails with E2BIG; zero trailing bytes are accepted. */
TEST_F(dir, openat2_rejects_bad_arguments)
{
	struct row {
		const char *what;
		struct open_how how;
		size_t size;
		unsigned char tail;	/* the bytes after the struct, up to SIZE */
		int err;
	} rows[] = {
		{ "flags bit 40", { .flags = O_RDONLY | (1ULL << 40) }, 24, 0, EINVAL },
		{ "flags bit 29", { .flags = O_RDONLY | (1ULL << 29) }, 24, 0, EINVAL },
		{ "resolve bit 40", { .flags = O_RDONLY, .resolve = 1ULL << 40 }, 24, 0, EINVAL },
		{ "mode 0644 without O_CREAT", { .flags = O_RDONLY, .mode = 0644 }, 24, 0, EINVAL },
		{ "size 16", { .flags = O_RDONLY }, 16, 0, EINVAL },
		{ "size 0", { .flags = O_RDONLY }, 0, 0, EINVAL },
		{ "size 32, non-zero tail", { .flags = O_RDONLY }, 32, 1, E2BIG },
		{ "size 32, zero tail", { .flags = O_RDONLY }, 32, 0, 0 },
		{ "size 24", { .flags = O_RDONLY }, 24, 0, 0 },
	};

	SC_REQUIRE_FEATURE(openat2);
	SC_SETUP(sc_write_file("f", "abc", 3));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		unsigned char buf[64];
		long fd;
		int err;

		memset(buf, rows[i].tail, sizeof(buf));
		rows[i].how.flags |= O_CLOEXEC;
		memcpy(buf, &rows[i].how, sizeof(rows[i].how));
		errno = 0;
		fd = syscall(SYS_openat2, AT_FDCWD, "f", buf, rows[i].size);
		err = fd < 0 ? errno : 0;
		if (fd >= 0)
			close(fd);
		EXPECT_EQ(rows[i].err, err) {
			TH_LOG("openat2(\"f\", %s) -> %s, expected %s", rows[i].what,
			       err ? sc_errname(err) : "success", rows[i].err ? sc_errname(rows[i].err) : "success");
		}
	}
}

/* OPEN-17 open(2): openat() is lenient where openat2() is strict: it ignores unknown flag bits. */
TEST_F(dir, openat_ignores_unknown_flag_bits)
{
	char buf[16];
	int fd;

	SC_SETUP(sc_write_file("f", "abc", 3));
	fd = SC_OK(openat(AT_FDCWD, "f", O_RDONLY | (1 << 29) | O_CLOEXEC));
	EXPECT_STREQ("abc", open_content(fd, buf, sizeof(buf)));
	close(fd);
}

TEST_HARNESS_MAIN
