// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: loaded apps, app controllers and the built-in apps.
 *
 * Loading an image validates it (elf.c) and binds its metadata name to a
 * built-in implementation. The app loader returns an app controller; the
 * controller hands out app objects (op 2) and unloads the app (op 1, or
 * when its last reference goes). After unload the app's objects answer
 * DEFUNCT and whatever the app held is released.
 *
 * Built-in apps: "smcinvoke_skeleton_ta64" (op 0 add), the project's
 * test app "qcomtee_test_app" (qcomtee_sim_testapp.h), "tzecotestapp"
 * (tzecotest.c) and the GP TA "gptest" (gptest.c).
 *
 * GP sessions (gp.c) find their TA by the UUID of its metadata ("u"). A TA
 * that is not loaded is autoloaded: QTEE asks the registered TA-buffer
 * provider for the image (get(uuid)), loads the memory object it returns
 * as loadFromRegion does and checks that the image carries that UUID.
 * [I] QTEE keeps the controller of an app it autoloaded and unloads the
 * app when its last session closes, as a GP TA instance without
 * gpd.ta.instanceKeepAlive ends; an app a client loaded stays until the
 * client unloads it, and its sessions then answer DEFUNCT.
 */

#include <linux/delay.h>
#include <linux/kref.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "sim.h"
#include "qcomtee_sim_testapp.h"

#define QSIM_CTRL_OP_UNLOAD		1
#define QSIM_CTRL_OP_GET_APP		2
#define QSIM_CTRL_OP_SET_CANCEL		3
#define QSIM_CTRL_OP_GET_CANCEL		4
#define QSIM_CTRL_ERR_UNLOADED		12

#define QSIM_LOAD_ERR_SIGNATURE		12
#define QSIM_LOAD_ERR_TOO_MANY		14
#define QSIM_LOAD_ERR_LOADED		16

/* Callback OB the app asks for; the outbound buffer bounds it further. */
#define QSIM_TA_MAX_CB_DATA		(64u << 10)
#define QSIM_COUNTER_INIT		0

struct qsim_app;

/**
 * struct qsim_app_impl - a built-in app
 * @name: metadata name.
 * @cls: class of its app objects.
 * @invoke: handle an op on one of its app objects.
 * @gp: run GP command @cmd on a session; NULL if it is not a GP TA.
 */
struct qsim_app_impl {
	const char *name;
	const struct qsim_class *cls;
	int (*invoke)(struct qsim_app *app, struct qsim_call *call, u32 op,
		      struct qsim_args *a);
	int (*gp)(struct qsim_app *app, struct qsim_call *call, u32 cmd,
		  struct qsim_gp_param *p, struct qsim_gp_result *res);
};

/**
 * struct qsim_app - a loaded app
 * @ref: held by the controller and by each app object.
 * @sim: instance.
 * @impl: implementation.
 * @cred: credentials of the client env it was loaded from.
 * @node: in sim->apps while loaded.
 * @lock: protects @slots, and serialises unload.
 * @unloaded: unload started; set once under @lock, read without it (each
 *	invocation checks it, and a lock would not make the answer less
 *	stale).
 * @slots: objects the app holds (test app).
 * @cancel: cancellation flag.
 * @uuid: its GP UUID (metadata "u") when @has_uuid.
 * @has_uuid: its metadata has a UUID.
 * @sessions: open GP sessions (under sim->app_lock).
 * @auto_ctrl: the controller QTEE keeps for an app it autoloaded, or NULL
 *	(under sim->app_lock).
 * @closing: the last session of an autoloaded app closed: it is being
 *	unloaded (under sim->app_lock).
 */
struct qsim_app {
	struct kref ref;
	struct qcomtee_sim *sim;
	const struct qsim_app_impl *impl;
	struct qsim_cred cred;
	struct list_head node;
	struct mutex lock;	/* see kernel-doc */
	bool unloaded;
	struct qsim_oarg slots[QTA_HOLD_SLOTS];
	u32 cancel;
	u8 uuid[QSIM_UUID_SIZE];
	bool has_uuid;
	unsigned int sessions;
	struct qsim_obj *auto_ctrl;
	bool closing;
};

/**
 * struct qsim_app_obj - a controller or an app object
 * @obj: the object.
 * @app: its app (one reference).
 */
struct qsim_app_obj {
	struct qsim_obj obj;
	struct qsim_app *app;
};

/**
 * struct qsim_counter - the test app's simple secure object
 * @obj: the object.
 * @value: its value.
 */
struct qsim_counter {
	struct qsim_obj obj;
	atomic_t value;
};

static void qsim_app_free(struct kref *ref)
{
	struct qsim_app *app = container_of(ref, struct qsim_app, ref);

	mutex_destroy(&app->lock);
	qsim_free(app->sim, app);
}

/**
 * qsim_app_put() - drop a reference to a loaded app
 * @app: the app.
 */
void qsim_app_put(struct qsim_app *app)
{
	kref_put(&app->ref, qsim_app_free);
}

/**
 * qsim_app_get() - take a reference to a loaded app (its objects do)
 * @app: the app.
 */
void qsim_app_get(struct qsim_app *app)
{
	kref_get(&app->ref);
}

/**
 * qsim_app_defunct() - has the app been unloaded?
 * @app: the app.
 * @obj: one of its objects, marked defunct if so, or NULL.
 *
 * Return: true once unload started; its objects then answer DEFUNCT.
 */
bool qsim_app_defunct(struct qsim_app *app, struct qsim_obj *obj)
{
	bool unloaded = READ_ONCE(app->unloaded);

	if (unloaded && obj)
		WRITE_ONCE(obj->defunct, true);

	return unloaded;
}

