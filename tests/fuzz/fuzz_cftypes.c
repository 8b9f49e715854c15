// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A libFuzzer harness for every control file of both modes, through the
 * cftypes tables and the engine, without FUSE: each input is a small
 * script run on a fresh simulated machine, and the machine must survive it
 * with its counters consistent (tests/fuzz/README for the format and how
 * to run it).
 *
 * Each line is OP CG NAME [VALUE]:
 *   w CG FILE VALUE   write VALUE and a newline, as echo does
 *   W CG FILE VALUE   write VALUE as it is
 *   r CG FILE         read the file
 *   m CG NAME         mkdir NAME below cgroup CG
 *   d CG              rmdir cgroup CG
 *   s CG SIZE         spawn a task holding SIZE of anon memory (memparse)
 *   t MS              advance the clock, running the tasks
 * CG is a number, taken modulo the cgroups there are (0 is the root, then
 * the others in pre-order); FILE is a control file's name, or any other
 * word, which then picks a file by its hash, so that a mutated name still
 * writes somewhere. A first line "v1" selects the v1 hierarchy.
 *
 * No process outside the simulation is ever touched: the writer's
 * credentials are those of uid 65534, so no live pid is taken, and
 * cgroup.kill signals only simulated tasks here.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc/alloc.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/memcg.h"
#include "engine/memparse.h"
#include "tests/fuzz/invariants.h"

#define MAX_LINES 256
#define MAX_CGROUPS 64

/* what was done, said at exit: the figure README quotes */
static unsigned long long nr_writes, nr_reads;
static struct timespec started;

__attribute__((constructor)) static void count_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &started);
}

__attribute__((destructor)) static void count_report(void)
{
	struct timespec now;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - started.tv_sec) + (double)(now.tv_nsec - started.tv_nsec) / 1e9;
	fprintf(stderr, "memcgfs-fuzz: %llu writes and %llu reads in %.0f s: %.0f writes/s\n", nr_writes,
		nr_reads, secs, secs > 0 ? (double)nr_writes / secs : 0.0);
}

/*
 * A pid a write to cgroup.procs, cgroup.threads or tasks would name, parsed
 * as the handlers parse it: a live process's is never written.
 */
static bool names_live_pid(const char *buf)
{
	char *copy = strdup(buf);
	int pid;
	bool live;

	if (!copy)
		return true;
	live = !kstrtoint(strstrip(copy), 0, &pid) && pid > 0 && pid < SIM_PID_BASE;
	free(copy);
	return live;
}

static int no_fd(struct cft_ctx *ctx, int wfd, void **cookie)
{
	return -EBADF;
}

static int no_control_file(struct cft_ctx *ctx, int wfd, struct cgroup **cg, const struct cftype **cft)
{
	return -EBADF;
}

static const struct cft_fs_ops no_fs = {
	.grab_eventfd = no_fd,
	.control_file = no_control_file,
};

static void (*real_kill)(void *data, struct memcg_task *task);

/* cgroup.kill: simulated tasks die; a live process is never signalled */
static void sim_only_kill(void *data, struct memcg_task *task)
{
	if (!task->real)
		real_kill(data, task);
}

static struct cgroup *nth_cgroup(struct engine *e, unsigned long n)
{
	struct cgroup *cg;
	unsigned long count = 0;

	for (cg = e->root; cg; cg = cgroup_next_descendant_pre(cg, e->root))
		count++;
	n %= count;
	for (cg = e->root; n--; cg = cgroup_next_descendant_pre(cg, e->root))
		;
	return cg;
}

static const struct cftype *file_named(struct engine *e, const char *name)
{
	unsigned int n = cft_count(e->cfg.mode), i;
	uint32_t hash = 2166136261u;

	for (i = 0; i < n; i++)
		if (!strcmp(cft_by_index(e->cfg.mode, i)->name, name))
			return cft_by_index(e->cfg.mode, i);
	for (; *name; name++)
		hash = (hash ^ (unsigned char)*name) * 16777619u;
	return cft_by_index(e->cfg.mode, hash % n);
}

