# The simulated machine's tasks; reaches the engine through its headers.
noinst_LIBRARIES += liballoc.a
liballoc_a_SOURCES = %reldir%/alloc.c %reldir%/alloc.h %reldir%/workload.c %reldir%/workload.h \
	%reldir%/cred.c %reldir%/cred.h %reldir%/realproc.c %reldir%/realproc.h
