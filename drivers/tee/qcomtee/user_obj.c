// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: callback objects hosted by userspace.
 *
 * A process passes an OBJREF with the USER flag and an id of its choice;
 * QTEE's calls on it are queued to the file that passed it and served by
 * the process's supplicant threads with SUPPL_RECV/SUPPL_SEND. The thread
 * that made QTEE call back waits for the answer (killable), so a callback
 * needs no thread of its own in the kernel. When QTEE releases an object
 * it received, the process gets one release notification (func 0xFFFF)
 * that it does not answer. Once the file is closed every pending and
 * future call fails with -ENODEV, which QTEE sees as DEFUNCT.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "qcomtee_call.h"

/*
 * A callback object counts against its file from the OBJREF that created it
 * until its release notification is received or dropped: neither the
 * wrappers nor the notifications of a file that never calls RECV grow
 * without bound.
 */
static unsigned int qcomtee_max_user_objects = 4096;
module_param_named(max_user_objects, qcomtee_max_user_objects, uint, 0644);
MODULE_PARM_DESC(max_user_objects,
		 "Callback objects (and their pending release notifications) per open file");

/**
 * enum qcomtee_supp_state - where a request is
 * @QCOMTEE_SUPP_PENDING: queued, waiting for a supplicant thread.
 * @QCOMTEE_SUPP_DELIVERING: a supplicant thread copies it out (RECV).
 * @QCOMTEE_SUPP_ACTIVE: received by a supplicant, waiting for SEND.
 * @QCOMTEE_SUPP_ANSWERING: a supplicant thread copies its answer in (SEND).
 * @QCOMTEE_SUPP_DONE: answered or failed.
 *
 * In DELIVERING and ANSWERING a supplicant thread uses the request's
 * arguments without supp_lock (it copies from and to user memory, which
 * may fault slowly); the invoker must not go away meanwhile.
 */
enum qcomtee_supp_state {
	QCOMTEE_SUPP_PENDING,
	QCOMTEE_SUPP_DELIVERING,
	QCOMTEE_SUPP_ACTIVE,
	QCOMTEE_SUPP_ANSWERING,
	QCOMTEE_SUPP_DONE,
};

/**
 * struct qcomtee_supp_req - a request to a supplicant
 * @node: in supp_pending.
 * @state: protected by supp_lock.
 * @id: request id while active.
 * @object_id: the process's id of the object.
 * @op: the operation, QCOMTEE_MSG_OBJECT_OP_RELEASE for notifications.
 * @args: the callback's arguments; NULL for notifications.
 * @result: the answer.
 * @done: completed with @result.
 * @abandoned: the invoker was killed while a supplicant thread copied
 *	the request out; it is not delivered.
 */
struct qcomtee_supp_req {
	struct list_head node;
	enum qcomtee_supp_state state;
	bool abandoned;
	u32 id;
	u64 object_id;
	u32 op;
	struct qcomtee_arg *args;
	int result;
	struct completion done;
};

/**
 * struct qcomtee_user_object - a callback object hosted by a process
 * @object: the object.
 * @ctx: the file that hosts it (a context reference is held until the
 *	object is released).
 * @id: the id the process chose.
 * @notify: QTEE received it: tell the process when it is released.
 * @release: its release notification; while the wrapper is unused, its
 *	node links the wrapper into the file's cache.
 *
 * The notification is part of the wrapper, so releasing an object QTEE
 * held allocates nothing and cannot fail: the wrapper stays until the
 * notification is received or dropped, then goes back to the file's cache.
 */
struct qcomtee_user_object {
	struct qcomtee_object object;
	struct tee_context *ctx;
	u64 id;
	bool notify;
	struct qcomtee_supp_req release;
};

static const struct qcomtee_object_operations qcomtee_user_object_ops;

static struct qcomtee_user_object *to_user_object(struct qcomtee_object *o)
{
	if (!o || o->type != QCOMTEE_OBJECT_TYPE_CB ||
	    o->ops != &qcomtee_user_object_ops)
		return NULL;
	return container_of(o, struct qcomtee_user_object, object);
}

