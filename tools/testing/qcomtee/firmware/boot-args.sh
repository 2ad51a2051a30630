#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the firmware and the device tree of a boot on it, and print the
# qemu-system-aarch64 arguments that load them with the kernel and the
# initramfs, one per line:
#
#   boot-args.sh OUTDIR IMAGE INITRD BOOTARGS QEMU-MACHINE-ARGS...
#
# QEMU-MACHINE-ARGS are the -cpu, -smp and -m of the run: the device tree
# is QEMU's own for that machine (dumpdtb), edited for a firmware boot: a
# PSCI node (method smc) and PSCI as every CPU's enable method, /chosen with
# BOOTARGS and the initramfs, /firmware/scm (qcom,scm), a qcom,rmtfs-mem
# region, and without the non-secure PL061 and gpio-keys, which abort under
# secure=on.
set -euo pipefail

[ $# -ge 4 ] || { echo "usage: $0 OUTDIR IMAGE INITRD BOOTARGS QEMU-MACHINE-ARGS..." >&2; exit 1; }
out=$1 image=$2 initrd=$3 bootargs=$4
shift 4
src=$(cd "$(dirname "$0")" && pwd)

# Where the loader puts each part (firmware/fw.h knows the kernel and DTB).
kernel_addr=0x40200000
dtb_addr=0x48000000
initrd_addr=0x49000000

for t in dtc fdtput fdtget qemu-system-aarch64; do
	command -v $t >/dev/null || { echo "$t missing (make deps)" >&2; exit 1; }
done
[ -f "$image" ] || { echo "$image missing" >&2; exit 1; }
[ -f "$initrd" ] || { echo "$initrd missing" >&2; exit 1; }

make -s -C "$src" O="$out" >&2
# The kernel (its header's image_size: with .bss) must end before the DTB,
# the DTB before the initramfs.
isize=$(od -An -t u8 -j 16 -N 8 "$image" | tr -d ' ')
[ "$isize" -ge "$(stat -c %s "$image")" ] || isize=$(stat -c %s "$image")
[ $((kernel_addr + isize)) -le $((dtb_addr)) ] ||
	{ echo "$image is too large for $kernel_addr..$dtb_addr" >&2; exit 1; }

dtb=$out/board.dtb
qemu-system-aarch64 -machine virt,secure=on,dumpdtb="$dtb.qemu" "$@" \
	-display none -monitor none -serial none -nodefaults >/dev/null 2>&1
dtc -q -I dtb -O dtb -p 8192 -o "$dtb.tmp" "$dtb.qemu"
fdtput -c "$dtb.tmp" /psci
fdtput -t s "$dtb.tmp" /psci compatible arm,psci-1.0
fdtput -t s "$dtb.tmp" /psci method smc
for cpu in $(fdtget -l "$dtb.tmp" /cpus | grep '^cpu@'); do
	fdtput -t s "$dtb.tmp" "/cpus/$cpu" enable-method psci
done
fdtput -t s "$dtb.tmp" /chosen bootargs "$bootargs"
fdtput -t x "$dtb.tmp" /chosen linux,initrd-start $initrd_addr
fdtput -t x "$dtb.tmp" /chosen linux,initrd-end \
	"$(printf '%x' $((initrd_addr + $(stat -c %s "$initrd"))))"
fdtput -c "$dtb.tmp" /firmware
fdtput -c "$dtb.tmp" /firmware/scm
fdtput -t s "$dtb.tmp" /firmware/scm compatible qcom,scm
fdtput -r "$dtb.tmp" /pl061@9030000 /gpio-keys
# A remote file system region given to the modem (VMID 15) at the top of
# RAM, as Qualcomm boards have: its driver (qcom_rmtfs_mem) assigns it with
# MP_ASSIGN at boot, whose arguments qcom_scm passes in qcom_tzmem memory
# (and, seven of them, partly in memory through x5), so qcom_tzmem creates
# an SHM bridge.
read -r _ mbase _ msize <<< "$(fdtget -t x "$dtb.tmp" /memory@40000000 reg)"
rmtfs=$(printf '%x' $((0x$mbase + 0x$msize - 0x200000)))
fdtput -c "$dtb.tmp" /reserved-memory "/reserved-memory/rmtfs@$rmtfs"
fdtput -t x "$dtb.tmp" /reserved-memory '#address-cells' 2
fdtput -t x "$dtb.tmp" /reserved-memory '#size-cells' 2
fdtput -t x "$dtb.tmp" /reserved-memory ranges
node=/reserved-memory/rmtfs@$rmtfs
fdtput -t s "$dtb.tmp" $node compatible qcom,rmtfs-mem
fdtput -t x "$dtb.tmp" $node reg 0 "$rmtfs" 0 100000
fdtput -t x "$dtb.tmp" $node no-map
fdtput -t x "$dtb.tmp" $node qcom,client-id 1
fdtput -t x "$dtb.tmp" $node qcom,vmid f
mv "$dtb.tmp" "$dtb"
[ $((dtb_addr + $(stat -c %s "$dtb"))) -le $((initrd_addr)) ] ||
	{ echo "$dtb is too large" >&2; exit 1; }

printf '%s\n' -machine virt,secure=on -bios "$out/qcomtee-fw.bin" \
	-device "loader,file=$image,addr=$kernel_addr" \
	-device "loader,file=$dtb,addr=$dtb_addr" \
	-device "loader,file=$initrd,addr=$initrd_addr"
