// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The charge path of mm/memcontrol.c for simulated tasks: the stock, batched
 * try_charge with reclaim and OOM retries, memory.high handling on return to
 * user, uncharging, and the v2 limit writers that reclaim (memory.max,
 * memory.high, memory.reclaim).
 *
 * A task's pages are kept per (task, memcg, node) in struct memcg_holding;
 * the memcg's LRU sizes are the sums, kept in its node statistics.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <errno.h>
#include <stdlib.h>

#include "engine/charge.h"
#include "engine/cgroup.h"
#include "engine/global.h"
#include "engine/memcg_v1.h"
#include "engine/oom.h"
#include "engine/reclaim.h"
#include "engine/writeback.h"

/* Debian's kernels run at HZ=250; penalties are computed in jiffies of it. */
#define HZ 250
#define NSEC_PER_JIFFY (1000000000ULL / HZ)
#define MEMCG_MAX_HIGH_DELAY_JIFFIES (2UL * HZ)
#define MEMCG_DELAY_PRECISION_SHIFT 20
#define MEMCG_DELAY_SCALING_SHIFT 14
#define SWAP_CLUSTER_MAX 32UL

static bool is_v1(const struct engine *e)
{
	return e->cfg.mode == CGROUP_V1;
}

static bool is_kmem(enum memcg_page_type type)
{
	return type == PAGE_KMEM || type == PAGE_KSTACK;
}

/* pages on the LRU lists: only these count in pgpgin/pgpgout and wake thresholds */
static bool is_folio(enum memcg_page_type type)
{
	return type == PAGE_ANON || type == PAGE_FILE || type == PAGE_SHMEM;
}

/* ---- the stock ---------------------------------------------------------- */

static void stock_drain_slot(struct engine *e, struct memcg_stock_slot *slot)
{
	if (!slot->memcg)
		return;
	if (slot->nr_pages) {
		page_counter_uncharge(&slot->memcg->memory, slot->nr_pages);
		if (is_v1(e))
			page_counter_uncharge(&slot->memcg->memsw, slot->nr_pages);
	}
	memcg_put(e, slot->memcg);
	slot->memcg = NULL;
	slot->nr_pages = 0;
}

static struct memcg_stock_slot *stock_find(struct engine *e, const struct memcg *memcg)
{
	unsigned int i;

	for (i = 0; i < NR_MEMCG_STOCK; i++)
		if (e->stock[i].memcg == memcg)
			return &e->stock[i];
	return NULL;
}

static bool consume_stock(struct engine *e, struct memcg *memcg, unsigned long nr_pages)
{
	struct memcg_stock_slot *slot;

	if (nr_pages > MEMCG_CHARGE_BATCH)
		return false;
	slot = stock_find(e, memcg);
	if (!slot || slot->nr_pages < nr_pages)
		return false;
	slot->nr_pages -= nr_pages;
	return true;
}

static void refill_stock(struct engine *e, struct memcg *memcg, unsigned long nr_pages)
{
	struct memcg_stock_slot *slot = stock_find(e, memcg);
	unsigned int i;

	if (!slot) {
		for (i = 0; i < NR_MEMCG_STOCK && e->stock[i].memcg; i++)
			;
		if (i == NR_MEMCG_STOCK) {
			/* Divergence: the kernel evicts a random slot; round robin is reproducible. */
			i = e->stock_next;
			e->stock_next = (e->stock_next + 1) % NR_MEMCG_STOCK;
			stock_drain_slot(e, &e->stock[i]);
		}
		slot = &e->stock[i];
		slot->memcg = memcg;
		memcg_get(memcg);
	}
	slot->nr_pages += nr_pages;
	if (slot->nr_pages > MEMCG_CHARGE_BATCH)
		stock_drain_slot(e, slot);
}

void memcg_drain_stock(struct engine *e, struct memcg *memcg)
{
	struct memcg_stock_slot *slot = stock_find(e, memcg);

	if (slot)
		stock_drain_slot(e, slot);
}

static bool memcg_is_descendant(const struct memcg *memcg, const struct memcg *root)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg == root)
			return true;
	return false;
}

void drain_all_stock(struct engine *e, struct memcg *root)
{
	unsigned int i;

	for (i = 0; i < NR_MEMCG_STOCK; i++)
		if (e->stock[i].memcg && memcg_is_descendant(e->stock[i].memcg, root))
			stock_drain_slot(e, &e->stock[i]);
}

/* ---- holdings ----------------------------------------------------------- */

struct memcg_holding *memcg_task_holding(const struct memcg_task *task, const struct memcg *memcg, int nid)
{
	struct memcg_holding *h;

	list_for_each_entry(h, &task->holdings, task_node)
		if (h->memcg == memcg && h->nid == nid)
			return h;
	return NULL;
}

static struct memcg_holding *holding_get(struct memcg_task *task, struct memcg *memcg, int nid)
{
	struct memcg_holding *h = memcg_task_holding(task, memcg, nid);

	if (h)
		return h;
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->memcg = memcg;
	h->task = task;
	h->nid = nid;
	memcg_get(memcg);
	list_add(&h->task_node, &task->holdings);
	list_add_tail(&h->memcg_node, &memcg->holdings);
	return h;
}

