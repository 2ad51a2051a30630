// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the invoke loop.
 *
 * A direct invocation is one INVOKE call followed by any number of callback
 * requests, each served in the caller's thread and answered with CB_RSP,
 * until QTEE reports a final result. Async messages are processed on every
 * return from QTEE.
 *
 * References: input objects are lent to the call; the references QTEE
 * gains (kernel objects it has not seen before) are taken by the id table.
 * Output objects are new references for the caller. Once QTEE has seen the
 * request (INVOKE was serviced), it owns the references to kernel-hosted
 * input objects whatever the result, and releases them itself; only a
 * request QTEE never saw (an SCM-level error) withdraws them.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/delay.h>
#include <linux/sched/signal.h>

#include "qcomtee.h"

/* An SCM call that was not serviced because QTEE was busy is retried. */
#define QCOMTEE_SCM_RETRIES	20

/**
 * qcomtee_oic_init() - Prepare an invocation context
 * @oic: the context.
 * @qcomtee: the QTEE instance to invoke.
 * @ctx: the caller's TEE context, or NULL.
 */
void qcomtee_oic_init(struct qcomtee_object_invoke_ctx *oic,
		      struct qcomtee *qcomtee, struct tee_context *ctx)
{
	oic->qcomtee = qcomtee;
	oic->ctx = ctx;
	oic->bufs = NULL;
	oic->cb = NULL;
	oic->data = NULL;
	oic->inputs_sent = false;
	oic->inbound_size = 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_oic_init);

/**
 * qcomtee_errno_to_result() - The QTEE result for a callback's outcome
 * @err: 0, a negative errno, or a positive interface code.
 *
 * Return: the QTEE result code.
 */
int qcomtee_errno_to_result(int err)
{
	switch (err) {
	case 0:
		return QCOMTEE_MSG_OK;
	case -ENOMEM:
		return QCOMTEE_MSG_ERROR_KMEM;
	case -ENODEV:
		return QCOMTEE_MSG_ERROR_DEFUNCT;
	case -ENOSPC:
	case -EBUSY:
		return QCOMTEE_MSG_ERROR_BUSY;
	case -EINVAL:
	case -EBADF:
		return QCOMTEE_MSG_ERROR_UNAVAIL;
	default:
		return err < 0 ? QCOMTEE_MSG_ERROR : err;
	}
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_errno_to_result);

/*
 * The count is per CPU: an invocation touches only its CPU's counter, and
 * only qcomtee_remove() adds them up. An invocation may end on another CPU
 * than it started on; the sum is still right.
 */
static void qcomtee_exit(struct qcomtee *qcomtee)
{
	percpu_counter_add_local(&qcomtee->inflight, -1);
	/* Pairs with the barrier in qcomtee_remove() after setting dead. */
	smp_mb();
	if (READ_ONCE(qcomtee->dead))
		wake_up(&qcomtee->inflight_wq);
}

static bool qcomtee_enter(struct qcomtee *qcomtee)
{
	percpu_counter_add_local(&qcomtee->inflight, 1);
	/* Either qcomtee_remove() sees this call or this call sees dead. */
	smp_mb();
	if (!READ_ONCE(qcomtee->dead))
		return true;

	qcomtee_exit(qcomtee);
	return false;
}

/* One SCM call; retried while QTEE reports it could not take it. */
static int qcomtee_scm_call(struct qcomtee *qcomtee,
			    struct qcomtee_msgbuf_pair *bufs, bool cb_rsp,
			    u64 *type, u64 *res)
{
	const struct qcomtee_transport_ops *ops = qcomtee->transport.ops;
	void *priv = qcomtee->transport.priv;
	int tries, err;

	for (tries = 0; ; tries++) {
		if (cb_rsp)
			err = ops->callback_response(priv, bufs->outbound.paddr,
						     bufs->outbound.size,
						     res, type);
		else
			err = ops->invoke(priv, bufs->inbound.paddr,
					  bufs->inbound.size,
					  bufs->outbound.paddr,
					  bufs->outbound.size, res, type);
		if ((err != -EBUSY && err != -EAGAIN && err != -EINTR) ||
		    tries == QCOMTEE_SCM_RETRIES)
			return err;
		usleep_range(50 << min(tries, 8), 100 << min(tries, 8));
	}
}

