/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface of the test-control service of the QTEE model.
 *
 * The selftests read the secure side's counters and arm its fault
 * injections through this service, by ordinary object invocation, so that
 * the same binaries run on every backend that provides it (the in-kernel
 * simulator and the test firmware, both from the shared model's
 * testsvc.c) and need no debugfs. Real QTEE
 * has no such service and opening its UID fails there: the tests that
 * only arm faults through it skip, while the fixtures' leak checks, which
 * need its counters, fail their set-up (as they did without debugfs).
 *
 * Only #defines here so that kernel code, kernel tests and userspace
 * selftests can all include this file. All integers are little-endian;
 * "IB"/"OB" are from the service's point of view. A wrong argument shape,
 * an unknown op or an input out of its bounds returns 2 (INVALID); an OB
 * smaller than stated returns 4 (SIZE_OUT); an IB of another size than
 * stated returns 3 (SIZE_IN).
 *
 * Open it from any client env: env op 0 with IB0 u32 QCOMTEE_TESTSVC_UID.
 * QTEE's own service UIDs are small (every one real clients and the kernel
 * open is below 0x1000: 3, 87, 143, 268, 409, 2033); this one is far
 * above them, with bit 31 clear so that it never reads as a negative
 * result or as a kernel-object id.
 */
#ifndef __QCOMTEE_TESTSVC_H
#define __QCOMTEE_TESTSVC_H

#define QCOMTEE_TESTSVC_UID		0x7e570001

/*
 * op 0 STATS: OB0 >= QCOMTEE_TESTSVC_STATS_SIZE bytes <- one u64 per
 * counter, at index QCOMTEE_TESTSVC_STAT_*. The caller's own footprint is
 * left out, so that an idle secure world reads all zero: OBJECTS does not
 * count the service object invoked and IN_FLIGHT not the invocation
 * reading it (INVOCATIONS does count it; HEAP_USED includes both).
 * ASYNC_DIRTY counts the async areas the kernel handed back with bytes it
 * should have zeroed: QTEE relies on those zeroes, so it stays 0 unless the
 * kernel is wrong.
 */
#define QCOMTEE_TESTSVC_OP_STATS		0
#define QCOMTEE_TESTSVC_STAT_OBJECTS		0	/* live secure objects */
#define QCOMTEE_TESTSVC_STAT_NS_REFS		1	/* kernel-object refs held */
#define QCOMTEE_TESTSVC_STAT_NS_IDS		2	/* distinct kernel ids held */
#define QCOMTEE_TESTSVC_STAT_IN_FLIGHT		3	/* unfinished invocations */
#define QCOMTEE_TESTSVC_STAT_WAITING		4	/* threads awaiting CB_RSP */
#define QCOMTEE_TESTSVC_STAT_BRIDGES		5	/* SHM bridges */
#define QCOMTEE_TESTSVC_STAT_HEAP_USED		6	/* secure heap bytes used */
#define QCOMTEE_TESTSVC_STAT_HEAP_TOTAL		7	/* secure heap size */
#define QCOMTEE_TESTSVC_STAT_APPS		8	/* loaded apps */
#define QCOMTEE_TESTSVC_STAT_PENDING_RELEASES	9	/* releases not yet sent */
#define QCOMTEE_TESTSVC_STAT_LISTENERS		10	/* UID 87/268 registrations */
#define QCOMTEE_TESTSVC_STAT_ASYNC_RELEASES	11	/* since start: async */
#define QCOMTEE_TESTSVC_STAT_RELEASE_CBS	12	/* ... RELEASE callbacks */
#define QCOMTEE_TESTSVC_STAT_CALLBACKS		13	/* ... callbacks, all kinds */
#define QCOMTEE_TESTSVC_STAT_INVOCATIONS	14	/* ... direct invocations */
#define QCOMTEE_TESTSVC_STAT_RACE_REWRITES	15	/* ... racer rounds */
#define QCOMTEE_TESTSVC_STAT_ASYNC_DIRTY	16	/* ... left dirty */
#define QCOMTEE_TESTSVC_STATS_NUM		17
#define QCOMTEE_TESTSVC_STATS_SIZE		(8 * QCOMTEE_TESTSVC_STATS_NUM)

/*
 * Fault ids, the faults of the simulator's enum qcomtee_sim_fault (what
 * each does is described there), in the same order.
 */
