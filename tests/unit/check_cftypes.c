// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Unit tests for cftypes/: the registry's invariants and file sets (as a
 * 6.18 kernel has them), and the handlers called as the fs layer calls them, without
 * mounting: cft_write() gets the bytes of one write(2) plus a NUL, cft_read()
 * renders the whole file. Each assertion is the text or errno a user sees.
 *
 * Every test gets a fresh machine (v2, 1 GiB swap) with one child:
 *
 *	root (+memory)
 *	 `- a
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <check.h>

#include "alloc/alloc.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"
#include "engine/charge.h"
#include "engine/psi_trigger.h"

#define MB(x) ((unsigned long)(x) * 256UL)

/*
 * The first task started in a memcg charges its 4-page kernel stack as a
 * 64-page batch (60 go to the stock): memory.current and the peaks show
 * those 64 pages on top of what the tasks allocated.
 */
#define TASK_OVERHEAD MEMCG_CHARGE_BATCH

static struct alloc *a;
static struct engine *e;
static struct cgroup *child;

static void setup(void)
{
	struct engine_config cfg = {
		.mode = CGROUP_V2,
		.ram_pages = MB(8192),
		.swap_pages = MB(1024),
		.nr_nodes = 1,
	};

	ck_assert_int_eq(alloc_create(&cfg, &a), 0);
	e = a->engine;
	ck_assert_int_eq(cgroup_mkdir(e, e->root, "a", &child), 0);
}

static void teardown(void)
{
	alloc_destroy(a);
	a = NULL;
	e = NULL;
	child = NULL;
}

/* ---- helpers ------------------------------------------------------------ */

static struct cft_ctx ctx_of(struct cgroup *cg, const char *name, struct cft_open_state *state)
{
	struct cft_ctx ctx = {
		.engine = e,
		.alloc = a,
		.cgroup = cg,
		.cft = cft_lookup(e, cg, name),
		.state = state,
		.writer_pid = getpid(),
		.writer_uid = 0,
	};

	ck_assert_msg(ctx.cft != NULL, "%s does not exist on %s", name,
		      cgroup_is_root(cg) ? "the root" : cg->name);
	return ctx;
}

/* One write(2) of @len bytes of @bytes on an fd with @state. */
static ssize_t write_fd(struct cgroup *cg, const char *name, struct cft_open_state *state,
			const char *bytes, size_t len)
{
	struct cft_ctx ctx = ctx_of(cg, name, state);
	char *buf = malloc(len + 1);
	ssize_t ret;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, bytes, len);
	buf[len] = '\0';
	ret = cft_write(&ctx, buf, len);
	free(buf);
	return ret;
}

/* The fd with @state is closed. */
static void release_fd(struct cgroup *cg, const char *name, struct cft_open_state *state)
{
	struct cft_ctx ctx = ctx_of(cg, name, state);

	cft_release(&ctx);
}

/* A write of a C string: returns 0 for a full write, else the -errno. */
static int wr(struct cgroup *cg, const char *name, const char *text)
{
	ssize_t ret = write_fd(cg, name, NULL, text, strlen(text));

	if (ret >= 0) {
		ck_assert_int_eq(ret, (ssize_t)strlen(text));
		return 0;
	}
	return (int)ret;
}

static char text[16384];

/* Read on an fd with @state; the text lands in text[], the return is 0 or -errno. */
static int read_fd(struct cgroup *cg, const char *name, struct cft_open_state *state)
{
	struct cft_ctx ctx = ctx_of(cg, name, state);
	struct seqbuf s = { 0 };
	int ret = cft_read(&ctx, &s);

	text[0] = '\0';
	if (!ret) {
		ck_assert_uint_lt(s.len, sizeof(text));
		memcpy(text, s.buf ? s.buf : "", s.len);
		text[s.len] = '\0';
	}
	free(s.buf);
	return ret;
}

static const char *rd(struct cgroup *cg, const char *name)
{
	ck_assert_int_eq(read_fd(cg, name, NULL), 0);
	return text;
}

static void run(void)
{
	int i;

	for (i = 0; i < 100000; i++) {
		uint64_t next;

		alloc_run_locked(a);
		next = alloc_next_wakeup_locked(a);
		if (next == ALLOC_WAKE_NEVER)
			return;
		e->now_ns = next;
	}
	ck_abort_msg("tasks still throttled");
}

static int spawn(struct cgroup *cg, enum memcg_page_type type, unsigned long nr_pages)
{
	unsigned long pages[NR_PAGE_TYPES] = { 0 };
	struct sim_task *t;

	pages[type] = nr_pages;
	ck_assert_int_eq(alloc_spawn_locked(a, cg, pages, 0, &t), 0);
	return t->mt.pid;
}

static void free_pages(int pid, enum memcg_page_type type, unsigned long nr_pages)
{
	unsigned long pages[NR_PAGE_TYPES] = { 0 };

	pages[type] = nr_pages;
	ck_assert_int_eq(alloc_free_locked(a, pid, pages), 0);
}

static void more_pages(int pid, enum memcg_page_type type, unsigned long nr_pages)
{
	unsigned long pages[NR_PAGE_TYPES] = { 0 };

	pages[type] = nr_pages;
	ck_assert_int_eq(alloc_more_locked(a, pid, pages), 0);
	run();
}

static char expect[256];

static const char *bytes_nl(unsigned long pages)
{
	snprintf(expect, sizeof(expect), "%llu\n", (unsigned long long)pages * 4096ULL);
	return expect;
}

/* ============================================================== registry */

/*
 * Every v2 file of memcgfs, its mode, and whether the root has it, as a
 * 6.18 kernel lists them (tests/golden/v2-probe.linux-6.18.15+deb13-amd64.txt).
 */
static const struct {
	const char *name;
	unsigned int mode;
	bool on_root;
} v2_files[] = {
	{ "cgroup.type", 0644, false },
	{ "cgroup.procs", 0644, true },
	{ "cgroup.threads", 0644, true },
	{ "cgroup.controllers", 0444, true },
	{ "cgroup.subtree_control", 0644, true },
	{ "cgroup.events", 0444, false },
	{ "cgroup.max.descendants", 0644, true },
	{ "cgroup.max.depth", 0644, true },
	{ "cgroup.stat", 0444, true },
	{ "cgroup.stat.local", 0444, false },
	{ "cgroup.freeze", 0644, false },
	{ "cgroup.kill", 0200, false },
	{ "cpu.stat", 0444, true },
	{ "cpu.stat.local", 0444, true },
	{ "cgroup.pressure", 0644, true },
	{ "cpu.pressure", 0644, true },
	{ "io.pressure", 0644, true },
	{ "memory.pressure", 0644, true },
	{ "memory.current", 0444, false },
	{ "memory.min", 0644, false },
	{ "memory.low", 0644, false },
	{ "memory.high", 0644, false },
	{ "memory.max", 0644, false },
	{ "memory.peak", 0644, false },
	{ "memory.reclaim", 0200, true },
	{ "memory.events", 0444, false },
	{ "memory.events.local", 0444, false },
	{ "memory.stat", 0444, true },
	{ "memory.numa_stat", 0444, true },
	{ "memory.oom.group", 0644, false },
	{ "memory.swap.current", 0444, false },
	{ "memory.swap.high", 0644, false },
	{ "memory.swap.max", 0644, false },
	{ "memory.swap.peak", 0644, false },
	{ "memory.swap.events", 0444, false },
	{ "memory.zswap.current", 0444, false },
	{ "memory.zswap.max", 0644, false },
	{ "memory.zswap.writeback", 0644, true },
};

#define NR_V2_FILES (sizeof(v2_files) / sizeof(v2_files[0]))

/* Files that exist whatever the controllers (core + PSI). */
static bool is_core(const char *name)
{
	return !strncmp(name, "cgroup.", 7) || !strncmp(name, "cpu.", 4) ||
	       !strcmp(name, "io.pressure") || !strcmp(name, "memory.pressure");
}

static int expected_index(const char *name)
{
	size_t i;

	for (i = 0; i < NR_V2_FILES; i++)
		if (!strcmp(v2_files[i].name, name))
			return (int)i;
	return -1;
}

START_TEST(test_registry_invariants)
{
	unsigned int n = cft_count(CGROUP_V2), i, j;

	ck_assert_uint_eq(n, NR_V2_FILES);
	ck_assert_ptr_null(cft_by_index(CGROUP_V2, n));
	for (i = 0; i < n; i++) {
		const struct cftype *cft = cft_by_index(CGROUP_V2, i);

		ck_assert_ptr_nonnull(cft);
		ck_assert_ptr_nonnull(cft->name);
		ck_assert_msg(cft->read_u64 || cft->seq_show || cft->write_u64 || cft->write,
			      "%s has no handler", cft->name);
		ck_assert_msg(!(cft->read_u64 && cft->seq_show), "%s: read_u64 and seq_show",
			      cft->name);
		ck_assert_msg(!(cft->write_u64 && cft->write), "%s: write_u64 and write", cft->name);
		ck_assert_msg(!((cft->flags & CFT_NOT_ON_ROOT) && (cft->flags & CFT_ONLY_ON_ROOT)),
			      "%s: NOT_ON_ROOT and ONLY_ON_ROOT", cft->name);
		ck_assert_msg(strlen(cft->name) < 64 && !strchr(cft->name, '/'), "%s: bad name",
			      cft->name);
		for (j = 0; j < i; j++)
			ck_assert_msg(strcmp(cft->name, cft_by_index(CGROUP_V2, j)->name),
				      "%s listed twice", cft->name);
		/* a file with per-fd state releases it */
		if (!strcmp(cft->name, "memory.peak") || !strcmp(cft->name, "memory.swap.peak"))
			ck_assert_ptr_nonnull(cft->release);
	}
	/* a scenario's cgroup keys that are not control files, in either mode */
	for (i = 0; i < cft_count(CGROUP_V2) + cft_count(CGROUP_V1); i++) {
		const struct cftype *cft = i < n ? cft_by_index(CGROUP_V2, i) : cft_by_index(CGROUP_V1, i - n);

		ck_assert_msg(strcmp(cft->name, "owner") && strcmp(cft->name, "attrs"),
			      "a control file named %s hides a scenario key", cft->name);
	}
}
END_TEST

START_TEST(test_registry_modes)
{
	unsigned int i, n = cft_count(CGROUP_V2);

	for (i = 0; i < n; i++) {
		const struct cftype *cft = cft_by_index(CGROUP_V2, i);
		int k = expected_index(cft->name);

		ck_assert_msg(k >= 0, "%s is not in the 6.18 file list", cft->name);
		ck_assert_msg(cft_mode(cft) == v2_files[k].mode, "%s: mode %o, want %o", cft->name,
			      cft_mode(cft), v2_files[k].mode);
	}
}
END_TEST

/* Assert the exact set of files on @cg: those of v2_files[] that @want says. */
static void assert_file_set(struct cgroup *cg, bool (*want)(size_t k))
{
	unsigned int i, n = cft_count(CGROUP_V2), nr_exist = 0, nr_want = 0;
	size_t k;

	for (i = 0; i < n; i++) {
		const struct cftype *cft = cft_by_index(CGROUP_V2, i);
		int idx = expected_index(cft->name);

		ck_assert_int_ge(idx, 0);
		if (cft_exists(e, cg, cft)) {
			nr_exist++;
			ck_assert_msg(want((size_t)idx), "%s should not exist here", cft->name);
			ck_assert_ptr_eq(cft_lookup(e, cg, cft->name), cft);
		} else {
			ck_assert_msg(!want((size_t)idx), "%s is missing", cft->name);
			ck_assert_ptr_null(cft_lookup(e, cg, cft->name));
		}
	}
	for (k = 0; k < NR_V2_FILES; k++)
		nr_want += want(k);
	ck_assert_uint_eq(nr_exist, nr_want);
}

static bool want_root(size_t k)
{
	return v2_files[k].on_root;
}

static bool want_child(size_t k)
{
	return true;
}

static bool want_plain_child(size_t k)
{
	return is_core(v2_files[k].name);
}

static bool want_plain_child_nopsi(size_t k)
{
	return is_core(v2_files[k].name) && !strstr(v2_files[k].name, ".pressure") ?
		       true : !strcmp(v2_files[k].name, "cgroup.pressure");
}

START_TEST(test_files_on_root)
{
	assert_file_set(e->root, want_root);
	ck_assert_ptr_null(cft_lookup(e, e->root, "memory.max"));
	ck_assert_ptr_null(cft_lookup(e, e->root, "nonexistent"));
	ck_assert(cft_name_taken(e, e->root, "memory.stat"));
	ck_assert(!cft_name_taken(e, e->root, "memory.current"));
}
END_TEST

START_TEST(test_files_on_child)
{
	assert_file_set(child, want_child);
}
END_TEST

START_TEST(test_files_without_memory)
{
	/* a plain cgroup under a, which does not enable memory */
	struct cgroup *b;

	ck_assert_int_eq(cgroup_mkdir(e, child, "b", &b), 0);
	assert_file_set(b, want_plain_child);

	/* cgroup.pressure 0 hides the *.pressure files, but not itself */
	ck_assert_int_eq(wr(b, "cgroup.pressure", "0"), 0);
	ck_assert_str_eq(rd(b, "cgroup.pressure"), "0\n");
	assert_file_set(b, want_plain_child_nopsi);
	ck_assert_int_eq(wr(b, "cgroup.pressure", "2"), -ERANGE);
	ck_assert_int_eq(wr(b, "cgroup.pressure", "1"), 0);
	assert_file_set(b, want_plain_child);

	/* +memory on a gives b every memory file */
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "+memory"), 0);
	assert_file_set(b, want_child);
}
END_TEST

/* ============================================================ memory.max */

START_TEST(test_memory_max_write_read)
{
	ck_assert_str_eq(rd(child, "memory.max"), "max\n");
	ck_assert_int_eq(wr(child, "memory.max", "30M\n"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "31457280\n");
	ck_assert_uint_eq(child->memcg->memory.max, MB(30));

	ck_assert_int_eq(wr(child, "memory.max", "max"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "max\n");
	ck_assert_int_eq(wr(child, "memory.max", " 30M \n"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "31457280\n");

	/* rejected: the value stays */
	ck_assert_int_eq(wr(child, "memory.max", "-1"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.max", "1.5M"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.max", "1Mb"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.max", "10 M"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.max", "+4096"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.max", "MAX"), -EINVAL);
	ck_assert_str_eq(rd(child, "memory.max"), "31457280\n");

	/* rounded down to pages */
	ck_assert_int_eq(wr(child, "memory.max", "4095"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "0\n");
	ck_assert_int_eq(wr(child, "memory.max", "8191"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "4096\n");
	ck_assert_int_eq(wr(child, "memory.max", "0x1g"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "1073741824\n");
	/* 2^63 clamps to unlimited */
	ck_assert_int_eq(wr(child, "memory.max", "8E"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "max\n");
	/* whitespace only strips to "" and sets 0 */
	ck_assert_int_eq(wr(child, "memory.max", "\n"), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "0\n");
}
END_TEST

START_TEST(test_write_sizes)
{
	char big[4097];

	ck_assert_int_eq(wr(child, "memory.max", "1M"), 0);
	/* more than a page: E2BIG, whatever the content */
	memset(big, ' ', sizeof(big));
	memcpy(big, "2M", 2);
	ck_assert_int_eq(write_fd(child, "memory.max", NULL, big, 4097), -E2BIG);
	ck_assert_str_eq(rd(child, "memory.max"), "1048576\n");
	/* exactly a page is parsed: "2M" and trailing spaces */
	ck_assert_int_eq(write_fd(child, "memory.max", NULL, big, 4096), 4096);
	ck_assert_str_eq(rd(child, "memory.max"), "2097152\n");
	/* a zero-length write does nothing and returns 0 */
	ck_assert_int_eq(write_fd(child, "memory.max", NULL, "", 0), 0);
	ck_assert_str_eq(rd(child, "memory.max"), "2097152\n");
}
END_TEST

START_TEST(test_tunable_defaults)
{
	ck_assert_str_eq(rd(child, "memory.min"), "0\n");
	ck_assert_str_eq(rd(child, "memory.low"), "0\n");
	ck_assert_str_eq(rd(child, "memory.high"), "max\n");
	ck_assert_str_eq(rd(child, "memory.swap.high"), "max\n");
	ck_assert_str_eq(rd(child, "memory.swap.max"), "max\n");
	ck_assert_str_eq(rd(child, "memory.zswap.max"), "max\n");
	ck_assert_str_eq(rd(child, "memory.zswap.writeback"), "1\n");
	ck_assert_str_eq(rd(child, "memory.current"), "0\n");
	ck_assert_str_eq(rd(child, "memory.peak"), "0\n");
	ck_assert_str_eq(rd(child, "memory.swap.current"), "0\n");
	ck_assert_str_eq(rd(child, "memory.oom.group"), "0\n");

	ck_assert_int_eq(wr(child, "memory.min", "50M"), 0);
	ck_assert_str_eq(rd(child, "memory.min"), "52428800\n");
	ck_assert_int_eq(wr(child, "memory.low", "max"), 0);
	ck_assert_str_eq(rd(child, "memory.low"), "max\n");
	/* memory.swap.max accepts 0 even without swap in use */
	ck_assert_int_eq(wr(child, "memory.swap.max", "0"), 0);
	ck_assert_str_eq(rd(child, "memory.swap.max"), "0\n");
	ck_assert_int_eq(wr(child, "memory.swap.high", "10M"), 0);
	ck_assert_str_eq(rd(child, "memory.swap.high"), "10485760\n");
	ck_assert_int_eq(wr(child, "memory.zswap.writeback", "2"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.zswap.writeback", "0"), 0);
	ck_assert_str_eq(rd(child, "memory.zswap.writeback"), "0\n");
}
END_TEST

START_TEST(test_memory_max_below_usage_kills)
{
	/* a 20M anon task; memory.max 10M with no swap: the write succeeds and kills */
	int pid;

	ck_assert_int_eq(wr(child, "memory.swap.max", "0"), 0);
	pid = spawn(child, PAGE_ANON, MB(20));
	run();
	ck_assert_str_eq(rd(child, "memory.current"), bytes_nl(MB(20) + TASK_OVERHEAD));
	ck_assert_int_eq(wr(child, "memory.max", "10M"), 0);
	alloc_reap_locked(a);
	ck_assert_ptr_null(alloc_find_locked(a, pid));
	ck_assert_str_eq(rd(child, "memory.max"), "10485760\n");
	ck_assert_str_eq(rd(child, "memory.events"),
			 "low 0\nhigh 0\nmax 0\noom 1\noom_kill 1\noom_group_kill 0\n");
	ck_assert_str_eq(rd(child, "cgroup.procs"), "");
}
END_TEST

/* ======================================================= other memory.* */

START_TEST(test_oom_group)
{
	ck_assert_int_eq(wr(child, "memory.oom.group", "2"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.oom.group", "-1"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.oom.group", "abc"), -EINVAL);
	ck_assert_str_eq(rd(child, "memory.oom.group"), "0\n");
	ck_assert_int_eq(wr(child, "memory.oom.group", "1"), 0);
	ck_assert_str_eq(rd(child, "memory.oom.group"), "1\n");
	ck_assert(child->memcg->oom_group);
	ck_assert_int_eq(wr(child, "memory.oom.group", " 0\n"), 0);
	ck_assert_str_eq(rd(child, "memory.oom.group"), "0\n");
}
END_TEST

START_TEST(test_reclaim_parsing)
{
	/* an empty cgroup: anything to reclaim fails after the retries */
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M swappiness=201"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M swappiness=-1"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M foo"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.reclaim", "x"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M swappiness=60\tswappiness=60"), -EINVAL);
	/* nothing to do: success at once */
	ck_assert_int_eq(wr(child, "memory.reclaim", "k"), 0);
	ck_assert_int_eq(wr(child, "memory.reclaim", "0"), 0);
	ck_assert_int_eq(wr(child, "memory.reclaim", "4095"), 0);
	ck_assert_int_eq(wr(child, "memory.reclaim", "0 swappiness=max"), 0);
	/* valid, but nothing can be reclaimed */
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M"), -EAGAIN);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M\tswappiness=60"), -EAGAIN);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M swappiness=max"), -EAGAIN);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1M  swappiness=0 "), -EAGAIN);
	ck_assert_int_eq(wr(child, "memory.reclaim", "1Gswappiness=60"), -EAGAIN);
	/* also on the root */
	ck_assert_int_eq(wr(e->root, "memory.reclaim", "1M"), -EAGAIN);
	ck_assert_int_eq(wr(e->root, "memory.reclaim", "1M bar"), -EINVAL);
}
END_TEST

START_TEST(test_reclaim_page_cache)
{
	int pid = spawn(child, PAGE_FILE, MB(20));

	run();
	ck_assert_str_eq(rd(child, "memory.current"), bytes_nl(MB(20) + TASK_OVERHEAD));
	ck_assert_int_eq(wr(child, "memory.reclaim", "5M"), 0);
	ck_assert_uint_le(child->memcg->memory.usage, MB(15) + TASK_OVERHEAD);
	ck_assert_uint_ge(memcg_stat(child->memcg, MEMCG_pgsteal_proactive, false), (long)MB(5));
	/* anon with swappiness=0 only... no anon here: file is still there to take */
	ck_assert_int_eq(wr(child, "memory.reclaim", "5M swappiness=max"), -EAGAIN);
	ck_assert_ptr_nonnull(alloc_find_locked(a, pid));
}
END_TEST

START_TEST(test_wrong_direction)
{
	ck_assert_int_eq(wr(child, "memory.current", "0"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.stat", "0"), -EINVAL);
	ck_assert_int_eq(wr(child, "memory.events", "0"), -EINVAL);
	ck_assert_int_eq(wr(child, "cgroup.controllers", "memory"), -EINVAL);
	ck_assert_int_eq(read_fd(child, "memory.reclaim", NULL), -EINVAL);
	ck_assert_int_eq(read_fd(child, "cgroup.kill", NULL), -EINVAL);
}
END_TEST

START_TEST(test_events_text)
{
	static const char zero[] =
		"low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n";
	char want[256];

	ck_assert_str_eq(rd(child, "memory.events"), zero);
	ck_assert_str_eq(rd(child, "memory.events.local"), zero);
	ck_assert_str_eq(rd(child, "memory.swap.events"), "high 0\nmax 0\nfail 0\n");

	/* 50M anon under max 30M, swap.max 0: killed */
	ck_assert_int_eq(wr(child, "memory.max", "30M"), 0);
	ck_assert_int_eq(wr(child, "memory.swap.max", "0"), 0);
	spawn(child, PAGE_ANON, MB(50));
	run();
	ck_assert_uint_gt(child->memcg->events[MEMCG_MAX], 0);
	snprintf(want, sizeof(want),
		 "low 0\nhigh 0\nmax %lu\noom 1\noom_kill 1\noom_group_kill 0\n",
		 child->memcg->events[MEMCG_MAX]);
	ck_assert_str_eq(rd(child, "memory.events"), want);
	ck_assert_str_eq(rd(child, "memory.events.local"), want);
	ck_assert_str_eq(rd(child, "cgroup.procs"), "");
	ck_assert_str_eq(rd(child, "cgroup.events"), "populated 0\nfrozen 0\n");
}
END_TEST

START_TEST(test_stat_text)
{
	spawn(child, PAGE_ANON, MB(2));
	spawn(child, PAGE_FILE, MB(1));
	run();
	rd(child, "memory.stat");
	/* anon first, file second (the selftests use strstr("anon ")) */
	/* two tasks: two 16 KiB kernel stacks */
	const char *head = "anon 2097152\nfile 1048576\nkernel 32768\nkernel_stack 32768\n";

	ck_assert_msg(!strncmp(text, head, strlen(head)), "%.80s", text);
	ck_assert_ptr_nonnull(strstr(text, "\ninactive_anon 2097152\n"));
	ck_assert_ptr_nonnull(strstr(text, "\ninactive_file 1048576\n"));
	ck_assert_ptr_nonnull(strstr(text, "\npgfault 512\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nslab 0\n"));
	ck_assert_ptr_null(strstr(text, "hugetlb"));
	ck_assert_int_eq(text[strlen(text) - 1], '\n');

	/* hierarchical on the root */
	rd(e->root, "memory.stat");
	ck_assert_msg(!strncmp(text, "anon 2097152\nfile 1048576\n", 26), "%.80s", text);

	rd(child, "memory.numa_stat");
	ck_assert_msg(!strncmp(text, "anon N0=2097152\nfile N0=1048576\n", 32), "%.80s", text);
}
END_TEST

/* ========================================================== memory.peak */

START_TEST(test_peak_per_fd)
{
	struct cft_open_state fd1 = { 0 }, fd2 = { 0 }, fd3 = { 0 };
	struct cft_ctx c1 = ctx_of(child, "memory.peak", &fd1);
	struct cft_ctx c2 = ctx_of(child, "memory.peak", &fd2);
	int pid = spawn(child, PAGE_ANON, MB(10));

	run();
	/* never written: the global watermark */
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd1), 0);
	ck_assert_str_eq(text, bytes_nl(MB(10) + TASK_OVERHEAD));

	free_pages(pid, PAGE_ANON, MB(8));		/* usage 2M */
	/* "reset\n" with its NUL, as the selftest writes it: 7 bytes */
	ck_assert_int_eq(write_fd(child, "memory.peak", &fd1, "reset\n", 7), 7);
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd1), 0);
	ck_assert_str_eq(text, bytes_nl(MB(2) + TASK_OVERHEAD));
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd2), 0);
	ck_assert_str_eq(text, bytes_nl(MB(10) + TASK_OVERHEAD));
	ck_assert_str_eq(rd(child, "memory.peak"), bytes_nl(MB(10) + TASK_OVERHEAD));

	more_pages(pid, PAGE_ANON, MB(3));		/* usage 5M */
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd1), 0);
	ck_assert_str_eq(text, bytes_nl(MB(5) + TASK_OVERHEAD));

	free_pages(pid, PAGE_ANON, MB(4));		/* usage 1M */
	/* fd2 resets: local watermark := 1M; fd1 keeps max(its value 2M, 1M) */
	ck_assert_int_eq(write_fd(child, "memory.peak", &fd2, "foobarbaz", 10), 10);
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd2), 0);
	ck_assert_str_eq(text, bytes_nl(MB(1) + TASK_OVERHEAD));
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd1), 0);
	ck_assert_str_eq(text, bytes_nl(MB(2) + TASK_OVERHEAD));

	/* fd1 resets again at 1M, then 3M more: both fds see 4M */
	ck_assert_int_eq(write_fd(child, "memory.peak", &fd1, "x", 1), 1);
	more_pages(pid, PAGE_ANON, MB(3));
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd1), 0);
	ck_assert_str_eq(text, bytes_nl(MB(4) + TASK_OVERHEAD));
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd2), 0);
	ck_assert_str_eq(text, bytes_nl(MB(4) + TASK_OVERHEAD));
	/* the global watermark never resets */
	ck_assert_int_eq(read_fd(child, "memory.peak", &fd3), 0);
	ck_assert_str_eq(text, bytes_nl(MB(10) + TASK_OVERHEAD));

	/* closing fd2 unregisters it: a later reset no longer touches it */
	cft_release(&c2);
	ck_assert_ptr_null(fd2.memcg);
	cft_release(&c1);
	ck_assert_ptr_null(fd1.memcg);
	ck_assert(list_empty(&child->memcg->peak_fds));
}
END_TEST

START_TEST(test_swap_peak_per_fd)
{
	struct cft_open_state fd1 = { 0 };
	struct cft_ctx c1 = ctx_of(child, "memory.swap.peak", &fd1);

	ck_assert_str_eq(rd(child, "memory.swap.peak"), "0\n");
	ck_assert_int_eq(write_fd(child, "memory.swap.peak", &fd1, "foobarbaz", 10), 10);
	ck_assert_int_eq(read_fd(child, "memory.swap.peak", &fd1), 0);
	ck_assert_str_eq(text, "0\n");
	/* a memory.peak write does not register on the swap list */
	ck_assert(list_empty(&child->memcg->peak_fds));
	ck_assert(!list_empty(&child->memcg->swap_peak_fds));
	cft_release(&c1);
	ck_assert(list_empty(&child->memcg->swap_peak_fds));
}
END_TEST

/* ========================================================== cgroup.* */

START_TEST(test_max_depth_descendants)
{
	ck_assert_str_eq(rd(child, "cgroup.max.depth"), "max\n");
	ck_assert_int_eq(wr(child, "cgroup.max.depth", "-1"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.max.depth", "abc"), -EINVAL);
	ck_assert_int_eq(wr(child, "cgroup.max.depth", "0"), 0);
	ck_assert_str_eq(rd(child, "cgroup.max.depth"), "0\n");
	ck_assert_int_eq(wr(child, "cgroup.max.depth", "max"), 0);
	ck_assert_str_eq(rd(child, "cgroup.max.depth"), "max\n");
	ck_assert_int_eq(child->max_depth, INT_MAX);

	ck_assert_int_eq(wr(child, "cgroup.max.descendants", "-5"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.max.descendants", "99999999999"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.max.descendants", " 3\n"), 0);
	ck_assert_str_eq(rd(child, "cgroup.max.descendants"), "3\n");
	ck_assert_str_eq(rd(e->root, "cgroup.max.descendants"), "max\n");
}
END_TEST

START_TEST(test_freeze)
{
	struct cgroup *b;

	ck_assert_int_eq(cgroup_mkdir(e, child, "b", &b), 0);
	ck_assert_str_eq(rd(child, "cgroup.freeze"), "0\n");
	ck_assert_int_eq(wr(child, "cgroup.freeze", "2"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.freeze", "-1"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.freeze", "x"), -EINVAL);
	ck_assert_int_eq(wr(child, "cgroup.freeze", "1"), 0);
	ck_assert_str_eq(rd(child, "cgroup.freeze"), "1\n");
	ck_assert_str_eq(rd(child, "cgroup.events"), "populated 0\nfrozen 1\n");
	/* a descendant of a frozen cgroup is frozen, its own knob stays 0 */
	ck_assert_str_eq(rd(b, "cgroup.events"), "populated 0\nfrozen 1\n");
	ck_assert_str_eq(rd(b, "cgroup.freeze"), "0\n");
}
END_TEST

START_TEST(test_kill)
{
	int p1 = spawn(child, PAGE_ANON, 64);
	int p2 = spawn(child, PAGE_ANON, 64);
	char want[64];

	run();
	snprintf(want, sizeof(want), "%d\n%d\n", p1, p2);
	ck_assert_str_eq(rd(child, "cgroup.procs"), want);
	ck_assert_str_eq(rd(child, "cgroup.events"), "populated 1\nfrozen 0\n");
	ck_assert_int_eq(wr(child, "cgroup.kill", "0"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.kill", "2"), -ERANGE);
	ck_assert_int_eq(wr(child, "cgroup.kill", "kill"), -EINVAL);
	ck_assert_str_eq(rd(child, "cgroup.procs"), want);
	ck_assert_int_eq(wr(child, "cgroup.kill", "1"), 0);
	ck_assert_str_eq(rd(child, "cgroup.procs"), "");
	alloc_reap_locked(a);
	ck_assert_str_eq(rd(child, "cgroup.events"), "populated 0\nfrozen 0\n");
	/* the freed kernel stacks went to the stock: the residual a real cgroup shows too */
	ck_assert_str_eq(rd(child, "memory.current"), bytes_nl(TASK_OVERHEAD));
}
END_TEST

START_TEST(test_subtree_control)
{
	struct cgroup *b;

	ck_assert_int_eq(cgroup_mkdir(e, child, "b", &b), 0);
	ck_assert_str_eq(rd(e->root, "cgroup.controllers"), "memory\n");
	ck_assert_str_eq(rd(e->root, "cgroup.subtree_control"), "memory\n");
	ck_assert_str_eq(rd(child, "cgroup.controllers"), "memory\n");
	ck_assert_str_eq(rd(child, "cgroup.subtree_control"), "");
	ck_assert_str_eq(rd(b, "cgroup.controllers"), "");

	/* cpu and io exist in the kernel but not in this hierarchy: ENOENT (6.18.15) */
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "+cpu"), -ENOENT);
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "-cpu"), 0);
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "+freezer"), -EINVAL);
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "memory"), -EINVAL);
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "+memory +io"), -ENOENT);
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "+Memory"), -EINVAL);
	ck_assert_ptr_null(b->memcg);
	/* b has no memory to hand down */
	ck_assert_int_eq(wr(b, "cgroup.subtree_control", "+memory"), -ENOENT);
	/* the last word wins; empty tokens are skipped */
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "+memory -memory"), 0);
	ck_assert_str_eq(rd(child, "cgroup.subtree_control"), "");
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", "-memory  +memory\n"), 0);
	ck_assert_str_eq(rd(child, "cgroup.subtree_control"), "memory\n");
	ck_assert_str_eq(rd(b, "cgroup.controllers"), "memory\n");
	ck_assert_ptr_nonnull(b->memcg);
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", ""), 0);	/* 0-byte write */
	ck_assert_int_eq(wr(child, "cgroup.subtree_control", " "), 0);	/* no token */
	ck_assert_str_eq(rd(child, "cgroup.subtree_control"), "memory\n");

	/* the no-internal-process rule seen from cgroup.procs */
	{
		int pid = spawn(b, PAGE_ANON, 1);
		char buf[32];

		snprintf(buf, sizeof(buf), "%d", pid);
		ck_assert_int_eq(wr(child, "cgroup.procs", buf), -EBUSY);
		/* and a child with tasks cannot enable memory */
		ck_assert_int_eq(wr(b, "cgroup.subtree_control", "+memory"), -EBUSY);
	}
}
END_TEST

START_TEST(test_procs_write)
{
	struct cgroup *b;
	int pid;
	char buf[32], want[32];

	ck_assert_int_eq(cgroup_mkdir(e, e->root, "b", &b), 0);
	pid = spawn(child, PAGE_ANON, 64);
	run();
	ck_assert_int_eq(wr(b, "cgroup.procs", "abc"), -EINVAL);
	ck_assert_int_eq(wr(b, "cgroup.procs", "-1"), -EINVAL);
	ck_assert_int_eq(wr(b, "cgroup.procs", "99999999999"), -EINVAL);
	ck_assert_int_eq(wr(b, "cgroup.procs", "999999999"), -ESRCH);

	snprintf(buf, sizeof(buf), "%d\n", pid);
	ck_assert_int_eq(wr(b, "cgroup.procs", buf), 0);
	snprintf(want, sizeof(want), "%d\n", pid);
	ck_assert_str_eq(rd(b, "cgroup.procs"), want);
	ck_assert_str_eq(rd(child, "cgroup.procs"), "");
	/* charges stay where they were made */
	ck_assert_str_eq(rd(child, "memory.current"), bytes_nl(64 + TASK_OVERHEAD));
	ck_assert_str_eq(rd(b, "memory.current"), "0\n");
	ck_assert_str_eq(rd(b, "cgroup.events"), "populated 1\nfrozen 0\n");
	ck_assert_str_eq(rd(child, "cgroup.events"), "populated 0\nfrozen 0\n");
}
END_TEST

START_TEST(test_cgroup_misc_text)
{
	struct cgroup *b;

	ck_assert_int_eq(cgroup_mkdir(e, child, "b", &b), 0);
	ck_assert_str_eq(rd(e->root, "cgroup.stat"),
			 "nr_descendants 2\nnr_subsys_memory 2\nnr_dying_descendants 0\n"
			 "nr_dying_subsys_memory 0\n");
	ck_assert_str_eq(rd(child, "cgroup.type"), "domain\n");
	ck_assert_int_eq(wr(child, "cgroup.type", "domain"), -EINVAL);
	ck_assert_str_eq(rd(child, "cgroup.stat.local"), "frozen_usec 0\n");
	ck_assert_str_eq(rd(child, "cpu.stat"),
			 "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnice_usec 0\n");
	ck_assert_str_eq(rd(child, "cpu.stat.local"), "");
	ck_assert_str_eq(rd(child, "cgroup.pressure"), "1\n");
	ck_assert_str_eq(rd(child, "memory.pressure"),
			 "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
			 "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
	ck_assert_int_eq(cgroup_rmdir(e, b), 0);
	ck_assert_str_eq(rd(e->root, "cgroup.stat"),
			 "nr_descendants 1\nnr_subsys_memory 2\nnr_dying_descendants 0\n"
			 "nr_dying_subsys_memory 0\n");
}
END_TEST

START_TEST(test_psi_trigger)
{
	struct cft_open_state fd = { 0 }, fd2 = { 0 }, fd3 = { 0 };

	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd, "some 0 1000000", 14), -EINVAL);
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd, "some 150000 20000000", 20),
			 -EINVAL);
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd, "some 150000 1000000", 19), 19);
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd, "full 150000 1000000", 19),
			 -EBUSY);
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd2, "full 2000000 2000000", 20), 20);
	/* the kernel's vsscanf("%u") takes no sign; 2^32 + 1 wraps to 1 */
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd3, "some +100 2000000", 17), -EINVAL);
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd3, "some 4294967297 2000000", 23), 23);
	release_fd(child, "memory.pressure", &fd);
	release_fd(child, "memory.pressure", &fd2);
	release_fd(child, "memory.pressure", &fd3);
	ck_assert(list_empty(&e->psi_triggers));
}
END_TEST

/* poll() on a pressure file: POLLPRI once the trigger fired, consumed by that poll */
static unsigned int poll_fd(struct cgroup *cg, const char *name, struct cft_open_state *state)
{
	struct cft_ctx ctx = ctx_of(cg, name, state);

	return ctx.cft->poll(&ctx, true);
}

/* a memory stall of @ms at simulated time @at_ms, then the triggers look */
static void stall_at(uint64_t at_ms, uint64_t ms)
{
	e->now_ns = at_ms * 1000000;
	if (ms)
		psi_memstall(e, child, ms * 1000000);
	psi_triggers_update(e);
}

START_TEST(test_psi_trigger_fires)
{
	struct cft_open_state fd = { 0 }, none = { 0 };

	/* no trigger: POLLERR|POLLPRI at once, as psi_trigger_poll() answers */
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &none), POLLERR | POLLPRI);

	e->now_ns = 1000000000;
	ck_assert_int_eq(write_fd(child, "memory.pressure", &fd, "some 150000 1000000", 19), 19);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	/* 100 ms of stall: under the threshold, no event */
	stall_at(1000, 100);
	stall_at(1100, 0);
	stall_at(1200, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	/* 100 ms more within the window, counted as it passes: 200 ms > 150 ms fires at the next look */
	stall_at(1300, 100);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	stall_at(1400, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), POLLPRI);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);	/* consumed */
	/* more stall at once: held back until the window since the event passed */
	stall_at(1400, 300);
	stall_at(1500, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	ck_assert_uint_lt(psi_triggers_next_update(e), UINT64_MAX);	/* a look is due */
	stall_at(2200, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	stall_at(2400, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), POLLPRI);
	/* no stall: no event, and no look needed */
	stall_at(5000, 0);
	stall_at(9000, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	ck_assert_uint_eq(psi_triggers_next_update(e), UINT64_MAX);
	release_fd(child, "memory.pressure", &fd);
}
END_TEST

START_TEST(test_psi_trigger_unprivileged)
{
	struct cft_open_state fd = { 0 };
	struct task_cred opener = { .uid = 1000, .euid = 1000, .fsuid = 1000 };
	struct cft_ctx ctx;
	char buf[] = "some 150000 1000000";
	char buf2[] = "some 150000 2000000";

	ctx = ctx_of(child, "memory.pressure", &fd);
	ctx.opener = &opener;	/* no CAP_SYS_RESOURCE: 2 s windows */
	ck_assert_int_eq(cft_write(&ctx, buf, strlen(buf)), -EINVAL);
	ck_assert_int_eq(cft_write(&ctx, buf2, strlen(buf2)), (ssize_t)strlen(buf2));
	/* looked at with the 2 s averages: a stall at 0.5 s is seen at 2 s */
	stall_at(500, 200);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), 0);
	ck_assert_uint_eq(psi_triggers_next_update(e), 2000000000ULL);
	stall_at(2000, 0);
	ck_assert_uint_eq(poll_fd(child, "memory.pressure", &fd), POLLPRI);
	release_fd(child, "memory.pressure", &fd);
}
END_TEST

/* ================================================================= suite */

static Suite *cftypes_suite(void)
{
	Suite *s = suite_create("cftypes");
	TCase *tc;

	tc = tcase_create("registry");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_registry_invariants);
	tcase_add_test(tc, test_registry_modes);
	tcase_add_test(tc, test_files_on_root);
	tcase_add_test(tc, test_files_on_child);
	tcase_add_test(tc, test_files_without_memory);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory_limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_memory_max_write_read);
	tcase_add_test(tc, test_write_sizes);
	tcase_add_test(tc, test_tunable_defaults);
	tcase_add_test(tc, test_memory_max_below_usage_kills);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory_files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_oom_group);
	tcase_add_test(tc, test_reclaim_parsing);
	tcase_add_test(tc, test_reclaim_page_cache);
	tcase_add_test(tc, test_wrong_direction);
	tcase_add_test(tc, test_events_text);
	tcase_add_test(tc, test_stat_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("peak");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_peak_per_fd);
	tcase_add_test(tc, test_swap_peak_per_fd);
	suite_add_tcase(s, tc);

	tc = tcase_create("cgroup_files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_max_depth_descendants);
	tcase_add_test(tc, test_freeze);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_subtree_control);
	tcase_add_test(tc, test_procs_write);
	tcase_add_test(tc, test_cgroup_misc_text);
	tcase_add_test(tc, test_psi_trigger);
	tcase_add_test(tc, test_psi_trigger_fires);
	tcase_add_test(tc, test_psi_trigger_unprivileged);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cftypes_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
