// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: fault injection.
 *
 * Each fault has a countdown of remaining occurrences and an argument. The
 * hot paths test one atomic ("is anything armed?") before looking further,
 * so the hooks cost a single load when nothing is armed.
 */

#include <linux/export.h>

#include "sim.h"

/**
 * qsim_faults_init() - disarm everything
 * @sim: instance.
 */
void qsim_faults_init(struct qcomtee_sim *sim)
{
	qcomtee_sim_clear_faults(sim);
}

/**
 * qsim_fault() - consume one occurrence of a fault if armed
 * @sim: instance.
 * @f: fault.
 * @arg: receives the fault's argument when it fires (may be NULL).
 *
 * Return: true if the fault fires now.
 */
bool qsim_fault(struct qcomtee_sim *sim, enum qcomtee_sim_fault f, int *arg)
{
	struct qsim_faults *fs = &sim->faults;

	if (likely(!atomic_read(&fs->any)))
		return false;
	if (atomic_dec_if_positive(&fs->count[f]) < 0)
		return false;
	atomic_inc(&fs->hits[f]);
	if (arg)
		*arg = READ_ONCE(fs->arg[f]);

	return true;
}

/**
 * qcomtee_sim_inject() - arm a fault
 * @sim: instance.
 * @fault: which fault (enum qcomtee_sim_fault).
 * @count: how many times it fires (ignored for QCOMTEE_SIM_FAULT_DELAY).
 * @arg: fault argument, see enum qcomtee_sim_fault.
 *
 * Return: 0, -EINVAL for an unknown fault, or the errno of starting the
 * racing writer.
 */
int qcomtee_sim_inject(struct qcomtee_sim *sim, enum qcomtee_sim_fault fault,
		       unsigned int count, int arg)
{
	struct qsim_faults *fs = &sim->faults;

	if ((unsigned int)fault >= QCOMTEE_SIM_FAULT_MAX)
		return -EINVAL;
	if (fault == QCOMTEE_SIM_FAULT_RACE && count) {
		int err = qsim_racer_arm(sim);

		if (err)
			return err;
	}
	WRITE_ONCE(fs->arg[fault], arg);
	if (fault != QCOMTEE_SIM_FAULT_DELAY)
		atomic_set(&fs->count[fault], min_t(unsigned int, count,
						    INT_MAX));
	/* Publish count/arg before the hot paths see "armed". */
	smp_mb__before_atomic();
	atomic_set(&fs->any, 1);

	return 0;
}
EXPORT_SYMBOL_GPL(qcomtee_sim_inject);

/**
 * qcomtee_sim_clear_faults() - disarm every fault and clear the hit counts
 * @sim: instance.
 */
void qcomtee_sim_clear_faults(struct qcomtee_sim *sim)
{
	struct qsim_faults *fs = &sim->faults;
	unsigned int i;

	atomic_set(&fs->any, 0);
	for (i = 0; i < QCOMTEE_SIM_FAULT_MAX; i++) {
		atomic_set(&fs->count[i], 0);
		atomic_set(&fs->hits[i], 0);
		WRITE_ONCE(fs->arg[i], 0);
	}
}
EXPORT_SYMBOL_GPL(qcomtee_sim_clear_faults);
