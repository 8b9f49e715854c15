/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The memory controller state of one cgroup (the kernel's struct mem_cgroup):
 * page counters, events, statistics, per-fd peak watchers, tunables; and the
 * simulated tasks' membership and holdings (struct memcg_task,
 * struct memcg_holding) that charges, reclaim and the OOM killer work on.
 *
 * Memory is modelled as page counts per (memcg, node, LRU list), never one
 * object per page.
 *
 * Context: every function needs engine->lock held.
 */
#ifndef MEMCGFS_MEMCG_H
#define MEMCGFS_MEMCG_H

#include <stdbool.h>
#include <stdint.h>

#include "common/list.h"
#include "engine/engine.h"
#include "engine/page_counter.h"

#define MEMCG_CHARGE_BATCH 64UL
#define MAX_RECLAIM_RETRIES 16
#define MEMCG_MAX_NODES 64
#define THREAD_SIZE_PAGES 4	/* x86_64's 16 KiB kernel stack */
#define MEMCG_PERCPU_PAGES 3	/* a memcg's per-CPU data, 2 CPUs */
#define HPAGE_PMD_NR 512	/* pages in a transparent huge page (2M) */

enum memcg_node_stat_item {
#define NODE_STAT(name, unit) NR_##name,
#define MEMCG_STAT(name, unit)
#define SUM_STAT(name)
#define HIDDEN_STAT(name, unit)
#include "engine/memory_stat.def"
#undef NODE_STAT
#undef MEMCG_STAT
#undef SUM_STAT
#undef HIDDEN_STAT
	NR_MEMCG_NODE_STAT_ITEMS
};

enum memcg_stat_item {
#define NODE_STAT(name, unit)
#define MEMCG_STAT(name, unit) MEMCG_##name,
#define SUM_STAT(name)
#define HIDDEN_STAT(name, unit) MEMCG_##name,
#include "engine/memory_stat.def"
#undef NODE_STAT
#undef MEMCG_STAT
#undef SUM_STAT
#undef HIDDEN_STAT
	NR_MEMCG_STAT_ITEMS
};

enum memcg_memory_event {
#define MEMORY_EVENT(id, key) MEMCG_##id,
#define SWAP_EVENT(id, key) MEMCG_##id,
#include "engine/memory_events.def"
#undef MEMORY_EVENT
#undef SWAP_EVENT
	MEMCG_NR_MEMORY_EVENTS
};

/* The kinds of memory a simulated task can hold. */
enum memcg_page_type {
	PAGE_KSTACK,		/* the task's kernel stack, charged when it starts */
	PAGE_ANON,
	PAGE_FILE,
	PAGE_SHMEM,
	PAGE_KMEM,
	PAGE_SOCK,
	NR_PAGE_TYPES
};

/* One fd of memory.peak or memory.swap.peak that has been written. */
struct memcg_peak_fd {
	struct list_head node;
	unsigned long value;
};

/* v1 cgroup.event_control registrations */
struct memcg_threshold {
	unsigned long threshold;	/* pages */
	void *cookie;
};

struct memcg_threshold_ary {
	struct memcg_threshold *entries;
	int size;
	int current;			/* largest index with threshold <= usage, or -1 */
};

enum vmpressure_level {
	VMPRESSURE_LOW,
	VMPRESSURE_MEDIUM,
	VMPRESSURE_CRITICAL,
};

enum vmpressure_mode {
	VMPRESSURE_NO_PASSTHROUGH,	/* "default" */
	VMPRESSURE_HIERARCHY,
	VMPRESSURE_LOCAL,
};

struct memcg_event {
	struct list_head node;
	void *cookie;
	enum vmpressure_level level;	/* pressure listeners */
	enum vmpressure_mode mode;
};

struct memcg_stats {
	long memcg[NR_MEMCG_STAT_ITEMS];
	long node[][NR_MEMCG_NODE_STAT_ITEMS];	/* engine->cfg.nr_nodes rows */
};

struct memcg {
	struct list_head all_node;	/* in engine->memcgs */
	struct memcg *parent;		/* holds a reference */
	struct cgroup *cgroup;		/* NULL once offline */
	bool online;
	bool cgroup_removed;		/* died with its cgroup (rmdir), not by -memory */
	int refcnt;			/* the cgroup, holdings, open files */
	/*
	 * Dying memcgs below whose nearest online ancestor this one is, and
	 * how many of them died with their cgroup: what cgroup.stat counts for
	 * this memcg's cgroup and its ancestors (see cgroup_stat()).
	 */
	int nr_dying_below;
	int nr_dying_removed_below;