static bool holding_empty(const struct memcg_holding *h)
{
	int t;

	for (t = 0; t < NR_PAGE_TYPES; t++)
		if (h->resident[t])
			return false;
	return !h->swapped_anon && !h->swapped_shmem;
}

static void holding_put_if_empty(struct engine *e, struct memcg_holding *h)
{
	if (!holding_empty(h))
		return;
	list_del_init(&h->task_node);
	list_del_init(&h->memcg_node);
	memcg_put(e, h->memcg);
	free(h);
}

/*
 * New pages join an inactive list; pages leaving come off the inactive
 * list first, then the active one (which list a freed page was on is not
 * tracked per page: only the counts are).
 */
static void lru_mod(struct memcg *memcg, int nid, bool file, long nr_pages)
{
	enum memcg_node_stat_item inactive = file ? NR_inactive_file : NR_inactive_anon;
	enum memcg_node_stat_item active = file ? NR_active_file : NR_active_anon;
	long from_inactive;

	if (nr_pages >= 0) {
		memcg_mod_node_stat(memcg, nid, inactive, nr_pages);
		return;
	}
	from_inactive = MIN(-nr_pages, memcg_node_stat(memcg, nid, inactive, true));
	memcg_mod_node_stat(memcg, nid, inactive, -from_inactive);
	if (nr_pages + from_inactive)
		memcg_mod_node_stat(memcg, nid, active, nr_pages + from_inactive);
}

void memcg_account_pages(struct engine *e, struct memcg *memcg, int nid, enum memcg_page_type type, long nr_pages)
{
	e->ram_used += (unsigned long)nr_pages;	/* wraps back on negative deltas */
	switch (type) {
	case PAGE_ANON:
		memcg_mod_node_stat(memcg, nid, NR_anon, nr_pages);
		lru_mod(memcg, nid, false, nr_pages);
		if (nr_pages > 0)	/* the fault that brought them in used them */
			memcg->anon_referenced[nid] += (unsigned long)nr_pages;
		break;
	case PAGE_FILE:
		memcg_mod_node_stat(memcg, nid, NR_file, nr_pages);
		lru_mod(memcg, nid, true, nr_pages);
		break;
	case PAGE_SHMEM:
		/* shmem is file-backed for the stats, swap-backed for the LRU */
		memcg_mod_node_stat(memcg, nid, NR_file, nr_pages);
		memcg_mod_node_stat(memcg, nid, NR_shmem, nr_pages);
		lru_mod(memcg, nid, false, nr_pages);
		if (nr_pages > 0)
			memcg->anon_referenced[nid] += (unsigned long)nr_pages;
		break;
	case PAGE_KMEM:
		memcg_mod_stat(memcg, MEMCG_kernel, nr_pages);
		memcg_mod_node_stat(memcg, nid, NR_slab_unreclaimable, nr_pages);
		break;
	case PAGE_KSTACK:
		memcg_mod_stat(memcg, MEMCG_kernel, nr_pages);
		memcg_mod_node_stat(memcg, nid, NR_kernel_stack, nr_pages);
		break;
	case PAGE_SOCK:
		memcg_mod_stat(memcg, MEMCG_sock, nr_pages);
		break;
	case NR_PAGE_TYPES:
		break;
	}
}

void memcg_account_unevictable(struct engine *e, struct memcg *memcg, int nid, enum memcg_page_type type,
			       long nr_pages)
{
	e->ram_used += (unsigned long)nr_pages;	/* wraps back on negative deltas */
	memcg_mod_node_stat(memcg, nid, type == PAGE_ANON ? NR_anon : NR_file, nr_pages);
	if (type == PAGE_SHMEM)
		memcg_mod_node_stat(memcg, nid, NR_shmem, nr_pages);
	memcg_mod_node_stat(memcg, nid, NR_unevictable, nr_pages);
	memcg->unevictable[nid][type] += (unsigned long)nr_pages;
}

/*
 * A holding's pages come or go: a real process's pages are as mlocked
 * ones (the simulation cannot evict them), a simulated task's join the LRU.
 */
static void holding_account(struct engine *e, struct memcg_holding *h, enum memcg_page_type type,
			    long nr_pages)
{
	if (h->task->real && is_folio(type))
		memcg_account_unevictable(e, h->memcg, h->nid, type, nr_pages);
	else
		memcg_account_pages(e, h->memcg, h->nid, type, nr_pages);
}

void memcg_activate(struct memcg *memcg, int nid, bool file, unsigned long nr_pages)
{
	enum memcg_node_stat_item inactive = file ? NR_inactive_file : NR_inactive_anon;
	enum memcg_node_stat_item active = file ? NR_active_file : NR_active_anon;
	long n = MIN((long)nr_pages, memcg_node_stat(memcg, nid, inactive, true));

	if (n <= 0)
		return;
	memcg_mod_node_stat(memcg, nid, inactive, -n);
	memcg_mod_node_stat(memcg, nid, active, n);
	memcg_mod_stat(memcg, MEMCG_pgactivate, n);
}

