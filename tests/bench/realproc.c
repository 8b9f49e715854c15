// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sampler of real processes (src/alloc/realproc.c), measured: what one
 * sample costs per process, and how far past memory.max a real process
 * that allocates fast gets before the OOM killer's SIGKILL reaches it.
 * Prints figures; asserts nothing about speed.
 *
 * usage: realproc [PROCESSES]   (default 32 idle processes for the cost)
 *
 * The allocator of each run starts at another point of the sampling
 * period (0, 1/5, ... 4/5 of it), so the runs cover where the limit can
 * fall between two samples.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alloc/alloc.h"
#include "alloc/realproc.h"
#include "engine/cgroup.h"
#include "engine/charge.h"

#define MIB (1024UL * 1024UL)
#define LIMIT_MIB 100UL
#define TOUCH_MAX_MIB 4096UL
#define RUNS 5

static uint64_t now_ns(void)
{
	return monotonic_ns();
}

static struct alloc *make_machine(void)
{
	struct engine_config cfg = {
		.mode = CGROUP_V2,
		.ram_pages = 64UL << 18,	/* 64 GiB */
		.swap_pages = 0,
		.nr_nodes = 1,
	};
	struct alloc *a;

	if (alloc_create(&cfg, &a)) {
		fprintf(stderr, "realproc: cannot build the machine\n");
		exit(1);
	}
	return a;
}

static pid_t idle_child(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (!pid) {
		/* something resident, as a small real program has */
		char *p = malloc(4 * MIB);

		if (p)
			memset(p, 1, 4 * MIB);
		for (;;)
			pause();
	}
	return pid;
}

/* µs per process per sample, over @n idle processes held in one cgroup */
static void sample_cost(int n)
{
	struct alloc *a = make_machine();
	struct cgroup *cg;
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int i, iters = 200;
	uint64_t t0, t1;

	if (!pids || cgroup_mkdir(a->engine, a->engine->root, "bench", &cg))
		exit(1);
	for (i = 0; i < n; i++) {
		pids[i] = idle_child();
		if (alloc_attach_locked(a, cg, pids[i])) {
			fprintf(stderr, "realproc: cannot hold pid %d\n", (int)pids[i]);
			exit(1);
		}
	}
	realproc_sample_locked(a, NULL);	/* the first sample charges: not counted */
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		realproc_sample_locked(a, NULL);
	t1 = now_ns();
	printf("sampler cost:     %.1f us per process per sample (%d idle processes, %d samples,"
	       " every %llu ms)\n",
	       (double)(t1 - t0) / 1000.0 / iters / n, n, iters,
	       (unsigned long long)(REALPROC_PERIOD_NS / 1000000));
	alloc_destroy(a);
	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
	free(pids);
}

/*
 * A child that touches MiB after MiB at @mib_per_s (0: as fast as it can),
 * counting them in @touched, shared with the parent.
 */
static pid_t allocator(volatile unsigned long *touched, unsigned long mib_per_s, unsigned long phase_us)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (!pid) {
		char *p = mmap(NULL, TOUCH_MAX_MIB * MIB, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		long page = sysconf(_SC_PAGESIZE);
		uint64_t start = now_ns();
		unsigned long i, off;

		if (p == MAP_FAILED)
			_exit(1);
		/* wait to be held: the parent says so through the counter */
		while (*touched != ~0UL)
			usleep(1000);
		*touched = 0;
		/* each run starts at another point of the sampling period */
		usleep((useconds_t)phase_us);
		start = now_ns();
		for (i = 0; i < TOUCH_MAX_MIB; i++) {
			for (off = 0; off < MIB; off += (unsigned long)page)
				p[i * MIB + off] = 1;
			*touched = i + 1;
			if (mib_per_s)
				while (now_ns() < start + (i + 1) * NSEC_PER_SEC / mib_per_s)
					;
		}
		_exit(0);
	}
	return pid;
}

static int cmp_ul(const void *x, const void *y)
{
	unsigned long a = *(const unsigned long *)x, b = *(const unsigned long *)y;

	return a < b ? -1 : a > b;
}

/* MiB touched past a 100M memory.max before the kill, @runs times */
static void overshoot(unsigned long mib_per_s)
{
	volatile unsigned long *touched = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long past[RUNS];
	int r, status = 0;

	if (touched == MAP_FAILED)
		exit(1);
	for (r = 0; r < RUNS; r++) {
		struct alloc *a = make_machine();
		struct cgroup *cg;
		pid_t pid;

		*touched = 0;
		pid = allocator(touched, mib_per_s, (unsigned long)r * REALPROC_PERIOD_NS / 1000 / RUNS);
		engine_lock(a->engine);
		if (cgroup_mkdir(a->engine, a->engine->root, "bench", &cg) ||
		    alloc_attach_locked(a, cg, pid))
			exit(1);
		memcg_set_max(a->engine, cg->memcg, LIMIT_MIB << 8, false);
		engine_unlock(a->engine);
		if (realproc_start(a))
			exit(1);
		*touched = ~0UL;	/* go */
		waitpid(pid, &status, 0);
		realproc_stop(a);
		past[r] = *touched > LIMIT_MIB ? *touched - LIMIT_MIB : 0;
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			printf("  (run %d: the allocator was not killed, status 0x%x)\n", r, status);
		alloc_destroy(a);
	}
	qsort(past, RUNS, sizeof(*past), cmp_ul);
	if (mib_per_s)
		printf("past memory.max:  %lu MiB median, %lu MiB at most (%d runs, %.1f GiB/s allocator, max %luM)\n",
		       past[RUNS / 2], past[RUNS - 1], RUNS, mib_per_s / 1024.0, LIMIT_MIB);
	else
		printf("past memory.max:  %lu MiB median, %lu MiB at most (%d runs, allocator unpaced, max %luM)\n",
		       past[RUNS / 2], past[RUNS - 1], RUNS, LIMIT_MIB);
	munmap((void *)touched, 4096);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 32;

	if (n <= 0) {
		fprintf(stderr, "usage: realproc [PROCESSES]\n");
		return 2;
	}
	sample_cost(n);
	overshoot(1024);
	overshoot(0);
	return 0;
}
