// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: listener registration (minkipc.md sections 1-2).
 *
 * A client env opens two registration services:
 *
 * - UID 87, IRegisterListenerCBO: op 0 register [IB u32 listener id, IO
 *   callback object (IListenerCBO), IO memory object]. QTEE maps the memory
 *   once (MAP_REGION) and keeps the mapping, the memory object and the
 *   callback object for as long as the registration lives.
 * - UID 268, IRegisterTABufCBO: op 0 register [IO IRequestTABuffer, or NULL
 *   to unregister]. One provider at a time; a new one replaces the old.
 *
 * Registrations belong to the instance, not to the service object they
 * were made through: qtee_supplicant releases its ClientEnv (and MinkIPC's
 * first version also the register object) right after registering.
 *
 * QTEE cannot see a process close its file; it sees the callback object
 * answer DEFUNCT. The kernel answers DEFUNCT for a killed invoker's
 * callbacks too, so one DEFUNCT only makes a registration suspect: the
 * next call first asks the object to `wait` (op 1), and a second DEFUNCT
 * ends the registration. Registering an id that is in use asks the
 * registered object to `wait` as well: a dead one answers DEFUNCT and is
 * replaced, so a restarted daemon registers again from new files; a live
 * one keeps the id (12 ID_IN_USE). [I] The IDL calls 12 an unused code;
 * real QTEE's behaviour for a duplicate is not public. The TA-buffer
 * provider ends only when replaced or unregistered.
 *
 * The secure time source (qsim_time_ms(), qsim_time_utc()) asks the time
 * listener (0xB) with the layouts of minkipc.md section 2.3.
 *
 * A call into a listener (qsim_listener_call()) writes the request at
 * offset 0 of the registered memory, invokes op 0 request [OB offsets, OB
 * 4 bytes is64, 4 x OO] and reads the response back from the same memory.
 * Calls into one listener are serialised; different listeners run
 * concurrently. A listener that answers BUSY (or 1, which is what BUSY
 * becomes through the kernel) is asked to `wait` and the request is sent
 * again, a bounded number of times.
 */

#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/time64.h>

#include "sim.h"

#define QSIM_LSN_OP_REGISTER		0
#define QSIM_LSN_NOT_FOUND		10
#define QSIM_LSN_ERR_MAX_REGISTERED	10
#define QSIM_LSN_ERR_ALIGNMENT		11
#define QSIM_LSN_ERR_ID_IN_USE		12
#define QSIM_LSN_ERR_ID_RESERVED	13
#define QSIM_LSN_ERR_NOT_ALLOWED	14

#define QSIM_CBO_OP_REQUEST		0
#define QSIM_CBO_OP_WAIT		1
#define QSIM_CBO_NUM_OO			4
/* [I] one u32 offset per output object QTEE could send. */
#define QSIM_CBO_OFFSETS_SIZE		(4 * QSIM_CBO_NUM_OO)
#define QSIM_CBO_IS64_SIZE		4
#define QSIM_CBO_BUSY			(-99)
#define QSIM_CBO_RETRIES		3
/* [I] how long a secure thread waits for another one's listener call. */
#define QSIM_LSN_CLAIM_MS		5000
/* The TA-buffer provider's entry: 0 is never a listener id. */
#define QSIM_LSN_TABUF			0

/**
 * struct qsim_listener - a registered CBO listener or TA-buffer provider
 * @node: in sim->listeners while registered.
 * @id: listener id; QSIM_LSN_TABUF for the TA-buffer provider.
 * @cbo: the callback object (kernel id, one reference).
 * @mem: the memory object (kernel id, one reference; 0 for TA-buffer).
 * @map: its mapping object (kernel id, one reference; 0 for TA-buffer).
 * @pa: physical address of the memory.
 * @len: its length.
 * @busy: a request is running (under sim->lsn_lock).
 * @suspect: its last request answered DEFUNCT (under @busy).
 * @users: threads using the entry (under sim->lsn_lock).
 * @dead: unregistered; freed when @users drops to 0.
 */
