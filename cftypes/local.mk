# The control file tables and their handlers: engine/ and alloc/, never FUSE.
noinst_LIBRARIES += libcftypes.a
libcftypes_a_SOURCES = \
	%reldir%/cftype.h %reldir%/registry.c \
	%reldir%/memory_files.c %reldir%/cgroup_files.c \
	%reldir%/memory_v1_files.c %reldir%/cgroup_v1_files.c %reldir%/event_control.c \
	%reldir%/attach.c
