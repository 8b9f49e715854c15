# Unit tests (Check) and integration scripts.

# Integration tests: shell scripts that mount a fresh memcgfs.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	srcdir='$(srcdir)'; export srcdir; \
	MEMCGFS='$(abs_builddir)/memcgfs'; export MEMCGFS; \
	MEMCGCTL='$(abs_builddir)/memcgctl'; export MEMCGCTL; \
	MEMCG_EVENT='$(abs_builddir)/examples/memcg_event'; export MEMCG_EVENT; \
	CGIO='$(abs_builddir)/tests/tools/cgio'; export CGIO; \
	V1_EVCTL='$(abs_builddir)/tests/diff/v1-evctl'; export V1_EVCTL; \
	PEAKFD='$(abs_builddir)/tests/scenarios/peakfd'; export PEAKFD; \
	POLLWAIT='$(abs_builddir)/tests/tools/pollwait'; export POLLWAIT; \
	PSITRIG='$(abs_builddir)/tests/tools/psitrig'; export PSITRIG; \
	MEMHOLD='$(abs_builddir)/tests/tools/memhold'; export MEMHOLD; \
	GOPROBE='$(abs_builddir)/tests/tools/cgprobe-go'; export GOPROBE;

INTEGRATION_TESTS = \
	tests/integration/oom.sh \
	tests/integration/files.sh \
	tests/integration/examples.sh \
	tests/integration/v1_events.sh \
	tests/integration/poll.sh \
	tests/integration/inotify.sh \
	tests/integration/psi_trigger.sh \
	tests/integration/v1_ltp.sh \
	tests/integration/scenarios.sh \
	tests/integration/v2_diff.sh \
	tests/integration/v1_diff.sh \
	tests/integration/selftests.sh \
	tests/integration/swapin.sh \
	tests/integration/writeback.sh \
	tests/integration/state.sh \
	tests/integration/unprivileged.sh \
	tests/integration/nlink.sh \
	tests/integration/inval.sh \
	tests/integration/pagecache.sh \
	tests/integration/procs_exited.sh \
	tests/integration/mountpoint.sh \
	tests/integration/memcgctl.sh \
	tests/integration/quickstart.sh \
	tests/integration/readme.sh \
	tests/integration/manpages.sh \
	tests/integration/ctl.sh \
	tests/integration/permissions.sh \
	tests/integration/unprivileged_procs.sh \
	tests/integration/state_durable.sh \
	tests/integration/attrs.sh \
	tests/integration/devfuse.sh \
	tests/integration/stress.sh \
	tests/integration/realproc.sh \
	tests/integration/realproc_diff.sh \
	tests/integration/record.sh \
	tests/integration/plot.sh \
	tests/integration/lessons.sh \
	tests/integration/top.sh \
	tests/integration/run.sh \
	tests/integration/run_rootless.sh \
	tests/integration/run_v1.sh \
	tests/integration/run_errors.sh \
	tests/integration/dyn_reclaim_fail.sh \
	tests/integration/dyn_reclaim_time.sh \
	tests/integration/dyn_stream.sh \
	tests/integration/dyn_thp.sh

TESTS += $(INTEGRATION_TESTS) tests/check-deps.sh tests/check-standalone.sh tests/check-skips.sh tests/fuzz/run.sh
EXTRA_DIST += tests/lib.sh tests/run-lib.sh tests/tools/cgprobe/main.go $(INTEGRATION_TESTS) tests/check-deps.sh tests/check-standalone.sh tests/check-skips.sh

# The fuzz harness, built by tests/fuzz/run.sh with clang, and its seeds.
EXTRA_DIST += tests/fuzz/run.sh tests/fuzz/README.md tests/fuzz/fuzz_cftypes.c \
	tests/fuzz/invariants.c tests/fuzz/invariants.h \
	tests/fuzz/corpus/v1-core.txt \
	tests/fuzz/corpus/v1-limits.txt \
	tests/fuzz/corpus/v1-parsing.txt \
	tests/fuzz/corpus/v2-core.txt \
	tests/fuzz/corpus/v2-limits.txt \
	tests/fuzz/corpus/v2-oom-swap.txt \
	tests/fuzz/corpus/v2-parsing.txt \
	tests/fuzz/corpus/v2-protection.txt
CLEANFILES += tests/fuzz/fuzz_cftypes tests/fuzz/fuzz.log

include tests/unit/local.mk

