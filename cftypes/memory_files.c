// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cgroup v2 memory controller files (mm/memcontrol.c's memory_files[] and
 * swap_files[]): counters, tunables, events, statistics, peak watchers and
 * proactive reclaim.
 *
 * May include: libc, engine/, cftypes/. Never FUSE.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memparse.h"

#define MIN_SWAPPINESS 0
#define MAX_SWAPPINESS 200

/* .private selects the page counter that shared handlers work on */
enum counter_sel {
	SEL_MEMORY,
	SEL_SWAP,
};

static struct memcg *ctx_memcg(struct cft_ctx *ctx)
{
	return ctx->cgroup->memcg;
}

static struct page_counter *ctx_counter(struct cft_ctx *ctx)
{
	struct memcg *memcg = ctx_memcg(ctx);

	return ctx->cft->private == SEL_SWAP ? &memcg->swap : &memcg->memory;
}

static uint64_t cft_usage_read(struct cft_ctx *ctx)
{
	return (uint64_t)ctx_counter(ctx)->usage * PAGE_SIZE;
}

/* memory.{min,low,high,max}, memory.swap.{high,max}, memory.zswap.max */
enum tunable_sel {
	TUNE_MIN,
	TUNE_LOW,
	TUNE_HIGH,
	TUNE_MAX,
	TUNE_SWAP_HIGH,
	TUNE_SWAP_MAX,
	TUNE_ZSWAP_MAX,
};

static int cft_tunable_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct memcg *memcg = ctx_memcg(ctx);
	unsigned long v = 0;

	switch ((enum tunable_sel)ctx->cft->private) {
	case TUNE_MIN:
		v = memcg->memory.min;
		break;
	case TUNE_LOW:
		v = memcg->memory.low;
		break;
	case TUNE_HIGH:
		v = memcg->memory.high;
		break;
	case TUNE_MAX:
		v = memcg->memory.max;
		break;
	case TUNE_SWAP_HIGH:
		v = memcg->swap.high;
		break;
	case TUNE_SWAP_MAX:
		v = memcg->swap.max;
		break;
	case TUNE_ZSWAP_MAX:
		v = memcg->zswap_max;
		break;
	}
	seq_show_pages_or_max(s, v);
	return 0;
}

static int cft_tunable_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	struct memcg *memcg = ctx_memcg(ctx);
	bool nonblock = ctx->open_flags & O_NONBLOCK;
	unsigned long pages;
	int ret;

	ret = page_counter_memparse(strstrip(buf), "max", &pages);
	if (ret)
		return ret;

	switch ((enum tunable_sel)ctx->cft->private) {
	case TUNE_MIN:
		page_counter_set_min(&memcg->memory, pages);
		break;
	case TUNE_LOW:
		page_counter_set_low(&memcg->memory, pages);
		break;
	case TUNE_HIGH:
		memcg_set_high(ctx->engine, memcg, pages, nonblock);
		break;
	case TUNE_MAX:
		memcg_set_max(ctx->engine, memcg, pages, nonblock);
		break;
	case TUNE_SWAP_HIGH:
		memcg->swap.high = pages;
		break;
	case TUNE_SWAP_MAX:
		memcg->swap.max = pages;	/* swap already in use stays */
		break;
	case TUNE_ZSWAP_MAX:
		memcg->zswap_max = pages;
		break;
	}
	return 0;
}

/* memory.peak, memory.swap.peak: global watermark, or per-fd after a write */
static int cft_peak_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct cft_open_state *st = ctx->state;

	seq_printf(s, "%llu\n", (unsigned long long)memcg_peak_read(ctx_counter(ctx),
			st && st->memcg ? &st->peak : NULL) * PAGE_SIZE);
	return 0;
}

static int cft_peak_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	struct memcg *memcg = ctx_memcg(ctx);
	struct cft_open_state *st = ctx->state;
	bool swap = ctx->cft->private == SEL_SWAP;

	if (!st)
		return -EINVAL;
	if (!st->memcg) {
		st->memcg = memcg;
		memcg_get(memcg);
		INIT_LIST_HEAD(&st->peak.node);
	}
	memcg_peak_reset(ctx_counter(ctx), swap ? &memcg->swap_peak_fds : &memcg->peak_fds, &st->peak);
	return 0;
}

static void cft_peak_release(struct cft_ctx *ctx)
{
	struct cft_open_state *st = ctx->state;

	if (!st || !st->memcg)
		return;
	list_del_init(&st->peak.node);
	memcg_put(ctx->engine, st->memcg);
	st->memcg = NULL;
}

/* memory.events, memory.events.local: .private = 1 for local */
static int cft_events_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	struct memcg *memcg = ctx_memcg(ctx);
	const unsigned long *ev = ctx->cft->private ? memcg->events_local : memcg->events;

