# The charge engine: libc, pthreads and common/ only.
noinst_LIBRARIES += libengine.a
libengine_a_SOURCES = \
	%reldir%/engine.c %reldir%/engine.h \
	%reldir%/cgroup.c %reldir%/cgroup.h \
	%reldir%/memcg.c %reldir%/memcg.h \
	%reldir%/page_counter.c %reldir%/page_counter.h \
	%reldir%/charge.c %reldir%/charge.h \
	%reldir%/reclaim.c %reldir%/reclaim.h \
	%reldir%/writeback.c %reldir%/writeback.h \
	%reldir%/oom.c %reldir%/oom.h \
	%reldir%/memcg_v1.c %reldir%/memcg_v1.h \
	%reldir%/global.c %reldir%/global.h \
	%reldir%/psi.c %reldir%/psi.h \
	%reldir%/psi_trigger.c %reldir%/psi_trigger.h \
	%reldir%/workingset.c %reldir%/workingset.h \
	%reldir%/memparse.c %reldir%/memparse.h \
	%reldir%/memory_stat.def %reldir%/memory_events.def
