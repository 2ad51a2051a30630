/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QTEE transport message format (see Documentation/tee/qtee.rst).
 *
 * Everything here is shared with QTEE and little endian; the driver only
 * builds for little-endian kernels, so fields are plain u32.
 */
#ifndef QCOMTEE_MSG_H
#define QCOMTEE_MSG_H

#include <linux/align.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/sizes.h>
#include <linux/types.h>

/* Object ids. */
#define QCOMTEE_MSG_OBJECT_NULL		0U
#define QCOMTEE_MSG_OBJECT_ROOT		1U
#define QCOMTEE_MSG_OBJECT_NS_BIT	BIT(31)
/* The kernel's permanent service object that QTEE may always invoke. */
#define QCOMTEE_MSG_OBJECT_PRIMORDIAL	QCOMTEE_MSG_OBJECT_NS_BIT

/* Ops: objects see the low 16 bits; two are valid on every object. */
#define QCOMTEE_MSG_OBJECT_OP_MASK	0xffffU
#define QCOMTEE_MSG_OBJECT_OP_RELEASE	0xffffU
#define QCOMTEE_MSG_OBJECT_OP_RETAIN	0xfffeU

/* ROOT object ops. */
#define QCOMTEE_ROOT_OP_REG_AS_CLIENT			2
#define QCOMTEE_ROOT_OP_REG_WITH_CREDENTIALS		5
#define QCOMTEE_ROOT_OP_NOTIFY_DOMAIN_CHANGE		4
#define QCOMTEE_ROOT_OP_ADCI_ACCEPT			8
#define QCOMTEE_ROOT_OP_ADCI_SHUTDOWN			9
/* Client env ops and the service the driver uses itself. */
#define QCOMTEE_CLIENT_ENV_OPEN				0
#define QCOMTEE_FEATURE_VER_UID				2033
#define QCOMTEE_DIAGNOSTICS_UID				143
#define QCOMTEE_APP_LOADER_UID				3
#define QCOMTEE_FEATURE_VER_OP_GET			0
#define QCOMTEE_FEATURE_VER_QTEE			10

/* Primordial object ops. */
#define QCOMTEE_PRIMORDIAL_OP_MAP_REGION		0
#define QCOMTEE_PRIMORDIAL_OP_YIELD			1
#define QCOMTEE_PRIMORDIAL_OP_SLEEP			2

/* At most this many arguments of one class: a count is 4 bits. */
#define QCOMTEE_MSG_ARGS_PER_CLASS	15
#define QCOMTEE_MSG_ARGS_MAX		(4 * QCOMTEE_MSG_ARGS_PER_CLASS)

/**
 * union qcomtee_msg_arg - one argument slot (8 bytes)
 * @b: a buffer argument: offset from the start of the message and size.
 * @b.offset: offset of the payload from the start of the message.
 * @b.size: size of the payload.
 * @o: an object argument: the object id.
 */
union qcomtee_msg_arg {
	struct {
		u32 offset;
		u32 size;
	} b;
	u32 o;
};

/**
 * struct qcomtee_msg_object_invoke - a direct invocation (inbound buffer)
 * @cxt: id of the QTEE object invoked.
 * @op: the operation.
 * @counts: argument counts, see qcomtee_msg_counts().
 * @args: @counts arguments ordered IB, OB, IO, OO.
 */
struct qcomtee_msg_object_invoke {
	u32 cxt;
	u32 op;
	u32 counts;
	union qcomtee_msg_arg args[];
};

/**
 * struct qcomtee_msg_callback - a callback request (outbound buffer)
 * @result: written by the kernel when it answers.
 * @cxt: id of the kernel-hosted object invoked.
 * @op: the operation.
 * @counts: argument counts, see qcomtee_msg_counts().
 * @args: @counts arguments ordered IB, OB, IO, OO.
 */
struct qcomtee_msg_callback {
	u32 result;
	u32 cxt;
	u32 op;
	u32 counts;
	union qcomtee_msg_arg args[];
};

static_assert(sizeof(union qcomtee_msg_arg) == 8);
static_assert(sizeof(struct qcomtee_msg_object_invoke) == 12);
static_assert(sizeof(struct qcomtee_msg_callback) == 16);