	struct page_counter memory;
	struct page_counter swap;	/* v2 */
	struct page_counter memsw;	/* v1 */
	struct page_counter kmem;	/* v1 */
	struct page_counter tcpmem;	/* v1 */
	unsigned long soft_limit;	/* v1 */
	unsigned long zswap_max;
	bool zswap_writeback;

	bool oom_group;
	int swappiness;			/* v1 */
	bool oom_kill_disable;		/* v1 */
	int under_oom;			/* v1: depth of OOM waits in this subtree */

	unsigned long events[MEMCG_NR_MEMORY_EVENTS];		/* hierarchical */
	unsigned long events_local[MEMCG_NR_MEMORY_EVENTS];
	/* change counters of memory.events, memory.events.local, memory.swap.events (for poll) */
	uint64_t events_gen, events_local_gen, swap_events_gen;

	/* statistics: local, and hierarchical (self plus descendants) */
	struct memcg_stats *stat_local;
	struct memcg_stats *stat;

	struct list_head peak_fds;	/* struct memcg_peak_fd */
	struct list_head swap_peak_fds;

	struct list_head holdings;	/* struct memcg_holding.memcg_node */

	/*
	 * mem_cgroup_alloc() charges a new memcg's per-CPU statistics to its
	 * parent (set_active_memcg(parent)): 12 KiB on the 2-CPU machine the
	 * v1 probe ran on. Freed with the memcg, into the parent's stock.
	 */
	unsigned long charged_to_parent;

	/* since when it has had dirty pages (0: none), for dirty_expire */
	uint64_t dirty_since_ns;

	/* of the inactive anon pages on each node, how many were used since last scanned */
	unsigned long *anon_referenced;

	/* reclaim of this subtree resumes after this cgroup id (mem_cgroup_iter's cookie) */
	uint64_t reclaim_pos;

	/* v1 notifications */
	struct memcg_threshold_ary thresholds[2];	/* memory, memsw */
	struct list_head oom_events;		/* struct memcg_event */
	struct list_head pressure_events;	/* struct memcg_event */
	unsigned long vmpr_scanned, vmpr_reclaimed;
	unsigned long nr_page_events;		/* pages charged and uncharged */
	unsigned long next_thresh_event, next_softlimit_event;

	/* v1 soft limit tree entries, one per node (engine->cfg.nr_nodes) */
	struct memcg_soft_node *soft;

	/*
	 * Pages of real processes here, per node and type: counted in the
	 * statistics of their type but on the unevictable list, as mlocked
	 * pages are, since reclaim in the simulation cannot take them.
	 */
	unsigned long (*unevictable)[NR_PAGE_TYPES];
};

/*
 * A memcg's place in one node's soft limit tree. The tree is kept as flags
 * and keys: updating is O(1) per ancestor on the charge path, and only
 * global reclaim, which is rare, scans for the largest excess.
 */
struct memcg_soft_node {
	bool on_tree;
	unsigned long excess;		/* usage - soft_limit, pages, when inserted */
	uint64_t seq;			/* insertion order: equal keys, later wins */
};

/*
 * What one task holds charged to one memcg. A task that moves keeps its old
 * holdings where they were charged, as in the kernel; new charges go to the
 * memcg of its new cgroup.
 */
struct memcg_holding {
	struct memcg *memcg;		/* holds a reference */
	struct memcg_task *task;
	struct list_head task_node;
	struct list_head memcg_node;
	int nid;
	unsigned long resident[NR_PAGE_TYPES];	/* charged to memory */
	unsigned long swapped_anon;	/* anon in swap, charged to swap */
	unsigned long swapped_shmem;
	unsigned long thp_anon;		/* of resident[PAGE_ANON]: in huge pages */
	unsigned long dirty;		/* of resident[PAGE_FILE]: written, not yet on the disk */
	unsigned long writeback;	/* of resident[PAGE_FILE]: on their way to the disk */
};

/* What a task asked of transparent huge pages for its anon memory. */
enum task_thp {
	TASK_THP_DEFAULT,	/* nothing: the system's setting decides */
	TASK_THP_MADVISE,	/* madvise(MADV_HUGEPAGE) */
	TASK_THP_NEVER,		/* prctl(PR_SET_THP_DISABLE) */
};

