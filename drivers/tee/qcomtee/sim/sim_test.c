// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated QTEE.
 *
 * The tests play the kernel: they build inbound messages and answer
 * callback requests byte by byte from the protocol description
 * (Documentation/tee/qtee.rst), call the transport with physical
 * addresses, parse async messages, and keep their own account of the
 * references each side holds. Only the public API (qcomtee_sim.h,
 * qcomtee_sim_testapp.h, qcomtee_testsvc.h) and the transport seam are
 * used. Every test ends with a leak check.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/firmware/qcom/qcom_tee_transport.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "qcomtee_sim.h"
#include "qcomtee_sim_testapp.h"
#include "qcomtee_testsvc.h"

#include "skeleton_image.h"

/* Wire constants, from the spec. */
#define T_PRIMORDIAL	0x80000000u
#define T_ROOT		1u
#define T_OP_RELEASE	0xffffu
#define T_OP_RETAIN	0xfffeu
#define T_OK		0
#define T_INVALID	2
#define T_SIZE_IN	3
#define T_SIZE_OUT	4
#define T_DEFUNCT	(-90)
#define T_ABORT		(-91)
#define T_BADOBJ	(-92)
#define T_NOSLOTS	(-93)
#define T_UNAVAIL	(-96)
#define T_RT_CALLBACK	3

#define T_MAX_KOBJ	48
#define T_MAX_HELD	64
#define T_MAX_ARG	6

/* Kernel-side ops of the test's own callback object. */
#define T_ECHO_OP_INVERT	5
#define T_ECHO_OP_DOUBLE	7

enum t_kind { T_CRED = 1, T_MEM, T_MAP, T_ECHO, T_LSN };

/* The files of a test FS listener (minkipc.md 2.4), in memory. */
struct t_fs {
	struct {
		char name[64];
		u8 data[4096];
		u32 len, off;
		bool used, open;
	} f[4];
	s32 err;
	bool lie;		/* READ claims more than was asked */
	unsigned int cmds;
};

/* A kernel-hosted object of the test "kernel". */
struct t_kobj {
	u32 id;
	enum t_kind kind;
	int qtee_refs;		/* references QTEE holds */
	const u8 *data;		/* credentials */
	size_t len;
	struct page *pages;	/* memory object */
	unsigned int order;
	u64 bridge;
	u32 perms;
	/* listener: its memory, how it answers, the ops it saw */
	struct t_kobj *mem;
	bool defunct, fail;
	unsigned int busy_left, defunct_left, nops;
	u32 ops[16];
	u64 time_ms;		/* time listener: its clock */
	u32 utc_ret;
	struct t_fs *fs;	/* FS listener: its files */
};

struct t_chan {
	struct page *in_pages, *out_pages;
	void *in, *out;
	size_t in_size, out_size;
	u64 in_br, out_br;
};

struct t_cbrec {
	u32 cxt, op, counts;
	u32 io[16];
	u8 ib[64];
	u32 iblen;
	u32 oblen;
};

struct t_ctx {
	struct kunit *test;
	struct qcomtee_sim *sim;
	const struct qcomtee_transport *tr;
	struct t_chan ch;
	struct mutex lock;	/* registry and records */
	struct t_kobj kobj[T_MAX_KOBJ];
	unsigned int nkobj;
	u32 held[T_MAX_HELD];	/* QTEE ids the kernel holds (one per ref) */
	unsigned int nheld;
	/* callback behaviour */
	int cb_result;
	bool cb_grow_ob;
	bool cb_move_ob;
	u32 cb_oo[4];
	u8 cb_fill;		/* fill OBs with this byte (0: invert IB) */
	/* records */
	struct t_cbrec last_cb;
	struct t_cbrec last_kcb;	/* last one to a non-primordial object */
	unsigned int ncb, cb_rejected, release_cbs, nmap;
	unsigned int async_msgs, async_ids, async_stop;
	long last_async_off;
	long cb_async_off;
	size_t last_cb_end;
	/* leave the next area holding messages unzeroed, as a buggy kernel */
	bool async_keep;
	unsigned int async_kept;
};

struct t_inv {
	u32 cxt, op;
	unsigned int nib, nob, nio, noo;
	const void *ib[T_MAX_ARG];
	u32 ib_len[T_MAX_ARG];
	u32 ob_len[T_MAX_ARG];
	u32 io[T_MAX_ARG];
	void *ob[T_MAX_ARG];	/* copies of OB data */
	u32 ob_size[T_MAX_ARG];
	u32 oo[T_MAX_ARG];
	u64 result;
	int ret;
};

/* Little-endian helpers. */
static u32 t_get32(const void *p, size_t off)
{
	return get_unaligned_le32((const u8 *)p + off);
}

static void t_put32(void *p, size_t off, u32 v)
{
	put_unaligned_le32(v, (u8 *)p + off);
}

static void t_put64(void *p, size_t off, u64 v)
{
	put_unaligned_le64(v, (u8 *)p + off);
}

static bool t_is_ns(u32 id)
{
	return id & 0x80000000u;
}

/* Registry of kernel objects. */

static struct t_kobj *t_kobj_find(struct t_ctx *t, u32 id)
{
	unsigned int i;

	for (i = 0; i < t->nkobj; i++)
		if (t->kobj[i].id == id)
			return &t->kobj[i];
	return NULL;
}

static struct t_kobj *t_kobj_new(struct t_ctx *t, enum t_kind kind)
{
	struct t_kobj *k;

	mutex_lock(&t->lock);
	KUNIT_ASSERT_LT(t->test, t->nkobj, T_MAX_KOBJ);
	k = &t->kobj[t->nkobj];
	memset(k, 0, sizeof(*k));
	k->id = 0x80000001u + t->nkobj;
	k->kind = kind;
	t->nkobj++;
	mutex_unlock(&t->lock);

	return k;
}

/* The kernel hands QTEE one reference to @id. */
static void t_give(struct t_ctx *t, u32 id)
{
	struct t_kobj *k;

	if (!t_is_ns(id) || id == T_PRIMORDIAL)
		return;
	mutex_lock(&t->lock);
	k = t_kobj_find(t, id);
	if (k)
		k->qtee_refs++;
	mutex_unlock(&t->lock);
}

/* QTEE drops one reference to @id. */
static void t_take(struct t_ctx *t, u32 id)
{
	struct t_kobj *k;

	mutex_lock(&t->lock);
	k = t_kobj_find(t, id);
	if (k)
		k->qtee_refs--;
	mutex_unlock(&t->lock);
	KUNIT_EXPECT_TRUE_MSG(t->test, k, "release of unknown id %#x", id);
	if (k)
		KUNIT_EXPECT_GE_MSG(t->test, k->qtee_refs, 0,
				    "too many releases of %#x", id);
}

static void t_hold(struct t_ctx *t, u32 id)
{
	if (!id || t_is_ns(id))
		return;
	mutex_lock(&t->lock);
	if (t->nheld < T_MAX_HELD)
		t->held[t->nheld++] = id;
	mutex_unlock(&t->lock);
}

static bool t_unhold(struct t_ctx *t, u32 id)
{
	unsigned int i;
	bool found = false;

	mutex_lock(&t->lock);
	for (i = 0; i < t->nheld; i++) {
		if (t->held[i] == id) {
			t->held[i] = t->held[--t->nheld];
			found = true;
			break;
		}
	}
	mutex_unlock(&t->lock);

	return found;
}

/* Buffers. */

static void *t_pages(struct kunit *test, unsigned int order, struct page **pg)
{
	*pg = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	KUNIT_ASSERT_NOT_NULL(test, *pg);
	return page_address(*pg);
}

static u64 t_bridge(struct t_ctx *t, void *va, size_t size)
{
	phys_addr_t pa = virt_to_phys(va);
	u64 handle = 0;
	int ret;

	ret = t->tr->ops->shm_bridge_create(t->tr->priv, pa, size, &handle);
	KUNIT_ASSERT_EQ(t->test, ret, 0);
	return handle;
}

static void t_unbridge(struct t_ctx *t, u64 handle)
{
	KUNIT_EXPECT_EQ(t->test,
			t->tr->ops->shm_bridge_delete(t->tr->priv, handle), 0);
}

static void t_chan_init(struct t_ctx *t, struct t_chan *ch, unsigned int order)
{
	ch->in = t_pages(t->test, order, &ch->in_pages);
	ch->in_size = PAGE_SIZE << order;
	ch->out = t_pages(t->test, 0, &ch->out_pages);
	ch->out_size = PAGE_SIZE;
	ch->in_br = t_bridge(t, ch->in, ch->in_size);
	ch->out_br = t_bridge(t, ch->out, ch->out_size);
}

static void t_chan_fini(struct t_ctx *t, struct t_chan *ch)
{
	if (!ch->in)
		return;
	t_unbridge(t, ch->in_br);
	t_unbridge(t, ch->out_br);
	__free_pages(ch->in_pages, get_order(ch->in_size));
	__free_pages(ch->out_pages, 0);
	ch->in = NULL;
}

/* Async messages, parsed as the kernel must: bounded by the area. */
static long t_async(struct t_ctx *t, void *area, size_t len, long base)
{
	long first = -1;
	size_t pos = 0;
	u32 ver, op, count, i;
	u8 *p = area;

	while (len - pos >= 8) {
		ver = t_get32(p, pos);
		if (!ver)
			break;
		if (ver >> 16 != 1) {
			t->async_stop++;
			break;
		}
		op = t_get32(p, pos + 4);
		if (op != T_OP_RELEASE || len - pos < 12) {
			t->async_stop++;
			break;
		}
		count = t_get32(p, pos + 8);
		if (count > (len - pos - 12) / 4) {
			t->async_stop++;
			break;
		}
		if (first < 0)
			first = base + pos;
		for (i = 0; i < count; i++)
			t_take(t, t_get32(p, pos + 12 + 4 * i));
		t->async_msgs++;
		t->async_ids += count;
		pos = ALIGN(pos + 12 + 4 * count, 8);
	}
	if (first >= 0 && t->async_keep) {
		t->async_keep = false;
		t->async_kept++;
	} else {
		memset(area, 0, len);
	}

	return first;
}

static int t_fs_find(struct t_fs *fs, const char *name, bool create)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fs->f); i++)
		if (fs->f[i].used && !strcmp(fs->f[i].name, name))
			return i;
	for (i = 0; create && i < ARRAY_SIZE(fs->f); i++) {
		if (!fs->f[i].used) {
			memset(&fs->f[i], 0, sizeof(fs->f[i]));
			strscpy(fs->f[i].name, name, sizeof(fs->f[i].name));
			fs->f[i].used = true;
			return i;
		}
	}
	fs->err = 2;	/* ENOENT */
	return -1;
}

/* OPEN/READ/WRITE/CLOSE/LSEEK/UNLINK/GET_ERRNO on @buf; fds are 10 + i. */
static void t_fs_serve(struct t_fs *fs, u8 *buf)
{
	u32 cmd = t_get32(buf, 0), fd = t_get32(buf, 4) - 10, n;
	s32 ret = -1;
	int i;

	fs->cmds++;
	buf[4 + 255] = 0;
	switch (cmd) {
	case 0x202:
		i = t_fs_find(fs, buf + 4, t_get32(buf, 260) & 0x40);
		if (i >= 0) {
			fs->f[i].open = true;
			fs->f[i].off = 0;
			if (t_get32(buf, 260) & 0x200)
				fs->f[i].len = 0;
			ret = 10 + i;
		}
		break;
	case 0x20c:
		i = t_fs_find(fs, buf + 4, false);
		if (i >= 0) {
			fs->f[i].used = false;
			ret = 0;
		}
		break;
	case 0x207:
		if (fd >= ARRAY_SIZE(fs->f) || !fs->f[fd].open)
			break;
		n = min(t_get32(buf, 8), fs->f[fd].len - fs->f[fd].off);
		memcpy(buf + 4, fs->f[fd].data + fs->f[fd].off, n);
		fs->f[fd].off += n;
		t_put32(buf, 20004, fs->lie ? n + 100 : n);
		return;
	case 0x208:
		n = t_get32(buf, 20008);
		if (fd >= ARRAY_SIZE(fs->f) || !fs->f[fd].open ||
		    n > sizeof(fs->f[fd].data) - fs->f[fd].off)
			break;
		memcpy(fs->f[fd].data + fs->f[fd].off, buf + 8, n);
		fs->f[fd].off += n;
		fs->f[fd].len = max(fs->f[fd].len, fs->f[fd].off);
		ret = n;
		break;
	case 0x20a:
		if (fd < ARRAY_SIZE(fs->f) && fs->f[fd].open &&
		    t_get32(buf, 8) <= fs->f[fd].len && !t_get32(buf, 12)) {
			fs->f[fd].off = t_get32(buf, 8);
			ret = fs->f[fd].off;
		}
		break;
	case 0x209:
		if (fd < ARRAY_SIZE(fs->f) && fs->f[fd].open) {
			fs->f[fd].open = false;
			ret = 0;
		}
		break;
	case 0x21c:
		ret = fs->err;
		break;
	}
	t_put32(buf, 4, ret);
}

/* Answer the callback request in @ch->out the way a kernel would. */
static void t_answer(struct t_ctx *t, struct t_chan *ch)
{
	u8 *out = ch->out;
	u32 cxt = t_get32(out, 4), op = t_get32(out, 8);
	u32 counts = t_get32(out, 12);
	unsigned int nib, nob, nio, noo, n, i;
	size_t end, start;
	int result = 0;
	struct t_kobj *k, *m;
	u32 ib_off = 0, ib_len = 0, ob_off = 0, ob_len = 0, oo_slot;

	if (counts >> 16) {
		t->cb_rejected++;
		t_put32(out, 0, (u32)T_UNAVAIL);
		return;
	}
	nib = counts & 0xf;
	nob = (counts >> 4) & 0xf;
	nio = (counts >> 8) & 0xf;
	noo = (counts >> 12) & 0xf;
	n = nib + nob + nio + noo;
	start = ALIGN(16 + 8 * n, 8);
	end = start;
	for (i = 0; i < nib + nob; i++) {
		u32 off = t_get32(out, 16 + 8 * i), sz = t_get32(out, 20 + 8 * i);

		if (off < start || off % 8 || (u64)off + sz > ch->out_size) {
			t->cb_rejected++;
			t_put32(out, 0, (u32)T_UNAVAIL);
			return;
		}
		end = max_t(size_t, end, ALIGN(off + sz, 8));
		if (i == 0 && nib) {
			ib_off = off;
			ib_len = sz;
		}
		if (i == nib && nob) {
			ob_off = off;
			ob_len = sz;
		}
	}
	oo_slot = 16 + 8 * (nib + nob + nio);

	mutex_lock(&t->lock);
	k = t_kobj_find(t, cxt);
	mutex_unlock(&t->lock);
	if (cxt != T_PRIMORDIAL && !k) {
		t->cb_rejected++;
		t_put32(out, 0, (u32)T_UNAVAIL);
		return;
	}

	/* QTEE's own objects in IO are now the kernel's references. */
	for (i = 0; i < nio; i++)
		t_hold(t, t_get32(out, 16 + 8 * (nib + nob + i)));

	t->last_cb_end = end;
	t->cb_async_off = t_async(t, out + end, ch->out_size - end, end);
	t->ncb++;
	t->last_cb.cxt = cxt;
	t->last_cb.op = op;
	t->last_cb.counts = counts;
	for (i = 0; i < nio && i < 16; i++)
		t->last_cb.io[i] = t_get32(out, 16 + 8 * (nib + nob + i));
	t->last_cb.iblen = ib_len;
	memcpy(t->last_cb.ib, out + ib_off, min_t(u32, ib_len, 64));
	t->last_cb.oblen = ob_len;
	if (cxt != T_PRIMORDIAL && op != T_OP_RELEASE)
		t->last_kcb = t->last_cb;

	if (op == T_OP_RELEASE) {
		KUNIT_EXPECT_EQ(t->test, counts, 0);
		t->release_cbs++;
		t_take(t, cxt);
		goto done;
	}

	if (cxt == T_PRIMORDIAL) {
		/* MAP_REGION: OB >= 20, IO memory object, OO mapping. */
		mutex_lock(&t->lock);
		m = nio == 1 ? t_kobj_find(t, t_get32(out, 16 + 8 * (nib + nob))) :
			       NULL;
		mutex_unlock(&t->lock);
		if (op != 0 || nob != 1 || noo != 1 || ob_len < 20 || !m ||
		    m->kind != T_MEM) {
			result = T_UNAVAIL;
			goto done;
		}
		t->nmap++;
		t_put64(out, ob_off, page_to_phys(m->pages));
		t_put64(out, ob_off + 8, m->len);
		t_put32(out, ob_off + 16, m->perms);
		t_put32(out, 20 + 8 * nib, 20);
		k = t_kobj_new(t, T_MAP);
		t_give(t, k->id);
		t_put32(out, oo_slot, k->id);
		goto done;
	}

	if (k->defunct || k->defunct_left) {
		/* Its file was closed, or the invoker was killed. */
		if (k->defunct_left)
			k->defunct_left--;
		if (k->nops < ARRAY_SIZE(k->ops))
			k->ops[k->nops++] = op;
		result = T_DEFUNCT;
		goto done;
	}
	switch (k->kind) {
	case T_LSN:
		if (k->nops < ARRAY_SIZE(k->ops))
			k->ops[k->nops++] = op;
		if (op == 1) {
			result = counts ? T_INVALID : 0;
		} else if (op || counts != 0x4020) {
			result = T_INVALID;
		} else if (k->busy_left) {
			k->busy_left--;
			result = -99;
		} else if (k->fail) {
			result = 1;
		} else {
			u8 *buf = page_address(k->mem->pages);
			u32 cmd = t_get32(buf, 0);

			if (k->fs) {
				t_fs_serve(k->fs, buf);
			} else if (cmd == 0x304) {	/* GET_TIME_MS */
				t_put64(buf, 4, k->time_ms);
			} else if (cmd == 0x302) {	/* GET_UTC_SEC */
				t_put32(buf, 4, k->time_ms / 1000);
				t_put32(buf, 8, k->time_ms % 1000 * 1000000);
				t_put32(buf, 12, k->utc_ret);
			} else {
				t_put32(buf, 4, cmd + 1);
			}
			for (i = 0; i < noo; i++)
				t_put32(out, oo_slot + 8 * i, 0);
		}
		break;
	case T_CRED:
		if (op == 0 && nob == 1 && ob_len == 8 && !nib) {
			t_put64(out, ob_off, k->len);
		} else if (op == 1 && nib == 1 && nob == 1 && ib_len == 8) {
			u64 off = get_unaligned_le64(out + ib_off);
			u32 sz = off < k->len ? min_t(u64, k->len - off, ob_len) : 0;

			memcpy(out + ob_off, k->data + off, sz);
			t_put32(out, 20 + 8 * nib, sz);
		} else {
			result = T_INVALID;
		}
		break;
	case T_ECHO:
		if (t->cb_result) {
			result = t->cb_result;
			break;
		}
		if (op == T_ECHO_OP_DOUBLE && nib == 1 && nob == 1) {
			t_put32(out, ob_off, 2 * t_get32(out, ib_off));
			t_put32(out, 20 + 8 * nib, 4);
			break;
		}
		if (nob && t->cb_fill) {
			memset(out + ob_off, t->cb_fill, ob_len);
			t_put32(out, 16 + 8 * nib + 4, ob_len);
		} else if (nob) {
			u32 sz = min(ib_len, ob_len);

			for (i = 0; i < sz; i++)
				out[ob_off + i] = ~out[ib_off + i];
			t_put32(out, 16 + 8 * nib + 4,
				t->cb_grow_ob ? ob_len + 8 : sz);
			if (t->cb_move_ob)
				t_put32(out, 16 + 8 * nib, ob_off + 8);
		}
		for (i = 0; i < noo; i++) {
			t_put32(out, oo_slot + 8 * i, t->cb_oo[i]);
			if (t_is_ns(t->cb_oo[i]))
				t_give(t, t->cb_oo[i]);
		}
		break;
	default:
		result = T_UNAVAIL;
	}
done:
	t_put32(out, 0, result);
}

/* Drive an inbound message already in @ch->in through INVOKE/CB_RSP. */
static int t_run(struct t_ctx *t, struct t_chan *ch, u64 *result)
{
	const struct qcomtee_transport_ops *ops = t->tr->ops;
	u64 rtype = 0;
	int ret;

	ret = ops->invoke(t->tr->priv, virt_to_phys(ch->in), ch->in_size,
			  virt_to_phys(ch->out), ch->out_size, result, &rtype);
	while (!ret && rtype == T_RT_CALLBACK) {
		t_answer(t, ch);
		ret = ops->callback_response(t->tr->priv, virt_to_phys(ch->out),
					     ch->out_size, result, &rtype);
	}
	if (!ret)
		t->last_async_off = t_async(t, ch->out, ch->out_size, 0);

	return ret;
}

/* Build an inbound message byte by byte (the layout in qtee.rst). */
static void t_build(struct t_chan *ch, const struct t_inv *v)
{
	u8 *in = ch->in;
	unsigned int i, n = v->nib + v->nob + v->nio + v->noo, slot = 12;
	size_t off = ALIGN(12 + 8 * n, 8);

	memset(in, 0, ch->in_size);
	t_put32(in, 0, v->cxt);
	t_put32(in, 4, v->op);
	t_put32(in, 8, v->nib | v->nob << 4 | v->nio << 8 | v->noo << 12);
	for (i = 0; i < v->nib; i++, slot += 8) {
		memcpy(in + off, v->ib[i], v->ib_len[i]);
		t_put32(in, slot, off);
		t_put32(in, slot + 4, v->ib_len[i]);
		off = ALIGN(off + v->ib_len[i], 8);
	}
	for (i = 0; i < v->nob; i++, slot += 8) {
		t_put32(in, slot, off);
		t_put32(in, slot + 4, v->ob_len[i]);
		off = ALIGN(off + v->ob_len[i], 8);
	}
	for (i = 0; i < v->nio; i++, slot += 8)
		t_put32(in, slot, v->io[i]);
}

