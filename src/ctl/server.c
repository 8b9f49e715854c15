// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The service thread of the daemon (see server.h): one epoll loop over the
 * listening socket, its clients, the allocator's pidfd set, a timerfd for
 * throttled tasks and eventfds that wake the loop or ask it to stop.
 *
 * Every request runs under the engine lock, but no client is ever written
 * to under it: replies, --wait outcomes and watch events are queued on the
 * client and written by this thread alone, without the engine lock, on a
 * non-blocking socket, the rest when epoll says there is room. So a client
 * that stops reading (a stopped `memcgctl watch`) costs memory up to a
 * bound and never holds up the mount: a watcher that far behind is given
 * no more events until it reads, and then learns how many it lost; a
 * client whose replies pile up is not read from until they are gone.
 *
 * May include: libc, json-c, engine/, alloc/, ctl/.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "ctl/server.h"
#include "ctl/proto.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/global.h"
#include "ctl/sample.h"
#include "ctl/scenario.h"
#include "ctl/snapshot.h"

#define MAX_CLIENTS 256

/* a request may carry a whole scenario */
#define REQUEST_MAX (64UL << 20)
/* a client is not read from while this much of its output waits */
#define OUT_HIGH (4UL << 20)
/* a watcher is given no more events while this much waits for it */
#define WATCH_BACKLOG (256UL << 10)
/* a recorder's samples are dropped (and counted) while this much waits for it */
#define RECORD_BACKLOG (16UL << 20)
/* the shortest interval memcgctl record may ask for */
#define RECORD_MIN_INTERVAL_NS 1000000LL

struct ctl_client {
	int fd;
	struct ctl_server *srv;
	bool watching;			/* memcgctl watch: gets the engine log; engine lock */
	uint64_t next_seq;		/* the next log entry it has not seen; engine lock */
	/* memcgctl record: what it samples, and when next; engine lock */
	struct sample_spec *record;
	uint64_t record_interval_ns, record_next_ns;
	unsigned long record_lost;	/* samples dropped since the last one sent */

	/* the service thread's alone */
	struct ctl_reader reader;
	uint32_t epoll_events;		/* what epoll watches for now */
	bool eof;			/* the client will send nothing more */
	bool behind;			/* a watcher with log entries not yet queued */
	void (*finish)(struct ctl_client *c, void *data);	/* see ctl_defer() */
	void *finish_data;

	/* output not yet written, from any thread: protected by out_lock */
	pthread_mutex_t out_lock;
	char *out;
	size_t out_off, out_len, out_size;
	bool broken;			/* a write failed or memory ran out: close it */
};

struct ctl_server {
	struct alloc *alloc;
	bool manual_clock;
	int listen_fd, epoll_fd, timer_fd, stop_fd;
	int wake_fd;			/* eventfd: the engine logged, or output was queued */
	char path[108];
	struct stat sock_st;		/* the socket file as bound, to remove only ours */
	pthread_t thread;
	bool running;
	struct ctl_client *clients[MAX_CLIENTS];
};

/* a long step holds the engine this long at most, checking every so many runs */
#define STEP_HOLD_NS 20000000ULL
#define STEP_SLICE_RUNS 100

/* Tags for epoll data: clients are pointers, the rest small integers. */
enum { TAG_LISTEN = 1, TAG_PIDFDS, TAG_TIMER, TAG_STOP, TAG_WAKE, TAG_MAX };

/* Have the service loop look again: at the log, and at output to write. */
static void server_wake(struct ctl_server *srv)
{
	uint64_t one = 1;

	if (write(srv->wake_fd, &one, sizeof(one)) < 0) {
		/* the counter is full: the service loop is already woken */
	}
}

/*
 * Queue @len bytes of text and a newline for @c. Any thread, with or
 * without the engine lock: it only copies.
 */
static void client_queue_text(struct ctl_client *c, const char *text, size_t len)
{
	pthread_mutex_lock(&c->out_lock);
	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (!c->broken && c->out_len + len + 1 > c->out_size) {
		size_t size = c->out_size ? c->out_size : 4096;
		char *out;

		/* move what is left to the front before growing */
		if (c->out_off) {
			memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
			c->out_len -= c->out_off;
			c->out_off = 0;
		}
		while (size < c->out_len + len + 1)
			size *= 2;
		out = size > c->out_size ? realloc(c->out, size) : c->out;
		if (out) {
			c->out = out;
			c->out_size = MAX(size, c->out_size);
		} else {
			c->broken = true;	/* a reply cut short would be worse */
		}
	}
	if (!c->broken) {
		memcpy(c->out + c->out_len, text, len);
		c->out[c->out_len + len] = '\n';
		c->out_len += len + 1;
	}
	pthread_mutex_unlock(&c->out_lock);
}

/* Queue @obj as one line. */
static void client_queue(struct ctl_client *c, struct json_object *obj)
{
	const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);

	client_queue_text(c, text, strlen(text));
}

/* Bytes queued for @c and not yet written. */
static size_t client_backlog(struct ctl_client *c)
{
	size_t n;

	pthread_mutex_lock(&c->out_lock);
	n = c->out_len - c->out_off;
	pthread_mutex_unlock(&c->out_lock);
	return n;
}

