#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# test_memcg_low: memory.low protection; the tree and the checks are in
# protection.bash.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/protection.bash"
protection_test low
