// SPDX-License-Identifier: GPL-2.0-only
/*
 * Seeded fuzzing of what the QTEE backend takes from the secure world.
 *
 * qcomtee_fuzz_parsers feeds random bytes to the parsers of callback
 * requests, invocation results and async messages and checks each answer
 * against an independent reading of the transport rules.
 * qcomtee_fuzz_secure_world runs random operation sequences against the
 * simulated QTEE while it injects random faults (malformed callback
 * requests and async messages, oversized outputs, a full object table,
 * busy SCM calls) and checks that every call ends cleanly and nothing
 * leaks on either side.
 *
 * The seed and the budget are module parameters (qcomtee.fuzz_seed,
 * qcomtee.fuzz_iters) so that any run can be repeated; the seed in use is
 * printed.
 */

#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/platform_device.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "qcomtee.h"
#include "sim/qcomtee_sim.h"
#include "sim/qcomtee_sim_testapp.h"

static unsigned long fuzz_seed;
module_param(fuzz_seed, ulong, 0444);
MODULE_PARM_DESC(fuzz_seed, "seed of the fuzz suites (0: 1)");

static unsigned int fuzz_iters = 20000;
module_param(fuzz_iters, uint, 0444);
MODULE_PARM_DESC(fuzz_iters, "parser iterations; secure-world steps: a tenth");

/* The secure-world case stops early to stay inside KUnit's test timeout. */
static unsigned int fuzz_budget_s = 200;
module_param(fuzz_budget_s, uint, 0444);
MODULE_PARM_DESC(fuzz_budget_s, "seconds the secure-world case may run");

struct fuzz {
	struct kunit *test;
	struct rnd_state rnd;
	unsigned long seed;
};

static void fuzz_init(struct kunit *test, struct fuzz *f, unsigned int salt)
{
	f->test = test;
	f->seed = (fuzz_seed ?: 1) + salt;
	prandom_seed_state(&f->rnd, f->seed);
	kunit_info(test, "seed %lu, %u iterations\n", f->seed, fuzz_iters);
}

static u32 fuzz_u32(struct fuzz *f)
{
	return prandom_u32_state(&f->rnd);
}

static u32 fuzz_below(struct fuzz *f, u32 n)
{
	return n ? fuzz_u32(f) % n : 0;
}

/* A value biased towards the edges where bounds checks live. */
static u32 fuzz_edgy(struct fuzz *f, u32 limit)
{
	switch (fuzz_below(f, 6)) {
	case 0:
		return 0;
	case 1:
		return limit;
	case 2:
		return limit - fuzz_below(f, 16);
	case 3:
		return U32_MAX - fuzz_below(f, 16);
	default:
		return fuzz_below(f, limit + 64);
	}
}

/* The transport rules, read independently of the driver's parser. */
static bool fuzz_callback_valid(const u8 *msg, size_t size)
{
	u32 counts, n, i, nbufs;
	u64 start;

	if (size < 16)
		return false;
	memcpy(&counts, msg + 12, 4);
	if (counts >> 16)
		return false;
	n = (counts & 0xf) + ((counts >> 4) & 0xf) + ((counts >> 8) & 0xf) +
	    ((counts >> 12) & 0xf);
	start = 16 + 8ULL * n;
	if (start > size)
		return false;
	nbufs = (counts & 0xf) + ((counts >> 4) & 0xf);
	for (i = 0; i < nbufs; i++) {
		u32 off, len;

		memcpy(&off, msg + 16 + 8 * i, 4);
		memcpy(&len, msg + 20 + 8 * i, 4);
		if (off < start || (u64)off + len > size)
			return false;
	}
	return true;
}

