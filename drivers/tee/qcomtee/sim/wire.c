// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the QTEE side of the transport message (a model file:
 * host.h).
 *
 * A direct invocation is read from the inbound buffer, its results are
 * written back in place, and pending releases go into the async area of
 * the outbound buffer. Both buffers are the normal world's: every field is
 * read once, every offset and size is bounded by the buffer, and input
 * payloads are copied into the secure heap before any object sees them.
 * The host has checked that the buffers are memory it may touch.
 */

#include "model.h"

/* A payload region: 8-byte aligned, after the arg array, inside the buffer. */
static int qsim_check_region(u32 off, u32 size, size_t start, size_t end,
			     int err)
{
	if (!size)
		return QSIM_OK;
	if (off & 7 || off < start)
		return QSIM_INVALID;
	if ((u64)off + size > end)
		return err;

	return QSIM_OK;
}

static int qsim_resolve_io(struct qsim_core *core, u32 id,
			   struct qsim_oarg *oa)
{
	oa->id = id;
	oa->obj = NULL;
	oa->owned = false;
	if (id == QSIM_ID_NULL || id == QSIM_ID_PRIMORDIAL)
		return QSIM_OK;
	if (qsim_id_is_ns(id)) {
		if (qsim_ns_get(core, id))
			return QSIM_MEM;
		oa->owned = true;
		return QSIM_OK;
	}
	oa->obj = qsim_obj_from_kernel(core, id);

	return oa->obj ? QSIM_OK : QSIM_BADOBJ;
}

/*
 * One buffer argument at @slot: its region checked, its room taken from
 * the secure heap and, for an input buffer, its payload copied there.
 */
static int qsim_parse_buf(struct qsim_core *core, const u8 *in,
			  size_t in_size, unsigned int slot, size_t start,
			  bool input, struct qsim_buf *b)
{
	u32 off = qsim_get32(in, slot), size = qsim_get32(in, slot + 4);
	int ret;

	ret = qsim_check_region(off, size, start, in_size,
				input ? QSIM_SIZE_IN : QSIM_SIZE_OUT);
	if (ret)
		return ret;
	b->off = off;
	b->cap = size;
	b->size = input ? size : 0;
	if (!size)
		return QSIM_OK;
	b->data = qsim_heap_alloc(core->heap, size);
	if (!b->data)
		return QSIM_MEM;
	if (input)
		memcpy(b->data, in + off, size);

	return QSIM_OK;
}

/**
 * qsim_wire_parse_invoke() - read a direct invocation from the inbound
 *	buffer
 * @core: the object table.
 * @in: the inbound buffer (the normal world's: read each field once).
 * @in_size: its size.
 * @op: receives the full 32-bit op.
 * @obj: receives the invoked object (one reference), or NULL when the
 *	request was a RELEASE or RETAIN, done here.
 * @a: receives the arguments: IB payloads copied to the secure heap, OB
 *	room allocated there, IO resolved (references taken).
 *
 * Return: QSIM_OK, or the QTEE error to answer; on error nothing is left
 * allocated, but the kernel ids of the IO arguments are the secure side's
 * (released by async message).
 */
int qsim_wire_parse_invoke(struct qsim_core *core, const u8 *in,
			   size_t in_size, u32 *op, struct qsim_obj **obj,
			   struct qsim_args *a)
{
	u32 cxt, counts;
	unsigned int i, n, slot;
	size_t start;
	int ret;

	*obj = NULL;
	if (in_size < QSIM_IN_HDR)
		return QSIM_INVALID;
	cxt = qsim_get32(in, 0);
	*op = qsim_get32(in, 4);
	counts = qsim_get32(in, 8);
	if (counts >> 16)
		return QSIM_INVALID;
	n = (counts & 0xf) + ((counts >> 4) & 0xf) + ((counts >> 8) & 0xf) +
	    ((counts >> 12) & 0xf);
	if (QSIM_IN_HDR + QSIM_ARG_SIZE * n > in_size)
		return QSIM_MAXARGS;
	start = ALIGN(QSIM_IN_HDR + QSIM_ARG_SIZE * n, 8);

