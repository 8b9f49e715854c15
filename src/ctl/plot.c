// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgctl plot (see plot.h): each cgroup's usage over time as a line of
 * its colour, its limits as dashed lines of the same colour (v2:
 * memory.high and memory.max, dotted memory.low; v1: soft_limit_in_bytes
 * and limit_in_bytes), and a mark where a counter grew between two
 * samples: a cross for an OOM kill, small triangles for memory.events high
 * and max (v1: failcnt, the limit hit). A hand-written SVG, one file with
 * no script, font or style sheet to fetch, that a browser shows as it is.
 *
 * Elements carry their meaning for a reader or a test: class "usage",
 * "limit high", "limit max", "limit low", "mark oom_kill", "mark high",
 * "mark max", "tick x", "tick y"; data-cgroup, data-bytes, data-time and
 * data-value the numbers they were drawn from.
 *
 * May include: libc. Not the engine, not json-c.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/plot.h"

/* the chart's geometry, in SVG user units (pixels) */
#define CHART_W 960
#define CHART_H 540
#define AREA_X0 90.0
#define AREA_X1 700.0
#define AREA_Y0 50.0
#define AREA_Y1 470.0
#define LEGEND_X 725.0
#define LEGEND_MAX 14		/* cgroups named in the legend */

/* A limit this large is no limit: v1 shows PAGE_COUNTER_MAX pages in bytes. */
#define UNLIMITED_BYTES 4.6e18

static const char *const palette[] = {
	"#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#e377c2", "#7f7f7f",
	"#bcbd22",
};
#define OOM_COLOUR "#d62728"

struct csv {
	char **names;			/* the header */
	size_t nr_cols;
	char ***rows;			/* rows[r][c]; NULL where a row is short */
	size_t nr_rows, cap_rows;
};

/* What is drawn of one cgroup: column numbers, or -1. */
struct series {
	char *path;
	int usage, high, max, low, oom_kill, ev_high, ev_max;
	const char *colour;
};

struct chart {
	struct csv csv;
	double *t;			/* each row's time, s */
	struct series *series;
	size_t nr_series;
	bool v1;
	bool has_low;			/* some memory.low is drawn */
	double t0, t1, ymax, unit;
	const char *unit_name;
	FILE *out;
};

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size ? size : 1);
	if (!p) {
		fprintf(stderr, "memcgctl: plot: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- reading the CSV ------------------------------------------------------ */

/* The fields of one line (RFC 4180: quotes around a field, "" inside), at *@pos, moved past it. */
static char **csv_line(const char **pos, size_t *nr)
{
	const char *p = *pos;
	char **fields = NULL;
	size_t n = 0;

	if (!*p)
		return NULL;
	for (;;) {
		char *f = xrealloc(NULL, strlen(p) + 1);
		size_t len = 0;

		if (*p == '"') {
			for (p++; *p; p++) {
				if (*p == '"' && p[1] == '"')
					f[len++] = *p++;
				else if (*p == '"')
					break;
				else
					f[len++] = *p;
			}
			if (*p == '"')
				p++;
		}
		while (*p && *p != ',' && *p != '\n' && *p != '\r')
			f[len++] = *p++;
		f[len] = '\0';
		fields = xrealloc(fields, (n + 1) * sizeof(*fields));
		fields[n++] = f;
		if (*p != ',')
			break;
		p++;
	}
	if (*p == '\r')
		p++;
	if (*p == '\n')
		p++;
	*pos = p;
	*nr = n;
	return fields;
}

static int csv_read(const char *path, struct csv *csv)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	size_t len = 0, n;
	const char *p;
	char **fields;

	if (!f)
		return -errno;
	{
		char buf[65536];

		while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
			text = xrealloc(text, len + n + 1);
			memcpy(text + len, buf, n);
			len += n;
		}
	}
	fclose(f);
	if (!text)
		return -ENODATA;
	text[len] = '\0';
	p = text;
	csv->names = csv_line(&p, &csv->nr_cols);
	while ((fields = csv_line(&p, &n))) {
		size_t i;

		if (n == 1 && !fields[0][0]) {	/* an empty line */
			free(fields[0]);
			free(fields);
			continue;
		}
		fields = xrealloc(fields, csv->nr_cols * sizeof(*fields));
		for (i = n; i < csv->nr_cols; i++)
			fields[i] = NULL;
		for (i = csv->nr_cols; i < n; i++)
			free(fields[i]);
		if (csv->nr_rows == csv->cap_rows) {
			csv->cap_rows = csv->cap_rows ? 2 * csv->cap_rows : 256;
			csv->rows = xrealloc(csv->rows, csv->cap_rows * sizeof(*csv->rows));
		}
		csv->rows[csv->nr_rows++] = fields;
	}
	free(text);
	return csv->names ? 0 : -ENODATA;
}

