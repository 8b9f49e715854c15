// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Moving a process by writing its pid to cgroup.procs, cgroup.threads or
 * (v1) tasks, with the kernel's checks in the kernel's order
 * (__cgroup_procs_write() in kernel/cgroup/cgroup.c, __cgroup1_procs_write()
 * in kernel/cgroup/cgroup-v1.c), made with the credentials of whoever
 * opened the file, and one more: memcgfs really signals, stops and kills
 * what it holds, so it takes only a process the opener could signal.
 *
 * May include: libc, engine/, alloc/, cftypes/. Never FUSE.
 */
#include <errno.h>

#include "cftypes/cftype.h"
#include "alloc/alloc.h"
#include "engine/cgroup.h"

/*
 * cgroup_procs_write_permission(): the opener may write the cgroup.procs of
 * the nearest cgroup holding both @src and @dst, so a delegatee moves
 * processes only within what was delegated to it.
 */
static bool may_write_common_procs(struct cft_ctx *ctx, struct cgroup *src)
{
	struct engine *e = ctx->engine;
	struct cgroup *com = src;
	const struct cftype *procs;
	struct cgroup_node_attr na;

	while (!cgroup_is_descendant(ctx->cgroup, com))
		com = com->parent;
	procs = cft_lookup(e, com, "cgroup.procs");
	if (!procs)
		return false;
	cgroup_node_attr(com, cft_node(e->cfg.mode, procs), cft_mode(procs), &na);
	return task_cred_may_write(ctx->opener, na.mode, na.uid, na.gid);
}

static int attach_permission(struct cft_ctx *ctx, struct cgroup *src, const struct alloc_target *t)
{
	const struct task_cred *w = ctx->opener, *tc = &t->cred;
	struct task_cred sim;

	if (!w)
		return 0;	/* memcgfs's own write (a scenario) */
	if (!t->real) {
		/* a simulated task belongs to the tree's owner */
		task_cred_of_ids(t->pid, ctx->engine->cfg.owner_uid, ctx->engine->cfg.owner_gid, &sim);
		tc = &sim;
	}
	if (ctx->engine->cfg.mode == CGROUP_V2) {
		if (!may_write_common_procs(ctx, src))
			return -EACCES;
	} else if (w->euid != 0 && w->euid != tc->uid && w->euid != tc->suid) {
		/* v1: the opener is root, or the task's owner by its uid or saved uid */
		return -EACCES;
	}
	/*
	 * Divergence: the kernel moves, in a delegated subtree, a process its
	 * owner cannot signal (a setuid program); memcgfs, which signals what
	 * it holds, refuses with kill(2)'s EPERM.
	 */
	if (t->real && !task_cred_may_signal(w, tc))
		return -EPERM;
	return 0;
}

int cft_attach_pid(struct cft_ctx *ctx, int pid, bool threadgroup)
{
	struct engine *e = ctx->engine;
	struct alloc_target t;
	struct cgroup *src;
	int ret;

	if (pid == 0)
		pid = ctx->writer_pid;	/* 0 is the writer itself */
	ret = alloc_target_get_locked(ctx->alloc, pid, &t);
	if (ret)
		return ret;
	/* a process the tree does not know yet is in the root */
	src = t.task ? t.task->mt.cgroup : e->root;
	ret = attach_permission(ctx, src, &t);
	/* cgroup_attach_permissions(): then the destination, then a thread's domain */
	if (!ret)
		ret = cgroup_can_attach(e, ctx->cgroup);
	if (!ret && !threadgroup && e->cfg.mode == CGROUP_V2 && cgroup_dom(src) != cgroup_dom(ctx->cgroup))
		ret = -EOPNOTSUPP;
	t.holder = ctx->opener;
	if (!ret)
		ret = alloc_target_attach_locked(ctx->alloc, ctx->cgroup, &t);
	alloc_target_put(&t);
	return ret;
}
