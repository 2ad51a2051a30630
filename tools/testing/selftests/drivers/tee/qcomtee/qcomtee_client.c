// SPDX-License-Identifier: GPL-2.0
/*
 * A small QTEE client library for the selftests and the demo.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qcomtee_client.h"
#include "qcomtee_sim_testapp.h"

void qtee_ubuf_in(struct tee_ioctl_param *p, const void *buf, size_t len)
{
	p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	p->a = (uintptr_t)buf;
	p->b = len;
	p->c = 0;
}

void qtee_ubuf_out(struct tee_ioctl_param *p, void *buf, size_t len)
{
	p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT;
	p->a = (uintptr_t)buf;
	p->b = len;
	p->c = 0;
}

void qtee_obj_in(struct tee_ioctl_param *p, uint64_t id, uint64_t flags)
{
	p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT;
	p->a = id;
	p->b = flags;
	p->c = 0;
}

void qtee_obj_out(struct tee_ioctl_param *p)
{
	p->attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT;
	p->a = 0;
	p->b = 0;
	p->c = 0;
}

int qtee_open(void)
{
	int fd = open(QTEE_DEV, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int qtee_version(int fd, struct tee_ioctl_version_data *v)
{
	memset(v, 0, sizeof(*v));
	return ioctl(fd, TEE_IOC_VERSION, v) ? -errno : 0;
}

int qtee_is_qtee(int fd)
{
	struct tee_ioctl_version_data v;

	return !qtee_version(fd, &v) && v.impl_id == TEE_IMPL_ID_QTEE;
}

int qtee_invoke_raw(int fd, void *buf, size_t buf_len)
{
	struct tee_ioctl_buf_data data = {
		.buf_ptr = (uintptr_t)buf,
		.buf_len = buf_len,
	};

	return ioctl(fd, TEE_IOC_OBJECT_INVOKE, &data) ? -errno : 0;
}

int qtee_invoke(int fd, uint64_t id, uint32_t op,
		struct tee_ioctl_param *params, unsigned int n, uint32_t *ret)
{
	struct {
		struct tee_ioctl_object_invoke_arg arg;
		struct tee_ioctl_param params[QTEE_MAX_PARAMS];
	} buf;
	int err;

	if (n > QTEE_MAX_PARAMS)
		return -E2BIG;
	memset(&buf.arg, 0, sizeof(buf.arg));
	buf.arg.id = id;
	buf.arg.op = op;
	buf.arg.num_params = n;
	if (n)
		memcpy(buf.params, params, n * sizeof(*params));
	err = qtee_invoke_raw(fd, &buf, sizeof(buf.arg) + n * sizeof(*params));
	if (err)
		return err;
	if (n)
		memcpy(params, buf.params, n * sizeof(*params));
	if (ret)
		*ret = buf.arg.ret;
	return 0;
}

int qtee_release(int fd, uint64_t id)
{
	uint32_t ret = ~0u;
	int err = qtee_invoke(fd, id, QTEE_OP_RELEASE, NULL, 0, &ret);

	if (!err && ret)
		return (int)ret;
	return err;
}

int qtee_shm_alloc(int fd, size_t size, void **map, size_t *mapped,
		   int *shm_fd)
{
	struct tee_ioctl_shm_alloc_data data = { .size = size };
	void *p;
	int sfd;

	sfd = ioctl(fd, TEE_IOC_SHM_ALLOC, &data);
	if (sfd < 0)
		return -errno;
	p = mmap(NULL, data.size, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	if (p == MAP_FAILED) {
		int err = -errno;

		close(sfd);
		return err;
	}
	*map = p;
	*mapped = data.size;
	*shm_fd = sfd;
	return data.id;
}

static size_t cbor_uint(uint8_t *p, uint8_t major, uint64_t v)
{
	size_t n, i;

	if (v < 24) {
		p[0] = major << 5 | v;
		return 1;
	}
	if (v <= 0xff) {
		p[0] = major << 5 | 24;
		n = 1;
	} else if (v <= 0xffff) {
		p[0] = major << 5 | 25;
		n = 2;
	} else if (v <= 0xffffffffull) {
		p[0] = major << 5 | 26;
		n = 4;
	} else {
		p[0] = major << 5 | 27;
		n = 8;
	}
	for (i = 0; i < n; i++)
		p[1 + i] = v >> (8 * (n - 1 - i));
	return 1 + n;
}

size_t qtee_cbor_cred(uint8_t *buf, size_t cap, uint64_t uid,
		      uint64_t time_ms)
{
	size_t n = 0;

	if (cap < 1 + 2 * (1 + 9))
		return 0;
	n += cbor_uint(buf + n, 5, 2);		/* map of 2 pairs */
	n += cbor_uint(buf + n, 0, 1);
	n += cbor_uint(buf + n, 0, uid);
	n += cbor_uint(buf + n, 0, 6);
	n += cbor_uint(buf + n, 0, time_ms);
	return n;
}

