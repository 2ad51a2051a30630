/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: the kernel as the QTEE model's host (see host.h).
 *
 * The C helpers are the kernel's own; the host services are thin
 * wrappers, so the model costs the simulator nothing over calling the
 * kernel directly.
 */
#ifndef __QCOMTEE_SIM_HOST_LINUX_H
#define __QCOMTEE_SIM_HOST_LINUX_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/container_of.h>
#include <linux/errno.h>
#include <linux/kref.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

typedef spinlock_t qsim_spinlock_t;
typedef atomic_t qsim_atomic_t;
typedef atomic64_t qsim_atomic64_t;
typedef struct mutex qsim_mutex_t;
typedef struct kref qsim_ref_t;

static inline void qsim_spin_init(qsim_spinlock_t *l)
{
	spin_lock_init(l);
}

static inline void qsim_spin_lock(qsim_spinlock_t *l)
	__acquires(l)
{
	spin_lock(l);
}

static inline void qsim_spin_unlock(qsim_spinlock_t *l)
	__releases(l)
{
	spin_unlock(l);
}

static inline int qsim_atomic_read(const qsim_atomic_t *a)
{
	return atomic_read(a);
}

static inline void qsim_atomic_set(qsim_atomic_t *a, int v)
{
	atomic_set(a, v);
}

static inline void qsim_atomic_inc(qsim_atomic_t *a)
{
	atomic_inc(a);
}

static inline void qsim_atomic_dec(qsim_atomic_t *a)
{
	atomic_dec(a);
}

static inline int qsim_atomic_dec_if_positive(qsim_atomic_t *a)
{
	return atomic_dec_if_positive(a);
}

static inline void qsim_mb_before_atomic(void)
{
	/* Orders the caller's plain stores before its next atomic_set(). */
	smp_mb__before_atomic();
}

static inline s64 qsim_atomic64_read(const qsim_atomic64_t *a)
{
	return atomic64_read(a);
}

static inline void qsim_atomic64_add(s64 v, qsim_atomic64_t *a)
{
	atomic64_add(v, a);
}

/* The kernel's mutex and kref as they are: no wrapper needed. */
#define qsim_mutex_init(m)		mutex_init(m)
#define qsim_mutex_lock(m)		mutex_lock(m)
#define qsim_mutex_unlock(m)		mutex_unlock(m)
#define qsim_mutex_destroy(m)		mutex_destroy(m)
#define qsim_ref_init(r)		kref_init(r)
#define qsim_ref_get(r)			kref_get(r)
#define qsim_ref_get_unless_zero(r)	kref_get_unless_zero(r)
#define qsim_ref_put(r, release)	kref_put(r, release)

/**
 * struct qsim_host_thread - a secure thread in the kernel
 * @work: the thread: a work item on the instance's workqueue.
 * @wq: both the SMC side and the thread wait here.
 */
struct qsim_host_thread {
	struct work_struct work;
	wait_queue_head_t wq;
};

#endif /* __QCOMTEE_SIM_HOST_LINUX_H */
