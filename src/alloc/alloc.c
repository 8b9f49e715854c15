// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The task table of the simulated machine (see alloc.h). Allocation runs in
 * steps of MEMCG_CHARGE_BATCH pages, each a return to user space for the
 * engine, so memory.high throttling can pause a task between steps.
 *
 * May include: libc, Linux syscalls, common/, engine/. Never FUSE or JSON.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/clock.h"
#include "alloc/alloc.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/memcg_v1.h"
#include "engine/psi_trigger.h"
#include "engine/writeback.h"

#define HASH_SIZE 4096

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

static int pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static struct sim_task **hash_slot(struct alloc *a, int pid)
{
	return &a->hash[(unsigned int)pid % a->hash_size];
}

struct sim_task *alloc_find_locked(struct alloc *a, int pid)
{
	struct sim_task *t;

	for (t = *hash_slot(a, pid); t; t = t->hash_next)
		if (t->mt.pid == pid)
			return t;
	return NULL;
}

static void task_settle(struct sim_task *t, enum task_outcome outcome)
{
	struct task_waiter w = t->waiter;

	if (t->outcome == TASK_RUNNING || outcome != TASK_CHARGED)
		t->outcome = outcome;
	t->waiter.fn = NULL;
	if (w.fn)
		w.fn(w.arg, t->mt.pid, outcome);
}

/* The task dies: memory released now, the entry freed by the reaper. */
static void task_exit(struct alloc *a, struct sim_task *t, enum task_outcome outcome)
{
	if (t->mt.dead)
		return;
	memcg1_oom_finish_wait(a->engine, &t->mt);
	memcg_task_release_all(a->engine, &t->mt);
	memset(t->pending, 0, sizeof(t->pending));
	t->mt.dead = true;
	task_settle(t, outcome);
}

static void ops_oom_kill(void *data, struct memcg_task *mt)
{
	struct sim_task *t = container_of(mt, struct sim_task, mt);

	/*
	 * A real victim gets SIGKILL (through the pidfd: exactly this process)
	 * and its memory is let go at once, as the OOM reaper frees a victim's
	 * anonymous memory without waiting for its exit (mm/oom_kill.c).
	 */
	if (mt->real)
		pidfd_send_signal(t->pidfd, SIGKILL);
	task_exit(data, t, TASK_OOM_KILLED);
}

static void ops_kill(void *data, struct memcg_task *mt)
{
	struct sim_task *t = container_of(mt, struct sim_task, mt);

	if (mt->real) {
		/*
		 * the kernel SIGKILLs every process of the cgroup; the pidfd
		 * names this one exactly. Divergence: memcgfs itself, written to
		 * a cgroup.procs, is spared, since no write may end the daemon.
		 */
		if (mt->pid != getpid())
			pidfd_send_signal(t->pidfd, SIGKILL);
		return;
	}
	task_exit(data, t, TASK_KILLED);
}


void alloc_clock_start(struct alloc *a)
{
	a->real_clock = true;
	a->clock_start_ns = monotonic_ns() - a->engine->now_ns;
}

void alloc_clock_sync_locked(struct alloc *a)
{
	uint64_t now;

	if (!a->real_clock)
		return;
	now = monotonic_ns() - a->clock_start_ns;
	if (now > a->engine->now_ns)	/* two threads sync: time never goes back */
		a->engine->now_ns = now;
}

int alloc_create(const struct engine_config *cfg, struct alloc **out)
{
	struct alloc *a = calloc(1, sizeof(*a));
	int ret = -ENOMEM;

	if (!a)
		return -ENOMEM;
	a->hash_size = HASH_SIZE;
	a->next_wake_ns = ALLOC_WAKE_NEVER;
	a->hash = calloc(a->hash_size, sizeof(*a->hash));
	if (!a->hash)
		goto out_free;
	a->next_pid = SIM_PID_BASE;
	INIT_LIST_HEAD(&a->tasks);
	INIT_LIST_HEAD(&a->real_tasks);
	a->realproc_stop_fd = -1;
	a->ops.oom_kill = ops_oom_kill;
	a->ops.kill = ops_kill;
	a->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	if (a->epoll_fd < 0) {
		ret = -errno;
		goto out_free;
	}
	ret = engine_create(cfg, &a->ops, a, &a->engine);
	if (ret)
		goto out_close;
	*out = a;
	return 0;

out_close:
	close(a->epoll_fd);
out_free:
	free(a->hash);
	free(a);
	return ret;
}

