// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: ROOT, client envs and the services they open.
 *
 * ROOT op 2/5 reads the caller's credentials object through callbacks
 * (IIO getLength / readAtOffset) and returns a client env that keeps the
 * credentials reference until the env is released. A client env opens
 * service objects by UID: diagnostics (143), app loader (3) and feature
 * versions (2033), listener registration (87) and TA-buffer registration
 * (268, listeners.c).
 */

#include <linux/minmax.h>
#include <linux/mm.h>

#include "sim.h"

#define QSIM_ROOT_OP_REGISTER		2
#define QSIM_ROOT_OP_NOTIFY_DOMAIN	4
#define QSIM_ROOT_OP_REGISTER_CRED	5
#define QSIM_ROOT_OP_ADCI_ACCEPT	8
#define QSIM_ROOT_OP_ADCI_SHUTDOWN	9

#define QSIM_IIO_OP_GET_LENGTH		0
#define QSIM_IIO_OP_READ_AT_OFFSET	1
#define QSIM_CRED_MAX			4096
#define QSIM_CRED_CHUNK			1024

#define QSIM_UID_DIAG			143
#define QSIM_UID_LOADER			3
#define QSIM_UID_FEATURE		2033
#define QSIM_FEATURE_VERSION		10

#define QSIM_LOADER_OP_BUFFER		0
#define QSIM_LOADER_OP_REGION		1
#define QSIM_LOADER_OP_EMBEDDED		2
#define QSIM_LOAD_ERR_BUFFER		10
#define QSIM_APP_NAME_MAX		64

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
	qsim_free(obj->sim, container_of(obj, struct qsim_service, obj));
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
	qsim_heap_info(obj->sim, info);
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
	qsim_put32(a->ob[0].data, 0, READ_ONCE(obj->sim->version));
	a->ob[0].size = 4;

	return QSIM_OK;
}

static const struct qsim_class qsim_feature_class = {
	.name = "feature-versions",
	.invoke = qsim_feature_invoke,
	.release = qsim_service_release,
};

/**
 * qsim_invoke_prim_map() - ask the kernel's primordial object to map a
 *	memory object (MAP_REGION)
 * @call: the invocation whose secure thread asks.
 * @mem_id: the memory object (kernel id; naming it transfers nothing).
 * @pa: receives the physical address.
 * @len: receives the length.
 * @perms: receives the permissions.
 * @map_id: receives the mapping object; the caller owns one reference and
 *	must release it with qsim_ns_put() when done with the memory.
 *
 * Return: QSIM_OK or a QTEE error (the kernel's, or INVALID for a
 * malformed answer).
 */
int qsim_invoke_prim_map(struct qsim_call *call, u32 mem_id,
			 u64 *pa, u64 *len, u32 *perms, u32 *map_id)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_oarg *oo;
	struct qsim_cb *cb;
	const u8 *info;
	int ret;

	cb = qsim_cb_new(sim, QSIM_ID_PRIMORDIAL, QSIM_PRIM_MAP_REGION);
	if (!cb)
		return QSIM_MEM;
	ret = qsim_cb_add_ob(sim, cb, QSIM_MAP_INFO_SIZE);
	if (ret)
		goto out;
	qsim_cb_add_io(cb, mem_id, NULL);
	cb->args.noo = 1;

	ret = qsim_callback(call, cb);
	if (ret)
		goto out;
	oo = &cb->args.oo[0];
	if (cb->args.ob[0].size < QSIM_MAP_INFO_SIZE || !oo->owned) {
		ret = QSIM_INVALID;
		goto out;
	}
	info = cb->args.ob[0].data;
	*pa = get_unaligned_le64(info);
	*len = get_unaligned_le64(info + 8);
	*perms = get_unaligned_le32(info + 16);
	*map_id = oo->id;
	oo->owned = false;	/* the caller owns it now */
	oo->id = QSIM_ID_NULL;
out:
	qsim_cb_free(sim, cb);
	return ret;
}

/**
 * qsim_mem_access() - read and/or write part of a memory object
 * @call: the invocation whose secure thread asks.
 * @mem_id: the memory object (kernel id; naming it transfers nothing).
 * @off: offset in the object.
 * @len: bytes.
 * @rd: if not NULL, receives the @len bytes at @off first.
 * @wr: if not NULL, the @len bytes written at @off then.
 *
 * Maps the object with one MAP_REGION and releases the mapping at once.
 * Only the bytes asked for are touched.
 *
 * Return: QSIM_OK, QSIM_MEM_ERR_PERM (the mapping does not allow it),
 * QSIM_MEM_ERR_RANGE (outside the mapped range), or the error of
 * qsim_invoke_prim_map().
 */