/* Request ids: a 16-bit index and a 16-bit generation (see ids.c). */
#define QCOMTEE_SUPP_INDEX_MASK	GENMASK(15, 0)
#define QCOMTEE_SUPP_GEN_MASK	GENMASK(31, 16)

/**
 * qcomtee_supp_init() - Initialise a client's supplicant state
 * @ctxdata: the client.
 *
 * Return: 0, or -ENOMEM.
 */
int qcomtee_supp_init(struct qcomtee_context_data *ctxdata)
{
	mutex_init(&ctxdata->supp_lock);
	init_waitqueue_head(&ctxdata->supp_wq);
	init_waitqueue_head(&ctxdata->supp_busy_wq);
	INIT_LIST_HEAD(&ctxdata->supp_pending);
	INIT_LIST_HEAD(&ctxdata->cached_user_objects);
	return qcomtee_ids_init(&ctxdata->supp_active, GFP_KERNEL_ACCOUNT);
}

/* Takes the active request @id out of the table; supp_lock held. */
static struct qcomtee_supp_req *
qcomtee_supp_take(struct qcomtee_context_data *ctxdata, u64 id)
{
	unsigned long index = id & QCOMTEE_SUPP_INDEX_MASK;
	struct qcomtee_supp_req *req;

	lockdep_assert_held(&ctxdata->supp_lock);
	if (id == QCOMTEE_SUPP_NOTIFY_ID || id > U32_MAX)
		return NULL;
	req = xa_load(&ctxdata->supp_active, index);
	if (!req || req->id != id)
		return NULL;
	xa_erase(&ctxdata->supp_active, index);
	return req;
}

/*
 * A wrapper is done with: it no longer counts against the file, and is kept
 * for the file's next callback object unless the cache is full or the file
 * is closed; supp_lock held.
 */
static void qcomtee_user_object_free(struct qcomtee_context_data *ctxdata,
				     struct qcomtee_user_object *uo)
{
	lockdep_assert_held(&ctxdata->supp_lock);
	atomic_dec(&ctxdata->num_user_objects);
	if (ctxdata->supp_closed ||
	    ctxdata->num_cached_user_objects >= QCOMTEE_USER_OBJECT_CACHE) {
		kfree(uo);
		return;
	}
	list_add(&uo->release.node, &ctxdata->cached_user_objects);
	ctxdata->num_cached_user_objects++;
}

/* A release notification was received or dropped; supp_lock held. */
static void qcomtee_supp_notify_free(struct qcomtee_context_data *ctxdata,
				     struct qcomtee_supp_req *req)
{
	qcomtee_user_object_free(ctxdata, container_of(req,
						       struct qcomtee_user_object,
						       release));
}

/* A wrapper from the file's cache, or NULL. */
static struct qcomtee_user_object *
qcomtee_user_object_cached(struct qcomtee_context_data *ctxdata)
{
	struct qcomtee_user_object *uo;

	guard(mutex)(&ctxdata->supp_lock);
	uo = list_first_entry_or_null(&ctxdata->cached_user_objects,
				      struct qcomtee_user_object, release.node);
	if (uo) {
		list_del(&uo->release.node);
		ctxdata->num_cached_user_objects--;
	}
	return uo;
}

/* Ends a request; supp_lock held. */
static void qcomtee_supp_finish(struct qcomtee_context_data *ctxdata,
				struct qcomtee_supp_req *req, int result)
{
	req->state = QCOMTEE_SUPP_DONE;
	req->result = result;
	if (req->args)
		complete(&req->done);
	else
		qcomtee_supp_notify_free(ctxdata, req);
}

/**
 * qcomtee_supp_close() - Fail every request of a closing client
 * @ctx: the client's context.
 */