/*
 * ctl_defer() - finish the current request's reply after the engine lock
 * is dropped: a handler that copied what it needs returns NULL and leaves
 * @fn to build and queue the text from the copy.
 */
static void ctl_defer(struct ctl_client *c, void (*fn)(struct ctl_client *c, void *data), void *data)
{
	c->finish = fn;
	c->finish_data = data;
}


/* Real clock: simulated time is wall time since the daemon started. */
static void clock_sync_locked(struct ctl_server *srv)
{
	alloc_clock_sync_locked(srv->alloc);
}

static uint64_t records_next_due_locked(struct ctl_server *srv);

/* Arm the timer for the next throttled task or sample, real clock only. */
static void timer_arm_locked(struct ctl_server *srv)
{
	struct itimerspec its = { 0 };
	uint64_t next = alloc_next_wakeup_locked(srv->alloc);
	uint64_t now = srv->alloc->engine->now_ns;
	uint64_t due = records_next_due_locked(srv);

	if (due != UINT64_MAX && (next == ALLOC_WAKE_NEVER || due < next))
		next = due;
	if (next != ALLOC_WAKE_NEVER && !srv->manual_clock) {
		uint64_t delta = next > now ? next - now : 1;

		its.it_value.tv_sec = (time_t)(delta / 1000000000ULL);
		its.it_value.tv_nsec = (long)(delta % 1000000000ULL);
	}
	timerfd_settime(srv->timer_fd, 0, &its, NULL);
}

static const char *outcome_name(enum task_outcome o)
{
	switch (o) {
	case TASK_CHARGED:
		return "charged";
	case TASK_OOM_KILLED:
		return "oom_killed";
	case TASK_KILLED:
		return "killed";
	case TASK_CHARGE_FAILED:
		return "failed";
	case TASK_RUNNING:
		break;
	}
	return "running";
}

static void waiter_fire(void *arg, int pid, enum task_outcome outcome)
{
	struct ctl_client *c = arg;
	struct json_object *msg = json_object_new_object();

	json_object_object_add(msg, "pid", json_object_new_int(pid));
	json_object_object_add(msg, "outcome", json_object_new_string(outcome_name(outcome)));
	client_queue(c, msg);
	json_object_put(msg);
	/* a FUSE thread may have settled it: the service thread writes */
	server_wake(c->srv);
}

static struct json_object *reply_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct json_object *reply_error(const char *fmt, ...)
{
	struct json_object *r = json_object_new_object();
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_object_object_add(r, "ok", json_object_new_boolean(0));
	json_object_object_add(r, "error", json_object_new_string(msg));
	return r;
}

static struct json_object *reply_errno(int err)
{
	return reply_error("%s", strerror(err < 0 ? -err : err));
}

static struct json_object *reply_ok(void)
{
	struct json_object *r = json_object_new_object();

	json_object_object_add(r, "ok", json_object_new_boolean(1));
	return r;
}



