// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl top (see top.h): one row per cgroup of a subtree, a usage bar
 * against its limits, refreshed every second and, on a manual clock, as
 * soon as the simulated clock moves. Plain terminal control (an alternate
 * screen, raw keys, ANSI cursor moves) within 80x24; the terminal's
 * settings are saved first and put back on every way out, including
 * SIGINT, SIGTERM and SIGHUP, and around a SIGTSTP (htop's CRT.c does the
 * same).
 *
 * May include: libc, json-c, ctl/ (client side). Not the engine.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "ctl/filevals.h"
#include "ctl/top.h"

#define TOP_WIDTH 80
#define TOP_HEIGHT 24
#define NAME_W 13
#define BAR_W 20
/* how often a manual clock is looked at, and how often anything is redrawn */
#define POLL_MS 200
#define REFRESH_MS 1000

/* A limit this large is none: v1 shows PAGE_COUNTER_MAX pages in bytes. */
#define NO_LIMIT (1ULL << 62)

enum { SORT_CURRENT, SORT_PEAK, SORT_NAME, SORT_EVENTS, NR_SORTS };
static const char *const sort_names[NR_SORTS] = { "current", "peak", "name", "events" };

static const char *const top_files[] = {
	"memory.current", "memory.peak", "memory.low", "memory.high", "memory.max",
	"memory.swap.current", "memory.events", "memory.pressure",
	"memory.usage_in_bytes", "memory.max_usage_in_bytes", "memory.soft_limit_in_bytes",
	"memory.limit_in_bytes", "memory.memsw.usage_in_bytes", "memory.failcnt",
	"memory.oom_control",
};

/* One cgroup as shown. */
struct row {
	char *path;
	int depth;
	size_t parent;			/* index of the parent row; SIZE_MAX for the first */
	bool has_memory;
	uint64_t current, peak, low, high, max, swap;	/* bytes; NO_LIMIT for none */
	unsigned long ev_high, ev_max, ev_kill;	/* since top started (v1: failcnt in ev_max) */
	double psi10;			/* -1: no memory.pressure */
	long tasks;
};

/* Event counts when top started, by cgroup path. */
struct baseline {
	char *path;
	unsigned long high, max, kill;
};

struct top {
	int fd;
	struct ctl_reader *r;
	struct json_object *req;
	const char *mount;
	int sort;
	bool v1, manual;
	int64_t time_ns;
	struct row *rows;
	size_t nr_rows;
	struct baseline *base;
	size_t nr_base;
	size_t *order;			/* rows in the order shown */
	size_t left_out;		/* cgroups the daemon did not sample (too many) */
	char err[256];
};

static struct termios saved_termios;
static bool terminal_set;
static volatile sig_atomic_t stop_signal, suspended, resized;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void on_tstp(int sig)
{
	(void)sig;
	suspended = 1;
}

static void on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

static void put(const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(STDOUT_FILENO, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* Raw keys, no echo, the alternate screen, no cursor. */
static int terminal_enter(void)
{
	struct termios raw;

	if (tcgetattr(STDIN_FILENO, &saved_termios))
		return -errno;
	raw = saved_termios;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw))
		return -errno;
	terminal_set = true;
	put("\033[?1049h\033[?25l\033[H\033[2J");
	return 0;
}

/* The terminal as it was found: its settings, the main screen, the cursor. */
static void terminal_leave(void)
{
	if (!terminal_set)
		return;
	put("\033[?25h\033[?1049l");
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
	terminal_set = false;
}

void top_request_files(struct json_object *req)
{
	struct json_object *files = json_object_new_array();
	size_t i;

	for (i = 0; i < sizeof(top_files) / sizeof(top_files[0]); i++)
		json_object_array_add(files, json_object_new_string(top_files[i]));
	json_object_object_add(req, "files", files);
}

int top_sort_key(const char *name)
{
	int i;

	for (i = 0; i < NR_SORTS; i++)
		if (!strcmp(name, sort_names[i]))
			return i;
	return -1;
}

/* ---- one sample into rows ------------------------------------------------- */