void qcomtee_supp_close(struct tee_context *ctx)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_user_object *uo, *next;
	struct qcomtee_supp_req *req, *tmp;
	unsigned long id;

	mutex_lock(&ctxdata->supp_lock);
	/* From now on a wrapper that is done with is freed, not cached. */
	ctxdata->supp_closed = true;
	list_for_each_entry_safe(uo, next, &ctxdata->cached_user_objects,
				 release.node)
		kfree(uo);
	INIT_LIST_HEAD(&ctxdata->cached_user_objects);
	ctxdata->num_cached_user_objects = 0;
	list_for_each_entry_safe(req, tmp, &ctxdata->supp_pending, node) {
		list_del(&req->node);
		qcomtee_supp_finish(ctxdata, req, -ENODEV);
	}
	xa_for_each(&ctxdata->supp_active, id, req) {
		xa_erase(&ctxdata->supp_active, id);
		qcomtee_supp_finish(ctxdata, req, -ENODEV);
	}
	mutex_unlock(&ctxdata->supp_lock);
	wake_up_all(&ctxdata->supp_wq);
}

/*
 * Queues a request for a supplicant thread; false if the file is closed,
 * in which case a release notification is dropped at once.
 */
static bool qcomtee_supp_queue(struct qcomtee_context_data *ctxdata,
			       struct qcomtee_supp_req *req)
{
	mutex_lock(&ctxdata->supp_lock);
	if (ctxdata->supp_closed) {
		if (!req->args)
			qcomtee_supp_notify_free(ctxdata, req);
		mutex_unlock(&ctxdata->supp_lock);
		return false;
	}
	req->state = QCOMTEE_SUPP_PENDING;
	list_add_tail(&req->node, &ctxdata->supp_pending);
	mutex_unlock(&ctxdata->supp_lock);
	wake_up_interruptible(&ctxdata->supp_wq);
	return true;
}

/* A supplicant thread uses the request's arguments without supp_lock. */
static bool qcomtee_supp_busy(const struct qcomtee_supp_req *req)
{
	enum qcomtee_supp_state state = READ_ONCE(req->state);

	return state == QCOMTEE_SUPP_DELIVERING ||
	       state == QCOMTEE_SUPP_ANSWERING;
}

static int qcomtee_user_object_dispatch(struct qcomtee_object_invoke_ctx *oic,
					struct qcomtee_object *object, u32 op,
					struct qcomtee_arg *args)
{
	struct qcomtee_user_object *uo = to_user_object(object);
	struct qcomtee_context_data *ctxdata = uo->ctx->data;
	struct qcomtee_supp_req req = {
		.object_id = uo->id,
		.op = op,
		.args = args,
	};

	init_completion(&req.done);
	if (!qcomtee_supp_queue(ctxdata, &req))
		return -ENODEV;

	if (!wait_for_completion_killable(&req.done))
		return req.result;

	/* The invoker was killed: withdraw the request if still queued. */
	mutex_lock(&ctxdata->supp_lock);
	if (req.state == QCOMTEE_SUPP_PENDING)
		list_del(&req.node);
	else if (req.state == QCOMTEE_SUPP_ACTIVE)
		qcomtee_supp_take(ctxdata, req.id);
	/*
	 * A supplicant thread is copying to or from @args: they live in this
	 * invocation's buffers, so wait for that copy (and only that one).
	 */
	while (qcomtee_supp_busy(&req)) {
		req.abandoned = true;
		mutex_unlock(&ctxdata->supp_lock);
		wait_event(ctxdata->supp_busy_wq, !qcomtee_supp_busy(&req));
		mutex_lock(&ctxdata->supp_lock);
	}
	if (req.state != QCOMTEE_SUPP_DONE)
		req.result = -ENODEV;
	req.state = QCOMTEE_SUPP_DONE;
	mutex_unlock(&ctxdata->supp_lock);
	return req.result;
}

static void qcomtee_user_object_notify(struct qcomtee_object_invoke_ctx *oic,
				       struct qcomtee_object *object,
				       struct qcomtee_arg *args, int err)
{
	struct qcomtee_user_object *uo;
	unsigned int i;

