// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the secure object table and the kernel-hosted ids the
 * secure side holds.
 *
 * Secure objects are kref counted. Every handle given to the kernel is one
 * reference, also counted in obj->kernel_refs so that an id the kernel does
 * not hold (never handed out, or released) is refused with BADOBJ even if
 * the secure side still uses the object internally. kernel_refs of all
 * objects are protected by the xarray's lock.
 *
 * Kernel-hosted ids (bit 31) the kernel hands to the secure side are one
 * reference each; they are counted per id in sim->ns. Dropping one queues
 * the id for an async RELEASE message written into the next outbound buffer
 * that returns to the kernel.
 */

#include <linux/slab.h>

#include "sim.h"

/**
 * qsim_objects_init() - set up the object table with ROOT in it
 * @sim: instance.
 */
void qsim_objects_init(struct qcomtee_sim *sim)
{
	xa_init_flags(&sim->objs, XA_FLAGS_ALLOC | XA_FLAGS_LOCK_IRQ);
	xa_init(&sim->ns);
	mutex_init(&sim->ns_lock);
	sim->next_id = 2;
	qsim_root_init(sim);
	/* ROOT is permanent: the initial reference is never dropped. */
	kref_init(&sim->root.ref);
	sim->root.sim = sim;
	sim->root.id = QSIM_ID_ROOT;
	sim->root.kernel_refs = 1;
	WARN_ON(xa_insert_irq(&sim->objs, QSIM_ID_ROOT, &sim->root,
			      GFP_KERNEL));
}

/**
 * qsim_objects_fini() - free whatever is left at destroy
 * @sim: instance, no longer reachable by the kernel.
 *
 * Objects the kernel still holds are leaks of the kernel side; they are
 * dropped here so the instance frees cleanly.
 */
void qsim_objects_fini(struct qcomtee_sim *sim)
{
	struct qsim_obj *obj;
	unsigned long id;
	unsigned int refs;

	xa_for_each_start(&sim->objs, id, obj, QSIM_ID_ROOT + 1) {
		xa_lock_irq(&sim->objs);
		refs = obj->kernel_refs;
		obj->kernel_refs = 0;
		xa_unlock_irq(&sim->objs);
		/* The object may go away at the last put. */
		while (refs-- > 0)
			qsim_obj_put(obj);
	}
	/* Apps still loaded may hold objects in their slots. */
	qsim_apps_fini(sim);
	xa_erase_irq(&sim->objs, QSIM_ID_ROOT);
	WARN_ON(!xa_empty(&sim->objs));
	xa_destroy(&sim->objs);

	mutex_lock(&sim->ns_lock);
	xa_destroy(&sim->ns);
	sim->ns_refs = 0;
	kfree(sim->pending);
	sim->pending = NULL;
	sim->npending = 0;
	sim->cap_pending = 0;
	mutex_unlock(&sim->ns_lock);
}

/**
 * qsim_obj_add() - put a new object in the table
 * @sim: instance.
 * @obj: object; its kref is initialised to one reference (the caller's).
 * @cls: behaviour.
 *
 * Return: 0, or QSIM_NOSLOTS when the table is full (or a fault says so).
 */
int qsim_obj_add(struct qcomtee_sim *sim, struct qsim_obj *obj,
		 const struct qsim_class *cls)
{
	u32 id;
	int ret;

	kref_init(&obj->ref);
	obj->sim = sim;
	obj->cls = cls;
	obj->kernel_refs = 0;
	obj->defunct = false;

	if (qsim_fault(sim, QCOMTEE_SIM_FAULT_NOSLOTS, NULL))
		return QSIM_NOSLOTS;

	ret = xa_alloc_cyclic_irq(&sim->objs, &id, obj,
				  XA_LIMIT(QSIM_ID_ROOT + 1,
					   sim->cfg.max_objects + 1),
				  &sim->next_id, GFP_KERNEL);
	if (ret < 0)
		return ret == -EBUSY ? QSIM_NOSLOTS : QSIM_MEM;
	obj->id = id;
	atomic_inc(&sim->nobjs);

	return 0;
}

/**
 * qsim_obj_get() - take a reference
 * @obj: object.
 *
 * Return: @obj.
 */
struct qsim_obj *qsim_obj_get(struct qsim_obj *obj)
{
	kref_get(&obj->ref);
	return obj;
}

static void qsim_obj_release(struct kref *ref)
{
	struct qsim_obj *obj = container_of(ref, struct qsim_obj, ref);
	struct qcomtee_sim *sim = obj->sim;

	if (obj->id) {
		xa_erase_irq(&sim->objs, obj->id);
		atomic_dec(&sim->nobjs);
	}
	obj->cls->release(obj);
}

