// SPDX-License-Identifier: GPL-2.0-only
/*
 * Benchmarks of the QTEE backend against the simulated QTEE (make bench).
 *
 * Every case measures one path of the driver and, in the same run, the
 * floor it is compared with: the same request sent straight into the
 * simulator's transport as a prepared message, or a memcpy of the same
 * size. A figure is BENCH_RUNS runs of a number of iterations each (after
 * a warm-up run that is thrown away); each run gives an average per
 * operation, and the median, 10th and 90th percentiles of those averages
 * are printed as one machine-parsable line:
 *
 *   BENCH name=<id> unit=<unit> median=<v> p10=<v> p90=<v> runs=<n> iters=<n>
 *
 * Driver and floor alternate run by run, so that drift of the host (QEMU
 * shares its CPUs) hits both alike; ratios are computed run by run.
 * Nothing here asserts anything about speed: only the functional
 * preconditions of a measurement are asserted.
 *
 * Allocations are counted with probes on the kmem tracepoints (kmalloc,
 * kmem_cache_alloc, mm_page_alloc), attached only while a counted loop
 * runs and counting only the benchmark's own task outside interrupts.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/unaligned.h>
#include <trace/events/kmem.h>

#include "qcomtee.h"
#include "sim/qcomtee_sim.h"
#include "sim/qcomtee_sim_testapp.h"

#define BENCH_RUNS		15
#define BENCH_UID_LOADER	3
#define BENCH_POOLED_INBOUND	SZ_16K	/* what msgbuf.c pools */
#define BENCH_MSG_HDR		12
#define BENCH_CB_HDR		16
#define BENCH_SITES		8
#define BENCH_CB_N		200	/* callbacks per CALLBACK_MANY */

struct bench_chan {
	void *in, *out;
	size_t in_size, out_size;
	u64 in_br, out_br;
};

struct bench_cb {
	struct qcomtee_object object;
	unsigned long calls;
};

struct bench {
	struct kunit *test;
	struct qcomtee_sim *sim;
	struct device *dev;
	const struct qcomtee_transport *tr;
	struct qcomtee *qcomtee;
	struct qcomtee_object *env;
	struct qcomtee_object *ctl, *app;
	struct bench_chan ch;
	struct bench_cb cb;
	/* Buffers of the data-path cases. */
	void *src, *dst;
	size_t len;
	/* Callback cases: callbacks per invocation. */
	u32 count;
};

/* Statistics. */

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of @n sorted values. */
static u64 bench_pct(const u64 *v, unsigned int n, unsigned int pct)
{
	unsigned int rank = DIV_ROUND_UP(pct * n, 100);

	return v[rank ? rank - 1 : 0];
}

/* Formats thousandths as a decimal with three places. */
static const char *bench_fmt(char *buf, size_t size, u64 v)
{
	u32 rem = do_div(v, 1000);

	snprintf(buf, size, "%llu.%03u", v, rem);
	return buf;
}

/*
 * Prints one figure. @vals are per-run values in thousandths of @unit, so
 * that cheap operations and ratios keep three decimals.
 */
static void bench_report(struct kunit *test, const char *name,
			 const char *unit, const u64 *vals, unsigned int n,
			 unsigned int iters)
{
	char med[24], p10[24], p90[24];
	u64 s[BENCH_RUNS];

	memcpy(s, vals, n * sizeof(*s));
	sort(s, n, sizeof(*s), bench_cmp_u64, NULL);
	kunit_info(test,
		   "BENCH name=%s unit=%s median=%s p10=%s p90=%s runs=%u iters=%u\n",
		   name, unit, bench_fmt(med, sizeof(med), bench_pct(s, n, 50)),
		   bench_fmt(p10, sizeof(p10), bench_pct(s, n, 10)),
		   bench_fmt(p90, sizeof(p90), bench_pct(s, n, 90)), n, iters);
}

/* Per-run ratio a/b in thousandths. */
static void bench_ratio(u64 *out, const u64 *a, const u64 *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = b[i] ? div64_u64(a[i] * 1000, b[i]) : 0;
}

/* Per-run difference (a - b) / div, clamped at zero. */
static void bench_diff(u64 *out, const u64 *a, const u64 *b, u64 div,
		       unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = a[i] > b[i] ? div64_u64(a[i] - b[i], div) : 0;
}

/* Per-run throughput in thousandths of MB/s (10^6 bytes) from ns * 1000. */
static void bench_mbps(u64 *out, const u64 *mns, size_t bytes, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = mns[i] ? div64_u64((u64)bytes * 1000000000ULL, mns[i])
				: 0;
}

typedef int (*bench_fn)(struct bench *b);

/*
 * Runs @fn @iters times; returns the average cost in ns * 1000 per call.
 * The first error stops the loop and is left in *@err.
 */
static u64 bench_time(struct bench *b, bench_fn fn, unsigned int iters,
		      int *err)
{
	unsigned int i;
	int ret = 0;
	u64 t0, t1;

	t0 = ktime_get_ns();
	for (i = 0; i < iters && !ret; i++)
		ret = fn(b);
	t1 = ktime_get_ns();
	*err = ret;
	return div_u64((t1 - t0) * 1000, iters);
}

/*
 * One run of @fa (@ia calls) and @fb (@ib calls), interleaved call by call
 * so that both see the same host: QEMU's vCPUs share the machine's CPUs and
 * a preempted vCPU must not land on one side only. Returns the average
 * cost of each in ns * 1000 per call in *@a and *@b.
 */
static int bench_run_pair(struct bench *b, bench_fn fa, unsigned int ia,
			  u64 *a, bench_fn fb, unsigned int ib, u64 *b_out)
{
	unsigned int i, n = max(ia, ib);
	u64 sa = 0, sb = 0, t0, t1;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		if (i < ia) {
			t0 = ktime_get_ns();
			err = fa(b);
			t1 = ktime_get_ns();
			sa += t1 - t0;
		}
		if (i < ib && !err) {
			t0 = ktime_get_ns();
			err = fb(b);
			t1 = ktime_get_ns();
			sb += t1 - t0;
		}
	}
	*a = div_u64(sa * 1000, ia);
	*b_out = div_u64(sb * 1000, ib);
	return err;
}

