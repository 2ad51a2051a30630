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
#include <linux/percpu_counter.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/tee_core.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <linux/firmware/qcom/qcomtee.h>

#include "qcomtee_msg.h"

/* QTEE object ids awaiting a release the kernel had no memory to wrap. */
#define QCOMTEE_ORPHANS_MAX	64

/* QTEE services the backend may register on the TEE bus. */
#define QCOMTEE_BUS_MAX_DEVS	4

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
 * struct qcomtee_callback - the callback request an invocation serves
 * @args: its arguments in wire order, ended by QCOMTEE_ARG_TYPE_INV;
 *	buffers point into the outbound buffer.
 * @capacity: the output buffer sizes QTEE offered, by position in @args.
 */
struct qcomtee_callback {
	struct qcomtee_arg args[QCOMTEE_MSG_ARGS_MAX + 1];
	size_t capacity[QCOMTEE_MSG_ARGS_MAX];
};

/**
 * struct qcomtee_msgbuf_pair - the buffers of one invocation
 * @inbound: the request and its results.
 * @outbound: callback requests and async messages.
 * @inbound_used: bytes of @inbound to clear before reuse.
 * @outbound_clean: @outbound holds nothing the kernel must clear: no
 *	callback request was served in it and the async parser zeroed what
 *	QTEE wrote.
 * @cb_served: a callback request was served in @outbound: its request and
 *	answer stay there until the pair is cleared for reuse.
 * @pooled: a pool-sized pair; else a large one (see msgbuf.c).
 * @retire: QTEE may still use the pair (a callback answer that could not be
 *	delivered): it is freed, its bridges deleted first, never reused.
 * @node: in the instance's free list.
 * @cb: room for the callback request an invocation using the pair serves:
 *	serving a callback needs neither an allocation nor stack space.
 */
struct qcomtee_msgbuf_pair {
	struct qcomtee_msgbuf inbound;
	struct qcomtee_msgbuf outbound;
	size_t inbound_used;
	bool outbound_clean;
	bool cb_served;
	bool pooled;
	bool retire;
	struct list_head node;
	struct qcomtee_callback cb;
};

/**
 * struct qcomtee_object_invoke_ctx - state of one invocation
 * @qcomtee: the QTEE instance.
 * @ctx: the TEE context of the caller, NULL for kernel callers without one.
 * @bufs: the shared buffers in use.
 * @cb: the callback request being served (in @bufs), its arguments owned
 *	by the invocation until the callee was notified.
 * @data: private data of the layer issuing the invocation.
 * @inputs_sent: QTEE saw the request; it owns references to the
 *	kernel-hosted input objects and will release them.
 * @inbound_size: qcomtee_msg_inbound_size() of the arguments if the caller
 *	computed it already (it validates them), else 0.
 */
struct qcomtee_object_invoke_ctx {
	struct qcomtee *qcomtee;
	struct tee_context *ctx;
	struct qcomtee_msgbuf_pair *bufs;
	struct qcomtee_callback *cb;
	void *data;
	bool inputs_sent;
	size_t inbound_size;
};

