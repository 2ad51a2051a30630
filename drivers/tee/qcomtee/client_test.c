// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the kernel client API and the TEE bus against the
 * simulated QTEE: contexts opened the way client drivers open them,
 * tee_client_object_invoke_func() with kernel buffers, kernel callback
 * and memory objects, service devices and the diagnostics client.
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "qcomtee.h"
#include "qcomtee_call.h"
#include "sim/qcomtee_sim.h"
#include "sim/qcomtee_sim_testapp.h"

struct ctest {
	struct kunit *test;
	struct qcomtee_sim *sim;
	struct qcomtee *qcomtee;
	struct tee_context *ctx;
	unsigned int base_objects;
};

struct ctest_call {
	struct tee_ioctl_object_invoke_arg arg;
	struct tee_param p[QCOMTEE_MSG_ARGS_PER_CLASS + 1];
	unsigned int n;
};

static void ctest_ubuf(struct ctest_call *c, u64 attr, void *buf, size_t len)
{
	c->p[c->n].attr = attr;
	c->p[c->n].u.ubuf.kaddr = buf;
	c->p[c->n].u.ubuf.size = len;
	c->n++;
}

static void ctest_objref(struct ctest_call *c, u64 attr, u64 id, u64 flags)
{
	c->p[c->n].attr = attr;
	c->p[c->n].u.objref.id = id;
	c->p[c->n].u.objref.flags = flags;
	c->n++;
}

#define IN_BUF(c, b, l)	ctest_ubuf(c, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT, b, l)
#define OUT_BUF(c, b, l) ctest_ubuf(c, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT, b, l)
#define IN_OBJ(c, id, f) ctest_objref(c, TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT, id, f)
#define OUT_OBJ(c)	ctest_objref(c, TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT, 0, 0)

/* Invokes through the TEE core's kernel entry point; returns its errno. */
static int ctest_call(struct tee_context *ctx, struct ctest_call *c, u64 id,
		      u32 op)
{
	c->arg.id = id;
	c->arg.op = op;
	c->arg.num_params = c->n;
	c->arg.ret = 0x7fff;
	return tee_client_object_invoke_func(ctx, &c->arg, c->p);
}

/* Invokes and asserts QTEE was reached; returns QTEE's result. */
static int ctest_invoke(struct ctest *t, struct ctest_call *c, u64 id, u32 op)
{
	KUNIT_ASSERT_EQ(t->test, ctest_call(t->ctx, c, id, op), 0);
	return c->arg.ret;
}

static void ctest_release(struct ctest *t, u64 handle)
{
	struct ctest_call c = { };

	KUNIT_EXPECT_EQ(t->test, ctest_invoke(t, &c, handle,
					      QCOMTEE_MSG_OBJECT_OP_RELEASE), 0);
}

static u64 ctest_env(struct ctest *t)
{
	struct ctest_call c = { };

	IN_OBJ(&c, TEE_OBJREF_NULL, 0);
	OUT_OBJ(&c);
	KUNIT_ASSERT_EQ(t->test, ctest_invoke(t, &c, TEE_OBJREF_NULL,
					      QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS),
			0);
	KUNIT_ASSERT_EQ(t->test, c.p[1].u.objref.flags,
			QCOMTEE_OBJREF_FLAG_TEE);
	return c.p[1].u.objref.id;
}

static u64 ctest_open(struct ctest *t, u32 uid)
{
	struct ctest_call c = { };
	u64 env = ctest_env(t);

	IN_BUF(&c, &uid, sizeof(uid));
	OUT_OBJ(&c);
	KUNIT_ASSERT_EQ(t->test, ctest_invoke(t, &c, env,
					      QCOMTEE_CLIENT_ENV_OPEN), 0);
	ctest_release(t, env);
	return c.p[1].u.objref.id;
}

