// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * peakfd: keeps cgroup files open across shell commands, for the scenarios
 * that test per-open-file state (memory.peak and memory.swap.peak remember
 * a reset per open file). A shell cannot do that itself: it has no pread,
 * so after a write it cannot read the file from offset 0 on the same fd.
 * Run as a bash coprocess; one command per input line, one reply line each:
 *
 *   open ID PATH    open(O_RDWR|O_APPEND|O_CLOEXEC)   -> "ok" | "err ENAME"
 *   writable ID     fstat: owner-write bit set?       -> "1" | "0"
 *   write ID TEXT   one write of TEXT and its NUL     -> bytes written | "err ENAME"
 *                   (in TEXT, \n stands for a newline and \\ for a backslash)
 *   read ID         pread(fd, 128 bytes, offset 0), atol -> number ("-1" if empty)
 *   close ID        close(2)                          -> "ok" | "err ENAME"
 *
 * ID is 0..15. Build: gcc -static -O2 -o peakfd peakfd.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NR_IDS 16

static int fds[NR_IDS];

static const char *errname(int err)
{
	static char other[16];

	switch (err) {
	case ENOENT: return "ENOENT";
	case EACCES: return "EACCES";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case EAGAIN: return "EAGAIN";
	case EPERM: return "EPERM";
	}
	snprintf(other, sizeof(other), "E%d", err);
	return other;
}

static int id_of(const char *text)
{
	int id = text ? atoi(text) : -1;

	return id >= 0 && id < NR_IDS ? id : -1;
}

/* \n and \\ in place; the rest as is. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == 'n' || s[1] == '\\'))
			*out++ = *++s == 'n' ? '\n' : '\\';
		else
			*out++ = *s;
	}
	*out = '\0';
}

/* "ok", or "err NAME" when @err names an errno */
static void reply_status(const char *err)
{
	if (err)
		printf("err %s\n", err);
	else
		printf("ok\n");
	fflush(stdout);
}

static void reply_num(long n)
{
	printf("%ld\n", n);
	fflush(stdout);
}

int main(void)
{
	char line[4096], buf[128];
	int i;

	for (i = 0; i < NR_IDS; i++)
		fds[i] = -1;
	while (fgets(line, sizeof(line), stdin)) {
		char *nl = strchr(line, '\n'), *cmd, *arg, *rest = NULL;
		struct stat st;
		ssize_t n;
		int id;

		if (nl)
			*nl = '\0';
		cmd = strtok_r(line, " ", &rest);
		arg = strtok_r(NULL, " ", &rest);
		id = id_of(arg);
		if (!cmd || id < 0) {
			reply_status("usage");
			continue;
		}
		if (!strcmp(cmd, "open")) {
			fds[id] = open(rest, O_RDWR | O_APPEND | O_CLOEXEC);
			reply_status(fds[id] < 0 ? errname(errno) : NULL);
		} else if (!strcmp(cmd, "writable")) {
			reply_num(!fstat(fds[id], &st) && (st.st_mode & S_IWUSR));
		} else if (!strcmp(cmd, "write")) {
			unescape(rest);
			n = write(fds[id], rest, strlen(rest) + 1);
			if (n < 0)
				reply_status(errname(errno));
			else
				reply_num((long)n);
		} else if (!strcmp(cmd, "read")) {
			memset(buf, 0, sizeof(buf));
			n = pread(fds[id], buf, sizeof(buf) - 1, 0);
			reply_num(n <= 0 ? -1 : atol(buf));
		} else if (!strcmp(cmd, "close")) {
			n = close(fds[id]);
			fds[id] = -1;
			reply_status(n ? errname(errno) : NULL);
		} else {
			reply_status("usage");
		}
	}
	return 0;
}
