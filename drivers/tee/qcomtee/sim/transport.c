// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the SMCINVOKE transport.
 *
 * The simulated firmware sees the kernel's buffers only through the
 * physical addresses of the INVOKE and CB_RSP calls, like real QTEE.
 * The request itself is read and answered by the model (wire.c); this
 * file is the kernel host's side: the buffers, bridges and SMC entry. Each
 * address range is validated (page aligned, whole pages, backed by RAM,
 * bounded, and - unless allowed otherwise - inside a registered SHM bridge)
 * before it is touched through the linear map. A range that fails these
 * checks fails the SMC call itself with -EINVAL: the call is not serviced,
 * as when firmware refuses memory it cannot access.
 *
 * Everything inside the buffers is untrusted: the request header and
 * arguments are read once, every offset and size is bounded by the buffer,
 * and input payloads are copied into the secure heap before any service
 * looks at them.
 */

#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include "sim.h"

/**
 * struct qsim_bridge - a registered SHM bridge
 * @pa: start.
 * @size: bytes.
 * @rcu: freed after the lookups that may still see it.
 */
struct qsim_bridge {
	phys_addr_t pa;
	size_t size;
	struct rcu_head rcu;
};

/*
 * Every SMC checks its buffers against the bridges: a lookup under RCU,
 * so that calls on different CPUs do not serialise on br_lock, which only
 * the bridges' creation and deletion take.
 */