# Helpers of the differential tests and the selftest replays. They run
# beside a real kernel too and print transcripts, so they are built without
# the sanitizers: a report of theirs must never enter a transcript.
PROBE_CFLAGS = -std=gnu11 $(WARN_CFLAGS)
check_PROGRAMS += tests/tools/cgio tests/tools/pollwait tests/tools/psitrig tests/tools/pathtrunc tests/tools/memhold tests/diff/v1-evctl tests/scenarios/peakfd
tests_tools_cgio_SOURCES = tests/tools/cgio.c
tests_tools_cgio_CFLAGS = $(PROBE_CFLAGS)
tests_tools_cgio_LDFLAGS =
tests_tools_pollwait_SOURCES = tests/tools/pollwait.c
tests_tools_pollwait_CFLAGS = $(PROBE_CFLAGS)
tests_tools_pollwait_LDFLAGS =
tests_tools_psitrig_SOURCES = tests/tools/psitrig.c
tests_tools_psitrig_CFLAGS = $(PROBE_CFLAGS)
tests_tools_psitrig_LDFLAGS =
tests_tools_pathtrunc_SOURCES = tests/tools/pathtrunc.c
tests_tools_pathtrunc_CFLAGS = $(PROBE_CFLAGS)
tests_tools_pathtrunc_LDFLAGS =
tests_tools_memhold_SOURCES = tests/tools/memhold.c
tests_tools_memhold_CFLAGS = $(PROBE_CFLAGS)
tests_tools_memhold_LDFLAGS =
tests_diff_v1_evctl_SOURCES = tests/diff/v1-evctl.c
tests_diff_v1_evctl_CFLAGS = $(PROBE_CFLAGS)
tests_diff_v1_evctl_LDFLAGS =
tests_scenarios_peakfd_SOURCES = tests/scenarios/peakfd.c
tests_scenarios_peakfd_CFLAGS = $(PROBE_CFLAGS)
tests_scenarios_peakfd_LDFLAGS =

EXTRA_DIST += \
	tests/lsan.supp tests/run-all.sh tests/man-examples.sh \
	tests/tools/memhog.c \
	tests/diff/v2-probe.sh tests/diff/v2-compare.sh tests/diff/v2-record.sh \
	tests/diff/v1-probe.sh tests/diff/v1-compare.sh tests/diff/v1-known-differences.sed \
	tests/diff/notify-probe.sh tests/diff/notify-record.sh \
	tests/golden/notify-probe.linux-6.12.117+deb13-amd64.txt tests/golden/notify-probe.NOTES.md \
	tests/golden/notify-probe.linux-6.1.0-50-amd64.txt \
	tests/diff/perm-probe.sh tests/diff/perm-known-differences.sed tests/golden/perm-probe.NOTES.md \
	tests/golden/perm-probe-v1.linux-6.18.44-fc-v1045.txt \
	tests/golden/perm-probe-v2.linux-6.12.117+deb13-amd64.txt \
	tests/golden/v2-probe.NOTES.md tests/golden/v2-probe.to-6.18.sed tests/golden/v2-probe.no-sys-resource.sed \
	tests/golden/v2-probe.linux-6.12.117+deb13-amd64.txt \
	tests/golden/v2-probe.linux-6.18.15+deb13-amd64.txt \
	tests/golden/v2-probe.linux-7.2.13+deb14-amd64.txt \
	tests/golden/v1-probe.NOTES.md tests/golden/v1-probe.linux-6.18.44-fc-v782.txt \
	tests/golden/v1-quirks.NOTES.md \
	tests/diff/realproc-probe.sh tests/diff/realproc-record.sh tests/diff/realproc-known-differences.sed \
	tests/golden/realproc-probe.NOTES.md tests/golden/realproc-probe.linux-6.12.117+deb13-amd64.txt \
	tests/golden/dynamics/NOTES.md tests/golden/dynamics/dyn.c \
	tests/golden/dynamics/vm.sh tests/golden/dynamics/record.sh \
	tests/golden/dynamics/failed-reclaim.linux-6.12.117+deb13-amd64.txt \
	tests/golden/dynamics/reclaim-time.linux-6.12.117+deb13-amd64.txt \
	tests/golden/dynamics/reclaim-time.classic-lru.linux-6.12.117+deb13-amd64.txt \
	tests/golden/dynamics/stream.linux-6.12.117+deb13-amd64.txt \
	tests/golden/dynamics/stream.classic-lru.linux-6.12.117+deb13-amd64.txt \
	tests/golden/dynamics/thp.linux-6.12.117+deb13-amd64.txt \
	tests/scenarios/lib.sh tests/scenarios/run-scenarios.sh tests/scenarios/run-memcgfs.sh \
	tests/scenarios/run-kernel.sh tests/scenarios/kernel-6.12.txt \
	tests/scenarios/protection.bash tests/scenarios/pagecache30.bash \
	tests/scenarios/current_peak.sh tests/scenarios/min.sh tests/scenarios/low.sh \
	tests/scenarios/high.sh tests/scenarios/high_sync.sh tests/scenarios/max.sh tests/scenarios/reclaim.sh \
	tests/scenarios/oom_events.sh tests/scenarios/swap_max_peak.sh \
	tests/scenarios/oom_group_leaf.sh tests/scenarios/oom_group_parent.sh \
	tests/scenarios/oom_group_score.sh

# The Go probe of the run tests, and its build cache (tests/run-lib.sh).
CLEANFILES += tests/tools/cgprobe-go
clean-local: clean-go-cache
clean-go-cache:
	-chmod -R u+w tests/tools/go-cache 2>/dev/null; rm -rf tests/tools/go-cache
.PHONY: clean-go-cache
