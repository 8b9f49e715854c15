// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dirty page cache and writeback (see writeback.h). Which holdings' pages
 * are dirty or under writeback is known only as counts: the flusher and
 * the disk take from a memcg's holdings in proportion to what each has.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include "engine/writeback.h"
#include "engine/cgroup.h"
#include "engine/charge.h"

static void mod_dirty(struct engine *e, struct memcg_holding *h, long nr)
{
	h->dirty += (unsigned long)nr;
	e->nr_dirty += (unsigned long)nr;
	memcg_mod_node_stat(h->memcg, h->nid, NR_file_dirty, nr);
	if (nr > 0 && !h->memcg->dirty_since_ns)
		h->memcg->dirty_since_ns = e->now_ns ? e->now_ns : 1;
}

static void mod_writeback(struct engine *e, struct memcg_holding *h, long nr)
{
	h->writeback += (unsigned long)nr;
	e->nr_writeback += (unsigned long)nr;
	memcg_mod_node_stat(h->memcg, h->nid, NR_file_writeback, nr);
}

/* @item pages of @memcg and its descendants, on every node */
static unsigned long domain_pages(const struct engine *e, const struct memcg *memcg,
				  enum memcg_node_stat_item item)
{
	long n = 0;
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		n += memcg_node_stat(memcg, nid, item, false);
	return n > 0 ? (unsigned long)n : 0;
}

/*
 * What the memcg's domain may dirty from (mem_cgroup_wb_stats): its page
 * cache, plus the room left below memory.max and memory.high of it and of
 * every ancestor, no more than the machine has free.
 */
static unsigned long domain_avail(const struct engine *e, const struct memcg *memcg)
{
	unsigned long headroom = engine_ram_free(e);
	const struct memcg *m;
	long file = 0;
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		file += memcg_node_stat(memcg, nid, NR_file, false) -
			memcg_node_stat(memcg, nid, NR_shmem, false);
	for (m = memcg; m && !memcg_is_root(m); m = m->parent) {
		unsigned long ceiling = MIN(m->memory.max, m->memory.high);

		headroom = MIN(headroom, ceiling > m->memory.usage ? ceiling - m->memory.usage : 0);
	}
	return (unsigned long)file + headroom;
}

/* Background writeback runs while the dirty pages (not those in flight) pass this. */
static bool over_background(const struct engine *e, const struct memcg *memcg)
{
	return domain_pages(e, memcg, NR_file_dirty) >
	       domain_avail(e, memcg) * DIRTY_BACKGROUND_RATIO / 100;
}

enum wb_step {
	WB_SUBMIT,	/* dirty -> writeback */
	WB_COMPLETE,	/* writeback -> clean */
};

/*
 * Move @nr of the @total dirty (or writeback) pages of @memcg on @nid one
 * step on, each holding in proportion to what it has (the running-total
 * split of reclaim's take_from_holdings(), here in 128 bits: the disk's
 * budget can be large where reclaim's batches are small).
 */
static void holdings_step(struct engine *e, struct memcg *memcg, int nid, enum wb_step step,
			  unsigned long nr, unsigned long total)
{
	struct memcg_holding *h;
	unsigned long seen = 0, given = 0;

	list_for_each_entry(h, &memcg->holdings, memcg_node) {
		unsigned long has = step == WB_SUBMIT ? h->dirty : h->writeback, upto, n;

		if (h->nid != nid || !has)
			continue;
		seen += has;
		upto = (unsigned long)((unsigned __int128)nr * seen / total);
		n = upto - given;
		given = upto;
		if (step == WB_SUBMIT)
			mod_dirty(e, h, -(long)n);
		mod_writeback(e, h, step == WB_SUBMIT ? (long)n : -(long)n);
		if (given == nr)
			break;
	}
}

static unsigned long local_pages(const struct memcg *memcg, int nid, enum memcg_node_stat_item item)
{
	long n = memcg_node_stat(memcg, nid, item, true);

	return n > 0 ? (unsigned long)n : 0;
}

unsigned long writeback_start(struct engine *e, struct memcg *memcg, int nid, unsigned long nr_pages)
{
	unsigned long dirty = local_pages(memcg, nid, NR_file_dirty);
	unsigned long left = 0;

	nr_pages = MIN(nr_pages, dirty);
	if (nr_pages)
		holdings_step(e, memcg, nid, WB_SUBMIT, nr_pages, dirty);
	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		left += local_pages(memcg, nid, NR_file_dirty);
	if (!left)
		memcg->dirty_since_ns = 0;	/* what is dirtied next starts a new age */
	return nr_pages;
}

/* The flusher writes all of @memcg's own dirty pages: a file goes as a whole. */
static void flush_memcg(struct engine *e, struct memcg *memcg)
{
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		writeback_start(e, memcg, nid, local_pages(memcg, nid, NR_file_dirty));
}