/* Loads the simulator's test app; returns the controller and the app. */
static void ctest_load(struct ctest *t, u64 *ctl, u64 *app)
{
	u64 loader = ctest_open(t, QCOMTEE_APP_LOADER_UID);
	struct ctest_call c = { };
	ssize_t len;
	void *image;

	image = kunit_kzalloc(t->test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t->test, image);
	len = qcomtee_sim_build_app_image(QTA_NAME, image, SZ_4K);
	KUNIT_ASSERT_GT(t->test, len, 0);
	IN_BUF(&c, image, len);
	OUT_OBJ(&c);
	KUNIT_ASSERT_EQ(t->test, ctest_invoke(t, &c, loader, 0), 0);
	*ctl = c.p[1].u.objref.id;
	ctest_release(t, loader);

	memset(&c, 0, sizeof(c));
	OUT_OBJ(&c);
	KUNIT_ASSERT_EQ(t->test, ctest_invoke(t, &c, *ctl, 2), 0);
	*app = c.p[0].u.objref.id;
}

static void ctest_settle(struct ctest *t, struct qcomtee_sim_stats *st)
{
	struct qcomtee_object_invoke_ctx oic;
	struct qcomtee_arg args[] = { { .type = QCOMTEE_ARG_TYPE_INV } };
	int result;

	flush_workqueue(t->qcomtee->release_wq);
	qcomtee_sim_get_stats(t->sim, st);
	if (st->pending_releases) {
		qcomtee_oic_init(&oic, t->qcomtee, NULL);
		qcomtee_object_do_invoke(&oic, qcomtee_root(t->qcomtee),
					 QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE,
					 args, &result);
		flush_workqueue(t->qcomtee->release_wq);
		qcomtee_sim_get_stats(t->sim, st);
	}
}

/* Nothing but what the bound service clients hold is left on either side. */
static void ctest_leak_check(struct ctest *t)
{
	struct qcomtee_sim_stats st;

	ctest_settle(t, &st);
	KUNIT_EXPECT_EQ(t->test, st.objects, t->base_objects);
	KUNIT_EXPECT_EQ(t->test, st.ns_refs, 0);
	KUNIT_EXPECT_EQ(t->test, st.apps, 0);
	KUNIT_EXPECT_EQ(t->test, atomic_read(&t->qcomtee->stats.tee_objects),
			t->base_objects);
	KUNIT_EXPECT_EQ(t->test, atomic_read(&t->qcomtee->stats.cb_exported), 0);
}

static struct tee_client_device *ctest_bus_dev(struct ctest *t, u32 uid)
{
	uuid_t uuid;
	unsigned int i;

	qcomtee_service_uuid(uid, &uuid);
	for (i = 0; i < t->qcomtee->num_bus_devs; i++)
		if (uuid_equal(&t->qcomtee->bus_devs[i]->id.uuid, &uuid))
			return t->qcomtee->bus_devs[i];
	return NULL;
}

static int ctest_init(struct kunit *test)
{
	struct qcomtee_sim_stats st;
	struct ctest *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	test->priv = t;

	t->sim = qcomtee_sim_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(t->sim));
	t->qcomtee = platform_get_drvdata(qcomtee_sim_pdev(t->sim));
	KUNIT_ASSERT_NOT_NULL(test, t->qcomtee);
	KUNIT_ASSERT_GT(test, t->qcomtee->num_bus_devs, 0);

	/* A context the way a client driver bound to a service opens it. */
	t->ctx = tee_client_device_open_context(t->qcomtee->bus_devs[0]);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->ctx));

	ctest_settle(t, &st);
	t->base_objects = st.objects;
	return 0;
}

static void ctest_exit(struct kunit *test)
{
	struct ctest *t = test->priv;

	if (!t || !t->sim)
		return;
	if (t->ctx) {
		tee_client_close_context(t->ctx);
		ctest_leak_check(t);
	}
	qcomtee_sim_destroy(t->sim);
}

static void ctest_context_is_kernel(struct kunit *test)
{
	struct ctest *t = test->priv;

	KUNIT_EXPECT_TRUE(test, t->ctx->kernel_client);
	KUNIT_EXPECT_PTR_EQ(test, t->ctx->teedev, t->qcomtee->teedev);
}

static int ctest_match_qtee(struct tee_ioctl_version_data *ver,
			    const void *data)
{
	return ver->impl_id == TEE_IMPL_ID_QTEE &&
	       (ver->gen_caps & TEE_GEN_CAP_OBJREF);
}