/* A warm-up run, then BENCH_RUNS runs of bench_run_pair(). */
static void bench_pair(struct bench *b, bench_fn fa, unsigned int ia,
		       u64 *a, bench_fn fb, unsigned int ib, u64 *b_out)
{
	unsigned int r;
	u64 x, y;

	KUNIT_ASSERT_EQ(b->test, bench_run_pair(b, fa, ia, &x, fb, ib, &y), 0);
	for (r = 0; r < BENCH_RUNS; r++)
		KUNIT_ASSERT_EQ(b->test, bench_run_pair(b, fa, ia, &a[r], fb,
							ib, &b_out[r]), 0);
}

/*
 * For a cheap @fb (a memcpy) whose cost the clock reads would distort:
 * alternate whole runs instead of single calls.
 */
static void bench_pair_runs(struct bench *b, bench_fn fa, unsigned int ia,
			    u64 *a, bench_fn fb, unsigned int ib, u64 *b_out)
{
	unsigned int r;
	int err;

	bench_time(b, fa, ia, &err);
	KUNIT_ASSERT_EQ(b->test, err, 0);
	bench_time(b, fb, ib, &err);
	KUNIT_ASSERT_EQ(b->test, err, 0);
	for (r = 0; r < BENCH_RUNS; r++) {
		a[r] = bench_time(b, fa, ia, &err);
		KUNIT_ASSERT_EQ(b->test, err, 0);
		b_out[r] = bench_time(b, fb, ib, &err);
		KUNIT_ASSERT_EQ(b->test, err, 0);
	}
}

/*
 * Allocation counting. A probe on each kmem tracepoint counts what the
 * benchmark's task allocates while armed, and attributes every allocation
 * to the innermost frame of its stack that belongs to the simulator
 * (qsim_*, qcomtee_sim_*), the benchmark (bench_*, qcomtee_bench_*) or
 * the driver (other qcomtee_*). Page allocations made by the slab
 * allocator (new slabs, large kmalloc) are left out: their objects are
 * counted already.
 */

enum bench_owner {
	BENCH_OWNER_DRIVER,
	BENCH_OWNER_SIM,
	BENCH_OWNER_OTHER,
	BENCH_OWNERS,
};

static const char * const bench_owner_name[BENCH_OWNERS] = {
	"driver", "sim", "other"
};

struct bench_allocs {
	struct task_struct *task;
	bool armed;
	unsigned long count[BENCH_OWNERS], bytes[BENCH_OWNERS];
	unsigned long pages[BENCH_OWNERS];
	unsigned long site[BENCH_SITES];
	enum bench_owner site_owner[BENCH_SITES];
	unsigned long site_count[BENCH_SITES];
	char sym[KSYM_SYMBOL_LEN];
};

static void bench_site(struct bench_allocs *a, enum bench_owner owner,
		       unsigned long ip)
{
	unsigned int i;

	for (i = 0; i < BENCH_SITES; i++) {
		if (!a->site[i]) {
			a->site[i] = ip;
			a->site_owner[i] = owner;
		}
		if (a->site[i] == ip) {
			a->site_count[i]++;
			return;
		}
	}
}

static void bench_account(struct bench_allocs *a, size_t bytes, bool page)
{
	enum bench_owner owner = BENCH_OWNER_OTHER;
	unsigned long entries[32], ip = 0;
	unsigned int i, n;
	char *sym = a->sym;

	if (!READ_ONCE(a->armed) || !in_task() || current != a->task)
		return;

#ifdef CONFIG_STACKTRACE
	n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
#else
	n = 0;
#endif
	for (i = 0; i < n; i++) {
		sprint_symbol_no_offset(sym, entries[i]);
		/* The probe itself. */
		if (str_has_prefix(sym, "bench_account") ||
		    str_has_prefix(sym, "bench_probe"))
			continue;
		if (page && (strstr(sym, "slab") ||
			     strstr(sym, "kmalloc_large")))
			return;
		if (str_has_prefix(sym, "qsim_") ||
		    str_has_prefix(sym, "qcomtee_sim")) {
			owner = BENCH_OWNER_SIM;
		} else if (str_has_prefix(sym, "bench_") ||
			   str_has_prefix(sym, "qcomtee_bench")) {
			owner = BENCH_OWNER_OTHER;
		} else if (str_has_prefix(sym, "qcomtee_")) {
			owner = BENCH_OWNER_DRIVER;
		} else {
			continue;
		}
		ip = entries[i];
		break;
	}
	a->count[owner]++;
	a->bytes[owner] += bytes;
	if (page)
		a->pages[owner]++;
	bench_site(a, owner, ip);
}

static void bench_probe_kmalloc(void *data, unsigned long call_site,
				const void *ptr, size_t bytes_req,
				size_t bytes_alloc, gfp_t gfp, int node)
{
	bench_account(data, bytes_alloc, false);
}

static void bench_probe_cache(void *data, unsigned long call_site,
			      const void *ptr, struct kmem_cache *s,
			      gfp_t gfp, int node)
{
	bench_account(data, kmem_cache_size(s), false);
}

static void bench_probe_page(void *data, struct page *page,
			     unsigned int order, gfp_t gfp, int migratetype)
{
	bench_account(data, PAGE_SIZE << order, true);
}

static int bench_allocs_start(struct bench_allocs *a)
{
	int err;

	memset(a, 0, sizeof(*a));
	a->task = current;
	err = register_trace_kmalloc(bench_probe_kmalloc, a);
	if (err)
		return err;
	err = register_trace_kmem_cache_alloc(bench_probe_cache, a);
	if (err)
		goto out_kmalloc;
	err = register_trace_mm_page_alloc(bench_probe_page, a);
	if (err)
		goto out_cache;
	/* Registering allocates: count from here. */
	WRITE_ONCE(a->armed, true);
	return 0;

out_cache:
	unregister_trace_kmem_cache_alloc(bench_probe_cache, a);
out_kmalloc:
	unregister_trace_kmalloc(bench_probe_kmalloc, a);
	tracepoint_synchronize_unregister();
	return err;
}

