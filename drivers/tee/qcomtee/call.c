// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the TEE driver ops and userspace arguments.
 *
 * Userspace names QTEE objects by handles that belong to the file (the TEE
 * context) they were returned on; a handle holds one reference to the
 * object. Parameters keep their positions: UBUF_INPUT/OUTPUT become input
 * and output buffers, OBJREF_INPUT/OUTPUT input and output objects.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "qcomtee.h"
#include "qcomtee_call.h"

/* Parameters of an invocation converted without an allocation. */
#define QCOMTEE_CALL_STACK_ARGS	8

unsigned int qcomtee_max_handles = 4096;
module_param_named(max_handles, qcomtee_max_handles, uint, 0644);
MODULE_PARM_DESC(max_handles,
		 "QTEE objects one open file (or kernel client) may hold");

static unsigned int qcomtee_max_msgbuf_kib = 16 * 1024;
module_param_named(max_msgbuf_kib, qcomtee_max_msgbuf_kib, uint, 0644);
MODULE_PARM_DESC(max_msgbuf_kib,
		 "KiB of message buffers the invocations of one open file may hold at once");

static struct qcomtee *qcomtee_from_ctx(struct tee_context *ctx)
{
	return tee_get_drvdata(ctx->teedev);
}

/**
 * qcomtee_handle_add() - Give a client a handle to a QTEE object
 * @ctxdata: the client.
 * @object: the object; the handle takes over the caller's reference.
 * @handle: the new handle.
 *
 * Handles are allocated cyclically: a handle a client released does not
 * name another object soon, so a stale handle finds nothing.
 *
 * Return: 0, -ENOSPC when the client holds qcomtee_max_handles handles,
 * -ENOMEM.
 */
int qcomtee_handle_add(struct qcomtee_context_data *ctxdata,
		       struct qcomtee_object *object, u64 *handle)
{
	u32 id;
	int err;

	if (atomic_inc_return(&ctxdata->num_handles) >
	    READ_ONCE(qcomtee_max_handles)) {
		atomic_dec(&ctxdata->num_handles);
		return -ENOSPC;
	}
	err = xa_alloc_cyclic(&ctxdata->handles, &id, object, xa_limit_31b,
			      &ctxdata->handles_next, GFP_KERNEL_ACCOUNT);
	if (err < 0) {
		atomic_dec(&ctxdata->num_handles);
		return err == -EBUSY ? -ENOSPC : err;
	}
	*handle = id;
	return 0;
}

/* Takes a handle away: its object and reference, or NULL. */
static struct qcomtee_object *
qcomtee_handle_erase(struct qcomtee_context_data *ctxdata, u64 handle)
{
	struct qcomtee_object *object;

	if (handle > U32_MAX)
		return NULL;
	object = xa_erase(&ctxdata->handles, handle);
	if (object)
		atomic_dec(&ctxdata->num_handles);
	return object;
}

static struct qcomtee_object *
qcomtee_handle_get(struct qcomtee_context_data *ctxdata, u64 handle)
{
	struct qcomtee_object *object;

	if (handle > U32_MAX)
		return NULL;

	xa_lock(&ctxdata->handles);
	object = xa_load(&ctxdata->handles, handle);
	qcomtee_object_get(object);
	xa_unlock(&ctxdata->handles);
	return object;
}

/**
 * qcomtee_handle_release() - Drop a client's handle and its reference
 * @ctxdata: the client.
 * @handle: the handle.
 *
 * Return: 0, or -EINVAL if @handle names nothing.
 */
int qcomtee_handle_release(struct qcomtee_context_data *ctxdata, u64 handle)
{
	struct qcomtee_object *object;

	object = qcomtee_handle_erase(ctxdata, handle);
	if (!object)
		return -EINVAL;
	qcomtee_object_put(object);
	return 0;
}

/**
 * qcomtee_objref_to_object() - The object a client names
 * @ctx: the client.
 * @objref: a QTEE handle (TEE), a callback object id of the client (USER),
 *	a shm id of the client (MEM), or TEE_OBJREF_NULL.
 * @object: a new reference, or NULL for the NULL object.
 *
 * Return: 0, -EINVAL for unknown flags or ids, -ENOMEM.
 */
