// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the shared memory pool.
 *
 * QTEE maps a memory object as one region, so every tee_shm is physically
 * contiguous, and on SoCs with SHM bridges it is registered as a bridge
 * for as long as it lives.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <linux/slab.h>

#include "qcomtee.h"

static int qcomtee_shm_register(struct tee_context *ctx, struct tee_shm *shm,
				struct page **pages, size_t num_pages,
				unsigned long start)
{
	struct qcomtee *qcomtee = tee_get_drvdata(ctx->teedev);
	const struct qcomtee_transport_ops *ops = qcomtee->transport.ops;

	if (!ops->shm_bridge_create)
		return 0;
	return ops->shm_bridge_create(qcomtee->transport.priv, shm->paddr,
				      shm->size, &shm->sec_world_id);
}

static int qcomtee_shm_unregister(struct tee_context *ctx,
				  struct tee_shm *shm)
{
	struct qcomtee *qcomtee = tee_get_drvdata(ctx->teedev);
	const struct qcomtee_transport_ops *ops = qcomtee->transport.ops;

	if (!ops->shm_bridge_delete)
		return 0;
	return ops->shm_bridge_delete(qcomtee->transport.priv,
				      shm->sec_world_id);
}

/* The largest memory object: one block of the page allocator. */
#define QCOMTEE_SHM_MAX_SIZE	(PAGE_SIZE << MAX_PAGE_ORDER)

static int qcomtee_pool_alloc(struct tee_shm_pool *pool, struct tee_shm *shm,
			      size_t size, size_t align)
{
	/*
	 * A memory object is one physically contiguous region (QTEE maps it
	 * with a single MAP_REGION). Larger sizes come from userspace and
	 * must fail cleanly rather than make the page allocator WARN.
	 */
	if (size > QCOMTEE_SHM_MAX_SIZE)
		return -ENOMEM;
	return tee_dyn_shm_alloc_helper(shm, size, align, qcomtee_shm_register);
}

static void qcomtee_pool_free(struct tee_shm_pool *pool, struct tee_shm *shm)
{
	tee_dyn_shm_free_helper(shm, qcomtee_shm_unregister);
}

static void qcomtee_pool_destroy(struct tee_shm_pool *pool)
{
	kfree(pool);
}

static const struct tee_shm_pool_ops qcomtee_pool_ops = {
	.alloc = qcomtee_pool_alloc,
	.free = qcomtee_pool_free,
	.destroy_pool = qcomtee_pool_destroy,
};

/**
 * qcomtee_shm_pool_alloc() - The shared memory pool of a QTEE device
 *
 * Return: a pool of physically contiguous buffers, each registered as an
 * SHM bridge when the transport has bridges, or ERR_PTR(-ENOMEM).
 */
struct tee_shm_pool *qcomtee_shm_pool_alloc(void)
{
	struct tee_shm_pool *pool;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return ERR_PTR(-ENOMEM);
	pool->ops = &qcomtee_pool_ops;
	return pool;
}
