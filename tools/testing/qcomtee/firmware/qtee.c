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
 * Secure threads: every invocation takes one of FW_THREADS slots, which
 * holds its state (struct qsim_call) and a stack in secure RAM, for as
 * long as it is in flight; with none free the INVOKE is answered busy
 * (QCOM_SCM_V2_EBUSY, so qcom_scm and then the driver retry) before the
 * model reads anything. A call whose class may call back runs on its slot's
 * stack: when it issues a callback, fw_ctx_switch() (switch.S) saves its
 * registers and goes back to the SMC side, which answers response type 3
 * with the request in the outbound buffer; the thread stays parked, the
 * CPU is Linux's again. A CB_RSP, from whichever CPU, finds the thread by
 * its outbound buffer's physical address (the model's waiting list,
 * threads.c) and switches to it on that CPU. Calls of other classes run
 * on the stack of the SMC itself. The states, the waiting list, orphans
 * and counters are the model's, shared with the kernel's simulator; this
 * file is only how a thread is started, switched to and away from.
 *
 * A thread parked on a buffer whose SHM bridge the kernel deletes is
 * aborted (its callback returns ABORT), run to its end by the CPU that
 * deleted the bridge, and freed; a CB_RSP for it, like one no thread waits
 * for, is answered UNAVAIL (-96).
 *
 * Not modelled: interrupted returns (QCOM_SCM_INTERRUPTED; the firmware
 * never takes an interrupt, and qtee-transport.md does not describe them)
 * and time slicing: a thread runs until it calls back or ends.
 */
#include "model.h"
#include "qcomtee_testsvc.h"

#define ARGINFO_INVOKE		0x224	/* 4 args: RW buffer, value, RW, value */
#define ARGINFO_CB_RSP		0x22	/* 2 args: RW buffer, value */
#define SCM_EINVAL_ADDR		(-3)
#define SCM_EINVAL_ARG		(-2)
#define SCM_EBUSY		(-12)	/* QCOM_SCM_V2_EBUSY, qcom_scm.h */
#define SCM_ENOMEM		(-5)
#define SCM_ERROR		(-1)
#define RESP_DONE		0
/* The version the simulator reports by default: 2.0.0 (major << 22). */
#define FW_QTEE_VERSION		(2U << 22)
#define FW_QTEE_OBJECTS		4096
#define FW_QTEE_HEAP		(4UL << 20)
#define FW_THREAD_STACK		0x4000
/*
 * What a secure thread's stack is filled with (once: the fill below the
 * deepest point any call reached stays, so it is a watermark), and the
 * bytes below its end it must never reach (no MMU, no guard page).
 */
#define FW_STACK_FILL		0xa5
#define FW_STACK_GUARD		256

/* The firmware's QTEE: one instance, as on a board. */
struct qcomtee_sim {
	struct qsim_core core;
	struct qsim_heap heap;
	struct qsim_faults faults;
	struct qsim_threads thr;
	struct qsim_obj root;
	qsim_atomic64_t invocations;
};

/* A secure thread: a call's state and the stack it runs on. */
struct fw_thread {
	struct qsim_call call;
	bool used;
	bool started;		/* the call ran on @stack */
	u8 stack[FW_STACK_GUARD + FW_THREAD_STACK] __aligned(16);
};

/* The offsets switch.S stores fp, lr and sp at. */
static_assert(__builtin_offsetof(struct fw_ctx, fp) == 10 * 8);
static_assert(__builtin_offsetof(struct fw_ctx, sp) == 12 * 8);

static struct qcomtee_sim qtee;
static struct fw_thread threads[FW_THREADS];
/* Protects every slot's used and host.reaping, and the counters below. */
static struct spinlock pool_lock;
static unsigned int threads_max_used, threads_busy, threads_aborted;
static qsim_atomic_t resumed_elsewhere, done_while_parked;
/* What the boot checks did, left out of the summary. */
static s64 qtee_callbacks_base, qtee_invocations_base;

/* Fill every slot's stack; no thread may be running. */
static void fw_stacks_fill(void)
{
	unsigned int i;

	for (i = 0; i < FW_THREADS; i++)
		memset(threads[i].stack, FW_STACK_FILL,
		       sizeof(threads[i].stack));
}

