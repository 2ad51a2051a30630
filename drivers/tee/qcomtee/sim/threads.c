// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: secure threads (a model file: host.h).
 *
 * A direct invocation of an object whose class may call back runs on a
 * secure thread of its own; the SMC caller (INVOKE or CB_RSP) lets that
 * thread run until it either finishes (the call returns its result) or
 * posts a callback request (the call returns response type 3 with the
 * request in the outbound buffer, and the thread is parked in the waiting
 * list keyed by the outbound buffer's physical address). CB_RSP, from any
 * CPU, finds the parked thread by that address, hands it the answer and
 * lets it run again. Invocations of classes that never call back run
 * inline in the SMC caller.
 *
 * A parked thread whose kernel side goes away (the instance is destroyed,
 * the SHM bridge of its buffers is deleted, the test service's
 * ABORT_WAITING) becomes an orphan: its callback "returns" ABORT, every
 * further callback fails at once, it runs to its end and the host frees
 * the call; a CB_RSP for it finds nothing waiting and gets UNAVAIL.
 *
 * This file is the state machine; how a thread is started, run until it
 * yields, parked and woken is the host's (host.h): a work item and a
 * wait queue in the kernel, a context switch in the firmware.
 *
 * Locking: thr->lock protects every call's state, cb pointer and orphan
 * flag and the waiting list; it is never held while a thread runs.
 */

#include "model.h"

/**
 * qsim_threads_init() - no secure thread yet
 * @thr: the instance's threads.
 */
void qsim_threads_init(struct qsim_threads *thr)
{
	qsim_mutex_init(&thr->lock);
	thr->waiting = NULL;
	qsim_atomic_set(&thr->in_flight, 0);
	thr->nwaiting = 0;
	thr->dying = false;
}

/**
 * qsim_call_init() - a new call on an instance's buffers
 * @call: zeroed memory for it.
 * @core: the instance's object table (and, through it, the instance).
 * @thr: the instance's threads.
 * @in_pa: inbound buffer, by physical address.
 * @in: the address the host reaches it at.
 * @in_size: its size.
 * @out_pa: outbound buffer, by physical address.
 * @out: the address the host reaches it at.
 * @out_size: its size.
 *
 * The host then parses the request into @call (qsim_wire_parse_invoke())
 * and starts it (qsim_call_start()).
 */
void qsim_call_init(struct qsim_call *call, struct qsim_core *core,
		    struct qsim_threads *thr, u64 in_pa, void *in,
		    size_t in_size, u64 out_pa, void *out, size_t out_size)
{
	call->sim = core->sim;
	call->core = core;
	call->thr = thr;
	call->in_pa = in_pa;
	call->in_va = in;
	call->in_size = in_size;
	call->out_pa = out_pa;
	call->out_va = out;
	call->out_size = out_size;
}

/**
 * qsim_call_free() - free a call that has finished
 * @call: the call; its thread no longer runs.
 */
void qsim_call_free(struct qsim_call *call)
{
	struct qsim_threads *thr = call->thr;

	qsim_args_free(call->core, &call->args);
	qsim_obj_put(call->obj);
	qsim_host_call_free(call);
	qsim_atomic_dec(&thr->in_flight);
}

/**
 * qsim_thread_main() - what a secure thread runs
 * @call: its call.
 *
 * Return: true if the call was orphaned: nobody completes it, the host
 * frees it (qsim_call_free()) once the thread has stopped.
 */
bool qsim_thread_main(struct qsim_call *call)
{
	struct qsim_threads *thr = call->thr;
	bool orphan;

	call->result = qsim_wire_dispatch(call->obj, call, call->op,
					  &call->args);

	qsim_mutex_lock(&thr->lock);
	orphan = call->orphan;
	if (!orphan) {
		/* Wake under the lock: the SMC side frees @call after it. */
		call->state = QSIM_CALL_DONE;
		qsim_host_wake(call);
	}
	qsim_mutex_unlock(&thr->lock);

	return orphan;
}

static void qsim_waiting_del(struct qsim_threads *thr, struct qsim_call *call)
{
	struct qsim_call **p;

	for (p = &thr->waiting; *p; p = &(*p)->next) {
		if (*p == call) {
			*p = call->next;
			call->next = NULL;
			WRITE_ONCE(thr->nwaiting, thr->nwaiting - 1);
			return;
		}
	}
	WARN_ON(1);
}

/* The SMC side: run the secure thread until it finishes or calls back. */
static int qsim_call_wait(struct qsim_call *call, u64 *rtype, u64 *result)
{
	struct qsim_threads *thr = call->thr;
	struct qsim_core *core = call->core;
	void *async;
	size_t len;
	int ret;

	for (;;) {
		if (!call->inline_call)
			qsim_host_run(call);

		qsim_mutex_lock(&thr->lock);
		if (call->state == QSIM_CALL_DONE) {
			qsim_mutex_unlock(&thr->lock);
			*result = (u64)(s64)call->result;
			/* The last callback request was QTEE's own to clear. */
			memset(call->out_va, 0, call->cb_end);
			qsim_wire_complete(core, call->in_va, call->out_va,
					   call->out_size, call->obj,
					   &call->args, call->result);
			call->obj = NULL;
			qsim_call_free(call);
			*rtype = QSIM_RESP_DONE;
			return 0;
		}

		ret = qsim_cb_write_request(call);
		if (ret) {
			call->cb->result = ret;
			call->state = QSIM_CALL_CB_ANSWERED;
			qsim_mutex_unlock(&thr->lock);
			continue;
		}
		call->state = QSIM_CALL_CB_WAITING;
		call->next = thr->waiting;
		thr->waiting = call;
		WRITE_ONCE(thr->nwaiting, thr->nwaiting + 1);
		async = (u8 *)call->out_va + call->cb_end;
		len = call->out_size - call->cb_end;
		/*
		 * Releases behind a request the kernel cannot parse would never
		 * be seen: they stay pending for the next return.
		 */
		if (call->cb_unparsable)
			len = 0;
		/* From here on a CB_RSP on another CPU may own @call. */
		qsim_mutex_unlock(&thr->lock);

		qsim_atomic64_add(1, &thr->callbacks);
		if (len)
			qsim_wire_write_async(core, async, len);
		*rtype = QSIM_RESP_CB_REQUEST;
		*result = 0;
		return 0;
	}
}

/**
 * qsim_call_start() - run a parsed direct invocation
 * @call: the call, parsed, with @sim, @core, @thr, the buffers and @host
 *	set up by the host; ownership passes to this function.
 * @rtype: response type for the SMC return.
 * @result: result for the SMC return.
 *
 * Return: 0 (serviced).
 */
int qsim_call_start(struct qsim_call *call, u64 *rtype, u64 *result)
{
	struct qsim_threads *thr = call->thr;

	/* No other CPU knows @call yet. */
	qsim_atomic_inc(&thr->in_flight);
	call->state = QSIM_CALL_RUNNING;

	if (!call->obj->cls->blocking) {
		call->inline_call = true;
		call->result = qsim_wire_dispatch(call->obj, call, call->op,
						  &call->args);
		call->state = QSIM_CALL_DONE;
		return qsim_call_wait(call, rtype, result);
	}

	qsim_host_thread_start(call);

	return qsim_call_wait(call, rtype, result);
}

/**
 * qsim_out_busy() - is a secure thread waiting on this outbound buffer?
 * @thr: the instance's threads.
 * @out_pa: outbound buffer.
 *
 * Return: true if an INVOKE must not use @out_pa now.
 */
bool qsim_out_busy(struct qsim_threads *thr, u64 out_pa)
{
	struct qsim_call *call;
	bool busy = false;

	/*
	 * Nothing waits: the common case, without the lock. A call that
	 * starts waiting on @out_pa meanwhile would be the kernel using one
	 * outbound buffer in two SMCs at once, and the lock could only order
	 * them, not tell which comes first.
	 */
	if (!READ_ONCE(thr->nwaiting))
		return false;
	qsim_mutex_lock(&thr->lock);
	for (call = thr->waiting; call; call = call->next) {
		if (call->out_pa == out_pa) {
			busy = true;
			break;
		}
	}
	qsim_mutex_unlock(&thr->lock);

	return busy;
}

/**
 * qsim_call_resume() - CB_RSP: resume the thread waiting on a buffer
 * @thr: the instance's threads.
 * @out_pa: the outbound buffer the answer is in.
 * @out_size: its size.
 * @rtype: response type for the SMC return.
 * @result: result for the SMC return.
 *
 * A CB_RSP no thread waits for (never issued, already answered, or
 * aborted) completes with result UNAVAIL (-96) and changes nothing.
 *
 * Return: 0 (serviced).
 */
int qsim_call_resume(struct qsim_threads *thr, u64 out_pa, size_t out_size,
		     u64 *rtype, u64 *result)
{
	struct qsim_call *call;

	qsim_mutex_lock(&thr->lock);
	for (call = thr->waiting; call; call = call->next)
		if (call->out_pa == out_pa && call->out_size == out_size)
			break;
	if (!call) {
		qsim_mutex_unlock(&thr->lock);
		*rtype = QSIM_RESP_DONE;
		*result = (u64)(s64)QSIM_UNAVAIL;
		return 0;
	}
	qsim_waiting_del(thr, call);
	qsim_host_racer_stop(call);
	qsim_cb_read_answer(call);
	call->state = QSIM_CALL_CB_ANSWERED;
	qsim_mutex_unlock(&thr->lock);

	return qsim_call_wait(call, rtype, result);
}

/**
 * qsim_callback() - issue a callback request from a secure thread
 * @call: the invocation the thread serves.
 * @cb: the request: cxt, op, IB data, OB capacities, IO ids/objects and
 *	the number of OO. Secure objects in IO give the kernel a reference
 *	each. On return the OB sizes/data and OO ids (owned kernel ids or
 *	referenced secure objects) are filled in if the result is 0.
 *
 * The thread is parked until the kernel answers with CB_RSP or the call
 * is aborted.
 *
 * Return: the kernel's result, or a QTEE error (ABORT when the kernel side
 * is gone, MAXARGS/MAXDATA when the request does not fit).
 */
int qsim_callback(struct qsim_call *call, struct qsim_cb *cb)
{
	struct qsim_threads *thr = call->thr;

	if (WARN_ON_ONCE(call->inline_call))
		return QSIM_UNAVAIL;
	if (cb->args.nib > QSIM_MAX_ARGS_CLASS ||
	    cb->args.nob > QSIM_MAX_ARGS_CLASS ||
	    cb->args.nio > QSIM_MAX_ARGS_CLASS ||
	    cb->args.noo > QSIM_MAX_ARGS_CLASS)
		return QSIM_MAXARGS;

	qsim_mutex_lock(&thr->lock);
	if (call->orphan || READ_ONCE(thr->dying)) {
		qsim_mutex_unlock(&thr->lock);
		cb->result = QSIM_ABORT;
		return cb->result;
	}
	cb->result = QSIM_OK;
	call->cb = cb;
	call->state = QSIM_CALL_CB_POSTED;
	qsim_mutex_unlock(&thr->lock);

	qsim_host_park(call);

	qsim_mutex_lock(&thr->lock);
	call->state = QSIM_CALL_RUNNING;
	call->cb = NULL;
	qsim_mutex_unlock(&thr->lock);

	return cb->result;
}

static void qsim_orphan(struct qsim_threads *thr, struct qsim_call *call)
{
	qsim_host_racer_stop(call);
	qsim_waiting_del(thr, call);
	call->orphan = true;
	call->cb->result = QSIM_ABORT;
	call->state = QSIM_CALL_CB_ANSWERED;
	qsim_host_wake(call);
}

/**
 * qsim_threads_abort() - abort every thread waiting for a CB_RSP
 * @thr: the instance's threads.
 *
 * Return: threads aborted.
 */
unsigned int qsim_threads_abort(struct qsim_threads *thr)
{
	unsigned int n = 0;

	qsim_mutex_lock(&thr->lock);
	while (thr->waiting) {
		qsim_orphan(thr, thr->waiting);
		n++;
	}
	qsim_mutex_unlock(&thr->lock);

	return n;
}

/**
 * qsim_threads_abort_range() - abort threads whose inbound or outbound
 *	buffer lies in a physical range the kernel gave up
 * @thr: the instance's threads.
 * @pa: start.
 * @size: bytes.
 */
void qsim_threads_abort_range(struct qsim_threads *thr, u64 pa, size_t size)
{
	struct qsim_call *call, *next;

	qsim_mutex_lock(&thr->lock);
	for (call = thr->waiting; call; call = next) {
		next = call->next;
		if ((call->out_pa >= pa && call->out_pa < pa + size) ||
		    (call->in_pa >= pa && call->in_pa < pa + size))
			qsim_orphan(thr, call);
	}
	qsim_mutex_unlock(&thr->lock);
}

/**
 * qsim_threads_counts() - the counters the leak checks read
 * @thr: the instance's threads.
 * @in_flight: calls not finished.
 * @waiting: calls waiting for a CB_RSP.
 */
void qsim_threads_counts(struct qsim_threads *thr, unsigned int *in_flight,
			 unsigned int *waiting)
{
	qsim_mutex_lock(&thr->lock);
	*in_flight = qsim_atomic_read(&thr->in_flight);
	*waiting = thr->nwaiting;
	qsim_mutex_unlock(&thr->lock);
}
