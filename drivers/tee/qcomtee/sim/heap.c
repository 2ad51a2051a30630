// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: accounting of the secure heap (a model file: host.h).
 *
 * Every allocation the secure side makes for data it received or creates
 * (payload copies, objects, app state) goes through qsim_heap_alloc() and
 * is charged to a fixed-size heap, so the diagnostics service reports
 * real numbers and a test can see a leak as heap that stays in use. The
 * memory itself comes from the host (qsim_host_zalloc()); the accounting
 * models a simple allocator with a 16-byte header per block and 16-byte
 * granularity, the same on both hosts, so both report the same numbers
 * for the same requests.
 */

#include "model.h"

#define QSIM_HEAP_HDR	16
#define QSIM_HEAP_GRAIN	16

struct qsim_heap_hdr {
	size_t size;
	size_t magic;
};

#define QSIM_HEAP_MAGIC	0x51534845ul

static_assert(sizeof(struct qsim_heap_hdr) <= QSIM_HEAP_HDR);

/**
 * qsim_heap_init() - set up an empty heap
 * @h: the heap.
 * @total: heap size in bytes.
 */
void qsim_heap_init(struct qsim_heap *h, size_t total)
{
	qsim_spin_init(&h->lock);
	h->total = total;
	h->used = 0;
	h->overhead = 0;
	h->wasted = 0;
	h->count = 0;
}

/* Charge (@add) or take back one block of @size bytes. */
static bool qsim_heap_charge(struct qsim_heap *h, size_t size, bool add)
{
	size_t rounded = ALIGN(size, QSIM_HEAP_GRAIN);
	size_t block = rounded + QSIM_HEAP_HDR;
	bool ok = true;

	qsim_spin_lock(&h->lock);
	if (add) {
		ok = h->used + h->wasted + h->overhead + block <= h->total;
		if (ok) {
			h->used += size;
			h->wasted += rounded - size;
			h->overhead += QSIM_HEAP_HDR;
			h->count++;
		}
	} else {
		h->used -= size;
		h->wasted -= rounded - size;
		h->overhead -= QSIM_HEAP_HDR;
		h->count--;
	}
	qsim_spin_unlock(&h->lock);

	return ok;
}

/**
 * qsim_heap_alloc() - allocate zeroed secure-heap memory
 * @h: the heap.
 * @size: bytes.
 *
 * Return: the memory or NULL when the modelled heap (or the host) is out
 * of memory.
 */
void *qsim_heap_alloc(struct qsim_heap *h, size_t size)
{
	struct qsim_heap_hdr *hdr;

	/* Bounds @size before any sum with it can wrap. */
	if (size > h->total)
		return NULL;
	if (!qsim_heap_charge(h, size, true))
		return NULL;

	hdr = qsim_host_zalloc(QSIM_HEAP_HDR + size);
	if (!hdr) {
		qsim_heap_charge(h, size, false);
		return NULL;
	}
	hdr->size = size;
	hdr->magic = QSIM_HEAP_MAGIC;

	return (u8 *)hdr + QSIM_HEAP_HDR;
}

/**
 * qsim_heap_free() - free memory from qsim_heap_alloc()
 * @h: the heap.
 * @ptr: memory, may be NULL.
 */
void qsim_heap_free(struct qsim_heap *h, void *ptr)
{
	struct qsim_heap_hdr *hdr;
	size_t size;

	if (!ptr)
		return;
	hdr = (struct qsim_heap_hdr *)((u8 *)ptr - QSIM_HEAP_HDR);
	if (WARN_ON(hdr->magic != QSIM_HEAP_MAGIC))
		return;
	size = hdr->size;
	hdr->magic = 0;

	qsim_heap_charge(h, size, false);
	qsim_host_free(hdr);
}

/**
 * qsim_heap_fill_info() - the diagnostics view of the heap
 * @h: the heap.
 * @info: total, used, free, overhead, wasted, largest free block.
 *
 * total = used + free + overhead + wasted. Fragmentation is not modelled,
 * so the largest free block is the free space.
 */
void qsim_heap_fill_info(struct qsim_heap *h, u32 info[6])
{
	size_t free;

	qsim_spin_lock(&h->lock);
	free = h->total - h->used - h->overhead - h->wasted;
	info[0] = min_t(size_t, h->total, U32_MAX);
	info[1] = min_t(size_t, h->used, U32_MAX);
	info[2] = min_t(size_t, free, U32_MAX);
	info[3] = min_t(size_t, h->overhead, U32_MAX);
	info[4] = min_t(size_t, h->wasted, U32_MAX);
	info[5] = info[2];
	qsim_spin_unlock(&h->lock);
}

/**
 * qsim_heap_in_use() - bytes of the heap not free
 * @h: the heap.
 *
 * Return: used + overhead + wasted.
 */
size_t qsim_heap_in_use(struct qsim_heap *h)
{
	size_t used;

	qsim_spin_lock(&h->lock);
	used = h->used + h->overhead + h->wasted;
	qsim_spin_unlock(&h->lock);

	return used;
}
