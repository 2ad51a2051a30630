// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated QTEE: the kernel's host services for the QTEE model (host.h).
 */

#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "host.h"

/**
 * qsim_host_zalloc() - memory for the secure heap
 * @size: bytes.
 *
 * The simulator's secure heap is the kernel's; payload copies may be as
 * large as a whole inbound buffer (4 MiB), hence kvzalloc.
 *
 * Return: zeroed memory, or NULL.
 */
void *qsim_host_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

/**
 * qsim_host_free() - give back memory from qsim_host_zalloc()
 * @ptr: the memory, or NULL.
 */
void qsim_host_free(void *ptr)
{
	kvfree(ptr);
}

/**
 * qsim_host_phys() - reach normal-world memory the kernel named by address
 * @pa: physical address.
 * @size: bytes.
 *
 * Real QTEE reaches any RAM; the simulator reaches it through the linear
 * map, so every page must be RAM with a struct page in lowmem.
 *
 * Return: the linear-map address of @pa, or NULL.
 */
void *qsim_host_phys(u64 pa, size_t size)
{
	unsigned long pfn;

	if (!size || pa + size < pa)
		return NULL;
	for (pfn = PHYS_PFN(pa); pfn <= PHYS_PFN(pa + size - 1); pfn++)
		if (!pfn_valid(pfn) || PageHighMem(pfn_to_page(pfn)))
			return NULL;

	return phys_to_virt(pa);
}

/**
 * qsim_host_delay_ms() - let time pass inside a call
 * @ms: milliseconds.
 *
 * The simulator runs in the SMC caller's task, which may sleep.
 */
void qsim_host_delay_ms(unsigned int ms)
{
	msleep(ms);
}
