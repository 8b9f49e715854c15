// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Memcg reclaim as page counts (see reclaim.h). The shape follows
 * mm/vmscan.c: do_try_to_free_pages() runs priorities 12..0, each a
 * pre-order walk of the target's subtree (shrink_node_memcgs) that skips
 * memcgs under their effective min, and under low until a pass has freed
 * nothing; each visited memcg's LRU lists are scanned in proportion to
 * their size >> priority, scaled down by protection (get_scan_count).
 *
 * Clean page cache is dropped, dirty page cache is handed to the flusher
 * (writeback.h); anon and shmem go to swap while there is swap headroom
 * (the v2 swap.max of every ancestor, the machine's free swap), but an
 * anon page used since it was last scanned is put back once first, and
 * one written to swap is met once more before it is freed, so reclaim
 * scans about three times what it takes (pgscan > pgsteal). Every page scanned
 * costs the reclaimer time (engine->reclaim_ns, RECLAIM_SCAN_*_NS a page).
 *
 * May include: libc, common/ and engine/ headers.
 */
#include "engine/reclaim.h"
#include "engine/charge.h"
#include "engine/cgroup.h"
#include "engine/memcg_v1.h"
#include "engine/writeback.h"

#define DEF_PRIORITY 12
#define SWAP_CLUSTER_MAX 32UL

struct scan_control {
	const struct reclaim_request *req;
	struct memcg *target;
	unsigned long nr_to_reclaim;
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	uint64_t cost_ns;	/* the scanning's time (RECLAIM_SCAN_*_NS) */
	int priority;
	bool memcg_low_reclaim;
	bool memcg_low_skipped;
	bool partial;		/* resume after target->reclaim_pos, stop at the goal */
};

static bool is_v1(const struct engine *e)
{
	return e->cfg.mode == CGROUP_V1;
}

unsigned long mem_cgroup_get_nr_swap_pages(const struct engine *e, const struct memcg *memcg)
{
	unsigned long room = engine_swap_free(e);

	if (is_v1(e))
		return room;
	for (; memcg && !memcg_is_root(memcg); memcg = memcg->parent) {
		unsigned long left = page_counter_margin(&memcg->swap);

		room = MIN(room, left);
	}
	return room;
}

static int effective_swappiness(const struct engine *e, const struct memcg *memcg,
				const struct reclaim_request *req)
{
	if (req->swappiness >= 0)
		return req->swappiness;
	return is_v1(e) ? memcg->swappiness : e->vm_swappiness;
}

static unsigned long lru_pages(const struct memcg *memcg, int nid, bool file)
{
	if (file)
		return memcg_node_stat(memcg, nid, NR_inactive_file, true) +
		       memcg_node_stat(memcg, nid, NR_active_file, true);
	return memcg_node_stat(memcg, nid, NR_inactive_anon, true) +
	       memcg_node_stat(memcg, nid, NR_active_anon, true);
}

static unsigned long inactive_pages(const struct memcg *memcg, int nid, bool file)
{
	long n = memcg_node_stat(memcg, nid, file ? NR_inactive_file : NR_inactive_anon, true);

	return n > 0 ? (unsigned long)n : 0;
}

unsigned long memcg_reclaimable(const struct engine *e, const struct memcg *memcg, bool may_swap)
{
	unsigned long pages = 0;
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++) {
		pages += lru_pages(memcg, nid, true);
		if (may_swap)
			pages += MIN(lru_pages(memcg, nid, false), mem_cgroup_get_nr_swap_pages(e, memcg));
	}
	return pages;
}

/*
 * Pages of @type in @memcg on @nid that reclaim may take, as its holdings
 * there add up to: resident ones, and of the page cache only the clean.
 */
static unsigned long reclaimable_pages(const struct memcg *memcg, int nid, enum memcg_page_type type)
{
	long shmem = memcg_node_stat(memcg, nid, NR_shmem, true);
	/* real processes' pages are unevictable (memcg->unevictable) */
	long pinned = (long)memcg->unevictable[nid][type];

	switch (type) {
	case PAGE_ANON:
		return (unsigned long)(memcg_node_stat(memcg, nid, NR_anon, true) - pinned);
	case PAGE_SHMEM:
		return (unsigned long)(shmem - pinned);
	case PAGE_FILE:
		return (unsigned long)(memcg_node_stat(memcg, nid, NR_file, true) - shmem - pinned -
				       memcg_node_stat(memcg, nid, NR_file_dirty, true) -
				       memcg_node_stat(memcg, nid, NR_file_writeback, true));
	default:
		return 0;
	}
}

