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

# TAP: "1..N", "ok N name [# SKIP why]", "not ok N name".
tr -d '\r' < "$log" | awk -v qemu_rc="$qemu_rc" '
	/^1\.\.[0-9]+$/ { plan += substr($0, 4) + 0; next }
	/^ok [0-9]+ / {
		if ($0 ~ /# SKIP/) { skip++; skipped[skip] = $0 } else pass++
		seen++; next
	}
	/^not ok [0-9]+ / { fail++; failed[fail] = $0; seen++; next }
	END {
		for (i = 1; i <= fail; i++) print "  " failed[i] > "/dev/stderr"
		if (skip && skip <= 10)
			for (i = 1; i <= skip; i++) print "  " skipped[i] > "/dev/stderr"
		missing = plan - seen
		if (!plan) { print "no TAP plan in the console log" > "/dev/stderr"; missing = 0 }
		line = sprintf("%d passed, %d failed", pass, fail + missing)
		if (skip) line = line sprintf(", %d skipped", skip)
		if (missing > 0) line = line sprintf(" (%d of %d never reported)", missing, plan)
		print "selftests: " line
		exit (fail || missing || !plan || qemu_rc) ? 1 : 0
	}'