static void qsim_app_unload(struct qsim_app *app)
{
	struct qcomtee_sim *sim = app->sim;
	struct qsim_oarg slots[QTA_HOLD_SLOTS];
	unsigned int i;

	mutex_lock(&app->lock);
	if (app->unloaded) {
		mutex_unlock(&app->lock);
		return;
	}
	WRITE_ONCE(app->unloaded, true);
	memcpy(slots, app->slots, sizeof(slots));
	memset(app->slots, 0, sizeof(app->slots));
	mutex_unlock(&app->lock);

	mutex_lock(&sim->app_lock);
	list_del_init(&app->node);
	sim->napps--;
	mutex_unlock(&sim->app_lock);

	/* Outside the locks: a slot may hold this app's own controller. */
	for (i = 0; i < QTA_HOLD_SLOTS; i++)
		qsim_oarg_clear(&sim->core, &slots[i], true);
}

/* Counter objects. */

static int qsim_counter_invoke(struct qsim_obj *obj, struct qsim_call *call,
			       u32 op, struct qsim_args *a)
{
	struct qsim_counter *c = container_of(obj, struct qsim_counter, obj);

	switch (op) {
	case QTA_COUNTER_OP_GET:
		if (!qsim_shape(a, 0, 1, 0, 0))
			return QSIM_INVALID;
		if (a->ob[0].cap < 4)
			return QSIM_SIZE_OUT;
		qsim_put32(a->ob[0].data, 0, atomic_read(&c->value));
		a->ob[0].size = 4;
		return QSIM_OK;
	case QTA_COUNTER_OP_ADD:
		if (!qsim_shape(a, 1, 0, 0, 0) || a->ib[0].size != 4)
			return QSIM_INVALID;
		atomic_add(qsim_get32(a->ib[0].data, 0), &c->value);
		return QSIM_OK;
	}

	return QSIM_INVALID;
}

static void qsim_counter_release(struct qsim_obj *obj)
{
	qsim_free(obj->sim, container_of(obj, struct qsim_counter, obj));
}

static const struct qsim_class qsim_counter_class = {
	.name = "test-counter",
	.invoke = qsim_counter_invoke,
	.release = qsim_counter_release,
};

static struct qsim_obj *qsim_counter_new(struct qcomtee_sim *sim, u32 value,
					 int *err)
{
	struct qsim_counter *c = qsim_alloc(sim, sizeof(*c));

	if (!c) {
		*err = QSIM_MEM;
		return NULL;
	}
	atomic_set(&c->value, value);
	*err = qsim_obj_add(&sim->core, &c->obj, &qsim_counter_class);
	if (*err) {
		qsim_free(sim, c);
		return NULL;
	}

	return &c->obj;
}

/* Skeleton app. */

static int qsim_skeleton_invoke(struct qsim_app *app, struct qsim_call *call,
				u32 op, struct qsim_args *a)
{
	u64 sum;

	if (op != 0 || !qsim_shape(a, 1, 1, 0, 0) || a->ib[0].size != 8 ||
	    a->ob[0].cap < 4)
		return QSIM_INVALID;
	sum = (u64)qsim_get32(a->ib[0].data, 0) + qsim_get32(a->ib[0].data, 4);
	qsim_put32(a->ob[0].data, 0, min_t(u64, sum, U32_MAX));
	a->ob[0].size = 4;

	return QSIM_OK;
}

/* Test app. */

static int qsim_ta_data(struct qsim_args *a, bool invert)
{
	const u8 *in;
	size_t i, n;
	u8 *out;

	if (!qsim_shape(a, 1, 1, 0, 0))
		return QSIM_INVALID;
	n = a->ib[0].size;
	if (n > QTA_DATA_MAX)
		return QSIM_SIZE_IN;
	if (a->ob[0].cap < n)
		return QSIM_SIZE_OUT;
	out = a->ob[0].data;
	in = a->ib[0].data;
	if (invert) {
		for (i = 0; i < n; i++)
			out[i] = ~in[i];
	} else if (n) {
		/* The buffer benchmark's service: as little work as can be. */
		memcpy(out, in, n);
	}
	a->ob[0].size = n;

	return QSIM_OK;
}

/* Take the first free slot for @oa; the slot owns what @oa held. */
static int qsim_ta_hold(struct qsim_app *app, struct qsim_oarg *oa)
{
	int slot = -1;
	unsigned int i;

	mutex_lock(&app->lock);
	for (i = 0; i < QTA_HOLD_SLOTS && !app->unloaded; i++) {
		if (!app->slots[i].id) {
			app->slots[i] = *oa;
			slot = i;
			break;
		}
	}
	mutex_unlock(&app->lock);
	if (slot >= 0) {
		oa->obj = NULL;
		oa->owned = false;
		oa->id = QSIM_ID_NULL;
	}

	return slot;
}

/* Release the objects in the selected slots (all for QTA_SLOT_ALL). */
static void qsim_ta_take_slots(struct qsim_app *app, u32 slot,
			       struct qsim_oarg *slots)
{
	unsigned int i;

	mutex_lock(&app->lock);
	for (i = 0; i < QTA_HOLD_SLOTS; i++) {
		if (slot != QTA_SLOT_ALL && slot != i)
			continue;
		slots[i] = app->slots[i];
		memset(&app->slots[i], 0, sizeof(app->slots[i]));
	}
	mutex_unlock(&app->lock);
}

