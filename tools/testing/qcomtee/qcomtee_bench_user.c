// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace benchmarks of the QTEE driver (make bench), run as /init of a
 * small initramfs on the benchmark kernel, after the kernel suite ran at
 * boot.
 *
 * Figures, each BENCH_RUNS runs of N iterations after a warm-up run, with
 * the median and the 10th/90th percentiles of the per-run averages, printed
 * in the same BENCH line format as the kernel suite (names user_*):
 *   - the OBJECT_INVOKE round trip of a no-op (test app RETURN_ERROR(0):
 *     ROOT's no-op is kernel-only), 1 thread and 2 threads, against the
 *     ioctl floor (TEE_IOC_VERSION on the same fd), also in 2 threads (how
 *     far two vCPUs run in parallel on this host at all), and the same
 *     ioctl refused by the driver before QTEE (the TEE core's share);
 *   - the callback round trip QTEE -> a userspace object (SUPPL_RECV/SEND)
 *     -> answer, per callback, from CALLBACK_MANY with N and 0 callbacks,
 *     and the wake-up round trip of two threads on the same CPU (futex
 *     ping-pong), part of its floor;
 *   - UBUF echo (in and out) of 4 KiB, 64 KiB and 1 MiB against a memcpy
 *     of the same size;
 *   - allocations per no-op and per callback, counted from the kmem trace
 *     events of this process's threads (tracefs), by owner: the TEE core
 *     and the driver, the simulator, the rest.
 * The floors are measured run by run beside the figure: the ioctl floor,
 * the wake-up round trip, and the kernel-API no-op and kernel-object
 * callback, which the kernel suite qcomtee_bench_floor measures once each
 * time this program starts it through KUnit's debugfs file; every ratio is
 * taken run by run, the two-thread throughput too.
 * The program stays on CPU 0 (the supplicant thread too), as the kernel
 * suite does; the two-thread figure runs one invoker on each CPU.
 * Ends with "QCOMTEE-BENCH-USER-END status=<n>" and powers off.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/futex.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_sim_testapp.h"

#define RUNS		15
#define USER_OBJ	0x42
#define MANY		200

static int fd = -1;
static uint64_t env, loader, ctrl, app;
static struct qtee_supp supp;
static int failed;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t pct(const uint64_t *v, unsigned int n, unsigned int p)
{
	unsigned int rank = (p * n + 99) / 100;

	return v[rank ? rank - 1 : 0];
}

static const char *fmt(char *buf, size_t size, uint64_t v)
{
	snprintf(buf, size, "%llu.%03llu", (unsigned long long)(v / 1000),
		 (unsigned long long)(v % 1000));
	return buf;
}

/* vals in thousandths of unit. */
static void report(const char *name, const char *unit, const uint64_t *vals,
		   unsigned int n, unsigned int iters)
{
	char m[32], a[32], b[32];
	uint64_t s[RUNS];

	memcpy(s, vals, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_u64);
	printf("BENCH name=%s unit=%s median=%s p10=%s p90=%s runs=%u iters=%u\n",
	       name, unit, fmt(m, sizeof(m), pct(s, n, 50)),
	       fmt(a, sizeof(a), pct(s, n, 10)),
	       fmt(b, sizeof(b), pct(s, n, 90)), n, iters);
	fflush(stdout);
}

static void ratio(uint64_t *out, const uint64_t *a, const uint64_t *b)
{
	for (int i = 0; i < RUNS; i++)
		out[i] = b[i] ? a[i] * 1000 / b[i] : 0;
}

static void mbps(uint64_t *out, const uint64_t *mns, size_t bytes)
{
	for (int i = 0; i < RUNS; i++)
		out[i] = mns[i] ? (uint64_t)bytes * 1000000000ull / mns[i] : 0;
}

typedef int (*fn_t)(void *arg);

/* Average ns * 1000 per call of @fn over @iters calls; -1 on error. */
static int64_t timed(fn_t fn, void *arg, unsigned int iters)
{
	uint64_t t0 = now_ns();

	for (unsigned int i = 0; i < iters; i++)
		if (fn(arg))
			return -1;
	return (int64_t)((now_ns() - t0) * 1000 / iters);
}

/* Alternating runs of @fa and @fb after one warm-up run each. */
static int pair(fn_t fa, void *aa, unsigned int ia, uint64_t *ra,
		fn_t fb, void *ab, unsigned int ib, uint64_t *rb)
{
	int64_t x, y;

	if (timed(fa, aa, ia) < 0 || timed(fb, ab, ib) < 0)
		return -1;
	for (int r = 0; r < RUNS; r++) {
		x = timed(fa, aa, ia);
		y = timed(fb, ab, ib);
		if (x < 0 || y < 0)
			return -1;
		ra[r] = x;
		rb[r] = y;
	}
	return 0;
}

static void fail(const char *what, int err)
{
	printf("qcomtee_bench_user: %s failed (%d)\n", what, err);
	fflush(stdout);
	failed = 1;
}

/* No-op: RETURN_ERROR(0). */
static int noop(void *arg)
{
	struct tee_ioctl_param p[1];
	int32_t code = 0;
	uint32_t ret = ~0u;
	int err;

	(void)arg;
	qtee_ubuf_in(&p[0], &code, sizeof(code));
	err = qtee_invoke(fd, app, QTA_OP_RETURN_ERROR, p, 1, &ret);
	return err ? err : (int)ret;
}

/*
 * The no-op's ioctl without QTEE: the TEE core copies the parameter in and
 * the driver looks the handle up, which names nothing (EINVAL).
 */
static int rejected(void *arg)
{
	struct tee_ioctl_param p[1];
	int32_t code = 0;
	uint32_t ret;

	(void)arg;
	qtee_ubuf_in(&p[0], &code, sizeof(code));
	return qtee_invoke(fd, 0xfffffffeu, QTA_OP_RETURN_ERROR, p, 1,
			   &ret) == -EINVAL ? 0 : -EPROTO;
}

static int version(void *arg)
{
	struct tee_ioctl_version_data v;

	(void)arg;
	return ioctl(fd, TEE_IOC_VERSION, &v) ? -errno : 0;
}

struct thr {
	pthread_t t;
	fn_t fn;
	unsigned int iters;
	pthread_barrier_t *bar;
	int cpu;
	uint64_t mns;
	uint64_t start, end;
	int err;
};

/* Keeps the calling thread (and threads it creates) on @cpu. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *noop_thread(void *arg)
{
	struct thr *t = arg;
	int64_t v;

	pin(t->cpu);

	pthread_barrier_wait(t->bar);
	t->start = now_ns();
	v = timed(t->fn, NULL, t->iters);
	t->end = now_ns();
	t->err = v < 0;
	t->mns = v < 0 ? 0 : v;
	return NULL;
}

/*
 * One run of @fn in two threads at once, one per CPU: the average per call
 * seen by each, and the wall time per call, from the first thread's start
 * to the last one's end as the threads saw them (this thread shares CPU 0
 * with one of them and may run late). In ns * 1000; @per_thread may be
 * NULL.
 */
static int two_threads(fn_t fn, unsigned int iters, uint64_t *per_thread,
		       uint64_t *wall)
{
	pthread_barrier_t bar;
	struct thr t[2];
	uint64_t t0, t1;
	int i, err = 0;

	pthread_barrier_init(&bar, NULL, 3);
	for (i = 0; i < 2; i++) {
		t[i].fn = fn;
		t[i].iters = iters;
		t[i].bar = &bar;
		t[i].cpu = i;
		if (pthread_create(&t[i].t, NULL, noop_thread, &t[i]))
			return -1;
	}
	pthread_barrier_wait(&bar);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i].t, NULL);
		err |= t[i].err;
	}
	pthread_barrier_destroy(&bar);
	if (err)
		return -1;
	t0 = t[0].start < t[1].start ? t[0].start : t[1].start;
	t1 = t[0].end > t[1].end ? t[0].end : t[1].end;
	if (per_thread)
		*per_thread = (t[0].mns + t[1].mns) / 2;
	*wall = (t1 - t0) * 1000 / (2 * iters);
	return 0;
}