/* Sizes in bytes, rounded up to pages: touching one byte takes a page. */
static int amounts_of(struct json_object *req, unsigned long pages[NR_PAGE_TYPES])
{
	struct json_object *v;
	int type;

	for (type = 0; type < NR_PAGE_TYPES; type++) {
		pages[type] = 0;
		if (!page_type_names[type] || !json_object_object_get_ex(req, page_type_names[type], &v))
			continue;
		int64_t bytes = json_object_get_int64(v);

		if (bytes < 0)
			return -EINVAL;
		pages[type] = (unsigned long)(((uint64_t)bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	}
	return 0;
}

static const char *get_string(struct json_object *req, const char *key, const char *dflt)
{
	struct json_object *v;

	return json_object_object_get_ex(req, key, &v) ? json_object_get_string(v) : dflt;
}

/*
 * "workload", "rate" (bytes per second) and "period" (ns) of a spawn: the
 * workload drives the one kind of memory the request names.
 */
static int workload_of(struct json_object *req, const unsigned long pages[NR_PAGE_TYPES],
		       struct workload *wl, const char **why)
{
	const char *kind = get_string(req, "workload", "hold");
	struct json_object *v;
	int type, kinds = 0;

	*wl = (struct workload){ .kind = WORKLOAD_HOLD, .type = PAGE_ANON };
	if (workload_parse_kind(kind, &wl->kind)) {
		*why = "workload: choose " WORKLOAD_CHOICES;
		return -EINVAL;
	}
	if (wl->kind == WORKLOAD_HOLD)
		return 0;
	for (type = 0; type < NR_PAGE_TYPES; type++)
		if (pages[type]) {
			wl->type = (enum memcg_page_type)type;
			wl->size = pages[type];
			kinds++;
		}
	if (kinds > 1) {
		*why = "a workload drives one kind of memory: give one size";
		return -EINVAL;
	}
	if (json_object_object_get_ex(req, "rate", &v))
		wl->rate = (unsigned long)(((uint64_t)json_object_get_int64(v) + PAGE_SIZE - 1) / PAGE_SIZE);
	if (json_object_object_get_ex(req, "period", &v))
		wl->period_ns = (uint64_t)json_object_get_int64(v);
	*why = workload_validate(wl);
	return *why ? -EINVAL : 0;
}

static int get_pid(struct json_object *req)
{
	struct json_object *v;

	return json_object_object_get_ex(req, "pid", &v) ? json_object_get_int(v) : -1;
}

static bool get_bool(struct json_object *req, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(req, key, &v) && json_object_get_boolean(v);
}

/* A --wait request settles now if the task already has. */
static void wait_for(struct ctl_client *c, struct sim_task *t)
{
	t->waiter.fn = waiter_fire;
	t->waiter.arg = c;
	alloc_wake_locked(c->srv->alloc, t);
}

static struct json_object *cmd_spawn(struct ctl_client *c, struct json_object *req)
{
	struct alloc *a = c->srv->alloc;
	const char *path = get_string(req, "cgroup", "");
	unsigned long pages[NR_PAGE_TYPES];
	struct json_object *v, *r;
	struct cgroup *cg = cgroup_lookup_path(a->engine->root, path);
	struct workload wl;
	const char *why;
	struct sim_task *t;
	enum task_thp thp = TASK_THP_DEFAULT;
	int adj = 0, ret;

	if (!cg)
		return reply_error("no cgroup %s", path);
	if (amounts_of(req, pages))
		return reply_errno(EINVAL);
	if (json_object_object_get_ex(req, "oom_score_adj", &v))
		adj = json_object_get_int(v);
	if (adj < -1000 || adj > 1000)
		return reply_error("oom_score_adj %s is outside -1000..1000", json_object_get_string(v));
	if (json_object_object_get_ex(req, "thp", &v) && task_thp_parse(json_object_get_string(v), &thp))
		return reply_error("thp %s: choose madvise or never", json_object_get_string(v));
	ret = workload_of(req, pages, &wl, &why);
	if (ret)
		return reply_error("%s", why);
	ret = alloc_spawn_locked(a, cg, pages, adj, &t);
	if (ret)
		return reply_errno(ret);
	t->mt.thp = thp;
	if (wl.kind != WORKLOAD_HOLD)
		alloc_set_workload_locked(a, t, &wl);
	r = reply_ok();
	json_object_object_add(r, "pid", json_object_new_int(t->mt.pid));
	client_queue(c, r);
	json_object_put(r);
	if (get_bool(req, "wait"))
		wait_for(c, t);
	return NULL;
}

static struct json_object *cmd_alloc_free(struct ctl_client *c, struct json_object *req, bool more)
{
	struct alloc *a = c->srv->alloc;
	unsigned long pages[NR_PAGE_TYPES];
	int pid = get_pid(req), ret;
	struct json_object *r;

	if (amounts_of(req, pages))
		return reply_errno(EINVAL);
	ret = more ? alloc_more_locked(a, pid, pages) : alloc_free_locked(a, pid, pages);
	if (ret)
		return reply_errno(ret);
	r = reply_ok();
	json_object_object_add(r, "pid", json_object_new_int(pid));
	client_queue(c, r);
	json_object_put(r);
	if (more && get_bool(req, "wait"))
		wait_for(c, alloc_find_locked(a, pid));
	return NULL;
}

static struct json_object *cmd_kill(struct ctl_client *c, struct json_object *req)
{
	int ret = alloc_kill_locked(c->srv->alloc, get_pid(req));

	return ret ? reply_errno(ret) : reply_ok();
}

/*
 * whereis: the cgroup of the first of "pids" the tree holds. memcgctl run
 * asks with a process and its ancestors up to the one it started, so that
 * a child the tree does not list reads its parent's cgroup.
 */
static struct json_object *cmd_whereis(struct ctl_client *c, struct json_object *req)
{
	struct json_object *pids, *r;
	struct sim_task *t;
	char path[4096];
	size_t i;

	if (!json_object_object_get_ex(req, "pids", &pids) || !json_object_is_type(pids, json_type_array))
		return reply_errno(EINVAL);
	for (i = 0; i < json_object_array_length(pids); i++) {
		t = alloc_find_locked(c->srv->alloc, json_object_get_int(json_object_array_get_idx(pids, i)));
		if (!t || t->mt.dead)
			continue;
		cgroup_path(t->mt.cgroup, path, sizeof(path));
		r = reply_ok();
		json_object_object_add(r, "pid", json_object_new_int(t->mt.pid));
		json_object_object_add(r, "cgroup", json_object_new_string(path));
		return r;
	}
	return reply_errno(ESRCH);
}

static struct json_object *task_json(const struct sim_task *t)
{
	struct json_object *o = json_object_new_object();
	char path[4096];
	int type;

	cgroup_path(t->mt.cgroup, path, sizeof(path));
	json_object_object_add(o, "pid", json_object_new_int(t->mt.pid));
	json_object_object_add(o, "cgroup", json_object_new_string(path));
	json_object_object_add(o, "real", json_object_new_boolean(t->mt.real));
	for (type = 0; type < NR_PAGE_TYPES; type++)
		if (page_type_names[type])
			json_object_object_add(o, page_type_names[type],
				       json_object_new_int64((int64_t)memcg_task_pages(&t->mt, type) *
							     (int64_t)PAGE_SIZE));
	json_object_object_add(o, "swap", json_object_new_int64((int64_t)memcg_task_swapped(&t->mt) *
								 (int64_t)PAGE_SIZE));
	json_object_object_add(o, "oom_score_adj", json_object_new_int(t->mt.oom_score_adj));
	return o;
}

static struct json_object *cmd_ps(struct ctl_client *c, struct json_object *req)
{
	struct alloc *a = c->srv->alloc;
	const char *path = get_string(req, "cgroup", "");
	struct cgroup *cg = cgroup_lookup_path(a->engine->root, path);
	struct json_object *r, *list;
	struct sim_task *t;

	if (!cg)
		return reply_error("no cgroup %s", path);
	r = reply_ok();
	list = json_object_new_array();
	list_for_each_entry(t, &a->tasks, all_node)
		if (!t->mt.dead && cgroup_is_descendant(t->mt.cgroup, cg))
			json_object_array_add(list, task_json(t));
	json_object_object_add(r, "tasks", list);
	return r;
}

/* The stat reply, from the copy made under the lock. */
static void stat_finish(struct ctl_client *c, void *data)
{
	struct tree_snapshot *snap = data;
	bool lines = (uintptr_t)snap & 1;
	char *text;
	size_t len;

	snap = (struct tree_snapshot *)((uintptr_t)snap & ~(uintptr_t)1);
	text = tree_snapshot_reply(snap, lines, &len);
	if (text) {
		client_queue_text(c, text, len - 1);	/* it ends in its newline */
	} else {
		struct json_object *r = reply_errno(ENOMEM);

		client_queue(c, r);
		json_object_put(r);
	}
	free(text);
	tree_snapshot_free(snap);
}

/*
 * The tree's numbers: copied now, written as text once the lock is gone.
 * With "lines", one line per cgroup (see tree_snapshot_reply()).
 */
static struct json_object *cmd_stat(struct ctl_client *c, struct json_object *req)
{
	struct engine *e = c->srv->alloc->engine;
	const char *path = get_string(req, "cgroup", "");
	struct cgroup *cg = cgroup_lookup_path(e->root, path);
	struct tree_snapshot *snap;
	int ret;

	if (!cg)
		return reply_error("no cgroup %s", path);
	ret = tree_snapshot_take_locked(e, cg, &snap);
	if (ret)
		return reply_errno(ret);
	/* malloc'd pointers are even: the low bit carries the format */
	ctl_defer(c, stat_finish, (void *)((uintptr_t)snap | get_bool(req, "lines")));
	return NULL;
}

/* Queue @sample as one line for @c; NULL (no memory) breaks the client. */
static void client_queue_sample(struct ctl_client *c, struct json_object *sample)
{
	if (!sample) {
		pthread_mutex_lock(&c->out_lock);
		c->broken = true;
		pthread_mutex_unlock(&c->out_lock);
		return;
	}
	client_queue(c, sample);
	json_object_put(sample);
}

/* memcgctl top: one sample of the files asked for, now. */
static struct json_object *cmd_sample(struct ctl_client *c, struct json_object *req)
{
	struct sample_spec spec;
	struct json_object *r, *sample;
	const char *missing;
	int ret = sample_spec_parse(req, &spec);

	if (ret)
		return reply_errno(ret);
	missing = sample_check_locked(c->srv->alloc, &spec);
	if (missing) {
		r = reply_error("no cgroup %s", missing);
		sample_spec_free(&spec);
		return r;
	}
	sample = sample_take_locked(c->srv->alloc, &spec);
	sample_spec_free(&spec);
	if (!sample)
		return reply_errno(ENOMEM);
	r = reply_ok();
	json_object_object_add(r, "manual_clock", json_object_new_boolean(c->srv->manual_clock));
	json_object_object_add(r, "sample", sample);
	return r;
}

/*
 * memcgctl record: a sample now, in the reply, and then one every
 * "interval_ns" of simulated time, taken when the clock gets there (a
 * manual clock's step stops at each), until the client goes away.
 */
static struct json_object *cmd_record(struct ctl_client *c, struct json_object *req)
{
	struct engine *e = c->srv->alloc->engine;
	struct json_object *v, *r, *sample;
	struct sample_spec *spec;
	const char *missing;
	int64_t interval;
	int ret;

	if (!json_object_object_get_ex(req, "interval_ns", &v) ||
	    (interval = json_object_get_int64(v)) < RECORD_MIN_INTERVAL_NS)
		return reply_error("the interval must be at least %lld ns", RECORD_MIN_INTERVAL_NS);
	if (c->record)
		return reply_errno(EBUSY);
	spec = calloc(1, sizeof(*spec));
	if (!spec)
		return reply_errno(ENOMEM);
	ret = sample_spec_parse(req, spec);
	if (ret) {
		free(spec);
		return reply_errno(ret);
	}
	missing = sample_check_locked(c->srv->alloc, spec);
	sample = missing ? NULL : sample_take_locked(c->srv->alloc, spec);
	if (!sample) {
		r = missing ? reply_error("no cgroup %s", missing) : reply_errno(ENOMEM);
		sample_spec_free(spec);
		free(spec);
		return r;
	}
	c->record = spec;
	c->record_interval_ns = (uint64_t)interval;
	c->record_next_ns = e->now_ns + (uint64_t)interval;
	r = reply_ok();
	json_object_object_add(r, "manual_clock", json_object_new_boolean(c->srv->manual_clock));
	json_object_object_add(r, "sample", sample);
	return r;
}

/* The earliest time a recorder wants a sample, or UINT64_MAX. */
static uint64_t records_next_due_locked(struct ctl_server *srv)
{
	uint64_t due = UINT64_MAX;
	int i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i] && srv->clients[i]->record)
			due = MIN(due, srv->clients[i]->record_next_ns);
	return due;
}

