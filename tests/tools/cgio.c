/* cgio: exact, errno-reporting file I/O for the cgroup probes (tests/diff/).
 *
 * Shell redirections hide what a cgroup file really does: they may split or
 * retry writes, and they report errors as localised messages.  cgio does one
 * system call per step and prints the outcome as a stable token:
 *   "ok N"       the call succeeded and returned N
 *   "EINVAL" ...  the errno name (or "E<number>" for one missing from the table)
 *
 * Usage (every STRING and PATH argument is decoded from C escapes: \n \t \r
 * \\ \" \0 (NUL) \xNN, so NUL bytes and newlines can be written):
 *   cgio write FILE STRING        open(O_WRONLY), ONE write(2)
 *   cgio split FILE S1 S2         open(O_WRONLY), write S1, write S2 on the same fd
 *   cgio rdwr FILE STRING         open(O_RDWR), write, then pread from 0 on that fd
 *   cgio read FILE                open(O_RDONLY), read to EOF, print "escaped\n"
 *   cgio cat FILE                 like read, but unquoted and newlines stay newlines
 *                                 (multi-line files; empty file: no output)
 *   cgio mkdir|rmdir|unlink|creat PATH
 *   cgio rename FROM TO
 *   cgio reread FILE              open(O_RDONLY) once; for each line read on stdin,
 *                                 lseek to 0, read to EOF and print as "read" does
 *                                 (an fd kept open, as monitoring tools keep it)
 * A failing open prints "open ENAME".  Exit status is 0 whatever the outcome
 * (the outcome is in the output), 2 on a usage error.
 * Build: gcc -static -O2 -o cgio cgio.c
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

static const struct { int no; const char *name; } errnames[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { E2BIG, "E2BIG" },
	{ EBADF, "EBADF" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ EEXIST, "EEXIST" }, { EXDEV, "EXDEV" }, { ENODEV, "ENODEV" },
	{ ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" }, { EINVAL, "EINVAL" },
	{ ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { EFBIG, "EFBIG" },
	{ ENOSPC, "ENOSPC" }, { ESPIPE, "ESPIPE" }, { EROFS, "EROFS" },
	{ EMLINK, "EMLINK" }, { EPIPE, "EPIPE" }, { EDOM, "EDOM" },
	{ ERANGE, "ERANGE" }, { EDEADLK, "EDEADLK" },
	{ ENAMETOOLONG, "ENAMETOOLONG" }, { ENOSYS, "ENOSYS" },
	{ ENOTEMPTY, "ENOTEMPTY" }, { ENODATA, "ENODATA" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
	{ ENXIO, "ENXIO" }, { ENOTTY, "ENOTTY" }, { ETXTBSY, "ETXTBSY" },
	{ ECANCELED, "ECANCELED" }, { EOVERFLOW, "EOVERFLOW" },
	{ ENOTCONN, "ENOTCONN" }, { ESTALE, "ESTALE" }, { ELOOP, "ELOOP" },
};

static void print_errno(const char *prefix, int e)
{
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].no == e && e != 0) {
			printf("%s%s", prefix, errnames[i].name);
			return;
		}
	printf("%sE%d", prefix, e);
}

/* Decode C escapes into a new buffer; returns its length (it may contain NULs). */
static size_t unescape(const char *s, char **out)
{
	char *b = malloc(strlen(s) + 1), *o = b;

	if (!b)
		exit(3);
	while (*s) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n': *o++ = '\n'; s++; break;
		case 't': *o++ = '\t'; s++; break;
		case 'r': *o++ = '\r'; s++; break;
		case 'v': *o++ = '\v'; s++; break;
		case 'f': *o++ = '\f'; s++; break;
		case '0': *o++ = '\0'; s++; break;
		case 'x': {
			int v = 0, n = 0;

			s++;
			while (n < 2 && *s && strchr("0123456789abcdefABCDEF", *s)) {
				v = v * 16 + (*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
				s++, n++;
			}
			*o++ = (char)v;
			break;
		}
		default: *o++ = *s++; break; /* \\ \" and anything else: the char itself */
		}
	}
	*o = '\0';	/* paths are used as C strings: terminate (the length is kept apart) */
	*out = b;
	return (size_t)(o - b);
}