/* What one holding has that reclaim may take (see reclaimable_pages()). */
static unsigned long holding_reclaimable(const struct memcg_holding *h, enum memcg_page_type type)
{
	if (h->task->real)
		return 0;	/* the simulation cannot take a real process's pages */
	return type == PAGE_FILE ? holding_clean_file(h) : h->resident[type];
}

/*
 * Swap room for @nr pages of @memcg. Pages that would pass a swap.max
 * fail to get a swap entry and stay: the events land on the pages' own
 * memcg, not on the ancestor whose limit it is.
 */
static unsigned long swap_out_allowance(struct engine *e, struct memcg *memcg, unsigned long nr)
{
	unsigned long room = mem_cgroup_get_nr_swap_pages(e, memcg);

	nr = MIN(nr, engine_swap_free(e));
	if (nr > room && !is_v1(e)) {
		memcg_memory_event(e, memcg, MEMCG_SWAP_MAX);
		memcg_memory_event(e, memcg, MEMCG_SWAP_FAIL);
	}
	return MIN(nr, room);
}

/*
 * Reclaim @nr of the @total reclaimable pages of @type that the holdings
 * of @memcg on @nid have, in proportion to what each has: a holding gives
 * the pages of the batch that fall within its stretch of the running
 * total, so the shares add up to @nr exactly in one pass. Only the
 * holdings' own counts move here.
 */
static void take_from_holdings(struct memcg *memcg, int nid, enum memcg_page_type type,
			       unsigned long nr, unsigned long total, bool to_swap)
{
	struct memcg_holding *h;
	unsigned long seen = 0, given = 0;

	list_for_each_entry(h, &memcg->holdings, memcg_node) {
		unsigned long upto, n, has = holding_reclaimable(h, type);

		if (h->nid != nid || !has)
			continue;
		seen += has;
		/* batches are SWAP_CLUSTER_MAX-sized: the product fits 64 bits */
		upto = nr * seen / total;
		n = upto - given;
		h->resident[type] -= n;
		if (type == PAGE_ANON)
			holding_split_thp(h, n);
		if (to_swap && type == PAGE_SHMEM)
			h->swapped_shmem += n;
		else if (to_swap)
			h->swapped_anon += n;
		given = upto;
		if (given == nr)
			break;
	}
}

/*
 * Swap out (anon, shmem) or drop (page cache) up to @nr pages of @type
 * that @memcg has on @nid. Returns how many went.
 */
static unsigned long reclaim_pages(struct engine *e, struct memcg *memcg, int nid,
				   enum memcg_page_type type, unsigned long nr, bool to_swap)
{
	unsigned long total = reclaimable_pages(memcg, nid, type);
	struct page_counter *fail;

	nr = MIN(nr, total);
	if (to_swap && nr)
		nr = swap_out_allowance(e, memcg, nr);
	if (!nr)
		return 0;
	if (to_swap) {
		if (!is_v1(e) && !memcg_is_root(memcg) && !page_counter_try_charge(&memcg->swap, nr, &fail))
			return 0;	/* cannot happen: the allowance is below every swap.max */
		e->swap_disk_until_ns = MAX(e->swap_disk_until_ns, e->now_ns) +
					nr * NSEC_PER_SEC / DISK_PAGES_PER_SEC;
		e->swap_used += nr;
		memcg_mod_stat(memcg, MEMCG_swap, (long)nr);
		memcg_mod_stat(memcg, MEMCG_pswpout, (long)nr);
	}
	take_from_holdings(memcg, nid, type, nr, total, to_swap);

