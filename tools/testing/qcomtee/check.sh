#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks: checkpatch --strict on the project's own kernel files and on
# every patch of the series, then a sparse (C=2) + W=1 build of the TEE
# subsystem and of the Qualcomm SCM path for arm64. Any finding fails.
. "$(dirname "$0")/lib.sh"

status=0
cd "$QCOMTEE_TREE"

checkpatch() {
	perl scripts/checkpatch.pl --strict --terse --no-summary --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG "$@"
}

# Findings accepted where they stand (regexes with the reason, see there).
accepted=$QCOMTEE_REPO/tools/testing/qcomtee/checkpatch-accepted.txt

# The kernel files are linked into the tree; the firmware is checked where
# it is.
mapfile -t files < <(cd "$QCOMTEE_REPO" &&
	{ find drivers include -name '*.[ch]'
	  find "$QCOMTEE_REPO/tools/testing/qcomtee/firmware" -name '*.[chS]'; } | sort)
for f in "${files[@]}"; do
	out=$(checkpatch -f "$f" 2>&1 |
	      grep -vE -f <(grep -v '^#' "$accepted")) || true
	if [ -n "$out" ]; then
		echo "$out"
		status=1
	fi
done
for p in "$QCOMTEE_REPO"/patches/*.patch; do
	out=$(checkpatch "$p" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$(basename "$p"): $out"
		status=1
	fi
done
[ $status -eq 0 ] && qcomtee_log "checkpatch: clean (${#files[@]} files, $(ls "$QCOMTEE_REPO"/patches/*.patch | wc -l) patches)"

# A small arm64 configuration with everything this project touches.
kbuild=$QCOMTEE_BUILD/check
mkdir -p "$kbuild"
make="make -s ARCH=arm64 CROSS_COMPILE=$QCOMTEE_CROSS O=$kbuild -j$QCOMTEE_JOBS"
frag=$QCOMTEE_REPO/tools/testing/qcomtee/check.config
if [ ! -f "$kbuild/.config" ] || [ "$frag" -nt "$kbuild/.config" ]; then
	$make allnoconfig >/dev/null
	scripts/kconfig/merge_config.sh -m -O "$kbuild" "$kbuild/.config" "$frag" >/dev/null
	$make olddefconfig >/dev/null
	for opt in $(grep -o '^CONFIG_[A-Z0-9_]*=[ym]' "$frag"); do
		grep -qx "$opt" "$kbuild/.config" ||
			qcomtee_die "check config: $opt did not stick"
	done
fi
$make prepare >/dev/null 2>&1
log=$QCOMTEE_BUILD/check-build.log
dirs="drivers/tee/"
[ -d drivers/firmware/qcom ] && dirs="$dirs drivers/firmware/qcom/"
if ! $make C=2 W=1 $dirs > "$log" 2>&1; then
	cat "$log"
	qcomtee_die "build failed"
fi
baseline=$QCOMTEE_REPO/tools/testing/qcomtee/check-baseline.txt
findings=$(grep -E 'warning:|error:' "$log" | sed "s|$QCOMTEE_TREE/||" |
	grep -vxF -f <(grep -v '^#' "$baseline") || true)
if [ -n "$findings" ]; then
	echo "$findings"
	status=1
else
	qcomtee_log "sparse + W=1: clean ($dirs)"
fi
exit $status