static const char *file_of(struct json_object *files, const char *name)
{
	struct json_object *v;

	return json_object_object_get_ex(files, name, &v) ? json_object_get_string(v) : NULL;
}

/* The number in @name (key @key), or @dflt; "max" and v1's huge numbers are NO_LIMIT. */
static uint64_t value_of(struct json_object *files, const char *name, const char *key, uint64_t dflt)
{
	const char *text = file_of(files, name);
	char buf[64], *end;
	unsigned long long v;

	if (!text || !filevals_get(text, key, buf, sizeof(buf)))
		return dflt;
	if (!strcmp(buf, "max"))
		return NO_LIMIT;
	v = strtoull(buf, &end, 10);
	if (end == buf)
		return dflt;
	return v >= NO_LIMIT ? NO_LIMIT : v;
}

static struct baseline *baseline_of(struct top *t, const char *path, const struct row *now)
{
	size_t i;

	for (i = 0; i < t->nr_base; i++)
		if (!strcmp(t->base[i].path, path))
			return &t->base[i];
	/* first seen now: its events count from here */
	t->base = realloc(t->base, (t->nr_base + 1) * sizeof(*t->base));
	if (!t->base) {
		fprintf(stderr, "memcgctl: out of memory\n");
		exit(1);
	}
	t->base[t->nr_base] = (struct baseline){ .path = strdup(path), .high = now->ev_high,
						 .max = now->ev_max, .kill = now->ev_kill };
	return &t->base[t->nr_base++];
}

static void rows_free(struct top *t)
{
	size_t i;

	for (i = 0; i < t->nr_rows; i++)
		free(t->rows[i].path);
	free(t->rows);
	free(t->order);
	t->rows = NULL;
	t->order = NULL;
	t->nr_rows = 0;
}

static void take_sample(struct top *t, struct json_object *reply)
{
	struct json_object *sample, *cgroups, *v;
	size_t i, stack[64];

	rows_free(t);
	if (json_object_object_get_ex(reply, "manual_clock", &v))
		t->manual = json_object_get_boolean(v);
	if (!json_object_object_get_ex(reply, "sample", &sample) ||
	    !json_object_object_get_ex(sample, "cgroups", &cgroups))
		return;
	json_object_object_get_ex(sample, "time_ns", &v);
	t->time_ns = json_object_get_int64(v);
	t->left_out = json_object_object_get_ex(sample, "left_out", &v) ? (size_t)json_object_get_int64(v) : 0;
	t->nr_rows = json_object_array_length(cgroups);
	t->rows = calloc(t->nr_rows ? t->nr_rows : 1, sizeof(*t->rows));
	t->order = calloc(t->nr_rows ? t->nr_rows : 1, sizeof(*t->order));
	if (!t->rows || !t->order) {
		fprintf(stderr, "memcgctl: out of memory\n");
		exit(1);
	}
	for (i = 0; i < t->nr_rows; i++) {
		struct json_object *cg = json_object_array_get_idx(cgroups, i), *files, *x;
		struct row *row = &t->rows[i];
		struct baseline *b;
		const char *psi;
		char buf[32];

		json_object_object_get_ex(cg, "files", &files);
		json_object_object_get_ex(cg, "path", &x);
		row->path = strdup(json_object_get_string(x));
		json_object_object_get_ex(cg, "depth", &x);
		row->depth = json_object_get_int(x);
		json_object_object_get_ex(cg, "nr_tasks", &x);
		row->tasks = (long)json_object_get_int64(x);
		/* the parent is the last row one level up: the rows come parents first */
		if (row->depth >= 0 && row->depth < 64)
			stack[row->depth] = i;
		row->parent = row->depth > 0 && row->depth <= 64 ? stack[row->depth - 1] : SIZE_MAX;
		if (file_of(files, "memory.usage_in_bytes")) {
			t->v1 = true;
			row->has_memory = true;
			row->current = value_of(files, "memory.usage_in_bytes", NULL, 0);
			row->peak = value_of(files, "memory.max_usage_in_bytes", NULL, 0);
			row->low = 0;
			row->high = value_of(files, "memory.soft_limit_in_bytes", NULL, NO_LIMIT);
			row->max = value_of(files, "memory.limit_in_bytes", NULL, NO_LIMIT);
			row->swap = value_of(files, "memory.memsw.usage_in_bytes", NULL, row->current);
			row->swap = row->swap > row->current ? row->swap - row->current : 0;
			row->ev_max = value_of(files, "memory.failcnt", NULL, 0);
			row->ev_kill = value_of(files, "memory.oom_control", "oom_kill", 0);
		} else if (file_of(files, "memory.current")) {
			row->has_memory = true;
			row->current = value_of(files, "memory.current", NULL, 0);
			row->peak = value_of(files, "memory.peak", NULL, 0);
			row->low = value_of(files, "memory.low", NULL, 0);
			row->high = value_of(files, "memory.high", NULL, NO_LIMIT);
			row->max = value_of(files, "memory.max", NULL, NO_LIMIT);
			row->swap = value_of(files, "memory.swap.current", NULL, 0);
			row->ev_high = value_of(files, "memory.events", "high", 0);
			row->ev_max = value_of(files, "memory.events", "max", 0);
			row->ev_kill = value_of(files, "memory.events", "oom_kill", 0);
		}
		psi = file_of(files, "memory.pressure");
		row->psi10 = psi && filevals_get(psi, "some.avg10", buf, sizeof(buf)) ? strtod(buf, NULL) : -1;
		b = baseline_of(t, row->path, row);
		row->ev_high -= row->ev_high >= b->high ? b->high : row->ev_high;
		row->ev_max -= row->ev_max >= b->max ? b->max : row->ev_max;
		row->ev_kill -= row->ev_kill >= b->kill ? b->kill : row->ev_kill;
	}
}