static int t_call_ch(struct t_ctx *t, struct t_chan *ch, struct t_inv *v)
{
	unsigned int i, slot;
	u8 *in = ch->in;

	t_build(ch, v);
	for (i = 0; i < v->nio; i++)
		t_give(t, v->io[i]);
	v->ret = t_run(t, ch, &v->result);
	if (v->ret) {
		/* QTEE never saw the request: nothing was transferred. */
		for (i = 0; i < v->nio; i++)
			if (t_is_ns(v->io[i]) && v->io[i] != T_PRIMORDIAL)
				t_take(t, v->io[i]);
		return v->ret;
	}
	/*
	 * A serviced request, failed or not: QTEE owns the inputs and its
	 * releases came with the async messages t_run() parsed.
	 */
	if (v->result)
		return (int)v->result;
	slot = 12 + 8 * v->nib;
	for (i = 0; i < v->nob; i++, slot += 8) {
		v->ob_size[i] = t_get32(in, slot + 4);
		if (v->ob[i] && v->ob_size[i] <= v->ob_len[i])
			memcpy(v->ob[i], in + t_get32(in, slot), v->ob_size[i]);
	}
	slot += 8 * v->nio;
	for (i = 0; i < v->noo; i++, slot += 8) {
		v->oo[i] = t_get32(in, slot);
		t_hold(t, v->oo[i]);
	}

	return 0;
}

static int t_call(struct t_ctx *t, struct t_inv *v)
{
	return t_call_ch(t, &t->ch, v);
}

/* Release one kernel reference to a QTEE object. */
static int t_release(struct t_ctx *t, u32 id)
{
	struct t_inv v = { .cxt = id, .op = T_OP_RELEASE };
	int ret = t_call(t, &v);

	if (!ret)
		t_unhold(t, id);
	return ret;
}

/* Common flows. */

static u32 t_env(struct t_ctx *t, u32 cred)
{
	struct t_inv v = { .cxt = T_ROOT, .op = cred ? 2 : 5, .nio = 1,
			   .noo = 1, .io = { cred } };

	KUNIT_ASSERT_EQ(t->test, t_call(t, &v), 0);
	KUNIT_ASSERT_NE(t->test, v.oo[0], 0);
	return v.oo[0];
}

static int t_open(struct t_ctx *t, u32 env, u32 uid, u32 *svc)
{
	u8 b[4];
	struct t_inv v = { .cxt = env, .op = 0, .nib = 1, .noo = 1,
			   .ib = { b }, .ib_len = { 4 } };
	int ret;

	t_put32(b, 0, uid);
	ret = t_call(t, &v);
	*svc = v.oo[0];
	return ret;
}

static int t_load_buf(struct t_ctx *t, u32 loader, const void *img,
		      size_t len, u32 *ctrl)
{
	struct t_inv v = { .cxt = loader, .op = 0, .nib = 1, .noo = 1,
			   .ib = { img }, .ib_len = { len } };
	int ret = t_call(t, &v);

	*ctrl = v.oo[0];
	return ret;
}

static u32 t_get_app(struct t_ctx *t, u32 ctrl)
{
	struct t_inv v = { .cxt = ctrl, .op = 2, .noo = 1 };

	KUNIT_ASSERT_EQ(t->test, t_call(t, &v), 0);
	return v.oo[0];
}

static struct t_kobj *t_cred(struct t_ctx *t, const u8 *cbor, size_t len)
{
	struct t_kobj *k = t_kobj_new(t, T_CRED);

	k->data = cbor;
	k->len = len;
	return k;
}

static struct t_kobj *t_mem(struct t_ctx *t, size_t len, u32 perms)
{
	struct t_kobj *k = t_kobj_new(t, T_MEM);

	k->order = get_order(len);
	t_pages(t->test, k->order, &k->pages);
	k->len = len;
	k->perms = perms;
	k->bridge = t_bridge(t, page_address(k->pages), PAGE_SIZE << k->order);
	return k;
}

/* Load the test app from a built image; returns the app object. */
static u32 t_testapp(struct t_ctx *t, u32 env, u32 *ctrl, u32 *loader)
{
	ssize_t len = qcomtee_sim_build_app_image(NULL, NULL, 0);
	void *img = kunit_kzalloc(t->test, len, GFP_KERNEL);

	KUNIT_ASSERT_GT(t->test, len, 0);
	KUNIT_ASSERT_EQ(t->test, qcomtee_sim_build_app_image(NULL, img, len),
			len);
	KUNIT_ASSERT_EQ(t->test, t_open(t, env, 3, loader), 0);
	KUNIT_ASSERT_EQ(t->test, t_load_buf(t, *loader, img, len, ctrl), 0);
	return t_get_app(t, *ctrl);
}

/* Fixture. */

static struct t_ctx *t_setup(struct kunit *test,
			     const struct qcomtee_sim_config *cfg)
{
	struct t_ctx *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	mutex_init(&t->lock);
	t->sim = qcomtee_sim_create(cfg);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->sim));
	/*
	 * These tests stand in for the kernel side with raw messages: detach
	 * the QTEE backend if it bound to the instance's device.
	 */
	device_release_driver(&qcomtee_sim_pdev(t->sim)->dev);
	t->tr = qcomtee_sim_transport(t->sim);
	/* 64 KiB inbound: room for the real skeleton image. */
	t_chan_init(t, &t->ch, 4);
	test->priv = t;

	return t;
}

static int t_init(struct kunit *test)
{
	t_setup(test, NULL);
	return 0;
}

static void t_exit(struct kunit *test);

/* Replace the default fixture by one with another configuration. */
static struct t_ctx *t_reconfigure(struct kunit *test,
				   const struct qcomtee_sim_config *cfg)
{
	t_exit(test);
	return t_setup(test, cfg);
}

/* Release everything, then check that neither side leaked anything. */
static void t_exit(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct qcomtee_sim_stats st;
	struct t_inv v;
	unsigned int i;

	if (!t || IS_ERR_OR_NULL(t->sim))
		return;
	qcomtee_sim_clear_faults(t->sim);
	while (t->nheld && t->ch.in) {
		v = (struct t_inv){ .cxt = t->held[--t->nheld],
				    .op = T_OP_RELEASE };
		KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	}
	if (t->ch.in) {
		/* Collect the last pending releases. */
		v = (struct t_inv){ .cxt = T_ROOT, .op = T_OP_RELEASE };
		KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	}
	for (i = 0; i < t->nkobj; i++) {
		KUNIT_EXPECT_EQ_MSG(test, t->kobj[i].qtee_refs, 0,
				    "QTEE still holds %#x", t->kobj[i].id);
		if (t->kobj[i].pages) {
			t_unbridge(t, t->kobj[i].bridge);
			__free_pages(t->kobj[i].pages, t->kobj[i].order);
		}
	}
	t_chan_fini(t, &t->ch);

	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 0);
	KUNIT_EXPECT_EQ(test, st.ns_refs, 0);
	KUNIT_EXPECT_EQ(test, st.in_flight, 0);
	KUNIT_EXPECT_EQ(test, st.waiting, 0);
	KUNIT_EXPECT_EQ(test, st.bridges, 0);
	KUNIT_EXPECT_EQ(test, st.heap_used, 0);
	KUNIT_EXPECT_EQ(test, st.apps, 0);
	KUNIT_EXPECT_EQ(test, st.pending_releases, 0);
	KUNIT_EXPECT_EQ(test, st.listeners, 0);
	/* QTEE found dirty exactly the areas the test left so. */
	KUNIT_EXPECT_EQ(test, st.async_dirty, t->async_kept);
	KUNIT_EXPECT_TRUE(test, qcomtee_sim_idle(t->sim));
	qcomtee_sim_destroy(t->sim);
	t->sim = NULL;
	mutex_destroy(&t->lock);
}

/* Tests: transport. */

static void t_bad_buffers(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	const struct qcomtee_transport_ops *ops = t->tr->ops;
	phys_addr_t in = virt_to_phys(t->ch.in), out = virt_to_phys(t->ch.out);
	u64 rt, res;

	t_put32(t->ch.in, 0, T_ROOT);
	t_put32(t->ch.in, 4, 4);
	/* Not page aligned, not whole pages, empty, overlapping. */
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, in + 8, PAGE_SIZE - 8,
					  out, PAGE_SIZE, &res, &rt), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, in, 100, out, PAGE_SIZE,
					  &res, &rt), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, in, 0, out, PAGE_SIZE,
					  &res, &rt), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, in, PAGE_SIZE, in,
					  PAGE_SIZE, &res, &rt), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops->callback_response(t->tr->priv, out, 100,
						     &res, &rt), 0);
	KUNIT_EXPECT_EQ(test, (s64)res, T_UNAVAIL);
	/* A well-formed call works. */
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, in, PAGE_SIZE, out,
					  PAGE_SIZE, &res, &rt), 0);
	KUNIT_EXPECT_EQ(test, res, 0);
	KUNIT_EXPECT_NE(test, rt, T_RT_CALLBACK);
}

static void t_unbridged(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	const struct qcomtee_transport_ops *ops = t->tr->ops;
	struct page *pg;
	void *va = t_pages(test, 0, &pg);
	u64 rt, res;

	t_put32(va, 0, T_ROOT);
	t_put32(va, 4, 4);
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, virt_to_phys(va),
					  PAGE_SIZE, virt_to_phys(t->ch.out),
					  PAGE_SIZE, &res, &rt), -EINVAL);
	qcomtee_sim_set_allow_unbridged(t->sim, true);
	KUNIT_EXPECT_EQ(test, ops->invoke(t->tr->priv, virt_to_phys(va),
					  PAGE_SIZE, virt_to_phys(t->ch.out),
					  PAGE_SIZE, &res, &rt), 0);
	KUNIT_EXPECT_EQ(test, res, 0);
	qcomtee_sim_set_allow_unbridged(t->sim, false);
	__free_pages(pg, 0);
}

static void t_bridges(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	const struct qcomtee_transport_ops *ops = t->tr->ops;
	struct qcomtee_sim_stats st;
	struct page *pg;
	void *va = t_pages(test, 1, &pg);
	phys_addr_t pa = virt_to_phys(va);
	void *priv = t->tr->priv;
	u64 h;

	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.bridges, 2);
	KUNIT_EXPECT_EQ(test, ops->shm_bridge_create(priv, pa + 1, PAGE_SIZE,
						     &h), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops->shm_bridge_create(priv, pa, 2 * PAGE_SIZE,
						     &h), 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.bridges, 3);
	KUNIT_EXPECT_EQ(test, ops->shm_bridge_delete(t->tr->priv, h), 0);
	KUNIT_EXPECT_EQ(test, ops->shm_bridge_delete(t->tr->priv, h), -EINVAL);
	KUNIT_EXPECT_EQ(test, ops->shm_bridge_delete(t->tr->priv, 12345),
			-EINVAL);
	__free_pages(pg, 1);
}

static void t_platform_device(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct platform_device *pdev = qcomtee_sim_pdev(t->sim);
	const struct qcomtee_transport *tr;

	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_EXPECT_STREQ(test, pdev->name, QCOMTEE_TRANSPORT_DEVICE_NAME);
	tr = dev_get_platdata(&pdev->dev);
	KUNIT_ASSERT_NOT_NULL(test, tr);
	KUNIT_EXPECT_PTR_EQ(test, tr->ops, t->tr->ops);
	KUNIT_EXPECT_PTR_EQ(test, tr->priv, t->tr->priv);
}

/* Tests: ROOT and client envs. */

static void t_root_kernel_env(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0);
	struct qcomtee_sim_stats st;

	KUNIT_EXPECT_FALSE(test, t_is_ns(env));
	KUNIT_EXPECT_NE(test, env, T_ROOT);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 1);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 0);
}

static void t_root_bad_args(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_inv v = { .cxt = T_ROOT, .op = 2, .nio = 1, .noo = 1 };
	u32 op;

	/* op 2 needs credentials. */
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	/* Credentials must be a kernel object: ROOT is not. */
	v = (struct t_inv){ .cxt = T_ROOT, .op = 5, .nio = 1, .noo = 1,
			    .io = { T_ROOT } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	/* Wrong shape. */
	v = (struct t_inv){ .cxt = T_ROOT, .op = 5, .noo = 1 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	for (op = 4; op <= 9; op++) {
		if (op != 4 && op != 8 && op != 9)
			continue;
		v = (struct t_inv){ .cxt = T_ROOT, .op = op };
		KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
		v = (struct t_inv){ .cxt = T_ROOT, .op = op, .noo = 1 };
		KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	}
	v = (struct t_inv){ .cxt = T_ROOT, .op = 77 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
}

/* Register with credentials @cbor and read back uid/time via the test app. */
static void t_check_cred(struct kunit *test, const u8 *cbor, size_t len,
			 u32 uid, u64 time)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *cred = t_cred(t, cbor, len);
	u32 env, app, ctrl, loader;
	u8 info[16];
	struct t_inv v = { .op = QTA_OP_INFO, .nob = 1, .ob_len = { 16 },
			   .ob = { info } };

	env = t_env(t, cred->id);
	KUNIT_EXPECT_EQ(test, cred->qtee_refs, 1);
	app = t_testapp(t, env, &ctrl, &loader);
	v.cxt = app;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(info, 0), uid);
	KUNIT_EXPECT_EQ(test, t_get32(info, 4), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(info + 8), time);
	KUNIT_EXPECT_EQ(test, t_release(t, app), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	/* Releasing the env releases the credentials (async). */
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
	KUNIT_EXPECT_EQ(test, cred->qtee_refs, 0);
}

static void t_cred_minimal(struct kunit *test)
{
	/* {1: 10, 6: 20} */
	static const u8 c[] = { 0xa2, 0x01, 0x0a, 0x06, 0x14 };

	t_check_cred(test, c, sizeof(c), 10, 20);
}

static void t_cred_widths_1_2(struct kunit *test)
{
	/* {1: 200 (1 byte), 6: 1000 (2 bytes)} */
	static const u8 c[] = { 0xa2, 0x01, 0x18, 0xc8, 0x06, 0x19, 0x03,
				0xe8 };

	t_check_cred(test, c, sizeof(c), 200, 1000);
}

static void t_cred_fixed4(struct kunit *test)
{
	/* {1: 1000 as u32, 6: 5 as u32} */
	static const u8 c[] = { 0xa2, 0x01, 0x1a, 0x00, 0x00, 0x03, 0xe8,
				0x06, 0x1a, 0x00, 0x00, 0x00, 0x05 };

	t_check_cred(test, c, sizeof(c), 1000, 5);
}

static void t_cred_fixed8(struct kunit *test)
{
	/* {6: 1700000000000 as u64, 1: 2000 as u64}, with another key */
	static const u8 c[] = { 0xa3, 0x06, 0x1b, 0x00, 0x00, 0x01, 0x8b,
				0xcf, 0xe5, 0x68, 0x00, 0x01, 0x1b, 0x00,
				0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0xd0,
				0x03, 0x63, 'a', 'b', 'c' };

	t_check_cred(test, c, sizeof(c), 2000, 1700000000000ull);
}

static void t_cred_indefinite(struct kunit *test)
{
	/* {_ 1: 0 (1 byte), 6: 23} */
	static const u8 c[] = { 0xbf, 0x01, 0x18, 0x00, 0x06, 0x17, 0xff };

	t_check_cred(test, c, sizeof(c), 0, 23);
}

static void t_cred_malformed(struct kunit *test)
{
	static const u8 truncated[] = { 0xa2, 0x01, 0x1a, 0x00 };
	static const u8 reserved[] = { 0xa1, 0x01, 0x1c };
	static const u8 trailing[] = { 0xa1, 0x01, 0x05, 0x00 };
	static const u8 not_map[] = { 0x82, 0x01, 0x05 };
	static const u8 no_uid[] = { 0xa1, 0x06, 0x05 };
	static const u8 str_key[] = { 0xa1, 0x61, 'x', 0x05 };
	static const u8 dup[] = { 0xa2, 0x01, 0x05, 0x01, 0x06 };
	static const u8 open_map[] = { 0xbf, 0x01, 0x05 };
	static const u8 neg_uid[] = { 0xa1, 0x01, 0x25 };
	static const struct { const u8 *c; size_t len; } cases[] = {
		{ truncated, sizeof(truncated) }, { reserved, sizeof(reserved) },
		{ trailing, sizeof(trailing) }, { not_map, sizeof(not_map) },
		{ no_uid, sizeof(no_uid) }, { str_key, sizeof(str_key) },
		{ dup, sizeof(dup) }, { open_map, sizeof(open_map) },
		{ neg_uid, sizeof(neg_uid) },
	};
	struct t_ctx *t = test->priv;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct t_kobj *cred = t_cred(t, cases[i].c, cases[i].len);
		struct t_inv v = { .cxt = T_ROOT, .op = 2, .nio = 1, .noo = 1,
				   .io = { cred->id } };

		KUNIT_EXPECT_EQ_MSG(test, t_call(t, &v), T_INVALID, "case %u",
				    i);
		KUNIT_EXPECT_EQ(test, cred->qtee_refs, 0);
	}
}

static void t_env_open(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), svc;
	u8 b[8] = { };
	struct t_inv v = { .cxt = env, .op = 0, .nib = 1, .noo = 1,
			   .ib = { b }, .ib_len = { 8 } };

	KUNIT_EXPECT_EQ(test, t_open(t, env, 143, &svc), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	KUNIT_EXPECT_EQ(test, t_open(t, env, 2033, &svc), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	KUNIT_EXPECT_EQ(test, t_open(t, env, 3, &svc), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	KUNIT_EXPECT_EQ(test, t_open(t, env, 409, &svc), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	KUNIT_EXPECT_EQ(test, t_open(t, env, 12345, &svc), T_INVALID);
	/* IB of the wrong size; an OB where none belongs; unknown op. */
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v = (struct t_inv){ .cxt = env, .op = 0, .nib = 1, .nob = 1,
			    .ib = { b }, .ib_len = { 4 }, .ob_len = { 4 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = env, .op = 1 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
}

static void t_diagnostics(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), diag, total, used, free, ovh, wasted, largest;
	u8 info[24];
	struct t_inv v = { .op = 0, .nob = 1, .ob_len = { 24 },
			   .ob = { info } };

	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &diag), 0);
	v.cxt = diag;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, v.ob_size[0], 24);
	total = t_get32(info, 0);
	used = t_get32(info, 4);
	free = t_get32(info, 8);
	ovh = t_get32(info, 12);
	wasted = t_get32(info, 16);
	largest = t_get32(info, 20);
	KUNIT_EXPECT_EQ(test, total, 8u << 20);
	KUNIT_EXPECT_EQ(test, used + free + ovh + wasted, total);
	KUNIT_EXPECT_LE(test, largest, free);
	/* The env and the diagnostics object live in the heap. */
	KUNIT_EXPECT_GT(test, used, 0);
	KUNIT_EXPECT_GT(test, ovh, 0);

	v = (struct t_inv){ .cxt = diag, .op = 0, .nob = 1, .ob_len = { 16 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_OUT);
	v = (struct t_inv){ .cxt = diag, .op = 1, .nob = 1, .ob_len = { 24 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, diag), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_feature_version(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), feat;
	u8 id[4], val[4];
	struct t_inv v = { .op = 0, .nib = 1, .nob = 1, .ib = { id },
			   .ib_len = { 4 }, .ob_len = { 4 }, .ob = { val } };

	KUNIT_ASSERT_EQ(test, t_open(t, env, 2033, &feat), 0);
	v.cxt = feat;
	t_put32(id, 0, 10);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(val, 0), 2u << 22);
	qcomtee_sim_set_version(t->sim, QCOMTEE_SIM_VERSION(3, 4, 5));
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(val, 0), 3u << 22 | 4u << 12 | 5);
	t_put32(id, 0, 11);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, feat), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* Tests: apps. */

static int t_add(struct t_ctx *t, u32 app, u32 a, u32 b, u32 *sum)
{
	u8 in[8], out[4];
	struct t_inv v = { .cxt = app, .op = 0, .nib = 1, .nob = 1,
			   .ib = { in }, .ib_len = { 8 }, .ob_len = { 4 },
			   .ob = { out } };
	int ret;

	t_put32(in, 0, a);
	t_put32(in, 4, b);
	ret = t_call(t, &v);
	*sum = ret ? 0 : t_get32(out, 0);
	return ret;
}

static void t_skeleton_app(struct t_ctx *t, u32 ctrl)
{
	struct kunit *test = t->test;
	u32 app = t_get_app(t, ctrl), sum;
	u8 in[8] = { };
	struct t_inv v = { .cxt = app, .op = 0, .nib = 1, .nob = 1,
			   .ib = { in }, .ib_len = { 4 }, .ob_len = { 4 } };

	KUNIT_EXPECT_EQ(test, t_add(t, app, 2, 3, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, 5);
	KUNIT_EXPECT_EQ(test, t_add(t, app, 0xfffffff0u, 0x20, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, U32_MAX);
	/* Wrong shapes and ops. */
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v.ib_len[0] = 8;
	v.ob_len[0] = 2;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v.ob_len[0] = 4;
	v.op = 1;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	/* Unload: the app object is defunct. */
	v = (struct t_inv){ .cxt = ctrl, .op = 1 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_add(t, app, 1, 1, &sum), T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_add(t, app, 1, 1, &sum), T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 12);
	v = (struct t_inv){ .cxt = ctrl, .op = 2, .noo = 1 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 12);
	KUNIT_EXPECT_EQ(test, t_release(t, app), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
}

static void t_load_skeleton_buffer(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	u32 env = t_env(t, 0), loader, ctrl;

	KUNIT_ASSERT_EQ(test, len, 32856);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	KUNIT_ASSERT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 len, &ctrl), 0);
	t_skeleton_app(t, ctrl);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* A bigger inbound buffer for the image: use a dedicated channel. */
static void t_load_skeleton_region(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	struct t_kobj *mem = t_mem(t, len, 6);
	u32 env = t_env(t, 0), loader;
	struct t_inv v = { .op = 1, .nio = 1, .noo = 1, .io = { mem->id } };
	unsigned int ncb = t->ncb;

	memcpy(page_address(mem->pages), qsim_test_skeleton_image, len);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	v.cxt = loader;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	/* One MAP_REGION callback on the primordial object. */
	KUNIT_EXPECT_EQ(test, t->ncb, ncb + 1);
	KUNIT_EXPECT_EQ(test, t->last_cb.cxt, T_PRIMORDIAL);
	KUNIT_EXPECT_EQ(test, t->last_cb.op, 0);
	KUNIT_EXPECT_EQ(test, t->last_cb.counts, 0x1110);
	KUNIT_EXPECT_EQ(test, t->last_cb.io[0], mem->id);
	KUNIT_EXPECT_GE(test, t->last_cb.oblen, 20);
	/* Mapping and memory object were both released with the result. */
	KUNIT_EXPECT_EQ(test, mem->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t->kobj[t->nkobj - 1].kind, T_MAP);
	KUNIT_EXPECT_EQ(test, t->kobj[t->nkobj - 1].qtee_refs, 0);
	t_skeleton_app(t, v.oo[0]);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_load_region_errors(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	struct t_kobj *wo = t_mem(t, len, 4);	/* write only */
	struct t_kobj *junk = t_mem(t, PAGE_SIZE, 6);
	struct t_kobj *cred = t_cred(t, NULL, 0);
	u32 env = t_env(t, 0), loader;
	struct t_inv v = { .op = 1, .nio = 1, .noo = 1 };

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	v.cxt = loader;
	v.io[0] = wo->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 10);
	v.io[0] = junk->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 10);
	/* The kernel refuses to map something that is not memory. */
	v.io[0] = cred->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_UNAVAIL);
	v.io[0] = env;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_load_bad_images(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	size_t len = qcomtee_sim_build_app_image(NULL, NULL, 0);
	u8 *img = kunit_kzalloc(test, 512, GFP_KERNEL);
	u32 env = t_env(t, 0), loader, ctrl;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	/* Not an ELF. */
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, 200, &ctrl), 10);
	/* Wrong machine. */
	qcomtee_sim_build_app_image(NULL, img, 512);
	img[18] = 62;
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 10);
	/* 32-bit class. */
	qcomtee_sim_build_app_image(NULL, img, 512);
	img[4] = 1;
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 10);
	/* Big endian. */
	qcomtee_sim_build_app_image(NULL, img, 512);
	img[5] = 2;
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 10);
	/* Program headers out of bounds. */
	qcomtee_sim_build_app_image(NULL, img, 512);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, 100, &ctrl), 10);
	/* Segment out of bounds. */
	qcomtee_sim_build_app_image(NULL, img, 512);
	put_unaligned_le64(0x10000, img + 64 + 32);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 10);
	/* No metadata at all. */
	qcomtee_sim_build_app_image(NULL, img, 512);
	memset(img + 120, 0, len - 120);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 13);
	/* Metadata without a name. */
	len = qcomtee_sim_build_app_image("", img, 512);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 15);
	/* A name the simulator does not know. */
	len = qcomtee_sim_build_app_image("nobody_ta", img, 512);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 12);
	/* The real skeleton, truncated before its metadata segment. */
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 12300, &ctrl), 10);
	/* Empty buffer; wrong shape. */
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, 0, &ctrl), 10);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* Tests: finding the metadata of real-shaped images (minkipc.md 4). */

