#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Install, with apt-get, whatever of memcgfs's build and test dependencies
# this Debian machine lacks. Quiet when everything is already there.
set -eu

# clang and its runtime build the libFuzzer harness (tests/fuzz/run.sh);
# xmllint (libxml2-utils) reads memcgctl plot's SVG in a test, and tmux
# gives memcgctl top a terminal in one; the programs the `memcgctl run`
# tests run inside (tests/run-lib.sh): node, java, systemd-cgtop, and a Go
# program built on Debian's containerd cgroups library; inotify-tools
# watches the events files (tests/integration/inotify.sh)
packages="gcc make autoconf automake pkg-config libfuse3-dev fuse3 libjson-c-dev check libsubunit-dev
	clang libclang-rt-14-dev libxml2-utils tmux inotify-tools
	nodejs openjdk-17-jre-headless systemd procps golang-go golang-github-containerd-cgroups-dev"
missing=
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null; then
	sudo=sudo
else
	echo "deps.sh: missing packages:$missing; run as root to install them" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
