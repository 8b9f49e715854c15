/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The memcg OOM killer (mm/oom_kill.c for a memcg): victim selection by
 * badness, the no-kill cases that keep one kill per episode, and
 * memory.oom.group. Killing itself goes through engine->ops->oom_kill.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_OOM_H
#define MEMCGFS_OOM_H

#include <stdbool.h>
#include "engine/memcg.h"

#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

/**
 * mem_cgroup_out_of_memory() - run the OOM killer for @memcg.
 * @charging: the task whose charge failed, or NULL (memory.max write).
 * Return: true when progress was made (a victim was killed or is already
 * dying, so retrying the charge makes sense); false when nobody could be
 * chosen.
 */
bool mem_cgroup_out_of_memory(struct engine *e, struct memcg *memcg, struct memcg_task *charging);

/**
 * out_of_memory() - the machine is out of RAM and swap: the global OOM
 * killer picks from every task, scaled by RAM plus swap.
 * Return: as mem_cgroup_out_of_memory().
 */
bool out_of_memory(struct engine *e, struct memcg_task *charging);

/** oom_badness() - the kernel's score; LONG_MIN for an unkillable task. */
long oom_badness(const struct memcg_task *task, unsigned long totalpages);

#endif
