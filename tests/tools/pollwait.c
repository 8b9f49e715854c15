// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pollwait FILE TIMEOUT_MS: open FILE, read it, then poll() for POLLPRI
 * as a cgroup events watcher does; print "ready" once polling, then
 * "event" (the file changed) or "timeout".
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct pollfd pfd = { .events = POLLPRI };
	char buf[4096];
	int n;

	if (argc != 3) {
		fprintf(stderr, "usage: pollwait FILE TIMEOUT_MS\n");
		return 2;
	}
	pfd.fd = open(argv[1], O_RDONLY);
	if (pfd.fd < 0 || read(pfd.fd, buf, sizeof(buf)) < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	n = poll(&pfd, 1, atoi(argv[2]));
	printf("%s\n", n > 0 && (pfd.revents & POLLPRI) ? "event" : "timeout");
	return 0;
}
