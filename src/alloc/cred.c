// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Process credentials from /proc and the kernel's checks on them (see
 * cred.h).
 *
 * May include: libc, Linux syscalls, alloc/. Never FUSE, JSON or the engine.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc/cred.h"

/* The daemon's own user namespace, by inode (0: unknown, nothing counts). */
static ino_t self_userns(void)
{
	static ino_t ino;
	struct stat st;

	if (!ino && !stat("/proc/self/ns/user", &st))
		ino = st.st_ino;
	return ino;
}

/* The file @name under the /proc directory @dirfd, whole, NUL-terminated. */
static int read_proc(int dirfd, const char *name, char *buf, size_t size)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -ESRCH;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	return len ? 0 : -ESRCH;
}

/* "Key:\t1\t2\t3\t4" */
static bool four_ids(const char *status, const char *key, unsigned int ids[4])
{
	const char *p = strstr(status, key);

	return p && sscanf(p + strlen(key), "%u %u %u %u", &ids[0], &ids[1], &ids[2], &ids[3]) == 4;
}

static int parse_status(const char *status, struct task_cred *c)
{
	unsigned int ids[4];
	const char *p;
	int tgid;

	if (!(p = strstr(status, "\nTgid:")) || sscanf(p + 6, "%d", &tgid) != 1)
		return -ESRCH;
	c->tgid = tgid;
	if (!four_ids(status, "\nUid:", ids))
		return -ESRCH;
	c->uid = ids[0], c->euid = ids[1], c->suid = ids[2], c->fsuid = ids[3];
	if (!four_ids(status, "\nGid:", ids))
		return -ESRCH;
	c->gid = ids[0], c->egid = ids[1], c->sgid = ids[2], c->fsgid = ids[3];
	if (!(p = strstr(status, "\nCapEff:")) || sscanf(p + 8, "%" SCNx64, &c->cap_eff) != 1)
		return -ESRCH;
	c->nr_groups = 0;
	p = strstr(status, "\nGroups:");
	if (p) {
		char *end;

		for (p += 8; c->nr_groups < TASK_CRED_NGROUPS; p = end) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			c->groups[c->nr_groups++] = (gid_t)g;
		}
	}
	return 0;
}

/* The flags field of /proc/PID/stat: the ninth, counted after the comm's ')' */
static int parse_stat_flags(const char *stat, unsigned int *flags)
{
	const char *p = strrchr(stat, ')');
	int i;

	if (!p)
		return -ESRCH;
	for (i = 0; i < 7 && p; i++)
		p = strchr(p + 1, ' ');
	return p && sscanf(p, "%u", flags) == 1 ? 0 : -ESRCH;
}

int task_cred_read(pid_t pid, int pidfd, struct task_cred *out)
{
	char path[32], status[4096], stat[1024];
	struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
	struct stat ns;
	int dirfd, ret;

	memset(out, 0, sizeof(*out));
	if (pid <= 0)
		return -ESRCH;
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	/* reads through this directory fail once its task is gone, even if the pid is reused */
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -ESRCH;
	ret = read_proc(dirfd, "status", status, sizeof(status));
	if (!ret)
		ret = parse_status(status, out);
	if (!ret)
		ret = read_proc(dirfd, "stat", stat, sizeof(stat));
	if (!ret)
		ret = parse_stat_flags(stat, &out->flags);
	if (!ret)
		out->own_userns = !fstatat(dirfd, "ns/user", &ns, 0) && ns.st_ino == self_userns();
	close(dirfd);
	/* the pidfd's process has not exited: the pid we read was still its */
	if (!ret && pidfd >= 0 && poll(&pfd, 1, 0) != 0)
		ret = -ESRCH;
	return ret;
}

void task_cred_of_ids(pid_t pid, uid_t uid, gid_t gid, struct task_cred *out)
{
	memset(out, 0, sizeof(*out));
	out->tgid = pid;
	out->uid = out->euid = out->suid = out->fsuid = uid;
	out->gid = out->egid = out->sgid = out->fsgid = gid;
}

bool task_cred_capable(const struct task_cred *c, int cap)
{
	return c->own_userns && (c->cap_eff >> cap) & 1;
}

bool task_cred_in_group(const struct task_cred *c, gid_t gid)
{
	int i;

	if (c->fsgid == gid)
		return true;
	for (i = 0; i < c->nr_groups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool task_cred_may_write(const struct task_cred *c, unsigned int mode, uid_t uid, gid_t gid)
{
	unsigned int bits;

	if (c->fsuid == uid)
		bits = mode >> 6;
	else if (task_cred_in_group(c, gid))
		bits = mode >> 3;
	else
		bits = mode;
	return (bits & 2) || task_cred_capable(c, TASK_CAP_DAC_OVERRIDE);
}

bool task_cred_may_signal(const struct task_cred *w, const struct task_cred *t)
{
	return w->euid == t->suid || w->euid == t->uid || w->uid == t->suid || w->uid == t->uid ||
	       task_cred_capable(w, TASK_CAP_KILL);
}
