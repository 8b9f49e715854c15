/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Control file types, as in the kernel's struct cftype: each entry names a
 * file, the cgroups it exists on, and its handlers. A handler parses text,
 * makes one engine call and formats text; it never sees FUSE. The tables
 * (memory_files.c, cgroup_files.c) are the one place that says which files
 * exist; registry.c walks them for the fs layer.
 *
 * Context: handlers run with engine->lock held.
 */
#ifndef MEMCGFS_CFTYPE_H
#define MEMCGFS_CFTYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "engine/memcg.h"
#include "engine/psi_trigger.h"
#include "alloc/cred.h"

struct alloc;
struct cft_ctx;
struct cftype;
struct cgroup;

enum cft_flags {
	CFT_NOT_ON_ROOT = 1 << 0,
	CFT_ONLY_ON_ROOT = 1 << 1,
	CFT_MEMORY = 1 << 2,		/* exists where the cgroup has a memcg */
	CFT_PSI = 1 << 3,		/* hidden while cgroup.pressure is 0 */
	CFT_SETTING = 1 << 4,		/* a setting: what it reads, written back, restores it */
	/*
	 * Writing it moves a process: the handler is given the credentials
	 * of whoever opened it for writing, as the kernel checks a
	 * migration with the file's f_cred, not the writer's.
	 */
	CFT_ATTACH = 1 << 5,
};

/* A growable text buffer for seq_show handlers. */
struct seqbuf {
	char *buf;
	size_t len;
	size_t size;
	bool overflow;			/* an allocation failed: -ENOMEM */
};

