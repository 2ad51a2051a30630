// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: accounting of the secure heap.
 *
 * Every allocation the secure side makes for data it received or creates
 * (payload copies, objects, app state) goes through qsim_alloc() and is
 * charged to a fixed-size heap, so the diagnostics service reports real
 * numbers and a test can see a leak as heap that stays in use. The memory
 * itself comes from kmalloc; the accounting models a simple allocator with
 * a 16-byte header per block and 16-byte granularity.
 */

#include <linux/slab.h>

#include "sim.h"

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
 * @sim: instance.
 * @total: heap size in bytes.
 */
void qsim_heap_init(struct qcomtee_sim *sim, size_t total)
{
	spin_lock_init(&sim->heap.lock);
	sim->heap.total = total;
}

/**
 * qsim_alloc() - allocate zeroed secure-heap memory
 * @sim: instance.
 * @size: bytes.
 *
 * Return: the memory or NULL when the simulated heap (or the kernel) is
 * out of memory.
 */
void *qsim_alloc(struct qcomtee_sim *sim, size_t size)
{
	struct qsim_heap *h = &sim->heap;
	struct qsim_heap_hdr *hdr;
	size_t rounded = ALIGN(size, QSIM_HEAP_GRAIN);
	bool ok;

	if (size > h->total)
		return NULL;

	spin_lock(&h->lock);
	ok = h->used + h->wasted + h->overhead + rounded + QSIM_HEAP_HDR <=
	     h->total;
	if (ok) {
		h->used += size;
		h->wasted += rounded - size;
		h->overhead += QSIM_HEAP_HDR;
		h->count++;
	}
	spin_unlock(&h->lock);
	if (!ok)
		return NULL;

	hdr = kvzalloc(QSIM_HEAP_HDR + size, GFP_KERNEL);
	if (!hdr) {
		spin_lock(&h->lock);
		h->used -= size;
		h->wasted -= rounded - size;
		h->overhead -= QSIM_HEAP_HDR;
		h->count--;
		spin_unlock(&h->lock);
		return NULL;
	}
	hdr->size = size;
	hdr->magic = QSIM_HEAP_MAGIC;

	return (u8 *)hdr + QSIM_HEAP_HDR;
}

/**
 * qsim_free() - free memory from qsim_alloc()
 * @sim: instance.
 * @ptr: memory, may be NULL.
 */
void qsim_free(struct qcomtee_sim *sim, void *ptr)
{
	struct qsim_heap *h = &sim->heap;
	struct qsim_heap_hdr *hdr;
	size_t size;

	if (!ptr)
		return;
	hdr = (struct qsim_heap_hdr *)((u8 *)ptr - QSIM_HEAP_HDR);
	if (WARN_ON(hdr->magic != QSIM_HEAP_MAGIC))
		return;
	size = hdr->size;
	hdr->magic = 0;

	spin_lock(&h->lock);
	h->used -= size;
	h->wasted -= ALIGN(size, QSIM_HEAP_GRAIN) - size;
	h->overhead -= QSIM_HEAP_HDR;
	h->count--;
	spin_unlock(&h->lock);
	kvfree(hdr);
}

/**
 * qsim_heap_info() - the diagnostics view of the heap
 * @sim: instance.
 * @info: total, used, free, overhead, wasted, largest free block.
 *
 * total = used + free + overhead + wasted. Fragmentation is not modelled,
 * so the largest free block is the free space.
 */
void qsim_heap_info(struct qcomtee_sim *sim, u32 info[6])
{
	struct qsim_heap *h = &sim->heap;
	size_t free;

	spin_lock(&h->lock);
	free = h->total - h->used - h->overhead - h->wasted;
	info[0] = min_t(size_t, h->total, U32_MAX);
	info[1] = min_t(size_t, h->used, U32_MAX);
	info[2] = min_t(size_t, free, U32_MAX);
	info[3] = min_t(size_t, h->overhead, U32_MAX);
	info[4] = min_t(size_t, h->wasted, U32_MAX);
	info[5] = info[2];
	spin_unlock(&h->lock);
}

/**
 * qsim_heap_used() - bytes of the heap not free
 * @sim: instance.
 *
 * Return: used + overhead + wasted.
 */
size_t qsim_heap_used(struct qcomtee_sim *sim)
{
	size_t used;

	spin_lock(&sim->heap.lock);
	used = sim->heap.used + sim->heap.overhead + sim->heap.wasted;
	spin_unlock(&sim->heap.lock);

	return used;
}
