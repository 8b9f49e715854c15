// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Life cycle, events, statistics and peak watchers of a memcg (see memcg.h).
 * Statistics are kept twice, local and hierarchical, and every update walks
 * the ancestors, so reading memory.stat never walks the subtree: writes are
 * O(depth), reads O(1) per key.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/memcg.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memcg_v1.h"

static struct memcg_stats *memcg_stats_alloc(int nr_nodes)
{
	return calloc(1, sizeof(struct memcg_stats) +
			 (size_t)nr_nodes * sizeof(((struct memcg_stats *)0)->node[0]));
}

int memcg_create(struct engine *e, struct memcg *parent, struct cgroup *cg, struct memcg **out)
{
	struct memcg *memcg = calloc(1, sizeof(*memcg));
	bool v1 = e->cfg.mode == CGROUP_V1;

	if (!memcg)
		return -ENOMEM;
	memcg->stat_local = memcg_stats_alloc(e->cfg.nr_nodes);
	memcg->stat = memcg_stats_alloc(e->cfg.nr_nodes);
	memcg->soft = calloc((size_t)e->cfg.nr_nodes, sizeof(*memcg->soft));
	memcg->unevictable = calloc((size_t)e->cfg.nr_nodes, sizeof(*memcg->unevictable));
	memcg->anon_referenced = calloc((size_t)e->cfg.nr_nodes, sizeof(*memcg->anon_referenced));
	if (!memcg->stat_local || !memcg->stat || !memcg->soft || !memcg->unevictable ||
	    !memcg->anon_referenced) {
		free(memcg->anon_referenced);
		free(memcg->unevictable);
		free(memcg->stat_local);
		free(memcg->stat);
		free(memcg->soft);
		free(memcg);
		return -ENOMEM;
	}

	memcg->parent = parent;
	memcg->cgroup = cg;
	memcg->online = true;
	memcg->refcnt = 1;	/* the cgroup's */
	if (parent) {
		memcg_get(parent);
		memcg->charged_to_parent = MEMCG_PERCPU_PAGES;
		memcg_charge_kmem_forced(e, parent, memcg->charged_to_parent);
	}

	page_counter_init(&memcg->memory, parent ? &parent->memory : NULL, !v1);
	page_counter_init(&memcg->swap, parent ? &parent->swap : NULL, false);
	page_counter_init(&memcg->memsw, parent ? &parent->memsw : NULL, false);
	page_counter_init(&memcg->kmem, parent ? &parent->kmem : NULL, false);
	page_counter_init(&memcg->tcpmem, parent ? &parent->tcpmem : NULL, false);
	memcg->memory.track_failcnt = v1;
	memcg->soft_limit = PAGE_COUNTER_MAX;
	memcg->thresholds[0].current = memcg->thresholds[1].current = -1;
	memcg->zswap_max = PAGE_COUNTER_MAX;
	memcg->zswap_writeback = true;
	memcg->swappiness = e->vm_swappiness;

	INIT_LIST_HEAD(&memcg->peak_fds);
	INIT_LIST_HEAD(&memcg->swap_peak_fds);
	INIT_LIST_HEAD(&memcg->holdings);
	INIT_LIST_HEAD(&memcg->oom_events);
	INIT_LIST_HEAD(&memcg->pressure_events);
	list_add_tail(&memcg->all_node, &e->memcgs);
	*out = memcg;
	return 0;
}

void memcg_inherit(struct memcg *memcg, const struct memcg *parent)
{
	if (!parent)
		return;
	memcg->swappiness = parent->swappiness;
	memcg->oom_kill_disable = parent->oom_kill_disable;
}

void memcg_offline(struct engine *e, struct memcg *memcg)
{
	/* a removed cgroup signals each of its eventfds once, then forgets them */
	memcg1_events_release(e, memcg, true);
	memcg->online = false;
	e->nr_offline_memcgs++;
	memcg->cgroup = NULL;
	page_counter_set_min(&memcg->memory, 0);
	page_counter_set_low(&memcg->memory, 0);
	memcg_drain_stock(e, memcg);
	memcg_reparent_kmem(e, memcg);
}

