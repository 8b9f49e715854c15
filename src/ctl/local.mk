# The control protocol (shared), the daemon's server side, and memcgctl,
# which links the protocol and json-c but never the engine.
noinst_LIBRARIES += libproto.a libctlserver.a libmemparse.a
libproto_a_SOURCES = %reldir%/proto.c %reldir%/proto.h
libproto_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
libctlserver_a_SOURCES = %reldir%/server.c %reldir%/server.h %reldir%/scenario.c %reldir%/scenario.h \
	%reldir%/sample.c %reldir%/sample.h \
	%reldir%/snapshot.c %reldir%/snapshot.h %reldir%/state.c %reldir%/state.h
libctlserver_a_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
libmemparse_a_SOURCES = src/engine/memparse.c

bin_PROGRAMS += memcgctl
memcgctl_SOURCES = %reldir%/memcgctl.c %reldir%/watch.c %reldir%/watch.h \
	%reldir%/record.c %reldir%/record.h %reldir%/plot.c %reldir%/plot.h \
	%reldir%/top.c %reldir%/top.h \
	%reldir%/filevals.c %reldir%/filevals.h \
	%reldir%/jsonout.c %reldir%/jsonout.h
memcgctl_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
memcgctl_LDADD = librun.a libproto.a libmemparse.a $(JSONC_LIBS) -lm
