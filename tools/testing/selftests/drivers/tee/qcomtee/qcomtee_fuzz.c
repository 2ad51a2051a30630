// SPDX-License-Identifier: GPL-2.0
/*
 * qcomtee_fuzz: the userspace half of the driver's hardening tests.
 *
 * Modes (-m):
 *   fuzz      random OBJECT_INVOKE (random targets, ops, params, sizes and
 *             pointers), raw ioctl buffers, rogue SUPPL_RECV/SUPPL_SEND,
 *             SHM_ALLOC, other TEE ioctls, closing and reopening the
 *             device, fork (children killed at random), mixed with valid
 *             flows so that the random calls reach live objects.
 *   stress    the valid flows only: invocations, callbacks into userspace
 *             objects, memory objects, object passing, releases, closes
 *             and forks, for -d seconds.
 *   failnth   every allocation of every step of the main flows made to fail
 *             in turn (/proc/thread-self/fail-nth).
 *   failslab  stress while failslab and fail_page_alloc fail allocations
 *             of the fuzzing tasks at random (-P percent).
 *
 * A run is seeded (-s) and each thread's sequence of operations follows
 * from the seed; the interleaving of threads does not. At the end every
 * process has exited and both sides must be idle: QTEE's object counters
 * (the test-control service) and the driver's (debugfs) are zero. A finding is a process that
 * crashed or hung, an errno the driver must not return, data that came back
 * wrong, or a leak. The last lines are TAP and
 *
 *	QCOMTEE-FUZZ mode=<m> seed=<s> ops=<n> paths=<n> findings=<n> leaks=<n>
 *
 * where paths counts distinct (operation, errno, QTEE result) outcomes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_sim_testapp.h"

#define MAX_PROCS	8
#define MAX_THREADS	8
#define MAX_IDS		48
#define ARENA_SIZE	0x100000u
#define STUCK_SECONDS	60
#define USER_ID_BASE	0x2000
#define DRV_STATS	"/sys/kernel/debug/qcomtee-tee*/stats"

enum mode { M_FUZZ, M_STRESS, M_FAILNTH, M_FAILSLAB };
static const char * const mode_names[] = { "fuzz", "stress", "failnth",
					   "failslab" };

/* What an operation was, for the outcome table. */
enum kind {
	K_RANDOM, K_RAW, K_RECV, K_SEND, K_SHM, K_IOCTL, K_REOPEN, K_FORK,
	K_ENV, K_SERVICE, K_ECHO, K_CALLBACK, K_NEWOBJ, K_ACCEPT, K_HOLD,
	K_MEM, K_MANY, K_RELEASE, K_COUNTER, K_LOAD, K_ERROR, K_ANSWER,
	K_NR
};

#define PATH_SLOTS	(K_NR * 256 * 16)

/* Shared by every process of the run. */
struct shared {
	unsigned long ops;
	unsigned long findings;
	unsigned long stop;
	unsigned char paths[PATH_SLOTS];
};

static struct shared *sh;
static enum mode mode = M_FUZZ;
static unsigned long seed = 1, max_ops = 20000;
static unsigned int seconds, nprocs = 2, nthreads = 3, fail_percent = 2;
static struct timespec t_end;
static uint8_t app_image[512];
static size_t app_image_len;

/* ---- small helpers --------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint32_t rnd(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(rng_next(s) >> 32) % n : 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int time_up(void)
{
	struct timespec ts;

	if (__atomic_load_n(&sh->stop, __ATOMIC_RELAXED))
		return 1;
	if (!seconds)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec > t_end.tv_sec ||
	       (ts.tv_sec == t_end.tv_sec && ts.tv_nsec >= t_end.tv_nsec);
}

static void finding(const char *fmt, ...)
{
	char msg[256], line[384];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* write(), not stdio: a forked child may inherit a held FILE lock. */
	n = snprintf(line, sizeof(line),
		     "QCOMTEE-FUZZ-FINDING: %s (seed %lu, pid %d)\n", msg, seed,
		     getpid());
	if (write(1, line, n) < 0)
		n = 0;
	__atomic_add_fetch(&sh->findings, 1, __ATOMIC_RELAXED);
}

/* The errnos the TEE core and the driver may return to userspace. */
static int errno_expected(int err)
{
	switch (err) {
	case EINVAL: case EFAULT: case E2BIG: case ENOMEM: case ENODEV:
	case EIO: case ENOSPC: case EBUSY: case EPERM: case EPROTO:
	case EINTR: case EAGAIN: case ENOENT: case EBADF: case ENOTTY:
	case EOPNOTSUPP: case EOVERFLOW:
		return 1;
	default:
		return 0;
	}
}

/* Counts one operation and its outcome: err is 0 or -errno. */
static void outcome(enum kind k, int err, long result)
{
	unsigned int e, r;

	/* The client helpers return QTEE's errors (-99..-90) as they are. */
	if (err <= -90 && err >= -99) {
		result = err;
		err = 0;
	}
	e = err < 0 ? -err : 0;

	if (e > 255)
		e = 255;
	if (err < 0 && !errno_expected(-err))
		finding("operation %d returned errno %d", k, -err);
	r = result >= 0 && result < 15 ? result : 15;
	sh->paths[(k * 256 + e) * 16 + r] = 1;
	__atomic_add_fetch(&sh->ops, 1, __ATOMIC_RELAXED);
}

static int done(void)
{
	return time_up() ||
	       (!seconds && __atomic_load_n(&sh->ops, __ATOMIC_RELAXED) >= max_ops);
}

/* ---- per-process state ----------------------------------------------- */

/* One open /dev/tee0 with its supplicant threads and the objects held. */
struct slot {
	int fd;
	pthread_rwlock_t lock;		/* ops: read; reopen: write */
	pthread_mutex_t ids_lock;
	uint64_t ids[MAX_IDS];		/* QTEE objects held on fd */
	unsigned int nids;
	uint64_t env, app;		/* kept for the valid flows */
	struct qtee_supp cred;		/* credentials data only */
	pthread_t supp[2];
	unsigned int nsupp;
	int supp_stop;
	uint64_t supp_rng;
	unsigned int supp_threads;	/* supplicant threads to start */
	unsigned int supp_fail_nth;	/* failnth: arm the next RECV..SEND */
	int supp_fired;			/* failnth: -1 pending, 0/1 result */
	int no_user;			/* no supplicant: no USER objects */
};

/* One fuzzing thread. */
struct worker {
	struct slot *slot;
	uint64_t rng;
	uint8_t *arena;			/* ARENA_SIZE RW then a PROT_NONE guard */
	pthread_t thread;
	int64_t op_start;		/* ms; 0 when not in an operation */
	int interruptible;		/* a rogue RECV the watchdog may break */
	int make_it_fail;
	int child;			/* in a forked child */
	int want_reopen;		/* reopen the slot after this op */
	enum kind kind;			/* of the current operation */
};

static struct slot slot_main;
static struct worker workers[MAX_THREADS];
static int watchdog_stop;

static void sigusr1(int sig)
{
	(void)sig;
}

