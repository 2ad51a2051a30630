// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the built-in "tzecotestapp", the test TA MinkIPC's
 * smcinvoke_client drives with -c and -m (minkipc.md sections 3.4-3.7,
 * real-clients.md section 10).
 *
 * The app object is an IOpener: op 0 open(u32 id) returns a TestCBack
 * (id 2) or a TestMemManager (id 5); every other id answers 10 NOT_FOUND.
 * TestCBack calls back into the client's ITestCallable objects with the
 * argument shapes the client checks and passes their results through
 * unchanged; memory objects a callable returns are mapped, checked for
 * TEST_PATTERN1 at offset 0, given TEST_PATTERN2 and released.
 * TestMemManager maps the memory objects it is given (one MAP_REGION per
 * access: QTEE asks the kernel's primordial object each time, the client
 * sends nothing more the second time), or drops them unmapped.
 *
 * What the closed TA does beyond what its client checks is not public;
 * choices made here are marked [I] (inferred).
 */

#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "sim.h"

/* IOpener. */
#define ECO_OPENER_OP_OPEN		0
#define ECO_OPENER_NOT_FOUND		10
#define ECO_ID_TESTCBACK		2
#define ECO_ID_TESTMEMMANAGER		5

/* ITestCallable (the client's callback objects). */
#define ECO_CALLABLE_CALL		0
#define ECO_CALLABLE_WITH_BUFFER	1
#define ECO_CALLABLE_WITH_BUFFER_OUT	2
#define ECO_CALLABLE_WITH_OBJECT	3
#define ECO_CALLABLE_GET_OBJECT		4
#define ECO_CALLABLE_GET_THREE		5
#define ECO_CALLABLE_ADD_INT		6
#define ECO_CALLABLE_RETURN_ERROR	7
#define ECO_CALLABLE_FUNC_WITH_BUFFER	9
#define ECO_CALLABLE_WITH_DELAY		10
#define ECO_CALLABLE_GET_MEM		11

/* ITestCBack ops and errors. */
enum {
	ECO_CB_SET,
	ECO_CB_CALL_SET,
	ECO_CB_CALL,
	ECO_CB_CALL_WITH_BUFFER,
	ECO_CB_CALL_WITH_BUFFER_OUT,
	ECO_CB_CALL_WITH_OBJECT,
	ECO_CB_CALL_GET_OBJECT,
	ECO_CB_CALL_GET_THREE,
	ECO_CB_CALL_ADD_INT,
	ECO_CB_CALL_RETURN_ERROR,
	ECO_CB_CALL_COPY_BUFFER,
	ECO_CB_CALL_FUNC_WITH_BUFFER,
	ECO_CB_CALL_WITH_DELAY,
	ECO_CB_GET_MEM,
	ECO_CB_GET_MEM_IN,
	ECO_CB_GET_MEM_OUT,
	ECO_CB_GET_MEM_IN_OUT,
	ECO_CB_GET_TWO_MEM,
};

#define ECO_CB_ERR_NULL_OBJ		10
#define ECO_CB_ERR_BAD_OUTPUT		11
#define ECO_CB_ERR			12

/* ITestMemManager ops. */
#define ECO_MM_ACCESS			0
#define ECO_MM_ACCESS_TWO		6
#define ECO_MM_RELEASE_IMMEDIATELY	7

#define ECO_PATTERN1			0xfeedc0deface0001ull
#define ECO_PATTERN2			0xfeedc0deface0002ull
/* [I] what the TA offers a callable's output buffer; the client fills it. */
#define ECO_CB_OB_SIZE			64
#define ECO_OB_FILL			'A'
/* IB and OB the TA passes on: an outbound buffer's worth at most. */
#define ECO_MAX_DATA			2048

/**
 * struct qsim_eco_obj - a TestCBack or TestMemManager object
 * @obj: the object.
 * @app: the app (one reference); its unload makes the object defunct.
 * @lock: protects @held and @gen.
 * @held: TestCBack: the callee set with op 0 (NULL id if none).
 * @gen: TestCBack: bumped by every set.
 */