static int qsim_ta_callback(struct qsim_app *app, struct qsim_call *call,
			    struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
	u32 op, ob_size, num_oo, flags, mask = 0, first_slot = 0xff;
	struct qsim_obj *counter = NULL;
	struct qsim_cb *cb;
	unsigned int i;
	int ret, r, slot;
	u8 *res;

	if (a->nib < 1 || a->nib > 2 || a->nob < 1 || a->nob > 2 ||
	    a->nio < 1 || a->nio > 1 + QTA_CB_MAX_IO ||
	    a->noo > QTA_CB_MAX_OO || a->ib[0].size != 16 ||
	    a->ob[0].cap < 16 || !qsim_id_is_ns(a->io[0].id))
		return QSIM_INVALID;
	op = qsim_get32(a->ib[0].data, 0);
	ob_size = qsim_get32(a->ib[0].data, 4);
	num_oo = qsim_get32(a->ib[0].data, 8);
	flags = qsim_get32(a->ib[0].data, 12);
	if (num_oo > QTA_CB_MAX_OO || ob_size > QSIM_TA_MAX_CB_DATA ||
	    qsim_op_reserved(op))
		return QSIM_INVALID;

	cb = qsim_cb_new(&sim->core, a->io[0].id, op);
	if (!cb)
		return QSIM_MEM;
	ret = a->nib == 2 ? qsim_cb_add_ib(&sim->core, cb, a->ib[1].data,
					   a->ib[1].size) : 0;
	if (!ret && ob_size)
		ret = qsim_cb_add_ob(&sim->core, cb, ob_size);
	for (i = 1; i < a->nio; i++)
		qsim_cb_add_io(cb, a->io[i].id, a->io[i].obj);
	if (!ret && (flags & QTA_CB_NEW_OBJ)) {
		counter = qsim_counter_new(sim, QSIM_COUNTER_INIT, &ret);
		if (counter) {
			qsim_cb_add_io(cb, 0, counter);
			qsim_obj_put(counter);
		}
	}
	if (ret)
		goto out;
	cb->args.noo = num_oo;

	if (flags & QTA_CB_RELEASE_HELD) {
		struct qsim_oarg slots[QTA_HOLD_SLOTS] = { };

		qsim_ta_take_slots(app, QTA_SLOT_ALL, slots);
		for (i = 0; i < QTA_HOLD_SLOTS; i++)
			qsim_oarg_clear(&sim->core, &slots[i], true);
	}

	r = qsim_callback(call, cb);

	res = a->ob[0].data;
	memset(res, 0, 16);
	qsim_put32(res, 0, r);
	a->ob[0].size = 16;
	if (r)
		goto out;
	qsim_put32(res, 4, ob_size ? cb->args.ob[0].size : 0);
	qsim_put32(res, 8, num_oo);
	if (ob_size && a->nob == 2) {
		size_t n = min(cb->args.ob[0].size, a->ob[1].cap);

		memcpy(a->ob[1].data, cb->args.ob[0].data, n);
		a->ob[1].size = n;
	}
	if ((flags & QTA_CB_EXPECT_OB) && a->nib == 2) {
		const u8 *in = a->ib[1].data, *got = cb->args.ob[0].data;

		if (!ob_size || cb->args.ob[0].size != a->ib[1].size)
			ret = QSIM_ERROR;
		for (i = 0; !ret && i < a->ib[1].size; i++)
			if (got[i] != (u8)~in[i])
				ret = QSIM_ERROR;
	}
	for (i = 0; i < num_oo; i++) {
		struct qsim_oarg *oa = &cb->args.oo[i];

		if (qsim_id_is_ns(oa->id))
			mask |= BIT(i);
		if (flags & QTA_CB_HOLD_OO) {
			if (!oa->id)
				continue;
			slot = qsim_ta_hold(app, oa);
			if (slot >= 0 && first_slot == 0xff)
				first_slot = slot;
		} else if (i < a->noo) {
			a->oo[i] = *oa;
			oa->obj = NULL;
			oa->owned = false;
			oa->id = QSIM_ID_NULL;
		}
	}
	qsim_put32(res, 12, mask | first_slot << 8);
out:
	qsim_cb_free(&sim->core, cb);
	return ret;
}

static int qsim_ta_release_held(struct qsim_app *app, struct qsim_call *call,
				struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_oarg slots[QTA_HOLD_SLOTS] = { };
	u32 slot, mode;
	unsigned int i;
	struct qsim_cb *cb;

	if (!qsim_shape(a, 1, 0, 0, 0) || a->ib[0].size != 8)
		return QSIM_INVALID;
	slot = qsim_get32(a->ib[0].data, 0);
	mode = qsim_get32(a->ib[0].data, 4);
	if (mode > QTA_RELEASE_CALLBACK ||
	    (slot != QTA_SLOT_ALL && slot >= QTA_HOLD_SLOTS))
		return QSIM_INVALID;

	qsim_ta_take_slots(app, slot, slots);
	if (slot != QTA_SLOT_ALL && !slots[slot].id)
		return QSIM_INVALID;

	for (i = 0; i < QTA_HOLD_SLOTS; i++) {
		struct qsim_oarg *oa = &slots[i];

		if (mode == QTA_RELEASE_CALLBACK && oa->owned) {
			cb = qsim_cb_new(&sim->core, oa->id, QSIM_OP_RELEASE);
			if (cb) {
				qsim_callback(call, cb);
				qsim_cb_free(&sim->core, cb);
				atomic64_inc(&sim->release_cbs);
				/* Released explicitly: no async message. */
				qsim_ns_drop(&sim->core, oa->id);
				oa->owned = false;
			}
		}
		qsim_oarg_clear(&sim->core, oa, true);
	}

	return QSIM_OK;
}

