// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for the engine's cgroup tree, events, charge path, reclaim and
 * OOM killer, driven through the simulated allocator (alloc/alloc.h) as
 * memcgctl drives them. Each test gets a fresh machine from its fixture and
 * asserts what a user would read from the cgroup files (usage, events,
 * stats, whether a task survived).
 *
 * Trees are drawn in each test. Sizes are in pages; MB(x) is x MiB.
 * Single-threaded, so the engine lock is not taken.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "alloc/alloc.h"
#include "common/macro.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memcg.h"
#include "engine/oom.h"
#include "engine/psi.h"
#include "engine/writeback.h"

#define MB(x) ((unsigned long)(x) * 256UL)

/*
 * The first task started in a memcg charges its kernel stack (4 pages) as a
 * 64-page batch: 4 pages of stack and 60 in the stock, all shown in usage
 * until the stock is drained; later tasks take their stacks from the stock.
 */
#define TASK_OVERHEAD MEMCG_CHARGE_BATCH
#define RAM_PAGES MB(8192)
#define SWAP_PAGES MB(1024)
#define NSEC_PER_MSEC 1000000ULL

static struct alloc *a;
static struct engine *e;

static void setup_with(unsigned long swap_pages, bool localevents)
{
	struct engine_config cfg = {
		.mode = CGROUP_V2,
		.ram_pages = RAM_PAGES,
		.swap_pages = swap_pages,
		.nr_nodes = 1,
		.memory_localevents = localevents,
	};

	ck_assert_int_eq(alloc_create(&cfg, &a), 0);
	e = a->engine;
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(e->root);
}

static void setup_noswap(void)
{
	setup_with(0, false);
}

static void setup_swap(void)
{
	setup_with(SWAP_PAGES, false);
}

static void setup_localevents(void)
{
	setup_with(0, true);
}

static void teardown(void)
{
	alloc_destroy(a);
	a = NULL;
	e = NULL;
}

/* ---- helpers ------------------------------------------------------------ */

/* the selftests' values_close(): |a - b| <= (a + b) / 100 * err */
static bool values_close(unsigned long x, unsigned long y, unsigned long err)
{
	unsigned long diff = x > y ? x - y : y - x;

	return diff <= (x + y) / 100 * err;
}

static struct cgroup *mkcg(struct cgroup *parent, const char *name)
{
	struct cgroup *cg = NULL;

	ck_assert_int_eq(cgroup_mkdir(e, parent, name, &cg), 0);
	ck_assert_ptr_nonnull(cg);
	return cg;
}

/* A memory cgroup under the root with a memory.max and memory.swap.max. */
static struct cgroup *mklimited(const char *name, unsigned long max, unsigned long swap_max)
{
	struct cgroup *cg = mkcg(e->root, name);

	ck_assert_ptr_nonnull(cg->memcg);
	memcg_set_max(e, cg->memcg, max, false);
	cg->memcg->swap.max = swap_max;
	return cg;
}

struct outcome {
	int calls;
	enum task_outcome last;
};

static void record_outcome(void *arg, int pid, enum task_outcome outcome)
{
	struct outcome *o = arg;

	o->calls++;
	o->last = outcome;
}

static int spawn(struct cgroup *cg, enum memcg_page_type type, unsigned long nr_pages,
		 int oom_score_adj, struct outcome *o)
{
	unsigned long pages[NR_PAGE_TYPES] = { 0 };
	struct sim_task *t = NULL;

	pages[type] = nr_pages;
	ck_assert_int_eq(alloc_spawn_locked(a, cg, pages, oom_score_adj, &t), 0);
	ck_assert_ptr_nonnull(t);
	if (o) {
		*o = (struct outcome){ .last = TASK_RUNNING };
		t->waiter.fn = record_outcome;
		t->waiter.arg = o;
		alloc_wake_locked(a, t);
	}
	return t->mt.pid;
}

/* Run every task to completion, sleeping through memory.high penalties. */
static void run(void)
{
	int i;

	for (i = 0; i < 100000; i++) {
		uint64_t next;

		alloc_run_locked(a);
		next = alloc_next_wakeup_locked(a);
		if (next == ALLOC_WAKE_NEVER)
			return;
		e->now_ns = next;
	}
	ck_abort_msg("tasks still throttled after %d rounds", i);
}

static bool alive(int pid)
{
	struct sim_task *t = alloc_find_locked(a, pid);

	return t && !t->mt.dead;
}

static void kill_task(int pid)
{
	ck_assert_int_eq(alloc_kill_locked(a, pid), 0);
	alloc_reap_locked(a);
	ck_assert(!alive(pid));
}

static unsigned long usage(const struct cgroup *cg)
{
	return cg->memcg->memory.usage;
}

static unsigned long swap_usage(const struct cgroup *cg)
{
	return cg->memcg->swap.usage;
}

static unsigned long ev(const struct cgroup *cg, enum memcg_memory_event event)
{
	return cg->memcg->events[event];
}

static unsigned long ev_local(const struct cgroup *cg, enum memcg_memory_event event)
{
	return cg->memcg->events_local[event];
}

static long node_stat(const struct cgroup *cg, enum memcg_node_stat_item item, bool local)
{
	return memcg_node_stat(cg->memcg, 0, item, local);
}

/* ================================================================== tree */

START_TEST(test_mkdir_basic)
{
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(a1, "b");

	ck_assert_ptr_eq(cgroup_lookup_child(e->root, "a"), a1);
	ck_assert_ptr_eq(cgroup_lookup_child(a1, "b"), b);
	ck_assert_ptr_null(cgroup_lookup_child(e->root, "b"));
	ck_assert_int_eq(a1->level, 1);
	ck_assert_int_eq(b->level, 2);
	ck_assert_int_eq(e->root->nr_descendants, 2);
	ck_assert_int_eq(a1->nr_descendants, 1);
	ck_assert_ptr_eq(cgroup_by_id(e, b->id), b);
	/* the root enables memory (systemd style); "a" does not */
	ck_assert(e->root->subtree_memory);
	ck_assert_ptr_nonnull(a1->memcg);
	ck_assert_ptr_null(b->memcg);
	ck_assert_ptr_eq(cgroup_memcg(b), a1->memcg);
	ck_assert_ptr_eq(a1->memcg->parent, e->root->memcg);
	/* a fresh memcg reads exactly 0 and unlimited */
	ck_assert_uint_eq(usage(a1), 0);
	ck_assert_uint_eq(a1->memcg->memory.max, PAGE_COUNTER_MAX);
	ck_assert_uint_eq(a1->memcg->memory.high, PAGE_COUNTER_MAX);
	ck_assert_uint_eq(a1->memcg->swap.max, PAGE_COUNTER_MAX);
	ck_assert_int_eq(a1->max_depth, INT_MAX);
}
END_TEST

START_TEST(test_mkdir_errors)
{
	struct cgroup *cg = NULL, *a1 = mkcg(e->root, "a");

	ck_assert_int_eq(cgroup_mkdir(e, e->root, "a", &cg), -EEXIST);
	ck_assert_int_eq(cgroup_mkdir(e, e->root, "x\ny", &cg), -EINVAL);
	ck_assert_int_eq(cgroup_mkdir(e, e->root, "\n", &cg), -EINVAL);
	ck_assert_ptr_null(cg);
	/* the same name under another parent is fine */
	mkcg(a1, "a");
	ck_assert_int_eq(e->root->nr_descendants, 2);
}
END_TEST

START_TEST(test_rmdir_rules)
{
	/*
	 * root
	 *  `- a
	 *      `- b   (task)
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(a1, "b");
	struct cgroup *cg;
	int pid;

	ck_assert_int_eq(cgroup_rmdir(e, e->root), -EBUSY);
	ck_assert_int_eq(cgroup_rmdir(e, a1), -EBUSY);	/* live child */

	pid = spawn(b, PAGE_ANON, 10, 0, NULL);
	ck_assert_int_eq(cgroup_rmdir(e, b), -EBUSY);	/* task */
	kill_task(pid);
	ck_assert_int_eq(cgroup_rmdir(e, b), 0);
	ck_assert_ptr_null(cgroup_lookup_child(a1, "b"));
	ck_assert_int_eq(a1->nr_descendants, 0);
	ck_assert_int_eq(e->root->nr_descendants, 1);
	ck_assert_int_eq(cgroup_rmdir(e, a1), 0);
	ck_assert_int_eq(e->root->nr_descendants, 0);
	/* the name is free again */
	ck_assert_int_eq(cgroup_mkdir(e, e->root, "a", &cg), 0);
}
END_TEST

START_TEST(test_rmdir_with_charges_leaves_dying_memcg)
{
	/*
	 * root
	 *  |- a   task charged 1M here, then moved to b
	 *  `- b
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(e->root, "b");
	struct memcg *dying = a1->memcg;
	struct cgroup_stat st;
	int pid = spawn(a1, PAGE_ANON, MB(1), 0, NULL);

	run();
	ck_assert_uint_eq(usage(a1), MB(1) + TASK_OVERHEAD);
	ck_assert_int_eq(alloc_attach_locked(a, b, pid), 0);
	ck_assert_uint_eq(a1->nr_tasks, 0);
	ck_assert_uint_eq(b->nr_tasks, 1);
	/* charges do not move with the task */
	ck_assert_uint_eq(usage(a1), MB(1) + TASK_OVERHEAD);
	ck_assert_uint_eq(usage(b), 0);

	ck_assert_int_eq(cgroup_rmdir(e, a1), 0);
	ck_assert(!dying->online);
	/* offlining drained the stock and gave the kernel stack to the parent */
	ck_assert_uint_eq(dying->memory.usage, MB(1));
	cgroup_stat(e->root, &st);
	ck_assert_int_eq(st.nr_descendants, 1);
	ck_assert_int_eq(st.nr_subsys_memory, 2);	/* root and b */
	ck_assert_int_eq(st.nr_dying_descendants, 1);
	ck_assert_int_eq(st.nr_dying_subsys_memory, 1);

	/* the task exits: the dying memcg is released */
	kill_task(pid);
	cgroup_stat(e->root, &st);
	ck_assert_int_eq(st.nr_dying_descendants, 0);
	ck_assert_int_eq(st.nr_dying_subsys_memory, 0);
}
END_TEST

