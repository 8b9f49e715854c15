/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Refaults of page cache against the workingset (mm/workingset.c): a page
 * read again after reclaim took it is a refault; it goes straight to the
 * active list when its refault distance (how many pages the memcg lost
 * between its eviction and its return) is no more than what the memcg
 * could have kept instead: its active page cache, and its anon pages
 * while it has swap to put them in.
 *
 * Which page is where is not kept, only counts, so the caller, which
 * knows how its pages are used, supplies the distance.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_WORKINGSET_H
#define MEMCGFS_WORKINGSET_H

#include "engine/memcg.h"

/**
 * workingset_size() - the pages of @memcg on @nid that a refaulting file
 * page competes with (workingset_test_recent()'s workingset_size).
 */
unsigned long workingset_size(const struct engine *e, const struct memcg *memcg, int nid);

/**
 * workingset_refault() - @nr_pages of page cache of @memcg on @nid come
 * back @distance pages after their eviction: workingset_refault_file, and
 * workingset_activate_file with promotion to the active list when the
 * distance is within workingset_size(). Return: whether they were
 * activated. Only counts move: as many pages leave the inactive list as
 * come back, whether or not they are charged yet.
 */
bool workingset_refault(struct engine *e, struct memcg *memcg, int nid, unsigned long nr_pages,
			unsigned long distance);

#endif
