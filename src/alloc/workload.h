/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What a simulated task does over simulated time: hold what it allocated,
 * ramp up at a rate, leak without end, churn (allocate, free, allocate...
 * every period), stream a file larger than memory through the page cache,
 * use its anon memory again (reading back what went to swap), or write a
 * file (dirty page cache). A workload drives one kind of memory.
 *
 * Context: engine->lock held.
 */
#ifndef MEMCGFS_WORKLOAD_H
#define MEMCGFS_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/memcg.h"

enum workload_kind {
	WORKLOAD_HOLD,		/* allocate @size at once, then hold it */
	WORKLOAD_RAMP,		/* grow at @rate up to @size, then hold */
	WORKLOAD_LEAK,		/* grow at @rate, without end */
	WORKLOAD_CHURN,		/* every @period: allocate @size, or free it again */
	WORKLOAD_STREAM,	/* read a file of @size over and over at @rate */
	WORKLOAD_TOUCH,		/* allocate @size of anon, then use it again at @rate */
	WORKLOAD_WRITE,		/* write a file of @size at @rate, then keep it */
	NR_WORKLOADS
};

struct workload {
	enum workload_kind kind;
	enum memcg_page_type type;	/* stream: always PAGE_FILE */
	unsigned long size;		/* pages */
	unsigned long rate;		/* pages per simulated second */
	uint64_t period_ns;

	/* progress */
	uint64_t last_ns;		/* simulated time of the last advance */
	uint64_t carry;			/* page fractions (rate * ns) not yet whole */
	unsigned long done;		/* ramp: pages asked for; stream: pages read */
	bool churn_held;		/* churn: the last period allocated */
};

extern const char *const workload_names[NR_WORKLOADS];
/* the kinds of memory by the names memcgctl and scenarios use; the kernel stack has none */
extern const char *const page_type_names[NR_PAGE_TYPES];
/* what an error message offers */
#define WORKLOAD_CHOICES "hold, ramp, leak, churn, stream, touch or write"

/* a task's THP choice by the names memcgctl and scenarios use ("madvise", "never"); 0: none */
extern const char *const task_thp_names[];
/** task_thp_parse() - "madvise" or "never". Return: 0 or -EINVAL. */
int task_thp_parse(const char *name, enum task_thp *thp);

/** workload_parse_kind() - "hold", "ramp", ... Return: 0 or -EINVAL. */
int workload_parse_kind(const char *name, enum workload_kind *kind);

/**
 * workload_validate() - does @wl make sense (a rate where one is needed, a
 * period for churn, a size for ramp/churn/stream)?
 * Return: NULL, or what is wrong, for the user.
 */
const char *workload_validate(const struct workload *wl);

/** workload_active() - does it still do something as time passes? */
bool workload_active(const struct workload *wl);

struct sim_task;
struct alloc;

/**
 * workload_advance() - move @t's workload to simulated time @now: add to
 * what it must still charge, free what churn gives back, count the page
 * cache a stream re-reads (refaults) or finds resident (activations).
 */
void workload_advance(struct alloc *a, struct sim_task *t, uint64_t now);

/**
 * workload_next_ns() - when the workload next gives its task a batch to
 * allocate (MEMCG_CHARGE_BATCH pages with the @pending it has; a stream:
 * that many pages read), or a churn period ends. Return: a simulated
 * time after the last advance, or UINT64_MAX when the workload is done.
 */
uint64_t workload_next_ns(const struct workload *wl, unsigned long pending);

#endif