/*
 * The kernel-API figures the floors are made of, measured now: one run of
 * the kernel suite qcomtee_bench_floor, started through KUnit's debugfs
 * file, which logs "FLOOR <name> <ns * 1000>" (the write returns when the
 * suite has run).
 */
#define KUNIT_FLOOR	"/sys/kernel/debug/kunit/qcomtee_bench_floor"

static int floor_value(const char *log, const char *name, uint64_t *v)
{
	char key[64], *end;
	const char *p;

	snprintf(key, sizeof(key), "FLOOR %s ", name);
	p = strstr(log, key);
	if (!p)
		return -1;
	p += strlen(key);
	*v = strtoull(p, &end, 10);
	return end == p ? -1 : 0;
}

static int kernel_floors(uint64_t *noop_ns, uint64_t *cb_ns)
{
	static char log[32768];
	ssize_t n, len = 0;
	int f;

	f = open(KUNIT_FLOOR "/run", O_WRONLY);
	if (f < 0)
		return -1;
	n = write(f, "1", 1);
	close(f);
	f = open(KUNIT_FLOOR "/results", O_RDONLY);
	if (n != 1 || f < 0)
		return -1;
	while (len < (ssize_t)sizeof(log) - 1 &&
	       (n = read(f, log + len, sizeof(log) - 1 - len)) > 0)
		len += n;
	close(f);
	log[len] = 0;
	if (strstr(log, "not ok"))
		return -1;
	return floor_value(log, "noop_app_kernel_driver", noop_ns) ||
	       floor_value(log, "callback_kernel_driver", cb_ns) ? -1 : 0;
}

