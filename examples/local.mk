# Examples: scripts run against a mount by tests/integration/examples.sh,
# memcg_event, a cgroup v1 notification listener the tests use too, and
# memcg_poll, its v2 counterpart, which the lessons use.
noinst_PROGRAMS = %reldir%/memcg_event %reldir%/memcg_poll
%canon_reldir%_memcg_event_SOURCES = %reldir%/memcg_event.c
%canon_reldir%_memcg_poll_SOURCES = %reldir%/memcg_poll.c
EXTRA_DIST += %reldir%/demo.sh %reldir%/quickstart.sh \
	%reldir%/scenarios/protection.json %reldir%/scenarios/high-throttle.json \
	%reldir%/scenarios/oom-group.json %reldir%/scenarios/v1-softlimit.json \
	%reldir%/scenarios/writeback.json %reldir%/scenarios/swap-refault.json \
	%reldir%/lessons/lesson.sh \
	%reldir%/lessons/01-hierarchy.sh %reldir%/lessons/01-hierarchy.out \
	%reldir%/lessons/02-high-softlimit.sh %reldir%/lessons/02-high-softlimit.out \
	%reldir%/lessons/03-swap.sh %reldir%/lessons/03-swap.out \
	%reldir%/lessons/04-oom-control.sh %reldir%/lessons/04-oom-control.out \
	%reldir%/lessons/05-events.sh %reldir%/lessons/05-events.out \
	%reldir%/lessons/06-protection.sh %reldir%/lessons/06-protection.out
