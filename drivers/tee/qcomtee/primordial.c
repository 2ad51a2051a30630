// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the primordial object and memory objects.
 *
 * The primordial object (id 0x80000000) is the kernel's permanent service
 * object. Its MAP_REGION op is the only way QTEE learns the physical
 * address of memory the kernel shares, so no other object, and in
 * particular none hosted by userspace, can make QTEE map arbitrary memory.
 * A memory object stands for a tee_shm; the mapping object MAP_REGION
 * returns keeps that memory alive until QTEE releases it.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/delay.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "qcomtee.h"

/* QTEE may sleep through the kernel, but not hold a thread for long. */
#define QCOMTEE_PRIMORDIAL_SLEEP_MAX_MS	1000

/* Read and write, as MAP_REGION reports it. */
#define QCOMTEE_MAP_PERM_RW		6

/* What MAP_REGION writes to its output buffer. */
struct qcomtee_map_region {
	u64 paddr;
	u64 size;
	u32 perms;
} __packed;

struct qcomtee_memobj {
	struct qcomtee_object object;
	struct tee_shm *shm;
};

static const struct qcomtee_object_operations qcomtee_memobj_ops;
static const struct qcomtee_object_operations qcomtee_mapping_ops;

static struct qcomtee_memobj *to_memobj(struct qcomtee_object *object)
{
	if (!object || object->type != QCOMTEE_OBJECT_TYPE_CB ||
	    (object->ops != &qcomtee_memobj_ops &&
	     object->ops != &qcomtee_mapping_ops))
		return NULL;
	return container_of(object, struct qcomtee_memobj, object);
}

/* Memory and mapping objects are only ever invoked to be released. */
static int qcomtee_memobj_dispatch(struct qcomtee_object_invoke_ctx *oic,
				   struct qcomtee_object *object, u32 op,
				   struct qcomtee_arg *args)
{
	return -EINVAL;
}

static void qcomtee_memobj_release(struct qcomtee_object *object)
{
	struct qcomtee_memobj *memobj = to_memobj(object);

	tee_shm_put(memobj->shm);
	atomic_dec(&object->qcomtee->stats.cb_objects);
	qcomtee_put(object->qcomtee);
	kfree(memobj);
}

static const struct qcomtee_object_operations qcomtee_memobj_ops = {
	.dispatch = qcomtee_memobj_dispatch,
	.release = qcomtee_memobj_release,
};

static const struct qcomtee_object_operations qcomtee_mapping_ops = {
	.dispatch = qcomtee_memobj_dispatch,
	.release = qcomtee_memobj_release,
};

static struct qcomtee_object *
qcomtee_memobj_new(struct qcomtee *qcomtee, struct tee_shm *shm,
		   const struct qcomtee_object_operations *ops,
		   const char *name)
{
	struct qcomtee_memobj *memobj;

	memobj = kzalloc(sizeof(*memobj), GFP_KERNEL);
	if (!memobj)
		return NULL;

	qcomtee_object_cb_init(&memobj->object, qcomtee, ops, name);
	tee_shm_get(shm);
	memobj->shm = shm;
	qcomtee_get(qcomtee);
	atomic_inc(&qcomtee->stats.cb_objects);
	return &memobj->object;
}

/**
 * qcomtee_memobj_from_shm() - A memory object for a shared memory buffer
 * @qcomtee: the instance.
 * @shm: physically contiguous shared memory of this instance's TEE device.
 *
 * Return: a new object holding a reference to @shm, or an ERR_PTR:
 * -EINVAL if @shm is not contiguous memory of this device, -ENOMEM.
 */
struct qcomtee_object *qcomtee_memobj_from_shm(struct qcomtee *qcomtee,
					       struct tee_shm *shm)
{
	struct qcomtee_object *object;

	if (!shm->paddr || !shm->size || shm->ctx->teedev != qcomtee->teedev)
		return ERR_PTR(-EINVAL);

	object = qcomtee_memobj_new(qcomtee, shm, &qcomtee_memobj_ops,
				    "memory");
	return object ?: ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_memobj_from_shm);

