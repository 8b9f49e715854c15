// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memhold: a real process that holds memory, for the tests of real
 * processes in a memcgfs cgroup (and the same runs on a real kernel).
 *
 *   memhold [--anon MIB] [--file MIB] [--shmem MIB] [--child-anon MIB]
 *           [--step MIB] [--every MS] [--progress]
 *
 * Touches MIB of anonymous memory, of a file it maps (in $TMPDIR, removed
 * at once), and of shared memory (memfd), each page written or read so it
 * is resident; --child-anon forks a child that touches its own anon. With
 * --step the anon is touched --step MIB at a time, --every MS apart. With
 * --progress it prints "touched N" (MiB of anon so far) as it goes. Then
 * it prints "ready" and holds everything until killed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* memfd_create, when built alone for kernel-vm */
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

static void die(const char *what)
{
	fprintf(stderr, "memhold: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Write one byte per page: every page becomes resident. */
static void touch(char *p, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t off;

	for (off = 0; off < len; off += (size_t)page)
		p[off] = 1;
}

static void hold_anon(unsigned long mib, unsigned long step, long every_ms, int progress)
{
	char *p;
	unsigned long done;

	if (!mib)
		return;
	p = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap anon");
	if (!step)
		step = mib;
	for (done = 0; done < mib;) {
		unsigned long n = mib - done < step ? mib - done : step, i;

		/* a MiB at a time, so the progress is exact when the process dies */
		for (i = 0; i < n; i++) {
			touch(p + (done + i) * MIB, MIB);
			if (progress) {
				printf("touched %lu\n", done + i + 1);
				fflush(stdout);
			}
		}
		done += n;
		if (done < mib && every_ms)
			sleep_ms(every_ms);
	}
}

static void hold_file(unsigned long mib)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[4096], *p, buf[65536];
	unsigned long i;
	volatile char sum = 0;
	int fd;

	if (!mib)
		return;
	snprintf(path, sizeof(path), "%s/memhold.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		die("mkstemp");
	unlink(path);
	memset(buf, 1, sizeof(buf));
	for (i = 0; i < mib * MIB / sizeof(buf); i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write file");
	p = mmap(NULL, mib * MIB, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap file");
	/* read each page through the mapping: RssFile */
	for (i = 0; i < mib * MIB; i += (unsigned long)sysconf(_SC_PAGESIZE))
		sum = (char)(sum + p[i]);
	close(fd);
}

static void hold_shmem(unsigned long mib)
{
	char *p;
	int fd;

	if (!mib)
		return;
	fd = memfd_create("memhold", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)(mib * MIB)))
		die("memfd");
	p = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("mmap shmem");
	touch(p, mib * MIB);
	close(fd);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "anon", required_argument, NULL, 'a' },
		{ "file", required_argument, NULL, 'f' },
		{ "shmem", required_argument, NULL, 's' },
		{ "child-anon", required_argument, NULL, 'c' },
		{ "step", required_argument, NULL, 't' },
		{ "every", required_argument, NULL, 'e' },
		{ "progress", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long anon = 0, file = 0, shmem = 0, child_anon = 0, step = 0;
	long every = 0;
	int progress = 0, opt;

	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a': anon = strtoul(optarg, NULL, 10); break;
		case 'f': file = strtoul(optarg, NULL, 10); break;
		case 's': shmem = strtoul(optarg, NULL, 10); break;
		case 'c': child_anon = strtoul(optarg, NULL, 10); break;
		case 't': step = strtoul(optarg, NULL, 10); break;
		case 'e': every = strtol(optarg, NULL, 10); break;
		case 'p': progress = 1; break;
		default:
			fprintf(stderr, "usage: memhold [--anon MIB] [--file MIB] [--shmem MIB] "
				"[--child-anon MIB] [--step MIB] [--every MS] [--progress]\n");
			return 2;
		}
	}
	if (child_anon) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			hold_anon(child_anon, 0, 0, 0);
			for (;;)
				pause();
		}
		printf("child %d\n", (int)pid);
	}
	hold_file(file);
	hold_shmem(shmem);
	hold_anon(anon, step, every, progress);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
