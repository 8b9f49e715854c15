// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl watch (see watch.h). A task over memory.high raises a `high`
 * event at nearly every batch it charges; printed one a line, 10 simulated
 * seconds of one task made 289 lines of the same event. Here the first of
 * a kind is printed at once, and its repeats within the next simulated
 * second are counted and printed as one line with the count.
 *
 * May include: libc, json-c, the protocol. Not the engine.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/jsonout.h"
#include "ctl/watch.h"

/* One kind of event being coalesced: the line printed, and the repeats since. */
struct pending {
	char *key;			/* cgroup, event, pid, threshold */
	int64_t start_ns;		/* the time of the line printed */
	int64_t last_ns;		/* the time of the last repeat */
	unsigned long count;		/* repeats not printed yet */
	double delay_ms;		/* throttle: their delays, summed */
	struct json_object *last;	/* the last repeat */
};

struct watcher {
	bool as_json;
	struct pending *p;
	size_t nr, cap;
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static const char *field(struct json_object *ev, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(ev, key, &v) ? json_object_get_string(v) : NULL;
}

static double number(struct json_object *ev, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(ev, key, &v) ? json_object_get_double(v) : 0;
}

static int64_t time_ns(struct json_object *ev)
{
	return (int64_t)llround(number(ev, "time") * 1e9);
}

/* @ev as a line of text; a summary of @count repeats since @since_ns when @count > 0. */
static void print_text(struct json_object *ev, unsigned long count, int64_t since_ns, double delay_ms)
{
	const char *event = field(ev, "event"), *v;

	printf("%10.3fs %s %s", number(ev, "time"), field(ev, "cgroup"), event ? event : "?");
	if ((v = field(ev, "pid")))
		printf(" pid %s", v);
	if (count) {
		printf(" (%lu more since %.3fs", count, (double)since_ns / 1e9);
		if (event && !strcmp(event, "throttle"))
			printf(", %.1f ms in all", delay_ms);
		printf(")\n");
		return;
	}
	if (json_object_object_get_ex(ev, "delay_ms", NULL))
		printf(" for %.1f ms", number(ev, "delay_ms"));
	if ((v = field(ev, "threshold")))
		printf(" at %s bytes", v);
	putchar('\n');
}

static void print_event(struct watcher *w, struct json_object *ev)
{
	if (w->as_json)
		json_print_line(stdout, ev);
	else if (json_object_object_get_ex(ev, "lost", NULL))
		printf("(%s events lost: this watcher fell behind)\n", field(ev, "lost"));
	else
		print_text(ev, 0, 0, 0);
}

/* The repeats of @p as one line; in JSON, the last repeat with "count" and "since". */
static void print_summary(struct watcher *w, struct pending *p)
{
	if (!w->as_json) {
		print_text(p->last, p->count, p->start_ns, p->delay_ms);
		return;
	}
	json_object_object_add(p->last, "count", json_object_new_int64((int64_t)p->count));
	json_object_object_add(p->last, "since", json_object_new_double((double)p->start_ns / 1e9));
	if (json_object_object_get_ex(p->last, "delay_ms", NULL))
		json_object_object_add(p->last, "delay_ms", json_object_new_double(p->delay_ms));
	json_print_line(stdout, p->last);
}

static int by_last_time(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;

	return (x->last_ns > y->last_ns) - (x->last_ns < y->last_ns);
}

/*
 * Close every window that ends by @now_ns (all of them for INT64_MAX):
 * print its repeats, oldest first, and forget it.
 */
static void flush_until(struct watcher *w, int64_t now_ns)
{
	size_t i, kept = 0;

	if (!w->nr)
		return;
	qsort(w->p, w->nr, sizeof(*w->p), by_last_time);
	for (i = 0; i < w->nr; i++) {
		struct pending *p = &w->p[i];

		if (now_ns != INT64_MAX && now_ns - p->start_ns < WATCH_COALESCE_NS) {
			w->p[kept++] = *p;
			continue;
		}
		if (p->count)
			print_summary(w, p);
		json_object_put(p->last);
		free(p->key);
	}
	w->nr = kept;
	fflush(stdout);
}

static char *event_key(struct json_object *ev)
{
	const char *pid = field(ev, "pid"), *threshold = field(ev, "threshold");
	char *key;

	if (asprintf(&key, "%s\n%s\n%s\n%s", field(ev, "cgroup"), field(ev, "event"),
		     pid ? pid : "", threshold ? threshold : "") < 0)
		return NULL;
	return key;
}

static void coalesce(struct watcher *w, struct json_object *ev)
{
	int64_t now = time_ns(ev);
	struct pending *p = NULL;
	char *key;
	size_t i;

	if (json_object_object_get_ex(ev, "lost", NULL)) {
		print_event(w, ev);
		json_object_put(ev);
		return;
	}
	flush_until(w, now);
	key = event_key(ev);
	for (i = 0; key && i < w->nr; i++)
		if (!strcmp(w->p[i].key, key))
			p = &w->p[i];
	if (p) {
		/* a repeat within the second: counted */
		free(key);
		json_object_put(p->last);
		p->last = ev;
		p->last_ns = now;
		p->count++;
		p->delay_ms += number(ev, "delay_ms");
		return;
	}
	print_event(w, ev);
	if (!key || (w->nr == w->cap &&
		     !(w->p = realloc(w->p, (w->cap = w->cap ? 2 * w->cap : 16) * sizeof(*w->p))))) {
		fprintf(stderr, "memcgctl: out of memory\n");
		exit(1);
	}
	w->p[w->nr++] = (struct pending){
		.key = key, .start_ns = now, .last_ns = now, .last = json_object_get(ev),
	};
	json_object_put(ev);
}

/*
 * Wait for a line, at most @timeout_ms (-1: for ever), with @waitmask the
 * signal mask while waiting. Return: false on a timeout or signal.
 */
static bool wait_line(int fd, struct ctl_reader *r, int timeout_ms, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts = { .tv_sec = timeout_ms / 1000, .tv_nsec = (long)(timeout_ms % 1000) * 1000000L };

	if (ctl_reader_has_line(r))
		return true;
	return ppoll(&pfd, 1, timeout_ms < 0 ? NULL : &ts, waitmask) > 0;
}

void watch_print(int fd, struct ctl_reader *r, bool as_json, bool all)
{
	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART: poll returns */
	struct watcher w = { .as_json = as_json };
	int idle_ms = isatty(STDOUT_FILENO) ? 1000 : -1;
	struct json_object *ev;
	sigset_t stops, waitmask;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * SIGINT and SIGTERM are let in only while waiting (ppoll): one that
	 * came while a line was being printed would set the flag and leave
	 * the next wait blocked for ever.
	 */
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	for (;;) {
		if (!wait_line(fd, r, all ? -1 : idle_ms, &waitmask)) {
			if (stop_signal)
				break;
			flush_until(&w, INT64_MAX);	/* a second of quiet, on a terminal */
			continue;
		}
		/* events come when the simulation makes them: no time limit */
		if (ctl_recv(fd, r, -1, &ev))
			break;
		if (all) {
			print_event(&w, ev);
			json_object_put(ev);
			fflush(stdout);
		} else {
			coalesce(&w, ev);
			fflush(stdout);
		}
	}
	flush_until(&w, INT64_MAX);
	free(w.p);
	if (stop_signal) {
		signal(stop_signal, SIG_DFL);
		sigprocmask(SIG_UNBLOCK, &stops, NULL);
		raise(stop_signal);
	}
}
