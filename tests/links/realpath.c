// SPDX-License-Identifier: GPL-2.0-only
/*
 * realpath(): the canonical absolute name of a file, with no ".", ".." or symlink
 * component (LINK-20). The expected names are built from getcwd(), which the
 * kernel answers with the physical path of the temp dir.
 * Man pages: realpath(3), path_resolution(7).
 */
#include "links.h"

/* The physical path of the cwd plus "/" REL into WANT. */
static void links_want(char *want, size_t len, const char *rel)
{
	char cwd[PATH_MAX];

	if (!getcwd(cwd, sizeof(cwd)))
		cwd[0] = 0;
	snprintf(want, len, "%s/%s", cwd, rel);
}

/* Whether PATH is not absolute or has a ".", ".." or symlink component; which, in WHY. */
static bool links_not_canonical(const char *path, char *why, size_t len)
{
	char prefix[PATH_MAX];
	struct stat st;
	size_t start = 1;

	if (path[0] != '/') {
		snprintf(why, len, "not absolute");
		return true;
	}
	for (size_t i = 1; i < sizeof(prefix); i++) {
		if (path[i] != '/' && path[i])
			continue;
		memcpy(prefix, path, i);
		prefix[i] = 0;
		if (!strcmp(prefix + start, ".") || !strcmp(prefix + start, "..") ||
		    (lstat(prefix, &st) == 0 && S_ISLNK(st.st_mode))) {
			snprintf(why, len, "%s is \".\", \"..\" or a symlink", prefix);
			return true;
		}
		if (!path[i])
			break;
		start = i + 1;
	}
	return false;
}

/* LINK-20 realpath(3): realpath() of a relative name with ".", ".." and symlink components returns the absolute name of the file with none of them (".." after a symlink to a directory goes to that directory's parent). */
TEST_F(dir, realpath_removes_dot_dotdot_and_symlinks)
{
	char want[PATH_MAX], why[PATH_MAX + 64], *got;

	SC_SETUP(mkdir("a", 0755));
	SC_SETUP(mkdir("a/b", 0755));
	SC_SETUP(mkdir("c", 0755));
	SC_SETUP(sc_write_file("a/b/f", "x", 1));
	SC_SETUP(sc_write_file("a/f", "y", 1));
	SC_SETUP(symlink("a/b", "l"));
	SC_SETUP(symlink("../a/b/f", "c/fl"));
	links_want(want, sizeof(want), "a/f");
	/* l/.. is a (the parent of a/b), not the cwd. */
	errno = 0;
	got = realpath("./l/../f", NULL);
	ASSERT_NE(NULL, got) {
		TH_LOG("realpath(./l/../f) -> NULL %s", sc_errname(errno));
	}
	EXPECT_STREQ(want, got);
	EXPECT_FALSE(links_not_canonical(got, why, sizeof(why))) {
		TH_LOG("realpath() gave %s: %s", got, why);
	}
	free(got);
	links_want(want, sizeof(want), "a/b/f");
	errno = 0;
	got = realpath("c/./../c/fl", NULL);
	ASSERT_NE(NULL, got) {
		TH_LOG("realpath(c/./../c/fl) -> NULL %s", sc_errname(errno));
	}
	EXPECT_STREQ(want, got);
	free(got);
}

/* LINK-20 realpath(3): realpath() fails with ENOENT for a missing component, in the middle or last, also one that a later ".." would remove. */
TEST_F(dir, realpath_missing_component_fails_enoent)
{
	static const char *const missing[] = { "a/missing", "missing/f", "a/missing/../f", "dangling" };
	char buf[PATH_MAX], *got;

	SC_SETUP(mkdir("a", 0755));
	SC_SETUP(sc_write_file("a/f", "x", 1));
	SC_SETUP(symlink("nowhere", "dangling"));
	got = realpath("a/f", buf);
	EXPECT_NE(NULL, got);
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		errno = 0;
		got = realpath(missing[i], buf);
		EXPECT_EQ(ENOENT, got ? 0 : errno) {
			TH_LOG("realpath(%s): expected ENOENT, got %s", missing[i],
			       got ? got : sc_errname(errno));
		}
	}
}

/* LINK-20 realpath(3): two hard links to one file canonicalize to two different names (each its own), while a symlink canonicalizes to its target's name. */
TEST_F(dir, realpath_of_hard_links_differs)
{
	char want_f[PATH_MAX], want_g[PATH_MAX], f[PATH_MAX], g[PATH_MAX], s[PATH_MAX];

	SC_SETUP(mkdir("d", 0755));
	SC_SETUP(sc_write_file("d/f", "x", 1));
	SC_SETUP(link("d/f", "g"));
	SC_SETUP(symlink("d/f", "s"));
	links_want(want_f, sizeof(want_f), "d/f");
	links_want(want_g, sizeof(want_g), "g");
	ASSERT_NE(NULL, realpath("d/f", f));
	ASSERT_NE(NULL, realpath("g", g));
	ASSERT_NE(NULL, realpath("s", s));
	EXPECT_STREQ(want_f, f);
	EXPECT_STREQ(want_g, g);
	EXPECT_STRNE(f, g);
	EXPECT_STREQ(want_f, s);
}

TEST_HARNESS_MAIN
