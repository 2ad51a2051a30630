// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: buffers shared with QTEE for messages.
 *
 * Every invocation needs an inbound and an outbound buffer that are
 * physically contiguous, page aligned and registered with QTEE as an SHM
 * bridge. Allocating and registering them costs a page allocation and two
 * SCM calls per buffer, so pairs are kept in a small pool and reused:
 * an invocation whose request fits the pooled inbound size (most do) costs
 * no allocation and no bridge call. Larger requests (e.g. an app image)
 * get a pair of their own, freed afterwards.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <linux/mm.h>
#include <linux/slab.h>

#include "qcomtee.h"

/* Requests up to this size use pooled buffers. */
#define QCOMTEE_MSGBUF_POOLED_INBOUND	SZ_16K
/* Idle pairs kept; more are freed when returned. */
#define QCOMTEE_MSGBUF_POOL_MAX		16

static int qcomtee_msgbuf_alloc(struct qcomtee *qcomtee,
				struct qcomtee_msgbuf *buf, size_t size)
{
	const struct qcomtee_transport_ops *ops = qcomtee->transport.ops;
	int err;

	buf->size = PAGE_ALIGN(size);
	buf->addr = alloc_pages_exact(buf->size, GFP_KERNEL | __GFP_ZERO);
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
	struct qcomtee_msgbuf_pair *bufs = NULL;

	if (inbound_size <= QCOMTEE_MSGBUF_POOLED_INBOUND) {
		spin_lock(&qcomtee->bufs_lock);
		bufs = list_first_entry_or_null(&qcomtee->free_bufs,
						struct qcomtee_msgbuf_pair,
						node);
		if (bufs) {
			list_del(&bufs->node);
			qcomtee->num_free_bufs--;
		}
		spin_unlock(&qcomtee->bufs_lock);
	}

	if (!bufs)
		bufs = qcomtee_msgbuf_pair_alloc(qcomtee, inbound_size);
	if (bufs) {
		bufs->inbound_used = inbound_size;
		bufs->outbound_clean = false;
	}
	return bufs;
}

/**
 * qcomtee_msgbuf_put() - Return the buffers of an invocation
 * @qcomtee: the instance.
 * @bufs: the buffers; cleared for reuse or freed.
 */
void qcomtee_msgbuf_put(struct qcomtee *qcomtee,
			struct qcomtee_msgbuf_pair *bufs)
{
	if (bufs->pooled && !READ_ONCE(qcomtee->dead)) {
		/* QTEE expects zeroes where nothing was written. */
		memset(bufs->inbound.addr, 0, bufs->inbound_used);
		if (!bufs->outbound_clean)
			memset(bufs->outbound.addr, 0, bufs->outbound.size);

		spin_lock(&qcomtee->bufs_lock);
		if (qcomtee->num_free_bufs < QCOMTEE_MSGBUF_POOL_MAX) {
			list_add(&bufs->node, &qcomtee->free_bufs);
			qcomtee->num_free_bufs++;
			bufs = NULL;
		}
		spin_unlock(&qcomtee->bufs_lock);
	}

	if (bufs)
		qcomtee_msgbuf_pair_free(qcomtee, bufs);
}

/**
 * qcomtee_msgbuf_pool_drain() - Free every idle pair
 * @qcomtee: the instance; its transport must still be usable.
 */
void qcomtee_msgbuf_pool_drain(struct qcomtee *qcomtee)
{
	struct qcomtee_msgbuf_pair *bufs, *tmp;
	LIST_HEAD(list);

	spin_lock(&qcomtee->bufs_lock);
	list_splice_init(&qcomtee->free_bufs, &list);
	qcomtee->num_free_bufs = 0;
	spin_unlock(&qcomtee->bufs_lock);

	list_for_each_entry_safe(bufs, tmp, &list, node)
		qcomtee_msgbuf_pair_free(qcomtee, bufs);
}
