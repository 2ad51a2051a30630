// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the secure object table and the kernel-hosted ids the
 * secure side holds (a model file: host.h).
 *
 * Secure objects are reference counted. Every handle given to the kernel
 * is one reference, also counted in obj->kernel_refs so that an id the
 * kernel does not hold (never handed out, or released) is refused with
 * BADOBJ even if the secure side still uses the object internally.
 * kernel_refs of all objects are protected by the table's lock.
 *
 * The table is an array indexed by id, as QTEE's is: ids are allocated
 * cyclically from 2 (1 is ROOT) up to the capacity, and the array grows on
 * demand up to it, so a small table costs little.
 *
 * Kernel-hosted ids (bit 31) the kernel hands to the secure side are one
 * reference each; they are counted per id in an open-addressing hash.
 * Dropping one queues the id for an async RELEASE message written into the
 * next outbound buffer that returns to the kernel. Room for every queued
 * release is reserved when the reference is taken, where running out of
 * memory can still be answered (MEM), so that dropping one never fails.
 */

#include "model.h"

#define QSIM_SLOTS_MIN		64u
#define QSIM_NS_MIN		64u
#define QSIM_PENDING_MIN	64u
/* Hash slots that are not ids: kernel ids always have bit 31 set. */
#define QSIM_NS_EMPTY		0u
#define QSIM_NS_DELETED		1u

/**
 * qsim_core_init() - set up an empty object table with ROOT in it
 * @core: the table.
 * @sim: the host's instance, recorded in the objects.
 * @root: the ROOT object (its class is the host's to set).
 * @max_objects: capacity, ROOT excluded (at least 1).
 * @heap: the instance's secure heap.
 * @faults: the instance's faults.
 */
void qsim_core_init(struct qsim_core *core, struct qcomtee_sim *sim,
		    struct qsim_obj *root, unsigned int max_objects,
		    struct qsim_heap *heap, struct qsim_faults *faults)
{
	memset(core, 0, sizeof(*core));
	core->sim = sim;
	core->heap = heap;
	core->faults = faults;
	core->root = root;
	qsim_spin_init(&core->lock);
	qsim_mutex_init(&core->ns_lock);
	core->max_id = QSIM_ID_ROOT + max_objects;
	core->next_id = QSIM_ID_ROOT + 1;
	qsim_atomic_set(&core->nobjs, 0);

	/* ROOT is permanent: the initial reference is never dropped. */
	qsim_ref_init(&root->ref);
	root->sim = sim;
	root->core = core;
	root->id = QSIM_ID_ROOT;
	root->kernel_refs = 1;
	root->defunct = false;
}

/**
 * qsim_core_drop_kernel_refs() - drop every reference the kernel holds
 * @core: the table, no longer reachable by the kernel.
 *
 * Objects the kernel still holds are leaks of the kernel side; they are
 * dropped so the instance frees cleanly.
 */
void qsim_core_drop_kernel_refs(struct qsim_core *core)
{
	struct qsim_obj *obj;
	unsigned int refs;
	u32 id;

	for (id = QSIM_ID_ROOT + 1; id < core->nslots; id++) {
		qsim_spin_lock(&core->lock);
		obj = core->slots[id];
		refs = 0;
		/* An object whose last put is under way is gone already. */
		if (obj && qsim_ref_get_unless_zero(&obj->ref)) {
			refs = obj->kernel_refs;
			obj->kernel_refs = 0;
		} else {
			obj = NULL;
		}
		qsim_spin_unlock(&core->lock);
		if (!obj)
			continue;
		/* The object may go away at the last put. */
		while (refs-- > 0)
			qsim_obj_put(obj);
		qsim_obj_put(obj);
	}
}

/**
 * qsim_core_fini() - free the table
 * @core: the table; only ROOT may be left in it.
 */