	if (err)
		return;

	/* Objects the supplicant returned now belong to QTEE. */
	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_OO) {
		uo = to_user_object(args[i].o);
		if (uo)
			uo->notify = true;
	}
}

static void qcomtee_user_object_release(struct qcomtee_object *object)
{
	struct qcomtee_user_object *uo = to_user_object(object);
	struct qcomtee *qcomtee = object->qcomtee;
	struct tee_context *ctx = uo->ctx;
	struct qcomtee_context_data *ctxdata = ctx->data;

	atomic_dec(&qcomtee->stats.cb_objects);
	if (uo->notify) {
		/*
		 * The object keeps counting until this is received; from now
		 * on a supplicant thread may free @uo.
		 */
		uo->release.object_id = uo->id;
		uo->release.op = QCOMTEE_MSG_OBJECT_OP_RELEASE;
		qcomtee_supp_queue(ctxdata, &uo->release);
	} else {
		scoped_guard(mutex, &ctxdata->supp_lock)
			qcomtee_user_object_free(ctxdata, uo);
	}
	/* Last: the file's data lives as long as the context. */
	teedev_ctx_put(ctx);
	qcomtee_put(qcomtee);
}

static const struct qcomtee_object_operations qcomtee_user_object_ops = {
	.dispatch = qcomtee_user_object_dispatch,
	.notify = qcomtee_user_object_notify,
	.release = qcomtee_user_object_release,
};

/**
 * qcomtee_user_object_get() - An object for a process's callback object id
 * @ctx: the process's file.
 * @id: the id the process chose.
 * @object: a new object (one reference).
 *
 * Return: 0, -EINVAL for the NULL id, -ENOSPC when the file has
 * qcomtee_max_user_objects objects, -ENOMEM.
 */
int qcomtee_user_object_get(struct tee_context *ctx, u64 id,
			    struct qcomtee_object **object)
{
	struct qcomtee *qcomtee = tee_get_drvdata(ctx->teedev);
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_user_object *uo;

	if (id == TEE_OBJREF_NULL)
		return -EINVAL;

	if (atomic_inc_return(&ctxdata->num_user_objects) >
	    READ_ONCE(qcomtee_max_user_objects)) {
		atomic_dec(&ctxdata->num_user_objects);
		return -ENOSPC;
	}
	uo = qcomtee_user_object_cached(ctxdata);
	if (uo)
		memset(uo, 0, sizeof(*uo));
	else
		uo = kzalloc(sizeof(*uo), GFP_KERNEL_ACCOUNT);
	if (!uo) {
		atomic_dec(&ctxdata->num_user_objects);
		return -ENOMEM;
	}

	qcomtee_object_cb_init(&uo->object, qcomtee, &qcomtee_user_object_ops,
			       "user");
	teedev_ctx_get(ctx);
	qcomtee_get(qcomtee);
	atomic_inc(&qcomtee->stats.cb_objects);
	uo->ctx = ctx;
	uo->id = id;
	*object = &uo->object;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_user_object_get);

/**
 * qcomtee_user_object_id() - The id of a process's own callback object
 * @ctx: the process's file.
 * @object: any object.
 * @id: the id the process chose, if @object is its own.
 *
 * Return: true if @object is a callback object hosted by @ctx.
 */
bool qcomtee_user_object_id(struct tee_context *ctx,
			    struct qcomtee_object *object, u64 *id)
{
	struct qcomtee_user_object *uo = to_user_object(object);

	if (!uo || uo->ctx != ctx)
		return false;
	*id = uo->id;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_user_object_id);

/**
 * qcomtee_user_objects_exported() - QTEE accepted the input objects
 * @ctx: the process's file.
 * @args: the arguments of a successful invocation.
 *
 * Each callback object QTEE received is reported once when it releases it.
 */