int qcomtee_objref_to_object(struct tee_context *ctx,
			     const struct tee_param_objref *objref,
			     struct qcomtee_object **object)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee *qcomtee = qcomtee_from_ctx(ctx);
	struct tee_shm *shm;

	*object = NULL;
	if (objref->id == TEE_OBJREF_NULL)
		return 0;

	switch (objref->flags) {
	case QCOMTEE_OBJREF_FLAG_TEE:
		*object = qcomtee_handle_get(ctxdata, objref->id);
		return *object ? 0 : -EINVAL;
	case QCOMTEE_OBJREF_FLAG_USER:
		/* A kernel context has no supplicant to serve callbacks. */
		if (ctx->kernel_client)
			return -EINVAL;
		return qcomtee_user_object_get(ctx, objref->id, object);
	case QCOMTEE_OBJREF_FLAG_MEM:
		if (objref->id > INT_MAX)
			return -EINVAL;
		shm = tee_shm_get_from_id(ctx, objref->id);
		if (IS_ERR(shm))
			return PTR_ERR(shm);
		*object = qcomtee_memobj_from_shm(qcomtee, shm);
		tee_shm_put(shm);
		if (IS_ERR(*object)) {
			int err = PTR_ERR(*object);

			*object = NULL;
			return err;
		}
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * An object QTEE returned, as userspace sees it. Consumes the reference:
 * a QTEE object becomes a new handle of this context.
 */
static int qcomtee_objref_from_object(struct tee_context *ctx,
				      struct qcomtee_object *object,
				      struct tee_param_objref *objref)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct tee_param_objref local;
	u64 handle;
	int err;

	/* Only an objref that names what this call created is ever set. */
	objref->id = TEE_OBJREF_NULL;
	objref->flags = 0;
	if (!object)
		return 0;

	/* Kernel clients name every object, their own too, by a handle. */
	if (object->type == QCOMTEE_OBJECT_TYPE_TEE || ctx->kernel_client) {
		err = qcomtee_handle_add(ctxdata, object, &handle);
		if (err) {
			qcomtee_object_put(object);
			return err;
		}
		objref->id = handle;
		objref->flags = QCOMTEE_OBJREF_FLAG_TEE;
		return 0;
	}

	/* Kernel objects and other processes' objects stay hidden. */
	err = qcomtee_objref_of_local(ctx, object, &local) ? 0 : -EINVAL;
	if (!err)
		*objref = local;
	qcomtee_object_put(object);
	return err;
}

/* Root ops userspace may not send: they claim kernel privilege. */
static bool qcomtee_root_op_allowed(u32 op, struct qcomtee_arg *args)
{
	unsigned int i;

	switch (op) {
	case QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE:
	case QCOMTEE_ROOT_OP_ADCI_ACCEPT:
	case QCOMTEE_ROOT_OP_ADCI_SHUTDOWN:
		return false;
	case QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS:
		/* A NULL credential object means a privileged kernel client. */
		qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_IO)
			return args[i].o;
		return false;
	default:
		return true;
	}
}

static int qcomtee_params_to_args(struct tee_context *ctx,
				  struct tee_param *params, u32 num_params,
				  struct qcomtee_arg *args)
{
	u32 i;
	int err;

	for (i = 0; i < num_params; i++) {
		struct qcomtee_arg *arg = &args[i];
		struct tee_param *p = &params[i];

		arg->flags = 0;
		switch (p->attr) {
		case TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT:
		case TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT:
			arg->type = p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT ?
				QCOMTEE_ARG_TYPE_IB : QCOMTEE_ARG_TYPE_OB;
			/* The core tells kernel clients' buffers apart. */
			if (ctx->kernel_client) {
				arg->b.addr = p->u.ubuf.kaddr;
			} else {
				arg->flags = QCOMTEE_ARG_FLAG_UADDR;
				arg->b.uaddr = p->u.ubuf.uaddr;
			}
			arg->b.size = p->u.ubuf.size;
			break;
		case TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT:
			arg->type = QCOMTEE_ARG_TYPE_IO;
			err = qcomtee_objref_to_object(ctx, &p->u.objref,
						       &arg->o);
			if (err)
				goto undo;
			break;
		case TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT:
			arg->type = QCOMTEE_ARG_TYPE_OO;
			arg->o = NULL;
			break;
		default:
			err = -EINVAL;
			goto undo;
		}
	}
	args[i].type = QCOMTEE_ARG_TYPE_INV;
	return 0;

undo:
	args[i].type = QCOMTEE_ARG_TYPE_INV;
	qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_IO);
	return err;
}

