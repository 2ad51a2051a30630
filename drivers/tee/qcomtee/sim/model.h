/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: the QTEE model both hosts build.
 *
 * Everything declared here is host-independent: the wire values of the
 * protocol, the secure objects and their table with the kernel ids the
 * secure side holds (objects.c), the QTEE side of the transport message
 * (wire.c) and of callback requests (cb.c), the secure threads' states
 * (threads.c), ROOT, client envs and the
 * services every host offers (services.c), the credentials parser
 * (cbor.c), the TA image checks (elf.c), the secure heap's accounting
 * (heap.c), fault injection (faults.c) and the GP client service with
 * its sessions (gp.c).
 * These files include only this header, which includes only host.h, so
 * the kernel's simulator and the EL3 test firmware compile the very same
 * files (see host.h for what each host provides).
 */
#ifndef __QCOMTEE_SIM_MODEL_H
#define __QCOMTEE_SIM_MODEL_H

#include "host.h"
#include "qcomtee_sim_fault.h"

/* QTEE result codes (the values of qcomtee_msg.h; see qtee.rst). */
#define QSIM_OK			0
#define QSIM_ERROR		1
#define QSIM_INVALID		2
#define QSIM_SIZE_IN		3
#define QSIM_SIZE_OUT		4
#define QSIM_MEM		5
#define QSIM_DEFUNCT		(-90)
#define QSIM_ABORT		(-91)
#define QSIM_BADOBJ		(-92)
#define QSIM_NOSLOTS		(-93)
#define QSIM_MAXARGS		(-94)
#define QSIM_MAXDATA		(-95)
#define QSIM_UNAVAIL		(-96)

/* Object ids and reserved ops. */
#define QSIM_ID_NULL		0u
#define QSIM_ID_ROOT		1u
#define QSIM_NS_BIT		0x80000000u
#define QSIM_ID_PRIMORDIAL	0x80000000u
#define QSIM_OP_RELEASE		0xffffu
#define QSIM_OP_RETAIN		0xfffeu

/*
 * An op whose low 16 bits are RELEASE or RETAIN is the object layer's, not
 * the object's: a TA cannot send one as an ordinary call. [I] Real QTEE
 * counts a TA's retain and release of a remote object itself and tells
 * the kernel only with async releases; forwarding such an op would make
 * the kernel count a reference QTEE does not know about.
 */
static inline bool qsim_op_reserved(u32 op)
{
	return (op & 0xffff) >= QSIM_OP_RETAIN;
}

#define QSIM_OP_MASK		0xffffu

/* Primordial object ops. */
#define QSIM_PRIM_MAP_REGION	0
#define QSIM_MAP_INFO_SIZE	20
#define QSIM_PERM_READ		2
#define QSIM_PERM_WRITE		4

/* Message layout. */
#define QSIM_MAX_ARGS_CLASS	15
#define QSIM_IN_HDR		12
#define QSIM_CB_HDR		16
#define QSIM_ARG_SIZE		8
#define QSIM_MAX_BUF_SIZE	(4u << 20)
/* Shared buffers are whole pages of 4 KiB, as Linux's qcomtee makes them. */
#define QSIM_PAGE_SIZE		4096u

/* Async messages. */
#define QSIM_ASYNC_VERSION	0x00010002u
#define QSIM_ASYNC_HDR		8
#define QSIM_ASYNC_MAX_IDS	32

/* Response types returned in a1. */
#define QSIM_RESP_DONE		0
#define QSIM_RESP_CB_REQUEST	3

#define qsim_id_is_ns(id)	(((id) & QSIM_NS_BIT) != 0)

/* Little-endian accessors for unaligned wire fields. */
static inline u32 qsim_get32(const void *base, size_t off)
{
	return get_unaligned_le32((const u8 *)base + off);
}

static inline void qsim_put32(void *base, size_t off, u32 v)
{
	put_unaligned_le32(v, (u8 *)base + off);
}

/**
 * struct qsim_heap - accounting of the simulated secure heap
 * @lock: protects the counters.
 * @total: heap size.
 * @used: bytes requested by live allocations.
 * @overhead: allocation headers.
 * @wasted: rounding slack.
 * @count: live allocations.
 */
struct qsim_heap {
	qsim_spinlock_t lock;	/* see kernel-doc */
	size_t total;
	size_t used;
	size_t overhead;
	size_t wasted;
	unsigned long count;
};

