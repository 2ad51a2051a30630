#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: the KUnit suites on the KUnit kernel, the userspace selftests
# on the QEMU kernel, then the board kernel on the test firmware
# (run-fwtests.sh), and one summary line for all three:
# "N passed, N failed[, N skipped]". Every part always runs; any failure,
# missing test or kernel splat in one fails the whole run.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
status=0
total() { sed -n 's/.*\b\([0-9]\+\) passed, \([0-9]\+\) failed\(, \([0-9]\+\) skipped\)\?.*/\1 \2 \4/p' | tail -n 1; }

# tee to files, not to /dev/stderr: reopening a redirected log truncates it.
kout=$QCOMTEE_BUILD/test-kunit.out
sout=$QCOMTEE_BUILD/test-selftests.out
fout=$QCOMTEE_BUILD/test-fwtests.out
set +e
"$here/run-kunit.sh" 2>&1 | tee "$kout"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
"$here/run-selftests.sh" 2>&1 | tee "$sout"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
"$here/run-fwtests.sh" 2>&1 | tee "$fout"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
set -e

read -r kp kf ks <<< "$(total < "$kout")"
read -r sp sf ss <<< "$(total < "$sout")"
read -r fp ff fs <<< "$(total < "$fout")"
passed=$(( ${kp:-0} + ${sp:-0} + ${fp:-0} ))
failed=$(( ${kf:-1} + ${sf:-1} + ${ff:-1} ))
skipped=$(( ${ks:-0} + ${ss:-0} + ${fs:-0} ))
[ $status -ne 0 ] && [ $failed -eq 0 ] && failed=1

echo "kunit: ${kp:-0} passed, ${kf:-?} failed; selftests: ${sp:-0} passed, ${sf:-?} failed, ${ss:-0} skipped; fwtests: ${fp:-0} passed, ${ff:-?} failed"
line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