#define T_LOAD_ERR_METADATA	13
#define T_LOAD_ERR_NO_NAME	15

/* Build @spec, load it; a loaded app is released at once. */
static int t_load_spec(struct t_ctx *t, u32 loader,
		       const struct qcomtee_sim_image *spec)
{
	ssize_t len = qcomtee_sim_build_image(spec, NULL, 0);
	u32 ctrl = 0;
	void *img;
	int ret;

	KUNIT_ASSERT_GT(t->test, len, 0);
	img = kunit_kzalloc(t->test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t->test, img);
	KUNIT_ASSERT_EQ(t->test, qcomtee_sim_build_image(spec, img, len), len);
	ret = t_load_buf(t, loader, img, len, &ctrl);
	if (!ret)
		KUNIT_EXPECT_EQ(t->test, t_release(t, ctrl), 0);
	kunit_kfree(t->test, img);
	return ret;
}

static void t_meta_real_shapes(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), loader;
	struct qcomtee_sim_image spec = {
		.meta = "A=a;B=true;K=true;T=1;a=true;n=" QTA_NAME
			";p=8:d47729cf3f4181,61:2;s=4e,ff0006:02009",
		.strings = QTA_NAME, .hash = true,
		.code = "[%s:%d] return=0x%x n=0x%x",
	};

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	/* 64-bit, hash segment first, printf formats in the code. */
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec), 0);
	/* 32-bit ARM image (qcm2290's tzecotestapp is one). */
	spec.elf32 = true;
	spec.meta = "n=" QTA_NAME ";p=8:c47728cf3e4189,61:2,82:6004";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec), 0);
	/* Empty entries and entries with an empty key are skipped. */
	spec.elf32 = false;
	spec.meta = ";=x;B=true;;n=" QTA_NAME ";";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec), 0);
	/* The first n= names the app; values may hold '='. */
	spec.meta = "p=a=b;n=" QTA_NAME ";n=nobody";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec), 0);
	spec.meta = "n=nobody;n=" QTA_NAME;
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec), 12);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_meta_decoys(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), loader;
	struct qcomtee_sim_image spec = {
		.code = "n=" QTA_NAME ";v=1", .hash = true,
	};

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	/* A perfect metadata string, but in the executable segment. */
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_METADATA);
	/* The metadata segment names another app than the code does. */
	spec.meta = "B=true;n=nobody_ta";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec), 12);
	/* A key=value first string of the segment is not the metadata. */
	spec.strings = "n=" QTA_NAME;
	spec.meta = "B=true;a=true";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_NO_NAME);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_meta_broken(struct kunit *test)
{
	static const char * const bad[] = {
		"B=true;n",			/* an entry without '=' */
		"B=true;xn=" QTA_NAME,		/* a key of two characters */
		"n=" QTA_NAME ";p=\x01",	/* not printable */
		"n=qcomtee_test_app_with_a_name_longer_than_sixty_three_characters_",
	};
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), loader;
	struct qcomtee_sim_image spec = { .strings = QTA_NAME };
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		spec.meta = bad[i];
		KUNIT_EXPECT_EQ_MSG(test, t_load_spec(t, loader, &spec),
				    T_LOAD_ERR_METADATA, "%s", bad[i]);
	}
	/* No trailer. */
	spec.meta = "n=" QTA_NAME;
	spec.no_trailer = true;
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_METADATA);
	/* An empty string before the trailer. */
	spec.no_trailer = false;
	spec.meta = "";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_METADATA);
	/* Two metadata segments. */
	spec.meta = "n=" QTA_NAME;
	spec.meta_segments = 2;
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_METADATA);
	/* Well formed, without a name, or with an empty one. */
	spec.meta_segments = 1;
	spec.meta = "B=true;a=true";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_NO_NAME);
	spec.meta = "n=;B=true";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_NO_NAME);
	/* No metadata segment at all. */
	spec.meta = NULL;
	spec.code = "nothing here";
	KUNIT_EXPECT_EQ(test, t_load_spec(t, loader, &spec),
			T_LOAD_ERR_METADATA);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* The real skeleton, as minkipc.md 4.2 describes it, and broken copies. */
static void t_meta_real_skeleton(struct kunit *test)
{
	static const u8 trailer[16] = {
		0x6f, 0x62, 0x4c, 0x24, 0x60, 0x50, 0x2a, 0x38,
		0x4c, 0x29, 0x7e, 0x73, 0x33, 0x4c, 0x7d, 0x00,
	};
	struct t_ctx *t = test->priv;
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	u8 *img = kunit_kmalloc(test, len, GFP_KERNEL);
	u32 env = t_env(t, 0), loader, ctrl;
	const u8 *ph;

	KUNIT_ASSERT_NOT_NULL(test, img);
	memcpy(img, qsim_test_skeleton_image, len);
	/* Segment 2: PT_LOAD, p_flags 0x04000006, 0xf6 bytes at 0x3000. */
	ph = img + get_unaligned_le64(img + 32) + 2 * 56;
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(ph), 1);
	KUNIT_ASSERT_EQ(test, get_unaligned_le32(ph + 4), 0x04000006);
	KUNIT_ASSERT_EQ(test, get_unaligned_le64(ph + 8), 0x3000);
	KUNIT_ASSERT_EQ(test, get_unaligned_le64(ph + 32), 0xf6);
	KUNIT_ASSERT_EQ(test, memcmp(img + 0x3000 + 0xf6 - 16, trailer, 16), 0);
	KUNIT_EXPECT_EQ(test, memcmp(img + 0x3090,
				     "B=true;n=smcinvoke_skeleton_ta64;", 33), 0);

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	KUNIT_ASSERT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	/* A damaged trailer. */
	img[0x3000 + 0xf6 - 2] ^= 1;
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl),
			T_LOAD_ERR_METADATA);
	img[0x3000 + 0xf6 - 2] ^= 1;
	/* "B=truexn=smcinvoke_...": a name inside a value names nothing. */
	img[0x3090 + 6] = 'x';
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl),
			T_LOAD_ERR_NO_NAME);
	memcpy(img, qsim_test_skeleton_image, len);
	/* Segment 2 marked as an ordinary data segment: no metadata. */
	put_unaligned_le32(0x00000006, (u8 *)ph + 4);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, img, len, &ctrl),
			T_LOAD_ERR_METADATA);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_load_twice_and_limits(struct kunit *test)
{
	struct qcomtee_sim_config cfg = { .max_apps = 1 };
	struct t_ctx *t = t_reconfigure(test, &cfg);
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	u32 env = t_env(t, 0), loader, ctrl, ctrl2, app;
	u8 name[] = "qcomtee_test_app";
	struct t_inv v = { .op = 2, .nib = 1, .noo = 1, .ib = { name },
			   .ib_len = { sizeof(name) - 1 } };
	struct t_inv d;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	KUNIT_ASSERT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 len, &ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 len, &ctrl2), 14);
	/* Releasing the controller unloads: it can be loaded again. */
	app = t_get_app(t, ctrl);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	d = (struct t_inv){ .cxt = app, .op = 0 };
	KUNIT_EXPECT_EQ(test, t_call(t, &d), T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_release(t, app), 0);
	/* loadEmbedded by name. */
	v.cxt = loader;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	ctrl = v.oo[0];
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	KUNIT_ASSERT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 len, &ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_load_already_loaded(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	u32 env = t_env(t, 0), loader, ctrl, ctrl2;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	KUNIT_ASSERT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 len, &ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_load_buf(t, loader, qsim_test_skeleton_image,
					 len, &ctrl2), 16);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* "u" (minkipc.md 4.3): 32 hex digits of either case; anything else 13. */
static void t_meta_uuid(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	static const char *const bad[] = {
		"n=" QTA_NAME ";u=4205D1CAE4342D456156E979AA6E61B",
		"n=" QTA_NAME ";u=4205D1CAE4342D456156E979AA6E61BC0",
		"n=" QTA_NAME ";u=4205D1CAE4342D456156E979AA6E61BG",
		"n=" QTA_NAME ";u=",
	};
	static const char *const good[] = {
		"B=true;n=" QTA_NAME ";u=4205D1CAE4342D456156E979AA6E61BC",
		"u=4205d1cae4342d456156e979aa6e61bc;n=" QTA_NAME,
	};
	struct qcomtee_sim_image spec = { .strings = QTA_NAME, .hash = true };
	u32 env = t_env(t, 0), loader;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		spec.meta = bad[i];
		KUNIT_EXPECT_EQ_MSG(test, t_load_spec(t, loader, &spec), 13,
				    "%s", bad[i]);
	}
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		spec.meta = good[i];
		KUNIT_EXPECT_EQ_MSG(test, t_load_spec(t, loader, &spec), 0,
				    "%s", good[i]);
	}
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_controller_cancel(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), loader, ctrl, app;
	u8 in[4], out[4];
	struct t_inv v = { .op = 3, .nib = 1, .ib = { in }, .ib_len = { 4 } };

	app = t_testapp(t, env, &ctrl, &loader);
	v.cxt = ctrl;
	t_put32(in, 0, 7);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	v = (struct t_inv){ .cxt = ctrl, .op = 4, .nob = 1, .ob_len = { 4 },
			    .ob = { out } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(out, 0), 7);
	v = (struct t_inv){ .cxt = ctrl, .op = 9 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, app), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* Test-app fixture helpers. */
struct t_app {
	u32 env, loader, ctrl, app;
};

static void t_app_up(struct t_ctx *t, struct t_app *a)
{
	a->env = t_env(t, 0);
	a->app = t_testapp(t, a->env, &a->ctrl, &a->loader);
}

static void t_app_down(struct t_ctx *t, struct t_app *a)
{
	KUNIT_EXPECT_EQ(t->test, t_release(t, a->app), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, a->ctrl), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, a->loader), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, a->env), 0);
}

/* Tests: tzecotestapp (minkipc.md 3.4-3.7). */

#define T_ECO_PATTERN1	0xfeedc0deface0001ull
#define T_ECO_PATTERN2	0xfeedc0deface0002ull
#define T_ECO_NULL_OBJ	10
#define T_ECO_BAD_OUT	11
#define T_ECO_ERROR	12
#define T_ECO_NEGATIVE	(-0x05050506)	/* 0xfafafafa as a result */

/* Load a stand-in tzecotestapp image; returns the app object (IOpener). */
static void t_eco_up(struct t_ctx *t, struct t_app *a)
{
	struct qcomtee_sim_image spec = {
		.meta = "A=a;B=true;a=true;n=tzecotestapp;p=8:d47729cf3f4181",
		.strings = "tzecotestapp", .hash = true,
		.code = "[%s:%d] return=0x%x n=0x%x",
	};
	ssize_t len = qcomtee_sim_build_image(&spec, NULL, 0);
	void *img = kunit_kzalloc(t->test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(t->test, img);
	KUNIT_ASSERT_EQ(t->test, qcomtee_sim_build_image(&spec, img, len), len);
	a->env = t_env(t, 0);
	KUNIT_ASSERT_EQ(t->test, t_open(t, a->env, 3, &a->loader), 0);
	KUNIT_ASSERT_EQ(t->test,
			t_load_buf(t, a->loader, img, len, &a->ctrl), 0);
	a->app = t_get_app(t, a->ctrl);
}

/* IOpener.open(id): [IB u32 id, OO]. */
static int t_eco_open(struct t_ctx *t, u32 app, u32 id, u32 *obj)
{
	return t_open(t, app, id, obj);
}

/* An op on a TestCBack / TestMemManager with up to 2 IO and one IB. */
static int t_eco(struct t_ctx *t, u32 obj, u32 op, const void *ib,
		 u32 ib_len, u32 io0, u32 io1, unsigned int nio)
{
	struct t_inv v = { .cxt = obj, .op = op, .nib = !!ib, .nio = nio,
			   .ib = { ib }, .ib_len = { ib_len },
			   .io = { io0, io1 } };

	return t_call(t, &v);
}

static void t_mem_put64(struct t_kobj *m, u64 v)
{
	put_unaligned_le64(v, page_address(m->pages));
}

static u64 t_mem_get64(struct t_kobj *m)
{
	return get_unaligned_le64(page_address(m->pages));
}

static void t_eco_opener(struct kunit *test)
{
	static const u32 not_found[] = { 0, 1, 3, 4, 6, 7, 0x13, 0xffffffff };
	struct t_ctx *t = test->priv;
	struct t_inv v = { .op = 0, .nib = 1 };
	struct t_app a;
	u32 obj, id = 2;
	unsigned int i;

	t_eco_up(t, &a);
	KUNIT_EXPECT_EQ(test, t_eco_open(t, a.app, 2, &obj), 0);
	KUNIT_EXPECT_NE(test, obj, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, obj), 0);
	KUNIT_EXPECT_EQ(test, t_eco_open(t, a.app, 5, &obj), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, obj), 0);
	for (i = 0; i < ARRAY_SIZE(not_found); i++)
		KUNIT_EXPECT_EQ_MSG(test, t_eco_open(t, a.app, not_found[i],
						     &obj), 10,
				    "id %#x", not_found[i]);
	/* Wrong shapes: no OO; a 2-byte id; another op. */
	v.cxt = a.app;
	v.ib[0] = &id;
	v.ib_len[0] = 4;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v.noo = 1;
	v.ib_len[0] = 2;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v.ib_len[0] = 4;
	v.op = 1;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	t_app_down(t, &a);
}

/* The -c steps 1-12 against the test's own callable objects. */
static void t_eco_cback(struct kunit *test)
{
	static const u8 bytes[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct t_ctx *t = test->priv;
	struct t_kobj *ca = t_kobj_new(t, T_ECHO), *cb = t_kobj_new(t, T_ECHO);
	unsigned int ncb;
	struct t_app a;
	u32 tb;

	t_eco_up(t, &a);
	KUNIT_ASSERT_EQ(test, t_eco_open(t, a.app, 2, &tb), 0);

	/* call: A op 0, no arguments. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 2, NULL, 0, ca->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, ca->id);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 0);
	/* callWithBuffer: A op 1 with the same bytes. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 3, bytes, 8, ca->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 1);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 1);
	KUNIT_EXPECT_EQ(test, t->last_kcb.iblen, 8);
	KUNIT_EXPECT_EQ(test, memcmp(t->last_kcb.ib, bytes, 8), 0);
	/* A's own result comes back unchanged, positive or negative. */
	t->cb_result = 0x0afafafa;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 3, bytes, 7, ca->id, 0, 1),
			0x0afafafa);
	t->cb_result = T_ECO_NEGATIVE;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 2, NULL, 0, ca->id, 0, 1),
			T_ECO_NEGATIVE);
	t->cb_result = 0;
	/* callWithObject: B arrives as B; the TA's own object as itself. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 5, NULL, 0, cb->id, ca->id, 2), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, ca->id);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 3);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x100);
	KUNIT_EXPECT_EQ(test, t->last_kcb.io[0], cb->id);
	t->cb_result = 10;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 5, NULL, 0, tb, ca->id, 2), 10);
	KUNIT_EXPECT_EQ(test, t->last_kcb.io[0], tb);
	t->cb_result = 0;
	KUNIT_EXPECT_EQ(test, cb->qtee_refs, 0);

	/* set keeps A without calling it; callSet calls it. */
	ncb = t->ncb;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 0, NULL, 0, ca->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->ncb, ncb);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 1);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 1, NULL, 0, 0, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, t->ncb, ncb + 1);
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, ca->id);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 0);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 1);
	t->cb_result = 0x0afafafa;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 1, NULL, 0, 0, 0, 0), 0x0afafafa);
	t->cb_result = 0;
	/* set(NULL) drops it; callSet then has nothing to call. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 0, NULL, 0, 0, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 1, NULL, 0, 0, 0, 0),
			T_ECO_NULL_OBJ);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 2, NULL, 0, 0, 0, 1),
			T_ECO_NULL_OBJ);
	/* A second set replaces the first; the object drops it at last. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 0, NULL, 0, ca->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 0, NULL, 0, cb->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, cb->qtee_refs, 1);
	/* Wrong shapes. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 2, NULL, 0, ca->id, cb->id, 2),
			T_INVALID);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 18, NULL, 0, ca->id, 0, 1),
			T_INVALID);
	/* The kernel holds T twice: it was passed back in step 5. */
	KUNIT_EXPECT_EQ(test, t_release(t, tb), 0);
	KUNIT_EXPECT_EQ(test, cb->qtee_refs, 1);
	KUNIT_EXPECT_EQ(test, t_release(t, tb), 0);
	KUNIT_EXPECT_EQ(test, cb->qtee_refs, 0);
	t_app_down(t, &a);
}

/* callAddInt / callWithDelay: the callable's OB comes back. */
static void t_eco_cback_outputs(struct kunit *test)
{
	static const u8 in[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct t_ctx *t = test->priv;
	struct t_kobj *ca = t_kobj_new(t, T_ECHO);
	u8 out[4];
	struct t_inv v = { .op = 8, .nib = 1, .nob = 1, .nio = 1,
			   .ib = { in }, .ib_len = { 8 }, .ob_len = { 4 },
			   .ob = { out }, .io = { ca->id } };
	struct t_app a;
	u32 tb;

	t_eco_up(t, &a);
	KUNIT_ASSERT_EQ(test, t_eco_open(t, a.app, 2, &tb), 0);
	v.cxt = tb;
	/* The test's callable inverts the first 4 IB bytes into its OB. */
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 6);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x11);
	KUNIT_EXPECT_EQ(test, v.ob_size[0], 4);
	KUNIT_EXPECT_EQ(test, t_get32(out, 0), ~t_get32(in, 0));
	/* callWithDelay: an OB of 4 left empty is a bad output. */
	v = (struct t_inv){ .cxt = tb, .op = 12, .nob = 1, .nio = 1,
			    .ob_len = { 4 }, .io = { ca->id } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_ECO_BAD_OUT);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 10);
	KUNIT_EXPECT_EQ(test, t->last_kcb.oblen, 4);
	t->cb_fill = 9;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	t->cb_fill = 0;
	/* callCopyBuffer needs no callee. */
	v = (struct t_inv){ .cxt = tb, .op = 10, .nib = 1, .nob = 1,
			    .ib = { in }, .ib_len = { 4 }, .ob_len = { 4 },
			    .ob = { out } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, in, 4), 0);
	v.ib_len[0] = 8;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_OUT);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, tb), 0);
	t_app_down(t, &a);
}

