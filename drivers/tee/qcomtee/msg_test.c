// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the QTEE message encoding, decoding and async parsing.
 *
 * Expected bytes are written out from the transport description, not
 * produced with the code under test.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "qcomtee.h"

static u32 get32(const void *msg, size_t off)
{
	u32 v;

	memcpy(&v, msg + off, sizeof(v));
	return v;
}

static void put32(void *msg, size_t off, u32 v)
{
	memcpy(msg + off, &v, sizeof(v));
}

static void msg_test_inbound_size(struct kunit *test)
{
	u8 a[5], b[17];
	struct qcomtee_arg args[] = {
		{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = a, .size = 5 } },
		{ .type = QCOMTEE_ARG_TYPE_OO },
		{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = b, .size = 17 } },
		{ .type = QCOMTEE_ARG_TYPE_INV },
	};
	size_t size;

	/* 12 + 3 * 8 = 36 -> 40, + 5 -> 48, + 17 -> 72. */
	KUNIT_ASSERT_EQ(test, qcomtee_msg_inbound_size(args, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 72);

	args[0].type = QCOMTEE_ARG_TYPE_INV;
	KUNIT_ASSERT_EQ(test, qcomtee_msg_inbound_size(args, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 16);
}

static void msg_test_too_many_per_class(struct kunit *test)
{
	struct qcomtee_arg args[QCOMTEE_MSG_ARGS_PER_CLASS + 2] = { };
	size_t size;
	int i;

	for (i = 0; i < QCOMTEE_MSG_ARGS_PER_CLASS; i++)
		args[i].type = QCOMTEE_ARG_TYPE_OO;
	KUNIT_EXPECT_EQ(test, qcomtee_msg_inbound_size(args, &size), 0);
	args[i].type = QCOMTEE_ARG_TYPE_OO;
	KUNIT_EXPECT_EQ(test, qcomtee_msg_inbound_size(args, &size), -EINVAL);
}

static void msg_test_too_large(struct kunit *test)
{
	struct qcomtee_arg args[] = {
		{ .type = QCOMTEE_ARG_TYPE_OB,
		  .b = { .size = QCOMTEE_MSG_INBOUND_MAX } },
		{ .type = QCOMTEE_ARG_TYPE_INV },
	};
	size_t size;

	KUNIT_EXPECT_EQ(test, qcomtee_msg_inbound_size(args, &size), -EINVAL);
	args[0].b.size = SIZE_MAX;
	KUNIT_EXPECT_EQ(test, qcomtee_msg_inbound_size(args, &size), -EINVAL);
}

static void msg_test_prepare_layout(struct kunit *test)
{
	u8 in1[3] = { 1, 2, 3 }, in2[9] = { 9, 9, 9, 9, 9, 9, 9, 9, 9 };
	u8 out1[4];
	/* Caller order mixes classes; the wire groups them. */
	struct qcomtee_arg args[] = {
		{ .type = QCOMTEE_ARG_TYPE_OO },
		{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = out1, .size = 4 } },
		{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = in1, .size = 3 } },
		{ .type = QCOMTEE_ARG_TYPE_IO },
		{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = in2, .size = 9 } },
		{ .type = QCOMTEE_ARG_TYPE_INV },
	};
	u32 ids[] = { 0x80000007 };
	u8 *msg;

	msg = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_ASSERT_EQ(test, qcomtee_msg_prepare_invoke(msg, 256, 42, 7, args,
							 ids), 0);

	KUNIT_EXPECT_EQ(test, get32(msg, 0), 42);
	KUNIT_EXPECT_EQ(test, get32(msg, 4), 7);
	/* 2 IB, 1 OB, 1 IO, 1 OO. */
	KUNIT_EXPECT_EQ(test, get32(msg, 8), 0x1112);
	/* Slots at 12; payloads from ALIGN8(12 + 40) = 56. */
	KUNIT_EXPECT_EQ(test, get32(msg, 12), 56);	/* IB0 offset */
	KUNIT_EXPECT_EQ(test, get32(msg, 16), 3);
	KUNIT_EXPECT_EQ(test, get32(msg, 20), 64);	/* IB1 offset */
	KUNIT_EXPECT_EQ(test, get32(msg, 24), 9);
	KUNIT_EXPECT_EQ(test, get32(msg, 28), 80);	/* OB0 offset */
	KUNIT_EXPECT_EQ(test, get32(msg, 32), 4);
	KUNIT_EXPECT_EQ(test, get32(msg, 36), 0x80000007);
	KUNIT_EXPECT_EQ(test, get32(msg, 44), 0);	/* OO placeholder */
	KUNIT_EXPECT_MEMEQ(test, msg + 56, in1, 3);
	KUNIT_EXPECT_MEMEQ(test, msg + 64, in2, 9);
}