void memcg_charge_kmem_forced(struct engine *e, struct memcg *memcg, unsigned long nr_pages)
{
	memcg_mod_stat(memcg, MEMCG_percpu, (long)nr_pages);
	memcg_mod_stat(memcg, MEMCG_kernel, (long)nr_pages);
	if (memcg_is_root(memcg))
		return;
	page_counter_charge(&memcg->memory, nr_pages);
	if (is_v1(e)) {
		page_counter_charge(&memcg->memsw, nr_pages);
		page_counter_charge(&memcg->kmem, nr_pages);
	}
}

void memcg_uncharge_kmem(struct engine *e, struct memcg *memcg, unsigned long nr_pages)
{
	memcg_mod_stat(memcg, MEMCG_percpu, -(long)nr_pages);
	memcg_mod_stat(memcg, MEMCG_kernel, -(long)nr_pages);
	if (memcg_is_root(memcg))
		return;
	if (is_v1(e))
		page_counter_uncharge(&memcg->kmem, nr_pages);
	refill_stock(e, memcg, nr_pages);
}

/*
 * The memcg goes offline: its kernel memory now belongs to the parent, as
 * the kernel reparents the obj_cgroup, so that freeing it later neither
 * pins the dying memcg nor lands in its stock. The parent's counter
 * already includes the pages; only the dying level lets go of them.
 */
void memcg_reparent_kmem(struct engine *e, struct memcg *memcg)
{
	struct memcg_holding *h, *tmp, *to;
	static const enum memcg_page_type kmem_types[] = { PAGE_KMEM, PAGE_KSTACK };
	size_t i;

	if (!memcg->parent)
		return;
	list_for_each_entry_safe(h, tmp, &memcg->holdings, memcg_node) {
		for (i = 0; i < ARRAY_SIZE(kmem_types); i++) {
			enum memcg_page_type type = kmem_types[i];
			unsigned long nr = h->resident[type];

			if (!nr)
				continue;
			to = holding_get(h->task, memcg->parent, h->nid);
			if (!to)
				continue;	/* stays with the dying memcg */
			to->resident[type] += nr;
			h->resident[type] = 0;
			memcg_account_pages(e, memcg, h->nid, type, -(long)nr);
			memcg_account_pages(e, memcg->parent, h->nid, type, (long)nr);
			page_counter_cancel_local(&memcg->memory, nr);
			if (is_v1(e)) {
				page_counter_cancel_local(&memcg->memsw, nr);
				page_counter_cancel_local(&memcg->kmem, nr);
			}
		}
		holding_put_if_empty(e, h);
	}
}

/* ---- try_charge ---------------------------------------------------------- */

