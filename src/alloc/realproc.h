/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Real processes in the tree: a sampler reads each one's resident memory
 * from /proc/PID/status (RssAnon, RssFile, RssShmem) and charges or
 * uncharges the difference through the engine's charge path, so limits,
 * events, peaks, statistics and the OOM killer see it. It also stops
 * (SIGSTOP) a process for as long as the kernel would hold it: a
 * memory.high penalty, a v1 OOM wait, a charge that cannot be made, a
 * frozen cgroup; and brings the children a member forks into its cgroup.
 *
 * It samples every REALPROC_PERIOD_NS from its own thread, and the members
 * of a cgroup right before one of its files is rendered.
 *
 * Context: functions named *_locked need engine->lock held.
 */
#ifndef MEMCGFS_REALPROC_H
#define MEMCGFS_REALPROC_H

#include <stdbool.h>
#include <stdint.h>

#include "common/clock.h"
#include "alloc/cred.h"
#include "engine/memcg.h"

#define REALPROC_PERIOD_NS 50000000ULL	/* 50 ms */

struct alloc;
struct sim_task;
struct cgroup;

/* What the sampler keeps for one real process (in its struct sim_task). */
struct realproc_task {
	int status_fd;			/* /proc/PID/status: bound to the process, not the pid; -1: by path */
	int adj_fd;			/* /proc/PID/oom_score_adj */
	struct task_cred holder;	/* who put it in the tree (has_holder) */
	bool has_holder;		/* else memcgfs itself: its children follow freely */
	bool stop_sent;			/* memcgfs sent SIGSTOP and owes a SIGCONT */
	bool charge_blocked;		/* growth not charged: held as in its page fault */
	uint64_t throttle_end_ns;	/* CLOCK_MONOTONIC end of a memory.high penalty */
	uint64_t joined_ticks;		/* when it joined, in /proc/PID/stat starttime's clock */
};

/* One reading of /proc/PID/status. */
struct realproc_sample {
	unsigned long pages[NR_PAGE_TYPES];	/* PAGE_ANON, PAGE_FILE, PAGE_SHMEM */
	char state;				/* 'R', 'S', 'T', ... */
	int threads;
};

/**
 * realproc_parse_status() - the resident pages and state in the text of a
 * /proc/PID/status file.
 * Return: 0, or -ESRCH when the text has no State line (a process gone).
 */
int realproc_parse_status(const char *text, struct realproc_sample *out);

/** realproc_task_init() - a real process enters the tree: open its /proc files. */
void realproc_task_init(struct sim_task *t);
/** realproc_task_release() - it leaves: a stop it owes is undone, files closed. */
void realproc_task_release(struct sim_task *t);

/**
 * realproc_apply_locked() - charge @t for what @s found it holding: the
 * growth is charged (reclaim, OOM and memory.high as for a fault), the
 * shrinkage uncharged, and its stops follow.
 * @now_mono: CLOCK_MONOTONIC ns, for the end of a memory.high penalty.
 */
void realproc_apply_locked(struct alloc *a, struct sim_task *t, const struct realproc_sample *s,
			   uint64_t now_mono);

/**
 * realproc_enforce_locked() - send SIGSTOP or SIGCONT to each real process
 * whose reasons to be held changed (a cgroup.freeze write, an OOM wait that
 * ended, a penalty over). Return: the earliest CLOCK_MONOTONIC time a
 * penalty ends, or UINT64_MAX.
 */
uint64_t realproc_enforce_locked(struct alloc *a, uint64_t now_mono);

/**
 * realproc_sample_locked() - sample every real process in @cg's subtree
 * (@cg NULL: all of them), find their new children, and enforce stops.
 */
void realproc_sample_locked(struct alloc *a, struct cgroup *cg);

/** realproc_start() - the sampling thread. Return: 0 or a negative errno. */
int realproc_start(struct alloc *a);
/** realproc_stop() - end and join the thread (no-op when not started). */
void realproc_stop(struct alloc *a);

#endif