/* The -c steps 13-17: memory objects returned from the callable. */
static void t_eco_cback_memory(struct kunit *test)
{
	static const u8 bytes[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	struct t_ctx *t = test->priv;
	struct t_kobj *cm = t_kobj_new(t, T_ECHO), *other = t_kobj_new(t, T_ECHO);
	struct t_kobj *m1 = t_mem(t, 32768, 6), *m2 = t_mem(t, 32768, 6);
	unsigned int nmap;
	struct t_app a;
	u32 tb;

	t_eco_up(t, &a);
	KUNIT_ASSERT_EQ(test, t_eco_open(t, a.app, 2, &tb), 0);
	t_mem_put64(m1, T_ECO_PATTERN1);
	t->cb_oo[0] = m1->id;
	nmap = t->nmap;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 13, NULL, 0, cm->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 11);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x1000);
	KUNIT_EXPECT_EQ(test, t->nmap, nmap + 1);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m1), T_ECO_PATTERN2);
	KUNIT_EXPECT_EQ(test, m1->qtee_refs, 0);
	/* Not the pattern the callable should have written. */
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 13, NULL, 0, cm->id, 0, 1),
			T_ECO_ERROR);
	/* WithBufferIn: the same bytes, then the object. */
	t_mem_put64(m1, T_ECO_PATTERN1);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 14, bytes, 8, cm->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 12);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x1001);
	KUNIT_EXPECT_EQ(test, memcmp(t->last_kcb.ib, bytes, 8), 0);
	/* WithBufferOut: the callable fills its OB with 'A'. */
	t_mem_put64(m1, T_ECO_PATTERN1);
	t->cb_fill = 'A';
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 15, NULL, 0, cm->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 13);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x1010);
	t_mem_put64(m1, T_ECO_PATTERN1);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 16, bytes, 8, cm->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 14);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x1011);
	t->cb_fill = 'B';
	t_mem_put64(m1, T_ECO_PATTERN1);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 15, NULL, 0, cm->id, 0, 1),
			T_ECO_BAD_OUT);
	t->cb_fill = 0;
	/* Two memory objects at once. */
	t_mem_put64(m1, T_ECO_PATTERN1);
	t_mem_put64(m2, T_ECO_PATTERN1);
	t->cb_oo[1] = m2->id;
	nmap = t->nmap;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 17, NULL, 0, cm->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 15);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x2000);
	KUNIT_EXPECT_EQ(test, t->nmap, nmap + 2);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m1), T_ECO_PATTERN2);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m2), T_ECO_PATTERN2);
	/* No object, or one that is not memory: a bad output. */
	t->cb_oo[0] = 0;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 13, NULL, 0, cm->id, 0, 1),
			T_ECO_BAD_OUT);
	t->cb_oo[0] = other->id;
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 13, NULL, 0, cm->id, 0, 1),
			T_ECO_BAD_OUT);
	t->cb_oo[0] = 0;
	t->cb_oo[1] = 0;
	KUNIT_EXPECT_EQ(test, m1->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, m2->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, other->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, tb), 0);
	t_app_down(t, &a);
}

/* The -m steps: access twice, two objects, dropped unmapped. */
static void t_eco_mem_manager(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *m1 = t_mem(t, 4096, 6), *m2 = t_mem(t, 4096, 6);
	struct t_kobj *ro = t_mem(t, 4096, 2);
	unsigned int nmap;
	struct t_app a;
	u32 mm;

	t_eco_up(t, &a);
	KUNIT_ASSERT_EQ(test, t_eco_open(t, a.app, 5, &mm), 0);
	t_mem_put64(m1, T_ECO_PATTERN1);
	nmap = t->nmap;
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 0, NULL, 0, m1->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m1), T_ECO_PATTERN2);
	KUNIT_EXPECT_EQ(test, m1->qtee_refs, 0);
	/* Again with the same memory: the client sends nothing more. */
	t_mem_put64(m1, T_ECO_PATTERN1);
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 0, NULL, 0, m1->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m1), T_ECO_PATTERN2);
	KUNIT_EXPECT_EQ(test, t->nmap, nmap + 2);
	/* Two at once. */
	t_mem_put64(m1, T_ECO_PATTERN1);
	t_mem_put64(m2, T_ECO_PATTERN1);
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 6, NULL, 0, m1->id, m2->id, 2), 0);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m1), T_ECO_PATTERN2);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m2), T_ECO_PATTERN2);
	/* releaseImmediately: dropped, never mapped. */
	t_mem_put64(m1, T_ECO_PATTERN1);
	nmap = t->nmap;
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 7, NULL, 0, m1->id, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, t->nmap, nmap);
	KUNIT_EXPECT_EQ(test, t_mem_get64(m1), T_ECO_PATTERN1);
	KUNIT_EXPECT_EQ(test, m1->qtee_refs, 0);
	/* A wrong pattern, a read-only mapping, a secure object. */
	t_mem_put64(m2, 0);
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 0, NULL, 0, m2->id, 0, 1), 1);
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 0, NULL, 0, ro->id, 0, 1), 11);
	KUNIT_EXPECT_EQ(test, t_mem_get64(ro), 0);
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 0, NULL, 0, mm, 0, 1), T_INVALID);
	/* Ops the client does not use are not modelled. */
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 1, NULL, 0, m1->id, 0, 1),
			T_INVALID);
	KUNIT_EXPECT_EQ(test, m1->qtee_refs + m2->qtee_refs + ro->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, mm), 0);
	t_app_down(t, &a);
}

/* Unloading makes the TA's objects defunct and drops what they hold. */
static void t_eco_unload(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *ca = t_kobj_new(t, T_ECHO);
	struct t_inv v;
	struct t_app a;
	u32 tb, mm;

	t_eco_up(t, &a);
	KUNIT_ASSERT_EQ(test, t_eco_open(t, a.app, 2, &tb), 0);
	KUNIT_ASSERT_EQ(test, t_eco_open(t, a.app, 5, &mm), 0);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 0, NULL, 0, ca->id, 0, 1), 0);
	v = (struct t_inv){ .cxt = a.ctrl, .op = 1 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_eco(t, tb, 1, NULL, 0, 0, 0, 0), T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_eco(t, mm, 7, NULL, 0, 0, 0, 0), T_DEFUNCT);
	/* The kept callable goes with the object. */
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 1);
	KUNIT_EXPECT_EQ(test, t_release(t, tb), 0);
	KUNIT_EXPECT_EQ(test, ca->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, mm), 0);
	t_app_down(t, &a);
}

/* Tests: listeners (minkipc.md 1.2-1.3, 2.1, 2.6-2.7). */

#define T_LSN_IN_USE	12
#define T_LSN_RESERVED	13
#define T_LSN_NOT_VM	14
#define T_BUSY		(-99)

struct t_lsn_env {
	struct t_app app;	/* the test app, to make QTEE call listeners */
	u32 env, reg, tabuf;	/* a user env and its two services */
};

static void t_lsn_up(struct t_ctx *t, struct t_lsn_env *e)
{
	static const u8 cbor[] = { 0xa1, 0x01, 0x07 };
	struct t_kobj *cred = t_cred(t, cbor, sizeof(cbor));

	t_app_up(t, &e->app);
	e->env = t_env(t, cred->id);
	KUNIT_ASSERT_EQ(t->test, t_open(t, e->env, 87, &e->reg), 0);
	KUNIT_ASSERT_EQ(t->test, t_open(t, e->env, 268, &e->tabuf), 0);
}

static void t_lsn_down(struct t_ctx *t, struct t_lsn_env *e)
{
	KUNIT_EXPECT_EQ(t->test, t_release(t, e->tabuf), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, e->reg), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, e->env), 0);
	t_app_down(t, &e->app);
}

/* A listener: its callback object and the memory registered with it. */
static struct t_kobj *t_lsn_new(struct t_ctx *t, size_t len)
{
	struct t_kobj *k = t_kobj_new(t, T_LSN);

	k->mem = t_mem(t, len, 6);
	return k;
}

/* register [IB u32 id, IO cbo, IO mem] */
static int t_lsn_reg(struct t_ctx *t, u32 reg, u32 id, u32 cbo, u32 mem)
{
	u8 b[4];
	struct t_inv v = { .cxt = reg, .op = 0, .nib = 1, .nio = 2,
			   .ib = { b }, .ib_len = { 4 }, .io = { cbo, mem } };

	t_put32(b, 0, id);
	return t_call(t, &v);
}

/* Make QTEE send command @cmd to listener @id; *@rsp <- u32 at 4. */
static int t_lsn_call(struct t_ctx *t, u32 app, u32 id, u32 cmd, u32 *rsp)
{
	u8 b[4], req[4], out[8] = { };
	struct t_inv v = { .cxt = app, .op = QTA_OP_LISTENER, .nib = 2,
			   .nob = 1, .ib = { b, req }, .ib_len = { 4, 4 },
			   .ob_len = { 8 }, .ob = { out } };
	int ret;

	t_put32(b, 0, id);
	t_put32(req, 0, cmd);
	ret = t_call(t, &v);
	if (rsp)
		*rsp = t_get32(out, 4);
	return ret;
}

/*
 * The listener's file is closed: its request answers DEFUNCT, which makes
 * it suspect; at the next call the wait probe answers DEFUNCT too: gone.
 */
static void t_lsn_close(struct t_ctx *t, struct t_lsn_env *e,
			struct t_kobj *k, u32 id)
{
	k->defunct = true;
	KUNIT_EXPECT_EQ(t->test, t_lsn_call(t, e->app.app, id, 0x304, NULL),
			T_DEFUNCT);
	KUNIT_EXPECT_EQ(t->test, k->qtee_refs, 1);
	KUNIT_EXPECT_EQ(t->test, t_lsn_call(t, e->app.app, id, 0x304, NULL),
			T_DEFUNCT);
	KUNIT_EXPECT_EQ(t->test, k->qtee_refs, 0);
	KUNIT_EXPECT_EQ(t->test, k->mem->qtee_refs, 0);
}

static void t_lsn_register_checks(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *k = t_lsn_new(t, 20480), *echo = t_kobj_new(t, T_ECHO);
	struct t_kobj *empty = t_mem(t, 4096, 6), *ro = t_mem(t, 4096, 2);
	struct t_lsn_env e;
	u32 kenv, kreg;
	u8 b[4] = { 0xb };
	struct t_inv v = { .op = 0, .nib = 1, .nio = 1, .ib = { b },
			   .ib_len = { 4 } };

	empty->len = 0;
	t_lsn_up(t, &e);
	v.cxt = e.reg;
	v.io[0] = k->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);	/* no mem */
	v.nio = 2;
	v.io[1] = k->mem->id;
	v.ib_len[0] = 2;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v.op = 1;
	v.ib_len[0] = 4;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0, k->id, k->mem->id),
			T_LSN_RESERVED);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0x80000000, k->id,
					k->mem->id), T_LSN_RESERVED);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, 0, k->mem->id),
			T_INVALID);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, e.app.app, k->mem->id),
			T_INVALID);
	/* Not memory, no bytes, not writable. */
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, echo->id),
			T_INVALID);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, empty->id), 11);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, ro->id),
			T_INVALID);
	/* A kernel client env may not register listeners. */
	kenv = t_env(t, 0);
	KUNIT_ASSERT_EQ(test, t_open(t, kenv, 87, &kreg), 0);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, kreg, 0xb, k->id, k->mem->id),
			T_LSN_NOT_VM);
	KUNIT_EXPECT_EQ(test, t_release(t, kreg), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, kenv), 0);
	/* Nothing was kept from the refused registrations. */
	KUNIT_EXPECT_EQ(test, k->qtee_refs + k->mem->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, echo->qtee_refs + empty->qtee_refs, 0);
	/* Good; then a live duplicate is refused after a wait probe. */
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, k->mem->id), 0);
	KUNIT_EXPECT_EQ(test, k->qtee_refs, 1);
	KUNIT_EXPECT_EQ(test, k->mem->qtee_refs, 1);
	KUNIT_EXPECT_EQ(test, k->nops, 0);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, k->mem->id),
			T_LSN_IN_USE);
	KUNIT_EXPECT_EQ(test, k->nops, 1);
	KUNIT_EXPECT_EQ(test, k->ops[0], 1);
	KUNIT_EXPECT_EQ(test, k->qtee_refs, 1);
	t_lsn_close(t, &e, k, 0xb);
	t_lsn_down(t, &e);
}

static void t_lsn_max_registered(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *k[9];
	struct t_lsn_env e;
	unsigned int i;

	t_lsn_up(t, &e);
	for (i = 0; i < ARRAY_SIZE(k); i++)
		k[i] = t_lsn_new(t, 4096);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0x100 + i, k[i]->id,
						k[i]->mem->id), 0);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0x200, k[8]->id,
					k[8]->mem->id), 10);
	KUNIT_EXPECT_EQ(test, k[8]->qtee_refs + k[8]->mem->qtee_refs, 0);
	/* One ends: there is room again. */
	t_lsn_close(t, &e, k[0], 0x100);
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0x200, k[8]->id,
					k[8]->mem->id), 0);
	for (i = 1; i < 8; i++)
		t_lsn_close(t, &e, k[i], 0x100 + i);
	t_lsn_close(t, &e, k[8], 0x200);
	t_lsn_down(t, &e);
}

/* A request: written at offset 0, op 0 with [OB, OB 4, 4 OO], read back. */
static void t_lsn_request(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *k = t_lsn_new(t, 20480);
	struct t_lsn_env e;
	u32 rsp = 0;

	t_lsn_up(t, &e);
	KUNIT_ASSERT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, k->mem->id), 0);
	/* Registrations outlive the services they were made through. */
	KUNIT_EXPECT_EQ(test, t_release(t, e.reg), 0);
	KUNIT_ASSERT_EQ(test, t_open(t, e.env, 87, &e.reg), 0);
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xb, 0x306, &rsp), 0);
	KUNIT_EXPECT_EQ(test, rsp, 0x307);
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, k->id);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x4020);
	KUNIT_EXPECT_EQ(test, t->last_kcb.oblen, 16);
	KUNIT_EXPECT_EQ(test, t_get32(page_address(k->mem->pages), 0), 0x306);
	KUNIT_EXPECT_EQ(test, k->nops, 1);
	/* No mapping per request: the registration keeps its own. */
	KUNIT_EXPECT_EQ(test, k->mem->qtee_refs, 1);
	/* Unknown listener; a request larger than its memory. */
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xa, 0x304, &rsp), 10);
	t_lsn_close(t, &e, k, 0xb);
	/* Gone: not found any more. */
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xb, 0x304, &rsp), 10);
	t_lsn_down(t, &e);
}

/* BUSY (or 1): QTEE waits (op 1) and sends the request again. */
static void t_lsn_busy_and_errors(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *k = t_lsn_new(t, 20480);
	struct t_lsn_env e;
	u32 rsp = 0;

	t_lsn_up(t, &e);
	KUNIT_ASSERT_EQ(test, t_lsn_reg(t, e.reg, 0xa, k->id, k->mem->id), 0);
	k->busy_left = 1;
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xa, 0x202, &rsp), 0);
	KUNIT_EXPECT_EQ(test, rsp, 0x203);
	KUNIT_EXPECT_EQ(test, k->nops, 3);
	KUNIT_EXPECT_EQ(test, k->ops[0], 0);
	KUNIT_EXPECT_EQ(test, k->ops[1], 1);
	KUNIT_EXPECT_EQ(test, k->ops[2], 0);
	/* A listener that keeps failing: a bounded number of tries. */
	k->nops = 0;
	k->fail = true;
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xa, 0x202, &rsp), 1);
	KUNIT_EXPECT_EQ(test, k->nops, 7);
	k->fail = false;
	/* Still registered. */
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xa, 0x202, &rsp), 0);
	/*
	 * One DEFUNCT (what a killed caller's callbacks get): the next call
	 * asks the listener to wait first, and it is still there.
	 */
	k->nops = 0;
	k->defunct_left = 1;
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xa, 0x202, &rsp),
			T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xa, 0x208, &rsp), 0);
	KUNIT_EXPECT_EQ(test, rsp, 0x209);
	KUNIT_EXPECT_EQ(test, k->nops, 3);
	KUNIT_EXPECT_EQ(test, k->ops[1], 1);
	KUNIT_EXPECT_EQ(test, k->qtee_refs, 1);
	t_lsn_close(t, &e, k, 0xa);
	t_lsn_down(t, &e);
}

/* A restarted daemon registers the same id from a new file. */
static void t_lsn_restart(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *old = t_lsn_new(t, 20480), *k = t_lsn_new(t, 20480);
	struct t_lsn_env e;
	u32 rsp = 0;

	t_lsn_up(t, &e);
	KUNIT_ASSERT_EQ(test, t_lsn_reg(t, e.reg, 0xb, old->id,
					old->mem->id), 0);
	old->defunct = true;
	KUNIT_EXPECT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, k->mem->id), 0);
	/* The old one was asked to wait, answered DEFUNCT, and was dropped. */
	KUNIT_EXPECT_EQ(test, old->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, old->mem->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_lsn_call(t, e.app.app, 0xb, 0x305, &rsp), 0);
	KUNIT_EXPECT_EQ(test, rsp, 0x306);
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, k->id);
	t_lsn_close(t, &e, k, 0xb);
	t_lsn_down(t, &e);
}

/* The secure time source asks the time listener (0xB), 0x304 and 0x302. */
static void t_lsn_time(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *k = t_lsn_new(t, 20480);
	struct t_lsn_env e;
	u8 out[16];
	struct t_inv v = { .op = QTA_OP_TIME, .nob = 1, .ob_len = { 16 },
			   .ob = { out } };

	t_lsn_up(t, &e);
	v.cxt = e.app.app;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 10);	/* no time listener */
	KUNIT_ASSERT_EQ(test, t_lsn_reg(t, e.reg, 0xb, k->id, k->mem->id), 0);
	k->time_ms = 1764590400123ull;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_le64(out), 1764590400123ull);
	KUNIT_EXPECT_EQ(test, t_get32(out, 8), 1764590400);
	KUNIT_EXPECT_EQ(test, t_get32(out, 12), 123000000);
	KUNIT_EXPECT_EQ(test, k->nops, 2);
	/* The listener's ret, and a clock that failed (all ones). */
	k->utc_ret = (u32)-1;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 1);
	k->utc_ret = 0;
	k->time_ms = U64_MAX;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 1);
	t_lsn_close(t, &e, k, 0xb);
	t_lsn_down(t, &e);
}

/* A storage op: IB name (or none), IB data (PUT) or OB @cap (GET/LIST). */
static int t_store(struct t_ctx *t, u32 app, u32 op, const char *name,
		   const void *data, u32 len, u8 *out, u32 *got)
{
	struct t_inv v = { .cxt = app, .op = op };

	if (name) {
		v.ib[v.nib] = name;
		v.ib_len[v.nib++] = strlen(name);
	}
	if (op == QTA_OP_STORE_PUT) {
		v.ib[v.nib] = data;
		v.ib_len[v.nib++] = len;
	} else if (out) {
		v.ob[0] = out;
		v.ob_len[0] = len;
		v.nob = 1;
	}
	v.ret = t_call(t, &v);
	if (got)
		*got = v.ret ? 0 : v.ob_size[0];
	return v.ret;
}

/* Secure storage through the FS listener (0xA), with its layouts. */
static void t_lsn_storage(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *k = t_lsn_new(t, 20480);
	struct t_fs *fs = kunit_kzalloc(test, sizeof(*fs), GFP_KERNEL);
	struct t_lsn_env e;
	u8 out[64];
	u32 got;

	KUNIT_ASSERT_NOT_NULL(test, fs);
	t_lsn_up(t, &e);
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_PUT, "a",
				      "x", 1, NULL, NULL), 10);
	KUNIT_ASSERT_EQ(test, t_lsn_reg(t, e.reg, 0xa, k->id, k->mem->id), 0);
	k->fs = fs;
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_PUT, "rec1",
				      "secret", 6, NULL, NULL), 0);
	KUNIT_EXPECT_STREQ(test, fs->f[0].name,
			   "/persist/data/qcomtee_sim/rec1");
	KUNIT_EXPECT_EQ(test, fs->f[0].len, 6);
	KUNIT_EXPECT_EQ(test, memcmp(fs->f[0].data, "secret", 6), 0);
	KUNIT_EXPECT_STREQ(test, fs->f[1].name,
			   "/persist/data/qcomtee_sim/index");
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_GET, "rec1",
				      NULL, sizeof(out), out, &got), 0);
	KUNIT_EXPECT_EQ(test, got, 6);
	KUNIT_EXPECT_EQ(test, memcmp(out, "secret", 6), 0);
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_LIST, NULL,
				      NULL, sizeof(out), out, &got), 0);
	KUNIT_EXPECT_EQ(test, got, 5);
	KUNIT_EXPECT_EQ(test, memcmp(out, "rec1\n", 5), 0);
	/* No such record: 0x1000 + ENOENT, from GET_ERRNO. */
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_GET, "none",
				      NULL, sizeof(out), out, &got), 0x1002);
	/* A listener that claims more bytes than were asked. */
	fs->lie = true;
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_GET, "rec1",
				      NULL, sizeof(out), out, &got), 1);
	fs->lie = false;
	/* An index whose last line lost its '\n'. */
	fs->f[1].len = 4;
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_DELETE, "rec1",
				      NULL, 0, NULL, NULL), 0);
	KUNIT_EXPECT_FALSE(test, fs->f[0].used);
	KUNIT_EXPECT_EQ(test, fs->f[1].len, 0);
	/* Bad names and sizes never reach the listener. */
	fs->cmds = 0;
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_PUT, "a/b",
				      "x", 1, NULL, NULL), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_PUT, "",
				      "x", 1, NULL, NULL), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_store(t, e.app.app, QTA_OP_STORE_GET, "rec1",
				      NULL, 0, NULL, NULL), T_INVALID);
	KUNIT_EXPECT_EQ(test, fs->cmds, 0);
	k->fs = NULL;
	t_lsn_close(t, &e, k, 0xa);
	t_lsn_down(t, &e);
}