/* Writes outputs back at the caller's positions; consumes output objects. */
static int qcomtee_args_to_params(struct tee_context *ctx,
				  struct qcomtee_arg *args,
				  struct tee_param *params)
{
	int err = 0, e;
	u32 i;

	qcomtee_arg_for_each(i, args) {
		switch (args[i].type) {
		case QCOMTEE_ARG_TYPE_OB:
			params[i].u.ubuf.size = args[i].b.size;
			break;
		case QCOMTEE_ARG_TYPE_OO:
			e = qcomtee_objref_from_object(ctx, args[i].o,
						       &params[i].u.objref);
			args[i].o = NULL;
			if (e && !err)
				err = e;
			break;
		default:
			break;
		}
	}
	if (!err)
		return 0;

	/* All or nothing: drop the handles this call created. */
	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_OO)
		if (params[i].u.objref.flags == QCOMTEE_OBJREF_FLAG_TEE &&
		    params[i].u.objref.id != TEE_OBJREF_NULL)
			qcomtee_handle_release(ctx->data, params[i].u.objref.id);
	return err;
}

/* OBJECT_INVOKE of RELEASE drops a handle: no world switch. */
static int qcomtee_release_handle_op(struct qcomtee_context_data *ctxdata,
				     struct tee_ioctl_object_invoke_arg *arg)
{
	int err;

	if (arg->num_params)
		return -EINVAL;
	err = qcomtee_handle_release(ctxdata, arg->id);
	if (!err)
		arg->ret = QCOMTEE_MSG_OK;
	return err;
}

/* The object an OBJECT_INVOKE names: ROOT for the NULL id, else a handle. */
static struct qcomtee_object *qcomtee_invoke_target(struct tee_context *ctx,
						    u64 id)
{
	struct qcomtee_object *object;

	if (id != TEE_OBJREF_NULL)
		return qcomtee_handle_get(ctx->data, id);

	object = qcomtee_root(qcomtee_from_ctx(ctx));
	qcomtee_object_get(object);
	return object;
}

/*
 * Each invocation holds its message buffers until QTEE is done, also while
 * a callback waits for this file's own supplicant: bound what the file's
 * invocations hold at once. @size is the charge, given back by the caller.
 */
static int qcomtee_msgbuf_charge(struct qcomtee_context_data *ctxdata,
				 size_t size)
{
	if (atomic_long_add_return(size, &ctxdata->msgbuf_bytes) >
	    (long)READ_ONCE(qcomtee_max_msgbuf_kib) * SZ_1K) {
		atomic_long_sub(size, &ctxdata->msgbuf_bytes);
		return -EBUSY;
	}
	return 0;
}

/* Invokes @object with the converted @args; outputs go to @params. */
static int qcomtee_invoke_args(struct tee_context *ctx,
			       struct qcomtee_object *object,
			       struct tee_ioctl_object_invoke_arg *arg,
			       struct qcomtee_arg *args,
			       struct tee_param *params)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_object_invoke_ctx oic;
	size_t inbound, size;
	int result, err;

	if (object->type == QCOMTEE_OBJECT_TYPE_ROOT && !ctx->kernel_client &&
	    !qcomtee_root_op_allowed(arg->op, args))
		return -EPERM;

	err = qcomtee_msg_inbound_size(args, &inbound);
	if (err)
		return err;
	size = inbound + QCOMTEE_MSG_OUTBOUND_SIZE;
	err = qcomtee_msgbuf_charge(ctxdata, size);
	if (err)
		return err;

	qcomtee_oic_init(&oic, qcomtee_from_ctx(ctx), ctx);
	oic.inbound_size = inbound;
	err = qcomtee_object_do_invoke(&oic, object, arg->op, args, &result);
	/*
	 * QTEE saw the callback objects this process passed and will release
	 * them, whatever the result and even if the outputs are lost below.
	 */
	if (oic.inputs_sent)
		qcomtee_user_objects_exported(ctx, args);
	if (!err && !result)
		err = qcomtee_args_to_params(ctx, args, params);
	if (!err)
		arg->ret = result;

	atomic_long_sub(size, &ctxdata->msgbuf_bytes);
	return err;
}

