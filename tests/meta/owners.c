// SPDX-License-Identifier: GPL-2.0-only
/*
 * owners: chown() and its relatives: what an unprivileged owner may change, what
 * root may, the set-ID bits a root chown() clears, and which file lchown(),
 * fchown() and fchownat() act on (META-16, META-23, META-24).
 * Man pages: chown(2).
 */
#include "meta.h"

#define ID_A 4242	/* ids that need no user or group of that number */
#define ID_B 4343
#define GROUP_EXTRA 4444

struct owner_ids {
	uid_t uid;
	gid_t gid;
};

static struct owner_ids ids_of(const char *name, int flags)
{
	struct stat st;

	if (fstatat(AT_FDCWD, name, &st, flags))
		return (struct owner_ids){ (uid_t)-2, (gid_t)-2 };
	return (struct owner_ids){ st.st_uid, st.st_gid };
}

#define EXPECT_IDS(want_uid, want_gid, seen, what) do {			\
	struct owner_ids _seen = (seen);				\
	long expected_uid = (want_uid), expected_gid = (want_gid);	\
	EXPECT_TRUE(expected_uid == (long)_seen.uid && expected_gid == (long)_seen.gid) { \
		TH_LOG("%s: owner %ld:%ld, expected %ld:%ld", what,	\
		       (long)_seen.uid, (long)_seen.gid, expected_uid, expected_gid); \
	}								\
} while (0)

struct unpriv_chown_seen {
	uid_t uid;
	gid_t gid;
	int other_owner, other_group, unchanged, own_group, extra_group;
	int owner_mapped, group_mapped;	/* the other ids exist in its user namespace */
	struct owner_ids after_unchanged, after_extra;
};

/* Whether ID is mapped in the caller's user namespace (MAP: /proc/self/uid_map or gid_map). */
static bool id_mapped(const char *map, unsigned long id)
{
	unsigned long inner, outer, count;
	bool found = false;
	FILE *f = fopen(map, "re");

	while (f && !found && fscanf(f, "%lu %lu %lu", &inner, &outer, &count) == 3)
		found = id >= inner && id - inner < count;
	if (f)
		fclose(f);
	return found;
}

static int unpriv_chown_child(void *data)
{
	struct unpriv_chown_seen *s = data;

	if (meta_become(META_NOBODY, META_NOBODY, GROUP_EXTRA))
		return sc_child_error("become uid 65534: %s", sc_errname(errno));
	if (sc_write_file("mine", "", 0))
		return sc_child_error("make its own file: %s", sc_errname(errno));
	s->uid = geteuid();
	s->gid = getegid();
	s->owner_mapped = id_mapped("/proc/self/uid_map", s->uid == 0 ? 1 : 0);
	s->group_mapped = id_mapped("/proc/self/gid_map", s->gid == ID_B ? ID_A : ID_B);
	s->other_owner = META_ERR(chown("mine", s->uid == 0 ? 1 : 0, -1));
	s->other_group = META_ERR(chown("mine", -1, s->gid == ID_B ? ID_A : ID_B));
	s->unchanged = META_ERR(chown("mine", -1, -1));
	s->after_unchanged = ids_of("mine", 0);
	s->own_group = META_ERR(chown("mine", s->uid, s->gid));
	/* Only root could give the child the group: checked by the case that needs root. */
	s->extra_group = META_ERR(chown("mine", -1, GROUP_EXTRA));
	s->after_extra = ids_of("mine", 0);
	return SC_CHILD_OK;
}

/* META-16 chown(2): an unprivileged owner cannot give its file away (EPERM) nor give it a group it is not in (EPERM); -1 leaves owner and group alone, its own egid is allowed. */
TEST_F(meta, unprivileged_chown_only_to_own_groups)
{
	struct unpriv_chown_seen s;

	memset(&s, 0xff, sizeof(s));
	if (meta_root())
		META_NEED_ROOT();	/* the child becomes 65534: it must be mapped */
	SC_SETUP(chmod(".", 0777));
	META_RUN(unpriv_chown_child, &s, sizeof(s));
	/* An id that its user namespace does not map is EINVAL before any permission check. */
	EXPECT_ERRNO(s.owner_mapped ? EPERM : EINVAL, s.other_owner,
		     s.owner_mapped ? "chown() to another owner" : "chown() to an owner its user namespace does not map");
	EXPECT_ERRNO(s.group_mapped ? EPERM : EINVAL, s.other_group,
		     s.group_mapped ? "chown() to a group it is not in" : "chown() to a group its user namespace does not map");
	EXPECT_ERRNO(0, s.unchanged, "chown(-1, -1)");
	EXPECT_IDS(s.uid, s.gid, s.after_unchanged, "after chown(-1, -1)");
	EXPECT_ERRNO(0, s.own_group, "chown() to its own uid and egid");
}

