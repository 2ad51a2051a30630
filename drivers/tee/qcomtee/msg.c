// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the QTEE wire format, both directions.
 *
 * Functions of a message buffer and an argument array only: they neither
 * look objects up nor touch the id table, so they can be tested and fuzzed
 * on their own. A direct invocation is written with
 * qcomtee_msg_prepare_invoke() and its results read with
 * qcomtee_msg_read_invoke_results(); a callback request is read with
 * qcomtee_msg_parse_callback() and answered in place with
 * qcomtee_msg_write_callback_results() and qcomtee_msg_set_callback_result().
 *
 * Arguments are kept in the caller's order; the wire groups them by class
 * (IB, OB, IO, OO) keeping their relative order, so walking the caller's
 * array once per class gives the wire order and lets outputs go back to
 * the caller's positions. Offsets and sizes QTEE writes are never trusted:
 * the kernel recomputes its own layout and only accepts shrinking sizes.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "qcomtee.h"

static const enum qcomtee_arg_type qcomtee_wire_order[] = {
	QCOMTEE_ARG_TYPE_IB, QCOMTEE_ARG_TYPE_OB,
	QCOMTEE_ARG_TYPE_IO, QCOMTEE_ARG_TYPE_OO,
};

/* Counts arguments per class; each class fits in a 4-bit count. */
static int qcomtee_args_count(struct qcomtee_arg *args, u32 *counts,
			      unsigned int *num)
{
	unsigned int n[QCOMTEE_ARG_TYPE_OO + 1] = { };
	unsigned int i;

	qcomtee_arg_for_each(i, args) {
		if (args[i].type > QCOMTEE_ARG_TYPE_OO)
			return -EINVAL;
		if (++n[args[i].type] > QCOMTEE_MSG_ARGS_PER_CLASS)
			return -EINVAL;
	}

	*counts = qcomtee_msg_counts(n[QCOMTEE_ARG_TYPE_IB],
				     n[QCOMTEE_ARG_TYPE_OB],
				     n[QCOMTEE_ARG_TYPE_IO],
				     n[QCOMTEE_ARG_TYPE_OO]);
	*num = i;
	return 0;
}

/* Offset of the first payload of a message with @hdr bytes of header. */
static size_t qcomtee_msg_payload_start(size_t hdr, unsigned int num_args)
{
	return QCOMTEE_MSG_ALIGN(hdr + num_args * sizeof(union qcomtee_msg_arg));
}

/* Counts a direct invocation's arguments; *@off: its first payload. */
static int qcomtee_invoke_layout(struct qcomtee_arg *args, u32 *counts,
				 unsigned int *num, size_t *off)
{
	int err;

	err = qcomtee_args_count(args, counts, num);
	if (err)
		return err;
	*off = qcomtee_msg_payload_start(sizeof(struct qcomtee_msg_object_invoke),
					 *num);
	return 0;
}

/**
 * qcomtee_msg_inbound_size() - Bytes a direct invocation needs
 * @args: the arguments, ended by QCOMTEE_ARG_TYPE_INV.
 * @size: the size of header, argument slots and payloads.
 *
 * Return: 0, or -EINVAL for more than 15 arguments of a class or payloads
 * beyond QCOMTEE_MSG_INBOUND_MAX.
 */
int qcomtee_msg_inbound_size(struct qcomtee_arg *args, size_t *size)
{
	unsigned int i, num;
	size_t off;
	u32 counts;
	int err;

	err = qcomtee_invoke_layout(args, &counts, &num, &off);
	if (err)
		return err;

	for (i = 0; i < num; i++) {
		if (args[i].type != QCOMTEE_ARG_TYPE_IB &&
		    args[i].type != QCOMTEE_ARG_TYPE_OB)
			continue;
		if (args[i].b.size > QCOMTEE_MSG_INBOUND_MAX)
			return -EINVAL;
		off = QCOMTEE_MSG_ALIGN(off + args[i].b.size);
		if (off > QCOMTEE_MSG_INBOUND_MAX)
			return -EINVAL;
	}

	*size = off;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_msg_inbound_size);

static int qcomtee_copy_in(void *dst, const struct qcomtee_arg *arg)
{
	if (arg->flags & QCOMTEE_ARG_FLAG_UADDR)
		return copy_from_user(dst, arg->b.uaddr, arg->b.size) ?
			-EFAULT : 0;

	memcpy(dst, arg->b.addr, arg->b.size);
	return 0;
}

static int qcomtee_copy_out(struct qcomtee_arg *arg, const void *src,
			    size_t size)
{
	if (arg->flags & QCOMTEE_ARG_FLAG_UADDR)
		return copy_to_user(arg->b.uaddr, src, size) ? -EFAULT : 0;

	memcpy(arg->b.addr, src, size);
	return 0;
}

