// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysv: System V shared memory: shmget(IPC_PRIVATE), shmat/shmdt, shmctl
 * IPC_STAT, the IPC_RMID lifetime and IPC namespaces (SHM-06 .. SHM-11). Every segment is
 * IPC_PRIVATE and removed in teardown.
 */
#include "shm.h"

/* The segment's IPC_STAT, or shm_nattch -1 with errno. */
static struct shmid_ds stat_of(int id)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds) < 0) {
		memset(&ds, 0, sizeof(ds));
		ds.shm_nattch = (shmatt_t)-1;
	}
	return ds;
}

/* SHM-06 shmget(2), shmctl(2): shmget(IPC_PRIVATE) makes a new segment each time; IPC_STAT shows its size, mode and creator, no attaches. */
TEST_F(sysv, ipc_private_makes_new_segment)
{
	struct shmid_ds ds;

	SC_REQUIRE_FEATURE(sysv_shm);
	self->id[0] = SC_OK(shmget(IPC_PRIVATE, 3 * shm_page(), IPC_CREAT | 0600));
	self->id[1] = SC_OK(shmget(IPC_PRIVATE, 3 * shm_page(), IPC_CREAT | 0600));
	EXPECT_NE(self->id[0], self->id[1]);
	EXPECT_SYSCALL_RETURNS(0, shmctl(self->id[0], IPC_STAT, &ds));
	EXPECT_EQ((size_t)3 * shm_page(), ds.shm_segsz);
	EXPECT_EQ(0600, ds.shm_perm.mode & 0777);
	EXPECT_EQ((uid_t)syscall(SYS_geteuid), ds.shm_perm.cuid);	/* the kernel's, not fakeroot's */
	EXPECT_EQ((uid_t)syscall(SYS_geteuid), ds.shm_perm.uid);
	EXPECT_EQ(0, ds.shm_nattch);
	EXPECT_EQ(getpid(), ds.shm_cpid);
}

/* SHM-06 shmat(2): a new segment attaches as zero-filled memory, and two attaches of it share their stores. */
TEST_F(sysv, attaches_share_zeroed_memory)
{
	static const char zeros[64];
	char *a, *b;

	SC_REQUIRE_FEATURE(sysv_shm);
	self->id[0] = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	a = shmat(self->id[0], NULL, 0);
	ASSERT_NE((void *)-1, a) TH_LOG("shmat: %s", sc_errname(errno));
	b = shmat(self->id[0], NULL, 0);
	ASSERT_NE((void *)-1, b) TH_LOG("shmat: %s", sc_errname(errno));
	EXPECT_NE(a, b);
	EXPECT_EQ(0, memcmp(a, zeros, sizeof(zeros)));
	strcpy(a, "shared");
	EXPECT_STREQ("shared", b);
	shmdt(b);
	shmdt(a);
}

/* SHM-07 shmctl(2): shm_nattch counts the attaches: 1 and 2 after two shmat(), back to 1 and 0 after each shmdt(). */
TEST_F(sysv, nattch_counts_attaches)
{
	void *a, *b;

	SC_REQUIRE_FEATURE(sysv_shm);
	self->id[0] = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	a = shmat(self->id[0], NULL, 0);
	ASSERT_NE((void *)-1, a) TH_LOG("shmat: %s", sc_errname(errno));
	EXPECT_EQ(1, stat_of(self->id[0]).shm_nattch);
	b = shmat(self->id[0], NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, b) TH_LOG("shmat(SHM_RDONLY): %s", sc_errname(errno));
	EXPECT_EQ(2, stat_of(self->id[0]).shm_nattch);
	EXPECT_SYSCALL_RETURNS(0, shmdt(a));
	EXPECT_EQ(1, stat_of(self->id[0]).shm_nattch);
	EXPECT_SYSCALL_RETURNS(0, shmdt(b));
	EXPECT_EQ(0, stat_of(self->id[0]).shm_nattch);
}

/* SHM-08 shmctl(2): a segment marked IPC_RMID while attached lives on until the last detach: its memory keeps its data, IPC_STAT shows SHM_DEST and the attach; after shmdt() the id is gone (EINVAL). */
TEST_F(sysv, rmid_waits_for_last_detach)
{
	struct shmid_ds ds;
	char *p;

	SC_REQUIRE_FEATURE(sysv_shm);
	self->id[0] = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	p = shmat(self->id[0], NULL, 0);
	ASSERT_NE((void *)-1, p) TH_LOG("shmat: %s", sc_errname(errno));
	strcpy(p, "alive");
	EXPECT_SYSCALL_RETURNS(0, shmctl(self->id[0], IPC_RMID, NULL));
	EXPECT_STREQ("alive", p);
	p[0] = 'A';
	EXPECT_EQ('A', p[0]);
	EXPECT_SYSCALL_RETURNS(0, shmctl(self->id[0], IPC_STAT, &ds));
	EXPECT_EQ(1, ds.shm_nattch);
	EXPECT_TRUE(ds.shm_perm.mode & SHM_DEST) TH_LOG("mode 0%o", ds.shm_perm.mode);
	EXPECT_SYSCALL_RETURNS(0, shmdt(p));
	EXPECT_SYSCALL_FAILS(EINVAL, shmctl(self->id[0], IPC_STAT, &ds));
}

