// SPDX-License-Identifier: GPL-2.0-only
/*
 * glob(3) over the case's temporary directory: no match is GLOB_NOMATCH, or the
 * pattern itself with GLOB_NOCHECK; "*" skips names that start with "." unless
 * GLOB_PERIOD is given (DIR-10).
 * Man pages: glob(3), glob(7).
 */
#include <glob.h>
#include "dirs.h"

/* The files "a.c", "b.c", "c.h" and ".hidden.c". */
static int make_files(void)
{
	return sc_write_file("a.c", "", 0) || sc_write_file("b.c", "", 0) ||
	       sc_write_file("c.h", "", 0) || sc_write_file(".hidden.c", "", 0) ? -1 : 0;
}

/* Whether G's matches hold NAME. */
static bool matched(const glob_t *g, const char *name)
{
	for (size_t i = 0; i < g->gl_pathc; i++)
		if (!strcmp(g->gl_pathv[i], name))
			return true;
	return false;
}

static void log_matches(struct __test_metadata *_metadata, const char *pattern, const glob_t *g)
{
	for (size_t i = 0; i < g->gl_pathc; i++)
		TH_LOG("glob(\"%s\") matched \"%s\"", pattern, g->gl_pathv[i]);
}

/* DIR-10 glob(3): a pattern that matches nothing returns GLOB_NOMATCH (and no matches). */
TEST_F(dir, glob_no_match_returns_glob_nomatch)
{
	glob_t g = { 0 };
	int r;

	SC_SETUP(make_files());
	r = glob("*.none", 0, NULL, &g);
	EXPECT_EQ(GLOB_NOMATCH, r) {
		TH_LOG("glob(\"*.none\") -> %d, expected GLOB_NOMATCH (%d)", r, GLOB_NOMATCH);
		log_matches(_metadata, "*.none", &g);
	}
	EXPECT_EQ(0, g.gl_pathc);
	globfree(&g);
	/* Control: the same directory has matches for "*.c". */
	r = glob("*.c", 0, NULL, &g);
	EXPECT_EQ(0, r);
	EXPECT_EQ(2, g.gl_pathc);
	globfree(&g);
}

/* DIR-10 glob(3): with GLOB_NOCHECK, a pattern that matches nothing returns 0 and the pattern itself as the only match. */
TEST_F(dir, glob_nocheck_returns_the_pattern)
{
	glob_t g = { 0 };
	int r;

	SC_SETUP(make_files());
	r = glob("no*match", GLOB_NOCHECK, NULL, &g);
	EXPECT_EQ(0, r) {
		TH_LOG("glob(\"no*match\", GLOB_NOCHECK) -> %d, expected 0", r);
	}
	ASSERT_EQ(1, g.gl_pathc) {
		log_matches(_metadata, "no*match", &g);
	}
	EXPECT_STREQ("no*match", g.gl_pathv[0]);
	globfree(&g);
}

/* DIR-10 glob(3): "*" and "*.c" do not match names that start with "." (without GLOB_PERIOD); the others, sorted. */
TEST_F(dir, glob_star_skips_dot_names)
{
	glob_t g = { 0 };

	SC_SETUP(make_files());
	ASSERT_EQ(0, glob("*", 0, NULL, &g));
	EXPECT_EQ(3, g.gl_pathc) {
		log_matches(_metadata, "*", &g);
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		EXPECT_NE('.', g.gl_pathv[i][0]) {
			TH_LOG("glob(\"*\") matched \"%s\"", g.gl_pathv[i]);
		}
	}
	if (g.gl_pathc == 3) {
		EXPECT_STREQ("a.c", g.gl_pathv[0]);
		EXPECT_STREQ("b.c", g.gl_pathv[1]);
		EXPECT_STREQ("c.h", g.gl_pathv[2]);
	}
	globfree(&g);
	ASSERT_EQ(0, glob("*.c", 0, NULL, &g));
	EXPECT_FALSE(matched(&g, ".hidden.c"));
	EXPECT_EQ(2, g.gl_pathc);
	globfree(&g);
}

/* DIR-10 glob(3): with GLOB_PERIOD, "*" and "*.c" match names that start with "." too; ".*" matches them without it. */
TEST_F(dir, glob_period_matches_dot_names)
{
	glob_t g = { 0 };

	SC_SETUP(make_files());
	ASSERT_EQ(0, glob("*.c", GLOB_PERIOD, NULL, &g));
	EXPECT_TRUE(matched(&g, ".hidden.c") && matched(&g, "a.c") && matched(&g, "b.c")) {
		log_matches(_metadata, "*.c", &g);
	}
	globfree(&g);
	ASSERT_EQ(0, glob("*", GLOB_PERIOD, NULL, &g));
	EXPECT_TRUE(matched(&g, ".hidden.c") && matched(&g, "c.h")) {
		log_matches(_metadata, "*", &g);
	}
	globfree(&g);
	ASSERT_EQ(0, glob(".*.c", 0, NULL, &g));
	EXPECT_TRUE(g.gl_pathc == 1 && matched(&g, ".hidden.c")) {
		log_matches(_metadata, ".*.c", &g);
	}
	globfree(&g);
}

TEST_HARNESS_MAIN
