// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: buffers shared with QTEE for messages.
 *
 * Every invocation needs an inbound and an outbound buffer that are
 * physically contiguous, page aligned and registered with QTEE as an SHM
 * bridge. Allocating and registering them costs a page allocation and two
 * SCM calls per buffer, so pairs are kept in a small pool and reused:
 * an invocation whose request fits the pooled inbound size (most do) costs
 * no allocation and no bridge call. Each CPU keeps the last pair returned
 * on it, so that calls on different CPUs do not share the pool's lock;
 * the shared list holds the others.
 *
 * Larger requests (UBUFs of up to QCOMTEE_MSG_INBOUND_MAX, app images) get
 * a pair of their own. The last one is kept for the next large request,
 * as callers that send big buffers tend to send several, and is freed
 * after QCOMTEE_MSGBUF_LARGE_IDLE without use so that up to 4 MiB of
 * contiguous memory is not held by an idle device.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "qcomtee.h"

/* Requests up to this size use pooled buffers. */
#define QCOMTEE_MSGBUF_POOLED_INBOUND	SZ_16K
/* Idle pairs kept; more are freed when returned. */
#define QCOMTEE_MSGBUF_POOL_MAX		16
/* How long an idle large pair is kept. */
#define QCOMTEE_MSGBUF_LARGE_IDLE	HZ

static int qcomtee_msgbuf_alloc(struct qcomtee *qcomtee,
				struct qcomtee_msgbuf *buf, size_t size)
{
	const struct qcomtee_transport_ops *ops = qcomtee->transport.ops;
	gfp_t gfp = GFP_KERNEL | __GFP_ZERO;
	int err;

	buf->size = PAGE_ALIGN(size);
	/* A caller's large request may fail to fit: its error, not ours. */
	if (get_order(buf->size) > PAGE_ALLOC_COSTLY_ORDER)
		gfp |= __GFP_NOWARN;
	buf->addr = alloc_pages_exact(buf->size, gfp);
	if (!buf->addr)
		return -ENOMEM;

	buf->paddr = virt_to_phys(buf->addr);
	buf->bridge = 0;
	if (ops->shm_bridge_create) {
		err = ops->shm_bridge_create(qcomtee->transport.priv,
					     buf->paddr, buf->size,
					     &buf->bridge);
		if (err) {
			free_pages_exact(buf->addr, buf->size);
			buf->addr = NULL;
			return err;
		}
	}
	return 0;
}

static void qcomtee_msgbuf_free(struct qcomtee *qcomtee,
				struct qcomtee_msgbuf *buf)
{
	const struct qcomtee_transport_ops *ops = qcomtee->transport.ops;

	if (!buf->addr)
		return;

	if (ops->shm_bridge_delete)
		ops->shm_bridge_delete(qcomtee->transport.priv, buf->bridge);
	free_pages_exact(buf->addr, buf->size);
	buf->addr = NULL;
}

static void qcomtee_msgbuf_pair_free(struct qcomtee *qcomtee,
				     struct qcomtee_msgbuf_pair *bufs)
{
	qcomtee_msgbuf_free(qcomtee, &bufs->inbound);
	qcomtee_msgbuf_free(qcomtee, &bufs->outbound);
	atomic_dec(&qcomtee->stats.bufs_allocated);
	kfree(bufs);
}

static struct qcomtee_msgbuf_pair *
qcomtee_msgbuf_pair_alloc(struct qcomtee *qcomtee, size_t inbound_size)
{
	struct qcomtee_msgbuf_pair *bufs;

	bufs = kzalloc(sizeof(*bufs), GFP_KERNEL);
	if (!bufs)
		return NULL;

	atomic_inc(&qcomtee->stats.bufs_allocated);
	bufs->pooled = inbound_size <= QCOMTEE_MSGBUF_POOLED_INBOUND;
	if (bufs->pooled)
		inbound_size = QCOMTEE_MSGBUF_POOLED_INBOUND;

	if (qcomtee_msgbuf_alloc(qcomtee, &bufs->inbound, inbound_size) ||
	    qcomtee_msgbuf_alloc(qcomtee, &bufs->outbound,
				 QCOMTEE_MSG_OUTBOUND_SIZE)) {
		qcomtee_msgbuf_pair_free(qcomtee, bufs);
		return NULL;
	}
	return bufs;
}

