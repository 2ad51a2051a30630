// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the platform driver.
 *
 * Binds to a "qcomtee" platform device whose platform data is the
 * transport to QTEE (the SCM driver's or the simulator's), asks QTEE for
 * its version and registers the TEE device.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "qcomtee.h"
#include "qcomtee_call.h"

static const struct tee_desc qcomtee_desc = {
	.name = "qcomtee",
	.ops = &qcomtee_tee_ops,
	.owner = THIS_MODULE,
};

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

/* Shared memory is physically contiguous and registered as a bridge. */
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
 * qcomtee_client_env() - A privileged client env for the kernel
 * @qcomtee: the instance.
 * @env: the env: ROOT op 5 with NULL credentials.
 *
 * Return: 0, -EIO if QTEE refused, or the invocation's error.
 */
int qcomtee_client_env(struct qcomtee *qcomtee, struct qcomtee_object **env)
{
	struct qcomtee_arg args[3] = {
		{ .type = QCOMTEE_ARG_TYPE_IO, .o = NULL },
		{ .type = QCOMTEE_ARG_TYPE_OO },
	};
	int err;

	err = qcomtee_kernel_invoke(qcomtee, qcomtee_root(qcomtee),
				    QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS, args);
	if (!err)
		*env = args[1].o;
	return err;
}

/**
 * qcomtee_service_open() - Open a QTEE service
 * @qcomtee: the instance.
 * @env: a client env.
 * @uid: the service's UID.
 * @service: the service object.
 *
 * Return: 0, -EIO if QTEE refused, or the invocation's error.
 */
int qcomtee_service_open(struct qcomtee *qcomtee, struct qcomtee_object *env,
			 u32 uid, struct qcomtee_object **service)
{
	struct qcomtee_arg args[3] = {
		{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = &uid,
						      .size = sizeof(uid) } },
		{ .type = QCOMTEE_ARG_TYPE_OO },
	};
	int err;

	err = qcomtee_kernel_invoke(qcomtee, env, QCOMTEE_CLIENT_ENV_OPEN,
				    args);
	if (!err)
		*service = args[1].o;
	return err;
}

/* Asks the feature-versions service for QTEE's version. */
static int qcomtee_query_version(struct qcomtee *qcomtee, u32 *version)
{
	struct qcomtee_object *env, *service;
	u32 feature = QCOMTEE_FEATURE_VER_QTEE;
	struct qcomtee_arg args[3] = {
		{ .type = QCOMTEE_ARG_TYPE_IB, .b = { .addr = &feature,
						      .size = sizeof(feature) } },
		{ .type = QCOMTEE_ARG_TYPE_OB, .b = { .addr = version,
						      .size = sizeof(*version) } },
	};
	int err;

	err = qcomtee_client_env(qcomtee, &env);
	if (err)
		return err;

	err = qcomtee_service_open(qcomtee, env, QCOMTEE_FEATURE_VER_UID,
				   &service);
	qcomtee_object_put(env);
	if (err)
		return err;

	err = qcomtee_kernel_invoke(qcomtee, service,
				    QCOMTEE_FEATURE_VER_OP_GET, args);
	qcomtee_object_put(service);
	if (!err && args[1].b.size != sizeof(*version))
		err = -EIO;
	return err;
}