static void csv_free(struct csv *csv)
{
	size_t r, c;

	for (r = 0; r < csv->nr_rows; r++) {
		for (c = 0; c < csv->nr_cols; c++)
			free(csv->rows[r][c]);
		free(csv->rows[r]);
	}
	for (c = 0; c < csv->nr_cols; c++)
		free(csv->names[c]);
	free(csv->rows);
	free(csv->names);
}

/* A cell as a number: NAN where empty or not a number, INFINITY for no limit. */
static double cell(const struct chart *ch, size_t row, int col)
{
	const char *s = col >= 0 ? ch->csv.rows[row][col] : NULL;
	char *end;
	double v;

	if (!s || !*s)
		return NAN;
	if (!strcmp(s, "max"))
		return INFINITY;
	v = strtod(s, &end);
	if (end == s || *end)
		return NAN;
	return v >= UNLIMITED_BYTES ? INFINITY : v;
}

/* ---- what the columns are ------------------------------------------------ */

/* "/a/b/memory.events:oom_kill" into its cgroup "/a/b", file and key ("" when none). */
static void split_column(const char *name, char *path, size_t path_size, const char **file,
			 const char **key)
{
	const char *slash = strrchr(name, '/'), *colon;

	if (!slash) {
		snprintf(path, path_size, "/");
		*file = name;
	} else {
		snprintf(path, path_size, "%.*s", (int)(slash - name), name);
		if (!path[0])
			snprintf(path, path_size, "/");
		*file = slash + 1;
	}
	colon = strchr(*file, ':');
	*key = colon ? colon + 1 : "";
}

static struct series *series_of(struct chart *ch, const char *path)
{
	struct series *s;
	size_t i;

	for (i = 0; i < ch->nr_series; i++)
		if (!strcmp(ch->series[i].path, path))
			return &ch->series[i];
	ch->series = xrealloc(ch->series, (ch->nr_series + 1) * sizeof(*ch->series));
	s = &ch->series[ch->nr_series++];
	*s = (struct series){ .path = strdup(path), .usage = -1, .high = -1, .max = -1, .low = -1,
			      .oom_kill = -1, .ev_high = -1, .ev_max = -1 };
	return s;
}

/* Does @file (up to a colon) name @want with key @key? */
static bool is(const char *file, const char *key, const char *want, const char *want_key)
{
	size_t n = strlen(want);

	return !strncmp(file, want, n) && (file[n] == ':' || !file[n]) && !strcmp(key, want_key);
}