/*
 * Every recorder whose time has come gets its sample. A real clock may
 * have passed several of its times at once: it gets one, taken now.
 */
static void records_sample_locked(struct ctl_server *srv)
{
	uint64_t now = srv->alloc->engine->now_ns;
	bool queued = false;
	int i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct ctl_client *c = srv->clients[i];
		struct json_object *sample;

		if (!c || !c->record || c->record_next_ns > now)
			continue;
		while (c->record_next_ns <= now)
			c->record_next_ns += c->record_interval_ns;
		if (client_backlog(c) >= RECORD_BACKLOG) {
			c->record_lost++;
			continue;
		}
		sample = sample_take_locked(srv->alloc, c->record);
		if (sample && c->record_lost) {
			json_object_object_add(sample, "lost", json_object_new_int64((int64_t)c->record_lost));
			c->record_lost = 0;
		}
		client_queue_sample(c, sample);
		queued = true;
	}
	if (queued)
		server_wake(srv);
}

static bool client_flush(struct ctl_server *srv, struct ctl_client *c);

/* Write what recorders were given during a long step, between its slices. */
static void records_flush(struct ctl_server *srv)
{
	int i;

	for (i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i] && srv->clients[i]->record)
			client_flush(srv, srv->clients[i]);
}

static struct json_object *cmd_step(struct ctl_client *c, struct json_object *req)
{
	struct ctl_server *srv = c->srv;
	struct pollfd stop = { .fd = srv->stop_fd, .events = POLLIN };
	struct json_object *v;
	uint64_t until, held_since;
	bool stopping;
	int64_t ns;