/*
 * balance_dirty_pages(), reduced: past the background threshold the
 * flusher starts on the memcg; below the middle of the background and the
 * dirty threshold (dirty and in flight together) a writer runs free, past
 * it it may dirty no faster than the disk writes, and at the dirty
 * threshold it sleeps the longest pause.
 */
static void balance_dirty_pages(struct engine *e, struct memcg_task *task, struct memcg *memcg,
				unsigned long nr_pages)
{
	unsigned long avail = domain_avail(e, memcg);
	unsigned long dirty = domain_pages(e, memcg, NR_file_dirty) +
			      domain_pages(e, memcg, NR_file_writeback);
	unsigned long bg_thresh = avail * DIRTY_BACKGROUND_RATIO / 100;
	unsigned long thresh = avail * DIRTY_RATIO / 100;
	uint64_t pause;

	if (over_background(e, memcg))
		flush_memcg(e, memcg);
	if (dirty <= (bg_thresh + thresh) / 2)
		return;
	pause = dirty >= thresh ? DIRTY_MAX_PAUSE_NS :
				  (uint64_t)nr_pages * NSEC_PER_SEC / DISK_PAGES_PER_SEC;
	if (task->throttle_until_ns < e->now_ns + pause)
		task->throttle_until_ns = e->now_ns + pause;
}

void memcg_task_dirty(struct engine *e, struct memcg_task *task, unsigned long nr_pages)
{
	struct memcg *memcg = cgroup_memcg(task->cgroup);
	struct memcg_holding *h = memcg_task_holding(task, memcg, task->nid);
	unsigned long n = h ? MIN(nr_pages, holding_clean_file(h)) : 0;

	if (n)
		mod_dirty(e, h, (long)n);
	balance_dirty_pages(e, task, memcg, nr_pages);
}

void holding_drop_file(struct engine *e, struct memcg_holding *h, unsigned long nr_pages)
{
	unsigned long resident = h->resident[PAGE_FILE];
	unsigned long dirty, writeback, excess, extra;

	if (!nr_pages || !resident || (!h->dirty && !h->writeback))
		return;
	dirty = (unsigned long)((unsigned __int128)nr_pages * h->dirty / resident);
	writeback = (unsigned long)((unsigned __int128)nr_pages * h->writeback / resident);
	/* rounding down must not leave more dirty and writeback than stays resident */
	excess = h->dirty - dirty + h->writeback - writeback;
	excess = excess > resident - nr_pages ? excess - (resident - nr_pages) : 0;
	extra = MIN(excess, h->dirty - dirty);
	dirty += extra;
	writeback += excess - extra;
	mod_dirty(e, h, -(long)dirty);
	mod_writeback(e, h, -(long)writeback);
}

void writeback_advance(struct engine *e)
{
	uint64_t now = e->now_ns, dt = now - MIN(e->writeback_last_ns, now);
	unsigned long budget = 0;
	struct memcg *memcg;
	bool kupdate;
	int nid;

	e->writeback_last_ns = now;
	if (!e->nr_dirty && !e->nr_writeback)
		return;

	/* the disk finishes what it has at its bandwidth, memcg by memcg */
	if (e->nr_writeback) {
		unsigned __int128 acc = (unsigned __int128)dt * DISK_PAGES_PER_SEC + e->writeback_carry;

		budget = (unsigned long)MIN(acc / NSEC_PER_SEC, (unsigned __int128)e->nr_writeback);
		e->writeback_carry = budget < e->nr_writeback ? (uint64_t)(acc % NSEC_PER_SEC) : 0;
	}
	list_for_each_entry(memcg, &e->memcgs, all_node)
		for (nid = 0; budget && nid < e->cfg.nr_nodes; nid++) {
			unsigned long wb = local_pages(memcg, nid, NR_file_writeback);
			unsigned long n = MIN(budget, wb);

			if (n)
				holdings_step(e, memcg, nid, WB_COMPLETE, n, wb);
			budget -= n;
		}

	/* the flusher: past the background threshold, or dirty for too long */
	kupdate = now - MIN(e->kupdate_last_ns, now) >= DIRTY_WRITEBACK_INTERVAL_NS;
	if (kupdate)
		e->kupdate_last_ns = now;
	list_for_each_entry(memcg, &e->memcgs, all_node) {
		if (!memcg->dirty_since_ns)
			continue;
		if (over_background(e, memcg) ||
		    (kupdate && now - MIN(memcg->dirty_since_ns, now) >= DIRTY_EXPIRE_NS))
			flush_memcg(e, memcg);
	}
}

uint64_t writeback_next_ns(const struct engine *e)
{
	if (e->nr_writeback)
		return e->now_ns + WRITEBACK_TICK_NS;
	if (e->nr_dirty)
		return MAX(e->kupdate_last_ns + DIRTY_WRITEBACK_INTERVAL_NS, e->now_ns + WRITEBACK_TICK_NS);
	return UINT64_MAX;
}