/*
 * Two threads on one CPU handing a word back and forth with futexes, as
 * the invoker and the supplicant thread hand a callback request back and
 * forth: one round trip is two wake-ups and two sleeps.
 */
static uint32_t pp_word;

static void pp_wait(uint32_t want)
{
	while (__atomic_load_n(&pp_word, __ATOMIC_ACQUIRE) != want)
		syscall(SYS_futex, &pp_word, FUTEX_WAIT_PRIVATE,
			want ^ 1, NULL, NULL, 0);
}

static void pp_set(uint32_t v)
{
	__atomic_store_n(&pp_word, v, __ATOMIC_RELEASE);
	syscall(SYS_futex, &pp_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pp_partner(void *arg)
{
	unsigned int n = *(unsigned int *)arg;

	pin(0);
	for (unsigned int i = 0; i < n; i++) {
		pp_wait(1);
		pp_set(0);
	}
	return NULL;
}

static int pp_round(void *arg)
{
	(void)arg;
	pp_set(1);
	pp_wait(0);
	return 0;
}

/* One run of @iters wake-up round trips between two threads on CPU 0. */
static int64_t wake_run(unsigned int iters)
{
	pthread_t t;
	int64_t x;

	pp_word = 0;
	if (pthread_create(&t, NULL, pp_partner, &iters))
		return -1;
	x = timed(pp_round, NULL, iters);
	pthread_join(t, NULL);
	return x;
}

struct many {
	uint32_t count;
};

static int callback_many(void *arg)
{
	struct many *m = arg;
	struct tee_ioctl_param p[3];
	uint32_t hdr[2] = { 0, m->count }, out[2] = { 0 }, ret = ~0u;
	int err;

	qtee_ubuf_in(&p[0], hdr, sizeof(hdr));
	qtee_obj_in(&p[1], USER_OBJ, QTEE_OBJREF_USER);
	qtee_ubuf_out(&p[2], out, sizeof(out));
	err = qtee_invoke(fd, app, QTA_OP_CALLBACK_MANY, p, 3, &ret);
	if (err)
		return err;
	if (ret || out[1])
		return -EPROTO;
	return 0;
}

static uint32_t handler(struct qtee_supp *s, struct qtee_req *req,
			void *meta, void *out, size_t cap)
{
	struct tee_ioctl_param *ib = NULL, *ob = NULL;

	if (req->params[0].a >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	for (unsigned int i = 1; i < req->num_params; i++) {
		struct tee_ioctl_param *p = &req->params[i];

		if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT)
			ib = p;
		else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT)
			ob = p;
	}
	if (!ib || !ob || ib->b != 4 || ob->b < 4 || cap < 4)
		return QTEE_INVALID;
	memcpy(out, (void *)(uintptr_t)ib->a, 4);
	ob->a = (uintptr_t)out;
	ob->b = 4;
	return 0;
}

struct echo {
	void *src, *dst;
	size_t len;
};

static int echo(void *arg)
{
	struct echo *e = arg;
	struct tee_ioctl_param p[2];
	uint32_t ret = ~0u;
	int err;

	qtee_ubuf_in(&p[0], e->src, e->len);
	qtee_ubuf_out(&p[1], e->dst, e->len);
	err = qtee_invoke(fd, app, QTA_OP_ECHO, p, 2, &ret);
	if (err)
		return err;
	return ret || p[1].b != e->len ? -EPROTO : 0;
}

static int copy(void *arg)
{
	struct echo *e = arg;

	memcpy(e->dst, e->src, e->len);
	__asm__ volatile("" : : "r"(e->dst) : "memory");
	return 0;
}

static void bench_echo(size_t len, const char *tag, unsigned int iters)
{
	struct echo e = { .len = len };
	uint64_t d[RUNS], c[RUNS], v[RUNS];
	char name[64];

	e.src = malloc(len);
	e.dst = malloc(len);
	if (!e.src || !e.dst) {
		fail("malloc", -ENOMEM);
		return;
	}
	for (size_t i = 0; i < len; i++)
		((uint8_t *)e.src)[i] = i ^ (i >> 8) ^ (i >> 16);
	if (pair(echo, &e, iters, d, copy, &e, iters, c)) {
		fail(tag, -1);
		goto out;
	}
	/* One more call into a cleared buffer: QTEE's bytes, not memcpy's. */
	memset(e.dst, 0, len);
	if (echo(&e) || memcmp(e.src, e.dst, len)) {
		fail(tag, -EPROTO);
		goto out;
	}
	snprintf(name, sizeof(name), "user_echo_%s_time", tag);
	report(name, "ns", d, RUNS, iters);
	snprintf(name, sizeof(name), "user_echo_%s", tag);
	mbps(v, d, len);
	report(name, "MB/s", v, RUNS, iters);
	snprintf(name, sizeof(name), "user_memcpy_%s", tag);
	mbps(v, c, len);
	report(name, "MB/s", v, RUNS, iters);
	snprintf(name, sizeof(name), "user_echo_%s_vs_memcpy", tag);
	ratio(v, d, c);
	report(name, "x", v, RUNS, iters);
out:
	free(e.src);
	free(e.dst);
}

static int setup(void)
{
	uint8_t img[512];
	size_t n;
	int err;

	for (int i = 0; i < 100 && fd < 0; i++) {
		fd = open(QTEE_DEV, O_RDWR);
		if (fd < 0)
			usleep(50000);
	}
	if (fd < 0) {
		fail("open " QTEE_DEV, -errno);
		return -1;
	}
	err = qtee_supp_start(&supp, fd, 1, handler, NULL);
	if (err) {
		fail("supplicant", err);
		return err;
	}
	err = qtee_get_env(fd, QTEE_CRED_ID_BASE, &env);
	if (err) {
		fail("client env", err);
		printf("qcomtee_bench_user: supplicant: %u requests, recv %d, %u send errors (%d)\n",
		       supp.requests, supp.recv_error, supp.send_errors,
		       supp.send_error);
		return err;
	}
	err = qtee_open_service(fd, env, QTEE_UID_LOADER, &loader);
	if (err) {
		fail("open loader", err);
		return err;
	}
	n = qtee_build_elf(img, sizeof(img), QTA_NAME);
	err = qtee_load_app_buf(fd, loader, img, n, &ctrl);
	if (err) {
		fail("load app", err);
		return err;
	}
	err = qtee_get_app(fd, ctrl, &app);
	if (err)
		fail("get app", err);
	return err;
}

/*
 * Allocation counting through tracefs: the kmalloc and kmem_cache_alloc
 * events while a loop runs, kept when the task is one of this program's
 * threads (comm "init", which kernel threads never have) and attributed to
 * the first function of the event's stack trace that is not part of an
 * allocator (kvmalloc(), the xarray, ...): who asked for the memory.
 */
#define TRACEFS		"/sys/kernel/tracing"

enum { OWN_DRIVER, OWN_SIM, OWN_OTHER, OWN_N };

static int tracefs_write(const char *file, const char *val)
{
	char path[128];
	int tfd, err = 0;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	tfd = open(path, O_WRONLY | O_TRUNC);
	if (tfd < 0)
		return -errno;
	if (write(tfd, val, strlen(val)) != (ssize_t)strlen(val))
		err = -EIO;
	close(tfd);
	return err;
}

static int allocs_arm(int on)
{
	const char *v = on ? "1" : "0";
	int err;

	err = tracefs_write("tracing_on", "0");
	if (!err && on)
		err = tracefs_write("buffer_size_kb", "16384");
	if (!err && on)
		err = tracefs_write("trace", "");
	if (!err)
		err = tracefs_write("options/stacktrace", v);
	if (!err)
		err = tracefs_write("events/kmem/kmalloc/enable", v);
	if (!err)
		err = tracefs_write("events/kmem/kmem_cache_alloc/enable", v);
	if (!err && on)
		err = tracefs_write("tracing_on", "1");
	return err;
}

/* Functions that allocate on someone else's behalf. */
static int allocator_internal(const char *fn)
{
	static const char *const prefix[] = {
		"kmalloc", "__kmalloc", "kvmalloc", "__kvmalloc", "kzalloc",
		"kcalloc", "kvzalloc", "kmem_cache_alloc", "__kmem_cache",
		"kmemdup", "kstrdup", "__do_kmalloc", "slab_", "__slab",
		"___slab", "trace_", "__traceiter", "xas_", "xa_", "__xa_", "idr_", "ida_",
		"radix_tree",
	};

	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (!strncmp(fn, prefix[i], strlen(prefix[i])))
			return 1;
	return 0;
}

static int owner_of(const char *site)
{
	if (!strncmp(site, "qsim_", 5) || !strncmp(site, "qcomtee_sim", 11))
		return OWN_SIM;
	if (!strncmp(site, "qcomtee_", 8) || !strncmp(site, "tee_", 4))
		return OWN_DRIVER;
	return OWN_OTHER;
}

#define SITES	6

struct site {
	char name[64];
	unsigned long n;
};

/* Counts @name at its site; the first SITES distinct sites are kept. */
static void site_count(struct site *sites, const char *name)
{
	for (int i = 0; i < SITES; i++) {
		if (!sites[i].n)
			snprintf(sites[i].name, sizeof(sites[i].name), "%s",
				 name);
		if (!strcmp(sites[i].name, name)) {
			sites[i].n++;
			return;
		}
	}
}

/* The function name at @p ("name+0x1c/0x80 ..."), truncated to @size. */
static void fn_name(char *name, size_t size, const char *p)
{
	size_t n = strcspn(p, "+ \n");

	if (n >= size)
		n = size - 1;
	memcpy(name, p, n);
	name[n] = 0;
}

static void allocs_count(unsigned long *count, struct site *sites,
			 const char *name)
{
	if (!name[0])
		return;
	count[owner_of(name)]++;
	site_count(sites, name);
}

/*
 * Counts the events of this program's threads since allocs_arm(1): an
 * event line with its call site, then a "<stack trace>" line and the
 * " => function" lines of its stack.
 */
static int allocs_collect(unsigned long *count, struct site *sites)
{
	char line[512], name[64] = "", frame[64];
	int ours = 0, found = 0;
	FILE *f;

	memset(count, 0, OWN_N * sizeof(*count));
	memset(sites, 0, SITES * sizeof(*sites));
	if (tracefs_write("tracing_on", "0"))
		return -EIO;
	f = fopen(TRACEFS "/trace", "r");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		const char *p = line + strspn(line, " ");
		const char *site = strstr(line, "call_site=");

		/* The stack of the event comes as an event of its own. */
		if (strstr(line, "<stack trace>"))
			continue;
		if (!strncmp(p, "=> ", 3)) {
			fn_name(frame, sizeof(frame), p + 3);
			if (ours && !found && !allocator_internal(frame)) {
				memcpy(name, frame, sizeof(name));
				found = 1;
			}
			continue;
		}
		/* Any other line ends the previous event. */
		if (ours)
			allocs_count(count, sites, name);
		ours = 0;
		if (line[0] == '#' || !site || strncmp(p, "init-", 5))
			continue;
		ours = 1;
		fn_name(name, sizeof(name), site + 10);
		found = !allocator_internal(name);
	}
	if (ours)
		allocs_count(count, sites, name);
	fclose(f);
	allocs_arm(0);
	return 0;
}

