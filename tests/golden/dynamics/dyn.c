// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dyn: the workloads of the dynamics scenarios (tests/golden/dynamics/),
 * run on a real kernel in a VM by record.sh; the integration tests
 * tests/integration/dyn_*.sh run the same scenarios with memcgctl.
 *
 *   dyn anon CGDIR SIZE_MB THP [HOLD_S]   join CGDIR, touch SIZE_MB of anon
 *                                         one page at a time (THP: always =
 *                                         the system's setting, madvise =
 *                                         MADV_HUGEPAGE, never =
 *                                         PR_SET_THP_DISABLE), print how
 *                                         long it took, hold HOLD_S seconds
 *   dyn stream CGDIR FILE RATE_MB SECONDS join CGDIR, read FILE over and over
 *                                         at most RATE_MB MiB/s
 *   dyn write PATH TEXT                   one write(2); print the result and
 *                                         how long it took
 *   dyn now                               CLOCK_MONOTONIC in seconds
 *
 * Build: gcc -static -O2 -Wall -o dyn dyn.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void join(const char *cg)
{
	char path[512], pid[32];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, pid, strlen(pid)) < 0) {
		perror(path);
		exit(1);
	}
	close(fd);
}

static int anon(char **argv)
{
	size_t size = strtoull(argv[1], NULL, 10) << 20, off;
	const char *thp = argv[2];
	int hold = argv[3] ? atoi(argv[3]) : 0;
	long page = sysconf(_SC_PAGESIZE);
	double t0;
	char *p;

	join(argv[0]);
	if (!strcmp(thp, "never"))
		prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (!strcmp(thp, "madvise"))
		madvise(p, size, MADV_HUGEPAGE);
	t0 = now();
	for (off = 0; off < size; off += (size_t)page)
		p[off] = (char)0xa5;
	printf("touched %zu MB in %.2f s\n", size >> 20, now() - t0);
	fflush(stdout);
	if (hold)
		sleep((unsigned int)hold);
	return 0;
}

static int stream(char **argv)
{
	const char *file = argv[1];
	double rate = strtod(argv[2], NULL) * 1048576.0, seconds = strtod(argv[3], NULL);
	static char buf[1 << 18];
	double t0, t;
	long long total = 0;
	int passes = 0, fd;
	ssize_t n;

	join(argv[0]);
	fd = open(file, O_RDONLY);
	if (fd < 0) {
		perror(file);
		return 1;
	}
	t0 = now();
	while ((t = now() - t0) < seconds) {
		double ahead = (double)total / rate - t;

		if (ahead > 0)
			usleep((useconds_t)(ahead * 1e6));
		n = read(fd, buf, sizeof(buf));
		if (n <= 0) {
			lseek(fd, 0, SEEK_SET);
			passes++;
			continue;
		}
		total += n;
	}
	printf("streamed %lld MB in %.2f s (%.1f MB/s), %d passes\n", total >> 20, now() - t0,
	       (double)total / 1048576.0 / (now() - t0), passes);
	return 0;
}

static int write_once(char **argv)
{
	int fd = open(argv[0], O_WRONLY);
	double t0 = now();
	ssize_t n;

	if (fd < 0) {
		perror(argv[0]);
		return 1;
	}
	n = write(fd, argv[1], strlen(argv[1]));
	printf("write %s: %s in %.3f s\n", argv[1], n < 0 ? strerror(errno) : "ok", now() - t0);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "anon"))
		return anon(argv + 2);
	if (argc == 6 && !strcmp(argv[1], "stream"))
		return stream(argv + 2);
	if (argc == 4 && !strcmp(argv[1], "write"))
		return write_once(argv + 2);
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%.3f\n", now());
		return 0;
	}
	fprintf(stderr, "usage: dyn anon|stream|write|now ...\n");
	return 2;
}
