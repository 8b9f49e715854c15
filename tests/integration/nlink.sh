#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A cgroup directory's st_nlink is 2 + its child cgroups, in both modes, as
# kernfs counts subdirectories (kernfs_refresh_inode); a control file's is
# 1. Seen on the machine's real v1 controller: a new cgroup 2, with three
# children 5, after one rmdir 4.
. "${srcdir:-.}/tests/lib.sh"

for mode in v2 v1; do
	mount_memcgfs --mode=$mode
	expect "$mode: root nlink" 2 "$(stat -c %h "$MNT")"
	mkdir "$MNT/p"
	expect "$mode: new cgroup nlink" 2 "$(stat -c %h "$MNT/p")"
	for i in $(seq 20); do mkdir "$MNT/p/c$i"; done
	expect "$mode: nlink with 20 children" 22 "$(stat -c %h "$MNT/p")"
	expect "$mode: root nlink with one child" 3 "$(stat -c %h "$MNT")"
	mkdir "$MNT/p/c1/g"
	expect "$mode: a grandchild is not counted" 22 "$(stat -c %h "$MNT/p")"
	expect "$mode: nlink of a child with one child" 3 "$(stat -c %h "$MNT/p/c1")"
	rmdir "$MNT/p/c1/g" "$MNT/p/c2"
	expect "$mode: nlink after rmdir" 21 "$(stat -c %h "$MNT/p")"
	expect "$mode: file nlink" 1 "$(stat -c %h "$MNT/p/cgroup.procs")"
	# find(1) trusts nlink to stop looking for subdirectories: every one is found
	expect "$mode: find -type d" 19 "$(find "$MNT/p" -mindepth 1 -type d | wc -l)"
	for i in $(seq 3 20) 1; do rmdir "$MNT/p/c$i"; done
	expect "$mode: nlink when empty again" 2 "$(stat -c %h "$MNT/p")"
	rmdir "$MNT/p"
	unmount_memcgfs
done
finish
