# Examples: scripts run against a mount by tests/integration/examples.sh,
# and memcg_event, a cgroup v1 notification listener the tests use too.
noinst_PROGRAMS = %reldir%/memcg_event
%canon_reldir%_memcg_event_SOURCES = %reldir%/memcg_event.c
EXTRA_DIST += %reldir%/demo.sh %reldir%/quickstart.sh \
	%reldir%/scenarios/protection.json %reldir%/scenarios/high-throttle.json \
	%reldir%/scenarios/oom-group.json %reldir%/scenarios/v1-softlimit.json \
	%reldir%/scenarios/writeback.json %reldir%/scenarios/swap-refault.json
