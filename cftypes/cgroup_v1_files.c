// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup v1 core files (kernel/cgroup/cgroup-v1.c's cgroup1_base_files[]):
 * cgroup.procs and tasks (sorted, unique), notify_on_release,
 * cgroup.clone_children, and on the root release_agent and
 * cgroup.sane_behavior.
 *
 * May include: libc, engine/, alloc/, cftypes/. Never FUSE.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cftypes/cftype.h"
#include "alloc/alloc.h"
#include "engine/cgroup.h"
#include "engine/memparse.h"

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* v1 lists pids sorted and without duplicates (pidlist_uniq) */
static int cft_procs_v1_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct memcg_task *task;
	size_t n = 0, i;
	int *pids;

	/* a real process that has exited is never listed, however busy the daemon */
	alloc_reap_exited_locked(ctx->alloc);
	pids = malloc((ctx->cgroup->nr_tasks + 1) * sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	list_for_each_entry(task, &ctx->cgroup->tasks, cgroup_node)
		if (!task->dead)
			pids[n++] = task->pid;
	qsort(pids, n, sizeof(*pids), cmp_int);
	for (i = 0; i < n; i++)
		if (i == 0 || pids[i] != pids[i - 1])
			seq_printf(s, "%d\n", pids[i]);
	free(pids);
	return 0;
}

/* cgroup.procs (.private 1: the whole thread group) and tasks (one thread) */
static int cft_procs_v1_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int pid;

	if (kstrtoint(strstrip(buf), 0, &pid) || pid < 0)
		return -EINVAL;
	return cft_attach_pid(ctx, pid, ctx->cft->private);
}

/* notify_on_release (.private 0), cgroup.clone_children (.private 1) */
static uint64_t cft_flag_read(struct cft_ctx *ctx)
{
	return ctx->cft->private ? ctx->cgroup->clone_children : ctx->cgroup->notify_on_release;
}

static int cft_flag_write(struct cft_ctx *ctx, uint64_t val)
{
	if (ctx->cft->private)
		ctx->cgroup->clone_children = val != 0;
	else
		ctx->cgroup->notify_on_release = val != 0;
	return 0;
}

static int cft_sane_behavior_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_puts(s, "0\n");
	return 0;
}

static int cft_release_agent_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_printf(s, "%s\n", ctx->engine->release_agent);
	return 0;
}

static int cft_release_agent_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	/* the agent would run with every capability: CAP_SYS_ADMIN only */
	if (ctx->writer_uid != 0)
		return -EPERM;
	snprintf(ctx->engine->release_agent, sizeof(ctx->engine->release_agent), "%s", strstrip(buf));
	return 0;
}

const struct cftype cgroup1_base_files[] = {
	{
		.name = "cgroup.procs",
		.flags = CFT_ATTACH,
		.private = 1,
		.seq_show = cft_procs_v1_show,
		.write = cft_procs_v1_write,
	},
	{
		.name = "cgroup.clone_children",
		.flags = CFT_SETTING,
		.private = 1,
		.read_u64 = cft_flag_read,
		.write_u64 = cft_flag_write,
	},
	{
		.name = "cgroup.sane_behavior",
		.flags = CFT_ONLY_ON_ROOT,
		.seq_show = cft_sane_behavior_show,
	},
	{
		.name = "tasks",
		.flags = CFT_ATTACH,
		.seq_show = cft_procs_v1_show,
		.write = cft_procs_v1_write,
	},
	{
		.name = "notify_on_release",
		.flags = CFT_SETTING,
		.private = 0,
		.read_u64 = cft_flag_read,
		.write_u64 = cft_flag_write,
	},
	{
		.name = "release_agent",
		.flags = CFT_ONLY_ON_ROOT | CFT_SETTING,
		.max_write_len = PATH_MAX - 1,
		.seq_show = cft_release_agent_show,
		.write = cft_release_agent_write,
	},
	{ }	/* terminate */
};
