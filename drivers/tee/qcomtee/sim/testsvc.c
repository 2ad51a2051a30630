// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the test-control service (qcomtee_testsvc.h; a model
 * file: host.h).
 *
 * Each op decodes and bounds its arguments, then reads or changes the
 * model's own state (its counters, faults, threads, version); what only
 * a host has (bridges, apps, listeners, the racer, unbridged buffers) it
 * asks the host for (host.h), so both hosts offer the same service. Tests
 * reach it through a client env like any other service, which is what
 * lets them run without debugfs.
 */

#include "model.h"
#include "qcomtee_testsvc.h"

static_assert(QCOMTEE_TESTSVC_FAULTS_NUM == QCOMTEE_SIM_FAULT_MAX);
static_assert(QCOMTEE_TESTSVC_FAULT_SCM_ERROR == QCOMTEE_SIM_FAULT_SCM_ERROR);
static_assert(QCOMTEE_TESTSVC_FAULT_CB_BAD_ID == QCOMTEE_SIM_FAULT_CB_BAD_ID);
static_assert(QCOMTEE_TESTSVC_FAULT_OB_SIZE == QCOMTEE_SIM_FAULT_OB_SIZE);
static_assert(QCOMTEE_TESTSVC_FAULT_DELAY == QCOMTEE_SIM_FAULT_DELAY);
static_assert(QCOMTEE_TESTSVC_FAULT_RACE == QCOMTEE_SIM_FAULT_RACE);

static void qsim_put64(void *base, size_t off, u64 v)
{
	put_unaligned_le64(v, (u8 *)base + off);
}

/* Checks that OB0 is the only argument and holds at least @size bytes. */
static int qsim_testsvc_ob(struct qsim_args *a, size_t size)
{
	if (!qsim_shape(a, 0, 1, 0, 0))
		return QSIM_INVALID;
	if (a->ob[0].cap < size)
		return QSIM_SIZE_OUT;
	a->ob[0].size = size;

	return QSIM_OK;
}

/* Checks that IB0 of exactly @size bytes is the only input, + @nob OBs. */
static int qsim_testsvc_ib(const struct qsim_args *a, size_t size,
			   unsigned int nob)
{
	if (!qsim_shape(a, 1, nob, 0, 0))
		return QSIM_INVALID;
	if (a->ib[0].size != size)
		return QSIM_SIZE_IN;

	return QSIM_OK;
}

static int qsim_testsvc_stats(struct qsim_call *call, struct qsim_args *a)
{
	unsigned int objects, ns_refs, ns_ids, pending, in_flight, waiting;
	u64 v[QCOMTEE_TESTSVC_STATS_NUM] = { };
	struct qsim_core *core = call->core;
	unsigned int i;
	int ret;

	ret = qsim_testsvc_ob(a, QCOMTEE_TESTSVC_STATS_SIZE);
	if (ret)
		return ret;
	qsim_core_counts(core, &objects, &ns_refs, &ns_ids, &pending);
	qsim_threads_counts(call->thr, &in_flight, &waiting);
	/* Leave out the caller: the object invoked and this invocation. */
	v[QCOMTEE_TESTSVC_STAT_OBJECTS] = objects - 1;
	v[QCOMTEE_TESTSVC_STAT_NS_REFS] = ns_refs;
	v[QCOMTEE_TESTSVC_STAT_NS_IDS] = ns_ids;
	v[QCOMTEE_TESTSVC_STAT_IN_FLIGHT] = in_flight - 1;
	v[QCOMTEE_TESTSVC_STAT_WAITING] = waiting;
	v[QCOMTEE_TESTSVC_STAT_HEAP_USED] = qsim_heap_in_use(core->heap);
	v[QCOMTEE_TESTSVC_STAT_HEAP_TOTAL] = core->heap->total;
	v[QCOMTEE_TESTSVC_STAT_PENDING_RELEASES] = pending;
	v[QCOMTEE_TESTSVC_STAT_ASYNC_RELEASES] =
		qsim_atomic64_read(&core->async_releases);
	v[QCOMTEE_TESTSVC_STAT_CALLBACKS] =
		qsim_atomic64_read(&call->thr->callbacks);
	v[QCOMTEE_TESTSVC_STAT_ASYNC_DIRTY] =
		qsim_atomic64_read(&core->async_dirty);
	qsim_host_stats(call->sim, v);
	for (i = 0; i < ARRAY_SIZE(v); i++)
		qsim_put64(a->ob[0].data, 8 * i, v[i]);

	return QSIM_OK;
}

static int qsim_testsvc_faults(struct qsim_faults *fs, struct qsim_args *a)
{
	unsigned int i, off;
	int ret;

	ret = qsim_testsvc_ob(a, QCOMTEE_TESTSVC_FAULTS_SIZE);
	if (ret)
		return ret;
	for (i = 0; i < QCOMTEE_SIM_FAULT_MAX; i++) {
		off = QCOMTEE_TESTSVC_FAULT_REC_SIZE * i;
		qsim_put32(a->ob[0].data, off,
			   qsim_atomic_read(&fs->count[i]));
		qsim_put32(a->ob[0].data, off + 4, READ_ONCE(fs->arg[i]));
		qsim_put32(a->ob[0].data, off + 8,
			   qsim_atomic_read(&fs->hits[i]));
	}

	return QSIM_OK;
}