/*
 * The id that stands for @o on the wire. Naming a kernel-hosted object
 * exports it: QTEE gains one reference (qcomtee_object_ns_export()). QTEE
 * objects and ROOT are named by their ids.
 */
static int qcomtee_object_to_wire(struct qcomtee *qcomtee,
				  struct qcomtee_object *o, u32 *id)
{
	if (!o) {
		*id = QCOMTEE_MSG_OBJECT_NULL;
		return 0;
	}
	if (o->qcomtee != qcomtee)
		return -EINVAL;

	switch (o->type) {
	case QCOMTEE_OBJECT_TYPE_CB:
		return qcomtee_object_ns_export(o, id);
	case QCOMTEE_OBJECT_TYPE_ROOT:
		*id = QCOMTEE_MSG_OBJECT_ROOT;
		return 0;
	default:
		*id = o->qtee_id;
		return 0;
	}
}

/* Withdraws the exports of the @type objects among args[0..@end). */
static void qcomtee_unexport_objects(struct qcomtee_arg *args,
				     enum qcomtee_arg_type type,
				     unsigned int end)
{
	unsigned int i;

	qcomtee_arg_for_each_type(i, args, type) {
		if (i >= end)
			break;
		if (args[i].o && args[i].o->type == QCOMTEE_OBJECT_TYPE_CB)
			qcomtee_object_ns_unexport(args[i].o);
	}
}

/* The wire ids of the @type objects, in their order; all or nothing. */
static int qcomtee_export_objects(struct qcomtee *qcomtee,
				  struct qcomtee_arg *args,
				  enum qcomtee_arg_type type, u32 *ids)
{
	unsigned int i, n = 0;
	int err;

	qcomtee_arg_for_each_type(i, args, type) {
		err = qcomtee_object_to_wire(qcomtee, args[i].o, &ids[n++]);
		if (err) {
			qcomtee_unexport_objects(args, type, i);
			return err;
		}
	}
	return 0;
}

/*
 * Turns an object id QTEE sent into an object: a new reference for QTEE's
 * own objects, a local reference for kernel objects QTEE holds.
 */
static int qcomtee_object_from_id(struct qcomtee *qcomtee, u32 id,
				  struct qcomtee_object **object)
{
	*object = NULL;
	if (id == QCOMTEE_MSG_OBJECT_NULL)
		return 0;

	if (id & QCOMTEE_MSG_OBJECT_NS_BIT) {
		*object = qcomtee_object_ns_lookup(qcomtee, id);
		return *object ? 0 : -EINVAL;
	}

	/* QTEE may not hand out its ROOT object; it is not a reference. */
	if (id == QCOMTEE_MSG_OBJECT_ROOT)
		return -EINVAL;

	*object = qcomtee_object_tee_new(qcomtee, id);
	if (!*object) {
		/* QTEE gave a reference all the same: give it back. */
		qcomtee_release_orphan(qcomtee, id);
		return -ENOMEM;
	}
	return 0;
}

/**
 * qcomtee_put_objects() - Drop the objects of one argument class
 * @args: the arguments, ended by QCOMTEE_ARG_TYPE_INV.
 * @type: QCOMTEE_ARG_TYPE_IO or QCOMTEE_ARG_TYPE_OO; those become NULL.
 */
void qcomtee_put_objects(struct qcomtee_arg *args, enum qcomtee_arg_type type)
{
	unsigned int i;

	qcomtee_arg_for_each_type(i, args, type) {
		qcomtee_object_put(args[i].o);
		args[i].o = NULL;
	}
}

/* Turns the ids of the @type objects into objects; all or nothing. */
static int qcomtee_import_objects(struct qcomtee *qcomtee,
				  struct qcomtee_arg *args,
				  enum qcomtee_arg_type type, const u32 *ids)
{
	unsigned int i, n = 0;
	int err = 0;

	/* Keep going after an error: every reference is accounted. */
	qcomtee_arg_for_each_type(i, args, type)
		if (qcomtee_object_from_id(qcomtee, ids[n++], &args[i].o))
			err = -EINVAL;
	if (err)
		qcomtee_put_objects(args, type);
	return err;
}

/*
 * Answers with the callee's outputs: buffer sizes (which may only shrink)
 * and ids for the output objects (exported now). On failure nothing stays
 * exported.
 */
