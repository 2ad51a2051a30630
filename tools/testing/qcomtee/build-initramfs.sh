#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the test initramfs: cross-compile (static, arm64) the init, the demo
# and the firmware checks here, and the selftests with their kselftest
# Makefile (tools/testing/selftests/drivers/tee/qcomtee), against the
# prepared tree's UAPI headers (with the patched tee.h), and pack them with
# the skeleton TA image into $QCOMTEE_BUILD/initramfs.cpio using the
# kernel's gen_init_cpio.
#
# Usage: build-initramfs.sh ["program [args]" ...]
#   (default: /bin/qcomtee_test); the list goes to /etc/qcomtee-run.
. "$(dirname "$0")/lib.sh"

src=$QCOMTEE_REPO/tools/testing/qcomtee
kst=$QCOMTEE_REPO/$QCOMTEE_KSELFTEST
out=$QCOMTEE_BUILD/initramfs
hdr=$QCOMTEE_BUILD/headers
cc=${QCOMTEE_CROSS}gcc
cflags=(-static -O2 -Wall -Wextra -Werror)
ta=$QCOMTEE_REPO/drivers/tee/qcomtee/sim/smcinvoke_skeleton_ta64.mbn
[ -r "$ta" ] || ta=$QCOMTEE_TREE/drivers/tee/qcomtee/sim/smcinvoke_skeleton_ta64.mbn
[ -r "$ta" ] || qcomtee_die "smcinvoke_skeleton_ta64.mbn not found"
[ -f "$QCOMTEE_TREE/Makefile" ] || qcomtee_die "$QCOMTEE_TREE is not prepared (prepare-tree.sh)"
command -v "$cc" >/dev/null || qcomtee_die "$cc missing (make deps)"

mkdir -p "$out/bin"

# UAPI headers of the prepared tree (its own O= directory: no clash with a
# kernel build running at the same time). Incremental in kbuild.
make -C "$QCOMTEE_TREE" O="$hdr" ARCH=arm64 -s headers_install \
	INSTALL_HDR_PATH="$hdr/install" >/dev/null
grep -q TEE_IOC_OBJECT_INVOKE "$hdr/install/include/linux/tee.h" ||
	qcomtee_die "installed tee.h lacks TEE_IOC_OBJECT_INVOKE (patch series not applied?)"

inc=(-I"$hdr/install/include" -I"$QCOMTEE_TREE/drivers/tee/qcomtee/sim"
     -I"$kst")

# Rebuild a program when its inputs changed (by content: headers_install
# rewrites the headers every time).
build() {
	local bin=$1; shift
	local sum
	sum=$(cat "$@" "$kst/qcomtee_client.h" "$hdr/install/include/linux/tee.h" \
		"$QCOMTEE_TREE/drivers/tee/qcomtee/sim/qcomtee_sim_testapp.h" \
		"$QCOMTEE_TREE/drivers/tee/qcomtee/sim/qcomtee_testsvc.h" |
		{ cat; echo "${cflags[*]}"; } | md5sum)
	[ -x "$out/bin/$bin" ] && [ "$(cat "$out/bin/$bin.sum" 2>/dev/null)" = "$sum" ] &&
		return 0
	qcomtee_log "cc $bin"
	"$cc" "${cflags[@]}" "${inc[@]}" -o "$out/bin/$bin.tmp" "$@" -lpthread
	mv "$out/bin/$bin.tmp" "$out/bin/$bin"
	echo "$sum" > "$out/bin/$bin.sum"
}

build init "$src/qcomtee_init.c"
build qcomtee_demo "$src/qcomtee_demo.c" "$kst/qcomtee_client.c"
build qcomtee_fwcheck "$src/qcomtee_fwcheck.c" "$kst/qcomtee_client.c"

# The selftests, the fuzzer and the listener daemon, as kselftest builds
# them (make -C tools/testing/selftests TARGETS=...), in our own O=. lib.mk
# rebuilds what changed but knows nothing of the installed UAPI headers:
# start afresh when tee.h's content changes.
ksout=$QCOMTEE_BUILD/kselftest
target=${QCOMTEE_KSELFTEST#tools/testing/selftests/}
kbin=$ksout/kselftest/$target
stamp=$(md5sum < "$hdr/install/include/linux/tee.h")
[ "$(cat "$ksout/tee.h.sum" 2>/dev/null)" = "$stamp" ] || rm -rf "$kbin"
make -C "$QCOMTEE_TREE/tools/testing/selftests" -s TARGETS="$target" \
	O="$ksout" CROSS_COMPILE="$QCOMTEE_CROSS" \
	KHDR_INCLUDES="-isystem $hdr/install/include" \
	USERCFLAGS="-static -Werror" USERLDFLAGS=-static
echo "$stamp" > "$ksout/tee.h.sum"
for p in qcomtee_test qcomtee_fuzz qcomtee_listenerd; do
	[ -x "$kbin/$p" ] || qcomtee_die "kselftest build made no $p"
	cmp -s "$kbin/$p" "$out/bin/$p" || cp "$kbin/$p" "$out/bin/$p"
done

# What init runs when the kernel command line names nothing: one program
# (with its arguments) per argument.
[ $# -gt 0 ] || set -- /bin/qcomtee_test
printf '%s\n' "$@" > "$out/qcomtee-run.new"
cmp -s "$out/qcomtee-run.new" "$out/qcomtee-run" || mv "$out/qcomtee-run.new" "$out/qcomtee-run"
rm -f "$out/qcomtee-run.new"

gen=$QCOMTEE_BUILD/kernel/usr/gen_init_cpio
if [ ! -x "$gen" ]; then
	mkdir -p "$QCOMTEE_BUILD/tools"
	gen=$QCOMTEE_BUILD/tools/gen_init_cpio
	[ -x "$gen" ] || gcc -O2 -o "$gen" "$QCOMTEE_TREE/usr/gen_init_cpio.c"
fi

cat > "$out/list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 01777 0 0
dir /etc 0755 0 0
dir /bin 0755 0 0
file /init $out/bin/init 0755 0 0
file /bin/qcomtee_test $out/bin/qcomtee_test 0755 0 0
file /bin/qcomtee_demo $out/bin/qcomtee_demo 0755 0 0
file /bin/qcomtee_fuzz $out/bin/qcomtee_fuzz 0755 0 0
file /bin/qcomtee_fwcheck $out/bin/qcomtee_fwcheck 0755 0 0
file /bin/qcomtee_listenerd $out/bin/qcomtee_listenerd 0755 0 0
file /etc/qcomtee-run $out/qcomtee-run 0644 0 0
file /smcinvoke_skeleton_ta64.mbn $ta 0644 0 0
EOF
"$gen" "$out/list" > "$QCOMTEE_BUILD/initramfs.cpio.tmp"
mv "$QCOMTEE_BUILD/initramfs.cpio.tmp" "$QCOMTEE_BUILD/initramfs.cpio"
echo "$QCOMTEE_BUILD/initramfs.cpio"
