/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm TEE (QTEE) objects for kernel clients.
 *
 * A kernel client opens a TEE context with tee_client_open_context() and
 * invokes QTEE objects with tee_client_object_invoke_func(), naming objects
 * by handles of its context. It may host callback objects of its own that
 * QTEE invokes: a struct qcomtee_object with a dispatch function, given a
 * handle with qcomtee_kernel_object_handle() and passed as an OBJREF with
 * QCOMTEE_OBJREF_FLAG_TEE. See Documentation/tee/qtee.rst.
 */
#ifndef __QCOMTEE_H
#define __QCOMTEE_H

#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct tee_context;
struct tee_shm;

/* Object flags of OBJREF parameters (tee_param_objref.flags). */
#define QCOMTEE_OBJREF_FLAG_TEE		BIT(0)	/* a handle of the context */
#define QCOMTEE_OBJREF_FLAG_USER	BIT(1)	/* a userspace callback object */
#define QCOMTEE_OBJREF_FLAG_MEM		BIT(2)	/* a shm id of the context */

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
 *	@args are the arguments of that dispatch, output objects included;
 *	the references in them are dropped after @notify returns.
 * @release: called when the last reference is gone; frees the object.
 */
struct qcomtee_object_operations {
	int (*dispatch)(struct qcomtee_object_invoke_ctx *oic,
			struct qcomtee_object *object, u32 op,
			struct qcomtee_arg *args);
	void (*notify)(struct qcomtee_object_invoke_ctx *oic,
		       struct qcomtee_object *object,
		       struct qcomtee_arg *args, int err);
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
};

int qcomtee_kernel_object_init(struct tee_context *ctx,
			       struct qcomtee_object *object,
			       const struct qcomtee_object_operations *ops,
			       const char *name);
int qcomtee_kernel_object_handle(struct tee_context *ctx,
				 struct qcomtee_object *object, u64 *handle);
int qcomtee_kernel_memobj_handle(struct tee_context *ctx, struct tee_shm *shm,
				 u64 *handle);
void qcomtee_object_get(struct qcomtee_object *object);
void qcomtee_object_put(struct qcomtee_object *object);

#endif /* __QCOMTEE_H */
