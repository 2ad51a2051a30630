#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the fuzz suites on the debug (KASAN, lockdep, UBSAN) KUnit kernel with
# a larger budget than make test gives them:
#   FUZZ_ITERS  parser iterations per run (secure-world steps: a tenth)
#   FUZZ_SEEDS  space-separated seeds, one boot each (default: 2 seeds
#               derived from the time, printed so a run can be repeated)
. "$(dirname "$0")/lib.sh"

iters=${FUZZ_ITERS:-500000}
seeds=${FUZZ_SEEDS:-"$(date +%s) $(( $(date +%s) + 1000 ))"}
kbuild=$QCOMTEE_BUILD/kunit
status=0
cd "$QCOMTEE_TREE"

for seed in $seeds; do
	qcomtee_log "fuzz: seed $seed, $iters iterations"
	log=$QCOMTEE_BUILD/fuzz-$seed.log
	python3 tools/testing/kunit/kunit.py run \
		--arch=arm64 --cross_compile=$QCOMTEE_CROSS \
		--build_dir="$kbuild" --kunitconfig=drivers/tee \
		--jobs="$QCOMTEE_JOBS" --timeout=3000 \
		--qemu_args="-smp 2 -m 2048" \
		--kernel_args="qcomtee.fuzz_seed=$seed" \
		--kernel_args="qcomtee.fuzz_iters=$iters" \
		--raw_output=all 'qcomtee_fuzz' > "$log" 2>&1 || true
	grep -E 'fuzz_(parsers|secure_world)(:| )|ok [0-9]+ fuzz|not ok' "$log" >&2 || true
	echo "qcomtee_fuzz" > "$QCOMTEE_BUILD/fuzz-suites.txt"
	python3 tools/testing/kunit/kunit.py parse --json="$QCOMTEE_BUILD/fuzz.json" \
		< "$log" > /dev/null 2>&1 || true
	python3 "$QCOMTEE_REPO/tools/testing/qcomtee/kunit-summary.py" \
		"$QCOMTEE_BUILD/fuzz.json" "$log" "$QCOMTEE_BUILD/fuzz-suites.txt" ||
		status=1
done
exit $status
