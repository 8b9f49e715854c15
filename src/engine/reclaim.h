/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reclaim model (mm/vmscan.c's memcg reclaim, as page counts): a
 * priority loop over the target's subtree, pre-order, applying effective
 * protection (min, low) per memcg, scanning the LRU lists of each, dropping
 * page cache and swapping anon out while swap headroom lasts.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_RECLAIM_H
#define MEMCGFS_RECLAIM_H

#include <stdbool.h>
#include "engine/memcg.h"

enum reclaim_kind {
	RECLAIM_DIRECT,		/* charge path, limit writes */
	RECLAIM_PROACTIVE,	/* memory.reclaim */
	RECLAIM_KSWAPD,		/* global pressure */
};

struct reclaim_request {
	unsigned long nr_pages;
	bool may_swap;
	int swappiness;		/* 0..200, or SWAPPINESS_ANON_ONLY */
	enum reclaim_kind kind;
};

/**
 * try_to_free_mem_cgroup_pages() - reclaim from @target's subtree.
 * Return: pages freed (dropped or swapped out).
 */
unsigned long try_to_free_mem_cgroup_pages(struct engine *e, struct memcg *target,
					   const struct reclaim_request *req);

/**
 * memcg_shrink_node() - reclaim up to SWAP_CLUSTER_MAX pages from @memcg's
 * own LRU lists on @nid, ignoring protection (mem_cgroup_shrink_node, for
 * the v1 soft limit). Return: pages freed.
 */
unsigned long memcg_shrink_node(struct engine *e, struct memcg *memcg, int nid);

/**
 * global_reclaim() - kswapd for the whole machine: soft limit reclaim
 * first (v1), then every memcg, protection applied, until @nr_pages are free.
 * Return: pages freed.
 */
unsigned long global_reclaim(struct engine *e, unsigned long nr_pages);

/** mem_cgroup_get_nr_swap_pages() - how many pages @memcg may still swap out. */
unsigned long mem_cgroup_get_nr_swap_pages(const struct engine *e, const struct memcg *memcg);

/** memcg_reclaimable() - pages reclaim could free in @memcg now, ignoring protection. */
unsigned long memcg_reclaimable(const struct engine *e, const struct memcg *memcg, bool may_swap);

#endif