/* ---- order: the tree, siblings sorted by the key --------------------------- */

static struct top *sorting;

static int compare_rows(const void *a, const void *b)
{
	const struct row *x = &sorting->rows[*(const size_t *)a], *y = &sorting->rows[*(const size_t *)b];
	uint64_t kx, ky;

	switch (sorting->sort) {
	case SORT_PEAK:
		kx = x->peak, ky = y->peak;
		break;
	case SORT_EVENTS:
		kx = x->ev_high + x->ev_max + x->ev_kill, ky = y->ev_high + y->ev_max + y->ev_kill;
		break;
	case SORT_NAME:
		return strcmp(x->path, y->path);
	default:
		kx = x->current, ky = y->current;
	}
	if (kx != ky)
		return kx < ky ? 1 : -1;	/* largest first */
	return strcmp(x->path, y->path);
}

/* @node, then its children's subtrees, the children sorted by the key. */
static void order_subtree(struct top *t, size_t node, size_t *n)
{
	size_t *kids = malloc(t->nr_rows * sizeof(*kids)), nr = 0, i;

	if (!kids) {
		fprintf(stderr, "memcgctl: out of memory\n");
		exit(1);
	}
	t->order[(*n)++] = node;
	for (i = 0; i < t->nr_rows; i++)
		if (t->rows[i].parent == node)
			kids[nr++] = i;
	sorting = t;
	qsort(kids, nr, sizeof(*kids), compare_rows);
	for (i = 0; i < nr; i++)
		order_subtree(t, kids[i], n);
	free(kids);
}

static void order_rows(struct top *t)
{
	size_t n = 0, i;

	for (i = 0; i < t->nr_rows; i++)
		if (t->rows[i].parent == SIZE_MAX)
			order_subtree(t, i, &n);
}

/* ---- drawing -------------------------------------------------------------- */