int qsim_mem_access(struct qsim_call *call, u32 mem_id, u64 off, size_t len,
		    void *rd, const void *wr)
{
	u32 perms, map_id, need = 0;
	u64 pa, maplen;
	void *va;
	int ret;

	ret = qsim_invoke_prim_map(call, mem_id, &pa, &maplen, &perms, &map_id);
	if (ret)
		return ret;
	if (rd)
		need |= QSIM_PERM_READ;
	if (wr)
		need |= QSIM_PERM_WRITE;
	if ((perms & need) != need) {
		ret = QSIM_MEM_ERR_PERM;
	} else if (off > maplen || len > maplen - off) {
		ret = QSIM_MEM_ERR_RANGE;
	} else if (len) {
		va = qsim_map(call->sim, pa + off, len, false);
		if (!va) {
			ret = QSIM_MEM_ERR_RANGE;
		} else {
			if (rd)
				memcpy(rd, va, len);
			if (wr)
				memcpy(va, wr, len);
		}
	}
	qsim_ns_put(&call->sim->core, map_id);

	return ret;
}

static int qsim_loader_region(struct qsim_service *svc, struct qsim_call *call,
			      struct qsim_args *a)
{
	struct qcomtee_sim *sim = svc->obj.sim;
	u32 perms, map_id, mem_id = a->io[0].id;
	void *image = NULL, *va;
	u64 pa, len;
	int ret;

	if (!a->io[0].owned)
		return QSIM_INVALID;	/* a memory object is kernel-hosted */
	ret = qsim_invoke_prim_map(call, mem_id, &pa, &len, &perms, &map_id);
	if (ret)
		return ret;

	ret = QSIM_LOAD_ERR_BUFFER;
	if (!(perms & QSIM_PERM_READ) || !PAGE_ALIGNED(pa) || !len ||
	    len > QSIM_MAX_BUF_SIZE)
		goto out;
	va = qsim_map(sim, pa, len, false);
	if (!va)
		goto out;
	/* Copy first: the kernel must not change the image under us. */
	image = qsim_alloc(sim, len);
	if (!image) {
		ret = QSIM_MEM;
		goto out;
	}
	memcpy(image, va, len);
	ret = qsim_app_load(sim, &svc->cred, image, len, &a->oo[0].obj);
	if (!ret)
		a->oo[0].id = a->oo[0].obj->id;
	qsim_free(sim, image);
out:
	/* The mapping goes after the load; the memory object with the call. */
	qsim_ns_put(&sim->core, map_id);
	return ret;
}

static int qsim_loader_invoke(struct qsim_obj *obj, struct qsim_call *call,
			      u32 op, struct qsim_args *a)
{
	struct qsim_service *svc = container_of(obj, struct qsim_service, obj);
	char name[QSIM_APP_NAME_MAX];
	struct qsim_obj *ctrl = NULL;
	int ret;

	switch (op) {
	case QSIM_LOADER_OP_BUFFER:
		if (!qsim_shape(a, 1, 0, 0, 1))
			return QSIM_INVALID;
		if (!a->ib[0].size)
			return QSIM_LOAD_ERR_BUFFER;
		ret = qsim_app_load(obj->sim, &svc->cred, a->ib[0].data,
				    a->ib[0].size, &ctrl);
		break;
	case QSIM_LOADER_OP_REGION:
		if (!qsim_shape(a, 0, 0, 1, 1))
			return QSIM_INVALID;
		return qsim_loader_region(svc, call, a);
	case QSIM_LOADER_OP_EMBEDDED:
		if (!qsim_shape(a, 1, 0, 0, 1))
			return QSIM_INVALID;
		if (!a->ib[0].size || a->ib[0].size >= sizeof(name))
			return QSIM_LOAD_ERR_BUFFER;
		memcpy(name, a->ib[0].data, a->ib[0].size);
		name[a->ib[0].size] = '\0';
		ret = qsim_app_load_by_name(obj->sim, &svc->cred, name, &ctrl);
		break;
	default:
		return QSIM_INVALID;
	}
	if (!ret)
		qsim_set_oo_obj(a, 0, ctrl);

	return ret;
}