/**
 * qcomtee_msg_prepare_invoke() - Write a direct invocation
 * @msg: the inbound buffer.
 * @size: its size; what qcomtee_msg_inbound_size() asks for fits.
 * @cxt: the QTEE object invoked.
 * @op: the operation.
 * @args: the arguments, ended by QCOMTEE_ARG_TYPE_INV.
 * @ids: the ids of the input objects, in their order in @args.
 *
 * Return: 0, -EINVAL if @args do not fit, -EFAULT if a user buffer cannot
 * be read.
 */
int qcomtee_msg_prepare_invoke(void *msg, size_t size, u32 cxt, u32 op,
			       struct qcomtee_arg *args, u32 *ids)
{
	struct qcomtee_msg_object_invoke *m = msg;
	unsigned int i, t, num, slot = 0, io = 0;
	size_t off;
	u32 counts;
	int err;

	/* One pass: every payload is checked against @size as it is laid out. */
	err = qcomtee_invoke_layout(args, &counts, &num, &off);
	if (err)
		return err;
	if (off > size)
		return -EINVAL;

	m->cxt = cxt;
	m->op = op;
	m->counts = counts;

	for (t = 0; t < ARRAY_SIZE(qcomtee_wire_order); t++) {
		qcomtee_arg_for_each_type(i, args, qcomtee_wire_order[t]) {
			union qcomtee_msg_arg *slot_arg = &m->args[slot++];

			if ((args[i].type == QCOMTEE_ARG_TYPE_IB ||
			     args[i].type == QCOMTEE_ARG_TYPE_OB) &&
			    (off > size || args[i].b.size > size - off))
				return -EINVAL;

			switch (args[i].type) {
			case QCOMTEE_ARG_TYPE_IB:
				err = qcomtee_copy_in(msg + off, &args[i]);
				if (err)
					return err;
				fallthrough;
			case QCOMTEE_ARG_TYPE_OB:
				slot_arg->b.offset = off;
				slot_arg->b.size = args[i].b.size;
				off = QCOMTEE_MSG_ALIGN(off + args[i].b.size);
				break;
			case QCOMTEE_ARG_TYPE_IO:
				slot_arg->o = ids[io++];
				break;
			default:
				slot_arg->o = QCOMTEE_MSG_OBJECT_NULL;
				break;
			}
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_msg_prepare_invoke);

/**
 * qcomtee_msg_read_invoke_results() - Read the results of an invocation
 * @msg: the inbound buffer QTEE answered in.
 * @size: its size.
 * @args: the arguments the message was prepared from; output buffer sizes
 *	are updated and their data copied to the caller.
 * @ids: receives the ids of the output objects, in their order in @args.
 *
 * Output object ids are read first so that the caller can account for
 * every reference QTEE returned even if copying a buffer fails.
 *
 * Return: 0, -EINVAL if QTEE reported an output larger than offered,
 * -EFAULT if a user buffer cannot be written.
 */
int qcomtee_msg_read_invoke_results(const void *msg, size_t size,
				    struct qcomtee_arg *args, u32 *ids)
{
	const struct qcomtee_msg_object_invoke *m = msg;
	unsigned int i, num, slot = 0, oo = 0;
	unsigned int n_ib, n_ob, n_io;
	size_t off;
	u32 counts;
	int err = 0;

	/* @args were prepared into @msg: their layout is known to be valid. */
	qcomtee_invoke_layout(args, &counts, &num, &off);
	n_ib = QCOMTEE_MSG_NUM_IB(counts);
	n_ob = QCOMTEE_MSG_NUM_OB(counts);
	n_io = QCOMTEE_MSG_NUM_IO(counts);

	slot = n_ib + n_ob + n_io;
	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_OO)
		ids[oo++] = READ_ONCE(m->args[slot++].o);

	/* Our own layout, not QTEE's offsets, locates the payloads. */
	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_IB)
		off = QCOMTEE_MSG_ALIGN(off + args[i].b.size);

	slot = n_ib;
	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_OB) {
		size_t capacity = args[i].b.size;
		u32 written;

		written = READ_ONCE(m->args[slot++].b.size);

		if (written > capacity || off + written > size) {
			err = -EINVAL;
		} else if (!err) {
			err = qcomtee_copy_out(&args[i], msg + off, written);
			args[i].b.size = written;
		}
		off = QCOMTEE_MSG_ALIGN(off + capacity);
	}
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_msg_read_invoke_results);

/*
 * Reads a buffer slot of a callback request once: the buffer must lie
 * between @start (the end of the slots) and @size. *@last grows to its
 * aligned end.
 */
static int qcomtee_msg_parse_buffer(void *msg, size_t size, size_t start,
				    const union qcomtee_msg_arg *slot,
				    struct qcomtee_arg *arg, size_t *last)
{
	u64 off = READ_ONCE(slot->b.offset);
	u64 len = READ_ONCE(slot->b.size);