void qsim_core_fini(struct qsim_core *core)
{
	WARN_ON(qsim_atomic_read(&core->nobjs));
	qsim_host_free(core->slots);
	core->slots = NULL;
	core->nslots = 0;

	qsim_mutex_lock(&core->ns_lock);
	qsim_host_free(core->ns);
	core->ns = NULL;
	core->ns_cap = 0;
	core->ns_ids = 0;
	core->ns_filled = 0;
	core->ns_refs = 0;
	qsim_host_free(core->pending);
	core->pending = NULL;
	core->npending = 0;
	core->cap_pending = 0;
	qsim_mutex_unlock(&core->ns_lock);
	qsim_mutex_destroy(&core->ns_lock);
}

/**
 * qsim_core_counts() - what the table holds right now
 * @core: the table.
 * @objects: live objects excluding ROOT.
 * @ns_refs: references to kernel ids held.
 * @ns_ids: distinct kernel ids held.
 * @pending: releases not yet written to the kernel.
 */
void qsim_core_counts(struct qsim_core *core, unsigned int *objects,
		      unsigned int *ns_refs, unsigned int *ns_ids,
		      unsigned int *pending)
{
	*objects = qsim_atomic_read(&core->nobjs);
	qsim_mutex_lock(&core->ns_lock);
	*ns_refs = core->ns_refs;
	*ns_ids = core->ns_ids;
	*pending = core->npending;
	qsim_mutex_unlock(&core->ns_lock);
}

/* The lowest free id in [from, to), or 0; caller holds the lock. */
static u32 qsim_free_id(struct qsim_core *core, u32 from, u32 to)
{
	u32 id;

	for (id = from; id < to; id++)
		if (id >= core->nslots || !core->slots[id])
			return id;

	return 0;
}

/*
 * Make room in @slots for @id: the new array is allocated without the
 * lock held, then swapped in unless another caller grew it meanwhile.
 */
static int qsim_grow_slots(struct qsim_core *core, u32 id)
{
	struct qsim_obj **slots, **old = NULL;
	u32 n = max(core->nslots, QSIM_SLOTS_MIN);

	while (n <= id)
		n *= 2;
	n = min(n, core->max_id + 1);
	slots = qsim_host_zalloc(n * sizeof(*slots));
	if (!slots)
		return -ENOMEM;

	qsim_spin_lock(&core->lock);
	if (core->nslots < n) {
		if (core->nslots)
			memcpy(slots, core->slots,
			       core->nslots * sizeof(*slots));
		old = core->slots;
		core->slots = slots;
		core->nslots = n;
		slots = NULL;
	}
	qsim_spin_unlock(&core->lock);
	qsim_host_free(slots);
	qsim_host_free(old);

	return 0;
}

/**
 * qsim_obj_add() - put a new object in the table
 * @core: the table.
 * @obj: object; its reference count is initialised to one reference (the
 *	caller's).
 * @cls: behaviour.
 *
 * Return: 0, or QSIM_NOSLOTS when the table is full (or a fault says so),
 * QSIM_MEM when the table cannot grow.
 */
int qsim_obj_add(struct qsim_core *core, struct qsim_obj *obj,
		 const struct qsim_class *cls)
{
	bool placed;
	u32 id;

	qsim_ref_init(&obj->ref);
	obj->sim = core->sim;
	obj->core = core;
	obj->cls = cls;
	obj->kernel_refs = 0;
	obj->defunct = false;
	obj->id = 0;

	if (qsim_faults_fire(core->faults, QCOMTEE_SIM_FAULT_NOSLOTS, NULL))
		return QSIM_NOSLOTS;

	for (;;) {
		placed = false;
		qsim_spin_lock(&core->lock);
		id = qsim_free_id(core, core->next_id, core->max_id + 1);
		if (!id)
			id = qsim_free_id(core, QSIM_ID_ROOT + 1,
					  core->next_id);
		if (id && id < core->nslots) {
			core->slots[id] = obj;
			core->next_id = id + 1 > core->max_id ?
					QSIM_ID_ROOT + 1 : id + 1;
			placed = true;
		}
		qsim_spin_unlock(&core->lock);
		if (!id)
			return QSIM_NOSLOTS;
		if (placed)
			break;
		if (qsim_grow_slots(core, id))
			return QSIM_MEM;
	}
	obj->id = id;
	qsim_atomic_inc(&core->nobjs);

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
	qsim_ref_get(&obj->ref);
	return obj;
}

