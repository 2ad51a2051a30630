// SPDX-License-Identifier: GPL-2.0
/*
 * QTEE behind SMCINVOKE: the firmware's instance of the QTEE model (the
 * simulator's files that include only model.h, see sim/host.h) and the
 * INVOKE and CB_RSP calls of the trusted OS owner, with the register
 * semantics of qcom_scm (x1 the arginfo, x2-x5 the arguments; x0 the SCM
 * status, x1 the response type, x2 the result).
 *
 * Everything the normal world passes is untrusted: a buffer must be whole
 * 4 KiB pages of normal RAM, at most 4 MiB, inside an SHM bridge the
 * secure side may read and write, and the two buffers may not overlap;
 * otherwise the call is not serviced (invalid address), as the simulator
 * fails it with -EINVAL. What is inside the buffers is the model's to
 * bound (wire.c).
 *
 * Not yet: secure threads. Every invocation runs to its end on the CPU
 * that made the SMC; a callback request answers ABORT, so no CB_RSP is
 * ever expected (one that comes is answered UNAVAIL, as the simulator
 * answers a CB_RSP no thread waits for).
 */
#include "model.h"

#define ARGINFO_INVOKE		0x224	/* 4 args: RW buffer, value, RW, value */
#define ARGINFO_CB_RSP		0x22	/* 2 args: RW buffer, value */
#define SCM_EINVAL_ADDR		(-3)
#define SCM_EINVAL_ARG		(-2)
#define RESP_DONE		0
/* The version the simulator reports by default: 2.0.0 (major << 22). */
#define FW_QTEE_VERSION		(2U << 22)
#define FW_QTEE_OBJECTS		4096
#define FW_QTEE_HEAP		(4UL << 20)

/* The firmware's QTEE: one instance, as on a board. */
struct qcomtee_sim {
	struct qsim_core core;
	struct qsim_heap heap;
	struct qsim_faults faults;
	struct qsim_obj root;
	qsim_atomic64_t invocations;
};

static struct qcomtee_sim qtee;

void qtee_init(void)
{
	qsim_heap_init(&qtee.heap, FW_QTEE_HEAP);
	qsim_faults_clear(&qtee.faults);
	qsim_core_init(&qtee.core, &qtee, &qtee.root, FW_QTEE_OBJECTS,
		       &qtee.heap, &qtee.faults);
	qtee.root.cls = &qsim_root_class;
	qtee.core.version = FW_QTEE_VERSION;
}

/*
 * No secure threads yet: nothing can wait for the kernel's answer, so the
 * model's threads.c is not built and its qsim_callback() is this one.
 */
int qsim_callback(struct qsim_call *call, struct qsim_cb *cb)
{
	return QSIM_ABORT;
}

/* No callback request is ever written, so no racer either (cb.c). */
void qsim_host_racer_start(struct qsim_call *call, u8 *out,
			   const struct qsim_args *args)
{
}

void qsim_host_racer_stop(struct qsim_call *call)
{
}

/* Only the services of services.c: no app loader, no listeners yet. */
const struct qsim_class *qsim_host_service_class(u32 uid)
{
	return NULL;
}

static void *qtee_buffer(u64 pa, u64 size)
{
	if (!size || size > QSIM_MAX_BUF_SIZE || (pa | size) & 0xfff ||
	    !scm_buffer_ok(pa, size))
		return NULL;
	return qsim_host_phys(pa, size);
}

static s64 qtee_invoke(struct smc_regs *r, u64 *key)
{
	u64 in_pa = r->x[2], in_size = r->x[3];
	u64 out_pa = r->x[4], out_size = r->x[5];
	struct qsim_call call = { .sim = &qtee, .core = &qtee.core };
	struct qsim_args args = { };
	struct qsim_obj *obj;
	u8 *in, *out;
	int result;
	u32 op;

	if (r->x[1] != ARGINFO_INVOKE)
		return SCM_EINVAL_ARG;
	/* qcom_scm's probe: is SMCINVOKE there? Serviced, nothing done. */
	if (!in_pa && !in_size && !out_pa && !out_size) {
		r->x[1] = RESP_DONE;
		r->x[2] = QSIM_OK;
		return 0;
	}
	in = qtee_buffer(in_pa, in_size);
	out = qtee_buffer(out_pa, out_size);
	if (!in || !out || (in_pa < out_pa + out_size &&
			    out_pa < in_pa + in_size))
		return SCM_EINVAL_ADDR;

	qsim_atomic64_add(1, &qtee.invocations);
	*key = (u64)get_unaligned_le32(in) << 32 | get_unaligned_le32(in + 4);
	result = qsim_wire_parse_invoke(&qtee.core, in, in_size, &op, &obj,
					&args);
	if (!result && obj) {
		result = qsim_wire_dispatch(obj, &call, op, &args);
		qsim_wire_complete(&qtee.core, in, out, out_size, obj, &args,
				   result);
	} else {
		/* Refused, or a RELEASE/RETAIN already done. */
		qsim_wire_write_async(&qtee.core, out, out_size);
	}
	r->x[1] = RESP_DONE;
	r->x[2] = (u64)(s64)result;
	return 0;
}

static s64 qtee_cb_rsp(struct smc_regs *r)
{
	if (r->x[1] != ARGINFO_CB_RSP)
		return SCM_EINVAL_ARG;
	if (!qtee_buffer(r->x[2], r->x[3]))
		return SCM_EINVAL_ADDR;
	r->x[1] = RESP_DONE;
	r->x[2] = (u64)(s64)QSIM_UNAVAIL;
	return 0;
}

int smcinvoke_handle(u32 fid, struct smc_regs *r, const char **name,
		     u64 *key)
{
	s64 ret;

	/* SMC64 only: the buffers are 64-bit physical addresses. */
	if ((fid & 0x4000ffff) == 0x40000602) {
		*name = "SMCINVOKE_INVOKE";
		ret = qtee_invoke(r, key);
	} else if ((fid & 0x4000ffff) == 0x40000601) {
		*name = "SMCINVOKE_CB_RSP";
		ret = qtee_cb_rsp(r);
	} else {
		return 0;
	}
	r->x[0] = (u64)ret;
	if (ret) {
		r->x[1] = 0;
		r->x[2] = 0;
	}
	r->x[3] = 0;
	return 1;
}

void qtee_report(void)
{
	unsigned int objects, ns_refs, ns_ids, pending;
	struct fw_line l = { .len = 0 };

	qsim_core_counts(&qtee.core, &objects, &ns_refs, &ns_ids, &pending);
	fw_add(&l, "fw: summary: qtee invocations=%ld objects=%u",
	       qsim_atomic64_read(&qtee.invocations), objects);
	fw_add(&l, " ns-refs=%u pending=%u heap-used=%lu\n", ns_refs, pending,
	       qsim_heap_in_use(&qtee.heap));
	fw_emit(&l);
}
