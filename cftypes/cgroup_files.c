// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup v2 core files (kernel/cgroup/cgroup.c's cgroup_base_files[] and
 * cgroup_psi_files[]) for a hierarchy whose only controller is memory.
 *
 * May include: libc, engine/, alloc/, cftypes/. Never FUSE.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "cftypes/cftype.h"
#include "alloc/alloc.h"
#include "engine/cgroup.h"
#include "engine/memparse.h"

/* cgroup.procs, cgroup.threads: .private = 1 for threads */
static int cft_procs_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct memcg_task *task;

	/* a real process that has exited is never listed, however busy the daemon */
	alloc_reap_exited_locked(ctx->alloc);
	list_for_each_entry(task, &ctx->cgroup->tasks, cgroup_node)
		if (!task->dead)
			seq_printf(s, "%d\n", task->pid);
	return 0;
}

static int cft_procs_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int pid;

	if (kstrtoint(strstrip(buf), 0, &pid) || pid < 0)
		return -EINVAL;
	return cft_attach_pid(ctx, pid, !ctx->cft->private);
}

static bool cgroup_has_memory(const struct cgroup *cg)
{
	if (cgroup_is_root(cg))
		return true;
	return !cg->threaded && cg->parent->subtree_memory;
}

static int cft_controllers_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	if (cgroup_has_memory(ctx->cgroup))
		seq_puts(s, "memory\n");
	return 0;
}

static int cft_subtree_control_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	if (ctx->cgroup->subtree_memory)
		seq_puts(s, "memory\n");
	return 0;
}

/*
 * The controllers a Debian 6.18 kernel has on cgroup2. memory is the one
 * this hierarchy serves; the others exist but are never available here, so
 * enabling one is ENOENT and disabling one does nothing, while a name the
 * kernel does not know on cgroup2 (freezer, devices...) is EINVAL.
 */
static const char *const known_controllers[] = {
	"cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc", "perf_event",
};

static bool controller_known(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(known_controllers); i++)
		if (!strcmp(known_controllers[i], name))
			return true;
	return false;
}

/*
 * "+memory -memory ...": space separated, empty tokens skipped, the last
 * word on a controller wins, every token checked before any change.
 */
static int cft_subtree_control_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int want = -1;	/* memory: -1 no change asked, 0 disable, 1 enable */
	bool enable_other = false;
	char *tok;

	buf = strstrip(buf);
	while ((tok = strsep(&buf, " ")) != NULL) {
		if (!*tok)
			continue;
		if ((tok[0] != '+' && tok[0] != '-') || !controller_known(tok + 1))
			return -EINVAL;
		if (!strcmp(tok + 1, "memory"))
			want = tok[0] == '+';
		else if (tok[0] == '+')
			enable_other = true;
	}
	if (enable_other || (want == 1 && !cgroup_has_memory(ctx->cgroup)))
		return -ENOENT;
	if (want < 0)
		return 0;
	return cgroup_set_subtree_memory(ctx->engine, ctx->cgroup, want);
}

static int cft_events_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_printf(s, "populated %d\nfrozen %d\n", ctx->cgroup->nr_populated > 0,
		   cgroup_frozen(ctx->cgroup));
	return 0;
}

static uint64_t cft_events_generation(struct cft_ctx *ctx)
{
	return ctx->cgroup->events_gen;
}

static int cft_type_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	static const char *const names[] = {
		[CGROUP_TYPE_DOMAIN] = "domain",
		[CGROUP_TYPE_DOMAIN_THREADED] = "domain threaded",
		[CGROUP_TYPE_DOMAIN_INVALID] = "domain invalid",
		[CGROUP_TYPE_THREADED] = "threaded",
	};

	seq_printf(s, "%s\n", names[cgroup_type(ctx->cgroup)]);
	return 0;
}

static int cft_type_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	/* only "threaded" can be written: a cgroup never goes back to domain */
	if (strcmp(strstrip(buf), "threaded"))
		return -EINVAL;
	return cgroup_enable_threaded(ctx->engine, ctx->cgroup);
}

/* cgroup.max.depth (.private 0), cgroup.max.descendants (.private 1) */
static int cft_max_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	int v = ctx->cft->private ? ctx->cgroup->max_descendants : ctx->cgroup->max_depth;

	if (v == INT_MAX)
		seq_puts(s, "max\n");
	else
		seq_printf(s, "%d\n", v);
	return 0;
}

