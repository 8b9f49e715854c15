/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench: the timing client for tests/bench/run.sh.
 *
 *   bench read N PATH...           N x (open O_RDONLY, read to EOF, close)
 *   bench write N STRING PATH...   N x (open O_WRONLY, write STRING, close)
 *
 * Runs the loop 5 times for each PATH, the PATHs taking turns within each
 * round so that a machine busy for a while slows them all alike, and
 * prints one median per PATH, in nanoseconds per iteration, one a line, as
 * the only thing on stdout so a script can capture it.
 * Errors go to stderr with exit status 1. It measures; it judges nothing.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RUNS 5
#define BUF_SIZE (64 * 1024)

static char buf[BUF_SIZE];

static const char *progname = "bench";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s read N PATH...\n"
		"       %s write N STRING PATH...\n",
		progname, progname);
	exit(2);
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s %s: %s\n", progname, what, path,
		strerror(errno));
	exit(1);
}

static unsigned long parse_n(const char *s)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n == 0) {
		fprintf(stderr, "%s: bad iteration count '%s'\n", progname, s);
		exit(2);
	}
	return n;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void one_read(const char *path)
{
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd == -1)
		die("open", path);
	do {
		r = read(fd, buf, sizeof(buf));
	} while (r > 0 || (r == -1 && errno == EINTR));
	if (r == -1)
		die("read", path);
	if (close(fd) == -1)
		die("close", path);
}

static void one_write(const char *path, const char *str, size_t len)
{
	ssize_t w;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd == -1)
		die("open", path);
	do {
		w = write(fd, str, len);
	} while (w == -1 && errno == EINTR);
	if (w == -1)
		die("write", path);
	if ((size_t)w != len) {
		fprintf(stderr, "%s: short write to %s: %zd of %zu\n",
			progname, path, w, len);
		exit(1);
	}
	if (close(fd) == -1)
		die("close", path);
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

#define MAX_PATHS 16

int main(int argc, char *argv[])
{
	long long per_iter[MAX_PATHS][RUNS];
	const char *str = NULL;
	char **paths;
	unsigned long n, i;
	int nr_paths, write_mode, run, p;
	size_t len = 0;

	if (argc > 0 && argv[0][0] != '\0')
		progname = argv[0];
	if (argc >= 4 && strcmp(argv[1], "read") == 0) {
		write_mode = 0;
		n = parse_n(argv[2]);
		paths = argv + 3;
		nr_paths = argc - 3;
	} else if (argc >= 5 && strcmp(argv[1], "write") == 0) {
		write_mode = 1;
		n = parse_n(argv[2]);
		str = argv[3];
		len = strlen(str);
		paths = argv + 4;
		nr_paths = argc - 4;
	} else {
		usage();
	}
	if (nr_paths > MAX_PATHS)
		usage();

	/* One untimed pass: fault in the path, the dentries, the code. */
	for (p = 0; p < nr_paths; p++) {
		if (write_mode)
			one_write(paths[p], str, len);
		else
			one_read(paths[p]);
	}

	for (run = 0; run < RUNS; run++) {
		for (p = 0; p < nr_paths; p++) {
			long long t0 = now_ns();

			if (write_mode)
				for (i = 0; i < n; i++)
					one_write(paths[p], str, len);
			else
				for (i = 0; i < n; i++)
					one_read(paths[p]);
			per_iter[p][run] = (now_ns() - t0) / (long long)n;
		}
	}
	for (p = 0; p < nr_paths; p++) {
		qsort(per_iter[p], RUNS, sizeof(per_iter[p][0]), cmp_ll);
		printf("%lld\n", per_iter[p][RUNS / 2]);
	}
	return 0;
}