static void find_series(struct chart *ch)
{
	size_t c, i, kept = 0;

	for (c = 1; c < ch->csv.nr_cols; c++) {
		const char *file, *key;
		char path[4096];
		struct series *s;
		int *slot = NULL;

		split_column(ch->csv.names[c], path, sizeof(path), &file, &key);
		s = series_of(ch, path);
		if (is(file, key, "memory.current", ""))
			slot = &s->usage;
		else if (is(file, key, "memory.high", ""))
			slot = &s->high;
		else if (is(file, key, "memory.max", ""))
			slot = &s->max;
		else if (is(file, key, "memory.low", ""))
			slot = &s->low;
		else if (is(file, key, "memory.events", "oom_kill"))
			slot = &s->oom_kill;
		else if (is(file, key, "memory.events", "high"))
			slot = &s->ev_high;
		else if (is(file, key, "memory.events", "max"))
			slot = &s->ev_max;
		else if (is(file, key, "memory.usage_in_bytes", ""))
			slot = &s->usage, ch->v1 = true;
		else if (is(file, key, "memory.soft_limit_in_bytes", ""))
			slot = &s->high;
		else if (is(file, key, "memory.limit_in_bytes", ""))
			slot = &s->max;
		else if (is(file, key, "memory.oom_control", "oom_kill"))
			slot = &s->oom_kill;
		else if (is(file, key, "memory.failcnt", ""))
			slot = &s->ev_max;
		if (slot)
			*slot = (int)c;
	}
	/* a cgroup without a usage column (the v2 root) is not drawn */
	for (i = 0; i < ch->nr_series; i++) {
		if (ch->series[i].usage < 0) {
			free(ch->series[i].path);
			continue;
		}
		ch->series[kept] = ch->series[i];
		ch->series[kept].colour = palette[kept % (sizeof(palette) / sizeof(palette[0]))];
		kept++;
	}
	ch->nr_series = kept;
}

/* ---- scales -------------------------------------------------------------- */

/* A tick step of 1, 2 or 5 times a power of ten giving about @n ticks over @range. */
static double nice_step(double range, int n)
{
	double raw = range / n, mag = pow(10, floor(log10(raw))), norm = raw / mag;

	return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

static void scales(struct chart *ch)
{
	size_t r, i;
	double top = 0;

	ch->t0 = ch->t[0];
	ch->t1 = ch->t[ch->csv.nr_rows - 1];
	if (ch->t1 <= ch->t0)
		ch->t1 = ch->t0 + 1;
	for (i = 0; i < ch->nr_series; i++) {
		const struct series *s = &ch->series[i];
		int cols[] = { s->usage, s->high, s->max, s->low };

		for (r = 0; r < ch->csv.nr_rows; r++)
			for (size_t k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
				double v = cell(ch, r, cols[k]);

				if (isfinite(v) && v > top)
					top = v;
			}
	}
	ch->ymax = top > 0 ? top * 1.08 : 1 << 20;
	if (ch->ymax < 2.0 * (1 << 20))
		ch->unit = 1 << 10, ch->unit_name = "KiB";
	else if (ch->ymax < 2.0 * (1 << 30))
		ch->unit = 1 << 20, ch->unit_name = "MiB";
	else
		ch->unit = 1 << 30, ch->unit_name = "GiB";
}

static double x_of(const struct chart *ch, double t)
{
	return AREA_X0 + (t - ch->t0) / (ch->t1 - ch->t0) * (AREA_X1 - AREA_X0);
}

static double y_of(const struct chart *ch, double bytes)
{
	if (bytes > ch->ymax)
		bytes = ch->ymax;
	return AREA_Y1 - bytes / ch->ymax * (AREA_Y1 - AREA_Y0);
}

/* ---- SVG ------------------------------------------------------------------ */

static void put_escaped(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			/* XML 1.0 has no other control characters */
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, out);
			else
				fputc('?', out);
		}
	}
}

/* A number as tick labels show it: no trailing zeros. */
static void put_number(FILE *out, double v)
{
	char buf[64];
	int len = snprintf(buf, sizeof(buf), "%.6f", fabs(v) < 1e-9 ? 0.0 : v);

	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
	fputs(buf, out);
}

