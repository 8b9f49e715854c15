/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Hierarchical page counters, the kernel's mm/page_counter.c model: a charge
 * walks from a counter up to the root and is rolled back when any level would
 * pass its max. Protection (min/low) usage is propagated to the parent so
 * that effective protection can be computed top-down during reclaim.
 *
 * Not thread safe: every function needs the engine lock held by the caller.
 */
#ifndef MEMCGFS_PAGE_COUNTER_H
#define MEMCGFS_PAGE_COUNTER_H

#include <stdbool.h>
#include "engine/memparse.h"

struct page_counter {
	unsigned long usage;
	unsigned long max;
	unsigned long high;
	unsigned long min;
	unsigned long low;

	/* effective protection, recomputed during each reclaim walk */
	unsigned long emin;
	unsigned long elow;

	/* protected usage as reported to the parent, and the children's sum */
	unsigned long min_usage;
	unsigned long low_usage;
	unsigned long children_min_usage;
	unsigned long children_low_usage;

	unsigned long watermark;	/* never reset on v2 */
	unsigned long local_watermark;	/* reset by memory.peak writes */
	unsigned long failcnt;

	bool track_failcnt;		/* only the v1 memory counter */
	bool protection_support;	/* only the v2 memory counter */
	struct page_counter *parent;
};

void page_counter_init(struct page_counter *c, struct page_counter *parent,
		       bool protection_support);

/**
 * page_counter_try_charge() - charge @nr_pages to @c and its ancestors.
 * @fail: set to the counter whose max would be exceeded.
 * Return: true when charged; false, with nothing charged, otherwise.
 */
bool page_counter_try_charge(struct page_counter *c, unsigned long nr_pages,
			     struct page_counter **fail);

/** page_counter_charge() - charge unconditionally, ignoring max. */
void page_counter_charge(struct page_counter *c, unsigned long nr_pages);

/**
 * page_counter_cancel_local() - drop @nr_pages from @c alone, not its
 * ancestors: the pages now belong to the parent, which already counts them.
 */
void page_counter_cancel_local(struct page_counter *c, unsigned long nr_pages);

/** page_counter_uncharge() - release @nr_pages from @c and its ancestors. */
void page_counter_uncharge(struct page_counter *c, unsigned long nr_pages);

/**
 * page_counter_set_max() - set the limit unless usage is above it (v1 resize).
 * Return: 0 or -EBUSY.
 */
int page_counter_set_max(struct page_counter *c, unsigned long nr_pages);
void page_counter_set_min(struct page_counter *c, unsigned long nr_pages);
void page_counter_set_low(struct page_counter *c, unsigned long nr_pages);

/** page_counter_reset_watermark() - both watermarks := usage (v1 write). */
void page_counter_reset_watermark(struct page_counter *c);

/**
 * page_counter_calculate_protection() - compute @c's emin and elow relative
 * to the reclaim root @root, from its parent's (already computed) values.
 * @recursive_protection: the memory_recursiveprot mount option.
 */
void page_counter_calculate_protection(struct page_counter *root, struct page_counter *c,
				       bool recursive_protection);

static inline unsigned long page_counter_margin(const struct page_counter *c)
{
	return c->usage < c->max ? c->max - c->usage : 0;
}

#endif
