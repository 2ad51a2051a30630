// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the test-control service (qcomtee_testsvc.h).
 *
 * A thin adapter: each op decodes and bounds its arguments, then calls the
 * instance's own API (qcomtee_sim_get_stats(), qcomtee_sim_inject(), ...),
 * so that the service carries no state or logic of its own and follows
 * the model wherever the model lives. Tests reach it through a client env
 * like any other service, which is what lets them run without debugfs.
 */

#include <linux/build_bug.h>
#include <linux/errno.h>

#include "sim.h"
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

static int qsim_testsvc_stats(struct qcomtee_sim *sim, struct qsim_args *a)
{
	u64 v[QCOMTEE_TESTSVC_STATS_NUM];
	struct qcomtee_sim_stats st;
	unsigned int i;
	int ret;

	ret = qsim_testsvc_ob(a, QCOMTEE_TESTSVC_STATS_SIZE);
	if (ret)
		return ret;
	qcomtee_sim_get_stats(sim, &st);
	/* Leave out the caller: the object invoked and this invocation. */
	v[QCOMTEE_TESTSVC_STAT_OBJECTS] = st.objects - 1;
	v[QCOMTEE_TESTSVC_STAT_NS_REFS] = st.ns_refs;
	v[QCOMTEE_TESTSVC_STAT_NS_IDS] = st.ns_ids;
	v[QCOMTEE_TESTSVC_STAT_IN_FLIGHT] = st.in_flight - 1;
	v[QCOMTEE_TESTSVC_STAT_WAITING] = st.waiting;
	v[QCOMTEE_TESTSVC_STAT_BRIDGES] = st.bridges;
	v[QCOMTEE_TESTSVC_STAT_HEAP_USED] = st.heap_used;
	v[QCOMTEE_TESTSVC_STAT_HEAP_TOTAL] = st.heap_total;
	v[QCOMTEE_TESTSVC_STAT_APPS] = st.apps;
	v[QCOMTEE_TESTSVC_STAT_PENDING_RELEASES] = st.pending_releases;
	v[QCOMTEE_TESTSVC_STAT_LISTENERS] = st.listeners;
	v[QCOMTEE_TESTSVC_STAT_ASYNC_RELEASES] = st.async_releases;
	v[QCOMTEE_TESTSVC_STAT_RELEASE_CBS] = st.release_callbacks;
	v[QCOMTEE_TESTSVC_STAT_CALLBACKS] = st.callbacks;
	v[QCOMTEE_TESTSVC_STAT_INVOCATIONS] = st.invocations;
	v[QCOMTEE_TESTSVC_STAT_RACE_REWRITES] = st.race_rewrites;
	v[QCOMTEE_TESTSVC_STAT_ASYNC_DIRTY] = st.async_dirty;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		qsim_put64(a->ob[0].data, 8 * i, v[i]);

	return QSIM_OK;
}

static int qsim_testsvc_faults(struct qcomtee_sim *sim, struct qsim_args *a)
{
	struct qsim_faults *fs = &sim->faults;
	unsigned int i, off;
	int ret;

	ret = qsim_testsvc_ob(a, QCOMTEE_TESTSVC_FAULTS_SIZE);
	if (ret)
		return ret;
	for (i = 0; i < QCOMTEE_SIM_FAULT_MAX; i++) {
		off = QCOMTEE_TESTSVC_FAULT_REC_SIZE * i;
		qsim_put32(a->ob[0].data, off, atomic_read(&fs->count[i]));
		qsim_put32(a->ob[0].data, off + 4, READ_ONCE(fs->arg[i]));
		qsim_put32(a->ob[0].data, off + 8, atomic_read(&fs->hits[i]));
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

static int qsim_testsvc_inject(struct qcomtee_sim *sim, struct qsim_args *a)
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

	return qcomtee_sim_inject(sim, fault, count, arg) ? QSIM_ERROR : QSIM_OK;
}

static int qsim_testsvc_get(struct qcomtee_sim *sim, struct qsim_args *a)
{
	u32 val;
	int ret;

	ret = qsim_testsvc_ib(a, 4, 1);
	if (ret)
		return ret;
	switch (qsim_get32(a->ib[0].data, 0)) {
	case QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED:
		val = READ_ONCE(sim->allow_unbridged);
		break;
	case QCOMTEE_TESTSVC_CTL_VERSION:
		val = READ_ONCE(sim->core.version);
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

static int qsim_testsvc_set(struct qcomtee_sim *sim, struct qsim_args *a)
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
		if (val > 1)
			return QSIM_INVALID;
		qcomtee_sim_set_allow_unbridged(sim, val);
		break;
	case QCOMTEE_TESTSVC_CTL_VERSION:
		qcomtee_sim_set_version(sim, val);
		break;
	default:
		return QSIM_INVALID;
	}

	return QSIM_OK;
}

static int qsim_testsvc_invoke(struct qsim_obj *obj, struct qsim_call *call,
			       u32 op, struct qsim_args *a)
{
	struct qcomtee_sim *sim = obj->sim;
	int ret;

	switch (op) {
	case QCOMTEE_TESTSVC_OP_STATS:
		return qsim_testsvc_stats(sim, a);
	case QCOMTEE_TESTSVC_OP_FAULTS:
		return qsim_testsvc_faults(sim, a);
	case QCOMTEE_TESTSVC_OP_INJECT:
		return qsim_testsvc_inject(sim, a);
	case QCOMTEE_TESTSVC_OP_CLEAR_FAULTS:
		if (!qsim_shape(a, 0, 0, 0, 0))
			return QSIM_INVALID;
		qcomtee_sim_clear_faults(sim);
		return QSIM_OK;
	case QCOMTEE_TESTSVC_OP_ABORT_WAITING:
		ret = qsim_testsvc_ob(a, 4);
		if (!ret)
			qsim_put32(a->ob[0].data, 0,
				   qcomtee_sim_abort_waiting(sim));
		return ret;
	case QCOMTEE_TESTSVC_OP_GET:
		return qsim_testsvc_get(sim, a);
	case QCOMTEE_TESTSVC_OP_SET:
		return qsim_testsvc_set(sim, a);
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