static int qcomtee_object_invoke_func(struct tee_context *ctx,
				      struct tee_ioctl_object_invoke_arg *arg,
				      struct tee_param *params)
{
	struct qcomtee_arg stack_args[QCOMTEE_CALL_STACK_ARGS + 1];
	struct qcomtee_object *object;
	struct qcomtee_arg *args;
	int err;

	if (arg->op == QCOMTEE_MSG_OBJECT_OP_RELEASE)
		return qcomtee_release_handle_op(ctx->data, arg);
	if (arg->op > QCOMTEE_MSG_OBJECT_OP_MASK ||
	    arg->op == QCOMTEE_MSG_OBJECT_OP_RETAIN)
		return -EINVAL;
	if (arg->num_params > QCOMTEE_MSG_ARGS_MAX)
		return -EINVAL;

	object = qcomtee_invoke_target(ctx, arg->id);
	if (!object)
		return -EINVAL;

	/* Most calls have a few parameters: no allocation for those. */
	if (arg->num_params < ARRAY_SIZE(stack_args)) {
		args = stack_args;
	} else {
		args = kcalloc(arg->num_params + 1, sizeof(*args),
			       GFP_KERNEL_ACCOUNT);
		if (!args) {
			err = -ENOMEM;
			goto out_put;
		}
	}

	err = qcomtee_params_to_args(ctx, params, arg->num_params, args);
	if (err)
		goto out_free;

	err = qcomtee_invoke_args(ctx, object, arg, args, params);
	qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_IO);
	qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_OO);
out_free:
	if (args != stack_args)
		kfree(args);
out_put:
	qcomtee_object_put(object);
	return err;
}

static void qcomtee_get_version(struct tee_device *teedev,
				struct tee_ioctl_version_data *vers)
{
	vers->impl_id = TEE_IMPL_ID_QTEE;
	vers->impl_caps = 0;
	vers->gen_caps = TEE_GEN_CAP_OBJREF;
}

static int qcomtee_open(struct tee_context *ctx)
{
	struct qcomtee_context_data *ctxdata;

	ctxdata = kzalloc(sizeof(*ctxdata), GFP_KERNEL_ACCOUNT);
	if (!ctxdata)
		return -ENOMEM;

	xa_init_flags(&ctxdata->handles, XA_FLAGS_ALLOC | XA_FLAGS_ACCOUNT);
	if (qcomtee_supp_init(ctxdata)) {
		kfree(ctxdata);
		return -ENOMEM;
	}
	ctx->data = ctxdata;
	return 0;
}

/* The client closed its file: its handles and requests go with it. */
static void qcomtee_close_context(struct tee_context *ctx)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_object *object;
	unsigned long id;

	qcomtee_supp_close(ctx);
	xa_for_each(&ctxdata->handles, id, object)
		qcomtee_handle_release(ctxdata, id);
}

static void qcomtee_release_context(struct tee_context *ctx)
{
	struct qcomtee_context_data *ctxdata = ctx->data;

	xa_destroy(&ctxdata->handles);
	xa_destroy(&ctxdata->supp_active);
	kfree(ctxdata);
}

const struct tee_driver_ops qcomtee_tee_ops = {
	.get_version = qcomtee_get_version,
	.open = qcomtee_open,
	.close_context = qcomtee_close_context,
	.release = qcomtee_release_context,
	.object_invoke_func = qcomtee_object_invoke_func,
	.supp_recv = qcomtee_supp_recv,
	.supp_send = qcomtee_supp_send,
	.supp_recv_undeliverable = qcomtee_supp_recv_undeliverable,
};