int qtee_recv(int fd, struct qtee_req *req, void *meta, size_t meta_len,
	      unsigned int capacity)
{
	struct tee_ioctl_buf_data data;
	unsigned int i;

	if (capacity > 1 + 16)
		capacity = 1 + 16;
	memset(req, 0, sizeof(*req));
	req->num_params = capacity;
	req->params[0].attr = QTEE_META_RECV;
	req->params[0].a = (uintptr_t)meta;
	req->params[0].b = meta_len;
	for (i = 1; i < capacity; i++)
		req->params[i].attr = TEE_IOCTL_PARAM_ATTR_TYPE_NONE;
	data.buf_ptr = (uintptr_t)req;
	data.buf_len = 8 + capacity * sizeof(struct tee_ioctl_param);
	return ioctl(fd, TEE_IOC_SUPPL_RECV, &data) ? -errno : 0;
}

int qtee_send(int fd, uint64_t req_id, uint32_t ret,
	      struct tee_ioctl_param *params, unsigned int n)
{
	struct {
		uint32_t ret;
		uint32_t num_params;
		struct tee_ioctl_param params[1 + 16];
	} buf;
	struct tee_ioctl_buf_data data;

	if (n > 1 + 16 || !n)
		return -E2BIG;
	memset(&buf, 0, sizeof(buf));
	buf.ret = ret;
	buf.num_params = n;
	if (n > 1)
		memcpy(&buf.params[1], &params[1], (n - 1) * sizeof(*params));
	buf.params[0].attr = QTEE_META_SEND;
	buf.params[0].a = req_id;
	data.buf_ptr = (uintptr_t)&buf;
	data.buf_len = 8 + n * sizeof(struct tee_ioctl_param);
	return ioctl(fd, TEE_IOC_SUPPL_SEND, &data) ? -errno : 0;
}

static struct tee_ioctl_param *find_param(struct qtee_req *req, uint64_t attr,
					  unsigned int nth)
{
	unsigned int i;

	for (i = 1; i < req->num_params; i++)
		if (req->params[i].attr == attr && !nth--)
			return &req->params[i];
	return NULL;
}

uint32_t qtee_cred_handler(struct qtee_supp *s, struct qtee_req *req,
			   void *meta, void *out_buf, size_t out_cap)
{
	struct tee_ioctl_param *ib, *ob;
	uint64_t off, len = s->cred_len, n;

	(void)meta;
	ob = find_param(req, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT, 0);
	switch (req->func) {
	case 0:		/* getLength */
		if (!ob || ob->b < 8 || out_cap < 8)
			return QTEE_INVALID;
		memcpy(out_buf, &len, 8);
		ob->a = (uintptr_t)out_buf;
		ob->b = 8;
		return QTEE_OK;
	case 1:		/* readAtOffset */
		ib = find_param(req, TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT, 0);
		if (!ob || !ib || ib->b != 8)
			return QTEE_INVALID;
		memcpy(&off, (void *)(uintptr_t)ib->a, 8);
		if (off > len)
			return QTEE_INVALID;
		n = len - off;
		if (n > ob->b)
			n = ob->b;
		if (n > out_cap)
			n = out_cap;
		memcpy(out_buf, s->cred + off, n);
		ob->a = (uintptr_t)out_buf;
		ob->b = n;
		return QTEE_OK;
	default:
		return QTEE_INVALID;
	}
}

static void qtee_sigusr1(int sig)
{
	(void)sig;
}

