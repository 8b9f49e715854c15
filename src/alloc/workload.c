// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Workloads of simulated tasks (see workload.h). Rates are turned into
 * whole pages with the remainder carried, so a slow rate over many short
 * ticks adds up exactly as over one long one.
 *
 * May include: libc, common/, engine/ headers, alloc/.
 */
#include <errno.h>
#include <string.h>

#include "alloc/workload.h"
#include "alloc/alloc.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/workingset.h"

const char *const workload_names[NR_WORKLOADS] = {
	[WORKLOAD_HOLD] = "hold",
	[WORKLOAD_RAMP] = "ramp",
	[WORKLOAD_LEAK] = "leak",
	[WORKLOAD_CHURN] = "churn",
	[WORKLOAD_STREAM] = "stream",
	[WORKLOAD_TOUCH] = "touch",
	[WORKLOAD_WRITE] = "write",
};

const char *const page_type_names[NR_PAGE_TYPES] = {
	[PAGE_ANON] = "anon",
	[PAGE_FILE] = "file",
	[PAGE_SHMEM] = "shmem",
	[PAGE_KMEM] = "kmem",
	[PAGE_SOCK] = "sock",
};

const char *const task_thp_names[] = {
	[TASK_THP_DEFAULT] = NULL,
	[TASK_THP_MADVISE] = "madvise",
	[TASK_THP_NEVER] = "never",
};

int task_thp_parse(const char *name, enum task_thp *thp)
{
	if (!strcmp(name, "madvise"))
		*thp = TASK_THP_MADVISE;
	else if (!strcmp(name, "never"))
		*thp = TASK_THP_NEVER;
	else
		return -EINVAL;
	return 0;
}

int workload_parse_kind(const char *name, enum workload_kind *kind)
{
	int i;

	for (i = 0; i < NR_WORKLOADS; i++)
		if (!strcmp(name, workload_names[i])) {
			*kind = (enum workload_kind)i;
			return 0;
		}
	return -EINVAL;
}

const char *workload_validate(const struct workload *wl)
{
	switch (wl->kind) {
	case WORKLOAD_HOLD:
		return NULL;
	case WORKLOAD_RAMP:
		if (!wl->rate)
			return "a ramp needs a rate";
		return wl->size ? NULL : "a ramp needs a size to grow to";
	case WORKLOAD_LEAK:
		return wl->rate ? NULL : "a leak needs a rate";
	case WORKLOAD_CHURN:
		if (!wl->period_ns)
			return "churn needs a period";
		return wl->size ? NULL : "churn needs a size";
	case WORKLOAD_TOUCH:
		if (wl->type != PAGE_ANON)
			return "touch uses anon memory: give it an anon size";
		if (!wl->rate)
			return "touch needs a rate";
		return wl->size ? NULL : "touch needs a size";
	case WORKLOAD_STREAM:
	case WORKLOAD_WRITE:
		if (wl->type != PAGE_FILE)
			return "stream and write go through a file: give it a file size";
		if (!wl->rate)
			return "stream and write need a rate";
		return wl->size ? NULL : "stream and write need a file size";
	case NR_WORKLOADS:
		break;
	}
	return "unknown workload";
}

bool workload_active(const struct workload *wl)
{
	switch (wl->kind) {
	case WORKLOAD_RAMP:
	case WORKLOAD_WRITE:
		return wl->done < wl->size;
	case WORKLOAD_LEAK:
	case WORKLOAD_CHURN:
	case WORKLOAD_STREAM:
	case WORKLOAD_TOUCH:
		return true;
	default:
		return false;
	}
}

/* Whole pages that @rate yields over @ns, keeping the fraction. */
static unsigned long pages_over(struct workload *wl, uint64_t ns)
{
	unsigned __int128 acc = (unsigned __int128)wl->rate * ns + wl->carry;

	wl->carry = (uint64_t)(acc % NSEC_PER_SEC);
	return (unsigned long)(acc / NSEC_PER_SEC);
}

/* How long @rate takes to add @nr whole pages to what it carries. */
static uint64_t ns_until(const struct workload *wl, unsigned long nr)
{
	unsigned __int128 need = (unsigned __int128)nr * NSEC_PER_SEC - wl->carry;

	return (uint64_t)((need + wl->rate - 1) / wl->rate);
}

uint64_t workload_next_ns(const struct workload *wl, unsigned long pending)
{
	unsigned long batch = MEMCG_CHARGE_BATCH - MIN(pending, MEMCG_CHARGE_BATCH - 1);

	switch (wl->kind) {
	case WORKLOAD_RAMP:
	case WORKLOAD_WRITE:
		if (wl->done >= wl->size)
			return UINT64_MAX;
		/* the last pages go as soon as it reaches its size */
		return wl->last_ns + ns_until(wl, MIN(batch, wl->size - wl->done));
	case WORKLOAD_LEAK:
		return wl->last_ns + ns_until(wl, batch);
	case WORKLOAD_STREAM:
	case WORKLOAD_TOUCH:
		/* hits cost nothing: only a batch used can bring a batch of misses */
		return wl->last_ns + ns_until(wl, MEMCG_CHARGE_BATCH);
	case WORKLOAD_CHURN:
		return wl->last_ns + wl->period_ns;
	default:
		return UINT64_MAX;
	}
}