void qcomtee_user_objects_exported(struct tee_context *ctx,
				   struct qcomtee_arg *args)
{
	struct qcomtee_user_object *uo;
	unsigned int i;

	qcomtee_arg_for_each_type(i, args, QCOMTEE_ARG_TYPE_IO) {
		uo = to_user_object(args[i].o);
		if (uo && uo->ctx == ctx)
			uo->notify = true;
	}
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_user_objects_exported);

/**
 * qcomtee_objref_of_local() - How a client names its own object
 * @ctx: the client.
 * @object: any object.
 * @objref: the id and flags of @object for the client.
 *
 * Return: true if @object is a callback object or memory object of @ctx.
 */
bool qcomtee_objref_of_local(struct tee_context *ctx,
			     struct qcomtee_object *object,
			     struct tee_param_objref *objref)
{
	struct tee_shm *shm;

	if (qcomtee_user_object_id(ctx, object, &objref->id)) {
		objref->flags = QCOMTEE_OBJREF_FLAG_USER;
		return true;
	}

	shm = qcomtee_memobj_shm(object);
	if (shm && shm->ctx == ctx) {
		objref->id = shm->id;
		objref->flags = QCOMTEE_OBJREF_FLAG_MEM;
		return true;
	}
	return false;
}

/* An input object as the supplicant sees it; takes its own reference. */
static int qcomtee_supp_objref(struct tee_context *ctx,
			       struct qcomtee_object *object,
			       struct tee_param_objref *objref)
{
	int err;

	if (!object) {
		objref->id = TEE_OBJREF_NULL;
		objref->flags = 0;
	} else if (object->type == QCOMTEE_OBJECT_TYPE_TEE) {
		qcomtee_object_get(object);
		err = qcomtee_handle_add(ctx->data, object, &objref->id);
		if (err) {
			qcomtee_object_put(object);
			return err;
		}
		objref->flags = QCOMTEE_OBJREF_FLAG_TEE;
	} else if (!qcomtee_objref_of_local(ctx, object, objref)) {
		return -EINVAL;
	}
	return 0;
}

/* Undoes the handles qcomtee_supp_objref() created for params[1..n). */
static void qcomtee_supp_undo_handles(struct tee_context *ctx,
				      struct tee_param *params, u32 n)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	u32 i;

	for (i = 1; i < n; i++)
		if (params[i].attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT &&
		    params[i].u.objref.flags == QCOMTEE_OBJREF_FLAG_TEE)
			qcomtee_handle_release(ctxdata, params[i].u.objref.id);
}

/*
 * One argument as the supplicant sees it: an input buffer copied into the
 * meta buffer [@meta, *@end) (packed from its end, 8-byte aligned), an
 * output buffer with its capacity, an object as the supplicant names it.
 */
static int qcomtee_supp_marshal_arg(struct tee_context *ctx,
				    const struct qcomtee_arg *arg,
				    struct tee_param *p, u64 meta, u64 *end)
{
	int err;

	switch (arg->type) {
	case QCOMTEE_ARG_TYPE_IB:
		if (arg->b.size > *end - meta ||
		    ALIGN_DOWN(*end - arg->b.size, 8) < meta)
			return -EINVAL;
		*end = ALIGN_DOWN(*end - arg->b.size, 8);
		if (copy_to_user(u64_to_user_ptr(*end), arg->b.addr,
				 arg->b.size))
			return -EFAULT;
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
		p->u.ubuf.uaddr = u64_to_user_ptr(*end);
		p->u.ubuf.size = arg->b.size;
		return 0;
	case QCOMTEE_ARG_TYPE_OB:
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT;
		p->u.ubuf.uaddr = NULL;
		p->u.ubuf.size = arg->b.size;
		return 0;
	case QCOMTEE_ARG_TYPE_IO:
		err = qcomtee_supp_objref(ctx, arg->o, &p->u.objref);
		p->attr = err ? TEE_IOCTL_PARAM_ATTR_TYPE_NONE :
			TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT;
		return err;
	default:
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT;
		p->u.objref.id = 0;
		p->u.objref.flags = 0;
		return 0;
	}
}