static void fuzz_callback_parser(struct kunit *test, struct fuzz *f, u8 *msg)
{
	size_t size = 16 + fuzz_below(f, QCOMTEE_MSG_OUTBOUND_SIZE - 15);
	struct qcomtee_arg args[QCOMTEE_MSG_ARGS_MAX + 1];
	u32 ids[QCOMTEE_MSG_ARGS_PER_CLASS];
	u32 cxt, op, i, nargs;
	size_t end;
	int err;

	nargs = fuzz_below(f, 20);
	put_unaligned_le32(fuzz_u32(f), msg + 4);
	put_unaligned_le32(fuzz_u32(f), msg + 8);
	put_unaligned_le32(fuzz_below(f, 8) ? fuzz_u32(f) & 0xffff :
			   fuzz_u32(f), msg + 12);
	for (i = 0; i < nargs && 16 + 8 * i + 8 <= size; i++) {
		put_unaligned_le32(fuzz_edgy(f, size), msg + 16 + 8 * i);
		put_unaligned_le32(fuzz_edgy(f, size), msg + 20 + 8 * i);
	}

	err = qcomtee_msg_parse_callback(msg, size, &cxt, &op, args, ids,
					 &end);
	KUNIT_ASSERT_EQ_MSG(test, !err, fuzz_callback_valid(msg, size),
			    "seed %lu", f->seed);
	if (err)
		return;
	KUNIT_ASSERT_LE(test, end, size);
	/* Every buffer the kernel would use lies inside the message. */
	for (i = 0; args[i].type != QCOMTEE_ARG_TYPE_INV; i++)
		if (args[i].type == QCOMTEE_ARG_TYPE_IB ||
		    args[i].type == QCOMTEE_ARG_TYPE_OB)
			KUNIT_ASSERT_LE(test, (unsigned long)args[i].b.addr -
					(unsigned long)msg + args[i].b.size,
					size);
}

struct fuzz_obj {
	struct qcomtee_object object;
	bool released;
};

static int fuzz_obj_dispatch(struct qcomtee_object_invoke_ctx *oic,
			     struct qcomtee_object *object, u32 op,
			     struct qcomtee_arg *args)
{
	unsigned int i;

	/* Fill every output buffer: writes must stay inside them. */
	for (i = 0; args[i].type != QCOMTEE_ARG_TYPE_INV; i++)
		if (args[i].type == QCOMTEE_ARG_TYPE_OB)
			memset(args[i].b.addr, 0x5a, args[i].b.size);
	return op & 1 ? -EIO : 0;
}

static void fuzz_obj_release(struct qcomtee_object *object)
{
	container_of(object, struct fuzz_obj, object)->released = true;
}

static const struct qcomtee_object_operations fuzz_obj_ops = {
	.dispatch = fuzz_obj_dispatch,
	.release = fuzz_obj_release,
};

static void fuzz_parsers(struct kunit *test)
{
	struct qcomtee *qcomtee;
	struct fuzz_obj objs[8] = { };
	u32 ids[ARRAY_SIZE(objs)], held[ARRAY_SIZE(objs)] = { };
	struct fuzz f;
	unsigned int it, i;
	ktime_t start;
	u8 *msg;

	fuzz_init(test, &f, 0);
	msg = kunit_kzalloc(test, QCOMTEE_MSG_OUTBOUND_SIZE, GFP_KERNEL);
	qcomtee = kunit_kzalloc(test, sizeof(*qcomtee), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	KUNIT_ASSERT_NOT_NULL(test, qcomtee);
	kref_init(&qcomtee->refcount);
	KUNIT_ASSERT_EQ(test, qcomtee_ns_ids_init(qcomtee), 0);
	qcomtee_primordial_init(qcomtee);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		qcomtee_object_cb_init(&objs[i].object, qcomtee, &fuzz_obj_ops,
				       "fuzz");

	start = ktime_get();
	for (it = 0; it < fuzz_iters; it++) {
		size_t size = 8 + fuzz_below(&f, 512);
		u32 pos = 0;

		fuzz_callback_parser(test, &f, msg);

		/* Hand QTEE some references, then let it release at random. */
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			if (fuzz_below(&f, 4))
				continue;
			KUNIT_ASSERT_EQ(test,
					qcomtee_object_ns_export(&objs[i].object,
								 &ids[i]), 0);
			held[i]++;
		}
		memset(msg, 0, size);
		while (pos + 12 <= size && fuzz_below(&f, 4)) {
			u32 count = fuzz_below(&f, 8) ? fuzz_below(&f, 6) :
				    fuzz_u32(&f);
			u32 k;

			put_unaligned_le32(fuzz_below(&f, 10) ? 0x00010002 :
					   fuzz_u32(&f), msg + pos);
			put_unaligned_le32(fuzz_below(&f, 10) ? 0xffff :
					   fuzz_u32(&f), msg + pos + 4);
			put_unaligned_le32(count, msg + pos + 8);
			for (k = 0; k < 6 && pos + 16 + 4 * k <= size; k++) {
				i = fuzz_below(&f, ARRAY_SIZE(objs));
				/* Only ids QTEE holds, or garbage. */
				put_unaligned_le32(held[i] && fuzz_below(&f, 3) ?
						   ids[i] : fuzz_u32(&f),
						   msg + pos + 12 + 4 * k);
			}
			pos = ALIGN(pos + 12 + 4 * min(count, 6U), 8);
		}
		qcomtee_async_process(qcomtee, msg, size);
		KUNIT_ASSERT_NULL(test, memchr_inv(msg, 0, size));

		/* What QTEE released matches what the table still holds. */
		for (i = 0; i < ARRAY_SIZE(objs); i++) {
			KUNIT_ASSERT_FALSE(test, objs[i].released);
			held[i] = objs[i].object.ns_refs;
			KUNIT_ASSERT_EQ(test, kref_read(&objs[i].object.refcount),
					1 + !!held[i]);
		}
	}

	kunit_info(test, "FUZZ parsers: %u iterations in %lld ms\n", it,
		   ktime_ms_delta(ktime_get(), start));
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		while (held[i]--)
			qcomtee_object_ns_release(qcomtee, ids[i]);
		qcomtee_object_put(&objs[i].object);
		KUNIT_EXPECT_TRUE(test, objs[i].released);
	}
	KUNIT_EXPECT_TRUE(test, qcomtee_ns_ids_empty(qcomtee));
	xa_destroy(&qcomtee->ns_ids);
}

