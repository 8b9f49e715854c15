// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sampler of real processes (see realproc.h). A real process's pages
 * are charged after the fact: the kernel charges each page as it faults it
 * in (mm/memcontrol.c: try_charge_memcg()), memcgfs charges what a process
 * gained since the last sample, in the same batches, and applies on the
 * whole gain what the kernel applies at each return to user space
 * (mem_cgroup_handle_over_high()). What the kernel does by not returning
 * from a fault (an OOM wait, a charge it keeps retrying, a memory.high
 * sleep, the freezer) memcgfs does with SIGSTOP and SIGCONT.
 *
 * May include: libc, Linux syscalls, common/, engine/, alloc/. Never FUSE or JSON.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "alloc/alloc.h"
#include "alloc/realproc.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/oom.h"

static const enum memcg_page_type real_types[] = { PAGE_ANON, PAGE_FILE, PAGE_SHMEM };

/* the longest sleep of one return to user space (MEMCG_MAX_HIGH_DELAY_JIFFIES, mm/memcontrol.c) */
#define MAX_HIGH_DELAY_NS (2 * NSEC_PER_SEC)

static int send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}


/* "Key:\t  1234 kB" as pages; absent (a kernel thread, a zombie) is 0 */
static unsigned long kb_field(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	unsigned long kb;

	if (!p || sscanf(p + strlen(key), "%lu", &kb) != 1)
		return 0;
	return kb / (PAGE_SIZE / 1024);
}

int realproc_parse_status(const char *text, struct realproc_sample *out)
{
	const char *p;

	memset(out, 0, sizeof(*out));
	/* the first line is Name:, so every other key follows a newline */
	p = strstr(text, "\nState:");
	if (!p || sscanf(p + 7, " %c", &out->state) != 1)
		return -ESRCH;
	p = strstr(text, "\nThreads:");
	if (!p || sscanf(p + 9, "%d", &out->threads) != 1)
		out->threads = 1;
	out->pages[PAGE_ANON] = kb_field(text, "\nRssAnon:");
	out->pages[PAGE_FILE] = kb_field(text, "\nRssFile:");
	out->pages[PAGE_SHMEM] = kb_field(text, "\nRssShmem:");
	return 0;
}

