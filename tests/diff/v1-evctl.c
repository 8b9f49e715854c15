/* v1-evctl: one cgroup v1 event registration, for tests/diff/v1-probe.sh.
 *
 * cgroup.event_control takes "<efd> <cfd> <args>", where efd and cfd are file descriptors of the
 * *writing* process, so the eventfd, the control file and the write must all live in one process:
 *
 *   v1-evctl [-o PATH] [-u UID] [-r DIR] EVENT_CONTROL CFILE TEMPLATE
 *
 * Opens an eventfd (non-blocking), CFILE read-only ("-": none) and, with -o, PATH read-only; then
 * opens EVENT_CONTROL write-only and writes TEMPLATE with ONE write(2), after these substitutions:
 *   %e  the eventfd               %E  the eventfd + 2^32 (a number that truncates to %e as unsigned int)
 *   %c  CFILE's fd                %o  PATH's fd (-o)
 *   %n  an fd open on /dev/null   %x  an fd number that is not open
 *   %%  a percent sign
 * and then decodes C escapes as tests/tools/cgio does (\n \t \r \v \f \\ \" \0 \xNN), so a NUL byte
 * can be written.  With -u, the effective uid and gid become UID just before the write (every file
 * is already open), so the kernel checks the control file's read permission for that user.
 * With -r, after a successful write DIR is removed and the eventfd is polled for up to 5 s: an
 * event registration is signalled once when its cgroup goes away.
 *
 * Output, one line: "ok N" or an errno name (a failing open: "open PATH-ROLE ENAME"); after a
 * successful write ", eventfd V" (the counter read at once without blocking: a number or "none"),
 * and with -r ", rmdir ok|ENAME, eventfd V" (V as counted after the poll).
 * Exit status 0 whatever the outcome, 2 on a usage error.
 * Build: gcc -O2 -Wall -o v1-evctl v1-evctl.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct { int no; const char *name; } errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { E2BIG, "E2BIG" },
	{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" }, { EXDEV, "EXDEV" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { EFBIG, "EFBIG" },
	{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
	{ EPIPE, "EPIPE" }, { ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	{ ENOSYS, "ENOSYS" }, { ENOTEMPTY, "ENOTEMPTY" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENXIO, "ENXIO" }, { ENOTTY, "ENOTTY" }, { EOVERFLOW, "EOVERFLOW" },
	{ ENOTCONN, "ENOTCONN" }, { ESTALE, "ESTALE" }, { ELOOP, "ELOOP" },
};

static void print_errno(int e)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].no == e) {
			fputs(errnames[i].name, stdout);
			return;
		}
	printf("E%d", e);
}

static void usage(void)
{
	fputs("usage: v1-evctl [-o PATH] [-u UID] [-r DIR] EVENT_CONTROL CFILE TEMPLATE\n", stderr);
	exit(2);
}

static void need(int ok)
{
	if (!ok)
		exit(3);
}

/* Expand %-placeholders, then C escapes; returns the length (the result may contain NULs). */
static size_t build(const char *t, const int fds[128], char **out)
{
	size_t cap = strlen(t) * 24 + 64, n = 0;
	char *b = malloc(cap);

	need(b != NULL);
	while (*t) {
		if (*t == '%' && t[1]) {
			t++;
			if (*t == '%') {
				b[n++] = '%';
			} else if (*t == 'E') {
				n += (size_t)sprintf(b + n, "%" PRIu64, (uint64_t)((uint64_t)fds['e'] + ((uint64_t)1 << 32)));
			} else if (fds[(unsigned char)*t & 127] >= 0) {
				n += (size_t)sprintf(b + n, "%d", fds[(unsigned char)*t & 127]);
			} else {
				fprintf(stderr, "v1-evctl: %%%c has no fd\n", *t);
				exit(2);
			}
			t++;
			continue;
		}
		if (*t != '\\' || !t[1]) {
			b[n++] = *t++;
			continue;
		}
		t++;
		switch (*t) {
		case 'n': b[n++] = '\n'; t++; break;
		case 't': b[n++] = '\t'; t++; break;
		case 'r': b[n++] = '\r'; t++; break;
		case 'v': b[n++] = '\v'; t++; break;
		case 'f': b[n++] = '\f'; t++; break;
		case '0': b[n++] = '\0'; t++; break;
		case 'x': {
			int v = 0, k = 0;

			t++;
			while (k < 2 && *t && strchr("0123456789abcdefABCDEF", *t)) {
				v = v * 16 + (*t <= '9' ? *t - '0' : (*t | 0x20) - 'a' + 10);
				t++, k++;
			}
			b[n++] = (char)v;
			break;
		}
		default: b[n++] = *t++; break;
		}
	}
	*out = b;
	return n;
}

static int open_role(const char *path, int flags, const char *role)
{
	int fd = open(path, flags);

	if (fd < 0) {
		printf("open %s ", role);
		print_errno(errno);
		putchar('\n');
		exit(0);
	}
	return fd;
}

/* The eventfd counter, read without blocking: prints the value or "none". */
static void peek(int efd)
{
	uint64_t v;

	if (read(efd, &v, sizeof(v)) == (ssize_t)sizeof(v))
		printf("%" PRIu64, v);
	else if (errno == EAGAIN)
		fputs("none", stdout);
	else
		print_errno(errno);
}

int main(int argc, char **argv)
{
	const char *opath = NULL, *rdir = NULL;
	long uid = -1;
	int fds[128], c, ctl, i;
	char *buf;
	size_t len;
	ssize_t r;

	while ((c = getopt(argc, argv, "+o:u:r:")) != -1) {
		switch (c) {
		case 'o': opath = optarg; break;
		case 'u': uid = strtol(optarg, NULL, 10); break;
		case 'r': rdir = optarg; break;
		default: usage();
		}
	}
	if (argc - optind != 3)
		usage();
	for (i = 0; i < 128; i++)
		fds[i] = -1;
	/* fd numbers (and so the byte counts written) must not depend on what the caller left open */
	for (i = 3; i < 1024; i++)
		close(i);

	fds['e'] = eventfd(0, EFD_NONBLOCK);
	need(fds['e'] >= 0);
	if (strcmp(argv[optind + 1], "-"))
		fds['c'] = open_role(argv[optind + 1], O_RDONLY, "CFILE");
	if (opath)
		fds['o'] = open_role(opath, O_RDONLY, "-o");
	fds['n'] = open_role("/dev/null", O_RDONLY, "/dev/null");
	for (i = 100; fcntl(i, F_GETFD) >= 0; i++)
		;
	fds['x'] = i;
	ctl = open_role(argv[optind], O_WRONLY, "EVENT_CONTROL");
	len = build(argv[optind + 2], fds, &buf);

	if (uid >= 0 && (setegid((gid_t)uid) < 0 || seteuid((uid_t)uid) < 0)) {
		perror("v1-evctl: seteuid");
		return 3;
	}
	r = write(ctl, buf, len);
	free(buf);
	if (r < 0) {
		print_errno(errno);
		putchar('\n');
		return 0;
	}
	printf("ok %zd, eventfd ", r);
	peek(fds['e']);
	if (rdir) {
		struct pollfd p = { .fd = fds['e'], .events = POLLIN };

		if (uid >= 0 && seteuid(0) < 0)
			return 3;
		fputs(", rmdir ", stdout);
		if (rmdir(rdir) < 0)
			print_errno(errno);
		else
			fputs("ok", stdout);
		fputs(", eventfd ", stdout);
		poll(&p, 1, 5000);
		peek(fds['e']);
	}
	putchar('\n');
	return 0;
}
