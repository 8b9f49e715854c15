// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup v1 memory controller behaviour (see memcg_v1.h), after
 * mm/memcontrol-v1.c: mem_cgroup_resize_max(), mem_cgroup_force_empty() and
 * the oom_kill_disable wait queue.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/memcg_v1.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/reclaim.h"

int memcg1_resize_max(struct engine *e, struct memcg *memcg, unsigned long max, bool memsw)
{
	struct page_counter *counter = memsw ? &memcg->memsw : &memcg->memory;
	struct reclaim_request req = {
		.nr_pages = 1,
		.may_swap = !memsw,	/* swapping does not shrink mem+swap */
		.swappiness = -1,
		.kind = RECLAIM_DIRECT,
	};
	bool enlarge = false, drained = false;
	int ret;

	for (;;) {
		bool invariant = memsw ? max >= memcg->memory.max : max <= memcg->memsw.max;

		if (!invariant)
			return -EINVAL;
		if (max > counter->max)
			enlarge = true;
		ret = page_counter_set_max(counter, max);
		if (!ret)
			break;
		if (!drained) {
			drain_all_stock(e, memcg);
			drained = true;
			continue;
		}
		if (!try_to_free_mem_cgroup_pages(e, memcg, &req))
			return -EBUSY;
	}
	if (enlarge)
		memcg1_oom_recover(e, memcg);
	return 0;
}

int memcg1_force_empty(struct engine *e, struct memcg *memcg)
{
	struct reclaim_request req = {
		.nr_pages = 1,
		.may_swap = true,
		.swappiness = -1,
		.kind = RECLAIM_DIRECT,
	};
	int retries = MAX_RECLAIM_RETRIES;

	drain_all_stock(e, memcg);
	while (retries && memcg->memory.usage)
		if (!try_to_free_mem_cgroup_pages(e, memcg, &req))
			retries--;
	return 0;
}

static bool memcg_is_descendant(const struct memcg *memcg, const struct memcg *root)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg == root)
			return true;
	return false;
}

/* under_oom counts waits on @memcg or an ancestor: mark the whole subtree. */
static void mark_under_oom(struct engine *e, struct memcg *memcg, int delta)
{
	struct memcg *walk;

	list_for_each_entry(walk, &e->memcgs, all_node)
		if (memcg_is_descendant(walk, memcg))
			walk->under_oom += delta;
}

void memcg1_oom_wait(struct engine *e, struct memcg *memcg, struct memcg_task *task)
{
	if (task->oom_wait)
		return;
	memcg_get(memcg);
	task->oom_wait = memcg;
	task->oom_wait_since_ns = e->now_ns;
	list_add_tail(&task->oom_wait_node, &e->oom_waiters);
	mark_under_oom(e, memcg, 1);
	/* the first waiter takes the OOM lock of the subtree and notifies */
	if (memcg->under_oom == 1)
		memcg1_oom_notify(e, memcg);
}

void memcg1_oom_finish_wait(struct engine *e, struct memcg_task *task)
{
	struct memcg *memcg = task->oom_wait;

	if (!memcg)
		return;
	list_del_init(&task->oom_wait_node);
	task->oom_wait = NULL;
	/* the wait was a memory stall of the task's cgroup */
	if (task->cgroup && e->now_ns > task->oom_wait_since_ns)
		psi_memstall(e, task->cgroup, e->now_ns - task->oom_wait_since_ns);
	mark_under_oom(e, memcg, -1);
	memcg_put(e, memcg);
}

void memcg1_oom_recover(struct engine *e, struct memcg *memcg)
{
	struct memcg_task *task, *tmp;

	if (!memcg->under_oom)
		return;
	list_for_each_entry_safe(task, tmp, &e->oom_waiters, oom_wait_node)
		if (memcg_is_descendant(task->oom_wait, memcg) ||
		    memcg_is_descendant(memcg, task->oom_wait))
			memcg1_oom_finish_wait(e, task);
}

/* ---- cgroup.event_control: thresholds, OOM and pressure listeners ---- */

#define THRESHOLDS_EVENTS_TARGET 128
#define SOFTLIMIT_EVENTS_TARGET 1024
#define VMPRESSURE_WIN 512UL			/* SWAP_CLUSTER_MAX * 16 */
#define VMPRESSURE_LEVEL_MED 60
#define VMPRESSURE_LEVEL_CRITICAL 95
#define VMPRESSURE_LEVEL_CRITICAL_PRIO 3	/* ilog2(100 / 10) */
#define MAX_VMPRESSURE_ARGS_LEN 19		/* "critical" "hierarchy" and two separators */

