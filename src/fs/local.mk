# The FUSE front end: the low-level operations, cgroup.event_control's
# eventfds and the inotify helper. It serves the mount and knows no control socket; the daemon's
# main (src/daemon) wires it to the rest.
noinst_LIBRARIES += libfs.a
libfs_a_SOURCES = %reldir%/ops.c %reldir%/evfd.c %reldir%/inval.c %reldir%/inval.h %reldir%/pagecache.c \
	%reldir%/pagecache.h %reldir%/notify.c %reldir%/notify.h %reldir%/fs.h
libfs_a_CFLAGS = $(AM_CFLAGS) $(FUSE_CFLAGS)