/* @bytes in at most 6 characters: 512, 20.0K, 19.8M, 1.25G. */
static void human(char *buf, size_t size, uint64_t bytes)
{
	const char *units = "KMGTPE";
	double v = (double)bytes;
	int u = -1;

	if (bytes == NO_LIMIT) {
		snprintf(buf, size, "max");
		return;
	}
	while (v >= 1000 && u < 5) {
		v /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, size, v < 10 ? "%.2f%c" : v < 100 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

/*
 * The usage bar: '=' up to the usage, '|' where high (v1: the soft limit)
 * is, ':' at low, the right end the limit; with no limit, the bar is
 * scaled to @scale (the largest usage shown).
 */
static void bar(char *out, const struct row *row, uint64_t scale)
{
	uint64_t full = row->max != NO_LIMIT ? row->max : scale;
	int i, fill, at_high = -1, at_low = -1;

	if (!full)
		full = 1;
	fill = (int)llround((double)row->current / (double)full * BAR_W);
	if (fill > BAR_W)
		fill = BAR_W;
	if (row->high != NO_LIMIT && row->high < full)
		at_high = (int)((double)row->high / (double)full * BAR_W);
	if (row->low && row->low < full)
		at_low = (int)((double)row->low / (double)full * BAR_W);
	out[0] = '[';
	for (i = 0; i < BAR_W; i++)
		out[1 + i] = i < fill ? '=' : ' ';
	if (at_low >= 0 && at_low < BAR_W)
		out[1 + at_low] = ':';
	if (at_high >= 0 && at_high < BAR_W)
		out[1 + at_high] = '|';
	out[1 + BAR_W] = row->max != NO_LIMIT ? ']' : ')';
	out[2 + BAR_W] = '\0';
}

static void line(char *screen, size_t size, const char *text)
{
	size_t len = strlen(screen);

	snprintf(screen + len, size - len, "%.*s\033[K\r\n", TOP_WIDTH, text);
}

static void draw(struct top *t)
{
	char screen[TOP_HEIGHT * (TOP_WIDTH + 16)] = "\033[H", text[TOP_WIDTH * 2];
	char cur[16], peak[16], swap[16], events[24], psi[8], name[NAME_W + 1], b[BAR_W + 4];
	struct winsize ws = { .ws_row = TOP_HEIGHT };
	uint64_t scale = 0;
	size_t i, shown, room;

	ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	room = (ws.ws_row > 4 ? ws.ws_row : TOP_HEIGHT) - 3;
	if (room > TOP_HEIGHT - 3)
		room = TOP_HEIGHT - 3;
	for (i = 0; i < t->nr_rows; i++)
		if (t->rows[i].current > scale)
			scale = t->rows[i].current;
	order_rows(t);
	snprintf(text, sizeof(text), "memcgctl top  %s (%s)  %.3fs simulated  sort: %s", t->mount,
		 t->v1 ? "v1" : "v2", (double)t->time_ns / 1e9, sort_names[t->sort]);
	line(screen, sizeof(screen), text);
	snprintf(text, sizeof(text), "%-*s %-*s %6s %6s %6s %-11s %5s %3s", NAME_W, "CGROUP", BAR_W + 2,
		 t->v1 ? "USAGE |soft ]limit" : "USAGE :low |high ]max", "CUR", "PEAK", "SWAP",
		 t->v1 ? "FAILCNT/KIL" : "HI/MAX/KILL", "PSI10", "TSK");
	line(screen, sizeof(screen), text);
	for (shown = 0; shown < t->nr_rows && shown < room; shown++) {
		const struct row *row = &t->rows[t->order[shown]];
		const char *base = strrchr(row->path, '/');
		int indent = row->depth < 6 ? row->depth : 6;

		base = row->depth && base ? base + 1 : row->path;
		snprintf(name, sizeof(name), "%*s%s", indent, "", base);
		if (!row->has_memory) {
			snprintf(text, sizeof(text), "%-*s %-*s %3ld", NAME_W, name, TOP_WIDTH - NAME_W - 6,
				 "(no usage file here)", row->tasks);
			line(screen, sizeof(screen), text);
			continue;
		}
		bar(b, row, scale);
		human(cur, sizeof(cur), row->current);
		human(peak, sizeof(peak), row->peak);
		human(swap, sizeof(swap), row->swap);
		if (t->v1)
			snprintf(events, sizeof(events), "%lu/%lu", row->ev_max, row->ev_kill);
		else
			snprintf(events, sizeof(events), "%lu/%lu/%lu", row->ev_high, row->ev_max, row->ev_kill);
		if (row->psi10 >= 0)
			snprintf(psi, sizeof(psi), "%5.2f", row->psi10);
		else
			snprintf(psi, sizeof(psi), "%5s", "-");
		snprintf(text, sizeof(text), "%-*s %s %6s %6s %6s %-11.11s %5s %3ld", NAME_W, name, b, cur,
			 peak, swap, events, psi, row->tasks);
		line(screen, sizeof(screen), text);
	}
	if (shown < t->nr_rows || t->left_out) {
		snprintf(text, sizeof(text), "... and %zu more cgroups", t->nr_rows - shown + t->left_out);
		line(screen, sizeof(screen), text);
	}
	line(screen, sizeof(screen), t->err[0] ? t->err :
	     "q: quit  s: sort by current, peak, name, events  (events since top started)");
	strncat(screen, "\033[J", sizeof(screen) - strlen(screen) - 1);
	put(screen);
}

/* ---- the loop --------------------------------------------------------------- */

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* A new sample from the daemon. Return: 0, or -errno (it went away). */
static int refresh(struct top *t)
{
	struct json_object *reply, *v;
	int ret = ctl_send(t->fd, t->req);

	if (!ret)
		ret = ctl_recv(t->fd, t->r, 30000, &reply);
	if (ret)
		return ret;
	if (!json_object_object_get_ex(reply, "ok", &v) || !json_object_get_boolean(v)) {
		snprintf(t->err, sizeof(t->err), "memcgctl: %s",
			 json_object_object_get_ex(reply, "error", &v) ? json_object_get_string(v) : "?");
	} else {
		t->err[0] = '\0';
		take_sample(t, reply);
	}
	json_object_put(reply);
	return 0;
}

int top_run(int fd, struct ctl_reader *r, struct json_object *req, struct json_object *reply,
	    const char *mount, int sort)
{
	struct top t = { .fd = fd, .r = r, .req = req, .mount = mount, .sort = sort };
	struct sigaction sa = { .sa_handler = on_stop }, tstp = { .sa_handler = on_tstp },
			 winch = { .sa_handler = on_winch };
	int64_t drawn_ns;
	uint64_t drawn_ms;
	int ret = 0;
	size_t i;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "memcgctl: top: needs a terminal (record writes a CSV instead)\n");
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&tstp.sa_mask);
	sigaction(SIGTSTP, &tstp, NULL);
	sigemptyset(&winch.sa_mask);
	sigaction(SIGWINCH, &winch, NULL);
	if (terminal_enter()) {
		fprintf(stderr, "memcgctl: top: the terminal: %s\n", strerror(errno));
		return 1;
	}
	take_sample(&t, reply);
	draw(&t);
	drawn_ns = t.time_ns;
	drawn_ms = now_ms();
	while (!stop_signal) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		bool redraw = false;
		char key;

		if (suspended) {
			/* the shell gets its terminal back while we are stopped */
			terminal_leave();
			signal(SIGTSTP, SIG_DFL);
			raise(SIGTSTP);
			sigaction(SIGTSTP, &tstp, NULL);
			suspended = 0;
			if (terminal_enter())
				break;
			redraw = true;
		}
		if (poll(&pfd, 1, t.manual ? POLL_MS : REFRESH_MS) > 0 && read(STDIN_FILENO, &key, 1) == 1) {
			if (key == 'q' || key == 'Q')
				break;
			if (key == 's' || key == 'S')
				t.sort = (t.sort + 1) % NR_SORTS;
			redraw = true;
		}
		if (resized) {
			resized = 0;
			redraw = true;
		}
		if (!t.manual || redraw || now_ms() - drawn_ms >= REFRESH_MS / 4) {
			ret = refresh(&t);
			if (ret)
				break;
		}
		/* a manual clock: draw when it moved; a real one: every second */
		if (redraw || t.time_ns != drawn_ns || now_ms() - drawn_ms >= REFRESH_MS) {
			draw(&t);
			drawn_ns = t.time_ns;
			drawn_ms = now_ms();
		}
	}
	terminal_leave();
	rows_free(&t);
	for (i = 0; i < t.nr_base; i++)
		free(t.base[i].path);
	free(t.base);
	if (ret) {
		fprintf(stderr, "memcgctl: top: the daemon went away (%s)\n", strerror(-ret));
		return 1;
	}
	if (stop_signal) {
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return 0;
}
