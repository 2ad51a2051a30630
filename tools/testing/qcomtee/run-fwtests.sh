#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the board kernel (build-kernel.sh board: qcom_scm, no simulator) on
# the test firmware (firmware/) with two CPUs, run qcomtee_fwcheck in it,
# then check the firmware's own log (the secure UART): the calls the kernel
# made and what they were answered (SMCINVOKE included: QTEE is the model
# the simulator uses), the SHM bridge table and the power off, and the
# firmware's own checks of bad SCM and SMCINVOKE arguments, of its secure
# threads and of the QTEE model files it shares with the simulator
# (fw: selftest).
# Prints TAP for both sides and "fwtests: N passed, N failed". The console
# is $QCOMTEE_BUILD/fwtests.log, the firmware's log
# $QCOMTEE_BUILD/fwtests.fw.log.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
log=$QCOMTEE_BUILD/fwtests.log
fwlog=$QCOMTEE_BUILD/fwtests.fw.log
cpus=2

"$here/build-kernel.sh" board >/dev/null
"$here/build-initramfs.sh" "/bin/qcomtee_fwcheck -c $cpus" >/dev/null

rm -f "$fwlog"
set +e
"$here/run-qemu.sh" -q -m fw -l "$log" -t 600
qemu_rc=$?
set -e

tap=$QCOMTEE_BUILD/fwtests.tap
tr -d '\r' < "$log" | grep -aE '^(1\.\.[0-9]+$|ok |not ok |# )' > "$tap" || true
fw=$(tr -d '\r' < "$fwlog" 2>/dev/null || true)
# The firmware's boot-time checks of the SCM arguments Linux never sends.
sed -n 's/^fw: selftest //p' <<< "$fw" >> "$tap"

n=0
# host OK NAME: one TAP line of a check made here (OK: 0 passes).
host() {
	local rc=$1; shift
	n=$((n + 1))
	if [ "$rc" = 0 ]; then echo "ok $n - $*"; else echo "not ok $n - $*"; fi
}
has() { grep -qE "$1" <<< "$fw"; }
# The number of calls of the summary lines matching $1.
calls() { grep -E "$1" <<< "$fw" | awk -F'count=' '{ n += $2 } END { print n + 0 }'; }

bridges=$(grep -oE 'shm-bridge enabled=[0-9]+ live=[0-9]+ created=[0-9]+ deleted=[0-9]+ refused=[0-9]+' <<< "$fw" | tail -n 1 || true)
read -r en live created deleted refused <<< "$(sed 's/[a-z-]*=//g; s/shm bridge //' <<< "${bridges#shm-bridge }")"
# Each check's status goes to host(): a failing check must not end the script.
set +e
{
	echo "1..14"
	has '^fw: summary: cpu1 state 3 cpu_on 2 cpu_off 1$' &&
		has '^fw: summary: call 0xc4000004 PSCI_AFFINITY_INFO key=0x1 -> x0=0x1 '
	host $? "firmware: cpu1 on, off (AFFINITY_INFO saw it off), on again; running at power off"
	has '^fw: summary: call 0xc2000601 SCM_INFO_IS_CALL_AVAIL key=0x2000601 -> x0=0x0 x1=0x1 '
	host $? "firmware: SMC64 convention probe answered available"
	has '^fw: summary: call 0x42000c1c SCM_MP_SHM_BRIDGE_ENABLE key=0x0 -> x0=0x0 x1=0x0 '
	host $? "firmware: SHM bridge enable answered success"
	[ "${en:-0}" = 1 ] && [ "${created:-0}" -ge 1 ] && [ "${refused:-1}" = 0 ] &&
		[ $(( ${created:-0} - ${deleted:-0} )) = "${live:--1}" ]
	host $? "firmware: qcom_tzmem created bridges, none refused ($bridges)"
	[ "$(calls '^fw: summary: call 0x42000c16 SCM_MP_ASSIGN key=0x0 -> x0=0x0 x1=0x0 ')" = 1 ] &&
		has '^fw: summary: region pa=0x[0-9a-f]+ size=0x100000 owners=0x8008$'
	host $? "firmware: MP_ASSIGN (7 args, x5 in a bridge) gave the rmtfs region to HLOS and the modem"
	# key: cxt << 32 | op of the request; the probe has none.
	[ "$(calls '^fw: summary: call 0x72000602 SMCINVOKE_INVOKE key=0x0 -> x0=0x0 x2=0x0 ')" = 1 ] &&
		[ "$(calls '^fw: summary: call 0x72000602 SMCINVOKE_INVOKE key=0x100000005 -> x0=0x0 x2=0x0 ')" -ge 1 ] &&
		! grep -E '^fw: summary: call 0x7200060[12] .* -> x0=0x[1-9a-f]' <<< "$fw" |
			grep -vE ' SMCINVOKE_INVOKE .* -> x0=0xfffffffffffffff4 ' |
			grep -vqE ' SMCINVOKE_INVOKE key=0x0 -> x0=0xffffffffffffffff x2=0x0 count=1$'
	host $? "firmware: SMCINVOKE probe, ROOT op 5 and every call serviced (x0 = 0), busy (-12) or the one SCM error armed"
	has '^fw: summary: qtee invocations=([5-9]|[1-9][0-9]+) objects=[0-9]+ ns-refs=0 pending=0 '
	host $? "firmware: QTEE model served the invocations, holds no kernel object at power off"
	! has '^fw: summary: call .* unknown '
	host $? "firmware: every call the kernel made is one the firmware knows"
	# Secure threads (qtee.c), counted from Linux's start on.
	[ "$(calls '^fw: summary: call 0x72000601 SMCINVOKE_CB_RSP key=0x0 -> x0=0x0 ')" -ge 8 ] &&
		[ "$(calls '^fw: summary: call 0x72000602 SMCINVOKE_INVOKE key=0x100000002 -> x0=0xfffffffffffffff4 ')" -ge 1 ] &&
		has '^fw: summary: qtee threads=4 max-used=4 busy=[1-9][0-9]* callbacks=([8-9]|[1-9][0-9]+) ' &&
		has ' aborted=0 in-flight=0 waiting=0 stack-max=[1-9][0-9]* of 16384$'
	host $? "firmware: callbacks parked threads, CB_RSP resumed them; busy once all 4 were parked; none left"
	has '^fw: summary: qtee threads=.* resumed-elsewhere=[1-9][0-9]* '
	host $? "firmware: a thread parked on one CPU was resumed by a CB_RSP from the other"
	has '^fw: summary: qtee threads=.* done-while-parked=[1-9][0-9]* '
	host $? "firmware: an invocation completed while another call's thread was parked"
	has '^fw: summary: model heap free=0x[0-9a-f]+ of 0x[0-9a-f]+ warnings=0$' &&
		! has 'model WARNING'
	host $? "firmware: no QTEE model warning"
	has '^fw: system-off$' && ! has 'FATAL'
	host $? "firmware: powered off by PSCI SYSTEM_OFF, no fatal exception"
	[ $qemu_rc = 0 ]
	host $? "console: init finished with status 0, no kernel splat"
} >> "$tap"
set -e
grep -E '^fw: summary: ' <<< "$fw" || true
grep -vE '^# ' "$tap"
awk -v label=fwtests -v qemu_rc=0 -f "$here/tap-summary.awk" "$tap"