static bool qsim_in_bridge(struct qcomtee_sim *sim, phys_addr_t pa,
			   size_t size)
{
	struct qsim_bridge *br;
	unsigned long handle;
	bool found = false;

	rcu_read_lock();
	xa_for_each(&sim->bridges, handle, br) {
		if (pa >= br->pa && pa + size <= br->pa + br->size) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();

	return found;
}

/**
 * qsim_map() - validate a physical range and return its kernel address
 * @sim: instance.
 * @pa: physical address from the kernel.
 * @size: bytes.
 * @whole_pages: require page alignment of @pa and @size.
 *
 * Return: linear-map address, or NULL if the range may not be accessed.
 */
void *qsim_map(struct qcomtee_sim *sim, phys_addr_t pa, size_t size,
	       bool whole_pages)
{
	void *va;

	if (!size || size > QSIM_MAX_BUF_SIZE)
		return NULL;
	if (whole_pages && (!PAGE_ALIGNED(pa) || !PAGE_ALIGNED(size)))
		return NULL;
	va = qsim_host_phys(pa, size);
	if (!va)
		return NULL;
	if (!READ_ONCE(sim->allow_unbridged) && !qsim_in_bridge(sim, pa, size))
		return NULL;

	return va;
}

static int qsim_shm_bridge_create(void *priv, phys_addr_t pa, size_t size,
				  u64 *handle)
{
	struct qcomtee_sim *sim = priv;
	struct qsim_bridge *br;
	u32 id;
	int ret;

	if (!PAGE_ALIGNED(pa) || !PAGE_ALIGNED(size) ||
	    !qsim_host_phys(pa, size))
		return -EINVAL;
	br = kzalloc(sizeof(*br), GFP_KERNEL);
	if (!br)
		return -ENOMEM;
	br->pa = pa;
	br->size = size;

	mutex_lock(&sim->br_lock);
	ret = xa_alloc_cyclic(&sim->bridges, &id, br, xa_limit_31b,
			      &sim->next_handle, GFP_KERNEL);
	if (ret >= 0)
		sim->nbridges++;
	mutex_unlock(&sim->br_lock);
	if (ret < 0) {
		kfree(br);
		return ret;
	}
	*handle = id;

	return 0;
}

static int qsim_shm_bridge_delete(void *priv, u64 handle)
{
	struct qcomtee_sim *sim = priv;
	struct qsim_bridge *br = NULL;

	mutex_lock(&sim->br_lock);
	if (handle && handle <= U32_MAX)
		br = xa_erase(&sim->bridges, handle);
	if (br)
		sim->nbridges--;
	mutex_unlock(&sim->br_lock);
	if (!br)
		return -EINVAL;

	/*
	 * The kernel gave up a buffer a secure thread still waits on: the
	 * invocation was abandoned.
	 */
	qsim_threads_abort_range(&sim->thr, br->pa, br->size);
	kfree_rcu(br, rcu);

	return 0;
}

/**
 * qsim_bridges_fini() - drop all bridges at destroy
 * @sim: instance.
 */
void qsim_bridges_fini(struct qcomtee_sim *sim)
{
	struct qsim_bridge *br;
	unsigned long handle;

	xa_for_each(&sim->bridges, handle, br)
		kfree(br);
	xa_destroy(&sim->bridges);
	sim->nbridges = 0;
}

/*
 * What the calling task carries for the fault-injection framework. The
 * secure world does not allocate from Linux: allocation failures injected
 * into the task calling an SMC (fail-nth, failslab's make-it-fail) are
 * meant for the driver, not for the simulator standing in for QTEE, so
 * they are masked while the call is in the simulator.
 */
struct qsim_task_faults {
#ifdef CONFIG_FAULT_INJECTION
	unsigned int fail_nth;
	int make_it_fail;
#endif
};

static void qsim_mask_task_faults(struct qsim_task_faults *saved)
{
#ifdef CONFIG_FAULT_INJECTION
	saved->fail_nth = current->fail_nth;
	saved->make_it_fail = current->make_it_fail;
	current->fail_nth = 0;
	current->make_it_fail = 0;
#endif
}

static void qsim_restore_task_faults(const struct qsim_task_faults *saved)
{
#ifdef CONFIG_FAULT_INJECTION
	current->fail_nth = saved->fail_nth;
	current->make_it_fail = saved->make_it_fail;
#endif
}

static bool qsim_enter(struct qcomtee_sim *sim)
{
	atomic_inc(&sim->active);
	/* Pairs with the barrier in qcomtee_sim_destroy(). */
	smp_mb__after_atomic();
	if (READ_ONCE(sim->dying)) {
		if (atomic_dec_and_test(&sim->active))
			wake_up(&sim->idle_wq);
		return false;
	}

	return true;
}

static void qsim_exit(struct qcomtee_sim *sim)
{
	if (atomic_dec_and_test(&sim->active))
		wake_up(&sim->idle_wq);
}

/* Common SMC entry faults (the model's); returns nonzero to fail the call. */
static int qsim_smc_faults(struct qcomtee_sim *sim)
{
	return qsim_faults_smc(&sim->faults);
}

/* Parse a direct invocation; on error nothing is left allocated. */
static int qsim_parse_invoke(struct qsim_call *call)
{
	return qsim_wire_parse_invoke(&call->sim->core, call->in_va,
				      call->in_size, &call->op, &call->obj,
				      &call->args);
}

static int qsim_invoke(void *priv, phys_addr_t in_pa, size_t in_size,
		       phys_addr_t out_pa, size_t out_size,
		       u64 *result, u64 *response_type)
{
	struct qcomtee_sim *sim = priv;
	struct qsim_task_faults saved;
	struct qsim_call *call;
	void *in_va, *out_va;
	int ret;

	if (!qsim_enter(sim))
		return -ENODEV;
	qsim_mask_task_faults(&saved);
	ret = qsim_smc_faults(sim);
	if (ret)
		goto out;

	ret = -EINVAL;
	in_va = qsim_map(sim, in_pa, in_size, true);
	out_va = qsim_map(sim, out_pa, out_size, true);
	if (!in_va || !out_va)
		goto out;
	if (in_pa < out_pa + out_size && out_pa < in_pa + in_size)
		goto out;
	/* The outbound buffer of a call waiting for CB_RSP is not free. */
	if (qsim_out_busy(&sim->thr, out_pa))
		goto out;

	ret = -ENOMEM;
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	if (!call)
		goto out;
	qsim_call_init(call, &sim->core, &sim->thr, in_pa, in_va, in_size,
		       out_pa, out_va, out_size);
	init_waitqueue_head(&call->host.wq);
	atomic64_inc(&sim->invocations);

	ret = qsim_parse_invoke(call);
	if (ret || !call->obj) {
		/* Rejected, or RELEASE/RETAIN already done. */
		kfree(call);
		qsim_write_async(sim, out_va, out_size);
		*response_type = QSIM_RESP_DONE;
		*result = (u64)(s64)ret;
		ret = 0;
		goto out;
	}
	ret = qsim_call_start(call, response_type, result);
out:
	qsim_restore_task_faults(&saved);
	qsim_exit(sim);
	return ret;
}

static int qsim_callback_response(void *priv, phys_addr_t out_pa,
				  size_t out_size, u64 *result,
				  u64 *response_type)
{
	struct qcomtee_sim *sim = priv;
	struct qsim_task_faults saved;
	int ret;

	if (!qsim_enter(sim))
		return -ENODEV;
	qsim_mask_task_faults(&saved);
	ret = qsim_smc_faults(sim);
	if (!ret)
		ret = qsim_call_resume(&sim->thr, out_pa, out_size,
				       response_type, result);
	qsim_restore_task_faults(&saved);
	qsim_exit(sim);

	return ret;
}

const struct qcomtee_transport_ops qsim_transport_ops = {
	.invoke = qsim_invoke,
	.callback_response = qsim_callback_response,
	.shm_bridge_create = qsim_shm_bridge_create,
	.shm_bridge_delete = qsim_shm_bridge_delete,
};
