/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Dirty page cache and its writeback, as page counts: a task that writes
 * a file dirties its pages (file_dirty), the flusher submits them to the
 * simulated disk (file_writeback) once a memcg has more dirty than its
 * background threshold or they are older than dirty_expire, and the disk
 * completes them at a fixed bandwidth; only then can reclaim drop them. A
 * writer past its memcg's dirty limits is paused (balance_dirty_pages).
 *
 * The thresholds are the kernel's defaults taken on the memcg's own domain
 * (mem_cgroup_wb_stats): vm.dirty_background_ratio 10 and vm.dirty_ratio 20
 * percent of its file pages plus its headroom below memory.max/high.
 *
 * Context: every function needs engine->lock held.
 */
#ifndef MEMCGFS_WRITEBACK_H
#define MEMCGFS_WRITEBACK_H

#include "engine/memcg.h"

#define DIRTY_BACKGROUND_RATIO 10
#define DIRTY_RATIO 20
#define DIRTY_EXPIRE_NS (30 * 1000000000ULL)		/* vm.dirty_expire_centisecs */
#define DIRTY_WRITEBACK_INTERVAL_NS (5 * 1000000000ULL)	/* vm.dirty_writeback_centisecs */
#define WRITEBACK_TICK_NS 10000000ULL			/* how often writeback progress is looked at */
#define DIRTY_MAX_PAUSE_NS 200000000ULL			/* balance_dirty_pages' MAX_PAUSE */

/**
 * memcg_task_dirty() - the task writes @nr_pages of the page cache it has
 * in its memcg: clean pages become dirty. A writer past the memcg's dirty
 * limits gets task->throttle_until_ns set, as memory.high does.
 */
void memcg_task_dirty(struct engine *e, struct memcg_task *task, unsigned long nr_pages);

/**
 * writeback_start() - submit up to @nr_pages dirty pages of @memcg on
 * @nid to the disk (reclaim met them; the flusher's own choice is made in
 * writeback_advance()). Return: the pages submitted.
 */
unsigned long writeback_start(struct engine *e, struct memcg *memcg, int nid, unsigned long nr_pages);

/** writeback_advance() - the flusher and the disk catch up to engine->now_ns. */
void writeback_advance(struct engine *e);

/** writeback_next_ns() - when writeback next has progress to make, or UINT64_MAX. */
uint64_t writeback_next_ns(const struct engine *e);

/**
 * holding_clean_file() - file pages of @h that reclaim may drop: resident,
 * neither dirty nor under writeback.
 */
static inline unsigned long holding_clean_file(const struct memcg_holding *h)
{
	return h->resident[PAGE_FILE] - h->dirty - h->writeback;
}

/**
 * holding_drop_file() - @nr_pages file pages of @h are freed (truncated or
 * their task exited): its dirty and writeback pages go in proportion.
 */
void holding_drop_file(struct engine *e, struct memcg_holding *h, unsigned long nr_pages);

#endif
