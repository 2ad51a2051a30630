// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: secure threads.
 *
 * Each direct invocation of an object whose class may call back runs as a
 * work item on the instance's per-CPU workqueue, on the caller's CPU: its
 * "secure thread". The
 * SMC caller (INVOKE or CB_RSP) sleeps until that thread either finishes
 * (the call returns its result) or posts a callback request (the call
 * returns response type 3 with the request in the outbound buffer, and the
 * thread is parked on sim->waiting keyed by the outbound buffer's physical
 * address). CB_RSP finds the parked thread by that address, hands it the
 * answer and sleeps again. Invocations of classes that never call back run
 * inline in the SMC caller.
 *
 * A parked thread whose kernel side goes away (instance destroyed, the SHM
 * bridge of its outbound buffer deleted, or qcomtee_sim_abort_waiting())
 * becomes an orphan: its callback "returns" ABORT, every further callback
 * fails at once, and when it finishes it frees itself.
 *
 * Locking: sim->thr_lock protects every call's state, cb pointer and orphan
 * flag and the waiting list; it nests outside the object table and ns
 * locks. Both sides of a call sleep on call->wq.
 */

#include <linux/slab.h>

#include "sim.h"

static void qsim_call_free(struct qsim_call *call)
{
	struct qcomtee_sim *sim = call->sim;

	qsim_args_free(&sim->core, &call->args);
	qsim_obj_put(call->obj);
	kfree(call);

	mutex_lock(&sim->thr_lock);
	sim->in_flight--;
	mutex_unlock(&sim->thr_lock);
}

static int qsim_dispatch(struct qsim_call *call)
{
	return qsim_wire_dispatch(call->obj, call, call->op, &call->args);
}

static void qsim_thread_fn(struct work_struct *work)
{
	struct qsim_call *call = container_of(work, struct qsim_call, work);
	struct qcomtee_sim *sim = call->sim;
	bool orphan;

	call->result = qsim_dispatch(call);

	mutex_lock(&sim->thr_lock);
	orphan = call->orphan;
	if (!orphan) {
		/* Wake under the lock: the SMC side frees @call after it. */
		call->state = QSIM_CALL_DONE;
		wake_up(&call->wq);
	}
	mutex_unlock(&sim->thr_lock);

	if (orphan)
		qsim_call_free(call);
}

static bool qsim_smc_may_run(struct qsim_call *call)
{
	enum qsim_call_state s = READ_ONCE(call->state);

	return s == QSIM_CALL_CB_POSTED || s == QSIM_CALL_DONE;
}

/* The SMC side: wait for the secure thread to finish or post a callback. */
static int qsim_call_wait(struct qsim_call *call, u64 *rtype, u64 *result)
{
	struct qcomtee_sim *sim = call->sim;
	void *async;
	size_t len;
	int ret;

	for (;;) {
		wait_event(call->wq, qsim_smc_may_run(call));

		mutex_lock(&sim->thr_lock);
		if (call->state == QSIM_CALL_DONE) {
			mutex_unlock(&sim->thr_lock);
			*result = (u64)(s64)call->result;
			/* The last callback request was QTEE's own to clear. */
			memset(call->out_va, 0, call->cb_end);
			qsim_wire_complete(&sim->core, call->in_va, call->out_va,
					   call->out_size, call->obj,
					   &call->args, call->result);
			call->obj = NULL;
			qsim_call_free(call);
			*rtype = QSIM_RESP_DONE;
			return 0;
		}

		ret = qsim_write_cb_request(call);
		if (ret) {
			call->cb->result = ret;
			call->state = QSIM_CALL_CB_ANSWERED;
			mutex_unlock(&sim->thr_lock);
			wake_up(&call->wq);
			continue;
		}
		call->state = QSIM_CALL_CB_WAITING;
		list_add_tail(&call->node, &sim->waiting);
		sim->nwaiting++;
		async = call->out_va + call->cb_end;
		len = call->out_size - call->cb_end;
		/*
		 * Releases behind a request the kernel cannot parse would never
		 * be seen: they stay pending for the next return.
		 */
		if (call->cb_unparsable)
			len = 0;
		mutex_unlock(&sim->thr_lock);

		atomic64_inc(&sim->callbacks);
		if (len)
			qsim_write_async(sim, async, len);
		*rtype = QCOMTEE_RESPONSE_INBOUND_REQ_NEEDED;
		*result = 0;
		return 0;
	}
}

/**
 * qsim_call_start() - run a parsed direct invocation
 * @call: the call, parsed; ownership passes to this function.
 * @rtype: response type for the SMC return.
 * @result: result for the SMC return.
 *
 * Return: 0 (serviced).
 */
int qsim_call_start(struct qsim_call *call, u64 *rtype, u64 *result)
{
	struct qcomtee_sim *sim = call->sim;

	mutex_lock(&sim->thr_lock);
	sim->in_flight++;
	call->state = QSIM_CALL_RUNNING;
	mutex_unlock(&sim->thr_lock);

	if (!call->obj->cls->blocking) {
		call->inline_call = true;
		call->result = qsim_dispatch(call);
		call->state = QSIM_CALL_DONE;
		return qsim_call_wait(call, rtype, result);
	}

	/*
	 * Run the secure thread on this CPU, like a world switch does: the
	 * hand-offs between it and the SMC caller are then local wake-ups.
	 * The per-CPU workqueue starts another worker whenever one blocks.
	 */
	INIT_WORK(&call->work, qsim_thread_fn);
	queue_work_on(raw_smp_processor_id(), sim->wq, &call->work);

	return qsim_call_wait(call, rtype, result);
}