/* Says where the fuzzer itself crashed (addr2line -e qcomtee_fuzz PC). */
static void crash(int sig, siginfo_t *si, void *uc)
{
	char line[128];
	int n;

	n = snprintf(line, sizeof(line),
		     "QCOMTEE-FUZZ-CRASH: signal %d addr %p pc %#llx lr %#llx\n",
		     sig, si->si_addr,
		     (unsigned long long)((ucontext_t *)uc)->uc_mcontext.pc,
		     (unsigned long long)((ucontext_t *)uc)->uc_mcontext.regs[30]);
	if (write(1, line, n) < 0)
		n = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

static void ids_add(struct slot *sl, uint64_t id)
{
	uint64_t old = TEE_OBJREF_NULL;

	if (id == TEE_OBJREF_NULL)
		return;
	pthread_mutex_lock(&sl->ids_lock);
	if (sl->nids < MAX_IDS) {
		sl->ids[sl->nids++] = id;
	} else {
		/* Full: make room by releasing the oldest. */
		old = sl->ids[0];
		memmove(sl->ids, sl->ids + 1, (MAX_IDS - 1) * sizeof(*sl->ids));
		sl->ids[MAX_IDS - 1] = id;
	}
	pthread_mutex_unlock(&sl->ids_lock);
	if (old != TEE_OBJREF_NULL)
		outcome(K_RELEASE, qtee_release(sl->fd, old), 0);
}

/* Takes an id out of the table (the caller releases it), or NULL. */
static uint64_t ids_take(struct slot *sl, uint64_t *rng)
{
	uint64_t id = TEE_OBJREF_NULL;
	unsigned int i;

	pthread_mutex_lock(&sl->ids_lock);
	if (sl->nids) {
		i = rnd(rng, sl->nids);
		id = sl->ids[i];
		sl->ids[i] = sl->ids[--sl->nids];
	}
	pthread_mutex_unlock(&sl->ids_lock);
	return id;
}

/* A held id to use (still owned by the table), or NULL. */
static uint64_t ids_peek(struct slot *sl, uint64_t *rng)
{
	uint64_t id = TEE_OBJREF_NULL;

	pthread_mutex_lock(&sl->ids_lock);
	if (sl->nids)
		id = sl->ids[rnd(rng, sl->nids)];
	pthread_mutex_unlock(&sl->ids_lock);
	return id;
}

/* Keeps the TEE objects an invocation returned. */
static void keep_outputs(struct slot *sl, struct tee_ioctl_param *p,
			 unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (p[i].attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT &&
		    p[i].b == QTEE_OBJREF_TEE)
			ids_add(sl, p[i].a);
}

/* ---- random parameters ----------------------------------------------- */

static uint64_t rnd_ptr(struct worker *w, uint64_t size)
{
	static const uint64_t wild[] = {
		0, 1, 0x1000, 0xdead0000ull, 1ull << 48,
		0xffff800000000000ull, 0xffffffffffffffffull,
	};
	uint32_t off;

	if (rnd(&w->rng, 8))  {
		/* In the arena; a size past its end runs into the guard. */
		off = rnd(&w->rng, ARENA_SIZE);
		if (size < ARENA_SIZE && rnd(&w->rng, 4))
			off = rnd(&w->rng, ARENA_SIZE - size + 1);
		return (uintptr_t)w->arena + off;
	}
	return wild[rnd(&w->rng, ARRAY_SIZE(wild))];
}

static uint64_t rnd_size(struct worker *w)
{
	static const uint64_t sizes[] = {
		0, 1, 4, 7, 8, 16, 64, 4096, 4097, 16384, 65536, 65537,
		1u << 20, 1u << 22, 0x7fffffff, 0xffffffffull, ~0ull,
	};

	if (rnd(&w->rng, 3))
		return rnd(&w->rng, 512);
	return sizes[rnd(&w->rng, ARRAY_SIZE(sizes))];
}

static uint64_t rnd_id(struct worker *w)
{
	struct slot *sl = w->slot;

	switch (rnd(&w->rng, 8)) {
	case 0:
		return TEE_OBJREF_NULL;
	case 1:
		return rnd(&w->rng, 64);
	case 2:
		return rng_next(&w->rng);
	case 3:
		return sl->app;
	case 4:
		return USER_ID_BASE + rnd(&w->rng, 16);
	default:
		return ids_peek(sl, &w->rng);
	}
}

static void rnd_param(struct worker *w, struct tee_ioctl_param *p)
{
	static const uint64_t flags[] = {
		QTEE_OBJREF_TEE, QTEE_OBJREF_USER, QTEE_OBJREF_MEM, 0, 3, 7,
		0x100, ~0ull,
	};
	uint32_t pick = rnd(&w->rng, 20);

	memset(p, 0, sizeof(*p));
	if (pick < 5) {
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
		p->b = rnd_size(w);
		p->a = rnd_ptr(w, p->b);
	} else if (pick < 10) {
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT;
		p->b = rnd_size(w);
		p->a = rnd_ptr(w, p->b);
	} else if (pick < 14) {
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT;
		p->a = rnd_id(w);
		p->b = flags[rnd(&w->rng, ARRAY_SIZE(flags))];
		/* Nobody would serve a USER object of a supplicant-less fd. */
		if (w->slot->no_user && p->b & QTEE_OBJREF_USER)
			p->b = QTEE_OBJREF_TEE;
	} else if (pick < 17) {
		p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT;
		if (!rnd(&w->rng, 4))
			p->a = rng_next(&w->rng);
	} else if (pick < 19) {
		/* Types this backend does not take, and garbage. */
		p->attr = rnd(&w->rng, 16);
		p->a = rng_next(&w->rng);
		p->b = rnd_size(w);
	} else {
		p->attr = rng_next(&w->rng);
		p->a = rnd_ptr(w, 64);
		p->b = rnd_size(w);
		p->c = rng_next(&w->rng);
	}
}

static uint32_t rnd_op(struct worker *w)
{
	static const uint32_t ops[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12,
					13, 14, QTEE_OP_RELEASE,
					QTEE_OP_RETAIN, 0x7fffffff,
					0xffffffff };

	return ops[rnd(&w->rng, ARRAY_SIZE(ops))];
}

/* ---- the supplicant -------------------------------------------------- */

static int fail_nth_write(unsigned int n);
static int fail_nth_fired(void);
static void set_make_it_fail(int on);

/* Answers a callback into one of our USER objects the way a server would. */
static uint32_t serve(struct slot *sl, struct qtee_req *req, void *meta,
		      uint8_t *out, size_t cap, uint64_t *rng)
{
	struct tee_ioctl_param *p, *ib = NULL;
	unsigned int i, outs = 0;
	uint64_t id = req->params[0].a;
	size_t n;

	if (id & QTEE_CRED_ID_BASE)
		return qtee_cred_handler(&sl->cred, req, meta, out, cap);

	for (i = 1; i < req->num_params; i++) {
		p = &req->params[i];
		switch (p->attr) {
		case TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT:
			if (!ib)
				ib = p;
			break;
		case TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT:
			/* QTEE gave us a reference: ours to keep. */
			if (p->b == QTEE_OBJREF_TEE)
				ids_add(sl, p->a);
			break;
		case TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT:
			/* The inverted input, as the test app checks. */
			n = p->b < cap ? p->b : cap;
			if (ib && ib->b < n)
				n = ib->b;
			for (size_t j = 0; ib && j < n; j++)
				out[j] = ~((uint8_t *)(uintptr_t)ib->a)[j];
			p->a = (uintptr_t)out;
			p->b = ib ? n : 0;
			out += n;
			cap -= n;
			break;
		case TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT:
			/* A new USER object, nothing, or a QTEE object. */
			switch ((outs++ + rnd(rng, 3)) % 3) {
			case 0:
				p->a = USER_ID_BASE + rnd(rng, 16);
				p->b = QTEE_OBJREF_USER;
				break;
			case 1:
				p->a = TEE_OBJREF_NULL;
				p->b = 0;
				break;
			default:
				p->a = ids_peek(sl, rng);
				p->b = p->a == TEE_OBJREF_NULL ? 0 :
							       QTEE_OBJREF_TEE;
			}
			break;
		}
	}
	return QTEE_OK;
}

static void *supp_thread(void *arg)
{
	static __thread uint8_t out[8192];
	struct slot *sl = arg;
	uint64_t meta[1024 / 8], rng;
	struct tee_ioctl_param junk[1 + 16];
	struct worker fake = { .slot = sl };
	struct qtee_req req;
	unsigned int n, i, armed;
	uint32_t ret;
	int err;

	rng = __atomic_add_fetch(&sl->supp_rng, 0x9e3779b97f4a7c15ull,
				 __ATOMIC_RELAXED) | 1;
	if (mode == M_FAILSLAB)
		set_make_it_fail(1);
	fake.rng = rng;
	fake.arena = (uint8_t *)out;
	while (!__atomic_load_n(&sl->supp_stop, __ATOMIC_ACQUIRE)) {
		armed = __atomic_exchange_n(&sl->supp_fail_nth, 0,
					    __ATOMIC_ACQ_REL);
		if (armed)
			fail_nth_write(armed);
		/* Too small a capacity fails the request: fuzz only. */
		err = qtee_recv(sl->fd, &req, meta, sizeof(meta),
				mode == M_FUZZ ? 2 + rnd(&rng, 16) : 17);
		if (err && armed) {
			/* The injected fault, or a signal before it. */
			__atomic_store_n(&sl->supp_fired, fail_nth_fired(),
					 __ATOMIC_RELEASE);
			continue;
		}
		if (err == -EINTR)
			continue;
		if (err) {
			/*
			 * A request that does not fit the capacity offered
			 * fails (QTEE gets the error); only a closed fd ends
			 * the loop.
			 */
			outcome(K_RECV, err, 0);
			if (err == -ENODEV || err == -EBADF)
				break;
			continue;
		}
		if (req.func == QTEE_OP_RELEASE)
			continue;
		if (mode == M_FUZZ && !rnd(&rng, 5)) {
			/* A malformed answer, then the real one. */
			n = 1 + rnd(&rng, 17);
			for (i = 1; i < n; i++)
				rnd_param(&fake, &junk[i]);
			err = qtee_send(sl->fd, rnd(&rng, 4) ? req.params[0].b :
						rng_next(&rng),
					rng_next(&rng), junk, n);
			outcome(K_SEND, err, 0);
			if (!err)
				continue;
		}
		ret = serve(sl, &req, meta, out, sizeof(out), &rng);
		err = qtee_send(sl->fd, req.params[0].b, ret, req.params,
				ret ? 1 : req.num_params);
		outcome(K_ANSWER, err, ret);
		if (armed)
			__atomic_store_n(&sl->supp_fired, fail_nth_fired(),
					 __ATOMIC_RELEASE);
		/*
		 * A failed answer leaves the caller waiting: answer again,
		 * until the answer is taken. Under failslab the TEE core's
		 * own allocation for SEND fails too, so once is not enough.
		 */
		for (i = 0; i < 1000 && err && err != -ENOENT &&
		     err != -EINVAL; i++) {
			err = qtee_send(sl->fd, req.params[0].b, QTEE_ERROR,
					req.params, 1);
			outcome(K_ANSWER, err, 0);
		}
	}
	return NULL;
}

static int supp_start(struct slot *sl)
{
	unsigned int i;

	sl->supp_stop = 0;
	sl->nsupp = 0;
	for (i = 0; i < (sl->supp_threads ? sl->supp_threads : 2); i++) {
		if (pthread_create(&sl->supp[i], NULL, supp_thread, sl))
			break;
		sl->nsupp++;
	}
	return sl->nsupp ? 0 : -EAGAIN;
}

static void supp_stop(struct slot *sl)
{
	unsigned int i;

	__atomic_store_n(&sl->supp_stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < sl->nsupp; i++)
		qtee_interrupt_join(sl->supp[i]);
	sl->nsupp = 0;
}

/* ---- valid flows ----------------------------------------------------- */

static int flow_env(struct slot *sl, uint64_t *env)
{
	int err = qtee_get_env(sl->fd, QTEE_CRED_ID_BASE | 1, env);

	outcome(K_ENV, err < 0 ? err : 0, err > 0 ? err : 0);
	return err;
}

static int flow_app(struct slot *sl, uint64_t env, uint64_t *app)
{
	uint64_t loader, ctrl;
	int err;

	err = qtee_open_service(sl->fd, env, QTEE_UID_LOADER, &loader);
	outcome(K_SERVICE, err < 0 ? err : 0, err > 0 ? err : 0);
	if (err)
		return err;
	err = qtee_load_app_buf(sl->fd, loader, app_image, app_image_len,
				&ctrl);
	outcome(K_LOAD, err < 0 ? err : 0, err > 0 ? err : 0);
	qtee_release(sl->fd, loader);
	if (err)
		return err;
	err = qtee_get_app(sl->fd, ctrl, app);
	outcome(K_LOAD, err < 0 ? err : 0, err > 0 ? err : 0);
	/* The app stays loaded while a reference to it lives. */
	qtee_release(sl->fd, ctrl);
	return err;
}

static int slot_open(struct slot *sl, int with_supp)
{
	struct timespec ts;
	int fd, err;

	fd = qtee_open();
	outcome(K_REOPEN, fd < 0 ? fd : 0, 0);
	if (fd < 0)
		return fd;
	sl->fd = fd;
	sl->nids = 0;
	sl->env = TEE_OBJREF_NULL;
	sl->app = TEE_OBJREF_NULL;
	sl->no_user = !with_supp;
	clock_gettime(CLOCK_REALTIME, &ts);
	sl->cred.cred_len = qtee_cbor_cred(sl->cred.cred, sizeof(sl->cred.cred),
					   getuid(), ts.tv_sec * 1000ull);
	if (with_supp) {
		err = supp_start(sl);
		if (err) {
			/* Nobody would serve USER objects. */
			sl->no_user = 1;
			return 0;
		}
		/* Failures here (fault injection) leave the ids NULL. */
		if (!flow_env(sl, &sl->env))
			flow_app(sl, sl->env, &sl->app);
	}
	return 0;
}

static void slot_close(struct slot *sl)
{
	if (sl->nsupp)
		supp_stop(sl);
	close(sl->fd);
	sl->fd = -1;
	sl->nids = 0;
}

static int app_call(struct worker *w, enum kind k, uint32_t op,
		    struct tee_ioctl_param *p, unsigned int n, uint32_t *ret)
{
	int err = qtee_invoke(w->slot->fd, w->slot->app, op, p, n, ret);

	outcome(k, err, err ? 0 : *ret);
	if (!err && !*ret)
		keep_outputs(w->slot, p, n);
	return err ? err : (int)*ret;
}

static void v_echo(struct worker *w)
{
	uint32_t len = rnd(&w->rng, 4) ? rnd(&w->rng, 4096) :
					  rnd(&w->rng, 65537), ret, i;
	uint8_t *in = w->arena, *out = w->arena + 65536 * 2;
	struct tee_ioctl_param p[2];
	uint32_t op = rnd(&w->rng, 2) ? QTA_OP_ECHO : QTA_OP_INVERT;

	for (i = 0; i < len; i++)
		in[i] = rng_next(&w->rng);
	qtee_ubuf_in(&p[0], in, len);
	qtee_ubuf_out(&p[1], out, len);
	if (app_call(w, K_ECHO, op, p, 2, &ret) || w->slot->app == TEE_OBJREF_NULL)
		return;
	if (p[1].b != len) {
		finding("echo of %u bytes returned %llu", len,
			(unsigned long long)p[1].b);
		return;
	}
	for (i = 0; i < len; i++)
		if (out[i] != (op == QTA_OP_ECHO ? in[i] : (uint8_t)~in[i])) {
			finding("echo of %u bytes differs at %u", len, i);
			return;
		}
}

static void v_callback(struct worker *w)
{
	struct { uint32_t op, ob_size, num_oo, flags; } cb = {
		.op = rnd(&w->rng, 8), .ob_size = rnd(&w->rng, 300),
		.num_oo = rnd(&w->rng, QTA_CB_MAX_OO + 1),
		.flags = rnd(&w->rng, 2) ? QTA_CB_EXPECT_OB : 0,
	};
	uint32_t res[4] = { 0 }, ret;
	uint8_t *data = w->arena, *ob = w->arena + 4096;
	struct tee_ioctl_param p[6 + QTA_CB_MAX_OO];
	unsigned int n = 0, i, dlen = rnd(&w->rng, 512);
	uint64_t extra;

	if (w->slot->no_user)
		return;
	if (!rnd(&w->rng, 4))
		cb.flags |= QTA_CB_NEW_OBJ;
	if (cb.flags & QTA_CB_EXPECT_OB)
		cb.ob_size = dlen;
	for (i = 0; i < dlen; i++)
		data[i] = rng_next(&w->rng);
	qtee_ubuf_in(&p[n++], &cb, sizeof(cb));
	qtee_ubuf_in(&p[n++], data, dlen);
	qtee_obj_in(&p[n++], USER_ID_BASE + rnd(&w->rng, 16), QTEE_OBJREF_USER);
	extra = ids_peek(w->slot, &w->rng);
	if (extra != TEE_OBJREF_NULL && rnd(&w->rng, 2))
		qtee_obj_in(&p[n++], extra, QTEE_OBJREF_TEE);
	qtee_ubuf_out(&p[n++], res, sizeof(res));
	qtee_ubuf_out(&p[n++], ob, 4096);
	for (i = 0; i < cb.num_oo; i++)
		qtee_obj_out(&p[n++]);
	if (app_call(w, K_CALLBACK, QTA_OP_CALLBACK, p, n, &ret))
		return;
	/*
	 * Only stress answers every request properly: fuzz also sends
	 * malformed answers and offers too little capacity on RECV.
	 */
	if ((int32_t)res[0] != 0 && mode == M_STRESS)
		finding("callback into a USER object answered %d",
			(int32_t)res[0]);
}

static void v_newobj(struct worker *w)
{
	uint32_t init = rng_next(&w->rng), ret, val = 0;
	struct tee_ioctl_param p[2];
	uint64_t id;

	qtee_ubuf_in(&p[0], &init, sizeof(init));
	qtee_obj_out(&p[1]);
	if (app_call(w, K_NEWOBJ, QTA_OP_NEW_OBJECT, p, 2, &ret))
		return;
	/* keep_outputs() kept it; read it back. */
	id = p[1].a;
	qtee_ubuf_out(&p[0], &val, sizeof(val));
	if (qtee_invoke(w->slot->fd, id, QTA_COUNTER_OP_GET, p, 1, &ret))
		return;
	outcome(K_COUNTER, 0, ret);
	if (!ret && val != init)
		finding("counter object reads %u, created with %u", val, init);
}

static void v_counter(struct worker *w)
{
	uint32_t v = rnd(&w->rng, 100), ret;
	struct tee_ioctl_param p[1];
	uint64_t id = ids_peek(w->slot, &w->rng);
	int err;

	if (id == TEE_OBJREF_NULL)
		return;
	if (rnd(&w->rng, 2))
		qtee_ubuf_in(&p[0], &v, sizeof(v));
	else
		qtee_ubuf_out(&p[0], &v, sizeof(v));
	err = qtee_invoke(w->slot->fd, id, p[0].attr ==
			  TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT ?
			  QTA_COUNTER_OP_ADD : QTA_COUNTER_OP_GET, p, 1, &ret);
	outcome(K_COUNTER, err, err ? 0 : ret);
}

/* An object argument: a held QTEE object, a USER object or memory. */
static void pick_object(struct worker *w, struct tee_ioctl_param *p,
			int *shm_fd)
{
	void *map;
	size_t mapped;
	int id;

	*shm_fd = -1;
	switch (rnd(&w->rng, 3)) {
	case 0:
		if (!w->slot->no_user) {
			qtee_obj_in(p, USER_ID_BASE + rnd(&w->rng, 16),
				    QTEE_OBJREF_USER);
			return;
		}
		fallthrough;
	case 1:
		id = qtee_shm_alloc(w->slot->fd, 4096, &map, &mapped, shm_fd);
		outcome(K_SHM, id < 0 ? id : 0, 0);
		if (id >= 0) {
			munmap(map, mapped);
			qtee_obj_in(p, id, QTEE_OBJREF_MEM);
			return;
		}
		fallthrough;
	default:
		qtee_obj_in(p, ids_peek(w->slot, &w->rng), QTEE_OBJREF_TEE);
	}
}

static void v_accept_hold(struct worker *w)
{
	uint32_t out[2], ret, rel[2] = { QTA_SLOT_ALL, 0 };
	struct tee_ioctl_param p[2];
	int shm_fd, hold = rnd(&w->rng, 2);

	pick_object(w, &p[0], &shm_fd);
	qtee_ubuf_out(&p[1], out, hold ? 4 : 8);
	app_call(w, hold ? K_HOLD : K_ACCEPT,
		 hold ? QTA_OP_HOLD : QTA_OP_ACCEPT_OBJECT, p, 2, &ret);
	if (shm_fd >= 0)
		close(shm_fd);
	if (hold && !rnd(&w->rng, 2)) {
		rel[1] = rnd(&w->rng, 2) ? QTA_RELEASE_CALLBACK :
					   QTA_RELEASE_ASYNC;
		if (w->slot->no_user)
			rel[1] = QTA_RELEASE_ASYNC;
		qtee_ubuf_in(&p[0], rel, sizeof(rel));
		app_call(w, K_HOLD, QTA_OP_RELEASE_HELD, p, 1, &ret);
	}
}

static void v_mem(struct worker *w)
{
	struct { uint64_t off; uint32_t len, slot; } rd;
	struct { uint64_t off; uint32_t slot, pad; } wr;
	size_t size = 4096u << rnd(&w->rng, 4), mapped, i, len;
	uint8_t *map, *buf = w->arena;
	struct tee_ioctl_param p[3];
	int id, shm_fd;
	uint32_t ret;

	id = qtee_shm_alloc(w->slot->fd, size, (void **)&map, &mapped, &shm_fd);
	outcome(K_SHM, id < 0 ? id : 0, 0);
	if (id < 0)
		return;
	len = 1 + rnd(&w->rng, 4096);
	wr.off = rnd(&w->rng, size - len + 1);
	wr.slot = 0;
	wr.pad = 0;
	for (i = 0; i < len; i++)
		buf[i] = rng_next(&w->rng);
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_ubuf_in(&p[1], &wr, sizeof(wr));
	qtee_ubuf_in(&p[2], buf, len);
	if (!app_call(w, K_MEM, QTA_OP_MEM_WRITE, p, 3, &ret) &&
	    memcmp(map + wr.off, buf, len))
		finding("MEM_WRITE of %zu bytes at %llu not seen in the mapping",
			len, (unsigned long long)wr.off);
	rd.off = wr.off;
	rd.len = len;
	rd.slot = 0;
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_ubuf_in(&p[1], &rd, sizeof(rd));
	qtee_ubuf_out(&p[2], buf + 8192, len);
	if (!app_call(w, K_MEM, QTA_OP_MEM_READ, p, 3, &ret) &&
	    (p[2].b != len || memcmp(buf + 8192, map + rd.off, len)))
		finding("MEM_READ of %zu bytes differs", len);
	munmap(map, mapped);
	close(shm_fd);
}

static void v_many(struct worker *w)
{
	uint32_t in[2] = { 1, 1 + rnd(&w->rng, 20) }, out[2], ret;
	struct tee_ioctl_param p[3];

	if (w->slot->no_user)
		return;
	qtee_obj_in(&p[0], USER_ID_BASE + rnd(&w->rng, 16), QTEE_OBJREF_USER);
	qtee_ubuf_in(&p[1], in, sizeof(in));
	qtee_ubuf_out(&p[2], out, sizeof(out));
	app_call(w, K_MANY, QTA_OP_CALLBACK_MANY, p, 3, &ret);
}

static void v_error(struct worker *w)
{
	int32_t code = rnd(&w->rng, 2) ? (int32_t)rnd(&w->rng, 40) - 20 :
					 (int32_t)rng_next(&w->rng);
	struct tee_ioctl_param p[1];
	uint32_t ret;

	qtee_ubuf_in(&p[0], &code, sizeof(code));
	app_call(w, K_ERROR, QTA_OP_RETURN_ERROR, p, 1, &ret);
}

static void v_release(struct worker *w)
{
	uint64_t id = ids_take(w->slot, &w->rng);

	if (id != TEE_OBJREF_NULL)
		outcome(K_RELEASE, qtee_release(w->slot->fd, id), 0);
}

static void v_service(struct worker *w)
{
	uint64_t env = w->slot->env, svc;
	uint8_t info[64];
	struct tee_ioctl_param p[1];
	uint32_t ret;
	int err;

	if (!rnd(&w->rng, 4) && !w->slot->no_user) {
		if (flow_env(w->slot, &env))
			return;
	}
	err = qtee_open_service(w->slot->fd, env, rnd(&w->rng, 2) ?
				QTEE_UID_DIAG : QTEE_UID_FEATURE, &svc);
	outcome(K_SERVICE, err < 0 ? err : 0, err > 0 ? err : 0);
	if (!err) {
		qtee_ubuf_out(&p[0], info, rnd(&w->rng, sizeof(info)));
		err = qtee_invoke(w->slot->fd, svc, rnd(&w->rng, 3), p, 1, &ret);
		outcome(K_SERVICE, err, err ? 0 : ret);
		qtee_release(w->slot->fd, svc);
	}
	if (env != w->slot->env)
		qtee_release(w->slot->fd, env);
}

static void valid_op(struct worker *w)
{
	switch (rnd(&w->rng, 12)) {
	case 0: case 1:
		v_echo(w);
		break;
	case 2: case 3:
		v_callback(w);
		break;
	case 4:
		v_newobj(w);
		break;
	case 5:
		v_counter(w);
		break;
	case 6:
		v_accept_hold(w);
		break;
	case 7:
		v_mem(w);
		break;
	case 8:
		v_many(w);
		break;
	case 9:
		v_error(w);
		break;
	case 10:
		v_release(w);
		break;
	default:
		v_service(w);
	}
}

/* ---- random operations ----------------------------------------------- */

static void r_invoke(struct worker *w)
{
	struct tee_ioctl_param p[12];
	unsigned int n = rnd(&w->rng, 12), i;
	uint64_t id = rnd_id(w);
	uint32_t op = rnd_op(w), ret = 0;
	int err;

	/* Only held ids may be released: the valid flows need theirs. */
	if ((op == QTEE_OP_RELEASE || op == QTEE_OP_RETAIN) &&
	    (id == w->slot->app || id == w->slot->env))
		op = 0;
	for (i = 0; i < n; i++)
		rnd_param(w, &p[i]);
	err = qtee_invoke(w->slot->fd, id, op, p, n, &ret);
	outcome(K_RANDOM, err, err ? 0 : ret);
	if (!err && !ret)
		keep_outputs(w->slot, p, n);
	if (!err && op == QTEE_OP_RELEASE) {
		/* Gone: forget it. */
		pthread_mutex_lock(&w->slot->ids_lock);
		for (i = 0; i < w->slot->nids; i++)
			if (w->slot->ids[i] == id)
				w->slot->ids[i] = w->slot->ids[--w->slot->nids];
		pthread_mutex_unlock(&w->slot->ids_lock);
	}
}

static void r_raw(struct worker *w)
{
	struct tee_ioctl_object_invoke_arg *arg = (void *)(w->arena + 8192);
	size_t len = rnd(&w->rng, 2) ? sizeof(*arg) +
		     rnd(&w->rng, 8) * sizeof(struct tee_ioctl_param) :
		     rnd(&w->rng, 8192);
	size_t i;

	for (i = 0; i < len; i++)
		((uint8_t *)arg)[i] = rng_next(&w->rng);
	if (rnd(&w->rng, 2) && len >= sizeof(*arg)) {
		arg->num_params = rnd(&w->rng, 10);
		arg->id = rnd_id(w);
		if (arg->op == QTEE_OP_RELEASE || arg->op == QTEE_OP_RETAIN)
			arg->op = 0;
		/* Keep the params sane enough to get past the TEE core. */
		for (i = 0; i < arg->num_params &&
		     sizeof(*arg) + (i + 1) * sizeof(arg->params[0]) <= len; i++)
			rnd_param(w, &arg->params[i]);
	}
	/* Random USER flags would wait for a server the fd lacks. */
	if (w->slot->no_user)
		return;
	outcome(K_RAW, qtee_invoke_raw(w->slot->fd, arg, len), 0);
}

static void r_supp(struct worker *w)
{
	struct tee_ioctl_param p[1 + 16];
	uint64_t meta[1024 / 8];
	struct qtee_req req;
	unsigned int n, i;
	int err;

	if (rnd(&w->rng, 2)) {
		/* A SEND nobody asked for. */
		n = rnd(&w->rng, 18);
		for (i = 1; i < n && i < 17; i++)
			rnd_param(w, &p[i]);
		outcome(K_SEND, qtee_send(w->slot->fd, rnd(&w->rng, 8),
					  rng_next(&w->rng), p, n), 0);
		return;
	}
	/*
	 * A child sharing the parent's fd must not take requests: killed
	 * before answering, it would leave the parent's caller waiting.
	 */
	if (w->slot->no_user || w->child)
		return;
	/* Steal a request from the supplicant, then answer it properly. */
	w->interruptible = 1;
	err = qtee_recv(w->slot->fd, &req, meta, rnd(&w->rng, 2) ?
			sizeof(meta) : rnd(&w->rng, 64), 1 + rnd(&w->rng, 17));
	w->interruptible = 0;
	outcome(K_RECV, err, 0);
	if (err || req.func == QTEE_OP_RELEASE)
		return;
	err = qtee_send(w->slot->fd, req.params[0].b, QTEE_ERROR, req.params, 1);
	outcome(K_SEND, err, 0);
}

static void r_shm(struct worker *w)
{
	struct tee_ioctl_shm_alloc_data data = { 0 };
	int sfd;

	data.size = rnd_size(w);
	data.flags = rnd(&w->rng, 4) ? 0 : rng_next(&w->rng);
	sfd = ioctl(w->slot->fd, TEE_IOC_SHM_ALLOC, &data);
	outcome(K_SHM, sfd < 0 ? -errno : 0, 0);
	if (sfd >= 0) {
		void *m = mmap(NULL, data.size, PROT_READ | PROT_WRITE,
			       MAP_SHARED, sfd, 0);

		if (m != MAP_FAILED)
			munmap(m, data.size);
		close(sfd);
	}
}

static void r_ioctl(struct worker *w)
{
	static const unsigned long cmds[] = {
		TEE_IOC_VERSION, TEE_IOC_SHM_ALLOC, TEE_IOC_OPEN_SESSION,
		TEE_IOC_INVOKE, TEE_IOC_CANCEL, TEE_IOC_CLOSE_SESSION,
		TEE_IOC_SUPPL_RECV, TEE_IOC_SUPPL_SEND, TEE_IOC_SHM_REGISTER,
		TEE_IOC_OBJECT_INVOKE, _IOR(TEE_IOC_MAGIC, 0x7f, int),
	};
	unsigned long cmd = cmds[rnd(&w->rng, ARRAY_SIZE(cmds))];
	/* Room for whatever struct the command writes back. */
	union {
		struct tee_ioctl_buf_data buf;
		uint8_t room[256];
	} u;
	uint8_t *junk = w->arena + 16384;
	unsigned int i;
	int ret;

	/* Calls that would block waiting for a request stay out. */
	if (cmd == TEE_IOC_SUPPL_RECV || cmd == TEE_IOC_OBJECT_INVOKE)
		cmd = TEE_IOC_VERSION;
	for (i = 0; i < 256; i++)
		junk[i] = rng_next(&w->rng);
	memset(&u, 0, sizeof(u));
	u.buf.buf_ptr = rnd(&w->rng, 2) ? (uintptr_t)junk : rnd_ptr(w, 256);
	u.buf.buf_len = rnd(&w->rng, 2) ? rnd(&w->rng, 256) : rnd_size(w);
	ret = ioctl(w->slot->fd, cmd, rnd(&w->rng, 3) ? (void *)&u :
		    (void *)junk);
	/* Those two return a new shm fd. */
	if (ret > 0 && (cmd == TEE_IOC_SHM_REGISTER || cmd == TEE_IOC_SHM_ALLOC))
		close(ret);
	outcome(K_IOCTL, ret < 0 ? -errno : 0, 0);
}

/* ---- fork and reopen ------------------------------------------------- */

static void random_op(struct worker *w);

static void child_run(struct worker *w, uint64_t seed_child)
{
	struct slot own = { .fd = -1 };
	unsigned int i, n;

	w->rng = seed_child | 1;
	w->child = 1;
	pthread_mutex_init(&w->slot->ids_lock, NULL);
	/* Either the inherited fd (served by the parent) or a private one. */
	if (rnd(&w->rng, 2)) {
		own.cred = w->slot->cred;
		pthread_mutex_init(&own.ids_lock, NULL);
		if (slot_open(&own, 0))
			_exit(0);
		w->slot = &own;
	}
	n = 1 + rnd(&w->rng, 30);
	for (i = 0; i < n; i++)
		random_op(w);
	/* Exit without closing anything: the kernel cleans up. */
	_exit(0);
}

static void op_fork(struct worker *w)
{
	uint64_t cs = rng_next(&w->rng);
	int status, kill_it = rnd(&w->rng, 2);
	double t0;
	pid_t pid;

	pid = fork();
	outcome(K_FORK, pid < 0 ? -errno : 0, 0);
	if (pid < 0)
		return;
	if (!pid)
		child_run(w, cs);
	if (kill_it) {
		usleep(rnd(&w->rng, 30000));
		kill(pid, SIGKILL);
	}
	t0 = now();
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now() - t0 > STUCK_SECONDS) {
			finding("child %d did not exit in %d s%s", pid,
				STUCK_SECONDS, kill_it ? " after SIGKILL" : "");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return;
		}
		usleep(1000);
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		finding("child died of signal %d", WTERMSIG(status));
}