static void msg_test_prepare_too_small(struct kunit *test)
{
	u8 data[64] = { };
	struct qcomtee_arg args[] = {
		{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = data, .size = 64 } },
		{ .type = QCOMTEE_ARG_TYPE_INV },
	};
	u8 *msg = kunit_kzalloc(test, 64, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_EXPECT_EQ(test, qcomtee_msg_prepare_invoke(msg, 64, 1, 0, args,
							 NULL), -EINVAL);
}

static void msg_test_results(struct kunit *test)
{
	u8 out0[8] = { }, out1[16] = { };
	struct qcomtee_arg args[] = {
		{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = out0, .size = 8 } },
		{ .type = QCOMTEE_ARG_TYPE_OO },
		{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = out1, .size = 16 } },
		{ .type = QCOMTEE_ARG_TYPE_OO },
		{ .type = QCOMTEE_ARG_TYPE_INV },
	};
	u32 ids[2];
	u8 *msg;

	msg = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_ASSERT_EQ(test, qcomtee_msg_prepare_invoke(msg, 256, 5, 0, args,
							 NULL), 0);
	/* Slots at 12 (OB0), 20 (OB1), 28, 36 (OO); payloads at 48, 56. */
	KUNIT_ASSERT_EQ(test, get32(msg, 12), 48);
	KUNIT_ASSERT_EQ(test, get32(msg, 20), 56);
	put32(msg, 16, 3);		/* QTEE wrote 3 bytes to OB0 */
	memcpy(msg + 48, "abc", 3);
	put32(msg, 24, 16);
	memset(msg + 56, 'z', 16);
	put32(msg, 28, 0x11);
	put32(msg, 36, 0x80000002);
	/* An offset QTEE rewrote must not move where the data is read. */
	put32(msg, 12, 200);

	KUNIT_ASSERT_EQ(test, qcomtee_msg_read_invoke_results(msg, 256, args,
							      ids), 0);
	KUNIT_EXPECT_EQ(test, args[0].b.size, 3);
	KUNIT_EXPECT_MEMEQ(test, out0, "abc", 3);
	KUNIT_EXPECT_EQ(test, args[2].b.size, 16);
	KUNIT_EXPECT_EQ(test, out1[15], 'z');
	KUNIT_EXPECT_EQ(test, ids[0], 0x11);
	KUNIT_EXPECT_EQ(test, ids[1], 0x80000002);
}

static void msg_test_results_grown(struct kunit *test)
{
	u8 out0[8] = { };
	struct qcomtee_arg args[] = {
		{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = out0, .size = 8 } },
		{ .type = QCOMTEE_ARG_TYPE_OO },
		{ .type = QCOMTEE_ARG_TYPE_INV },
	};
	u32 ids[1];
	u8 *msg;

	msg = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_ASSERT_EQ(test, qcomtee_msg_prepare_invoke(msg, 64, 5, 0, args,
							 NULL), 0);
	put32(msg, 16, 9);		/* larger than offered */
	put32(msg, 20, 0x33);
	KUNIT_EXPECT_EQ(test, qcomtee_msg_read_invoke_results(msg, 64, args,
							      ids), -EINVAL);
	/* The object id is still reported so its reference is not lost. */
	KUNIT_EXPECT_EQ(test, ids[0], 0x33);
	KUNIT_EXPECT_EQ(test, args[0].b.size, 8);
}

