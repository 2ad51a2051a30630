/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated QTEE: the QTEE model both hosts build.
 *
 * Everything declared here is host-independent: the wire values of the
 * protocol, the credentials parser (cbor.c), the TA image checks (elf.c),
 * the secure heap's accounting (heap.c) and fault injection (faults.c).
 * These files include only this header, which includes only host.h, so
 * the kernel's simulator and the EL3 test firmware compile the very same
 * files (see host.h for what each host provides).
 */
#ifndef __QCOMTEE_SIM_MODEL_H
#define __QCOMTEE_SIM_MODEL_H

#include "host.h"
#include "qcomtee_sim_fault.h"

/* QTEE result codes (the values of qcomtee_msg.h; see qtee.rst). */
#define QSIM_OK			0
#define QSIM_ERROR		1
#define QSIM_INVALID		2
#define QSIM_SIZE_IN		3
#define QSIM_SIZE_OUT		4
#define QSIM_MEM		5
#define QSIM_DEFUNCT		(-90)
#define QSIM_ABORT		(-91)
#define QSIM_BADOBJ		(-92)
#define QSIM_NOSLOTS		(-93)
#define QSIM_MAXARGS		(-94)
#define QSIM_MAXDATA		(-95)
#define QSIM_UNAVAIL		(-96)

/* Object ids and reserved ops. */
#define QSIM_ID_NULL		0u
#define QSIM_ID_ROOT		1u
#define QSIM_NS_BIT		0x80000000u
#define QSIM_ID_PRIMORDIAL	0x80000000u
#define QSIM_OP_RELEASE		0xffffu
#define QSIM_OP_RETAIN		0xfffeu

/*
 * An op whose low 16 bits are RELEASE or RETAIN is the object layer's, not
 * the object's: a TA cannot send one as an ordinary call. [I] Real QTEE
 * counts a TA's retain and release of a remote object itself and tells
 * the kernel only with async releases; forwarding such an op would make
 * the kernel count a reference QTEE does not know about.
 */
static inline bool qsim_op_reserved(u32 op)
{
	return (op & 0xffff) >= QSIM_OP_RETAIN;
}

#define QSIM_OP_MASK		0xffffu

/* Primordial object ops. */
#define QSIM_PRIM_MAP_REGION	0
#define QSIM_MAP_INFO_SIZE	20
#define QSIM_PERM_READ		2
#define QSIM_PERM_WRITE		4

/* Message layout. */
#define QSIM_MAX_ARGS_CLASS	15
#define QSIM_IN_HDR		12
#define QSIM_CB_HDR		16
#define QSIM_ARG_SIZE		8
#define QSIM_MAX_BUF_SIZE	(4u << 20)

/* Async messages. */
#define QSIM_ASYNC_VERSION	0x00010002u
#define QSIM_ASYNC_HDR		8
#define QSIM_ASYNC_MAX_IDS	32

/* Response types returned in a1. */
#define QSIM_RESP_DONE		0

#define qsim_id_is_ns(id)	(((id) & QSIM_NS_BIT) != 0)

/* Little-endian accessors for unaligned wire fields. */
static inline u32 qsim_get32(const void *base, size_t off)
{
	return get_unaligned_le32((const u8 *)base + off);
}

static inline void qsim_put32(void *base, size_t off, u32 v)
{
	put_unaligned_le32(v, (u8 *)base + off);
}

/**
 * struct qsim_heap - accounting of the simulated secure heap
 * @lock: protects the counters.
 * @total: heap size.
 * @used: bytes requested by live allocations.
 * @overhead: allocation headers.
 * @wasted: rounding slack.
 * @count: live allocations.
 */
struct qsim_heap {
	qsim_spinlock_t lock;	/* see kernel-doc */
	size_t total;
	size_t used;
	size_t overhead;
	size_t wasted;
	unsigned long count;
};

/**
 * struct qsim_faults - fault injection state
 * @count: remaining occurrences per fault.
 * @arg: argument per fault.
 * @hits: how many times each fault fired.
 * @any: some fault is armed (fast path check).
 */
struct qsim_faults {
	qsim_atomic_t count[QCOMTEE_SIM_FAULT_MAX];
	int arg[QCOMTEE_SIM_FAULT_MAX];
	qsim_atomic_t hits[QCOMTEE_SIM_FAULT_MAX];
	qsim_atomic_t any;
};

/**
 * struct qsim_cred - a client's credentials, as QTEE keeps them
 * @uid: the uid of the credentials map (key 1).
 * @time: the client's system time in ms (key 6), 0 if absent.
 * @privileged: a kernel client registered without credentials.
 */
struct qsim_cred {
	u32 uid;
	u64 time;
	bool privileged;
};

/* heap.c */
void qsim_heap_init(struct qsim_heap *h, size_t total);
void *qsim_heap_alloc(struct qsim_heap *h, size_t size);
void qsim_heap_free(struct qsim_heap *h, void *ptr);
void qsim_heap_fill_info(struct qsim_heap *h, u32 info[6]);
size_t qsim_heap_in_use(struct qsim_heap *h);

/* faults.c */
void qsim_faults_clear(struct qsim_faults *fs);
int qsim_faults_arm(struct qsim_faults *fs, enum qcomtee_sim_fault fault,
		    unsigned int count, int arg);
bool qsim_faults_fire(struct qsim_faults *fs, enum qcomtee_sim_fault f,
		      int *arg);

/* elf.c: the layout shared with the kernel's test image builder. */
#define QSIM_EHDR64_SIZE	64
#define QSIM_PHDR64_SIZE	56
#define QSIM_EHDR32_SIZE	52
#define QSIM_PHDR32_SIZE	32
#define QSIM_MAX_PHNUM		64

/* MBN segment type in p_flags: 2 hash, 4 metadata ("L4BSP"), 7 phdr. */
#define QSIM_PF_MBN_MASK	0x07000000u
#define QSIM_PF_MBN_HASH	0x02000000u
#define QSIM_PF_MBN_META	0x04000000u
/* The metadata segment's p_flags: MBN type 4, PF_R | PF_W. */
#define QSIM_META_FLAGS		(QSIM_PF_MBN_META | 0x4 | 0x2)

/* The trailer ending every real metadata segment (15 characters + NUL). */
#define QSIM_META_TRAILER	"obL$`P*8L)~s3L}"

int qsim_elf_app_name(const void *image, size_t size, char *name,
		      size_t name_size);

/* cbor.c */
int qsim_cbor_parse_cred(const u8 *data, size_t len, struct qsim_cred *cred);

#endif /* __QCOMTEE_SIM_MODEL_H */
