// SPDX-License-Identifier: GPL-2.0-only
/*
 * modes: chmod() and who may call it, the set-user-ID and set-group-ID bits that
 * chmod(), chown() and write() clear, sticky and set-group-ID directories,
 * fchmodat(AT_SYMLINK_NOFOLLOW) on a symlink (META-14, META-15, META-17 .. META-20,
 * META-25). "Another user" is a kit child that becomes uid/gid 65534 (root's files
 * prepared for it); when not root, the child stays the caller and the clauses that
 * need a second user skip.
 * Man pages: chmod(2), chown(2), capabilities(7), inode(7), unlink(2), mkdir(2).
 */
#include "meta.h"

/* NAME's permission and special bits (st_mode & 07777), or -1. */
static int mode_of(const char *name)
{
	struct stat st;

	return lstat(name, &st) ? -1 : (int)(st.st_mode & 07777);
}

/* Make NAME a regular file of mode MODE (whatever the umask); 0 or -1. */
static int make_file(const char *name, mode_t mode)
{
	return sc_write_file(name, "#!/bin/sh\n", 10) || chmod(name, mode) ? -1 : 0;
}

#define EXPECT_MODE(want, seen, what) do {				\
	int expected_mode = (want), seen_mode = (seen);			\
	EXPECT_EQ(expected_mode, seen_mode) {				\
		TH_LOG("%s: mode 0%o, expected 0%o", what, seen_mode, expected_mode); \
	}								\
} while (0)

struct chmod_seen {
	int others, own;
};

static int chmod_child(void *data)
{
	struct chmod_seen *s = data;

	META_DROP();
	if (make_file("mine", 0600))
		return sc_child_error("make its own file: %s", sc_errname(errno));
	s->others = META_ERR(chmod("roots", 0777));
	s->own = META_ERR(chmod("mine", 0644));
	return SC_CHILD_OK;
}

/* META-14 chmod(2): chmod() of a file the caller does not own, without CAP_FOWNER, fails with EPERM (and the mode stays), while its own file's chmod works. */
TEST_F(meta, chmod_by_non_owner_fails_eperm)
{
	struct chmod_seen s = { -1, -1 };

	META_NEED_ROOT();
	SC_SETUP(chmod(".", 0777));
	SC_SETUP(make_file("roots", 0666));
	META_RUN(chmod_child, &s, sizeof(s));
	EXPECT_ERRNO(EPERM, s.others, "chmod() of root's file by uid 65534");
	EXPECT_MODE(0666, mode_of("roots"), "root's file after the refused chmod()");
	EXPECT_ERRNO(0, s.own, "chmod() of its own file by uid 65534");
	EXPECT_MODE(0644, mode_of("mine"), "its own file");
}

static int chmod_all_bits_child(void *data)
{
	META_DROP();
	if (make_file("mine", 0600))
		return sc_child_error("make its own file: %s", sc_errname(errno));
	*(int *)data = chmod("mine", 07777) ? -errno : mode_of("mine");
	return SC_CHILD_OK;
}

/* META-14 chmod(2): an unprivileged owner in the file's group may set all 12 mode bits: chmod(f, 07777) reads back 07777. */
TEST_F(meta, owner_chmod_sets_all_twelve_bits)
{
	int mode = -1;

	SC_SETUP(chmod(".", 0777));
	META_RUN(chmod_all_bits_child, &mode, sizeof(mode));
	if (mode < 0)
		EXPECT_ERRNO(0, -mode, "chmod(own file, 07777)");
	else
		EXPECT_MODE(07777, mode, "its own file after chmod(07777)");
}

struct sgid_seen {
	int sgid_err, sgid_mode, suid_err, suid_mode;
};

static int chmod_sgid_child(void *data)
{
	struct sgid_seen *s = data;

	META_DROP();
	s->sgid_err = META_ERR(chmod("f", 02755));
	s->sgid_mode = mode_of("f");
	s->suid_err = META_ERR(chmod("f", 04755));
	s->suid_mode = mode_of("f");
	return SC_CHILD_OK;
}

/* META-15 chmod(2): an unprivileged owner's chmod(02755) of a file whose group is not one of its groups succeeds but leaves S_ISGID clear; chmod(04755) keeps S_ISUID. */
TEST_F(meta, chmod_setgid_outside_group_silently_cleared)
{
	struct sgid_seen s = { -1, -1, -1, -1 };

	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(chmod(".", 0755));
	SC_SETUP(make_file("f", 0644));
	SC_SETUP(chown("f", META_NOBODY, 0));
	META_RUN(chmod_sgid_child, &s, sizeof(s));
	EXPECT_ERRNO(0, s.sgid_err, "chmod(02755) by the owner outside the file's group");
	EXPECT_MODE(0755, s.sgid_mode, "after chmod(02755) by the owner outside the file's group");
	EXPECT_ERRNO(0, s.suid_err, "chmod(04755) by the owner");
	EXPECT_MODE(04755, s.suid_mode, "after chmod(04755) by the owner");
}

