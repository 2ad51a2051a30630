/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm TEE backend: objects, arguments and invocation.
 */
#ifndef QCOMTEE_H
#define QCOMTEE_H

#include <linux/completion.h>
#include <linux/firmware/qcom/qcom_tee_transport.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/tee_core.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "qcomtee_msg.h"

struct qcomtee;
struct qcomtee_object;
struct qcomtee_object_invoke_ctx;

/**
 * enum qcomtee_object_type - where an object lives
 * @QCOMTEE_OBJECT_TYPE_NULL: the NULL object (represented by a NULL pointer).
 * @QCOMTEE_OBJECT_TYPE_TEE: hosted in QTEE; the kernel holds one of its
 *	references, released with RELEASE when the last local user is gone.
 * @QCOMTEE_OBJECT_TYPE_CB: hosted in the kernel (a callback object); QTEE
 *	reaches it by an id with the NS bit set.
 * @QCOMTEE_OBJECT_TYPE_ROOT: QTEE's permanent root object.
 */
enum qcomtee_object_type {
	QCOMTEE_OBJECT_TYPE_NULL,
	QCOMTEE_OBJECT_TYPE_TEE,
	QCOMTEE_OBJECT_TYPE_CB,
	QCOMTEE_OBJECT_TYPE_ROOT,
};

/**
 * enum qcomtee_arg_type - argument classes, from the callee's side
 * @QCOMTEE_ARG_TYPE_INV: terminates an argument array.
 * @QCOMTEE_ARG_TYPE_IB: input buffer.
 * @QCOMTEE_ARG_TYPE_OB: output buffer.
 * @QCOMTEE_ARG_TYPE_IO: input object.
 * @QCOMTEE_ARG_TYPE_OO: output object.
 */
enum qcomtee_arg_type {
	QCOMTEE_ARG_TYPE_INV,
	QCOMTEE_ARG_TYPE_IB,
	QCOMTEE_ARG_TYPE_OB,
	QCOMTEE_ARG_TYPE_IO,
	QCOMTEE_ARG_TYPE_OO,
};

/* The buffer address is a userspace address. */
#define QCOMTEE_ARG_FLAG_UADDR	BIT(0)

/**
 * struct qcomtee_arg - one argument of an invocation
 * @type: the class; an array of arguments ends with QCOMTEE_ARG_TYPE_INV.
 * @flags: QCOMTEE_ARG_FLAG_*.
 * @b: a buffer: kernel (@b.addr) or user (@b.uaddr) address and size. For
 *	OB the size is the capacity on entry and the bytes written on return.
 * @b.addr: kernel address.
 * @b.uaddr: user address (QCOMTEE_ARG_FLAG_UADDR).
 * @b.size: size in bytes.
 * @o: an object, NULL for the NULL object.
 */
struct qcomtee_arg {
	enum qcomtee_arg_type type;
	unsigned int flags;
	union {
		struct {
			union {
				void *addr;
				void __user *uaddr;
			};
			size_t size;
		} b;
		struct qcomtee_object *o;
	};
};

/**
 * struct qcomtee_object_operations - a kernel-hosted (callback) object
 * @dispatch: serve @op with @args (outputs filled in place). Returns 0, a
 *	negative errno (mapped to a QTEE error) or a positive interface code
 *	passed to QTEE unchanged. Output objects are references the dispatcher
 *	gives to the caller.
 * @notify: optional; called once the answer to a dispatch reached QTEE (or
 *	failed to, @err != 0), so the object can drop what it kept for it.
 * @release: called when the last reference is gone; frees the object.
 */
struct qcomtee_object_operations {
	int (*dispatch)(struct qcomtee_object_invoke_ctx *oic,
			struct qcomtee_object *object, u32 op,
			struct qcomtee_arg *args);
	void (*notify)(struct qcomtee_object_invoke_ctx *oic,
		       struct qcomtee_object *object, int err);
	void (*release)(struct qcomtee_object *object);
};