/* The whole of a /proc file kept open, read again from its start. */
static int read_again(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -ESRCH;
	while (len + 1 < size && (n = pread(fd, buf + len, size - 1 - len, (off_t)len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return len ? 0 : -ESRCH;
}

/* CLOCK_BOOTTIME in clock ticks: the clock of /proc/PID/stat's starttime */
static uint64_t boot_ticks(void)
{
	struct timespec ts;
	uint64_t hz = (uint64_t)sysconf(_SC_CLK_TCK);

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * hz + (uint64_t)ts.tv_nsec * hz / NSEC_PER_SEC;
}

/* Field 22 of /proc/PID/stat, after the command in parentheses; UINT64_MAX if unknown. */
static uint64_t start_ticks(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return UINT64_MAX;
	p = read_again(fd, buf, sizeof(buf)) ? NULL : strrchr(buf, ')');
	close(fd);
	/* after ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
	 * utime stime cutime cstime priority nice num_threads itrealvalue starttime */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
			 &start) != 1)
		return UINT64_MAX;
	return start;
}

void realproc_task_init(struct sim_task *t)
{
	char path[64];

	t->rp.joined_ticks = boot_ticks();

	snprintf(path, sizeof(path), "/proc/%d/status", t->mt.pid);
	t->rp.status_fd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", t->mt.pid);
	t->rp.adj_fd = open(path, O_RDONLY | O_CLOEXEC);
}

void realproc_task_release(struct sim_task *t)
{
	/* a process that leaves the tree alive is not left stopped by us */
	if (t->rp.stop_sent && t->pidfd >= 0)
		send_signal(t->pidfd, SIGCONT);
	t->rp.stop_sent = false;
	if (t->rp.status_fd >= 0)
		close(t->rp.status_fd);
	if (t->rp.adj_fd >= 0)
		close(t->rp.adj_fd);
	t->rp.status_fd = t->rp.adj_fd = -1;
}

/*
 * Charge @nr_pages of @type a batch at a time, each followed by the return
 * to user space of the fault that brought it in. Return: 0 or
 * memcg_task_charge()'s error; *@penalty_ns gains each memory.high sleep.
 */
static int charge_growth(struct engine *e, struct memcg_task *mt, enum memcg_page_type type,
			 unsigned long nr_pages, uint64_t *penalty_ns)
{
	while (nr_pages) {
		unsigned long chunk = MIN(nr_pages, MEMCG_CHARGE_BATCH);
		int ret;

		mt->throttle_until_ns = 0;
		ret = memcg_task_charge(e, mt, type, chunk);
		if (ret)
			return ret;
		if (mt->throttle_until_ns > e->now_ns)
			*penalty_ns += mt->throttle_until_ns - e->now_ns;
		nr_pages -= chunk;
	}
	return 0;
}

/* Is @memcg or an ancestor over its memory.high or swap.high? */
static bool over_high(const struct memcg *memcg)
{
	for (; memcg; memcg = memcg->parent)
		if (memcg->memory.usage > memcg->memory.high || memcg->swap.usage > memcg->swap.high)
			return true;
	return false;
}

void realproc_apply_locked(struct alloc *a, struct sim_task *t, const struct realproc_sample *s,
			   uint64_t now_mono)
{
	struct engine *e = a->engine;
	struct memcg_task *mt = &t->mt;
	unsigned long held[NR_PAGE_TYPES] = { 0 };
	uint64_t penalty_ns = 0;
	size_t i;
	int ret = 0;

	if (mt->dead || !mt->cgroup)
		return;
	cgroup_set_task_stopped(e, mt, s->state == 'T' || s->state == 't');
	/*
	 * Under memory.high again (raised, or memory freed): the kernel's
	 * task would end the sleep it is in and then charge without one, so
	 * what it still owes ends within one sleep.
	 */
	if (t->rp.throttle_end_ns > now_mono && !over_high(cgroup_memcg(mt->cgroup)))
		t->rp.throttle_end_ns = MIN(t->rp.throttle_end_ns, now_mono + MAX_HIGH_DELAY_NS);
	/* in a v1 OOM wait nothing is charged until room appears (memcg1_oom_recover) */
	if (mt->oom_wait)
		return;
	/* what it let go of first: that may be the room its growth needs */
	for (i = 0; i < ARRAY_SIZE(real_types); i++) {
		enum memcg_page_type type = real_types[i];

		held[type] = memcg_task_pages(mt, type);
		if (s->pages[type] < held[type])
			memcg_task_uncharge(e, mt, type, held[type] - s->pages[type]);
	}
	for (i = 0; i < ARRAY_SIZE(real_types) && !ret; i++) {
		enum memcg_page_type type = real_types[i];

		if (s->pages[type] > held[type])
			ret = charge_growth(e, mt, type, s->pages[type] - held[type], &penalty_ns);
	}
	if (ret == -EINTR)
		return;		/* OOM-killed: task_exit() let its memory go */
	/*
	 * -EAGAIN: a v1 OOM wait (mt->oom_wait). -ENOMEM: nobody could be
	 * killed; the kernel's fault fails with VM_FAULT_OOM and is retried
	 * (pagefault_out_of_memory()), so the process makes no progress.
	 */
	t->rp.charge_blocked = ret == -ENOMEM;
	/*
	 * The kernel sleeps after each batch over memory.high, before the
	 * next fault; the process ran ahead of its samples, so it owes the
	 * sum of those sleeps now.
	 */
	if (penalty_ns)
		t->rp.throttle_end_ns = MAX(t->rp.throttle_end_ns, now_mono) + penalty_ns;
}

static bool want_stopped(const struct sim_task *t, uint64_t now_mono)
{
	/* memcgfs itself, written to a cgroup.procs, is never stopped: nothing could wake it */
	if (t->mt.pid == getpid())
		return false;
	return cgroup_freezing(t->mt.cgroup) || t->mt.oom_wait || t->rp.charge_blocked ||
	       t->rp.throttle_end_ns > now_mono;
}

uint64_t realproc_enforce_locked(struct alloc *a, uint64_t now_mono)
{
	uint64_t next = UINT64_MAX;
	struct sim_task *t;

	list_for_each_entry(t, &a->real_tasks, real_node) {
		bool want;

		if (t->mt.dead || !t->mt.cgroup)
			continue;
		want = want_stopped(t, now_mono);
		if (want && !t->rp.stop_sent) {
			/* a process that is already gone is the pidfd's to reap */
			if (!send_signal(t->pidfd, SIGSTOP))
				t->rp.stop_sent = true;
		} else if (!want && t->rp.stop_sent) {
			send_signal(t->pidfd, SIGCONT);
			t->rp.stop_sent = false;
			/* running from now: a freeze right after must see it stop again */
			cgroup_set_task_stopped(a->engine, &t->mt, false);
		}
		if (t->rp.throttle_end_ns > now_mono && t->rp.throttle_end_ns < next)
			next = t->rp.throttle_end_ns;
	}
	return next;
}

/*
 * A child a member forked is in the member's cgroup (cgroup_post_fork()),
 * if the one who put the member there could signal it (alloc_may_signal()).
 */
static void adopt_child(struct alloc *a, struct sim_task *parent, int pid)
{
	struct pollfd pfd;
	struct alloc_target target;

	if (alloc_find_locked(a, pid) || alloc_target_get_locked(a, pid, &target))
		return;
	pfd = (struct pollfd){ .fd = target.pidfd, .events = POLLIN };
	/* a child that already exited (a zombie, an OOM victim) stays out */
	if (target.task || !target.real || poll(&pfd, 1, 0) != 0)
		goto out;
	/* forked before its parent joined: it stays where it was, as in the kernel */
	if (start_ticks(pid) < parent->rp.joined_ticks)
		goto out;
	if (parent->rp.has_holder && alloc_may_signal(&parent->rp.holder, pid, target.pidfd))
		goto out;
	target.holder = parent->rp.has_holder ? &parent->rp.holder : NULL;
	alloc_target_attach_locked(a, parent->mt.cgroup, &target);
out:
	alloc_target_put(&target);
}

static void adopt_children_of(struct alloc *a, struct sim_task *parent, int tid)
{
	char path[96], buf[4096], *p, *end;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", parent->mt.pid, tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!read_again(fd, buf, sizeof(buf))) {
		for (p = buf;; p = end) {
			long pid = strtol(p, &end, 10);

			if (end == p)
				break;
			if (pid > 0 && pid < SIM_PID_BASE)
				adopt_child(a, parent, (int)pid);
		}
	}
	close(fd);
}