/* TA-buffer providers (UID 268): one at a time, NULL unregisters. */
static void t_lsn_tabuf(struct kunit *test)
{
	static const u8 uuid[16] = { 0xda, 0xc9, 0x02, 0xfd, 0x6c, 0x30 };
	struct t_ctx *t = test->priv;
	struct t_kobj *p1 = t_kobj_new(t, T_ECHO), *p2 = t_kobj_new(t, T_ECHO);
	struct t_kobj *img = t_mem(t, 8192, 6);
	struct t_lsn_env e;
	u8 out[16];
	struct t_inv v = { .op = 0, .nio = 1 };
	struct t_inv g = { .op = QTA_OP_TABUF_GET, .nib = 1, .nob = 1,
			   .ib = { uuid }, .ib_len = { 16 }, .ob_len = { 16 },
			   .ob = { out } };

	t_lsn_up(t, &e);
	g.cxt = e.app.app;
	KUNIT_EXPECT_EQ(test, t_call(t, &g), 10);	/* nobody registered */
	v.cxt = e.tabuf;
	v.io[0] = p1->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, p1->qtee_refs, 1);
	v.io[0] = p2->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, p1->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, p2->qtee_refs, 1);
	/* get [IB 16-byte UUID, OO memory object]: QTEE reads the image. */
	memcpy(page_address(img->pages), "\177ELF-image-bytes", 16);
	t->cb_oo[0] = img->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &g), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\177ELF-image-bytes", 16), 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, p2->id);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x1001);
	KUNIT_EXPECT_EQ(test, memcmp(t->last_kcb.ib, uuid, 16), 0);
	KUNIT_EXPECT_EQ(test, img->qtee_refs, 0);
	/* No memory object; the provider's "not found" (1). */
	t->cb_oo[0] = 0;
	KUNIT_EXPECT_EQ(test, t_call(t, &g), 11);
	t->cb_result = 1;
	KUNIT_EXPECT_EQ(test, t_call(t, &g), 1);
	t->cb_result = 0;
	/* Wrong shapes, a secure object; NULL unregisters. */
	v.io[0] = e.app.app;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v.nio = 0;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, p2->qtee_refs, 1);
	v.nio = 1;
	v.io[0] = 0;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, p2->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_call(t, &g), 10);
	t_lsn_down(t, &e);
}

/* Tests: the GP client (real-clients.md section 9) and TA autoload. */

#define T_UID_GP		409
#define T_GP_OK			0u
#define T_TEEC_CONFLICT		0xffff0003u
#define T_TEEC_BAD_PARAMS	0xffff0006u
#define T_TEEC_NOT_FOUND	0xffff0008u
#define T_TEEC_NOT_SUPPORTED	0xffff000au
#define T_TEEC_SECURITY		0xffff000fu
#define T_ORIGIN_TEE		3u
#define T_ORIGIN_TA		4u
#define T_LOGIN_USER		1
/* gptest's UUID as gp_test_client sends it, and as "u=" carries it. */
#define T_GP_UUID_HEX		"4205D1CAE4342D456156E979AA6E61BC"

static const u8 t_gp_uuid[16] = {
	0x42, 0x05, 0xd1, 0xca, 0xe4, 0x34, 0x2d, 0x45,
	0x61, 0x56, 0xe9, 0x79, 0xaa, 0x6e, 0x61, 0xbc,
};

/* The parameters of one openSession or invokeCommand, and its outcome. */
struct t_gp {
	u32 types, ex;
	const void *i[4];
	u32 ilen[4];
	void *o[4];
	u32 olen[4];
	u32 mem[4];
	u8 res[24];
	u32 osize[4];
};

static u32 t_gp_outsz(const struct t_gp *g, unsigned int n)
{
	return t_get32(g->res, 4 * n);
}

static u32 t_gp_value(const struct t_gp *g)
{
	return t_get32(g->res, 16);
}

static u32 t_gp_origin(const struct t_gp *g)
{
	return t_get32(g->res, 20);
}

/* Put @g's slots in @v from IB @ib, OB @ob (the result block) and IO @io. */
static int t_gp_call(struct t_ctx *t, struct t_inv *v, struct t_gp *g,
		     unsigned int ib, unsigned int io)
{
	static const u8 none[1];
	unsigned int n;
	int ret;

	v->ob[0] = g->res;
	v->ob_len[0] = sizeof(g->res);
	for (n = 0; n < 4; n++) {
		v->ib[ib + n] = g->i[n] ?: none;
		v->ib_len[ib + n] = g->ilen[n];
		v->ob[1 + n] = g->o[n];
		v->ob_len[1 + n] = g->olen[n];
		v->io[io + n] = g->mem[n];
	}
	memset(g->res, 0xee, sizeof(g->res));
	ret = t_call(t, v);
	for (n = 0; n < 4; n++)
		g->osize[n] = v->ob_size[1 + n];
	return ret;
}

/* IGPAppClient op 0 openSession, 17 slots; *@session gets OO0. */
static int t_gp_open(struct t_ctx *t, u32 client, const u8 *uuid, u32 login,
		     u32 wait, struct t_gp *g, u32 *session)
{
	u8 hdr[20] = { };
	struct t_inv v = { .cxt = client, .op = 0, .nib = 6, .nob = 5,
			   .nio = 5, .noo = 1, .ib = { hdr, uuid },
			   .ib_len = { 20, 16 }, .io = { wait } };
	int ret;

	t_put32(hdr, 4, login);
	t_put32(hdr, 12, g->types);
	t_put32(hdr, 16, g->ex);
	ret = t_gp_call(t, &v, g, 2, 1);
	*session = v.oo[0];
	return ret;
}

/* IGPSession op 1 invokeCommand, 14 slots. */
static int t_gp_invoke(struct t_ctx *t, u32 session, u32 cmd, struct t_gp *g)
{
	u8 hdr[20];
	struct t_inv v = { .cxt = session, .op = 1, .nib = 5, .nob = 5,
			   .nio = 4, .ib = { hdr }, .ib_len = { 20 } };

	t_put32(hdr, 0, cmd);
	t_put32(hdr, 4, 0x1234567);		/* cancelCode */
	t_put32(hdr, 8, 0xffffffff);		/* cancellationRequestTimeout */
	t_put32(hdr, 12, g->types);
	t_put32(hdr, 16, g->ex);
	return t_gp_call(t, &v, g, 1, 0);
}

/* A gptest image whose metadata string is @meta. */
static void *t_gp_image(struct t_ctx *t, const char *meta, ssize_t *len)
{
	struct qcomtee_sim_image spec = {
		.meta = meta, .strings = "gptest", .hash = true,
		.code = "[%s:%d] return=0x%x n=0x%x",
	};
	void *img;

	*len = qcomtee_sim_build_image(&spec, NULL, 0);
	KUNIT_ASSERT_GT(t->test, *len, 0);
	img = kunit_kzalloc(t->test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t->test, img);
	KUNIT_ASSERT_EQ(t->test, qcomtee_sim_build_image(&spec, img, *len),
			*len);
	return img;
}

/* The image of @meta in a memory object, as a TA-buffer provider has it. */
static struct t_kobj *t_gp_image_mem(struct t_ctx *t, const char *meta)
{
	ssize_t len;
	void *img = t_gp_image(t, meta, &len);
	struct t_kobj *m = t_mem(t, PAGE_ALIGN(len), 6);

	memcpy(page_address(m->pages), img, len);
	return m;
}

struct t_gp_env {
	u32 env, client, loader, ctrl;
	struct t_kobj *wait;	/* the client's waitCBO */
};

/*
 * A GP client; with @session, gptest preloaded from a buffer (as
 * gp_test_client does) and a session with it opened.
 */
static void t_gp_up(struct t_ctx *t, struct t_gp_env *e, u32 *session)
{
	struct t_gp g = { };
	ssize_t len;
	void *img;

	e->env = t_env(t, 0);
	KUNIT_ASSERT_EQ(t->test, t_open(t, e->env, T_UID_GP, &e->client), 0);
	e->wait = t_kobj_new(t, T_ECHO);
	e->loader = 0;
	e->ctrl = 0;
	if (!session)
		return;
	KUNIT_ASSERT_EQ(t->test, t_open(t, e->env, 3, &e->loader), 0);
	img = t_gp_image(t, "A=a;n=gptest;u=" T_GP_UUID_HEX, &len);
	KUNIT_ASSERT_EQ(t->test, t_load_buf(t, e->loader, img, len, &e->ctrl),
			0);
	KUNIT_ASSERT_EQ(t->test, t_gp_open(t, e->client, t_gp_uuid,
					   T_LOGIN_USER, e->wait->id, &g,
					   session), 0);
	KUNIT_ASSERT_EQ(t->test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_EQ(t->test, t_gp_origin(&g), T_ORIGIN_TA);
	KUNIT_ASSERT_NE(t->test, *session, 0);
}

static void t_gp_down(struct t_ctx *t, struct t_gp_env *e)
{
	if (e->ctrl)
		KUNIT_EXPECT_EQ(t->test, t_release(t, e->ctrl), 0);
	if (e->loader)
		KUNIT_EXPECT_EQ(t->test, t_release(t, e->loader), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, e->client), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, e->env), 0);
}

static unsigned int t_apps(struct t_ctx *t)
{
	struct qcomtee_sim_stats st;

	qcomtee_sim_get_stats(t->sim, &st);
	return st.apps;
}

/* A TA's UUID is the first "u" of its metadata, in either case. */
static void t_gp_meta_uuid(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_gp_env e;
	struct t_gp g = { };
	u32 loader, ctrl, s;
	ssize_t len;
	void *img;

	t_gp_up(t, &e, NULL);
	KUNIT_ASSERT_EQ(test, t_open(t, e.env, 3, &loader), 0);
	img = t_gp_image(t, "A=a;n=gptest;u=4205d1cae4342d456156e979aa6e61bc;"
			 "u=00000000000000000000000000000000", &len);
	KUNIT_ASSERT_EQ(test, t_load_buf(t, loader, img, len, &ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_NE(test, s, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, ctrl), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	t_gp_down(t, &e);
}

/* A preloaded TA: openSession by UUID, commands 1, 11-16, close. */
static void t_gp_session(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u8 val[8] = { 42 }, *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 *out = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct t_gp_env e;
	struct t_gp g = { };
	u32 s, s2;
	struct t_inv unload = { .op = 1 };
	unsigned int i;

	/* No TA-buffer provider: the session is with the loaded app. */
	t_gp_up(t, &e, &s);
	KUNIT_EXPECT_EQ(test, e.wait->qtee_refs, 1);	/* the session's */
	KUNIT_EXPECT_EQ(test, t_apps(t), 1);

	/* cmd 1: VALUE_INPUT a = 42, PARTIAL_INOUT 4096 bytes of 1. */
	memset(buf, 1, 4096);
	g = (struct t_gp){ .types = 0x71, .i = { val, buf },
			   .ilen = { 8, 4096 }, .o = { NULL, out },
			   .olen = { 0, 4096 } };
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 1, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_EQ(test, t_gp_origin(&g), T_ORIGIN_TA);
	KUNIT_EXPECT_EQ(test, t_gp_outsz(&g, 1), 4096);
	KUNIT_EXPECT_EQ(test, g.osize[1], 4096);
	for (i = 0; i < 4096; i++)
		if (out[i] != 42)
			break;
	KUNIT_EXPECT_EQ(test, i, 4096);
	/* The wrong types: the TA's BAD_PARAMETERS. */
	g.types = 0x51;
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 1, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_BAD_PARAMS);
	KUNIT_EXPECT_EQ(test, t_gp_origin(&g), T_ORIGIN_TA);
	/* 11, 12, 15 pass; 16 (TA-TA negative) must not; others unknown. */
	g = (struct t_gp){ };
	for (i = 11; i <= 16; i++) {
		if (i == 13 || i == 14)
			continue;
		KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, i, &g), 0);
		KUNIT_EXPECT_EQ(test, t_gp_value(&g),
				i == 16 ? T_TEEC_NOT_FOUND : T_GP_OK);
	}
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 99, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_NOT_SUPPORTED);
	/* Value outputs come back as 8 bytes. */
	g = (struct t_gp){ .types = 0x2, .o = { out }, .olen = { 8 } };
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 11, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_BAD_PARAMS);
	KUNIT_EXPECT_EQ(test, g.osize[0], 8);

	/* A second session on the same TA; it is not loaded twice. */
	g = (struct t_gp){ };
	KUNIT_ASSERT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s2), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_EQ(test, t_apps(t), 1);
	KUNIT_EXPECT_EQ(test, e.wait->qtee_refs, 2);
	/* Release = close; the waitCBO goes with the session. */
	KUNIT_EXPECT_EQ(test, t_release(t, s2), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, T_ROOT), 0);	/* collect releases */
	KUNIT_EXPECT_EQ(test, e.wait->qtee_refs, 0);
	/* The client's controller still holds the TA. */
	KUNIT_EXPECT_EQ(test, t_apps(t), 1);
	g = (struct t_gp){ };
	KUNIT_ASSERT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	/* Unloaded under an open session: its commands answer DEFUNCT. */
	unload.cxt = e.ctrl;
	KUNIT_EXPECT_EQ(test, t_call(t, &unload), 0);
	KUNIT_EXPECT_EQ(test, t_gp_invoke(t, s, 11, &g), T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	t_gp_down(t, &e);
}

/* Every slot checked against the types before any TA runs. */
static void t_gp_bad_requests(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u8 hdr[20] = { }, res[24], val[8] = { }, mop[24] = { };
	u8 *big = kunit_kzalloc(test, 4097, GFP_KERNEL);
	struct t_kobj *m = t_mem(t, 8192, 6);
	struct t_gp_env e;
	u32 s = 0;
	struct t_inv v;
	unsigned int i;
	static const struct {
		u32 types, ex, ilen0, olen0;
		bool mem;
	} bad[] = {
		{ 0x4, 0, 0, 0, false },	/* type 4 */
		{ 0x8, 0, 0, 0, false },	/* type 8 */
		{ 0x10000, 0, 0, 0, false },	/* a fifth param */
		{ 0, 0x10000, 0, 0, false },
		{ 0, 0, 8, 0, false },		/* NONE with bytes */
		{ 0x1, 0, 4, 0, false },	/* VALUE_INPUT of 4 bytes */
		{ 0x2, 0, 8, 8, false },	/* VALUE_OUTPUT with input */
		{ 0x3, 0, 8, 4, false },	/* VALUE_INOUT, no room */
		{ 0x1, 1, 8, 0, false },	/* exParam on a value */
		{ 0x1, 0, 8, 0, true },		/* memory object on a value */
		{ 0x5, 4, 8, 0, false },	/* exParam 4 */
		{ 0x5, 1, 8, 0, false },	/* MEMREF_NULL with bytes */
		{ 0x5, 2, 8, 0, false },	/* DUP without memory object */
		{ 0x7, 0, 8, 4, false },	/* INOUT, room < size */
		{ 0x5, 0, 4097, 0, false },	/* inline > 4096 */
		{ 0x5, 0, 23, 0, true },	/* MemoryObjectParameters 23 B */
		{ 0x5, 1, 24, 0, true },	/* MEMREF_NULL with an object */
	};
	struct t_gp g;

	t_gp_up(t, &e, NULL);
	/* Shapes of openSession. */
	v = (struct t_inv){ .cxt = e.client, .op = 0, .nib = 5, .nob = 5,
			    .nio = 5, .noo = 1,
			    .ib = { hdr, hdr, hdr, hdr, hdr },
			    .io = { e.wait->id } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = e.client, .op = 0, .nib = 6, .nob = 5,
			    .nio = 5, .noo = 1, .ib = { hdr, t_gp_uuid },
			    .ib_len = { 19, 16 }, .ob = { res },
			    .ob_len = { 24 }, .io = { e.wait->id } };
	for (i = 2; i < 6; i++)
		v.ib[i] = hdr;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v.ib_len[0] = 20;
	v.ib_len[1] = 15;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v.ib_len[1] = 16;
	v.ob_len[0] = 23;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_OUT);
	v.ob_len[0] = 24;
	v.io[0] = 0;				/* no waitCBO */
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v.op = 1;				/* openSessionV2: unused */
	v.io[0] = e.wait->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	/* Parameters that disagree with their types. */
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		g = (struct t_gp){ .types = bad[i].types, .ex = bad[i].ex,
				   .i = { bad[i].ilen0 > 24 ? big : mop },
				   .ilen = { bad[i].ilen0 },
				   .o = { res }, .olen = { bad[i].olen0 },
				   .mem = { bad[i].mem ? m->id : 0 } };
		KUNIT_EXPECT_EQ_MSG(test, t_gp_open(t, e.client, t_gp_uuid,
						    T_LOGIN_USER, e.wait->id,
						    &g, &s), T_INVALID,
				    "case %u", i);
	}
	/* sharedObjIndex is always 0. */
	t_put64(mop, 0, 16);
	t_put64(mop, 16, 1);
	g = (struct t_gp){ .types = 0x5, .i = { mop }, .ilen = { 24 },
			   .mem = { m->id } };
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), T_INVALID);
	/* A login method GP does not define: BAD_PARAMETERS from the TEE. */
	g = (struct t_gp){ };
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, 3, e.wait->id,
					&g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_BAD_PARAMS);
	KUNIT_EXPECT_EQ(test, t_gp_origin(&g), T_ORIGIN_TEE);
	KUNIT_EXPECT_EQ(test, s, 0);
	/* No such TA and nobody to ask: ITEM_NOT_FOUND, no session. */
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, t_gp_origin(&g), T_ORIGIN_TEE);
	KUNIT_EXPECT_EQ(test, s, 0);

	t_gp_down(t, &e);

	/* Shapes of invokeCommand. */
	t_gp_up(t, &e, &s);
	v = (struct t_inv){ .cxt = s, .op = 1, .nib = 5, .nob = 5, .nio = 3,
			    .ib = { hdr, hdr, hdr, hdr, hdr } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = s, .op = 0 };	/* close: unused */
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = s, .op = 1, .nib = 5, .nob = 5, .nio = 4,
			    .ib = { hdr, hdr, hdr, hdr, hdr },
			    .ib_len = { 16 }, .ob = { res }, .ob_len = { 24 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v.ib_len[0] = 20;
	v.ob_len[0] = 16;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_OUT);
	g = (struct t_gp){ .types = 0x1, .i = { val }, .ilen = { 7 } };
	KUNIT_EXPECT_EQ(test, t_gp_invoke(t, s, 1, &g), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	t_gp_down(t, &e);
}

/* Memrefs above 4096 bytes in memory objects (gp_test_client's 20, 21). */
static void t_gp_memory_objects(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u8 val[8] = { 72 }, mop[2][24] = { }, *p;
	u8 *buf = kunit_kzalloc(test, 4096, GFP_KERNEL);
	u8 *out = kunit_kzalloc(test, 4096, GFP_KERNEL);
	struct t_kobj *m = t_mem(t, 0x2000, 6), *shm = t_mem(t, 0x2800, 6);
	struct t_gp_env e;
	struct t_gp g;
	unsigned int i;
	u32 s;

	t_gp_up(t, &e, &s);

	/* temp_memory_ref: p0 TEMP_INPUT 0x2000 of 3, p1 TEMP_INOUT, p2 a. */
	memset(page_address(m->pages), 3, 0x2000);
	memset(buf, 1, 4096);
	t_put64(mop[0], 0, 0x2000);
	g = (struct t_gp){ .types = 0x175, .i = { mop[0], buf, val },
			   .ilen = { 24, 4096, 8 }, .o = { NULL, out },
			   .olen = { 0, 4096 }, .mem = { m->id } };
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 20, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	for (i = 0; i < 4096 && out[i] == 72; i++)
		;
	KUNIT_EXPECT_EQ(test, i, 4096);
	KUNIT_EXPECT_EQ(test, m->qtee_refs, 0);

	/* allocate_partial: one 0x2800 shm, p0 IN [0, 0x64), p1 OUT 0x2000. */
	p = page_address(shm->pages);
	memset(p, 1, 0x64);
	memset(p + 0x64, 2, 0x2000);
	memset(p + 0x2064, 3, 0x2800 - 0x2064);
	t_put64(mop[0], 0, 0x64);
	t_put64(mop[1], 0, 0x2000);
	t_put64(mop[1], 8, 0x64);
	g = (struct t_gp){ .types = 0x65, .ex = 0x23, .i = { mop[0], mop[1] },
			   .ilen = { 24, 24 }, .mem = { shm->id, shm->id } };
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 21, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_EQ(test, t_gp_outsz(&g, 1), 0x2000);
	KUNIT_EXPECT_EQ(test, g.osize[1], 0);
	for (i = 0; i < 0x2800; i++)
		if (p[i] != (i < 0x64 ? 1 : i < 0x2064 ? 4 : 3))
			break;
	KUNIT_EXPECT_EQ(test, i, 0x2800);
	/* A region beyond the object: the TA's BAD_PARAMETERS. */
	t_put64(mop[1], 8, 0x900);
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s, 21, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_BAD_PARAMS);
	KUNIT_EXPECT_EQ(test, shm->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	t_gp_down(t, &e);
}

