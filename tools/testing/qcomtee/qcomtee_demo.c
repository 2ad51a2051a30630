// SPDX-License-Identifier: GPL-2.0
/*
 * qcomtee_demo: what a QTEE client does, step by step, with readable
 * output: the device's version, a client env registered with credentials
 * served by a supplicant thread, QTEE's version and heap statistics, the
 * skeleton TA loaded from a buffer and from a memory object and called,
 * the time and FS listeners registered the way qtee_supplicant does it,
 * QTEE asking for the time and storing and reading back a record through
 * them, and the release notification of the credentials object.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_sim_testapp.h"

#define SKELETON "/smcinvoke_skeleton_ta64.mbn"
#define FS_ROOT "/tmp/qcomtee_demo_fs"
/* Where the simulated QTEE keeps its records, below the listener's root. */
#define STORE_DIR FS_ROOT "/persist/data/qcomtee_sim/"
#define FS_LISTENER 0xa

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

/* A listener as one of qtee_supplicant's libraries runs it: own fd. */
struct listener {
	uint32_t id;
	int fd;
	int sfd;
	void *shm;
	size_t mapped;
	struct qtee_supp supp;
	pthread_mutex_t lock;
	char asked[256];	/* the FS commands of one storage operation */
};

/* IListenerCBO of the time listener (0xB) and the FS listener (0xA). */
static uint32_t listener_handler(struct qtee_supp *s, struct qtee_req *req,
				 void *meta, void *out, size_t cap)
{
	static const struct { uint32_t cmd; const char *name; } fs_cmds[] = {
		{ 0x202, "OPEN" }, { 0x207, "READ" }, { 0x208, "WRITE" },
		{ 0x209, "CLOSE" }, { 0x20a, "LSEEK" }, { 0x20c, "UNLINK" },
		{ 0x21c, "GET_ERRNO" },
	};
	struct listener *l = s->priv;
	const char *name = "?";
	uint32_t cmd;
	size_t i, n;

	if (req->params[0].a >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	if (req->func == 1)		/* wait: never busy here */
		return 0;
	if (qtee_listener_request(req, out))
		return QTEE_INVALID;
	if (l->id == QTEE_LISTENER_TIME) {
		cmd = qtee_time_serve(l->shm);
		printf("  [time listener] QTEE asks 0x%x (%s)\n", cmd,
		       cmd == 0x304 ? "GET_TIME_MS" :
		       cmd == 0x302 ? "GET_UTC_SEC" : "?");
		return 0;
	}
	cmd = qtee_fs_serve(l->shm, FS_ROOT);
	for (i = 0; i < sizeof(fs_cmds) / sizeof(fs_cmds[0]); i++)
		if (fs_cmds[i].cmd == cmd)
			name = fs_cmds[i].name;
	pthread_mutex_lock(&l->lock);
	n = strlen(l->asked);
	snprintf(l->asked + n, sizeof(l->asked) - n, "%s%s", n ? " " : "",
		 name);
	pthread_mutex_unlock(&l->lock);
	return 0;
}

/* Prints and forgets the FS commands QTEE sent since the last call. */
static void fs_asked(struct listener *fs)
{
	pthread_mutex_lock(&fs->lock);
	printf("  [FS listener] QTEE asked: %s\n",
	       fs->asked[0] ? fs->asked : "nothing");
	fs->asked[0] = '\0';
	pthread_mutex_unlock(&fs->lock);
}

/* One listener library's init() (minkipc.md 1.2): 0, or what failed. */
static int listener_init(struct listener *l, uint32_t id)
{
	uint64_t env, reg;
	uint32_t ret = ~0u;
	int err, shm_id;

	memset(l, 0, sizeof(*l));
	l->id = id;
	l->sfd = -1;
	pthread_mutex_init(&l->lock, NULL);
	l->fd = qtee_open();
	if (l->fd < 0)
		return l->fd;
	shm_id = qtee_shm_alloc(l->fd, 20480, &l->shm, &l->mapped, &l->sfd);
	if (shm_id <= 0)
		return shm_id ? shm_id : -EINVAL;
	err = qtee_supp_start(&l->supp, l->fd, 4, listener_handler, l);
	if (!err)
		err = qtee_get_env(l->fd, QTEE_CRED_ID_BASE, &env);
	if (!err)
		err = qtee_open_service(l->fd, env, QTEE_UID_REG_LISTENER,
					&reg);
	if (!err)
		err = qtee_listener_register(l->fd, reg, id,
					     QTEE_LISTENER_CBO_ID, shm_id, &ret);
	if (!err)
		err = qtee_release(l->fd, env);
	return err ? err : (int)ret;
}

/* The daemon goes away: its fd closes with everything on it. */
static void listener_exit(struct listener *l)
{
	qtee_supp_stop(&l->supp);
	munmap(l->shm, l->mapped);
	close(l->sfd);
	close(l->fd);
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

/* QTEE stores a record through the FS listener and reads it back. */
static void secure_storage(int fd, uint64_t app, struct listener *fs)
{
	static const char record[] = "hello from the secure world";
	char back[64] = "";
	size_t len = sizeof(record), n = 0;
	void *file;
	int err;

	err = qtee_store_op(fd, app, QTA_OP_STORE_PUT, "demo", (void *)record,
			    &len);
	check(!err, "store a record", err);
	printf("  QTEE stores \"%s\" as record \"demo\"\n", record);
	fs_asked(fs);
	file = qtee_read_file(STORE_DIR "demo", &n);
	check(file && n == sizeof(record) && !memcmp(file, record, n),
	      "the record's file", -ENOENT);
	if (file)
		printf("  the listener wrote %s (%zu bytes)\n", STORE_DIR "demo",
		       n);
	free(file);

	len = sizeof(back) - 1;
	err = qtee_store_op(fd, app, QTA_OP_STORE_GET, "demo", back, &len);
	check(!err && len == sizeof(record) && !strcmp(back, record),
	      "read the record back", err);
	printf("  QTEE reads it back: \"%s\"\n", back);
	fs_asked(fs);

	err = qtee_store_op(fd, app, QTA_OP_STORE_DELETE, "demo", NULL, NULL);
	check(!err && access(STORE_DIR "demo", F_OK), "delete the record",
	      err);
	printf("  QTEE deletes it: %s is gone\n", STORE_DIR "demo");
	fs_asked(fs);
}

/* qtee_supplicant's time and FS listeners, then QTEE uses them. */
static void listeners(int fd, uint64_t env)
{
	struct listener time, fs;
	uint64_t loader, ctrl, app;
	uint8_t img[512];
	int err;
	size_t n;

	err = listener_init(&time, QTEE_LISTENER_TIME);
	check(!err, "register listener 0xb", err);
	if (!err) {
		err = listener_init(&fs, FS_LISTENER);
		check(!err, "register listener 0xa", err);
		if (err)
			listener_exit(&time);
	}
	if (err)
		return;
	printf("  registered listeners 0xb (time) and 0xa (FS), each on a fd of its own: UID 87, callback object %d, %zu bytes of shared memory, 4 threads\n",
	       QTEE_LISTENER_CBO_ID, time.mapped);

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
		secure_storage(fd, app, &fs);
	}

	/* The daemon goes away: QTEE finds out (DEFUNCT twice) and drops it. */
	listener_exit(&time);
	listener_exit(&fs);
	if (!err) {
		secure_time(fd, app, 1);
		err = secure_time(fd, app, 1);
		check(err == -90, "DEFUNCT after the listener is gone", err);
		printf("  listeners' fds closed: QTEE gets DEFUNCT (%d) and drops the registration\n",
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

	printf("7. listeners, as qtee_supplicant registers them: QTEE asks Linux for the time and keeps a record in a file\n");
	listeners(fd, env);

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