/* Allocations per call of @fn over @iters calls, in thousandths. */
static int bench_allocs(fn_t fn, void *arg, unsigned int iters,
			const char *tag)
{
	static const char *const own[OWN_N] = { "driver", "sim", "other" };
	struct site sites[SITES];
	unsigned long count[OWN_N];
	uint64_t v[1];
	char name[64];
	int err, i;

	if (timed(fn, arg, 4) < 0)
		return -1;
	err = allocs_arm(1);
	if (err) {
		printf("qcomtee_bench_user: no kmem trace events (%d)\n", err);
		return err;
	}
	if (timed(fn, arg, iters) < 0) {
		allocs_arm(0);
		return -1;
	}
	err = allocs_collect(count, sites);
	if (err)
		return err;
	for (i = 0; i < SITES && sites[i].n; i++)
		printf("qcomtee_bench_user: allocs_%s: site %s: %lu in %u calls\n",
		       tag, sites[i].name, sites[i].n, iters);
	for (i = 0; i < OWN_N; i++) {
		snprintf(name, sizeof(name), "user_allocs_%s_%s", tag, own[i]);
		v[0] = (uint64_t)count[i] * 1000 / iters;
		report(name, "allocs", v, 1, iters);
	}
	return 0;
}

/*
 * The no-op, run by run: one thread, the ioctl floor, the kernel-API no-op
 * of the same operation (the floor is that plus the ioctl floor), then two
 * threads of each; ratios are taken run by run.
 */