/*
 * A process in the tree: a simulated task, or a live process of the host
 * whose resident memory src/alloc/realproc.c samples and charges.
 */
struct memcg_task {
	int pid;
	bool real;			/* a live process of the host */
	bool stopped;			/* real: last seen stopped (state T), for frozen */
	bool oom_victim;		/* chosen by the OOM killer, not yet reaped */
	bool dead;
	int oom_score_adj;
	int nid;			/* NUMA node it allocates on */
	enum task_thp thp;		/* its madvise()/prctl() for huge pages */
	struct cgroup *cgroup;
	struct list_head cgroup_node;
	struct list_head holdings;	/* struct memcg_holding.task_node */
	unsigned long nr_pages_over_high;	/* charged since last throttling check */
	struct memcg *oom_wait;		/* v1: waiting on this memcg's OOM (a reference) */
	uint64_t oom_wait_since_ns;
	struct list_head oom_wait_node;	/* in engine->oom_waiters */
	uint64_t throttle_until_ns;		/* memory.high penalty */
};

int memcg_create(struct engine *e, struct memcg *parent, struct cgroup *cg, struct memcg **out);
/** memcg_offline() - the cgroup went away; min/low reset, stock drained. */
void memcg_offline(struct engine *e, struct memcg *memcg);
/** memcg_inherit() - copy what mkdir copies from the parent (v1 knobs). */
void memcg_inherit(struct memcg *memcg, const struct memcg *parent);
void memcg_get(struct memcg *memcg);
void memcg_put(struct engine *e, struct memcg *memcg);
/** memcg_free() - free now, whatever the references (engine teardown). */
void memcg_free(struct engine *e, struct memcg *memcg);

static inline bool memcg_is_root(const struct memcg *memcg)
{
	return !memcg->parent;
}

/* events and statistics */
void memcg_memory_event(struct engine *e, struct memcg *memcg, enum memcg_memory_event event);

/* Statistics move on the charge and reclaim paths: inline, a store per level. */
static inline void memcg_mod_node_stat(struct memcg *memcg, int nid, enum memcg_node_stat_item item,
				       long delta)
{
	memcg->stat_local->node[nid][item] += delta;
	for (; memcg; memcg = memcg->parent)
		memcg->stat->node[nid][item] += delta;
}

static inline void memcg_mod_stat(struct memcg *memcg, enum memcg_stat_item item, long delta)
{
	memcg->stat_local->memcg[item] += delta;
	for (; memcg; memcg = memcg->parent)
		memcg->stat->memcg[item] += delta;
}

static inline long memcg_node_stat(const struct memcg *memcg, int nid, enum memcg_node_stat_item item,
				   bool local)
{
	return (local ? memcg->stat_local : memcg->stat)->node[nid][item];
}

static inline long memcg_stat(const struct memcg *memcg, enum memcg_stat_item item, bool local)
{
	return (local ? memcg->stat_local : memcg->stat)->memcg[item];
}

/**
 * memcg_account_pages() - statistics and the machine's RAM use for @nr_pages
 * of @type becoming resident (positive) or leaving (negative) in @memcg on
 * @nid. New pages start on the inactive LRU lists.
 */
void memcg_account_pages(struct engine *e, struct memcg *memcg, int nid, enum memcg_page_type type, long nr_pages);
/**
 * memcg_account_unevictable() - as memcg_account_pages(), for pages of a
 * real process: counted in their type, kept on the unevictable list.
 */
void memcg_account_unevictable(struct engine *e, struct memcg *memcg, int nid, enum memcg_page_type type,
			       long nr_pages);
/** memcg_activate() - @nr_pages used again move to the active list (pgactivate). */
void memcg_activate(struct memcg *memcg, int nid, bool file, unsigned long nr_pages);

/* peak files */
unsigned long memcg_peak_read(const struct page_counter *c, const struct memcg_peak_fd *fd);
void memcg_peak_reset(struct page_counter *c, struct list_head *fds, struct memcg_peak_fd *fd);

/* usage as the files show it (the v1 root shows a machine-wide approximation) */
unsigned long memcg_usage(const struct engine *e, const struct memcg *memcg, bool swap);

#endif