/* Register @cbo as the TA-buffer provider (NULL unregisters). */
static void t_gp_provider(struct t_ctx *t, u32 env, u32 cbo)
{
	struct t_inv v = { .op = 0, .nio = 1, .io = { cbo } };
	u32 tabuf;

	KUNIT_ASSERT_EQ(t->test, t_open(t, env, 268, &tabuf), 0);
	v.cxt = tabuf;
	KUNIT_EXPECT_EQ(t->test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(t->test, t_release(t, tabuf), 0);
}

/* openSession of a TA not loaded: get(uuid), load, session. */
static void t_gp_autoload(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *tabuf = t_kobj_new(t, T_ECHO);
	struct t_kobj *img = t_gp_image_mem(t, "A=a;n=gptest;u=" T_GP_UUID_HEX);
	u8 val[8] = { 7 }, out[16];
	struct t_gp_env e;
	struct t_gp g = { };
	u32 s, s2;
	unsigned int ncb;

	t_gp_up(t, &e, NULL);
	t_gp_provider(t, e.env, tabuf->id);
	t->cb_oo[0] = img->id;
	KUNIT_ASSERT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_NE(test, s, 0);
	/* get [IB 16 bytes: the UUID as the client sent it, OO]. */
	KUNIT_EXPECT_EQ(test, t->last_kcb.cxt, tabuf->id);
	KUNIT_EXPECT_EQ(test, t->last_kcb.op, 0);
	KUNIT_EXPECT_EQ(test, t->last_kcb.counts, 0x1001);
	KUNIT_EXPECT_EQ(test, t->last_kcb.iblen, 16);
	KUNIT_EXPECT_MEMEQ(test, t->last_kcb.ib, t_gp_uuid, 16);
	KUNIT_EXPECT_EQ(test, t_apps(t), 1);
	KUNIT_EXPECT_EQ(test, img->qtee_refs, 0);	/* read, then dropped */
	/* Loaded now: the second session asks nobody. */
	ncb = t->ncb;
	KUNIT_ASSERT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s2), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_EQ(test, t->ncb, ncb);
	KUNIT_EXPECT_EQ(test, t_apps(t), 1);
	g = (struct t_gp){ .types = 0x71, .i = { val, out },
			   .ilen = { 8, 16 }, .o = { NULL, out },
			   .olen = { 0, 16 } };
	KUNIT_ASSERT_EQ(test, t_gp_invoke(t, s2, 1, &g), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_EQ(test, out[15], 7);
	/* The last session closed unloads what QTEE autoloaded. */
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	KUNIT_EXPECT_EQ(test, t_apps(t), 1);
	KUNIT_EXPECT_EQ(test, t_release(t, s2), 0);
	KUNIT_EXPECT_EQ(test, t_apps(t), 0);
	/* And a new session loads it again. */
	g = (struct t_gp){ };
	ncb = t->ncb;
	KUNIT_ASSERT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_GP_OK);
	KUNIT_EXPECT_GT(test, t->ncb, ncb);
	KUNIT_EXPECT_EQ(test, t_release(t, s), 0);
	KUNIT_EXPECT_EQ(test, t_apps(t), 0);
	t->cb_oo[0] = 0;
	t_gp_provider(t, e.env, 0);
	t_gp_down(t, &e);
}

/* Autoload failures: the GP result, no session, nothing kept. */
static void t_gp_autoload_errors(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	static const struct { const char *meta; u32 value; } imgs[] = {
		{ "n=gptest;u=00000000000000000000000000000000",
		  T_TEEC_SECURITY },			/* another UUID */
		{ "n=gptest", T_TEEC_SECURITY },		/* no UUID */
		{ "n=nosuchta;u=" T_GP_UUID_HEX, T_TEEC_SECURITY },
		{ "n=gptest;u=4205", T_TEEC_SECURITY },	/* bad metadata */
		{ "n=" QCOMTEE_SIM_SKELETON_NAME ";u=" T_GP_UUID_HEX,
		  T_TEEC_NOT_SUPPORTED },		/* not a GP TA */
	};
	struct t_kobj *tabuf = t_kobj_new(t, T_ECHO), *m;
	struct t_kobj *junk = t_mem(t, 4096, 6);
	struct t_gp_env e;
	struct t_gp g = { };
	unsigned int i;
	u32 s;

	t_gp_up(t, &e, NULL);
	t_gp_provider(t, e.env, tabuf->id);
	/* The provider's "not found" (1), and no memory object. */
	t->cb_result = 1;
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, t_gp_origin(&g), T_ORIGIN_TEE);
	KUNIT_EXPECT_EQ(test, s, 0);
	t->cb_result = 0;
	t->cb_oo[0] = 0;
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, s, 0);
	/* Not an image at all. */
	t->cb_oo[0] = junk->id;
	KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid, T_LOGIN_USER,
					e.wait->id, &g, &s), 0);
	KUNIT_EXPECT_EQ(test, t_gp_value(&g), T_TEEC_SECURITY);
	KUNIT_EXPECT_EQ(test, s, 0);
	for (i = 0; i < ARRAY_SIZE(imgs); i++) {
		m = t_gp_image_mem(t, imgs[i].meta);
		t->cb_oo[0] = m->id;
		KUNIT_EXPECT_EQ(test, t_gp_open(t, e.client, t_gp_uuid,
						T_LOGIN_USER, e.wait->id, &g,
						&s), 0);
		KUNIT_EXPECT_EQ_MSG(test, t_gp_value(&g), imgs[i].value, "%s",
				    imgs[i].meta);
		KUNIT_EXPECT_EQ(test, t_gp_origin(&g), T_ORIGIN_TEE);
		KUNIT_EXPECT_EQ(test, s, 0);
		KUNIT_EXPECT_EQ(test, t_apps(t), 0);
		KUNIT_EXPECT_EQ(test, m->qtee_refs, 0);
	}
	KUNIT_EXPECT_EQ(test, junk->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, e.wait->qtee_refs, 0);
	t->cb_oo[0] = 0;
	t_gp_provider(t, e.env, 0);
	t_gp_down(t, &e);
}

static void t_ta_echo(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	static const u8 data[] = "hello, secure world";
	u8 out[64];
	struct t_app a;
	struct t_inv v = { .op = QTA_OP_ECHO, .nib = 1, .nob = 1,
			   .ib = { data }, .ib_len = { sizeof(data) },
			   .ob_len = { 64 }, .ob = { out } };
	unsigned int i;

	t_app_up(t, &a);
	v.cxt = a.app;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, v.ob_size[0], sizeof(data));
	KUNIT_EXPECT_MEMEQ(test, out, data, sizeof(data));
	v.op = QTA_OP_INVERT;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	for (i = 0; i < sizeof(data); i++)
		KUNIT_EXPECT_EQ(test, out[i], (u8)~data[i]);
	v.ob_len[0] = 4;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_OUT);
	v.op = 200;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	t_app_down(t, &a);
}

static void t_ta_errors_passthrough(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	static const s32 codes[] = { 1, 10, 12345, -90, -103 };
	struct t_app a;
	u8 b[4];
	struct t_inv v = { .op = QTA_OP_RETURN_ERROR, .nib = 1, .ib = { b },
			   .ib_len = { 4 } };
	unsigned int i;

	t_app_up(t, &a);
	v.cxt = a.app;
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		t_put32(b, 0, codes[i]);
		t_call(t, &v);
		KUNIT_EXPECT_EQ(test, (s32)(s64)v.result, codes[i]);
	}
	t_put32(b, 0, 0);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	t_app_down(t, &a);
}

static void t_ta_callback_all_kinds(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct t_kobj *other = t_kobj_new(t, T_ECHO);
	struct t_kobj *ret_obj = t_kobj_new(t, T_ECHO);
	static const u8 data[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	u8 p[16], res[16], ob1[16];
	struct t_app a;
	struct t_inv v = { .op = QTA_OP_CALLBACK, .nib = 2, .nob = 2,
			   .nio = 2, .noo = 1, .ib = { p, data },
			   .ib_len = { 16, sizeof(data) },
			   .ob_len = { 16, 16 }, .ob = { res, ob1 } };
	unsigned int i, nheld;
	u32 secure;

	t_app_up(t, &a);
	v.cxt = a.app;
	v.io[0] = echo->id;
	v.io[1] = other->id;
	t_put32(p, 0, T_ECHO_OP_INVERT);
	t_put32(p, 4, 16);
	t_put32(p, 8, 1);
	t_put32(p, 12, QTA_CB_NEW_OBJ | QTA_CB_EXPECT_OB);
	t->cb_oo[0] = ret_obj->id;
	nheld = t->nheld;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);

	/* What the kernel object saw: IB, OB, IO (kernel + new secure), OO. */
	KUNIT_EXPECT_EQ(test, t->last_cb.cxt, echo->id);
	KUNIT_EXPECT_EQ(test, t->last_cb.op, T_ECHO_OP_INVERT);
	KUNIT_EXPECT_EQ(test, t->last_cb.counts, 0x1211);
	KUNIT_EXPECT_EQ(test, t->last_cb.iblen, sizeof(data));
	KUNIT_EXPECT_MEMEQ(test, t->last_cb.ib, data, sizeof(data));
	KUNIT_EXPECT_EQ(test, t->last_cb.oblen, 16);
	KUNIT_EXPECT_EQ(test, t->last_cb.io[0], other->id);
	secure = t->last_cb.io[1];
	KUNIT_EXPECT_FALSE(test, t_is_ns(secure));
	KUNIT_EXPECT_NE(test, secure, 0);
	/* The kernel got one reference to the new secure object. */
	KUNIT_EXPECT_EQ(test, t->nheld, nheld + 1);

	/* What came back. */
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), 0);
	KUNIT_EXPECT_EQ(test, t_get32(res, 4), sizeof(data));
	KUNIT_EXPECT_EQ(test, t_get32(res, 8), 1);
	KUNIT_EXPECT_EQ(test, t_get32(res, 12) & 0xff, 1);
	KUNIT_EXPECT_EQ(test, v.ob_size[1], sizeof(data));
	for (i = 0; i < sizeof(data); i++)
		KUNIT_EXPECT_EQ(test, ob1[i], (u8)~data[i]);
	/* The kernel id came back in OO; QTEE released its reference. */
	KUNIT_EXPECT_EQ(test, v.oo[0], ret_obj->id);
	KUNIT_EXPECT_EQ(test, ret_obj->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, echo->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, other->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_release(t, secure), 0);
	t_app_down(t, &a);
}

static void t_ta_callback_returns_secure(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	u8 p[16], res[16], kind[8], b[4];
	struct t_app a;
	struct t_inv v = { .op = QTA_OP_CALLBACK, .nib = 1, .nob = 1,
			   .nio = 1, .noo = 1, .ib = { p }, .ib_len = { 16 },
			   .ob_len = { 16 }, .ob = { res } };
	struct t_inv n = { .op = QTA_OP_NEW_OBJECT, .nib = 1, .noo = 1,
			   .ib = { b }, .ib_len = { 4 } };
	u32 counter;

	t_app_up(t, &a);
	n.cxt = a.app;
	t_put32(b, 0, 41);
	KUNIT_ASSERT_EQ(test, t_call(t, &n), 0);
	counter = n.oo[0];
	/* The callback answers with a QTEE id the kernel holds. */
	t->cb_oo[0] = counter;
	v.cxt = a.app;
	v.io[0] = echo->id;
	t_put32(p, 0, 1);
	t_put32(p, 4, 0);
	t_put32(p, 8, 1);
	t_put32(p, 12, 0);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(res, 12) & 0xff, 0);
	KUNIT_EXPECT_EQ(test, v.oo[0], counter);
	/* Counter ops and ACCEPT_OBJECT. */
	n = (struct t_inv){ .cxt = counter, .op = QTA_COUNTER_OP_ADD,
			    .nib = 1, .ib = { b }, .ib_len = { 4 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &n), 0);
	v = (struct t_inv){ .cxt = a.app, .op = QTA_OP_ACCEPT_OBJECT,
			    .nob = 1, .nio = 1, .io = { counter },
			    .ob_len = { 8 }, .ob = { kind } };
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(kind, 0), QTA_KIND_COUNTER);
	KUNIT_EXPECT_EQ(test, t_get32(kind, 4), 82);
	v.io[0] = echo->id;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(kind, 0), QTA_KIND_KERNEL);
	KUNIT_EXPECT_EQ(test, echo->qtee_refs, 0);
	v.io[0] = 0;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(kind, 0), QTA_KIND_NULL);
	v.io[0] = a.env;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(kind, 0), QTA_KIND_SECURE);
	t_app_down(t, &a);
}

static void t_ta_callback_errors(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct t_kobj *ret_obj = t_kobj_new(t, T_ECHO);
	static const u8 data[4] = { 1, 2, 3, 4 };
	u8 p[16], res[16];
	struct t_app a;
	struct t_inv v = { .op = QTA_OP_CALLBACK, .nib = 2, .nob = 1,
			   .nio = 1, .noo = 1, .ib = { p, data },
			   .ib_len = { 16, 4 }, .ob_len = { 16 },
			   .ob = { res } };

	t_app_up(t, &a);
	v.cxt = a.app;
	v.io[0] = echo->id;
	t_put32(p, 0, T_ECHO_OP_INVERT);
	t_put32(p, 4, 8);
	t_put32(p, 8, 1);
	t_put32(p, 12, 0);

	/* The kernel's error comes back as the callback result. */
	t->cb_result = 10;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), 10);
	t->cb_result = -97;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), -97);
	t->cb_result = 0;

	/* An answer that grows an OB is refused; its OO ref is released. */
	t->cb_grow_ob = true;
	t->cb_oo[0] = ret_obj->id;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), T_SIZE_OUT);
	KUNIT_EXPECT_EQ(test, ret_obj->qtee_refs, 0);
	t->cb_grow_ob = false;

	/* An answer that moves an OB is refused too. */
	t->cb_move_ob = true;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), T_INVALID);
	KUNIT_EXPECT_EQ(test, ret_obj->qtee_refs, 0);
	t->cb_move_ob = false;

	/* An answer naming a QTEE id the kernel never got. */
	t->cb_oo[0] = 4000;
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), T_BADOBJ);

	/* Calling a QTEE object back is refused by the app. */
	v.io[0] = a.env;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	t_app_down(t, &a);
}

static void t_ta_hold_release_async(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *obj = t_kobj_new(t, T_ECHO);
	u8 slot[4], rel[8];
	struct t_app a;
	struct t_inv h = { .op = QTA_OP_HOLD, .nob = 1, .nio = 1,
			   .ob_len = { 4 }, .ob = { slot } };
	struct t_inv r = { .op = QTA_OP_RELEASE_HELD, .nib = 1, .ib = { rel },
			   .ib_len = { 8 } };
	unsigned int msgs;

	t_app_up(t, &a);
	h.cxt = a.app;
	h.io[0] = obj->id;
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 1);
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	KUNIT_EXPECT_EQ(test, t_get32(slot, 0), 1);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 2);

	/* Release slot 0 asynchronously: the message covers the whole
	 * outbound buffer of the completed call, so it starts at 0.
	 */
	r.cxt = a.app;
	t_put32(rel, 0, 0);
	t_put32(rel, 4, QTA_RELEASE_ASYNC);
	msgs = t->async_msgs;
	KUNIT_ASSERT_EQ(test, t_call(t, &r), 0);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 1);
	KUNIT_EXPECT_EQ(test, t->async_msgs, msgs + 1);
	KUNIT_EXPECT_EQ(test, t->last_async_off, 0);
	/* Releasing an empty slot fails. */
	KUNIT_EXPECT_EQ(test, t_call(t, &r), T_INVALID);

	/* Unloading the app releases what it holds. */
	KUNIT_EXPECT_EQ(test, t_release(t, a.ctrl), 0);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t_call(t, &h), T_DEFUNCT);
	KUNIT_EXPECT_EQ(test, t_release(t, a.app), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, a.loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, a.env), 0);
}

static void t_ta_release_by_callback(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *obj = t_kobj_new(t, T_ECHO);
	struct qcomtee_sim_stats st;
	u8 slot[4], rel[8];
	struct t_app a;
	struct t_inv h = { .op = QTA_OP_HOLD, .nob = 1, .nio = 1,
			   .ob_len = { 4 }, .ob = { slot } };
	struct t_inv r = { .op = QTA_OP_RELEASE_HELD, .nib = 1, .ib = { rel },
			   .ib_len = { 8 } };

	t_app_up(t, &a);
	h.cxt = a.app;
	h.io[0] = obj->id;
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	r.cxt = a.app;
	t_put32(rel, 0, QTA_SLOT_ALL);
	t_put32(rel, 4, QTA_RELEASE_CALLBACK);
	KUNIT_ASSERT_EQ(test, t_call(t, &r), 0);
	KUNIT_EXPECT_EQ(test, t->release_cbs, 2);
	KUNIT_EXPECT_EQ(test, t->last_cb.op, T_OP_RELEASE);
	KUNIT_EXPECT_EQ(test, t->last_cb.cxt, obj->id);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.release_callbacks, 2);
	KUNIT_EXPECT_EQ(test, st.ns_refs, 0);
	t_app_down(t, &a);
}

static void t_async_after_callback(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *obj = t_kobj_new(t, T_ECHO);
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	static const u8 data[5] = { 9, 8, 7, 6, 5 };
	u8 slot[4], p[16], res[16];
	struct t_app a;
	struct t_inv h = { .op = QTA_OP_HOLD, .nob = 1, .nio = 1,
			   .ob_len = { 4 }, .ob = { slot } };
	struct t_inv c = { .op = QTA_OP_CALLBACK, .nib = 2, .nob = 1,
			   .nio = 1, .ib = { p, data }, .ib_len = { 16, 5 },
			   .ob_len = { 16 }, .ob = { res } };

	t_app_up(t, &a);
	h.cxt = a.app;
	h.io[0] = obj->id;
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 2);

	/* The app releases what it holds, then calls back: the release
	 * must ride on the callback request, right after its payloads:
	 * ALIGN8(16 + 2 * 8) + ALIGN8(5) + ALIGN8(24) = 32 + 8 + 24.
	 */
	c.cxt = a.app;
	c.io[0] = echo->id;
	t_put32(p, 0, T_ECHO_OP_INVERT);
	t_put32(p, 4, 24);
	t_put32(p, 8, 0);
	t_put32(p, 12, QTA_CB_RELEASE_HELD);
	t->cb_async_off = -1;
	KUNIT_ASSERT_EQ(test, t_call(t, &c), 0);
	KUNIT_EXPECT_EQ(test, t->last_cb_end, 64);
	KUNIT_EXPECT_EQ(test, t->cb_async_off, 64);
	KUNIT_EXPECT_EQ(test, obj->qtee_refs, 0);
	/* The callback object's own release came with the completion. */
	KUNIT_EXPECT_EQ(test, t->last_async_off, 0);
	KUNIT_EXPECT_EQ(test, echo->qtee_refs, 0);
	t_app_down(t, &a);
}

static void t_async_many_ids(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct t_kobj *k[4];
	u8 p[16], res[16];
	struct t_app a;
	struct t_inv c = { .op = QTA_OP_CALLBACK, .nib = 1, .nob = 1,
			   .nio = 1, .ib = { p }, .ib_len = { 16 },
			   .ob_len = { 16 }, .ob = { res } };
	unsigned int i, ids = t->async_ids, msgs = t->async_msgs;

	t_app_up(t, &a);
	for (i = 0; i < 4; i++) {
		k[i] = t_kobj_new(t, T_ECHO);
		t->cb_oo[i] = k[i]->id;
	}
	/* Four objects come back from the callback and are not kept: one
	 * message releases them together with the callee's IO reference.
	 */
	c.cxt = a.app;
	c.io[0] = echo->id;
	t_put32(p, 0, 1);
	t_put32(p, 4, 0);
	t_put32(p, 8, 4);
	t_put32(p, 12, 0);
	/* This time the kernel leaves the message there: QTEE must notice. */
	t->async_keep = true;
	KUNIT_ASSERT_EQ(test, t_call(t, &c), 0);
	KUNIT_EXPECT_EQ(test, t_get32(res, 8), 4);
	KUNIT_EXPECT_EQ(test, t_get32(res, 12) & 0xff, 0xf);
	KUNIT_EXPECT_EQ(test, t->async_msgs, msgs + 1);
	KUNIT_EXPECT_EQ(test, t->async_ids, ids + 5);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, k[i]->qtee_refs, 0);
	t_app_down(t, &a);
	/* Counted, and the stale message was not sent a second time. */
	KUNIT_EXPECT_EQ(test, t->async_kept, 1);
	KUNIT_EXPECT_EQ(test, t->async_ids, ids + 5);
}

