// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: object lifetimes and the table of kernel-hosted ids.
 *
 * Ownership rule shared with QTEE: handing the peer the id of an object you
 * host gives the peer one new reference that it must release; handing the
 * peer back an id of an object the peer hosts transfers nothing.
 *
 * QTEE objects are wrapped in a struct qcomtee_object that owns exactly one
 * QTEE reference; when the last local reference goes, RELEASE is sent from a
 * workqueue (puts happen in contexts that must not world-switch, e.g. while
 * answering a callback). Kernel-hosted objects get an id with the NS bit
 * when first handed to QTEE; the id table holds one local reference while
 * QTEE holds any, counted in @ns_refs, and drops it with the last release.
 * The table's xarray lock serialises all of that, lookups included.
 *
 * An id is the NS bit, a generation and a table index (ids.c): exporting an
 * object on every call allocates nothing, and an id QTEE released does not
 * name the next object given the same index.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/slab.h>

#include "qcomtee.h"

/*
 * The last reference may be dropped by a release work item itself (an object
 * that outlived its device), so the instance does not own the workqueue the
 * release work runs on: that is the module's (qcomtee_release_wq).
 */
static void qcomtee_instance_release(struct kref *kref)
{
	struct qcomtee *qcomtee = container_of(kref, struct qcomtee, refcount);

	xa_destroy(&qcomtee->ns_ids);
	percpu_counter_destroy(&qcomtee->inflight);
	qcomtee_msgbuf_pool_free(qcomtee);
	kfree(qcomtee);
}

/**
 * qcomtee_get() - Keep a QTEE instance alive
 * @qcomtee: the instance.
 */
void qcomtee_get(struct qcomtee *qcomtee)
{
	kref_get(&qcomtee->refcount);
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_get);

/**
 * qcomtee_put() - Drop a reference to a QTEE instance
 * @qcomtee: the instance; freed with the last reference.
 */
void qcomtee_put(struct qcomtee *qcomtee)
{
	kref_put(&qcomtee->refcount, qcomtee_instance_release);
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_put);

/**
 * qcomtee_root() - QTEE's ROOT object of an instance
 * @qcomtee: the instance.
 *
 * Return: the permanent ROOT object; get/put on it are harmless.
 */
struct qcomtee_object *qcomtee_root(struct qcomtee *qcomtee)
{
	return &qcomtee->root;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_root);

/**
 * qcomtee_object_get() - Take a reference to an object
 * @object: the object, or NULL (the NULL object).
 */
void qcomtee_object_get(struct qcomtee_object *object)
{
	if (object)
		kref_get(&object->refcount);
}
EXPORT_SYMBOL_GPL(qcomtee_object_get);

/* Drops the kernel's reference to a QTEE object: -EIO if QTEE refused. */
static int qcomtee_object_send_release(struct qcomtee_object *object)
{
	struct qcomtee_arg args[] = { { .type = QCOMTEE_ARG_TYPE_INV } };

	return qcomtee_kernel_invoke(object->qcomtee, object,
				     QCOMTEE_MSG_OBJECT_OP_RELEASE, args);
}

static void qcomtee_object_tee_release_work(struct work_struct *work)
{
	struct qcomtee_object *object =
		container_of(work, struct qcomtee_object, release_work);
	struct qcomtee *qcomtee = object->qcomtee;
	int err;

	if (!READ_ONCE(qcomtee->dead)) {
		err = qcomtee_object_send_release(object);
		/*
		 * Nothing can be retried forever here: QTEE refusing a
		 * release leaks its own object, which it reports itself.
		 */
		if (err) {
			atomic_inc(&qcomtee->stats.release_failed);
			pr_debug("release of %s (%#x) failed: %d\n",
				 object->name, object->qtee_id, err);
		}
	}

	atomic_dec(&qcomtee->stats.tee_objects);
	kfree(object);
	qcomtee_put(qcomtee);
}

/* Queues @id in the orphan table; false if the table is full. */
static bool qcomtee_orphan_add(struct qcomtee *qcomtee, u32 id)
{
	bool added = false;

	spin_lock(&qcomtee->orphans_lock);
	if (qcomtee->num_orphans < QCOMTEE_ORPHANS_MAX) {
		qcomtee->orphans[qcomtee->num_orphans++] = id;
		added = true;
	}
	spin_unlock(&qcomtee->orphans_lock);
	return added;
}

/*
 * Releases the orphaned ids with an object on the stack: no allocation
 * but the message buffers, and those are retried until memory returns.
 */
