// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The supervisor of `memcgctl run` (see supervisor.h). The program's filter
 * sends it statfs, fstatfs, open and openat; it answers:
 *
 *  - statfs/fstatfs of a file on the memcgfs mount: the real statfs, with
 *    f_type CGROUP2_SUPER_MAGIC (v2) or CGROUP_SUPER_MAGIC (v1), written into
 *    the program's buffer. (v1's tmpfs above it is a real tmpfs already.)
 *  - an open for reading of /proc/PID/mountinfo, /proc/PID/mounts,
 *    /proc/PID/cgroup (PID: self, thread-self, or one of the run's
 *    processes) or /proc/cgroups: a file holding the text procview.c makes
 *    of the real one, put into the program's file table with
 *    SECCOMP_IOCTL_NOTIF_ADDFD as the call's result.
 *  - anything else: SECCOMP_USER_NOTIF_FLAG_CONTINUE, the kernel's own answer.
 *
 * As seccomp_unotify(2) warns, what is read from the program's memory (a
 * path) may change under us: the program can only fool itself with it, as
 * the answers give it nothing the user running it could not read anyway.
 * Before acting on what was read, SECCOMP_IOCTL_NOTIF_ID_VALID checks that
 * the process that asked still waits (its pid was not reused).
 *
 * The program's files are reached through /proc/PID/root, /proc/PID/cwd and
 * /proc/PID/fd, so paths resolve in its mount namespace, not ours.
 *
 * May include: libc, ctl/proto.h, run/.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "run/supervisor.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif
#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif

/* The files the supervisor answers for. */
enum proc_file {
	PROC_OTHER,
	PROC_MOUNTINFO,
	PROC_MOUNTS,
	PROC_CGROUP,
	PROC_CGROUPS,
};

int supervisor_init(struct supervisor *s)
{
	struct seccomp_notif_sizes sizes;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes))
		return -errno;
	/* the kernel may have grown the structures: take the larger size */
	s->notif_size = sizes.seccomp_notif > sizeof(struct seccomp_notif) ?
			sizes.seccomp_notif : sizeof(struct seccomp_notif);
	s->resp_size = sizes.seccomp_notif_resp > sizeof(struct seccomp_notif_resp) ?
		       sizes.seccomp_notif_resp : sizeof(struct seccomp_notif_resp);
	s->notif = calloc(1, s->notif_size);
	s->resp = calloc(1, s->resp_size);
	if (!s->notif || !s->resp)
		return -ENOMEM;
	return 0;
}

void supervisor_destroy(struct supervisor *s)
{
	free(s->notif);
	free(s->resp);
	s->notif = s->resp = NULL;
	ctl_reader_free(&s->reader);
}

static bool id_valid(const struct supervisor *s, uint64_t id)
{
	return ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/* Answer @id: @error (negative errno) or @val; or let the kernel do the call. */
static void respond(struct supervisor *s, uint64_t id, long long val, int error, bool cont)
{
	struct seccomp_notif_resp *r = s->resp;

	memset(r, 0, s->resp_size);
	r->id = id;
	r->val = cont ? 0 : val;
	r->error = cont ? 0 : error;
	r->flags = cont ? SECCOMP_USER_NOTIF_FLAG_CONTINUE : 0;
	/* ENOENT: the caller went away (a signal, death): nothing to answer */
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, r);
}

static void respond_continue(struct supervisor *s, uint64_t id)
{
	respond(s, id, 0, 0, true);
}

/*
 * A NUL-terminated string at @addr in @pid's memory, read a page at a time
 * so that the end of a mapping right after it is no failure.
 * Return: 0, or -errno (-ENAMETOOLONG when @size is not enough).
 */
static int read_string(pid_t pid, uint64_t addr, char *buf, size_t size)
{
	size_t done = 0, page = (size_t)sysconf(_SC_PAGESIZE);

	while (done < size) {
		size_t chunk = page - (size_t)((addr + done) % page);
		struct iovec local, remote;
		ssize_t n;

		if (chunk > size - done)
			chunk = size - done;
		local.iov_base = buf + done;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)(addr + done);
		remote.iov_len = chunk;
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return n < 0 ? -errno : -EFAULT;
		if (memchr(buf + done, '\0', (size_t)n))
			return 0;
		done += (size_t)n;
	}
	return -ENAMETOOLONG;
}

