// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace selftests of the Qualcomm TEE driver (uapi.md): the ioctl ABI,
 * the real-client flows of qtee-services.md, callback objects served by
 * supplicant threads, memory objects, fork/close/signal semantics and a
 * table of malformed inputs. Run in QEMU against the simulated QTEE; tests
 * that need the driver SKIP when /dev/tee0 is not a QTEE device.
 *
 * After every fixture test QTEE's counters (read through the test-control
 * service, qcomtee_testsvc.h) must be back where they were, and the last
 * test checks that nothing is live at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_sim_testapp.h"
#include "../../../kselftest_harness.h"

#define USER_OBJ_ID	0x42

/* ---- QTEE's counters (the test-control service) -------------------- */

struct sim_stats {
	long objects, ns_refs, ns_ids, in_flight, waiting, apps;
	long callbacks, invocations, bridges;
	long listeners;
	long async_dirty;	/* since boot: must never grow */
	int valid;
};

/*
 * The service, opened on first use in each test's process (the harness
 * forks one per test); children forked later share it. NULL where QTEE
 * has no test-control service.
 */
static const struct qtee_testsvc *testsvc(void)
{
	static struct qtee_testsvc t = { .fd = -1 };
	static pid_t opener;

	if (t.fd >= 0)
		return &t;
	if (opener == getpid())
		return NULL;	/* tried in this process already */
	opener = getpid();
	return qtee_testsvc_open(&t) ? NULL : &t;
}

static int sim_read_stats(struct sim_stats *st)
{
	const struct qtee_testsvc *t = testsvc();
	uint64_t v[QCOMTEE_TESTSVC_STATS_NUM];
	int err;

	memset(st, 0, sizeof(*st));
	if (!t)
		return -ENOENT;
	err = qtee_testsvc_stats(t, v);
	if (err)
		return err < 0 ? err : -EPROTO;
	st->objects = v[QCOMTEE_TESTSVC_STAT_OBJECTS];
	st->ns_refs = v[QCOMTEE_TESTSVC_STAT_NS_REFS];
	st->ns_ids = v[QCOMTEE_TESTSVC_STAT_NS_IDS];
	st->in_flight = v[QCOMTEE_TESTSVC_STAT_IN_FLIGHT];
	st->waiting = v[QCOMTEE_TESTSVC_STAT_WAITING];
	st->apps = v[QCOMTEE_TESTSVC_STAT_APPS];
	st->callbacks = v[QCOMTEE_TESTSVC_STAT_CALLBACKS];
	st->invocations = v[QCOMTEE_TESTSVC_STAT_INVOCATIONS];
	st->bridges = v[QCOMTEE_TESTSVC_STAT_BRIDGES];
	st->listeners = v[QCOMTEE_TESTSVC_STAT_LISTENERS];
	st->async_dirty = v[QCOMTEE_TESTSVC_STAT_ASYNC_DIRTY];
	st->valid = 1;
	return 0;
}

static int sim_same(const struct sim_stats *a, const struct sim_stats *b)
{
	return a->objects == b->objects && a->ns_refs == b->ns_refs &&
	       a->ns_ids == b->ns_ids && a->in_flight == b->in_flight &&
	       a->waiting == b->waiting && a->apps == b->apps &&
	       a->listeners == b->listeners && a->async_dirty == b->async_dirty;
}

/* Waits (releases are asynchronous) until the counters equal @want. */
static int sim_wait_for(const struct sim_stats *want, struct sim_stats *now)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (sim_read_stats(now))
			return -ENOENT;
		if (sim_same(want, now))
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

static int sim_wait_idle(struct sim_stats *now)
{
	struct sim_stats zero = { 0 };

	return sim_wait_for(&zero, now);
}

/*
 * Waits (at most 3 s) until nothing runs in the secure world and its
 * counters have not moved for 200 ms: the releases of an earlier test
 * (sent from the driver's worker) have landed. Kernel clients may hold
 * objects meanwhile, so the counters need not be zero.
 */
static int sim_wait_settled(struct sim_stats *now)
{
	struct sim_stats last = { 0 };
	int i, stable = 0;

	for (i = 0; i < 300; i++) {
		if (sim_read_stats(now))
			return -ENOENT;
		if (!now->in_flight && !now->waiting && sim_same(&last, now))
			stable++;
		else
			stable = 0;
		if (stable == 20)
			return 0;
		last = *now;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* A control of the service (QCOMTEE_TESTSVC_CTL_*), or -1. */
static long sim_get(uint32_t ctl)
{
	const struct qtee_testsvc *t = testsvc();
	uint32_t val;

	if (!t || qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_GET, &ctl,
				    sizeof(ctl), &val, sizeof(val)))
		return -1;
	return val;
}

/* ---- shared helpers ------------------------------------------------- */

/*
 * @name next to this program (where a kselftest install puts the files
 * it needs), else in @fallback (the test initramfs: / and /bin).
 */
static const char *test_file(const char *name, const char *fallback,
			     char *buf, size_t cap)
{
	char exe[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, cap, "%s/%s", exe, name);
			if (!access(buf, F_OK))
				return buf;
		}
	}
	snprintf(buf, cap, "%s/%s", fallback, name);
	return buf;
}

/* The real skeleton TA image (smcinvoke_skeleton_ta64.mbn); caller frees. */
static void *read_skeleton(size_t *len)
{
	char path[300];

	return qtee_read_file(test_file("smcinvoke_skeleton_ta64.mbn", "",
					path, sizeof(path)), len);
}

/* An open QTEE fd, or -1 with *why set. */
static int open_qtee(const char **why)
{
	int fd = qtee_open();

	if (fd < 0) {
		*why = "no " QTEE_DEV;
		return -1;
	}
	if (!qtee_is_qtee(fd)) {
		close(fd);
		*why = "/dev/tee0 is not a QTEE device";
		return -1;
	}
	return fd;
}

#define OPEN_OR_SKIP(fd) do {						\
		const char *_why = NULL;				\
		(fd) = open_qtee(&_why);				\
		if ((fd) < 0)						\
			SKIP(return, "%s", _why);			\
	} while (0)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

static void noop_handler(int sig)
{
	(void)sig;
}

/* ---- ABI constants (no device needed) ------------------------------- */

TEST(abi_numbers)
{
	ASSERT_EQ(0x800ca400u, (unsigned int)TEE_IOC_VERSION);
	ASSERT_EQ(0xc010a401u, (unsigned int)TEE_IOC_SHM_ALLOC);
	ASSERT_EQ(0x8010a406u, (unsigned int)TEE_IOC_SUPPL_RECV);
	ASSERT_EQ(0x8010a407u, (unsigned int)TEE_IOC_SUPPL_SEND);
	ASSERT_EQ(0x8010a40au, (unsigned int)TEE_IOC_OBJECT_INVOKE);
	ASSERT_EQ(4, TEE_IMPL_ID_QTEE);
	ASSERT_EQ(1 << 4, TEE_GEN_CAP_OBJREF);
	ASSERT_EQ(4096, TEE_MAX_ARG_SIZE);
	ASSERT_EQ(8, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT);
	ASSERT_EQ(12, TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT);
	ASSERT_EQ(0x103, QTEE_META_RECV);
	ASSERT_EQ(0x102, QTEE_META_SEND);
	ASSERT_EQ(~0ull, TEE_OBJREF_NULL);
}

TEST(abi_layout)
{
	ASSERT_EQ(24, sizeof(struct tee_ioctl_object_invoke_arg));
	ASSERT_EQ(32, sizeof(struct tee_ioctl_param));
	ASSERT_EQ(8, offsetof(struct tee_ioctl_object_invoke_arg, op));
	ASSERT_EQ(12, offsetof(struct tee_ioctl_object_invoke_arg, ret));
	ASSERT_EQ(16, offsetof(struct tee_ioctl_object_invoke_arg, num_params));
	ASSERT_EQ(24, offsetof(struct tee_ioctl_object_invoke_arg, params));
}

TEST(cbor_credentials)
{
	uint8_t buf[32];
	size_t n;

	n = qtee_cbor_cred(buf, sizeof(buf), 0, 5);
	ASSERT_EQ(5, n);
	ASSERT_EQ(0xa2, buf[0]);
	ASSERT_EQ(0x01, buf[1]);
	ASSERT_EQ(0x00, buf[2]);
	ASSERT_EQ(0x06, buf[3]);
	ASSERT_EQ(0x05, buf[4]);
	n = qtee_cbor_cred(buf, sizeof(buf), 1000, 0x100000000ull);
	ASSERT_EQ(1 + 1 + 3 + 1 + 9, n);
	ASSERT_EQ(0x19, buf[2]);
	ASSERT_EQ(0x1b, buf[6]);
}

/* ---- device basics -------------------------------------------------- */

TEST(version)
{
	struct tee_ioctl_version_data v;
	int fd;

	fd = qtee_open();
	if (fd < 0)
		SKIP(return, "no " QTEE_DEV);
	ASSERT_EQ(0, qtee_version(fd, &v));
	if (v.impl_id != TEE_IMPL_ID_QTEE) {
		close(fd);
		SKIP(return, "impl_id %u is not QTEE", v.impl_id);
	}
	EXPECT_EQ(0, v.impl_caps);
	EXPECT_EQ(TEE_GEN_CAP_OBJREF, v.gen_caps);
	close(fd);
}

TEST(open_many)
{
	int fds[32], i, fd;

	OPEN_OR_SKIP(fd);
	for (i = 0; i < 32; i++) {
		fds[i] = qtee_open();
		ASSERT_LE(0, fds[i]);
		ASSERT_TRUE(qtee_is_qtee(fds[i]));
	}
	for (i = 0; i < 32; i++)
		close(fds[i]);
	close(fd);
}

/*
 * SUPPL_RECV refuses a MEMREF param (EINVAL) and keeps no reference to its
 * shm: SHM_ALLOC + such a RECV + close in a loop leaves nothing behind.
 * Each leaked shm used to keep its SHM bridge (counted by the simulator),
 * its memory and the file's context forever.
 */
TEST(supp_recv_memref_no_leak)
{
	struct sim_stats before, after;
	struct {
		uint32_t func;
		uint32_t num_params;
		struct tee_ioctl_param params[2];
	} arg;
	struct tee_ioctl_buf_data data = {
		.buf_ptr = (uintptr_t)&arg, .buf_len = sizeof(arg),
	};
	uint8_t meta[64];
	size_t mapped;
	void *map;
	int fd, i, id, sfd;

	OPEN_OR_SKIP(fd);
	close(fd);
	ASSERT_EQ(0, sim_read_stats(&before));
	for (i = 0; i < 200; i++) {
		fd = qtee_open();
		ASSERT_LE(0, fd);
		id = qtee_shm_alloc(fd, 4096, &map, &mapped, &sfd);
		ASSERT_LE(0, id);
		memset(&arg, 0, sizeof(arg));
		arg.num_params = 2;
		arg.params[0].attr = QTEE_META_RECV;
		arg.params[0].a = (uintptr_t)meta;
		arg.params[0].b = sizeof(meta);
		arg.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT;
		arg.params[1].b = 16;
		arg.params[1].c = id;
		ASSERT_EQ(-1, ioctl(fd, TEE_IOC_SUPPL_RECV, &data));
		ASSERT_EQ(EINVAL, errno);
		munmap(map, mapped);
		close(sfd);
		close(fd);
	}
	ASSERT_EQ(0, sim_read_stats(&after));
	EXPECT_EQ(before.bridges, after.bridges);

	/* The device still works. */
	fd = qtee_open();
	ASSERT_LE(0, fd);
	EXPECT_TRUE(qtee_is_qtee(fd));
	close(fd);
}

/* ---- fixture: an fd with a client env -------------------------------- */

FIXTURE(qtee) {
	int fd;
	struct qtee_supp supp;
	int supp_on;
	uint64_t env;
	int have_env;
	struct sim_stats base;
};

/* Shared with the fixtures that hold a FIXTURE_DATA(qtee). */
static void qtee_up(struct __test_metadata *_metadata,
		    FIXTURE_DATA(qtee) *self)
{
	struct sim_stats now;
	int err;

	self->have_env = 0;
	self->supp_on = 0;
	OPEN_OR_SKIP(self->fd);
	/* Releases of the previous test are asynchronous: let them land. */
	sim_wait_settled(&now);
	ASSERT_EQ(0, sim_read_stats(&self->base));
	ASSERT_EQ(0, qtee_supp_start(&self->supp, self->fd, 1, NULL, NULL));
	self->supp_on = 1;
	err = qtee_get_env(self->fd, QTEE_CRED_ID_BASE, &self->env);
	ASSERT_EQ(0, err);
	self->have_env = 1;
}

static void qtee_down(struct __test_metadata *_metadata,
		      FIXTURE_DATA(qtee) *self)
{
	struct sim_stats now;

	if (self->fd < 0)
		return;
	if (self->have_env)
		EXPECT_EQ(0, qtee_release(self->fd, self->env));
	if (self->supp_on)
		qtee_supp_stop(&self->supp);
	close(self->fd);
	if (self->base.valid) {
		EXPECT_EQ(0, sim_wait_for(&self->base, &now)) {
			TH_LOG("leak: objects %ld ns_refs %ld ns_ids %ld in_flight %ld waiting %ld apps %ld",
			       now.objects, now.ns_refs, now.ns_ids,
			       now.in_flight, now.waiting, now.apps);
		}
	}
}

FIXTURE_SETUP(qtee)
{
	qtee_up(_metadata, self);
}

FIXTURE_TEARDOWN(qtee)
{
	qtee_down(_metadata, self);
}

/* What loading an app leaves a test holding, released in reverse. */
struct app_refs {
	uint64_t env, loader, ctrl, app;
};

/* Loads @img through the app loader of @r->env; @r gets the rest. */
static int get_app(int fd, const void *img, size_t len, struct app_refs *r)
{
	int err;

	err = qtee_open_service(fd, r->env, QTEE_UID_LOADER, &r->loader);
	if (err)
		return err;
	err = qtee_load_app_buf(fd, r->loader, img, len, &r->ctrl);
	if (err) {
		qtee_release(fd, r->loader);
		return err;
	}
	err = qtee_get_app(fd, r->ctrl, &r->app);
	if (err) {
		qtee_release(fd, r->ctrl);
		qtee_release(fd, r->loader);
	}
	return err;
}

/* A client env on @fd, then the app @name from an image built here. */
static int env_and_app(int fd, const char *name, struct app_refs *r)
{
	uint8_t img[512];
	size_t n = qtee_build_elf(img, sizeof(img), name);
	int err;

	if (!n)
		return -EINVAL;
	err = qtee_get_env(fd, QTEE_CRED_ID_BASE, &r->env);
	if (err)
		return err;
	return get_app(fd, img, n, r);
}

TEST_F(qtee, env_reads_credentials)
{
	/* ROOT op 2 read getLength then readAtOffset from our object. */
	EXPECT_EQ(0, qtee_supp_wait_requests(&self->supp, 2, 3000));
	EXPECT_EQ(0, self->supp.send_errors);
	EXPECT_EQ(0, self->supp.releases);
}

TEST_F(qtee, cred_release_notification)
{
	struct sim_stats st;

	ASSERT_EQ(0, qtee_release(self->fd, self->env));
	self->have_env = 0;
	/* QTEE drops the credentials with the env: one notification. */
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(QTEE_CRED_ID_BASE, self->supp.released_ids[0]);
	usleep(100000);
	EXPECT_EQ(1, self->supp.releases);
	ASSERT_EQ(0, sim_read_stats(&st));
	EXPECT_EQ(self->base.ns_refs, st.ns_refs);
}

TEST_F(qtee, two_envs_two_notifications)
{
	uint64_t env2;

	ASSERT_EQ(0, qtee_get_env(self->fd, QTEE_CRED_ID_BASE + 1, &env2));
	ASSERT_NE(self->env, env2);
	ASSERT_EQ(0, qtee_release(self->fd, env2));
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(QTEE_CRED_ID_BASE + 1, self->supp.released_ids[0]);
}