/* An idle pair that fits @inbound_size, or NULL. */
static struct qcomtee_msgbuf_pair *
qcomtee_msgbuf_take(struct qcomtee *qcomtee, size_t inbound_size)
{
	struct qcomtee_msgbuf_pair *bufs;

	if (inbound_size <= QCOMTEE_MSGBUF_POOLED_INBOUND) {
		bufs = this_cpu_xchg(*qcomtee->cpu_bufs, NULL);
		if (bufs)
			return bufs;
	}

	spin_lock(&qcomtee->bufs_lock);
	if (inbound_size <= QCOMTEE_MSGBUF_POOLED_INBOUND) {
		bufs = list_first_entry_or_null(&qcomtee->free_bufs,
						struct qcomtee_msgbuf_pair,
						node);
		if (bufs) {
			list_del(&bufs->node);
			qcomtee->num_free_bufs--;
		}
	} else {
		bufs = qcomtee->large_bufs;
		if (bufs && bufs->inbound.size >= inbound_size)
			qcomtee->large_bufs = NULL;
		else
			bufs = NULL;
	}
	spin_unlock(&qcomtee->bufs_lock);

	return bufs;
}

/**
 * qcomtee_msgbuf_get() - Buffers for one invocation
 * @qcomtee: the instance.
 * @inbound_size: the size the request needs.
 *
 * Return: zeroed, registered buffers, or NULL when out of memory.
 */
struct qcomtee_msgbuf_pair *qcomtee_msgbuf_get(struct qcomtee *qcomtee,
					       size_t inbound_size)
{
	struct qcomtee_msgbuf_pair *bufs;

	bufs = qcomtee_msgbuf_take(qcomtee, inbound_size);
	if (!bufs)
		bufs = qcomtee_msgbuf_pair_alloc(qcomtee, inbound_size);
	if (bufs) {
		bufs->inbound_used = inbound_size;
		bufs->outbound_clean = false;
		bufs->cb_served = false;
		bufs->retire = false;
	}
	return bufs;
}

/**
 * qcomtee_msgbuf_put() - Return the buffers of an invocation
 * @qcomtee: the instance.
 * @bufs: the buffers; cleared for reuse or freed.
 *
 * A pair QTEE may still use (@bufs->retire) is freed: deleting its SHM
 * bridges makes QTEE abort the secure thread parked on it.
 */
void qcomtee_msgbuf_put(struct qcomtee *qcomtee,
			struct qcomtee_msgbuf_pair *bufs)
{
	if (!READ_ONCE(qcomtee->dead) && !bufs->retire) {
		/* QTEE expects zeroes where nothing was written. */
		memset(bufs->inbound.addr, 0, bufs->inbound_used);
		if (!bufs->outbound_clean)
			memset(bufs->outbound.addr, 0, bufs->outbound.size);

		if (bufs->pooled &&
		    !this_cpu_cmpxchg(*qcomtee->cpu_bufs, NULL, bufs))
			return;

		spin_lock(&qcomtee->bufs_lock);
		if (!bufs->pooled) {
			/* Keep the larger of the two; the timer restarts. */
			if (!qcomtee->large_bufs ||
			    qcomtee->large_bufs->inbound.size <=
			    bufs->inbound.size)
				swap(qcomtee->large_bufs, bufs);
			mod_delayed_work(system_wq, &qcomtee->large_bufs_gc,
					 QCOMTEE_MSGBUF_LARGE_IDLE);
		} else if (qcomtee->num_free_bufs < QCOMTEE_MSGBUF_POOL_MAX) {
			list_add(&bufs->node, &qcomtee->free_bufs);
			qcomtee->num_free_bufs++;
			bufs = NULL;
		}
		spin_unlock(&qcomtee->bufs_lock);
	}

