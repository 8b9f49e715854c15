// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Hierarchical page counters (see page_counter.h). Mirrors the semantics of
 * the kernel's mm/page_counter.c; the engine lock serializes everything, so
 * the kernel's atomics become plain arithmetic here.
 *
 * May include: libc, common/, memparse.h. Nothing else.
 */
#include <errno.h>

#include "engine/page_counter.h"
#include "common/macro.h"

void page_counter_init(struct page_counter *c, struct page_counter *parent,
		       bool protection_support)
{
	*c = (struct page_counter){
		.max = PAGE_COUNTER_MAX,
		.high = PAGE_COUNTER_MAX,
		.parent = parent,
		.protection_support = protection_support,
	};
}

/* Report the part of @usage protected by min and low to the parent. */
static void propagate_protected_usage(struct page_counter *c, unsigned long usage)
{
	unsigned long protected;

	if (!c->parent || !c->protection_support)
		return;

	protected = MIN(usage, c->min);
	c->parent->children_min_usage += protected;
	c->parent->children_min_usage -= c->min_usage;
	c->min_usage = protected;

	protected = MIN(usage, c->low);
	c->parent->children_low_usage += protected;
	c->parent->children_low_usage -= c->low_usage;
	c->low_usage = protected;
}

static void raise_watermarks(struct page_counter *c)
{
	if (c->usage > c->local_watermark) {
		c->local_watermark = c->usage;
		if (c->usage > c->watermark)
			c->watermark = c->usage;
	}
}

/* Undo a charge at one level; usage never goes below zero. */
static void page_counter_cancel(struct page_counter *c, unsigned long nr_pages)
{
	c->usage = nr_pages > c->usage ? 0 : c->usage - nr_pages;
	propagate_protected_usage(c, c->usage);
}

void page_counter_cancel_local(struct page_counter *c, unsigned long nr_pages)
{
	page_counter_cancel(c, nr_pages);
}

void page_counter_charge(struct page_counter *c, unsigned long nr_pages)
{
	for (; c; c = c->parent) {
		c->usage += nr_pages;
		propagate_protected_usage(c, c->usage);
		raise_watermarks(c);
	}
}

bool page_counter_try_charge(struct page_counter *c, unsigned long nr_pages,
			     struct page_counter **fail)
{
	struct page_counter *walk, *undo;

	for (walk = c; walk; walk = walk->parent) {
		if (walk->usage + nr_pages > walk->max) {
			if (walk->track_failcnt)
				walk->failcnt++;
			*fail = walk;
			goto out_rollback;
		}
		walk->usage += nr_pages;
		propagate_protected_usage(walk, walk->usage);
		raise_watermarks(walk);
	}
	return true;

out_rollback:
	for (undo = c; undo != walk; undo = undo->parent)
		page_counter_cancel(undo, nr_pages);
	return false;
}

void page_counter_uncharge(struct page_counter *c, unsigned long nr_pages)
{
	for (; c; c = c->parent)
		page_counter_cancel(c, nr_pages);
}

int page_counter_set_max(struct page_counter *c, unsigned long nr_pages)
{
	/*
	 * The kernel loops to catch a charge racing with the update; under
	 * the engine lock nothing races, so one check is the whole rule.
	 */
	if (c->usage > nr_pages)
		return -EBUSY;
	c->max = nr_pages;
	return 0;
}

void page_counter_set_min(struct page_counter *c, unsigned long nr_pages)
{
	struct page_counter *walk;

	c->min = nr_pages;
	for (walk = c; walk; walk = walk->parent)
		propagate_protected_usage(walk, walk->usage);
}

void page_counter_set_low(struct page_counter *c, unsigned long nr_pages)
{
	struct page_counter *walk;

	c->low = nr_pages;
	for (walk = c; walk; walk = walk->parent)
		propagate_protected_usage(walk, walk->usage);
}

void page_counter_reset_watermark(struct page_counter *c)
{
	c->watermark = c->usage;
	c->local_watermark = c->usage;
}

/*
 * One protection value (min or low) of a counter whose parent is not the
 * reclaim root: its own protected usage, scaled down when the siblings
 * together claim more than the parent has, plus (memory_recursiveprot) a
 * share of the parent's unclaimed protection in proportion to the
 * unprotected usage.
 */
static unsigned long effective_protection(unsigned long usage, unsigned long parent_usage,
					  unsigned long setting, unsigned long parent_effective,
					  unsigned long siblings_protected,
					  bool recursive_protection)
{
	unsigned long protected = MIN(usage, setting);
	unsigned long ep;

	if (siblings_protected > parent_effective)
		return (unsigned long)((unsigned __int128)protected * parent_effective /
				       siblings_protected);

	ep = protected;
	if (recursive_protection && parent_effective > siblings_protected &&
	    parent_usage > siblings_protected && usage > protected) {
		unsigned long unclaimed = parent_effective - siblings_protected;

		ep += (unsigned long)((unsigned __int128)unclaimed * (usage - protected) /
				      (parent_usage - siblings_protected));
	}
	return ep;
}

void page_counter_calculate_protection(struct page_counter *root, struct page_counter *c,
				       bool recursive_protection)
{
	struct page_counter *parent = c->parent;
	unsigned long usage = c->usage;

	if (c == root)
		return;
	/*
	 * An empty counter keeps whatever it had, as the kernel's does: its
	 * emin/elow are left stale until it is charged again
	 * (mm/page_counter.c: page_counter_calculate_protection() returns early
	 * when usage is 0).
	 */
	if (!usage)
		return;

	if (parent == root) {
		c->emin = c->min;
		c->elow = c->low;
		return;
	}

	c->emin = effective_protection(usage, parent->usage, c->min, parent->emin,
				       parent->children_min_usage, recursive_protection);
	c->elow = effective_protection(usage, parent->usage, c->low, parent->elow,
				       parent->children_low_usage, recursive_protection);
}