static void ctest_open_context_by_impl_id(struct kunit *test)
{
	struct tee_ioctl_version_data vers;
	struct tee_context *ctx;

	ctx = tee_client_open_context(NULL, ctest_match_qtee, NULL, &vers);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx));
	KUNIT_EXPECT_EQ(test, vers.impl_id, TEE_IMPL_ID_QTEE);
	KUNIT_EXPECT_TRUE(test, ctx->kernel_client);
	tee_client_close_context(ctx);
}

static void ctest_open_context_foreign_device(struct kunit *test)
{
	struct tee_client_device tdev = { };

	tdev.dev.parent = &qcomtee_sim_pdev(((struct ctest *)test->priv)->sim)->dev;
	KUNIT_EXPECT_EQ(test, PTR_ERR(tee_client_device_open_context(&tdev)),
			-ENODEV);
}

static void ctest_privileged_env(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct ctest_call c = { };

	ctest_release(t, ctest_env(t));
	/* Kernel-only housekeeping ops are the kernel's to send. */
	KUNIT_EXPECT_EQ(test, ctest_invoke(t, &c, TEE_OBJREF_NULL,
					   QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE),
			0);
}

static void ctest_user_context_refused(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_context *uctx = teedev_open(t->qcomtee->teedev);
	static const u32 ops[] = { 4, 8, 9 };
	struct ctest_call c = { };
	unsigned int i;

	KUNIT_ASSERT_FALSE(test, IS_ERR(uctx));
	KUNIT_EXPECT_FALSE(test, uctx->kernel_client);
	/* A context that is not the kernel's cannot claim its rights. */
	IN_OBJ(&c, TEE_OBJREF_NULL, 0);
	OUT_OBJ(&c);
	KUNIT_EXPECT_EQ(test, ctest_call(uctx, &c, TEE_OBJREF_NULL,
					 QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS),
			-EPERM);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		memset(&c, 0, sizeof(c));
		KUNIT_EXPECT_EQ(test, ctest_call(uctx, &c, TEE_OBJREF_NULL,
						 ops[i]), -EPERM);
	}
	teedev_close_context(uctx);
}

static void ctest_diagnostics(struct kunit *test)
{
	struct ctest *t = test->priv;
	u64 diag = ctest_open(t, QCOMTEE_DIAGNOSTICS_UID);
	struct ctest_call c = { };
	u32 heap[8] = { };

	OUT_BUF(&c, heap, sizeof(heap));
	KUNIT_EXPECT_EQ(test, ctest_invoke(t, &c, diag, 0), 0);
	/* Only the bytes QTEE wrote are reported. */
	KUNIT_EXPECT_EQ(test, c.p[0].u.ubuf.size, 24);
	KUNIT_EXPECT_GT(test, heap[0], 0);
	KUNIT_EXPECT_LE(test, heap[5], heap[2]);
	ctest_release(t, diag);
}

static void ctest_released_handle(struct kunit *test)
{
	struct ctest *t = test->priv;
	u64 diag = ctest_open(t, QCOMTEE_DIAGNOSTICS_UID);
	struct ctest_call c = { };

	ctest_release(t, diag);
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, diag, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, diag,
					 QCOMTEE_MSG_OBJECT_OP_RELEASE),
			-EINVAL);
}

