#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_min: memory.min protection; the tree and the checks are in
# protection.bash.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protection.bash"
protection_test min