/* cgroup.stat as a walk of the subtree and of every memcg would count it */
static void stat_by_walk(const struct cgroup *cg, struct cgroup_stat *st)
{
	struct cgroup *pos, *top = (struct cgroup *)cg;
	struct memcg *memcg;

	*st = (struct cgroup_stat){ 0 };
	for (pos = top; pos; pos = cgroup_next_descendant_pre(pos, top)) {
		st->nr_descendants += pos != top;
		st->nr_subsys_memory += pos->memcg != NULL;
	}
	/* a dying memcg is counted under the cgroup of its nearest online ancestor */
	list_for_each_entry(memcg, &e->memcgs, all_node) {
		struct memcg *anc = memcg->parent;

		if (memcg->online)
			continue;
		while (!anc->online)
			anc = anc->parent;
		if (!cgroup_is_descendant(anc->cgroup, cg))
			continue;
		st->nr_dying_subsys_memory++;
		st->nr_dying_descendants += memcg->cgroup_removed;
	}
}

static void assert_stats_match_walk(void)
{
	struct cgroup *pos;

	for (pos = e->root; pos; pos = cgroup_next_descendant_pre(pos, e->root)) {
		struct cgroup_stat kept, walked;

		cgroup_stat(pos, &kept);
		stat_by_walk(pos, &walked);
		ck_assert_int_eq(kept.nr_descendants, walked.nr_descendants);
		ck_assert_int_eq(kept.nr_subsys_memory, walked.nr_subsys_memory);
		ck_assert_int_eq(kept.nr_dying_descendants, walked.nr_dying_descendants);
		ck_assert_int_eq(kept.nr_dying_subsys_memory, walked.nr_dying_subsys_memory);
	}
}

/* the @n-th cgroup of a pre-order walk, wrapping around */
static struct cgroup *nth_cgroup(unsigned int n)
{
	struct cgroup *pos = e->root;
	unsigned int count = 0;

	for (pos = e->root; pos; pos = cgroup_next_descendant_pre(pos, e->root))
		count++;
	n %= count;
	for (pos = e->root; n--; pos = cgroup_next_descendant_pre(pos, e->root))
		;
	return pos;
}

START_TEST(test_stat_counts_kept_match_a_walk)
{
	/*
	 * Random trees up to 4 deep: mkdir, rmdir (charged cgroups die and
	 * linger), tasks moved and killed, memory enabled and disabled in
	 * subtree_control. After every step each cgroup's kept cgroup.stat
	 * equals what walking its subtree and every memcg counts.
	 */
	unsigned int seed = 12345, step, name = 0;
	int pids[64] = { 0 };

	for (step = 0; step < 3000; step++) {
		unsigned int r = (unsigned int)rand_r(&seed);
		struct cgroup *cg = nth_cgroup((unsigned int)rand_r(&seed));
		struct cgroup *out = NULL;
		int slot = (int)(r / 8 % ARRAY_SIZE(pids));
		char buf[32];

		switch (r % 8) {
		case 0:
		case 1:
			if (cg->level < 4) {
				snprintf(buf, sizeof(buf), "c%u", name++);
				cgroup_mkdir(e, cg, buf, &out);
			}
			break;
		case 2:
		case 3:
			if (!cgroup_is_root(cg)) {
				alloc_reap_exited_locked(a);
				cgroup_rmdir(e, cg);
			}
			break;
		case 4:
			if (!pids[slot] && !cgroup_can_attach(e, cg) && cg->memcg)
				pids[slot] = spawn(cg, PAGE_ANON, 16 + r % 64, 0, NULL);
			else if (pids[slot] && alloc_attach_locked(a, cg, pids[slot]) == -ESRCH)
				pids[slot] = 0;
			break;
		case 5:
			if (pids[slot]) {
				kill_task(pids[slot]);
				pids[slot] = 0;
			}
			break;
		case 6:
		case 7:
			cgroup_set_subtree_memory(e, cg, r % 16 < 8);
			break;
		}
		run();
		assert_stats_match_walk();
	}
}
END_TEST

START_TEST(test_rename_rules)
{
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(e->root, "b");
	struct cgroup *c = mkcg(a1, "c");

	ck_assert_int_eq(cgroup_rename(e, a1, e->root, "b"), -EEXIST);
	ck_assert_int_eq(cgroup_rename(e, a1, e->root, "x\n"), -EINVAL);
	ck_assert_int_eq(cgroup_rename(e, a1, e->root, "a"), 0);	/* nothing to do */
	/* cgroup1_rename(): only within the same parent, else -EIO */
	ck_assert_int_eq(cgroup_rename(e, c, b, "c"), -EIO);
	ck_assert_str_eq(a1->name, "a");

	ck_assert_int_eq(cgroup_rename(e, a1, e->root, "z"), 0);
	ck_assert_str_eq(a1->name, "z");
	ck_assert_ptr_eq(cgroup_lookup_child(e->root, "z"), a1);
	ck_assert_ptr_null(cgroup_lookup_child(e->root, "a"));
	ck_assert_ptr_eq(c->parent, a1);
}
END_TEST

START_TEST(test_max_depth)
{
	/* a: cgroup.max.depth 1 -> a/b allowed, a/b/c not */
	struct cgroup *a1 = mkcg(e->root, "a"), *b, *cg = NULL;

	a1->max_depth = 1;
	b = mkcg(a1, "b");
	ck_assert_int_eq(cgroup_mkdir(e, b, "c", &cg), -EAGAIN);
	ck_assert_ptr_null(cg);
	ck_assert_int_eq(b->nr_descendants, 0);

	a1->max_depth = 0;
	ck_assert_int_eq(cgroup_mkdir(e, a1, "d", &cg), -EAGAIN);
	a1->max_depth = INT_MAX;
	mkcg(b, "c");
}
END_TEST

START_TEST(test_max_descendants)
{
	/*
	 * a  (cgroup.max.descendants 2)
	 *  `- b
	 *      `- c
	 */
	struct cgroup *a1 = mkcg(e->root, "a"), *b, *c, *cg = NULL;

	a1->max_descendants = 2;
	b = mkcg(a1, "b");
	c = mkcg(b, "c");
	ck_assert_int_eq(a1->nr_descendants, 2);
	ck_assert_int_eq(cgroup_mkdir(e, a1, "d", &cg), -EAGAIN);
	ck_assert_int_eq(cgroup_mkdir(e, b, "e", &cg), -EAGAIN);	/* limit of an ancestor */
	ck_assert_int_eq(cgroup_mkdir(e, c, "f", &cg), -EAGAIN);
	ck_assert_ptr_null(cg);
	/* siblings of a are not limited */
	mkcg(e->root, "g");

	ck_assert_int_eq(cgroup_rmdir(e, c), 0);
	ck_assert_int_eq(a1->nr_descendants, 1);
	mkcg(a1, "d");

	a1->max_descendants = 0;
	ck_assert_int_eq(cgroup_mkdir(e, a1, "h", &cg), -EAGAIN);
}
END_TEST

/* ======================================================== subtree_control */

START_TEST(test_subtree_memory_enable_disable)
{
	/*
	 * root (+memory)
	 *  `- a  (+memory / -memory)
	 *      `- b  (+memory)
	 *          `- c
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(a1, "b");
	struct cgroup *c = mkcg(b, "c");
	struct cgroup_stat st;

	ck_assert_ptr_null(b->memcg);
	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	ck_assert(a1->subtree_memory);
	ck_assert_ptr_nonnull(b->memcg);
	ck_assert_ptr_eq(b->memcg->parent, a1->memcg);
	ck_assert_ptr_null(c->memcg);
	/* enabling what is already enabled is a no-op */
	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);

	/* c's own subtree cannot get memory: c has none (ENOENT) */
	ck_assert_int_eq(cgroup_set_subtree_memory(e, c, true), -ENOENT);

	ck_assert_int_eq(cgroup_set_subtree_memory(e, b, true), 0);
	ck_assert_ptr_nonnull(c->memcg);
	ck_assert_ptr_eq(c->memcg->parent, b->memcg);
	cgroup_stat(a1, &st);
	ck_assert_int_eq(st.nr_descendants, 2);
	ck_assert_int_eq(st.nr_subsys_memory, 3);

	/* a child still has it enabled */
	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, false), -EBUSY);
	ck_assert(a1->subtree_memory);
	ck_assert_ptr_nonnull(b->memcg);

	ck_assert_int_eq(cgroup_set_subtree_memory(e, b, false), 0);
	ck_assert_ptr_null(c->memcg);
	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, false), 0);
	ck_assert_ptr_null(b->memcg);
	ck_assert_ptr_eq(cgroup_memcg(c), a1->memcg);
	cgroup_stat(a1, &st);
	ck_assert_int_eq(st.nr_subsys_memory, 1);
	/* disabling is not removing: no dying descendants, no dying memcgs (no charges) */
	ck_assert_int_eq(st.nr_dying_descendants, 0);
	ck_assert_int_eq(st.nr_dying_subsys_memory, 0);

	/* -memory on the root (a has none enabled): a becomes a plain cgroup */
	ck_assert_int_eq(cgroup_set_subtree_memory(e, e->root, false), 0);
	ck_assert_ptr_null(a1->memcg);
	ck_assert_ptr_eq(cgroup_memcg(c), e->root->memcg);
	ck_assert_int_eq(cgroup_set_subtree_memory(e, e->root, true), 0);
	ck_assert_ptr_nonnull(a1->memcg);
	ck_assert_ptr_null(b->memcg);
}
END_TEST