static void ctest_bad_params(struct kunit *test)
{
	struct ctest *t = test->priv;
	static const u64 refused[] = {
		TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT,
		TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT,
		TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INOUT,
		TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INOUT,
	};
	struct ctest_call c;
	unsigned int i;
	int cb_objects;

	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		memset(&c, 0, sizeof(c));
		c.p[0].attr = refused[i];
		c.n = 1;
		KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL,
						 QCOMTEE_ROOT_OP_REG_AS_CLIENT),
				-EINVAL);
	}
	memset(&c, 0, sizeof(c));
	IN_OBJ(&c, 12345, QCOMTEE_OBJREF_FLAG_TEE);	/* no such handle */
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL, 2),
			-EINVAL);
	memset(&c, 0, sizeof(c));
	IN_OBJ(&c, 1, QCOMTEE_OBJREF_FLAG_TEE | QCOMTEE_OBJREF_FLAG_MEM);
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL, 2),
			-EINVAL);
	/*
	 * A kernel context has no supplicant: a USER objref would make QTEE's
	 * callbacks on it wait forever in a kworker. Refused, without a call.
	 */
	memset(&c, 0, sizeof(c));
	IN_OBJ(&c, 0x42, QCOMTEE_OBJREF_FLAG_USER);
	cb_objects = atomic_read(&t->qcomtee->stats.cb_objects);
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL,
					 QCOMTEE_ROOT_OP_REG_AS_CLIENT), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->qcomtee->stats.cb_objects),
			cb_objects);
	memset(&c, 0, sizeof(c));
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL,
					 QCOMTEE_MSG_OBJECT_OP_RETAIN), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL, 0x10000),
			-EINVAL);
}

static void ctest_too_many_params(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_ioctl_object_invoke_arg arg = {
		.id = TEE_OBJREF_NULL, .op = 2,
	};
	struct ctest_call c = { };
	struct tee_param *p;
	unsigned int i;

	for (i = 0; i <= QCOMTEE_MSG_ARGS_PER_CLASS; i++)
		OUT_OBJ(&c);
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, TEE_OBJREF_NULL, 2),
			-EINVAL);

	/* 61 parameters, none of a class beyond 15: still too many. */
	p = kunit_kcalloc(test, QCOMTEE_MSG_ARGS_MAX + 1, sizeof(*p),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i <= QCOMTEE_MSG_ARGS_MAX; i++)
		p[i].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	arg.num_params = QCOMTEE_MSG_ARGS_MAX + 1;
	KUNIT_EXPECT_EQ(test, tee_client_object_invoke_func(t->ctx, &arg, p),
			-EINVAL);
}

/* A kernel client's callback object. */
struct ctest_obj {
	struct qcomtee_object object;
	atomic_t calls;
	bool released;
};

static int ctest_obj_dispatch(struct qcomtee_object_invoke_ctx *oic,
			      struct qcomtee_object *object, u32 op,
			      struct qcomtee_arg *args)
{
	struct ctest_obj *o = container_of(object, struct ctest_obj, object);
	unsigned int i, j;

	atomic_inc(&o->calls);
	/* Answer every output buffer with the first input inverted. */
	for (i = 0; args[i].type != QCOMTEE_ARG_TYPE_INV; i++) {
		if (args[i].type != QCOMTEE_ARG_TYPE_OB)
			continue;
		if (args[0].type != QCOMTEE_ARG_TYPE_IB ||
		    args[i].b.size < args[0].b.size)
			return -EINVAL;
		for (j = 0; j < args[0].b.size; j++)
			((u8 *)args[i].b.addr)[j] = ~((u8 *)args[0].b.addr)[j];
		args[i].b.size = args[0].b.size;
	}
	return 0;
}

static void ctest_obj_release(struct qcomtee_object *object)
{
	container_of(object, struct ctest_obj, object)->released = true;
}

static const struct qcomtee_object_operations ctest_obj_ops = {
	.dispatch = ctest_obj_dispatch,
	.release = ctest_obj_release,
};

static struct ctest_obj *ctest_obj_new(struct ctest *t)
{
	struct ctest_obj *o = kunit_kzalloc(t->test, sizeof(*o), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(t->test, o);
	KUNIT_ASSERT_EQ(t->test, qcomtee_kernel_object_init(t->ctx, &o->object,
							    &ctest_obj_ops,
							    "client"), 0);
	return o;
}

static void ctest_callback_object(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct ctest_obj *o = ctest_obj_new(t);
	struct {
		u32 op, ob_size, num_oo, flags;
	} req = { .op = 3, .ob_size = 8, .flags = QTA_CB_EXPECT_OB };
	struct {
		s32 cb_result;
		u32 ob_len, oo_count, oo_ns_mask;
	} rsp = { };
	u8 data[8] = "client!", ob[8];
	struct ctest_call c = { };
	u64 ctl, app, h;

	KUNIT_ASSERT_EQ(test, qcomtee_kernel_object_handle(t->ctx, &o->object,
							   &h), 0);
	ctest_load(t, &ctl, &app);
	IN_BUF(&c, &req, sizeof(req));
	IN_BUF(&c, data, sizeof(data));
	IN_OBJ(&c, h, QCOMTEE_OBJREF_FLAG_TEE);
	OUT_BUF(&c, &rsp, sizeof(rsp));
	OUT_BUF(&c, ob, sizeof(ob));
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_CALLBACK), 0);
	KUNIT_EXPECT_EQ(test, rsp.cb_result, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&o->calls), 1);
	KUNIT_EXPECT_EQ(test, ob[0], (u8)~data[0]);

	ctest_release(t, app);
	ctest_release(t, ctl);
	/* The handle is a reference of its own; drop ours, then it. */
	qcomtee_object_put(&o->object);
	KUNIT_EXPECT_FALSE(test, o->released);
	ctest_release(t, h);
	KUNIT_EXPECT_TRUE(test, o->released);
}