static void *supp_thread(void *arg)
{
	struct qtee_supp *s = arg;
	uint64_t meta[1024 / 8];
	uint8_t out[4096];
	struct qtee_req req;
	uint32_t ret;
	int err;

	while (!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		err = qtee_recv(s->fd, &req, meta, sizeof(meta), 11);
		if (err) {
			if (err == -EINTR)
				continue;
			pthread_mutex_lock(&s->lock);
			if (!s->recv_error)
				s->recv_error = err;
			pthread_mutex_unlock(&s->lock);
			break;
		}
		if (req.func == QTEE_OP_RELEASE) {
			pthread_mutex_lock(&s->lock);
			if (s->releases < 64)
				s->released_ids[s->releases] = req.params[0].a;
			s->releases++;
			pthread_cond_broadcast(&s->cond);
			pthread_mutex_unlock(&s->lock);
			continue;
		}
		ret = s->handler(s, &req, meta, out, sizeof(out));
		err = qtee_send(s->fd, req.params[0].b, ret, req.params,
				ret ? 1 : req.num_params);
		pthread_mutex_lock(&s->lock);
		if (err) {
			s->send_errors++;
			s->send_error = err;
		}
		s->requests++;
		pthread_cond_broadcast(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

int qtee_supp_start(struct qtee_supp *s, int fd, unsigned int nthreads,
		    qtee_handler_t handler, void *priv)
{
	struct sigaction sa = { .sa_handler = qtee_sigusr1 };
	struct timespec ts;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: RECV sees EINTR */
	s->fd = fd;
	s->handler = handler ? handler : qtee_cred_handler;
	s->priv = priv;
	clock_gettime(CLOCK_REALTIME, &ts);
	s->cred_len = qtee_cbor_cred(s->cred, sizeof(s->cred), getuid(),
				     ts.tv_sec * 1000ull + ts.tv_nsec / 1000000);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (nthreads > 8)
		nthreads = 8;
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&s->threads[i], NULL, supp_thread, s))
			break;
		s->nthreads++;
	}
	return s->nthreads == nthreads ? 0 : -EAGAIN;
}

void qtee_interrupt_join(pthread_t thread)
{
	struct timespec ts;

	for (;;) {
		pthread_kill(thread, SIGUSR1);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 20 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (!pthread_timedjoin_np(thread, NULL, &ts))
			return;
	}
}

void qtee_supp_stop(struct qtee_supp *s)
{
	unsigned int i;

	__atomic_store_n(&s->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < s->nthreads; i++)
		qtee_interrupt_join(s->threads[i]);
	s->nthreads = 0;
}

/* Waits until *@counter (under @s->lock) reaches @n or @ms pass. */
static int supp_wait_count(struct qtee_supp *s, const unsigned int *counter,
			   unsigned int n, int ms)
{
	struct timespec ts;
	int err = 0, ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&s->lock);
	while (*counter < n && !err)
		err = pthread_cond_timedwait(&s->cond, &s->lock, &ts);
	ok = *counter >= n;
	pthread_mutex_unlock(&s->lock);
	return ok ? 0 : -ETIMEDOUT;
}

int qtee_supp_wait_releases(struct qtee_supp *s, unsigned int n, int ms)
{
	return supp_wait_count(s, &s->releases, n, ms);
}

/*
 * The invoker may wake up before the supplicant thread that answered it
 * has counted its SEND: tests wait for the count before reading it.
 */
int qtee_supp_wait_requests(struct qtee_supp *s, unsigned int n, int ms)
{
	return supp_wait_count(s, &s->requests, n, ms);
}

/*
 * Invokes @id with the input @in and one output object, which must be a
 * QTEE object: its handle in *@obj. An errno, QTEE's result, or -EPROTO.
 */
static int invoke_for_tee_object(int fd, uint64_t id, uint32_t op,
				 const struct tee_ioctl_param *in,
				 uint64_t *obj)
{
	struct tee_ioctl_param p[2] = { *in };
	uint32_t ret;
	int err;

	qtee_obj_out(&p[1]);
	err = qtee_invoke(fd, id, op, p, 2, &ret);
	if (err)
		return err;
	if (ret)
		return (int)ret;
	if (p[1].b != QTEE_OBJREF_TEE)
		return -EPROTO;
	*obj = p[1].a;
	return 0;
}

int qtee_get_env(int fd, uint64_t cred_id, uint64_t *env)
{
	struct tee_ioctl_param in;

	qtee_obj_in(&in, cred_id, QTEE_OBJREF_USER);
	return invoke_for_tee_object(fd, TEE_OBJREF_NULL,
				     QTEE_ROOT_OP_REGISTER, &in, env);
}

int qtee_open_service(int fd, uint64_t env, uint32_t uid, uint64_t *svc)
{
	struct tee_ioctl_param in;

	qtee_ubuf_in(&in, &uid, sizeof(uid));
	return invoke_for_tee_object(fd, env, QTEE_ENV_OP_OPEN, &in, svc);
}

int qtee_load_app_buf(int fd, uint64_t loader, const void *img, size_t len,
		      uint64_t *ctrl)
{
	struct tee_ioctl_param p[2];
	uint32_t ret;
	int err;

	qtee_ubuf_in(&p[0], img, len);
	qtee_obj_out(&p[1]);
	err = qtee_invoke(fd, loader, QTEE_LOADER_OP_LOAD_BUFFER, p, 2, &ret);
	if (err)
		return err;
	if (ret)
		return (int)ret;
	*ctrl = p[1].a;
	return 0;
}

