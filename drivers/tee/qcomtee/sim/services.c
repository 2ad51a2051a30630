// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: ROOT, client envs and the services every host offers (a
 * model file: host.h).
 *
 * ROOT op 2/5 reads the caller's credentials object through callbacks
 * (IIO getLength / readAtOffset) and returns a client env that keeps the
 * credentials reference until the env is released. A client env opens
 * service objects by UID: diagnostics (143) and feature versions (2033)
 * here; the app loader (3), listener registration (87), TA-buffer
 * registration (268) and the test-control service (QCOMTEE_TESTSVC_UID)
 * where the host has them (qsim_host_service_class()).
 */

#include "model.h"
#include "qcomtee_testsvc.h"

#define QSIM_ROOT_OP_REGISTER		2
#define QSIM_ROOT_OP_NOTIFY_DOMAIN	4
#define QSIM_ROOT_OP_REGISTER_CRED	5
#define QSIM_ROOT_OP_ADCI_ACCEPT	8
#define QSIM_ROOT_OP_ADCI_SHUTDOWN	9

#define QSIM_IIO_OP_GET_LENGTH		0
#define QSIM_IIO_OP_READ_AT_OFFSET	1
#define QSIM_CRED_MAX			4096
#define QSIM_CRED_CHUNK			1024

#define QSIM_FEATURE_VERSION		10

/**
 * struct qsim_env - a client env
 * @obj: its object.
 * @cred_id: the credentials object (kernel id, one reference) or 0.
 * @cred: what the credentials said.
 */
struct qsim_env {
	struct qsim_obj obj;
	u32 cred_id;
	struct qsim_cred cred;
};

/**
 * qsim_service_release() - free a service object
 * @obj: the object of a struct qsim_service.
 */
void qsim_service_release(struct qsim_obj *obj)
{
	qsim_heap_free(obj->core->heap, container_of(obj, struct qsim_service, obj));
}

static int qsim_diag_invoke(struct qsim_obj *obj, struct qsim_call *call,
			    u32 op, struct qsim_args *a)
{
	u32 info[6];
	unsigned int i;

	if (op != 0 || !qsim_shape(a, 0, 1, 0, 0))
		return QSIM_INVALID;
	if (a->ob[0].cap < sizeof(info))
		return QSIM_SIZE_OUT;
	qsim_heap_fill_info(obj->core->heap, info);
	for (i = 0; i < ARRAY_SIZE(info); i++)
		qsim_put32(a->ob[0].data, 4 * i, info[i]);
	a->ob[0].size = sizeof(info);

	return QSIM_OK;
}

static const struct qsim_class qsim_diag_class = {
	.name = "diagnostics",
	.invoke = qsim_diag_invoke,
	.release = qsim_service_release,
};

static int qsim_feature_invoke(struct qsim_obj *obj, struct qsim_call *call,
			       u32 op, struct qsim_args *a)
{
	if (op != 0 || !qsim_shape(a, 1, 1, 0, 0))
		return QSIM_INVALID;
	if (a->ib[0].size != 4)
		return QSIM_SIZE_IN;
	if (a->ob[0].cap < 4)
		return QSIM_SIZE_OUT;
	if (qsim_get32(a->ib[0].data, 0) != QSIM_FEATURE_VERSION)
		return QSIM_INVALID;
	qsim_put32(a->ob[0].data, 0, READ_ONCE(obj->core->version));
	a->ob[0].size = 4;

	return QSIM_OK;
}

static const struct qsim_class qsim_feature_class = {
	.name = "feature-versions",
	.invoke = qsim_feature_invoke,
	.release = qsim_service_release,
};

static int qsim_env_invoke(struct qsim_obj *obj, struct qsim_call *call,
			   u32 op, struct qsim_args *a)
{
	struct qsim_env *env = container_of(obj, struct qsim_env, obj);
	const struct qsim_class *cls;
	struct qsim_service *svc;
	int ret;

	if (op != 0 || !qsim_shape(a, 1, 0, 0, 1))
		return QSIM_INVALID;
	if (a->ib[0].size != 4)
		return QSIM_SIZE_IN;
	switch (qsim_get32(a->ib[0].data, 0)) {
	case QSIM_UID_DIAG:
		cls = &qsim_diag_class;
		break;
	case QSIM_UID_FEATURE:
		cls = &qsim_feature_class;
		break;
	case QCOMTEE_TESTSVC_UID:
		cls = &qsim_testsvc_class;
		break;
	default:
		/* The app loader, listeners: the host's, if it has them. */
		cls = qsim_host_service_class(qsim_get32(a->ib[0].data, 0));
		if (!cls)
			return QSIM_INVALID;
	}
	svc = qsim_heap_alloc(obj->core->heap, sizeof(*svc));
	if (!svc)
		return QSIM_MEM;
	svc->cred = env->cred;
	ret = qsim_obj_add(obj->core, &svc->obj, cls);
	if (ret) {
		qsim_heap_free(obj->core->heap, svc);
		return ret;
	}
	qsim_set_oo_obj(a, 0, &svc->obj);

	return QSIM_OK;
}