#define ARGS_IB(p, s)	{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = (p), .size = (s) } }
#define ARGS_OB(p, s)	{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = (p), .size = (s) } }
#define ARGS_IO(obj)	{ .type = QCOMTEE_ARG_TYPE_IO, .o = (obj) }
#define ARGS_OO()	{ .type = QCOMTEE_ARG_TYPE_OO }
#define ARGS_END()	{ .type = QCOMTEE_ARG_TYPE_INV }

struct fuzz_world {
	struct fuzz f;
	struct qcomtee_sim *sim;
	struct qcomtee *qcomtee;
	struct qcomtee_object *app, *ctl;
	struct fuzz_obj cb;
	unsigned int ok, qtee_errors, errnos;
};

/* One invocation; any clean outcome is fine, crashes and leaks are not. */
static void fuzz_call(struct fuzz_world *w, struct qcomtee_object *object,
		      u32 op, struct qcomtee_arg *args)
{
	struct qcomtee_object_invoke_ctx oic;
	unsigned int i;
	int err, result;

	qcomtee_oic_init(&oic, w->qcomtee, NULL);
	err = qcomtee_object_do_invoke(&oic, object, op, args, &result);
	if (err) {
		w->errnos++;
		KUNIT_EXPECT_TRUE_MSG(w->f.test, err == -EINVAL || err == -EBUSY ||
				      err == -EAGAIN || err == -EINTR ||
				      err == -ENOMEM,
				      "unexpected errno %d (seed %lu)", err,
				      w->f.seed);
	} else if (result) {
		w->qtee_errors++;
	} else {
		w->ok++;
	}

	for (i = 0; args[i].type != QCOMTEE_ARG_TYPE_INV; i++) {
		if (args[i].type != QCOMTEE_ARG_TYPE_OO)
			continue;
		/* No objects come back from a failed call. */
		if (err || result)
			KUNIT_EXPECT_NULL(w->f.test, args[i].o);
		qcomtee_object_put(args[i].o);
	}
}

static void fuzz_inject(struct fuzz_world *w)
{
	static const int busy[] = { -EBUSY, -EAGAIN, -EINTR };
	enum qcomtee_sim_fault fault;
	int arg = 0;

	fault = fuzz_below(&w->f, QCOMTEE_SIM_FAULT_DELAY);
	if (fault == QCOMTEE_SIM_FAULT_SCM_ERROR)
		/* Busy returns only: a hard SCM error strands QTEE's thread. */
		arg = busy[fuzz_below(&w->f, ARRAY_SIZE(busy))];
	if (fault == QCOMTEE_SIM_FAULT_CB_BAD_ID)
		arg = QCOMTEE_MSG_OBJECT_NS_BIT | fuzz_u32(&w->f);
	if (fault == QCOMTEE_SIM_FAULT_OB_SIZE)
		arg = fuzz_below(&w->f, 3) ? fuzz_below(&w->f, 64) :
		      fuzz_u32(&w->f) & 0x7fffffff;
	qcomtee_sim_inject(w->sim, fault, 1 + fuzz_below(&w->f, 3), arg);
}