/* Children of every thread: a thread that forks is the child's parent. */
static void adopt_children(struct alloc *a, struct sim_task *parent, int threads)
{
	char path[64];
	struct dirent *d;
	DIR *dir;

	if (threads <= 1) {
		adopt_children_of(a, parent, parent->mt.pid);
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/task", parent->mt.pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			adopt_children_of(a, parent, atoi(d->d_name));
	closedir(dir);
}

/*
 * A /proc file of @t: through the fd kept open, or, where none could be
 * kept (out of descriptors), by path, then trusted only if the pidfd says
 * the process is still alive (a pid reused meanwhile would be another's).
 */
static int read_proc_file(const struct sim_task *t, int fd, const char *name, char *buf, size_t size)
{
	struct pollfd pfd = { .fd = t->pidfd, .events = POLLIN };
	char path[64];
	int ret;

	if (fd >= 0)
		return read_again(fd, buf, size);
	snprintf(path, sizeof(path), "/proc/%d/%s", t->mt.pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	ret = read_again(fd, buf, size);
	close(fd);
	if (!ret && poll(&pfd, 1, 0) != 0)
		ret = -ESRCH;
	return ret;
}

static void sample_task(struct alloc *a, struct sim_task *t, uint64_t now_mono)
{
	struct realproc_sample s;
	char buf[4096];
	int adj;

	if (t->mt.dead || read_proc_file(t, t->rp.status_fd, "status", buf, sizeof(buf)) ||
	    realproc_parse_status(buf, &s))
		return;		/* gone: its pidfd reaps it */
	if (!read_proc_file(t, t->rp.adj_fd, "oom_score_adj", buf, sizeof(buf)) &&
	    sscanf(buf, "%d", &adj) == 1)
		t->mt.oom_score_adj = adj;
	/* nor killed by its own OOM killer: nothing a write does may end the daemon */
	if (t->mt.pid == getpid())
		t->mt.oom_score_adj = OOM_SCORE_ADJ_MIN;
	realproc_apply_locked(a, t, &s, now_mono);
	if (!t->mt.dead)
		adopt_children(a, t, s.threads);
}

void realproc_sample_locked(struct alloc *a, struct cgroup *cg)
{
	uint64_t now_mono;
	struct sim_task *t;

	if (list_empty(&a->real_tasks))
		return;
	alloc_clock_sync_locked(a);
	now_mono = monotonic_ns();
	/* children join at the tail, and are sampled in the same pass */
	list_for_each_entry(t, &a->real_tasks, real_node)
		if (!cg || (t->mt.cgroup && cgroup_is_descendant(t->mt.cgroup, cg)))
			sample_task(a, t, now_mono);
	realproc_enforce_locked(a, now_mono);
}

static void *sampler_main(void *arg)
{
	struct alloc *a = arg;
	struct pollfd pfd = { .fd = a->realproc_stop_fd, .events = POLLIN };

	for (;;) {
		uint64_t now, next;
		struct timespec ts;

		engine_lock(a->engine);
		alloc_reap_exited_locked(a);
		realproc_sample_locked(a, NULL);
		alloc_reap_locked(a);
		now = monotonic_ns();
		next = realproc_enforce_locked(a, now);
		engine_unlock(a->engine);
		/* the next sample, or sooner the end of a memory.high penalty */
		next = MIN(next, now + REALPROC_PERIOD_NS);
		next = next > now ? next - now : 0;
		ts.tv_sec = (time_t)(next / NSEC_PER_SEC);
		ts.tv_nsec = (long)(next % NSEC_PER_SEC);
		if (ppoll(&pfd, 1, &ts, NULL) > 0)
			break;
	}
	return NULL;
}

int realproc_start(struct alloc *a)
{
	int ret;

	a->realproc_stop_fd = eventfd(0, EFD_CLOEXEC);
	if (a->realproc_stop_fd < 0)
		return -errno;
	ret = pthread_create(&a->realproc_thread, NULL, sampler_main, a);
	if (ret) {
		close(a->realproc_stop_fd);
		a->realproc_stop_fd = -1;
		return -ret;
	}
	a->realproc_running = true;
	return 0;
}

void realproc_stop(struct alloc *a)
{
	uint64_t one = 1;

	if (!a->realproc_running)
		return;
	if (write(a->realproc_stop_fd, &one, sizeof(one)) != sizeof(one))
		return;	/* cannot happen on an eventfd below its maximum */
	pthread_join(a->realproc_thread, NULL);
	close(a->realproc_stop_fd);
	a->realproc_stop_fd = -1;
	a->realproc_running = false;
}