TEST_F(qtee, register_with_user_credentials)
{
	struct tee_ioctl_param p[2];
	uint32_t ret = ~0u;

	qtee_obj_in(&p[0], QTEE_CRED_ID_BASE + 2, QTEE_OBJREF_USER);
	qtee_obj_out(&p[1]);
	ASSERT_EQ(0, qtee_invoke(self->fd, TEE_OBJREF_NULL,
				 QTEE_ROOT_OP_REGISTER_CRED, p, 2, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(QTEE_OBJREF_TEE, p[1].b);
	EXPECT_EQ(0, qtee_release(self->fd, p[1].a));
}

TEST_F(qtee, release_twice)
{
	ASSERT_EQ(0, qtee_release(self->fd, self->env));
	self->have_env = 0;
	ASSERT_EQ(-EINVAL, qtee_release(self->fd, self->env));
}

TEST_F(qtee, invoke_released_handle)
{
	uint64_t svc;

	ASSERT_EQ(0, qtee_release(self->fd, self->env));
	self->have_env = 0;
	ASSERT_EQ(-EINVAL, qtee_open_service(self->fd, self->env,
					     QTEE_UID_DIAG, &svc));
}

TEST_F(qtee, release_with_params)
{
	struct tee_ioctl_param p;
	uint32_t ret;

	qtee_obj_out(&p);
	ASSERT_EQ(-EINVAL, qtee_invoke(self->fd, self->env, QTEE_OP_RELEASE,
				       &p, 1, &ret));
}

TEST_F(qtee, diagnostics_heap_info)
{
	struct tee_ioctl_param p[1];
	uint32_t info[6] = { 0 }, ret = ~0u;
	uint64_t diag;

	ASSERT_EQ(0, qtee_open_service(self->fd, self->env, QTEE_UID_DIAG,
				       &diag));
	qtee_ubuf_out(&p[0], info, sizeof(info));
	ASSERT_EQ(0, qtee_invoke(self->fd, diag, 0, p, 1, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(24, p[0].b);
	TH_LOG("heap: total %u used %u free %u overhead %u wasted %u largest %u",
	       info[0], info[1], info[2], info[3], info[4], info[5]);
	EXPECT_LT(0, info[0]);
	EXPECT_LT(0, info[1]);
	EXPECT_EQ(info[0], (uint64_t)info[1] + info[2] + info[3] + info[4]);
	EXPECT_LE(info[5], info[2]);
	EXPECT_EQ(0, qtee_release(self->fd, diag));
}

TEST_F(qtee, diagnostics_small_output)
{
	struct tee_ioctl_param p[1];
	uint32_t info[2], ret = 0;
	uint64_t diag;

	ASSERT_EQ(0, qtee_open_service(self->fd, self->env, QTEE_UID_DIAG,
				       &diag));
	qtee_ubuf_out(&p[0], info, sizeof(info));
	ASSERT_EQ(0, qtee_invoke(self->fd, diag, 0, p, 1, &ret));
	EXPECT_NE(0, ret);
	EXPECT_EQ(0, qtee_release(self->fd, diag));
}

TEST_F(qtee, feature_version)
{
	struct tee_ioctl_param p[2];
	uint32_t feature = QTEE_FEATURE_VERSION, val = 0, ret = ~0u;
	long want = sim_get(QCOMTEE_TESTSVC_CTL_VERSION);
	uint64_t svc;

	ASSERT_EQ(0, qtee_open_service(self->fd, self->env, QTEE_UID_FEATURE,
				       &svc));
	qtee_ubuf_in(&p[0], &feature, sizeof(feature));
	qtee_ubuf_out(&p[1], &val, sizeof(val));
	ASSERT_EQ(0, qtee_invoke(self->fd, svc, 0, p, 2, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(4, p[1].b);
	TH_LOG("QTEE version %u.%u.%u", (val >> 22) & 0xff,
	       (val >> 12) & 0xff, val & 0xfff);
	EXPECT_LE(1, (val >> 22) & 0xff);
	if (want >= 0)
		EXPECT_EQ(want, val);
	EXPECT_EQ(0, qtee_release(self->fd, svc));
}

/* ---- the test-control service itself -------------------------------- */

#define TESTSVC_OR_SKIP(t) do {						\
		(t) = testsvc();					\
		if (!(t))						\
			SKIP(return, "no test-control service");	\
	} while (0)

/* Remaining count and hits of @fault (QCOMTEE_TESTSVC_OP_FAULTS). */
static int sim_fault(uint32_t fault, uint32_t *remaining, uint32_t *hits)
{
	uint32_t rec[QCOMTEE_TESTSVC_FAULTS_SIZE / 4];
	int err;

	err = qtee_testsvc_call(testsvc(), QCOMTEE_TESTSVC_OP_FAULTS, NULL, 0,
				rec, sizeof(rec));
	if (err)
		return err;
	*remaining = rec[3 * fault];
	*hits = rec[3 * fault + 2];
	return 0;
}

/* Out-of-bounds inputs are refused and arm nothing. */
TEST(testsvc_bad_inputs)
{
	uint32_t ctl[2] = { QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED, 2 };
	uint32_t left, hits;
	uint64_t v[QCOMTEE_TESTSVC_STATS_NUM];
	const struct qtee_testsvc *t;
	unsigned int f;
	int fd;

	OPEN_OR_SKIP(fd);
	close(fd);
	TESTSVC_OR_SKIP(t);
	EXPECT_EQ(QTEE_SIZE_OUT,
		  qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_STATS, NULL, 0, v,
				    QCOMTEE_TESTSVC_STATS_SIZE - 8));
	EXPECT_EQ(QTEE_INVALID,
		  qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_SET + 1, NULL, 0, v,
				    sizeof(v)));
	EXPECT_EQ(QTEE_INVALID,
		  qtee_testsvc_inject(t, QCOMTEE_TESTSVC_FAULTS_NUM, 1, 0));
	EXPECT_EQ(QTEE_INVALID,
		  qtee_testsvc_inject(t, QCOMTEE_TESTSVC_FAULT_NOSLOTS,
				      QCOMTEE_TESTSVC_COUNT_MAX + 1u, 0));
	EXPECT_EQ(QTEE_INVALID,
		  qtee_testsvc_inject(t, QCOMTEE_TESTSVC_FAULT_DELAY, 0,
				      QCOMTEE_TESTSVC_DELAY_MAX_MS + 1));
	EXPECT_EQ(QTEE_INVALID,
		  qtee_testsvc_inject(t, QCOMTEE_TESTSVC_FAULT_SCM_ERROR, 1,
				      EBUSY));
	EXPECT_EQ(QTEE_INVALID,
		  qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_SET, ctl,
				    sizeof(ctl), NULL, 0));
	EXPECT_EQ(QTEE_SIZE_IN,
		  qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_INJECT, ctl,
				    sizeof(ctl), NULL, 0));
	for (f = 0; f < QCOMTEE_TESTSVC_FAULTS_NUM; f++) {
		ASSERT_EQ(0, sim_fault(f, &left, &hits));
		EXPECT_EQ(0, left);
	}
	EXPECT_EQ(0, sim_get(QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED));
}

/* A fault armed through the test-control service, then one client call. */
FIXTURE(fault) {
	FIXTURE_DATA(qtee) q;
};

FIXTURE_VARIANT(fault) {
	uint32_t fault, count;
	int32_t arg;
	int result;	/* of opening a service; -1: any -errno */
	int seen;	/* QTEE saw the call: it counts as an invocation */
};

/* The driver retries an SMC QTEE was too busy to take. */
FIXTURE_VARIANT_ADD(fault, scm_busy_retried) {
	.fault = QCOMTEE_TESTSVC_FAULT_SCM_ERROR,
	.count = 3,
	.arg = -EBUSY,
	.result = 0,
	.seen = 1,
};

/* Any other SMC error fails the call; QTEE never saw it. */
FIXTURE_VARIANT_ADD(fault, scm_error_fails_call) {
	.fault = QCOMTEE_TESTSVC_FAULT_SCM_ERROR,
	.count = 1,
	.arg = -ENXIO,
	.result = -1,
	.seen = 0,
};

/* A full secure object table reaches the client as QTEE's NOSLOTS. */
FIXTURE_VARIANT_ADD(fault, noslots_reaches_client) {
	.fault = QCOMTEE_TESTSVC_FAULT_NOSLOTS,
	.count = 1,
	.result = -93,
	.seen = 1,
};

static int sim_clear_faults(void)
{
	return qtee_testsvc_call(testsvc(), QCOMTEE_TESTSVC_OP_CLEAR_FAULTS,
				 NULL, 0, NULL, 0);
}

FIXTURE_SETUP(fault)
{
	qtee_up(_metadata, &self->q);
	if (testsvc())
		ASSERT_EQ(0, sim_clear_faults());
}

FIXTURE_TEARDOWN(fault)
{
	if (testsvc())
		EXPECT_EQ(0, sim_clear_faults());
	qtee_down(_metadata, &self->q);
}

TEST_F(fault, fires_once)
{
	const struct qtee_testsvc *t;
	struct sim_stats before, after;
	uint32_t left, hits;
	uint64_t svc;
	int err;

	TESTSVC_OR_SKIP(t);
	ASSERT_EQ(0, sim_read_stats(&before));
	ASSERT_EQ(0, qtee_testsvc_inject(t, variant->fault, variant->count,
					 variant->arg));
	err = qtee_open_service(self->q.fd, self->q.env, QTEE_UID_DIAG, &svc);
	if (variant->result == -1) {
		EXPECT_GT(0, err);
	} else {
		EXPECT_EQ(variant->result, err);
	}
	ASSERT_EQ(0, sim_fault(variant->fault, &left, &hits));
	EXPECT_EQ(0, left);
	EXPECT_EQ(variant->count, hits);
	/*
	 * Counted: the inject, the fault read and this read, and the call
	 * if QTEE saw it. Read before any release: the driver sends those
	 * from a worker.
	 */
	ASSERT_EQ(0, sim_read_stats(&after));
	EXPECT_EQ(before.invocations + 3 + variant->seen, after.invocations);
	EXPECT_EQ(before.objects + !err, after.objects);
	if (!err)
		EXPECT_EQ(0, qtee_release(self->q.fd, svc));
	/* Spent, the fault is gone: the same call works. */
	ASSERT_EQ(0, qtee_open_service(self->q.fd, self->q.env, QTEE_UID_DIAG,
				       &svc));
	EXPECT_EQ(0, qtee_release(self->q.fd, svc));
}

TEST_F(qtee, open_unknown_uid)
{
	uint64_t svc = 0;
	int err = qtee_open_service(self->fd, self->env, 12345, &svc);

	EXPECT_LT(0, err);
}

TEST_F(qtee, open_uid_short_buffer)
{
	struct tee_ioctl_param p[2];
	uint16_t uid = QTEE_UID_DIAG;
	uint32_t ret = 0;

	qtee_ubuf_in(&p[0], &uid, sizeof(uid));
	qtee_obj_out(&p[1]);
	ASSERT_EQ(0, qtee_invoke(self->fd, self->env, QTEE_ENV_OP_OPEN, p, 2,
				 &ret));
	EXPECT_NE(0, ret);
}

TEST_F(qtee, many_handles)
{
	uint64_t svc[40];
	int i;

	for (i = 0; i < 40; i++)
		ASSERT_EQ(0, qtee_open_service(self->fd, self->env,
					       QTEE_UID_DIAG, &svc[i]));
	for (i = 1; i < 40; i++)
		ASSERT_NE(svc[i - 1], svc[i]);
	for (i = 0; i < 40; i++)
		ASSERT_EQ(0, qtee_release(self->fd, svc[i]));
}

/* ---- the skeleton TA ------------------------------------------------- */

TEST_F(qtee, skeleton_load_buffer_add)
{
	struct app_refs r = { .env = self->env };
	uint32_t sum = 0;
	size_t len;
	void *img = read_skeleton(&len);

	ASSERT_NE(NULL, img);
	ASSERT_EQ(32856, len);
	ASSERT_EQ(0, get_app(self->fd, img, len, &r));
	ASSERT_EQ(0, qtee_add(self->fd, r.app, 2, 3, &sum));
	EXPECT_EQ(5, sum);
	ASSERT_EQ(0, qtee_add(self->fd, r.app, 0, 0, &sum));
	EXPECT_EQ(0, sum);
	ASSERT_EQ(0, qtee_add(self->fd, r.app, 0xfffffffe, 1, &sum));
	EXPECT_EQ(0xffffffff, sum);
	ASSERT_EQ(0, qtee_add(self->fd, r.app, 0xffffffff, 5, &sum));
	EXPECT_EQ(0xffffffff, sum);
	ASSERT_EQ(0, qtee_add(self->fd, r.app, 0x80000000, 0x80000000, &sum));
	EXPECT_EQ(0xffffffff, sum);
	EXPECT_EQ(0, qtee_release(self->fd, r.app));
	EXPECT_EQ(0, qtee_release(self->fd, r.ctrl));
	EXPECT_EQ(0, qtee_release(self->fd, r.loader));
	free(img);
}

TEST_F(qtee, skeleton_wrong_shapes)
{
	struct tee_ioctl_param p[2];
	struct app_refs r = { .env = self->env };
	uint32_t in[2] = { 1, 2 }, out, ret = 0;
	size_t len;
	void *img = read_skeleton(&len);

	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, get_app(self->fd, img, len, &r));
	qtee_ubuf_in(&p[0], in, 4);
	qtee_ubuf_out(&p[1], &out, 4);
	ASSERT_EQ(0, qtee_invoke(self->fd, r.app, 0, p, 2, &ret));
	EXPECT_EQ(QTEE_INVALID, ret);
	qtee_ubuf_in(&p[0], in, 8);
	qtee_ubuf_out(&p[1], &out, 2);
	ASSERT_EQ(0, qtee_invoke(self->fd, r.app, 0, p, 2, &ret));
	EXPECT_NE(0, ret);
	qtee_ubuf_in(&p[0], in, 8);
	qtee_ubuf_out(&p[1], &out, 4);
	ASSERT_EQ(0, qtee_invoke(self->fd, r.app, 7, p, 2, &ret));
	EXPECT_EQ(QTEE_INVALID, ret);
	EXPECT_EQ(0, qtee_release(self->fd, r.app));
	EXPECT_EQ(0, qtee_release(self->fd, r.ctrl));
	EXPECT_EQ(0, qtee_release(self->fd, r.loader));
	free(img);
}

TEST_F(qtee, skeleton_load_twice)
{
	uint64_t loader, ctrl, ctrl2;
	size_t len;
	void *img = read_skeleton(&len);

	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, qtee_open_service(self->fd, self->env, QTEE_UID_LOADER,
				       &loader));
	ASSERT_EQ(0, qtee_load_app_buf(self->fd, loader, img, len, &ctrl));
	EXPECT_EQ(16, qtee_load_app_buf(self->fd, loader, img, len, &ctrl2));
	EXPECT_EQ(0, qtee_release(self->fd, ctrl));
	EXPECT_EQ(0, qtee_release(self->fd, loader));
	free(img);
}

TEST_F(qtee, skeleton_unload_defunct)
{
	struct app_refs r = { .env = self->env };
	uint32_t ret = ~0u, sum;
	size_t len;
	void *img = read_skeleton(&len);

	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, get_app(self->fd, img, len, &r));
	ASSERT_EQ(0, qtee_invoke(self->fd, r.ctrl, QTEE_CTRL_OP_UNLOAD, NULL, 0,
				 &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(QTEE_DEFUNCT, qtee_add(self->fd, r.app, 1, 1, &sum));
	EXPECT_EQ(0, qtee_release(self->fd, r.app));
	EXPECT_EQ(0, qtee_release(self->fd, r.ctrl));
	EXPECT_EQ(0, qtee_release(self->fd, r.loader));
	free(img);
}

TEST_F(qtee, skeleton_load_memory_object)
{
	struct tee_ioctl_param p[2];
	uint64_t loader, ctrl, app;
	uint32_t ret = ~0u, sum = 0;
	size_t len, mapped;
	void *img = read_skeleton(&len), *map;
	int id, sfd;

	ASSERT_NE(NULL, img);
	id = qtee_shm_alloc(self->fd, len, &map, &mapped, &sfd);
	ASSERT_LE(0, id);
	ASSERT_LE(len, mapped);
	EXPECT_EQ(0, mapped % 4096);
	memcpy(map, img, len);
	ASSERT_EQ(0, qtee_open_service(self->fd, self->env, QTEE_UID_LOADER,
				       &loader));
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_obj_out(&p[1]);
	ASSERT_EQ(0, qtee_invoke(self->fd, loader, QTEE_LOADER_OP_LOAD_REGION,
				 p, 2, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(QTEE_OBJREF_TEE, p[1].b);
	ctrl = p[1].a;
	/* The client drops its copy right away. */
	munmap(map, mapped);
	close(sfd);
	ASSERT_EQ(0, qtee_get_app(self->fd, ctrl, &app));
	ASSERT_EQ(0, qtee_add(self->fd, app, 40, 2, &sum));
	EXPECT_EQ(42, sum);
	EXPECT_EQ(0, qtee_release(self->fd, app));
	EXPECT_EQ(0, qtee_release(self->fd, ctrl));
	EXPECT_EQ(0, qtee_release(self->fd, loader));
	free(img);
}

/* Images the loader refuses, with its answer (qtee.rst). */
FIXTURE(bad_image) {
	FIXTURE_DATA(qtee) q;
};

FIXTURE_VARIANT(bad_image) {
	const char *name;	/* an ELF image naming this, or NULL: junk */
	size_t cut;		/* bytes cut off its end */
	uint32_t err;
};

FIXTURE_VARIANT_ADD(bad_image, garbage) {
	.err = 10,
};

FIXTURE_VARIANT_ADD(bad_image, unknown_app_name) {
	.name = "no_such_app",
	.err = 12,
};

/* The PT_LOAD segment runs past the end. */
FIXTURE_VARIANT_ADD(bad_image, truncated_elf) {
	.name = QTA_NAME,
	.cut = 4,
	.err = 10,
};

FIXTURE_SETUP(bad_image)
{
	qtee_up(_metadata, &self->q);
}

FIXTURE_TEARDOWN(bad_image)
{
	qtee_down(_metadata, &self->q);
}

TEST_F(bad_image, load_refused)
{
	uint64_t loader, ctrl;
	uint8_t img[512];
	size_t n = 256;

	memset(img, 0x5a, sizeof(img));
	if (variant->name) {
		n = qtee_build_elf(img, sizeof(img), variant->name);
		ASSERT_LT(variant->cut, n);
		n -= variant->cut;
	}
	ASSERT_EQ(0, qtee_open_service(self->q.fd, self->q.env,
				       QTEE_UID_LOADER, &loader));
	EXPECT_EQ(variant->err, qtee_load_app_buf(self->q.fd, loader, img, n,
						  &ctrl));
	EXPECT_EQ(0, qtee_release(self->q.fd, loader));
}

TEST_F(qtee, shm_alloc_rounds_to_pages)
{
	size_t mapped;
	void *map;
	int id, sfd;

	id = qtee_shm_alloc(self->fd, 100, &map, &mapped, &sfd);
	ASSERT_LE(0, id);
	EXPECT_EQ(4096, mapped);
	memset(map, 0xa5, mapped);
	munmap(map, mapped);
	close(sfd);
}

/*
 * A memory object is one page-allocator block (4 MiB with 4 KiB pages);
 * larger requests fail with ENOMEM. They used to reach alloc_pages_exact()
 * and make it WARN (found by qcomtee_fuzz).
 */
TEST_F(qtee, shm_alloc_too_big)
{
	static const uint64_t sizes[] = {
		(4u << 20) + 1, 64u << 20, 1ull << 40, ~0ull >> 1,
	};
	struct tee_ioctl_shm_alloc_data data;
	unsigned int i;
	size_t mapped;
	void *map;
	int id, sfd;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(&data, 0, sizeof(data));
		data.size = sizes[i];
		EXPECT_EQ(-1, ioctl(self->fd, TEE_IOC_SHM_ALLOC, &data));
		EXPECT_EQ(ENOMEM, errno) TH_LOG("size %#llx",
						(unsigned long long)sizes[i]);
	}
	/* The largest still works. */
	id = qtee_shm_alloc(self->fd, 4u << 20, &map, &mapped, &sfd);
	ASSERT_LE(0, id);
	EXPECT_EQ(4u << 20, mapped);
	munmap(map, mapped);
	close(sfd);
}

static int set_param(const char *name, unsigned int n)
{
	char path[96];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "/sys/module/qcomtee/parameters/%s",
		 name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	err = fprintf(f, "%u\n", n) < 0 ? -EIO : 0;
	return fclose(f) ? -errno : err;
}

/*
 * A file holds at most max_handles QTEE objects: one more fails the call
 * with ENOSPC, and the call gives back what it created, nothing else (the
 * output that failed used to name the client env's handle, which the
 * cleanup then released). The file and the device keep working.
 */
TEST_F(qtee, handle_limit)
{
	uint64_t svc = ~0ull;
	int err;

	ASSERT_EQ(0, set_param("max_handles", 1));
	err = qtee_open_service(self->fd, self->env, QTEE_UID_DIAG, &svc);
	ASSERT_EQ(0, set_param("max_handles", 4096));
	EXPECT_EQ(-ENOSPC, err);

	/* The env survived, and the limit is per file. */
	ASSERT_EQ(0, qtee_open_service(self->fd, self->env, QTEE_UID_DIAG,
				       &svc));
	EXPECT_EQ(0, qtee_release(self->fd, svc));
}

/*
 * QTEE saw the request, so it owns the callback objects it was given even
 * when the call's outputs cannot be delivered (issue 12 item 6): a second
 * client env whose handle does not fit (max_handles) is released again,
 * and its credentials object's release notification still arrives. It
 * used to be lost: the process was told only about objects of calls whose
 * outputs it received.
 */
TEST_F(qtee, lost_outputs_keep_release_notifications)
{
	uint64_t env2 = ~0ull;
	int err;

	ASSERT_EQ(0, set_param("max_handles", 1));
	err = qtee_get_env(self->fd, QTEE_CRED_ID_BASE + 5, &env2);
	ASSERT_EQ(0, set_param("max_handles", 4096));
	EXPECT_EQ(-ENOSPC, err);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(QTEE_CRED_ID_BASE + 5, self->supp.released_ids[0]);
}

/* ---- the simulator's test app --------------------------------------- */

struct cb_state {
	int mode;		/* what the callback handler does */
	uint32_t last_op;
	unsigned int calls;
	uint64_t obj_id;	/* object to return in OO */
	uint64_t obj_flags;
};

enum {
	CB_INVERT, CB_RETURN_OBJ, CB_ERROR, CB_WRONG_ATTR, CB_TOO_BIG, CB_INDEX,
};

static uint32_t app_handler(struct qtee_supp *s, struct qtee_req *req,
			    void *meta, void *out, size_t cap)
{
	struct cb_state *cs = s->priv;
	struct tee_ioctl_param *ib = NULL, *ob = NULL;
	unsigned int i;
	uint8_t *src;

	if (req->params[0].a >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	__atomic_add_fetch(&cs->calls, 1, __ATOMIC_SEQ_CST);
	cs->last_op = req->func;
	for (i = 1; i < req->num_params; i++) {
		struct tee_ioctl_param *p = &req->params[i];

		if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT && !ib) {
			ib = p;
		} else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT &&
			   !ob) {
			ob = p;
		} else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT) {
			p->a = cs->obj_id;
			p->b = cs->obj_flags;
		}
	}
	switch (cs->mode) {
	case CB_ERROR:
		return 77;
	case CB_INDEX:
		if (!ib || !ob || ib->b != 4 || ob->b < 4)
			return QTEE_INVALID;
		memcpy(out, (void *)(uintptr_t)ib->a, 4);
		*(uint32_t *)out += 1;
		ob->a = (uintptr_t)out;
		ob->b = 4;
		return 0;
	default:
		break;
	}
	if (ob) {
		size_t n = ib ? ib->b : 0;

		if (n > ob->b || n > cap)
			return QTEE_SIZE_OUT;
		src = ib ? (uint8_t *)(uintptr_t)ib->a : NULL;
		for (i = 0; i < n; i++)
			((uint8_t *)out)[i] = ~src[i];
		ob->a = (uintptr_t)out;
		ob->b = n;
		if (cs->mode == CB_TOO_BIG)
			ob->b = ob->b + 1;
		if (cs->mode == CB_WRONG_ATTR)
			ob->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	}
	return 0;
}

FIXTURE(app) {
	int fd;
	struct qtee_supp supp;
	struct cb_state cs;
	struct app_refs r;
	int ready;
	struct sim_stats base;
};

/* Shared with the fixtures that hold a FIXTURE_DATA(app). */
static void app_up(struct __test_metadata *_metadata,
		   FIXTURE_DATA(app) *self)
{
	struct sim_stats now;

	self->ready = 0;
	memset(&self->cs, 0, sizeof(self->cs));
	OPEN_OR_SKIP(self->fd);
	sim_wait_settled(&now);
	ASSERT_EQ(0, sim_read_stats(&self->base));
	ASSERT_EQ(0, qtee_supp_start(&self->supp, self->fd, 2, app_handler,
				     &self->cs));
	ASSERT_EQ(0, env_and_app(self->fd, QTA_NAME, &self->r));
	self->ready = 1;
}

static void app_down(struct __test_metadata *_metadata,
		     FIXTURE_DATA(app) *self)
{
	struct sim_stats now;

	if (self->fd < 0)
		return;
	if (self->ready) {
		EXPECT_EQ(0, qtee_release(self->fd, self->r.app));
		EXPECT_EQ(0, qtee_release(self->fd, self->r.ctrl));
		EXPECT_EQ(0, qtee_release(self->fd, self->r.loader));
		EXPECT_EQ(0, qtee_release(self->fd, self->r.env));
	}
	qtee_supp_stop(&self->supp);
	EXPECT_EQ(0, self->supp.recv_error);
	close(self->fd);
	if (self->base.valid) {
		EXPECT_EQ(0, sim_wait_for(&self->base, &now)) {
			TH_LOG("leak: objects %ld ns_refs %ld ns_ids %ld in_flight %ld waiting %ld apps %ld",
			       now.objects, now.ns_refs, now.ns_ids,
			       now.in_flight, now.waiting, now.apps);
		}
	}
}

FIXTURE_SETUP(app)
{
	app_up(_metadata, self);
}

FIXTURE_TEARDOWN(app)
{
	app_down(_metadata, self);
}

/* @n bytes that differ from page to page: a page out of place shows. */
static uint8_t *patterned(size_t n)
{
	uint8_t *p = malloc(n);
	size_t i;

	for (i = 0; p && i < n; i++)
		p[i] = i ^ (i >> 8) ^ (i >> 16);
	return p;
}

/*
 * ECHO or INVERT of @n bytes of @in into @out. Returns QTEE's result, or -1
 * if the call failed or @out is not what the op makes of @in.
 */