int qtee_get_app(int fd, uint64_t ctrl, uint64_t *app)
{
	struct tee_ioctl_param p[1];
	uint32_t ret;
	int err;

	qtee_obj_out(&p[0]);
	err = qtee_invoke(fd, ctrl, QTEE_CTRL_OP_GET_APP, p, 1, &ret);
	if (err)
		return err;
	if (ret)
		return (int)ret;
	*app = p[0].a;
	return 0;
}

int qtee_add(int fd, uint64_t app, uint32_t a, uint32_t b, uint32_t *sum)
{
	uint32_t in[2] = { a, b }, out = 0, ret;
	struct tee_ioctl_param p[2];
	int err;

	qtee_ubuf_in(&p[0], in, sizeof(in));
	qtee_ubuf_out(&p[1], &out, sizeof(out));
	err = qtee_invoke(fd, app, 0, p, 2, &ret);
	if (err)
		return err;
	if (ret)
		return (int)ret;
	if (p[1].b != sizeof(out))
		return -EPROTO;
	*sum = out;
	return 0;
}

void *qtee_read_file(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !st.st_size) {
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size);
	if (buf && read(fd, buf, st.st_size) != st.st_size) {
		free(buf);
		buf = NULL;
	}
	close(fd);
	*len = st.st_size;
	return buf;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

/* Program header @i (ELF64) of a segment of @len bytes at @off. */
static void put_phdr64(uint8_t *p, unsigned int i, uint32_t type,
		       uint32_t flags, size_t off, size_t len)
{
	uint8_t *ph = p + 64 + 56 * i;

	put32(ph, type);
	put32(ph + 4, flags);
	put64(ph + 8, off);
	put64(ph + 16, 0x1000 * (i + 1));	/* p_vaddr */
	put64(ph + 24, 0x1000 * (i + 1));	/* p_paddr */
	put64(ph + 32, len);			/* p_filesz */
	put64(ph + 40, len);			/* p_memsz */
	put64(ph + 48, 8);			/* p_align */
}

/*
 * The shape of a real TA image (minkipc.md section 4): an executable
 * segment whose printf formats contain "n=0x%x", then the metadata segment
 * (PT_LOAD, p_flags 0x04000006): the name, "1.0", "None", a table, the
 * metadata string ending with @extra and the 16-byte trailer.
 */
static size_t build_elf(void *buf, size_t cap, const char *name,
			const char *extra)
{
	static const char code[] = "[%s:%d] return=0x%x n=0x%x";
	static const char trailer[16] = "obL$`P*8L)~s3L}";
	uint8_t *p = buf;
	size_t code_off = 64 + 2 * 56, meta_off, pos, mlen;
	char meta[160];

	mlen = snprintf(meta, sizeof(meta),
			"A=a;B=true;a=true;n=%s;p=8:d47729cf3f4181,61:2%s",
			name, extra) + 1;
	meta_off = code_off + ((sizeof(code) + 7) & ~7ul);
	if (mlen > sizeof(meta) ||
	    meta_off + strlen(name) + 1 + 9 + 8 + 32 + mlen + 16 > cap)
		return 0;
	memset(p, 0, cap);
	memcpy(p, "\177ELF", 4);
	p[4] = 2;			/* ELFCLASS64 */
	p[5] = 1;			/* ELFDATA2LSB */
	p[6] = 1;			/* EV_CURRENT */
	put16(p + 16, 2);		/* ET_EXEC */
	put16(p + 18, 183);		/* EM_AARCH64 */
	put32(p + 20, 1);
	put64(p + 32, 64);		/* e_phoff */
	put16(p + 52, 64);		/* e_ehsize */
	put16(p + 54, 56);		/* e_phentsize */
	put16(p + 56, 2);		/* e_phnum */
	memcpy(p + code_off, code, sizeof(code));
	put_phdr64(p, 0, 1, 5, code_off, sizeof(code));	/* PT_LOAD R X */
	pos = meta_off;
	memcpy(p + pos, name, strlen(name) + 1);
	pos += strlen(name) + 1;
	memcpy(p + pos, "1.0\0None", 9);
	pos = (pos + 9 + 7) & ~7ul;
	memset(p + pos, 0xff, 16);		/* a table: 0xff..., then sizes */
	put64(p + pos + 16, 0x1000);
	put64(p + pos + 24, 0x3c);
	pos += 32;
	memcpy(p + pos, meta, mlen);
	pos += mlen;
	memcpy(p + pos, trailer, sizeof(trailer));
	pos += sizeof(trailer);
	put_phdr64(p, 1, 1, 0x04000006, meta_off, pos - meta_off);
	return pos;
}

