// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: the QTEE services the driver uses itself.
 *
 * A privileged client env for kernel users (probe and the TEE bus), the
 * services opened from it, and QTEE's version read at probe.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include "qcomtee.h"

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

/**
 * qcomtee_read_version() - Learn QTEE's version at probe
 * @qcomtee: a new instance whose TEE device is allocated.
 *
 * Sets @qcomtee->qtee_version (0 if QTEE does not tell) and logs it.
 */
void qcomtee_read_version(struct qcomtee *qcomtee)
{
	int err;

	err = qcomtee_query_version(qcomtee, &qcomtee->qtee_version);
	if (err) {
		qcomtee->qtee_version = 0;
		dev_warn(qcomtee->dev, "QTEE version unknown: %d\n", err);
		return;
	}
	dev_info(qcomtee->dev, "QTEE version %u.%u.%u\n",
		 QCOMTEE_VERSION_MAJOR(qcomtee->qtee_version),
		 QCOMTEE_VERSION_MINOR(qcomtee->qtee_version),
		 QCOMTEE_VERSION_PATCH(qcomtee->qtee_version));
}
