// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for the sampler of real processes (alloc/realproc.h): the
 * parse of /proc/PID/status, and what a sample does to the engine. The
 * real process is a child of the test that only pauses; the samples are
 * made up, so the tests decide what it "holds". It is killed at teardown,
 * or by the OOM killer in a test that expects it.
 *
 * Sizes are in pages. Single-threaded: the engine lock is not taken.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <check.h>

#include "alloc/alloc.h"
#include "alloc/realproc.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memcg.h"

#define MB(x) ((unsigned long)(x) * 256UL)

static struct alloc *a;
static struct engine *e;
static pid_t child;

static void setup(void)
{
	struct engine_config cfg = {
		.mode = CGROUP_V2,
		.ram_pages = MB(8192),
		.swap_pages = MB(1024),
		.nr_nodes = 1,
	};

	ck_assert_int_eq(alloc_create(&cfg, &a), 0);
	e = a->engine;
	child = fork();
	ck_assert_int_ge(child, 0);
	if (!child) {
		for (;;)
			pause();
	}
}

static void teardown(void)
{
	alloc_destroy(a);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

static struct cgroup *mkcg(const char *name)
{
	struct cgroup *cg;

	ck_assert_int_eq(cgroup_mkdir(e, e->root, name, &cg), 0);
	return cg;
}

/* the child, held in @cg */
static struct sim_task *hold_child(struct cgroup *cg)
{
	struct sim_task *t;

	ck_assert_int_eq(alloc_attach_locked(a, cg, child), 0);
	t = alloc_find_locked(a, child);
	ck_assert_ptr_nonnull(t);
	ck_assert(t->mt.real);
	return t;
}

static void sample(struct sim_task *t, unsigned long anon, unsigned long file, unsigned long shmem)
{
	struct realproc_sample s = { .state = 'S', .threads = 1 };

	s.pages[PAGE_ANON] = anon;
	s.pages[PAGE_FILE] = file;
	s.pages[PAGE_SHMEM] = shmem;
	realproc_apply_locked(a, t, &s, monotonic_ns());
}

static unsigned long stat_pages(struct cgroup *cg, enum memcg_node_stat_item item)
{
	return (unsigned long)memcg_node_stat(cg->memcg, 0, item, false);
}

/* ============================================================= parse */

START_TEST(test_parse_status)
{
	static const char text[] =
		"Name:\tpython3\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\n"
		"VmRSS:\t   70000 kB\nRssAnon:\t   61440 kB\nRssFile:\t    4096 kB\n"
		"RssShmem:\t    5120 kB\nVmSwap:\t       0 kB\nThreads:\t3\n";
	struct realproc_sample s;

	ck_assert_int_eq(realproc_parse_status(text, &s), 0);
	ck_assert_uint_eq(s.pages[PAGE_ANON], MB(60));
	ck_assert_uint_eq(s.pages[PAGE_FILE], MB(4));
	ck_assert_uint_eq(s.pages[PAGE_SHMEM], MB(5));
	ck_assert_int_eq(s.state, 'S');
	ck_assert_int_eq(s.threads, 3);
}
END_TEST

START_TEST(test_parse_status_kernel_thread_and_gone)
{
	struct realproc_sample s;

	/* a kernel thread or a zombie has no Rss lines: it holds nothing */
	ck_assert_int_eq(realproc_parse_status("Name:\tkthreadd\nState:\tS (sleeping)\n", &s), 0);
	ck_assert_uint_eq(s.pages[PAGE_ANON] + s.pages[PAGE_FILE] + s.pages[PAGE_SHMEM], 0);
	ck_assert_int_eq(s.threads, 1);
	ck_assert_int_eq(realproc_parse_status("", &s), -ESRCH);
}
END_TEST

/* ============================================================ charge */

START_TEST(test_growth_and_shrink_follow_the_samples)
{
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg);

	sample(t, MB(60), MB(4), MB(5));
	ck_assert_uint_eq(stat_pages(cg, NR_anon), MB(60));
	ck_assert_uint_eq(stat_pages(cg, NR_file), MB(9));	/* shmem is file too */
	ck_assert_uint_eq(stat_pages(cg, NR_shmem), MB(5));
	ck_assert_uint_eq(stat_pages(cg, NR_unevictable), MB(69));
	ck_assert_uint_eq(stat_pages(cg, NR_inactive_anon), 0);
	ck_assert_uint_ge(cg->memcg->memory.usage, MB(69));
	ck_assert_uint_le(cg->memcg->memory.usage, MB(69) + MEMCG_CHARGE_BATCH);

	sample(t, MB(20), 0, MB(5));
	ck_assert_uint_eq(stat_pages(cg, NR_anon), MB(20));
	ck_assert_uint_eq(stat_pages(cg, NR_file), MB(5));
	ck_assert_uint_eq(stat_pages(cg, NR_unevictable), MB(25));
	ck_assert_uint_le(cg->memcg->memory.usage, MB(25) + MEMCG_CHARGE_BATCH);
	ck_assert_uint_ge(cg->memcg->memory.watermark, MB(69));
}
END_TEST