struct qsim_eco_obj {
	struct qsim_obj obj;
	struct qsim_app *app;
	struct mutex lock;	/* see kernel-doc */
	struct qsim_oarg held;
	u32 gen;
};

static struct qsim_eco_obj *to_eco(struct qsim_obj *obj)
{
	return container_of(obj, struct qsim_eco_obj, obj);
}

/* A callee must be a kernel-hosted object: [I] others are refused. */
static int eco_callee(const struct qsim_oarg *oa)
{
	if (!oa->id)
		return ECO_CB_ERR_NULL_OBJ;
	return qsim_id_is_ns(oa->id) ? QSIM_OK : ECO_CB_ERR;
}

/*
 * Call @callee with @op: IB @ib (if @ib_len or @with_ib), an OB of @ob_cap
 * bytes (if non-zero), IO @io (if non-NULL) and @noo OO. On success the
 * request is in *@cbp for the caller to read and free.
 */
static int eco_call(struct qsim_call *call, u32 callee, u32 op,
		    const struct qsim_buf *ib, size_t ob_cap,
		    const struct qsim_oarg *io, unsigned int noo,
		    struct qsim_cb **cbp)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_cb *cb;
	int ret = 0;

	*cbp = NULL;
	if ((ib && ib->size > ECO_MAX_DATA) || ob_cap > ECO_MAX_DATA)
		return QSIM_SIZE_IN;
	cb = qsim_cb_new(&sim->core, callee, op);
	if (!cb)
		return QSIM_MEM;
	if (ib)
		ret = qsim_cb_add_ib(&sim->core, cb, ib->data, ib->size);
	if (!ret && ob_cap)
		ret = qsim_cb_add_ob(&sim->core, cb, ob_cap);
	if (!ret && io)
		qsim_cb_add_io(cb, io->id, io->obj);
	cb->args.noo = noo;
	if (!ret)
		ret = qsim_callback(call, cb);
	if (ret)
		qsim_cb_free(&sim->core, cb);
	else
		*cbp = cb;

	return ret;
}

/* Map a memory object: PATTERN1 must be at offset 0; leave PATTERN2. */
static int eco_use_mem(struct qsim_call *call, u32 mem_id)
{
	u8 old[8], new[8];
	int ret;

	put_unaligned_le64(ECO_PATTERN2, new);
	ret = qsim_mem_access(call, mem_id, 0, sizeof(old), old, new);
	if (ret)
		return ret;
	/* [I] the TA checks what the client's callable wrote. */
	return get_unaligned_le64(old) == ECO_PATTERN1 ? QSIM_OK : ECO_CB_ERR;
}

/*
 * ops 13-17: the callable returns memory objects (and fills an OB with
 * 'A' for 15 and 16). Each must be a kernel object that maps.
 */
static int eco_get_mem(struct qsim_call *call, u32 op, struct qsim_args *a)
{
	unsigned int i, noo = op == ECO_CB_GET_TWO_MEM ? 2 : 1;
	bool has_ib = op == ECO_CB_GET_MEM_IN || op == ECO_CB_GET_MEM_IN_OUT;
	bool has_ob = op == ECO_CB_GET_MEM_OUT || op == ECO_CB_GET_MEM_IN_OUT;
	struct qsim_cb *cb;
	const u8 *got;
	int ret;

	if (!qsim_shape(a, has_ib, 0, 1, 0))
		return QSIM_INVALID;
	ret = eco_callee(&a->io[0]);
	if (ret)
		return ret;
	ret = eco_call(call, a->io[0].id,
		       ECO_CALLABLE_GET_MEM + (op - ECO_CB_GET_MEM),
		       has_ib ? &a->ib[0] : NULL, has_ob ? ECO_CB_OB_SIZE : 0,
		       NULL, noo, &cb);
	if (ret)
		return ret;	/* the callable's result, unchanged */
	if (has_ob) {
		got = cb->args.ob[0].data;
		for (i = 0; i < cb->args.ob[0].size; i++)
			if (got[i] != ECO_OB_FILL)
				ret = ECO_CB_ERR_BAD_OUTPUT;
	}
	for (i = 0; i < noo && !ret; i++) {
		if (!cb->args.oo[i].owned) {
			ret = ECO_CB_ERR_BAD_OUTPUT;	/* NULL or ours */
			break;
		}
		ret = eco_use_mem(call, cb->args.oo[i].id);
		if (ret && ret != ECO_CB_ERR)
			ret = ECO_CB_ERR_BAD_OUTPUT;	/* not memory */
	}
	/* The memory objects are released with the request (async). */
	qsim_cb_free(&call->sim->core, cb);

	return ret;
}