START_TEST(test_no_internal_process)
{
	/*
	 * root (+memory)          task allowed (root is exempt)
	 *  `- a  (+memory)         spawn/attach -> EBUSY
	 *      `- b                task allowed
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(a1, "b");
	unsigned long pages[NR_PAGE_TYPES] = { 0 };
	struct sim_task *t = NULL;
	int pid;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	ck_assert_int_eq(alloc_spawn_locked(a, a1, pages, 0, &t), -EBUSY);
	ck_assert_ptr_null(t);
	ck_assert_uint_eq(a1->nr_tasks, 0);
	ck_assert_int_eq(cgroup_can_attach(e, a1), -EBUSY);
	ck_assert_int_eq(cgroup_can_attach(e, b), 0);
	ck_assert_int_eq(cgroup_can_attach(e, e->root), 0);

	spawn(e->root, PAGE_ANON, 1, 0, NULL);
	pid = spawn(b, PAGE_ANON, 1, 0, NULL);
	ck_assert_int_eq(alloc_attach_locked(a, a1, pid), -EBUSY);
	ck_assert_ptr_eq(alloc_find_locked(a, pid)->mt.cgroup, b);

	/* the other way round: a cgroup with tasks cannot enable memory */
	ck_assert_int_eq(cgroup_set_subtree_memory(e, b, true), -EBUSY);
	ck_assert(!b->subtree_memory);
}
END_TEST

START_TEST(test_populated)
{
	/*
	 * root
	 *  `- a
	 *      |- b   2 tasks
	 *      `- c   1 task
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b = mkcg(a1, "b");
	struct cgroup *c = mkcg(a1, "c");
	int p1, p2, p3;

	ck_assert_uint_eq(a1->nr_populated, 0);
	p1 = spawn(b, PAGE_ANON, 1, 0, NULL);
	p2 = spawn(b, PAGE_ANON, 1, 0, NULL);
	p3 = spawn(c, PAGE_ANON, 1, 0, NULL);
	ck_assert_uint_eq(b->nr_tasks, 2);
	ck_assert_uint_eq(b->nr_populated, 2);
	ck_assert_uint_eq(c->nr_populated, 1);
	ck_assert_uint_eq(a1->nr_tasks, 0);
	ck_assert_uint_eq(a1->nr_populated, 3);
	ck_assert_uint_eq(e->root->nr_populated, 3);

	/* moving within the subtree keeps a populated */
	ck_assert_int_eq(alloc_attach_locked(a, c, p1), 0);
	ck_assert_uint_eq(b->nr_populated, 1);
	ck_assert_uint_eq(c->nr_populated, 2);
	ck_assert_uint_eq(a1->nr_populated, 3);

	kill_task(p2);
	kill_task(p3);
	ck_assert_uint_eq(b->nr_populated, 0);
	ck_assert_uint_eq(a1->nr_populated, 1);
	kill_task(p1);
	ck_assert_uint_eq(a1->nr_populated, 0);
	ck_assert_uint_eq(e->root->nr_populated, 0);
	ck_assert_int_eq(alloc_kill_locked(a, p1), -ESRCH);
}
END_TEST

/* ================================================================ events */

START_TEST(test_events_hierarchical)
{
	/*
	 * root
	 *  `- a
	 *      `- b (+memory on a)
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	b = mkcg(a1, "b");
	memcg_memory_event(e, b->memcg, MEMCG_OOM);
	memcg_memory_event(e, b->memcg, MEMCG_OOM);
	memcg_memory_event(e, a1->memcg, MEMCG_HIGH);

	ck_assert_uint_eq(ev_local(b, MEMCG_OOM), 2);
	ck_assert_uint_eq(ev(b, MEMCG_OOM), 2);
	ck_assert_uint_eq(ev_local(a1, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(a1, MEMCG_OOM), 2);
	/* the root's array is never touched from below */
	ck_assert_uint_eq(e->root->memcg->events[MEMCG_OOM], 0);
	ck_assert_uint_eq(e->root->memcg->events_local[MEMCG_OOM], 0);

	ck_assert_uint_eq(ev(a1, MEMCG_HIGH), 1);
	ck_assert_uint_eq(ev_local(a1, MEMCG_HIGH), 1);
	ck_assert_uint_eq(ev(b, MEMCG_HIGH), 0);
	ck_assert_uint_eq(ev(b, MEMCG_MAX), 0);
	/* every event bumps the poll generation along the way; local only its own */
	ck_assert_uint_eq(b->memcg->events_gen, 2);
	ck_assert_uint_eq(a1->memcg->events_gen, 3);
	ck_assert_uint_eq(a1->memcg->events_local_gen, 1);
	ck_assert_uint_eq(a1->memcg->swap_events_gen, 0);
	memcg_memory_event(e, b->memcg, MEMCG_SWAP_MAX);
	ck_assert_uint_eq(a1->memcg->swap_events_gen, 1);
	ck_assert_uint_eq(a1->memcg->events_gen, 3);
}
END_TEST

