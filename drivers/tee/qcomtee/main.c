// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the platform driver.
 *
 * Binds to a "qcomtee" platform device whose platform data is the
 * transport to QTEE (the SCM driver's or the simulator's), asks QTEE for
 * its version and registers the TEE device; on removal waits for the
 * world switches in flight and drops what QTEE held.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
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

/* A new instance, its first reference owned by the caller. */
static struct qcomtee *qcomtee_alloc(struct device *dev,
				     const struct qcomtee_transport *transport)
{
	struct qcomtee *qcomtee;

	qcomtee = kzalloc(sizeof(*qcomtee), GFP_KERNEL);
	if (!qcomtee)
		return NULL;

	qcomtee->dev = dev;
	qcomtee->transport = *transport;
	kref_init(&qcomtee->refcount);
	if (percpu_counter_init(&qcomtee->inflight, 0, GFP_KERNEL)) {
		kfree(qcomtee);
		return NULL;
	}
	init_waitqueue_head(&qcomtee->inflight_wq);
	if (qcomtee_ns_ids_init(qcomtee)) {
		percpu_counter_destroy(&qcomtee->inflight);
		kfree(qcomtee);
		return NULL;
	}
	if (qcomtee_msgbuf_pool_init(qcomtee)) {
		/* The instance's release frees what is set up by now. */
		qcomtee_put(qcomtee);
		return NULL;
	}
	qcomtee_primordial_init(qcomtee);
	qcomtee_orphans_init(qcomtee);
	qcomtee->release_wq = qcomtee_release_wq;
	return qcomtee;
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

	qcomtee = qcomtee_alloc(&pdev->dev, transport);
	if (!qcomtee)
		return -ENOMEM;

	pool = qcomtee_shm_pool_alloc();
	if (IS_ERR(pool)) {
		err = PTR_ERR(pool);
		goto err_put;
	}

	qcomtee->teedev = tee_device_alloc(&qcomtee_desc, &pdev->dev, pool,
					   qcomtee);
	if (IS_ERR(qcomtee->teedev)) {
		err = PTR_ERR(qcomtee->teedev);
		kfree(pool);
		goto err_put;
	}

	qcomtee_read_version(qcomtee);

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
	wait_event(qcomtee->inflight_wq,
		   !percpu_counter_sum(&qcomtee->inflight));
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
EXPORT_SYMBOL_IF_KUNIT(qcomtee_release_wq);

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