/* op 0 set: keep @a->io[0] (NULL drops the one kept); never call it. */
static int eco_set(struct qsim_eco_obj *t, struct qsim_args *a)
{
	struct qsim_oarg old;

	if (!qsim_shape(a, 0, 0, 1, 0))
		return QSIM_INVALID;
	if (a->io[0].id && eco_callee(&a->io[0]))
		return ECO_CB_ERR;
	mutex_lock(&t->lock);
	old = t->held;
	t->held = a->io[0];
	t->gen++;
	mutex_unlock(&t->lock);
	/* The object now owns what the argument held. */
	memset(&a->io[0], 0, sizeof(a->io[0]));
	qsim_oarg_clear(&t->obj.sim->core, &old, true);

	return QSIM_OK;
}

/*
 * op 1 callSet: call the kept callee with op 0. It is taken out while the
 * call runs (no lock is held across a callback) and put back unless a set
 * came in meanwhile; a concurrent callSet finds nothing kept.
 */
static int eco_call_set(struct qsim_eco_obj *t, struct qsim_call *call,
			struct qsim_args *a)
{
	struct qsim_oarg oa;
	struct qsim_cb *cb;
	u32 gen;
	int ret;

	if (!qsim_shape(a, 0, 0, 0, 0))
		return QSIM_INVALID;
	mutex_lock(&t->lock);
	oa = t->held;
	memset(&t->held, 0, sizeof(t->held));
	gen = t->gen;
	mutex_unlock(&t->lock);
	if (!oa.id)
		return ECO_CB_ERR_NULL_OBJ;

	ret = eco_call(call, oa.id, ECO_CALLABLE_CALL, NULL, 0, NULL, 0, &cb);
	qsim_cb_free(&call->sim->core, cb);

	mutex_lock(&t->lock);
	if (t->gen == gen) {
		t->held = oa;
		memset(&oa, 0, sizeof(oa));
	}
	mutex_unlock(&t->lock);
	qsim_oarg_clear(&call->sim->core, &oa, true);

	return ret;
}

/* Copy a callable's OB answer into our OB @ob (exactly @len bytes). */
static int eco_copy_out(struct qsim_buf *ob, struct qsim_cb *cb, size_t len)
{
	if (cb->args.ob[0].size != len || ob->cap < len)
		return ECO_CB_ERR_BAD_OUTPUT;
	memcpy(ob->data, cb->args.ob[0].data, len);
	ob->size = len;
	return QSIM_OK;
}

