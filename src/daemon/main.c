// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * memcgfs: the daemon. Parses the options of the user's contract (memcgfs.8),
 * builds the simulated machine, starts the control socket's service thread
 * and runs the FUSE session, multi-threaded, until unmounted or signalled
 * (SIGINT, SIGTERM, fusermount3 -u), then tears everything down in reverse.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "fs/fs.h"
#include "fs/notify.h"
#include "fs/inval.h"
#include "fs/pagecache.h"
#include "ctl/proto.h"
#include "ctl/server.h"
#include "ctl/scenario.h"
#include "ctl/state.h"
#include "daemon/mountpoint.h"
#include "engine/memparse.h"

/*
 * The kernel may keep names and attributes this long: the daemon tells it
 * of every change (fs/inval.c), so the limit only bounds what a lost
 * notification could cost.
 */
#define MEMCGFS_DEFAULT_TIMEOUT 86400.0

struct options {
	char *mode;
	char *ram;
	char *swap;
	int nodes;
	char *clock;
	char *thp;
	char *scenario;
	char *state;
	int recursiveprot;
	int localevents;
	int hugetlb_accounting;
	int page_cache;
	double timeout;
};

#define OPT(t, p) { t, offsetof(struct options, p), 1 }
static const struct fuse_opt option_spec[] = {
	OPT("--mode=%s", mode),
	OPT("--ram=%s", ram),
	OPT("--swap=%s", swap),
	OPT("--nodes=%d", nodes),
	OPT("--clock=%s", clock),
	OPT("--thp=%s", thp),
	OPT("--scenario=%s", scenario),
	OPT("--state=%s", state),
	OPT("--page-cache", page_cache),
	OPT("memory_recursiveprot", recursiveprot),
	OPT("memory_localevents", localevents),
	OPT("memory_hugetlb_accounting", hugetlb_accounting),
	OPT("timeout=%lf", timeout),
	FUSE_OPT_END
};

/* Every option of memcgfs(8), as the page has them (tests/integration/manpages.sh compares). */
static void usage(void)
{
	printf("usage: memcgfs [options] MOUNTPOINT\n"
	       "  --mode=v2|v1            cgroup v2 (default) or the v1 legacy hierarchy\n"
	       "  --ram=SIZE              simulated RAM (default 8G)\n"
	       "  --swap=SIZE             simulated swap (default 2G; 0: none)\n"
	       "  --nodes=N               NUMA nodes, 1 to 64 (default 1)\n"
	       "  --clock=real|manual     simulated time: the wall clock (default), or memcgctl step\n"
	       "  --thp=always|madvise|never  huge pages for tasks' anon memory (default always)\n"
	       "  --scenario=FILE         build a tree and start tasks from a JSON scenario\n"
	       "  --state=FILE            keep the tree, settings and tasks across restarts\n"
	       "  --page-cache            serve settled files from the kernel's page cache\n"
	       "  -o memory_recursiveprot, -o memory_localevents, -o memory_hugetlb_accounting\n"
	       "                          the cgroup2 mount options\n"
	       "  -o timeout=SECONDS      name and attribute cache timeout (default 86400)\n"
	       "FUSE options:\n"
	       "  -h, --help              print this and exit\n"
	       "  -V, --version           print the versions of memcgfs and libfuse and exit\n"
	       "  -d, -o debug            print every FUSE request; implies -f\n"
	       "  -f                      stay in the foreground\n"
	       "  -s                      accepted and ignored: memcgfs always uses several threads\n"
	       "  -o clone_fd             a /dev/fuse descriptor for each worker thread\n"
	       "  -o max_idle_threads=N   idle worker threads to keep (default 10)\n"
	       "  -o max_threads=N        accepted and ignored: libfuse's limit of 10 applies\n"
	       "  -o allow_other, -o allow_root\n"
	       "                          let all users, or root, use the mount\n"
	       "  -o auto_unmount         unmount when the daemon exits, however it exits\n"
	       "  -o ro, -o nosuid, -o nodev, -o noexec, ...\n"
	       "                          the generic mount options of mount.fuse3(8)\n"
	       "See memcgfs(8).\n");
}

