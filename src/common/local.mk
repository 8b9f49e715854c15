EXTRA_DIST += %reldir%/macro.h %reldir%/list.h
