// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * PSI triggers (see psi_trigger.h): parsing and limits as
 * psi_trigger_create(), the growth window as window_update(), the
 * threshold and once-per-window rule as update_triggers(), all in
 * kernel/sched/psi.c. The stall totals are read through stall_total(), the
 * one place that knows how psi.c keeps them.
 *
 * May include: libc, common/ and engine/ headers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "engine/psi_trigger.h"
#include "engine/cgroup.h"
#include "engine/engine.h"

#define WINDOW_MAX_US 10000000U		/* 10 s */
#define UNPRIV_WINDOW_US 2000000U	/* unprivileged windows: multiples of the 2 s averaging period */
#define UPDATES_PER_WINDOW 10
#define PSI_FREQ_NS 2000000000ULL	/* the averages' period, when unprivileged triggers are looked at */
/* psimon sleeps at least a jiffy between looks (HZ=250, as Debian's kernels) */
#define MIN_POLL_PERIOD_NS 4000000ULL

/* The stall of @t's resource and state in @cg so far, in ns. */
/* The stall up to @now, of a stall still open the part that has passed. */
static uint64_t stall_total(const struct cgroup *cg, const struct psi_trigger *t, uint64_t now)
{
	/* nothing simulated waits on a CPU or a disk */
	if (t->res != PSI_RESOURCE_MEMORY)
		return 0;
	return psi_total_ns(&cg->psi, t->state, now);
}

/*
 * One unsigned decimal of the kernel's vsscanf("%u"): digits only (no sign,
 * unlike glibc's), wrapping to 32 bits. Return: the end, or NULL.
 */
static const char *parse_u32(const char *s, uint32_t *val)
{
	uint64_t v = 0;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s < '0' || *s > '9')
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	*val = (uint32_t)v;
	return s;
}

/* sscanf(buf, "some %u %u") or "full %u %u": 0 or -EINVAL */
static int parse_trigger(const char *buf, enum psi_res *state, uint32_t *threshold_us,
			 uint32_t *window_us)
{
	if (!strncmp(buf, "some", 4))
		*state = PSI_SOME;
	else if (!strncmp(buf, "full", 4))
		*state = PSI_FULL;
	else
		return -EINVAL;
	buf = parse_u32(buf + 4, threshold_us);
	if (buf)
		buf = parse_u32(buf, window_us);
	return buf ? 0 : -EINVAL;
}

static void window_reset(struct psi_trigger *t, uint64_t now, uint64_t value, uint64_t prev_growth)
{
	t->win_start_time = now;
	t->win_start_value = value;
	t->win_prev_growth = prev_growth;
}

/*
 * The stall within the last window: what grew since the window started,
 * plus the previous window's growth for the part of the window that lies
 * before that start, taken as linear (window_update()).
 */
static uint64_t window_update(struct psi_trigger *t, uint64_t now, uint64_t value)
{
	uint64_t elapsed = now - t->win_start_time;
	uint64_t growth = value - t->win_start_value;

	if (elapsed > t->win_size)
		window_reset(t, now, value, growth);
	else
		growth += (uint64_t)((unsigned __int128)t->win_prev_growth * (t->win_size - elapsed) /
				     t->win_size);
	return growth;
}

static uint64_t poll_period(const struct psi_trigger *t)
{
	uint64_t period = t->win_size / UPDATES_PER_WINDOW;

	return period > MIN_POLL_PERIOD_NS ? period : MIN_POLL_PERIOD_NS;
}

int psi_trigger_create(struct engine *e, struct cgroup *cg, enum psi_resource res,
		       const char *buf, bool privileged, struct psi_trigger **out)
{
	uint32_t threshold_us, window_us;
	struct psi_trigger *t;
	enum psi_res state;
	int ret;

	ret = parse_trigger(buf, &state, &threshold_us, &window_us);
	if (ret)
		return ret;
	if (!window_us || window_us > WINDOW_MAX_US)
		return -EINVAL;
	if (!privileged && window_us % UNPRIV_WINDOW_US)
		return -EINVAL;
	if (!threshold_us || threshold_us > window_us)
		return -EINVAL;

	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->cgroup_id = cg->id;
	t->res = res;
	t->state = state;
	t->privileged = privileged;
	t->threshold = (uint64_t)threshold_us * 1000;
	t->win_size = (uint64_t)window_us * 1000;
	t->last_total = stall_total(cg, t, e->now_ns);
	window_reset(t, e->now_ns, t->last_total, 0);
	t->next_update = privileged ? 0 : (e->now_ns / PSI_FREQ_NS + 1) * PSI_FREQ_NS;
	list_add_tail(&t->node, &e->psi_triggers);
	*out = t;
	return 0;
}

void psi_trigger_destroy(struct psi_trigger *t)
{
	list_del_init(&t->node);
	free(t);
}

bool psi_trigger_poll(struct psi_trigger *t, bool consume)
{
	bool event = t->event;

	if (consume)
		t->event = false;
	return event;
}

/* One look at @t (update_triggers()). Return: it fired. */
static bool trigger_update(struct psi_trigger *t, uint64_t now, uint64_t total)
{
	if (total != t->last_total) {
		uint64_t growth = window_update(t, now, total);

		t->last_total = total;
		if (!t->pending_event) {
			if (growth < t->threshold)
				return false;
			t->pending_event = true;
		}
	} else if (!t->pending_event) {
		return false;
	}
	/* once per window */
	if (t->fired && now < t->last_event_time + t->win_size)
		return false;
	t->event = true;
	t->fired = true;
	t->last_event_time = now;
	t->pending_event = false;
	return true;
}

void psi_triggers_update(struct engine *e)
{
	uint64_t now = e->now_ns;
	struct psi_trigger *t;

	list_for_each_entry(t, &e->psi_triggers, node) {
		struct cgroup *cg = cgroup_by_id(e, t->cgroup_id);
		uint64_t total;

		if (!cg)
			continue;
		total = stall_total(cg, t, now);
		if (total == t->last_total && !t->pending_event)
			continue;
		if (t->privileged && now > t->polling_until) {
			/*
			 * Stalls after a quiet spell: polling starts, with a
			 * fresh window from the total before them
			 * (init_triggers()), and looks every tenth of a window.
			 */
			window_reset(t, now, t->last_total, 0);
			t->next_update = now + poll_period(t);
			t->polling_until = now + poll_period(t) * UPDATES_PER_WINDOW;
			continue;
		}
		if (now < t->next_update)
			continue;
		if (t->privileged) {
			if (total != t->last_total)
				t->polling_until = now + poll_period(t) * UPDATES_PER_WINDOW;
			t->next_update = now + poll_period(t);
		} else {
			t->next_update = (now / PSI_FREQ_NS + 1) * PSI_FREQ_NS;
		}
		if (trigger_update(t, now, total)) {
			/* kernfs_notify() of the trigger's file: pollers and inotify */
			if (t->res == PSI_RESOURCE_MEMORY)
				engine_file_notify(e, cg, NOTIFY_MEMORY_PRESSURE);
			engine_file_changed(e);
		}
	}
}

uint64_t psi_triggers_next_update(struct engine *e)
{
	uint64_t next = UINT64_MAX;
	struct psi_trigger *t;

	list_for_each_entry(t, &e->psi_triggers, node) {
		struct cgroup *cg = cgroup_by_id(e, t->cgroup_id);

		/* a stall still open grows: its trigger needs its updates */
		if (!cg || (stall_total(cg, t, UINT64_MAX) == t->last_total && !t->pending_event))
			continue;
		if (t->next_update < next)
			next = t->next_update;
	}
	return next;
}
