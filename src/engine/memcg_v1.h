/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The cgroup v1 parts of the memory controller (mm/memcontrol-v1.c): the
 * limit resize loop, force_empty, and the OOM wait of oom_kill_disable.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_MEMCG_V1_H
#define MEMCGFS_MEMCG_V1_H

#include <stdbool.h>
#include "engine/memcg.h"

/**
 * memcg1_resize_max() - memory.limit_in_bytes / memory.memsw.limit_in_bytes:
 * keep memory <= memsw, set the limit, reclaim toward it.
 * Return: 0, -EINVAL (invariant), -EBUSY (usage cannot be brought under it).
 */
int memcg1_resize_max(struct engine *e, struct memcg *memcg, unsigned long max, bool memsw);

/** memcg1_force_empty() - reclaim everything reclaimable. Return: 0. */
int memcg1_force_empty(struct engine *e, struct memcg *memcg);

/**
 * memcg1_oom_wait() - a task's charge met an OOM with oom_kill_disable set:
 * it waits, and @memcg and its descendants read under_oom 1, until
 * memcg1_oom_recover() wakes it.
 */
void memcg1_oom_wait(struct engine *e, struct memcg *memcg, struct memcg_task *task);

/** memcg1_oom_finish_wait() - the task stops waiting (woken or killed). */
void memcg1_oom_finish_wait(struct engine *e, struct memcg_task *task);

/**
 * memcg1_oom_recover() - memory was freed, a limit raised or
 * oom_kill_disable cleared in @memcg: wake the waiters of every memcg
 * related to it (ancestor or descendant).
 */
void memcg1_oom_recover(struct engine *e, struct memcg *memcg);

/* ---- cgroup.event_control ---- */

/**
 * memcg1_threshold_register() - a usage threshold on memory (or memsw) usage.
 * @threshold: pages. Return: 0 or -ENOMEM.
 */
int memcg1_threshold_register(struct engine *e, struct memcg *memcg, bool memsw,
			      unsigned long threshold, void *cookie);
/** memcg1_oom_register() - OOM notification; signalled at once if under_oom. */
int memcg1_oom_register(struct engine *e, struct memcg *memcg, void *cookie);
/** memcg1_pressure_register() - parse "level[,mode]" and listen. Return: 0, -EINVAL, -ENOMEM. */
int memcg1_pressure_register(struct engine *e, struct memcg *memcg, const char *args, void *cookie);
/** memcg1_event_unregister() - forget @cookie wherever it is registered on @memcg. */
void memcg1_event_unregister(struct engine *e, struct memcg *memcg, void *cookie);
/**
 * memcg1_events_release() - drop every registration of @memcg, signalling
 * each once first when @signal (the cgroup is being removed).
 */
void memcg1_events_release(struct engine *e, struct memcg *memcg, bool signal);

/**
 * memcg1_check_events() - @nr_pages were charged or uncharged in @memcg:
 * every THRESHOLDS_EVENTS_TARGET pages, check the usage thresholds of it
 * and its ancestors.
 */
void memcg1_check_events(struct engine *e, struct memcg *memcg, int nid, unsigned long nr_pages);

/**
 * memcg1_update_tree() - re-key @memcg and its ancestors in @nid's soft
 * limit tree by how far their usage exceeds their soft limit.
 */
void memcg1_update_tree(struct engine *e, struct memcg *memcg, int nid);
/**
 * memcg1_soft_limit_reclaim() - global reclaim on @nid: take from the
 * memcgs most over their soft limit first. Return: pages reclaimed.
 */
unsigned long memcg1_soft_limit_reclaim(struct engine *e, int nid);
/** memcg1_oom_notify() - signal the OOM listeners of @memcg and its descendants. */
void memcg1_oom_notify(struct engine *e, struct memcg *memcg);
/**
 * vmpressure() - reclaim of @memcg's subtree scanned and reclaimed pages:
 * once a window is full, compute the level and tell the listeners.
 */
void vmpressure(struct engine *e, struct memcg *memcg, unsigned long scanned,
		unsigned long reclaimed);
/** vmpressure_prio() - reclaim reached @priority: critical from 3 down. */
void vmpressure_prio(struct engine *e, struct memcg *memcg, int priority);

#endif