static int qcomtee_probe(struct platform_device *pdev)
{
	const struct qcomtee_transport *transport = dev_get_platdata(&pdev->dev);
	struct tee_shm_pool *pool;
	struct qcomtee *qcomtee;
	int err;

	if (!transport || !transport->ops || !transport->ops->invoke ||
	    !transport->ops->callback_response)
		return -EINVAL;

	qcomtee = kzalloc(sizeof(*qcomtee), GFP_KERNEL);
	if (!qcomtee)
		return -ENOMEM;

	qcomtee->dev = &pdev->dev;
	qcomtee->transport = *transport;
	kref_init(&qcomtee->refcount);
	atomic_set(&qcomtee->inflight, 0);
	init_waitqueue_head(&qcomtee->inflight_wq);
	xa_init_flags(&qcomtee->ns_ids, XA_FLAGS_ALLOC);
	qcomtee_msgbuf_pool_init(qcomtee);
	qcomtee_primordial_init(qcomtee);
	qcomtee_orphans_init(qcomtee);

	qcomtee->release_wq = qcomtee_release_wq;

	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool) {
		err = -ENOMEM;
		goto err_put;
	}
	pool->ops = &qcomtee_pool_ops;

	qcomtee->teedev = tee_device_alloc(&qcomtee_desc, &pdev->dev, pool,
					   qcomtee);
	if (IS_ERR(qcomtee->teedev)) {
		err = PTR_ERR(qcomtee->teedev);
		kfree(pool);
		goto err_put;
	}

	err = qcomtee_query_version(qcomtee, &qcomtee->qtee_version);
	if (err)
		dev_warn(&pdev->dev, "QTEE version unknown: %d\n", err);
	else
		dev_info(&pdev->dev, "QTEE version %u.%u.%u\n",
			 QCOMTEE_VERSION_MAJOR(qcomtee->qtee_version),
			 QCOMTEE_VERSION_MINOR(qcomtee->qtee_version),
			 QCOMTEE_VERSION_PATCH(qcomtee->qtee_version));

	err = tee_device_register(qcomtee->teedev);
	if (err)
		goto err_unregister;

	platform_set_drvdata(pdev, qcomtee);
	qcomtee_debugfs_init(qcomtee);
	qcomtee_bus_register(qcomtee);
	return 0;

err_unregister:
	tee_device_unregister(qcomtee->teedev);
	tee_shm_pool_free(pool);
	WRITE_ONCE(qcomtee->dead, true);
	qcomtee_release_flush(qcomtee);
	qcomtee_msgbuf_pool_drain(qcomtee);
err_put:
	qcomtee_put(qcomtee);
	return err;
}

static void qcomtee_remove(struct platform_device *pdev)
{
	struct qcomtee *qcomtee = platform_get_drvdata(pdev);
	struct tee_shm_pool *pool = qcomtee->teedev->pool;

	/* Kernel clients unbind and close their contexts first. */
	qcomtee_bus_unregister(qcomtee);
	qcomtee_debugfs_exit(qcomtee);

	/* Releases already queued still reach QTEE. */
	qcomtee_release_flush(qcomtee);

	/* No new world switches; wait for those in flight. */
	WRITE_ONCE(qcomtee->dead, true);
	/* Pairs with qcomtee_enter(): either it sees dead or we see it. */
	smp_mb();
	wait_event(qcomtee->inflight_wq, !atomic_read(&qcomtee->inflight));
	qcomtee_release_flush(qcomtee);

	/* QTEE is gone and will never release what it held. */
	qcomtee_ns_release_all(qcomtee);
	qcomtee_msgbuf_pool_drain(qcomtee);

	/* Waits for the clients to close their files. */
	tee_device_unregister(qcomtee->teedev);
	tee_shm_pool_free(pool);
	qcomtee_put(qcomtee);
}

static struct platform_driver qcomtee_platform_driver = {
	.probe = qcomtee_probe,
	.remove = qcomtee_remove,
	.driver = {
		.name = QCOMTEE_TRANSPORT_DEVICE_NAME,
	},
};

struct workqueue_struct *qcomtee_release_wq;

static int __init qcomtee_module_init(void)
{
	int err;

	qcomtee_release_wq = alloc_workqueue("qcomtee-release", WQ_UNBOUND, 0);
	if (!qcomtee_release_wq)
		return -ENOMEM;

	err = platform_driver_register(&qcomtee_platform_driver);
	if (err)
		destroy_workqueue(qcomtee_release_wq);
	return err;
}
module_init(qcomtee_module_init);

static void __exit qcomtee_module_exit(void)
{
	platform_driver_unregister(&qcomtee_platform_driver);
	/*
	 * Objects may outlive their device: their release work, queued after
	 * qcomtee_remove(), runs before the module text goes away.
	 */
	destroy_workqueue(qcomtee_release_wq);
}
module_exit(qcomtee_module_exit);

MODULE_AUTHOR("qcomtee developers");
MODULE_DESCRIPTION("Qualcomm TEE (QTEE) driver");
MODULE_LICENSE("GPL");
MODULE_ALIAS("platform:" QCOMTEE_TRANSPORT_DEVICE_NAME);
