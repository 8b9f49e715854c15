// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcg_poll: wait for a cgroup v2 events file to change, as a monitoring
 * agent does: read it, poll() it for POLLPRI, and say when it changed.
 * Works the same against a kernel's cgroup2 tree and a memcgfs mount.
 *
 *   memcg_poll CGROUP_DIR/memory.events
 *
 * It prints "waiting" once it polls, then "changed" when the file changed,
 * and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct pollfd pfd = { .events = POLLPRI };
	char buf[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: %s EVENTS_FILE\n", argv[0]);
		return 2;
	}
	pfd.fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	/* a poll reports what changed since the last read */
	if (pfd.fd < 0 || read(pfd.fd, buf, sizeof(buf)) < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	printf("waiting\n");
	fflush(stdout);
	while (poll(&pfd, 1, -1) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "poll: %s\n", strerror(errno));
			return 1;
		}
	}
	printf("changed\n");
	return 0;
}