static int cft_max_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int v, ret;

	buf = strstrip(buf);
	if (!strcmp(buf, "max")) {
		v = INT_MAX;
	} else {
		ret = kstrtoint(buf, 0, &v);
		if (ret)
			return ret;
	}
	if (v < 0)
		return -ERANGE;
	if (ctx->cft->private)
		ctx->cgroup->max_descendants = v;
	else
		ctx->cgroup->max_depth = v;
	return 0;
}

static int cft_stat_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct cgroup_stat st;

	cgroup_stat(ctx->cgroup, &st);
	seq_printf(s, "nr_descendants %d\nnr_subsys_memory %d\nnr_dying_descendants %d\n"
		      "nr_dying_subsys_memory %d\n",
		   st.nr_descendants, st.nr_subsys_memory, st.nr_dying_descendants,
		   st.nr_dying_subsys_memory);
	return 0;
}

static int cft_stat_local_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_puts(s, "frozen_usec 0\n");
	return 0;
}

static int cft_freeze_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_printf(s, "%d\n", ctx->cgroup->freeze);
	return 0;
}

static int cft_freeze_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int v, ret = kstrtoint(strstrip(buf), 0, &v);

	if (ret)
		return ret;
	if (v < 0 || v > 1)
		return -ERANGE;
	cgroup_set_freeze(ctx->engine, ctx->cgroup, v);
	return 0;
}

static void kill_subtree(struct cft_ctx *ctx, struct cgroup *cg)
{
	struct memcg_task *task, *tmp;
	struct cgroup *child;

	list_for_each_entry_safe(task, tmp, &cg->tasks, cgroup_node)
		if (!task->dead)
			ctx->engine->ops->kill(ctx->engine->ops_data, task);
	list_for_each_entry(child, &cg->children, sibling)
		kill_subtree(ctx, child);
}

static int cft_kill_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int v, ret = kstrtoint(strstrip(buf), 0, &v);

	if (ret)
		return ret;
	if (v != 1)
		return -ERANGE;
	if (ctx->cgroup->threaded)
		return -EOPNOTSUPP;
	kill_subtree(ctx, ctx->cgroup);
	return 0;
}

static int cft_cpu_stat_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_puts(s, "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnice_usec 0\n");
	return 0;
}

static int cft_empty_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	return 0;
}

static int cft_pressure_enable_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_printf(s, "%d\n", ctx->cgroup->psi_enabled);
	return 0;
}

static int cft_pressure_enable_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int v, ret = kstrtoint(strstrip(buf), 0, &v);
	bool was = ctx->cgroup->psi_enabled;

	if (ret)
		return ret;
	if (v < 0 || v > 1)
		return -ERANGE;
	ctx->cgroup->psi_enabled = v;
	/* the pressure files are gone */
	if (was && !v)
		engine_node_changed(ctx->engine, ENGINE_NODE_FILES, ctx->cgroup, ctx->cgroup->parent,
				    NULL, 0);
	return 0;
}

/* Which resource a pressure file is, by its .private */
static enum psi_resource pressure_resource(const struct cft_ctx *ctx)
{
	return (enum psi_resource)ctx->cft->private;
}

/*
 * memory.pressure shows the simulated memory stalls; nothing simulated
 * waits on a CPU or a disk, so cpu.pressure and io.pressure stay 0.
 */
static int cft_pressure_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	char buf[256];

	if (pressure_resource(ctx) != PSI_RESOURCE_MEMORY) {
		seq_puts(s, "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
		return 0;
	}
	psi_show(ctx->engine, ctx->cgroup, buf, sizeof(buf));
	seq_puts(s, buf);
	return 0;
}

/* capability number of CAP_SYS_RESOURCE (linux/capability.h) */
#define CAP_SYS_RESOURCE_BIT 24

/*
 * A PSI trigger, "some|full <stall_us> <window_us>": one per open file
 * (cgroup_pressure_write()). Whether the opener may poll faster than the 2 s
 * averages is the opener's CAP_SYS_RESOURCE, as the kernel looks at the
 * file's f_cred.
 */
