// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: QTEE services on the TEE bus.
 *
 * Kernel drivers bind to QTEE services the way OP-TEE clients bind to
 * trusted applications: by UUID, as tee_client_driver on the TEE bus. QTEE
 * names services by 32-bit UIDs, so each service the firmware offers gets
 * a device whose UUID is derived from its UID (see qcomtee_service_uuid()).
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/slab.h>

#include "qcomtee.h"

/* Services offered to kernel drivers, if QTEE opens them. */
static const u32 qcomtee_bus_uids[] = {
	QCOMTEE_DIAGNOSTICS_UID,
	QCOMTEE_FEATURE_VER_UID,
	QCOMTEE_APP_LOADER_UID,
};

/**
 * qcomtee_service_uuid() - The TEE bus UUID of a QTEE service
 * @uid: the service's QTEE UID.
 * @uuid: 51544545-5356-8000-8000-0000XXXXXXXX where XXXXXXXX is @uid in
 *	hex: "QTEE" "SV", an RFC 9562 version 8 (vendor-specific) UUID.
 */
void qcomtee_service_uuid(u32 uid, uuid_t *uuid)
{
	*uuid = UUID_INIT(0x51544545, 0x5356, 0x8000, 0x80, 0x00, 0x00, 0x00,
			  uid >> 24, uid >> 16, uid >> 8, uid);
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_service_uuid);

static void qcomtee_bus_release(struct device *dev)
{
	kfree(to_tee_client_device(dev));
}

static int qcomtee_bus_add(struct qcomtee *qcomtee, u32 uid)
{
	struct tee_client_device *tdev;
	int err;

	tdev = kzalloc(sizeof(*tdev), GFP_KERNEL);
	if (!tdev)
		return -ENOMEM;

	tdev->dev.parent = &qcomtee->teedev->dev;
	tdev->dev.bus = &tee_bus_type;
	tdev->dev.release = qcomtee_bus_release;
	qcomtee_service_uuid(uid, &tdev->id.uuid);
	err = dev_set_name(&tdev->dev, "%s-svc-%u",
			   dev_name(&qcomtee->teedev->dev), uid);
	if (err) {
		kfree(tdev);
		return err;
	}

	err = device_register(&tdev->dev);
	if (err) {
		put_device(&tdev->dev);
		return err;
	}
	qcomtee->bus_devs[qcomtee->num_bus_devs++] = tdev;
	return 0;
}

/* Does QTEE open the service for a privileged client? */
static bool qcomtee_service_available(struct qcomtee *qcomtee,
				      struct qcomtee_object *env, u32 uid)
{
	struct qcomtee_object *service;

	if (qcomtee_service_open(qcomtee, env, uid, &service))
		return false;
	qcomtee_object_put(service);
	return true;
}

/**
 * qcomtee_bus_register() - Register the services QTEE offers on the TEE bus
 * @qcomtee: the instance, its TEE device registered.
 *
 * A service QTEE does not open is not registered; failing to register one
 * only costs that device.
 */
void qcomtee_bus_register(struct qcomtee *qcomtee)
{
	struct qcomtee_object *env;
	unsigned int i;
	int err;

	if (qcomtee_client_env(qcomtee, &env))
		return;

	for (i = 0; i < ARRAY_SIZE(qcomtee_bus_uids); i++) {
		if (!qcomtee_service_available(qcomtee, env,
					       qcomtee_bus_uids[i]))
			continue;
		err = qcomtee_bus_add(qcomtee, qcomtee_bus_uids[i]);
		if (err)
			dev_warn(qcomtee->dev, "service %u not registered: %d\n",
				 qcomtee_bus_uids[i], err);
	}
	qcomtee_object_put(env);
}

/**
 * qcomtee_bus_unregister() - Remove the service devices
 * @qcomtee: the instance; drivers bound to its services are unbound.
 */
void qcomtee_bus_unregister(struct qcomtee *qcomtee)
{
	while (qcomtee->num_bus_devs)
		device_unregister(&qcomtee->bus_devs[--qcomtee->num_bus_devs]->dev);
}
