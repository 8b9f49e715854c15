// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The writer's file descriptors for v1's cgroup.event_control: the eventfd
 * is duplicated into the daemon with pidfd_getfd(2) and signalled from
 * there; the control file is identified from /proc/PID/fd/N's link, without
 * opening it (a handler runs under the engine lock, and any request on our
 * own mount from inside it would wait for that lock).
 *
 * A registration ends, as in the kernel, when the eventfd is closed: before
 * each signal the writer must still hold the same file at the same number
 * (kcmp(2)); otherwise the engine drops it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kcmp.h>
#include <poll.h>

#include "fs/fs.h"
#include "fs/inval.h"
#include "cftypes/cftype.h"
#include "engine/cgroup.h"

struct evfd_reg {
	int fd;		/* the daemon's duplicate of the eventfd */
	int pidfd;	/* the writer, to notice it exit */
	pid_t pid;
	int wfd;	/* the eventfd's number in the writer */
};

/* The link of the writer's fd: what it refers to. Return: 0 or -EBADF. */
static int writer_fd_link(pid_t pid, int wfd, char *buf, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, wfd);
	n = readlink(path, buf, size - 1);
	if (n < 0)
		return -EBADF;
	buf[n] = '\0';
	return 0;
}

static int fs_grab_eventfd(struct cft_ctx *ctx, int wfd, void **cookie)
{
	pid_t pid = alloc_tgid_of(ctx->writer_pid);
	struct evfd_reg *reg;
	char link[256];
	int pidfd, fd;

	if (wfd < 0 || writer_fd_link(pid, wfd, link, sizeof(link)))
		return -EBADF;
	if (strcmp(link, "anon_inode:[eventfd]"))
		return -EINVAL;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -EBADF;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, wfd, 0);
	if (fd < 0) {
		close(pidfd);
		return -EBADF;
	}
	reg = malloc(sizeof(*reg));
	if (!reg) {
		close(fd);
		close(pidfd);
		return -ENOMEM;
	}
	*reg = (struct evfd_reg){ .fd = fd, .pidfd = pidfd, .pid = pid, .wfd = wfd };
	*cookie = reg;
	return 0;
}

/* May the writer read a node with this mode and owner? (MAY_READ) */
static bool writer_may_read(const struct cft_ctx *ctx, const struct stat *st)
{
	if (ctx->writer_uid == 0)
		return true;
	if (st->st_uid == ctx->writer_uid)
		return st->st_mode & S_IRUSR;
	if (st->st_gid == ctx->writer_gid)
		return st->st_mode & S_IRGRP;
	return st->st_mode & S_IROTH;
}

static int fs_control_file(struct cft_ctx *ctx, int wfd, struct cgroup **cgp,
			   const struct cftype **cftp)
{
	struct memcgfs *fs = ctx->fs_data;
	pid_t pid = alloc_tgid_of(ctx->writer_pid);
	char link[4096], path[64], *rel, *part, *next;
	size_t len = strlen(fs->mountpoint);
	struct cgroup *cg = ctx->engine->root;
	const struct cftype *cft = NULL;
	struct statx stx;
	struct stat st;

	if (wfd < 0 || writer_fd_link(pid, wfd, link, sizeof(link)))
		return -EBADF;
	/*
	 * AT_STATX_DONT_SYNC makes FUSE answer from its cache: even when the
	 * file is on this very mount, no request comes back to us while we
	 * hold the engine lock.
	 */
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, wfd);
	if (statx(AT_FDCWD, path, AT_STATX_DONT_SYNC, STATX_MODE | STATX_UID | STATX_GID, &stx))
		return -EBADF;
	if (makedev(stx.stx_dev_major, stx.stx_dev_minor) != fs->dev) {
		/* not a control file; the kernel checks the writer may read it first */
		st.st_mode = stx.stx_mode;
		st.st_uid = stx.stx_uid;
		st.st_gid = stx.stx_gid;
		return writer_may_read(ctx, &st) ? -EINVAL : -EACCES;
	}
	/* one of ours: walk the tree by name below the mount point */
	if (strncmp(link, fs->mountpoint, len) || link[len] != '/')
		return -EINVAL;	/* reached through another mount of it: see memcgfs(8) */
	rel = link + len + 1;
	for (part = rel; (next = strchr(part, '/')); part = next + 1) {
		*next = '\0';
		cg = cgroup_lookup_child(cg, part);
		if (!cg)
			return -EINVAL;
	}
	cft = cft_lookup(ctx->engine, cg, part);
	if (!cft)
		return -EINVAL;
	memcgfs_file_attr(fs, cg, cft, &st);
	if (!writer_may_read(ctx, &st))
		return -EACCES;
	*cgp = cg;
	*cftp = cft;
	return 0;
}

const struct cft_fs_ops memcgfs_cft_fs_ops = {
	.grab_eventfd = fs_grab_eventfd,
	.control_file = fs_control_file,
};

static bool evfd_signal_now(struct evfd_reg *reg)
{
	struct pollfd pfd = { .fd = reg->pidfd, .events = POLLIN };
	uint64_t one = 1;

	/* the writer exited, or closed (or replaced) its eventfd: the registration is over */
	if (poll(&pfd, 1, 0) > 0 ||
	    syscall(SYS_kcmp, reg->pid, getpid(), KCMP_FILE, reg->wfd, reg->fd) != 0)
		return false;
	return write(reg->fd, &one, sizeof(one)) == sizeof(one);
}

static void evfd_signal_later(void *cookie)
{
	evfd_signal_now(cookie);
}

static void evfd_release_now(void *cookie)
{
	struct evfd_reg *reg = cookie;

	close(reg->fd);
	close(reg->pidfd);
	free(reg);
}

/*
 * In an rmdir the removal's signal (and the release after it) wait in the
 * invalidation queue behind the removed name (inval_call()): they happen
 * once the rmdir is answered and the name is gone, so that a listener
 * woken by it and looking for the directory finds it gone, as in the
 * kernel, whatever the kernel's dentry cache held.
 */
static bool evfd_signal(void *data, void *cookie)
{
	struct memcgfs *fs = data;

	if (fs->rmdir_events) {
		inval_call(fs, evfd_signal_later, cookie);
		return true;
	}
	return evfd_signal_now(cookie);
}

static void evfd_release(void *data, void *cookie)
{
	struct memcgfs *fs = data;

	if (fs->rmdir_events)
		inval_call(fs, evfd_release_now, cookie);
	else
		evfd_release_now(cookie);
}

const struct engine_event_ops memcgfs_event_ops = {
	.signal = evfd_signal,
	.release = evfd_release,
};
