/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The reply to memcgctl stat for a tree of any size: the numbers are copied
 * under the engine lock (a few hundred bytes a cgroup), and the JSON text,
 * which at 100,000 cgroups runs to tens of megabytes, is written after the
 * lock is dropped, as plain text rather than json-c objects, whose memory
 * would be some twenty times the text's.
 *
 * Part of the daemon. May include: libc, engine/, ctl/.
 */
#ifndef MEMCGFS_SNAPSHOT_H
#define MEMCGFS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>

struct cgroup;
struct engine;
struct tree_snapshot;

/**
 * tree_snapshot_take_locked() - copy what stat reports of @cg's subtree.
 * Return: 0 with *out set, or -ENOMEM.
 * Context: engine lock held.
 */
int tree_snapshot_take_locked(struct engine *e, struct cgroup *cg, struct tree_snapshot **out);

/**
 * tree_snapshot_reply() - the stat reply as text, newline-terminated:
 * with @lines false, one line {"ok":true,"now_ns":N,"tree":{... "children":
 * [...]}}; with @lines true, a first line {"ok":true,"now_ns":N,"nodes":K}
 * and then one line per cgroup in pre-order, each with its "depth" below
 * the first (0) and no "children", so a reader needs one cgroup's memory.
 * Return: the text (the caller frees it) with *len set, or NULL (no memory).
 * Context: no lock needed; the snapshot is the caller's.
 */
char *tree_snapshot_reply(const struct tree_snapshot *snap, bool lines, size_t *len);

/** tree_snapshot_free() - free @snap (NULL is fine). */
void tree_snapshot_free(struct tree_snapshot *snap);

#endif