static void op_file(struct alloc *a, const struct task_cred *writer, char op, struct cgroup *cg,
		    const char *name, const char *value, size_t len)
{
	struct engine *e = a->engine;
	struct cft_open_state state = { 0 };
	struct cft_ctx ctx = {
		.engine = e,
		.alloc = a,
		.cgroup = cg,
		.cft = file_named(e, name),
		.state = &state,
		.writer_pid = SIM_PID_BASE,
		.writer_uid = writer->euid,
		.writer_gid = writer->egid,
		.opener = writer,
		.fs = &no_fs,
	};
	struct seqbuf s = { 0 };
	char *buf;

	if (!cft_exists(e, cg, ctx.cft))
		return;
	if (op == 'r') {
		cft_read(&ctx, &s);
		free(s.buf);
		nr_reads++;
	} else {
		buf = malloc(len + 2);
		if (!buf)
			return;
		memcpy(buf, value, len);
		if (op == 'w')
			buf[len++] = '\n';
		buf[len] = '\0';
		if (!(ctx.cft->flags & CFT_ATTACH) || !names_live_pid(buf)) {
			cft_write(&ctx, buf, len);
			alloc_run_locked(a);
			nr_writes++;
		}
		free(buf);
	}
	cft_release(&ctx);
}

static void run_line(struct alloc *a, const struct task_cred *writer, char *line, size_t len)
{
	struct engine *e = a->engine;
	char *cgno, *name, *value, *end, *rest;
	unsigned long pages[NR_PAGE_TYPES] = { 0 };
	struct sim_task *t;
	struct cgroup *cg, *child;
	char op = line[0];
	uint64_t ms;

	if (len < 2 || line[1] != ' ')
		return;
	rest = line + 2;
	if (op == 't') {
		ms = strtoull(rest, NULL, 10) % 60000;
		alloc_advance_locked(a, e->now_ns + ms * 1000000ULL, 1000);
		return;
	}
	cgno = rest;
	cg = nth_cgroup(e, strtoul(cgno, &end, 10));
	if (op == 'd') {
		cgroup_rmdir(e, cg);
		return;
	}
	if (*end != ' ')
		return;
	name = end + 1;
	value = strchr(name, ' ');
	if (value)
		*value++ = '\0';
	else
		value = name + strlen(name);
	switch (op) {
	case 'm':
		if (e->root->nr_descendants < MAX_CGROUPS && *name && !strchr(name, '/'))
			cgroup_mkdir(e, cg, name, &child);
		break;
	case 's':
		pages[PAGE_ANON] = (unsigned long)(memparse(name, NULL) / PAGE_SIZE % (1UL << 16));
		if (a->nr_tasks < 32 && !alloc_spawn_locked(a, cg, pages, 0, &t))
			alloc_run_locked(a);
		break;
	case 'w':
	case 'W':
	case 'r':
		op_file(a, writer, op, cg, name, value, (size_t)(line + len - value));
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine_config cfg = {
		.mode = CGROUP_V2,
		.ram_pages = 256UL << 8,	/* 256M: limits and OOM are within reach */
		.swap_pages = 64UL << 8,
		.nr_nodes = 2,
	};
	struct task_cred writer;
	char *text = malloc(size + 1), *line, *nl;
	struct alloc *a;
	int lines = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	line = text;
	if (!strncmp(line, "v1\n", 3)) {
		cfg.mode = CGROUP_V1;
		line += 3;
	}
	task_cred_of_ids(SIM_PID_BASE, 65534, 65534, &writer);
	if (alloc_create(&cfg, &a)) {
		free(text);
		return 0;
	}
	real_kill = a->ops.kill;
	a->ops.kill = sim_only_kill;
	for (; line < text + size && lines < MAX_LINES; line = nl + 1, lines++) {
		nl = memchr(line, '\n', (size_t)(text + size - line));
		if (!nl)
			nl = text + size;
		*nl = '\0';
		run_line(a, &writer, line, (size_t)(nl - line));
		invariants_check(a);
	}
	alloc_destroy(a);
	free(text);
	return 0;
}
