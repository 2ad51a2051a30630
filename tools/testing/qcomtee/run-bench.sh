#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build a non-debug arm64 KUnit kernel with the qcomtee_bench
# suite (tools/testing/qcomtee/bench/.kunitconfig) and run it under QEMU with
# the kernel's own runner; then boot the same kernel (KUnit off) with an
# initramfs whose /init is the userspace benchmark (qcomtee_bench_user.c).
# The BENCH lines of both become a table on stdout and
# $QCOMTEE_BUILD/bench.json. Nothing asserts anything about speed. Exits
# non-zero if a run failed or a figure is missing.
#
# QCOMTEE_BENCH_USER=0 skips the userspace part.
. "$(dirname "$0")/lib.sh"

here=$QCOMTEE_REPO/tools/testing/qcomtee
kbuild=$QCOMTEE_BUILD/bench
raw=$QCOMTEE_BUILD/bench-raw.log
json=$QCOMTEE_BUILD/bench.json
start=$(date +%s)

"$here/prepare-tree.sh"
rm -f "$json"

cd "$QCOMTEE_TREE"
qcomtee_log "building and running the benchmark kernel in $kbuild (log $raw)"
set +e
python3 tools/testing/kunit/kunit.py run \
	--arch=arm64 --cross_compile=$QCOMTEE_CROSS \
	--build_dir="$kbuild" --kunitconfig="$here/bench/.kunitconfig" \
	--jobs="$QCOMTEE_JOBS" --timeout=900 \
	--qemu_args="-smp 2 -m 2048" \
	--raw_output=all > "$raw" 2>&1
kunit_rc=$?
set -e
if [ $kunit_rc -ne 0 ]; then
	qcomtee_log "kunit.py failed ($kunit_rc):"
	grep -iE 'error|not ok|missing|panic' "$raw" | head -n 40 >&2 || true
fi

# The userspace part: static program as /init, same kernel, KUnit off.
user_log=$QCOMTEE_BUILD/bench-user.log
run_user() {
	local hdr=$QCOMTEE_BUILD/headers out=$QCOMTEE_BUILD/bench-initramfs
	local image=$kbuild/arch/arm64/boot/Image

	[ -f "$image" ] || { qcomtee_log "$image missing"; return 1; }
	mkdir -p "$out"
	make -C "$QCOMTEE_TREE" O="$hdr" ARCH=arm64 -s headers_install \
		INSTALL_HDR_PATH="$hdr/install" >/dev/null
	grep -q TEE_IOC_OBJECT_INVOKE "$hdr/install/include/linux/tee.h" || {
		qcomtee_log "installed tee.h lacks TEE_IOC_OBJECT_INVOKE"; return 1; }
	${QCOMTEE_CROSS}gcc -static -O2 -Wall -Wextra -Werror \
		-I"$hdr/install/include" \
		-I"$QCOMTEE_TREE/drivers/tee/qcomtee/sim" -I"$here" \
		-o "$out/init" "$here/qcomtee_bench_user.c" \
		"$here/qcomtee_client.c" -lpthread || return 1
	[ -x "$out/gen_init_cpio" ] ||
		gcc -O2 -o "$out/gen_init_cpio" "$QCOMTEE_TREE/usr/gen_init_cpio.c" ||
		return 1
	cat > "$out/list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $out/init 0755 0 0
LIST
	"$out/gen_init_cpio" "$out/list" > "$out/initramfs.cpio" || return 1

	qcomtee_log "booting the benchmark kernel with the userspace benchmark (log $user_log)"
	timeout -k 10 600 qemu-system-aarch64 -machine virt \
		-cpu max,pauth-impdef=on -smp 2 -m 2048 -nographic -no-reboot -nic none \
		-kernel "$image" -initrd "$out/initramfs.cpio" \
		-append "console=ttyAMA0 quiet kunit.enable=0 panic=-1 rdinit=/init" \
		</dev/null > "$user_log" 2>&1
	grep -aq 'QCOMTEE-BENCH-USER-END status=0' "$user_log" || {
		qcomtee_log "userspace benchmark failed:"
		grep -aE 'qcomtee_bench_user|BUG|WARNING|Oops|panic' "$user_log" |
			head -n 20 >&2
		return 1
	}
}

user_rc=0
logs=("$raw")
if [ "${QCOMTEE_BENCH_USER:-1}" != 0 ] && [ $kunit_rc -eq 0 ]; then
	set +e
	run_user
	user_rc=$?
	set -e
	logs+=("$user_log")
fi

set +e
python3 "$here/bench-report.py" "${logs[@]}" "$json"
report_rc=$?
set -e
qcomtee_log "make bench took $(( $(date +%s) - start ))s"
[ $kunit_rc -eq 0 ] && [ $report_rc -eq 0 ] && [ $user_rc -eq 0 ]