size_t qtee_build_elf(void *buf, size_t cap, const char *name)
{
	return build_elf(buf, cap, name, "");
}

size_t qtee_build_gp_elf(void *buf, size_t cap, const char *name,
			 const uint8_t uuid[16])
{
	char extra[4 + 2 * 16 + 1] = ";u=";
	unsigned int i;

	for (i = 0; i < 16; i++)
		sprintf(extra + 3 + 2 * i, "%02X", uuid[i]);
	return build_elf(buf, cap, name, extra);
}

/* GP over QTEE, as libminkteec marshals it (real-clients.md 9.2-9.4). */

#define GP_INLINE_MAX	4096
#define GP_EX_NULL	1
#define GP_EX_DUP	2
#define GP_EX_FORCE_RW	3

/* What one call marshals: its slots, and shms made for large temps. */
struct gp_wire {
	struct tee_ioctl_param i[4], o[4], mem[4];
	uint8_t mop[4][24];
	uint8_t vin[4][8], vout[4][8];
	uint8_t res[24];
	uint32_t types, ex;
	struct { void *map; size_t len; int sfd; } tmp[4];
};

static void gp_put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static uint32_t gp_get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static int gp_is_output(uint32_t type)
{
	return type & 2;	/* OUTPUT and INOUT, values and memrefs */
}

/* A memref in a memory object: i is its MemoryObjectParameters. */
static void gp_memobj(struct gp_wire *w, unsigned int n, int shm_id,
		      uint64_t size, uint64_t offset)
{
	memset(w->mop[n], 0, 24);
	memcpy(w->mop[n], &size, 8);
	memcpy(w->mop[n] + 8, &offset, 8);
	qtee_ubuf_in(&w->i[n], w->mop[n], 24);
	qtee_obj_in(&w->mem[n], shm_id, QTEE_OBJREF_MEM);
}

/* Parameter @n of @op into @w; 0 or -errno. */
static int gp_marshal_one(int fd, struct gp_wire *w,
			  const struct qtee_gp_op *op, unsigned int n)
{
	const struct qtee_gp_param *p = &op->p[n];
	uint32_t type = p->type, wire;
	uint8_t *mem;
	unsigned int k;
	int id;

	wire = type >= QTEE_GP_PARTIAL_INPUT ? type - 8 : type;
	w->types |= wire << (4 * n);
	if (type == QTEE_GP_NONE)
		return 0;
	if (type <= QTEE_GP_VALUE_INOUT) {
		memcpy(w->vin[n], &p->a, 4);
		memcpy(w->vin[n] + 4, &p->b, 4);
		if (type != QTEE_GP_VALUE_OUTPUT)
			qtee_ubuf_in(&w->i[n], w->vin[n], 8);
		if (gp_is_output(type))
			qtee_ubuf_out(&w->o[n], w->vout[n], 8);
		return 0;
	}
	if (type >= QTEE_GP_PARTIAL_INPUT && p->shm_size > GP_INLINE_MAX) {
		gp_memobj(w, n, p->shm_id, p->size, p->offset);
		for (k = 0; k < n; k++) {
			if (op->p[k].type < QTEE_GP_PARTIAL_INPUT ||
			    op->p[k].shm_id != p->shm_id)
				continue;
			w->ex |= GP_EX_DUP << (4 * n);
			if (gp_is_output(wire))
				w->ex |= GP_EX_FORCE_RW << (4 * k);
			break;
		}
		return 0;
	}
	mem = p->buf;
	if (type >= QTEE_GP_PARTIAL_INPUT)
		mem += p->offset;
	if (!mem) {
		w->ex |= GP_EX_NULL << (4 * n);
		return 0;
	}
	if (p->size <= GP_INLINE_MAX) {
		qtee_ubuf_in(&w->i[n], mem, p->size);
		if (gp_is_output(wire))
			qtee_ubuf_out(&w->o[n], mem, p->size);
		return 0;
	}
	/* A large temp memref: a shm backed by a memory object. */
	id = qtee_shm_alloc(fd, p->size, &w->tmp[n].map, &w->tmp[n].len,
			    &w->tmp[n].sfd);
	if (id <= 0)
		return id < 0 ? id : -EINVAL;
	memcpy(w->tmp[n].map, mem, p->size);
	gp_memobj(w, n, id, p->size, 0);
	return 0;
}