/* A callback request with @counts and buffer slots at 16. */
static u8 *msg_test_callback(struct kunit *test, u32 counts)
{
	u8 *msg = kunit_kzalloc(test, QCOMTEE_MSG_OUTBOUND_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, msg);
	put32(msg, 4, 0x80000005);
	put32(msg, 8, 0x10003);
	put32(msg, 12, counts);
	return msg;
}

/* Arguments and input ids of a parsed callback request. */
struct msg_test_cb {
	struct qcomtee_arg args[QCOMTEE_MSG_ARGS_MAX + 1];
	u32 ids[QCOMTEE_MSG_ARGS_PER_CLASS];
	u32 cxt, op;
	size_t end;
};

static int msg_test_parse(u8 *msg, size_t size, struct msg_test_cb *cb)
{
	return qcomtee_msg_parse_callback(msg, size, &cb->cxt, &cb->op,
					  cb->args, cb->ids, &cb->end);
}

static void msg_test_callback_ok(struct kunit *test)
{
	u8 *msg = msg_test_callback(test, 0x1111);	/* IB, OB, IO, OO */
	struct msg_test_cb cb;

	put32(msg, 16, 48);
	put32(msg, 20, 5);
	put32(msg, 24, 56);
	put32(msg, 28, 20);
	put32(msg, 32, 0x80000007);
	put32(msg, 40, 0x1234);
	KUNIT_ASSERT_EQ(test, msg_test_parse(msg, 4096, &cb), 0);
	KUNIT_EXPECT_EQ(test, cb.cxt, 0x80000005);
	KUNIT_EXPECT_EQ(test, cb.op, 0x10003);
	/* Wire order, buffers located in the message, NULL output object. */
	KUNIT_EXPECT_EQ(test, cb.args[0].type, QCOMTEE_ARG_TYPE_IB);
	KUNIT_EXPECT_PTR_EQ(test, cb.args[0].b.addr, (void *)msg + 48);
	KUNIT_EXPECT_EQ(test, cb.args[0].b.size, 5);
	KUNIT_EXPECT_EQ(test, cb.args[1].type, QCOMTEE_ARG_TYPE_OB);
	KUNIT_EXPECT_PTR_EQ(test, cb.args[1].b.addr, (void *)msg + 56);
	KUNIT_EXPECT_EQ(test, cb.args[1].b.size, 20);
	KUNIT_EXPECT_EQ(test, cb.args[2].type, QCOMTEE_ARG_TYPE_IO);
	KUNIT_EXPECT_EQ(test, cb.ids[0], 0x80000007);
	KUNIT_EXPECT_EQ(test, cb.args[3].type, QCOMTEE_ARG_TYPE_OO);
	KUNIT_EXPECT_NULL(test, cb.args[3].o);
	KUNIT_EXPECT_EQ(test, cb.args[4].type, QCOMTEE_ARG_TYPE_INV);
	/* The async area starts after the last payload, aligned. */
	KUNIT_EXPECT_EQ(test, cb.end, 80);
}

/*
 * QTEE may rewrite the request at any time. Whatever it writes after the
 * parse, the kernel uses the values it checked: rewriting a slot to point
 * a buffer outside the message changes nothing the kernel uses.
 */
static void msg_test_callback_rewritten_after_parse(struct kunit *test)
{
	u8 *msg = msg_test_callback(test, 0x0111);	/* IB, OB, IO */
	struct msg_test_cb cb;

	put32(msg, 16, 40);
	put32(msg, 20, 8);
	put32(msg, 24, 48);
	put32(msg, 28, 16);
	put32(msg, 32, 0x80000009);
	KUNIT_ASSERT_EQ(test, msg_test_parse(msg, 4096, &cb), 0);

	/* The racing writer: far outside the page, huge, another object. */
	put32(msg, 12, 0xffff);
	put32(msg, 16, 0x7ffff000);
	put32(msg, 20, 0xfffff000);
	put32(msg, 24, 0x7ffff000);
	put32(msg, 28, 0x100000);
	put32(msg, 32, 0x80000001);

	KUNIT_EXPECT_PTR_EQ(test, cb.args[0].b.addr, (void *)msg + 40);
	KUNIT_EXPECT_EQ(test, cb.args[0].b.size, 8);
	KUNIT_EXPECT_PTR_EQ(test, cb.args[1].b.addr, (void *)msg + 48);
	KUNIT_EXPECT_EQ(test, cb.args[1].b.size, 16);
	KUNIT_EXPECT_EQ(test, cb.ids[0], 0x80000009);
	KUNIT_EXPECT_EQ(test, cb.args[3].type, QCOMTEE_ARG_TYPE_INV);
	KUNIT_EXPECT_EQ(test, cb.end, 64);
}