/* A line of /proc/PID/status (or stat) as a number; -1 if absent. */
static pid_t status_field(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t n = strlen(key);
	pid_t value = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			value = (pid_t)atoi(line + n + 1);
			break;
		}
	fclose(f);
	return value;
}

static pid_t tgid_of(pid_t tid)
{
	pid_t tgid = status_field(tid, "Tgid");

	return tgid > 0 ? tgid : tid;
}

/*
 * @pid and its ancestors up to the run's first process (or the supervisor,
 * which adopts orphans), into @chain. Return: their number, 0 when @pid
 * is none of the run's.
 */
static size_t ancestry(const struct supervisor *s, pid_t pid, pid_t *chain, size_t max)
{
	size_t n = 0;

	while (pid > 1 && n < max) {
		if (pid == s->self)
			return n;
		chain[n++] = pid;
		if (pid == s->top)
			return n;
		pid = status_field(pid, "PPid");
	}
	return 0;
}

/*
 * The cgroup of @tgid, by the daemon: its own or, for a child of the run the
 * tree does not list, its nearest listed ancestor's. Without an answer: for
 * the run's processes the cgroup the run started in, for any other the root,
 * where a kernel has every process no one moved.
 */
static char *cgroup_of(struct supervisor *s, pid_t tgid)
{
	struct json_object *req, *reply = NULL, *pids, *v;
	pid_t chain[64];
	size_t n = ancestry(s, tgid, chain, 64), i;
	const char *fallback = n ? s->cgroup : "/";
	char *path = NULL;

	if (!n)
		chain[n++] = tgid;

	req = json_object_new_object();
	pids = json_object_new_array();
	json_object_object_add(req, "cmd", json_object_new_string("whereis"));
	for (i = 0; i < n; i++)
		json_object_array_add(pids, json_object_new_int(chain[i]));
	json_object_object_add(req, "pids", pids);
	if (s->daemon_fd >= 0 && !ctl_send(s->daemon_fd, req) &&
	    !ctl_recv(s->daemon_fd, &s->reader, s->timeout_ms, &reply) &&
	    json_object_object_get_ex(reply, "ok", &v) && json_object_get_boolean(v) &&
	    json_object_object_get_ex(reply, "cgroup", &v))
		path = strdup(json_object_get_string(v));
	json_object_put(reply);
	json_object_put(req);
	return path ? path : strdup(fallback);
}