/* Resident page cache the task holds in its current memcg. */
static unsigned long resident_file(const struct sim_task *t)
{
	const struct memcg_holding *h;
	unsigned long n = 0;

	list_for_each_entry(h, &t->mt.holdings, task_node)
		n += h->resident[PAGE_FILE];
	return n;
}

/*
 * A sequential pass over a file of @size pages, @n pages this tick, with
 * the LRU lists as the kernel keeps them for page cache: a page read once
 * waits on the inactive list, a second read while it is there promotes it
 * (mark_page_accessed), and reclaim takes the inactive list oldest first.
 *
 * A file the cache holds whole is read from the cache: all hits, promoted.
 * A file larger than what it has resident is not: the pages a loop reads
 * next are the ones it read longest ago, which the inactive list gave up
 * first, so only its pages on the active list are hits (the task's share
 * of its memcg's active page cache). The others come back into the cache:
 * on a later pass, refaults, at a distance of the part of the file that
 * was not resident, which decides against the workingset whether they
 * are activated (workingset_refault()). What is written makes one pass,
 * all misses; misses are charged and, when written, dirtied.
 */
static void stream_access(struct alloc *a, struct sim_task *t, unsigned long n, bool write)
{
	struct workload *wl = &t->wl;
	struct memcg *memcg = cgroup_memcg(t->mt.cgroup);
	int nid = t->mt.nid;
	unsigned long *queue = &t->pending[write ? PENDING_DIRTY : PAGE_FILE];
	unsigned long resident = resident_file(t) + *queue;
	unsigned long hits, misses, refaults;

	if (resident >= wl->size) {
		hits = n;
	} else {
		long active = memcg_node_stat(memcg, nid, NR_active_file, true);
		long inactive = memcg_node_stat(memcg, nid, NR_inactive_file, true);
		unsigned long own_active = active > 0 ?
			(unsigned long)((unsigned __int128)resident * (unsigned long)active /
					(unsigned long)(active + MAX(inactive, 0L))) : 0;

		hits = (unsigned long)((unsigned __int128)n * own_active / wl->size);
	}
	if (wl->done < wl->size)
		hits = MIN(hits, n - MIN(n, wl->size - wl->done));	/* the first pass reads everything */
	misses = n - hits;
	/* what was read before and is gone again comes back as a refault */
	refaults = wl->done >= wl->size ? misses : 0;
	wl->done += n;

	*queue += misses;
	if (resident >= wl->size)
		memcg_activate(memcg, nid, true, hits);
	if (refaults)
		workingset_refault(a->engine, memcg, nid, refaults, wl->size - MIN(resident, wl->size));
}

void workload_advance(struct alloc *a, struct sim_task *t, uint64_t now)
{
	struct workload *wl = &t->wl;
	uint64_t dt = now > wl->last_ns ? now - wl->last_ns : 0;
	unsigned long n;

	if (t->mt.dead || t->mt.real)
		return;
	switch (wl->kind) {
	case WORKLOAD_HOLD:
		break;
	case WORKLOAD_RAMP:
		n = MIN(pages_over(wl, dt), wl->size - MIN(wl->done, wl->size));
		wl->done += n;
		t->pending[wl->type] += n;
		break;
	case WORKLOAD_LEAK:
		t->pending[wl->type] += pages_over(wl, dt);
		break;
	case WORKLOAD_CHURN:
		/* whole periods only: each flips between holding @size and not */
		while (now - wl->last_ns >= wl->period_ns) {
			wl->last_ns += wl->period_ns;
			if (wl->churn_held)
				memcg_task_uncharge(a->engine, &t->mt, wl->type, wl->size);
			else
				t->pending[wl->type] += wl->size;
			wl->churn_held = !wl->churn_held;
		}
		return;
	case WORKLOAD_STREAM:
		n = pages_over(wl, dt);
		if (n)
			stream_access(a, t, n, false);
		break;
	case WORKLOAD_WRITE:
		n = MIN(pages_over(wl, dt), wl->size - MIN(wl->done, wl->size));
		if (n)
			stream_access(a, t, n, true);
		break;
	case WORKLOAD_TOUCH:
		n = pages_over(wl, dt);
		if (n)
			sim_task_touch_anon(t, n);
		break;
	case NR_WORKLOADS:
		break;
	}
	wl->last_ns = now;
}