static int bench_noop(unsigned int it)
{
	uint64_t u[RUNS], io[RUNS], k[RUNS], fl[RUNS], pt[RUNS], w[RUNS];
	uint64_t wio[RUNS], v[RUNS], kn, kc, p, wn, wi;
	int64_t x, y;

	for (int r = -1; r < RUNS; r++) {
		x = timed(noop, NULL, it);
		y = timed(version, NULL, it);
		if (x < 0 || y < 0 || kernel_floors(&kn, &kc) ||
		    two_threads(noop, it, &p, &wn) ||
		    two_threads(version, it, NULL, &wi))
			return -1;
		if (r < 0)
			continue;
		u[r] = x;
		io[r] = y;
		k[r] = kn;
		fl[r] = kn + y;
		pt[r] = p;
		w[r] = wn;
		wio[r] = wi;
	}
	report("user_noop_invoke", "ns", u, RUNS, it);
	report("user_ioctl_floor", "ns", io, RUNS, it);
	ratio(v, u, io);
	report("user_noop_vs_ioctl_floor", "x", v, RUNS, it);
	report("user_noop_kernel_api", "ns", k, RUNS, it);
	report("user_noop_floor", "ns", fl, RUNS, it);
	ratio(v, u, fl);
	report("user_noop_over_floor", "x", v, RUNS, it);
	report("user_noop_invoke_2thr_per_call", "ns", pt, RUNS, it);
	report("user_noop_invoke_2thr_wall_per_call", "ns", w, RUNS, 2 * it);
	report("user_ioctl_floor_2thr_wall_per_call", "ns", wio, RUNS, 2 * it);
	/* Calls per second of two threads over one. */
	ratio(v, u, w);
	report("user_noop_2thr_throughput_x", "x", v, RUNS, 2 * it);
	ratio(v, io, wio);
	report("user_ioctl_2thr_throughput_x", "x", v, RUNS, 2 * it);
	return 0;
}

