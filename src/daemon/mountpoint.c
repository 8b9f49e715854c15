// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The mount point: created when missing, refused when it cannot be served.
 * Mounting on a directory that is already a mount would stack a second
 * filesystem over the first (a second memcgfs would hide the first, whose
 * daemon would go on running, unseen, and write its --state later), and a
 * mount on a regular file gives every access EIO: both are refused with
 * the reason on one line.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/proto.h"
#include "daemon/mountpoint.h"

#define DOCUMENTED_MOUNTPOINT "/sys/fs/cgroup-sim"

/*
 * Is @real (a real path) a mount point? Fills @fstype and @source from the
 * last (topmost) mount there in /proc/self/mountinfo.
 */
static bool find_mount(const char *real, char *fstype, size_t fstype_size, char *source,
		       size_t source_size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, *dir, *sep, *save, *type, *src;
	size_t cap = 0;
	bool found = false;
	int i;

	if (!f)
		return false;
	while (getline(&line, &cap, f) > 0) {
		/* id parent major:minor root MOUNTPOINT options... - fstype source superoptions */
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		dir = strtok_r(line, " ", &save);
		for (i = 0; dir && i < 4; i++)
			dir = strtok_r(NULL, " ", &save);
		if (!dir)
			continue;
		ctl_unescape_mount_path(dir);
		if (strcmp(dir, real))
			continue;
		found = true;
		type = strtok_r(sep + 3, " \n", &save);
		src = type ? strtok_r(NULL, " \n", &save) : NULL;
		if (src)
			ctl_unescape_mount_path(src);
		snprintf(fstype, fstype_size, "%s", type ? type : "?");
		snprintf(source, source_size, "%s", src ? src : "?");
	}
	free(line);
	fclose(f);
	return found;
}

/* The inode of the unix socket bound to @path, from /proc/net/unix, or 0. */
static unsigned long socket_inode(const char *path)
{
	FILE *f = fopen("/proc/net/unix", "re");
	char line[PATH_MAX + 128], name[PATH_MAX];
	unsigned long inode, found = 0;

	if (!f)
		return 0;
	/* Num RefCount Protocol Flags Type St Inode Path */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %4095s", &inode, name) == 2 &&
		    !strcmp(name, path)) {
			found = inode;
			break;
		}
	fclose(f);
	return found;
}

pid_t mountpoint_daemon_pid(const char *sock)
{
	unsigned long inode = socket_inode(sock);
	char want[64], path[600], target[64];
	struct dirent *p, *fd;
	DIR *proc, *fds;
	pid_t pid = -1;
	ssize_t n;

	if (!inode)
		return -1;
	snprintf(want, sizeof(want), "socket:[%lu]", inode);
	proc = opendir("/proc");
	if (!proc)
		return -1;
	while (pid < 0 && (p = readdir(proc))) {
		if (p->d_name[0] < '1' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fd", p->d_name);
		fds = opendir(path);
		if (!fds)
			continue;	/* gone, or another user's */
		while ((fd = readdir(fds))) {
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, fd->d_name);
			n = readlink(path, target, sizeof(target) - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			if (!strcmp(target, want)) {
				pid = (pid_t)atoi(p->d_name);
				break;
			}
		}
		closedir(fds);
	}
	closedir(proc);
	return pid;
}

static int refuse_mounted(const char *path, const char *real)
{
	char fstype[256] = "?", source[1024] = "?", sock[108];
	pid_t pid;

	if (!find_mount(real, fstype, sizeof(fstype), source, sizeof(source)))
		return 0;
	if (strcmp(fstype, "fuse.memcgfs")) {
		fprintf(stderr, "memcgfs: %s is already a mount point (%s from %s): choose an empty "
				"directory\n", path, fstype, source);
		return -1;
	}
	pid = ctl_socket_path(real, sock, sizeof(sock)) ? -1 : mountpoint_daemon_pid(sock);
	if (pid > 0)
		fprintf(stderr, "memcgfs: %s is already mounted by memcgfs, pid %d: unmount it first "
				"(fusermount3 -u %s)\n", path, (int)pid, path);
	else
		fprintf(stderr, "memcgfs: %s is already mounted by another memcgfs, whose control socket "
				"this user cannot see: unmount it first (fusermount3 -u %s)\n", path, path);
	return -1;
}

int mountpoint_check(const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (stat(path, &st)) {
		if (errno == ENOTCONN) {
			fprintf(stderr, "memcgfs: %s: %s: the daemon that served this mount is gone; "
					"clear it with fusermount3 -u -z %s (as root: umount -l %s)\n",
				path, strerror(errno), path, path);
			return -1;
		}
		if (errno != ENOENT) {
			fprintf(stderr, "memcgfs: %s: %s\n", path, strerror(errno));
			return -1;
		}
		if (mkdir(path, 0755) == 0)
			return 0;
		if (!strcmp(path, DOCUMENTED_MOUNTPOINT))
			fprintf(stderr, "memcgfs: cannot create %s (%s): this system's /sys/fs does not take "
					"new directories; mount elsewhere, e.g. mkdir -p /run/cgroup-sim && "
					"memcgfs /run/cgroup-sim\n", path, strerror(errno));
		else
			fprintf(stderr, "memcgfs: cannot create mount point %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "memcgfs: %s is not a directory: mount memcgfs on a directory\n", path);
		return -1;
	}
	if (!realpath(path, real)) {
		fprintf(stderr, "memcgfs: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return refuse_mounted(path, real);
}