static void axes(struct chart *ch, const char *title)
{
	FILE *out = ch->out;
	double step, v;

	fprintf(out, "<rect class=\"area\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
		     "fill=\"none\" stroke=\"#444\"/>\n",
		AREA_X0, AREA_Y0, AREA_X1 - AREA_X0, AREA_Y1 - AREA_Y0);
	/* time: seconds of the simulated clock */
	step = nice_step(ch->t1 - ch->t0, 8);
	for (v = ceil(ch->t0 / step - 1e-9) * step; v <= ch->t1 + step * 1e-9; v += step) {
		double x = x_of(ch, v);

		fprintf(out, "<line class=\"tick x\" data-value=\"");
		put_number(out, v);
		fprintf(out, "\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#ddd\"/>\n",
			x, AREA_Y0, x, AREA_Y1 + 5);
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">", x, AREA_Y1 + 20);
		put_number(out, v);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text class=\"axis-title\" x=\"%.2f\" y=\"%.2f\" text-anchor=\"middle\">"
		     "simulated time (s)</text>\n", (AREA_X0 + AREA_X1) / 2, AREA_Y1 + 45);
	/* memory, in the unit that keeps the labels short */
	step = nice_step(ch->ymax / ch->unit, 6);
	for (v = 0; v <= ch->ymax / ch->unit + step * 1e-9; v += step) {
		double y = y_of(ch, v * ch->unit);

		fprintf(out, "<line class=\"tick y\" data-value=\"");
		put_number(out, v * ch->unit);
		fprintf(out, "\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#ddd\"/>\n",
			AREA_X0 - 5, y, AREA_X1, y);
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"end\">", AREA_X0 - 8, y + 4);
		put_number(out, v);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text class=\"axis-title\" transform=\"translate(%.2f,%.2f) rotate(-90)\" "
		     "text-anchor=\"middle\">memory (%s)</text>\n",
		AREA_X0 - 62, (AREA_Y0 + AREA_Y1) / 2, ch->unit_name);
	fprintf(out, "<text class=\"title\" x=\"%.2f\" y=\"%.2f\" font-size=\"16\" font-weight=\"bold\">",
		AREA_X0, AREA_Y0 - 20);
	fprintf(out, "Memory usage over time (cgroup %s): ", ch->v1 ? "v1" : "v2");
	put_escaped(out, title);
	fputs("</text>\n", out);
}

static void usage_line(struct chart *ch, const struct series *s)
{
	FILE *out = ch->out;
	bool open = false;
	size_t r;

	for (r = 0; r < ch->csv.nr_rows; r++) {
		double v = cell(ch, r, s->usage);

		if (!isfinite(v)) {
			if (open)
				fputs("\"/>\n", out);
			open = false;
			continue;
		}
		if (!open) {
			fputs("<polyline class=\"usage\" data-cgroup=\"", out);
			put_escaped(out, s->path);
			fprintf(out, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
				     "stroke-linejoin=\"round\" points=\"", s->colour);
		}
		fprintf(out, "%s%.2f,%.2f", open ? " " : "", x_of(ch, ch->t[r]), y_of(ch, v));
		open = true;
	}
	if (open)
		fputs("\"/>\n", out);
}

/*
 * A limit as it was set over time: a horizontal line for each stretch of
 * rows at one value, none while there is no limit.
 */
static void limit_lines(struct chart *ch, const struct series *s, int col, const char *kind,
			const char *dash)
{
	FILE *out = ch->out;
	size_t r = 0, end;

	while (r < ch->csv.nr_rows) {
		double v = cell(ch, r, col);

		for (end = r + 1; end < ch->csv.nr_rows && cell(ch, end, col) == v; end++)
			;
		/* the stretch lasts until the next row changes it (or the end) */
		if (isfinite(v) && (v > 0 || strcmp(kind, "low"))) {
			ch->has_low |= !strcmp(kind, "low");
			double x1 = x_of(ch, ch->t[r]);
			double x2 = x_of(ch, ch->t[end < ch->csv.nr_rows ? end : end - 1]);

			fprintf(out, "<line class=\"limit %s\" data-cgroup=\"", kind);
			put_escaped(out, s->path);
			fprintf(out, "\" data-bytes=\"%.0f\" x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" "
				     "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"%s\"/>\n",
				v, x1, y_of(ch, v), x2 == x1 ? x1 + 1 : x2, y_of(ch, v), s->colour, dash);
		}
		r = end;
	}
}

static void mark_shape(FILE *out, const char *kind, const char *colour)
{
	if (!strcmp(kind, "oom_kill"))
		fprintf(out, "<path d=\"M-6,-6L6,6M-6,6L6,-6\" stroke=\"white\" stroke-width=\"5\"/>"
			     "<path d=\"M-6,-6L6,6M-6,6L6,-6\" stroke=\"%s\" stroke-width=\"2.5\"/>",
			OOM_COLOUR);
	else if (!strcmp(kind, "high"))
		fprintf(out, "<path d=\"M0,-4L4,3L-4,3Z\" fill=\"%s\" stroke=\"white\" stroke-width=\"0.5\"/>",
			colour);
	else
		fprintf(out, "<rect x=\"-3.5\" y=\"-3.5\" width=\"7\" height=\"7\" fill=\"white\" "
			     "stroke=\"%s\" stroke-width=\"1.5\"/>", colour);
}