START_TEST(test_events_localevents_option)
{
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b;

	ck_assert(e->cfg.memory_localevents);
	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	b = mkcg(a1, "b");
	memcg_memory_event(e, b->memcg, MEMCG_OOM_KILL);
	ck_assert_uint_eq(ev(b, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(ev_local(b, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(ev(a1, MEMCG_OOM_KILL), 0);
	ck_assert_uint_eq(ev_local(a1, MEMCG_OOM_KILL), 0);
}
END_TEST

START_TEST(test_oom_events_localevents_option)
{
	/*
	 * a
	 *  `- b  max 10M, no swap: 20M anon task is killed
	 * memory_localevents: a's memory.events stays 0.
	 */
	struct cgroup *a1 = mkcg(e->root, "a");
	struct cgroup *b;
	struct outcome o;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	b = mkcg(a1, "b");
	memcg_set_max(e, b->memcg, MB(10), false);
	spawn(b, PAGE_ANON, MB(20), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	ck_assert_uint_eq(ev(b, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev(b, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(ev(a1, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(a1, MEMCG_OOM_KILL), 0);
	ck_assert_uint_eq(ev(a1, MEMCG_MAX), 0);
}
END_TEST

/* ================================================================ charge */

START_TEST(test_oom_kill_no_swap)
{
	/* test_memcg_oom_events: max 30M, swap.max 0, 50M anon (machine has 1G swap) */
	struct cgroup *cg = mklimited("a", MB(30), 0);
	struct outcome o;
	int pid = spawn(cg, PAGE_ANON, MB(50), 0, &o);

	run();
	ck_assert_int_eq(o.calls, 1);
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	ck_assert(!alive(pid));
	ck_assert_uint_gt(ev(cg, MEMCG_MAX), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_GROUP_KILL), 0);
	ck_assert_uint_eq(ev_local(cg, MEMCG_OOM_KILL), 1);
	ck_assert_uint_le(usage(cg), MB(30));
	ck_assert_uint_le(usage(cg), MEMCG_CHARGE_BATCH);	/* only the stock remains */
	ck_assert_uint_eq(swap_usage(cg), 0);
	ck_assert_uint_eq(e->swap_used, 0);
	ck_assert_uint_eq(cg->nr_populated, 0);
	/* the peak saw the limit and never more */
	ck_assert_uint_le(cg->memcg->memory.watermark, MB(30));
	ck_assert_uint_ge(cg->memcg->memory.watermark, MB(29));
}
END_TEST

START_TEST(test_oom_kill_machine_without_swap)
{
	/* no swap on the machine at all, swap.max left at max */
	struct cgroup *cg = mklimited("a", MB(30), PAGE_COUNTER_MAX);
	struct outcome o;

	spawn(cg, PAGE_ANON, MB(100), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 1);
	ck_assert_uint_le(usage(cg), MEMCG_CHARGE_BATCH);
}
END_TEST

START_TEST(test_swap_instead_of_oom)
{
	/* test_memcg_swap_max_peak second half: max 30M, swap max, 50M anon */
	struct cgroup *cg = mklimited("a", MB(30), PAGE_COUNTER_MAX);
	struct outcome o;
	int pid = spawn(cg, PAGE_ANON, MB(50), 0, &o);
	unsigned long cur, swp;

	run();
	ck_assert_int_eq(o.last, TASK_CHARGED);
	ck_assert(alive(pid));
	cur = usage(cg);
	swp = swap_usage(cg);
	ck_assert_uint_le(cur, MB(30));
	ck_assert_msg(values_close(cur, MB(30), 3), "current %lu not close to 30M", cur);
	ck_assert_msg(values_close(swp, MB(20), 3), "swap %lu not close to 20M", swp);
	ck_assert_msg(values_close(cur + swp, MB(50), 3), "current+swap %lu not close to 50M",
		      cur + swp);
	/* the task holds all 50M, resident or swapped */
	ck_assert_uint_eq(memcg_task_pages(&alloc_find_locked(a, pid)->mt, PAGE_ANON), MB(50));
	ck_assert_uint_eq(memcg_task_swapped(&alloc_find_locked(a, pid)->mt), swp);
	ck_assert_uint_eq(e->swap_used, swp);
	ck_assert_uint_eq(memcg_stat(cg->memcg, MEMCG_swap, false), (long)swp);
	ck_assert_uint_eq(memcg_stat(cg->memcg, MEMCG_pswpout, false), (long)swp);
	ck_assert_uint_gt(ev(cg, MEMCG_MAX), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 0);
	ck_assert_uint_ge(cg->memcg->swap.watermark, MB(19));

	/* exit frees the swap too */
	kill_task(pid);
	ck_assert_uint_eq(swap_usage(cg), 0);
	ck_assert_uint_eq(e->swap_used, 0);
	ck_assert_uint_le(usage(cg), MEMCG_CHARGE_BATCH);
}
END_TEST

START_TEST(test_swap_max_hit)
{
	/* max 30M, swap.max 10M, 50M anon: swaps 10M, then OOM; swap events on a */
	struct cgroup *cg = mklimited("a", MB(30), MB(10));
	struct outcome o;

	spawn(cg, PAGE_ANON, MB(50), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(cg->memcg->swap.watermark, MB(10));
	ck_assert_uint_eq(swap_usage(cg), 0);
	/* swap max and fail always go together */
	ck_assert_uint_eq(ev(cg, MEMCG_SWAP_MAX), ev(cg, MEMCG_SWAP_FAIL));
}
END_TEST

/*
 * mm/memcontrol.c __mem_cgroup_try_charge_swap(): a swap-out refused at
 * swap.max raises the swap `max`
 * and `fail` events on the folio's memcg (a real 6.12 kernel counted 547
 * of each for this scenario, driven by a shell).
 */
START_TEST(test_swap_max_events)
{
	struct cgroup *cg = mklimited("a", MB(30), MB(10));
	struct outcome o;

	spawn(cg, PAGE_ANON, MB(50), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	ck_assert_uint_gt(ev(cg, MEMCG_SWAP_MAX), 0);
	ck_assert_uint_gt(ev(cg, MEMCG_SWAP_FAIL), 0);
}
END_TEST

START_TEST(test_pagecache_reclaimed_not_killed)
{
	/* alloc_pagecache_max_30M: max 30M, swap.max 0, 50M page cache */
	struct cgroup *cg = mklimited("a", MB(30), 0);
	struct outcome o;
	int pid = spawn(cg, PAGE_FILE, MB(50), 0, &o);

	run();
	ck_assert_int_eq(o.last, TASK_CHARGED);
	ck_assert(alive(pid));
	ck_assert_uint_le(usage(cg), MB(30));
	ck_assert_msg(values_close(usage(cg), MB(30), 5), "current %lu", usage(cg));
	ck_assert_uint_gt(ev(cg, MEMCG_MAX), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 0);
	/* what is left is page cache, and the dropped part was counted as stolen */
	ck_assert_int_le(node_stat(cg, NR_file, false), (long)MB(30));
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 0);
	ck_assert_int_eq(memcg_stat(cg->memcg, MEMCG_pgsteal_direct, false),
			 (long)MB(50) - node_stat(cg, NR_file, false));
	ck_assert_uint_eq(swap_usage(cg), 0);
}
END_TEST

START_TEST(test_limit_on_ancestor)
{
	/*
	 * a   max 20M, no swap   <- max/oom events raised here
	 *  `- b                  <- the task; oom_kill counted here (and on a)
	 */
	struct cgroup *a1 = mklimited("a", MB(20), 0);
	struct cgroup *b;
	struct outcome o;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	b = mkcg(a1, "b");
	spawn(b, PAGE_ANON, MB(40), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	ck_assert_uint_gt(ev_local(a1, MEMCG_MAX), 0);
	ck_assert_uint_eq(ev_local(b, MEMCG_MAX), 0);
	ck_assert_uint_eq(ev_local(a1, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev_local(b, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev_local(b, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(ev_local(a1, MEMCG_OOM_KILL), 0);
	ck_assert_uint_eq(ev(a1, MEMCG_OOM_KILL), 1);
	ck_assert_uint_le(usage(a1), MEMCG_CHARGE_BATCH);
}
END_TEST

START_TEST(test_set_max_reclaims_then_kills)
{
	/*
	 * a (no swap): task f holds 20M page cache, task n holds 20M anon.
	 * max 25M: page cache shrinks, nobody dies.
	 * max 10M: the page cache cannot cover it: the anon task is killed.
	 */
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	int f = spawn(cg, PAGE_FILE, MB(20), 0, NULL);
	int n = spawn(cg, PAGE_ANON, MB(20), 0, NULL);

	run();
	ck_assert_uint_eq(usage(cg), MB(40) + TASK_OVERHEAD);

	memcg_set_max(e, cg->memcg, MB(25), false);
	ck_assert_uint_eq(cg->memcg->memory.max, MB(25));
	ck_assert_uint_le(usage(cg), MB(25));
	ck_assert_int_eq(node_stat(cg, NR_anon, false), (long)MB(20));
	ck_assert(alive(f));
	ck_assert(alive(n));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 0);

	memcg_set_max(e, cg->memcg, MB(10), false);
	alloc_reap_locked(a);
	ck_assert_uint_eq(cg->memcg->memory.max, MB(10));
	ck_assert_uint_le(usage(cg), MB(10));
	ck_assert(!alive(n));
	ck_assert(alive(f));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 1);
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 0);
}
END_TEST

START_TEST(test_set_max_nonblock)
{
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	int pid = spawn(cg, PAGE_ANON, MB(20), 0, NULL);

	run();
	/* O_NONBLOCK: set, nothing reclaimed, nobody killed */
	memcg_set_max(e, cg->memcg, MB(10), true);
	ck_assert_uint_eq(cg->memcg->memory.max, MB(10));
	ck_assert_uint_eq(usage(cg), MB(20) + TASK_OVERHEAD);
	ck_assert(alive(pid));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
}
END_TEST

START_TEST(test_set_high_reclaims_without_oom)
{
	/* a (no swap): 40M page cache + 10M anon; high := 20M */
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	int f = spawn(cg, PAGE_FILE, MB(40), 0, NULL);
	int n = spawn(cg, PAGE_ANON, MB(10), 0, NULL);

	run();
	ck_assert_uint_eq(usage(cg), MB(50) + TASK_OVERHEAD);
	memcg_set_high(e, cg->memcg, MB(20), false);
	ck_assert_uint_eq(cg->memcg->memory.high, MB(20));
	ck_assert_uint_le(usage(cg), MB(20));
	ck_assert_int_eq(node_stat(cg, NR_anon, false), (long)MB(10));
	ck_assert(alive(f));
	ck_assert(alive(n));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_MAX), 0);

	/* below what can be reclaimed: gives up, still no OOM */
	memcg_set_high(e, cg->memcg, MB(5), false);
	ck_assert_uint_eq(cg->memcg->memory.high, MB(5));
	ck_assert_int_eq(node_stat(cg, NR_file, false), 0);
	ck_assert_uint_ge(usage(cg), MB(10));
	ck_assert(alive(n));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 0);
}
END_TEST

START_TEST(test_high_throttles_pagecache)
{
	/* test_memcg_high: swap.max 0, high 30M, 50M page cache */
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	struct outcome o;

	memcg_set_high(e, cg->memcg, MB(30), false);
	spawn(cg, PAGE_FILE, MB(50), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_CHARGED);
	ck_assert_msg(values_close(usage(cg), MB(30), 5), "current %lu", usage(cg));
	ck_assert_uint_lt(usage(cg), MB(50));
	ck_assert_uint_gt(ev(cg, MEMCG_HIGH), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_MAX), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
}
END_TEST

START_TEST(test_high_never_kills_anon)
{
	/* test_memcg_high: 31M anon under high 30M, no swap, succeeds */
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	struct outcome o;
	int pid;

	memcg_set_high(e, cg->memcg, MB(30), false);
	pid = spawn(cg, PAGE_ANON, MB(31), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_CHARGED);
	ck_assert(alive(pid));
	ck_assert_uint_ge(usage(cg), MB(31));
	ck_assert_uint_gt(ev(cg, MEMCG_HIGH), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 0);
	/* the task slept: simulated time moved on */
	ck_assert_uint_gt(e->now_ns, 0);
}
END_TEST

START_TEST(test_stock_charge_skips_high)
{
	/*
	 * try_charge_memcg(): a charge served from the stock returns at once;
	 * only a charge of the counters looks at memory.high.
	 */
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	unsigned long more[NR_PAGE_TYPES] = { [PAGE_ANON] = 20 };
	int pid = spawn(cg, PAGE_ANON, 36, 0, NULL);

	run();
	ck_assert_uint_eq(usage(cg), 64);	/* 36 charged, 28 in stock */
	memcg_set_high(e, cg->memcg, 1, true);
	ck_assert_int_eq(alloc_more_locked(a, pid, more), 0);
	run();
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 56);
	ck_assert_uint_eq(usage(cg), 64);
	ck_assert_uint_eq(ev(cg, MEMCG_HIGH), 0);
	ck_assert_uint_eq(alloc_find_locked(a, pid)->mt.nr_pages_over_high, 0);

	/* 8 left in stock: the counters are charged, and high is handled */
	ck_assert_int_eq(alloc_more_locked(a, pid, more), 0);
	run();
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 76);
	ck_assert_uint_gt(ev(cg, MEMCG_HIGH), 0);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 0);
}
END_TEST

/* memory.high penalty: set usage and high directly on the counters. */
static uint64_t penalty_ms_at(struct memcg *memcg, unsigned long usage_pages, unsigned long nr)
{
	memcg->memory.usage = usage_pages;
	return memcg_throttle_penalty_ns(memcg, nr) / NSEC_PER_MSEC;
}

START_TEST(test_high_penalty_curve)
{
	/*
	 * mm/memcontrol.c calculate_high_delay() at HZ=250, high=100M, 64 pages:
	 * 101M 4 ms (1 jiffy, not slept), 102M 24, 103M 56, 104M 100, 105M 156,
	 * 110M 636, 115M 1436, 117M 1848, >=118M 2000.
	 */
	static const struct {
		unsigned long mb;
		uint64_t ms;
	} curve[] = {
		{ 100, 0 }, { 101, 4 }, { 102, 24 }, { 103, 56 }, { 104, 100 }, { 105, 156 },
		{ 110, 636 }, { 115, 1436 }, { 117, 1848 }, { 118, 2000 }, { 150, 2000 },
		{ 1000, 2000 },
	};
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, PAGE_COUNTER_MAX);
	struct memcg *m = cg->memcg;
	size_t i;

	m->memory.high = MB(100);
	for (i = 0; i < sizeof(curve) / sizeof(curve[0]); i++)
		ck_assert_msg(penalty_ms_at(m, MB(curve[i].mb), 64) == curve[i].ms,
			      "%luM: %llu ms, want %llu", curve[i].mb,
			      (unsigned long long)penalty_ms_at(m, MB(curve[i].mb), 64),
			      (unsigned long long)curve[i].ms);

	/* scaled by nr_pages / 64: 159 jiffies * 32 / 64 = 79 -> 316 ms; 1 page: 2 -> 8 ms */
	ck_assert_uint_eq(penalty_ms_at(m, MB(110), 32), 316);
	ck_assert_uint_eq(penalty_ms_at(m, MB(110), 1), 8);
	/* 4 x 64 pages at 110M: 636 jiffies, capped at 2 s */
	ck_assert_uint_eq(penalty_ms_at(m, MB(110), 256), 2000);
	/*
	 * high 0 is treated as a threshold of one page (calculate_overage):
	 * 1 page is no overage at all, 2 pages are 100% over, capped at 2 s.
	 */
	m->memory.high = 0;
	ck_assert_uint_eq(penalty_ms_at(m, 1, 64), 0);
	ck_assert_uint_eq(penalty_ms_at(m, 2, 64), 2000);
	m->memory.usage = 0;
}
END_TEST

START_TEST(test_high_penalty_ancestor_and_swap)
{
	/*
	 * a  high 100M, usage 110M (set by hand)
	 *  `- b  high max: b's penalty is a's (max over ancestors)
	 */
	struct cgroup *a1 = mklimited("a", PAGE_COUNTER_MAX, PAGE_COUNTER_MAX);
	struct cgroup *b;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	b = mkcg(a1, "b");
	a1->memcg->memory.high = MB(100);
	a1->memcg->memory.usage = MB(110);
	ck_assert_uint_eq(memcg_throttle_penalty_ns(b->memcg, 64) / NSEC_PER_MSEC, 636);
	ck_assert_uint_eq(memcg_throttle_penalty_ns(a1->memcg, 64) / NSEC_PER_MSEC, 636);

	/* b over its own high by more: the larger overage wins, not the sum */
	b->memcg->memory.high = MB(100);
	b->memcg->memory.usage = MB(105);
	ck_assert_uint_eq(memcg_throttle_penalty_ns(b->memcg, 64) / NSEC_PER_MSEC, 636);

	/* swap over swap.high adds its own penalty: 636 + 156 ms */
	b->memcg->swap.high = MB(100);
	b->memcg->swap.usage = MB(105);
	ck_assert_uint_eq(memcg_throttle_penalty_ns(b->memcg, 64) / NSEC_PER_MSEC, 792);

	/* the root is never considered */
	e->root->memcg->memory.high = 1;
	ck_assert_uint_eq(memcg_throttle_penalty_ns(e->root->memcg, 64), 0);

	a1->memcg->memory.usage = 0;
	b->memcg->memory.usage = 0;
	b->memcg->swap.usage = 0;
}
END_TEST

/* =================================================================== OOM */

START_TEST(test_oom_group_kill)
{
	/*
	 * test_memcg_oom_group_score_events: a: max 50M, swap.max 0,
	 * oom.group 1; holder -1000 (1M), holder (1M), allocator 100M.
	 */
	struct cgroup *cg = mklimited("a", MB(50), 0);
	struct outcome o_prot, o_hold, o_alloc;
	int prot, hold, alloc_pid;

	cg->memcg->oom_group = true;
	prot = spawn(cg, PAGE_ANON, MB(1), OOM_SCORE_ADJ_MIN, &o_prot);
	hold = spawn(cg, PAGE_ANON, MB(1), 0, &o_hold);
	alloc_pid = spawn(cg, PAGE_ANON, MB(100), 0, &o_alloc);
	run();

	ck_assert_int_eq(o_alloc.last, TASK_OOM_KILLED);
	ck_assert(!alive(alloc_pid));
	ck_assert(!alive(hold));
	ck_assert(alive(prot));
	ck_assert_int_eq(o_prot.last, TASK_CHARGED);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 1);
	/* victim, group kill of the victim again, the 1M holder */
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 3);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_GROUP_KILL), 1);
	ck_assert_uint_eq(cg->nr_tasks, 1);
	/* the protected holder's 1M is all that is left, besides the stock */
	ck_assert_uint_ge(usage(cg), MB(1));
	ck_assert_uint_le(usage(cg), MB(1) + MEMCG_CHARGE_BATCH);

	/* still killable by other means afterwards */
	kill_task(prot);
	ck_assert_uint_eq(cg->nr_populated, 0);
}
END_TEST