/* Map the memory object of a MEM_READ/MEM_WRITE and check the range. */
static int qsim_ta_mem(struct qsim_app *app, struct qsim_call *call,
		       struct qsim_args *a, u32 slot, u64 off, u64 len,
		       bool write, void *data)
{
	u32 mem;

	if (a->nio == 1) {
		if (!a->io[0].owned)
			return QSIM_INVALID;
		mem = a->io[0].id;
	} else {
		if (slot >= QTA_HOLD_SLOTS)
			return QSIM_INVALID;
		mutex_lock(&app->lock);
		mem = app->slots[slot].owned ? app->slots[slot].id : 0;
		mutex_unlock(&app->lock);
		if (!mem)
			return QSIM_INVALID;
	}

	return qsim_mem_access(call, mem, off, len, write ? NULL : data,
			       write ? data : NULL);
}

static int qsim_ta_callback_many(struct qsim_call *call, struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
	u32 op, count, i, sum = 0;
	int r = 0, first = 0;
	struct qsim_cb *cb;
	u8 idx[4];

	if (!qsim_shape(a, 1, 1, 1, 0) || a->ib[0].size != 8 ||
	    a->ob[0].cap < 8 || !qsim_id_is_ns(a->io[0].id))
		return QSIM_INVALID;
	op = qsim_get32(a->ib[0].data, 0);
	count = qsim_get32(a->ib[0].data, 4);
	if (count > QTA_MANY_MAX || qsim_op_reserved(op))
		return QSIM_INVALID;
	for (i = 0; i < count && !first; i++) {
		cb = qsim_cb_new(&sim->core, a->io[0].id, op);
		if (!cb)
			return QSIM_MEM;
		put_unaligned_le32(i, idx);
		r = qsim_cb_add_ib(&sim->core, cb, idx, sizeof(idx));
		if (!r)
			r = qsim_cb_add_ob(&sim->core, cb, 4);
		if (!r)
			r = qsim_callback(call, cb);
		if (r)
			first = r;
		else if (cb->args.ob[0].size == 4)
			sum += qsim_get32(cb->args.ob[0].data, 0);
		qsim_cb_free(&sim->core, cb);
	}
	qsim_put32(a->ob[0].data, 0, sum);
	qsim_put32(a->ob[0].data, 4, first);
	a->ob[0].size = 8;

	return QSIM_OK;
}

static int qsim_ta_accept(struct qsim_args *a)
{
	struct qsim_oarg *oa = &a->io[0];
	u32 kind, value = 0;

	if (!qsim_shape(a, 0, 1, 1, 0))
		return QSIM_INVALID;
	if (a->ob[0].cap < 8)
		return QSIM_SIZE_OUT;
	if (!oa->id) {
		kind = QTA_KIND_NULL;
	} else if (qsim_id_is_ns(oa->id)) {
		kind = QTA_KIND_KERNEL;
	} else if (oa->obj->cls == &qsim_counter_class) {
		kind = QTA_KIND_COUNTER;
		value = atomic_read(&container_of(oa->obj, struct qsim_counter,
						  obj)->value);
	} else {
		kind = QTA_KIND_SECURE;
	}
	qsim_put32(a->ob[0].data, 0, kind);
	qsim_put32(a->ob[0].data, 4, value);
	a->ob[0].size = 8;

	return QSIM_OK;
}

static int qsim_ta_return_held(struct qsim_app *app, struct qsim_args *a)
{
	struct qsim_oarg held = { };
	u32 slot;

	if (!qsim_shape(a, 1, 0, 0, 1) || a->ib[0].size != 4)
		return QSIM_INVALID;
	slot = qsim_get32(a->ib[0].data, 0);
	if (slot >= QTA_HOLD_SLOTS)
		return QSIM_INVALID;
	mutex_lock(&app->lock);
	held = app->slots[slot];
	if (held.obj)
		qsim_obj_get(held.obj);
	mutex_unlock(&app->lock);
	if (!held.id)
		return QSIM_INVALID;
	/* Our slot keeps its reference; a kernel id is only named. */
	a->oo[0].id = held.id;
	a->oo[0].obj = held.obj;
	a->oo[0].owned = false;

	return QSIM_OK;
}

/* ops 17-20: the record name in IB0 (not LIST), data in IB1 or OB0. */
static int qsim_ta_storage(struct qsim_call *call, u32 op,
			   struct qsim_args *a)
{
	static const u8 shape[4][2] = {		/* IB, OB */
		{ 2, 0 }, { 1, 1 }, { 1, 0 }, { 0, 1 },
	};
	unsigned int sop = op - QTA_OP_STORE_PUT;
	size_t len = 0;
	void *data = NULL;
	int ret;

	if (!qsim_shape(a, shape[sop][0], shape[sop][1], 0, 0))
		return QSIM_INVALID;
	if (sop == QSIM_STORE_PUT) {
		data = a->ib[1].data;
		len = a->ib[1].size;
	} else if (a->nob) {
		data = a->ob[0].data;
		len = a->ob[0].cap;
	}
	ret = qsim_storage(call, sop, a->nib ? a->ib[0].data : NULL,
			   a->nib ? a->ib[0].size : 0, data, &len);
	if (!ret && a->nob)
		a->ob[0].size = len;
	return ret;
}