static int parse_size(const char *what, const char *text, unsigned long *pages)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s", text);
	if (page_counter_memparse(buf, "", pages) || !*pages) {
		fprintf(stderr, "memcgfs: %s=%s is not a size (try 8G)\n", what, text);
		return -1;
	}
	return 0;
}

static int config_from(const struct options *o, struct engine_config *cfg)
{
	*cfg = (struct engine_config){
		.mode = CGROUP_V2,
		.nr_nodes = o->nodes ? o->nodes : 1,
		.memory_recursiveprot = o->recursiveprot,
		.memory_localevents = o->localevents,
		.memory_hugetlb_accounting = o->hugetlb_accounting,
	};
	if (o->mode && !strcmp(o->mode, "v1")) {
		cfg->mode = CGROUP_V1;
	} else if (o->mode && strcmp(o->mode, "v2")) {
		fprintf(stderr, "memcgfs: --mode=%s: choose v2 or v1\n", o->mode);
		return -1;
	}
	if (parse_size("--ram", o->ram ? o->ram : "8G", &cfg->ram_pages))
		return -1;
	if (o->swap && !strcmp(o->swap, "0"))
		cfg->swap_pages = 0;
	else if (parse_size("--swap", o->swap ? o->swap : "2G", &cfg->swap_pages))
		return -1;
	if (cfg->nr_nodes < 1 || cfg->nr_nodes > MEMCG_MAX_NODES) {
		fprintf(stderr, "memcgfs: --nodes=%d: choose 1 to %d\n", cfg->nr_nodes, MEMCG_MAX_NODES);
		return -1;
	}
	/* Debian's kernels: CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS */
	if (!o->thp || !strcmp(o->thp, "always")) {
		cfg->thp = THP_ALWAYS;
	} else if (!strcmp(o->thp, "madvise")) {
		cfg->thp = THP_MADVISE;
	} else if (!strcmp(o->thp, "never")) {
		cfg->thp = THP_NEVER;
	} else {
		fprintf(stderr, "memcgfs: --thp=%s: choose always, madvise or never\n", o->thp);
		return -1;
	}
	if (o->clock && strcmp(o->clock, "real") && strcmp(o->clock, "manual")) {
		fprintf(stderr, "memcgfs: --clock=%s: choose real or manual\n", o->clock);
		return -1;
	}
	return 0;
}

/* A daemon works from /: a relative --state is named from where we started. */
static int absolute_path(char **path)
{
	char cwd[PATH_MAX], *abs;

	if (!*path || **path == '/')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)) || asprintf(&abs, "%s/%s", cwd, *path) < 0) {
		fprintf(stderr, "memcgfs: %s: %s\n", *path, strerror(errno));
		return -1;
	}
	free(*path);
	*path = abs;
	return 0;
}