/* After the call: sizes and outputs back into @op, shms released. */
static void gp_unmarshal(struct gp_wire *w, struct qtee_gp_op *op, int ok)
{
	unsigned int n;
	uint32_t sz;

	for (n = 0; n < 4; n++) {
		struct qtee_gp_param *p = &op->p[n];

		if (ok && p->type >= QTEE_GP_VALUE_OUTPUT &&
		    p->type <= QTEE_GP_VALUE_INOUT) {
			memcpy(&p->a, w->vout[n], 4);
			memcpy(&p->b, w->vout[n] + 4, 4);
		} else if (ok && gp_is_output(p->type) &&
			   p->type > QTEE_GP_VALUE_INOUT) {
			sz = gp_get32(w->res + 4 * n);
			if (w->tmp[n].map)
				memcpy(p->buf, w->tmp[n].map,
				       sz && sz < p->size ? sz : p->size);
			p->size = sz ? sz : w->o[n].b;
		}
		if (w->tmp[n].map) {
			munmap(w->tmp[n].map, w->tmp[n].len);
			close(w->tmp[n].sfd);
		}
	}
	if (ok) {
		op->ret_value = gp_get32(w->res + 16);
		op->ret_origin = gp_get32(w->res + 20);
	}
}

/* Marshal @op, invoke @obj with [@ib..., i, res, o, @io..., mem, @oo]. */
static int gp_call(int fd, uint64_t obj, uint32_t func, const uint8_t *hdr,
		   const uint8_t *uuid, uint64_t wait_id,
		   struct qtee_gp_op *op, uint64_t *session, uint32_t *ret)
{
	struct tee_ioctl_param p[17];
	struct gp_wire w;
	unsigned int n, k = 0;
	uint8_t h[20];
	int err = 0;

	memset(&w, 0, sizeof(w));
	for (n = 0; n < 4; n++) {
		qtee_ubuf_in(&w.i[n], NULL, 0);
		qtee_ubuf_out(&w.o[n], NULL, 0);
		qtee_obj_in(&w.mem[n], TEE_OBJREF_NULL, 0);
	}
	for (n = 0; n < 4 && !err; n++)
		err = gp_marshal_one(fd, &w, op, n);
	if (!err) {
		memcpy(h, hdr, 12);
		gp_put32(h + 12, w.types);
		gp_put32(h + 16, w.ex);
		qtee_ubuf_in(&p[k++], h, 20);
		if (uuid)
			qtee_ubuf_in(&p[k++], uuid, 16);
		memcpy(&p[k], w.i, sizeof(w.i));
		k += 4;
		qtee_ubuf_out(&p[k++], w.res, 24);
		memcpy(&p[k], w.o, sizeof(w.o));
		k += 4;
		if (uuid)
			qtee_obj_in(&p[k++], wait_id, QTEE_OBJREF_USER);
		memcpy(&p[k], w.mem, sizeof(w.mem));
		k += 4;
		if (uuid)
			qtee_obj_out(&p[k++]);
		err = qtee_invoke(fd, obj, func, p, k, ret);
	}
	if (!err) {
		memcpy(w.o, &p[uuid ? 7 : 6], sizeof(w.o));
		/* A NULL OO (no session) comes back as TEE_OBJREF_NULL. */
		if (uuid && !*ret && p[16].a != TEE_OBJREF_NULL)
			*session = p[16].a;
	}
	gp_unmarshal(&w, op, !err && !*ret);
	return err;
}

int qtee_gp_open_session(int fd, uint64_t client, const uint8_t uuid[16],
			 uint32_t login, uint64_t wait_id,
			 struct qtee_gp_op *op, uint64_t *session,
			 uint32_t *ret)
{
	uint8_t hdr[12] = { 0 };	/* cancelCode 0, connectionData 0 */

	gp_put32(hdr + 4, login);
	*session = 0;
	return gp_call(fd, client, 0, hdr, uuid, wait_id, op, session, ret);
}

int qtee_gp_invoke(int fd, uint64_t session, uint32_t cmd,
		   struct qtee_gp_op *op, uint32_t *ret)
{
	uint8_t hdr[12];

	gp_put32(hdr, cmd);
	gp_put32(hdr + 4, rand() & 0x7fffffff);	/* cancelCode */
	gp_put32(hdr + 8, 0xffffffff);		/* no timeout */
	return gp_call(fd, session, 1, hdr, NULL, 0, op, NULL, ret);
}

