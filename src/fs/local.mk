# The daemon: FUSE front end, control socket service, engine, allocator.
bin_PROGRAMS += memcgfs
memcgfs_SOURCES = %reldir%/main.c %reldir%/ops.c %reldir%/evfd.c %reldir%/fs.h
memcgfs_CFLAGS = $(AM_CFLAGS) $(FUSE_CFLAGS) $(JSONC_CFLAGS)
memcgfs_LDADD = libctlserver.a libcftypes.a liballoc.a libengine.a libproto.a \
	$(FUSE_LIBS) $(JSONC_LIBS) -lpthread