static int qcomtee_cb_write_outputs(struct qcomtee *qcomtee, void *msg,
				    struct qcomtee_arg *args,
				    const size_t *capacity)
{
	u32 ids[QCOMTEE_MSG_ARGS_PER_CLASS];
	int err;

	err = qcomtee_export_objects(qcomtee, args, QCOMTEE_ARG_TYPE_OO, ids);
	if (err)
		return err;

	err = qcomtee_msg_write_callback_results(msg, args, capacity, ids);
	if (err)
		qcomtee_unexport_objects(args, QCOMTEE_ARG_TYPE_OO, UINT_MAX);
	return err;
}

/* Handles QTEE releasing or retaining one of the kernel's objects. */
static int qcomtee_cb_reserved_op(struct qcomtee *qcomtee, u32 cxt, u32 op)
{
	int err;

	if (op == QCOMTEE_MSG_OBJECT_OP_RELEASE)
		err = qcomtee_object_ns_release(qcomtee, cxt);
	else
		err = qcomtee_object_ns_retain(qcomtee, cxt);
	return err ? QCOMTEE_MSG_ERROR_BADOBJ : QCOMTEE_MSG_OK;
}

/**
 * struct qcomtee_cb_state - a callback request being answered
 * @object: the kernel object invoked, NULL if none was dispatched.
 * @err: the dispatch outcome.
 * @exported: output objects were exported for QTEE.
 */
struct qcomtee_cb_state {
	struct qcomtee_object *object;
	int err;
	bool exported;
};

/*
 * Calls @object with the parsed request and writes its outputs; returns
 * the QTEE result. The references to the callee's objects stay in @args
 * until qcomtee_cb_done().
 */
static int qcomtee_cb_dispatch(struct qcomtee_object_invoke_ctx *oic,
			       struct qcomtee_cb_state *st,
			       struct qcomtee_object *object, u32 op,
			       const u32 *ids, void *msg)
{
	struct qcomtee_arg *args = oic->cb->args;
	size_t *capacity = oic->cb->capacity;
	struct qcomtee *qcomtee = oic->qcomtee;
	unsigned int i;
	int err;

	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_OB)
		capacity[i] = args[i].b.size;
	err = qcomtee_import_objects(qcomtee, args, QCOMTEE_ARG_TYPE_IO, ids);
	if (err) {
		atomic_inc(&qcomtee->stats.bad_callbacks);
		st->err = err;
		qcomtee_object_put(object);
		return QCOMTEE_MSG_ERROR_INVALID;
	}

	st->object = object;
	err = object->ops->dispatch(oic, object, op, args);
	if (!err)
		err = qcomtee_cb_write_outputs(qcomtee, msg, args, capacity);
	/* A failed dispatch or answer returns no objects. */
	if (err)
		qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_OO);
	else
		st->exported = true;
	st->err = err;
	return qcomtee_errno_to_result(err);
}

/*
 * Serves the callback request in the outbound buffer and writes the
 * answer in place; async messages after the request are processed too.
 */
static void qcomtee_cb_serve(struct qcomtee_object_invoke_ctx *oic,
			     struct qcomtee_cb_state *st)
{
	struct qcomtee_msgbuf *out = &oic->bufs->outbound;
	struct qcomtee_arg *args = oic->cb->args;
	struct qcomtee *qcomtee = oic->qcomtee;
	u32 ids[QCOMTEE_MSG_ARGS_PER_CLASS];
	struct qcomtee_object *object;
	void *msg = out->addr;
	u32 cxt, op;
	size_t end;
	int result;

	st->object = NULL;
	st->exported = false;
	oic->bufs->cb_served = true;
	atomic_inc(&qcomtee->stats.callbacks);

	/* From here on only the kernel's copy of the request is used. */
	st->err = qcomtee_msg_parse_callback(msg, out->size, &cxt, &op, args,
					     ids, &end);
	if (st->err) {
		atomic_inc(&qcomtee->stats.bad_callbacks);
		/* The async area cannot be located: leave it alone. */
		qcomtee_msg_set_callback_result(msg, QCOMTEE_MSG_ERROR_INVALID);
		return;
	}

	/* Look the target up before async releases may drop it. */
	object = (cxt & QCOMTEE_MSG_OBJECT_NS_BIT) ?
		qcomtee_object_ns_lookup(qcomtee, cxt) : NULL;
	qcomtee_async_process(qcomtee, msg + end, out->size - end);

