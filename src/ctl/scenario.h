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

/*
 * A dump made again and again (--state) keeps each cgroup's entry and
 * makes it anew only when the cgroup changed (its state_gen), so a large
 * tree costs the engine lock little.
 */
struct scenario_cache;

/** scenario_cache_new() - Return: an empty cache, or NULL (no memory). */
struct scenario_cache *scenario_cache_new(void);
/** scenario_cache_free() - free @c (NULL is fine). */
void scenario_cache_free(struct scenario_cache *c);

/*
 * A dump in two halves: what the tree holds, copied under the engine lock,
 * then made one JSON object without it (json-c takes some 4 us a key, 0.4 s
 * for the 100,000 cgroups of a large tree).
 */
struct scenario_snapshot;

/**
 * scenario_snapshot_locked() - copy what a dump holds, with @c (which must
 * serve this one @a alone, and one thread at a time).
 * Return: 0 with *out set, or -ENOMEM.
 */
int scenario_snapshot_locked(struct alloc *a, struct scenario_cache *c, struct scenario_snapshot **out);
/**
 * scenario_snapshot_json() - the dump, as scenario_dump_locked() gives it;
 * frees @snap. Context: no lock; the thread that took @snap.
 */
struct json_object *scenario_snapshot_json(struct scenario_snapshot *snap);

#endif