/* The answer: shrunk output sizes and output object ids, in place. */
static void msg_test_callback_answer(struct kunit *test)
{
	u8 *msg = msg_test_callback(test, 0x2011);	/* IB, OB, 2 OO */
	u32 ids[] = { 0x80000011, 0 };
	size_t *capacity = kunit_kcalloc(test, QCOMTEE_MSG_ARGS_MAX,
					 sizeof(*capacity), GFP_KERNEL);
	struct msg_test_cb cb;

	KUNIT_ASSERT_NOT_NULL(test, capacity);

	put32(msg, 16, 48);
	put32(msg, 20, 4);
	put32(msg, 24, 56);
	put32(msg, 28, 16);
	KUNIT_ASSERT_EQ(test, msg_test_parse(msg, 4096, &cb), 0);
	capacity[1] = cb.args[1].b.size;

	/* Growing an output buffer is refused and nothing is written. */
	cb.args[1].b.size = 17;
	KUNIT_EXPECT_EQ(test, qcomtee_msg_write_callback_results(msg, cb.args,
								 capacity, ids),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, get32(msg, 28), 16);
	KUNIT_EXPECT_EQ(test, get32(msg, 32), 0);

	cb.args[1].b.size = 3;
	KUNIT_EXPECT_EQ(test, qcomtee_msg_write_callback_results(msg, cb.args,
								 capacity, ids),
			0);
	KUNIT_EXPECT_EQ(test, get32(msg, 28), 3);
	KUNIT_EXPECT_EQ(test, get32(msg, 24), 56);
	KUNIT_EXPECT_EQ(test, get32(msg, 32), 0x80000011);
	KUNIT_EXPECT_EQ(test, get32(msg, 40), 0);
	/* The input buffer's slot is QTEE's and stays as it was. */
	KUNIT_EXPECT_EQ(test, get32(msg, 16), 48);
	KUNIT_EXPECT_EQ(test, get32(msg, 20), 4);

	qcomtee_msg_set_callback_result(msg, QCOMTEE_MSG_ERROR_BUSY);
	KUNIT_EXPECT_EQ(test, (s32)get32(msg, 0), QCOMTEE_MSG_ERROR_BUSY);
}

static void msg_test_callback_no_args(struct kunit *test)
{
	u8 *msg = msg_test_callback(test, 0);
	struct msg_test_cb cb;

	KUNIT_ASSERT_EQ(test, msg_test_parse(msg, 4096, &cb), 0);
	KUNIT_EXPECT_EQ(test, cb.args[0].type, QCOMTEE_ARG_TYPE_INV);
	KUNIT_EXPECT_EQ(test, cb.end, 16);
}

static void msg_test_callback_malformed(struct kunit *test)
{
	struct msg_test_cb cb;
	u8 *msg;

	/* Reserved count bits. */
	msg = msg_test_callback(test, 0x10000);
	KUNIT_EXPECT_EQ(test, msg_test_parse(msg, 4096, &cb),
			-EINVAL);

	/* Buffer past the end of the outbound buffer. */
	msg = msg_test_callback(test, 0x1);
	put32(msg, 16, 4000);
	put32(msg, 20, 200);
	KUNIT_EXPECT_EQ(test, msg_test_parse(msg, 4096, &cb),
			-EINVAL);

	/* Offset + size wrapping around 32 bits. */
	put32(msg, 16, 0xfffffff0);
	put32(msg, 20, 0x20);
	KUNIT_EXPECT_EQ(test, msg_test_parse(msg, 4096, &cb),
			-EINVAL);

	/* Payload overlapping the header and slots. */
	put32(msg, 16, 8);
	put32(msg, 20, 4);
	KUNIT_EXPECT_EQ(test, msg_test_parse(msg, 4096, &cb),
			-EINVAL);

	/* More slots than the buffer holds. */
	msg = msg_test_callback(test, 0xffff);
	KUNIT_EXPECT_EQ(test, msg_test_parse(msg, 64, &cb), -EINVAL);
	KUNIT_EXPECT_EQ(test, msg_test_parse(msg, 8, &cb), -EINVAL);
}