static void qcomtee_orphan_work(struct work_struct *work)
{
	struct qcomtee *qcomtee = container_of(to_delayed_work(work),
					       struct qcomtee, orphan_work);
	struct qcomtee_object object = {
		.type = QCOMTEE_OBJECT_TYPE_TEE,
		.qcomtee = qcomtee,
		.name = "orphan",
	};
	int err;
	u32 id;

	for (;;) {
		spin_lock(&qcomtee->orphans_lock);
		if (!qcomtee->num_orphans) {
			spin_unlock(&qcomtee->orphans_lock);
			return;
		}
		id = qcomtee->orphans[--qcomtee->num_orphans];
		spin_unlock(&qcomtee->orphans_lock);

		/* QTEE is gone: nothing to release any more. */
		if (READ_ONCE(qcomtee->dead))
			continue;

		kref_init(&object.refcount);
		object.qtee_id = id;
		err = qcomtee_object_send_release(&object);
		if (err == -ENOMEM && qcomtee_orphan_add(qcomtee, id)) {
			/* Give the system time to free memory. */
			queue_delayed_work(qcomtee->release_wq,
					   &qcomtee->orphan_work, HZ / 10);
			return;
		}
		if (err)
			atomic_inc(&qcomtee->stats.release_failed);
	}
}

/**
 * qcomtee_orphans_init() - Set up the release of orphaned QTEE ids
 * @qcomtee: a new instance.
 */
void qcomtee_orphans_init(struct qcomtee *qcomtee)
{
	spin_lock_init(&qcomtee->orphans_lock);
	INIT_DELAYED_WORK(&qcomtee->orphan_work, qcomtee_orphan_work);
}

/**
 * qcomtee_release_orphan() - Release a QTEE reference the kernel cannot wrap
 * @qcomtee: the instance.
 * @qtee_id: QTEE's id of the object (no NS bit, not NULL).
 *
 * For a reference QTEE gave when there was no memory for its wrapper: the
 * id is queued in a fixed table and released from the release workqueue.
 * Only if the table is full does QTEE's object leak (counted).
 */
void qcomtee_release_orphan(struct qcomtee *qcomtee, u32 qtee_id)
{
	if (qcomtee_orphan_add(qcomtee, qtee_id)) {
		/* Now, even if a retry was waiting for memory. */
		mod_delayed_work(qcomtee->release_wq, &qcomtee->orphan_work,
				 0);
	} else {
		atomic_inc(&qcomtee->stats.release_failed);
		pr_warn_ratelimited("QTEE object %#x leaked\n",
				    qtee_id);
	}
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_release_orphan);

/**
 * qcomtee_release_flush() - Wait for the releases queued so far
 * @qcomtee: the instance.
 */
void qcomtee_release_flush(struct qcomtee *qcomtee)
{
	flush_delayed_work(&qcomtee->orphan_work);
	flush_workqueue(qcomtee->release_wq);
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_release_flush);

static void qcomtee_object_release(struct kref *kref)
{
	struct qcomtee_object *object =
		container_of(kref, struct qcomtee_object, refcount);

	switch (object->type) {
	case QCOMTEE_OBJECT_TYPE_TEE:
		queue_work(object->qcomtee->release_wq, &object->release_work);
		break;
	case QCOMTEE_OBJECT_TYPE_CB:
		object->ops->release(object);
		break;
	default:
		/* ROOT and the primordial object are never released. */
		WARN_ON_ONCE(1);
	}
}

/**
 * qcomtee_object_put() - Drop a reference to an object
 * @object: the object, or NULL (the NULL object).
 *
 * The last reference to a QTEE object sends RELEASE to QTEE
 * asynchronously; for a kernel-hosted object it calls its release op.
 */
void qcomtee_object_put(struct qcomtee_object *object)
{
	/* ROOT and the primordial object keep their first reference. */
	if (object)
		kref_put(&object->refcount, qcomtee_object_release);
}
EXPORT_SYMBOL_GPL(qcomtee_object_put);

/**
 * qcomtee_object_cb_init() - Initialise a kernel-hosted object
 * @object: the object, embedded in the host's own structure.
 * @qcomtee: the QTEE instance it will be handed to.
 * @ops: its operations; @ops->release frees it.
 * @name: a constant name for messages.
 *
 * The caller owns the first reference.
 */