/**
 * struct qsim_faults - fault injection state
 * @count: remaining occurrences per fault.
 * @arg: argument per fault.
 * @hits: how many times each fault fired.
 * @any: some fault is armed (fast path check).
 */
struct qsim_faults {
	qsim_atomic_t count[QCOMTEE_SIM_FAULT_MAX];
	int arg[QCOMTEE_SIM_FAULT_MAX];
	qsim_atomic_t hits[QCOMTEE_SIM_FAULT_MAX];
	qsim_atomic_t any;
};

/**
 * struct qsim_cred - a client's credentials, as QTEE keeps them
 * @uid: the uid of the credentials map (key 1).
 * @time: the client's system time in ms (key 6), 0 if absent.
 * @privileged: a kernel client registered without credentials.
 */
struct qsim_cred {
	u32 uid;
	u64 time;
	bool privileged;
};

/* The host's instance: opaque to the model. */
struct qcomtee_sim;
struct qsim_call;
struct qsim_core;
struct qsim_obj;

/**
 * struct qsim_buf - a buffer argument as the secure side sees it
 * @data: secure-heap copy of the data (IB) or the output area (OB).
 * @size: bytes of valid data (OB: bytes written by the callee).
 * @cap: OB: room available; IB: equal to @size.
 * @off: offset in the shared buffer the data came from / goes to.
 */
struct qsim_buf {
	void *data;
	size_t size;
	size_t cap;
	u32 off;
};

/**
 * struct qsim_oarg - an object argument
 * @id: the wire id (0 = NULL, bit 31 = kernel-hosted).
 * @obj: the secure object when @id names one (holds a reference).
 * @owned: @id is kernel-hosted and this slot owns one reference to it.
 */
struct qsim_oarg {
	u32 id;
	struct qsim_obj *obj;
	bool owned;
};

/**
 * struct qsim_args - the arguments of one invocation or callback
 * @nib: input buffers.
 * @nob: output buffers.
 * @nio: input objects.
 * @noo: output objects.
 * @ib: input buffers.
 * @ob: output buffers.
 * @io: input objects.
 * @oo: output objects.
 */
struct qsim_args {
	unsigned int nib, nob, nio, noo;
	struct qsim_buf ib[QSIM_MAX_ARGS_CLASS];
	struct qsim_buf ob[QSIM_MAX_ARGS_CLASS];
	struct qsim_oarg io[QSIM_MAX_ARGS_CLASS];
	struct qsim_oarg oo[QSIM_MAX_ARGS_CLASS];
};

/**
 * struct qsim_class - behaviour of a kind of secure object
 * @name: for debugging.
 * @blocking: its ops may issue callbacks, so they run on a secure thread.
 * @invoke: handle @op (already masked to 16 bits, never RELEASE/RETAIN)
 *	and return a QTEE result.
 * @release: the last reference is gone: free the object.
 */
struct qsim_class {
	const char *name;
	bool blocking;
	int (*invoke)(struct qsim_obj *obj, struct qsim_call *call, u32 op,
		      struct qsim_args *args);
	void (*release)(struct qsim_obj *obj);
};

/**
 * struct qsim_obj - a secure (QTEE-hosted) object
 * @ref: references (one per kernel handle plus internal ones).
 * @sim: owning instance (the host's).
 * @core: its object table.
 * @cls: behaviour.
 * @id: id in the object table.
 * @kernel_refs: references held by the kernel (under @core->lock).
 * @defunct: the object no longer works (its app was unloaded).
 */
struct qsim_obj {
	qsim_ref_t ref;
	struct qcomtee_sim *sim;
	struct qsim_core *core;
	const struct qsim_class *cls;
	u32 id;
	unsigned int kernel_refs;
	bool defunct;
};

/**
 * struct qsim_ns_ref - a kernel-hosted id the secure side holds
 * @id: the id (bit 31 set); 0 = empty slot, 1 = deleted slot.
 * @count: references held.
 */
struct qsim_ns_ref {
	u32 id;
	u32 count;
};

