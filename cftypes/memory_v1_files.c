// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup v1 memory controller files (mm/memcontrol-v1.c's
 * mem_cgroup_legacy_files[] and memsw_files[]). Counter files share their
 * handlers; .private packs the counter and the attribute, as the kernel's
 * MEMFILE_PRIVATE does.
 *
 * May include: libc, engine/, cftypes/. Never FUSE.
 */
#include <errno.h>
#include <string.h>

#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memcg_v1.h"
#include "engine/memparse.h"

#define MAX_SWAPPINESS 200

enum res_type {
	_MEM,
	_MEMSWAP,
	_KMEM,
	_TCP,
};

enum res_attr {
	RES_USAGE,
	RES_LIMIT,
	RES_MAX_USAGE,
	RES_FAILCNT,
	RES_SOFT_LIMIT,
};

#define MEMFILE_PRIVATE(type, attr) (((unsigned long)(type) << 16) | (attr))
#define MEMFILE_TYPE(val) ((enum res_type)((val) >> 16))
#define MEMFILE_ATTR(val) ((enum res_attr)((val) & 0xffff))

static struct memcg *ctx_memcg(struct cft_ctx *ctx)
{
	return ctx->cgroup->memcg;
}

static struct page_counter *ctx_counter(struct cft_ctx *ctx)
{
	struct memcg *memcg = ctx_memcg(ctx);

	switch (MEMFILE_TYPE(ctx->cft->private)) {
	case _MEMSWAP:
		return &memcg->memsw;
	case _KMEM:
		return &memcg->kmem;
	case _TCP:
		return &memcg->tcpmem;
	case _MEM:
		break;
	}
	return &memcg->memory;
}

static uint64_t cft_res_read(struct cft_ctx *ctx)
{
	struct memcg *memcg = ctx_memcg(ctx);
	struct page_counter *c = ctx_counter(ctx);
	enum res_type type = MEMFILE_TYPE(ctx->cft->private);

	switch (MEMFILE_ATTR(ctx->cft->private)) {
	case RES_USAGE:
		if (type == _MEM || type == _MEMSWAP)
			return (uint64_t)memcg_usage(ctx->engine, memcg, type == _MEMSWAP) * PAGE_SIZE;
		return (uint64_t)c->usage * PAGE_SIZE;
	case RES_LIMIT:
		return (uint64_t)c->max * PAGE_SIZE;
	case RES_MAX_USAGE:
		return (uint64_t)c->watermark * PAGE_SIZE;
	case RES_FAILCNT:
		return c->failcnt;
	case RES_SOFT_LIMIT:
		return (uint64_t)memcg->soft_limit * PAGE_SIZE;
	}
	return 0;
}

/* limit_in_bytes files and soft_limit_in_bytes */
static int cft_res_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	struct memcg *memcg = ctx_memcg(ctx);
	unsigned long pages;
	int ret;

	ret = page_counter_memparse(strstrip(buf), "-1", &pages);
	if (ret)
		return ret;
	if (MEMFILE_ATTR(ctx->cft->private) == RES_SOFT_LIMIT) {
		memcg->soft_limit = pages;
		return 0;
	}
	if (memcg_is_root(memcg))
		return -EINVAL;	/* no limit on the root */
	switch (MEMFILE_TYPE(ctx->cft->private)) {
	case _MEM:
		return memcg1_resize_max(ctx->engine, memcg, pages, false);
	case _MEMSWAP:
		return memcg1_resize_max(ctx->engine, memcg, pages, true);
	case _KMEM:
		return 0;	/* 6.18 parses the kmem limit and ignores it */
	case _TCP:
		return page_counter_set_max(&memcg->tcpmem, pages);
	}
	return 0;
}

/* max_usage_in_bytes and failcnt: any write resets, whatever it says */
static int cft_res_reset(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	struct page_counter *c = ctx_counter(ctx);

	if (MEMFILE_ATTR(ctx->cft->private) == RES_MAX_USAGE)
		page_counter_reset_watermark(c);
	else
		c->failcnt = 0;
	return 0;
}