#define MEMORY_EVENT(id, key) seq_printf(s, #key " %lu\n", ev[MEMCG_##id]);
#define SWAP_EVENT(id, key)
#include "engine/memory_events.def"
#undef MEMORY_EVENT
#undef SWAP_EVENT
	return 0;
}

/* change counters for poll: memory.events, .local (.private 1), swap (SEL_SWAP) */
static uint64_t cft_events_generation(struct cft_ctx *ctx)
{
	return ctx->cft->private ? ctx_memcg(ctx)->events_local_gen : ctx_memcg(ctx)->events_gen;
}

static uint64_t cft_swap_events_generation(struct cft_ctx *ctx)
{
	return ctx_memcg(ctx)->swap_events_gen;
}

static int cft_swap_events_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	const unsigned long *ev = ctx_memcg(ctx)->events;

#define MEMORY_EVENT(id, key)
#define SWAP_EVENT(id, key) seq_printf(s, #key " %lu\n", ev[MEMCG_##id]);
#include "engine/memory_events.def"
#undef MEMORY_EVENT
#undef SWAP_EVENT
	return 0;
}

enum stat_unit {
	PAGES,
	COUNT,
};

static unsigned long long stat_value(long v, enum stat_unit unit)
{
	if (v < 0)
		v = 0;	/* the kernel clamps transiently negative sums too */
	return unit == PAGES ? (unsigned long long)v * PAGE_SIZE : (unsigned long long)v;
}

static long node_stat_sum(const struct engine *e, const struct memcg *memcg,
			  enum memcg_node_stat_item item)
{
	long sum = 0;
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		sum += memcg_node_stat(memcg, nid, item, false);
	return sum;
}

static int cft_stat_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	const struct engine *e = ctx->engine;
	const struct memcg *memcg = ctx_memcg(ctx);

#define NODE_STAT(name, unit) \
	if (NR_##name != NR_hugetlb || e->cfg.memory_hugetlb_accounting) \
		seq_printf(s, #name " %llu\n", stat_value(node_stat_sum(e, memcg, NR_##name), unit));
#define MEMCG_STAT(name, unit) \
	seq_printf(s, #name " %llu\n", stat_value(memcg_stat(memcg, MEMCG_##name, false), unit));
#define SUM_STAT(name) seq_printf(s, #name " %llu\n", sum_##name(e, memcg));
#define HIDDEN_STAT(name, unit)
#define sum_slab(e, memcg) stat_value(node_stat_sum(e, memcg, NR_slab_reclaimable) + \
				      node_stat_sum(e, memcg, NR_slab_unreclaimable), PAGES)
#define sum_pgscan(e, memcg) stat_value(memcg_stat(memcg, MEMCG_pgscan_kswapd, false) + \
					memcg_stat(memcg, MEMCG_pgscan_direct, false) + \
					memcg_stat(memcg, MEMCG_pgscan_khugepaged, false) + \
					memcg_stat(memcg, MEMCG_pgscan_proactive, false), COUNT)
#define sum_pgsteal(e, memcg) stat_value(memcg_stat(memcg, MEMCG_pgsteal_kswapd, false) + \
					 memcg_stat(memcg, MEMCG_pgsteal_direct, false) + \
					 memcg_stat(memcg, MEMCG_pgsteal_khugepaged, false) + \
					 memcg_stat(memcg, MEMCG_pgsteal_proactive, false), COUNT)
#include "engine/memory_stat.def"
#undef NODE_STAT
#undef MEMCG_STAT
#undef SUM_STAT
#undef HIDDEN_STAT
#undef sum_slab
#undef sum_pgscan
#undef sum_pgsteal
	return 0;
}

static int cft_numa_stat_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	const struct engine *e = ctx->engine;
	const struct memcg *memcg = ctx_memcg(ctx);
	int nid;

#define NODE_STAT(name, unit)                                                                  \
	seq_puts(s, #name);                                                                    \
	for (nid = 0; nid < e->cfg.nr_nodes; nid++)                                            \
		seq_printf(s, " N%d=%llu", nid,                                                \
			   stat_value(memcg_node_stat(memcg, nid, NR_##name, false), unit));  \
	seq_puts(s, "\n");
#define MEMCG_STAT(name, unit)
#define SUM_STAT(name)
#define HIDDEN_STAT(name, unit)
#include "engine/memory_stat.def"
#undef NODE_STAT
#undef MEMCG_STAT
#undef SUM_STAT
#undef HIDDEN_STAT
	return 0;
}

static int cft_oom_group_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_printf(s, "%d\n", ctx_memcg(ctx)->oom_group);
	return 0;
}

static int cft_oom_group_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int ret, v;

	ret = kstrtoint(strstrip(buf), 0, &v);
	if (ret)
		return ret;
	if (v != 0 && v != 1)
		return -EINVAL;
	ctx_memcg(ctx)->oom_group = v;
	return 0;
}

static int cft_zswap_writeback_show(struct cft_ctx *ctx, struct seqbuf *s)
{
	seq_printf(s, "%d\n", ctx_memcg(ctx)->zswap_writeback);
	return 0;
}

static int cft_zswap_writeback_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int ret, v;

	ret = kstrtoint(strstrip(buf), 0, &v);
	if (ret)
		return ret;
	if (v != 0 && v != 1)
		return -EINVAL;
	ctx_memcg(ctx)->zswap_writeback = v;
	return 0;
}