static unsigned long calculate_overage(unsigned long usage, unsigned long high)
{
	if (usage <= high)
		return 0;
	if (!high)
		high = 1;
	return (unsigned long)(((unsigned __int128)(usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / high);
}

static unsigned long max_overage(const struct memcg *memcg, bool swap)
{
	unsigned long overage, max = 0;

	for (; memcg && !memcg_is_root(memcg); memcg = memcg->parent) {
		const struct page_counter *c = swap ? &memcg->swap : &memcg->memory;

		overage = calculate_overage(c->usage, c->high);
		if (overage > max)
			max = overage;
	}
	return max;
}

static unsigned long calculate_high_delay(unsigned long nr_pages, unsigned long overage)
{
	unsigned __int128 penalty;

	if (!overage)
		return 0;
	penalty = (unsigned __int128)overage * overage * HZ;
	penalty >>= MEMCG_DELAY_PRECISION_SHIFT;
	penalty >>= MEMCG_DELAY_SCALING_SHIFT;
	return (unsigned long)(penalty * nr_pages / MEMCG_CHARGE_BATCH);
}

uint64_t memcg_throttle_penalty_ns(const struct memcg *memcg, unsigned long nr_pages)
{
	unsigned long jiffies = calculate_high_delay(nr_pages, max_overage(memcg, false)) +
				calculate_high_delay(nr_pages, max_overage(memcg, true));

	if (jiffies > MEMCG_MAX_HIGH_DELAY_JIFFIES)
		jiffies = MEMCG_MAX_HIGH_DELAY_JIFFIES;
	return (uint64_t)jiffies * NSEC_PER_JIFFY;
}

static unsigned long reclaim_high(struct engine *e, struct memcg *memcg, unsigned long nr_pages)
{
	struct reclaim_request req = {
		.nr_pages = nr_pages,
		.may_swap = true,
		.swappiness = -1,
		.kind = RECLAIM_DIRECT,
	};
	unsigned long reclaimed = 0;

	for (; memcg && !memcg_is_root(memcg); memcg = memcg->parent) {
		if (memcg->memory.usage <= memcg->memory.high)
			continue;
		memcg_memory_event(e, memcg, MEMCG_HIGH);
		reclaimed += try_to_free_mem_cgroup_pages(e, memcg, &req);
	}
	return reclaimed;
}

/*
 * mem_cgroup_handle_over_high(): runs when the task returns to user space.
 * Return: the penalty the task sleeps, 0 if none.
 */
static uint64_t handle_over_high(struct engine *e, struct memcg_task *task)
{
	unsigned long nr_pages = task->nr_pages_over_high;
	int retries = MAX_RECLAIM_RETRIES;
	bool in_retry = false;
	struct memcg *memcg;
	uint64_t penalty;

	if (!nr_pages || !task->cgroup)
		return 0;
	task->nr_pages_over_high = 0;
	memcg = cgroup_memcg(task->cgroup);

	for (;;) {
		unsigned long reclaimed;

		if (task->dead || task->oom_victim)
			return 0;
		reclaimed = reclaim_high(e, memcg, in_retry ? SWAP_CLUSTER_MAX : nr_pages);
		penalty = memcg_throttle_penalty_ns(memcg, nr_pages);
		if (penalty <= NSEC_PER_JIFFY * (HZ / 100))
			return 0;
		if (!reclaimed && !retries--)
			break;
		in_retry = true;
	}
	/* Reclaim could not bring usage under high: the task sleeps. */
	engine_log(e, LOG_THROTTLE, 0, task->cgroup->id, task->pid, penalty);
	return penalty;
}

/*
 * The task returns to user space after a fault: @io_ns waiting for the
 * disk to read a page back, the reclaim it did since @reclaim_before
 * (engine->reclaim_ns) and the memory.high penalty are time it spent
 * stalled on memory, one after the other, and memory.pressure shows them
 * (psi_memstall_enter/leave bracket the swap-in read, the
 * try_to_free_mem_cgroup_pages() calls of try_charge_memcg and
 * reclaim_high, and the penalty's sleep).
 */
static void return_to_user(struct engine *e, struct memcg_task *task, uint64_t reclaim_before,
			   uint64_t io_ns)
{
	uint64_t penalty = handle_over_high(e, task);
	uint64_t stall = io_ns + e->reclaim_ns - reclaim_before;
	uint64_t done = e->now_ns + stall;

	/* what the swap device is too far behind on, the reclaimer waits for */
	if (e->reclaim_ns != reclaim_before && e->swap_disk_until_ns > done + SWAP_WRITE_BEHIND_NS)
		stall += e->swap_disk_until_ns - done - SWAP_WRITE_BEHIND_NS;
	stall += penalty;

	if (!stall || task->dead || !task->cgroup)
		return;
	task->throttle_until_ns = MAX(task->throttle_until_ns, e->now_ns) + stall;
	psi_memstall(e, task->cgroup, stall);
}

static bool over_high(const struct memcg *memcg)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg->memory.usage > memcg->memory.high || memcg->swap.usage > memcg->swap.high)
			return true;
	return false;
}

enum charge_result {
	CHARGE_OK,
	CHARGE_NOMEM,
	CHARGE_KILLED,
	CHARGE_OOM_WAIT,	/* v1 oom_kill_disable: the task waits */
};

/* What kind of fault a charge is for. */
enum charge_kind {
	CHARGE_SMALL,		/* order-0 pages */
	CHARGE_THP,		/* a huge page, reclaiming at the limit (madvised) */
	CHARGE_THP_NORECLAIM,	/* a huge page that must not reclaim (GFP_TRANSHUGE_LIGHT) */
};

/*
 * Charge the counters of @memcg for @nr_pages (try_charge_memcg). Small
 * pages stand for order-0 faults, so a reclaim that made any progress
 * retries without using up a retry, as the kernel does for small charges;
 * a huge page does not, and gives up instead of going OOM
 * (mem_cgroup_oom() skips costly orders).
 */
static enum charge_result try_charge_memcg(struct engine *e, struct memcg *memcg,
					   struct memcg_task *task, unsigned long nr_pages,
					   enum charge_kind kind)
{
	unsigned long batch = MAX(MEMCG_CHARGE_BATCH, nr_pages);
	int nr_retries = MAX_RECLAIM_RETRIES;
	bool drained = false, passed_oom = false;
	struct page_counter *fail;
	struct memcg *over_limit;
	bool may_swap;

	if (memcg_is_root(memcg))
		return CHARGE_OK;
retry:
	/* served from the stock: memory.high is looked at only after a counter charge */
	if (consume_stock(e, memcg, nr_pages))
		return CHARGE_OK;

	may_swap = true;
	if (is_v1(e) && !page_counter_try_charge(&memcg->memsw, batch, &fail)) {
		over_limit = container_of(fail, struct memcg, memsw);
		may_swap = false;	/* swapping does not lower mem+swap */
	} else if (!page_counter_try_charge(&memcg->memory, batch, &fail)) {
		if (is_v1(e))
			page_counter_uncharge(&memcg->memsw, batch);
		over_limit = container_of(fail, struct memcg, memory);
	} else {
		if (batch > nr_pages)
			refill_stock(e, memcg, batch - nr_pages);
		goto done;
	}

	if (batch > nr_pages) {
		batch = nr_pages;
		goto retry;
	}
	if (task && (task->dead || task->oom_victim))
		return task->dead ? CHARGE_KILLED : CHARGE_NOMEM;
	if (kind == CHARGE_THP_NORECLAIM)
		return CHARGE_NOMEM;	/* no direct reclaim: no max event either */