static int echo_check(int fd, uint64_t app, uint32_t op, const uint8_t *in,
		      uint8_t *out, size_t n)
{
	struct tee_ioctl_param p[2];
	uint32_t ret = ~0u;
	size_t i;

	qtee_ubuf_in(&p[0], in, n);
	qtee_ubuf_out(&p[1], out, n);
	if (qtee_invoke(fd, app, op, p, 2, &ret))
		return -1;
	if (ret)
		return ret;
	if (p[1].b != n)
		return -1;
	for (i = 0; i < n; i++)
		if (out[i] != (op == QTA_OP_INVERT ? (uint8_t)~in[i] : in[i]))
			return -1;
	return 0;
}

/* ECHO and INVERT of sizes up to the most the app takes, both ways. */
FIXTURE(app_echo) {
	FIXTURE_DATA(app) a;
};

FIXTURE_VARIANT(app_echo) {
	uint32_t op;
	size_t n;
};

FIXTURE_VARIANT_ADD(app_echo, small) {
	.op = QTA_OP_ECHO,
	.n = 300,
};

FIXTURE_VARIANT_ADD(app_echo, large) {
	.op = QTA_OP_ECHO,
	.n = 60 * 1024,
};

/* The most the app takes: a large message buffer. */
FIXTURE_VARIANT_ADD(app_echo, max) {
	.op = QTA_OP_ECHO,
	.n = QTA_DATA_MAX,
};

FIXTURE_VARIANT_ADD(app_echo, max_inverted) {
	.op = QTA_OP_INVERT,
	.n = QTA_DATA_MAX,
};

FIXTURE_SETUP(app_echo)
{
	app_up(_metadata, &self->a);
}

FIXTURE_TEARDOWN(app_echo)
{
	app_down(_metadata, &self->a);
}

TEST_F(app_echo, data_back)
{
	uint8_t *in = patterned(variant->n), *out = calloc(1, variant->n);

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, echo_check(self->a.fd, self->a.r.app, variant->op, in, out,
				variant->n));
	free(in);
	free(out);
}

/* One byte more than the app takes. */
TEST_F(app, echo_over_max)
{
	size_t n = QTA_DATA_MAX + 1;
	uint8_t *in = patterned(n), *out = calloc(1, n);

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(QTEE_SIZE_IN, echo_check(self->fd, self->r.app, QTA_OP_ECHO,
					   in, out, n));
	free(in);
	free(out);
}

/*
 * The invocations of one file hold at most max_msgbuf_kib of message
 * buffers at once: a call that would need more fails with EBUSY before
 * it reaches QTEE, and smaller ones go on working.
 */
TEST_F(app, message_buffer_limit)
{
	size_t n = QTA_DATA_MAX;
	uint8_t *in = patterned(n), *out = calloc(1, n);
	struct tee_ioctl_param p[2];
	uint32_t ret = ~0u;
	int err;

	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, set_param("max_msgbuf_kib", 1024));
	/* 1 MiB in and 1 MiB out need more than 1 MiB. */
	qtee_ubuf_in(&p[0], in, n);
	qtee_ubuf_out(&p[1], out, n);
	err = qtee_invoke(self->fd, self->r.app, QTA_OP_ECHO, p, 2, &ret);
	EXPECT_EQ(0, echo_check(self->fd, self->r.app, QTA_OP_ECHO, in, out,
				4096));
	ASSERT_EQ(0, set_param("max_msgbuf_kib", 16 * 1024));
	EXPECT_EQ(-EBUSY, err);
	EXPECT_EQ(0, echo_check(self->fd, self->r.app, QTA_OP_ECHO, in, out,
				n));
	free(in);
	free(out);
}

TEST_F(app, echo_output_too_small)
{
	struct tee_ioctl_param p[2];
	uint8_t in[64] = { 1 }, out[16];
	uint32_t ret = 0;

	qtee_ubuf_in(&p[0], in, sizeof(in));
	qtee_ubuf_out(&p[1], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_ECHO, p, 2,
				 &ret));
	EXPECT_EQ(QTEE_SIZE_OUT, ret);
}

TEST_F(app, outputs_at_caller_positions)
{
	struct tee_ioctl_param p[2];
	uint8_t in[5] = { 1, 2, 3, 4, 5 }, out[8] = { 0 };
	uint32_t ret = ~0u;

	/* Output first, input second: written back at index 0. */
	qtee_ubuf_out(&p[0], out, sizeof(out));
	qtee_ubuf_in(&p[1], in, sizeof(in));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_INVERT, p, 2,
				 &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(5, p[0].b);
	ASSERT_EQ(5, p[1].b);
	EXPECT_EQ(0xfe, out[0]);
	EXPECT_EQ(0xfa, out[4]);
	EXPECT_EQ(0, out[5]);
}

TEST_F(app, return_error_passes_through)
{
	struct tee_ioctl_param p[1];
	int32_t codes[] = { 42, 1, 2, -90, 1000 };
	uint32_t ret;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		ret = 0;
		qtee_ubuf_in(&p[0], &codes[i], 4);
		ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app,
					 QTA_OP_RETURN_ERROR, p, 1, &ret));
		EXPECT_EQ((uint32_t)codes[i], ret);
	}
}

