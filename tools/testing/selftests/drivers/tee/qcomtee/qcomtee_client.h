/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small QTEE client library for the selftests and the demo: the ioctls of
 * Documentation/userspace-api (uapi.md) with plain helpers, and a
 * supplicant that serves callback (USER) objects from threads.
 */
#ifndef QCOMTEE_CLIENT_H
#define QCOMTEE_CLIENT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/tee.h>

#include "qcomtee_testsvc.h"

#define QTEE_DEV		"/dev/tee0"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

/* Object flags in OBJREF params (b). */
#define QTEE_OBJREF_TEE		1
#define QTEE_OBJREF_USER	2
#define QTEE_OBJREF_MEM		4

/* Reserved ops and QTEE results. */
#define QTEE_OP_RELEASE		0xffff
#define QTEE_OP_RETAIN		0xfffe
#define QTEE_OK			0
#define QTEE_ERROR		1
#define QTEE_INVALID		2
#define QTEE_SIZE_IN		3
#define QTEE_SIZE_OUT		4
#define QTEE_DEFUNCT		(-90)

/* ROOT, env and services. */
#define QTEE_ROOT_OP_REGISTER		2
#define QTEE_ROOT_OP_REGISTER_CRED	5
#define QTEE_ENV_OP_OPEN		0
#define QTEE_UID_DIAG			143
#define QTEE_UID_LOADER			3
#define QTEE_UID_FEATURE		2033
#define QTEE_LOADER_OP_LOAD_BUFFER	0
#define QTEE_LOADER_OP_LOAD_REGION	1
#define QTEE_CTRL_OP_UNLOAD		1
#define QTEE_CTRL_OP_GET_APP		2
#define QTEE_FEATURE_VERSION		10

/* Supplicant meta params. */
#define QTEE_META_RECV	(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_INOUT | \
			 TEE_IOCTL_PARAM_ATTR_META)
#define QTEE_META_SEND	(TEE_IOCTL_PARAM_ATTR_TYPE_VALUE_OUTPUT | \
			 TEE_IOCTL_PARAM_ATTR_META)

#define QTEE_MAX_PARAMS	64

/* Param helpers. */
void qtee_ubuf_in(struct tee_ioctl_param *p, const void *buf, size_t len);
void qtee_ubuf_out(struct tee_ioctl_param *p, void *buf, size_t len);
void qtee_obj_in(struct tee_ioctl_param *p, uint64_t id, uint64_t flags);
void qtee_obj_out(struct tee_ioctl_param *p);

int qtee_open(void);
/* 0 and impl_id/gen_caps, or -errno. */
int qtee_version(int fd, struct tee_ioctl_version_data *v);
/* Whether fd is a QTEE device (impl_id 4). */
int qtee_is_qtee(int fd);

/*
 * OBJECT_INVOKE: returns 0 or -errno; *ret gets QTEE's result. Outputs are
 * written back into params.
 */
int qtee_invoke(int fd, uint64_t id, uint32_t op,
		struct tee_ioctl_param *params, unsigned int n, uint32_t *ret);
/* Raw ioctl with a caller-built buffer of buf_len bytes: 0 or -errno. */
int qtee_invoke_raw(int fd, void *buf, size_t buf_len);
int qtee_release(int fd, uint64_t id);

/* SHM_ALLOC + mmap; returns the shm id or -errno, *map and *size set. */
int qtee_shm_alloc(int fd, size_t size, void **map, size_t *mapped,
		   int *shm_fd);

/* CBOR credentials {1: uid, 6: time_ms}; returns the length written. */
size_t qtee_cbor_cred(uint8_t *buf, size_t cap, uint64_t uid,
		      uint64_t time_ms);

/* SUPPL_RECV/SEND on a struct tee_iocl_supp_*_arg + params buffer. */
struct qtee_req {
	uint32_t func;
	uint32_t num_params;
	struct tee_ioctl_param params[1 + 16];
};

/* Waits for a request: meta buffer of meta_len bytes; 0 or -errno. */
int qtee_recv(int fd, struct qtee_req *req, void *meta, size_t meta_len,
	      unsigned int capacity);
/* Answers request req_id with ret and params[1..n) (params[0] set here). */
int qtee_send(int fd, uint64_t req_id, uint32_t ret,
	      struct tee_ioctl_param *params, unsigned int n);

/*
 * A supplicant: threads that serve USER objects of one fd. handler answers
 * a request (fills outs into req->params[1..], returns the object's
 * result); release notifications are counted. The default handler serves
 * credentials objects (ids with QTEE_CRED_ID_BASE bits).
 */
#define QTEE_CRED_ID_BASE	0x1000