	/*
	 * The input objects first: from here on the request is serviced and
	 * QTEE owns every kernel id it names, whatever the result; they are
	 * released again by async message (qsim_args_free()).
	 */
	ret = QSIM_OK;
	slot = QSIM_IN_HDR + QSIM_ARG_SIZE * ((counts & 0xf) +
					      ((counts >> 4) & 0xf));
	for (i = 0; i < ((counts >> 8) & 0xf); i++, slot += QSIM_ARG_SIZE) {
		int err = qsim_resolve_io(core, qsim_get32(in, slot),
					  &a->io[i]);

		a->nio++;
		if (err && !ret)
			ret = err;
	}
	if (ret)
		goto err;

	if ((*op & QSIM_OP_MASK) == QSIM_OP_RELEASE ||
	    (*op & QSIM_OP_MASK) == QSIM_OP_RETAIN) {
		if (counts) {
			ret = QSIM_INVALID;
			goto err;
		}
		if ((*op & QSIM_OP_MASK) == QSIM_OP_RELEASE)
			return qsim_obj_kernel_release(core, cxt);
		return qsim_obj_kernel_retain(core, cxt);
	}

	*obj = qsim_obj_from_kernel(core, cxt);
	if (!*obj) {
		ret = QSIM_BADOBJ;
		goto err;
	}
	if (READ_ONCE((*obj)->defunct)) {
		ret = QSIM_DEFUNCT;
		goto err;
	}

	slot = QSIM_IN_HDR;
	for (i = 0; i < (counts & 0xf); i++, slot += QSIM_ARG_SIZE) {
		ret = qsim_parse_buf(core, in, in_size, slot, start, true,
				     &a->ib[i]);
		if (ret)
			goto err;
		a->nib++;
	}
	for (i = 0; i < ((counts >> 4) & 0xf); i++, slot += QSIM_ARG_SIZE) {
		ret = qsim_parse_buf(core, in, in_size, slot, start, false,
				     &a->ob[i]);
		if (ret)
			goto err;
		a->nob++;
	}
	a->noo = (counts >> 12) & 0xf;

	return QSIM_OK;

err:
	qsim_args_free(core, a);
	qsim_obj_put(*obj);
	*obj = NULL;
	return ret;
}

/**
 * qsim_wire_write_results() - write a successful invocation's outputs back
 *	into the inbound buffer
 * @core: the object table.
 * @in: the inbound buffer the invocation came in.
 * @a: its arguments, as the invoked object left them.
 *
 * OB data goes to the reserved regions and the arg sizes are updated; OO
 * slots get the object ids. Secure objects returned give the kernel one
 * reference each.
 */
void qsim_wire_write_results(struct qsim_core *core, u8 *in,
			     struct qsim_args *a)
{
	unsigned int i, slot;
	int arg;

	slot = QSIM_IN_HDR + QSIM_ARG_SIZE * a->nib;
	for (i = 0; i < a->nob; i++, slot += QSIM_ARG_SIZE) {
		size_t size = min(a->ob[i].size, a->ob[i].cap);
		u32 wire = size;

		if (size)
			memcpy(in + a->ob[i].off, a->ob[i].data, size);
		if (i == 0 &&
		    qsim_faults_fire(core->faults, QCOMTEE_SIM_FAULT_OB_SIZE,
				     &arg))
			wire = a->ob[i].cap +
			       (arg > 0 ? (u32)arg : QSIM_PAGE_SIZE);
		qsim_put32(in, slot + 4, wire);
	}
	slot += QSIM_ARG_SIZE * a->nio;
	for (i = 0; i < a->noo; i++, slot += QSIM_ARG_SIZE) {
		struct qsim_oarg *oa = &a->oo[i];

		if (oa->obj)
			qsim_obj_grant(oa->obj);
		qsim_put32(in, slot, oa->id);
		qsim_put32(in, slot + 4, 0);
	}
}

/**
 * qsim_wire_write_async() - fill an async area with pending releases
 * @core: the object table.
 * @area: start of the area (8-byte aligned in the outbound buffer).
 * @len: bytes up to the end of the outbound buffer.
 *
 * RELEASE messages of at most QSIM_ASYNC_MAX_IDS ids each are packed at
 * 8-byte aligned offsets for as many pending releases as fit; the rest
 * waits for the next return. As real QTEE does, no end marker is written:
 * the rest of the area must be zero, which is the kernel's job (it zeroes
 * the messages it read). An area the kernel left dirty is counted in
 * @core->async_dirty, then cleared so that this answer still parses.
 */
