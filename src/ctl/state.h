/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --state=FILE: the tree, its settings, modes and owners and the simulated
 * tasks, saved as a scenario within about a second of each change, so that
 * a daemon killed at any moment leaves its last complete state to the next
 * start. Each save writes a temporary file beside FILE, syncs it, renames
 * it over FILE and syncs the directory; the copy of the tree is made under
 * the engine lock, everything else without it. Part of the daemon.
 */
#ifndef MEMCGFS_STATE_H
#define MEMCGFS_STATE_H

#include "alloc/alloc.h"

struct state_saver;

/** state_saver_create() - save @a's state to @path (absolute). Return: 0 or -ENOMEM. */
int state_saver_create(struct alloc *a, const char *path, struct state_saver **out);
/** state_saver_run() - start the saving thread (after any fork). Return: 0 or -errno. */
int state_saver_run(struct state_saver *s);
/**
 * state_saver_stop() - stop the thread, save a last time and free @s (NULL
 * is fine). Return: 0, or -errno when the last save failed (said on stderr).
 */
int state_saver_stop(struct state_saver *s);

#endif