static const struct qsim_class qsim_loader_class = {
	.name = "app-loader",
	.blocking = true,
	.invoke = qsim_loader_invoke,
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
	case QSIM_UID_LOADER:
		cls = &qsim_loader_class;
		break;
	case QSIM_UID_FEATURE:
		cls = &qsim_feature_class;
		break;
	case QSIM_UID_REG_LISTENER:
		cls = &qsim_reg_listener_class;
		break;
	case QSIM_UID_REG_TABUF:
		cls = &qsim_reg_tabuf_class;
		break;
	default:
		return QSIM_INVALID;
	}
	svc = qsim_alloc(obj->sim, sizeof(*svc));
	if (!svc)
		return QSIM_MEM;
	svc->cred = env->cred;
	ret = qsim_obj_add(&obj->sim->core, &svc->obj, cls);
	if (ret) {
		qsim_free(obj->sim, svc);
		return ret;
	}
	qsim_set_oo_obj(a, 0, &svc->obj);

	return QSIM_OK;
}

static void qsim_env_release(struct qsim_obj *obj)
{
	struct qsim_env *env = container_of(obj, struct qsim_env, obj);

	if (env->cred_id)
		qsim_ns_put(&obj->sim->core, env->cred_id);
	qsim_free(obj->sim, env);
}

static const struct qsim_class qsim_env_class = {
	.name = "client-env",
	.invoke = qsim_env_invoke,
	.release = qsim_env_release,
};

/* Read the whole credentials object through IIO callbacks. */
static int qsim_read_cred(struct qsim_call *call, u32 id,
			  struct qsim_cred *cred)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_cb *cb;
	u8 *buf = NULL;
	u64 len, pos = 0, chunk;
	u8 off[8];
	int ret;

	cb = qsim_cb_new(sim, id, QSIM_IIO_OP_GET_LENGTH);
	if (!cb)
		return QSIM_MEM;
	ret = qsim_cb_add_ob(sim, cb, 8);
	if (!ret)
		ret = qsim_callback(call, cb);
	if (!ret && cb->args.ob[0].size != 8)
		ret = QSIM_INVALID;
	len = ret ? 0 : get_unaligned_le64(cb->args.ob[0].data);
	qsim_cb_free(sim, cb);
	if (ret)
		return ret;
	if (!len || len > QSIM_CRED_MAX)
		return QSIM_INVALID;

	buf = qsim_alloc(sim, len);
	if (!buf)
		return QSIM_MEM;
	while (pos < len) {
		chunk = min_t(u64, len - pos, QSIM_CRED_CHUNK);
		cb = qsim_cb_new(sim, id, QSIM_IIO_OP_READ_AT_OFFSET);
		if (!cb) {
			ret = QSIM_MEM;
			break;
		}
		put_unaligned_le64(pos, off);
		ret = qsim_cb_add_ib(sim, cb, off, sizeof(off));
		if (!ret)
			ret = qsim_cb_add_ob(sim, cb, chunk);
		if (!ret)
			ret = qsim_callback(call, cb);
		if (!ret && !cb->args.ob[0].size)
			ret = QSIM_INVALID;	/* no progress */
		if (!ret) {
			memcpy(buf + pos, cb->args.ob[0].data,
			       cb->args.ob[0].size);
			pos += cb->args.ob[0].size;
		}
		qsim_cb_free(sim, cb);
		if (ret)
			break;
	}
	if (!ret && qsim_cbor_parse_cred(buf, len, cred))
		ret = QSIM_INVALID;
	qsim_free(sim, buf);

	return ret;
}

static int qsim_root_register(struct qsim_call *call, u32 op,
			      struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
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
		ret = qsim_read_cred(call, cred_arg->id, &cred);
		if (ret)
			return ret;
	}

	env = qsim_alloc(sim, sizeof(*env));
	if (!env)
		return QSIM_MEM;
	env->cred = cred;
	ret = qsim_obj_add(&sim->core, &env->obj, &qsim_env_class);
	if (ret) {
		qsim_free(sim, env);
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
		return qsim_root_register(call, op, a);
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

static const struct qsim_class qsim_root_class = {
	.name = "root",
	.blocking = true,
	.invoke = qsim_root_invoke,
	.release = qsim_root_release,
};

/**
 * qsim_root_init() - give ROOT its behaviour
 * @sim: instance.
 */
void qsim_root_init(struct qcomtee_sim *sim)
{
	sim->root.cls = &qsim_root_class;
}