static void task_unhash(struct alloc *a, struct sim_task *t)
{
	struct sim_task **p;

	for (p = hash_slot(a, t->mt.pid); *p; p = &(*p)->hash_next)
		if (*p == t) {
			*p = t->hash_next;
			break;
		}
}

static void task_free(struct alloc *a, struct sim_task *t)
{
	memcg1_oom_finish_wait(a->engine, &t->mt);
	if (t->mt.real) {
		/* a real process that exited: what it held is freed with it */
		memcg_task_release_all(a->engine, &t->mt);
		realproc_task_release(t);
		list_del_init(&t->real_node);
	}
	cgroup_detach_task(a->engine, &t->mt);
	task_unhash(a, t);
	list_del_init(&t->all_node);
	if (t->pidfd >= 0) {
		epoll_ctl(a->epoll_fd, EPOLL_CTL_DEL, t->pidfd, NULL);
		close(t->pidfd);
	}
	a->nr_tasks--;
	free(t);
}

void alloc_destroy(struct alloc *a)
{
	struct sim_task *t, *tmp;

	if (!a)
		return;
	realproc_stop(a);
	list_for_each_entry_safe(t, tmp, &a->tasks, all_node) {
		memcg_task_release_all(a->engine, &t->mt);
		task_free(a, t);
	}
	engine_destroy(a->engine);
	close(a->epoll_fd);
	free(a->hash);
	free(a);
}

static struct sim_task *task_new(struct alloc *a, int pid)
{
	struct sim_task *t = calloc(1, sizeof(*t));
	struct sim_task **slot;

	if (!t)
		return NULL;
	t->mt.pid = pid;
	t->pidfd = -1;
	t->rp.status_fd = t->rp.adj_fd = -1;
	INIT_LIST_HEAD(&t->real_node);
	INIT_LIST_HEAD(&t->mt.cgroup_node);
	INIT_LIST_HEAD(&t->mt.holdings);
	INIT_LIST_HEAD(&t->mt.oom_wait_node);
	slot = hash_slot(a, pid);
	t->hash_next = *slot;
	*slot = t;
	list_add_tail(&t->all_node, &a->tasks);
	a->nr_tasks++;
	return t;
}

int alloc_spawn_locked(struct alloc *a, struct cgroup *cg, const unsigned long pages[NR_PAGE_TYPES],
		       int oom_score_adj, struct sim_task **out)
{
	struct sim_task *t;
	int ret = cgroup_can_attach(a->engine, cg);

	if (ret)
		return ret;
	if (a->next_pid == INT32_MAX)
		return -EAGAIN;
	t = task_new(a, a->next_pid++);
	if (!t)
		return -ENOMEM;
	t->mt.oom_score_adj = oom_score_adj;
	t->mt.nid = a->next_nid;
	a->next_nid = (a->next_nid + 1) % a->engine->cfg.nr_nodes;
	memcpy(t->pending, pages, NR_PAGE_TYPES * sizeof(*pages));
	t->pending[PAGE_KSTACK] = THREAD_SIZE_PAGES;	/* fork gives it a kernel stack first */
	t->wl = (struct workload){ .kind = WORKLOAD_HOLD, .last_ns = a->engine->now_ns };
	cgroup_attach_task(a->engine, cg, &t->mt);
	alloc_wake_locked(a, t);
	*out = t;
	return 0;
}

int alloc_set_workload_locked(struct alloc *a, struct sim_task *t, const struct workload *wl)
{
	if (workload_validate(wl))
		return -EINVAL;
	t->wl = *wl;
	t->wl.last_ns = a->engine->now_ns;
	t->wl.carry = 0;
	t->wl.done = 0;
	/* what a workload allocates, it allocates over time; churn starts holding */
	t->pending[wl->type] = 0;
	if (wl->kind == WORKLOAD_HOLD || wl->kind == WORKLOAD_CHURN || wl->kind == WORKLOAD_TOUCH)
		t->pending[wl->type] = wl->size;
	t->wl.churn_held = wl->kind == WORKLOAD_CHURN;
	alloc_wake_locked(a, t);
	cgroup_state_changed(a->engine, NULL);
	return 0;
}