	if (off < start || off + len > size)
		return -EINVAL;
	arg->b.addr = msg + off;
	arg->b.size = len;
	*last = max_t(size_t, *last, QCOMTEE_MSG_ALIGN(off + len));
	return 0;
}

/**
 * qcomtee_msg_parse_callback() - Read and validate a callback request
 * @msg: the outbound buffer.
 * @size: its size.
 * @cxt: the object QTEE invokes.
 * @op: the operation.
 * @args: receives the request's arguments in wire order, ended by
 *	QCOMTEE_ARG_TYPE_INV (room for QCOMTEE_MSG_ARGS_MAX + 1): buffers
 *	point into @msg, output objects are NULL.
 * @ids: receives the ids of the input objects, in their order in @args.
 * @end: where the request and its payloads end: the async area starts
 *	there.
 *
 * Every value is read from @msg exactly once, into kernel memory, and only
 * those copies are checked and used: QTEE rewriting the request while the
 * kernel serves it cannot move a buffer the kernel already checked. Every
 * buffer argument must lie after the argument slots and inside @msg.
 *
 * Return: 0, or -EINVAL for a malformed request (@args is then empty).
 */
int qcomtee_msg_parse_callback(void *msg, size_t size, u32 *cxt, u32 *op,
			       struct qcomtee_arg *args, u32 *ids, size_t *end)
{
	struct qcomtee_msg_callback *m = msg;
	unsigned int t, i, n = 0, io = 0;
	size_t start, last;
	u32 counts;

	args[0].type = QCOMTEE_ARG_TYPE_INV;
	if (size < sizeof(*m))
		return -EINVAL;

	counts = READ_ONCE(m->counts);
	if (counts & QCOMTEE_MSG_COUNTS_RESERVED)
		return -EINVAL;

	start = sizeof(*m) + qcomtee_msg_num_args(counts) *
		sizeof(union qcomtee_msg_arg);
	if (start > size)
		return -EINVAL;

	last = QCOMTEE_MSG_ALIGN(start);
	for (t = 0; t < ARRAY_SIZE(qcomtee_wire_order); t++) {
		unsigned int num = (counts >> (4 * t)) & 0xf;

		for (i = 0; i < num; i++, n++) {
			struct qcomtee_arg *arg = &args[n];

			arg->type = qcomtee_wire_order[t];
			arg->flags = 0;
			switch (arg->type) {
			case QCOMTEE_ARG_TYPE_IB:
			case QCOMTEE_ARG_TYPE_OB:
				if (qcomtee_msg_parse_buffer(msg, size, start,
							     &m->args[n], arg,
							     &last)) {
					args[0].type = QCOMTEE_ARG_TYPE_INV;
					return -EINVAL;
				}
				break;
			case QCOMTEE_ARG_TYPE_IO:
				ids[io++] = READ_ONCE(m->args[n].o);
				arg->o = NULL;
				break;
			default:
				arg->o = NULL;
				break;
			}
		}
	}
	args[n].type = QCOMTEE_ARG_TYPE_INV;

	*cxt = READ_ONCE(m->cxt);
	*op = READ_ONCE(m->op);
	*end = min(last, size);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_msg_parse_callback);

/**
 * qcomtee_msg_write_callback_results() - Answer a callback request in place
 * @msg: the outbound buffer holding the request.
 * @args: the request's arguments as qcomtee_msg_parse_callback() returned
 *	them (wire order), with the callee's outputs.
 * @capacity: the output buffer sizes QTEE offered, by position in @args.
 * @ids: the ids of the output objects, in their order in @args.
 *
 * The callee may shrink an output buffer, never grow it; the data is
 * already in place (the buffers point into @msg).
 *
 * Return: 0, or -EINVAL if an output buffer grew; nothing is written then.
 */
int qcomtee_msg_write_callback_results(void *msg,
				       const struct qcomtee_arg *args,
				       const size_t *capacity, const u32 *ids)
{
	struct qcomtee_msg_callback *m = msg;
	unsigned int i, oo = 0;

	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_OB)
		if (args[i].b.size > capacity[i])
			return -EINVAL;

	qcomtee_arg_for_each(i, args) {
		if (args[i].type == QCOMTEE_ARG_TYPE_OB)
			m->args[i].b.size = args[i].b.size;
		else if (args[i].type == QCOMTEE_ARG_TYPE_OO)
			m->args[i].o = ids[oo++];
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_msg_write_callback_results);

/**
 * qcomtee_msg_set_callback_result() - Set the result of a callback request
 * @msg: the outbound buffer holding the request.
 * @result: the QTEE result code.
 */
void qcomtee_msg_set_callback_result(void *msg, int result)
{
	struct qcomtee_msg_callback *m = msg;

	m->result = result;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_msg_set_callback_result);