struct qtee_supp;
typedef uint32_t (*qtee_handler_t)(struct qtee_supp *s, struct qtee_req *req,
				   void *meta, void *out_buf, size_t out_cap);

struct qtee_supp {
	int fd;
	unsigned int nthreads;
	pthread_t threads[8];
	qtee_handler_t handler;
	void *priv;
	uint8_t cred[64];
	size_t cred_len;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int requests;		/* answered requests */
	unsigned int releases;		/* release notifications */
	uint64_t released_ids[64];	/* the ids, in order */
	unsigned int send_errors;
	int send_error;			/* last SEND error */
	int recv_error;			/* first unexpected RECV error */
	int stop;			/* atomic */
};

int qtee_supp_start(struct qtee_supp *s, int fd, unsigned int nthreads,
		    qtee_handler_t handler, void *priv);
/*
 * Joins a thread that may be blocked in an ioctl, sending it SIGUSR1 (a
 * handler without SA_RESTART, installed by qtee_supp_start()) until it ends.
 */
void qtee_interrupt_join(pthread_t thread);
/* Stops the threads with a signal; returns 0 when every thread ended. */
void qtee_supp_stop(struct qtee_supp *s);
/* Waits until at least n release notifications arrived (ms timeout). */
int qtee_supp_wait_releases(struct qtee_supp *s, unsigned int n, int ms);
/* Waits until @n requests were answered (SEND returned). */
int qtee_supp_wait_requests(struct qtee_supp *s, unsigned int n, int ms);
/* The credentials handler alone, for handlers to fall back to. */
uint32_t qtee_cred_handler(struct qtee_supp *s, struct qtee_req *req,
			   void *meta, void *out_buf, size_t out_cap);

/* Flows. Each returns 0, or a QTEE result > 0 / < 0, or -errno. */
int qtee_get_env(int fd, uint64_t cred_id, uint64_t *env);
int qtee_open_service(int fd, uint64_t env, uint32_t uid, uint64_t *svc);
int qtee_load_app_buf(int fd, uint64_t loader, const void *img, size_t len,
		      uint64_t *ctrl);
int qtee_get_app(int fd, uint64_t ctrl, uint64_t *app);
int qtee_add(int fd, uint64_t app, uint32_t a, uint32_t b, uint32_t *sum);

/*
 * The test-control service of the QTEE model (qcomtee_testsvc.h), on an fd
 * of its own so that what it holds stays out of the callers' files: its
 * service object in QTEE, nothing else (the client env it was opened from
 * is released at once).
 */
struct qtee_testsvc {
	int fd;
	uint64_t obj;
};

/*
 * Opens the service: 0, -errno, or QTEE's result (2 INVALID where QTEE has
 * no such service, as on real QTEE). On failure nothing is left open.
 */
int qtee_testsvc_open(struct qtee_testsvc *t);
void qtee_testsvc_close(struct qtee_testsvc *t);
/* Invokes @op with an optional IB and OB: 0, -errno or QTEE's result. */
int qtee_testsvc_call(const struct qtee_testsvc *t, uint32_t op,
		      const void *ib, size_t ib_len, void *ob, size_t ob_len);
/* STATS into v[QCOMTEE_TESTSVC_STATS_NUM]. */
int qtee_testsvc_stats(const struct qtee_testsvc *t, uint64_t *v);
int qtee_testsvc_inject(const struct qtee_testsvc *t, uint32_t fault,
			uint32_t count, int32_t arg);

/*
 * Reads the "key value" lines of the first file matching @pattern (e.g.
 * "/sys/kernel/debug/qcomtee-tee*\/stats") into vals[i] for keys[i]; keys
 * not found are left untouched. Returns 0 or -errno.
 */
int qtee_read_counters(const char *pattern, const char *const *keys,
		       long *vals, unsigned int n);
/*
 * Unbinds the kernel clients of QTEE services (the qcomtee-diag TEE bus
 * driver) so that what they hold in QTEE is released too; returns how many.
 */
int qtee_unbind_kernel_clients(void);

/*
 * Listeners (minkipc.md sections 1-2): what one qtee_supplicant library
 * sends and answers.
 */
#define QTEE_UID_REG_LISTENER	87
#define QTEE_UID_REG_TABUF	268
#define QTEE_LISTENER_CBO_ID	2	/* libqcomtee: credentials 1, CBO 2 */
#define QTEE_LISTENER_TIME	0xb
#define QTEE_LISTENER_BUSY	((uint32_t)-99)

/* register op 0 [IB u32 id, IO cbo (USER), IO shm (MEM)]: 0 or -errno. */
int qtee_listener_register(int fd, uint64_t reg, uint32_t id, uint64_t cbo,
			   int shm_id, uint32_t *ret);