START_TEST(test_oom_without_group_kills_one)
{
	struct cgroup *cg = mklimited("a", MB(50), 0);
	struct outcome o_alloc;
	int h1, h2, alloc_pid;

	h1 = spawn(cg, PAGE_ANON, MB(1), 0, NULL);
	h2 = spawn(cg, PAGE_ANON, MB(1), 0, NULL);
	alloc_pid = spawn(cg, PAGE_ANON, MB(100), 0, &o_alloc);
	run();
	ck_assert_int_eq(o_alloc.last, TASK_OOM_KILLED);
	ck_assert(!alive(alloc_pid));
	ck_assert(alive(h1));
	ck_assert(alive(h2));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 1);
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_GROUP_KILL), 0);
}
END_TEST

START_TEST(test_oom_group_on_parent)
{
	/*
	 * test_memcg_oom_group_parent_events: p max 80M, oom.group 1,
	 * +memory; c holds 1M twice and allocates 100M: everything in p dies.
	 */
	struct cgroup *p = mklimited("p", MB(80), 0);
	struct cgroup *c;
	int h1, h2, alloc_pid;

	p->memcg->oom_group = true;
	ck_assert_int_eq(cgroup_set_subtree_memory(e, p, true), 0);
	c = mkcg(p, "c");
	h1 = spawn(c, PAGE_ANON, MB(1), 0, NULL);
	h2 = spawn(c, PAGE_ANON, MB(1), 0, NULL);
	alloc_pid = spawn(c, PAGE_ANON, MB(100), 0, NULL);
	run();
	ck_assert(!alive(alloc_pid));
	ck_assert(!alive(h1));
	ck_assert(!alive(h2));
	ck_assert_uint_eq(p->nr_populated, 0);
	ck_assert_uint_eq(ev(p, MEMCG_OOM), 1);
	ck_assert_uint_eq(ev_local(p, MEMCG_OOM_GROUP_KILL), 1);
	ck_assert_uint_eq(ev_local(c, MEMCG_OOM_GROUP_KILL), 0);
	/* counted on the victims' memcg: allocator twice, two holders */
	ck_assert_uint_eq(ev_local(c, MEMCG_OOM_KILL), 4);
	ck_assert_uint_eq(ev(p, MEMCG_OOM_KILL), 4);
}
END_TEST

START_TEST(test_oom_badness)
{
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	struct sim_task *t;
	unsigned long file[NR_PAGE_TYPES] = { [PAGE_FILE] = 500 };
	int pid = spawn(cg, PAGE_ANON, 1000, 0, NULL);

	run();
	/* page cache is not rss */
	ck_assert_int_eq(alloc_more_locked(a, pid, file), 0);
	run();
	t = alloc_find_locked(a, pid);
	ck_assert_uint_eq(memcg_task_pages(&t->mt, PAGE_FILE), 500);
	ck_assert_int_eq(oom_badness(&t->mt, 100000), 1000);
	/* adj * (totalpages / 1000), the division first */
	t->mt.oom_score_adj = 500;
	ck_assert_int_eq(oom_badness(&t->mt, 100999), 1000 + 500 * 100);
	t->mt.oom_score_adj = -999;
	ck_assert_int_eq(oom_badness(&t->mt, 100000), 1000 - 99900);
	t->mt.oom_score_adj = OOM_SCORE_ADJ_MIN;
	ck_assert(oom_badness(&t->mt, 100000) == LONG_MIN);
}
END_TEST

START_TEST(test_oom_picks_largest_rss)
{
	/* page cache is not rss: the anon task is the victim */
	struct cgroup *cg = mklimited("a", MB(60), 0);
	int small = spawn(cg, PAGE_ANON, MB(5), 0, NULL);
	int cache = spawn(cg, PAGE_FILE, MB(30), 0, NULL);
	int big = spawn(cg, PAGE_ANON, MB(10), 0, NULL);

	run();
	ck_assert_uint_eq(usage(cg), MB(45) + TASK_OVERHEAD);
	ck_assert(mem_cgroup_out_of_memory(e, cg->memcg, NULL));
	alloc_reap_locked(a);
	ck_assert(!alive(big));
	ck_assert(alive(small));
	ck_assert(alive(cache));
	ck_assert_uint_eq(ev(cg, MEMCG_OOM_KILL), 1);
	/* the victim's stack went back to the stock, still counted */
	ck_assert_uint_eq(usage(cg), MB(35) + TASK_OVERHEAD);
}
END_TEST

