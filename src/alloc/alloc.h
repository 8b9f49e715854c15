/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The simulated machine's processes: a table of tasks with fake pids that
 * never collide with a live pid (they start above the kernel's PID_MAX_LIMIT),
 * each with memory still to allocate, and the real processes whose pids
 * were written to a cgroup.procs file, watched through pidfds so they leave
 * the tree when they exit. The allocator owns the engine it drives and is
 * the engine's ops (OOM kills and cgroup.kill land here).
 *
 * Context: functions named *_locked need engine->lock held; the others take
 * it themselves.
 */
#ifndef MEMCGFS_ALLOC_H
#define MEMCGFS_ALLOC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/memcg.h"
#include "alloc/workload.h"
#include "alloc/cred.h"
#include "alloc/realproc.h"

#define SIM_PID_BASE 4194305	/* PID_MAX_LIMIT + 1: no live pid is this high */

/* How a task's life ended, as `memcgctl spawn --wait` reports it. */
enum task_outcome {
	TASK_RUNNING,
	TASK_CHARGED,		/* everything asked for is charged */
	TASK_OOM_KILLED,
	TASK_KILLED,		/* memcgctl kill, cgroup.kill */
	TASK_CHARGE_FAILED,	/* the charge could not be made, nobody to kill */
};

struct sim_task;

/* Called, with the engine lock held, when a waited-for request settles. */
typedef void (*task_waiter_fn)(void *arg, int pid, enum task_outcome outcome);

struct task_waiter {
	task_waiter_fn fn;
	void *arg;
};

#define PENDING_SWAPIN NR_PAGE_TYPES		/* anon to read back from swap */
#define PENDING_DIRTY (NR_PAGE_TYPES + 1)	/* page cache to write: charged, then dirtied */
#define NR_PENDING (NR_PAGE_TYPES + 2)

struct sim_task {
	struct memcg_task mt;
	struct sim_task *hash_next;
	struct list_head all_node;		/* in alloc->tasks */
	/* pages still to charge, by type, then PENDING_SWAPIN and PENDING_DIRTY */
	unsigned long pending[NR_PENDING];
	uint64_t touch_frac;			/* of a page to swap in, 32.32 fixed point */
	unsigned long thp_fallback;		/* anon of a 2M region that got no huge page */
	struct workload wl;
	int pidfd;				/* real processes only */
	struct realproc_task rp;		/* real processes only */
	struct list_head real_node;		/* in alloc->real_tasks */
	struct task_waiter waiter;		/* at most one, for --wait */
	uint64_t wake_ns;			/* nothing to do before this simulated time */
	enum task_outcome outcome;
};

struct alloc {
	struct engine *engine;
	struct engine_ops ops;
	int next_pid;
	int next_nid;
	int epoll_fd;			/* the pidfds of real processes */
	unsigned long nr_tasks;
	struct list_head tasks;
	struct sim_task **hash;
	unsigned long hash_size;
	uint64_t next_wake_ns;		/* the earliest wake_ns of a task */
	struct list_head real_tasks;	/* the live processes among tasks */
	/* the sampler of real processes (realproc.c) */
	pthread_t realproc_thread;
	int realproc_stop_fd;
	bool realproc_running;
	/* a real clock: simulated time is monotonic time since this start */
	bool real_clock;
	uint64_t clock_start_ns;
};

/* A wake time that never comes: the task waits for a request. */
#define ALLOC_WAKE_NEVER UINT64_MAX

int alloc_create(const struct engine_config *cfg, struct alloc **out);
void alloc_destroy(struct alloc *a);

/**
 * alloc_clock_start() - simulated time follows the monotonic clock from
 * now on (a real clock); without this call it moves only when told
 * (alloc_advance_locked(), a manual clock).
 */
void alloc_clock_start(struct alloc *a);
/**
 * alloc_clock_sync_locked() - on a real clock, bring the engine's time up
 * to now, so that what is charged or shown now (a stall that began, a
 * pressure total) is counted at the time it happens.
 */
void alloc_clock_sync_locked(struct alloc *a);

struct sim_task *alloc_find_locked(struct alloc *a, int pid);

/**
 * alloc_spawn_locked() - a new simulated task in @cg that will allocate
 * @pages (per type); it runs on the next alloc_run_locked().
 * Return: 0 or -EBUSY (no-internal-process rule), -ENOMEM.
 */
int alloc_spawn_locked(struct alloc *a, struct cgroup *cg, const unsigned long pages[NR_PAGE_TYPES],
		       int oom_score_adj, struct sim_task **out);
/**
 * alloc_set_workload_locked() - give a task just spawned a workload other
 * than holding what it asked for. Return: 0, or -EINVAL (see
 * workload_validate() for why).
 */
int alloc_set_workload_locked(struct alloc *a, struct sim_task *t, const struct workload *wl);

/**
 * sim_task_touch_anon() - @t uses @nr_pages of its anon memory again, spread
 * over all of it: resident pages are activated, the share in swap is read
 * back by its next run (memcg_task_swapin()).
 */
void sim_task_touch_anon(struct sim_task *t, unsigned long nr_pages);

/** alloc_more_locked() - the task allocates more. Return: 0 or -ESRCH. */
int alloc_more_locked(struct alloc *a, int pid, const unsigned long pages[NR_PAGE_TYPES]);
/** alloc_free_locked() - the task frees memory. Return: 0 or -ESRCH. */
int alloc_free_locked(struct alloc *a, int pid, const unsigned long pages[NR_PAGE_TYPES]);
/** alloc_kill_locked() - the task exits. Return: 0 or -ESRCH. */
int alloc_kill_locked(struct alloc *a, int pid);

/**
 * alloc_tgid_of() - the thread group (process) of a live thread id, from
 * /proc: cgroup.procs moves processes, and FUSE names the calling thread.
 * Return: the tgid, or @pid itself when /proc does not know it.
 */
int alloc_tgid_of(int pid);

/** alloc_pid_exists() - is @pid a live process of the host? */
bool alloc_pid_exists(int pid);

/*
 * A process written to cgroup.procs, looked up before anything is decided:
 * a simulated task, or a live process with its credentials, read through a
 * pidfd so that a pid reused meanwhile cannot stand in for it.
 */
struct alloc_target {
	int pid;			/* the process (a thread's thread group) */
	struct sim_task *task;		/* its entry, if the tree has one */
	bool real;			/* a live process: @cred is its */
	struct task_cred cred;
	int pidfd;			/* a live process new to the tree, else -1 */
	/* who puts it there (a live process): its children follow only if he could signal them */
	const struct task_cred *holder;
};

/**
 * alloc_target_get_locked() - find what @pid names.
 * Return: 0 (release with alloc_target_put()), -ESRCH (no such task, or a
 * simulated one that died), -EINVAL (a kernel thread, as
 * cgroup_procs_write_start() refuses one).
 */
int alloc_target_get_locked(struct alloc *a, int pid, struct alloc_target *t);

/**
 * alloc_target_attach_locked() - move @t into @cg: a simulated task moves
 * (its charges stay), a live process is recorded and watched through the
 * pidfd @t holds. Return: 0, -EBUSY (no-internal-process rule), -ENOMEM.
 */
int alloc_target_attach_locked(struct alloc *a, struct cgroup *cg, struct alloc_target *t);

/** alloc_target_put() - release what alloc_target_get_locked() took. */
void alloc_target_put(struct alloc_target *t);

/**
 * alloc_attach_locked() - look @pid up and move it into @cg, with no
 * permission check (the daemon's own moves, tests).
 * Return: as alloc_target_get_locked() and alloc_target_attach_locked().
 */
int alloc_attach_locked(struct alloc *a, struct cgroup *cg, int pid);

/**
 * alloc_may_signal() - may memcgfs hold (charge, stop, kill) the live
 * process @pid for someone with @writer's credentials? Only if the writer
 * could signal it itself (task_cred_may_signal()). Call it for every
 * process that enters the tree for someone: a child following a member
 * that became another user's (a setuid program) must stay out.
 * @pidfd: a pidfd of @pid, or -1 (then a reused pid may be misjudged).
 * Return: 0, -EPERM, or -ESRCH (gone).
 */
int alloc_may_signal(const struct task_cred *writer, int pid, int pidfd);

/**
 * alloc_run_locked() - every task whose time has come allocates what it
 * still has to, unless throttled by memory.high until a later time.
 * Settled waiters are called.
 */
void alloc_run_locked(struct alloc *a);

/**
 * alloc_advance_locked() - move the simulated clock to @until_ns, running
 * the tasks at each time one of them wakes on the way (manual clock).
 * Return: true when there; false when @max_runs runs on the way were not
 * enough (call again to go on).
 */
bool alloc_advance_locked(struct alloc *a, uint64_t until_ns, unsigned int max_runs);

/** alloc_wake_locked() - @t has something new to do (a waiter, more pages): run it next. */
void alloc_wake_locked(struct alloc *a, struct sim_task *t);

/** alloc_reap_locked() - free tasks that died and tell their waiters. */
void alloc_reap_locked(struct alloc *a);

/** alloc_reap_exited_locked() - drop real processes whose pidfd says they exited. */
void alloc_reap_exited_locked(struct alloc *a);

/*
 * The grid running workloads wake on: often enough for a smooth ramp,
 * seldom enough that a thousand tasks cost a hundred runs a second.
 */
#define WORKLOAD_TICK_NS 10000000ULL

/**
 * alloc_next_wakeup_locked() - when something next happens without a
 * request: the earliest throttle end or workload wake, or ALLOC_WAKE_NEVER.
 */
uint64_t alloc_next_wakeup_locked(struct alloc *a);

#endif
