// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: fault injection (a model file: host.h).
 *
 * Each fault has a countdown of remaining occurrences and an argument. The
 * hot paths test one atomic ("is anything armed?") before looking further,
 * so the hooks cost a single load when nothing is armed.
 */

#include "model.h"

/**
 * qsim_faults_fire() - consume one occurrence of a fault if armed
 * @fs: fault state.
 * @f: fault.
 * @arg: receives the fault's argument when it fires (may be NULL).
 *
 * Return: true if the fault fires now.
 */
bool qsim_faults_fire(struct qsim_faults *fs, enum qcomtee_sim_fault f,
		      int *arg)
{
	if (likely(!qsim_atomic_read(&fs->any)))
		return false;
	if (qsim_atomic_dec_if_positive(&fs->count[f]) < 0)
		return false;
	qsim_atomic_inc(&fs->hits[f]);
	if (arg)
		*arg = READ_ONCE(fs->arg[f]);

	return true;
}

/**
 * qsim_faults_smc() - the faults of an SMC's entry, before anything is read
 * @fs: fault state.
 *
 * Lets the armed delay pass, then fires the SCM error.
 *
 * Return: 0, or the errno the SMC fails with (-EBUSY when the SCM error's
 * argument is 0).
 */
int qsim_faults_smc(struct qsim_faults *fs)
{
	int arg;

	if (!qsim_atomic_read(&fs->any))
		return 0;
	arg = READ_ONCE(fs->arg[QCOMTEE_SIM_FAULT_DELAY]);
	if (arg > 0)
		qsim_host_delay_ms(arg);
	if (qsim_faults_fire(fs, QCOMTEE_SIM_FAULT_SCM_ERROR, &arg))
		return arg < 0 ? arg : -EBUSY;

	return 0;
}

/**
 * qsim_faults_arm() - arm a fault
 * @fs: fault state.
 * @fault: which fault (enum qcomtee_sim_fault), from the caller: checked.
 * @count: how many times it fires (ignored for QCOMTEE_SIM_FAULT_DELAY).
 * @arg: fault argument, see enum qcomtee_sim_fault.
 *
 * Return: 0 or -EINVAL for an unknown fault.
 */
int qsim_faults_arm(struct qsim_faults *fs, enum qcomtee_sim_fault fault,
		    unsigned int count, int arg)
{
	if ((unsigned int)fault >= QCOMTEE_SIM_FAULT_MAX)
		return -EINVAL;
	WRITE_ONCE(fs->arg[fault], arg);
	if (fault != QCOMTEE_SIM_FAULT_DELAY)
		qsim_atomic_set(&fs->count[fault],
				min_t(unsigned int, count, INT_MAX));
	/* Publish count/arg before the hot paths see "armed". */
	qsim_mb_before_atomic();
	qsim_atomic_set(&fs->any, 1);

	return 0;
}

/**
 * qsim_faults_clear() - disarm every fault and clear the hit counts
 * @fs: fault state.
 */
void qsim_faults_clear(struct qsim_faults *fs)
{
	unsigned int i;

	qsim_atomic_set(&fs->any, 0);
	for (i = 0; i < QCOMTEE_SIM_FAULT_MAX; i++) {
		qsim_atomic_set(&fs->count[i], 0);
		qsim_atomic_set(&fs->hits[i], 0);
		WRITE_ONCE(fs->arg[i], 0);
	}
}
