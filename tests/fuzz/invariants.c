// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The invariants of a simulated machine (see invariants.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tests/fuzz/invariants.h"
#include "engine/cgroup.h"
#include "engine/memcg.h"

/* far beyond any machine: a counter this high went below zero */
#define WRAPPED (1UL << 40)

static void broken(const struct memcg *m, const char *what, long a, long b) __attribute__((noreturn));
static void broken(const struct memcg *m, const char *what, long a, long b)
{
	fprintf(stderr, "invariant broken in memcg %p (cgroup id %llu): %s (%ld, %ld)\n", (const void *)m,
		m->cgroup ? (unsigned long long)m->cgroup->id : 0ULL, what, a, b);
	abort();
}

static bool is_in(const struct memcg *m, const struct memcg *top)
{
	for (; m; m = m->parent)
		if (m == top)
			return true;
	return false;
}

static void check_stats(const struct engine *e, const struct memcg *m, const struct memcg_stats *st)
{
	int i, nid;

	for (i = 0; i < NR_MEMCG_STAT_ITEMS; i++)
		if (st->memcg[i] < 0 || (unsigned long)st->memcg[i] > WRAPPED)
			broken(m, "a memcg statistic out of range", i, st->memcg[i]);
	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		for (i = 0; i < NR_MEMCG_NODE_STAT_ITEMS; i++)
			if (st->node[nid][i] < 0 || (unsigned long)st->node[nid][i] > WRAPPED)
				broken(m, "a node statistic out of range", i, st->node[nid][i]);
}

void invariants_check(struct alloc *a)
{
	const struct engine *e = a->engine;
	const struct memcg *m, *c;
	unsigned long children, stocked, held;
	int nid, i;

	list_for_each_entry(m, &e->memcgs, all_node) {
		if (m->memory.usage > WRAPPED || m->swap.usage > WRAPPED || m->memsw.usage > WRAPPED ||
		    m->kmem.usage > WRAPPED || m->tcpmem.usage > WRAPPED)
			broken(m, "a page counter below zero", (long)m->memory.usage, (long)m->swap.usage);
		check_stats(e, m, m->stat);
		check_stats(e, m, m->stat_local);
		/* the root's usage is not counted, as the kernel charges nothing to it */
		if (!m->parent)
			continue;

		children = 0;
		list_for_each_entry(c, &e->memcgs, all_node)
			if (c->parent == m)
				children += c->memory.usage;
		if (children > m->memory.usage)
			broken(m, "its children use more than it", (long)children, (long)m->memory.usage);

		/* usage = resident pages of the subtree + pages its stock slots hold */
		held = (unsigned long)(m->stat->memcg[MEMCG_kernel] + m->stat->memcg[MEMCG_sock]);
		for (nid = 0; nid < e->cfg.nr_nodes; nid++)
			held += (unsigned long)(m->stat->node[nid][NR_anon] + m->stat->node[nid][NR_file]);
		stocked = 0;
		for (i = 0; i < NR_MEMCG_STOCK; i++)
			if (e->stock[i].memcg && is_in(e->stock[i].memcg, m))
				stocked += e->stock[i].nr_pages;
		if (m->memory.usage != held + stocked)
			broken(m, "usage is not anon + file + kernel + sock + stock",
			       (long)m->memory.usage, (long)(held + stocked));
	}
}