TEST_F(app, counter_object)
{
	struct tee_ioctl_param p[2];
	uint32_t init = 10, delta = 5, val = 0, ret = ~0u;
	uint64_t ctr;

	qtee_ubuf_in(&p[0], &init, 4);
	qtee_obj_out(&p[1]);
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_NEW_OBJECT, p, 2,
				 &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(QTEE_OBJREF_TEE, p[1].b);
	ctr = p[1].a;
	qtee_ubuf_in(&p[0], &delta, 4);
	ASSERT_EQ(0, qtee_invoke(self->fd, ctr, QTA_COUNTER_OP_ADD, p, 1,
				 &ret));
	ASSERT_EQ(0, ret);
	qtee_ubuf_out(&p[0], &val, 4);
	ASSERT_EQ(0, qtee_invoke(self->fd, ctr, QTA_COUNTER_OP_GET, p, 1,
				 &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(15, val);
	EXPECT_EQ(0, qtee_release(self->fd, ctr));
}

TEST_F(app, accept_objects_of_every_kind)
{
	struct tee_ioctl_param p[2];
	uint32_t out[2], ret = ~0u;

	/* NULL */
	qtee_obj_in(&p[0], TEE_OBJREF_NULL, 0);
	qtee_ubuf_out(&p[1], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_ACCEPT_OBJECT, p,
				 2, &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(QTA_KIND_NULL, out[0]);
	/* a QTEE object (our env) */
	qtee_obj_in(&p[0], self->r.env, QTEE_OBJREF_TEE);
	qtee_ubuf_out(&p[1], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_ACCEPT_OBJECT, p,
				 2, &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(QTA_KIND_SECURE, out[0]);
	/* one of our callback objects: QTEE releases it afterwards */
	qtee_obj_in(&p[0], USER_OBJ_ID, QTEE_OBJREF_USER);
	qtee_ubuf_out(&p[1], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_ACCEPT_OBJECT, p,
				 2, &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(QTA_KIND_KERNEL, out[0]);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(USER_OBJ_ID, self->supp.released_ids[0]);
}

/*
 * One QTA_OP_CALLBACK: the test app calls the USER object @target back
 * with @op. A zero or NULL field means "none".
 */
struct cb_call {
	uint32_t op;
	uint32_t ob_size;	/* the callback's output buffer */
	uint32_t num_oo;	/* the callback's output objects */
	uint32_t flags;		/* QTA_CB_* */
	const void *data;	/* sent as the callback's input buffer */
	size_t len;
	uint64_t target;
	void *cb_out;		/* receives the callback's output buffer */
	size_t cb_cap;
	struct tee_ioctl_param *oo;	/* receives its num_oo objects */
	uint32_t res[4];	/* out: the app's report (QTA_OP_CALLBACK) */
	uint32_t ret;		/* out: the app's result */
};

static int callback(int fd, uint64_t app, struct cb_call *c)
{
	uint32_t hdr[4] = { c->op, c->ob_size, c->num_oo, c->flags };
	struct tee_ioctl_param p[12];
	unsigned int n = 0, i;
	int err;

	qtee_ubuf_in(&p[n++], hdr, sizeof(hdr));
	if (c->data)
		qtee_ubuf_in(&p[n++], c->data, c->len);
	qtee_obj_in(&p[n++], c->target, QTEE_OBJREF_USER);
	qtee_ubuf_out(&p[n++], c->res, sizeof(c->res));
	if (c->cb_out)
		qtee_ubuf_out(&p[n++], c->cb_out, c->cb_cap);
	for (i = 0; i < c->num_oo; i++)
		qtee_obj_out(&p[n++]);
	err = qtee_invoke(fd, app, QTA_OP_CALLBACK, p, n, &c->ret);
	if (!err && c->oo)
		memcpy(c->oo, &p[n - c->num_oo], c->num_oo * sizeof(*c->oo));
	return err;
}

/* A thread calling USER_OBJ_ID back with op 1 (@c.data as its input). */
struct late_invoker {
	int fd;
	uint64_t app;
	struct cb_call c;
	int err;
};

static void *late_invoker_fn(void *arg)
{
	struct late_invoker *li = arg;

	li->c.op = 1;
	li->c.target = USER_OBJ_ID;
	li->err = callback(li->fd, li->app, &li->c);
	return NULL;
}

/*
 * Two invokers share a file; the first is killed while a receiver holds
 * its request. Request ids are not reused at once: the next request gets
 * another id, a late SEND for the dead one fails with EINVAL instead of
 * answering the next caller, and the next caller gets its own answer.
 */
TEST_F(app, late_answer_finds_nothing)
{
	struct late_invoker li = { .fd = self->fd, .app = self->r.app };
	uint64_t meta[128 / 8], id1, id2;
	struct cb_call c = { .op = 1, .target = USER_OBJ_ID };
	struct qtee_req req;
	pthread_t thread;
	pid_t pid;
	int status;

	/* This test is the supplicant. */
	qtee_supp_stop(&self->supp);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		callback(self->fd, self->r.app, &c);
		_exit(0);
	}
	ASSERT_EQ(0, qtee_recv(self->fd, &req, meta, sizeof(meta), 4));
	id1 = req.params[0].b;
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	ASSERT_EQ(0, pthread_create(&thread, NULL, late_invoker_fn, &li));
	/* QTEE releases the dead invoker's object: skip the notification. */
	do {
		ASSERT_EQ(0, qtee_recv(self->fd, &req, meta, sizeof(meta), 4));
	} while (req.func == QTEE_OP_RELEASE);
	id2 = req.params[0].b;
	EXPECT_NE(id1, id2);

	/* The dead invoker's answer arrives late: it answers nothing. */
	EXPECT_EQ(-EINVAL, qtee_send(self->fd, id1, 77, req.params, 1));
	EXPECT_EQ(0, qtee_send(self->fd, id2, 5, req.params, 1));
	pthread_join(thread, NULL);
	ASSERT_EQ(0, li.err);
	EXPECT_EQ(0, li.c.ret);
	EXPECT_EQ(5, (int32_t)li.c.res[0]);
}

/*
 * A page whose first touch waits until the test backs it: a userfaultfd
 * region of one page, registered for missing-page faults.
 */
static int uffd_page(void **page)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int uffd;

	uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0)
		return -errno;
	*page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = (uintptr_t)*page;
	reg.range.len = 4096;
	if (ioctl(uffd, UFFDIO_API, &api) || *page == MAP_FAILED ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		close(uffd);
		return -EIO;
	}
	return uffd;
}

/* Waits (up to 10 s) until something faults on the page. */
static int uffd_wait_fault(int uffd)
{
	struct pollfd pfd = { .fd = uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&pfd, 1, 10000) != 1 ||
	    read(uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -ETIMEDOUT;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -EIO;
}

/* Backs the page with zeroes: the faulting copy goes on. */
static int uffd_back(int uffd, void *page)
{
	struct uffdio_zeropage zero = {
		.range = { .start = (uintptr_t)page, .len = 4096 },
	};

	return ioctl(uffd, UFFDIO_ZEROPAGE, &zero) ? -errno : 0;
}

struct stall_receiver {
	int fd;
	void *meta;		/* in a userfaultfd region, not yet backed */
	struct qtee_req req;
	int err;
};

static void *stall_receiver_fn(void *arg)
{
	struct stall_receiver *sr = arg;

	/* The request's input data is copied into @meta: that faults. */
	do {
		sr->err = qtee_recv(sr->fd, &sr->req, sr->meta, 4096, 4);
	} while (!sr->err && sr->req.func == QTEE_OP_RELEASE);
	if (!sr->err)
		sr->err = qtee_send(sr->fd, sr->req.params[0].b, 7,
				    sr->req.params, 1);
	return NULL;
}

struct quick_invoker {
	int fd;
	uint64_t app;
	struct cb_call c;
	int err;
	int done;
};

static void *quick_invoker_fn(void *arg)
{
	struct quick_invoker *qi = arg;

	qi->c.op = 1;
	qi->c.target = USER_OBJ_ID + 1;
	qi->err = callback(qi->fd, qi->app, &qi->c);
	__atomic_store_n(&qi->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A supplicant thread whose meta buffer faults slowly (here: a
 * userfaultfd page the test backs only later) must stall nobody but the
 * invoker of that request: another request on the same file is received,
 * answered and returned meanwhile. Copying under the file's supplicant
 * lock used to block every other RECV, SEND and release on the file.
 */
TEST_F(app, slow_supplicant_copy_stalls_nobody)
{
	struct quick_invoker qi = { .fd = self->fd, .app = self->r.app };
	struct late_invoker li = { .fd = self->fd, .app = self->r.app };
	struct stall_receiver sr = { .fd = self->fd };
	pthread_t stalled, slow, quick;
	uint8_t data[64];
	void *region;
	int uffd, i;

	uffd = uffd_page(&region);
	if (uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(-uffd));
	sr.meta = region;

	/* The library's threads would take the requests: ours do. */
	qtee_supp_stop(&self->supp);

	/* 1. A request with input data; its receiver stalls in the copy. */
	memset(data, 0x3c, sizeof(data));
	li.c.data = data;
	li.c.len = sizeof(data);
	ASSERT_EQ(0, pthread_create(&stalled, NULL, stall_receiver_fn, &sr));
	li.err = -1;
	ASSERT_EQ(0, pthread_create(&slow, NULL, late_invoker_fn, &li));
	ASSERT_EQ(0, uffd_wait_fault(uffd));

	/* 2. Another request on the same file gets through meanwhile. */
	ASSERT_EQ(0, qtee_supp_start(&self->supp, self->fd, 1, app_handler,
				     &self->cs));
	ASSERT_EQ(0, pthread_create(&quick, NULL, quick_invoker_fn, &qi));
	for (i = 0; i < 500 && !__atomic_load_n(&qi.done, __ATOMIC_ACQUIRE);
	     i++)
		usleep(10000);
	EXPECT_TRUE(__atomic_load_n(&qi.done, __ATOMIC_ACQUIRE));

	/* 3. Back the page: the stalled receiver goes on and answers. */
	ASSERT_EQ(0, uffd_back(uffd, region));
	pthread_join(stalled, NULL);
	pthread_join(slow, NULL);
	pthread_join(quick, NULL);
	EXPECT_EQ(0, sr.err);
	EXPECT_EQ(0, qi.err);
	EXPECT_EQ(0, li.err);
	EXPECT_EQ(7, (int32_t)li.c.res[0]);
	munmap(region, 4096);
	close(uffd);
}

/*
 * An invoker killed while a supplicant thread copies its request out
 * (stalled on a userfaultfd page) waits for that copy to end before it
 * goes, since the copy reads its buffers; then the request is dropped
 * and the same RECV takes the next request instead.
 */
TEST_F(app, killed_invoker_waits_for_its_copy)
{
	struct late_invoker li = { .fd = self->fd, .app = self->r.app };
	struct stall_receiver sr = { .fd = self->fd };
	struct cb_call c = { .op = 1, .target = USER_OBJ_ID };
	pthread_t stalled, next;
	uint8_t data[64];
	int uffd, status;
	void *region;
	pid_t pid;

	uffd = uffd_page(&region);
	if (uffd < 0)
		SKIP(return, "no userfaultfd: %s", strerror(-uffd));
	sr.meta = region;
	qtee_supp_stop(&self->supp);

	memset(data, 0x5a, sizeof(data));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		c.data = data;
		c.len = sizeof(data);
		callback(self->fd, self->r.app, &c);
		_exit(0);
	}
	ASSERT_EQ(0, pthread_create(&stalled, NULL, stall_receiver_fn, &sr));
	ASSERT_EQ(0, uffd_wait_fault(uffd));

	/* Killed, the invoker still waits for the copy of its buffers. */
	ASSERT_EQ(0, kill(pid, SIGKILL));
	usleep(300000);
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));

	ASSERT_EQ(0, uffd_back(uffd, region));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	/* The dropped request is not delivered: the next one is. */
	ASSERT_EQ(0, pthread_create(&next, NULL, late_invoker_fn, &li));
	pthread_join(stalled, NULL);
	pthread_join(next, NULL);
	EXPECT_EQ(0, sr.err);
	EXPECT_EQ(1, sr.req.num_params);
	EXPECT_EQ(0, li.err);
	EXPECT_EQ(7, (int32_t)li.c.res[0]);
	munmap(region, 4096);
	close(uffd);
}

struct io_invoker {
	int fd;
	uint64_t app, env;
	uint32_t res[4], ret;
	int err;
};

static void *io_invoker_fn(void *arg)
{
	struct io_invoker *ii = arg;
	uint32_t hdr[4] = { 1, 0, 0, 0 };
	struct tee_ioctl_param p[5];

	qtee_ubuf_in(&p[0], hdr, sizeof(hdr));
	qtee_obj_in(&p[1], USER_OBJ_ID, QTEE_OBJREF_USER);
	qtee_obj_in(&p[2], ii->env, QTEE_OBJREF_TEE);
	qtee_obj_in(&p[3], USER_OBJ_ID + 3, QTEE_OBJREF_USER);
	qtee_ubuf_out(&p[4], ii->res, sizeof(ii->res));
	ii->err = qtee_invoke(ii->fd, ii->app, QTA_OP_CALLBACK, p, 5,
			      &ii->ret);
	return NULL;
}

/*
 * Objects QTEE passes to a callback object reach the supplicant as this
 * process names them: a QTEE object as a new handle of the file (the
 * supplicant owns it), the process's own callback object by its id.
 */
TEST_F(app, callback_receives_objects)
{
	struct io_invoker ii = {
		.fd = self->fd, .app = self->r.app, .env = self->r.env,
	};
	uint64_t meta[128 / 8];
	struct qtee_req req;
	pthread_t thread;

	qtee_supp_stop(&self->supp);
	ASSERT_EQ(0, pthread_create(&thread, NULL, io_invoker_fn, &ii));
	ASSERT_EQ(0, qtee_recv(self->fd, &req, meta, sizeof(meta), 4));
	EXPECT_EQ(USER_OBJ_ID, req.params[0].a);
	ASSERT_EQ(3, req.num_params);
	EXPECT_EQ(TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT, req.params[1].attr);
	EXPECT_EQ(QTEE_OBJREF_TEE, req.params[1].b);
	EXPECT_NE(self->r.env, req.params[1].a);
	EXPECT_EQ(TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT, req.params[2].attr);
	EXPECT_EQ(QTEE_OBJREF_USER, req.params[2].b);
	EXPECT_EQ(USER_OBJ_ID + 3, req.params[2].a);
	/* The new handle is the supplicant's to drop. */
	EXPECT_EQ(0, qtee_release(self->fd, req.params[1].a));
	EXPECT_EQ(0, qtee_send(self->fd, req.params[0].b, 5, req.params, 1));
	pthread_join(thread, NULL);
	ASSERT_EQ(0, ii.err);
	EXPECT_EQ(0, ii.ret);
	EXPECT_EQ(5, (int32_t)ii.res[0]);
}

TEST_F(app, callback_buffers_in_and_out)
{
	uint8_t data[100], back[100];
	struct cb_call c = {
		.op = 9, .ob_size = sizeof(back), .flags = QTA_CB_EXPECT_OB,
		.data = data, .len = sizeof(data), .target = USER_OBJ_ID,
		.cb_out = back, .cb_cap = sizeof(back),
	};
	unsigned int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = i;
	self->cs.mode = CB_INVERT;
	ASSERT_EQ(0, callback(self->fd, self->r.app, &c));
	ASSERT_EQ(0, c.ret);
	EXPECT_EQ(0, (int32_t)c.res[0]);
	EXPECT_EQ(sizeof(data), c.res[1]);
	EXPECT_EQ(9, self->cs.last_op);
	EXPECT_EQ(1, self->cs.calls);
	for (i = 0; i < sizeof(data); i++)
		ASSERT_EQ((uint8_t)~data[i], back[i]);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(USER_OBJ_ID, self->supp.released_ids[0]);
}

TEST_F(app, callback_error_reaches_qtee)
{
	struct cb_call c = { .op = 1, .target = USER_OBJ_ID };

	self->cs.mode = CB_ERROR;
	ASSERT_EQ(0, callback(self->fd, self->r.app, &c));
	ASSERT_EQ(0, c.ret);
	EXPECT_EQ(77, (int32_t)c.res[0]);
}

TEST_F(app, callback_returns_objects)
{
	struct tee_ioctl_param oo[2];
	struct cb_call c = {
		.op = 3, .num_oo = 2, .target = USER_OBJ_ID, .oo = oo,
	};

	/* The callback returns another callback object of ours. */
	self->cs.mode = CB_INVERT;
	self->cs.obj_id = USER_OBJ_ID + 1;
	self->cs.obj_flags = QTEE_OBJREF_USER;
	ASSERT_EQ(0, callback(self->fd, self->r.app, &c));
	ASSERT_EQ(0, c.ret);
	EXPECT_EQ(0, (int32_t)c.res[0]);
	EXPECT_EQ(2, c.res[2]);
	EXPECT_EQ(3, c.res[3] & 0xff);
	/* Our own objects come back to us under our ids. */
	EXPECT_EQ(USER_OBJ_ID + 1, oo[0].a);
	EXPECT_EQ(QTEE_OBJREF_USER, oo[0].b);
	EXPECT_EQ(USER_OBJ_ID + 1, oo[1].a);
	/* The target object is released by QTEE. */
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
}

TEST_F(app, callback_returns_null_object)
{
	struct tee_ioctl_param oo[1];
	struct cb_call c = {
		.op = 3, .num_oo = 1, .target = USER_OBJ_ID, .oo = oo,
	};

	self->cs.obj_id = TEE_OBJREF_NULL;
	self->cs.obj_flags = 0;
	ASSERT_EQ(0, callback(self->fd, self->r.app, &c));
	ASSERT_EQ(0, c.ret);
	EXPECT_EQ(0, (int32_t)c.res[0]);
	EXPECT_EQ(TEE_OBJREF_NULL, oo[0].a);
}

/* Answers the driver refuses: QTEE gets an error, the supplicant too. */
FIXTURE(app_bad_answer) {
	FIXTURE_DATA(app) a;
};

FIXTURE_VARIANT(app_bad_answer) {
	int mode;	/* CB_* of app_handler() */
};

FIXTURE_VARIANT_ADD(app_bad_answer, wrong_output_attr) {
	.mode = CB_WRONG_ATTR,
};

FIXTURE_VARIANT_ADD(app_bad_answer, output_too_large) {
	.mode = CB_TOO_BIG,
};

FIXTURE_SETUP(app_bad_answer)
{
	app_up(_metadata, &self->a);
}

FIXTURE_TEARDOWN(app_bad_answer)
{
	app_down(_metadata, &self->a);
}

TEST_F(app_bad_answer, refused)
{
	uint8_t data[8] = { 0 }, back[8];
	unsigned int answered = self->a.supp.requests;
	struct cb_call c = {
		.op = 1, .ob_size = sizeof(back), .data = data,
		.len = sizeof(data), .target = USER_OBJ_ID, .cb_out = back,
		.cb_cap = sizeof(back),
	};

	self->a.cs.mode = variant->mode;
	ASSERT_EQ(0, callback(self->a.fd, self->a.r.app, &c));
	ASSERT_EQ(0, c.ret);
	EXPECT_NE(0, (int32_t)c.res[0]);
	EXPECT_EQ(0, qtee_supp_wait_requests(&self->a.supp, answered + 1,
					     3000));
	EXPECT_EQ(1, self->a.supp.send_errors);
}

TEST_F(app, callback_many_two_threads)
{
	struct tee_ioctl_param p[3];
	uint32_t hdr[2] = { 5, 200 }, out[2] = { 0 }, ret = ~0u;

	self->cs.mode = CB_INDEX;
	qtee_ubuf_in(&p[0], hdr, sizeof(hdr));
	qtee_obj_in(&p[1], USER_OBJ_ID, QTEE_OBJREF_USER);
	qtee_ubuf_out(&p[2], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_CALLBACK_MANY, p,
				 3, &ret));
	ASSERT_EQ(0, ret);
	/* sum over i < 200 of (i + 1) */
	EXPECT_EQ(200 * 201 / 2, out[0]);
	EXPECT_EQ(0, (int32_t)out[1]);
	EXPECT_EQ(200, self->cs.calls);
}

struct par_arg {
	int fd;
	uint64_t app;
	int ok;
};

static void *par_echo(void *arg)
{
	struct par_arg *pa = arg;
	struct tee_ioctl_param p[2];
	uint32_t in[16], out[16], ret;
	int i, k;

	pa->ok = 1;
	for (k = 0; k < 50; k++) {
		for (i = 0; i < 16; i++)
			in[i] = k * 100 + i + (int)(uintptr_t)pa;
		qtee_ubuf_in(&p[0], in, sizeof(in));
		qtee_ubuf_out(&p[1], out, sizeof(out));
		if (qtee_invoke(pa->fd, pa->app, QTA_OP_ECHO, p, 2, &ret) ||
		    ret || memcmp(in, out, sizeof(in)))
			pa->ok = 0;
	}
	return NULL;
}

TEST_F(app, concurrent_invocations)
{
	struct par_arg pa[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		pa[i].fd = self->fd;
		pa[i].app = self->r.app;
		ASSERT_EQ(0, pthread_create(&t[i], NULL, par_echo, &pa[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		EXPECT_TRUE(pa[i].ok);
	}
}

/* QTA_OP_HOLD: the app keeps this process's object @id; its slot. */
static int app_hold(int fd, uint64_t app, uint64_t id, uint32_t *slot,
		    uint32_t *ret)
{
	struct tee_ioctl_param p[2];

	qtee_obj_in(&p[0], id, QTEE_OBJREF_USER);
	qtee_ubuf_out(&p[1], slot, 4);
	return qtee_invoke(fd, app, QTA_OP_HOLD, p, 2, ret);
}

/* QTA_OP_RELEASE_HELD of @slot (or QTA_SLOT_ALL), in the given @mode. */
static int app_release_held(int fd, uint64_t app, uint32_t slot,
			    uint32_t mode, uint32_t *ret)
{
	uint32_t rel[2] = { slot, mode };
	struct tee_ioctl_param p[1];

	qtee_ubuf_in(&p[0], rel, sizeof(rel));
	return qtee_invoke(fd, app, QTA_OP_RELEASE_HELD, p, 1, ret);
}

TEST_F(app, hold_and_release_callback_object)
{
	uint32_t slot = ~0u, ret = ~0u;

	ASSERT_EQ(0, app_hold(self->fd, self->r.app, USER_OBJ_ID, &slot,
			      &ret));
	ASSERT_EQ(0, ret);
	ASSERT_GT(QTA_HOLD_SLOTS, slot);
	usleep(100000);
	EXPECT_EQ(0, self->supp.releases);
	ASSERT_EQ(0, app_release_held(self->fd, self->r.app, slot,
				      QTA_RELEASE_ASYNC, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(USER_OBJ_ID, self->supp.released_ids[0]);
}

/*
 * QTEE owns the callback objects of every request it saw, failed ones
 * too: a call QTEE fails with this process's object as an input is
 * followed by the object's release notification, once. The same object
 * held by QTEE at the same time stays held.
 */
TEST_F(app, failed_call_releases_callback_object)
{
	struct tee_ioctl_param p[2];
	uint32_t slot = ~0u, ret = ~0u;
	int32_t code = 42;

	ASSERT_EQ(0, app_hold(self->fd, self->r.app, USER_OBJ_ID, &slot,
			      &ret));
	ASSERT_EQ(0, ret);

	/* RETURN_ERROR with an extra object: the call fails (2). */
	qtee_ubuf_in(&p[0], &code, sizeof(code));
	qtee_obj_in(&p[1], USER_OBJ_ID + 1, QTEE_OBJREF_USER);
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_RETURN_ERROR, p,
				 2, &ret));
	EXPECT_NE(0, ret);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(USER_OBJ_ID + 1, self->supp.released_ids[0]);

	/* The held one is still QTEE's until it lets it go. */
	usleep(100000);
	EXPECT_EQ(1, self->supp.releases);
	ASSERT_EQ(0, app_release_held(self->fd, self->r.app, slot,
				      QTA_RELEASE_ASYNC, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 2, 3000));
	EXPECT_EQ(USER_OBJ_ID, self->supp.released_ids[1]);
}

TEST_F(app, hold_release_by_callback)
{
	uint32_t slot = ~0u, ret = ~0u;

	ASSERT_EQ(0, app_hold(self->fd, self->r.app, USER_OBJ_ID, &slot,
			      &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, app_release_held(self->fd, self->r.app, slot,
				      QTA_RELEASE_CALLBACK, &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	EXPECT_EQ(USER_OBJ_ID, self->supp.released_ids[0]);
	/* A release is never answered: no request went to the handler. */
	EXPECT_EQ(0, self->cs.calls);
}

/*
 * A file has at most max_user_objects callback objects, counting those
 * whose release notification it has not received yet: one more fails the
 * call with ENOSPC before it reaches QTEE, and the file keeps working once
 * the notification was received.
 */
TEST_F(app, user_object_limit)
{
	uint32_t slot = ~0u, ret = ~0u;
	int err;

	/* QTEE holds the fixture's credentials object: one and one more. */
	ASSERT_EQ(0, set_param("max_user_objects", 2));
	EXPECT_EQ(0, app_hold(self->fd, self->r.app, USER_OBJ_ID, &slot,
			      &ret));
	EXPECT_EQ(0, ret);
	err = app_hold(self->fd, self->r.app, USER_OBJ_ID + 1, &slot, &ret);
	EXPECT_EQ(-ENOSPC, err);

	EXPECT_EQ(0, app_release_held(self->fd, self->r.app, QTA_SLOT_ALL,
				      QTA_RELEASE_ASYNC, &ret));
	EXPECT_EQ(0, qtee_supp_wait_releases(&self->supp, 1, 3000));
	/* Received: the object no longer counts. */
	EXPECT_EQ(0, app_hold(self->fd, self->r.app, USER_OBJ_ID + 2, &slot,
			      &ret));
	EXPECT_EQ(0, ret);
	ASSERT_EQ(0, set_param("max_user_objects", 4096));
	EXPECT_EQ(0, app_release_held(self->fd, self->r.app, QTA_SLOT_ALL,
				      QTA_RELEASE_ASYNC, &ret));
	EXPECT_EQ(0, qtee_supp_wait_releases(&self->supp, 2, 3000));
}

TEST_F(app, memory_object_read_write)
{
	struct tee_ioctl_param p[3];
	struct { uint64_t off; uint32_t len, slot; } rd = { 100, 16, 0 };
	struct { uint64_t off; uint32_t slot, pad; } wr = { 4000, 0, 0 };
	uint8_t out[16], data[8] = "qcomtee";
	uint32_t ret = ~0u;
	size_t mapped;
	uint8_t *map;
	int id, sfd, i;

	id = qtee_shm_alloc(self->fd, 8192, (void **)&map, &mapped, &sfd);
	ASSERT_LE(0, id);
	for (i = 0; i < 16; i++)
		map[100 + i] = 0xc0 + i;
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_ubuf_in(&p[1], &rd, sizeof(rd));
	qtee_ubuf_out(&p[2], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_MEM_READ, p, 3,
				 &ret));
	ASSERT_EQ(0, ret);
	ASSERT_EQ(16, p[2].b);
	ASSERT_EQ(0, memcmp(out, map + 100, 16));
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_ubuf_in(&p[1], &wr, sizeof(wr));
	qtee_ubuf_in(&p[2], data, sizeof(data));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_MEM_WRITE, p, 3,
				 &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, memcmp(map + 4000, data, sizeof(data)));
	/* Beyond the object: a range error from the app. */
	rd.off = mapped;
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_ubuf_in(&p[1], &rd, sizeof(rd));
	qtee_ubuf_out(&p[2], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_MEM_READ, p, 3,
				 &ret));
	EXPECT_EQ(QTA_ERR_RANGE, ret);
	munmap(map, mapped);
	close(sfd);
}

TEST_F(app, info_reports_credentials)
{
	struct tee_ioctl_param p[1];
	struct { uint32_t uid, privileged; uint64_t time; } info;
	uint32_t ret = ~0u;

	memset(&info, 0xff, sizeof(info));
	qtee_ubuf_out(&p[0], &info, sizeof(info));
	ASSERT_EQ(0, qtee_invoke(self->fd, self->r.app, QTA_OP_INFO, p, 1,
				 &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(getuid(), info.uid);
	EXPECT_EQ(0, info.privileged);
	EXPECT_LT(0, info.time);
}

TEST_F(app, signal_during_long_invocation)
{
	struct sigaction sa = { .sa_handler = noop_handler };
	struct itimerval it = { .it_value = { 0, 100000 } };
	struct tee_ioctl_param p[1];
	uint32_t ms = 500, ret = ~0u;
	uint64_t t0;
	int err;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	qtee_ubuf_in(&p[0], &ms, 4);
	t0 = now_ms();
	err = qtee_invoke(self->fd, self->r.app, QTA_OP_SLEEP, p, 1, &ret);
	/* The call completes in QTEE; the signal does not break it. */
	EXPECT_EQ(0, err);
	EXPECT_EQ(0, ret);
	EXPECT_LE(450, now_ms() - t0);
}

/* ---- malformed invocations ------------------------------------------ */

struct bad_param {
	const char *name;
	uint64_t attr, a, b;
	int err;
};

static const struct bad_param bad_params[] = {
	{ "attr_unknown", 0x55, 0, 0, -EINVAL },
	{ "attr_meta_bit", TEE_IOCTL_PARAM_ATTR_META |
	  TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT, 0, 0, -EINVAL },
	{ "attr_high_bits", 0x100000008ull, 0, 0, -EINVAL },
	{ "value_input", TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INPUT, 1, 2, -EINVAL },
	{ "value_output", TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT, 0, 0,
	  -EINVAL },
	{ "memref_input", TEE_IOCTL_PARAM_ATTR_TYPE_MEMREF_INPUT,
	  TEE_MEMREF_NULL, 0, -EINVAL },
	{ "ubuf_inout", TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INOUT, 0, 0, -EINVAL },
	{ "objref_inout", TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INOUT,
	  TEE_OBJREF_NULL, 0, -EINVAL },
	{ "objref_bad_flags", TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT, 1, 8,
	  -EINVAL },
	{ "objref_unknown_handle", TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT,
	  4242, QTEE_OBJREF_TEE, -EINVAL },
	{ "objref_unknown_shm", TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT,
	  4242, QTEE_OBJREF_MEM, -EINVAL },
	{ "ubuf_kernel_address", TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT,
	  0xffff800000000000ull, 16, -EFAULT },
	{ "ubuf_huge_size", TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT,
	  0x10000, 1ull << 62, -EFAULT },
};

TEST(malformed_params)
{
	uint32_t ret;
	unsigned int i;
	int fd, err;

	OPEN_OR_SKIP(fd);
	for (i = 0; i < ARRAY_SIZE(bad_params); i++) {
		const struct bad_param *bp = &bad_params[i];
		struct tee_ioctl_param p[2] = {
			{ .attr = bp->attr, .a = bp->a, .b = bp->b },
		};

		qtee_obj_out(&p[1]);
		err = qtee_invoke(fd, TEE_OBJREF_NULL, QTEE_ROOT_OP_REGISTER,
				  p, 2, &ret);
		EXPECT_EQ(bp->err, err) {
			TH_LOG("%s: got %d", bp->name, err);
		}
	}
	close(fd);
}

TEST(too_many_per_class)
{
	struct tee_ioctl_param p[17];
	uint32_t ret, v = 0;
	int fd, i;

	OPEN_OR_SKIP(fd);
	for (i = 0; i < 16; i++)
		qtee_ubuf_in(&p[i], &v, 4);
	qtee_obj_out(&p[16]);
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, TEE_OBJREF_NULL,
				       QTEE_ROOT_OP_REGISTER, p, 17, &ret));
	for (i = 0; i < 16; i++)
		qtee_obj_out(&p[i]);
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, TEE_OBJREF_NULL,
				       QTEE_ROOT_OP_REGISTER, p, 16, &ret));
	close(fd);
}

TEST(too_many_params)
{
	struct {
		struct tee_ioctl_object_invoke_arg arg;
		struct tee_ioctl_param p[65];
	} buf;
	uint32_t v;
	int fd, i;

	OPEN_OR_SKIP(fd);
	memset(&buf, 0, sizeof(buf));
	buf.arg.id = TEE_OBJREF_NULL;
	buf.arg.op = QTEE_ROOT_OP_REGISTER;
	buf.arg.num_params = 65;
	for (i = 0; i < 65; i++)
		qtee_ubuf_in(&buf.p[i], &v, 4);
	EXPECT_EQ(-EINVAL, qtee_invoke_raw(fd, &buf, sizeof(buf)));
	close(fd);
}

TEST(bad_ids_and_ops)
{
	struct sim_stats before, after;
	uint32_t ret;
	int fd, counted;

	OPEN_OR_SKIP(fd);
	counted = !sim_read_stats(&before);
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, 12345, 0, NULL, 0, &ret));
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, 1ull << 32, 0, NULL, 0, &ret));
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, 0, 0, NULL, 0, &ret));
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, TEE_OBJREF_NULL, QTEE_OP_RETAIN,
				       NULL, 0, &ret));
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, TEE_OBJREF_NULL, 0x10000, NULL, 0,
				       &ret));
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, TEE_OBJREF_NULL, 0x10002, NULL, 0,
				       &ret));
	EXPECT_EQ(-EINVAL, qtee_invoke(fd, TEE_OBJREF_NULL, 0xffffffff, NULL,
				       0, &ret));
	EXPECT_EQ(-EINVAL, qtee_release(fd, 777));
	/* Refused in the kernel: QTEE saw none of these, only our read. */
	if (counted) {
		ASSERT_EQ(0, sim_read_stats(&after));
		EXPECT_EQ(before.invocations + 1, after.invocations);
	}
	close(fd);
}

TEST(root_privileged_ops_refused)
{
	static const uint32_t ops[] = { 4, 8, 9 };
	struct sim_stats before, after;
	struct tee_ioctl_param p[2];
	uint32_t ret;
	unsigned int i;
	int fd, counted;

	OPEN_OR_SKIP(fd);
	counted = !sim_read_stats(&before);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(-EPERM, qtee_invoke(fd, TEE_OBJREF_NULL, ops[i],
					      NULL, 0, &ret));
	/* ROOT op 5 with the NULL credential claims kernel privilege. */
	qtee_obj_in(&p[0], TEE_OBJREF_NULL, 0);
	qtee_obj_out(&p[1]);
	EXPECT_EQ(-EPERM, qtee_invoke(fd, TEE_OBJREF_NULL,
				      QTEE_ROOT_OP_REGISTER_CRED, p, 2, &ret));
	/* ... and so does op 5 with no credential argument at all. */
	qtee_obj_out(&p[0]);
	EXPECT_EQ(-EPERM, qtee_invoke(fd, TEE_OBJREF_NULL,
				      QTEE_ROOT_OP_REGISTER_CRED, p, 1, &ret));
	/* QTEE saw none of these, only our read. */
	if (counted) {
		ASSERT_EQ(0, sim_read_stats(&after));
		EXPECT_EQ(before.invocations + 1, after.invocations);
	}
	close(fd);
}

TEST(buffer_length_mismatch)
{
	struct {
		struct tee_ioctl_object_invoke_arg arg;
		struct tee_ioctl_param p[3];
	} buf;
	int fd;

	OPEN_OR_SKIP(fd);
	memset(&buf, 0, sizeof(buf));
	buf.arg.id = TEE_OBJREF_NULL;
	buf.arg.op = 0;
	buf.arg.num_params = 2;
	EXPECT_EQ(-EINVAL, qtee_invoke_raw(fd, &buf, sizeof(buf.arg) + 32));
	EXPECT_EQ(-EINVAL, qtee_invoke_raw(fd, &buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, qtee_invoke_raw(fd, &buf, sizeof(buf.arg) + 65));
	EXPECT_EQ(-EINVAL, qtee_invoke_raw(fd, &buf, 16));
	EXPECT_EQ(-EINVAL, qtee_invoke_raw(fd, &buf, 0));
	close(fd);
}

TEST(buffer_too_large)
{
	static uint8_t big[8192];
	int fd;

	OPEN_OR_SKIP(fd);
	EXPECT_EQ(-E2BIG, qtee_invoke_raw(fd, big, 4096 + 32));
	EXPECT_EQ(-E2BIG, qtee_invoke_raw(fd, big, sizeof(big)));
	close(fd);
}

TEST(bad_pointers)
{
	struct tee_ioctl_buf_data *bd = (void *)8;
	int fd;

	OPEN_OR_SKIP(fd);
	EXPECT_EQ(-EFAULT, qtee_invoke_raw(fd, (void *)8, 24));
	EXPECT_EQ(-1, ioctl(fd, TEE_IOC_OBJECT_INVOKE, bd));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, TEE_IOC_VERSION, (void *)16));
	EXPECT_EQ(EFAULT, errno);
	close(fd);
}

TEST(shm_other_fd)
{
	struct tee_ioctl_param p[2];
	size_t mapped;
	uint32_t ret;
	void *map;
	int fd, fd2, id, sfd;

	OPEN_OR_SKIP(fd);
	fd2 = qtee_open();
	ASSERT_LE(0, fd2);
	id = qtee_shm_alloc(fd, 4096, &map, &mapped, &sfd);
	ASSERT_LE(0, id);
	/* The shm belongs to fd, not fd2. */
	qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
	qtee_obj_out(&p[1]);
	EXPECT_EQ(-EINVAL, qtee_invoke(fd2, TEE_OBJREF_NULL,
				       QTEE_ROOT_OP_REGISTER, p, 2, &ret));
	munmap(map, mapped);
	close(sfd);
	close(fd2);
	close(fd);
}

TEST(handles_belong_to_the_fd)
{
	struct qtee_supp supp;
	uint64_t env, svc;
	int fd, fd2;

	OPEN_OR_SKIP(fd);
	fd2 = qtee_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 1, NULL, NULL));
	ASSERT_EQ(0, qtee_get_env(fd, QTEE_CRED_ID_BASE, &env));
	EXPECT_EQ(-EINVAL, qtee_open_service(fd2, env, QTEE_UID_DIAG, &svc));
	EXPECT_EQ(-EINVAL, qtee_release(fd2, env));
	EXPECT_EQ(0, qtee_release(fd, env));
	qtee_supp_stop(&supp);
	close(fd2);
	close(fd);
}