/**
 * qsim_out_busy() - is a secure thread waiting on this outbound buffer?
 * @sim: instance.
 * @out_pa: outbound buffer.
 *
 * Return: true if an INVOKE must not use @out_pa now.
 */
bool qsim_out_busy(struct qcomtee_sim *sim, phys_addr_t out_pa)
{
	struct qsim_call *call;
	bool busy = false;

	mutex_lock(&sim->thr_lock);
	list_for_each_entry(call, &sim->waiting, node) {
		if (call->out_pa == out_pa) {
			busy = true;
			break;
		}
	}
	mutex_unlock(&sim->thr_lock);

	return busy;
}

/**
 * qsim_call_resume() - CB_RSP: resume the thread waiting on a buffer
 * @sim: instance.
 * @out_pa: the outbound buffer the answer is in.
 * @out_size: its size.
 * @rtype: response type for the SMC return.
 * @result: result for the SMC return.
 *
 * A CB_RSP no thread waits for completes with result UNAVAIL (-96).
 *
 * Return: 0 (serviced).
 */
int qsim_call_resume(struct qcomtee_sim *sim, phys_addr_t out_pa,
		     size_t out_size, u64 *rtype, u64 *result)
{
	struct qsim_call *call, *found = NULL;

	mutex_lock(&sim->thr_lock);
	list_for_each_entry(call, &sim->waiting, node) {
		if (call->out_pa == out_pa && call->out_size == out_size) {
			found = call;
			break;
		}
	}
	if (!found) {
		mutex_unlock(&sim->thr_lock);
		*rtype = QSIM_RESP_DONE;
		*result = (u64)(s64)QSIM_UNAVAIL;
		return 0;
	}
	list_del_init(&found->node);
	sim->nwaiting--;
	qsim_racer_stop(sim, found);
	qsim_read_cb_answer(found);
	found->state = QSIM_CALL_CB_ANSWERED;
	mutex_unlock(&sim->thr_lock);
	wake_up(&found->wq);

	return qsim_call_wait(found, rtype, result);
}

/**
 * qsim_callback() - issue a callback request from a secure thread
 * @call: the invocation the thread serves.
 * @cb: the request: cxt, op, IB data, OB capacities, IO ids/objects and
 *	the number of OO. Secure objects in IO give the kernel a reference
 *	each. On return the OB sizes/data and OO ids (owned kernel ids or
 *	referenced secure objects) are filled in if the result is 0.
 *
 * Sleeps until the kernel answers with CB_RSP or the call is aborted.
 *
 * Return: the kernel's result, or a QTEE error (ABORT when the kernel side
 * is gone, MAXARGS/MAXDATA when the request does not fit).
 */
int qsim_callback(struct qsim_call *call, struct qsim_cb *cb)
{
	struct qcomtee_sim *sim = call->sim;

	if (WARN_ON_ONCE(call->inline_call))
		return QSIM_UNAVAIL;
	if (cb->args.nib > QSIM_MAX_ARGS_CLASS ||
	    cb->args.nob > QSIM_MAX_ARGS_CLASS ||
	    cb->args.nio > QSIM_MAX_ARGS_CLASS ||
	    cb->args.noo > QSIM_MAX_ARGS_CLASS)
		return QSIM_MAXARGS;

	mutex_lock(&sim->thr_lock);
	if (call->orphan || READ_ONCE(sim->dying)) {
		mutex_unlock(&sim->thr_lock);
		cb->result = QSIM_ABORT;
		return cb->result;
	}
	cb->result = QSIM_OK;
	call->cb = cb;
	call->state = QSIM_CALL_CB_POSTED;
	mutex_unlock(&sim->thr_lock);
	wake_up(&call->wq);

	wait_event(call->wq,
		   READ_ONCE(call->state) == QSIM_CALL_CB_ANSWERED);

	mutex_lock(&sim->thr_lock);
	call->state = QSIM_CALL_RUNNING;
	call->cb = NULL;
	mutex_unlock(&sim->thr_lock);

	return cb->result;
}

static void qsim_orphan(struct qcomtee_sim *sim, struct qsim_call *call)
{
	qsim_racer_stop(sim, call);
	list_del_init(&call->node);
	sim->nwaiting--;
	call->orphan = true;
	call->cb->result = QSIM_ABORT;
	call->state = QSIM_CALL_CB_ANSWERED;
	wake_up(&call->wq);
}

/**
 * qsim_threads_abort() - abort every thread waiting for a CB_RSP
 * @sim: instance.
 *
 * Return: threads aborted.
 */
unsigned int qsim_threads_abort(struct qcomtee_sim *sim)
{
	struct qsim_call *call, *tmp;
	unsigned int n = 0;

	mutex_lock(&sim->thr_lock);
	list_for_each_entry_safe(call, tmp, &sim->waiting, node) {
		qsim_orphan(sim, call);
		n++;
	}
	mutex_unlock(&sim->thr_lock);

	return n;
}

/**
 * qsim_threads_abort_range() - abort threads whose inbound or outbound
 *	buffer lies in a physical range the kernel gave up
 * @sim: instance.
 * @pa: start.
 * @size: bytes.
 */
void qsim_threads_abort_range(struct qcomtee_sim *sim, phys_addr_t pa,
			      size_t size)
{
	struct qsim_call *call, *tmp;

	mutex_lock(&sim->thr_lock);
	list_for_each_entry_safe(call, tmp, &sim->waiting, node)
		if ((call->out_pa >= pa && call->out_pa < pa + size) ||
		    (call->in_pa >= pa && call->in_pa < pa + size))
			qsim_orphan(sim, call);
	mutex_unlock(&sim->thr_lock);
}
