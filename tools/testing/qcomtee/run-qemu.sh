#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the QEMU kernel ($QCOMTEE_BUILD/kernel) with the test initramfs and
# wait for init's end marker. The console goes to the terminal (unless -q)
# and to a log. Fails on a timeout, a missing end marker, a non-zero
# status of the programs init ran, or any kernel splat in the log.
#
# Usage: run-qemu.sh [-q] [-l LOG] [-t SECONDS] [-m MODE] [PROGRAM...]
#   PROGRAM...  absolute paths in the initramfs to run instead of the
#               initramfs's /etc/qcomtee-run list (passed after "--").
#   -m sim      (default) the QEMU kernel ($QCOMTEE_BUILD/kernel) booted by
#               QEMU itself, the simulated QTEE in the kernel
#   -m fw       the board kernel ($QCOMTEE_BUILD/fw-kernel) booted by the
#               firmware of firmware/ at EL3 (virt,secure=on); the
#               firmware's log (secure UART) goes to LOG with .fw before
#               its extension (e.g. build/qemu.fw.log)
# QCOMTEE_QEMU_APPEND adds kernel parameters (e.g.
# initcall_blacklist=qcomtee_sim_init boots without a QTEE device).
. "$(dirname "$0")/lib.sh"

log=$QCOMTEE_BUILD/qemu.log
timeout=${QCOMTEE_QEMU_TIMEOUT:-900}
quiet=0
mode=sim
usage="usage: $0 [-q] [-l LOG] [-t SECONDS] [-m sim|fw] [PROGRAM...]"
while getopts "ql:t:m:" opt; do
	case $opt in
	q) quiet=1 ;;
	l) log=$OPTARG ;;
	t) timeout=$OPTARG ;;
	m) mode=$OPTARG ;;
	*) qcomtee_die "$usage" ;;
	esac
done
shift $((OPTIND - 1))

case $mode in
sim) image=$QCOMTEE_BUILD/kernel/arch/arm64/boot/Image ;;
fw) image=$QCOMTEE_BUILD/fw-kernel/arch/arm64/boot/Image ;;
*) qcomtee_die "$usage" ;;
esac
initrd=$QCOMTEE_BUILD/initramfs.cpio
[ -f "$image" ] || qcomtee_die "$image missing (build-kernel.sh)"
[ -f "$initrd" ] || qcomtee_die "$initrd missing (build-initramfs.sh)"
command -v qemu-system-aarch64 >/dev/null || qcomtee_die "qemu-system-aarch64 missing (make deps)"

# loglevel=5: only warnings and worse reach the console, so the programs'
# output stays readable and every splat is still seen.
append="console=ttyAMA0 loglevel=5 panic=-1 hung_task_panic=0 ${QCOMTEE_QEMU_APPEND:-}"
[ $# -gt 0 ] && append="$append -- $*"

cpu=max
# Pointer authentication with QEMU's default algorithm is slow under TCG.
qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on -S -display none \
	-monitor none -serial none -nodefaults </dev/null >/dev/null 2>&1 &
probe=$!
sleep 0.5
if kill -0 $probe 2>/dev/null; then
	cpu=max,pauth-impdef=on
	kill $probe 2>/dev/null || true
fi
wait $probe 2>/dev/null || true

machine=(-cpu "$cpu" -smp 2 -m 1G -no-reboot -nic none)
if [ "$mode" = sim ]; then
	qemu=(-machine virt "${machine[@]}" -nographic -kernel "$image"
	      -initrd "$initrd" -append "$append")
else
	fwlog=${log%.*}.fw.${log##*.}
	[ "$fwlog" != "$log" ] || fwlog=$log.fw
	args=$("$(dirname "$0")/firmware/boot-args.sh" "$QCOMTEE_BUILD/firmware" \
		"$image" "$initrd" "$append" "${machine[@]}") ||
		qcomtee_die "the firmware or its device tree could not be built"
	mapfile -t qemu <<< "$args"
	qemu+=("${machine[@]}" -display none -monitor none -serial stdio
	       -serial "file:$fwlog")
	qcomtee_log "firmware log $fwlog"
fi

qcomtee_log "booting QEMU (timeout ${timeout}s, log $log)"
start=$(date +%s)
set +e
if [ $quiet -eq 1 ]; then
	timeout -k 10 "$timeout" qemu-system-aarch64 "${qemu[@]}" </dev/null >"$log" 2>&1
	rc=$?
else
	timeout -k 10 "$timeout" qemu-system-aarch64 "${qemu[@]}" </dev/null 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
fi
set -e
qcomtee_log "QEMU ran $(( $(date +%s) - start ))s"

fail=0
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
	qcomtee_log "QEMU timed out after ${timeout}s"
	fail=1
elif [ "$rc" -ne 0 ]; then
	qcomtee_log "QEMU exited with $rc"
	fail=1
fi

# Kernel splats (also those inside kmemleak's report init prints).
splat='BUG:|WARNING:|Oops|Unable to handle kernel|Kernel panic|kernel BUG'
splat+='|UBSAN:|possible circular locking|possible recursive locking'
splat+='|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked'
splat+='|unreferenced object|refcount_t:|list_add corruption|list_del corruption'
splat+='|ODEBUG:|DEBUG_LOCKS_WARN_ON|soft lockup|hard LOCKUP|Call trace:'
if grep -qaE "$splat" "$log"; then
	qcomtee_log "kernel splat in the console log:"
	grep -aE -m 20 "$splat" "$log" >&2
	fail=1
fi

marker=$(grep -aoE 'QCOMTEE-INIT-END status=[0-9]+' "$log" | tail -n 1 || true)
if [ -z "$marker" ]; then
	qcomtee_log "no end marker from init: the system did not finish"
	tail -n 30 "$log" >&2
	fail=1
elif [ "${marker##*=}" != 0 ]; then
	qcomtee_log "a program failed: $marker"
	fail=1
fi
exit $fail
