// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memory pressure stall information (see psi.h). The averages follow the
 * kernel's exponentially decaying loadavg-style arithmetic in fixed point,
 * over 2-second periods of simulated time; periods that passed unread
 * decay with no stall, as psi's missed_periods do.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <stdio.h>

#include "engine/psi.h"
#include "engine/cgroup.h"
#include "common/macro.h"

#define PSI_FREQ_NS 2000000000ULL
#define FSHIFT 11
#define FIXED_1 (1UL << FSHIFT)
/* 1 / exp(2s / window), in FIXED_1 units: windows of 10, 60 and 300 s */
static const unsigned long psi_exp[3] = { 1677, 1981, 2034 };

static uint64_t calc_load(uint64_t load, unsigned long exp, uint64_t active)
{
	uint64_t newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

uint64_t psi_total_ns(const struct psi_group *g, enum psi_res state, uint64_t now)
{
	uint64_t since = g->stall_since[state], until = g->stall_until[state];

	if (now <= since)
		return g->total[state];
	return g->total[state] + MIN(now, until) - since;
}

/* Bring @g's averages up to @now, one 2 s period at a time. */
static void update_averages(struct psi_group *g, uint64_t now)
{
	int s, w;

	if (!g->avg_next_update)
		g->avg_next_update = now + PSI_FREQ_NS;
	while (now >= g->avg_next_update) {
		for (s = 0; s < NR_PSI_STATES; s++) {
			uint64_t total = psi_total_ns(g, (enum psi_res)s, g->avg_next_update);
			uint64_t stalled = total - g->avg_total[s];
			uint64_t pct;

			if (stalled > PSI_FREQ_NS)
				stalled = PSI_FREQ_NS;	/* cannot happen with intervals; kept as a bound */
			g->avg_total[s] += stalled;
			pct = stalled * 100 * FIXED_1 / PSI_FREQ_NS;
			for (w = 0; w < 3; w++)
				g->avg[s][w] = calc_load(g->avg[s][w], psi_exp[w], pct);
		}
		g->avg_next_update += PSI_FREQ_NS;
	}
}

/*
 * Add the stall [@start, @end) to @state of @g. Stalls arrive in order of
 * their start (each begins now), so the union needs only the one still
 * open: one that begins within it extends it, a later one closes it.
 */
static void add_stall(struct psi_group *g, enum psi_res state, uint64_t start, uint64_t end)
{
	if (start > g->stall_until[state]) {
		g->total[state] += g->stall_until[state] - g->stall_since[state];
		g->stall_since[state] = start;
		g->stall_until[state] = end;
		return;
	}
	if (start < g->stall_since[state])	/* began before the open one: count from there */
		start = g->stall_since[state];
	g->stall_until[state] = MAX(g->stall_until[state], end);
}

void psi_memstall(struct engine *e, struct cgroup *cg, uint64_t ns)
{
	uint64_t start = e->now_ns, end = e->now_ns + ns;

	if (!ns)
		return;
	for (; cg; cg = cg->parent) {
		update_averages(&cg->psi, e->now_ns);
		add_stall(&cg->psi, PSI_SOME, start, end);
		/*
		 * full: no task of the subtree could run meanwhile. A
		 * simulated task does nothing between its charges (it is
		 * idle, which psi counts in neither state); a live process
		 * of the host may be running.
		 */
		if (!cg->nr_real)
			add_stall(&cg->psi, PSI_FULL, start, end);
	}
}

int psi_show(struct engine *e, struct cgroup *cg, char *buf, int size)
{
	static const char *const names[NR_PSI_STATES] = { "some", "full" };
	struct psi_group *g = &cg->psi;
	int s, n = 0;

	update_averages(g, e->now_ns);
	for (s = 0; s < NR_PSI_STATES && n < size; s++) {
		uint64_t a[3];
		int w;

		for (w = 0; w < 3; w++)
			a[w] = g->avg[s][w];
		n += snprintf(buf + n, (size_t)(size - n),
			      "%s avg10=%llu.%02llu avg60=%llu.%02llu avg300=%llu.%02llu total=%llu\n",
			      names[s],
			      (unsigned long long)(a[0] / FIXED_1), (unsigned long long)((a[0] % FIXED_1) * 100 / FIXED_1),
			      (unsigned long long)(a[1] / FIXED_1), (unsigned long long)((a[1] % FIXED_1) * 100 / FIXED_1),
			      (unsigned long long)(a[2] / FIXED_1), (unsigned long long)((a[2] % FIXED_1) * 100 / FIXED_1),
			      (unsigned long long)(psi_total_ns(g, (enum psi_res)s, e->now_ns) / 1000));
	}
	return n;
}