static int qsim_testapp_invoke(struct qsim_app *app, struct qsim_call *call,
			       u32 op, struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_obj *obj;
	u32 v = QSIM_COUNTER_INIT;
	int ret, slot;

	switch (op) {
	case QTA_OP_ECHO:
	case QTA_OP_INVERT:
		return qsim_ta_data(a, op == QTA_OP_INVERT);
	case QTA_OP_CALLBACK:
		return qsim_ta_callback(app, call, a);
	case QTA_OP_NEW_OBJECT:
		if (a->nib > 1 || a->nob || a->nio || a->noo != 1)
			return QSIM_INVALID;
		if (a->nib) {
			if (a->ib[0].size != 4)
				return QSIM_INVALID;
			v = qsim_get32(a->ib[0].data, 0);
		}
		obj = qsim_counter_new(sim, v, &ret);
		if (obj)
			qsim_set_oo_obj(a, 0, obj);
		return ret;
	case QTA_OP_ACCEPT_OBJECT:
		return qsim_ta_accept(a);
	case QTA_OP_HOLD:
		if (!qsim_shape(a, 0, 1, 1, 0) || a->ob[0].cap < 4 ||
		    !a->io[0].id)
			return QSIM_INVALID;
		slot = qsim_ta_hold(app, &a->io[0]);
		if (slot < 0)
			return QSIM_LOAD_ERR_TOO_MANY;
		qsim_put32(a->ob[0].data, 0, slot);
		a->ob[0].size = 4;
		return QSIM_OK;
	case QTA_OP_RELEASE_HELD:
		return qsim_ta_release_held(app, call, a);
	case QTA_OP_MEM_READ:
		if (a->nib != 1 || a->nob != 1 || a->nio > 1 || a->noo ||
		    a->ib[0].size != 16)
			return QSIM_INVALID;
		v = qsim_get32(a->ib[0].data, 8);
		if (v > a->ob[0].cap)
			return QSIM_SIZE_OUT;
		ret = qsim_ta_mem(app, call, a, qsim_get32(a->ib[0].data, 12),
				  get_unaligned_le64(a->ib[0].data), v, false,
				  a->ob[0].data);
		if (!ret)
			a->ob[0].size = v;
		return ret;
	case QTA_OP_MEM_WRITE:
		if (a->nib != 2 || a->nob || a->nio > 1 || a->noo ||
		    a->ib[0].size != 16)
			return QSIM_INVALID;
		return qsim_ta_mem(app, call, a, qsim_get32(a->ib[0].data, 8),
				   get_unaligned_le64(a->ib[0].data),
				   a->ib[1].size, true, a->ib[1].data);
	case QTA_OP_RETURN_ERROR:
		if (!qsim_shape(a, 1, 0, 0, 0) || a->ib[0].size != 4)
			return QSIM_INVALID;
		return (s32)qsim_get32(a->ib[0].data, 0);
	case QTA_OP_SLEEP:
		if (!qsim_shape(a, 1, 0, 0, 0) || a->ib[0].size != 4)
			return QSIM_INVALID;
		msleep(min_t(u32, qsim_get32(a->ib[0].data, 0),
			     QTA_SLEEP_MAX_MS));
		return QSIM_OK;
	case QTA_OP_CALLBACK_MANY:
		return qsim_ta_callback_many(call, a);
	case QTA_OP_INFO:
		if (!qsim_shape(a, 0, 1, 0, 0) || a->ob[0].cap < 16)
			return QSIM_INVALID;
		qsim_put32(a->ob[0].data, 0, app->cred.uid);
		qsim_put32(a->ob[0].data, 4, app->cred.privileged);
		put_unaligned_le64(app->cred.time, (u8 *)a->ob[0].data + 8);
		a->ob[0].size = 16;
		return QSIM_OK;
	case QTA_OP_RETURN_HELD:
		return qsim_ta_return_held(app, a);
	case QTA_OP_LISTENER:
		if (!qsim_shape(a, 2, 1, 0, 0) || a->ib[0].size != 4)
			return QSIM_INVALID;
		ret = qsim_listener_call(call, qsim_get32(a->ib[0].data, 0),
					 a->ib[1].data, a->ib[1].size,
					 a->ob[0].data, a->ob[0].cap);
		if (!ret)
			a->ob[0].size = a->ob[0].cap;
		return ret;
	case QTA_OP_TIME: {
		u32 sec, nsec;
		u64 ms;

		if (!qsim_shape(a, 0, 1, 0, 0) || a->ob[0].cap < 16)
			return QSIM_INVALID;
		ret = qsim_time_ms(call, &ms);
		if (!ret)
			ret = qsim_time_utc(call, &sec, &nsec);
		if (ret)
			return ret;
		put_unaligned_le64(ms, a->ob[0].data);
		qsim_put32(a->ob[0].data, 8, sec);
		qsim_put32(a->ob[0].data, 12, nsec);
		a->ob[0].size = 16;
		return QSIM_OK;
	}
	case QTA_OP_STORE_PUT:
	case QTA_OP_STORE_GET:
	case QTA_OP_STORE_DELETE:
	case QTA_OP_STORE_LIST:
		return qsim_ta_storage(call, op, a);
	case QTA_OP_TABUF_GET:
		if (!qsim_shape(a, 1, 1, 0, 0) || a->ib[0].size != 16)
			return QSIM_INVALID;
		ret = qsim_tabuf_get(call, a->ib[0].data, a->ob[0].data,
				     a->ob[0].cap);
		if (!ret)
			a->ob[0].size = a->ob[0].cap;
		return ret;
	}

	return QSIM_INVALID;
}

/* App objects. */