/* ============================================================ protection */

/* reclaim_until() of test_memcontrol.c, on the engine: memory.reclaim writes. */
static bool reclaim_until(struct cgroup *cg, unsigned long goal)
{
	bool reclaimed = false;
	int retries, err;

	for (retries = 5; retries > 0; retries--) {
		unsigned long cur = usage(cg);

		if (cur < goal || values_close(cur, goal, 3))
			break;
		else if (reclaimed)
			return false;	/* a write returned 0 yet did not get there */
		err = memcg_proactive_reclaim(e, cg->memcg, cur - goal, -1);
		if (!err)
			reclaimed = true;
		else if (err != -EAGAIN)
			return false;
	}
	return reclaimed;
}

/*
 * test_memcg_min / test_memcg_low (tools/testing/selftests/cgroup/
 * test_memcontrol.c, replayed in tests/scenarios/), with the selftest's
 * tolerances:
 *
 *	A      memory.max 200M, swap.max 0, +memory
 *	|- B   prot 50M, +memory
 *	|   |- C  prot 75M   50M page cache
 *	|   |- D  prot 25M   50M page cache
 *	|   |- E  prot 0     50M page cache
 *	|   `- F  prot 500M  empty
 *	`- G   148M anon, then 170M anon
 */
static void protection_scenario(bool min)
{
	struct cgroup *A = mklimited("A", MB(200), 0), *B, *G, *kids[4];
	static const unsigned long prot[4] = { MB(75), MB(25), 0, MB(500) };
	static const char *const names[4] = { "C", "D", "E", "F" };
	struct outcome o148, o170;
	unsigned long c[4];
	int i, pid;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, A, true), 0);
	B = mkcg(A, "B");
	G = mkcg(A, "G");
	ck_assert_int_eq(cgroup_set_subtree_memory(e, B, true), 0);
	if (min)
		page_counter_set_min(&B->memcg->memory, MB(50));
	else
		page_counter_set_low(&B->memcg->memory, MB(50));
	for (i = 0; i < 4; i++) {
		kids[i] = mkcg(B, names[i]);
		if (min)
			page_counter_set_min(&kids[i]->memcg->memory, prot[i]);
		else
			page_counter_set_low(&kids[i]->memcg->memory, prot[i]);
		if (i < 3)
			spawn(kids[i], PAGE_FILE, MB(50), 0, NULL);
	}
	run();
	ck_assert_msg(values_close(usage(B), MB(150), 3), "B %lu", usage(B));

	pid = spawn(G, PAGE_ANON, MB(148), 0, &o148);
	run();
	ck_assert_int_eq(o148.last, TASK_CHARGED);
	kill_task(pid);		/* cg_run(): the allocator exits */
	ck_assert_msg(values_close(usage(B), MB(50), 3), "B %lu pages, want ~50M", usage(B));
	for (i = 0; i < 4; i++)
		c[i] = usage(kids[i]);
	ck_assert_msg(values_close(c[0], MB(29), 15), "C %lu pages", c[0]);
	ck_assert_msg(values_close(c[1], MB(21), 20), "D %lu pages", c[1]);
	ck_assert_uint_eq(c[3], 0);

	pid = spawn(G, PAGE_ANON, MB(170), 0, &o170);
	run();
	if (min) {
		ck_assert_int_eq(o170.last, TASK_OOM_KILLED);
		ck_assert(!alive(pid));
	} else {
		ck_assert_int_eq(o170.last, TASK_CHARGED);
		kill_task(pid);
	}
	ck_assert_msg(values_close(usage(B), min ? MB(50) : MB(30), 3), "B %lu pages", usage(B));

	ck_assert(reclaim_until(kids[0], MB(10)));

	if (min)
		return;
	for (i = 0; i < 4; i++) {
		ck_assert_msg(ev(kids[i], MEMCG_OOM) == 0, "%s oom", names[i]);
		if (i <= 1)
			ck_assert_msg(ev(kids[i], MEMCG_LOW) > 0, "%s: no low event", names[i]);
		else
			ck_assert_msg(ev(kids[i], MEMCG_LOW) == 0, "%s: low %lu", names[i],
				      ev(kids[i], MEMCG_LOW));
	}
}

START_TEST(test_memcg_min)
{
	protection_scenario(true);
}
END_TEST

START_TEST(test_memcg_low)
{
	protection_scenario(false);
}
END_TEST

/* ================================================================= stock */

START_TEST(test_stock_residual)
{
	/*
	 * 100 pages = 64 + 36: the second charge takes a batch of 64 and
	 * keeps 28 in the stock, which stays charged after the exit.
	 */
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	int pid = spawn(cg, PAGE_ANON, 100, 0, NULL);

	run();
	ck_assert_uint_eq(usage(cg), 128);
	kill_task(pid);
	ck_assert_uint_eq(usage(cg), 28);
	ck_assert_uint_le(usage(cg), MEMCG_CHARGE_BATCH);
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 0);
	memcg_drain_stock(e, cg->memcg);
	ck_assert_uint_eq(usage(cg), 0);
}
END_TEST

START_TEST(test_stock_residual_after_max_test)
{
	/*
	 * test_memcg_max: after a 100M anon child is killed under max 30M and
	 * a 50M page cache child exits, 0 < current <= 30M: the per-CPU stock
	 * (memcg_stock, refill_stock) keeps what freed kernel memory gave
	 * back; 6.12 left 131072 (tests/scenarios/kernel-6.12.txt, max).
	 */
	struct cgroup *cg = mklimited("a", MB(30), 0);
	struct outcome o;
	int pid;

	spawn(cg, PAGE_ANON, MB(100), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_OOM_KILLED);
	pid = spawn(cg, PAGE_FILE, MB(50), 0, NULL);
	run();
	kill_task(pid);
	ck_assert_uint_le(usage(cg), MEMCG_CHARGE_BATCH);
	ck_assert_msg(usage(cg) > 0, "the stock's residual after all tasks exit must be > 0, got 0");
}
END_TEST

/* ================================================================= stats */

START_TEST(test_stat_counters)
{
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	struct memcg *m = cg->memcg;
	int anon = spawn(cg, PAGE_ANON, MB(10), 0, NULL);
	int file = spawn(cg, PAGE_FILE, MB(4), 0, NULL);
	unsigned long pages[NR_PAGE_TYPES] = { 0 };

	run();
	ck_assert_uint_eq(usage(cg), MB(14) + TASK_OVERHEAD);
	ck_assert_int_eq(node_stat(cg, NR_anon, false), (long)MB(10));
	ck_assert_int_eq(node_stat(cg, NR_file, false), (long)MB(4));
	ck_assert_int_eq(node_stat(cg, NR_inactive_anon, false), (long)MB(10));
	ck_assert_int_eq(node_stat(cg, NR_inactive_file, false), (long)MB(4));
	ck_assert_int_eq(node_stat(cg, NR_shmem, false), 0);
	ck_assert_int_eq(memcg_stat(m, MEMCG_pgfault, false), (long)MB(10));
	ck_assert_int_eq(memcg_stat(m, MEMCG_pgpgin, false), (long)MB(14));

	pages[PAGE_ANON] = MB(3);
	ck_assert_int_eq(alloc_free_locked(a, anon, pages), 0);
	ck_assert_int_eq(node_stat(cg, NR_anon, false), (long)MB(7));
	ck_assert_int_eq(memcg_stat(m, MEMCG_pgpgout, false), (long)MB(3));
	ck_assert_uint_eq(usage(cg), MB(11) + TASK_OVERHEAD);
	/* a fault count never goes down */
	ck_assert_int_eq(memcg_stat(m, MEMCG_pgfault, false), (long)MB(10));

	ck_assert_int_eq(alloc_more_locked(a, anon, pages), 0);
	run();
	ck_assert_int_eq(node_stat(cg, NR_anon, false), (long)MB(10));
	ck_assert_int_eq(memcg_stat(m, MEMCG_pgfault, false), (long)MB(13));

	kill_task(anon);
	kill_task(file);
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 0);
	ck_assert_int_eq(node_stat(cg, NR_file, false), 0);
	ck_assert_int_eq(node_stat(cg, NR_inactive_anon, false), 0);
}
END_TEST

START_TEST(test_stat_kmem_shmem_sock)
{
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, 0);
	struct memcg *m = cg->memcg;

	spawn(cg, PAGE_SHMEM, 640, 0, NULL);
	spawn(cg, PAGE_KMEM, 64, 0, NULL);
	spawn(cg, PAGE_SOCK, 128, 0, NULL);
	run();
	/* v2: kernel and socket memory count in memory.current */
	ck_assert_uint_eq(usage(cg), 640 + 64 + 128 + TASK_OVERHEAD);
	ck_assert_int_eq(node_stat(cg, NR_shmem, false), 640);
	ck_assert_int_eq(node_stat(cg, NR_file, false), 640);	/* shmem is file for stats */
	ck_assert_int_eq(node_stat(cg, NR_inactive_anon, false), 640);	/* anon LRU */
	ck_assert_int_eq(node_stat(cg, NR_anon, false), 0);
	ck_assert_int_eq(memcg_stat(m, MEMCG_kernel, false), 64 + 3 * THREAD_SIZE_PAGES);
	ck_assert_int_eq(node_stat(cg, NR_slab_unreclaimable, false), 64);
	ck_assert_int_eq(memcg_stat(m, MEMCG_sock, false), 128);
	ck_assert_int_eq(memcg_stat(m, MEMCG_pgfault, false), 640);
}
END_TEST

