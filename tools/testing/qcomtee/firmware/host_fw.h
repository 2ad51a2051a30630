/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware as the QTEE model's host (drivers/tee/qcomtee/sim/host.h).
 *
 * The model's files are the kernel simulator's own, compiled here
 * freestanding: this header gives them what they would otherwise get from
 * kernel headers, written for EL3 with the MMU off (byte accesses where
 * alignment is not known, exclusives for atomics), and the host services
 * (host_fw.c: the secure heap, normal-world memory, the timer).
 */
#ifndef QCOMTEE_FW_HOST_H
#define QCOMTEE_FW_HOST_H

#include "fw.h"

typedef unsigned short u16;
typedef _Bool bool;
#define true	1
#define false	0

#define U32_MAX		0xffffffffU
#define INT_MAX		0x7fffffff

#define EAGAIN		11
#define ENOMEM		12
#define EBUSY		16
#define EINVAL		22

#define ALIGN(x, a) ({						\
	__typeof__(x) _m = (__typeof__(x))(a) - 1;		\
								\
	((x) + _m) & ~_m;					\
})
#define min(a, b)	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
			   _a < _b ? _a : _b; })
#define max(a, b)	({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); \
			   _a > _b ? _a : _b; })
#define min_t(t, a, b)	min((t)(a), (t)(b))
#define likely(x)	__builtin_expect(!!(x), 1)
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define static_assert(e, ...) _Static_assert(e, #e)
#define container_of(p, type, member) \
	((type *)((u8 *)(p) - __builtin_offsetof(type, member)))

/* A broken model invariant: logged and counted (fw: summary), not fatal. */
void fw_model_warn(const char *file, int line);
#define WARN_ON(c) ({						\
	int _c = !!(c);						\
								\
	if (_c)							\
		fw_model_warn(__FILE__, __LINE__);		\
	_c;							\
})

#define WARN_ON_ONCE(c)	WARN_ON(c)

int memcmp(const void *a, const void *b, size_t n);
void *memmove(void *d, const void *s, size_t n);

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8;
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

static inline u64 get_unaligned_le64(const void *p)
{
	const u8 *b = p;

	return get_unaligned_le32(b) | (u64)get_unaligned_le32(b + 4) << 32;
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	u8 *b = p;
	unsigned int i;

	for (i = 0; i < 8; i++)
		b[i] = v >> (8 * i);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
	b[2] = v >> 16;
	b[3] = v >> 24;
}

/* Every CPU may take it: lib.c's exclusives-based spinlock. */
typedef struct spinlock qsim_spinlock_t;

static inline void qsim_spin_init(qsim_spinlock_t *l)
{
	l->locked = 0;
}

static inline void qsim_spin_lock(qsim_spinlock_t *l)
{
	spin_lock(l);
}

static inline void qsim_spin_unlock(qsim_spinlock_t *l)
{
	spin_unlock(l);
}

/* The compiler's atomics: ldaxr/stlxr loops inline (-mno-outline-atomics). */
typedef struct {
	int v;
} qsim_atomic_t;

typedef struct {
	s64 v;
} qsim_atomic64_t;

static inline int qsim_atomic_read(const qsim_atomic_t *a)
{
	return __atomic_load_n(&a->v, __ATOMIC_RELAXED);
}

static inline void qsim_atomic_set(qsim_atomic_t *a, int v)
{
	__atomic_store_n(&a->v, v, __ATOMIC_RELAXED);
}

static inline void qsim_atomic_inc(qsim_atomic_t *a)
{
	__atomic_fetch_add(&a->v, 1, __ATOMIC_RELAXED);
}

static inline void qsim_atomic_dec(qsim_atomic_t *a)
{
	__atomic_fetch_sub(&a->v, 1, __ATOMIC_RELAXED);
}

/* The kernel's semantics: the old value minus one, stored only if >= 0. */
static inline int qsim_atomic_dec_if_positive(qsim_atomic_t *a)
{
	int old = __atomic_load_n(&a->v, __ATOMIC_RELAXED);

	do {
		if (old <= 0)
			return old - 1;
	} while (!__atomic_compare_exchange_n(&a->v, &old, old - 1, 0,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_RELAXED));
	return old - 1;
}

static inline void qsim_mb_before_atomic(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Nothing sleeps at EL3: a lock held while allocating spins as well. */
typedef qsim_spinlock_t qsim_mutex_t;
#define qsim_mutex_init(m)	qsim_spin_init(m)
#define qsim_mutex_lock(m)	qsim_spin_lock(m)
#define qsim_mutex_unlock(m)	qsim_spin_unlock(m)
#define qsim_mutex_destroy(m)	WARN_ON((m)->locked)

typedef struct {
	int count;
} qsim_ref_t;

static inline void qsim_ref_init(qsim_ref_t *r)
{
	__atomic_store_n(&r->count, 1, __ATOMIC_RELAXED);
}

static inline void qsim_ref_get(qsim_ref_t *r)
{
	WARN_ON(__atomic_fetch_add(&r->count, 1, __ATOMIC_RELAXED) <= 0);
}

static inline bool qsim_ref_get_unless_zero(qsim_ref_t *r)
{
	int old = __atomic_load_n(&r->count, __ATOMIC_RELAXED);

	do {
		if (old <= 0)
			return false;
	} while (!__atomic_compare_exchange_n(&r->count, &old, old + 1, 0,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

static inline int qsim_ref_put(qsim_ref_t *r, void (*release)(qsim_ref_t *r))
{
	int old = __atomic_fetch_sub(&r->count, 1, __ATOMIC_ACQ_REL);

	if (WARN_ON(old <= 0))
		return 0;
	if (old > 1)
		return 0;
	release(r);
	return 1;
}

static inline s64 qsim_atomic64_read(const qsim_atomic64_t *a)
{
	return __atomic_load_n(&a->v, __ATOMIC_RELAXED);
}

static inline void qsim_atomic64_add(s64 v, qsim_atomic64_t *a)
{
	__atomic_fetch_add(&a->v, v, __ATOMIC_RELAXED);
}

/*
 * A secure thread (qtee.c): its stack in secure RAM and the registers
 * fw_ctx_switch() saves for each side of the switch.
 */
struct qsim_host_thread {
	struct fw_ctx self;	/* the thread's, while it does not run */
	struct fw_ctx back;	/* the SMC side's that let it run */
	unsigned int cpu;	/* the CPU it parked on */
	bool reaping;		/* an orphan some CPU runs to its end */
};

#endif