/* Signal a registration; false when its eventfd is gone. */
static bool event_signal(struct engine *e, void *cookie)
{
	return e->event_ops ? e->event_ops->signal(e->event_data, cookie) : true;
}

static void event_release(struct engine *e, void *cookie)
{
	if (e->event_ops)
		e->event_ops->release(e->event_data, cookie);
}

static void threshold_remove(struct engine *e, struct memcg_threshold_ary *t, int index)
{
	event_release(e, t->entries[index].cookie);
	memmove(&t->entries[index], &t->entries[index + 1],
		(size_t)(t->size - index - 1) * sizeof(*t->entries));
	t->size--;
	if (t->current >= index)
		t->current--;
}

/* Signal one crossed threshold. Return: false when it was removed (its eventfd is gone). */
static bool threshold_crossed(struct engine *e, struct memcg *memcg, struct memcg_threshold_ary *t,
			      int index)
{
	engine_log(e, LOG_THRESHOLD, 0, memcg->cgroup ? memcg->cgroup->id : 0, 0,
		   (uint64_t)t->entries[index].threshold * PAGE_SIZE);
	if (event_signal(e, t->entries[index].cookie))
		return true;
	threshold_remove(e, t, index);
	return false;
}

/* __mem_cgroup_threshold(): signal every threshold crossed since the last check. */
static void threshold_check(struct engine *e, struct memcg *memcg, bool memsw)
{
	struct memcg_threshold_ary *t = &memcg->thresholds[memsw];
	unsigned long usage;
	int i;

	if (!t->size)
		return;
	usage = memcg_usage(e, memcg, memsw);
	for (i = t->current; i >= 0 && t->entries[i].threshold > usage; i--)
		threshold_crossed(e, memcg, t, i);
	for (i++; i < t->size && t->entries[i].threshold <= usage; i++)
		if (!threshold_crossed(e, memcg, t, i))
			i--;	/* removed: the next one moved into its place */
	t->current = i - 1;
}

static void mem_cgroup_threshold(struct engine *e, struct memcg *memcg)
{
	for (; memcg; memcg = memcg->parent) {
		threshold_check(e, memcg, false);
		threshold_check(e, memcg, true);
	}
}

void memcg1_check_events(struct engine *e, struct memcg *memcg, int nid, unsigned long nr_pages)
{
	memcg->nr_page_events += nr_pages;
	/* the targets start at 0, so the first event checks at once */
	if ((long)(memcg->nr_page_events - memcg->next_thresh_event) < 0)
		return;
	memcg->next_thresh_event = memcg->nr_page_events + THRESHOLDS_EVENTS_TARGET;
	mem_cgroup_threshold(e, memcg);
	/* the soft limit is looked at only inside a due threshold check */
	if ((long)(memcg->nr_page_events - memcg->next_softlimit_event) < 0)
		return;
	memcg->next_softlimit_event = memcg->nr_page_events + SOFTLIMIT_EVENTS_TARGET;
	memcg1_update_tree(e, memcg, nid);
}

static unsigned long soft_limit_excess(const struct memcg *memcg)
{
	return memcg->memory.usage > memcg->soft_limit ? memcg->memory.usage - memcg->soft_limit : 0;
}

/* __mem_cgroup_insert_exceeded(): an excess of 0 stays off the tree */
static void soft_insert(struct engine *e, struct memcg *memcg, int nid, unsigned long excess)
{
	struct memcg_soft_node *mz = &memcg->soft[nid];

	mz->on_tree = excess > 0;
	mz->excess = excess;
	mz->seq = ++e->soft_seq;
}

void memcg1_update_tree(struct engine *e, struct memcg *memcg, int nid)
{
	for (; memcg; memcg = memcg->parent) {
		unsigned long excess = soft_limit_excess(memcg);

		if (excess || memcg->soft[nid].on_tree)
			soft_insert(e, memcg, nid, excess);
	}
}

/* The rightmost entry: largest excess, the later insertion among equals. Taken off the tree. */
static struct memcg *soft_largest(struct engine *e, int nid)
{
	struct memcg *memcg, *best = NULL;

	list_for_each_entry(memcg, &e->memcgs, all_node) {
		struct memcg_soft_node *mz = &memcg->soft[nid];

		if (!mz->on_tree)
			continue;
		if (!best || mz->excess > best->soft[nid].excess ||
		    (mz->excess == best->soft[nid].excess && mz->seq > best->soft[nid].seq))
			best = memcg;
	}
	if (best)
		best->soft[nid].on_tree = false;
	return best;
}

#define MEM_CGROUP_MAX_RECLAIM_LOOPS 100
#define MEM_CGROUP_MAX_SOFT_LIMIT_RECLAIM_LOOPS 2