/**
 * struct qcomtee_object - an object either world may invoke
 * @refcount: local references.
 * @type: where the object lives.
 * @name: for messages.
 * @qcomtee: the QTEE instance the object belongs to.
 * @qtee_id: QCOMTEE_OBJECT_TYPE_TEE: the id in QTEE's table.
 * @ops: QCOMTEE_OBJECT_TYPE_CB: the object's operations.
 * @ns_id: QCOMTEE_OBJECT_TYPE_CB: the id QTEE knows it by while it holds
 *	references (0 when QTEE holds none), protected by the id table lock.
 * @ns_refs: QCOMTEE_OBJECT_TYPE_CB: references QTEE holds.
 * @release_work: QCOMTEE_OBJECT_TYPE_TEE: sends RELEASE to QTEE.
 * @rcu: frees the object after concurrent id lookups are done.
 */
struct qcomtee_object {
	struct kref refcount;
	enum qcomtee_object_type type;
	const char *name;
	struct qcomtee *qcomtee;
	union {
		u32 qtee_id;
		struct {
			const struct qcomtee_object_operations *ops;
			u32 ns_id;
			unsigned int ns_refs;
		};
	};
	struct work_struct release_work;
	struct rcu_head rcu;
};

/**
 * struct qcomtee_msgbuf - a buffer shared with QTEE
 * @addr: kernel address.
 * @paddr: physical address.
 * @size: size, whole pages.
 * @bridge: SHM bridge handle.
 */
struct qcomtee_msgbuf {
	void *addr;
	phys_addr_t paddr;
	size_t size;
	u64 bridge;
};

/**
 * struct qcomtee_msgbuf_pair - the buffers of one invocation
 * @inbound: the request and its results.
 * @outbound: callback requests and async messages.
 * @inbound_used: bytes of @inbound to clear before reuse.
 * @pooled: returns to the instance's pool after use.
 * @node: in the instance's free list.
 * @cb_args: arguments of the callback request being served; kept here so
 *	that serving a callback needs neither an allocation nor stack space.
 * @cb_capacity: the output buffer sizes QTEE offered for that request.
 */
struct qcomtee_msgbuf_pair {
	struct qcomtee_msgbuf inbound;
	struct qcomtee_msgbuf outbound;
	size_t inbound_used;
	bool pooled;
	struct list_head node;
	struct qcomtee_arg cb_args[QCOMTEE_MSG_ARGS_MAX + 1];
	size_t cb_capacity[QCOMTEE_MSG_ARGS_MAX];
};

/**
 * struct qcomtee_object_invoke_ctx - state of one invocation
 * @qcomtee: the QTEE instance.
 * @ctx: the TEE context of the caller, NULL for kernel callers without one.
 * @bufs: the shared buffers in use.
 * @data: private data of the layer issuing the invocation.
 */
struct qcomtee_object_invoke_ctx {
	struct qcomtee *qcomtee;
	struct tee_context *ctx;
	struct qcomtee_msgbuf_pair *bufs;
	void *data;
};

/**
 * struct qcomtee - one QTEE instance (one "qcomtee" platform device)
 * @dev: the platform device's device.
 * @transport: how to reach QTEE.
 * @teedev: the TEE device (/dev/teeN).
 * @refcount: the instance lives while objects refer to it.
 * @dead: QTEE is gone (device removed); no more world switches.
 * @inflight: invocations using the transport.
 * @inflight_wq: woken when @inflight drops to zero.
 * @ns_ids: kernel-hosted objects by the id QTEE knows them by.
 * @ns_next: next id to try, so that ids are not reused at once.
 * @root: the ROOT object.
 * @primordial: the kernel's primordial object.
 * @release_wq: sends RELEASE for QTEE objects no longer used.
 * @bufs_lock: protects @free_bufs and @num_free_bufs.
 * @free_bufs: shared buffer pairs ready for reuse.
 * @num_free_bufs: number of pairs in @free_bufs.
 * @qtee_version: QTEE version (feature-versions service), 0 if unknown.
 * @stats: counters for tests and debugfs.
 * @stats.tee_objects: live QTEE object wrappers.
 * @stats.cb_exported: kernel-hosted objects QTEE holds.
 * @stats.bufs_allocated: shared buffer pairs allocated (and bridged).
 * @stats.async_bad: malformed async messages ignored.
 * @stats.release_failed: RELEASE calls that QTEE did not accept.
 * @stats.callbacks: callback requests served.
 * @stats.bad_callbacks: malformed callback requests refused.
 */
