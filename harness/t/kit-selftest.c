/* SPDX-License-Identifier: GPL-2.0-only */
/* The kit's own cases (harness/t/kit.t builds and runs this): what sc_kit.h promises. */
#include <pthread.h>
#include "sysconform.h"

static int ready_then_hold(void *data)
{
	sc_child_send();
	return sc_child_hold(data);
}

TEST(ready_only)
{
	struct sc_pipe go;
	struct sc_child c;

	sc_pipe_setup(_metadata, &go, O_CLOEXEC);
	SC_CHILD_START(&c, "the holder", ready_then_hold, &go, SC_READY_ONLY);
	SC_CHILD_READY(&c);
	EXPECT_EQ('r', c.ready);
	sc_release(&go);
	ASSERT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&go);
}

static int ready_then_fail(void *data)
{
	(void)data;
	return sc_child_fail("no");
}

TEST(ready_only_fails)
{
	struct sc_child c;

	SC_CHILD_START(&c, "the child", ready_then_fail, NULL, SC_READY_ONLY);
	EXPECT_EQ(-ENODATA, sc_child_report(&c));
	EXPECT_EQ(SC_CHILD_FAILED, sc_child_end(&c));
	EXPECT_STREQ("the child sent no report, exited 1: no", c.text);
}

struct two { int a; };

static int twice(void *data)
{
	struct two *t = data;
	struct sc_pipe *go = (void *)(t + 1);

	t->a = 1;
	sc_child_send_first();
	sc_hold(go, SC_WAIT_MS);
	t->a = 2;
	return SC_CHILD_OK;
}

TEST(two_reports)
{
	struct { struct two t; struct sc_pipe go; } d = { .t = { 0 } };
	struct sc_child c;

	sc_pipe_setup(_metadata, &d.go, O_CLOEXEC);
	SC_CHILD_START(&c, "the waiter", twice, &d, sizeof(d.t));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(1, d.t.a);
	sc_release(&d.go);
	EXPECT_EQ(0, sc_child_report_next(&c));
	ASSERT_CHILD_REPORTED(&c);
	EXPECT_EQ(2, d.t.a);
	EXPECT_CHILD_SUCCEEDED(&c);
	sc_pipe_teardown(&d.go);
}

TEST(two_reports_second_not_read)
{
	struct { struct two t; struct sc_pipe go; } d = { .t = { 0 } };
	struct sc_child c;

	sc_pipe_setup(_metadata, &d.go, O_CLOEXEC);
	SC_CHILD_START(&c, "the waiter", twice, &d, sizeof(d.t));
	ASSERT_CHILD_REPORTED(&c);
	sc_release(&d.go);
	EXPECT_CHILD_SUCCEEDED(&c);
	EXPECT_EQ(2, d.t.a);
	sc_pipe_teardown(&d.go);
}

static int segv(void *data)
{
	(void)data;
	raise(SIGSEGV);
	return SC_CHILD_OK;
}

TEST(nocore)
{
	struct sc_child c;

	sc_child_run_nocore(&c, "the child", segv, NULL, 0);
	EXPECT_CHILD_KILLED_BY(SIGSEGV, &c);
	EXPECT_FALSE(WCOREDUMP(c.status));
	TH_LOG("%s", c.text);
}

TEST(zeroed)
{
	struct sc_child c = { 0 };
	pid_t other;

	if (fcntl(0, F_GETFD) < 0)	/* fd 0, which a zeroed c.rd names, is open */
		ASSERT_EQ(0, open("/dev/null", O_RDONLY));
	other = sc_fork();

	if (other == 0) {
		usleep(200000);
		_exit(7);
	}
	EXPECT_EQ(SC_CHILD_ERROR, sc_child_end(&c));
	EXPECT_STREQ("the child was never started", c.text);
	EXPECT_EQ(-ECHILD, sc_child_report(&c));
	EXPECT_EQ(0, waitpid(other, NULL, WNOHANG));	/* not reaped by the zeroed end */
	EXPECT_EQ(7, sc_exit_code(sc_wait(other)));
	EXPECT_EQ(0, fcntl(0, F_GETFD) < 0);	/* stdin not closed */
}

static void *fail_in_thread(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		sc_child_fail("thread %d", *(int *)arg);
		if (atoi(sc_child_self()->why + 7) != *(int *)arg)
			return (void *)1;
	}
	return NULL;
}

TEST(words_per_thread)
{
	pthread_t t[4];
	int n[4] = { 1, 2, 3, 4 };
	void *r;

	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, fail_in_thread, &n[i]);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &r);
		EXPECT_EQ(NULL, r);
	}
}

TEST(start_once)
{
	struct sc_child cs[2];
	int i = 0;

	SC_CHILD_START(&cs[i++], "a", segv, NULL, 0);
	EXPECT_EQ(1, i);
	sc_child_end(&cs[0]);
}

TEST(helper_io)
{
	const char *const args[] = { "--wait", "0", NULL };
	char out[256];
	struct sc_child c;
	int in, rd;

	ASSERT_EQ(0, sc_spawn_helper_io(&c, args, &in, &rd, NULL, NULL));
	EXPECT_LT(0, sc_read_lines(rd, out, sizeof(out), 1));
	TH_LOG("%s", out);
	sc_kit_close(in);
	sc_kit_close(rd);
	EXPECT_CHILD_SUCCEEDED(&c);
}

TEST_HARNESS_MAIN