static void t_ta_callback_many(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct qcomtee_sim_stats st;
	u8 q[8], res[8];
	struct t_app a;
	struct t_inv m = { .op = QTA_OP_CALLBACK_MANY, .nib = 1, .nob = 1,
			   .nio = 1, .ib = { q }, .ib_len = { 8 },
			   .ob_len = { 8 }, .ob = { res } };
	unsigned int ncb = t->ncb;

	t_app_up(t, &a);
	m.cxt = a.app;
	m.io[0] = echo->id;
	t_put32(q, 0, T_ECHO_OP_DOUBLE);
	t_put32(q, 4, 60);
	KUNIT_ASSERT_EQ(test, t_call(t, &m), 0);
	KUNIT_EXPECT_EQ(test, t->ncb, ncb + 60);
	KUNIT_EXPECT_EQ(test, t_get32(res, 0), 60 * 59);
	KUNIT_EXPECT_EQ(test, t_get32(res, 4), 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_GE(test, st.callbacks, 60);
	/* An error stops the series. */
	t->cb_result = 11;
	KUNIT_ASSERT_EQ(test, t_call(t, &m), 0);
	KUNIT_EXPECT_EQ(test, t_get32(res, 4), 11);
	t->cb_result = 0;
	t_app_down(t, &a);
}

static void t_ta_memory(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *mem = t_mem(t, 2 * PAGE_SIZE, 6);
	struct t_kobj *ro = t_mem(t, PAGE_SIZE, 2);
	static const u8 data[] = "written by the secure side";
	u8 p[16], out[32];
	struct t_app a;
	struct t_inv w = { .op = QTA_OP_MEM_WRITE, .nib = 2, .nio = 1,
			   .ib = { p, data }, .ib_len = { 16, sizeof(data) } };
	struct t_inv r = { .op = QTA_OP_MEM_READ, .nib = 1, .nob = 1,
			   .nio = 1, .ib = { p }, .ib_len = { 16 },
			   .ob_len = { 32 }, .ob = { out } };
	u8 *va = page_address(mem->pages);

	t_app_up(t, &a);
	w.cxt = a.app;
	w.io[0] = mem->id;
	memset(p, 0, sizeof(p));
	t_put64(p, 0, PAGE_SIZE + 100);
	KUNIT_ASSERT_EQ(test, t_call(t, &w), 0);
	KUNIT_EXPECT_MEMEQ(test, va + PAGE_SIZE + 100, data, sizeof(data));

	memcpy(va + 10, "0123456789", 10);
	r.cxt = a.app;
	r.io[0] = mem->id;
	t_put64(p, 0, 10);
	t_put32(p, 8, 10);
	KUNIT_ASSERT_EQ(test, t_call(t, &r), 0);
	KUNIT_EXPECT_EQ(test, r.ob_size[0], 10);
	KUNIT_EXPECT_MEMEQ(test, out, "0123456789", 10);

	/* Out of the mapped range; no write permission; too big for OB. */
	t_put64(p, 0, 2 * PAGE_SIZE - 4);
	KUNIT_EXPECT_EQ(test, t_call(t, &r), QTA_ERR_RANGE);
	t_put64(p, 0, 0);
	w.io[0] = ro->id;
	KUNIT_EXPECT_EQ(test, t_call(t, &w), QTA_ERR_PERM);
	t_put32(p, 8, 33);
	KUNIT_EXPECT_EQ(test, t_call(t, &r), T_SIZE_OUT);
	/* Every mapping was released. */
	KUNIT_EXPECT_EQ(test, mem->qtee_refs, 0);
	KUNIT_EXPECT_EQ(test, t->kobj[t->nkobj - 1].qtee_refs, 0);
	t_app_down(t, &a);
}

static void t_ta_memory_held(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *mem = t_mem(t, PAGE_SIZE, 6);
	u8 slot[4], p[16], out[8], rel[8];
	struct t_app a;
	struct t_inv h = { .op = QTA_OP_HOLD, .nob = 1, .nio = 1,
			   .ob_len = { 4 }, .ob = { slot } };
	struct t_inv r = { .op = QTA_OP_MEM_READ, .nib = 1, .nob = 1,
			   .ib = { p }, .ib_len = { 16 }, .ob_len = { 8 },
			   .ob = { out } };
	struct t_inv o = { .op = QTA_OP_RETURN_HELD, .nib = 1, .noo = 1,
			   .ib = { slot }, .ib_len = { 4 } };

	t_app_up(t, &a);
	memcpy(page_address(mem->pages), "ABCDEFGH", 8);
	/* The kernel hands the memory object over and drops its own use:
	 * QTEE keeps it and maps it later by itself.
	 */
	h.cxt = a.app;
	h.io[0] = mem->id;
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	r.cxt = a.app;
	memset(p, 0, sizeof(p));
	t_put32(p, 8, 8);
	t_put32(p, 12, t_get32(slot, 0));
	KUNIT_ASSERT_EQ(test, t_call(t, &r), 0);
	KUNIT_EXPECT_MEMEQ(test, out, "ABCDEFGH", 8);
	/* Returning a held kernel id transfers nothing. */
	o.cxt = a.app;
	KUNIT_ASSERT_EQ(test, t_call(t, &o), 0);
	KUNIT_EXPECT_EQ(test, o.oo[0], mem->id);
	KUNIT_EXPECT_EQ(test, mem->qtee_refs, 1);
	t_put32(rel, 0, t_get32(slot, 0));
	t_put32(rel, 4, QTA_RELEASE_ASYNC);
	o = (struct t_inv){ .cxt = a.app, .op = QTA_OP_RELEASE_HELD,
			    .nib = 1, .ib = { rel }, .ib_len = { 8 } };
	KUNIT_ASSERT_EQ(test, t_call(t, &o), 0);
	KUNIT_EXPECT_EQ(test, mem->qtee_refs, 0);
	t_app_down(t, &a);
}

/* Tests: malformed messages. */

static u64 t_raw(struct t_ctx *t)
{
	u64 res = 0;

	KUNIT_EXPECT_EQ(t->test, t_run(t, &t->ch, &res), 0);
	return res;
}

static void t_malformed_counts(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u8 *in = t->ch.in;

	memset(in, 0, PAGE_SIZE);
	t_put32(in, 0, T_ROOT);
	t_put32(in, 4, 4);
	t_put32(in, 8, 0x10000);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_INVALID);
	t_put32(in, 8, 0x80000000);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_INVALID);
	/* Releases with arguments. */
	t_put32(in, 4, T_OP_RELEASE);
	t_put32(in, 8, 0x0100);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_INVALID);
}

static void t_malformed_buffers(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), diag;
	u8 *in = t->ch.in;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &diag), 0);
	/* IB past the end. */
	memset(in, 0, PAGE_SIZE);
	t_put32(in, 0, env);
	t_put32(in, 8, 0x1001);
	t_put32(in, 12, t->ch.in_size - 8);
	t_put32(in, 16, 16);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_SIZE_IN);
	/* Size overflowing 32 bits. */
	t_put32(in, 12, 32);
	t_put32(in, 16, 0xfffffff0);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_SIZE_IN);
	/* Overlapping the header/args. */
	t_put32(in, 12, 8);
	t_put32(in, 16, 4);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_INVALID);
	/* Misaligned payload. */
	t_put32(in, 12, 36);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_INVALID);
	/* OB past the end. */
	memset(in, 0, PAGE_SIZE);
	t_put32(in, 0, diag);
	t_put32(in, 8, 0x0010);
	t_put32(in, 12, t->ch.in_size);
	t_put32(in, 16, 24);
	KUNIT_EXPECT_EQ(test, (s64)t_raw(t), T_SIZE_OUT);
	KUNIT_EXPECT_EQ(test, t_release(t, diag), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_malformed_ids(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), svc;
	struct t_inv v = { .op = 0 };

	/* Invoking NULL, a kernel id, an id never handed out. */
	v.cxt = 0;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	v.cxt = 0x80000005;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	v.cxt = 3000;
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	/* Passing an id never handed out as IO. */
	v = (struct t_inv){ .cxt = T_ROOT, .op = 5, .nio = 1, .noo = 1,
			    .io = { 3000 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	/* Released ids. */
	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &svc), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	v = (struct t_inv){ .cxt = svc, .op = 0, .nob = 1, .ob_len = { 24 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	v = (struct t_inv){ .cxt = svc, .op = T_OP_RELEASE };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	v = (struct t_inv){ .cxt = svc, .op = T_OP_RETAIN };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_BADOBJ);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_retain_release(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), svc;
	struct t_inv v;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 2033, &svc), 0);
	v = (struct t_inv){ .cxt = svc, .op = T_OP_RETAIN };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	/* Upper 16 bits of the op belong to the transport. */
	v = (struct t_inv){ .cxt = svc, .op = 0x12340000 | T_OP_RELEASE };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), T_BADOBJ);
	/* ROOT is permanent. */
	v = (struct t_inv){ .cxt = T_ROOT, .op = T_OP_RELEASE };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	v = (struct t_inv){ .cxt = T_ROOT, .op = T_OP_RETAIN };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_primordial_io_not_counted(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct qcomtee_sim_stats st;
	u8 slot[4];
	struct t_app a;
	struct t_inv h = { .op = QTA_OP_HOLD, .nob = 1, .nio = 1,
			   .ob_len = { 4 }, .ob = { slot },
			   .io = { T_PRIMORDIAL } };

	t_app_up(t, &a);
	h.cxt = a.app;
	KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.ns_refs, 0);
	t_app_down(t, &a);
}

static void t_wrong_service_args(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), feat, loader;
	u8 b[4] = { 10 };
	struct t_inv v;

	KUNIT_ASSERT_EQ(test, t_open(t, env, 2033, &feat), 0);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 3, &loader), 0);
	v = (struct t_inv){ .cxt = feat, .op = 0, .nib = 1, .ib = { b },
			    .ib_len = { 4 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = feat, .op = 0, .nib = 1, .nob = 1,
			    .ib = { b }, .ib_len = { 2 }, .ob_len = { 4 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_IN);
	v = (struct t_inv){ .cxt = feat, .op = 0, .nib = 1, .nob = 1,
			    .ib = { b }, .ib_len = { 4 }, .ob_len = { 2 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_SIZE_OUT);
	/* loadFromRegion with a buffer; loadFromBuffer with an object. */
	v = (struct t_inv){ .cxt = loader, .op = 1, .nib = 1, .noo = 1,
			    .ib = { b }, .ib_len = { 4 } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = loader, .op = 0, .nio = 1, .noo = 1,
			    .io = { env } };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	v = (struct t_inv){ .cxt = loader, .op = 9 };
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, feat), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, loader), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

static void t_noslots(struct kunit *test)
{
	struct qcomtee_sim_config cfg = { .max_objects = 3 };
	struct t_ctx *t = t_reconfigure(test, &cfg);
	u32 env = t_env(t, 0), a, b;
	struct t_inv v = { .cxt = T_ROOT, .op = 5, .nio = 1, .noo = 1 };

	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &a), 0);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &b), 0);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), T_NOSLOTS);
	KUNIT_EXPECT_EQ(test, t_release(t, b), 0);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &b), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, a), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, b), 0);
	/* The fault gives the same answer on a roomy table. */
	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_NOSLOTS, 1, 0);
	KUNIT_EXPECT_EQ(test, t_open(t, env, 143, &a), T_NOSLOTS);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &a), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, a), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* Tests: faults. */

static void t_fault_scm_errors(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_inv v = { .cxt = T_ROOT, .op = 4 };

	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_SCM_ERROR, 2, -EBUSY);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), -EBUSY);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), -EBUSY);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_SCM_ERROR, 1, -EINTR);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), -EINTR);
	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_SCM_ERROR, 1, -EAGAIN);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), -EAGAIN);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, qcomtee_sim_inject(t->sim,
						 QCOMTEE_SIM_FAULT_MAX, 1, 0),
			-EINVAL);
}

static void t_fault_delay(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_inv v = { .cxt = T_ROOT, .op = 4 };
	ktime_t start;

	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_DELAY, 0, 30);
	start = ktime_get();
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	/*
	 * The call was held back, not timed: allow for clock granularity
	 * (a 30 ms sleep was once measured as 29.9 ms under QEMU).
	 */
	KUNIT_EXPECT_GE(test, ktime_us_delta(ktime_get(), start), 20000);
	qcomtee_sim_clear_faults(t->sim);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
}

static void t_fault_callbacks(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	static const u8 data[4] = { 1, 2, 3, 4 };
	u8 p[16], res[16];
	struct t_app a;
	struct t_inv v = { .op = QTA_OP_CALLBACK, .nib = 2, .nob = 1,
			   .nio = 1, .ib = { p, data }, .ib_len = { 16, 4 },
			   .ob_len = { 16 }, .ob = { res } };
	unsigned int rejected = t->cb_rejected, nheld;

	t_app_up(t, &a);
	v.cxt = a.app;
	v.io[0] = echo->id;
	t_put32(p, 0, T_ECHO_OP_INVERT);
	t_put32(p, 4, 8);
	t_put32(p, 8, 0);
	t_put32(p, 12, QTA_CB_NEW_OBJ);
	nheld = t->nheld;

	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_CB_BAD_COUNTS, 1, 0);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t->cb_rejected, rejected + 1);
	KUNIT_EXPECT_NE(test, (s32)t_get32(res, 0), 0);
	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_CB_BAD_OFFSET, 1, 0);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t->cb_rejected, rejected + 2);
	KUNIT_EXPECT_NE(test, (s32)t_get32(res, 0), 0);
	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_CB_BAD_ID, 1, 0);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t->cb_rejected, rejected + 3);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), T_UNAVAIL);
	/* The malformed requests handed the kernel nothing it accepted. */
	KUNIT_EXPECT_EQ(test, t->nheld, nheld);
	/* Back to normal. */
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, (s32)t_get32(res, 0), 0);
	KUNIT_EXPECT_EQ(test, t->nheld, nheld + 1);
	t_app_down(t, &a);
}

static void t_fault_async(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *obj = t_kobj_new(t, T_ECHO);
	u8 slot[4], rel[8];
	struct t_app a;
	struct t_inv h = { .op = QTA_OP_HOLD, .nob = 1, .nio = 1,
			   .ob_len = { 4 }, .ob = { slot } };
	struct t_inv r = { .op = QTA_OP_RELEASE_HELD, .nib = 1, .ib = { rel },
			   .ib_len = { 8 } };
	enum qcomtee_sim_fault f;
	unsigned int stop;

	t_app_up(t, &a);
	h.cxt = a.app;
	h.io[0] = obj->id;
	r.cxt = a.app;
	for (f = QCOMTEE_SIM_FAULT_ASYNC_BAD_VERSION;
	     f <= QCOMTEE_SIM_FAULT_ASYNC_TRUNCATED; f++) {
		KUNIT_ASSERT_EQ(test, t_call(t, &h), 0);
		t_put32(rel, 0, t_get32(slot, 0));
		t_put32(rel, 4, QTA_RELEASE_ASYNC);
		stop = t->async_stop;
		qcomtee_sim_inject(t->sim, f, 1, 0);
		KUNIT_ASSERT_EQ(test, t_call(t, &r), 0);
		/* The genuine release came first and was processed; the
		 * bogus message stopped the parser without effect.
		 */
		KUNIT_EXPECT_EQ(test, obj->qtee_refs, 0);
		KUNIT_EXPECT_EQ(test, t->async_stop, stop + 1);
	}
	t_app_down(t, &a);
}

static void t_fault_ob_size(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u32 env = t_env(t, 0), diag;
	struct t_inv v = { .op = 0, .nob = 1, .ob_len = { 24 } };

	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &diag), 0);
	v.cxt = diag;
	qcomtee_sim_inject(t->sim, QCOMTEE_SIM_FAULT_OB_SIZE, 1, 100);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, v.ob_size[0], 124);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, v.ob_size[0], 24);
	KUNIT_EXPECT_EQ(test, t_release(t, diag), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
}

/* Tests: threads. */

static void t_unexpected_cb_rsp(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	phys_addr_t out = virt_to_phys(t->ch.out);
	u64 rt = 99, res = 0;
	int ret;

	ret = t->tr->ops->callback_response(t->tr->priv, out, PAGE_SIZE, &res,
					    &rt);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_NE(test, rt, T_RT_CALLBACK);
	KUNIT_EXPECT_EQ(test, (s64)res, T_UNAVAIL);
}

/* Start a CALLBACK invocation and leave it waiting for CB_RSP. */
static void t_start_blocked(struct t_ctx *t, struct t_app *a, u32 echo,
			    struct t_chan *ch)
{
	struct kunit *test = t->test;
	u8 p[16];
	struct t_inv v = { .op = QTA_OP_CALLBACK, .nib = 1, .nob = 1,
			   .nio = 1, .ib = { p }, .ib_len = { 16 },
			   .ob_len = { 16 } };
	u64 rt = 0, res = 0;
	int ret;

	v.cxt = a->app;
	v.io[0] = echo;
	t_put32(p, 0, T_ECHO_OP_INVERT);
	t_put32(p, 4, 0);
	t_put32(p, 8, 0);
	t_put32(p, 12, 0);
	t_build(ch, &v);
	ret = t->tr->ops->invoke(t->tr->priv, virt_to_phys(ch->in),
				 ch->in_size, virt_to_phys(ch->out),
				 ch->out_size, &res, &rt);
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_ASSERT_EQ(test, rt, T_RT_CALLBACK);
	KUNIT_EXPECT_EQ(test, t_get32(ch->out, 4), echo);
}

static void t_abort_waiting(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct qcomtee_sim_stats st;
	struct t_chan ch = { };
	struct t_app a;
	u64 rt, res;
	int i, ret;

	t_app_up(t, &a);
	t_chan_init(t, &ch, 0);
	/* The kernel sent echo as IO: one reference to QTEE. */
	t_give(t, echo->id);
	t_start_blocked(t, &a, echo->id, &ch);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.waiting, 1);
	KUNIT_EXPECT_EQ(test, st.in_flight, 1);
	/* Reusing the busy outbound buffer is refused. */
	ret = t->tr->ops->invoke(t->tr->priv, virt_to_phys(t->ch.in),
				 PAGE_SIZE, virt_to_phys(ch.out), PAGE_SIZE,
				 &res, &rt);
	KUNIT_EXPECT_EQ(test, ret, -EINVAL);

	KUNIT_EXPECT_EQ(test, qcomtee_sim_abort_waiting(t->sim), 1);
	for (i = 0; i < 100; i++) {
		qcomtee_sim_get_stats(t->sim, &st);
		if (!st.in_flight)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, st.in_flight, 0);
	KUNIT_EXPECT_EQ(test, st.waiting, 0);
	/* A late answer finds nobody. */
	ret = t->tr->ops->callback_response(t->tr->priv, virt_to_phys(ch.out),
					    PAGE_SIZE, &res, &rt);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, (s64)res, T_UNAVAIL);
	t_chan_fini(t, &ch);
	t_app_down(t, &a);
}

static void t_bridge_delete_abandons(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct qcomtee_sim_stats st;
	struct t_chan ch = { };
	struct t_app a;
	int i;

	t_app_up(t, &a);
	t_chan_init(t, &ch, 0);
	t_give(t, echo->id);
	t_start_blocked(t, &a, echo->id, &ch);
	/* Deleting the bridge of the outbound buffer abandons the call. */
	t_chan_fini(t, &ch);
	for (i = 0; i < 100; i++) {
		qcomtee_sim_get_stats(t->sim, &st);
		if (!st.in_flight)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, st.in_flight, 0);
	t_app_down(t, &a);
}

static void t_destroy_with_blocked(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct t_chan ch = { };
	struct t_app a;
	unsigned int i;

	t_app_up(t, &a);
	t_chan_init(t, &ch, 0);
	t_give(t, echo->id);
	t_start_blocked(t, &a, echo->id, &ch);
	/* Tear the whole instance down with the call blocked and objects
	 * still held by the kernel: no hang, no leak, no splat.
	 */
	qcomtee_sim_destroy(t->sim);
	t->sim = NULL;
	__free_pages(ch.in_pages, 0);
	__free_pages(ch.out_pages, 0);
	__free_pages(t->ch.in_pages, get_order(t->ch.in_size));
	__free_pages(t->ch.out_pages, 0);
	t->ch.in = NULL;
	for (i = 0; i < t->nkobj; i++)
		if (t->kobj[i].pages)
			__free_pages(t->kobj[i].pages, t->kobj[i].order);
}

struct t_worker {
	struct t_ctx *t;
	struct t_app *a;
	u32 echo;
	int loops;
	int errors;
	struct completion done;
};

static int t_worker_fn(void *data)
{
	struct t_worker *w = data;
	struct t_ctx *t = w->t;
	static const u8 data8[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct t_chan ch = { };
	u8 p[16], res[16], ob1[8], q[8], mres[8];
	int i;

	t_chan_init(t, &ch, 0);
	for (i = 0; i < w->loops; i++) {
		struct t_inv v = { .cxt = w->a->app, .op = QTA_OP_CALLBACK,
				   .nib = 2, .nob = 2, .nio = 1,
				   .ib = { p, data8 }, .ib_len = { 16, 8 },
				   .ob_len = { 16, 8 }, .ob = { res, ob1 },
				   .io = { w->echo } };
		struct t_inv m = { .cxt = w->a->app,
				   .op = QTA_OP_CALLBACK_MANY, .nib = 1,
				   .nob = 1, .nio = 1, .ib = { q },
				   .ib_len = { 8 }, .ob_len = { 8 },
				   .ob = { mres }, .io = { w->echo } };

		t_put32(p, 0, T_ECHO_OP_INVERT);
		t_put32(p, 4, 8);
		t_put32(p, 8, 0);
		t_put32(p, 12, QTA_CB_EXPECT_OB);
		if (t_call_ch(t, &ch, &v) || t_get32(res, 0))
			w->errors++;
		t_put32(q, 0, T_ECHO_OP_DOUBLE);
		t_put32(q, 4, 5);
		if (t_call_ch(t, &ch, &m) || t_get32(mres, 0) != 20)
			w->errors++;
	}
	t_chan_fini(t, &ch);
	complete(&w->done);

	return 0;
}

static void t_concurrency(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	struct t_worker w[4];
	struct task_struct *task;
	struct t_app a;
	unsigned int i;

	t_app_up(t, &a);
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		w[i] = (struct t_worker){ .t = t, .a = &a, .echo = echo->id,
					  .loops = 25 };
		init_completion(&w[i].done);
		task = kthread_run(t_worker_fn, &w[i], "qsim-test-%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	}
	for (i = 0; i < ARRAY_SIZE(w); i++) {
		wait_for_completion(&w[i].done);
		KUNIT_EXPECT_EQ(test, w[i].errors, 0);
	}
	KUNIT_EXPECT_EQ(test, echo->qtee_refs, 0);
	t_app_down(t, &a);
}

struct t_sleeper {
	struct t_ctx *t;
	u32 app;
	int ret;
	struct completion done;
};

static int t_sleeper_fn(void *data)
{
	struct t_sleeper *s = data;
	struct t_chan ch = { };
	u8 ms[4];
	struct t_inv v = { .cxt = s->app, .op = QTA_OP_SLEEP, .nib = 1,
			   .ib = { ms }, .ib_len = { 4 } };

	t_chan_init(s->t, &ch, 0);
	t_put32(ms, 0, 300);
	s->ret = t_call_ch(s->t, &ch, &v);
	t_chan_fini(s->t, &ch);
	complete(&s->done);

	return 0;
}

static void t_slow_call_does_not_block(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_sleeper s = { .t = t };
	struct task_struct *task;
	struct t_app a;
	u32 sum, skel_ctrl;
	size_t len = qsim_test_skeleton_image_end - qsim_test_skeleton_image;
	struct t_inv echo = { .op = QTA_OP_ECHO, .nib = 1, .nob = 1,
			      .ib = { &sum }, .ib_len = { 4 },
			      .ob_len = { 4 } };
	ktime_t start;
	u32 app;

	t_app_up(t, &a);
	echo.cxt = a.app;
	KUNIT_ASSERT_EQ(test, t_load_buf(t, a.loader, qsim_test_skeleton_image,
					 len, &skel_ctrl), 0);
	app = t_get_app(t, skel_ctrl);
	s.app = a.app;
	init_completion(&s.done);
	start = ktime_get();
	task = kthread_run(t_sleeper_fn, &s, "qsim-sleeper");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	msleep(20);
	/* Other invocations proceed while one sleeps in QTEE. */
	KUNIT_EXPECT_EQ(test, t_add(t, app, 40, 2, &sum), 0);
	KUNIT_EXPECT_EQ(test, sum, 42);
	/* A second secure thread of the same app runs meanwhile. */
	KUNIT_EXPECT_EQ(test, t_call(t, &echo), 0);
	KUNIT_EXPECT_LT(test, ktime_ms_delta(ktime_get(), start), 250);
	wait_for_completion(&s.done);
	KUNIT_EXPECT_EQ(test, s.ret, 0);
	KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get(), start), 300);
	KUNIT_EXPECT_EQ(test, t_release(t, app), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, skel_ctrl), 0);
	t_app_down(t, &a);
}