static int eco_cback_invoke(struct qsim_eco_obj *t, struct qsim_call *call,
			    u32 op, struct qsim_args *a)
{
	struct qsim_oarg *callee = a->nio ? &a->io[a->nio - 1] : NULL;
	struct qsim_cb *cb = NULL;
	unsigned int i;
	int ret;

	switch (op) {
	case ECO_CB_SET:
		return eco_set(t, a);
	case ECO_CB_CALL_SET:
		return eco_call_set(t, call, a);
	case ECO_CB_CALL_COPY_BUFFER:
		if (!qsim_shape(a, 1, 1, 0, 0))
			return QSIM_INVALID;
		if (a->ob[0].cap < a->ib[0].size)
			return QSIM_SIZE_OUT;
		memcpy(a->ob[0].data, a->ib[0].data, a->ib[0].size);
		a->ob[0].size = a->ib[0].size;
		return QSIM_OK;
	case ECO_CB_GET_MEM ... ECO_CB_GET_TWO_MEM:
		return eco_get_mem(call, op, a);
	}

	/* Every other op calls the callee in the last IO. */
	if (!callee)
		return QSIM_INVALID;
	switch (op) {
	case ECO_CB_CALL:
	case ECO_CB_CALL_RETURN_ERROR:
		if (!qsim_shape(a, 0, 0, 1, 0))
			return QSIM_INVALID;
		break;
	case ECO_CB_CALL_WITH_BUFFER:
	case ECO_CB_CALL_FUNC_WITH_BUFFER:
		if (!qsim_shape(a, 1, 0, 1, 0))
			return QSIM_INVALID;
		break;
	case ECO_CB_CALL_WITH_OBJECT:
		if (!qsim_shape(a, 0, 0, 2, 0))
			return QSIM_INVALID;
		break;
	case ECO_CB_CALL_WITH_BUFFER_OUT:
	case ECO_CB_CALL_GET_OBJECT:
	case ECO_CB_CALL_GET_THREE:
		if (!qsim_shape(a, 0, 0, 1, 0))
			return QSIM_INVALID;
		break;
	case ECO_CB_CALL_ADD_INT:
		if (!qsim_shape(a, 1, 1, 1, 0) || a->ib[0].size != 8)
			return QSIM_INVALID;
		break;
	case ECO_CB_CALL_WITH_DELAY:
		if (!qsim_shape(a, 0, 1, 1, 0))
			return QSIM_INVALID;
		break;
	default:
		return QSIM_INVALID;
	}
	ret = eco_callee(callee);
	if (ret)
		return ret;

	switch (op) {
	case ECO_CB_CALL:
		ret = eco_call(call, callee->id, ECO_CALLABLE_CALL, NULL, 0,
			       NULL, 0, &cb);
		break;
	case ECO_CB_CALL_RETURN_ERROR:
		/* [I] the callable's error comes back as the result. */
		ret = eco_call(call, callee->id, ECO_CALLABLE_RETURN_ERROR,
			       NULL, 0, NULL, 0, &cb);
		break;
	case ECO_CB_CALL_WITH_BUFFER:
		ret = eco_call(call, callee->id, ECO_CALLABLE_WITH_BUFFER,
			       &a->ib[0], 0, NULL, 0, &cb);
		break;
	case ECO_CB_CALL_FUNC_WITH_BUFFER:
		ret = eco_call(call, callee->id, ECO_CALLABLE_FUNC_WITH_BUFFER,
			       &a->ib[0], 0, NULL, 0, &cb);
		break;
	case ECO_CB_CALL_WITH_OBJECT:
		/* A kernel id goes back as itself, our own object as ours. */
		ret = eco_call(call, callee->id, ECO_CALLABLE_WITH_OBJECT,
			       NULL, 0, &a->io[0], 0, &cb);
		break;
	case ECO_CB_CALL_WITH_BUFFER_OUT:
		ret = eco_call(call, callee->id, ECO_CALLABLE_WITH_BUFFER_OUT,
			       NULL, ECO_CB_OB_SIZE, NULL, 0, &cb);
		break;
	case ECO_CB_CALL_GET_OBJECT:
	case ECO_CB_CALL_GET_THREE:
		ret = eco_call(call, callee->id, op == ECO_CB_CALL_GET_OBJECT ?
			       ECO_CALLABLE_GET_OBJECT : ECO_CALLABLE_GET_THREE,
			       NULL, 0, NULL, op == ECO_CB_CALL_GET_OBJECT ? 1 : 3,
			       &cb);
		/* [I] every object asked for must come; then it is dropped. */
		for (i = 0; !ret && i < cb->args.noo; i++)
			if (!cb->args.oo[i].id)
				ret = ECO_CB_ERR_BAD_OUTPUT;
		break;
	case ECO_CB_CALL_ADD_INT:
		ret = eco_call(call, callee->id, ECO_CALLABLE_ADD_INT,
			       &a->ib[0], 4, NULL, 0, &cb);
		if (!ret)
			ret = eco_copy_out(&a->ob[0], cb, 4);
		break;
	case ECO_CB_CALL_WITH_DELAY:
		ret = eco_call(call, callee->id, ECO_CALLABLE_WITH_DELAY, NULL,
			       4, NULL, 0, &cb);
		if (!ret)
			ret = eco_copy_out(&a->ob[0], cb, 4);
		break;
	}
	qsim_cb_free(&call->sim->core, cb);

	return ret;
}

