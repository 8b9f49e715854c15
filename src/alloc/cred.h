/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The credentials of live processes, read from /proc as the daemon sees
 * them, and the kernel's rules memcgfs applies with them: may a writer move
 * a process (kernel/cgroup/cgroup.c, cgroup-v1.c) and could it signal it
 * itself (kernel/signal.c kill_ok_by_cred()). memcgfs really signals, stops
 * and charges the processes it holds, so no process is held for someone
 * who could not signal it.
 *
 * Reads are made safe against pid reuse by a handle that outlives the
 * read: a pidfd checked after reading, or a request the reader is still
 * blocked in.
 */
#ifndef MEMCGFS_CRED_H
#define MEMCGFS_CRED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Supplementary groups kept for the mode checks. Divergence: a process in
 * more groups is checked against its first TASK_CRED_NGROUPS only, which
 * can refuse, never grant.
 */
#define TASK_CRED_NGROUPS 32

/* task_struct->flags bits shown in /proc/PID/stat */
#define PF_KTHREAD		0x00200000
#define PF_NO_SETAFFINITY	0x04000000

/* capability numbers (linux/capability.h) */
#define TASK_CAP_DAC_OVERRIDE	1
#define TASK_CAP_KILL		5

struct task_cred {
	pid_t tgid;
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	gid_t groups[TASK_CRED_NGROUPS];
	int nr_groups;
	uint64_t cap_eff;
	bool own_userns;		/* in the daemon's user namespace: its capabilities count */
	unsigned int flags;		/* PF_* */
};

/**
 * task_cred_read() - the credentials of @pid (a thread or process id).
 * @pidfd: a pidfd of @pid's process, or -1; when given, @pid must still be
 *	that process once read (a reused pid fails).
 * Return: 0, or -ESRCH (no such process, or it exited while read).
 */
int task_cred_read(pid_t pid, int pidfd, struct task_cred *out);

/**
 * task_cred_of_ids() - credentials from ids alone (no capabilities), for a
 * writer whose /proc entry could not be read.
 */
void task_cred_of_ids(pid_t pid, uid_t uid, gid_t gid, struct task_cred *out);

/** task_cred_capable() - does @c have capability @cap where memcgfs runs? */
bool task_cred_capable(const struct task_cred *c, int cap);

/** task_cred_in_group() - is @gid @c's fsgid or one of its groups (in_group_p)? */
bool task_cred_in_group(const struct task_cred *c, gid_t gid);

/**
 * task_cred_may_write() - may @c write a file of @mode owned by @uid:@gid,
 * as generic_permission() decides for MAY_WRITE on a regular file?
 */
bool task_cred_may_write(const struct task_cred *c, unsigned int mode, uid_t uid, gid_t gid);

/**
 * task_cred_may_signal() - could @writer send @target a signal itself?
 * kill(2)'s rule (kill_ok_by_cred): the writer's real or effective uid is
 * the target's real or saved uid, or the writer has CAP_KILL.
 * Divergence: CAP_KILL counts only in the daemon's user namespace, which
 * for the target's namespace may refuse what the kernel allows, never the
 * reverse.
 */
bool task_cred_may_signal(const struct task_cred *writer, const struct task_cred *target);

/** task_cred_is_kthread() - a kernel thread, which no cgroup file may move. */
static inline bool task_cred_is_kthread(const struct task_cred *c)
{
	return c->flags & (PF_KTHREAD | PF_NO_SETAFFINITY);
}

#endif
