/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The seam between the QTEE driver and whatever reaches QTEE.
 *
 * The qcomtee TEE backend binds to a platform device named "qcomtee" whose
 * platform data is a struct qcomtee_transport. Two providers exist: the
 * Qualcomm SCM driver (SMCINVOKE calls into the real secure world) and the
 * simulated QTEE used for testing. The backend never issues SMC calls itself.
 */
#ifndef __QCOM_TEE_TRANSPORT_H
#define __QCOM_TEE_TRANSPORT_H

#include <linux/types.h>

/* Name of the platform device (and driver) of the QTEE backend. */
#define QCOMTEE_TRANSPORT_DEVICE_NAME	"qcomtee"

/* Response type: QTEE wrote a callback request into the outbound buffer. */
#define QCOMTEE_RESPONSE_INBOUND_REQ_NEEDED	3

/**
 * struct qcomtee_transport_ops - calls that reach QTEE
 * @invoke: SMCINVOKE INVOKE. Hands QTEE the inbound buffer (a request) and
 *	the outbound buffer (for callback requests and async messages), both by
 *	physical address. Returns 0 when the call was serviced, with
 *	*@result and *@response_type set from the SMC return registers (a2,
 *	a1; the order of qcom_scm_qtee_invoke_smc()),
 *	or a negative errno for an SCM-level failure (the call was not
 *	serviced; -EBUSY and -EAGAIN mean it may be retried).
 * @callback_response: SMCINVOKE CB_RSP. Tells QTEE the callback request in
 *	the outbound buffer has been answered in place; same returns as @invoke.
 * @shm_bridge_create: register physically contiguous memory that QTEE may
 *	access (an SHM bridge); *@handle identifies it for deletion.
 * @shm_bridge_delete: deregister an SHM bridge.
 *
 * All calls may sleep. Buffers are physically contiguous, page aligned,
 * whole pages.
 */
struct qcomtee_transport_ops {
	int (*invoke)(void *priv, phys_addr_t inbound, size_t inbound_size,
		      phys_addr_t outbound, size_t outbound_size,
		      u64 *result, u64 *response_type);
	int (*callback_response)(void *priv, phys_addr_t outbound,
				 size_t outbound_size, u64 *result,
				 u64 *response_type);
	int (*shm_bridge_create)(void *priv, phys_addr_t paddr, size_t size,
				 u64 *handle);
	int (*shm_bridge_delete)(void *priv, u64 handle);
};

/**
 * struct qcomtee_transport - platform data of the "qcomtee" device
 * @ops: the calls.
 * @priv: provider's context, passed to every call.
 */
struct qcomtee_transport {
	const struct qcomtee_transport_ops *ops;
	void *priv;
};

#endif /* __QCOM_TEE_TRANSPORT_H */