void qtee_init(void)
{
	fw_stacks_fill();
	qsim_heap_init(&qtee.heap, FW_QTEE_HEAP);
	qsim_faults_clear(&qtee.faults);
	qsim_core_init(&qtee.core, &qtee, &qtee.root, FW_QTEE_OBJECTS,
		       &qtee.heap, &qtee.faults);
	qsim_threads_init(&qtee.thr);
	qtee.root.cls = &qsim_root_class;
	qtee.core.version = FW_QTEE_VERSION;
}

static struct fw_thread *fw_thread_get(void)
{
	struct fw_thread *t = NULL;
	unsigned int i, used = 0;

	spin_lock(&pool_lock);
	for (i = 0; i < FW_THREADS; i++) {
		if (threads[i].used) {
			used++;
		} else if (!t) {
			t = &threads[i];
			t->used = true;
			used++;
		}
	}
	if (!t)
		threads_busy++;
	threads_max_used = max(threads_max_used, used);
	spin_unlock(&pool_lock);
	if (t) {
		memset(&t->call, 0, sizeof(t->call));
		t->started = false;
	}

	return t;
}

/*
 * How deep the thread's stack ever went since it was filled: the bytes
 * below its top that no longer hold the fill. A scan of the whole stack,
 * so only for the summary, not per call.
 */
static unsigned int fw_stack_depth(struct fw_thread *t)
{
	unsigned int i;

	for (i = 0; i < sizeof(t->stack) && t->stack[i] == FW_STACK_FILL; i++)
		;
	return sizeof(t->stack) - i;
}

/*
 * Checked when each call ends: a call that reached into the guard below
 * FW_THREAD_STACK is fatal (beyond the guard it would have overwritten
 * the call itself).
 */
static void fw_stack_check_guard(struct fw_thread *t)
{
	const u64 fill = 0x0101010101010101ULL * FW_STACK_FILL;
	const u64 *guard = (const u64 *)t->stack;
	unsigned int i;

	for (i = 0; i < FW_STACK_GUARD / sizeof(u64); i++)
		if (guard[i] != fill)
			fw_fatal("secure thread stack overflow", (u64)&t->call,
				 fw_stack_depth(t));
}

static void fw_thread_put(struct fw_thread *t)
{
	if (t->started)
		fw_stack_check_guard(t);
	spin_lock(&pool_lock);
	t->used = false;
	spin_unlock(&pool_lock);
}

/* The deepest any thread's stack went since the last fill. */
static unsigned int fw_stacks_max(void)
{
	unsigned int i, depth = 0;

	for (i = 0; i < FW_THREADS; i++)
		depth = max(depth, fw_stack_depth(&threads[i]));
	return depth;
}

/* Start a thread: its first switch enters fw_thread_entry (switch.S). */
void qsim_host_thread_start(struct qsim_call *call)
{
	struct fw_thread *t = container_of(call, struct fw_thread, call);

	t->started = true;
	call->host.self.x19[0] = (u64)call;
	call->host.self.fp = 0;
	call->host.self.lr = (u64)fw_thread_entry;
	call->host.self.sp = (u64)(t->stack + sizeof(t->stack));
}

void qsim_host_run(struct qsim_call *call)
{
	fw_ctx_switch(&call->host.back, &call->host.self);
}

void qsim_host_park(struct qsim_call *call)
{
	call->host.cpu = cpu_index();
	fw_ctx_switch(&call->host.self, &call->host.back);
	if (cpu_index() != call->host.cpu)
		qsim_atomic_inc(&resumed_elsewhere);
}

/* Whoever waits for a new state switches to the thread itself. */
void qsim_host_wake(struct qsim_call *call)
{
}

void qsim_host_call_free(struct qsim_call *call)
{
	fw_thread_put(container_of(call, struct fw_thread, call));
}

/* The racing writer is a fault of the kernel's simulator only. */
void qsim_host_racer_start(struct qsim_call *call, u8 *out,
			   const struct qsim_args *args)
{
}

void qsim_host_racer_stop(struct qsim_call *call)
{
}