static struct sim_task *find_simulated(struct alloc *a, int pid)
{
	struct sim_task *t = alloc_find_locked(a, pid);

	return t && !t->mt.real && !t->mt.dead ? t : NULL;
}

void sim_task_touch_anon(struct sim_task *t, unsigned long nr_pages)
{
	struct memcg *memcg = cgroup_memcg(t->mt.cgroup);
	unsigned long resident = 0, swapped = 0, refaults;
	const struct memcg_holding *h;

	list_for_each_entry(h, &t->mt.holdings, task_node) {
		resident += h->resident[PAGE_ANON];
		swapped += h->swapped_anon;
	}
	swapped -= MIN(swapped, t->pending[PENDING_SWAPIN]);	/* already on their way back */
	if (!(resident + swapped))
		return;
	nr_pages = MIN(nr_pages, resident + swapped);
	t->touch_frac += (uint64_t)(((unsigned __int128)nr_pages << 32) * swapped / (resident + swapped));
	refaults = MIN((unsigned long)(t->touch_frac >> 32), swapped);
	t->touch_frac &= 0xffffffffULL;
	t->pending[PENDING_SWAPIN] += refaults;
	memcg_activate(memcg, t->mt.nid, false, nr_pages - refaults);
}

int alloc_more_locked(struct alloc *a, int pid, const unsigned long pages[NR_PAGE_TYPES])
{
	struct sim_task *t = find_simulated(a, pid);
	int type;

	if (!t)
		return -ESRCH;
	for (type = 0; type < NR_PAGE_TYPES; type++)
		if (type != PAGE_KSTACK)
			t->pending[type] += pages[type];
	t->outcome = TASK_RUNNING;
	alloc_wake_locked(a, t);
	cgroup_state_changed(a->engine, NULL);
	return 0;
}

int alloc_free_locked(struct alloc *a, int pid, const unsigned long pages[NR_PAGE_TYPES])
{
	struct sim_task *t = find_simulated(a, pid);
	int type;

	if (!t)
		return -ESRCH;
	for (type = 0; type < NR_PAGE_TYPES; type++)
		if (type != PAGE_KSTACK)
			memcg_task_uncharge(a->engine, &t->mt, type, pages[type]);
	cgroup_state_changed(a->engine, NULL);
	return 0;
}

int alloc_kill_locked(struct alloc *a, int pid)
{
	struct sim_task *t = alloc_find_locked(a, pid);

	if (!t || t->mt.dead)
		return -ESRCH;
	ops_kill(a, &t->mt);
	return 0;
}

int alloc_tgid_of(int pid)
{
	char path[64], line[128];
	int tgid = pid;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return pid;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

bool alloc_pid_exists(int pid)
{
	if (pid <= 0 || pid >= SIM_PID_BASE)
		return false;
	/* signal 0 checks existence; EPERM means it exists but is not ours */
	return !kill(pid, 0) || errno == EPERM;
}

int alloc_target_get_locked(struct alloc *a, int pid, struct alloc_target *out)
{
	struct sim_task *t;
	int ret;

	memset(out, 0, sizeof(*out));
	out->pidfd = -1;
	/* the pid is looked up first: an unknown one is ESRCH whatever the cgroup */
	if (pid >= SIM_PID_BASE) {
		t = alloc_find_locked(a, pid);
		if (!t || t->mt.dead || t->mt.real)
			return -ESRCH;
		out->pid = pid;
		out->task = t;
		return 0;
	}
	pid = alloc_tgid_of(pid);
	if (!alloc_pid_exists(pid))
		return -ESRCH;
	/* a pidfd first, then the credentials: a pid reused meanwhile fails the read */
	out->pidfd = pidfd_open(pid, 0);
	if (out->pidfd < 0)
		return -ESRCH;
	ret = task_cred_read(pid, out->pidfd, &out->cred);
	if (!ret && task_cred_is_kthread(&out->cred))
		ret = -EINVAL;	/* cgroup_procs_write_start(): kernel threads stay put */
	if (ret) {
		alloc_target_put(out);
		return ret;
	}
	out->pid = pid;
	out->real = true;
	t = alloc_find_locked(a, pid);
	if (t && !t->mt.dead) {
		out->task = t;
		close(out->pidfd);	/* it has one of its own */
		out->pidfd = -1;
	}
	return 0;
}

void alloc_target_put(struct alloc_target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}

int alloc_target_attach_locked(struct alloc *a, struct cgroup *cg, struct alloc_target *target)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct sim_task *t = target->task;
	int ret = cgroup_can_attach(a->engine, cg);

	if (ret)
		return ret;
	if (t) {
		cgroup_attach_task(a->engine, cg, &t->mt);
		return 0;
	}
	t = task_new(a, target->pid);
	if (!t)
		return -ENOMEM;
	t->mt.real = true;
	t->pidfd = target->pidfd;
	target->pidfd = -1;
	ev.data.ptr = t;
	if (epoll_ctl(a->epoll_fd, EPOLL_CTL_ADD, t->pidfd, &ev)) {
		ret = -errno;
		task_free(a, t);
		return ret;
	}
	target->task = t;
	if (target->holder) {
		t->rp.holder = *target->holder;
		t->rp.has_holder = true;
	}
	realproc_task_init(t);
	list_add_tail(&t->real_node, &a->real_tasks);
	cgroup_attach_task(a->engine, cg, &t->mt);
	return 0;
}