/**
 * struct qcomtee - one QTEE instance (one "qcomtee" platform device)
 * @dev: the platform device's device.
 * @transport: how to reach QTEE.
 * @teedev: the TEE device (/dev/teeN).
 * @refcount: the instance lives while objects refer to it.
 * @dead: QTEE is gone (device removed); no more world switches.
 * @inflight: invocations using the transport; per CPU, so that calls on
 *	different CPUs share no cache line for it.
 * @inflight_wq: woken when an invocation ends after @dead was set.
 * @ns_ids: kernel-hosted objects by the index of the id QTEE knows them by
 *	(see core.c).
 * @ns_gen: generation of the next id, so that ids are not reused at once.
 * @root: the ROOT object.
 * @primordial: the kernel's primordial object.
 * @release_wq: sends RELEASE for QTEE objects no longer used; the module's
 *	qcomtee_release_wq, which outlives every instance.
 * @orphans_lock: protects @orphans and @num_orphans.
 * @orphans: ids of QTEE objects the kernel could not wrap (no memory),
 *	released by @orphan_work without allocating.
 * @num_orphans: number of entries in @orphans.
 * @orphan_work: releases @orphans; retried later when out of memory.
 * @cpu_bufs: one pooled pair ready for reuse per CPU, taken and put back
 *	without a shared lock; @free_bufs holds the rest.
 * @bufs_lock: protects @free_bufs, @num_free_bufs and @large_bufs.
 * @free_bufs: shared buffer pairs ready for reuse.
 * @num_free_bufs: number of pairs in @free_bufs.
 * @large_bufs: an idle pair too large for the pool, kept for reuse.
 * @large_bufs_gc: frees @large_bufs once it has been idle for a while.
 * @qtee_version: QTEE version (feature-versions service), 0 if unknown.
 * @bus_devs: QTEE services registered on the TEE bus.
 * @num_bus_devs: number of entries in @bus_devs.
 * @stats: counters for tests and debugfs.
 * @debugfs: the instance's debugfs directory.
 * @stats.tee_objects: live QTEE object wrappers.
 * @stats.cb_objects: live userspace (supplicant) and memory objects.
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
	struct percpu_counter inflight;
	wait_queue_head_t inflight_wq;
	struct xarray ns_ids;
	u32 ns_gen;
	struct qcomtee_object root;
	struct qcomtee_object primordial;
	struct workqueue_struct *release_wq;
	spinlock_t orphans_lock; /* protects orphans, num_orphans */
	u32 orphans[QCOMTEE_ORPHANS_MAX];
	unsigned int num_orphans;
	struct delayed_work orphan_work;
	struct qcomtee_msgbuf_pair * __percpu *cpu_bufs;
	spinlock_t bufs_lock; /* protects free_bufs, large_bufs */
	struct list_head free_bufs;
	unsigned int num_free_bufs;
	struct qcomtee_msgbuf_pair *large_bufs;
	struct delayed_work large_bufs_gc;
	u32 qtee_version;
	struct tee_client_device *bus_devs[QCOMTEE_BUS_MAX_DEVS];
	unsigned int num_bus_devs;
	struct dentry *debugfs;
	struct {
		atomic_t tee_objects;
		atomic_t cb_objects;
		atomic_t cb_exported;
		atomic_t bufs_allocated;
		atomic_t async_bad;
		atomic_t release_failed;
		atomic_t callbacks;
		atomic_t bad_callbacks;
	} stats;
};

/* Walks an argument array up to its QCOMTEE_ARG_TYPE_INV end. */
#define qcomtee_arg_for_each(i, args) \
	for ((i) = 0; (args)[i].type != QCOMTEE_ARG_TYPE_INV; (i)++)

/* The first argument of class @type from @i on, or the end marker. */
static inline unsigned int qcomtee_arg_skip(const struct qcomtee_arg *args,
					    unsigned int i,
					    enum qcomtee_arg_type type)
{
	while (args[i].type != QCOMTEE_ARG_TYPE_INV && args[i].type != type)
		i++;
	return i;
}

/* Walks the arguments of class @t, in their order in the array. */
#define qcomtee_arg_for_each_type(i, args, t) \
	for ((i) = qcomtee_arg_skip(args, 0, t); \
	     (args)[i].type != QCOMTEE_ARG_TYPE_INV; \
	     (i) = qcomtee_arg_skip(args, (i) + 1, t))

/* Release work of every instance; drained when the module goes (main.c). */
extern struct workqueue_struct *qcomtee_release_wq;

/* Tables of ids handed to the other side (ids.c). */
int qcomtee_ids_init(struct xarray *xa, gfp_t gfp);
int __qcomtee_ids_alloc(struct xarray *xa, void *entry, u32 index_mask,
			u32 gen_mask, u32 *gen, u32 *id, gfp_t gfp);

/* Objects (core.c). */
int qcomtee_ns_ids_init(struct qcomtee *qcomtee);