static void qsim_env_release(struct qsim_obj *obj)
{
	struct qsim_env *env = container_of(obj, struct qsim_env, obj);

	if (env->cred_id)
		qsim_ns_put(obj->core, env->cred_id);
	qsim_heap_free(obj->core->heap, env);
}

static const struct qsim_class qsim_env_class = {
	.name = "client-env",
	.invoke = qsim_env_invoke,
	.release = qsim_env_release,
};

/* Read the whole credentials object through IIO callbacks. */
static int qsim_read_cred(struct qsim_core *core, struct qsim_call *call,
			  u32 id, struct qsim_cred *cred)
{
	struct qsim_cb *cb;
	u8 *buf = NULL;
	u64 len, pos = 0, chunk;
	u8 off[8];
	int ret;

	cb = qsim_cb_new(core, id, QSIM_IIO_OP_GET_LENGTH);
	if (!cb)
		return QSIM_MEM;
	ret = qsim_cb_add_ob(core, cb, 8);
	if (!ret)
		ret = qsim_callback(call, cb);
	if (!ret && cb->args.ob[0].size != 8)
		ret = QSIM_INVALID;
	len = ret ? 0 : get_unaligned_le64(cb->args.ob[0].data);
	qsim_cb_free(core, cb);
	if (ret)
		return ret;
	if (!len || len > QSIM_CRED_MAX)
		return QSIM_INVALID;

	buf = qsim_heap_alloc(core->heap, len);
	if (!buf)
		return QSIM_MEM;
	while (pos < len) {
		chunk = min_t(u64, len - pos, QSIM_CRED_CHUNK);
		cb = qsim_cb_new(core, id, QSIM_IIO_OP_READ_AT_OFFSET);
		if (!cb) {
			ret = QSIM_MEM;
			break;
		}
		put_unaligned_le64(pos, off);
		ret = qsim_cb_add_ib(core, cb, off, sizeof(off));
		if (!ret)
			ret = qsim_cb_add_ob(core, cb, chunk);
		if (!ret)
			ret = qsim_callback(call, cb);
		if (!ret && !cb->args.ob[0].size)
			ret = QSIM_INVALID;	/* no progress */
		if (!ret) {
			memcpy(buf + pos, cb->args.ob[0].data,
			       cb->args.ob[0].size);
			pos += cb->args.ob[0].size;
		}
		qsim_cb_free(core, cb);
		if (ret)
			break;
	}
	if (!ret && qsim_cbor_parse_cred(buf, len, cred))
		ret = QSIM_INVALID;
	qsim_heap_free(core->heap, buf);

	return ret;
}

static int qsim_root_register(struct qsim_core *core, struct qsim_call *call,
			      u32 op, struct qsim_args *a)
{
	struct qsim_oarg *cred_arg = &a->io[0];
	struct qsim_cred cred = { };
	struct qsim_env *env;
	int ret;

	if (!qsim_shape(a, 0, 0, 1, 1))
		return QSIM_INVALID;
	if (cred_arg->id == QSIM_ID_NULL) {
		if (op != QSIM_ROOT_OP_REGISTER_CRED)
			return QSIM_INVALID;
		cred.privileged = true;
	} else {
		/* Credentials are a callback object hosted by the kernel. */
		if (!cred_arg->owned)
			return QSIM_INVALID;
		ret = qsim_read_cred(core, call, cred_arg->id, &cred);
		if (ret)
			return ret;
	}

	env = qsim_heap_alloc(core->heap, sizeof(*env));
	if (!env)
		return QSIM_MEM;
	env->cred = cred;
	ret = qsim_obj_add(core, &env->obj, &qsim_env_class);
	if (ret) {
		qsim_heap_free(core->heap, env);
		return ret;
	}
	/* The env keeps the credentials reference the kernel gave. */
	env->cred_id = cred_arg->id;
	cred_arg->owned = false;
	qsim_set_oo_obj(a, 0, &env->obj);

	return QSIM_OK;
}

static int qsim_root_invoke(struct qsim_obj *obj, struct qsim_call *call,
			    u32 op, struct qsim_args *a)
{
	switch (op) {
	case QSIM_ROOT_OP_REGISTER:
	case QSIM_ROOT_OP_REGISTER_CRED:
		return qsim_root_register(obj->core, call, op, a);
	case QSIM_ROOT_OP_NOTIFY_DOMAIN:
	case QSIM_ROOT_OP_ADCI_ACCEPT:
	case QSIM_ROOT_OP_ADCI_SHUTDOWN:
		return qsim_shape(a, 0, 0, 0, 0) ? QSIM_OK : QSIM_INVALID;
	}

	return QSIM_INVALID;
}

static void qsim_root_release(struct qsim_obj *obj)
{
	/* ROOT is permanent. */
}

/* ROOT's behaviour; it may call back (credentials), hence blocking. */
const struct qsim_class qsim_root_class = {
	.name = "root",
	.blocking = true,
	.invoke = qsim_root_invoke,
	.release = qsim_root_release,
};