int qtee_listener_register(int fd, uint64_t reg, uint32_t id, uint64_t cbo,
			   int shm_id, uint32_t *ret)
{
	struct tee_ioctl_param p[3];

	qtee_ubuf_in(&p[0], &id, 4);
	qtee_obj_in(&p[1], cbo, QTEE_OBJREF_USER);
	qtee_obj_in(&p[2], shm_id, QTEE_OBJREF_MEM);
	return qtee_invoke(fd, reg, 0, p, 3, ret);
}

uint32_t qtee_listener_request(struct qtee_req *req, void *out)
{
	struct tee_ioctl_param *p, *ob[2] = { NULL, NULL };
	unsigned int i, nob = 0, noo = 0, other = 0;

	for (i = 1; i < req->num_params; i++) {
		p = &req->params[i];
		if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT && nob < 2)
			ob[nob++] = p;
		else if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT)
			noo++;
		else
			other++;
	}
	if (req->func || nob != 2 || noo != 4 || other || ob[1]->b != 4)
		return QTEE_INVALID;
	/* OB content undefined, sizes echoed; all OO NULL. */
	ob[0]->a = (uintptr_t)out;
	ob[0]->b &= ~3ull;
	ob[1]->a = (uintptr_t)out;
	for (i = 1; i < req->num_params; i++) {
		p = &req->params[i];
		if (p->attr == TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT) {
			p->a = TEE_OBJREF_NULL;
			p->b = 0;
		}
	}
	return 0;
}

uint32_t qtee_time_serve(void *shm)
{
	uint8_t *b = shm;
	struct timespec ts;
	uint32_t cmd, utc[3];
	int32_t err = -1;
	uint64_t ms;

	memcpy(&cmd, b, 4);
	if (clock_gettime(CLOCK_REALTIME, &ts))
		memset(&ts, 0xff, sizeof(ts));
	switch (cmd) {
	case 0x304:		/* GET_TIME_MS: u64 at 4 */
		ms = ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
		memcpy(b + 4, &ms, 8);
		break;
	case 0x302:		/* GET_UTC_SEC: sec, nsec, ret */
		utc[0] = ts.tv_sec;
		utc[1] = ts.tv_nsec;
		utc[2] = 0;
		memcpy(b + 4, utc, sizeof(utc));
		break;
	default:		/* an unknown command is ret -1, not an error */
		memcpy(b + 4, &err, 4);
	}
	return cmd;
}

/* mkdir -p of the directory part of @path. */
static void mkdir_parents(const char *path)
{
	char dir[512];
	size_t i;

	snprintf(dir, sizeof(dir), "%s", path);
	for (i = 1; dir[i]; i++) {
		if (dir[i] != '/')
			continue;
		dir[i] = '\0';
		mkdir(dir, 0700);
		dir[i] = '/';
	}
}

uint32_t qtee_fs_serve(void *shm, const char *root)
{
	static int last_errno;	/* process-wide, as in libfsservice */
	uint8_t *b = shm;
	char path[512];
	int32_t ret = -1, v[3];
	uint32_t cmd, n;

	memcpy(&cmd, b, 4);
	memcpy(v, b + 4, sizeof(v));
	switch (cmd) {
	case 0x202:	/* OPEN: path[256] at 4, flags at 260 */
	case 0x20c:	/* UNLINK: path[256] at 4 */
		b[4 + 255] = '\0';
		snprintf(path, sizeof(path), "%s%s", root, (char *)b + 4);
		if (cmd == 0x20c) {
			ret = unlink(path);
			break;
		}
		memcpy(&v[0], b + 260, 4);
		if (v[0] & O_CREAT)
			mkdir_parents(path);
		ret = open(path, v[0] | O_CLOEXEC, 0600);
		break;
	case 0x207:	/* READ: fd, count; data[20000] at 4, ret at 20004 */
		memcpy(&n, b + 8, 4);
		ret = read(v[0], b + 4, n < 20000 ? n : 20000);
		if (ret < 0)
			last_errno = errno;
		memcpy(b + 20004, &ret, 4);
		return cmd;
	case 0x208:	/* WRITE: fd, data[20000] at 8, count at 20008 */
		memcpy(&n, b + 20008, 4);
		ret = write(v[0], b + 8, n < 20000 ? n : 20000);
		break;
	case 0x209:	/* CLOSE */
		ret = close(v[0]);
		break;
	case 0x20a:	/* LSEEK: fd, offset, whence */
		ret = lseek(v[0], v[1], v[2]);
		break;
	case 0x21c:	/* GET_ERRNO */
		ret = last_errno;
		break;
	default:
		errno = ENOSYS;
	}
	if (ret < 0)
		last_errno = errno;
	memcpy(b + 4, &ret, 4);
	return cmd;
}