void memcg_get(struct memcg *memcg)
{
	memcg->refcnt++;
}

void memcg_free(struct engine *e, struct memcg *memcg)
{
	struct memcg_peak_fd *fd, *tmp;

	list_for_each_entry_safe(fd, tmp, &memcg->peak_fds, node)
		list_del_init(&fd->node);
	list_for_each_entry_safe(fd, tmp, &memcg->swap_peak_fds, node)
		list_del_init(&fd->node);
	memcg1_events_release(e, memcg, false);
	cgroup_memcg_freed(e, memcg);
	/* at teardown the parent may already be gone: nothing to give back then */
	if (memcg->parent && memcg->charged_to_parent && !e->destroying)
		memcg_uncharge_kmem(e, memcg->parent, memcg->charged_to_parent);
	if (!memcg->online)
		e->nr_offline_memcgs--;
	list_del_init(&memcg->all_node);
	free(memcg->stat_local);
	free(memcg->stat);
	free(memcg->soft);
	free(memcg->unevictable);
	free(memcg->anon_referenced);
	free(memcg);
	engine_freed(e);
}

void memcg_put(struct engine *e, struct memcg *memcg)
{
	while (memcg && --memcg->refcnt == 0) {
		struct memcg *parent = memcg->parent;

		memcg_free(e, memcg);
		memcg = parent;	/* drop the reference it held on its parent */
	}
}

void memcg_memory_event(struct engine *e, struct memcg *memcg, enum memcg_memory_event event)
{
	bool swap = event >= MEMCG_SWAP_HIGH;

	engine_log(e, LOG_MEMORY_EVENT, event, memcg->cgroup ? memcg->cgroup->id : 0, 0, 0);
	memcg->events_local[event]++;
	if (!swap) {
		memcg->events_local_gen++;
		engine_file_notify(e, memcg->cgroup, NOTIFY_MEMORY_EVENTS_LOCAL);
	}
	do {
		memcg->events[event]++;
		if (swap) {
			memcg->swap_events_gen++;
			engine_file_notify(e, memcg->cgroup, NOTIFY_MEMORY_SWAP_EVENTS);
		} else {
			memcg->events_gen++;
			engine_file_notify(e, memcg->cgroup, NOTIFY_MEMORY_EVENTS);
		}
		if (e->cfg.mode == CGROUP_V1 || e->cfg.memory_localevents)
			break;
		memcg = memcg->parent;
	} while (memcg && !memcg_is_root(memcg));
	engine_file_changed(e);
}

unsigned long memcg_peak_read(const struct page_counter *c, const struct memcg_peak_fd *fd)
{
	if (!fd || list_empty(&fd->node))
		return c->watermark;
	return fd->value > c->local_watermark ? fd->value : c->local_watermark;
}

void memcg_peak_reset(struct page_counter *c, struct list_head *fds, struct memcg_peak_fd *fd)
{
	struct memcg_peak_fd *peer;
	unsigned long usage = c->usage;

	c->local_watermark = usage;
	list_for_each_entry(peer, fds, node)
		if (usage > peer->value)
			peer->value = usage;
	if (list_empty(&fd->node))
		list_add(&fd->node, fds);
	fd->value = usage;
}

unsigned long memcg_usage(const struct engine *e, const struct memcg *memcg, bool swap)
{
	unsigned long usage;
	int nid;

	/*
	 * The v1 root reports a machine-wide approximation, as
	 * mm/memcontrol-v1.c's mem_cgroup_usage() does for the root: all page
	 * cache and mapped anon (and the swap in use), not its page counter.
	 */
	if (e->cfg.mode == CGROUP_V1 && memcg_is_root(memcg)) {
		usage = 0;
		for (nid = 0; nid < e->cfg.nr_nodes; nid++)
			usage += memcg_node_stat(memcg, nid, NR_file, false) +
				 memcg_node_stat(memcg, nid, NR_anon, false);
		if (swap)
			usage += memcg_stat(memcg, MEMCG_swap, false);
		return usage;
	}
	return swap ? memcg->memsw.usage : memcg->memory.usage;
}