static void msg_test_errno_to_result(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(0), 0);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-ENOMEM), -97);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-ENODEV), -90);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-ENOSPC), -99);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-EBUSY), -99);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-EINVAL), -96);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-EBADF), -96);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(-EIO), 1);
	KUNIT_EXPECT_EQ(test, qcomtee_errno_to_result(12), 12);
}

static void msg_test_ns_ids_destroy(void *ns_ids)
{
	xa_destroy(ns_ids);
}

/* A bare instance: enough for the id table and async parsing. */
static struct qcomtee *msg_test_qcomtee(struct kunit *test)
{
	struct qcomtee *qcomtee = kunit_kzalloc(test, sizeof(*qcomtee),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, qcomtee);
	kref_init(&qcomtee->refcount);
	KUNIT_ASSERT_EQ(test, qcomtee_ns_ids_init(qcomtee), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test,
							msg_test_ns_ids_destroy,
							&qcomtee->ns_ids), 0);
	qcomtee_primordial_init(qcomtee);
	return qcomtee;
}

struct msg_test_object {
	struct qcomtee_object object;
	int released;
};

static void msg_test_object_release(struct qcomtee_object *object)
{
	container_of(object, struct msg_test_object, object)->released++;
}

static int msg_test_object_dispatch(struct qcomtee_object_invoke_ctx *oic,
				    struct qcomtee_object *object, u32 op,
				    struct qcomtee_arg *args)
{
	return -EINVAL;
}

static const struct qcomtee_object_operations msg_test_object_ops = {
	.dispatch = msg_test_object_dispatch,
	.release = msg_test_object_release,
};

static void msg_test_ns_ids(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	struct msg_test_object a = { };
	u32 id, id2;

	qcomtee_object_cb_init(&a.object, qcomtee, &msg_test_object_ops, "a");
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&a.object, &id), 0);
	KUNIT_EXPECT_TRUE(test, id & QCOMTEE_MSG_OBJECT_NS_BIT);
	KUNIT_EXPECT_NE(test, id, QCOMTEE_MSG_OBJECT_PRIMORDIAL);
	/* The same object keeps its id while QTEE holds it. */
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&a.object, &id2), 0);
	KUNIT_EXPECT_EQ(test, id, id2);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 2);

	KUNIT_EXPECT_PTR_EQ(test, qcomtee_object_ns_lookup(qcomtee, id),
			    &a.object);
	qcomtee_object_put(&a.object);

	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, id), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 2);
	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, id), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 1);
	/* Released: unknown to the table now. */
	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, id), -EINVAL);
	KUNIT_EXPECT_NULL(test, qcomtee_object_ns_lookup(qcomtee, id));
	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, 0x80001234),
			-EINVAL);

	qcomtee_object_put(&a.object);
	KUNIT_EXPECT_EQ(test, a.released, 1);
	xa_destroy(&qcomtee->ns_ids);
}

/*
 * An id QTEE released does not name the next object given the same table
 * index: the generation in the id differs.
 */
