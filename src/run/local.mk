# memcgctl run: a client of the mount and the control socket, never the engine.
noinst_LIBRARIES += librun.a
librun_a_SOURCES = %reldir%/run.c %reldir%/run.h %reldir%/sandbox.c %reldir%/sandbox.h \
	%reldir%/supervisor.c %reldir%/supervisor.h %reldir%/procview.c %reldir%/procview.h
librun_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
