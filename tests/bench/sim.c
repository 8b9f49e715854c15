// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sim: how fast the simulation runs and what it costs, with no FUSE in the
 * way. A simulated 64 GiB machine (16 GiB of swap), 1,000 cgroups in a
 * two-level tree with limits, 5,000 tasks of mixed workloads (holders,
 * ramps, leaks, churners, file streams), driven by the manual clock as
 * `memcgctl step` drives it (alloc_advance_locked). Prints simulated seconds per wall second and the engine's
 * heap per cgroup and per task (mallinfo2 before and after).
 *
 *   sim [SIMULATED_SECONDS]      (default 60)
 */
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "alloc/alloc.h"
#include "engine/cgroup.h"
#include "engine/charge.h"

#define NR_GROUPS 20		/* top level */
#define NR_CGROUPS 1000		/* in all, below the root */
#define NR_TASKS 5000
#define MiB (256UL)		/* pages */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t heap_bytes(void)
{
	return mallinfo2().uordblks;
}

int main(int argc, char **argv)
{
	struct engine_config cfg = {
		.mode = CGROUP_V2,
		.ram_pages = 64UL << 18,	/* 64 GiB */
		.swap_pages = 16UL << 18,
		.nr_nodes = 2,
	};
	double seconds = argc > 1 ? atof(argv[1]) : 60;
	struct cgroup *groups[NR_GROUPS], *leaves[NR_CGROUPS];
	size_t heap0, heap1, heap2;
	struct alloc *a;
	double t0, t1;
	long reclaimed;
	char name[32];
	int i, nr_leaves = 0;

	if (alloc_create(&cfg, &a))
		return 1;
	heap0 = heap_bytes();

	/* 20 groups with memory.max, each with 49 leaves, some protected */
	for (i = 0; i < NR_GROUPS; i++) {
		snprintf(name, sizeof(name), "group%d", i);
		cgroup_mkdir(a->engine, a->engine->root, name, &groups[i]);
		cgroup_set_subtree_memory(a->engine, groups[i], true);
		memcg_set_max(a->engine, groups[i]->memcg, 3000 * MiB, false);
	}
	for (i = 0; i < NR_CGROUPS - NR_GROUPS; i++) {
		struct cgroup *cg;

		snprintf(name, sizeof(name), "leaf%d", i);
		cgroup_mkdir(a->engine, groups[i % NR_GROUPS], name, &cg);
		if (i % 7 == 0)
			page_counter_set_low(&cg->memcg->memory, 16 * MiB);
		if (i % 11 == 0)
			memcg_set_high(a->engine, cg->memcg, 64 * MiB, false);
		leaves[nr_leaves++] = cg;
	}
	heap1 = heap_bytes();

	for (i = 0; i < NR_TASKS; i++) {
		unsigned long pages[NR_PAGE_TYPES] = { 0 };
		struct workload wl = { .type = PAGE_ANON };
		struct sim_task *t;

		switch (i % 5) {
		case 0:		/* holds 8 MiB */
			pages[PAGE_ANON] = 8 * MiB;
			break;
		case 1:		/* ramps to 32 MiB at 1 MiB/s */
			wl = (struct workload){ .kind = WORKLOAD_RAMP, .type = PAGE_ANON,
						.size = 32 * MiB, .rate = 1 * MiB };
			break;
		case 2:		/* leaks 256 KiB/s */
			wl = (struct workload){ .kind = WORKLOAD_LEAK, .type = PAGE_ANON, .rate = MiB / 4 };
			break;
		case 3:		/* churns 4 MiB every second */
			wl = (struct workload){ .kind = WORKLOAD_CHURN, .type = PAGE_ANON,
						.size = 4 * MiB, .period_ns = 1000000000ULL };
			break;
		case 4:		/* streams a 64 MiB file at 4 MiB/s */
			wl = (struct workload){ .kind = WORKLOAD_STREAM, .type = PAGE_FILE,
						.size = 64 * MiB, .rate = 4 * MiB };
			break;
		}
		if (alloc_spawn_locked(a, leaves[i % nr_leaves], pages, 0, &t))
			return 1;
		if (wl.kind != WORKLOAD_HOLD)
			alloc_set_workload_locked(a, t, &wl);
	}
	heap2 = heap_bytes();

	t0 = now_s();
	alloc_advance_locked(a, a->engine->now_ns + (uint64_t)(seconds * 1e9), UINT_MAX);
	t1 = now_s();

	printf("simulated %.0f s of a 64 GiB machine, %d cgroups, %d tasks, in %.2f s of wall time\n",
	       seconds, NR_CGROUPS, NR_TASKS, t1 - t0);
	printf("speed:            %.1f simulated seconds per wall second\n", seconds / (t1 - t0));
	printf("heap per cgroup:  %zu bytes\n", (heap1 - heap0) / NR_CGROUPS);
	printf("heap per task:    %zu bytes (at start; holdings grow as tasks charge more memcgs)\n",
	       (heap2 - heap1) / NR_TASKS);
	printf("RAM in use:       %lu MiB, swap %lu MiB, %lu tasks alive\n",
	       a->engine->ram_used / MiB, a->engine->swap_used / MiB, a->nr_tasks);
	/* what the speed depends on most: how much the workloads make reclaim do */
	reclaimed = memcg_stat(a->engine->root->memcg, MEMCG_pgsteal_direct, false) +
		    memcg_stat(a->engine->root->memcg, MEMCG_pgsteal_kswapd, false);
	printf("reclaimed:        %.0f MiB per simulated second, %.0f MiB per wall second\n",
	       (double)reclaimed / MiB / seconds, (double)reclaimed / MiB / (t1 - t0));
	alloc_destroy(a);
	return 0;
}
