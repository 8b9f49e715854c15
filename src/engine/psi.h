/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pressure stall information for memory (kernel/sched/psi.c's model): time
 * tasks spent stalled on memory, as totals and as running averages over
 * 10, 60 and 300 seconds, updated in 2-second periods of simulated time.
 * A stall is "some" when a task of the cgroup waited, "full" when none of
 * its tasks could run. The simulation stalls tasks for memory.high
 * throttling, v1 OOM waits and reads back from swap.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_PSI_H
#define MEMCGFS_PSI_H

#include <stdbool.h>
#include <stdint.h>

struct engine;
struct cgroup;

enum psi_res {
	PSI_SOME,
	PSI_FULL,
	NR_PSI_STATES
};

struct psi_group {
	uint64_t total[NR_PSI_STATES];		/* ns stalled, ever */
	uint64_t avg_total[NR_PSI_STATES];	/* the totals at the last average update */
	uint64_t avg_next_update;		/* simulated ns */
	uint64_t avg[NR_PSI_STATES][3];		/* percent, fixed point (FIXED_1 = 1.0) */
};

/**
 * psi_memstall() - a task of @cg stalled @ns on memory: "some" for @cg and
 * its ancestors, "full" where it is the only task of the subtree.
 */
void psi_memstall(struct engine *e, struct cgroup *cg, uint64_t ns);

/**
 * psi_show() - what memory.pressure reads for @cg: "some avg10=... total=..."
 * and "full ...", written into @buf. Return: the length.
 */
int psi_show(struct engine *e, struct cgroup *cg, char *buf, int size);

#endif
