/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pressure stall information for memory (kernel/sched/psi.c's model): time
 * tasks spent stalled on memory, as totals and as running averages over
 * 10, 60 and 300 seconds, updated in 2-second periods of simulated time.
 * A stall is "some" when a task of the cgroup waited, "full" when none of
 * its tasks could run. The simulation stalls tasks for reclaim (the time a
 * direct reclaim takes, as psi_memstall_enter/leave bracket it in
 * try_charge_memcg and reclaim_high), memory.high throttling, v1 OOM waits
 * and reads back from swap.
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
	uint64_t total[NR_PSI_STATES];		/* ns stalled up to stall_since, ever */
	uint64_t stall_since[NR_PSI_STATES];	/* the stall still open: since when, */
	uint64_t stall_until[NR_PSI_STATES];	/* until when (== since: none) */
	uint64_t avg_total[NR_PSI_STATES];	/* the totals at the last average update */
	uint64_t avg_next_update;		/* simulated ns */
	uint64_t avg[NR_PSI_STATES][3];		/* percent, fixed point (FIXED_1 = 1.0) */
};

/**
 * psi_memstall() - a task of @cg stalls on memory for @ns from now:
 * "some" for @cg and its ancestors, "full" where no live process of the
 * host is in the subtree (simulated tasks are idle but when they stall). Stalls that overlap count once (the union of the intervals,
 * as psi's per-CPU state counts time, not tasks).
 */
void psi_memstall(struct engine *e, struct cgroup *cg, uint64_t ns);

/**
 * psi_total_ns() - @state's stall time of @g up to @now (a stall still
 * running counts as far as it has come).
 */
uint64_t psi_total_ns(const struct psi_group *g, enum psi_res state, uint64_t now);

/**
 * psi_show() - what memory.pressure reads for @cg: "some avg10=... total=..."
 * and "full ...", written into @buf. Return: the length.
 */
int psi_show(struct engine *e, struct cgroup *cg, char *buf, int size);

#endif