static void ctest_callback_object_returned(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct ctest_obj *o = ctest_obj_new(t);
	struct ctest_call c = { };
	u32 slot = 0, rel[2];
	u64 ctl, app, h, back;

	KUNIT_ASSERT_EQ(test, qcomtee_kernel_object_handle(t->ctx, &o->object,
							   &h), 0);
	ctest_load(t, &ctl, &app);
	IN_OBJ(&c, h, QCOMTEE_OBJREF_FLAG_TEE);
	OUT_BUF(&c, &slot, sizeof(slot));
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_HOLD), 0);

	memset(&c, 0, sizeof(c));
	IN_BUF(&c, &slot, sizeof(slot));
	OUT_OBJ(&c);
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_RETURN_HELD), 0);
	/* The kernel client's own object comes back as a new handle. */
	back = c.p[1].u.objref.id;
	KUNIT_EXPECT_EQ(test, c.p[1].u.objref.flags, QCOMTEE_OBJREF_FLAG_TEE);
	KUNIT_EXPECT_NE(test, back, h);
	KUNIT_EXPECT_PTR_EQ(test, xa_load(&((struct qcomtee_context_data *)
					    t->ctx->data)->handles, back),
			    (void *)&o->object);

	memset(&c, 0, sizeof(c));
	rel[0] = slot;
	rel[1] = QTA_RELEASE_ASYNC;
	IN_BUF(&c, rel, sizeof(rel));
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_RELEASE_HELD), 0);
	ctest_release(t, back);
	ctest_release(t, h);
	ctest_release(t, app);
	ctest_release(t, ctl);
	qcomtee_object_put(&o->object);
	KUNIT_EXPECT_TRUE(test, o->released);
}

