// SPDX-License-Identifier: GPL-2.0-only
/*
 * QTEE diagnostics: a kernel client of the QTEE diagnostics service.
 *
 * Binds on the TEE bus to the diagnostics service (UID 143) and exposes
 * QTEE's heap statistics and QTEE's version in sysfs, next to the device:
 *
 *   /sys/bus/tee/devices/<tee>-svc-143/heap_info
 *   /sys/bus/tee/devices/<tee>-svc-143/qtee_version
 *
 * It only uses the kernel client API: a context on the device's TEE, a
 * privileged client env (ROOT op 5 with NULL credentials, which only the
 * kernel may ask for) and object invocations by handle.
 */

#include <linux/device.h>
#include <linux/firmware/qcom/qcomtee.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/tee_drv.h>

#define DIAG_UID		143
#define FEATURE_VER_UID		2033
#define FEATURE_QTEE_VERSION	10
#define ROOT_OP_REG_WITH_CREDS	5
#define ENV_OP_OPEN		0
#define DIAG_OP_HEAP_INFO	0
#define FEATURE_OP_GET		0
#define OP_RELEASE		0xffff

/**
 * struct qcomtee_diag - a bound diagnostics service
 * @ctx: the context on the service's TEE.
 * @service: handle of the diagnostics service.
 * @version: QTEE version from the feature-versions service.
 * @lock: serialises invocations of @service.
 */
struct qcomtee_diag {
	struct tee_context *ctx;
	u64 service;
	u32 version;
	struct mutex lock; /* serialises invocations of service */
};

struct qcomtee_diag_call {
	struct tee_ioctl_object_invoke_arg arg;
	struct tee_param params[2];
};

static int qcomtee_diag_invoke(struct tee_context *ctx,
			       struct qcomtee_diag_call *call, u64 id, u32 op,
			       u32 num_params)
{
	int err;

	call->arg.id = id;
	call->arg.op = op;
	call->arg.num_params = num_params;
	call->arg.ret = 0;
	err = tee_client_object_invoke_func(ctx, &call->arg, call->params);
	if (err)
		return err;
	return call->arg.ret ? -EIO : 0;
}

static void qcomtee_diag_release(struct tee_context *ctx, u64 handle)
{
	struct qcomtee_diag_call call = { };

	qcomtee_diag_invoke(ctx, &call, handle, OP_RELEASE, 0);
}

/* Opens service @uid from a privileged env; returns its handle. */
static int qcomtee_diag_open(struct tee_context *ctx, u32 uid, u64 *service)
{
	struct qcomtee_diag_call call = { };
	u64 env;
	int err;

	call.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_INPUT;
	call.params[0].u.objref.id = TEE_OBJREF_NULL;
	call.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT;
	err = qcomtee_diag_invoke(ctx, &call, TEE_OBJREF_NULL,
				  ROOT_OP_REG_WITH_CREDS, 2);
	if (err)
		return err;
	env = call.params[1].u.objref.id;

	memset(&call, 0, sizeof(call));
	call.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	call.params[0].u.ubuf.kaddr = &uid;
	call.params[0].u.ubuf.size = sizeof(uid);
	call.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_OBJREF_OUTPUT;
	err = qcomtee_diag_invoke(ctx, &call, env, ENV_OP_OPEN, 2);
	qcomtee_diag_release(ctx, env);
	if (!err)
		*service = call.params[1].u.objref.id;
	return err;
}

static int qcomtee_diag_read_version(struct tee_context *ctx, u32 *version)
{
	struct qcomtee_diag_call call = { };
	u32 feature = FEATURE_QTEE_VERSION;
	u64 service;
	int err;

	err = qcomtee_diag_open(ctx, FEATURE_VER_UID, &service);
	if (err)
		return err;

	call.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_INPUT;
	call.params[0].u.ubuf.kaddr = &feature;
	call.params[0].u.ubuf.size = sizeof(feature);
	call.params[1].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT;
	call.params[1].u.ubuf.kaddr = version;
	call.params[1].u.ubuf.size = sizeof(*version);
	err = qcomtee_diag_invoke(ctx, &call, service, FEATURE_OP_GET, 2);
	qcomtee_diag_release(ctx, service);
	return err;
}