/**
 * qsim_obj_put() - drop a reference
 * @obj: object, may be NULL. Must not be called in atomic context: the
 *	release may free app state and queue async releases.
 */
void qsim_obj_put(struct qsim_obj *obj)
{
	if (obj && obj != &obj->sim->root)
		kref_put(&obj->ref, qsim_obj_release);
}

/**
 * qsim_obj_from_kernel() - resolve an id the kernel sent
 * @sim: instance.
 * @id: secure object id.
 *
 * Return: the object with a new internal reference, or NULL if the kernel
 * holds no reference to @id.
 */
struct qsim_obj *qsim_obj_from_kernel(struct qcomtee_sim *sim, u32 id)
{
	struct qsim_obj *obj;

	if (id == QSIM_ID_NULL || qsim_id_is_ns(id))
		return NULL;

	xa_lock_irq(&sim->objs);
	obj = xa_load(&sim->objs, id);
	if (obj && (!obj->kernel_refs || !kref_get_unless_zero(&obj->ref)))
		obj = NULL;
	xa_unlock_irq(&sim->objs);

	return obj;
}

/**
 * qsim_obj_kernel_release() - the kernel drops one of its references
 * @sim: instance.
 * @id: secure object id.
 *
 * Return: QSIM_OK or QSIM_BADOBJ if the kernel holds none.
 */
int qsim_obj_kernel_release(struct qcomtee_sim *sim, u32 id)
{
	struct qsim_obj *obj;

	if (id == QSIM_ID_ROOT)
		return QSIM_OK;

	xa_lock_irq(&sim->objs);
	obj = xa_load(&sim->objs, id);
	if (obj && obj->kernel_refs)
		obj->kernel_refs--;
	else
		obj = NULL;
	xa_unlock_irq(&sim->objs);
	if (!obj)
		return QSIM_BADOBJ;
	qsim_obj_put(obj);

	return QSIM_OK;
}

/**
 * qsim_obj_kernel_retain() - the kernel takes one more reference
 * @sim: instance.
 * @id: secure object id.
 *
 * Return: QSIM_OK or QSIM_BADOBJ if the kernel holds none to copy.
 */
int qsim_obj_kernel_retain(struct qcomtee_sim *sim, u32 id)
{
	struct qsim_obj *obj;
	int ret = QSIM_BADOBJ;

	if (id == QSIM_ID_ROOT)
		return QSIM_OK;

	xa_lock_irq(&sim->objs);
	obj = xa_load(&sim->objs, id);
	if (obj && obj->kernel_refs && kref_get_unless_zero(&obj->ref)) {
		obj->kernel_refs++;
		ret = QSIM_OK;
	}
	xa_unlock_irq(&sim->objs);

	return ret;
}

/**
 * qsim_obj_grant() - hand the kernel one new reference to @obj
 * @obj: object (the caller keeps its own reference).
 */
void qsim_obj_grant(struct qsim_obj *obj)
{
	if (obj == &obj->sim->root)
		return;
	kref_get(&obj->ref);
	xa_lock_irq(&obj->sim->objs);
	obj->kernel_refs++;
	xa_unlock_irq(&obj->sim->objs);
}

/**
 * qsim_obj_revoke() - undo qsim_obj_grant() for a reference the kernel
 *	never saw
 * @obj: object.
 */
void qsim_obj_revoke(struct qsim_obj *obj)
{
	bool had;

	if (obj == &obj->sim->root)
		return;
	xa_lock_irq(&obj->sim->objs);
	had = obj->kernel_refs > 0;
	if (had)
		obj->kernel_refs--;
	xa_unlock_irq(&obj->sim->objs);
	if (had)
		qsim_obj_put(obj);
}

/**
 * qsim_ns_get() - the secure side received one reference to a kernel id
 * @sim: instance.
 * @id: kernel-hosted id (bit 31 set).
 *
 * The primordial object is permanent and not counted.
 *
 * Return: 0 or -ENOMEM.
 */
int qsim_ns_get(struct qcomtee_sim *sim, u32 id)
{
	unsigned long n;
	void *old;
	int ret = 0;

	if (id == QSIM_ID_PRIMORDIAL)
		return 0;

	mutex_lock(&sim->ns_lock);
	old = xa_load(&sim->ns, id);
	n = old ? xa_to_value(old) : 0;
	old = xa_store(&sim->ns, id, xa_mk_value(n + 1), GFP_KERNEL);
	if (xa_is_err(old))
		ret = xa_err(old);
	else
		sim->ns_refs++;
	mutex_unlock(&sim->ns_lock);

	return ret;
}