	memcg_account_pages(e, memcg, nid, type, -(long)nr);
	if (!memcg_is_root(memcg))
		page_counter_uncharge(&memcg->memory, nr);
	/* v1: a swapped page keeps its mem+swap charge, a dropped one does not */
	if (is_v1(e) && !to_swap && !memcg_is_root(memcg))
		page_counter_uncharge(&memcg->memsw, nr);
	return nr;
}

/*
 * Reclaim @nr inactive pages from @memcg's file LRU. Pages written lately
 * are the newest on the list, so the clean ones at its tail go first. A
 * batch that reaches the dirty ones hands them to the flusher and keeps
 * them, as it keeps those already under writeback, on the active list
 * until the disk is done: memcg reclaim never writes page cache itself.
 */
static unsigned long shrink_file(struct engine *e, struct memcg *memcg, int nid, unsigned long nr)
{
	unsigned long dirty = (unsigned long)memcg_node_stat(memcg, nid, NR_file_dirty, true);
	unsigned long writeback = (unsigned long)memcg_node_stat(memcg, nid, NR_file_writeback, true);
	unsigned long inactive = inactive_pages(memcg, nid, true);
	unsigned long clean = inactive > dirty + writeback ? inactive - dirty - writeback : 0;
	unsigned long met = nr > clean ? nr - clean : 0;

	if (met && dirty + writeback) {
		writeback_start(e, memcg, nid,
				(unsigned long)((unsigned __int128)met * dirty / (dirty + writeback)));
		memcg_activate(memcg, nid, true, met);
	}
	return reclaim_pages(e, memcg, nid, PAGE_FILE, nr - met, false);
}

/*
 * folio_check_references() for the inactive anon pages a batch of @nr
 * meets: those used since they were last looked at (every new page: its
 * fault set the accessed bit) go back on the list, referenced no more;
 * the rest may go. Which pages are referenced is known only as a count,
 * so a batch meets them in proportion. Return: the pages put back.
 */
static unsigned long rotate_referenced(struct memcg *memcg, int nid, unsigned long nr)
{
	unsigned long inactive = inactive_pages(memcg, nid, false);
	unsigned long *referenced = &memcg->anon_referenced[nid];
	unsigned long kept;

	*referenced = MIN(*referenced, inactive);
	if (!inactive || !*referenced)
		return 0;
	kept = (unsigned long)((unsigned __int128)nr * *referenced / inactive);
	if (!kept && nr)
		kept = 1;	/* a referenced page among them is met sooner or later */
	kept = MIN(kept, *referenced);
	*referenced -= kept;
	return kept;
}

/* Reclaim from @memcg's anon LRU (anon and shmem, in proportion). */
static unsigned long shrink_anon(struct engine *e, struct memcg *memcg, int nid, unsigned long nr)
{
	unsigned long shmem = memcg_node_stat(memcg, nid, NR_shmem, true);
	unsigned long lru = lru_pages(memcg, nid, false);
	unsigned long nr_shmem = lru ? (unsigned long)((unsigned __int128)nr * shmem / lru) : 0;
	unsigned long got;

	got = reclaim_pages(e, memcg, nid, PAGE_SHMEM, nr_shmem, true);
	got += reclaim_pages(e, memcg, nid, PAGE_ANON, nr - got, true);
	if (got < nr)
		got += reclaim_pages(e, memcg, nid, PAGE_SHMEM, nr - got, true);
	return got;
}

/*
 * How many pages of one LRU list to scan at this priority, scaled down by
 * the memcg's protection (get_scan_count's memory.low/min scaling).
 */
static unsigned long scan_target(struct scan_control *sc, struct memcg *memcg,
				 unsigned long lru_size)
{
	unsigned long min = memcg->memory.emin, low = memcg->memory.elow;
	unsigned long scan = lru_size;
	bool unprotected = memcg == sc->target || memcg_is_root(memcg);

	if (!unprotected && (min || low)) {
		unsigned long cgroup_size = memcg->memory.usage;
		unsigned long protection;

		if (!sc->memcg_low_reclaim && low > min) {
			protection = low;
			sc->memcg_low_skipped = true;
		} else {
			protection = min;
		}
		cgroup_size = MAX(cgroup_size, protection);
		scan = lru_size - (unsigned long)((unsigned __int128)lru_size * protection /
						  (cgroup_size + 1));
		scan = MAX(scan, SWAP_CLUSTER_MAX);
	}
	scan >>= sc->priority;
	if (!scan && !memcg->online)
		scan = MIN(lru_size, SWAP_CLUSTER_MAX);
	return scan;
}