/* The whole of a /proc file; NULL with errno set. */
static char *read_whole(const char *path)
{
	char *buf = NULL, chunk[8192];
	size_t size = 0;
	FILE *out, *in = fopen(path, "re");
	size_t n;

	if (!in)
		return NULL;
	out = open_memstream(&buf, &size);
	if (!out) {
		fclose(in);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		fwrite(chunk, 1, n, out);
	fclose(in);
	if (fclose(out)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static unsigned long nr_dirs;

static int count_dir(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)st;
	(void)ftw;
	if (type == FTW_D)
		nr_dirs++;
	return 0;
}

/* The cgroups of the tree, its root included, as /proc/cgroups counts them. */
static unsigned long count_cgroups(const struct supervisor *s)
{
	nr_dirs = 0;
	nftw(s->mount, count_dir, 16, FTW_PHYS | FTW_MOUNT);
	return nr_dirs ? nr_dirs : 1;
}

/* The text the program reads for @file of process @tgid; NULL with errno. */
static char *render(struct supervisor *s, enum proc_file file, pid_t tgid)
{
	char path[64], *real, *text = NULL, *cg;

	switch (file) {
	case PROC_MOUNTINFO:
	case PROC_MOUNTS:
		snprintf(path, sizeof(path), "/proc/%d/%s", tgid,
			 file == PROC_MOUNTINFO ? "mountinfo" : "mounts");
		real = read_whole(path);
		if (!real)
			return NULL;
		text = file == PROC_MOUNTINFO ? procview_mountinfo(&s->view, real) :
						procview_mounts(&s->view, real);
		free(real);
		break;
	case PROC_CGROUP:
		cg = cgroup_of(s, tgid);
		if (cg)
			text = procview_cgroup(&s->view, cg, s->nsroot);
		free(cg);
		break;
	case PROC_CGROUPS:
		real = read_whole("/proc/cgroups");
		if (!real)
			return NULL;
		text = procview_cgroups(&s->view, real, count_cgroups(s));
		free(real);
		break;
	case PROC_OTHER:
		break;
	}
	if (!text)
		errno = ENOMEM;
	return text;
}

/*
 * @path made absolute and lexically clean (".", ".." and "//" resolved),
 * in place in @out. Return: false if it is too long.
 */
static bool clean_path(const char *base, const char *path, char *out, size_t size)
{
	char joined[PATH_MAX * 2];
	char *comp, *save = NULL;
	size_t len = 0;

	if (path[0] == '/')
		snprintf(joined, sizeof(joined), "%s", path);
	else if (snprintf(joined, sizeof(joined), "%s/%s", base, path) >= (int)sizeof(joined))
		return false;
	out[0] = '\0';
	for (comp = strtok_r(joined, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			char *slash = strrchr(out, '/');

			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
			continue;
		}
		if (len + 1 + strlen(comp) + 1 > size)
			return false;
		out[len++] = '/';
		strcpy(out + len, comp);
		len += strlen(comp);
	}
	if (!len)
		snprintf(out, size, "/");
	return true;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static enum proc_file file_named(const char *name)
{
	if (!strcmp(name, "mountinfo"))
		return PROC_MOUNTINFO;
	if (!strcmp(name, "mounts"))
		return PROC_MOUNTS;
	if (!strcmp(name, "cgroup"))
		return PROC_CGROUP;
	return PROC_OTHER;
}

/*
 * Which of the answered files clean path @path names, and of which process:
 * *tgid gets it (the caller @tgid for self and thread-self).
 */
static enum proc_file classify(const struct supervisor *s, const char *path, pid_t caller, pid_t *tgid)
{
	char copy[PATH_MAX], *c[6], *save = NULL, *comp;
	pid_t chain[64];
	int n = 0;
	pid_t who;

	snprintf(copy, sizeof(copy), "%s", path);
	for (comp = strtok_r(copy, "/", &save); comp && n < 6; comp = strtok_r(NULL, "/", &save))
		c[n++] = comp;
	if (comp || n < 2 || strcmp(c[0], "proc"))
		return PROC_OTHER;
	*tgid = caller;
	if (n == 2) {
		if (!strcmp(c[1], "mounts"))
			return PROC_MOUNTS;
		if (!strcmp(c[1], "cgroups"))
			return PROC_CGROUPS;
		return PROC_OTHER;
	}
	/* /proc/WHO/FILE or /proc/WHO/task/TID/FILE */
	if (n != 3 && !(n == 5 && !strcmp(c[2], "task") && all_digits(c[3])))
		return PROC_OTHER;
	if (!strcmp(c[1], "self")) {
		who = caller;
	} else if (!strcmp(c[1], "thread-self") && n == 3) {
		who = caller;
	} else if (all_digits(c[1])) {
		who = tgid_of(atoi(c[1]));
		/* another process's mounts are its namespace's: the real file */
		if (strcmp(c[n - 1], "cgroup") && !ancestry(s, who, chain, 64))
			return PROC_OTHER;
	} else {
		return PROC_OTHER;
	}
	*tgid = who;
	return file_named(c[n - 1]);
}

/* The directory @dirfd of @tid names (AT_FDCWD: its cwd), into @buf. */
static bool dir_of(pid_t tid, int dirfd, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	if (dirfd == AT_FDCWD)
		snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
	else
		snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, dirfd);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

/* open(path, flags) or openat(dirfd, path, flags) */
static void handle_open(struct supervisor *s, const struct seccomp_notif *n, int dirfd,
			uint64_t path_addr, uint64_t flags)
{
	char path[PATH_MAX], base[PATH_MAX] = "/", clean[PATH_MAX], fdpath[64];
	enum proc_file file;
	pid_t tgid;
	char *text;
	int memfd, ro, ret;

	/* only a plain read of a file is answered; the rest is the kernel's */
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_PATH | O_DIRECTORY | O_CREAT | O_TMPFILE)))
		goto cont;
	if (read_string((pid_t)n->pid, path_addr, path, sizeof(path)))
		goto cont;
	if (path[0] != '/') {
		if (!dir_of((pid_t)n->pid, dirfd, base, sizeof(base)) ||
		    (strcmp(base, "/proc") && strncmp(base, "/proc/", 6)))
			goto cont;
	}
	if (!clean_path(base, path, clean, sizeof(clean)))
		goto cont;
	file = classify(s, clean, tgid_of((pid_t)n->pid), &tgid);
	if (file == PROC_OTHER)
		goto cont;
	if (!id_valid(s, n->id))
		return;
	text = render(s, file, tgid);
	if (!text) {
		respond(s, n->id, 0, -errno, false);
		return;
	}
	memfd = memfd_create("memcgctl-run", MFD_CLOEXEC);
	if (memfd < 0 || write(memfd, text, strlen(text)) != (ssize_t)strlen(text)) {
		ret = -errno;
		free(text);
		if (memfd >= 0)
			close(memfd);
		respond(s, n->id, 0, ret ? ret : -EIO, false);
		return;
	}
	free(text);
	/* a read-only open of it: the program may not write what it reads */
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", memfd);
	ro = open(fdpath, O_RDONLY | O_CLOEXEC);
	close(memfd);
	if (ro < 0) {
		respond(s, n->id, 0, -errno, false);
		return;
	}
	{
		struct seccomp_notif_addfd addfd = {
			.id = n->id,
			.flags = SECCOMP_ADDFD_FLAG_SEND,
			.srcfd = (uint32_t)ro,
			.newfd_flags = (uint32_t)(flags & O_CLOEXEC),
		};

		/* the new fd is the call's result; ENOENT: the caller is gone */
		ret = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &addfd);
		if (ret < 0 && errno != ENOENT)
			respond(s, n->id, 0, -errno, false);
	}
	close(ro);
	return;