/**
 * struct qsim_core - the object table and the kernel ids held
 * @sim: the host's instance (for the objects it creates).
 * @heap: the instance's secure heap (argument payloads).
 * @faults: the instance's fault injection (NOSLOTS).
 * @root: the ROOT object, permanent; its behaviour is the host's.
 * @lock: protects @slots, @nslots, @next_id and every object's
 *	kernel_refs.
 * @slots: objects by id (NULL: free); grows up to @max_id + 1 entries.
 * @nslots: entries of @slots.
 * @max_id: the highest id (the table's capacity + 1: ROOT is id 1).
 * @next_id: cyclic allocation cursor.
 * @nobjs: live objects excluding ROOT.
 * @ns_lock: protects the fields below.
 * @ns: kernel ids held, an open-addressing hash of @ns_cap entries.
 * @ns_cap: entries of @ns (a power of two, or 0).
 * @ns_ids: distinct ids in @ns.
 * @ns_filled: entries of @ns in use or deleted.
 * @ns_refs: sum of the counts in @ns.
 * @pending: ids whose release has not been written to the kernel yet.
 * @npending: entries in @pending.
 * @cap_pending: room in @pending, kept >= @ns_refs + @npending so that
 *	dropping a reference never needs memory.
 * @async_releases: releases written into async messages.
 * @async_dirty: async areas the kernel handed back with bytes it should
 *	have zeroed (a kernel bug: QTEE relies on those zeroes).
 * @version: the QTEE version the feature-versions service reports.
 */
struct qsim_core {
	struct qcomtee_sim *sim;
	struct qsim_heap *heap;
	struct qsim_faults *faults;
	struct qsim_obj *root;

	qsim_spinlock_t lock;	/* see kernel-doc */
	struct qsim_obj **slots;
	u32 nslots;
	u32 max_id;
	u32 next_id;
	qsim_atomic_t nobjs;

	qsim_mutex_t ns_lock;	/* see kernel-doc */
	struct qsim_ns_ref *ns;
	u32 ns_cap;
	u32 ns_ids;
	u32 ns_filled;
	unsigned int ns_refs;
	u32 *pending;
	unsigned int npending;
	unsigned int cap_pending;

	qsim_atomic64_t async_releases;
	qsim_atomic64_t async_dirty;
	u32 version;
};

/* True if @a has exactly the given numbers of arguments. */
static inline bool qsim_shape(const struct qsim_args *a, unsigned int ib,
			      unsigned int ob, unsigned int io,
			      unsigned int oo)
{
	return a->nib == ib && a->nob == ob && a->nio == io && a->noo == oo;
}

/**
 * struct qsim_cb - a callback request issued by a secure thread
 * @cxt: the kernel-hosted object to invoke.
 * @op: operation.
 * @args: IB data and OB room to send, IO ids to send; OB results and OO
 *	ids received.
 * @result: the kernel's answer.
 * @granted: secure objects whose reference was handed to the kernel.
 */
struct qsim_cb {
	u32 cxt;
	u32 op;
	struct qsim_args args;
	int result;
	unsigned int granted;
};

/**
 * struct qsim_service - a service object opened from a client env
 * @obj: its object.
 * @cred: credentials of the env it was opened from.
 */
struct qsim_service {
	struct qsim_obj obj;
	struct qsim_cred cred;
};

/* heap.c */
void qsim_heap_init(struct qsim_heap *h, size_t total);
void *qsim_heap_alloc(struct qsim_heap *h, size_t size);
void qsim_heap_free(struct qsim_heap *h, void *ptr);
void qsim_heap_fill_info(struct qsim_heap *h, u32 info[6]);
size_t qsim_heap_in_use(struct qsim_heap *h);

/* faults.c */
void qsim_faults_clear(struct qsim_faults *fs);
int qsim_faults_arm(struct qsim_faults *fs, enum qcomtee_sim_fault fault,
		    unsigned int count, int arg);
bool qsim_faults_fire(struct qsim_faults *fs, enum qcomtee_sim_fault f,
		      int *arg);
int qsim_faults_smc(struct qsim_faults *fs);

/* objects.c */
void qsim_core_init(struct qsim_core *core, struct qcomtee_sim *sim,
		    struct qsim_obj *root, unsigned int max_objects,
		    struct qsim_heap *heap, struct qsim_faults *faults);
void qsim_core_drop_kernel_refs(struct qsim_core *core);
void qsim_core_fini(struct qsim_core *core);
void qsim_core_counts(struct qsim_core *core, unsigned int *objects,
		      unsigned int *ns_refs, unsigned int *ns_ids,
		      unsigned int *pending);
int qsim_obj_add(struct qsim_core *core, struct qsim_obj *obj,
		 const struct qsim_class *cls);