static int cft_force_empty_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	if (memcg_is_root(ctx_memcg(ctx)))
		return -EINVAL;
	return memcg1_force_empty(ctx->engine, ctx_memcg(ctx));
}

static uint64_t cft_one_read(struct cft_ctx *ctx)
{
	return 1;
}

static int cft_use_hierarchy_write(struct cft_ctx *ctx, uint64_t val)
{
	return val == 1 ? 0 : -EINVAL;	/* 6.18: always hierarchical */
}

static uint64_t cft_swappiness_read(struct cft_ctx *ctx)
{
	struct memcg *memcg = ctx_memcg(ctx);

	return memcg_is_root(memcg) ? (uint64_t)ctx->engine->vm_swappiness : (uint64_t)memcg->swappiness;
}

static int cft_swappiness_write(struct cft_ctx *ctx, uint64_t val)
{
	struct memcg *memcg = ctx_memcg(ctx);

	if (val > MAX_SWAPPINESS)
		return -EINVAL;
	if (memcg_is_root(memcg))
		ctx->engine->vm_swappiness = (int)val;	/* the root writes vm.swappiness */
	else
		memcg->swappiness = (int)val;
	return 0;
}

static uint64_t cft_zero_read(struct cft_ctx *ctx)
{
	return 0;
}

static int cft_move_charge_write(struct cft_ctx *ctx, uint64_t val)
{
	return val ? -EINVAL : 0;	/* deprecated in 6.18: only 0 */
}

static int cft_oom_control_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct memcg *memcg = ctx_memcg(ctx);

	seq_printf(s, "oom_kill_disable %d\nunder_oom %d\noom_kill %lu\n", memcg->oom_kill_disable,
		   memcg->under_oom > 0, memcg->events[MEMCG_OOM_KILL]);
	return 0;
}

static int cft_oom_control_write(struct cft_ctx *ctx, uint64_t val)
{
	struct memcg *memcg = ctx_memcg(ctx);

	if (memcg_is_root(memcg) || val > 1)
		return -EINVAL;
	memcg->oom_kill_disable = val;
	if (!val)
		memcg1_oom_recover(ctx->engine, memcg);
	return 0;
}

/* memory.pressure_level is only a name for cgroup.event_control */
static int cft_pressure_level_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	return -EINVAL;
}

static int cft_empty_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	return 0;
}

static long node_sum(const struct engine *e, const struct memcg *memcg,
		     enum memcg_node_stat_item item, bool local)
{
	long sum = 0;
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		sum += memcg_node_stat(memcg, nid, item, local);
	return sum;
}

static unsigned long long bytes(long pages)
{
	return pages > 0 ? (unsigned long long)pages * PAGE_SIZE : 0;
}

static unsigned long long count(long v)
{
	return v > 0 ? (unsigned long long)v : 0;
}

/* The v1 stat items, local or hierarchical, with a name prefix. */
static void stat_v1_block(struct seqbuf *s, const struct engine *e, const struct memcg *m,
			  bool local, const char *prefix)
{
#define NODE(name, item) seq_printf(s, "%s" name " %llu\n", prefix, bytes(node_sum(e, m, item, local)))
#define NODE_COUNT(name, item) seq_printf(s, "%s" name " %llu\n", prefix, count(node_sum(e, m, item, local)))
	NODE("cache", NR_file);
	NODE("rss", NR_anon);
	NODE("rss_huge", NR_anon_thp);
	NODE("shmem", NR_shmem);
	NODE("mapped_file", NR_file_mapped);
	NODE("dirty", NR_file_dirty);
	NODE("writeback", NR_file_writeback);
	NODE_COUNT("workingset_refault_anon", NR_workingset_refault_anon);
	NODE_COUNT("workingset_refault_file", NR_workingset_refault_file);
	seq_printf(s, "%sswap %llu\n", prefix, bytes(memcg_stat(m, MEMCG_swap, local)));
	NODE("swapcached", NR_swapcached);
	seq_printf(s, "%spgpgin %llu\n", prefix, count(memcg_stat(m, MEMCG_pgpgin, local)));
	seq_printf(s, "%spgpgout %llu\n", prefix, count(memcg_stat(m, MEMCG_pgpgout, local)));
	seq_printf(s, "%spgfault %llu\n", prefix, count(memcg_stat(m, MEMCG_pgfault, local)));
	seq_printf(s, "%spgmajfault %llu\n", prefix, count(memcg_stat(m, MEMCG_pgmajfault, local)));
	NODE("inactive_anon", NR_inactive_anon);
	NODE("active_anon", NR_active_anon);
	NODE("inactive_file", NR_inactive_file);
	NODE("active_file", NR_active_file);
	NODE("unevictable", NR_unevictable);
#undef NODE
#undef NODE_COUNT
}