static void fuzz_step(struct fuzz_world *w)
{
	u8 buf[64], out[64];
	u32 v[4] = { };
	size_t in_len = fuzz_below(&w->f, sizeof(buf) + 1);
	size_t out_len = fuzz_below(&w->f, sizeof(out) + 1);

	get_random_bytes(buf, sizeof(buf));
	switch (fuzz_below(&w->f, 6)) {
	case 0: {
		struct qcomtee_arg args[] = {
			ARGS_IB(buf, in_len), ARGS_OB(out, out_len), ARGS_END()
		};

		fuzz_call(w, w->app, QTA_OP_ECHO, args);
		break;
	}
	case 1: {
		struct qcomtee_arg args[] = {
			ARGS_IB(v, sizeof(v)), ARGS_IB(buf, in_len),
			ARGS_IO(&w->cb.object), ARGS_OB(out, 16),
			ARGS_OB(buf, out_len), ARGS_OO(), ARGS_END()
		};

		v[0] = fuzz_u32(&w->f);		/* op: odd ones fail */
		v[1] = fuzz_below(&w->f, 64);	/* callback OB size */
		v[2] = fuzz_below(&w->f, 2);	/* callback OO count */
		v[3] = fuzz_below(&w->f, 2) ? QTA_CB_NEW_OBJ : 0;
		fuzz_call(w, w->app, QTA_OP_CALLBACK, args);
		break;
	}
	case 2: {
		struct qcomtee_arg hold[] = {
			ARGS_IO(&w->cb.object), ARGS_OB(v, sizeof(u32)), ARGS_END()
		};
		struct qcomtee_arg rel[] = { ARGS_IB(v, 8), ARGS_END() };

		fuzz_call(w, w->app, QTA_OP_HOLD, hold);
		v[0] = QTA_SLOT_ALL;
		v[1] = fuzz_below(&w->f, 2);
		/*
		 * A release callback the secure side corrupts itself cannot
		 * be matched to an object: that reference is lost until QTEE
		 * goes away, by design. Keep such releases clean.
		 */
		if (v[1] == QTA_RELEASE_CALLBACK)
			qcomtee_sim_clear_faults(w->sim);
		fuzz_call(w, w->app, QTA_OP_RELEASE_HELD, rel);
		break;
	}
	case 3: {
		struct qcomtee_arg args[] = { ARGS_OO(), ARGS_END() };

		fuzz_call(w, w->app, QTA_OP_NEW_OBJECT, args);
		break;
	}
	case 4: {
		struct qcomtee_arg args[] = {
			ARGS_IO(&w->cb.object), ARGS_IB(v, 8), ARGS_OB(out, 8),
			ARGS_END()
		};

		v[0] = fuzz_below(&w->f, 4);
		v[1] = fuzz_below(&w->f, 5);
		fuzz_call(w, w->app, QTA_OP_CALLBACK_MANY, args);
		break;
	}
	default: {
		s32 code = fuzz_u32(&w->f);
		struct qcomtee_arg args[] = {
			ARGS_IB(&code, sizeof(code)), ARGS_END()
		};

		fuzz_call(w, w->app, QTA_OP_RETURN_ERROR, args);
		break;
	}
	}
}

