/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: the injectable faults, part of the simulator's API
 * (qcomtee_sim.h) and of the QTEE model both hosts build (model.h), so
 * this header includes nothing.
 */
#ifndef __QCOMTEE_SIM_FAULT_H
#define __QCOMTEE_SIM_FAULT_H

/**
 * enum qcomtee_sim_fault - injectable faults
 * @QCOMTEE_SIM_FAULT_SCM_ERROR: the next @count SMC calls (INVOKE or
 *	CB_RSP) are not serviced and return @arg (a negative errno such as
 *	-EBUSY, -EAGAIN or -EINTR; 0 means -EBUSY).
 * @QCOMTEE_SIM_FAULT_CB_BAD_COUNTS: the next @count callback requests carry
 *	nonzero bits 16-31 in their counts word.
 * @QCOMTEE_SIM_FAULT_CB_BAD_OFFSET: the next @count callback requests with
 *	a buffer argument point it outside the outbound buffer.
 * @QCOMTEE_SIM_FAULT_CB_BAD_ID: the next @count callback requests name a
 *	kernel object id that was never handed out (@arg, 0 = 0xfffffff0).
 * @QCOMTEE_SIM_FAULT_ASYNC_BAD_VERSION: the next @count returns to the
 *	kernel carry an async message with major version 2 (after the genuine
 *	messages); its ids are bogus and must be ignored.
 * @QCOMTEE_SIM_FAULT_ASYNC_HUGE_COUNT: ... an async RELEASE whose count is
 *	0xffffffff.
 * @QCOMTEE_SIM_FAULT_ASYNC_TRUNCATED: ... an async RELEASE whose id array
 *	runs past the end of the outbound buffer.
 * @QCOMTEE_SIM_FAULT_OB_SIZE: the next @count completed invocations with
 *	output buffers report the first OB size as larger than reserved
 *	(reserved + @arg, 0 = reserved + 1 page).
 * @QCOMTEE_SIM_FAULT_NOSLOTS: the next @count secure object allocations
 *	fail as if the table were full.
 * @QCOMTEE_SIM_FAULT_DELAY: every SMC call sleeps @arg milliseconds
 *	(@count is ignored; @arg 0 turns it off).
 * @QCOMTEE_SIM_FAULT_RACE: the next @count callback requests with buffer
 *	arguments are raced: another thread keeps rewriting their buffer
 *	slots (input offsets and sizes, output offsets) between the true
 *	values and values 2 GiB outside the outbound buffer until the kernel
 *	answers (see racer.c).
 * @QCOMTEE_SIM_FAULT_MAX: number of faults.
 */
enum qcomtee_sim_fault {
	QCOMTEE_SIM_FAULT_SCM_ERROR,
	QCOMTEE_SIM_FAULT_CB_BAD_COUNTS,
	QCOMTEE_SIM_FAULT_CB_BAD_OFFSET,
	QCOMTEE_SIM_FAULT_CB_BAD_ID,
	QCOMTEE_SIM_FAULT_ASYNC_BAD_VERSION,
	QCOMTEE_SIM_FAULT_ASYNC_HUGE_COUNT,
	QCOMTEE_SIM_FAULT_ASYNC_TRUNCATED,
	QCOMTEE_SIM_FAULT_OB_SIZE,
	QCOMTEE_SIM_FAULT_NOSLOTS,
	QCOMTEE_SIM_FAULT_DELAY,
	QCOMTEE_SIM_FAULT_RACE,
	QCOMTEE_SIM_FAULT_MAX,
};

#endif /* __QCOMTEE_SIM_FAULT_H */