/*
 * Fills the supplicant's params[1..] with a request, params[0] being the
 * meta buffer; on failure no handle made for an input object remains.
 */
static int qcomtee_supp_marshal(struct tee_context *ctx,
				struct qcomtee_supp_req *req,
				struct tee_param *params, u32 num_params,
				u32 *used)
{
	u64 meta = params[0].u.value.a;
	u64 end = meta + params[0].u.value.b;
	struct qcomtee_arg *args = req->args;
	int err = 0;
	u32 i;

	qcomtee_arg_for_each(i, args) {
		err = i + 1 < num_params ?
			qcomtee_supp_marshal_arg(ctx, &args[i], &params[i + 1],
						 meta, &end) : -EINVAL;
		if (err) {
			qcomtee_supp_undo_handles(ctx, params, i + 1);
			return err;
		}
	}
	*used = i + 1;
	return 0;
}

/* Takes the next request; supp_lock held on success. */
static int qcomtee_supp_next(struct qcomtee_context_data *ctxdata,
			     struct qcomtee_supp_req **reqp)
{
	for (;;) {
		mutex_lock(&ctxdata->supp_lock);
		*reqp = list_first_entry_or_null(&ctxdata->supp_pending,
						 struct qcomtee_supp_req, node);
		if (*reqp) {
			list_del(&(*reqp)->node);
			return 0;
		}
		if (ctxdata->supp_closed) {
			mutex_unlock(&ctxdata->supp_lock);
			return -ENODEV;
		}
		mutex_unlock(&ctxdata->supp_lock);

		if (wait_event_interruptible(ctxdata->supp_wq,
					     !list_empty_careful(&ctxdata->supp_pending) ||
					     READ_ONCE(ctxdata->supp_closed)))
			return -ERESTARTSYS;
	}
}

/* RECV's params: the META value param with the meta buffer, then NONE. */
static bool qcomtee_supp_recv_params_ok(const struct tee_param *params,
					u32 num_params)
{
	u32 i;

	if (num_params < 1 ||
	    params[0].attr != (TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT |
			       TEE_IOCTL_PARAM_ATTR_META) ||
	    !IS_ALIGNED(params[0].u.value.a, 8) ||
	    params[0].u.value.b > SZ_1M ||
	    !access_ok(u64_to_user_ptr(params[0].u.value.a),
		       params[0].u.value.b))
		return false;
	for (i = 1; i < num_params; i++)
		if (params[i].attr != TEE_IOCTL_PARAM_ATTR_TYPE_NONE)
			return false;
	return true;
}

/* Hands out a release notification and frees it; supp_lock held. */
static void qcomtee_supp_recv_notify(struct qcomtee_context_data *ctxdata,
				     struct qcomtee_supp_req *req, u32 *func,
				     u32 *num_params, struct tee_param *params)
{
	params[0].u.value.a = req->object_id;
	params[0].u.value.b = QCOMTEE_SUPP_NOTIFY_ID;
	params[0].u.value.c = 0;
	*func = QCOMTEE_MSG_OBJECT_OP_RELEASE;
	*num_params = 1;
	qcomtee_supp_notify_free(ctxdata, req);
}

/*
 * A delivered request waits for SEND under an id of its own; supp_lock
 * held. Not abandoned when the lock was taken back, so no invoker waits for
 * the copy: nobody to wake on supp_busy_wq.
 */
static int qcomtee_supp_activate(struct qcomtee_context_data *ctxdata,
				 struct qcomtee_supp_req *req)
{
	int err;

	/* A late answer to a request that is gone finds nothing. */
	xa_lock(&ctxdata->supp_active);
	err = __qcomtee_ids_alloc(&ctxdata->supp_active, req,
				  QCOMTEE_SUPP_INDEX_MASK,
				  QCOMTEE_SUPP_GEN_MASK, &ctxdata->supp_gen,
				  &req->id, GFP_KERNEL);
	xa_unlock(&ctxdata->supp_active);
	if (err)
		return err;
	req->state = QCOMTEE_SUPP_ACTIVE;
	return 0;
}

