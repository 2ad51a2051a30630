#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make fuzz: the hardening runs with a larger budget than make test gives
# them, then one summary.
#
# 1. Both KUnit fuzz suites (parsers against an independent reading of the
#    rules, and the secure-world fuzzer: the simulator answering with random
#    malformed callbacks, async messages, sizes, ids and results, and
#    exhausting its tables) on the debug KUnit kernel, one boot per seed.
# 2. The userspace fuzzer (qcomtee_fuzz) on the debug QEMU kernel (KASAN,
#    lockdep, UBSAN, KFENCE, kmemleak): random ioctls (fuzz), the valid flows
#    from several processes and threads (stress), every allocation of the
#    main flows failed in turn (failnth) and failslab/fail_page_alloc at
#    random (failslab); each mode ends with a leak check of both sides.
#
#   FUZZ_ITERS         parser iterations per KUnit boot (secure-world steps:
#                      a tenth)
#   FUZZ_SEEDS         space-separated seeds, one KUnit boot each (default: 2
#                      seeds derived from the time, printed for repetition)
#   FUZZ_USER_SECONDS  seconds of the userspace fuzz mode (stress and
#                      failslab get a quarter each)
#   FUZZ_USER_SEED     seed of the userspace modes (default: the first seed)
#   FUZZ_USER=0        skips the userspace part
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
		--kernel_args="qcomtee_kunit.fuzz_seed=$seed" \
		--kernel_args="qcomtee_kunit.fuzz_iters=$iters" \
		--raw_output=all 'qcomtee_fuzz' > "$log" 2>&1 || true
	grep -E 'fuzz_(parsers|secure_world)(:| )|ok [0-9]+ fuzz|not ok' "$log" >&2 || true
	echo "qcomtee_fuzz" > "$QCOMTEE_BUILD/fuzz-suites.txt"
	python3 tools/testing/kunit/kunit.py parse --json="$QCOMTEE_BUILD/fuzz.json" \
		< "$log" > /dev/null 2>&1 || true
	python3 "$QCOMTEE_REPO/tools/testing/qcomtee/kunit-summary.py" \
		"$QCOMTEE_BUILD/fuzz.json" "$log" "$QCOMTEE_BUILD/fuzz-suites.txt" ||
		status=1
done

# What ran, from the suites' own summary lines.
kunit_total=0
for seed in $seeds; do
	log=$QCOMTEE_BUILD/fuzz-$seed.log
	p=$( (grep -aoE 'FUZZ parsers: [0-9]+ iterations' "$log" || true) |
		awk '{ s += $3 } END { print s + 0 }')
	w=$( (grep -aoE 'FUZZ secure world: [0-9]+ steps' "$log" || true) |
		awk '{ s += $4 } END { print s + 0 }')
	kunit_total=$((kunit_total + p + w))
	qcomtee_log "kunit seed $seed: $p parser iterations, $w secure-world steps"
done

user_total=0
if [ "${FUZZ_USER:-1}" != 0 ]; then
	here=$QCOMTEE_REPO/tools/testing/qcomtee
	secs=${FUZZ_USER_SECONDS:-420}
	useed=${FUZZ_USER_SEED:-${seeds%% *}}
	ulog=$QCOMTEE_BUILD/fuzz-user-$useed.log
	progs=(
		"/bin/qcomtee_fuzz -m fuzz -s $useed -d $secs -p 2 -j 3"
		"/bin/qcomtee_fuzz -m stress -s $((useed + 1)) -d $((secs / 4)) -p 3 -j 3"
		"/bin/qcomtee_fuzz -m failnth -s $((useed + 2))"
		"/bin/qcomtee_fuzz -m failslab -s $((useed + 3)) -d $((secs / 4)) -P 2"
	)
	qcomtee_log "userspace fuzzer: seed $useed, ${secs}s (log $ulog)"
	"$here/build-kernel.sh" >/dev/null
	"$here/build-initramfs.sh" "${progs[@]}" >/dev/null
	"$here/run-qemu.sh" -q -l "$ulog" -t $((secs * 3 / 2 + 600)) || status=1
	tr -d '\r' < "$ulog" | grep -aE '^QCOMTEE-FUZZ|^# failnth: [0-9]+ injected' >&2 || true
	user_total=$(tr -d '\r' < "$ulog" | awk '/^QCOMTEE-FUZZ mode=/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^ops=/) s += substr($i, 5) }
		END { print s + 0 }')
	if tr -d '\r' < "$ulog" | grep -aqE '^QCOMTEE-FUZZ mode=.* (findings=[1-9]|leaks=[1-9])'; then
		status=1
	fi
fi

echo "fuzz: $((kunit_total + user_total)) operations ($kunit_total in KUnit, $user_total from userspace), $([ $status -eq 0 ] && echo "no findings" || echo "FINDINGS (see the logs above)")"
exit $status