static uint64_t cft_zswap_current_read(struct cft_ctx *ctx)
{
	return (uint64_t)stat_value(memcg_stat(ctx_memcg(ctx), MEMCG_zswap, false), PAGES);
}

/*
 * memory.reclaim: "<size>[ swappiness=N|swappiness=max]". Every token is
 * checked before anything is reclaimed.
 */
static int cft_reclaim_write(struct cft_ctx *ctx, char *buf, size_t nbytes)
{
	int swappiness = -1, ret;
	const char *end;
	char *tok, *rest;
	unsigned long nr_pages;
	uint64_t before;

	buf = strstrip(buf);
	nr_pages = (unsigned long)(memparse(buf, &end) / PAGE_SIZE);
	if (end == buf)
		return -EINVAL;
	rest = strstrip((char *)end);
	while ((tok = strsep(&rest, " ")) != NULL) {
		int v;

		if (!*tok)
			continue;
		if (!strcmp(tok, "swappiness=max")) {
			swappiness = SWAPPINESS_ANON_ONLY;
		} else if (!strncmp(tok, "swappiness=", 11)) {
			if (kstrtoint(tok + 11, 0, &v) || v < MIN_SWAPPINESS || v > MAX_SWAPPINESS)
				return -EINVAL;
			swappiness = v;
		} else {
			return -EINVAL;
		}
	}
	if (!nr_pages)
		return 0;
	/* the writer reclaims: as long as the reclaim takes, as on the kernel */
	before = ctx->engine->reclaim_ns;
	ret = memcg_proactive_reclaim(ctx->engine, ctx_memcg(ctx), nr_pages, swappiness);
	ctx->busy_ns = ctx->engine->reclaim_ns - before;
	return ret;
}

const struct cftype memory_files[] = {
	{
		.name = "memory.current",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.private = SEL_MEMORY,
		.read_u64 = cft_usage_read,
	},
	{
		.name = "memory.min",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_MIN,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.low",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_LOW,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.high",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_HIGH,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.max",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_MAX,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.peak",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.private = SEL_MEMORY,
		.seq_show = cft_peak_show,
		.write = cft_peak_write,
		.release = cft_peak_release,
	},
	{
		.name = "memory.events",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.private = 0,
		.seq_show = cft_events_show,
		.generation = cft_events_generation,
		.notify = NOTIFY_MEMORY_EVENTS,
	},
	{
		.name = "memory.events.local",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.private = 1,
		.seq_show = cft_events_show,
		.generation = cft_events_generation,
		.notify = NOTIFY_MEMORY_EVENTS_LOCAL,
	},
	{
		.name = "memory.stat",
		.flags = CFT_MEMORY,
		.seq_show = cft_stat_show,
	},
	{
		.name = "memory.numa_stat",
		.flags = CFT_MEMORY,
		.seq_show = cft_numa_stat_show,
	},
	{
		.name = "memory.oom.group",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.seq_show = cft_oom_group_show,
		.write = cft_oom_group_write,
	},
	{
		.name = "memory.reclaim",
		.flags = CFT_MEMORY,
		.write = cft_reclaim_write,
	},
	{ }	/* terminate */
};

const struct cftype swap_files[] = {
	{
		.name = "memory.swap.current",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.private = SEL_SWAP,
		.read_u64 = cft_usage_read,
	},
	{
		.name = "memory.swap.high",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_SWAP_HIGH,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.swap.max",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_SWAP_MAX,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.swap.peak",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.private = SEL_SWAP,
		.seq_show = cft_peak_show,
		.write = cft_peak_write,
		.release = cft_peak_release,
	},
	{
		.name = "memory.swap.events",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.seq_show = cft_swap_events_show,
		.generation = cft_swap_events_generation,
		.notify = NOTIFY_MEMORY_SWAP_EVENTS,
	},
	{
		.name = "memory.zswap.current",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT,
		.read_u64 = cft_zswap_current_read,
	},
	{
		.name = "memory.zswap.max",
		.flags = CFT_MEMORY | CFT_NOT_ON_ROOT | CFT_SETTING,
		.private = TUNE_ZSWAP_MAX,
		.seq_show = cft_tunable_show,
		.write = cft_tunable_write,
	},
	{
		.name = "memory.zswap.writeback",
		.flags = CFT_MEMORY | CFT_SETTING,
		.seq_show = cft_zswap_writeback_show,
		.write = cft_zswap_writeback_write,
	},
	{ }	/* terminate */
};