int alloc_attach_locked(struct alloc *a, struct cgroup *cg, int pid)
{
	struct alloc_target target;
	int ret = alloc_target_get_locked(a, pid, &target);

	if (!ret)
		ret = alloc_target_attach_locked(a, cg, &target);
	alloc_target_put(&target);
	return ret;
}

int alloc_may_signal(const struct task_cred *writer, int pid, int pidfd)
{
	struct task_cred target;
	int ret = task_cred_read(pid, pidfd, &target);

	if (ret)
		return ret;
	return task_cred_may_signal(writer, &target) ? 0 : -EPERM;
}

static unsigned long task_pending_pages(const struct sim_task *t)
{
	unsigned long n = 0;
	int type;

	for (type = 0; type < NR_PENDING; type++)
		n += t->pending[type];
	return n;
}

static bool task_pending(const struct sim_task *t)
{
	return task_pending_pages(t) > 0;
}

/*
 * Does the task allocate now? A running workload gathers a batch first (a
 * stock's worth), as the kernel charges a batch at a time: that keeps a
 * slow ramp from costing a charge per tick.
 */
static bool task_ready(const struct sim_task *t)
{
	if (t->mt.oom_wait)
		return false;
	if (t->pending[PAGE_KSTACK])
		return true;	/* a task just started gets its stack at once */
	if (workload_active(&t->wl))
		return task_pending_pages(t) >= MEMCG_CHARGE_BATCH;
	return task_pending(t) || t->waiter.fn;
}

/* Allocate until done, throttled, failed or killed. */
static void task_run(struct alloc *a, struct sim_task *t)
{
	struct engine *e = a->engine;
	int type, ret;

	for (type = 0; type < NR_PENDING; type++) {
		while (t->pending[type]) {
			unsigned long chunk = MIN(t->pending[type], MEMCG_CHARGE_BATCH);

			if (t->mt.throttle_until_ns > e->now_ns)
				return;
			if (type == PAGE_ANON && !t->thp_fallback && t->pending[type] >= HPAGE_PMD_NR &&
			    memcg_task_thp_enabled(e, &t->mt)) {
				/* a fault in a 2M region with THP: one huge page, or small ones */
				ret = memcg_task_charge_thp(e, &t->mt);
				if (ret == -ENOMEM) {
					t->thp_fallback = HPAGE_PMD_NR;
					continue;
				}
				chunk = HPAGE_PMD_NR;
			} else if (type == PENDING_SWAPIN)
				ret = memcg_task_swapin(e, &t->mt, chunk);
			else if (type == PENDING_DIRTY)
				ret = memcg_task_charge(e, &t->mt, PAGE_FILE, chunk);
			else
				ret = memcg_task_charge(e, &t->mt, (enum memcg_page_type)type, chunk);
			if (!ret && type == PENDING_DIRTY)
				memcg_task_dirty(e, &t->mt, chunk);
			if (ret == -EINTR || ret == -EAGAIN)
				return;		/* OOM-killed (settled by task_exit), or in an OOM wait */
			if (ret) {
				memset(t->pending, 0, sizeof(t->pending));
				task_settle(t, TASK_CHARGE_FAILED);
				return;
			}
			t->pending[type] -= chunk;
			if (type == PAGE_ANON)
				t->thp_fallback -= MIN(t->thp_fallback, chunk);
		}
	}
	/* a ramp still growing (or a leak, churn, stream) has not finished */
	if (!workload_active(&t->wl))
		task_settle(t, TASK_CHARGED);
}

