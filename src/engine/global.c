// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Global memory pressure (see global.h): the page allocator's slow path for
 * a machine whose RAM is full, reduced to reclaim then OOM kill.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <errno.h>

#include "engine/global.h"
#include "engine/oom.h"
#include "engine/reclaim.h"

int engine_make_room(struct engine *e, unsigned long nr_pages, struct memcg_task *task,
		     unsigned long *reclaimed, unsigned long *killed)
{
	unsigned long freed = 0, kills = 0;
	int ret = 0;

	while (engine_ram_free(e) < nr_pages) {
		if (nr_pages > e->cfg.ram_pages) {
			ret = -ENOMEM;	/* no amount of reclaim makes it fit */
			break;
		}
		freed += global_reclaim(e, nr_pages);
		if (engine_ram_free(e) >= nr_pages)
			break;
		if (task && task->oom_victim) {
			ret = -EINTR;
			break;
		}
		if (!out_of_memory(e, task)) {
			ret = -ENOMEM;
			break;
		}
		kills++;
		if (task && task->dead) {
			ret = -EINTR;
			break;
		}
	}
	if (reclaimed)
		*reclaimed = freed;
	if (killed)
		*killed = kills;
	return ret;
}
