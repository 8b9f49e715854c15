dist_man_MANS += %reldir%/memcgfs.8 %reldir%/memcgctl.1 %reldir%/memcgfs-scenario.5 %reldir%/memcgfs.7