void qcomtee_object_cb_init(struct qcomtee_object *object,
			    struct qcomtee *qcomtee,
			    const struct qcomtee_object_operations *ops,
			    const char *name)
{
	kref_init(&object->refcount);
	object->type = QCOMTEE_OBJECT_TYPE_CB;
	object->name = name;
	object->qcomtee = qcomtee;
	object->ops = ops;
	object->ns_id = 0;
	object->ns_refs = 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_object_cb_init);

/**
 * qcomtee_object_tee_new() - Wrap a reference QTEE gave the kernel
 * @qcomtee: the instance.
 * @qtee_id: QTEE's id of the object (no NS bit, not NULL).
 *
 * Return: an object owning that reference, or NULL when out of memory; the
 * caller then gives the reference back with qcomtee_release_orphan().
 */
struct qcomtee_object *qcomtee_object_tee_new(struct qcomtee *qcomtee,
					      u32 qtee_id)
{
	struct qcomtee_object *object;

	/* Charged to the invoker, which is whom QTEE answered. */
	object = kzalloc(sizeof(*object), GFP_KERNEL_ACCOUNT);
	if (!object)
		return NULL;

	kref_init(&object->refcount);
	object->type = QCOMTEE_OBJECT_TYPE_TEE;
	object->qcomtee = qcomtee;
	object->qtee_id = qtee_id;
	object->name = "qtee";
	INIT_WORK(&object->release_work, qcomtee_object_tee_release_work);
	qcomtee_get(qcomtee);
	atomic_inc(&qcomtee->stats.tee_objects);
	return object;
}

#define QCOMTEE_NS_INDEX_MASK	GENMASK(19, 0)
#define QCOMTEE_NS_GEN_MASK	GENMASK(30, 20)

/**
 * qcomtee_ns_ids_init() - Set up the table of kernel-hosted ids
 * @qcomtee: a new instance.
 *
 * Return: 0, or -ENOMEM.
 */
int qcomtee_ns_ids_init(struct qcomtee *qcomtee)
{
	return qcomtee_ids_init(&qcomtee->ns_ids, GFP_KERNEL);
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_ns_ids_init);

/*
 * The object QTEE holds under @id, or NULL: the index must hold an object
 * that has exactly this id, generation included. Table lock held.
 */
static struct qcomtee_object *qcomtee_ns_find(struct qcomtee *qcomtee, u32 id)
{
	struct qcomtee_object *object;

	lockdep_assert_held(&qcomtee->ns_ids.xa_lock);
	if (!(id & QCOMTEE_MSG_OBJECT_NS_BIT))
		return NULL;
	object = xa_load(&qcomtee->ns_ids, id & QCOMTEE_NS_INDEX_MASK);
	return object && object->ns_id == id ? object : NULL;
}

/**
 * qcomtee_object_ns_export() - Give QTEE a reference to a kernel object
 * @object: a kernel-hosted object of this instance.
 * @id: its id for QTEE, with the NS bit set.
 *
 * The first reference QTEE takes allocates the id and makes the table hold
 * a local reference; every export adds one QTEE reference. Undo an export
 * QTEE never saw with qcomtee_object_ns_unexport().
 *
 * Return: 0, -ENOSPC when the id space is exhausted or -ENOMEM.
 */
int qcomtee_object_ns_export(struct qcomtee_object *object, u32 *id)
{
	struct qcomtee *qcomtee = object->qcomtee;
	int err = 0;
	u32 id_bits;

	if (object == &qcomtee->primordial) {
		*id = QCOMTEE_MSG_OBJECT_PRIMORDIAL;
		return 0;
	}

	xa_lock(&qcomtee->ns_ids);
	if (!object->ns_refs) {
		/* Only growing the table allocates (beyond 62 live ids). */
		err = __qcomtee_ids_alloc(&qcomtee->ns_ids, object,
					  QCOMTEE_NS_INDEX_MASK,
					  QCOMTEE_NS_GEN_MASK, &qcomtee->ns_gen,
					  &id_bits, GFP_ATOMIC);
		if (err)
			goto out;
		object->ns_id = QCOMTEE_MSG_OBJECT_NS_BIT | id_bits;
		kref_get(&object->refcount);
		atomic_inc(&qcomtee->stats.cb_exported);
	}
	object->ns_refs++;
	*id = object->ns_id;
out:
	xa_unlock(&qcomtee->ns_ids);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_object_ns_export);

