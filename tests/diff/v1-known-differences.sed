# v1-known-differences.sed: documented, accepted differences between memcgfs --mode=v1 and the real
# kernel, for tests/diff/v1-compare.sh.  This sed script is applied (sed -f) to BOTH transcripts of
# tests/diff/v1-probe.sh before they are diffed, so each rule must rewrite or delete the lines it covers
# the same way on both sides.  Empty for now: every difference fails the test.
#
# Each rule gets a comment: what differs, why it is accepted, and who decided.  Prefer narrow rules
# (one section, one file) to broad ones.  Example (do not enable without a reason):
#   # memcgfs does not charge a child's memcg structures to its parent (the kernel does: kernel memory)
#   /^probe memory\.\(kmem\.\)\?usage_in_bytes with a child: /d
#   /^probe memory\.limit_in_bytes "0" with a child: /d