	if (!srv->manual_clock)
		return reply_error("%s", "the clock is real: start memcgfs with --clock=manual to step it");
	if (!json_object_object_get_ex(req, "ns", &v) || (ns = json_object_get_int64(v)) < 0)
		return reply_errno(EINVAL);
	/*
	 * A long step is run a slice at a time, letting go of the engine in
	 * between so the mount stays served, and ends early when memcgfs
	 * stops. It stops at each time a recorder wants a sample, to take it.
	 */
	until = srv->alloc->engine->now_ns + (uint64_t)ns;
	held_since = monotonic_ns();
	for (;;) {
		uint64_t target = MIN(until, records_next_due_locked(srv));
		bool reached = alloc_advance_locked(srv->alloc, target, STEP_SLICE_RUNS);

		if (reached)
			records_sample_locked(srv);
		if (reached && target == until)
			break;
		if (monotonic_ns() - held_since < STEP_HOLD_NS)
			continue;
		engine_unlock(srv->alloc->engine);
		/* this thread writes to clients: the samples so far leave now */
		records_flush(srv);
		/* a mutex is not fair: give a waiting FUSE request time to take it */
		stopping = poll(&stop, 1, 1) > 0;
		engine_lock(srv->alloc->engine);
		if (stopping)
			return reply_error("%s", "memcgfs is stopping: the clock stopped short");
		held_since = monotonic_ns();
	}
	return reply_ok();
}

/* An allocation outside every cgroup: global reclaim, and OOM kills past it. */
static struct json_object *cmd_pressure(struct ctl_client *c, struct json_object *req)
{
	struct engine *e = c->srv->alloc->engine;
	unsigned long reclaimed, killed;
	struct json_object *v, *r;
	int64_t bytes;
	int ret;

	if (!json_object_object_get_ex(req, "bytes", &v) || (bytes = json_object_get_int64(v)) < 0)
		return reply_errno(EINVAL);
	ret = engine_make_room(e, (unsigned long)(((uint64_t)bytes + PAGE_SIZE - 1) / PAGE_SIZE), NULL,
			       &reclaimed, &killed);
	if (ret)
		return reply_error("cannot free %lld bytes: the machine has %lu pages of RAM, %lu in use",
				   (long long)bytes, e->cfg.ram_pages, e->ram_used);
	r = reply_ok();
	json_object_object_add(r, "reclaimed", json_object_new_int64((int64_t)reclaimed * (int64_t)PAGE_SIZE));
	json_object_object_add(r, "killed", json_object_new_int64((int64_t)killed));
	return r;
}

/* A scenario's text, sent by memcgctl load: applied whole, or not at all. */
static struct json_object *cmd_load(struct ctl_client *c, struct json_object *req)
{
	const char *name = get_string(req, "name", "scenario");
	const char *text = get_string(req, "text", NULL);
	struct json_object *r;
	unsigned int nr_tasks;
	char err[512];

	if (!text)
		return reply_errno(EINVAL);
	if (scenario_apply_locked(c->srv->alloc, name, text, err, sizeof(err), &nr_tasks))
		return reply_error("%s", err);
	r = reply_ok();
	json_object_object_add(r, "tasks", json_object_new_int((int)nr_tasks));
	return r;
}