struct qcomtee {
	struct device *dev;
	struct qcomtee_transport transport;
	struct tee_device *teedev;
	struct kref refcount;
	bool dead;
	atomic_t inflight;
	wait_queue_head_t inflight_wq;
	struct xarray ns_ids;
	u32 ns_next;
	struct qcomtee_object root;
	struct qcomtee_object primordial;
	struct workqueue_struct *release_wq;
	spinlock_t bufs_lock; /* protects free_bufs, num_free_bufs */
	struct list_head free_bufs;
	unsigned int num_free_bufs;
	u32 qtee_version;
	struct {
		atomic_t tee_objects;
		atomic_t cb_exported;
		atomic_t bufs_allocated;
		atomic_t async_bad;
		atomic_t release_failed;
		atomic_t callbacks;
		atomic_t bad_callbacks;
	} stats;
};

/* Objects (core.c). */
void qcomtee_object_get(struct qcomtee_object *object);
void qcomtee_object_put(struct qcomtee_object *object);
void qcomtee_object_cb_init(struct qcomtee_object *object,
			    struct qcomtee *qcomtee,
			    const struct qcomtee_object_operations *ops,
			    const char *name);
struct qcomtee_object *qcomtee_object_tee_new(struct qcomtee *qcomtee,
					      u32 qtee_id);
int qcomtee_object_ns_export(struct qcomtee_object *object, u32 *id);
void qcomtee_object_ns_unexport(struct qcomtee_object *object);
struct qcomtee_object *qcomtee_object_ns_lookup(struct qcomtee *qcomtee,
						u32 id);
int qcomtee_object_ns_release(struct qcomtee *qcomtee, u32 id);
int qcomtee_object_ns_retain(struct qcomtee *qcomtee, u32 id);
void qcomtee_ns_release_all(struct qcomtee *qcomtee);
struct qcomtee_object *qcomtee_root(struct qcomtee *qcomtee);

/* Invocation (invoke.c). */
void qcomtee_oic_init(struct qcomtee_object_invoke_ctx *oic,
		      struct qcomtee *qcomtee, struct tee_context *ctx);
int qcomtee_object_do_invoke(struct qcomtee_object_invoke_ctx *oic,
			     struct qcomtee_object *object, u32 op,
			     struct qcomtee_arg *args, int *result);
int qcomtee_errno_to_result(int err);

/* Marshaling (msg.c): pure functions over a message buffer. */
int qcomtee_msg_inbound_size(struct qcomtee_arg *args, size_t *size);
int qcomtee_msg_prepare_invoke(void *msg, size_t size, u32 cxt, u32 op,
			       struct qcomtee_arg *args, u32 *ids);
int qcomtee_msg_read_invoke_results(const void *msg, size_t size,
				    struct qcomtee_arg *args, u32 *ids);
int qcomtee_msg_parse_callback(const void *msg, size_t size, u32 *cxt,
			       u32 *op, u32 *counts, size_t *end);
size_t qcomtee_async_process(struct qcomtee *qcomtee, void *area,
			     size_t size);

/* Shared buffers (msgbuf.c). */
struct qcomtee_msgbuf_pair *qcomtee_msgbuf_get(struct qcomtee *qcomtee,
					       size_t inbound_size);
void qcomtee_msgbuf_put(struct qcomtee *qcomtee,
			struct qcomtee_msgbuf_pair *bufs);
void qcomtee_msgbuf_pool_drain(struct qcomtee *qcomtee);

/* The primordial object and memory objects (primordial.c). */
void qcomtee_primordial_init(struct qcomtee *qcomtee);
struct qcomtee_object *qcomtee_memobj_from_shm(struct qcomtee *qcomtee,
					       struct tee_shm *shm);
struct tee_shm *qcomtee_memobj_shm(struct qcomtee_object *object);

/* Instance lifetime (core.c). */
void qcomtee_get(struct qcomtee *qcomtee);
void qcomtee_put(struct qcomtee *qcomtee);

#endif /* QCOMTEE_H */