/**
 * qcomtee_memobj_shm() - The shared memory behind a memory object
 * @object: any object.
 *
 * Return: the tee_shm if @object is a memory object, else NULL.
 */
struct tee_shm *qcomtee_memobj_shm(struct qcomtee_object *object)
{
	struct qcomtee_memobj *memobj = to_memobj(object);

	return memobj && object->ops == &qcomtee_memobj_ops ?
		memobj->shm : NULL;
}

static int qcomtee_map_region(struct qcomtee *qcomtee,
			      struct qcomtee_arg *args)
{
	struct qcomtee_map_region region;
	struct qcomtee_memobj *memobj;
	struct qcomtee_object *mapping;

	if (args[0].type != QCOMTEE_ARG_TYPE_OB ||
	    args[1].type != QCOMTEE_ARG_TYPE_IO ||
	    args[2].type != QCOMTEE_ARG_TYPE_OO ||
	    args[3].type != QCOMTEE_ARG_TYPE_INV ||
	    args[0].b.size < sizeof(region))
		return -EINVAL;

	memobj = to_memobj(args[1].o);
	if (!memobj || args[1].o->ops != &qcomtee_memobj_ops ||
	    args[1].o->qcomtee != qcomtee)
		return -EINVAL;

	mapping = qcomtee_memobj_new(qcomtee, memobj->shm,
				     &qcomtee_mapping_ops, "mapping");
	if (!mapping)
		return -ENOMEM;

	region.paddr = memobj->shm->paddr;
	region.size = memobj->shm->size;
	region.perms = QCOMTEE_MAP_PERM_RW;
	memcpy(args[0].b.addr, &region, sizeof(region));
	args[0].b.size = sizeof(region);
	args[2].o = mapping;
	return 0;
}

static int qcomtee_primordial_dispatch(struct qcomtee_object_invoke_ctx *oic,
				       struct qcomtee_object *object, u32 op,
				       struct qcomtee_arg *args)
{
	u32 ms;

	switch (op) {
	case QCOMTEE_PRIMORDIAL_OP_MAP_REGION:
		return qcomtee_map_region(object->qcomtee, args);
	case QCOMTEE_PRIMORDIAL_OP_YIELD:
		if (args[0].type != QCOMTEE_ARG_TYPE_INV)
			return -EINVAL;
		cond_resched();
		return 0;
	case QCOMTEE_PRIMORDIAL_OP_SLEEP:
		if (args[0].type != QCOMTEE_ARG_TYPE_IB ||
		    args[0].b.size != sizeof(ms) ||
		    args[1].type != QCOMTEE_ARG_TYPE_INV)
			return -EINVAL;
		memcpy(&ms, args[0].b.addr, sizeof(ms));
		msleep_interruptible(min(ms, QCOMTEE_PRIMORDIAL_SLEEP_MAX_MS));
		return 0;
	default:
		return -EINVAL;
	}
}

static void qcomtee_primordial_release(struct qcomtee_object *object)
{
	/* Permanent: its first reference is never dropped. */
	WARN_ON_ONCE(1);
}

static const struct qcomtee_object_operations qcomtee_primordial_ops = {
	.dispatch = qcomtee_primordial_dispatch,
	.release = qcomtee_primordial_release,
};

/**
 * qcomtee_primordial_init() - Set up the instance's permanent objects
 * @qcomtee: the instance.
 */
void qcomtee_primordial_init(struct qcomtee *qcomtee)
{
	qcomtee_object_cb_init(&qcomtee->primordial, qcomtee,
			       &qcomtee_primordial_ops, "primordial");

	kref_init(&qcomtee->root.refcount);
	qcomtee->root.type = QCOMTEE_OBJECT_TYPE_ROOT;
	qcomtee->root.name = "root";
	qcomtee->root.qcomtee = qcomtee;
	qcomtee->root.qtee_id = QCOMTEE_MSG_OBJECT_ROOT;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_primordial_init);