static void qsim_obj_release(qsim_ref_t *ref)
{
	struct qsim_obj *obj = container_of(ref, struct qsim_obj, ref);
	struct qsim_core *core = obj->core;

	if (obj->id) {
		qsim_spin_lock(&core->lock);
		core->slots[obj->id] = NULL;
		qsim_spin_unlock(&core->lock);
		qsim_atomic_dec(&core->nobjs);
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
	if (obj && obj != obj->core->root)
		qsim_ref_put(&obj->ref, qsim_obj_release);
}

/* The object @id names, or NULL; caller holds the lock. */
static struct qsim_obj *qsim_obj_lookup(struct qsim_core *core, u32 id)
{
	return id < core->nslots ? core->slots[id] : NULL;
}

/**
 * qsim_obj_from_kernel() - resolve an id the kernel sent
 * @core: the table.
 * @id: secure object id, from the kernel: any value.
 *
 * Return: the object with a new internal reference, or NULL if the kernel
 * holds no reference to @id.
 */
struct qsim_obj *qsim_obj_from_kernel(struct qsim_core *core, u32 id)
{
	struct qsim_obj *obj;

	if (id == QSIM_ID_NULL || qsim_id_is_ns(id))
		return NULL;
	if (id == QSIM_ID_ROOT)
		return core->root;

	qsim_spin_lock(&core->lock);
	obj = qsim_obj_lookup(core, id);
	if (obj && (!obj->kernel_refs || !qsim_ref_get_unless_zero(&obj->ref)))
		obj = NULL;
	qsim_spin_unlock(&core->lock);

	return obj;
}

/**
 * qsim_obj_kernel_release() - the kernel drops one of its references
 * @core: the table.
 * @id: secure object id, from the kernel.
 *
 * Return: QSIM_OK or QSIM_BADOBJ if the kernel holds none.
 */
int qsim_obj_kernel_release(struct qsim_core *core, u32 id)
{
	struct qsim_obj *obj;

	if (id == QSIM_ID_ROOT)
		return QSIM_OK;

	qsim_spin_lock(&core->lock);
	obj = qsim_obj_lookup(core, id);
	if (obj && obj->kernel_refs)
		obj->kernel_refs--;
	else
		obj = NULL;
	qsim_spin_unlock(&core->lock);
	if (!obj)
		return QSIM_BADOBJ;
	qsim_obj_put(obj);

	return QSIM_OK;
}

/**
 * qsim_obj_kernel_retain() - the kernel takes one more reference
 * @core: the table.
 * @id: secure object id, from the kernel.
 *
 * Return: QSIM_OK or QSIM_BADOBJ if the kernel holds none to copy.
 */
int qsim_obj_kernel_retain(struct qsim_core *core, u32 id)
{
	struct qsim_obj *obj;
	int ret = QSIM_BADOBJ;

	if (id == QSIM_ID_ROOT)
		return QSIM_OK;

	qsim_spin_lock(&core->lock);
	obj = qsim_obj_lookup(core, id);
	if (obj && obj->kernel_refs && qsim_ref_get_unless_zero(&obj->ref)) {
		obj->kernel_refs++;
		ret = QSIM_OK;
	}
	qsim_spin_unlock(&core->lock);

	return ret;
}

/**
 * qsim_obj_grant() - hand the kernel one new reference to @obj
 * @obj: object (the caller keeps its own reference).
 */
void qsim_obj_grant(struct qsim_obj *obj)
{
	if (obj == obj->core->root)
		return;
	qsim_ref_get(&obj->ref);
	qsim_spin_lock(&obj->core->lock);
	obj->kernel_refs++;
	qsim_spin_unlock(&obj->core->lock);
}

/**
 * qsim_obj_revoke() - undo qsim_obj_grant() for a reference the kernel
 *	never saw
 * @obj: object.
 */
void qsim_obj_revoke(struct qsim_obj *obj)
{
	bool had;

	if (obj == obj->core->root)
		return;
	qsim_spin_lock(&obj->core->lock);
	had = obj->kernel_refs > 0;
	if (had)
		obj->kernel_refs--;
	qsim_spin_unlock(&obj->core->lock);
	if (had)
		qsim_obj_put(obj);
}

/* The hash slot of @id, or of the first free slot for it; ns_lock held. */
static struct qsim_ns_ref *qsim_ns_slot(struct qsim_core *core, u32 id)
{
	struct qsim_ns_ref *free = NULL, *e;
	u32 mask = core->ns_cap - 1, i, n;

	/* Fibonacci hashing spreads the kernel's consecutive ids. */
	i = (id * 0x9e3779b9u) & mask;
	for (n = 0; n < core->ns_cap; n++, i = (i + 1) & mask) {
		e = &core->ns[i];
		if (e->id == id)
			return e;
		if (e->id == QSIM_NS_DELETED && !free)
			free = e;
		if (e->id == QSIM_NS_EMPTY)
			return free ? free : e;
	}

	return free;
}

/* Rehash into @cap slots (dropping deleted ones); ns_lock held. */
static int qsim_ns_rehash(struct qsim_core *core, u32 cap)
{
	struct qsim_ns_ref *old = core->ns, *e;
	u32 old_cap = core->ns_cap, i;

	core->ns = qsim_host_zalloc(cap * sizeof(*core->ns));
	if (!core->ns) {
		core->ns = old;
		return -ENOMEM;
	}
	core->ns_cap = cap;
	core->ns_filled = core->ns_ids;
	for (i = 0; i < old_cap; i++) {
		if (old[i].id == QSIM_NS_EMPTY || old[i].id == QSIM_NS_DELETED)
			continue;
		e = qsim_ns_slot(core, old[i].id);
		*e = old[i];
	}
	qsim_host_free(old);

	return 0;
}

/* Room for one more release than references could ever queue. */
static int qsim_pending_reserve(struct qsim_core *core)
{
	unsigned int need = core->ns_refs + core->npending + 1, cap;
	u32 *p;

	if (need <= core->cap_pending)
		return 0;
	cap = max(2 * core->cap_pending, QSIM_PENDING_MIN);
	while (cap < need)
		cap *= 2;
	p = qsim_host_zalloc(cap * sizeof(*p));
	if (!p)
		return -ENOMEM;
	if (core->npending)
		memcpy(p, core->pending, core->npending * sizeof(*p));
	qsim_host_free(core->pending);
	core->pending = p;
	core->cap_pending = cap;

	return 0;
}

/**
 * qsim_ns_get() - the secure side received one reference to a kernel id
 * @core: the table.
 * @id: kernel-hosted id (bit 31 set).
 *
 * The primordial object is permanent and not counted.
 *
 * Return: 0 or -ENOMEM.
 */
int qsim_ns_get(struct qsim_core *core, u32 id)
{
	struct qsim_ns_ref *e;
	int ret;

	if (id == QSIM_ID_PRIMORDIAL)
		return 0;

	qsim_mutex_lock(&core->ns_lock);
	ret = qsim_pending_reserve(core);
	if (ret)
		goto out;
	/* At most 3/4 of the slots in use or deleted keeps probes short. */
	if (4 * (core->ns_filled + 1) > 3 * core->ns_cap) {
		ret = qsim_ns_rehash(core, core->ns_ids + 1 > core->ns_cap / 2 ?
				     max(2 * core->ns_cap, QSIM_NS_MIN) :
				     core->ns_cap);
		if (ret)
			goto out;
	}
	e = qsim_ns_slot(core, id);
	if (e->id != id) {
		if (e->id == QSIM_NS_EMPTY)
			core->ns_filled++;
		e->id = id;
		e->count = 0;
		core->ns_ids++;
	}
	e->count++;
	core->ns_refs++;
out:
	qsim_mutex_unlock(&core->ns_lock);

	return ret;
}

/* Drop one counted reference; caller holds ns_lock. */
static bool qsim_ns_dec(struct qsim_core *core, u32 id)
{
	struct qsim_ns_ref *e = core->ns_cap ? qsim_ns_slot(core, id) : NULL;

	if (WARN_ON_ONCE(!e || e->id != id))
		return false;
	if (--e->count == 0) {
		e->id = QSIM_NS_DELETED;
		core->ns_ids--;
	}
	core->ns_refs--;

	return true;
}

/**
 * qsim_ns_put() - release one reference to a kernel id by async message
 * @core: the table.
 * @id: kernel-hosted id.
 *
 * The release is queued and written into the async area of the next
 * outbound buffer that returns to the kernel.
 */
void qsim_ns_put(struct qsim_core *core, u32 id)
{
	if (id == QSIM_ID_PRIMORDIAL || !qsim_id_is_ns(id))
		return;

	qsim_mutex_lock(&core->ns_lock);
	/* Room was reserved when the reference was taken. */
	if (qsim_ns_dec(core, id) &&
	    !WARN_ON(core->npending >= core->cap_pending))
		core->pending[core->npending++] = id;
	qsim_mutex_unlock(&core->ns_lock);
}

/**
 * qsim_ns_drop() - forget one reference to a kernel id without queueing a
 *	release (it was released by an explicit callback, or never counted
 *	as the kernel's)
 * @core: the table.
 * @id: kernel-hosted id.
 */
void qsim_ns_drop(struct qsim_core *core, u32 id)
{
	if (id == QSIM_ID_PRIMORDIAL || !qsim_id_is_ns(id))
		return;
	qsim_mutex_lock(&core->ns_lock);
	qsim_ns_dec(core, id);
	qsim_mutex_unlock(&core->ns_lock);
}

/**
 * qsim_take_pending() - dequeue pending releases
 * @core: the table.
 * @ids: room for @max ids.
 * @max: room.
 *
 * Return: ids dequeued (oldest first).
 */
unsigned int qsim_take_pending(struct qsim_core *core, u32 *ids,
			       unsigned int max)
{
	unsigned int n;

	qsim_mutex_lock(&core->ns_lock);
	n = min(max, core->npending);
	if (n) {
		memcpy(ids, core->pending, n * sizeof(*ids));
		memmove(core->pending, core->pending + n,
			(core->npending - n) * sizeof(*ids));
	}
	core->npending -= n;
	qsim_mutex_unlock(&core->ns_lock);

	return n;
}

/**
 * qsim_oarg_clear() - drop what an object argument holds
 * @core: the table.
 * @oa: argument.
 * @release: for an owned kernel id, queue an async release (true) or just
 *	forget the reference because it never became the secure side's
 *	(false).
 */
void qsim_oarg_clear(struct qsim_core *core, struct qsim_oarg *oa,
		     bool release)
{
	if (oa->obj)
		qsim_obj_put(oa->obj);
	if (oa->owned) {
		if (release)
			qsim_ns_put(core, oa->id);
		else
			qsim_ns_drop(core, oa->id);
	}
	oa->obj = NULL;
	oa->owned = false;
	oa->id = QSIM_ID_NULL;
}

/**
 * qsim_args_free() - free buffers and drop object references of @args
 * @core: the table.
 * @args: arguments.
 *
 * Owned kernel ids are the secure side's whatever the outcome of the
 * invocation or callback they came with: real QTEE owns the references to
 * the kernel objects of every request it serviced (an SMC call that
 * returned a final result, error results included) and releases them
 * itself, here by async message.
 */
void qsim_args_free(struct qsim_core *core, struct qsim_args *args)
{
	unsigned int i;

	for (i = 0; i < args->nib; i++)
		qsim_heap_free(core->heap, args->ib[i].data);
	for (i = 0; i < args->nob; i++)
		qsim_heap_free(core->heap, args->ob[i].data);
	for (i = 0; i < args->nio; i++)
		qsim_oarg_clear(core, &args->io[i], true);
	for (i = 0; i < args->noo; i++)
		qsim_oarg_clear(core, &args->oo[i], true);
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