struct qsim_obj *qsim_obj_get(struct qsim_obj *obj);
void qsim_obj_put(struct qsim_obj *obj);
struct qsim_obj *qsim_obj_from_kernel(struct qsim_core *core, u32 id);
int qsim_obj_kernel_release(struct qsim_core *core, u32 id);
int qsim_obj_kernel_retain(struct qsim_core *core, u32 id);
void qsim_obj_grant(struct qsim_obj *obj);
void qsim_obj_revoke(struct qsim_obj *obj);
int qsim_ns_get(struct qsim_core *core, u32 id);
void qsim_ns_put(struct qsim_core *core, u32 id);
void qsim_ns_drop(struct qsim_core *core, u32 id);
unsigned int qsim_take_pending(struct qsim_core *core, u32 *ids,
			       unsigned int max);
void qsim_oarg_clear(struct qsim_core *core, struct qsim_oarg *oa,
		     bool release);
void qsim_args_free(struct qsim_core *core, struct qsim_args *args);
void qsim_set_oo_obj(struct qsim_args *args, unsigned int i,
		     struct qsim_obj *obj);

/* wire.c */
int qsim_wire_parse_invoke(struct qsim_core *core, const u8 *in,
			   size_t in_size, u32 *op, struct qsim_obj **obj,
			   struct qsim_args *a);
void qsim_wire_write_results(struct qsim_core *core, u8 *in,
			     struct qsim_args *a);
void qsim_wire_write_async(struct qsim_core *core, void *area, size_t len);
int qsim_wire_dispatch(struct qsim_obj *obj, struct qsim_call *call, u32 op,
		       struct qsim_args *a);
void qsim_wire_complete(struct qsim_core *core, u8 *in, void *out,
			size_t out_size, struct qsim_obj *obj,
			struct qsim_args *a, int result);

/* cb.c: building the callback requests a secure thread issues. */
struct qsim_cb *qsim_cb_new(struct qsim_core *core, u32 cxt, u32 op);
int qsim_cb_write_request(struct qsim_call *call);
int qsim_cb_read_answer(struct qsim_call *call);
int qsim_cb_add_ib(struct qsim_core *core, struct qsim_cb *cb,
		   const void *data, size_t len);
int qsim_cb_add_ob(struct qsim_core *core, struct qsim_cb *cb, size_t cap);
void qsim_cb_add_io(struct qsim_cb *cb, u32 id, struct qsim_obj *obj);
void qsim_cb_free(struct qsim_core *core, struct qsim_cb *cb);

/**
 * enum qsim_call_state - where a call's secure thread is
 * @QSIM_CALL_RUNNING: running the object's op (or about to).
 * @QSIM_CALL_CB_POSTED: it issued a callback request; the SMC side is to
 *	hand it to the kernel.
 * @QSIM_CALL_CB_WAITING: the request is with the kernel; the thread is
 *	parked until CB_RSP (the call is in the waiting list).
 * @QSIM_CALL_CB_ANSWERED: the answer (or ABORT) is in; the thread may go on.
 * @QSIM_CALL_DONE: the op returned; the SMC side completes the call.
 */
enum qsim_call_state {
	QSIM_CALL_RUNNING,
	QSIM_CALL_CB_POSTED,
	QSIM_CALL_CB_WAITING,
	QSIM_CALL_CB_ANSWERED,
	QSIM_CALL_DONE,
};

/**
 * struct qsim_threads - the secure threads of an instance (threads.c)
 * @lock: protects every call's state, cb pointer and orphan flag, the
 *	waiting list and @nwaiting; nests outside the object table's locks.
 * @waiting: calls waiting for a CB_RSP, linked through their @next.
 * @in_flight: calls not finished (atomic: each call counts itself in and
 *	out without the lock).
 * @nwaiting: entries of @waiting; also read without the lock, to skip
 *	the list when it is empty.
 * @dying: the instance is going away: every callback aborts.
 * @callbacks: callback requests handed to the kernel.
 */
struct qsim_threads {
	qsim_mutex_t lock;	/* see kernel-doc */
	struct qsim_call *waiting;
	qsim_atomic_t in_flight;
	unsigned int nwaiting;
	bool dying;
	qsim_atomic64_t callbacks;
};

