/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The charge engine: one simulated machine with its cgroup tree. Everything
 * the engine knows lives under struct engine, guarded by engine->lock, which
 * the callers (fs, ctl, the allocator's ticker) take around every call; the
 * engine itself never locks, never sleeps, never prints and never reads the
 * clock: simulated time is handed in by the caller.
 *
 * Lock order: engine->lock is the only engine lock. No engine lock is held
 * across a fuse_reply_*() call.
 */
#ifndef MEMCGFS_ENGINE_H
#define MEMCGFS_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/list.h"

struct cgroup;
struct memcg;
struct memcg_task;

enum cgroup_mode {
	CGROUP_V2,
	CGROUP_V1,
};

/*
 * How the engine reaches the simulated tasks' owner (src/alloc) without
 * depending on it: the allocator hands these in at engine creation.
 */
struct engine_ops {
	/*
	 * The OOM killer chose @task. The callee must release the task's
	 * memory (memcg_task_release_all) and mark it dead; it may free the
	 * task only once the engine call that killed it has returned, which
	 * it learns from memcg_task->dead when its own charge fails.
	 */
	void (*oom_kill)(void *data, struct memcg_task *task);
	/*
	 * cgroup.kill: @task is killed. A simulated task exits as for
	 * oom_kill; a real process is sent SIGKILL through its pidfd.
	 */
	void (*kill)(void *data, struct memcg_task *task);
};

/*
 * How the engine signals the eventfds registered through v1's
 * cgroup.event_control without doing I/O itself: a registration is an
 * opaque cookie of the fs layer's.
 */
struct engine_event_ops {
	/* Signal once. Return: false when the registration is gone (its eventfd closed). */
	bool (*signal)(void *data, void *cookie);
	/* The engine forgets the cookie: free it. */
	void (*release)(void *data, void *cookie);
};

/*
 * The files the kernel notifies, by what they say rather than by name (the
 * cftypes tables name them: cftype.notify). 0 is no file.
 */
enum engine_notify_file {
	NOTIFY_NONE,
	NOTIFY_CGROUP_EVENTS,		/* cgroup.events */
	NOTIFY_MEMORY_EVENTS,		/* memory.events */
	NOTIFY_MEMORY_EVENTS_LOCAL,	/* memory.events.local */
	NOTIFY_MEMORY_SWAP_EVENTS,	/* memory.swap.events */
	NOTIFY_MEMORY_PRESSURE,		/* memory.pressure, when a PSI trigger fires */
	NR_NOTIFY_FILES
};

/*
 * A log of what happened, for memcgctl watch: a ring the engine appends to
 * and readers follow by sequence number. A reader that falls a whole ring
 * behind learns how many entries it lost.
 */
enum engine_log_kind {
	LOG_MEMORY_EVENT,	/* .event: enum memcg_memory_event, on the memcg it happened to */
	LOG_OOM_KILL,		/* .pid killed by the OOM killer */
	LOG_THROTTLE,		/* .pid sleeps .value ns for memory.high */
	LOG_THRESHOLD,		/* a v1 usage threshold of .value bytes was crossed */
};

struct engine_log_entry {
	uint64_t seq;
	uint64_t time_ns;
	uint64_t cgroup_id;	/* 0 when the cgroup is gone */
	uint64_t value;
	enum engine_log_kind kind;
	int event;
	int pid;
};

#define ENGINE_LOG_SIZE 4096

#define NSEC_PER_SEC 1000000000ULL

/* The simulated disk, for writeback and reads from swap: 100 MiB/s. */
#define DISK_PAGES_PER_SEC (100UL << 8)

/*
 * What reclaim costs the task that does it, per page scanned: 19 us a
 * small anon page, 8 us a page of a huge one, 7 us a page of page cache
 * (what 6.12 with its classic LRU took under kernel-vm's emulation:
 * tests/golden/dynamics/). Swap writes go to the swap device, a disk of
 * DISK_PAGES_PER_SEC of its own, without waiting, as pageout() does; a
 * reclaimer waits only for what the device is more than
 * SWAP_WRITE_BEHIND_NS behind on.
 */
#define RECLAIM_SCAN_ANON_NS 19000ULL
#define RECLAIM_SCAN_THP_NS 8000ULL
#define RECLAIM_SCAN_FILE_NS 7000ULL
#define SWAP_WRITE_BEHIND_NS 100000000ULL

/* /sys/kernel/mm/transparent_hugepage/enabled */
enum thp_mode {
	THP_NEVER,
	THP_MADVISE,		/* only memory a task madvise(MADV_HUGEPAGE)d */
	THP_ALWAYS,
};

struct engine_config {
	enum cgroup_mode mode;
	enum thp_mode thp;		/* anon faults in 2M pages where it applies */
	unsigned long ram_pages;
	unsigned long swap_pages;
	int nr_nodes;
	bool memory_recursiveprot;	/* cgroup2 mount option */
	bool memory_localevents;	/* cgroup2 mount option */
	bool memory_hugetlb_accounting;	/* cgroup2 mount option */
	/* the owner of the root and of cgroups made for nobody in particular */
	uint32_t owner_uid, owner_gid;
};

/*
 * The per-CPU charge stock of the kernel (memcg_stock_pcp), for one
 * simulated CPU: pages charged ahead for up to NR_MEMCG_STOCK memcgs.
 */
#define NR_MEMCG_STOCK 7

struct memcg_stock_slot {
	struct memcg *memcg;
	unsigned long nr_pages;
};

struct engine {
	pthread_mutex_t lock;
	struct engine_config cfg;
	struct cgroup *root;

	/* simulated time in nanoseconds, advanced by the caller */
	uint64_t now_ns;

	struct memcg_stock_slot stock[NR_MEMCG_STOCK];
	unsigned int stock_next;	/* slot to evict next when all are taken */

	unsigned long swap_used;	/* pages of swap in use, machine-wide */
	unsigned long nr_dirty;		/* dirty page cache, machine-wide */
	unsigned long nr_writeback;	/* page cache under writeback, machine-wide */
	uint64_t writeback_last_ns;	/* the disk and flusher have caught up to here */
	uint64_t writeback_carry;	/* a page's fraction of disk time, in ns * pages/s */
	uint64_t kupdate_last_ns;	/* the flusher's last look for expired dirty pages */
	unsigned long ram_used;		/* resident pages of every task, machine-wide */
	uint64_t reclaim_ns;		/* time spent in reclaim, ever: callers take differences */
	uint64_t swap_disk_until_ns;	/* the swap device is busy writing until then */
	uint64_t soft_seq;		/* soft limit tree insertion counter */
	int vm_swappiness;		/* global vm.swappiness */
	char release_agent[4096];	/* v1 root's release_agent (PATH_MAX) */

	struct list_head memcgs;	/* every memcg, online or dying */
	bool destroying;		/* engine_destroy() frees memcgs in any order */
	unsigned long nr_offline_memcgs;	/* dying, still in memcgs */
	struct list_head oom_waiters;	/* v1 tasks in an OOM wait (memcg_task.oom_wait_node) */

	unsigned long nr_freed_since_trim;	/* cgroups and memcgs; see engine_freed() */

	/* cgroups by id, for the fs layer's inode numbers */
	struct cgroup **by_id;
	uint64_t by_id_size;
	uint64_t next_id;

	const struct engine_ops *ops;
	void *ops_data;
	const struct engine_event_ops *event_ops;	/* NULL: nobody registers events */
	void *event_data;

	struct engine_log_entry log[ENGINE_LOG_SIZE];
	uint64_t log_seq;		/* entries ever appended */
	void (*log_wake)(void *data);	/* a reader may want to look (may be NULL) */
	void *log_wake_data;

	/* bumped by every change a saved state (--state) holds; see cgroup_state_changed() */
	uint64_t state_gen;

	/* an events file changed (cgroup_file_notify): the fs wakes its pollers */
	void (*file_changed)(void *data);
	void *file_changed_data;
	/* which file of which cgroup it was, for inotify (may be NULL); file_changed_data */
	void (*file_notify)(void *data, struct cgroup *cg, enum engine_notify_file file);

	/* PSI triggers written to the pressure files (psi_trigger.h) */
	struct list_head psi_triggers;

	/*
	 * A name or an attribute of the tree changed (see enum engine_node_change):
	 * the fs tells the kernel, which caches names and attributes until told.
	 * Called with the engine lock held: the callee may only queue. Whoever
	 * changed the tree outside a FUSE request calls engine_node_changes_sync()
	 * after dropping the lock, before it answers, so that what it answers
	 * about is already what the kernel shows.
	 */
	const struct engine_node_ops *node_ops;
	void *node_data;
};

enum engine_node_change {
	ENGINE_NODE_ADDED,	/* @cg is new: its parent's link count changed */
	ENGINE_NODE_REMOVED,	/* @cg (@name, under @parent) is gone */
	ENGINE_NODE_RENAMED,	/* @cg was @name under @parent */
	ENGINE_NODE_FILES,	/* @cg's files may be fewer (memory or pressure off) */
	ENGINE_NODE_ATTR,	/* the mode or owner of node @node of @cg */
	ENGINE_NODE_OWNER,	/* the owner of @cg and all its nodes */
};

struct engine_node_ops {
	void (*changed)(void *data, enum engine_node_change what, const struct cgroup *cg,
			const struct cgroup *parent, const char *name, unsigned int node);
	void (*sync)(void *data);
};

static inline void engine_file_changed(struct engine *e)
{
	if (e->file_changed)
		e->file_changed(e->file_changed_data);
}

/*
 * cgroup_file_notify()/kernfs_notify(): @file of @cg changed, as the
 * kernel raises inotify IN_MODIFY for it. Call engine_file_changed() too
 * (once, after a batch) to wake the pollers.
 */
static inline void engine_file_notify(struct engine *e, struct cgroup *cg, enum engine_notify_file file)
{
	if (e->file_notify && cg)
		e->file_notify(e->file_changed_data, cg, file);
}

/** engine_node_changed() - report a change of the tree's names or attributes. Context: engine lock. */
static inline void engine_node_changed(struct engine *e, enum engine_node_change what,
				       const struct cgroup *cg, const struct cgroup *parent,
				       const char *name, unsigned int node)
{
	if (e->node_ops)
		e->node_ops->changed(e->node_data, what, cg, parent, name, node);
}

/**
 * engine_node_changes_sync() - wait until the kernel was told of every change
 * reported so far. Context: no engine lock, and not in a FUSE request (the
 * kernel may hold a directory lock the request's caller took).
 */
static inline void engine_node_changes_sync(struct engine *e)
{
	const struct engine_node_ops *ops = e->node_ops;

	if (ops)
		ops->sync(e->node_data);
}

/** engine_log() - append one entry and wake the readers. */
void engine_log(struct engine *e, enum engine_log_kind kind, int event, uint64_t cgroup_id,
		int pid, uint64_t value);

/**
 * engine_create() - build a machine with an empty root cgroup.
 * Return: 0 or -ENOMEM; *out set on success.
 */
int engine_create(const struct engine_config *cfg, const struct engine_ops *ops,
		  void *ops_data, struct engine **out);
void engine_destroy(struct engine *e);
/**
 * engine_freed() - a cgroup or memcg was freed; now and then, give the
 * memory freed back to the system (malloc_trim()). Context: engine lock.
 */
void engine_freed(struct engine *e);

static inline void engine_lock(struct engine *e)
{
	pthread_mutex_lock(&e->lock);
}

static inline void engine_unlock(struct engine *e)
{
	pthread_mutex_unlock(&e->lock);
}

static inline unsigned long engine_ram_free(const struct engine *e)
{
	return e->ram_used < e->cfg.ram_pages ? e->cfg.ram_pages - e->ram_used : 0;
}

static inline unsigned long engine_swap_free(const struct engine *e)
{
	return e->cfg.swap_pages - e->swap_used;
}

#endif