static void ctest_object_init_rules(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_context *uctx = teedev_open(t->qcomtee->teedev);
	struct ctest_obj o = { };
	u64 h;

	KUNIT_ASSERT_FALSE(test, IS_ERR(uctx));
	/* Only kernel contexts host kernel objects. */
	KUNIT_EXPECT_EQ(test, qcomtee_kernel_object_init(uctx, &o.object,
							 &ctest_obj_ops, "x"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, qcomtee_kernel_object_init(t->ctx, &o.object,
							 NULL, "x"), -EINVAL);
	KUNIT_ASSERT_EQ(test, qcomtee_kernel_object_init(t->ctx, &o.object,
							 &ctest_obj_ops, "x"),
			0);
	KUNIT_EXPECT_EQ(test, qcomtee_kernel_object_handle(uctx, &o.object, &h),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, qcomtee_kernel_object_handle(t->ctx, NULL, &h),
			-EINVAL);
	qcomtee_object_put(&o.object);
	KUNIT_EXPECT_TRUE(test, o.released);
	teedev_close_context(uctx);
}

/* Unused callback object wrappers are reused, a call's worth at most. */
static void ctest_user_object_cache(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_context *uctx = teedev_open(t->qcomtee->teedev);
	struct qcomtee_object *o[QCOMTEE_USER_OBJECT_CACHE + 1];
	struct qcomtee_arg args[2] = { };
	struct qcomtee_context_data *ctxdata;
	struct qcomtee_object *first;
	unsigned int i;
	u64 id;

	KUNIT_ASSERT_FALSE(test, IS_ERR(uctx));
	ctxdata = uctx->data;
	KUNIT_ASSERT_EQ(test, qcomtee_user_object_get(uctx, 1, &first), 0);
	qcomtee_object_put(first);
	KUNIT_EXPECT_EQ(test, ctxdata->num_cached_user_objects, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctxdata->num_user_objects), 0);

	/* The next object takes it, as new. */
	KUNIT_ASSERT_EQ(test, qcomtee_user_object_get(uctx, 2, &o[0]), 0);
	KUNIT_EXPECT_PTR_EQ(test, o[0], first);
	KUNIT_EXPECT_TRUE(test, qcomtee_user_object_id(uctx, o[0], &id));
	KUNIT_EXPECT_EQ(test, id, 2);
	KUNIT_EXPECT_EQ(test, ctxdata->num_cached_user_objects, 0);

	/* QTEE received it: its wrapper is the pending notification now. */
	args[0].type = QCOMTEE_ARG_TYPE_IO;
	args[0].o = first;
	args[1].type = QCOMTEE_ARG_TYPE_INV;
	qcomtee_user_objects_exported(uctx, args);
	qcomtee_object_put(first);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctxdata->num_user_objects), 1);
	KUNIT_EXPECT_EQ(test, ctxdata->num_cached_user_objects, 0);
	KUNIT_EXPECT_FALSE(test, list_empty(&ctxdata->supp_pending));

	for (i = 0; i < ARRAY_SIZE(o); i++) {
		KUNIT_ASSERT_EQ(test, qcomtee_user_object_get(uctx, 10 + i,
							      &o[i]), 0);
		KUNIT_EXPECT_PTR_NE(test, o[i], first);
	}
	for (i = 0; i < ARRAY_SIZE(o); i++)
		qcomtee_object_put(o[i]);
	/* Bounded: the one the cache had no room for was freed. */
	KUNIT_EXPECT_EQ(test, ctxdata->num_cached_user_objects,
			QCOMTEE_USER_OBJECT_CACHE);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctxdata->num_user_objects), 1);
	/* Closing drops the notification and frees every wrapper. */
	teedev_close_context(uctx);
}

static void ctest_callback_object_not_invokable(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct ctest_obj *o = ctest_obj_new(t);
	struct ctest_call c = { };
	u64 h;

	KUNIT_ASSERT_EQ(test, qcomtee_kernel_object_handle(t->ctx, &o->object,
							   &h), 0);
	/* Kernel objects are served locally, not invoked through QTEE. */
	KUNIT_EXPECT_EQ(test, ctest_call(t->ctx, &c, h, 0), -EINVAL);
	ctest_release(t, h);
	qcomtee_object_put(&o->object);
	KUNIT_EXPECT_EQ(test, atomic_read(&o->calls), 0);
}

static void ctest_memory_object(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct { u64 offset; u32 slot; u32 pad; } wr = { .offset = 8 };
	struct ctest_call c = { };
	struct tee_shm *shm;
	u64 ctl, app, mem;

	shm = tee_shm_alloc_kernel_buf(t->ctx, 64);
	KUNIT_ASSERT_FALSE(test, IS_ERR(shm));
	KUNIT_ASSERT_EQ(test, qcomtee_kernel_memobj_handle(t->ctx, shm, &mem),
			0);
	ctest_load(t, &ctl, &app);
	IN_OBJ(&c, mem, QCOMTEE_OBJREF_FLAG_TEE);
	IN_BUF(&c, &wr, sizeof(wr));
	IN_BUF(&c, "kernel", 6);
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_MEM_WRITE), 0);
	KUNIT_EXPECT_MEMEQ(test, (u8 *)shm->kaddr + 8, "kernel", 6);
	ctest_release(t, mem);
	tee_shm_free(shm);
	ctest_release(t, app);
	ctest_release(t, ctl);
}

