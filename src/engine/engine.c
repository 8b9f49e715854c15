// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Creation and destruction of a simulated machine (struct engine) and the
 * id table that lets the fs layer turn an inode number back into a cgroup.
 *
 * May include: libc, pthreads, common/ and engine/ headers.
 */
#include <errno.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/cgroup.h"
#include "engine/memcg.h"
#include "engine/charge.h"
#include "engine/psi_trigger.h"

int cgroup_create_root(struct engine *e, struct cgroup **out);
void cgroup_destroy_tree(struct engine *e, struct cgroup *cg);

int engine_create(const struct engine_config *cfg, const struct engine_ops *ops,
		  void *ops_data, struct engine **out)
{
	struct engine *e;
	int ret;

	if (cfg->nr_nodes < 1 || cfg->nr_nodes > MEMCG_MAX_NODES)
		return -EINVAL;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	pthread_mutex_init(&e->lock, NULL);
	e->cfg = *cfg;
	e->ops = ops;
	e->ops_data = ops_data;
	e->vm_swappiness = 60;
	e->next_id = 1;
	INIT_LIST_HEAD(&e->memcgs);
	INIT_LIST_HEAD(&e->oom_waiters);
	INIT_LIST_HEAD(&e->psi_triggers);

	ret = cgroup_create_root(e, &e->root);
	if (ret)
		goto out_free;
	*out = e;
	return 0;

out_free:
	pthread_mutex_destroy(&e->lock);
	free(e);
	return ret;
}

void engine_destroy(struct engine *e)
{
	if (!e)
		return;
	struct memcg *memcg, *tmp;
	unsigned int i;

	e->destroying = true;
	/* triggers of files still open at exit */
	while (!list_empty(&e->psi_triggers))
		psi_trigger_destroy(list_first_entry(&e->psi_triggers, struct psi_trigger, node));
	for (i = 0; i < NR_MEMCG_STOCK; i++)
		e->stock[i].memcg = NULL;	/* freed below with the rest */
	cgroup_destroy_tree(e, e->root);
	list_for_each_entry_safe(memcg, tmp, &e->memcgs, all_node)
		memcg_free(e, memcg);
	free(e->by_id);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

void engine_log(struct engine *e, enum engine_log_kind kind, int event, uint64_t cgroup_id,
		int pid, uint64_t value)
{
	struct engine_log_entry *entry = &e->log[e->log_seq % ENGINE_LOG_SIZE];

	*entry = (struct engine_log_entry){
		.seq = e->log_seq++,
		.time_ns = e->now_ns,
		.cgroup_id = cgroup_id,
		.value = value,
		.kind = kind,
		.event = event,
		.pid = pid,
	};
	if (e->log_wake)
		e->log_wake(e->log_wake_data);
}

/*
 * glibc keeps what is freed in its arenas (one per thread that allocated:
 * the FUSE workers, the control socket's thread), where free chunks among
 * live ones are never returned: after 100,000 cgroups are removed the
 * daemon would keep its peak size. Every ENGINE_TRIM_BATCH frees of a
 * cgroup or memcg (some 2 KiB each, a few MiB in all), malloc_trim() gives
 * the free pages back; it costs in proportion to what it returns (some
 * 75 us per MiB), so the cost is spread over the removals that made it.
 */
#define ENGINE_TRIM_BATCH 2048

void engine_freed(struct engine *e)
{
	if (e->destroying || ++e->nr_freed_since_trim < ENGINE_TRIM_BATCH)
		return;
	e->nr_freed_since_trim = 0;
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
}
