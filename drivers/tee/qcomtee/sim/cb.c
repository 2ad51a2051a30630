// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: callback requests (a model file: host.h).
 *
 * A service that needs something of the kernel (credentials, a memory
 * mapping, a listener) builds a request here and issues it with
 * qsim_callback() (threads.c); what the request holds is charged to the
 * secure heap and freed with it. The SMC side writes the request into
 * the outbound buffer and reads the kernel's answer back from it here.
 */

#include "model.h"

/**
 * qsim_cb_new() - allocate a callback request
 * @core: the object table (and heap) of the instance.
 * @cxt: kernel-hosted object to invoke.
 * @op: operation.
 *
 * Return: the request (free with qsim_cb_free()) or NULL.
 */
struct qsim_cb *qsim_cb_new(struct qsim_core *core, u32 cxt, u32 op)
{
	struct qsim_cb *cb = qsim_heap_alloc(core->heap, sizeof(*cb));

	if (cb) {
		cb->cxt = cxt;
		cb->op = op;
	}

	return cb;
}

/* Append a buffer of @cap bytes (an IB gets @data's bytes in it). */
static int qsim_cb_add_buf(struct qsim_core *core, struct qsim_buf *bufs,
			   unsigned int *n, size_t cap, const void *data)
{
	struct qsim_buf *b;

	if (*n >= QSIM_MAX_ARGS_CLASS)
		return QSIM_MAXARGS;
	b = &bufs[*n];
	if (cap) {
		b->data = qsim_heap_alloc(core->heap, cap);
		if (!b->data)
			return QSIM_MEM;
		if (data)
			memcpy(b->data, data, cap);
	}
	b->cap = cap;
	b->size = data ? cap : 0;
	(*n)++;

	return 0;
}

/**
 * qsim_cb_add_ib() - append an input buffer (data sent to the kernel)
 * @core: the object table (and heap) of the instance.
 * @cb: request.
 * @data: bytes, copied.
 * @len: their number.
 *
 * Return: 0, QSIM_MAXARGS or QSIM_MEM.
 */
int qsim_cb_add_ib(struct qsim_core *core, struct qsim_cb *cb,
		   const void *data, size_t len)
{
	return qsim_cb_add_buf(core, cb->args.ib, &cb->args.nib, len, data);
}

/**
 * qsim_cb_add_ob() - append an output buffer the kernel fills
 * @core: the object table (and heap) of the instance.
 * @cb: request.
 * @cap: its maximum size.
 *
 * Return: 0, QSIM_MAXARGS or QSIM_MEM.
 */
int qsim_cb_add_ob(struct qsim_core *core, struct qsim_cb *cb, size_t cap)
{
	return qsim_cb_add_buf(core, cb->args.ob, &cb->args.nob, cap, NULL);
}

/**
 * qsim_cb_add_io() - append an input object
 * @cb: request.
 * @id: wire id (a kernel id is only named: it transfers nothing).
 * @obj: the secure object for a secure id (a reference is taken; the
 *	kernel gets its own when the request is sent), else NULL.
 */
void qsim_cb_add_io(struct qsim_cb *cb, u32 id, struct qsim_obj *obj)
{
	struct qsim_oarg *oa;

	if (WARN_ON_ONCE(cb->args.nio >= QSIM_MAX_ARGS_CLASS))
		return;
	oa = &cb->args.io[cb->args.nio++];
	oa->id = obj ? obj->id : id;
	oa->obj = obj ? qsim_obj_get(obj) : NULL;
	oa->owned = false;
}

/**
 * qsim_cb_free() - free a callback request and what it still holds
 * @core: the object table (and heap) of the instance.
 * @cb: request, may be NULL; its buffers are freed, secure objects put and
 *	kernel ids received in OO and not taken are released (async).
 */
void qsim_cb_free(struct qsim_core *core, struct qsim_cb *cb)
{
	if (!cb)
		return;
	qsim_args_free(core, &cb->args);
	qsim_heap_free(core->heap, cb);
}

/**
 * qsim_cb_write_request() - marshal the pending callback request into the
 *	outbound buffer
 * @call: the call whose secure thread posted @call->cb.
 *
 * Return: QSIM_OK, or a QTEE code when the request does not fit (then
 * nothing is handed to the kernel).
 */