/*
 * When the task next has something to do by itself: the end of its
 * memory.high penalty, or its workload's next batch on the tick grid.
 * Always later than now, so that a run leaves no task due.
 */
static uint64_t task_next_wake(const struct sim_task *t, uint64_t now)
{
	uint64_t wake;

	if (task_pending(t) && t->mt.throttle_until_ns > now)
		return t->mt.throttle_until_ns;
	if (!workload_active(&t->wl))
		return task_ready(t) ? now + WORKLOAD_TICK_NS : ALLOC_WAKE_NEVER;
	wake = workload_next_ns(&t->wl, task_pending_pages(t));
	if (wake == UINT64_MAX)
		return ALLOC_WAKE_NEVER;
	wake = (wake + WORKLOAD_TICK_NS - 1) / WORKLOAD_TICK_NS * WORKLOAD_TICK_NS;
	return wake > now ? wake : now + WORKLOAD_TICK_NS;
}

void alloc_run_locked(struct alloc *a)
{
	uint64_t now = a->engine->now_ns;
	struct sim_task *t;

	writeback_advance(a->engine);
	a->next_wake_ns = writeback_next_ns(a->engine);
	list_for_each_entry(t, &a->tasks, all_node) {
		if (t->mt.dead || t->mt.real)
			continue;
		if (cgroup_freezing(t->mt.cgroup)) {
			/* frozen: no progress, and the time frozen is not made up after */
			t->wl.last_ns = now;
			continue;
		}
		if (t->wake_ns <= now) {
			workload_advance(a, t, now);
			if (task_ready(t))
				task_run(a, t);
			/* an OOM wait is ended by a request, and the next run looks again */
			t->wake_ns = t->mt.oom_wait ? 0 : task_next_wake(t, now);
		}
		if (!t->mt.oom_wait && t->wake_ns < a->next_wake_ns)
			a->next_wake_ns = t->wake_ns;
	}
	/* PSI triggers look at the stalls as time moves, and may need a later look */
	psi_triggers_update(a->engine);
	a->next_wake_ns = MIN(a->next_wake_ns, MAX(psi_triggers_next_update(a->engine), now + 1));
	alloc_reap_locked(a);
	/* a freeze or thaw just written, an OOM wait just over: real processes follow */
	if (!list_empty(&a->real_tasks))
		realproc_enforce_locked(a, monotonic_ns());
}

bool alloc_advance_locked(struct alloc *a, uint64_t until_ns, unsigned int max_runs)
{
	alloc_run_locked(a);
	while (a->next_wake_ns <= until_ns) {
		if (!max_runs--)
			return false;
		a->engine->now_ns = MAX(a->next_wake_ns, a->engine->now_ns + 1);
		alloc_run_locked(a);
	}
	a->engine->now_ns = until_ns;
	return true;
}

void alloc_wake_locked(struct alloc *a, struct sim_task *t)
{
	t->wake_ns = 0;
	a->next_wake_ns = 0;
}

void alloc_reap_locked(struct alloc *a)
{
	struct sim_task *t, *tmp;

	list_for_each_entry_safe(t, tmp, &a->tasks, all_node)
		if (t->mt.dead)
			task_free(a, t);
}

void alloc_reap_exited_locked(struct alloc *a)
{
	struct epoll_event evs[64];
	int i, n;

	while ((n = epoll_wait(a->epoll_fd, evs, 64, 0)) > 0) {
		for (i = 0; i < n; i++)
			task_free(a, evs[i].data.ptr);
	}
}

uint64_t alloc_next_wakeup_locked(struct alloc *a)
{
	return a->next_wake_ns;
}