static int qsim_app_obj_invoke(struct qsim_obj *obj, struct qsim_call *call,
			       u32 op, struct qsim_args *a)
{
	struct qsim_app *app = container_of(obj, struct qsim_app_obj,
					    obj)->app;

	if (qsim_app_defunct(app, obj))
		return QSIM_DEFUNCT;

	return app->impl->invoke(app, call, op, a);
}

static void qsim_app_obj_release(struct qsim_obj *obj)
{
	struct qsim_app_obj *ao = container_of(obj, struct qsim_app_obj, obj);
	struct qsim_app *app = ao->app;

	qsim_free(obj->sim, ao);
	qsim_app_put(app);
}

static const struct qsim_class qsim_skeleton_class = {
	.name = "skeleton-app",
	.invoke = qsim_app_obj_invoke,
	.release = qsim_app_obj_release,
};

static const struct qsim_class qsim_testapp_class = {
	.name = "test-app",
	.blocking = true,
	.invoke = qsim_app_obj_invoke,
	.release = qsim_app_obj_release,
};

/* tzecotestapp's IOpener only creates objects: it never calls back. */
static const struct qsim_class qsim_ecotest_class = {
	.name = "tzecotestapp",
	.invoke = qsim_app_obj_invoke,
	.release = qsim_app_obj_release,
};

/* [I] A GP TA has no MINK interface: its app object answers nothing. */
static int qsim_gp_app_invoke(struct qsim_app *app, struct qsim_call *call,
			      u32 op, struct qsim_args *a)
{
	return QSIM_INVALID;
}

static const struct qsim_class qsim_gp_app_class = {
	.name = "gp-app",
	.invoke = qsim_app_obj_invoke,
	.release = qsim_app_obj_release,
};

static const struct qsim_app_impl qsim_app_impls[] = {
	{ QCOMTEE_SIM_SKELETON_NAME, &qsim_skeleton_class,
	  qsim_skeleton_invoke },
	{ QCOMTEE_SIM_TESTAPP_NAME, &qsim_testapp_class,
	  qsim_testapp_invoke },
	{ QSIM_ECOTEST_NAME, &qsim_ecotest_class, qsim_ecotest_invoke },
	{ QSIM_GPTEST_NAME, &qsim_gp_app_class, qsim_gp_app_invoke,
	  qsim_gptest_invoke },
};

/* Controllers. */

static struct qsim_obj *qsim_app_obj_new(struct qsim_app *app, int *err)
{
	struct qsim_app_obj *ao = qsim_alloc(app->sim, sizeof(*ao));

	if (!ao) {
		*err = QSIM_MEM;
		return NULL;
	}
	*err = qsim_obj_add(&app->sim->core, &ao->obj, app->impl->cls);
	if (*err) {
		qsim_free(app->sim, ao);
		return NULL;
	}
	kref_get(&app->ref);
	ao->app = app;

	return &ao->obj;
}

static int qsim_ctrl_invoke(struct qsim_obj *obj, struct qsim_call *call,
			    u32 op, struct qsim_args *a)
{
	struct qsim_app *app = container_of(obj, struct qsim_app_obj,
					    obj)->app;
	bool unloaded = qsim_app_defunct(app, NULL);
	struct qsim_obj *ao;
	int ret;

	switch (op) {
	case QSIM_CTRL_OP_UNLOAD:
		if (!qsim_shape(a, 0, 0, 0, 0))
			return QSIM_INVALID;
		if (unloaded)
			return QSIM_CTRL_ERR_UNLOADED;
		qsim_app_unload(app);
		return QSIM_OK;
	case QSIM_CTRL_OP_GET_APP:
		if (!qsim_shape(a, 0, 0, 0, 1))
			return QSIM_INVALID;
		if (unloaded)
			return QSIM_CTRL_ERR_UNLOADED;
		ao = qsim_app_obj_new(app, &ret);
		if (ao)
			qsim_set_oo_obj(a, 0, ao);
		return ret;
	case QSIM_CTRL_OP_SET_CANCEL:
		if (!qsim_shape(a, 1, 0, 0, 0) || a->ib[0].size != 4)
			return QSIM_INVALID;
		WRITE_ONCE(app->cancel, qsim_get32(a->ib[0].data, 0));
		return QSIM_OK;
	case QSIM_CTRL_OP_GET_CANCEL:
		if (!qsim_shape(a, 0, 1, 0, 0) || a->ob[0].cap < 4)
			return QSIM_INVALID;
		qsim_put32(a->ob[0].data, 0, READ_ONCE(app->cancel));
		a->ob[0].size = 4;
		return QSIM_OK;
	}

	return QSIM_INVALID;
}

static void qsim_ctrl_release(struct qsim_obj *obj)
{
	struct qsim_app_obj *ctrl = container_of(obj, struct qsim_app_obj, obj);
	struct qsim_app *app = ctrl->app;

	qsim_free(obj->sim, ctrl);
	qsim_app_unload(app);
	qsim_app_put(app);
}

static const struct qsim_class qsim_ctrl_class = {
	.name = "app-controller",
	.invoke = qsim_ctrl_invoke,
	.release = qsim_ctrl_release,
};

static int qsim_app_create(struct qcomtee_sim *sim,
			   const struct qsim_cred *cred,
			   const struct qsim_app_impl *impl,
			   const struct qsim_app_meta *meta,
			   struct qsim_obj **ctrl)
{
	struct qsim_app_obj *co;
	struct qsim_app *app, *other;
	int ret;