	if (bufs)
		qcomtee_msgbuf_pair_free(qcomtee, bufs);
}

/* Frees the large pair kept for reuse, if any. */
static void qcomtee_msgbuf_large_free(struct qcomtee *qcomtee)
{
	struct qcomtee_msgbuf_pair *bufs;

	spin_lock(&qcomtee->bufs_lock);
	bufs = qcomtee->large_bufs;
	qcomtee->large_bufs = NULL;
	spin_unlock(&qcomtee->bufs_lock);

	if (bufs)
		qcomtee_msgbuf_pair_free(qcomtee, bufs);
}

static void qcomtee_msgbuf_large_gc(struct work_struct *work)
{
	qcomtee_msgbuf_large_free(container_of(to_delayed_work(work),
					       struct qcomtee, large_bufs_gc));
}

/**
 * qcomtee_msgbuf_pool_init() - Set up an instance's empty pool
 * @qcomtee: the instance.
 *
 * Return: 0, or -ENOMEM.
 */
int qcomtee_msgbuf_pool_init(struct qcomtee *qcomtee)
{
	qcomtee->cpu_bufs = alloc_percpu(struct qcomtee_msgbuf_pair *);
	if (!qcomtee->cpu_bufs)
		return -ENOMEM;
	spin_lock_init(&qcomtee->bufs_lock);
	INIT_LIST_HEAD(&qcomtee->free_bufs);
	INIT_DELAYED_WORK(&qcomtee->large_bufs_gc, qcomtee_msgbuf_large_gc);
	return 0;
}

/**
 * qcomtee_msgbuf_pool_free() - Free what qcomtee_msgbuf_pool_init() set up
 * @qcomtee: the instance; its pool drained, or never used.
 */
void qcomtee_msgbuf_pool_free(struct qcomtee *qcomtee)
{
	free_percpu(qcomtee->cpu_bufs);
	qcomtee->cpu_bufs = NULL;
}

/**
 * qcomtee_msgbuf_pooled() - Idle pooled pairs, for debugfs and tests
 * @qcomtee: the instance.
 *
 * Return: the pairs in the shared list and those the CPUs keep.
 */
unsigned int qcomtee_msgbuf_pooled(struct qcomtee *qcomtee)
{
	unsigned int n, cpu;

	spin_lock(&qcomtee->bufs_lock);
	n = qcomtee->num_free_bufs;
	spin_unlock(&qcomtee->bufs_lock);
	for_each_possible_cpu(cpu)
		n += !!READ_ONCE(*per_cpu_ptr(qcomtee->cpu_bufs, cpu));
	return n;
}

/**
 * qcomtee_msgbuf_pool_drain() - Free every idle pair
 * @qcomtee: the instance; its transport must still be usable.
 */
void qcomtee_msgbuf_pool_drain(struct qcomtee *qcomtee)
{
	struct qcomtee_msgbuf_pair *bufs, *tmp;
	unsigned int cpu;
	LIST_HEAD(list);

	/* No invocation is left to rearm it. */
	cancel_delayed_work_sync(&qcomtee->large_bufs_gc);
	qcomtee_msgbuf_large_free(qcomtee);

	spin_lock(&qcomtee->bufs_lock);
	list_splice_init(&qcomtee->free_bufs, &list);
	qcomtee->num_free_bufs = 0;
	spin_unlock(&qcomtee->bufs_lock);
	for_each_possible_cpu(cpu) {
		bufs = xchg(per_cpu_ptr(qcomtee->cpu_bufs, cpu), NULL);
		if (bufs)
			list_add(&bufs->node, &list);
	}

	list_for_each_entry_safe(bufs, tmp, &list, node)
		qcomtee_msgbuf_pair_free(qcomtee, bufs);
}
