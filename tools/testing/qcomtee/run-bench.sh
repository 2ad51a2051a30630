#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build the benchmark kernel ("build-kernel.sh bench": the
# configuration make run boots, qemu.config, without its debug options, plus
# KUnit with the qcomtee_bench suite and tracepoints) and boot it once: the
# kernel-API suite runs at boot, then the userspace benchmark
# (qcomtee_bench_user.c) as /init on the same kernel. The BENCH lines
# become a table on stdout and $QCOMTEE_BUILD/bench.json, which also record
# the configuration's hash and QEMU's command line. Nothing asserts anything
# about speed. Exits non-zero if a part failed or a figure is missing.
#
# QCOMTEE_BENCH_USER=0 skips the userspace part (init powers off at once).
#
# Then the same no-op over the real SMC path: the board's kernel without
# the debug options ("build-kernel.sh board-bench": qcom_scm, no simulator)
# boots on the test firmware with qcomtee_bench.device_tag=smc, and the
# qcomtee_bench_device suite measures ROOT's no-op through the driver and
# the same message sent straight into qcom_scm's transport (smc_noop_*);
# its console is $QCOMTEE_BUILD/bench-smc-raw.log. QCOMTEE_BENCH_SMC=0
# skips it.
. "$(dirname "$0")/lib.sh"

here=$QCOMTEE_REPO/tools/testing/qcomtee
log=$QCOMTEE_BUILD/bench-raw.log
json=$QCOMTEE_BUILD/bench.json
out=$QCOMTEE_BUILD/bench-initramfs
hdr=$QCOMTEE_BUILD/headers
start=$(date +%s)

"$here/prepare-tree.sh"
rm -f "$json"
image=$("$here/build-kernel.sh" bench | tail -n 1)
kbuild=$(dirname "$(dirname "$(dirname "$(dirname "$image")")")")
config_hash=$(sha256sum "$kbuild/.config" | cut -c1-16)

# The userspace program as /init (static: the initramfs has nothing else).
mkdir -p "$out"
make -C "$QCOMTEE_TREE" O="$hdr" ARCH=arm64 -s headers_install \
	INSTALL_HDR_PATH="$hdr/install" >/dev/null
grep -q TEE_IOC_OBJECT_INVOKE "$hdr/install/include/linux/tee.h" ||
	qcomtee_die "installed tee.h lacks TEE_IOC_OBJECT_INVOKE"
${QCOMTEE_CROSS}gcc -static -O2 -Wall -Wextra -Werror \
	-I"$hdr/install/include" \
	-I"$QCOMTEE_TREE/drivers/tee/qcomtee/sim" \
	-I"$QCOMTEE_REPO/$QCOMTEE_KSELFTEST" \
	-o "$out/init" "$here/qcomtee_bench_user.c" \
	"$QCOMTEE_REPO/$QCOMTEE_KSELFTEST/qcomtee_client.c" -lpthread
[ -x "$out/gen_init_cpio" ] ||
	gcc -O2 -o "$out/gen_init_cpio" "$QCOMTEE_TREE/usr/gen_init_cpio.c"
cat > "$out/list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $out/init 0755 0 0
LIST
"$out/gen_init_cpio" "$out/list" > "$out/initramfs.cpio"

# One boot: the KUnit suite at boot, then /init. printk.time=0 keeps the
# KTAP lines parsable; the console shows KUnit's info messages.
append="console=ttyAMA0 printk.time=0 panic=-1 rdinit=/init kunit.enable=1"
[ "${QCOMTEE_BENCH_USER:-1}" = 0 ] && append="$append -- skip"
qemu=(qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on -smp 2
      -m 2048 -nographic -no-reboot -nic none -kernel "$image"
      -initrd "$out/initramfs.cpio" -append "$append")
qcomtee_log "booting the benchmark kernel (config $config_hash, log $log)"
set +e
timeout -k 10 1500 "${qemu[@]}" </dev/null > "$log" 2>&1
qemu_rc=$?
set -e
[ $qemu_rc -eq 0 ] || qcomtee_log "QEMU exited with $qemu_rc"

logs=("$log")
smc_rc=0
smc_meta=()
if [ "${QCOMTEE_BENCH_SMC:-1}" != 0 ]; then
	smc_log=$QCOMTEE_BUILD/bench-smc-raw.log
	smc_image=$("$here/build-kernel.sh" board-bench | tail -n 1)
	smc_kbuild=$(dirname "$(dirname "$(dirname "$(dirname "$smc_image")")")")
	smc_hash=$(sha256sum "$smc_kbuild/.config" | cut -c1-16)
	machine=(-cpu max,pauth-impdef=on -smp 2 -m 1G -no-reboot -nic none)
	smc_args=$("$here/firmware/boot-args.sh" "$QCOMTEE_BUILD/firmware" \
		"$smc_image" "$out/initramfs.cpio" \
		"console=ttyAMA0 printk.time=0 panic=-1 rdinit=/init kunit.enable=1 qcomtee_bench.device_tag=smc -- skip" \
		"${machine[@]}") ||
		qcomtee_die "the firmware or its device tree could not be built"
	mapfile -t smc_qemu <<< "$smc_args"
	smc_qemu+=("${machine[@]}" -display none -monitor none -serial stdio
		   -serial "file:$QCOMTEE_BUILD/bench-smc-fw.log")
	qcomtee_log "booting the board's benchmark kernel on the firmware (config $smc_hash, log $smc_log)"
	set +e
	timeout -k 10 600 qemu-system-aarch64 "${smc_qemu[@]}" </dev/null \
		> "$smc_log" 2>&1
	smc_rc=$?
	set -e
	[ $smc_rc -eq 0 ] || qcomtee_log "QEMU (firmware) exited with $smc_rc"
	logs+=("$smc_log")
	smc_meta=(--meta "smc_config_sha256=$smc_hash"
		  --meta "smc_config=qemu.config+board.config+bench.config"
		  --meta "smc_qemu=qemu-system-aarch64 ${smc_qemu[*]}")
fi

user_rc=0
if [ "${QCOMTEE_BENCH_USER:-1}" != 0 ] &&
   ! grep -aq 'QCOMTEE-BENCH-USER-END status=0' "$log"; then
	qcomtee_log "userspace benchmark failed:"
	grep -aE 'qcomtee_bench_user|BUG|WARNING|Oops|panic' "$log" | head -n 20 >&2
	user_rc=1
fi

set +e
python3 "$here/bench-report.py" --meta "config_sha256=$config_hash" \
	--meta "config=qemu.config+bench.config" \
	--meta "qemu=${qemu[*]}" ${smc_meta[@]+"${smc_meta[@]}"} \
	"${logs[@]}" "$json"
report_rc=$?
set -e
qcomtee_log "make bench took $(( $(date +%s) - start ))s"
[ $qemu_rc -eq 0 ] && [ $report_rc -eq 0 ] && [ $user_rc -eq 0 ] &&
	[ $smc_rc -eq 0 ]