/* ---- supplicant ABI ------------------------------------------------- */

static int recv_raw(int fd, struct qtee_req *req, unsigned int n)
{
	struct tee_ioctl_buf_data d = {
		.buf_ptr = (uintptr_t)req,
		.buf_len = 8 + n * sizeof(struct tee_ioctl_param),
	};

	req->num_params = n;
	return ioctl(fd, TEE_IOC_SUPPL_RECV, &d) ? -errno : 0;
}

TEST(recv_bad_arguments)
{
	uint64_t meta[16];
	struct qtee_req req;
	int fd;

	OPEN_OR_SKIP(fd);
	memset(&req, 0, sizeof(req));
	/* no META param */
	req.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT;
	req.params[0].a = (uintptr_t)meta;
	req.params[0].b = sizeof(meta);
	EXPECT_EQ(-EINVAL, recv_raw(fd, &req, 2));
	/* misaligned meta buffer */
	req.params[0].attr = QTEE_META_RECV;
	req.params[0].a = (uintptr_t)meta + 4;
	EXPECT_EQ(-EINVAL, recv_raw(fd, &req, 2));
	/* other params not NONE */
	req.params[0].a = (uintptr_t)meta;
	req.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	EXPECT_EQ(-EINVAL, recv_raw(fd, &req, 2));
	/* no params at all */
	EXPECT_EQ(-EINVAL, recv_raw(fd, &req, 0));
	/* meta buffer in kernel space */
	req.params[1].attr = 0;
	req.params[0].a = 0xffff800000000000ull;
	EXPECT_EQ(-EINVAL, recv_raw(fd, &req, 2));
	close(fd);
}

TEST(send_bad_arguments)
{
	struct tee_ioctl_param p[2];
	struct {
		uint32_t ret, num;
		struct tee_ioctl_param p[1];
	} sb;
	struct tee_ioctl_buf_data d = {
		.buf_ptr = (uintptr_t)&sb, .buf_len = sizeof(sb),
	};
	int fd;

	OPEN_OR_SKIP(fd);
	memset(p, 0, sizeof(p));
	/* no such request */
	EXPECT_EQ(-EINVAL, qtee_send(fd, 1, 0, p, 1));
	EXPECT_EQ(-EINVAL, qtee_send(fd, 0, 5, p, 1));
	EXPECT_EQ(-EINVAL, qtee_send(fd, 1ull << 40, 0, p, 1));
	/* wrong meta attr */
	memset(&sb, 0, sizeof(sb));
	sb.num = 1;
	sb.p[0].attr = QTEE_META_RECV;
	EXPECT_EQ(-1, ioctl(fd, TEE_IOC_SUPPL_SEND, &d));
	EXPECT_EQ(EINVAL, errno);
	sb.p[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT;
	EXPECT_EQ(-1, ioctl(fd, TEE_IOC_SUPPL_SEND, &d));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST(recv_interrupted_by_signal)
{
	struct sigaction sa = { .sa_handler = noop_handler };
	struct itimerval it = { .it_value = { 0, 200000 } };
	uint64_t meta[128], t0;
	struct qtee_req req;
	int fd;

	OPEN_OR_SKIP(fd);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = now_ms();
	EXPECT_EQ(-EINTR, qtee_recv(fd, &req, meta, sizeof(meta), 11));
	EXPECT_LE(150, now_ms() - t0);
	close(fd);
}

struct restart_arg {
	int fd;
	int err;
	uint32_t func;
	uint64_t obj;
};

static void *restart_recv(void *arg)
{
	struct restart_arg *ra = arg;
	uint64_t meta[128];
	struct qtee_req req;

	ra->err = qtee_recv(ra->fd, &req, meta, sizeof(meta), 11);
	ra->func = req.func;
	ra->obj = req.params[0].a;
	return NULL;
}

TEST(recv_restarts_after_sa_restart_signal)
{
	struct sigaction sa = { .sa_handler = noop_handler,
				.sa_flags = SA_RESTART };
	struct restart_arg ra = { .err = 1 };
	struct qtee_supp supp;
	uint64_t env;
	pthread_t t;
	int fd;

	OPEN_OR_SKIP(fd);
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 1, NULL, NULL));
	ASSERT_EQ(0, qtee_get_env(fd, QTEE_CRED_ID_BASE, &env));
	qtee_supp_stop(&supp);

	sigaction(SIGUSR2, &sa, NULL);
	ra.fd = fd;
	ASSERT_EQ(0, pthread_create(&t, NULL, restart_recv, &ra));
	usleep(100000);
	pthread_kill(t, SIGUSR2);
	usleep(100000);
	EXPECT_EQ(1, ra.err);	/* still waiting */
	/* Releasing the env makes QTEE release our credentials. */
	ASSERT_EQ(0, qtee_release(fd, env));
	pthread_join(t, NULL);
	EXPECT_EQ(0, ra.err);
	EXPECT_EQ(QTEE_OP_RELEASE, ra.func);
	EXPECT_EQ(QTEE_CRED_ID_BASE, ra.obj);
	close(fd);
}

/* ROOT op 2 in a thread, so that the test itself can be the supplicant. */
struct env_arg {
	int fd;
	int err;
	uint64_t env;
};

static void *env_thread(void *arg)
{
	struct env_arg *ea = arg;

	ea->err = qtee_get_env(ea->fd, QTEE_CRED_ID_BASE, &ea->env);
	return NULL;
}

/* Answers getLength of a 7-byte credentials object. */
static int answer_get_length(int fd, struct qtee_req *req, uint64_t *len,
			     uint64_t n)
{
	*len = n;
	qtee_ubuf_out(&req->params[1], len, 8);
	return qtee_send(fd, req->params[0].b, 0, req->params, 2);
}

/*
 * A second request (readAtOffset: meta, an 8-byte IB, an OB) that does not
 * fit the receiver's buffers is refused, and the request fails in QTEE,
 * so does the registration.
 */
FIXTURE(recv_short) {
	int fd;
};

FIXTURE_VARIANT(recv_short) {
	size_t meta_len;
	unsigned int capacity;
};

/* Its 8-byte input does not fit in 4 bytes of meta. */
FIXTURE_VARIANT_ADD(recv_short, meta_too_small) {
	.meta_len = 4,
	.capacity = 11,
};

/* Two slots are not enough for meta + IB + OB. */
FIXTURE_VARIANT_ADD(recv_short, too_few_slots) {
	.meta_len = 128 * 8,
	.capacity = 2,
};

FIXTURE_SETUP(recv_short)
{
	OPEN_OR_SKIP(self->fd);
}

FIXTURE_TEARDOWN(recv_short)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(recv_short, fails_request)
{
	struct env_arg ea = { .err = 1, .fd = self->fd };
	uint64_t meta[128], len;
	struct qtee_req req;
	pthread_t t;

	ASSERT_EQ(0, pthread_create(&t, NULL, env_thread, &ea));
	ASSERT_EQ(0, qtee_recv(self->fd, &req, meta, sizeof(meta), 11));
	ASSERT_EQ(0, req.func);
	ASSERT_EQ(2, req.num_params);
	ASSERT_EQ(TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT, req.params[1].attr);
	ASSERT_EQ(8, req.params[1].b);
	ASSERT_EQ(0, answer_get_length(self->fd, &req, &len, 7));
	EXPECT_EQ(-EINVAL, qtee_recv(self->fd, &req, meta, variant->meta_len,
				     variant->capacity));
	pthread_join(t, NULL);
	EXPECT_NE(0, ea.err);
}

/*
 * A request SUPPL_RECV took but could not copy out (here: a read-only
 * argument buffer) fails at once. It used to stay active with an id
 * nobody learnt, leaving the caller waiting until the fd was closed
 * (found by the fuzzer with fail_page_alloc on the supplicant).
 */
TEST(recv_unwritable_buffer_fails_request)
{
	struct env_arg ea = { .err = 0 };
	struct tee_ioctl_buf_data data;
	struct qtee_req *req;
	uint64_t meta[128];
	unsigned int i;
	pthread_t t;
	int fd;

	OPEN_OR_SKIP(fd);
	req = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, req);
	req->num_params = 11;
	req->params[0].attr = QTEE_META_RECV;
	req->params[0].a = (uintptr_t)meta;
	req->params[0].b = sizeof(meta);
	for (i = 1; i < 11; i++)
		req->params[i].attr = TEE_IOCTL_PARAM_ATTR_TYPE_NONE;
	ASSERT_EQ(0, mprotect(req, 4096, PROT_READ));
	data.buf_ptr = (uintptr_t)req;
	data.buf_len = 8 + 11 * sizeof(struct tee_ioctl_param);

	ea.fd = fd;
	ASSERT_EQ(0, pthread_create(&t, NULL, env_thread, &ea));
	EXPECT_EQ(-1, ioctl(fd, TEE_IOC_SUPPL_RECV, &data));
	EXPECT_EQ(EFAULT, errno);
	/* The credentials callback failed in QTEE: so did the registration. */
	pthread_join(t, NULL);
	EXPECT_NE(0, ea.err);
	munmap(req, 4096);
	close(fd);
}

TEST(read_at_offset_layout_and_double_send)
{
	struct env_arg ea = { .err = 1 };
	uint64_t meta[128], len, off;
	uint8_t cred[32], *ib;
	size_t n;
	struct qtee_req req;
	pthread_t t;
	int fd;

	OPEN_OR_SKIP(fd);
	ea.fd = fd;
	n = qtee_cbor_cred(cred, sizeof(cred), 0, 5);
	ASSERT_EQ(5, n);
	ASSERT_EQ(0, pthread_create(&t, NULL, env_thread, &ea));
	ASSERT_EQ(0, qtee_recv(fd, &req, meta, sizeof(meta), 11));
	ASSERT_EQ(QTEE_CRED_ID_BASE, req.params[0].a);
	ASSERT_EQ(0, req.params[0].c);
	ASSERT_EQ(0, answer_get_length(fd, &req, &len, n));
	ASSERT_EQ(0, qtee_recv(fd, &req, meta, sizeof(meta), 11));
	ASSERT_EQ(1, req.func);
	ASSERT_EQ(3, req.num_params);
	/* The input buffer is packed at the end of the meta buffer. */
	ASSERT_EQ(TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT, req.params[1].attr);
	ASSERT_EQ(8, req.params[1].b);
	ib = (uint8_t *)(uintptr_t)req.params[1].a;
	EXPECT_EQ((uintptr_t)meta + sizeof(meta) - 8, (uintptr_t)ib);
	memcpy(&off, ib, 8);
	EXPECT_EQ(0, off);
	ASSERT_EQ(TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT, req.params[2].attr);
	EXPECT_EQ(0, req.params[2].a);
	ASSERT_LE(n, req.params[2].b);
	req.params[2].a = (uintptr_t)cred;
	req.params[2].b = n;
	ASSERT_EQ(0, qtee_send(fd, req.params[0].b, 0, req.params, 3));
	/* A request is answered once. */
	EXPECT_EQ(-EINVAL, qtee_send(fd, req.params[0].b, 0, req.params, 3));
	pthread_join(t, NULL);
	ASSERT_EQ(0, ea.err);
	ASSERT_EQ(0, qtee_release(fd, ea.env));
	/* The release notification: func 0xFFFF, never answered. */
	ASSERT_EQ(0, qtee_recv(fd, &req, meta, sizeof(meta), 11));
	EXPECT_EQ(QTEE_OP_RELEASE, req.func);
	EXPECT_EQ(1, req.num_params);
	EXPECT_EQ(QTEE_CRED_ID_BASE, req.params[0].a);
	EXPECT_EQ(-EINVAL, qtee_send(fd, req.params[0].b, 0, req.params, 1));
	close(fd);
}

TEST(several_supplicant_threads)
{
	struct qtee_supp supp;
	uint64_t env[6];
	int fd, i;

	OPEN_OR_SKIP(fd);
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 4, NULL, NULL));
	for (i = 0; i < 6; i++)
		ASSERT_EQ(0, qtee_get_env(fd, QTEE_CRED_ID_BASE + i, &env[i]));
	for (i = 0; i < 6; i++)
		ASSERT_EQ(0, qtee_release(fd, env[i]));
	ASSERT_EQ(0, qtee_supp_wait_releases(&supp, 6, 3000));
	usleep(100000);
	/* each request went to exactly one thread */
	EXPECT_EQ(6, supp.releases);
	EXPECT_LE(12, supp.requests);
	EXPECT_EQ(0, supp.send_errors);
	qtee_supp_stop(&supp);
	EXPECT_EQ(0, supp.recv_error);
	close(fd);
}

TEST(credentials_error_fails_register)
{
	struct qtee_supp supp;
	uint64_t env = 0;
	int fd, err;

	OPEN_OR_SKIP(fd);
	/* An object that answers every call with an error. */
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 1, NULL, NULL));
	supp.cred_len = 0;	/* getLength says 0: invalid credentials */
	err = qtee_get_env(fd, 7, &env);
	EXPECT_LT(0, err);
	qtee_supp_stop(&supp);
	close(fd);
}

/* ---- processes ------------------------------------------------------ */

TEST(fork_child_uses_parent_handles)
{
	struct qtee_supp supp;
	uint64_t env, svc;
	int fd, status;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 1, NULL, NULL));
	ASSERT_EQ(0, qtee_get_env(fd, QTEE_CRED_ID_BASE, &env));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* Handles belong to the fd, which the child shares. */
		if (qtee_open_service(fd, env, QTEE_UID_DIAG, &svc))
			_exit(1);
		if (qtee_release(fd, svc))
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The parent's handle survives the child. */
	ASSERT_EQ(0, qtee_open_service(fd, env, QTEE_UID_DIAG, &svc));
	EXPECT_EQ(0, qtee_release(fd, svc));
	EXPECT_EQ(0, qtee_release(fd, env));
	qtee_supp_stop(&supp);
	close(fd);
}

TEST(fork_child_release_is_shared)
{
	struct qtee_supp supp;
	uint64_t env, svc;
	int fd, status;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 1, NULL, NULL));
	ASSERT_EQ(0, qtee_get_env(fd, QTEE_CRED_ID_BASE, &env));
	ASSERT_EQ(0, qtee_open_service(fd, env, QTEE_UID_DIAG, &svc));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(qtee_release(fd, svc) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* The child released the fd's handle: it is gone for us too. */
	EXPECT_EQ(-EINVAL, qtee_release(fd, svc));
	EXPECT_EQ(0, qtee_release(fd, env));
	qtee_supp_stop(&supp);
	close(fd);
}

TEST(fork_child_closing_keeps_parent_fd)
{
	struct qtee_supp supp;
	uint64_t env, svc;
	int fd, status;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	ASSERT_EQ(0, qtee_supp_start(&supp, fd, 1, NULL, NULL));
	ASSERT_EQ(0, qtee_get_env(fd, QTEE_CRED_ID_BASE, &env));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(fd);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, qtee_open_service(fd, env, QTEE_UID_DIAG, &svc));
	EXPECT_EQ(0, qtee_release(fd, svc));
	EXPECT_EQ(0, qtee_release(fd, env));
	qtee_supp_stop(&supp);
	close(fd);
}

TEST(fork_child_serves_callbacks)
{
	uint64_t meta[128], env = 0;
	struct qtee_supp supp;
	struct qtee_req req;
	int fd, status, err;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* The child is the supplicant of the shared fd. */
		if (qtee_supp_start(&supp, fd, 1, NULL, NULL))
			_exit(1);
		qtee_supp_wait_releases(&supp, 1, 5000);
		_exit(supp.releases == 1 ? 0 : 2);
	}
	err = qtee_get_env(fd, QTEE_CRED_ID_BASE, &env);
	EXPECT_EQ(0, err);
	if (!err)
		EXPECT_EQ(0, qtee_release(fd, env));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	(void)meta;
	(void)req;
	close(fd);
}

/* Forks once the simulator is idle, its counters then in @base. */
static pid_t fork_from_idle(struct sim_stats *base)
{
	struct sim_stats now;

	sim_wait_settled(&now);
	if (sim_read_stats(base))
		return -1;
	return fork();
}

/* The simulator holds what it held at @base again (releases are async). */
static void expect_back_to(struct __test_metadata *_metadata,
			   const struct sim_stats *base)
{
	struct sim_stats now;

	EXPECT_EQ(0, sim_wait_for(base, &now)) {
		TH_LOG("objects %ld ns_refs %ld ns_ids %ld in_flight %ld waiting %ld apps %ld",
		       now.objects, now.ns_refs, now.ns_ids, now.in_flight,
		       now.waiting, now.apps);
	}
}

TEST(exit_with_live_handles)
{
	struct sim_stats base;
	int status;
	pid_t pid;
	int fd;

	OPEN_OR_SKIP(fd);
	close(fd);
	pid = fork_from_idle(&base);
	ASSERT_LE(0, pid);
	if (!pid) {
		struct qtee_supp supp;
		uint64_t env, svc, loader;

		fd = qtee_open();
		if (qtee_supp_start(&supp, fd, 1, NULL, NULL) ||
		    qtee_get_env(fd, QTEE_CRED_ID_BASE, &env) ||
		    qtee_open_service(fd, env, QTEE_UID_DIAG, &svc) ||
		    qtee_open_service(fd, env, QTEE_UID_LOADER, &loader))
			_exit(1);
		_exit(0);	/* no release, no close */
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	expect_back_to(_metadata, &base);
}

/* A child stuck in a callback nobody serves, then killed or closing. */
static void *stuck_callback(void *arg)
{
	int *fd = arg;
	struct tee_ioctl_param p[2];
	uint32_t ret;

	/* ROOT op 2 reads the credentials: nobody answers. */
	qtee_obj_in(&p[0], QTEE_CRED_ID_BASE, QTEE_OBJREF_USER);
	qtee_obj_out(&p[1]);
	qtee_invoke(*fd, TEE_OBJREF_NULL, QTEE_ROOT_OP_REGISTER, p, 2, &ret);
	return NULL;
}

static void stuck_child(int mode)
{
	uint64_t meta[128];
	struct qtee_req req;
	struct tee_ioctl_param p[2];
	uint64_t env;
	pthread_t t;
	uint32_t ret;
	int fd = qtee_open();

	if (fd < 0)
		_exit(1);
	if (mode == 0) {
		/* the invoker waits for a callback answer */
		qtee_obj_in(&p[0], QTEE_CRED_ID_BASE, QTEE_OBJREF_USER);
		qtee_obj_out(&p[1]);
		qtee_invoke(fd, TEE_OBJREF_NULL, QTEE_ROOT_OP_REGISTER, p, 2,
			    &ret);
		_exit(3);
	}
	/* mode 1: a supplicant took the request and the process exits */
	pthread_create(&t, NULL, stuck_callback, &fd);
	if (qtee_recv(fd, &req, meta, sizeof(meta), 11))
		_exit(2);
	(void)env;
	close(fd);
	_exit(0);
}

TEST(killed_invoker_waiting_for_callback)
{
	struct sim_stats base, now;
	int fd, status;
	uint64_t t0;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	close(fd);
	pid = fork_from_idle(&base);
	ASSERT_LE(0, pid);
	if (!pid)
		stuck_child(0);
	usleep(300000);
	ASSERT_EQ(0, sim_read_stats(&now));
	EXPECT_EQ(1, now.waiting);
	t0 = now_ms();
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_GT(5000, now_ms() - t0);
	expect_back_to(_metadata, &base);
}

TEST(exit_mid_callback)
{
	struct sim_stats base;
	int fd, status;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	close(fd);
	pid = fork_from_idle(&base);
	ASSERT_LE(0, pid);
	if (!pid)
		stuck_child(1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	expect_back_to(_metadata, &base);
}

/* A child in a long QTEE call is killed: nothing may stay behind. */
TEST(killed_during_long_invocation)
{
	struct sim_stats base, now;
	int fd, status, i;
	uint64_t t0;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	close(fd);
	pid = fork_from_idle(&base);
	ASSERT_LE(0, pid);
	if (!pid) {
		struct app_refs r;
		struct tee_ioctl_param p[1];
		struct qtee_supp supp;
		uint32_t ms = 3000, ret;
		uint8_t img[512];
		size_t n;

		fd = qtee_open();
		n = qtee_build_elf(img, sizeof(img), QTA_NAME);
		if (qtee_supp_start(&supp, fd, 1, NULL, NULL) ||
		    qtee_get_env(fd, QTEE_CRED_ID_BASE, &r.env) ||
		    get_app(fd, img, n, &r))
			_exit(1);
		qtee_ubuf_in(&p[0], &ms, 4);
		qtee_invoke(fd, r.app, QTA_OP_SLEEP, p, 1, &ret);
		_exit(2);
	}
	/* Wait until the child's call is in QTEE. */
	for (i = 0; i < 500; i++) {
		ASSERT_EQ(0, sim_read_stats(&now));
		if (now.in_flight)
			break;
		usleep(10000);
	}
	ASSERT_LT(0, now.in_flight);
	t0 = now_ms();
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	/* At worst the call runs to its end (the sleep is capped). */
	EXPECT_GT(5000, now_ms() - t0);
	expect_back_to(_metadata, &base);
}

/* ---- tzecotestapp: smcinvoke_client -c and -m (minkipc.md 3.4-3.7) -- */

#define ECO_NAME	"tzecotestapp"
#define ECO_PATTERN1	0xfeedc0deface0001ull
#define ECO_PATTERN2	0xfeedc0deface0002ull
#define ECO_NOT_FOUND	10
#define ECO_OBJ_REMOTE	10	/* ITestCallable ERROR_OBJECT_REMOTE */
#define ECO_MEM_SIZE	32768
#define ECO_MAX_MEM	16

/* The client's ITestCallable objects (CTestCallable.cpp), by user id. */
enum { ECO_A, ECO_B, ECO_M, ECO_NCALL };
#define ECO_ID(i)	(0x21 + (i))

struct eco_callable {
	int32_t ret_value, ret_error;
	unsigned int counter;
	int op;
};

struct eco_mem {
	void *map;
	size_t len;
	int sfd;
};

struct eco_state {
	pthread_mutex_t lock;
	int fd;
	struct eco_callable c[ECO_NCALL];
	struct eco_mem mem[ECO_MAX_MEM];
	unsigned int nmem;
	unsigned int tee_objects;	/* QTEE objects received (released) */
};

static void eco_reset(struct eco_state *es)
{
	unsigned int i;

	pthread_mutex_lock(&es->lock);
	for (i = 0; i < ECO_NCALL; i++) {
		es->c[i].counter = 0;
		es->c[i].op = -1;
	}
	pthread_mutex_unlock(&es->lock);
}

/* callGetMemObject*: 32 KiB of shared memory with PATTERN1 at 0. */
static uint32_t eco_new_mem(struct eco_state *es, struct tee_ioctl_param *oo)
{
	struct eco_mem *m;
	int id;

	if (es->nmem == ECO_MAX_MEM)
		return QTEE_INVALID;
	m = &es->mem[es->nmem];
	id = qtee_shm_alloc(es->fd, ECO_MEM_SIZE, &m->map, &m->len, &m->sfd);
	if (id < 0)
		return 5;	/* MEM */
	*(uint64_t *)m->map = ECO_PATTERN1;
	es->nmem++;
	oo->a = id;
	oo->b = QTEE_OBJREF_MEM;
	return 0;
}

static int eco_bytes_ok(const struct tee_ioctl_param *ib)
{
	const uint8_t *b = (const uint8_t *)(uintptr_t)ib->a;
	unsigned int i;

	if (ib->b != 8)
		return 0;
	for (i = 0; i < 8; i++)
		if (b[i] != i)
			return 0;
	return 1;
}

/* ITestCallable as CTestCallable.cpp serves it: exact shapes, else 2. */
static uint32_t eco_handler(struct qtee_supp *s, struct qtee_req *req,
			    void *meta, void *out, size_t cap)
{
	struct tee_ioctl_param *ib[4], *ob[4], *io[4], *oo[4];
	unsigned int nib = 0, nob = 0, nio = 0, noo = 0, i;
	struct eco_state *es = s->priv;
	struct eco_callable *c;
	uint64_t id = req->params[0].a;
	uint32_t ret;

	if (id >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	if (id < ECO_ID(0) || id >= ECO_ID(ECO_NCALL))
		return QTEE_INVALID;
	for (i = 1; i < req->num_params; i++) {
		struct tee_ioctl_param *p = &req->params[i];

		if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT && nib < 4)
			ib[nib++] = p;
		else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT &&
			 nob < 4)
			ob[nob++] = p;
		else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT &&
			 nio < 4)
			io[nio++] = p;
		else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT &&
			 noo < 4)
			oo[noo++] = p;
	}
