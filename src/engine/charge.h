/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The charge path (the kernel's try_charge_memcg and friends): a task's
 * allocation is charged to its memcg in batches, with a stock of
 * pre-charged pages, reclaim and OOM retries at the limit, memory.high
 * over-limit handling, and the matching uncharges. Also the limit writers
 * that reclaim and kill (memory.max, memory.high) and task exit.
 *
 * Context: every function needs engine->lock held.
 */
#ifndef MEMCGFS_CHARGE_H
#define MEMCGFS_CHARGE_H

#include "engine/memcg.h"

/**
 * memcg_task_charge() - the task faults in @nr_pages (at most
 * MEMCG_CHARGE_BATCH) of @type, as that many order-0 allocations, then
 * returns to user space: memory.high over-limit handling runs and may set
 * task->throttle_until_ns, before which the caller must not charge again.
 * Return: 0 when charged; -ENOMEM when it could not be (nobody to kill);
 * -EINTR when the task itself was OOM-killed (task->dead is then set);
 * -EAGAIN when it waits on a v1 OOM with oom_kill_disable (task->oom_wait
 * is set until memcg1_oom_recover() clears it; charge again then).
 */
int memcg_task_charge(struct engine *e, struct memcg_task *task, enum memcg_page_type type,
		      unsigned long nr_pages);

/**
 * memcg_task_thp_enabled() - does an anon fault of @task get a huge page
 * (the system's THP setting, the task's madvise or prctl)?
 */
bool memcg_task_thp_enabled(const struct engine *e, const struct memcg_task *task);

/**
 * memcg_task_charge_thp() - the task faults in one transparent huge page
 * of anon memory: HPAGE_PMD_NR pages charged at once (thp_fault_alloc,
 * anon_thp), then returns to user space as memcg_task_charge() does. A
 * huge page never OOM-kills: at a limit it is reclaimed for only when the
 * task madvised it (defrag "madvise", the kernel's default), and failing
 * that the fault falls back to small pages.
 * Return: 0, -ENOMEM (charge small pages instead), or as memcg_task_charge().
 */
int memcg_task_charge_thp(struct engine *e, struct memcg_task *task);

/**
 * holding_split_thp() - after @h lost resident anon pages, @reclaimed of
 * them to reclaim, split what huge pages no longer fit (anon_thp falls).
 * Reclaim takes huge pages first: a task's oldest anon memory is what its
 * first faults got whole, before a limit made them fall back.
 */
void holding_split_thp(struct memcg_holding *h, unsigned long reclaimed);

/**
 * memcg_task_swapin() - the task writes to @nr_pages (at most
 * MEMCG_CHARGE_BATCH) of its anon memory that went to swap: each page is
 * read back (pswpin, a major fault, a workingset refault), charged again
 * and leaves swap. Returns as memcg_task_charge() does.
 */
int memcg_task_swapin(struct engine *e, struct memcg_task *task, unsigned long nr_pages);

/**
 * memcg_task_uncharge() - the task frees up to @nr_pages of @type, from the
 * holding of its current memcg first. Swapped-out pages are freed in
 * proportion. Return: the pages freed.
 */
unsigned long memcg_task_uncharge(struct engine *e, struct memcg_task *task,
				  enum memcg_page_type type, unsigned long nr_pages);

/** memcg_task_release_all() - the task exits: every holding is freed. */
void memcg_task_release_all(struct engine *e, struct memcg_task *task);

/**
 * memcg_charge_kmem_forced() / memcg_uncharge_kmem() - kernel memory the
 * kernel allocates on a memcg's behalf, not a task's: the per-CPU data of
 * a child memcg, charged to its parent whatever the limit. Freeing it goes
 * back to the stock, as all kernel memory does.
 */
void memcg_charge_kmem_forced(struct engine *e, struct memcg *memcg, unsigned long nr_pages);
void memcg_uncharge_kmem(struct engine *e, struct memcg *memcg, unsigned long nr_pages);

/** memcg_reparent_kmem() - an offline memcg hands its kernel memory to its parent. */
void memcg_reparent_kmem(struct engine *e, struct memcg *memcg);

/** memcg_task_holding() - what @task holds in @memcg on @nid, or NULL. */
struct memcg_holding *memcg_task_holding(const struct memcg_task *task, const struct memcg *memcg, int nid);

/** memcg_task_pages() - what the task holds of @type, resident and swapped. */
unsigned long memcg_task_pages(const struct memcg_task *task, enum memcg_page_type type);
unsigned long memcg_task_swapped(const struct memcg_task *task);

/**
 * memcg_throttle_penalty_ns() - the memory.high penalty (mm/memcontrol.c:
 * calculate_high_delay(), as mem_cgroup_handle_over_high() sleeps it) for a task
 * that charged @nr_pages over high in @memcg and its ancestors.
 */
uint64_t memcg_throttle_penalty_ns(const struct memcg *memcg, unsigned long nr_pages);

/** memcg_drain_stock() - return @memcg's pre-charged pages to its counters. */
void memcg_drain_stock(struct engine *e, struct memcg *memcg);
/** drain_all_stock() - drain the stock of every memcg in @root's subtree. */
void drain_all_stock(struct engine *e, struct memcg *root);

/**
 * memory_max_write() - v2 memory.max: set, reclaim, then OOM-kill until the
 * usage fits or nobody is left. @nonblock skips the reclaim (O_NONBLOCK).
 */
void memcg_set_max(struct engine *e, struct memcg *memcg, unsigned long max, bool nonblock);
/** memcg_set_high() - v2 memory.high: set, then reclaim without OOM. */
void memcg_set_high(struct engine *e, struct memcg *memcg, unsigned long high, bool nonblock);

/**
 * memcg_proactive_reclaim() - memory.reclaim.
 * @swappiness: -1 for the default, 0..200, or 201 for "max" (anon only).
 * Return: 0 or -EAGAIN.
 */
int memcg_proactive_reclaim(struct engine *e, struct memcg *memcg, unsigned long nr_pages,
			    int swappiness);

#define SWAPPINESS_ANON_ONLY 201

#endif
