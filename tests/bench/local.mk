# tests/bench: memcgfs (default and --page-cache) side by side with nullfs,
# the plainest FUSE filesystem (the floor), and the kernel's own cgroupfs,
# then the 100,000-cgroup figures and the simulation alone. Built only on
# demand: "make bench" prints figures and judges nothing (run.sh says how;
# BENCH_N=... overrides the iteration count).

EXTRA_PROGRAMS += %reldir%/nullfs %reldir%/bench %reldir%/sim %reldir%/realproc

%canon_reldir%_nullfs_SOURCES = %reldir%/nullfs.c
%canon_reldir%_nullfs_CFLAGS = $(AM_CFLAGS) $(FUSE_CFLAGS)
%canon_reldir%_nullfs_LDADD = $(FUSE_LIBS)

%canon_reldir%_bench_SOURCES = %reldir%/bench.c

# the simulation alone: engine and allocator, no FUSE
%canon_reldir%_sim_SOURCES = %reldir%/sim.c
%canon_reldir%_sim_LDADD = liballoc.a libengine.a -lpthread

# the sampler of real processes: its cost, and how far a fast allocator gets past memory.max
%canon_reldir%_realproc_SOURCES = %reldir%/realproc.c
%canon_reldir%_realproc_LDADD = liballoc.a libengine.a -lpthread

EXTRA_DIST += %reldir%/run.sh

# EXTRA_PROGRAMS are not removed by "make clean" on their own.
CLEANFILES += %reldir%/nullfs$(EXEEXT) %reldir%/bench$(EXEEXT) %reldir%/sim$(EXEEXT) %reldir%/realproc$(EXEEXT)

.PHONY: bench
bench: %reldir%/nullfs$(EXEEXT) %reldir%/bench$(EXEEXT) %reldir%/sim$(EXEEXT) %reldir%/realproc$(EXEEXT) $(bin_PROGRAMS)
	$(SHELL) $(srcdir)/%reldir%/run.sh ./memcgfs$(EXEEXT) $(builddir)
	./%reldir%/sim$(EXEEXT)
	./%reldir%/realproc$(EXEEXT)