struct qsim_listener {
	struct list_head node;
	u32 id;
	u32 cbo, mem, map;
	u64 pa, len;
	bool busy;
	bool suspect;
	unsigned int users;
	bool dead;
};

static void qsim_lsn_free(struct qcomtee_sim *sim, struct qsim_listener *l)
{
	qsim_ns_put(&sim->core, l->map);
	qsim_ns_put(&sim->core, l->mem);
	qsim_ns_put(&sim->core, l->cbo);
	qsim_free(sim, l);
}

/* Drop a user; caller holds lsn_lock. True if @l must be freed. */
static bool qsim_lsn_unuse(struct qsim_listener *l)
{
	return !--l->users && l->dead;
}

/* Unregister @l; caller holds lsn_lock. True if @l must be freed. */
static bool qsim_lsn_kill(struct qcomtee_sim *sim, struct qsim_listener *l)
{
	if (!l->dead) {
		l->dead = true;
		list_del_init(&l->node);
		if (l->id != QSIM_LSN_TABUF)
			sim->nlisteners--;
		wake_up_all(&sim->lsn_wq);
	}
	return !l->users;
}

/* Find the live listener @id and take a use of it. */
static struct qsim_listener *qsim_lsn_get(struct qcomtee_sim *sim, u32 id)
{
	struct qsim_listener *l;

	list_for_each_entry(l, &sim->listeners, node) {
		if (l->id == id) {
			l->users++;
			return l;
		}
	}

	return NULL;
}

static void qsim_lsn_put(struct qcomtee_sim *sim, struct qsim_listener *l,
			 bool kill)
{
	bool free;

	spin_lock(&sim->lsn_lock);
	free = qsim_lsn_unuse(l);
	if (kill)
		free = qsim_lsn_kill(sim, l);
	spin_unlock(&sim->lsn_lock);
	if (free)
		qsim_lsn_free(sim, l);
}

static bool qsim_cbo_gone(int ret)
{
	return ret == QSIM_DEFUNCT;
}

/* One call of the listener's callback object: op 0 request or 1 wait. */
static int qsim_cbo_invoke(struct qsim_call *call, u32 cbo, u32 op)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_cb *cb;
	int ret = 0;

	cb = qsim_cb_new(&sim->core, cbo, op);
	if (!cb)
		return QSIM_MEM;
	if (op == QSIM_CBO_OP_REQUEST) {
		ret = qsim_cb_add_ob(&sim->core, cb, QSIM_CBO_OFFSETS_SIZE);
		if (!ret)
			ret = qsim_cb_add_ob(&sim->core, cb, QSIM_CBO_IS64_SIZE);
		cb->args.noo = QSIM_CBO_NUM_OO;
	}
	/* The OB contents and the OO are ignored; OO are released. */
	if (!ret)
		ret = qsim_callback(call, cb);
	qsim_cb_free(&sim->core, cb);

	return ret;
}

/* Claim @l for one request: true when free (or dead: *@dead says). */
static bool qsim_lsn_claim(struct qcomtee_sim *sim, struct qsim_listener *l,
			   bool *dead)
{
	bool claimed;

	spin_lock(&sim->lsn_lock);
	*dead = l->dead;
	claimed = !l->busy || l->dead;
	if (claimed && !l->dead)
		l->busy = true;
	spin_unlock(&sim->lsn_lock);

	return claimed;
}

