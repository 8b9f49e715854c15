// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * psitrig: PSI triggers on a pressure file, as a monitoring agent sets
 * them (Documentation/accounting/psi.rst), printing what a user sees. The
 * same binary runs against memcgfs and, built statically, a real kernel
 * (tests/diff/notify-probe.sh).
 *
 *   psitrig [--unpriv] FILE write TEXT...
 *	one open file, one write(2) per TEXT: "ok" or the errno's name each
 *	(the second trigger on one file is EBUSY)
 *   psitrig [--unpriv] FILE poll
 *	poll(2) at once with no trigger: the revents
 *   psitrig [--unpriv] FILE watch TRIGGER SECONDS
 *	write TRIGGER, print "ready", then poll for POLLPRI for SECONDS:
 *	print "events N" and whether two events ever came closer than the
 *	trigger's window ("gaps ok" / "gaps short")
 *   psitrig [--unpriv] FILE wait TRIGGER SECONDS
 *	write TRIGGER, print "ready", then wait for the first POLLPRI:
 *	print "event", or "timeout" after SECONDS
 *
 * --unpriv drops CAP_SYS_RESOURCE from the effective set before opening:
 * the kernel then takes only windows that are multiples of 2 s
 * (psi_trigger_create() checks the opener's f_cred).
 * Exit status: 0, 1 an open or poll failed, 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CAP_SYS_RESOURCE_BIT 24

static const char *errno_name(int err)
{
	switch (err) {
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case E2BIG: return "E2BIG";
	case ERANGE: return "ERANGE";
	default: return strerror(err);
	}
}

static int drop_sys_resource(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << CAP_SYS_RESOURCE_BIT);
	return (int)syscall(SYS_capset, &hdr, data);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void print_revents(short r)
{
	printf("revents%s%s%s%s\n", r & POLLIN ? " IN" : "", r & POLLOUT ? " OUT" : "",
	       r & POLLERR ? " ERR" : "", r & POLLPRI ? " PRI" : "");
}

static int watch(int fd, const char *trigger, int seconds, bool first)
{
	unsigned int threshold, window;
	uint64_t end, last = 0, min_gap = UINT64_MAX;
	int events = 0;

	if (sscanf(trigger, "%*s %u %u", &threshold, &window) != 2)
		return 2;
	if (write(fd, trigger, strlen(trigger) + 1) < 0) {
		printf("write '%s': %s\n", trigger, errno_name(errno));
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	end = now_us() + (uint64_t)seconds * 1000000;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI };
		uint64_t now = now_us();
		int n;

		if (now >= end)
			break;
		n = poll(&pfd, 1, (int)((end - now + 999) / 1000));
		if (n < 0 && errno != EINTR) {
			perror("poll");
			return 1;
		}
		if (n > 0 && (pfd.revents & POLLERR)) {
			print_revents(pfd.revents);
			return 1;
		}
		if (n > 0 && (pfd.revents & POLLPRI)) {
			if (first) {
				printf("event\n");
				return 0;
			}
			now = now_us();
			if (events && now - last < min_gap)
				min_gap = now - last;
			last = now;
			events++;
		}
	}
	if (first) {
		printf("timeout\n");
		return 0;
	}
	printf("events %d\n", events);
	/* a little slack: the sampling clocks of the two ends differ */
	if (events > 1)
		printf("gaps %s\n", min_gap + window / 20 >= window ? "ok" : "short");
	return 0;
}

int main(int argc, char **argv)
{
	const char *file, *cmd;
	int i = 1, fd, ret = 0;

	if (argc > 1 && !strcmp(argv[1], "--unpriv")) {
		if (drop_sys_resource()) {
			perror("capset");
			return 1;
		}
		i++;
	}
	if (argc - i < 2)
		goto usage;
	file = argv[i];
	cmd = argv[i + 1];
	fd = open(file, O_RDWR);
	if (fd < 0) {
		printf("open %s: %s\n", file, errno_name(errno));
		return 1;
	}
	if (!strcmp(cmd, "write")) {
		for (i += 2; i < argc; i++) {
			/* as echo writes it: the text and a newline */
			char buf[256];
			int len = snprintf(buf, sizeof(buf), "%s\n", argv[i]);

			printf("write '%s': %s\n", argv[i],
			       write(fd, buf, (size_t)len) == len ? "ok" : errno_name(errno));
		}
	} else if (!strcmp(cmd, "poll")) {
		struct pollfd pfd = { .fd = fd, .events = POLLPRI | POLLIN };

		if (poll(&pfd, 1, 0) < 0) {
			perror("poll");
			ret = 1;
		} else {
			print_revents(pfd.revents);
		}
	} else if ((!strcmp(cmd, "watch") || !strcmp(cmd, "wait")) && argc - i == 4) {
		ret = watch(fd, argv[i + 2], atoi(argv[i + 3]), !strcmp(cmd, "wait"));
		if (ret == 2)
			goto usage;
	} else {
		goto usage;
	}
	close(fd);
	return ret;
usage:
	fprintf(stderr, "usage: psitrig [--unpriv] FILE write TEXT... | poll | watch|wait TRIGGER SECONDS\n");
	return 2;
}