/**
 * struct qsim_call - one direct invocation and its secure thread
 * @sim: the host's instance.
 * @core: its object table.
 * @thr: its secure threads.
 * @obj: the invoked object (one reference).
 * @op: the full 32-bit op.
 * @args: the arguments.
 * @result: final QTEE result.
 * @state: see enum qsim_call_state (under @thr->lock).
 * @cb: the callback request being issued.
 * @next: next call in @thr->waiting.
 * @in_pa: inbound buffer, by physical address.
 * @in_va: the address the host reaches it at.
 * @in_size: its size.
 * @out_pa: outbound buffer, by physical address.
 * @out_va: the address the host reaches it at.
 * @out_size: its size.
 * @cb_end: end of the callback request written to the outbound buffer.
 * @cb_fault: the callback request in the outbound buffer was corrupted.
 * @cb_unparsable: so corrupted that the kernel cannot tell where it ends,
 *	hence where the async area behind it starts.
 * @inline_call: runs in the SMC caller's context; no callbacks.
 * @orphan: the kernel side is gone; the secure thread runs to its end
 *	with every callback aborted, and the host frees the call.
 * @host: how the host runs, parks and wakes the thread (host.h).
 */
struct qsim_call {
	struct qcomtee_sim *sim;
	struct qsim_core *core;
	struct qsim_threads *thr;
	struct qsim_obj *obj;
	u32 op;
	struct qsim_args args;
	int result;
	enum qsim_call_state state;
	struct qsim_cb *cb;
	struct qsim_call *next;
	u64 in_pa;
	void *in_va;
	size_t in_size;
	u64 out_pa;
	void *out_va;
	size_t out_size;
	size_t cb_end;
	bool cb_fault;
	bool cb_unparsable;
	bool inline_call;
	bool orphan;
	struct qsim_host_thread host;
};

/* threads.c: the secure threads' state machine. */
void qsim_threads_init(struct qsim_threads *thr);
void qsim_call_init(struct qsim_call *call, struct qsim_core *core,
		    struct qsim_threads *thr, u64 in_pa, void *in,
		    size_t in_size, u64 out_pa, void *out, size_t out_size);
int qsim_call_start(struct qsim_call *call, u64 *rtype, u64 *result);
bool qsim_thread_main(struct qsim_call *call);
void qsim_call_free(struct qsim_call *call);
bool qsim_out_busy(struct qsim_threads *thr, u64 out_pa);
int qsim_call_resume(struct qsim_threads *thr, u64 out_pa, size_t out_size,
		     u64 *rtype, u64 *result);
unsigned int qsim_threads_abort(struct qsim_threads *thr);
void qsim_threads_abort_range(struct qsim_threads *thr, u64 pa, size_t size);
void qsim_threads_counts(struct qsim_threads *thr, unsigned int *in_flight,
			 unsigned int *waiting);

/* services.c: ROOT, client envs, diagnostics and feature versions. */
#define QSIM_UID_DIAG			143
#define QSIM_UID_LOADER			3
#define QSIM_UID_FEATURE		2033

extern const struct qsim_class qsim_root_class;
/* testsvc.c: the test-control service (qcomtee_testsvc.h). */
extern const struct qsim_class qsim_testsvc_class;
void qsim_service_release(struct qsim_obj *obj);

/*
 * qsim_callback() is threads.c's. Provided by each host:
 * qsim_host_service_class(): the class of a service the client env opens
 * by @uid beyond those of services.c, or NULL if the host has none.
 */
int qsim_callback(struct qsim_call *call, struct qsim_cb *cb);
const struct qsim_class *qsim_host_service_class(u32 uid);

/* elf.c: the layout shared with the kernel's test image builder. */
#define QSIM_EHDR64_SIZE	64
#define QSIM_PHDR64_SIZE	56
#define QSIM_EHDR32_SIZE	52
#define QSIM_PHDR32_SIZE	32
#define QSIM_MAX_PHNUM		64

/* MBN segment type in p_flags: 2 hash, 4 metadata ("L4BSP"), 7 phdr. */
#define QSIM_PF_MBN_MASK	0x07000000u
#define QSIM_PF_MBN_HASH	0x02000000u
#define QSIM_PF_MBN_META	0x04000000u
/* The metadata segment's p_flags: MBN type 4, PF_R | PF_W. */
#define QSIM_META_FLAGS		(QSIM_PF_MBN_META | 0x4 | 0x2)

/* The trailer ending every real metadata segment (15 characters + NUL). */
#define QSIM_META_TRAILER	"obL$`P*8L)~s3L}"

#define QSIM_APP_NAME_MAX	64
#define QSIM_UUID_SIZE		16

/**
 * struct qsim_app_meta - what the metadata of a TA image says
 * @name: the app name (the "n" entry), NUL-terminated.
 * @uuid: the GP UUID (the "u" entry): the 16 raw TEEC_UUID bytes.
 * @has_uuid: the metadata has a "u" entry.
 */