cont:
	respond_continue(s, n->id);
}

/* statfs(path, buf) or fstatfs(fd, buf) */
static void handle_statfs(struct supervisor *s, const struct seccomp_notif *n, bool by_fd)
{
	char path[PATH_MAX], where[PATH_MAX + 64];
	struct statfs sfs;
	struct stat st;
	struct iovec local, remote;

	if (by_fd) {
		snprintf(where, sizeof(where), "/proc/%d/fd/%d", n->pid, (int)n->data.args[0]);
	} else {
		if (read_string((pid_t)n->pid, n->data.args[0], path, sizeof(path)))
			goto cont;
		snprintf(where, sizeof(where), "/proc/%d/%s/%s", n->pid, path[0] == '/' ? "root" : "cwd",
			 path);
	}
	if (!id_valid(s, n->id))
		return;
	/* not on the tree (or not there at all): the kernel answers */
	if (stat(where, &st) || st.st_dev != s->tree_dev || statfs(where, &sfs))
		goto cont;
	sfs.f_type = s->view.v1 ? CGROUP_SUPER_MAGIC : CGROUP2_SUPER_MAGIC;
	local.iov_base = &sfs;
	local.iov_len = sizeof(sfs);
	remote.iov_base = (void *)(uintptr_t)n->data.args[1];
	remote.iov_len = sizeof(sfs);
	if (!id_valid(s, n->id))
		return;
	if (process_vm_writev((pid_t)n->pid, &local, 1, &remote, 1, 0) != (ssize_t)sizeof(sfs)) {
		respond(s, n->id, 0, -EFAULT, false);
		return;
	}
	respond(s, n->id, 0, 0, false);
	return;
cont:
	respond_continue(s, n->id);
}

int supervisor_handle(struct supervisor *s)
{
	struct seccomp_notif *n = s->notif;

	memset(n, 0, s->notif_size);
	if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, n))
		return errno == ENOENT || errno == EINTR ? 0 : -errno;
	switch (n->data.nr) {
	case SYS_statfs:
		handle_statfs(s, n, false);
		break;
	case SYS_fstatfs:
		handle_statfs(s, n, true);
		break;
#ifdef SYS_open
	case SYS_open:
		handle_open(s, n, AT_FDCWD, n->data.args[0], n->data.args[1]);
		break;
#endif
	case SYS_openat:
		handle_open(s, n, (int)n->data.args[0], n->data.args[1], n->data.args[2]);
		break;
	default:
		respond_continue(s, n->id);
		break;
	}
	return 0;
}
