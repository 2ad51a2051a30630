// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the built-in GP TA "gptest".
 *
 * It stands in for the gptest.mbn that MinkIPC's gp_test_client opens
 * (UUID CAD10542-34E4-452D-6156-E979AA6E61BC, real-clients.md section
 * 9.6); the real TA is not public, so what each command does is inferred
 * from what the client checks [I]:
 *
 * - 1: p0 VALUE_INPUT a, p1 an output memref: every byte of p1 becomes a.
 * - 11, 12, 15 (heap, property and TA-to-TA tests): no parameters; they
 *   succeed.
 * - 16 (TA-to-TA negative): no parameters; the TA it opens does not exist:
 *   TEEC_ERROR_ITEM_NOT_FOUND.
 * - 20: p0 MEMREF_INPUT (read), p1 an output memref, p2 VALUE_INPUT a:
 *   every byte of p1 becomes a.
 * - 21: p0 MEMREF_INPUT (read), p1 an output memref: every byte of p1
 *   becomes 4.
 *
 * Other parameter types give TEEC_ERROR_BAD_PARAMETERS, other commands
 * TEEC_ERROR_NOT_SUPPORTED, both from the TA. A memref in a memory object
 * is read or written through MAP_REGION, in the region its parameters
 * name.
 */

#include "sim.h"

#define QSIM_GPT_CMD_FILL		1
#define QSIM_GPT_CMD_HEAP		11
#define QSIM_GPT_CMD_PROPERTY		12
#define QSIM_GPT_CMD_TA_TA		15
#define QSIM_GPT_CMD_TA_TA_NEGATIVE	16
#define QSIM_GPT_CMD_TEMP_MEMREF	20
#define QSIM_GPT_CMD_PARTIAL		21
#define QSIM_GPT_PARTIAL_BYTE		4

#define QSIM_GPT_TYPES(p0, p1, p2, p3) \
	((p0) | (p1) << 4 | (p2) << 8 | (p3) << 12)

static u32 qsim_gpt_types(const struct qsim_gp_param *p)
{
	return QSIM_GPT_TYPES(p[0].type, p[1].type, p[2].type, p[3].type);
}

/* An output memref: INOUT or OUTPUT, in buffers or a memory object. */
static bool qsim_gpt_out_memref(const struct qsim_gp_param *p)
{
	return p->type == QSIM_GP_MEMREF_INOUT ||
	       p->type == QSIM_GP_MEMREF_OUTPUT;
}

/* Read (@rd) or fill with @byte the bytes of memref @p. */
static int qsim_gpt_access(struct qsim_call *call, struct qsim_gp_param *p,
			   bool rd, u8 byte, struct qsim_gp_result *res)
{
	struct qcomtee_sim *sim = call->sim;
	void *tmp;
	int ret;

	if (!p->mem) {
		if (!rd && p->buf)
			memset(p->buf, byte, p->size);
		return QSIM_OK;
	}
	if (!p->size)
		return QSIM_OK;
	tmp = qsim_alloc(sim, p->size);
	if (!tmp)
		return QSIM_MEM;
	memset(tmp, byte, p->size);
	ret = qsim_mem_access(call, p->mem, p->offset, p->size,
			      rd ? tmp : NULL, rd ? NULL : tmp);
	qsim_free(sim, tmp);
	if (ret == QSIM_ABORT)
		return ret;
	if (ret)	/* outside the object, or not writable */
		res->value = QSIM_TEEC_ERROR_BAD_PARAMETERS;

	return QSIM_OK;
}

/**
 * qsim_gptest_invoke() - run a command of the gptest TA
 * @app: the app.
 * @call: the invocation whose secure thread runs it.
 * @cmd: the command id.
 * @p: its four parameters.
 * @res: receives the TA's result.
 *
 * Return: QSIM_OK with @res set, or an invocation error (ABORT, MEM).
 */
int qsim_gptest_invoke(struct qsim_app *app, struct qsim_call *call, u32 cmd,
		       struct qsim_gp_param *p, struct qsim_gp_result *res)
{
	u32 types = qsim_gpt_types(p);
	int ret = QSIM_OK;

	res->value = QSIM_TEEC_SUCCESS;
	res->origin = QSIM_TEEC_ORIGIN_TA;
	switch (cmd) {
	case QSIM_GPT_CMD_FILL:
		if (p[0].type != QSIM_GP_VALUE_INPUT ||
		    !qsim_gpt_out_memref(&p[1]) || p[2].type || p[3].type)
			break;
		return qsim_gpt_access(call, &p[1], false, p[0].a, res);
	case QSIM_GPT_CMD_HEAP:
	case QSIM_GPT_CMD_PROPERTY:
	case QSIM_GPT_CMD_TA_TA:
		if (types)
			break;
		return QSIM_OK;
	case QSIM_GPT_CMD_TA_TA_NEGATIVE:
		if (types)
			break;
		res->value = QSIM_TEEC_ERROR_ITEM_NOT_FOUND;
		return QSIM_OK;
	case QSIM_GPT_CMD_TEMP_MEMREF:
	case QSIM_GPT_CMD_PARTIAL:
		if (p[0].type != QSIM_GP_MEMREF_INPUT ||
		    !qsim_gpt_out_memref(&p[1]) || p[3].type ||
		    p[2].type != (cmd == QSIM_GPT_CMD_PARTIAL ?
				  QSIM_GP_NONE : QSIM_GP_VALUE_INPUT))
			break;
		ret = qsim_gpt_access(call, &p[0], true, 0, res);
		if (ret || res->value)
			return ret;
		return qsim_gpt_access(call, &p[1], false,
				       cmd == QSIM_GPT_CMD_PARTIAL ?
				       QSIM_GPT_PARTIAL_BYTE : p[2].a, res);
	default:
		res->value = QSIM_TEEC_ERROR_NOT_SUPPORTED;
		return QSIM_OK;
	}
	res->value = QSIM_TEEC_ERROR_BAD_PARAMETERS;

	return ret;
}