/**
 * qcomtee_supp_recv() - SUPPL_RECV: wait for a request to a callback object
 * @ctx: the process's file.
 * @func: the op, 0xFFFF for a release notification.
 * @num_params: capacity on entry, params used on return.
 * @params: params[0] is the META value param with the meta buffer; the
 *	others must be NONE.
 *
 * Return: 0, -EINVAL for bad params (the request then fails in QTEE),
 * -EFAULT, or -ERESTARTSYS when interrupted.
 */
int qcomtee_supp_recv(struct tee_context *ctx, u32 *func, u32 *num_params,
		      struct tee_param *params)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_supp_req *req;
	u32 used = 1;
	int err;

	if (!qcomtee_supp_recv_params_ok(params, *num_params))
		return -EINVAL;

again:
	err = qcomtee_supp_next(ctxdata, &req);
	if (err)
		return err;

	/* supp_lock is held. */
	if (!req->args) {
		qcomtee_supp_recv_notify(ctxdata, req, func, num_params, params);
		mutex_unlock(&ctxdata->supp_lock);
		return 0;
	}

	/* The copy to the meta buffer may fault: not under supp_lock. */
	req->state = QCOMTEE_SUPP_DELIVERING;
	mutex_unlock(&ctxdata->supp_lock);
	err = qcomtee_supp_marshal(ctx, req, params, *num_params, &used);
	mutex_lock(&ctxdata->supp_lock);
	if (req->abandoned) {
		/* Its invoker was killed meanwhile: take the next one. */
		if (!err)
			qcomtee_supp_undo_handles(ctx, params, used);
		qcomtee_supp_finish(ctxdata, req, -ENODEV);
		mutex_unlock(&ctxdata->supp_lock);
		wake_up_all(&ctxdata->supp_busy_wq);
		used = 1;
		goto again;
	}
	if (!err)
		err = qcomtee_supp_activate(ctxdata, req);
	if (err) {
		if (used > 1)
			qcomtee_supp_undo_handles(ctx, params, used);
		/* QTEE learns the request could not be delivered. */
		qcomtee_supp_finish(ctxdata, req, err);
		mutex_unlock(&ctxdata->supp_lock);
		return err;
	}
	/* Only now: marshaling used params[0] as the meta buffer. */
	params[0].u.value.a = req->object_id;
	params[0].u.value.b = req->id;
	params[0].u.value.c = 0;
	*func = req->op;
	*num_params = used;
	mutex_unlock(&ctxdata->supp_lock);
	return 0;
}

/* Whether an answer has the request's shape: one param per argument. */
static bool qcomtee_supp_answer_fits(const struct qcomtee_arg *args,
				     const struct tee_param *params,
				     u32 num_params)
{
	static const u64 attrs[] = {
		[QCOMTEE_ARG_TYPE_IB] = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT,
		[QCOMTEE_ARG_TYPE_OB] = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
		[QCOMTEE_ARG_TYPE_IO] = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT,
		[QCOMTEE_ARG_TYPE_OO] = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT,
	};
	u32 i;

	qcomtee_arg_for_each(i, args)
		if (i >= num_params || params[i].attr != attrs[args[i].type])
			return false;
	return i == num_params;
}

/* Takes the supplicant's outputs of an answer that fits; all or nothing. */
static int qcomtee_supp_unmarshal(struct tee_context *ctx,
				  struct qcomtee_arg *args,
				  struct tee_param *params)
{
	u32 i;
	int err = 0;