/*
 * The callback into a userspace object, per callback (CALLBACK_MANY with
 * MANY and with 0 callbacks), run by run with its floor: the kernel-object
 * callback, a wake-up round trip and two ioctl floors.
 */
static int bench_callback(unsigned int it)
{
	struct many mn = { MANY }, m0 = { 0 };
	uint64_t c[RUNS], wk[RUNS], k[RUNS], fl[RUNS], v[RUNS], kn, kc;
	int64_t x, y, z, f;

	for (int r = -1; r < RUNS; r++) {
		x = timed(callback_many, &mn, 3);
		y = timed(callback_many, &m0, 30);
		z = wake_run(it);
		f = timed(version, NULL, it);
		if (x < 0 || y < 0 || z < 0 || f < 0 ||
		    kernel_floors(&kn, &kc))
			return -1;
		if (r < 0)
			continue;
		c[r] = x > y ? (x - y) / MANY : 0;
		wk[r] = z;
		k[r] = kc;
		fl[r] = kc + z + 2 * f;
	}
	report("user_callback", "ns", c, RUNS, 3 * MANY);
	report("user_wake_roundtrip", "ns", wk, RUNS, it);
	report("user_callback_kernel_api", "ns", k, RUNS, 3 * MANY);
	report("user_callback_floor", "ns", fl, RUNS, 3 * MANY);
	ratio(v, c, fl);
	report("user_callback_over_floor", "x", v, RUNS, 3 * MANY);
	return 0;
}

