// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcg_event: listen to a cgroup v1 memory notification and print each one.
 * Works the same against the kernel's /sys/fs/cgroup/memory and a memcgfs
 * --mode=v1 mount.
 *
 *   memcg_event CGROUP_DIR memory.usage_in_bytes 10M      a usage threshold
 *   memcg_event CGROUP_DIR memory.memsw.usage_in_bytes 20M
 *   memcg_event CGROUP_DIR memory.oom_control             OOM notifications
 *   memcg_event CGROUP_DIR memory.pressure_level low,hierarchy
 *
 * It prints "registered" once cgroup.event_control took the registration,
 * then one line per notification, and exits when the cgroup is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096], line[4200];
	const char *dir, *file, *args;
	int efd, cfd, ctl;
	uint64_t count;
	unsigned long n = 0;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s CGROUP_DIR CONTROL_FILE [ARGS]\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	file = argv[2];
	args = argc == 4 ? argv[3] : "";

	efd = eventfd(0, EFD_CLOEXEC);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	cfd = open(path, O_RDONLY | O_CLOEXEC);
	if (efd < 0 || cfd < 0) {
		fprintf(stderr, "%s: %s\n", cfd < 0 ? path : "eventfd", strerror(errno));
		return 1;
	}
	snprintf(path, sizeof(path), "%s/cgroup.event_control", dir);
	ctl = open(path, O_WRONLY | O_CLOEXEC);
	snprintf(line, sizeof(line), "%d %d %s", efd, cfd, args);
	if (ctl < 0 || write(ctl, line, strlen(line)) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	close(ctl);
	printf("registered\n");
	fflush(stdout);

	for (;;) {
		if (read(efd, &count, sizeof(count)) != sizeof(count)) {
			fprintf(stderr, "eventfd: %s\n", strerror(errno));
			return 1;
		}
		/* the removal of the cgroup also signals once: tell it apart */
		if (access(dir, F_OK)) {
			printf("cgroup removed\n");
			return 0;
		}
		n += count;
		printf("event %lu\n", n);
		fflush(stdout);
	}
}