START_TEST(test_stat_hierarchical)
{
	/*
	 * root
	 *  `- a
	 *      |- b   8M anon
	 *      `- c   2M file
	 */
	struct cgroup *a1 = mkcg(e->root, "a"), *b, *c;

	ck_assert_int_eq(cgroup_set_subtree_memory(e, a1, true), 0);
	b = mkcg(a1, "b");
	c = mkcg(a1, "c");
	spawn(b, PAGE_ANON, MB(8), 0, NULL);
	spawn(c, PAGE_FILE, MB(2), 0, NULL);
	run();

	/* and a's share of b's and c's per-CPU data, charged to the parent at mkdir */
	ck_assert_uint_eq(usage(a1), MB(10) + 2 * TASK_OVERHEAD + 2 * MEMCG_PERCPU_PAGES);
	ck_assert_uint_eq(usage(b), MB(8) + TASK_OVERHEAD);
	ck_assert_uint_eq(usage(c), MB(2) + TASK_OVERHEAD);
	ck_assert_int_eq(node_stat(a1, NR_anon, false), (long)MB(8));
	ck_assert_int_eq(node_stat(a1, NR_file, false), (long)MB(2));
	ck_assert_int_eq(node_stat(a1, NR_anon, true), 0);
	ck_assert_int_eq(node_stat(a1, NR_file, true), 0);
	ck_assert_int_eq(node_stat(b, NR_anon, true), (long)MB(8));
	ck_assert_int_eq(node_stat(b, NR_file, false), 0);
	ck_assert_int_eq(memcg_stat(a1->memcg, MEMCG_pgfault, false), (long)MB(8));
	ck_assert_int_eq(memcg_stat(a1->memcg, MEMCG_pgfault, true), 0);
	/* the root's statistics sum the whole machine; its counter is not charged */
	ck_assert_int_eq(node_stat(e->root, NR_anon, false), (long)MB(8));
	ck_assert_uint_eq(e->root->memcg->memory.usage, MB(10) + 2 * TASK_OVERHEAD + 2 * MEMCG_PERCPU_PAGES);
}
END_TEST

START_TEST(test_root_task_not_limited)
{
	struct outcome o;

	spawn(e->root, PAGE_ANON, MB(20), 0, &o);
	run();
	ck_assert_int_eq(o.last, TASK_CHARGED);
	/* root charges return at once: no counter, but statistics */
	ck_assert_uint_eq(e->root->memcg->memory.usage, 0);
	ck_assert_int_eq(node_stat(e->root, NR_anon, true), (long)MB(20));
}
END_TEST

/* ============================================================ reclaim time */

/* Stalls that overlap count once in memory.pressure; one still running counts as far as it came. */
START_TEST(test_psi_union_of_stalls)
{
	struct cgroup *cg = mklimited("a", PAGE_COUNTER_MAX, PAGE_COUNTER_MAX);

	psi_memstall(e, cg, NSEC_PER_SEC);
	e->now_ns += NSEC_PER_SEC / 2;
	psi_memstall(e, cg, NSEC_PER_SEC);	/* overlaps the first by half */
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_SOME, e->now_ns), NSEC_PER_SEC / 2);
	e->now_ns = 3 * NSEC_PER_SEC;
	psi_memstall(e, cg, NSEC_PER_SEC);	/* apart */
	e->now_ns += NSEC_PER_SEC / 4;
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_SOME, e->now_ns), 1750 * 1000000ULL);
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_SOME, UINT64_MAX), 2500 * 1000000ULL);
	ck_assert_uint_eq(psi_total_ns(&e->root->psi, PSI_SOME, UINT64_MAX), 2500 * 1000000ULL);
}
END_TEST

/*
 * Direct reclaim costs its task time, scanning, and memory.pressure shows
 * it; anon pages just faulted in are put back once before they go.
 */
START_TEST(test_reclaim_stalls_and_rotates)
{
	struct cgroup *cg = mklimited("a", MB(30), PAGE_COUNTER_MAX);
	int pid = spawn(cg, PAGE_ANON, MB(50), 0, NULL);
	unsigned long scan, steal;
	struct sim_task *t;

	e->now_ns = 0;
	alloc_run_locked(a);	/* one run: the task charges until it stalls */
	t = alloc_find_locked(a, pid);
	ck_assert_uint_gt(t->mt.throttle_until_ns, 0);
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_SOME, UINT64_MAX), t->mt.throttle_until_ns);
	run();
	scan = memcg_stat(cg->memcg, MEMCG_pgscan_direct, false);
	steal = memcg_stat(cg->memcg, MEMCG_pgsteal_direct, false);
	ck_assert_uint_ge(steal, MB(20));
	ck_assert_uint_ge(scan, 19 * steal / 10);
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_SOME, UINT64_MAX), scan * RECLAIM_SCAN_ANON_NS);
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_FULL, UINT64_MAX), scan * RECLAIM_SCAN_ANON_NS);
}
END_TEST

/* ============================================================ swap-in */

START_TEST(test_swapin_recharges_and_frees_swap)
{
	struct cgroup *cg = mklimited("a", MB(30), PAGE_COUNTER_MAX);
	int pid = spawn(cg, PAGE_ANON, MB(50), 0, NULL);
	struct sim_task *t;
	unsigned long swp;
	uint64_t reclaim_ns, stalled_ns;

	run();
	t = alloc_find_locked(a, pid);
	swp = swap_usage(cg);
	ck_assert_uint_gt(swp, MB(19));

	/* 64 pages read back push as many out (a reclaim batch may overshoot) */
	reclaim_ns = e->reclaim_ns;
	stalled_ns = psi_total_ns(&cg->psi, PSI_SOME, UINT64_MAX);
	e->now_ns = MAX(e->now_ns, t->mt.throttle_until_ns);	/* the fill's last stall is over */
	ck_assert_int_eq(memcg_task_swapin(e, &t->mt, MEMCG_CHARGE_BATCH), 0);
	reclaim_ns = e->reclaim_ns - reclaim_ns;
	ck_assert_uint_gt(reclaim_ns, 0);
	ck_assert_uint_le(usage(cg), MB(30));
	ck_assert_uint_ge(swap_usage(cg), swp);
	ck_assert_uint_le(swap_usage(cg), swp + 32);
	swp = swap_usage(cg);
	ck_assert_int_eq(memcg_stat(cg->memcg, MEMCG_pswpin, false), MEMCG_CHARGE_BATCH);
	ck_assert_int_eq(memcg_stat(cg->memcg, MEMCG_pgmajfault, false), MEMCG_CHARGE_BATCH);
	/*
	 * The task waits for the disk to read them, 64 pages at 100 MiB/s,
	 * and for the reclaim that made room for them: one stall.
	 */
	ck_assert_uint_eq(t->mt.throttle_until_ns, e->now_ns + 2500000 + reclaim_ns);
	ck_assert_uint_eq(psi_total_ns(&cg->psi, PSI_SOME, UINT64_MAX) - stalled_ns, 2500000 + reclaim_ns);
	ck_assert_int_eq(node_stat(cg, NR_workingset_refault_anon, false), MEMCG_CHARGE_BATCH);
	ck_assert_uint_eq(memcg_task_pages(&t->mt, PAGE_ANON), MB(50));
	ck_assert_uint_eq(memcg_task_swapped(&t->mt), swp);
	ck_assert_uint_eq(e->swap_used, swp);
}
END_TEST

START_TEST(test_swapin_after_rmdir_charges_the_new_cgroup)
{
	struct cgroup *old = mklimited("old", MB(30), PAGE_COUNTER_MAX);
	struct cgroup *new = mklimited("new", MB(100), PAGE_COUNTER_MAX);
	int pid = spawn(old, PAGE_ANON, MB(40), 0, NULL);
	struct sim_task *t;
	struct memcg *dying;
	unsigned long new_before, dying_swap;

	run();
	t = alloc_find_locked(a, pid);
	cgroup_attach_task(e, new, &t->mt);
	dying = old->memcg;
	ck_assert_int_eq(cgroup_rmdir(e, old), 0);
	dying_swap = dying->swap.usage;
	ck_assert_uint_gt(dying_swap, MB(9));
	new_before = usage(new);

	/* the swap entries' memcg is gone: the task's own is charged */
	ck_assert_int_eq(memcg_task_swapin(e, &t->mt, MEMCG_CHARGE_BATCH), 0);
	ck_assert_uint_eq(dying->swap.usage, dying_swap - MEMCG_CHARGE_BATCH);
	ck_assert_uint_ge(usage(new), new_before + MEMCG_CHARGE_BATCH);
	ck_assert_int_eq(memcg_stat(new->memcg, MEMCG_pswpin, true), MEMCG_CHARGE_BATCH);
	ck_assert_uint_eq(memcg_task_pages(&t->mt, PAGE_ANON), MB(40));
}
END_TEST

/* ========================================================== writeback */

static unsigned long dirty_pages(const struct cgroup *cg)
{
	return (unsigned long)node_stat(cg, NR_file_dirty, true);
}

static unsigned long writeback_pages(const struct cgroup *cg)
{
	return (unsigned long)node_stat(cg, NR_file_writeback, true);
}

/* A task in a new cgroup "w" with memory.max 64M, holding @pages of page cache. */
static struct sim_task *file_holder(unsigned long pages, struct cgroup **cg)
{
	int pid;

	*cg = mklimited("w", MB(64), PAGE_COUNTER_MAX);
	pid = spawn(*cg, PAGE_FILE, pages, 0, NULL);
	run();
	return alloc_find_locked(a, pid);
}