static void run(void)
{
	const unsigned int it = 2000;
	uint64_t a[RUNS], b[RUNS];
	struct many mn = { MANY };
	int err;

	err = setup();
	if (err) {
		fail("setup", err);
		return;
	}

	/* 2. No-op OBJECT_INVOKE against its floors, 1 and 2 threads. */
	if (bench_noop(it))
		fail("noop", -1);
	if (pair(rejected, NULL, it, a, version, NULL, it, b))
		fail("rejected invoke", -1);
	else
		report("user_invoke_rejected", "ns", a, RUNS, it);

	/* 3. Callbacks into a userspace object through the supplicant. */
	if (bench_callback(it))
		fail("callback", -1);

	/* 4. UBUF. */
	bench_echo(4096, "4k", 500);
	bench_echo(65536, "64k", 100);
	bench_echo(1 << 20, "1m", 20);

	/* 5. Allocations per call: no-op, and callbacks (per CALLBACK_MANY). */
	mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	if (bench_allocs(noop, NULL, 1000, "noop") ||
	    bench_allocs(callback_many, &mn, 20, "callback200"))
		fail("allocation count", -1);

	qtee_release(fd, app);
	qtee_release(fd, ctrl);
	qtee_release(fd, loader);
	qtee_release(fd, env);
	qtee_supp_stop(&supp);
	close(fd);
}

int main(int argc, char **argv)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * One CPU, as the kernel suite: a world switch runs on the caller's
	 * CPU, and the supplicant's hand-offs then stay local. The two-thread
	 * figure puts one invoker on each CPU.
	 */
	pin(0);
	printf("QCOMTEE-BENCH-USER-BEGIN\n");
	/* make bench QCOMTEE_BENCH_USER=0: the kernel suite only. */
	if (argc < 2 || strcmp(argv[1], "skip"))
		run();
	printf("QCOMTEE-BENCH-USER-END status=%d\n", failed);
	fflush(stdout);
	sync();
	if (getpid() == 1)
		reboot(RB_POWER_OFF);
	return failed;
}