/* pgscan_* and pgsteal_* of the reclaim's kind */
static void account_scan(struct scan_control *sc, struct memcg *memcg, unsigned long scanned,
			 unsigned long stolen)
{
	static const enum memcg_stat_item pgscan[] = {
		[RECLAIM_DIRECT] = MEMCG_pgscan_direct,
		[RECLAIM_PROACTIVE] = MEMCG_pgscan_proactive,
		[RECLAIM_KSWAPD] = MEMCG_pgscan_kswapd,
	};
	static const enum memcg_stat_item pgsteal[] = {
		[RECLAIM_DIRECT] = MEMCG_pgsteal_direct,
		[RECLAIM_PROACTIVE] = MEMCG_pgsteal_proactive,
		[RECLAIM_KSWAPD] = MEMCG_pgsteal_kswapd,
	};

	if (scanned)
		memcg_mod_stat(memcg, pgscan[sc->req->kind], (long)scanned);
	if (stolen)
		memcg_mod_stat(memcg, pgsteal[sc->req->kind], (long)stolen);
}

/*
 * shrink_active_list(), reduced: when the inactive list cannot supply a
 * batch, age pages from the active list down to it. Only inactive pages
 * are reclaimed, so what was used again (activated) goes last.
 */
static void refill_inactive(struct memcg *memcg, int nid, bool file, unsigned long want)
{
	enum memcg_node_stat_item inactive = file ? NR_inactive_file : NR_inactive_anon;
	enum memcg_node_stat_item active = file ? NR_active_file : NR_active_anon;
	long have = memcg_node_stat(memcg, nid, inactive, true);
	long n;

	if (have >= (long)want)
		return;
	n = MIN((long)want - have, memcg_node_stat(memcg, nid, active, true));
	if (n <= 0)
		return;
	memcg_mod_node_stat(memcg, nid, active, -n);
	memcg_mod_node_stat(memcg, nid, inactive, n);
	memcg_mod_stat(memcg, MEMCG_pgrefill, n);
	memcg_mod_stat(memcg, MEMCG_pgdeactivate, n);
}

/* The time scanning @nr anon pages of @memcg on @nid takes, its huge pages cheaper. */
static uint64_t anon_scan_cost(const struct memcg *memcg, int nid, unsigned long nr)
{
	long anon = memcg_node_stat(memcg, nid, NR_anon, true);
	long thp = memcg_node_stat(memcg, nid, NR_anon_thp, true);
	unsigned long huge = anon > 0 && thp > 0 ?
		(unsigned long)((unsigned __int128)nr * (unsigned long)MIN(thp, anon) / (unsigned long)anon) : 0;

	return huge * RECLAIM_SCAN_THP_NS + (nr - huge) * RECLAIM_SCAN_ANON_NS;
}

