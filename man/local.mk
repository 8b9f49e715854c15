dist_man_MANS += %reldir%/memcgfs.8