static void fuzz_secure_world(struct kunit *test)
{
	struct qcomtee_arg env_args[] = { ARGS_IO(NULL), ARGS_OO(), ARGS_END() };
	struct qcomtee_object_invoke_ctx oic;
	struct qcomtee_sim_stats st;
	struct qcomtee_object *env, *loader;
	struct fuzz_world *w;
	unsigned int it, base;
	u32 uid = QCOMTEE_APP_LOADER_UID;
	ktime_t start;
	ssize_t len;
	void *image;
	int result;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	image = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	KUNIT_ASSERT_NOT_NULL(test, image);
	fuzz_init(test, &w->f, 1);
	w->sim = qcomtee_sim_create(NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(w->sim));
	w->qcomtee = platform_get_drvdata(qcomtee_sim_pdev(w->sim));
	KUNIT_ASSERT_NOT_NULL(test, w->qcomtee);
	flush_workqueue(w->qcomtee->release_wq);
	qcomtee_sim_get_stats(w->sim, &st);
	base = st.objects;

	qcomtee_oic_init(&oic, w->qcomtee, NULL);
	KUNIT_ASSERT_EQ(test, qcomtee_object_do_invoke(&oic,
						       qcomtee_root(w->qcomtee),
						       QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS,
						       env_args, &result), 0);
	KUNIT_ASSERT_EQ(test, result, 0);
	env = env_args[1].o;
	{
		struct qcomtee_arg args[] = {
			ARGS_IB(&uid, sizeof(uid)), ARGS_OO(), ARGS_END()
		};

		KUNIT_ASSERT_EQ(test, qcomtee_object_do_invoke(&oic, env, 0,
							       args, &result),
				0);
		loader = args[1].o;
	}
	len = qcomtee_sim_build_app_image(QTA_NAME, image, SZ_4K);
	KUNIT_ASSERT_GT(test, len, 0);
	{
		struct qcomtee_arg args[] = {
			ARGS_IB(image, len), ARGS_OO(), ARGS_END()
		};
		struct qcomtee_arg get[] = { ARGS_OO(), ARGS_END() };

		KUNIT_ASSERT_EQ(test, qcomtee_object_do_invoke(&oic, loader, 0,
							       args, &result),
				0);
		w->ctl = args[1].o;
		KUNIT_ASSERT_EQ(test, qcomtee_object_do_invoke(&oic, w->ctl, 2,
							       get, &result),
				0);
		w->app = get[0].o;
		KUNIT_ASSERT_NOT_NULL(test, w->app);
	}
	qcomtee_object_cb_init(&w->cb.object, w->qcomtee, &fuzz_obj_ops,
			       "fuzz");

	start = ktime_get();
	for (it = 0; it < fuzz_iters / 10; it++) {
		if (ktime_ms_delta(ktime_get(), start) > fuzz_budget_s * 1000LL)
			break;
		if (!fuzz_below(&w->f, 3))
			fuzz_inject(w);
		fuzz_step(w);
	}
	qcomtee_sim_clear_faults(w->sim);
	kunit_info(test,
		   "FUZZ secure world: %u steps in %lld ms: %u ok, %u QTEE errors, %u errnos\n",
		   it, ktime_ms_delta(ktime_get(), start), w->ok,
		   w->qtee_errors, w->errnos);
	KUNIT_EXPECT_GT(test, w->ok, 0);
	KUNIT_EXPECT_GT(test, w->qtee_errors + w->errnos, 0);

	/* Everything QTEE held of the kernel's is released by now. */
	{
		u32 rel[2] = { QTA_SLOT_ALL, QTA_RELEASE_ASYNC };
		struct qcomtee_arg args[] = { ARGS_IB(rel, sizeof(rel)),
					      ARGS_END() };

		qcomtee_oic_init(&oic, w->qcomtee, NULL);
		qcomtee_object_do_invoke(&oic, w->app, QTA_OP_RELEASE_HELD,
					 args, &result);
	}
	qcomtee_object_put(w->app);
	qcomtee_object_put(w->ctl);
	qcomtee_object_put(loader);
	qcomtee_object_put(env);
	flush_workqueue(w->qcomtee->release_wq);
	{
		struct qcomtee_arg args[] = { ARGS_END() };

		qcomtee_oic_init(&oic, w->qcomtee, NULL);
		qcomtee_object_do_invoke(&oic, qcomtee_root(w->qcomtee),
					 QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE,
					 args, &result);
	}
	flush_workqueue(w->qcomtee->release_wq);
	qcomtee_sim_get_stats(w->sim, &st);
	KUNIT_EXPECT_EQ(test, st.objects, base);
	KUNIT_EXPECT_EQ(test, st.ns_refs, 0);
	KUNIT_EXPECT_EQ(test, st.in_flight, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->qcomtee->stats.cb_exported), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&w->qcomtee->stats.tee_objects),
			base);
	qcomtee_object_put(&w->cb.object);
	KUNIT_EXPECT_TRUE(test, w->cb.released);
	qcomtee_sim_destroy(w->sim);
}

static struct kunit_case qcomtee_fuzz_test_cases[] = {
	KUNIT_CASE_SLOW(fuzz_parsers),
	KUNIT_CASE_SLOW(fuzz_secure_world),
	{}
};

static struct kunit_suite qcomtee_fuzz_test_suite = {
	.name = "qcomtee_fuzz",
	.test_cases = qcomtee_fuzz_test_cases,
};

kunit_test_suite(qcomtee_fuzz_test_suite);