/*
 * Checks that @req is IListenerCBO op 0 request [OB, OB 4, 4 OO] and sets
 * its outputs as minkadaptor does (OB sizes echoed, OO NULL): 0, or 2
 * (INVALID) for anything else.
 */
uint32_t qtee_listener_request(struct qtee_req *req, void *out);
/*
 * The time listener (0xB): answers the command at offset 0 of @shm in
 * place (0x302 GET_UTC_SEC, 0x304 GET_TIME_MS, others ret -1); returns it.
 */
uint32_t qtee_time_serve(void *shm);
/*
 * The FS listener (0xA, minkipc.md 2.4): serves OPEN, READ, WRITE, CLOSE,
 * LSEEK, UNLINK and GET_ERRNO of the request at offset 0 of @shm (at least
 * 20012 bytes) on the files below @root (paths are @root + QTEE's path;
 * the prefix rewriting of libfsservice is not done). Other commands get
 * ret -1. Returns the command.
 */
uint32_t qtee_fs_serve(void *shm, const char *root);

/* Reads a whole file; caller frees. */
void *qtee_read_file(const char *path, size_t *len);
/* Builds an AArch64 ELF image with metadata "n=<name>"; returns its size. */
size_t qtee_build_elf(void *buf, size_t cap, const char *name);
/* The same with the GP UUID in the metadata ("u=", minkipc.md 4.3). */
size_t qtee_build_gp_elf(void *buf, size_t cap, const char *name,
			 const uint8_t uuid[16]);

/*
 * The GP TEE Client API over QTEE as libminkteec marshals it
 * (real-clients.md section 9): IGPAppClient (UID 409) op 0 openSession,
 * IGPSession op 1 invokeCommand; releasing the session closes it.
 */
#define QTEE_UID_GP_CLIENT	409
#define QTEE_GP_NONE		0
#define QTEE_GP_VALUE_INPUT	1
#define QTEE_GP_VALUE_OUTPUT	2
#define QTEE_GP_VALUE_INOUT	3
#define QTEE_GP_TEMP_INPUT	5
#define QTEE_GP_TEMP_OUTPUT	6
#define QTEE_GP_TEMP_INOUT	7
#define QTEE_GP_PARTIAL_INPUT	0xd
#define QTEE_GP_PARTIAL_OUTPUT	0xe
#define QTEE_GP_PARTIAL_INOUT	0xf
#define QTEE_TEEC_LOGIN_USER	1
#define QTEE_TEEC_ORIGIN_TEE	3
#define QTEE_TEEC_ORIGIN_TA	4
#define QTEE_TEEC_ERROR_ITEM_NOT_FOUND	0xffff0008u
#define QTEE_TEEC_ERROR_SECURITY	0xffff000fu

/*
 * One GP parameter: a value (a, b), a temp memref (buf, size; above 4096
 * bytes it goes in a shm of its own, as libminkteec does), or a partial
 * memref of a shm (buf = its mapping, shm_id, shm_size, offset, size;
 * above 4096 bytes of shm it goes as the memory object).
 */
struct qtee_gp_param {
	uint32_t type;
	uint32_t a, b;
	void *buf;
	size_t size;
	size_t offset;
	int shm_id;
	size_t shm_size;
};

struct qtee_gp_op {
	struct qtee_gp_param p[4];
	uint32_t ret_value, ret_origin;	/* set when the invoke returns 0 */
};

/*
 * openSession [IB 20, IB uuid, 4 IB, OB 24, 4 OB, IO waitCBO (USER
 * @wait_id), 4 IO, OO session]: 0 or -errno; *@ret gets QTEE's result,
 * @op the GP outcome and sizes, *@session the session or 0.
 */
int qtee_gp_open_session(int fd, uint64_t client, const uint8_t uuid[16],
			 uint32_t login, uint64_t wait_id,
			 struct qtee_gp_op *op, uint64_t *session,
			 uint32_t *ret);
/* invokeCommand [IB 20, 4 IB, OB 24, 4 OB, 4 IO]: as above. */
int qtee_gp_invoke(int fd, uint64_t session, uint32_t cmd,
		   struct qtee_gp_op *op, uint32_t *ret);

/*
 * A secure storage op of the simulator's test app (QTA_OP_STORE_*, see
 * qcomtee_sim_testapp.h): IB0 @name unless NULL, then IB1 the record (PUT)
 * or OB *@len bytes of @data (GET, LIST; *@len set to what QTEE wrote).
 * Returns QTEE's result, or ~0u if the ioctl failed.
 */
uint32_t qtee_store_op(int fd, uint64_t app, uint32_t op, const char *name,
		       void *data, size_t *len);

#endif /* QCOMTEE_CLIENT_H */