/**
 * qsim_listener_call() - send a request to a registered listener
 * @call: the invocation whose secure thread asks.
 * @id: listener id.
 * @req: the request (its first u32 is the command id).
 * @req_len: its length.
 * @rsp: receives the first @rsp_len bytes of the response.
 * @rsp_len: bytes wanted (at most the registered memory's length).
 *
 * Return: QSIM_OK or the listener's result (1 when it failed to serve,
 * even after a wait), DEFUNCT (its file is gone, or this caller was
 * killed), ABORT (this call's kernel side is gone), -99 BUSY
 * (another thread's call did not end in time), 10 (no such listener, the
 * IRegisterListenerCBO "not registered" reading [I]), SIZE_IN (the request
 * or response does not fit the registered memory), or a transport error.
 */
int qsim_listener_call(struct qsim_call *call, u32 id, const void *req,
		       size_t req_len, void *rsp, size_t rsp_len)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_listener *l = NULL;
	unsigned int tries;
	bool dead, gone;
	void *va;
	int ret;

	if (id != QSIM_LSN_TABUF) {
		spin_lock(&sim->lsn_lock);
		l = qsim_lsn_get(sim, id);
		spin_unlock(&sim->lsn_lock);
	}
	if (!l)
		return QSIM_LSN_NOT_FOUND;
	if (req_len > l->len || rsp_len > l->len) {
		qsim_lsn_put(sim, l, false);
		return QSIM_SIZE_IN;
	}
	if (!wait_event_timeout(sim->lsn_wq, qsim_lsn_claim(sim, l, &dead),
				msecs_to_jiffies(QSIM_LSN_CLAIM_MS))) {
		qsim_lsn_put(sim, l, false);
		return QSIM_CBO_BUSY;
	}
	if (dead) {
		qsim_lsn_put(sim, l, false);
		return QSIM_DEFUNCT;
	}

	/* The mapping keeps the memory; it must still be shared memory. */
	va = qsim_map(sim, l->pa, l->len, false);
	ret = va ? QSIM_OK : QSIM_ABORT;
	if (va && l->suspect)
		ret = qsim_cbo_invoke(call, l->cbo, QSIM_CBO_OP_WAIT);
	gone = qsim_cbo_gone(ret);	/* DEFUNCT twice: its file is gone */
	if (ret)
		va = NULL;
	else
		memcpy(va, req, req_len);
	for (tries = 0; va; tries++) {
		ret = qsim_cbo_invoke(call, l->cbo, QSIM_CBO_OP_REQUEST);
		if (ret == QSIM_OK || qsim_cbo_gone(ret) ||
		    tries == QSIM_CBO_RETRIES ||
		    (ret != QSIM_CBO_BUSY && ret != QSIM_ERROR))
			break;
		/* Busy (or a failure that may be busy): wait, send again. */
		ret = qsim_cbo_invoke(call, l->cbo, QSIM_CBO_OP_WAIT);
		if (qsim_cbo_gone(ret))
			break;
	}
	if (!ret)
		memcpy(rsp, va, rsp_len);
	/* An answer tells whether it lives; our own call's abort does not. */
	if (ret != QSIM_ABORT)
		l->suspect = qsim_cbo_gone(ret);

	spin_lock(&sim->lsn_lock);
	l->busy = false;
	spin_unlock(&sim->lsn_lock);
	wake_up_all(&sim->lsn_wq);
	qsim_lsn_put(sim, l, gone);

	return ret;
}

/* Time listener (minkipc.md 2.3): requests are the command id alone. */
#define QSIM_LSN_TIME			0xb
#define QSIM_TIME_GET_UTC_SEC		0x302
#define QSIM_TIME_GET_TIME_MS		0x304
#define QSIM_TIME_UTC_RSP		16
#define QSIM_TIME_MS_RSP		12

/* Ask the time listener command @cmd; the response is @len bytes. */
static int qsim_time_ask(struct qsim_call *call, u32 cmd, u8 *rsp,
			 size_t len)
{
	u8 req[4];

	put_unaligned_le32(cmd, req);
	return qsim_listener_call(call, QSIM_LSN_TIME, req, sizeof(req), rsp,
				  len);
}

