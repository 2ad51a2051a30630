#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the arm64 KUnit kernel from the prepared tree and run the suites of
# drivers/tee/.kunitconfig under QEMU with the kernel's own runner.
. "$(dirname "$0")/lib.sh"

kbuild=$QCOMTEE_BUILD/kunit
json=$QCOMTEE_BUILD/kunit.json
rm -f "$json"

cd "$QCOMTEE_TREE"
set +e
python3 tools/testing/kunit/kunit.py run \
	--arch=arm64 --cross_compile=$QCOMTEE_CROSS \
	--build_dir="$kbuild" --kunitconfig=drivers/tee \
	--jobs="$QCOMTEE_JOBS" --timeout=900 \
	--qemu_args="-smp 2 -m 2048" \
	--raw_output=all > "$QCOMTEE_BUILD/kunit-raw.log" 2>&1
kunit_rc=$?
set -e
# Parse the console ourselves as well, so a splat outside a test counts.
python3 tools/testing/kunit/kunit.py parse --json="$json" \
	< "$QCOMTEE_BUILD/kunit-raw.log" > "$QCOMTEE_BUILD/kunit-parsed.log" 2>&1 || true
tail -n 5 "$QCOMTEE_BUILD/kunit-parsed.log" >&2 || true
if [ $kunit_rc -ne 0 ]; then
	grep -iE 'error|missing' "$QCOMTEE_BUILD/kunit-raw.log" | head -n 40 >&2 || true
fi
python3 "$QCOMTEE_REPO/tools/testing/qcomtee/kunit-summary.py" "$json" \
	"$QCOMTEE_BUILD/kunit-raw.log" "$QCOMTEE_REPO/tools/testing/qcomtee/kunit-suites.txt"