/* memcgctl watch: from now on, this client gets every log entry as a line. */
static struct json_object *cmd_watch(struct ctl_client *c, struct json_object *req)
{
	c->watching = true;
	c->next_seq = c->srv->alloc->engine->log_seq;
	return reply_ok();
}

static const char *event_key(int event)
{
	static const char *const keys[MEMCG_NR_MEMORY_EVENTS] = {
#define MEMORY_EVENT(id, key) [MEMCG_##id] = #key,
#define SWAP_EVENT(id, key) [MEMCG_##id] = "swap_" #key,
#include "engine/memory_events.def"
#undef MEMORY_EVENT
#undef SWAP_EVENT
	};

	return event >= 0 && event < MEMCG_NR_MEMORY_EVENTS ? keys[event] : "?";
}

static struct json_object *log_json(struct engine *e, const struct engine_log_entry *l)
{
	struct json_object *o = json_object_new_object();
	struct cgroup *cg = l->cgroup_id ? cgroup_by_id(e, l->cgroup_id) : NULL;
	char path[4096] = "(removed)";

	if (cg)
		cgroup_path(cg, path, sizeof(path));
	json_object_object_add(o, "time", json_object_new_double((double)l->time_ns / 1e9));
	switch (l->kind) {
	case LOG_MEMORY_EVENT:
		json_object_object_add(o, "event", json_object_new_string(event_key(l->event)));
		break;
	case LOG_OOM_KILL:
		json_object_object_add(o, "event", json_object_new_string("kill"));
		json_object_object_add(o, "pid", json_object_new_int(l->pid));
		break;
	case LOG_THROTTLE:
		json_object_object_add(o, "event", json_object_new_string("throttle"));
		json_object_object_add(o, "pid", json_object_new_int(l->pid));
		json_object_object_add(o, "delay_ms", json_object_new_double((double)l->value / 1e6));
		break;
	case LOG_THRESHOLD:
		json_object_object_add(o, "event", json_object_new_string("threshold"));
		json_object_object_add(o, "threshold", json_object_new_int64((int64_t)l->value));
		break;
	}
	json_object_object_add(o, "cgroup", json_object_new_string(path));
	return o;
}

/*
 * Queue for every watcher what was logged since it last looked, up to
 * WATCH_BACKLOG of unwritten output: one that far behind waits for its
 * reader, and finds out what it missed once the ring has moved past it.
 */
static void watchers_fill_locked(struct ctl_server *srv)
{
	struct engine *e = srv->alloc->engine;
	int i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct ctl_client *c = srv->clients[i];

		if (!c || !c->watching)
			continue;
		while (c->next_seq < e->log_seq && client_backlog(c) < WATCH_BACKLOG) {
			struct json_object *o;

			if (e->log_seq - c->next_seq > ENGINE_LOG_SIZE) {
				o = json_object_new_object();
				json_object_object_add(o, "lost", json_object_new_int64(
					(int64_t)(e->log_seq - c->next_seq - ENGINE_LOG_SIZE)));
				c->next_seq = e->log_seq - ENGINE_LOG_SIZE;
			} else {
				o = log_json(e, &e->log[c->next_seq % ENGINE_LOG_SIZE]);
				c->next_seq++;
			}
			client_queue(c, o);
			json_object_put(o);
		}
		c->behind = c->next_seq < e->log_seq;
	}
}

static void log_wake(void *data)
{
	server_wake(data);
}

static struct json_object *cmd_alloc(struct ctl_client *c, struct json_object *req)
{
	return cmd_alloc_free(c, req, true);
}

static struct json_object *cmd_free(struct ctl_client *c, struct json_object *req)
{
	return cmd_alloc_free(c, req, false);
}

/* The requests memcgctl sends; a handler returns its reply, or NULL when it sent it itself. */
static const struct {
	const char *name;
	struct json_object *(*handle)(struct ctl_client *c, struct json_object *req);
} commands[] = {
	{ "spawn", cmd_spawn },
	{ "alloc", cmd_alloc },
	{ "free", cmd_free },
	{ "kill", cmd_kill },
	{ "ps", cmd_ps },
	{ "stat", cmd_stat },
	{ "step", cmd_step },
	{ "pressure", cmd_pressure },
	{ "load", cmd_load },
	{ "watch", cmd_watch },
	{ "sample", cmd_sample },
	{ "record", cmd_record },
	{ "whereis", cmd_whereis },
};

static struct json_object *handle(struct ctl_client *c, struct json_object *req)
{
	const char *cmd = get_string(req, "cmd", "");
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].handle(c, req);
	return reply_error("unknown command \"%s\"", cmd);
}

/* Context: engine lock, so that no waiter or watcher still points at @c. */
static void client_close_locked(struct ctl_server *srv, struct ctl_client *c)
{
	struct sim_task *t;
	int i;

	/* nobody is left to tell: forget its waits */
	list_for_each_entry(t, &srv->alloc->tasks, all_node)
		if (t->waiter.arg == c)
			t->waiter.fn = NULL, t->waiter.arg = NULL;
	epoll_ctl(srv->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	for (i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i] == c)
			srv->clients[i] = NULL;
	pthread_mutex_destroy(&c->out_lock);
	ctl_reader_free(&c->reader);
	if (c->record) {
		sample_spec_free(c->record);
		free(c->record);
	}
	free(c->out);
	free(c);
}