#define SHAPE(a, b, c, d) (nib == (a) && nob == (b) && nio == (c) && noo == (d))
	pthread_mutex_lock(&es->lock);
	c = &es->c[id - ECO_ID(0)];
	c->counter++;
	c->op = req->func;
	ret = c->ret_value;
	switch (req->func) {
	case 0:		/* call */
		if (!SHAPE(0, 0, 0, 0))
			ret = QTEE_INVALID;
		break;
	case 1:		/* callWithBuffer: {0..7} */
		if (!SHAPE(1, 0, 0, 0))
			ret = QTEE_INVALID;
		else if (!eco_bytes_ok(ib[0]))
			ret = c->ret_error;
		break;
	case 3:		/* callWithObject */
		if (!SHAPE(0, 0, 1, 0)) {
			ret = QTEE_INVALID;
		} else if (io[0]->b == QTEE_OBJREF_TEE) {
			/* Any QTEE object: ERROR_OBJECT_REMOTE. */
			es->tee_objects++;
			qtee_release(s->fd, io[0]->a);
			ret = ECO_OBJ_REMOTE;
		} else if (io[0]->b != QTEE_OBJREF_USER ||
			   io[0]->a != ECO_ID(ECO_B)) {
			ret = c->ret_error;
		}
		break;
	case 11:	/* callGetMemObject */
	case 12:	/* ...WithBufferIn */
	case 13:	/* ...WithBufferOut */
	case 14:	/* ...WithBufferInAndOut */
		if (!SHAPE(req->func == 12 || req->func == 14,
			   req->func == 13 || req->func == 14, 0, 1)) {
			ret = QTEE_INVALID;
			break;
		}
		if (nib && !eco_bytes_ok(ib[0])) {
			ret = c->ret_error;
			break;
		}
		if (nob) {
			size_t n = ob[0]->b < cap ? ob[0]->b : cap;

			memset(out, 'A', n);
			ob[0]->a = (uintptr_t)out;
			ob[0]->b = n;
		}
		if (!ret)
			ret = eco_new_mem(es, oo[0]);
		break;
	case 15:	/* callGetTwoMemObjects */
		if (!SHAPE(0, 0, 0, 2))
			ret = QTEE_INVALID;
		for (i = 0; !ret && i < 2; i++)
			ret = eco_new_mem(es, oo[i]);
		break;
	default:
		ret = QTEE_INVALID;
	}
#undef SHAPE
	pthread_mutex_unlock(&es->lock);
	return ret;
}

/* How many release notifications named @id (waits up to @ms for @n). */
static unsigned int eco_released(struct qtee_supp *s, uint64_t id,
				 unsigned int n, int ms)
{
	unsigned int i, k;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		for (i = 0, k = 0; i < s->releases && i < 64; i++)
			k += s->released_ids[i] == id;
		pthread_mutex_unlock(&s->lock);
		if (k >= n || ms <= 0)
			return k;
		usleep(10000);
		ms -= 10;
	}
}

static void eco_free_mem(struct eco_state *es)
{
	unsigned int i;

	for (i = 0; i < es->nmem; i++) {
		munmap(es->mem[i].map, es->mem[i].len);
		close(es->mem[i].sfd);
	}
	es->nmem = 0;
}

FIXTURE(eco) {
	int fd;
	struct qtee_supp supp;
	struct eco_state es;
	struct app_refs r;
	int ready;
	struct sim_stats base;
};

FIXTURE_SETUP(eco)
{
	struct sim_stats now;

	self->ready = 0;
	memset(&self->es, 0, sizeof(self->es));
	pthread_mutex_init(&self->es.lock, NULL);
	OPEN_OR_SKIP(self->fd);
	self->es.fd = self->fd;
	self->es.c[ECO_A].ret_error = 0x0afafafa;
	self->es.c[ECO_B].ret_error = 0x0afafafa;
	self->es.c[ECO_M].ret_error = (int32_t)0xfafafafa;
	eco_reset(&self->es);
	sim_wait_settled(&now);
	ASSERT_EQ(0, sim_read_stats(&self->base));
	/* minkadaptor runs 4 receiver threads per root. */
	ASSERT_EQ(0, qtee_supp_start(&self->supp, self->fd, 4, eco_handler,
				     &self->es));
	/* A stand-in image: "n=0x%x" in its code, the name in metadata. */
	ASSERT_EQ(0, env_and_app(self->fd, ECO_NAME, &self->r));
	self->ready = 1;
}

FIXTURE_TEARDOWN(eco)
{
	uint32_t ret = ~0u;

	if (self->fd < 0)
		return;
	if (self->ready) {
		/* The epilogue: unload, then release everything. */
		EXPECT_EQ(0, qtee_invoke(self->fd, self->r.ctrl,
					 QTEE_CTRL_OP_UNLOAD, NULL, 0, &ret));
		EXPECT_EQ(0, ret);
		EXPECT_EQ(0, qtee_release(self->fd, self->r.app));
		EXPECT_EQ(0, qtee_release(self->fd, self->r.ctrl));
		EXPECT_EQ(0, qtee_release(self->fd, self->r.loader));
		EXPECT_EQ(0, qtee_release(self->fd, self->r.env));
	}
	qtee_supp_stop(&self->supp);
	EXPECT_EQ(0, self->supp.recv_error);
	EXPECT_EQ(0, self->supp.send_errors);
	eco_free_mem(&self->es);
	close(self->fd);
	if (self->base.valid)
		expect_back_to(_metadata, &self->base);
}

/* IOpener.open [IB u32 id, OO]. */
static uint32_t eco_open(int fd, uint64_t app, uint32_t id, uint64_t *obj)
{
	struct tee_ioctl_param p[2];
	uint32_t ret = ~0u;

	qtee_ubuf_in(&p[0], &id, 4);
	qtee_obj_out(&p[1]);
	if (qtee_invoke(fd, app, 0, p, 2, &ret))
		return ~0u;
	if (!ret)
		*obj = p[1].a;
	return ret;
}

/* An op with an optional IB and up to two IO (USER, TEE or MEM ids). */
/* An eco call: @op with an optional IB and up to two input objects. */
struct eco_call {
	uint32_t op;
	const void *ib;
	size_t ib_len;
	unsigned int nio;
	struct {
		uint64_t id, flags;
	} io[2];
};

/* QTEE's result, or ~0 if the ioctl failed. */
static uint32_t eco_invoke(int fd, uint64_t obj, const struct eco_call *c)
{
	struct tee_ioctl_param p[3];
	unsigned int n = 0, i;
	uint32_t ret = ~0u;

	if (c->ib)
		qtee_ubuf_in(&p[n++], c->ib, c->ib_len);
	for (i = 0; i < c->nio && i < 2; i++)
		qtee_obj_in(&p[n++], c->io[i].id, c->io[i].flags);
	if (qtee_invoke(fd, obj, c->op, p, n, &ret))
		return ~0u;
	return ret;
}

#define ECO(fd, obj, ...) \
	eco_invoke(fd, obj, &(const struct eco_call){ __VA_ARGS__ })

#define USER	QTEE_OBJREF_USER
#define A_ID	ECO_ID(ECO_A)
#define B_ID	ECO_ID(ECO_B)
#define M_ID	ECO_ID(ECO_M)
#define EXPECT_CALLED(_c, _n, _op) do {					\
		EXPECT_EQ((_n), self->es.c[_c].counter);		\
		EXPECT_EQ((_op), self->es.c[_c].op);			\
		eco_reset(&self->es);					\
	} while (0)

TEST_F(eco, opener_ids)
{
	static const uint32_t ids[] = { 0, 1, 3, 4, 6, 7, 8, 0x13, 0x100 };
	uint64_t obj;
	unsigned int i;

	ASSERT_EQ(0, eco_open(self->fd, self->r.app, 2, &obj));
	EXPECT_EQ(0, qtee_release(self->fd, obj));
	ASSERT_EQ(0, eco_open(self->fd, self->r.app, 5, &obj));
	EXPECT_EQ(0, qtee_release(self->fd, obj));
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		EXPECT_EQ(ECO_NOT_FOUND, eco_open(self->fd, self->r.app, ids[i],
						  &obj));
}

