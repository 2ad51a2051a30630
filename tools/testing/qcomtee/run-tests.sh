#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: the KUnit suites on the KUnit kernel, then the userspace
# selftests on the QEMU kernel, then one summary line for both:
# "N passed, N failed[, N skipped]". Both parts always run; any failure,
# missing test or kernel splat in either fails the whole run.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
status=0
total() { sed -n 's/.*\b\([0-9]\+\) passed, \([0-9]\+\) failed\(, \([0-9]\+\) skipped\)\?.*/\1 \2 \4/p' | tail -n 1; }

kunit_out=$("$here/run-kunit.sh" | tee /dev/stderr) || status=1
self_out=$("$here/run-selftests.sh" 2>&1 | tee /dev/stderr; exit "${PIPESTATUS[0]}") || status=1

read -r kp kf ks <<< "$(echo "$kunit_out" | total)"
read -r sp sf ss <<< "$(echo "$self_out" | total)"
passed=$(( ${kp:-0} + ${sp:-0} ))
failed=$(( ${kf:-1} + ${sf:-1} ))
skipped=$(( ${ks:-0} + ${ss:-0} ))
[ $status -ne 0 ] && [ $failed -eq 0 ] && failed=1

echo "kunit: ${kp:-0} passed, ${kf:-?} failed; selftests: ${sp:-0} passed, ${sf:-?} failed, ${ss:-0} skipped"
line="$passed passed, $failed failed"
[ $skipped -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
exit $status
