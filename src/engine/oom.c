// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The memcg OOM killer (see oom.h): badness over the simulated tasks of the
 * subtree, pre-order, later tasks winning ties; no kill while a victim is
 * still on its way out; memory.oom.group kills the whole group.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <limits.h>

#include "engine/oom.h"
#include "engine/charge.h"
#include "engine/cgroup.h"

long oom_badness(const struct memcg_task *task, unsigned long totalpages)
{
	long points, adj;

	if (task->dead || task->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	/*
	 * rss and swap entries: anonymous and shmem pages. Page cache read
	 * with read(2) is not mapped, so not rss; the simulation has no page
	 * tables. A real process's file pages are its RssFile: mapped, so rss.
	 */
	points = (long)(memcg_task_pages(task, PAGE_ANON) + memcg_task_pages(task, PAGE_SHMEM));
	if (task->real)
		points += (long)memcg_task_pages(task, PAGE_FILE);
	adj = (long)task->oom_score_adj * (long)(totalpages / 1000);
	return points + adj;
}

/* memory.max plus the swap the memcg may use (mem_cgroup_get_max). */
static unsigned long oom_totalpages(const struct engine *e, const struct memcg *memcg)
{
	unsigned long max = memcg->memory.max, swap;

	if (e->cfg.mode == CGROUP_V1) {
		swap = memcg->memsw.max > max ? memcg->memsw.max - max : 0;
	} else {
		swap = memcg->swap.max;
	}
	if ((e->cfg.mode == CGROUP_V1 ? memcg->swappiness : e->vm_swappiness) > 0)
		max += MIN(swap, e->cfg.swap_pages);
	return max ? max : 1;
}

struct oom_choice {
	struct memcg_task *victim;
	long points;
	bool abort;	/* a victim of an earlier kill is still exiting */
};

static void select_in_cgroup(struct cgroup *cg, unsigned long totalpages, struct oom_choice *oc)
{
	struct memcg_task *task;
	struct cgroup *child;

	list_for_each_entry(task, &cg->tasks, cgroup_node) {
		long points;

		if (task->oom_victim && !task->dead) {
			oc->abort = true;
			return;
		}
		points = oom_badness(task, totalpages);
		if (points == LONG_MIN || points < oc->points)
			continue;
		/* ties go to the task scanned later */
		oc->victim = task;
		oc->points = points;
	}
	list_for_each_entry(child, &cg->children, sibling) {
		select_in_cgroup(child, totalpages, oc);
		if (oc->abort)
			return;
	}
}

static void oom_kill_task(struct engine *e, struct memcg_task *task)
{
	struct memcg *memcg = cgroup_memcg(task->cgroup);

	task->oom_victim = true;
	engine_log(e, LOG_OOM_KILL, 0, task->cgroup->id, task->pid, 0);
	memcg_memory_event(e, memcg, MEMCG_OOM_KILL);
	e->ops->oom_kill(e->ops_data, task);
}

/* The highest memcg from the victim's up to @oom_memcg with oom.group set. */
static struct memcg *oom_group(struct engine *e, struct memcg *victim_memcg, struct memcg *oom_memcg)
{
	struct memcg *memcg, *group = NULL;

	if (e->cfg.mode == CGROUP_V1)
		return NULL;
	for (memcg = victim_memcg; memcg; memcg = memcg->parent) {
		if (memcg->oom_group)
			group = memcg;
		if (memcg == oom_memcg)
			break;
	}
	return group;
}

static void kill_group(struct engine *e, struct cgroup *cg)
{
	struct memcg_task *task, *tmp;
	struct cgroup *child;

	/*
	 * The victim is still listed and is counted again, as the kernel's
	 * group kill signals it a second time: mm/oom_kill.c's
	 * oom_kill_process() kills the victim, then oom_kill_memcg_member()
	 * runs over every task of mem_cgroup_get_oom_group()'s cgroup, the
	 * victim included, and each kill counts MEMCG_OOM_KILL
	 * (tests/scenarios/oom_group_score.sh: oom_kill 3 for 2 tasks).
	 */
	list_for_each_entry_safe(task, tmp, &cg->tasks, cgroup_node) {
		if (task->oom_score_adj == OOM_SCORE_ADJ_MIN)
			continue;
		if (task->oom_victim)
			memcg_memory_event(e, cgroup_memcg(task->cgroup), MEMCG_OOM_KILL);
		else
			oom_kill_task(e, task);
	}
	list_for_each_entry(child, &cg->children, sibling)
		kill_group(e, child);
}

/* Choose and kill within @memcg's subtree; @totalpages scales oom_score_adj. */
static bool oom_kill_in(struct engine *e, struct memcg *memcg, struct memcg_task *charging,
			unsigned long totalpages)
{
	struct oom_choice oc = { .points = LONG_MIN };
	struct memcg *victim_memcg, *group;

	if (!memcg->cgroup)
		return false;
	/* a dying charger is its own victim, without a kill */
	if (charging && charging->oom_victim)
		return true;

	select_in_cgroup(memcg->cgroup, totalpages, &oc);
	if (oc.abort)
		return true;
	if (!oc.victim)
		return false;

	victim_memcg = cgroup_memcg(oc.victim->cgroup);
	group = oom_group(e, victim_memcg, memcg);
	oom_kill_task(e, oc.victim);
	if (group && group->cgroup) {
		memcg_memory_event(e, group, MEMCG_OOM_GROUP_KILL);
		kill_group(e, group->cgroup);
	}
	return true;
}

bool mem_cgroup_out_of_memory(struct engine *e, struct memcg *memcg, struct memcg_task *charging)
{
	return oom_kill_in(e, memcg, charging, oom_totalpages(e, memcg));
}

bool out_of_memory(struct engine *e, struct memcg_task *charging)
{
	unsigned long totalpages = e->cfg.ram_pages + e->cfg.swap_pages;

	return oom_kill_in(e, e->root->memcg, charging, totalpages ? totalpages : 1);
}