/* A context of this driver's kernel clients, and its instance. */
static struct qcomtee *qcomtee_kernel_ctx(struct tee_context *ctx)
{
	if (!ctx || !ctx->kernel_client ||
	    ctx->teedev->desc->ops != &qcomtee_tee_ops)
		return NULL;
	return qcomtee_from_ctx(ctx);
}

/**
 * qcomtee_kernel_object_init() - Initialise a kernel client's object
 * @ctx: the client's context (tee_client_open_context()).
 * @object: the object, embedded in the client's own structure.
 * @ops: its operations; @ops->release frees it.
 * @name: a constant name for messages.
 *
 * The caller owns the first reference. The object may be handed to QTEE
 * (see qcomtee_kernel_object_handle()) while @ctx is open; QTEE then
 * invokes @ops->dispatch in the thread of the invocation that led to it.
 *
 * Return: 0, or -EINVAL if @ctx is not a kernel context of a QTEE device.
 */
int qcomtee_kernel_object_init(struct tee_context *ctx,
			       struct qcomtee_object *object,
			       const struct qcomtee_object_operations *ops,
			       const char *name)
{
	struct qcomtee *qcomtee = qcomtee_kernel_ctx(ctx);

	if (!qcomtee || !ops || !ops->dispatch || !ops->release)
		return -EINVAL;

	qcomtee_object_cb_init(object, qcomtee, ops, name);
	return 0;
}
EXPORT_SYMBOL_GPL(qcomtee_kernel_object_init);

/**
 * qcomtee_kernel_object_handle() - A handle for an object in a kernel context
 * @ctx: the client's context.
 * @object: a kernel object of the client or a QTEE object it received.
 * @handle: the handle, usable as OBJREF id with QCOMTEE_OBJREF_FLAG_TEE and
 *	as the id of tee_client_object_invoke_func() (QTEE objects only);
 *	op 0xFFFF drops it.
 *
 * The handle holds its own reference to @object.
 *
 * Return: 0, -EINVAL for a foreign object or context, -ENOMEM, -ENOSPC.
 */
int qcomtee_kernel_object_handle(struct tee_context *ctx,
				 struct qcomtee_object *object, u64 *handle)
{
	struct qcomtee *qcomtee = qcomtee_kernel_ctx(ctx);
	int err;

	if (!qcomtee || !object || object->qcomtee != qcomtee ||
	    object->type == QCOMTEE_OBJECT_TYPE_ROOT)
		return -EINVAL;

	qcomtee_object_get(object);
	err = qcomtee_handle_add(ctx->data, object, handle);
	if (err)
		qcomtee_object_put(object);
	return err;
}
EXPORT_SYMBOL_GPL(qcomtee_kernel_object_handle);

/**
 * qcomtee_kernel_memobj_handle() - A memory object for kernel shared memory
 * @ctx: the client's context.
 * @shm: shared memory allocated on @ctx (tee_shm_alloc_kernel_buf()).
 * @handle: a handle of a new memory object for @shm.
 *
 * QTEE maps the memory through the primordial object; the memory stays
 * alive while QTEE keeps its mapping, even after the client freed @shm.
 *
 * Return: 0, -EINVAL for a foreign context or shm, -ENOMEM, -ENOSPC.
 */
int qcomtee_kernel_memobj_handle(struct tee_context *ctx, struct tee_shm *shm,
				 u64 *handle)
{
	struct qcomtee *qcomtee = qcomtee_kernel_ctx(ctx);
	struct qcomtee_object *object;
	int err;

	if (!qcomtee || shm->ctx != ctx)
		return -EINVAL;

	object = qcomtee_memobj_from_shm(qcomtee, shm);
	if (IS_ERR(object))
		return PTR_ERR(object);

	err = qcomtee_handle_add(ctx->data, object, handle);
	if (err)
		qcomtee_object_put(object);
	return err;
}
EXPORT_SYMBOL_GPL(qcomtee_kernel_memobj_handle);