void seq_printf(struct seqbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_puts(struct seqbuf *s, const char *str);

/* State of one open file, for the files that keep some (peak, PSI triggers). */
struct cft_open_state {
	struct memcg *memcg;		/* a reference, for memory.peak/swap.peak */
	struct memcg_peak_fd peak;
	struct psi_trigger *psi_trigger;	/* a trigger written to a pressure file */
};

/*
 * What cgroup.event_control needs from the fs layer: the writer's file
 * descriptors, looked at without touching the mount (no FUSE request may be
 * made from inside a handler).
 */
struct cft_fs_ops {
	/*
	 * Take the writer's eventfd @wfd. Return: 0 with *cookie (an engine
	 * event cookie, see engine_event_ops), -EBADF (not open) or -EINVAL
	 * (not an eventfd).
	 */
	int (*grab_eventfd)(struct cft_ctx *ctx, int wfd, void **cookie);
	/*
	 * Which control file of this mount the writer's @wfd is. Return: 0,
	 * -EBADF (not open), -EACCES (the writer may not read it) or -EINVAL
	 * (not a file of this mount).
	 */
	int (*control_file)(struct cft_ctx *ctx, int wfd, struct cgroup **cg,
			    const struct cftype **cft);
};

/* What a handler is called with. */
struct cft_ctx {
	struct engine *engine;
	struct alloc *alloc;
	struct cgroup *cgroup;
	const struct cftype *cft;
	struct cft_open_state *state;
	int open_flags;			/* O_NONBLOCK matters to memory.max/high */
	pid_t writer_pid;
	uid_t writer_uid;
	gid_t writer_gid;
	/* CFT_ATTACH files: who opened the file; NULL when memcgfs writes itself */
	const struct task_cred *opener;
	const struct cft_fs_ops *fs;
	void *fs_data;
	/* set by a write: the simulated time it took (memory.reclaim's reclaim) */
	uint64_t busy_ns;
};

struct cftype {
	const char *name;
	unsigned int flags;
	unsigned long private;
	size_t max_write_len;		/* 0: one page, as kernfs allows */

	uint64_t (*read_u64)(struct cft_ctx *ctx);
	int (*seq_show)(struct cft_ctx *ctx, struct seqbuf *s);
	int (*write_u64)(struct cft_ctx *ctx, uint64_t val);
	/* @buf is NUL-terminated and may be modified; returns 0 or -errno */
	int (*write)(struct cft_ctx *ctx, char *buf, size_t nbytes);
	void (*release)(struct cft_ctx *ctx);
	/*
	 * Files the kernel notifies (cgroup_file_notify): a counter that
	 * changes with the file, so poll() can report POLLPRI until it is read.
	 */
	uint64_t (*generation)(struct cft_ctx *ctx);
	/*
	 * Files with a poll(2) of their own, as the PSI files (the kernel's
	 * cftype.poll, psi_trigger_poll()): the POLLERR/POLLPRI bits to add to
	 * the readable-writable mask, 0 while the poller should wait. With
	 * @consume, a reported event is used up.
	 */
	unsigned int (*poll)(struct cft_ctx *ctx, bool consume);
	/* which file it is to the engine's notifications (inotify IN_MODIFY) */
	enum engine_notify_file notify;
};

/* the tables */
extern const struct cftype memory_files[];	/* v2 */
extern const struct cftype swap_files[];	/* v2 */
extern const struct cftype cgroup_base_files[];	/* v2 core */
extern const struct cftype cgroup_psi_files[];	/* v2 core */
extern const struct cftype memory_v1_files[];	/* v1 legacy */
extern const struct cftype memsw_files[];	/* v1 */
extern const struct cftype cgroup1_base_files[];	/* v1 core */

/* registry.c */
static inline unsigned int cft_mode(const struct cftype *cft)
{
	return (cft->read_u64 || cft->seq_show ? 0444 : 0) | (cft->write_u64 || cft->write ? 0200 : 0);
}

/** cft_exists() - does @cft appear in @cg's directory now? */
bool cft_exists(const struct engine *e, const struct cgroup *cg, const struct cftype *cft);
/** cft_by_index() / cft_index() - a stable number for each cftype of the mode, for inodes. */
const struct cftype *cft_by_index(enum cgroup_mode mode, unsigned int index);
unsigned int cft_count(enum cgroup_mode mode);
unsigned int cft_index(enum cgroup_mode mode, const struct cftype *cft);
const struct cftype *cft_lookup(const struct engine *e, const struct cgroup *cg, const char *name);

/** cft_node() - the node of a cgroup that @cft is, for cgroup_node_attr() (0 is the directory). */
static inline unsigned int cft_node(enum cgroup_mode mode, const struct cftype *cft)
{
	return cft_index(mode, cft) + 1;
}
/** cft_name_is_file() - is @name a control file name of the mode (for mkdir's EEXIST)? */
bool cft_name_taken(const struct engine *e, const struct cgroup *cg, const char *name);

/**
 * cft_read() - render the file into @s. Return: 0 or -errno (-EINVAL with
 * no read handler, as cgroupfs answers root).
 */
int cft_read(struct cft_ctx *ctx, struct seqbuf *s);
/**
 * cft_write() - one write(2): @buf holds @nbytes plus a NUL the caller added.
 * Return: @nbytes or -errno.
 */
ssize_t cft_write(struct cft_ctx *ctx, char *buf, size_t nbytes);
void cft_release(struct cft_ctx *ctx);

/**
 * cft_attach_pid() - move the process @pid (0: the writer) into
 * ctx->cgroup, as a write to cgroup.procs (@threadgroup) or cgroup.threads
 * and v1's tasks does, checked with ctx->opener's credentials.
 * Return: 0, -ESRCH, -EINVAL (a kernel thread), -EACCES (the kernel's
 * rules), -EPERM (a process the opener could not signal), -EBUSY,
 * -EOPNOTSUPP (a thread out of its domain), -ENOMEM.
 */
int cft_attach_pid(struct cft_ctx *ctx, int pid, bool threadgroup);

/* cgroup.event_control (event_control.c) */
int cft_event_control_write(struct cft_ctx *ctx, char *buf, size_t nbytes);

/* shared show helpers */
void seq_show_pages_or_max(struct seqbuf *s, unsigned long pages);

#endif