static void msg_test_ns_ids_not_reused(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	struct msg_test_object a = { }, b = { };
	u32 ida, idb;

	qcomtee_object_cb_init(&a.object, qcomtee, &msg_test_object_ops, "a");
	qcomtee_object_cb_init(&b.object, qcomtee, &msg_test_object_ops, "b");
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&a.object, &ida), 0);
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_release(qcomtee, ida), 0);
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&b.object, &idb), 0);

	/* The lowest free index again, under another id. */
	KUNIT_EXPECT_EQ(test, ida & 0xfffff, idb & 0xfffff);
	KUNIT_EXPECT_NE(test, ida, idb);
	KUNIT_EXPECT_NULL(test, qcomtee_object_ns_lookup(qcomtee, ida));
	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, ida), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_retain(qcomtee, ida), -EINVAL);
	KUNIT_EXPECT_EQ(test, kref_read(&b.object.refcount), 2);

	/* The same object exported again gets a new id too. */
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_release(qcomtee, idb), 0);
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&a.object, &ida), 0);
	KUNIT_EXPECT_NE(test, ida, idb);
	KUNIT_EXPECT_NULL(test, qcomtee_object_ns_lookup(qcomtee, idb));
	KUNIT_ASSERT_EQ(test, qcomtee_object_ns_release(qcomtee, ida), 0);
	KUNIT_EXPECT_TRUE(test, qcomtee_ns_ids_empty(qcomtee));

	qcomtee_object_put(&a.object);
	qcomtee_object_put(&b.object);
	KUNIT_EXPECT_EQ(test, a.released + b.released, 2);
}

static void msg_test_ns_ids_many(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	const unsigned int n = 100000;
	struct msg_test_object *objs;
	unsigned int i;
	u32 id;

	objs = kvcalloc(n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < n; i++) {
		qcomtee_object_cb_init(&objs[i].object, qcomtee,
				       &msg_test_object_ops, "many");
		KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&objs[i].object,
							       &id), 0);
	}
	for (i = 0; i < n; i += 997)
		KUNIT_EXPECT_PTR_EQ(test,
				    qcomtee_object_ns_lookup(qcomtee,
							     objs[i].object.ns_id),
				    &objs[i].object);
	for (i = 0; i < n; i += 997)
		qcomtee_object_put(&objs[i].object);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, qcomtee_object_ns_release(qcomtee,
								objs[i].object.ns_id),
				0);
	KUNIT_EXPECT_TRUE(test, qcomtee_ns_ids_empty(qcomtee));
	kvfree(objs);
}

/* A kernel object QTEE holds @refs references to; returns its id. */
static u32 msg_test_held(struct kunit *test, struct qcomtee *qcomtee,
			 struct msg_test_object *o, const char *name,
			 unsigned int refs)
{
	u32 id = 0;

	qcomtee_object_cb_init(&o->object, qcomtee, &msg_test_object_ops, name);
	while (refs--)
		KUNIT_ASSERT_EQ(test, qcomtee_object_ns_export(&o->object, &id),
				0);
	return id;
}

static void msg_test_async(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	struct msg_test_object a = { }, b = { };
	u32 ida, idb;
	u8 *area;

	ida = msg_test_held(test, qcomtee, &a, "a", 2);
	idb = msg_test_held(test, qcomtee, &b, "b", 1);

	area = kunit_kzalloc(test, 128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, area);
	/* {1.2, RELEASE, 2, a, b} then {1.2, RELEASE, 1, a} at 24. */
	put32(area, 0, 0x00010002);
	put32(area, 4, 0xffff);
	put32(area, 8, 2);
	put32(area, 12, ida);
	put32(area, 16, idb);
	put32(area, 24, 0x00010002);
	put32(area, 28, 0xffff);
	put32(area, 32, 1);
	put32(area, 36, ida);

	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 128), 2);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&b.object.refcount), 1);
	KUNIT_EXPECT_TRUE(test, qcomtee_ns_ids_empty(qcomtee));
	KUNIT_EXPECT_NULL(test, memchr_inv(area, 0, 128));
	KUNIT_EXPECT_EQ(test, atomic_read(&qcomtee->stats.async_bad), 0);
}

/* An async RELEASE message of one id at @off: {@version, RELEASE, 1, id}. */
static void put_release_one(u8 *area, size_t off, u32 version, u32 id)
{
	put32(area, off, version);
	put32(area, off + 4, 0xffff);
	put32(area, off + 8, 1);
	put32(area, off + 12, id);
}