/* Drops one QTEE reference; returns true if it was the last. */
static bool qcomtee_object_ns_drop(struct qcomtee_object *object)
{
	struct qcomtee *qcomtee = object->qcomtee;

	lockdep_assert_held(&qcomtee->ns_ids.xa_lock);
	if (--object->ns_refs)
		return false;

	__xa_erase(&qcomtee->ns_ids, object->ns_id & QCOMTEE_NS_INDEX_MASK);
	object->ns_id = 0;
	atomic_dec(&qcomtee->stats.cb_exported);
	return true;
}

/**
 * qcomtee_object_ns_unexport() - Undo a qcomtee_object_ns_export()
 * @object: the object QTEE did not receive after all.
 */
void qcomtee_object_ns_unexport(struct qcomtee_object *object)
{
	struct qcomtee *qcomtee = object->qcomtee;
	bool last;

	if (object == &qcomtee->primordial)
		return;

	xa_lock(&qcomtee->ns_ids);
	last = qcomtee_object_ns_drop(object);
	xa_unlock(&qcomtee->ns_ids);
	if (last)
		qcomtee_object_put(object);
}

/**
 * qcomtee_object_ns_lookup() - Find the kernel object behind an NS id
 * @qcomtee: the instance.
 * @id: an id QTEE sent.
 *
 * Return: a new local reference to the object, or NULL if QTEE holds no
 * reference under @id (never handed out, or already released).
 */
struct qcomtee_object *qcomtee_object_ns_lookup(struct qcomtee *qcomtee,
						u32 id)
{
	struct qcomtee_object *object;

	if (id == QCOMTEE_MSG_OBJECT_PRIMORDIAL) {
		qcomtee_object_get(&qcomtee->primordial);
		return &qcomtee->primordial;
	}

	/*
	 * Under the table lock: while an object is in the table the table
	 * holds a reference, and hosts free their objects when the last
	 * reference goes without waiting for an RCU grace period.
	 */
	xa_lock(&qcomtee->ns_ids);
	object = qcomtee_ns_find(qcomtee, id);
	qcomtee_object_get(object);
	xa_unlock(&qcomtee->ns_ids);
	return object;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_object_ns_lookup);

/**
 * qcomtee_object_ns_release() - QTEE drops one reference to a kernel object
 * @qcomtee: the instance.
 * @id: the id QTEE released.
 *
 * Return: 0, or -EINVAL if QTEE holds no reference under @id.
 */
int qcomtee_object_ns_release(struct qcomtee *qcomtee, u32 id)
{
	struct qcomtee_object *object;
	bool last;

	/* The primordial object is permanent: releasing it does nothing. */
	if (id == QCOMTEE_MSG_OBJECT_PRIMORDIAL)
		return 0;

	xa_lock(&qcomtee->ns_ids);
	object = qcomtee_ns_find(qcomtee, id);
	if (!object) {
		xa_unlock(&qcomtee->ns_ids);
		return -EINVAL;
	}
	last = qcomtee_object_ns_drop(object);
	xa_unlock(&qcomtee->ns_ids);
	if (last)
		qcomtee_object_put(object);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_object_ns_release);

/**
 * qcomtee_object_ns_retain() - QTEE takes one more reference
 * @qcomtee: the instance.
 * @id: the id QTEE retains.
 *
 * Return: 0, or -EINVAL if QTEE holds no reference under @id.
 */
int qcomtee_object_ns_retain(struct qcomtee *qcomtee, u32 id)
{
	struct qcomtee_object *object;
	int err = -EINVAL;

	if (id == QCOMTEE_MSG_OBJECT_PRIMORDIAL)
		return 0;

	xa_lock(&qcomtee->ns_ids);
	object = qcomtee_ns_find(qcomtee, id);
	if (object) {
		object->ns_refs++;
		err = 0;
	}
	xa_unlock(&qcomtee->ns_ids);
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_object_ns_retain);

/**
 * qcomtee_ns_release_all() - Drop every reference QTEE held
 * @qcomtee: the instance, whose QTEE is gone.
 *
 * Called when the device goes away: QTEE will never release what it held.
 */
void qcomtee_ns_release_all(struct qcomtee *qcomtee)
{
	struct qcomtee_object *object;
	unsigned long id;

	xa_lock(&qcomtee->ns_ids);
	xa_for_each(&qcomtee->ns_ids, id, object) {
		object->ns_refs = 1;
		qcomtee_object_ns_drop(object);
		xa_unlock(&qcomtee->ns_ids);
		qcomtee_object_put(object);
		xa_lock(&qcomtee->ns_ids);
	}
	xa_unlock(&qcomtee->ns_ids);
}