/**
 * qsim_time_ms() - the secure time source: HLOS time in milliseconds
 * @call: the invocation whose secure thread asks.
 * @ms: receives the time (GET_TIME_MS, u64 at offset 4).
 *
 * Return: QSIM_OK, QSIM_ERROR if the listener could not read its clock
 * (all ones), or the error of qsim_listener_call().
 */
int qsim_time_ms(struct qsim_call *call, u64 *ms)
{
	u8 rsp[QSIM_TIME_MS_RSP];
	int ret = qsim_time_ask(call, QSIM_TIME_GET_TIME_MS, rsp, sizeof(rsp));

	if (ret)
		return ret;
	*ms = get_unaligned_le64(rsp + 4);

	return *ms == U64_MAX ? QSIM_ERROR : QSIM_OK;
}

/**
 * qsim_time_utc() - the secure time source: UTC seconds and nanoseconds
 * @call: the invocation whose secure thread asks.
 * @sec: receives the seconds (GET_UTC_SEC, u32 at offset 4).
 * @nsec: receives the nanoseconds (u32 at offset 8).
 *
 * Return: QSIM_OK, QSIM_ERROR if the listener's ret (i32 at offset 12) is
 * not 0 or @nsec is out of range, or the error of qsim_listener_call().
 */
int qsim_time_utc(struct qsim_call *call, u32 *sec, u32 *nsec)
{
	u8 rsp[QSIM_TIME_UTC_RSP];
	int ret = qsim_time_ask(call, QSIM_TIME_GET_UTC_SEC, rsp, sizeof(rsp));

	if (ret)
		return ret;
	*sec = get_unaligned_le32(rsp + 4);
	*nsec = get_unaligned_le32(rsp + 8);
	if (get_unaligned_le32(rsp + 12) || *nsec >= NSEC_PER_SEC)
		return QSIM_ERROR;

	return QSIM_OK;
}

/* Register listener @id; the args' objects are moved into the entry. */
static int qsim_lsn_register(struct qsim_call *call, struct qsim_args *a)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_listener *l, *old;
	u32 id, perms;
	u64 pa, len;
	bool free;
	int ret;

	id = qsim_get32(a->ib[0].data, 0);
	/* [I] 0 and ids with bit 31 set are never listener ids. */
	if (!id || (id & BIT(31)))
		return QSIM_LSN_ERR_ID_RESERVED;
	if (!a->io[0].owned || !a->io[1].owned)
		return QSIM_INVALID;	/* NULL, or not a kernel object */

	/* A registered id whose object answers DEFUNCT is replaced. */
	for (;;) {
		spin_lock(&sim->lsn_lock);
		old = qsim_lsn_get(sim, id);
		spin_unlock(&sim->lsn_lock);
		if (!old)
			break;
		ret = qsim_cbo_invoke(call, old->cbo, QSIM_CBO_OP_WAIT);
		qsim_lsn_put(sim, old, qsim_cbo_gone(ret));
		if (!qsim_cbo_gone(ret))
			return QSIM_LSN_ERR_ID_IN_USE;
	}

	l = qsim_alloc(sim, sizeof(*l));
	if (!l)
		return QSIM_MEM;
	ret = qsim_invoke_prim_map(call, a->io[1].id, &pa, &len, &perms,
				   &l->map);
	if (ret) {
		qsim_free(sim, l);
		return QSIM_INVALID;	/* not a memory object */
	}
	ret = QSIM_OK;
	/* [I] the length is what SHM_ALLOC was asked; need not be pages. */
	if (!PAGE_ALIGNED(pa) || !len || len > QSIM_MAX_BUF_SIZE)
		ret = QSIM_LSN_ERR_ALIGNMENT;
	else if ((perms & (QSIM_PERM_READ | QSIM_PERM_WRITE)) !=
		 (QSIM_PERM_READ | QSIM_PERM_WRITE))
		ret = QSIM_INVALID;
	if (ret) {
		qsim_ns_put(&sim->core, l->map);
		qsim_free(sim, l);
		return ret;
	}
	l->id = id;
	l->pa = pa;
	l->len = len;

	spin_lock(&sim->lsn_lock);
	old = qsim_lsn_get(sim, id);
	if (old) {
		/* Registered meanwhile by another thread. */
		free = qsim_lsn_unuse(old);
		ret = QSIM_LSN_ERR_ID_IN_USE;
	} else if (sim->nlisteners >= QSIM_MAX_LISTENERS) {
		free = false;
		ret = QSIM_LSN_ERR_MAX_REGISTERED;
	} else {
		free = false;
		l->cbo = a->io[0].id;
		l->mem = a->io[1].id;
		a->io[0].owned = false;
		a->io[1].owned = false;
		list_add_tail(&l->node, &sim->listeners);
		sim->nlisteners++;
	}
	spin_unlock(&sim->lsn_lock);
	if (free)
		qsim_lsn_free(sim, old);
	if (ret) {
		qsim_ns_put(&sim->core, l->map);
		qsim_free(sim, l);
	}

	return ret;
}