static void ctest_qtee_object_as_input(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct ctest_call c = { };
	u32 init = 9, acc[2] = { };
	u64 ctl, app, counter;

	ctest_load(t, &ctl, &app);
	IN_BUF(&c, &init, sizeof(init));
	OUT_OBJ(&c);
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_NEW_OBJECT), 0);
	counter = c.p[1].u.objref.id;

	memset(&c, 0, sizeof(c));
	IN_OBJ(&c, counter, QCOMTEE_OBJREF_FLAG_TEE);
	OUT_BUF(&c, acc, sizeof(acc));
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_ACCEPT_OBJECT),
			0);
	KUNIT_EXPECT_EQ(test, acc[0], QTA_KIND_COUNTER);
	KUNIT_EXPECT_EQ(test, acc[1], 9);
	ctest_release(t, counter);
	ctest_release(t, app);
	ctest_release(t, ctl);
}

static void ctest_service_uuid(struct kunit *test)
{
	uuid_t uuid;
	char str[UUID_STRING_LEN + 1];

	qcomtee_service_uuid(143, &uuid);
	snprintf(str, sizeof(str), "%pUb", &uuid);
	KUNIT_EXPECT_STREQ(test, str, "51544545-5356-8000-8000-00000000008f");
	qcomtee_service_uuid(0xdeadbeef, &uuid);
	snprintf(str, sizeof(str), "%pUb", &uuid);
	KUNIT_EXPECT_STREQ(test, str, "51544545-5356-8000-8000-0000deadbeef");
}

static void ctest_bus_devices(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_client_device *tdev;
	char name[32];

	KUNIT_EXPECT_EQ(test, t->qcomtee->num_bus_devs, 3);
	tdev = ctest_bus_dev(t, QCOMTEE_DIAGNOSTICS_UID);
	KUNIT_ASSERT_NOT_NULL(test, tdev);
	snprintf(name, sizeof(name), "%s-svc-143",
		 dev_name(&t->qcomtee->teedev->dev));
	KUNIT_EXPECT_STREQ(test, dev_name(&tdev->dev), name);
	KUNIT_EXPECT_PTR_EQ(test, tdev->dev.bus, &tee_bus_type);
	KUNIT_EXPECT_NOT_NULL(test, ctest_bus_dev(t, QCOMTEE_FEATURE_VER_UID));
	KUNIT_EXPECT_NOT_NULL(test, ctest_bus_dev(t, QCOMTEE_APP_LOADER_UID));
}

/* Reads a sysfs attribute of the driver bound to @dev. */
static int ctest_read_attr(struct device *dev, const char *name, char *buf)
{
	const struct attribute_group *const *groups;
	struct attribute **attr;

	if (!dev->driver || !dev->driver->dev_groups)
		return -ENODEV;
	for (groups = dev->driver->dev_groups; *groups; groups++)
		for (attr = (*groups)->attrs; *attr; attr++)
			if (!strcmp((*attr)->name, name))
				return container_of(*attr,
						    struct device_attribute,
						    attr)->show(dev,
								NULL, buf);
	return -ENOENT;
}

static void ctest_diag_client_bound(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_client_device *tdev;
	u32 total, used, free;
	char *buf;
	int n;

	if (!IS_REACHABLE(CONFIG_QCOMTEE_DIAG))
		kunit_skip(test, "CONFIG_QCOMTEE_DIAG is off");
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	tdev = ctest_bus_dev(t, QCOMTEE_DIAGNOSTICS_UID);
	KUNIT_ASSERT_NOT_NULL(test, tdev);
	KUNIT_ASSERT_NOT_NULL(test, tdev->dev.driver);
	KUNIT_EXPECT_STREQ(test, tdev->dev.driver->name, "qcomtee-diag");

	KUNIT_ASSERT_GT(test, ctest_read_attr(&tdev->dev, "heap_info", buf), 0);
	n = sscanf(buf, "total %u used %u free %u", &total, &used, &free);
	KUNIT_ASSERT_EQ(test, n, 3);
	KUNIT_EXPECT_GT(test, used, 0);
	KUNIT_EXPECT_LE(test, used + free, total);
	KUNIT_ASSERT_GT(test, ctest_read_attr(&tdev->dev, "qtee_version", buf),
			0);
	KUNIT_EXPECT_STREQ(test, buf, "2.0.0\n");
}