struct qsim_app_meta {
	char name[QSIM_APP_NAME_MAX];
	u8 uuid[QSIM_UUID_SIZE];
	bool has_uuid;
};

int qsim_elf_app_name(const void *image, size_t size, char *name,
		      size_t name_size);
int qsim_elf_app_meta(const void *image, size_t size,
		      struct qsim_app_meta *meta);

/* gp.c: the GP client (UID 409) and its sessions (real-clients.md 9). */
#define QSIM_UID_GP_CLIENT		409
#define QSIM_GP_PARAMS			4

/* GP parameter types as they arrive (memref types already rewritten). */
#define QSIM_GP_NONE			0
#define QSIM_GP_VALUE_INPUT		1
#define QSIM_GP_VALUE_OUTPUT		2
#define QSIM_GP_VALUE_INOUT		3
#define QSIM_GP_MEMREF_INPUT		5
#define QSIM_GP_MEMREF_OUTPUT		6
#define QSIM_GP_MEMREF_INOUT		7

/* GP TEE Client API results and origins. */
#define QSIM_TEEC_SUCCESS		0
#define QSIM_TEEC_ERROR_ACCESS_CONFLICT	0xffff0003u
#define QSIM_TEEC_ERROR_BAD_PARAMETERS	0xffff0006u
#define QSIM_TEEC_ERROR_ITEM_NOT_FOUND	0xffff0008u
#define QSIM_TEEC_ERROR_NOT_SUPPORTED	0xffff000au
#define QSIM_TEEC_ERROR_OUT_OF_MEMORY	0xffff000cu
#define QSIM_TEEC_ERROR_SECURITY	0xffff000fu
#define QSIM_TEEC_ORIGIN_TEE		3
#define QSIM_TEEC_ORIGIN_TA		4

/**
 * struct qsim_gp_param - one GP parameter as a TA sees it
 * @type: QSIM_GP_NONE, a value type or a memref type.
 * @a: value a: the client's for input, the TA's for output.
 * @b: value b.
 * @buf: a memref passed in buffers: the secure copy of its bytes, which
 *	for OUTPUT and INOUT is the output area as well; NULL for a NULL
 *	memref or one in a memory object.
 * @size: a memref's size; the TA sets the size it reports back.
 * @cap: room in @buf (OUTPUT and INOUT; @size for INPUT).
 * @mem: a memref in a memory object: its kernel id (the call's
 *	reference), else 0.
 * @offset: the memref's offset in @mem.
 */
struct qsim_gp_param {
	u32 type;
	u32 a, b;
	void *buf;
	size_t size;
	size_t cap;
	u32 mem;
	u64 offset;
};

/**
 * struct qsim_gp_result - the outcome of a GP operation
 * @value: the TEEC result.
 * @origin: where it comes from: QSIM_TEEC_ORIGIN_TEE or _TA.
 */
struct qsim_gp_result {
	u32 value;
	u32 origin;
};

extern const struct qsim_class qsim_gp_client_class;

/*
 * The TAs behind GP sessions are the host's (its app table and loader):
 * provided by each host.
 * qsim_host_gp_open(): find the loaded TA whose metadata UUID is @uuid,
 *	or have it loaded (autoload), and open a session with @params.
 *	QSIM_OK with the outcome in @res, and *@ta set when it is a success;
 *	otherwise an invocation error (the session is not opened).
 * qsim_host_gp_invoke(): run command @cmd of the session's TA: QSIM_OK
 *	with the outcome in @res, or an invocation error (DEFUNCT once the
 *	TA is unloaded).
 * qsim_host_gp_close(): close the session.
 * A host without an app table is to answer QSIM_TEEC_ERROR_NOT_SUPPORTED
 * from qsim_host_gp_open().
 */
struct qsim_gp_ta;
int qsim_host_gp_open(struct qsim_call *call, const struct qsim_cred *cred,
		      const u8 *uuid, struct qsim_gp_param *params,
		      struct qsim_gp_result *res, struct qsim_gp_ta **ta);
int qsim_host_gp_invoke(struct qsim_gp_ta *ta, struct qsim_call *call,
			u32 cmd, struct qsim_gp_param *params,
			struct qsim_gp_result *res);
void qsim_host_gp_close(struct qsim_gp_ta *ta);

/* cbor.c */
int qsim_cbor_parse_cred(const u8 *data, size_t len, struct qsim_cred *cred);

#endif /* __QCOMTEE_SIM_MODEL_H */
