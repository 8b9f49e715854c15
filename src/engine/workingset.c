// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Workingset refault detection for page cache (see workingset.h).
 *
 * May include: libc, common/ and engine/ headers.
 */
#include "engine/workingset.h"
#include "engine/reclaim.h"

static unsigned long node_pages(const struct memcg *memcg, int nid, enum memcg_node_stat_item item)
{
	long n = memcg_node_stat(memcg, nid, item, true);

	return n > 0 ? (unsigned long)n : 0;
}

unsigned long workingset_size(const struct engine *e, const struct memcg *memcg, int nid)
{
	unsigned long size = node_pages(memcg, nid, NR_active_file);

	/* anon competes only where it could be reclaimed instead: with swap */
	if (mem_cgroup_get_nr_swap_pages(e, memcg))
		size += node_pages(memcg, nid, NR_active_anon) + node_pages(memcg, nid, NR_inactive_anon);
	return size;
}

bool workingset_refault(struct engine *e, struct memcg *memcg, int nid, unsigned long nr_pages,
			unsigned long distance)
{
	if (!nr_pages)
		return false;
	memcg_mod_node_stat(memcg, nid, NR_workingset_refault_file, (long)nr_pages);
	if (distance > workingset_size(e, memcg, nid))
		return false;
	memcg_mod_node_stat(memcg, nid, NR_workingset_activate_file, (long)nr_pages);
	memcg_activate(memcg, nid, true, nr_pages);
	return true;
}