static int qsim_reg_listener_invoke(struct qsim_obj *obj,
				    struct qsim_call *call, u32 op,
				    struct qsim_args *a)
{
	struct qsim_service *svc = container_of(obj, struct qsim_service, obj);

	if (op != QSIM_LSN_OP_REGISTER || !qsim_shape(a, 1, 0, 2, 0))
		return QSIM_INVALID;
	if (a->ib[0].size != 4)
		return QSIM_SIZE_IN;
	/*
	 * [I] Listeners serve from Linux userspace: a kernel client env
	 * (ROOT op 5 without credentials) is another domain.
	 */
	if (svc->cred.privileged)
		return QSIM_LSN_ERR_NOT_ALLOWED;

	return qsim_lsn_register(call, a);
}

const struct qsim_class qsim_reg_listener_class = {
	.name = "register-listener-cbo",
	.blocking = true,
	.invoke = qsim_reg_listener_invoke,
	.release = qsim_service_release,
};

static int qsim_reg_tabuf_invoke(struct qsim_obj *obj, struct qsim_call *call,
				 u32 op, struct qsim_args *a)
{
	struct qcomtee_sim *sim = obj->sim;
	struct qsim_listener *l = NULL, *old;
	bool free = false;

	if (op != QSIM_LSN_OP_REGISTER || !qsim_shape(a, 0, 0, 1, 0))
		return QSIM_INVALID;
	if (a->io[0].id && !a->io[0].owned)
		return QSIM_INVALID;	/* not a kernel object */
	if (a->io[0].id) {
		l = qsim_alloc(sim, sizeof(*l));
		if (!l)
			return QSIM_MEM;
		l->id = QSIM_LSN_TABUF;
		l->cbo = a->io[0].id;
		a->io[0].owned = false;
	}
	/* [I] one provider at a time: the newest one replaces the old. */
	spin_lock(&sim->lsn_lock);
	old = qsim_lsn_get(sim, QSIM_LSN_TABUF);
	if (old) {
		qsim_lsn_unuse(old);
		free = qsim_lsn_kill(sim, old);
	}
	if (l)
		list_add_tail(&l->node, &sim->listeners);
	spin_unlock(&sim->lsn_lock);
	if (free)
		qsim_lsn_free(sim, old);

	return QSIM_OK;
}

const struct qsim_class qsim_reg_tabuf_class = {
	.name = "register-tabuf-cbo",
	.invoke = qsim_reg_tabuf_invoke,
	.release = qsim_service_release,
};

