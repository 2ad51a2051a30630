// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the racing secure-world writer (QCOMTEE_SIM_FAULT_RACE).
 *
 * Real QTEE can write to the shared buffers at any time. While a raced
 * callback request waits for the kernel's answer, a kernel thread keeps
 * rewriting the request's buffer slots - the offset and size of every
 * input buffer and the offset of every output buffer (the kernel writes
 * the output sizes of its answer) - between their true values and values
 * that point far outside the outbound buffer. A kernel that reads a slot
 * twice eventually uses a value it never checked. The true values are put
 * back before the simulator reads the answer, so the simulator's own
 * checks of the answer are unaffected. One request is raced at a time.
 */

#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>

#include "sim.h"

/* What a raced slot alternates with: 2 GiB past the outbound buffer. */
#define QSIM_RACE_BAD		0x7fff0000U
/* How long each of the two values stays at least. */
#define QSIM_RACE_HOLD_NS	500

static int qsim_racer_fn(void *data)
{
	struct qsim_racer *r = data;
	unsigned int i, n;

	while (!kthread_should_stop()) {
		wait_event_interruptible(r->wq, READ_ONCE(r->target) ||
					 kthread_should_stop());
		for (n = 0; ; n++) {
			spin_lock(&r->lock);
			if (!r->target) {
				spin_unlock(&r->lock);
				break;
			}
			/* Odd rounds put the true values back, even ones not. */
			for (i = 0; i < r->nslots; i++)
				WRITE_ONCE(*r->slot[i], n & 1 ? r->orig[i] :
					   QSIM_RACE_BAD);
			r->rewrites++;
			spin_unlock(&r->lock);
			/* Each value stays long enough to be read. */
			ndelay(QSIM_RACE_HOLD_NS);
			/*
			 * Yield with either value in place: a kernel thread
			 * sharing this CPU then reads both kinds as well.
			 */
			if (n % 64 == 0 || n % 64 == 33)
				cond_resched();
		}
	}
	return 0;
}

/**
 * qsim_racer_arm() - start the racing writer thread of an instance
 * @sim: instance.
 *
 * Return: 0 or a negative errno.
 */
int qsim_racer_arm(struct qcomtee_sim *sim)
{
	struct qsim_racer *r = &sim->racer;
	struct task_struct *task;
	int err = 0;

	mutex_lock(&r->start_lock);
	if (!r->task) {
		task = kthread_run(qsim_racer_fn, r, "qcomtee_sim%d-racer",
				   sim->index);
		if (IS_ERR(task))
			err = PTR_ERR(task);
		else
			r->task = task;
	}
	mutex_unlock(&r->start_lock);
	return err;
}

/**
 * qsim_racer_start() - race the buffer slots of a callback request
 * @sim: instance.
 * @call: the call whose request was just written to @out.
 * @out: the outbound buffer.
 * @args: the request's arguments.
 *
 * Does nothing unless the racer runs, QCOMTEE_SIM_FAULT_RACE fires and no
 * other request is raced.
 */
void qsim_racer_start(struct qcomtee_sim *sim, struct qsim_call *call,
		      u8 *out, const struct qsim_args *args)
{
	struct qsim_racer *r = &sim->racer;
	unsigned int i, slot = QSIM_CB_HDR;

	if (!args->nib && !args->nob)
		return;
	if (!READ_ONCE(r->task) || READ_ONCE(r->target) ||
	    !qsim_fault(sim, QCOMTEE_SIM_FAULT_RACE, NULL))
		return;

	spin_lock(&r->lock);
	if (r->target) {
		spin_unlock(&r->lock);
		return;
	}
	r->nslots = 0;
	for (i = 0; i < args->nib + args->nob; i++, slot += QSIM_ARG_SIZE) {
		r->slot[r->nslots++] = (u32 *)(out + slot);
		if (i < args->nib)
			r->slot[r->nslots++] = (u32 *)(out + slot + 4);
	}
	for (i = 0; i < r->nslots; i++)
		r->orig[i] = READ_ONCE(*r->slot[i]);
	r->target = call;
	spin_unlock(&r->lock);
	wake_up(&r->wq);
}

/**
 * qsim_racer_stop() - stop racing a call's request and restore its slots
 * @sim: instance.
 * @call: the call answered or aborted.
 *
 * On return the racer no longer writes to @call's outbound buffer.
 */
void qsim_racer_stop(struct qcomtee_sim *sim, struct qsim_call *call)
{
	struct qsim_racer *r = &sim->racer;
	unsigned int i;

	if (READ_ONCE(r->target) != call)
		return;

	spin_lock(&r->lock);
	if (r->target == call) {
		for (i = 0; i < r->nslots; i++)
			WRITE_ONCE(*r->slot[i], r->orig[i]);
		r->target = NULL;
	}
	spin_unlock(&r->lock);
}

/**
 * qsim_racer_init() - set up an instance's idle racer
 * @sim: instance.
 */
void qsim_racer_init(struct qcomtee_sim *sim)
{
	struct qsim_racer *r = &sim->racer;

	spin_lock_init(&r->lock);
	mutex_init(&r->start_lock);
	init_waitqueue_head(&r->wq);
}

/**
 * qsim_racer_fini() - stop an instance's racer thread
 * @sim: instance; no request is raced any more.
 */
void qsim_racer_fini(struct qcomtee_sim *sim)
{
	struct qsim_racer *r = &sim->racer;

	WARN_ON(r->target);
	if (r->task)
		kthread_stop(r->task);
	r->task = NULL;
	mutex_destroy(&r->start_lock);
}