static void bench_allocs_stop(struct bench_allocs *a)
{
	WRITE_ONCE(a->armed, false);
	unregister_trace_mm_page_alloc(bench_probe_page, a);
	unregister_trace_kmem_cache_alloc(bench_probe_cache, a);
	unregister_trace_kmalloc(bench_probe_kmalloc, a);
	tracepoint_synchronize_unregister();
}

static unsigned long bench_allocs_total(struct bench_allocs *a)
{
	return a->count[BENCH_OWNER_DRIVER] + a->count[BENCH_OWNER_SIM] +
	       a->count[BENCH_OWNER_OTHER];
}

static unsigned long bench_bytes_total(struct bench_allocs *a)
{
	return a->bytes[BENCH_OWNER_DRIVER] + a->bytes[BENCH_OWNER_SIM] +
	       a->bytes[BENCH_OWNER_OTHER];
}

/* Raw channel: a bridged inbound/outbound pair for the transport. */

/* Zeroed pages, sized and placed as the driver's own message buffers. */
static void *bench_pages(struct kunit *test, size_t size)
{
	void *p = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static void bench_chan_init(struct bench *b, size_t in_size)
{
	struct bench_chan *ch = &b->ch;
	const struct qcomtee_transport_ops *ops = b->tr->ops;

	ch->in_size = PAGE_ALIGN(in_size);
	ch->in = bench_pages(b->test, ch->in_size);
	ch->out_size = QCOMTEE_MSG_OUTBOUND_SIZE;
	ch->out = bench_pages(b->test, ch->out_size);
	KUNIT_ASSERT_EQ(b->test, ops->shm_bridge_create(b->tr->priv,
							virt_to_phys(ch->in),
							ch->in_size,
							&ch->in_br), 0);
	KUNIT_ASSERT_EQ(b->test, ops->shm_bridge_create(b->tr->priv,
							virt_to_phys(ch->out),
							ch->out_size,
							&ch->out_br), 0);
}

static void bench_chan_fini(struct bench *b)
{
	struct bench_chan *ch = &b->ch;

	if (!ch->in)
		return;
	b->tr->ops->shm_bridge_delete(b->tr->priv, ch->in_br);
	b->tr->ops->shm_bridge_delete(b->tr->priv, ch->out_br);
	free_pages_exact(ch->in, ch->in_size);
	free_pages_exact(ch->out, ch->out_size);
	ch->in = NULL;
}

/* Writes the 12-byte header of a direct invocation. */
static void bench_chan_header(struct bench *b, u32 cxt, u32 op, u32 counts)
{
	put_unaligned_le32(cxt, b->ch.in);
	put_unaligned_le32(op, b->ch.in + 4);
	put_unaligned_le32(counts, b->ch.in + 8);
}

static void bench_chan_arg(struct bench *b, unsigned int i, u32 a, u32 c)
{
	put_unaligned_le32(a, b->ch.in + BENCH_MSG_HDR + 8 * i);
	put_unaligned_le32(c, b->ch.in + BENCH_MSG_HDR + 8 * i + 4);
}

/*
 * The floor's answer to a callback of CALLBACK_MANY: copy the u32 of IB0
 * to OB0 and report success. No validation: the floor trusts QTEE.
 */
static void bench_chan_answer(struct bench *b)
{
	u8 *out = b->ch.out;
	u32 ib = get_unaligned_le32(out + BENCH_CB_HDR);
	u32 ob = get_unaligned_le32(out + BENCH_CB_HDR + 8);

	memcpy(out + ob, out + ib, 4);
	put_unaligned_le32(0, out);
}

/* INVOKE, then answer callbacks with CB_RSP until QTEE is done. */
static int bench_chan_call(struct bench *b)
{
	const struct qcomtee_transport_ops *ops = b->tr->ops;
	struct bench_chan *ch = &b->ch;
	u64 rtype = 0, result = 0;
	int ret;

	ret = ops->invoke(b->tr->priv, virt_to_phys(ch->in), ch->in_size,
			  virt_to_phys(ch->out), ch->out_size, &result,
			  &rtype);
	while (!ret && rtype == QCOMTEE_RESPONSE_INBOUND_REQ_NEEDED) {
		bench_chan_answer(b);
		ret = ops->callback_response(b->tr->priv, virt_to_phys(ch->out),
					     ch->out_size, &result, &rtype);
	}
	if (ret)
		return ret;
	return result ? -EPROTO : 0;
}

/* Instance setup. */

#define B_IB(p, s)	{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = (p), .size = (s) } }
#define B_OB(p, s)	{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = (p), .size = (s) } }
#define B_IO(obj)	{ .type = QCOMTEE_ARG_TYPE_IO, .o = (obj) }
#define B_OO()		{ .type = QCOMTEE_ARG_TYPE_OO }
#define B_END()		{ .type = QCOMTEE_ARG_TYPE_INV }

static int bench_invoke(struct bench *b, struct qcomtee_object *object,
			u32 op, struct qcomtee_arg *args)
{
	struct qcomtee_object_invoke_ctx oic;
	int result, err;

	qcomtee_oic_init(&oic, b->qcomtee, NULL);
	err = qcomtee_object_do_invoke(&oic, object, op, args, &result);
	return err ?: result;
}

static void bench_load_app(struct bench *b)
{
	struct qcomtee_object *loader;
	struct qcomtee_arg args[3] = { };
	u32 uid = BENCH_UID_LOADER;
	ssize_t len;
	void *image;

	if (!IS_ENABLED(CONFIG_QCOMTEE_SIM))
		kunit_skip(b->test, "the test app needs the simulated QTEE");
	args[0] = (struct qcomtee_arg)B_IB(&uid, sizeof(uid));
	args[1] = (struct qcomtee_arg)B_OO();
	args[2] = (struct qcomtee_arg)B_END();
	KUNIT_ASSERT_EQ(b->test, bench_invoke(b, b->env,
					      QCOMTEE_CLIENT_ENV_OPEN, args),
			0);
	loader = args[1].o;

	image = kunit_kzalloc(b->test, SZ_4K, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(b->test, image);
	len = qcomtee_sim_build_app_image(QTA_NAME, image, SZ_4K);
	KUNIT_ASSERT_GT(b->test, len, 0);
	args[0] = (struct qcomtee_arg)B_IB(image, len);
	args[1] = (struct qcomtee_arg)B_OO();
	args[2] = (struct qcomtee_arg)B_END();
	KUNIT_ASSERT_EQ(b->test, bench_invoke(b, loader, 0, args), 0);
	qcomtee_object_put(loader);
	b->ctl = args[1].o;

	args[0] = (struct qcomtee_arg)B_OO();
	args[1] = (struct qcomtee_arg)B_END();
	KUNIT_ASSERT_EQ(b->test, bench_invoke(b, b->ctl, 2, args), 0);
	b->app = args[0].o;
	KUNIT_ASSERT_NOT_NULL(b->test, b->app);
}

static int bench_cb_dispatch(struct qcomtee_object_invoke_ctx *oic,
			     struct qcomtee_object *object, u32 op,
			     struct qcomtee_arg *args)
{
	struct bench_cb *cb = container_of(object, struct bench_cb, object);

	if (args[0].type != QCOMTEE_ARG_TYPE_IB || args[0].b.size != 4 ||
	    args[1].type != QCOMTEE_ARG_TYPE_OB || args[1].b.size < 4)
		return -EINVAL;
	memcpy(args[1].b.addr, args[0].b.addr, 4);
	args[1].b.size = 4;
	cb->calls++;
	return 0;
}

static void bench_cb_notify(struct qcomtee_object_invoke_ctx *oic,
			    struct qcomtee_object *object,
			    struct qcomtee_arg *args, int err)
{
}

/* The object is embedded in struct bench: nothing to free. */
static void bench_cb_release(struct qcomtee_object *object)
{
}

static const struct qcomtee_object_operations bench_cb_ops = {
	.dispatch = bench_cb_dispatch,
	.notify = bench_cb_notify,
	.release = bench_cb_release,
};

static struct bench *bench_alloc(struct kunit *test)
{
	struct bench *b;

	b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	b->test = test;
	test->priv = b;
	/*
	 * Stay on one CPU, as a world switch does: the simulator runs its
	 * secure threads on the caller's CPU, and a wake-up of a caller that
	 * migrated to the other vCPU would measure QEMU's host scheduling.
	 */
	set_cpus_allowed_ptr(current, cpumask_of(raw_smp_processor_id()));
	return b;
}

static int bench_init(struct kunit *test)
{
	struct qcomtee_sim_config cfg = { .heap_size = SZ_32M };
	struct qcomtee_arg args[] = { B_IO(NULL), B_OO(), B_END() };
	struct bench *b;

	if (!IS_ENABLED(CONFIG_QCOMTEE_SIM))
		kunit_skip(test, "needs the simulated QTEE (QCOMTEE_SIM)");
	b = bench_alloc(test);
	b->sim = qcomtee_sim_create(&cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(b->sim));
	b->tr = qcomtee_sim_transport(b->sim);
	b->qcomtee = platform_get_drvdata(qcomtee_sim_pdev(b->sim));
	KUNIT_ASSERT_NOT_NULL_MSG(test, b->qcomtee, "driver did not bind");
	flush_workqueue(b->qcomtee->release_wq);

	KUNIT_ASSERT_EQ(test, bench_invoke(b, qcomtee_root(b->qcomtee),
					   QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS,
					   args), 0);
	b->env = args[1].o;
	KUNIT_ASSERT_NOT_NULL(test, b->env);
	qcomtee_object_cb_init(&b->cb.object, b->qcomtee, &bench_cb_ops,
			       "bench");
	return 0;
}

static void bench_exit(struct kunit *test)
{
	struct bench *b = test->priv;

	if (!IS_ENABLED(CONFIG_QCOMTEE_SIM) || !b || !b->sim)
		return;
	bench_chan_fini(b);
	kvfree(b->src);
	if (b->qcomtee) {
		qcomtee_object_put(b->app);
		qcomtee_object_put(b->ctl);
		qcomtee_object_put(b->env);
		flush_workqueue(b->qcomtee->release_wq);
	}
	qcomtee_sim_destroy(b->sim);
}

/* 1. The no-op round trip: ROOT op 4 through the driver and raw. */

static int bench_noop_driver(struct bench *b)
{
	struct qcomtee_arg args[] = { B_END() };

	return bench_invoke(b, qcomtee_root(b->qcomtee),
			    QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE, args);
}

static int bench_noop_floor(struct bench *b)
{
	return bench_chan_call(b);
}

static void bench_noop_chan(struct bench *b)
{
	/* The buffer sizes the driver uses for a small request. */
	bench_chan_init(b, BENCH_POOLED_INBOUND);
	bench_chan_header(b, QCOMTEE_MSG_OBJECT_ROOT,
			  QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE, 0);
}

/* The no-op's figures, named <prefix>noop_kernel_*. */
static void bench_noop_figures(struct kunit *test, const char *prefix)
{
	const unsigned int iters = 2000;
	struct bench *b = test->priv;
	u64 drv[BENCH_RUNS], flr[BENCH_RUNS], v[BENCH_RUNS];
	char name[48];

	bench_noop_chan(b);
	bench_pair(b, bench_noop_driver, iters, drv, bench_noop_floor, iters,
		   flr);
	snprintf(name, sizeof(name), "%snoop_kernel_driver", prefix);
	bench_report(test, name, "ns", drv, BENCH_RUNS, iters);
	snprintf(name, sizeof(name), "%snoop_kernel_floor", prefix);
	bench_report(test, name, "ns", flr, BENCH_RUNS, iters);
	bench_ratio(v, drv, flr, BENCH_RUNS);
	snprintf(name, sizeof(name), "%snoop_kernel_ratio", prefix);
	bench_report(test, name, "x", v, BENCH_RUNS, iters);
	bench_diff(v, drv, flr, 1, BENCH_RUNS);
	snprintf(name, sizeof(name), "%snoop_kernel_overhead", prefix);
	bench_report(test, name, "ns", v, BENCH_RUNS, iters);
}

static void qcomtee_bench_noop(struct kunit *test)
{
	bench_noop_figures(test, "");
}

/*
 * The same comparison for the test app's RETURN_ERROR(0), one 4-byte IB:
 * ROOT's no-op is kernel-only, so this is what the userspace figure runs.
 */

static int bench_app_noop_driver(struct bench *b)
{
	s32 code = 0;
	struct qcomtee_arg args[] = { B_IB(&code, sizeof(code)), B_END() };

	return bench_invoke(b, b->app, QTA_OP_RETURN_ERROR, args);
}

static void qcomtee_bench_app_noop(struct kunit *test)
{
	const unsigned int iters = 2000;
	struct bench *b = test->priv;
	u64 drv[BENCH_RUNS], flr[BENCH_RUNS], v[BENCH_RUNS];

	bench_load_app(b);
	/* IB0 (4 zero bytes) at 24, after the header and one arg. */
	bench_chan_init(b, BENCH_POOLED_INBOUND);
	bench_chan_header(b, b->app->qtee_id, QTA_OP_RETURN_ERROR, 1);
	bench_chan_arg(b, 0, 24, 4);
	bench_pair(b, bench_app_noop_driver, iters, drv, bench_noop_floor,
		   iters, flr);
	bench_report(test, "noop_app_kernel_driver", "ns", drv, BENCH_RUNS,
		     iters);
	bench_report(test, "noop_app_kernel_floor", "ns", flr, BENCH_RUNS,
		     iters);
	bench_ratio(v, drv, flr, BENCH_RUNS);
	bench_report(test, "noop_app_kernel_ratio", "x", v, BENCH_RUNS, iters);
}

/* 3. Callbacks: QTEE -> a kernel object -> answer, through CALLBACK_MANY. */

static int bench_cb_driver(struct bench *b)
{
	u32 req[2] = { 0, b->count }, rsp[2] = { };
	struct qcomtee_arg args[] = {
		B_IB(req, sizeof(req)), B_IO(&b->cb.object),
		B_OB(rsp, sizeof(rsp)), B_END()
	};
	int ret = bench_invoke(b, b->app, QTA_OP_CALLBACK_MANY, args);

	if (!ret && rsp[1])
		ret = -EPROTO;
	return ret;
}

static int bench_cb_driver_n(struct bench *b)
{
	b->count = BENCH_CB_N;
	return bench_cb_driver(b);
}

static int bench_cb_driver_0(struct bench *b)
{
	b->count = 0;
	return bench_cb_driver(b);
}

/* The raw request: IB0 { op, count } at 40, OB0 8 bytes at 48, IO0. */
#define BENCH_CB_IB	40
#define BENCH_CB_OB	48

static int bench_cb_floor(struct bench *b)
{
	u32 id;
	int ret;

	/* QTEE gets one reference per call and releases it asynchronously. */
	ret = qcomtee_object_ns_export(&b->cb.object, &id);
	if (ret)
		return ret;
	bench_chan_arg(b, 2, id, 0);
	put_unaligned_le32(b->count, b->ch.in + BENCH_CB_IB + 4);
	ret = bench_chan_call(b);
	/* Takes the reference back; zeroes the outbound buffer. */
	qcomtee_async_process(b->qcomtee, b->ch.out, b->ch.out_size);
	return ret;
}

static int bench_cb_floor_n(struct bench *b)
{
	b->count = BENCH_CB_N;
	return bench_cb_floor(b);
}

static int bench_cb_floor_0(struct bench *b)
{
	b->count = 0;
	return bench_cb_floor(b);
}

static void bench_cb_chan(struct bench *b)
{
	bench_chan_init(b, BENCH_POOLED_INBOUND);
	bench_chan_header(b, b->app->qtee_id, QTA_OP_CALLBACK_MANY,
			  1 | 1 << 4 | 1 << 8);
	bench_chan_arg(b, 0, BENCH_CB_IB, 8);
	bench_chan_arg(b, 1, BENCH_CB_OB, 8);
}

static void qcomtee_bench_callback(struct kunit *test)
{
	const unsigned int in = 3, i0 = 30;
	struct bench *b = test->priv;
	u64 dn[BENCH_RUNS], d0[BENCH_RUNS], fn[BENCH_RUNS], f0[BENCH_RUNS];
	u64 dcb[BENCH_RUNS], fcb[BENCH_RUNS], v[BENCH_RUNS];
	unsigned long calls;

	bench_load_app(b);
	bench_cb_chan(b);

	/* The floor's answers are right: the sum of the indexes comes back. */
	KUNIT_ASSERT_EQ(test, bench_cb_floor_n(b), 0);
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(b->ch.in + BENCH_CB_OB),
			BENCH_CB_N * (BENCH_CB_N - 1) / 2);
	calls = b->cb.calls;
	KUNIT_ASSERT_EQ(test, bench_cb_driver_n(b), 0);
	KUNIT_ASSERT_EQ(test, b->cb.calls - calls, BENCH_CB_N);

	bench_pair(b, bench_cb_driver_n, in, dn, bench_cb_floor_n, in, fn);
	bench_pair(b, bench_cb_driver_0, i0, d0, bench_cb_floor_0, i0, f0);
	bench_diff(dcb, dn, d0, BENCH_CB_N, BENCH_RUNS);
	bench_diff(fcb, fn, f0, BENCH_CB_N, BENCH_RUNS);
	bench_report(test, "callback_kernel_driver", "ns", dcb, BENCH_RUNS,
		     in * BENCH_CB_N);
	bench_report(test, "callback_kernel_floor", "ns", fcb, BENCH_RUNS,
		     in * BENCH_CB_N);
	bench_ratio(v, dcb, fcb, BENCH_RUNS);
	bench_report(test, "callback_kernel_ratio", "x", v, BENCH_RUNS,
		     in * BENCH_CB_N);
	bench_report(test, "callback_many0_driver", "ns", d0, BENCH_RUNS, i0);
	bench_report(test, "callback_many0_floor", "ns", f0, BENCH_RUNS, i0);
}

/* 4. Buffers: ECHO of IB0 into OB0 (kernel buffers), against memcpy. */

static int bench_echo_driver(struct bench *b)
{
	struct qcomtee_arg args[] = {
		B_IB(b->src, b->len), B_OB(b->dst, b->len), B_END()
	};
	int ret = bench_invoke(b, b->app, QTA_OP_ECHO, args);

	if (!ret && args[1].b.size != b->len)
		ret = -EPROTO;
	return ret;
}

static int bench_echo_floor(struct bench *b)
{
	/* The caller's data goes in and comes out: two copies. */
	memcpy(b->ch.in + 32, b->src, b->len);
	put_unaligned_le32(b->len, b->ch.in + BENCH_MSG_HDR + 12);
	return bench_chan_call(b) ?:
		(memcpy(b->dst, b->ch.in + 32 + ALIGN(b->len, 8), b->len), 0);
}

/*
 * Source and destination of @len bytes for the data-path cases, in one
 * allocation with a page between them: QEMU's software TLB is direct
 * mapped, and two buffers a power of two apart evict each other's entries
 * on every access (a 1 MiB memcpy then runs at a sixth of its speed).
 */
static void bench_bufs_alloc(struct bench *b, size_t len)
{
	b->len = len;
	b->src = kvmalloc(2 * len + PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(b->test, b->src);
	b->dst = b->src + len + PAGE_SIZE;
}

static void bench_bufs_free(struct bench *b)
{
	kvfree(b->src);
	b->src = NULL;
	b->dst = NULL;
}

static int bench_memcpy(struct bench *b)
{
	memcpy(b->dst, b->src, b->len);
	/* Keep the copy. */
	barrier_data(b->dst);
	return 0;
}

static void bench_echo_size(struct bench *b, size_t len, const char *tag)
{
	const unsigned int iters = len > SZ_64K ? 20 : (len > SZ_4K ? 100 : 500);
	u64 drv[BENCH_RUNS], cpy[BENCH_RUNS], flr[BENCH_RUNS];
	u64 v[BENCH_RUNS], w[BENCH_RUNS];
	char name[48];

	bench_bufs_alloc(b, len);
	memset(b->src, 0x5a, len);

	bench_pair_runs(b, bench_echo_driver, iters, drv, bench_memcpy,
			iters * 10, cpy);
	/* IB0 at 32, OB0 after it; the floor copies in and out. */
	bench_chan_init(b, 32 + 2 * ALIGN(len, 8));
	bench_chan_header(b, b->app->qtee_id, QTA_OP_ECHO, 1 | 1 << 4);
	bench_chan_arg(b, 0, 32, len);
	bench_chan_arg(b, 1, 32 + ALIGN(len, 8), len);
	bench_pair(b, bench_echo_driver, iters, w, bench_echo_floor, iters,
		   flr);
	KUNIT_ASSERT_EQ(b->test, memcmp(b->src, b->dst, len), 0);
	bench_chan_fini(b);

	/*
	 * Driver and floor from their interleaved runs, so that the two stand
	 * side by side; the memcpy comparison from the runs next to memcpy.
	 */
	snprintf(name, sizeof(name), "echo_%s_driver_time", tag);
	bench_report(b->test, name, "ns", w, BENCH_RUNS, iters);
	snprintf(name, sizeof(name), "echo_%s_driver", tag);
	bench_mbps(v, w, len, BENCH_RUNS);
	bench_report(b->test, name, "MB/s", v, BENCH_RUNS, iters);
	snprintf(name, sizeof(name), "echo_%s_floor", tag);
	bench_mbps(v, flr, len, BENCH_RUNS);
	bench_report(b->test, name, "MB/s", v, BENCH_RUNS, iters);
	snprintf(name, sizeof(name), "echo_%s_driver_vs_floor", tag);
	bench_ratio(v, w, flr, BENCH_RUNS);
	bench_report(b->test, name, "x", v, BENCH_RUNS, iters);
	snprintf(name, sizeof(name), "memcpy_%s", tag);
	bench_mbps(v, cpy, len, BENCH_RUNS);
	bench_report(b->test, name, "MB/s", v, BENCH_RUNS, iters * 10);
	/* Time of one call in memcpys of the same size. */
	snprintf(name, sizeof(name), "echo_%s_driver_vs_memcpy", tag);
	bench_ratio(v, drv, cpy, BENCH_RUNS);
	bench_report(b->test, name, "x", v, BENCH_RUNS, iters);

	bench_bufs_free(b);
}

static void qcomtee_bench_buffers(struct kunit *test)
{
	struct bench *b = test->priv;

	bench_load_app(b);
	bench_echo_size(b, SZ_4K, "4k");
	bench_echo_size(b, SZ_64K, "64k");
	bench_echo_size(b, SZ_1M, "1m");
}

/* 5. The object table: export, lookup and release at N live ids. */

struct bench_tobj {
	struct qcomtee_object object;
};

static int bench_tobj_dispatch(struct qcomtee_object_invoke_ctx *oic,
			       struct qcomtee_object *object, u32 op,
			       struct qcomtee_arg *args)
{
	return -EINVAL;
}

static const struct qcomtee_object_operations bench_tobj_ops = {
	.dispatch = bench_tobj_dispatch,
	.release = bench_cb_release,
};

/* A small deterministic generator for lookup order. */
static u32 bench_next(u32 *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state;
}

static void bench_table(struct kunit *test, struct qcomtee *q,
			unsigned int n, const char *tag)
{
	const unsigned int m = 1000;
	struct bench_tobj *objs, *extra;
	u64 exp[BENCH_RUNS], look[BENCH_RUNS], rel[BENCH_RUNS];
	u64 bytes[BENCH_RUNS];
	struct bench_allocs *a;
	unsigned int i, r;
	u32 id, seed = 1;
	char name[48];
	u64 t0, t1;
	int err, ret;

	a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	objs = kvcalloc(n, sizeof(*objs), GFP_KERNEL);
	extra = kvcalloc(m, sizeof(*extra), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	KUNIT_ASSERT_NOT_NULL(test, extra);

	/* Fill to n live ids, counting what the table allocates. */
	err = bench_allocs_start(a);
	for (i = 0, ret = 0; i < n && !ret; i++) {
		qcomtee_object_cb_init(&objs[i].object, q, &bench_tobj_ops,
				       "bench");
		ret = qcomtee_object_ns_export(&objs[i].object, &id);
	}
	if (!err)
		bench_allocs_stop(a);
	KUNIT_ASSERT_EQ(test, ret, 0);

	for (i = 0; i < m; i++)
		qcomtee_object_cb_init(&extra[i].object, q, &bench_tobj_ops,
				       "bench");
	for (r = 0; r <= BENCH_RUNS; r++) {
		u64 te, tl, tr;

		t0 = ktime_get_ns();
		for (i = 0; i < m; i++)
			qcomtee_object_ns_export(&extra[i].object, &id);
		t1 = ktime_get_ns();
		te = t1 - t0;

		t0 = ktime_get_ns();
		for (i = 0; i < m; i++) {
			struct qcomtee_object *o;

			id = objs[bench_next(&seed) % n].object.ns_id;
			o = qcomtee_object_ns_lookup(q, id);
			qcomtee_object_put(o);
		}
		t1 = ktime_get_ns();
		tl = t1 - t0;

		t0 = ktime_get_ns();
		for (i = 0; i < m; i++)
			qcomtee_object_ns_release(q, extra[i].object.ns_id);
		t1 = ktime_get_ns();
		tr = t1 - t0;
		if (!r)
			continue;	/* warm-up */
		exp[r - 1] = div_u64(te * 1000, m);
		look[r - 1] = div_u64(tl * 1000, m);
		rel[r - 1] = div_u64(tr * 1000, m);
	}
	KUNIT_EXPECT_EQ(test, objs[0].object.ns_refs, 1);
	KUNIT_EXPECT_EQ(test, extra[0].object.ns_refs, 0);

	snprintf(name, sizeof(name), "table_%s_export", tag);
	bench_report(test, name, "ns", exp, BENCH_RUNS, m);
	snprintf(name, sizeof(name), "table_%s_lookup", tag);
	bench_report(test, name, "ns", look, BENCH_RUNS, m);
	snprintf(name, sizeof(name), "table_%s_release", tag);
	bench_report(test, name, "ns", rel, BENCH_RUNS, m);
	if (!err) {
		/* One measurement, not a spread: all runs get the same value. */
		for (r = 0; r < BENCH_RUNS; r++)
			bytes[r] = div_u64((u64)bench_bytes_total(a) * 1000, n);
		snprintf(name, sizeof(name), "table_%s_bytes_per_id", tag);
		bench_report(test, name, "B", bytes, 1, n);
		kunit_info(test, "table_%s: %lu allocations (%lu B) for %u ids; the objects themselves are %zu B each (the host's memory)\n",
			   tag, bench_allocs_total(a), bench_bytes_total(a), n,
			   sizeof(struct qcomtee_object));
	}

	for (i = 0, ret = 0; i < n && !ret; i++)
		ret = qcomtee_object_ns_release(q, objs[i].object.ns_id);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_TRUE(test, qcomtee_ns_ids_empty(q));
	kvfree(objs);
	kvfree(extra);
}

static void qcomtee_bench_table(struct kunit *test)
{
	struct qcomtee *q;

	/* A bare instance: the table only, as the driver initialises it. */
	q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	kref_init(&q->refcount);
	KUNIT_ASSERT_EQ(test, qcomtee_ns_ids_init(q), 0);
	qcomtee_primordial_init(q);

	bench_table(test, q, 1000, "1k");
	bench_table(test, q, 10000, "10k");
	bench_table(test, q, 100000, "100k");
	xa_destroy(&q->ns_ids);
}

/* 6. Allocations per invocation, driver against floor. */

static void bench_count(struct bench *b, bench_fn fn, unsigned int iters,
			const char *name)
{
	struct bench_allocs *a;
	char fig[64];
	unsigned int i;
	u64 v[1];
	int err;

	a = kunit_kzalloc(b->test, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(b->test, a);
	/* Warm up: pooled buffers, lazily created state. */
	bench_time(b, fn, 4, &err);
	KUNIT_ASSERT_EQ(b->test, err, 0);
	err = bench_allocs_start(a);
	if (err)
		kunit_skip(b->test, "kmem tracepoints unavailable (%d)", err);
	bench_time(b, fn, iters, &err);
	bench_allocs_stop(a);
	KUNIT_ASSERT_EQ(b->test, err, 0);

	/* The driver's figure, then everything the task allocated. */
	v[0] = div_u64((u64)a->count[BENCH_OWNER_DRIVER] * 1000, iters);
	snprintf(fig, sizeof(fig), "allocs_%s_driver", name);
	bench_report(b->test, fig, "allocs", v, 1, iters);
	v[0] = div_u64((u64)bench_allocs_total(a) * 1000, iters);
	snprintf(fig, sizeof(fig), "allocs_%s_all", name);
	bench_report(b->test, fig, "allocs", v, 1, iters);
	kunit_info(b->test, "allocs_%s: in %u calls: driver %lu (%lu B, %lu page), sim %lu (%lu B, %lu page), other %lu (%lu B)\n",
		   name, iters, a->count[BENCH_OWNER_DRIVER],
		   a->bytes[BENCH_OWNER_DRIVER], a->pages[BENCH_OWNER_DRIVER],
		   a->count[BENCH_OWNER_SIM], a->bytes[BENCH_OWNER_SIM],
		   a->pages[BENCH_OWNER_SIM], a->count[BENCH_OWNER_OTHER],
		   a->bytes[BENCH_OWNER_OTHER]);
	for (i = 0; i < BENCH_SITES && a->site[i]; i++)
		kunit_info(b->test, "allocs_%s: %s site %pS: %lu\n", name,
			   bench_owner_name[a->site_owner[i]],
			   (void *)a->site[i], a->site_count[i]);
}

static void bench_count_echo(struct bench *b, size_t len, unsigned int iters,
			     const char *name)
{
	bench_bufs_alloc(b, len);
	bench_count(b, bench_echo_driver, iters, name);
	bench_bufs_free(b);
}

static void qcomtee_bench_allocs(struct kunit *test)
{
	const unsigned int iters = 1000;
	struct bench *b = test->priv;

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "needs CONFIG_TRACEPOINTS");

	bench_noop_chan(b);
	bench_count(b, bench_noop_driver, iters, "noop");
	bench_count(b, bench_noop_floor, iters, "noop_floor");
	bench_chan_fini(b);

	bench_load_app(b);
	b->count = 10;
	bench_count(b, bench_cb_driver, 100, "callback10");
	bench_count_echo(b, SZ_4K, 100, "echo_4k");
	bench_count_echo(b, SZ_64K, 100, "echo_64k");
	bench_count_echo(b, SZ_1M, 20, "echo_1m");
}

/*
 * 7. The kernel-API figures the userspace floors are made of, measured
 * again while the userspace program runs: it starts this suite through
 * KUnit's debugfs "run" file once per run of its own, so that a userspace
 * figure and its floor see the same host (a floor taken at boot moved by
 * 7 % between boots of the same image). One run of each, on CPU 0 as the
 * program; the values go to the suite's debugfs log only, as
 * "FLOOR <name> <ns * 1000>".
 */

static void bench_floor_log(struct kunit *test, const char *name, u64 v)
{
	kunit_log_append(test->log, "FLOOR %s %llu\n", name, v);
}

static void qcomtee_bench_floor_noop(struct kunit *test)
{
	const unsigned int iters = 2000;
	struct bench *b = test->priv;
	int err;
	u64 v;

	bench_load_app(b);
	bench_time(b, bench_app_noop_driver, iters / 10, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	v = bench_time(b, bench_app_noop_driver, iters, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	bench_floor_log(test, "noop_app_kernel_driver", v);
}

static void qcomtee_bench_floor_callback(struct kunit *test)
{
	const unsigned int in = 3, i0 = 30;
	struct bench *b = test->priv;
	u64 dn, d0;
	int err;

	bench_load_app(b);
	bench_time(b, bench_cb_driver_n, 1, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	dn = bench_time(b, bench_cb_driver_n, in, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	d0 = bench_time(b, bench_cb_driver_0, i0, &err);
	KUNIT_ASSERT_EQ(test, err, 0);
	bench_floor_log(test, "callback_kernel_driver",
			dn > d0 ? div_u64(dn - d0, BENCH_CB_N) : 0);
}

static int bench_floor_init(struct kunit *test)
{
	set_cpus_allowed_ptr(current, cpumask_of(0));
	return bench_init(test);
}

/*
 * 8. The registered qcomtee device, whatever reaches its QTEE: on the
 * board kernel, qcom_scm's SMC calls into the test firmware. The same
 * no-op as case 1 (ROOT op 4 through the driver, against the same message
 * sent straight into the device's transport), named <device_tag>_noop_*
 * (the tag is cut to 22 characters).
 * Nothing runs unless the boot names the device with
 * qcomtee_bench.device_tag=<tag>: on the simulator's kernel case 1
 * measures the in-kernel transport already.
 */

static char *bench_device_tag = "";
module_param_named(device_tag, bench_device_tag, charp, 0444);
MODULE_PARM_DESC(device_tag,
		 "benchmark the registered qcomtee device; prefix of its figures");

static int bench_match_qcomtee(struct device *dev, const void *data)
{
	return !strcmp(to_platform_device(dev)->name,
		       QCOMTEE_TRANSPORT_DEVICE_NAME) && dev_get_drvdata(dev);
}

static int bench_device_init(struct kunit *test)
{
	struct bench *b;

	if (!*bench_device_tag)
		kunit_skip(test, "no qcomtee_bench.device_tag");
	b = bench_alloc(test);
	b->dev = bus_find_device(&platform_bus_type, NULL, NULL,
				 bench_match_qcomtee);
	KUNIT_ASSERT_NOT_NULL_MSG(test, b->dev, "no bound qcomtee device");
	b->qcomtee = dev_get_drvdata(b->dev);
	b->tr = &b->qcomtee->transport;
	flush_workqueue(b->qcomtee->release_wq);
	return 0;
}

static void bench_device_exit(struct kunit *test)
{
	struct bench *b = test->priv;

	if (!b || !b->dev)
		return;
	bench_chan_fini(b);
	put_device(b->dev);
}

static void qcomtee_bench_device_noop(struct kunit *test)
{
	char prefix[24];

	snprintf(prefix, sizeof(prefix), "%s_", bench_device_tag);
	bench_noop_figures(test, prefix);
}

static struct kunit_case qcomtee_bench_cases[] = {
	KUNIT_CASE(qcomtee_bench_noop),
	KUNIT_CASE(qcomtee_bench_app_noop),
	KUNIT_CASE(qcomtee_bench_callback),
	KUNIT_CASE(qcomtee_bench_buffers),
	KUNIT_CASE(qcomtee_bench_table),
	KUNIT_CASE(qcomtee_bench_allocs),
	{}
};

static struct kunit_suite qcomtee_bench_suite = {
	.name = "qcomtee_bench",
	.init = bench_init,
	.exit = bench_exit,
	.test_cases = qcomtee_bench_cases,
};

static struct kunit_case qcomtee_bench_floor_cases[] = {
	KUNIT_CASE(qcomtee_bench_floor_noop),
	KUNIT_CASE(qcomtee_bench_floor_callback),
	{}
};

static struct kunit_suite qcomtee_bench_floor_suite = {
	.name = "qcomtee_bench_floor",
	.init = bench_floor_init,
	.exit = bench_exit,
	.test_cases = qcomtee_bench_floor_cases,
};

static struct kunit_case qcomtee_bench_device_cases[] = {
	KUNIT_CASE(qcomtee_bench_device_noop),
	{}
};

static struct kunit_suite qcomtee_bench_device_suite = {
	.name = "qcomtee_bench_device",
	.init = bench_device_init,
	.exit = bench_device_exit,
	.test_cases = qcomtee_bench_device_cases,
};

kunit_test_suites(&qcomtee_bench_suite, &qcomtee_bench_floor_suite,
		  &qcomtee_bench_device_suite);

MODULE_DESCRIPTION("Benchmarks of the Qualcomm TEE backend");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