/*
 * A mark at each row where the counter in @col grew: an event happened
 * between the row before and this one, at the higher usage of the two
 * (an OOM kill or a limit hit cut short the usage before it).
 */
static void marks(struct chart *ch, const struct series *s, int col, const char *kind, const char *what)
{
	FILE *out = ch->out;
	size_t r;

	if (col < 0)
		return;
	for (r = 1; r < ch->csv.nr_rows; r++) {
		double before = cell(ch, r - 1, col), now = cell(ch, r, col);
		double y = fmax(cell(ch, r - 1, s->usage), cell(ch, r, s->usage));

		if (!isfinite(before) || !isfinite(now) || now <= before || !isfinite(y))
			continue;
		fprintf(out, "<g class=\"mark %s\" data-cgroup=\"", kind);
		put_escaped(out, s->path);
		fputs("\" data-time=\"", out);
		put_number(out, ch->t[r]);
		fprintf(out, "\" transform=\"translate(%.2f,%.2f)\"><title>", x_of(ch, ch->t[r]), y_of(ch, y));
		put_escaped(out, s->path);
		fprintf(out, ": %s by %.0f before ", what, now - before);
		put_number(out, ch->t[r]);
		fputs(" s</title>", out);
		mark_shape(out, kind, s->colour);
		fputs("</g>\n", out);
	}
}

static void legend(struct chart *ch)
{
	FILE *out = ch->out;
	double y = AREA_Y0 + 4;
	size_t i;
	const struct {
		const char *kind, *v2, *v1, *dash;
	} lines[] = {
		{ "usage", "memory.current", "usage_in_bytes", "none" },
		{ "high", "memory.high", "soft_limit_in_bytes", "8 4" },
		{ "max", "memory.max", "limit_in_bytes", "3 2" },
		{ "low", "memory.low", NULL, "1 4" },
	};

	fprintf(out, "<g class=\"legend\">\n");
	for (i = 0; i < ch->nr_series && i < LEGEND_MAX; i++, y += 20) {
		fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
			     "stroke-width=\"3\"/>", LEGEND_X, y, LEGEND_X + 24, y, ch->series[i].colour);
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\">", LEGEND_X + 32, y + 4);
		put_escaped(out, ch->series[i].path);
		fputs("</text>\n", out);
	}
	if (ch->nr_series > LEGEND_MAX) {
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\">and %zu more</text>\n", LEGEND_X, y + 4,
			ch->nr_series - LEGEND_MAX);
		y += 20;
	}
	y += 14;
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		const char *name = ch->v1 ? lines[i].v1 : lines[i].v2;

		if (!name || (!strcmp(lines[i].kind, "low") && !ch->has_low))
			continue;
		fprintf(out, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"#444\" "
			     "stroke-width=\"%s\" stroke-dasharray=\"%s\"/>",
			LEGEND_X, y, LEGEND_X + 24, y, i ? "1.5" : "2", lines[i].dash);
		fprintf(out, "<text x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEGEND_X + 32, y + 4, name);
		y += 20;
	}
	fprintf(out, "<g transform=\"translate(%.2f,%.2f)\">", LEGEND_X + 12, y);
	mark_shape(out, "oom_kill", NULL);
	fprintf(out, "</g><text x=\"%.2f\" y=\"%.2f\">OOM kill</text>\n", LEGEND_X + 32, y + 4);
	y += 20;
	if (!ch->v1) {
		fprintf(out, "<g transform=\"translate(%.2f,%.2f)\">", LEGEND_X + 12, y);
		mark_shape(out, "high", "#444");
		fprintf(out, "</g><text x=\"%.2f\" y=\"%.2f\">memory.events high</text>\n",
			LEGEND_X + 32, y + 4);
		y += 20;
	}
	fprintf(out, "<g transform=\"translate(%.2f,%.2f)\">", LEGEND_X + 12, y);
	mark_shape(out, "max", "#444");
	fprintf(out, "</g><text x=\"%.2f\" y=\"%.2f\">%s</text>\n", LEGEND_X + 32, y + 4,
		ch->v1 ? "failcnt (limit hit)" : "memory.events max");
	fputs("</g>\n", out);
}