/* Print bytes so that every output line is unambiguous ASCII. */
static void print_escaped(const char *b, size_t n, int keep_newlines)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == '\n')
			fputs(keep_newlines ? "\n" : "\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\0')
			fputs("\\0", stdout);
		else if (c == '\\' || (c == '"' && !keep_newlines))
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static int open_or_report(const char *path, int flags)
{
	char *p;
	int fd;

	unescape(path, &p);
	fd = open(p, flags);
	if (fd < 0)
		print_errno("open ", errno);
	free(p);
	return fd;
}

static void do_write(int fd, const char *arg)
{
	char *buf;
	size_t n = unescape(arg, &buf);
	ssize_t r = write(fd, buf, n);

	if (r < 0)
		print_errno("", errno);
	else
		printf("ok %zd", r);
	free(buf);
}

/* Read to EOF (several read(2)s of up to 64 KiB each) and print the content. */
static void do_read(int fd, int keep_newlines)
{
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (!buf)
		exit(3);
	for (;;) {
		if (cap - len < 65536 && !(buf = realloc(buf, cap *= 2)))
			exit(3);
		r = read(fd, buf + len, 65536);
		if (r < 0) {
			/* an error after some data would be unusual; show both */
			if (len) {
				print_escaped(buf, len, keep_newlines);
				fputs(" then ", stdout);
			}
			print_errno("", errno);
			if (keep_newlines)
				putchar('\n');
			break;
		}
		if (r == 0) {
			if (keep_newlines) {
				print_escaped(buf, len, 1);
				if (len && buf[len - 1] != '\n')
					fputs("\n\\ no newline at end\n", stdout);
			} else {
				putchar('"');
				print_escaped(buf, len, 0);
				putchar('"');
			}
			break;
		}
		len += (size_t)r;
	}
	free(buf);
}

static void path_op(const char *op, const char *a, const char *b)
{
	char *pa, *pb = NULL;
	int r, fd;

	unescape(a, &pa);
	if (b)
		unescape(b, &pb);
	if (!strcmp(op, "mkdir"))
		r = mkdir(pa, 0755);
	else if (!strcmp(op, "rmdir"))
		r = rmdir(pa);
	else if (!strcmp(op, "unlink"))
		r = unlink(pa);
	else if (!strcmp(op, "rename"))
		r = rename(pa, pb);
	else { /* creat */
		fd = open(pa, O_WRONLY | O_CREAT | O_EXCL, 0644);
		r = fd < 0 ? -1 : close(fd);
	}
	if (r < 0)
		print_errno("", errno);
	else
		fputs("ok", stdout);
	free(pa);
	free(pb);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int fd;

	if (!strcmp(cmd, "write") && argc == 4) {
		if ((fd = open_or_report(argv[2], O_WRONLY)) >= 0)
			do_write(fd, argv[3]);
	} else if (!strcmp(cmd, "split") && argc == 5) {
		if ((fd = open_or_report(argv[2], O_WRONLY)) >= 0) {
			do_write(fd, argv[3]);
			fputs(", ", stdout);
			do_write(fd, argv[4]);
		}
	} else if (!strcmp(cmd, "rdwr") && argc == 4) {
		if ((fd = open_or_report(argv[2], O_RDWR)) >= 0) {
			do_write(fd, argv[3]);
			fputs(", ", stdout);
			if (lseek(fd, 0, SEEK_SET) < 0)
				print_errno("lseek ", errno);
			else
				do_read(fd, 0);
		}
	} else if ((!strcmp(cmd, "read") || !strcmp(cmd, "cat")) && argc == 3) {
		fd = open_or_report(argv[2], O_RDONLY);
		if (fd >= 0)
			do_read(fd, !strcmp(cmd, "cat"));
		else if (!strcmp(cmd, "cat"))
			putchar('\n');
	} else if (!strcmp(cmd, "reread") && argc == 3) {
		char line[256];

		if ((fd = open_or_report(argv[2], O_RDONLY)) < 0)
			return 0;
		while (fgets(line, sizeof(line), stdin)) {
			if (lseek(fd, 0, SEEK_SET) < 0)
				print_errno("lseek ", errno);
			else
				do_read(fd, 0);
			putchar('\n');
			fflush(stdout);
		}
		return 0;
	} else if ((!strcmp(cmd, "mkdir") || !strcmp(cmd, "rmdir") || !strcmp(cmd, "unlink") ||
		    !strcmp(cmd, "creat")) && argc == 3) {
		path_op(cmd, argv[2], NULL);
	} else if (!strcmp(cmd, "rename") && argc == 4) {
		path_op(cmd, argv[2], argv[3]);
	} else {
		fputs("usage: cgio write FILE STRING | split FILE S1 S2 | rdwr FILE STRING | read FILE\n"
		      "       | cat FILE | reread FILE | mkdir PATH | rmdir PATH | unlink PATH | creat PATH\n"
		      "       | rename A B\n",
		      stderr);
		return 2;
	}
	/* "cat" output ends where the file ends; every other command ends its line */
	if (strcmp(cmd, "cat"))
		putchar('\n');
	return 0;
}
