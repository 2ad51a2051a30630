#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the small arm64 kernel of qemu.config (allnoconfig + fragment) in
# $QCOMTEE_BUILD/kernel from the prepared tree, incrementally. The .config is
# regenerated every time but only replaced when it changed, so an unchanged
# configuration rebuilds nothing. Every line of the fragment must survive in
# the final .config, or the build stops.
#
# QCOMTEE_QEMU_EXTRA_CONFIG=<file> appends another fragment (later lines win),
# e.g. to build without a driver that does not compile yet.
#
# Usage: build-kernel.sh [qemu|board|bench|board-bench]
#   qemu   (default) the simulator kernel make run and the selftests boot,
#          in $QCOMTEE_BUILD/kernel
#   board  qemu.config + board.config: a Qualcomm board's kernel (qcom_scm,
#          no simulator) for the firmware, in $QCOMTEE_BUILD/fw-kernel
#   bench  qemu.config + bench.config: the qemu kernel without its debug
#          options, with KUnit and the benchmark, in $QCOMTEE_BUILD/bench-kernel
#   board-bench  qemu.config + board.config + bench.config: the board's
#          kernel without the debug options, with the benchmark, for the
#          firmware, in $QCOMTEE_BUILD/bench-fw-kernel
. "$(dirname "$0")/lib.sh"

frag=$QCOMTEE_REPO/tools/testing/qcomtee/qemu.config
extra=()
case ${1:-qemu} in
qemu) kbuild=$QCOMTEE_BUILD/kernel ;;
board)
	kbuild=$QCOMTEE_BUILD/fw-kernel
	extra=("$QCOMTEE_REPO/tools/testing/qcomtee/board.config") ;;
bench)
	kbuild=$QCOMTEE_BUILD/bench-kernel
	extra=("$QCOMTEE_REPO/tools/testing/qcomtee/bench.config") ;;
board-bench)
	kbuild=$QCOMTEE_BUILD/bench-fw-kernel
	extra=("$QCOMTEE_REPO/tools/testing/qcomtee/board.config"
	       "$QCOMTEE_REPO/tools/testing/qcomtee/bench.config") ;;
*) qcomtee_die "usage: $0 [qemu|board|bench|board-bench]" ;;
esac
[ -n "${QCOMTEE_QEMU_EXTRA_CONFIG:-}" ] && extra+=("$QCOMTEE_QEMU_EXTRA_CONFIG")
mk=(make -C "$QCOMTEE_TREE" O="$kbuild" ARCH=arm64 CROSS_COMPILE=$QCOMTEE_CROSS -s)

[ -f "$QCOMTEE_TREE/Makefile" ] || qcomtee_die "$QCOMTEE_TREE is not prepared (prepare-tree.sh)"
mkdir -p "$kbuild"

all=$kbuild/qcomtee-fragment.config
cat "$frag" ${extra[@]+"${extra[@]}"} > "$all.tmp"
mv "$all.tmp" "$all"

# allnoconfig with the fragment as the preset values, into a scratch copy.
cp -f "$kbuild/.config" "$kbuild/.config.prev" 2>/dev/null || rm -f "$kbuild/.config.prev"
KCONFIG_ALLCONFIG=$all "${mk[@]}" allnoconfig >"$kbuild/kconfig.log" 2>&1 ||
	{ cat "$kbuild/kconfig.log" >&2; qcomtee_die "allnoconfig failed"; }
if [ -f "$kbuild/.config.prev" ] && cmp -s "$kbuild/.config" "$kbuild/.config.prev"; then
	# Unchanged: keep the old timestamp so make sees nothing new.
	mv -f "$kbuild/.config.prev" "$kbuild/.config"
else
	rm -f "$kbuild/.config.prev"
	qcomtee_log "kernel configuration changed"
fi

# Every option of the fragments must have stuck (the last assignment wins).
bad=0
while read -r line; do
	case $line in
	CONFIG_*=*)
		sym=${line%%=*}
		want=$line ;;
	"# CONFIG_"*" is not set")
		sym=${line#"# "}
		sym=${sym%% *}
		want=$line ;;
	*) continue ;;
	esac
	last=$(grep -E "^(# )?$sym[= ]" "$all" | tail -n 1)
	[ "$last" = "$line" ] || continue
	if [[ $want == "# "* ]]; then
		grep -qE "^$sym=" "$kbuild/.config" && {
			qcomtee_log "config: $sym is set, fragment wants it off"; bad=1; }
	else
		grep -qxF "$want" "$kbuild/.config" || {
			qcomtee_log "config: wanted $want, got: $(grep -E "^(# )?$sym[= ]" "$kbuild/.config" || echo "(absent)")"
			bad=1; }
	fi
done < "$all"
[ $bad -eq 0 ] || qcomtee_die "the kernel configuration lost options of $(basename "$frag")"

qcomtee_log "building arm64 kernel in $kbuild"
"${mk[@]}" -j"$QCOMTEE_JOBS" Image >"$kbuild/build.log" 2>&1 || {
	grep -E 'error|Error|warning' "$kbuild/build.log" | head -n 40 >&2
	tail -n 20 "$kbuild/build.log" >&2
	qcomtee_die "kernel build failed (log: $kbuild/build.log)"
}
grep -E 'warning:' "$kbuild/build.log" | head -n 20 >&2 || true
echo "$kbuild/arch/arm64/boot/Image"