static ssize_t heap_info_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct qcomtee_diag *diag = dev_get_drvdata(dev);
	struct qcomtee_diag_call call = { };
	u32 heap[6];
	int err;

	call.params[0].attr = TEE_IOCTL_PARAM_ATTR_TYPE_UBUF_OUTPUT;
	call.params[0].u.ubuf.kaddr = heap;
	call.params[0].u.ubuf.size = sizeof(heap);
	mutex_lock(&diag->lock);
	err = qcomtee_diag_invoke(diag->ctx, &call, diag->service,
				  DIAG_OP_HEAP_INFO, 1);
	mutex_unlock(&diag->lock);
	if (err)
		return err;
	if (call.params[0].u.ubuf.size != sizeof(heap))
		return -EIO;

	return sysfs_emit(buf,
			  "total %u used %u free %u overhead %u wasted %u largest_free %u\n",
			  heap[0], heap[1], heap[2], heap[3], heap[4], heap[5]);
}
static DEVICE_ATTR_RO(heap_info);

static ssize_t qtee_version_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct qcomtee_diag *diag = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%u.%u.%u\n", (diag->version >> 22) & 0xff,
			  (diag->version >> 12) & 0xff, diag->version & 0xfff);
}
static DEVICE_ATTR_RO(qtee_version);

static struct attribute *qcomtee_diag_attrs[] = {
	&dev_attr_heap_info.attr,
	&dev_attr_qtee_version.attr,
	NULL
};
ATTRIBUTE_GROUPS(qcomtee_diag);

static int qcomtee_diag_probe(struct device *dev)
{
	struct tee_client_device *tdev = to_tee_client_device(dev);
	struct qcomtee_diag *diag;
	int err;

	diag = devm_kzalloc(dev, sizeof(*diag), GFP_KERNEL);
	if (!diag)
		return -ENOMEM;

	mutex_init(&diag->lock);
	diag->ctx = tee_client_device_open_context(tdev);
	if (IS_ERR(diag->ctx))
		return PTR_ERR(diag->ctx);

	err = qcomtee_diag_read_version(diag->ctx, &diag->version);
	if (!err)
		err = qcomtee_diag_open(diag->ctx, DIAG_UID, &diag->service);
	if (err) {
		tee_client_close_context(diag->ctx);
		return err;
	}

	dev_set_drvdata(dev, diag);
	return 0;
}

static int qcomtee_diag_remove(struct device *dev)
{
	struct qcomtee_diag *diag = dev_get_drvdata(dev);

	qcomtee_diag_release(diag->ctx, diag->service);
	tee_client_close_context(diag->ctx);
	mutex_destroy(&diag->lock);
	return 0;
}

static const struct tee_client_device_id qcomtee_diag_ids[] = {
	/* qcomtee_service_uuid(143) */
	{ UUID_INIT(0x51544545, 0x5356, 0x8000, 0x80, 0x00, 0x00, 0x00,
		    0x00, 0x00, 0x00, DIAG_UID) },
	{ }
};
MODULE_DEVICE_TABLE(tee, qcomtee_diag_ids);

static struct tee_client_driver qcomtee_diag_driver = {
	.id_table = qcomtee_diag_ids,
	.driver = {
		.name = "qcomtee-diag",
		.bus = &tee_bus_type,
		.probe = qcomtee_diag_probe,
		.remove = qcomtee_diag_remove,
		.dev_groups = qcomtee_diag_groups,
	},
};

static int __init qcomtee_diag_init(void)
{
	return driver_register(&qcomtee_diag_driver.driver);
}
module_init(qcomtee_diag_init);

static void __exit qcomtee_diag_exit(void)
{
	driver_unregister(&qcomtee_diag_driver.driver);
}
module_exit(qcomtee_diag_exit);

MODULE_AUTHOR("qcomtee developers");
MODULE_DESCRIPTION("QTEE diagnostics through the TEE bus");
MODULE_LICENSE("GPL");
