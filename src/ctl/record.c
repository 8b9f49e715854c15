// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl record (see record.h). The daemon takes each sample when its
 * simulated clock reaches the time, so a run on a manual clock records the
 * same rows every time, whatever the wall clock does. The columns are
 * fixed by the first sample: one per value of each file each cgroup has,
 * named as the file is on the mount ("/job/memory.current") with the key
 * of a keyed file after a colon ("/job/memory.events:oom_kill"). A cgroup
 * removed later leaves its cells empty; one made later is not recorded,
 * nor any past the first SAMPLE_MAX_CGROUPS (4096) of a tree (said once).
 *
 * May include: libc, json-c, ctl/ (client side). Not the engine.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/filevals.h"
#include "ctl/record.h"

/* Both hierarchies' files: usage, limits, events (v2 first, then v1). */
static const char *const record_files[] = {
	"memory.current", "memory.min", "memory.low", "memory.high", "memory.max",
	"memory.swap.current", "memory.swap.max", "memory.events", "memory.pressure",
	"memory.usage_in_bytes", "memory.soft_limit_in_bytes", "memory.limit_in_bytes",
	"memory.failcnt", "memory.memsw.usage_in_bytes", "memory.memsw.limit_in_bytes",
	"memory.memsw.failcnt", "memory.oom_control",
};

void record_request_files(struct json_object *req)
{
	struct json_object *files = json_object_new_array();
	size_t i;

	for (i = 0; i < sizeof(record_files) / sizeof(record_files[0]); i++)
		json_object_array_add(files, json_object_new_string(record_files[i]));
	json_object_object_add(req, "files", files);
}

void record_format_time(int64_t ns, char *buf, size_t size)
{
	int len = snprintf(buf, size, "%lld.%09lld", (long long)(ns / 1000000000LL),
			   (long long)(ns % 1000000000LL));

	while (len > 0 && (size_t)len < size && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && (size_t)len < size && buf[len - 1] == '.')
		buf[--len] = '\0';
}

/* The columns, and one row's cells in their order. */
struct table {
	char **names;
	char **cells;
	size_t nr, cap;
	bool fixed;			/* the header is written: no new columns */
	size_t hint;			/* where the last cell went: rows come in order */
};

struct cell_ctx {
	struct table *t;
	const char *path, *file;
};

static void die_nomem(void)
{
	fprintf(stderr, "memcgctl: out of memory\n");
	exit(1);
}

static void add_cell(void *arg, const char *key, const char *value)
{
	struct cell_ctx *c = arg;
	struct table *t = c->t;
	char *name;
	size_t i;

	if (asprintf(&name, "%s%s%s%s%s", c->path, strcmp(c->path, "/") ? "/" : "", c->file,
		     key ? ":" : "", key ? key : "") < 0)
		die_nomem();
	for (i = 0; i < t->nr; i++) {
		size_t at = (t->hint + i) % t->nr;

		if (!strcmp(t->names[at], name)) {
			free(t->cells[at]);
			t->cells[at] = strdup(value);
			t->hint = at + 1;
			free(name);
			return;
		}
	}
	if (t->fixed) {
		free(name);
		return;
	}
	if (t->nr == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->names = realloc(t->names, t->cap * sizeof(*t->names));
		t->cells = realloc(t->cells, t->cap * sizeof(*t->cells));
		if (!t->names || !t->cells)
			die_nomem();
	}
	t->names[t->nr] = name;
	t->cells[t->nr++] = strdup(value);
}