/* mem_cgroup_soft_reclaim(): round robin over @root's subtree until its excess is gone. */
static unsigned long soft_reclaim(struct engine *e, struct memcg *root, int nid)
{
	unsigned long excess = soft_limit_excess(root), total = 0;
	struct memcg *victim;
	int loop = 0;

	for (;;) {
		bool any = false;

		list_for_each_entry(victim, &e->memcgs, all_node) {
			if (!victim->online || !memcg_is_descendant(victim, root))
				continue;
			any = true;
			total += memcg_shrink_node(e, victim, nid);
			if (!soft_limit_excess(root))
				return total;
		}
		loop++;
		if (!any || (loop >= 2 && (!total || total >= (excess >> 2) ||
					   loop > MEM_CGROUP_MAX_RECLAIM_LOOPS)))
			return total;
	}
}

unsigned long memcg1_soft_limit_reclaim(struct engine *e, int nid)
{
	unsigned long nr_reclaimed = 0, reclaimed;
	struct memcg *mz, *next = NULL;
	int loop = 0;

	if (e->cfg.mode != CGROUP_V1)
		return 0;
	do {
		mz = next ? next : soft_largest(e, nid);
		if (!mz)
			break;
		reclaimed = soft_reclaim(e, mz, nid);
		nr_reclaimed += reclaimed;
		/* nothing from this one: the next largest gets a turn */
		next = reclaimed ? NULL : soft_largest(e, nid);
		soft_insert(e, mz, nid, soft_limit_excess(mz));
		loop++;
		if (!nr_reclaimed && (!next || loop > MEM_CGROUP_MAX_SOFT_LIMIT_RECLAIM_LOOPS))
			break;
	} while (!nr_reclaimed);
	if (next)
		soft_insert(e, next, nid, soft_limit_excess(next));
	return nr_reclaimed;
}

static int cmp_threshold(const void *a, const void *b)
{
	const struct memcg_threshold *x = a, *y = b;

	return (x->threshold > y->threshold) - (x->threshold < y->threshold);
}

int memcg1_threshold_register(struct engine *e, struct memcg *memcg, bool memsw,
			      unsigned long threshold, void *cookie)
{
	struct memcg_threshold_ary *t = &memcg->thresholds[memsw];
	struct memcg_threshold *entries;
	unsigned long usage = memcg_usage(e, memcg, memsw);
	int i;

	/* a threshold crossed before this one arrives is signalled first */
	threshold_check(e, memcg, memsw);
	entries = realloc(t->entries, (size_t)(t->size + 1) * sizeof(*entries));
	if (!entries)
		return -ENOMEM;
	t->entries = entries;
	t->entries[t->size].threshold = threshold;
	t->entries[t->size].cookie = cookie;
	t->size++;
	qsort(t->entries, (size_t)t->size, sizeof(*t->entries), cmp_threshold);
	for (t->current = -1, i = 0; i < t->size && t->entries[i].threshold <= usage; i++)
		t->current++;
	return 0;
}

int memcg1_oom_register(struct engine *e, struct memcg *memcg, void *cookie)
{
	struct memcg_event *ev = calloc(1, sizeof(*ev));

	if (!ev)
		return -ENOMEM;
	ev->cookie = cookie;
	list_add(&ev->node, &memcg->oom_events);
	if (memcg->under_oom)
		event_signal(e, cookie);
	return 0;
}

static void oom_notify_one(struct engine *e, struct memcg *memcg)
{
	struct memcg_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, &memcg->oom_events, node) {
		if (event_signal(e, ev->cookie))
			continue;
		list_del_init(&ev->node);
		event_release(e, ev->cookie);
		free(ev);
	}
}

void memcg1_oom_notify(struct engine *e, struct memcg *memcg)
{
	struct memcg *walk;

	list_for_each_entry(walk, &e->memcgs, all_node)
		if (walk->online && memcg_is_descendant(walk, memcg))
			oom_notify_one(e, walk);
}