static void client_accept(struct ctl_server *srv)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ctl_client *c;
	int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK), i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CLIENTS && srv->clients[i]; i++)
		;
	c = i < MAX_CLIENTS ? calloc(1, sizeof(*c)) : NULL;
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->srv = srv;
	c->reader.max = REQUEST_MAX;
	c->epoll_events = EPOLLIN;
	pthread_mutex_init(&c->out_lock, NULL);
	ev.data.ptr = c;
	if (epoll_ctl(srv->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
		pthread_mutex_destroy(&c->out_lock);
		close(fd);
		free(c);
		return;
	}
	srv->clients[i] = c;
}

/* The client is readable: take what it sent. */
static void client_read(struct ctl_client *c)
{
	ssize_t n = ctl_reader_read(c->fd, &c->reader);

	if (n == 0 || n == -EMSGSIZE) {
		/* answer what came whole; a request that long is not answered */
		c->eof = true;
		if (n == -EMSGSIZE) {
			struct json_object *r = reply_error("a request is at most %lu bytes", REQUEST_MAX);

			client_queue(c, r);
			json_object_put(r);
		}
	} else if (n < 0 && n != -EAGAIN) {
		pthread_mutex_lock(&c->out_lock);
		c->broken = true;
		pthread_mutex_unlock(&c->out_lock);
	}
}

/*
 * Serve the complete requests @c sent, one engine lock each so the mount
 * gets its turn in between, while its unwritten output stays below
 * OUT_HIGH. A reply is turned into text after the lock is dropped.
 */
static void client_serve(struct ctl_server *srv, struct ctl_client *c)
{
	struct engine *e = srv->alloc->engine;
	struct json_object *req, *reply;
	void (*finish)(struct ctl_client *c, void *data);

	while (ctl_reader_has_line(&c->reader) && client_backlog(c) < OUT_HIGH) {
		int ret = ctl_reader_pop(&c->reader, &req);

		engine_lock(e);
		clock_sync_locked(srv);
		reply = !ret ? handle(c, req) : reply_error("%s", "a request must be one JSON object");
		alloc_run_locked(srv->alloc);
		if (!srv->manual_clock)
			records_sample_locked(srv);
		timer_arm_locked(srv);
		engine_unlock(e);
		/* what the reply is about is what the mount shows, names and modes included */
		engine_node_changes_sync(e);
		if (reply) {
			client_queue(c, reply);
			json_object_put(reply);
		}
		finish = c->finish;
		if (finish) {
			c->finish = NULL;
			finish(c, c->finish_data);
		}
		json_object_put(req);
	}
}

/*
 * Write what is queued for @c without waiting, and watch the socket for
 * what is still needed: room to write, and requests while there is room
 * for their replies. Return: whether @c is done for (to be closed).
 * Context: the service thread, no engine lock.
 */
static bool client_flush(struct ctl_server *srv, struct ctl_client *c)
{
	struct epoll_event ev = { .data.ptr = c };
	size_t backlog;
	bool broken;

	pthread_mutex_lock(&c->out_lock);
	while (!c->broken && c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0)
			c->broken = true;
		else
			c->out_off += (size_t)n;
	}
	if (c->out_off == c->out_len) {
		c->out_off = c->out_len = 0;
		/* a large reply's buffer is not kept for the next small one */
		if (c->out_size > OUT_HIGH) {
			free(c->out);
			c->out = NULL;
			c->out_size = 0;
		}
	}
	backlog = c->out_len - c->out_off;
	broken = c->broken;
	pthread_mutex_unlock(&c->out_lock);

	if (broken || (c->eof && !backlog && !ctl_reader_has_line(&c->reader)))
		return true;
	ev.events = (backlog ? EPOLLOUT : 0) | (!c->eof && backlog < OUT_HIGH ? EPOLLIN : 0);
	if (ev.events != c->epoll_events && !epoll_ctl(srv->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev))
		c->epoll_events = ev.events;
	/* a watcher held back with nothing left to write: come round for more */
	if (c->behind && !backlog)
		server_wake(srv);
	return false;
}

/*
 * After every batch of events: serve requests, hand watchers their
 * events, write, and close the clients that are done for.
 */
static void clients_settle(struct ctl_server *srv)
{
	struct engine *e = srv->alloc->engine;
	bool watchers = false, closing = false;
	bool done[MAX_CLIENTS] = { false };
	int i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct ctl_client *c = srv->clients[i];

		if (!c)
			continue;
		client_flush(srv, c);
		client_serve(srv, c);
		watchers |= c->watching;
	}
	if (watchers) {
		engine_lock(e);
		watchers_fill_locked(srv);
		engine_unlock(e);
	}
	for (i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i])
			closing |= done[i] = client_flush(srv, srv->clients[i]);
	if (!closing)
		return;
	engine_lock(e);
	for (i = 0; i < MAX_CLIENTS; i++)
		if (done[i] && srv->clients[i])
			client_close_locked(srv, srv->clients[i]);
	engine_unlock(e);
}

