EXTRA_DIST += %reldir%/macro.h %reldir%/list.h %reldir%/clock.h