struct chown_bits_seen {
	int exec_mode, noexec_mode;
};

/* Chown the caller's 06755 and 02745 files to their own ids: the modes after. */
static int chown_own_files(struct chown_bits_seen *s)
{
	if (make_file("x", 06755) || make_file("n", 02745))
		return -1;
	if (chown("x", geteuid(), getegid()) || chown("n", geteuid(), getegid()))
		return -1;
	s->exec_mode = mode_of("x");
	s->noexec_mode = mode_of("n");
	return 0;
}

static int chown_bits_child(void *data)
{
	META_DROP();
	if (chown_own_files(data))
		return sc_child_fail("chmod/chown of its own files -> %s", sc_errname(errno));
	return SC_CHILD_OK;
}

/* META-17 chown(2): chown() of an executable file clears S_ISUID and (group-execute being set) S_ISGID, by root and by an unprivileged owner; S_ISGID without group-execute stays. */
TEST_F(meta, chown_clears_setuid_and_setgid_of_executable)
{
	struct chown_bits_seen s = { -1, -1 };

	SC_SETUP(mkdir("child", 0777));
	SC_SETUP(chmod("child", 0777));
	SC_SETUP(chmod(".", 0755));
	ASSERT_SYSCALL_RETURNS(0, chown_own_files(&s));
	EXPECT_MODE(0755, s.exec_mode, "06755 file after chown() by the caller");
	EXPECT_MODE(02745, s.noexec_mode, "02745 file after chown() by the caller");
	if (!meta_root())
		return;		/* the caller was the unprivileged owner */
	SC_SETUP(chdir("child"));
	s = (struct chown_bits_seen){ -1, -1 };
	META_RUN(chown_bits_child, &s, sizeof(s));
	EXPECT_MODE(0755, s.exec_mode, "06755 file after chown() by uid 65534");
	EXPECT_MODE(02745, s.noexec_mode, "02745 file after chown() by uid 65534");
}

struct write_bits_seen {
	int exec_mode, noexec_mode;
};

/* Write a byte to NAME (through a new descriptor); 0 or -1. */
static int write_one(const char *name)
{
	int fd = open(name, O_WRONLY | O_APPEND | O_CLOEXEC);
	int n = fd < 0 ? -1 : write(fd, "#", 1);

	if (fd >= 0)
		close(fd);
	return n == 1 ? 0 : -1;
}

static int write_bits_child(void *data)
{
	struct write_bits_seen *s = data;

	META_DROP();
	if (make_file("x", 06755) || make_file("n", 02745))
		return sc_child_error("make its own files: %s", sc_errname(errno));
	SC_CHILD_CALL(write_one("x"));
	SC_CHILD_CALL(write_one("n"));
	s->exec_mode = mode_of("x");
	s->noexec_mode = mode_of("n");
	return SC_CHILD_OK;
}

/* META-18 capabilities(7): a write() by a process without CAP_FSETID clears S_ISUID and, with group-execute, S_ISGID of the file; S_ISGID without group-execute stays. */
TEST_F(meta, unprivileged_write_clears_setuid)
{
	struct write_bits_seen s = { -1, -1 };

	SC_SETUP(chmod(".", 0777));
	META_RUN(write_bits_child, &s, sizeof(s));
	EXPECT_MODE(0755, s.exec_mode, "06755 file after a write() without CAP_FSETID");
	EXPECT_MODE(02745, s.noexec_mode, "02745 file after a write() without CAP_FSETID");
}

/* META-18 capabilities(7): a write() by root (CAP_FSETID) keeps S_ISUID and S_ISGID. */
TEST_F(meta, root_write_keeps_setuid)
{
	/* Not through a user namespace: write() asks for CAP_FSETID in the initial one. */
	META_NEED_INITIAL_CAP(CAP_FSETID);
	SC_SETUP(make_file("x", 06755));
	EXPECT_SYSCALL_RETURNS(0, write_one("x"));
	EXPECT_MODE(06755, mode_of("x"), "06755 file after a write() by root");
}

struct sticky_seen {
	int unlink_other, rename_other, replace_other, unlink_own, unlink_in_own_dir;
};

