// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * inotify IN_MODIFY for the files the kernel notifies (see notify.h for
 * why a helper process truncates them through the mount).
 *
 * The daemon side: notifier_queue() records a file as due, under the
 * notifier's own lock (taken inside the engine lock, never the other way
 * round); one thread sends due paths to the helper over a socket and waits
 * for its answer, holding no lock, while the FUSE threads serve the
 * helper's LOOKUP, GETATTR and SETATTR.
 *
 * The helper: forked before the daemon has other threads, it keeps only
 * its socket, dies with the daemon (PR_SET_PDEATHSIG), enters a user
 * namespace when not root, and for each path opens it O_PATH (no OPEN
 * request, no IN_OPEN), checks that it is a regular file of this mount,
 * and truncates it through /proc/self/fd/N: the kernel's do_truncate()
 * raises IN_MODIFY on the file and on its watched directory, as
 * kernfs_notify_workfn() does.
 *
 * May include: libc, common/.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/list.h"
#include "common/macro.h"
#include "fs/notify.h"

/* CGROUP_FILE_NOTIFY_MIN_INTV: DIV_ROUND_UP(HZ, 100) jiffies, 10 ms */
#define NOTIFY_MIN_INTV_NS 10000000ULL

/* One file notified lately or due to be. */
struct notify_entry {
	struct list_head node;
	uint64_t key;
	uint64_t notified_at;	/* monotonic ns; 0: never */
	uint64_t due;		/* when pending: not before this */
	bool pending;
	char path[];
};

struct notifier {
	pthread_mutex_t lock;
	pthread_cond_t cond;		/* a notification is due, or stop */
	struct list_head entries;	/* protected by lock */
	bool stop;			/* protected by lock */
	bool thread_started;
	pthread_t thread;
	int sock;			/* the daemon's end */
	pid_t pid;			/* the helper */
	dev_t dev;
	char mountpoint[PATH_MAX];
};


/* ---- the helper process ---- */

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -EPERM;
}

/*
 * Become root of a user namespace of our own, our uid and gid mapped to 0:
 * there CAP_DAC_OVERRIDE covers the files we own on the mount, which are
 * 0444 (privileged_wrt_inode_uidgid()). Return: 0 or -errno.
 */
static int enter_user_namespace(void)
{
	char map[64];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int ret;

	if (unshare(CLONE_NEWUSER))
		return -errno;
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)uid);
	ret = write_file("/proc/self/uid_map", map);
	if (!ret)
		ret = write_file("/proc/self/setgroups", "deny\n");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)gid);
	if (!ret)
		ret = write_file("/proc/self/gid_map", map);
	return ret;
}

/* Truncate @path if it is a regular file of our mount. Return: 0 or an errno. */
static int helper_notify_one(const char *path, dev_t dev)
{
	char proc[64];
	struct statx stx;
	int fd, err = 0;

	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno;
	/* type and device come from the inode: no request to the daemon */
	if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_TYPE, &stx)) {
		err = errno;
	} else if (!S_ISREG(stx.stx_mode) || makedev(stx.stx_dev_major, stx.stx_dev_minor) != dev) {
		err = EXDEV;	/* unmounted meanwhile: never touch what is underneath */
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (truncate(proc, 0))
			err = errno;
	}
	close(fd);
	return err;
}

static void __attribute__((noreturn)) helper_main(int sock, pid_t parent, dev_t dev)
{
	char path[PATH_MAX + 1];
	int ret;

	/* die with the daemon; a signal meant for it (^C) is its to handle */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* keep nothing of the daemon's: above all not /dev/fuse */
	if (sock != 3) {
		if (dup2(sock, 3) < 0)
			_exit(1);
		sock = 3;
	}
	close_range(4, ~0U, 0);
	if (geteuid() != 0) {
		ret = enter_user_namespace();
		if (ret)
			fprintf(stderr, "memcgfs: no user namespace for the inotify helper (%s): "
				"IN_MODIFY only on files the user may write\n", strerror(-ret));
	}
	for (;;) {
		ssize_t n = recv(sock, path, sizeof(path), 0);
		int err;

		if (n <= 0)
			_exit(0);	/* the daemon is done; _exit: nothing of its to flush */
		path[MIN((size_t)n, sizeof(path)) - 1] = '\0';
		err = helper_notify_one(path, dev);
		if (send(sock, &err, sizeof(err), MSG_NOSIGNAL) != sizeof(err))
			_exit(0);
	}
}

/* ---- the daemon's side ---- */

/* Hand one path to the helper and wait for it. Return: false when the helper is gone. */
static bool notify_through_helper(struct notifier *n, const char *rel)
{
	char path[PATH_MAX + 1];
	int err;

	if (snprintf(path, sizeof(path), "%s/%s", n->mountpoint, rel) >= (int)sizeof(path))
		return true;
	if (send(n->sock, path, strlen(path) + 1, MSG_NOSIGNAL) < 0)
		return false;
	return recv(n->sock, &err, sizeof(err), 0) == sizeof(err);
}