static void *service_loop(void *arg)
{
	struct ctl_server *srv = arg;
	struct engine *e = srv->alloc->engine;
	struct epoll_event evs[32];
	uint64_t drain;
	int i, n;

	for (;;) {
		n = epoll_wait(srv->epoll_fd, evs, 32, -1);
		if (n < 0 && errno == EINTR)
			continue;
		for (i = 0; i < n; i++) {
			uintptr_t tag = (uintptr_t)evs[i].data.ptr;

			switch (tag) {
			case TAG_STOP:
				return NULL;
			case TAG_LISTEN:
				client_accept(srv);
				break;
			case TAG_WAKE:
				/* clients_settle() below looks at the log and the output */
				if (read(srv->wake_fd, &drain, sizeof(drain)) < 0)
					break;
				break;
			case TAG_PIDFDS:
			case TAG_TIMER:
				if (tag == TAG_TIMER && read(srv->timer_fd, &drain, sizeof(drain)) < 0)
					break;
				engine_lock(e);
				clock_sync_locked(srv);
				alloc_reap_exited_locked(srv->alloc);
				alloc_run_locked(srv->alloc);
				records_sample_locked(srv);
				timer_arm_locked(srv);
				engine_unlock(e);
				/* a tick changes values a --page-cache mount serves */
				engine_node_changes_sync(e);
				break;
			default:
				if (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
					client_read(evs[i].data.ptr);
				break;
			}
		}
		clients_settle(srv);
	}
}

static int watch(struct ctl_server *srv, int fd, uintptr_t tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = (void *)tag };

	return epoll_ctl(srv->epoll_fd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

static int listen_on(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char dir[sizeof(sun.sun_path)], *slash;
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash) {
		*slash = '\0';
		mkdir(dir, 0700);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 16)) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	return fd;
}

/*
 * Remove the socket file, if it is still ours: a memcgfs started on the
 * same mount point as soon as this one was unmounted has bound its own
 * there, while this one was still stopping.
 */
static void socket_unlink(struct ctl_server *srv)
{
	struct stat st;

	if (!stat(srv->path, &st) && st.st_dev == srv->sock_st.st_dev && st.st_ino == srv->sock_st.st_ino)
		unlink(srv->path);
}

int ctl_server_create(struct alloc *a, const char *path, bool manual_clock, struct ctl_server **out)
{
	struct ctl_server *srv = calloc(1, sizeof(*srv));
	int ret;

	if (!srv)
		return -ENOMEM;
	srv->alloc = a;
	srv->manual_clock = manual_clock;
	if (!manual_clock)
		alloc_clock_start(a);
	snprintf(srv->path, sizeof(srv->path), "%s", path);
	srv->listen_fd = listen_on(path);
	if (srv->listen_fd >= 0)
		stat(path, &srv->sock_st);
	srv->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
	srv->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	srv->stop_fd = eventfd(0, EFD_CLOEXEC);
	srv->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (srv->listen_fd < 0) {
		ret = srv->listen_fd;
		goto out_close;
	}
	if (srv->epoll_fd < 0 || srv->timer_fd < 0 || srv->stop_fd < 0 || srv->wake_fd < 0) {
		ret = -errno;
		goto out_close;
	}
	ret = watch(srv, srv->listen_fd, TAG_LISTEN);
	if (!ret)
		ret = watch(srv, a->epoll_fd, TAG_PIDFDS);
	if (!ret)
		ret = watch(srv, srv->timer_fd, TAG_TIMER);
	if (!ret)
		ret = watch(srv, srv->stop_fd, TAG_STOP);
	if (!ret)
		ret = watch(srv, srv->wake_fd, TAG_WAKE);
	if (!ret) {
		engine_lock(a->engine);
		a->engine->log_wake = log_wake;
		a->engine->log_wake_data = srv;
		engine_unlock(a->engine);
	}
	if (ret)
		goto out_close;
	*out = srv;
	return 0;

out_close:
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		unlink(path);
	}
	if (srv->epoll_fd >= 0)
		close(srv->epoll_fd);
	if (srv->timer_fd >= 0)
		close(srv->timer_fd);
	if (srv->stop_fd >= 0)
		close(srv->stop_fd);
	if (srv->wake_fd >= 0)
		close(srv->wake_fd);
	free(srv);
	return ret;
}

int ctl_server_run(struct ctl_server *srv)
{
	int ret = pthread_create(&srv->thread, NULL, service_loop, srv);

	srv->running = !ret;
	return -ret;
}

void ctl_server_stop(struct ctl_server *srv)
{
	uint64_t one = 1;
	int i;

	if (!srv)
		return;
	if (srv->running && write(srv->stop_fd, &one, sizeof(one)) == sizeof(one))
		pthread_join(srv->thread, NULL);
	engine_lock(srv->alloc->engine);
	srv->alloc->engine->log_wake = NULL;
	for (i = 0; i < MAX_CLIENTS; i++)
		if (srv->clients[i])
			client_close_locked(srv, srv->clients[i]);
	engine_unlock(srv->alloc->engine);
	close(srv->listen_fd);
	socket_unlink(srv);
	close(srv->epoll_fd);
	close(srv->timer_fd);
	close(srv->stop_fd);
	close(srv->wake_fd);
	free(srv);
}
