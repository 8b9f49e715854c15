/* anonref CGDIR SIZE_MB MODE(read|write|writeonly) [TOUCH_MB [NEWMAX]]
 * joins CGDIR, disables THP, fills SIZE_MB anon with 0xa5, snapshots,
 * read: reads every byte and checks it; write: reads then writes one byte per page;
 * writeonly: stores one byte per page without reading first.
 * [NEWMAX]: written to CGDIR/memory.max between the fill and the touch.
 * touches TOUCH_MB (default SIZE_MB) sequentially from the start once, snapshots, prints deltas. */
#include "common.h"
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#define MAXK 200
struct snap { int n; char k[MAXK][64]; long long v[MAXK]; };

static void parse(const char *text, const char *prefix, struct snap *s)
{
	const char *p = text;
	while (*p && s->n < MAXK) {
		char k[64]; long long v;
		if (sscanf(p, "%63s %lld", k, &v) == 2) {
			snprintf(s->k[s->n], 64, "%s%s", prefix, k);
			s->v[s->n++] = v;
		}
		p = strchr(p, '\n'); if (!p) break; p++;
	}
}

static char *map; static size_t npages, psz;

static void pagemap_count(long *present, long *swapped, long *swapped_first, size_t first_pages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e;
	*present = *swapped = *swapped_first = 0;
	for (size_t i = 0; i < npages; i++) {
		pread(fd, &e, 8, ((uintptr_t)map / psz + i) * 8);
		if (e >> 63 & 1) (*present)++;
		if (e >> 62 & 1) { (*swapped)++; if (i < first_pages) (*swapped_first)++; }
	}
	close(fd);
}

static void take(struct snap *s, const char *label, int dump, size_t touch_pages)
{
	static char buf[65536];
	struct rusage ru;
	long pr, sw, swf;
	s->n = 0;
	cgread("memory.stat", buf, sizeof buf);
	if (dump) printf("--- %s: memory.stat\n%s", label, buf);
	parse(buf, "", s);
	cgread("memory.events", buf, sizeof buf);
	if (dump) printf("--- %s: memory.events\n%s", label, buf);
	parse(buf, "events.", s);
	cgread("memory.swap.events", buf, sizeof buf);
	if (dump) printf("--- %s: memory.swap.events\n%s", label, buf);
	parse(buf, "swap.events.", s);
	const char *singles[] = { "memory.current", "memory.swap.current", "memory.peak", "memory.swap.peak", 0 };
	for (int i = 0; singles[i]; i++) {
		cgread(singles[i], buf, sizeof buf);
		if (dump) printf("--- %s: %s %s", label, singles[i], buf);
		snprintf(s->k[s->n], 64, "%s", singles[i]); s->v[s->n++] = atoll(buf);
	}
	readfile("/proc/vmstat", buf, sizeof buf);
	{
		struct snap t = {0}; parse(buf, "", &t);
		for (int i = 0; i < t.n; i++)
			if (!strncmp(t.k[i], "pswp", 4) || !strncmp(t.k[i], "workingset_", 11) ||
			    !strcmp(t.k[i], "nr_swapcached") || !strcmp(t.k[i], "swap_ra") ||
			    !strcmp(t.k[i], "swap_ra_hit") || !strcmp(t.k[i], "pgmajfault") ||
			    !strncmp(t.k[i], "zswp", 4)) {
				snprintf(s->k[s->n], 64, "vmstat.%s", t.k[i]); s->v[s->n++] = t.v[i];
			}
	}
	readfile("/proc/meminfo", buf, sizeof buf);
	{
		char *p = strstr(buf, "SwapCached:"); long long v = p ? atoll(p + 11) : -1;
		snprintf(s->k[s->n], 64, "meminfo.SwapCached_kB"); s->v[s->n++] = v;
		p = strstr(buf, "SwapFree:"); v = p ? atoll(p + 9) : -1;
		snprintf(s->k[s->n], 64, "meminfo.SwapFree_kB"); s->v[s->n++] = v;
	}
	getrusage(RUSAGE_SELF, &ru);
	snprintf(s->k[s->n], 64, "rusage.majflt"); s->v[s->n++] = ru.ru_majflt;
	snprintf(s->k[s->n], 64, "rusage.minflt"); s->v[s->n++] = ru.ru_minflt;
	pagemap_count(&pr, &sw, &swf, touch_pages);
	snprintf(s->k[s->n], 64, "pagemap.present"); s->v[s->n++] = pr;
	snprintf(s->k[s->n], 64, "pagemap.swapped"); s->v[s->n++] = sw;
	snprintf(s->k[s->n], 64, "pagemap.swapped_in_touch_range"); s->v[s->n++] = swf;
	if (dump) {
		printf("--- %s: extra\n", label);
		for (int i = 0; i < s->n; i++)
			if (strchr(s->k[i], '.') && strncmp(s->k[i], "events.", 7) && strncmp(s->k[i], "swap.events.", 12) && strncmp(s->k[i], "memory.", 7))
				printf("%s %lld\n", s->k[i], s->v[i]);
	}
	fflush(stdout);
}