/* A field as RFC 4180 writes it: quoted when it holds a comma, quote or line break. */
static void put_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* One sample into the table's cells, then out as a row (the header first). */
static int write_row(FILE *out, struct table *t, struct json_object *sample)
{
	struct json_object *cgroups, *v;
	char time[32];
	size_t i, k;

	for (i = 0; i < t->nr; i++) {
		free(t->cells[i]);
		t->cells[i] = NULL;
	}
	if (json_object_object_get_ex(sample, "cgroups", &cgroups)) {
		for (i = 0; i < json_object_array_length(cgroups); i++) {
			struct json_object *cg = json_object_array_get_idx(cgroups, i), *path, *files;
			struct cell_ctx c = { .t = t };

			if (!json_object_object_get_ex(cg, "path", &path) ||
			    !json_object_object_get_ex(cg, "files", &files))
				continue;
			c.path = json_object_get_string(path);
			/* in the order asked for: the daemon keeps it */
			json_object_object_foreach(files, name, text) {
				c.file = name;
				filevals_each(json_object_get_string(text), add_cell, &c);
			}
		}
	}
	if (!t->fixed) {
		if (json_object_object_get_ex(sample, "left_out", &v))
			fprintf(stderr, "memcgctl: record: %s cgroup(s) left out: a recording takes "
					"4096 at most\n", json_object_get_string(v));
		fputs("time_s", out);
		for (k = 0; k < t->nr; k++) {
			fputc(',', out);
			put_field(out, t->names[k]);
		}
		fputc('\n', out);
		t->fixed = true;
	}
	json_object_object_get_ex(sample, "time_ns", &v);
	record_format_time(json_object_get_int64(v), time, sizeof(time));
	fputs(time, out);
	for (k = 0; k < t->nr; k++) {
		fputc(',', out);
		if (t->cells[k])
			put_field(out, t->cells[k]);
	}
	fputc('\n', out);
	if (json_object_object_get_ex(sample, "lost", &v))
		fprintf(stderr, "memcgctl: record: %s sample(s) before %ss lost: the output fell behind\n",
			json_object_get_string(v), time);
	return fflush(out) || ferror(out) ? -EIO : 0;
}

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

int record_print(int fd, struct ctl_reader *r, struct json_object *reply, FILE *out, int64_t for_ns)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct table t = { 0 };
	struct json_object *sample, *v;
	sigset_t stops, waiting;
	int64_t start_ns, now_ns;
	int ret = 0;
	size_t i;

	/*
	 * SIGINT and SIGTERM are let in only while waiting for a sample
	 * (ppoll), so one that comes is never lost in a read that retries,
	 * and a row is never cut short.
	 */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigemptyset(&stops);
	sigaddset(&stops, SIGINT);
	sigaddset(&stops, SIGTERM);
	sigprocmask(SIG_BLOCK, &stops, &waiting);
	if (!json_object_object_get_ex(reply, "sample", &sample)) {
		fprintf(stderr, "memcgctl: record: the daemon sent no sample\n");
		return 1;
	}
	json_object_object_get_ex(sample, "time_ns", &v);
	start_ns = now_ns = json_object_get_int64(v);
	if (write_row(out, &t, sample))
		goto out_write;
	while (for_ns < 0 || now_ns - start_ns < for_ns) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };

		if (!ctl_reader_has_line(r) && ppoll(&pfd, 1, NULL, &waiting) < 0) {
			if (stop_signal)
				break;
			continue;
		}
		/* samples come when the simulated clock gets there: no time limit */
		if (ctl_recv(fd, r, -1, &sample))
			break;		/* the daemon went away: the recording ends */
		json_object_object_get_ex(sample, "time_ns", &v);
		now_ns = json_object_get_int64(v);
		ret = write_row(out, &t, sample);
		json_object_put(sample);
		if (ret)
			goto out_write;
	}
	goto out;
out_write:
	fprintf(stderr, "memcgctl: record: writing the CSV: %s\n", strerror(errno ? errno : EIO));
	ret = 1;
out:
	for (i = 0; i < t.nr; i++) {
		free(t.names[i]);
		free(t.cells[i]);
	}
	free(t.names);
	free(t.cells);
	sigprocmask(SIG_SETMASK, &waiting, NULL);
	if (stop_signal && !ret) {
		/* every row is out: die of the signal, as watch does */
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return ret;
}