int qsim_cb_write_request(struct qsim_call *call)
{
	struct qsim_cb *cb = call->cb;
	struct qsim_args *a = &cb->args;
	u8 *out = call->out_va;
	size_t off, slot, end = call->out_size;
	unsigned int i, n;
	u32 counts, cxt = cb->cxt;
	bool bad_off;
	int arg;

	n = a->nib + a->nob + a->nio + a->noo;
	off = ALIGN(QSIM_CB_HDR + QSIM_ARG_SIZE * n, 8);
	if (off > end)
		return QSIM_MAXARGS;
	for (i = 0; i < a->nib; i++) {
		if (a->ib[i].size > end - off)
			return QSIM_MAXDATA;
		off = ALIGN(off + a->ib[i].size, 8);
	}
	for (i = 0; i < a->nob; i++) {
		if (a->ob[i].cap > end - off)
			return QSIM_MAXDATA;
		off = ALIGN(off + a->ob[i].cap, 8);
	}
	if (off > end)
		off = end;
	/*
	 * QTEE's own previous request goes first; everything after it the
	 * kernel must have left zero (qsim_wire_write_async() checks).
	 */
	memset(out, 0, call->cb_end);
	call->cb_end = off;

	counts = a->nib | a->nob << 4 | a->nio << 8 | a->noo << 12;
	memset(out, 0, QSIM_CB_HDR + QSIM_ARG_SIZE * n);
	off = ALIGN(QSIM_CB_HDR + QSIM_ARG_SIZE * n, 8);
	slot = QSIM_CB_HDR;
	for (i = 0; i < a->nib; i++, slot += QSIM_ARG_SIZE) {
		memcpy(out + off, a->ib[i].data, a->ib[i].size);
		a->ib[i].off = off;
		qsim_put32(out, slot, off);
		qsim_put32(out, slot + 4, a->ib[i].size);
		off = ALIGN(off + a->ib[i].size, 8);
	}
	for (i = 0; i < a->nob; i++, slot += QSIM_ARG_SIZE) {
		memset(out + off, 0, a->ob[i].cap);
		a->ob[i].off = off;
		qsim_put32(out, slot, off);
		qsim_put32(out, slot + 4, a->ob[i].cap);
		off = ALIGN(off + a->ob[i].cap, 8);
	}
	cb->granted = 0;
	for (i = 0; i < a->nio; i++, slot += QSIM_ARG_SIZE) {
		if (a->io[i].obj) {
			qsim_obj_grant(a->io[i].obj);
			cb->granted |= BIT(i);
		}
		qsim_put32(out, slot, a->io[i].id);
	}

	/* Fault injection: corrupt the request the kernel is about to see. */
	call->cb_fault = false;
	call->cb_unparsable = false;
	if (qsim_faults_fire(call->core->faults,
			     QCOMTEE_SIM_FAULT_CB_BAD_COUNTS, NULL)) {
		counts |= 0x00010000;
		call->cb_fault = true;
		call->cb_unparsable = true;
	}
	bad_off = a->nib + a->nob > 0;
	if (bad_off &&
	    qsim_faults_fire(call->core->faults,
			     QCOMTEE_SIM_FAULT_CB_BAD_OFFSET, NULL)) {
		qsim_put32(out, QSIM_CB_HDR, end + 8);
		call->cb_fault = true;
		call->cb_unparsable = true;
	}
	if (qsim_faults_fire(call->core->faults, QCOMTEE_SIM_FAULT_CB_BAD_ID,
			     &arg)) {
		cxt = arg ? (u32)arg : 0xfffffff0;
		call->cb_fault = true;
	}

	qsim_put32(out, 0, 0);
	qsim_put32(out, 4, cxt);
	qsim_put32(out, 8, cb->op);
	qsim_put32(out, 12, counts);
	if (!call->cb_fault)
		qsim_host_racer_start(call, out, a);

	return QSIM_OK;
}

static void qsim_cb_revoke(struct qsim_cb *cb)
{
	unsigned int i;

	for (i = 0; i < cb->args.nio; i++)
		if (cb->granted & BIT(i))
			qsim_obj_revoke(cb->args.io[i].obj);
	cb->granted = 0;
}

/**
 * qsim_cb_read_answer() - read the kernel's answer to a callback request
 * @call: the call the CB_RSP resumes.
 *
 * Sets @call->cb->result and the OB sizes/data and OO ids of the callback.
 * A malformed answer (an OB that moved or grew, an OO naming a secure id
 * the kernel does not hold) turns into an error result; kernel ids the
 * kernel believed it handed over are then released again.
 *
 * Return: the callback's result.
 */
int qsim_cb_read_answer(struct qsim_call *call)
{
	struct qsim_cb *cb = call->cb;
	struct qsim_args *a = &cb->args;
	const u8 *out = call->out_va;
	unsigned int i, slot, oo_slot;
	int result, ret = QSIM_OK;
	u32 id, size;

	result = (s32)qsim_get32(out, 0);
	if (call->cb_fault) {
		/* The kernel could not have accepted a malformed request. */
		qsim_cb_revoke(cb);
		cb->result = result ? result : QSIM_INVALID;
		return cb->result;
	}
	if (result) {
		cb->result = result;
		return result;
	}

	oo_slot = QSIM_CB_HDR + QSIM_ARG_SIZE * (a->nib + a->nob + a->nio);
	for (i = 0, slot = oo_slot; i < a->noo; i++, slot += QSIM_ARG_SIZE) {
		struct qsim_oarg *oa = &a->oo[i];

		id = qsim_get32(out, slot);
		oa->id = id;
		if (id == QSIM_ID_NULL || id == QSIM_ID_PRIMORDIAL)
			continue;
		if (qsim_id_is_ns(id)) {
			if (qsim_ns_get(call->core, id)) {
				ret = QSIM_MEM;
				oa->id = QSIM_ID_NULL;
				continue;
			}
			oa->owned = true;
			continue;
		}
		oa->obj = qsim_obj_from_kernel(call->core, id);
		if (!oa->obj) {
			oa->id = QSIM_ID_NULL;
			ret = QSIM_BADOBJ;
		}
	}

	slot = QSIM_CB_HDR + QSIM_ARG_SIZE * a->nib;
	for (i = 0; i < a->nob && !ret; i++, slot += QSIM_ARG_SIZE) {
		if (qsim_get32(out, slot) != a->ob[i].off) {
			ret = QSIM_INVALID;
			break;
		}
		size = qsim_get32(out, slot + 4);
		if (size > a->ob[i].cap) {
			ret = QSIM_SIZE_OUT;
			break;
		}
		memcpy(a->ob[i].data, out + a->ob[i].off, size);
		a->ob[i].size = size;
	}

	if (ret) {
		for (i = 0; i < a->noo; i++)
			qsim_oarg_clear(call->core, &a->oo[i], true);
		for (i = 0; i < a->nob; i++)
			a->ob[i].size = 0;
	}
	cb->result = ret;

	return ret;
}
