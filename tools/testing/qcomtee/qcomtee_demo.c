// SPDX-License-Identifier: GPL-2.0
/*
 * qcomtee_demo: what a QTEE client does, step by step, with readable
 * output: the device's version, a client env registered with credentials
 * served by a supplicant thread, QTEE's version and heap statistics, the
 * skeleton TA loaded from a buffer and from a memory object and called, a
 * listener registered the way qtee_supplicant does it that QTEE asks for
 * the time, and the release notification of the credentials object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_sim_testapp.h"

#define SKELETON "/smcinvoke_skeleton_ta64.mbn"

static int failures;

static void check(int ok, const char *what, int err)
{
	if (!ok) {
		printf("  FAILED: %s (%d%s%s)\n", what, err,
		       err < 0 ? ": " : "", err < 0 ? strerror(-err) : "");
		failures++;
	}
}

static uint32_t supp_handler(struct qtee_supp *s, struct qtee_req *req,
			     void *meta, void *out, size_t cap)
{
	printf("  [supplicant] QTEE calls credentials object %llu, op %u (%s)\n",
	       (unsigned long long)req->params[0].a, req->func,
	       req->func == 0 ? "getLength" :
	       req->func == 1 ? "readAtOffset" : "?");
	return qtee_cred_handler(s, req, meta, out, cap);
}

/* The time listener's IListenerCBO: priv is its shared memory. */
static uint32_t time_handler(struct qtee_supp *s, struct qtee_req *req,
			     void *meta, void *out, size_t cap)
{
	uint32_t cmd;

	if (req->params[0].a >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	if (req->func == 1)		/* wait: never busy here */
		return 0;
	if (qtee_listener_request(req, out))
		return QTEE_INVALID;
	cmd = qtee_time_serve(s->priv);
	printf("  [time listener] QTEE asks 0x%x (%s)\n", cmd,
	       cmd == 0x304 ? "GET_TIME_MS" :
	       cmd == 0x302 ? "GET_UTC_SEC" : "?");
	return 0;
}

/* QTEE's secure time, through the test app: 0, or what failed. */
static int secure_time(int fd, uint64_t app, int quiet)
{
	struct tee_ioctl_param p[1];
	uint32_t ret = ~0u, t[4];
	uint64_t ms;
	int err;

	qtee_ubuf_out(&p[0], t, sizeof(t));
	err = qtee_invoke(fd, app, QTA_OP_TIME, p, 1, &ret);
	if (err || ret)
		return err ? err : (int)ret;
	memcpy(&ms, t, 8);
	if (!quiet)
		printf("  QTEE's secure time: %llu ms since the epoch, UTC %u.%09u s\n",
		       (unsigned long long)ms, t[2], t[3]);
	return 0;
}

/* One listener library's init() (minkipc.md 1.2), then QTEE uses it. */
static void time_listener(int fd, uint64_t env)
{
	uint64_t lenv, reg, loader, ctrl, app;
	struct qtee_supp lsupp;
	uint8_t img[512];
	size_t n, mapped;
	int lfd, sfd, id, err;
	uint32_t ret = ~0u;
	void *shm;

	lfd = qtee_open();
	check(lfd >= 0, "open a second fd", lfd);
	if (lfd < 0)
		return;
	id = qtee_shm_alloc(lfd, 20480, &shm, &mapped, &sfd);
	check(id > 0, "SHM_ALLOC", id);
	err = id > 0 ? qtee_supp_start(&lsupp, lfd, 4, time_handler, shm) : id;
	if (!err)
		err = qtee_get_env(lfd, QTEE_CRED_ID_BASE, &lenv);
	if (!err)
		err = qtee_open_service(lfd, lenv, QTEE_UID_REG_LISTENER, &reg);
	if (!err)
		err = qtee_listener_register(lfd, reg, QTEE_LISTENER_TIME,
					     QTEE_LISTENER_CBO_ID, id, &ret);
	check(!err && !ret, "register listener 0xb", err ? err : (int)ret);
	if (err || ret)
		return;
	qtee_release(lfd, lenv);
	printf("  registered listener 0xb (time) on a second fd: UID 87, callback object %d, shared memory id %d (%zu bytes), 4 threads\n",
	       QTEE_LISTENER_CBO_ID, id, mapped);

	n = qtee_build_elf(img, sizeof(img), QTA_NAME);
	err = qtee_open_service(fd, env, QTEE_UID_LOADER, &loader);
	if (!err)
		err = qtee_load_app_buf(fd, loader, img, n, &ctrl);
	if (!err)
		err = qtee_get_app(fd, ctrl, &app);
	check(!err, "load the test app", err);
	if (!err) {
		err = secure_time(fd, app, 0);
		check(!err, "secure time", err);
	}

	/* The daemon goes away: QTEE finds out (DEFUNCT twice) and drops it. */
	qtee_supp_stop(&lsupp);
	munmap(shm, mapped);
	close(sfd);
	close(lfd);
	if (!err) {
		secure_time(fd, app, 1);
		err = secure_time(fd, app, 1);
		check(err == -90, "DEFUNCT after the listener is gone", err);
		printf("  listener's fd closed: QTEE gets DEFUNCT (%d) and drops the registration\n",
		       err);
	}
	qtee_release(fd, app);
	qtee_release(fd, ctrl);
	qtee_release(fd, loader);
}

static void add(int fd, uint64_t app, uint32_t a, uint32_t b)
{
	uint32_t sum = 0;
	int err = qtee_add(fd, app, a, b, &sum);

	check(!err, "add", err);
	if (!err)
		printf("  add(%u, %u) = %u\n", a, b, sum);
}

static void skeleton(int fd, uint64_t env, const void *img, size_t len,
		     int from_memory)
{
	struct tee_ioctl_param p[2];
	uint64_t loader, ctrl, app;
	size_t mapped = 0;
	uint32_t ret = 0;
	void *map = NULL;
	int err, id = -1, sfd = -1;

	err = qtee_open_service(fd, env, QTEE_UID_LOADER, &loader);
	check(!err, "open app loader (UID 3)", err);
	if (err)
		return;
	if (from_memory) {
		id = qtee_shm_alloc(fd, len, &map, &mapped, &sfd);
		check(id >= 0, "TEE_IOC_SHM_ALLOC", id);
		if (id < 0)
			goto out_loader;
		memcpy(map, img, len);
		printf("  copied the image into shared memory id %d (%zu bytes mapped)\n",
		       id, mapped);
		qtee_obj_in(&p[0], id, QTEE_OBJREF_MEM);
		qtee_obj_out(&p[1]);
		err = qtee_invoke(fd, loader, QTEE_LOADER_OP_LOAD_REGION, p, 2,
				  &ret);
		if (!err)
			err = ret;
		ctrl = p[1].a;
		/* QTEE keeps its own mapping: our copy can go. */
		munmap(map, mapped);
		close(sfd);
	} else {
		err = qtee_load_app_buf(fd, loader, img, len, &ctrl);
	}
	check(!err, "load", err);
	if (err)
		goto out_loader;
	printf("  loaded smcinvoke_skeleton_ta64 from %s: controller handle %llu\n",
	       from_memory ? "a memory object" : "a buffer",
	       (unsigned long long)ctrl);
	err = qtee_get_app(fd, ctrl, &app);
	check(!err, "get app object", err);
	if (!err) {
		add(fd, app, 2, 3);
		add(fd, app, 1000000, 2345678);
		add(fd, app, 0xfffffff0, 0x100);
		qtee_release(fd, app);
	}
	qtee_release(fd, ctrl);
out_loader:
	qtee_release(fd, loader);
}

/* Prints a sysfs file of the diagnostics client bound from the TEE bus. */
static void show_diag_attr(const char *dir, const char *name)
{
	char path[256], buf[256];
	ssize_t n;
	int afd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	afd = open(path, O_RDONLY);
	check(afd >= 0, path, -errno);
	if (afd < 0)
		return;
	n = read(afd, buf, sizeof(buf) - 1);
	check(n > 0, path, n < 0 ? -errno : -EIO);
	if (n > 0) {
		buf[n] = 0;
		printf("  %s: %s", path, buf);
	}
	close(afd);
}

static void show_kernel_client(void)
{
	const char *dir = "/sys/bus/tee/devices/tee0-svc-143";
	char link[256], drv[256];
	ssize_t n;

	snprintf(link, sizeof(link), "%s/driver", dir);
	n = readlink(link, drv, sizeof(drv) - 1);
	check(n > 0, "diagnostics device has no driver", n < 0 ? -errno : -EIO);
	if (n <= 0)
		return;
	drv[n] = 0;
	printf("  %s is bound to %s\n", dir, strrchr(drv, '/') + 1);
	show_diag_attr(dir, "qtee_version");
	show_diag_attr(dir, "heap_info");
}

int main(void)
{
	struct tee_ioctl_version_data v;
	struct tee_ioctl_param p[2];
	uint32_t info[6], feature = QTEE_FEATURE_VERSION, ver = 0, ret;
	uint64_t env, svc;
	struct qtee_supp supp;
	size_t len = 0;
	void *img;
	int fd, err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("== qcomtee demo ==\n");
	fd = qtee_open();
	if (fd < 0) {
		printf("cannot open %s: %s\n", QTEE_DEV, strerror(-fd));
		return 1;
	}
	err = qtee_version(fd, &v);
	check(!err, "TEE_IOC_VERSION", err);
	printf("1. %s: impl_id %u (%s), gen_caps 0x%x%s\n", QTEE_DEV, v.impl_id,
	       v.impl_id == TEE_IMPL_ID_QTEE ? "QTEE" : "not QTEE",
	       v.gen_caps, v.gen_caps & TEE_GEN_CAP_OBJREF ? " (OBJREF)" : "");
	if (v.impl_id != TEE_IMPL_ID_QTEE)
		return 1;

	printf("2. register as a client (ROOT op 2) with a credentials callback object\n");
	err = qtee_supp_start(&supp, fd, 1, supp_handler, NULL);
	check(!err, "start supplicant", err);
	err = qtee_get_env(fd, QTEE_CRED_ID_BASE, &env);
	check(!err, "ROOT op 2", err);
	if (err) {
		printf("  supplicant: %u requests, %u SEND errors (last %d), RECV error %d\n",
		       supp.requests, supp.send_errors, supp.send_error,
		       supp.recv_error);
		return 1;
	}
	printf("  client env handle %llu (credentials: uid %u, %zu CBOR bytes)\n",
	       (unsigned long long)env, getuid(), supp.cred_len);

	printf("3. QTEE version (feature versions service, UID 2033)\n");
	err = qtee_open_service(fd, env, QTEE_UID_FEATURE, &svc);
	check(!err, "open UID 2033", err);
	if (!err) {
		qtee_ubuf_in(&p[0], &feature, sizeof(feature));
		qtee_ubuf_out(&p[1], &ver, sizeof(ver));
		err = qtee_invoke(fd, svc, 0, p, 2, &ret);
		check(!err && !ret, "feature 10", err ? err : (int)ret);
		printf("  QTEE version %u.%u.%u\n", (ver >> 22) & 0xff,
		       (ver >> 12) & 0xff, ver & 0xfff);
		qtee_release(fd, svc);
	}

	printf("4. diagnostics (UID 143): heap info\n");
	err = qtee_open_service(fd, env, QTEE_UID_DIAG, &svc);
	check(!err, "open UID 143", err);
	if (!err) {
		memset(info, 0, sizeof(info));
		qtee_ubuf_out(&p[0], info, sizeof(info));
		err = qtee_invoke(fd, svc, 0, p, 1, &ret);
		check(!err && !ret, "queryHeapInfo", err ? err : (int)ret);
		printf("  total %u, used %u, free %u, overhead %u, wasted %u, largest free block %u bytes\n",
		       info[0], info[1], info[2], info[3], info[4], info[5]);
		qtee_release(fd, svc);
	}

	img = qtee_read_file(SKELETON, &len);
	check(img != NULL, "read " SKELETON, -errno);
	if (img) {
		printf("5. skeleton TA from a buffer (%zu bytes)\n", len);
		skeleton(fd, env, img, len, 0);
		printf("6. skeleton TA from a memory object\n");
		skeleton(fd, env, img, len, 1);
		free(img);
	}

	printf("7. a listener, as qtee_supplicant registers one: QTEE asks Linux for the time\n");
	time_listener(fd, env);

	printf("8. release the client env: QTEE drops our credentials object\n");
	qtee_release(fd, env);
	err = qtee_supp_wait_releases(&supp, 1, 3000);
	check(!err, "release notification", err);
	if (!err)
		printf("  [supplicant] release notification for object %llu\n",
		       (unsigned long long)supp.released_ids[0]);
	qtee_supp_stop(&supp);
	close(fd);

	printf("9. a kernel client on the TEE bus: the qcomtee-diag driver\n");
	show_kernel_client();

	printf("== demo %s ==\n", failures ? "FAILED" : "done: all steps OK");
	return failures ? 1 : 0;
}
