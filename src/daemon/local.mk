# The daemon: the options, the FUSE session, the control socket's thread and
# the engine, wired together.
bin_PROGRAMS += memcgfs
memcgfs_SOURCES = %reldir%/main.c %reldir%/mountpoint.c %reldir%/mountpoint.h
memcgfs_CFLAGS = $(AM_CFLAGS) $(FUSE_CFLAGS) $(JSONC_CFLAGS)
memcgfs_LDADD = libfs.a libctlserver.a libcftypes.a liballoc.a libengine.a libproto.a \
	$(FUSE_LIBS) $(JSONC_LIBS) -lpthread
