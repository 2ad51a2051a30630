#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: build the QEMU kernel (driver + simulated QTEE) and the
# initramfs, boot it and run the demo client, printing its output. The full
# console log is $QCOMTEE_BUILD/demo.log.
. "$(dirname "$0")/lib.sh"

here=$(dirname "$0")
log=$QCOMTEE_BUILD/demo.log

qcomtee_log "building the kernel (first time: several minutes)"
"$here/build-kernel.sh" >/dev/null
"$here/build-initramfs.sh" /bin/qcomtee_demo >/dev/null

set +e
"$here/run-qemu.sh" -q -l "$log" /bin/qcomtee_demo
rc=$?
set -e

# The demo's own lines, from its banner to its last line.
tr -d '\r' < "$log" | sed -n '/^== qcomtee demo ==/,/^== demo /p'
if [ $rc -ne 0 ]; then
	qcomtee_log "the demo run failed (console log: $log)"
	tr -d '\r' < "$log" | grep -E 'QCOMTEE-INIT|BUG|WARNING' | tail -n 10 >&2 || true
fi
exit $rc
