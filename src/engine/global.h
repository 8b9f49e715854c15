/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated machine running out of RAM: global reclaim (the v1 soft
 * limit first, then every memcg), and past that the global OOM killer.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_GLOBAL_H
#define MEMCGFS_GLOBAL_H

#include "engine/memcg.h"

/**
 * engine_make_room() - make @nr_pages of RAM free for @task's allocation
 * (NULL: an allocation outside every cgroup).
 * @reclaimed, @killed: if not NULL, what it took.
 * Return: 0; -EINTR when @task itself was killed; -ENOMEM when nothing more
 * can be freed or killed.
 */
int engine_make_room(struct engine *e, unsigned long nr_pages, struct memcg_task *task,
		     unsigned long *reclaimed, unsigned long *killed);

#endif