/* SHM-08 shmctl(2): IPC_RMID on a segment nobody has attached destroys it at once: IPC_STAT and shmat() of its id fail with EINVAL. */
TEST_F(sysv, rmid_unattached_destroys_at_once)
{
	struct shmid_ds ds;

	SC_REQUIRE_FEATURE(sysv_shm);
	self->id[0] = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	EXPECT_SYSCALL_RETURNS(0, shmctl(self->id[0], IPC_RMID, NULL));
	EXPECT_SYSCALL_FAILS(EINVAL, shmctl(self->id[0], IPC_STAT, &ds));
	EXPECT_EQ((void *)-1, shmat(self->id[0], NULL, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("shmat of a removed id: %s", sc_errname(errno));
}

/* SHM-09 shmget(2), shmdt(2): shmget(IPC_PRIVATE) of size 0 fails with EINVAL; shmdt() of an address that is no attach fails with EINVAL. */
TEST_F(sysv, zero_size_and_bad_detach_fail_einval)
{
	int id, err;
	char *p;

	SC_REQUIRE_FEATURE(sysv_shm);
	id = shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600);
	err = errno;
	if (id >= 0)	/* a divergence; the segment must not stay behind */
		shmctl(id, IPC_RMID, NULL);
	EXPECT_EQ(-1, id) TH_LOG("shmget(IPC_PRIVATE, 0) succeeded (id %d)", id);
	EXPECT_EQ(EINVAL, err) TH_LOG("shmget(IPC_PRIVATE, 0): %s", sc_errname(err));
	self->id[0] = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	p = shmat(self->id[0], NULL, 0);
	ASSERT_NE((void *)-1, p) TH_LOG("shmat: %s", sc_errname(errno));
	EXPECT_SYSCALL_FAILS(EINVAL, shmdt(p + 1));
	EXPECT_SYSCALL_FAILS(EINVAL, shmdt(&err));
	EXPECT_SYSCALL_RETURNS(0, shmdt(p));
	EXPECT_SYSCALL_FAILS(EINVAL, shmdt(p));
}

struct fork_report { shmatt_t nattch; char seen[8]; };
struct fork_data { struct fork_report r; int id; char *p; };

/* In the forked child: the attach is inherited: read the parent's store, store an answer, count the attaches. */
static int child_uses_inherited_attach(void *data)
{
	struct fork_data *d = data;

	memcpy(d->r.seen, d->p, sizeof(d->r.seen));
	strcpy(d->p + 100, "child");
	d->r.nattch = stat_of(d->id).shm_nattch;
	return SC_CHILD_OK;
}

/* SHM-10 shmat(2), fork(2): a forked child inherits the attach: shm_nattch counts it (2), its stores are seen by the parent, and its exit detaches it. */
TEST_F(sysv, fork_inherits_attach)
{
	struct fork_data d = { { 0, "" }, -1, NULL };
	struct sc_child c;

	SC_REQUIRE_FEATURE(sysv_shm);
	self->id[0] = d.id = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	d.p = shmat(d.id, NULL, 0);
	ASSERT_NE((void *)-1, d.p) TH_LOG("shmat: %s", sc_errname(errno));
	strcpy(d.p, "parent");
	sc_child_run(&c, "the child", child_uses_inherited_attach, &d, sizeof(d.r));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_STREQ("parent", d.r.seen);
	EXPECT_EQ(2, d.r.nattch);
	EXPECT_STREQ("child", d.p + 100);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(1, stat_of(d.id).shm_nattch);
	shmdt(d.p);
}

struct ipcns_report { enum sc_ns_result r; char why[200]; int stat_err; char seen[8]; };
struct ipcns_data { struct ipcns_report r; int id; char *p; };

/* In the child: enter a new IPC namespace, then look the parent's segment up by id and read the inherited attach. */
static int child_in_new_ipcns(void *data)
{
	struct ipcns_data *d = data;
	struct shmid_ds ds;

	d->r.r = sc_unshare(CLONE_NEWIPC, d->r.why, sizeof(d->r.why));
	if (d->r.r != SC_NS_OK)
		return SC_CHILD_OK;
	d->r.stat_err = shmctl(d->id, IPC_STAT, &ds) < 0 ? errno : 0;
	memcpy(d->r.seen, d->p, sizeof(d->r.seen));
	return SC_CHILD_OK;
}

/* SHM-11 ipc_namespaces(7), shmctl(2): after unshare(CLONE_NEWIPC) a segment of the old namespace is unknown by its id (IPC_STAT fails with EINVAL), while an attach made before keeps its memory. */
TEST_F(sysv, new_ipc_namespace_hides_segment_keeps_attach)
{
	struct ipcns_data d = { { SC_NS_ERROR, "", -1, "" }, -1, NULL };
	struct sc_child c;

	SC_REQUIRE_FEATURE(sysv_shm);
	SC_REQUIRE_FEATURE(ipcns);
	self->id[0] = d.id = SC_OK(shmget(IPC_PRIVATE, shm_page(), IPC_CREAT | 0600));
	d.p = shmat(d.id, NULL, 0);
	ASSERT_NE((void *)-1, d.p) TH_LOG("shmat: %s", sc_errname(errno));
	strcpy(d.p, "before");
	sc_child_run(&c, "the child", child_in_new_ipcns, &d, sizeof(d.r));
	ASSERT_CHILD_REPORTED(&c);
	SC_NS_ENTERED_OR_SKIP(d.r.r, d.r.why);
	EXPECT_EQ(EINVAL, d.r.stat_err) TH_LOG("shmctl(IPC_STAT) of the old namespace's id in the new one: %s",
					      d.r.stat_err ? sc_errname(d.r.stat_err) : "success");
	EXPECT_STREQ("before", d.r.seen);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(1, stat_of(d.id).shm_nattch);
	shmdt(d.p);
}

TEST_HARNESS_MAIN