static void t_image_builder(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	ssize_t len = qcomtee_sim_build_app_image(NULL, NULL, 0);
	u8 small[16];

	KUNIT_EXPECT_GT(test, len, 120);
	KUNIT_EXPECT_EQ(test, qcomtee_sim_build_app_image(NULL, small,
							  sizeof(small)),
			-ENOSPC);
	KUNIT_EXPECT_NOT_NULL(test, t->sim);
}

static void t_stats_counters(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *cred;
	static const u8 c[] = { 0xa1, 0x01, 0x07 };
	struct qcomtee_sim_stats st;
	u32 env;

	cred = t_cred(t, c, sizeof(c));
	env = t_env(t, cred->id);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 1);
	KUNIT_EXPECT_EQ(test, st.ns_refs, 1);
	KUNIT_EXPECT_EQ(test, st.ns_ids, 1);
	KUNIT_EXPECT_EQ(test, st.callbacks, 2);	/* getLength + read */
	KUNIT_EXPECT_EQ(test, st.bridges, 2);
	KUNIT_EXPECT_GT(test, st.heap_used, 0);
	KUNIT_EXPECT_EQ(test, st.heap_total, 8u << 20);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.async_releases, 1);
	KUNIT_EXPECT_EQ(test, st.ns_refs, 0);
	KUNIT_EXPECT_EQ(test, cred->qtee_refs, 0);
}

static void t_default_instance(struct kunit *test)
{
	struct qcomtee_sim *def = qcomtee_sim_get_default();

	if (!def)
		kunit_skip(test, "no default instance");
	KUNIT_EXPECT_NOT_NULL(test, qcomtee_sim_pdev(def));
	KUNIT_EXPECT_NOT_NULL(test, qcomtee_sim_transport(def)->ops);
}

/* Tests: the test-control service (qcomtee_testsvc.h). */

static u32 t_testsvc_open(struct t_ctx *t)
{
	u32 env = t_env(t, 0), svc;

	KUNIT_ASSERT_EQ(t->test, t_open(t, env, QCOMTEE_TESTSVC_UID, &svc), 0);
	/* The service needs nothing of the env it was opened from. */
	KUNIT_EXPECT_EQ(t->test, t_release(t, env), 0);
	return svc;
}

/* Calls @op of @svc with at most one IB and one OB. */
static int t_testsvc(struct t_ctx *t, u32 svc, u32 op, const void *ib,
		     u32 ib_len, void *ob, u32 ob_len)
{
	struct t_inv v = { .cxt = svc, .op = op, .nib = !!ib, .nob = !!ob,
			   .ib = { ib }, .ib_len = { ib_len },
			   .ob = { ob }, .ob_len = { ob_len } };

	return t_call(t, &v);
}

static int t_testsvc_inject(struct t_ctx *t, u32 svc, u32 fault, u32 count,
			    s32 arg)
{
	u8 ib[QCOMTEE_TESTSVC_INJECT_SIZE];

	t_put32(ib, 0, fault);
	t_put32(ib, 4, count);
	t_put32(ib, 8, arg);
	return t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_INJECT, ib, sizeof(ib),
			 NULL, 0);
}

static u64 t_stat(const u8 *v, unsigned int i)
{
	return get_unaligned_le64(v + 8 * i);
}

static void t_testsvc_stats(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	u8 v[QCOMTEE_TESTSVC_STATS_SIZE + 8], ib[4] = { };
	struct qcomtee_sim_stats st;
	u32 svc = t_testsvc_open(t);
	struct t_app a;

	/* Idle but for the caller, whose own object and call are left out. */
	memset(v, 0xee, sizeof(v));
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_STATS,
					NULL, 0, v, sizeof(v)), 0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 1);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_OBJECTS), 0);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_IN_FLIGHT), 0);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_APPS), 0);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_HEAP_TOTAL),
			8u << 20);
	KUNIT_EXPECT_GT(test, t_stat(v, QCOMTEE_TESTSVC_STAT_HEAP_USED), 0);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_INVOCATIONS),
			st.invocations);
	/* Exactly QCOMTEE_TESTSVC_STATS_SIZE bytes, nothing after them. */
	KUNIT_EXPECT_EQ(test, v[QCOMTEE_TESTSVC_STATS_SIZE - 1], 0);
	KUNIT_EXPECT_EQ(test, v[QCOMTEE_TESTSVC_STATS_SIZE], 0xee);

	/* What a test holds shows: an env, a loader, a controller, an app. */
	t_app_up(t, &a);
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_STATS,
					NULL, 0, v, QCOMTEE_TESTSVC_STATS_SIZE),
			0);
	qcomtee_sim_get_stats(t->sim, &st);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_OBJECTS),
			st.objects - 1);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_OBJECTS), 4);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_APPS), 1);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_NS_REFS),
			st.ns_refs);
	KUNIT_EXPECT_EQ(test, t_stat(v, QCOMTEE_TESTSVC_STAT_CALLBACKS),
			st.callbacks);
	t_app_down(t, &a);

	/* Bad inputs: short OB, an extra argument, an unknown op. */
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_STATS, NULL,
					0, v, QCOMTEE_TESTSVC_STATS_SIZE - 1),
			T_SIZE_OUT);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_STATS, ib,
					4, v, sizeof(v)), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_STATS, NULL,
					0, NULL, 0), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_SET + 1,
					NULL, 0, v, sizeof(v)), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
}

static void t_testsvc_faults(struct kunit *test)
{
	static const struct { u32 fault, count; s32 arg; } bad[] = {
		{ QCOMTEE_TESTSVC_FAULTS_NUM, 1, 0 },
		{ 0xffffffff, 1, 0 },
		{ QCOMTEE_TESTSVC_FAULT_NOSLOTS, 0x80000000, 0 },
		{ QCOMTEE_TESTSVC_FAULT_NOSLOTS, 1, 1 },
		{ QCOMTEE_TESTSVC_FAULT_SCM_ERROR, 1, 1 },
		{ QCOMTEE_TESTSVC_FAULT_SCM_ERROR, 1, -4096 },
		{ QCOMTEE_TESTSVC_FAULT_DELAY, 0, -1 },
		{ QCOMTEE_TESTSVC_FAULT_DELAY, 0, 1001 },
		{ QCOMTEE_TESTSVC_FAULT_OB_SIZE, 1, -1 },
		{ QCOMTEE_TESTSVC_FAULT_OB_SIZE, 1, (16 << 20) + 1 },
	};
	struct t_ctx *t = test->priv;
	u8 f[QCOMTEE_TESTSVC_FAULTS_SIZE], ib[16] = { };
	u32 svc = t_testsvc_open(t), env, diag;
	unsigned int i, off = QCOMTEE_TESTSVC_FAULT_REC_SIZE *
			      QCOMTEE_TESTSVC_FAULT_NOSLOTS;
	struct t_inv v = { .cxt = T_ROOT, .op = 4 };

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, t_testsvc_inject(t, svc, bad[i].fault,
							   bad[i].count,
							   bad[i].arg),
				    T_INVALID, "bad input %u", i);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_INJECT, ib,
					8, NULL, 0), T_SIZE_IN);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_FAULTS,
					NULL, 0, f, sizeof(f) - 1), T_SIZE_OUT);
	/* Nothing refused was armed. */
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_FAULTS,
					NULL, 0, f, sizeof(f)), 0);
	for (i = 0; i < sizeof(f); i++)
		KUNIT_EXPECT_EQ_MSG(test, f[i], 0, "byte %u", i);

	/* An armed NOSLOTS fires once, counted; then the table works. */
	env = t_env(t, 0);
	KUNIT_ASSERT_EQ(test, t_testsvc_inject(t, svc,
					       QCOMTEE_TESTSVC_FAULT_NOSLOTS,
					       1, 0), 0);
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_FAULTS,
					NULL, 0, f, sizeof(f)), 0);
	KUNIT_EXPECT_EQ(test, t_get32(f, off), 1);
	KUNIT_EXPECT_EQ(test, t_get32(f, off + 8), 0);
	KUNIT_EXPECT_EQ(test, t_open(t, env, 143, &diag), T_NOSLOTS);
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_FAULTS,
					NULL, 0, f, sizeof(f)), 0);
	KUNIT_EXPECT_EQ(test, t_get32(f, off), 0);
	KUNIT_EXPECT_EQ(test, t_get32(f, off + 8), 1);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &diag), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, diag), 0);

	/*
	 * SCM errors fire at the SMC entry, before any object is reached:
	 * the service's own next call fails too, then the count is spent.
	 */
	KUNIT_ASSERT_EQ(test, t_testsvc_inject(t, svc,
					       QCOMTEE_TESTSVC_FAULT_SCM_ERROR,
					       2, -EAGAIN), 0);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), -EAGAIN);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_FAULTS,
					NULL, 0, f, sizeof(f)), -EAGAIN);
	KUNIT_EXPECT_EQ(test, t_call(t, &v), 0);
	/* CLEAR disarms everything and zeroes the hits. */
	KUNIT_ASSERT_EQ(test, t_testsvc_inject(t, svc,
					       QCOMTEE_TESTSVC_FAULT_NOSLOTS,
					       5, 0), 0);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_CLEAR_FAULTS,
					NULL, 0, NULL, 0), 0);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 143, &diag), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, diag), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_FAULTS,
					NULL, 0, f, sizeof(f)), 0);
	for (i = 0; i < sizeof(f); i++)
		KUNIT_EXPECT_EQ_MSG(test, f[i], 0, "byte %u", i);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_CLEAR_FAULTS,
					ib, 4, NULL, 0), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
}

static int t_testsvc_get(struct t_ctx *t, u32 svc, u32 ctl, u32 *val)
{
	u8 ib[4], ob[4];
	int ret;

	t_put32(ib, 0, ctl);
	ret = t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_GET, ib, 4, ob, 4);
	*val = t_get32(ob, 0);
	return ret;
}

static int t_testsvc_set(struct t_ctx *t, u32 svc, u32 ctl, u32 val)
{
	u8 ib[8];

	t_put32(ib, 0, ctl);
	t_put32(ib, 4, val);
	return t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_SET, ib, 8, NULL, 0);
}

/* Reads control @ctl of @svc, expecting @want. */
static void t_testsvc_expect(struct t_ctx *t, u32 svc, u32 ctl, u32 want)
{
	u32 val = ~want;

	KUNIT_ASSERT_EQ(t->test, t_testsvc_get(t, svc, ctl, &val), 0);
	KUNIT_EXPECT_EQ(t->test, val, want);
}

static void t_testsvc_controls(struct kunit *test)
{
	const u32 unbr = QCOMTEE_TESTSVC_CTL_ALLOW_UNBRIDGED;
	struct t_ctx *t = test->priv;
	u32 svc = t_testsvc_open(t), env, feat, val;
	u8 id[4], ob[4];
	struct t_inv v = { .op = 0, .nib = 1, .nob = 1, .ib = { id },
			   .ib_len = { 4 }, .ob_len = { 4 }, .ob = { ob } };

	t_testsvc_expect(t, svc, QCOMTEE_TESTSVC_CTL_VERSION, 2u << 22);
	KUNIT_ASSERT_EQ(test, t_testsvc_set(t, svc,
					    QCOMTEE_TESTSVC_CTL_VERSION,
					    QCOMTEE_SIM_VERSION(3, 4, 5)), 0);
	/* Feature 10 reports what was set. */
	env = t_env(t, 0);
	KUNIT_ASSERT_EQ(test, t_open(t, env, 2033, &feat), 0);
	v.cxt = feat;
	t_put32(id, 0, 10);
	KUNIT_ASSERT_EQ(test, t_call(t, &v), 0);
	KUNIT_EXPECT_EQ(test, t_get32(ob, 0), QCOMTEE_SIM_VERSION(3, 4, 5));
	KUNIT_EXPECT_EQ(test, t_release(t, feat), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, env), 0);

	t_testsvc_expect(t, svc, unbr, 0);
	KUNIT_EXPECT_EQ(test, t_testsvc_set(t, svc, unbr, 1), 0);
	t_testsvc_expect(t, svc, unbr, 1);
	/* Bad inputs change nothing. */
	KUNIT_EXPECT_EQ(test, t_testsvc_set(t, svc, unbr, 2), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_testsvc_set(t, svc, QCOMTEE_TESTSVC_CTLS_NUM,
					    0), T_INVALID);
	KUNIT_EXPECT_EQ(test, t_testsvc_get(t, svc, QCOMTEE_TESTSVC_CTLS_NUM,
					    &val), T_INVALID);
	t_put32(id, 0, QCOMTEE_TESTSVC_CTL_VERSION);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_GET, id, 4,
					ob, 2), T_SIZE_OUT);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_SET, id, 4,
					NULL, 0), T_SIZE_IN);
	t_testsvc_expect(t, svc, unbr, 1);
	KUNIT_EXPECT_EQ(test, t_testsvc_set(t, svc, unbr, 0), 0);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
}

static void t_testsvc_abort_waiting(struct kunit *test)
{
	struct t_ctx *t = test->priv;
	struct t_kobj *echo = t_kobj_new(t, T_ECHO);
	u8 s[QCOMTEE_TESTSVC_STATS_SIZE], n[4];
	struct t_chan ch = { };
	struct t_app a;
	u32 svc;
	int i;

	t_app_up(t, &a);
	svc = t_testsvc_open(t);
	t_chan_init(t, &ch, 0);
	t_give(t, echo->id);
	t_start_blocked(t, &a, echo->id, &ch);
	/* The service answers inline while the app's thread waits. */
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc, QCOMTEE_TESTSVC_OP_STATS, NULL,
					0, s, sizeof(s)), 0);
	KUNIT_EXPECT_EQ(test, t_stat(s, QCOMTEE_TESTSVC_STAT_WAITING), 1);
	KUNIT_EXPECT_EQ(test, t_stat(s, QCOMTEE_TESTSVC_STAT_IN_FLIGHT), 1);
	KUNIT_EXPECT_EQ(test, t_testsvc(t, svc,
					QCOMTEE_TESTSVC_OP_ABORT_WAITING,
					NULL, 0, n, 3), T_SIZE_OUT);
	KUNIT_ASSERT_EQ(test, t_testsvc(t, svc,
					QCOMTEE_TESTSVC_OP_ABORT_WAITING,
					NULL, 0, n, 4), 0);
	KUNIT_EXPECT_EQ(test, t_get32(n, 0), 1);
	for (i = 0; i < 100; i++) {
		KUNIT_ASSERT_EQ(test, t_testsvc(t, svc,
						QCOMTEE_TESTSVC_OP_STATS,
						NULL, 0, s, sizeof(s)), 0);
		if (!t_stat(s, QCOMTEE_TESTSVC_STAT_IN_FLIGHT))
			break;
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, t_stat(s, QCOMTEE_TESTSVC_STAT_IN_FLIGHT), 0);
	KUNIT_EXPECT_EQ(test, t_stat(s, QCOMTEE_TESTSVC_STAT_WAITING), 0);
	t_chan_fini(t, &ch);
	KUNIT_EXPECT_EQ(test, t_release(t, svc), 0);
	t_app_down(t, &a);
}

static struct kunit_case qcomtee_sim_cases[] = {
	KUNIT_CASE(t_bad_buffers),
	KUNIT_CASE(t_unbridged),
	KUNIT_CASE(t_bridges),
	KUNIT_CASE(t_platform_device),
	KUNIT_CASE(t_root_kernel_env),
	KUNIT_CASE(t_root_bad_args),
	KUNIT_CASE(t_cred_minimal),
	KUNIT_CASE(t_cred_widths_1_2),
	KUNIT_CASE(t_cred_fixed4),
	KUNIT_CASE(t_cred_fixed8),
	KUNIT_CASE(t_cred_indefinite),
	KUNIT_CASE(t_cred_malformed),
	KUNIT_CASE(t_env_open),
	KUNIT_CASE(t_diagnostics),
	KUNIT_CASE(t_feature_version),
	KUNIT_CASE(t_load_skeleton_buffer),
	KUNIT_CASE(t_load_skeleton_region),
	KUNIT_CASE(t_load_region_errors),
	KUNIT_CASE(t_load_bad_images),
	KUNIT_CASE(t_meta_real_shapes),
	KUNIT_CASE(t_meta_uuid),
	KUNIT_CASE(t_meta_decoys),
	KUNIT_CASE(t_meta_broken),
	KUNIT_CASE(t_meta_real_skeleton),
	KUNIT_CASE(t_eco_opener),
	KUNIT_CASE(t_eco_cback),
	KUNIT_CASE(t_eco_cback_outputs),
	KUNIT_CASE(t_eco_cback_memory),
	KUNIT_CASE(t_eco_mem_manager),
	KUNIT_CASE(t_eco_unload),
	KUNIT_CASE(t_lsn_register_checks),
	KUNIT_CASE(t_lsn_max_registered),
	KUNIT_CASE(t_lsn_request),
	KUNIT_CASE(t_lsn_busy_and_errors),
	KUNIT_CASE(t_lsn_restart),
	KUNIT_CASE(t_lsn_tabuf),
	KUNIT_CASE(t_lsn_time),
	KUNIT_CASE(t_lsn_storage),
	KUNIT_CASE(t_gp_meta_uuid),
	KUNIT_CASE(t_gp_session),
	KUNIT_CASE(t_gp_bad_requests),
	KUNIT_CASE(t_gp_memory_objects),
	KUNIT_CASE(t_gp_autoload),
	KUNIT_CASE(t_gp_autoload_errors),
	KUNIT_CASE(t_load_twice_and_limits),
	KUNIT_CASE(t_load_already_loaded),
	KUNIT_CASE(t_controller_cancel),
	KUNIT_CASE(t_ta_echo),
	KUNIT_CASE(t_ta_errors_passthrough),
	KUNIT_CASE(t_ta_callback_all_kinds),
	KUNIT_CASE(t_ta_callback_returns_secure),
	KUNIT_CASE(t_ta_callback_errors),
	KUNIT_CASE(t_ta_hold_release_async),
	KUNIT_CASE(t_ta_release_by_callback),
	KUNIT_CASE(t_async_after_callback),
	KUNIT_CASE(t_async_many_ids),
	KUNIT_CASE(t_ta_callback_many),
	KUNIT_CASE(t_ta_memory),
	KUNIT_CASE(t_ta_memory_held),
	KUNIT_CASE(t_malformed_counts),
	KUNIT_CASE(t_malformed_buffers),
	KUNIT_CASE(t_malformed_ids),
	KUNIT_CASE(t_retain_release),
	KUNIT_CASE(t_primordial_io_not_counted),
	KUNIT_CASE(t_wrong_service_args),
	KUNIT_CASE(t_noslots),
	KUNIT_CASE(t_fault_scm_errors),
	KUNIT_CASE(t_fault_delay),
	KUNIT_CASE(t_fault_callbacks),
	KUNIT_CASE(t_fault_async),
	KUNIT_CASE(t_fault_ob_size),
	KUNIT_CASE(t_unexpected_cb_rsp),
	KUNIT_CASE(t_abort_waiting),
	KUNIT_CASE(t_bridge_delete_abandons),
	KUNIT_CASE(t_destroy_with_blocked),
	KUNIT_CASE(t_concurrency),
	KUNIT_CASE_SLOW(t_slow_call_does_not_block),
	KUNIT_CASE(t_image_builder),
	KUNIT_CASE(t_stats_counters),
	KUNIT_CASE(t_default_instance),
	KUNIT_CASE(t_testsvc_stats),
	KUNIT_CASE(t_testsvc_faults),
	KUNIT_CASE(t_testsvc_controls),
	KUNIT_CASE(t_testsvc_abort_waiting),
	{}
};

static struct kunit_suite qcomtee_sim_suite = {
	.name = "qcomtee_sim",
	.init = t_init,
	.exit = t_exit,
	.test_cases = qcomtee_sim_cases,
};

kunit_test_suite(qcomtee_sim_suite);

MODULE_DESCRIPTION("KUnit tests of the simulated Qualcomm TEE");
MODULE_LICENSE("GPL");