/* A secure thread's life, from its first switch to its last. */
__noreturn void fw_thread_run(struct qsim_call *call)
{
	/* An orphan is freed by the CPU that runs it to its end. */
	qsim_thread_main(call);
	fw_ctx_switch(&call->host.self, &call->host.back);
	fw_fatal("secure thread switched to after its end", (u64)call, 0);
}

/*
 * Run every orphan to its end (its callbacks abort at once, so it does
 * not park again) and free it.
 */
static void fw_threads_reap(void)
{
	struct fw_thread *t;
	unsigned int i;
	bool take;

	for (i = 0; i < FW_THREADS; i++) {
		t = &threads[i];
		spin_lock(&pool_lock);
		take = t->used && READ_ONCE(t->call.orphan) &&
		       !t->call.host.reaping;
		if (take) {
			t->call.host.reaping = true;
			threads_aborted++;
		}
		spin_unlock(&pool_lock);
		if (!take)
			continue;
		qsim_host_run(&t->call);
		qsim_call_free(&t->call);
	}
}

/* The test-control service's STATS: what the firmware has of them. */
void qsim_host_stats(struct qcomtee_sim *sim, u64 *v)
{
	v[QCOMTEE_TESTSVC_STAT_BRIDGES] = scm_bridges_live();
	v[QCOMTEE_TESTSVC_STAT_INVOCATIONS] =
		qsim_atomic64_read(&sim->invocations);
}

/* The racing writer is the kernel simulator's own fault. */
int qsim_host_fault_arm(struct qcomtee_sim *sim, unsigned int fault,
			unsigned int count)
{
	return fault == QCOMTEE_SIM_FAULT_RACE ? -EINVAL : 0;
}

unsigned int qsim_host_abort_waiting(struct qcomtee_sim *sim)
{
	unsigned int n = qsim_threads_abort(&sim->thr);

	fw_threads_reap();
	return n;
}

/* Buffers outside SHM bridges are never accepted here. */
int qsim_host_unbridged(struct qcomtee_sim *sim, u32 *val, bool set)
{
	if (set)
		return *val ? -EINVAL : 0;
	*val = 0;
	return 0;
}

void qtee_abort_range(u64 pa, u64 size)
{
	qsim_threads_abort_range(&qtee.thr, pa, size);
	fw_threads_reap();
}

/* Calls in flight, waiting for CB_RSP, kernel references held, pending. */
void qtee_counts(unsigned int c[4])
{
	unsigned int objects, ns_ids;

	qsim_threads_counts(&qtee.thr, &c[0], &c[1]);
	qsim_core_counts(&qtee.core, &objects, &c[2], &ns_ids, &c[3]);
}

/* The boot checks are done: the summary counts what Linux did. */
void qtee_reset_counts(void)
{
	spin_lock(&pool_lock);
	threads_max_used = 0;
	threads_busy = 0;
	threads_aborted = 0;
	spin_unlock(&pool_lock);
	/* The watermark too: every thread has ended. */
	fw_stacks_fill();
	qsim_atomic_set(&resumed_elsewhere, 0);
	qsim_atomic_set(&done_while_parked, 0);
	qtee_callbacks_base = qsim_atomic64_read(&qtee.thr.callbacks);
	qtee_invocations_base = qsim_atomic64_read(&qtee.invocations);
}

unsigned int qtee_threads_free(void)
{
	unsigned int i, n = 0;

	spin_lock(&pool_lock);
	for (i = 0; i < FW_THREADS; i++)
		n += !threads[i].used;
	spin_unlock(&pool_lock);

	return n;
}