/* move the clock on in 10 ms steps, as alloc_run_locked() would */
static void advance(uint64_t ns)
{
	uint64_t end = e->now_ns + ns;

	while (e->now_ns < end) {
		e->now_ns += WRITEBACK_TICK_NS;
		writeback_advance(e);
	}
}

START_TEST(test_dirty_background_and_disk)
{
	/* 64M limit, 16M of page cache: the domain may dirty from 64M */
	struct cgroup *cg;
	struct sim_task *t = file_holder(MB(16), &cg);

	memcg_task_dirty(e, &t->mt, MB(4));
	ck_assert_uint_eq(dirty_pages(cg), MB(4));
	ck_assert_uint_eq(e->nr_dirty, MB(4));
	ck_assert_uint_eq(t->mt.throttle_until_ns, 0);

	/* past 10% of 64M the flusher takes all of it; the disk does 100M/s */
	memcg_task_dirty(e, &t->mt, MB(3));
	advance(WRITEBACK_TICK_NS);
	ck_assert_uint_eq(dirty_pages(cg), 0);
	ck_assert_uint_eq(writeback_pages(cg), MB(7) - DISK_PAGES_PER_SEC / 100);
	advance(100 * WRITEBACK_TICK_NS);
	ck_assert_uint_eq(writeback_pages(cg), 0);
	ck_assert_uint_eq(e->nr_writeback, 0);
	ck_assert_uint_eq(memcg_task_pages(&t->mt, PAGE_FILE), MB(16));
}
END_TEST

START_TEST(test_dirty_expire)
{
	struct cgroup *cg;
	struct sim_task *t = file_holder(MB(16), &cg);

	memcg_task_dirty(e, &t->mt, MB(2));
	advance(DIRTY_EXPIRE_NS - DIRTY_WRITEBACK_INTERVAL_NS);
	ck_assert_uint_eq(dirty_pages(cg), MB(2));
	advance(2 * DIRTY_WRITEBACK_INTERVAL_NS);
	ck_assert_uint_eq(dirty_pages(cg), 0);
	advance(100 * WRITEBACK_TICK_NS);
	ck_assert_uint_eq(writeback_pages(cg), 0);
}
END_TEST

START_TEST(test_dirty_writer_throttled)
{
	struct cgroup *cg;
	struct sim_task *t = file_holder(MB(32), &cg);

	/* past the middle of 10% and 20% of 64M: no faster than the disk */
	memcg_task_dirty(e, &t->mt, MB(10));
	ck_assert_uint_eq(t->mt.throttle_until_ns,
			  e->now_ns + MB(10) * 1000000000ULL / DISK_PAGES_PER_SEC);
	/* at 20% the longest pause */
	memcg_task_dirty(e, &t->mt, MB(4));
	ck_assert_uint_eq(t->mt.throttle_until_ns, e->now_ns + DIRTY_MAX_PAUSE_NS);
}
END_TEST

START_TEST(test_reclaim_keeps_dirty_pages)
{
	struct cgroup *cg;
	struct sim_task *t = file_holder(MB(32), &cg);
	unsigned long file;

	memcg_task_dirty(e, &t->mt, MB(4));
	ck_assert_int_eq(memcg_proactive_reclaim(e, cg->memcg, MB(64), -1), -EAGAIN);
	/* the clean pages went; the dirty ones stay, handed to the flusher */
	file = memcg_task_pages(&t->mt, PAGE_FILE);
	ck_assert_uint_eq(file, MB(4));
	ck_assert_uint_eq(dirty_pages(cg) + writeback_pages(cg), MB(4));
	ck_assert_uint_gt(writeback_pages(cg), 0);
	ck_assert_uint_eq(memcg_stat(cg->memcg, MEMCG_pgsteal_proactive, false), MB(28));

	/* once on the disk (those reclaim did not meet: after dirty_expire) they go too */
	advance(DIRTY_EXPIRE_NS + 2 * DIRTY_WRITEBACK_INTERVAL_NS);
	ck_assert_int_eq(memcg_proactive_reclaim(e, cg->memcg, MB(4), -1), 0);
	ck_assert_uint_eq(memcg_task_pages(&t->mt, PAGE_FILE), 0);
}
END_TEST

START_TEST(test_freeing_dirty_file_pages)
{
	struct cgroup *cg;
	struct sim_task *t = file_holder(10, &cg);
	int pid = t->mt.pid;

	memcg_task_dirty(e, &t->mt, 6);
	writeback_start(e, cg->memcg, 0, 3);
	ck_assert_uint_eq(dirty_pages(cg), 3);
	ck_assert_uint_eq(writeback_pages(cg), 3);
	/* freeing 8 of 10 leaves 2 resident: no more than 2 dirty or in flight */
	ck_assert_uint_eq(memcg_task_uncharge(e, &t->mt, PAGE_FILE, 8), 8);
	ck_assert_uint_le(dirty_pages(cg) + writeback_pages(cg), 2);
	ck_assert_uint_eq(e->nr_dirty + e->nr_writeback, dirty_pages(cg) + writeback_pages(cg));
	kill_task(pid);
	ck_assert_uint_eq(e->nr_dirty + e->nr_writeback, 0);
}
END_TEST

/* ================================================================= suite */

static Suite *memcg_suite(void)
{
	Suite *s = suite_create("memcg");
	TCase *tc;

	tc = tcase_create("tree");
	tcase_add_checked_fixture(tc, setup_noswap, teardown);
	tcase_add_test(tc, test_mkdir_basic);
	tcase_add_test(tc, test_mkdir_errors);
	tcase_add_test(tc, test_rmdir_rules);
	tcase_add_test(tc, test_rmdir_with_charges_leaves_dying_memcg);
	tcase_add_test(tc, test_stat_counts_kept_match_a_walk);
	tcase_add_test(tc, test_rename_rules);
	tcase_add_test(tc, test_max_depth);
	tcase_add_test(tc, test_max_descendants);
	suite_add_tcase(s, tc);

	tc = tcase_create("subtree_control");
	tcase_add_checked_fixture(tc, setup_noswap, teardown);
	tcase_add_test(tc, test_subtree_memory_enable_disable);
	tcase_add_test(tc, test_no_internal_process);
	tcase_add_test(tc, test_populated);
	suite_add_tcase(s, tc);

	tc = tcase_create("events");
	tcase_add_checked_fixture(tc, setup_noswap, teardown);
	tcase_add_test(tc, test_events_hierarchical);
	suite_add_tcase(s, tc);

	tc = tcase_create("localevents");
	tcase_add_checked_fixture(tc, setup_localevents, teardown);
	tcase_add_test(tc, test_events_localevents_option);
	tcase_add_test(tc, test_oom_events_localevents_option);
	suite_add_tcase(s, tc);

	tc = tcase_create("charge");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_oom_kill_no_swap);
	tcase_add_test(tc, test_swap_instead_of_oom);
	tcase_add_test(tc, test_swap_max_hit);
	tcase_add_test(tc, test_pagecache_reclaimed_not_killed);
	tcase_add_test(tc, test_limit_on_ancestor);
	tcase_add_test(tc, test_set_max_reclaims_then_kills);
	tcase_add_test(tc, test_set_max_nonblock);
	tcase_add_test(tc, test_set_high_reclaims_without_oom);
	suite_add_tcase(s, tc);

	tc = tcase_create("charge_noswap");
	tcase_add_checked_fixture(tc, setup_noswap, teardown);
	tcase_add_test(tc, test_oom_kill_machine_without_swap);
	tcase_add_test(tc, test_root_task_not_limited);
	suite_add_tcase(s, tc);

	tc = tcase_create("high");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_high_throttles_pagecache);
	tcase_add_test(tc, test_high_never_kills_anon);
	tcase_add_test(tc, test_stock_charge_skips_high);
	tcase_add_test(tc, test_high_penalty_curve);
	tcase_add_test(tc, test_high_penalty_ancestor_and_swap);
	suite_add_tcase(s, tc);

	tc = tcase_create("oom");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_oom_group_kill);
	tcase_add_test(tc, test_oom_without_group_kills_one);
	tcase_add_test(tc, test_oom_group_on_parent);
	tcase_add_test(tc, test_oom_badness);
	tcase_add_test(tc, test_oom_picks_largest_rss);
	suite_add_tcase(s, tc);

	tc = tcase_create("protection");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_memcg_min);
	tcase_add_test(tc, test_memcg_low);
	suite_add_tcase(s, tc);

	tc = tcase_create("stock");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_stock_residual);
	suite_add_tcase(s, tc);

	tc = tcase_create("residue");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_stock_residual_after_max_test);
	tcase_add_test(tc, test_swap_max_events);
	suite_add_tcase(s, tc);

	tc = tcase_create("reclaim time");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_psi_union_of_stalls);
	tcase_add_test(tc, test_reclaim_stalls_and_rotates);
	suite_add_tcase(s, tc);

	tc = tcase_create("swapin");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_swapin_recharges_and_frees_swap);
	tcase_add_test(tc, test_swapin_after_rmdir_charges_the_new_cgroup);
	suite_add_tcase(s, tc);

	tc = tcase_create("writeback");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_dirty_background_and_disk);
	tcase_add_test(tc, test_dirty_expire);
	tcase_add_test(tc, test_dirty_writer_throttled);
	tcase_add_test(tc, test_reclaim_keeps_dirty_pages);
	tcase_add_test(tc, test_freeing_dirty_file_pages);
	suite_add_tcase(s, tc);

	tc = tcase_create("stats");
	tcase_add_checked_fixture(tc, setup_swap, teardown);
	tcase_add_test(tc, test_stat_counters);
	tcase_add_test(tc, test_stat_kmem_shmem_sock);
	tcase_add_test(tc, test_stat_hierarchical);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(memcg_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
