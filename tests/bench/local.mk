# tests/bench: benchmark memcgfs against nullfs, a FUSE filesystem doing the
# same shape of work and nothing else. Built only on demand: "make bench"
# builds the two helpers and the daemon, then prints a table of figures.
# BENCH_N=... overrides the iteration count.

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