/**
 * qsim_tabuf_request() - ask the TA-buffer provider for an image (get, op 0)
 * @call: the invocation whose secure thread asks.
 * @uuid: the 16 raw TEEC_UUID bytes.
 * @mem_id: receives the memory object holding the image (kernel id); the
 *	caller owns one reference and drops it with qsim_ns_put().
 *
 * get [IB the UUID, OO the memory object] (minkipc.md section 2.7).
 *
 * Return: QSIM_OK, 10 if no provider is registered, the provider's result
 * (1: not found), or 11 if it returned no memory object.
 */
int qsim_tabuf_request(struct qsim_call *call, const u8 *uuid, u32 *mem_id)
{
	struct qcomtee_sim *sim = call->sim;
	struct qsim_listener *l;
	struct qsim_cb *cb;
	int ret;

	spin_lock(&sim->lsn_lock);
	l = qsim_lsn_get(sim, QSIM_LSN_TABUF);
	spin_unlock(&sim->lsn_lock);
	if (!l)
		return QSIM_LSN_NOT_FOUND;

	cb = qsim_cb_new(&sim->core, l->cbo, 0);
	ret = cb ? qsim_cb_add_ib(&sim->core, cb, uuid, QSIM_UUID_SIZE) :
		   QSIM_MEM;
	if (!ret) {
		cb->args.noo = 1;
		ret = qsim_callback(call, cb);
	}
	if (!ret && !cb->args.oo[0].owned)
		ret = QSIM_LSN_ERR_ALIGNMENT;	/* no memory object */
	if (!ret) {
		*mem_id = cb->args.oo[0].id;
		cb->args.oo[0].owned = false;	/* the caller's now */
		cb->args.oo[0].id = QSIM_ID_NULL;
	}
	qsim_cb_free(&sim->core, cb);
	qsim_lsn_put(sim, l, qsim_cbo_gone(ret));

	return ret;
}

/**
 * qsim_tabuf_get() - read the start of the image the provider returns
 * @call: the invocation whose secure thread asks.
 * @uuid: the 16 raw TEEC_UUID bytes.
 * @data: receives the first @len bytes of the image.
 * @len: bytes wanted.
 *
 * Return: QSIM_OK, the error of qsim_tabuf_request(), or a mapping error.
 */
int qsim_tabuf_get(struct qsim_call *call, const u8 *uuid, void *data,
		   size_t len)
{
	u32 mem_id;
	int ret;

	ret = qsim_tabuf_request(call, uuid, &mem_id);
	if (ret)
		return ret;
	ret = qsim_mem_access(call, mem_id, 0, len, data, NULL);
	qsim_ns_put(&call->sim->core, mem_id);

	return ret;
}

/**
 * qsim_listeners_init() - no listener registered yet
 * @sim: instance.
 */
void qsim_listeners_init(struct qcomtee_sim *sim)
{
	spin_lock_init(&sim->lsn_lock);
	INIT_LIST_HEAD(&sim->listeners);
	init_waitqueue_head(&sim->lsn_wq);
}

/**
 * qsim_listeners_fini() - drop every registration (instance destroy)
 * @sim: instance; no thread uses a listener any more.
 */
void qsim_listeners_fini(struct qcomtee_sim *sim)
{
	struct qsim_listener *l, *tmp;
	LIST_HEAD(gone);

	spin_lock(&sim->lsn_lock);
	list_splice_init(&sim->listeners, &gone);
	sim->nlisteners = 0;
	spin_unlock(&sim->lsn_lock);
	list_for_each_entry_safe(l, tmp, &gone, node) {
		list_del(&l->node);
		qsim_lsn_free(sim, l);
	}
}

/**
 * qsim_listeners_count() - registrations alive
 * @sim: instance.
 *
 * Return: CBO listeners registered plus TA-buffer providers (0 or 1).
 */
unsigned int qsim_listeners_count(struct qcomtee_sim *sim)
{
	struct qsim_listener *l;
	unsigned int n = 0;

	spin_lock(&sim->lsn_lock);
	list_for_each_entry(l, &sim->listeners, node)
		n++;
	spin_unlock(&sim->lsn_lock);

	return n;
}