/* shrink_lruvec(): one memcg's LRU lists on one node, at sc->priority */
static void shrink_lruvec(struct engine *e, struct scan_control *sc, struct memcg *memcg, int nid)
{
	const struct reclaim_request *req = sc->req;
	unsigned long file = lru_pages(memcg, nid, true);
	unsigned long anon = lru_pages(memcg, nid, false);
	unsigned long scanned = sc->nr_scanned, reclaimed = sc->nr_reclaimed;
	unsigned long scan_file, scan_anon, batch, got;
	int swappiness;

	/*
	 * Nothing to scan at this priority, however protected (the 32-page
	 * floor of a protected list shifts to nothing from priority 6 up).
	 */
	if (!file && !anon)
		return;
	if (sc->priority >= 6 && memcg->online && !((file | anon) >> sc->priority))
		return;
	swappiness = effective_swappiness(e, memcg, req);
	scan_file = scan_target(sc, memcg, file);
	scan_anon = scan_target(sc, memcg, anon);
	if (!scan_file && !scan_anon)
		return;		/* and most others at the first priorities */
	if (swappiness != SWAPPINESS_ANON_ONLY && file >> sc->priority) {
		/* cache_trim_mode: plenty of page cache, leave anon alone */
		scan_anon = 0;
	} else if (!(req->may_swap && swappiness && mem_cgroup_get_nr_swap_pages(e, memcg))) {
		scan_anon = 0;
	} else if (swappiness == SWAPPINESS_ANON_ONLY) {
		scan_file = 0;
	} else if (sc->priority) {
		scan_anon = scan_anon * (unsigned long)swappiness / 200;
		scan_file = scan_file * (200 - (unsigned long)swappiness) / 200;
	}

	/*
	 * Both lists in SWAP_CLUSTER_MAX batches, stopping once the goal is
	 * met: the last batch may overshoot it, and a batch of anon may meet
	 * a swap.max part way (swap max/fail events).
	 */
	while (scan_file || scan_anon) {
		if (scan_file) {
			batch = MIN(scan_file, SWAP_CLUSTER_MAX);
			refill_inactive(memcg, nid, true, batch);
			got = shrink_file(e, memcg, nid, MIN(batch, inactive_pages(memcg, nid, true)));
			sc->nr_scanned += MIN(batch, file);
			sc->cost_ns += MIN(batch, file) * RECLAIM_SCAN_FILE_NS;
			sc->nr_reclaimed += got;
			file -= MIN(batch, file);
			scan_file -= batch;
		}
		if (scan_anon) {
			unsigned long met;

			batch = MIN(scan_anon, SWAP_CLUSTER_MAX);
			refill_inactive(memcg, nid, false, batch);
			met = MIN(batch, inactive_pages(memcg, nid, false));
			met -= rotate_referenced(memcg, nid, met);
			got = shrink_anon(e, memcg, nid, met);
			/*
			 * A page written to swap stays on the list until the
			 * write is done, and the scan that meets it then frees
			 * it (folio_rotate_reclaimable): one scan more each.
			 */
			sc->nr_scanned += MIN(batch, anon) + got;
			sc->cost_ns += anon_scan_cost(memcg, nid, MIN(batch, anon) + got);
			sc->nr_reclaimed += got;
			anon -= MIN(batch, anon);
			scan_anon -= batch;
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	account_scan(sc, memcg, sc->nr_scanned - scanned, sc->nr_reclaimed - reclaimed);
}

static void shrink_memcg(struct engine *e, struct scan_control *sc, struct memcg *memcg)
{
	int nid;

	for (nid = 0; nid < e->cfg.nr_nodes; nid++)
		shrink_lruvec(e, sc, memcg, nid);
}

/* Reclaim from one memcg of the walk, as its protection allows. */
static void shrink_walked_memcg(struct engine *e, struct scan_control *sc, struct memcg *memcg)
{
	bool unprotected = memcg == sc->target || memcg_is_root(memcg);

	page_counter_calculate_protection(&sc->target->memory, &memcg->memory,
					  e->cfg.memory_recursiveprot);
	if (!unprotected && memcg->memory.usage <= memcg->memory.emin)
		return;		/* hard protection: skip silently */
	if (!unprotected && memcg->memory.usage <= memcg->memory.elow) {
		if (!sc->memcg_low_reclaim) {
			sc->memcg_low_skipped = true;
			return;
		}
		memcg_memory_event(e, memcg, MEMCG_LOW);
	}
	shrink_memcg(e, sc, memcg);
}

/*
 * Pre-order walk of the target's subtree (shrink_node_memcgs). A partial
 * walk resumes after where the last one met its goal, as mem_cgroup_iter()
 * does with its per-root position, and stops at the goal. Return: whether
 * it stopped there.
 */
static bool shrink_subtree(struct engine *e, struct scan_control *sc)
{
	struct memcg *target = sc->target;
	struct cgroup *root = target->cgroup, *cg = root;
	struct cgroup *last = sc->partial ? cgroup_by_id(e, target->reclaim_pos) : NULL;

	if (last && last != root && cgroup_is_descendant(last, root))
		cg = cgroup_next_descendant_pre(last, root);
	target->reclaim_pos = 0;	/* a walk that reaches the end starts over next time */
	for (; cg; cg = cgroup_next_descendant_pre(cg, root)) {
		if (!cg->memcg)
			continue;
		shrink_walked_memcg(e, sc, cg->memcg);
		if (sc->partial && sc->nr_reclaimed >= sc->nr_to_reclaim) {
			target->reclaim_pos = cg->id;
			return true;
		}
	}
	return false;
}

/* Dying memcgs under @target keep their pages until reclaim scrapes them. */
static void shrink_dying(struct engine *e, struct scan_control *sc)
{
	struct memcg *memcg;

	if (!e->nr_offline_memcgs)
		return;
	list_for_each_entry(memcg, &e->memcgs, all_node) {
		struct memcg *anc;

		if (memcg->online || !memcg->memory.usage)
			continue;
		for (anc = memcg->parent; anc && anc != sc->target; anc = anc->parent)
			;
		if (!anc)
			continue;
		shrink_memcg(e, sc, memcg);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			return;
	}
}

unsigned long try_to_free_mem_cgroup_pages(struct engine *e, struct memcg *target,
					   const struct reclaim_request *req)
{
	struct scan_control sc = {
		.req = req,
		.target = target,
		.nr_to_reclaim = MAX(req->nr_pages, SWAP_CLUSTER_MAX),
		/* direct reclaim resumes where the last call stopped; kswapd walks it all */
		.partial = req->kind != RECLAIM_KSWAPD,
	};
	unsigned long scanned, reclaimed;
	bool done;

	if (!target->online && !target->cgroup)
		return 0;
retry:
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
		vmpressure_prio(e, target, sc.priority);
		scanned = sc.nr_scanned;
		reclaimed = sc.nr_reclaimed;
		done = target->cgroup && shrink_subtree(e, &sc);
		if (!done)
			shrink_dying(e, &sc);
		vmpressure(e, target, sc.nr_scanned - scanned, sc.nr_reclaimed - reclaimed);
		if (done || sc.nr_reclaimed >= sc.nr_to_reclaim)
			break;
	}
	/*
	 * A call that freed nothing tries again with a full walk, and only
	 * then breaks memory.low: partial progress never does.
	 */
	if (!sc.nr_reclaimed && sc.partial) {
		sc.partial = false;
		goto retry;
	}
	if (!sc.nr_reclaimed && sc.memcg_low_skipped && !sc.memcg_low_reclaim) {
		sc.memcg_low_reclaim = true;
		sc.memcg_low_skipped = false;
		goto retry;
	}
	e->reclaim_ns += sc.cost_ns;
	return sc.nr_reclaimed;
}

unsigned long memcg_shrink_node(struct engine *e, struct memcg *memcg, int nid)
{
	struct reclaim_request req = {
		.nr_pages = SWAP_CLUSTER_MAX,
		.may_swap = true,
		.swappiness = -1,
		.kind = RECLAIM_KSWAPD,
	};
	struct scan_control sc = {
		.req = &req,
		.target = memcg,
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.priority = 0,
	};

	shrink_lruvec(e, &sc, memcg, nid);
	return sc.nr_reclaimed;
}

unsigned long global_reclaim(struct engine *e, unsigned long nr_pages)
{
	struct reclaim_request req = {
		.nr_pages = SWAP_CLUSTER_MAX,
		.may_swap = true,
		.swappiness = -1,
		.kind = RECLAIM_KSWAPD,
	};
	unsigned long freed = 0, got;
	int nid;

	/*
	 * As kswapd's balance_pgdat(): every round first reclaims from the
	 * memcgs over their soft limit (v1), then a batch from all of them,
	 * so the soft limit decides most of what goes.
	 */
	while (engine_ram_free(e) < nr_pages) {
		got = 0;
		for (nid = 0; nid < e->cfg.nr_nodes && engine_ram_free(e) < nr_pages; nid++)
			got += memcg1_soft_limit_reclaim(e, nid);
		if (engine_ram_free(e) < nr_pages)
			got += try_to_free_mem_cgroup_pages(e, e->root->memcg, &req);
		if (!got)
			break;
		freed += got;
	}
	return freed;
}