static int cft_pressure_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	bool privileged = ctx->opener ? ctx->opener->cap_eff & (1ULL << CAP_SYS_RESOURCE_BIT) :
			  ctx->writer_uid == 0;

	if (!ctx->state)
		return -EINVAL;
	if (ctx->state->psi_trigger)
		return -EBUSY;
	return psi_trigger_create(ctx->engine, ctx->cgroup, pressure_resource(ctx), buf, privileged,
				  &ctx->state->psi_trigger);
}

/* psi_trigger_poll(): without a trigger, POLLERR|POLLPRI at once */
static unsigned int cft_pressure_poll(struct cft_ctx *ctx, bool consume)
{
	struct psi_trigger *t = ctx->state ? ctx->state->psi_trigger : NULL;

	if (!t)
		return POLLERR | POLLPRI;
	return psi_trigger_poll(t, consume) ? POLLPRI : 0;
}

static void cft_pressure_release(struct cft_ctx *ctx)
{
	if (ctx->state && ctx->state->psi_trigger) {
		psi_trigger_destroy(ctx->state->psi_trigger);
		ctx->state->psi_trigger = NULL;
	}
}

const struct cftype cgroup_base_files[] = {
	{
		.name = "cgroup.type",
		.flags = CFT_NOT_ON_ROOT,
		.seq_show = cft_type_show,
		.write = cft_type_write,
	},
	{
		.name = "cgroup.procs",
		.flags = CFT_ATTACH,
		.seq_show = cft_procs_show,
		.write = cft_procs_write,
	},
	{
		.name = "cgroup.threads",
		.flags = CFT_ATTACH,
		.private = 1,
		.seq_show = cft_procs_show,
		.write = cft_procs_write,
	},
	{
		.name = "cgroup.controllers",
		.seq_show = cft_controllers_show,
	},
	{
		.name = "cgroup.subtree_control",
		.seq_show = cft_subtree_control_show,
		.write = cft_subtree_control_write,
	},
	{
		.name = "cgroup.events",
		.flags = CFT_NOT_ON_ROOT,
		.seq_show = cft_events_show,
		.generation = cft_events_generation,
		.notify = NOTIFY_CGROUP_EVENTS,
	},
	{
		.name = "cgroup.max.descendants",
		.flags = CFT_SETTING,
		.private = 1,
		.seq_show = cft_max_show,
		.write = cft_max_write,
	},
	{
		.name = "cgroup.max.depth",
		.flags = CFT_SETTING,
		.private = 0,
		.seq_show = cft_max_show,
		.write = cft_max_write,
	},
	{
		.name = "cgroup.stat",
		.seq_show = cft_stat_show,
	},
	{
		.name = "cgroup.stat.local",
		.flags = CFT_NOT_ON_ROOT,
		.seq_show = cft_stat_local_show,
	},
	{
		.name = "cgroup.freeze",
		.flags = CFT_NOT_ON_ROOT | CFT_SETTING,
		.seq_show = cft_freeze_show,
		.write = cft_freeze_write,
	},
	{
		.name = "cgroup.kill",
		.flags = CFT_NOT_ON_ROOT,
		.write = cft_kill_write,
	},
	{
		.name = "cpu.stat",
		.seq_show = cft_cpu_stat_show,
	},
	{
		.name = "cpu.stat.local",
		.seq_show = cft_empty_show,
	},
	{ }	/* terminate */
};

const struct cftype cgroup_psi_files[] = {
	{
		.name = "cgroup.pressure",
		.flags = CFT_SETTING,
		.seq_show = cft_pressure_enable_show,
		.write = cft_pressure_enable_write,
	},
	{
		.name = "io.pressure",
		.flags = CFT_PSI,
		.private = PSI_RESOURCE_IO,
		.seq_show = cft_pressure_show,
		.write = cft_pressure_write,
		.poll = cft_pressure_poll,
		.release = cft_pressure_release,
	},
	{
		.name = "memory.pressure",
		.flags = CFT_PSI,
		.private = PSI_RESOURCE_MEMORY,
		.seq_show = cft_pressure_show,
		.write = cft_pressure_write,
		.poll = cft_pressure_poll,
		.release = cft_pressure_release,
		.notify = NOTIFY_MEMORY_PRESSURE,
	},
	{
		.name = "cpu.pressure",
		.flags = CFT_PSI,
		.private = PSI_RESOURCE_CPU,
		.seq_show = cft_pressure_show,
		.write = cft_pressure_write,
		.poll = cft_pressure_poll,
		.release = cft_pressure_release,
	},
	{ }	/* terminate */
};