/* Drop one counted reference; caller holds ns_lock. */
static bool qsim_ns_dec(struct qcomtee_sim *sim, u32 id)
{
	void *cur = xa_load(&sim->ns, id);
	unsigned long n;

	if (WARN_ON_ONCE(!cur))
		return false;
	n = xa_to_value(cur);
	if (n <= 1)
		xa_erase(&sim->ns, id);
	else
		xa_store(&sim->ns, id, xa_mk_value(n - 1), GFP_KERNEL);
	sim->ns_refs--;

	return true;
}

/**
 * qsim_ns_put() - release one reference to a kernel id by async message
 * @sim: instance.
 * @id: kernel-hosted id.
 *
 * The release is queued and written into the async area of the next
 * outbound buffer that returns to the kernel.
 */
void qsim_ns_put(struct qcomtee_sim *sim, u32 id)
{
	u32 *p;

	if (id == QSIM_ID_PRIMORDIAL || !qsim_id_is_ns(id))
		return;

	mutex_lock(&sim->ns_lock);
	if (!qsim_ns_dec(sim, id))
		goto out;
	if (sim->npending == sim->cap_pending) {
		unsigned int cap = max(2 * sim->cap_pending, 64u);

		p = krealloc_array(sim->pending, cap, sizeof(*p),
				   GFP_KERNEL | __GFP_NOFAIL);
		sim->pending = p;
		sim->cap_pending = cap;
	}
	sim->pending[sim->npending++] = id;
out:
	mutex_unlock(&sim->ns_lock);
}

/**
 * qsim_ns_drop() - forget one reference to a kernel id without queueing a
 *	release (it was released by an explicit callback, or never counted
 *	as the kernel's)
 * @sim: instance.
 * @id: kernel-hosted id.
 */
void qsim_ns_drop(struct qcomtee_sim *sim, u32 id)
{
	if (id == QSIM_ID_PRIMORDIAL || !qsim_id_is_ns(id))
		return;
	mutex_lock(&sim->ns_lock);
	qsim_ns_dec(sim, id);
	mutex_unlock(&sim->ns_lock);
}

/**
 * qsim_take_pending() - dequeue pending releases
 * @sim: instance.
 * @ids: room for @max ids.
 * @max: room.
 *
 * Return: ids dequeued (oldest first).
 */
unsigned int qsim_take_pending(struct qcomtee_sim *sim, u32 *ids,
			       unsigned int max)
{
	unsigned int n;

	mutex_lock(&sim->ns_lock);
	n = min(max, sim->npending);
	memcpy(ids, sim->pending, n * sizeof(*ids));
	memmove(sim->pending, sim->pending + n,
		(sim->npending - n) * sizeof(*ids));
	sim->npending -= n;
	mutex_unlock(&sim->ns_lock);

	return n;
}

/**
 * qsim_oarg_clear() - drop what an object argument holds
 * @sim: instance.
 * @oa: argument.
 * @release: for an owned kernel id, queue an async release (true) or just
 *	forget the reference because it never became the secure side's
 *	(false).
 */
void qsim_oarg_clear(struct qcomtee_sim *sim, struct qsim_oarg *oa,
		     bool release)
{
	if (oa->obj)
		qsim_obj_put(oa->obj);
	if (oa->owned) {
		if (release)
			qsim_ns_put(sim, oa->id);
		else
			qsim_ns_drop(sim, oa->id);
	}
	oa->obj = NULL;
	oa->owned = false;
	oa->id = QSIM_ID_NULL;
}

/**
 * qsim_args_free() - free buffers and drop object references of @args
 * @sim: instance.
 * @args: arguments.
 *
 * Owned kernel ids are the secure side's whatever the outcome of the
 * invocation or callback they came with: real QTEE owns the references to
 * the kernel objects of every request it serviced (an SMC call that
 * returned a final result, error results included) and releases them
 * itself, here by async message.
 */
void qsim_args_free(struct qcomtee_sim *sim, struct qsim_args *args)
{
	unsigned int i;

	for (i = 0; i < args->nib; i++)
		qsim_free(sim, args->ib[i].data);
	for (i = 0; i < args->nob; i++)
		qsim_free(sim, args->ob[i].data);
	for (i = 0; i < args->nio; i++)
		qsim_oarg_clear(sim, &args->io[i], true);
	for (i = 0; i < args->noo; i++)
		qsim_oarg_clear(sim, &args->oo[i], true);
	args->nib = 0;
	args->nob = 0;
	args->nio = 0;
	args->noo = 0;
}

/**
 * qsim_set_oo_obj() - return a secure object in an OO argument
 * @args: arguments.
 * @i: OO index.
 * @obj: object; the caller's reference moves into the argument and becomes
 *	the kernel's when the invocation succeeds.
 */
void qsim_set_oo_obj(struct qsim_args *args, unsigned int i,
		     struct qsim_obj *obj)
{
	args->oo[i].obj = obj;
	args->oo[i].id = obj ? obj->id : QSIM_ID_NULL;
	args->oo[i].owned = false;
}