/* QTEE holds no kernel object: the table has no entry but its pin. */
static inline bool qcomtee_ns_ids_empty(struct qcomtee *qcomtee)
{
	unsigned long index = 0;

	/* xa_find() skips the reserved entry that pins the first node. */
	return !xa_find(&qcomtee->ns_ids, &index, ULONG_MAX, XA_PRESENT);
}

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
void qcomtee_orphans_init(struct qcomtee *qcomtee);
void qcomtee_release_orphan(struct qcomtee *qcomtee, u32 qtee_id);
void qcomtee_release_flush(struct qcomtee *qcomtee);
struct qcomtee_object *qcomtee_root(struct qcomtee *qcomtee);

/* Invocation (invoke.c). */
void qcomtee_oic_init(struct qcomtee_object_invoke_ctx *oic,
		      struct qcomtee *qcomtee, struct tee_context *ctx);
int qcomtee_object_do_invoke(struct qcomtee_object_invoke_ctx *oic,
			     struct qcomtee_object *object, u32 op,
			     struct qcomtee_arg *args, int *result);
int qcomtee_kernel_invoke(struct qcomtee *qcomtee,
			  struct qcomtee_object *object, u32 op,
			  struct qcomtee_arg *args);
void qcomtee_put_objects(struct qcomtee_arg *args, enum qcomtee_arg_type type);
int qcomtee_errno_to_result(int err);

/* The wire format (msg.c): functions of buffers and argument arrays only. */
int qcomtee_msg_inbound_size(struct qcomtee_arg *args, size_t *size);
int qcomtee_msg_prepare_invoke(void *msg, size_t size, u32 cxt, u32 op,
			       struct qcomtee_arg *args, u32 *ids);
int qcomtee_msg_read_invoke_results(const void *msg, size_t size,
				    struct qcomtee_arg *args, u32 *ids);
int qcomtee_msg_parse_callback(void *msg, size_t size, u32 *cxt, u32 *op,
			       struct qcomtee_arg *args, u32 *ids, size_t *end);
int qcomtee_msg_write_callback_results(void *msg,
				       const struct qcomtee_arg *args,
				       const size_t *capacity, const u32 *ids);
void qcomtee_msg_set_callback_result(void *msg, int result);

/* Async messages (async.c). */
size_t qcomtee_async_process(struct qcomtee *qcomtee, void *area,
			     size_t size);

/* Shared buffers (msgbuf.c). */
int qcomtee_msgbuf_pool_init(struct qcomtee *qcomtee);
void qcomtee_msgbuf_pool_free(struct qcomtee *qcomtee);
unsigned int qcomtee_msgbuf_pooled(struct qcomtee *qcomtee);
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

/* Client env and services (services.c). */
int qcomtee_client_env(struct qcomtee *qcomtee, struct qcomtee_object **env);
int qcomtee_service_open(struct qcomtee *qcomtee, struct qcomtee_object *env,
			 u32 uid, struct qcomtee_object **service);
void qcomtee_read_version(struct qcomtee *qcomtee);

/* Shared memory (shm_pool.c). */
struct tee_shm_pool *qcomtee_shm_pool_alloc(void);

/* QTEE services on the TEE bus (bus.c). */
void qcomtee_service_uuid(u32 uid, uuid_t *uuid);
void qcomtee_bus_register(struct qcomtee *qcomtee);
void qcomtee_bus_unregister(struct qcomtee *qcomtee);

/* debugfs (debugfs.c). */
#ifdef CONFIG_DEBUG_FS
void qcomtee_debugfs_init(struct qcomtee *qcomtee);
void qcomtee_debugfs_exit(struct qcomtee *qcomtee);
#else
static inline void qcomtee_debugfs_init(struct qcomtee *qcomtee) { }
static inline void qcomtee_debugfs_exit(struct qcomtee *qcomtee) { }
#endif

/* Instance lifetime (core.c). */
void qcomtee_get(struct qcomtee *qcomtee);
void qcomtee_put(struct qcomtee *qcomtee);

#endif /* QCOMTEE_H */
