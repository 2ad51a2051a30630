#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the QEMU kernel and the initramfs, boot them running the userspace
# selftests, then a short fixed budget of each userspace fuzzer mode (the
# hardening runs of make fuzz, seeded, each ending with a leak check of the
# driver and the simulator), and summarise their TAP output:
# "N passed, N failed, N skipped". Fails on any failed or missing test, a
# kernel splat (kmemleak is scanned at the end), or no end marker.
# The console log is $QCOMTEE_BUILD/selftests.log.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
log=$QCOMTEE_BUILD/selftests.log
progs=(
	/bin/qcomtee_test
	"/bin/qcomtee_fuzz -m fuzz -s 1 -n 3000"
	"/bin/qcomtee_fuzz -m stress -s 2 -d 10"
	"/bin/qcomtee_fuzz -m failnth -s 3"
	"/bin/qcomtee_fuzz -m failslab -s 4 -d 10"
)

"$here/build-kernel.sh" >/dev/null
"$here/build-initramfs.sh" "${progs[@]}" >/dev/null

set +e
"$here/run-qemu.sh" -q -l "$log"
qemu_rc=$?
set -e
tr -d '\r' < "$log" | grep -a '^QCOMTEE-FUZZ ' >&2 || true

tr -d '\r' < "$log" |
	awk -v label=selftests -v qemu_rc="$qemu_rc" -f "$here/tap-summary.awk"