	op &= QCOMTEE_MSG_OBJECT_OP_MASK;
	if (!object) {
		atomic_inc(&qcomtee->stats.bad_callbacks);
		st->err = -EINVAL;
		result = QCOMTEE_MSG_ERROR_BADOBJ;
	} else if (op == QCOMTEE_MSG_OBJECT_OP_RELEASE ||
		   op == QCOMTEE_MSG_OBJECT_OP_RETAIN) {
		result = qcomtee_cb_reserved_op(qcomtee, cxt, op);
		st->err = result ? -EINVAL : 0;
		args[0].type = QCOMTEE_ARG_TYPE_INV;
		qcomtee_object_put(object);
	} else {
		result = qcomtee_cb_dispatch(oic, st, object, op, ids, msg);
	}
	qcomtee_msg_set_callback_result(msg, result);
}

/* After the answer went to QTEE (@delivered) or could not (!@delivered). */
static void qcomtee_cb_done(struct qcomtee_object_invoke_ctx *oic,
			    struct qcomtee_cb_state *st, bool delivered)
{
	struct qcomtee_arg *args = oic->cb->args;
	struct qcomtee_object *object = st->object;

	if (!object)
		return;

	if (st->exported && !delivered)
		qcomtee_unexport_objects(args, QCOMTEE_ARG_TYPE_OO, UINT_MAX);

	if (object->ops->notify)
		object->ops->notify(oic, object, args,
				    delivered ? st->err : -ENODEV);

	/* QTEE has its ids (or never will): drop the callee's references. */
	qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_OO);
	qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_IO);
	qcomtee_object_put(object);
}

/*
 * Runs INVOKE and serves callback requests until QTEE is done. @serviced
 * tells whether QTEE took the request at all.
 */
static int qcomtee_invoke_loop(struct qcomtee_object_invoke_ctx *oic,
			       int *result, bool *serviced)
{
	struct qcomtee *qcomtee = oic->qcomtee;
	struct qcomtee_cb_state st;
	u64 type, res;
	int err;

	*serviced = false;
	err = qcomtee_scm_call(qcomtee, oic->bufs, false, &type, &res);
	if (err)
		return err;
	*serviced = true;

	while (type == QCOMTEE_RESPONSE_INBOUND_REQ_NEEDED) {
		qcomtee_cb_serve(oic, &st);
		err = qcomtee_scm_call(qcomtee, oic->bufs, true, &type, &res);
		qcomtee_cb_done(oic, &st, !err);
		if (err) {
			/*
			 * QTEE's thread may still be parked on these buffers:
			 * they must not serve another invocation.
			 */
			oic->bufs->retire = true;
			return err;
		}
		cond_resched();
	}

	/*
	 * The async messages of the final return are processed by the
	 * caller once it took the output objects: QTEE may release its
	 * references to kernel objects it just returned.
	 */
	*result = (s32)res;
	return 0;
}

/* Writes the request into @bufs; on failure nothing stays exported. */
static int qcomtee_invoke_prepare(struct qcomtee *qcomtee,
				  struct qcomtee_msgbuf_pair *bufs, u32 cxt,
				  u32 op, struct qcomtee_arg *args)
{
	u32 ids[QCOMTEE_MSG_ARGS_PER_CLASS];
	int err;

	err = qcomtee_export_objects(qcomtee, args, QCOMTEE_ARG_TYPE_IO, ids);
	if (err)
		return err;

	err = qcomtee_msg_prepare_invoke(bufs->inbound.addr, bufs->inbound.size,
					 cxt, op, args, ids);
	if (err)
		qcomtee_unexport_objects(args, QCOMTEE_ARG_TYPE_IO, UINT_MAX);
	return err;
}

/*
 * After QTEE's final answer: the outputs when it succeeded, then the async
 * messages; the whole outbound buffer is the async area. The parser clears
 * what it read; a callback's request and answer are cleared with the pair.
 */
static int qcomtee_invoke_finish(struct qcomtee *qcomtee,
				 struct qcomtee_msgbuf_pair *bufs,
				 struct qcomtee_arg *args, int result)
{
	u32 ids[QCOMTEE_MSG_ARGS_PER_CLASS];
	int err = 0;

