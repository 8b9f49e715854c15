// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pathtrunc FILE: truncate FILE as memcgfs's inotify helper does
 * (src/fs/notify.c): open it O_PATH, then truncate(2) /proc/self/fd/N.
 * tests/diff/notify-probe.sh shows which inotify events a kernel raises
 * for that (IN_MODIFY alone: O_PATH opens raise no IN_OPEN).
 * Exit status: 0, 1 (message on stderr).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char proc[64];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: pathtrunc FILE\n");
		return 1;
	}
	fd = open(argv[1], O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (truncate(proc, 0)) {
		perror(proc);
		return 1;
	}
	close(fd);
	return 0;
}