static int eco_mm_invoke(struct qsim_call *call, u32 op, struct qsim_args *a)
{
	unsigned int i, n;
	int ret;

	switch (op) {
	case ECO_MM_ACCESS:
	case ECO_MM_RELEASE_IMMEDIATELY:
		n = 1;
		break;
	case ECO_MM_ACCESS_TWO:
		n = 2;
		break;
	default:
		/* Ops 1-5 (fail*) and 8 (skipUnmapMo) are not modelled. */
		return QSIM_INVALID;
	}
	if (!qsim_shape(a, 0, 0, n, 0))
		return QSIM_INVALID;
	for (i = 0; i < n; i++)
		if (!a->io[i].owned)
			return QSIM_INVALID;	/* not a kernel object */
	if (op == ECO_MM_RELEASE_IMMEDIATELY)
		return QSIM_OK;	/* dropped with the call, never mapped */
	for (i = 0; i < n; i++) {
		ret = eco_use_mem(call, a->io[i].id);
		if (ret)
			return ret == ECO_CB_ERR ? QSIM_ERROR : ret;
	}

	return QSIM_OK;
}

static int eco_obj_invoke(struct qsim_obj *obj, struct qsim_call *call,
			  u32 op, struct qsim_args *a);

static void eco_obj_release(struct qsim_obj *obj)
{
	struct qsim_eco_obj *t = to_eco(obj);
	struct qsim_app *app = t->app;

	qsim_oarg_clear(&obj->sim->core, &t->held, true);
	mutex_destroy(&t->lock);
	qsim_free(obj->sim, t);
	qsim_app_put(app);
}

static const struct qsim_class qsim_eco_cback_class = {
	.name = "tzecotestapp-TestCBack",
	.blocking = true,
	.invoke = eco_obj_invoke,
	.release = eco_obj_release,
};

static const struct qsim_class qsim_eco_mm_class = {
	.name = "tzecotestapp-TestMemManager",
	.blocking = true,
	.invoke = eco_obj_invoke,
	.release = eco_obj_release,
};

static int eco_obj_invoke(struct qsim_obj *obj, struct qsim_call *call,
			  u32 op, struct qsim_args *a)
{
	struct qsim_eco_obj *t = to_eco(obj);

	if (qsim_app_defunct(t->app, obj))
		return QSIM_DEFUNCT;
	if (obj->cls == &qsim_eco_cback_class)
		return eco_cback_invoke(t, call, op, a);

	return eco_mm_invoke(call, op, a);
}

/**
 * qsim_ecotest_invoke() - an op on tzecotestapp's app object (IOpener)
 * @app: the app.
 * @call: the invocation.
 * @op: the op.
 * @a: its arguments.
 *
 * Return: QSIM_OK with a new TestCBack or TestMemManager in OO 0, 10
 * NOT_FOUND for any other IOpener id, or a generic error.
 */
int qsim_ecotest_invoke(struct qsim_app *app, struct qsim_call *call, u32 op,
			struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
	const struct qsim_class *cls;
	struct qsim_eco_obj *t;
	int ret;

	if (op != ECO_OPENER_OP_OPEN || !qsim_shape(a, 1, 0, 0, 1))
		return QSIM_INVALID;
	if (a->ib[0].size != 4)
		return QSIM_SIZE_IN;
	switch (qsim_get32(a->ib[0].data, 0)) {
	case ECO_ID_TESTCBACK:
		cls = &qsim_eco_cback_class;
		break;
	case ECO_ID_TESTMEMMANAGER:
		cls = &qsim_eco_mm_class;
		break;
	default:
		/* The other ids of real-clients.md 10 are not modelled. */
		return ECO_OPENER_NOT_FOUND;
	}
	t = qsim_alloc(sim, sizeof(*t));
	if (!t)
		return QSIM_MEM;
	ret = qsim_obj_add(&sim->core, &t->obj, cls);
	if (ret) {
		qsim_free(sim, t);
		return ret;
	}
	mutex_init(&t->lock);
	qsim_app_get(app);
	t->app = app;
	qsim_set_oo_obj(a, 0, &t->obj);

	return QSIM_OK;
}