static void msg_test_async_malformed(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	struct msg_test_object a = { };
	u32 ida;
	u8 *area;

	ida = msg_test_held(test, qcomtee, &a, "a", 1);
	area = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, area);

	/* Major version 2: parsing stops, nothing released. */
	put_release_one(area, 0, 0x00020000, ida);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 64), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 2);

	/* Unknown op. */
	put32(area, 0, 0x00010002);
	put32(area, 4, 0x1234);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 64), 0);

	/* A count far beyond the area: only what is there is read. */
	put32(area, 0, 0x00010002);
	put32(area, 4, 0xffff);
	put32(area, 8, 0xffffffff);
	put32(area, 12, 0x80000999);	/* unknown id: ignored */
	put32(area, 16, QCOMTEE_MSG_OBJECT_ROOT);	/* no NS bit */
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 64), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 2);

	/* Ids cut off by the end of the area. */
	put_release_one(area, 0, 0x00010002, ida);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 14), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 2);
	/* A header cut off by the end of the area. */
	put32(area, 0, 0x00010002);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 6), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&qcomtee->stats.async_bad), 3);

	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, ida), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 1);
}

/* What was read is cleared; what QTEE left past its end marker is not. */
static void msg_test_async_clears_what_it_read(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	struct msg_test_object a = { };
	u32 ida;
	u8 *area;

	ida = msg_test_held(test, qcomtee, &a, "a", 2);
	area = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, area);

	/* {1.2, RELEASE, 1, a}, the end marker at 16, a stray word at 40. */
	put_release_one(area, 0, 0x00010002, ida);
	put32(area, 40, 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 64), 1);
	KUNIT_EXPECT_NULL(test, memchr_inv(area, 0, 40));
	KUNIT_EXPECT_EQ(test, get32(area, 40), 0xdeadbeef);
	/* Not seen twice. */
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 64), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 2);

	/* A malformed message's extent is unknown: all of it goes. */
	put32(area, 0, 0x00020002);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 64), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(area, 0, 64));

	KUNIT_EXPECT_EQ(test, qcomtee_object_ns_release(qcomtee, ida), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&a.object.refcount), 1);
}

static void msg_test_async_primordial(struct kunit *test)
{
	struct qcomtee *qcomtee = msg_test_qcomtee(test);
	u8 *area = kunit_kzalloc(test, 32, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, area);
	/* Releasing the permanent primordial object changes nothing. */
	put_release_one(area, 0, 0x00010002, QCOMTEE_MSG_OBJECT_PRIMORDIAL);
	KUNIT_EXPECT_EQ(test, qcomtee_async_process(qcomtee, area, 32), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&qcomtee->primordial.refcount), 1);
}

static struct kunit_case qcomtee_msg_test_cases[] = {
	KUNIT_CASE(msg_test_inbound_size),
	KUNIT_CASE(msg_test_too_many_per_class),
	KUNIT_CASE(msg_test_too_large),
	KUNIT_CASE(msg_test_prepare_layout),
	KUNIT_CASE(msg_test_prepare_too_small),
	KUNIT_CASE(msg_test_results),
	KUNIT_CASE(msg_test_results_grown),
	KUNIT_CASE(msg_test_callback_ok),
	KUNIT_CASE(msg_test_callback_rewritten_after_parse),
	KUNIT_CASE(msg_test_callback_answer),
	KUNIT_CASE(msg_test_callback_no_args),
	KUNIT_CASE(msg_test_callback_malformed),
	KUNIT_CASE(msg_test_errno_to_result),
	KUNIT_CASE(msg_test_ns_ids),
	KUNIT_CASE(msg_test_ns_ids_not_reused),
	KUNIT_CASE_SLOW(msg_test_ns_ids_many),
	KUNIT_CASE(msg_test_async),
	KUNIT_CASE(msg_test_async_clears_what_it_read),
	KUNIT_CASE(msg_test_async_malformed),
	KUNIT_CASE(msg_test_async_primordial),
	{}
};

static struct kunit_suite qcomtee_msg_test_suite = {
	.name = "qcomtee_msg",
	.test_cases = qcomtee_msg_test_cases,
};

kunit_test_suite(qcomtee_msg_test_suite);
