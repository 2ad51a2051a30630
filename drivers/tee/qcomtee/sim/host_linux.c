// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the kernel's host services for the QTEE model (host.h).
 */

#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "sim.h"

/**
 * qsim_host_zalloc() - memory for the secure heap
 * @size: bytes.
 *
 * The simulator's secure heap is the kernel's; payload copies may be as
 * large as a whole inbound buffer (4 MiB), hence kvzalloc.
 *
 * Return: zeroed memory, or NULL.
 */
void *qsim_host_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

/**
 * qsim_host_free() - give back memory from qsim_host_zalloc()
 * @ptr: the memory, or NULL.
 */
void qsim_host_free(void *ptr)
{
	kvfree(ptr);
}

/**
 * qsim_host_phys() - reach normal-world memory the kernel named by address
 * @pa: physical address.
 * @size: bytes.
 *
 * Real QTEE reaches any RAM; the simulator reaches it through the linear
 * map, so every page must be RAM with a struct page in lowmem.
 *
 * Return: the linear-map address of @pa, or NULL.
 */
void *qsim_host_phys(u64 pa, size_t size)
{
	unsigned long pfn;

	if (!size || pa + size < pa)
		return NULL;
	for (pfn = PHYS_PFN(pa); pfn <= PHYS_PFN(pa + size - 1); pfn++)
		if (!pfn_valid(pfn) || PageHighMem(pfn_to_page(pfn)))
			return NULL;

	return phys_to_virt(pa);
}

/**
 * qsim_host_delay_ms() - let time pass inside a call
 * @ms: milliseconds.
 *
 * The simulator runs in the SMC caller's task, which may sleep.
 */
void qsim_host_delay_ms(unsigned int ms)
{
	msleep(ms);
}

/*
 * Secure threads: each is a work item on the instance's per-CPU
 * workqueue, queued on the SMC caller's CPU, like a world switch; the SMC
 * caller and the thread sleep on the call's wait queue in turn, so the
 * hand-offs between them are local wake-ups. The workqueue starts another
 * worker whenever one blocks.
 */
static void qsim_thread_fn(struct work_struct *work)
{
	struct qsim_call *call = container_of(work, struct qsim_call,
					      host.work);

	if (qsim_thread_main(call))
		qsim_call_free(call);
}

/**
 * qsim_host_thread_start() - give a call a secure thread
 * @call: the call.
 *
 * The workqueue has no bound: every call gets a thread.
 */
void qsim_host_thread_start(struct qsim_call *call)
{
	INIT_WORK(&call->host.work, qsim_thread_fn);
	queue_work_on(raw_smp_processor_id(), call->sim->wq, &call->host.work);
}

static bool qsim_smc_may_run(struct qsim_call *call)
{
	enum qsim_call_state s = READ_ONCE(call->state);

	return s == QSIM_CALL_CB_POSTED || s == QSIM_CALL_DONE;
}

/**
 * qsim_host_run() - the SMC side: let the call's thread run
 * @call: the call.
 */
void qsim_host_run(struct qsim_call *call)
{
	wake_up(&call->host.wq);
	wait_event(call->host.wq, qsim_smc_may_run(call));
}

/**
 * qsim_host_park() - the thread side: wait for the callback's answer
 * @call: the call.
 */
void qsim_host_park(struct qsim_call *call)
{
	wake_up(&call->host.wq);
	wait_event(call->host.wq,
		   READ_ONCE(call->state) == QSIM_CALL_CB_ANSWERED);
}

/**
 * qsim_host_wake() - wake whoever waits for the call's new state
 * @call: the call.
 */
void qsim_host_wake(struct qsim_call *call)
{
	wake_up(&call->host.wq);
}

/**
 * qsim_host_call_free() - give back the memory of a finished call
 * @call: the call, from transport.c's kzalloc().
 */
void qsim_host_call_free(struct qsim_call *call)
{
	kfree(call);
}

/**
 * qsim_host_racer_start() - let the racer rewrite a callback request
 * @call: the call.
 * @out: the outbound buffer.
 * @args: the request's arguments.
 */
void qsim_host_racer_start(struct qsim_call *call, u8 *out,
			   const struct qsim_args *args)
{
	qsim_racer_start(call->sim, call, out, args);
}

/**
 * qsim_host_racer_stop() - stop the racer on this call
 * @call: the call.
 */
void qsim_host_racer_stop(struct qsim_call *call)
{
	qsim_racer_stop(call->sim, call);
}
