// SPDX-License-Identifier: GPL-2.0
/*
 * qcomtee_listenerd: a small listener daemon shaped like MinkIPC's
 * qtee_supplicant (minkipc.md section 1): its five init()s in its order
 * (time 0xB, TA autoload, FS 0xA, GPFS 0x7000, RPMB 0x2000), each on a
 * fd of its own with four receiver threads: root op 2 with a credentials
 * object, ClientEnv.open(87) (268 for TA autoload), SHM_ALLOC, register,
 * release of the env. It serves the time listener and the FS listener
 * (files below ROOT, -r, default /tmp/qcomtee_fs); GPFS and RPMB answer 1
 * (not served), the TA-buffer object answers get with 1 (not found).
 * Once every listener is registered it prints "QTEE_SUPPLICANT RUNNING"
 * and pauses; if one fails it prints "ERROR: listeners registration
 * failed" and exits 255, like the real one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qcomtee_client.h"

struct listener {
	const char *name;
	uint32_t id;		/* 0: the TA-buffer provider (UID 268) */
	size_t size;
	int fd;
	struct qtee_supp supp;
	void *shm;
	size_t len;
	int sfd;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	int busy;
};

static const char *root = "/tmp/qcomtee_fs";

/* IListenerCBO (and IRequestTABuffer for the TA-buffer provider). */
static uint32_t handler(struct qtee_supp *s, struct qtee_req *req,
			void *meta, void *out, size_t cap)
{
	struct listener *l = s->priv;
	uint32_t ret = 0;

	if (req->params[0].a >= QTEE_CRED_ID_BASE)
		return qtee_cred_handler(s, req, meta, out, cap);
	if (!l->id)		/* get [IB 16, OO]: no images here */
		return req->func ? QTEE_INVALID : QTEE_ERROR;
	pthread_mutex_lock(&l->lock);
	if (req->func == 1) {	/* wait */
		while (l->busy)
			pthread_cond_wait(&l->idle, &l->lock);
		pthread_mutex_unlock(&l->lock);
		return 0;
	}
	if (qtee_listener_request(req, out) || l->busy) {
		ret = l->busy ? QTEE_LISTENER_BUSY : QTEE_INVALID;
		pthread_mutex_unlock(&l->lock);
		return ret;
	}
	l->busy = 1;
	pthread_mutex_unlock(&l->lock);

	if (l->id == QTEE_LISTENER_TIME)
		qtee_time_serve(l->shm);
	else if (l->id == 0xa)
		qtee_fs_serve(l->shm, root);
	else
		ret = QTEE_ERROR;	/* GPFS, RPMB: not served */

	pthread_mutex_lock(&l->lock);
	l->busy = 0;
	pthread_cond_broadcast(&l->idle);
	pthread_mutex_unlock(&l->lock);
	return ret;
}

/* One library's init(): 0 or a negative errno / positive QTEE result. */
static int listener_init(struct listener *l)
{
	struct tee_ioctl_param p[1];
	uint64_t env, reg;
	uint32_t ret = ~0u;
	int err;

	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->idle, NULL);
	l->fd = qtee_open();
	if (l->fd < 0)
		return l->fd;
	err = qtee_supp_start(&l->supp, l->fd, 4, handler, l);
	if (!err)
		err = qtee_get_env(l->fd, QTEE_CRED_ID_BASE, &env);
	if (!err)
		err = qtee_open_service(l->fd, env, l->id ?
					QTEE_UID_REG_LISTENER :
					QTEE_UID_REG_TABUF, &reg);
	if (err)
		return err;
	if (l->id) {
		l->sfd = -1;
		err = qtee_shm_alloc(l->fd, l->size, &l->shm, &l->len,
				     &l->sfd);
		if (err <= 0)
			return err ? err : -EINVAL;
		err = qtee_listener_register(l->fd, reg, l->id,
					     QTEE_LISTENER_CBO_ID, err, &ret);
	} else {
		qtee_obj_in(&p[0], QTEE_LISTENER_CBO_ID, QTEE_OBJREF_USER);
		err = qtee_invoke(l->fd, reg, 0, p, 1, &ret);
	}
	if (!err)
		err = qtee_release(l->fd, env);
	return err ? err : (int)ret;
}

int main(int argc, char **argv)
{
	static struct listener ls[] = {
		{ .name = "time", .id = QTEE_LISTENER_TIME, .size = 20480 },
		{ .name = "TA autoload" },
		{ .name = "FS", .id = 0xa, .size = 20480 },
		{ .name = "GPFS", .id = 0x7000, .size = 516096 },
		{ .name = "RPMB", .id = 0x2000, .size = 20040 },
	};
	unsigned int i;
	int opt, err;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r') {
			fprintf(stderr, "usage: %s [-r ROOT]\n", argv[0]);
			return 2;
		}
		root = optarg;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(ls) / sizeof(ls[0]); i++) {
		err = listener_init(&ls[i]);
		if (err) {
			printf("%s listener: init failed (%d)\n", ls[i].name,
			       err);
			printf("ERROR: listeners registration failed\n");
			return 255;
		}
	}
	printf("QTEE_SUPPLICANT RUNNING\n");
	for (;;)
		pause();
}