#define QCOMTEE_TESTSVC_FAULT_SCM_ERROR		0
#define QCOMTEE_TESTSVC_FAULT_CB_BAD_COUNTS	1
#define QCOMTEE_TESTSVC_FAULT_CB_BAD_OFFSET	2
#define QCOMTEE_TESTSVC_FAULT_CB_BAD_ID		3
#define QCOMTEE_TESTSVC_FAULT_ASYNC_BAD_VERSION	4
#define QCOMTEE_TESTSVC_FAULT_ASYNC_HUGE_COUNT	5
#define QCOMTEE_TESTSVC_FAULT_ASYNC_TRUNCATED	6
#define QCOMTEE_TESTSVC_FAULT_OB_SIZE		7
#define QCOMTEE_TESTSVC_FAULT_NOSLOTS		8
#define QCOMTEE_TESTSVC_FAULT_DELAY		9
#define QCOMTEE_TESTSVC_FAULT_RACE		10
#define QCOMTEE_TESTSVC_FAULTS_NUM		11

/*
 * op 1 FAULTS: OB0 >= QCOMTEE_TESTSVC_FAULTS_SIZE bytes <- for each fault
 * id in order struct { u32 remaining; s32 arg; u32 hits; } (12 bytes).
 */
#define QCOMTEE_TESTSVC_OP_FAULTS		1
#define QCOMTEE_TESTSVC_FAULT_REC_SIZE		12
#define QCOMTEE_TESTSVC_FAULTS_SIZE		\
	(QCOMTEE_TESTSVC_FAULT_REC_SIZE * QCOMTEE_TESTSVC_FAULTS_NUM)

/*
 * op 2 INJECT: IB0 struct { u32 fault; u32 count; s32 arg; } (12 bytes):
 * arm a fault for its next @count occurrences (DELAY ignores @count).
 * Bounds: fault < QCOMTEE_TESTSVC_FAULTS_NUM; count <=
 * QCOMTEE_TESTSVC_COUNT_MAX; arg: SCM_ERROR 0 or a negative errno >=
 * -QCOMTEE_TESTSVC_ERRNO_MAX; DELAY 0..QCOMTEE_TESTSVC_DELAY_MAX_MS;
 * OB_SIZE 0..QCOMTEE_TESTSVC_OB_EXTRA_MAX; CB_BAD_ID any (the id as a
 * u32); every other fault 0. 1 (ERROR) if the fault cannot be armed (the
 * racing writer did not start). SCM_ERROR and DELAY act at the SMC entry,
 * before any object is reached, so they hit this service's own later
 * calls too: a CLEAR cannot get past an armed SCM_ERROR, its count runs
 * out instead.
 */
#define QCOMTEE_TESTSVC_OP_INJECT		2
#define QCOMTEE_TESTSVC_INJECT_SIZE		12
#define QCOMTEE_TESTSVC_COUNT_MAX		0x7fffffff
#define QCOMTEE_TESTSVC_ERRNO_MAX		4095
#define QCOMTEE_TESTSVC_DELAY_MAX_MS		1000
#define QCOMTEE_TESTSVC_OB_EXTRA_MAX		(16 * 1024 * 1024)

/* op 3 CLEAR_FAULTS: no arguments; disarm every fault, zero the hits. */
#define QCOMTEE_TESTSVC_OP_CLEAR_FAULTS		3

/*
 * op 4 ABORT_WAITING: OB0 >= 4 bytes <- u32 number of secure threads that
 * were waiting for a callback response and now get ABORT (-91).
 */
#define QCOMTEE_TESTSVC_OP_ABORT_WAITING	4

/*
 * op 5 GET: IB0 u32 control; OB0 >= 4 bytes <- u32 value.
 * op 6 SET: IB0 struct { u32 control; u32 value; } (8 bytes).
 * Controls: ALLOW_UNBRIDGED (0 or 1: accept buffers outside SHM bridges),
 * VERSION (the QTEE version feature 10 reports, encoded as there).
 */
#define QCOMTEE_TESTSVC_OP_GET			5
#define QCOMTEE_TESTSVC_OP_SET			6
#define QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED	0
#define QCOMTEE_TESTSVC_CTL_VERSION		1
#define QCOMTEE_TESTSVC_CTLS_NUM		2

#endif /* __QCOMTEE_TESTSVC_H */
