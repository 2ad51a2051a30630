// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm TEE backend: asynchronous messages from QTEE.
 *
 * QTEE piggybacks releases of kernel-hosted objects on the free tail of
 * the outbound buffer instead of calling back for each. Everything in that
 * area comes from the other world: each value is read once and every count
 * is bounded by the space really there.
 */

#define pr_fmt(fmt) "qcomtee: " fmt

#include <kunit/visibility.h>
#include <linux/string.h>

#include "qcomtee.h"

/**
 * qcomtee_async_process() - Handle async messages QTEE left for the kernel
 * @qcomtee: the instance.
 * @area: the async area of an outbound buffer.
 * @size: its size.
 *
 * Processes RELEASE messages until the end marker (version 0), an unknown
 * major version or op, or the end of the area; every count is bounded by
 * the space really there. What was read is zeroed afterwards, so the same
 * messages are never seen twice: the messages and the end marker, or the
 * whole area after a malformed message (whose extent is unknown). The rest
 * of the area is left as it is, zero unless QTEE wrote past its end marker,
 * so an invocation without messages clears 8 bytes, not the whole buffer.
 *
 * Return: the number of messages processed.
 */
size_t qcomtee_async_process(struct qcomtee *qcomtee, void *area, size_t size)
{
	size_t pos = 0, processed = 0;

	while (size - pos >= sizeof(struct qcomtee_async_msg_hdr)) {
		struct qcomtee_async_release_msg *rel = area + pos;
		u32 version = READ_ONCE(rel->hdr.version);
		u32 i, count, max;

		if (!version)
			break;

		if (QCOMTEE_ASYNC_VERSION_MAJOR(version) != 1 ||
		    READ_ONCE(rel->hdr.op) != QCOMTEE_ASYNC_OP_RELEASE ||
		    size - pos < sizeof(*rel)) {
			atomic_inc(&qcomtee->stats.async_bad);
			pos = size;
			break;
		}

		count = READ_ONCE(rel->count);
		max = (size - pos - sizeof(*rel)) / sizeof(u32);
		if (count > max) {
			atomic_inc(&qcomtee->stats.async_bad);
			count = max;
		}

		for (i = 0; i < count; i++) {
			u32 id = READ_ONCE(rel->ids[i]);

			if (!(id & QCOMTEE_MSG_OBJECT_NS_BIT) ||
			    qcomtee_object_ns_release(qcomtee, id)) {
				atomic_inc(&qcomtee->stats.async_bad);
				pr_debug("async release of unknown id %#x\n",
					 id);
			}
		}
		processed++;
		pos = QCOMTEE_MSG_ALIGN(pos + sizeof(*rel) + count * sizeof(u32));
		if (pos > size)
			break;
	}

	memset(area, 0, min(size, pos + sizeof(struct qcomtee_async_msg_hdr)));
	return processed;
}
EXPORT_SYMBOL_IF_KUNIT(qcomtee_async_process);
