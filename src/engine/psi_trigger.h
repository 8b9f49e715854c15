/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * PSI triggers (kernel/sched/psi.c: psi_trigger_create(), update_triggers(),
 * window_update()): "some|full STALL_US WINDOW_US" written to a pressure
 * file makes poll(2) on that open file report POLLPRI when the stall of the
 * cgroup grew by STALL_US within a window of WINDOW_US, at most once per
 * window. A trigger belongs to one open file and ends with it.
 *
 * A trigger of a privileged opener (CAP_SYS_RESOURCE) is looked at every
 * tenth of its window while stalls happen (the kernel's psimon polling);
 * an unprivileged one, whose window must be a multiple of 2 s, with the
 * 2-second averages. Time is the engine's simulated time, so a manual
 * clock fires triggers deterministically.
 *
 * Divergence: the engine charges a stall when it starts (psi_memstall()
 * with the whole memory.high penalty), where the kernel accrues it while
 * the task sleeps; a trigger sees the stall's growth at its first look
 * after it began, rather than spread over the sleep.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_PSI_TRIGGER_H
#define MEMCGFS_PSI_TRIGGER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/list.h"
#include "engine/psi.h"

struct engine;
struct cgroup;

/* Which pressure file: only memory has simulated stalls. */
enum psi_resource {
	PSI_RESOURCE_IO,
	PSI_RESOURCE_MEMORY,
	PSI_RESOURCE_CPU,
};

struct psi_trigger {
	struct list_head node;		/* in engine->psi_triggers */
	uint64_t cgroup_id;		/* the cgroup may go first: then it fires no more */
	enum psi_resource res;
	enum psi_res state;		/* PSI_SOME or PSI_FULL */
	bool privileged;
	uint64_t threshold;		/* ns of stall ... */
	uint64_t win_size;		/* ... within this many ns */

	/* the tracking window (struct psi_window) */
	uint64_t win_start_time;
	uint64_t win_start_value;
	uint64_t win_prev_growth;

	uint64_t last_total;		/* the stall total at the last look */
	uint64_t next_update;		/* the next look, simulated ns */
	uint64_t polling_until;		/* privileged: looks go on until then */
	uint64_t last_event_time;
	bool fired;			/* an event was ever generated */
	bool pending_event;		/* over the threshold, held back by the once-per-window limit */
	bool event;			/* generated, not yet reported by poll() */
};

/**
 * psi_trigger_create() - parse @buf as the kernel does and start a trigger
 * on @cg's @res pressure.
 * @privileged: the file's opener has CAP_SYS_RESOURCE
 * Return: 0 with *out, -EINVAL (not "some|full STALL_US WINDOW_US", a
 * window of 0 or over 10 s, an unprivileged window not a multiple of 2 s, a
 * stall of 0 or over the window) or -ENOMEM.
 */
int psi_trigger_create(struct engine *e, struct cgroup *cg, enum psi_resource res,
		       const char *buf, bool privileged, struct psi_trigger **out);

/** psi_trigger_destroy() - the trigger's file was closed. */
void psi_trigger_destroy(struct psi_trigger *t);

/**
 * psi_trigger_poll() - has @t fired since poll() last reported it?
 * @consume: report it now, so that the next poll() waits for a new one
 */
bool psi_trigger_poll(struct psi_trigger *t, bool consume);

/**
 * psi_triggers_update() - look at the triggers due by e->now_ns; wake the
 * pollers (engine_file_changed) of those that fire. Called whenever
 * simulated time moves.
 */
void psi_triggers_update(struct engine *e);

/**
 * psi_triggers_next_update() - when a trigger next needs a look (a stall
 * not yet looked at, or an event held back), or UINT64_MAX.
 */
uint64_t psi_triggers_next_update(struct engine *e);

#endif