	memcg_memory_event(e, over_limit, MEMCG_MAX);

	{
		struct reclaim_request req = {
			.nr_pages = nr_pages,
			.may_swap = may_swap,
			.swappiness = -1,
			.kind = RECLAIM_DIRECT,
		};
		unsigned long reclaimed = try_to_free_mem_cgroup_pages(e, over_limit, &req);
		struct page_counter *c = may_swap ? &over_limit->memory : &over_limit->memsw;

		if (page_counter_margin(c) >= nr_pages)
			goto retry;
		if (!drained) {
			drain_all_stock(e, over_limit);
			drained = true;
			goto retry;
		}
		if (reclaimed && kind == CHARGE_SMALL)
			goto retry;
	}
	if (nr_retries--)
		goto retry;
	if (kind != CHARGE_SMALL)
		return CHARGE_NOMEM;
	if (passed_oom && task && task->oom_victim)
		return CHARGE_NOMEM;

	memcg_memory_event(e, over_limit, MEMCG_OOM);
	if (is_v1(e) && over_limit->oom_kill_disable) {
		if (!task)
			return CHARGE_NOMEM;
		memcg1_oom_wait(e, over_limit, task);
		return CHARGE_OOM_WAIT;
	}
	if (is_v1(e))
		memcg1_oom_notify(e, over_limit);
	if (mem_cgroup_out_of_memory(e, over_limit, task)) {
		if (task && task->dead)
			return CHARGE_KILLED;
		passed_oom = true;
		nr_retries = MAX_RECLAIM_RETRIES;
		goto retry;
	}
	/* a user page fault is never forced past the limit: no __GFP_NOFAIL */
	return CHARGE_NOMEM;

done:
	if (task && over_high(memcg))
		task->nr_pages_over_high += batch;
	return CHARGE_OK;
}


/* Can @task fault in @nr_pages now? Return: 0, or memcg_task_charge()'s errno. */
static int task_may_charge(const struct memcg_task *task, unsigned long nr_pages)
{
	if (task->dead)
		return -EINTR;
	if (task->oom_wait)
		return -EAGAIN;
	if (!task->cgroup || nr_pages > HPAGE_PMD_NR)
		return -EINVAL;
	return 0;
}

/* The machine itself may be full: global reclaim, then the global OOM killer. */
static int make_room(struct engine *e, struct memcg_task *task, unsigned long nr_pages)
{
	int ret;

	if (engine_ram_free(e) >= nr_pages)
		return 0;
	ret = engine_make_room(e, nr_pages, task, NULL, NULL);
	return ret && task->dead ? -EINTR : ret;
}

/* try_charge_memcg() for a task, as memcg_task_charge() reports it */
static int charge_for_task(struct engine *e, struct memcg *memcg, struct memcg_task *task,
			   unsigned long nr_pages, enum charge_kind kind)
{
	switch (try_charge_memcg(e, memcg, task, nr_pages, kind)) {
	case CHARGE_OK:
		return 0;
	case CHARGE_KILLED:
		return -EINTR;
	case CHARGE_OOM_WAIT:
		return -EAGAIN;
	default:
		return -ENOMEM;
	}
}

static int charge_pages(struct engine *e, struct memcg_task *task, struct memcg *memcg,
			enum memcg_page_type type, unsigned long nr_pages);

int memcg_task_charge(struct engine *e, struct memcg_task *task, enum memcg_page_type type,
		      unsigned long nr_pages)
{
	uint64_t reclaim_before;
	struct memcg *memcg;
	int ret;

	ret = task_may_charge(task, nr_pages);
	if (!ret && nr_pages > MEMCG_CHARGE_BATCH)
		ret = -EINVAL;
	if (ret)
		return ret;
	memcg = cgroup_memcg(task->cgroup);
	reclaim_before = e->reclaim_ns;

	ret = make_room(e, task, nr_pages);
	if (!ret)
		ret = charge_pages(e, task, memcg, type, nr_pages);
	/* a failed charge reclaimed all the same */
	return_to_user(e, task, reclaim_before, 0);
	return ret;
}

/* memcg_task_charge() once the machine has room: the counters, then the pages */
static int charge_pages(struct engine *e, struct memcg_task *task, struct memcg *memcg,
			enum memcg_page_type type, unsigned long nr_pages)
{
	struct memcg_holding *h;
	struct page_counter *fail;
	int ret;

	if (type == PAGE_SOCK && is_v1(e)) {
		/* v1 socket memory lives in kmem.tcp only, outside usage */
		if (!memcg_is_root(memcg) && !page_counter_try_charge(&memcg->tcpmem, nr_pages, &fail))
			return -ENOMEM;
	} else {
		ret = charge_for_task(e, memcg, task, nr_pages, CHARGE_SMALL);
		if (ret)
			return ret;
		/* v1 kernel memory is also counted in kmem, which 6.18 never limits */
		if (is_kmem(type) && is_v1(e) && !memcg_is_root(memcg))
			page_counter_charge(&memcg->kmem, nr_pages);
	}