/* Any id with the credentials bits: the default handler serves it. */
#define QTEE_TESTSVC_CRED_ID	(QTEE_CRED_ID_BASE | 0xfff)

int qtee_testsvc_open(struct qtee_testsvc *t)
{
	struct qtee_supp supp;
	uint64_t env;
	int err;

	t->fd = qtee_open();
	if (t->fd < 0)
		return -errno;
	/* A supplicant only for the credentials QTEE reads from the env. */
	err = qtee_supp_start(&supp, t->fd, 1, NULL, NULL);
	if (!err)
		err = qtee_get_env(t->fd, QTEE_TESTSVC_CRED_ID, &env);
	if (!err) {
		err = qtee_open_service(t->fd, env, QCOMTEE_TESTSVC_UID,
					&t->obj);
		qtee_release(t->fd, env);
		/* QTEE drops the credentials with the env: wait for it. */
		qtee_supp_wait_releases(&supp, 1, 3000);
	}
	qtee_supp_stop(&supp);
	if (err) {
		close(t->fd);
		t->fd = -1;
	}
	return err;
}

void qtee_testsvc_close(struct qtee_testsvc *t)
{
	if (t->fd < 0)
		return;
	close(t->fd);
	t->fd = -1;
}

int qtee_testsvc_call(const struct qtee_testsvc *t, uint32_t op,
		      const void *ib, size_t ib_len, void *ob, size_t ob_len)
{
	struct tee_ioctl_param p[2];
	unsigned int n = 0;
	uint32_t ret;
	int err;

	if (ib)
		qtee_ubuf_in(&p[n++], ib, ib_len);
	if (ob)
		qtee_ubuf_out(&p[n++], ob, ob_len);
	err = qtee_invoke(t->fd, t->obj, op, p, n, &ret);
	return err ? err : (int)ret;
}

int qtee_testsvc_stats(const struct qtee_testsvc *t, uint64_t *v)
{
	return qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_STATS, NULL, 0, v,
				 QCOMTEE_TESTSVC_STATS_SIZE);
}

int qtee_testsvc_inject(const struct qtee_testsvc *t, uint32_t fault,
			uint32_t count, int32_t arg)
{
	uint32_t ib[3] = { fault, count, (uint32_t)arg };

	return qtee_testsvc_call(t, QCOMTEE_TESTSVC_OP_INJECT, ib, sizeof(ib),
				 NULL, 0);
}

uint32_t qtee_store_op(int fd, uint64_t app, uint32_t op, const char *name,
		       void *data, size_t *len)
{
	struct tee_ioctl_param p[3];
	unsigned int n = 0;
	uint32_t ret = ~0u;

	if (name)
		qtee_ubuf_in(&p[n++], name, strlen(name));
	if (op == QTA_OP_STORE_PUT)
		qtee_ubuf_in(&p[n++], data, *len);
	else if (data)
		qtee_ubuf_out(&p[n++], data, *len);
	if (qtee_invoke(fd, app, op, p, n, &ret))
		return ~0u;
	if (!ret && data && op != QTA_OP_STORE_PUT)
		*len = p[n - 1].b;
	return ret;
}

int qtee_read_counters(const char *pattern, const char *const *keys,
		       long *vals, unsigned int n)
{
	char key[64];
	unsigned int i;
	glob_t g;
	long val;
	FILE *f;

	if (glob(pattern, 0, NULL, &g))
		return -ENOENT;
	f = fopen(g.gl_pathv[0], "r");
	globfree(&g);
	if (!f)
		return -errno;
	while (fscanf(f, "%63s %ld", key, &val) == 2)
		for (i = 0; i < n; i++)
			if (!strcmp(key, keys[i]))
				vals[i] = val;
	fclose(f);
	return 0;
}

int qtee_unbind_kernel_clients(void)
{
	static const char * const drivers[] = { "qcomtee-diag" };
	static const char dev[] = "tee0-svc-143";
	char path[128];
	unsigned int i;
	int n = 0, ufd;

	for (i = 0; i < ARRAY_SIZE(drivers); i++) {
		snprintf(path, sizeof(path), "/sys/bus/tee/drivers/%s/%s",
			 drivers[i], dev);
		if (access(path, F_OK))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/tee/drivers/%s/unbind",
			 drivers[i]);
		ufd = open(path, O_WRONLY);
		if (ufd < 0)
			continue;
		if (write(ufd, dev, strlen(dev)) == (ssize_t)strlen(dev))
			n++;
		close(ufd);
	}
	return n;
}