/* Whether @arg is within what fault @fault gives a meaning to. */
static bool qsim_testsvc_fault_arg_ok(u32 fault, s32 arg)
{
	switch (fault) {
	case QCOMTEE_SIM_FAULT_SCM_ERROR:
		return arg <= 0 && arg >= -QCOMTEE_TESTSVC_ERRNO_MAX;
	case QCOMTEE_SIM_FAULT_DELAY:
		return arg >= 0 && arg <= QCOMTEE_TESTSVC_DELAY_MAX_MS;
	case QCOMTEE_SIM_FAULT_OB_SIZE:
		return arg >= 0 && arg <= QCOMTEE_TESTSVC_OB_EXTRA_MAX;
	case QCOMTEE_SIM_FAULT_CB_BAD_ID:
		return true;
	default:
		return !arg;
	}
}

static int qsim_testsvc_inject(struct qsim_core *core, struct qsim_args *a)
{
	const void *ib = a->ib[0].data;
	u32 fault, count;
	s32 arg;
	int ret;

	ret = qsim_testsvc_ib(a, QCOMTEE_TESTSVC_INJECT_SIZE, 0);
	if (ret)
		return ret;
	fault = qsim_get32(ib, 0);
	count = qsim_get32(ib, 4);
	arg = qsim_get32(ib, 8);
	if (fault >= QCOMTEE_SIM_FAULT_MAX ||
	    count > QCOMTEE_TESTSVC_COUNT_MAX ||
	    !qsim_testsvc_fault_arg_ok(fault, arg))
		return QSIM_INVALID;

	/* A fault only the host fires, or needs a host's help for. */
	if (qsim_host_fault_arm(core->sim, fault, count))
		return QSIM_ERROR;

	return qsim_faults_arm(core->faults, fault, count, arg) ?
		QSIM_ERROR : QSIM_OK;
}

static int qsim_testsvc_get(struct qsim_core *core, struct qsim_args *a)
{
	u32 val;
	int ret;

	ret = qsim_testsvc_ib(a, 4, 1);
	if (ret)
		return ret;
	switch (qsim_get32(a->ib[0].data, 0)) {
	case QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED:
		if (qsim_host_unbridged(core->sim, &val, false))
			return QSIM_INVALID;
		break;
	case QCOMTEE_TESTSVC_CTL_VERSION:
		val = READ_ONCE(core->version);
		break;
	default:
		return QSIM_INVALID;
	}
	if (a->ob[0].cap < 4)
		return QSIM_SIZE_OUT;
	qsim_put32(a->ob[0].data, 0, val);
	a->ob[0].size = 4;

	return QSIM_OK;
}

static int qsim_testsvc_set(struct qsim_core *core, struct qsim_args *a)
{
	u32 ctl, val;
	int ret;

	ret = qsim_testsvc_ib(a, 8, 0);
	if (ret)
		return ret;
	ctl = qsim_get32(a->ib[0].data, 0);
	val = qsim_get32(a->ib[0].data, 4);
	switch (ctl) {
	case QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED:
		if (val > 1 || qsim_host_unbridged(core->sim, &val, true))
			return QSIM_INVALID;
		break;
	case QCOMTEE_TESTSVC_CTL_VERSION:
		WRITE_ONCE(core->version, val);
		break;
	default:
		return QSIM_INVALID;
	}

	return QSIM_OK;
}

static int qsim_testsvc_invoke(struct qsim_obj *obj, struct qsim_call *call,
			       u32 op, struct qsim_args *a)
{
	struct qsim_core *core = obj->core;
	int ret;

	switch (op) {
	case QCOMTEE_TESTSVC_OP_STATS:
		return qsim_testsvc_stats(call, a);
	case QCOMTEE_TESTSVC_OP_FAULTS:
		return qsim_testsvc_faults(core->faults, a);
	case QCOMTEE_TESTSVC_OP_INJECT:
		return qsim_testsvc_inject(core, a);
	case QCOMTEE_TESTSVC_OP_CLEAR_FAULTS:
		if (!qsim_shape(a, 0, 0, 0, 0))
			return QSIM_INVALID;
		qsim_faults_clear(core->faults);
		return QSIM_OK;
	case QCOMTEE_TESTSVC_OP_ABORT_WAITING:
		ret = qsim_testsvc_ob(a, 4);
		if (!ret)
			qsim_put32(a->ob[0].data, 0,
				   qsim_host_abort_waiting(core->sim));
		return ret;
	case QCOMTEE_TESTSVC_OP_GET:
		return qsim_testsvc_get(core, a);
	case QCOMTEE_TESTSVC_OP_SET:
		return qsim_testsvc_set(core, a);
	}

	return QSIM_INVALID;
}

/*
 * Not blocking: no op calls back into the kernel, so the service runs
 * inline on the invoking CPU and never takes a secure thread (a test can
 * read the counters while every thread is busy).
 */
const struct qsim_class qsim_testsvc_class = {
	.name = "test-control",
	.invoke = qsim_testsvc_invoke,
	.release = qsim_service_release,
};