	/* the task may have moved while the OOM killer ran: charge where counted */
	h = holding_get(task, memcg, task->nid);
	if (!h)
		return -ENOMEM;
	h->resident[type] += nr_pages;
	holding_account(e, h, type, (long)nr_pages);
	if (is_folio(type)) {
		memcg_mod_stat(memcg, MEMCG_pgpgin, (long)nr_pages);
		if (is_v1(e))
			memcg1_check_events(e, memcg, task->nid, nr_pages);
	}
	if (type == PAGE_ANON || type == PAGE_SHMEM)
		memcg_mod_stat(memcg, MEMCG_pgfault, (long)nr_pages);
	return 0;
}

static void cancel_charge(struct engine *e, struct memcg *memcg, unsigned long nr_pages);

bool memcg_task_thp_enabled(const struct engine *e, const struct memcg_task *task)
{
	if (task->thp == TASK_THP_NEVER)
		return false;
	return e->cfg.thp == THP_ALWAYS || (e->cfg.thp == THP_MADVISE && task->thp == TASK_THP_MADVISE);
}

int memcg_task_charge_thp(struct engine *e, struct memcg_task *task)
{
	/* defrag "madvise": only a madvised region reclaims for its huge page */
	enum charge_kind kind = task->thp == TASK_THP_MADVISE ? CHARGE_THP : CHARGE_THP_NORECLAIM;
	uint64_t reclaim_before;
	struct memcg_holding *h = NULL;
	struct memcg *memcg;
	int ret;

	ret = task_may_charge(task, HPAGE_PMD_NR);
	if (ret)
		return ret;
	memcg = cgroup_memcg(task->cgroup);
	reclaim_before = e->reclaim_ns;
	/* the machine has no 2M to give without reclaim: small pages */
	if (engine_ram_free(e) < HPAGE_PMD_NR)
		return -ENOMEM;
	ret = charge_for_task(e, memcg, task, HPAGE_PMD_NR, kind);
	if (!ret) {
		h = holding_get(task, memcg, task->nid);
		if (!h) {
			cancel_charge(e, memcg, HPAGE_PMD_NR);
			ret = -ENOMEM;
		}
	}
	if (!ret) {
		h->resident[PAGE_ANON] += HPAGE_PMD_NR;
		h->thp_anon += HPAGE_PMD_NR;
		memcg_account_pages(e, memcg, task->nid, PAGE_ANON, (long)HPAGE_PMD_NR);
		memcg_mod_node_stat(memcg, task->nid, NR_anon_thp, (long)HPAGE_PMD_NR);
		memcg_mod_stat(memcg, MEMCG_thp_fault_alloc, 1);
		memcg_mod_stat(memcg, MEMCG_pgpgin, (long)HPAGE_PMD_NR);
		memcg_mod_stat(memcg, MEMCG_pgfault, 1);
		if (is_v1(e))
			memcg1_check_events(e, memcg, task->nid, HPAGE_PMD_NR);
	}
	return_to_user(e, task, reclaim_before, 0);
	return ret;
}

void holding_split_thp(struct memcg_holding *h, unsigned long reclaimed)
{
	unsigned long fit = h->resident[PAGE_ANON] / HPAGE_PMD_NR * HPAGE_PMD_NR;
	unsigned long thp = h->thp_anon - MIN(h->thp_anon, reclaimed);

	thp = MIN(thp, fit);
	if (h->thp_anon == thp)
		return;
	memcg_mod_node_stat(h->memcg, h->nid, NR_anon_thp, -(long)(h->thp_anon - thp));
	h->thp_anon = thp;
}

/* ---- uncharge ------------------------------------------------------------ */

/* Release resident pages of a holding from every counter that has them. */
static void holding_uncharge_resident(struct engine *e, struct memcg_holding *h,
				      enum memcg_page_type type, unsigned long nr_pages)
{
	struct memcg *memcg = h->memcg;

	if (!nr_pages)
		return;
	if (type == PAGE_FILE)
		holding_drop_file(e, h, nr_pages);
	h->resident[type] -= nr_pages;
	if (type == PAGE_ANON)
		holding_split_thp(h, 0);
	holding_account(e, h, type, -(long)nr_pages);
	if (is_folio(type))
		memcg_mod_stat(memcg, MEMCG_pgpgout, (long)nr_pages);
	if (memcg_is_root(memcg)) {
		/* no counters to lower */
	} else if (type == PAGE_SOCK && is_v1(e)) {
		page_counter_uncharge(&memcg->tcpmem, nr_pages);
	} else if (is_kmem(type)) {
		/*
		 * Freed kernel memory goes back to the stock, not the counters
		 * (obj_cgroup_uncharge_pages): what stays after every task
		 * has exited is this, as on a real machine.
		 */
		if (is_v1(e))
			page_counter_uncharge(&memcg->kmem, nr_pages);
		refill_stock(e, memcg, nr_pages);
	} else {
		page_counter_uncharge(&memcg->memory, nr_pages);
		if (is_v1(e))
			page_counter_uncharge(&memcg->memsw, nr_pages);
	}
	/* uncharge_batch(): waiters and thresholds see the lowered usage */
	if (is_v1(e) && !memcg_is_root(memcg))
		memcg1_oom_recover(e, memcg);
	if (is_v1(e) && is_folio(type))
		memcg1_check_events(e, memcg, h->nid, nr_pages);
}