static int draw(struct chart *ch, const char *title)
{
	FILE *out = ch->out;
	size_t i;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		     "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		CHART_W, CHART_H, CHART_W, CHART_H);
	axes(ch, title);
	for (i = 0; i < ch->nr_series; i++) {
		const struct series *s = &ch->series[i];

		limit_lines(ch, s, s->low, "low", "1 4");
		limit_lines(ch, s, s->high, "high", "8 4");
		limit_lines(ch, s, s->max, "max", "3 2");
	}
	for (i = 0; i < ch->nr_series; i++)
		usage_line(ch, &ch->series[i]);
	for (i = 0; i < ch->nr_series; i++) {
		const struct series *s = &ch->series[i];

		marks(ch, s, s->ev_high, "high", "memory.events high grew");
		marks(ch, s, s->ev_max, "max", ch->v1 ? "failcnt grew" : "memory.events max grew");
		marks(ch, s, s->oom_kill, "oom_kill", "OOM kills");
	}
	legend(ch);
	fputs("</svg>\n", out);
	return fflush(out) || ferror(out) ? -EIO : 0;
}

int plot_csv(const char *csv_path, const char *svg_path)
{
	struct chart ch = { 0 };
	const char *title = strrchr(csv_path, '/') ? strrchr(csv_path, '/') + 1 : csv_path;
	size_t r, i;
	int ret;

	ret = csv_read(csv_path, &ch.csv);
	if (ret) {
		fprintf(stderr, "memcgctl: plot: %s: %s\n", csv_path,
			ret == -ENODATA ? "empty" : strerror(-ret));
		return 1;
	}
	ret = 1;
	if (strcmp(ch.csv.names[0], "time_s") || !ch.csv.nr_rows) {
		fprintf(stderr, "memcgctl: plot: %s: not a recording of memcgctl record (a header "
				"starting time_s, then rows)\n", csv_path);
		goto out;
	}
	ch.t = xrealloc(NULL, ch.csv.nr_rows * sizeof(*ch.t));
	for (r = 0; r < ch.csv.nr_rows; r++) {
		char *end;

		ch.t[r] = ch.csv.rows[r][0] ? strtod(ch.csv.rows[r][0], &end) : NAN;
		if (!ch.csv.rows[r][0] || end == ch.csv.rows[r][0] || *end || (r && ch.t[r] < ch.t[r - 1])) {
			fprintf(stderr, "memcgctl: plot: %s: line %zu: not a time after the last\n",
				csv_path, r + 2);
			goto out;
		}
	}
	find_series(&ch);
	if (!ch.nr_series) {
		fprintf(stderr, "memcgctl: plot: %s: no cgroup's usage in it (memory.current or "
				"memory.usage_in_bytes)\n", csv_path);
		goto out;
	}
	scales(&ch);
	ch.out = strcmp(svg_path, "-") ? fopen(svg_path, "we") : stdout;
	if (!ch.out) {
		fprintf(stderr, "memcgctl: plot: %s: %s\n", svg_path, strerror(errno));
		goto out;
	}
	if (draw(&ch, title))
		fprintf(stderr, "memcgctl: plot: %s: %s\n", svg_path, strerror(EIO));
	else
		ret = 0;
	if (ch.out != stdout && fclose(ch.out) && !ret) {
		fprintf(stderr, "memcgctl: plot: %s: %s\n", svg_path, strerror(errno));
		ret = 1;
	}
out:
	for (i = 0; i < ch.nr_series; i++)
		free(ch.series[i].path);
	free(ch.series);
	free(ch.t);
	csv_free(&ch.csv);
	return ret;
}