/* --scenario=FILE: the tree and tasks to start with; an error stops the mount. */
static int load_scenario(struct alloc *a, const char *path)
{
	char err[512], *text = NULL;
	unsigned int nr_tasks;
	size_t len = 0;
	FILE *f = fopen(path, "re");
	int ret;

	if (!f) {
		fprintf(stderr, "memcgfs: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (getdelim(&text, &len, '\0', f) < 0 && (ferror(f) || !text)) {
		fprintf(stderr, "memcgfs: %s: %s\n", path, strerror(errno ? errno : EIO));
		fclose(f);
		free(text);
		return -1;
	}
	if (feof(f) && !ftell(f))
		text[0] = '\0';	/* empty: getdelim() read nothing */
	fclose(f);
	engine_lock(a->engine);
	ret = scenario_apply_locked(a, path, text, err, sizeof(err), &nr_tasks);
	engine_unlock(a->engine);
	free(text);
	if (ret)
		fprintf(stderr, "memcgfs: %s\n", err);
	return ret ? -1 : 0;
}

/*
 * A user without root mounts through libfuse, which opens /dev/fuse as that
 * user first; where the node is 0600 it prints only "Permission denied".
 * Say what to do instead, on one line.
 */
static int check_dev_fuse(void)
{
	struct stat st;

	if (geteuid() == 0 || !access("/dev/fuse", R_OK | W_OK) || errno != EACCES)
		return 0;
	if (stat("/dev/fuse", &st))
		st.st_mode = 0;
	fprintf(stderr, "memcgfs: /dev/fuse is mode %04o here, so only root may use it: run memcgfs as "
		"root, or as root chmod 0666 /dev/fuse (Debian's mode)\n", (unsigned int)(st.st_mode & 07777));
	return -1;
}

/* The one argument that is neither an option nor an option's value. */
static const char *mountpoint_arg(const struct fuse_args *args)
{
	const char *found = NULL;
	int i;

	for (i = 1; i < args->argc; i++) {
		if (!strcmp(args->argv[i], "-o"))
			i++;
		else if (args->argv[i][0] != '-')
			found = args->argv[i];
	}
	return found;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts = { 0 };
	struct options o = { .timeout = MEMCGFS_DEFAULT_TIMEOUT };
	struct fuse_loop_config loop;
	struct engine_config cfg;
	struct memcgfs fs = { 0 };
	struct ctl_server *srv = NULL;
	struct state_saver *saver = NULL;
	struct fuse_session *se;
	char sock[108];
	int ret = 1;

	if (fuse_opt_parse(&args, &o, option_spec, NULL) == -1)
		goto out_args;
	/* libfuse resolves the mount point while parsing: it must exist first */
	if (mountpoint_arg(&args) && mountpoint_check(mountpoint_arg(&args)))
		goto out_args;
	if (fuse_parse_cmdline(&args, &opts) != 0)
		goto out_args;
	if (opts.show_help) {
		usage();
		ret = 0;
		goto out_args;
	}
	if (opts.show_version) {
		printf("memcgfs %s, FUSE library %s\n", PACKAGE_VERSION, fuse_pkgversion());
		ret = 0;
		goto out_args;
	}
	if (!opts.mountpoint) {
		fprintf(stderr, "usage: %s [options] MOUNTPOINT (see --help)\n", argv[0]);
		goto out_args;
	}
	if (config_from(&o, &cfg) || absolute_path(&o.state))
		goto out_args;
	/* the tree is the user's who mounts it, as a cgroup is its creator's */
	cfg.owner_uid = getuid();
	cfg.owner_gid = getgid();
	if (!realpath(opts.mountpoint, fs.mountpoint)) {
		fprintf(stderr, "memcgfs: %s: %s\n", opts.mountpoint, strerror(errno));
		goto out_args;
	}

	ret = alloc_create(&cfg, &fs.alloc);
	if (ret) {
		fprintf(stderr, "memcgfs: cannot build the machine: %s\n", strerror(-ret));
		ret = 1;
		goto out_args;
	}
	ret = 1;
	/* the state of the last run first (none yet on the first), then a scenario on top */
	if (o.state && access(o.state, F_OK) == 0 && load_scenario(fs.alloc, o.state))
		goto out_alloc;
	if (o.scenario && load_scenario(fs.alloc, o.scenario))
		goto out_alloc;
	fs.engine = fs.alloc->engine;
	fs.engine->event_ops = &memcgfs_event_ops;
	fs.engine->event_data = &fs;
	memcgfs_poll_init(&fs);
	fs.timeout = o.timeout;
	if (o.page_cache && pagecache_create(&fs)) {
		fprintf(stderr, "memcgfs: --page-cache: %s\n", strerror(ENOMEM));
		goto out_alloc;
	}
	clock_gettime(CLOCK_REALTIME, &fs.mount_time);

	/* the kernel enforces mode bits for others; root bypasses them, as in cgroupfs */
	fuse_opt_add_arg(&args, "-odefault_permissions");
	fuse_opt_add_arg(&args, "-osubtype=memcgfs,fsname=memcgfs");
	if (getuid() == 0)
		fuse_opt_add_arg(&args, "-oallow_other");

	if (check_dev_fuse())
		goto out_alloc;
	se = fuse_session_new(&args, &memcgfs_ops, sizeof(memcgfs_ops), &fs);
	if (!se)
		goto out_alloc;
	fs.se = se;
	if (fuse_set_signal_handlers(se))
		goto out_session;
	/*
	 * The control socket exists before the mount appears: whoever sees
	 * the mount may use memcgctl at once (the service thread answers once
	 * it starts, below).
	 */
	if (ctl_socket_path(opts.mountpoint, sock, sizeof(sock)) ||
	    (ret = ctl_server_create(fs.alloc, sock, o.clock && !strcmp(o.clock, "manual"), &srv))) {
		fprintf(stderr, "memcgfs: cannot open the control socket %s: %s\n", sock,
			strerror(ret < 0 ? -ret : EINVAL));
		ret = 1;
		goto out_signals;
	}
	if (fuse_session_mount(se, opts.mountpoint)) {
		ctl_server_stop(srv);
		ret = 1;
		goto out_signals;
	}
	{
		/* our device number; DONT_SYNC: nobody serves the mount yet */
		struct statx stx;

		if (!statx(AT_FDCWD, fs.mountpoint, AT_STATX_DONT_SYNC, 0, &stx))
			fs.dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	}

	if (o.state && (ret = state_saver_create(fs.alloc, o.state, &saver))) {
		fprintf(stderr, "memcgfs: --state=%s: %s\n", o.state, strerror(-ret));
		ret = 1;
		goto out_server;
	}

	/* threads do not survive the fork: the service and saving threads start after it */
	fuse_daemonize(opts.foreground);
	{
		/* inotify's helper is forked while we have no other thread (notify.h) */
		struct notifier *notifier;
		int err = notifier_start(fs.mountpoint, fs.dev, &notifier);

		if (err) {
			fprintf(stderr, "memcgfs: no inotify IN_MODIFY on events files: %s\n", strerror(-err));
		} else {
			engine_lock(fs.engine);
			fs.notifier = notifier;
			engine_unlock(fs.engine);
		}
	}
	ret = inval_start(&fs, se);
	if (ret) {
		fprintf(stderr, "memcgfs: cannot start the thread that invalidates the kernel's caches: %s\n",
			strerror(-ret));
		ret = 1;
		goto out_server;
	}
	ret = ctl_server_run(srv);
	if (ret) {
		fprintf(stderr, "memcgfs: cannot start the control socket's thread: %s\n", strerror(-ret));
		ret = 1;
		goto out_server;
	}
	ret = saver ? state_saver_run(saver) : 0;
	if (ret) {
		fprintf(stderr, "memcgfs: cannot start the thread that saves --state: %s\n", strerror(-ret));
		ret = 1;
		goto out_server;
	}
	ret = realproc_start(fs.alloc);
	if (ret) {
		fprintf(stderr, "memcgfs: cannot start the thread that samples real processes: %s\n",
			strerror(-ret));
		ret = 1;
		goto out_server;
	}
	/*
	 * FUSE_USE_VERSION 35 takes the old loop config. libfuse 3.14 leaves
	 * an unset max_idle_threads at UINT_MAX, which that loop rejects and
	 * then keeps no idle thread, starting one per request: keep ten.
	 */
	loop.clone_fd = (int)opts.clone_fd;
	loop.max_idle_threads = opts.max_idle_threads == UINT_MAX ? 10 : opts.max_idle_threads;
	/* a loop ended by SIGINT, SIGTERM or SIGHUP returns that signal: a clean stop */
	ret = fuse_session_loop_mt(se, &loop);
	ret = ret == SIGINT || ret == SIGTERM || ret == SIGHUP ? 0 : ret != 0;

out_server:
	realproc_stop(fs.alloc);
	ctl_server_stop(srv);
	memcgfs_poll_cleanup(&fs);
	notifier_stop(fs.notifier);
	inval_stop(&fs);
	if (state_saver_stop(saver))
		ret = 1;
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_session:
	fuse_session_destroy(se);
out_alloc:
	pagecache_destroy(&fs);
	alloc_destroy(fs.alloc);
out_args:
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	free(o.mode);
	free(o.ram);
	free(o.swap);
	free(o.clock);
	free(o.thp);
	free(o.scenario);
	free(o.state);
	return ret;
}
