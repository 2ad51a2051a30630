// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: building callback requests (a model file: host.h).
 *
 * A service that needs something of the kernel (credentials, a memory
 * mapping, a listener) builds a request here and issues it with the
 * host's qsim_callback(); what the request holds is charged to the secure
 * heap and freed with it.
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