	app = qsim_alloc(sim, sizeof(*app));
	if (!app)
		return QSIM_MEM;
	co = qsim_alloc(sim, sizeof(*co));
	if (!co) {
		qsim_free(sim, app);
		return QSIM_MEM;
	}
	kref_init(&app->ref);
	app->sim = sim;
	app->impl = impl;
	app->cred = *cred;
	if (meta && meta->has_uuid) {
		memcpy(app->uuid, meta->uuid, QSIM_UUID_SIZE);
		app->has_uuid = true;
	}
	mutex_init(&app->lock);
	INIT_LIST_HEAD(&app->node);
	co->app = app;

	mutex_lock(&sim->app_lock);
	ret = QSIM_LOAD_ERR_TOO_MANY;
	if (sim->napps >= sim->cfg.max_apps)
		goto err;
	ret = QSIM_LOAD_ERR_LOADED;
	/* One that is unloading after its last GP session does not count. */
	list_for_each_entry(other, &sim->apps, node)
		if (other->impl == impl && !other->closing)
			goto err;
	ret = qsim_obj_add(&sim->core, &co->obj, &qsim_ctrl_class);
	if (ret)
		goto err;
	list_add_tail(&app->node, &sim->apps);
	sim->napps++;
	mutex_unlock(&sim->app_lock);
	*ctrl = &co->obj;

	return QSIM_OK;

err:
	mutex_unlock(&sim->app_lock);
	mutex_destroy(&app->lock);
	qsim_free(sim, co);
	qsim_free(sim, app);
	return ret;
}

static const struct qsim_app_impl *qsim_app_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(qsim_app_impls); i++)
		if (!strcmp(qsim_app_impls[i].name, name))
			return &qsim_app_impls[i];

	return NULL;
}

/**
 * qsim_app_load() - load a TA image
 * @sim: instance.
 * @cred: credentials of the loading client env.
 * @image: the image (a secure copy).
 * @size: its size.
 * @uuid: NULL, or the GP UUID the image's metadata must carry (autoload).
 * @ctrl: receives the app controller (one reference).
 *
 * Return: QSIM_OK or an app-loader error: 10 not a valid image, 12 no
 * built-in implementation for its name (the simulator cannot authenticate
 * an app it does not know) or not the UUID asked for, 13 no metadata,
 * 14 too many apps, 15 no name, 16 already loaded; or NOSLOTS/MEM.
 */
int qsim_app_load(struct qcomtee_sim *sim, const struct qsim_cred *cred,
		  const void *image, size_t size, const u8 *uuid,
		  struct qsim_obj **ctrl)
{
	const struct qsim_app_impl *impl;
	struct qsim_app_meta meta;
	int ret;

	ret = qsim_elf_app_meta(image, size, &meta);
	if (ret)
		return ret;
	impl = qsim_app_find(meta.name);
	if (!impl)
		return QSIM_LOAD_ERR_SIGNATURE;
	/*
	 * [I] minkipc.md leaves open whether QTEE compares "u" with the UUID
	 * it asked for; it is the one thing in a signed image that says which
	 * TA it is, so this QTEE refuses an image that does not carry it.
	 */
	if (uuid && (!meta.has_uuid ||
		     memcmp(meta.uuid, uuid, QSIM_UUID_SIZE)))
		return QSIM_LOAD_ERR_SIGNATURE;

	return qsim_app_create(sim, cred, impl, &meta, ctrl);
}

/**
 * qsim_app_load_by_name() - load a built-in app by name (loadEmbedded)
 * @sim: instance.
 * @cred: credentials of the loading client env.
 * @name: app name.
 * @ctrl: receives the app controller (one reference).
 *
 * Return: as qsim_app_load().
 */
int qsim_app_load_by_name(struct qcomtee_sim *sim,
			  const struct qsim_cred *cred, const char *name,
			  struct qsim_obj **ctrl)
{
	const struct qsim_app_impl *impl = qsim_app_find(name);

	if (!impl)
		return QSIM_LOAD_ERR_SIGNATURE;

	return qsim_app_create(sim, cred, impl, NULL, ctrl);
}

/**
 * qsim_apps_fini() - unload every app still loaded (instance destroy)
 * @sim: instance.
 */
void qsim_apps_fini(struct qcomtee_sim *sim)
{
	struct qsim_app *app;

	for (;;) {
		mutex_lock(&sim->app_lock);
		app = list_first_entry_or_null(&sim->apps, struct qsim_app,
					       node);
		if (app)
			kref_get(&app->ref);
		mutex_unlock(&sim->app_lock);
		if (!app)
			break;
		qsim_app_unload(app);
		qsim_app_put(app);
	}
}

/* GP sessions (gp.c): the host's side. */

/**
 * struct qsim_gp_ta - the kernel host's side of a GP session
 * @app: the session's TA (one reference, and one of its @sessions).
 */
struct qsim_gp_ta {
	struct qsim_app *app;
};

/* The loaded GP TA with @uuid, with a reference and a session; or NULL. */
static struct qsim_app *qsim_gp_find(struct qcomtee_sim *sim, const u8 *uuid)
{
	struct qsim_app *app;

	mutex_lock(&sim->app_lock);
	list_for_each_entry(app, &sim->apps, node) {
		if (app->closing || !app->has_uuid || !app->impl->gp ||
		    memcmp(app->uuid, uuid, QSIM_UUID_SIZE))
			continue;
		app->sessions++;
		kref_get(&app->ref);
		mutex_unlock(&sim->app_lock);
		return app;
	}
	mutex_unlock(&sim->app_lock);

	return NULL;
}

