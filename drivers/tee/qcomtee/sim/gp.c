// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the GP client service and its sessions (a model file:
 * host.h).
 *
 * libminkteec, the GP TEE Client API over QTEE, opens UID 409
 * (IGPAppClient) for every TEEC_InitializeContext (real-clients.md
 * section 9):
 *
 * - IGPAppClient op 0 openSession: 6 IB, 5 OB, 5 IO, 1 OO. IB0 20 bytes
 *   {cancelCode, connectionMethod, connectionData, paramTypes,
 *   exParamTypes}, IB1 the 16-byte TEEC_UUID, IB2-5 i1..i4; OB0 24 bytes
 *   {memrefOutSz1..4, retValue, retOrigin}, OB1-4 o1..o4; IO0 the waitCBO,
 *   IO1-4 imem1..4; OO0 the session.
 * - IGPSession op 1 invokeCommand: 5 IB, 5 OB, 4 IO, 0 OO. IB0 20 bytes
 *   {commandID, cancelCode, cancellationRequestTimeout, paramTypes,
 *   exParamTypes}, IB1-4, OB0 as above, OB1-4, IO0-3 imem1..4.
 * - Releasing the session closes it (libminkteec never calls op 0 close).
 *
 * Parameter i (4 bits of paramTypes and of exParamTypes each): a value is
 * 8 bytes {a, b} in i (INPUT, INOUT) and o (OUTPUT, INOUT); a memref is
 * either its bytes in i (every direction) with o the output area (OUTPUT,
 * INOUT), or, above 4096 bytes, a memory object in imem with i the 24-byte
 * MemoryObjectParameters {u64 size, u64 offset, u64 sharedObjIndex}.
 *
 * The service checks every slot against the types before the TA runs. [I]
 * A request libminkteec cannot produce (another shape, a type other than
 * 0-3 and 5-7, slots that disagree with the types) is answered with the
 * invocation result 2 INVALID and reaches no TA; GP outcomes (no such TA,
 * the TA's own result) are retValue/retOrigin with invocation result 0, a
 * session object only on success. The TA behind a session is the host's
 * (qsim_host_gp_open() and its siblings in model.h).
 */

#include "model.h"

#define QSIM_GP_OP_OPEN_SESSION		0
#define QSIM_GP_OP_INVOKE_COMMAND	1
#define QSIM_GP_HDR_SIZE		20
#define QSIM_GP_RES_SIZE		24
#define QSIM_GP_VALUE_SIZE		8
#define QSIM_GP_MEMOBJ_SIZE		24
/* Memrefs up to this size come in buffers, larger ones as memory objects. */
#define QSIM_GP_INLINE_MAX		4096

/* exParamTypes values. */
#define QSIM_GP_EX_NONE			0
#define QSIM_GP_EX_MEMREF_NULL		1
#define QSIM_GP_EX_MEMREF_DUP		2
#define QSIM_GP_EX_FORCE_RW		3

/* TEEC login methods (connectionMethod). */
#define QSIM_TEEC_LOGIN_PUBLIC		0
#define QSIM_TEEC_LOGIN_USER		1
#define QSIM_TEEC_LOGIN_GROUP		2
#define QSIM_TEEC_LOGIN_APPLICATION	4
#define QSIM_TEEC_LOGIN_USER_APP	5
#define QSIM_TEEC_LOGIN_GROUP_APP	6

/**
 * struct qsim_gp_session - an open GP session (IGPSession)
 * @obj: its object.
 * @ta: the host's session with the TA.
 * @wait_id: the client's waitCBO (kernel id, one reference).
 */
struct qsim_gp_session {
	struct qsim_obj obj;
	struct qsim_gp_ta *ta;
	u32 wait_id;
};

/**
 * struct qsim_gp_slots - where a call's parameter slots start
 * @ib: IB of i1.
 * @ob: OB of o1.
 * @io: IO of imem1.
 */
struct qsim_gp_slots {
	unsigned int ib, ob, io;
};

static bool qsim_gp_is_value(u32 type)
{
	return type >= QSIM_GP_VALUE_INPUT && type <= QSIM_GP_VALUE_INOUT;
}

static bool qsim_gp_is_memref(u32 type)
{
	return type >= QSIM_GP_MEMREF_INPUT && type <= QSIM_GP_MEMREF_INOUT;
}

/* OUTPUT and INOUT, for both kinds (bit 1 of the type). */
static bool qsim_gp_is_output(u32 type)
{
	return type & QSIM_GP_VALUE_OUTPUT;
}

/* A memref in a memory object: i is its MemoryObjectParameters. */
static int qsim_gp_decode_memobj(const struct qsim_buf *i,
				 const struct qsim_oarg *mem, u32 ex,
				 struct qsim_gp_param *p)
{
	u64 size, offset;

	if (ex == QSIM_GP_EX_MEMREF_NULL || !mem->owned ||
	    i->size != QSIM_GP_MEMOBJ_SIZE)
		return QSIM_INVALID;
	size = get_unaligned_le64(i->data);
	offset = get_unaligned_le64((const u8 *)i->data + 8);
	/* [I] sharedObjIndex is always 0; the region is bounded. */
	if (get_unaligned_le64((const u8 *)i->data + 16) ||
	    size > QSIM_MAX_BUF_SIZE || offset > QSIM_MAX_BUF_SIZE)
		return QSIM_INVALID;
	p->mem = mem->id;
	p->size = size;
	p->offset = offset;

	return QSIM_OK;
}

/* A memref in buffers: i holds its bytes, o is the output area. */
static int qsim_gp_decode_membuf(const struct qsim_buf *i,
				 struct qsim_buf *o, u32 ex,
				 struct qsim_gp_param *p)
{
	if (ex == QSIM_GP_EX_MEMREF_DUP || ex == QSIM_GP_EX_FORCE_RW ||
	    i->size > QSIM_GP_INLINE_MAX)
		return QSIM_INVALID;
	if (ex == QSIM_GP_EX_MEMREF_NULL)
		return i->size ? QSIM_INVALID : QSIM_OK;
	p->size = i->size;
	p->cap = i->size;
	p->buf = i->data;
	if (!qsim_gp_is_output(p->type))
		return QSIM_OK;
	if (o->cap < i->size)
		return QSIM_INVALID;
	/* The TA works on the output area, which starts as the input. */
	if (i->size)
		memcpy(o->data, i->data, i->size);
	p->buf = o->data;
	p->cap = o->cap;

	return QSIM_OK;
}

/* Check parameter slots @at against @types and @ex; fill @p. */
static int qsim_gp_decode(struct qsim_args *a, const struct qsim_gp_slots *at,
			  u32 types, u32 ex_types, struct qsim_gp_param *p)
{
	unsigned int n;
	u32 type, ex;
	int ret;

	if (types >> (4 * QSIM_GP_PARAMS) || ex_types >> (4 * QSIM_GP_PARAMS))
		return QSIM_INVALID;
	for (n = 0; n < QSIM_GP_PARAMS; n++) {
		const struct qsim_buf *i = &a->ib[at->ib + n];
		struct qsim_buf *o = &a->ob[at->ob + n];
		const struct qsim_oarg *mem = &a->io[at->io + n];

		type = (types >> (4 * n)) & 0xf;
		ex = (ex_types >> (4 * n)) & 0xf;
		memset(&p[n], 0, sizeof(p[n]));
		p[n].type = type;
		if (ex > QSIM_GP_EX_FORCE_RW)
			return QSIM_INVALID;
		if (qsim_gp_is_memref(type)) {
			ret = mem->id ? qsim_gp_decode_memobj(i, mem, ex, &p[n]) :
					qsim_gp_decode_membuf(i, o, ex, &p[n]);
			if (ret)
				return ret;
			continue;
		}
		if (ex || mem->id)
			return QSIM_INVALID;
		if (type == QSIM_GP_NONE) {
			if (i->size)
				return QSIM_INVALID;
			continue;
		}
		if (!qsim_gp_is_value(type))
			return QSIM_INVALID;
		if (i->size != (type == QSIM_GP_VALUE_OUTPUT ? 0 :
				QSIM_GP_VALUE_SIZE) ||
		    (qsim_gp_is_output(type) && o->cap < QSIM_GP_VALUE_SIZE))
			return QSIM_INVALID;
		if (i->size) {
			p[n].a = qsim_get32(i->data, 0);
			p[n].b = qsim_get32(i->data, 4);
		}
	}

	return QSIM_OK;
}

/* Write the TA's outputs and the 24-byte result block (OB0). */
static void qsim_gp_encode(struct qsim_args *a, const struct qsim_gp_slots *at,
			   const struct qsim_gp_param *p,
			   const struct qsim_gp_result *res)
{
	u8 *blk = a->ob[0].data;
	unsigned int n;

	memset(blk, 0, QSIM_GP_RES_SIZE);
	for (n = 0; n < QSIM_GP_PARAMS; n++) {
		struct qsim_buf *o = &a->ob[at->ob + n];

		if (!qsim_gp_is_output(p[n].type))
			continue;
		if (qsim_gp_is_value(p[n].type)) {
			qsim_put32(o->data, 0, p[n].a);
			qsim_put32(o->data, 4, p[n].b);
			o->size = QSIM_GP_VALUE_SIZE;
			continue;
		}
		/* The size the TA reports, even beyond the room (short). */
		qsim_put32(blk, 4 * n, min_t(size_t, p[n].size, U32_MAX));
		if (p[n].buf)
			o->size = min(p[n].size, p[n].cap);
	}
	qsim_put32(blk, 16, res->value);
	qsim_put32(blk, 20, res->origin);
	a->ob[0].size = QSIM_GP_RES_SIZE;
}

static bool qsim_gp_login_ok(u32 method)
{
	switch (method) {
	case QSIM_TEEC_LOGIN_PUBLIC:
	case QSIM_TEEC_LOGIN_USER:
	case QSIM_TEEC_LOGIN_GROUP:
	case QSIM_TEEC_LOGIN_APPLICATION:
	case QSIM_TEEC_LOGIN_USER_APP:
	case QSIM_TEEC_LOGIN_GROUP_APP:
		return true;
	}

	return false;
}

static int qsim_gp_session_invoke(struct qsim_obj *obj, struct qsim_call *call,
				  u32 op, struct qsim_args *a)
{
	static const struct qsim_gp_slots at = { .ib = 1, .ob = 1, .io = 0 };
	struct qsim_gp_session *s = container_of(obj, struct qsim_gp_session,
						 obj);
	struct qsim_gp_param p[QSIM_GP_PARAMS];
	struct qsim_gp_result res = { };
	const u8 *hdr;
	int ret;

	/* op 0 close is not modelled: libminkteec releases the session. */
	if (op != QSIM_GP_OP_INVOKE_COMMAND || !qsim_shape(a, 5, 5, 4, 0))
		return QSIM_INVALID;
	if (a->ib[0].size != QSIM_GP_HDR_SIZE)
		return QSIM_SIZE_IN;
	if (a->ob[0].cap < QSIM_GP_RES_SIZE)
		return QSIM_SIZE_OUT;
	hdr = a->ib[0].data;
	/* cancelCode and cancellationRequestTimeout: no cancellation yet. */
	ret = qsim_gp_decode(a, &at, qsim_get32(hdr, 12), qsim_get32(hdr, 16),
			     p);
	if (ret)
		return ret;
	ret = qsim_host_gp_invoke(s->ta, call, qsim_get32(hdr, 0), p, &res);
	if (ret)
		return ret;
	qsim_gp_encode(a, &at, p, &res);

	return QSIM_OK;
}

static void qsim_gp_session_release(struct qsim_obj *obj)
{
	struct qsim_gp_session *s = container_of(obj, struct qsim_gp_session,
						 obj);

	qsim_host_gp_close(s->ta);
	qsim_ns_put(obj->core, s->wait_id);
	qsim_heap_free(obj->core->heap, s);
}

/* A TA command may call back (memory objects), hence blocking. */
static const struct qsim_class qsim_gp_session_class = {
	.name = "gp-session",
	.blocking = true,
	.invoke = qsim_gp_session_invoke,
	.release = qsim_gp_session_release,
};

/* Make the session object for @ta; it takes the waitCBO from IO0. */
static int qsim_gp_session_new(struct qsim_service *svc, struct qsim_args *a,
			       struct qsim_gp_ta *ta)
{
	struct qsim_core *core = svc->obj.core;
	struct qsim_gp_session *s;
	int ret;

	s = qsim_heap_alloc(core->heap, sizeof(*s));
	if (!s) {
		qsim_host_gp_close(ta);
		return QSIM_MEM;
	}
	s->ta = ta;
	ret = qsim_obj_add(core, &s->obj, &qsim_gp_session_class);
	if (ret) {
		qsim_host_gp_close(ta);
		qsim_heap_free(core->heap, s);
		return ret;
	}
	s->wait_id = a->io[0].id;
	a->io[0].owned = false;
	qsim_set_oo_obj(a, 0, &s->obj);

	return QSIM_OK;
}

static int qsim_gp_open_session(struct qsim_service *svc,
				struct qsim_call *call, struct qsim_args *a)
{
	static const struct qsim_gp_slots at = { .ib = 2, .ob = 1, .io = 1 };
	struct qsim_gp_param p[QSIM_GP_PARAMS];
	struct qsim_gp_result res = { };
	struct qsim_gp_ta *ta = NULL;
	const u8 *hdr;
	int ret;

	if (!qsim_shape(a, 6, 5, 5, 1))
		return QSIM_INVALID;
	if (a->ib[0].size != QSIM_GP_HDR_SIZE ||
	    a->ib[1].size != QSIM_UUID_SIZE)
		return QSIM_SIZE_IN;
	if (a->ob[0].cap < QSIM_GP_RES_SIZE)
		return QSIM_SIZE_OUT;
	/* [I] the waitCBO is the client's own callback object: required. */
	if (!a->io[0].owned)
		return QSIM_INVALID;
	hdr = a->ib[0].data;
	ret = qsim_gp_decode(a, &at, qsim_get32(hdr, 12), qsim_get32(hdr, 16),
			     p);
	if (ret)
		return ret;
	/* [I] connectionData (a group for the GROUP methods) is not checked. */
	if (!qsim_gp_login_ok(qsim_get32(hdr, 4))) {
		res.value = QSIM_TEEC_ERROR_BAD_PARAMETERS;
		res.origin = QSIM_TEEC_ORIGIN_TEE;
	} else {
		ret = qsim_host_gp_open(call, &svc->cred, a->ib[1].data, p,
					&res, &ta);
		if (ret)
			return ret;
	}
	qsim_gp_encode(a, &at, p, &res);
	if (res.value != QSIM_TEEC_SUCCESS)
		return QSIM_OK;		/* no session object */

	return qsim_gp_session_new(svc, a, ta);
}

static int qsim_gp_client_invoke(struct qsim_obj *obj, struct qsim_call *call,
				 u32 op, struct qsim_args *a)
{
	struct qsim_service *svc = container_of(obj, struct qsim_service, obj);

	/* [I] op 1 openSessionV2 is declared but no client uses it. */
	if (op != QSIM_GP_OP_OPEN_SESSION)
		return QSIM_INVALID;

	return qsim_gp_open_session(svc, call, a);
}

/* IGPAppClient (UID 409); opening may autoload the TA: blocking. */
const struct qsim_class qsim_gp_client_class = {
	.name = "gp-app-client",
	.blocking = true,
	.invoke = qsim_gp_client_invoke,
	.release = qsim_service_release,
};
