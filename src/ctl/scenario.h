/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scenario files (memcgfs-scenario(5)): a JSON object naming cgroups with
 * the control files to write in each, and simulated tasks with their
 * workloads. A scenario is applied whole or not at all: it is first played
 * on a scratch copy of the tree, and any error is reported with the file,
 * the line and what is wrong.
 *
 * Context: scenario_apply_locked() needs engine->lock held.
 */
#ifndef MEMCGFS_SCENARIO_H
#define MEMCGFS_SCENARIO_H

#include <stddef.h>
#include <json-c/json.h>

#include "alloc/alloc.h"

/**
 * scenario_apply_locked() - apply the scenario @text (from @name) to @a.
 * @err: receives "NAME:LINE: what is wrong" on failure.
 * @nr_tasks: receives how many tasks were started.
 * Return: 0, or -EINVAL with *err set (nothing changed).
 */
int scenario_apply_locked(struct alloc *a, const char *name, const char *text,
			  char *err, size_t err_size, unsigned int *nr_tasks);

/**
 * scenario_dump_locked() - the running tree as a scenario: each cgroup with
 * the settings it does not share with a new cgroup, and the simulated
 * tasks, with their workloads or else what they hold (real processes are
 * not the simulation's to restart).
 * Return: 0 with *out set (the caller puts it), or -ENOMEM.
 */
int scenario_dump_locked(struct alloc *a, struct json_object **out);

#endif