/* Free swap entries of a holding (the page is gone, not swapped in). */
static void holding_free_swap(struct engine *e, struct memcg_holding *h, bool shmem,
			     unsigned long nr_pages)
{
	struct memcg *memcg = h->memcg;

	if (!nr_pages)
		return;
	if (shmem)
		h->swapped_shmem -= nr_pages;
	else
		h->swapped_anon -= nr_pages;
	e->swap_used -= nr_pages;
	memcg_mod_stat(memcg, MEMCG_swap, -(long)nr_pages);
	if (memcg_is_root(memcg))
		return;
	if (is_v1(e))
		page_counter_uncharge(&memcg->memsw, nr_pages);
	else
		page_counter_uncharge(&memcg->swap, nr_pages);
}

/* ---- swap-in --------------------------------------------------------------- */

/* Undo a charge that found nowhere to land (cancel_charge). */
static void cancel_charge(struct engine *e, struct memcg *memcg, unsigned long nr_pages)
{
	if (memcg_is_root(memcg))
		return;
	page_counter_uncharge(&memcg->memory, nr_pages);
	if (is_v1(e))
		page_counter_uncharge(&memcg->memsw, nr_pages);
}

/*
 * Swap in up to @nr_pages of @h's swapped anon memory. The swap entry
 * remembers its memcg: the pages are charged there again, or to the
 * task's own memcg once that one is gone (mem_cgroup_swapin_charge_folio).
 */
static int holding_swapin(struct engine *e, struct memcg_task *task, struct memcg_holding *h,
			  unsigned long nr_pages)
{
	struct memcg *memcg = h->memcg->online ? h->memcg : cgroup_memcg(task->cgroup);
	struct memcg_holding *to;
	int nid = h->nid, ret;

	ret = make_room(e, task, nr_pages);
	if (!ret)
		ret = charge_for_task(e, memcg, task, nr_pages, CHARGE_SMALL);
	if (ret)
		return ret;
	to = memcg == h->memcg ? h : holding_get(task, memcg, nid);
	if (!to) {
		cancel_charge(e, memcg, nr_pages);
		return -ENOMEM;
	}
	/* read back (a major fault) and, being written to, out of swap at once */
	holding_free_swap(e, h, false, nr_pages);
	to->resident[PAGE_ANON] += nr_pages;
	memcg_account_pages(e, memcg, nid, PAGE_ANON, (long)nr_pages);
	memcg_mod_stat(memcg, MEMCG_pgpgin, (long)nr_pages);
	memcg_mod_stat(memcg, MEMCG_pgfault, (long)nr_pages);
	memcg_mod_stat(memcg, MEMCG_pgmajfault, (long)nr_pages);
	memcg_mod_stat(memcg, MEMCG_pswpin, (long)nr_pages);
	memcg_mod_node_stat(memcg, nid, NR_workingset_refault_anon, (long)nr_pages);
	if (is_v1(e))
		memcg1_check_events(e, memcg, nid, nr_pages);
	if (h != to)
		holding_put_if_empty(e, h);
	return 0;
}

int memcg_task_swapin(struct engine *e, struct memcg_task *task, unsigned long nr_pages)
{
	struct memcg_holding *h, *tmp;
	unsigned long n, read = 0;
	uint64_t reclaim_before;
	int ret;

	ret = task_may_charge(task, nr_pages);
	if (ret)
		return ret;
	reclaim_before = e->reclaim_ns;
	list_for_each_entry_safe(h, tmp, &task->holdings, task_node) {
		if (!nr_pages)
			break;
		n = MIN(nr_pages, h->swapped_anon);
		if (!n)
			continue;
		ret = holding_swapin(e, task, h, n);
		if (ret) {
			return_to_user(e, task, reclaim_before, 0);
			return ret;
		}
		nr_pages -= n;
		read += n;
	}
	/*
	 * The task waits for the disk to read them: a refault of its working
	 * set, which the kernel counts as a memory stall (return_to_user()).
	 */
	return_to_user(e, task, reclaim_before, (uint64_t)read * NSEC_PER_SEC / DISK_PAGES_PER_SEC);
	return 0;
}

/* Free up to @nr_pages of @type from @h, resident and swapped in proportion. */
static unsigned long holding_free(struct engine *e, struct memcg_holding *h,
				  enum memcg_page_type type, unsigned long nr_pages)
{
	unsigned long *swapped = type == PAGE_ANON ? &h->swapped_anon :
				 type == PAGE_SHMEM ? &h->swapped_shmem : NULL;
	unsigned long resident = h->resident[type];
	unsigned long total = resident + (swapped ? *swapped : 0);
	unsigned long from_swap, from_resident;

