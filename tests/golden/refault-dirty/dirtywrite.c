/* dirtywrite CGDIR FILE TOTAL_MB FSYNC(0|1) SAMPLE_SECS
 * joins CGDIR, writes TOTAL_MB to FILE with 1M write()s, every 16M prints a
 * line of memcg counters; then optionally fsync()s; then samples once a second
 * for SAMPLE_SECS seconds (stopping 3 s after file_dirty and file_writeback are both 0). */
#include "common.h"
#include <sys/resource.h>

static char stat_[65536], ev[4096], vm[65536];

static void line(const char *tag, double t0, double lat)
{
	cgread("memory.stat", stat_, sizeof stat_);
	cgread("memory.events", ev, sizeof ev);
	readfile("/proc/vmstat", vm, sizeof vm);
	printf("%-10s t=%6.2fs lat=%6.3fs cur=%5.1fM file=%5.1fM dirty=%5.1fM wb=%5.1fM anon=%4.1fM pgscan=%6lld pgsteal=%6lld refault_file=%5lld ev.high=%4lld ev.max=%4lld ev.oom=%lld ev.oom_kill=%lld | global nr_dirty=%lld nr_writeback=%lld thresh=%lld bg_thresh=%lld\n",
	       tag, now() - t0, lat, cgval("memory.current", NULL) / 1048576.0,
	       keyval(stat_, "file") / 1048576.0, keyval(stat_, "file_dirty") / 1048576.0,
	       keyval(stat_, "file_writeback") / 1048576.0, keyval(stat_, "anon") / 1048576.0,
	       keyval(stat_, "pgscan"), keyval(stat_, "pgsteal"), keyval(stat_, "workingset_refault_file"),
	       keyval(ev, "high"), keyval(ev, "max"), keyval(ev, "oom"), keyval(ev, "oom_kill"),
	       keyval(vm, "nr_dirty"), keyval(vm, "nr_writeback"), keyval(vm, "nr_dirty_threshold"),
	       keyval(vm, "nr_dirty_background_threshold"));
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char p[512], pid[32];
	static char buf[1 << 20];
	if (argc < 6) return 2;
	cg = argv[1];
	long total = atol(argv[3]);
	int do_fsync = atoi(argv[4]), secs = atoi(argv[5]);
	snprintf(p, sizeof p, "%s/cgroup.procs", cg);
	snprintf(pid, sizeof pid, "%d", getpid());
	if (writefile(p, pid)) { perror("join"); return 1; }
	memset(buf, 0x5a, sizeof buf);
	int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) { perror("open"); return 1; }
	double t0 = now(), tc = t0, maxlat = 0, peakdirty = 0, peakwb = 0, peakcur = 0, slowsum = 0;
	int slow = 0;
	static char pr[1024];
	cgread("memory.pressure", pr, sizeof pr); printf("memory.pressure before:\n%s", pr);
	cgread("io.pressure", pr, sizeof pr); printf("io.pressure before:\n%s", pr);
	line("start", t0, 0);
	for (long i = 1; i <= total; i++) {
		double a = now();
		if (write(fd, buf, sizeof buf) != sizeof buf) { perror("write"); return 1; }
		double l = now() - a;
		if (l > maxlat) maxlat = l;
		if (l > 0.05) { slow++; slowsum += l; }
		/* cheap per-MB peak tracking */
		double d = cgval("memory.stat", "file_dirty") / 1048576.0, w = cgval("memory.stat", "file_writeback") / 1048576.0;
		double c = cgval("memory.current", NULL) / 1048576.0;
		if (d > peakdirty) peakdirty = d;
		if (w > peakwb) peakwb = w;
		if (c > peakcur) peakcur = c;
		if (i % 16 == 0) {
			char tag[32];
			snprintf(tag, sizeof tag, "%ldM", i);
			line(tag, t0, now() - tc);
			tc = now();
		}
	}
	printf("write() of %ldM done in %.2fs; slowest 1M write() %.3fs; per-MB-sampled peaks: file_dirty %.1fM file_writeback %.1fM memory.current %.1fM\n",
	       total, now() - t0, maxlat, peakdirty, peakwb, peakcur);
	printf("1M write() calls slower than 50ms: %d, taking %.2fs in total\n", slow, slowsum);
	cgread("memory.pressure", pr, sizeof pr); printf("memory.pressure after write:\n%s", pr);
	cgread("io.pressure", pr, sizeof pr); printf("io.pressure after write:\n%s", pr);
	line("written", t0, 0);
	if (do_fsync) {
		double a = now();
		int r = fsync(fd);
		printf("fsync() = %d, took %.2fs\n", r, now() - a);
		line("fsynced", t0, 0);
	}
	close(fd);
	int zero = 0;
	for (int s = 1; s <= secs; s++) {
		sleep(1);
		char tag[32];
		snprintf(tag, sizeof tag, "+%ds", s);
		line(tag, t0, 0);
		if (cgval("memory.stat", "file_dirty") == 0 && cgval("memory.stat", "file_writeback") == 0) {
			if (++zero >= 3) break;
		} else zero = 0;
	}
	printf("memory.peak %lld\n", cgval("memory.peak", NULL));
	return 0;
}
