/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm TEE backend: per-context state of userspace clients.
 */
#ifndef QCOMTEE_CALL_H
#define QCOMTEE_CALL_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/tee_core.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "qcomtee.h"

/* Request id of release notifications; never answered. */
#define QCOMTEE_SUPP_NOTIFY_ID		0

/**
 * struct qcomtee_context_data - a userspace client (one open file)
 * @handles: QTEE objects this client holds, by handle.
 * @handles_next: next handle to try (handles are allocated cyclically).
 * @num_handles: entries in @handles, bounded by qcomtee_max_handles.
 * @num_user_objects: callback objects of this file and their pending
 *	release notifications, bounded by the max_user_objects parameter.
 * @msgbuf_bytes: message buffer bytes the file's invocations hold now,
 *	bounded by the max_msgbuf_kib parameter.
 * @supp_lock: protects the fields below.
 * @supp_wq: supplicant threads waiting in RECV.
 * @supp_busy_wq: killed invokers waiting for a supplicant thread to stop
 *	copying their request (see enum qcomtee_supp_state).
 * @supp_pending: requests waiting for a supplicant thread.
 * @supp_active: requests a supplicant received, by the index of their id.
 * @supp_gen: generation of the next request id (see ids.c).
 * @supp_closed: the file is closed: requests fail at once.
 * @cached_user_objects: unused callback object wrappers kept for reuse, so
 *	that passing a callback object allocates nothing in the steady state.
 * @num_cached_user_objects: entries in @cached_user_objects, at most
 *	QCOMTEE_USER_OBJECT_CACHE.
 */
struct qcomtee_context_data {
	struct xarray handles;
	u32 handles_next;
	atomic_t num_handles;
	atomic_t num_user_objects;
	atomic_long_t msgbuf_bytes;
	struct mutex supp_lock; /* protects the supplicant fields */
	wait_queue_head_t supp_wq;
	wait_queue_head_t supp_busy_wq;
	struct list_head supp_pending;
	struct xarray supp_active;
	u32 supp_gen;
	bool supp_closed;
	struct list_head cached_user_objects;
	unsigned int num_cached_user_objects;
};

/* Callback object wrappers a file keeps for reuse: a call's worth. */
#define QCOMTEE_USER_OBJECT_CACHE	QCOMTEE_MSG_ARGS_PER_CLASS

extern const struct tee_driver_ops qcomtee_tee_ops;

/* User (callback) objects served by a supplicant (user_obj.c). */
int qcomtee_supp_init(struct qcomtee_context_data *ctxdata);
void qcomtee_supp_close(struct tee_context *ctx);
int qcomtee_supp_recv(struct tee_context *ctx, u32 *func, u32 *num_params,
		      struct tee_param *params);
int qcomtee_supp_send(struct tee_context *ctx, u32 ret, u32 num_params,
		      struct tee_param *params);
void qcomtee_supp_recv_undeliverable(struct tee_context *ctx, u32 func,
				     u32 num_params, struct tee_param *params);
int qcomtee_user_object_get(struct tee_context *ctx, u64 id,
			    struct qcomtee_object **object);
bool qcomtee_objref_of_local(struct tee_context *ctx,
			     struct qcomtee_object *object,
			     struct tee_param_objref *objref);

/* Objects as userspace names them (call.c). */
extern unsigned int qcomtee_max_handles;
int qcomtee_handle_add(struct qcomtee_context_data *ctxdata,
		       struct qcomtee_object *object, u64 *handle);
int qcomtee_handle_release(struct qcomtee_context_data *ctxdata, u64 handle);
int qcomtee_objref_to_object(struct tee_context *ctx,
			     const struct tee_param_objref *objref,
			     struct qcomtee_object **object);
bool qcomtee_user_object_id(struct tee_context *ctx,
			    struct qcomtee_object *object, u64 *id);
void qcomtee_user_objects_exported(struct tee_context *ctx,
				   struct qcomtee_arg *args);

#endif /* QCOMTEE_CALL_H */