	if (nr_pages > total)
		nr_pages = total;
	if (!nr_pages)
		return 0;
	from_swap = swapped ? (unsigned long)((unsigned __int128)nr_pages * *swapped / total) : 0;
	from_resident = nr_pages - from_swap;
	if (from_resident > resident) {
		from_swap += from_resident - resident;
		from_resident = resident;
	}
	holding_uncharge_resident(e, h, type, from_resident);
	if (from_swap)
		holding_free_swap(e, h, type == PAGE_SHMEM, from_swap);
	return nr_pages;
}

unsigned long memcg_task_uncharge(struct engine *e, struct memcg_task *task,
				  enum memcg_page_type type, unsigned long nr_pages)
{
	struct memcg_holding *h, *tmp;
	unsigned long freed = 0;
	struct memcg *current = task->cgroup ? cgroup_memcg(task->cgroup) : NULL;

	/* the current memcg's pages first, then older holdings */
	list_for_each_entry_safe(h, tmp, &task->holdings, task_node) {
		if (h->memcg != current)
			continue;
		freed += holding_free(e, h, type, nr_pages - freed);
		holding_put_if_empty(e, h);
	}
	list_for_each_entry_safe(h, tmp, &task->holdings, task_node) {
		if (freed == nr_pages)
			break;
		freed += holding_free(e, h, type, nr_pages - freed);
		holding_put_if_empty(e, h);
	}
	return freed;
}

void memcg_task_release_all(struct engine *e, struct memcg_task *task)
{
	struct memcg_holding *h, *tmp;
	int type;

	list_for_each_entry_safe(h, tmp, &task->holdings, task_node) {
		for (type = 0; type < NR_PAGE_TYPES; type++)
			holding_free(e, h, type, ~0UL);
		holding_put_if_empty(e, h);
	}
}

unsigned long memcg_task_pages(const struct memcg_task *task, enum memcg_page_type type)
{
	const struct memcg_holding *h;
	unsigned long sum = 0;

	list_for_each_entry(h, &task->holdings, task_node) {
		sum += h->resident[type];
		if (type == PAGE_ANON)
			sum += h->swapped_anon;
		else if (type == PAGE_SHMEM)
			sum += h->swapped_shmem;
	}
	return sum;
}

unsigned long memcg_task_swapped(const struct memcg_task *task)
{
	const struct memcg_holding *h;
	unsigned long sum = 0;

	list_for_each_entry(h, &task->holdings, task_node)
		sum += h->swapped_anon + h->swapped_shmem;
	return sum;
}

/* ---- limit writers -------------------------------------------------------- */

void memcg_set_high(struct engine *e, struct memcg *memcg, unsigned long high, bool nonblock)
{
	struct reclaim_request req = {
		.may_swap = true,
		.swappiness = -1,
		.kind = RECLAIM_DIRECT,
	};
	int retries = MAX_RECLAIM_RETRIES;
	bool drained = false;

	memcg->memory.high = high;
	if (nonblock)
		return;
	while (memcg->memory.usage > high) {
		unsigned long reclaimed;

		if (!drained) {
			drain_all_stock(e, memcg);
			drained = true;
			continue;
		}
		req.nr_pages = memcg->memory.usage - high;
		reclaimed = try_to_free_mem_cgroup_pages(e, memcg, &req);
		if (!reclaimed && !retries--)
			break;
	}
}

void memcg_set_max(struct engine *e, struct memcg *memcg, unsigned long max, bool nonblock)
{
	struct reclaim_request req = {
		.may_swap = true,
		.swappiness = -1,
		.kind = RECLAIM_DIRECT,
	};
	int retries = MAX_RECLAIM_RETRIES;
	bool drained = false;

	memcg->memory.max = max;
	if (nonblock)
		return;
	while (memcg->memory.usage > max) {
		if (!drained) {
			drain_all_stock(e, memcg);
			drained = true;
			continue;
		}
		if (retries > 0) {
			req.nr_pages = memcg->memory.usage - max;
			if (!try_to_free_mem_cgroup_pages(e, memcg, &req))
				retries--;
			continue;
		}
		memcg_memory_event(e, memcg, MEMCG_OOM);
		if (!mem_cgroup_out_of_memory(e, memcg, NULL))
			break;
	}
}

int memcg_proactive_reclaim(struct engine *e, struct memcg *memcg, unsigned long nr_pages,
			    int swappiness)
{
	struct reclaim_request req = {
		.may_swap = true,
		.swappiness = swappiness,
		.kind = RECLAIM_PROACTIVE,
	};
	unsigned long reclaimed = 0;
	int retries = MAX_RECLAIM_RETRIES;

	/*
	 * memory_reclaim() drains only the LRU add caches before its last try
	 * (lru_add_drain_all), never the charge stock: a reclaim that fails
	 * leaves memory.current as it was.
	 */
	while (reclaimed < nr_pages) {
		unsigned long got;

		req.nr_pages = MAX((nr_pages - reclaimed) / 4, SWAP_CLUSTER_MAX);
		req.nr_pages = MIN(req.nr_pages, nr_pages - reclaimed);
		got = try_to_free_mem_cgroup_pages(e, memcg, &req);
		if (!got && !retries--)
			return -EAGAIN;
		reclaimed += got;
	}
	return 0;
}