/* Packs the four 4-bit argument counts (callers bound each to 15). */
static inline u32 qcomtee_msg_counts(unsigned int ib, unsigned int ob,
				     unsigned int io, unsigned int oo)
{
	return ib | ob << 4 | io << 8 | oo << 12;
}

#define QCOMTEE_MSG_COUNTS_RESERVED	GENMASK(31, 16)
#define QCOMTEE_MSG_NUM_IB(c)		((c) & 0xf)
#define QCOMTEE_MSG_NUM_OB(c)		(((c) >> 4) & 0xf)
#define QCOMTEE_MSG_NUM_IO(c)		(((c) >> 8) & 0xf)
#define QCOMTEE_MSG_NUM_OO(c)		(((c) >> 12) & 0xf)

/* Total number of arguments in a counts word. */
static inline unsigned int qcomtee_msg_num_args(u32 counts)
{
	return QCOMTEE_MSG_NUM_IB(counts) + QCOMTEE_MSG_NUM_OB(counts) +
	       QCOMTEE_MSG_NUM_IO(counts) + QCOMTEE_MSG_NUM_OO(counts);
}

/* Payloads start 8-byte aligned after the argument array. */
#define QCOMTEE_MSG_ALIGN(x)		ALIGN((x), 8)

/* QTEE result codes (signed 32-bit). */
#define QCOMTEE_MSG_OK			0
#define QCOMTEE_MSG_ERROR		1
#define QCOMTEE_MSG_ERROR_INVALID	2
#define QCOMTEE_MSG_ERROR_SIZE_IN	3
#define QCOMTEE_MSG_ERROR_SIZE_OUT	4
#define QCOMTEE_MSG_ERROR_MEM		5
#define QCOMTEE_MSG_ERROR_USERBASE	10
#define QCOMTEE_MSG_ERROR_DEFUNCT	(-90)
#define QCOMTEE_MSG_ERROR_ABORT		(-91)
#define QCOMTEE_MSG_ERROR_BADOBJ	(-92)
#define QCOMTEE_MSG_ERROR_NOSLOTS	(-93)
#define QCOMTEE_MSG_ERROR_MAXARGS	(-94)
#define QCOMTEE_MSG_ERROR_MAXDATA	(-95)
#define QCOMTEE_MSG_ERROR_UNAVAIL	(-96)
#define QCOMTEE_MSG_ERROR_KMEM		(-97)
#define QCOMTEE_MSG_ERROR_REMOTE	(-98)
#define QCOMTEE_MSG_ERROR_BUSY		(-99)
#define QCOMTEE_MSG_ERROR_TIMEOUT	(-103)

/* Async messages in the outbound buffer's free tail. */
#define QCOMTEE_ASYNC_VERSION_1_2	0x00010002U
#define QCOMTEE_ASYNC_VERSION_MAJOR(v)	((v) >> 16)
#define QCOMTEE_ASYNC_OP_RELEASE	QCOMTEE_MSG_OBJECT_OP_RELEASE

/**
 * struct qcomtee_async_msg_hdr - header of an async message
 * @version: protocol version, major << 16 | minor; 0 ends the list.
 * @op: the message type.
 */
struct qcomtee_async_msg_hdr {
	u32 version;
	u32 op;
};

/**
 * struct qcomtee_async_release_msg - release kernel-hosted objects
 * @hdr: header, @hdr.op is QCOMTEE_ASYNC_OP_RELEASE.
 * @count: number of ids that follow.
 * @ids: one reference to drop for each id.
 */
struct qcomtee_async_release_msg {
	struct qcomtee_async_msg_hdr hdr;
	u32 count;
	u32 ids[];
};

/* Buffer sizes: outbound is fixed, inbound grows with the payloads. */
#define QCOMTEE_MSG_OUTBOUND_SIZE	SZ_4K
#define QCOMTEE_MSG_INBOUND_MAX		SZ_4M

/* QTEE version layout reported by the feature-versions service. */
#define QCOMTEE_VERSION_MAJOR(v)	(((v) >> 22) & 0xff)
#define QCOMTEE_VERSION_MINOR(v)	(((v) >> 12) & 0xff)
#define QCOMTEE_VERSION_PATCH(v)	((v) & 0xfff)

#endif /* QCOMTEE_MSG_H */