	qcomtee_arg_for_each(i, args) {
		struct tee_param *p = &params[i];

		if (args[i].type == QCOMTEE_ARG_TYPE_OB) {
			if (p->u.ubuf.size > args[i].b.size)
				err = -EINVAL;
			else if (copy_from_user(args[i].b.addr, p->u.ubuf.uaddr,
						p->u.ubuf.size))
				err = -EFAULT;
			else
				args[i].b.size = p->u.ubuf.size;
		} else if (args[i].type == QCOMTEE_ARG_TYPE_OO) {
			err = qcomtee_objref_to_object(ctx, &p->u.objref,
						       &args[i].o);
		}
		if (err)
			break;
	}
	if (err)
		qcomtee_put_objects(args, QCOMTEE_ARG_TYPE_OO);
	return err;
}

/**
 * qcomtee_supp_send() - SUPPL_SEND: answer a request
 * @ctx: the process's file.
 * @ret: the object's result; 0 to return the outputs in @params[1..].
 * @num_params: number of params.
 * @params: params[0] is the META value param with the request id.
 *
 * The request is answered in any case; an answer without the request's
 * shape (one param of the matching type per argument) or whose outputs
 * cannot be taken gives QTEE an error. Request ids are not reused soon, so
 * a late answer to a request that is gone finds nothing.
 *
 * Return: 0, or -EINVAL (unknown request, wrong params), -EFAULT.
 */
int qcomtee_supp_send(struct tee_context *ctx, u32 ret, u32 num_params,
		      struct tee_param *params)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_supp_req *req;
	bool abandoned;
	int err = 0;
	u64 id;

	if (num_params < 1 ||
	    params[0].attr != (TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT |
			       TEE_IOCTL_PARAM_ATTR_META))
		return -EINVAL;

	id = params[0].u.value.a;
	mutex_lock(&ctxdata->supp_lock);
	req = qcomtee_supp_take(ctxdata, id);
	if (!req) {
		mutex_unlock(&ctxdata->supp_lock);
		return -EINVAL;
	}
	/* The copy from the answer may fault: not under supp_lock. */
	req->state = QCOMTEE_SUPP_ANSWERING;
	mutex_unlock(&ctxdata->supp_lock);

	if (!ret && !qcomtee_supp_answer_fits(req->args, params + 1,
					      num_params - 1))
		err = -EINVAL;
	else if (!ret)
		err = qcomtee_supp_unmarshal(ctx, req->args, params + 1);

	mutex_lock(&ctxdata->supp_lock);
	/* Read before finishing: @req may be gone once the lock is dropped. */
	abandoned = req->abandoned;
	qcomtee_supp_finish(ctxdata, req, ret ? (int)ret : err);
	mutex_unlock(&ctxdata->supp_lock);
	/* Only a killed invoker waits for the copy of an answer. */
	if (abandoned)
		wake_up_all(&ctxdata->supp_busy_wq);
	return err;
}

/**
 * qcomtee_supp_recv_undeliverable() - A received request never reached
 *	userspace
 * @ctx: the process's file.
 * @func: what qcomtee_supp_recv() returned.
 * @num_params: what qcomtee_supp_recv() returned.
 * @params: what qcomtee_supp_recv() returned; params[0] names the request.
 *
 * The TEE core could not copy the request out: fail it now (QTEE gets an
 * error) and drop the handles made for its input objects, instead of
 * leaving its caller waiting for an answer nobody can send.
 */
void qcomtee_supp_recv_undeliverable(struct tee_context *ctx, u32 func,
				     u32 num_params, struct tee_param *params)
{
	struct qcomtee_context_data *ctxdata = ctx->data;
	struct qcomtee_supp_req *req;
	u64 id = params[0].u.value.b;

	/* A release notification (id 0) is only lost news: none is taken. */
	mutex_lock(&ctxdata->supp_lock);
	req = qcomtee_supp_take(ctxdata, id);
	if (req) {
		qcomtee_supp_undo_handles(ctx, params, num_params);
		qcomtee_supp_finish(ctxdata, req, -EFAULT);
	}
	mutex_unlock(&ctxdata->supp_lock);
}