static int sticky_child(void *data)
{
	struct sticky_seen *s = data;

	META_DROP();
	if (sc_write_file("t/mine", "", 0) || sc_write_file("t/mine2", "", 0))
		return sc_child_error("create in the sticky directory: %s", sc_errname(errno));
	s->unlink_other = META_ERR(unlink("t/root1"));
	s->rename_other = META_ERR(rename("t/root2", "t/moved"));
	s->replace_other = META_ERR(rename("t/mine2", "t/root2"));
	s->unlink_own = META_ERR(unlink("t/mine"));
	s->unlink_in_own_dir = META_ERR(unlink("o/root1"));
	return SC_CHILD_OK;
}

/* META-19 unlink(2): in a sticky mode 01777 directory uid 65534 cannot unlink, rename or replace root's entries (EPERM) but can unlink its own; in a sticky directory it owns it can unlink root's entry. */
TEST_F(meta, sticky_directory_protects_others_entries)
{
	struct sticky_seen s;

	memset(&s, 0xff, sizeof(s));
	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(chmod(".", 0755));
	SC_SETUP(mkdir("t", 0700));
	SC_SETUP(chmod("t", 01777));
	SC_SETUP(mkdir("o", 0700));
	SC_SETUP(chown("o", META_NOBODY, META_NOBODY));
	SC_SETUP(chmod("o", 01777));
	SC_SETUP(make_file("t/root1", 0666));
	SC_SETUP(make_file("t/root2", 0666));
	SC_SETUP(make_file("o/root1", 0666));
	META_RUN(sticky_child, &s, sizeof(s));
	EXPECT_ERRNO(EPERM, s.unlink_other, "unlink() of root's entry in a sticky directory");
	EXPECT_ERRNO(EPERM, s.rename_other, "rename() of root's entry in a sticky directory");
	EXPECT_ERRNO(EPERM, s.replace_other, "rename() over root's entry in a sticky directory");
	EXPECT_ERRNO(0, s.unlink_own, "unlink() of its own entry in a sticky directory");
	EXPECT_ERRNO(0, s.unlink_in_own_dir, "unlink() of root's entry in its own sticky directory");
}

/* META-20 inode(7): in a set-group-ID directory a new file gets the directory's gid, not the creator's egid, and a new subdirectory also gets S_ISGID; in a plain directory the egid. */
TEST_F(meta, setgid_directory_passes_on_its_group)
{
	struct stat st;

	META_NEED_CAP(CAP_CHOWN);
	SC_SETUP(mkdir("s", 0700));
	SC_SETUP(chown("s", 0, META_NOBODY));
	SC_SETUP(chmod("s", 02775));
	SC_SETUP(mkdir("p", 0700));
	SC_SETUP(chown("p", 0, META_NOBODY));
	SC_OK(sc_write_file("s/f", "", 0));
	SC_OK(mkdir("s/sub", 0755));
	SC_OK(sc_write_file("p/f", "", 0));
	SC_OK(stat("s/f", &st));
	EXPECT_EQ(META_NOBODY, st.st_gid);
	SC_OK(stat("s/sub", &st));
	EXPECT_EQ(META_NOBODY, st.st_gid);
	EXPECT_TRUE(st.st_mode & S_ISGID) {
		TH_LOG("the new subdirectory's mode is 0%o, without S_ISGID", st.st_mode & 07777);
	}
	SC_OK(stat("p/f", &st));
	EXPECT_EQ(getegid(), st.st_gid);
}

/* META-25 chmod(2): fchmodat(AT_SYMLINK_NOFOLLOW) of a symlink fails with EOPNOTSUPP and changes neither the link (mode 0777) nor its target, while chmod() through the link changes the target. */
TEST_F(meta, fchmodat_nofollow_on_symlink_fails_eopnotsupp)
{
	SC_SETUP(make_file("f", 0644));
	SC_SETUP(symlink("f", "l"));
	EXPECT_MODE(0777, mode_of("l"), "a new symlink");
	EXPECT_SYSCALL_RETURNS(0, chmod("l", 0600));
	EXPECT_MODE(0600, mode_of("f"), "the target after chmod() of the link");
	EXPECT_MODE(0777, mode_of("l"), "the link after chmod() through it");
	EXPECT_SYSCALL_FAILS(EOPNOTSUPP, fchmodat(AT_FDCWD, "l", 0640, AT_SYMLINK_NOFOLLOW));
	EXPECT_MODE(0600, mode_of("f"), "the target after fchmodat(AT_SYMLINK_NOFOLLOW) of the link");
	EXPECT_MODE(0777, mode_of("l"), "the link after fchmodat(AT_SYMLINK_NOFOLLOW)");
}

TEST_HARNESS_MAIN