/* The due entry to notify first, or NULL; *wake: when to look again. Context: n->lock. */
static struct notify_entry *next_due(struct notifier *n, uint64_t now, uint64_t *wake)
{
	struct notify_entry *e, *tmp, *best = NULL;

	*wake = UINT64_MAX;
	list_for_each_entry_safe(e, tmp, &n->entries, node) {
		if (!e->pending) {
			/* past its interval it limits nothing: forget it */
			if (e->notified_at + NOTIFY_MIN_INTV_NS < now) {
				list_del_init(&e->node);
				free(e);
			} else {
				*wake = MIN(*wake, e->notified_at + NOTIFY_MIN_INTV_NS + 1);
			}
			continue;
		}
		if (e->due <= now) {
			if (!best || e->due < best->due)
				best = e;
		} else {
			*wake = MIN(*wake, e->due);
		}
	}
	return best;
}

static void *notifier_loop(void *arg)
{
	struct notifier *n = arg;
	bool helper_alive = true;
	char *path = NULL;

	pthread_mutex_lock(&n->lock);
	while (!n->stop) {
		uint64_t now = monotonic_ns(), wake;
		struct notify_entry *e = next_due(n, now, &wake);

		if (!e) {
			struct timespec ts = { .tv_sec = (time_t)(wake / 1000000000ULL),
					       .tv_nsec = (long)(wake % 1000000000ULL) };

			if (wake == UINT64_MAX)
				pthread_cond_wait(&n->cond, &n->lock);
			else
				pthread_cond_timedwait(&n->cond, &n->lock, &ts);
			continue;
		}
		e->pending = false;
		e->notified_at = now;
		if (!helper_alive)
			continue;
		path = strdup(e->path);
		pthread_mutex_unlock(&n->lock);
		if (path && !notify_through_helper(n, path)) {
			helper_alive = false;
			fprintf(stderr, "memcgfs: the inotify helper has ended: no more IN_MODIFY\n");
		}
		free(path);
		pthread_mutex_lock(&n->lock);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

void notifier_queue(struct notifier *n, uint64_t key, const char *path, bool ratelimit)
{
	struct notify_entry *e;
	uint64_t now;

	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	now = monotonic_ns();
	list_for_each_entry(e, &n->entries, node)
		if (e->key == key)
			goto found;
	e = malloc(sizeof(*e) + strlen(path) + 1);
	if (!e)
		goto out_unlock;	/* a lost notification, as under memory pressure */
	*e = (struct notify_entry){ .key = key };
	strcpy(e->path, path);
	list_add_tail(&e->node, &n->entries);
found:
	if (!e->pending) {
		e->pending = true;
		/* within the interval: one notification at its end (timer_reduce) */
		e->due = ratelimit && e->notified_at && now <= e->notified_at + NOTIFY_MIN_INTV_NS ?
			 e->notified_at + NOTIFY_MIN_INTV_NS + 1 : now;
		pthread_cond_signal(&n->cond);
	}
out_unlock:
	pthread_mutex_unlock(&n->lock);
}

pid_t notifier_pid(const struct notifier *n)
{
	return n ? n->pid : 0;
}

int notifier_start(const char *mountpoint, dev_t dev, struct notifier **out)
{
	struct notifier *n = calloc(1, sizeof(*n));
	pthread_condattr_t attr;
	pid_t parent = getpid();
	sigset_t all, old;
	int sv[2], ret;

	if (!n)
		return -ENOMEM;
	snprintf(n->mountpoint, sizeof(n->mountpoint), "%s", mountpoint);
	n->dev = dev;
	INIT_LIST_HEAD(&n->entries);
	pthread_mutex_init(&n->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&n->cond, &attr);
	pthread_condattr_destroy(&attr);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		ret = -errno;
		goto out_free;
	}
	n->pid = fork();
	if (n->pid < 0) {
		ret = -errno;
		close(sv[0]);
		close(sv[1]);
		goto out_free;
	}
	if (n->pid == 0)
		helper_main(sv[1], parent, dev);
	close(sv[1]);
	n->sock = sv[0];
	/* signals are the main thread's, where libfuse's handlers expect them */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = -pthread_create(&n->thread, NULL, notifier_loop, n);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		n->thread_started = false;
		notifier_stop(n);
		return ret;
	}
	n->thread_started = true;
	*out = n;
	return 0;

out_free:
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
	free(n);
	return ret;
}

void notifier_stop(struct notifier *n)
{
	struct notify_entry *e, *tmp;

	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	n->stop = true;
	pthread_cond_signal(&n->cond);
	pthread_mutex_unlock(&n->lock);
	/*
	 * The helper may wait in a request nobody will answer now: kill it
	 * (a FUSE request is killable), which also ends the thread's wait.
	 */
	kill(n->pid, SIGKILL);
	if (n->thread_started)
		pthread_join(n->thread, NULL);
	waitpid(n->pid, NULL, 0);
	close(n->sock);
	list_for_each_entry_safe(e, tmp, &n->entries, node)
		free(e);
	pthread_cond_destroy(&n->cond);
	pthread_mutex_destroy(&n->lock);
	free(n);
}