static int cft_stat_v1_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	const struct engine *e = ctx->engine;
	const struct memcg *memcg = ctx_memcg(ctx), *mi;
	unsigned long memory = PAGE_COUNTER_MAX, memsw = PAGE_COUNTER_MAX;

	stat_v1_block(s, e, memcg, true, "");
	for (mi = memcg; mi; mi = mi->parent) {
		memory = MIN(memory, mi->memory.max);
		memsw = MIN(memsw, mi->memsw.max);
	}
	seq_printf(s, "hierarchical_memory_limit %llu\n", (unsigned long long)memory * PAGE_SIZE);
	seq_printf(s, "hierarchical_memsw_limit %llu\n", (unsigned long long)memsw * PAGE_SIZE);
	stat_v1_block(s, e, memcg, false, "total_");
	return 0;
}

/* memory.numa_stat in v1: LRU page counts, local then hierarchical */
static int cft_numa_stat_v1_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	static const struct {
		const char *name;
		bool file, anon, unevictable;
	} rows[] = {
		{ "total", true, true, true },
		{ "file", true, false, false },
		{ "anon", false, true, false },
		{ "unevictable", false, false, true },
	};
	const struct engine *e = ctx->engine;
	const struct memcg *m = ctx_memcg(ctx);
	int pass, nid;
	size_t i;

	for (pass = 0; pass < 2; pass++) {
		bool local = pass == 0;

		for (i = 0; i < ARRAY_SIZE(rows); i++) {
			long node[MEMCG_MAX_NODES], total = 0;

			for (nid = 0; nid < e->cfg.nr_nodes; nid++) {
				long v = 0;

				if (rows[i].file)
					v += memcg_node_stat(m, nid, NR_inactive_file, local) +
					     memcg_node_stat(m, nid, NR_active_file, local);
				if (rows[i].anon)
					v += memcg_node_stat(m, nid, NR_inactive_anon, local) +
					     memcg_node_stat(m, nid, NR_active_anon, local);
				if (rows[i].unevictable)
					v += memcg_node_stat(m, nid, NR_unevictable, local);
				node[nid] = v;
				total += v;
			}
			seq_printf(s, "%s%s=%llu", local ? "" : "hierarchical_", rows[i].name, count(total));
			for (nid = 0; nid < e->cfg.nr_nodes; nid++)
				seq_printf(s, " N%d=%llu", nid, count(node[nid]));
			seq_puts(s, "\n");
		}
	}
	return 0;
}