	if (!result) {
		err = qcomtee_msg_read_invoke_results(bufs->inbound.addr,
						      bufs->inbound.size, args,
						      ids);
		if (qcomtee_import_objects(qcomtee, args, QCOMTEE_ARG_TYPE_OO,
					   ids) && !err)
			err = -EINVAL;
		if (err)
			qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_OO);
	}
	qcomtee_async_process(qcomtee, bufs->outbound.addr, bufs->outbound.size);
	bufs->outbound_clean = !bufs->cb_served;
	return err;
}

/**
 * qcomtee_kernel_invoke() - Invoke a QTEE object for the driver itself
 * @qcomtee: the instance.
 * @object: a QTEE object or ROOT.
 * @op: the operation.
 * @args: the arguments, see qcomtee_object_do_invoke().
 *
 * Return: 0, -EIO if QTEE returned an error, or the invocation's errno.
 */
int qcomtee_kernel_invoke(struct qcomtee *qcomtee,
			  struct qcomtee_object *object, u32 op,
			  struct qcomtee_arg *args)
{
	struct qcomtee_object_invoke_ctx oic;
	int err, result;

	qcomtee_oic_init(&oic, qcomtee, NULL);
	err = qcomtee_object_do_invoke(&oic, object, op, args, &result);
	if (!err && result)
		err = -EIO;
	return err;
}

/**
 * qcomtee_object_do_invoke() - Invoke a QTEE object
 * @oic: the invocation context (qcomtee_oic_init()).
 * @object: a QTEE object or ROOT.
 * @op: the operation.
 * @args: the arguments, ended by QCOMTEE_ARG_TYPE_INV. Output buffer sizes
 *	are updated and output objects are set to new references, both only
 *	when *@result is 0.
 * @result: QTEE's result.
 *
 * Input objects stay the caller's; once QTEE has seen the request
 * (@oic->inputs_sent), QTEE holds its own references to the kernel-hosted
 * ones, whatever the result, and releases them later. Callback requests
 * QTEE makes meanwhile are served in this thread.
 *
 * Return: 0 when QTEE was reached (see *@result), or a negative errno:
 * -EINVAL for bad arguments or a malformed answer, -ENOMEM, -EFAULT for
 * unreachable user buffers, -ENODEV once QTEE is gone, or the transport's
 * error.
 */
int qcomtee_object_do_invoke(struct qcomtee_object_invoke_ctx *oic,
			     struct qcomtee_object *object, u32 op,
			     struct qcomtee_arg *args, int *result)
{
	struct qcomtee *qcomtee = oic->qcomtee;
	struct qcomtee_msgbuf_pair *bufs;
	bool serviced;
	size_t size;
	u32 cxt;
	int err;

	/* Only QTEE's objects are invoked; naming them exports nothing. */
	if (!object || (object->type != QCOMTEE_OBJECT_TYPE_ROOT &&
			object->type != QCOMTEE_OBJECT_TYPE_TEE))
		return -EINVAL;
	err = qcomtee_object_to_wire(qcomtee, object, &cxt);
	if (err)
		return err;

	size = oic->inbound_size;
	if (!size) {
		err = qcomtee_msg_inbound_size(args, &size);
		if (err)
			return err;
	}

	if (!qcomtee_enter(qcomtee))
		return -ENODEV;

	bufs = qcomtee_msgbuf_get(qcomtee, size);
	if (!bufs) {
		err = -ENOMEM;
		goto out_exit;
	}
	oic->bufs = bufs;
	oic->cb = &bufs->cb;

	err = qcomtee_invoke_prepare(qcomtee, bufs, cxt, op, args);
	if (err)
		goto out_put;

	err = qcomtee_invoke_loop(oic, result, &serviced);
	/* Once QTEE saw the request it owns the inputs and releases them. */
	oic->inputs_sent = serviced;
	if (!err)
		err = qcomtee_invoke_finish(qcomtee, bufs, args, *result);
	else if (!serviced)
		qcomtee_unexport_objects(args, QCOMTEE_ARG_TYPE_IO, UINT_MAX);

out_put:
	oic->bufs = NULL;
	oic->cb = NULL;
	qcomtee_msgbuf_put(qcomtee, bufs);
out_exit:
	qcomtee_exit(qcomtee);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_object_do_invoke);