/* Asks the worker loop to close and reopen the device between ops. */
static void op_reopen(struct worker *w)
{
	w->want_reopen = 1;
}

static void random_op(struct worker *w)
{
	uint32_t pick = rnd(&w->rng, 100);
	int child = w->child;

	if (mode != M_FUZZ)
		pick = 100;
	w->kind = pick < 40 ? K_RANDOM : pick < 47 ? K_RAW : pick < 55 ?
		  K_RECV : pick < 60 ? K_SHM : pick < 64 ? K_IOCTL : pick < 66 ?
		  K_FORK : K_ECHO;
	if (pick < 40)
		r_invoke(w);
	else if (pick < 47)
		r_raw(w);
	else if (pick < 55)
		r_supp(w);
	else if (pick < 60)
		r_shm(w);
	else if (pick < 64)
		r_ioctl(w);
	else if (pick < 65 && !child)
		op_fork(w);
	else if (pick < 66 && !child)
		op_reopen(w);
	else if (pick == 100 && !child && !rnd(&w->rng, 200))
		rnd(&w->rng, 2) ? op_fork(w) : op_reopen(w);
	else
		valid_op(w);
}

/* ---- threads and processes ------------------------------------------- */

static void set_make_it_fail(int on)
{
	int fd = open("/proc/thread-self/make-it-fail", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, on ? "1" : "0", 1) < 0)
			perror("make-it-fail");
		close(fd);
	}
}