static void ctest_diag_client_unbind(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct tee_client_device *tdev;
	struct qcomtee_sim_stats st;

	if (!IS_REACHABLE(CONFIG_QCOMTEE_DIAG))
		kunit_skip(test, "CONFIG_QCOMTEE_DIAG is off");
	tdev = ctest_bus_dev(t, QCOMTEE_DIAGNOSTICS_UID);
	KUNIT_ASSERT_NOT_NULL(test, tdev);
	/* Unbinding the client releases what it held in QTEE. */
	device_release_driver(&tdev->dev);
	KUNIT_EXPECT_NULL(test, tdev->dev.driver);
	ctest_settle(t, &st);
	KUNIT_EXPECT_EQ(test, st.objects, t->base_objects - 1);
	t->base_objects = st.objects;

	KUNIT_EXPECT_EQ(test, device_attach(&tdev->dev), 1);
	ctest_settle(t, &st);
	KUNIT_EXPECT_EQ(test, st.objects, t->base_objects + 1);
	t->base_objects = st.objects;
}

static void ctest_backend_gone_under_client(struct kunit *test)
{
	struct ctest *t = test->priv;
	struct ctest_obj *o = ctest_obj_new(t);
	struct qcomtee *qcomtee = t->qcomtee;
	struct ctest_call c = { };
	u32 slot;
	u64 ctl, app, h;

	KUNIT_ASSERT_EQ(test, qcomtee_kernel_object_handle(t->ctx, &o->object,
							   &h), 0);
	ctest_load(t, &ctl, &app);
	IN_OBJ(&c, h, QCOMTEE_OBJREF_FLAG_TEE);
	OUT_BUF(&c, &slot, sizeof(slot));
	KUNIT_ASSERT_EQ(test, ctest_invoke(t, &c, app, QTA_OP_HOLD), 0);
	ctest_release(t, h);
	qcomtee_object_put(&o->object);
	KUNIT_EXPECT_FALSE(test, o->released);

	/*
	 * The client closes its context as a bound driver would on unbind;
	 * the backend then goes away while QTEE holds the client's object.
	 */
	qcomtee_get(qcomtee);
	tee_client_close_context(t->ctx);
	t->ctx = NULL;
	qcomtee_sim_destroy(t->sim);
	t->sim = NULL;
	KUNIT_EXPECT_TRUE(test, o->released);
	KUNIT_EXPECT_EQ(test, atomic_read(&qcomtee->stats.tee_objects), 0);
	qcomtee_put(qcomtee);
}

static struct kunit_case qcomtee_client_test_cases[] = {
	KUNIT_CASE(ctest_context_is_kernel),
	KUNIT_CASE(ctest_open_context_by_impl_id),
	KUNIT_CASE(ctest_open_context_foreign_device),
	KUNIT_CASE(ctest_privileged_env),
	KUNIT_CASE(ctest_user_context_refused),
	KUNIT_CASE(ctest_diagnostics),
	KUNIT_CASE(ctest_released_handle),
	KUNIT_CASE(ctest_bad_params),
	KUNIT_CASE(ctest_too_many_params),
	KUNIT_CASE(ctest_callback_object),
	KUNIT_CASE(ctest_callback_object_returned),
	KUNIT_CASE(ctest_object_init_rules),
	KUNIT_CASE(ctest_callback_object_not_invokable),
	KUNIT_CASE(ctest_user_object_cache),
	KUNIT_CASE(ctest_memory_object),
	KUNIT_CASE(ctest_qtee_object_as_input),
	KUNIT_CASE(ctest_service_uuid),
	KUNIT_CASE(ctest_bus_devices),
	KUNIT_CASE(ctest_diag_client_bound),
	KUNIT_CASE(ctest_diag_client_unbind),
	KUNIT_CASE(ctest_backend_gone_under_client),
	{}
};

static struct kunit_suite qcomtee_client_test_suite = {
	.name = "qcomtee_client",
	.init = ctest_init,
	.exit = ctest_exit,
	.test_cases = qcomtee_client_test_cases,
};

kunit_test_suite(qcomtee_client_test_suite);
