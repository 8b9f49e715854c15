#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# memcgfs lets the kernel cache names and attributes for a day and tells it
# of every change (src/fs/inval.c): never a stale name or mode, whoever made
# the change, and an open of a control file at any depth reaches the daemon
# only for OPEN, READ and RELEASE.
#
#   /            v2, then v1
#   |- a         made through the mount; a/b through memcgctl
#   |- p/q       memory enabled and disabled in p's subtree_control
#   `- gone      made and removed, through the mount and through memcgctl
. "${srcdir:-.}/tests/lib.sh"

dir=$(mktemp -d "${TMPDIR:-/tmp}/memcgfs-inval.XXXXXX")
trap 'cleanup; rm -rf "$dir"' EXIT

# exists PATH: "yes" or "no", by stat(2) (which the kernel answers from its cache)
exists() {
	if stat "$1" > /dev/null 2>&1; then echo yes; else echo no; fi
}

for mode in v2 v1; do
	mount_memcgfs --mode=$mode

	# a removed cgroup is gone at once, made through the mount...
	for i in 1 2 3; do
		mkdir "$MNT/gone"
		expect "$mode: made ($i)" yes "$(exists "$MNT/gone")"
		stat "$MNT/gone/cgroup.procs" > /dev/null
		rmdir "$MNT/gone"
		expect "$mode: removed ($i)" no "$(exists "$MNT/gone")"
		expect "$mode: its file removed ($i)" no "$(exists "$MNT/gone/cgroup.procs")"
	done
	# ...and through memcgctl, its parent's link count at once too
	mkdir "$MNT/a"
	expect "$mode: nlink before" 2 "$(stat -c %h "$MNT/a")"
	echo '{ "cgroups": { "/a/b": {} } }' > "$dir/b.json"
	ctl load "$dir/b.json" > /dev/null
	expect "$mode: memcgctl's cgroup is there" yes "$(exists "$MNT/a/b")"
	expect "$mode: nlink after memcgctl's mkdir" 3 "$(stat -c %h "$MNT/a")"
	rmdir "$MNT/a/b"
	expect "$mode: memcgctl's cgroup removed" no "$(exists "$MNT/a/b")"
	expect "$mode: nlink after rmdir" 2 "$(stat -c %h "$MNT/a")"

	# chmod and chown are seen at once, through the mount and through memcgctl
	stat "$MNT/a/cgroup.procs" > /dev/null
	chmod 600 "$MNT/a/cgroup.procs"
	expect "$mode: chmod" 600 "$(stat -c %a "$MNT/a/cgroup.procs")"
	echo '{ "cgroups": { "/a": { "attrs": { "cgroup.procs": "0640 7:8", ".": "0700 7:8" } } } }' > "$dir/attrs.json"
	ctl load "$dir/attrs.json" > /dev/null
	expect "$mode: memcgctl's chmod of a file" "640 7:8" "$(stat -c '%a %u:%g' "$MNT/a/cgroup.procs")"
	expect "$mode: memcgctl's chmod of a directory" "700 7:8" "$(stat -c '%a %u:%g' "$MNT/a")"
	f=$MNT/a/cgroup.events
	[ $mode = v1 ] && f=$MNT/a/tasks
	expect "$mode: owner before" "0:0" "$(stat -c '%u:%g' "$f")"
	echo '{ "cgroups": { "/a": { "owner": "9:9" } } }' > "$dir/owner.json"
	ctl load "$dir/owner.json" > /dev/null
	expect "$mode: memcgctl's owner of an unchanged file" "9:9" "$(stat -c '%u:%g' "$f")"
	rmdir "$MNT/a"

	if [ $mode = v1 ]; then
		# a rename leaves no old name behind
		mkdir "$MNT/r1"
		stat "$MNT/r1/tasks" > /dev/null
		mv "$MNT/r1" "$MNT/r2"
		expect "v1: renamed away" no "$(exists "$MNT/r1")"
		expect "v1: renamed to" yes "$(exists "$MNT/r2/tasks")"
		rmdir "$MNT/r2"
	else
		# files vanish and appear with subtree_control, at once
		mkdir -p "$MNT/p/q"
		for i in 1 2 3; do
			expect "v2: no memory below p ($i)" no "$(exists "$MNT/p/q/memory.current")"
			echo +memory > "$MNT/p/cgroup.subtree_control"
			expect "v2: memory appears, and reads ($i)" 0 "$(cat "$MNT/p/q/memory.current")"
			# (a read makes the next stat ask for atime: stat after it)
			expect "v2: memory appears ($i)" yes "$(exists "$MNT/p/q/memory.current")"
			echo -memory > "$MNT/p/cgroup.subtree_control"
			expect "v2: memory vanishes ($i)" no "$(exists "$MNT/p/q/memory.current")"
			expect "v2: and cannot be opened ($i)" "open ENOENT" "$("$CGIO" read "$MNT/p/q/memory.current")"
		done
		# through memcgctl as well
		echo '{ "cgroups": { "/p": { "cgroup.subtree_control": "+memory" } } }' > "$dir/on.json"
		ctl load "$dir/on.json" > /dev/null
		expect "v2: memcgctl enables memory" yes "$(exists "$MNT/p/q/memory.max")"
		echo -memory > "$MNT/p/cgroup.subtree_control"
		expect "v2: memory.max gone" no "$(exists "$MNT/p/q/memory.max")"
		# cgroup.pressure hides the pressure files
		stat "$MNT/p/memory.pressure" > /dev/null
		echo 0 > "$MNT/p/cgroup.pressure"
		expect "v2: pressure files hidden" no "$(exists "$MNT/p/memory.pressure")"
		echo 1 > "$MNT/p/cgroup.pressure"
		expect "v2: pressure files back" yes "$(exists "$MNT/p/memory.pressure")"
		rmdir "$MNT/p/q" "$MNT/p"
	fi
	unmount_memcgfs
done

# What an open+read+close of memory.current asks the daemon, at depth 1 and
# 3, once the names are known: OPEN, READ (one, then one at EOF), RELEASE.
mount_memcgfs -d 2> "$dir/debug"
mkdir -p "$MNT/d1/d2/d3"
echo +memory > "$MNT/d1/cgroup.subtree_control"
echo +memory > "$MNT/d1/d2/cgroup.subtree_control"
for f in d1/memory.current d1/d2/d3/memory.current; do
	"$CGIO" read "$MNT/$f" > /dev/null
	"$CGIO" read "$MNT/$f" > /dev/null
	sleep 0.2	# let the log catch up (the count, not the speed, is tested)
	lines=$(wc -l < "$dir/debug")
	out=$("$CGIO" read "$MNT/$f")
	[[ $out =~ ^\"[0-9]+\\n\"$ ]] || fail "$f reads '$out'"
	sleep 0.2
	expect "$f: requests" "OPEN READ READ RELEASE" \
		"$(tail -n +$((lines + 1)) "$dir/debug" | grep -o 'opcode: [A-Z]*' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//')"
done
unmount_memcgfs
finish
