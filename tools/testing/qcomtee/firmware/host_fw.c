// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware's host services for the QTEE model (the kernel's are
 * drivers/tee/qcomtee/sim/host_linux.c): the secure heap in secure RAM,
 * normal-world memory by physical address, the timer, warnings.
 *
 * The heap is a first-fit allocator over one array in .bss (secure RAM):
 * blocks carry a 16-byte header with their size, free blocks are kept in
 * address order so that a freed block merges with its neighbours, and
 * one spinlock serialises all CPUs. The model's own accounting (heap.c)
 * decides what QTEE would refuse; this only has to hold what it accepts.
 */
#include "host.h"	/* drivers/tee/qcomtee/sim/, via -I */

/* Room for the model's heap (4 MiB of payload copies at most) and more. */
#define FW_HEAP_SIZE	(6UL << 20)
#define FW_HDR		16UL
#define FW_MIN_BLOCK	32UL

struct fw_block {
	size_t size;		/* header included; a multiple of 16 */
	struct fw_block *next;	/* free blocks only */
};

static u8 fw_heap[FW_HEAP_SIZE] __aligned(16);
static struct fw_block *fw_free_list;
static struct spinlock fw_heap_lock;
static size_t fw_free_bytes;
static unsigned int fw_warnings;

void fw_heap_init(void)
{
	fw_free_list = (struct fw_block *)fw_heap;
	fw_free_list->size = FW_HEAP_SIZE;
	fw_free_list->next = NULL;
	fw_free_bytes = FW_HEAP_SIZE;
}

size_t fw_heap_free_bytes(void)
{
	size_t n;

	spin_lock(&fw_heap_lock);
	n = fw_free_bytes;
	spin_unlock(&fw_heap_lock);
	return n;
}

void *qsim_host_zalloc(size_t size)
{
	struct fw_block **link, *b, *rest;
	size_t need;

	if (size > FW_HEAP_SIZE - FW_HDR)
		return NULL;
	need = ALIGN(size + FW_HDR, 16UL);

	spin_lock(&fw_heap_lock);
	for (link = &fw_free_list; *link; link = &(*link)->next)
		if ((*link)->size >= need)
			break;
	b = *link;
	if (!b) {
		spin_unlock(&fw_heap_lock);
		return NULL;
	}
	if (b->size - need >= FW_MIN_BLOCK) {
		rest = (struct fw_block *)((u8 *)b + need);
		rest->size = b->size - need;
		rest->next = b->next;
		*link = rest;
		b->size = need;
	} else {
		*link = b->next;
	}
	fw_free_bytes -= b->size;
	spin_unlock(&fw_heap_lock);

	memset((u8 *)b + FW_HDR, 0, b->size - FW_HDR);
	return (u8 *)b + FW_HDR;
}

void qsim_host_free(void *ptr)
{
	struct fw_block *b, *prev = NULL, *next;
	u64 at = (u64)ptr;

	if (!ptr)
		return;
	b = (struct fw_block *)(at - FW_HDR);
	/* Only the model frees, but a bad pointer must not corrupt the heap. */
	if (WARN_ON((at & 15) || at < (u64)fw_heap + FW_HDR ||
		    at >= (u64)fw_heap + FW_HEAP_SIZE ||
		    b->size < FW_MIN_BLOCK || (b->size & 15) ||
		    b->size > (u64)fw_heap + FW_HEAP_SIZE - (u64)b))
		return;

	spin_lock(&fw_heap_lock);
	for (next = fw_free_list; next && next < b; next = next->next)
		prev = next;
	if (WARN_ON(next == b ||
		    (prev && (u8 *)prev + prev->size > (u8 *)b))) {
		spin_unlock(&fw_heap_lock);	/* freed twice */
		return;
	}
	fw_free_bytes += b->size;
	b->next = next;
	if (next && (u8 *)b + b->size == (u8 *)next) {
		b->size += next->size;
		b->next = next->next;
	}
	if (prev && (u8 *)prev + prev->size == (u8 *)b) {
		prev->size += b->size;
		prev->next = b->next;
	} else if (prev) {
		prev->next = b;
	} else {
		fw_free_list = b;
	}
	spin_unlock(&fw_heap_lock);
}

/*
 * With the MMU off, EL3 reaches normal RAM at its physical address; the
 * range must be normal RAM and may never reach secure RAM (ns_range_ok()).
 */
void *qsim_host_phys(u64 pa, size_t size)
{
	return ns_range_ok(pa, size) ? (void *)pa : NULL;
}

/* Nothing else runs on this CPU meanwhile: spin on the generic timer. */
void qsim_host_delay_ms(unsigned int ms)
{
	u64 freq = read_sysreg(cntfrq_el0);
	u64 start = read_sysreg(cntpct_el0);

	while (read_sysreg(cntpct_el0) - start < freq / 1000 * ms)
		;
}

void fw_model_warn(const char *file, int line)
{
	__atomic_fetch_add(&fw_warnings, 1, __ATOMIC_RELAXED);
	fw_printf("fw: model WARNING at %s:%d\n", file, line);
}

void fw_model_report(void)
{
	fw_printf("fw: summary: model heap free=0x%lx of 0x%lx warnings=%u\n",
		  fw_heap_free_bytes(), FW_HEAP_SIZE,
		  __atomic_load_n(&fw_warnings, __ATOMIC_RELAXED));
}
