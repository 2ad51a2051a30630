// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: memory objects and the app loader, the kernel host's
 * services of a client env.
 *
 * MAP_REGION callbacks to the kernel's primordial object map memory
 * objects; the app loader (UID 3) loads TA images from a buffer, a memory
 * object or by name. They are this host's until they become model files
 * (they use the kernel's locks, lists and the apps of apps.c); the
 * firmware's secure threads could issue their callbacks now. So is the GP
 * client (UID 409, gp.c, a model file): the TAs behind its sessions are
 * this host's apps (apps.c).
 */

#include <linux/mm.h>

#include "sim.h"

#define QSIM_LOADER_OP_BUFFER		0
#define QSIM_LOADER_OP_REGION		1
#define QSIM_LOADER_OP_EMBEDDED		2
#define QSIM_LOAD_ERR_BUFFER		10

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

	cb = qsim_cb_new(&sim->core, QSIM_ID_PRIMORDIAL, QSIM_PRIM_MAP_REGION);
	if (!cb)
		return QSIM_MEM;
	ret = qsim_cb_add_ob(&sim->core, cb, QSIM_MAP_INFO_SIZE);
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
	qsim_cb_free(&sim->core, cb);
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

/**
 * qsim_load_region() - load a TA image from a memory object
 * @call: the invocation whose secure thread loads.
 * @cred: credentials of the loading client env.
 * @mem_id: the memory object (kernel id; naming it transfers nothing).
 * @uuid: NULL, or the UUID the image's metadata must carry.
 * @ctrl: receives the app controller (one reference).
 *
 * The image is the whole mapped region from offset 0: IAppLoader's
 * loadFromRegion, and the TA autoload with the region QTEE got from the
 * TA-buffer provider.
 *
 * Return: QSIM_OK, 10 when the mapping is not a readable page-aligned
 * region of at most QSIM_MAX_BUF_SIZE bytes, the error of qsim_app_load(),
 * or the error of qsim_invoke_prim_map().
 */
int qsim_load_region(struct qsim_call *call, const struct qsim_cred *cred,
		     u32 mem_id, const u8 *uuid, struct qsim_obj **ctrl)
{
	struct qcomtee_sim *sim = call->sim;
	u32 perms, map_id;
	void *image = NULL, *va;
	u64 pa, len;
	int ret;

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
	ret = qsim_app_load(sim, cred, image, len, uuid, ctrl);
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
				    a->ib[0].size, NULL, &ctrl);
		break;
	case QSIM_LOADER_OP_REGION:
		if (!qsim_shape(a, 0, 0, 1, 1))
			return QSIM_INVALID;
		if (!a->io[0].owned)
			return QSIM_INVALID;	/* memory is kernel-hosted */
		ret = qsim_load_region(call, &svc->cred, a->io[0].id, NULL,
				       &ctrl);
		break;
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

/**
 * qsim_host_service_class() - the kernel host's services of a client env
 * @uid: the UID asked for.
 *
 * Return: the class of the app loader, listener or TA-buffer
 * registration, the GP client (gp.c: its TAs are this host's apps), or
 * NULL.
 */
const struct qsim_class *qsim_host_service_class(u32 uid)
{
	switch (uid) {
	case QSIM_UID_LOADER:
		return &qsim_loader_class;
	case QSIM_UID_REG_LISTENER:
		return &qsim_reg_listener_class;
	case QSIM_UID_REG_TABUF:
		return &qsim_reg_tabuf_class;
	case QSIM_UID_GP_CLIENT:
		return &qsim_gp_client_class;
	}

	return NULL;
}