const struct cftype memory_v1_files[] = {
	{
		.name = "memory.usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_MEM, RES_USAGE),
		.read_u64 = cft_res_read,
	},
	{
		.name = "memory.max_usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_MEM, RES_MAX_USAGE),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{
		.name = "memory.limit_in_bytes",
		.flags = CFT_MEMORY | CFT_SETTING,
		.private = MEMFILE_PRIVATE(_MEM, RES_LIMIT),
		.read_u64 = cft_res_read,
		.write = cft_res_write,
	},
	{
		.name = "memory.soft_limit_in_bytes",
		.flags = CFT_MEMORY | CFT_SETTING,
		.private = MEMFILE_PRIVATE(_MEM, RES_SOFT_LIMIT),
		.read_u64 = cft_res_read,
		.write = cft_res_write,
	},
	{
		.name = "memory.failcnt",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_MEM, RES_FAILCNT),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{
		.name = "memory.stat",
		.flags = CFT_MEMORY,
		.seq_show = cft_stat_v1_show,
	},
	{
		.name = "memory.force_empty",
		.flags = CFT_MEMORY,
		.write = cft_force_empty_write,
	},
	{
		.name = "memory.use_hierarchy",
		.flags = CFT_MEMORY,
		.read_u64 = cft_one_read,
		.write_u64 = cft_use_hierarchy_write,
	},
	{
		.name = "cgroup.event_control",
		.flags = CFT_MEMORY,
		.write = cft_event_control_write,
	},
	{
		.name = "memory.swappiness",
		.flags = CFT_MEMORY | CFT_SETTING,
		.read_u64 = cft_swappiness_read,
		.write_u64 = cft_swappiness_write,
	},
	{
		.name = "memory.move_charge_at_immigrate",
		.flags = CFT_MEMORY | CFT_SETTING,
		.read_u64 = cft_zero_read,
		.write_u64 = cft_move_charge_write,
	},
	{
		.name = "memory.oom_control",
		.flags = CFT_MEMORY,
		.seq_show = cft_oom_control_show,
		.write_u64 = cft_oom_control_write,
	},
	{
		.name = "memory.pressure_level",
		.flags = CFT_MEMORY,
		.seq_show = cft_pressure_level_show,
	},
	{
		.name = "memory.numa_stat",
		.flags = CFT_MEMORY,
		.seq_show = cft_numa_stat_v1_show,
	},
	{
		.name = "memory.kmem.limit_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_KMEM, RES_LIMIT),
		.read_u64 = cft_res_read,
		.write = cft_res_write,
	},
	{
		.name = "memory.kmem.usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_KMEM, RES_USAGE),
		.read_u64 = cft_res_read,
	},
	{
		.name = "memory.kmem.failcnt",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_KMEM, RES_FAILCNT),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{
		.name = "memory.kmem.max_usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_KMEM, RES_MAX_USAGE),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{
		.name = "memory.kmem.slabinfo",
		.flags = CFT_MEMORY,
		.seq_show = cft_empty_show,	/* deprecated: prints nothing in 6.18 */
	},
	{
		.name = "memory.kmem.tcp.limit_in_bytes",
		.flags = CFT_MEMORY | CFT_SETTING,
		.private = MEMFILE_PRIVATE(_TCP, RES_LIMIT),
		.read_u64 = cft_res_read,
		.write = cft_res_write,
	},
	{
		.name = "memory.kmem.tcp.usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_TCP, RES_USAGE),
		.read_u64 = cft_res_read,
	},
	{
		.name = "memory.kmem.tcp.failcnt",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_TCP, RES_FAILCNT),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{
		.name = "memory.kmem.tcp.max_usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_TCP, RES_MAX_USAGE),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{ }	/* terminate */
};

const struct cftype memsw_files[] = {
	{
		.name = "memory.memsw.usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_MEMSWAP, RES_USAGE),
		.read_u64 = cft_res_read,
	},
	{
		.name = "memory.memsw.max_usage_in_bytes",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_MEMSWAP, RES_MAX_USAGE),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{
		.name = "memory.memsw.limit_in_bytes",
		.flags = CFT_MEMORY | CFT_SETTING,
		.private = MEMFILE_PRIVATE(_MEMSWAP, RES_LIMIT),
		.read_u64 = cft_res_read,
		.write = cft_res_write,
	},
	{
		.name = "memory.memsw.failcnt",
		.flags = CFT_MEMORY,
		.private = MEMFILE_PRIVATE(_MEMSWAP, RES_FAILCNT),
		.read_u64 = cft_res_read,
		.write = cft_res_reset,
	},
	{ }	/* terminate */
};