START_TEST(test_exit_uncharges)
{
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg);

	sample(t, MB(10), 0, 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	/* the pidfd says it exited: the reaper lets its memory go */
	alloc_reap_exited_locked(a);
	ck_assert_ptr_null(alloc_find_locked(a, child));
	ck_assert_uint_eq(stat_pages(cg, NR_anon), 0);
	ck_assert_uint_eq(stat_pages(cg, NR_unevictable), 0);
}
END_TEST

START_TEST(test_reclaim_cannot_take_real_pages)
{
	/*
	 * a  max 100M: the real process holds 60M, a simulated task 30M
	 * (with swap); lowering max to 70M swaps the simulated task's, and
	 * the real process's 60M stays resident.
	 */
	static const unsigned long sim[NR_PAGE_TYPES] = { [PAGE_ANON] = MB(30) };
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg), *s;

	memcg_set_max(e, cg->memcg, MB(100), false);
	sample(t, MB(60), 0, 0);
	ck_assert_int_eq(alloc_spawn_locked(a, cg, sim, 0, &s), 0);
	alloc_run_locked(a);
	memcg_set_max(e, cg->memcg, MB(70), false);
	ck_assert_uint_le(cg->memcg->memory.usage, MB(70));
	ck_assert_uint_eq(memcg_task_pages(&t->mt, PAGE_ANON), MB(60));
	ck_assert_uint_eq(memcg_task_swapped(&t->mt), 0);
	ck_assert_uint_gt(memcg_task_swapped(&s->mt), 0);
	ck_assert_uint_eq(stat_pages(cg, NR_unevictable), MB(60));
	ck_assert_uint_eq(cg->memcg->events[MEMCG_OOM_KILL], 0);
}
END_TEST

START_TEST(test_past_max_the_real_process_is_killed)
{
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg);
	int status;

	memcg_set_max(e, cg->memcg, MB(100), false);
	sample(t, MB(150), 0, 0);
	ck_assert(t->mt.dead);
	ck_assert_uint_eq(cg->memcg->events[MEMCG_OOM_KILL], 1);
	ck_assert_uint_gt(cg->memcg->events[MEMCG_MAX], 0);
	ck_assert_uint_eq(stat_pages(cg, NR_anon), 0);	/* let go at once, as the OOM reaper does */
	ck_assert_int_eq(waitpid(child, &status, 0), child);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}
END_TEST

START_TEST(test_unkillable_growth_is_held)
{
	/* oom_score_adj -1000 and nobody else: the charge fails, the process is stopped */
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg);
	int status;

	memcg_set_max(e, cg->memcg, MB(100), false);
	t->mt.oom_score_adj = -1000;
	sample(t, MB(150), 0, 0);
	ck_assert(!t->mt.dead);
	ck_assert(t->rp.charge_blocked);
	ck_assert_uint_eq(cg->memcg->events[MEMCG_OOM_KILL], 0);
	ck_assert_uint_gt(cg->memcg->events[MEMCG_OOM], 0);
	realproc_enforce_locked(a, monotonic_ns());
	ck_assert_int_eq(waitpid(child, &status, WUNTRACED), child);
	ck_assert(WIFSTOPPED(status));
	/* it let go of enough: charged, and let go on */
	sample(t, MB(50), 0, 0);
	ck_assert(!t->rp.charge_blocked);
	realproc_enforce_locked(a, monotonic_ns());
	ck_assert_int_eq(waitpid(child, &status, WCONTINUED), child);
	ck_assert(WIFCONTINUED(status));
}
END_TEST

