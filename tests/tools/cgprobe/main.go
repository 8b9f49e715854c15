// SPDX-License-Identifier: LGPL-2.1-or-later
// cgprobe: what a Go program built on containerd's cgroups library (Debian's
// golang-github-containerd-cgroups-dev) finds about its own cgroup: the mode
// (statfs of /sys/fs/cgroup, a raw system call), its group (/proc/self/cgroup,
// and /proc/self/mountinfo for v1) and its memory limit and usage. The
// tests of `memcgctl run` run it inside and compare with the mount's files.
package main

import (
	"fmt"
	"os"

	"github.com/containerd/cgroups"
	cgroupsv2 "github.com/containerd/cgroups/v2"
)

func fail(err error) {
	fmt.Println("error:", err)
	os.Exit(1)
}

func main() {
	switch cgroups.Mode() {
	case cgroups.Unified:
		fmt.Println("mode: unified")
		group, err := cgroupsv2.NestedGroupPath("")
		if err != nil {
			fail(err)
		}
		m, err := cgroupsv2.LoadManager("/sys/fs/cgroup", group)
		if err != nil {
			fail(err)
		}
		st, err := m.Stat()
		if err != nil {
			fail(err)
		}
		fmt.Println("group:", group)
		fmt.Println("limit:", st.Memory.UsageLimit)
		fmt.Println("usage:", st.Memory.Usage)
	case cgroups.Legacy:
		fmt.Println("mode: legacy")
		cg, err := cgroups.Load(cgroups.SingleSubsystem(cgroups.V1, cgroups.Memory), cgroups.NestedPath(""))
		if err != nil {
			fail(err)
		}
		st, err := cg.Stat(cgroups.IgnoreNotExist)
		if err != nil {
			fail(err)
		}
		fmt.Println("limit:", st.Memory.Usage.Limit)
		fmt.Println("usage:", st.Memory.Usage.Usage)
	default:
		fmt.Println("mode: other")
	}
}