static void *worker_thread(void *arg)
{
	struct worker *w = arg;

	if (w->make_it_fail)
		set_make_it_fail(1);
	while (!done()) {
		__atomic_store_n(&w->op_start, (int64_t)(now() * 1000),
				 __ATOMIC_RELAXED);
		if (w->want_reopen) {
			/* Waits for the other threads' current ops. */
			w->want_reopen = 0;
			pthread_rwlock_wrlock(&w->slot->lock);
			slot_close(w->slot);
			slot_open(w->slot, 1);
		} else {
			pthread_rwlock_rdlock(&w->slot->lock);
			random_op(w);
		}
		pthread_rwlock_unlock(&w->slot->lock);
		__atomic_store_n(&w->op_start, 0, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* The kernel stacks of this process's threads, for a hang report. */
static void dump_stacks(void)
{
	char path[64], buf[2048];
	glob_t g;
	size_t i;
	int fd, n;

	if (glob("/proc/self/task/*/stack", 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		fd = open(g.gl_pathv[i], O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = 0;
		snprintf(path, sizeof(path), "%s", g.gl_pathv[i]);
		printf("# %s:\n%s", path, buf);
	}
	globfree(&g);
	fflush(stdout);
}

/* Breaks rogue RECVs that wait too long; reports operations that hang. */
static void *watchdog_thread(void *arg)
{
	unsigned int n = *(unsigned int *)arg, i;
	int64_t t, start;

	while (!__atomic_load_n(&watchdog_stop, __ATOMIC_ACQUIRE)) {
		usleep(5000);
		t = now() * 1000;
		for (i = 0; i < n; i++) {
			start = __atomic_load_n(&workers[i].op_start,
						__ATOMIC_RELAXED);
			if (!start)
				continue;
			if (workers[i].interruptible && t - start > 10)
				pthread_kill(workers[i].thread, SIGUSR1);
			if (t - start > STUCK_SECONDS * 1000) {
				finding("an operation (kind %d) of thread %u hung for %d s",
					workers[i].kind, i, STUCK_SECONDS);
				dump_stacks();
				_exit(3);
			}
		}
	}
	return NULL;
}

static int worker_init(struct worker *w, struct slot *sl, uint64_t rng)
{
	w->slot = sl;
	w->rng = rng | 1;
	w->make_it_fail = mode == M_FAILSLAB || mode == M_FAILNTH;
	w->arena = mmap(NULL, 2 * ARENA_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->arena == MAP_FAILED)
		return -errno;
	/* Sizes past the arena's end fault on the guard. */
	return mprotect(w->arena + ARENA_SIZE, ARENA_SIZE, PROT_NONE) ? -errno : 0;
}

static void slot_init(struct slot *sl, uint64_t rng)
{
	pthread_rwlock_init(&sl->lock, NULL);
	pthread_mutex_init(&sl->ids_lock, NULL);
	sl->supp_rng = rng;
}

/* One fuzzing process: a device fd, its supplicant and nthreads workers. */
static int proc_run(unsigned int index)
{
	uint64_t base = seed * 0x100000001b3ull + index * 0x9e3779b97f4a7c15ull;
	struct sigaction sa = { .sa_handler = sigusr1 };
	unsigned int i, n;
	pthread_t wdt;

	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART */
	slot_init(&slot_main, base);
	if (slot_open(&slot_main, 1))
		return 0;	/* only with injected faults */

	for (i = 0; i < nthreads; i++)
		if (worker_init(&workers[i], &slot_main,
				base ^ (i + 1) * 0xbf58476d1ce4e5b9ull))
			return 1;
	for (n = 0; n < nthreads; n++)
		if (pthread_create(&workers[n].thread, NULL, worker_thread,
				   &workers[n]))
			break;
	pthread_create(&wdt, NULL, watchdog_thread, &n);
	for (i = 0; i < n; i++)
		pthread_join(workers[i].thread, NULL);
	__atomic_store_n(&watchdog_stop, 1, __ATOMIC_RELEASE);
	pthread_join(wdt, NULL);
	slot_close(&slot_main);
	return 0;
}

/* ---- failnth ---------------------------------------------------------- */

/*
 * The thread's fail-nth file, opened once: opening it allocates, which
 * would consume the armed fault.
 */
static int fail_nth_fd(void)
{
	static __thread int fd = -1;

	if (fd < 0)
		fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return fd;
}

static int fail_nth_write(unsigned int n)
{
	char buf[16];
	int fd = fail_nth_fd(), len;

	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%u", n);
	return pwrite(fd, buf, len, 0) == len ? 0 : -EIO;
}

/* Whether the armed fault fired (fail-nth counted down to zero). */
static int fail_nth_fired(void)
{
	char buf[16] = "";
	int fd = fail_nth_fd(), n;

	if (fd < 0)
		return 0;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return 0;
	if (atoi(buf)) {
		fail_nth_write(0);
		return 0;
	}
	return 1;
}

static void f_env(struct worker *w)
{
	uint64_t env;

	if (!flow_env(w->slot, &env))
		qtee_release(w->slot->fd, env);
}

static void f_reopen(struct worker *w)
{
	struct slot sl = { .fd = -1 };

	slot_init(&sl, w->rng);
	if (!slot_open(&sl, 0))
		slot_close(&sl);
}

static const struct {
	const char *name;
	void (*run)(struct worker *w);
} flows[] = {
	{ "open", f_reopen },
	{ "env+credentials callback", f_env },
	{ "service", v_service },
	{ "echo", v_echo },
	{ "callback to a USER object", v_callback },
	{ "new object + counter", v_newobj },
	{ "accept/hold/release held", v_accept_hold },
	{ "memory object", v_mem },
	{ "callbacks x N", v_many },
	{ "error result", v_error },
	{ "release", v_release },
	{ "shm alloc", r_shm },
};

/*
 * Each flow, from the same random state, with its first, second, ...
 * allocation failing until a run completes without reaching the fault:
 * every allocation of the invoke, callback and release paths fails once.
 */
static int run_failnth(void)
{
	struct sigaction sa = { .sa_handler = sigusr1 };
	struct worker *w = &workers[0];
	unsigned int f, n, i, points = 0;
	uint64_t rng;

	sigaction(SIGUSR1, &sa, NULL);
	slot_init(&slot_main, seed);
	slot_main.supp_threads = 1;	/* the one armed serves the request */
	if (slot_open(&slot_main, 1) || worker_init(w, &slot_main, seed))
		return 1;
	for (f = 0; f < ARRAY_SIZE(flows); f++) {
		rng = seed ^ (f + 1) * 0x9e3779b97f4a7c15ull;
		for (n = 1; n < 1000; n++) {
			/* Something to release and to pass. */
			w->rng = rng | 1;
			v_newobj(w);
			w->rng = rng | 1;
			if (fail_nth_write(n))
				return 1;
			flows[f].run(w);
			if (!fail_nth_fired())
				break;
		}
		printf("# failnth: %-28s %3u allocation(s) failed in turn\n",
		       flows[f].name, n - 1);
		points += n - 1;
	}
	/* The supplicant's RECV and SEND serving callbacks. */
	for (n = 1; n < 1000; n++) {
		w->rng = seed | 1;
		__atomic_store_n(&slot_main.supp_fired, -1, __ATOMIC_RELEASE);
		__atomic_store_n(&slot_main.supp_fail_nth, n, __ATOMIC_RELEASE);
		pthread_kill(slot_main.supp[0], SIGUSR1);
		while (__atomic_load_n(&slot_main.supp_fail_nth, __ATOMIC_ACQUIRE))
			usleep(1000);
		v_many(w);
		/* The supplicant says after its SEND, maybe after our wakeup. */
		for (i = 0; i < 5000; i++) {
			if (__atomic_load_n(&slot_main.supp_fired,
					    __ATOMIC_ACQUIRE) >= 0)
				break;
			usleep(1000);
		}
		if (__atomic_load_n(&slot_main.supp_fired, __ATOMIC_ACQUIRE) != 1)
			break;
	}
	printf("# failnth: %-28s %3u allocation(s) failed in turn\n",
	       "supplicant RECV/SEND", n - 1);
	points += n - 1;
	printf("# failnth: %u injected failures\n", points);
	slot_close(&slot_main);
	return 0;
}

/* ---- failslab -------------------------------------------------------- */

static void debugfs_set(const char *dir, const char *file, const char *val)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s", dir, file);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		printf("# cannot set %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Fails allocations of the tasks with make-it-fail set, at random. */
static void failslab_setup(int on)
{
	static const char * const dirs[] = { "failslab", "fail_page_alloc" };
	char pct[16];
	unsigned int i;

	snprintf(pct, sizeof(pct), "%u", on ? fail_percent : 0);
	for (i = 0; i < 2; i++) {
		debugfs_set(dirs[i], "task-filter", "Y");
		debugfs_set(dirs[i], "ignore-gfp-wait", "N");
		debugfs_set(dirs[i], "verbose", "0");
		debugfs_set(dirs[i], "interval", "1");
		debugfs_set(dirs[i], "times", "-1");
		debugfs_set(dirs[i], "probability", pct);
	}
	debugfs_set("fail_page_alloc", "min-order", "0");
}

/* ---- main ------------------------------------------------------------ */

static const struct {
	const char *name;
	unsigned int index;
} sim_keys[] = {
	{ "objects", QCOMTEE_TESTSVC_STAT_OBJECTS },
	{ "ns_refs", QCOMTEE_TESTSVC_STAT_NS_REFS },
	{ "ns_ids", QCOMTEE_TESTSVC_STAT_NS_IDS },
	{ "in_flight", QCOMTEE_TESTSVC_STAT_IN_FLIGHT },
	{ "waiting", QCOMTEE_TESTSVC_STAT_WAITING },
	{ "apps", QCOMTEE_TESTSVC_STAT_APPS },
};

static const char * const drv_keys[] = {
	"tee_objects", "cb_objects", "cb_exported", "inflight",
};

/*
 * QTEE's counters through the test-control service, opened for one read
 * and closed again so that its file does not count in the driver's.
 */
static int read_sim_counters(long *sim)
{
	uint64_t v[QCOMTEE_TESTSVC_STATS_NUM];
	struct qtee_testsvc t;
	unsigned int i;
	int err;

	err = qtee_testsvc_open(&t);
	if (err)
		return err;
	err = qtee_testsvc_stats(&t, v);
	qtee_testsvc_close(&t);
	for (i = 0; !err && i < ARRAY_SIZE(sim_keys); i++)
		sim[i] = v[sim_keys[i].index];
	return err;
}

/* Waits (releases are asynchronous) until both sides hold nothing. */
static int leak_check(void)
{
	long sim[ARRAY_SIZE(sim_keys)], drv[ARRAY_SIZE(drv_keys)];
	unsigned int i, t, left = 0;

	for (t = 0; t < 200; t++) {
		memset(sim, 0, sizeof(sim));
		memset(drv, 0, sizeof(drv));
		if (read_sim_counters(sim) ||
		    qtee_read_counters(DRV_STATS, drv_keys, drv,
				       ARRAY_SIZE(drv_keys))) {
			printf("# leak check: counters unreadable\n");
			return 1;
		}
		left = 0;
		for (i = 0; i < ARRAY_SIZE(sim); i++)
			left += sim[i] != 0;
		for (i = 0; i < ARRAY_SIZE(drv); i++)
			left += drv[i] != 0;
		if (!left)
			return 0;
		usleep(50000);
	}
	for (i = 0; i < ARRAY_SIZE(sim); i++)
		if (sim[i])
			printf("QCOMTEE-FUZZ-LEAK: QTEE %s %ld\n",
			       sim_keys[i].name, sim[i]);
	for (i = 0; i < ARRAY_SIZE(drv); i++)
		if (drv[i])
			printf("QCOMTEE-FUZZ-LEAK: driver %s %ld\n",
			       drv_keys[i], drv[i]);
	return left;
}

static void print_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-m fuzz|stress|failnth|failslab] [-s seed]\n"
		"       [-n ops] [-d seconds] [-p procs] [-j threads] [-P percent]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int i, paths = 0, procs_failed = 0, leaks;
	pid_t pids[MAX_PROCS];
	double t0 = now();
	int opt, status;

	while ((opt = getopt(argc, argv, "m:s:n:d:p:j:P:")) != -1) {
		switch (opt) {
		case 'm':
			for (i = 0; i < 4 && strcmp(optarg, mode_names[i]); i++)
				;
			if (i == 4)
				print_usage(argv[0]);
			mode = i;
			break;
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			max_ops = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			nprocs = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			nthreads = strtoul(optarg, NULL, 0);
			break;
		case 'P':
			fail_percent = strtoul(optarg, NULL, 0);
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (!nprocs || nprocs > MAX_PROCS || !nthreads || nthreads > MAX_THREADS)
		print_usage(argv[0]);
	if ((mode == M_STRESS || mode == M_FAILSLAB) && !seconds)
		seconds = 10;
	setvbuf(stdout, NULL, _IOLBF, 0);
	{
		struct sigaction sa = { .sa_sigaction = crash,
					.sa_flags = SA_SIGINFO };

		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGBUS, &sa, NULL);
	}
	printf("TAP version 13\n1..1\n");
	printf("# qcomtee_fuzz -m %s -s %lu -n %lu -d %u -p %u -j %u -P %u\n",
	       mode_names[mode], seed, max_ops, seconds, nprocs, nthreads,
	       fail_percent);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	app_image_len = qtee_build_elf(app_image, sizeof(app_image), QTA_NAME);
	printf("# unbound %d kernel client(s)\n", qtee_unbind_kernel_clients());
	clock_gettime(CLOCK_MONOTONIC, &t_end);
	t_end.tv_sec += seconds;

	if (mode == M_FAILNTH) {
		failslab_setup(0);
		procs_failed = run_failnth() != 0;
	} else {
		if (mode == M_FAILSLAB)
			failslab_setup(1);
		for (i = 0; i < nprocs; i++) {
			pids[i] = fork();
			if (!pids[i]) {
				/* Its forks too: killed as a group below. */
				setpgid(0, 0);
				_exit(proc_run(i));
			}
		}
		for (i = 0; i < nprocs; i++) {
			if (pids[i] < 0 || waitpid(pids[i], &status, 0) < 0) {
				procs_failed++;
				continue;
			}
			if (WIFSIGNALED(status))
				finding("process %u died of signal %d", i,
					WTERMSIG(status));
			else if (WEXITSTATUS(status))
				procs_failed++;
			/* Children left by a process that gave up. */
			kill(-pids[i], SIGKILL);
		}
		if (mode == M_FAILSLAB)
			failslab_setup(0);
	}

	leaks = leak_check();
	for (i = 0; i < PATH_SLOTS; i++)
		paths += sh->paths[i];
	printf("QCOMTEE-FUZZ mode=%s seed=%lu ops=%lu paths=%u ",
	       mode_names[mode], seed, sh->ops, paths);
	printf("findings=%lu leaks=%u seconds=%.0f\n", sh->findings, leaks,
	       now() - t0);
	status = sh->findings || leaks || procs_failed;
	printf("%sok 1 qcomtee_fuzz_%s seed=%lu ops=%lu\n", status ? "not " : "",
	       mode_names[mode], seed, sh->ops);
	return status;
}