/* match_string(): the index of @s in @list, or -1 */
static int match_word(const char *const *list, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

int memcg1_pressure_register(struct engine *e, struct memcg *memcg, const char *args, void *cookie)
{
	static const char *const levels[] = { "low", "medium", "critical" };
	static const char *const modes[] = { "default", "hierarchy", "local" };
	char spec[MAX_VMPRESSURE_ARGS_LEN + 1], *rest = spec, *token;
	struct memcg_event *ev;
	int level, mode = VMPRESSURE_NO_PASSTHROUGH;

	/* the kernel reads at most 19 characters and two comma-separated words */
	snprintf(spec, sizeof(spec), "%s", args);
	token = strsep(&rest, ",");
	level = match_word(levels, 3, token);
	if (level < 0)
		return -EINVAL;
	token = strsep(&rest, ",");
	if (token) {
		mode = match_word(modes, 3, token);
		if (mode < 0)
			return -EINVAL;
	}
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	ev->cookie = cookie;
	ev->level = (enum vmpressure_level)level;
	ev->mode = (enum vmpressure_mode)mode;
	list_add(&ev->node, &memcg->pressure_events);
	return 0;
}

static bool event_list_drop(struct engine *e, struct list_head *list, void *cookie)
{
	struct memcg_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, list, node)
		if (ev->cookie == cookie) {
			list_del_init(&ev->node);
			event_release(e, cookie);
			free(ev);
			return true;
		}
	return false;
}

void memcg1_event_unregister(struct engine *e, struct memcg *memcg, void *cookie)
{
	int memsw, i;

	for (memsw = 0; memsw < 2; memsw++) {
		struct memcg_threshold_ary *t = &memcg->thresholds[memsw];

		for (i = 0; i < t->size; i++)
			if (t->entries[i].cookie == cookie) {
				threshold_remove(e, t, i);
				return;
			}
	}
	if (!event_list_drop(e, &memcg->oom_events, cookie))
		event_list_drop(e, &memcg->pressure_events, cookie);
}

static void event_list_release(struct engine *e, struct list_head *list, bool signal)
{
	struct memcg_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, list, node) {
		if (signal)
			event_signal(e, ev->cookie);
		list_del_init(&ev->node);
		event_release(e, ev->cookie);
		free(ev);
	}
}

void memcg1_events_release(struct engine *e, struct memcg *memcg, bool signal)
{
	int memsw, i;

	for (memsw = 0; memsw < 2; memsw++) {
		struct memcg_threshold_ary *t = &memcg->thresholds[memsw];

		for (i = 0; i < t->size; i++) {
			if (signal)
				event_signal(e, t->entries[i].cookie);
			event_release(e, t->entries[i].cookie);
		}
		free(t->entries);
		*t = (struct memcg_threshold_ary){ .current = -1 };
	}
	event_list_release(e, &memcg->oom_events, signal);
	event_list_release(e, &memcg->pressure_events, signal);
}

/* vmpressure_calc_level(), with the kernel's integer steps */
static enum vmpressure_level vmpressure_calc_level(unsigned long scanned, unsigned long reclaimed)
{
	unsigned long scale = scanned + reclaimed, pressure = 0;

	if (reclaimed < scanned) {
		pressure = scale - (reclaimed * scale / scanned);
		pressure = pressure * 100 / scale;
	}
	if (pressure >= VMPRESSURE_LEVEL_CRITICAL)
		return VMPRESSURE_CRITICAL;
	if (pressure >= VMPRESSURE_LEVEL_MED)
		return VMPRESSURE_MEDIUM;
	return VMPRESSURE_LOW;
}

static bool vmpressure_event(struct engine *e, struct memcg *memcg, enum vmpressure_level level,
			     bool ancestor, bool signalled)
{
	struct memcg_event *ev;
	bool ret = false;

	list_for_each_entry(ev, &memcg->pressure_events, node) {
		if (ancestor && ev->mode == VMPRESSURE_LOCAL)
			continue;
		if (signalled && ev->mode == VMPRESSURE_NO_PASSTHROUGH)
			continue;
		if (level < ev->level)
			continue;
		event_signal(e, ev->cookie);
		ret = true;
	}
	return ret;
}

void vmpressure(struct engine *e, struct memcg *memcg, unsigned long scanned,
		unsigned long reclaimed)
{
	enum vmpressure_level level;
	bool signalled = false, ancestor = false;

	if (e->cfg.mode != CGROUP_V1 || !scanned)
		return;
	memcg->vmpr_scanned += scanned;
	memcg->vmpr_reclaimed += reclaimed;
	if (memcg->vmpr_scanned < VMPRESSURE_WIN)
		return;
	level = vmpressure_calc_level(memcg->vmpr_scanned, memcg->vmpr_reclaimed);
	memcg->vmpr_scanned = memcg->vmpr_reclaimed = 0;
	for (; memcg; memcg = memcg->parent, ancestor = true)
		if (vmpressure_event(e, memcg, level, ancestor, signalled))
			signalled = true;
}

void vmpressure_prio(struct engine *e, struct memcg *memcg, int priority)
{
	/* deep reclaim counts as a full window with nothing reclaimed */
	if (priority <= VMPRESSURE_LEVEL_CRITICAL_PRIO)
		vmpressure(e, memcg, VMPRESSURE_WIN, 0);
}