START_TEST(test_over_high_owes_a_penalty)
{
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg);
	uint64_t now = monotonic_ns(), next;

	memcg_set_high(e, cg->memcg, MB(40), false);
	sample(t, MB(80), 0, 0);
	ck_assert(!t->mt.dead);
	ck_assert_uint_gt(cg->memcg->events[MEMCG_HIGH], 0);
	/* a 2 s sleep per batch at twice memory.high, at most, summed */
	ck_assert_uint_gt(t->rp.throttle_end_ns, now + 2 * NSEC_PER_SEC);
	ck_assert_uint_gt(psi_total_ns(&cg->psi, PSI_SOME, UINT64_MAX), 0);	/* a stall begun */
	next = realproc_enforce_locked(a, monotonic_ns());
	ck_assert_uint_eq(next, t->rp.throttle_end_ns);
	ck_assert(t->rp.stop_sent);
	/* under high again: no new penalty */
	t->rp.throttle_end_ns = 0;
	sample(t, MB(30), 0, 0);
	ck_assert_uint_eq(t->rp.throttle_end_ns, 0);
	ck_assert_uint_eq(realproc_enforce_locked(a, monotonic_ns()), UINT64_MAX);
	ck_assert(!t->rp.stop_sent);
}
END_TEST

START_TEST(test_frozen_once_stopped)
{
	struct cgroup *cg = mkcg("a");
	struct sim_task *t = hold_child(cg);
	struct realproc_sample s = { .state = 'T', .threads = 1 };

	cgroup_set_freeze(e, cg, true);
	ck_assert(cgroup_freezing(cg));
	ck_assert(!cgroup_frozen(cg));	/* running until seen stopped */
	realproc_enforce_locked(a, monotonic_ns());
	ck_assert(t->rp.stop_sent);
	realproc_apply_locked(a, t, &s, monotonic_ns());
	ck_assert(cgroup_frozen(cg));
	ck_assert(cgroup_frozen(e->root) == false);
	cgroup_set_freeze(e, cg, false);
	realproc_enforce_locked(a, monotonic_ns());
	ck_assert(!t->rp.stop_sent);
	ck_assert(!t->mt.stopped);
}
END_TEST

START_TEST(test_the_daemon_itself_is_never_signalled)
{
	/* this test's process stands for memcgfs: frozen, over memory.max, cgroup.kill */
	struct cgroup *cg = mkcg("self");
	struct sim_task *t;

	/* the fixture's child was forked before: a clock tick later, it stays out */
	usleep(30000);
	ck_assert_int_eq(alloc_attach_locked(a, cg, getpid()), 0);
	t = alloc_find_locked(a, getpid());
	ck_assert_ptr_nonnull(t);
	memcg_set_max(e, cg->memcg, 1, false);
	cgroup_set_freeze(e, cg, true);
	realproc_sample_locked(a, cg);	/* a real sample: its own rss, over the limit */
	ck_assert(!t->mt.dead);
	ck_assert(!t->rp.stop_sent);
	ck_assert_uint_eq(cg->memcg->events[MEMCG_OOM_KILL], 0);
	ck_assert_uint_gt(cg->memcg->events[MEMCG_OOM], 0);
	ck_assert_int_eq(alloc_kill_locked(a, getpid()), 0);	/* cgroup.kill's path */
	ck_assert(!t->mt.dead);
	ck_assert_ptr_null(alloc_find_locked(a, child));
}
END_TEST

static Suite *realproc_suite(void)
{
	Suite *s = suite_create("realproc");
	TCase *tc;

	tc = tcase_create("parse");
	tcase_add_test(tc, test_parse_status);
	tcase_add_test(tc, test_parse_status_kernel_thread_and_gone);
	suite_add_tcase(s, tc);

	tc = tcase_create("charge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_growth_and_shrink_follow_the_samples);
	tcase_add_test(tc, test_exit_uncharges);
	tcase_add_test(tc, test_reclaim_cannot_take_real_pages);
	tcase_add_test(tc, test_past_max_the_real_process_is_killed);
	tcase_add_test(tc, test_unkillable_growth_is_held);
	tcase_add_test(tc, test_over_high_owes_a_penalty);
	tcase_add_test(tc, test_frozen_once_stopped);
	tcase_add_test(tc, test_the_daemon_itself_is_never_signalled);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(realproc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