/* [I] The GP result of an openSession whose TA did not load. */
static u32 qsim_gp_load_result(int ret)
{
	switch (ret) {
	case QSIM_MEM:
	case QSIM_LOAD_ERR_TOO_MANY:
		return QSIM_TEEC_ERROR_OUT_OF_MEMORY;
	case QSIM_LOAD_ERR_LOADED:
		return QSIM_TEEC_ERROR_ACCESS_CONFLICT;
	}

	/* Not an image, not authenticated, not the TA asked for. */
	return QSIM_TEEC_ERROR_SECURITY;
}

/*
 * Autoload the TA @uuid; *@appp gets it as qsim_gp_find() does, or stays
 * NULL with the GP result in @res. Returns an invocation error only when
 * the call itself is gone (ABORT).
 */
static int qsim_gp_autoload(struct qsim_call *call,
			    const struct qsim_cred *cred, const u8 *uuid,
			    struct qsim_gp_result *res, struct qsim_app **appp)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_obj *ctrl;
	struct qsim_app *app;
	u32 mem_id;
	int ret;

	res->origin = QSIM_TEEC_ORIGIN_TEE;
	/* No provider, or it could not find the image: no such TA. */
	ret = qsim_tabuf_request(call, uuid, &mem_id);
	if (ret == QSIM_ABORT)
		return ret;
	if (ret) {
		res->value = QSIM_TEEC_ERROR_ITEM_NOT_FOUND;
		return QSIM_OK;
	}
	ret = qsim_load_region(call, cred, mem_id, uuid, &ctrl);
	qsim_ns_put(&sim->core, mem_id);
	if (ret == QSIM_LOAD_ERR_LOADED) {
		/* Another session's autoload of the same TA came first. */
		*appp = qsim_gp_find(sim, uuid);
		if (*appp)
			return QSIM_OK;
	}
	if (ret == QSIM_ABORT)
		return ret;
	if (ret) {
		res->value = qsim_gp_load_result(ret);
		return QSIM_OK;
	}
	app = container_of(ctrl, struct qsim_app_obj, obj)->app;
	if (!app->impl->gp) {
		qsim_obj_put(ctrl);	/* unloads it */
		res->value = QSIM_TEEC_ERROR_NOT_SUPPORTED;
		return QSIM_OK;
	}
	mutex_lock(&sim->app_lock);
	app->auto_ctrl = ctrl;
	app->sessions++;
	kref_get(&app->ref);
	mutex_unlock(&sim->app_lock);
	*appp = app;

	return QSIM_OK;
}

/**
 * qsim_host_gp_open() - the kernel host's GP TAs: open a session
 * @call: the invocation whose secure thread opens it.
 * @cred: credentials of the client env the GP client was opened from.
 * @uuid: the 16 raw TEEC_UUID bytes.
 * @params: the session's parameters (checked by gp.c).
 * @res: receives the outcome.
 * @ta: receives the session when @res is a success.
 *
 * A loaded app is never loaded twice: the TA is looked up by UUID first.
 * [I] The built-in TAs' open entry points accept every session.
 *
 * Return: QSIM_OK with @res set; QSIM_MEM, or QSIM_ABORT when the call's
 * kernel side is gone during an autoload.
 */
int qsim_host_gp_open(struct qsim_call *call, const struct qsim_cred *cred,
		      const u8 *uuid, struct qsim_gp_param *params,
		      struct qsim_gp_result *res, struct qsim_gp_ta **ta)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_app *app;
	struct qsim_gp_ta *t;
	int ret;

	t = qsim_alloc(sim, sizeof(*t));
	if (!t)
		return QSIM_MEM;
	app = qsim_gp_find(sim, uuid);
	if (!app) {
		ret = qsim_gp_autoload(call, cred, uuid, res, &app);
		if (ret || !app) {
			qsim_free(sim, t);
			return ret;
		}
	}
	t->app = app;
	res->value = QSIM_TEEC_SUCCESS;
	res->origin = QSIM_TEEC_ORIGIN_TA;
	*ta = t;

	return QSIM_OK;
}

/**
 * qsim_host_gp_invoke() - the kernel host's GP TAs: run a command
 * @ta: the session.
 * @call: the invocation whose secure thread runs it.
 * @cmd: the command id.
 * @params: its parameters (checked by gp.c); the TA sets the outputs.
 * @res: receives the outcome.
 *
 * Return: QSIM_OK with @res set, DEFUNCT once the TA was unloaded, or an
 * invocation error of the TA (ABORT, MEM).
 */
int qsim_host_gp_invoke(struct qsim_gp_ta *ta, struct qsim_call *call,
			u32 cmd, struct qsim_gp_param *params,
			struct qsim_gp_result *res)
{
	if (qsim_app_defunct(ta->app, NULL))
		return QSIM_DEFUNCT;

	return ta->app->impl->gp(ta->app, call, cmd, params, res);
}

/**
 * qsim_host_gp_close() - the kernel host's GP TAs: close a session
 * @ta: the session.
 *
 * The last session of an app QTEE autoloaded unloads it.
 */
void qsim_host_gp_close(struct qsim_gp_ta *ta)
{
	struct qsim_app *app = ta->app;
	struct qcomtee_sim *sim = app->sim;
	struct qsim_obj *ctrl = NULL;

	qsim_free(sim, ta);
	mutex_lock(&sim->app_lock);
	if (!--app->sessions && app->auto_ctrl) {
		ctrl = app->auto_ctrl;
		app->auto_ctrl = NULL;
		app->closing = true;
	}
	mutex_unlock(&sim->app_lock);
	qsim_obj_put(ctrl);
	qsim_app_put(app);
}