/*
 * Only the services of services.c (the test-control service among them):
 * no app loader, no listeners yet.
 */
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
	unsigned int in_flight, waiting;
	struct qsim_call *call;
	struct fw_thread *t;
	u64 rtype, res;
	u8 *in, *out;
	int result;

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
	/* The outbound buffer of a call waiting for CB_RSP is not free. */
	if (qsim_out_busy(&qtee.thr, out_pa))
		return SCM_EINVAL_ADDR;
	/* For the log only: the model reads the request once, below. */
	*key = (u64)get_unaligned_le32(in) << 32 | get_unaligned_le32(in + 4);
	/* The model reads nothing before the call has a slot: busy is clean. */
	t = fw_thread_get();
	if (!t)
		return SCM_EBUSY;

	call = &t->call;
	qsim_call_init(call, &qtee.core, &qtee.thr, in_pa, in, in_size, out_pa,
		       out, out_size);
	qsim_atomic64_add(1, &qtee.invocations);
	result = qsim_wire_parse_invoke(&qtee.core, in, in_size, &call->op,
					&call->obj, &call->args);
	if (result || !call->obj) {
		/* Refused, or a RELEASE/RETAIN already done. */
		fw_thread_put(t);
		qsim_wire_write_async(&qtee.core, out, out_size);
		r->x[1] = RESP_DONE;
		r->x[2] = (u64)(s64)result;
		return 0;
	}
	qsim_call_start(call, &rtype, &res);
	qsim_threads_counts(&qtee.thr, &in_flight, &waiting);
	if (rtype == RESP_DONE && waiting)
		qsim_atomic_inc(&done_while_parked);
	r->x[1] = rtype;
	r->x[2] = res;
	return 0;
}

static s64 qtee_cb_rsp(struct smc_regs *r)
{
	u64 pa = r->x[2], size = r->x[3], rtype, res;

	if (r->x[1] != ARGINFO_CB_RSP)
		return SCM_EINVAL_ARG;
	if (!qtee_buffer(pa, size))
		return SCM_EINVAL_ADDR;
	qsim_call_resume(&qtee.thr, pa, size, &rtype, &res);
	r->x[1] = rtype;
	r->x[2] = res;
	return 0;
}

/*
 * An errno of the model's SMC-entry fault as the SCM status qcom_scm maps
 * back to it (qcom_scm.h); one without an SCM code arrives as -EIO.
 */
static s64 fw_scm_status(int err)
{
	switch (err) {
	case -EBUSY:
		return SCM_EBUSY;
	case -ENOMEM:
		return SCM_ENOMEM;
	case -EINVAL:
		return SCM_EINVAL_ARG;
	}
	return SCM_ERROR;
}

int smcinvoke_handle(u32 fid, struct smc_regs *r, const char **name,
		     u64 *key)
{
	s64 ret;
	int err;

	/* SMC64 only: the buffers are 64-bit physical addresses. */
	if ((fid & 0x4000ffff) == 0x40000602)
		*name = "SMCINVOKE_INVOKE";
	else if ((fid & 0x4000ffff) == 0x40000601)
		*name = "SMCINVOKE_CB_RSP";
	else
		return 0;
	/* The test service's SCM error and delay act before anything else. */
	err = qsim_faults_smc(&qtee.faults);
	if (err)
		ret = fw_scm_status(err);
	else if ((fid & 0xffff) == 0x602)
		ret = qtee_invoke(r, key);
	else
		ret = qtee_cb_rsp(r);
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
	unsigned int objects, ns_refs, ns_ids, pending, in_flight, waiting;
	struct fw_line l = { .len = 0 };

	qsim_core_counts(&qtee.core, &objects, &ns_refs, &ns_ids, &pending);
	fw_add(&l, "fw: summary: qtee invocations=%ld objects=%u",
	       qsim_atomic64_read(&qtee.invocations) - qtee_invocations_base,
	       objects);
	fw_add(&l, " ns-refs=%u pending=%u heap-used=%lu\n", ns_refs, pending,
	       qsim_heap_in_use(&qtee.heap));
	fw_emit(&l);
	qsim_threads_counts(&qtee.thr, &in_flight, &waiting);
	spin_lock(&pool_lock);
	fw_add(&l, "fw: summary: qtee threads=%u max-used=%u busy=%u",
	       FW_THREADS, threads_max_used, threads_busy);
	fw_add(&l, " callbacks=%ld resumed-elsewhere=%d done-while-parked=%d",
	       qsim_atomic64_read(&qtee.thr.callbacks) - qtee_callbacks_base,
	       qsim_atomic_read(&resumed_elsewhere),
	       qsim_atomic_read(&done_while_parked));
	fw_add(&l, " aborted=%u in-flight=%u waiting=%u stack-max=%u of %u\n",
	       threads_aborted, in_flight, waiting, fw_stacks_max(),
	       FW_THREAD_STACK);
	spin_unlock(&pool_lock);
	fw_emit(&l);
}
