// SPDX-License-Identifier: GPL-2.0-only
/*
 * posix: POSIX shared memory objects, shm_open() and shm_unlink() on /dev/shm:
 * creation, sharing by name, unlink while mapped, names, access modes
 * (SHM-01 .. SHM-05).
 */
#include "shm.h"

/* SHM-01 shm_open(3): O_CREAT|O_EXCL makes a new object of size 0 with FD_CLOEXEC set; a second O_CREAT|O_EXCL of the name fails with EEXIST. */
TEST_F(posix, create_excl_then_eexist)
{
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	EXPECT_SYSCALL_RETURNS(FD_CLOEXEC, fcntl(fd, F_GETFD));
	SC_OK(fstat(fd, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode)) TH_LOG("st_mode 0%o", st.st_mode);
	EXPECT_EQ(0, st.st_size);
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_SYSCALL_FAILS(EEXIST, shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	close(fd);
}

/* SHM-01 shm_open(3): without O_CREAT a name that does not exist fails with ENOENT; an existing one opens the same object. */
TEST_F(posix, open_existing_gives_same_object)
{
	struct stat a, b;
	int fd, fd2;

	SC_REQUIRE_FEATURE(posix_shm);
	EXPECT_SYSCALL_FAILS(ENOENT, shm_open(self->name, O_RDWR, 0));
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	fd2 = SC_OK(shm_open(self->name, O_RDWR, 0));
	SC_OK(fstat(fd, &a));
	SC_OK(fstat(fd2, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	EXPECT_EQ(a.st_dev, b.st_dev);
	close(fd2);
	close(fd);
}

struct shm_child { char seen[8]; char name[96]; };

/* In the child: open the object by name, map it, read what the parent stored and store an answer. */
static int child_maps_by_name(void *data)
{
	struct shm_child *r = data;
	char *p;
	int fd = shm_open(r->name, O_RDWR, 0);

	if (fd < 0)
		return sc_child_fail("shm_open(%s, O_RDWR): %s", r->name, sc_errname(errno));
	p = mmap(NULL, shm_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return sc_child_fail("mmap: %s", sc_errname(errno));
	memcpy(r->seen, p, sizeof(r->seen));
	memcpy(p + 100, "answer", 7);
	return SC_CHILD_OK;
}

/* SHM-02 shm_open(3), shm_overview(7): after ftruncate(), mappings of one object by name in two processes share their stores, and read() sees them. */
TEST_F(posix, mappings_by_name_share_stores)
{
	struct shm_child r = { "", "" };
	struct sc_child c;
	char buf[8], *p;
	int fd;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	EXPECT_SYSCALL_RETURNS(0, ftruncate(fd, shm_page()));
	p = mmap(NULL, shm_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", sc_errname(errno));
	memcpy(p, "parent", 7);
	snprintf(r.name, sizeof(r.name), "%s", self->name);
	sc_child_run(&c, "the child", child_maps_by_name, &r, sizeof(r.seen));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_STREQ("parent", r.seen);
	EXPECT_STREQ("answer", p + 100);
	EXPECT_SYSCALL_RETURNS(7, pread(fd, buf, 7, 100));
	EXPECT_STREQ("answer", buf);
	EXPECT_CHILD_SUCCEEDED(&c);
	munmap(p, shm_page());
	close(fd);
}

/* SHM-03 shm_unlink(3): shm_unlink() removes the name (shm_open without O_CREAT then fails with ENOENT, a second shm_unlink too), while open descriptors and mappings keep the object and its data. */
TEST_F(posix, unlink_while_mapped_keeps_object)
{
	char buf[8], *p;
	struct stat st;
	int fd;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SC_OK(ftruncate(fd, shm_page()));
	p = mmap(NULL, shm_page(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p) TH_LOG("mmap: %s", sc_errname(errno));
	memcpy(p, "kept", 5);
	EXPECT_SYSCALL_RETURNS(0, shm_unlink(self->name));
	EXPECT_SYSCALL_FAILS(ENOENT, shm_open(self->name, O_RDWR, 0));
	EXPECT_SYSCALL_FAILS(ENOENT, shm_unlink(self->name));
	SC_OK(fstat(fd, &st));
	ASSERT_EQ(shm_page(), st.st_size);
	EXPECT_SYSCALL_RETURNS(5, pread(fd, buf, 5, 0));
	EXPECT_STREQ("kept", buf);
	p[0] = 'K';
	EXPECT_SYSCALL_RETURNS(1, pread(fd, buf, 1, 0));
	EXPECT_EQ('K', buf[0]);
	munmap(p, shm_page());
	close(fd);
}

/* SHM-03 shm_unlink(3): after shm_unlink(), O_CREAT|O_EXCL of the same name makes a new, empty object. */
TEST_F(posix, unlink_then_create_gives_new_object)
{
	struct stat a, b;
	int fd, fd2;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SC_OK(ftruncate(fd, 100));
	SC_OK(shm_unlink(self->name));
	fd2 = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SC_OK(fstat(fd, &a));
	SC_OK(fstat(fd2, &b));
	EXPECT_NE(a.st_ino, b.st_ino);
	EXPECT_EQ(100, a.st_size);
	EXPECT_EQ(0, b.st_size);
	close(fd2);
	close(fd);
}

/* shm_open(NAME, O_CREAT|O_EXCL) that leaves nothing behind: what it made is unlinked at once. */
static int shm_open_removed(const char *name)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);

	if (fd >= 0) {
		close(fd);
		shm_unlink(name);
	}
	return fd;
}

/* SHM-04 shm_open(3): a name with a slash after its leading ones, or only slashes, fails with EINVAL; one longer than NAME_MAX fails (glibc EINVAL, musl ENAMETOOLONG). */
TEST_F(posix, bad_names_fail)
{
	char longname[300];
	int fd, err;

	SC_REQUIRE_FEATURE(posix_shm);
	EXPECT_SYSCALL_FAILS(EINVAL, shm_open_removed("/sysconform-no-such-dir/x"));
	EXPECT_SYSCALL_FAILS(EINVAL, shm_open_removed("/"));
	EXPECT_SYSCALL_FAILS(EINVAL, shm_open_removed("///"));
	longname[0] = '/';
	memset(longname + 1, 'n', sizeof(longname) - 2);
	longname[sizeof(longname) - 1] = 0;
	fd = shm_open_removed(longname);
	err = errno;
	EXPECT_EQ(-1, fd) TH_LOG("shm_open of a %zu-byte name succeeded", strlen(longname));
	EXPECT_TRUE(err == EINVAL || err == ENAMETOOLONG)
		TH_LOG("shm_open of a %zu-byte name: expected EINVAL or ENAMETOOLONG, got %s",
		       strlen(longname), sc_errname(err));
}

/* SHM-04 shm_open(3): a name without a leading slash names the same object as with one. */
TEST_F(posix, leading_slash_optional)
{
	struct stat a, b;
	int fd, fd2;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	fd2 = SC_OK(shm_open(self->name + 1, O_RDWR, 0));
	SC_OK(fstat(fd, &a));
	SC_OK(fstat(fd2, &b));
	EXPECT_EQ(a.st_ino, b.st_ino);
	close(fd2);
	close(fd);
}

/* SHM-05 shm_open(3), mmap(2): through an O_RDONLY descriptor, mmap(MAP_SHARED, PROT_WRITE) fails with EACCES and ftruncate() with EINVAL; PROT_READ maps. */
TEST_F(posix, read_only_open_refuses_writable_map)
{
	int fd, ro;
	char *p;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SC_OK(ftruncate(fd, shm_page()));
	ro = SC_OK(shm_open(self->name, O_RDONLY, 0));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, shm_page(), PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0));
	EXPECT_EQ(EACCES, errno) TH_LOG("mmap(MAP_SHARED, PROT_WRITE) of O_RDONLY: %s", sc_errname(errno));
	EXPECT_SYSCALL_FAILS(EINVAL, ftruncate(ro, 2 * shm_page()));
	p = mmap(NULL, shm_page(), PROT_READ, MAP_SHARED, ro, 0);
	EXPECT_NE(MAP_FAILED, p) TH_LOG("mmap(PROT_READ): %s", sc_errname(errno));
	if (p != MAP_FAILED)
		munmap(p, shm_page());
	close(ro);
	close(fd);
}

/* SHM-05 shm_open(3): O_TRUNC on an existing object opened O_RDWR truncates it to 0. */
TEST_F(posix, o_trunc_empties_object)
{
	struct stat st;
	int fd, fd2;

	SC_REQUIRE_FEATURE(posix_shm);
	fd = SC_OK(shm_open(self->name, O_RDWR | O_CREAT | O_EXCL, 0600));
	SC_OK(ftruncate(fd, 1000));
	fd2 = SC_OK(shm_open(self->name, O_RDWR | O_TRUNC, 0));
	SC_OK(fstat(fd, &st));
	EXPECT_EQ(0, st.st_size);
	close(fd2);
	close(fd);
}

TEST_HARNESS_MAIN