/* smcinvoke_client -c, one iteration, every check (minkipc.md 3.5). */
TEST_F(eco, callbacks_c)
{
	static const uint8_t b8[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	uint64_t t, *mm;
	unsigned int i;
	int fd = self->fd;

	ASSERT_EQ(0, eco_open(fd, self->r.app, 2, &t));
	/* 1. call(A) */
	EXPECT_EQ(0, ECO(fd, t, .op = 2, .nio = 1, .io = { { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 1, 0);
	/* 2-3. callWithBuffer: the same bytes; 7 bytes pass A's error on. */
	EXPECT_EQ(0, ECO(fd, t, .op = 3, .ib = b8, .ib_len = 8, .nio = 1,
			 .io = { { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 1, 1);
	EXPECT_EQ(0x0afafafa, ECO(fd, t, .op = 3, .ib = b8, .ib_len = 7,
				  .nio = 1, .io = { { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 1, 1);
	/* 4. callWithObject(B, A): B reaches A as B. */
	EXPECT_EQ(0, ECO(fd, t, .op = 5, .nio = 2,
			 .io = { { B_ID, USER }, { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 1, 3);
	EXPECT_EQ(0, self->es.c[ECO_B].counter);
	/* 5. callWithObject(T, A): T reaches A as a QTEE object. */
	EXPECT_EQ(ECO_OBJ_REMOTE,
		  ECO(fd, t, .op = 5, .nio = 2,
		      .io = { { t, QTEE_OBJREF_TEE }, { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 1, 3);
	EXPECT_EQ(1, self->es.tee_objects);
	/* 6. the client drops B: QTEE released it after step 4. */
	EXPECT_EQ(1, eco_released(&self->supp, B_ID, 1, 3000));
	/* 7. set(A): kept, not called. */
	EXPECT_EQ(5, eco_released(&self->supp, A_ID, 5, 3000));
	EXPECT_EQ(0, ECO(fd, t, .op = 0, .nio = 1, .io = { { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 0, -1);
	/* 8. callSet */
	EXPECT_EQ(0, ECO(fd, t, .op = 1));
	EXPECT_CALLED(ECO_A, 1, 0);
	usleep(100000);
	EXPECT_EQ(5, eco_released(&self->supp, A_ID, 0, 0));
	/* 9. set(NULL): one RELEASE of A. */
	EXPECT_EQ(0, ECO(fd, t, .op = 0, .nio = 1,
			 .io = { { TEE_OBJREF_NULL, 0 } }));
	EXPECT_CALLED(ECO_A, 0, -1);
	EXPECT_EQ(6, eco_released(&self->supp, A_ID, 6, 3000));
	/* 10-12. set(A), callSet with A held by QTEE alone, set(NULL). */
	EXPECT_EQ(0, ECO(fd, t, .op = 0, .nio = 1, .io = { { A_ID, USER } }));
	EXPECT_EQ(0, ECO(fd, t, .op = 1));
	EXPECT_CALLED(ECO_A, 1, 0);
	EXPECT_EQ(0, ECO(fd, t, .op = 0, .nio = 1,
			 .io = { { TEE_OBJREF_NULL, 0 } }));
	EXPECT_EQ(7, eco_released(&self->supp, A_ID, 7, 3000));

	/* 13-17. memory objects from M. */
	EXPECT_EQ(0, ECO(fd, t, .op = 13, .nio = 1, .io = { { M_ID, USER } }));
	EXPECT_CALLED(ECO_M, 1, 11);
	EXPECT_EQ(0, ECO(fd, t, .op = 14, .ib = b8, .ib_len = 8, .nio = 1,
			 .io = { { M_ID, USER } }));
	EXPECT_CALLED(ECO_M, 1, 12);
	EXPECT_EQ(0, ECO(fd, t, .op = 15, .nio = 1, .io = { { M_ID, USER } }));
	EXPECT_CALLED(ECO_M, 1, 13);
	EXPECT_EQ(0, ECO(fd, t, .op = 16, .ib = b8, .ib_len = 8, .nio = 1,
			 .io = { { M_ID, USER } }));
	EXPECT_CALLED(ECO_M, 1, 14);
	EXPECT_EQ(0, ECO(fd, t, .op = 17, .nio = 1, .io = { { M_ID, USER } }));
	EXPECT_CALLED(ECO_M, 1, 15);
	/* The TA mapped every one: PATTERN1 became PATTERN2. */
	ASSERT_EQ(6, self->es.nmem);
	for (i = 0; i < self->es.nmem; i++) {
		mm = self->es.mem[i].map;
		EXPECT_EQ(ECO_PATTERN2, *mm);
	}
	EXPECT_EQ(5, eco_released(&self->supp, M_ID, 5, 3000));
	/* 18. release T. */
	EXPECT_EQ(0, qtee_release(fd, t));
}

/* What the -c checks cannot see: errors and wrong outputs surface. */
TEST_F(eco, callbacks_errors)
{
	static const uint8_t b8[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	uint64_t t;
	int fd = self->fd;

	ASSERT_EQ(0, eco_open(fd, self->r.app, 2, &t));
	/*
	 * M rejects the bytes with 0xFAFAFAFA: negative, so the kernel hands
	 * QTEE 1 (ERROR) and the TA passes that on.
	 */
	EXPECT_EQ(QTEE_ERROR, ECO(fd, t, .op = 14, .ib = b8, .ib_len = 7,
				  .nio = 1, .io = { { M_ID, USER } }));
	EXPECT_CALLED(ECO_M, 1, 12);
	/* callSet with nothing kept: ERROR_NULL_OBJ; a NULL callee too. */
	EXPECT_EQ(10, ECO(fd, t, .op = 1));
	EXPECT_EQ(10, ECO(fd, t, .op = 2, .nio = 1,
			  .io = { { TEE_OBJREF_NULL, 0 } }));
	/* An op A does not serve: A's INVALID comes back. */
	EXPECT_EQ(QTEE_INVALID, ECO(fd, t, .op = 9, .nio = 1,
				    .io = { { A_ID, USER } }));
	EXPECT_CALLED(ECO_A, 1, 7);
	/* Wrong shapes on the TA side. */
	EXPECT_EQ(QTEE_INVALID, ECO(fd, t, .op = 2));
	EXPECT_EQ(QTEE_INVALID, ECO(fd, t, .op = 40, .nio = 1,
				    .io = { { A_ID, USER } }));
	EXPECT_EQ(0, qtee_release(fd, t));
}

/* smcinvoke_client -m, two iterations (minkipc.md 3.4). */
TEST_F(eco, memory_m)
{
	struct eco_mem m[3];
	uint64_t mm;
	int id[3], it, i;
	int fd = self->fd;

	for (it = 0; it < 2; it++) {
		/* 1. open(5) */
		ASSERT_EQ(0, eco_open(fd, self->r.app, 5, &mm));
		/* 2-3. 4 KiB with PATTERN1, access. */
		id[0] = qtee_shm_alloc(fd, 4096, &m[0].map, &m[0].len,
				       &m[0].sfd);
		ASSERT_LE(0, id[0]);
		*(uint64_t *)m[0].map = ECO_PATTERN1;
		EXPECT_EQ(0, ECO(fd, mm, .op = 0, .nio = 1,
				 .io = { { id[0], QTEE_OBJREF_MEM } }));
		EXPECT_EQ(ECO_PATTERN2, *(uint64_t *)m[0].map);
		/* 4. the same object again */
		*(uint64_t *)m[0].map = ECO_PATTERN1;
		EXPECT_EQ(0, ECO(fd, mm, .op = 0, .nio = 1,
				 .io = { { id[0], QTEE_OBJREF_MEM } }));
		EXPECT_EQ(ECO_PATTERN2, *(uint64_t *)m[0].map);
		/* 5. two objects at once */
		id[1] = qtee_shm_alloc(fd, 4096, &m[1].map, &m[1].len,
				       &m[1].sfd);
		ASSERT_LE(0, id[1]);
		*(uint64_t *)m[0].map = ECO_PATTERN1;
		*(uint64_t *)m[1].map = ECO_PATTERN1;
		EXPECT_EQ(0, ECO(fd, mm, .op = 6, .nio = 2,
				 .io = { { id[0], QTEE_OBJREF_MEM },
					 { id[1], QTEE_OBJREF_MEM } }));
		EXPECT_EQ(ECO_PATTERN2, *(uint64_t *)m[0].map);
		EXPECT_EQ(ECO_PATTERN2, *(uint64_t *)m[1].map);
		/* 6. munmap and close, nothing sent to QTEE */
		for (i = 0; i < 2; i++) {
			munmap(m[i].map, m[i].len);
			close(m[i].sfd);
		}
		/* 7. releaseImmediately: dropped unmapped, untouched. */
		id[2] = qtee_shm_alloc(fd, 4096, &m[2].map, &m[2].len,
				       &m[2].sfd);
		ASSERT_LE(0, id[2]);
		*(uint64_t *)m[2].map = ECO_PATTERN1;
		EXPECT_EQ(0, ECO(fd, mm, .op = 7, .nio = 1,
				 .io = { { id[2], QTEE_OBJREF_MEM } }));
		EXPECT_EQ(ECO_PATTERN1, *(uint64_t *)m[2].map);
		/* Without PATTERN1 the access fails (1). */
		*(uint64_t *)m[2].map = 0;
		EXPECT_EQ(1, ECO(fd, mm, .op = 0, .nio = 1,
				 .io = { { id[2], QTEE_OBJREF_MEM } }));
		munmap(m[2].map, m[2].len);
		close(m[2].sfd);
		/* 8. release mm */
		EXPECT_EQ(0, qtee_release(fd, mm));
	}
}

#undef USER
#undef A_ID
#undef B_ID
#undef M_ID
#undef EXPECT_CALLED

/* ---- listeners: qtee_supplicant's start-up and protocol (minkipc.md 1-2) */

#define LSN_CBO_ID	QTEE_LISTENER_CBO_ID
#define LSN_DEFUNCT	((uint32_t)-90)
#define LSN_MAX_OPS	32

/* A listener test starts with an idle simulator, its counters in @base. */
#define LSN_BEGIN(base) do {						\
		int _fd;						\
									\
		OPEN_OR_SKIP(_fd);					\
		close(_fd);						\
		sim_wait_settled(&(base));					\
		ASSERT_EQ(0, sim_read_stats(&(base)));			\
	} while (0)

/* One listener library's init(): its own fd, 4 threads, one CBO. */
struct lsn {
	int fd;
	struct qtee_supp supp;
	uint64_t reg;
	void *shm;
	size_t len;
	int sfd, shm_id;
	uint32_t id;
	const char *fs_root;	/* serve the FS listener's commands here */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int busy_once;		/* answer BUSY to the next request */
	int block;		/* requests wait while set */
	int running, max_running;
	uint32_t ops[LSN_MAX_OPS];
	unsigned int nops;
	/* TA-buffer provider (libtaautoload): what get(uuid) serves */
	int tabuf;
	uint8_t serve_uuid[16], got_uuid[16];
	uint32_t answer;	/* answer this instead of serving */
	uint8_t img[512];
	size_t img_len;
};

/* libtaautoload's CRequestTABuffer.get: exactly [IB, OO], IB 16 bytes. */
static uint32_t tabuf_get(struct lsn *l, struct qtee_req *req)
{
	struct tee_ioctl_param *ib = NULL, *oo = NULL;
	unsigned int i, other = 0;
	uint32_t answer;
	int id;

	for (i = 1; i < req->num_params; i++) {
		struct tee_ioctl_param *p = &req->params[i];

		if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT && !ib)
			ib = p;
		else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT &&
			 !oo)
			oo = p;
		else
			other++;
	}
	if (req->func || !ib || !oo || other)
		return QTEE_INVALID;
	if (ib->b != 16)
		return 1;
	pthread_mutex_lock(&l->lock);
	if (l->nops < LSN_MAX_OPS)
		l->ops[l->nops++] = req->func;
	memcpy(l->got_uuid, (void *)(uintptr_t)ib->a, 16);
	answer = l->answer;
	if (!answer && memcmp(l->got_uuid, l->serve_uuid, 16))
		answer = 1;			/* not found */
	pthread_mutex_unlock(&l->lock);
	if (answer)
		return answer;
	/* The image in a new shm; the listener drops it after the answer. */
	if (l->shm) {
		munmap(l->shm, l->len);
		close(l->sfd);
		l->shm = NULL;
	}
	id = qtee_shm_alloc(l->fd, l->img_len, &l->shm, &l->len, &l->sfd);
	if (id <= 0)
		return 1;
	memcpy(l->shm, l->img, l->img_len);
	oo->a = id;
	oo->b = QTEE_OBJREF_MEM;
	return 0;
}

/* IListenerCBO as CListenerCBO.c serves it. */
static uint32_t lsn_handler(struct qtee_supp *s, struct qtee_req *req,
			    void *meta, void *out, size_t cap)
{
	struct lsn *l = s->priv;
	uint32_t cmd;

	if (req->params[0].a >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	pthread_mutex_lock(&l->lock);
	if (l->tabuf) {
		pthread_mutex_unlock(&l->lock);
		return tabuf_get(l, req);
	}
	if (l->nops < LSN_MAX_OPS)
		l->ops[l->nops++] = req->func;
	if (req->func == 1) {		/* wait */
		while (l->running)
			pthread_cond_wait(&l->cond, &l->lock);
		pthread_mutex_unlock(&l->lock);
		return req->num_params == 1 ? 0 : QTEE_INVALID;
	}
	if (qtee_listener_request(req, out)) {
		pthread_mutex_unlock(&l->lock);
		return QTEE_INVALID;
	}
	if (l->running || l->busy_once) {
		l->busy_once = 0;
		pthread_mutex_unlock(&l->lock);
		return QTEE_LISTENER_BUSY;
	}
	l->running++;
	if (l->running > l->max_running)
		l->max_running = l->running;
	while (l->block)
		pthread_cond_wait(&l->cond, &l->lock);
	pthread_mutex_unlock(&l->lock);

	/* The request is at offset 0; the answer overwrites it. */
	if (l->id == QTEE_LISTENER_TIME) {
		qtee_time_serve(l->shm);
	} else if (l->fs_root) {
		qtee_fs_serve(l->shm, l->fs_root);
	} else {
		memcpy(&cmd, l->shm, 4);
		cmd++;
		memcpy((uint8_t *)l->shm + 4, &cmd, 4);
	}
	pthread_mutex_lock(&l->lock);
	l->running--;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	return 0;
}

/* ClientEnv.open(uid) on a fresh root of @l (root op 2, creds id 1). */
static int lsn_open(struct lsn *l, uint32_t uid, uint64_t *env)
{
	int err;

	memset(l, 0, sizeof(*l));
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->cond, NULL);
	l->sfd = -1;
	l->fd = qtee_open();
	if (l->fd < 0)
		return l->fd;
	err = qtee_supp_start(&l->supp, l->fd, 4, lsn_handler, l);
	if (!err)
		err = qtee_get_env(l->fd, QTEE_CRED_ID_BASE, env);
	if (!err)
		err = qtee_open_service(l->fd, *env, uid, &l->reg);
	return err;
}

/* minkipc.md 1.2: the CBO listener init() of time, FS, GPFS and RPMB. */
static int lsn_start(struct lsn *l, uint32_t id, size_t size)
{
	uint32_t ret = ~0u;
	uint64_t env;
	int err;

	err = lsn_open(l, QTEE_UID_REG_LISTENER, &env);
	if (err)
		return err;
	l->id = id;
	l->shm_id = qtee_shm_alloc(l->fd, size, &l->shm, &l->len, &l->sfd);
	if (l->shm_id <= 0)
		return -ENOMEM;		/* an id of 0 would read "unassigned" */
	err = qtee_listener_register(l->fd, l->reg, id, LSN_CBO_ID, l->shm_id,
				     &ret);
	if (!err)
		err = qtee_release(l->fd, env);
	return err ? err : (int)ret;
}

/* minkipc.md 1.3: the TA-autoload init(): register [IO IRequestTABuffer]. */
static int lsn_start_tabuf(struct lsn *l, uint64_t obj, uint64_t flags)
{
	struct tee_ioctl_param p[1];
	uint32_t ret = ~0u;
	uint64_t env;
	int err;

	err = lsn_open(l, QTEE_UID_REG_TABUF, &env);
	if (err)
		return err;
	qtee_obj_in(&p[0], obj, flags);
	err = qtee_invoke(l->fd, l->reg, 0, p, 1, &ret);
	if (!err)
		err = qtee_release(l->fd, env);
	return err ? err : (int)ret;
}

/* The process exits: the file goes, QTEE still holds the objects. */
static void lsn_stop(struct lsn *l)
{
	if (l->fd < 0)
		return;
	pthread_mutex_lock(&l->lock);
	l->block = 0;
	pthread_cond_broadcast(&l->cond);
	pthread_mutex_unlock(&l->lock);
	qtee_supp_stop(&l->supp);
	if (l->shm)
		munmap(l->shm, l->len);
	if (l->sfd >= 0)
		close(l->sfd);
	close(l->fd);
	l->fd = -1;
}

/* The QTEE side: the test app asks a listener (QTA_OP_LISTENER). */
struct lsn_caller {
	int fd;
	struct qtee_supp supp;
	struct app_refs r;
};

static int caller_start(struct __test_metadata *_metadata,
			struct lsn_caller *c)
{
	c->fd = qtee_open();
	if (c->fd < 0 || qtee_supp_start(&c->supp, c->fd, 1, NULL, NULL))
		return -1;
	return env_and_app(c->fd, QTA_NAME, &c->r);
}

static void caller_stop(struct lsn_caller *c)
{
	qtee_release(c->fd, c->r.app);
	qtee_release(c->fd, c->r.ctrl);
	qtee_release(c->fd, c->r.loader);
	qtee_release(c->fd, c->r.env);
	qtee_supp_stop(&c->supp);
	close(c->fd);
}

/* Send command @cmd to listener @id; @rsp gets the first 12 bytes. */
static uint32_t lsn_call(int fd, uint64_t app, uint32_t id, uint32_t cmd,
			 uint8_t rsp[12])
{
	struct tee_ioctl_param p[3];
	uint32_t ret = ~0u;

	qtee_ubuf_in(&p[0], &id, 4);
	qtee_ubuf_in(&p[1], &cmd, 4);
	qtee_ubuf_out(&p[2], rsp, 12);
	if (qtee_invoke(fd, app, QTA_OP_LISTENER, p, 3, &ret))
		return ~0u;
	return ret;
}

/*
 * After its file is gone a listener answers DEFUNCT; QTEE drops it at the
 * second call (the first DEFUNCT may be a killed caller's).
 */
static void lsn_drop(struct __test_metadata *_metadata, struct lsn_caller *c,
		     uint32_t id)
{
	uint8_t rsp[12];

	EXPECT_EQ(LSN_DEFUNCT, lsn_call(c->fd, c->r.app, id, 0x304, rsp));
	EXPECT_EQ(LSN_DEFUNCT, lsn_call(c->fd, c->r.app, id, 0x304, rsp));
	EXPECT_EQ(10, lsn_call(c->fd, c->r.app, id, 0x304, rsp));
}

/* Unregister the TA-buffer provider: register NULL (its deinit()). */
static void tabuf_drop(struct __test_metadata *_metadata)
{
	struct lsn l;

	EXPECT_EQ(0, lsn_start_tabuf(&l, TEE_OBJREF_NULL, 0));
	lsn_stop(&l);
}

static long sim_listeners(void)
{
	struct sim_stats st;

	return sim_read_stats(&st) ? -1 : st.listeners;
}

/* The five init()s of qtee_supplicant, in its order (minkipc.md 1.4). */
TEST(lsn_supplicant_startup)
{
	static const struct { uint32_t id; size_t size; } cbo[] = {
		{ 0xb, 20480 }, { 0xa, 20480 }, { 0x7000, 516096 },
		{ 0x2000, 20040 },
	};
	struct lsn l[5];
	struct lsn_caller c;
	struct sim_stats base;
	struct timespec ts;
	uint8_t rsp[12];
	uint64_t ms, now;
	unsigned int i;
	uint32_t v;

	LSN_BEGIN(base);
	ASSERT_EQ(0, lsn_start(&l[0], cbo[0].id, cbo[0].size));	/* time */
	ASSERT_EQ(0, lsn_start_tabuf(&l[1], LSN_CBO_ID, QTEE_OBJREF_USER));
	for (i = 1; i < 4; i++)					/* FS, GPFS, RPMB */
		ASSERT_EQ(0, lsn_start(&l[i + 1], cbo[i].id, cbo[i].size));
	EXPECT_EQ(5, sim_listeners());
	/* 5 fds, 20 receiver threads: QTEE asks for the time. */
	ASSERT_EQ(0, caller_start(_metadata, &c));
	ASSERT_EQ(0, lsn_call(c.fd, c.r.app, 0xb, 0x304, rsp));
	memcpy(&ms, rsp + 4, 8);
	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
	EXPECT_GE(now, ms);
	EXPECT_GT(ms + 5000, now);
	for (i = 1; i < 4; i++) {
		ASSERT_EQ(0, lsn_call(c.fd, c.r.app, cbo[i].id, 0x202, rsp));
		memcpy(&v, rsp + 4, 4);
		EXPECT_EQ(0x203, v);
		memcpy(&v, rsp, 4);
		EXPECT_EQ(0x202, v);
	}
	/* The daemon goes: every registration ends, nothing stays. */
	for (i = 0; i < 5; i++)
		lsn_stop(&l[i]);
	lsn_drop(_metadata, &c, 0xb);
	for (i = 1; i < 4; i++)
		lsn_drop(_metadata, &c, cbo[i].id);
	tabuf_drop(_metadata);
	EXPECT_EQ(0, sim_listeners());
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/* QTEE's secure time source asks the time listener (minkipc.md 2.3). */
TEST(lsn_secure_time)
{
	struct tee_ioctl_param p[1];
	struct sim_stats base;
	struct lsn_caller c;
	struct timespec ts;
	uint8_t out[16];
	uint64_t ms, now;
	uint32_t ret, sec;
	struct lsn l;

	LSN_BEGIN(base);
	ASSERT_EQ(0, lsn_start(&l, 0xb, 20480));
	ASSERT_EQ(0, caller_start(_metadata, &c));
	qtee_ubuf_out(&p[0], out, sizeof(out));
	ASSERT_EQ(0, qtee_invoke(c.fd, c.r.app, QTA_OP_TIME, p, 1, &ret));
	ASSERT_EQ(0, ret);
	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
	memcpy(&ms, out, 8);
	memcpy(&sec, out + 8, 4);
	EXPECT_GE(now, ms);
	EXPECT_GT(ms + 5000, now);
	EXPECT_GE(ts.tv_sec, sec);
	EXPECT_GE(sec, ms / 1000);
	/* GET_TIME_MS then GET_UTC_SEC, nothing else. */
	ASSERT_EQ(2, l.nops);
	lsn_stop(&l);
	lsn_drop(_metadata, &c, 0xb);
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/* A storage op of the test app: IB name (if any), IB data or OB out. */
static uint32_t store_op(struct lsn_caller *c, uint32_t op, const char *name,
			 void *data, size_t *len)
{
	return qtee_store_op(c->fd, c->r.app, op, name, data, len);
}

/* Does @path hold exactly @len bytes of @data? */
static int file_is(const char *path, const void *data, size_t len)
{
	size_t n = 0;
	void *f = qtee_read_file(path, &n);
	int same = f && n == len && !memcmp(f, data, len);

	free(f);
	return same;
}

/*
 * QTEE's secure storage keeps records through the FS listener (minkipc.md
 * 2.4): the records and the index are files the listener wrote.
 */
TEST(lsn_secure_storage)
{
	static const char root[] = "/tmp/qcomtee_fs";
	static const char dir[] = "/tmp/qcomtee_fs/persist/data/qcomtee_sim/";
	static const char hello[] = "hello, secure world";
	char path[128], list[256];
	uint8_t big[QTA_STORE_DATA_MAX], out[QTA_STORE_DATA_MAX + 8];
	struct sim_stats base;
	struct lsn_caller c;
	struct lsn l;
	size_t len, i;

	LSN_BEGIN(base);
	ASSERT_EQ(0, lsn_start(&l, 0xa, 20480));
	l.fs_root = root;
	ASSERT_EQ(0, caller_start(_metadata, &c));
	for (i = 0; i < sizeof(big); i++)
		big[i] = i * 13;

	len = sizeof(hello);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_PUT, "alpha", (void *)hello,
			      &len));
	len = sizeof(big);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_PUT, "beta", big, &len));
	snprintf(path, sizeof(path), "%salpha", dir);
	EXPECT_TRUE(file_is(path, hello, sizeof(hello)));
	snprintf(path, sizeof(path), "%sindex", dir);
	EXPECT_TRUE(file_is(path, "alpha\nbeta\n", 11));
	/* Read back, list; a second PUT of a name replaces the record. */
	len = sizeof(out);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_GET, "beta", out, &len));
	EXPECT_EQ(sizeof(big), len);
	EXPECT_EQ(0, memcmp(out, big, sizeof(big)));
	len = 5;
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_PUT, "alpha", (void *)"12345",
			      &len));
	len = sizeof(out);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_GET, "alpha", out, &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(out, "12345", 5));
	len = sizeof(list);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_LIST, NULL, list, &len));
	EXPECT_EQ(11, len);
	EXPECT_EQ(0, memcmp(list, "alpha\nbeta\n", 11));
	/* No such record: the listener's errno comes back. */
	len = sizeof(out);
	EXPECT_EQ(QTA_STORE_ERR + ENOENT,
		  store_op(&c, QTA_OP_STORE_GET, "gamma", out, &len));
	EXPECT_EQ(QTA_STORE_ERR + ENOENT,
		  store_op(&c, QTA_OP_STORE_DELETE, "gamma", NULL, NULL));
	/* Bad names never reach the listener. */
	len = 1;
	EXPECT_EQ(QTEE_INVALID, store_op(&c, QTA_OP_STORE_PUT, "../x",
					 (void *)"x", &len));
	/* Delete: the file and its line go. */
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_DELETE, "alpha", NULL, NULL));
	snprintf(path, sizeof(path), "%salpha", dir);
	EXPECT_NE(0, access(path, F_OK));
	len = sizeof(list);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_LIST, NULL, list, &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(list, "beta\n", 5));
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_DELETE, "beta", NULL, NULL));
	len = sizeof(list);
	EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_LIST, NULL, list, &len));
	EXPECT_EQ(0, len);
	snprintf(path, sizeof(path), "%sindex", dir);
	unlink(path);
	lsn_stop(&l);
	lsn_drop(_metadata, &c, 0xa);
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/* The listener daemon, next to this program or in /bin. */
static const char *listenerd_path(char *buf, size_t cap)
{
	return test_file("qcomtee_listenerd", "/bin", buf, cap);
}

/* Starts qcomtee_listenerd and reads its output to its state line. */
static pid_t listenerd_start(const char *root, char *line, size_t cap)
{
	int pfd[2];
	FILE *f;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		char path[300];

		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(listenerd_path(path, sizeof(path)), "qcomtee_listenerd",
		      "-r", root, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	f = fdopen(pfd[0], "r");
	line[0] = '\0';
	while (f && fgets(line, cap, f) &&
	       strncmp(line, "QTEE_SUPPLICANT RUNNING", 23) &&
	       strncmp(line, "ERROR", 5))
		;
	if (f)
		fclose(f);
	return pid;
}

/*
 * The project's own listener daemon (tools/testing/qcomtee/
 * qcomtee_listenerd.c) reaches its running state, serves QTEE's time and
 * storage, is killed and started again (systemd's Restart=always) and
 * serves again from its new fds.
 */
TEST(listenerd_restart)
{
	static const uint32_t ids[] = { 0xb, 0xa, 0x7000, 0x2000 };
	struct tee_ioctl_param p[1];
	struct sim_stats base;
	struct lsn_caller c;
	uint8_t out[16];
	char line[128], path[300];
	unsigned int i, round;
	uint32_t ret;
	size_t len;
	int status;
	pid_t pid;

	if (access(listenerd_path(path, sizeof(path)), X_OK))
		SKIP(return, "no %s", path);
	LSN_BEGIN(base);
	ASSERT_EQ(0, caller_start(_metadata, &c));
	for (round = 0; round < 2; round++) {
		pid = listenerd_start("/tmp/qcomtee_listenerd", line,
				      sizeof(line));
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, strncmp(line, "QTEE_SUPPLICANT RUNNING", 23))
			TH_LOG("round %u: %s", round, line);
		EXPECT_EQ(5, sim_listeners());
		len = 5;
		EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_PUT, "daemon",
				      (void *)"round", &len));
		len = sizeof(out);
		EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_GET, "daemon", out,
				      &len));
		EXPECT_EQ(5, len);
		qtee_ubuf_out(&p[0], out, sizeof(out));
		ASSERT_EQ(0, qtee_invoke(c.fd, c.r.app, QTA_OP_TIME, p, 1,
					 &ret));
		EXPECT_EQ(0, ret);
		EXPECT_EQ(0, store_op(&c, QTA_OP_STORE_DELETE, "daemon", NULL,
				      NULL));
		kill(pid, SIGKILL);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
	}
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		lsn_drop(_metadata, &c, ids[i]);
	tabuf_drop(_metadata);
	unlink("/tmp/qcomtee_listenerd/persist/data/qcomtee_sim/index");
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/* Register's checks as a process sees them. */
TEST(lsn_register_errors)
{
	struct tee_ioctl_param p[3];
	struct sim_stats base;
	struct lsn l, dup;
	struct lsn_caller c;
	uint32_t ret, id = 0;

	LSN_BEGIN(base);
	/* Id 0 is reserved (13). */
	EXPECT_EQ(13, lsn_start(&l, 0, 4096));
	/* The memory object must be memory. */
	qtee_ubuf_in(&p[0], &id, 4);
	id = 0xb;
	qtee_obj_in(&p[1], LSN_CBO_ID, QTEE_OBJREF_USER);
	qtee_obj_in(&p[2], LSN_CBO_ID + 1, QTEE_OBJREF_USER);
	ASSERT_EQ(0, qtee_invoke(l.fd, l.reg, 0, p, 3, &ret));
	EXPECT_EQ(QTEE_INVALID, ret);
	/* Now properly; a second live one gets 12 ID_IN_USE. */
	qtee_obj_in(&p[2], l.shm_id, QTEE_OBJREF_MEM);
	ASSERT_EQ(0, qtee_invoke(l.fd, l.reg, 0, p, 3, &ret));
	EXPECT_EQ(0, ret);
	EXPECT_EQ(12, lsn_start(&dup, 0xb, 4096));
	EXPECT_EQ(1, l.nops);		/* the live one was asked to wait */
	EXPECT_EQ(1, l.ops[0]);
	EXPECT_EQ(0, dup.nops);
	lsn_stop(&dup);
	lsn_stop(&l);
	ASSERT_EQ(0, caller_start(_metadata, &c));
	lsn_drop(_metadata, &c, 0xb);
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/* A daemon killed and started again registers again from new fds. */
TEST(lsn_daemon_restart)
{
	struct sim_stats base;
	struct lsn_caller c;
	struct lsn l, t;
	uint8_t rsp[12];
	int fd, status, pipefd[2];
	uint32_t v;
	char ch;
	pid_t pid;

	OPEN_OR_SKIP(fd);
	close(fd);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork_from_idle(&base);
	ASSERT_LE(0, pid);
	if (!pid) {
		if (lsn_start(&l, 0xb, 20480) ||
		    lsn_start_tabuf(&t, LSN_CBO_ID, QTEE_OBJREF_USER))
			_exit(1);
		ch = 'r';
		if (write(pipefd[1], &ch, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(pipefd[0], &ch, 1));
	EXPECT_EQ(2, sim_listeners());
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	/* systemd starts it again: the same ids, from new fds. */
	ASSERT_EQ(0, lsn_start(&l, 0xb, 20480));
	ASSERT_EQ(0, lsn_start_tabuf(&t, LSN_CBO_ID, QTEE_OBJREF_USER));
	EXPECT_EQ(2, sim_listeners());
	ASSERT_EQ(0, caller_start(_metadata, &c));
	ASSERT_EQ(0, lsn_call(c.fd, c.r.app, 0xb, 0x302, rsp));
	memcpy(&v, rsp + 4, 4);		/* GET_UTC_SEC: the seconds */
	EXPECT_GE((uint32_t)time(NULL), v);
	EXPECT_GT(v + 5, (uint32_t)time(NULL));
	EXPECT_EQ(1, l.nops);
	lsn_stop(&l);
	lsn_stop(&t);
	lsn_drop(_metadata, &c, 0xb);
	tabuf_drop(_metadata);
	caller_stop(&c);
	close(pipefd[0]);
	close(pipefd[1]);
	expect_back_to(_metadata, &base);
}

/* BUSY: QTEE waits (op 1) and sends the request again. */
TEST(lsn_busy_then_wait)
{
	struct sim_stats base;
	struct lsn_caller c;
	struct lsn l;
	uint8_t rsp[12];

	LSN_BEGIN(base);
	ASSERT_EQ(0, lsn_start(&l, 0xa, 20480));
	ASSERT_EQ(0, caller_start(_metadata, &c));
	l.busy_once = 1;
	EXPECT_EQ(0, lsn_call(c.fd, c.r.app, 0xa, 0x207, rsp));
	ASSERT_EQ(3, l.nops);
	EXPECT_EQ(0, l.ops[0]);
	EXPECT_EQ(1, l.ops[1]);
	EXPECT_EQ(0, l.ops[2]);
	lsn_stop(&l);
	lsn_drop(_metadata, &c, 0xa);
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

struct lsn_thread {
	struct lsn_caller *c;
	uint32_t id, ret;
	uint8_t rsp[12];
};

static void *lsn_call_thread(void *arg)
{
	struct lsn_thread *t = arg;

	t->ret = lsn_call(t->c->fd, t->c->r.app, t->id, 0x209, t->rsp);
	return NULL;
}

/* One listener serves one request at a time; two listeners run at once. */
TEST(lsn_serialised_per_listener)
{
	struct lsn_thread th[2];
	struct sim_stats base;
	struct lsn_caller c;
	struct lsn a, b;
	pthread_t tid[2];
	uint8_t rsp[12];
	unsigned int i;
	int k;

	LSN_BEGIN(base);
	ASSERT_EQ(0, lsn_start(&a, 0xb, 20480));
	ASSERT_EQ(0, lsn_start(&b, 0xa, 20480));
	ASSERT_EQ(0, caller_start(_metadata, &c));
	a.block = 1;
	for (i = 0; i < 2; i++) {
		th[i] = (struct lsn_thread){ .c = &c, .id = 0xb };
		ASSERT_EQ(0, pthread_create(&tid[i], NULL, lsn_call_thread,
					    &th[i]));
	}
	for (k = 0; k < 300 && !__atomic_load_n(&a.running, __ATOMIC_SEQ_CST);
	     k++)
		usleep(10000);
	usleep(200000);
	/* 0xb is stuck in one request; 0xa answers meanwhile. */
	EXPECT_EQ(0, lsn_call(c.fd, c.r.app, 0xa, 0x207, rsp));
	pthread_mutex_lock(&a.lock);
	EXPECT_EQ(1, a.nops);
	a.block = 0;
	pthread_cond_broadcast(&a.cond);
	pthread_mutex_unlock(&a.lock);
	for (i = 0; i < 2; i++) {
		pthread_join(tid[i], NULL);
		EXPECT_EQ(0, th[i].ret);
	}
	/* Never two at once, never a BUSY, no wait needed. */
	EXPECT_EQ(1, a.max_running);
	EXPECT_EQ(2, a.nops);
	lsn_stop(&a);
	lsn_stop(&b);
	lsn_drop(_metadata, &c, 0xb);
	lsn_drop(_metadata, &c, 0xa);
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/*
 * The caller is killed while its listener request hangs: QTEE's call ends
 * (DEFUNCT), the listener stays registered and serves the next caller.
 */
TEST(lsn_killed_caller)
{
	struct sim_stats base;
	struct lsn_caller c;
	struct lsn l;
	uint8_t rsp[12];
	int status, k;
	pid_t pid;

	LSN_BEGIN(base);
	ASSERT_EQ(0, lsn_start(&l, 0xb, 20480));
	l.block = 1;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct lsn_caller cc;

		if (caller_start(NULL, &cc))
			_exit(1);
		lsn_call(cc.fd, cc.r.app, 0xb, 0x304, rsp);
		_exit(2);
	}
	for (k = 0; k < 300 && !__atomic_load_n(&l.running, __ATOMIC_SEQ_CST);
	     k++)
		usleep(10000);
	ASSERT_EQ(1, l.running);
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	/* The daemon answers late: nobody waits for it any more. */
	pthread_mutex_lock(&l.lock);
	l.block = 0;
	pthread_cond_broadcast(&l.cond);
	pthread_mutex_unlock(&l.lock);
	ASSERT_EQ(0, caller_start(_metadata, &c));
	EXPECT_EQ(0, lsn_call(c.fd, c.r.app, 0xb, 0x302, rsp));
	lsn_stop(&l);
	lsn_drop(_metadata, &c, 0xb);
	caller_stop(&c);
	expect_back_to(_metadata, &base);
}

/* ---- GP client and TA autoload (real-clients.md 9, minkipc.md 2.7) --- */

#define GP_WAIT_ID	0x77	/* the client's CWait (IWait) object */
#define GP_CMD_FILL	1
#define GP_SHM_SIZE	0x2800

/* gptest's UUID, the 16 bytes gp_test_client sends (real-clients.md 9.6). */
static const uint8_t gp_uuid[16] = {
	0x42, 0x05, 0xd1, 0xca, 0xe4, 0x34, 0x2d, 0x45,
	0x61, 0x56, 0xe9, 0x79, 0xaa, 0x6e, 0x61, 0xbc,
};

/* TEEC_InitializeContext: a root fd, registerAsClient, ClientEnv.open(409). */
struct gp_ctx {
	int fd;
	struct qtee_supp supp;
	uint64_t client;
};

static int gp_begin(struct gp_ctx *g)
{
	uint64_t env;
	int err;

	memset(g, 0, sizeof(*g));
	g->fd = qtee_open();
	if (g->fd < 0)
		return g->fd;
	err = qtee_supp_start(&g->supp, g->fd, 4, NULL, NULL);
	if (!err)
		err = qtee_get_env(g->fd, QTEE_CRED_ID_BASE, &env);
	if (!err)
		err = qtee_open_service(g->fd, env, QTEE_UID_GP_CLIENT,
					&g->client);
	/* libminkteec releases the ClientEnv once it has the GP client. */
	if (!err)
		err = qtee_release(g->fd, env);
	return err;
}

/* TEEC_FinalizeContext. */
static void gp_end(struct gp_ctx *g)
{
	qtee_release(g->fd, g->client);
	qtee_supp_stop(&g->supp);
	close(g->fd);
}

/* TEEC_OpenSession(LOGIN_USER, op NULL): QTEE's result, the session. */
static uint32_t gp_open(struct gp_ctx *g, const uint8_t *uuid,
			struct qtee_gp_op *op, uint64_t *session)
{
	uint32_t ret = ~0u;

	memset(op, 0, sizeof(*op));
	if (qtee_gp_open_session(g->fd, g->client, uuid, QTEE_TEEC_LOGIN_USER,
				 GP_WAIT_ID, op, session, &ret))
		return ~0u;
	return ret;
}

/* cmd 1 on a PARTIAL_INOUT or TEMP_INOUT of 4096 bytes of 1: all become a. */
static uint32_t gp_fill(struct gp_ctx *g, uint64_t session, uint32_t type,
			uint8_t a, int *all_a)
{
	struct qtee_gp_op op = { };
	static uint8_t buf[4096];
	uint32_t ret = ~0u;
	unsigned int i;

	memset(buf, 1, sizeof(buf));
	op.p[0] = (struct qtee_gp_param){ .type = QTEE_GP_VALUE_INPUT, .a = a };
	op.p[1] = (struct qtee_gp_param){ .type = type, .buf = buf,
					  .size = sizeof(buf),
					  .shm_size = sizeof(buf) };
	if (qtee_gp_invoke(g->fd, session, GP_CMD_FILL, &op, &ret) || ret)
		return ret ? ret : ~0u;
	for (i = 0; i < sizeof(buf) && buf[i] == a; i++)
		;
	*all_a = i == sizeof(buf) && op.p[1].size == sizeof(buf);
	return op.ret_value;
}

/* The release notifications for the waitCBO: one per session closed. */
static unsigned int gp_wait_releases(struct qtee_supp *s)
{
	unsigned int i, n = 0;

	pthread_mutex_lock(&s->lock);
	for (i = 0; i < s->releases && i < ARRAY_SIZE(s->released_ids); i++)
		n += s->released_ids[i] == GP_WAIT_ID;
	pthread_mutex_unlock(&s->lock);
	return n;
}

/* gp_test_client's tests on a preloaded gptest (real-clients.md 9.6). */
TEST(gp_test_client_preloaded)
{
	struct qtee_gp_op op;
	struct sim_stats base;
	struct app_refs r = { };
	struct gp_ctx g;
	uint8_t img[512], *tmp = malloc(0x2000), *shm, *big = malloc(0x1000);
	uint64_t s;
	uint32_t ret, cmd;
	size_t n, mapped;
	int all = 0, sfd, id;
	unsigned int i;

	LSN_BEGIN(base);
	ASSERT_NE(NULL, tmp);
	ASSERT_NE(NULL, big);
	ASSERT_EQ(0, gp_begin(&g));
	/* The preload: loadFromBuffer of gptest.mbn (a stand-in). */
	n = qtee_build_gp_elf(img, sizeof(img), "gptest", gp_uuid);
	ASSERT_NE(0, n);
	ASSERT_EQ(0, qtee_get_env(g.fd, QTEE_CRED_ID_BASE, &r.env));
	ASSERT_EQ(0, qtee_open_service(g.fd, r.env, QTEE_UID_LOADER,
				       &r.loader));
	ASSERT_EQ(0, qtee_load_app_buf(g.fd, r.loader, img, n, &r.ctrl));

	ASSERT_EQ(0, gp_open(&g, gp_uuid, &op, &s));
	EXPECT_EQ(0, op.ret_value);
	EXPECT_EQ(QTEE_TEEC_ORIGIN_TA, op.ret_origin);
	ASSERT_NE(0, s);
	/* compare_register (PARTIAL_INOUT) and compare_tmp (TEMP_INOUT). */
	EXPECT_EQ(0, gp_fill(&g, s, QTEE_GP_PARTIAL_INOUT, 42, &all));
	EXPECT_TRUE(all);
	all = 0;
	EXPECT_EQ(0, gp_fill(&g, s, QTEE_GP_TEMP_INOUT, 42, &all));
	EXPECT_TRUE(all);
	/* 11, 12, 15 pass; 16 (TA-TA negative) must not. */
	for (cmd = 11; cmd <= 16; cmd++) {
		if (cmd == 13 || cmd == 14)
			continue;
		memset(&op, 0, sizeof(op));
		ASSERT_EQ(0, qtee_gp_invoke(g.fd, s, cmd, &op, &ret));
		ASSERT_EQ(0, ret);
		EXPECT_EQ(cmd == 16, op.ret_value != 0);
	}
	/* temp_memory_ref: a 0x2000 TEMP_INPUT goes as a memory object. */
	memset(&op, 0, sizeof(op));
	memset(tmp, 3, 0x2000);
	memset(big, 1, 0x1000);
	op.p[0] = (struct qtee_gp_param){ .type = QTEE_GP_TEMP_INPUT,
					  .buf = tmp, .size = 0x2000 };
	op.p[1] = (struct qtee_gp_param){ .type = QTEE_GP_TEMP_INOUT,
					  .buf = big, .size = 0x1000 };
	op.p[2] = (struct qtee_gp_param){ .type = QTEE_GP_VALUE_INPUT,
					  .a = 72 };
	ASSERT_EQ(0, qtee_gp_invoke(g.fd, s, 20, &op, &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, op.ret_value);
	for (i = 0; i < 0x1000 && big[i] == 72; i++)
		;
	EXPECT_EQ(0x1000, i);
	/* allocate_partial: one 0x2800 shm, the same object twice. */
	id = qtee_shm_alloc(g.fd, GP_SHM_SIZE, (void **)&shm, &mapped, &sfd);
	ASSERT_LT(0, id);
	memset(shm, 1, 0x64);
	memset(shm + 0x64, 2, 0x2000);
	memset(shm + 0x2064, 3, GP_SHM_SIZE - 0x2064);
	memset(&op, 0, sizeof(op));
	op.p[0] = (struct qtee_gp_param){ .type = QTEE_GP_PARTIAL_INPUT,
					  .buf = shm, .size = 0x64,
					  .shm_id = id,
					  .shm_size = GP_SHM_SIZE };
	op.p[1] = (struct qtee_gp_param){ .type = QTEE_GP_PARTIAL_OUTPUT,
					  .buf = shm, .offset = 0x64,
					  .size = 0x2000, .shm_id = id,
					  .shm_size = GP_SHM_SIZE };
	ASSERT_EQ(0, qtee_gp_invoke(g.fd, s, 21, &op, &ret));
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, op.ret_value);
	EXPECT_EQ(0x2000, op.p[1].size);
	for (i = 0; i < GP_SHM_SIZE; i++)
		if (shm[i] != (i < 0x64 ? 1 : i < 0x2064 ? 4 : 3))
			break;
	EXPECT_EQ(GP_SHM_SIZE, i);
	munmap(shm, mapped);
	close(sfd);
	/* TEEC_CloseSession: release; QTEE drops the waitCBO. */
	EXPECT_EQ(0, qtee_release(g.fd, s));
	EXPECT_EQ(0, qtee_supp_wait_releases(&g.supp, 2, 3000));
	EXPECT_EQ(1, gp_wait_releases(&g.supp));
	/* The end of gp_test_client: unload, then release the controller. */
	EXPECT_EQ(0, qtee_invoke(g.fd, r.ctrl, QTEE_CTRL_OP_UNLOAD, NULL, 0,
				 &ret));
	EXPECT_EQ(0, ret);
	qtee_release(g.fd, r.ctrl);
	qtee_release(g.fd, r.loader);
	qtee_release(g.fd, r.env);
	gp_end(&g);
	free(tmp);
	free(big);
	expect_back_to(_metadata, &base);
}

/*
 * The TA-autoload init(); the provider serves gptest's UUID with an image
 * of @name whose metadata says @uuid, and answers 1 for other UUIDs.
 */
static int tabuf_start(struct lsn *l, const char *name, const uint8_t *uuid)
{
	int err = lsn_start_tabuf(l, LSN_CBO_ID, QTEE_OBJREF_USER);

	pthread_mutex_lock(&l->lock);
	l->tabuf = 1;
	memcpy(l->serve_uuid, gp_uuid, 16);
	l->img_len = qtee_build_gp_elf(l->img, sizeof(l->img), name, uuid);
	pthread_mutex_unlock(&l->lock);
	return err ? err : l->img_len ? 0 : -EINVAL;
}

/* openSession for gptest not loaded: QTEE asks the provider, loads it. */
TEST(gp_autoload)
{
	struct qtee_gp_op op;
	struct sim_stats base, st;
	struct gp_ctx g;
	struct lsn l;
	uint64_t s, s2;
	int all = 0;

	LSN_BEGIN(base);
	ASSERT_EQ(0, tabuf_start(&l, "gptest", gp_uuid));
	ASSERT_EQ(0, gp_begin(&g));
	ASSERT_EQ(0, gp_open(&g, gp_uuid, &op, &s));
	EXPECT_EQ(0, op.ret_value);
	ASSERT_NE(0, s);
	EXPECT_EQ(1, l.nops);
	EXPECT_EQ(0, memcmp(l.got_uuid, gp_uuid, 16));
	ASSERT_EQ(0, sim_read_stats(&st));
	EXPECT_EQ(base.apps + 1, st.apps);
	EXPECT_EQ(0, gp_fill(&g, s, QTEE_GP_PARTIAL_INOUT, 42, &all));
	EXPECT_TRUE(all);
	/* Loaded once: the second session does not ask again. */
	ASSERT_EQ(0, gp_open(&g, gp_uuid, &op, &s2));
	EXPECT_EQ(0, op.ret_value);
	EXPECT_EQ(1, l.nops);
	ASSERT_EQ(0, sim_read_stats(&st));
	EXPECT_EQ(base.apps + 1, st.apps);
	/* The last session closed unloads what QTEE autoloaded. */
	EXPECT_EQ(0, qtee_release(g.fd, s));
	EXPECT_EQ(0, qtee_release(g.fd, s2));
	EXPECT_EQ(0, qtee_supp_wait_releases(&g.supp, 3, 3000));
	EXPECT_EQ(2, gp_wait_releases(&g.supp));
	gp_end(&g);
	lsn_stop(&l);
	tabuf_drop(_metadata);
	expect_back_to(_metadata, &base);
}

/* No TA-buffer provider: TEEC_ERROR_ITEM_NOT_FOUND from the TEE. */
TEST(gp_autoload_no_listener)
{
	struct qtee_gp_op op;
	struct sim_stats base;
	struct gp_ctx g;
	uint64_t s = 1;

	LSN_BEGIN(base);
	ASSERT_EQ(0, gp_begin(&g));
	EXPECT_EQ(0, gp_open(&g, gp_uuid, &op, &s));
	EXPECT_EQ(QTEE_TEEC_ERROR_ITEM_NOT_FOUND, op.ret_value);
	EXPECT_EQ(QTEE_TEEC_ORIGIN_TEE, op.ret_origin);
	EXPECT_EQ(0, s);
	/* QTEE keeps no waitCBO: released after the call (and the creds). */
	EXPECT_EQ(0, qtee_supp_wait_releases(&g.supp, 2, 3000));
	EXPECT_EQ(1, gp_wait_releases(&g.supp));
	gp_end(&g);
	expect_back_to(_metadata, &base);
}

/* The provider answers an error, another TA's image, or is gone. */
TEST(gp_autoload_listener_errors)
{
	static const uint8_t other[16] = { 0xda, 0xc9, 0x02, 0xfd };
	struct qtee_gp_op op;
	struct sim_stats base;
	struct gp_ctx g;
	struct lsn l;
	uint64_t s = 1;

	LSN_BEGIN(base);
	ASSERT_EQ(0, tabuf_start(&l, "gptest", other));
	ASSERT_EQ(0, gp_begin(&g));
	/* The image it has says it is another TA ("u="): refused. */
	EXPECT_EQ(0, gp_open(&g, gp_uuid, &op, &s));
	EXPECT_EQ(QTEE_TEEC_ERROR_SECURITY, op.ret_value);
	EXPECT_EQ(QTEE_TEEC_ORIGIN_TEE, op.ret_origin);
	EXPECT_EQ(0, s);
	/* Not found (1), as taImageReader answers for a missing file. */
	EXPECT_EQ(0, gp_open(&g, other, &op, &s));
	EXPECT_EQ(QTEE_TEEC_ERROR_ITEM_NOT_FOUND, op.ret_value);
	EXPECT_EQ(0, s);
	pthread_mutex_lock(&l.lock);
	l.answer = QTEE_INVALID;
	pthread_mutex_unlock(&l.lock);
	EXPECT_EQ(0, gp_open(&g, gp_uuid, &op, &s));
	EXPECT_EQ(QTEE_TEEC_ERROR_ITEM_NOT_FOUND, op.ret_value);
	EXPECT_EQ(3, l.nops);
	/* The daemon is gone: its object answers DEFUNCT. */
	lsn_stop(&l);
	EXPECT_EQ(0, gp_open(&g, gp_uuid, &op, &s));
	EXPECT_EQ(QTEE_TEEC_ERROR_ITEM_NOT_FOUND, op.ret_value);
	EXPECT_EQ(0, s);
	/* Nothing was opened: each waitCBO sent came back (and the creds). */
	EXPECT_EQ(0, qtee_supp_wait_releases(&g.supp, 5, 3000));
	EXPECT_EQ(4, gp_wait_releases(&g.supp));
	gp_end(&g);
	tabuf_drop(_metadata);
	expect_back_to(_metadata, &base);
}

/* ---- must stay last -------------------------------------------------- */

/*
 * The harness runs fixtures in the order they are defined and the global
 * tests first: a fixture of its own keeps this check after every test.
 */
FIXTURE(zz_end) {
	int unused;
};

FIXTURE_SETUP(zz_end)
{
	TH_LOG("unbound %d kernel client(s) of QTEE services",
	       qtee_unbind_kernel_clients());
}

FIXTURE_TEARDOWN(zz_end)
{
}

TEST_F(zz_end, simulator_idle)
{
	struct sim_stats st;
	int fd;

	OPEN_OR_SKIP(fd);
	close(fd);
	if (!testsvc())
		SKIP(return, "no test-control service");
	EXPECT_EQ(0, sim_wait_idle(&st));
	TH_LOG("simulator: objects %ld ns_refs %ld ns_ids %ld in_flight %ld waiting %ld apps %ld callbacks %ld invocations %ld",
	       st.objects, st.ns_refs, st.ns_ids, st.in_flight, st.waiting,
	       st.apps, st.callbacks, st.invocations);
	EXPECT_EQ(0, st.objects);
	EXPECT_EQ(0, st.ns_refs);
	EXPECT_EQ(0, st.ns_ids);
	EXPECT_EQ(0, st.apps);
	EXPECT_LT(0, st.invocations);
}

TEST_HARNESS_MAIN