void qsim_wire_write_async(struct qsim_core *core, void *area, size_t len)
{
	u32 ids[QSIM_ASYNC_MAX_IDS];
	size_t pos = 0, room;
	unsigned int i, n;
	u8 *p = area;

	len &= ~(size_t)7;
	for (i = 0; i < len; i += 8) {
		if (get_unaligned_le64(p + i)) {
			qsim_atomic64_add(1, &core->async_dirty);
			memset(p, 0, len);
			break;
		}
	}
	while (len - pos >= QSIM_ASYNC_HDR + 8) {
		room = (len - pos - QSIM_ASYNC_HDR - 4) / 4;
		n = qsim_take_pending(core, ids,
				      min_t(size_t, room, QSIM_ASYNC_MAX_IDS));
		if (!n)
			break;
		qsim_put32(p, pos, QSIM_ASYNC_VERSION);
		qsim_put32(p, pos + 4, QSIM_OP_RELEASE);
		qsim_put32(p, pos + 8, n);
		for (i = 0; i < n; i++)
			qsim_put32(p, pos + 12 + 4 * i, ids[i]);
		pos = ALIGN(pos + 12 + 4 * n, 8);
		qsim_atomic64_add(n, &core->async_releases);
	}

	if (!qsim_atomic_read(&core->faults->any) || len - pos < 16)
		return;
	if (qsim_faults_fire(core->faults, QCOMTEE_SIM_FAULT_ASYNC_BAD_VERSION, NULL)) {
		qsim_put32(p, pos, 0x00020002);
		qsim_put32(p, pos + 4, QSIM_OP_RELEASE);
		qsim_put32(p, pos + 8, 1);
		qsim_put32(p, pos + 12, 0x8ffffff0);
	} else if (qsim_faults_fire(core->faults, QCOMTEE_SIM_FAULT_ASYNC_HUGE_COUNT, NULL)) {
		qsim_put32(p, pos, QSIM_ASYNC_VERSION);
		qsim_put32(p, pos + 4, QSIM_OP_RELEASE);
		qsim_put32(p, pos + 8, 0xffffffff);
		qsim_put32(p, pos + 12, 0x8ffffff1);
	} else if (qsim_faults_fire(core->faults, QCOMTEE_SIM_FAULT_ASYNC_TRUNCATED, NULL)) {
		n = (len - pos - 12) / 4;
		qsim_put32(p, pos, QSIM_ASYNC_VERSION);
		qsim_put32(p, pos + 4, QSIM_OP_RELEASE);
		qsim_put32(p, pos + 8, n + 4);
		for (i = 0; i < n; i++)
			qsim_put32(p, pos + 12 + 4 * i, 0x8ffffff2);
	}
}

/**
 * qsim_wire_dispatch() - run a parsed invocation on its object
 * @obj: the invoked object.
 * @call: the host's call, for the callbacks the object may issue.
 * @op: the full op (the object sees its low 16 bits).
 * @a: the arguments.
 *
 * Return: the object's result; on failure nothing is returned (the OO
 * arguments are dropped).
 */
int qsim_wire_dispatch(struct qsim_obj *obj, struct qsim_call *call, u32 op,
		       struct qsim_args *a)
{
	unsigned int i;
	int ret;

	ret = obj->cls->invoke(obj, call, op & QSIM_OP_MASK, a);
	if (ret)
		for (i = 0; i < a->noo; i++)
			qsim_oarg_clear(obj->core, &a->oo[i], true);

	return ret;
}

/**
 * qsim_wire_complete() - answer a finished invocation
 * @core: the object table.
 * @in: its inbound buffer: the results are written there on success.
 * @out: its outbound buffer: the async area, all of it.
 * @out_size: its size.
 * @obj: the invoked object; its reference is dropped.
 * @a: the arguments; freed (and IO kernel ids released) here.
 * @result: the invocation's result.
 *
 * The releases the invocation itself queued (its IO kernel ids) go out
 * with this very answer.
 */
void qsim_wire_complete(struct qsim_core *core, u8 *in, void *out,
			size_t out_size, struct qsim_obj *obj,
			struct qsim_args *a, int result)
{
	if (!result)
		qsim_wire_write_results(core, in, a);
	qsim_args_free(core, a);
	qsim_obj_put(obj);
	qsim_wire_write_async(core, out, out_size);
}
