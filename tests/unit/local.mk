# Unit tests (Check): one program per module, linking the same convenience
# libraries as the daemon. Run one case with CK_RUN_CASE, debug with CK_FORK=no.
UNIT_TESTS = \
	%reldir%/check_memparse \
	%reldir%/check_page_counter \
	%reldir%/check_memcg \
	%reldir%/check_cftypes \
	%reldir%/check_ctl \
	%reldir%/check_realproc \
	%reldir%/check_procview

check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

%canon_reldir%_check_memparse_SOURCES = %reldir%/check_memparse.c
%canon_reldir%_check_memparse_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_check_memparse_LDADD = libengine.a $(CHECK_LIBS) -lpthread

%canon_reldir%_check_page_counter_SOURCES = %reldir%/check_page_counter.c
%canon_reldir%_check_page_counter_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_check_page_counter_LDADD = libengine.a $(CHECK_LIBS) -lpthread

%canon_reldir%_check_memcg_SOURCES = %reldir%/check_memcg.c
%canon_reldir%_check_memcg_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_check_memcg_LDADD = liballoc.a libengine.a $(CHECK_LIBS) -lpthread

%canon_reldir%_check_realproc_SOURCES = %reldir%/check_realproc.c
%canon_reldir%_check_realproc_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_check_realproc_LDADD = liballoc.a libengine.a $(CHECK_LIBS) -lpthread

%canon_reldir%_check_cftypes_SOURCES = %reldir%/check_cftypes.c
%canon_reldir%_check_cftypes_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_check_cftypes_LDADD = libcftypes.a liballoc.a libengine.a $(CHECK_LIBS) -lpthread

%canon_reldir%_check_ctl_SOURCES = %reldir%/check_ctl.c
%canon_reldir%_check_ctl_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(JSONC_CFLAGS)
%canon_reldir%_check_ctl_LDADD = libctlserver.a libproto.a liballoc.a libengine.a $(JSONC_LIBS) $(CHECK_LIBS) -lpthread

%canon_reldir%_check_procview_SOURCES = %reldir%/check_procview.c
%canon_reldir%_check_procview_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%canon_reldir%_check_procview_LDADD = librun.a $(CHECK_LIBS)