static void delta(struct snap *a, struct snap *b)
{
	printf("--- delta (name before after delta [delta/4096 for byte counters])\n");
	for (int i = 0; i < b->n; i++) {
		long long av = 0;
		for (int j = 0; j < a->n; j++) if (!strcmp(a->k[j], b->k[i])) av = a->v[j];
		printf("%-36s %12lld %12lld %+12lld\n", b->k[i], av, b->v[i], b->v[i] - av);
	}
}

int main(int argc, char **argv)
{
	char p[512], pid[32];
	static struct snap s0, s1, s2;
	if (argc < 4) return 2;
	cg = argv[1];
	size_t size = (size_t)atol(argv[2]) << 20;
	size_t touch = argc > 4 ? (size_t)atol(argv[4]) << 20 : size;
	int wr = !strcmp(argv[3], "write"), wo = !strcmp(argv[3], "writeonly");
	psz = sysconf(_SC_PAGESIZE); npages = size / psz;
	snprintf(p, sizeof p, "%s/cgroup.procs", cg);
	snprintf(pid, sizeof pid, "%d", getpid());
	if (writefile(p, pid)) { perror("join"); return 1; }
	int rc = prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
	printf("prctl(PR_SET_THP_DISABLE,1)=%d, PR_GET_THP_DISABLE=%d\n", rc, prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0));
	map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) { perror("mmap"); return 1; }
	madvise(map, size, MADV_NOHUGEPAGE);
	take(&s0, "before fill", 0, touch / psz);
	double t = now();
	for (size_t off = 0; off < size; off += psz) memset(map + off, 0xa5, psz);
	printf("fill of %zu MB took %.2fs\n", size >> 20, now() - t);
	take(&s1, "after fill", 1, touch / psz);
	printf("=== fill phase deltas\n");
	delta(&s0, &s1);
	if (argc > 5) {	/* raise memory.max before the touch, so the touch needs no reclaim */
		char mp[512];
		snprintf(mp, sizeof mp, "%s/memory.max", cg);
		printf("writing %s to memory.max before the touch: %d\n", argv[5], writefile(mp, argv[5]));
		take(&s1, "after raising memory.max", 0, touch / psz);
	}
	t = now();
	uint64_t bad = 0;
	if (wo) {
		for (size_t off = 0; off < touch; off += psz) map[off] = 0x5a;
	} else if (wr) {
		for (size_t off = 0; off < touch; off += psz) { if ((unsigned char)map[off] != 0xa5) bad++; map[off] = 0x5a; }
	} else {
		const uint64_t *q = (const uint64_t *)map;
		for (size_t i = 0; i < touch / 8; i++) if (q[i] != 0xa5a5a5a5a5a5a5a5ULL) bad++;
	}
	printf("%s-touch of first %zu MB (%zu pages) took %.2fs, mismatches %llu\n", argv[3], touch >> 20, touch / psz, now() - t, (unsigned long long)bad);
	take(&s2, "after touch", 1, touch / psz);
	printf("=== touch phase deltas\n");
	delta(&s1, &s2);
	sleep(2);
	take(&s0, "2s later", 0, touch / psz);
	printf("=== 2s after touch: deltas vs right after touch\n");
	delta(&s2, &s0);
	return 0;
}