/* META-16 chown(2): an unprivileged owner may give its file one of its supplementary groups (chown(f, -1, group)), the owner staying. */
TEST_F(meta, unprivileged_chown_to_supplementary_group)
{
	struct unpriv_chown_seen s;

	memset(&s, 0xff, sizeof(s));
	META_NEED_ROOT();
	SC_SETUP(chmod(".", 0777));
	META_RUN(unpriv_chown_child, &s, sizeof(s));
	/* The child became uid 65534 with the supplementary group 4444 (see above). */
	EXPECT_ERRNO(0, s.extra_group, "chown(-1, its supplementary group)");
	EXPECT_IDS(META_NOBODY, GROUP_EXTRA, s.after_extra, "after chown(-1, 4444)");
}

/* META-23 chown(2): root's chown() sets any uid and gid (no user or group of that number needed), and -1 leaves that id alone. */
TEST_F(meta, root_chown_sets_any_ids)
{
	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(sc_write_file("f", "", 0));
	EXPECT_SYSCALL_RETURNS(0, chown("f", ID_A, ID_B));
	EXPECT_IDS(ID_A, ID_B, ids_of("f", 0), "after chown(4242, 4343)");
	EXPECT_SYSCALL_RETURNS(0, chown("f", -1, ID_A));
	EXPECT_IDS(ID_A, ID_A, ids_of("f", 0), "after chown(-1, 4242)");
	EXPECT_SYSCALL_RETURNS(0, chown("f", ID_B, -1));
	EXPECT_IDS(ID_B, ID_A, ids_of("f", 0), "after chown(4343, -1)");
}

/* META-23 chown(2): root's chown() clears S_ISUID and S_ISGID of a mode 06755 file, keeps S_ISGID of a 02745 file (no group-execute) and of a 02755 directory. */
TEST_F(meta, root_chown_clears_setuid_not_directory_setgid)
{
	static const struct { const char *name; mode_t before, after; } want[] = {
		{ "x", 06755, 0755 }, { "n", 02745, 02745 }, { "d", 02755, 02755 },
	};
	struct stat st;

	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(sc_write_file("x", "", 0));
	SC_SETUP(sc_write_file("n", "", 0));
	SC_SETUP(mkdir("d", 0700));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		SC_SETUP(chmod(want[i].name, want[i].before));
		EXPECT_SYSCALL_RETURNS(0, chown(want[i].name, ID_A, ID_B));
		SC_OK(stat(want[i].name, &st));
		EXPECT_EQ(want[i].after, st.st_mode & 07777) {
			TH_LOG("%s of mode 0%o after root's chown(): 0%o, expected 0%o", want[i].name,
			       want[i].before, st.st_mode & 07777, want[i].after);
		}
	}
}

/* META-24 chown(2): lchown() and fchownat(AT_SYMLINK_NOFOLLOW) change a symlink's own owner, not its target's; chown() through the link changes the target's. */
TEST_F(meta, lchown_changes_link_chown_follows)
{
	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(sc_write_file("f", "", 0));
	SC_SETUP(symlink("f", "l"));
	EXPECT_SYSCALL_RETURNS(0, lchown("l", ID_A, ID_B));
	EXPECT_IDS(ID_A, ID_B, ids_of("l", AT_SYMLINK_NOFOLLOW), "the link after lchown()");
	EXPECT_IDS(0, 0, ids_of("f", 0), "the target after lchown() of the link");
	EXPECT_SYSCALL_RETURNS(0, fchownat(AT_FDCWD, "l", ID_B, ID_A, AT_SYMLINK_NOFOLLOW));
	EXPECT_IDS(ID_B, ID_A, ids_of("l", AT_SYMLINK_NOFOLLOW), "the link after fchownat(AT_SYMLINK_NOFOLLOW)");
	EXPECT_IDS(0, 0, ids_of("f", 0), "the target after fchownat(AT_SYMLINK_NOFOLLOW)");
	EXPECT_SYSCALL_RETURNS(0, chown("l", ID_A, ID_A));
	EXPECT_IDS(ID_A, ID_A, ids_of("f", 0), "the target after chown() of the link");
	EXPECT_IDS(ID_B, ID_A, ids_of("l", AT_SYMLINK_NOFOLLOW), "the link after chown() through it");
}

/* META-24 chown(2): fchown() and fchownat(fd, "", AT_EMPTY_PATH) change the file the descriptor refers to, also after its name has been renamed. */
TEST_F(meta, fchown_and_empty_path_act_on_descriptor)
{
	int fd;

	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(sc_write_file("f", "", 0));
	fd = SC_OK(open("f", O_RDONLY | O_CLOEXEC));
	SC_SETUP(rename("f", "g"));
	SC_SETUP(sc_write_file("f", "", 0));
	EXPECT_SYSCALL_RETURNS(0, fchown(fd, ID_A, ID_B));
	EXPECT_IDS(ID_A, ID_B, ids_of("g", 0), "the file after fchown()");
	EXPECT_SYSCALL_RETURNS(0, fchownat(fd, "", ID_B, ID_A, AT_EMPTY_PATH));
	EXPECT_IDS(ID_B, ID_A, ids_of("g", 0), "the file after fchownat(AT_EMPTY_PATH)");
	EXPECT_IDS(0, 0, ids_of("f", 0), "the new file of the old name");
	close(fd);
}

TEST_HARNESS_MAIN
