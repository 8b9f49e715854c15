#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The kernel's memcg selftests (test_memcontrol.c), replayed through
# memcgctl with their own numbers and tolerances: tests/scenarios/. The same
# scripts pass on a real kernel (tests/scenarios/run-kernel.sh).
. "${srcdir:-.}/tests/lib.sh"
require_fuse
bash "$srcdir/tests/scenarios/run-memcgfs.sh"
